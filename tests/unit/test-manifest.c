/* test-manifest.c: manifests, indexes, configs, platforms. */
#include "config.h"

#include <string.h>

#include "manifest.h"
#include "tap.h"

#define D(c) "sha256:" c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define DA D("a")
#define DB D("b")
#define DC D("c")
#define DD D("d")
#define DE D("e")
#define DF D("f")

static const char docker_v2[] =
	"{\"schemaVersion\":2,\"mediaType\":\"" MEDIA_DOCKER_MANIFEST "\","
	"\"config\":{\"mediaType\":\"" MEDIA_DOCKER_CONFIG "\",\"size\":1469,\"digest\":\"" DA "\"},"
	"\"layers\":[{\"mediaType\":\"" MEDIA_DOCKER_LAYER_GZIP "\",\"size\":2479,\"digest\":\"" DB "\"},"
	"{\"mediaType\":\"" MEDIA_DOCKER_LAYER_GZIP "\",\"size\":31,\"digest\":\"" DC "\"}]}";

static const char oci_no_media[] =
	"{\"schemaVersion\":2,"
	"\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":10,\"digest\":\"" DA "\"},"
	"\"layers\":[{\"mediaType\":\"" MEDIA_OCI_LAYER_ZSTD "\",\"size\":5,\"digest\":\"" DB "\"},"
	"{\"mediaType\":\"" MEDIA_OCI_LAYER "\",\"size\":0,\"digest\":\"" DC "\"}],"
	"\"annotations\":{\"x\":\"y\"}}";

#define ENTRY(digest, plat) \
	"{\"mediaType\":\"" MEDIA_OCI_MANIFEST "\",\"digest\":\"" digest "\",\"size\":500,\"platform\":" plat "}"

/* arm64 first so "first entry" would be the wrong answer on amd64. */
static const char index_json[] =
	"{\"schemaVersion\":2,\"mediaType\":\"" MEDIA_OCI_INDEX "\",\"manifests\":["
	ENTRY(DA, "{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}") ","
	ENTRY(DB, "{\"os\":\"linux\",\"architecture\":\"amd64\"}") ","
	ENTRY(DC, "{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v6\"}") ","
	ENTRY(DD, "{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}") ","
	ENTRY(DE, "{\"os\":\"windows\",\"architecture\":\"amd64\",\"os.version\":\"10.0.17763.1\"}") ","
	"{\"mediaType\":\"" MEDIA_OCI_MANIFEST "\",\"digest\":\"" DF "\",\"size\":800,"
	"\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"},"
	"\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\",\"vnd.docker.reference.digest\":\"" DB "\"}}"
	"]}";

static char *parse_error(const char *json, const char *content_type)
{
	cleanup_error robbe_error *err = NULL;
	struct manifest *m = NULL;

	if (manifest_parse(json, strlen(json), content_type, &m, &err) == 0) {
		manifest_free(m);
		return NULL;
	}
	return xstrdup(err->msg);
}

static void expect_error(const char *json, const char *content_type, const char *needle, const char *name)
{
	cleanup_free char *msg = parse_error(json, content_type);

	ok(msg && strstr(msg, needle), "%s (%s)", name, msg ? msg : "accepted");
}

