/* image-remove.c: tag, rmi, prune, and the garbage collection of layer
 * files nothing refers to any more. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "digest.h"
#include "image-internal.h"
#include "reference.h"
#include "store/layers.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* ---- tag ---------------------------------------------------------------- */

int image_tag(struct image_env *env, const char *source, const char *target, robbe_error **err)
{
	cleanup_store_image struct store_image *img = NULL;
	cleanup_reference struct reference *ref = NULL;
	cleanup_free char *full = NULL;

	if (reference_parse(target, &ref, err) < 0)
		return -1;
	if (ref->digest)
		return robbe_error_set(err, EXIT_GENERAL, "refusing to create a tag with a digest reference");
	reference_default_tag(ref);
	full = reference_string(ref);
	if (image_resolve(env->store, source, &img, err) < 0)
		return -1;
	return store_image_tag(env->store, img->id, full, err);
}

/* ---- rmi ---------------------------------------------------------------- */

void image_remove_report_release(struct image_remove_report *r)
{
	strv_free(r->untagged);
	strv_free(r->deleted);
	memset(r, 0, sizeof(*r));
}

static int conflict(robbe_error **err, const char *fmt, ...) ATTR_PRINTF(2, 3);
static int conflict(robbe_error **err, const char *fmt, ...)
{
	va_list ap;
	cleanup_free char *msg = NULL;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	robbe_error_set(err, EXIT_GENERAL, "%s", msg);
	(*err)->errnum = EBUSY;
	return -1;
}

/* The repository of a full reference ("docker.io/library/busybox"). */
static char *ref_repo(const char *full)
{
	size_t n = strcspn(full, "@");
	const char *slash = memrchr(full, '/', n);
	const char *colon = memchr(slash ? slash : full, ':', n - (size_t) ((slash ? slash : full) - full));

	if (colon)
		n = (size_t) (colon - full);
	return xstrndup(full, n);
}

/* Docker's isSingleReference: at most one tag, and every reference in one
 * repository. */
static bool single_reference(const struct store_image *img)
{
	size_t nt = strv_len(img->names), nd = strv_len(img->digests);
	cleanup_free char *repo = NULL;

	if (nt + nd <= 1)
		return nt + nd == 1;
	if (nt > 1)
		return false;
	repo = ref_repo(nt ? img->names[0] : img->digests[0]);
	for (size_t i = 0; i < nd; i++) {
		cleanup_free char *r = ref_repo(img->digests[i]);
		if (strcmp(r, repo) != 0)
			return false;
	}
	return true;
}

struct image_users {
	char *running;	/* a running (or paused, restarting) container using it */
	char *stopped;	/* another one */
};

static void users_release(struct image_users *u)
{
	free(u->running);
	free(u->stopped);
}

static int find_users(struct store *s, const char *image_id, struct image_users *u, robbe_error **err)
{
	cleanup_strv char **ids = NULL;

	memset(u, 0, sizeof(*u));
	if (store_image_users(s, image_id, &ids, err) < 0)
		return -1;
	for (size_t i = 0; ids && ids[i]; i++) {
		cleanup_store_container struct store_container *c = NULL;
		cleanup_error robbe_error *e = NULL;
		bool running;

		if (store_container_get(s, ids[i], &c, &e) < 0)
			continue;
		running = c->state == STORE_STATE_RUNNING || c->state == STORE_STATE_PAUSED ||
			  c->state == STORE_STATE_RESTARTING;
		if (running && !u->running)
			u->running = xstrdup(ids[i]);
		else if (!running && !u->stopped)
			u->stopped = xstrdup(ids[i]);
	}
	return 0;
}

static bool is_id_prefix(const char *id, const char *s)
{
	return str_has_prefix(id, s) || str_has_prefix(id + strlen("sha256:"), s);
}

static int untag(struct image_env *env, const char *full, struct image_remove_report *rep, robbe_error **err)
{
	cleanup_error robbe_error *e = NULL;

	if (store_image_untag(env->store, full, NULL, &e) < 0) {
		if (store_error_is(e, STORE_ENOTFOUND))
			return 0; /* someone else untagged it meanwhile */
		*err = steal_pointer(&e);
		return -1;
	}
	strv_push_take(&rep->untagged, image_familiar(full));
	return 0;
}

