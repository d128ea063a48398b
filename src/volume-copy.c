/* volume-copy.c: copy an image's content at a volume's destination into the
 * empty volume ("copy-up"), as Docker does when a container is created.
 *
 * The source is the container's root file system, which comes from an
 * image: its symbolic links are the image author's and must not lead out of
 * it.  Paths are therefore resolved component by component inside the root
 * (a link to "/etc" means <rootfs>/etc, ".." stops at the root), and the
 * copy itself works on descriptors with O_NOFOLLOW, never on host paths.
 * Symbolic links inside the copied tree are copied as links, not followed.
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

#include "volume.h"
#include "volume-internal.h"

/* Symbolic links followed while resolving one path, as the kernel's limit. */
#define MAX_LINKS 40
/* Directory levels copied: each holds two descriptors. */
#define MAX_DEPTH 256

static void split_push(char ***stack, const char *path)
{
	/* Components in reverse order, so the next one is at the end. */
	cleanup_strv char **parts = NULL;
	cleanup_free char *copy = xstrdup(path);
	char *save = NULL;

	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save))
		strv_push(&parts, c);
	for (size_t i = strv_len(parts); i-- > 0;)
		strv_push(stack, parts[i]);
}

static char *pop_last(char **v)
{
	size_t n = strv_len(v);
	char *r;

	if (!n)
		return NULL;
	r = v[n - 1];
	v[n - 1] = NULL;
	return r;
}

static char *join_parts(char *const *parts)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; parts && parts[i]; i++) {
		if (i)
			sbuf_addc(&sb, '/');
		sbuf_adds(&sb, parts[i]);
	}
	if (!sb.len)
		sbuf_addc(&sb, '.');
	return sbuf_detach(&sb);
}

/* Resolve path inside the directory root_fd, following symbolic links as if
 * root_fd were "/".  *rel gets the resolved path relative to root_fd
 * (every component but the last a real directory); returns 1 when it
 * exists, 0 when it does not. */
static int resolve_in_root(int root_fd, const char *path, char **rel, robbe_error **err)
{
	cleanup_strv char **pending = NULL;
	cleanup_strv char **done = NULL;
	int links = 0;

	*rel = NULL;
	split_push(&pending, path);
	for (char *c; (c = pop_last(pending));) {
		cleanup_free char *comp = c;
		cleanup_free char *cand = NULL;
		struct stat st;

		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			free(pop_last(done));
			continue;
		}
		strv_push(&done, comp);
		cand = join_parts(done);
		if (fstatat(root_fd, cand, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				return 0;
			return robbe_error_errno(err, errno, "stat %s", path);
		}
		if (!S_ISLNK(st.st_mode))
			continue;
		if (++links > MAX_LINKS)
			return robbe_error_errno(err, ELOOP, "resolve %s", path);
		char target[PATH_MAX];
		ssize_t n = readlinkat(root_fd, cand, target, sizeof(target) - 1);
		if (n < 0)
			return robbe_error_errno(err, errno, "readlink %s", cand);
		target[n] = '\0';
		free(pop_last(done));
		if (target[0] == '/') {
			strv_free(done);
			done = NULL;
		}
		split_push(&pending, target);
	}
	*rel = join_parts(done);
	return 1;
}

int volume_stat_in_root(const char *rootfs, const char *path, struct stat *st, char **host_path, robbe_error **err)
{
	cleanup_close int root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_free char *rel = NULL;
	int r;

	if (host_path)
		*host_path = NULL;
	if (root < 0)
		return robbe_error_errno(err, errno, "open %s", rootfs);
	if ((r = resolve_in_root(root, path, &rel, err)) <= 0)
		return r;
	if (fstatat(root, rel, st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : robbe_error_errno(err, errno, "stat %s", path);
	if (host_path)
		*host_path = strcmp(rel, ".") == 0 ? xstrdup(rootfs) : xasprintf("%s/%s", rootfs, rel);
	return 1;
}

/* ---- the copy ------------------------------------------------------------------- */

struct copier {
	int dst_root;
	/* Files with several links, by source inode: where the first copy went. */
	dev_t *devs;
	ino_t *inos;
	char **paths;
	size_t n, alloc;
};

static const char *seen_link(const struct copier *c, const struct stat *st)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->devs[i] == st->st_dev && c->inos[i] == st->st_ino)
			return c->paths[i];
	return NULL;
}

