/* image-archive.c: write `docker save` archives, read `docker load` ones. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>


#include "digest.h"
#include "image-archive.h"
#include "tarball.h"
#include "lazy-archive.h"

/* Symlinks followed while resolving one path, as the kernel allows. */
#define MAX_LINK_HOPS 40

/* ---- writing ------------------------------------------------------------ */

struct saver {
	struct archive *a;
	const char *tmpdir;
	char **layer_ids;	/* diff IDs already written */
	int64_t *layer_sizes;
};

static int add_entry(struct saver *s, const char *path, unsigned type, int64_t size, robbe_error **err)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	if (!e)
		die_oom();
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
	archive_entry_set_size(e, type == AE_IFDIR ? 0 : size);
	archive_entry_set_mtime(e, 0, 0);
	r = archive_write_header(s->a, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s: %s", path, archive_error_string(s->a));
	return 0;
}

static int add_bytes(struct saver *s, const char *path, const void *data, size_t len, robbe_error **err)
{
	if (add_entry(s, path, AE_IFREG, (int64_t) len, err) < 0)
		return -1;
	if (len && archive_write_data(s->a, data, len) != (la_ssize_t) len)
		return robbe_error_set(err, 0, "%s: %s", path, archive_error_string(s->a));
	return 0;
}

static int add_json(struct saver *s, const char *path, const cJSON *json, robbe_error **err)
{
	cleanup_free char *text = cJSON_PrintUnformatted(json);

	if (!text)
		die_oom();
	return add_bytes(s, path, text, strlen(text), err);
}

/* An unnamed file in dir for staging a decompressed layer. */
static int open_tmpfile(const char *dir, robbe_error **err)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	cleanup_free char *tmpl = NULL;

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
		return fd >= 0 ? fd : robbe_error_errno(err, errno, "temporary file in %s", dir);
	tmpl = xasprintf("%s/.save-XXXXXX", dir);
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd < 0)
		return robbe_error_errno(err, errno, "temporary file in %s", dir);
	unlink(tmpl);
	return fd;
}

/* A layer goes into the archive uncompressed (the diff ID is then also its
 * blob digest, which is what old loaders check).  Its size must be in the
 * tar header before its data, so it is decompressed to a file first. */
