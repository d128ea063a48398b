/* image-change.c: `--change` Dockerfile instructions on an image config.
 *
 * The words of ENV, LABEL, EXPOSE, STOPSIGNAL, USER, VOLUME and WORKDIR go
 * through a small shell-word lexer: quotes are removed, backslashes escape,
 * and $VAR, ${VAR}, ${VAR:-word} and ${VAR:+word} expand from the config's
 * Env as it stands when the instruction runs (so `ENV A=1` then
 * `LABEL x=$A` sees A).  CMD and ENTRYPOINT are never expanded: their
 * shell form goes to /bin/sh -c as written.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "image-change.h"

/* Docker's container.Config, in the order its JSON has the keys.  The
 * keys marked omitempty there are added only when set. */
static const struct {
	const char *key;
	int type;	/* cJSON type of the zero value; 0: left out until set */
} config_keys[] = {
	{ "Hostname", cJSON_String },
	{ "Domainname", cJSON_String },
	{ "User", cJSON_String },
	{ "AttachStdin", cJSON_False },
	{ "AttachStdout", cJSON_False },
	{ "AttachStderr", cJSON_False },
	{ "ExposedPorts", 0 },
	{ "Tty", cJSON_False },
	{ "OpenStdin", cJSON_False },
	{ "StdinOnce", cJSON_False },
	{ "Env", cJSON_NULL },
	{ "Cmd", cJSON_NULL },
	{ "Healthcheck", 0 },
	{ "ArgsEscaped", 0 },
	{ "Image", cJSON_String },
	{ "Volumes", cJSON_NULL },
	{ "WorkingDir", cJSON_String },
	{ "Entrypoint", cJSON_NULL },
	{ "NetworkDisabled", 0 },
	{ "MacAddress", 0 },
	{ "OnBuild", cJSON_NULL },
	{ "Labels", cJSON_NULL },
	{ "StopSignal", 0 },
	{ "StopTimeout", 0 },
	{ "Shell", 0 },
};

cJSON *image_change_empty_config(void)
{
	cJSON *c = cJSON_CreateObject();

	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++) {
		switch (config_keys[i].type) {
		case cJSON_String:
			cJSON_AddStringToObject(c, config_keys[i].key, "");
			break;
		case cJSON_False:
			cJSON_AddFalseToObject(c, config_keys[i].key);
			break;
		case cJSON_NULL:
			cJSON_AddNullToObject(c, config_keys[i].key);
			break;
		}
	}
	return c;
}

/* Put the keys back in Docker's order (known keys first, others after,
 * as they were). */
static void order_keys(cJSON *config)
{
	cJSON *rest = cJSON_CreateObject();
	cJSON *it;

	while (config->child) {
		it = cJSON_DetachItemViaPointer(config, config->child);
		cJSON_AddItemToObject(rest, it->string, it);
	}
	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++) {
		it = cJSON_DetachItemFromObjectCaseSensitive(rest, config_keys[i].key);
		if (it)
			cJSON_AddItemToObject(config, config_keys[i].key, it);
	}
	while (rest->child) {
		it = cJSON_DetachItemViaPointer(rest, rest->child);
		cJSON_AddItemToObject(config, it->string, it);
	}
	cJSON_Delete(rest);
}

static void set_item(cJSON *config, const char *key, cJSON *value)
{
	if (cJSON_GetObjectItemCaseSensitive(config, key))
		cJSON_ReplaceItemInObjectCaseSensitive(config, key, value);
	else
		cJSON_AddItemToObject(config, key, value);
}

/* The object (or array) under key, made if it is missing or null. */
static cJSON *get_container(cJSON *config, const char *key, bool array)
{
	cJSON *it = cJSON_GetObjectItemCaseSensitive(config, key);

	if (array ? cJSON_IsArray(it) : cJSON_IsObject(it))
		return it;
	it = array ? cJSON_CreateArray() : cJSON_CreateObject();
	set_item(config, key, it);
	return it;
}

static cJSON *strv_to_json(char *const *v)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; v && v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

