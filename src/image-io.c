/* image-io.c: `docker save`, `docker load` and `docker import`.
 *
 * Every layer robbe records gets a gzip blob in the blob store when it
 * enters (import makes it while writing the layer's tar; load compresses
 * the archive's tar), so that `push` later sends exactly the tar whose
 * digest the config names, without compressing again.  Archives and
 * imported tars are hostile: image_archive_read() checks the archive's
 * structure, tar_extract_layer() every layer entry, and each layer must
 * hash to its diff ID before anything is recorded.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>


#include "digest.h"
#include "image-archive.h"
#include "image-change.h"
#include "image-transfer.h"
#include "reference.h"
#include "store/layers.h"
#include "tarball.h"
#include "lazy-archive.h"

/* ---- helpers ---------------------------------------------------------------- */

/* A private scratch directory under <root>/tmp, on the same filesystem as
 * the store (archives can be large; /tmp may be a small tmpfs). */
static int scratch_dir(struct image_env *env, const char *prefix, char **out, robbe_error **err)
{
	cleanup_free char *base = paths_in_root(env->paths, "tmp");
	cleanup_free char *tmpl = NULL;

	if (mkdir_p(base, 0700, err) < 0)
		return -1;
	tmpl = xasprintf("%s/%s-XXXXXX", base, prefix);
	if (!mkdtemp(tmpl))
		return robbe_error_errno(err, errno, "create %s", tmpl);
	*out = steal_pointer(&tmpl);
	return 0;
}

static void scratch_remove(const char *dir)
{
	cleanup_free char *parent = xstrdup(dir);
	char *slash = strrchr(parent, '/');
	cleanup_close int pfd = -1;
	cleanup_error robbe_error *e = NULL;

	if (!slash)
		return;
	*slash = '\0';
	pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd >= 0 && rm_rf_at(pfd, slash + 1, &e) < 0)
		robbe_error_warn(&e);
}

static bool opaque_rootless(const struct image_env *env)
{
	return env->paths && env->paths->rootless;
}

/* ---- gzip into the blob store ------------------------------------------------ */

struct gz_sink {
	struct blob_writer *w;
	robbe_error *error;
};

static la_ssize_t gz_write_cb(struct archive *a, void *opaque, const void *buf, size_t len)
{
	struct gz_sink *s = opaque;

	(void) a;
	if (!s->error && blob_writer_write(s->w, buf, len, &s->error) < 0)
		return -1;
	return (la_ssize_t) len;
}

static int gz_open(struct archive **out, struct gz_sink *sink, robbe_error **err)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e;

	if (!a)
		die_oom();
	*out = a;
	/* Raw format with a gzip filter: a gzip stream of what we write;
	 * no timestamp, so the same layer always gives the same blob. */
	if (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    archive_write_set_format_raw(a) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "gzip: %s", archive_error_string(a));
	archive_write_set_bytes_in_last_block(a, 1);
	if (archive_write_open(a, sink, NULL, gz_write_cb, NULL) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "gzip: %s", archive_error_string(a));
	e = archive_entry_new();
	if (!e)
		die_oom();
	archive_entry_set_pathname(e, "layer.tar");
	archive_entry_set_filetype(e, AE_IFREG);
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		archive_entry_free(e);
		return robbe_error_set(err, 0, "gzip: %s", archive_error_string(a));
	}
	archive_entry_free(e);
	return 0;
}

