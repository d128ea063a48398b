/* opts.c: the option parser, option help, and the value syntaxes behind them. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "compat/opts.h"

#define OPTS_USAGE_STATUS EXIT_ENGINE

static char *const empty_strv[] = { NULL };

/* ---- small helpers --------------------------------------------------- */

void opts_quote(struct sbuf *out, const char *s)
{
	sbuf_addc(out, '"');
	for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
		switch (*p) {
		case '"': sbuf_adds(out, "\\\""); break;
		case '\\': sbuf_adds(out, "\\\\"); break;
		case '\n': sbuf_adds(out, "\\n"); break;
		case '\t': sbuf_adds(out, "\\t"); break;
		case '\r': sbuf_adds(out, "\\r"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				sbuf_addf(out, "\\x%02x", *p);
			else
				sbuf_addc(out, (char) *p);
		}
	}
	sbuf_addc(out, '"');
}

static char *quoted(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	opts_quote(&sb, s);
	return sbuf_detach(&sb);
}

/* Go's %q of one byte: 'c'. */
static void quote_char(struct sbuf *out, unsigned char c)
{
	if (c == '\'' || c == '\\')
		sbuf_addf(out, "'\\%c'", c);
	else if (c < 0x20 || c >= 0x7f)
		sbuf_addf(out, "'\\x%02x'", c);
	else
		sbuf_addf(out, "'%c'", c);
}

static int syntax_error(robbe_error **err, const char *fn, const char *s)
{
	cleanup_free char *q = quoted(s);
	return robbe_error_set(err, OPTS_USAGE_STATUS, "strconv.%s: parsing %s: invalid syntax", fn, q);
}

static int range_error(robbe_error **err, const char *fn, const char *s)
{
	cleanup_free char *q = quoted(s);
	return robbe_error_set(err, OPTS_USAGE_STATUS, "strconv.%s: parsing %s: value out of range", fn, q);
}

/* ---- numbers with Go's strconv rules ---------------------------------- */

int opts_parse_bool(const char *s, bool *out, robbe_error **err)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return syntax_error(err, "ParseBool", s);
}

static int lower(int c)
{
	return c | 0x20;
}

/* Go allows '_' between digits (and right after a base prefix) only when
 * the base comes from the prefix. */
static bool underscores_ok(const char *s)
{
	char saw = '^';
	size_t i = 0;
	bool hex = false;
	if (*s == '+' || *s == '-')
		s++;
	if (s[0] == '0' && s[1] && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s[1]) == 'x';
	}
	for (; s[i]; i++) {
		char c = s[i];
		if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
			saw = '0';
			continue;
		}
		if (c == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

/* ParseUint(s, 0, bits) without the error wording: 0 ok, -1 syntax, -2 range. */
static int go_parse_uint(const char *s, int bits, uint64_t *out)
{
	const char *orig = s;
	unsigned base = 10;
	bool underscores = false;
	uint64_t max = bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
	uint64_t n = 0;

	*out = 0;
	if (*s == '\0')
		return -1;
	if (s[0] == '0') {
		size_t len = strlen(s);
		if (len >= 3 && lower(s[1]) == 'b') {
			base = 2;
			s += 2;
		} else if (len >= 3 && lower(s[1]) == 'o') {
			base = 8;
			s += 2;
		} else if (len >= 3 && lower(s[1]) == 'x') {
			base = 16;
			s += 2;
		} else {
			base = 8;
			s += 1;
		}
	}
	for (; *s; s++) {
		unsigned d;
		char c = *s;
		if (c == '_') {
			underscores = true;
			continue;
		}
		if (c >= '0' && c <= '9')
			d = (unsigned) (c - '0');
		else if (lower(c) >= 'a' && lower(c) <= 'z')
			d = (unsigned) (lower(c) - 'a' + 10);
		else
			return -1;
		if (d >= base)
			return -1;
		if (n > (max - d) / base) {
			*out = max;
			return -2;
		}
		n = n * base + d;
	}
	if (underscores && !underscores_ok(orig))
		return -1;
	*out = n;
	return 0;
}

int opts_parse_uint(const char *s, int bits, uint64_t *out, robbe_error **err)
{
	int r = go_parse_uint(s, bits, out);
	if (r == -1)
		return syntax_error(err, "ParseUint", s);
	if (r == -2)
		return range_error(err, "ParseUint", s);
	return 0;
}

int opts_parse_int(const char *s, int bits, int64_t *out, robbe_error **err)
{
	const char *p = s;
	bool neg = false;
	uint64_t u, cutoff = UINT64_C(1) << (bits - 1);
	int r;

	*out = 0;
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	if (*s == '\0')
		return syntax_error(err, "ParseInt", s);
	r = go_parse_uint(p, 64, &u);
	if (r == -1 || (r == 0 && *p == '\0'))
		return syntax_error(err, "ParseInt", s);
	if (r == -2 || (!neg && u >= cutoff) || (neg && u > cutoff))
		return range_error(err, "ParseInt", s);
	*out = neg ? (int64_t) (0 - u) : (int64_t) u;
	return 0;
}

/* Go's decimal float syntax (no hex floats, no underscores). */
static bool float_syntax_ok(const char *s)
{
	const char *p = s;
	bool digits = false;
	if (*p == '+' || *p == '-')
		p++;
	if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0 || strcasecmp(p, "nan") == 0)
		return true;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

int opts_parse_float(const char *s, double *out, robbe_error **err)
{
	char *end;
	if (!float_syntax_ok(s))
		return syntax_error(err, "ParseFloat", s);
	errno = 0;
	*out = strtod(s, &end);
	if (errno == ERANGE && isinf(*out))
		return range_error(err, "ParseFloat", s);
	return 0;
}

/* ---- sizes: go-units RAMInBytes --------------------------------------- */

int opts_parse_bytes(const char *s, int64_t *out, robbe_error **err)
{
	size_t len = strlen(s);
	ssize_t sep = -1;
	cleanup_free char *num = NULL;
	cleanup_free char *sfx = NULL;
	double size;

	*out = -1;
	for (size_t i = 0; i < len; i++)
		if ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == ' ')
			sep = (ssize_t) i;
	if (sep < 0)
		return robbe_error_set(err, OPTS_USAGE_STATUS, "invalid size: '%s'", s);
	if (s[sep] == ' ')
		num = xstrndup(s, (size_t) sep);
	else
		num = xstrndup(s, (size_t) sep + 1);
	sfx = xstrdup(s + sep + 1);
	if (opts_parse_float(num, &size, err) < 0)
		return -1;
	if (size < 0 || isnan(size))
		return robbe_error_set(err, OPTS_USAGE_STATUS, "invalid size: '%s'", s);

	if (*sfx) {
		static const char units[] = "kmgtp";
		const char *u;
		size_t n = strlen(sfx);
		if (n > 3)
			return robbe_error_set(err, OPTS_USAGE_STATUS, "invalid suffix: '%s'", sfx);
		for (char *c = sfx; *c; c++)
			*c = (char) lower((unsigned char) *c);
		if (sfx[0] == 'b') {
			if (n > 1)
				return robbe_error_set(err, OPTS_USAGE_STATUS, "invalid suffix: '%s'", sfx);
		} else {
			u = strchr(units, sfx[0]);
			if (!u || sfx[0] == '\0')
				return robbe_error_set(err, OPTS_USAGE_STATUS, "invalid suffix: '%s'", sfx);
			if ((n == 2 && sfx[1] != 'b') || (n == 3 && strcmp(sfx + 1, "ib") != 0))
				return robbe_error_set(err, OPTS_USAGE_STATUS, "invalid suffix: '%s'", sfx);
			/* RAMInBytes is binary whatever the spelling: k = KiB. */
			size = ldexp(size, 10 * (int) (u - units + 1));
		}
	}
	/* Go's float-to-int conversion is unspecified past int64; saturate. */
	if (size >= 9223372036854775807.0)
		*out = INT64_MAX;
	else
		*out = (int64_t) size;
	return 0;
}

