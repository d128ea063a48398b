/* test-registry.c: the registry client against real registries on 127.0.0.1.
 * Run through tests/unit/test-registry.sh, which starts them and passes
 * their addresses in the environment. */
#include "config.h"

#include "lazy-curl.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "auth.h"
#include "digest.h"
#include "registry.h"
#include "tests/unit/tap.h"

static const char *tmpdir;
static const char *open_reg, *auth_reg, *faults;

/* ---- helpers ---- */

static char *path_in_tmp(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void random_bytes(void *buf, size_t n)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, n) != (ssize_t) n)
		abort();
	close(fd);
}

/* Write n random bytes to a new file in tmp; its digest in *digest. */
static char *random_file(const char *name, size_t n, char **digest)
{
	char *path = path_in_tmp(name);
	unsigned char *buf = xmalloc(n);
	robbe_error *err = NULL;

	random_bytes(buf, n);
	if (write_file_atomic(path, buf, n, 0644, &err) < 0)
		abort();
	*digest = digest_sha256(buf, n);
	free(buf);
	return path;
}

static char *file_digest(const char *path)
{
	char *d = NULL;
	robbe_error *err = NULL;
	if (digest_file(path, &d, &err) < 0) {
		robbe_error_free(err);
		return NULL;
	}
	return d;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static struct registry *open_registry(const char *domain, const struct registry_options *o)
{
	struct registry *reg = NULL;
	robbe_error *err = NULL;

	if (registry_open(domain, o, &reg, &err) < 0) {
		printf("# registry_open %s: %s\n", domain, err->msg);
		robbe_error_free(err);
		return NULL;
	}
	return reg;
}

static void diag_error(const robbe_error *err)
{
	if (err)
		printf("#   error: %s\n", err->msg);
}

/* GET a URL with plain libcurl (the fault server's /stats). */
static size_t collect(char *p, size_t s, size_t n, void *ud)
{
	sbuf_add(ud, p, s * n);
	return s * n;
}

static cJSON *fault_stats(void)
{
	struct sbuf sb = SBUF_INIT;
	cleanup_free char *url = xasprintf("http://%s/stats", faults);
	CURL *c = curl_easy_init();
	cJSON *j;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sb);
	curl_easy_perform(c);
	curl_easy_cleanup(c);
	j = cJSON_Parse(sbuf_str(&sb));
	sbuf_release(&sb);
	return j;
}

