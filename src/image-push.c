/* image-push.c: `docker push` and the registry side of `docker login`.
 *
 * A push sends, for each tag: every layer the registry does not have yet
 * (a HEAD first; then a cross-repository mount when another repository of
 * the same registry is known to hold it, else an upload), the config, and
 * last the manifest under the tag.  Layers are pushed as the compressed
 * blobs robbe keeps for them (store_layer.blob_digest), so what came from
 * a registry goes back byte for byte and a second push of a local layer
 * costs no compression.  A layer without a kept blob (made by an older
 * robbe, or by code that did not keep one) is compressed from its files,
 * which only works when they give back the same tar (robbe's own writer is
 * deterministic); that blob is not recorded and image_gc() drops it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "auth.h"
#include "digest.h"
#include "image-transfer.h"
#include "manifest.h"
#include "reference.h"
#include "store/layers.h"
#include "tarball.h"

/* Docker uploads at most five layers at once; the others wait. */
#define PUSH_CONCURRENCY 5
/* Docker tries at most three other repositories for a mount. */
#define PUSH_MOUNT_CANDIDATES 3

#define MEDIA_DOCKER_LAYER_PLAIN "application/vnd.docker.image.rootfs.diff.tar"

/* ---- the target ---------------------------------------------------------- */

int image_push_target(const char *ref, bool all_tags, char **repo, bool *default_tag, robbe_error **err)
{
	cleanup_reference struct reference *r = NULL;

	*repo = NULL;
	*default_tag = false;
	if (reference_parse(ref, &r, err) < 0)
		return -1;
	if (all_tags && (r->tag || r->digest))
		return robbe_error_set(err, 0, "tag can't be used with --all-tags/-a");
	*default_tag = !all_tags && !r->tag && !r->digest;
	*repo = reference_name(r);
	return 0;
}

/* ---- one push ------------------------------------------------------------- */

enum blob_compression {
	BLOB_PLAIN,
	BLOB_GZIP,
	BLOB_ZSTD,
};

struct push_layer {
	const struct store_layer *l;
	char short_id[13];
	char *digest;		/* the blob pushed */
	int64_t size;
	enum blob_compression comp;
};

struct pusher {
	struct image_env *env;
	struct registry *reg;
	struct reference *ref;		/* target: domain, path */
	const struct image_push_events *ev;
	struct store_image **all;	/* every local image, for mount candidates */
	const char *short_id;		/* layer being uploaded (progress) */
};

static void emit(const struct pusher *p, const struct image_push_event *e)
{
	if (p->ev && p->ev->fn)
		p->ev->fn(p->ev->opaque, e);
}

static void emit_layer(const struct pusher *p, enum image_push_event_kind kind, const char *short_id,
		       const char *from)
{
	struct image_push_event e = { .kind = kind, .short_id = short_id, .from = from };
	emit(p, &e);
}

static void upload_progress(void *opaque, const struct registry_progress *rp)
{
	struct pusher *p = opaque;

	if (rp->state == REGISTRY_PROGRESS_TRANSFERRING) {
		struct image_push_event e = { .kind = IMAGE_PUSH_LAYER_PUSHING, .short_id = p->short_id,
					      .current = rp->current, .total = rp->total };
		emit(p, &e);
	}
}

static void push_layers_release(struct push_layer *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].digest);
	free(v);
}

