/* commit.h: `docker commit` and `docker export` over a container's
 * directories.
 *
 * Commit: the overlay upper directory becomes one new layer (its whiteouts
 * written as ".wh." entries), stored like a pulled layer (a gzip blob kept
 * for push and save, the extracted layer for run), and a new image config
 * is made from the image's: the container's Config with the --change
 * instructions applied, the layer's diff ID appended to rootfs.diff_ids
 * and a history entry (created_by: the container's Cmd; comment: -m;
 * author: -a).  A commit without changes adds no layer, only a history
 * entry marked empty_layer, as Docker does.
 *
 * Export: the merged root filesystem as a plain tar.
 */
#ifndef ROBBE_COMMIT_H
#define ROBBE_COMMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "image.h"
#include "util.h"

/* sha256 of an empty tar (two zero blocks): Docker's empty layer. */
#define COMMIT_EMPTY_LAYER_DIFF_ID "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"

struct commit_request {
	/* The config of the container's image (the whole image config
	 * JSON); NULL for a container made from nothing. */
	const char *parent_config;
	size_t parent_config_len;
	/* The container's Config object (Docker's container.Config); it
	 * becomes the image's "config" after the changes. */
	const cJSON *container_config;
	const char *container_id;	/* recorded as "container"; may be NULL */
	char *const *changes;		/* --change instructions; may be NULL */
	const char *comment;		/* -m; may be NULL */
	const char *author;		/* -a; may be NULL */
	int64_t created;		/* ns since the epoch; 0: now */
};

/* The new image config (compact JSON).  diff_id NULL or the empty layer's:
 * no layer is added and the history entry says empty_layer. */
int commit_config(const struct commit_request *req, const char *diff_id, char **out, robbe_error **err);

struct commit_layer {
	bool empty;		/* nothing changed: no layer */
	char *diff_id;
	char *blob_digest;	/* the gzip blob kept in the blob store */
	int64_t compressed_size;
	int64_t size;		/* bytes on disk, as Docker counts a layer */
	char *chain_id;
};
void commit_layer_release(struct commit_layer *l);

/* Turn an upper directory into a layer on top of parent_chain (NULL: a
 * base layer).  Takes the image environment's shared lock, kept until
 * image_env_unlock_layers() or image_env_free(). */
int commit_layer_create(struct image_env *env, int upper_fd, const char *parent_chain, const char *opaque_xattr,
			struct commit_layer *out, robbe_error **err);

/* The whole commit: the layer, the config, the image recorded with the
 * parent's layers plus the new one, and named `reference` (a user
 * reference such as "repo:tag", NULL for none: a dangling image).
 * parent may be NULL.  *image_id gets "sha256:<hex>". */
int commit_image(struct image_env *env, int upper_fd, const struct store_image *parent,
		 const struct commit_request *req, const char *reference, char **image_id, robbe_error **err);

/* `docker export`: the tree under root_fd as a plain tar on out_fd (no
 * whiteouts, nothing from other filesystems mounted below it). */
int export_rootfs(int root_fd, int out_fd, robbe_error **err);

#endif
