/* store.h: robbe's state database.
 *
 * One sqlite file, <root>/robbe.db, shared by every robbe process on the
 * machine (or for the user, rootless).  Many processes at once are normal:
 * writers wait for each other (up to 100 s) instead of failing, and every
 * change that touches more than one row is one transaction, so a robbe killed
 * half-way leaves nothing half-done behind.
 *
 * This layer knows objects and their relations, not commands: it never
 * words a message for the user.  Errors that callers must tell apart carry
 * an errno-style code in robbe_error.errnum (see STORE_E* below); the message
 * is for logs and for wrapping.
 *
 * Conventions: ids are stored as given (containers and pods: 64 hex digits;
 * images: "sha256:<hex>").  Container names are stored without Docker's
 * leading '/'.  Times are nanoseconds since the epoch (int64_t), 0 = unset.
 * JSON columns hold whatever JSON the engine gives; the store checks only
 * that it is valid JSON.
 */
#ifndef ROBBE_STORE_H
#define ROBBE_STORE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "paths.h"
#include "util.h"

/* robbe_error.errnum values callers may test with store_error_is(). */
#define STORE_ENOTFOUND ENOENT	/* no such container / image / name */
#define STORE_ECONFLICT EEXIST	/* name (or id) already taken */
#define STORE_EAMBIGUOUS ENOTUNIQ /* an id prefix matches more than one object */
#define STORE_EINUSE EBUSY	/* object still used (image by a container, ...) */

static inline bool store_error_is(const robbe_error *e, int code)
{
	return e && e->errnum == code;
}

/* One connection to the database.  Not to be used across fork(): a child
 * that needs the store opens its own. */
struct store;

/* Creates root and runroot (0700), opens or creates the database, migrates
 * it, refuses a database made by a newer robbe or for other directories, and
 * after a reboot marks containers that were running as exited. */
int store_open(const struct robbe_paths *paths, struct store **out, robbe_error **err);
void store_close(struct store *s);
static inline void cleanup_storep(struct store **s)
{
	if (*s)
		store_close(*s);
}
#define cleanup_store __attribute__((cleanup(cleanup_storep)))

/* The schema version this binary writes. */
int store_schema_version(void);

struct store_counts {
	int containers, running, paused, stopped;	/* stopped = all others */
	int images;
};
int store_counts(struct store *s, struct store_counts *c, robbe_error **err);

/* ---- containers --------------------------------------------------------- */

/* Stored as integers: never renumber. */
enum store_state {
	STORE_STATE_UNKNOWN = 0,
	STORE_STATE_CREATED = 1,
	STORE_STATE_RUNNING = 2,
	STORE_STATE_PAUSED = 3,
	STORE_STATE_RESTARTING = 4,
	STORE_STATE_EXITED = 5,		/* stopped */
	STORE_STATE_DEAD = 6,
	STORE_STATE_REMOVING = 7,
};
/* "created", "running", ...; "unknown" for anything else. */
const char *store_state_name(enum store_state st);

struct store_container {
	char *id;
	char *name;		/* without the leading '/' */
	char *pod_id;		/* NULL unless in a pod */
	char *image_id;		/* "sha256:..." the container was created from */
	int64_t created;	/* ns */
	char *config_json;	/* engine-defined; required */
	char **volumes;		/* named volumes it uses (must exist) */
	char **depends_on;	/* containers whose namespaces it joins */

	/* state */
	enum store_state state;
	int exit_code;		/* -1 .. 255 */
	pid_t pid;		/* 0 when not running */
	pid_t conmon_pid;
	int64_t started_at;	/* ns */
	int64_t finished_at;	/* ns */
	int restart_count;
	char *state_json;	/* engine-defined extras; NULL means "{}" */
};

void store_container_free(struct store_container *c);
static inline void cleanup_store_containerp(struct store_container **c)
{
	store_container_free(*c);
}
#define cleanup_store_container __attribute__((cleanup(cleanup_store_containerp)))
/* NULL-terminated vector of containers. */
void store_container_list_free(struct store_container **v);
static inline void cleanup_store_container_listp(struct store_container ***v)
{
	store_container_list_free(*v);
}
#define cleanup_store_container_list __attribute__((cleanup(cleanup_store_container_listp)))