static int fault_count(const char *key)
{
	cleanup_cjson cJSON *j = fault_stats();
	cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
	return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* ---- progress recording ---- */

struct progress_log {
	int waiting, transferring_started, complete, failed, retrying, verifying, mounted;
	int active, max_active;
	unsigned last_attempt;
	bool saw_full;		/* TRANSFERRING with current == total */
	uint64_t last_total;
};

static void record(void *opaque, const struct registry_progress *p)
{
	struct progress_log *l = opaque;

	switch (p->state) {
	case REGISTRY_PROGRESS_WAITING:
		l->waiting++;
		break;
	case REGISTRY_PROGRESS_TRANSFERRING:
		if (p->current == 0 && p->attempt == 1) {
			l->transferring_started++;
			l->active++;
			if (l->active > l->max_active)
				l->max_active = l->active;
		}
		if (p->total && p->current == p->total)
			l->saw_full = true;
		l->last_total = p->total;
		break;
	case REGISTRY_PROGRESS_RETRYING:
		l->retrying++;
		l->last_attempt = p->attempt;
		break;
	case REGISTRY_PROGRESS_VERIFYING:
		l->verifying++;
		break;
	case REGISTRY_PROGRESS_COMPLETE:
		l->complete++;
		l->active--;
		break;
	case REGISTRY_PROGRESS_MOUNTED:
		l->mounted++;
		break;
	case REGISTRY_PROGRESS_FAILED:
		l->failed++;
		l->active--;
		break;
	}
}

/* ---- daemon.json and scheme choice (no network) ---- */

static void test_config(void)
{
	cleanup_free char *path = path_in_tmp("daemon.json");
	cleanup_free char *missing = path_in_tmp("no-such-daemon.json");
	struct registry_config *cfg = NULL;
	robbe_error *err = NULL;
	const char *json = "{\"insecure-registries\": [\"myreg:5000\", \"10.0.0.0/8\", \"fd00::/8\"],"
			   " \"registry-mirrors\": [\"https://mirror.example.com/\"], \"debug\": true}";

	write_file_atomic(path, json, strlen(json), 0644, &err);
	ok(registry_config_load(path, &cfg, &err) == 0, "daemon.json loads");
	ok(cfg && strv_len(cfg->insecure) == 3 && strv_len(cfg->mirrors) == 1, "insecure registries and mirrors read");
	ok(registry_config_is_insecure(cfg, "myreg:5000"), "host:port entry");
	ok(!registry_config_is_insecure(cfg, "myreg"), "host:port entry needs the port");
	ok(registry_config_is_insecure(cfg, "10.1.2.3:5000"), "IPv4 CIDR entry");
	ok(!registry_config_is_insecure(cfg, "11.0.0.1"), "outside the CIDR");
	ok(registry_config_is_insecure(cfg, "[fd00::1]:5000"), "IPv6 CIDR entry");
	registry_config_free(cfg);
	cfg = NULL;
	ok(registry_config_load(missing, &cfg, &err) == 0 && cfg && !cfg->insecure, "missing daemon.json is empty");
	registry_config_free(cfg);

	ok(registry_host_is_local("127.0.0.1:5000"), "127.0.0.1:5000 is local");
	ok(registry_host_is_local("127.8.9.10"), "127.0.0.0/8 is local");
	ok(registry_host_is_local("localhost:5000"), "localhost is local");
	ok(registry_host_is_local("[::1]:5000"), "::1 is local");
	ok(!registry_host_is_local("localhost.example.com"), "a longer name is not local");
	ok(!registry_host_is_local("128.0.0.1"), "128.0.0.1 is not local");

	struct registry_options o = { .daemon_json = path };
	struct registry *r;
	if ((r = open_registry("127.0.0.1:5000", &o))) {
		is_str(registry_url(r), "http://127.0.0.1:5000", "loopback registry uses HTTP");
		registry_free(r);
	}
	if ((r = open_registry("myreg:5000", &o))) {
		is_str(registry_url(r), "https://myreg:5000", "insecure registry tries HTTPS first");
		registry_free(r);
	}
	if ((r = open_registry("docker.io", &o))) {
		is_str(registry_url(r), "https://mirror.example.com", "docker.io pulls try the mirror first");
		registry_free(r);
	}
	o.push = true;
	if ((r = open_registry("docker.io", &o))) {
		is_str(registry_url(r), "https://registry-1.docker.io", "pushes skip the mirror");
		registry_free(r);
	}
	ok(err == NULL, "no stray error");
	robbe_error_free(err);
}

static void test_refused(void)
{
	struct registry_options o = { .daemon_json = "" };
	cleanup_registry struct registry *reg = open_registry("127.0.0.1:1", &o);
	robbe_error *err = NULL;
	int r = registry_ping(reg, &err);

	is_int(r, -REGISTRY_ERR_NETWORK, "connection refused is a network error");
	ok(err && strstr(err->msg, "Get \"http://127.0.0.1:1/v2/\""), "the message names the URL");
	ok(err && strcasestr(err->msg, "connection refused"), "and says the connection was refused");
	diag_error(err);
	robbe_error_free(err);
}

/* ---- the open registry ---- */

struct image {
	char *layer_path, *layer_digest;
	char *layer2_path, *layer2_digest;
	char *config, *config_digest;
	char *manifest, *manifest_digest;
};

static char *oci_manifest(const struct image *im, const char *mt, const char *cfg_mt, const char *layer_mt)
{
	return xasprintf("{\"schemaVersion\":2,\"mediaType\":\"%s\","
			 "\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu},"
			 "\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":1048576},"
			 "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":65536}]}",
			 mt, cfg_mt, im->config_digest, strlen(im->config), layer_mt, im->layer_digest, layer_mt,
			 im->layer2_digest);
}

