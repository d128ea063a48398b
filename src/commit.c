/* commit.c: a container's upper directory as a new image; its merged root
 * as an export tar (see commit.h). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "commit.h"
#include "image-change.h"
#include "manifest.h"
#include "store/layers.h"
#include "tarball.h"

void commit_layer_release(struct commit_layer *l)
{
	free(l->diff_id);
	free(l->blob_digest);
	free(l->chain_id);
	memset(l, 0, sizeof(*l));
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void copy_key(cJSON *dst, const cJSON *src, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, key);

	if (v && !cJSON_IsNull(v))
		cJSON_AddItemToObject(dst, key, cJSON_Duplicate(v, true));
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp((*(cJSON *const *) a)->string, (*(cJSON *const *) b)->string);
}

/* Go writes maps with their keys sorted; the config's maps (Labels,
 * ExposedPorts, Volumes) must read the same whatever order they were
 * built in. */
static void sort_map(cJSON *obj)
{
	size_t n = 0, i = 0;
	cJSON **items, *it;

	if (!cJSON_IsObject(obj))
		return;
	cJSON_ArrayForEach(it, obj)
		n++;
	if (n < 2)
		return;
	items = xcalloc(n, sizeof(*items));
	while (obj->child)
		items[i++] = cJSON_DetachItemViaPointer(obj, obj->child);
	qsort(items, n, sizeof(*items), cmp_keys);
	for (i = 0; i < n; i++)
		cJSON_AddItemToObject(obj, items[i]->string, items[i]);
	free(items);
}

/* Docker's history created_by for a commit: the container's Cmd joined
 * with spaces. */
static char *created_by(const cJSON *config)
{
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(config, "Cmd");
	struct sbuf sb = SBUF_INIT;
	const cJSON *it;

	cJSON_ArrayForEach(it, cmd)
	{
		if (!cJSON_IsString(it))
			continue;
		if (sb.len)
			sbuf_addc(&sb, ' ');
		sbuf_adds(&sb, it->valuestring);
	}
	return sbuf_detach(&sb);
}

int commit_config(const struct commit_request *req, const char *diff_id, char **out, robbe_error **err)
{
	cleanup_cjson cJSON *parent = NULL;
	cleanup_cjson cJSON *run = NULL;
	cleanup_cjson cJSON *img = cJSON_CreateObject();
	cleanup_free char *created = image_format_time(req->created ? req->created : now_ns());
	cleanup_free char *cmdline = NULL;
	cJSON *history, *rootfs, *diff_ids, *h;
	const cJSON *p_rootfs, *p_ids, *it;
	bool empty = !diff_id || strcmp(diff_id, COMMIT_EMPTY_LAYER_DIFF_ID) == 0;
	struct oci_platform host = { 0 };

	*out = NULL;
	if (req->parent_config) {
		parent = cJSON_ParseWithLength(req->parent_config, req->parent_config_len);
		if (!cJSON_IsObject(parent))
			return robbe_error_set(err, 0, "the image's config is not valid JSON");
	}
	/* The container's Config with the changes applied on top. */
	run = req->container_config ? cJSON_Duplicate(req->container_config, true) : image_change_empty_config();
	if (!cJSON_IsObject(run))
		return robbe_error_set(err, 0, "the container's config is not an object");
	if (image_change_apply(run, req->changes, err) < 0)
		return -1;
	sort_map(cJSON_GetObjectItemCaseSensitive(run, "Labels"));
	sort_map(cJSON_GetObjectItemCaseSensitive(run, "ExposedPorts"));
	sort_map(cJSON_GetObjectItemCaseSensitive(run, "Volumes"));
	cmdline = created_by(req->container_config);

	/* A fresh config, as Docker makes a child image: the platform from
	 * the parent, everything else new; keys sorted as Docker writes. */
	platform_host(&host);
	if (parent && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(parent, "architecture")))
		copy_key(img, parent, "architecture");
	else
		cJSON_AddStringToObject(img, "architecture", host.architecture);
	if (req->author && *req->author)
		cJSON_AddStringToObject(img, "author", req->author);
	cJSON_AddItemToObject(img, "config", steal_pointer(&run));
	if (req->container_id && *req->container_id)
		cJSON_AddStringToObject(img, "container", req->container_id);
	cJSON_AddStringToObject(img, "created", created);

	history = cJSON_AddArrayToObject(img, "history");
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(parent, "history"))
		cJSON_AddItemToArray(history, cJSON_Duplicate(it, true));
	h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "created", created);
	if (req->author && *req->author)
		cJSON_AddStringToObject(h, "author", req->author);
	if (*cmdline)
		cJSON_AddStringToObject(h, "created_by", cmdline);
	if (req->comment && *req->comment)
		cJSON_AddStringToObject(h, "comment", req->comment);
	if (empty)
		cJSON_AddTrueToObject(h, "empty_layer");
	cJSON_AddItemToArray(history, h);

	if (parent && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(parent, "os")))
		copy_key(img, parent, "os");
	else
		cJSON_AddStringToObject(img, "os", host.os);
	copy_key(img, parent, "os.features");
	copy_key(img, parent, "os.version");

	rootfs = cJSON_AddObjectToObject(img, "rootfs");
	cJSON_AddStringToObject(rootfs, "type", "layers");
	diff_ids = cJSON_AddArrayToObject(rootfs, "diff_ids");
	p_rootfs = cJSON_GetObjectItemCaseSensitive(parent, "rootfs");
	p_ids = cJSON_GetObjectItemCaseSensitive(p_rootfs, "diff_ids");
	cJSON_ArrayForEach(it, p_ids)
	{
		if (!cJSON_IsString(it))
			return robbe_error_set(err, 0, "the image's config has an invalid diff ID");
		cJSON_AddItemToArray(diff_ids, cJSON_CreateString(it->valuestring));
	}
	if (!empty)
		cJSON_AddItemToArray(diff_ids, cJSON_CreateString(diff_id));
	if (parent && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(parent, "variant")))
		copy_key(img, parent, "variant");
	else if (!parent && host.variant)
		cJSON_AddStringToObject(img, "variant", host.variant);
	platform_release(&host);

	*out = cJSON_PrintUnformatted(img);
	if (!*out)
		die_oom();
	return 0;
}

