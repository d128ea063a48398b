/* test-store.c: the state database: schema, containers, images, many
 * processes at once, a writer killed mid-transaction, and reboots. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>

#include "store/store-internal.h"
#include "tests/unit/tap.h"

static char *tmp;

/* A fresh root/runroot pair under tmp. */
static void fresh_paths(struct robbe_paths *p, const char *name)
{
	robbe_error *err = NULL;
	cleanup_free char *root = xasprintf("%s/%s/root", tmp, name);
	cleanup_free char *run = xasprintf("%s/%s/run", tmp, name);

	if (paths_init(p, root, run, &err) < 0) {
		printf("Bail out! paths_init: %s\n", err->msg);
		exit(1);
	}
}

static struct store *open_or_bail(const struct robbe_paths *p)
{
	struct store *s = NULL;
	robbe_error *err = NULL;

	if (store_open(p, &s, &err) < 0) {
		printf("Bail out! store_open: %s\n", err->msg);
		exit(1);
	}
	return s;
}

/* 64 hex digits starting with prefix, the rest derived from n. */
static char *make_id(const char *prefix, unsigned n)
{
	char *id = xasprintf("%s%064x", prefix, n);
	memmove(id + strlen(prefix), id + strlen(id) - (64 - strlen(prefix)), 64 - strlen(prefix) + 1);
	return id;
}

static int64_t sql_int(struct store *s, const char *sql)
{
	int64_t v = -1;
	robbe_error *err = NULL;

	if (db_int(s, sql, DB_NOARGS, &v, &err) < 0) {
		printf("# %s: %s\n", sql, err->msg);
		robbe_error_free(err);
	}
	return v;
}

static int add_container(struct store *s, const char *id, const char *name, int64_t created, robbe_error **err)
{
	struct store_container c = {
		.id = (char *) id,
		.name = (char *) name,
		.image_id = "sha256:" "0000000000000000000000000000000000000000000000000000000000000000",
		.created = created,
		.config_json = "{\"Cmd\":[\"sh\"]}",
	};
	return store_container_add(s, &c, err);
}

/* Only the error codes of store.h are to be relied on. */
static void expect_code(int r, robbe_error **err, int code, const char *what)
{
	ok(r < 0 && store_error_is(*err, code), "%s: errnum %d (%s)", what, code, *err ? (*err)->msg : "no error");
	robbe_error_free(*err);
	*err = NULL;
}

static void open_fds(bool fds[1024])
{
	DIR *d = opendir("/proc/self/fd");

	for (struct dirent *e; d && (e = readdir(d));) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] != '.' && fd != dirfd(d) && fd < 1024)
			fds[fd] = true;
	}
	if (d)
		closedir(d);
}

/* ---- schema ------------------------------------------------------------- */