static void push_image(struct registry *reg, struct image *im)
{
	robbe_error *err = NULL;
	cleanup_free char *cd = NULL;
	struct progress_log log = { 0 };
	bool mounted = true;
	uint64_t size = 0;

	im->layer_path = random_file("layer1", 1 << 20, &im->layer_digest);
	im->layer2_path = random_file("layer2", 65536, &im->layer2_digest);
	im->config = xstrdup("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}");

	is_int(registry_blob_head(reg, "test/image", im->layer_digest, NULL, &err), 0, "blob absent before push");
	ok(registry_blob_push_file(reg, "test/image", im->layer_digest, im->layer_path, NULL, record, &log, &mounted,
				   &err) == 0, "push a 1 MiB blob (one PUT)");
	diag_error(err);
	ok(!mounted && log.complete == 1, "pushed, not mounted; completion reported");
	is_int(registry_blob_head(reg, "test/image", im->layer_digest, &size, &err), 1, "blob present after push");
	is_int((long long) size, 1 << 20, "HEAD gives the blob size");
	ok(registry_blob_push_file(reg, "test/image", im->layer2_digest, im->layer2_path, NULL, NULL, NULL, NULL,
				   &err) == 0, "push a second blob");
	ok(registry_blob_push_data(reg, "test/image", NULL, im->config, strlen(im->config), &cd, &err) == 0,
	   "push the config from memory");
	im->config_digest = digest_sha256(im->config, strlen(im->config));
	is_str(cd, im->config_digest, "config digest returned");
	is_int(registry_blob_head(reg, "test/image", im->config_digest, NULL, &err), 1, "config blob present");

	im->manifest = oci_manifest(im, MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_OCI_CONFIG, MEDIA_TYPE_OCI_LAYER_GZIP);
	ok(registry_manifest_put(reg, "test/image", "v1", MEDIA_TYPE_OCI_MANIFEST, im->manifest, strlen(im->manifest),
				 &im->manifest_digest, &err) == 0, "put an OCI manifest under a tag");
	diag_error(err);
	cleanup_free char *want = digest_sha256(im->manifest, strlen(im->manifest));
	is_str(im->manifest_digest, want, "manifest digest");
	ok(err == NULL, "no error while pushing");
	robbe_error_free(err);
}

static void test_chunked_push(const struct image *im)
{
	struct registry_options o = { .daemon_json = "", .chunk_size = 300000, .push = true };
	cleanup_registry struct registry *reg = open_registry(open_reg, &o);
	struct progress_log log = { 0 };
	robbe_error *err = NULL;
	uint64_t size = 0;

	ok(registry_blob_push_file(reg, "test/chunked", im->layer_digest, im->layer_path, NULL, record, &log, NULL,
				   &err) == 0, "push in PATCH chunks of 300000 bytes");
	diag_error(err);
	ok(registry_blob_head(reg, "test/chunked", im->layer_digest, &size, &err) == 1 && size == 1 << 20,
	   "chunked blob present with its size");
	ok(log.saw_full && log.complete == 1, "upload progress reached the total");
	robbe_error_free(err);
}

