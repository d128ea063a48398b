/* copy.h: `docker cp` — files between a container's root and the host.
 *
 * The engine works on a container's root directory given as an open fd:
 * the mounted rootfs of a stopped container, or /proc/<pid>/root of a
 * running one (which also shows its volumes).  It never trusts what is in
 * there: every container path is resolved inside the root, its symlinks
 * followed as the container sees them (an absolute target starts at the
 * container's "/", ".." stops there), with openat2(RESOLVE_IN_ROOT) where
 * the kernel has it and an fd-by-fd walk elsewhere.  A symlink in the
 * container pointing at "/" or "../../.." therefore never makes robbe read
 * or write the host's files.
 *
 * Docker's path rules, for SRC and DEST as the user typed them:
 *   - SRC a file:  DEST missing -> written as DEST (its parent must exist);
 *                  DEST ending in "/" and missing -> "no such directory";
 *                  DEST an existing file -> overwritten;
 *                  DEST an existing directory -> DEST/<basename of SRC>.
 *   - SRC a directory:  DEST missing -> created with SRC's contents;
 *                  DEST an existing file -> "cannot copy directory";
 *                  DEST an existing directory -> DEST/<basename of SRC>,
 *                  or, for "SRC/.", SRC's contents straight into DEST.
 *   - A symlink as SRC is copied as the link unless follow_link (-L); a
 *     symlink as DEST is followed.
 *   - "-" as DEST: a tar whose top entry is SRC's base name ("./" for
 *     "SRC/."), as Docker's archive endpoint sends it.  "-" as SRC: a tar
 *     (compressed or not) unpacked into DEST, which must be a directory.
 *
 * Ownership: files written into the container keep the owners of their
 * source (host files' uid/gid, tar headers), unless opts->set_owner (Docker's
 * `cp -a` with the container's Config.User set) gives them all one owner.
 * Files written on the host belong to the user robbe runs as.
 *
 * Error wording follows Docker.  res->daemon_error tells the caller that
 * Docker's daemon, not its client, would have reported the error (the
 * command prefixes those with "Error response from daemon: ").
 */
#ifndef ROBBE_COPY_H
#define ROBBE_COPY_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

struct copy_opts {
	/* The container as the user named it, for messages such as "Could
	 * not find the file /x in container web". */
	const char *container;
	bool follow_link;	/* -L: follow a symlink given as SRC */
	bool set_owner;		/* chown everything written into the container to uid:gid */
	uint32_t uid, gid;
	bool no_openat2;	/* resolve with the userspace walk (tests) */
};

struct copy_result {
	/* Bytes of the tar stream that went across (Docker's "Successfully
	 * copied 2.05kB to ..."). */
	uint64_t bytes;
	/* Where the data went, as Docker's message names it: the absolute
	 * host path, or the container path (after following a symlink). */
	char *dest;
	bool daemon_error;
};
void copy_result_release(struct copy_result *r);

/* Container -> host path.  host_dst may be relative (to the working
 * directory) and may end in "/" or "/.". */
int copy_from_container(int root_fd, const char *src, const char *host_dst, const struct copy_opts *opts,
			struct copy_result *res, robbe_error **err);
/* Container -> tar stream on out_fd (`docker cp CONTAINER:SRC -`). */
int copy_from_container_tar(int root_fd, const char *src, int out_fd, const struct copy_opts *opts,
			    struct copy_result *res, robbe_error **err);
/* Host path -> container. */
int copy_into_container(int root_fd, const char *host_src, const char *dst, const struct copy_opts *opts,
			struct copy_result *res, robbe_error **err);
/* Tar stream on in_fd -> directory dst of the container (`docker cp - CONTAINER:DST`). */
int copy_into_container_tar(int root_fd, int in_fd, const char *dst, const struct copy_opts *opts,
			    struct copy_result *res, robbe_error **err);

/* Docker's splitCpArg: "web:/etc" -> container "web", path "/etc";
 * an absolute path, a path without ':' or one starting with '.' is local
 * (*container NULL).  Both outputs are newly allocated. */
void copy_split_arg(const char *arg, char **container, char **path);

#endif
