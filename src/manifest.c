/* manifest.c: parse and validate manifests, indexes and image configs;
 * choose a platform from an index. */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "digest.h"
#include "manifest.h"

#define MEDIA_DOCKER_SCHEMA1 "application/vnd.docker.distribution.manifest.v1+json"
#define MEDIA_DOCKER_SCHEMA1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"

/* History may hold more entries than there are layers (empty_layer steps),
 * but not without limit. */
#define CONFIG_MAX_HISTORY 4096

static const struct {
	const char *media_type;
	enum layer_compression compression;
} layer_types[] = {
	{ MEDIA_DOCKER_LAYER_GZIP, LAYER_GZIP },
	{ "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", LAYER_GZIP },
	{ "application/vnd.docker.image.rootfs.diff.tar", LAYER_UNCOMPRESSED },
	{ MEDIA_OCI_LAYER, LAYER_UNCOMPRESSED },
	{ MEDIA_OCI_LAYER_GZIP, LAYER_GZIP },
	{ MEDIA_OCI_LAYER_ZSTD, LAYER_ZSTD },
	{ "application/vnd.oci.image.layer.nondistributable.v1.tar", LAYER_UNCOMPRESSED },
	{ "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", LAYER_GZIP },
	{ "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", LAYER_ZSTD },
};

static const struct {
	const char *media_type;
	enum manifest_kind kind;
} manifest_types[] = {
	{ MEDIA_DOCKER_MANIFEST, MANIFEST_DOCKER_V2 },
	{ MEDIA_DOCKER_LIST, MANIFEST_DOCKER_LIST },
	{ MEDIA_OCI_MANIFEST, MANIFEST_OCI },
	{ MEDIA_OCI_INDEX, MANIFEST_OCI_INDEX },
};

static int schema1_error(robbe_error **err)
{
	return robbe_error_set(err, 0,
			       "unsupported manifest format: Docker image manifest version 2, schema 1 is no "
			       "longer supported; the image must be rebuilt and pushed as an OCI or Docker "
			       "schema 2 image");
}

/* ---- digests ------------------------------------------------------------ */

int manifest_digest_check(const char *s, const char *what, robbe_error **err)
{
	cleanup_error robbe_error *e = NULL;

	if (!s || digest_validate(s, &e) < 0)
		return robbe_error_set(err, 0, "%s: %s \"%.100s\"", what, e ? e->msg : "invalid checksum digest format",
				       s ? s : "");
	if (strncmp(s, "sha256:", 7) != 0)
		return robbe_error_set(err, 0, "%s: unsupported digest algorithm \"%.100s\"", what, s);
	return 0;
}

/* ---- JSON accessors with type checks ----------------------------------- */

static int json_string(const cJSON *obj, const char *key, bool required, const char *where, char **out,
		       robbe_error **err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v)) {
		if (required)
			return robbe_error_set(err, 0, "%s: missing \"%s\"", where, key);
		return 0;
	}
	if (!cJSON_IsString(v))
		return robbe_error_set(err, 0, "%s: \"%s\" must be a string", where, key);
	*out = xstrdup(v->valuestring);
	return 0;
}

static int json_size(const cJSON *obj, const char *key, const char *where, int64_t max, int64_t *out,
		     robbe_error **err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	double d;

	if (!v)
		return robbe_error_set(err, 0, "%s: missing \"%s\"", where, key);
	if (!cJSON_IsNumber(v))
		return robbe_error_set(err, 0, "%s: \"%s\" must be a number", where, key);
	d = v->valuedouble;
	/* Compare as doubles first so a huge value cannot overflow the cast. */
	if (!(d >= 0) || d > (double) max || (double) (int64_t) d != d)
		return robbe_error_set(err, 0, "%s: \"%s\" out of range", where, key);
	*out = (int64_t) d;
	return 0;
}

