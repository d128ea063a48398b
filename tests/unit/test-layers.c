/* test-layers.c: the blob and layer store: blobs, chain IDs, applying
 * layers atomically, crash leftovers.  Runs as root. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "digest.h"
#include "store/layers.h"
#include "tap.h"
#include "tar-builder.h"
#include "tarball.h"

static char *root;

static const char *P(const char *rel)
{
	static char bufs[4][4096];
	static int i;
	i = (i + 1) % 4;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", root, rel);
	return bufs[i];
}

static bool exists(const char *rel)
{
	struct stat st;
	return lstat(P(rel), &st) == 0;
}

/* Names in root/rel starting with prefix. */
static int count_prefix(const char *rel, const char *prefix)
{
	DIR *d = opendir(P(rel));
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (str_has_prefix(de->d_name, prefix))
			n++;
	closedir(d);
	return n;
}

/* A gzipped layer with one file; *diff_id gets its diff ID. */
static int layer_blob(const char *name, const char *content, char **diff_id)
{
	cleanup_free char *plain = NULL;
	cleanup_free char *gz = NULL;
	size_t len, glen;
	struct tb t;

	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = name, .data = content });
	plain = tb_finish(&t, &len);
	*diff_id = digest_sha256(plain, len);
	gz = compress_bytes(plain, len, "gzip", &glen);
	return mem_fd(gz, glen);
}