/* ---- durations: Go's time.ParseDuration -------------------------------- */

static int duration_invalid(robbe_error **err, const char *orig)
{
	cleanup_free char *q = quoted(orig);
	return robbe_error_set(err, OPTS_USAGE_STATUS, "time: invalid duration %s", q);
}

int opts_parse_duration(const char *orig, int64_t *ns, robbe_error **err)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "\xc2\xb5s", 1000 }, { "\xce\xbcs", 1000 },
		{ "ms", 1000000 }, { "s", 1000000000 }, { "m", UINT64_C(60000000000) },
		{ "h", UINT64_C(3600000000000) },
	};
	const uint64_t limit = UINT64_C(1) << 63;
	const char *s = orig;
	uint64_t d = 0;
	bool neg = false;

	*ns = 0;
	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (strcmp(s, "0") == 0)
		return 0;
	if (*s == '\0')
		return duration_invalid(err, orig);
	while (*s) {
		uint64_t v = 0, f = 0, unit = 0;
		double scale = 1;
		bool pre = false, post = false, overflow = false;
		size_t ulen = 0;

		if (!(*s == '.' || (*s >= '0' && *s <= '9')))
			return duration_invalid(err, orig);
		while (*s >= '0' && *s <= '9') {
			if (v > limit / 10)
				return duration_invalid(err, orig);
			v = v * 10 + (uint64_t) (*s - '0');
			if (v > limit)
				return duration_invalid(err, orig);
			s++;
			pre = true;
		}
		if (*s == '.') {
			s++;
			while (*s >= '0' && *s <= '9') {
				post = true;
				if (!overflow) {
					if (f > (limit - 1) / 10) {
						overflow = true;
					} else {
						uint64_t y = f * 10 + (uint64_t) (*s - '0');
						if (y > limit)
							overflow = true;
						else {
							f = y;
							scale *= 10;
						}
					}
				}
				s++;
			}
		}
		if (!pre && !post)
			return duration_invalid(err, orig);
		while (s[ulen] && s[ulen] != '.' && !(s[ulen] >= '0' && s[ulen] <= '9'))
			ulen++;
		if (ulen == 0) {
			cleanup_free char *q = quoted(orig);
			return robbe_error_set(err, OPTS_USAGE_STATUS, "time: missing unit in duration %s", q);
		}
		for (size_t i = 0; i < ARRAY_SIZE(units); i++)
			if (strlen(units[i].name) == ulen && strncmp(units[i].name, s, ulen) == 0)
				unit = units[i].ns;
		if (unit == 0) {
			cleanup_free char *u = xstrndup(s, ulen);
			cleanup_free char *qu = quoted(u);
			cleanup_free char *q = quoted(orig);
			return robbe_error_set(err, OPTS_USAGE_STATUS, "time: unknown unit %s in duration %s", qu, q);
		}
		s += ulen;
		if (v > limit / unit)
			return duration_invalid(err, orig);
		v *= unit;
		if (f > 0) {
			v += (uint64_t) ((double) f * ((double) unit / scale));
			if (v > limit)
				return duration_invalid(err, orig);
		}
		d += v;
		if (d > limit)
			return duration_invalid(err, orig);
	}
	if (neg) {
		*ns = d == limit ? INT64_MIN : -(int64_t) d;
		return 0;
	}
	if (d > limit - 1)
		return duration_invalid(err, orig);
	*ns = (int64_t) d;
	return 0;
}

