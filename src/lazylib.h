/* lazylib.h: libraries robbe loads only when a command uses them.
 *
 * libcurl, libarchive and libcrypto bring some forty shared objects with
 * them; mapping and relocating those costs tens of milliseconds at every
 * start, which `ps`, `inspect` and `run` of a local image never need.  So
 * robbe does not link them: a file that uses one includes src/lazy-<lib>.h
 * instead of the library's header.  That header includes the real one and
 * turns every function robbe calls into a call through a table which the
 * first call fills with dlopen() and dlsym().  Types, constants and the
 * calls in the code stay exactly as the library documents them.
 *
 * The sonames are the ones configure found for the libraries robbe was
 * built against (ROBBE_SONAME_CURL, ..., in config.h).
 */
#ifndef ROBBE_LAZYLIB_H
#define ROBBE_LAZYLIB_H

#include <stddef.h>

/* Open soname and resolve names[i] into slots[i] for i < n.  On the first
 * failure the command ends with status 125 and a message naming the
 * library and what is missing, as a failed dynamic link would. */
void lazylib_load(const char *soname, const char *const *names, void **slots, size_t n);

/* True when the library has been loaded in this process (for tests). */
enum lazylib_id { LAZYLIB_CURL, LAZYLIB_ARCHIVE, LAZYLIB_CRYPTO };
int lazylib_loaded(enum lazylib_id id);

#endif
