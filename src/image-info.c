/* image-info.c: what inspect and history show about a local image. */
#include "config.h"

#include <string.h>

#include "image-internal.h"
#include "store/layers.h"

static const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Go's omitempty: "", null, false, 0, empty arrays and objects are left out. */
static bool json_empty(const cJSON *v)
{
	if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return true;
	if (cJSON_IsString(v))
		return v->valuestring[0] == '\0';
	if (cJSON_IsNumber(v))
		return v->valuedouble == 0;
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		return v->child == NULL;
	return false;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp((*(cJSON *const *) a)->string, (*(cJSON *const *) b)->string);
}

static cJSON *sorted_object(const cJSON *obj)
{
	size_t n = 0, k = 0;
	const cJSON *it;
	cJSON **items, *out = cJSON_CreateObject();

	cJSON_ArrayForEach(it, obj)
		n++;
	items = xcalloc(n ? n : 1, sizeof(*items));
	cJSON_ArrayForEach(it, obj)
		items[k++] = (cJSON *) it;
	qsort(items, n, sizeof(*items), cmp_key);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToObject(out, items[i]->string, cJSON_Duplicate(items[i], true));
	free(items);
	return out;
}

/* The runtime config as API 1.50 shows it: the OCI image config fields and
 * Docker's extensions, in their order, empty ones left out. */
static cJSON *inspect_config(const cJSON *config)
{
	static const char *const keys[] = {
		"User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir",
		"Labels", "StopSignal", "ArgsEscaped", "Healthcheck", "OnBuild", "Shell",
	};
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(config, "config");
	cJSON *out = cJSON_CreateObject();

	for (size_t i = 0; c && i < ARRAY_SIZE(keys); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, keys[i]);
		if (json_empty(v))
			continue;
		/* Go writes maps (Labels, ExposedPorts, Volumes) sorted by key */
		cJSON_AddItemToObject(out, keys[i], cJSON_IsObject(v) ? sorted_object(v) : cJSON_Duplicate(v, true));
	}
	return out;
}

static cJSON *strv_json(char *const *v)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; v && v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static cJSON *graph_driver(struct image_env *env, const struct store_image *img)
{
	cJSON *gd = cJSON_CreateObject();
	const struct store_layer_list *ls = &img->layers;

	if (ls->n == 0) {
		cJSON_AddNullToObject(gd, "Data");
	} else {
		cJSON *data = cJSON_CreateObject();
		cleanup_free char *upper = layer_store_diff_path(env->layers, ls->v[ls->n - 1].chain_id);
		cleanup_free char *dir = xstrndup(upper, strlen(upper) - strlen("/diff"));
		cleanup_free char *merged = xasprintf("%s/merged", dir);
		cleanup_free char *work = xasprintf("%s/work", dir);
		struct sbuf lower = SBUF_INIT;

		/* Top down, as overlayfs lists lower directories. */
		for (size_t i = ls->n - 1; i-- > 0;) {
			cleanup_free char *p = layer_store_diff_path(env->layers, ls->v[i].chain_id);
			if (lower.len)
				sbuf_addc(&lower, ':');
			sbuf_adds(&lower, p);
		}
		if (lower.len)
			cJSON_AddStringToObject(data, "LowerDir", sbuf_str(&lower));
		cJSON_AddStringToObject(data, "MergedDir", merged);
		cJSON_AddStringToObject(data, "UpperDir", upper);
		cJSON_AddStringToObject(data, "WorkDir", work);
		sbuf_release(&lower);
		cJSON_AddItemToObject(gd, "Data", data);
	}
	cJSON_AddStringToObject(gd, "Name", "overlay2");
	return gd;
}

