/* registry-manifest.c: GET, HEAD and PUT of manifests. */
#include "config.h"

#include <string.h>

#include "registry-internal.h"

static const char *const accepted[] = {
	MEDIA_TYPE_OCI_INDEX,
	MEDIA_TYPE_DOCKER_MANIFEST_LIST,
	MEDIA_TYPE_OCI_MANIFEST,
	MEDIA_TYPE_DOCKER_MANIFEST,
};

void registry_manifest_free(struct registry_manifest *m)
{
	if (!m)
		return;
	free(m->data);
	free(m->media_type);
	free(m->digest);
	free(m);
}

static void add_accept(struct http_xfer *x)
{
	for (size_t i = 0; i < ARRAY_SIZE(accepted); i++)
		http_xfer_add_header(x, "Accept: %s", accepted[i]);
}

static bool is_digest_ref(const char *ref)
{
	return strchr(ref, ':') != NULL;
}

static int check_ref(const char *ref, robbe_error **err)
{
	if (is_digest_ref(ref) && digest_validate(ref, err) < 0)
		return -REGISTRY_ERR_OTHER;
	return 0;
}

/* "application/json; charset=utf-8" -> "application/json" */
static char *bare_type(const char *ct)
{
	size_t len = ct ? strcspn(ct, "; ") : 0;
	return len ? xstrndup(ct, len) : NULL;
}

static bool is_schema1(const char *type)
{
	return strcmp(type, MEDIA_TYPE_DOCKER_SCHEMA1) == 0 || strcmp(type, MEDIA_TYPE_DOCKER_SCHEMA1_SIGNED) == 0;
}

/* The media type: the Content-Type when it names a manifest type, else the
 * document's own mediaType, else what its shape says (OCI allows documents
 * without mediaType). */
static char *manifest_type(const struct http_xfer *x)
{
	cleanup_free char *ct = bare_type(x->content_type);
	cleanup_cjson cJSON *j = NULL;
	const char *mt;

	if (ct && strcmp(ct, "application/json") != 0 && strcmp(ct, "text/plain") != 0 &&
	    strcmp(ct, "application/octet-stream") != 0)
		return steal_pointer(&ct);
	j = cJSON_ParseWithLength(sbuf_str(&x->body), x->body.len);
	mt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "mediaType"));
	if (mt && *mt)
		return xstrdup(mt);
	cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "schemaVersion");
	if (cJSON_IsNumber(v) && v->valuedouble == 1)
		return xstrdup(MEDIA_TYPE_DOCKER_SCHEMA1);
	if (cJSON_GetObjectItemCaseSensitive(j, "manifests"))
		return xstrdup(MEDIA_TYPE_OCI_INDEX);
	return xstrdup(MEDIA_TYPE_OCI_MANIFEST);
}

static int check_type(const char *repo, const char *ref, const char *type, robbe_error **err)
{
	if (is_schema1(type))
		return registry_fail(err, REGISTRY_ERR_UNSUPPORTED,
				     "%s:%s uses the Docker image manifest version 2, schema 1 format (%s), which is "
				     "not supported; the image must be pushed again as Docker schema 2 or OCI",
				     repo, ref, type);
	for (size_t i = 0; i < ARRAY_SIZE(accepted); i++)
		if (strcmp(type, accepted[i]) == 0)
			return 0;
	return registry_fail(err, REGISTRY_ERR_UNSUPPORTED, "%s:%s: unsupported manifest media type %s", repo, ref,
			     type);
}

/* The body's digest must match what was asked for (a digest reference) and
 * what the registry claims (Docker-Content-Digest). */
static int verify_manifest(struct http_xfer *x, const char *ref, char **digest, robbe_error **err)
{
	cleanup_free char *got = digest_ctx_final(x->hash);
	const char *claimed = x->content_digest;

	if (is_digest_ref(ref) && strcmp(got, ref) != 0)
		return registry_fail(err, REGISTRY_ERR_DIGEST_MISMATCH, "manifest digest mismatch: expected %s, got %s",
				     ref, got);
	if (!is_digest_ref(ref) && claimed && str_has_prefix(claimed, "sha256:") && strcmp(claimed, got) != 0)
		return registry_fail(err, REGISTRY_ERR_DIGEST_MISMATCH,
				     "manifest digest mismatch: registry says %s, content is %s", claimed, got);
	*digest = steal_pointer(&got);
	return 0;
}

