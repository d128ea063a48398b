/* cmd-network-cmds.c: the handlers of `network create | ls | inspect | rm |
 * prune | connect | disconnect` and Podman's `network exists`.  Thin:
 * options in, src/network.h does the work, Docker's output and words out. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "compat/cli.h"
#include "compat/cmd-container-list.h"
#include "compat/cmd-volume.h"
#include "compat/format.h"
#include "src/network.h"

static int net_env(struct cli_ctx *ctx, struct container_env **env, robbe_error **err)
{
	return cli_container_env(ctx, env, err);
}

/* ---- create -------------------------------------------------------------------- */

int cmd_network_create(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_network struct store_network *n = NULL;
	const struct opts_result *o = ctx->opts;
	const char *scope = opts_str(o, "scope");
	struct network_create_opts c = {
		.name = ctx->argv[0],
		.driver = opts_str(o, "driver"),
		.subnets = opts_list(o, "subnet"),
		.gateways = opts_list(o, "gateway"),
		.ip_ranges = opts_list(o, "ip-range"),
		.aux_addresses = opts_list(o, "aux-address"),
		.ipam_driver = opts_str(o, "ipam-driver"),
		.ipam_options = opts_list(o, "ipam-opt"),
		.internal = opts_bool(o, "internal"),
		.ipv4_set = opts_changed(o, "ipv4"),
		.ipv4 = opts_bool(o, "ipv4"),
		.ipv6 = opts_bool(o, "ipv6"),
		.attachable = opts_bool(o, "attachable"),
		.labels = opts_list(o, "label"),
		.options = opts_list(o, "opt"),
	};

	if (opts_bool(o, "ingress") || opts_bool(o, "config-only") || (opts_str(o, "config-from") && *opts_str(o, "config-from")) ||
	    (scope && *scope && strcmp(scope, "local"))) {
		robbe_error_set(err, EXIT_GENERAL,
				"This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to "
				"connect this node to swarm and try again.");
		return cli_daemon_error(err);
	}
	if (net_env(ctx, &env, err) < 0)
		return -1;
	if (network_create(env, &c, &n, err) < 0)
		return (*err)->errnum == EINVAL ? -1 : cli_daemon_error(err);
	printf("%s\n", n->id);
	return 0;
}

/* ---- exists (Podman) --------------------------------------------------------------- */

int cmd_network_exists(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_network struct store_network *n = NULL;
	robbe_error *e = NULL;

	if (net_env(ctx, &env, err) < 0)
		return -1;
	if (network_lookup(env, ctx->argv[0], &n, &e) == 0)
		return 0;
	if (e->errnum == ENOENT) {
		robbe_error_free(e);
		return 1;
	}
	*err = e;
	return -1;
}

/* ---- inspect ------------------------------------------------------------------------ */

int cmd_network_inspect(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_cjson cJSON *arr = cJSON_CreateArray();
	cleanup_sbuf struct sbuf errors = SBUF_INIT;

	if (net_env(ctx, &env, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		cleanup_store_network struct store_network *n = NULL;
		robbe_error *e = NULL;
		cJSON *obj = NULL;

		if (network_lookup(env, ctx->argv[i], &n, &e) < 0 || network_inspect_json(env, n, &obj, &e) < 0) {
			if (e->errnum != ENOENT) {
				*err = e;
				return cli_daemon_error(err);
			}
			if (errors.len)
				sbuf_addc(&errors, '\n');
			sbuf_addf(&errors, "Error response from daemon: %s", e->msg);
			robbe_error_free(e);
			continue;
		}
		cJSON_AddItemToArray(arr, obj);
	}
	return format_inspect_finish(opts_str(ctx->opts, "format"), arr, &errors, err);
}

/* ---- ls ---------------------------------------------------------------------------- */

static const char *const ls_filter_keys[] = { "dangling", "driver", "id", "label", "name", "scope", "type", NULL };

/* Go's time.Time.String() in the local zone: "2024-05-01 12:34:56.123 +0200 CEST". */
static char *go_time_string(int64_t ns)
{
	time_t secs = (time_t) (ns / 1000000000);
	int64_t frac = ns % 1000000000;
	struct tm tm;
	char date[64], zone[64], digits[16] = "";
	int len;

	localtime_r(&secs, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z %Z", &tm);
	if (frac) {
		len = snprintf(digits, sizeof(digits), ".%09lld", (long long) frac);
		while (len > 1 && digits[len - 1] == '0')
			digits[--len] = '\0';
	}
	return xasprintf("%s%s %s", date, digits, zone);
}

struct ls_item {
	struct store_network *n;
	cJSON *config;
	bool used;	/* a running container is attached */
};

/* Docker's network list row (its JSON is the row itself). */
static cJSON *ls_row(const struct ls_item *it, bool trunc)
{
	cJSON *o = cJSON_CreateObject();
	const cJSON *labels = network_labels(it->config);
	cleanup_free char *created = go_time_string(it->n->created);
	cleanup_sbuf struct sbuf lb = SBUF_INIT;
	const cJSON *l;

	cJSON_ArrayForEach(l, labels) {
		if (lb.len)
			sbuf_addc(&lb, ',');
		sbuf_addf(&lb, "%s=%s", l->string, cJSON_IsString(l) ? l->valuestring : "");
	}
	cJSON_AddStringToObject(o, "CreatedAt", created);
	cJSON_AddStringToObject(o, "Driver", it->n->driver ? it->n->driver : "bridge");
	if (trunc) {
		cleanup_free char *id = xstrndup(it->n->id, 12);
		cJSON_AddStringToObject(o, "ID", id);
	} else {
		cJSON_AddStringToObject(o, "ID", it->n->id);
	}
	cJSON_AddStringToObject(o, "IPv4",
				cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(it->config, "EnableIPv4")) ? "false" : "true");
	cJSON_AddStringToObject(o, "IPv6",
				cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it->config, "EnableIPv6")) ? "true" : "false");
	cJSON_AddStringToObject(o, "Internal",
				cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it->config, "Internal")) ? "true" : "false");
	cJSON_AddStringToObject(o, "Labels", sbuf_str(&lb));
	cJSON_AddStringToObject(o, "Name", it->n->name);
	cJSON_AddStringToObject(o, "Scope", "local");
	return o;
}

