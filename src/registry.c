/* registry.c: opening a registry — daemon.json, the choice of endpoint and
 * scheme, the /v2/ ping — and `docker login`'s credential check. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "auth.h"
#include "reference.h"
#include "registry-internal.h"

#define DAEMON_JSON_DEFAULT "/etc/docker/daemon.json"
#define DAEMON_JSON_MAX (1u << 20)

/* ---- daemon.json ---- */

void registry_config_free(struct registry_config *cfg)
{
	if (!cfg)
		return;
	strv_free(cfg->insecure);
	strv_free(cfg->mirrors);
	free(cfg);
}

static void read_string_array(const cJSON *j, const char *key, char ***out)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, key)) {
		if (cJSON_IsString(e) && *e->valuestring)
			strv_push(out, e->valuestring);
	}
}

int registry_config_load(const char *path, struct registry_config **out, robbe_error **err)
{
	struct registry_config *cfg = xcalloc(1, sizeof(*cfg));
	cleanup_free char *data = NULL;
	cleanup_error robbe_error *rerr = NULL;
	size_t len = 0;

	*out = cfg;
	if (!path || !*path)
		return 0;
	if (read_file_all(path, DAEMON_JSON_MAX, &data, &len, &rerr) < 0) {
		/* Absent is normal; unreadable (a rootless user and a 0600 file)
		 * must not stop pulls from ordinary registries either. */
		if (rerr->errnum == ENOENT || rerr->errnum == EACCES)
			return 0;
		robbe_error_set(err, 0, "%s", rerr->msg);
		return -1;
	}
	cleanup_cjson cJSON *j = cJSON_ParseWithLength(data, len);
	if (!cJSON_IsObject(j))
		return robbe_error_set(err, 0, "%s: not a JSON object", path);
	read_string_array(j, "insecure-registries", &cfg->insecure);
	read_string_array(j, "registry-mirrors", &cfg->mirrors);
	return 0;
}

/* The host of "host:port", "[v6]:port" or "host", into buf. */
static void domain_host(const char *domain, char *buf, size_t size)
{
	const char *start = domain;
	size_t len;

	if (*domain == '[') {
		start = domain + 1;
		len = strcspn(start, "]");
	} else {
		const char *colon = strchr(domain, ':');
		len = colon && !strchr(colon + 1, ':') ? (size_t) (colon - domain) : strlen(domain);
	}
	snprintf(buf, size, "%.*s", (int) len, start);
}

struct ipaddr {
	int family;
	unsigned char b[16];
};

static bool parse_ip(const char *s, struct ipaddr *ip)
{
	if (inet_pton(AF_INET, s, ip->b) == 1) {
		ip->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, ip->b) == 1) {
		ip->family = AF_INET6;
		return true;
	}
	return false;
}

