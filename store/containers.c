/* containers.c: container records, their state, and exit codes. */
#include "config.h"

#include <string.h>

#include "store-internal.h"

static const char *const state_names[] = {
	[STORE_STATE_UNKNOWN] = "unknown",
	[STORE_STATE_CREATED] = "created",
	[STORE_STATE_RUNNING] = "running",
	[STORE_STATE_PAUSED] = "paused",
	[STORE_STATE_RESTARTING] = "restarting",
	[STORE_STATE_EXITED] = "exited",
	[STORE_STATE_DEAD] = "dead",
	[STORE_STATE_REMOVING] = "removing",
};

const char *store_state_name(enum store_state st)
{
	if ((unsigned) st < ARRAY_SIZE(state_names) && state_names[st])
		return state_names[st];
	return "unknown";
}

void store_container_free(struct store_container *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->name);
	free(c->pod_id);
	free(c->image_id);
	free(c->config_json);
	strv_free(c->volumes);
	strv_free(c->depends_on);
	free(c->state_json);
	free(c);
}

void store_container_list_free(struct store_container **v)
{
	for (size_t i = 0; v && v[i]; i++)
		store_container_free(v[i]);
	free(v);
}

/* ---- reading ------------------------------------------------------------ */

#define CONTAINER_COLUMNS \
	"SELECT c.id, c.name, c.pod_id, c.image_id, c.created, c.config," \
	" st.state, st.exit_code, st.pid, st.conmon_pid, st.started_at, st.finished_at," \
	" st.restart_count, st.json" \
	" FROM containers c JOIN container_state st ON st.id = c.id"

static int container_from_row(struct store *s, sqlite3_stmt *st, struct store_container **out, robbe_error **err)
{
	cleanup_store_container struct store_container *c = xcalloc(1, sizeof(*c));

	c->id = db_col_str(st, 0);
	c->name = db_col_str(st, 1);
	c->pod_id = db_col_str(st, 2);
	c->image_id = db_col_str(st, 3);
	c->created = sqlite3_column_int64(st, 4);
	c->config_json = db_col_str(st, 5);
	c->state = (enum store_state) sqlite3_column_int(st, 6);
	c->exit_code = sqlite3_column_int(st, 7);
	c->pid = (pid_t) sqlite3_column_int(st, 8);
	c->conmon_pid = (pid_t) sqlite3_column_int(st, 9);
	c->started_at = sqlite3_column_int64(st, 10);
	c->finished_at = sqlite3_column_int64(st, 11);
	c->restart_count = sqlite3_column_int(st, 12);
	c->state_json = db_col_str(st, 13);

	if (db_strv(s, "SELECT volume_name FROM container_volumes WHERE container_id = ?1 ORDER BY volume_name",
		    DB_ARGS(DB_TEXT(c->id)), &c->volumes, err) < 0 ||
	    db_strv(s, "SELECT dependency_id FROM container_dependencies WHERE id = ?1 ORDER BY dependency_id",
		    DB_ARGS(DB_TEXT(c->id)), &c->depends_on, err) < 0)
		return -1;
	*out = steal_pointer(&c);
	return 0;
}

/* Run a query over CONTAINER_COLUMNS expecting at most one row: 1 found,
 * 0 not found. */
static int container_query_one(struct store *s, const char *sql, const struct db_arg *args, size_t nargs,
			       struct store_container **out, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int r;

	*out = NULL;
	if (db_query(s, &st, sql, args, nargs, err) < 0)
		return -1;
	if ((r = db_step(s, st, err)) <= 0)
		return r;
	if (container_from_row(s, st, out, err) < 0)
		return -1;
	return 1;
}

