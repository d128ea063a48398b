/* cmd-volume.c: the handlers of `volume create | ls | inspect | rm | prune`
 * and Podman's `volume exists`.  Thin: options in, src/volume.h does the
 * work, Docker's output and words out. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "compat/cmd-volume.h"
#include "compat/format.h"
#include "src/auth.h"
#include "src/volume.h"
#include "store/store.h"

static int volume_store(struct cli_ctx *ctx, struct store **s, const struct robbe_paths **p, robbe_error **err)
{
	if (cli_store(ctx, s, err) < 0 || cli_paths(ctx, p, err) < 0)
		return -1;
	return 0;
}

/* ---- create ----------------------------------------------------------------- */

int cmd_volume_create(struct cli_ctx *ctx, robbe_error **err)
{
	static const char *const cluster_opts[] = { "group", "scope", "sharing", "availability", "type",
						    "limit-bytes", "required-bytes" };
	const char *name = opts_str(ctx->opts, "name");
	cleanup_store_volume struct store_volume *v = NULL;
	const struct robbe_paths *p;
	struct store *s;

	if (ctx->argc == 1) {
		if (name && *name)
			return robbe_error_set(err, EXIT_GENERAL,
					       "conflicting options: cannot specify a volume-name through both --name and as a positional arg");
		name = ctx->argv[0];
	}
	/* Options of cluster volumes make a Swarm request. */
	for (size_t i = 0; i < ARRAY_SIZE(cluster_opts); i++)
		if (opts_changed(ctx->opts, cluster_opts[i])) {
			robbe_error_set(err, EXIT_GENERAL,
					"This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");
			return cli_daemon_error(err);
		}
	if (volume_store(ctx, &s, &p, err) < 0)
		return -1;
	struct volume_create_opts o = {
		.name = name,
		.driver = opts_str(ctx->opts, "driver"),
		.labels = opts_list(ctx->opts, "label"),
		.options = opts_list(ctx->opts, "opt"),
	};
	if (volume_create(s, p, &o, &v, NULL, err) < 0)
		return cli_daemon_error(err);
	printf("%s\n", v->name);
	return 0;
}

/* ---- exists ----------------------------------------------------------------- */

int cmd_volume_exists(struct cli_ctx *ctx, robbe_error **err)
{
	const struct robbe_paths *p;
	struct store *s;
	bool exists;

	if (volume_store(ctx, &s, &p, err) < 0 || volume_exists(s, ctx->argv[0], &exists, err) < 0)
		return -1;
	return exists ? 0 : 1;
}

/* ---- inspect ------------------------------------------------------------------ */

