/* tarball.c: decompress and extract layer tarballs, safely.
 *
 * The threat: a layer tarball is written by whoever pushed the image.  Its
 * entries name paths, link targets, owners, modes and xattrs, and it may
 * contain anything libarchive can parse.  The rules that keep it inside the
 * layer directory:
 *
 *  - Paths are cleaned lexically (tar_clean_path): "/" prefixes stripped,
 *    ".." refused outright.
 *  - Every entry's parent directory is opened component by component from
 *    the layer root without following symlinks (openat2 with
 *    RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS, or an O_NOFOLLOW openat walk on
 *    kernels without it).  A symlink created by an earlier entry ("evil ->
 *    /etc") is therefore never followed by a later one ("evil/passwd"): the
 *    entry fails.  Both resolvers refuse the same things, so a layer does
 *    not extract differently on different kernels.  (RESOLVE_IN_ROOT would
 *    follow in-layer symlinks within the root, which is safe but would make
 *    the result depend on the kernel.)
 *  - The final component is created with *at() calls on that parent fd,
 *    with O_EXCL/O_NOFOLLOW, after removing whatever was there.
 *  - Hardlink targets are cleaned and resolved the same way and must
 *    already exist in this layer: "/etc/passwd" means <layer>/etc/passwd,
 *    never the host's.
 *  - Symlink targets are only data: stored, never resolved.
 *  - Overlay control xattrs are never taken from the tar (see xattr_wanted).
 *  - Counts, path lengths and the stream size are bounded (archive.h).
 * The directory being filled is private to this process (a locked .tmp dir
 * of mode 0700), so nothing but the tar itself changes it meanwhile.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include "rootless.h"
#include "tarball.h"
#include "digest.h"
#include "store/layers.h"
#include "lazy-archive.h"

#define DEFAULT_OPAQUE_XATTR "trusted.overlay.opaque"
#define ROOTLESS_OPAQUE_XATTR "user.overlay.opaque"
#define WHITEOUT_PREFIX ".wh."
#define WHITEOUT_OPAQUE ".wh..wh..opq"
/* xattrs per entry: far more than any real file has. */
#define MAX_XATTRS 1024
#define IO_CHUNK 65536

/* ---- input pipeline ----------------------------------------------------
 *
 * Two libarchive readers: `outer` reads the blob with the "raw" format and
 * the decompression filters, so its data is the uncompressed tar stream;
 * `inner` reads that stream as tar.  Every byte passes through our
 * callbacks, which hash it twice (compressed digest, diff ID) and enforce
 * the stream limit.
 */

struct fd_source {
	int fd;
	struct digest_ctx *ctx;
	uint64_t n;
	char buf[IO_CHUNK];
};

struct raw_source {
	struct archive *outer;
	struct digest_ctx *ctx;
	uint64_t n, max;
	char buf[IO_CHUNK];
};

struct decoder {
	struct fd_source in;
	struct raw_source raw;
	struct archive *outer;
};

static la_ssize_t fd_read_cb(struct archive *a, void *data, const void **buf)
{
	struct fd_source *s = data;
	ssize_t n;

	do
		n = read(s->fd, s->buf, sizeof(s->buf));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read");
		return -1;
	}
	digest_ctx_update(s->ctx, s->buf, (size_t) n);
	s->n += (uint64_t) n;
	*buf = s->buf;
	return n;
}

/* Next chunk of the uncompressed stream: 0 at its end, -1 on error (the
 * message is in the outer archive). */
static la_ssize_t raw_next(struct raw_source *s)
{
	la_ssize_t n = archive_read_data(s->outer, s->buf, sizeof(s->buf));

	if (n < 0)
		return -1;
	s->n += (uint64_t) n;
	if (s->n > s->max) {
		archive_set_error(s->outer, EFBIG, "uncompressed layer larger than %llu bytes",
				  (unsigned long long) s->max);
		return -1;
	}
	digest_ctx_update(s->ctx, s->buf, (size_t) n);
	return n;
}