static cJSON *ls_headers(void)
{
	static const char *const h[][2] = {
		{ "ID", "NETWORK ID" }, { "Name", "NAME" },	  { "Driver", "DRIVER" },
		{ "Scope", "SCOPE" },	{ "IPv4", "IPV4" },	  { "IPv6", "IPV6" },
		{ "Internal", "INTERNAL" }, { "Labels", "LABELS" }, { "CreatedAt", "CREATED AT" },
	};

	return format_headers(h, ARRAY_SIZE(h), FORMAT_HEADER_MARK);
}

struct ls_method_ctx {
	struct ls_item *items;
	size_t n;
};

/* `.Label "k"`: the value on a row, the title in the header. */
static cJSON *ls_method(void *ud, const cJSON *dot, const char *name, cJSON *const *args, int nargs, robbe_error **err)
{
	struct ls_method_ctx *m = ud;
	const cJSON *row_id = cJSON_GetObjectItemCaseSensitive(dot, "ID");
	const char *key;

	if (strcmp(name, "Label"))
		return NULL;
	if (nargs != 1 || !cJSON_IsString(args[0])) {
		robbe_error_set(err, EXIT_GENERAL, "wrong number of args for Label: want 1 got %d", nargs);
		return NULL;
	}
	key = args[0]->valuestring;
	if (cJSON_GetObjectItemCaseSensitive(dot, FORMAT_HEADER_MARK))
		return format_label_title(key);
	for (size_t i = 0; i < m->n; i++) {
		if (!cJSON_IsString(row_id) || !str_has_prefix(m->items[i].n->id, row_id->valuestring))
			continue;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(network_labels(m->items[i].config), key);
		return cJSON_CreateString(cJSON_IsString(v) ? v->valuestring : "");
	}
	return cJSON_CreateString("");
}

static char *ls_format(struct cli_ctx *ctx, bool quiet)
{
	const char *user = opts_str(ctx->opts, "format");
	cleanup_free char *fmt = NULL;

	if (user && *user)
		fmt = xstrdup(user);
	else if (!quiet)
		fmt = ctrcmd_config_str(ctx, "networksFormat");
	if (!fmt)
		fmt = xstrdup("table");
	if (!strcmp(fmt, "table"))
		return xstrdup(quiet ? "{{.ID}}" : "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}");
	if (!strcmp(fmt, "raw"))
		return xstrdup(quiet ? "network_id: {{.ID}}"
				     : "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n");
	/* -q with a custom format prints the IDs, as Docker's quiet does. */
	if (quiet)
		return xstrdup("{{.ID}}");
	return steal_pointer(&fmt);
}

static int cmp_items(const void *x, const void *y)
{
	const struct ls_item *a = x, *b = y;

	if (volume_name_less(a->n->name, b->n->name))
		return -1;
	return volume_name_less(b->n->name, a->n->name) ? 1 : 0;
}