/* "v/10^prec" with the fraction trimmed of zeros: 1500, 3 -> "1.5". */
static void add_frac(struct sbuf *out, uint64_t v, int prec)
{
	uint64_t p10 = 1;
	char frac[24];
	int n;
	for (int i = 0; i < prec; i++)
		p10 *= 10;
	sbuf_addf(out, "%" PRIu64, v / p10);
	if (prec == 0 || v % p10 == 0)
		return;
	n = snprintf(frac, sizeof(frac), "%0*" PRIu64, prec, v % p10);
	while (n > 0 && frac[n - 1] == '0')
		frac[--n] = '\0';
	sbuf_addf(out, ".%s", frac);
}

char *opts_format_duration(int64_t ns)
{
	struct sbuf sb = SBUF_INIT;
	uint64_t u = ns < 0 ? (uint64_t) 0 - (uint64_t) ns : (uint64_t) ns;

	if (ns < 0)
		sbuf_addc(&sb, '-');
	if (u == 0) {
		sbuf_adds(&sb, "0s");
	} else if (u < 1000) {
		sbuf_addf(&sb, "%" PRIu64 "ns", u);
	} else if (u < 1000000) {
		add_frac(&sb, u, 3);
		sbuf_adds(&sb, "\xc2\xb5s");
	} else if (u < 1000000000) {
		add_frac(&sb, u, 6);
		sbuf_adds(&sb, "ms");
	} else {
		uint64_t secs = u / 1000000000, h = secs / 3600, m = secs / 60 % 60;
		if (h)
			sbuf_addf(&sb, "%" PRIu64 "h", h);
		if (h || m)
			sbuf_addf(&sb, "%" PRIu64 "m", m);
		add_frac(&sb, (secs % 60) * 1000000000 + u % 1000000000, 9);
		sbuf_addc(&sb, 's');
	}
	return sbuf_detach(&sb);
}

/* ---- decimals: big.Rat.SetString, then * 1e9 ---------------------------- */

static int rational_error(robbe_error **err, const char *s)
{
	return robbe_error_set(err, OPTS_USAGE_STATUS, "failed to parse %s as a rational number", s);
}

/* Multiply by 10^e (e may be negative: then it must divide exactly). */
static int scale10(unsigned __int128 *v, int e, bool *inexact, bool *big)
{
	for (; e > 0; e--) {
		if (*v > (((unsigned __int128) 1) << 100)) {
			*big = true;
			return -1;
		}
		*v *= 10;
	}
	for (; e < 0; e++) {
		if (*v % 10) {
			*inexact = true;
			return -1;
		}
		*v /= 10;
	}
	return 0;
}

int opts_parse_decimal(const char *s, int64_t *nano, robbe_error **err)
{
	const char *p = s, *slash = strchr(s, '/');
	bool neg = false, inexact = false, big = false, digits = false;
	unsigned __int128 v = 0;
	int exp = 9;

	*nano = 0;
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	if (slash) {
		uint64_t num, den;
		cleanup_free char *a = xstrndup(p, (size_t) (slash - p));
		if (*a == '\0' || *a == '+' || *a == '-' || go_parse_uint(a, 64, &num) < 0 ||
		    go_parse_uint(slash + 1, 64, &den) < 0 || slash[1] == '+' || slash[1] == '-' || den == 0)
			return rational_error(err, s);
		v = (unsigned __int128) num * 1000000000u;
		if (v % den)
			return robbe_error_set(err, OPTS_USAGE_STATUS, "value is too precise");
		v /= den;
	} else {
		/* Leading zeros and trailing fraction zeros do not count. */
		int frac = 0;
		bool in_frac = false;
		for (; *p; p++) {
			if (*p >= '0' && *p <= '9') {
				digits = true;
				if (v > (((unsigned __int128) 1) << 100)) {
					/* Too many digits to carry: an exact zero tail is fine. */
					if (!in_frac)
						exp++;
					else if (*p != '0')
						inexact = true;
					continue;
				}
				v = v * 10 + (unsigned) (*p - '0');
				if (in_frac)
					frac++;
			} else if (*p == '.' && !in_frac) {
				in_frac = true;
			} else {
				break;
			}
		}
		if (!digits)
			return rational_error(err, s);
		if (*p == 'e' || *p == 'E') {
			const char *q = p + 1;
			bool eneg = false;
			int e = 0;
			if (*q == '+' || *q == '-') {
				eneg = *q == '-';
				q++;
			}
			if (!(*q >= '0' && *q <= '9'))
				return rational_error(err, s);
			for (; *q >= '0' && *q <= '9'; q++)
				if (e < 100000)
					e = e * 10 + (*q - '0');
			exp += eneg ? -e : e;
			p = q;
		}
		if (*p)
			return rational_error(err, s);
		if (inexact)
			return robbe_error_set(err, OPTS_USAGE_STATUS, "value is too precise");
		if (!big && v != 0)
			scale10(&v, exp - frac, &inexact, &big);
		if (inexact)
			return robbe_error_set(err, OPTS_USAGE_STATUS, "value is too precise");
	}
	if (big || v > (unsigned __int128) INT64_MAX)
		return robbe_error_set(err, OPTS_USAGE_STATUS, "value out of range");
	*nano = neg ? -(int64_t) v : (int64_t) v;
	return 0;
}