static void test_schema(void)
{
	struct robbe_paths p;
	struct store *s;
	robbe_error *err = NULL;
	struct stat st;
	int64_t created;

	fresh_paths(&p, "schema");
	s = open_or_bail(&p);
	int version = 0;
	store_read_schema_version(s, &version, &err);
	ok(version == store_schema_version() && version >= 1, "fresh database at the current schema version %d",
	   version);
	is_int(sql_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ("
			  "'meta', 'id_namespace', 'containers', 'container_state', 'exit_codes', 'images',"
			  " 'image_names', 'image_digests', 'layers', 'image_layers', 'volumes', 'container_volumes',"
			  " 'networks', 'container_networks', 'pods', 'container_dependencies')"),
	       16, "all tables exist");
	is_int(sql_int(s, "PRAGMA foreign_keys"), 1, "foreign keys on");
	is_int(sql_int(s, "PRAGMA synchronous"), 2, "synchronous FULL");
	sqlite3_stmt *jm = NULL;
	db_query(s, &jm, "PRAGMA journal_mode", DB_NOARGS, &err);
	ok(jm && db_step(s, jm, &err) == 1 && strcmp((const char *) sqlite3_column_text(jm, 0), "delete") == 0,
	   "rollback journal, not WAL");
	sqlite3_finalize(jm);
	ok(stat(p.root, &st) == 0 && (st.st_mode & 0777) == 0700, "root created 0700");
	ok(stat(p.runroot, &st) == 0 && (st.st_mode & 0777) == 0700, "runroot created 0700");
	created = sql_int(s, "SELECT created FROM meta");
	cleanup_free char *keep = make_id("aa", 1), *blocked = make_id("aa", 2);
	ok(add_container(s, keep, "keep", 0, &err) == 0, "add a container");
	store_close(s);

	/* Reopen: no second migration, data kept, and no write lock needed,
	 * so opening works while another process holds the writer lock. */
	sqlite3 *other;
	cleanup_free char *db = paths_db(&p);
	sqlite3_open(db, &other);
	ok(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK, "another process holds the write lock");
	setenv("ROBBE_SQLITE_BUSY_TIMEOUT_MS", "300", 1);
	s = NULL;
	ok(store_open(&p, &s, &err) == 0, "reopen an up-to-date database without the write lock (%s)",
	   err ? err->msg : "ok");
	robbe_error_free(err);
	err = NULL;
	if (s) {
		is_int(sql_int(s, "SELECT created FROM meta"), created, "reopen: meta untouched");
		is_int(sql_int(s, "SELECT count(*) FROM containers"), 1, "reopen: data kept");
		int r = add_container(s, blocked, "blocked", 0, &err);
		ok(r < 0 && err && strstr(err->msg, "locked"),
		   "a write times out while the lock is held (short test timeout) (%s)", err ? err->msg : "no error");
		robbe_error_free(err);
		err = NULL;
		store_close(s);
	}
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	unsetenv("ROBBE_SQLITE_BUSY_TIMEOUT_MS");

	/* A database from a newer robbe is refused. */
	sqlite3_exec(other, "UPDATE meta SET schema_version = 999", NULL, NULL, NULL);
	s = NULL;
	ok(store_open(&p, &s, &err) < 0 && !s, "newer schema refused");
	ok(err && strstr(err->msg, "schema version is 999") && strstr(err->msg, "newer"), "clear message: %s",
	   err ? err->msg : "");
	robbe_error_free(err);
	err = NULL;
	cleanup_free char *sv = xasprintf("UPDATE meta SET schema_version = %d", store_schema_version());
	sqlite3_exec(other, sv, NULL, NULL, NULL);
	sqlite3_close(other);

	/* The database belongs to its runroot. */
	struct robbe_paths q;
	cleanup_free char *other_run = xasprintf("%s/schema/run2", tmp);
	paths_init(&q, p.root, other_run, &err);
	s = NULL;
	ok(store_open(&q, &s, &err) < 0, "another runroot refused");
	ok(err && strstr(err->msg, "runroot") && strstr(err->msg, p.runroot), "message names the runroot: %s",
	   err ? err->msg : "");
	robbe_error_free(err);
	err = NULL;
	paths_release(&q);

	/* Every descriptor the store opened is close-on-exec. */
	bool before[1024] = { false };
	open_fds(before);
	s = open_or_bail(&p);
	cleanup_store_container struct store_container *c = NULL;
	store_container_lookup(s, "keep", &c, &err); /* make sure the db file is open */
	bool after[1024] = { false };
	open_fds(after);
	int n = 0, leaky = 0;
	for (int fd = 0; fd < 1024; fd++) {
		if (!after[fd] || before[fd])
			continue;
		n++;
		if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
			leaky++;
	}
	ok(n > 0 && leaky == 0, "the store opened %d descriptors, %d without FD_CLOEXEC", n, leaky);
	store_close(s);
	paths_release(&p);
}

/* ---- containers ------------------------------------------------------------ */