static int save_layer(struct saver *s, const struct image_archive_layer *l, robbe_error **err)
{
	size_t n = strv_len(s->layer_ids);
	cleanup_close int tmp = -1;
	cleanup_free char *got = NULL;
	cleanup_free char *path = NULL;
	uint64_t size = 0;
	char buf[65536];

	if (strv_contains(s->layer_ids, l->diff_id))
		return 0;
	if (!digest_is_valid(l->diff_id) || strncmp(l->diff_id, "sha256:", 7) != 0)
		return robbe_error_set(err, 0, "invalid diff ID \"%.100s\"", l->diff_id);
	tmp = open_tmpfile(s->tmpdir, err);
	if (tmp < 0 || lseek(l->fd, 0, SEEK_SET) < 0 || tar_decompress(l->fd, tmp, 0, &got, &size, err) < 0)
		return robbe_error_wrap(err, "layer %s", l->diff_id);
	if (strcmp(got, l->diff_id) != 0)
		return robbe_error_set(err, 0, "layer %s: content does not match (got %s)", l->diff_id, got);
	path = xasprintf("blobs/sha256/%s", l->diff_id + 7);
	if (add_entry(s, path, AE_IFREG, (int64_t) size, err) < 0 || lseek(tmp, 0, SEEK_SET) < 0)
		return -1;
	for (;;) {
		ssize_t r = read(tmp, buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return robbe_error_errno(err, errno, "read staged layer");
		if (r == 0)
			break;
		if (archive_write_data(s->a, buf, (size_t) r) != r)
			return robbe_error_set(err, 0, "%s: %s", path, archive_error_string(s->a));
	}
	strv_push(&s->layer_ids, l->diff_id);
	s->layer_sizes = xrealloc(s->layer_sizes, (n + 1) * sizeof(int64_t));
	s->layer_sizes[n] = (int64_t) size;
	return 0;
}

static int64_t layer_size(const struct saver *s, const char *diff_id)
{
	for (size_t i = 0; s->layer_ids[i]; i++)
		if (!strcmp(s->layer_ids[i], diff_id))
			return s->layer_sizes[i];
	return 0;
}

static cJSON *descriptor_json(const char *media_type, const char *digest, int64_t size)
{
	cJSON *d = cJSON_CreateObject();

	cJSON_AddStringToObject(d, "mediaType", media_type);
	cJSON_AddStringToObject(d, "digest", digest);
	cJSON_AddNumberToObject(d, "size", (double) size);
	return d;
}

/* "name:tag" -> name and tag; the colon must come after the last slash
 * (a registry port is not a tag). */
static int split_tag(const char *ref, char **name, char **tag, robbe_error **err)
{
	const char *slash = strrchr(ref, '/'), *colon = strrchr(ref, ':');

	if (!colon || (slash && colon < slash) || colon == ref || !colon[1] || strchr(ref, '@'))
		return robbe_error_set(err, 0, "invalid repository tag \"%.200s\"", ref);
	*name = xstrndup(ref, (size_t) (colon - ref));
	*tag = xstrdup(colon + 1);
	return 0;
}

static int save_image(struct saver *s, const struct image_archive_image *img, cJSON *index, cJSON *manifests,
		      cJSON *repos, robbe_error **err)
{
	cleanup_free char *cfg_digest = digest_sha256(img->config, img->config_len);
	cleanup_free char *cfg_path = xasprintf("blobs/sha256/%s", cfg_digest + 7);
	cleanup_free char *man_digest = NULL;
	cleanup_free char *man_path = NULL;
	cleanup_free char *man_text = NULL;
	cleanup_cjson cJSON *man = cJSON_CreateObject();
	cJSON *entry = cJSON_CreateObject(), *layers, *paths, *tags;
	size_t n_tags = strv_len(img->repo_tags);

	cJSON_AddItemToArray(manifests, entry);
	for (size_t i = 0; i < img->n_layers; i++)
		if (save_layer(s, &img->layers[i], err) < 0)
			return -1;
	if (add_bytes(s, cfg_path, img->config, img->config_len, err) < 0)
		return -1;

	/* The OCI manifest, for index.json and OCI-only loaders. */
	cJSON_AddNumberToObject(man, "schemaVersion", 2);
	cJSON_AddStringToObject(man, "mediaType", MEDIA_OCI_MANIFEST);
	cJSON_AddItemToObject(man, "config", descriptor_json(MEDIA_OCI_CONFIG, cfg_digest, (int64_t) img->config_len));
	layers = cJSON_AddArrayToObject(man, "layers");
	for (size_t i = 0; i < img->n_layers; i++) {
		const char *id = img->layers[i].diff_id;
		cJSON_AddItemToArray(layers, descriptor_json(MEDIA_OCI_LAYER, id, layer_size(s, id)));
	}
	man_text = cJSON_PrintUnformatted(man);
	if (!man_text)
		die_oom();
	man_digest = digest_sha256(man_text, strlen(man_text));
	man_path = xasprintf("blobs/sha256/%s", man_digest + 7);
	if (add_bytes(s, man_path, man_text, strlen(man_text), err) < 0)
		return -1;

	/* The manifest.json entry, for Docker's loaders old and new. */
	cJSON_AddStringToObject(entry, "Config", cfg_path);
	tags = n_tags ? cJSON_AddArrayToObject(entry, "RepoTags") : cJSON_AddNullToObject(entry, "RepoTags");
	paths = cJSON_AddArrayToObject(entry, "Layers");
	for (size_t i = 0; i < img->n_layers; i++) {
		cleanup_free char *p = xasprintf("blobs/sha256/%s", img->layers[i].diff_id + 7);
		cJSON_AddItemToArray(paths, cJSON_CreateString(p));
	}

	/* One index.json entry per tag (one without a name when untagged),
	 * and the legacy repositories map. */
	for (size_t t = 0; t == 0 || t < n_tags; t++) {
		cJSON *d = descriptor_json(MEDIA_OCI_MANIFEST, man_digest, (int64_t) strlen(man_text));
		cleanup_free char *name = NULL;
		cleanup_free char *tag = NULL;
		cJSON *ann, *repo;

		cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(index, "manifests"), d);
		if (!n_tags)
			break;
		if (split_tag(img->repo_tags[t], &name, &tag, err) < 0)
			return -1;
		cJSON_AddItemToArray(tags, cJSON_CreateString(img->repo_tags[t]));
		ann = cJSON_AddObjectToObject(d, "annotations");
		cJSON_AddStringToObject(ann, "io.containerd.image.name",
					img->full_names ? img->full_names[t] : img->repo_tags[t]);
		cJSON_AddStringToObject(ann, "org.opencontainers.image.ref.name", tag);
		repo = cJSON_GetObjectItemCaseSensitive(repos, name);
		if (!repo)
			repo = cJSON_AddObjectToObject(repos, name);
		cJSON_DeleteItemFromObjectCaseSensitive(repo, tag);
		cJSON_AddStringToObject(repo, tag,
					img->n_layers ? img->layers[img->n_layers - 1].diff_id + 7 : cfg_digest + 7);
	}
	return 0;
}

