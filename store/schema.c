/* schema.c: the database schema and its migrations.
 *
 * migrations[i] takes a database from version i to i + 1.  All pending steps
 * run in one transaction, so a database is always at exactly one version.
 * Never edit a step that has shipped; append a new one.
 *
 * Configuration and state of objects are JSON text the engine defines; only
 * what the store looks things up by, or checks relations with, is a column.
 */
#include "config.h"

#include <string.h>

#include "store-internal.h"

/* 'robb' in the file header, so `file robbe.db` and tools can tell it apart. */
#define APPLICATION_ID 0x726f6262

static const char *const migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE meta ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  schema_version INTEGER NOT NULL,"
	"  root TEXT NOT NULL,"
	"  runroot TEXT NOT NULL,"
	"  created INTEGER NOT NULL"
	");"
	/* Container and pod ids share one namespace, so an id (prefix) names
	 * one object whatever its kind. */
	"CREATE TABLE id_namespace ("
	"  id TEXT PRIMARY KEY NOT NULL"
	");"
	"CREATE TABLE pods ("
	"  id TEXT PRIMARY KEY NOT NULL REFERENCES id_namespace (id),"
	"  name TEXT NOT NULL UNIQUE,"
	"  infra_id TEXT REFERENCES containers (id) DEFERRABLE INITIALLY DEFERRED,"
	"  created INTEGER NOT NULL,"
	"  config TEXT NOT NULL CHECK (json_valid(config)),"
	"  state TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(state))"
	");"
	"CREATE TABLE containers ("
	"  id TEXT PRIMARY KEY NOT NULL REFERENCES id_namespace (id),"
	"  name TEXT NOT NULL UNIQUE,"
	"  pod_id TEXT REFERENCES pods (id),"
	"  image_id TEXT,"
	"  created INTEGER NOT NULL,"
	"  config TEXT NOT NULL CHECK (json_valid(config))"
	");"
	"CREATE INDEX containers_pod ON containers (pod_id);"
	"CREATE INDEX containers_image ON containers (image_id);"
	"CREATE INDEX containers_created ON containers (created);"
	"CREATE TABLE container_state ("
	"  id TEXT PRIMARY KEY NOT NULL REFERENCES containers (id) ON DELETE CASCADE,"
	"  state INTEGER NOT NULL,"
	"  exit_code INTEGER NOT NULL DEFAULT 0 CHECK (exit_code BETWEEN -1 AND 255),"
	"  pid INTEGER NOT NULL DEFAULT 0,"
	"  conmon_pid INTEGER NOT NULL DEFAULT 0,"
	"  started_at INTEGER NOT NULL DEFAULT 0,"
	"  finished_at INTEGER NOT NULL DEFAULT 0,"
	"  restart_count INTEGER NOT NULL DEFAULT 0,"
	"  json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(json))"
	");"
	"CREATE INDEX container_state_state ON container_state (state);"
	/* A container that joins another's namespaces (pod infra, --network
	 * container:x) depends on it; the dependency cannot be removed first. */
	"CREATE TABLE container_dependencies ("
	"  id TEXT NOT NULL REFERENCES containers (id) ON DELETE CASCADE,"
	"  dependency_id TEXT NOT NULL REFERENCES containers (id),"
	"  PRIMARY KEY (id, dependency_id),"
	"  CHECK (id <> dependency_id)"
	");"
	"CREATE INDEX container_dependencies_dep ON container_dependencies (dependency_id);"
	/* No foreign key: the exit code must outlive `run --rm`'s removal. */
	"CREATE TABLE exit_codes ("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  timestamp INTEGER NOT NULL,"
	"  exit_code INTEGER NOT NULL CHECK (exit_code BETWEEN -1 AND 255)"
	");"
	/* A layer is in use while some image lists it in image_layers; the
	 * reference count is derived, never stored, so it cannot drift. */
	"CREATE TABLE layers ("
	"  chain_id TEXT PRIMARY KEY NOT NULL,"
	"  diff_id TEXT NOT NULL,"
	"  parent TEXT REFERENCES layers (chain_id),"
	"  blob_digest TEXT,"
	"  compressed_size INTEGER NOT NULL DEFAULT -1,"
	"  size INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX layers_parent ON layers (parent);"
	"CREATE INDEX layers_blob ON layers (blob_digest);"
	"CREATE TABLE images ("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  digest TEXT,"
	"  created INTEGER NOT NULL,"
	"  added INTEGER NOT NULL,"
	"  size INTEGER NOT NULL DEFAULT 0,"
	"  top_layer TEXT REFERENCES layers (chain_id),"
	"  config TEXT NOT NULL CHECK (json_valid(config)),"
	"  manifest TEXT CHECK (manifest IS NULL OR json_valid(manifest))"
	");"
	"CREATE INDEX images_top_layer ON images (top_layer);"
	"CREATE INDEX images_created ON images (created);"
	"CREATE TABLE image_layers ("
	"  image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  chain_id TEXT NOT NULL REFERENCES layers (chain_id),"
	"  PRIMARY KEY (image_id, position)"
	");"
	"CREATE INDEX image_layers_chain ON image_layers (chain_id);"
	/* One row per repo:tag; a name points at exactly one image. */
	"CREATE TABLE image_names ("
	"  name TEXT PRIMARY KEY NOT NULL,"
	"  image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,"
	"  added INTEGER NOT NULL"
	");"
	"CREATE INDEX image_names_image ON image_names (image_id);"
	/* One row per repo@sha256:... reference. */
	"CREATE TABLE image_digests ("
	"  name TEXT PRIMARY KEY NOT NULL,"
	"  image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,"
	"  added INTEGER NOT NULL"
	");"
	"CREATE INDEX image_digests_image ON image_digests (image_id);"
	"CREATE TABLE volumes ("
	"  name TEXT PRIMARY KEY NOT NULL,"
	"  driver TEXT NOT NULL DEFAULT 'local',"
	"  created INTEGER NOT NULL,"
	"  mountpoint TEXT NOT NULL,"
	"  anonymous INTEGER NOT NULL DEFAULT 0,"
	"  labels TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(labels)),"
	"  options TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),"
	"  json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(json))"
	");"
	/* Which containers use a volume: `volume rm` refuses while any do. */
	"CREATE TABLE container_volumes ("
	"  container_id TEXT NOT NULL REFERENCES containers (id) ON DELETE CASCADE,"
	"  volume_name TEXT NOT NULL REFERENCES volumes (name),"
	"  PRIMARY KEY (container_id, volume_name)"
	");"
	"CREATE INDEX container_volumes_volume ON container_volumes (volume_name);"
	"CREATE TABLE networks ("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  name TEXT NOT NULL UNIQUE,"
	"  driver TEXT NOT NULL DEFAULT 'bridge',"
	"  created INTEGER NOT NULL,"
	"  config TEXT NOT NULL CHECK (json_valid(config))"
	");"
	/* json: per-attachment settings (aliases, static address, mac). */
	"CREATE TABLE container_networks ("
	"  container_id TEXT NOT NULL REFERENCES containers (id) ON DELETE CASCADE,"
	"  network_id TEXT NOT NULL REFERENCES networks (id),"
	"  json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(json)),"
	"  PRIMARY KEY (container_id, network_id)"
	");"
	"CREATE INDEX container_networks_network ON container_networks (network_id);",
};

