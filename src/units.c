/* units.c: byte sizes and --ulimit values, with Docker's rules. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "units.h"

int units_ram_in_bytes(const char *s, int64_t *out, robbe_error **err)
{
	const char *sep = NULL;

	/* The number ends at the last digit, dot or space; the rest is the
	 * suffix, and one space between them is allowed. */
	for (const char *p = s; *p; p++)
		if ((*p >= '0' && *p <= '9') || *p == '.' || *p == ' ')
			sep = p;
	if (!sep)
		return robbe_error_set(err, EXIT_ENGINE, "invalid size: '%s'", s);

	cleanup_free char *num = xstrndup(s, (size_t) (sep - s) + (*sep == ' ' ? 0 : 1));
	cleanup_free char *sfx = xstrdup(sep + 1);
	char *end;
	errno = 0;
	double size = strtod(num, &end);
	if (!*num || *end || errno || isnan(size) || isinf(size))
		return robbe_error_set(err, EXIT_ENGINE, "invalid size: '%s'", s);
	if (size < 0)
		return robbe_error_set(err, EXIT_ENGINE, "invalid size: '%s'", s);

	size_t n = strlen(sfx);
	for (size_t i = 0; i < n; i++)
		sfx[i] = (char) (sfx[i] >= 'A' && sfx[i] <= 'Z' ? sfx[i] - 'A' + 'a' : sfx[i]);
	if (n > 0) {
		static const char units[] = "kmgtp";
		const char *u = strchr(units, sfx[0]);
		bool ok;

		if (n > 3)
			ok = false;
		else if (sfx[0] == 'b')
			ok = n == 1;
		else if (!u || !sfx[0])
			ok = false;
		else
			ok = n == 1 || (n == 2 && sfx[1] == 'b') || (n == 3 && strcmp(sfx + 1, "ib") == 0);
		if (!ok)
			return robbe_error_set(err, EXIT_ENGINE, "invalid suffix: '%s'", sfx);
		if (sfx[0] != 'b')
			for (const char *p = units; p <= u; p++)
				size *= 1024;
	}
	if (size >= 9223372036854775808.0)
		return robbe_error_set(err, EXIT_ENGINE, "invalid size: '%s'", s);
	*out = (int64_t) size;
	return 0;
}

static const struct {
	const char *name;
	int resource;
} ulimit_names[] = {
	/* "as" is left out, as Docker does. */
	{ "core", RLIMIT_CORE },
	{ "cpu", RLIMIT_CPU },
	{ "data", RLIMIT_DATA },
	{ "fsize", RLIMIT_FSIZE },
	{ "locks", RLIMIT_LOCKS },
	{ "memlock", RLIMIT_MEMLOCK },
	{ "msgqueue", RLIMIT_MSGQUEUE },
	{ "nice", RLIMIT_NICE },
	{ "nofile", RLIMIT_NOFILE },
	{ "nproc", RLIMIT_NPROC },
	{ "rss", RLIMIT_RSS },
	{ "rtprio", RLIMIT_RTPRIO },
	{ "rttime", RLIMIT_RTTIME },
	{ "sigpending", RLIMIT_SIGPENDING },
	{ "stack", RLIMIT_STACK },
};

int units_ulimit_resource(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(ulimit_names); i++)
		if (strcmp(ulimit_names[i].name, name) == 0)
			return ulimit_names[i].resource;
	return -1;
}

/* Go's strconv.ParseInt(s, 10, 64), with its error words. */
static int parse_int64(const char *s, int64_t *out, robbe_error **err)
{
	char *end;
	const char *p = s;

	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return robbe_error_set(err, EXIT_ENGINE, "strconv.ParseInt: parsing \"%s\": invalid syntax", s);
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end)
		return robbe_error_set(err, EXIT_ENGINE, "strconv.ParseInt: parsing \"%s\": invalid syntax", s);
	if (errno == ERANGE)
		return robbe_error_set(err, EXIT_ENGINE, "strconv.ParseInt: parsing \"%s\": value out of range", s);
	*out = v;
	return 0;
}

int units_parse_ulimit(const char *s, struct units_ulimit *out, robbe_error **err)
{
	const char *eq = strchr(s, '=');
	int64_t soft, hard;

	if (!eq)
		return robbe_error_set(err, EXIT_ENGINE, "invalid ulimit argument: %s", s);
	cleanup_free char *name = xstrndup(s, (size_t) (eq - s));
	if (units_ulimit_resource(name) < 0)
		return robbe_error_set(err, EXIT_ENGINE, "invalid ulimit type: %s", name);

	const char *vals = eq + 1;
	const char *colon = strchr(vals, ':');
	if (colon && strchr(colon + 1, ':'))
		return robbe_error_set(err, EXIT_ENGINE,
				       "too many limit value arguments - %s, can only have up to two, `soft[:hard]`",
				       vals);
	if (colon) {
		cleanup_free char *first = xstrndup(vals, (size_t) (colon - vals));
		if (parse_int64(colon + 1, &hard, err) < 0 || parse_int64(first, &soft, err) < 0)
			return -1;
	} else {
		if (parse_int64(vals, &soft, err) < 0)
			return -1;
		hard = soft;
	}
	if (hard != -1) {
		if (soft == -1)
			return robbe_error_set(err, EXIT_ENGINE,
					       "ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: %lld",
					       (long long) hard);
		if (soft > hard)
			return robbe_error_set(err, EXIT_ENGINE,
					       "ulimit soft limit must be less than or equal to hard limit: %lld > %lld",
					       (long long) soft, (long long) hard);
	}
	out->name = steal_pointer(&name);
	out->soft = soft;
	out->hard = hard;
	return 0;
}