static int write_archive(struct saver *s, int out_fd, const struct image_archive_image *images, size_t n,
			 robbe_error **err)
{
	cleanup_cjson cJSON *index = cJSON_CreateObject();
	cleanup_cjson cJSON *manifests = cJSON_CreateArray();
	cleanup_cjson cJSON *repos = cJSON_CreateObject();
	cleanup_cjson cJSON *layout = cJSON_CreateObject();

	cJSON_AddNumberToObject(index, "schemaVersion", 2);
	cJSON_AddStringToObject(index, "mediaType", MEDIA_OCI_INDEX);
	cJSON_AddArrayToObject(index, "manifests");
	cJSON_AddStringToObject(layout, "imageLayoutVersion", "1.0.0");
	archive_write_set_format_pax_restricted(s->a);
	archive_write_set_bytes_in_last_block(s->a, 1);
	if (archive_write_open_fd(s->a, out_fd) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s", archive_error_string(s->a));
	if (add_entry(s, "blobs/", AE_IFDIR, 0, err) < 0 || add_entry(s, "blobs/sha256/", AE_IFDIR, 0, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (save_image(s, &images[i], index, manifests, repos, err) < 0)
			return -1;
	if (add_json(s, "index.json", index, err) < 0 || add_json(s, "manifest.json", manifests, err) < 0 ||
	    add_json(s, "oci-layout", layout, err) < 0 ||
	    (cJSON_GetArraySize(repos) && add_json(s, "repositories", repos, err) < 0))
		return -1;
	if (archive_write_close(s->a) != ARCHIVE_OK)
		return robbe_error_set(err, 0, "%s", archive_error_string(s->a));
	return 0;
}

int image_archive_write(int out_fd, const struct image_archive_image *images, size_t n, const char *tmpdir,
			robbe_error **err)
{
	struct saver s = { .tmpdir = tmpdir };
	int r;

	s.layer_ids = xcalloc(1, sizeof(char *));
	s.a = archive_write_new();
	if (!s.a)
		die_oom();
	r = write_archive(&s, out_fd, images, n, err);
	archive_write_free(s.a);
	strv_free(s.layer_ids);
	free(s.layer_sizes);
	return r < 0 ? robbe_error_wrap(err, "writing image archive") : 0;
}

/* ---- reading ------------------------------------------------------------ */

enum arc_kind {
	ARC_FILE,
	ARC_SYMLINK,
	ARC_HARDLINK,
};

struct arc_entry {
	char *path;		/* cleaned */
	enum arc_kind kind;
	char *target;		/* links */
	unsigned file_no;	/* files: stored as <dir>/<file_no> */
};

struct arc {
	const char *dir;
	int dir_fd;
	struct arc_entry *e;
	size_t n, alloc;
	unsigned next_file;
	size_t json_bytes;
};

static void arc_release(struct arc *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->e[i].path);
		free(a->e[i].target);
	}
	free(a->e);
	cleanup_closep(&a->dir_fd);
}

static struct arc_entry *arc_add(struct arc *a, char *path, enum arc_kind kind)
{
	if (a->n == a->alloc) {
		a->alloc = a->alloc ? a->alloc * 2 : 64;
		a->e = xrealloc(a->e, a->alloc * sizeof(*a->e));
	}
	memset(&a->e[a->n], 0, sizeof(a->e[0]));
	a->e[a->n].path = path;
	a->e[a->n].kind = kind;
	return &a->e[a->n++];
}

/* The latest entry of that name: a later entry replaces an earlier one. */
static const struct arc_entry *arc_find(const struct arc *a, const char *path)
{
	for (size_t i = a->n; i-- > 0;)
		if (!strcmp(a->e[i].path, path))
			return &a->e[i];
	return NULL;
}

static int store_file(struct arc *a, struct archive *ar, struct arc_entry *ent, uint64_t *total, robbe_error **err)
{
	char name[16];
	cleanup_close int fd = -1;
	char buf[65536];
	la_ssize_t n;

	snprintf(name, sizeof(name), "%u", ent->file_no);
	fd = openat(a->dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return robbe_error_errno(err, errno, "create %s/%s", a->dir, name);
	while ((n = archive_read_data(ar, buf, sizeof(buf))) > 0) {
		const char *p = buf;
		*total += (uint64_t) n;
		if (*total > IMAGE_ARCHIVE_MAX_SIZE)
			return robbe_error_set(err, 0, "archive larger than %llu bytes",
					       (unsigned long long) IMAGE_ARCHIVE_MAX_SIZE);
		while (n > 0) {
			ssize_t w = write(fd, p, (size_t) n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return robbe_error_errno(err, errno, "write %s/%s", a->dir, name);
			p += w;
			n -= w;
		}
	}
	if (n < 0)
		return robbe_error_set(err, 0, "%s: %s", ent->path, archive_error_string(ar));
	return 0;
}

static int arc_unpack(struct arc *a, int in_fd, robbe_error **err)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *e;
	uint64_t total = 0;
	int r;

	if (!ar)
		die_oom();
	/* Built-in decompressors only (no external programs) and tar only. */
	archive_read_support_filter_gzip(ar);
	archive_read_support_filter_zstd(ar);
	archive_read_support_filter_xz(ar);
	archive_read_support_filter_bzip2(ar);
	archive_read_support_format_tar(ar);
	if (archive_read_open_fd(ar, in_fd, 65536) != ARCHIVE_OK) {
		robbe_error_set(err, 0, "%s", archive_error_string(ar));
		archive_read_free(ar);
		return -1;
	}
	while ((r = archive_read_next_header(ar, &e)) != ARCHIVE_EOF) {
		cleanup_free char *path = NULL;
		const char *link = archive_entry_hardlink(e);
		struct arc_entry *ent;

		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			robbe_error_set(err, 0, "%s", archive_error_string(ar));
			break;
		}
		if (a->n >= IMAGE_ARCHIVE_MAX_ENTRIES) {
			robbe_error_set(err, 0, "more than %d entries", IMAGE_ARCHIVE_MAX_ENTRIES);
			break;
		}
		if (tar_clean_path(archive_entry_pathname(e), &path, err) < 0)
			break;
		if (!*path)
			continue;
		if (link) {
			ent = arc_add(a, steal_pointer(&path), ARC_HARDLINK);
			ent->target = xstrdup(link);
		} else if (archive_entry_filetype(e) == AE_IFLNK) {
			const char *t = archive_entry_symlink(e);
			ent = arc_add(a, steal_pointer(&path), ARC_SYMLINK);
			ent->target = xstrdup(t ? t : "");
		} else if (archive_entry_filetype(e) == AE_IFREG) {
			ent = arc_add(a, steal_pointer(&path), ARC_FILE);
			ent->file_no = a->next_file++;
			if (store_file(a, ar, ent, &total, err) < 0)
				break;
		}
		/* Directories and anything else carry nothing we need. */
	}
	archive_read_free(ar);
	return r == ARCHIVE_EOF ? 0 : -1;
}

/* Resolve a path named by the archive's own metadata to a stored file,
 * following the archive's symlinks and hardlinks the way a chroot at the
 * archive root would, except that ".." above the root is an error rather
 * than the root again: nothing legitimate needs it. */
static int arc_resolve(const struct arc *a, const char *path, const struct arc_entry **out, robbe_error **err)
{
	struct sbuf cur = SBUF_INIT;
	cleanup_free char *rest = xstrdup(path);
	const struct arc_entry *ent;
	int hops = 0;

	*out = NULL;
	while (*rest) {
		char *slash = strchr(rest, '/');
		cleanup_free char *comp = slash ? xstrndup(rest, (size_t) (slash - rest)) : xstrdup(rest);
		cleanup_free char *cand = NULL;
		char *next = xstrdup(slash ? slash + 1 : "");

		free(rest);
		rest = next;
		if (!*comp || !strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			char *up;
			if (!cur.len) {
				sbuf_release(&cur);
				return robbe_error_set(err, 0, "\"%.200s\" leaves the archive", path);
			}
			up = strrchr(cur.buf, '/');
			cur.len = up ? (size_t) (up - cur.buf) : 0;
			cur.buf[cur.len] = '\0';
			continue;
		}
		cand = cur.len ? xasprintf("%s/%s", cur.buf, comp) : xstrdup(comp);
		ent = arc_find(a, cand);
		if (ent && ent->kind != ARC_FILE) {
			if (++hops > MAX_LINK_HOPS) {
				sbuf_release(&cur);
				return robbe_error_set(err, 0, "\"%.200s\": too many levels of links", path);
			}
			/* Symlinks resolve from their directory (or the root
			 * when absolute); hardlink names from the root. */
			next = xasprintf("%s/%s", ent->target, rest);
			free(rest);
			rest = next;
			if (ent->kind == ARC_HARDLINK || ent->target[0] == '/')
				sbuf_reset(&cur);
			continue;
		}
		if (cur.len)
			sbuf_addc(&cur, '/');
		sbuf_adds(&cur, comp);
	}
	ent = cur.len ? arc_find(a, cur.buf) : NULL;
	sbuf_release(&cur);
	if (!ent || ent->kind != ARC_FILE)
		return robbe_error_set(err, 0, "\"%.200s\" is not in the archive", path);
	*out = ent;
	return 0;
}

static char *arc_file_path(const struct arc *a, const struct arc_entry *ent)
{
	return xasprintf("%s/%u", a->dir, ent->file_no);
}

/* Read a JSON document named by the archive, within the per-file and the
 * all-documents budgets. */
static int arc_read(struct arc *a, const char *path, size_t max, char **data, size_t *len, robbe_error **err)
{
	const struct arc_entry *ent;
	cleanup_free char *file = NULL;

	if (arc_resolve(a, path, &ent, err) < 0)
		return -1;
	file = arc_file_path(a, ent);
	if (read_file_all(file, max, data, len, err) < 0)
		return robbe_error_wrap(err, "%s", path);
	a->json_bytes += *len;
	if (a->json_bytes > IMAGE_ARCHIVE_MAX_JSON) {
		free(*data);
		*data = NULL;
		return robbe_error_set(err, 0, "archive metadata larger than %zu bytes", IMAGE_ARCHIVE_MAX_JSON);
	}
	return 0;
}

static void loaded_image_release(struct loaded_image *img)
{
	free(img->config);
	free(img->config_digest);
	strv_free(img->repo_tags);
	for (size_t i = 0; i < img->n_layers; i++) {
		free(img->layers[i].path);
		free(img->layers[i].diff_id);
		free(img->layers[i].digest);
	}
	free(img->layers);
}

void image_archive_free(struct image_archive *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n_images; i++)
		loaded_image_release(&a->images[i]);
	free(a->images);
	free(a);
}