static void remember_link(struct copier *c, const struct stat *st, const char *rel)
{
	if (c->n == c->alloc) {
		c->alloc = c->alloc ? 2 * c->alloc : 16;
		c->devs = xrealloc(c->devs, c->alloc * sizeof(*c->devs));
		c->inos = xrealloc(c->inos, c->alloc * sizeof(*c->inos));
		c->paths = xrealloc(c->paths, c->alloc * sizeof(*c->paths));
	}
	c->devs[c->n] = st->st_dev;
	c->inos[c->n] = st->st_ino;
	c->paths[c->n++] = xstrdup(rel);
}

static bool xattr_ignorable(int e)
{
	return e == ENOTSUP || e == EOPNOTSUPP || e == EPERM || e == ENODATA || e == E2BIG || e == ERANGE;
}

/* Extended attributes from one descriptor to another, best effort: file
 * systems without them, or names this process may not set, are skipped. */
static void copy_xattrs(int src, int dst)
{
	ssize_t len = flistxattr(src, NULL, 0);
	cleanup_free char *names = NULL;

	if (len <= 0)
		return;
	names = xmalloc((size_t) len);
	len = flistxattr(src, names, (size_t) len);
	for (ssize_t off = 0; len > 0 && off < len; off += (ssize_t) strlen(names + off) + 1) {
		const char *name = names + off;
		cleanup_free char *val = NULL;
		ssize_t vlen;

		/* overlayfs keeps its own bookkeeping in these. */
		if (str_has_prefix(name, "trusted.overlay.") || str_has_prefix(name, "user.overlay."))
			continue;
		vlen = fgetxattr(src, name, NULL, 0);
		if (vlen < 0)
			continue;
		val = xmalloc((size_t) vlen + 1);
		vlen = fgetxattr(src, name, val, (size_t) vlen);
		if (vlen < 0)
			continue;
		if (fsetxattr(dst, name, val, (size_t) vlen, 0) < 0 && !xattr_ignorable(errno))
			continue;
	}
}

static int copy_data(int src, int dst, const char *rel, robbe_error **err)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(src, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return robbe_error_errno(err, errno, "read %s", rel);
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(dst, buf + off, (size_t) (n - off));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				return robbe_error_errno(err, errno, "write %s", rel);
			}
			off += w;
		}
	}
}

/* Owner, then mode (chown clears set-id bits), then times. */
static int set_meta_fd(int fd, const struct stat *st, const char *rel, robbe_error **err)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	if (fchown(fd, st->st_uid, st->st_gid) < 0)
		return robbe_error_errno(err, errno, "chown %s", rel);
	if (fchmod(fd, st->st_mode & 07777) < 0)
		return robbe_error_errno(err, errno, "chmod %s", rel);
	if (futimens(fd, ts) < 0)
		return robbe_error_errno(err, errno, "set times of %s", rel);
	return 0;
}

static int copy_dir(struct copier *c, int src, int dst, const char *rel, int depth, robbe_error **err);

