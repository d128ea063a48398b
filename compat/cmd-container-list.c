/* cmd-container-list.c: `docker ps` (container ls/list/ps), and the pieces
 * of Docker's container formatting the other listing commands share.
 *
 * Rows are cJSON objects holding the strings Docker's ContainerContext
 * methods return (ID, Image, Command, CreatedAt, RunningFor, Ports, State,
 * Status, Size, Names, Labels, Mounts, LocalVolumes, Networks, Platform),
 * keys sorted as Go marshals them, so `--format json` is the row itself and
 * templates read the fields by name.  `.Label "k"` is a method hook.
 */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <string.h>
#include <time.h>

#include "compat/cmd-container-list.h"
#include "compat/format.h"
#include "compat/template-int.h"
#include "src/auth.h"
#include "src/container-inspect.h"
#include "src/network.h"
#include "src/reference.h"

/* ---- shared helpers --------------------------------------------------- */

char *ctrcmd_config_str(const struct cli_ctx *ctx, const char *key)
{
	cleanup_free char *path = ctx->g.config_dir ? xasprintf("%s/config.json", ctx->g.config_dir)
						    : auth_docker_config_path();
	cleanup_free char *text = NULL;
	cleanup_cjson cJSON *j = NULL;
	robbe_error *e = NULL;
	const cJSON *v;

	if (read_file_all(path, 4 * 1024 * 1024, &text, NULL, &e) < 0) {
		robbe_error_free(e);
		return NULL;
	}
	j = cJSON_Parse(text);
	v = cJSON_GetObjectItemCaseSensitive(j, key);
	return cJSON_IsString(v) && v->valuestring[0] ? xstrdup(v->valuestring) : NULL;
}

/* Length of the UTF-8 sequence at s (1 for a byte that starts none). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len = *s < 0x80 ? 1 : (*s >> 5) == 0x6 ? 2 : (*s >> 4) == 0xe ? 3 : (*s >> 3) == 0x1e ? 4 : 1;

	if (len > n)
		return 1;
	for (size_t k = 1; k < len; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 1;
	return len;
}

char *ctrcmd_ellipsis(const char *s, int max_width)
{
	size_t n = strlen(s), used = 0, cut = 0;
	int width = 0;

	if (max_width <= 0)
		return xstrdup("");
	if (max_width == 1)	/* Docker keeps the first character, no "…" */
		return xstrndup(s, n ? utf8_len((const unsigned char *) s, n) : 0);
	if ((int) display_width(s, n) <= max_width)
		return xstrdup(s);
	/* keep whole characters while they fit in max_width - 1 columns */
	while (used < n) {
		size_t l = utf8_len((const unsigned char *) s + used, n - used);
		int w = (int) display_width(s + used, l);
		if (width + w > max_width - 1)
			break;
		width += w;
		used += l;
		cut = used;
	}
	if (cut == 0 && max_width > 1)
		return xstrdup(s);	/* Docker gives up too when nothing fits */
	return xasprintf("%.*s…", (int) cut, s);
}

static const char *health_word(const struct store_container *c)
{
	cleanup_cjson cJSON *extra = container_state_extra(c);
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(extra, "Health");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(h, "Status");

	if (!cJSON_IsString(st))
		return NULL;
	if (strcmp(st->valuestring, "healthy") == 0)
		return "healthy";
	if (strcmp(st->valuestring, "unhealthy") == 0)
		return "unhealthy";
	if (strcmp(st->valuestring, "starting") == 0)
		return "health: starting";
	return NULL;
}

static char *ago(int64_t now_ns, int64_t then_ns)
{
	int64_t d = now_ns - then_ns;
	return human_duration(d > 0 ? d / 1000000000 : 0);
}

char *ctrcmd_status_text(const struct store_container *c, int64_t now_ns)
{
	cleanup_free char *up = NULL;
	const char *health;

	switch (c->state) {
	case STORE_STATE_RUNNING:
		up = ago(now_ns, c->started_at);
		health = health_word(c);
		if (health)
			return xasprintf("Up %s (%s)", up, health);
		return xasprintf("Up %s", up);
	case STORE_STATE_PAUSED:
		up = ago(now_ns, c->started_at);
		return xasprintf("Up %s (Paused)", up);
	case STORE_STATE_RESTARTING:
		up = ago(now_ns, c->finished_at);
		return xasprintf("Restarting (%d) %s ago", c->exit_code, up);
	case STORE_STATE_REMOVING:
		return xstrdup("Removal In Progress");
	case STORE_STATE_DEAD:
		return xstrdup("Dead");
	default:
		break;
	}
	if (c->started_at == 0)
		return xstrdup("Created");
	if (c->finished_at == 0)
		return xstrdup("");
	up = ago(now_ns, c->finished_at);
	return xasprintf("Exited (%d) %s ago", c->exit_code, up);
}

