/* networks.c: network records and which containers are attached to them.
 *
 * The store knows names, ids and relations; addresses, drivers and ports
 * are the engine's JSON.  Allocation is the engine's too, but it runs
 * inside store_network_update's write transaction, so two robbe processes
 * never hand out the same address. */
#include "config.h"

#include <string.h>

#include "store-internal.h"

void store_network_free(struct store_network *n)
{
	if (!n)
		return;
	free(n->id);
	free(n->name);
	free(n->driver);
	free(n->config_json);
	free(n);
}

void store_network_list_free(struct store_network **v)
{
	for (size_t i = 0; v && v[i]; i++)
		store_network_free(v[i]);
	free(v);
}

void store_network_attachment_free(struct store_network_attachment *a)
{
	if (!a)
		return;
	free(a->container_id);
	free(a->network_id);
	free(a->json);
	free(a);
}

void store_network_attachment_list_free(struct store_network_attachment **v)
{
	for (size_t i = 0; v && v[i]; i++)
		store_network_attachment_free(v[i]);
	free(v);
}

#define NETWORK_COLUMNS "SELECT id, name, driver, created, config FROM networks"

static struct store_network *network_from_row(sqlite3_stmt *st)
{
	struct store_network *n = xcalloc(1, sizeof(*n));

	n->id = db_col_str(st, 0);
	n->name = db_col_str(st, 1);
	n->driver = db_col_str(st, 2);
	n->created = sqlite3_column_int64(st, 3);
	n->config_json = db_col_str(st, 4);
	return n;
}

/* Every row of a network query, NULL-terminated (never NULL on success). */
static int network_query(struct store *s, const char *sql, const struct db_arg *args, size_t nargs,
			 struct store_network ***out, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	cleanup_store_network_list struct store_network **v = xcalloc(1, sizeof(*v));
	size_t n = 0;
	int r;

	*out = NULL;
	if (db_query(s, &st, sql, args, nargs, err) < 0)
		return -1;
	while ((r = db_step(s, st, err)) > 0) {
		v = xrealloc(v, (n + 2) * sizeof(*v));
		v[n++] = network_from_row(st);
		v[n] = NULL;
	}
	if (r < 0)
		return -1;
	*out = steal_pointer(&v);
	return 0;
}

static int network_add_tx(struct store *s, struct store_network *n, store_network_check_fn check, void *ud,
			  robbe_error **err)
{
	int64_t count;

	if (db_int(s, "SELECT count(*) FROM networks WHERE name = ?1", DB_ARGS(DB_TEXT(n->name)), &count, err) < 0)
		return -1;
	if (count > 0)
		return store_fail(err, STORE_ECONFLICT, "network with name %s already exists", n->name);
	if (db_int(s, "SELECT count(*) FROM networks WHERE id = ?1", DB_ARGS(DB_TEXT(n->id)), &count, err) < 0)
		return -1;
	if (count > 0)
		return store_fail(err, STORE_ECONFLICT, "network id %s already exists", n->id);
	if (check) {
		cleanup_store_network_list struct store_network **all = NULL;

		if (network_query(s, NETWORK_COLUMNS " ORDER BY name", DB_NOARGS, &all, err) < 0)
			return -1;
		if (check(ud, all, n, err) < 0)
			return -1;
	}
	return db_run(s, "INSERT INTO networks (id, name, driver, created, config) VALUES (?1, ?2, ?3, ?4, ?5)",
		      DB_ARGS(DB_TEXT(n->id), DB_TEXT(n->name), DB_TEXT(n->driver ? n->driver : "bridge"),
			      DB_INT(n->created ? n->created : store_now_ns()),
			      DB_TEXT(n->config_json ? n->config_json : "{}")),
		      err);
}

int store_network_add(struct store *s, struct store_network *n, store_network_check_fn check, void *ud,
		      robbe_error **err)
{
	if (!n->id || !n->name || !*n->name)
		return robbe_error_set(err, 0, "internal error: a network needs an id and a name");
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (network_add_tx(s, n, check, ud, err) < 0) {
		store_tx_rollback(s);
		return -1;
	}
	return store_tx_commit(s, err);
}

static int network_one(struct store *s, const char *sql, const char *arg, struct store_network **out,
		       robbe_error **err)
{
	cleanup_store_network_list struct store_network **v = NULL;

	*out = NULL;
	if (network_query(s, sql, DB_ARGS(DB_TEXT(arg)), &v, err) < 0)
		return -1;
	if (!v[0])
		return 0;
	*out = steal_pointer(&v[0]);
	for (size_t i = 1; v[i]; i++) {
		v[i - 1] = v[i];
		v[i] = NULL;
	}
	return 1;
}