static int copy_entry(struct copier *c, int src_dir, int dst_dir, const char *name, const char *rel, int depth,
		      robbe_error **err)
{
	struct stat st;
	const char *first;

	if (fstatat(src_dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return robbe_error_errno(err, errno, "stat %s", rel);

	if (!S_ISDIR(st.st_mode) && st.st_nlink > 1 && (first = seen_link(c, &st))) {
		if (linkat(c->dst_root, first, dst_dir, name, 0) < 0)
			return robbe_error_errno(err, errno, "link %s", rel);
		return 0;
	}

	if (S_ISDIR(st.st_mode)) {
		cleanup_close int s = -1;
		cleanup_close int d = -1;
		struct timespec ts[2] = { st.st_atim, st.st_mtim };

		if (depth >= MAX_DEPTH)
			return robbe_error_set(err, 0, "%s: directories nested too deeply", rel);
		if (mkdirat(dst_dir, name, 0700) < 0)
			return robbe_error_errno(err, errno, "mkdir %s", rel);
		s = openat(src_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		d = openat(dst_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (s < 0 || d < 0)
			return robbe_error_errno(err, errno, "open %s", rel);
		if (copy_dir(c, s, d, rel, depth + 1, err) < 0)
			return -1;
		copy_xattrs(s, d);
		if (fchown(d, st.st_uid, st.st_gid) < 0 || fchmod(d, st.st_mode & 07777) < 0)
			return robbe_error_errno(err, errno, "set owner of %s", rel);
		/* Last, so that filling it did not change its times. */
		if (futimens(d, ts) < 0)
			return robbe_error_errno(err, errno, "set times of %s", rel);
		return 0;
	}

	if (S_ISREG(st.st_mode)) {
		cleanup_close int s = openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		cleanup_close int d = -1;

		if (s < 0)
			return robbe_error_errno(err, errno, "open %s", rel);
		d = openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (d < 0)
			return robbe_error_errno(err, errno, "create %s", rel);
		if (copy_data(s, d, rel, err) < 0)
			return -1;
		copy_xattrs(s, d);
		if (set_meta_fd(d, &st, rel, err) < 0)
			return -1;
		if (st.st_nlink > 1)
			remember_link(c, &st, rel);
		return 0;
	}

	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlinkat(src_dir, name, target, sizeof(target) - 1);
		struct timespec ts[2] = { st.st_atim, st.st_mtim };

		if (n < 0)
			return robbe_error_errno(err, errno, "readlink %s", rel);
		target[n] = '\0';
		if (symlinkat(target, dst_dir, name) < 0)
			return robbe_error_errno(err, errno, "symlink %s", rel);
		if (fchownat(dst_dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
			return robbe_error_errno(err, errno, "chown %s", rel);
		(void) utimensat(dst_dir, name, ts, AT_SYMLINK_NOFOLLOW);
		return 0;
	}

	/* Devices, fifos, sockets: made anew. */
	{
		struct timespec ts[2] = { st.st_atim, st.st_mtim };
		if (mknodat(dst_dir, name, (st.st_mode & S_IFMT) | 0600, st.st_rdev) < 0)
			return robbe_error_errno(err, errno, "mknod %s", rel);
		if (fchownat(dst_dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0 ||
		    fchmodat(dst_dir, name, st.st_mode & 07777, 0) < 0)
			return robbe_error_errno(err, errno, "set owner of %s", rel);
		(void) utimensat(dst_dir, name, ts, AT_SYMLINK_NOFOLLOW);
		if (st.st_nlink > 1)
			remember_link(c, &st, rel);
	}
	return 0;
}

static int copy_dir(struct copier *c, int src, int dst, const char *rel, int depth, robbe_error **err)
{
	int fd = fcntl(src, F_DUPFD_CLOEXEC, 0);
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (fd < 0)
		return robbe_error_errno(err, errno, "dup");
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return robbe_error_errno(err, errno, "read %s", rel);
	}
	while ((de = readdir(d))) {
		cleanup_free char *sub = NULL;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = strcmp(rel, ".") == 0 ? xstrdup(de->d_name) : xasprintf("%s/%s", rel, de->d_name);
		if ((r = copy_entry(c, src, dst, de->d_name, sub, depth, err)) < 0)
			break;
	}
	closedir(d);
	return r;
}

static bool dir_empty(int fd)
{
	int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	DIR *d;
	struct dirent *de;
	bool empty = true;

	if (dup < 0)
		return false;
	d = fdopendir(dup);
	if (!d) {
		close(dup);
		return false;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = false;
			break;
		}
	closedir(d);
	return empty;
}

int volume_copy_up(const char *rootfs, const char *path, const char *dir, robbe_error **err)
{
	cleanup_close int root = open(rootfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int src = -1;
	cleanup_close int dst = -1;
	cleanup_free char *rel = NULL;
	struct copier c = { 0 };
	struct stat st;
	int r;

	if (root < 0)
		return robbe_error_errno(err, errno, "open %s", rootfs);
	if ((r = resolve_in_root(root, path, &rel, err)) <= 0)
		return r;
	src = openat(root, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (src < 0)
		return errno == ENOENT ? 0 : robbe_error_errno(err, errno, "open %s in the image", path);
	if (fstat(src, &st) < 0)
		return robbe_error_errno(err, errno, "stat %s in the image", path);
	if (!S_ISDIR(st.st_mode))
		return 0;
	dst = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dst < 0)
		return robbe_error_errno(err, errno, "open %s", dir);
	/* A volume with data keeps it: only an empty one is filled. */
	if (!dir_empty(dst))
		return 0;
	c.dst_root = dst;
	r = copy_dir(&c, src, dst, ".", 0, err);
	for (size_t i = 0; i < c.n; i++)
		free(c.paths[i]);
	free(c.paths);
	free(c.devs);
	free(c.inos);
	if (r < 0)
		return -1;
	/* The volume takes the owner and mode of what it covers. */
	if (fchown(dst, st.st_uid, st.st_gid) < 0 || fchmod(dst, st.st_mode & 07777) < 0)
		return robbe_error_errno(err, errno, "set owner of %s", dir);
	return 0;
}