char *ctrcmd_command_text(const cJSON *config)
{
	const cJSON *path = cJSON_GetObjectItemCaseSensitive(config, "Path");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(config, "Args");
	struct sbuf sb = SBUF_INIT;
	const cJSON *a;

	sbuf_adds(&sb, cJSON_IsString(path) ? path->valuestring : "");
	cJSON_ArrayForEach(a, args) {
		if (!cJSON_IsString(a))
			continue;
		if (strchr(a->valuestring, ' '))
			sbuf_addf(&sb, " '%s'", a->valuestring);
		else
			sbuf_addf(&sb, " %s", a->valuestring);
	}
	return sbuf_detach(&sb);
}

/* ---- ports ------------------------------------------------------------ */

struct port {
	unsigned priv, pub;
	const char *type;
	const char *ip;	/* "" when not published */
};

static int port_cmp(const void *a, const void *b)
{
	const struct port *x = a, *y = b;
	int r;

	if (x->priv != y->priv)
		return x->priv < y->priv ? -1 : 1;
	if ((r = strcmp(x->ip, y->ip)) != 0)
		return r;
	if (x->pub != y->pub)
		return x->pub < y->pub ? -1 : 1;
	return strcmp(x->type, y->type);
}

static void join_host_port(struct sbuf *sb, const char *ip, const char *port)
{
	if (strchr(ip, ':'))
		sbuf_addf(sb, "[%s]:%s", ip, port);
	else
		sbuf_addf(sb, "%s:%s", ip, port);
}

struct port_group {
	char *key;	/* "tcp" or "<ip>/tcp" */
	unsigned first, last;
};

static void form_group(struct sbuf *out, const struct port_group *g)
{
	const char *slash = strrchr(g->key, '/');
	cleanup_free char *ip = slash ? xstrndup(g->key, (size_t) (slash - g->key)) : NULL;
	const char *type = slash ? slash + 1 : g->key;
	cleanup_free char *range = g->first == g->last ? xasprintf("%u", g->first)
						       : xasprintf("%u-%u", g->first, g->last);

	if (out->len)
		sbuf_adds(out, ", ");
	if (ip && *ip) {
		join_host_port(out, ip, range);
		sbuf_addf(out, "->%s", range);
	} else {
		sbuf_adds(out, range);
	}
	sbuf_addf(out, "/%s", type);
}

char *ctrcmd_ports_text(const cJSON *ports)
{
	struct port *v = NULL;
	size_t n = 0;
	struct port_group *groups = NULL;
	size_t ng = 0;
	struct sbuf result = SBUF_INIT, hosts = SBUF_INIT;
	const cJSON *p;

	/* Flatten {"80/tcp": [{"HostIp": .., "HostPort": ..}] | null} */
	cJSON_ArrayForEach(p, ports) {
		char *end;
		unsigned long priv;
		const char *slash;
		const cJSON *b;

		if (!p->string)
			continue;
		priv = strtoul(p->string, &end, 10);
		slash = strchr(p->string, '/');
		if (end == p->string)
			continue;
		if (!cJSON_IsArray(p) || cJSON_GetArraySize(p) == 0) {
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = (struct port){ (unsigned) priv, 0, slash ? slash + 1 : "tcp", "" };
			continue;
		}
		cJSON_ArrayForEach(b, p) {
			const cJSON *ip = cJSON_GetObjectItemCaseSensitive(b, "HostIp");
			const cJSON *hp = cJSON_GetObjectItemCaseSensitive(b, "HostPort");
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = (struct port){ (unsigned) priv,
						cJSON_IsString(hp) ? (unsigned) strtoul(hp->valuestring, NULL, 10) : 0,
						slash ? slash + 1 : "tcp", cJSON_IsString(ip) ? ip->valuestring : "" };
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), port_cmp);
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *key = NULL;
		size_t g;

		if (*v[i].ip) {
			if (v[i].pub != v[i].priv) {
				char pub[16];
				snprintf(pub, sizeof(pub), "%u", v[i].pub);
				if (hosts.len)
					sbuf_adds(&hosts, ", ");
				join_host_port(&hosts, v[i].ip, pub);
				sbuf_addf(&hosts, "->%u/%s", v[i].priv, v[i].type);
				continue;
			}
			key = xasprintf("%s/%s", v[i].ip, v[i].type);
		} else {
			key = xstrdup(v[i].type);
		}
		for (g = 0; g < ng; g++)
			if (strcmp(groups[g].key, key) == 0)
				break;
		if (g == ng) {
			groups = xrealloc(groups, (ng + 1) * sizeof(*groups));
			groups[ng++] = (struct port_group){ steal_pointer(&key), v[i].priv, v[i].priv };
			continue;
		}
		if (v[i].priv == groups[g].last + 1) {
			groups[g].last = v[i].priv;
			continue;
		}
		/* a gap: the group so far is done, a new one starts here */
		form_group(&result, &groups[g]);
		groups[g].first = groups[g].last = v[i].priv;
	}
	for (size_t g = 0; g < ng; g++) {
		form_group(&result, &groups[g]);
		free(groups[g].key);
	}
	if (hosts.len) {
		if (result.len)
			sbuf_adds(&result, ", ");
		sbuf_add(&result, hosts.buf, hosts.len);
	}
	sbuf_release(&hosts);
	free(groups);
	free(v);
	return sbuf_detach(&result);
}