static struct loaded_image *new_image(struct image_archive *out)
{
	struct loaded_image *img;

	out->images = xrealloc(out->images, (out->n_images + 1) * sizeof(*out->images));
	img = &out->images[out->n_images++];
	memset(img, 0, sizeof(*img));
	img->repo_tags = xcalloc(1, sizeof(char *));
	return img;
}

/* Fill img from config bytes (taken) and layer paths in the archive. */
static int fill_image(struct arc *a, struct loaded_image *img, char *config, size_t config_len,
		      char *const *layer_paths, const struct manifest *m, robbe_error **err)
{
	cleanup_image_config struct image_config *cfg = NULL;
	size_t n = m ? m->n_layers : strv_len(layer_paths);

	img->config = config;
	img->config_len = config_len;
	img->config_digest = digest_sha256(config, config_len);
	if (image_config_parse(config, config_len, &cfg, err) < 0)
		return -1;
	if (n != cfg->n_diff_ids)
		return robbe_error_set(err, 0, "image has %zu layers but its config lists %zu diff IDs", n,
				       cfg->n_diff_ids);
	img->layers = xcalloc(n ? n : 1, sizeof(*img->layers));
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *blob = m ? xasprintf("blobs/sha256/%s", m->layers[i].digest + 7) : NULL;
		const struct arc_entry *ent;

		if (arc_resolve(a, blob ? blob : layer_paths[i], &ent, err) < 0)
			return robbe_error_wrap(err, "layer %zu", i + 1);
		img->layers[i].path = arc_file_path(a, ent);
		img->layers[i].diff_id = xstrdup(cfg->diff_ids[i]);
		img->layers[i].digest = m ? xstrdup(m->layers[i].digest) : NULL;
		img->n_layers = i + 1;
	}
	return 0;
}