static bool prefix_match(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char) (0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

static bool cidr_contains(const char *cidr, const struct ipaddr *ip)
{
	char net[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(cidr, '/');
	struct ipaddr n;
	char *end;

	if (!slash || (size_t) (slash - cidr) >= sizeof(net))
		return false;
	snprintf(net, sizeof(net), "%.*s", (int) (slash - cidr), cidr);
	unsigned long bits = strtoul(slash + 1, &end, 10);
	if (*end || !parse_ip(net, &n) || n.family != ip->family)
		return false;
	if (bits > (n.family == AF_INET ? 32u : 128u))
		return false;
	return prefix_match(n.b, ip->b, (unsigned) bits);
}

/* Docker matches CIDR entries against the addresses the host resolves to. */
static bool host_in_cidrs(const char *host, char *const *entries)
{
	struct ipaddr ip;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	bool found = false;

	if (parse_ip(host, &ip)) {
		for (size_t i = 0; entries[i]; i++)
			if (cidr_contains(entries[i], &ip))
				return true;
		return false;
	}
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return false;
	for (struct addrinfo *a = res; a && !found; a = a->ai_next) {
		if (a->ai_family == AF_INET) {
			ip.family = AF_INET;
			memcpy(ip.b, &((struct sockaddr_in *) a->ai_addr)->sin_addr, 4);
		} else if (a->ai_family == AF_INET6) {
			ip.family = AF_INET6;
			memcpy(ip.b, &((struct sockaddr_in6 *) a->ai_addr)->sin6_addr, 16);
		} else {
			continue;
		}
		for (size_t i = 0; entries[i] && !found; i++)
			found = cidr_contains(entries[i], &ip);
	}
	freeaddrinfo(res);
	return found;
}

bool registry_config_is_insecure(const struct registry_config *cfg, const char *domain)
{
	char host[256];
	char **cidrs = NULL;
	bool found = false;

	for (size_t i = 0; cfg && cfg->insecure && cfg->insecure[i]; i++) {
		const char *e = cfg->insecure[i];
		if (strstr(e, "://"))
			e = strstr(e, "://") + 3;
		if (strchr(e, '/'))
			strv_push(&cidrs, e);
		else if (strcmp(e, domain) == 0)
			found = true;
	}
	if (!found && cidrs) {
		domain_host(domain, host, sizeof(host));
		found = host_in_cidrs(host, cidrs);
	}
	strv_free(cidrs);
	return found;
}

bool registry_host_is_local(const char *domain)
{
	char host[256];
	struct ipaddr ip;
	static const unsigned char v6_loopback[16] = { [15] = 1 };

	domain_host(domain, host, sizeof(host));
	if (strcmp(host, "localhost") == 0)
		return true;
	if (!parse_ip(host, &ip))
		return false;
	if (ip.family == AF_INET)
		return ip.b[0] == 127;
	return memcmp(ip.b, v6_loopback, 16) == 0;
}

/* ---- opening ---- */

static void add_endpoint(struct registry *reg, char *url, bool verify, bool mirror)
{
	size_t len = strlen(url);

	while (len > 0 && url[len - 1] == '/')
		url[--len] = '\0';
	reg->endpoints = xrealloc(reg->endpoints, (reg->n_endpoints + 1) * sizeof(*reg->endpoints));
	reg->endpoints[reg->n_endpoints++] = (struct registry_endpoint) { url, verify, mirror };
}

static void add_mirrors(struct registry *reg, const struct registry_config *cfg, const struct registry_options *o)
{
	for (size_t i = 0; cfg->mirrors && cfg->mirrors[i]; i++) {
		const char *m = cfg->mirrors[i];
		if (!str_has_prefix(m, "https://") && !str_has_prefix(m, "http://"))
			continue;
		const char *host = strstr(m, "://") + 3;
		cleanup_free char *domain = xstrndup(host, strcspn(host, "/"));
		bool verify = o->tls != REGISTRY_TLS_NO_VERIFY && !registry_config_is_insecure(cfg, domain);
		add_endpoint(reg, xstrdup(m), verify, true);
	}
}

/* Loopback registries are plain HTTP, as with Docker.  Insecure ones try
 * HTTPS without verification, then HTTP.  Everything else is HTTPS with the
 * system's CAs. */
static void add_endpoints(struct registry *reg, const struct registry_config *cfg, const struct registry_options *o)
{
	const char *host = reference_registry_host(reg->domain);
	bool insecure;

	if (reference_is_docker_hub(reg->domain) && !o->push)
		add_mirrors(reg, cfg, o);
	if (registry_host_is_local(host)) {
		add_endpoint(reg, xasprintf("http://%s", host), false, false);
		return;
	}
	insecure = o->tls == REGISTRY_TLS_NO_VERIFY ||
		   (o->tls == REGISTRY_TLS_DEFAULT && registry_config_is_insecure(cfg, reg->domain));
	add_endpoint(reg, xasprintf("https://%s", host), !insecure, false);
	if (insecure)
		add_endpoint(reg, xasprintf("http://%s", host), false, false);
}

static int load_credentials(struct registry *reg, const struct registry_options *o, robbe_error **err)
{
	struct auth_credentials cred = { 0 };
	int r;

	if (o->username) {
		registry_set_credentials(reg, o->username, o->password);
		return 0;
	}
	if (!o->use_credential_store)
		return 0;
	r = auth_lookup(reg->domain, &cred, err);
	if (r < 0)
		return r;
	if (r > 0)
		registry_set_credentials(reg, cred.username, cred.secret);
	auth_credentials_release(&cred);
	return 0;
}

static void global_init(void)
{
	static bool done;
	if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		die_oom();
	done = true;
}

int registry_open(const char *domain, const struct registry_options *opts, struct registry **out,
		  robbe_error **err)
{
	static const struct registry_options defaults = { 0 };
	const struct registry_options *o = opts ? opts : &defaults;
	struct registry_config *cfg = NULL;
	cleanup_registry struct registry *reg = xcalloc(1, sizeof(*reg));

	global_init();
	reg->domain = xstrdup(domain);
	reg->push = o->push;
	reg->user_agent = xstrdup(o->user_agent ? o->user_agent : "robbe/" PACKAGE_VERSION);
	reg->retry_delay_ms = o->retry_delay_ms ? o->retry_delay_ms : 1000;
	reg->max_parallel = o->max_parallel ? o->max_parallel : 3;
	reg->chunk_size = o->chunk_size;
	reg->share = curl_share_init();
	if (!reg->share)
		die_oom();
	curl_share_setopt(reg->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(reg->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(reg->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);

	if (registry_config_load(o->daemon_json ? o->daemon_json : DAEMON_JSON_DEFAULT, &cfg, err) < 0) {
		registry_config_free(cfg);
		return -REGISTRY_ERR_OTHER;
	}
	add_endpoints(reg, cfg, o);
	registry_config_free(cfg);
	if (load_credentials(reg, o, err) < 0)
		return -REGISTRY_ERR_OTHER;
	*out = steal_pointer(&reg);
	return 0;
}

void registry_free(struct registry *reg)
{
	if (!reg)
		return;
	for (size_t i = 0; i < reg->n_endpoints; i++)
		free(reg->endpoints[i].url);
	free(reg->endpoints);
	free(reg->domain);
	free(reg->origin);
	free(reg->realm);
	free(reg->service);
	free(reg->username);
	free(reg->password);
	free(reg->user_agent);
	if (reg->share)
		curl_share_cleanup(reg->share);
	free(reg);
}

void registry_set_credentials(struct registry *reg, const char *username, const char *password)
{
	free(reg->username);
	free(reg->password);
	reg->username = username ? xstrdup(username) : NULL;
	reg->password = username && password ? xstrdup(password) : NULL;
}

const char *registry_url(const struct registry *reg)
{
	return reg->endpoints[reg->endpoint].url;
}

/* ---- ping ---- */

/* One endpoint: 0 if it answered like a registry, 1 to try the next one. */
static int ping_endpoint(struct registry *reg, size_t i, robbe_error **last)
{
	struct http_xfer x;
	int r = 0;

	reg->endpoint = i;
	http_xfer_init(&x, "GET", xasprintf("%s/v2/", reg->endpoints[i].url));
	robbe_error_free(*last);
	*last = NULL;
	if (http_run_one(reg, &x, last) < 0) {
		r = 1;
	} else if (x.status == 401) {
		reg->scheme = REGISTRY_AUTH_NONE;
		registry_auth_challenge(reg, x.challenges);
		if (reg->scheme == REGISTRY_AUTH_NONE)
			reg->scheme = REGISTRY_AUTH_BASIC;
	} else if (x.status >= 200 && x.status < 300) {
		reg->scheme = REGISTRY_AUTH_NONE;
	} else {
		http_reply_error(&x, last);
		robbe_error_wrap(last, "Get \"%s\"", x.url);
		r = 1;
	}
	http_xfer_release(&x);
	return r;
}

int registry_ping(struct registry *reg, robbe_error **err)
{
	cleanup_error robbe_error *last = NULL;

	if (reg->pinged)
		return 0;
	for (size_t i = 0; i < reg->n_endpoints; i++) {
		if (ping_endpoint(reg, i, &last) == 0) {
			reg->pinged = true;
			free(reg->origin);
			reg->origin = http_origin(reg->endpoints[i].url);
			return 0;
		}
	}
	reg->endpoint = 0;
	robbe_error_set(err, 0, "%s", last ? last->msg : "no registry endpoint");
	return -REGISTRY_ERR_NETWORK;
}

/* ---- helpers for the other files ---- */

char *registry_scope(const struct registry *reg, const char *repo)
{
	return xasprintf("repository:%s:%s", repo, reg->push ? "pull,push" : "pull");
}

char *registry_api_url(const struct registry *reg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cleanup_free char *path = xvasprintf(fmt, ap);
	va_end(ap);
	return xasprintf("%s%s", registry_url(reg), path);
}

int registry_xfer_setup(struct registry *reg, struct http_xfer *x, const char *repo, robbe_error **err)
{
	int r = registry_ping(reg, err);
	if (r < 0)
		return r;
	x->scope = registry_scope(reg, repo);
	x->auth_origin = xstrdup(reg->origin);
	return 0;
}

/* ---- login ---- */

static int check_basic(struct registry *reg, robbe_error **err)
{
	struct http_xfer x;
	int r;

	http_xfer_init(&x, "GET", registry_api_url(reg, "/v2/"));
	x.basic_user = reg->username;
	x.basic_pass = reg->password;
	x.auth_origin = xstrdup(reg->origin);
	r = http_run_one(reg, &x, err);
	if (r == 0 && x.status == 401) {
		cleanup_error robbe_error *body = NULL;
		http_reply_error(&x, &body);
		robbe_error_set(err, 0, "%s", body->msg);
		r = -REGISTRY_ERR_UNAUTHORIZED;
	} else if (r == 0 && (x.status < 200 || x.status >= 300)) {
		r = http_reply_error(&x, err);
	}
	http_xfer_release(&x);
	return r;
}

int registry_check_login(struct registry *reg, robbe_error **err)
{
	cleanup_free char *token = NULL;
	int r = registry_ping(reg, err);

	if (r < 0)
		return r;
	switch (reg->scheme) {
	case REGISTRY_AUTH_NONE:
		return 0;
	case REGISTRY_AUTH_BASIC:
		if (!reg->username)
			return registry_fail(err, REGISTRY_ERR_UNAUTHORIZED, "unauthorized: authentication required");
		return check_basic(reg, err);
	case REGISTRY_AUTH_BEARER:
		return registry_token_get(reg, NULL, true, &token, err);
	}
	return 0;
}
