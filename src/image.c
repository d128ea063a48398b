/* image.c: the image environment, its lock, names and lookups, and
 * recording new images (see image.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "digest.h"
#include "image-internal.h"
#include "reference.h"
#include "store/layers.h"
#include "tarball.h"

/* ---- environment and lock ------------------------------------------- */

int image_env_open(struct store *s, const struct robbe_paths *paths, struct image_env **out, robbe_error **err)
{
	struct image_env *env = xcalloc(1, sizeof(*env));

	env->store = s;
	env->paths = paths;
	env->lock_fd = -1;
	*out = NULL;
	if (layer_store_open(paths->root, &env->layers, err) < 0) {
		free(env);
		return -1;
	}
	/* Every image command sweeps what killed ones left: a pull killed
	 * half-way leaves no partial file behind for longer than that. */
	if (layer_store_cleanup(env->layers, err) < 0) {
		image_env_free(env);
		return -1;
	}
	*out = env;
	return 0;
}

void image_env_free(struct image_env *env)
{
	if (!env)
		return;
	image_env_unlock_layers(env);
	layer_store_free(env->layers);
	free(env);
}

static int open_lock(struct image_env *env, robbe_error **err)
{
	cleanup_free char *path = NULL;

	if (env->lock_fd >= 0)
		return 0;
	path = paths_in_root(env->paths, "image.lock");
	env->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (env->lock_fd < 0)
		return robbe_error_errno(err, errno, "open %s", path);
	return 0;
}

int image_env_lock_layers(struct image_env *env, robbe_error **err)
{
	int r;

	if (env->locked_shared)
		return 0;
	if (open_lock(env, err) < 0)
		return -1;
	do
		r = flock(env->lock_fd, LOCK_SH);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return robbe_error_errno(err, errno, "lock the image store");
	env->locked_shared = true;
	return 0;
}

void image_env_unlock_layers(struct image_env *env)
{
	if (env->lock_fd >= 0) {
		flock(env->lock_fd, LOCK_UN);
		close(env->lock_fd);
	}
	env->lock_fd = -1;
	env->locked_shared = false;
}

