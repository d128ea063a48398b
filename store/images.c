/* images.c: image records, their names, and the layers they share. */
#include "config.h"

#include <string.h>

#include "store-internal.h"

void store_layer_release(struct store_layer *l)
{
	free(l->chain_id);
	free(l->diff_id);
	free(l->parent);
	free(l->blob_digest);
	memset(l, 0, sizeof(*l));
}

void store_layer_list_release(struct store_layer_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		store_layer_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static struct store_layer *layer_list_push(struct store_layer_list *l)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	memset(&l->v[l->n], 0, sizeof(*l->v));
	return &l->v[l->n++];
}

void store_image_free(struct store_image *img)
{
	if (!img)
		return;
	free(img->id);
	free(img->digest);
	free(img->top_layer);
	free(img->config_json);
	free(img->manifest_json);
	strv_free(img->names);
	strv_free(img->digests);
	store_layer_list_release(&img->layers);
	free(img);
}

void store_image_list_free(struct store_image **v)
{
	for (size_t i = 0; v && v[i]; i++)
		store_image_free(v[i]);
	free(v);
}

/* ---- reading ------------------------------------------------------------ */

#define LAYER_COLUMNS "l.chain_id, l.diff_id, l.parent, l.blob_digest, l.compressed_size, l.size"

static void layer_from_row(sqlite3_stmt *st, struct store_layer *l)
{
	l->chain_id = db_col_str(st, 0);
	l->diff_id = db_col_str(st, 1);
	l->parent = db_col_str(st, 2);
	l->blob_digest = db_col_str(st, 3);
	l->compressed_size = sqlite3_column_int64(st, 4);
	l->size = sqlite3_column_int64(st, 5);
}

/* Append the rows of a query over LAYER_COLUMNS to out. */
static int layers_query(struct store *s, const char *sql, const struct db_arg *args, size_t nargs,
			struct store_layer_list *out, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int r;

	if (db_query(s, &st, sql, args, nargs, err) < 0)
		return -1;
	while ((r = db_step(s, st, err)) > 0)
		layer_from_row(st, layer_list_push(out));
	return r < 0 ? -1 : 0;
}

/* Load an image by exact id: 1 found, 0 not found. */
static int image_load(struct store *s, const char *id, struct store_image **out, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	cleanup_store_image struct store_image *img = NULL;
	int r;

	*out = NULL;
	if (db_query(s, &st,
		     "SELECT id, digest, created, added, size, top_layer, config, manifest FROM images WHERE id = ?1",
		     DB_ARGS(DB_TEXT(id)), err) < 0)
		return -1;
	if ((r = db_step(s, st, err)) <= 0)
		return r;
	img = xcalloc(1, sizeof(*img));
	img->id = db_col_str(st, 0);
	img->digest = db_col_str(st, 1);
	img->created = sqlite3_column_int64(st, 2);
	img->added = sqlite3_column_int64(st, 3);
	img->size = sqlite3_column_int64(st, 4);
	img->top_layer = db_col_str(st, 5);
	img->config_json = db_col_str(st, 6);
	img->manifest_json = db_col_str(st, 7);

	if (db_strv(s, "SELECT name FROM image_names WHERE image_id = ?1 ORDER BY added, name",
		    DB_ARGS(DB_TEXT(id)), &img->names, err) < 0 ||
	    db_strv(s, "SELECT name FROM image_digests WHERE image_id = ?1 ORDER BY added, name",
		    DB_ARGS(DB_TEXT(id)), &img->digests, err) < 0 ||
	    layers_query(s,
			 "SELECT " LAYER_COLUMNS " FROM image_layers il JOIN layers l ON l.chain_id = il.chain_id"
			 " WHERE il.image_id = ?1 ORDER BY il.position",
			 DB_ARGS(DB_TEXT(id)), &img->layers, err) < 0)
		return -1;
	*out = steal_pointer(&img);
	return 1;
}