static void test_manifests(struct registry *reg, const struct image *im)
{
	cleanup_registry_manifest struct registry_manifest *m = NULL;
	cleanup_registry_manifest struct registry_manifest *bd = NULL;
	cleanup_free char *hd = NULL;
	cleanup_free char *ht = NULL;
	robbe_error *err = NULL;
	uint64_t size = 0;

	is_int(registry_manifest_head(reg, "test/image", "v1", &hd, &ht, &size, &err), 1, "HEAD manifest by tag");
	is_str(hd, im->manifest_digest, "HEAD gives Docker-Content-Digest");
	is_str(ht, MEDIA_TYPE_OCI_MANIFEST, "HEAD gives the media type");
	is_int((long long) size, (long long) strlen(im->manifest), "HEAD gives the size");
	is_int(registry_manifest_head(reg, "test/image", "nope", NULL, NULL, NULL, &err), 0, "HEAD of a missing tag");

	ok(registry_manifest_get(reg, "test/image", "v1", &m, &err) == 0, "GET manifest by tag");
	ok(m && m->len == strlen(im->manifest) && memcmp(m->data, im->manifest, m->len) == 0, "same bytes back");
	is_str(m ? m->media_type : NULL, MEDIA_TYPE_OCI_MANIFEST, "media type");
	is_str(m ? m->digest : NULL, im->manifest_digest, "digest");
	ok(registry_manifest_get(reg, "test/image", im->manifest_digest, &bd, &err) == 0, "GET manifest by digest");
	is_str(bd ? bd->digest : NULL, im->manifest_digest, "digest verified");

	/* A Docker schema 2 manifest under another tag and then by digest. */
	cleanup_free char *dm = oci_manifest(im, MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_DOCKER_CONFIG,
					     MEDIA_TYPE_DOCKER_LAYER);
	cleanup_free char *dd = digest_sha256(dm, strlen(dm));
	cleanup_registry_manifest struct registry_manifest *dmm = NULL;
	ok(registry_manifest_put(reg, "test/image", dd, MEDIA_TYPE_DOCKER_MANIFEST, dm, strlen(dm), NULL, &err) == 0,
	   "put a Docker manifest by digest");
	ok(registry_manifest_get(reg, "test/image", dd, &dmm, &err) == 0, "GET it back");
	is_str(dmm ? dmm->media_type : NULL, MEDIA_TYPE_DOCKER_MANIFEST, "Docker schema 2 media type");
	ok(err == NULL, "no error so far");
	diag_error(err);
	robbe_error_free(err);
	err = NULL;

	ok(registry_manifest_put(reg, "test/image", im->manifest_digest, MEDIA_TYPE_DOCKER_MANIFEST, dm, strlen(dm),
				 NULL, &err) == -REGISTRY_ERR_DIGEST_MISMATCH, "put under someone else's digest refused");
	robbe_error_free(err);
	err = NULL;

	struct registry_manifest *none = NULL;
	is_int(registry_manifest_get(reg, "test/image", "nope", &none, &err), -REGISTRY_ERR_MANIFEST_UNKNOWN,
	       "missing tag: manifest unknown");
	is_str(err ? err->msg : NULL, "manifest unknown: manifest unknown", "registry's words");
	robbe_error_free(err);
	err = NULL;
	cleanup_free char *other = digest_sha256("x", 1);
	is_int(registry_manifest_get(reg, "test/image", other, &none, &err), -REGISTRY_ERR_MANIFEST_UNKNOWN,
	       "missing digest: manifest unknown");
	robbe_error_free(err);
	err = NULL;
	ok(registry_manifest_get(reg, "test/image", "sha256:abc", &none, &err) < 0 && err &&
	   strcmp(err->msg, "invalid checksum digest length") == 0, "invalid digest refused before asking");
	robbe_error_free(err);
}

static void test_fetch_many(struct registry *reg, const struct image *im)
{
	cleanup_free char *d1 = path_in_tmp("out-layer1");
	cleanup_free char *d2 = path_in_tmp("out-layer2");
	cleanup_free char *d3 = path_in_tmp("out-config");
	cleanup_free char *d4 = path_in_tmp("out-layer1-again");
	struct progress_log log = { 0 };
	robbe_error *err = NULL;
	struct registry_blob_job jobs[] = {
		{ im->layer_digest, 1 << 20, d1, record, &log, NULL },
		{ im->layer2_digest, 65536, d2, record, &log, NULL },
		{ im->config_digest, strlen(im->config), d3, record, &log, NULL },
		{ im->layer_digest, 0, d4, record, &log, NULL },
	};

	ok(registry_blob_fetch_many(reg, "test/image", jobs, ARRAY_SIZE(jobs), &err) == 0, "fetch 4 blobs in parallel");
	diag_error(err);
	for (size_t i = 0; i < ARRAY_SIZE(jobs); i++) {
		cleanup_free char *got = file_digest(jobs[i].dest);
		is_str(got, jobs[i].digest, "blob %zu has its digest", i);
		cleanup_free char *partial = xasprintf("%s.partial", jobs[i].dest);
		ok(!exists(partial), "blob %zu: no .partial left", i);
		ok(jobs[i].error == NULL, "blob %zu: no error", i);
	}
	is_int(log.waiting, 4, "each blob reported waiting");
	is_int(log.complete, 4, "each blob reported complete");
	is_int(log.verifying, 4, "each blob reported verifying");
	is_int(log.max_active, 3, "at most 3 transfers at once (and 3 did run together)");
	ok(log.saw_full, "progress reached the total");
	robbe_error_free(err);
}

static void test_fetch_fd(struct registry *reg, const struct image *im)
{
	cleanup_free char *path = path_in_tmp("out-fd");
	cleanup_close int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	robbe_error *err = NULL;

	ok(registry_blob_fetch_fd(reg, "test/image", im->layer2_digest, 65536, fd, NULL, NULL, &err) == 0,
	   "fetch into an fd");
	cleanup_free char *got = file_digest(path);
	is_str(got, im->layer2_digest, "fd content verified");
	robbe_error_free(err);
}