/* What the first bytes of a blob say about its compression. */
static int sniff_compression(int fd, enum blob_compression *out, robbe_error **err)
{
	unsigned char m[4] = { 0 };
	ssize_t n = pread(fd, m, sizeof(m), 0);

	if (n < 0)
		return robbe_error_errno(err, errno, "read blob");
	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		*out = BLOB_GZIP;
	else if (n == 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		*out = BLOB_ZSTD;
	else
		*out = BLOB_PLAIN;
	return 0;
}

/* Compress a layer that has no kept blob from its files.  Only good when
 * the tar comes out as the one its diff ID names. */
static int compress_from_files(struct pusher *p, struct push_layer *pl, robbe_error **err)
{
	struct layer_store *ls = p->env->layers;
	cleanup_free char *dir = layer_store_diff_path(ls, pl->l->chain_id);
	cleanup_close int dfd = -1;
	struct tar_write_opts wopts = { .whiteouts = true };
	struct tar_write_result res;
	struct blob_writer *w;

	if (p->env->paths && p->env->paths->rootless)
		wopts.opaque_xattr = "user.overlay.opaque";
	if (!dir)
		return robbe_error_set(err, 0, "layer %s: invalid chain ID", pl->l->chain_id);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return robbe_error_errno(err, errno, "layer %s", pl->short_id);
	if (blob_writer_new(ls, &w, err) < 0)
		return -1;
	if (tar_write_layer(dfd, blob_writer_fd(w), TAR_GZIP, &wopts, &res, err) < 0) {
		blob_writer_abort(w);
		return -1;
	}
	if (strcmp(res.diff_id, pl->l->diff_id) != 0) {
		blob_writer_abort(w);
		tar_write_result_release(&res);
		return robbe_error_set(err, 0,
				       "layer %s cannot be pushed: its compressed blob was not kept and its files "
				       "no longer give the tar its diff ID names",
				       pl->short_id);
	}
	if (blob_writer_commit_verified(w, res.digest, (int64_t) res.compressed_size, err) < 0) {
		tar_write_result_release(&res);
		return -1;
	}
	pl->digest = steal_pointer(&res.digest);
	pl->size = (int64_t) res.compressed_size;
	pl->comp = BLOB_GZIP;
	tar_write_result_release(&res);
	return 0;
}

/* Find (or make) the blob a layer is pushed as. */
static int layer_blob(struct pusher *p, struct push_layer *pl, robbe_error **err)
{
	const char *d = pl->l->blob_digest;
	cleanup_close int fd = -1;
	struct stat st;

	if (pl->digest)
		return 0;
	if (!d || !layer_store_has_blob(p->env->layers, d))
		return compress_from_files(p, pl, err);
	if (layer_store_open_blob(p->env->layers, d, &fd, err) < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return robbe_error_errno(err, errno, "blob %s", d);
	if (sniff_compression(fd, &pl->comp, err) < 0)
		return -1;
	pl->digest = xstrdup(d);
	pl->size = st.st_size;
	return 0;
}

/* Add the repositories on the target registry, other than the target,
 * where img has names, if img has the layer. */
static void add_candidates(const struct pusher *p, const struct store_image *img, const char *chain, char ***cands)
{
	bool has = false;

	for (size_t k = 0; k < img->layers.n && !has; k++)
		has = strcmp(img->layers.v[k].chain_id, chain) == 0;
	for (size_t k = 0; has && img->names && img->names[k]; k++) {
		cleanup_reference struct reference *r = NULL;
		cleanup_error robbe_error *e = NULL;
		if (strv_len(*cands) >= PUSH_MOUNT_CANDIDATES)
			return;
		if (reference_parse_full(img->names[k], &r, &e) < 0)
			continue;
		if (strcmp(r->domain, p->ref->domain) != 0 || strcmp(r->path, p->ref->path) == 0 ||
		    strv_contains(*cands, r->path))
			continue;
		strv_push(cands, r->path);
	}
}

/* Another repository of the target registry that holds the blob: the
 * other names, on that registry, of the image being pushed first, then of
 * other local images with this layer; the registry must confirm it. */
static char *mount_source(struct pusher *p, const struct store_image *img, const struct push_layer *pl)
{
	char **cands = xcalloc(1, sizeof(char *));
	char *found = NULL;

	add_candidates(p, img, pl->l->chain_id, &cands);
	for (size_t i = 0; p->all && p->all[i]; i++)
		if (strcmp(p->all[i]->id, img->id) != 0)
			add_candidates(p, p->all[i], pl->l->chain_id, &cands);
	for (size_t i = 0; cands[i] && !found; i++) {
		cleanup_error robbe_error *e = NULL;
		if (registry_blob_head(p->reg, cands[i], pl->digest, NULL, &e) == 1)
			found = xstrdup(cands[i]);
	}
	strv_free(cands);
	return found;
}

static int push_layer(struct pusher *p, const struct store_image *img, struct push_layer *pl, robbe_error **err)
{
	cleanup_free char *from = NULL;
	cleanup_close int fd = -1;
	bool mounted = false;
	int r;

	if (layer_blob(p, pl, err) < 0)
		return robbe_error_wrap(err, "layer %s", pl->short_id);
	r = registry_blob_head(p->reg, p->ref->path, pl->digest, NULL, err);
	if (r < 0)
		return r;
	if (r == 1) {
		emit_layer(p, IMAGE_PUSH_LAYER_EXISTS, pl->short_id, NULL);
		return 0;
	}
	from = mount_source(p, img, pl);
	if (layer_store_open_blob(p->env->layers, pl->digest, &fd, err) < 0)
		return -1;
	p->short_id = pl->short_id;
	r = registry_blob_push_fd(p->reg, p->ref->path, pl->digest, fd, (uint64_t) pl->size, from, upload_progress,
				  p, &mounted, err);
	p->short_id = NULL;
	if (r < 0)
		return r;
	emit_layer(p, mounted ? IMAGE_PUSH_LAYER_MOUNTED : IMAGE_PUSH_LAYER_PUSHED, pl->short_id,
		   mounted ? from : NULL);
	return 0;
}

static const char *layer_media_type(const struct push_layer *pl, bool oci)
{
	switch (pl->comp) {
	case BLOB_GZIP:
		return oci ? MEDIA_OCI_LAYER_GZIP : MEDIA_DOCKER_LAYER_GZIP;
	case BLOB_ZSTD:
		return MEDIA_OCI_LAYER_ZSTD;
	case BLOB_PLAIN:
		break;
	}
	return oci ? MEDIA_OCI_LAYER : MEDIA_DOCKER_LAYER_PLAIN;
}

/* The manifest the image came with, when it still describes exactly what
 * was pushed: then the digest stays what the source registry had. */
static bool reuse_manifest(const struct store_image *img, const struct push_layer *pls, size_t n,
			   const char **media_type)
{
	cleanup_manifest struct manifest *m = NULL;
	cleanup_error robbe_error *e = NULL;

	if (!img->manifest_json ||
	    manifest_parse(img->manifest_json, strlen(img->manifest_json), NULL, &m, &e) < 0 || manifest_is_index(m))
		return false;
	if (strcmp(m->config.digest, img->id) != 0 || m->n_layers != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(m->layers[i].digest, pls[i].digest) != 0 || m->layers[i].size != pls[i].size)
			return false;
	*media_type = m->media_type;
	return true;
}

/* Docker's schema 2 manifest, laid out as Docker writes it (three-space
 * indent), or a compact OCI manifest. */
static char *build_manifest(const struct store_image *img, size_t config_len, const struct push_layer *pls,
			    size_t n, bool oci)
{
	struct sbuf sb = SBUF_INIT;

	if (oci) {
		sbuf_addf(&sb, "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
			       "\"digest\":\"%s\",\"size\":%zu},\"layers\":[",
			  MEDIA_OCI_MANIFEST, MEDIA_OCI_CONFIG, img->id, config_len);
		for (size_t i = 0; i < n; i++)
			sbuf_addf(&sb, "%s{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%lld}", i ? "," : "",
				  layer_media_type(&pls[i], true), pls[i].digest, (long long) pls[i].size);
		sbuf_adds(&sb, "]}");
		return sbuf_detach(&sb);
	}
	sbuf_addf(&sb,
		  "{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"%s\",\n   \"config\": {\n"
		  "      \"mediaType\": \"%s\",\n      \"size\": %zu,\n      \"digest\": \"%s\"\n   },\n"
		  "   \"layers\": [",
		  MEDIA_DOCKER_MANIFEST, MEDIA_DOCKER_CONFIG, config_len, img->id);
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&sb,
			  "%s\n      {\n         \"mediaType\": \"%s\",\n         \"size\": %lld,\n"
			  "         \"digest\": \"%s\"\n      }",
			  i ? "," : "", layer_media_type(&pls[i], false), (long long) pls[i].size, pls[i].digest);
	sbuf_adds(&sb, n ? "\n   ]\n}" : "]\n}");
	return sbuf_detach(&sb);
}

static bool wants_oci(const struct store_image *img, const struct push_layer *pls, size_t n)
{
	cleanup_cjson cJSON *m = img->manifest_json ? cJSON_Parse(img->manifest_json) : NULL;
	const char *mt = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "mediaType"));

	for (size_t i = 0; i < n; i++)
		if (pls[i].comp == BLOB_ZSTD)
			return true;
	return mt && strcmp(mt, MEDIA_OCI_MANIFEST) == 0;
}

