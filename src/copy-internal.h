/* copy-internal.h: what the cp engine's files share (copy.c, copy-resolve.c,
 * copy-stream.c).  The resolver and the lexical path helpers are also used
 * by the other file commands (changes.c, container-files.c); nothing
 * outside src/ includes this.
 *
 * The engine moves entries (a file, a directory, a link, ...) from a
 * source to a sink:
 *
 *   sources  a directory tree walked with fds (cp_walk), or a tar stream
 *            read from an fd (cp_tar_read)
 *   sinks    a tar stream written to an fd, or a directory tree below an
 *            extraction directory (in a container root, or on the host)
 *
 * so container->host, container->stdout, host->container and
 * stdin->container are four pairings of the same parts.
 */
#ifndef ROBBE_COPY_INTERNAL_H
#define ROBBE_COPY_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "copy.h"

/* ---- resolving paths inside a root (copy-resolve.c) --------------------- */

/* Symlinks followed while resolving one path: the kernel's own limit. */
#define CP_MAX_LINKS 40
/* Directory levels held open while resolving or walking. */
#define CP_MAX_DEPTH 256

struct cp_root {
	int fd;			/* the directory that "/" means */
	bool no_openat2;	/* resolve with the userspace walk even where openat2 works */
};

/* cp_resolve flags */
#define CP_RES_FOLLOW	0x1	/* follow a final symlink */
#define CP_RES_MKDIR	0x2	/* create missing directories on the way (0755) */
#define CP_RES_NOLINKS	0x4	/* refuse every symlink (ELOOP) instead of resolving it in the root */

/* Open directory `path` inside the root (following symlinks, all of them
 * resolved as if the root were "/", ".." stopping at the root; or refusing
 * them with CP_RES_NOLINKS).  path is absolute or relative to the root;
 * "" and "/" are the root.  Returns an O_RDONLY|O_DIRECTORY fd, or
 * -errno: ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, ... */
int cp_open_dir(const struct cp_root *r, const char *path, unsigned flags);

/* Split path into its parent directory (opened as cp_open_dir does) and
 * its last component, which is not looked at.  path must be clean (see
 * cp_clean) and not the root.  *leaf points into path. */
int cp_open_parent(const struct cp_root *r, const char *path, unsigned flags, const char **leaf);

/* Where path leads inside the root, as an absolute clean path: symlinks
 * are followed (the last one only with CP_RES_FOLLOW) as far as the
 * components exist; what does not exist is appended as written, the way
 * Docker's FollowSymlinkInScope answers.  Userspace walk only. */
int cp_resolve_path(const struct cp_root *r, const char *path, unsigned flags, char **out);


/* ---- paths ---------------------------------------------------------------- */

/* Go's path.Clean of "/" + path: absolute, no "." or ".." components, no
 * repeated or trailing slashes ("/" for an empty path). */
char *cp_clean_abs(const char *path);
/* Docker's "asserts a directory": ends in "/" or "/." (or is "."). */
bool cp_asserts_dir(const char *path);
/* Docker's "specifies the current directory": ends in "/." or is ".". */
bool cp_is_current_dir(const char *path);
/* Docker's SplitPathDirEntry: clean the path, keep a final "." ("a/." ->
 * "a" and "."), then split: ("a/b" -> "a", "b"; "/" -> "/", "/"). */
void cp_split_dir_entry(const char *path, char **dir, char **base);
/* Go's error text for an errno: strerror with a lower-case first letter. */
const char *cp_go_strerror(int errnum, char *buf, size_t len);

/* ---- entries, sources and sinks (copy-stream.c) ------------------------- */

struct cp_xattr {
	char *name;
	void *value;
	size_t size;
};

struct cp_entry {
	const char *name;	/* path in the stream, without a trailing slash */
	mode_t mode;		/* type and permission bits */
	uint32_t uid, gid;
	int64_t size;		/* regular files */
	int64_t mtime;		/* seconds */
	dev_t rdev;
	const char *link;	/* symlink target */
	const char *hardlink;	/* an earlier entry of the stream this one is a link to */
	const struct cp_xattr *xattrs;
	size_t n_xattrs;
	/* The data of a regular file: exactly size bytes are asked for; a
	 * short source returns 0 early and the rest reads as zeros. */
	ssize_t (*read)(void *ctx, void *buf, size_t n);
	void *read_ctx;
};

enum cp_sink_kind {
	CP_SINK_TAR,
	CP_SINK_TREE,
};

struct cp_deferred_dir;

struct cp_sink {
	enum cp_sink_kind kind;
	uint64_t bytes;		/* the tar stream's size, written or equivalent */
	/* CP_SINK_TAR */
	struct archive *tar;
	int out_fd;
	/* CP_SINK_TREE: entries land below `base` (a clean absolute path
	 * inside root).  In a container root, parents resolve with the
	 * container's symlinks; on the host (nolinks) a symlink on the way
	 * is refused. */
	const struct cp_root *root;
	char *base;
	bool nolinks;
	bool chown;		/* set owners at all (never on the host) */
	bool force_owner;	/* every entry gets uid:gid */
	uint32_t uid, gid;
	struct cp_deferred_dir *dirs;
	size_t n_dirs, alloc_dirs;
	uint64_t entries;
};

/* A tar sink on fd: ustar, pax where needed, numeric owners. */
int cp_sink_tar_open(struct cp_sink *s, int fd, robbe_error **err);
/* A tree sink below base in root. */
void cp_sink_tree_init(struct cp_sink *s, const struct cp_root *root, const char *base, bool nolinks);
int cp_sink_put(struct cp_sink *s, const struct cp_entry *e, robbe_error **err);
/* Write the end of the tar / apply directory times.  Then release. */
int cp_sink_finish(struct cp_sink *s, robbe_error **err);
void cp_sink_release(struct cp_sink *s);

/* Stream what `leaf` in directory dfd is (leaf NULL: dfd itself) into the
 * sink, the top entry named top and what is below it top/<name>.  Links
 * are not followed anywhere; regular files are opened without blocking and
 * checked again after opening; depth is bounded. */
int cp_walk(int dfd, const char *leaf, const char *top, struct cp_sink *sink, robbe_error **err);

/* Stream the tar read from in_fd (gzip, bzip2, xz or zstd compressed, or
 * not) into the sink. */
int cp_tar_read(int in_fd, struct cp_sink *sink, robbe_error **err);

#endif