/* ---- the config's environment ---- */

/* The value of name in Env, or NULL. */
static const char *env_get(const cJSON *config, const char *name, size_t len)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(config, "Env")) {
		const char *s = cJSON_GetStringValue(e);
		if (s && strncmp(s, name, len) == 0 && s[len] == '=')
			return s + len + 1;
	}
	return NULL;
}

static void env_set(cJSON *config, const char *name, const char *value)
{
	cJSON *env = get_container(config, "Env", true);
	cleanup_free char *kv = xasprintf("%s=%s", name, value);
	size_t len = strlen(name);
	cJSON *e;
	int i = 0;

	cJSON_ArrayForEach(e, env) {
		const char *s = cJSON_GetStringValue(e);
		if (s && strncmp(s, name, len) == 0 && s[len] == '=') {
			cJSON_ReplaceItemInArray(env, i, cJSON_CreateString(kv));
			return;
		}
		i++;
	}
	cJSON_AddItemToArray(env, cJSON_CreateString(kv));
}

/* ---- shell words ---- */

struct lexer {
	const char *p;
	const cJSON *config;	/* NULL: no expansion */
};

static bool is_name_start(char c)
{
	return isalpha((unsigned char) c) || c == '_';
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char) c) || c == '_';
}

static int expand_var(struct lexer *lx, struct sbuf *out, robbe_error **err);

/* The word after ":-" or ":+" inside ${...}, up to the closing brace. */
static int brace_word(struct lexer *lx, struct sbuf *out, robbe_error **err)
{
	while (*lx->p && *lx->p != '}') {
		if (*lx->p == '\\' && lx->p[1]) {
			sbuf_addc(out, lx->p[1]);
			lx->p += 2;
		} else if (*lx->p == '$') {
			if (expand_var(lx, out, err) < 0)
				return -1;
		} else {
			sbuf_addc(out, *lx->p++);
		}
	}
	if (*lx->p != '}')
		return robbe_error_set(err, 0, "missing '}' in variable substitution");
	lx->p++;
	return 0;
}

/* At '$': append the expansion.  A '$' not followed by a name stays. */
static int expand_var(struct lexer *lx, struct sbuf *out, robbe_error **err)
{
	const char *name;
	size_t len = 0;

	lx->p++;
	if (*lx->p == '{') {
		const char *val;
		lx->p++;
		name = lx->p;
		while (is_name_char(name[len]))
			len++;
		if (!len)
			return robbe_error_set(err, 0, "bad substitution: missing variable name in ${}");
		lx->p += len;
		val = env_get(lx->config, name, len);
		if (*lx->p == '}') {
			lx->p++;
			sbuf_adds(out, val ? val : "");
			return 0;
		}
		if (lx->p[0] == ':' && (lx->p[1] == '-' || lx->p[1] == '+')) {
			bool use_default = lx->p[1] == '-';
			struct sbuf word = SBUF_INIT;
			lx->p += 2;
			if (brace_word(lx, &word, err) < 0) {
				sbuf_release(&word);
				return -1;
			}
			if (use_default)
				sbuf_adds(out, val && *val ? val : sbuf_str(&word));
			else if (val && *val)
				sbuf_adds(out, sbuf_str(&word));
			sbuf_release(&word);
			return 0;
		}
		return robbe_error_set(err, 0, "unsupported modifier (%c) in substitution", *lx->p ? *lx->p : ' ');
	}
	if (!is_name_start(*lx->p)) {
		sbuf_addc(out, '$');
		return 0;
	}
	name = lx->p;
	while (is_name_char(name[len]))
		len++;
	lx->p += len;
	const char *val = env_get(lx->config, name, len);
	sbuf_adds(out, val ? val : "");
	return 0;
}

/* Read the next word (split at unquoted blanks when split is set, else
 * everything left is one word).  *out is NULL at the end of input. */