static void test_valid(void)
{
	cleanup_error robbe_error *err = NULL;
	struct manifest *m = NULL;

	ok(manifest_parse(docker_v2, strlen(docker_v2), MEDIA_DOCKER_MANIFEST, &m, &err) == 0, "Docker schema 2 manifest");
	if (m) {
		ok(m->kind == MANIFEST_DOCKER_V2 && !manifest_is_index(m), "kind Docker v2");
		is_str(m->config.digest, DA, "config digest");
		is_int(m->config.size, 1469, "config size");
		is_int((long long) m->n_layers, 2, "two layers");
		ok(m->layers[0].compression == LAYER_GZIP, "gzip layer");
		is_int(m->layers[1].size, 31, "layer size");
	}
	manifest_free(m);
	m = NULL;

	ok(manifest_parse(oci_no_media, strlen(oci_no_media), NULL, &m, &err) == 0, "OCI manifest without mediaType");
	if (m) {
		ok(m->kind == MANIFEST_OCI, "detected as OCI manifest by shape");
		ok(m->layers[0].compression == LAYER_ZSTD && m->layers[1].compression == LAYER_UNCOMPRESSED,
		   "zstd and uncompressed layers");
	}
	manifest_free(m);
	m = NULL;

	ok(manifest_parse(oci_no_media, strlen(oci_no_media), "application/vnd.oci.image.manifest.v1+json; charset=utf-8",
			  &m, &err) == 0 && m->kind == MANIFEST_OCI,
	   "content type with parameters");
	manifest_free(m);
	m = NULL;

	ok(manifest_parse(index_json, strlen(index_json), NULL, &m, &err) == 0, "OCI index");
	if (m) {
		ok(manifest_is_index(m) && m->n_manifests == 6, "six entries");
		ok(m->manifests[5].attestation, "attestation recognised");
		is_str(m->manifests[3].platform.variant, "v7", "variant");
	}
	manifest_free(m);
	m = NULL;

	{
		const char *list = "{\"schemaVersion\":2,\"mediaType\":\"" MEDIA_DOCKER_LIST "\",\"manifests\":["
				   "{\"mediaType\":\"" MEDIA_DOCKER_MANIFEST "\",\"digest\":\"" DA "\",\"size\":7,"
				   "\"platform\":{\"architecture\":\"aarch64\",\"os\":\"linux\",\"variant\":\"8\"}}]}";
		ok(manifest_parse(list, strlen(list), MEDIA_DOCKER_LIST, &m, &err) == 0 && m->kind == MANIFEST_DOCKER_LIST,
		   "Docker manifest list");
		if (m) {
			is_str(m->manifests[0].platform.architecture, "arm64", "aarch64 normalised to arm64");
			is_str(m->manifests[0].platform.variant, "v8", "variant 8 normalised to v8");
		}
		manifest_free(m);
		m = NULL;
	}
	{
		const char *idx = "{\"schemaVersion\":2,\"manifests\":[]}";
		ok(manifest_parse(idx, strlen(idx), NULL, &m, &err) == 0 && m->kind == MANIFEST_OCI_INDEX,
		   "index without mediaType detected by shape");
		manifest_free(m);
		m = NULL;
	}
}

