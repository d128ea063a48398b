/* registry-auth.c: answering a registry's WWW-Authenticate challenge.
 *
 * Bearer: fetch a token from the realm (anonymously or with Basic
 * credentials) for the scope a request needs, e.g.
 * "repository:library/busybox:pull"; tokens are cached per realm, service,
 * scope and user for the life of the process.  Basic: send the credentials.
 * Credentials only ever go to the origin they are meant for: the registry's
 * own for requests, the realm's for the token fetch.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "registry-internal.h"

struct token {
	char *key;
	char *token;
	uint64_t expires_ms;
	struct token *next;
};

/* The per-process token cache. */
static struct token *tokens;

/* Mirrors get no credentials: those belong to the registry the user
 * logged in to, not to whoever runs a mirror. */
static const char *auth_user(const struct registry *reg)
{
	return reg->endpoints[reg->endpoint].mirror ? NULL : reg->username;
}

static const char *auth_pass(const struct registry *reg)
{
	return reg->endpoints[reg->endpoint].mirror ? NULL : reg->password;
}

/* ---- challenge parsing ---- */

struct challenge {
	char *scheme;
	char *realm;
	char *service;
};

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	return p;
}

/* A token or a quoted string (with backslash escapes). */
static char *read_value(const char **pp)
{
	const char *p = *pp;
	struct sbuf sb = SBUF_INIT;

	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			sbuf_addc(&sb, *p);
		}
		if (*p == '"')
			p++;
	} else {
		while (*p && *p != ',' && *p != ' ' && *p != '\t')
			sbuf_addc(&sb, *p++);
	}
	*pp = p;
	return sbuf_detach(&sb);
}

/* Parse the challenges in one header value into out (up to max). */
static size_t parse_challenges(const char *s, struct challenge *out, size_t max)
{
	size_t n = 0;
	const char *p = skip_space(s);

	while (*p && n < max) {
		size_t len = strcspn(p, " \t,=");
		if (p[len] == '=') {
			/* key=value belonging to the current challenge */
			cleanup_free char *key = xstrndup(p, len);
			p += len + 1;
			char *val = read_value(&p);
			if (n && strcasecmp(key, "realm") == 0 && !out[n - 1].realm)
				out[n - 1].realm = val;
			else if (n && strcasecmp(key, "service") == 0 && !out[n - 1].service)
				out[n - 1].service = val;
			else
				free(val);
		} else {
			out[n].scheme = xstrndup(p, len);
			out[n].realm = out[n].service = NULL;
			n++;
			p += len;
		}
		p = skip_space(p);
	}
	return n;
}

void registry_auth_challenge(struct registry *reg, char *const *challenges)
{
	struct challenge ch[8];
	bool have_basic = false, have_bearer = false;
	char *realm = NULL, *service = NULL;

	for (size_t i = 0; challenges && challenges[i]; i++) {
		size_t n = parse_challenges(challenges[i], ch, ARRAY_SIZE(ch));
		for (size_t k = 0; k < n; k++) {
			if (strcasecmp(ch[k].scheme, "Bearer") == 0 && ch[k].realm && !have_bearer) {
				have_bearer = true;
				free(realm);
				free(service);
				realm = steal_pointer(&ch[k].realm);
				service = steal_pointer(&ch[k].service);
			} else if (strcasecmp(ch[k].scheme, "Basic") == 0) {
				have_basic = true;
			}
			free(ch[k].scheme);
			free(ch[k].realm);
			free(ch[k].service);
		}
	}
	if (have_bearer) {
		reg->scheme = REGISTRY_AUTH_BEARER;
		free(reg->realm);
		free(reg->service);
		reg->realm = realm;
		reg->service = service;
	} else if (have_basic) {
		reg->scheme = REGISTRY_AUTH_BASIC;
	}
}

/* ---- token cache ---- */

static char *token_key(const struct registry *reg, const char *scope)
{
	const char *user = auth_user(reg);
	return xasprintf("%s\x1f%s\x1f%s\x1f%s", reg->realm ? reg->realm : "", reg->service ? reg->service : "",
			 scope ? scope : "", user ? user : "");
}

static struct token **token_find(const char *key)
{
	struct token **t = &tokens;
	while (*t && strcmp((*t)->key, key) != 0)
		t = &(*t)->next;
	return t;
}

static void token_drop(struct token **t)
{
	struct token *dead = *t;
	*t = dead->next;
	free(dead->key);
	free(dead->token);
	free(dead);
}

void registry_token_cache_clear(void)
{
	while (tokens)
		token_drop(&tokens);
}

void registry_auth_invalidate(struct registry *reg, const struct http_xfer *x)
{
	cleanup_free char *key = token_key(reg, x->scope);
	struct token **t = token_find(key);
	if (*t)
		token_drop(t);
}

static void token_store(const char *key, const char *token, long expires_in)
{
	struct token **t = token_find(key);

	if (*t)
		token_drop(t);
	struct token *n = xcalloc(1, sizeof(*n));
	n->key = xstrdup(key);
	n->token = xstrdup(token);
	/* The spec's floor is 60 s; keep a margin so a token does not expire
	 * between the check and the request. */
	if (expires_in < 60)
		expires_in = 60;
	n->expires_ms = http_now_ms() + (uint64_t) (expires_in - 10) * 1000;
	n->next = tokens;
	tokens = n;
}