int store_network_get(struct store *s, const char *id, struct store_network **out, robbe_error **err)
{
	int r = network_one(s, NETWORK_COLUMNS " WHERE id = ?1", id, out, err);

	if (r < 0)
		return -1;
	if (r == 0)
		return store_fail(err, STORE_ENOTFOUND, "network %s not found", id);
	return 0;
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

int store_network_lookup(struct store *s, const char *ref, struct store_network **out, robbe_error **err)
{
	cleanup_store_network_list struct store_network **v = NULL;
	cleanup_free char *pattern = NULL;
	int r;

	if ((r = network_one(s, NETWORK_COLUMNS " WHERE id = ?1", ref, out, err)) != 0)
		return r < 0 ? -1 : 0;
	if ((r = network_one(s, NETWORK_COLUMNS " WHERE name = ?1", ref, out, err)) != 0)
		return r < 0 ? -1 : 0;
	if (!is_hex(ref))
		return store_fail(err, STORE_ENOTFOUND, "network %s not found", ref);
	/* Only hex digits, so nothing in the pattern is a GLOB wildcard. */
	pattern = xasprintf("%s*", ref);
	if (network_query(s, NETWORK_COLUMNS " WHERE id GLOB ?1 LIMIT 2", DB_ARGS(DB_TEXT(pattern)), &v, err) < 0)
		return -1;
	if (v[0] && v[1])
		return store_fail(err, STORE_EAMBIGUOUS, "network %s is ambiguous (%s and %s)", ref, v[0]->id,
				  v[1]->id);
	if (!v[0])
		return store_fail(err, STORE_ENOTFOUND, "network %s not found", ref);
	*out = steal_pointer(&v[0]);
	return 0;
}

int store_network_list(struct store *s, struct store_network ***out, robbe_error **err)
{
	return network_query(s, NETWORK_COLUMNS " ORDER BY name", DB_NOARGS, out, err);
}

/* ---- attachments ----------------------------------------------------------- */

#define ATTACHMENT_COLUMNS                                                                    \
	"SELECT a.container_id, a.network_id, a.json FROM container_networks a"               \
	" JOIN networks n ON n.id = a.network_id"

static int attachment_query(struct store *s, const char *sql, const struct db_arg *args, size_t nargs,
			    struct store_network_attachment ***out, size_t *count, robbe_error **err)
{
	cleanup_stmt sqlite3_stmt *st = NULL;
	cleanup_store_network_attachment_list struct store_network_attachment **v = xcalloc(1, sizeof(*v));
	size_t n = 0;
	int r;

	*out = NULL;
	if (db_query(s, &st, sql, args, nargs, err) < 0)
		return -1;
	while ((r = db_step(s, st, err)) > 0) {
		struct store_network_attachment *a = xcalloc(1, sizeof(*a));

		a->container_id = db_col_str(st, 0);
		a->network_id = db_col_str(st, 1);
		a->json = db_col_str(st, 2);
		v = xrealloc(v, (n + 2) * sizeof(*v));
		v[n++] = a;
		v[n] = NULL;
	}
	if (r < 0)
		return -1;
	if (count)
		*count = n;
	*out = steal_pointer(&v);
	return 0;
}

int store_network_attachments(struct store *s, const char *container_id, const char *network_id,
			      struct store_network_attachment ***out, robbe_error **err)
{
	return attachment_query(s,
				ATTACHMENT_COLUMNS " WHERE (?1 IS NULL OR a.container_id = ?1)"
						   " AND (?2 IS NULL OR a.network_id = ?2)"
						   " ORDER BY a.container_id, n.name",
				DB_ARGS(DB_TEXT(container_id), DB_TEXT(network_id)), out, NULL, err);
}

void store_network_snapshot_add(struct store_network_snapshot *snap, const char *container_id,
				const char *network_id, const char *json)
{
	struct store_network_attachment *a = xcalloc(1, sizeof(*a));

	a->container_id = xstrdup(container_id);
	a->network_id = xstrdup(network_id);
	a->json = xstrdup(json ? json : "{}");
	a->added = true;
	snap->atts = xrealloc(snap->atts, (snap->n_atts + 2) * sizeof(*snap->atts));
	snap->atts[snap->n_atts++] = a;
	snap->atts[snap->n_atts] = NULL;
}

static int write_back(struct store *s, struct store_network_snapshot *snap, robbe_error **err)
{
	for (size_t i = 0; i < snap->n_atts; i++) {
		struct store_network_attachment *a = snap->atts[i];
		const char *json = a->json ? a->json : "{}";
		int r;

		if (a->removed) {
			if (a->added)
				continue;
			if (db_run(s, "DELETE FROM container_networks WHERE container_id = ?1 AND network_id = ?2",
				   DB_ARGS(DB_TEXT(a->container_id), DB_TEXT(a->network_id)), err) < 0)
				return -1;
		} else if (a->added) {
			int64_t n;

			if (db_int(s,
				   "SELECT count(*) FROM container_networks WHERE container_id = ?1 AND network_id = ?2",
				   DB_ARGS(DB_TEXT(a->container_id), DB_TEXT(a->network_id)), &n, err) < 0)
				return -1;
			if (n > 0)
				return store_fail(err, STORE_ECONFLICT, "container %s is already attached to network %s",
						  a->container_id, a->network_id);
			if (db_run(s, "INSERT INTO container_networks (container_id, network_id, json) VALUES (?1, ?2, ?3)",
				   DB_ARGS(DB_TEXT(a->container_id), DB_TEXT(a->network_id), DB_TEXT(json)), err) < 0)
				return -1;
		} else if (a->changed) {
			r = db_run(s, "UPDATE container_networks SET json = ?3 WHERE container_id = ?1 AND network_id = ?2",
				   DB_ARGS(DB_TEXT(a->container_id), DB_TEXT(a->network_id), DB_TEXT(json)), err);
			if (r < 0)
				return -1;
		}
	}
	return 0;
}

int store_network_update(struct store *s,
			 int (*fn)(void *ud, struct store_network_snapshot *snap, robbe_error **err), void *ud,
			 robbe_error **err)
{
	struct store_network_snapshot snap = { 0 };
	int rc = -1;

	if (store_tx_begin(s, err) < 0)
		return -1;
	if (network_query(s, NETWORK_COLUMNS " ORDER BY name", DB_NOARGS, &snap.networks, err) < 0)
		goto out;
	if (attachment_query(s, ATTACHMENT_COLUMNS " ORDER BY a.container_id, n.name", DB_NOARGS, &snap.atts,
			     &snap.n_atts, err) < 0)
		goto out;
	if (fn(ud, &snap, err) < 0 || write_back(s, &snap, err) < 0)
		goto out;
	rc = store_tx_commit(s, err);
	store_network_list_free(snap.networks);
	store_network_attachment_list_free(snap.atts);
	return rc;
out:
	store_tx_rollback(s);
	store_network_list_free(snap.networks);
	store_network_attachment_list_free(snap.atts);
	return -1;
}

/* ---- remove --------------------------------------------------------------------- */

static int network_remove_tx(struct store *s, const char *id,
			     int (*busy)(void *ud, struct store_network_attachment *const *atts, robbe_error **err),
			     void *ud, robbe_error **err)
{
	cleanup_store_network_attachment_list struct store_network_attachment **atts = NULL;
	int r;

	if (attachment_query(s, ATTACHMENT_COLUMNS " WHERE a.network_id = ?1 ORDER BY a.container_id",
			     DB_ARGS(DB_TEXT(id)), &atts, NULL, err) < 0)
		return -1;
	if (busy && busy(ud, atts, err) < 0)
		return -1;
	if (db_run(s, "DELETE FROM container_networks WHERE network_id = ?1", DB_ARGS(DB_TEXT(id)), err) < 0)
		return -1;
	if ((r = db_run(s, "DELETE FROM networks WHERE id = ?1", DB_ARGS(DB_TEXT(id)), err)) < 0)
		return -1;
	if (r == 0)
		return store_fail(err, STORE_ENOTFOUND, "network %s not found", id);
	return 0;
}

int store_network_remove(struct store *s, const char *id,
			 int (*busy)(void *ud, struct store_network_attachment *const *atts, robbe_error **err),
			 void *ud, robbe_error **err)
{
	if (store_tx_begin(s, err) < 0)
		return -1;
	if (network_remove_tx(s, id, busy, ud, err) < 0) {
		store_tx_rollback(s);
		return -1;
	}
	return store_tx_commit(s, err);
}
