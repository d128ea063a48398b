/* image-transfer.h: images in and out of robbe — push and registry login
 * (image-push.c); save, load and import (image-io.c).
 *
 * Nothing here prints.  Push reports progress through a callback; the
 * others return what they did and compat/ words it as Docker does.
 */
#ifndef ROBBE_IMAGE_TRANSFER_H
#define ROBBE_IMAGE_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include "image.h"
#include "registry.h"
#include "util.h"

/* ---- push (image-push.c) ----------------------------------------------- */

enum image_push_event_kind {
	/* Once per tag, before its layers: tag ("latest"). */
	IMAGE_PUSH_TAG,
	/* Per layer, top layer first: short_id is 12 hex digits of its diff ID. */
	IMAGE_PUSH_LAYER_PREPARING,
	IMAGE_PUSH_LAYER_WAITING,	/* queued behind other uploads */
	IMAGE_PUSH_LAYER_PUSHING,	/* current/total bytes of the blob */
	IMAGE_PUSH_LAYER_EXISTS,	/* the registry has it already */
	IMAGE_PUSH_LAYER_MOUNTED,	/* mounted from another repository: from */
	IMAGE_PUSH_LAYER_PUSHED,
	/* Once per tag, at the end: tag, digest and size of the manifest. */
	IMAGE_PUSH_DONE,
};

struct image_push_event {
	enum image_push_event_kind kind;
	const char *tag;
	const char *short_id;
	const char *from;	/* MOUNTED: repository path ("robbe/busybox") */
	uint64_t current, total;
	const char *digest;	/* DONE */
	size_t size;		/* DONE */
};

struct image_push_events {
	void (*fn)(void *opaque, const struct image_push_event *ev);
	void *opaque;
};

struct image_push_opts {
	bool all_tags;			/* every local tag of the repository */
	enum registry_tls tls;
	const char *daemon_json;	/* NULL: /etc/docker/daemon.json */
	const char *username;		/* NULL: the credential store */
	const char *password;
};

/* The repository a push goes to, for "The push refers to repository [..]":
 * ref as `docker push` takes it (NAME[:TAG]).  *repo gets the full name
 * ("docker.io/library/busybox", "127.0.0.1:5000/x"); *default_tag is set
 * when no tag was given and not all tags are pushed (Docker then says
 * "Using default tag: latest").  Errors: reference_parse()'s wording, and
 * "tag can't be used with --all-tags/-a". */
int image_push_target(const char *ref, bool all_tags, char **repo, bool *default_tag, robbe_error **err);

/* Push the image(s) `ref` names: layers the registry lacks are uploaded
 * (or mounted from another repository of the same registry that has
 * them), then the config and the manifest.  Layers that came from a
 * registry go up as the blobs they came as; others go up as the gzip blob
 * made when they entered robbe.  Registry refusals return
 * -(enum registry_error_kind) with the registry's words in *err
 * ("unauthorized: authentication required"); a name robbe does not have:
 * "An image does not exist locally with the tag: x" / "tag does not exist:
 * x:1" (status 1).  On success the pushed manifest's digest is recorded as
 * a repository digest of the image. */
int image_push(struct image_env *env, const char *ref, const struct image_push_opts *opts,
	       const struct image_push_events *ev, robbe_error **err);

/* ---- login (image-push.c) -------------------------------------------- */

/* The registry a `docker login`/`logout` SERVER argument names: NULL or
 * "docker.io" is Docker Hub ("docker.io"); "http://host:5000/v2/" gives
 * "host:5000". */
char *image_login_domain(const char *server);
/* The name Docker uses for it in messages and config.json
 * ("https://index.docker.io/v1/" or "host:5000"). */
char *image_login_display(const char *domain);

/* Check credentials with the registry as `docker login` does.  Refused
 * credentials: REGISTRY_ERR_UNAUTHORIZED and Docker's words ("login attempt
 * to http://host/v2/ failed with status: 401 Unauthorized"). */
int image_login_check(const char *domain, const char *username, const char *password, enum registry_tls tls,
		      const char *daemon_json, robbe_error **err);

/* ---- save, load, import (image-io.c) ------------------------------------ */

/* Write a `docker save` archive of the images `names` picks (Docker's
 * rules: a name:tag saves that tag, a bare repository name every tag of
 * it, an ID or ID prefix the image without tags) to out_fd. */
int image_save(struct image_env *env, char *const *names, int out_fd, robbe_error **err);

/* What `docker load` did for one image. */
struct image_load_item {
	char *id;		/* "sha256:..." */
	char **names;		/* full references given to it, as in the archive */
	char **replaced;	/* parallel to names: the image ID the name left, or "" */
};
struct image_load_report {
	struct image_load_item *v;
	size_t n;
};
void image_load_report_release(struct image_load_report *r);

/* Read a `docker save` archive (Docker 25+ layout, the legacy layout, or
 * an OCI image layout) from in_fd and record its images.  Everything is
 * checked before anything is recorded: a bad archive records nothing. */
int image_load(struct image_env *env, int in_fd, const char *platform, struct image_load_report *rep,
	       robbe_error **err);

struct image_import_opts {
	const char *source;	/* for the history comment: "-" or the URL */
	char *const *changes;	/* --change Dockerfile instructions */
	const char *message;	/* --message; NULL: "Imported from <source>" */
	const char *platform;	/* os[/arch[/variant]]; NULL: the host's */
	const char *reference;	/* REPOSITORY[:TAG] or NULL */
};

/* `docker import`: a root filesystem tar (possibly compressed) read from
 * in_fd becomes a one-layer image.  *id gets "sha256:<hex>". */
int image_import(struct image_env *env, int in_fd, const struct image_import_opts *opts, char **id,
		 robbe_error **err);

/* Gzip (deterministically: no name, no time) whatever in_fd holds after
 * decompressing it if it is compressed, into a new blob of the layer
 * store.  *digest gets the blob's digest, *size its length, *diff_id
 * (may be NULL) the digest of the uncompressed stream. */
int image_blob_gzip(struct layer_store *ls, int in_fd, char **digest, int64_t *size, char **diff_id,
		    robbe_error **err);

#endif
