/* registry.h: a client for the Registry HTTP API v2 (libcurl).
 *
 * One `struct registry` talks to one registry (a reference's domain).  It
 * picks the scheme (plain HTTP for loopback registries, HTTPS otherwise unless
 * the registry is insecure), answers the auth challenge (Bearer tokens or
 * Basic), retries transient failures, and verifies every digest it is given.
 *
 * Nothing here prints.  Failures return the negative of an enum
 * registry_error_kind and set *err; the command layer words them for the user
 * (e.g. REGISTRY_ERR_DENIED becomes "pull access denied for X, repository
 * does not exist or may require 'docker login': " + err->msg).
 */
#ifndef ROBBE_REGISTRY_H
#define ROBBE_REGISTRY_H

#include "util.h"

#define MEDIA_TYPE_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MEDIA_TYPE_DOCKER_MANIFEST_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MEDIA_TYPE_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define MEDIA_TYPE_DOCKER_LAYER "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define MEDIA_TYPE_DOCKER_SCHEMA1 "application/vnd.docker.distribution.manifest.v1+json"
#define MEDIA_TYPE_DOCKER_SCHEMA1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"
#define MEDIA_TYPE_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MEDIA_TYPE_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MEDIA_TYPE_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MEDIA_TYPE_OCI_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"

/* Manifests are small JSON documents (a few KiB; big indexes reach a few
 * hundred).  They are held in memory, so a registry, hostile or broken, must
 * not be able to make us buffer an unbounded body: 4 MiB is far above any
 * real manifest and is the bound containerd uses too. */
#define REGISTRY_MANIFEST_MAX (4u << 20)

enum registry_error_kind {
	REGISTRY_ERR_OTHER = 1,
	/* 401/403, or DENIED/UNAUTHORIZED/NAME_UNKNOWN on a repository:
	 * Docker's "pull access denied ..., repository does not exist or may
	 * require 'docker login'" case. */
	REGISTRY_ERR_DENIED,
	/* Credentials refused (login, token endpoint): "unauthorized: ..." */
	REGISTRY_ERR_UNAUTHORIZED,
	/* "manifest unknown: manifest unknown": Docker's "manifest for X not found" */
	REGISTRY_ERR_MANIFEST_UNKNOWN,
	REGISTRY_ERR_BLOB_UNKNOWN,
	REGISTRY_ERR_NOT_FOUND,		/* other 404 */
	REGISTRY_ERR_DIGEST_MISMATCH,	/* content does not match its digest or size */
	REGISTRY_ERR_UNSUPPORTED,	/* schema 1 manifests, unknown media types */
	REGISTRY_ERR_NETWORK,		/* could not talk to the registry */
};

enum registry_tls {
	REGISTRY_TLS_DEFAULT = 0,	/* verify unless daemon.json lists the registry insecure */
	REGISTRY_TLS_VERIFY,
	REGISTRY_TLS_NO_VERIFY,		/* --tls-verify=false: skip verification, allow HTTP */
};

struct registry_options {
	/* Docker's daemon.json (insecure-registries, registry-mirrors).
	 * NULL: /etc/docker/daemon.json; "" reads none. A missing file is fine. */
	const char *daemon_json;
	enum registry_tls tls;
	/* Credentials; when username is NULL and use_credential_store is set,
	 * they are looked up with auth_lookup() (Docker's config.json, helpers,
	 * containers auth.json). */
	const char *username;
	const char *password;
	bool use_credential_store;
	/* Ask for push access (scopes "pull,push"); mirrors are not used. */
	bool push;
	const char *user_agent;		/* NULL: "robbe/<version>" */
	unsigned retry_delay_ms;	/* first retry delay, doubled each time; 0: 1000 */
	unsigned max_parallel;		/* concurrent blob transfers; 0: 3 */
	size_t chunk_size;		/* uploads: 0 = one PUT, else PATCH chunks of this size */
};

struct registry;

int registry_open(const char *domain, const struct registry_options *opts, struct registry **out,
		  robbe_error **err);
void registry_free(struct registry *reg);
static inline void cleanup_registryp(struct registry **r)
{
	registry_free(*r);
}
#define cleanup_registry __attribute__((cleanup(cleanup_registryp)))

/* Replace the credentials (NULL username: anonymous). */
void registry_set_credentials(struct registry *reg, const char *username, const char *password);
/* GET /v2/ on each candidate endpoint until one answers; learns the auth
 * challenge.  Other calls ping first on their own. */
int registry_ping(struct registry *reg, robbe_error **err);
/* Base URL in use ("http://127.0.0.1:5000") once pinged, else the first
 * candidate. */
const char *registry_url(const struct registry *reg);
/* What `docker login` checks: the credentials give a token (Bearer) or
 * pass /v2/ (Basic).  Refusal is REGISTRY_ERR_UNAUTHORIZED. */
int registry_check_login(struct registry *reg, robbe_error **err);

