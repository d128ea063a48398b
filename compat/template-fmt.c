/* template-fmt.c: Go's fmt and encoding/json output over template values.
 *
 * Scripts parse what `docker inspect -f` prints, so values must come out as
 * Go's fmt prints them (%v of a map is "map[a:1 b:[x y]]", a float64 is
 * "1.5e+06"), printf must honour Go's verbs and flags including its
 * "%!d(string=x)" complaints, and {{json}} must encode as encoding/json.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "compat/template-int.h"

/* --------------------------------------------------------------- UTF-8 */

int utf8_decode(const char *str, size_t n, uint32_t *r)
{
	const unsigned char *s = (const unsigned char *) str;
	uint32_t c;
	int len;

	if (n == 0) {
		*r = 0xFFFD;
		return 0;
	}
	if (s[0] < 0x80) {
		*r = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		goto bad;
	}
	if (n < (size_t) len)
		goto bad;
	for (int k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[k] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*r = c;
	return len;
bad:
	*r = 0xFFFD;
	return 1;
}

void utf8_encode(struct sbuf *sb, uint32_t r)
{
	char b[4];

	if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = 0xFFFD;
	if (r < 0x80) {
		sbuf_addc(sb, (char) r);
	} else if (r < 0x800) {
		b[0] = (char) (0xC0 | (r >> 6));
		b[1] = (char) (0x80 | (r & 0x3F));
		sbuf_add(sb, b, 2);
	} else if (r < 0x10000) {
		b[0] = (char) (0xE0 | (r >> 12));
		b[1] = (char) (0x80 | ((r >> 6) & 0x3F));
		b[2] = (char) (0x80 | (r & 0x3F));
		sbuf_add(sb, b, 3);
	} else {
		b[0] = (char) (0xF0 | (r >> 18));
		b[1] = (char) (0x80 | ((r >> 12) & 0x3F));
		b[2] = (char) (0x80 | ((r >> 6) & 0x3F));
		b[3] = (char) (0x80 | (r & 0x3F));
		sbuf_add(sb, b, 4);
	}
}

size_t utf8_count(const char *s, size_t n)
{
	size_t count = 0;
	uint32_t r;

	for (size_t k = 0; k < n; count++)
		k += (size_t) utf8_decode(s + k, n - k, &r);
	return count;
}

/* unicode.IsPrint, approximated without Unicode tables: controls, the
 * separators and format characters Go treats as unprintable, private use
 * and non-characters. */
bool go_is_print(uint32_t r)
{
	if (r < 0x20 || (r >= 0x7F && r <= 0xA0) || r == 0xAD)
		return false;
	if (r < 0x300)
		return true;
	if (r == 0x1680 || (r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) ||
	    (r >= 0x205F && r <= 0x206F) || r == 0x3000 || r == 0xFEFF || (r >= 0xFFF0 && r <= 0xFFFB) ||
	    r == 0xFFFE || r == 0xFFFF)
		return false;
	if ((r >= 0xD800 && r <= 0xF8FF) || r >= 0xF0000)
		return false;
	return r <= 0x10FFFF;
}

/* unicode.IsLetter || unicode.IsDigit for identifiers, approximated: most
 * non-ASCII code points are letters; punctuation and symbol blocks are not. */
bool go_is_letter(uint32_t r)
{
	if (r < 0x80)
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9');
	if (r < 0xC0)
		return r == 0xAA || r == 0xB5 || r == 0xBA;
	if (r == 0xD7 || r == 0xF7)
		return false;
	if (!go_is_print(r))
		return false;
	if ((r >= 0x2000 && r <= 0x2BFF) || (r >= 0x3000 && r <= 0x3004) || (r >= 0x3008 && r <= 0x3020) ||
	    (r >= 0xFE30 && r <= 0xFE4F) || (r >= 0xFF00 && r <= 0xFF0F) || (r >= 0xFF1A && r <= 0xFF20) ||
	    (r >= 0xFF3B && r <= 0xFF40) || (r >= 0xFF5B && r <= 0xFF65) || (r >= 0xFFF0 && r <= 0xFFFF) ||
	    (r >= 0x1F000 && r <= 0x1FAFF))
		return false;
	return true;
}

/* ------------------------------------------------------------- quoting */

static const char lowerhex[] = "0123456789abcdef";

static void quote_rune_into(struct sbuf *sb, uint32_t r, char quote, bool ascii_only)
{
	if (r == (uint32_t) quote || r == '\\') {
		sbuf_addc(sb, '\\');
		sbuf_addc(sb, (char) r);
		return;
	}
	if (ascii_only ? (r < 0x80 && go_is_print(r)) : go_is_print(r)) {
		utf8_encode(sb, r);
		return;
	}
	switch (r) {
	case 7: sbuf_adds(sb, "\\a"); return;
	case 8: sbuf_adds(sb, "\\b"); return;
	case 12: sbuf_adds(sb, "\\f"); return;
	case 10: sbuf_adds(sb, "\\n"); return;
	case 13: sbuf_adds(sb, "\\r"); return;
	case 9: sbuf_adds(sb, "\\t"); return;
	case 11: sbuf_adds(sb, "\\v"); return;
	}
	if (r < ' ' || r == 0x7F) {
		sbuf_addf(sb, "\\x%c%c", lowerhex[r >> 4], lowerhex[r & 0xF]);
		return;
	}
	if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = 0xFFFD;
	if (r < 0x10000)
		sbuf_addf(sb, "\\u%04x", r);
	else
		sbuf_addf(sb, "\\U%08x", r);
}

static void quote_with(struct sbuf *sb, const char *s, size_t n, char quote, bool ascii_only)
{
	sbuf_addc(sb, quote);
	for (size_t k = 0; k < n;) {
		uint32_t r;
		int w = utf8_decode(s + k, n - k, &r);
		if (w == 1 && r == 0xFFFD && (unsigned char) s[k] >= 0x80) {
			unsigned char b = (unsigned char) s[k];
			sbuf_addf(sb, "\\x%c%c", lowerhex[b >> 4], lowerhex[b & 0xF]);
		} else {
			quote_rune_into(sb, r, quote, ascii_only);
		}
		k += (size_t) w;
	}
	sbuf_addc(sb, quote);
}

void gofmt_quote(struct sbuf *sb, const char *s, size_t n, bool ascii_only)
{
	quote_with(sb, s, n, '"', ascii_only);
}

char *go_quote_str(const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	gofmt_quote(&sb, s, n, false);
	return sbuf_detach(&sb);
}

static bool can_backquote(const char *s, size_t n)
{
	for (size_t k = 0; k < n;) {
		uint32_t r;
		int w = utf8_decode(s + k, n - k, &r);
		if (w == 1 && r == 0xFFFD && (unsigned char) s[k] >= 0x80)
			return false;
		if ((r < ' ' && r != '\t') || r == '`' || r == 0x7F || r == 0xFEFF)
			return false;
		k += (size_t) w;
	}
	return true;
}

/* -------------------------------------------------------------- floats */

/* The shortest decimal digits that read back as f (f > 0, finite):
 * digits d1 d2 ... dn with the decimal point after `dp` digits. */
static void shortest_digits(double f, char digits[24], int *nd, int *dp)
{
	char buf[40];
	char *e;
	int n = 0;

	for (int prec = 0; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	for (const char *c = buf; *c && *c != 'e'; c++)
		if (*c >= '0' && *c <= '9')
			digits[n++] = *c;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	e = strchr(buf, 'e');
	*nd = n;
	*dp = (int) strtol(e + 1, NULL, 10) + 1;
}

static void digits_fixed(struct sbuf *sb, const char *d, int nd, int dp, int decimals)
{
	/* integer part */
	if (dp <= 0) {
		sbuf_addc(sb, '0');
	} else {
		for (int k = 0; k < dp; k++)
			sbuf_addc(sb, k < nd ? d[k] : '0');
	}
	if (decimals > 0) {
		sbuf_addc(sb, '.');
		for (int k = 0; k < decimals; k++) {
			int idx = dp + k;
			sbuf_addc(sb, idx >= 0 && idx < nd ? d[idx] : '0');
		}
	}
}

static void digits_exp(struct sbuf *sb, const char *d, int nd, int dp, char e, bool pad_exp)
{
	int exp = dp - 1;

	sbuf_addc(sb, d[0]);
	if (nd > 1) {
		sbuf_addc(sb, '.');
		sbuf_add(sb, d + 1, (size_t) nd - 1);
	}
	sbuf_addc(sb, e);
	sbuf_addc(sb, exp < 0 ? '-' : '+');
	if (exp < 0)
		exp = -exp;
	if (pad_exp && exp < 10)
		sbuf_addc(sb, '0');
	sbuf_addf(sb, "%d", exp);
}

/* strconv.FormatFloat(f, fmt, -1, 64) for fmt in e E f g G (no sign for
 * positive numbers; f finite). */
static void float_shortest(struct sbuf *sb, double f, char fmt)
{
	char d[24];
	int nd, dp;

	if (signbit(f)) {
		sbuf_addc(sb, '-');
		f = -f;
	}
	if (f == 0) {
		/* Go's shortest digits for zero are empty: "0", "0e+00" */
		if (fmt == 'e' || fmt == 'E')
			sbuf_addf(sb, "0%c+00", fmt);
		else
			sbuf_addc(sb, '0');
		return;
	}
	shortest_digits(f, d, &nd, &dp);
	switch (fmt) {
	case 'e':
	case 'E':
		digits_exp(sb, d, nd, dp, fmt, true);
		return;
	case 'f':
		digits_fixed(sb, d, nd, dp, nd - dp > 0 ? nd - dp : 0);
		return;
	default: {
		int exp = dp - 1;
		if (exp < -4 || exp >= 6) /* shortest %g decides with precision 6 */
			digits_exp(sb, d, nd, dp, fmt == 'G' ? 'E' : 'e', true);
		else
			digits_fixed(sb, d, nd, dp, nd - dp > 0 ? nd - dp : 0);
	}
	}
}

void gofmt_float_v(struct sbuf *sb, double f)
{
	if (isnan(f))
		sbuf_adds(sb, "NaN");
	else if (isinf(f))
		sbuf_adds(sb, f > 0 ? "+Inf" : "-Inf");
	else
		float_shortest(sb, f, 'g');
}

/* encoding/json: like JavaScript, plain digits between 1e-6 and 1e21. */
void gofmt_float_json(struct sbuf *sb, double f)
{
	double a = fabs(f);
	char d[24];
	int nd, dp;

	if (isnan(f) || isinf(f)) {
		sbuf_adds(sb, "null");
		return;
	}
	if (a == 0 || (a >= 1e-6 && a < 1e21)) {
		float_shortest(sb, f, 'f');
		return;
	}
	if (f < 0)
		sbuf_addc(sb, '-');
	shortest_digits(a, d, &nd, &dp);
	digits_exp(sb, d, nd, dp, 'e', false);
}

/* ------------------------------------------------------------- printer */

struct gfmt {
	bool plus, minus, sharp, space, zero;
	bool plus_v, sharp_v;
	bool wid_present, prec_present;
	int wid, prec;
	/* Widths of up to ten million apply to every element of a map or
	 * slice; past cap bytes printing stops and *overflow is set. */
	size_t cap;
	bool *overflow;
};

static bool over_cap(struct sbuf *sb, const struct gfmt *f, size_t more)
{
	if (!f->overflow)
		return false;
	if (*f->overflow || sb->len + more > f->cap) {
		*f->overflow = true;
		return true;
	}
	return false;
}

static void write_padding(struct sbuf *sb, const struct gfmt *f, int n)
{
	if (n <= 0 || over_cap(sb, f, (size_t) n))
		return;
	sbuf_grow(sb, (size_t) n);
	memset(sb->buf + sb->len, f->zero ? '0' : ' ', (size_t) n);
	sb->len += (size_t) n;
	sb->buf[sb->len] = '\0';
}

static void pad(struct sbuf *sb, const struct gfmt *f, const char *s, size_t n)
{
	int width;

	if (!f->wid_present || f->wid == 0) {
		sbuf_add(sb, s, n);
		return;
	}
	width = f->wid - (int) utf8_count(s, n);
	if (!f->minus) {
		write_padding(sb, f, width);
		sbuf_add(sb, s, n);
	} else {
		sbuf_add(sb, s, n);
		write_padding(sb, f, width);
	}
}

static void pad_str(struct sbuf *sb, const struct gfmt *f, const char *s)
{
	pad(sb, f, s, strlen(s));
}

/* Cut s to the precision, counted in runes. */
static size_t truncate_prec(const struct gfmt *f, const char *s, size_t n)
{
	if (f->prec_present) {
		size_t k = 0;
		uint32_t r;
		for (int runes = 0; k < n; runes++) {
			if (runes == f->prec)
				return k;
			k += (size_t) utf8_decode(s + k, n - k, &r);
		}
	}
	return n;
}

static void print_tval(struct sbuf *sb, struct gfmt *f, const struct tval *v, uint32_t verb, int depth);

static void bad_verb(struct sbuf *sb, struct gfmt *f, const struct tval *v, uint32_t verb)
{
	sbuf_adds(sb, "%!");
	utf8_encode(sb, verb);
	sbuf_addc(sb, '(');
	if (!v || v->kind == TV_INVALID || v->kind == TV_NIL) {
		sbuf_adds(sb, "<nil>");
	} else {
		sbuf_adds(sb, tv_type_name(v));
		sbuf_addc(sb, '=');
		print_tval(sb, f, v, 'v', 0);
	}
	sbuf_addc(sb, ')');
}

static void fmt_bool(struct sbuf *sb, struct gfmt *f, const struct tval *v, uint32_t verb)
{
	if (verb == 't' || verb == 'v')
		pad_str(sb, f, v->b ? "true" : "false");
	else
		bad_verb(sb, f, v, verb);
}

static void fmt_integer_base(struct sbuf *sb, struct gfmt *f, uint64_t u, int base, bool is_signed, uint32_t verb, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEFX" : "0123456789abcdefx";
	bool negative = is_signed && (int64_t) u < 0;
	char tmp[80];
	char *buf = tmp;
	size_t size = sizeof(tmp);
	size_t i;
	int prec = 0;

	if (negative)
		u = -u;
	if (f->wid_present || f->prec_present) {
		size_t width = 3 + (size_t) f->wid + (size_t) f->prec;
		if (over_cap(sb, f, width - 3))
			return;
		if (width > size) {
			buf = xmalloc(width);
			size = width;
		}
	}
	if (f->prec_present) {
		prec = f->prec;
		if (prec == 0 && u == 0) {
			bool zero = f->zero;
			f->zero = false;
			write_padding(sb, f, f->wid);
			f->zero = zero;
			goto out;
		}
	} else if (f->zero && f->wid_present) {
		prec = f->wid;
		if (negative || f->plus || f->space)
			prec--;
	}
	i = size;
	while (u >= (uint64_t) base) {
		buf[--i] = digits[u % (uint64_t) base];
		u /= (uint64_t) base;
	}
	buf[--i] = digits[u];
	while (i > 0 && prec > (int) (size - i))
		buf[--i] = '0';
	if (f->sharp) {
		if (base == 2) {
			buf[--i] = 'b';
			buf[--i] = '0';
		} else if (base == 8) {
			if (buf[i] != '0')
				buf[--i] = '0';
		} else if (base == 16) {
			buf[--i] = digits[16];
			buf[--i] = '0';
		}
	}
	if (verb == 'O') {
		buf[--i] = 'o';
		buf[--i] = '0';
	}
	if (negative)
		buf[--i] = '-';
	else if (f->plus)
		buf[--i] = '+';
	else if (f->space)
		buf[--i] = ' ';
	{
		bool zero = f->zero;
		f->zero = false;
		pad(sb, f, buf + i, size - i);
		f->zero = zero;
	}
out:
	if (buf != tmp)
		free(buf);
}

static void fmt_unicode(struct sbuf *sb, struct gfmt *f, uint64_t u)
{
	struct sbuf tmp = SBUF_INIT;
	int prec = 4;
	char hex[24];

	if (f->prec_present && f->prec > 4)
		prec = f->prec;
	if (over_cap(sb, f, (size_t) prec))
		return;
	snprintf(hex, sizeof(hex), "%llX", (unsigned long long) u);
	sbuf_adds(&tmp, "U+");
	for (int k = (int) strlen(hex); k < prec; k++)
		sbuf_addc(&tmp, '0');
	sbuf_adds(&tmp, hex);
	if (f->sharp && u <= 0x10FFFF && go_is_print((uint32_t) u)) {
		sbuf_adds(&tmp, " '");
		utf8_encode(&tmp, (uint32_t) u);
		sbuf_addc(&tmp, '\'');
	}
	{
		bool zero = f->zero;
		f->zero = false;
		pad(sb, f, sbuf_str(&tmp), tmp.len);
		f->zero = zero;
	}
	sbuf_release(&tmp);
}

static void fmt_integer(struct sbuf *sb, struct gfmt *f, const struct tval *v, uint32_t verb)
{
	uint64_t u = (uint64_t) v->i;

	switch (verb) {
	case 'v':
	case 'd':
		fmt_integer_base(sb, f, u, 10, true, verb, false);
		return;
	case 'b':
		fmt_integer_base(sb, f, u, 2, true, verb, false);
		return;
	case 'o':
	case 'O':
		fmt_integer_base(sb, f, u, 8, true, verb, false);
		return;
	case 'x':
		fmt_integer_base(sb, f, u, 16, true, verb, false);
		return;
	case 'X':
		fmt_integer_base(sb, f, u, 16, true, verb, true);
		return;
	case 'c': {
		struct sbuf tmp = SBUF_INIT;
		utf8_encode(&tmp, u > 0x10FFFF ? 0xFFFD : (uint32_t) u);
		pad(sb, f, sbuf_str(&tmp), tmp.len);
		sbuf_release(&tmp);
		return;
	}
	case 'q': {
		struct sbuf tmp = SBUF_INIT;
		uint32_t r = u > 0x10FFFF ? 0xFFFD : (uint32_t) u;
		if (r >= 0xD800 && r <= 0xDFFF)
			r = 0xFFFD;
		sbuf_addc(&tmp, '\'');
		quote_rune_into(&tmp, r, '\'', f->plus);
		sbuf_addc(&tmp, '\'');
		pad(sb, f, sbuf_str(&tmp), tmp.len);
		sbuf_release(&tmp);
		return;
	}
	case 'U':
		fmt_unicode(sb, f, u);
		return;
	default:
		bad_verb(sb, f, v, verb);
	}
}

/* Go's %x of a float: hexadecimal mantissa, binary exponent of at least
 * two digits ("0x1.8p+01"). */
static void float_hex(struct sbuf *num, double a, int prec, bool upper)
{
	char buf[64];
	char *p;

	if (prec >= 0)
		snprintf(buf, sizeof(buf), upper ? "%.*A" : "%.*a", prec > 30 ? 30 : prec, a);
	else
		snprintf(buf, sizeof(buf), upper ? "%A" : "%a", a);
	p = strchr(buf, upper ? 'P' : 'p');
	if (!p) {
		sbuf_adds(num, buf);
		return;
	}
	sbuf_add(num, buf, (size_t) (p - buf) + 2);
	if (strlen(p + 2) < 2)
		sbuf_addc(num, '0');
	sbuf_adds(num, p + 2);
}

static void fmt_float_core(struct sbuf *sb, struct gfmt *f, double v, char verb, int prec)
{
	struct sbuf num = SBUF_INIT;
	const char *s;
	size_t n;

	if (f->prec_present)
		prec = f->prec;
	if (prec > 0 && over_cap(sb, f, (size_t) prec))
		return;
	/* num gets a sign always, as Go builds it */
	if (isnan(v)) {
		sbuf_adds(&num, "+NaN");
	} else if (isinf(v)) {
		sbuf_adds(&num, v > 0 ? "+Inf" : "-Inf");
	} else {
		double a = fabs(v);
		sbuf_addc(&num, signbit(v) ? '-' : '+');
		if (verb == 'b') {
			int e;
			double m = frexp(a, &e);
			if (a == 0)
				sbuf_adds(&num, "0p-1074");
			else
				sbuf_addf(&num, "%llup%+d", (unsigned long long) ldexp(m, 53), e - 53);
		} else if (verb == 'x' || verb == 'X') {
			float_hex(&num, a, prec, verb == 'X');
		} else if (prec < 0) {
			float_shortest(&num, a, verb == 'F' ? 'f' : verb);
		} else {
			switch (verb) {
			case 'e':
				sbuf_addf(&num, "%.*e", prec, a);
				break;
			case 'E':
				sbuf_addf(&num, "%.*E", prec, a);
				break;
			case 'g':
				sbuf_addf(&num, "%.*g", prec == 0 ? 1 : prec, a);
				break;
			case 'G':
				sbuf_addf(&num, "%.*G", prec == 0 ? 1 : prec, a);
				break;
			default:
				sbuf_addf(&num, "%.*f", prec, a);
			}
		}
	}
	s = sbuf_str(&num);
	n = num.len;
	if (f->space && s[0] == '+' && !f->plus)
		num.buf[0] = ' ';
	if (s[1] == 'I' || s[1] == 'N') {
		bool zero = f->zero;
		f->zero = false;
		if (s[1] == 'N' && !f->space && !f->plus) {
			s++;
			n--;
		}
		pad(sb, f, s, n);
		f->zero = zero;
	} else if (f->plus || s[0] != '+') {
		if (f->zero && f->wid_present && f->wid > (int) n) {
			sbuf_addc(sb, s[0]);
			write_padding(sb, f, f->wid - (int) n);
			sbuf_add(sb, s + 1, n - 1);
		} else {
			pad(sb, f, s, n);
		}
	} else {
		pad(sb, f, s + 1, n - 1);
	}
	sbuf_release(&num);
}

static void fmt_float(struct sbuf *sb, struct gfmt *f, const struct tval *v, uint32_t verb)
{
	switch (verb) {
	case 'v':
		fmt_float_core(sb, f, v->f, 'g', -1);
		return;
	case 'b':
	case 'g':
	case 'G':
	case 'x':
	case 'X':
		fmt_float_core(sb, f, v->f, f->sharp_v ? 'g' : (char) verb, -1);
		return;
	case 'f':
	case 'e':
	case 'E':
	case 'F':
		fmt_float_core(sb, f, v->f, (char) verb, 6);
		return;
	default:
		bad_verb(sb, f, v, verb);
	}
}

static void fmt_sx(struct sbuf *sb, struct gfmt *f, const char *s, size_t n, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEFX" : "0123456789abcdefx";
	size_t length = n;
	int width;

	if (f->prec_present && (size_t) f->prec < length)
		length = (size_t) f->prec;
	width = 2 * (int) length;
	if (width > 0) {
		if (f->space) {
			if (f->sharp)
				width *= 2;
			width += (int) length - 1;
		} else if (f->sharp) {
			width += 2;
		}
	} else {
		if (f->wid_present)
			write_padding(sb, f, f->wid);
		return;
	}
	if (f->wid_present && f->wid > width && !f->minus)
		write_padding(sb, f, f->wid - width);
	if (f->sharp) {
		sbuf_addc(sb, '0');
		sbuf_addc(sb, digits[16]);
	}
	for (size_t k = 0; k < length; k++) {
		unsigned char c = (unsigned char) s[k];
		if (f->space && k > 0) {
			sbuf_addc(sb, ' ');
			if (f->sharp) {
				sbuf_addc(sb, '0');
				sbuf_addc(sb, digits[16]);
			}
		}
		sbuf_addc(sb, digits[c >> 4]);
		sbuf_addc(sb, digits[c & 0xF]);
	}
	if (f->wid_present && f->wid > width && f->minus)
		write_padding(sb, f, f->wid - width);
}

static void fmt_q(struct sbuf *sb, struct gfmt *f, const char *s, size_t n)
{
	struct sbuf tmp = SBUF_INIT;

	n = truncate_prec(f, s, n);
	if (f->sharp && can_backquote(s, n)) {
		sbuf_addc(&tmp, '`');
		sbuf_add(&tmp, s, n);
		sbuf_addc(&tmp, '`');
	} else {
		gofmt_quote(&tmp, s, n, f->plus);
	}
	pad(sb, f, sbuf_str(&tmp), tmp.len);
	sbuf_release(&tmp);
}

static void fmt_string(struct sbuf *sb, struct gfmt *f, const struct tval *v, uint32_t verb)
{
	switch (verb) {
	case 'v':
		if (f->sharp_v) {
			fmt_q(sb, f, v->s, v->n);
			return;
		}
		/* fallthrough */
	case 's':
		pad(sb, f, v->s, truncate_prec(f, v->s, v->n));
		return;
	case 'x':
	case 'X':
		fmt_sx(sb, f, v->s, v->n, verb == 'X');
		return;
	case 'q':
		fmt_q(sb, f, v->s, v->n);
		return;
	default:
		bad_verb(sb, f, v, verb);
	}
}

static int key_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *) a, *y = *(const cJSON *const *) b;
	return strcmp(x->string ? x->string : "", y->string ? y->string : "");
}

