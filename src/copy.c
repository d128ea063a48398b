/* copy.c: Docker's cp rules over the resolver (copy-resolve.c) and the
 * sources and sinks (copy-stream.c).
 *
 * Docker splits a copy between its client and its daemon: the side that
 * holds the source makes a tar whose top entry is named after the source,
 * the client decides from both ends (CopyInfo, PrepareArchiveCopy) which
 * directory the tar is unpacked into and what the top entry must be
 * renamed to, and the other side unpacks.  robbe is both sides at once, so
 * the same decisions are made here and the entries go straight from
 * source to sink, renamed as they are produced.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "copy-internal.h"

/* Docker follows at most this many symlinks for a host destination. */
#define HOST_DST_MAX_LINKS 10

void copy_result_release(struct copy_result *r)
{
	free(r->dest);
	memset(r, 0, sizeof(*r));
}

void copy_split_arg(const char *arg, char **container, char **path)
{
	const char *colon = strchr(arg, ':');

	*container = NULL;
	if (arg[0] == '/' || !colon || arg[0] == '.') {
		*path = xstrdup(arg);
		return;
	}
	*container = xstrndup(arg, (size_t) (colon - arg));
	*path = xstrdup(colon + 1);
}

/* ---- paths as Docker's client handles them ------------------------------------ */

static bool has_trailing_slash(const char *p)
{
	size_t n = strlen(p);
	return n && p[n - 1] == '/';
}

/* Docker's PreserveTrailingDotOrSeparator: give a cleaned path back the
 * "/." or "/" the original ended in. */
static char *preserve_trailing(const char *cleaned, const char *original)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_adds(&sb, cleaned);
	if (!cp_is_current_dir(cleaned) && cp_is_current_dir(original)) {
		if (!has_trailing_slash(sbuf_str(&sb)))
			sbuf_addc(&sb, '/');
		sbuf_addc(&sb, '.');
	}
	if (!has_trailing_slash(sbuf_str(&sb)) && has_trailing_slash(original))
		sbuf_addc(&sb, '/');
	return sbuf_detach(&sb);
}

