/* copy-stream.c: the sources and sinks of cp.
 *
 * Sources: a directory tree walked with fds (cp_walk), or a tar stream
 * (cp_tar_read).  Sinks: a tar stream, or a directory tree below an
 * extraction directory.  The tree sink is where hostile names arrive (a
 * tar from stdin, or a container's files on their way to the host), so:
 *
 *  - every name is cleaned lexically first (tar_clean_path: ".." refused);
 *  - its parent is opened through cp_open_parent(): in a container root
 *    with the container's own symlinks resolved inside the root, on the
 *    host with every symlink refused; the last component is then created
 *    with *at() calls on that parent fd, never by path;
 *  - a symlink entry is only data: stored, never followed; a hard link's
 *    target is resolved like a name and must not be a directory;
 *  - a directory is never replaced by a non-directory or the other way
 *    round (Docker's NoOverwriteDirNonDir): the copy fails instead.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>


#include "copy-internal.h"
#include "tarball.h"
#include "lazy-archive.h"

#define IO_CHUNK 65536
#define TAR_BLOCK 512
/* xattrs kept per entry; real files have a handful. */
#define CP_MAX_XATTRS 64
#define CP_MAX_XATTR_SIZE 65536

struct cp_deferred_dir {
	char *path;
	int64_t mtime;
};

/* What crosses over with a file: file capabilities (Docker keeps those)
 * and user.* attributes; never overlay's own. */
static bool xattr_copied(const char *name)
{
	if (str_has_prefix(name, "user.overlay."))
		return false;
	return str_has_prefix(name, "user.") || strcmp(name, "security.capability") == 0;
}

static void xattrs_release(struct cp_xattr *x, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(x[i].name);
		free(x[i].value);
	}
	free(x);
}