/* An array of strings or null; absent or null gives NULL. */
static int json_strv(const cJSON *obj, const char *key, const char *where, char ***out, robbe_error **err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key), *it;
	char **r = NULL;

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsArray(v))
		return robbe_error_set(err, 0, "%s: \"%s\" must be an array of strings", where, key);
	r = xcalloc(1, sizeof(char *));
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it)) {
			strv_free(r);
			return robbe_error_set(err, 0, "%s: \"%s\" must be an array of strings", where, key);
		}
		strv_push(&r, it->valuestring);
	}
	*out = r;
	return 0;
}

static const char *strip_content_type(const char *ct, char *buf, size_t bufsz)
{
	size_t n = 0;

	if (!ct)
		return "";
	while (*ct == ' ')
		ct++;
	while (ct[n] && ct[n] != ';' && ct[n] != ' ' && n + 1 < bufsz) {
		buf[n] = (char) tolower((unsigned char) ct[n]);
		n++;
	}
	buf[n] = '\0';
	return buf;
}

/* ---- platforms ---------------------------------------------------------- */

static char *lower_dup(const char *s)
{
	char *r = xstrdup(s);
	for (char *p = r; *p; p++)
		*p = (char) tolower((unsigned char) *p);
	return r;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

/* Bring os/architecture/variant to the spelling images use. */
static void platform_normalise(struct oci_platform *p)
{
	char *os = lower_dup(p->os ? p->os : ""), *arch = lower_dup(p->architecture ? p->architecture : "");
	char *var = p->variant && *p->variant ? lower_dup(p->variant) : NULL;

	if (strcmp(os, "macos") == 0)
		set_str(&os, "darwin");
	if (!strcmp(arch, "i386") || !strcmp(arch, "i686") || !strcmp(arch, "x86")) {
		set_str(&arch, "386");
	} else if (!strcmp(arch, "x86_64") || !strcmp(arch, "x86-64")) {
		set_str(&arch, "amd64");
	} else if (!strcmp(arch, "aarch64")) {
		set_str(&arch, "arm64");
	} else if (!strcmp(arch, "armhf")) {
		set_str(&arch, "arm");
		if (!var)
			var = xstrdup("v7");
	} else if (!strcmp(arch, "armel")) {
		set_str(&arch, "arm");
		if (!var)
			var = xstrdup("v6");
	}
	if (var && isdigit((unsigned char) var[0]) &&
	    (!strcmp(arch, "arm") || !strcmp(arch, "arm64") || !strcmp(arch, "amd64"))) {
		char *v = xasprintf("v%s", var);
		free(var);
		var = v;
	}
	if (!strcmp(arch, "arm") && !var)
		var = xstrdup("v7");
	free(p->os);
	free(p->architecture);
	free(p->variant);
	p->os = os;
	p->architecture = arch;
	p->variant = var;
}

void platform_release(struct oci_platform *p)
{
	free(p->os);
	free(p->architecture);
	free(p->variant);
	p->os = p->architecture = p->variant = NULL;
}

void platform_copy(struct oci_platform *dst, const struct oci_platform *src)
{
	dst->os = src->os ? xstrdup(src->os) : NULL;
	dst->architecture = src->architecture ? xstrdup(src->architecture) : NULL;
	dst->variant = src->variant ? xstrdup(src->variant) : NULL;
}

char *platform_format(const struct oci_platform *p)
{
	if (p->variant && *p->variant)
		return xasprintf("%s/%s/%s", p->os, p->architecture, p->variant);
	return xasprintf("%s/%s", p->os, p->architecture);
}

static bool platform_word(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char) s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

static bool known_os(const char *s)
{
	static const char *const oses[] = { "linux", "windows", "darwin", "freebsd", "netbsd", "openbsd",
					    "solaris", "illumos", "aix", "plan9", "android", "ios", "js",
					    "wasip1", "macos", NULL };
	for (size_t i = 0; oses[i]; i++)
		if (strcasecmp(s, oses[i]) == 0)
			return true;
	return false;
}

int platform_parse(const char *spec, struct oci_platform *out, robbe_error **err)
{
	const char *parts[4] = { 0 };
	size_t lens[4] = { 0 }, n = 0;
	const char *s = spec;
	cleanup_platform struct oci_platform host = { 0 };

	memset(out, 0, sizeof(*out));
	for (;;) {
		const char *slash = strchr(s, '/');
		size_t len = slash ? (size_t) (slash - s) : strlen(s);
		if (n == 3 || !platform_word(s, len))
			return robbe_error_set(err, 0, "invalid platform \"%s\": expected os[/arch[/variant]]",
					       spec);
		parts[n] = s;
		lens[n++] = len;
		if (!slash)
			break;
		s = slash + 1;
	}
	platform_host(&host);
	if (n == 1) {
		/* One word is an OS if it names one, else an architecture of
		 * the host's OS. */
		cleanup_free char *w = xstrndup(parts[0], lens[0]);
		if (known_os(w)) {
			out->os = steal_pointer(&w);
			out->architecture = xstrdup(host.architecture);
			out->variant = host.variant ? xstrdup(host.variant) : NULL;
		} else {
			out->os = xstrdup(host.os);
			out->architecture = steal_pointer(&w);
		}
	} else {
		out->os = xstrndup(parts[0], lens[0]);
		out->architecture = xstrndup(parts[1], lens[1]);
		if (n == 3)
			out->variant = xstrndup(parts[2], lens[2]);
	}
	platform_normalise(out);
	return 0;
}

void platform_host(struct oci_platform *out)
{
	const char *arch = "unknown", *variant = NULL;

#if defined(__x86_64__)
	arch = "amd64";
#elif defined(__aarch64__)
	arch = "arm64";
	variant = "v8";
#elif defined(__arm__)
	arch = "arm";
#if defined(__ARM_ARCH) && __ARM_ARCH >= 7
	variant = "v7";
#elif defined(__ARM_ARCH) && __ARM_ARCH == 6
	variant = "v6";
#else
	variant = "v5";
#endif
#elif defined(__i386__)
	arch = "386";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
	arch = "ppc64le";
#elif defined(__powerpc64__)
	arch = "ppc64";
#elif defined(__s390x__)
	arch = "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
	arch = "riscv64";
#elif defined(__loongarch64)
	arch = "loong64";
#elif defined(__mips64) && defined(__MIPSEL__)
	arch = "mips64le";
#endif
	out->os = xstrdup("linux");
	out->architecture = xstrdup(arch);
	out->variant = variant ? xstrdup(variant) : NULL;
}

int platform_default(struct oci_platform *out, robbe_error **err)
{
	const char *env = getenv("DOCKER_DEFAULT_PLATFORM");

	if (env && *env) {
		if (platform_parse(env, out, err) < 0)
			return robbe_error_wrap(err, "DOCKER_DEFAULT_PLATFORM");
		return 0;
	}
	platform_host(out);
	return 0;
}

/* "v8" -> 800, "v8.2" -> 802; -1 when not of that shape.  Variants of arm,
 * arm64 and amd64 are ordered: newer CPUs run images for older ones. */
static int variant_level(const char *arch, const char *v)
{
	int major = 0, minor = 0;
	const char *p;

	if (!v || !*v) {
		if (!strcmp(arch, "arm"))
			return 700;
		if (!strcmp(arch, "arm64"))
			return 800;
		return 100; /* amd64 without a variant is v1 */
	}
	if (v[0] != 'v' || !isdigit((unsigned char) v[1]))
		return -1;
	for (p = v + 1; isdigit((unsigned char) *p) && major < 100; p++)
		major = major * 10 + (*p - '0');
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char) *p))
			return -1;
		for (; isdigit((unsigned char) *p) && minor < 100; p++)
			minor = minor * 10 + (*p - '0');
	}
	if (*p || major >= 100 || minor >= 100)
		return -1;
	return major * 100 + minor;
}

