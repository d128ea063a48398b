/* lazylib.c: loading libcurl, libarchive and libcrypto on first use (see
 * lazylib.h). */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lazy-archive.h"
#include "lazy-crypto.h"
#include "lazy-curl.h"
#include "util.h"

static int loaded[3];

int lazylib_loaded(enum lazylib_id id)
{
	return __atomic_load_n(&loaded[id], __ATOMIC_ACQUIRE);
}

void lazylib_load(const char *soname, const char *const *names, void **slots, size_t n)
{
	/* Never unloaded: RTLD_NODELETE keeps a stray dlclose harmless. */
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);

	if (!h) {
		fprintf(stderr, "robbe: error while loading shared libraries: %s\n", dlerror());
		fflush(NULL);
		_exit(EXIT_ENGINE);
	}
	for (size_t i = 0; i < n; i++) {
		dlerror();
		slots[i] = dlsym(h, names[i]);
		if (!slots[i]) {
			const char *why = dlerror();
			fprintf(stderr, "robbe: symbol lookup error: %s: undefined symbol: %s%s%s\n", soname, names[i],
				why ? ": " : "", why ? why : "");
			fflush(NULL);
			_exit(EXIT_ENGINE);
		}
	}
}

/* One table per library, filled once even when threads race for it. */
#define LAZY_TABLE(lib, LIB, soname)                                                              \
	static struct lazy_##lib lib##_table;                                                     \
	static pthread_once_t lib##_once = PTHREAD_ONCE_INIT;                                     \
	static void lib##_fill(void)                                                              \
	{                                                                                         \
		static const char *const names[] = { LAZY_##LIB##_NAMES };                        \
		void *slots[ARRAY_SIZE(names)];                                                   \
		_Static_assert(sizeof(lib##_table) == sizeof(slots), "lazy-" #lib ".h is stale"); \
		lazylib_load(soname, names, slots, ARRAY_SIZE(names));                           \
		memcpy(&lib##_table, slots, sizeof(slots));                                       \
		__atomic_store_n(&loaded[LAZYLIB_##LIB], 1, __ATOMIC_RELEASE);                    \
	}                                                                                         \
	const struct lazy_##lib *lazy_##lib(void)                                                 \
	{                                                                                         \
		pthread_once(&lib##_once, lib##_fill);                                            \
		return &lib##_table;                                                              \
	}

LAZY_TABLE(curl, CURL, ROBBE_SONAME_CURL)
LAZY_TABLE(archive, ARCHIVE, ROBBE_SONAME_ARCHIVE)
LAZY_TABLE(crypto, CRYPTO, ROBBE_SONAME_CRYPTO)