/* The exclusive lock, without waiting: 1 taken, 0 busy. */
int image_env_try_lock_exclusive(struct image_env *env, robbe_error **err)
{
	/* Our own shared lock means we are creating layers: not a time to
	 * collect them (and flock cannot upgrade atomically). */
	if (env->locked_shared)
		return 0;
	if (open_lock(env, err) < 0)
		return -1;
	if (flock(env->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			return 0;
		return robbe_error_errno(err, errno, "lock the image store");
	}
	return 1;
}

/* ---- names ------------------------------------------------------------ */

static int not_found(const char *what, robbe_error **err)
{
	int r = robbe_error_set(err, EXIT_GENERAL, "No such image: %s", what);
	(*err)->errnum = ENOENT;
	return r;
}

/* Docker's spelling of a reference in "No such image": the familiar form
 * with "latest" added when neither tag nor digest was given. */
static char *missing_name(const struct reference *ref)
{
	cleanup_reference struct reference *r = reference_copy(ref);

	reference_default_tag(r);
	return reference_familiar_string(r);
}

int image_resolve(struct store *s, const char *user_ref, struct store_image **out, robbe_error **err)
{
	cleanup_reference struct reference *ref = NULL;
	cleanup_free char *name = NULL;
	cleanup_error robbe_error *e = NULL;
	int r;

	*out = NULL;
	if (!user_ref || !*user_ref) {
		/* Docker's parser rejects the empty string before any lookup. */
		r = robbe_error_set(err, EXIT_GENERAL, "invalid reference format");
		(*err)->errnum = EINVAL;
		return r;
	}
	/* A full ID, with or without "sha256:", names the image itself. */
	if (digest_is_sha256_hex(user_ref) ||
	    (str_has_prefix(user_ref, "sha256:") && digest_is_sha256_hex(user_ref + 7))) {
		cleanup_free char *id = str_has_prefix(user_ref, "sha256:") ? xstrdup(user_ref)
									   : xasprintf("sha256:%s", user_ref);
		if (store_image_get(s, id, out, &e) == 0)
			return 0;
		if (!store_error_is(e, STORE_ENOTFOUND)) {
			*err = steal_pointer(&e);
			return -1;
		}
		return not_found(id, err);
	}
	if (reference_parse(user_ref, &ref, &e) < 0) {
		r = robbe_error_set(err, EXIT_GENERAL, "%s", e->msg);
		(*err)->errnum = EINVAL;
		return r;
	}
	{
		cleanup_reference struct reference *lookup = reference_copy(ref);
		/* name:tag@digest is looked up by the digest alone, as Docker does */
		if (lookup->digest)
			reference_set_tag(lookup, NULL);
		reference_default_tag(lookup);
		name = reference_string(lookup);
	}
	if (store_image_get_by_name(s, name, out, &e) == 0)
		return 0;
	if (!store_error_is(e, STORE_ENOTFOUND)) {
		*err = steal_pointer(&e);
		return -1;
	}
	robbe_error_free(steal_pointer(&e));
	/* Then as an ID prefix; an ambiguous one is "no such image" too. */
	if (store_image_get_by_prefix(s, user_ref, out, &e) == 0)
		return 0;
	if (!store_error_is(e, STORE_ENOTFOUND) && !store_error_is(e, STORE_EAMBIGUOUS)) {
		*err = steal_pointer(&e);
		return -1;
	}
	{
		cleanup_free char *missing = missing_name(ref);
		return not_found(missing, err);
	}
}

int image_normalize_name(const char *user_ref, char **full, robbe_error **err)
{
	cleanup_reference struct reference *ref = NULL;

	*full = NULL;
	if (reference_parse(user_ref, &ref, err) < 0)
		return -1;
	reference_default_tag(ref);
	*full = reference_string(ref);
	return 0;
}

char *image_familiar(const char *full_ref)
{
	cleanup_reference struct reference *ref = NULL;

	if (reference_parse_full(full_ref, &ref, NULL) < 0)
		return xstrdup(full_ref);
	return reference_familiar_string(ref);
}

int image_split_name(const char *full_ref, char **repo, char **tag_or_digest, bool *is_digest)
{
	cleanup_reference struct reference *ref = NULL;

	*repo = *tag_or_digest = NULL;
	if (reference_parse_full(full_ref, &ref, NULL) < 0)
		return -1;
	*repo = reference_familiar_name(ref);
	*tag_or_digest = ref->digest ? xstrdup(ref->digest) : ref->tag ? xstrdup(ref->tag) : xstrdup("");
	if (is_digest)
		*is_digest = ref->digest != NULL;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Docker lists references sorted by their full form, then shows them
 * familiar. */
static char **familiar_sorted(char *const *v)
{
	cleanup_strv char **full = strv_dup(v);
	size_t n = strv_len(full);
	char **out = xcalloc(n + 1, sizeof(char *));

	if (n)
		qsort(full, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n; i++)
		out[i] = image_familiar(full[i]);
	return out;
}

char **image_repo_tags(const struct store_image *img)
{
	return familiar_sorted(img->names);
}

char **image_repo_digests(const struct store_image *img)
{
	return familiar_sorted(img->digests);
}

char *image_short_id(const char *id)
{
	if (str_has_prefix(id, "sha256:"))
		id += 7;
	return xstrndup(id, 12);
}

/* ---- times ------------------------------------------------------------ */

int64_t image_parse_time(const char *s)
{
	struct tm tm = { 0 };
	int64_t frac = 0, scale = 1000000000;
	int off = 0, n = 0;
	time_t t;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			 &tm.tm_min, &tm.tm_sec, &n) != 6)
		return 0;
	s += n;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (scale > 1) {
				scale /= 10;
				frac += (*s - '0') * scale;
			}
		}
	}
	if (*s == '+' || *s == '-') {
		int hh = 0, mm = 0;
		if (sscanf(s + 1, "%2d:%2d", &hh, &mm) != 2)
			return 0;
		off = (hh * 60 + mm) * 60 * (*s == '-' ? -1 : 1);
	} else if (*s != 'Z' && *s != 'z') {
		return 0;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (t == (time_t) -1)
		return 0;
	/* Before 1970 (the zero time "0001-01-01") counts as unknown. */
	if (t - off <= 0)
		return 0;
	return ((int64_t) t - off) * 1000000000 + frac;
}