/* Untag every name of the image, in Docker's (sorted) order. */
static int untag_all(struct image_env *env, const struct store_image *img, struct image_remove_report *rep,
		     robbe_error **err)
{
	cleanup_strv char **all = NULL;

	for (size_t i = 0; img->names && img->names[i]; i++)
		strv_push(&all, img->names[i]);
	for (size_t i = 0; img->digests && img->digests[i]; i++)
		strv_push(&all, img->digests[i]);
	if (all)
		qsort(all, strv_len(all), sizeof(char *), cmp_str);
	for (size_t i = 0; all && all[i]; i++)
		if (untag(env, all[i], rep, err) < 0)
			return -1;
	return 0;
}

/* Delete the image itself once it has no names left (Docker's
 * imageDeleteHelper).  quiet: the last name was just removed by name; a
 * container still using the image then keeps it, silently. */
static int delete_image(struct image_env *env, const char *id, bool force, bool quiet,
			struct image_remove_report *rep, robbe_error **err)
{
	cleanup_store_image struct store_image *img = NULL;
	struct store_layer_list removed = { 0 };
	struct image_users u;
	cleanup_error robbe_error *e = NULL;
	cleanup_free char *short_id = image_short_id(id);
	int r = 0;

	if (store_image_get(env->store, id, &img, err) < 0)
		return -1;
	if (find_users(env->store, id, &u, err) < 0)
		return -1;
	/* Docker deletes an image a stopped container uses when forced;
	 * robbe's containers run on the image's layers, so it cannot. */
	if (u.running || (!force && (img->names || img->digests)) || u.stopped) {
		bool used = u.running || u.stopped;
		bool dangling = !img->names && !img->digests;
		cleanup_free char *cid = image_short_id(u.running ? u.running : u.stopped ? u.stopped : "");
		if (quiet && (!dangling || used)) {
			users_release(&u);
			return 0;
		}
		if (u.running)
			r = conflict(err, "conflict: unable to delete %s (cannot be forced) - image is being used by running container %s",
				     short_id, cid);
		else if (img->names || img->digests)
			r = conflict(err, "conflict: unable to delete %s (must be forced) - image is referenced in multiple repositories",
				     short_id);
		else
			r = conflict(err, "conflict: unable to delete %s (%s) - image is being used by stopped container %s",
				     short_id, force ? "cannot be forced" : "must be forced", cid);
		users_release(&u);
		return r;
	}
	users_release(&u);
	if (untag_all(env, img, rep, err) < 0)
		return -1;
	if (store_image_remove(env->store, id, &removed, &e) < 0) {
		/* A container created meanwhile uses it: it stays, nameless. */
		if (store_error_is(e, STORE_EINUSE))
			return 0;
		if (store_error_is(e, STORE_ENOTFOUND))
			return 0;
		*err = steal_pointer(&e);
		return -1;
	}
	strv_push(&rep->deleted, id);
	for (size_t i = 0; i < removed.n; i++) {
		strv_push(&rep->deleted, removed.v[i].chain_id);
		rep->reclaimed += removed.v[i].size;
	}
	store_layer_list_release(&removed);
	return 0;
}