/* ---- filters ---------------------------------------------------------- */

static char *trim_dup(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

void ctrcmd_filters_parse(char *const *list, struct ctrcmd_filters *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; list && list[i]; i++) {
		const char *eq = strchr(list[i], '=');
		char *key;
		if (!eq)
			continue;	/* the option's validator refused it already */
		key = trim_dup(list[i], (size_t) (eq - list[i]));
		for (char *k = key; *k; k++)
			if (*k >= 'A' && *k <= 'Z')
				*k = (char) (*k - 'A' + 'a');
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n++] = (struct ctrcmd_filter){ key, trim_dup(eq + 1, strlen(eq + 1)) };
	}
}

void ctrcmd_filters_release(struct ctrcmd_filters *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].key);
		free(f->v[i].value);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

int ctrcmd_filters_check(const struct ctrcmd_filters *f, const char *const *accepted, robbe_error **err)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strv_contains((char *const *) accepted, f->v[i].key))
			return robbe_error_set(err, EXIT_GENERAL, "invalid filter '%s'", f->v[i].key);
	return 0;
}

bool ctrcmd_filters_has(const struct ctrcmd_filters *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, key) == 0)
			return true;
	return false;
}

bool ctrcmd_filters_match_labels(const struct ctrcmd_filters *f, const char *key, const cJSON *labels)
{
	if (!ctrcmd_filters_has(f, key))
		return true;
	if (!cJSON_IsObject(labels) || !labels->child)
		return false;
	for (size_t i = 0; i < f->n; i++) {
		const char *eq;
		cleanup_free char *k = NULL;
		const cJSON *v;

		if (strcmp(f->v[i].key, key) != 0)
			continue;
		eq = strchr(f->v[i].value, '=');
		k = eq ? xstrndup(f->v[i].value, (size_t) (eq - f->v[i].value)) : xstrdup(f->v[i].value);
		v = cJSON_GetObjectItemCaseSensitive(labels, k);
		if (!v)
			return false;
		if (eq && (!cJSON_IsString(v) || strcmp(v->valuestring, eq + 1) != 0))
			return false;
	}
	return true;
}

/* filters.Args.Match: true when key is unused, or some value equals
 * source or matches it as an (unanchored) regular expression. */
bool ctrcmd_filters_match(const struct ctrcmd_filters *f, const char *key, const char *source)
{
	bool used = false;

	for (size_t i = 0; i < f->n; i++) {
		regex_t re;
		bool hit;

		if (strcmp(f->v[i].key, key) != 0)
			continue;
		used = true;
		if (strcmp(f->v[i].value, source) == 0)
			return true;
		if (regcomp(&re, f->v[i].value, REG_EXTENDED | REG_NOSUB) != 0)
			continue;	/* Docker skips values that do not compile */
		hit = regexec(&re, source, 0, NULL, 0) == 0;
		regfree(&re);
		if (hit)
			return true;
	}
	return !used;
}

bool ctrcmd_filters_exact(const struct ctrcmd_filters *f, const char *key, const char *source)
{
	bool used = false;

	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].key, key) != 0)
			continue;
		used = true;
		if (strcmp(f->v[i].value, source) == 0)
			return true;
	}
	return !used;
}

/* ---- ps ----------------------------------------------------------------- */

static const char *const ps_filter_keys[] = {
	"ancestor", "before", "exited", "id", "isolation", "label", "name", "status", "health",
	"since", "volume", "network", "is-task", "publish", "expose", NULL,
};

static const char *const state_words[] = {
	"created", "running", "paused", "restarting", "removing", "exited", "dead", NULL,
};

struct ps_query {
	struct ctrcmd_filters f;
	bool all;
	int64_t limit;
	bool size;
	int *exited;		/* exit codes of exited= */
	size_t n_exited;
	char **ancestors;	/* image IDs of ancestor= */
	bool ancestor_filter;
	char *before, *since;	/* container IDs */
	bool is_task_filter, is_task;
};

static void ps_query_release(struct ps_query *q)
{
	if (!q)
		return;
	ctrcmd_filters_release(&q->f);
	free(q->exited);
	strv_free(q->ancestors);
	free(q->before);
	free(q->since);
}

/* before= and since= name a container by full ID or by name, never by a
 * prefix of its ID. */
static int id_or_name(struct container_env *env, const char *value, char **id, robbe_error **err)
{
	cleanup_store_container struct store_container *c = NULL;
	robbe_error *e = NULL;
	const char *name = value[0] == '/' ? value + 1 : value;

	if (container_lookup(env, value, &c, &e) == 0 && (strcmp(c->id, value) == 0 || strcmp(c->name, name) == 0)) {
		*id = xstrdup(c->id);
		return 0;
	}
	robbe_error_free(e);
	return robbe_error_set(err, EXIT_GENERAL, "No such container: %s", value);
}

static bool valid_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True", NULL };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False", NULL };

	if (strv_contains((char *const *) yes, v))
		return *out = true, true;
	if (strv_contains((char *const *) no, v))
		return *out = false, true;
	return false;
}