/* The image id a name or digest reference points at: 1 found, 0 not. */
static int image_id_by_name(struct store *s, const char *name, char **id, robbe_error **err)
{
	cleanup_strv char **ids = NULL;

	*id = NULL;
	if (db_strv(s,
		    "SELECT image_id FROM image_names WHERE name = ?1"
		    " UNION ALL SELECT image_id FROM image_digests WHERE name = ?1",
		    DB_ARGS(DB_TEXT(name)), &ids, err) < 0)
		return -1;
	if (!ids)
		return 0;
	*id = xstrdup(ids[0]);
	return 1;
}

static bool is_hex(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* Image ids matching a hex prefix (at most two, enough to see ambiguity);
 * NULL if the prefix is not hex. */
static int image_ids_by_prefix(struct store *s, const char *prefix, char ***ids, robbe_error **err)
{
	cleanup_free char *pattern = NULL;

	*ids = NULL;
	if (str_has_prefix(prefix, "sha256:"))
		prefix += strlen("sha256:");
	if (!is_hex(prefix))
		return 0;
	/* Only hex digits, so nothing in the pattern is a GLOB wildcard. */
	pattern = xasprintf("sha256:%s*", prefix);
	return db_strv(s, "SELECT id FROM images WHERE id GLOB ?1 LIMIT 2", DB_ARGS(DB_TEXT(pattern)), ids, err);
}

static int not_found(const char *ref, robbe_error **err)
{
	return store_fail(err, STORE_ENOTFOUND, "no such image: %s", ref);
}

int store_image_get(struct store *s, const char *id, struct store_image **out, robbe_error **err)
{
	int r = image_load(s, id, out, err);
	if (r == 0)
		return not_found(id, err);
	return r < 0 ? -1 : 0;
}

int store_image_get_by_name(struct store *s, const char *name, struct store_image **out, robbe_error **err)
{
	cleanup_free char *id = NULL;
	int r;

	*out = NULL;
	if ((r = image_id_by_name(s, name, &id, err)) < 0)
		return -1;
	if (r == 0)
		return not_found(name, err);
	return store_image_get(s, id, out, err);
}

int store_image_get_by_prefix(struct store *s, const char *prefix, struct store_image **out, robbe_error **err)
{
	cleanup_strv char **ids = NULL;

	*out = NULL;
	if (image_ids_by_prefix(s, prefix, &ids, err) < 0)
		return -1;
	if (strv_len(ids) > 1)
		return store_fail(err, STORE_EAMBIGUOUS, "image id prefix \"%s\" matches more than one image", prefix);
	if (!ids)
		return not_found(prefix, err);
	return store_image_get(s, ids[0], out, err);
}

int store_image_lookup(struct store *s, const char *ref, struct store_image **out, robbe_error **err)
{
	cleanup_free char *id = NULL;
	int r;

	if ((r = image_load(s, ref, out, err)) != 0)
		return r < 0 ? -1 : 0;
	if ((r = image_id_by_name(s, ref, &id, err)) < 0)
		return -1;
	if (r > 0)
		return store_image_get(s, id, out, err);
	return store_image_get_by_prefix(s, ref, out, err);
}

int store_image_list(struct store *s, struct store_image ***out, robbe_error **err)
{
	cleanup_strv char **ids = NULL;
	cleanup_store_image_list struct store_image **v = NULL;
	size_t n;

	*out = NULL;
	if (db_strv(s, "SELECT id FROM images ORDER BY created DESC, added DESC, id", DB_NOARGS, &ids, err) < 0)
		return -1;
	n = strv_len(ids);
	v = xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0, j = 0; i < n; i++) {
		/* Each image is read separately, so one removed meanwhile is
		 * simply skipped. */
		int r = image_load(s, ids[i], &v[j], err);
		if (r < 0)
			return -1;
		j += (size_t) r;
	}
	*out = steal_pointer(&v);
	return 0;
}

