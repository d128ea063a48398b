/* volume.h: the volume engine — Docker's "local" driver over robbe's store.
 *
 * A volume is one row of the store (store_volume_*) and one directory,
 * <root>/volumes/<name>/_data, which containers get bind-mounted.  Which
 * containers use a volume is the store's container_volumes relation, filled
 * from store_container.volumes when the container is added and emptied when
 * it is removed; a volume in use is never removed, by `volume rm` or by
 * `volume prune`.
 *
 * Local driver options (`volume create -o type=tmpfs -o device=tmpfs -o
 * o=size=64m`, `-o type=none -o o=bind -o device=/srv/x`, nfs, ...) are not
 * mounted on the host.  Docker mounts them at _data when the first container
 * starts and unmounts them when the last one stops; robbe, having no daemon
 * to count, hands the same mount to the runtime instead: the container gets
 * the tmpfs/device/bind directly at its destination.  What differs: two
 * running containers sharing a tmpfs volume each see their own tmpfs, and
 * _data on the host stays empty.  Image content is not copied into such
 * volumes (in Docker the copy is lost at the unmount that follows create).
 *
 * Locking: <root>/volumes/.lock (flock).  volume_prepare_mounts holds it
 * shared from creating volumes until the caller frees its result (after the
 * container is in the store); prune and rm take it exclusively, so a volume
 * made for a container being created is never pruned before the container
 * row refers to it.
 *
 * Nothing here prints.  Errors carry Docker's daemon wording ("get x: no such
 * volume", "remove x: volume is in use - [id]"); compat/ prefixes them with
 * "Error response from daemon: ".
 */
#ifndef ROBBE_VOLUME_H
#define ROBBE_VOLUME_H

#include <stdbool.h>
#include <stdint.h>

#include "paths.h"
#include "spec.h"
#include "store/store.h"
#include "util.h"

/* The label Docker 23+ puts on volumes created without a name; prune
 * removes only those unless told "all". */
#define VOLUME_ANONYMOUS_LABEL "com.docker.volume.anonymous"
#define VOLUME_DRIVER_LOCAL "local"

/* Docker's rule for local volume names: [a-zA-Z0-9][a-zA-Z0-9_.-]+ */
bool volume_name_valid(const char *name);

/* ---- the volume commands ---------------------------------------------- */

struct volume_create_opts {
	const char *name;	/* NULL or "": a random 64-hex name, labelled anonymous */
	const char *driver;	/* NULL or "": local (the only driver) */
	char *const *labels;	/* "k=v" or "k"; later keys win */
	char *const *options;	/* "k=v": type, device, o, size */
	/* Docker shows Labels/Options as null (not {}) for volumes a container
	 * created implicitly; set these to get that when none are given. */
	bool labels_null, options_null;
};

/* Create a volume, or return the one of that name (then *created is false
 * and the request's labels and options are ignored, as Docker does).
 * Errors (status 1, errnum EINVAL unless said): "create x: \"x\" includes
 * invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\"
 * are allowed. If you intended to pass a host directory, use absolute path",
 * "create x: volume name is too short, names should be at least two
 * alphanumeric characters", "create x: invalid option: \"k\"", "create x:
 * missing required option: \"device\"", "create x: error looking up volume
 * plugin d: plugin \"d\" not found" (ENOENT).  *out and *created may be NULL. */
int volume_create(struct store *s, const struct robbe_paths *p, const struct volume_create_opts *o,
		  struct store_volume **out, bool *created, robbe_error **err);

/* By exact name.  Not found: errnum ENOENT, status 1, "get x: no such volume". */
int volume_get(struct store *s, const char *name, struct store_volume **out, robbe_error **err);
int volume_exists(struct store *s, const char *name, bool *exists, robbe_error **err);

/* Docker's volume inspect object: CreatedAt (RFC 3339, local time), Driver,
 * Labels, Mountpoint, Name, Options, Scope. */
cJSON *volume_inspect_json(const struct store_volume *v);
/* CreatedAt as Docker prints it: "2024-05-01T12:34:56+02:00" (Z in UTC). */
char *volume_format_time(int64_t ns);
/* Labels / Options as objects with sorted keys; NULL for JSON null. */
cJSON *volume_labels(const struct store_volume *v);
cJSON *volume_options(const struct store_volume *v);

/* Delete a volume and its data.  Not found: "get x: no such volume"
 * (ENOENT) unless force, which makes it a success.  In use: errnum EBUSY,
 * "remove x: volume is in use - [<id>, <id>]", force or not. */
int volume_remove(struct store *s, const struct robbe_paths *p, const char *name, bool force, robbe_error **err);

/* Volumes matching Docker's list filters ("key=value" as given to
 * --filter): dangling=true|false|1|0, driver=d, label=k or k=v (all must
 * match), name=regex (or exact).  Repeating a key ORs its values, except
 * label.  Errors: "invalid filter 'x'", "invalid filter 'dangling=[x]'"
 * (EINVAL).  Sorted by name; *out is never NULL on success. */
