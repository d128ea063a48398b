/* auth.h: registry credentials, kept where Docker and Podman keep them.
 *
 * Lookup order for a registry domain:
 *   1. credHelpers[<server>] in Docker's config.json  (docker-credential-<name> get)
 *   2. credsStore in Docker's config.json               (docker-credential-<name> get)
 *   3. auths[<server>].auth in Docker's config.json     (base64 "user:pass")
 *   4. Podman's auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json
 * Docker's config.json is $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
 * Docker Hub's key is "https://index.docker.io/v1/"; other registries use
 * their domain ("127.0.0.1:5000").
 */
#ifndef ROBBE_AUTH_H
#define ROBBE_AUTH_H

#include "util.h"

#define AUTH_DOCKER_HUB_KEY "https://index.docker.io/v1/"

struct auth_credentials {
	char *username;
	char *secret;
	char *source;	/* where they came from: a file path or "docker-credential-<x>" */
};
void auth_credentials_release(struct auth_credentials *c);

char *auth_docker_config_path(void);
/* The key Docker files a domain's credentials under. */
char *auth_server_key(const char *domain);

/* 1 and *out filled if credentials exist, 0 if none, <0 on error (a
 * credential helper that fails or cannot be run, an unreadable file). */
int auth_lookup(const char *domain, struct auth_credentials *out, robbe_error **err);
/* `docker login`: through the helper if one is configured for the domain,
 * else into config.json's auths (written atomically, mode 0600, other keys
 * kept).  Returns where they went in *where (optional, caller frees). */
int auth_store(const char *domain, const char *username, const char *secret, char **where, robbe_error **err);
/* `docker logout`: 1 if something was removed, 0 if there was nothing. */
int auth_erase(const char *domain, robbe_error **err);

/* base64 (standard alphabet, padded). decode returns NULL on bad input. */
char *auth_base64_encode(const void *data, size_t len);
char *auth_base64_decode(const char *s, size_t *len);

#endif