static int remove_one(struct image_env *env, const char *user_ref, bool force, struct image_remove_report *rep,
		      robbe_error **err)
{
	cleanup_store_image struct store_image *img = NULL;
	cleanup_free char *id = NULL;
	bool removed_last_name = false;

	if (image_resolve(env->store, user_ref, &img, err) < 0)
		return -1;
	id = xstrdup(img->id);

	if (!is_id_prefix(img->id, user_ref)) {
		cleanup_reference struct reference *ref = NULL;
		cleanup_free char *full = NULL, *repo = NULL;
		cleanup_store_image struct store_image *now = NULL;
		struct image_users u;

		if (!force && single_reference(img)) {
			if (find_users(env->store, id, &u, err) < 0)
				return -1;
			if (u.running || u.stopped) {
				cleanup_free char *cid = image_short_id(u.running ? u.running : u.stopped);
				cleanup_free char *sid = image_short_id(id);
				users_release(&u);
				return conflict(err,
						"conflict: unable to remove repository reference \"%s\" (must force) - container %s is using its referenced image %s",
						user_ref, cid, sid);
			}
			users_release(&u);
		}
		if (reference_parse(user_ref, &ref, err) < 0)
			return -1;
		if (ref->digest)
			reference_set_tag(ref, NULL);
		reference_default_tag(ref);
		full = reference_string(ref);
		if (untag(env, full, rep, err) < 0)
			return -1;
		if (store_image_get(env->store, id, &now, err) < 0)
			return -1;
		/* The repository's last tag went: its digest references go too. */
		repo = reference_name(ref);
		if (!ref->digest) {
			bool tag_left = false;
			for (size_t i = 0; now->names && now->names[i]; i++) {
				cleanup_free char *r2 = ref_repo(now->names[i]);
				if (strcmp(r2, repo) == 0)
					tag_left = true;
			}
			for (size_t i = 0; !tag_left && now->digests && now->digests[i]; i++) {
				cleanup_free char *r2 = ref_repo(now->digests[i]);
				if (strcmp(r2, repo) == 0 && untag(env, now->digests[i], rep, err) < 0)
					return -1;
			}
			store_image_free(now);
			now = NULL;
			if (store_image_get(env->store, id, &now, err) < 0)
				return -1;
		}
		if (now->names || now->digests)
			return 0;
		removed_last_name = true;
	} else if (single_reference(img)) {
		struct image_users u;
		cleanup_free char *sid = image_short_id(id);

		if (find_users(env->store, id, &u, err) < 0)
			return -1;
		if (u.running) {
			cleanup_free char *cid = image_short_id(u.running);
			users_release(&u);
			return conflict(err, "conflict: unable to delete %s (cannot be forced) - image is being used by running container %s",
					sid, cid);
		}
		if (u.stopped) {
			cleanup_free char *cid = image_short_id(u.stopped);
			users_release(&u);
			return conflict(err, "conflict: unable to delete %s (%s) - image is being used by stopped container %s",
					sid, force ? "cannot be forced" : "must be forced", cid);
		}
		users_release(&u);
		if (untag_all(env, img, rep, err) < 0)
			return -1;
	}
	return delete_image(env, id, force, removed_last_name, rep, err);
}

int image_remove(struct image_env *env, const char *user_ref, bool force, bool no_prune,
		 struct image_remove_report *rep, robbe_error **err)
{
	cleanup_error robbe_error *gc_err = NULL;
	int r;

	(void) no_prune; /* robbe keeps no parent images to prune */
	r = remove_one(env, user_ref, force, rep, err);
	/* Files go when nothing refers to them; a failure here does not undo
	 * the removal, and the next rmi or prune tries again. */
	if (rep->deleted && image_gc(env, &gc_err) < 0)
		robbe_error_warn(&gc_err);
	return r;
}

/* ---- garbage collection ----------------------------------------------- */

static bool in_sorted(char *const *v, size_t n, const char *s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v[mid], s);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Names (64 hex digits) in dir that are not "sha256:<name>" in keep. */
static int unreferenced(const char *dir, char **keep, size_t nkeep, char ***out, robbe_error **err)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	*out = NULL;
	if (!d)
		return errno == ENOENT ? 0 : robbe_error_errno(err, errno, "open %s", dir);
	while ((de = readdir(d))) {
		cleanup_free char *digest = NULL;
		if (!digest_is_sha256_hex(de->d_name))
			continue;
		digest = xasprintf("sha256:%s", de->d_name);
		if (!in_sorted(keep, nkeep, digest))
			strv_push(out, digest);
	}
	closedir(d);
	return 0;
}

int image_gc(struct image_env *env, robbe_error **err)
{
	cleanup_store_layer_list struct store_layer_list layers = { 0 };
	cleanup_store_image_list struct store_image **imgs = NULL;
	cleanup_strv char **chains = NULL, **blobs = NULL, **dead_layers = NULL, **dead_blobs = NULL;
	cleanup_free char *blob_dir = NULL;
	size_t nc, nb;
	int r;

	if ((r = image_env_try_lock_exclusive(env, err)) <= 0)
		return r;
	/* Under the exclusive lock no pull sits between finding a layer and
	 * recording it, so the database says all that is in use. */
	if (store_layer_list(env->store, &layers, err) < 0 || store_image_list(env->store, &imgs, err) < 0) {
		image_env_unlock_layers(env);
		return -1;
	}
	for (size_t i = 0; i < layers.n; i++) {
		strv_push(&chains, layers.v[i].chain_id);
		if (layers.v[i].blob_digest)
			strv_push(&blobs, layers.v[i].blob_digest);
	}
	for (size_t i = 0; imgs[i]; i++)
		strv_push(&blobs, imgs[i]->id);
	nc = strv_len(chains);
	nb = strv_len(blobs);
	if (nc)
		qsort(chains, nc, sizeof(char *), cmp_str);
	if (nb)
		qsort(blobs, nb, sizeof(char *), cmp_str);

	blob_dir = paths_in_root(env->paths, "blobs/sha256");
	if (unreferenced(layer_store_overlay_dir(env->layers), chains, nc, &dead_layers, err) < 0 ||
	    unreferenced(blob_dir, blobs, nb, &dead_blobs, err) < 0) {
		image_env_unlock_layers(env);
		return -1;
	}
	r = 0;
	/* Children before parents: a child's lower file names its parent's
	 * link.  Deleting in any order is safe here since all of them go,
	 * but a failure half-way then leaves no child without its parent. */
	for (size_t i = strv_len(dead_layers); i-- > 0;) {
		cleanup_error robbe_error *e = NULL;
		if (layer_store_remove_layer(env->layers, dead_layers[i], &e) < 0 && r == 0) {
			*err = steal_pointer(&e);
			r = -1;
		}
	}
	for (size_t i = 0; dead_blobs && dead_blobs[i]; i++) {
		cleanup_error robbe_error *e = NULL;
		if (layer_store_remove_blob(env->layers, dead_blobs[i], &e) < 0 && r == 0) {
			*err = steal_pointer(&e);
			r = -1;
		}
	}
	image_env_unlock_layers(env);
	return r;
}