/* ---- validators ---------------------------------------------------------- */

int opts_validate_filter(const char *v, robbe_error **err)
{
	if (!strchr(v, '='))
		return robbe_error_set(err, OPTS_USAGE_STATUS, "bad format of filter (expected name=value)");
	return 0;
}

int opts_validate_env(const char *v, robbe_error **err)
{
	if (*v == '\0' || *v == '=')
		return robbe_error_set(err, OPTS_USAGE_STATUS, "invalid environment variable: %s", v);
	return 0;
}

int opts_validate_label(const char *v, robbe_error **err)
{
	const char *eq = strchr(v, '=');
	size_t klen = eq ? (size_t) (eq - v) : strlen(v);
	size_t b = 0, e = klen;
	while (b < e && strchr(" \t\n\v\f\r", v[b]))
		b++;
	while (e > b && strchr(" \t\n\v\f\r", v[e - 1]))
		e--;
	if (b == e)
		return robbe_error_set(err, OPTS_USAGE_STATUS, "invalid label '%s': empty name", v);
	for (size_t i = b; i < e; i++)
		if (strchr(" \t\n\v\f\r", v[i]))
			return robbe_error_set(err, OPTS_USAGE_STATUS, "label '%s' contains whitespaces", v);
	return 0;
}

static bool is_ip(const char *v)
{
	unsigned char buf[16];
	return inet_pton(AF_INET, v, buf) == 1 || inet_pton(AF_INET6, v, buf) == 1;
}

int opts_validate_ip(const char *v, robbe_error **err)
{
	/* Docker trims spaces before parsing. */
	cleanup_free char *t = xstrdup(v);
	char *b = t, *e;
	while (*b == ' ')
		b++;
	e = b + strlen(b);
	while (e > b && e[-1] == ' ')
		*--e = '\0';
	if (!is_ip(b))
		return robbe_error_set(err, OPTS_USAGE_STATUS, "IP address is not correctly formatted: %s", v);
	return 0;
}

int opts_validate_extra_host(const char *v, robbe_error **err)
{
	/* host=ip or host:ip; the ip may be "host-gateway" or [v6]. */
	const char *sep = strchr(v, '=');
	cleanup_free char *ip = NULL;
	if (!sep)
		sep = strchr(v, ':');
	if (!sep || sep == v) {
		cleanup_free char *q = quoted(v);
		return robbe_error_set(err, OPTS_USAGE_STATUS, "bad format for add-host: %s", q);
	}
	ip = xstrdup(sep + 1);
	if (ip[0] == '[' && ip[strlen(ip) - 1] == ']') {
		memmove(ip, ip + 1, strlen(ip));
		ip[strlen(ip) - 1] = '\0';
	}
	if (strcmp(ip, "host-gateway") != 0 && !is_ip(ip)) {
		cleanup_free char *q = quoted(ip);
		return robbe_error_set(err, OPTS_USAGE_STATUS, "invalid IP address in add-host: %s", q);
	}
	return 0;
}

int opts_validate_sysctl(const char *v, robbe_error **err)
{
	/* The namespaced sysctls a container may set (Docker's list). */
	static const char *const exact[] = {
		"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
		"kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
	};
	static const char *const prefixes[] = { "fs.mqueue.", "net." };
	const char *eq = strchr(v, '=');
	cleanup_free char *key = eq ? xstrndup(v, (size_t) (eq - v)) : NULL;
	if (key) {
		for (size_t i = 0; i < ARRAY_SIZE(exact); i++)
			if (strcmp(key, exact[i]) == 0)
				return 0;
		for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
			if (str_has_prefix(key, prefixes[i]))
				return 0;
	}
	return robbe_error_set(err, OPTS_USAGE_STATUS, "sysctl '%s' is not allowed", v);
}

int opts_validate_attach(const char *v, robbe_error **err)
{
	if (strcasecmp(v, "stdin") == 0 || strcasecmp(v, "stdout") == 0 || strcasecmp(v, "stderr") == 0)
		return 0;
	return robbe_error_set(err, OPTS_USAGE_STATUS, "valid streams are STDIN, STDOUT and STDERR");
}

/* ---- tables -------------------------------------------------------------- */

static bool def_end(const struct opt_def *d)
{
	return d->long_name == NULL;
}

const struct opt_def *opts_find_long(const struct opt_def *const *tables, const char *name, size_t len)
{
	for (size_t t = 0; tables && tables[t]; t++)
		for (const struct opt_def *d = tables[t]; !def_end(d); d++)
			if (strlen(d->long_name) == len && strncmp(d->long_name, name, len) == 0)
				return d;
	return NULL;
}

const struct opt_def *opts_find_short(const struct opt_def *const *tables, char c)
{
	for (size_t t = 0; tables && tables[t]; t++)
		for (const struct opt_def *d = tables[t]; !def_end(d); d++)
			if (d->short_name == c && c)
				return d;
	return NULL;
}

