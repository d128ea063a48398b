/* reference.h: image references with Docker's grammar and normalization.
 *
 *   busybox                 -> docker.io/library/busybox:latest
 *   user/repo:1.0           -> docker.io/user/repo:1.0
 *   127.0.0.1:5000/x@sha256:<hex>
 *
 * reference_parse() accepts what `docker pull` accepts and fails with the
 * words Docker prints ("invalid reference format", "invalid reference
 * format: repository name (library/Bad) must be lowercase", ...).
 */
#ifndef ROBBE_REFERENCE_H
#define ROBBE_REFERENCE_H

#include "util.h"

#define REFERENCE_DEFAULT_DOMAIN "docker.io"
#define REFERENCE_LEGACY_DOMAIN "index.docker.io"
#define REFERENCE_DOCKER_HUB_ENDPOINT "registry-1.docker.io"
#define REFERENCE_OFFICIAL_PREFIX "library/"
#define REFERENCE_DEFAULT_TAG "latest"
#define REFERENCE_NAME_MAX 255	/* longest repository path */
#define REFERENCE_TAG_MAX 128

struct reference {
	char *domain;	/* "docker.io", "127.0.0.1:5000"; never NULL */
	char *path;	/* "library/busybox"; never NULL */
	char *tag;	/* NULL when none was given */
	char *digest;	/* "sha256:<hex>", NULL when none was given */
};

/* Parse and normalize a reference as `docker pull NAME[:TAG|@DIGEST]` does.
 * No default tag is added: see reference_default_tag(). */
int reference_parse(const char *s, struct reference **out, robbe_error **err);
/* Parse a reference that is already fully qualified
 * ("docker.io/library/busybox:latest"); no normalization. */
int reference_parse_full(const char *s, struct reference **out, robbe_error **err);
void reference_free(struct reference *ref);
struct reference *reference_copy(const struct reference *ref);

static inline void cleanup_referencep(struct reference **r)
{
	reference_free(*r);
}
#define cleanup_reference __attribute__((cleanup(cleanup_referencep)))

/* Add "latest" when the reference has neither tag nor digest; returns true
 * if it did (`docker pull` then prints "Using default tag: latest"). */
bool reference_default_tag(struct reference *ref);
/* Replace the tag or digest (NULL removes it).  The value is not checked. */
void reference_set_tag(struct reference *ref, const char *tag);
void reference_set_digest(struct reference *ref, const char *digest);

/* "docker.io/library/busybox" */
char *reference_name(const struct reference *ref);
/* "docker.io/library/busybox:latest@sha256:..." (tag and digest if set) */
char *reference_string(const struct reference *ref);
/* "busybox", "user/repo", "ghcr.io/x/y" */
char *reference_familiar_name(const struct reference *ref);
/* The familiar name with ":tag" and "@digest" if set: "busybox:latest". */
char *reference_familiar_string(const struct reference *ref);
/* The ":tag" or "@digest" Docker shows after a familiar name, tag preferred. */
const char *reference_tag_or_digest(const struct reference *ref);

/* Host (and port) that serves the registry API for this domain:
 * "registry-1.docker.io" for docker.io, the domain itself otherwise. */
const char *reference_registry_host(const char *domain);
bool reference_is_docker_hub(const char *domain);

/* Grammar checks used by `docker tag` and friends. */
bool reference_tag_is_valid(const char *tag);
bool reference_domain_is_valid(const char *domain, size_t len);
bool reference_path_is_valid(const char *path, size_t len);

#endif