/* ---- prune -------------------------------------------------------------- */

void image_prune_report_release(struct image_prune_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].untagged);
		free(r->v[i].deleted);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static void report_push(struct image_prune_report *rep, const char *untagged, const char *deleted)
{
	rep->v = xrealloc(rep->v, (rep->n + 1) * sizeof(*rep->v));
	rep->v[rep->n].untagged = untagged ? xstrdup(untagged) : NULL;
	rep->v[rep->n].deleted = deleted ? xstrdup(deleted) : NULL;
	rep->n++;
}

/* One rmi of prune, keeping Docker's order: what it untagged, then what
 * it deleted. */
static void report_merge(struct image_prune_report *rep, struct image_remove_report *one)
{
	for (size_t i = 0; one->untagged && one->untagged[i]; i++)
		report_push(rep, one->untagged[i], NULL);
	for (size_t i = 0; one->deleted && one->deleted[i]; i++)
		report_push(rep, NULL, one->deleted[i]);
	rep->reclaimed += one->reclaimed;
}

int image_prune(struct image_env *env, const struct image_prune_opts *opts, struct image_prune_report *rep,
		robbe_error **err)
{
	struct image_filters none = { 0 };
	const struct image_filters *f = opts->filters ? opts->filters : &none;
	struct image_filters lf = { 0 };
	struct image_summary_list list = { 0 };
	bool dangling_only = !opts->all;
	cleanup_error robbe_error *gc_err = NULL;
	int r = 0;

	memset(rep, 0, sizeof(*rep));
	/* dangling=false in the filters means every unused image, like -a */
	for (size_t i = 0; f->dangling && f->dangling[i]; i++)
		dangling_only = strcmp(f->dangling[i], "true") == 0 || strcmp(f->dangling[i], "1") == 0;
	lf.labels = f->labels;
	lf.not_labels = f->not_labels;
	lf.until = f->until;
	if (image_list(env, &lf, true, &list, err) < 0)
		return -1;
	for (size_t i = 0; i < list.n; i++) {
		struct store_image *img = list.v[i].img;
		struct image_remove_report one = { 0 };
		cleanup_error robbe_error *e = NULL;
		bool in_use = false;
		cleanup_strv char **refs = NULL;

		if (store_image_in_use(env->store, img->id, &in_use, err) < 0) {
			r = -1;
			break;
		}
		if (in_use)
			continue;
		if (img->names && dangling_only)
			continue;
		/* As the daemon: an image with names goes name by name, a
		 * nameless one by ID. */
		for (size_t k = 0; img->names && img->names[k]; k++)
			strv_push(&refs, img->names[k]);
		for (size_t k = 0; img->digests && img->digests[k]; k++)
			strv_push(&refs, img->digests[k]);
		if (!refs)
			strv_push(&refs, img->id);
		for (size_t k = 0; refs[k]; k++) {
			if (remove_one(env, refs[k], false, &one, &e) < 0) {
				/* Docker skips images it cannot delete (a conflict) */
				robbe_error_free(steal_pointer(&e));
			}
		}
		report_merge(rep, &one);
		image_remove_report_release(&one);
	}
	image_summary_list_release(&list);
	if (rep->n && image_gc(env, &gc_err) < 0)
		robbe_error_warn(&gc_err);
	return r;
}