/* Object members sorted by key, as fmt and range see a Go map. */
const cJSON **tmpl_sorted_members(const cJSON *obj, size_t *n)
{
	const cJSON **v;
	size_t count = 0, k = 0;
	const cJSON *c;

	for (c = obj->child; c; c = c->next)
		count++;
	v = xcalloc(count + 1, sizeof(*v));
	for (c = obj->child; c; c = c->next)
		v[k++] = c;
	qsort(v, count, sizeof(*v), key_cmp);
	*n = count;
	return v;
}

/* An element inside a map or slice: Go sees an interface{} there. */
static void print_elem(struct sbuf *sb, struct gfmt *f, const cJSON *j, uint32_t verb, int depth)
{
	struct tval ev;

	if (cJSON_IsNull(j) || cJSON_IsInvalid(j)) {
		sbuf_adds(sb, f->sharp_v ? "interface {}(nil)" : "<nil>");
		return;
	}
	ev = tv_from_json(j, NULL, true);
	print_tval(sb, f, &ev, verb, depth + 1);
}

static void print_tval(struct sbuf *sb, struct gfmt *f, const struct tval *v, uint32_t verb, int depth)
{
	switch (v->kind) {
	case TV_INVALID:
	case TV_NIL:
		if (depth == 0 && (verb == 'v' || verb == 'T'))
			pad_str(sb, f, "<nil>");
		else if (depth == 0)
			bad_verb(sb, f, NULL, verb);
		else
			sbuf_adds(sb, f->sharp_v ? "interface {}(nil)" : "<nil>");
		return;
	case TV_BOOL:
		fmt_bool(sb, f, v, verb);
		return;
	case TV_INT:
		fmt_integer(sb, f, v, verb);
		return;
	case TV_FLOAT:
		fmt_float(sb, f, v, verb);
		return;
	case TV_STRING:
		fmt_string(sb, f, v, verb);
		return;
	case TV_OBJECT: {
		size_t n;
		const cJSON **m = tmpl_sorted_members(v->j, &n);
		sbuf_adds(sb, f->sharp_v ? "map[string]interface {}{" : "map[");
		for (size_t k = 0; k < n && !over_cap(sb, f, 0); k++) {
			struct tval key = tv_string_static(m[k]->string ? m[k]->string : "", m[k]->string ? strlen(m[k]->string) : 0);
			if (k > 0)
				sbuf_adds(sb, f->sharp_v ? ", " : " ");
			print_tval(sb, f, &key, verb, depth + 1);
			sbuf_addc(sb, ':');
			print_elem(sb, f, m[k], verb, depth);
		}
		sbuf_addc(sb, f->sharp_v ? '}' : ']');
		free(m);
		return;
	}
	case TV_ARRAY: {
		const cJSON *c;
		bool first = true;
		sbuf_adds(sb, f->sharp_v ? "[]interface {}{" : "[");
		for (c = v->j->child; c && !over_cap(sb, f, 0); c = c->next) {
			if (!first)
				sbuf_adds(sb, f->sharp_v ? ", " : " ");
			first = false;
			print_elem(sb, f, c, verb, depth);
		}
		sbuf_addc(sb, f->sharp_v ? '}' : ']');
		return;
	}
	}
}