/* ---- token fetch ---- */

static char *token_url(const struct registry *reg, const char *scope)
{
	struct sbuf sb = SBUF_INIT;
	char sep = strchr(reg->realm, '?') ? '&' : '?';

	sbuf_adds(&sb, reg->realm);
	if (reg->service) {
		cleanup_free char *e = http_escape(reg->service);
		sbuf_addf(&sb, "%cservice=%s", sep, e);
		sep = '&';
	}
	/* Several scopes are separate parameters. */
	for (const char *p = scope ? scope : ""; *p;) {
		size_t len = strcspn(p, " ");
		if (len) {
			cleanup_free char *one = xstrndup(p, len);
			cleanup_free char *e = http_escape(one);
			sbuf_addf(&sb, "%cscope=%s", sep, e);
			sep = '&';
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	if (auth_user(reg)) {
		cleanup_free char *e = http_escape(auth_user(reg));
		sbuf_addf(&sb, "%caccount=%s", sep, e);
	}
	return sbuf_detach(&sb);
}

static int token_refused(struct registry *reg, struct http_xfer *x, robbe_error **err)
{
	cleanup_error robbe_error *body = NULL;

	http_reply_error(x, &body);
	if (!auth_user(reg))
		return registry_fail(err, REGISTRY_ERR_DENIED, "%s", body->msg);
	if (str_has_prefix(body->msg, "unauthorized"))
		return registry_fail(err, REGISTRY_ERR_UNAUTHORIZED, "%s", body->msg);
	return registry_fail(err, REGISTRY_ERR_UNAUTHORIZED, "unauthorized: %s", body->msg);
}

static int token_parse(struct http_xfer *x, char **token, long *expires_in, robbe_error **err)
{
	cleanup_cjson cJSON *j = cJSON_ParseWithLength(sbuf_str(&x->body), x->body.len);
	const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "token"));
	cJSON *exp = cJSON_GetObjectItemCaseSensitive(j, "expires_in");

	if (!t || !*t)
		t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "access_token"));
	if (!t || !*t)
		return registry_fail(err, REGISTRY_ERR_OTHER, "token server %s sent no token", x->url);
	*expires_in = cJSON_IsNumber(exp) ? (long) exp->valuedouble : 60;
	*token = xstrdup(t);
	return 0;
}

int registry_token_get(struct registry *reg, const char *scope, bool fresh, char **token, robbe_error **err)
{
	cleanup_free char *key = token_key(reg, scope);
	struct token **cached = token_find(key);
	cleanup_xfer struct http_xfer x;
	long expires_in = 60;
	int r;

	http_xfer_init(&x, "GET", NULL);
	if (!fresh && *cached && (*cached)->expires_ms > http_now_ms()) {
		*token = xstrdup((*cached)->token);
		return 0;
	}
	if (!reg->realm || !(str_has_prefix(reg->realm, "https://") || str_has_prefix(reg->realm, "http://")))
		return registry_fail(err, REGISTRY_ERR_OTHER, "registry %s: bad token realm \"%s\"", reg->domain,
				     reg->realm ? reg->realm : "");
	x.url = token_url(reg, scope);
	x.basic_user = auth_user(reg);
	x.basic_pass = auth_pass(reg);
	x.auth_origin = http_origin(reg->realm);
	x.body_max = REGISTRY_TOKEN_BODY_MAX;
	x.retry = true;
	if ((r = http_run_one(reg, &x, err)) < 0)
		return r;
	if (x.status == 401 || x.status == 403)
		return token_refused(reg, &x, err);
	if (x.status != 200)
		return http_reply_error(&x, err);
	if ((r = token_parse(&x, token, &expires_in, err)) < 0)
		return r;
	token_store(key, *token, expires_in);
	return 0;
}

/* ---- per-request credentials ---- */

static bool to_auth_origin(const struct http_xfer *x)
{
	cleanup_free char *o = http_origin(x->url);
	return o && x->auth_origin && strcmp(o, x->auth_origin) == 0;
}

static void set_basic(struct http_xfer *x, const char *user, const char *pass)
{
	curl_easy_setopt(x->easy, CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
	curl_easy_setopt(x->easy, CURLOPT_USERNAME, user);
	curl_easy_setopt(x->easy, CURLOPT_PASSWORD, pass ? pass : "");
	x->sent_auth = true;
}

int registry_auth_apply(struct registry *reg, struct http_xfer *x, struct curl_slist **hdrs, robbe_error **err)
{
	cleanup_free char *token = NULL;
	int r;

	if (!to_auth_origin(x))
		return 0;
	if (x->basic_user) {
		set_basic(x, x->basic_user, x->basic_pass);
		return 0;
	}
	if (!x->scope)
		return 0;
	switch (reg->scheme) {
	case REGISTRY_AUTH_NONE:
		return 0;
	case REGISTRY_AUTH_BASIC:
		if (auth_user(reg))
			set_basic(x, auth_user(reg), auth_pass(reg));
		return 0;
	case REGISTRY_AUTH_BEARER:
		r = registry_token_get(reg, x->scope, x->reauthed, &token, err);
		if (r < 0) {
			x->error_kind = -r;
			return r;
		}
		cleanup_free char *h = xasprintf("Authorization: Bearer %s", token);
		*hdrs = curl_slist_append(*hdrs, h);
		x->sent_auth = true;
		return 0;
	}
	return 0;
}