static la_ssize_t raw_read_cb(struct archive *a, void *data, const void **buf)
{
	struct raw_source *s = data;
	la_ssize_t n = raw_next(s);

	if (n < 0) {
		archive_set_error(a, archive_errno(s->outer), "%s", archive_error_string(s->outer));
		return -1;
	}
	*buf = s->buf;
	return n;
}

static void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	if (d->outer)
		archive_read_free(d->outer);
	digest_ctx_free(d->in.ctx);
	digest_ctx_free(d->raw.ctx);
	free(d);
}

static inline void cleanup_decoderp(struct decoder **d)
{
	decoder_free(*d);
}
#define cleanup_decoder __attribute__((cleanup(cleanup_decoderp)))

/* Only the decompressors linked into libarchive are enabled: with others
 * libarchive would run an external program on hostile input. */
static int decoder_open(int fd, uint64_t max, struct decoder **out, robbe_error **err)
{
	cleanup_decoder struct decoder *d = xcalloc(1, sizeof(*d));
	struct archive_entry *e;
	int r;

	d->in.fd = fd;
	d->in.ctx = digest_ctx_new("sha256");
	d->raw.ctx = digest_ctx_new("sha256");
	d->raw.max = max;
	d->outer = archive_read_new();
	if (!d->outer)
		die_oom();
	d->raw.outer = d->outer;
	if (archive_read_support_filter_gzip(d->outer) != ARCHIVE_OK ||
	    archive_read_support_filter_zstd(d->outer) != ARCHIVE_OK ||
	    archive_read_support_filter_xz(d->outer) != ARCHIVE_OK ||
	    archive_read_support_filter_bzip2(d->outer) != ARCHIVE_OK ||
	    archive_read_support_format_raw(d->outer) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "libarchive lacks built-in gzip/zstd/xz/bzip2 support");
	if (archive_read_open(d->outer, &d->in, NULL, fd_read_cb, NULL) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s", archive_error_string(d->outer));
	r = archive_read_next_header(d->outer, &e);
	/* EOF: empty input, which is an empty stream. */
	if (r != ARCHIVE_OK && r != ARCHIVE_EOF)
		return robbe_error_set(err, 0, "%s", archive_error_string(d->outer));
	*out = steal_pointer(&d);
	return 0;
}

/* Read the rest of the stream (tar padding after the end marker is part of
 * what the diff ID covers). */
static int decoder_drain(struct decoder *d, robbe_error **err)
{
	la_ssize_t n;

	while ((n = raw_next(&d->raw)) > 0)
		;
	if (n < 0)
		return robbe_error_set(err, 0, "%s", archive_error_string(d->outer));
	return 0;
}

int tar_decompress(int in_fd, int out_fd, uint64_t max, char **digest_out, uint64_t *size_out, robbe_error **err)
{
	cleanup_decoder struct decoder *d = NULL;
	la_ssize_t n;

	if (decoder_open(in_fd, max ? max : TAR_MAX_STREAM, &d, err) < 0)
		return robbe_error_wrap(err, "decompressing");
	while ((n = raw_next(&d->raw)) > 0)
		if (write_all(out_fd, d->raw.buf, (size_t) n) < 0)
			return robbe_error_errno(err, errno, "decompressing: write");
	if (n < 0)
		return robbe_error_set(err, 0, "decompressing: %s", archive_error_string(d->outer));
	if (digest_out)
		*digest_out = digest_ctx_final(d->raw.ctx);
	if (size_out)
		*size_out = d->raw.n;
	return 0;
}

/* ---- paths -------------------------------------------------------------- */

int tar_clean_path(const char *in, char **out, robbe_error **err)
{
	struct sbuf sb = SBUF_INIT;
	size_t depth = 0;
	const char *p = in;

	*out = NULL;
	if (!in || !*in)
		return robbe_error_set(err, 0, "entry with an empty name");
	if (strlen(in) > TAR_MAX_PATH)
		return robbe_error_set(err, 0, "\"%.100s...\": path longer than %d bytes", in, TAR_MAX_PATH);
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t) (end - p) : strlen(p);

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			sbuf_release(&sb);
			return robbe_error_set(err, 0, "\"%.200s\": \"..\" in a path could escape the target directory", in);
		}
		if (len > NAME_MAX) {
			sbuf_release(&sb);
			return robbe_error_set(err, 0, "\"%.100s...\": file name longer than %d bytes", in, NAME_MAX);
		}
		if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (++depth > TAR_MAX_DEPTH) {
				sbuf_release(&sb);
				return robbe_error_set(err, 0, "\"%.100s...\": more than %d levels deep", in,
						       TAR_MAX_DEPTH);
			}
			if (sb.len)
				sbuf_addc(&sb, '/');
			sbuf_add(&sb, p, len);
		}
		p += len;
		if (*p == '/')
			p++;
	}
	*out = sbuf_detach(&sb);
	return 0;
}