static uint64_t tar_size_of(const struct cp_entry *e)
{
	uint64_t n = TAR_BLOCK;

	if (S_ISREG(e->mode) && !e->hardlink && e->size > 0)
		n += ((uint64_t) e->size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	return n;
}

/* ---- the tar sink ------------------------------------------------------------- */

static la_ssize_t tar_out_cb(struct archive *a, void *data, const void *buf, size_t n)
{
	struct cp_sink *s = data;

	if (write_all(s->out_fd, buf, n) < 0) {
		archive_set_error(a, errno, "write");
		return -1;
	}
	s->bytes += n;
	return (la_ssize_t) n;
}

int cp_sink_tar_open(struct cp_sink *s, int fd, robbe_error **err)
{
	memset(s, 0, sizeof(*s));
	s->kind = CP_SINK_TAR;
	s->out_fd = fd;
	s->tar = archive_write_new();
	if (!s->tar)
		die_oom();
	/* What Docker's cp writes: ustar, pax records only where a name or
	 * value does not fit, numeric owners, whole-second times, the two
	 * zero blocks at the end and no padding to a 10 KiB record. */
	archive_write_set_format_pax_restricted(s->tar);
	if (archive_write_set_format_option(s->tar, "pax", "xattrheader", "SCHILY") != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s", archive_error_string(s->tar));
	archive_write_set_bytes_in_last_block(s->tar, 1);
	if (archive_write_open(s->tar, s, NULL, tar_out_cb, NULL) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s", archive_error_string(s->tar));
	return 0;
}

static int tar_put(struct cp_sink *s, const struct cp_entry *e, robbe_error **err)
{
	struct archive_entry *ae = archive_entry_new();
	cleanup_free char *name = S_ISDIR(e->mode) ? xasprintf("%s/", e->name) : xstrdup(e->name);
	char buf[IO_CHUNK];
	int r;

	if (!ae)
		die_oom();
	archive_entry_set_pathname(ae, name);
	archive_entry_set_perm(ae, e->mode & 07777);
	archive_entry_set_uid(ae, e->uid);
	archive_entry_set_gid(ae, e->gid);
	archive_entry_set_mtime(ae, e->mtime, 0);
	archive_entry_set_filetype(ae, e->mode & S_IFMT);
	if (S_ISLNK(e->mode))
		archive_entry_set_symlink(ae, e->link);
	if (S_ISCHR(e->mode) || S_ISBLK(e->mode)) {
		archive_entry_set_rdevmajor(ae, major(e->rdev));
		archive_entry_set_rdevminor(ae, minor(e->rdev));
	}
	if (e->hardlink) {
		archive_entry_set_hardlink(ae, e->hardlink);
		archive_entry_set_size(ae, 0);
	} else {
		archive_entry_set_size(ae, S_ISREG(e->mode) ? e->size : 0);
	}
	for (size_t i = 0; i < e->n_xattrs; i++)
		archive_entry_xattr_add_entry(ae, e->xattrs[i].name, e->xattrs[i].value, e->xattrs[i].size);
	r = archive_write_header(s->tar, ae);
	archive_entry_free(ae);
	if (r != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s: %s", e->name, archive_error_string(s->tar));
	if (!S_ISREG(e->mode) || e->hardlink)
		return 0;
	for (int64_t left = e->size; left > 0;) {
		size_t want = left < (int64_t) sizeof(buf) ? (size_t) left : sizeof(buf);
		ssize_t n = e->read(e->read_ctx, buf, want);
		if (n < 0)
			return robbe_error_errno(err, errno, "read %s", e->name);
		if (n == 0)
			break; /* shrank meanwhile: libarchive pads with zeros */
		if (archive_write_data(s->tar, buf, (size_t) n) != n)
			return robbe_error_set(err, 0, "%s: %s", e->name, archive_error_string(s->tar));
		left -= n;
	}
	return 0;
}

/* ---- the tree sink ------------------------------------------------------------ */

void cp_sink_tree_init(struct cp_sink *s, const struct cp_root *root, const char *base, bool nolinks)
{
	memset(s, 0, sizeof(*s));
	s->kind = CP_SINK_TREE;
	s->out_fd = -1;
	s->root = root;
	s->base = cp_clean_abs(base);
	s->nolinks = nolinks;
}

static unsigned tree_flags(const struct cp_sink *s)
{
	return s->nolinks ? CP_RES_NOLINKS : 0;
}

/* base + "/" + a cleaned name */
static char *tree_path(const struct cp_sink *s, const char *clean)
{
	return strcmp(s->base, "/") == 0 ? xasprintf("/%s", clean) : xasprintf("%s/%s", s->base, clean);
}

static int tree_owner(const struct cp_sink *s, const struct cp_entry *e, uid_t *uid, gid_t *gid)
{
	if (!s->chown)
		return 0;
	*uid = s->force_owner ? s->uid : e->uid;
	*gid = s->force_owner ? s->gid : e->gid;
	return 1;
}

static int tree_meta_fd(struct cp_sink *s, int fd, const struct cp_entry *e, const char *path, bool times,
			robbe_error **err)
{
	uid_t uid;
	gid_t gid;

	/* Owner first (chown clears set-id bits), then the mode, then
	 * xattrs (chown drops security.capability), then times. */
	if (tree_owner(s, e, &uid, &gid) && fchown(fd, uid, gid) < 0)
		return robbe_error_errno(err, errno, "chown %s", path);
	if (fchmod(fd, e->mode & 07777) < 0)
		return robbe_error_errno(err, errno, "chmod %s", path);
	for (size_t i = 0; i < e->n_xattrs; i++) {
		if (!xattr_copied(e->xattrs[i].name))
			continue;
		/* As Docker: where the filesystem or the kernel refuses one,
		 * the file is still copied. */
		if (fsetxattr(fd, e->xattrs[i].name, e->xattrs[i].value, e->xattrs[i].size, 0) < 0 &&
		    errno != ENOTSUP && errno != EPERM && errno != EACCES && errno != E2BIG && errno != ERANGE &&
		    errno != EINVAL)
			return robbe_error_errno(err, errno, "set xattr %s on %s", e->xattrs[i].name, path);
	}
	if (times) {
		struct timespec ts[2] = { { e->mtime, 0 }, { e->mtime, 0 } };
		if (futimens(fd, ts) < 0)
			return robbe_error_errno(err, errno, "set times of %s", path);
	}
	return 0;
}

static int tree_meta_at(struct cp_sink *s, int pfd, const char *leaf, const struct cp_entry *e, const char *path,
			robbe_error **err)
{
	struct timespec ts[2] = { { e->mtime, 0 }, { e->mtime, 0 } };
	uid_t uid;
	gid_t gid;

	if (tree_owner(s, e, &uid, &gid) && fchownat(pfd, leaf, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		return robbe_error_errno(err, errno, "chown %s", path);
	/* The node was just made by us under pfd; Linux has no mode for
	 * symlinks. */
	if (!S_ISLNK(e->mode) && fchmodat(pfd, leaf, e->mode & 07777, 0) < 0)
		return robbe_error_errno(err, errno, "chmod %s", path);
	if (utimensat(pfd, leaf, ts, AT_SYMLINK_NOFOLLOW) < 0)
		return robbe_error_errno(err, errno, "set times of %s", path);
	return 0;
}

static int tree_write_data(int fd, const struct cp_entry *e, const char *path, robbe_error **err)
{
	char buf[IO_CHUNK];
	int64_t left = e->size;

	while (left > 0) {
		size_t want = left < (int64_t) sizeof(buf) ? (size_t) left : sizeof(buf);
		ssize_t n = e->read(e->read_ctx, buf, want);
		if (n < 0)
			return robbe_error_errno(err, errno, "read %s", e->name);
		if (n == 0)
			break;
		if (write_all(fd, buf, (size_t) n) < 0)
			return robbe_error_errno(err, errno, "write %s", path);
		left -= n;
	}
	/* A source that shrank meanwhile reads as zeros to its old size. */
	if (left > 0 && ftruncate(fd, e->size) < 0)
		return robbe_error_errno(err, errno, "write %s", path);
	return 0;
}

static void defer_dir(struct cp_sink *s, const char *path, int64_t mtime)
{
	if (s->n_dirs == s->alloc_dirs) {
		s->alloc_dirs = s->alloc_dirs ? 2 * s->alloc_dirs : 32;
		s->dirs = xrealloc(s->dirs, s->alloc_dirs * sizeof(*s->dirs));
	}
	s->dirs[s->n_dirs].path = xstrdup(path);
	s->dirs[s->n_dirs].mtime = mtime;
	s->n_dirs++;
}

static int tree_hardlink(struct cp_sink *s, int pfd, const char *leaf, const struct cp_entry *e, const char *path,
			 robbe_error **err)
{
	cleanup_free char *clean = NULL;
	cleanup_free char *tpath = NULL;
	cleanup_close int tfd = -1;
	const char *tleaf;
	struct stat st;

	if (tar_clean_path(e->hardlink, &clean, err) < 0)
		return robbe_error_wrap(err, "%s: hard link target", e->name);
	if (!*clean)
		return robbe_error_set(err, 0, "%s: hard link to the extraction directory", e->name);
	tpath = tree_path(s, clean);
	tfd = cp_open_parent(s->root, tpath, tree_flags(s), &tleaf);
	if (tfd < 0 || fstatat(tfd, tleaf, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return robbe_error_set(err, 0, "%s: hard link target %s is not in the copy", e->name, e->hardlink);
	if (S_ISDIR(st.st_mode))
		return robbe_error_set(err, 0, "%s: hard link to a directory", e->name);
	if (linkat(tfd, tleaf, pfd, leaf, 0) < 0)
		return robbe_error_errno(err, errno, "link %s", path);
	return 0;
}

static int tree_put(struct cp_sink *s, const struct cp_entry *e, robbe_error **err)
{
	cleanup_free char *clean = NULL;
	cleanup_free char *path = NULL;
	cleanup_close int pfd = -1;
	cleanup_close int fd = -1;
	const char *leaf;
	struct stat st;
	bool exists, is_dir = S_ISDIR(e->mode) && !e->hardlink;
	char ebuf[128];

	if (tar_clean_path(e->name, &clean, err) < 0)
		return -1;
	/* "." is the extraction directory itself: it exists and keeps its
	 * own metadata, as Docker leaves it. */
	if (!*clean)
		return 0;
	path = tree_path(s, clean);
	pfd = cp_open_parent(s->root, path, tree_flags(s) | CP_RES_MKDIR, &leaf);
	if (pfd < 0) {
		if (pfd == -ELOOP && s->nolinks)
			return robbe_error_set(err, 0, "%s: a symbolic link is in the way of %s", path, e->name);
		return robbe_error_set(err, 0, "%s: %s", path, cp_go_strerror(-pfd, ebuf, sizeof(ebuf)));
	}
	exists = fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (!exists && errno != ENOENT)
		return robbe_error_errno(err, errno, "lstat %s", path);
	if (exists && S_ISDIR(st.st_mode) && !is_dir)
		return robbe_error_set(err, 0, "cannot overwrite directory \"%s\" with non-directory \"%s\"", path,
				       s->base);
	if (exists && !S_ISDIR(st.st_mode) && is_dir)
		return robbe_error_set(err, 0, "cannot overwrite non-directory \"%s\" with directory \"%s\"", path,
				       s->base);
	if (exists && !is_dir && unlinkat(pfd, leaf, 0) < 0)
		return robbe_error_errno(err, errno, "remove %s", path);
	s->bytes += tar_size_of(e);
	if (++s->entries > TAR_MAX_ENTRIES)
		return robbe_error_set(err, 0, "more than %llu entries", (unsigned long long) TAR_MAX_ENTRIES);

	if (e->hardlink)
		return tree_hardlink(s, pfd, leaf, e, path, err);
	switch (e->mode & S_IFMT) {
	case S_IFREG:
		fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return robbe_error_errno(err, errno, "create %s", path);
		if (tree_write_data(fd, e, path, err) < 0)
			return -1;
		return tree_meta_fd(s, fd, e, path, true, err);
	case S_IFDIR:
		if (!exists && mkdirat(pfd, leaf, 0700) < 0)
			return robbe_error_errno(err, errno, "mkdir %s", path);
		fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return robbe_error_errno(err, errno, "open %s", path);
		if (tree_meta_fd(s, fd, e, path, false, err) < 0)
			return -1;
		/* Its time is set last: entries made inside change it. */
		defer_dir(s, path, e->mtime);
		return 0;
	case S_IFLNK:
		if (!e->link || !*e->link || strlen(e->link) >= PATH_MAX)
			return robbe_error_set(err, 0, "%s: invalid symbolic link target", e->name);
		if (symlinkat(e->link, pfd, leaf) < 0)
			return robbe_error_errno(err, errno, "symlink %s", path);
		return tree_meta_at(s, pfd, leaf, e, path, err);
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
		if (mknodat(pfd, leaf, (e->mode & S_IFMT) | 0600, S_ISFIFO(e->mode) ? 0 : e->rdev) < 0)
			return robbe_error_errno(err, errno, "mknod %s", path);
		return tree_meta_at(s, pfd, leaf, e, path, err);
	default:
		return robbe_error_set(err, 0, "%s: unsupported file type 0%o", e->name, (unsigned) (e->mode & S_IFMT));
	}
}

/* ---- the sink interface --------------------------------------------------------- */

int cp_sink_put(struct cp_sink *s, const struct cp_entry *e, robbe_error **err)
{
	return s->kind == CP_SINK_TAR ? tar_put(s, e, err) : tree_put(s, e, err);
}

int cp_sink_finish(struct cp_sink *s, robbe_error **err)
{
	if (s->kind == CP_SINK_TAR) {
		if (archive_write_close(s->tar) != ARCHIVE_OK)
			return robbe_error_set(err, 0, "%s", archive_error_string(s->tar));
		return 0;
	}
	/* Deepest first would not matter: setting a directory's times
	 * does not change its parent's. */
	for (size_t i = 0; i < s->n_dirs; i++) {
		struct timespec ts[2] = { { s->dirs[i].mtime, 0 }, { s->dirs[i].mtime, 0 } };
		int fd = cp_open_dir(s->root, s->dirs[i].path, tree_flags(s));
		if (fd >= 0) {
			(void) futimens(fd, ts);
			close(fd);
		}
	}
	s->bytes += 2 * TAR_BLOCK;
	return 0;
}

void cp_sink_release(struct cp_sink *s)
{
	if (s->tar)
		archive_write_free(s->tar);
	s->tar = NULL;
	for (size_t i = 0; i < s->n_dirs; i++)
		free(s->dirs[i].path);
	free(s->dirs);
	s->dirs = NULL;
	s->n_dirs = s->alloc_dirs = 0;
	free(s->base);
	s->base = NULL;
}

/* ---- walking a tree ----------------------------------------------------------- */

struct link_seen {
	dev_t dev;
	ino_t ino;
	char *name;
};

struct walker {
	struct cp_sink *sink;
	struct link_seen *links;
	size_t n_links, alloc_links;
};

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	int fd = *(int *) ctx;
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

/* The first name of an inode with several links; NULL after recording it.
 * Linear: trees copied with cp have few multiply-linked files. */
static const char *link_first(struct walker *w, const struct stat *st, const char *name)
{
	for (size_t i = 0; i < w->n_links; i++)
		if (w->links[i].dev == st->st_dev && w->links[i].ino == st->st_ino)
			return w->links[i].name;
	if (w->n_links == w->alloc_links) {
		w->alloc_links = w->alloc_links ? 2 * w->alloc_links : 16;
		w->links = xrealloc(w->links, w->alloc_links * sizeof(*w->links));
	}
	w->links[w->n_links].dev = st->st_dev;
	w->links[w->n_links].ino = st->st_ino;
	w->links[w->n_links].name = xstrdup(name);
	w->n_links++;
	return NULL;
}

static void read_xattrs(int fd, struct cp_xattr **out, size_t *n)
{
	cleanup_free char *names = NULL;
	ssize_t len = flistxattr(fd, NULL, 0);

	*out = NULL;
	*n = 0;
	if (len <= 0)
		return;
	names = xmalloc((size_t) len);
	len = flistxattr(fd, names, (size_t) len);
	for (char *p = names; len > 0 && p < names + len && *n < CP_MAX_XATTRS; p += strlen(p) + 1) {
		ssize_t vlen;
		void *value;

		if (!xattr_copied(p))
			continue;
		vlen = fgetxattr(fd, p, NULL, 0);
		if (vlen < 0 || vlen > CP_MAX_XATTR_SIZE)
			continue;
		value = xmalloc((size_t) vlen + 1);
		vlen = fgetxattr(fd, p, value, (size_t) vlen);
		if (vlen < 0) {
			free(value);
			continue;
		}
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[*n].name = xstrdup(p);
		(*out)[*n].value = value;
		(*out)[*n].size = (size_t) vlen;
		(*n)++;
	}
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Names in a directory, sorted bytewise: the same tree gives the same
 * stream, and Docker's walk is lexical too. */
static int sorted_names(int dfd, char ***out, robbe_error **err)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char **names = xcalloc(1, sizeof(char *));
	struct dirent *de;
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd))) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		free(names);
		return robbe_error_errno(err, e, "read directory");
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			strv_push(&names, de->d_name);
	closedir(d);
	qsort(names, strv_len(names), sizeof(char *), cmp_names);
	*out = names;
	return 0;
}

static void entry_from_stat(struct cp_entry *e, const char *name, const struct stat *st)
{
	memset(e, 0, sizeof(*e));
	e->name = name;
	e->mode = st->st_mode;
	e->uid = st->st_uid;
	e->gid = st->st_gid;
	e->size = st->st_size;
	e->mtime = st->st_mtim.tv_sec;
	e->rdev = st->st_rdev;
}

static int walk_at(struct walker *w, int dfd, const char *leaf, const char *name, int depth, robbe_error **err);

static int walk_dir(struct walker *w, int fd, const struct stat *st, const char *name, int depth, robbe_error **err)
{
	cleanup_strv char **names = NULL;
	struct cp_xattr *xattrs = NULL;
	struct cp_entry e;
	size_t n_x = 0;
	int r;

	if (depth >= CP_MAX_DEPTH)
		return robbe_error_set(err, 0, "%s: more than %d levels deep", name, CP_MAX_DEPTH);
	entry_from_stat(&e, name, st);
	e.size = 0;
	read_xattrs(fd, &xattrs, &n_x);
	e.xattrs = xattrs;
	e.n_xattrs = n_x;
	r = cp_sink_put(w->sink, &e, err);
	xattrs_release(xattrs, n_x);
	if (r < 0)
		return -1;
	if (sorted_names(fd, &names, err) < 0)
		return robbe_error_wrap(err, "%s", name);
	for (size_t i = 0; names[i]; i++) {
		cleanup_free char *child = xasprintf("%s/%s", name, names[i]);
		if (walk_at(w, fd, names[i], child, depth + 1, err) < 0)
			return -1;
	}
	return 0;
}

static int walk_at(struct walker *w, int dfd, const char *leaf, const char *name, int depth, robbe_error **err)
{
	struct cp_xattr *xattrs = NULL;
	struct cp_entry e;
	struct stat st;
	size_t n_x = 0;
	char target[PATH_MAX + 1];
	int r;

	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT && depth > 0)
			return 0; /* removed while we walk */
		return robbe_error_errno(err, errno, "lstat %s", name);
	}
	entry_from_stat(&e, name, &st);
	if (S_ISSOCK(st.st_mode))
		return 0; /* tar has no sockets */
	if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
		const char *first = link_first(w, &st, name);
		if (first) {
			e.hardlink = first;
			return cp_sink_put(w->sink, &e, err);
		}
	}
	if (S_ISDIR(st.st_mode)) {
		cleanup_close int fd = openat(dfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return errno == ENOENT || errno == ELOOP || errno == ENOTDIR
				       ? 0 /* replaced while we walk: not what we listed */
				       : robbe_error_errno(err, errno, "open %s", name);
		if (fstat(fd, &st) < 0)
			return robbe_error_errno(err, errno, "stat %s", name);
		return walk_dir(w, fd, &st, name, depth, err);
	}
	if (S_ISREG(st.st_mode)) {
		/* O_NONBLOCK: a FIFO swapped in meanwhile must not hang us. */
		int fd = openat(dfd, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			return errno == ENOENT && depth > 0 ? 0 : robbe_error_errno(err, errno, "open %s", name);
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return 0;
		}
		entry_from_stat(&e, name, &st);
		read_xattrs(fd, &xattrs, &n_x);
		e.xattrs = xattrs;
		e.n_xattrs = n_x;
		e.read = fd_read;
		e.read_ctx = &fd;
		r = cp_sink_put(w->sink, &e, err);
		xattrs_release(xattrs, n_x);
		close(fd);
		return r;
	}
	if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlinkat(dfd, leaf, target, sizeof(target) - 1);
		if (n < 0)
			return errno == ENOENT && depth > 0 ? 0 : robbe_error_errno(err, errno, "readlink %s", name);
		target[n] = '\0';
		e.link = target;
	}
	e.size = 0;
	return cp_sink_put(w->sink, &e, err);
}

int cp_walk(int dfd, const char *leaf, const char *top, struct cp_sink *sink, robbe_error **err)
{
	struct walker w = { .sink = sink };
	int r;

	if (leaf) {
		r = walk_at(&w, dfd, leaf, top, 0, err);
	} else {
		struct stat st;
		r = fstat(dfd, &st) < 0 ? robbe_error_errno(err, errno, "stat %s", top) : walk_dir(&w, dfd, &st, top, 0, err);
	}
	for (size_t i = 0; i < w.n_links; i++)
		free(w.links[i].name);
	free(w.links);
	return r;
}

/* ---- reading a tar -------------------------------------------------------------- */

static ssize_t archive_read_cb(void *ctx, void *buf, size_t n)
{
	struct archive *a = ctx;
	la_ssize_t r = archive_read_data(a, buf, n);

	if (r < 0) {
		errno = archive_errno(a) > 0 ? archive_errno(a) : EIO;
		return -1;
	}
	return (ssize_t) r;
}

static int tar_entry(struct archive *a, struct archive_entry *ae, struct cp_sink *sink, robbe_error **err)
{
	struct cp_xattr *xattrs = NULL;
	size_t n_x = 0;
	struct cp_entry e = { 0 };
	la_int64_t uid = archive_entry_uid(ae), gid = archive_entry_gid(ae);
	const char *name;
	const void *value;
	size_t size;
	int r;

	memset(&e, 0, sizeof(e));
	e.name = archive_entry_pathname(ae);
	if (!e.name)
		return robbe_error_set(err, 0, "tar entry without a name");
	if (uid < 0 || gid < 0 || uid >= UINT32_MAX || gid >= UINT32_MAX)
		return robbe_error_set(err, 0, "%s: invalid owner %lld:%lld", e.name, (long long) uid, (long long) gid);
	e.mode = archive_entry_filetype(ae) | (archive_entry_perm(ae) & 07777);
	e.uid = (uint32_t) uid;
	e.gid = (uint32_t) gid;
	e.size = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : 0;
	e.mtime = archive_entry_mtime_is_set(ae) ? archive_entry_mtime(ae) : 0;
	e.rdev = makedev(archive_entry_rdevmajor(ae), archive_entry_rdevminor(ae));
	e.link = archive_entry_symlink(ae);
	e.hardlink = archive_entry_hardlink(ae);
	if (e.hardlink)
		e.mode = S_IFREG | (e.mode & 07777);
	if (archive_entry_xattr_reset(ae) > 0) {
		while (archive_entry_xattr_next(ae, &name, &value, &size) == ARCHIVE_OK && n_x < CP_MAX_XATTRS) {
			if (!xattr_copied(name) || size > CP_MAX_XATTR_SIZE)
				continue;
			xattrs = xrealloc(xattrs, (n_x + 1) * sizeof(*xattrs));
			xattrs[n_x].name = xstrdup(name);
			xattrs[n_x].value = xmalloc(size + 1);
			memcpy(xattrs[n_x].value, value, size);
			xattrs[n_x].size = size;
			n_x++;
		}
	}
	e.xattrs = xattrs;
	e.n_xattrs = n_x;
	e.read = archive_read_cb;
	e.read_ctx = a;
	r = cp_sink_put(sink, &e, err);
	xattrs_release(xattrs, n_x);
	return r;
}

int cp_tar_read(int in_fd, struct cp_sink *sink, robbe_error **err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	uint64_t entries = 0;
	int r = 0;

	if (!a)
		die_oom();
	/* Built-in decompressors only: with an external program libarchive
	 * would run it on what the user piped in. */
	if (archive_read_support_filter_gzip(a) != ARCHIVE_OK || archive_read_support_filter_bzip2(a) != ARCHIVE_OK ||
	    archive_read_support_filter_xz(a) != ARCHIVE_OK || archive_read_support_filter_zstd(a) != ARCHIVE_OK) {
		archive_read_free(a);
		return robbe_error_set(err, 0, "libarchive lacks built-in gzip/bzip2/xz/zstd support");
	}
	archive_read_support_format_tar(a);
	archive_read_support_format_empty(a);
	if (archive_read_open_fd(a, in_fd, IO_CHUNK) != ARCHIVE_OK) {
		r = robbe_error_set(err, 0, "%s", archive_error_string(a));
		goto out;
	}
	for (;;) {
		int h = archive_read_next_header(a, &ae);
		if (h == ARCHIVE_EOF)
			break;
		if (h != ARCHIVE_OK && h != ARCHIVE_WARN) {
			r = robbe_error_set(err, 0, "%s", archive_error_string(a));
			goto out;
		}
		if (++entries > TAR_MAX_ENTRIES) {
			r = robbe_error_set(err, 0, "more than %llu entries", (unsigned long long) TAR_MAX_ENTRIES);
			goto out;
		}
		if ((r = tar_entry(a, ae, sink, err)) < 0)
			goto out;
	}
out:
	archive_read_free(a);
	return r;
}
