/* tarball-write.c: a directory tree as a deterministic (optionally gzipped)
 * layer tar, hashed in the same pass.
 *
 * The tree may belong to a running or stopped container, so it is walked
 * like hostile input too: every name is opened relative to its parent's fd
 * with O_NOFOLLOW, regular files are opened O_NONBLOCK and checked again
 * after opening (a FIFO swapped in would otherwise block us), and device
 * nodes and FIFOs are never opened at all.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>


#include "digest.h"
#include "tarball.h"
#include "lazy-archive.h"
#include "rootless.h"

#define DEFAULT_OPAQUE_XATTR "trusted.overlay.opaque"

/* Inside robbe's user namespace overlayfs (mounted with userxattr) marks
 * opaque directories with the user.* name: trusted.* is not ours there. */
static const char *default_opaque_xattr(void)
{
	return rootless_in_userns() ? "user.overlay.opaque" : DEFAULT_OPAQUE_XATTR;
}
#define IO_CHUNK 65536

struct link_slot {
	dev_t dev;
	ino_t ino;
	char *path;
};

struct writer {
	struct archive *tar;
	struct archive *gz;	/* raw-format gzip stage, or NULL */
	int out_fd;
	struct digest_ctx *diff_ctx, *out_ctx;
	uint64_t size, out_size;
	int write_errno;
	const struct tar_write_opts *opts;
	const char *opaque_xattr;
	dev_t root_dev;
	/* Open-addressing table of inodes with several links: the first
	 * path seen is the one later names link to. */
	struct link_slot *links;
	size_t n_links, cap_links;
};