static int ps_fold_filters(struct container_env *env, struct ps_query *q, robbe_error **err)
{
	if (ctrcmd_filters_check(&q->f, ps_filter_keys, err) < 0)
		return -1;
	for (size_t i = 0; i < q->f.n; i++) {
		const char *k = q->f.v[i].key, *v = q->f.v[i].value;

		if (strcmp(k, "exited") == 0) {
			char *end;
			long code;
			errno = 0;
			code = strtol(v, &end, 10);
			if (!*v || *end || errno)
				return robbe_error_set(err, EXIT_GENERAL,
						       "invalid filter 'exited=%s': strconv.Atoi: parsing \"%s\": %s", v, v,
						       errno == ERANGE ? "value out of range" : "invalid syntax");
			q->exited = xrealloc(q->exited, (q->n_exited + 1) * sizeof(*q->exited));
			q->exited[q->n_exited++] = (int) code;
		} else if (strcmp(k, "status") == 0) {
			if (!strv_contains((char *const *) state_words, v))
				return robbe_error_set(err, EXIT_GENERAL,
						       "invalid filter 'status=%s': invalid value for state (%s): must be one of created, running, paused, restarting, removing, exited, dead",
						       v, v);
			q->all = true;
		} else if (strcmp(k, "health") == 0) {
			static const char *const words[] = { "starting", "healthy", "unhealthy", "none", NULL };
			if (!strv_contains((char *const *) words, v))
				return robbe_error_set(err, EXIT_GENERAL,
						       "invalid filter 'health=%s': invalid value for health (%s): must be one of starting, healthy, unhealthy, none",
						       v, v);
		} else if (strcmp(k, "is-task") == 0) {
			if (!valid_bool(v, &q->is_task))
				return robbe_error_set(err, EXIT_GENERAL, "invalid filter 'is-task=[%s]'", v);
			q->is_task_filter = true;
		} else if (strcmp(k, "before") == 0) {
			free(q->before);
			q->before = NULL;
			if (id_or_name(env, v, &q->before, err) < 0)
				return -1;
		} else if (strcmp(k, "since") == 0) {
			free(q->since);
			q->since = NULL;
			if (id_or_name(env, v, &q->since, err) < 0)
				return -1;
		} else if (strcmp(k, "ancestor") == 0) {
			cleanup_store_image struct store_image *img = NULL;
			robbe_error *e = NULL;
			q->ancestor_filter = true;
			/* Docker only logs an image it cannot find: nothing matches it */
			if (image_resolve(env->store, v, &img, &e) == 0)
				strv_push(&q->ancestors, img->id);
			robbe_error_free(e);
		} else if (strcmp(k, "publish") == 0 || strcmp(k, "expose") == 0) {
			if (strchr(v, ':'))
				return robbe_error_set(err, EXIT_GENERAL, "filter for '%s' should not contain ':': %s", k, v);
		}
	}
	return 0;
}

static bool mounts_match(const struct ctrcmd_filters *f, const cJSON *mounts)
{
	if (!ctrcmd_filters_has(f, "volume"))
		return true;
	for (size_t i = 0; i < f->n; i++) {
		const cJSON *m;
		if (strcmp(f->v[i].key, "volume") != 0)
			continue;
		cJSON_ArrayForEach(m, mounts) {
			const char *name = container_config_str(m, NULL, "Name");
			const char *src = container_config_str(m, NULL, "Source");
			const char *dst = container_config_str(m, NULL, "Destination");
			const char *key = name && *name ? name : src;
			if ((dst && strcmp(dst, f->v[i].value) == 0) || (key && strcmp(key, f->v[i].value) == 0))
				return true;
		}
	}
	return false;
}

static bool networks_match(const struct ctrcmd_filters *f, const cJSON *networks)
{
	if (!ctrcmd_filters_has(f, "network"))
		return true;
	for (size_t i = 0; i < f->n; i++) {
		const cJSON *n;
		if (strcmp(f->v[i].key, "network") != 0)
			continue;
		if (cJSON_GetObjectItemCaseSensitive(networks, f->v[i].value))
			return true;
		cJSON_ArrayForEach(n, networks) {
			const char *id = container_config_str(n, NULL, "NetworkID");
			if (id && str_has_prefix(id, f->v[i].value))
				return true;
		}
	}
	return false;
}

static bool ports_match(const struct ps_query *q, const cJSON *ports, bool running)
{
	bool any = ctrcmd_filters_has(&q->f, "publish") || ctrcmd_filters_has(&q->f, "expose");
	const cJSON *p;

	if (!any)
		return true;
	if (!running)
		return false;
	cJSON_ArrayForEach(p, ports) {
		const char *slash = p->string ? strchr(p->string, '/') : NULL;
		const char *proto = slash ? slash + 1 : "tcp";
		const cJSON *b;
		for (size_t i = 0; i < q->f.n; i++) {
			const char *k = q->f.v[i].key, *v = q->f.v[i].value;
			const char *vs = strchr(v, '/');
			const char *vproto = vs ? vs + 1 : "tcp";
			unsigned long lo, hi;
			char *end;
			bool pub = strcmp(k, "publish") == 0;

			if (!pub && strcmp(k, "expose") != 0)
				continue;
			if (strcmp(vproto, proto) != 0)
				continue;
			lo = strtoul(v, &end, 10);
			hi = *end == '-' ? strtoul(end + 1, NULL, 10) : lo;
			if (!pub) {
				unsigned long priv = strtoul(p->string, NULL, 10);
				if (priv >= lo && priv <= hi)
					return true;
				continue;
			}
			cJSON_ArrayForEach(b, p) {
				const char *hp = container_config_str(b, NULL, "HostPort");
				unsigned long h = hp ? strtoul(hp, NULL, 10) : 0;
				if (hp && h >= lo && h <= hi)
					return true;
			}
		}
	}
	return false;
}

