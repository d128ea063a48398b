/* db.c: opening the state database, statements, transactions, reboot
 * detection.
 *
 * Journal mode: sqlite's default rollback journal, deliberately not WAL.
 * robbe is many short-lived processes hammering one file, and WAL's locking
 * fits that badly: in WAL mode some lock waits (while another process recovers
 * the WAL after a crash, or while the last connection to close cleans up the
 * WAL and -shm files, which with one process per command happens all the
 * time) return SQLITE_BUSY at once instead of going through the busy
 * handler, so a command fails with "database is locked" although waiting
 * would have worked.  Podman ran into exactly this and went back to the
 * rollback journal.  With the rollback journal every wait goes through the
 * busy handler, and together with BEGIN IMMEDIATE for every write and a long
 * busy timeout, writers queue instead of failing.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#include "store-internal.h"

/* Long enough for a queue of robbe processes each doing a few fsyncs. */
#define BUSY_TIMEOUT_MS 100000

void (*store_test_before_commit)(void);

int64_t store_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- statements --------------------------------------------------------- */

int db_error(struct store *s, const char *what, robbe_error **err)
{
	int code = sqlite3_extended_errcode(s->db);
	return robbe_error_set(err, 0, "%s: %s (sqlite error %d)", what, sqlite3_errmsg(s->db), code);
}

static int db_bind(struct store *s, sqlite3_stmt *st, const struct db_arg *args, size_t nargs, robbe_error **err)
{
	for (size_t i = 0; i < nargs; i++) {
		int col = (int) i + 1, rc;

		if (args[i].type == 'i')
			rc = sqlite3_bind_int64(st, col, args[i].num);
		else if (args[i].text)
			rc = sqlite3_bind_text(st, col, args[i].text, -1, SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_null(st, col);
		if (rc != SQLITE_OK)
			return db_error(s, "binding a parameter", err);
	}
	return 0;
}

int db_query(struct store *s, sqlite3_stmt **st, const char *sql, const struct db_arg *args, size_t nargs,
	     robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return db_error(s, "preparing a statement", err);
	if (db_bind(s, stmt, args, nargs, err) < 0)
		return -1;
	*st = steal_pointer(&stmt);
	return 0;
}

int db_step(struct store *s, sqlite3_stmt *st, robbe_error **err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_error(s, "running a statement", err);
}

int db_run(struct store *s, const char *sql, const struct db_arg *args, size_t nargs, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int r;

	if (db_query(s, &st, sql, args, nargs, err) < 0)
		return -1;
	while ((r = db_step(s, st, err)) > 0)
		;
	if (r < 0)
		return -1;
	return sqlite3_changes(s->db);
}

int db_int(struct store *s, const char *sql, const struct db_arg *args, size_t nargs, int64_t *out,
	   robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int r;

	*out = 0;
	if (db_query(s, &st, sql, args, nargs, err) < 0)
		return -1;
	r = db_step(s, st, err);
	if (r < 0)
		return -1;
	if (r > 0)
		*out = sqlite3_column_int64(st, 0);
	return 0;
}

int db_strv(struct store *s, const char *sql, const struct db_arg *args, size_t nargs, char ***out,
	    robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	cleanup_strv char **v = NULL;
	int r;

	*out = NULL;
	if (db_query(s, &st, sql, args, nargs, err) < 0)
		return -1;
	while ((r = db_step(s, st, err)) > 0) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		strv_push(&v, t ? (const char *) t : "");
	}
	if (r < 0)
		return -1;
	*out = steal_pointer(&v);
	return 0;
}

int db_write(struct store *s, const char *sql, const struct db_arg *args, size_t nargs, robbe_error **err)
{
	int changes;

	if (store_tx_begin(s, err) < 0)
		return -1;
	if ((changes = db_run(s, sql, args, nargs, err)) < 0) {
		store_tx_rollback(s);
		return -1;
	}
	if (store_tx_commit(s, err) < 0)
		return -1;
	return changes;
}

int store_fail(robbe_error **err, int code, const char *fmt, ...)
{
	bool pending = err && *err;
	va_list ap;

	va_start(ap, fmt);
	cleanup_free char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	robbe_error_set(err, 0, "%s", msg);
	if (err && *err && !pending)
		(*err)->errnum = code;
	return -1;
}

