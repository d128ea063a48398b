/* cmd-image-cmds.c: the handlers of pull, images, rmi, tag, image inspect,
 * inspect, history, image prune and image exists.
 *
 * Thin, as docs/cli.md asks: read the options, call the engine (src/image.h),
 * and print what Docker's CLI prints: its tables and JSON, its pull display,
 * its messages and exit statuses.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "compat/cmd-container-list.h"
#include "compat/cmd-image-cmds.h"
#include "compat/format.h"
#include "src/container.h"
#include "src/digest.h"
#include "src/image.h"
#include "src/network.h"
#include "src/reference.h"
#include "src/volume.h"

static int open_env(struct cli_ctx *ctx, struct image_env **env, robbe_error **err)
{
	struct store *s;
	const struct robbe_paths *p;

	*env = NULL;
	if (cli_store(ctx, &s, err) < 0 || cli_paths(ctx, &p, err) < 0)
		return -1;
	return image_env_open(s, p, env, err);
}

/* Turn an engine error into the daemon's answer, status 1. */
static int daemon_error(robbe_error **err)
{
	cli_daemon_error(err);
	if ((*err)->status == 0)
		(*err)->status = EXIT_GENERAL;
	return -1;
}

/* Collected errors of a multi-argument command, joined by newlines. */
static void errors_add(struct sbuf *errs, const char *msg)
{
	if (errs->len)
		sbuf_addc(errs, '\n');
	sbuf_adds(errs, msg);
}

static int errors_return(struct sbuf *errs, robbe_error **err)
{
	robbe_error_set(err, EXIT_GENERAL, "%s", sbuf_str(errs));
	sbuf_release(errs);
	return -1;
}

/* go-units' HumanSize (4 significant digits), which Docker uses for pull
 * progress, prune totals and the sizes of `images` other than SIZE. */
static char *human_size4(double bytes)
{
	return human_size_prec(bytes, 4);
}

/* Go's time.Time.String() in local time: "2020-09-13 12:26:40 +0000 UTC". */
static char *go_time_string(int64_t secs)
{
	time_t t = (time_t) secs;
	struct tm tm;
	char buf[96];

	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %z %Z", &tm);
	return xstrdup(buf);
}

/* time.RFC3339 in local time: "2020-09-13T12:26:40Z", "...+02:00". */
static char *rfc3339_local(int64_t secs)
{
	time_t t = (time_t) secs;
	struct tm tm;
	char buf[64];
	long off;

	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff;
	if (off == 0)
		return xasprintf("%sZ", buf);
	return xasprintf("%s%c%02ld:%02ld", buf, off < 0 ? '-' : '+', labs(off) / 3600, (labs(off) % 3600) / 60);
}

static char *created_since(int64_t secs)
{
	cleanup_free char *d = human_duration((int64_t) time(NULL) - secs);
	return xasprintf("%s ago", d);
}

/* ==== pull ============================================================== */

struct cli_pull_display {
	FILE *out;
	bool tty;
	bool quiet;
	int width;
	char **ids;		/* live display: layer lines in order */
	bool started;		/* the daemon has begun to answer */
	bool all_tags;
	bool up_to_date;
	char *digest;
	char *status_for;	/* set: print the Status line at the end of the pull (run/create) */
};

static int term_width(FILE *f)
{
	struct winsize ws;

	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 200;
}

/* The progress part of a display line, as Docker's JSONProgress draws it:
 * a 50-column bar on wide terminals, then current/total. */
static char *progress_text(const struct cli_pull_display *d, uint64_t current, uint64_t total)
{
	struct sbuf sb = SBUF_INIT;
	cleanup_free char *cur = NULL, *tot = NULL;
	int pct;

	if (current == 0 && total == 0)
		return sbuf_detach(&sb);
	cur = human_size4((double) current);
	if (total == 0) {
		sbuf_addf(&sb, "%8s", cur);
		return sbuf_detach(&sb);
	}
	pct = (int) ((double) current / (double) total * 100) / 2;
	if (pct > 50)
		pct = 50;
	if (d->width > 110) {
		sbuf_addc(&sb, '[');
		for (int i = 0; i < pct; i++)
			sbuf_addc(&sb, '=');
		sbuf_addc(&sb, '>');
		for (int i = pct; i < 50; i++)
			sbuf_addc(&sb, ' ');
		sbuf_adds(&sb, "] ");
	}
	tot = human_size4((double) total);
	if (current > total)
		sbuf_addf(&sb, "%8s", cur);
	else
		sbuf_addf(&sb, "%8s/%s", cur, tot);
	return sbuf_detach(&sb);
}

/* A line without a layer ID: on a terminal it also ends the live block. */
static void display_message(struct cli_pull_display *d, const char *fmt, ...) ATTR_PRINTF(2, 3);
static void display_message(struct cli_pull_display *d, const char *fmt, ...)
{
	va_list ap;

	if (d->quiet)
		return;
	strv_free(d->ids);
	d->ids = NULL;
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
	fflush(d->out);
}