static void test_mount(struct registry *reg, const struct image *im)
{
	struct registry_options o = { .daemon_json = "", .push = true };
	cleanup_registry struct registry *pusher = open_registry(open_reg, &o);
	struct progress_log log = { 0 };
	robbe_error *err = NULL;
	bool mounted = false;

	ok(registry_blob_push_file(pusher, "test/mounted", im->layer_digest, im->layer_path, "test/image", record, &log,
				   &mounted, &err) == 0, "push with a cross-repository mount");
	ok(mounted && log.mounted == 1, "the blob was mounted, not uploaded");
	is_int(registry_blob_head(reg, "test/mounted", im->layer_digest, NULL, &err), 1, "mounted blob present");

	mounted = true;
	ok(registry_blob_push_file(pusher, "test/mounted2", im->layer2_digest, im->layer2_path, "test/nothing-here",
				   NULL, NULL, &mounted, &err) == 0, "mount from a repository without the blob");
	ok(!mounted, "fell back to an upload");
	is_int(registry_blob_head(reg, "test/mounted2", im->layer2_digest, NULL, &err), 1, "uploaded blob present");
	ok(err == NULL, "no error");
	diag_error(err);
	robbe_error_free(err);
}

/* Flip a byte of a blob in the registry's own storage: the registry serves
 * it as is, and the client must notice. */
static bool corrupt_in_storage(const char *digest)
{
	const char *hex = digest_hex(digest);
	cleanup_free char *path = xasprintf("%s/docker/registry/v2/blobs/sha256/%.2s/%s/data",
					    getenv("REG_OPEN_DATA"), hex, hex);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	unsigned char c;
	bool done = false;

	if (fd < 0)
		return false;
	if (pread(fd, &c, 1, 100) == 1) {
		c ^= 0xff;
		done = pwrite(fd, &c, 1, 100) == 1;
	}
	close(fd);
	return done;
}

static void test_mismatch(struct registry *reg)
{
	cleanup_free char *digest = NULL;
	cleanup_free char *src = random_file("victim", 200000, &digest);
	cleanup_free char *dest = path_in_tmp("out-victim");
	cleanup_free char *partial = xasprintf("%s.partial", dest);
	struct progress_log log = { 0 };
	robbe_error *err = NULL;

	ok(registry_blob_push_file(reg, "test/victim", digest, src, NULL, NULL, NULL, NULL, &err) == 0,
	   "push the blob to corrupt");
	ok(corrupt_in_storage(digest), "corrupted it in the registry's storage");
	is_int(registry_blob_fetch(reg, "test/victim", digest, 200000, dest, record, &log, &err),
	       -REGISTRY_ERR_DIGEST_MISMATCH, "digest mismatch detected");
	ok(err && strstr(err->msg, digest) && strstr(err->msg, "got sha256:"), "the error names both digests");
	diag_error(err);
	ok(!exists(dest) && !exists(partial), "the partial file is deleted");
	is_int(log.failed, 1, "failure reported to progress");
	robbe_error_free(err);
	err = NULL;

	/* A size smaller than the data: the download stops early. */
	cleanup_free char *d2 = NULL;
	cleanup_free char *src2 = random_file("sized", 100000, &d2);
	registry_blob_push_file(reg, "test/victim", d2, src2, NULL, NULL, NULL, NULL, &err);
	is_int(registry_blob_fetch(reg, "test/victim", d2, 5000, dest, NULL, NULL, &err), -REGISTRY_ERR_DIGEST_MISMATCH,
	       "more data than the declared size is refused");
	ok(err && strstr(err->msg, "more data than the 5000 bytes declared"), "size message");
	diag_error(err);
	ok(!exists(dest) && !exists(partial), "nothing left behind");
	robbe_error_free(err);
	err = NULL;

	cleanup_free char *absent = digest_sha256("absent", 6);
	is_int(registry_blob_fetch(reg, "test/victim", absent, 0, dest, NULL, NULL, &err), -REGISTRY_ERR_BLOB_UNKNOWN,
	       "missing blob: blob unknown");
	is_str(err ? err->msg : NULL, "blob unknown: blob unknown to registry", "registry's words");
	robbe_error_free(err);
}

