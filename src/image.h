/* image.h: the image engine — local images and pulling them.
 *
 * What the image commands (pull, images, rmi, tag, inspect, history,
 * prune, and push/save/load/import) call.  Nothing here prints: pull
 * reports progress through callbacks, everything else returns data (structs
 * or cJSON) that compat/ formats.
 *
 * On disk (see store/layers.h): blobs/sha256/ holds image configs (named by
 * the image ID) and compressed layer blobs (named by layers.blob_digest);
 * overlay/ holds extracted layers named by chain ID.  Anything in those two
 * places that no image or layer row of the database refers to is garbage
 * and image_gc() deletes it, so a caller must not keep other blobs there.
 *
 * Locking (<root>/image.lock, flock):
 *   shared     from the moment a command decides to reuse or create layers
 *              until its image is recorded in the database (pull, load,
 *              import, commit, build): image_env_lock_layers(), taken
 *              implicitly by image_layer_apply() and image_pull().
 *   exclusive  while image_gc() compares what is on disk with the database
 *              and deletes what nothing refers to.
 * Without it, rmi could delete the files of a layer a pull has just found
 * present and is about to record for its new image.  Database rows are
 * protected by sqlite transactions; the lock is only about files.  GC never
 * waits for the lock: when a pull holds it, the files stay until the next
 * rmi or prune.
 */
#ifndef ROBBE_IMAGE_H
#define ROBBE_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "manifest.h"
#include "paths.h"
#include "registry.h"
#include "store/store.h"
#include "util.h"

struct layer_store;

/* ---- the environment: opened once per command ----------------------- */

struct image_env {
	struct store *store;		/* borrowed (cli_store) */
	struct layer_store *layers;	/* owned */
	const struct robbe_paths *paths; /* borrowed */
	int lock_fd;			/* <root>/image.lock, -1 until locked */
	bool locked_shared;
};

/* Open the layer store under paths->root and sweep what crashed robbe
 * processes left behind (partial blobs, half-extracted layers). */
int image_env_open(struct store *s, const struct robbe_paths *paths, struct image_env **out, robbe_error **err);
/* Releases the lock if held. */
void image_env_free(struct image_env *env);
static inline void cleanup_image_envp(struct image_env **e)
{
	image_env_free(*e);
}
#define cleanup_image_env __attribute__((cleanup(cleanup_image_envp)))

/* Take the shared image lock (no-op if already held); released by
 * image_commit(), image_env_unlock_layers() or image_env_free(). */
int image_env_lock_layers(struct image_env *env, robbe_error **err);
void image_env_unlock_layers(struct image_env *env);

/* ---- names ------------------------------------------------------------ */

/* Docker's image lookup for a user's string:
 *   "sha256:<64 hex>" or "<64 hex>"   the image ID
 *   "busybox", "busybox:1", "x/y@sha256:..."   a name (default tag latest)
 *   "3f57d9401f8d", "sha256:3f57"     a unique ID prefix
 * Not found (or an ambiguous prefix, as Docker): errnum ENOENT, status 1,
 * message "No such image: busybox:latest" (familiar form, with the tag).
 * A string that is neither a reference nor an ID: errnum EINVAL, Docker's
 * "invalid reference format..." message. */
int image_resolve(struct store *s, const char *user_ref, struct store_image **out, robbe_error **err);

/* "busybox" -> "docker.io/library/busybox:latest" (tag added when no tag or
 * digest is given); for `tag` targets and the like.  Errors as
 * reference_parse(). */
int image_normalize_name(const char *user_ref, char **full, robbe_error **err);

/* Familiar forms of stored full references:
 *   "docker.io/library/busybox:latest"      -> "busybox:latest"
 *   "docker.io/library/busybox@sha256:..."  -> "busybox@sha256:..."
 *   "127.0.0.1:5000/x/y:1"                  -> "127.0.0.1:5000/x/y:1"
 * A string that does not parse is returned as it is. */
