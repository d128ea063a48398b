/* manifest.h: image manifests, indexes and configs, and platform selection.
 *
 * Everything here parses bytes that came from a registry or an archive, so
 * every document is hostile until checked: sizes and counts are bounded,
 * digests must be well-formed sha256 digests, and unknown media types are
 * refused with a message that names them.
 *
 *   manifest_parse()          Docker schema 2 manifest / manifest list,
 *                             OCI manifest / index (schema 1 is refused)
 *   manifest_select()         pick the entry of an index for a platform
 *   image_config_parse()      the image config (rootfs.diff_ids, runtime defaults)
 *   platform_parse()/..._default()   "os/arch[/variant]", DOCKER_DEFAULT_PLATFORM
 */
#ifndef ROBBE_MANIFEST_H
#define ROBBE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Registries must accept manifests of at least 4 MiB and refuse larger
 * ones; anything bigger is not a manifest we want to hold in memory. */
#define MANIFEST_MAX_BYTES (4u << 20)
/* Configs carry history and labels and can be larger than manifests, but a
 * config of more than 8 MiB is an attempt to exhaust memory. */
#define IMAGE_CONFIG_MAX_BYTES (8u << 20)
/* Docker's layer store refuses chains deeper than 128 layers, and overlay
 * mounts of more lower directories would not fit the mount data page. */
#define MANIFEST_MAX_LAYERS 128
/* Entries of one index: real indexes have a handful of platforms plus
 * attestations; the bound keeps selection and memory linear and small. */
#define MANIFEST_MAX_ENTRIES 1024
/* Sanity bound on a descriptor's size: keeps the arithmetic well inside
 * int64 and rejects obviously forged values.  1 TiB. */
#define MANIFEST_MAX_BLOB_SIZE ((int64_t) 1 << 40)

#define MEDIA_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MEDIA_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MEDIA_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define MEDIA_DOCKER_LAYER_GZIP "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define MEDIA_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MEDIA_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MEDIA_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MEDIA_OCI_LAYER "application/vnd.oci.image.layer.v1.tar"
#define MEDIA_OCI_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define MEDIA_OCI_LAYER_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"

enum manifest_kind {
	MANIFEST_DOCKER_V2 = 1,	/* Docker image manifest v2, schema 2 */
	MANIFEST_DOCKER_LIST,	/* Docker manifest list */
	MANIFEST_OCI,		/* OCI image manifest */
	MANIFEST_OCI_INDEX,	/* OCI image index */
};

enum layer_compression {
	LAYER_UNCOMPRESSED,
	LAYER_GZIP,
	LAYER_ZSTD,
};

struct oci_platform {
	char *os;		/* "linux" */
	char *architecture;	/* Go names: amd64, arm64, arm, 386, ppc64le, s390x, ... */
	char *variant;		/* "v8", "v7", ... or NULL */
};

struct oci_descriptor {
	char *media_type;
	char *digest;		/* "sha256:<64 hex>", validated */
	int64_t size;
	/* Layers: the compression their media type declares. */
	enum layer_compression compression;
	/* Index entries. */
	bool has_platform;
	struct oci_platform platform;
	bool attestation;	/* vnd.docker.reference.type = attestation-manifest */
	char *ref_name;		/* annotation org.opencontainers.image.ref.name */
	char *image_name;	/* annotation io.containerd.image.name */
};

struct manifest {
	enum manifest_kind kind;
	const char *media_type;	/* one of the MEDIA_* strings */
	/* Image manifests (MANIFEST_DOCKER_V2, MANIFEST_OCI). */
	struct oci_descriptor config;
	struct oci_descriptor *layers;
	size_t n_layers;
	/* Indexes (MANIFEST_DOCKER_LIST, MANIFEST_OCI_INDEX). */
	struct oci_descriptor *manifests;
	size_t n_manifests;
};

static inline bool manifest_is_index(const struct manifest *m)
{
	return m->kind == MANIFEST_DOCKER_LIST || m->kind == MANIFEST_OCI_INDEX;
}

/* Parse and validate a manifest or index.  content_type is the registry's
 * Content-Type header (parameters allowed) or NULL; the document's own
 * mediaType wins and the two must agree when both are known. */
int manifest_parse(const char *data, size_t len, const char *content_type, struct manifest **out,
		   robbe_error **err);
void manifest_free(struct manifest *m);
static inline void cleanup_manifestp(struct manifest **m)
{
	manifest_free(*m);
}
#define cleanup_manifest __attribute__((cleanup(cleanup_manifestp)))

/* Pick the entry of an index that runs on `want`: same OS and architecture,
 * the closest compatible variant, first in list order on ties.  Attestation
 * entries and media types that are not manifests are never picked.  The
 * error reads like Docker's: "no matching manifest for linux/amd64 in the
 * manifest list entries". */
int manifest_select(const struct manifest *index, const struct oci_platform *want,
		    const struct oci_descriptor **out, robbe_error **err);

/* The image config. */
struct image_config {
	char *architecture;
	char *os;
	char *variant;
	char *created;
	char **diff_ids;	/* rootfs.diff_ids, validated digests */
	size_t n_diff_ids;
	/* From "config"; NULL when absent. */
	char **env;
	char **cmd;
	char **entrypoint;
	char *working_dir;
	char *user;
	char *stop_signal;
	cJSON *json;		/* the whole document, for inspect and the like */
};

int image_config_parse(const char *data, size_t len, struct image_config **out, robbe_error **err);
void image_config_free(struct image_config *c);
static inline void cleanup_image_configp(struct image_config **c)
{
	image_config_free(*c);
}
#define cleanup_image_config __attribute__((cleanup(cleanup_image_configp)))

/* The manifest's layers must match the config's diff IDs one for one. */
int manifest_check_config(const struct manifest *m, const struct image_config *c, robbe_error **err);

/* The platform of a config, for comparing with a requested one. */
void image_config_platform(const struct image_config *c, struct oci_platform *out);

/* Descriptors must name blobs by "sha256:<64 lowercase hex>": the blob store
 * keeps sha256 only.  The error names `what` and the problem. */
int manifest_digest_check(const char *s, const char *what, robbe_error **err);

/* Platforms.  Strings are normalised the way Docker does (aarch64 -> arm64,
 * x86_64 -> amd64, armhf -> arm/v7, ...). */
int platform_parse(const char *spec, struct oci_platform *out, robbe_error **err);
/* The platform robbe's own binary runs as (compile-time architecture). */
void platform_host(struct oci_platform *out);
/* DOCKER_DEFAULT_PLATFORM when set and not empty, else the host's. */
int platform_default(struct oci_platform *out, robbe_error **err);
/* Would an image for `have` run where `want` is asked for?  Returns a score
 * (higher is closer; exact match is best) or -1 for no match. */
int platform_match(const struct oci_platform *want, const struct oci_platform *have);
/* "linux/arm64/v8"; the caller frees. */
char *platform_format(const struct oci_platform *p);
void platform_release(struct oci_platform *p);
void platform_copy(struct oci_platform *dst, const struct oci_platform *src);
static inline void cleanup_platformp(struct oci_platform *p)
{
	platform_release(p);
}
#define cleanup_platform __attribute__((cleanup(cleanup_platformp)))

#endif