char *db_col_str(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? xstrdup((const char *) t) : NULL;
}

/* ---- transactions ------------------------------------------------------- */

int store_tx_begin(struct store *s, robbe_error **err)
{
	if (s->in_tx)
		return robbe_error_set(err, 0, "internal error: nested store transaction");
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, "starting a transaction", err);
	s->in_tx = true;
	return 0;
}

int store_tx_commit(struct store *s, robbe_error **err)
{
	if (store_test_before_commit)
		store_test_before_commit();
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_error(s, "committing a transaction", err);
		store_tx_rollback(s);
		return -1;
	}
	s->in_tx = false;
	return 0;
}

void store_tx_rollback(struct store *s)
{
	/* Some errors already end the transaction; ROLLBACK then fails with
	 * "no transaction is active", which is fine. */
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
}

/* ---- opening ------------------------------------------------------------ */

static int busy_timeout_ms(robbe_error **err)
{
	const char *env = getenv("ROBBE_SQLITE_BUSY_TIMEOUT_MS");
	char *end;
	long v;

	if (!env || !*env)
		return BUSY_TIMEOUT_MS;
	errno = 0;
	v = strtol(env, &end, 10);
	if (errno || *end || v < 0 || v > INT_MAX)
		return robbe_error_set(err, EXIT_ENGINE, "invalid ROBBE_SQLITE_BUSY_TIMEOUT_MS \"%s\"", env);
	return (int) v;
}

static char *resolved(const char *path)
{
	char *r = realpath(path, NULL);
	return r ? r : xstrdup(path);
}

/* The database records the directories it was made for.  Opening it with
 * another runroot would hide the conmon sockets and pid files of running
 * containers; opening a copied root would point at layers that are not
 * there.  Refuse, and say what was expected. */
static int check_dirs(struct store *s, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	cleanup_free char *root = NULL, *runroot = NULL;
	int r;

	if (db_query(s, &st, "SELECT root, runroot FROM meta WHERE id = 1", DB_NOARGS, err) < 0)
		return -1;
	if ((r = db_step(s, st, err)) < 0)
		return -1;
	if (r == 0)
		return robbe_error_set(err, 0, "it has no meta record");
	root = db_col_str(st, 0);
	runroot = db_col_str(st, 1);
	if (!root || strcmp(root, s->root) != 0)
		return robbe_error_set(err, EXIT_ENGINE,
				       "it was created for root \"%s\", not \"%s\" (was it moved or copied?)",
				       root ? root : "", s->root);
	if (!runroot || strcmp(runroot, s->runroot) != 0)
		return robbe_error_set(err, EXIT_ENGINE,
				       "it was created with runroot \"%s\", not \"%s\": "
				       "pass --runroot \"%s\", or use another --root",
				       runroot ? runroot : "", s->runroot, runroot ? runroot : "");
	return 0;
}

static int read_boot_id(char **out, robbe_error **err)
{
	char *id = NULL;

	if (read_file_all("/proc/sys/kernel/random/boot_id", 128, &id, NULL, err) < 0)
		return robbe_error_wrap(err, "reading the boot id");
	id[strcspn(id, "\n")] = '\0';
	*out = id;
	return 0;
}

static bool alive_matches(const char *alive_path, const char *boot_id)
{
	cleanup_free char *got = NULL;
	cleanup_error robbe_error *ignored = NULL;

	if (read_file_all(alive_path, 128, &got, NULL, &ignored) < 0)
		return false;
	got[strcspn(got, "\n")] = '\0';
	return strcmp(got, boot_id) == 0;
}

/* After a reboot the database still says "running" for containers whose
 * processes died with the machine.  The runroot is on a tmpfs, so a missing
 * <runroot>/alive, or one holding another boot id, means this is the first
 * robbe since boot: every running, paused or restarting container is marked
 * exited (255, as Docker shows a container a reboot killed) with its pids
 * cleared, before anyone reads state and acts on stale pids (which may by now
 * belong to unrelated processes).
 *
 * The file is re-read under the write lock so that of several robbe
 * processes starting at once only one does the reset.  It is written after
 * COMMIT: a crash in between only means the next robbe resets again, which
 * is harmless, because nobody can have started a container before some robbe
 * has written the file. */