void tar_write_result_release(struct tar_write_result *r)
{
	free(r->diff_id);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

/* Final output (compressed or not): hash, count, write. */
static la_ssize_t out_cb(struct archive *a, void *data, const void *buf, size_t n)
{
	struct writer *w = data;

	if (write_all(w->out_fd, buf, n) < 0) {
		w->write_errno = errno;
		archive_set_error(a, errno, "write");
		return -1;
	}
	digest_ctx_update(w->out_ctx, buf, n);
	w->out_size += n;
	return (la_ssize_t) n;
}

/* The tar stream: hash it for the diff ID, then compress or write it. */
static la_ssize_t tar_cb(struct archive *a, void *data, const void *buf, size_t n)
{
	struct writer *w = data;

	digest_ctx_update(w->diff_ctx, buf, n);
	w->size += n;
	if (!w->gz)
		return out_cb(a, data, buf, n);
	if (archive_write_data(w->gz, buf, n) != (la_ssize_t) n) {
		archive_set_error(a, archive_errno(w->gz), "%s", archive_error_string(w->gz));
		return -1;
	}
	return (la_ssize_t) n;
}

static size_t link_hash(dev_t dev, ino_t ino, size_t cap)
{
	uint64_t h = (uint64_t) ino * 0x9E3779B97F4A7C15ULL ^ (uint64_t) dev;
	return (size_t) (h ^ (h >> 29)) & (cap - 1);
}

/* The path this inode was first written as, or NULL after recording path. */
static const char *link_seen(struct writer *w, const struct stat *st, const char *path)
{
	size_t i;

	if (2 * (w->n_links + 1) > w->cap_links) {
		size_t cap = w->cap_links ? w->cap_links * 2 : 64;
		struct link_slot *t = xcalloc(cap, sizeof(*t));
		for (size_t j = 0; j < w->cap_links; j++) {
			if (!w->links[j].path)
				continue;
			for (i = link_hash(w->links[j].dev, w->links[j].ino, cap); t[i].path; i = (i + 1) & (cap - 1))
				;
			t[i] = w->links[j];
		}
		free(w->links);
		w->links = t;
		w->cap_links = cap;
	}
	for (i = link_hash(st->st_dev, st->st_ino, w->cap_links); w->links[i].path; i = (i + 1) & (w->cap_links - 1))
		if (w->links[i].dev == st->st_dev && w->links[i].ino == st->st_ino)
			return w->links[i].path;
	w->links[i].dev = st->st_dev;
	w->links[i].ino = st->st_ino;
	w->links[i].path = xstrdup(path);
	w->n_links++;
	return NULL;
}

/* Which xattrs go into a layer: user.* and file capabilities.  Overlay's
 * own attributes describe this store's layering, not the file, and
 * SELinux labels belong to the host that applied them. */
static bool xattr_exported(const char *name)
{
	if (str_has_prefix(name, "user.overlay."))
		return false;
	return str_has_prefix(name, "user.") || strcmp(name, "security.capability") == 0;
}

static int add_xattrs(struct archive_entry *e, int fd, const char *path, robbe_error **err)
{
	cleanup_free char *names = NULL;
	ssize_t len = flistxattr(fd, NULL, 0);

	if (len < 0)
		return errno == ENOTSUP ? 0 : robbe_error_errno(err, errno, "%s: list xattrs", path);
	if (len == 0)
		return 0;
	names = xmalloc((size_t) len);
	len = flistxattr(fd, names, (size_t) len);
	if (len < 0)
		return robbe_error_errno(err, errno, "%s: list xattrs", path);
	for (char *n = names; n < names + len; n += strlen(n) + 1) {
		cleanup_free char *value = NULL;
		ssize_t vlen;

		if (!xattr_exported(n))
			continue;
		vlen = fgetxattr(fd, n, NULL, 0);
		if (vlen < 0)
			continue; /* removed meanwhile */
		value = xmalloc((size_t) vlen + 1);
		vlen = fgetxattr(fd, n, value, (size_t) vlen);
		if (vlen < 0)
			continue;
		archive_entry_xattr_add_entry(e, n, value, (size_t) vlen);
	}
	return 0;
}

static bool is_opaque(struct writer *w, int fd)
{
	char v[2];
	return fgetxattr(fd, w->opaque_xattr, v, sizeof(v)) == 1 && v[0] == 'y';
}

static struct archive_entry *new_entry(const char *path, const struct stat *st)
{
	struct archive_entry *e = archive_entry_new();

	if (!e)
		die_oom();
	archive_entry_set_pathname(e, path);
	archive_entry_set_perm(e, st->st_mode & 07777);
	archive_entry_set_uid(e, st->st_uid);
	archive_entry_set_gid(e, st->st_gid);
	/* Whole seconds and no atime/ctime: the same tree gives the same
	 * bytes whenever it is written. */
	archive_entry_set_mtime(e, st->st_mtim.tv_sec, 0);
	return e;
}

static int put_header(struct writer *w, struct archive_entry *e, robbe_error **err)
{
	if (archive_write_header(w->tar, e) != ARCHIVE_OK) {
		robbe_error_set(err, 0, "%s: %s", archive_entry_pathname(e), archive_error_string(w->tar));
		archive_entry_free(e);
		return -1;
	}
	archive_entry_free(e);
	return 0;
}

/* A whiteout marker: an empty regular file named .wh.<name> (or the
 * opaque marker), owned like the thing it stands for. */
static int put_marker(struct writer *w, const char *path, const struct stat *st, robbe_error **err)
{
	struct archive_entry *e = new_entry(path, st);

	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0);
	archive_entry_set_size(e, 0);
	return put_header(w, e, err);
}