const char *opts_metavar(const struct opt_def *d)
{
	static const char *const words[] = {
		[OPT_BOOL] = "", [OPT_STRING] = "string", [OPT_INT] = "int", [OPT_UINT] = "uint",
		[OPT_FLOAT] = "float", [OPT_DECIMAL] = "decimal", [OPT_BYTES] = "bytes",
		[OPT_DURATION] = "duration", [OPT_LIST] = "list", [OPT_STRINGS] = "strings",
		[OPT_MAP] = "map",
	};
	if (d->metavar)
		return d->metavar;
	return words[d->type];
}

bool opts_takes_value(const struct opt_def *d)
{
	return d->type != OPT_BOOL;
}

static bool def_visible(const struct opt_def *d)
{
	return !(d->flags & OPT_HIDDEN) && !d->deprecated && !d->alias_of;
}

bool opts_has_visible(const struct opt_def *const *tables)
{
	for (size_t t = 0; tables && tables[t]; t++)
		for (const struct opt_def *d = tables[t]; !def_end(d); d++)
			if (def_visible(d))
				return true;
	return false;
}

static int uint_bits(const struct opt_def *d)
{
	const char *m = d->metavar ? d->metavar : "";
	if (strcmp(m, "uint8") == 0)
		return 8;
	if (strcmp(m, "uint16") == 0)
		return 16;
	if (strcmp(m, "uint32") == 0)
		return 32;
	return 64;
}

/* ---- parsing ------------------------------------------------------------- */

/* The implicit help flag of OPTS_HELP_FLAG. */
static const struct opt_def help_def = {
	.long_name = "help", .short_name = 'h', .type = OPT_BOOL, .help = "Print usage",
	.flags = OPT_HIDDEN,
};

struct parser {
	struct opts_result *r;
	const struct opt_def *const *tables;
	unsigned flags;
};

static ssize_t def_index(const struct opts_result *r, const struct opt_def *d)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->defs[i] == d)
			return (ssize_t) i;
	return -1;
}

static ssize_t name_index(const struct opts_result *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->defs[i]->long_name, name) == 0)
			return (ssize_t) i;
	return -1;
}

static char *flag_display(const struct opt_def *d)
{
	if (d->short_name)
		return xasprintf("-%c, --%s", d->short_name, d->long_name);
	return xasprintf("--%s", d->long_name);
}

static int invalid_argument(robbe_error **err, const struct opt_def *d, const char *value, robbe_error *why)
{
	cleanup_free char *qv = quoted(value);
	cleanup_free char *disp = flag_display(d);
	cleanup_free char *qd = quoted(disp);
	robbe_error_set(err, OPTS_USAGE_STATUS, "invalid argument %s for %s flag: %s", qv, qd, why->msg);
	robbe_error_free(why);
	return -1;
}

/* Split a comma-separated value as encoding/csv reads one record. */
static int split_csv(const char *s, char ***out, robbe_error **err)
{
	struct sbuf field = SBUF_INIT;
	const char *p = s;
	/* pflag reads "" as no values at all. */
	if (*s == '\0')
		return 0;
	for (;;) {
		sbuf_reset(&field);
		sbuf_adds(&field, "");
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '\0') {
					sbuf_release(&field);
					return robbe_error_set(err, OPTS_USAGE_STATUS,
							       "parse error on line 1, column %zu: extraneous or missing \" in quoted-field",
							       (size_t) (p - s) + 1);
				}
				if (*p == '"' && p[1] == '"') {
					sbuf_addc(&field, '"');
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					sbuf_addc(&field, *p++);
				}
			}
		} else {
			while (*p && *p != ',')
				sbuf_addc(&field, *p++);
		}
		strv_push(out, sbuf_str(&field));
		if (*p == ',') {
			p++;
			continue;
		}
		break;
	}
	sbuf_release(&field);
	return 0;
}

static int set_value(struct parser *ps, const struct opt_def *used, const char *value, robbe_error **err)
{
	struct opts_result *r = ps->r;
	const struct opt_def *d = used;
	struct opt_value *v;
	robbe_error *why = NULL;
	ssize_t idx;

	if (used->alias_of) {
		idx = name_index(r, used->alias_of);
		if (idx < 0) {
			fprintf(stderr, "BUG: option --%s is an alias of unknown --%s\n", used->long_name, used->alias_of);
			abort();
		}
		d = r->defs[idx];
	} else {
		idx = def_index(r, used);
	}
	v = &r->vals[idx];

	if (used->deprecated)
		strv_push_take(&r->notices, xasprintf("Flag --%s has been deprecated, %s", used->long_name, used->deprecated));

	switch (d->type) {
	case OPT_BOOL:
		if (opts_parse_bool(value, &v->b, &why) < 0)
			return invalid_argument(err, used, value, why);
		break;
	case OPT_STRING:
		if (used->validate && used->validate(value, &why) < 0)
			return invalid_argument(err, used, value, why);
		free(v->s);
		v->s = xstrdup(value);
		break;
	case OPT_INT:
		if (opts_parse_int(value, 64, &v->i, &why) < 0)
			return invalid_argument(err, used, value, why);
		break;
	case OPT_UINT:
		if (opts_parse_uint(value, uint_bits(d), &v->u, &why) < 0)
			return invalid_argument(err, used, value, why);
		break;
	case OPT_FLOAT:
		if (opts_parse_float(value, &v->f, &why) < 0)
			return invalid_argument(err, used, value, why);
		break;
	case OPT_DECIMAL:
		if (opts_parse_decimal(value, &v->i, &why) < 0)
			return invalid_argument(err, used, value, why);
		break;
	case OPT_BYTES:
		if ((d->flags & OPT_MINUS_ONE) && strcmp(value, "-1") == 0)
			v->i = -1;
		else if (opts_parse_bytes(value, &v->i, &why) < 0)
			return invalid_argument(err, used, value, why);
		break;
	case OPT_DURATION:
		if (opts_parse_duration(value, &v->i, &why) < 0)
			return invalid_argument(err, used, value, why);
		break;
	case OPT_LIST:
		if (used->validate && used->validate(value, &why) < 0)
			return invalid_argument(err, used, value, why);
		strv_push(&v->list, value);
		break;
	case OPT_STRINGS:
		if (split_csv(value, &v->list, &why) < 0)
			return invalid_argument(err, used, value, why);
		break;
	case OPT_MAP:
		if (d->flags & OPT_CSV) {
			cleanup_strv char **pairs = NULL;
			if (split_csv(value, &pairs, &why) < 0)
				return invalid_argument(err, used, value, why);
			for (size_t i = 0; pairs && pairs[i]; i++) {
				if (!strchr(pairs[i], '=')) {
					robbe_error_set(&why, OPTS_USAGE_STATUS, "%s must be formatted as key=value", pairs[i]);
					return invalid_argument(err, used, value, why);
				}
			}
			for (size_t i = 0; pairs && pairs[i]; i++)
				strv_push(&v->list, pairs[i]);
		} else {
			if (used->validate && used->validate(value, &why) < 0)
				return invalid_argument(err, used, value, why);
			strv_push(&v->list, value);
		}
		break;
	}
	if (d->type != OPT_STRING && d->type != OPT_LIST && d->type != OPT_MAP && used->validate &&
	    used->validate(value, &why) < 0)
		return invalid_argument(err, used, value, why);
	v->changed = true;
	return 0;
}

