/* test-image.c: the image engine without a registry: names and lookups,
 * times, filters, recording images, tag/rmi/gc, history and inspect data.
 * Needs root (layers keep owners); skips otherwise. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "image.h"
#include "store/layers.h"
#include "tap.h"
#include "tarball.h"
#include "tar-builder.h"

static void test_times(void)
{
	cleanup_free char *a = NULL, *b = NULL, *c = NULL;

	is_int(image_parse_time("2024-01-02T03:04:05Z"), 1704164645LL * 1000000000, "parse a UTC time");
	is_int(image_parse_time("2024-01-02T03:04:05.5Z"), 1704164645LL * 1000000000 + 500000000, "fraction");
	is_int(image_parse_time("2024-01-02T05:04:05+02:00"), 1704164645LL * 1000000000, "offset");
	is_int(image_parse_time("0001-01-01T00:00:00Z"), 0, "the zero time is unknown");
	is_int(image_parse_time("yesterday"), 0, "garbage is unknown");
	is_int(image_parse_time(NULL), 0, "NULL is unknown");
	a = image_format_time(1704164645LL * 1000000000 + 123456789);
	is_str(a, "2024-01-02T03:04:05.123456789Z", "RFC 3339 with nanoseconds");
	b = image_format_time(1704164645LL * 1000000000 + 500000000);
	is_str(b, "2024-01-02T03:04:05.5Z", "trailing zeros dropped");
	c = image_format_time(0);
	is_str(c, "0001-01-01T00:00:00Z", "unknown is Go's zero time");
}

static void test_names(void)
{
	cleanup_free char *a = image_familiar("docker.io/library/busybox:latest");
	cleanup_free char *b = image_familiar("docker.io/user/x@sha256:0123456789012345678901234567890123456789012345678901234567890123");
	cleanup_free char *c = image_familiar("127.0.0.1:5000/x/y:1");
	cleanup_free char *repo = NULL, *tag = NULL, *full = NULL;
	cleanup_free char *sid = image_short_id("sha256:0123456789abcdef0123");
	cleanup_error robbe_error *e = NULL;
	bool dig = true;

	is_str(a, "busybox:latest", "familiar official image");
	is_str(b, "user/x@sha256:0123456789012345678901234567890123456789012345678901234567890123", "familiar digest");
	is_str(c, "127.0.0.1:5000/x/y:1", "other registries keep their domain");
	ok(image_split_name("docker.io/library/busybox:1.36", &repo, &tag, &dig) == 0, "split");
	is_str(repo, "busybox", "split: repository");
	is_str(tag, "1.36", "split: tag");
	ok(!dig, "split: a tag");
	is_str(sid, "0123456789ab", "short id");
	ok(image_normalize_name("busybox", &full, &e) == 0, "normalize");
	is_str(full, "docker.io/library/busybox:latest", "normalize adds the domain and tag");
}

static void test_filters(void)
{
	static const char *const allowed[] = { "dangling", "label", "label!", "reference", NULL };
	char *good[] = { "dangling=true", "label=a=b", "label!=c", "reference=bu*", "label=d", NULL };
	char *bad_key[] = { "nope=1", NULL };
	char *bad_bool[] = { "dangling=maybe", NULL };
	struct image_filters f;
	robbe_error *e = NULL;

	ok(image_filters_parse(good, allowed, &f, &e) == 0, "filters parse");
	is_int((long long) strv_len(f.labels), 2, "two labels");
	is_str(f.not_labels ? f.not_labels[0] : NULL, "c", "label!=");
	is_str(f.references ? f.references[0] : NULL, "bu*", "reference");
	image_filters_release(&f);
	ok(image_filters_parse(bad_key, allowed, &f, &e) < 0, "unknown key refused");
	is_str(e ? e->msg : NULL, "invalid filter 'nope'", "Docker's words");
	robbe_error_free(e);
	e = NULL;
	ok(image_filters_parse(bad_bool, allowed, &f, &e) < 0, "bad boolean refused");
	is_str(e ? e->msg : NULL, "invalid filter 'dangling=[maybe]'", "Docker's words for a bad boolean");
	robbe_error_free(e);
}

/* A one-layer image in a fresh store, then everything done to it. */
static void test_store(void)
{
	cleanup_free char *tmp = make_tmpdir();
	cleanup_free char *root = xasprintf("%s/root", tmp), *run = xasprintf("%s/run", tmp);
	struct robbe_paths paths;
	struct store *s = NULL;
	struct image_env *env = NULL;
	robbe_error *e = NULL;
	struct tb t;
	char *tar;
	size_t tar_len;
	cleanup_free char *diff_id = NULL, *chain = NULL, *config = NULL, *id = NULL, *digest_name = NULL;
	int64_t size = -1;
	int fd;

	if (paths_init(&paths, root, run, &e) < 0 || store_open(&paths, &s, &e) < 0 ||
	    image_env_open(s, &paths, &env, &e) < 0) {
		ok(0, "open a store: %s", e ? e->msg : "?");
		return;
	}

	tb_open(&t, "gzip");
	tb_add(&t, (struct tb_entry){ .path = "etc", .type = AE_IFDIR });
	tb_add(&t, (struct tb_entry){ .path = "etc/a", .data = "0123456789" });
	tb_add(&t, (struct tb_entry){ .path = "etc/b", .hardlink = "etc/a" });
	tb_add(&t, (struct tb_entry){ .path = "etc/c", .type = AE_IFLNK, .symlink = "a" });
	tar = tb_finish(&t, &tar_len);
	{
		/* the diff ID is the digest of the uncompressed stream */
		int in = mem_fd(tar, tar_len), out = memfd_create("plain", MFD_CLOEXEC);
		uint64_t n;
		ok(tar_decompress(in, out, 1 << 20, &diff_id, &n, &e) == 0, "decompress the layer");
		close(in);
		close(out);
	}
	fd = mem_fd(tar, tar_len);
	ok(image_layer_apply(env, fd, NULL, diff_id, &chain, &size, &e) == 0, "apply a layer: %s", e ? e->msg : "");
	close(fd);
	is_str(chain, diff_id, "a base layer's chain ID is its diff ID");
	/* 10 bytes once (hardlink) + the symlink's 1-byte target */
	is_int(size, 11, "Docker's layer size");
	image_env_unlock_layers(env);

	config = xasprintf("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-02T03:04:05Z\","
			   "\"config\":{\"Cmd\":[\"sh\"],\"Labels\":{\"z\":\"1\",\"a\":\"2\"}},"
			   "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]},"
			   "\"history\":[{\"created\":\"2024-01-02T03:04:05Z\",\"created_by\":\"ADD x\",\"comment\":\"hi\"},"
			   "{\"created_by\":\"CMD\",\"empty_layer\":true}]}",
			   diff_id);
	id = digest_sha256(config, strlen(config));
	digest_name = xasprintf("docker.io/library/busybox@%s", id); /* any digest will do */
	{
		struct image_layer_input in = { .diff_id = diff_id, .blob_digest = NULL, .compressed_size = -1, .size = -1 };
		char *names[] = { "docker.io/library/busybox:latest", digest_name, NULL };
		cleanup_store_image struct store_image *img = NULL;
		bool created = false;

		ok(image_commit_ex(env, config, strlen(config), &in, 1, "{\"schemaVersion\":2}", names, &img, &created,
				   &e) == 0,
		   "commit: %s", e ? e->msg : "");
		ok(created, "the image is new");
		is_str(img ? img->id : NULL, id, "the ID is the config's digest");
		is_int(img ? img->size : 0, 11, "image size");
		ok(layer_store_has_blob(env->layers, id), "the config is kept as a blob");
		ok(img && img->digest && str_has_prefix(img->digest, "sha256:"), "the manifest digest is kept");
	}
	{
		const char *ok_refs[] = { "busybox", "busybox:latest", "docker.io/library/busybox", id, id + 7, NULL };
		char *prefix = xstrndup(id + 7, 12), *pprefix = xstrndup(id, 15);
		for (size_t i = 0; ok_refs[i]; i++) {
			cleanup_store_image struct store_image *img = NULL;
			ok(image_resolve(s, ok_refs[i], &img, &e) == 0 && img && strcmp(img->id, id) == 0, "resolve %s",
			   ok_refs[i]);
		}
		{
			cleanup_store_image struct store_image *img = NULL;
			ok(image_resolve(s, prefix, &img, &e) == 0, "resolve a short ID");
		}
		{
			cleanup_store_image struct store_image *img = NULL;
			ok(image_resolve(s, pprefix, &img, &e) == 0, "resolve sha256:<prefix>");
		}
		{
			cleanup_store_image struct store_image *img = NULL;
			ok(image_resolve(s, digest_name + strlen("docker.io/library/"), &img, &e) == 0, "resolve by digest");
		}
		free(prefix);
		free(pprefix);
	}
	{
		cleanup_store_image struct store_image *img = NULL;
		ok(image_resolve(s, "nothere", &img, &e) < 0, "missing");
		is_str(e ? e->msg : NULL, "No such image: nothere:latest", "Docker's not-found words");
		is_int(e ? e->errnum : 0, ENOENT, "ENOENT");
		robbe_error_free(e);
		e = NULL;
		ok(image_resolve(s, "Bad", &img, &e) < 0 && e && e->errnum == EINVAL, "a bad reference is EINVAL");
		robbe_error_free(e);
		e = NULL;
	}
	{
		cleanup_store_image struct store_image *img = NULL;
		cleanup_cjson cJSON *j = NULL;
		struct image_history h = { 0 };
		cleanup_free char *text = NULL;

		ok(image_tag(env, "busybox", "mine:2", &e) == 0, "tag");
		ok(image_resolve(s, "mine:2", &img, &e) == 0, "the new name resolves");
		ok(image_inspect_json(env, img, &j, &e) == 0, "inspect data");
		text = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "RepoTags"));
		is_str(text, "[\"busybox:latest\",\"mine:2\"]", "RepoTags, familiar and sorted");
		free(text);
		text = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "Config"), "Labels"));
		is_str(text, "{\"a\":\"2\",\"z\":\"1\"}", "labels sorted as Go writes maps");
		is_str(cJSON_GetStringValue(cJSON_GetObjectItem(j, "Comment")), "", "no comment: the last entry has none");
		ok(image_history_get(env, img, &h, &e) == 0 && h.n == 2, "history");
		if (h.n == 2) {
			is_str(h.v[0].id, id, "the newest entry is the image");
			is_str(h.v[1].id, "<missing>", "older ones are <missing>");
			is_int(h.v[1].size, 11, "the layer's size");
			is_int(h.v[0].size, 0, "an empty layer");
		}
		image_history_release(&h);
	}
	{
		struct image_remove_report rep = { 0 };
		cleanup_free char *layer_dir = layer_store_diff_path(env->layers, chain);
		struct stat st;

		ok(image_remove(env, "busybox", false, false, &rep, &e) == 0, "rmi one name");
		is_int((long long) strv_len(rep.untagged), 2, "the tag and the repository's digest go");
		ok(rep.deleted == NULL, "the image stays: another name is left");
		image_remove_report_release(&rep);
		ok(image_remove(env, id + 7, false, false, &rep, &e) == 0, "rmi by ID");
		is_str(rep.untagged ? rep.untagged[0] : NULL, "mine:2", "untagged the last name");
		is_int((long long) strv_len(rep.deleted), 2, "image and layer deleted");
		is_int(rep.reclaimed, 11, "reclaimed");
		image_remove_report_release(&rep);
		ok(stat(layer_dir, &st) < 0 && errno == ENOENT, "the layer left the disk");
		ok(!layer_store_has_blob(env->layers, id), "the config blob left the disk");
	}

	image_env_free(env);
	store_close(s);
	paths_release(&paths);
	free(tar);
	remove_tree(tmp);
}

int main(void)
{
	test_times();
	test_names();
	test_filters();
	if (geteuid() != 0)
		printf("ok %d # SKIP the store tests need root\n", ++tap_n);
	else
		test_store();
	return tap_done();
}