static int put_file(struct writer *w, int dfd, const char *name, const char *path, robbe_error **err)
{
	cleanup_close int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct archive_entry *e;
	struct stat st;
	const char *first;
	char buf[IO_CHUNK];
	int64_t left;

	if (fd < 0)
		return errno == ENOENT ? 0 : robbe_error_errno(err, errno, "open %s", path);
	if (fstat(fd, &st) < 0)
		return robbe_error_errno(err, errno, "stat %s", path);
	if (!S_ISREG(st.st_mode))
		return 0; /* replaced while we looked: not what we listed */
	e = new_entry(path, &st);
	if (st.st_nlink > 1 && (first = link_seen(w, &st, path))) {
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_hardlink(e, first);
		archive_entry_set_size(e, 0);
		return put_header(w, e, err);
	}
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_size(e, st.st_size);
	if (add_xattrs(e, fd, path, err) < 0) {
		archive_entry_free(e);
		return -1;
	}
	if (put_header(w, e, err) < 0)
		return -1;
	/* Exactly st_size bytes: if the file shrank meanwhile libarchive pads
	 * with zeros, if it grew the rest is not read. */
	for (left = st.st_size; left > 0;) {
		ssize_t n = read(fd, buf, left < (int64_t) sizeof(buf) ? (size_t) left : sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return robbe_error_errno(err, errno, "read %s", path);
		if (n == 0)
			break;
		if (archive_write_data(w->tar, buf, (size_t) n) != n)
			return robbe_error_set(err, 0, "%s: %s", path, archive_error_string(w->tar));
		left -= n;
	}
	return 0;
}

static int write_tree(struct writer *w, int dfd, const char *prefix, int depth, robbe_error **err);

static int put_dir(struct writer *w, int dfd, const char *name, const char *path, int depth, robbe_error **err)
{
	cleanup_close int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_free char *dir_path = NULL;
	struct archive_entry *e;
	struct stat st;
	bool opaque;

	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? 0
									    : robbe_error_errno(err, errno, "open %s", path);
	if (depth >= TAR_MAX_DEPTH)
		return robbe_error_set(err, 0, "%s: more than %d levels deep", path, TAR_MAX_DEPTH);
	if (fstat(fd, &st) < 0)
		return robbe_error_errno(err, errno, "stat %s", path);
	dir_path = xasprintf("%s/", path);
	e = new_entry(dir_path, &st);
	archive_entry_set_filetype(e, AE_IFDIR);
	if (add_xattrs(e, fd, path, err) < 0) {
		archive_entry_free(e);
		return -1;
	}
	opaque = w->opts->whiteouts && is_opaque(w, fd);
	if (put_header(w, e, err) < 0)
		return -1;
	if (opaque) {
		cleanup_free char *marker = xasprintf("%s.wh..wh..opq", dir_path);
		if (put_marker(w, marker, &st, err) < 0)
			return -1;
	}
	if (w->opts->one_file_system && st.st_dev != w->root_dev)
		return 0;
	return write_tree(w, fd, dir_path, depth + 1, err);
}

static int put_other(struct writer *w, int dfd, const char *name, const char *path, const struct stat *st,
		     const char *prefix, robbe_error **err)
{
	struct archive_entry *e;
	const char *first;

	if (S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0) && w->opts->whiteouts) {
		cleanup_free char *marker = xasprintf("%s.wh.%s", prefix, name);
		return put_marker(w, marker, st, err);
	}
	e = new_entry(path, st);
	if (S_ISLNK(st->st_mode)) {
		char target[TAR_MAX_PATH + 1];
		ssize_t n = readlinkat(dfd, name, target, sizeof(target) - 1);
		if (n < 0) {
			archive_entry_free(e);
			return errno == ENOENT ? 0 : robbe_error_errno(err, errno, "readlink %s", path);
		}
		target[n] = '\0';
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_symlink(e, target);
	} else {
		archive_entry_set_filetype(e, S_ISCHR(st->st_mode)   ? AE_IFCHR
					      : S_ISBLK(st->st_mode) ? AE_IFBLK
								     : AE_IFIFO);
		if (!S_ISFIFO(st->st_mode)) {
			archive_entry_set_rdevmajor(e, major(st->st_rdev));
			archive_entry_set_rdevminor(e, minor(st->st_rdev));
		}
	}
	if (st->st_nlink > 1 && (first = link_seen(w, st, path))) {
		archive_entry_set_hardlink(e, first);
		archive_entry_set_size(e, 0);
	}
	return put_header(w, e, err);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The names in a directory, sorted bytewise so the order never depends on
 * the filesystem. */
static int sorted_names(int dfd, char ***out, robbe_error **err)
{
	int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
	char **names = NULL;
	struct dirent *de;
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return robbe_error_errno(err, errno, "read directory");
	}
	rewinddir(d);
	names = xcalloc(1, sizeof(char *));
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			strv_push(&names, de->d_name);
	closedir(d);
	qsort(names, strv_len(names), sizeof(char *), cmp_names);
	*out = names;
	return 0;
}

