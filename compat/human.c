/* human.c: sizes and durations the way Docker prints them (docker/go-units).
 *
 *   sizes:     SI units, "%.3g" of the scaled value: 999B, 1kB, 7.8MB, 187MB,
 *              1.23GB; and 999999 bytes really prints "1e+03kB", as Docker's.
 *   binary:    1024-based, "%.4g": 1.5MiB, 7.773GiB (docker stats).
 *   durations: "Less than a second", "1 second", "N seconds", "About a
 *              minute", "N minutes", "About an hour", "N hours" (< 48 h),
 *              "N days" (< 2 weeks), "N weeks" (< 2 months of 30 days),
 *              "N months" (< 2 years), "N years".
 */
#include "config.h"

#include "compat/format.h"

static const char *const si_units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };
static const char *const bin_units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB" };

static char *scaled(double size, double base, const char *const *units, size_t nunits, int digits)
{
	size_t i = 0;

	while (size >= base && i < nunits - 1) {
		size /= base;
		i++;
	}
	/* C's %g and Go's agree once the precision is given. */
	return xasprintf("%.*g%s", digits, size, units[i]);
}

char *human_size_prec(double bytes, int digits)
{
	return scaled(bytes, 1000.0, si_units, ARRAY_SIZE(si_units), digits);
}

char *human_size(double bytes)
{
	return human_size_prec(bytes, 3);
}

char *human_size_binary(double bytes)
{
	return scaled(bytes, 1024.0, bin_units, ARRAY_SIZE(bin_units), 4);
}

char *human_duration(int64_t seconds)
{
	int64_t minutes, hours;

	if (seconds < 1)
		return xstrdup("Less than a second");
	if (seconds == 1)
		return xstrdup("1 second");
	if (seconds < 60)
		return xasprintf("%lld seconds", (long long) seconds);
	minutes = seconds / 60;
	if (minutes == 1)
		return xstrdup("About a minute");
	if (minutes < 60)
		return xasprintf("%lld minutes", (long long) minutes);
	/* hours round to the nearest, as go-units does (d.Hours() + 0.5) */
	hours = (int64_t) ((double) seconds / 3600.0 + 0.5);
	if (hours == 1)
		return xstrdup("About an hour");
	if (hours < 48)
		return xasprintf("%lld hours", (long long) hours);
	if (hours < 24 * 7 * 2)
		return xasprintf("%lld days", (long long) (hours / 24));
	if (hours < 24 * 30 * 2)
		return xasprintf("%lld weeks", (long long) (hours / 24 / 7));
	if (hours < 24 * 365 * 2)
		return xasprintf("%lld months", (long long) (hours / 24 / 30));
	/* years use the hours truncated, not rounded */
	return xasprintf("%lld years", (long long) (seconds / 3600 / 24 / 365));
}