int platform_match(const struct oci_platform *want_in, const struct oci_platform *have_in)
{
	cleanup_platform struct oci_platform want = { 0 };
	cleanup_platform struct oci_platform have = { 0 };

	platform_copy(&want, want_in);
	platform_copy(&have, have_in);
	platform_normalise(&want);
	platform_normalise(&have);
	if (strcmp(want.os, have.os) != 0 || strcmp(want.architecture, have.architecture) != 0)
		return -1;
	if (!strcmp(want.architecture, "arm") || !strcmp(want.architecture, "arm64") ||
	    !strcmp(want.architecture, "amd64")) {
		int w = variant_level(want.architecture, want.variant);
		int h = variant_level(have.architecture, have.variant);
		if (w >= 0 && h >= 0)
			return h <= w ? 10000 - (w - h) : -1;
	}
	/* Unordered variants: equal is a match; no variant asked matches any. */
	if (!want.variant)
		return have.variant ? 5000 : 10000;
	if (have.variant && strcmp(want.variant, have.variant) == 0)
		return 10000;
	return -1;
}

/* ---- descriptors -------------------------------------------------------- */

static void descriptor_release(struct oci_descriptor *d)
{
	free(d->media_type);
	free(d->digest);
	platform_release(&d->platform);
	free(d->ref_name);
	free(d->image_name);
	memset(d, 0, sizeof(*d));
}