int store_image_users(struct store *s, const char *image_id, char ***container_ids, robbe_error **err)
{
	return db_strv(s, "SELECT id FROM containers WHERE image_id = ?1 ORDER BY created, id",
		       DB_ARGS(DB_TEXT(image_id)), container_ids, err);
}

int store_image_in_use(struct store *s, const char *image_id, bool *in_use, robbe_error **err)
{
	int64_t n;

	if (db_int(s, "SELECT count(*) FROM containers WHERE image_id = ?1", DB_ARGS(DB_TEXT(image_id)), &n,
		   err) < 0)
		return -1;
	*in_use = n > 0;
	return 0;
}

int store_layer_get(struct store *s, const char *chain_id, struct store_layer *out, robbe_error **err)
{
	cleanup_store_layer_list struct store_layer_list l = { 0 };

	memset(out, 0, sizeof(*out));
	if (layers_query(s, "SELECT " LAYER_COLUMNS " FROM layers l WHERE l.chain_id = ?1",
			 DB_ARGS(DB_TEXT(chain_id)), &l, err) < 0)
		return -1;
	if (l.n == 0)
		return store_fail(err, STORE_ENOTFOUND, "no such layer: %s", chain_id);
	*out = l.v[0];
	memset(&l.v[0], 0, sizeof(l.v[0]));
	return 0;
}