static int check_reboot(struct store *s, robbe_error **err)
{
	cleanup_free char *boot_id = NULL, *alive = NULL, *content = NULL;

	if (read_boot_id(&boot_id, err) < 0)
		return -1;
	alive = xasprintf("%s/alive", s->runroot);
	if (alive_matches(alive, boot_id))
		return 0;

	if (store_tx_begin(s, err) < 0)
		return -1;
	if (alive_matches(alive, boot_id)) {
		store_tx_rollback(s);
		return 0;
	}
	if (db_run(s,
		   "UPDATE container_state SET state = ?1, exit_code = 255, pid = 0, conmon_pid = 0,"
		   " finished_at = CASE WHEN finished_at >= started_at AND finished_at > 0"
		   "                    THEN finished_at ELSE ?2 END"
		   " WHERE state IN (?3, ?4, ?5)",
		   DB_ARGS(DB_INT(STORE_STATE_EXITED), DB_INT(store_now_ns()), DB_INT(STORE_STATE_RUNNING),
			   DB_INT(STORE_STATE_PAUSED), DB_INT(STORE_STATE_RESTARTING)),
		   err) < 0 ||
	    db_run(s, "DELETE FROM exit_codes", DB_NOARGS, err) < 0) {
		store_tx_rollback(s);
		return robbe_error_wrap(err, "resetting container states after a reboot");
	}
	if (store_tx_commit(s, err) < 0)
		return robbe_error_wrap(err, "resetting container states after a reboot");

	content = xasprintf("%s\n", boot_id);
	return write_file_atomic(alive, content, strlen(content), 0600, err);
}

int store_open(const struct robbe_paths *paths, struct store **out, robbe_error **err)
{
	cleanup_store struct store *s = NULL;
	int timeout;

	*out = NULL;
	if ((timeout = busy_timeout_ms(err)) < 0)
		return -1;
	if (paths_ensure_dirs(paths, err) < 0)
		return -1;

	s = xcalloc(1, sizeof(*s));
	s->db_path = paths_db(paths);
	s->root = resolved(paths->root);
	s->runroot = resolved(paths->runroot);

	if (sqlite3_open_v2(s->db_path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		if (!s->db)
			return robbe_error_set(err, 0, "opening database \"%s\": out of memory", s->db_path);
		return robbe_error_set(err, 0, "opening database \"%s\": %s", s->db_path, sqlite3_errmsg(s->db));
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, timeout);
	/* FULL: a commit is on disk before robbe reports success. */
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL", NULL, NULL, NULL)
	    != SQLITE_OK)
		return db_error(s, "configuring the database", err);

	if (store_migrate(s, err) < 0 || check_dirs(s, err) < 0 || check_reboot(s, err) < 0)
		return robbe_error_wrap(err, "opening database \"%s\"", s->db_path);

	*out = steal_pointer(&s);
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_tx_rollback(s);
	sqlite3_close_v2(s->db);
	free(s->db_path);
	free(s->root);
	free(s->runroot);
	free(s);
}

int store_counts(struct store *s, struct store_counts *c, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	int64_t images;
	int r;

	memset(c, 0, sizeof(*c));
	if (db_query(s, &st,
		     "SELECT count(*), coalesce(sum(st.state = ?1), 0), coalesce(sum(st.state = ?2), 0)"
		     " FROM containers c JOIN container_state st ON st.id = c.id",
		     DB_ARGS(DB_INT(STORE_STATE_RUNNING), DB_INT(STORE_STATE_PAUSED)), err) < 0)
		return -1;
	if ((r = db_step(s, st, err)) < 0)
		return -1;
	if (r > 0) {
		c->containers = sqlite3_column_int(st, 0);
		c->running = sqlite3_column_int(st, 1);
		c->paused = sqlite3_column_int(st, 2);
		c->stopped = c->containers - c->running - c->paused;
	}
	if (db_int(s, "SELECT count(*) FROM images", DB_NOARGS, &images, err) < 0)
		return -1;
	c->images = (int) images;
	return 0;
}