enum ps_verdict { PS_EXCLUDE, PS_INCLUDE, PS_STOP };

/* daemon/list.go's includeContainerInList, in its order. */
static enum ps_verdict ps_include(struct ps_query *q, const struct store_container *c, const cJSON *config,
				  size_t shown)
{
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(config, "Config");
	const cJSON *hc = cJSON_GetObjectItemCaseSensitive(config, "HostConfig");
	const cJSON *ns = cJSON_GetObjectItemCaseSensitive(config, "NetworkSettings");
	bool running = container_is_active(c) || c->state == STORE_STATE_RESTARTING;
	cleanup_free char *slashed = xasprintf("/%s", c->name);
	const char *iso = container_config_str(hc, NULL, "Isolation");
	cleanup_free char *isolation = xstrdup(iso && *iso ? iso : "default");
	const char *health;

	if (q->before) {
		if (strcmp(c->id, q->before) == 0) {
			free(q->before);
			q->before = NULL;
		}
		return PS_EXCLUDE;
	}
	if (q->since && strcmp(c->id, q->since) == 0)
		return PS_STOP;
	if (!running && !q->all && q->limit <= 0)
		return PS_EXCLUDE;
	if (!ctrcmd_filters_match(&q->f, "name", slashed) && !ctrcmd_filters_match(&q->f, "name", c->name))
		return PS_EXCLUDE;
	if (!ctrcmd_filters_match(&q->f, "id", c->id))
		return PS_EXCLUDE;
	if (q->is_task_filter && q->is_task)
		return PS_EXCLUDE;	/* robbe runs no swarm tasks */
	if (!ctrcmd_filters_match_labels(&q->f, "label", cJSON_GetObjectItemCaseSensitive(cfg, "Labels")))
		return PS_EXCLUDE;
	for (char *p = isolation; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char) (*p - 'A' + 'a');
	if (!ctrcmd_filters_match(&q->f, "isolation", isolation))
		return PS_EXCLUDE;
	if (q->limit > 0 && (int64_t) shown == q->limit)
		return PS_STOP;
	if (q->n_exited > 0) {
		bool ok = false;
		for (size_t i = 0; i < q->n_exited; i++)
			if (q->exited[i] == c->exit_code && !running && c->started_at != 0)
				ok = true;
		if (!ok)
			return PS_EXCLUDE;
	}
	if (!ctrcmd_filters_match(&q->f, "status", container_status_word(c->state)))
		return PS_EXCLUDE;
	health = health_word(c);
	if (!ctrcmd_filters_exact(&q->f, "health", !health ? "none" : str_has_prefix(health, "health: ") ? health + 8 : health))
		return PS_EXCLUDE;
	if (!mounts_match(&q->f, cJSON_GetObjectItemCaseSensitive(config, "Mounts")))
		return PS_EXCLUDE;
	if (q->ancestor_filter && !strv_contains(q->ancestors, c->image_id))
		return PS_EXCLUDE;
	if (!networks_match(&q->f, cJSON_GetObjectItemCaseSensitive(ns, "Networks")))
		return PS_EXCLUDE;
	if (!ports_match(q, cJSON_GetObjectItemCaseSensitive(ns, "Ports"), running))
		return PS_EXCLUDE;
	return PS_INCLUDE;
}

/* stringid.TruncateID: what follows a "sha256:" prefix, cut to 12. */
static char *truncate_id(const char *id)
{
	const char *colon = strchr(id, ':');
	return xstrndup(colon ? colon + 1 : id, 12);
}

/* The image reference the container shows: what the user typed while it
 * still names the container's image, else the image ID (daemon side);
 * then Docker's client shortening unless --no-trunc. */