/* fmt's printArg: %T and nil first, then by kind. */
static void print_arg(struct sbuf *sb, struct gfmt *f, const struct tval *v, uint32_t verb)
{
	if (verb == 'T' && v->kind != TV_INVALID && v->kind != TV_NIL) {
		const char *name = tv_type_name(v);
		pad(sb, f, name, truncate_prec(f, name, strlen(name)));
		return;
	}
	if (verb == 'p' && v->kind != TV_INVALID && v->kind != TV_NIL) {
		bad_verb(sb, f, v, verb);
		return;
	}
	print_tval(sb, f, v, verb, 0);
}

void gofmt_print_value(struct sbuf *sb, const struct tval *v)
{
	struct gfmt f = { .plus = false };

	if (v->kind == TV_INVALID) {
		sbuf_adds(sb, "<no value>");
		return;
	}
	print_arg(sb, &f, v, 'v');
}

static bool tv_is_string(const struct tval *v)
{
	return v->kind == TV_STRING;
}

void gofmt_sprint(struct sbuf *sb, const struct tval *args, size_t n)
{
	bool prev_string = false;

	for (size_t k = 0; k < n; k++) {
		struct gfmt f = { .plus = false };
		bool is_string = tv_is_string(&args[k]);
		if (k > 0 && !is_string && !prev_string)
			sbuf_addc(sb, ' ');
		print_arg(sb, &f, &args[k], 'v');
		prev_string = is_string;
	}
}