/* ---- extraction --------------------------------------------------------- */

struct deferred_time {
	char *path;
	struct timespec ts[2];
};

struct extractor {
	int root_fd;
	const struct tar_extract_opts *opts;
	const char *opaque_xattr;
	bool use_openat2;
	struct archive *tar;
	struct deferred_time *dirs;
	size_t n_dirs, alloc_dirs, dir_bytes;
};

static int dup_fd(int fd, robbe_error **err)
{
	int r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	return r < 0 ? robbe_error_errno(err, errno, "dup") : r;
}

/* Open directory `dir` (a cleaned path, "" for the root) below the root,
 * refusing symlinks and non-directories on the way; with create, missing
 * directories are made (0755, like the implicit parents Docker makes). */
static int open_dir(struct extractor *x, const char *dir, bool create, int *out, robbe_error **err)
{
	cleanup_free char *copy = NULL;
	char *comp, *save = NULL;
	int fd;

	*out = -1;
	if (!*dir) {
		*out = dup_fd(x->root_fd, err);
		return *out < 0 ? -1 : 0;
	}
#ifdef SYS_openat2
	if (x->use_openat2) {
		/* One syscall for the common case of an existing parent; the
		 * kernel refuses any symlink and anything leaving the root. */
		fd = openat2_in(x->root_fd, dir, O_RDONLY | O_DIRECTORY,
				RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
		if (fd >= 0) {
			*out = fd;
			return 0;
		}
		if (fd == -ELOOP || fd == -ENOTDIR)
			return robbe_error_set(err, 0, "\"%.200s\" is a symbolic link or not a directory", dir);
		if (fd == -EXDEV)
			return robbe_error_set(err, 0, "\"%.200s\" leaves the layer directory", dir);
		if (fd != -ENOENT && fd != -EAGAIN && fd != -ENOSYS)
			return robbe_error_errno(err, -fd, "open \"%.200s\"", dir);
		/* Missing components: the walk below creates them. */
	}
#endif
	fd = dup_fd(x->root_fd, err);
	if (fd < 0)
		return -1;
	copy = xstrdup(dir);
	for (comp = strtok_r(copy, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
				int e = errno;
				close(fd);
				return robbe_error_errno(err, e, "create \"%.200s\"", dir);
			}
			next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (next < 0) {
			int e = errno;
			close(fd);
			/* Name the component in the way: copy and dir share
			 * offsets, so this is dir up to and including comp. */
			if (e == ELOOP || e == ENOTDIR)
				return robbe_error_set(err, 0, "\"%.*s\" is a symbolic link or not a directory",
						       (int) (comp - copy + (ptrdiff_t) strlen(comp)), dir);
			return robbe_error_errno(err, e, "open \"%.200s\"", dir);
		}
		close(fd);
		fd = next;
	}
	*out = fd;
	return 0;
}

/* Split a cleaned path into its parent (opened) and last component. */
static int open_parent(struct extractor *x, const char *path, bool create, int *fd, const char **leaf,
		       robbe_error **err)
{
	const char *slash = strrchr(path, '/');
	cleanup_free char *dir = slash ? xstrndup(path, (size_t) (slash - path)) : xstrdup("");

	*leaf = slash ? slash + 1 : path;
	return open_dir(x, dir, create, fd, err);
}

/* Overlay's own attributes (opaque, redirect, origin, metacopy, ...) steer
 * lookups across layers; a forged one could expose other layers' files or
 * hide this layer's, so they only ever come from whiteout markers.
 * security.selinux is left to the mount's context= label.  ACLs (system.*)
 * are not supported. */
static bool xattr_wanted(const char *name)
{
	if (str_has_prefix(name, "trusted.overlay") || str_has_prefix(name, "user.overlay") ||
	    strcmp(name, "security.selinux") == 0)
		return false;
	return str_has_prefix(name, "user.") || str_has_prefix(name, "security.") || str_has_prefix(name, "trusted.");
}

static int apply_xattrs(int fd, struct archive_entry *e, const char *path, robbe_error **err)
{
	const char *name;
	const void *value;
	size_t size;
	int n = 0;

	if (archive_entry_xattr_reset(e) == 0)
		return 0;
	while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
		if (++n > MAX_XATTRS)
			return robbe_error_set(err, 0, "\"%.200s\": too many xattrs", path);
		if (!xattr_wanted(name))
			continue;
		if (fsetxattr(fd, name, value, size, 0) < 0) {
			/* "Where allowed": filesystems without xattrs, names
			 * the kernel refuses for this user, oversized values. */
			if (errno == ENOTSUP || errno == EPERM || errno == EACCES || errno == E2BIG ||
			    errno == ERANGE || errno == EINVAL)
				continue;
			return robbe_error_errno(err, errno, "\"%.200s\": set xattr %s", path, name);
		}
	}
	return 0;
}