/* Add a container with its state (state CREATED if c->state is 0), its
 * volume links and dependencies, in one transaction.  Volumes, dependencies
 * and the pod must exist (else STORE_ENOTFOUND).  Name or id taken: STORE_ECONFLICT, and
 * the message names the holder; the caller can find it with
 * store_container_lookup(name).  created == 0 means now. */
int store_container_add(struct store *s, const struct store_container *c, robbe_error **err);

/* By exact id. */
int store_container_get(struct store *s, const char *id, struct store_container **out, robbe_error **err);
/* As the Docker daemon resolves a reference: exact id, then exact name (a
 * leading '/' is ignored), then a unique id prefix.  STORE_ENOTFOUND,
 * STORE_EAMBIGUOUS. */
int store_container_lookup(struct store *s, const char *ref, struct store_container **out, robbe_error **err);
/* All containers, newest first.  *out is never NULL on success. */
int store_container_list(struct store *s, struct store_container ***out, robbe_error **err);

/* Write the state fields of c (state .. state_json) for c->id.
 * STORE_ENOTFOUND if the container was removed meanwhile. */
int store_container_update_state(struct store *s, const struct store_container *c, robbe_error **err);
/* Replace the config JSON (docker update, rename of the JSON's own copy). */
int store_container_set_config(struct store *s, const char *id, const char *config_json, robbe_error **err);
int store_container_rename(struct store *s, const char *id, const char *new_name, robbe_error **err);
/* Remove the container, its state and its links.  STORE_EINUSE if another
 * container depends on it (shares its namespaces). */
int store_container_remove(struct store *s, const char *id, robbe_error **err);
/* The same, recording its exit code (store_exit_code_record) in the same
 * transaction. */
int store_container_remove_exited(struct store *s, const char *id, int exit_code, robbe_error **err);

/* Exit codes outlive their containers so that `run --rm` and `wait` can
 * still report one.  Recording replaces an older code for the same id. */
int store_exit_code_record(struct store *s, const char *id, int exit_code, robbe_error **err);
/* STORE_ENOTFOUND if none recorded; *timestamp in ns (may be NULL). */
int store_exit_code_get(struct store *s, const char *id, int *exit_code, int64_t *timestamp, robbe_error **err);
/* Forget exit codes recorded more than max_age_ns ago. */
int store_exit_code_prune(struct store *s, int64_t max_age_ns, robbe_error **err);

/* ---- volumes ------------------------------------------------------------ */

struct store_volume {
	char *name;
	char *driver;		/* NULL means "local" */
	char *mountpoint;	/* absolute path of the data directory */
	int64_t created;	/* ns; 0 means now */
	bool anonymous;		/* created for one container (removed with it by --rm / rm -v) */
	char *labels_json;	/* object; NULL means {} */
	char *options_json;	/* object; NULL means {} */
	char *json;		/* engine-defined extras; NULL means {} */
};

void store_volume_free(struct store_volume *v);
static inline void cleanup_store_volumep(struct store_volume **v)
{
	store_volume_free(*v);
}
#define cleanup_store_volume __attribute__((cleanup(cleanup_store_volumep)))
void store_volume_list_free(struct store_volume **v);
static inline void cleanup_store_volume_listp(struct store_volume ***v)
{
	store_volume_list_free(*v);
}
#define cleanup_store_volume_list __attribute__((cleanup(cleanup_store_volume_listp)))

/* STORE_ECONFLICT if the name is taken. */
int store_volume_add(struct store *s, const struct store_volume *v, robbe_error **err);
int store_volume_get(struct store *s, const char *name, struct store_volume **out, robbe_error **err);
/* By name, sorted.  *out is never NULL on success. */
int store_volume_list(struct store *s, struct store_volume ***out, robbe_error **err);
/* Ids of the containers using the volume (NULL if none). */
int store_volume_users(struct store *s, const char *name, char ***container_ids, robbe_error **err);
/* STORE_EINUSE while a container uses it (the message names one). */
int store_volume_remove(struct store *s, const char *name, robbe_error **err);

/* ---- images and layers -------------------------------------------------- */

struct store_layer {
	char *chain_id;		/* "sha256:...": identity of the layer stack up to here */
	char *diff_id;		/* digest of the uncompressed tar */
	char *parent;		/* chain id below it, NULL for a base layer (set by the store) */
	char *blob_digest;	/* digest of the compressed blob, NULL if unknown */
	int64_t compressed_size; /* -1 if unknown */
	int64_t size;		/* uncompressed */
};