int cmd_volume_inspect(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_cjson cJSON *arr = cJSON_CreateArray();
	cleanup_sbuf struct sbuf errors = SBUF_INIT;
	const struct robbe_paths *p;
	struct store *s;

	if (volume_store(ctx, &s, &p, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		cleanup_store_volume struct store_volume *v = NULL;
		robbe_error *e = NULL;

		if (volume_get(s, ctx->argv[i], &v, &e) < 0) {
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
		cJSON_AddItemToArray(arr, volume_inspect_json(v));
	}
	return format_inspect_finish(opts_str(ctx->opts, "format"), arr, &errors, err);
}

/* ---- ls ---------------------------------------------------------------------- */

bool volume_name_less(const char *a, const char *b)
{
	size_t i = 0, j = 0, la = strlen(a), lb = strlen(b);

	while (i < la && j < lb) {
		bool da = a[i] >= '0' && a[i] <= '9', db = b[j] >= '0' && b[j] <= '9';
		if (da != db)
			return da;	/* digits sort before everything else */
		if (!da) {
			if (a[i] != b[j])
				return (unsigned char) a[i] < (unsigned char) b[j];
			i++, j++;
			continue;
		}
		/* Two numbers: by value, then the one with fewer leading zeros. */
		size_t za = i, zb = j;
		while (i < la && a[i] == '0')
			i++;
		while (j < lb && b[j] == '0')
			j++;
		size_t sa = i, sb = j;
		while (i < la && a[i] >= '0' && a[i] <= '9')
			i++;
		while (j < lb && b[j] >= '0' && b[j] <= '9')
			j++;
		if (i - sa != j - sb)
			return i - sa < j - sb;
		int c = strncmp(a + sa, b + sb, i - sa);
		if (c)
			return c < 0;
		if (sa - za != sb - zb)
			return sa - za < sb - zb;
	}
	return la - i < lb - j;
}

static int cmp_volumes(const void *x, const void *y)
{
	const struct store_volume *a = *(struct store_volume *const *) x, *b = *(struct store_volume *const *) y;
	if (volume_name_less(a->name, b->name))
		return -1;
	return volume_name_less(b->name, a->name) ? 1 : 0;
}

/* A list row: the fields of Docker's volume context, keys sorted as its
 * JSON has them. */
static cJSON *volume_row(const struct store_volume *v)
{
	cJSON *o = cJSON_CreateObject();
	cleanup_cjson cJSON *labels = volume_labels(v);
	struct sbuf sb = SBUF_INIT;

	for (const cJSON *l = labels ? labels->child : NULL; l; l = l->next) {
		if (sb.len)
			sbuf_addc(&sb, ',');
		sbuf_addf(&sb, "%s=%s", l->string, cJSON_IsString(l) ? l->valuestring : "");
	}
	cJSON_AddStringToObject(o, "Availability", "N/A");
	cJSON_AddStringToObject(o, "Driver", v->driver ? v->driver : VOLUME_DRIVER_LOCAL);
	cJSON_AddStringToObject(o, "Group", "N/A");
	cJSON_AddStringToObject(o, "Labels", sbuf_str(&sb));
	cJSON_AddStringToObject(o, "Links", "N/A");
	cJSON_AddStringToObject(o, "Mountpoint", v->mountpoint);
	cJSON_AddStringToObject(o, "Name", v->name);
	cJSON_AddStringToObject(o, "Scope", "local");
	cJSON_AddStringToObject(o, "Size", "N/A");
	cJSON_AddStringToObject(o, "Status", "N/A");
	sbuf_release(&sb);
	return o;
}

static cJSON *volume_headers(void)
{
	static const char *const h[][2] = {
		{ "ID", "ID" },	{ "Name", "VOLUME NAME" }, { "Group", "GROUP" },
		{ "Driver", "DRIVER" }, { "Scope", "SCOPE" }, { "Availability", "AVAILABILITY" },
		{ "Mountpoint", "MOUNTPOINT" }, { "Labels", "LABELS" }, { "Links", "LINKS" },
		{ "Size", "SIZE" }, { "Status", "STATUS" }, { "CreatedAt", "CREATED AT" },
	};

	return format_headers(h, ARRAY_SIZE(h), FORMAT_HEADER_MARK);
}

/* .Label "k" (and .CreatedAt, which Docker's list lacks) on a row; the
 * titles in the header pass. */
static cJSON *volume_method(void *ud, const cJSON *dot, const char *name, cJSON *const *args, int nargs,
			    robbe_error **err)
{
	struct store_volume *const *vols = ud;
	bool header = cJSON_GetObjectItemCaseSensitive(dot, FORMAT_HEADER_MARK) != NULL;
	const cJSON *row_name = cJSON_GetObjectItemCaseSensitive(dot, "Name");
	const struct store_volume *v = NULL;

	if (strcmp(name, "Label") != 0 && strcmp(name, "CreatedAt") != 0)
		return NULL;
	if (!header) {
		if (!cJSON_IsString(row_name) || !cJSON_GetObjectItemCaseSensitive(dot, "Mountpoint"))
			return NULL;
		for (size_t i = 0; vols && vols[i] && !v; i++)
			if (strcmp(vols[i]->name, row_name->valuestring) == 0)
				v = vols[i];
		if (!v)
			return NULL;
	}
	if (strcmp(name, "CreatedAt") == 0) {
		if (header)
			return NULL;
		if (nargs) {
			robbe_error_set(err, 0, "wrong number of args for CreatedAt: want 0 got %d", nargs);
			return NULL;
		}
		char *t = volume_format_time(v->created);
		cJSON *r = cJSON_CreateString(t);
		free(t);
		return r;
	}
	if (nargs != 1 || !cJSON_IsString(args[0])) {
		robbe_error_set(err, 0, "wrong number of args for Label: want 1 got %d", nargs);
		return NULL;
	}
	const char *key = args[0]->valuestring;
	if (header)
		return format_label_title(key);
	cleanup_cjson cJSON *labels = volume_labels(v);
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(labels, key);
	return cJSON_CreateString(cJSON_IsString(l) ? l->valuestring : "");
}

/* The format to use: --format, else volumesFormat of the CLI config (not
 * with -q), else the table; then Docker's special words. */
static char *list_format(struct cli_ctx *ctx, bool quiet, bool cluster)
{
	const char *user = opts_str(ctx->opts, "format");
	cleanup_free char *format = NULL;

	if (user && *user && !cluster) {
		format = xstrdup(user);
	} else if (cluster) {
		format = xstrdup(quiet ? "table" : "table {{.Name}}\t{{.Group}}\t{{.Driver}}\t{{.Availability}}\t{{.Status}}");
	} else {
		cleanup_free char *path = ctx->g.config_dir ? xasprintf("%s/config.json", ctx->g.config_dir)
							    : auth_docker_config_path();
		cleanup_free char *text = NULL;
		cleanup_cjson cJSON *j = NULL;
		robbe_error *e = NULL;
		const cJSON *f = NULL;

		if (!quiet && read_file_all(path, 4 * 1024 * 1024, &text, NULL, &e) == 0) {
			j = cJSON_Parse(text);
			f = cJSON_GetObjectItemCaseSensitive(j, "volumesFormat");
		}
		robbe_error_free(e);
		format = xstrdup(cJSON_IsString(f) && f->valuestring[0] ? f->valuestring : "table");
	}
	if (strcmp(format, "table") == 0)
		return xstrdup(quiet ? "{{.Name}}" : "table {{.Driver}}\t{{.Name}}");
	if (strcmp(format, "raw") == 0)
		return xstrdup(quiet ? "name: {{.Name}}" : "name: {{.Name}}\\ndriver: {{.Driver}}\\n");
	return steal_pointer(&format);
}

int cmd_volume_ls(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_store_volume_list struct store_volume **vols = NULL;
	cleanup_cjson cJSON *headers = volume_headers();
	cleanup_free char *format = NULL;
	const struct robbe_paths *p;
	struct store *s;
	struct formatter *f = NULL;
	bool quiet = opts_bool(ctx->opts, "quiet");
	bool cluster = opts_bool(ctx->opts, "cluster");
	int r = 0;

	if (volume_store(ctx, &s, &p, err) < 0)
		return -1;
	if (volume_list(s, opts_list(ctx->opts, "filter"), &vols, err) < 0)
		return cli_daemon_error(err);
	if (cluster) {
		/* No volume here is a cluster volume. */
		for (size_t i = 0; vols[i]; i++)
			store_volume_free(vols[i]);
		vols[0] = NULL;
	}
	qsort(vols, strv_len((char **) vols), sizeof(*vols), cmp_volumes);

	format = list_format(ctx, quiet, cluster);
	struct tmpl_options topts = { .method = volume_method, .method_ud = vols };
	if (formatter_new(format, NULL, headers, &topts, &f, err) < 0)
		return -1;
	for (size_t i = 0; vols[i]; i++) {
		cleanup_cjson cJSON *row = volume_row(vols[i]);
		if (formatter_row(f, row, err) < 0) {
			formatter_free(f);
			return -1;
		}
	}
	r = formatter_flush(f, stdout, err);
	formatter_free(f);
	return r;
}

/* ---- rm ------------------------------------------------------------------------ */

int cmd_volume_rm(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_sbuf struct sbuf errors = SBUF_INIT;
	const struct robbe_paths *p;
	struct store *s;
	bool force = opts_bool(ctx->opts, "force");

	if (volume_store(ctx, &s, &p, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		robbe_error *e = NULL;
		if (volume_remove(s, p, ctx->argv[i], force, &e) < 0) {
			if (errors.len)
				sbuf_addc(&errors, '\n');
			sbuf_addf(&errors, "Error response from daemon: %s", e->msg);
			robbe_error_free(e);
			continue;
		}
		printf("%s\n", ctx->argv[i]);
		fflush(stdout);
	}
	if (errors.len)
		return robbe_error_set(err, EXIT_GENERAL, "%s", sbuf_str(&errors));
	return 0;
}

/* ---- prune ------------------------------------------------------------------------ */

int cmd_volume_prune(struct cli_ctx *ctx, robbe_error **err)
{
	char *const *filters = opts_list(ctx->opts, "filter");
	bool all = opts_bool(ctx->opts, "all");
	struct volume_prune_report rep = { 0 };
	const struct robbe_paths *p;
	struct store *s;
	const char *warning = "WARNING! This will remove anonymous local volumes not used by at least one container.\n"
			      "Are you sure you want to continue?";

	if (all) {
		for (size_t i = 0; filters[i]; i++) {
			const char *eq = strchr(filters[i], '=');
			size_t klen = eq ? (size_t) (eq - filters[i]) : strlen(filters[i]);
			cleanup_free char *key = xstrndup(filters[i], klen);
			char *k = key;
			while (*k == ' ')
				k++;
			for (size_t j = strlen(k); j && k[j - 1] == ' '; j--)
				k[j - 1] = '\0';
			if (strcasecmp(k, "all") == 0)
				return robbe_error_set(err, EXIT_GENERAL,
						       "conflicting options: cannot specify both --all and --filter all=1");
		}
		warning = "WARNING! This will remove all local volumes not used by at least one container.\n"
			  "Are you sure you want to continue?";
	}
	if (!opts_bool(ctx->opts, "force") && !cli_confirm(warning))
		return 0;	/* cancelled: Docker says nothing more and exits 0 */
	if (volume_store(ctx, &s, &p, err) < 0)
		return -1;
	if (volume_prune(s, p, filters, all, &rep, err) < 0)
		return cli_daemon_error(err);
	if (rep.deleted) {
		printf("Deleted Volumes:\n");
		for (size_t i = 0; rep.deleted[i]; i++)
			printf("%s\n", rep.deleted[i]);
		printf("\n");
	}
	char *size = human_size_prec((double) rep.reclaimed, 4);
	printf("Total reclaimed space: %s\n", size);
	free(size);
	fflush(stdout);
	volume_prune_report_release(&rep);
	return 0;
}