static char *ps_image(struct store *s, const struct store_container *c, const char *typed, bool trunc)
{
	cleanup_free char *image = NULL;
	cleanup_reference struct reference *ref = NULL;
	robbe_error *e = NULL;

	if (!typed || !*typed)
		typed = c->image_id ? c->image_id : "";
	if (c->image_id && strcmp(typed, c->image_id) != 0) {
		/* Does the name still point at the container's image?  Asked
		 * once per name and image: most containers share a few. */
		static char *memo_typed, *memo_id;
		static bool memo_same;

		if (!memo_typed || strcmp(memo_typed, typed) || strcmp(memo_id, c->image_id)) {
			cleanup_store_image struct store_image *img = NULL;

			free(memo_typed);
			free(memo_id);
			memo_typed = xstrdup(typed);
			memo_id = xstrdup(c->image_id);
			memo_same = image_resolve(s, typed, &img, &e) == 0 && strcmp(img->id, c->image_id) == 0;
			robbe_error_free(e);
			e = NULL;
		}
		if (!memo_same)
			typed = c->image_id;
	}
	image = xstrdup(typed);
	if (!*image)
		return xstrdup("<no image>");
	if (!trunc)
		return steal_pointer(&image);
	{
		cleanup_free char *t1 = truncate_id(c->image_id ? c->image_id : "");
		cleanup_free char *t2 = truncate_id(image);
		if (strcmp(t1, t2) == 0)
			return steal_pointer(&t1);
	}
	if (reference_parse(image, &ref, &e) == 0) {
		if (ref->tag) {
			reference_set_digest(ref, NULL);
			return reference_familiar_string(ref);
		}
		return reference_familiar_name(ref);
	}
	robbe_error_free(e);
	return steal_pointer(&image);
}

/* Go's time.Time.String() of whole seconds in the local zone:
 * "2024-05-01 12:34:56 +0200 CEST". */
static char *go_local_time(int64_t ns)
{
	time_t secs = (time_t) (ns / 1000000000);
	struct tm tm;
	char buf[96];

	localtime_r(&secs, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %z %Z", &tm);
	return xstrdup(buf);
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static char *labels_text(const cJSON *labels)
{
	cleanup_strv char **v = NULL;
	struct sbuf sb = SBUF_INIT;
	const cJSON *l;
	size_t n;

	cJSON_ArrayForEach(l, labels)
		strv_push_take(&v, xasprintf("%s=%s", l->string, cJSON_IsString(l) ? l->valuestring : ""));
	n = strv_len(v);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_strp);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_addc(&sb, ',');
		sbuf_adds(&sb, v[i]);
	}
	return sbuf_detach(&sb);
}

struct ps_row_opts {
	bool trunc;
	bool size;
	int64_t now;
};

/* One row: the strings of Docker's ContainerContext methods. */
static int ps_row(struct store *s, const struct store_container *c, const cJSON *config,
		  const struct ps_row_opts *o, cJSON **out, robbe_error **err)
{
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(config, "Config");
	const cJSON *ns = cJSON_GetObjectItemCaseSensitive(config, "NetworkSettings");
	const cJSON *mounts = cJSON_GetObjectItemCaseSensitive(config, "Mounts");
	const cJSON *networks = cJSON_GetObjectItemCaseSensitive(ns, "Networks");
	bool running = container_is_active(c) || c->state == STORE_STATE_RESTARTING;
	cleanup_free char *cmd = ctrcmd_command_text(config);
	cleanup_free char *image = ps_image(s, c, container_config_str(cfg, NULL, "Image"), o->trunc);
	cleanup_free char *created_at = go_local_time(c->created);
	cleanup_free char *running_for = NULL, *status = NULL, *ports = NULL, *labels = NULL;
	cleanup_free char *srw = NULL, *sv = NULL, *size = NULL;
	struct container_size sz = { 0, 0 };
	struct sbuf quoted = SBUF_INIT, mnt = SBUF_INIT, nets = SBUF_INIT;
	const cJSON *m;
	int local = 0;
	int64_t created_s = c->created / 1000000000;
	cJSON *row;

	if (o->size && container_size_get(s, c, config, &sz, err) < 0)
		return -1;
	srw = human_size_prec((double) sz.rw, 3);
	sv = human_size_prec((double) sz.root_fs, 3);
	size = sz.root_fs > 0 ? xasprintf("%s (virtual %s)", srw, sv) : xstrdup(srw);
	{
		int64_t d = o->now - created_s * 1000000000;
		cleanup_free char *h = human_duration(d > 0 ? d / 1000000000 : 0);
		running_for = xasprintf("%s ago", h);
	}
	status = ctrcmd_status_text(c, o->now);
	/* Docker drops the port list of a container that stopped */
	ports = running ? ctrcmd_ports_text(cJSON_GetObjectItemCaseSensitive(ns, "Ports")) : xstrdup("");
	labels = labels_text(cJSON_GetObjectItemCaseSensitive(cfg, "Labels"));
	if (o->trunc) {
		cleanup_free char *cut = ctrcmd_ellipsis(cmd, 20);
		gofmt_quote(&quoted, cut, strlen(cut), false);
	} else {
		gofmt_quote(&quoted, cmd, strlen(cmd), false);
	}
	cJSON_ArrayForEach(m, mounts) {
		const char *name = container_config_str(m, NULL, "Name");
		const char *driver = container_config_str(m, NULL, "Driver");
		if (!name || !*name)
			name = container_config_str(m, NULL, "Source");
		if (mnt.len)
			sbuf_addc(&mnt, ',');
		if (o->trunc) {
			cleanup_free char *cut = ctrcmd_ellipsis(name ? name : "", 15);
			sbuf_adds(&mnt, cut);
		} else {
			sbuf_adds(&mnt, name ? name : "");
		}
		if (driver && strcmp(driver, "local") == 0)
			local++;
	}
	cJSON_ArrayForEach(m, networks) {
		if (nets.len)
			sbuf_addc(&nets, ',');
		sbuf_adds(&nets, m->string);
	}

	row = cJSON_CreateObject();
	cJSON_AddStringToObject(row, "Command", sbuf_str(&quoted));
	cJSON_AddStringToObject(row, "CreatedAt", created_at);
	if (o->trunc) {
		cleanup_free char *id = xstrndup(c->id, 12);
		cJSON_AddStringToObject(row, "ID", id);
	} else {
		cJSON_AddStringToObject(row, "ID", c->id);
	}
	cJSON_AddStringToObject(row, "Image", image);
	cJSON_AddStringToObject(row, "Labels", labels);
	{
		char n[16];
		snprintf(n, sizeof(n), "%d", local);
		cJSON_AddStringToObject(row, "LocalVolumes", n);
	}
	cJSON_AddStringToObject(row, "Mounts", sbuf_str(&mnt));
	cJSON_AddStringToObject(row, "Names", c->name);
	cJSON_AddStringToObject(row, "Networks", sbuf_str(&nets));
	cJSON_AddNullToObject(row, "Platform");
	cJSON_AddStringToObject(row, "Ports", ports);
	cJSON_AddStringToObject(row, "RunningFor", running_for);
	cJSON_AddStringToObject(row, "Size", size);
	cJSON_AddStringToObject(row, "State", container_status_word(c->state));
	cJSON_AddStringToObject(row, "Status", status);
	sbuf_release(&quoted);
	sbuf_release(&mnt);
	sbuf_release(&nets);
	*out = row;
	return 0;
}