static int entry_ids(struct archive_entry *e, const char *path, uid_t *uid, gid_t *gid, robbe_error **err)
{
	la_int64_t u = archive_entry_uid(e), g = archive_entry_gid(e);

	/* (uid_t)-1 means "no change" to chown: not a real owner. */
	if (u < 0 || g < 0 || u >= UINT32_MAX || g >= UINT32_MAX)
		return robbe_error_set(err, 0, "\"%.200s\": invalid owner %lld:%lld", path, (long long) u,
				       (long long) g);
	*uid = (uid_t) u;
	*gid = (gid_t) g;
	return 0;
}

static void entry_times(struct archive_entry *e, struct timespec ts[2])
{
	if (archive_entry_mtime_is_set(e)) {
		ts[1].tv_sec = archive_entry_mtime(e);
		ts[1].tv_nsec = archive_entry_mtime_nsec(e);
	} else {
		ts[1].tv_sec = 0;
		ts[1].tv_nsec = UTIME_OMIT;
	}
	if (archive_entry_atime_is_set(e)) {
		ts[0].tv_sec = archive_entry_atime(e);
		ts[0].tv_nsec = archive_entry_atime_nsec(e);
	} else {
		ts[0] = ts[1];
	}
	for (int i = 0; i < 2; i++)
		if (ts[i].tv_nsec != UTIME_OMIT && (ts[i].tv_nsec < 0 || ts[i].tv_nsec > 999999999))
			ts[i].tv_nsec = 0;
}

/* Owner, then mode (chown clears set-id bits), then xattrs (chown clears
 * security.capability), then times (nothing after may touch them). */
static int apply_meta_fd(struct extractor *x, int fd, struct archive_entry *e, const char *path, bool times,
			 robbe_error **err)
{
	struct timespec ts[2];
	uid_t uid;
	gid_t gid;

	if (entry_ids(e, path, &uid, &gid, err) < 0)
		return -1;
	if (fchown(fd, uid, gid) < 0 && !(x->opts->rootless && (errno == EPERM || errno == EINVAL)))
		return robbe_error_errno(err, errno, "\"%.200s\": chown", path);
	if (fchmod(fd, archive_entry_perm(e) & 07777) < 0)
		return robbe_error_errno(err, errno, "\"%.200s\": chmod", path);
	if (apply_xattrs(fd, e, path, err) < 0)
		return -1;
	entry_times(e, ts);
	if (times && futimens(fd, ts) < 0)
		return robbe_error_errno(err, errno, "\"%.200s\": set times", path);
	return 0;
}

