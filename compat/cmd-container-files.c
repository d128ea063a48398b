/* cmd-container-files.c: docker cp, diff, export and commit.
 *
 * Thin: the argument rules and messages of Docker's client live here; the
 * copying, the walk of the upper directory and the image making are in
 * src/ (copy.h, changes.h, commit.h, container-files.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "compat/cli.h"
#include "compat/format.h"
#include "src/container-files.h"
#include "src/copy.h"

/* An error Docker's client reports itself: as it stands, exit status 1. */
static int client_error(robbe_error **err, const char *fmt, ...) ATTR_PRINTF(2, 3);
static int client_error(robbe_error **err, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	robbe_error_set(err, EXIT_GENERAL, "%s", msg);
	free(msg);
	return -1;
}

static int lookup(struct cli_ctx *ctx, const char *ref, struct container_env **env, struct store_container **c,
		  robbe_error **err)
{
	if (cli_container_env(ctx, env, err) < 0)
		return -1;
	if (container_lookup(*env, ref, c, err) < 0)
		return cli_daemon_error(err);
	return 0;
}

/* ---- cp -------------------------------------------------------------------------- */

/* What Docker's client prints on a terminal: the line it wrote before
 * copying is taken back and replaced by the result. */
static void copy_progress_start(void)
{
	fputs("\x1b[s", stderr);
	fputs("Preparing to copy...\n", stderr);
	fflush(stderr);
}

static void copy_progress_done(uint64_t bytes, const char *container, const char *dest)
{
	cleanup_free char *size = human_size((double) bytes);

	fputs("\x1b[u\x1b[2K", stderr);
	if (container)
		fprintf(stderr, "Successfully copied %s to %s:%s\n", size, container, dest);
	else
		fprintf(stderr, "Successfully copied %s to %s\n", size, dest);
}

int cmd_container_cp(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_free char *src_ctr = NULL, *src_path = NULL, *dst_ctr = NULL, *dst_path = NULL;
	struct container_root root = CONTAINER_ROOT_INIT;
	struct copy_result res = { 0 };
	struct copy_opts o = { 0 };
	const char *name, *path;
	bool from, quiet;
	int r;

	if (!*ctx->argv[0])
		return client_error(err, "source can not be empty");
	if (!*ctx->argv[1])
		return client_error(err, "destination can not be empty");
	copy_split_arg(ctx->argv[0], &src_ctr, &src_path);
	copy_split_arg(ctx->argv[1], &dst_ctr, &dst_path);
	if (src_ctr && dst_ctr)
		return client_error(err, "copying between containers is not supported");
	if (!src_ctr && !dst_ctr)
		return client_error(err, "must specify at least one container source");
	/* Progress only for a terminal, unless -q says otherwise. */
	quiet = opts_changed(ctx->opts, "quiet") ? opts_bool(ctx->opts, "quiet") : !isatty(STDOUT_FILENO);
	from = src_ctr != NULL;
	name = from ? src_ctr : dst_ctr;
	path = from ? src_path : dst_path;

	if (lookup(ctx, name, &env, &c, err) < 0)
		return -1;
	if (!from && container_path_read_only(c, path)) {
		robbe_error_set(err, EXIT_GENERAL, "container rootfs is marked read-only");
		return cli_daemon_error(err);
	}
	if (container_root_open(env, c, true, &root, err) < 0)
		return cli_daemon_error(err);
	o.container = name;
	o.follow_link = opts_bool(ctx->opts, "follow-link");
	if (!from && opts_bool(ctx->opts, "archive")) {
		bool set = false;
		if (container_copy_owner(c, &root, &set, &o.uid, &o.gid, err) < 0) {
			container_root_release(&root);
			return cli_daemon_error(err);
		}
		o.set_owner = set;
	}

	if (from && !strcmp(dst_path, "-")) {
		r = copy_from_container_tar(root.fd, src_path, STDOUT_FILENO, &o, &res, err);
	} else {
		if (!quiet)
			copy_progress_start();
		if (from)
			r = copy_from_container(root.fd, src_path, dst_path, &o, &res, err);
		else if (!strcmp(src_path, "-"))
			r = copy_into_container_tar(root.fd, STDIN_FILENO, dst_path, &o, &res, err);
		else
			r = copy_into_container(root.fd, src_path, dst_path, &o, &res, err);
		if (!quiet && r == 0)
			copy_progress_done(res.bytes, from ? NULL : name, res.dest);
	}
	container_root_release(&root);
	if (r < 0) {
		if (res.daemon_error)
			cli_daemon_error(err);
		if (!(*err)->status)
			(*err)->status = EXIT_GENERAL;
	}
	copy_result_release(&res);
	return r < 0 ? -1 : 0;
}