static int write_tree(struct writer *w, int dfd, const char *prefix, int depth, robbe_error **err)
{
	cleanup_strv char **names = NULL;

	if (sorted_names(dfd, &names, err) < 0)
		return robbe_error_wrap(err, "%s", *prefix ? prefix : ".");
	for (size_t i = 0; names[i]; i++) {
		cleanup_free char *path = xasprintf("%s%s", prefix, names[i]);
		struct stat st;
		int r;

		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue; /* deleted while we walk */
			return robbe_error_errno(err, errno, "stat %s", path);
		}
		if (S_ISREG(st.st_mode))
			r = put_file(w, dfd, names[i], path, err);
		else if (S_ISDIR(st.st_mode))
			r = put_dir(w, dfd, names[i], path, depth, err);
		else if (S_ISSOCK(st.st_mode))
			r = 0; /* tar has no sockets; they are recreated at run time anyway */
		else
			r = put_other(w, dfd, names[i], path, &st, prefix, err);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int writer_open(struct writer *w, enum tar_compression comp, robbe_error **err)
{
	w->tar = archive_write_new();
	if (!w->tar)
		die_oom();
	/* ustar unless a name, size or xattr needs pax; what Docker writes.
	 * xattrs as SCHILY.xattr records only, the form Go's archive/tar and
	 * GNU tar read (libarchive would add its own copy). */
	archive_write_set_format_pax_restricted(w->tar);
	if (archive_write_set_format_option(w->tar, "pax", "xattrheader", "SCHILY") != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s", archive_error_string(w->tar));
	/* Do not pad the end to a 10 KiB record: the two zero blocks suffice. */
	archive_write_set_bytes_in_last_block(w->tar, 1);
	if (comp == TAR_GZIP) {
		struct archive_entry *e;

		/* A second libarchive writer in "raw" format gzips the tar
		 * stream, so both the tar and the gzip bytes pass through
		 * our callbacks: one pass gives diff ID and blob digest. */
		w->gz = archive_write_new();
		if (!w->gz)
			die_oom();
		if (archive_write_add_filter_gzip(w->gz) != ARCHIVE_OK ||
		    /* no timestamp in the gzip header: reproducible digests */
		    archive_write_set_filter_option(w->gz, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
		    archive_write_set_format_raw(w->gz) != ARCHIVE_OK)
			return robbe_error_set(err, 0, "gzip: %s", archive_error_string(w->gz));
		archive_write_set_bytes_in_last_block(w->gz, 1);
		if (archive_write_open(w->gz, w, NULL, out_cb, NULL) != ARCHIVE_OK)
			return robbe_error_set(err, 0, "gzip: %s", archive_error_string(w->gz));
		e = archive_entry_new();
		archive_entry_set_pathname(e, "layer.tar");
		archive_entry_set_filetype(e, AE_IFREG);
		if (archive_write_header(w->gz, e) != ARCHIVE_OK) {
			archive_entry_free(e);
			return robbe_error_set(err, 0, "gzip: %s", archive_error_string(w->gz));
		}
		archive_entry_free(e);
	}
	if (archive_write_open(w->tar, w, NULL, tar_cb, NULL) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s", archive_error_string(w->tar));
	return 0;
}

static int writer_close(struct writer *w, robbe_error **err)
{
	if (archive_write_close(w->tar) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s", archive_error_string(w->tar));
	if (w->gz && archive_write_close(w->gz) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "gzip: %s", archive_error_string(w->gz));
	return 0;
}

int tar_write_layer(int src_fd, int out_fd, enum tar_compression comp, const struct tar_write_opts *opts,
		    struct tar_write_result *res, robbe_error **err)
{
	static const struct tar_write_opts defaults = { 0 };
	struct writer w = { 0 };
	struct stat st;
	int r;

	memset(res, 0, sizeof(*res));
	w.opts = opts ? opts : &defaults;
	w.opaque_xattr = w.opts->opaque_xattr ? w.opts->opaque_xattr : default_opaque_xattr();
	w.out_fd = out_fd;
	w.diff_ctx = digest_ctx_new("sha256");
	w.out_ctx = digest_ctx_new("sha256");
	r = fstat(src_fd, &st) < 0 ? robbe_error_errno(err, errno, "stat") : 0;
	w.root_dev = st.st_dev;
	if (r == 0)
		r = writer_open(&w, comp, err);
	if (r == 0)
		r = write_tree(&w, src_fd, "", 0, err);
	if (r == 0)
		r = writer_close(&w, err);
	if (r == 0) {
		res->diff_id = digest_ctx_final(w.diff_ctx);
		res->digest = digest_ctx_final(w.out_ctx);
		res->size = w.size;
		res->compressed_size = w.out_size;
	}
	if (w.tar)
		archive_write_free(w.tar);
	if (w.gz)
		archive_write_free(w.gz);
	for (size_t i = 0; i < w.cap_links; i++)
		free(w.links[i].path);
	free(w.links);
	digest_ctx_free(w.diff_ctx);
	digest_ctx_free(w.out_ctx);
	return r < 0 ? robbe_error_wrap(err, "writing layer tar") : 0;
}