/* Remember the pushed manifest as a digest reference of the image, as
 * Docker lists it in RepoDigests.  image_commit() only adds the name to an
 * image that exists, and records it whole again if an rmi removed it while
 * we pushed (its layers are still there: we hold the layer lock). */
static int record_digest(struct pusher *p, const struct store_image *img, const struct push_layer *pls,
			 const char *manifest, const char *digest, robbe_error **err)
{
	size_t n = img->layers.n;
	struct image_layer_input *in = xcalloc(n ? n : 1, sizeof(*in));
	cleanup_free char *name = reference_name(p->ref);
	char *names[] = { xasprintf("%s@%s", name, digest), NULL };
	int r;

	for (size_t i = 0; i < n; i++) {
		in[i].diff_id = img->layers.v[i].diff_id;
		in[i].blob_digest = pls[i].digest;
		in[i].compressed_size = pls[i].size;
		in[i].size = img->layers.v[i].size;
	}
	r = image_commit(p->env, img->config_json, strlen(img->config_json), in, n, manifest, names, NULL, err);
	free(names[0]);
	free(in);
	return r;
}

static int push_tag(struct pusher *p, const struct store_image *img, const char *tag, robbe_error **err)
{
	size_t n = img->layers.n, config_len = strlen(img->config_json);
	struct push_layer *pls = xcalloc(n ? n : 1, sizeof(*pls));
	cleanup_free char *config_digest = digest_sha256(img->config_json, config_len);
	cleanup_free char *manifest = NULL;
	cleanup_free char *mdigest = NULL;
	const char *media_type = NULL;
	int r = -1;

	{
		struct image_push_event e = { .kind = IMAGE_PUSH_TAG, .tag = tag };
		emit(p, &e);
	}
	if (strcmp(config_digest, img->id) != 0) {
		robbe_error_set(err, 0, "image %s: its stored config does not match its ID", img->id);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		pls[i].l = &img->layers.v[i];
		snprintf(pls[i].short_id, sizeof(pls[i].short_id), "%.12s", digest_hex(pls[i].l->diff_id));
	}
	/* Docker lists and pushes the top layer first. */
	for (size_t i = n; i-- > 0;)
		emit_layer(p, IMAGE_PUSH_LAYER_PREPARING, pls[i].short_id, NULL);
	for (size_t i = n; i-- > 0;)
		if (n - 1 - i >= PUSH_CONCURRENCY)
			emit_layer(p, IMAGE_PUSH_LAYER_WAITING, pls[i].short_id, NULL);
	for (size_t i = n; i-- > 0;)
		if ((r = push_layer(p, img, &pls[i], err)) < 0)
			goto out;

	r = registry_blob_head(p->reg, p->ref->path, img->id, NULL, err);
	if (r == 0)
		r = registry_blob_push_data(p->reg, p->ref->path, img->id, img->config_json, config_len, NULL, err);
	if (r < 0)
		goto out;

	if (reuse_manifest(img, pls, n, &media_type)) {
		manifest = xstrdup(img->manifest_json);
	} else {
		bool oci = wants_oci(img, pls, n);
		media_type = oci ? MEDIA_OCI_MANIFEST : MEDIA_DOCKER_MANIFEST;
		manifest = build_manifest(img, config_len, pls, n, oci);
	}
	r = registry_manifest_put(p->reg, p->ref->path, tag, media_type, manifest, strlen(manifest), &mdigest, err);
	if (r < 0)
		goto out;
	if (!mdigest)
		mdigest = digest_sha256(manifest, strlen(manifest));
	if ((r = record_digest(p, img, pls, manifest, mdigest, err)) < 0)
		goto out;
	{
		struct image_push_event e = { .kind = IMAGE_PUSH_DONE, .tag = tag, .digest = mdigest,
					      .size = strlen(manifest) };
		emit(p, &e);
	}
	r = 0;
out:
	push_layers_release(pls, n);
	return r;
}