/* filepath.Abs, keeping a trailing "/" or "/.". */
static char *local_abs(const char *path)
{
	cleanup_free char *joined = NULL;
	cleanup_free char *clean = NULL;
	char cwd[PATH_MAX];

	if (path[0] == '/') {
		joined = xstrdup(path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			snprintf(cwd, sizeof(cwd), "/");
		joined = xasprintf("%s/%s", cwd, path);
	}
	clean = cp_clean_abs(joined);
	return preserve_trailing(clean, path);
}

static int go_path_error(robbe_error **err, const char *op, const char *path, int errnum)
{
	char buf[128];
	robbe_error_set(err, 0, "%s %s: %s", op, path, cp_go_strerror(errnum, buf, sizeof(buf)));
	(*err)->errnum = errnum;
	return -1;
}

static const char *label(const struct copy_opts *o)
{
	return o && o->container ? o->container : "container";
}

/* ---- what the two ends are --------------------------------------------------------- */

struct src_info {
	int dfd;	/* parent directory, or the directory itself when leaf is NULL */
	char *leaf;
	bool is_dir;
	char *base;	/* name of the top entry as the source side makes it */
	char *rebase;	/* Docker's RebaseName: the name the user asked for, when it differs */
};

static void src_info_release(struct src_info *s)
{
	if (s->dfd >= 0)
		close(s->dfd);
	free(s->leaf);
	free(s->base);
	free(s->rebase);
}

struct dst_info {
	char *path;
	bool exists, is_dir;
};

/* Docker's PrepareArchiveCopy: the directory the entries go into and the
 * name of the top entry there. */
static int prepare_copy(const struct src_info *s, const struct dst_info *d, char **dst_dir, char **top,
			robbe_error **err)
{
	cleanup_free char *dir = NULL;
	cleanup_free char *base = NULL;
	const char *src_top = s->rebase ? s->rebase : s->base;

	*dst_dir = *top = NULL;
	cp_split_dir_entry(d->path, &dir, &base);
	if (d->exists && d->is_dir) {
		/* Into the directory, under the source's own name ("." for
		 * "SRC/.", so its contents land there directly). */
		*dst_dir = xstrdup(d->path);
		*top = xstrdup(src_top);
		return 0;
	}
	if (d->exists && s->is_dir)
		return robbe_error_set(err, 0, "cannot copy directory");
	if (!d->exists && !s->is_dir && cp_asserts_dir(d->path))
		return robbe_error_set(err, 0, "no such directory");
	/* A file over a file, or a new file or directory: the top entry
	 * takes the destination's name in its parent. */
	*dst_dir = steal_pointer(&dir);
	*top = steal_pointer(&base);
	return 0;
}

/* ---- the container side ---------------------------------------------------------------- */

static int not_found(robbe_error **err, struct copy_result *res, const char *path, const struct copy_opts *o)
{
	res->daemon_error = true;
	robbe_error_set(err, 0, "Could not find the file %s in container %s", path, label(o));
	(*err)->errnum = ENOENT;
	return -1;
}

/* A container path the way the daemon takes it: relative to "/",
 * cleaned, with a trailing "/" or "/." kept. */
static char *container_abs(const char *path)
{
	cleanup_free char *clean = cp_clean_abs(path);
	return preserve_trailing(clean, path);
}

/* Docker's containerArchivePath: the directory part is resolved in the
 * root, the last component is taken as it is (a symlink is copied as a
 * link) unless the path asserts a directory. */
static int container_src(const struct cp_root *root, const char *user_path, const char *path,
			 const struct copy_opts *o, struct src_info *s, struct copy_result *res, robbe_error **err)
{
	cleanup_free char *abs = container_abs(path);
	cleanup_free char *clean = cp_clean_abs(path);
	struct stat st;
	int fd;

	s->dfd = -1;
	if (cp_asserts_dir(abs) || strcmp(clean, "/") == 0) {
		fd = cp_open_dir(root, clean, 0);
		if (fd < 0)
			goto fail;
		s->dfd = fd;
		s->is_dir = true;
		/* The root and "DIR/." stand for a directory's contents. */
		s->base = strcmp(clean, "/") == 0 || cp_is_current_dir(abs) ? xstrdup(".") : xstrdup(strrchr(clean, '/') + 1);
		return 0;
	}
	{
		const char *leaf;
		fd = cp_open_parent(root, clean, 0, &leaf);
		if (fd < 0)
			goto fail;
		s->dfd = fd;
		s->leaf = xstrdup(leaf);
		s->base = xstrdup(leaf);
		if (fstatat(fd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			fd = -errno;
			goto fail;
		}
		s->is_dir = S_ISDIR(st.st_mode);
		return 0;
	}
fail:
	if (fd == -ENOENT)
		return not_found(err, res, user_path, o);
	res->daemon_error = true;
	return go_path_error(err, "lstat", abs, -fd);
}

/* Docker's client with -L asks for the source's stat first and, for a
 * symlink, copies from where it leads (resolved inside the root) under
 * the name that was asked for. */
static int container_follow(const struct cp_root *root, const char *path, char **target, char **rebase)
{
	cleanup_free char *abs = container_abs(path);
	cleanup_free char *clean = cp_clean_abs(path);
	cleanup_free char *resolved = NULL;
	cleanup_close int pfd = -1;
	const char *leaf;
	struct stat st;

	*target = *rebase = NULL;
	if (cp_asserts_dir(abs) || strcmp(clean, "/") == 0)
		return 0;
	pfd = cp_open_parent(root, clean, 0, &leaf);
	if (pfd < 0 || fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode))
		return 0;
	if (cp_resolve_path(root, clean, CP_RES_FOLLOW, &resolved) < 0)
		return 0; /* the copy itself reports it */
	*target = steal_pointer(&resolved);
	/* GetRebaseName: the entry keeps the name the user gave. */
	if (strcmp(strcmp(*target, "/") == 0 ? "/" : strrchr(*target, '/') + 1, leaf) != 0)
		*rebase = xstrdup(leaf);
	return 0;
}

/* The source with -L applied. */
static int container_src_follow(const struct cp_root *root, const char *src, const struct copy_opts *o,
				struct src_info *s, struct copy_result *res, robbe_error **err)
{
	cleanup_free char *target = NULL;
	cleanup_free char *rebase = NULL;

	if (o && o->follow_link)
		container_follow(root, src, &target, &rebase);
	if (container_src(root, src, target ? target : src, o, s, res, err) < 0)
		return -1;
	s->rebase = steal_pointer(&rebase);
	return 0;
}

/* Docker's ContainerStatPath for a destination, with the client's
 * following of a final symlink.  Errors mean "does not exist". */
static int container_dst(const struct cp_root *root, const char *dst, const struct copy_opts *o, struct dst_info *d,
			 robbe_error **err)
{
	cleanup_free char *abs = container_abs(dst);
	cleanup_free char *clean = cp_clean_abs(dst);
	cleanup_close int pfd = -1;
	const char *leaf;
	struct stat st;

	memset(d, 0, sizeof(*d));
	d->path = xstrdup(dst);
	if (cp_asserts_dir(abs) || strcmp(clean, "/") == 0) {
		int fd = cp_open_dir(root, clean, 0);
		if (fd >= 0) {
			close(fd);
			d->exists = d->is_dir = true;
		}
		return 0;
	}
	pfd = cp_open_parent(root, clean, 0, &leaf);
	if (pfd < 0 || fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		cleanup_free char *target = NULL;
		cleanup_close int tfd = -1;
		const char *tleaf;

		if (cp_resolve_path(root, clean, CP_RES_FOLLOW, &target) < 0)
			return 0;
		free(d->path);
		d->path = xstrdup(target);
		if (strcmp(target, "/") == 0) {
			d->exists = d->is_dir = true;
			return 0;
		}
		tfd = cp_open_parent(root, target, 0, &tleaf);
		if (tfd < 0 || fstatat(tfd, tleaf, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return 0;
	}
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		return robbe_error_set(err, 0, "destination \"%s:%s\" must be a directory or a regular file: got a device",
				       label(o), dst);
	d->exists = true;
	d->is_dir = S_ISDIR(st.st_mode);
	return 0;
}

/* The daemon's check of the directory a tar is unpacked into. */
static int extraction_point(const struct cp_root *root, const char *dir, const struct copy_opts *o,
			    struct copy_result *res, robbe_error **err)
{
	cleanup_free char *clean = cp_clean_abs(dir);
	int fd = cp_open_dir(root, clean, 0);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (fd == -ENOENT)
		return not_found(err, res, dir, o);
	res->daemon_error = true;
	if (fd == -ENOTDIR)
		return robbe_error_set(err, 0, "extraction point is not a directory");
	return go_path_error(err, "lstat", clean, -fd);
}

static void container_sink(struct cp_sink *sink, const struct cp_root *root, const char *dir,
			   const struct copy_opts *o)
{
	cp_sink_tree_init(sink, root, dir, false);
	sink->chown = true;
	if (o && o->set_owner) {
		sink->force_owner = true;
		sink->uid = o->uid;
		sink->gid = o->gid;
	}
}

/* ---- the host side ------------------------------------------------------------------- */

/* Docker's ValidateOutputPath for where a copy from a container goes. */
static int validate_output_path(const char *path, robbe_error **err)
{
	cleanup_free char *clean = cp_clean_abs(path);
	cleanup_free char *dir = xstrdup(clean);
	char *slash = strrchr(dir, '/');
	struct stat st;

	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	if (stat(dir, &st) < 0 && errno == ENOENT)
		return robbe_error_set(err, 0, "invalid output path: directory \"%s\" does not exist", dir);
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return go_path_error(err, "stat", path, errno);
	}
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		return robbe_error_set(err, 0, "invalid output path: \"%s\" must be a directory or a regular file: got a device",
				       path);
	return 0;
}

/* Docker's CopyInfoDestinationPath: a final symlink is followed (the copy
 * goes where it points); a missing destination needs an existing parent. */
static int host_dst(const char *path_in, struct dst_info *d, robbe_error **err)
{
	cleanup_free char *path = xstrdup(path_in);
	struct stat st;
	int n = 0;

	memset(d, 0, sizeof(*d));
	while (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char target[PATH_MAX + 1];
		ssize_t len;

		if (++n > HOST_DST_MAX_LINKS)
			return robbe_error_set(err, 0, "too many symlinks in %s", path_in);
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			return go_path_error(err, "readlink", path, errno);
		target[len] = '\0';
		if (target[0] != '/') {
			cleanup_free char *dir = NULL;
			cleanup_free char *base = NULL;
			cleanup_free char *joined = NULL;
			cp_split_dir_entry(path, &dir, &base);
			joined = xasprintf("%s/%s", dir, target);
			free(path);
			path = cp_clean_abs(joined);
		} else {
			free(path);
			path = cp_clean_abs(target);
		}
	}
	if (lstat(path, &st) < 0) {
		cleanup_free char *dir = NULL;
		cleanup_free char *base = NULL;
		struct stat pst;

		if (errno != ENOENT)
			return go_path_error(err, "lstat", path, errno);
		cp_split_dir_entry(path, &dir, &base);
		if (stat(dir, &pst) < 0)
			return go_path_error(err, "stat", dir, errno);
		if (!S_ISDIR(pst.st_mode))
			return robbe_error_set(err, 0, "not a directory");
		d->path = steal_pointer(&path);
		return 0;
	}
	d->path = steal_pointer(&path);
	d->exists = true;
	d->is_dir = S_ISDIR(st.st_mode);
	return 0;
}

/* filepath.EvalSymlinks, with Go's error shape. */
static int host_eval_links(const char *path, char **out, robbe_error **err)
{
	char buf[PATH_MAX];

	if (!realpath(path, buf))
		return go_path_error(err, "lstat", path, errno);
	*out = xstrdup(buf);
	return 0;
}

/* Docker's CopyInfoSourcePath and TarResource for a host source. */
static int host_src(const char *path, bool follow, struct src_info *s, robbe_error **err)
{
	cleanup_free char *resolved = NULL;
	cleanup_free char *rebase = NULL;
	cleanup_free char *dir = NULL;
	cleanup_free char *base = NULL;
	struct stat st;

	s->dfd = -1;
	if (follow) {
		cleanup_free char *r = NULL;
		cleanup_free char *pbase = NULL;
		cleanup_free char *rbase = NULL;
		struct sbuf sb = SBUF_INIT;

		if (host_eval_links(path, &r, err) < 0)
			return -1;
		/* GetRebaseName */
		sbuf_adds(&sb, r);
		if (cp_is_current_dir(path) && !cp_is_current_dir(r))
			sbuf_adds(&sb, has_trailing_slash(r) ? "." : "/.");
		if (has_trailing_slash(path) && !has_trailing_slash(sbuf_str(&sb)))
			sbuf_addc(&sb, '/');
		resolved = sbuf_detach(&sb);
		{
			cleanup_free char *d1 = NULL;
			cleanup_free char *d2 = NULL;
			cp_split_dir_entry(path, &d1, &pbase);
			cp_split_dir_entry(resolved, &d2, &rbase);
			if (strcmp(pbase, rbase) != 0)
				rebase = xstrdup(pbase);
		}
	} else {
		const char *slash = strrchr(path, '/');
		cleanup_free char *dpart = xstrndup(path, (size_t) (slash - path + 1));
		cleanup_free char *rdir = NULL;

		if (host_eval_links(dpart, &rdir, err) < 0)
			return -1;
		resolved = strcmp(rdir, "/") == 0 ? xasprintf("/%s", slash + 1) : xasprintf("%s/%s", rdir, slash + 1);
		if (has_trailing_slash(path)) {
			cleanup_free char *d1 = NULL;
			cleanup_free char *d2 = NULL;
			cleanup_free char *b1 = NULL;
			cleanup_free char *b2 = NULL;
			cp_split_dir_entry(path, &d1, &b1);
			cp_split_dir_entry(resolved, &d2, &b2);
			if (strcmp(b1, b2) != 0)
				rebase = xstrdup(b1);
		}
	}
	if (lstat(resolved, &st) < 0)
		return go_path_error(err, "lstat", resolved, errno);
	s->is_dir = S_ISDIR(st.st_mode);
	cp_split_dir_entry(resolved, &dir, &base);
	if (strcmp(base, ".") == 0 || strcmp(base, "/") == 0) {
		/* "DIR/." (or "/"): the directory itself, named "." */
		const char *d = strcmp(base, "/") == 0 ? "/" : dir;
		s->dfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s->dfd < 0)
			return go_path_error(err, "open", d, errno);
		s->base = xstrdup(".");
	} else {
		s->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s->dfd < 0)
			return go_path_error(err, "open", dir, errno);
		s->leaf = xstrdup(base);
		s->base = xstrdup(base);
	}
	s->rebase = steal_pointer(&rebase);
	return 0;
}