static int lex_word(struct lexer *lx, bool split, char **out, robbe_error **err)
{
	struct sbuf sb = SBUF_INIT;
	bool any = false;

	*out = NULL;
	while (*lx->p == ' ' || *lx->p == '\t')
		lx->p++;
	while (*lx->p && !(split && (*lx->p == ' ' || *lx->p == '\t'))) {
		char c = *lx->p;
		any = true;
		if (c == '\'') {
			const char *end = strchr(lx->p + 1, '\'');
			if (!end)
				goto unterminated;
			sbuf_add(&sb, lx->p + 1, (size_t) (end - lx->p - 1));
			lx->p = end + 1;
		} else if (c == '"') {
			lx->p++;
			while (*lx->p && *lx->p != '"') {
				if (*lx->p == '\\' && lx->p[1] && strchr("\"\\$", lx->p[1])) {
					sbuf_addc(&sb, lx->p[1]);
					lx->p += 2;
				} else if (*lx->p == '$' && lx->config) {
					if (expand_var(lx, &sb, err) < 0)
						goto fail;
				} else {
					sbuf_addc(&sb, *lx->p++);
				}
			}
			if (*lx->p != '"')
				goto unterminated;
			lx->p++;
		} else if (c == '\\' && lx->p[1]) {
			sbuf_addc(&sb, lx->p[1]);
			lx->p += 2;
		} else if (c == '$' && lx->config) {
			if (expand_var(lx, &sb, err) < 0)
				goto fail;
		} else {
			sbuf_addc(&sb, c);
			lx->p++;
		}
	}
	if (any)
		*out = sbuf_detach(&sb);
	sbuf_release(&sb);
	return 0;
unterminated:
	robbe_error_set(err, 0, "unexpected end of statement while looking for matching quote");
fail:
	sbuf_release(&sb);
	return -1;
}

/* All words of s. */
static int lex_words(const char *s, const cJSON *config, char ***out, robbe_error **err)
{
	struct lexer lx = { s, config };
	char **v = xcalloc(1, sizeof(char *));
	char *w;

	for (;;) {
		if (lex_word(&lx, true, &w, err) < 0) {
			strv_free(v);
			return -1;
		}
		if (!w)
			break;
		strv_push_take(&v, w);
	}
	*out = v;
	return 0;
}

/* JSON (exec) form: a JSON array of strings.  NULL if s is not one. */
static char **parse_json_form(const char *s)
{
	cleanup_cjson cJSON *j = NULL;
	const cJSON *it;
	char **v;

	if (*s != '[')
		return NULL;
	j = cJSON_Parse(s);
	if (!cJSON_IsArray(j))
		return NULL;
	cJSON_ArrayForEach(it, j)
		if (!cJSON_IsString(it))
			return NULL;
	v = xcalloc(1, sizeof(char *));
	cJSON_ArrayForEach(it, j)
		strv_push(&v, it->valuestring);
	return v;
}

/* ---- instructions ---- */

struct change_state {
	bool cmd_set;	/* CMD came earlier in these changes */
};

typedef int (*change_fn)(cJSON *config, const char *kw, const char *rest, struct change_state *st,
			 robbe_error **err);

/* CMD and ENTRYPOINT: exec form as given, shell form through /bin/sh -c. */
static char **command_form(const char *rest)
{
	char **v = parse_json_form(rest);

	if (v)
		return v;
	v = xcalloc(1, sizeof(char *));
	strv_push(&v, "/bin/sh");
	strv_push(&v, "-c");
	strv_push(&v, rest);
	return v;
}

static int change_cmd(cJSON *config, const char *kw, const char *rest, struct change_state *st, robbe_error **err)
{
	cleanup_strv char **argv = NULL;

	(void) kw;
	if (!*rest)
		return robbe_error_set(err, 0, "CMD requires at least one argument");
	argv = command_form(rest);
	set_item(config, "Cmd", strv_to_json(argv));
	st->cmd_set = true;
	return 0;
}