/* Owner, mode and times of a node that cannot be opened (symlink, device,
 * fifo).  The node was just created by us in our private directory, so
 * naming it again by (parent fd, leaf) reaches the same node; fchmodat is
 * skipped for symlinks, whose mode Linux ignores. */
static int apply_meta_at(struct extractor *x, int pfd, const char *leaf, struct archive_entry *e, const char *path,
			 bool is_link, robbe_error **err)
{
	struct timespec ts[2];
	uid_t uid;
	gid_t gid;

	if (entry_ids(e, path, &uid, &gid, err) < 0)
		return -1;
	if (fchownat(pfd, leaf, uid, gid, AT_SYMLINK_NOFOLLOW) < 0 &&
	    !(x->opts->rootless && (errno == EPERM || errno == EINVAL)))
		return robbe_error_errno(err, errno, "\"%.200s\": chown", path);
	if (!is_link && fchmodat(pfd, leaf, archive_entry_perm(e) & 07777, 0) < 0)
		return robbe_error_errno(err, errno, "\"%.200s\": chmod", path);
	entry_times(e, ts);
	if (utimensat(pfd, leaf, ts, AT_SYMLINK_NOFOLLOW) < 0)
		return robbe_error_errno(err, errno, "\"%.200s\": set times", path);
	return 0;
}

/* Make room for a new entry: whatever the name holds goes, except that a
 * directory stays when a directory is wanted (tar lists a directory before
 * its contents, and a later duplicate only updates its metadata). */
static int clear_name(int pfd, const char *leaf, bool want_dir, bool *kept_dir, robbe_error **err)
{
	struct stat st;

	*kept_dir = false;
	if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return robbe_error_errno(err, errno, "stat %s", leaf);
	}
	if (want_dir && S_ISDIR(st.st_mode)) {
		*kept_dir = true;
		return 0;
	}
	return rm_rf_at(pfd, leaf, err);
}

static int write_file_data(struct extractor *x, int fd, struct archive_entry *e, const char *path, robbe_error **err)
{
	const void *buf;
	size_t size;
	la_int64_t offset;
	int r;

	while ((r = archive_read_data_block(x->tar, &buf, &size, &offset)) == ARCHIVE_OK) {
		const char *p = buf;
		while (size > 0) {
			ssize_t n = pwrite(fd, p, size, offset);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return robbe_error_errno(err, errno, "\"%.200s\": write", path);
			p += n;
			size -= (size_t) n;
			offset += n;
		}
	}
	if (r != ARCHIVE_EOF)
		return robbe_error_set(err, 0, "\"%.200s\": %s", path, archive_error_string(x->tar));
	/* Sparse files may end in a hole. */
	if (archive_entry_size_is_set(e) && ftruncate(fd, archive_entry_size(e)) < 0)
		return robbe_error_errno(err, errno, "\"%.200s\": truncate", path);
	return 0;
}

static int defer_dir_time(struct extractor *x, const char *path, struct archive_entry *e, robbe_error **err)
{
	size_t len = strlen(path) + 1;

	if (x->dir_bytes + len > TAR_MAX_DEFERRED_BYTES)
		return robbe_error_set(err, 0, "too many directories");
	if (x->n_dirs == x->alloc_dirs) {
		x->alloc_dirs = x->alloc_dirs ? x->alloc_dirs * 2 : 64;
		x->dirs = xrealloc(x->dirs, x->alloc_dirs * sizeof(*x->dirs));
	}
	x->dirs[x->n_dirs].path = xstrdup(path);
	entry_times(e, x->dirs[x->n_dirs].ts);
	x->n_dirs++;
	x->dir_bytes += len;
	return 0;
}