static int help_value(struct parser *ps, const char *value, robbe_error **err)
{
	robbe_error *why = NULL;
	bool b;
	if (opts_parse_bool(value, &b, &why) < 0)
		return invalid_argument(err, &help_def, value, why);
	ps->r->help = b;
	return 0;
}

static int parse_long(struct parser *ps, const char *arg, char *const **rest, int *nrest, robbe_error **err)
{
	const char *name = arg + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t) (eq - name) : strlen(name);
	const struct opt_def *d;
	const char *value;

	if (*name == '\0' || *name == '-' || *name == '=')
		return robbe_error_set(err, OPTS_USAGE_STATUS, "bad flag syntax: %s", arg);
	d = opts_find_long(ps->tables, name, len);
	if (!d) {
		if ((ps->flags & OPTS_HELP_FLAG) && len == 4 && strncmp(name, "help", 4) == 0)
			return help_value(ps, eq ? eq + 1 : "true", err);
		return robbe_error_set(err, OPTS_USAGE_STATUS, "unknown flag: --%.*s", (int) len, name);
	}
	if (eq) {
		value = eq + 1;
	} else if (!opts_takes_value(d)) {
		value = "true";
	} else if (*nrest > 0) {
		value = (*rest)[0];
		(*rest)++;
		(*nrest)--;
	} else {
		return robbe_error_set(err, OPTS_USAGE_STATUS, "flag needs an argument: %s", arg);
	}
	return set_value(ps, d, value, err);
}

static int parse_short(struct parser *ps, const char *arg, char *const **rest, int *nrest, robbe_error **err)
{
	const char *sh = arg + 1;

	while (*sh) {
		char c = *sh;
		const struct opt_def *d = opts_find_short(ps->tables, c);
		const char *value;
		size_t len = strlen(sh);

		if (!d && c == 'h' && (ps->flags & OPTS_HELP_FLAG)) {
			strv_push(&ps->r->notices, "Flag shorthand -h has been deprecated, use --help");
			if (len > 2 && sh[1] == '=') {
				if (help_value(ps, sh + 2, err) < 0)
					return -1;
				return 0;
			}
			ps->r->help = true;
			sh++;
			continue;
		}
		if (!d) {
			struct sbuf sb = SBUF_INIT;
			sbuf_adds(&sb, "unknown shorthand flag: ");
			quote_char(&sb, (unsigned char) c);
			sbuf_addf(&sb, " in -%s", sh);
			robbe_error_set(err, OPTS_USAGE_STATUS, "%s", sbuf_str(&sb));
			sbuf_release(&sb);
			return -1;
		}
		if (len > 2 && sh[1] == '=') {
			value = sh + 2;
			sh += len;
		} else if (!opts_takes_value(d)) {
			value = "true";
			sh++;
		} else if (len > 1) {
			value = sh + 1;
			sh += len;
		} else if (*nrest > 0) {
			value = (*rest)[0];
			(*rest)++;
			(*nrest)--;
			sh++;
		} else {
			struct sbuf sb = SBUF_INIT;
			sbuf_adds(&sb, "flag needs an argument: ");
			quote_char(&sb, (unsigned char) c);
			sbuf_addf(&sb, " in -%s", sh);
			robbe_error_set(err, OPTS_USAGE_STATUS, "%s", sbuf_str(&sb));
			sbuf_release(&sb);
			return -1;
		}
		if (set_value(ps, d, value, err) < 0)
			return -1;
	}
	return 0;
}