/* Copy in_fd, decompressed, through the gzip writer, hashing it. */
static int gz_pump(int in_fd, struct archive *gz, struct gz_sink *sink, struct digest_ctx *diff, robbe_error **err)
{
	struct archive *rd = archive_read_new();
	struct archive_entry *e;
	char buf[65536];
	la_ssize_t n;
	int r = -1;

	if (!rd)
		die_oom();
	archive_read_support_filter_gzip(rd);
	archive_read_support_filter_zstd(rd);
	archive_read_support_filter_xz(rd);
	archive_read_support_filter_bzip2(rd);
	archive_read_support_format_raw(rd);
	if (archive_read_open_fd(rd, in_fd, sizeof(buf)) != ARCHIVE_OK ||
	    archive_read_next_header(rd, &e) != ARCHIVE_OK) {
		robbe_error_set(err, 0, "%s", archive_error_string(rd) ? archive_error_string(rd) : "empty input");
		goto out;
	}
	while ((n = archive_read_data(rd, buf, sizeof(buf))) > 0) {
		digest_ctx_update(diff, buf, (size_t) n);
		if (archive_write_data(gz, buf, (size_t) n) != n) {
			if (sink->error) {
				*err = steal_pointer(&sink->error);
				goto out;
			}
			robbe_error_set(err, 0, "gzip: %s", archive_error_string(gz));
			goto out;
		}
	}
	if (n < 0) {
		robbe_error_set(err, 0, "%s", archive_error_string(rd));
		goto out;
	}
	r = 0;
out:
	archive_read_free(rd);
	return r;
}

int image_blob_gzip(struct layer_store *ls, int in_fd, char **digest, int64_t *size, char **diff_id,
		    robbe_error **err)
{
	struct gz_sink sink = { 0 };
	struct archive *gz = NULL;
	cleanup_digest_ctx struct digest_ctx *diff = digest_ctx_new("sha256");
	struct stat st;
	int r;

	if (blob_writer_new(ls, &sink.w, err) < 0)
		return -1;
	r = gz_open(&gz, &sink, err);
	if (r == 0)
		r = gz_pump(in_fd, gz, &sink, diff, err);
	if (r == 0 && archive_write_close(gz) != ARCHIVE_OK)
		r = sink.error ? (*err = steal_pointer(&sink.error), -1)
			       : robbe_error_set(err, 0, "gzip: %s", archive_error_string(gz));
	archive_write_free(gz);
	robbe_error_free(sink.error);
	if (r < 0) {
		blob_writer_abort(sink.w);
		return -1;
	}
	if (fstat(blob_writer_fd(sink.w), &st) < 0) {
		blob_writer_abort(sink.w);
		return robbe_error_errno(err, errno, "stat blob");
	}
	if (blob_writer_commit(sink.w, NULL, -1, digest, err) < 0)
		return -1;
	*size = st.st_size;
	if (diff_id)
		*diff_id = digest_ctx_final(diff);
	return 0;
}

/* Copy a blob that is already compressed into the store as it is,
 * checking it has the digest it is named by. */
static int blob_copy(struct layer_store *ls, int fd, const char *expected, int64_t *size, robbe_error **err)
{
	struct blob_writer *w;
	char buf[65536];
	int64_t total = 0;

	if (blob_writer_new(ls, &w, err) < 0)
		return -1;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			blob_writer_abort(w);
			return robbe_error_errno(err, errno, "read layer");
		}
		if (n == 0)
			break;
		if (blob_writer_write(w, buf, (size_t) n, err) < 0) {
			blob_writer_abort(w);
			return -1;
		}
		total += n;
	}
	if (blob_writer_commit(w, expected, total, NULL, err) < 0)
		return -1;
	*size = total;
	return 0;
}

