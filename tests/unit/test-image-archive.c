/* test-image-archive.c: `docker save` archives written and read back
 * (Docker 25+/OCI layout, legacy Docker layout, OCI-only), hostile archives.
 * Runs as root (layers are applied to a store). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "digest.h"
#include "image-archive.h"
#include "store/layers.h"
#include "tap.h"
#include "tar-builder.h"
#include "tarball.h"

static char *tmp;

struct layer {
	char *plain;	/* uncompressed tar */
	size_t len;
	char *diff_id;
	int gz_fd;	/* gzipped blob */
};

static void make_layer(struct layer *l, const char *file, const char *content)
{
	cleanup_free char *gz = NULL;
	size_t glen;
	struct tb t;

	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "data/", .type = AE_IFDIR });
	tb_add(&t, (struct tb_entry){ .path = file, .data = content });
	l->plain = tb_finish(&t, &l->len);
	l->diff_id = digest_sha256(l->plain, l->len);
	gz = compress_bytes(l->plain, l->len, "gzip", &glen);
	l->gz_fd = mem_fd(gz, glen);
}

static char *make_config(const struct layer *layers, size_t n, const char *cmd)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"%s\"]},"
		       "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[", cmd);
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&sb, "%s\"%s\"", i ? "," : "", layers[i].diff_id);
	sbuf_adds(&sb, "]}}");
	return sbuf_detach(&sb);
}

/* A member of a tar file, or NULL. */
static char *tar_member(const char *archive_path, const char *name, size_t *len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char *r = NULL;

	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	if (archive_read_open_filename(a, archive_path, 65536) != ARCHIVE_OK)
		return NULL;
	while (!r && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e), name) != 0)
			continue;
		size_t n = (size_t) archive_entry_size(e);
		r = xmalloc(n + 1);
		archive_read_data(a, r, n);
		r[n] = '\0';
		if (len)
			*len = n;
	}
	archive_read_free(a);
	return r;
}

/* Copy a tar, leaving out one member (to make OCI-only archives). */
static void tar_without(const char *src, const char *dst, const char *skip)
{
	struct archive *in = archive_read_new(), *out = archive_write_new();
	struct archive_entry *e;
	char buf[65536];
	la_ssize_t n;

	archive_read_support_format_tar(in);
	archive_read_open_filename(in, src, 65536);
	archive_write_set_format_pax_restricted(out);
	archive_write_open_filename(out, dst);
	while (archive_read_next_header(in, &e) == ARCHIVE_OK) {
		if (!strcmp(archive_entry_pathname(e), skip))
			continue;
		archive_write_header(out, e);
		while ((n = archive_read_data(in, buf, sizeof(buf))) > 0)
			archive_write_data(out, buf, (size_t) n);
	}
	archive_read_free(in);
	archive_write_close(out);
	archive_write_free(out);
}

static char *fresh(const char *name)
{
	char *d = xasprintf("%s/%s", tmp, name);
	remove_tree(d);
	mkdir(d, 0700);
	return d;
}

static int load(const char *archive_path, const char *work, const struct oci_platform *p, struct image_archive **out,
		char **msg)
{
	cleanup_error robbe_error *err = NULL;
	cleanup_close int fd = open(archive_path, O_RDONLY | O_CLOEXEC);
	int r = image_archive_read(fd, work, p, out, &err);
	*msg = err ? xstrdup(err->msg) : NULL;
	return r;
}

static char *file_digest(const char *path)
{
	char *d = NULL;
	digest_file(path, &d, NULL);
	return d;
}