static void test_malformed(void)
{
	struct sbuf sb = SBUF_INIT;

	expect_error("not json", NULL, "not a JSON object", "garbage");
	expect_error("[1,2]", NULL, "not a JSON object", "array");
	expect_error("{\"mediaType\":\"" MEDIA_OCI_MANIFEST "\"}", NULL, "missing \"schemaVersion\"", "no schemaVersion");
	expect_error("{\"schemaVersion\":3,\"config\":{}}", NULL, "unsupported schemaVersion", "schemaVersion 3");
	expect_error("{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"latest\",\"fsLayers\":[]}", NULL, "schema 1 is no longer supported",
		     "schema 1 refused");
	expect_error("{\"schemaVersion\":2}", "application/vnd.docker.distribution.manifest.v1+prettyjws",
		     "schema 1 is no longer supported", "signed schema 1 content type refused");
	expect_error("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+json\"}", NULL,
		     "schema 1", "schema 1 media type in the body");
	expect_error("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.foo+json\",\"config\":{}}", NULL,
		     "unsupported manifest media type \"application/vnd.foo+json\"", "unknown media type");
	expect_error(docker_v2, MEDIA_OCI_INDEX, "media type mismatch", "header and body disagree");
	expect_error("{\"schemaVersion\":2,\"mediaType\":\"" MEDIA_OCI_MANIFEST "\",\"layers\":[]}", NULL,
		     "missing \"config\"", "missing config");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":1,\"digest\":\"" DA "\"}}",
		     MEDIA_OCI_MANIFEST, "missing \"layers\"", "missing layers");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":1,\"digest\":\"" DA "\"},"
		     "\"layers\":{}}", MEDIA_OCI_MANIFEST, "must be an array", "layers not an array");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":1},\"layers\":[]}",
		     MEDIA_OCI_MANIFEST, "missing \"digest\"", "config without digest");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":1,\"digest\":\"sha256:xyz\"},"
		     "\"layers\":[]}", MEDIA_OCI_MANIFEST, "invalid checksum digest length \"sha256:xyz\"", "short digest");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":1,\"digest\":\"sha256:"
		     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"},\"layers\":[]}",
		     MEDIA_OCI_MANIFEST, "invalid", "uppercase hex");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":1,\"digest\":\"sha512:"
		     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\"},"
		     "\"layers\":[]}", MEDIA_OCI_MANIFEST, "unsupported digest algorithm", "sha512 not supported by the store");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":1,\"digest\":\"sha256/../../x\"},"
		     "\"layers\":[]}", MEDIA_OCI_MANIFEST, "invalid", "path-like digest");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\",\"size\":1,"
		     "\"digest\":\"" DA "\"},\"layers\":[]}", MEDIA_OCI_MANIFEST, "not a container image", "helm chart refused");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":1,\"digest\":\"" DA "\"},"
		     "\"layers\":[{\"mediaType\":\"application/x-tar\",\"size\":1,\"digest\":\"" DB "\"}]}", MEDIA_OCI_MANIFEST,
		     "unsupported layer media type \"application/x-tar\"", "wrong layer media type");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":-1,\"digest\":\"" DA "\"},"
		     "\"layers\":[]}", MEDIA_OCI_MANIFEST, "out of range", "negative size");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":1.5,\"digest\":\"" DA "\"},"
		     "\"layers\":[]}", MEDIA_OCI_MANIFEST, "out of range", "fractional size");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":\"1\",\"digest\":\"" DA "\"},"
		     "\"layers\":[]}", MEDIA_OCI_MANIFEST, "must be a number", "size as a string");
	expect_error("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":99999999999,\"digest\":\"" DA "\"},"
		     "\"layers\":[]}", MEDIA_OCI_MANIFEST, "out of range", "config larger than the config limit");
	expect_error("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" MEDIA_OCI_MANIFEST "\",\"digest\":\"" DA "\","
		     "\"size\":1,\"platform\":{\"os\":\"linux\"}}]}", NULL, "missing \"architecture\"", "platform without architecture");

	/* Too many layers. */
	sbuf_adds(&sb, "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MEDIA_OCI_CONFIG "\",\"size\":1,\"digest\":\"" DA "\"},\"layers\":[");
	for (int i = 0; i <= MANIFEST_MAX_LAYERS; i++)
		sbuf_addf(&sb, "%s{\"mediaType\":\"" MEDIA_OCI_LAYER_GZIP "\",\"size\":1,\"digest\":\"" DB "\"}", i ? "," : "");
	sbuf_adds(&sb, "]}");
	expect_error(sb.buf, NULL, "too many layers (129; at most 128)", "129 layers refused");
	sbuf_reset(&sb);

	sbuf_adds(&sb, "{\"schemaVersion\":2,\"manifests\":[");
	for (int i = 0; i <= MANIFEST_MAX_ENTRIES; i++)
		sbuf_addf(&sb, "%s" ENTRY(DA, "{\"os\":\"linux\",\"architecture\":\"amd64\"}"), i ? "," : "");
	sbuf_adds(&sb, "]}");
	expect_error(sb.buf, NULL, "too many manifests", "index entries bounded");
	sbuf_reset(&sb);

	sbuf_adds(&sb, "{\"schemaVersion\":2,\"manifests\":[],\"pad\":\"");
	while (sb.len <= MANIFEST_MAX_BYTES)
		sbuf_adds(&sb, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	sbuf_adds(&sb, "\"}");
	expect_error(sb.buf, NULL, "manifest too large", "size bounded");
	sbuf_release(&sb);
}

static const char *select_digest(const struct manifest *m, const char *spec, char **msg)
{
	cleanup_platform struct oci_platform p = { 0 };
	cleanup_error robbe_error *err = NULL;
	const struct oci_descriptor *d;

	*msg = NULL;
	if (spec ? platform_parse(spec, &p, &err) < 0 : platform_default(&p, &err) < 0) {
		*msg = xstrdup(err->msg);
		return NULL;
	}
	if (manifest_select(m, &p, &d, &err) < 0) {
		*msg = xstrdup(err->msg);
		return NULL;
	}
	return d->digest;
}