int volume_list(struct store *s, char *const *filters, struct store_volume ***out, robbe_error **err);

/* Containers using the volume (ids), NULL if none. */
int volume_users(struct store *s, const char *name, char ***ids, robbe_error **err);

struct volume_prune_report {
	char **deleted;		/* names, sorted */
	uint64_t reclaimed;	/* bytes */
};
void volume_prune_report_release(struct volume_prune_report *r);
/* Delete unused local volumes without driver options: only anonymous ones
 * unless all (or the filter all=true); filters label=, label!=, all=.
 * Errors: "invalid filter 'x'", "invalid filter 'all': strconv.ParseBool:
 * parsing \"x\": invalid syntax". */
int volume_prune(struct store *s, const struct robbe_paths *p, char *const *filters, bool all,
		 struct volume_prune_report *rep, robbe_error **err);

/* Bytes under a directory as Docker counts a volume's size (files, links
 * counted once); -1 when it cannot be read. */
int64_t volume_dir_size(const char *path);

/* ---- mounts of a container (volume-mounts.c) ---------------------------- */

struct volume_mount_request {
	const char *container_id;	/* 64 hex; names nothing yet, used in messages */
	/* The image's config object (its "Volumes" make anonymous volumes);
	 * may be NULL. */
	const cJSON *image_config;
	char *const *volumes;		/* -v/--volume values as typed (NULL-terminated, may be NULL) */
	char *const *mounts;		/* --mount values as typed */
	char *const *volumes_from;	/* --volumes-from values: "container[:ro|rw]" */
	char *const *tmpfs;		/* --tmpfs values: their paths count as taken */
	const char *volume_driver;	/* --volume-driver; NULL or "" = local */
	/* The container's root file system, mounted: the image content at a
	 * volume's destination is copied from here into an empty volume, and
	 * a VOLUME path that is a file there is refused.  NULL: no copy. */
	const char *rootfs;
};

struct volume_mounts {
	/* For spec_request.mounts/n_mounts: volumes are host paths by now. */
	struct spec_mount *mounts;
	size_t n_mounts;
	/* Container inspect "Mounts" entries (Type, Name, Source, Destination,
	 * Driver, Mode, RW, Propagation). */
	cJSON *docker_mounts;
	cJSON *binds;		/* HostConfig.Binds: array of strings, or JSON null */
	cJSON *host_mounts;	/* HostConfig.Mounts: array, or NULL when none (omitted) */
	cJSON *config_volumes;	/* Config.Volumes: {"/path": {}, ...} with the image's, or JSON null */
	char **volumes;		/* every volume used: store_container.volumes */
	/* Volumes the container holds anonymously (made for it, or taken over
	 * by --volumes-from from a container that held them so): `rm -v` and
	 * `run --rm` delete them.  Keep them in config_json as
	 * Robbe.AnonymousVolumes. */
	char **anonymous;
	char **created;		/* volumes this call created */
	int lock_fd;		/* shared volume lock, released by volume_mounts_release */
	/* storage behind mounts[] */
	char **strings_;
	char ***options_;
};

/* Resolve -v, --mount, --volumes-from and the image's VOLUMEs for a new
 * container with Docker's rules: named volumes are created on first use,
 * anonymous ones for "-v /path", "--mount type=volume,dst=/p" and image
 * VOLUMEs not already covered by another mount; a missing -v host path is
 * created (0755); image content is copied into empty volumes (not with
 * nocopy).  Errors are the daemon's: "invalid volume specification: 'x'",
 * "invalid mode: x", "Duplicate mount point: /x", `invalid mount config for
 * type "bind": bind source path does not exist: /x`, "No such container:
 * x" (--volumes-from), the volume_create errors.  On failure nothing stays
 * behind (anonymous volumes made here are deleted).  Release *out with
 * volume_mounts_release once the container is stored (or creation failed:
 * call volume_mounts_rollback first). */
int volume_prepare_mounts(struct store *s, const struct robbe_paths *p, const struct volume_mount_request *req,
			  struct volume_mounts *out, robbe_error **err);
void volume_mounts_release(struct volume_mounts *m);
/* Creating the container failed after volume_prepare_mounts: delete the
 * anonymous volumes it made (named ones stay, as in Docker). */
void volume_mounts_rollback(struct store *s, const struct robbe_paths *p, struct volume_mounts *m);

/* `rm -v` / `run --rm`: delete these volumes (a container's
 * Robbe.AnonymousVolumes) after the container left the store.  Volumes
 * gone or still used by another container are skipped silently. */
int volume_remove_anonymous(struct store *s, const struct robbe_paths *p, char *const *names, robbe_error **err);

/* Copy what rootfs holds at path (resolved inside rootfs) into the volume
 * directory dir when dir is empty, keeping owners, modes, times, links,
 * devices and xattrs; dir then takes the owner and mode of the source
 * directory.  A missing path or a non-directory copies nothing.
 * (volume-copy.c) */
int volume_copy_up(const char *rootfs, const char *path, const char *dir, robbe_error **err);

#endif