void gofmt_sprintln(struct sbuf *sb, const struct tval *args, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		struct gfmt f = { .plus = false };
		if (k > 0)
			sbuf_addc(sb, ' ');
		print_arg(sb, &f, &args[k], 'v');
	}
	sbuf_addc(sb, '\n');
}

static bool too_large(long x)
{
	return x > 1000000 || x < -1000000;
}

static bool parse_num(const char *s, size_t *i, size_t end, int *num)
{
	long v = 0;
	bool isnum = false;

	if (*i >= end) {
		*num = 0;
		return false;
	}
	for (; *i < end && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
		if (too_large(v)) {
			*i = end; /* overflow: swallow the rest, as Go does */
			*num = 0;
			return false;
		}
		v = v * 10 + (s[*i] - '0');
		isnum = true;
	}
	*num = (int) v;
	return isnum;
}

struct pstate {
	bool reordered;
	bool good_arg_num;
};

static size_t arg_number(struct pstate *ps, size_t argnum, const char *s, size_t *i, size_t end, size_t nargs, bool *found)
{
	*found = false;
	if (*i >= end || s[*i] != '[')
		return argnum;
	ps->reordered = true;
	/* [n] with n one-based */
	if (end - *i < 3) {
		*i += 1;
		ps->good_arg_num = false;
		return argnum;
	}
	for (size_t k = *i + 1; k < end; k++) {
		if (s[k] == ']') {
			size_t j = *i + 1;
			int width;
			bool ok = parse_num(s, &j, k, &width);
			if (!ok || j != k) {
				*i = k + 1;
				ps->good_arg_num = false;
				return argnum;
			}
			*i = k + 1;
			*found = true;
			if (width - 1 >= 0 && (size_t) (width - 1) < nargs)
				return (size_t) (width - 1);
			ps->good_arg_num = false;
			return argnum;
		}
	}
	*i += 1;
	ps->good_arg_num = false;
	return argnum;
}