char *image_format_time(int64_t ns)
{
	time_t t = (time_t) (ns / 1000000000);
	int64_t frac = ns % 1000000000;
	struct tm tm;
	char buf[64], fbuf[16];

	if (ns <= 0)
		return xstrdup("0001-01-01T00:00:00Z");
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	if (frac == 0)
		return xasprintf("%sZ", buf);
	snprintf(fbuf, sizeof(fbuf), "%09lld", (long long) frac);
	for (size_t k = strlen(fbuf); k > 0 && fbuf[k - 1] == '0'; k--)
		fbuf[k - 1] = '\0';
	return xasprintf("%s.%sZ", buf, fbuf);
}

const cJSON *image_config_labels(const cJSON *config)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(config, "config");
	const cJSON *l = c ? cJSON_GetObjectItemCaseSensitive(c, "Labels") : NULL;

	return cJSON_IsObject(l) ? l : NULL;
}

/* ---- layer sizes -------------------------------------------------------- */

struct inode_seen {
	dev_t dev;
	ino_t ino;
	int64_t size;
};

struct size_walk {
	int64_t total;
	struct inode_seen *links;	/* files with more than one link */
	size_t n, alloc;
};

/* Sum the sizes of everything but directories under dirfd, as Docker sizes
 * a layer; files with several links are settled at the end, once each. */
static int walk_size(int dirfd, struct size_walk *w, int depth, robbe_error **err)
{
	DIR *d;
	struct dirent *de;

	if (depth > TAR_MAX_DEPTH + 8)
		return robbe_error_set(err, 0, "layer tree too deep");
	d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return robbe_error_errno(err, errno, "read layer directory");
	}
	while ((errno = 0, de = readdir(d))) {
		struct stat st;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				continue;
			if (walk_size(sub, w, depth + 1, err) < 0) {
				closedir(d);
				return -1;
			}
			continue;
		}
		if (st.st_size <= 0)
			continue;
		if (st.st_nlink > 1 && !S_ISDIR(st.st_mode)) {
			if (w->n == w->alloc) {
				w->alloc = w->alloc ? 2 * w->alloc : 64;
				w->links = xrealloc(w->links, w->alloc * sizeof(*w->links));
			}
			w->links[w->n++] = (struct inode_seen){ st.st_dev, st.st_ino, st.st_size };
			continue;
		}
		w->total += st.st_size;
	}
	closedir(d);
	return 0;
}