/* One layer's status.  On a terminal each layer owns a line, rewritten in
 * place (cursor up, clear, write, cursor down); otherwise only updates
 * without a progress bar are printed, one line each. */
static void display_layer(struct cli_pull_display *d, const char *id, const char *status, const char *progress)
{
	size_t line, n;

	if (d->quiet)
		return;
	if (!d->tty) {
		if (progress && *progress)
			return;
		fprintf(d->out, "%s: %s\n", id, status);
		fflush(d->out);
		return;
	}
	for (line = 0; d->ids && d->ids[line]; line++)
		if (strcmp(d->ids[line], id) == 0)
			break;
	if (!d->ids || !d->ids[line]) {
		strv_push(&d->ids, id);
		fputc('\n', d->out);
	}
	n = strv_len(d->ids) - line;
	if (n)
		fprintf(d->out, "\x1b[%zuA", n);
	fprintf(d->out, "\x1b[2K\r%s: %s %s\r", id, status, progress ? progress : "");
	if (n)
		fprintf(d->out, "\x1b[%zuB", n);
	fflush(d->out);
}

static void on_pull_event(void *opaque, const struct image_pull_event *ev)
{
	struct cli_pull_display *d = opaque;
	cleanup_free char *prog = NULL;

	switch (ev->kind) {
	case IMAGE_PULL_RESOLVED:
		d->started = true;
		display_message(d, "%s: Pulling from %s", ev->tag_or_digest, ev->repo);
		return;
	case IMAGE_PULL_LAYER_EXISTS:
		display_layer(d, ev->short_id, "Already exists", NULL);
		return;
	case IMAGE_PULL_LAYER_QUEUED:
		display_layer(d, ev->short_id, "Pulling fs layer", NULL);
		return;
	case IMAGE_PULL_LAYER_WAITING:
		display_layer(d, ev->short_id, "Waiting", NULL);
		return;
	case IMAGE_PULL_LAYER_DOWNLOADING:
		prog = progress_text(d, ev->current, ev->total);
		display_layer(d, ev->short_id, "Downloading", prog);
		return;
	case IMAGE_PULL_LAYER_RETRYING: {
		unsigned secs = (ev->retry_in_ms + 999) / 1000;
		cleanup_free char *s = xasprintf("Retrying in %u second%s", secs, secs == 1 ? "" : "s");
		display_layer(d, ev->short_id, s, NULL);
		return;
	}
	case IMAGE_PULL_LAYER_VERIFYING:
		display_layer(d, ev->short_id, "Verifying Checksum", NULL);
		return;
	case IMAGE_PULL_LAYER_DOWNLOADED:
		display_layer(d, ev->short_id, "Download complete", NULL);
		return;
	case IMAGE_PULL_LAYER_EXTRACTING:
		prog = progress_text(d, ev->current, ev->total);
		display_layer(d, ev->short_id, "Extracting", prog);
		return;
	case IMAGE_PULL_LAYER_COMPLETE:
		display_layer(d, ev->short_id, "Pull complete", NULL);
		return;
	case IMAGE_PULL_LAYER_FAILED:
		return;
	case IMAGE_PULL_DONE:
		display_message(d, "Digest: %s", ev->digest);
		d->up_to_date = ev->up_to_date;
		free(d->digest);
		d->digest = xstrdup(ev->digest);
		if (d->status_for)
			display_message(d, "Status: %s for %s",
					d->up_to_date ? "Image is up to date" : "Downloaded newer image", d->status_for);
		return;
	}
}

static void display_init(struct cli_pull_display *d, FILE *out, bool quiet)
{
	memset(d, 0, sizeof(*d));
	d->out = out;
	d->quiet = quiet;
	d->tty = isatty(fileno(out));
	d->width = d->tty ? term_width(out) : 200;
}

static void display_release(struct cli_pull_display *d)
{
	strv_free(d->ids);
	free(d->digest);
	free(d->status_for);
}

/* One image_pull with the display; errors worded for the user. */
static int pull_one(struct image_env *env, const char *ref, const char *platform, struct cli_pull_display *d,
		    struct store_image **img, robbe_error **err)
{
	struct image_pull_opts po = { .platform = platform };
	struct image_pull_events ev = { on_pull_event, d };

	d->started = false;
	if (image_pull(env, ref, &po, &ev, img, NULL, err) < 0) {
		/* Before the first line the daemon answers with an error
		 * status; after it, the error comes in the stream, bare. */
		if (!d->started)
			return daemon_error(err);
		if ((*err)->status == 0)
			(*err)->status = EXIT_GENERAL;
		return -1;
	}
	return 0;
}

/* "busybox:latest" for Status lines: the familiar reference with the
 * default tag, or with its digest. */
