/* test-digest.c: SHA-2 digests, streaming and validation. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "tests/unit/tap.h"

/* Known answers (FIPS 180-2 examples). */
#define ABC_SHA256 "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY_SHA256 "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ABC_SHA512 "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" \
	"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"

static void test_known_answers(void)
{
	cleanup_free char *abc = digest_sha256("abc", 3);
	cleanup_free char *empty = digest_sha256("", 0);
	cleanup_free char *hex = digest_sha256_hex("abc", 3);
	cleanup_free char *like = digest_data_like(ABC_SHA512, "abc", 3);

	is_str(abc, ABC_SHA256, "sha256 of abc");
	is_str(empty, EMPTY_SHA256, "sha256 of nothing");
	is_str(hex, ABC_SHA256 + 7, "hex form");
	is_str(like, ABC_SHA512, "digest with the algorithm of an expected sha512");
	ok(digest_data_like("nope", "abc", 3) == NULL, "no digest for an invalid model");
}

static void test_streaming(void)
{
	cleanup_digest_ctx struct digest_ctx *ctx = digest_ctx_new("sha256");
	const char *msg = "abc";
	unsigned char *big = xmalloc(1 << 20);

	ok(ctx != NULL, "sha256 context");
	for (size_t i = 0; i < 3; i++)
		digest_ctx_update(ctx, msg + i, 1);
	cleanup_free char *d = digest_ctx_final(ctx);
	is_str(d, ABC_SHA256, "byte-by-byte equals one shot");

	/* final resets: the context is reusable */
	digest_ctx_update(ctx, "junk", 4);
	digest_ctx_reset(ctx);
	digest_ctx_update(ctx, msg, 3);
	cleanup_free char *d2 = digest_ctx_final(ctx);
	is_str(d2, ABC_SHA256, "reset discards earlier data");

	for (size_t i = 0; i < (1 << 20); i++)
		big[i] = (unsigned char) (i * 7 + 3);
	cleanup_free char *one = digest_sha256(big, 1 << 20);
	for (size_t off = 0; off < (1 << 20); off += 4093)
		digest_ctx_update(ctx, big + off, (1 << 20) - off < 4093 ? (1 << 20) - off : 4093);
	cleanup_free char *chunked = digest_ctx_final(ctx);
	is_str(chunked, one, "1 MiB in odd chunks equals one shot");
	free(big);

	ok(digest_ctx_new("md5") == NULL, "md5 is not offered");
	ok(digest_ctx_new_for("sha256:abc") == NULL, "no context for an invalid digest");
	cleanup_digest_ctx struct digest_ctx *c512 = digest_ctx_new_for(ABC_SHA512);
	ok(c512 != NULL, "context for a sha512 digest");
}

static void test_validate(void)
{
	static const struct {
		const char *in;
		const char *msg;
	} cases[] = {
		{ ABC_SHA256, NULL },
		{ ABC_SHA512, NULL },
		{ "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", "invalid checksum digest format" },
		{ "sha256:abc", "invalid checksum digest length" },
		{ "sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		  "invalid checksum digest length" },
		{ "sha256", "invalid checksum digest format" },
		{ ":abc", "invalid checksum digest format" },
		{ "sha256:", "invalid checksum digest format" },
		{ "md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm" },
		{ "sha256+b64:abc", "unsupported digest algorithm" },
		{ "SHA256:abc", "invalid checksum digest format" },
		{ "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015az",
		  "invalid checksum digest format" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cleanup_error robbe_error *err = NULL;
		int r = digest_validate(cases[i].in, &err);
		if (cases[i].msg)
			is_str(err ? err->msg : NULL, cases[i].msg, "validate '%.30s' fails", cases[i].in);
		else
			ok(r == 0 && err == NULL, "validate '%.30s' passes", cases[i].in);
	}
	ok(digest_is_valid(ABC_SHA256), "digest_is_valid");
	ok(!digest_is_valid(NULL), "NULL is not a digest");
	is_str(digest_hex(ABC_SHA256), ABC_SHA256 + 7, "digest_hex");
	ok(digest_is_sha256_hex(ABC_SHA256 + 7), "64 hex digits");
	ok(!digest_is_sha256_hex(ABC_SHA256), "prefixed digest is not bare hex");
}

static void test_file(void)
{
	char path[] = "/tmp/robbe-test-digest.XXXXXX";
	int fd = mkstemp(path);
	cleanup_free char *d = NULL;
	cleanup_error robbe_error *err = NULL;

	ok(fd >= 0 && write(fd, "abc", 3) == 3, "write temp file");
	close(fd);
	ok(digest_file(path, &d, &err) == 0, "digest_file");
	is_str(d, ABC_SHA256, "digest_file result");
	unlink(path);
	ok(digest_file(path, &d, &err) < 0 && err != NULL, "digest_file on a missing file fails");

	unsigned char bytes[] = { 0x00, 0x0f, 0xa5, 0xff };
	cleanup_free char *hex = hex_encode(bytes, sizeof(bytes));
	is_str(hex, "000fa5ff", "hex_encode");
}

int main(void)
{
	test_known_answers();
	test_streaming();
	test_validate();
	test_file();
	return tap_done();
}
