/* image-archive.h: the archives of `docker save` and `docker load`.
 *
 * Writing produces what Docker 25 and later write, which both old and new
 * `docker load` (and podman load) accept:
 *
 *   oci-layout                      {"imageLayoutVersion":"1.0.0"}
 *   index.json                      OCI index, one entry per tag
 *   blobs/sha256/<hex>              uncompressed layer tars, configs, OCI manifests
 *   manifest.json                   [{"Config":"blobs/sha256/<hex>","RepoTags":[...],"Layers":[...]}]
 *   repositories                    {"name":{"tag":"<top layer hex>"}}
 *
 * Reading accepts that, the legacy layout of older Docker (manifest.json
 * with <id>.json configs and <id>/layer.tar layers, some of them symlinks
 * to others), and plain OCI archives (oci-layout + index.json + blobs).
 * The archive may be compressed.  It is hostile input: its entries are never
 * extracted by their own names; each regular file is stored as a numbered
 * file in a private work directory and paths named by manifest.json or the
 * index are resolved in memory, symlinks included, and may not leave the
 * archive.
 */
#ifndef ROBBE_IMAGE_ARCHIVE_H
#define ROBBE_IMAGE_ARCHIVE_H

#include <stddef.h>

#include "manifest.h"
#include "util.h"

/* Files in one archive: manifests, configs and layers of up to a thousand
 * images fit easily; the bound keeps path lookups cheap. */
#define IMAGE_ARCHIVE_MAX_ENTRIES 100000
/* Bytes of all files together (after decompression), 256 GiB. */
#define IMAGE_ARCHIVE_MAX_SIZE ((uint64_t) 256 << 30)
/* Configs and manifests held in memory at once, all images together. */
#define IMAGE_ARCHIVE_MAX_JSON ((size_t) 256 << 20)
/* Tags per image. */
#define IMAGE_ARCHIVE_MAX_TAGS 1024

struct image_archive_layer {
	int fd;			/* the layer blob, compressed or not, read from offset 0 */
	const char *diff_id;	/* its uncompressed digest, from the config */
};

struct image_archive_image {
	const char *config;	/* config bytes as stored: their sha256 is the image ID */
	size_t config_len;
	/* "name:tag" as `docker images` shows them; NULL or empty when
	 * saved by ID. */
	char *const *repo_tags;
	/* The same references fully qualified ("docker.io/library/name:tag")
	 * for index.json; NULL to use repo_tags as they are. */
	char *const *full_names;
	const struct image_archive_layer *layers;
	size_t n_layers;
};

/* Write a save archive of n images to out_fd.  Layers are decompressed
 * through temporary files in tmpdir and checked against their diff IDs;
 * layers shared by several images are written once. */
int image_archive_write(int out_fd, const struct image_archive_image *images, size_t n, const char *tmpdir,
			robbe_error **err);

struct loaded_layer {
	char *path;		/* a regular file in the work directory */
	char *diff_id;		/* what the config says its tar stream hashes to */
	char *digest;		/* the blob digest an OCI index named it by, or NULL */
};

struct loaded_image {
	char *config;
	size_t config_len;
	char *config_digest;	/* "sha256:<hex>": the image ID */
	char **repo_tags;	/* never NULL; may be empty */
	struct loaded_layer *layers;
	size_t n_layers;
};

struct image_archive {
	struct loaded_image *images;
	size_t n_images;
};

/* Read an archive from in_fd, unpacking its files into workdir (an empty
 * private directory the caller creates and later removes).  For OCI
 * entries that are multi-platform indexes, platform (NULL: the default
 * platform) picks the image. */
int image_archive_read(int in_fd, const char *workdir, const struct oci_platform *platform,
		       struct image_archive **out, robbe_error **err);
void image_archive_free(struct image_archive *a);
static inline void cleanup_image_archivep(struct image_archive **a)
{
	image_archive_free(*a);
}
#define cleanup_image_archive __attribute__((cleanup(cleanup_image_archivep)))

#endif