static bool is_gzip(int fd)
{
	unsigned char m[2];
	return pread(fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

/* ---- save ------------------------------------------------------------------ */

struct save_item {
	const struct store_image *img;
	char **tags;		/* full references */
};

struct save_set {
	struct store_image **owned;	/* NULL-terminated */
	struct save_item *v;
	size_t n;
};

static void save_set_release(struct save_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		strv_free(s->v[i].tags);
	free(s->v);
	store_image_list_free(s->owned);
}

/* Add img (taking it) with an optional tag; an image already in the set
 * only gains the tag. */
static void save_add(struct save_set *s, struct store_image *img, const char *tag)
{
	size_t k = 0, n_owned = 0;

	while (k < s->n && strcmp(s->v[k].img->id, img->id) != 0)
		k++;
	if (k == s->n) {
		while (s->owned && s->owned[n_owned])
			n_owned++;
		s->owned = xrealloc(s->owned, (n_owned + 2) * sizeof(*s->owned));
		s->owned[n_owned] = img;
		s->owned[n_owned + 1] = NULL;
		s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
		s->v[s->n].img = img;
		s->v[s->n].tags = xcalloc(1, sizeof(char *));
		s->n++;
	} else {
		store_image_free(img);
	}
	if (tag && !strv_contains(s->v[k].tags, tag))
		strv_push(&s->v[k].tags, tag);
}

static bool looks_like_id(const char *name)
{
	return digest_is_sha256_hex(name) || (str_has_prefix(name, "sha256:") && !strchr(name + 7, '/'));
}

/* Docker's choice of what one `save` argument stands for. */
static int save_pick(struct image_env *env, const char *name, struct save_set *set, robbe_error **err)
{
	cleanup_reference struct reference *r = NULL;
	cleanup_error robbe_error *perr = NULL;
	struct store_image *img = NULL;

	if (!looks_like_id(name) && reference_parse(name, &r, &perr) == 0 && !r->tag && !r->digest) {
		/* A bare repository name: every tag of it. */
		cleanup_store_image_list struct store_image **all = NULL;
		cleanup_free char *repo = reference_name(r);
		size_t len = strlen(repo);
		bool any = false;

		if (store_image_list(env->store, &all, err) < 0)
			return -1;
		for (size_t i = 0; all[i]; i++) {
			for (size_t k = 0; all[i]->names && all[i]->names[k]; k++) {
				const char *n = all[i]->names[k];
				if (strncmp(n, repo, len) != 0 || n[len] != ':')
					continue;
				struct store_image *copy = NULL;
				if (store_image_get(env->store, all[i]->id, &copy, err) < 0)
					return -1;
				save_add(set, copy, n);
				any = true;
			}
		}
		if (any)
			return 0;
	}
	if (image_resolve(env->store, name, &img, err) < 0)
		return -1;
	/* A name with a tag keeps it; IDs and digests save the bare image. */
	if (r && r->tag && !looks_like_id(name)) {
		cleanup_free char *full = NULL;
		reference_default_tag(r);
		full = reference_string(r);
		save_add(set, img, full);
	} else {
		save_add(set, img, NULL);
	}
	return 0;
}

/* A layer's tar for the archive: its kept blob, or its files written out. */
static int save_layer_fd(struct image_env *env, const struct store_layer *l, const char *tmpdir, int *fd,
			 robbe_error **err)
{
	cleanup_free char *dir = NULL;
	cleanup_close int dfd = -1;
	cleanup_close int tmp = -1;
	struct tar_write_opts wopts = { .whiteouts = true };
	struct tar_write_result res;

	if (l->blob_digest && layer_store_has_blob(env->layers, l->blob_digest))
		return layer_store_open_blob(env->layers, l->blob_digest, fd, err);
	dir = layer_store_diff_path(env->layers, l->chain_id);
	if (!dir || (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return robbe_error_errno(err, errno, "layer %s", l->chain_id);
	tmp = open(tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (tmp < 0)
		return robbe_error_errno(err, errno, "temporary file in %s", tmpdir);
	if (opaque_rootless(env))
		wopts.opaque_xattr = "user.overlay.opaque";
	if (tar_write_layer(dfd, tmp, TAR_PLAIN, &wopts, &res, err) < 0)
		return -1;
	if (strcmp(res.diff_id, l->diff_id) != 0) {
		tar_write_result_release(&res);
		return robbe_error_set(err, 0, "layer %s: its files no longer give the tar its diff ID names", l->diff_id);
	}
	tar_write_result_release(&res);
	*fd = steal_fd(&tmp);
	return 0;
}

static int save_write(struct image_env *env, struct save_set *set, int out_fd, const char *tmpdir,
		      robbe_error **err)
{
	struct image_archive_image *imgs = xcalloc(set->n ? set->n : 1, sizeof(*imgs));
	struct image_archive_layer **layers = xcalloc(set->n ? set->n : 1, sizeof(*layers));
	char ***familiar = xcalloc(set->n ? set->n : 1, sizeof(*familiar));
	int r = -1;

	for (size_t i = 0; i < set->n; i++) {
		const struct store_image *img = set->v[i].img;
		cleanup_free char *d = digest_sha256(img->config_json, strlen(img->config_json));
		size_t nl = img->layers.n;

		if (strcmp(d, img->id) != 0) {
			robbe_error_set(err, 0, "image %s: its stored config does not match its ID", img->id);
			goto out;
		}
		familiar[i] = xcalloc(1, sizeof(char *));
		for (size_t k = 0; set->v[i].tags[k]; k++)
			strv_push_take(&familiar[i], image_familiar(set->v[i].tags[k]));
		layers[i] = xcalloc(nl ? nl : 1, sizeof(**layers));
		for (size_t k = 0; k < nl; k++)
			layers[i][k].fd = -1;
		imgs[i].config = img->config_json;
		imgs[i].config_len = strlen(img->config_json);
		imgs[i].repo_tags = familiar[i];
		imgs[i].full_names = set->v[i].tags;
		imgs[i].layers = layers[i];
		imgs[i].n_layers = nl;
		for (size_t k = 0; k < nl; k++) {
			layers[i][k].diff_id = img->layers.v[k].diff_id;
			if (save_layer_fd(env, &img->layers.v[k], tmpdir, &layers[i][k].fd, err) < 0)
				goto out;
		}
	}
	r = image_archive_write(out_fd, imgs, set->n, tmpdir, err);
out:
	for (size_t i = 0; i < set->n; i++) {
		for (size_t k = 0; layers[i] && k < set->v[i].img->layers.n; k++)
			if (layers[i][k].fd >= 0)
				close(layers[i][k].fd);
		free(layers[i]);
		strv_free(familiar[i]);
	}
	free(layers);
	free(familiar);
	free(imgs);
	return r;
}

int image_save(struct image_env *env, char *const *names, int out_fd, robbe_error **err)
{
	struct save_set set = { 0 };
	cleanup_free char *tmpdir = NULL;
	int r = -1;

	if (image_env_lock_layers(env, err) < 0)
		return -1;
	for (size_t i = 0; names[i]; i++)
		if (save_pick(env, names[i], &set, err) < 0)
			goto out;
	if (scratch_dir(env, "save", &tmpdir, err) < 0)
		goto out;
	r = save_write(env, &set, out_fd, tmpdir, err);
	scratch_remove(tmpdir);
out:
	save_set_release(&set);
	image_env_unlock_layers(env);
	return r;
}

/* ---- load ------------------------------------------------------------------ */

void image_load_report_release(struct image_load_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		strv_free(r->v[i].names);
		strv_free(r->v[i].replaced);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

struct load_layer {
	char *diff_id;
	char *blob;
	int64_t csize;
	int64_t size;
};

struct load_image {
	const struct loaded_image *src;
	struct load_layer *layers;
	char **names;
};

/* The blob a loaded layer is kept as: reused when the store has one for
 * this chain, else the archive's own gzip blob (OCI archives), else a
 * gzip of the archive's tar. */
static int load_blob(struct image_env *env, const struct loaded_layer *ll, int fd, const char *chain,
		     struct load_layer *out, robbe_error **err)
{
	struct store_layer known = { 0 };
	cleanup_error robbe_error *e = NULL;
	cleanup_free char *diff = NULL;

	if (store_layer_get(env->store, chain, &known, &e) == 0 && known.blob_digest &&
	    layer_store_has_blob(env->layers, known.blob_digest)) {
		out->blob = steal_pointer(&known.blob_digest);
		out->csize = known.compressed_size;
		store_layer_release(&known);
		return 0;
	}
	store_layer_release(&known);
	if (ll->digest && strcmp(ll->digest, ll->diff_id) != 0 && is_gzip(fd)) {
		if (blob_copy(env->layers, fd, ll->digest, &out->csize, err) < 0)
			return -1;
		out->blob = xstrdup(ll->digest);
		return 0;
	}
	if (image_blob_gzip(env->layers, fd, &out->blob, &out->csize, &diff, err) < 0)
		return -1;
	if (strcmp(diff, ll->diff_id) != 0)
		return robbe_error_set(err, 0, "layer content does not match its diff ID: expected %s, got %s",
				       ll->diff_id, diff);
	return 0;
}

static int load_layers(struct image_env *env, const struct loaded_image *li, struct load_image *out,
		       robbe_error **err)
{
	cleanup_free char *parent = NULL;

	out->layers = xcalloc(li->n_layers ? li->n_layers : 1, sizeof(*out->layers));
	for (size_t i = 0; i < li->n_layers; i++) {
		const struct loaded_layer *ll = &li->layers[i];
		struct load_layer *l = &out->layers[i];
		cleanup_close int fd = open(ll->path, O_RDONLY | O_CLOEXEC);
		cleanup_free char *chain = layer_chain_id(parent, ll->diff_id);

		l->diff_id = xstrdup(ll->diff_id);
		if (fd < 0)
			return robbe_error_errno(err, errno, "layer %zu", i + 1);
		if (!chain)
			return robbe_error_set(err, 0, "layer %zu: invalid diff ID", i + 1);
		if (load_blob(env, ll, fd, chain, l, err) < 0 || lseek(fd, 0, SEEK_SET) < 0)
			return robbe_error_wrap(err, "layer %zu", i + 1);
		free(chain);
		chain = NULL;
		if (image_layer_apply(env, fd, parent, ll->diff_id, &chain, &l->size, err) < 0)
			return robbe_error_wrap(err, "layer %zu", i + 1);
		free(parent);
		parent = steal_pointer(&chain);
	}
	return 0;
}

/* The archive's "name:tag" strings as full references. */
static int load_names(const struct loaded_image *li, char ***out, robbe_error **err)
{
	*out = xcalloc(1, sizeof(char *));
	for (size_t i = 0; li->repo_tags[i]; i++) {
		cleanup_reference struct reference *r = NULL;
		if (reference_parse(li->repo_tags[i], &r, err) < 0)
			return -1;
		if (!r->tag || r->digest)
			return robbe_error_set(err, 0, "invalid tag \"%s\"", li->repo_tags[i]);
		strv_push_take(out, reference_string(r));
	}
	return 0;
}

static int check_os(const struct loaded_image *li, robbe_error **err)
{
	cleanup_cjson cJSON *j = cJSON_ParseWithLength(li->config, li->config_len);
	const char *os = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "os"));

	if (os && *os && strcmp(os, "linux") != 0)
		return robbe_error_set(err, 0, "cannot load %s image on linux", os);
	return 0;
}

static void load_images_release(struct load_image *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; v[i].layers && k < v[i].src->n_layers; k++) {
			free(v[i].layers[k].diff_id);
			free(v[i].layers[k].blob);
		}
		free(v[i].layers);
		strv_free(v[i].names);
	}
	free(v);
}

static int load_record(struct image_env *env, struct load_image *li, struct image_load_item *item, robbe_error **err)
{
	size_t n = li->src->n_layers;
	struct image_layer_input *in = xcalloc(n ? n : 1, sizeof(*in));
	cleanup_store_image struct store_image *img = NULL;
	int r;

	item->names = strv_dup(li->names);
	item->replaced = xcalloc(1, sizeof(char *));
	for (size_t i = 0; li->names[i]; i++) {
		cleanup_store_image struct store_image *prev = NULL;
		cleanup_error robbe_error *e = NULL;
		bool moved = store_image_get_by_name(env->store, li->names[i], &prev, &e) == 0 &&
			     strcmp(prev->id, li->src->config_digest) != 0;
		strv_push(&item->replaced, moved ? prev->id : "");
	}
	for (size_t i = 0; i < n; i++) {
		in[i].diff_id = li->layers[i].diff_id;
		in[i].blob_digest = li->layers[i].blob;
		in[i].compressed_size = li->layers[i].csize;
		in[i].size = li->layers[i].size;
	}
	r = image_commit(env, li->src->config, li->src->config_len, in, n, NULL, li->names, &img, err);
	free(in);
	if (r < 0)
		return -1;
	item->id = xstrdup(img->id);
	return 0;
}

static int load_all(struct image_env *env, const struct image_archive *arc, struct image_load_report *rep,
		    robbe_error **err)
{
	struct load_image *imgs = xcalloc(arc->n_images, sizeof(*imgs));
	int r = -1;

	/* First everything that can fail on a bad archive... */
	for (size_t i = 0; i < arc->n_images; i++) {
		imgs[i].src = &arc->images[i];
		if (check_os(imgs[i].src, err) < 0 || load_names(imgs[i].src, &imgs[i].names, err) < 0 ||
		    load_layers(env, imgs[i].src, &imgs[i], err) < 0) {
			robbe_error_wrap(err, "image %zu", i + 1);
			goto out;
		}
	}
	/* ...then the records. */
	rep->v = xcalloc(arc->n_images, sizeof(*rep->v));
	for (size_t i = 0; i < arc->n_images; i++) {
		if (load_record(env, &imgs[i], &rep->v[i], err) < 0) {
			rep->n = i + 1;
			goto out;
		}
		rep->n = i + 1;
	}
	r = 0;
out:
	load_images_release(imgs, arc->n_images);
	return r;
}

int image_load(struct image_env *env, int in_fd, const char *platform, struct image_load_report *rep,
	       robbe_error **err)
{
	cleanup_platform struct oci_platform plat = { 0 };
	cleanup_image_archive struct image_archive *arc = NULL;
	cleanup_free char *work = NULL;
	bool made_files = false;
	int r;

	memset(rep, 0, sizeof(*rep));
	if (platform && platform_parse(platform, &plat, err) < 0)
		return -1;
	if (scratch_dir(env, "load", &work, err) < 0)
		return -1;
	r = image_archive_read(in_fd, work, platform ? &plat : NULL, &arc, err);
	if (r == 0 && (r = image_env_lock_layers(env, err)) == 0) {
		r = load_all(env, arc, rep, err);
		made_files = r < 0;
	}
	scratch_remove(work);
	if (made_files) {
		/* Layers and blobs this load made but did not record are
		 * garbage now; collect them unless a pull is going on. */
		cleanup_error robbe_error *gc = NULL;
		image_env_unlock_layers(env);
		if (image_gc(env, &gc) < 0)
			robbe_error_warn(&gc);
	}
	return r;
}

/* ---- import ------------------------------------------------------------------ */

static cJSON *import_config(const struct image_import_opts *opts, const struct oci_platform *plat, cJSON *run,
			    const char *diff_id, const char *created)
{
	cleanup_free char *msg = opts->message && *opts->message
					 ? xstrdup(opts->message)
					 : xasprintf("Imported from %s", opts->source ? opts->source : "-");
	cJSON *c = cJSON_CreateObject();
	cJSON *h, *rootfs;

	/* Top-level keys sorted, as Docker writes image configs. */
	cJSON_AddStringToObject(c, "architecture", plat->architecture);
	cJSON_AddStringToObject(c, "comment", msg);
	cJSON_AddItemToObject(c, "config", run);
	cJSON_AddStringToObject(c, "created", created);
	h = cJSON_CreateObject();
	cJSON_AddStringToObject(h, "created", created);
	cJSON_AddStringToObject(h, "comment", msg);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(c, "history"), h);
	cJSON_AddStringToObject(c, "os", plat->os);
	rootfs = cJSON_AddObjectToObject(c, "rootfs");
	cJSON_AddStringToObject(rootfs, "type", "layers");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(rootfs, "diff_ids"), cJSON_CreateString(diff_id));
	if (plat->variant)
		cJSON_AddStringToObject(c, "variant", plat->variant);
	return c;
}