char *image_familiar(const char *full_ref);
/* Split a stored full reference into the familiar repository ("busybox")
 * and the tag ("latest") or digest ("sha256:..."); *is_digest tells which
 * (may be NULL).  Returns -1 if it does not parse. */
int image_split_name(const char *full_ref, char **repo, char **tag_or_digest, bool *is_digest);
/* The image's names (tags only) in familiar form, sorted as Docker lists
 * RepoTags; never NULL. */
char **image_repo_tags(const struct store_image *img);
/* The same for digest references (RepoDigests). */
char **image_repo_digests(const struct store_image *img);
/* "3f57d9401f8d" (12 hex) or the whole "sha256:<64>" */
char *image_short_id(const char *id);

/* ---- creating images -------------------------------------------------- */

/* One layer of an image being recorded.  The layer must already be in the
 * layer store (image_layer_apply / tar_apply_layer) under its chain ID. */
struct image_layer_input {
	const char *diff_id;		/* "sha256:..." of the uncompressed tar */
	const char *blob_digest;	/* the compressed blob kept in blobs/, or NULL */
	int64_t compressed_size;	/* -1 if unknown */
	int64_t size;			/* bytes on disk (Docker's layer size); -1: measure */
};

/* Extract a layer blob read from blob_fd on top of parent_chain (NULL for a
 * base layer), checking it against diff_id; nothing is read when the layer
 * is present already.  Takes the shared lock (kept until image_commit,
 * image_env_unlock_layers or image_env_free).  *chain_out (may be NULL)
 * gets the chain ID, *size_out (may be NULL) the layer's size as Docker
 * counts it. */
int image_layer_apply(struct image_env *env, int blob_fd, const char *parent_chain, const char *diff_id,
		      char **chain_out, int64_t *size_out, robbe_error **err);

/* Record an image: store the config blob (its digest is the image ID), then
 * the image, its layers and its names in one database transaction.  names
 * holds full references, NULL-terminated (may be NULL): "repo:tag" ones
 * become tags, "repo@sha256:..." ones digest references; a tag that named
 * another image moves here.  manifest_json (may be NULL) is the image
 * manifest whose digest becomes img->digest.  Checks that the config's
 * diff IDs match the layers.  Releases the shared lock when done.  *out
 * (may be NULL) gets the stored image; *created (may be NULL) whether it
 * was new. */
int image_commit(struct image_env *env, const char *config_json, size_t len, const struct image_layer_input *layers,
		 size_t n, const char *manifest_json, char *const *names, struct store_image **out,
		 robbe_error **err);
int image_commit_ex(struct image_env *env, const char *config_json, size_t len,
		    const struct image_layer_input *layers, size_t n, const char *manifest_json, char *const *names,
		    struct store_image **out, bool *created, robbe_error **err);

/* ---- pull ------------------------------------------------------------- */

struct image_pull_opts {
	const char *platform;		/* "os/arch[/variant]"; NULL: DOCKER_DEFAULT_PLATFORM, else the host */
	enum registry_tls tls;
	const char *username;		/* NULL: the credential store */
	const char *password;
	const char *daemon_json;	/* NULL: /etc/docker/daemon.json */
	unsigned max_parallel;		/* concurrent layer downloads; 0: 3 */
};

enum image_pull_event_kind {
	/* Once per pull, before anything else: ref.tag_or_digest and ref.repo
	 * ("latest", "library/busybox"); default_tag when "latest" was added. */
	IMAGE_PULL_RESOLVED,
	/* Per layer, layer/short_id set. */
	IMAGE_PULL_LAYER_EXISTS,	/* "Already exists" */
	IMAGE_PULL_LAYER_QUEUED,	/* "Pulling fs layer" */
	IMAGE_PULL_LAYER_WAITING,	/* "Waiting": queued behind other downloads */
	IMAGE_PULL_LAYER_DOWNLOADING,	/* current/total bytes */
	IMAGE_PULL_LAYER_RETRYING,	/* attempt, retry_in_ms */
	IMAGE_PULL_LAYER_VERIFYING,	/* "Verifying Checksum" */
	IMAGE_PULL_LAYER_DOWNLOADED,	/* "Download complete" */
	IMAGE_PULL_LAYER_EXTRACTING,	/* current/total compressed bytes read */
	IMAGE_PULL_LAYER_COMPLETE,	/* "Pull complete" */
	IMAGE_PULL_LAYER_FAILED,	/* error set */
	/* Once, at the end: digest (of what the name pointed at), up_to_date. */
	IMAGE_PULL_DONE,
};