static int change_entrypoint(cJSON *config, const char *kw, const char *rest, struct change_state *st,
			     robbe_error **err)
{
	cleanup_strv char **argv = NULL;

	(void) kw;
	if (!*rest)
		return robbe_error_set(err, 0, "ENTRYPOINT requires at least one argument");
	argv = command_form(rest);
	/* `ENTRYPOINT []` clears it, as an empty exec form does in a build. */
	set_item(config, "Entrypoint", argv[0] ? strv_to_json(argv) : cJSON_CreateNull());
	/* A new entrypoint drops a Cmd that these changes did not set:
	 * the old Cmd was arguments for the old entrypoint. */
	if (!st->cmd_set)
		set_item(config, "Cmd", cJSON_CreateNull());
	return 0;
}

/* ENV and LABEL: key=value pairs, or the old "KEY value with spaces". */
static int name_values(const cJSON *config, const char *kw, const char *rest, char ***keys, char ***values,
		       robbe_error **err)
{
	cleanup_strv char **words = NULL;
	char **k = xcalloc(1, sizeof(char *)), **v = xcalloc(1, sizeof(char *));
	struct lexer lx = { rest, config };
	char *first = NULL;

	*keys = k;
	*values = v;
	if (lex_word(&lx, true, &first, err) < 0)
		return -1;
	if (!first)
		return robbe_error_set(err, 0, "%s requires at least one argument", kw);
	if (!strchr(first, '=')) {
		/* Legacy form: the rest of the line is the value. */
		char *val = NULL;
		if (lex_word(&lx, false, &val, err) < 0) {
			free(first);
			return -1;
		}
		if (!val) {
			free(first);
			return robbe_error_set(err, 0, "%s must have two arguments", kw);
		}
		strv_push_take(keys, first);
		strv_push_take(values, val);
		return 0;
	}
	free(first);
	if (lex_words(rest, config, &words, err) < 0)
		return -1;
	for (size_t i = 0; words[i]; i++) {
		char *eq = strchr(words[i], '=');
		if (!eq)
			return robbe_error_set(err, 0, "Syntax error - can't find = in \"%s\". Must be of the form: name=value",
					       words[i]);
		if (eq == words[i])
			return robbe_error_set(err, 0, "%s names can not be blank", kw);
		strv_push_take(keys, xstrndup(words[i], (size_t) (eq - words[i])));
		strv_push(values, eq + 1);
	}
	return 0;
}

static int change_env(cJSON *config, const char *kw, const char *rest, struct change_state *st, robbe_error **err)
{
	cleanup_strv char **keys = NULL;
	cleanup_strv char **values = NULL;

	(void) st;
	if (name_values(config, kw, rest, &keys, &values, err) < 0)
		return -1;
	for (size_t i = 0; keys[i]; i++)
		env_set(config, keys[i], values[i]);
	return 0;
}

static int change_label(cJSON *config, const char *kw, const char *rest, struct change_state *st, robbe_error **err)
{
	cleanup_strv char **keys = NULL;
	cleanup_strv char **values = NULL;

	(void) st;
	if (name_values(config, kw, rest, &keys, &values, err) < 0)
		return -1;
	for (size_t i = 0; keys[i]; i++) {
		cJSON *labels = get_container(config, "Labels", false);
		cJSON_DeleteItemFromObjectCaseSensitive(labels, keys[i]);
		cJSON_AddStringToObject(labels, keys[i], values[i]);
	}
	return 0;
}

static int parse_port(const char *s, size_t len, unsigned long *out)
{
	char buf[8];
	char *end;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char) buf[i]))
			return -1;
	errno = 0;
	*out = strtoul(buf, &end, 10);
	return errno || *out > 65535 ? -1 : 0;
}