static int parse_platform(const cJSON *j, const char *where, struct oci_platform *p, robbe_error **err)
{
	if (!cJSON_IsObject(j))
		return robbe_error_set(err, 0, "%s: \"platform\" must be an object", where);
	if (json_string(j, "os", true, where, &p->os, err) < 0 ||
	    json_string(j, "architecture", true, where, &p->architecture, err) < 0 ||
	    json_string(j, "variant", false, where, &p->variant, err) < 0)
		return -1;
	if (!platform_word(p->os, strlen(p->os)) || !platform_word(p->architecture, strlen(p->architecture)) ||
	    (p->variant && *p->variant && !platform_word(p->variant, strlen(p->variant))))
		return robbe_error_set(err, 0, "%s: invalid platform", where);
	platform_normalise(p);
	return 0;
}

static int parse_annotations(const cJSON *j, const char *where, struct oci_descriptor *d, robbe_error **err)
{
	const cJSON *it;

	if (!j || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsObject(j))
		return robbe_error_set(err, 0, "%s: \"annotations\" must be an object", where);
	cJSON_ArrayForEach(it, j) {
		if (!cJSON_IsString(it))
			return robbe_error_set(err, 0, "%s: annotation \"%.100s\" must be a string", where,
					       it->string);
		if (!strcmp(it->string, "org.opencontainers.image.ref.name"))
			set_str(&d->ref_name, it->valuestring);
		else if (!strcmp(it->string, "io.containerd.image.name"))
			set_str(&d->image_name, it->valuestring);
		else if (!strcmp(it->string, "vnd.docker.reference.type"))
			d->attestation = strcmp(it->valuestring, "attestation-manifest") == 0;
	}
	return 0;
}

static int parse_descriptor(const cJSON *j, const char *where, int64_t max_size, struct oci_descriptor *d,
			    robbe_error **err)
{
	const cJSON *platform;

	if (!cJSON_IsObject(j))
		return robbe_error_set(err, 0, "%s: must be an object", where);
	if (json_string(j, "mediaType", true, where, &d->media_type, err) < 0 ||
	    json_string(j, "digest", true, where, &d->digest, err) < 0 || manifest_digest_check(d->digest, where, err) < 0 ||
	    json_size(j, "size", where, max_size, &d->size, err) < 0)
		return -1;
	if (strlen(d->media_type) > 255)
		return robbe_error_set(err, 0, "%s: media type too long", where);
	platform = cJSON_GetObjectItemCaseSensitive(j, "platform");
	if (platform && !cJSON_IsNull(platform)) {
		if (parse_platform(platform, where, &d->platform, err) < 0)
			return -1;
		d->has_platform = true;
	}
	return parse_annotations(cJSON_GetObjectItemCaseSensitive(j, "annotations"), where, d, err);
}

static const cJSON *json_array(const cJSON *obj, const char *key, const char *where, size_t max, size_t *n,
			       robbe_error **err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!a) {
		robbe_error_set(err, 0, "%s: missing \"%s\"", where, key);
		return NULL;
	}
	if (!cJSON_IsArray(a)) {
		robbe_error_set(err, 0, "%s: \"%s\" must be an array", where, key);
		return NULL;
	}
	*n = (size_t) cJSON_GetArraySize(a);
	if (*n > max) {
		robbe_error_set(err, 0, "%s: too many %s (%zu; at most %zu)", where, key, *n, max);
		return NULL;
	}
	return a;
}