static void test_chain_ids(void)
{
	cleanup_free char *base = NULL;
	cleanup_free char *c = NULL;
	cleanup_free char *c1 = NULL;
	cleanup_free char *c2 = NULL;
	cleanup_free char *c3 = NULL;
	char pa_buf[80], pd_buf[80];

	snprintf(pa_buf, sizeof(pa_buf), "sha256:%s", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	snprintf(pd_buf, sizeof(pd_buf), "sha256:%s", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	base = layer_chain_id(NULL, pd_buf);
	is_str(base, pd_buf, "base layer: chain ID is the diff ID");
	c = layer_chain_id(pa_buf, pd_buf);
	is_str(c, "sha256:ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c",
	       "chain = sha256(parent + \" \" + diff)");
	/* Three layers whose diff IDs are sha256("layer1"), ("layer2"), ("layer3"). */
	c1 = layer_chain_id(NULL, "sha256:77ea7eee3d80b1a38f83906dd3048e2689457eb90e18a7d12f839c5ae37106a2");
	c2 = layer_chain_id(c1, "sha256:95cf1a2e1698fe3ca1fcc3f653119146b271d0b62e487ec264441e886a11bd06");
	c3 = layer_chain_id(c2, "sha256:a0e70458d19e37e14d6388030a017c587283e2fb6ef10c0744cad0294c47e8f8");
	is_str(c2, "sha256:9c7a0b8937394482a0afcc4bef0ca0aba0d74084bd9f60198ec7fac434e5436d", "chain of two");
	is_str(c3, "sha256:1512378f2edc09c9e21c7511cc1aaf7c6d42d3b6ff301027b8527b8b23c3ce70", "chain of three");
	ok(layer_chain_id(NULL, "sha256:1234") == NULL, "invalid diff ID refused");
	ok(layer_chain_id("sha256:../../x", pd_buf) == NULL, "invalid parent refused");
}

static void test_blobs(struct layer_store *s)
{
	cleanup_free char *d = NULL;
	cleanup_free char *data = NULL;
	cleanup_free char *path = NULL;
	cleanup_free char *want = digest_sha256("config", 6);
	cleanup_error robbe_error *err = NULL;
	struct blob_writer *w;
	size_t len = 0;
	int fd;

	ok(layer_store_put_blob(s, "config", 6, want, &d, &err) == 0, "put blob with expected digest");
	is_str(d, want, "digest returned");
	ok(layer_store_has_blob(s, want), "blob present");
	path = layer_store_blob_path(s, want);
	ok(path && str_has_suffix(path, want + 7) && strstr(path, "/blobs/sha256/"), "blob path blobs/sha256/<hex>");
	ok(layer_store_read_blob(s, want, 100, &data, &len, &err) == 0 && len == 6 && !memcmp(data, "config", 6),
	   "read blob back");

	ok(layer_store_put_blob(s, "other", 5, want, NULL, &err) < 0 && strstr(err->msg, "digest mismatch"),
	   "wrong content refused");
	robbe_error_free(err);
	err = NULL;
	is_int(count_prefix("blobs", ".partial-"), 0, "no partial file left after a refused blob");

	ok(blob_writer_new(s, &w, &err) == 0, "streaming writer");
	blob_writer_write(w, "conf", 4, &err);
	blob_writer_write(w, "ig", 2, &err);
	ok(blob_writer_commit(w, want, 7, NULL, &err) < 0 && strstr(err->msg, "size mismatch"), "size checked");
	robbe_error_free(err);
	err = NULL;

	{
		cleanup_free char *dl = digest_sha256("downloaded", 10);
		ok(blob_writer_new(s, &w, &err) == 0 && write(blob_writer_fd(w), "downloaded", 10) == 10,
		   "external writer gets the partial fd");
		ok(blob_writer_commit_verified(w, dl, 10, &err) == 0 && layer_store_has_blob(s, dl),
		   "externally verified blob published");
		blob_writer_new(s, &w, &err);
		ok(blob_writer_commit_verified(w, "sha256:../x", -1, &err) < 0 &&
			   count_prefix("blobs", ".partial-") == 0,
		   "bad digest refused, partial removed");
		robbe_error_free(err);
		err = NULL;
	}
	ok(!layer_store_has_blob(s, "sha256:../../../etc/passwd"), "traversal digest is not a blob");
	ok(layer_store_blob_path(s, "sha256:../../../etc/passwd") == NULL, "no path for a traversal digest");
	ok(layer_store_open_blob(s, "sha512:abcd", &fd, &err) < 0, "non-sha256 digest refused");
	robbe_error_free(err);
	err = NULL;

	/* Damage the stored blob: reading notices. */
	write_file_atomic(path, "CONFIG", 6, 0644, NULL);
	free(data);
	data = NULL;
	ok(layer_store_read_blob(s, want, 100, &data, &len, &err) < 0 && strstr(err->msg, "corrupt"),
	   "corrupt blob detected");
	robbe_error_free(err);
	err = NULL;
	ok(layer_store_remove_blob(s, want, &err) == 0 && !layer_store_has_blob(s, want), "remove blob");
}

static void test_apply(struct layer_store *s)
{
	cleanup_free char *d1 = NULL;
	cleanup_free char *d2 = NULL;
	cleanup_free char *c1 = NULL;
	cleanup_free char *c2 = NULL;
	cleanup_free char *again = NULL;
	cleanup_free char *want2 = NULL;
	cleanup_free char *lowers = NULL;
	cleanup_free char *lowers1 = NULL;
	cleanup_free char *diff = NULL;
	cleanup_free char *content = NULL;
	cleanup_free char *l1 = NULL;
	cleanup_free char *l2 = NULL;
	cleanup_free char *file = NULL;
	cleanup_error robbe_error *err = NULL;
	int fd1 = layer_blob("base.txt", "base", &d1);
	int fd2 = layer_blob("top.txt", "top", &d2);
	struct stat st;

	ok(tar_apply_layer(s, fd1, NULL, d1, NULL, &c1, &err) == 0, "apply base layer");
	is_str(c1, d1, "base chain ID is the diff ID");
	ok(layer_store_has_layer(s, c1), "base layer present");
	diff = layer_store_diff_path(s, c1);
	file = xasprintf("%s/base.txt", diff);
	ok(read_file_all(file, 100, &content, NULL, NULL) == 0 && !strcmp(content, "base"), "base content");

	ok(tar_apply_layer(s, fd2, c1, d2, NULL, &c2, &err) == 0, "apply child layer");
	want2 = layer_chain_id(c1, d2);
	is_str(c2, want2, "child chain ID");
	ok(layer_store_lowers(s, c2, &lowers, &err) == 0, "lowers of child");
	ok(layer_store_lowers(s, c1, &lowers1, &err) == 0, "lowers of base");
	ok(lowers1 && strlen(lowers1) == 2 + 26 && str_has_prefix(lowers1, "l/"), "base lowers: one short link");
	ok(lowers && lowers1 && str_has_suffix(lowers, lowers1) && strlen(lowers) == 2 * 28 + 1,
	   "child lowers: own link, then parent's (%s)", lowers ? lowers : "");
	l1 = xasprintf("%s/%s/top.txt", layer_store_overlay_dir(s), lowers ? strtok(lowers, ":") : "");
	ok(stat(l1, &st) == 0, "short link resolves to the child's diff");

	lseek(fd2, 0, SEEK_SET);
	ok(tar_apply_layer(s, fd2, c1, d2, NULL, &again, &err) == 0 && !strcmp(again, c2), "re-apply is a no-op");
	is_int(count_prefix("overlay", ".tmp-"), 0, "no temporary directories after success");

	ok(layer_store_remove_layer(s, c2, &err) == 0 && !layer_store_has_layer(s, c2), "remove layer");
	l2 = xasprintf("%s/%s", layer_store_overlay_dir(s), lowers ? lowers : "");
	ok(lstat(l2, &st) < 0, "its short link is gone");
	is_int(count_prefix("overlay", ".tmp-"), 0, "no temporary directories after removal");
	close(fd1);
	close(fd2);
}

static void test_bad_layers(struct layer_store *s)
{
	cleanup_free char *d = NULL;
	cleanup_free char *other = NULL;
	cleanup_free char *chain = NULL;
	cleanup_free char *gz = NULL;
	cleanup_free char *plain = NULL;
	cleanup_free char *hostile_diff = NULL;
	cleanup_free char *big = xmalloc(300000);
	cleanup_error robbe_error *err = NULL;
	size_t len, glen;
	int r, fd = layer_blob("x", "x", &d);
	struct tb t;

	other = xstrdup(d);
	other[10] = other[10] == 'a' ? 'b' : 'a';
	r = tar_apply_layer(s, fd, NULL, other, NULL, NULL, &err);
	ok(r < 0 && strstr(err->msg, "does not match its diff ID"), "diff ID mismatch refused (%s)",
	   err ? err->msg : "accepted");
	robbe_error_free(err);
	err = NULL;
	ok(!layer_store_has_layer(s, other), "no layer under the claimed chain");
	is_int(count_prefix("overlay", ".tmp-"), 0, "mismatch leaves no temporary directory");
	close(fd);

	for (size_t i = 0; i < 300000; i++)
		big[i] = (char) (i * 31 % 253);
	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "big", .data = big, .size = 300000 });
	plain = tb_finish(&t, &len);
	free(d);
	d = digest_sha256(plain, len);
	gz = compress_bytes(plain, len, "gzip", &glen);
	fd = mem_fd(gz, glen - glen / 3);
	r = tar_apply_layer(s, fd, NULL, d, NULL, NULL, &err);
	ok(r < 0, "truncated gzip layer refused (%s)", err ? err->msg : "accepted");
	robbe_error_free(err);
	err = NULL;
	ok(!layer_store_has_layer(s, d), "no layer dir for the truncated layer");
	is_int(count_prefix("overlay", ".tmp-"), 0, "truncated layer leaves no temporary directory");
	close(fd);

	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "evil", .type = AE_IFLNK, .symlink = "/tmp" });
	tb_add(&t, (struct tb_entry){ .path = "evil/pwned-by-layer", .data = "x" });
	free(plain);
	plain = tb_finish(&t, &len);
	hostile_diff = digest_sha256(plain, len);
	fd = mem_fd(plain, len);
	ok(tar_apply_layer(s, fd, NULL, hostile_diff, NULL, NULL, &err) < 0, "hostile layer refused");
	robbe_error_free(err);
	err = NULL;
	ok(!layer_store_has_layer(s, hostile_diff) && count_prefix("overlay", ".tmp-") == 0 &&
		   access("/tmp/pwned-by-layer", F_OK) < 0,
	   "hostile layer leaves nothing");
	close(fd);

	fd = layer_blob("y", "y", &chain);
	ok(tar_apply_layer(s, fd, other, chain, NULL, NULL, &err) < 0 && strstr(err->msg, "parent"),
	   "missing parent refused");
	close(fd);
}

