/* test-lazylib.c: libcurl, libarchive and libcrypto are loaded on first
 * use, and every function robbe calls resolves. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "src/lazy-archive.h"
#include "src/lazy-crypto.h"
#include "src/lazy-curl.h"
#include "tap.h"

/* Every slot of a table is filled. */
static int all_set(const void *table, size_t size)
{
	void *slots[64];
	size_t n = size / sizeof(void *);

	if (n > 64)
		return 0;
	memcpy(slots, table, size);
	for (size_t i = 0; i < n; i++)
		if (!slots[i])
			return 0;
	return 1;
}

int main(void)
{
	ok(!lazylib_loaded(LAZYLIB_CURL), "libcurl is not loaded at start");
	ok(!lazylib_loaded(LAZYLIB_ARCHIVE), "libarchive is not loaded at start");
	ok(!lazylib_loaded(LAZYLIB_CRYPTO), "libcrypto is not loaded at start");

	{
		unsigned char out[8] = { 0 };
		int n = EVP_EncodeBlock(out, (const unsigned char *) "hi", 2);
		ok(n == 4 && !memcmp(out, "aGk=", 4), "EVP_EncodeBlock through the table");
	}
	ok(lazylib_loaded(LAZYLIB_CRYPTO), "libcrypto loaded by its first call");
	ok(!lazylib_loaded(LAZYLIB_CURL), "libcurl still not loaded");
	ok(all_set(lazy_crypto(), sizeof(struct lazy_crypto)), "every libcrypto function resolved");

	{
		CURL *c = curl_easy_init();
		ok(c != NULL, "curl_easy_init through the table");
		ok(curl_easy_setopt(c, CURLOPT_URL, "http://127.0.0.1:1/") == CURLE_OK, "variadic curl_easy_setopt");
		curl_easy_cleanup(c);
	}
	ok(all_set(lazy_curl(), sizeof(struct lazy_curl)), "every libcurl function resolved");

	{
		struct archive *a = archive_read_new();
		ok(a != NULL, "archive_read_new through the table");
		archive_read_free(a);
	}
	ok(all_set(lazy_archive(), sizeof(struct lazy_archive)), "every libarchive function resolved");
	return tap_done();
}