static int cmp_inode(const void *a, const void *b)
{
	const struct inode_seen *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

int image_layer_disk_size(struct image_env *env, const char *chain_id, int64_t *size, robbe_error **err)
{
	cleanup_free char *path = layer_store_diff_path(env->layers, chain_id);
	struct size_walk w = { 0 };
	int fd;

	*size = 0;
	if (!path)
		return robbe_error_set(err, 0, "invalid layer ID %s", chain_id);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return robbe_error_errno(err, errno, "open layer %s", chain_id);
	if (walk_size(fd, &w, 0, err) < 0) {
		free(w.links);
		return -1;
	}
	qsort(w.links, w.n, sizeof(*w.links), cmp_inode);
	for (size_t i = 0; i < w.n; i++)
		if (i == 0 || cmp_inode(&w.links[i - 1], &w.links[i]) != 0)
			w.total += w.links[i].size;
	free(w.links);
	*size = w.total;
	return 0;
}

int image_layer_apply(struct image_env *env, int blob_fd, const char *parent_chain, const char *diff_id,
		      char **chain_out, int64_t *size_out, robbe_error **err)
{
	cleanup_free char *chain = NULL;

	if (chain_out)
		*chain_out = NULL;
	if (image_env_lock_layers(env, err) < 0)
		return -1;
	if (tar_apply_layer(env->layers, blob_fd, parent_chain, diff_id, NULL, &chain, err) < 0)
		return -1;
	if (size_out && image_layer_disk_size(env, chain, size_out, err) < 0)
		return -1;
	if (chain_out)
		*chain_out = steal_pointer(&chain);
	return 0;
}

/* ---- recording images ------------------------------------------------- */

static int commit_locked(struct image_env *env, const char *config_json, size_t len,
			 const struct image_layer_input *layers, size_t n, const char *manifest_json, char *const *names,
			 struct store_image **out, bool *created, robbe_error **err)
{
	cleanup_image_config struct image_config *cfg = NULL;
	cleanup_free char *id = NULL;
	cleanup_free char *config_str = NULL;
	cleanup_strv char **tags = NULL, **digests = NULL;
	struct store_image img = { 0 };
	cleanup_store_layer_list struct store_layer_list ls = { 0 };
	cleanup_free char *manifest_digest = NULL;
	const char *parent = NULL;
	bool is_new = false;

	if (out)
		*out = NULL;
	if (image_config_parse(config_json, len, &cfg, err) < 0)
		return -1;
	if (cfg->n_diff_ids != n)
		return robbe_error_set(err, 0, "invalid image: the config lists %zu layers but %zu were given",
				       cfg->n_diff_ids, n);
	if (image_env_lock_layers(env, err) < 0)
		return -1;

	ls.v = xcalloc(n ? n : 1, sizeof(*ls.v));
	for (size_t i = 0; i < n; i++) {
		struct store_layer *l = &ls.v[ls.n++];
		if (!layers[i].diff_id || strcmp(layers[i].diff_id, cfg->diff_ids[i]) != 0)
			return robbe_error_set(err, 0, "invalid image: layer %zu has diff ID %s, the config says %s", i + 1,
					       layers[i].diff_id ? layers[i].diff_id : "(none)", cfg->diff_ids[i]);
		l->chain_id = layer_chain_id(parent, layers[i].diff_id);
		if (!l->chain_id)
			return robbe_error_set(err, 0, "invalid diff ID %s", layers[i].diff_id);
		if (!layer_store_has_layer(env->layers, l->chain_id))
			return robbe_error_set(err, 0, "layer %s is not in the layer store", l->chain_id);
		l->diff_id = xstrdup(layers[i].diff_id);
		l->blob_digest = layers[i].blob_digest ? xstrdup(layers[i].blob_digest) : NULL;
		l->compressed_size = layers[i].compressed_size;
		l->size = layers[i].size;
		if (l->size < 0 && image_layer_disk_size(env, l->chain_id, &l->size, err) < 0)
			return -1;
		img.size += l->size;
		parent = l->chain_id;
	}

	/* The config is kept byte for byte: its digest is the image ID. */
	if (layer_store_put_blob(env->layers, config_json, len, NULL, &id, err) < 0)
		return robbe_error_wrap(err, "storing the image config");
	config_str = xstrndup(config_json, len);
	if (strlen(config_str) != len)
		return robbe_error_set(err, 0, "invalid image config: NUL byte");

	for (size_t i = 0; names && names[i]; i++) {
		if (strchr(names[i], '@'))
			strv_push(&digests, names[i]);
		else
			strv_push(&tags, names[i]);
	}
	if (manifest_json)
		manifest_digest = digest_sha256(manifest_json, strlen(manifest_json));

	img.id = id;
	img.digest = manifest_digest;
	img.created = image_parse_time(cfg->created);
	img.config_json = config_str;
	img.manifest_json = (char *) manifest_json;
	img.names = tags;
	img.digests = digests;
	img.layers = ls;
	if (store_image_add(env->store, &img, &is_new, err) < 0) {
		img.layers = (struct store_layer_list){ 0 };
		return -1;
	}
	img.layers = (struct store_layer_list){ 0 };
	if (created)
		*created = is_new;
	if (out && store_image_get(env->store, id, out, err) < 0)
		return -1;
	return 0;
}

int image_commit_ex(struct image_env *env, const char *config_json, size_t len,
		    const struct image_layer_input *layers, size_t n, const char *manifest_json, char *const *names,
		    struct store_image **out, bool *created, robbe_error **err)
{
	int r = commit_locked(env, config_json, len, layers, n, manifest_json, names, out, created, err);

	/* Recorded (or failed): the layers need no protection from us any more. */
	image_env_unlock_layers(env);
	return r;
}

int image_commit(struct image_env *env, const char *config_json, size_t len, const struct image_layer_input *layers,
		 size_t n, const char *manifest_json, char *const *names, struct store_image **out,
		 robbe_error **err)
{
	return image_commit_ex(env, config_json, len, layers, n, manifest_json, names, out, NULL, err);
}
