/* tarball.h: layer tarballs in and out (libarchive underneath).
 *
 * Reading (tarball.c): a layer blob, compressed with gzip, zstd, xz or
 * bzip2 or not at all (detected), is extracted into a directory with
 * owners, modes, times, xattrs and device nodes kept, overlay whiteouts made
 * from ".wh." entries, and the sha256 of the uncompressed stream (the diff
 * ID) computed on the way.  Layers come from registries and archives and are
 * hostile: nothing an entry says can make us write outside the directory.
 *
 * Writing (tarball-write.c): a directory (an overlay diff, or a whole root
 * filesystem for export) becomes a deterministic tar, optionally gzipped,
 * with the diff ID and the compressed digest computed in the same pass.
 *
 * Functions are prefixed tar_ to stay out of libarchive's archive_ names.
 */
#ifndef ROBBE_TARBALL_H
#define ROBBE_TARBALL_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

struct layer_store;

/* Limits on what one layer may contain; each can be lowered per call. */
/* Entries bound inodes created and the bookkeeping kept per entry.  The
 * largest real images have a few hundred thousand files. */
#define TAR_MAX_ENTRIES 2000000ULL
/* Uncompressed bytes of one layer stream.  File data written to disk can
 * never exceed the stream, so this caps what a decompression bomb (a few
 * kilobytes of gzip expanding to terabytes) can fill. 128 GiB. */
#define TAR_MAX_STREAM ((uint64_t) 128 << 30)
/* An entry path longer than PATH_MAX could not be used by anything inside
 * the container; refusing it bounds the work of resolving it too. */
#define TAR_MAX_PATH 4096
/* Directory depth: the fd-based walkers here and in rm_rf_at() hold one
 * descriptor per level, so depth must stay well under RLIMIT_NOFILE. */
#define TAR_MAX_DEPTH 256
/* Directory times are applied after all entries (writing into a directory
 * changes its mtime), so their paths are remembered; cap that memory. */
#define TAR_MAX_DEFERRED_BYTES ((size_t) 128 << 20)

struct tar_extract_opts {
	/* Not real root (rootless, later): device nodes are skipped and
	 * ownership changes the kernel refuses are ignored.  Recording
	 * devices and whiteouts another way is future work. */
	bool rootless;
	/* xattr marking an opaque directory; NULL means "trusted.overlay.opaque"
	 * (rootless overlay mounts with userxattr use "user.overlay.opaque"). */
	const char *opaque_xattr;
	uint64_t max_entries;	/* 0: TAR_MAX_ENTRIES */
	uint64_t max_stream;	/* 0: TAR_MAX_STREAM */
	/* Resolve parents with the O_NOFOLLOW walk even where openat2()
	 * exists (tests run both resolvers). */
	bool no_openat2;
};

struct tar_extract_result {
	char *diff_id;		/* "sha256:<hex>" of the uncompressed stream */
	char *digest;		/* "sha256:<hex>" of the bytes read from the fd */
	uint64_t size;		/* uncompressed bytes */
	uint64_t compressed_size;
	uint64_t entries;
};
void tar_extract_result_release(struct tar_extract_result *r);

/* Extract the layer read from in_fd (from its current offset; a pipe will
 * do) into the directory dest_fd.  On error
 * dest may hold part of the layer: callers extract into a scratch
 * directory (layer_tx) and throw it away. */
int tar_extract_layer(int in_fd, int dest_fd, const struct tar_extract_opts *opts, struct tar_extract_result *res,
		      robbe_error **err);

/* Extract a layer blob (read from blob_fd's current offset) into the
 * store as the child of parent_chain (NULL for a base layer), checking the
 * stream against diff_id.  A bad layer
 * leaves nothing behind.  When the chain is already present nothing is
 * read.  *chain_out (may be NULL) receives the chain ID. */
int tar_apply_layer(struct layer_store *s, int blob_fd, const char *parent_chain, const char *diff_id,
		    const struct tar_extract_opts *opts, char **chain_out, robbe_error **err);

/* Decompress in_fd (any supported compression, or none) into out_fd,
 * returning the digest and size of what was written. */
int tar_decompress(int in_fd, int out_fd, uint64_t max, char **digest_out, uint64_t *size_out, robbe_error **err);

/* Normalise a path from a tar header: leading "/" and "." components and
 * repeated slashes go; ".." anywhere is refused (nothing legitimate needs it
 * and it is the classic way out of the target directory); components longer
 * than NAME_MAX, paths longer than TAR_MAX_PATH and deeper than
 * TAR_MAX_DEPTH are refused.  "" means the root itself. */
int tar_clean_path(const char *in, char **out, robbe_error **err);

/* ---- writing ---------------------------------------------------------- */

enum tar_compression {
	TAR_PLAIN,
	TAR_GZIP,
};

struct tar_write_opts {
	/* Turn overlay whiteouts (0:0 char devices, opaque directories) into
	 * ".wh." entries: true for layer diffs. */
	bool whiteouts;
	const char *opaque_xattr;	/* NULL: "trusted.overlay.opaque" */
	/* Do not descend into directories on another filesystem (export). */
	bool one_file_system;
};

struct tar_write_result {
	char *diff_id;		/* sha256 of the tar stream */
	char *digest;		/* sha256 of what was written (== diff_id when plain) */
	uint64_t size;		/* tar bytes */
	uint64_t compressed_size;
};
void tar_write_result_release(struct tar_write_result *r);

/* Write the tree under src_fd as a tar to out_fd.  Entries are sorted by
 * name, times are whole seconds, owners numeric, hardlinks kept, xattrs
 * user.* (but not user.overlay.*) and security.capability kept, so the same
 * tree always gives the same bytes and digests. */
int tar_write_layer(int src_fd, int out_fd, enum tar_compression comp, const struct tar_write_opts *opts,
		    struct tar_write_result *res, robbe_error **err);

#endif
