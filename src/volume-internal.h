/* volume-internal.h: what volume.c, volume-mounts.c and volume-copy.c share.
 * Not for other files. */
#ifndef ROBBE_VOLUME_INTERNAL_H
#define ROBBE_VOLUME_INTERNAL_H

#include "volume.h"

/* <root>/volumes/<name> and <root>/volumes/<name>/_data */
char *volume_dir(const struct robbe_paths *p, const char *name);
char *volume_data_dir(const struct robbe_paths *p, const char *name);

/* flock <root>/volumes/.lock (creating the directory); *fd_out to close. */
int volume_lock(const struct robbe_paths *p, bool exclusive, int *fd_out, robbe_error **err);

/* Local driver options (type/device/o) set? */
bool volume_has_options(const struct store_volume *v);

/* Resolve path inside rootfs as the container would see it (symbolic
 * links followed without leaving rootfs) and lstat the result: 1 found,
 * 0 missing.  *host_path (may be NULL) gets where it is on the host. */
struct stat;
int volume_stat_in_root(const char *rootfs, const char *path, struct stat *st, char **host_path, robbe_error **err);

#endif
