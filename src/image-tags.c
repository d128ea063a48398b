/* image-tags.c: the tags of a repository, for `pull --all-tags`.
 *
 * The registry client (registry.h) has no call for the tag list yet; this
 * uses its internal HTTP layer (registry-internal.h) so that auth, retries
 * and TLS stay the client's.  It belongs in registry-manifest.c as
 * registry_tags_list() once that file's owner adds it.  Registries may
 * paginate (Link headers); the first page is all this reads. */
#include "config.h"

#include <string.h>

#include "image.h"
#include "reference.h"
#include "registry-internal.h"

/* A tag list is names of at most 128 characters; a million of them would
 * be absurd, and 16 MiB bounds what we hold. */
#define TAGS_BODY_MAX (16u << 20)

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

int image_list_remote_tags(const char *repo_ref, const struct image_pull_opts *opts, char ***tags,
			   robbe_error **err)
{
	cleanup_reference struct reference *ref = NULL;
	cleanup_registry struct registry *reg = NULL;
	cleanup_xfer struct http_xfer x;
	cleanup_cjson cJSON *doc = NULL;
	struct registry_options ro = { 0 };
	const cJSON *list, *it;
	int r;

	*tags = NULL;
	http_xfer_init(&x, "GET", NULL);
	if (reference_parse(repo_ref, &ref, err) < 0)
		return -1;
	ro.daemon_json = opts ? opts->daemon_json : NULL;
	ro.tls = opts ? opts->tls : REGISTRY_TLS_DEFAULT;
	ro.username = opts ? opts->username : NULL;
	ro.password = opts ? opts->password : NULL;
	ro.use_credential_store = !ro.username;
	if (registry_open(ref->domain, &ro, &reg, err) < 0)
		return -1;
	if ((r = registry_xfer_setup(reg, &x, ref->path, err)) < 0)
		return r;
	x.url = registry_api_url(reg, "/v2/%s/tags/list", ref->path);
	x.retry = true;
	x.body_max = TAGS_BODY_MAX;
	if ((r = http_run_one(reg, &x, err)) < 0)
		return r;
	if (x.status != 200) {
		cleanup_free char *name = reference_familiar_name(ref);
		r = http_reply_error(&x, err);
		if (-r == REGISTRY_ERR_DENIED || -r == REGISTRY_ERR_NOT_FOUND)
			robbe_error_wrap(err,
					 "pull access denied for %s, repository does not exist or may require 'docker login'",
					 name);
		(*err)->status = EXIT_GENERAL;
		return r;
	}
	doc = cJSON_ParseWithLength(sbuf_str(&x.body), x.body.len);
	list = cJSON_GetObjectItemCaseSensitive(doc, "tags");
	if (!cJSON_IsArray(list) && !cJSON_IsNull(list))
		return robbe_error_set(err, 0, "invalid tag list from the registry");
	cJSON_ArrayForEach(it, list) {
		if (!cJSON_IsString(it) || !reference_tag_is_valid(it->valuestring)) {
			strv_free(*tags);
			*tags = NULL;
			return robbe_error_set(err, 0, "invalid tag in the registry's tag list");
		}
		strv_push(tags, it->valuestring);
	}
	if (*tags)
		qsort(*tags, strv_len(*tags), sizeof(char *), cmp_str);
	return 0;
}