/* "80", "80/udp", "8000-8010/tcp" */
static int add_exposed(cJSON *ports, const char *spec, robbe_error **err)
{
	const char *slash = strchr(spec, '/');
	size_t plen = slash ? (size_t) (slash - spec) : strlen(spec);
	cleanup_free char *proto = xstrdup(slash ? slash + 1 : "tcp");
	const char *dash = memchr(spec, '-', plen);
	unsigned long lo, hi;

	for (char *p = proto; *p; p++)
		*p = (char) tolower((unsigned char) *p);
	if (strcmp(proto, "tcp") && strcmp(proto, "udp") && strcmp(proto, "sctp"))
		return robbe_error_set(err, 0, "invalid proto: %s", proto);
	if (dash ? parse_port(spec, (size_t) (dash - spec), &lo) < 0 ||
			   parse_port(dash + 1, plen - (size_t) (dash - spec) - 1, &hi) < 0 || hi < lo
		 : parse_port(spec, plen, &lo) < 0)
		return robbe_error_set(err, 0, "invalid containerPort: %.*s", (int) plen, spec);
	if (!dash)
		hi = lo;
	for (unsigned long p = lo; p <= hi; p++) {
		cleanup_free char *key = xasprintf("%lu/%s", p, proto);
		if (!cJSON_GetObjectItemCaseSensitive(ports, key))
			cJSON_AddItemToObject(ports, key, cJSON_CreateObject());
	}
	return 0;
}

static int change_expose(cJSON *config, const char *kw, const char *rest, struct change_state *st,
			 robbe_error **err)
{
	cleanup_strv char **words = NULL;
	cleanup_cjson cJSON *ports = NULL;

	(void) kw;
	(void) st;
	if (lex_words(rest, config, &words, err) < 0)
		return -1;
	if (!words[0])
		return robbe_error_set(err, 0, "EXPOSE requires at least one argument");
	ports = cJSON_Duplicate(get_container(config, "ExposedPorts", false), 1);
	for (size_t i = 0; words[i]; i++)
		if (add_exposed(ports, words[i], err) < 0)
			return -1;
	set_item(config, "ExposedPorts", steal_pointer(&ports));
	return 0;
}

static int change_volume(cJSON *config, const char *kw, const char *rest, struct change_state *st,
			 robbe_error **err)
{
	cleanup_strv char **words = parse_json_form(rest);

	(void) kw;
	(void) st;
	if (!words && lex_words(rest, config, &words, err) < 0)
		return -1;
	if (!words[0])
		return robbe_error_set(err, 0, "VOLUME requires at least one argument");
	for (size_t i = 0; words[i]; i++) {
		cJSON *vols = get_container(config, "Volumes", false);
		size_t n = strlen(words[i]);
		while (n && (words[i][n - 1] == ' ' || words[i][n - 1] == '\t'))
			n--;
		if (!n)
			return robbe_error_set(err, 0, "VOLUME specified can not be an empty string");
		cleanup_free char *path = xstrndup(words[i], n);
		if (!cJSON_GetObjectItemCaseSensitive(vols, path))
			cJSON_AddItemToObject(vols, path, cJSON_CreateObject());
	}
	return 0;
}

/* One word, expanded: WORKDIR, USER, STOPSIGNAL. */
static int single_value(const cJSON *config, const char *kw, const char *rest, char **out, robbe_error **err)
{
	struct lexer lx = { rest, config };

	if (lex_word(&lx, false, out, err) < 0)
		return -1;
	if (!*out || !**out) {
		free(*out);
		*out = NULL;
		return robbe_error_set(err, 0, "%s requires exactly one argument", kw);
	}
	return 0;
}

/* Lexically clean an absolute path as Go's path.Clean does. */
static char *clean_abs_path(const char *p)
{
	char **parts = xcalloc(1, sizeof(char *));
	struct sbuf sb = SBUF_INIT;
	cleanup_free char *copy = xstrdup(p);
	char *save = NULL;

	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		size_t n = strv_len(parts);
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			if (n) {
				free(parts[n - 1]);
				parts[n - 1] = NULL;
			}
			continue;
		}
		strv_push(&parts, c);
	}
	for (size_t i = 0; parts[i]; i++)
		sbuf_addf(&sb, "/%s", parts[i]);
	if (!sb.len)
		sbuf_addc(&sb, '/');
	strv_free(parts);
	return sbuf_detach(&sb);
}