static int json_strings(const cJSON *arr, size_t max, char ***out)
{
	const cJSON *it;

	*out = xcalloc(1, sizeof(char *));
	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr) || (size_t) cJSON_GetArraySize(arr) > max)
		return -1;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			return -1;
		strv_push(out, it->valuestring);
	}
	return 0;
}

/* manifest.json: Docker's own list of images. */
static int load_docker(struct arc *a, struct image_archive *out, robbe_error **err)
{
	cleanup_free char *data = NULL;
	cleanup_cjson cJSON *root = NULL;
	const cJSON *it;
	size_t len, i = 0;

	if (arc_read(a, "manifest.json", MANIFEST_MAX_BYTES, &data, &len, err) < 0)
		return -1;
	root = cJSON_ParseWithLength(data, len);
	if (!cJSON_IsArray(root) || cJSON_GetArraySize(root) > MANIFEST_MAX_ENTRIES)
		return robbe_error_set(err, 0, "invalid manifest.json: expected an array of at most %d images",
				       MANIFEST_MAX_ENTRIES);
	cJSON_ArrayForEach(it, root) {
		const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(it, "Config");
		cleanup_strv char **layers = NULL;
		cleanup_strv char **tags = NULL;
		char *config = NULL;
		size_t config_len;
		struct loaded_image *img;

		i++;
		if (!cJSON_IsString(cfg) ||
		    json_strings(cJSON_GetObjectItemCaseSensitive(it, "Layers"), MANIFEST_MAX_LAYERS, &layers) < 0 ||
		    json_strings(cJSON_GetObjectItemCaseSensitive(it, "RepoTags"), IMAGE_ARCHIVE_MAX_TAGS, &tags) < 0)
			return robbe_error_set(err, 0, "invalid manifest.json: image %zu: bad Config, Layers or RepoTags",
					       i);
		if (arc_read(a, cfg->valuestring, IMAGE_CONFIG_MAX_BYTES, &config, &config_len, err) < 0)
			return robbe_error_wrap(err, "image %zu", i);
		img = new_image(out);
		strv_free(img->repo_tags);
		img->repo_tags = steal_pointer(&tags);
		if (fill_image(a, img, config, config_len, layers, NULL, err) < 0)
			return robbe_error_wrap(err, "image %zu", i);
	}
	return 0;
}