static bool int_from_arg(const struct tval *args, size_t nargs, size_t *argnum, int *num)
{
	bool is_int = false;

	*num = 0;
	if (*argnum < nargs) {
		const struct tval *a = &args[*argnum];
		if (a->kind == TV_INT && a->i > -2147483648LL && a->i < 2147483647LL) {
			*num = (int) a->i;
			is_int = true;
		}
		(*argnum)++;
		if (too_large(*num)) {
			*num = 0;
			is_int = false;
		}
	}
	return is_int;
}

bool gofmt_sprintf(struct sbuf *sb, const char *format, size_t end, const struct tval *args, size_t nargs,
		   size_t cap)
{
	size_t argnum = 0;
	bool after_index = false;
	bool overflow = false;
	struct pstate ps = { .reordered = false };

	for (size_t i = 0; i < end && !overflow;) {
		size_t lasti = i;
		struct gfmt f = { .cap = cap, .overflow = &overflow };
		uint32_t verb;
		int size;

		ps.good_arg_num = true;
		while (i < end && format[i] != '%')
			i++;
		if (i > lasti)
			sbuf_add(sb, format + lasti, i - lasti);
		if (i >= end)
			break;
		i++;
		/* flags */
		for (; i < end; i++) {
			char c = format[i];
			if (c == '#')
				f.sharp = true;
			else if (c == '0')
				f.zero = !f.minus;
			else if (c == '+')
				f.plus = true;
			else if (c == '-') {
				f.minus = true;
				f.zero = false;
			} else if (c == ' ')
				f.space = true;
			else
				break;
		}
		argnum = arg_number(&ps, argnum, format, &i, end, nargs, &after_index);
		/* width */
		if (i < end && format[i] == '*') {
			i++;
			f.wid_present = int_from_arg(args, nargs, &argnum, &f.wid);
			if (!f.wid_present)
				sbuf_adds(sb, "%!(BADWIDTH)");
			if (f.wid < 0) {
				f.wid = -f.wid;
				f.minus = true;
				f.zero = false;
			}
			after_index = false;
		} else {
			f.wid_present = parse_num(format, &i, end, &f.wid);
			if (after_index && f.wid_present)
				ps.good_arg_num = false;
		}
		/* precision */
		if (i + 1 < end && format[i] == '.') {
			i++;
			if (after_index)
				ps.good_arg_num = false;
			argnum = arg_number(&ps, argnum, format, &i, end, nargs, &after_index);
			if (i < end && format[i] == '*') {
				i++;
				f.prec_present = int_from_arg(args, nargs, &argnum, &f.prec);
				if (f.prec < 0) {
					f.prec = 0;
					f.prec_present = false;
				}
				if (!f.prec_present)
					sbuf_adds(sb, "%!(BADPREC)");
				after_index = false;
			} else {
				f.prec_present = parse_num(format, &i, end, &f.prec);
				if (!f.prec_present) {
					f.prec = 0;
					f.prec_present = true;
				}
			}
		}
		if (!after_index)
			argnum = arg_number(&ps, argnum, format, &i, end, nargs, &after_index);
		if (i >= end) {
			sbuf_adds(sb, "%!(NOVERB)");
			break;
		}
		size = utf8_decode(format + i, end - i, &verb);
		i += (size_t) size;
		if (verb == '%') {
			sbuf_addc(sb, '%');
		} else if (!ps.good_arg_num) {
			sbuf_adds(sb, "%!");
			utf8_encode(sb, verb);
			sbuf_adds(sb, "(BADINDEX)");
		} else if (argnum >= nargs) {
			sbuf_adds(sb, "%!");
			utf8_encode(sb, verb);
			sbuf_adds(sb, "(MISSING)");
		} else {
			if (verb == 'v') {
				f.sharp_v = f.sharp;
				f.sharp = false;
				f.plus_v = f.plus;
				f.plus = false;
			}
			print_arg(sb, &f, &args[argnum], verb);
			argnum++;
		}
	}
	if (!ps.reordered && argnum < nargs) {
		sbuf_adds(sb, "%!(EXTRA ");
		for (size_t k = argnum; k < nargs; k++) {
			struct gfmt f = { .plus = false };
			if (k > argnum)
				sbuf_adds(sb, ", ");
			if (args[k].kind == TV_INVALID || args[k].kind == TV_NIL) {
				sbuf_adds(sb, "<nil>");
			} else {
				sbuf_adds(sb, tv_type_name(&args[k]));
				sbuf_addc(sb, '=');
				print_arg(sb, &f, &args[k], 'v');
			}
		}
		sbuf_addc(sb, ')');
	}
	return !overflow && sb->len <= cap;
}