int store_layer_list(struct store *s, struct store_layer_list *out, robbe_error **err)
{
	memset(out, 0, sizeof(*out));
	if (layers_query(s, "SELECT " LAYER_COLUMNS " FROM layers l ORDER BY l.chain_id", DB_NOARGS, out, err) < 0) {
		store_layer_list_release(out);
		return -1;
	}
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

static int row_exists(struct store *s, const char *sql, const char *key, bool *found, robbe_error **err)
{
	int64_t n;

	if (db_int(s, sql, DB_ARGS(DB_TEXT(key)), &n, err) < 0)
		return -1;
	*found = n > 0;
	return 0;
}

static int set_name(struct store *s, const char *table_sql, const char *name, const char *image_id,
		    robbe_error **err)
{
	return db_run(s, table_sql, DB_ARGS(DB_TEXT(name), DB_TEXT(image_id), DB_INT(store_now_ns())), err);
}

/* A name moves to the image it is given to; re-giving it changes nothing. */
#define SET_IMAGE_NAME \
	"INSERT INTO image_names (name, image_id, added) VALUES (?1, ?2, ?3)" \
	" ON CONFLICT (name) DO UPDATE SET image_id = excluded.image_id, added = excluded.added" \
	" WHERE image_id <> excluded.image_id"
#define SET_IMAGE_DIGEST \
	"INSERT INTO image_digests (name, image_id, added) VALUES (?1, ?2, ?3)" \
	" ON CONFLICT (name) DO UPDATE SET image_id = excluded.image_id, added = excluded.added" \
	" WHERE image_id <> excluded.image_id"

/* Record one layer, or check that the one already recorded under this
 * chain id sits on the same stack. */
static int layer_add(struct store *s, const struct store_layer *l, const char *parent, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int r;

	if (!l->chain_id || !l->diff_id)
		return robbe_error_set(err, 0, "internal error: a layer needs a chain id and a diff id");
	r = db_run(s,
		   "INSERT OR IGNORE INTO layers (chain_id, diff_id, parent, blob_digest, compressed_size, size)"
		   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		   DB_ARGS(DB_TEXT(l->chain_id), DB_TEXT(l->diff_id), DB_TEXT(parent), DB_TEXT(l->blob_digest),
			   DB_INT(l->compressed_size), DB_INT(l->size)),
		   err);
	if (r != 0)
		return r < 0 ? -1 : 0;

	if (db_query(s, &st, "SELECT diff_id = ?2 AND parent IS ?3 FROM layers WHERE chain_id = ?1",
		     DB_ARGS(DB_TEXT(l->chain_id), DB_TEXT(l->diff_id), DB_TEXT(parent)), err) < 0 ||
	    (r = db_step(s, st, err)) < 0)
		return -1;
	if (r == 0 || !sqlite3_column_int(st, 0))
		return robbe_error_set(err, 0, "layer %s is already recorded with another content or parent",
				       l->chain_id);
	/* Learn the compressed digest of a layer first known without one. */
	if (l->blob_digest &&
	    db_run(s,
		   "UPDATE layers SET blob_digest = ?2, compressed_size = ?3 WHERE chain_id = ?1 AND blob_digest IS NULL",
		   DB_ARGS(DB_TEXT(l->chain_id), DB_TEXT(l->blob_digest), DB_INT(l->compressed_size)), err) < 0)
		return -1;
	return 0;
}

static int image_add_tx(struct store *s, const struct store_image *img, bool *created, robbe_error **err)
{
	const struct store_layer_list *ls = &img->layers;
	bool found;

	if (row_exists(s, "SELECT count(*) FROM images WHERE id = ?1", img->id, &found, err) < 0)
		return -1;
	*created = !found;
	if (found) {
		if (db_run(s,
			   "UPDATE images SET digest = coalesce(digest, ?2), manifest = coalesce(manifest, ?3)"
			   " WHERE id = ?1",
			   DB_ARGS(DB_TEXT(img->id), DB_TEXT(img->digest), DB_TEXT(img->manifest_json)), err) < 0)
			return -1;
	} else {
		for (size_t i = 0; i < ls->n; i++)
			if (layer_add(s, &ls->v[i], i ? ls->v[i - 1].chain_id : NULL, err) < 0)
				return -1;
		if (db_run(s,
			   "INSERT INTO images (id, digest, created, added, size, top_layer, config, manifest)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			   DB_ARGS(DB_TEXT(img->id), DB_TEXT(img->digest), DB_INT(img->created),
				   DB_INT(store_now_ns()), DB_INT(img->size),
				   DB_TEXT(ls->n ? ls->v[ls->n - 1].chain_id : NULL), DB_TEXT(img->config_json),
				   DB_TEXT(img->manifest_json)),
			   err) < 0)
			return -1;
		for (size_t i = 0; i < ls->n; i++)
			if (db_run(s, "INSERT INTO image_layers (image_id, position, chain_id) VALUES (?1, ?2, ?3)",
				   DB_ARGS(DB_TEXT(img->id), DB_INT(i), DB_TEXT(ls->v[i].chain_id)), err) < 0)
				return -1;
	}
	for (size_t i = 0; img->names && img->names[i]; i++)
		if (set_name(s, SET_IMAGE_NAME, img->names[i], img->id, err) < 0)
			return -1;
	for (size_t i = 0; img->digests && img->digests[i]; i++)
		if (set_name(s, SET_IMAGE_DIGEST, img->digests[i], img->id, err) < 0)
			return -1;
	return 0;
}

int store_image_add(struct store *s, const struct store_image *img, bool *created, robbe_error **err)
{
	bool is_new = false;

	if (!img->id || !*img->id || !img->config_json)
		return robbe_error_set(err, 0, "internal error: an image needs an id and a config");
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (image_add_tx(s, img, &is_new, err) < 0) {
		store_tx_rollback(s);
		return robbe_error_wrap(err, "adding image %s", img->id);
	}
	if (store_tx_commit(s, err) < 0)
		return -1;
	if (created)
		*created = is_new;
	return 0;
}

static int tag_tx(struct store *s, const char *image_id, const char *name, robbe_error **err)
{
	bool found;

	if (row_exists(s, "SELECT count(*) FROM images WHERE id = ?1", image_id, &found, err) < 0)
		return -1;
	if (!found)
		return not_found(image_id, err);
	return set_name(s, SET_IMAGE_NAME, name, image_id, err);
}