/* ---- the four directions ------------------------------------------------------------ */

int copy_from_container(int root_fd, const char *src, const char *host_dst_path, const struct copy_opts *o,
			struct copy_result *res, robbe_error **err)
{
	struct cp_root root = { .fd = root_fd, .no_openat2 = o && o->no_openat2 };
	struct cp_root host = { .fd = -1, .no_openat2 = root.no_openat2 };
	struct src_info s = { .dfd = -1 };
	struct dst_info d = { 0 };
	cleanup_free char *local = local_abs(host_dst_path);
	cleanup_free char *dst_dir = NULL;
	cleanup_free char *top = NULL;
	struct cp_sink sink;
	int r = -1;

	memset(res, 0, sizeof(*res));
	cp_sink_tree_init(&sink, &host, "/", true);
	if (validate_output_path(local, err) < 0)
		goto out;
	if (container_src_follow(&root, src, o, &s, res, err) < 0)
		goto out;
	if (host_dst(local, &d, err) < 0 || prepare_copy(&s, &d, &dst_dir, &top, err) < 0)
		goto out;
	host.fd = open(dst_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (host.fd < 0) {
		go_path_error(err, "open", dst_dir, errno);
		goto out;
	}
	/* Entries of the container's tree only ever land below dst_dir, and
	 * a symlink on their way is refused rather than followed. */
	if (cp_walk(s.dfd, s.leaf, top, &sink, err) < 0 || cp_sink_finish(&sink, err) < 0)
		goto out;
	res->bytes = sink.bytes;
	res->dest = steal_pointer(&local);
	r = 0;
out:
	cp_sink_release(&sink);
	if (host.fd >= 0)
		close(host.fd);
	src_info_release(&s);
	free(d.path);
	return r;
}

int copy_from_container_tar(int root_fd, const char *src, int out_fd, const struct copy_opts *o,
			    struct copy_result *res, robbe_error **err)
{
	struct cp_root root = { .fd = root_fd, .no_openat2 = o && o->no_openat2 };
	struct src_info s = { .dfd = -1 };
	struct cp_sink sink = { 0 };
	int r = -1;