static int change_workdir(cJSON *config, const char *kw, const char *rest, struct change_state *st,
			  robbe_error **err)
{
	cleanup_free char *dir = NULL;
	cleanup_free char *joined = NULL;

	(void) st;
	if (single_value(config, kw, rest, &dir, err) < 0)
		return -1;
	if (dir[0] == '/') {
		joined = xstrdup(dir);
	} else {
		const char *cur = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(config, "WorkingDir"));
		joined = xasprintf("/%s/%s", cur ? cur : "", dir);
	}
	cleanup_free char *clean = clean_abs_path(joined);
	set_item(config, "WorkingDir", cJSON_CreateString(clean));
	return 0;
}

static int change_user(cJSON *config, const char *kw, const char *rest, struct change_state *st, robbe_error **err)
{
	cleanup_free char *user = NULL;

	(void) st;
	if (single_value(config, kw, rest, &user, err) < 0)
		return -1;
	set_item(config, "User", cJSON_CreateString(user));
	return 0;
}

static bool signal_valid(const char *s)
{
	static const char *const names[] = {
		"ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL",
		"PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
		"TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
	};
	char *end;

	if (isdigit((unsigned char) *s)) {
		unsigned long n = strtoul(s, &end, 10);
		return !*end && n > 0 && n <= 64;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	if (strncasecmp(s, "RTMIN", 5) == 0 || strncasecmp(s, "RTMAX", 5) == 0) {
		const char *t = s + 5;
		if (!*t)
			return true;
		if (*t != '+' && *t != '-')
			return false;
		strtoul(t + 1, &end, 10);
		return t[1] && !*end;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(s, names[i]) == 0)
			return true;
	return false;
}

static int change_stopsignal(cJSON *config, const char *kw, const char *rest, struct change_state *st,
			     robbe_error **err)
{
	cleanup_free char *sig = NULL;

	(void) st;
	if (single_value(config, kw, rest, &sig, err) < 0)
		return -1;
	if (!signal_valid(sig))
		return robbe_error_set(err, 0, "Invalid signal: %s", sig);
	set_item(config, "StopSignal", cJSON_CreateString(sig));
	return 0;
}

static int change_onbuild(cJSON *config, const char *kw, const char *rest, struct change_state *st,
			  robbe_error **err)
{
	size_t len = strcspn(rest, " \t");
	cleanup_free char *trigger = xstrndup(rest, len);
	const char *args = rest + len;

	(void) kw;
	(void) st;
	if (!len)
		return robbe_error_set(err, 0, "ONBUILD requires at least one argument");
	for (char *p = trigger; *p; p++)
		*p = (char) toupper((unsigned char) *p);
	if (!strcmp(trigger, "ONBUILD"))
		return robbe_error_set(err, 0, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
	if (!strcmp(trigger, "FROM") || !strcmp(trigger, "MAINTAINER"))
		return robbe_error_set(err, 0, "%s isn't allowed as an ONBUILD trigger", trigger);
	while (*args == ' ' || *args == '\t')
		args++;
	cleanup_free char *line = *args ? xasprintf("%s %s", trigger, args) : xstrdup(trigger);
	cJSON_AddItemToArray(get_container(config, "OnBuild", true), cJSON_CreateString(line));
	return 0;
}

/* Go's time.ParseDuration, for HEALTHCHECK options; nanoseconds. */
static int parse_go_duration(const char *s, int64_t *out)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	double total = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!strcmp(s, "0")) {
		*out = 0;
		return 0;
	}
	if (!*s)
		return -1;
	while (*s) {
		char *end;
		size_t best = 0, idx = 0;
		if (!isdigit((unsigned char) *s) && *s != '.')
			return -1;
		double v = strtod(s, &end);
		if (end == s)
			return -1;
		s = end;
		for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
			size_t n = strlen(units[i].unit);
			if (strncmp(s, units[i].unit, n) == 0 && n > best) {
				best = n;
				idx = i;
			}
		}
		if (!best)
			return -1;
		total += v * units[idx].ns;
		s += best;
	}
	if (total > 9.2e18)
		return -1;
	*out = (int64_t) (neg ? -total : total);
	return 0;
}