/* Directory times go last: creating entries inside changes them.  A
 * directory replaced by a later entry is skipped (open_dir refuses it). */
static void apply_dir_times(struct extractor *x)
{
	for (size_t i = 0; i < x->n_dirs; i++) {
		cleanup_error robbe_error *ignored = NULL;
		cleanup_close int fd = -1;

		if (open_dir(x, x->dirs[i].path, false, &fd, &ignored) == 0)
			(void) futimens(fd, x->dirs[i].ts);
	}
}

static int extract_whiteout(struct extractor *x, struct archive_entry *e, const char *path, int pfd,
			    const char *leaf, robbe_error **err)
{
	const char *name = leaf + strlen(WHITEOUT_PREFIX);
	bool kept;
	uid_t uid;
	gid_t gid;

	if (strcmp(leaf, WHITEOUT_OPAQUE) == 0) {
		/* The directory holding the marker hides all lower
		 * layers' contents of the same directory. */
		if (fsetxattr(pfd, x->opaque_xattr, "y", 1, 0) < 0)
			return robbe_error_errno(err, errno, "\"%.200s\": mark directory opaque", path);
		return 0;
	}
	/* Other .wh..wh.* names are aufs bookkeeping with no meaning here. */
	if (str_has_prefix(leaf, WHITEOUT_PREFIX WHITEOUT_PREFIX))
		return 0;
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return robbe_error_set(err, 0, "\"%.200s\": invalid whiteout", path);
	if (clear_name(pfd, name, false, &kept, err) < 0)
		return -1;
	/* overlayfs's whiteout: a character device 0:0 named like the
	 * deleted file.  Linux 5.8 lets anyone make one (in or out of a user
	 * namespace), and overlayfs with userxattr reads it the same way;
	 * only older kernels refuse it to a user. */
	if (mknodat(pfd, name, S_IFCHR | 0000, makedev(0, 0)) < 0) {
		if (errno == EPERM && (x->opts->rootless || rootless_in_userns()))
			return robbe_error_set(err, 0,
					       "\"%.200s\": this kernel lets only root create overlay whiteouts (character "
					       "device 0:0; Linux 5.8 and later allow it rootless)",
					       path);
		return robbe_error_errno(err, errno, "\"%.200s\": create whiteout", path);
	}
	if (entry_ids(e, path, &uid, &gid, err) < 0)
		return -1;
	if (fchownat(pfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0 && !x->opts->rootless)
		return robbe_error_errno(err, errno, "\"%.200s\": chown", path);
	return 0;
}

static int extract_hardlink(struct extractor *x, const char *path, int pfd, const char *leaf, const char *target,
			    robbe_error **err)
{
	cleanup_free char *tpath = NULL;
	cleanup_error robbe_error *perr = NULL;
	cleanup_close int tfd = -1;
	const char *tleaf;
	struct stat tst, st;
	bool kept;

	if (tar_clean_path(target, &tpath, err) < 0)
		return robbe_error_wrap(err, "\"%.200s\": hard link target", path);
	if (!*tpath)
		return robbe_error_set(err, 0, "\"%.200s\": hard link to the layer root", path);
	if (open_parent(x, tpath, false, &tfd, &tleaf, &perr) < 0 && perr->errnum != ENOENT) {
		robbe_error_set(err, 0, "\"%.200s\": hard link target: %s", path, perr->msg);
		return -1;
	}
	if (tfd < 0 || fstatat(tfd, tleaf, &tst, AT_SYMLINK_NOFOLLOW) < 0) {
		if (tfd < 0 || errno == ENOENT)
			return robbe_error_set(err, 0, "\"%.200s\": hard link target \"%.200s\" is not in this layer",
					       path, target);
		return robbe_error_errno(err, errno, "\"%.200s\": hard link target", path);
	}
	if (S_ISDIR(tst.st_mode))
		return robbe_error_set(err, 0, "\"%.200s\": hard link to a directory", path);
	if (fstatat(pfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_ino == tst.st_ino && st.st_dev == tst.st_dev)
		return 0; /* already the same file */
	if (clear_name(pfd, leaf, false, &kept, err) < 0)
		return -1;
	/* flags 0: a link to a symlink links the symlink itself. */
	if (linkat(tfd, tleaf, pfd, leaf, 0) < 0)
		return robbe_error_errno(err, errno, "\"%.200s\": hard link", path);
	return 0;
}

static int extract_entry(struct extractor *x, struct archive_entry *e, robbe_error **err)
{
	const char *raw = archive_entry_pathname(e);
	cleanup_free char *path = NULL;
	cleanup_close int pfd = -1;
	cleanup_close int fd = -1;
	const char *leaf, *hardlink = archive_entry_hardlink(e), *target;
	mode_t type = archive_entry_filetype(e);
	bool kept;

	if (tar_clean_path(raw, &path, err) < 0)
		return -1;
	if (!*path)
		return 0; /* "./": the layer root is ours, not the tar's */
	if (open_parent(x, path, true, &pfd, &leaf, err) < 0)
		return robbe_error_wrap(err, "\"%.200s\"", path);
	if (str_has_prefix(leaf, WHITEOUT_PREFIX))
		return extract_whiteout(x, e, path, pfd, leaf, err);
	if (hardlink)
		return extract_hardlink(x, path, pfd, leaf, hardlink, err);
	if (clear_name(pfd, leaf, type == AE_IFDIR, &kept, err) < 0)
		return -1;
	switch (type) {
	case AE_IFREG:
		fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return robbe_error_errno(err, errno, "\"%.200s\": create", path);
		if (write_file_data(x, fd, e, path, err) < 0)
			return -1;
		return apply_meta_fd(x, fd, e, path, true, err);
	case AE_IFDIR:
		if (!kept && mkdirat(pfd, leaf, 0700) < 0)
			return robbe_error_errno(err, errno, "\"%.200s\": create", path);
		fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return robbe_error_errno(err, errno, "\"%.200s\": open", path);
		if (apply_meta_fd(x, fd, e, path, false, err) < 0)
			return -1;
		return defer_dir_time(x, path, e, err);
	case AE_IFLNK:
		target = archive_entry_symlink(e);
		if (!target || !*target || strlen(target) > TAR_MAX_PATH)
			return robbe_error_set(err, 0, "\"%.200s\": invalid symbolic link target", path);
		if (symlinkat(target, pfd, leaf) < 0)
			return robbe_error_errno(err, errno, "\"%.200s\": create", path);
		return apply_meta_at(x, pfd, leaf, e, path, true, err);
	case AE_IFCHR:
	case AE_IFBLK:
	case AE_IFIFO: {
		mode_t kind = type == AE_IFCHR ? S_IFCHR : type == AE_IFBLK ? S_IFBLK : S_IFIFO;
		dev_t dev = type == AE_IFIFO ? 0 : makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
		if (mknodat(pfd, leaf, kind | 0600, dev) < 0) {
			if (x->opts->rootless && errno == EPERM)
				return 0; /* device nodes need privileges; see tar_extract_opts */
			return robbe_error_errno(err, errno, "\"%.200s\": create", path);
		}
		return apply_meta_at(x, pfd, leaf, e, path, false, err);
	}
	default:
		return robbe_error_set(err, 0, "\"%.200s\": unsupported entry type 0%o", path, (unsigned) type);
	}
}

void tar_extract_result_release(struct tar_extract_result *r)
{
	free(r->diff_id);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

static int extract_all(struct extractor *x, struct decoder *d, uint64_t max_entries, uint64_t *entries,
		       robbe_error **err)
{
	struct archive_entry *e;
	int r;

	x->tar = archive_read_new();
	if (!x->tar)
		die_oom();
	/* Tar only (ustar, pax, GNU): a layer is never a zip or an ISO. */
	archive_read_support_format_tar(x->tar);
	archive_read_support_format_empty(x->tar);
	if (archive_read_open(x->tar, &d->raw, NULL, raw_read_cb, NULL) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s", archive_error_string(x->tar));
	for (;;) {
		r = archive_read_next_header(x->tar, &e);
		if (r == ARCHIVE_EOF)
			break;
		/* WARN covers unknown pax keywords and the like; the entry
		 * itself was read. */
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return robbe_error_set(err, 0, "%s", archive_error_string(x->tar));
		if (++*entries > max_entries)
			return robbe_error_set(err, 0, "more than %llu entries", (unsigned long long) max_entries);
		if (extract_entry(x, e, err) < 0)
			return robbe_error_wrap(err, "layer entry");
	}
	apply_dir_times(x);
	return decoder_drain(d, err);
}

int tar_extract_layer(int in_fd, int dest_fd, const struct tar_extract_opts *opts, struct tar_extract_result *res,
		      robbe_error **err)
{
	static const struct tar_extract_opts defaults = { 0 };
	cleanup_decoder struct decoder *d = NULL;
	struct extractor x = { 0 };
	uint64_t entries = 0;
	int r;

	memset(res, 0, sizeof(*res));
	if (!opts)
		opts = &defaults;
	x.root_fd = dest_fd;
	x.opts = opts;
	/* In a user namespace (rootless) trusted.* cannot be set, and the
	 * store's overlay mounts use userxattr (mount.c): mark there. */
	x.opaque_xattr = opts->opaque_xattr ? opts->opaque_xattr
			 : rootless_in_userns() ? ROOTLESS_OPAQUE_XATTR
						: DEFAULT_OPAQUE_XATTR;
	x.use_openat2 = !opts->no_openat2 && openat2_available();
	r = decoder_open(in_fd, opts->max_stream ? opts->max_stream : TAR_MAX_STREAM, &d, err);
	if (r == 0)
		r = extract_all(&x, d, opts->max_entries ? opts->max_entries : TAR_MAX_ENTRIES, &entries, err);
	if (r == 0) {
		res->diff_id = digest_ctx_final(d->raw.ctx);
		res->digest = digest_ctx_final(d->in.ctx);
		res->size = d->raw.n;
		res->compressed_size = d->in.n;
		res->entries = entries;
	}
	if (x.tar)
		archive_read_free(x.tar);
	for (size_t i = 0; i < x.n_dirs; i++)
		free(x.dirs[i].path);
	free(x.dirs);
	return r < 0 ? robbe_error_wrap(err, "extracting layer") : 0;
}

int tar_apply_layer(struct layer_store *s, int blob_fd, const char *parent_chain, const char *diff_id,
		    const struct tar_extract_opts *opts, char **chain_out, robbe_error **err)
{
	cleanup_free char *chain = layer_chain_id(parent_chain, diff_id);
	struct tar_extract_result res;
	struct layer_tx *tx;

	if (!chain)
		return robbe_error_set(err, 0, "invalid diff ID \"%.100s\" or parent", diff_id ? diff_id : "");
	if (parent_chain && !layer_store_has_layer(s, parent_chain))
		return robbe_error_set(err, 0, "parent layer %s is not in the store", parent_chain);
	if (!layer_store_has_layer(s, chain)) {
		if (layer_tx_begin(s, &tx, err) < 0)
			return -1;
		if (tar_extract_layer(blob_fd, layer_tx_diff_fd(tx), opts, &res, err) < 0) {
			layer_tx_abort(tx);
			return -1;
		}
		if (strcmp(res.diff_id, diff_id) != 0) {
			robbe_error_set(err, 0, "layer content does not match its diff ID: expected %s, got %s",
					diff_id, res.diff_id);
			tar_extract_result_release(&res);
			layer_tx_abort(tx);
			return -1;
		}
		tar_extract_result_release(&res);
		if (layer_tx_commit(tx, chain, parent_chain, err) < 0)
			return -1;
	}
	if (chain_out)
		*chain_out = steal_pointer(&chain);
	return 0;
}