/* The local tags of the target repository: "tag" -> image, sorted. */
struct local_tag {
	char *tag;
	const struct store_image *img;
};

static int cmp_tag(const void *a, const void *b)
{
	return strcmp(((const struct local_tag *) a)->tag, ((const struct local_tag *) b)->tag);
}

static size_t local_tags(struct store_image **all, const char *repo, struct local_tag **out)
{
	size_t n = 0, len = strlen(repo);
	struct local_tag *v = NULL;

	for (size_t i = 0; all && all[i]; i++) {
		for (size_t k = 0; all[i]->names && all[i]->names[k]; k++) {
			const char *name = all[i]->names[k];
			if (strncmp(name, repo, len) != 0 || name[len] != ':' || strchr(name + len + 1, '/'))
				continue;
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n].tag = xstrdup(name + len + 1);
			v[n++].img = all[i];
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_tag);
	*out = v;
	return n;
}

int image_push(struct image_env *env, const char *ref, const struct image_push_opts *opts,
	       const struct image_push_events *ev, robbe_error **err)
{
	static const struct image_push_opts defaults = { 0 };
	cleanup_reference struct reference *r = NULL;
	cleanup_registry struct registry *reg = NULL;
	cleanup_store_image_list struct store_image **all = NULL;
	cleanup_free char *repo = NULL;
	struct local_tag *tags = NULL;
	size_t n_tags, n_found;
	struct pusher p = { .env = env, .ev = ev };
	int rc = -1;

	if (!opts)
		opts = &defaults;
	if (reference_parse(ref, &r, err) < 0)
		return -1;
	if (r->digest)
		return robbe_error_set(err, EXIT_GENERAL, "cannot push a digest reference");
	if (opts->all_tags && r->tag)
		return robbe_error_set(err, 0, "tag can't be used with --all-tags/-a");
	if (!opts->all_tags)
		reference_default_tag(r);
	repo = reference_name(r);
	if (store_image_list(env->store, &all, err) < 0)
		return -1;
	n_found = n_tags = local_tags(all, repo, &tags);
	if (n_tags == 0) {
		cleanup_free char *fam = reference_familiar_name(r);
		return robbe_error_set(err, EXIT_GENERAL, "An image does not exist locally with the tag: %s", fam);
	}
	if (!opts->all_tags) {
		size_t k = 0;
		while (k < n_tags && strcmp(tags[k].tag, r->tag) != 0)
			k++;
		if (k == n_tags) {
			cleanup_free char *fam = reference_familiar_string(r);
			robbe_error_set(err, EXIT_GENERAL, "tag does not exist: %s", fam);
			goto out;
		}
		if (k) {
			struct local_tag t = tags[0];
			tags[0] = tags[k];
			tags[k] = t;
		}
		n_tags = 1;
	}

	struct registry_options ro = {
		.daemon_json = opts->daemon_json,
		.tls = opts->tls,
		.username = opts->username,
		.password = opts->password,
		.use_credential_store = !opts->username,
		.push = true,
	};
	if ((rc = registry_open(r->domain, &ro, &reg, err)) < 0)
		goto out;
	/* Blobs are read while pushing: keep image_gc() from deleting them. */
	if ((rc = image_env_lock_layers(env, err)) < 0)
		goto out;
	p.reg = reg;
	p.ref = r;
	p.all = all;
	for (size_t i = 0; i < n_tags; i++)
		if ((rc = push_tag(&p, tags[i].img, tags[i].tag, err)) < 0)
			goto out;
	rc = 0;
out:
	for (size_t i = 0; i < n_found; i++)
		free(tags[i].tag);
	free(tags);
	return rc;
}

