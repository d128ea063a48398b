/* units.h: the small value syntaxes of resource flags (sizes, ulimits), with
 * Docker's rules and error words, for compat/ and the engine alike. */
#ifndef ROBBE_UNITS_H
#define ROBBE_UNITS_H

#include <stdint.h>

#include "util.h"

/* "64m", "1.5g", "512k", "1024", "10 MiB": binary multiples (k = 1024) as
 * Docker's --memory and --shm-size take them.  Errors: "invalid size: '...'",
 * "invalid suffix: '...'". */
int units_ram_in_bytes(const char *s, int64_t *out, robbe_error **err);

/* --ulimit "name=soft[:hard]" (hard defaults to soft; -1 is unlimited). */
struct units_ulimit {
	char *name;
	int64_t soft, hard;
};
int units_parse_ulimit(const char *s, struct units_ulimit *out, robbe_error **err);

/* The RLIMIT_* number of a --ulimit name ("nofile"), or -1 if Docker does not
 * accept the name. */
int units_ulimit_resource(const char *name);

#endif