int cmd_network_ls(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_network_list struct store_network **list = NULL;
	cleanup_cjson cJSON *headers = ls_headers();
	cleanup_free char *format = NULL;
	__attribute__((cleanup(ctrcmd_filters_release))) struct ctrcmd_filters f = { 0 };
	struct ls_item *items = NULL;
	size_t n = 0, kept = 0;
	bool quiet = opts_bool(ctx->opts, "quiet"), trunc = !opts_bool(ctx->opts, "no-trunc");
	struct formatter *fm = NULL;
	int rc = -1;
	int dangling = -1;

	ctrcmd_filters_parse(opts_list(ctx->opts, "filter"), &f);
	if (ctrcmd_filters_check(&f, ls_filter_keys, err) < 0)
		return cli_daemon_error(err);
	for (size_t i = 0; i < f.n; i++) {
		if (!strcmp(f.v[i].key, "dangling")) {
			const char *v = f.v[i].value;
			if (dangling != -1) {
				robbe_error_set(err, EXIT_GENERAL, "got more than one value for filter key \"dangling\"");
				return cli_daemon_error(err);
			}
			if (!strcmp(v, "1") || !strcmp(v, "true"))
				dangling = 1;
			else if (!strcmp(v, "0") || !strcmp(v, "false"))
				dangling = 0;
			else {
				robbe_error_set(err, EXIT_GENERAL,
						"invalid value for filter 'dangling', must be \"true\" (or \"1\"), or \"false\" (or \"0\")");
				return cli_daemon_error(err);
			}
		} else if (!strcmp(f.v[i].key, "type") && strcmp(f.v[i].value, "custom") && strcmp(f.v[i].value, "builtin")) {
			robbe_error_set(err, EXIT_GENERAL, "invalid filter: 'type'='%s'", f.v[i].value);
			return cli_daemon_error(err);
		}
	}
	if (net_env(ctx, &env, err) < 0)
		return -1;
	if (network_list(env, &list, err) < 0)
		return cli_daemon_error(err);
	n = strv_len((char **) list);
	items = xcalloc(n + 1, sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		struct ls_item it = { list[i], network_config(list[i]), false };
		bool predefined = network_is_predefined(it.n->name);
		bool keep = ctrcmd_filters_exact(&f, "driver", it.n->driver ? it.n->driver : "") &&
			    ctrcmd_filters_match(&f, "name", it.n->name) && ctrcmd_filters_match(&f, "id", it.n->id) &&
			    ctrcmd_filters_match_labels(&f, "label", network_labels(it.config)) &&
			    ctrcmd_filters_exact(&f, "scope", "local");

		if (keep && ctrcmd_filters_has(&f, "type"))
			keep = ctrcmd_filters_exact(&f, "type", predefined ? "builtin" : "custom");
		if (keep && dangling != -1) {
			if (network_in_use(env, it.n, &it.used, err) < 0) {
				cJSON_Delete(it.config);
				goto out;
			}
			keep = dangling ? !predefined && !it.used : predefined || it.used;
		}
		if (!keep) {
			cJSON_Delete(it.config);
			continue;
		}
		items[kept++] = it;
	}
	qsort(items, kept, sizeof(*items), cmp_items);

	format = ls_format(ctx, quiet);
	{
		struct ls_method_ctx m = { items, kept };
		struct tmpl_options topts = { .method = ls_method, .method_ud = &m };

		if (formatter_new(format, NULL, headers, &topts, &fm, err) < 0)
			goto out;
		for (size_t i = 0; i < kept; i++) {
			cleanup_cjson cJSON *row = ls_row(&items[i], trunc);
			if (formatter_row(fm, row, err) < 0)
				goto out;
		}
		rc = formatter_flush(fm, stdout, err);
	}
out:
	formatter_free(fm);
	for (size_t i = 0; i < kept; i++)
		cJSON_Delete(items[i].config);
	free(items);
	return rc;
}

/* ---- rm --------------------------------------------------------------------------------- */