/* Check a loaded image against what was saved and apply its layers. */
static void check_loaded(const char *what, const struct loaded_image *img, const char *config,
			 const struct layer *layers, size_t n, bool oci_digests)
{
	cleanup_free char *want_id = digest_sha256(config, strlen(config));
	cleanup_free char *root = NULL;
	cleanup_free char *parent = NULL;
	cleanup_layer_store struct layer_store *s = NULL;
	cleanup_error robbe_error *err = NULL;
	bool all_ok = true;

	ok(img->config_len == strlen(config) && !memcmp(img->config, config, img->config_len), "%s: config bytes", what);
	is_str(img->config_digest, want_id, "%s: image ID", what);
	is_int((long long) img->n_layers, (long long) n, "%s: layer count", what);
	for (size_t i = 0; i < n && i < img->n_layers; i++) {
		cleanup_free char *d = file_digest(img->layers[i].path);
		is_str(img->layers[i].diff_id, layers[i].diff_id, "%s: layer %zu diff ID", what, i + 1);
		is_str(d, layers[i].diff_id, "%s: layer %zu content", what, i + 1);
		if (oci_digests)
			is_str(img->layers[i].digest, layers[i].diff_id, "%s: layer %zu blob digest", what, i + 1);
	}
	root = xasprintf("%s/store-%s", tmp, what);
	remove_tree(root);
	layer_store_open(root, &s, &err);
	for (size_t i = 0; s && i < img->n_layers; i++) {
		cleanup_close int fd = open(img->layers[i].path, O_RDONLY | O_CLOEXEC);
		char *chain = NULL;
		if (tar_apply_layer(s, fd, parent, img->layers[i].diff_id, NULL, &chain, &err) < 0)
			all_ok = false;
		free(parent);
		parent = chain;
	}
	ok(all_ok && parent && layer_store_has_layer(s, parent), "%s: layers apply to a store (%s)", what,
	   err ? err->msg : "ok");
	remove_tree(root);
}