static void test_open_registry(void)
{
	struct registry_options o = { .daemon_json = "", .push = true };
	cleanup_registry struct registry *reg = open_registry(open_reg, &o);
	struct image im = { 0 };
	robbe_error *err = NULL;

	if (!ok(reg != NULL, "open %s", open_reg))
		return;
	ok(registry_ping(reg, &err) == 0, "ping");
	cleanup_free char *url = xasprintf("http://%s", open_reg);
	is_str(registry_url(reg), url, "plain HTTP on 127.0.0.1");
	ok(registry_check_login(reg, &err) == 0, "login check passes on a registry without auth");
	push_image(reg, &im);
	test_chunked_push(&im);
	test_manifests(reg, &im);
	test_fetch_many(reg, &im);
	test_fetch_fd(reg, &im);
	test_mount(reg, &im);
	test_mismatch(reg);
	robbe_error_free(err);
	free(im.layer_path);
	free(im.layer_digest);
	free(im.layer2_path);
	free(im.layer2_digest);
	free(im.config);
	free(im.config_digest);
	free(im.manifest);
	free(im.manifest_digest);
}

/* ---- htpasswd (Basic) registry ---- */

static int push_small(struct registry *reg, const char *repo, robbe_error **err)
{
	static const char data[] = "robbe basic auth test";
#define SMALL_MANIFEST_FMT "{\"schemaVersion\":2,\"mediaType\":\"" MEDIA_TYPE_OCI_MANIFEST "\"," \
	"\"config\":{\"mediaType\":\"" MEDIA_TYPE_OCI_CONFIG "\",\"digest\":\"%s\",\"size\":%zu},\"layers\":[]}"
	cleanup_free char *d = NULL;
	int r = registry_blob_push_data(reg, repo, NULL, data, strlen(data), &d, err);

	if (r < 0)
		return r;
	cleanup_free char *m = xasprintf(SMALL_MANIFEST_FMT, d, strlen(data));
	return registry_manifest_put(reg, repo, "latest", MEDIA_TYPE_OCI_MANIFEST, m, strlen(m), NULL, err);
}

static void test_basic_auth(void)
{
	const char *user = getenv("REG_AUTH_USER"), *pass = getenv("REG_AUTH_PASS");
	struct registry_options o = { .daemon_json = "", .push = true };
	robbe_error *err = NULL;
	struct registry *reg;

	reg = open_registry(auth_reg, &o);
	is_int(push_small(reg, "auth/anon", &err), -REGISTRY_ERR_DENIED, "anonymous push is denied");
	is_str(err ? err->msg : NULL, "unauthorized: authentication required", "registry's words");
	robbe_error_free(err);
	err = NULL;
	struct registry_manifest *m = NULL;
	is_int(registry_manifest_get(reg, "auth/anon", "latest", &m, &err), -REGISTRY_ERR_DENIED,
	       "anonymous pull is denied (pull access denied)");
	robbe_error_free(err);
	err = NULL;
	is_int(registry_check_login(reg, &err), -REGISTRY_ERR_UNAUTHORIZED, "login check without credentials fails");
	robbe_error_free(err);
	err = NULL;
	registry_free(reg);

	o.username = user;
	o.password = "wrong-password";
	reg = open_registry(auth_reg, &o);
	is_int(registry_check_login(reg, &err), -REGISTRY_ERR_UNAUTHORIZED, "wrong password: login check fails");
	is_str(err ? err->msg : NULL, "unauthorized: authentication required", "unauthorized message");
	robbe_error_free(err);
	err = NULL;
	ok(push_small(reg, "auth/wrong", &err) < 0, "wrong password: push fails");
	robbe_error_free(err);
	err = NULL;

	registry_set_credentials(reg, user, pass);
	ok(registry_check_login(reg, &err) == 0, "right password: login check passes");
	ok(push_small(reg, "auth/good", &err) == 0, "right password: push works");
	diag_error(err);
	ok(registry_manifest_get(reg, "auth/good", "latest", &m, &err) == 0, "and pull works");
	registry_manifest_free(m);
	registry_free(reg);
	robbe_error_free(err);
	err = NULL;

	/* Credentials from Docker's config.json. */
	cleanup_free char *dc = path_in_tmp("docker-config");
	setenv("DOCKER_CONFIG", dc, 1);
	unsetenv("REGISTRY_AUTH_FILE");
	unsetenv("XDG_RUNTIME_DIR");
	ok(auth_store(auth_reg, user, pass, NULL, &err) == 0, "store credentials in config.json");
	struct registry_options o2 = { .daemon_json = "", .push = true, .use_credential_store = true };
	reg = open_registry(auth_reg, &o2);
	ok(reg && push_small(reg, "auth/stored", &err) == 0, "push with stored credentials");
	diag_error(err);
	registry_free(reg);
	robbe_error_free(err);
}