static void test_containers(void)
{
	struct robbe_paths p;
	struct store *s;
	robbe_error *err = NULL;
	cleanup_free char *id1 = make_id("abc1", 1), *id2 = make_id("abc2", 2), *id3 = make_id("def", 3);
	struct store_container *c = NULL;

	fresh_paths(&p, "containers");
	s = open_or_bail(&p);

	ok(add_container(s, id1, "one", 1000, &err) == 0, "add one");
	ok(add_container(s, id2, "two", 3000, &err) == 0, "add two");
	ok(add_container(s, id3, "three", 2000, &err) == 0, "add three");

	ok(store_container_get(s, id1, &c, &err) == 0 && c, "get by id");
	if (c) {
		is_str(c->name, "one", "name");
		is_int(c->state, STORE_STATE_CREATED, "new containers are created");
		is_int(c->created, 1000, "created kept");
		is_str(c->config_json, "{\"Cmd\":[\"sh\"]}", "config JSON kept");
		is_str(c->state_json, "{}", "state JSON defaults to {}");
		ok(c->pod_id == NULL && c->volumes == NULL, "no pod, no volumes");
	}
	store_container_free(c);
	c = NULL;

	ok(store_container_lookup(s, "two", &c, &err) == 0 && c && strcmp(c->id, id2) == 0, "lookup by name");
	store_container_free(c);
	c = NULL;
	ok(store_container_lookup(s, "/two", &c, &err) == 0 && c && strcmp(c->id, id2) == 0,
	   "lookup by /name");
	store_container_free(c);
	c = NULL;
	ok(store_container_lookup(s, "de", &c, &err) == 0 && c && strcmp(c->id, id3) == 0, "unique prefix");
	store_container_free(c);
	c = NULL;
	ok(store_container_lookup(s, id1, &c, &err) == 0 && c && strcmp(c->name, "one") == 0, "full id");
	store_container_free(c);
	c = NULL;
	expect_code(store_container_lookup(s, "abc", &c, &err), &err, STORE_EAMBIGUOUS, "ambiguous prefix");
	ok(c == NULL, "nothing returned for an ambiguous prefix");
	expect_code(store_container_lookup(s, "abc9", &c, &err), &err, STORE_ENOTFOUND, "unknown prefix");
	expect_code(store_container_lookup(s, "nope", &c, &err), &err, STORE_ENOTFOUND, "unknown name");
	expect_code(store_container_get(s, "abc", &c, &err), &err, STORE_ENOTFOUND, "get wants the full id");

	/* A name that looks like a prefix of another container's id. */
	cleanup_free char *id4 = make_id("fff", 4);
	ok(add_container(s, id4, "abc2", 4000, &err) == 0, "add a container named like an id prefix");
	ok(store_container_lookup(s, "abc2", &c, &err) == 0 && c && strcmp(c->id, id4) == 0,
	   "an exact name beats an id prefix");
	store_container_free(c);
	c = NULL;

	/* Conflicts. */
	cleanup_free char *id5 = make_id("eee", 5);
	int r = add_container(s, id5, "one", 0, &err);
	ok(r < 0 && err && strstr(err->msg, id1), "the conflict names the holder (%s)", err ? err->msg : "");
	expect_code(r, &err, STORE_ECONFLICT, "name in use");
	expect_code(add_container(s, id1, "other", 0, &err), &err, STORE_ECONFLICT, "id in use");
	is_int(sql_int(s, "SELECT count(*) FROM id_namespace"), 4, "failed adds left no id behind");

	/* Half-adds roll back: the volume does not exist. */
	struct store_container bad = {
		.id = id5, .name = "five", .config_json = "{}", .volumes = (char *[]){ "missing", NULL },
	};
	expect_code(store_container_add(s, &bad, &err), &err, STORE_ENOTFOUND, "unknown volume");
	expect_code(store_container_get(s, id5, &c, &err), &err, STORE_ENOTFOUND, "nothing of it was kept");
	bad.volumes = NULL;
	bad.config_json = "{not json";
	ok(store_container_add(s, &bad, &err) < 0, "invalid config JSON refused");
	robbe_error_free(err);
	err = NULL;

	/* Volumes and dependencies are recorded. */
	struct store_volume vol = { .name = "vol", .mountpoint = "/v/_data", .labels_json = "{\"a\":\"b\"}" };
	ok(store_volume_add(s, &vol, &err) == 0, "add volume");
	expect_code(store_volume_add(s, &vol, &err), &err, STORE_ECONFLICT, "volume name taken");
	bad.config_json = "{}";
	bad.volumes = (char *[]){ "vol", NULL };
	bad.depends_on = (char *[]){ id1, NULL };
	ok(store_container_add(s, &bad, &err) == 0, "add with a volume and a dependency");
	ok(store_container_get(s, id5, &c, &err) == 0 && c && c->volumes && strcmp(c->volumes[0], "vol") == 0 &&
		   c->depends_on && strcmp(c->depends_on[0], id1) == 0,
	   "volume and dependency read back");
	store_container_free(c);
	c = NULL;
	expect_code(store_container_remove(s, id1, &err), &err, STORE_EINUSE, "a dependency cannot go first");
	struct store_volume *v = NULL;
	ok(store_volume_get(s, "vol", &v, &err) == 0 && v && strcmp(v->driver, "local") == 0 &&
		   strcmp(v->mountpoint, "/v/_data") == 0 && strcmp(v->labels_json, "{\"a\":\"b\"}") == 0 &&
		   strcmp(v->options_json, "{}") == 0 && v->created > 0 && !v->anonymous,
	   "volume read back");
	store_volume_free(v);
	char **vusers = NULL;
	ok(store_volume_users(s, "vol", &vusers, &err) == 0 && strv_len(vusers) == 1 && strcmp(vusers[0], id5) == 0,
	   "volume users");
	strv_free(vusers);
	expect_code(store_volume_remove(s, "vol", &err), &err, STORE_EINUSE, "a volume in use stays");

	/* List: newest first. */
	struct store_container **list = NULL;
	ok(store_container_list(s, &list, &err) == 0 && list, "list");
	if (list) {
		size_t n = 0;
		while (list[n])
			n++;
		is_int(n, 5, "five containers");
		ok(n == 5 && strcmp(list[0]->name, "five") == 0 && strcmp(list[1]->name, "abc2") == 0 &&
			   strcmp(list[2]->name, "two") == 0 && strcmp(list[3]->name, "three") == 0 &&
			   strcmp(list[4]->name, "one") == 0,
		   "newest first");
	}
	store_container_list_free(list);

	/* State. */
	ok(store_container_get(s, id2, &c, &err) == 0, "get two");
	c->state = STORE_STATE_RUNNING;
	c->pid = 4242;
	c->conmon_pid = 4241;
	c->started_at = 5000;
	free(c->state_json);
	c->state_json = xstrdup("{\"oom\":false}");
	ok(store_container_update_state(s, c, &err) == 0, "update state");
	store_container_free(c);
	c = NULL;
	ok(store_container_get(s, id2, &c, &err) == 0 && c->state == STORE_STATE_RUNNING && c->pid == 4242 &&
		   c->conmon_pid == 4241 && c->started_at == 5000 && strcmp(c->state_json, "{\"oom\":false}") == 0,
	   "state read back");
	is_str(store_state_name(c->state), "running", "state name");
	store_container_free(c);
	c = NULL;

	struct store_counts counts;
	ok(store_counts(s, &counts, &err) == 0 && counts.containers == 5 && counts.running == 1 &&
		   counts.paused == 0 && counts.stopped == 4 && counts.images == 0,
	   "counts: 5 containers, 1 running, 4 stopped");

	/* Rename. */
	expect_code(store_container_rename(s, id2, "one", &err), &err, STORE_ECONFLICT, "rename onto a taken name");
	ok(store_container_rename(s, id2, "deux", &err) == 0, "rename");
	ok(store_container_lookup(s, "deux", &c, &err) == 0 && strcmp(c->id, id2) == 0, "found by its new name");
	store_container_free(c);
	c = NULL;
	expect_code(store_container_lookup(s, "two", &c, &err), &err, STORE_ENOTFOUND, "old name is free");
	cleanup_free char *id6 = make_id("ccc", 6);
	ok(add_container(s, id6, "two", 0, &err) == 0, "and can be reused");
	expect_code(store_container_rename(s, "nope", "x", &err), &err, STORE_ENOTFOUND, "rename unknown");

	/* Exit codes outlive the container. */
	ok(store_exit_code_record(s, id5, 3, &err) == 0, "record exit code");
	ok(store_exit_code_record(s, id5, 7, &err) == 0, "record it again");
	ok(store_container_remove(s, id5, &err) == 0, "remove five");
	expect_code(store_container_get(s, id5, &c, &err), &err, STORE_ENOTFOUND, "five is gone");
	int code = -2;
	int64_t when = 0;
	ok(store_exit_code_get(s, id5, &code, &when, &err) == 0 && code == 7 && when > 0,
	   "exit code survives removal");
	ok(store_exit_code_prune(s, 0, &err) == 0, "prune");
	expect_code(store_exit_code_get(s, id5, &code, NULL, &err), &err, STORE_ENOTFOUND, "pruned");
	is_int(sql_int(s, "SELECT count(*) FROM container_volumes"), 0, "volume link went with it");
	struct store_volume **vols = NULL;
	ok(store_volume_list(s, &vols, &err) == 0 && vols && vols[0] && !vols[1], "one volume listed");
	store_volume_list_free(vols);
	ok(store_volume_remove(s, "vol", &err) == 0, "an unused volume can be removed");
	expect_code(store_volume_get(s, "vol", &v, &err), &err, STORE_ENOTFOUND, "volume gone");
	expect_code(store_volume_remove(s, "vol", &err), &err, STORE_ENOTFOUND, "remove a volume twice");
	ok(store_container_remove(s, id1, &err) == 0, "the dependency can go now");
	expect_code(store_container_remove(s, id1, &err), &err, STORE_ENOTFOUND, "remove twice");
	is_int(sql_int(s, "SELECT count(*) FROM container_state"), sql_int(s, "SELECT count(*) FROM containers"),
	   "no orphan state rows");
	is_int(sql_int(s, "SELECT count(*) FROM id_namespace"), sql_int(s, "SELECT count(*) FROM containers"),
	   "no orphan ids");
	store_close(s);
	paths_release(&p);
}