/* ---- login ---------------------------------------------------------------- */

char *image_login_domain(const char *server)
{
	const char *s = server;
	size_t len;

	if (!s || !*s || strcmp(s, AUTH_DOCKER_HUB_KEY) == 0)
		return xstrdup(REFERENCE_DEFAULT_DOMAIN);
	/* As Docker's ConvertToHostname: no scheme, nothing after the host. */
	if (strstr(s, "://"))
		s = strstr(s, "://") + 3;
	len = strcspn(s, "/");
	cleanup_free char *host = xstrndup(s, len);
	if (reference_is_docker_hub(host))
		return xstrdup(REFERENCE_DEFAULT_DOMAIN);
	return steal_pointer(&host);
}

char *image_login_display(const char *domain)
{
	return auth_server_key(domain);
}

int image_login_check(const char *domain, const char *username, const char *password, enum registry_tls tls,
		      const char *daemon_json, robbe_error **err)
{
	cleanup_registry struct registry *reg = NULL;
	struct registry_options ro = {
		.daemon_json = daemon_json,
		.tls = tls,
		.username = username,
		.password = password,
	};
	int r;

	if ((r = registry_open(domain, &ro, &reg, err)) < 0)
		return r;
	r = registry_check_login(reg, err);
	if (r == -REGISTRY_ERR_UNAUTHORIZED || r == -REGISTRY_ERR_DENIED) {
		/* The daemon's words for a refused login. */
		free((*err)->msg);
		(*err)->msg = xasprintf("login attempt to %s/v2/ failed with status: 401 Unauthorized", registry_url(reg));
		return -REGISTRY_ERR_UNAUTHORIZED;
	}
	return r;
}
