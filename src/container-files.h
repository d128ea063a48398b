/* container-files.h: the file commands on a container — cp, diff, export,
 * commit — on top of the container record (container.h) and the libraries
 * that work on plain directories (copy.h, changes.h, commit.h).
 *
 * Which directory is the container's root:
 *   - running or paused: /proc/<pid>/root, the container's own view, with
 *     its volumes and bind mounts (cp), once it is checked to be the
 *     container's overlay root and not, after a pid was reused, someone
 *     else's;
 *   - otherwise the overlay mounted at GraphDriver.Data.MergedDir, mounted
 *     for the command if it is not, under the container's lock (so neither
 *     start nor rm runs meanwhile), and unmounted afterwards.
 * diff and commit read UpperDir and LowerDir and need no mount.
 */
#ifndef ROBBE_CONTAINER_FILES_H
#define ROBBE_CONTAINER_FILES_H

#include <stdbool.h>
#include <stdint.h>

#include "changes.h"
#include "container.h"
#include "util.h"

struct container_root {
	int fd;			/* the root directory */
	char *path;		/* a path that names it ("/proc/<pid>/root" or the merged dir) */
	bool live;		/* the running container's own view */
	/* private */
	int lock_fd;
	bool mounted;
	char *merged;
};
#define CONTAINER_ROOT_INIT { .fd = -1, .lock_fd = -1 }

/* Open the container's root.  live: prefer the running container's own
 * view (cp); otherwise always the overlay alone (export). */
int container_root_open(struct container_env *env, struct store_container *c, bool live, struct container_root *out,
			robbe_error **err);
void container_root_release(struct container_root *r);

/* cp -a: the owner Docker gives copied files, the container's Config.User
 * resolved in its own /etc/passwd and /etc/group; *set false when the
 * container has no User (the sources' owners are kept then). */
int container_copy_owner(const struct store_container *c, const struct container_root *r, bool *set, uint32_t *uid,
			 uint32_t *gid, robbe_error **err);
/* Docker's refusal to copy into a read-only root filesystem, unless the
 * path is in a volume or bind mount. */
bool container_path_read_only(const struct store_container *c, const char *path);

/* `docker diff`: the paths the runtime mounts over are left out. */
int container_changes(struct container_env *env, struct store_container *c, struct change_list *out,
		      robbe_error **err);

/* `docker export` to out_fd. */
int container_export(struct container_env *env, struct store_container *c, int out_fd, robbe_error **err);

struct container_commit_opts {
	const char *reference;		/* "repo[:tag]"; NULL: no name */
	char *const *changes;		/* -c; may be NULL */
	const char *comment;		/* -m */
	const char *author;		/* -a */
	bool pause;			/* -p (Docker's default: true) */
};
/* `docker commit`; *image_id gets "sha256:<hex>". */
int container_commit(struct container_env *env, struct store_container *c, const struct container_commit_opts *o,
		     char **image_id, robbe_error **err);

#endif