/* A manifest request for repo and ref, authenticated for repo. */
static int manifest_xfer(struct registry *reg, struct http_xfer *x, const char *repo, const char *ref,
			 robbe_error **err)
{
	int r = check_ref(ref, err);

	if (r < 0 || (r = registry_xfer_setup(reg, x, repo, err)) < 0)
		return r;
	x->url = registry_api_url(reg, "/v2/%s/manifests/%s", repo, ref);
	return 0;
}

static int manifest_reply(struct http_xfer *x, const char *repo, const char *ref, struct registry_manifest **out,
			  robbe_error **err)
{
	cleanup_free char *digest = NULL;
	cleanup_free char *type = NULL;
	int r;

	if (x->status != 200)
		return http_reply_error(x, err);
	type = manifest_type(x);
	if ((r = check_type(repo, ref, type, err)) < 0 || (r = verify_manifest(x, ref, &digest, err)) < 0)
		return r;
	struct registry_manifest *m = xcalloc(1, sizeof(*m));
	m->len = x->body.len;
	m->data = sbuf_detach(&x->body);
	m->media_type = steal_pointer(&type);
	m->digest = steal_pointer(&digest);
	*out = m;
	return 0;
}

int registry_manifest_get(struct registry *reg, const char *repo, const char *ref,
			  struct registry_manifest **out, robbe_error **err)
{
	cleanup_xfer struct http_xfer x;
	int r;

	http_xfer_init(&x, "GET", NULL);
	if ((r = manifest_xfer(reg, &x, repo, ref, err)) < 0)
		return r;
	x.retry = true;
	x.body_max = REGISTRY_MANIFEST_MAX;
	x.hash = is_digest_ref(ref) ? digest_ctx_new_for(ref) : digest_ctx_new("sha256");
	add_accept(&x);
	if ((r = http_run_one(reg, &x, err)) < 0)
		return r;
	return manifest_reply(&x, repo, ref, out, err);
}

int registry_manifest_head(struct registry *reg, const char *repo, const char *ref, char **digest,
			   char **media_type, uint64_t *size, robbe_error **err)
{
	cleanup_xfer struct http_xfer x;
	int r;

	http_xfer_init(&x, "HEAD", NULL);
	if ((r = manifest_xfer(reg, &x, repo, ref, err)) < 0)
		return r;
	x.retry = true;
	add_accept(&x);
	if ((r = http_run_one(reg, &x, err)) < 0)
		return r;
	if (x.status == 404)
		return 0;
	if (x.status != 200)
		return http_reply_error(&x, err);
	if (digest)
		*digest = x.content_digest ? xstrdup(x.content_digest) : NULL;
	if (media_type)
		*media_type = bare_type(x.content_type);
	if (size)
		*size = x.has_content_length ? x.content_length : 0;
	return 1;
}

int registry_manifest_put(struct registry *reg, const char *repo, const char *ref, const char *media_type,
			  const void *data, size_t len, char **digest_out, robbe_error **err)
{
	cleanup_xfer struct http_xfer x;
	cleanup_free char *digest = NULL;
	int r;

	http_xfer_init(&x, "PUT", NULL);
	if ((r = manifest_xfer(reg, &x, repo, ref, err)) < 0)
		return r;
	digest = is_digest_ref(ref) ? digest_data_like(ref, data, len) : digest_sha256(data, len);
	if (is_digest_ref(ref) && strcmp(digest, ref) != 0)
		return registry_fail(err, REGISTRY_ERR_DIGEST_MISMATCH,
				     "manifest digest mismatch: pushing %s under %s", digest, ref);
	x.has_body = true;
	x.up_data = data;
	x.up_len = len;
	http_xfer_add_header(&x, "Content-Type: %s", media_type);
	if ((r = http_run_one(reg, &x, err)) < 0)
		return r;
	if (x.status != 201 && x.status != 200)
		return http_reply_error(&x, err);
	if (digest_out)
		*digest_out = steal_pointer(&digest);
	return 0;
}