static void test_select(void)
{
	cleanup_manifest struct manifest *m = NULL;
	cleanup_manifest struct manifest *only_v7 = NULL;
	cleanup_manifest struct manifest *only_arm = NULL;
	cleanup_error robbe_error *err = NULL;
	char *msg = NULL;
	const char *v7idx = "{\"schemaVersion\":2,\"manifests\":[" ENTRY(DA, "{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}") "]}";
	const char *armidx = "{\"schemaVersion\":2,\"manifests\":["
			     ENTRY(DA, "{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}") ","
			     ENTRY(DB, "{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}") "]}";

	manifest_parse(index_json, strlen(index_json), NULL, &m, &err);
	manifest_parse(v7idx, strlen(v7idx), NULL, &only_v7, &err);
	manifest_parse(armidx, strlen(armidx), NULL, &only_arm, &err);

	unsetenv("DOCKER_DEFAULT_PLATFORM");
#if defined(__x86_64__)
	is_str(select_digest(m, NULL, &msg), DB, "host default (amd64) picked, not the first entry");
	free(msg);
	select_digest(only_arm, NULL, &msg);
	is_str(msg, "no matching manifest for linux/amd64 in the manifest list entries", "Docker's wording for the host");
	free(msg);
#endif
	is_str(select_digest(m, "linux/arm64/v8", &msg), DA, "linux/arm64/v8");
	free(msg);
	is_str(select_digest(m, "linux/arm64", &msg), DA, "linux/arm64 (v8 implied)");
	free(msg);
	is_str(select_digest(m, "linux/aarch64", &msg), DA, "aarch64 alias");
	free(msg);
	is_str(select_digest(m, "linux/arm/v7", &msg), DD, "arm/v7 picks v7 over v6");
	free(msg);
	is_str(select_digest(m, "linux/arm/v6", &msg), DC, "arm/v6 picks v6");
	free(msg);
	is_str(select_digest(m, "linux/arm", &msg), DD, "linux/arm means v7");
	free(msg);
	is_str(select_digest(m, "windows/amd64", &msg), DE, "windows entry");
	free(msg);
	is_str(select_digest(m, "linux/x86_64", &msg), DB, "x86_64 alias");
	free(msg);
	ok(select_digest(m, "unknown/unknown", &msg) == NULL, "attestation never picked");
	free(msg);
	ok(select_digest(m, "linux/s390x", &msg) == NULL, "no s390x");
	is_str(msg, "no matching manifest for linux/s390x in the manifest list entries", "missing platform wording");
	free(msg);
	ok(select_digest(only_v7, "linux/arm/v6", &msg) == NULL, "v7 image does not run on v6");
	is_str(msg, "no matching manifest for linux/arm/v6 in the manifest list entries", "wording with variant");
	free(msg);
	ok(select_digest(only_arm, "linux/arm64/v9", &msg) != NULL, "v8 image runs on v9");
	free(msg);

	setenv("DOCKER_DEFAULT_PLATFORM", "linux/arm64", 1);
	is_str(select_digest(m, NULL, &msg), DA, "DOCKER_DEFAULT_PLATFORM honoured");
	free(msg);
	setenv("DOCKER_DEFAULT_PLATFORM", "linux//", 1);
	ok(select_digest(m, NULL, &msg) == NULL && msg && strstr(msg, "DOCKER_DEFAULT_PLATFORM"),
	   "bad DOCKER_DEFAULT_PLATFORM reported (%s)", msg ? msg : "");
	free(msg);
	setenv("DOCKER_DEFAULT_PLATFORM", "", 1);
#if defined(__x86_64__)
	is_str(select_digest(m, NULL, &msg), DB, "empty DOCKER_DEFAULT_PLATFORM means the host");
	free(msg);
#endif
	unsetenv("DOCKER_DEFAULT_PLATFORM");
}

static void test_platform_parse(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "linux/amd64", "linux/amd64" },     { "linux/arm64/v8", "linux/arm64/v8" },
		{ "linux/arm64/8", "linux/arm64/v8" }, { "linux/arm", "linux/arm/v7" },
		{ "linux/armhf", "linux/arm/v7" },     { "linux/armel", "linux/arm/v6" },
		{ "Linux/X86_64", "linux/amd64" },     { "linux/i386", "linux/386" },
		{ "windows/amd64", "windows/amd64" },  { "linux/ppc64le", "linux/ppc64le" },
#if defined(__x86_64__)
		{ "amd64", "linux/amd64" },	       { "linux", "linux/amd64" },
		{ "arm64", "linux/arm64" },