/* Read the blob a descriptor names and check it is what the descriptor says. */
static int read_blob(struct arc *a, const struct oci_descriptor *d, size_t max, char **data, size_t *len,
		     robbe_error **err)
{
	cleanup_free char *path = xasprintf("blobs/sha256/%s", d->digest + 7);
	cleanup_free char *got = NULL;

	if (arc_read(a, path, max, data, len, err) < 0)
		return -1;
	got = digest_sha256(*data, *len);
	if (strcmp(got, d->digest) != 0 || (int64_t) *len != d->size) {
		free(*data);
		*data = NULL;
		return robbe_error_set(err, 0, "blob %s does not match its descriptor", d->digest);
	}
	return 0;
}

/* An index.json entry: a manifest, or an index to pick a platform from. */
static int load_oci_entry(struct arc *a, const struct oci_descriptor *d, const struct oci_platform *platform,
			  struct image_archive *out, robbe_error **err)
{
	cleanup_free char *data = NULL;
	cleanup_manifest struct manifest *m = NULL;
	cleanup_manifest struct manifest *idx = NULL;
	char *config = NULL;
	size_t len, config_len;
	const char *name = d->image_name;
	struct loaded_image *img;

	if (read_blob(a, d, MANIFEST_MAX_BYTES, &data, &len, err) < 0 ||
	    manifest_parse(data, len, d->media_type, &m, err) < 0)
		return -1;
	if (manifest_is_index(m)) {
		const struct oci_descriptor *pick;
		idx = steal_pointer(&m);
		free(data);
		data = NULL;
		if (manifest_select(idx, platform, &pick, err) < 0 || read_blob(a, pick, MANIFEST_MAX_BYTES, &data, &len, err) < 0 ||
		    manifest_parse(data, len, pick->media_type, &m, err) < 0)
			return -1;
		if (manifest_is_index(m))
			return robbe_error_set(err, 0, "%s: nested index too deep", d->digest);
	}
	/* A bare tag in ref.name ("latest") is no image name. */
	if (!name && d->ref_name && (strchr(d->ref_name, '/') || strchr(d->ref_name, ':')))
		name = d->ref_name;
	for (size_t i = 0; i < out->n_images; i++) {
		if (!strcmp(out->images[i].config_digest, m->config.digest)) {
			if (name && !strv_contains(out->images[i].repo_tags, name))
				strv_push(&out->images[i].repo_tags, name);
			return 0;
		}
	}
	if (read_blob(a, &m->config, IMAGE_CONFIG_MAX_BYTES, &config, &config_len, err) < 0)
		return -1;
	img = new_image(out);
	if (name)
		strv_push(&img->repo_tags, name);
	return fill_image(a, img, config, config_len, NULL, m, err);
}