static char *status_name(const char *user_ref)
{
	cleanup_reference struct reference *ref = NULL;

	if (reference_parse(user_ref, &ref, NULL) < 0)
		return xstrdup(user_ref);
	if (ref->digest)
		reference_set_tag(ref, NULL);
	reference_default_tag(ref);
	return reference_familiar_string(ref);
}

struct cli_pull_display *cli_pull_display_new(FILE *out, bool quiet)
{
	struct cli_pull_display *d = xmalloc(sizeof(*d));

	display_init(d, out, quiet);
	return d;
}

void cli_pull_display_events(struct cli_pull_display *d, struct image_pull_events *ev)
{
	ev->fn = on_pull_event;
	ev->opaque = d;
}

void cli_pull_display_status_for(struct cli_pull_display *d, const char *user_ref)
{
	free(d->status_for);
	d->status_for = status_name(user_ref);
}

void cli_pull_display_free(struct cli_pull_display *d)
{
	if (!d)
		return;
	display_release(d);
	free(d);
}

int cli_image_pull(struct image_env *env, const char *ref, const char *platform, bool quiet, FILE *out,
		   struct store_image **img, robbe_error **err)
{
	struct cli_pull_display d;
	cleanup_free char *name = status_name(ref);
	int r;

	display_init(&d, out, quiet);
	r = pull_one(env, ref, platform, &d, img, err);
	if (r == 0)
		display_message(&d, "Status: %s for %s", d.up_to_date ? "Image is up to date" : "Downloaded newer image",
				name);
	display_release(&d);
	return r;
}

static int pull_all_tags(struct image_env *env, const struct reference *ref, const char *platform, bool quiet,
			 robbe_error **err)
{
	cleanup_strv char **tags = NULL;
	cleanup_free char *name = reference_string(ref);
	cleanup_free char *familiar = reference_familiar_name(ref);
	struct image_pull_opts po = { .platform = platform };
	struct cli_pull_display d;
	bool downloaded = false;
	int r = 0;

	if (image_list_remote_tags(name, &po, &tags, err) < 0)
		return daemon_error(err);
	display_init(&d, stdout, quiet);
	for (size_t i = 0; tags && tags[i]; i++) {
		cleanup_free char *one = xasprintf("%s:%s", name, tags[i]);
		if ((r = pull_one(env, one, platform, &d, NULL, err)) < 0)
			break;
		downloaded = downloaded || !d.up_to_date;
	}
	if (r == 0)
		display_message(&d, "Status: %s for %s", downloaded ? "Downloaded newer image" : "Image is up to date",
				familiar);
	display_release(&d);
	return r;
}