static void test_round_trip(void)
{
	struct layer layers[2];
	cleanup_free char *config = NULL;
	cleanup_free char *config2 = NULL;
	cleanup_free char *out = xasprintf("%s/save.tar", tmp);
	cleanup_free char *oci_only = xasprintf("%s/oci-only.tar", tmp);
	cleanup_free char *work = fresh("work1");
	cleanup_free char *work2 = fresh("work2");
	cleanup_free char *msg = NULL;
	cleanup_free char *index = NULL;
	cleanup_free char *manifest_json = NULL;
	cleanup_free char *repos = NULL;
	cleanup_free char *layout = NULL;
	cleanup_free char *cfg_member = NULL;
	cleanup_free char *layer_member = NULL;
	cleanup_free char *layer_path = NULL;
	cleanup_manifest struct manifest *idx = NULL;
	cleanup_image_archive struct image_archive *loaded = NULL;
	cleanup_image_archive struct image_archive *loaded2 = NULL;
	cleanup_error robbe_error *err = NULL;
	char *tags[] = { "busybox:latest", "localhost:5000/team/busybox:1.36", NULL };
	char *names[] = { "docker.io/library/busybox:latest", "localhost:5000/team/busybox:1.36", NULL };
	struct image_archive_layer al[2];
	struct image_archive_image imgs[2];
	size_t len = 0;
	int fd, r;

	make_layer(&layers[0], "data/one", "first layer");
	make_layer(&layers[1], "data/two", "second layer");
	config = make_config(layers, 2, "sh");
	config2 = make_config(layers, 1, "true");
	for (int i = 0; i < 2; i++)
		al[i] = (struct image_archive_layer){ .fd = layers[i].gz_fd, .diff_id = layers[i].diff_id };
	imgs[0] = (struct image_archive_image){ .config = config, .config_len = strlen(config), .repo_tags = tags,
						.full_names = names, .layers = al, .n_layers = 2 };
	/* A second, untagged image sharing the first layer. */
	imgs[1] = (struct image_archive_image){ .config = config2, .config_len = strlen(config2), .layers = al,
						.n_layers = 1 };
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	r = image_archive_write(fd, imgs, 2, tmp, &err);
	ok(r == 0, "save two images (%s)", err ? err->msg : "ok");
	close(fd);

	/* The layout Docker 25+ writes. */
	layout = tar_member(out, "oci-layout", NULL);
	is_str(layout, "{\"imageLayoutVersion\":\"1.0.0\"}", "oci-layout");
	index = tar_member(out, "index.json", &len);
	ok(index && manifest_parse(index, len, NULL, &idx, &err) == 0 && idx->kind == MANIFEST_OCI_INDEX,
	   "index.json is an OCI index");
	ok(idx && idx->n_manifests == 3, "one index entry per tag plus the untagged image");
	if (idx && idx->n_manifests == 3) {
		is_str(idx->manifests[0].image_name, "docker.io/library/busybox:latest", "io.containerd.image.name");
		is_str(idx->manifests[0].ref_name, "latest", "org.opencontainers.image.ref.name is the tag");
		is_str(idx->manifests[1].ref_name, "1.36", "tag after a registry port");
		ok(idx->manifests[2].image_name == NULL, "untagged image has no name");
	}
	manifest_json = tar_member(out, "manifest.json", NULL);
	ok(manifest_json && strstr(manifest_json, "\"RepoTags\":[\"busybox:latest\",\"localhost:5000/team/busybox:1.36\"]"),
	   "manifest.json RepoTags");
	ok(manifest_json && strstr(manifest_json, "\"RepoTags\":null"), "untagged image has RepoTags null");
	layer_path = xasprintf("\"Layers\":[\"blobs/sha256/%s\",\"blobs/sha256/%s\"]", layers[0].diff_id + 7,
			       layers[1].diff_id + 7);
	ok(manifest_json && strstr(manifest_json, layer_path), "manifest.json Layers point into blobs/sha256");
	repos = tar_member(out, "repositories", NULL);
	ok(repos && strstr(repos, "\"busybox\":{\"latest\":\"") && strstr(repos, layers[1].diff_id + 7),
	   "repositories maps the tag to the top layer");
	{
		cleanup_free char *id = digest_sha256(config, strlen(config));
		cleanup_free char *m = xasprintf("blobs/sha256/%s", id + 7);
		cleanup_free char *lm = xasprintf("blobs/sha256/%s", layers[0].diff_id + 7);
		size_t llen = 0;
		cfg_member = tar_member(out, m, NULL);
		is_str(cfg_member, config, "config blob named by the image ID");
		layer_member = tar_member(out, lm, &llen);
		ok(layer_member && llen == layers[0].len && !memcmp(layer_member, layers[0].plain, llen),
		   "layer stored uncompressed under its diff ID");
	}

	/* Load it back: manifest.json wins. */
	r = load(out, work, NULL, &loaded, &msg);
	ok(r == 0, "load the saved archive (%s)", msg ? msg : "ok");
	if (r == 0 && loaded->n_images == 2) {
		ok(loaded->images[0].repo_tags[0] && !strcmp(loaded->images[0].repo_tags[0], "busybox:latest") &&
			   loaded->images[0].repo_tags[1] && !loaded->images[0].repo_tags[2],
		   "repo tags loaded");
		check_loaded("docker-layout", &loaded->images[0], config, layers, 2, false);
		ok(loaded->images[1].repo_tags[0] == NULL, "untagged image has no tags");
		check_loaded("docker-layout-2", &loaded->images[1], config2, layers, 1, false);
	} else {
		ok(0, "two images loaded");
	}

	/* Without manifest.json it is a plain OCI archive. */
	free(msg);
	msg = NULL;
	tar_without(out, oci_only, "manifest.json");
	r = load(oci_only, work2, NULL, &loaded2, &msg);
	ok(r == 0, "load as an OCI archive (%s)", msg ? msg : "ok");
	if (r == 0 && loaded2->n_images == 2) {
		ok(strv_len(loaded2->images[0].repo_tags) == 2 &&
			   !strcmp(loaded2->images[0].repo_tags[0], "docker.io/library/busybox:latest"),
		   "OCI names from io.containerd.image.name, tags merged");
		check_loaded("oci-layout", &loaded2->images[0], config, layers, 2, true);
	} else {
		ok(0, "two images loaded from OCI");
	}

	/* A layer whose content is not its diff ID cannot be saved. */
	{
		struct image_archive_layer bad = { .fd = layers[1].gz_fd, .diff_id = layers[0].diff_id };
		struct image_archive_image bi = { .config = config, .config_len = strlen(config), .layers = &bad,
						  .n_layers = 1 };
		cleanup_free char *bad_out = xasprintf("%s/bad.tar", tmp);
		cleanup_error robbe_error *e2 = NULL;
		fd = open(bad_out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		r = image_archive_write(fd, &bi, 1, tmp, &e2);
		ok(r < 0 && strstr(e2->msg, "does not match"), "save refuses a layer that is not its diff ID");
		close(fd);
	}
	for (int i = 0; i < 2; i++) {
		free(layers[i].plain);
		free(layers[i].diff_id);
		close(layers[i].gz_fd);
	}
}

/* The layout of Docker before 25, built by hand: <id>.json configs,
 * <id>/layer.tar layers, a duplicated layer as a symlink. */
static void test_legacy(void)
{
	struct layer layers[3];
	cleanup_free char *c1 = NULL;
	cleanup_free char *c2 = NULL;
	cleanup_free char *id1 = NULL;
	cleanup_free char *id2 = NULL;
	cleanup_free char *data = NULL;
	cleanup_free char *manifest = NULL;
	cleanup_free char *path = xasprintf("%s/legacy.tar.gz", tmp);
	cleanup_free char *work = fresh("work-legacy");
	cleanup_free char *msg = NULL;
	cleanup_image_archive struct image_archive *loaded = NULL;
	struct layer two[2];
	size_t len;
	struct tb t;
	int r;

	make_layer(&layers[0], "data/base", "base");
	make_layer(&layers[1], "data/a", "a");
	make_layer(&layers[2], "data/b", "b");
	c1 = make_config(layers, 2, "a");
	two[0] = layers[0];
	two[1] = layers[2];
	c2 = make_config(two, 2, "b");
	id1 = digest_sha256(c1, strlen(c1));
	id2 = digest_sha256(c2, strlen(c2));
	manifest = xasprintf("[{\"Config\":\"%s.json\",\"RepoTags\":[\"app:a\"],\"Layers\":[\"l1/layer.tar\",\"l2/layer.tar\"]},"
			     "{\"Config\":\"%s.json\",\"RepoTags\":[\"app:b\"],\"Layers\":[\"l3/layer.tar\",\"l4/layer.tar\"]}]",
			     id1 + 7, id2 + 7);
	tb_open(&t, "gzip");
	{
		cleanup_free char *n1 = xasprintf("%s.json", id1 + 7);
		cleanup_free char *n2 = xasprintf("%s.json", id2 + 7);
		tb_add(&t, (struct tb_entry){ .path = "l1/", .type = AE_IFDIR });
		tb_add(&t, (struct tb_entry){ .path = "l1/VERSION", .data = "1.0" });
		tb_add(&t, (struct tb_entry){ .path = "l1/layer.tar", .data = layers[0].plain, .size = layers[0].len });
		tb_add(&t, (struct tb_entry){ .path = "l2/layer.tar", .data = layers[1].plain, .size = layers[1].len });
		tb_add(&t, (struct tb_entry){ .path = "l3/layer.tar", .type = AE_IFLNK, .symlink = "../l1/layer.tar" });
		tb_add(&t, (struct tb_entry){ .path = "l4/layer.tar", .data = layers[2].plain, .size = layers[2].len });
		tb_add(&t, (struct tb_entry){ .path = n1, .data = c1 });
		tb_add(&t, (struct tb_entry){ .path = n2, .data = c2 });
		tb_add(&t, (struct tb_entry){ .path = "manifest.json", .data = manifest });
		tb_add(&t, (struct tb_entry){ .path = "repositories", .data = "{\"app\":{\"a\":\"l2\",\"b\":\"l4\"}}" });
	}
	data = tb_finish(&t, &len);
	write_file_atomic(path, data, len, 0600, NULL);
	r = load(path, work, NULL, &loaded, &msg);
	ok(r == 0, "load a gzipped legacy Docker archive (%s)", msg ? msg : "ok");
	if (r == 0 && loaded->n_images == 2) {
		is_str(loaded->images[1].repo_tags[0], "app:b", "legacy repo tag");
		check_loaded("legacy-a", &loaded->images[0], c1, layers, 2, false);
		check_loaded("legacy-b", &loaded->images[1], c2, two, 2, false);
		ok(loaded->images[1].layers[0].digest == NULL, "legacy layers carry no blob digest");
	} else {
		ok(0, "two legacy images loaded");
	}
	for (int i = 0; i < 3; i++) {
		free(layers[i].plain);
		free(layers[i].diff_id);
		close(layers[i].gz_fd);
	}
}

/* A multi-platform OCI archive: index.json -> image index -> manifests. */
static void test_oci_platforms(void)
{
	struct layer l;
	cleanup_free char *cfg = NULL;
	cleanup_free char *cfg_d = NULL;
	cleanup_free char *man = NULL;
	cleanup_free char *man_d = NULL;
	cleanup_free char *nested = NULL;
	cleanup_free char *nested_d = NULL;
	cleanup_free char *index = NULL;
	cleanup_free char *data = NULL;
	cleanup_free char *path = xasprintf("%s/multi.tar", tmp);
	cleanup_free char *work = fresh("work-multi");
	cleanup_free char *work2 = fresh("work-multi2");
	cleanup_free char *msg = NULL;
	cleanup_free char *msg2 = NULL;
	cleanup_image_archive struct image_archive *loaded = NULL;
	cleanup_image_archive struct image_archive *loaded2 = NULL;
	cleanup_platform struct oci_platform s390x = { 0 };
	cleanup_free char *bl = NULL;
	cleanup_free char *bc = NULL;
	cleanup_free char *bm = NULL;
	cleanup_free char *bn = NULL;
	char missing[80];
	size_t len;
	struct tb t;
	int r;

	make_layer(&l, "data/x", "x");
	cfg = make_config(&l, 1, "x");
	cfg_d = digest_sha256(cfg, strlen(cfg));
	man = xasprintf("{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu},"
			"\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}]}",
			MEDIA_OCI_MANIFEST, MEDIA_OCI_CONFIG, cfg_d, strlen(cfg), MEDIA_OCI_LAYER, l.diff_id, l.len);
	man_d = digest_sha256(man, strlen(man));
	snprintf(missing, sizeof(missing), "sha256:%064d", 1);
	nested = xasprintf("{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":["
			   "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":100,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}},"
			   "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}",
			   MEDIA_OCI_INDEX, MEDIA_OCI_MANIFEST, missing, MEDIA_OCI_MANIFEST, man_d, strlen(man));
	nested_d = digest_sha256(nested, strlen(nested));
	index = xasprintf("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu,"
			  "\"annotations\":{\"org.opencontainers.image.ref.name\":\"example.com/multi:1\"}}]}",
			  MEDIA_OCI_INDEX, nested_d, strlen(nested));
	bl = xasprintf("blobs/sha256/%s", l.diff_id + 7);
	bc = xasprintf("blobs/sha256/%s", cfg_d + 7);
	bm = xasprintf("blobs/sha256/%s", man_d + 7);
	bn = xasprintf("blobs/sha256/%s", nested_d + 7);
	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "oci-layout", .data = "{\"imageLayoutVersion\":\"1.0.0\"}" });
	tb_add(&t, (struct tb_entry){ .path = "index.json", .data = index });
	tb_add(&t, (struct tb_entry){ .path = bl, .data = l.plain, .size = l.len });
	tb_add(&t, (struct tb_entry){ .path = bc, .data = cfg });
	tb_add(&t, (struct tb_entry){ .path = bm, .data = man });
	tb_add(&t, (struct tb_entry){ .path = bn, .data = nested });
	data = tb_finish(&t, &len);
	write_file_atomic(path, data, len, 0600, NULL);

	{
		struct oci_platform amd64 = { .os = "linux", .architecture = "amd64" };
		r = load(path, work, &amd64, &loaded, &msg);
	}
	ok(r == 0 && loaded->n_images == 1, "multi-platform OCI archive: amd64 picked (%s)", msg ? msg : "ok");
	if (r == 0) {
		is_str(loaded->images[0].repo_tags[0], "example.com/multi:1", "name from a full ref.name");
		check_loaded("oci-multi", &loaded->images[0], cfg, &l, 1, true);
	}
	platform_parse("linux/s390x", &s390x, NULL);
	r = load(path, work2, &s390x, &loaded2, &msg2);
	ok(r < 0 && msg2 && strstr(msg2, "no matching manifest for linux/s390x in the manifest list entries"),
	   "missing platform: Docker's wording (%s)", msg2 ? msg2 : "accepted");
	free(l.plain);
	free(l.diff_id);
	close(l.gz_fd);
}