int store_container_get(struct store *s, const char *id, struct store_container **out, robbe_error **err)
{
	int r = container_query_one(s, CONTAINER_COLUMNS " WHERE c.id = ?1", DB_ARGS(DB_TEXT(id)), out, err);

	if (r == 0)
		return store_fail(err, STORE_ENOTFOUND, "no such container: %s", id);
	return r < 0 ? -1 : 0;
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

int store_container_lookup(struct store *s, const char *ref, struct store_container **out, robbe_error **err)
{
	cleanup_strv char **ids = NULL;
	cleanup_free char *pattern = NULL;
	const char *name = ref[0] == '/' ? ref + 1 : ref;
	int r;

	r = container_query_one(s, CONTAINER_COLUMNS " WHERE c.id = ?1", DB_ARGS(DB_TEXT(ref)), out, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	r = container_query_one(s, CONTAINER_COLUMNS " WHERE c.name = ?1", DB_ARGS(DB_TEXT(name)), out, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (!is_hex(ref))
		return store_fail(err, STORE_ENOTFOUND, "no such container: %s", ref);

	/* Only hex digits, so nothing in the pattern is a GLOB wildcard. */
	pattern = xasprintf("%s*", ref);
	if (db_strv(s, "SELECT id FROM containers WHERE id GLOB ?1 LIMIT 2", DB_ARGS(DB_TEXT(pattern)), &ids,
		    err) < 0)
		return -1;
	if (strv_len(ids) > 1)
		return store_fail(err, STORE_EAMBIGUOUS, "container id prefix \"%s\" matches more than one container",
				  ref);
	if (strv_len(ids) == 0)
		return store_fail(err, STORE_ENOTFOUND, "no such container: %s", ref);
	return store_container_get(s, ids[0], out, err);
}

int store_container_list(struct store *s, struct store_container ***out, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	cleanup_store_container_list struct store_container **v = xcalloc(1, sizeof(*v));
	size_t n = 0;
	int r;

	*out = NULL;
	if (db_query(s, &st, CONTAINER_COLUMNS " ORDER BY c.created DESC, c.rowid DESC", DB_NOARGS, err) < 0)
		return -1;
	while ((r = db_step(s, st, err)) > 0) {
		v = xrealloc(v, (n + 2) * sizeof(*v));
		v[n + 1] = NULL;
		if (container_from_row(s, st, &v[n], err) < 0)
			return -1;
		n++;
	}
	if (r < 0)
		return -1;
	*out = steal_pointer(&v);
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

/* Who holds a container name, if anyone: 1 and *holder set, or 0. */
static int name_holder(struct store *s, const char *name, char **holder, robbe_error **err)
{
	cleanup_strv char **ids = NULL;

	*holder = NULL;
	if (db_strv(s, "SELECT id FROM containers WHERE name = ?1", DB_ARGS(DB_TEXT(name)), &ids, err) < 0)
		return -1;
	if (!ids)
		return 0;
	*holder = xstrdup(ids[0]);
	return 1;
}

static int name_taken(const char *name, const char *holder, robbe_error **err)
{
	return store_fail(err, STORE_ECONFLICT, "container name \"%s\" is already in use by container \"%s\"",
			  name, holder);
}

static int exists(struct store *s, const char *sql, const char *key, bool *found, robbe_error **err)
{
	int64_t n;

	if (db_int(s, sql, DB_ARGS(DB_TEXT(key)), &n, err) < 0)
		return -1;
	*found = n > 0;
	return 0;
}

static int container_add_tx(struct store *s, const struct store_container *c, robbe_error **err)
{
	cleanup_free char *holder = NULL;
	bool found;
	int r;

	if ((r = name_holder(s, c->name, &holder, err)) != 0)
		return r < 0 ? -1 : name_taken(c->name, holder, err);
	if (exists(s, "SELECT count(*) FROM id_namespace WHERE id = ?1", c->id, &found, err) < 0)
		return -1;
	if (found)
		return store_fail(err, STORE_ECONFLICT, "id \"%s\" is already in use", c->id);
	if (c->pod_id) {
		if (exists(s, "SELECT count(*) FROM pods WHERE id = ?1", c->pod_id, &found, err) < 0)
			return -1;
		if (!found)
			return store_fail(err, STORE_ENOTFOUND, "no such pod: %s", c->pod_id);
	}

	if (db_run(s, "INSERT INTO id_namespace (id) VALUES (?1)", DB_ARGS(DB_TEXT(c->id)), err) < 0 ||
	    db_run(s,
		   "INSERT INTO containers (id, name, pod_id, image_id, created, config)"
		   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		   DB_ARGS(DB_TEXT(c->id), DB_TEXT(c->name), DB_TEXT(c->pod_id), DB_TEXT(c->image_id),
			   DB_INT(c->created ? c->created : store_now_ns()), DB_TEXT(c->config_json)),
		   err) < 0 ||
	    db_run(s,
		   "INSERT INTO container_state (id, state, exit_code, pid, conmon_pid, started_at,"
		   " finished_at, restart_count, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		   DB_ARGS(DB_TEXT(c->id), DB_INT(c->state ? c->state : STORE_STATE_CREATED),
			   DB_INT(c->exit_code), DB_INT(c->pid), DB_INT(c->conmon_pid), DB_INT(c->started_at),
			   DB_INT(c->finished_at), DB_INT(c->restart_count),
			   DB_TEXT(c->state_json ? c->state_json : "{}")),
		   err) < 0)
		return -1;

	for (size_t i = 0; c->volumes && c->volumes[i]; i++) {
		if (exists(s, "SELECT count(*) FROM volumes WHERE name = ?1", c->volumes[i], &found, err) < 0)
			return -1;
		if (!found)
			return store_fail(err, STORE_ENOTFOUND, "no such volume: %s", c->volumes[i]);
		if (db_run(s, "INSERT OR IGNORE INTO container_volumes (container_id, volume_name) VALUES (?1, ?2)",
			   DB_ARGS(DB_TEXT(c->id), DB_TEXT(c->volumes[i])), err) < 0)
			return -1;
	}
	for (size_t i = 0; c->depends_on && c->depends_on[i]; i++) {
		if (exists(s, "SELECT count(*) FROM containers WHERE id = ?1", c->depends_on[i], &found, err) < 0)
			return -1;
		if (!found)
			return store_fail(err, STORE_ENOTFOUND, "no such container: %s", c->depends_on[i]);
		if (db_run(s,
			   "INSERT OR IGNORE INTO container_dependencies (id, dependency_id) VALUES (?1, ?2)",
			   DB_ARGS(DB_TEXT(c->id), DB_TEXT(c->depends_on[i])), err) < 0)
			return -1;
	}
	return 0;
}

int store_container_add(struct store *s, const struct store_container *c, robbe_error **err)
{
	if (!c->id || !*c->id || !c->name || !*c->name || !c->config_json)
		return robbe_error_set(err, 0, "internal error: a container needs an id, a name and a config");
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (container_add_tx(s, c, err) < 0) {
		store_tx_rollback(s);
		return robbe_error_wrap(err, "adding container %s", c->id);
	}
	return store_tx_commit(s, err);
}

int store_container_update_state(struct store *s, const struct store_container *c, robbe_error **err)
{
	int r = db_write(s,
			 "UPDATE container_state SET state = ?2, exit_code = ?3, pid = ?4, conmon_pid = ?5,"
			 " started_at = ?6, finished_at = ?7, restart_count = ?8, json = ?9 WHERE id = ?1",
			 DB_ARGS(DB_TEXT(c->id), DB_INT(c->state), DB_INT(c->exit_code), DB_INT(c->pid),
				 DB_INT(c->conmon_pid), DB_INT(c->started_at), DB_INT(c->finished_at),
				 DB_INT(c->restart_count), DB_TEXT(c->state_json ? c->state_json : "{}")),
			 err);
	if (r == 0)
		return store_fail(err, STORE_ENOTFOUND, "no such container: %s", c->id);
	return r < 0 ? -1 : 0;
}

int store_container_set_config(struct store *s, const char *id, const char *config_json, robbe_error **err)
{
	int r = db_write(s, "UPDATE containers SET config = ?2 WHERE id = ?1",
			 DB_ARGS(DB_TEXT(id), DB_TEXT(config_json)), err);
	if (r == 0)
		return store_fail(err, STORE_ENOTFOUND, "no such container: %s", id);
	return r < 0 ? -1 : 0;
}

static int rename_tx(struct store *s, const char *id, const char *new_name, robbe_error **err)
{
	cleanup_free char *holder = NULL;
	bool found;
	int r;

	if (exists(s, "SELECT count(*) FROM containers WHERE id = ?1", id, &found, err) < 0)
		return -1;
	if (!found)
		return store_fail(err, STORE_ENOTFOUND, "no such container: %s", id);
	if ((r = name_holder(s, new_name, &holder, err)) < 0)
		return -1;
	if (r > 0 && strcmp(holder, id) != 0)
		return name_taken(new_name, holder, err);
	return db_run(s, "UPDATE containers SET name = ?2 WHERE id = ?1", DB_ARGS(DB_TEXT(id), DB_TEXT(new_name)),
		      err);
}

int store_container_rename(struct store *s, const char *id, const char *new_name, robbe_error **err)
{
	if (!new_name || !*new_name)
		return robbe_error_set(err, 0, "internal error: empty container name");
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (rename_tx(s, id, new_name, err) < 0) {
		store_tx_rollback(s);
		return -1;
	}
	return store_tx_commit(s, err);
}

static int remove_tx(struct store *s, const char *id, robbe_error **err)
{
	cleanup_strv char **users = NULL;
	bool found;

	if (exists(s, "SELECT count(*) FROM containers WHERE id = ?1", id, &found, err) < 0)
		return -1;
	if (!found)
		return store_fail(err, STORE_ENOTFOUND, "no such container: %s", id);
	if (db_strv(s, "SELECT id FROM container_dependencies WHERE dependency_id = ?1 LIMIT 1",
		    DB_ARGS(DB_TEXT(id)), &users, err) < 0)
		return -1;
	if (users)
		return store_fail(err, STORE_EINUSE, "container %s is used by container %s", id, users[0]);
	if (db_strv(s, "SELECT id FROM pods WHERE infra_id = ?1", DB_ARGS(DB_TEXT(id)), &users, err) < 0)
		return -1;
	if (users)
		return store_fail(err, STORE_EINUSE, "container %s is the infra container of pod %s", id, users[0]);
	if (db_run(s, "DELETE FROM containers WHERE id = ?1", DB_ARGS(DB_TEXT(id)), err) < 0 ||
	    db_run(s, "DELETE FROM id_namespace WHERE id = ?1", DB_ARGS(DB_TEXT(id)), err) < 0)
		return -1;
	return 0;
}

int store_container_remove(struct store *s, const char *id, robbe_error **err)
{
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (remove_tx(s, id, err) < 0) {
		store_tx_rollback(s);
		return -1;
	}
	return store_tx_commit(s, err);
}

int store_container_remove_exited(struct store *s, const char *id, int exit_code, robbe_error **err)
{
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (db_run(s, "INSERT OR REPLACE INTO exit_codes (id, timestamp, exit_code) VALUES (?1, ?2, ?3)",
		   DB_ARGS(DB_TEXT(id), DB_INT(store_now_ns()), DB_INT(exit_code)), err) < 0 ||
	    remove_tx(s, id, err) < 0) {
		store_tx_rollback(s);
		return -1;
	}
	return store_tx_commit(s, err);
}

/* ---- exit codes --------------------------------------------------------- */

int store_exit_code_record(struct store *s, const char *id, int exit_code, robbe_error **err)
{
	return db_write(s, "INSERT OR REPLACE INTO exit_codes (id, timestamp, exit_code) VALUES (?1, ?2, ?3)",
			DB_ARGS(DB_TEXT(id), DB_INT(store_now_ns()), DB_INT(exit_code)), err) < 0 ? -1 : 0;
}

int store_exit_code_get(struct store *s, const char *id, int *exit_code, int64_t *timestamp, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int r;

	if (db_query(s, &st, "SELECT exit_code, timestamp FROM exit_codes WHERE id = ?1", DB_ARGS(DB_TEXT(id)),
		     err) < 0)
		return -1;
	if ((r = db_step(s, st, err)) < 0)
		return -1;
	if (r == 0)
		return store_fail(err, STORE_ENOTFOUND, "no exit code recorded for container %s", id);
	*exit_code = sqlite3_column_int(st, 0);
	if (timestamp)
		*timestamp = sqlite3_column_int64(st, 1);
	return 0;
}

int store_exit_code_prune(struct store *s, int64_t max_age_ns, robbe_error **err)
{
	return db_write(s, "DELETE FROM exit_codes WHERE timestamp < ?1",
			DB_ARGS(DB_INT(store_now_ns() - max_age_ns)), err) < 0 ? -1 : 0;
}