/* ---- diff ------------------------------------------------------------------------ */

int cmd_container_diff(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	struct change_list l = { 0 };

	if (lookup(ctx, ctx->argv[0], &env, &c, err) < 0)
		return -1;
	if (container_changes(env, c, &l, err) < 0)
		return cli_daemon_error(err);
	for (size_t i = 0; i < l.n; i++)
		printf("%c %s\n", change_kind_letter(l.v[i].kind), l.v[i].path);
	change_list_release(&l);
	return 0;
}

/* ---- export ----------------------------------------------------------------------- */

/* Docker's ValidateOutputPath, with export's wording around it. */
static int validate_output(const char *path, robbe_error **err)
{
	cleanup_free char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	struct stat st;

	if (slash) {
		slash[slash == dir ? 1 : 0] = '\0';
		if (stat(dir, &st) < 0 && errno == ENOENT)
			return client_error(err,
					    "failed to export container: invalid output path: directory \"%s\" does not exist",
					    dir);
	}
	if (stat(path, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
		return client_error(err,
				    "failed to export container: invalid output path: \"%s\" must be a directory or a regular file: got a device",
				    path);
	return 0;
}

int cmd_container_export(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	const char *output = opts_str(ctx->opts, "output");
	cleanup_free char *tmp = NULL;
	cleanup_close int fd = -1;

	if (!output || !*output) {
		if (isatty(STDOUT_FILENO))
			return client_error(err, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
		output = NULL;
	} else if (validate_output(output, err) < 0) {
		return -1;
	}
	if (lookup(ctx, ctx->argv[0], &env, &c, err) < 0)
		return -1;
	if (output) {
		/* Written next to the target and renamed over it at the end, as
		 * Docker's client does: a failed export leaves no half tar. */
		cleanup_free char *dir = xstrdup(output);
		char *slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir ? 1 : 0] = '\0';
		tmp = xasprintf("%s/.docker_temp_XXXXXX", slash ? dir : ".");
		fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0) {
			robbe_error_errno(err, errno, "failed to export container: open %s", output);
			(*err)->status = EXIT_GENERAL;
			return -1;
		}
	}
	if (container_export(env, c, fd >= 0 ? fd : STDOUT_FILENO, err) < 0) {
		if (tmp)
			unlink(tmp);
		return cli_daemon_error(err);
	}
	if (tmp && (fsync(fd) < 0 || rename(tmp, output) < 0)) {
		robbe_error_errno(err, errno, "failed to export container: write %s", output);
		unlink(tmp);
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	return 0;
}

/* ---- commit ----------------------------------------------------------------------- */

int cmd_container_commit(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_free char *id = NULL;
	const char *reference = ctx->argc > 1 && *ctx->argv[1] ? ctx->argv[1] : NULL;
	struct container_commit_opts o = {
		.reference = reference,
		.changes = opts_list(ctx->opts, "change"),
		.comment = opts_str(ctx->opts, "message"),
		.author = opts_str(ctx->opts, "author"),
		.pause = opts_bool(ctx->opts, "pause"),
	};

	/* Docker's client checks the name before asking for anything. */
	if (reference) {
		cleanup_free char *full = NULL;
		if (strchr(reference, '@'))
			return client_error(err, "refusing to create a tag with a digest reference");
		if (image_normalize_name(reference, &full, err) < 0) {
			(*err)->status = EXIT_GENERAL;
			return -1;
		}
	}
	if (lookup(ctx, ctx->argv[0], &env, &c, err) < 0)
		return -1;
	if (container_commit(env, c, &o, &id, err) < 0)
		return cli_daemon_error(err);
	printf("%s\n", id);
	return 0;
}