/* ---- the fault server (Bearer tokens) ---- */

static void test_faults_blobs(struct registry *reg, const char *digest)
{
	cleanup_free char *dest = path_in_tmp("out-fault");
	cleanup_free char *key = NULL;
	struct progress_log log = { 0 };
	robbe_error *err = NULL;

	ok(registry_blob_fetch(reg, "retry", digest, 1 << 20, dest, record, &log, &err) == 0, "500 once, then success");
	diag_error(err);
	key = xasprintf("/v2/retry/blobs/%s", digest);
	is_int(fault_count(key), 2, "it took two tries");
	ok(log.retrying == 1 && log.last_attempt == 2, "retry reported with the next attempt number");
	cleanup_free char *got = file_digest(dest);
	is_str(got, digest, "retried blob verified");
	unlink(dest);

	ok(registry_blob_fetch(reg, "reset", digest, 1 << 20, dest, NULL, NULL, &err) == 0,
	   "connection reset mid-body, then success");
	diag_error(err);
	free(key);
	key = xasprintf("/v2/reset/blobs/%s", digest);
	is_int(fault_count(key), 2, "two tries");
	free(got);
	got = file_digest(dest);
	is_str(got, digest, "the retry started the file over");
	unlink(dest);

	int r = registry_blob_fetch(reg, "always500", digest, 0, dest, NULL, NULL, &err);
	ok(r < 0 && err && strstr(err->msg, "service unavailable"), "always failing: gives up");
	diag_error(err);
	robbe_error_free(err);
	err = NULL;
	free(key);
	key = xasprintf("/v2/always500/blobs/%s", digest);
	is_int(fault_count(key), 3, "at most 3 tries");

	ok(registry_blob_fetch(reg, "redirect", digest, 0, dest, NULL, NULL, &err) == 0,
	   "redirect to storage on another origin");
	diag_error(err);
	is_int(fault_count("storage"), 1, "storage served it");
	is_int(fault_count("storage leaked authorization"), 0, "without our Authorization header");
	unlink(dest);

	ok(registry_blob_fetch(reg, "relredirect", digest, 0, dest, NULL, NULL, &err) == 0,
	   "relative redirect on the same origin keeps the token");
	diag_error(err);
	unlink(dest);

	is_int(registry_blob_fetch(reg, "corrupt", digest, 0, dest, NULL, NULL, &err), -REGISTRY_ERR_DIGEST_MISMATCH,
	       "corrupt blob detected");
	ok(!exists(dest), "and removed");
	robbe_error_free(err);
}

static void test_faults_tokens(struct registry *reg, const char *digest)
{
	cleanup_free char *dest = path_in_tmp("out-plain");
	robbe_error *err = NULL;

	/* One token for "plain", however many fetches. */
	for (int i = 0; i < 2; i++) {
		ok(registry_blob_fetch(reg, "plain", digest, 0, dest, NULL, NULL, &err) == 0, "fetch plain #%d", i + 1);
		unlink(dest);
	}
	is_int(fault_count("token repository:plain:pull"), 1, "the token was fetched once and cached");
	is_int(fault_count("token repository:retry:pull"), 1, "a token per scope");
	robbe_error_free(err);
}

