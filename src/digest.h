/* digest.h: content digests ("sha256:<hex>") computed with libcrypto.
 *
 * A digest string is "<algorithm>:<lowercase hex>".  sha256 is what images
 * use; sha384 and sha512 are accepted because OCI allows them, so a blob named
 * by one of those can still be verified.
 */
#ifndef ROBBE_DIGEST_H
#define ROBBE_DIGEST_H

#include "util.h"

#define DIGEST_SHA256_HEX_LEN 64
/* "sha256:" + 64 hex digits. */
#define DIGEST_SHA256_LEN (7 + DIGEST_SHA256_HEX_LEN)

/* Check a digest string; the messages are Docker's ("invalid checksum digest
 * format", "invalid checksum digest length", "unsupported digest algorithm"). */
int digest_validate(const char *digest, robbe_error **err);
bool digest_is_valid(const char *digest);
/* The hex part of a valid digest (after the ':'). */
const char *digest_hex(const char *digest);
/* True for exactly 64 lowercase hex digits (an image ID without prefix). */
bool digest_is_sha256_hex(const char *s);

/* Streaming hash.  algo is "sha256", "sha384" or "sha512". */
struct digest_ctx;
struct digest_ctx *digest_ctx_new(const char *algo);
/* A context for the algorithm named in an expected digest; NULL if the
 * digest is not valid. */
struct digest_ctx *digest_ctx_new_for(const char *digest);
void digest_ctx_update(struct digest_ctx *ctx, const void *data, size_t len);
/* "<algo>:<hex>"; the context is reset and may be used again. */
char *digest_ctx_final(struct digest_ctx *ctx);
/* Start over without reallocating (used when a download is retried). */
void digest_ctx_reset(struct digest_ctx *ctx);
void digest_ctx_free(struct digest_ctx *ctx);

static inline void cleanup_digest_ctxp(struct digest_ctx **c)
{
	digest_ctx_free(*c);
}
#define cleanup_digest_ctx __attribute__((cleanup(cleanup_digest_ctxp)))

/* One-shot helpers. */
char *digest_sha256(const void *data, size_t len);	/* "sha256:<hex>" */
char *digest_sha256_hex(const void *data, size_t len);	/* "<hex>" */
/* Digest of data with the algorithm of `like` (a valid digest). */
char *digest_data_like(const char *like, const void *data, size_t len);
/* sha256 of a file's contents. */
int digest_file(const char *path, char **out, robbe_error **err);

/* Lowercase hex of n bytes. */
char *hex_encode(const unsigned char *data, size_t n);

#endif
