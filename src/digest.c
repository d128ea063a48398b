/* digest.c: SHA-2 digests through libcrypto's EVP interface. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>


#include "digest.h"
#include "lazy-crypto.h"

struct digest_algo {
	const char *name;
	size_t hex_len;
	const EVP_MD *(*md)(void);
};

/* libcrypto is loaded on first use: its functions are no constants. */
static const EVP_MD *md_sha256(void)
{
	return EVP_sha256();
}

static const EVP_MD *md_sha384(void)
{
	return EVP_sha384();
}

static const EVP_MD *md_sha512(void)
{
	return EVP_sha512();
}

static const struct digest_algo algos[] = {
	{ "sha256", 64, md_sha256 },
	{ "sha384", 96, md_sha384 },
	{ "sha512", 128, md_sha512 },
};

struct digest_ctx {
	const struct digest_algo *algo;
	EVP_MD_CTX *md;
};

static const struct digest_algo *algo_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(algos); i++)
		if (strlen(algos[i].name) == len && memcmp(algos[i].name, name, len) == 0)
			return &algos[i];
	return NULL;
}

static bool all_lower_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char) s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

/* The general digest shape: lowercase algorithm components joined by one of
 * ".+_-", a colon, then an encoded part of [a-zA-Z0-9=_-]. */
static bool digest_shape_ok(const char *s, size_t colon)
{
	bool need_alnum = true;

	for (size_t i = 0; i < colon; i++) {
		char c = s[i];
		if (islower((unsigned char) c) || isdigit((unsigned char) c)) {
			need_alnum = false;
		} else if (strchr(".+_-", c) && !need_alnum) {
			need_alnum = true;
		} else {
			return false;
		}
	}
	if (need_alnum)
		return false;
	for (const char *p = s + colon + 1; *p; p++)
		if (!isalnum((unsigned char) *p) && !strchr("=_-", *p))
			return false;
	return true;
}

int digest_validate(const char *digest, robbe_error **err)
{
	const char *colon = strchr(digest, ':');
	const struct digest_algo *a;
	const char *hex;

	if (!colon || colon == digest || colon[1] == '\0')
		return robbe_error_set(err, 0, "invalid checksum digest format");
	a = algo_find(digest, (size_t) (colon - digest));
	if (!a) {
		if (!digest_shape_ok(digest, (size_t) (colon - digest)))
			return robbe_error_set(err, 0, "invalid checksum digest format");
		return robbe_error_set(err, 0, "unsupported digest algorithm");
	}
	hex = colon + 1;
	if (strlen(hex) != a->hex_len)
		return robbe_error_set(err, 0, "invalid checksum digest length");
	if (!all_lower_hex(hex, a->hex_len))
		return robbe_error_set(err, 0, "invalid checksum digest format");
	return 0;
}

bool digest_is_valid(const char *digest)
{
	return digest && digest_validate(digest, NULL) == 0;
}

const char *digest_hex(const char *digest)
{
	const char *colon = strchr(digest, ':');
	return colon ? colon + 1 : digest;
}

bool digest_is_sha256_hex(const char *s)
{
	return strlen(s) == DIGEST_SHA256_HEX_LEN && all_lower_hex(s, DIGEST_SHA256_HEX_LEN);
}

char *hex_encode(const unsigned char *data, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *r = xmalloc(n * 2 + 1);

	for (size_t i = 0; i < n; i++) {
		r[2 * i] = digits[data[i] >> 4];
		r[2 * i + 1] = digits[data[i] & 15];
	}
	r[n * 2] = '\0';
	return r;
}

static struct digest_ctx *ctx_new_algo(const struct digest_algo *a)
{
	struct digest_ctx *ctx = xcalloc(1, sizeof(*ctx));

	ctx->algo = a;
	ctx->md = EVP_MD_CTX_new();
	if (!ctx->md)
		die_oom();
	digest_ctx_reset(ctx);
	return ctx;
}

struct digest_ctx *digest_ctx_new(const char *algo)
{
	const struct digest_algo *a = algo_find(algo, strlen(algo));
	return a ? ctx_new_algo(a) : NULL;
}

struct digest_ctx *digest_ctx_new_for(const char *digest)
{
	if (!digest_is_valid(digest))
		return NULL;
	return ctx_new_algo(algo_find(digest, (size_t) (strchr(digest, ':') - digest)));
}

void digest_ctx_reset(struct digest_ctx *ctx)
{
	/* Only fails on allocation inside libcrypto. */
	if (EVP_DigestInit_ex(ctx->md, ctx->algo->md(), NULL) != 1)
		die_oom();
}

void digest_ctx_update(struct digest_ctx *ctx, const void *data, size_t len)
{
	if (len && EVP_DigestUpdate(ctx->md, data, len) != 1)
		die_oom();
}

char *digest_ctx_final(struct digest_ctx *ctx)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(ctx->md, md, &n) != 1)
		die_oom();
	cleanup_free char *hex = hex_encode(md, n);
	digest_ctx_reset(ctx);
	return xasprintf("%s:%s", ctx->algo->name, hex);
}

void digest_ctx_free(struct digest_ctx *ctx)
{
	if (!ctx)
		return;
	EVP_MD_CTX_free(ctx->md);
	free(ctx);
}

char *digest_sha256(const void *data, size_t len)
{
	cleanup_digest_ctx struct digest_ctx *ctx = digest_ctx_new("sha256");

	digest_ctx_update(ctx, data, len);
	return digest_ctx_final(ctx);
}

char *digest_sha256_hex(const void *data, size_t len)
{
	cleanup_free char *d = digest_sha256(data, len);
	return xstrdup(digest_hex(d));
}

char *digest_data_like(const char *like, const void *data, size_t len)
{
	cleanup_digest_ctx struct digest_ctx *ctx = digest_ctx_new_for(like);

	if (!ctx)
		return NULL;
	digest_ctx_update(ctx, data, len);
	return digest_ctx_final(ctx);
}

int digest_file(const char *path, char **out, robbe_error **err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	cleanup_digest_ctx struct digest_ctx *ctx = NULL;
	char buf[65536];

	if (fd < 0)
		return robbe_error_errno(err, errno, "open %s", path);
	ctx = digest_ctx_new("sha256");
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return robbe_error_errno(err, errno, "read %s", path);
		if (n == 0)
			break;
		digest_ctx_update(ctx, buf, (size_t) n);
	}
	*out = digest_ctx_final(ctx);
	return 0;
}