int store_image_tag(struct store *s, const char *image_id, const char *name, robbe_error **err)
{
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (tag_tx(s, image_id, name, err) < 0) {
		store_tx_rollback(s);
		return -1;
	}
	return store_tx_commit(s, err);
}

static int untag_tx(struct store *s, const char *name, char **image_id, robbe_error **err)
{
	int r;

	if ((r = image_id_by_name(s, name, image_id, err)) < 0)
		return -1;
	if (r == 0)
		return store_fail(err, STORE_ENOTFOUND, "no such image name: %s", name);
	if (db_run(s, "DELETE FROM image_names WHERE name = ?1", DB_ARGS(DB_TEXT(name)), err) < 0 ||
	    db_run(s, "DELETE FROM image_digests WHERE name = ?1", DB_ARGS(DB_TEXT(name)), err) < 0)
		return -1;
	return 0;
}

int store_image_untag(struct store *s, const char *name, char **image_id, robbe_error **err)
{
	cleanup_free char *id = NULL;

	if (store_tx_begin(s, err) < 0)
		return -1;
	if (untag_tx(s, name, &id, err) < 0) {
		store_tx_rollback(s);
		return -1;
	}
	if (store_tx_commit(s, err) < 0)
		return -1;
	if (image_id)
		*image_id = steal_pointer(&id);
	return 0;
}

/* Delete the image, then each of its layers, top down, that no image uses
 * any more (top down so a layer goes before the parent it points at). */
static int remove_tx(struct store *s, const char *image_id, struct store_layer_list *removed, robbe_error **err)
{
	cleanup_strv char **users = NULL, **chain = NULL;
	bool found;

	if (row_exists(s, "SELECT count(*) FROM images WHERE id = ?1", image_id, &found, err) < 0)
		return -1;
	if (!found)
		return not_found(image_id, err);
	if (db_strv(s, "SELECT id FROM containers WHERE image_id = ?1 LIMIT 1", DB_ARGS(DB_TEXT(image_id)), &users,
		    err) < 0)
		return -1;
	if (users)
		return store_fail(err, STORE_EINUSE, "image %s is used by container %s", image_id, users[0]);
	if (db_strv(s, "SELECT chain_id FROM image_layers WHERE image_id = ?1 ORDER BY position DESC",
		    DB_ARGS(DB_TEXT(image_id)), &chain, err) < 0)
		return -1;
	if (db_run(s, "DELETE FROM images WHERE id = ?1", DB_ARGS(DB_TEXT(image_id)), err) < 0)
		return -1;

	for (size_t i = 0; chain && chain[i]; i++) {
		int64_t refs;
		if (db_int(s,
			   "SELECT (SELECT count(*) FROM image_layers WHERE chain_id = ?1)"
			   " + (SELECT count(*) FROM layers WHERE parent = ?1)",
			   DB_ARGS(DB_TEXT(chain[i])), &refs, err) < 0)
			return -1;
		if (refs > 0)
			continue;
		if (removed && layers_query(s, "SELECT " LAYER_COLUMNS " FROM layers l WHERE l.chain_id = ?1",
					    DB_ARGS(DB_TEXT(chain[i])), removed, err) < 0)
			return -1;
		if (db_run(s, "DELETE FROM layers WHERE chain_id = ?1", DB_ARGS(DB_TEXT(chain[i])), err) < 0)
			return -1;
	}
	return 0;
}

int store_image_remove(struct store *s, const char *image_id, struct store_layer_list *removed,
		       robbe_error **err)
{
	struct store_layer_list gone = { 0 };

	if (removed)
		memset(removed, 0, sizeof(*removed));
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (remove_tx(s, image_id, &gone, err) < 0) {
		store_tx_rollback(s);
		store_layer_list_release(&gone);
		return -1;
	}
	if (store_tx_commit(s, err) < 0) {
		store_layer_list_release(&gone);
		return -1;
	}
	if (removed)
		*removed = gone;
	else
		store_layer_list_release(&gone);
	return 0;
}