struct store_layer_list {
	struct store_layer *v;
	size_t n;
};

struct store_image {
	char *id;		/* "sha256:<digest of the config>" */
	char *digest;		/* digest of the manifest, NULL if none (built, loaded) */
	int64_t created;	/* ns, from the config */
	int64_t added;		/* ns, when it entered the store (set by the store) */
	int64_t size;		/* bytes, uncompressed */
	char *top_layer;	/* chain id of the last layer, NULL if no layers (set by the store) */
	char *config_json;
	char *manifest_json;	/* NULL if none */
	char **names;		/* full references "registry/repo:tag" */
	char **digests;		/* full references "registry/repo@sha256:..." */
	struct store_layer_list layers;	/* base first */
};

void store_layer_release(struct store_layer *l);
void store_layer_list_release(struct store_layer_list *l);
static inline void cleanup_store_layer_listp(struct store_layer_list *l)
{
	store_layer_list_release(l);
}
#define cleanup_store_layer_list __attribute__((cleanup(cleanup_store_layer_listp)))

void store_image_free(struct store_image *img);
static inline void cleanup_store_imagep(struct store_image **img)
{
	store_image_free(*img);
}
#define cleanup_store_image __attribute__((cleanup(cleanup_store_imagep)))
void store_image_list_free(struct store_image **v);
static inline void cleanup_store_image_listp(struct store_image ***v)
{
	store_image_list_free(*v);
}
#define cleanup_store_image_list __attribute__((cleanup(cleanup_store_image_listp)))

/* Add an image with its names, digests and layers in one transaction.
 * Layers already known (same chain id) are shared, not duplicated.  Adding
 * an image that exists only adds the names and digests.  A name that
 * pointed at another image moves here (that image may become dangling).
 * *created (may be NULL) tells whether the image was new. */
int store_image_add(struct store *s, const struct store_image *img, bool *created, robbe_error **err);

/* By exact id ("sha256:<64 hex>"). */
int store_image_get(struct store *s, const char *id, struct store_image **out, robbe_error **err);
/* By exact name or digest reference, as stored (the caller normalizes). */
int store_image_get_by_name(struct store *s, const char *name, struct store_image **out, robbe_error **err);
/* By unique id prefix, with or without "sha256:".  STORE_EAMBIGUOUS. */
int store_image_get_by_prefix(struct store *s, const char *prefix, struct store_image **out, robbe_error **err);
/* Exact id, then name or digest reference, then id prefix. */
int store_image_lookup(struct store *s, const char *ref, struct store_image **out, robbe_error **err);
/* All images, newest (by created) first.  *out is never NULL on success. */
int store_image_list(struct store *s, struct store_image ***out, robbe_error **err);

/* Point name at the image (moving it from another image if needed). */
int store_image_tag(struct store *s, const char *image_id, const char *name, robbe_error **err);
/* Drop a name or digest reference.  *image_id (may be NULL) receives the
 * image it pointed at.  STORE_ENOTFOUND if no such name. */
int store_image_untag(struct store *s, const char *name, char **image_id, robbe_error **err);
/* Remove the image and all its names.  STORE_EINUSE if a container was
 * created from it.  Layers no other image uses are removed too and returned
 * in *removed (topmost first, may be NULL) so the caller can delete their
 * files after this returns. */
int store_image_remove(struct store *s, const char *image_id, struct store_layer_list *removed,
		       robbe_error **err);
/* Ids of the containers created from the image (NULL-terminated; NULL if
 * none). */
int store_image_users(struct store *s, const char *image_id, char ***container_ids, robbe_error **err);
int store_image_in_use(struct store *s, const char *image_id, bool *in_use, robbe_error **err);

/* One layer by chain id; STORE_ENOTFOUND. */
int store_layer_get(struct store *s, const char *chain_id, struct store_layer *out, robbe_error **err);
/* All layers (for garbage collection of the layer store). */
int store_layer_list(struct store *s, struct store_layer_list *out, robbe_error **err);

/* ---- networks ----------------------------------------------------------- */

/* A network record.  What the driver and the addresses mean is the
 * engine's (config_json); the store keeps names unique and knows which
 * containers are attached to which network. */