static char *hostile(const char *name, void (*build)(struct tb *))
{
	cleanup_free char *path = xasprintf("%s/%s.tar", tmp, name);
	cleanup_free char *wname = xasprintf("work-%s", name);
	cleanup_free char *work = fresh(wname);
	cleanup_free char *data = NULL;
	cleanup_image_archive struct image_archive *loaded = NULL;
	char *msg = NULL;
	size_t len;
	struct tb t;

	tb_open(&t, NULL);
	build(&t);
	data = tb_finish(&t, &len);
	write_file_atomic(path, data, len, 0600, NULL);
	if (load(path, work, NULL, &loaded, &msg) == 0) {
		free(msg);
		return NULL;
	}
	return msg ? msg : xstrdup("(no message)");
}

static void h_dotdot_layer(struct tb *t)
{
	tb_add(t, (struct tb_entry){ .path = "c.json", .data = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
								"0000000000000000000000000000000000000000000000000000000000000000\"]}}" });
	tb_add(t, (struct tb_entry){ .path = "manifest.json",
				     .data = "[{\"Config\":\"c.json\",\"Layers\":[\"../../../etc/passwd\"]}]" });
}

static void h_symlink_out(struct tb *t)
{
	tb_add(t, (struct tb_entry){ .path = "c.json", .data = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
								"0000000000000000000000000000000000000000000000000000000000000000\"]}}" });
	tb_add(t, (struct tb_entry){ .path = "l/layer.tar", .type = AE_IFLNK, .symlink = "/etc/passwd" });
	tb_add(t, (struct tb_entry){ .path = "manifest.json", .data = "[{\"Config\":\"c.json\",\"Layers\":[\"l/layer.tar\"]}]" });
}