static int change_healthcheck(cJSON *config, const char *kw, const char *rest, struct change_state *st,
			      robbe_error **err)
{
	static const char *const dur_opts[][2] = {
		{ "interval", "Interval" },
		{ "timeout", "Timeout" },
		{ "start-period", "StartPeriod" },
		{ "start-interval", "StartInterval" },
	};
	cleanup_cjson cJSON *hc = cJSON_CreateObject();
	cleanup_cjson cJSON *opts = cJSON_CreateObject();
	const char *p = rest;
	size_t len;

	(void) kw;
	(void) st;
	/* Options come first: --name=value. */
	while (str_has_prefix(p, "--")) {
		len = strcspn(p, " \t");
		cleanup_free char *opt = xstrndup(p + 2, len - 2);
		char *eq = strchr(opt, '=');
		bool known = false;
		if (!eq)
			return robbe_error_set(err, 0, "HEALTHCHECK option --%s needs a value (--%s=VALUE)", opt, opt);
		*eq = '\0';
		for (size_t i = 0; i < ARRAY_SIZE(dur_opts); i++) {
			int64_t ns;
			if (strcmp(opt, dur_opts[i][0]) != 0)
				continue;
			known = true;
			if (parse_go_duration(eq + 1, &ns) < 0)
				return robbe_error_set(err, 0, "time: invalid duration \"%s\"", eq + 1);
			if (ns != 0 && ns < 1000000)
				return robbe_error_set(err, 0, "Interval \"%s\" cannot be less than 1ms", dur_opts[i][0]);
			if (ns < 0)
				return robbe_error_set(err, 0, "Interval \"%s\" cannot be negative", dur_opts[i][0]);
			cJSON_DeleteItemFromObjectCaseSensitive(opts, dur_opts[i][1]);
			cJSON_AddNumberToObject(opts, dur_opts[i][1], (double) ns);
		}
		if (!strcmp(opt, "retries")) {
			char *end;
			long n = strtol(eq + 1, &end, 10);
			known = true;
			if (!eq[1] || *end || n < 0)
				return robbe_error_set(err, 0, "--retries cannot be negative or invalid (%s)", eq + 1);
			cJSON_DeleteItemFromObjectCaseSensitive(opts, "Retries");
			cJSON_AddNumberToObject(opts, "Retries", (double) n);
		}
		if (!known)
			return robbe_error_set(err, 0, "Unknown flag: %s", opt);
		p += len;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	len = strcspn(p, " \t");
	cleanup_free char *type = xstrndup(p, len);
	const char *args = p + len;
	while (*args == ' ' || *args == '\t')
		args++;
	cJSON *test = cJSON_AddArrayToObject(hc, "Test");
	if (strcasecmp(type, "NONE") == 0) {
		if (*args || cJSON_GetArraySize(opts))
			return robbe_error_set(err, 0, "HEALTHCHECK NONE takes no arguments");
		cJSON_AddItemToArray(test, cJSON_CreateString("NONE"));
	} else if (strcasecmp(type, "CMD") == 0) {
		cleanup_strv char **argv = parse_json_form(args);
		if (!*args)
			return robbe_error_set(err, 0, "Missing command after HEALTHCHECK CMD");
		if (argv) {
			cJSON_AddItemToArray(test, cJSON_CreateString("CMD"));
			for (size_t i = 0; argv[i]; i++)
				cJSON_AddItemToArray(test, cJSON_CreateString(argv[i]));
		} else {
			cJSON_AddItemToArray(test, cJSON_CreateString("CMD-SHELL"));
			cJSON_AddItemToArray(test, cJSON_CreateString(args));
		}
	} else {
		return robbe_error_set(err, 0, "Unknown type \"%s\" in HEALTHCHECK (try CMD)", type);
	}
	while (opts->child) {
		cJSON *it = cJSON_DetachItemViaPointer(opts, opts->child);
		cJSON_AddItemToObject(hc, it->string, it);
	}
	set_item(config, "Healthcheck", steal_pointer(&hc));
	return 0;
}

static const struct {
	const char *name;
	change_fn fn;
} instructions[] = {
	{ "cmd", change_cmd },
	{ "entrypoint", change_entrypoint },
	{ "env", change_env },
	{ "expose", change_expose },
	{ "healthcheck", change_healthcheck },
	{ "label", change_label },
	{ "onbuild", change_onbuild },
	{ "stopsignal", change_stopsignal },
	{ "user", change_user },
	{ "volume", change_volume },
	{ "workdir", change_workdir },
};

/* Logical lines: backslash-newline continues a line; blank lines and
 * comments go. */
static char **logical_lines(char *const *changes)
{
	char **lines = xcalloc(1, sizeof(char *));
	struct sbuf cur = SBUF_INIT;
	struct sbuf all = SBUF_INIT;
	char *save = NULL;

	for (size_t i = 0; changes && changes[i]; i++)
		sbuf_addf(&all, "%s\n", changes[i]);
	if (!all.len)
		return lines;
	for (char *ln = strtok_r(all.buf, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(ln);
		const char *t = ln + strspn(ln, " \t\r");
		if (!cur.len && (!*t || *t == '#'))
			continue;
		while (n && (ln[n - 1] == ' ' || ln[n - 1] == '\t' || ln[n - 1] == '\r'))
			n--;
		if (n && ln[n - 1] == '\\') {
			sbuf_add(&cur, ln, n - 1);
			continue;
		}
		sbuf_add(&cur, ln, n);
		strv_push_take(&lines, sbuf_detach(&cur));
	}
	if (cur.len)
		strv_push_take(&lines, sbuf_detach(&cur));
	sbuf_release(&all);
	return lines;
}

static int apply_line(cJSON *config, const char *line, struct change_state *st, robbe_error **err)
{
	const char *p = line + strspn(line, " \t");
	size_t len = strcspn(p, " \t");
	cleanup_free char *kw = xstrndup(p, len);
	const char *rest = p + len;
	cleanup_free char *trimmed = NULL;
	size_t n;

	for (char *c = kw; *c; c++)
		*c = (char) tolower((unsigned char) *c);
	rest += strspn(rest, " \t");
	n = strlen(rest);
	while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
		n--;
	trimmed = xstrndup(rest, n);
	for (size_t i = 0; i < ARRAY_SIZE(instructions); i++) {
		if (strcmp(kw, instructions[i].name) == 0) {
			cleanup_free char *upper = xstrdup(kw);
			for (char *c = upper; *c; c++)
				*c = (char) toupper((unsigned char) *c);
			return instructions[i].fn(config, upper, trimmed, st, err);
		}
	}
	return robbe_error_set(err, 0, "%s is not a valid change command", kw);
}

int image_change_apply(cJSON *config, char *const *changes, robbe_error **err)
{
	cleanup_strv char **lines = logical_lines(changes);
	cleanup_cjson cJSON *work = cJSON_Duplicate(config, 1);
	struct change_state st = { 0 };

	if (!work)
		die_oom();
	/* Check every keyword before applying anything, as Docker does. */
	for (size_t i = 0; lines[i]; i++) {
		const char *p = lines[i] + strspn(lines[i], " \t");
		cleanup_free char *kw = xstrndup(p, strcspn(p, " \t"));
		bool known = false;
		for (char *c = kw; *c; c++)
			*c = (char) tolower((unsigned char) *c);
		for (size_t k = 0; k < ARRAY_SIZE(instructions); k++)
			known = known || strcmp(kw, instructions[k].name) == 0;
		if (!known)
			return robbe_error_set(err, 0, "%s is not a valid change command", kw);
	}
	for (size_t i = 0; lines[i]; i++)
		if (apply_line(work, lines[i], &st, err) < 0)
			return -1;
	order_keys(work);
	/* Swap the result in. */
	while (config->child)
		cJSON_Delete(cJSON_DetachItemViaPointer(config, config->child));
	while (work->child) {
		cJSON *it = cJSON_DetachItemViaPointer(work, work->child);
		cJSON_AddItemToObject(config, it->string, it);
	}
	return 0;
}