struct store_network {
	char *id;		/* 64 hex digits */
	char *name;
	char *driver;		/* "bridge", "host", "null" */
	int64_t created;	/* ns; 0 means now */
	char *config_json;	/* engine-defined; NULL means {} */
};

/* One container attached to one network.  json is the engine's: the
 * settings asked for (aliases, a static address) and, while the container
 * runs, what it was given. */
struct store_network_attachment {
	char *container_id;
	char *network_id;
	char *json;		/* NULL means {} */
	/* For store_network_update: set by the engine's callback. */
	bool changed;		/* json was replaced: write it back */
	bool removed;		/* delete this attachment */
	bool added;		/* a new attachment the callback appended */
};

void store_network_free(struct store_network *n);
void store_network_list_free(struct store_network **v);
void store_network_attachment_free(struct store_network_attachment *a);
void store_network_attachment_list_free(struct store_network_attachment **v);
static inline void cleanup_store_networkp(struct store_network **n)
{
	store_network_free(*n);
}
#define cleanup_store_network __attribute__((cleanup(cleanup_store_networkp)))
static inline void cleanup_store_network_listp(struct store_network ***v)
{
	store_network_list_free(*v);
}
#define cleanup_store_network_list __attribute__((cleanup(cleanup_store_network_listp)))
static inline void cleanup_store_network_attachment_listp(struct store_network_attachment ***v)
{
	store_network_attachment_list_free(*v);
}
#define cleanup_store_network_attachment_list __attribute__((cleanup(cleanup_store_network_attachment_listp)))

/* Everything the network engine decides over at once. */
struct store_network_snapshot {
	struct store_network **networks;		/* all of them, NULL-terminated */
	struct store_network_attachment **atts;	/* all of them, NULL-terminated */
	size_t n_atts;
};
/* Append a new attachment to a snapshot (inside a store_network_update
 * callback); the snapshot owns it, and it is inserted on success. */
void store_network_snapshot_add(struct store_network_snapshot *snap, const char *container_id,
				const char *network_id, const char *json);

/* The callback of store_network_add: sees every network stored so far
 * (NULL-terminated) and may complete n (its config, e.g. a subnet no
 * other network uses) or refuse with an error. */
typedef int (*store_network_check_fn)(void *ud, struct store_network *const *existing, struct store_network *n,
				      robbe_error **err);

/* Add a network in one transaction, check (may be NULL) run inside it so
 * that two robbe processes cannot both take the same free subnet.  Name
 * taken: STORE_ECONFLICT.  created == 0 means now. */
int store_network_add(struct store *s, struct store_network *n, store_network_check_fn check, void *ud,
		      robbe_error **err);
/* By exact id. */
int store_network_get(struct store *s, const char *id, struct store_network **out, robbe_error **err);
/* As Docker resolves a network reference: exact id, exact name, then a
 * unique id prefix.  STORE_ENOTFOUND, STORE_EAMBIGUOUS. */
int store_network_lookup(struct store *s, const char *ref, struct store_network **out, robbe_error **err);
/* All networks, by name.  *out is never NULL on success. */
int store_network_list(struct store *s, struct store_network ***out, robbe_error **err);
/* Remove a network.  Inside the transaction busy (may be NULL) sees the
 * network's attachments and may refuse (its error is returned, nothing
 * changes); otherwise the attachments go with the network. */
int store_network_remove(struct store *s, const char *id,
			 int (*busy)(void *ud, struct store_network_attachment *const *atts, robbe_error **err),
			 void *ud, robbe_error **err);

/* Attachments of one container (container_id) or of one network
 * (network_id), or all (both NULL); by container, then network name. */
int store_network_attachments(struct store *s, const char *container_id, const char *network_id,
			      struct store_network_attachment ***out, robbe_error **err);
/* Read, change and write back networks' attachments in one write
 * transaction: fn gets every network and every attachment and marks what
 * it changed (changed, removed, or new ones through
 * store_network_snapshot_add).  An error from fn changes nothing.  The
 * transaction is what makes address allocation safe between processes. */
int store_network_update(struct store *s,
			 int (*fn)(void *ud, struct store_network_snapshot *snap, robbe_error **err), void *ud,
			 robbe_error **err);

#endif