/* ---- images ------------------------------------------------------------- */

static struct store_layer layer(const char *chain, const char *diff, int64_t size)
{
	struct store_layer l = {
		.chain_id = (char *) chain, .diff_id = (char *) diff, .blob_digest = NULL,
		.compressed_size = -1, .size = size,
	};
	return l;
}

#define SHA(c) "sha256:" c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
	c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

static void test_images(void)
{
	struct robbe_paths p;
	struct store *s;
	robbe_error *err = NULL;
	struct store_image *img = NULL;
	struct store_layer la[] = { layer(SHA("1"), SHA("a"), 100), layer(SHA("2"), SHA("b"), 200),
				    layer(SHA("3"), SHA("c"), 300) };
	struct store_layer lb[] = { layer(SHA("1"), SHA("a"), 100), layer(SHA("2"), SHA("b"), 200),
				    layer(SHA("4"), SHA("d"), 400) };
	const char *ida = "sha256:ab10000000000000000000000000000000000000000000000000000000000000";
	const char *idb = "sha256:ab20000000000000000000000000000000000000000000000000000000000000";
	struct store_image a = {
		.id = (char *) ida, .digest = SHA("e"), .created = 10, .size = 600,
		.config_json = "{\"architecture\":\"amd64\"}", .manifest_json = "{\"schemaVersion\":2}",
		.names = (char *[]){ "docker.io/library/a:latest", "docker.io/library/a:1", NULL },
		.digests = (char *[]){ "docker.io/library/a@" SHA("e"), NULL },
		.layers = { la, 3 },
	};
	struct store_image b = {
		.id = (char *) idb, .created = 20, .size = 700, .config_json = "{}",
		.names = (char *[]){ "docker.io/library/b:latest", NULL },
		.layers = { lb, 3 },
	};
	bool created = false;

	fresh_paths(&p, "images");
	s = open_or_bail(&p);

	la[0].blob_digest = SHA("f");
	la[0].compressed_size = 50;
	ok(store_image_add(s, &a, &created, &err) == 0 && created, "add image a with 3 layers");
	ok(store_image_add(s, &b, &created, &err) == 0 && created, "add image b sharing 2 layers");
	is_int(sql_int(s, "SELECT count(*) FROM layers"), 4, "4 distinct layers");
	ok(store_image_add(s, &a, &created, &err) == 0 && !created, "adding a again is not a new image");
	is_int(sql_int(s, "SELECT count(*) FROM images"), 2, "still 2 images");

	ok(store_image_get_by_name(s, "docker.io/library/a:1", &img, &err) == 0 && img, "by name");
	if (img) {
		is_str(img->id, ida, "id");
		is_str(img->digest, SHA("e"), "manifest digest");
		is_str(img->top_layer, SHA("3"), "top layer");
		is_str(img->manifest_json, "{\"schemaVersion\":2}", "manifest kept");
		ok(strv_len(img->names) == 2 && strv_contains(img->names, "docker.io/library/a:latest"),
		   "both names");
		ok(strv_len(img->digests) == 1, "one digest reference");
		is_int(img->layers.n, 3, "three layers");
		if (img->layers.n == 3) {
			ok(img->layers.v[0].parent == NULL, "base layer has no parent");
			is_str(img->layers.v[2].parent, SHA("2"), "parents follow the order");
			is_str(img->layers.v[0].blob_digest, SHA("f"), "blob digest kept");
			is_int(img->layers.v[0].compressed_size, 50, "compressed size kept");
			is_int(img->layers.v[2].size, 300, "size kept");
		}
	}
	store_image_free(img);
	img = NULL;
	ok(store_image_get_by_name(s, "docker.io/library/a@" SHA("e"), &img, &err) == 0 && img &&
		   strcmp(img->id, ida) == 0,
	   "by digest reference");
	store_image_free(img);
	img = NULL;
	ok(store_image_lookup(s, "ab2", &img, &err) == 0 && img && strcmp(img->id, idb) == 0, "short id");
	store_image_free(img);
	img = NULL;
	ok(store_image_lookup(s, "sha256:ab1", &img, &err) == 0 && img && strcmp(img->id, ida) == 0,
	   "short id with sha256:");
	store_image_free(img);
	img = NULL;
	ok(store_image_lookup(s, idb, &img, &err) == 0 && img && strcmp(img->id, idb) == 0, "full id");
	store_image_free(img);
	img = NULL;
	expect_code(store_image_lookup(s, "ab", &img, &err), &err, STORE_EAMBIGUOUS, "ambiguous image prefix");
	expect_code(store_image_lookup(s, "docker.io/library/c:latest", &img, &err), &err, STORE_ENOTFOUND,
		    "unknown image");

	/* List: newest first. */
	struct store_image **list = NULL;
	ok(store_image_list(s, &list, &err) == 0 && list && list[0] && list[1] && !list[2] &&
		   strcmp(list[0]->id, idb) == 0 && strcmp(list[1]->id, ida) == 0,
	   "list newest first");
	store_image_list_free(list);

	/* Tags. */
	ok(store_image_tag(s, idb, "docker.io/library/b:2", &err) == 0, "tag b");
	ok(store_image_tag(s, idb, "docker.io/library/a:1", &err) == 0, "move a:1 to b");
	ok(store_image_get(s, ida, &img, &err) == 0 && strv_len(img->names) == 1, "a lost a:1");
	store_image_free(img);
	img = NULL;
	ok(store_image_get(s, idb, &img, &err) == 0 && strv_len(img->names) == 3, "b has three names");
	store_image_free(img);
	img = NULL;
	expect_code(store_image_tag(s, "sha256:nope", "x:y", &err), &err, STORE_ENOTFOUND, "tag unknown image");
	char *untagged = NULL;
	ok(store_image_untag(s, "docker.io/library/b:2", &untagged, &err) == 0 && untagged &&
		   strcmp(untagged, idb) == 0,
	   "untag says which image");
	free(untagged);
	expect_code(store_image_untag(s, "docker.io/library/b:2", NULL, &err), &err, STORE_ENOTFOUND,
		    "untag twice");
	ok(store_image_untag(s, "docker.io/library/a@" SHA("e"), NULL, &err) == 0, "untag a digest reference");

	/* In use by a container. */
	struct store_container c = {
		.id = make_id("c0", 1), .name = "user", .image_id = (char *) ida, .config_json = "{}",
	};
	bool used = false;
	char **users = NULL;
	ok(store_container_add(s, &c, &err) == 0, "a container from a");
	ok(store_image_in_use(s, ida, &used, &err) == 0 && used, "a is in use");
	ok(store_image_in_use(s, idb, &used, &err) == 0 && !used, "b is not");
	ok(store_image_users(s, ida, &users, &err) == 0 && strv_len(users) == 1 && strcmp(users[0], c.id) == 0,
	   "users of a");
	strv_free(users);
	struct store_layer_list gone = { 0 };
	expect_code(store_image_remove(s, ida, &gone, &err), &err, STORE_EINUSE, "remove an image in use");
	ok(store_container_remove(s, c.id, &err) == 0, "remove the container");
	free(c.id);

	/* Removal frees only unshared layers. */
	ok(store_image_remove(s, ida, &gone, &err) == 0, "remove a");
	ok(gone.n == 1 && strcmp(gone.v[0].chain_id, SHA("3")) == 0, "only a's own layer dropped to zero");
	store_layer_list_release(&gone);
	struct store_layer l;
	ok(store_layer_get(s, SHA("1"), &l, &err) == 0 && l.parent == NULL && strcmp(l.blob_digest, SHA("f")) == 0,
	   "shared base layer survives");
	store_layer_release(&l);
	expect_code(store_layer_get(s, SHA("3"), &l, &err), &err, STORE_ENOTFOUND, "a's top layer is gone");
	is_int(sql_int(s, "SELECT count(*) FROM image_names"), 2, "a's names went with it");
	expect_code(store_image_remove(s, ida, &gone, &err), &err, STORE_ENOTFOUND, "remove twice");

	ok(store_image_remove(s, idb, &gone, &err) == 0, "remove b");
	ok(gone.n == 3 && strcmp(gone.v[0].chain_id, SHA("4")) == 0 && strcmp(gone.v[1].chain_id, SHA("2")) == 0 &&
		   strcmp(gone.v[2].chain_id, SHA("1")) == 0,
	   "the last user frees all its layers, top first");
	store_layer_list_release(&gone);
	is_int(sql_int(s, "SELECT count(*) FROM layers"), 0, "no layers left");
	is_int(sql_int(s, "SELECT count(*) FROM image_digests"), 0, "no digests left");

	/* A layer recorded with another parent is a conflict; nothing is kept. */
	ok(store_image_add(s, &a, NULL, &err) == 0, "re-add a");
	struct store_layer lc[] = { layer(SHA("9"), SHA("9"), 1), layer(SHA("2"), SHA("b"), 200) };
	struct store_image bad = { .id = SHA("7"), .config_json = "{}", .names = (char *[]){ "bad:1", NULL },
				   .layers = { lc, 2 } };
	ok(store_image_add(s, &bad, NULL, &err) < 0, "inconsistent layer chain refused (%s)",
	   err ? err->msg : "");
	robbe_error_free(err);
	err = NULL;
	is_int(sql_int(s, "SELECT count(*) FROM images"), 1, "no half image");
	is_int(sql_int(s, "SELECT count(*) FROM layers"), 3, "no stray layer");

	struct store_counts counts;
	ok(store_counts(s, &counts, &err) == 0 && counts.images == 1 && counts.containers == 0, "counts images");
	store_close(s);
	paths_release(&p);
}