int cmd_network_rm(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	bool force = opts_bool(ctx->opts, "force");
	int status = 0;

	if (net_env(ctx, &env, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		robbe_error *e = NULL;

		if (network_remove(env, ctx->argv[i], &e) < 0) {
			if (!(force && e->errnum == ENOENT)) {
				fprintf(stderr, "Error response from daemon: %s\n", e->msg);
				fflush(stderr);
				status = 1;
			}
			robbe_error_free(e);
			continue;
		}
		printf("%s\n", ctx->argv[i]);
		fflush(stdout);
	}
	/* Docker's rm ends with a StatusError worded this way. */
	if (status)
		return robbe_error_set(err, EXIT_GENERAL, "exit status %d", status);
	return 0;
}

/* ---- prune --------------------------------------------------------------------------------- */

/* prune's label and label! filters (daemon/prune.go's matchLabels). */
static bool prune_labels_match(const struct ctrcmd_filters *f, const cJSON *labels)
{
	if (!ctrcmd_filters_match_labels(f, "label", labels))
		return false;
	for (size_t i = 0; i < f->n; i++) {
		const char *eq;
		cleanup_free char *k = NULL;
		const cJSON *v;

		if (strcmp(f->v[i].key, "label!"))
			continue;
		eq = strchr(f->v[i].value, '=');
		k = eq ? xstrndup(f->v[i].value, (size_t) (eq - f->v[i].value)) : xstrdup(f->v[i].value);
		v = cJSON_GetObjectItemCaseSensitive(labels, k);
		if (v && (!eq || (cJSON_IsString(v) && !strcmp(v->valuestring, eq + 1))))
			return false;
	}
	return true;
}

int netcmd_prune(struct cli_ctx *ctx, char *const *filters, struct sbuf *deleted, robbe_error **err)
{
	static const char *const keys[] = { "label", "label!", "until", NULL };
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_network_list struct store_network **list = NULL;
	__attribute__((cleanup(ctrcmd_filters_release))) struct ctrcmd_filters f = { 0 };
	int64_t until = 0;

	ctrcmd_filters_parse(filters, &f);
	if (ctrcmd_filters_check(&f, keys, err) < 0)
		return cli_daemon_error(err);
	for (size_t i = 0; i < f.n; i++)
		if (!strcmp(f.v[i].key, "until") &&
		    ctrcmd_parse_timestamp(f.v[i].value, container_now_ns(), &until, err) < 0)
			return cli_daemon_error(err);
	if (net_env(ctx, &env, err) < 0)
		return -1;
	if (network_list(env, &list, err) < 0)
		return cli_daemon_error(err);
	for (size_t i = 0; list[i]; i++) {
		cleanup_cjson cJSON *config = network_config(list[i]);
		robbe_error *e = NULL;
		bool used;

		if (network_is_predefined(list[i]->name))
			continue;
		if (until && list[i]->created >= until)
			continue;
		if (!prune_labels_match(&f, network_labels(config)))
			continue;
		if (network_in_use(env, list[i], &used, &e) < 0 || used) {
			robbe_error_free(e);
			continue;
		}
		if (network_remove(env, list[i]->id, &e) < 0) {
			robbe_error_free(e);
			continue;
		}
		sbuf_addf(deleted, "%s\n", list[i]->name);
	}
	return 0;
}

int cmd_network_prune(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_sbuf struct sbuf deleted = SBUF_INIT;

	if (!opts_bool(ctx->opts, "force") &&
	    !cli_confirm("WARNING! This will remove all custom networks not used by at least one container.\n"
			 "Are you sure you want to continue?"))
		return 0;
	if (netcmd_prune(ctx, opts_list(ctx->opts, "filter"), &deleted, err) < 0)
		return -1;
	if (deleted.len)
		printf("Deleted Networks:\n%s\n", sbuf_str(&deleted));
	fflush(stdout);
	return 0;
}

/* ---- connect, disconnect ------------------------------------------------------------------- */

int cmd_network_connect(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	const struct opts_result *o = ctx->opts;
	char *const *dopts = opts_list(o, "driver-opt");
	struct network_endpoint_opts ep = {
		.aliases = opts_list(o, "alias"),
		.ipv4 = opts_str(o, "ip"),
		.ipv6 = opts_str(o, "ip6"),
	};

	for (size_t i = 0; dopts[i]; i++) {
		const char *eq = strchr(dopts[i], '=');
		if (!eq || eq == dopts[i])
			return robbe_error_set(err, EXIT_GENERAL, "invalid key/value pair format in driver options");
	}
	if (opts_list(o, "link")[0] || opts_list(o, "link-local-ip")[0] || dopts[0] || opts_int(o, "gw-priority")) {
		const char *flag = opts_list(o, "link")[0] ? "--link" : opts_list(o, "link-local-ip")[0] ? "--link-local-ip"
								    : dopts[0]		      ? "--driver-opt"
											      : "--gw-priority";
		return robbe_error_set(err, EXIT_GENERAL, "the %s option is not supported by robbe yet", flag);
	}
	if (net_env(ctx, &env, err) < 0)
		return -1;
	if (network_connect(env, ctx->argv[0], ctx->argv[1], &ep, err) < 0)
		return cli_daemon_error(err);
	return 0;
}

int cmd_network_disconnect(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;

	if (net_env(ctx, &env, err) < 0)
		return -1;
	if (network_disconnect(env, ctx->argv[0], ctx->argv[1], opts_bool(ctx->opts, "force"), err) < 0)
		return cli_daemon_error(err);
	return 0;
}