#endif
	};
	static const char *bad[] = { "", "linux/", "/amd64", "a/b/c/d", "linux/amd 64", "linux/amd64/" };
	struct oci_platform host = { 0 };
	cleanup_free char *hs = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cleanup_platform struct oci_platform p = { 0 };
		cleanup_error robbe_error *err = NULL;
		cleanup_free char *s = NULL;
		if (platform_parse(cases[i].in, &p, &err) == 0)
			s = platform_format(&p);
		is_str(s, cases[i].out, "platform \"%s\"", cases[i].in);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		cleanup_platform struct oci_platform p = { 0 };
		cleanup_error robbe_error *err = NULL;
		ok(platform_parse(bad[i], &p, &err) < 0 && strstr(err->msg, "invalid platform"), "platform \"%s\" refused",
		   bad[i]);
	}
	platform_host(&host);
	hs = platform_format(&host);
#if defined(__x86_64__)
	is_str(hs, "linux/amd64", "host platform");
#elif defined(__aarch64__)
	is_str(hs, "linux/arm64/v8", "host platform");
#else
	ok(hs != NULL, "host platform %s", hs);
#endif
	platform_release(&host);
}

static void test_config(void)
{
	const char *good = "{\"architecture\":\"arm64\",\"variant\":\"v8\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\","
			   "\"config\":{\"Env\":[\"PATH=/bin\",\"A=b\"],\"Cmd\":[\"sh\"],\"Entrypoint\":null,\"WorkingDir\":\"/w\","
			   "\"User\":\"1000:1000\",\"StopSignal\":\"SIGQUIT\",\"Labels\":{\"a\":\"b\"}},"
			   "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" DA "\",\"" DB "\"]},"
			   "\"history\":[{\"created_by\":\"x\"},{\"empty_layer\":true}]}";
	cleanup_image_config struct image_config *c = NULL;
	cleanup_manifest struct manifest *m = NULL;
	cleanup_error robbe_error *err = NULL;
	cleanup_platform struct oci_platform p = { 0 };
	cleanup_free char *ps = NULL;
	struct {
		const char *json, *needle, *name;
	} bad[] = {
		{ "{}", "missing \"rootfs\"", "no rootfs" },
		{ "{\"rootfs\":{\"type\":\"zfs\",\"diff_ids\":[]}}", "unsupported rootfs type", "rootfs type" },
		{ "{\"rootfs\":{\"type\":\"layers\"}}", "missing \"diff_ids\"", "no diff_ids" },
		{ "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:1\"]}}", "invalid", "bad diff ID" },
		{ "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[7]}}", "must be a string", "diff ID not a string" },
		{ "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Env\":\"PATH=/bin\"}}", "array of strings",
		  "Env not an array" },
		{ "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Cmd\":[1]}}", "array of strings",
		  "Cmd with a number" },
		{ "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"architecture\":5}", "must be a string",
		  "architecture not a string" },
		{ "[]", "not a JSON object", "not an object" },
	};

	ok(image_config_parse(good, strlen(good), &c, &err) == 0, "config parses");
	if (c) {
		is_int((long long) c->n_diff_ids, 2, "two diff IDs");
		is_str(c->diff_ids[1], DB, "diff ID");
		is_str(c->env[1], "A=b", "Env");
		is_str(c->cmd[0], "sh", "Cmd");
		ok(c->entrypoint == NULL, "null Entrypoint");
		is_str(c->working_dir, "/w", "WorkingDir");
		is_str(c->user, "1000:1000", "User");
		is_str(c->stop_signal, "SIGQUIT", "StopSignal");
		ok(cJSON_GetObjectItem(c->json, "history") != NULL, "whole document kept");
		image_config_platform(c, &p);
		ps = platform_format(&p);
		is_str(ps, "linux/arm64/v8", "config platform");
		manifest_parse(docker_v2, strlen(docker_v2), NULL, &m, &err);
		ok(m && manifest_check_config(m, c, &err) == 0, "manifest and config agree");
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		cleanup_image_config struct image_config *b = NULL;
		cleanup_error robbe_error *e = NULL;
		int r = image_config_parse(bad[i].json, strlen(bad[i].json), &b, &e);
		ok(r < 0 && strstr(e->msg, bad[i].needle), "config: %s (%s)", bad[i].name, e ? e->msg : "accepted");
	}
	{
		const char *one = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" DA "\"]}}";
		cleanup_image_config struct image_config *c1 = NULL;
		image_config_parse(one, strlen(one), &c1, &err);
		ok(c1 && m && manifest_check_config(m, c1, &err) < 0 && strstr(err->msg, "2 layers but the config has 1"),
		   "layer count mismatch");
	}
}

int main(void)
{
	test_valid();
	test_malformed();
	test_select();
	test_platform_parse();
	test_config();
	return tap_done();
}