int cmd_image_pull(struct cli_ctx *ctx, robbe_error **err)
{
	const char *arg = ctx->argv[0];
	bool quiet = opts_bool(ctx->opts, "quiet");
	bool all = opts_bool(ctx->opts, "all-tags");
	const char *platform = opts_str(ctx->opts, "platform");
	cleanup_reference struct reference *ref = NULL;
	struct image_env *env = NULL;
	cleanup_free char *full = NULL;
	int r;

	/* --config DIR is where Docker's config.json, and so the
	 * credentials, live; auth.c reads DOCKER_CONFIG. */
	if (ctx->g.config_dir && *ctx->g.config_dir)
		setenv("DOCKER_CONFIG", ctx->g.config_dir, 1);
	if (reference_parse(arg, &ref, err) < 0) {
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	if (all && (ref->tag || ref->digest))
		return robbe_error_set(err, EXIT_GENERAL, "tag can't be used with --all-tags/-a");
	if (!all && reference_default_tag(ref) && !quiet)
		printf("Using default tag: %s\n", ref->tag);
	fflush(stdout);
	if (open_env(ctx, &env, err) < 0)
		return -1;
	if (all)
		r = pull_all_tags(env, ref, platform, quiet, err);
	else
		r = cli_image_pull(env, arg, platform, quiet, stdout, NULL, err);
	image_env_free(env);
	if (r < 0)
		return -1;
	full = reference_string(ref);
	printf("%s\n", full);
	return 0;
}

/* ==== images ============================================================ */

/* One row.  `--format json` is Docker's per-row JSON encoding, which
 * escapes <, > and & as Go's encoder does (unlike {{json .Field}}). */
static int emit_row(struct formatter *f, bool json, const cJSON *row, robbe_error **err)
{
	if (json) {
		cleanup_free char *text = json_encode_go(row, false, true);
		printf("%s\n", text);
		return 0;
	}
	return formatter_row(f, row, err);
}

#define IMAGES_TABLE \
	"table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}"
#define IMAGES_TABLE_DIGEST                                                                                      \
	"table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}" \
	"\t{{.Size}}"

static const char *const image_list_filters[] = { "dangling", "label", "label!", "reference", "before",
						  "since",    "until", NULL };

static cJSON *images_headers(void)
{
	cJSON *h = cJSON_CreateObject();

	cJSON_AddStringToObject(h, "Repository", "REPOSITORY");
	cJSON_AddStringToObject(h, "Tag", "TAG");
	cJSON_AddStringToObject(h, "Digest", "DIGEST");
	cJSON_AddStringToObject(h, "ID", "IMAGE ID");
	cJSON_AddStringToObject(h, "CreatedSince", "CREATED");
	cJSON_AddStringToObject(h, "CreatedAt", "CREATED AT");
	cJSON_AddStringToObject(h, "Size", "SIZE");
	cJSON_AddStringToObject(h, "Containers", "CONTAINERS");
	cJSON_AddStringToObject(h, "SharedSize", "SHARED SIZE");
	cJSON_AddStringToObject(h, "UniqueSize", "UNIQUE SIZE");
	cJSON_AddStringToObject(h, "VirtualSize", "SIZE");
	return h;
}

/* One row; keys in the order Docker's JSON has them (alphabetical). */
static cJSON *image_row(const struct image_summary *s, const char *repo, const char *tag, const char *digest,
			bool trunc)
{
	cJSON *row = cJSON_CreateObject();
	cleanup_free char *id = trunc ? image_short_id(s->img->id) : xstrdup(s->img->id);
	cleanup_free char *at = go_time_string(s->created);
	cleanup_free char *since = created_since(s->created);
	cleanup_free char *size = human_size_prec((double) s->img->size, 3);
	cleanup_free char *vsize = human_size4((double) s->img->size);

	cJSON_AddStringToObject(row, "Containers", "N/A");
	cJSON_AddStringToObject(row, "CreatedAt", at);
	cJSON_AddStringToObject(row, "CreatedSince", since);
	cJSON_AddStringToObject(row, "Digest", digest);
	cJSON_AddStringToObject(row, "ID", id);
	cJSON_AddStringToObject(row, "Repository", repo);
	cJSON_AddStringToObject(row, "SharedSize", "N/A");
	cJSON_AddStringToObject(row, "Size", size);
	cJSON_AddStringToObject(row, "Tag", tag);
	cJSON_AddStringToObject(row, "UniqueSize", "N/A");
	cJSON_AddStringToObject(row, "VirtualSize", vsize);
	return row;
}

/* Docker's rows for one image: a row per repo:tag (times each digest of
 * that repository with --digests), then the repositories known only by
 * digest; "<none>" rows for a nameless image. */
static int image_rows(struct formatter *f, bool json, const struct image_summary *s, bool digests, bool trunc,
		      robbe_error **err)
{
	cleanup_strv char **repos = NULL;

	if (!s->repo_tags && !s->repo_digests) {
		cleanup_cjson cJSON *row = image_row(s, "<none>", "<none>", "<none>", trunc);
		return emit_row(f, json, row, err);
	}
	/* the repositories, tags first, in order of appearance */
	for (size_t pass = 0; pass < 2; pass++) {
		char **v = pass == 0 ? s->repo_tags : s->repo_digests;
		for (size_t i = 0; v && v[i]; i++) {
			cleanup_reference struct reference *ref = NULL;
			cleanup_free char *name = NULL;
			if (reference_parse(v[i], &ref, NULL) < 0)
				continue;
			name = reference_familiar_name(ref);
			if (!strv_contains(repos, name))
				strv_push(&repos, name);
		}
	}
	for (size_t k = 0; repos && repos[k]; k++) {
		cleanup_strv char **tags = NULL, **dgs = NULL;
		for (size_t pass = 0; pass < 2; pass++) {
			char **v = pass == 0 ? s->repo_tags : s->repo_digests;
			for (size_t i = 0; v && v[i]; i++) {
				cleanup_reference struct reference *ref = NULL;
				cleanup_free char *name = NULL;
				if (reference_parse(v[i], &ref, NULL) < 0)
					continue;
				name = reference_familiar_name(ref);
				if (strcmp(name, repos[k]) != 0)
					continue;
				if (pass == 0 && ref->tag)
					strv_push(&tags, ref->tag);
				else if (pass == 1 && ref->digest)
					strv_push(&dgs, ref->digest);
			}
		}
		if (tags) {
			for (size_t t = 0; tags[t]; t++) {
				if (!digests || !dgs) {
					cleanup_cjson cJSON *row = image_row(s, repos[k], tags[t], "<none>", trunc);
					if (emit_row(f, json, row, err) < 0)
						return -1;
					continue;
				}
				for (size_t g = 0; dgs[g]; g++) {
					cleanup_cjson cJSON *row = image_row(s, repos[k], tags[t], dgs[g], trunc);
					if (emit_row(f, json, row, err) < 0)
						return -1;
				}
			}
		} else if (digests) {
			for (size_t g = 0; dgs && dgs[g]; g++) {
				cleanup_cjson cJSON *row = image_row(s, repos[k], "<none>", dgs[g], trunc);
				if (emit_row(f, json, row, err) < 0)
					return -1;
			}
		} else {
			cleanup_cjson cJSON *row = image_row(s, repos[k], "<none>", "", trunc);
			if (emit_row(f, json, row, err) < 0)
				return -1;
		}
	}
	return 0;
}

int cmd_image_ls(struct cli_ctx *ctx, robbe_error **err)
{
	const char *user_format = opts_str(ctx->opts, "format");
	bool quiet = opts_bool(ctx->opts, "quiet");
	bool digests = opts_bool(ctx->opts, "digests");
	bool trunc = !opts_bool(ctx->opts, "no-trunc");
	struct image_filters filters = { 0 };
	struct image_summary_list list = { 0 };
	cleanup_cjson cJSON *headers = NULL;
	cleanup_free char *format = NULL;
	struct formatter *f = NULL;
	struct image_env *env = NULL;
	cleanup_free char *config_format = NULL;
	int r = -1;

	if (opts_bool(ctx->opts, "tree"))
		return robbe_error_set(err, EXIT_ENGINE, "%s: --tree is not supported by robbe yet", ctx->path);
	/* Without --format, config.json's "imagesFormat" (unless -q). */
	if ((!user_format || !*user_format) && !quiet)
		user_format = config_format = ctrcmd_config_str(ctx, "imagesFormat");
	if (!user_format || !*user_format || strcmp(user_format, "table") == 0) {
		format = xstrdup(quiet ? "{{.ID}}" : digests ? IMAGES_TABLE_DIGEST : IMAGES_TABLE);
	} else {
		format = xstrdup(user_format);
		if (str_has_prefix(format, "table") && digests && !strstr(format, "{{.Digest}}")) {
			char *with = xasprintf("%s\t{{.Digest}}", format);
			free(format);
			format = with;
		}
	}
	headers = images_headers();
	if (formatter_new(format, IMAGES_TABLE, headers, NULL, &f, err) < 0)
		return -1;
	if (image_filters_parse(opts_list(ctx->opts, "filter"), image_list_filters, &filters, err) < 0) {
		formatter_free(f);
		return daemon_error(err);
	}
	if (ctx->argc > 0)
		strv_push(&filters.references, ctx->argv[0]);
	if (open_env(ctx, &env, err) < 0)
		goto out;
	if (image_list(env, &filters, opts_bool(ctx->opts, "all"), &list, err) < 0) {
		daemon_error(err);
		goto out;
	}
	for (size_t i = 0; i < list.n; i++)
		if (image_rows(f, user_format && strcmp(user_format, "json") == 0, &list.v[i], digests, trunc, err) < 0)
			goto out;
	r = formatter_flush(f, stdout, err);
out:
	image_summary_list_release(&list);
	image_filters_release(&filters);
	formatter_free(f);
	image_env_free(env);
	return r;
}

/* ==== rmi =============================================================== */

int cmd_image_rm(struct cli_ctx *ctx, robbe_error **err)
{
	bool force = opts_bool(ctx->opts, "force");
	bool no_prune = opts_bool(ctx->opts, "no-prune");
	struct sbuf errs = SBUF_INIT;
	bool fatal = false;
	struct image_env *env = NULL;

	if (open_env(ctx, &env, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		struct image_remove_report rep = { 0 };
		robbe_error *e = NULL;

		if (image_remove(env, ctx->argv[i], force, no_prune, &rep, &e) < 0) {
			if (e->errnum != ENOENT)
				fatal = true;
			cli_daemon_error(&e);
			errors_add(&errs, e->msg);
			robbe_error_free(e);
		} else {
			for (size_t k = 0; rep.untagged && rep.untagged[k]; k++)
				printf("Untagged: %s\n", rep.untagged[k]);
			for (size_t k = 0; rep.deleted && rep.deleted[k]; k++)
				printf("Deleted: %s\n", rep.deleted[k]);
			fflush(stdout);
		}
		image_remove_report_release(&rep);
	}
	image_env_free(env);
	if (errs.len) {
		/* With -f, images that are not there only earn a message. */
		if (!force || fatal)
			return errors_return(&errs, err);
		fprintf(stderr, "%s\n", sbuf_str(&errs));
		sbuf_release(&errs);
	}
	return 0;
}

/* ==== tag =============================================================== */

static bool is_image_id(const char *s)
{
	return digest_is_sha256_hex(s) || (str_has_prefix(s, "sha256:") && digest_is_sha256_hex(s + 7));
}

int cmd_image_tag(struct cli_ctx *ctx, robbe_error **err)
{
	const char *src = ctx->argv[0], *dst = ctx->argv[1];
	cleanup_reference struct reference *ref = NULL;
	struct image_env *env = NULL;
	int r;

	/* The client's own checks, worded as the client words them. */
	if (!is_image_id(src) && reference_parse(src, &ref, err) < 0) {
		robbe_error_wrap(err, "Error parsing reference: \"%s\" is not a valid repository/tag", src);
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	reference_free(ref);
	ref = NULL;
	if (reference_parse(dst, &ref, err) < 0) {
		robbe_error_wrap(err, "Error parsing reference: \"%s\" is not a valid repository/tag", dst);
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	if (ref->digest)
		return robbe_error_set(err, EXIT_GENERAL, "refusing to create a tag with a digest reference");
	if (open_env(ctx, &env, err) < 0)
		return -1;
	r = image_tag(env, src, dst, err);
	image_env_free(env);
	return r < 0 ? daemon_error(err) : 0;
}

/* ==== inspect =========================================================== */

/* Print the objects found, then fail with the errors of those that were
 * not, as Docker's inspect does. */
static int inspect_finish(const char *format, const cJSON *found, struct sbuf *errs, robbe_error **err)
{
	robbe_error *ferr = NULL;

	if (format_inspect(format, found, stdout, &ferr) < 0) {
		if (ferr->status == EXIT_TEMPLATE || !errs->len) {
			sbuf_release(errs);
			*err = ferr;
			return -1;
		}
		errors_add(errs, ferr->msg);
		robbe_error_free(ferr);
	}
	if (errs->len)
		return errors_return(errs, err);
	return 0;
}

/* 1 and *obj set if ref names an image, 0 if not (*why says so). */
static int inspect_image(struct image_env *env, const char *ref, cJSON **obj, robbe_error **why, robbe_error **err)
{
	cleanup_store_image struct store_image *img = NULL;

	*obj = NULL;
	if (image_resolve(env->store, ref, &img, why) < 0)
		return (*why)->errnum == ENOENT || (*why)->errnum == EINVAL ? 0 : (*err = steal_pointer(why), -1);
	if (image_inspect_json(env, img, obj, err) < 0)
		return -1;
	return 1;
}

int cmd_image_inspect(struct cli_ctx *ctx, robbe_error **err)
{
	const char *format = opts_str(ctx->opts, "format");
	cleanup_cjson cJSON *found = cJSON_CreateArray();
	struct sbuf errs = SBUF_INIT;
	struct image_env *env = NULL;

	if (open_env(ctx, &env, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		cJSON *obj = NULL;
		robbe_error *why = NULL;
		int r = inspect_image(env, ctx->argv[i], &obj, &why, err);
		if (r < 0) {
			image_env_free(env);
			sbuf_release(&errs);
			return -1;
		}
		if (r == 0) {
			cli_daemon_error(&why);
			errors_add(&errs, why->msg);
			robbe_error_free(why);
			continue;
		}
		cJSON_AddItemToArray(found, obj);
	}
	image_env_free(env);
	return inspect_finish(format, found, &errs, err);
}

static const char *const inspect_types[] = { "config", "container", "image", "network", "node",
					     "plugin", "secret",    "service", "task",   "volume", NULL };

/* `docker inspect X` looks at containers before images: 1 and *obj when
 * a container matches, 0 when none does (cmd-container-inspect.c). */
static int inspect_container(struct cli_ctx *ctx, const char *ref, cJSON **obj, robbe_error **err)
{
	return ctrcmd_inspect_container(ctx, ref, opts_bool(ctx->opts, "size"), obj, err);
}

/* After containers and images, Docker's inspect looks for a network, then
 * a volume: 1 and *obj when ref names one, 0 when not. */
static int inspect_network(struct cli_ctx *ctx, const char *ref, cJSON **obj, robbe_error **err)
{
	cleanup_container_env struct container_env *cenv = NULL;
	cleanup_store_network struct store_network *n = NULL;
	cleanup_error robbe_error *e = NULL;

	if (cli_container_env(ctx, &cenv, err) < 0)
		return -1;
	if (network_lookup(cenv, ref, &n, &e) < 0)
		return e->errnum == ENOENT ? 0 : (*err = steal_pointer(&e), -1);
	return network_inspect_json(cenv, n, obj, err) < 0 ? -1 : 1;
}

static int inspect_volume(struct cli_ctx *ctx, const char *ref, cJSON **obj, robbe_error **err)
{
	cleanup_store_volume struct store_volume *v = NULL;
	cleanup_error robbe_error *e = NULL;
	struct store *s;

	if (cli_store(ctx, &s, err) < 0)
		return -1;
	if (volume_get(s, ref, &v, &e) < 0)
		return e->errnum == ENOENT ? 0 : (*err = steal_pointer(&e), -1);
	*obj = volume_inspect_json(v);
	return 1;
}

int cmd_inspect(struct cli_ctx *ctx, robbe_error **err)
{
	const char *format = opts_str(ctx->opts, "format");
	const char *type = opts_str(ctx->opts, "type");
	cleanup_cjson cJSON *found = cJSON_CreateArray();
	struct sbuf errs = SBUF_INIT;
	struct image_env *env = NULL;
	bool known = false;

	if (type && *type) {
		for (size_t i = 0; inspect_types[i]; i++)
			known = known || strcmp(inspect_types[i], type) == 0;
		if (!known)
			return robbe_error_set(err, EXIT_GENERAL,
					       "unknown type: \"%s\": must be one of \"config\", \"container\", \"image\", "
					       "\"network\", \"node\", \"plugin\", \"secret\", \"service\", \"task\", "
					       "\"volume\"",
					       type);
	} else {
		type = NULL;
	}
	if (open_env(ctx, &env, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		const char *ref = ctx->argv[i];
		cJSON *obj = NULL;
		robbe_error *why = NULL;
		int r = 0;

		if (!type || strcmp(type, "container") == 0) {
			r = inspect_container(ctx, ref, &obj, err);
			if (r < 0)
				goto fail;
			if (r == 0 && type) {
				cleanup_free char *m = xasprintf("Error response from daemon: No such container: %s", ref);
				errors_add(&errs, m);
				continue;
			}
		}
		if (r == 0 && (!type || strcmp(type, "image") == 0)) {
			r = inspect_image(env, ref, &obj, &why, err);
			if (r < 0)
				goto fail;
			if (r == 0 && type) {
				cli_daemon_error(&why);
				errors_add(&errs, why->msg);
				robbe_error_free(why);
				continue;
			}
			robbe_error_free(why);
		}
		if (r == 0 && (!type || strcmp(type, "network") == 0)) {
			r = inspect_network(ctx, ref, &obj, err);
			if (r < 0)
				goto fail;
			if (r == 0 && type) {
				cleanup_free char *m = xasprintf("Error response from daemon: network %s not found", ref);
				errors_add(&errs, m);
				continue;
			}
		}
		if (r == 0 && (!type || strcmp(type, "volume") == 0)) {
			r = inspect_volume(ctx, ref, &obj, err);
			if (r < 0)
				goto fail;
			if (r == 0 && type) {
				cleanup_free char *m = xasprintf("Error response from daemon: get %s: no such volume", ref);
				errors_add(&errs, m);
				continue;
			}
		}
		if (r == 0) {
			cleanup_free char *m = xasprintf("Error: No such object: %s", ref);
			errors_add(&errs, m);
			continue;
		}
		cJSON_AddItemToArray(found, obj);
	}
	image_env_free(env);
	return inspect_finish(format, found, &errs, err);
fail:
	image_env_free(env);
	sbuf_release(&errs);
	return -1;
}

/* ==== history =========================================================== */

/* Docker's Ellipsis: cut to max display columns, the last one an "…". */
static char *ellipsis(const char *s, size_t max)
{
	size_t w = 0, i = 0, keep = 0;

	if (display_width(s, strlen(s)) <= max)
		return xstrdup(s);
	/* keep whole UTF-8 characters while they fit in max - 1 columns */
	while (s[i]) {
		size_t len = 1;
		unsigned char c = (unsigned char) s[i];
		if (c >= 0xf0)
			len = 4;
		else if (c >= 0xe0)
			len = 3;
		else if (c >= 0xc0)
			len = 2;
		if (strnlen(s + i, len) < len)
			break;
		w += display_width(s + i, len);
		if (w > max - 1)
			break;
		i += len;
		keep = i;
	}
	return xasprintf("%.*s\xe2\x80\xa6", (int) keep, s);
}

int cmd_image_history(struct cli_ctx *ctx, robbe_error **err)
{
	const char *user_format = opts_str(ctx->opts, "format");
	bool human = opts_bool(ctx->opts, "human");
	bool quiet = opts_bool(ctx->opts, "quiet");
	bool trunc = !opts_bool(ctx->opts, "no-trunc");
	cleanup_store_image struct store_image *img = NULL;
	struct image_history h = { 0 };
	cleanup_cjson cJSON *headers = cJSON_CreateObject();
	const char *format;
	struct formatter *f = NULL;
	struct image_env *env = NULL;
	int r = -1;

	if (!user_format || !*user_format || strcmp(user_format, "table") == 0)
		format = quiet ? "{{.ID}}"
		       : human ? "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
			       : "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
	else
		format = user_format;
	cJSON_AddStringToObject(headers, "ID", "IMAGE");
	cJSON_AddStringToObject(headers, "CreatedSince", "CREATED");
	cJSON_AddStringToObject(headers, "CreatedAt", "CREATED AT");
	cJSON_AddStringToObject(headers, "CreatedBy", "CREATED BY");
	cJSON_AddStringToObject(headers, "Size", "SIZE");
	cJSON_AddStringToObject(headers, "Comment", "COMMENT");
	if (formatter_new(format, NULL, headers, NULL, &f, err) < 0)
		return -1;
	if (open_env(ctx, &env, err) < 0)
		goto out;
	if (image_resolve(env->store, ctx->argv[0], &img, err) < 0) {
		daemon_error(err);
		goto out;
	}
	if (image_history_get(env, img, &h, err) < 0) {
		daemon_error(err);
		goto out;
	}
	for (size_t i = 0; i < h.n; i++) {
		const struct image_history_entry *e = &h.v[i];
		cleanup_cjson cJSON *row = cJSON_CreateObject();
		bool missing = strcmp(e->id, "<missing>") == 0;
		cleanup_free char *id = trunc && !missing ? image_short_id(e->id) : xstrdup(e->id);
		cleanup_free char *at = rfc3339_local(e->created);
		cleanup_free char *since = !human	     ? xstrdup(at)
					   : e->created <= 0 ? xstrdup("N/A")
							     : created_since(e->created);
		cleanup_free char *by = xstrdup(e->created_by);
		cleanup_free char *by_cut = NULL;
		cleanup_free char *size = human ? human_size_prec((double) e->size, 3)
						: xasprintf("%lld", (long long) e->size);

		for (char *p = by; *p; p++)
			if (*p == '\t')
				*p = ' ';
		by_cut = trunc ? ellipsis(by, 45) : xstrdup(by);
		cJSON_AddStringToObject(row, "Comment", e->comment);
		cJSON_AddStringToObject(row, "CreatedAt", at);
		cJSON_AddStringToObject(row, "CreatedBy", by_cut);
		cJSON_AddStringToObject(row, "CreatedSince", since);
		cJSON_AddStringToObject(row, "ID", id);
		cJSON_AddStringToObject(row, "Size", size);
		if (emit_row(f, user_format && strcmp(user_format, "json") == 0, row, err) < 0)
			goto out;
	}
	r = formatter_flush(f, stdout, err);
out:
	image_history_release(&h);
	formatter_free(f);
	image_env_free(env);
	return r;
}

/* ==== prune ============================================================= */

static const char *const image_prune_filters[] = { "until", "label", "label!", "dangling", NULL };

int imgcmd_prune(struct cli_ctx *ctx, bool all, char *const *filter_list, struct sbuf *deleted, int64_t *reclaimed,
		 robbe_error **err)
{
	struct image_filters filters = { 0 };
	struct image_prune_opts po = { 0 };
	struct image_prune_report rep = { 0 };
	struct image_env *env = NULL;
	int r = -1;

	if (image_filters_parse(filter_list, image_prune_filters, &filters, err) < 0)
		return daemon_error(err);
	po.all = all;
	po.filters = &filters;
	if (open_env(ctx, &env, err) < 0)
		goto out;
	if (image_prune(env, &po, &rep, err) < 0) {
		daemon_error(err);
		goto out;
	}
	for (size_t i = 0; i < rep.n; i++) {
		if (rep.v[i].untagged)
			sbuf_addf(deleted, "untagged: %s\n", rep.v[i].untagged);
		else
			sbuf_addf(deleted, "deleted: %s\n", rep.v[i].deleted);
	}
	*reclaimed += rep.reclaimed;
	r = 0;
out:
	image_prune_report_release(&rep);
	image_filters_release(&filters);
	image_env_free(env);
	return r;
}

int cmd_image_prune(struct cli_ctx *ctx, robbe_error **err)
{
	bool all = opts_bool(ctx->opts, "all");
	cleanup_sbuf struct sbuf deleted = SBUF_INIT;
	cleanup_free char *total = NULL;
	int64_t reclaimed = 0;

	if (!opts_bool(ctx->opts, "force") &&
	    !cli_confirm(all ? "WARNING! This will remove all images without at least one container associated to them.\n"
			       "Are you sure you want to continue?"
			     : "WARNING! This will remove all dangling images.\nAre you sure you want to continue?"))
		return 0;
	if (imgcmd_prune(ctx, all, opts_list(ctx->opts, "filter"), &deleted, &reclaimed, err) < 0)
		return -1;
	if (deleted.len)
		printf("Deleted Images:\n%s\n", sbuf_str(&deleted));
	total = human_size4((double) reclaimed);
	printf("Total reclaimed space: %s\n", total);
	return 0;
}

/* ==== exists ============================================================ */

/* Podman's `image exists`: status 0 or 1, nothing printed. */
int cmd_image_exists(struct cli_ctx *ctx, robbe_error **err)
{
	struct store *s;
	cleanup_store_image struct store_image *img = NULL;
	cleanup_error robbe_error *e = NULL;

	if (cli_store(ctx, &s, err) < 0)
		return -1;
	if (image_resolve(s, ctx->argv[0], &img, &e) == 0)
		return 0;
	if (e->errnum == ENOENT || e->errnum == EINVAL)
		return 1;
	*err = steal_pointer(&e);
	return -1;
}