/* ---- manifests ---------------------------------------------------------- */

void manifest_free(struct manifest *m)
{
	if (!m)
		return;
	descriptor_release(&m->config);
	for (size_t i = 0; i < m->n_layers; i++)
		descriptor_release(&m->layers[i]);
	for (size_t i = 0; i < m->n_manifests; i++)
		descriptor_release(&m->manifests[i]);
	free(m->layers);
	free(m->manifests);
	free(m);
}

static enum manifest_kind kind_of(const char *media_type, bool *schema1)
{
	*schema1 = !strcasecmp(media_type, MEDIA_DOCKER_SCHEMA1) || !strcasecmp(media_type, MEDIA_DOCKER_SCHEMA1_SIGNED);
	for (size_t i = 0; i < ARRAY_SIZE(manifest_types); i++)
		if (!strcasecmp(media_type, manifest_types[i].media_type))
			return manifest_types[i].kind;
	return 0;
}

static const char *media_of(enum manifest_kind kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(manifest_types); i++)
		if (manifest_types[i].kind == kind)
			return manifest_types[i].media_type;
	return "";
}

static int parse_image_manifest(const cJSON *root, struct manifest *m, robbe_error **err)
{
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(root, "config"), *layers, *it;
	size_t n, i = 0;

	if (!cfg)
		return robbe_error_set(err, 0, "invalid manifest: missing \"config\"");
	if (parse_descriptor(cfg, "invalid manifest: config", IMAGE_CONFIG_MAX_BYTES, &m->config, err) < 0)
		return -1;
	if (strcmp(m->config.media_type, MEDIA_DOCKER_CONFIG) != 0 && strcmp(m->config.media_type, MEDIA_OCI_CONFIG) != 0)
		return robbe_error_set(err, 0,
				       "unsupported image config media type \"%.255s\": not a container image",
				       m->config.media_type);
	layers = json_array(root, "layers", "invalid manifest", MANIFEST_MAX_LAYERS, &n, err);
	if (!layers)
		return -1;
	m->layers = xcalloc(n, sizeof(*m->layers));
	cJSON_ArrayForEach(it, layers) {
		struct oci_descriptor *d = &m->layers[i];
		char where[64];
		size_t t;

		snprintf(where, sizeof(where), "invalid manifest: layers[%zu]", i);
		m->n_layers = ++i;
		if (parse_descriptor(it, where, MANIFEST_MAX_BLOB_SIZE, d, err) < 0)
			return -1;
		for (t = 0; t < ARRAY_SIZE(layer_types); t++)
			if (!strcmp(d->media_type, layer_types[t].media_type))
				break;
		if (t == ARRAY_SIZE(layer_types))
			return robbe_error_set(err, 0, "unsupported layer media type \"%.255s\"", d->media_type);
		d->compression = layer_types[t].compression;
	}
	return 0;
}

static int parse_index(const cJSON *root, struct manifest *m, robbe_error **err)
{
	const cJSON *list, *it;
	size_t n, i = 0;

	list = json_array(root, "manifests", "invalid manifest list", MANIFEST_MAX_ENTRIES, &n, err);
	if (!list)
		return -1;
	m->manifests = xcalloc(n, sizeof(*m->manifests));
	cJSON_ArrayForEach(it, list) {
		char where[64];

		snprintf(where, sizeof(where), "invalid manifest list: manifests[%zu]", i);
		m->n_manifests = ++i;
		if (parse_descriptor(it, where, MANIFEST_MAX_BYTES, &m->manifests[i - 1], err) < 0)
			return -1;
	}
	return 0;
}