/* `.Label "k"`: the label's value in a row, its title in the header. */
struct ps_method_ctx {
	bool header;
	const cJSON *labels;	/* of the row being rendered */
	bool saw_size;		/* the template reads .Size */
};

static cJSON *ps_method(void *ud, const cJSON *dot, const char *name, cJSON *const *args, int nargs,
			robbe_error **err)
{
	struct ps_method_ctx *m = ud;
	const cJSON *v;

	(void) dot;
	if (strcmp(name, "Size") == 0)
		m->saw_size = true;
	if (strcmp(name, "Label") != 0)
		return NULL;
	if (nargs != 1 || !cJSON_IsString(args[0])) {
		robbe_error_set(err, EXIT_GENERAL, "wrong number of args for Label: want 1 got %d", nargs);
		return NULL;
	}
	if (m->header)
		return format_label_title(args[0]->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(m->labels, args[0]->valuestring);
	return cJSON_CreateString(cJSON_IsString(v) ? v->valuestring : "");
}

static cJSON *ps_headers(void)
{
	static const char *const h[][2] = {
		{ "ID", "CONTAINER ID" }, { "Names", "NAMES" }, { "Image", "IMAGE" }, { "Command", "COMMAND" },
		{ "CreatedAt", "CREATED AT" }, { "RunningFor", "CREATED" }, { "Ports", "PORTS" },
		{ "State", "STATE" }, { "Status", "STATUS" }, { "Size", "SIZE" }, { "Labels", "LABELS" },
		{ "Mounts", "MOUNTS" }, { "LocalVolumes", "LOCAL VOLUMES" }, { "Networks", "NETWORKS" },
		{ "Platform", "PLATFORM" },
	};

	return format_headers(h, ARRAY_SIZE(h), NULL);
}

#define PS_TABLE "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"
#define PS_RAW "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\n" \
	       "state: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\n"             \
	       "labels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n"

/* Docker's NewContainerFormat. */
static char *ps_format(const char *source, bool quiet, bool size)
{
	if (!source || !*source || strcmp(source, "table") == 0) {
		if (quiet)
			return xstrdup("{{.ID}}");
		return xstrdup(size ? PS_TABLE "\t{{.Size}}" : PS_TABLE);
	}
	if (strcmp(source, "raw") == 0) {
		if (quiet)
			return xstrdup("container_id: {{.ID}}");
		return xstrdup(size ? PS_RAW "size: {{.Size}}\\n" : PS_RAW);
	}
	if (quiet)
		return xstrdup("{{.ID}}");
	return xstrdup(source);
}

/* Check a user's template the way Docker does before listing (against an
 * empty row), and tell whether it reads .Size. */
static int ps_check_template(const char *format, bool *uses_size, robbe_error **err)
{
	struct ps_method_ctx m = { 0 };
	struct tmpl_options o = { .missing = TMPL_MISSING_ERROR, .method = ps_method, .method_ud = &m };
	struct store_container empty = { .id = (char *) "", .name = (char *) "", .config_json = (char *) "{}" };
	struct ps_row_opts ro = { .trunc = true };
	cleanup_cjson cJSON *config = cJSON_CreateObject();
	cleanup_cjson cJSON *row = NULL;
	struct sbuf sb = SBUF_INIT;
	struct tmpl *t = NULL;
	robbe_error *e = NULL;
	int r = 0;

	if (tmpl_parse(format, &t, &e) < 0) {
		robbe_error_set(err, EXIT_GENERAL, "failed to parse template: %s", e->msg);
		robbe_error_free(e);
		return -1;
	}
	/* no store needed: an empty record has no image to resolve or size */
	if (ps_row(NULL, &empty, config, &ro, &row, err) < 0) {
		tmpl_free(t);
		return -1;
	}
	if (tmpl_execute(t, row, &o, &sb, &e) < 0) {
		/* Docker's rows are Go structs: an unknown field reads as Go says it */
		const char *miss = strstr(e->msg, "map has no entry for key \"");
		if (miss) {
			const char *name = miss + strlen("map has no entry for key \"");
			const char *q = strchr(name, '"');
			r = robbe_error_set(err, EXIT_GENERAL,
					    "failed to execute template: %.*scan't evaluate field %.*s in type *formatter.ContainerContext",
					    (int) (miss - e->msg), e->msg, (int) (q ? q - name : (long) strlen(name)), name);
		} else {
			r = robbe_error_set(err, EXIT_GENERAL, "failed to execute template: %s", e->msg);
		}
		robbe_error_free(e);
	}
	*uses_size = m.saw_size;
	sbuf_release(&sb);
	tmpl_free(t);
	return r;
}

static void cleanup_formatterp(struct formatter **f)
{
	formatter_free(*f);
}

int cmd_container_ls(struct cli_ctx *ctx, robbe_error **err)
{
	const struct opts_result *o = ctx->opts;
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container_list struct store_container **list = NULL;
	cleanup_free char *config_format = NULL, *format = NULL;
	cleanup_cjson cJSON *headers = ps_headers();
	__attribute__((cleanup(ps_query_release))) struct ps_query q = { 0 };
	__attribute__((cleanup(cleanup_formatterp))) struct formatter *f = NULL;
	__attribute__((cleanup(network_settings_cache_release))) struct network_settings_cache netcache = { 0 };
	struct ps_method_ctx mctx = { 0 };
	struct tmpl_options topts = { .missing = TMPL_MISSING_DEFAULT, .method = ps_method, .method_ud = &mctx };
	struct ps_row_opts ro = { .trunc = !opts_bool(o, "no-trunc") };
	const char *user_format = opts_str(o, "format");
	bool quiet = opts_bool(o, "quiet"), json_lines;
	size_t shown = 0;

	if (!user_format || !*user_format) {
		config_format = ctrcmd_config_str(ctx, "psFormat");
		user_format = config_format;
	} else if (quiet) {
		fputs("WARNING: Ignoring custom format, because both --format and --quiet are set.\n", stderr);
	}
	q.all = opts_bool(o, "all");
	q.limit = opts_int(o, "last");
	q.size = opts_bool(o, "size");
	if (opts_bool(o, "latest") && q.limit == -1)
		q.limit = 1;
	if (user_format && *user_format) {
		bool uses_size = false;
		if (ps_check_template(user_format, &uses_size, err) < 0)
			return -1;
		if (!quiet && !q.size && !opts_changed(o, "size") && uses_size)
			q.size = true;
	}
	ctrcmd_filters_parse(opts_list(o, "filter"), &q.f);
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (ps_fold_filters(env, &q, err) < 0 || container_list(env, &list, err) < 0 ||
	    network_settings_cache_load(env->store, &netcache, err) < 0)
		return cli_daemon_error(err);

	format = ps_format(user_format, quiet, q.size);
	json_lines = strcmp(format, "json") == 0;
	if (!json_lines && formatter_new(format, NULL, headers, &topts, &f, err) < 0)
		return -1;
	ro.size = q.size;
	ro.now = container_now_ns();
	for (size_t i = 0; list[i]; i++) {
		cleanup_cjson cJSON *config = container_config(list[i]);
		cleanup_cjson cJSON *row = NULL;
		enum ps_verdict v;
		cJSON *ns = NULL;

		/* Networks and ports as they are now (the attachments), for
		 * the PORTS and NETWORKS columns and the network, publish and
		 * expose filters. */
		if (network_settings_json_cached(env->store, &netcache, list[i], config, &ns, err) < 0)
			return cli_daemon_error(err);
		cJSON_DeleteItemFromObjectCaseSensitive(config, "NetworkSettings");
		cJSON_AddItemToObject(config, "NetworkSettings", ns);
		v = ps_include(&q, list[i], config, shown);

		if (v == PS_STOP)
			break;
		if (v == PS_EXCLUDE)
			continue;
		shown++;
		if (ps_row(env->store, list[i], config, &ro, &row, err) < 0)
			return -1;
		if (json_lines) {
			/* Docker marshals the row itself, HTML-escaped */
			cleanup_free char *line = json_encode_go(row, false, true);
			printf("%s\n", line);
			continue;
		}
		mctx.labels = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "Config"),
							       "Labels");
		if (formatter_row(f, row, err) < 0)
			return -1;
	}
	mctx.labels = NULL;
	mctx.header = true;
	if (json_lines)
		return fflush(stdout) == 0 ? 0 : robbe_error_errno(err, errno, "writing output");
	return formatter_flush(f, stdout, err);
}