static void test_faults_manifests(struct registry *reg)
{
	struct registry_manifest *m = NULL;
	robbe_error *err = NULL;

	is_int(registry_manifest_get(reg, "schema1", "latest", &m, &err), -REGISTRY_ERR_UNSUPPORTED,
	       "schema 1 manifest refused");
	ok(err && strstr(err->msg, "schema 1") && strstr(err->msg, "not supported"), "clear schema 1 message");
	diag_error(err);
	robbe_error_free(err);
	err = NULL;
	is_int(registry_manifest_get(reg, "baddcd", "latest", &m, &err), -REGISTRY_ERR_DIGEST_MISMATCH,
	       "Docker-Content-Digest that does not match the body");
	robbe_error_free(err);
	err = NULL;
	cleanup_free char *want = digest_sha256("something else", 14);
	is_int(registry_manifest_get(reg, "baddcd", want, &m, &err), -REGISTRY_ERR_DIGEST_MISMATCH,
	       "pull by digest verifies the body");
	ok(err && strstr(err->msg, want), "the message names the expected digest");
	robbe_error_free(err);
	err = NULL;
	ok(registry_manifest_get(reg, "huge", "latest", &m, &err) < 0 && err && strstr(err->msg, "4194304"),
	   "a manifest over 4 MiB is refused");
	diag_error(err);
	robbe_error_free(err);
}

static void test_faults_login(void)
{
	struct registry_options o = { .daemon_json = "", .username = getenv("FAULT_USER"), .password = "nope" };
	cleanup_registry struct registry *reg = open_registry(faults, &o);
	robbe_error *err = NULL;

	is_int(registry_check_login(reg, &err), -REGISTRY_ERR_UNAUTHORIZED, "bearer login with a wrong password");
	is_str(err ? err->msg : NULL, "unauthorized: incorrect username or password", "token server's words");
	robbe_error_free(err);
	err = NULL;
	registry_set_credentials(reg, getenv("FAULT_USER"), getenv("FAULT_PASS"));
	ok(registry_check_login(reg, &err) == 0, "bearer login with the right password");
	diag_error(err);
	robbe_error_free(err);
}

static void test_faults(void)
{
	struct registry_options o = { .daemon_json = "", .retry_delay_ms = 50 };
	cleanup_registry struct registry *reg = open_registry(faults, &o);
	cleanup_free char *digest = file_digest(getenv("FAULT_BLOB"));

	if (!ok(reg && digest, "open the fault server"))
		return;
	test_faults_blobs(reg, digest);
	test_faults_tokens(reg, digest);
	test_faults_manifests(reg);
	test_faults_login();
}

/* ---- insecure registry: HTTPS first, then HTTP ---- */

static void test_insecure_fallback(void)
{
	const char *name = getenv("INSECURE_NAME");
	const char *port = strchr(open_reg, ':') + 1;
	robbe_error *err = NULL;

	if (!name || !*name) {
		ok(1, "# SKIP no non-localhost name resolves to 127.0.0.1");
		return;
	}
	cleanup_free char *domain = xasprintf("%s:%s", name, port);
	cleanup_free char *path = path_in_tmp("daemon-insecure.json");
	cleanup_free char *json = xasprintf("{\"insecure-registries\": [\"%s\"]}", domain);
	write_file_atomic(path, json, strlen(json), 0644, &err);

	struct registry_options strict = { .daemon_json = "" };
	cleanup_registry struct registry *r1 = open_registry(domain, &strict);
	ok(registry_ping(r1, &err) == -REGISTRY_ERR_NETWORK, "%s over HTTPS without being insecure fails", domain);
	robbe_error_free(err);
	err = NULL;

	struct registry_options o = { .daemon_json = path };
	cleanup_registry struct registry *r2 = open_registry(domain, &o);
	ok(registry_ping(r2, &err) == 0, "listed insecure: falls back to HTTP");
	cleanup_free char *url = xasprintf("http://%s", domain);
	is_str(registry_url(r2), url, "HTTP endpoint in use");
	diag_error(err);
	robbe_error_free(err);
}

int main(void)
{
	tmpdir = getenv("TEST_TMPDIR");
	open_reg = getenv("REG_OPEN");
	auth_reg = getenv("REG_AUTH");
	faults = getenv("FAULTS");
	if (!tmpdir || !open_reg || !auth_reg || !faults) {
		printf("1..0 # SKIP run through tests/unit/test-registry.sh\n");
		return 0;
	}
	unsetenv("DOCKER_CONFIG");
	test_config();
	test_refused();
	test_open_registry();
	test_basic_auth();
	test_faults();
	test_insecure_fallback();
	registry_token_cache_clear();
	return tap_done();
}