int commit_layer_create(struct image_env *env, int upper_fd, const char *parent_chain, const char *opaque_xattr,
			struct commit_layer *out, robbe_error **err)
{
	struct tar_write_opts wopts = { .whiteouts = true, .opaque_xattr = opaque_xattr };
	struct tar_write_result wres = { 0 };
	struct blob_writer *w = NULL;
	cleanup_close int blob_fd = -1;
	int r = -1;

	memset(out, 0, sizeof(*out));
	/* From here until the image is recorded, a concurrent rmi must not
	 * collect the blob and layer made here (image.h, Locking). */
	if (image_env_lock_layers(env, err) < 0)
		return -1;
	if (blob_writer_new(env->layers, &w, err) < 0)
		return -1;
	if (tar_write_layer(upper_fd, blob_writer_fd(w), TAR_GZIP, &wopts, &wres, err) < 0) {
		blob_writer_abort(w);
		goto out;
	}
	if (strcmp(wres.diff_id, COMMIT_EMPTY_LAYER_DIFF_ID) == 0) {
		blob_writer_abort(w);
		out->empty = true;
		r = 0;
		goto out;
	}
	if (blob_writer_commit_verified(w, wres.digest, (int64_t) wres.compressed_size, err) < 0)
		goto out;
	/* The layer for run: extracted from the blob just written, so what
	 * runs is exactly what push and save send. */
	if (layer_store_open_blob(env->layers, wres.digest, &blob_fd, err) < 0)
		goto out;
	if (image_layer_apply(env, blob_fd, parent_chain, wres.diff_id, &out->chain_id, &out->size, err) < 0)
		goto out;
	out->diff_id = steal_pointer(&wres.diff_id);
	out->blob_digest = steal_pointer(&wres.digest);
	out->compressed_size = (int64_t) wres.compressed_size;
	r = 0;
out:
	tar_write_result_release(&wres);
	if (r < 0)
		commit_layer_release(out);
	return r < 0 ? robbe_error_wrap(err, "committing the container's changes") : 0;
}

/* Docker refuses a digest reference as the new name and adds ":latest". */
static int commit_name(const char *reference, char **full, robbe_error **err)
{
	*full = NULL;
	if (!reference || !*reference)
		return 0;
	if (strchr(reference, '@'))
		return robbe_error_set(err, 0, "refusing to create a tag with a digest reference");
	return image_normalize_name(reference, full, err);
}

int commit_image(struct image_env *env, int upper_fd, const struct store_image *parent,
		 const struct commit_request *req, const char *reference, char **image_id, robbe_error **err)
{
	struct commit_layer layer = { 0 };
	cleanup_free char *full = NULL;
	cleanup_free char *config = NULL;
	cleanup_store_image struct store_image *img = NULL;
	struct image_layer_input *in = NULL;
	size_t n = 0, n_parent = parent ? parent->layers.n : 0;
	char *names[2] = { NULL, NULL };
	int r = -1;

	*image_id = NULL;
	if (commit_name(reference, &full, err) < 0)
		return -1;
	if (commit_layer_create(env, upper_fd, parent ? parent->top_layer : NULL, NULL, &layer, err) < 0)
		return -1;
	if (commit_config(req, layer.empty ? NULL : layer.diff_id, &config, err) < 0)
		goto out;
	in = xcalloc(n_parent + 1, sizeof(*in));
	for (size_t i = 0; i < n_parent; i++) {
		const struct store_layer *l = &parent->layers.v[i];
		in[n++] = (struct image_layer_input){
			.diff_id = l->diff_id,
			.blob_digest = l->blob_digest,
			.compressed_size = l->compressed_size,
			.size = l->size,
		};
	}
	if (!layer.empty)
		in[n++] = (struct image_layer_input){
			.diff_id = layer.diff_id,
			.blob_digest = layer.blob_digest,
			.compressed_size = layer.compressed_size,
			.size = layer.size,
		};
	names[0] = full;
	if (image_commit(env, config, strlen(config), in, n, NULL, full ? names : NULL, &img, err) < 0)
		goto out;
	*image_id = xstrdup(img->id);
	r = 0;
out:
	free(in);
	commit_layer_release(&layer);
	image_env_unlock_layers(env);
	return r;
}

int export_rootfs(int root_fd, int out_fd, robbe_error **err)
{
	struct tar_write_opts opts = { .whiteouts = false, .one_file_system = true };
	struct tar_write_result res = { 0 };
	int r = tar_write_layer(root_fd, out_fd, TAR_PLAIN, &opts, &res, err);

	tar_write_result_release(&res);
	return r < 0 ? robbe_error_wrap(err, "exporting the container") : 0;
}