struct image_pull_event {
	enum image_pull_event_kind kind;
	/* RESOLVED */
	const char *tag_or_digest;	/* "latest", or the whole reference of a
					 * digest pull ("docker.io/library/x@sha256:...") */
	const char *repo;		/* the repository path, without the domain
					 * ("library/busybox", "x/y") */
	bool default_tag;
	/* layer events */
	size_t index;			/* position in the manifest, base first */
	size_t n_layers;
	const char *layer;		/* blob digest "sha256:..." */
	const char *short_id;		/* its first 12 hex digits */
	uint64_t current, total;
	unsigned attempt, retry_in_ms;
	const robbe_error *error;
	/* DONE */
	const char *digest;
	bool up_to_date;
};

/* Events arrive from at most one thread at a time (the engine serialises
 * them), but not always from the calling thread. */
struct image_pull_events {
	void (*fn)(void *opaque, const struct image_pull_event *ev);
	void *opaque;
};

/* Pull NAME[:TAG|@DIGEST] (as `docker pull` takes it).  Layers download in
 * parallel, verified as they stream, and are extracted in order as soon as
 * they and the ones below are there; layers already present are not
 * fetched.  The image becomes visible only at the end, in one transaction.
 * Errors read as the Docker daemon words them: "pull access denied for x,
 * repository does not exist or may require 'docker login': denied: ...",
 * "manifest for x:1 not found: manifest unknown: ...", and the return value
 * is then -(enum registry_error_kind) where a registry said no.
 * *full_ref (may be NULL) gets the normalised reference
 * ("docker.io/library/busybox:latest"), *out (may be NULL) the image. */
int image_pull(struct image_env *env, const char *ref, const struct image_pull_opts *opts,
	       const struct image_pull_events *ev, struct store_image **out, char **full_ref, robbe_error **err);

/* `pull -a`: the tags of a repository, from the registry, sorted. */
int image_list_remote_tags(const char *repo_ref, const struct image_pull_opts *opts, char ***tags,
			   robbe_error **err);

/* ---- removing and tagging --------------------------------------------- */

/* `docker tag SOURCE TARGET`: target is a user reference (default tag added). */
int image_tag(struct image_env *env, const char *source, const char *target, robbe_error **err);

/* What one `rmi` argument did, in Docker's order: the references untagged,
 * then the image and layer IDs deleted. */
struct image_remove_report {
	char **untagged;	/* familiar: "busybox:latest", "busybox@sha256:..." */
	char **deleted;		/* "sha256:<image id>", then "sha256:<chain id>" of each removed layer */
	int64_t reclaimed;	/* bytes of the layers removed */
};
void image_remove_report_release(struct image_remove_report *r);

/* `docker rmi [-f] X` for one argument, with the daemon's rules:
 *  - by name: untag it (and, when that was the repository's last tag, its
 *    digest references); the image goes when no name is left.  A container
 *    using an image with a single name refuses without force ("conflict:
 *    unable to remove repository reference ...").
 *  - by ID: drop every name and the image.  Names in several repositories
 *    need force ("(must be forced) - image is referenced in multiple
 *    repositories"); a running container refuses even with force ("(cannot
 *    be forced) - image is being used by running container ..."), and so
 *    does a stopped one: Docker deletes the image under it when forced, but
 *    robbe's containers run on the image's layers ("(cannot be forced) -
 *    image is being used by stopped container ...").
 *  Removing the last name of an image a container uses (with force) keeps
 *  the image, nameless and silently, as Docker does for running ones.
 * Errors have status 1: conflicts errnum EBUSY, "No such image: X" ENOENT.
 * The report says what was done even on error.  Layer files are garbage
 * collected afterwards (image_gc). */
