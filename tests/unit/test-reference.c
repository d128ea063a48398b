/* test-reference.c: Docker reference parsing, normalization and printing.
 * The expected error texts are what `docker pull X` (CLI 28.2.2) prints. */
#include "config.h"

#include <string.h>

#include "reference.h"
#include "tests/unit/tap.h"

#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct good {
	const char *in;
	const char *full;	/* reference_string() after reference_default_tag() */
	const char *familiar;	/* reference_familiar_string() likewise */
	const char *domain;
	const char *path;
};

static const struct good goods[] = {
	{ "busybox", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox" },
	{ "busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36", "docker.io", "library/busybox" },
	{ "user/repo", "docker.io/user/repo:latest", "user/repo:latest", "docker.io", "user/repo" },
	{ "docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox" },
	{ "index.docker.io/busybox", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox" },
	{ "docker.io/library/busybox", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox" },
	{ "library/busybox/extra", "docker.io/library/busybox/extra:latest", "library/busybox/extra:latest", "docker.io",
	  "library/busybox/extra" },
	{ "localhost:5000/repo:tag", "localhost:5000/repo:tag", "localhost:5000/repo:tag", "localhost:5000", "repo" },
	{ "localhost/x", "localhost/x:latest", "localhost/x:latest", "localhost", "x" },
	{ "localhost", "docker.io/library/localhost:latest", "localhost:latest", "docker.io", "library/localhost" },
	{ "localhost:5000", "docker.io/library/localhost:5000", "localhost:5000", "docker.io", "library/localhost" },
	{ "x:5000", "docker.io/library/x:5000", "x:5000", "docker.io", "library/x" },
	{ "ghcr.io/x/y", "ghcr.io/x/y:latest", "ghcr.io/x/y:latest", "ghcr.io", "x/y" },
	{ "127.0.0.1:5000/a/b/c:v1.0", "127.0.0.1:5000/a/b/c:v1.0", "127.0.0.1:5000/a/b/c:v1.0", "127.0.0.1:5000", "a/b/c" },
	{ "[::1]:5000/x", "[::1]:5000/x:latest", "[::1]:5000/x:latest", "[::1]:5000", "x" },
	{ "[::1]/x", "[::1]/x:latest", "[::1]/x:latest", "[::1]", "x" },
	{ "UPPER/x", "UPPER/x:latest", "UPPER/x:latest", "UPPER", "x" },
	{ "Host.com/x", "Host.com/x:latest", "Host.com/x:latest", "Host.com", "x" },
	{ "foo.com:123456/x", "foo.com:123456/x:latest", "foo.com:123456/x:latest", "foo.com:123456", "x" },
	{ "a_b", "docker.io/library/a_b:latest", "a_b:latest", "docker.io", "library/a_b" },
	{ "a__b", "docker.io/library/a__b:latest", "a__b:latest", "docker.io", "library/a__b" },
	{ "a--b", "docker.io/library/a--b:latest", "a--b:latest", "docker.io", "library/a--b" },
	{ "a.b.c/d/e", "a.b.c/d/e:latest", "a.b.c/d/e:latest", "a.b.c", "d/e" },
	{ "a.b/c.d/e_f/g__h/i-j/k---l", "a.b/c.d/e_f/g__h/i-j/k---l:latest", "a.b/c.d/e_f/g__h/i-j/k---l:latest", "a.b",
	  "c.d/e_f/g__h/i-j/k---l" },
	{ "a:_x", "docker.io/library/a:_x", "a:_x", "docker.io", "library/a" },
	{ "a:x.Y-z", "docker.io/library/a:x.Y-z", "a:x.Y-z", "docker.io", "library/a" },
	{ "busybox@sha256:" H64, "docker.io/library/busybox@sha256:" H64, "busybox@sha256:" H64, "docker.io",
	  "library/busybox" },
	{ "repo:tag@sha256:" H64, "docker.io/library/repo:tag@sha256:" H64, "repo:tag@sha256:" H64, "docker.io",
	  "library/repo" },
	{ "sha256:" H64, "docker.io/library/sha256:" H64, "sha256:" H64, "docker.io", "library/sha256" },
};

struct bad {
	const char *in;
	const char *msg;
};

static const struct bad bads[] = {
	{ "Bad", "invalid reference format: repository name (library/Bad) must be lowercase" },
	{ "library/Busybox", "invalid reference format: repository name (library/Busybox) must be lowercase" },
	{ "Busybox:latest", "invalid reference format: repository name (library/Busybox) must be lowercase" },
	{ "docker.io/Busybox", "invalid reference format: repository name (library/Busybox) must be lowercase" },
	{ "localhost:5000/Foo", "invalid reference format: repository name (Foo) must be lowercase" },
	{ "Foo@sha256:" H64, "invalid reference format: repository name (library/Foo@sha256) must be lowercase" },
	{ "x@Sha256:" H64, "invalid reference format: repository name (library/x@Sha256) must be lowercase" },
	{ "", "invalid reference format" },
	{ "busybox:", "invalid reference format" },
	{ ":tag", "invalid reference format" },
	{ "a/", "invalid reference format" },
	{ "/a", "invalid reference format" },
	{ "a//b", "invalid reference format" },
	{ "x:-tag", "invalid reference format" },
	{ "a:.x", "invalid reference format" },
	{ "a___b", "invalid reference format" },
	{ "a..b", "invalid reference format" },
	{ "a.-b", "invalid reference format" },
	{ "a-/b", "invalid reference format" },
	{ "foo_/b", "invalid reference format" },
	{ "a.b:port/x", "invalid reference format" },
	{ "a_b:5/x", "invalid reference format" },
	{ "foo-.com/x", "invalid reference format" },
	{ "foo.com:/x", "invalid reference format" },
	{ "[fe80::1%eth0]/x", "invalid reference format" },
	{ "a@sha256:abc", "invalid reference format" },
	{ "a:b@sha256:0123", "invalid reference format" },
	{ "x@md5:0123", "invalid reference format" },
	{ "a@sha256:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "invalid checksum digest format" },
	{ "a@sha256:" H64 "00", "invalid checksum digest length" },
	{ "x@sha256:0123456789abcdef0123456789abcdef", "invalid checksum digest length" },
	{ "a@sha512:" H64, "invalid checksum digest length" },
	{ "a@foo:" H64, "unsupported digest algorithm" },
	{ "x@sha256+b64:" H64, "unsupported digest algorithm" },
	{ H64, "invalid repository name (" H64 "), cannot specify 64-byte hexadecimal strings" },
};

static void test_goods(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(goods); i++) {
		const struct good *g = &goods[i];
		cleanup_error robbe_error *err = NULL;
		cleanup_reference struct reference *ref = NULL;

		if (!ok(reference_parse(g->in, &ref, &err) == 0, "parse '%s'", g->in)) {
			printf("#   error: %s\n", err->msg);
			continue;
		}
		is_str(ref->domain, g->domain, "'%s' domain", g->in);
		is_str(ref->path, g->path, "'%s' path", g->in);
		reference_default_tag(ref);
		cleanup_free char *full = reference_string(ref);
		cleanup_free char *fam = reference_familiar_string(ref);
		is_str(full, g->full, "'%s' full string", g->in);
		is_str(fam, g->familiar, "'%s' familiar string", g->in);

		/* The full string parses back to itself. */
		cleanup_reference struct reference *again = NULL;
		cleanup_error robbe_error *err2 = NULL;
		ok(reference_parse_full(full, &again, &err2) == 0, "'%s' full form reparses", full);
		if (again) {
			cleanup_free char *full2 = reference_string(again);
			is_str(full2, full, "'%s' round trip", full);
		}
	}
}

static void test_bads(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(bads); i++) {
		cleanup_error robbe_error *err = NULL;
		struct reference *ref = NULL;

		ok(reference_parse(bads[i].in, &ref, &err) < 0 && ref == NULL, "'%.40s' is refused", bads[i].in);
		is_str(err ? err->msg : NULL, bads[i].msg, "'%.40s' message", bads[i].in);
	}
}

static void test_lengths(void)
{
	char name[300], tag[140];
	cleanup_error robbe_error *err = NULL;
	struct reference *ref = NULL;

	memset(name, 'a', 256);
	strcpy(name + 250, "/bcdef");
	ok(reference_parse(name, &ref, &err) < 0, "256-character path refused");
	is_str(err ? err->msg : NULL, "repository name must not be more than 255 characters", "too-long message");
	robbe_error_free(err);
	err = NULL;

	/* Only the path counts: a long domain is fine. */
	memset(name, 'a', 245);
	strcpy(name + 245, ".com/bcdefghi:tag");
	ok(reference_parse(name, &ref, &err) == 0, "long domain accepted");
	reference_free(ref);
	ref = NULL;

	memset(tag, 'a', 128);
	tag[128] = '\0';
	ok(reference_tag_is_valid(tag), "128-character tag valid");
	tag[128] = 'a';
	tag[129] = '\0';
	ok(!reference_tag_is_valid(tag), "129-character tag invalid");
	cleanup_free char *s = xasprintf("a:%s", tag);
	ok(reference_parse(s, &ref, &err) < 0, "reference with 129-character tag refused");
	is_str(err ? err->msg : NULL, "invalid reference format", "long tag message");
}

static void test_full_parse(void)
{
	cleanup_error robbe_error *err = NULL;
	struct reference *ref = NULL;

	ok(reference_parse_full("docker.io/library/Busybox:latest", &ref, &err) < 0, "full parse refuses uppercase");
	is_str(err ? err->msg : NULL, "repository name must be lowercase", "full parse uppercase message");
	robbe_error_free(err);
	err = NULL;
	ok(reference_parse_full("busybox", &ref, &err) < 0, "full parse needs a domain");
	robbe_error_free(err);
	err = NULL;
	ok(reference_parse_full("127.0.0.1:5000/x/y:1", &ref, &err) == 0, "full parse of a local name");
	if (ref) {
		is_str(ref->domain, "127.0.0.1:5000", "full parse domain");
		is_str(ref->tag, "1", "full parse tag");
		reference_free(ref);
	}
}

static void test_helpers(void)
{
	cleanup_reference struct reference *ref = NULL;
	robbe_error *err = NULL;

	is_str(reference_registry_host("docker.io"), "registry-1.docker.io", "docker.io endpoint");
	is_str(reference_registry_host("ghcr.io"), "ghcr.io", "other endpoint is the domain");
	ok(reference_is_docker_hub("index.docker.io"), "index.docker.io is Docker Hub");
	ok(!reference_is_docker_hub("localhost:5000"), "localhost:5000 is not Docker Hub");

	ok(reference_parse("busybox@sha256:" H64, &ref, &err) == 0, "parse by digest");
	ok(!reference_default_tag(ref), "no default tag when a digest is given");
	is_str(ref->tag, NULL, "tag stays unset");
	is_str(reference_tag_or_digest(ref), "sha256:" H64, "tag_or_digest gives the digest");
	cleanup_free char *name = reference_familiar_name(ref);
	is_str(name, "busybox", "familiar name without suffixes");
	reference_set_tag(ref, "1.0");
	reference_set_digest(ref, NULL);
	cleanup_free char *s = reference_familiar_string(ref);
	is_str(s, "busybox:1.0", "set tag, drop digest");
	cleanup_reference struct reference *copy = reference_copy(ref);
	cleanup_free char *cs = reference_string(copy);
	is_str(cs, "docker.io/library/busybox:1.0", "copy");

	ok(reference_domain_is_valid("my-host.example.com:443", 23), "domain with port");
	ok(!reference_domain_is_valid("-host", 5), "label starting with dash");
	ok(!reference_domain_is_valid("[]", 2), "empty brackets");
	ok(reference_path_is_valid("a/b.c/d_e", 9), "path grammar");
	ok(!reference_path_is_valid("a/B", 3), "uppercase path component");
}

int main(void)
{
	test_goods();
	test_bads();
	test_lengths();
	test_full_parse();
	test_helpers();
	return tap_done();
}