/* Extract the tar into a new layer and write it back as robbe's own
 * deterministic gzip blob; the layer is named by that blob's tar. */
static int import_layer(struct image_env *env, int in_fd, struct tar_write_result *wres, robbe_error **err)
{
	struct tar_extract_opts xopts = { .rootless = opaque_rootless(env) };
	struct tar_write_opts wopts = { .whiteouts = true };
	struct tar_extract_result xres;
	struct blob_writer *w = NULL;
	struct layer_tx *tx;

	if (opaque_rootless(env))
		xopts.opaque_xattr = wopts.opaque_xattr = "user.overlay.opaque";
	if (layer_tx_begin(env->layers, &tx, err) < 0)
		return -1;
	if (tar_extract_layer(in_fd, layer_tx_diff_fd(tx), &xopts, &xres, err) < 0)
		goto fail;
	tar_extract_result_release(&xres);
	if (blob_writer_new(env->layers, &w, err) < 0)
		goto fail;
	if (tar_write_layer(layer_tx_diff_fd(tx), blob_writer_fd(w), TAR_GZIP, &wopts, wres, err) < 0)
		goto fail;
	if (blob_writer_commit_verified(steal_pointer(&w), wres->digest, (int64_t) wres->compressed_size, err) < 0)
		goto fail;
	if (layer_store_has_layer(env->layers, wres->diff_id)) {
		layer_tx_abort(tx);
		return 0;
	}
	return layer_tx_commit(tx, wres->diff_id, NULL, err);
fail:
	blob_writer_abort(w);
	layer_tx_abort(tx);
	return -1;
}

