/* volumes.c: named and anonymous volumes, and who uses them. */
#include "config.h"

#include <string.h>

#include "store-internal.h"

void store_volume_free(struct store_volume *v)
{
	if (!v)
		return;
	free(v->name);
	free(v->driver);
	free(v->mountpoint);
	free(v->labels_json);
	free(v->options_json);
	free(v->json);
	free(v);
}

void store_volume_list_free(struct store_volume **v)
{
	for (size_t i = 0; v && v[i]; i++)
		store_volume_free(v[i]);
	free(v);
}

#define VOLUME_COLUMNS \
	"SELECT name, driver, mountpoint, created, anonymous, labels, options, json FROM volumes"

static struct store_volume *volume_from_row(sqlite3_stmt *st)
{
	struct store_volume *v = xcalloc(1, sizeof(*v));

	v->name = db_col_str(st, 0);
	v->driver = db_col_str(st, 1);
	v->mountpoint = db_col_str(st, 2);
	v->created = sqlite3_column_int64(st, 3);
	v->anonymous = sqlite3_column_int(st, 4) != 0;
	v->labels_json = db_col_str(st, 5);
	v->options_json = db_col_str(st, 6);
	v->json = db_col_str(st, 7);
	return v;
}

static int volume_add_tx(struct store *s, const struct store_volume *v, robbe_error **err)
{
	int64_t n;

	if (db_int(s, "SELECT count(*) FROM volumes WHERE name = ?1", DB_ARGS(DB_TEXT(v->name)), &n, err) < 0)
		return -1;
	if (n > 0)
		return store_fail(err, STORE_ECONFLICT, "volume name \"%s\" is already in use", v->name);
	return db_run(s,
		      "INSERT INTO volumes (name, driver, mountpoint, created, anonymous, labels, options, json)"
		      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		      DB_ARGS(DB_TEXT(v->name), DB_TEXT(v->driver ? v->driver : "local"), DB_TEXT(v->mountpoint),
			      DB_INT(v->created ? v->created : store_now_ns()), DB_INT(v->anonymous),
			      DB_TEXT(v->labels_json ? v->labels_json : "{}"),
			      DB_TEXT(v->options_json ? v->options_json : "{}"), DB_TEXT(v->json ? v->json : "{}")),
		      err);
}

int store_volume_add(struct store *s, const struct store_volume *v, robbe_error **err)
{
	if (!v->name || !*v->name || !v->mountpoint)
		return robbe_error_set(err, 0, "internal error: a volume needs a name and a mountpoint");
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (volume_add_tx(s, v, err) < 0) {
		store_tx_rollback(s);
		return robbe_error_wrap(err, "adding volume %s", v->name);
	}
	return store_tx_commit(s, err);
}

int store_volume_get(struct store *s, const char *name, struct store_volume **out, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int r;

	*out = NULL;
	if (db_query(s, &st, VOLUME_COLUMNS " WHERE name = ?1", DB_ARGS(DB_TEXT(name)), err) < 0)
		return -1;
	if ((r = db_step(s, st, err)) < 0)
		return -1;
	if (r == 0)
		return store_fail(err, STORE_ENOTFOUND, "no such volume: %s", name);
	*out = volume_from_row(st);
	return 0;
}

int store_volume_list(struct store *s, struct store_volume ***out, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	cleanup_store_volume_list struct store_volume **v = xcalloc(1, sizeof(*v));
	size_t n = 0;
	int r;

	*out = NULL;
	if (db_query(s, &st, VOLUME_COLUMNS " ORDER BY name", DB_NOARGS, err) < 0)
		return -1;
	while ((r = db_step(s, st, err)) > 0) {
		v = xrealloc(v, (n + 2) * sizeof(*v));
		v[n++] = volume_from_row(st);
		v[n] = NULL;
	}
	if (r < 0)
		return -1;
	*out = steal_pointer(&v);
	return 0;
}

int store_volume_users(struct store *s, const char *name, char ***container_ids, robbe_error **err)
{
	return db_strv(s, "SELECT container_id FROM container_volumes WHERE volume_name = ?1 ORDER BY container_id",
		       DB_ARGS(DB_TEXT(name)), container_ids, err);
}

static int volume_remove_tx(struct store *s, const char *name, robbe_error **err)
{
	cleanup_strv char **users = NULL;
	int r;

	if (db_strv(s, "SELECT container_id FROM container_volumes WHERE volume_name = ?1 LIMIT 1",
		    DB_ARGS(DB_TEXT(name)), &users, err) < 0)
		return -1;
	if (users)
		return store_fail(err, STORE_EINUSE, "volume %s is in use by container %s", name, users[0]);
	if ((r = db_run(s, "DELETE FROM volumes WHERE name = ?1", DB_ARGS(DB_TEXT(name)), err)) < 0)
		return -1;
	if (r == 0)
		return store_fail(err, STORE_ENOTFOUND, "no such volume: %s", name);
	return 0;
}

int store_volume_remove(struct store *s, const char *name, robbe_error **err)
{
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (volume_remove_tx(s, name, err) < 0) {
		store_tx_rollback(s);
		return -1;
	}
	return store_tx_commit(s, err);
}