int manifest_parse(const char *data, size_t len, const char *content_type, struct manifest **out,
		   robbe_error **err)
{
	cleanup_cjson cJSON *root = NULL;
	cleanup_manifest struct manifest *m = NULL;
	char ctbuf[256];
	const cJSON *sv;
	cleanup_free char *body_type = NULL;
	enum manifest_kind header_kind, body_kind = 0;
	bool schema1;

	*out = NULL;
	if (len > MANIFEST_MAX_BYTES)
		return robbe_error_set(err, 0, "manifest too large (%zu bytes; at most %u)", len, MANIFEST_MAX_BYTES);
	header_kind = kind_of(strip_content_type(content_type, ctbuf, sizeof(ctbuf)), &schema1);
	if (schema1)
		return schema1_error(err);
	root = cJSON_ParseWithLength(data, len);
	if (!cJSON_IsObject(root))
		return robbe_error_set(err, 0, "invalid manifest: not a JSON object");
	sv = cJSON_GetObjectItemCaseSensitive(root, "schemaVersion");
	if (cJSON_IsNumber(sv) && sv->valuedouble == 1)
		return schema1_error(err);
	if (!sv)
		return robbe_error_set(err, 0, "invalid manifest: missing \"schemaVersion\"");
	if (!cJSON_IsNumber(sv) || sv->valuedouble != 2)
		return robbe_error_set(err, 0, "invalid manifest: unsupported schemaVersion");
	if (json_string(root, "mediaType", false, "invalid manifest", &body_type, err) < 0)
		return -1;
	if (body_type) {
		body_kind = kind_of(body_type, &schema1);
		if (schema1)
			return schema1_error(err);
		if (!body_kind)
			return robbe_error_set(err, 0, "unsupported manifest media type \"%.255s\"", body_type);
	}
	if (body_kind && header_kind && body_kind != header_kind)
		return robbe_error_set(err, 0, "manifest media type mismatch: served as %s but the document says %s",
				       media_of(header_kind), media_of(body_kind));
	m = xcalloc(1, sizeof(*m));
	m->kind = body_kind ? body_kind : header_kind;
	if (!m->kind) {
		/* OCI allows mediaType to be left out; tell the two OCI
		 * documents apart by their shape. */
		if (cJSON_GetObjectItemCaseSensitive(root, "manifests"))
			m->kind = MANIFEST_OCI_INDEX;
		else if (cJSON_GetObjectItemCaseSensitive(root, "config"))
			m->kind = MANIFEST_OCI;
		else
			return robbe_error_set(err, 0, "invalid manifest: unknown document type");
	}
	m->media_type = media_of(m->kind);
	if (manifest_is_index(m) ? parse_index(root, m, err) < 0 : parse_image_manifest(root, m, err) < 0)
		return -1;
	*out = steal_pointer(&m);
	return 0;
}

int manifest_select(const struct manifest *index, const struct oci_platform *want,
		    const struct oci_descriptor **out, robbe_error **err)
{
	const struct oci_descriptor *best = NULL;
	int best_score = -1;
	bool schema1;

	*out = NULL;
	for (size_t i = 0; i < index->n_manifests; i++) {
		const struct oci_descriptor *d = &index->manifests[i];
		int score;

		if (d->attestation || !d->has_platform || !kind_of(d->media_type, &schema1))
			continue;
		score = platform_match(want, &d->platform);
		if (score > best_score) {
			best = d;
			best_score = score;
		}
	}
	if (!best) {
		cleanup_free char *p = platform_format(want);
		return robbe_error_set(err, 0, "no matching manifest for %s in the manifest list entries", p);
	}
	*out = best;
	return 0;
}

/* ---- image config ------------------------------------------------------- */

void image_config_free(struct image_config *c)
{
	if (!c)
		return;
	free(c->architecture);
	free(c->os);
	free(c->variant);
	free(c->created);
	strv_free(c->diff_ids);
	strv_free(c->env);
	strv_free(c->cmd);
	strv_free(c->entrypoint);
	free(c->working_dir);
	free(c->user);
	free(c->stop_signal);
	cJSON_Delete(c->json);
	free(c);
}

