/* layers.h: the on-disk blob and layer store.
 *
 * Layout under <root> (the same root the database lives in):
 *
 *   blobs/sha256/<hex>         compressed layer blobs, configs, manifests
 *   blobs/.partial-<random>    a blob being written (locked while alive)
 *   overlay/<chain-hex>/diff   one extracted layer, named by its chain ID
 *   overlay/<chain-hex>/link   the layer's short name, see below
 *   overlay/<chain-hex>/lower  "l/<parent>:l/<grandparent>:..." (not for base layers)
 *   overlay/l/<short>          symlink to ../<chain-hex>/diff
 *   overlay/.tmp-<random>      a layer being created or removed
 *
 * The short names keep overlay mount options under the kernel's one-page
 * limit: 128 lower directories of 90-character paths would not fit, 128
 * "l/<26 chars>" do when the mount is made from inside overlay/.
 *
 * Every change is atomic: a blob is written to a partial file and renamed
 * into place once its digest checks out; a layer is extracted into a .tmp
 * directory and renamed to its chain ID once complete.  Work in progress is
 * flock()ed by its process, so layer_store_cleanup() can tell leftovers of a
 * crashed process from work that is still going on, and removes only those.
 *
 * This file knows nothing of tar: src/tarball.c extracts into the directory
 * a layer_tx hands out.
 */
#ifndef ROBBE_STORE_LAYERS_H
#define ROBBE_STORE_LAYERS_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

struct layer_store;

/* Open (creating if needed) the store under root. */
int layer_store_open(const char *root, struct layer_store **out, robbe_error **err);
void layer_store_free(struct layer_store *s);
static inline void cleanup_layer_storep(struct layer_store **s)
{
	layer_store_free(*s);
}
#define cleanup_layer_store __attribute__((cleanup(cleanup_layer_storep)))

/* Remove what crashed processes left behind: unlocked overlay/.tmp-*
 * directories and blobs/.partial-* files, and l/ links whose layer is gone;
 * recreate l/ links that a crash kept from being made.  Safe to run while
 * other processes use the store. */
int layer_store_cleanup(struct layer_store *s, robbe_error **err);

/* ---- blobs (digests are "sha256:<hex>"; anything else is refused) ---- */

/* "<root>/blobs/sha256/<hex>", or NULL for a digest that is not sha256. */
char *layer_store_blob_path(const struct layer_store *s, const char *digest);
bool layer_store_has_blob(const struct layer_store *s, const char *digest);
int layer_store_open_blob(const struct layer_store *s, const char *digest, int *fd, robbe_error **err);
/* Read a whole blob of at most max bytes and check it still has its digest. */
int layer_store_read_blob(const struct layer_store *s, const char *digest, size_t max, char **data, size_t *len,
			  robbe_error **err);
/* Store data; expected may be NULL.  *digest_out (may be NULL) gets the digest. */
int layer_store_put_blob(struct layer_store *s, const void *data, size_t len, const char *expected,
			 char **digest_out, robbe_error **err);
int layer_store_remove_blob(struct layer_store *s, const char *digest, robbe_error **err);

/* Streaming writer for downloads: write, then commit or abort.  Both end
 * the writer.  commit checks expected (may be NULL) and expected_size (-1 =
 * unknown) before the blob becomes visible. */
struct blob_writer;
int blob_writer_new(struct layer_store *s, struct blob_writer **out, robbe_error **err);
int blob_writer_write(struct blob_writer *w, const void *data, size_t len, robbe_error **err);
int blob_writer_commit(struct blob_writer *w, const char *expected, int64_t expected_size, char **digest_out,
		       robbe_error **err);
void blob_writer_abort(struct blob_writer *w);
/* For writers that stream and verify on their own (registry_blob_fetch_fd
 * checks the digest while downloading): the locked partial file itself.
 * Bytes written to it bypass the writer's hash, so publish them with
 * blob_writer_commit_verified(), which trusts the caller's check of
 * `digest` and only checks the size (-1 = unknown).  Ends the writer. */
int blob_writer_fd(const struct blob_writer *w);
int blob_writer_commit_verified(struct blob_writer *w, const char *digest, int64_t expected_size,
				robbe_error **err);

/* ---- layers ---------------------------------------------------------- */

/* OCI chain ID: the base layer's is its diff ID, then
 * chain(n) = sha256(chain(n-1) + " " + diff_id(n)).  NULL for an invalid
 * argument. */
char *layer_chain_id(const char *parent_chain, const char *diff_id);

bool layer_store_has_layer(const struct layer_store *s, const char *chain_id);
/* "<root>/overlay/<hex>/diff"; NULL for an invalid ID. */
char *layer_store_diff_path(const struct layer_store *s, const char *chain_id);
/* "<root>/overlay": the directory overlay mounts are made from. */
const char *layer_store_overlay_dir(const struct layer_store *s);
/* The lowerdir list for mounting a container on top of this layer,
 * relative to layer_store_overlay_dir(): "l/<this>:l/<parent>:...". */
int layer_store_lowers(const struct layer_store *s, const char *chain_id, char **out, robbe_error **err);
/* Remove a layer.  Callers make sure no image, container or child layer
 * uses it (children's lower files name its short link). */
int layer_store_remove_layer(struct layer_store *s, const char *chain_id, robbe_error **err);

/* A layer in the making. */
struct layer_tx;
int layer_tx_begin(struct layer_store *s, struct layer_tx **out, robbe_error **err);
/* The empty diff directory to fill (owned by the tx). */
int layer_tx_diff_fd(const struct layer_tx *tx);
/* Publish the layer as chain_id with the given parent (NULL for a base
 * layer).  When another process published the same chain first, ours is
 * dropped and that is a success.  Ends the tx. */
int layer_tx_commit(struct layer_tx *tx, const char *chain_id, const char *parent_chain, robbe_error **err);
/* Remove everything the tx created.  Ends the tx. */
void layer_tx_abort(struct layer_tx *tx);

#endif