/* ---------------------------------------------------------------- JSON */

void gojson_string(struct sbuf *sb, const char *s, size_t n, bool escape_html)
{
	size_t start = 0;

	sbuf_addc(sb, '"');
	for (size_t i = 0; i < n;) {
		unsigned char b = (unsigned char) s[i];
		if (b < 0x80) {
			bool safe = b >= 0x20 && b != '"' && b != '\\' &&
				    !(escape_html && (b == '<' || b == '>' || b == '&'));
			if (safe) {
				i++;
				continue;
			}
			sbuf_add(sb, s + start, i - start);
			switch (b) {
			case '\\':
			case '"':
				sbuf_addc(sb, '\\');
				sbuf_addc(sb, (char) b);
				break;
			case '\b':
				sbuf_adds(sb, "\\b");
				break;
			case '\f':
				sbuf_adds(sb, "\\f");
				break;
			case '\n':
				sbuf_adds(sb, "\\n");
				break;
			case '\r':
				sbuf_adds(sb, "\\r");
				break;
			case '\t':
				sbuf_adds(sb, "\\t");
				break;
			default:
				sbuf_addf(sb, "\\u00%c%c", lowerhex[b >> 4], lowerhex[b & 0xF]);
			}
			i++;
			start = i;
			continue;
		}
		uint32_t r;
		int w = utf8_decode(s + i, n - i, &r);
		if (r == 0xFFFD && w == 1) {
			sbuf_add(sb, s + start, i - start);
			sbuf_adds(sb, "\\ufffd");
			i++;
			start = i;
			continue;
		}
		if (r == 0x2028 || r == 0x2029) {
			sbuf_add(sb, s + start, i - start);
			sbuf_addf(sb, "\\u202%c", lowerhex[r & 0xF]);
			i += (size_t) w;
			start = i;
			continue;
		}
		i += (size_t) w;
	}
	sbuf_add(sb, s + start, n - start);
	sbuf_addc(sb, '"');
}

