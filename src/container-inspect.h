/* container-inspect.h: a container's data as Docker's API shapes it.
 *
 * The record (store/store.h, the contract in docs: config_json already
 * holds Config, HostConfig, Mounts, NetworkSettings and GraphDriver under
 * Docker's key names) is assembled here into the object `docker container
 * inspect` prints, keys in the order of API 1.51, with the state fields
 * (State, from container_state_json()) taken from the store's state
 * columns.  The sizes `inspect -s` and `ps -s` show are measured here too.
 *
 * Nothing here prints or words a message for the user.
 */
#ifndef ROBBE_CONTAINER_INSPECT_H
#define ROBBE_CONTAINER_INSPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util.h"

/* Bytes under path as Docker's overlay driver counts a container's
 * writable layer: regular files and links, each inode once, directories
 * not at all.  Symbolic links are never followed; a missing path is 0. */
int container_dir_size(const char *path, int64_t *out, robbe_error **err);

/* SizeRw (the writable layer, GraphDriver.Data.UpperDir) and SizeRootFs
 * (that plus the image's layers). */
struct container_size {
	int64_t rw;
	int64_t root_fs;
};
int container_size_get(struct store *s, const struct store_container *c, const cJSON *config,
		       struct container_size *out, robbe_error **err);

/* The whole inspect object.  with_size adds SizeRw and SizeRootFs (s is
 * used to find the image's size).  *out is new. */
int container_inspect_json(struct store *s, const struct store_container *c, bool with_size, cJSON **out,
			   robbe_error **err);

#endif