static void test_cleanup(struct layer_store *s)
{
	cleanup_error robbe_error *err = NULL;
	cleanup_free char *d = NULL;
	cleanup_free char *c = NULL;
	cleanup_free char *lowers = NULL;
	cleanup_free char *dangling = NULL;
	cleanup_free char *link_rel = NULL;
	struct layer_tx *live_tx;
	struct blob_writer *live_blob;
	int status, fd;
	pid_t pid;

	/* A child starts a layer and a blob and dies without finishing. */
	pid = fork();
	if (pid == 0) {
		struct layer_tx *tx;
		struct blob_writer *w;
		if (layer_tx_begin(s, &tx, NULL) < 0 || blob_writer_new(s, &w, NULL) < 0)
			_exit(1);
		mkdirat(layer_tx_diff_fd(tx), "half", 0755);
		blob_writer_write(w, "half a blob", 11, NULL);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child left work behind");
	ok(layer_tx_begin(s, &live_tx, &err) == 0 && blob_writer_new(s, &live_blob, &err) == 0,
	   "this process has work in progress too");
	mkdir(P("overlay/.tmp-oldremoval"), 0700);
	mkdir(P("overlay/.tmp-oldremoval/diff"), 0700);
	dangling = xasprintf("../%064d/diff", 7);
	symlinkat(dangling, AT_FDCWD, P("overlay/l/AAAAAAAAAAAAAAAAAAAAAAAAAA"));
	is_int(count_prefix("overlay", ".tmp-"), 3, "three temporary directories before cleanup");
	is_int(count_prefix("blobs", ".partial-"), 2, "two partial blobs before cleanup");

	/* A published layer whose short link was lost (crash after rename). */
	fd = layer_blob("z", "z", &d);
	tar_apply_layer(s, fd, NULL, d, NULL, &c, &err);
	close(fd);
	layer_store_lowers(s, c, &lowers, &err);
	link_rel = xasprintf("overlay/%s", lowers);
	unlink(P(link_rel));

	status = layer_store_cleanup(s, &err);
	ok(status == 0, "cleanup runs (%s)", err ? err->msg : "ok");
	is_int(count_prefix("overlay", ".tmp-"), 1, "dead temporary directories removed, the live one kept");
	is_int(count_prefix("blobs", ".partial-"), 1, "dead partial blob removed, the live one kept");
	ok(!exists("overlay/l/AAAAAAAAAAAAAAAAAAAAAAAAAA"), "dangling short link removed");
	ok(exists(link_rel), "lost short link recreated");

	blob_writer_write(live_blob, "live", 4, &err);
	ok(blob_writer_commit(live_blob, NULL, 4, NULL, &err) == 0, "live blob still commits");
	layer_tx_abort(live_tx);
	is_int(count_prefix("overlay", ".tmp-"), 0, "aborted tx removed its directory");
	is_int(count_prefix("blobs", ".partial-"), 0, "no partial blobs");
}

int main(void)
{
	cleanup_error robbe_error *err = NULL;
	struct layer_store *s = NULL;

	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	root = make_tmpdir();
	ok(layer_store_open(root, &s, &err) == 0, "open store");
	ok(exists("blobs/sha256") && exists("overlay/l"), "layout created");
	test_chain_ids();
	test_blobs(s);
	test_apply(s);
	test_bad_layers(s);
	test_cleanup(s);
	layer_store_free(s);
	remove_tree(root);
	free(root);
	return tap_done();
}