static void h_symlink_up(struct tb *t)
{
	tb_add(t, (struct tb_entry){ .path = "c.json", .type = AE_IFLNK, .symlink = "../../../../etc/hostname" });
	tb_add(t, (struct tb_entry){ .path = "manifest.json", .data = "[{\"Config\":\"c.json\",\"Layers\":[]}]" });
}

static void h_loop(struct tb *t)
{
	tb_add(t, (struct tb_entry){ .path = "a", .type = AE_IFLNK, .symlink = "b" });
	tb_add(t, (struct tb_entry){ .path = "b", .type = AE_IFLNK, .symlink = "a" });
	tb_add(t, (struct tb_entry){ .path = "manifest.json", .data = "[{\"Config\":\"a\",\"Layers\":[]}]" });
}

static void h_entry_escape(struct tb *t)
{
	tb_add(t, (struct tb_entry){ .path = "../evil-load", .data = "x" });
	tb_add(t, (struct tb_entry){ .path = "manifest.json", .data = "[]" });
}

static void h_big_manifest(struct tb *t)
{
	size_t n = MANIFEST_MAX_BYTES + 10;
	cleanup_free char *big = xmalloc(n);
	memset(big, ' ', n);
	big[0] = '[';
	big[n - 1] = ']';
	tb_add(t, (struct tb_entry){ .path = "manifest.json", .data = big, .size = n });
}