static int set_default(struct opts_result *r, size_t i, robbe_error **err)
{
	const struct opt_def *d = r->defs[i];
	struct opt_value *v = &r->vals[i];
	robbe_error *why = NULL;
	int rc = 0;

	v->list = xcalloc(1, sizeof(char *));
	if (!d->def || d->alias_of)
		return 0;
	switch (d->type) {
	case OPT_BOOL: rc = opts_parse_bool(d->def, &v->b, &why); break;
	case OPT_STRING: v->s = xstrdup(d->def); break;
	case OPT_INT: rc = opts_parse_int(d->def, 64, &v->i, &why); break;
	case OPT_UINT: rc = opts_parse_uint(d->def, uint_bits(d), &v->u, &why); break;
	case OPT_FLOAT: rc = opts_parse_float(d->def, &v->f, &why); break;
	case OPT_DECIMAL: rc = opts_parse_decimal(d->def, &v->i, &why); break;
	case OPT_BYTES: rc = opts_parse_bytes(d->def, &v->i, &why); break;
	case OPT_DURATION: rc = opts_parse_duration(d->def, &v->i, &why); break;
	case OPT_LIST: case OPT_STRINGS: case OPT_MAP: break;
	}
	if (rc < 0) {
		robbe_error_set(err, EXIT_ENGINE, "BUG: bad default %s for --%s: %s", d->def, d->long_name, why->msg);
		robbe_error_free(why);
		return -1;
	}
	return 0;
}

int opts_parse(const struct opt_def *const *tables, int argc, char *const *argv, unsigned flags,
	       struct opts_result **out, robbe_error **err)
{
	struct opts_result *r = xcalloc(1, sizeof(*r));
	struct parser ps = { .r = r, .tables = tables, .flags = flags };
	char *const *rest = argv;
	int nrest = argc;
	size_t n = 0;

	*out = NULL;
	for (size_t t = 0; tables && tables[t]; t++)
		for (const struct opt_def *d = tables[t]; !def_end(d); d++)
			n++;
	r->defs = xcalloc(n + 1, sizeof(*r->defs));
	r->vals = xcalloc(n + 1, sizeof(*r->vals));
	for (size_t t = 0; tables && tables[t]; t++)
		for (const struct opt_def *d = tables[t]; !def_end(d); d++)
			r->defs[r->n++] = d;
	r->argv = xcalloc(1, sizeof(char *));
	r->dash_at = -1;
	for (size_t i = 0; i < r->n; i++) {
		if (set_default(r, i, err) < 0) {
			opts_result_free(r);
			return -1;
		}
	}

	while (nrest > 0) {
		const char *a = rest[0];
		int rc;
		rest++;
		nrest--;
		if (a[0] != '-' || a[1] == '\0') {
			strv_push(&r->argv, a);
			r->argc++;
			if (flags & OPTS_STOP_AT_POSITIONAL) {
				for (; nrest > 0; rest++, nrest--, r->argc++)
					strv_push(&r->argv, rest[0]);
				break;
			}
			continue;
		}
		if (a[1] == '-' && a[2] == '\0') {
			r->dash_at = r->argc;
			for (; nrest > 0; rest++, nrest--, r->argc++)
				strv_push(&r->argv, rest[0]);
			break;
		}
		if (a[1] == '-')
			rc = parse_long(&ps, a, &rest, &nrest, err);
		else
			rc = parse_short(&ps, a, &rest, &nrest, err);
		if (rc < 0) {
			/* Keep what was parsed: the caller still prints the notices. */
			*out = r;
			return -1;
		}
	}
	if (name_index(r, "help") >= 0 && opts_bool(r, "help"))
		r->help = true;
	*out = r;
	return 0;
}

void opts_result_free(struct opts_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->vals[i].s);
		strv_free(r->vals[i].list);
	}
	free(r->defs);
	free(r->vals);
	strv_free(r->argv);
	strv_free(r->notices);
	free(r);
}

static const struct opt_value *value_of(const struct opts_result *r, const char *name, enum opt_type want1,
					enum opt_type want2)
{
	ssize_t i = name_index(r, name);
	if (i < 0 || r->defs[i]->alias_of) {
		fprintf(stderr, "BUG: asked for option --%s, which the command does not declare\n", name);
		abort();
	}
	if (r->defs[i]->type != want1 && r->defs[i]->type != want2) {
		fprintf(stderr, "BUG: option --%s asked for as the wrong type\n", name);
		abort();
	}
	return &r->vals[i];
}

bool opts_bool(const struct opts_result *r, const char *name)
{
	return value_of(r, name, OPT_BOOL, OPT_BOOL)->b;
}

const char *opts_str(const struct opts_result *r, const char *name)
{
	return value_of(r, name, OPT_STRING, OPT_STRING)->s;
}

char *const *opts_list(const struct opts_result *r, const char *name)
{
	ssize_t i = name_index(r, name);
	const struct opt_value *v;
	if (i >= 0 && r->defs[i]->type == OPT_STRINGS)
		v = value_of(r, name, OPT_STRINGS, OPT_STRINGS);
	else
		v = value_of(r, name, OPT_LIST, OPT_MAP);
	return v->list ? v->list : empty_strv;
}

int64_t opts_int(const struct opts_result *r, const char *name)
{
	return value_of(r, name, OPT_INT, OPT_INT)->i;
}

uint64_t opts_uint(const struct opts_result *r, const char *name)
{
	return value_of(r, name, OPT_UINT, OPT_UINT)->u;
}

double opts_float(const struct opts_result *r, const char *name)
{
	return value_of(r, name, OPT_FLOAT, OPT_FLOAT)->f;
}

int64_t opts_bytes(const struct opts_result *r, const char *name)
{
	return value_of(r, name, OPT_BYTES, OPT_BYTES)->i;
}