/* ---- many processes ----------------------------------------------------- */

#define WORKERS 8
#define PER_WORKER 50

static int worker(const struct robbe_paths *p, int w)
{
	struct store *s = NULL;
	robbe_error *err = NULL;

	/* Everyone opens (and so creates and migrates) at the same time too. */
	if (store_open(p, &s, &err) < 0)
		goto fail;
	for (int i = 0; i < PER_WORKER; i++) {
		cleanup_free char *id = make_id("", (unsigned) (w * 1000 + i));
		cleanup_free char *name = xasprintf("w%d-%d", w, i);
		struct store_counts counts;
		struct store_container *c = NULL;

		if (add_container(s, id, name, 0, &err) < 0 || store_counts(s, &counts, &err) < 0 ||
		    store_container_lookup(s, name, &c, &err) < 0)
			goto fail;
		store_container_free(c);
	}
	store_close(s);
	return 0;
fail:
	fprintf(stderr, "worker %d: %s\n", w, err->msg);
	return 1;
}

static void test_concurrency(void)
{
	struct robbe_paths p;
	pid_t pids[WORKERS];
	int failed = 0;

	fresh_paths(&p, "concurrent");
	for (int w = 0; w < WORKERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0)
			_exit(worker(&p, w));
	}
	for (int w = 0; w < WORKERS; w++) {
		int status;
		if (waitpid(pids[w], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	is_int(failed, 0, "%d processes x %d transactions: no errors", WORKERS, PER_WORKER);

	struct store *s = open_or_bail(&p);
	is_int(sql_int(s, "SELECT count(*) FROM containers"), WORKERS * PER_WORKER, "exactly %d rows",
	       WORKERS * PER_WORKER);
	is_int(sql_int(s, "SELECT count(DISTINCT id) FROM containers"), WORKERS * PER_WORKER, "no duplicate ids");
	is_int(sql_int(s, "SELECT count(DISTINCT name) FROM containers"), WORKERS * PER_WORKER,
	       "no duplicate names");
	is_int(sql_int(s, "SELECT count(*) FROM container_state"), WORKERS * PER_WORKER, "a state row each");
	cleanup_stmt sqlite3_stmt *st = NULL;
	robbe_error *err = NULL;
	db_query(s, &st, "PRAGMA integrity_check", DB_NOARGS, &err);
	ok(st && db_step(s, st, &err) == 1 && strcmp((const char *) sqlite3_column_text(st, 0), "ok") == 0,
	   "integrity check ok");
	store_close(s);
	paths_release(&p);
}

/* ---- crash in the middle of a transaction ------------------------------- */

static int ready_fd = -1;

static void stop_before_commit(void)
{
	char c = 'r';
	if (write(ready_fd, &c, 1) != 1)
		_exit(3);
	for (;;)
		pause();
}

static void test_crash(void)
{
	struct robbe_paths p;
	struct store *s;
	robbe_error *err = NULL;
	int fds[2];
	char c = 0;
	int status;
	struct stat st;

	fresh_paths(&p, "crash");
	s = open_or_bail(&p);
	store_close(s);
	cleanup_free char *db = paths_db(&p), *journal = xasprintf("%s-journal", db);
	off_t size_before = stat(db, &st) == 0 ? st.st_size : -1;

	/* A config big enough that sqlite must write pages into the database
	 * file before COMMIT, so the next opener finds a hot journal. */
	struct sbuf big = SBUF_INIT;
	sbuf_adds(&big, "{\"pad\":\"");
	for (int i = 0; i < 200000; i++)
		sbuf_addc(&big, 'x');
	sbuf_adds(&big, "\"}");
	struct store_layer ls[] = { layer(SHA("1"), SHA("a"), 1), layer(SHA("2"), SHA("b"), 2),
				    layer(SHA("3"), SHA("c"), 3) };
	struct store_image img = { .id = SHA("5"), .config_json = big.buf, .names = (char *[]){ "x:1", NULL },
				   .layers = { ls, 3 } };

	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		ready_fd = fds[1];
		s = open_or_bail(&p);
		sqlite3_exec(s->db, "PRAGMA cache_size = 10", NULL, NULL, NULL);
		store_test_before_commit = stop_before_commit;
		store_image_add(s, &img, NULL, &err);
		_exit(4);
	}
	close(fds[1]);
	ok(read(fds[0], &c, 1) == 1 && c == 'r', "child is inside the transaction, before COMMIT");
	off_t journal_size = stat(journal, &st) == 0 ? st.st_size : -1;
	off_t size_during = stat(db, &st) == 0 ? st.st_size : -1;
	ok(journal_size > 0, "a rollback journal exists (%lld bytes)", (long long) journal_size);
	ok(size_during > size_before, "pages were written into the database file before COMMIT (%lld -> %lld bytes)",
	   (long long) size_before, (long long) size_during);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(fds[0]);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child killed");

	s = open_or_bail(&p);
	struct store_image *got = NULL;
	expect_code(store_image_get(s, SHA("5"), &got, &err), &err, STORE_ENOTFOUND, "no half image");
	is_int(sql_int(s, "SELECT count(*) FROM images"), 0, "no image rows");
	is_int(sql_int(s, "SELECT count(*) FROM layers"), 0, "no layer rows");
	is_int(sql_int(s, "SELECT count(*) FROM image_names"), 0, "no name rows");
	bool created = false;
	ok(store_image_add(s, &img, &created, &err) == 0 && created, "a new write works (%s)",
	   err ? err->msg : "ok");
	is_int(sql_int(s, "SELECT count(*) FROM image_layers"), 3, "and is whole");
	ok(stat(journal, &st) < 0, "no journal left");
	store_close(s);
	sbuf_release(&big);
	paths_release(&p);
}

/* ---- reboot ------------------------------------------------------------- */

static void set_state(struct store *s, const char *id, enum store_state state, int exit_code, pid_t pid)
{
	struct store_container *c = NULL;
	robbe_error *err = NULL;

	if (store_container_get(s, id, &c, &err) < 0) {
		printf("# %s\n", err->msg);
		return;
	}
	c->state = state;
	c->exit_code = exit_code;
	c->pid = pid;
	c->conmon_pid = pid ? pid - 1 : 0;
	c->started_at = pid ? 100 : 0;
	store_container_update_state(s, c, &err);
	store_container_free(c);
}

static struct store_container *get(struct store *s, const char *id)
{
	struct store_container *c = NULL;
	robbe_error *err = NULL;
	store_container_get(s, id, &c, &err);
	robbe_error_free(err);
	return c;
}

static void test_reboot(void)
{
	struct robbe_paths p;
	struct store *s;
	robbe_error *err = NULL;
	cleanup_free char *run = make_id("1", 1), *paused = make_id("2", 2), *created = make_id("3", 3),
			  *exited = make_id("4", 4);
	cleanup_free char *alive = NULL, *content = NULL, *boot_id = NULL;
	struct store_container *c;

	fresh_paths(&p, "reboot");
	alive = paths_alive(&p);
	s = open_or_bail(&p);
	ok(read_file_all(alive, 100, &content, NULL, &err) == 0, "store_open wrote %s", alive);
	read_file_all("/proc/sys/kernel/random/boot_id", 100, &boot_id, NULL, &err);
	is_str(content, boot_id, "it holds the boot id");

	add_container(s, run, "run", 0, &err);
	add_container(s, paused, "paused", 0, &err);
	add_container(s, created, "created", 0, &err);
	add_container(s, exited, "exited", 0, &err);
	set_state(s, run, STORE_STATE_RUNNING, 0, 1000);
	set_state(s, paused, STORE_STATE_PAUSED, 0, 2000);
	set_state(s, exited, STORE_STATE_EXITED, 3, 0);
	store_exit_code_record(s, exited, 3, &err);
	store_close(s);

	/* Same boot: nothing changes. */
	s = open_or_bail(&p);
	c = get(s, run);
	ok(c && c->state == STORE_STATE_RUNNING && c->pid == 1000, "same boot: still running");
	store_container_free(c);
	store_close(s);

	/* Another boot. */
	write_file_atomic(alive, "0000-not-this-boot\n", 19, 0600, &err);
	s = open_or_bail(&p);
	c = get(s, run);
	ok(c && c->state == STORE_STATE_EXITED && c->pid == 0 && c->conmon_pid == 0 && c->exit_code == 255 &&
		   c->finished_at > 0,
	   "after a reboot the running container is exited, pids cleared");
	store_container_free(c);
	c = get(s, paused);
	ok(c && c->state == STORE_STATE_EXITED && c->pid == 0, "the paused one too");
	store_container_free(c);
	c = get(s, created);
	ok(c && c->state == STORE_STATE_CREATED, "a created container stays created");
	store_container_free(c);
	c = get(s, exited);
	ok(c && c->state == STORE_STATE_EXITED && c->exit_code == 3, "an exited one keeps its exit code");
	store_container_free(c);
	int code;
	expect_code(store_exit_code_get(s, exited, &code, NULL, &err), &err, STORE_ENOTFOUND,
		    "exit codes of the previous boot are dropped");
	free(content);
	content = NULL;
	read_file_all(alive, 100, &content, NULL, &err);
	is_str(content, boot_id, "alive file rewritten with this boot's id");

	/* A missing file (runroot wiped) counts as a reboot too. */
	set_state(s, run, STORE_STATE_RUNNING, 0, 1000);
	store_close(s);
	unlink(alive);
	s = open_or_bail(&p);
	c = get(s, run);
	ok(c && c->state == STORE_STATE_EXITED, "missing alive file: reset");
	store_container_free(c);
	store_close(s);
	paths_release(&p);
}

int main(void)
{
	char templ[] = "/tmp/robbe-test-store-XXXXXX";

	tmp = mkdtemp(templ);
	if (!tmp) {
		perror("mkdtemp");
		return 1;
	}
	unsetenv("ROBBE_ROOT");
	unsetenv("ROBBE_RUNROOT");
	unsetenv("ROBBE_SQLITE_BUSY_TIMEOUT_MS");

	test_schema();
	test_containers();
	test_images();
	test_concurrency();
	test_crash();
	test_reboot();

	cleanup_free char *cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		tap_diag("could not remove the temporary directory");
	return tap_done();
}