/* Manifests.  `ref` is a tag or a digest. */
struct registry_manifest {
	char *data;
	size_t len;
	char *media_type;
	char *digest;	/* of data; verified against ref when ref is a digest */
};
void registry_manifest_free(struct registry_manifest *m);
static inline void cleanup_registry_manifestp(struct registry_manifest **m)
{
	registry_manifest_free(*m);
}
#define cleanup_registry_manifest __attribute__((cleanup(cleanup_registry_manifestp)))

int registry_manifest_get(struct registry *reg, const char *repo, const char *ref,
			  struct registry_manifest **out, robbe_error **err);
/* 1 if it exists (digest, media type and size filled when wanted and the
 * registry says), 0 if not, <0 on error. */
int registry_manifest_head(struct registry *reg, const char *repo, const char *ref, char **digest,
			   char **media_type, uint64_t *size, robbe_error **err);
/* PUT under a tag or digest; *digest_out (optional) gets the manifest digest. */
int registry_manifest_put(struct registry *reg, const char *repo, const char *ref, const char *media_type,
			  const void *data, size_t len, char **digest_out, robbe_error **err);

/* Progress of one blob, for a Docker-like display. */
enum registry_progress_state {
	REGISTRY_PROGRESS_WAITING,
	REGISTRY_PROGRESS_TRANSFERRING,	/* downloading or uploading; current/total */
	REGISTRY_PROGRESS_RETRYING,	/* attempt is the next try, retry_in_ms the wait */
	REGISTRY_PROGRESS_VERIFYING,
	REGISTRY_PROGRESS_COMPLETE,
	REGISTRY_PROGRESS_MOUNTED,	/* push: cross-repository mount worked */
	REGISTRY_PROGRESS_FAILED,	/* error is set */
};

struct registry_progress {
	enum registry_progress_state state;
	const char *digest;
	uint64_t current;
	uint64_t total;		/* 0 if unknown */
	unsigned attempt;
	unsigned retry_in_ms;
	const robbe_error *error;
};
typedef void (*registry_progress_fn)(void *opaque, const struct registry_progress *p);

/* 1 if the blob exists (*size set when wanted), 0 if not. */
int registry_blob_head(struct registry *reg, const char *repo, const char *digest, uint64_t *size,
		       robbe_error **err);

/* One blob to download.  dest is written through "<dest>.partial", renamed
 * when the digest checks out and deleted otherwise. */
struct registry_blob_job {
	const char *digest;
	uint64_t size;		/* from the manifest; 0 = unknown.  More data is an error. */
	const char *dest;
	registry_progress_fn progress;
	void *opaque;
	robbe_error *error;	/* out: why this blob failed; the caller frees it */
};

/* Download blobs concurrently (at most opts.max_parallel at once), each
 * verified while it streams.  Returns 0 if all succeeded, else -kind of the
 * first failure (and *err says which blob); per-blob errors in jobs[i].error. */
int registry_blob_fetch_many(struct registry *reg, const char *repo, struct registry_blob_job *jobs, size_t n,
			     robbe_error **err);
int registry_blob_fetch(struct registry *reg, const char *repo, const char *digest, uint64_t size,
			const char *dest, registry_progress_fn progress, void *opaque, robbe_error **err);
/* Download into an open fd (from its current offset); retries rewind a
 * regular file.  Nothing is deleted on failure. */
int registry_blob_fetch_fd(struct registry *reg, const char *repo, const char *digest, uint64_t size, int fd,
			   registry_progress_fn progress, void *opaque, robbe_error **err);

/* Upload a blob whose digest is known.  When mount_from names another
 * repository of the same registry, a cross-repository mount is tried first;
 * *mounted (optional) tells whether it worked. */
int registry_blob_push_fd(struct registry *reg, const char *repo, const char *digest, int fd, uint64_t size,
			  const char *mount_from, registry_progress_fn progress, void *opaque, bool *mounted,
			  robbe_error **err);
int registry_blob_push_file(struct registry *reg, const char *repo, const char *digest, const char *path,
			    const char *mount_from, registry_progress_fn progress, void *opaque, bool *mounted,
			    robbe_error **err);
/* Upload bytes held in memory (an image config); digest NULL computes it.
 * *digest_out (optional) gets the digest. */
int registry_blob_push_data(struct registry *reg, const char *repo, const char *digest, const void *data,
			    size_t len, char **digest_out, robbe_error **err);

/* daemon.json settings that decide how registries are reached. */
struct registry_config {
	char **insecure;	/* "host:port", "host" or CIDR */
	char **mirrors;		/* URLs, for docker.io only */
};
int registry_config_load(const char *path, struct registry_config **out, robbe_error **err);
void registry_config_free(struct registry_config *cfg);
bool registry_config_is_insecure(const struct registry_config *cfg, const char *domain);
/* 127.0.0.0/8, ::1 or localhost, with or without a port: plain HTTP. */
bool registry_host_is_local(const char *domain);

/* Forget every cached token (tests; a long-lived process after logout). */
void registry_token_cache_clear(void);

#endif