int64_t opts_duration_ns(const struct opts_result *r, const char *name)
{
	return value_of(r, name, OPT_DURATION, OPT_DURATION)->i;
}

int64_t opts_decimal_nano(const struct opts_result *r, const char *name)
{
	return value_of(r, name, OPT_DECIMAL, OPT_DECIMAL)->i;
}

bool opts_changed(const struct opts_result *r, const char *name)
{
	ssize_t i = name_index(r, name);
	if (i < 0 || r->defs[i]->alias_of) {
		fprintf(stderr, "BUG: asked for option --%s, which the command does not declare\n", name);
		abort();
	}
	return r->vals[i].changed;
}

/* ---- help ---------------------------------------------------------------- */

static void add_spaces(struct sbuf *out, int n)
{
	for (; n > 0; n--)
		sbuf_addc(out, ' ');
}

/* Append text, indenting what follows each newline by `indent`. */
static void add_indented(struct sbuf *out, const char *text, size_t len, int indent)
{
	for (size_t i = 0; i < len; i++) {
		sbuf_addc(out, text[i]);
		if (text[i] == '\n')
			add_spaces(out, indent);
	}
}

/* Cut the next line off `s` (at most `limit` bytes, `slop` more if that
 * takes the rest): *line_len is the line, the return value the rest. */
static const char *next_line(const char *s, int limit, int slop, size_t *line_len)
{
	size_t len = strlen(s);
	ssize_t cut = -1, nl = -1;
	if ((size_t) limit + (size_t) slop > len || limit <= 0) {
		*line_len = len;
		return s + len;
	}
	for (ssize_t i = 0; i < limit && (size_t) i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
			cut = i;
		if (s[i] == '\n')
			nl = i;
	}
	if (cut <= 0) {
		*line_len = len;
		return s + len;
	}
	if (nl > 0 && nl < cut)
		cut = nl;
	*line_len = (size_t) cut;
	return s + cut + 1;
}

void opts_wrap(int indent, int width, const char *text, struct sbuf *out)
{
	int room;
	const char *rest;
	size_t n;

	if (width == 0) {
		add_indented(out, text, strlen(text), indent);
		return;
	}
	room = width - indent;
	if (room < 24) {
		/* Too narrow beside the names: start the text on its own line. */
		indent = 16;
		room = width - indent;
		sbuf_addc(out, '\n');
		add_spaces(out, indent);
	}
	if (room < 24) {
		add_indented(out, text, strlen(text), indent);
		return;
	}
	room -= 5;
	rest = next_line(text, room, 5, &n);
	add_indented(out, text, n, indent);
	while (*rest) {
		const char *line = rest;
		rest = next_line(line, room, 5, &n);
		sbuf_addc(out, '\n');
		add_spaces(out, indent);
		add_indented(out, line, n, indent);
	}
}

static int cmp_defs(const void *a, const void *b)
{
	const struct opt_def *const *x = a, *const *y = b;
	return strcmp((*x)->long_name, (*y)->long_name);
}

static void def_prefix(const struct opt_def *d, struct sbuf *out)
{
	const char *mv = opts_metavar(d);
	if (d->short_name)
		sbuf_addf(out, "  -%c, --%s", d->short_name, d->long_name);
	else
		sbuf_addf(out, "      --%s", d->long_name);
	if (*mv)
		sbuf_addf(out, " %s", mv);
}

void opts_render_help(const struct opt_def *const *tables, int width, struct sbuf *out)
{
	const struct opt_def **defs = NULL;
	size_t n = 0, cap = 0;
	size_t maxlen = 0;

	for (size_t t = 0; tables && tables[t]; t++) {
		for (const struct opt_def *d = tables[t]; !def_end(d); d++) {
			struct sbuf p = SBUF_INIT;
			if (!def_visible(d))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				defs = xrealloc(defs, cap * sizeof(*defs));
			}
			defs[n++] = d;
			def_prefix(d, &p);
			if (p.len + 1 > maxlen)
				maxlen = p.len + 1;
			sbuf_release(&p);
		}
	}
	if (n)
		qsort(defs, n, sizeof(*defs), cmp_defs);
	for (size_t i = 0; i < n; i++) {
		const struct opt_def *d = defs[i];
		struct sbuf text = SBUF_INIT;
		size_t before = out->len;

		if (i > 0)
			sbuf_addc(out, '\n');
		before = out->len;
		def_prefix(d, out);
		sbuf_addc(out, ' ');
		add_spaces(out, (int) (maxlen - (out->len - before - 1)));
		sbuf_addc(out, ' ');

		sbuf_adds(&text, d->help ? d->help : "");
		if (d->def && *d->def && !(d->type == OPT_BOOL && strcmp(d->def, "false") == 0)) {
			sbuf_adds(&text, " (default ");
			/* pflag quotes the defaults of plain strings only. */
			if (strcmp(opts_metavar(d), "string") == 0)
				opts_quote(&text, d->def);
			else
				sbuf_adds(&text, d->def);
			sbuf_addc(&text, ')');
		}
		opts_wrap((int) maxlen + 2, width, sbuf_str(&text), out);
		sbuf_release(&text);
	}
	free(defs);
	/* Like cobra's trimRightSpace on the whole block. */
	while (out->len && (out->buf[out->len - 1] == ' ' || out->buf[out->len - 1] == '\n')) {
		out->buf[--out->len] = '\0';
	}
}