static int parse_runtime_config(const cJSON *cfg, struct image_config *c, robbe_error **err)
{
	const char *w = "invalid image config: config";

	if (!cfg || cJSON_IsNull(cfg))
		return 0;
	if (!cJSON_IsObject(cfg))
		return robbe_error_set(err, 0, "%s: must be an object", w);
	if (json_strv(cfg, "Env", w, &c->env, err) < 0 || json_strv(cfg, "Cmd", w, &c->cmd, err) < 0 ||
	    json_strv(cfg, "Entrypoint", w, &c->entrypoint, err) < 0 ||
	    json_string(cfg, "WorkingDir", false, w, &c->working_dir, err) < 0 ||
	    json_string(cfg, "User", false, w, &c->user, err) < 0 ||
	    json_string(cfg, "StopSignal", false, w, &c->stop_signal, err) < 0)
		return -1;
	return 0;
}

int image_config_parse(const char *data, size_t len, struct image_config **out, robbe_error **err)
{
	cleanup_image_config struct image_config *c = NULL;
	const cJSON *rootfs, *ids, *it, *hist;
	const char *w = "invalid image config";
	size_t n;
	cleanup_free char *type = NULL;

	*out = NULL;
	if (len > IMAGE_CONFIG_MAX_BYTES)
		return robbe_error_set(err, 0, "image config too large (%zu bytes; at most %u)", len,
				       IMAGE_CONFIG_MAX_BYTES);
	c = xcalloc(1, sizeof(*c));
	c->json = cJSON_ParseWithLength(data, len);
	if (!cJSON_IsObject(c->json))
		return robbe_error_set(err, 0, "%s: not a JSON object", w);
	if (json_string(c->json, "architecture", false, w, &c->architecture, err) < 0 ||
	    json_string(c->json, "os", false, w, &c->os, err) < 0 ||
	    json_string(c->json, "variant", false, w, &c->variant, err) < 0 ||
	    json_string(c->json, "created", false, w, &c->created, err) < 0)
		return -1;
	rootfs = cJSON_GetObjectItemCaseSensitive(c->json, "rootfs");
	if (!cJSON_IsObject(rootfs))
		return robbe_error_set(err, 0, "%s: missing \"rootfs\"", w);
	if (json_string(rootfs, "type", true, "invalid image config: rootfs", &type, err) < 0)
		return -1;
	if (strcmp(type, "layers") != 0)
		return robbe_error_set(err, 0, "%s: unsupported rootfs type \"%.100s\"", w, type);
	ids = json_array(rootfs, "diff_ids", "invalid image config: rootfs", MANIFEST_MAX_LAYERS, &n, err);
	if (!ids)
		return -1;
	c->diff_ids = xcalloc(n + 1, sizeof(char *));
	cJSON_ArrayForEach(it, ids) {
		if (!cJSON_IsString(it))
			return robbe_error_set(err, 0, "%s: rootfs.diff_ids[%zu] must be a string", w, c->n_diff_ids);
		if (manifest_digest_check(it->valuestring, "invalid image config: rootfs.diff_ids", err) < 0)
			return -1;
		c->diff_ids[c->n_diff_ids++] = xstrdup(it->valuestring);
	}
	hist = cJSON_GetObjectItemCaseSensitive(c->json, "history");
	if (hist && !cJSON_IsNull(hist) && !json_array(c->json, "history", w, CONFIG_MAX_HISTORY, &n, err))
		return -1;
	if (parse_runtime_config(cJSON_GetObjectItemCaseSensitive(c->json, "config"), c, err) < 0)
		return -1;
	*out = steal_pointer(&c);
	return 0;
}

int manifest_check_config(const struct manifest *m, const struct image_config *c, robbe_error **err)
{
	if (manifest_is_index(m))
		return robbe_error_set(err, 0, "expected an image manifest, got a manifest list");
	if (m->n_layers != c->n_diff_ids)
		return robbe_error_set(err, 0,
				       "invalid image: the manifest lists %zu layers but the config has %zu diff IDs",
				       m->n_layers, c->n_diff_ids);
	return 0;
}

void image_config_platform(const struct image_config *c, struct oci_platform *out)
{
	out->os = xstrdup(c->os ? c->os : "linux");
	out->architecture = xstrdup(c->architecture ? c->architecture : "");
	out->variant = c->variant && *c->variant ? xstrdup(c->variant) : NULL;
	platform_normalise(out);
}