	memset(res, 0, sizeof(*res));
	if (container_src_follow(&root, src, o, &s, res, err) < 0)
		goto out;
	if (cp_sink_tar_open(&sink, out_fd, err) < 0)
		goto out;
	/* Docker sends the stream as the archive endpoint made it: named
	 * after what was archived (with -L, the link's target). */
	if (cp_walk(s.dfd, s.leaf, s.base, &sink, err) < 0 || cp_sink_finish(&sink, err) < 0)
		goto out;
	res->bytes = sink.bytes;
	res->dest = xstrdup("-");
	r = 0;
out:
	cp_sink_release(&sink);
	src_info_release(&s);
	return r;
}

int copy_into_container(int root_fd, const char *host_src_path, const char *dst, const struct copy_opts *o,
			struct copy_result *res, robbe_error **err)
{
	struct cp_root root = { .fd = root_fd, .no_openat2 = o && o->no_openat2 };
	struct src_info s = { .dfd = -1 };
	struct dst_info d = { 0 };
	cleanup_free char *local = local_abs(host_src_path);
	cleanup_free char *dst_dir = NULL;
	cleanup_free char *top = NULL;
	struct cp_sink sink = { 0 };
	int r = -1;

	memset(res, 0, sizeof(*res));
	if (host_src(local, o && o->follow_link, &s, err) < 0)
		goto out;
	if (container_dst(&root, dst, o, &d, err) < 0 || prepare_copy(&s, &d, &dst_dir, &top, err) < 0)
		goto out;
	if (extraction_point(&root, dst_dir, o, res, err) < 0)
		goto out;
	container_sink(&sink, &root, dst_dir, o);
	if (cp_walk(s.dfd, s.leaf, top, &sink, err) < 0 || cp_sink_finish(&sink, err) < 0) {
		res->daemon_error = true;
		goto out;
	}
	res->bytes = sink.bytes;
	res->dest = steal_pointer(&d.path);
	r = 0;
out:
	cp_sink_release(&sink);
	src_info_release(&s);
	free(d.path);
	return r;
}

int copy_into_container_tar(int root_fd, int in_fd, const char *dst, const struct copy_opts *o,
			    struct copy_result *res, robbe_error **err)
{
	struct cp_root root = { .fd = root_fd, .no_openat2 = o && o->no_openat2 };
	struct dst_info d = { 0 };
	struct cp_sink sink = { 0 };
	int r = -1;

	memset(res, 0, sizeof(*res));
	if (container_dst(&root, dst, o, &d, err) < 0)
		goto out;
	if (!d.is_dir) {
		robbe_error_set(err, 0, "destination \"%s:%s\" must be a directory", label(o), dst);
		goto out;
	}
	if (extraction_point(&root, d.path, o, res, err) < 0)
		goto out;
	container_sink(&sink, &root, d.path, o);
	if (cp_tar_read(in_fd, &sink, err) < 0 || cp_sink_finish(&sink, err) < 0) {
		res->daemon_error = true;
		goto out;
	}
	res->bytes = sink.bytes;
	res->dest = steal_pointer(&d.path);
	r = 0;
out:
	cp_sink_release(&sink);
	free(d.path);
	return r;
}