static int load_oci(struct arc *a, const struct oci_platform *platform, struct image_archive *out, robbe_error **err)
{
	cleanup_free char *data = NULL;
	cleanup_manifest struct manifest *idx = NULL;
	cleanup_platform struct oci_platform def = { 0 };
	size_t len;

	if (!platform) {
		if (platform_default(&def, err) < 0)
			return -1;
		platform = &def;
	}
	if (arc_read(a, "index.json", MANIFEST_MAX_BYTES, &data, &len, err) < 0 ||
	    manifest_parse(data, len, MEDIA_OCI_INDEX, &idx, err) < 0)
		return robbe_error_wrap(err, "index.json");
	for (size_t i = 0; i < idx->n_manifests; i++) {
		const struct oci_descriptor *d = &idx->manifests[i];
		/* Only image manifests and indexes; artifacts are skipped. */
		bool image = !strcmp(d->media_type, MEDIA_OCI_MANIFEST) || !strcmp(d->media_type, MEDIA_DOCKER_MANIFEST) ||
			     !strcmp(d->media_type, MEDIA_OCI_INDEX) || !strcmp(d->media_type, MEDIA_DOCKER_LIST);
		if (!image || d->attestation)
			continue;
		if (load_oci_entry(a, d, platform, out, err) < 0)
			return robbe_error_wrap(err, "index.json entry %zu", i + 1);
	}
	return 0;
}

int image_archive_read(int in_fd, const char *workdir, const struct oci_platform *platform,
		       struct image_archive **out, robbe_error **err)
{
	struct arc a = { .dir = workdir, .dir_fd = -1 };
	struct image_archive *res = xcalloc(1, sizeof(*res));
	int r;

	*out = NULL;
	a.dir_fd = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a.dir_fd < 0)
		r = robbe_error_errno(err, errno, "open %s", workdir);
	else
		r = arc_unpack(&a, in_fd, err);
	if (r == 0) {
		if (arc_find(&a, "manifest.json"))
			r = load_docker(&a, res, err);
		else if (arc_find(&a, "index.json"))
			r = load_oci(&a, platform, res, err);
		else
			r = robbe_error_set(err, 0, "neither manifest.json nor index.json found");
	}
	if (r == 0 && res->n_images == 0)
		r = robbe_error_set(err, 0, "no images found");
	arc_release(&a);
	if (r < 0) {
		image_archive_free(res);
		return robbe_error_wrap(err, "invalid image archive");
	}
	*out = res;
	return 0;
}