int image_remove(struct image_env *env, const char *user_ref, bool force, bool no_prune,
		 struct image_remove_report *rep, robbe_error **err);

/* Delete layer directories and blobs that nothing in the database refers
 * to, under the exclusive lock; returns 0 without doing anything when
 * another process holds the lock (a pull in progress) or this env holds
 * the shared one. */
int image_gc(struct image_env *env, robbe_error **err);

/* ---- reading ---------------------------------------------------------- */

/* Docker's `image inspect` object (key order of API 1.51). */
int image_inspect_json(struct image_env *env, const struct store_image *img, cJSON **out, robbe_error **err);

struct image_history_entry {
	char *id;		/* "sha256:<id>" for the top entry, "<missing>" below */
	int64_t created;	/* seconds since the epoch, 0 unknown */
	char *created_by;
	char *comment;
	int64_t size;
	bool empty_layer;
	char **tags;		/* familiar tags of the top entry, else NULL */
};
struct image_history {
	struct image_history_entry *v;	/* newest first */
	size_t n;
};
void image_history_release(struct image_history *h);
int image_history_get(struct image_env *env, const struct store_image *img, struct image_history *out,
		      robbe_error **err);

/* Parse "created" of a config into ns since the epoch (0 if absent/bad). */
int64_t image_parse_time(const char *rfc3339);
/* Go's time.RFC3339Nano of ns since the epoch, UTC ("2024-01-02T03:04:05.123Z"). */
char *image_format_time(int64_t ns);
/* Labels of the image's config (Config.Labels); NULL if none. */
const cJSON *image_config_labels(const cJSON *config);

/* ---- listing ---------------------------------------------------------- */

/* `--filter key=value` as the daemon reads it: repeated keys OR, different
 * keys AND.  Unknown keys fail with "invalid filter 'key'". */
struct image_filters {
	char **dangling;	/* "true"/"false"/"1"/"0" */
	char **labels;		/* "k" or "k=v" */
	char **not_labels;	/* label!= */
	char **references;	/* glob patterns on familiar names */
	char **before;		/* image references */
	char **since;
	char **until;		/* timestamps or durations */
};
void image_filters_release(struct image_filters *f);
/* allowed: the keys this command takes, NULL-terminated. */
int image_filters_parse(char *const *args, const char *const *allowed, struct image_filters *f,
			robbe_error **err);

/* One image as `docker images` sees it: the names that passed the
 * reference filter, familiar. */
struct image_summary {
	struct store_image *img;
	char **repo_tags;
	char **repo_digests;
	int64_t created;	/* seconds */
};
struct image_summary_list {
	struct image_summary *v;
	size_t n;
};
void image_summary_list_release(struct image_summary_list *l);
/* Images matching the filters, newest first (before/since/reference that
 * name no image fail with "No such image: ..."). */
int image_list(struct image_env *env, const struct image_filters *f, bool all, struct image_summary_list *out,
	       robbe_error **err);

/* ---- prune ------------------------------------------------------------ */

struct image_prune_opts {
	bool all;		/* every image no container uses, not only dangling ones */
	/* until, label, label!, dangling (as image_filters_parse gives them) */
	const struct image_filters *filters;
};
/* What prune did, in order, as Docker's DeleteResponse list: each item
 * has untagged (familiar reference) or deleted ("sha256:...") set. */
struct image_prune_item {
	char *untagged;
	char *deleted;
};
struct image_prune_report {
	struct image_prune_item *v;
	size_t n;
	int64_t reclaimed;	/* bytes of the layers removed */
};
void image_prune_report_release(struct image_prune_report *r);
int image_prune(struct image_env *env, const struct image_prune_opts *opts, struct image_prune_report *rep,
		robbe_error **err);

#endif