static void h_count_mismatch(struct tb *t)
{
	tb_add(t, (struct tb_entry){ .path = "c.json", .data = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}" });
	tb_add(t, (struct tb_entry){ .path = "l.tar", .data = "x" });
	tb_add(t, (struct tb_entry){ .path = "manifest.json", .data = "[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]" });
}

static void h_empty(struct tb *t)
{
	tb_add(t, (struct tb_entry){ .path = "hello", .data = "x" });
}

static void test_hostile(void)
{
	char *m;
	cleanup_free char *evil = xasprintf("%s/evil-load", tmp);

	m = hostile("dotdot", h_dotdot_layer);
	ok(m && strstr(m, "leaves the archive"), "layer path with .. refused (%s)", m ? m : "accepted");
	free(m);
	m = hostile("symlink-out", h_symlink_out);
	ok(m && strstr(m, "not in the archive"), "symlink to /etc/passwd stays inside the archive (%s)",
	   m ? m : "accepted");
	free(m);
	m = hostile("symlink-up", h_symlink_up);
	ok(m && strstr(m, "leaves the archive"), "symlink above the root refused (%s)", m ? m : "accepted");
	free(m);
	m = hostile("loop", h_loop);
	ok(m && strstr(m, "too many levels"), "symlink loop refused (%s)", m ? m : "accepted");
	free(m);
	m = hostile("escape", h_entry_escape);
	ok(m && strstr(m, "could escape"), "entry named ../x refused (%s)", m ? m : "accepted");
	ok(access(evil, F_OK) < 0, "nothing written outside the work directory");
	free(m);
	m = hostile("big", h_big_manifest);
	ok(m && strstr(m, "File too large"), "manifest.json size bounded (%s)", m ? m : "accepted");
	free(m);
	m = hostile("mismatch", h_count_mismatch);
	ok(m && strstr(m, "diff IDs"), "layer count must match the config (%s)", m ? m : "accepted");
	free(m);
	m = hostile("empty", h_empty);
	ok(m && strstr(m, "neither manifest.json nor index.json"), "not an image archive (%s)", m ? m : "accepted");
	free(m);
}

int main(void)
{
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	tmp = make_tmpdir();
	test_round_trip();
	test_legacy();
	test_oci_platforms();
	test_hostile();
	remove_tree(tmp);
	free(tmp);
	return tap_done();
}