static void json_newline(struct sbuf *sb, int depth)
{
	sbuf_addc(sb, '\n');
	for (int k = 0; k < depth; k++)
		sbuf_adds(sb, "    ");
}

void gojson_cjson(struct sbuf *sb, const cJSON *j, bool indent, int depth, bool escape_html)
{
	const cJSON *c;
	int64_t iv;

	if (!j || cJSON_IsNull(j) || cJSON_IsInvalid(j)) {
		sbuf_adds(sb, "null");
	} else if (cJSON_IsFalse(j)) {
		sbuf_adds(sb, "false");
	} else if (cJSON_IsTrue(j)) {
		sbuf_adds(sb, "true");
	} else if (cJSON_IsNumber(j)) {
		if (json_number_is_int(j, &iv))
			sbuf_addf(sb, "%lld", (long long) iv);
		else
			gofmt_float_json(sb, j->valuedouble);
	} else if (cJSON_IsString(j)) {
		const char *s = j->valuestring ? j->valuestring : "";
		gojson_string(sb, s, strlen(s), escape_html);
	} else if (cJSON_IsRaw(j)) {
		sbuf_adds(sb, j->valuestring ? j->valuestring : "null");
	} else if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
		bool obj = cJSON_IsObject(j);
		sbuf_addc(sb, obj ? '{' : '[');
		for (c = j->child; c; c = c->next) {
			if (c != j->child)
				sbuf_addc(sb, ',');
			if (indent)
				json_newline(sb, depth + 1);
			if (obj) {
				const char *k = c->string ? c->string : "";
				gojson_string(sb, k, strlen(k), escape_html);
				sbuf_adds(sb, indent ? ": " : ":");
			}
			gojson_cjson(sb, c, indent, depth + 1, escape_html);
		}
		if (indent && j->child)
			json_newline(sb, depth);
		sbuf_addc(sb, obj ? '}' : ']');
	} else {
		sbuf_adds(sb, "null");
	}
}

void gojson_value(struct sbuf *sb, const struct tval *v)
{
	switch (v->kind) {
	case TV_INVALID:
	case TV_NIL:
		sbuf_adds(sb, "null");
		return;
	case TV_BOOL:
		sbuf_adds(sb, v->b ? "true" : "false");
		return;
	case TV_INT:
		sbuf_addf(sb, "%lld", (long long) v->i);
		return;
	case TV_FLOAT:
		gofmt_float_json(sb, v->f);
		return;
	case TV_STRING:
		gojson_string(sb, v->s, v->n, false);
		return;
	case TV_ARRAY:
	case TV_OBJECT:
		gojson_cjson(sb, v->j, false, 0, false);
		return;
	}
}