int image_import(struct image_env *env, int in_fd, const struct image_import_opts *opts, char **id,
		 robbe_error **err)
{
	cleanup_platform struct oci_platform plat = { 0 };
	cleanup_cjson cJSON *run = image_change_empty_config();
	cleanup_cjson cJSON *config = NULL;
	cleanup_free char *full = NULL;
	cleanup_free char *created = NULL;
	cleanup_free char *text = NULL;
	cleanup_store_image struct store_image *img = NULL;
	struct tar_write_result wres = { 0 };
	struct timespec now;
	int r;

	*id = NULL;
	if (opts->reference && *opts->reference) {
		cleanup_reference struct reference *ref = NULL;
		if (reference_parse(opts->reference, &ref, err) < 0)
			return -1;
		if (ref->digest)
			return robbe_error_set(err, 0, "cannot import digest reference");
		reference_default_tag(ref);
		full = reference_string(ref);
	}
	if (opts->platform && *opts->platform) {
		if (platform_parse(opts->platform, &plat, err) < 0)
			return -1;
	} else {
		platform_host(&plat);
	}
	if (image_change_apply(run, opts->changes, err) < 0)
		return -1;
	if (image_env_lock_layers(env, err) < 0)
		return -1;
	if (import_layer(env, in_fd, &wres, err) < 0)
		return -1;
	clock_gettime(CLOCK_REALTIME, &now);
	created = image_format_time((int64_t) now.tv_sec * 1000000000 + now.tv_nsec);
	config = import_config(opts, &plat, steal_pointer(&run), wres.diff_id, created);
	text = cJSON_PrintUnformatted(config);
	if (!text)
		die_oom();
	struct image_layer_input in = {
		.diff_id = wres.diff_id,
		.blob_digest = wres.digest,
		.compressed_size = (int64_t) wres.compressed_size,
		.size = -1,
	};
	char *names[] = { full, NULL };
	r = image_commit(env, text, strlen(text), &in, 1, NULL, full ? names : NULL, &img, err);
	tar_write_result_release(&wres);
	if (r < 0)
		return -1;
	*id = xstrdup(img->id);
	return 0;
}