int store_schema_version(void)
{
	return (int) ARRAY_SIZE(migrations);
}

int store_read_schema_version(struct store *s, int *version, robbe_error **err)
{
	int64_t n;

	*version = 0;
	if (db_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'", DB_NOARGS,
		   &n, err) < 0)
		return -1;
	if (n == 0)
		return 0;
	if (db_int(s, "SELECT schema_version FROM meta WHERE id = 1", DB_NOARGS, &n, err) < 0)
		return -1;
	*version = (int) n;
	return 0;
}

static int refuse_newer(struct store *s, int version, robbe_error **err)
{
	return robbe_error_set(err, EXIT_ENGINE,
			       "its schema version is %d, but this robbe knows only up to %d: "
			       "it was written by a newer robbe",
			       version, store_schema_version());
}

static int apply(struct store *s, int from, robbe_error **err)
{
	int latest = store_schema_version();

	for (int v = from; v < latest; v++) {
		char *msg = NULL;
		if (sqlite3_exec(s->db, migrations[v], NULL, NULL, &msg) != SQLITE_OK) {
			robbe_error_set(err, 0, "migrating the database to version %d: %s", v + 1,
					msg ? msg : sqlite3_errmsg(s->db));
			sqlite3_free(msg);
			return -1;
		}
	}
	if (from == 0) {
		cleanup_free char *pragma = xasprintf("PRAGMA application_id = %d", APPLICATION_ID);
		if (sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
			return db_error(s, "marking the database", err);
		return db_run(s,
			      "INSERT INTO meta (id, schema_version, root, runroot, created)"
			      " VALUES (1, ?1, ?2, ?3, ?4)",
			      DB_ARGS(DB_INT(latest), DB_TEXT(s->root), DB_TEXT(s->runroot),
				      DB_INT(store_now_ns())),
			      err);
	}
	return db_run(s, "UPDATE meta SET schema_version = ?1 WHERE id = 1", DB_ARGS(DB_INT(latest)), err);
}

/* The version is first read without a lock: opening an up-to-date database,
 * the common case, must not queue behind writers.  Only when a migration is
 * due is it read again under the write lock, since another robbe may have
 * migrated in the meantime. */
int store_migrate(struct store *s, robbe_error **err)
{
	int latest = store_schema_version(), version;

	if (store_read_schema_version(s, &version, err) < 0)
		return -1;
	if (version == latest)
		return 0;
	if (version > latest)
		return refuse_newer(s, version, err);

	if (store_tx_begin(s, err) < 0)
		return -1;
	if (store_read_schema_version(s, &version, err) < 0)
		goto fail;
	if (version > latest) {
		refuse_newer(s, version, err);
		goto fail;
	}
	if (version < latest && apply(s, version, err) < 0)
		goto fail;
	return store_tx_commit(s, err);
fail:
	store_tx_rollback(s);
	return -1;
}