int image_inspect_json(struct image_env *env, const struct store_image *img, cJSON **out, robbe_error **err)
{
	cleanup_cjson cJSON *config = cJSON_Parse(img->config_json);
	cleanup_strv char **tags = image_repo_tags(img);
	cleanup_strv char **digests = image_repo_digests(img);
	cJSON *o, *rootfs, *layers, *meta;
	const char *s;

	*out = NULL;
	if (!cJSON_IsObject(config))
		return robbe_error_set(err, 0, "image %s: invalid config", img->id);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Id", img->id);
	cJSON_AddItemToObject(o, "RepoTags", strv_json(tags));
	cJSON_AddItemToObject(o, "RepoDigests", strv_json(digests));
	cJSON_AddStringToObject(o, "Parent", "");
	/* Without a comment of its own, the image shows its last history
	 * entry's, as the daemon does. */
	s = json_str(config, "comment");
	if (!s || !*s) {
		const cJSON *hist = cJSON_GetObjectItemCaseSensitive(config, "history");
		int nh = cJSON_IsArray(hist) ? cJSON_GetArraySize(hist) : 0;
		if (nh > 0)
			s = json_str(cJSON_GetArrayItem(hist, nh - 1), "comment");
	}
	cJSON_AddStringToObject(o, "Comment", s ? s : "");
	if (img->created > 0) {
		cleanup_free char *t = image_format_time(img->created);
		cJSON_AddStringToObject(o, "Created", t);
	}
	s = json_str(config, "docker_version");
	cJSON_AddStringToObject(o, "DockerVersion", s ? s : "");
	s = json_str(config, "author");
	cJSON_AddStringToObject(o, "Author", s ? s : "");
	cJSON_AddItemToObject(o, "Config", inspect_config(config));
	s = json_str(config, "architecture");
	cJSON_AddStringToObject(o, "Architecture", s ? s : "");
	if ((s = json_str(config, "variant")) && *s)
		cJSON_AddStringToObject(o, "Variant", s);
	s = json_str(config, "os");
	cJSON_AddStringToObject(o, "Os", s ? s : "");
	if ((s = json_str(config, "os.version")) && *s)
		cJSON_AddStringToObject(o, "OsVersion", s);
	cJSON_AddNumberToObject(o, "Size", (double) img->size);
	cJSON_AddItemToObject(o, "GraphDriver", graph_driver(env, img));
	rootfs = cJSON_AddObjectToObject(o, "RootFS");
	cJSON_AddStringToObject(rootfs, "Type", "layers");
	layers = cJSON_AddArrayToObject(rootfs, "Layers");
	for (size_t i = 0; i < img->layers.n; i++)
		cJSON_AddItemToArray(layers, cJSON_CreateString(img->layers.v[i].diff_id));
	meta = cJSON_AddObjectToObject(o, "Metadata");
	cJSON_AddStringToObject(meta, "LastTagTime", "0001-01-01T00:00:00Z");
	*out = o;
	return 0;
}

/* ---- history ------------------------------------------------------------ */

void image_history_release(struct image_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].id);
		free(h->v[i].created_by);
		free(h->v[i].comment);
		strv_free(h->v[i].tags);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
}

/* The config's history, newest first; entries that made a layer carry
 * that layer's size.  The top entry is the image itself; Docker cannot
 * name the ones below (no parent images for pulled ones): "<missing>". */
int image_history_get(struct image_env *env, const struct store_image *img, struct image_history *out,
		      robbe_error **err)
{
	cleanup_cjson cJSON *config = cJSON_Parse(img->config_json);
	const cJSON *hist, *h;
	size_t n, layer = 0, k;

	(void) env;
	memset(out, 0, sizeof(*out));
	if (!cJSON_IsObject(config))
		return robbe_error_set(err, 0, "image %s: invalid config", img->id);
	hist = cJSON_GetObjectItemCaseSensitive(config, "history");
	n = cJSON_IsArray(hist) ? (size_t) cJSON_GetArraySize(hist) : 0;
	if (n == 0)
		return 0;
	out->v = xcalloc(n, sizeof(*out->v));
	out->n = n;
	k = n;
	cJSON_ArrayForEach(h, hist) {
		struct image_history_entry *e = &out->v[--k];
		const cJSON *empty = cJSON_GetObjectItemCaseSensitive(h, "empty_layer");
		const char *s;

		e->id = xstrdup("<missing>");
		e->created = image_parse_time(json_str(h, "created")) / 1000000000;
		s = json_str(h, "created_by");
		e->created_by = xstrdup(s ? s : "");
		s = json_str(h, "comment");
		e->comment = xstrdup(s ? s : "");
		e->empty_layer = cJSON_IsTrue(empty);
		if (!e->empty_layer) {
			if (layer >= img->layers.n) {
				image_history_release(out);
				return robbe_error_set(err, 0, "too many non-empty layers in History section");
			}
			e->size = img->layers.v[layer++].size;
		}
	}
	free(out->v[0].id);
	out->v[0].id = xstrdup(img->id);
	out->v[0].tags = image_repo_tags(img);
	if (!out->v[0].tags[0]) {
		strv_free(out->v[0].tags);
		out->v[0].tags = NULL;
	}
	return 0;
}
