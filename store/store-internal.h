/* store-internal.h: what the store's own files share.  Not for other layers. */
#ifndef ROBBE_STORE_INTERNAL_H
#define ROBBE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

struct store {
	sqlite3 *db;
	char *db_path;
	char *root;
	char *runroot;
	bool in_tx;
};

static inline void cleanup_stmtp(sqlite3_stmt **st)
{
	sqlite3_finalize(*st);
}
#define cleanup_stmt __attribute__((cleanup(cleanup_stmtp)))

/* Bound parameters, type-checked by the compiler:
 *   db_run(s, "DELETE FROM t WHERE id = ?1", DB_ARGS(DB_TEXT(id)), err);
 * DB_TEXT(NULL) binds SQL NULL. */
struct db_arg {
	char type;	/* 't' text, 'i' integer */
	const char *text;
	int64_t num;
};
#define DB_TEXT(v) ((struct db_arg){ .type = 't', .text = (v) })
#define DB_INT(v) ((struct db_arg){ .type = 'i', .num = (int64_t) (v) })
#define DB_ARGS(...) ((const struct db_arg[]){ __VA_ARGS__ }), \
	(sizeof((const struct db_arg[]){ __VA_ARGS__ }) / sizeof(struct db_arg))
#define DB_NOARGS NULL, 0

/* Turn the connection's last error into a robbe_error ("what: message"). */
int db_error(struct store *s, const char *what, robbe_error **err);
/* Prepare sql and bind args. */
int db_query(struct store *s, sqlite3_stmt **st, const char *sql, const struct db_arg *args, size_t nargs,
	     robbe_error **err);
/* Next row: 1 row, 0 done, <0 error. */
int db_step(struct store *s, sqlite3_stmt *st, robbe_error **err);
/* Run a statement to completion; returns the number of rows changed. */
int db_run(struct store *s, const char *sql, const struct db_arg *args, size_t nargs, robbe_error **err);
/* Run a statement returning one integer (count(*), ...); no row gives 0. */
int db_int(struct store *s, const char *sql, const struct db_arg *args, size_t nargs, int64_t *out,
	   robbe_error **err);
/* One statement in its own write transaction; returns the rows changed. */
int db_write(struct store *s, const char *sql, const struct db_arg *args, size_t nargs, robbe_error **err);
/* Set an error callers tell apart by errnum (STORE_E*).  Keeps a pending
 * error, as robbe_error_set does. */
int store_fail(robbe_error **err, int code, const char *fmt, ...) ATTR_PRINTF(3, 4);
/* The first column of every row, as strings (NULL if no rows). */
int db_strv(struct store *s, const char *sql, const struct db_arg *args, size_t nargs, char ***out,
	    robbe_error **err);
/* Column as a fresh string, or NULL for SQL NULL. */
char *db_col_str(sqlite3_stmt *st, int col);

/* Write transactions: BEGIN IMMEDIATE takes the write lock up front, waiting
 * (busy timeout) for other writers, so a transaction never fails half-way
 * because another process wrote first.  No nesting. */
int store_tx_begin(struct store *s, robbe_error **err);
int store_tx_commit(struct store *s, robbe_error **err);
void store_tx_rollback(struct store *s);

/* Tests set this to stop a process inside a transaction, just before COMMIT. */
extern void (*store_test_before_commit)(void);

int64_t store_now_ns(void);

/* schema.c: bring the database to the current version (own transaction). */
int store_migrate(struct store *s, robbe_error **err);
int store_read_schema_version(struct store *s, int *version, robbe_error **err);

#endif
