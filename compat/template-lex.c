/* template-lex.c: the lexer for Go's text/template language.
 *
 * It cuts the text into the items Go's lexer produces (text, delimiters,
 * fields, variables, literals, keywords) with the same trim-marker and
 * comment rules, and with Go's messages for malformed input ("unclosed
 * action", "bad number syntax: ...").  The whole text is lexed up front;
 * an error item ends the stream, and the parser meets it where Go's would.
 */
#include "config.h"

#include <string.h>

#include "compat/template-int.h"

#define LEOF (-1)

static const char LDELIM[] = "{{";
static const char RDELIM[] = "}}";

static bool is_space(int32_t r)
{
	return r == ' ' || r == '\t' || r == '\r' || r == '\n';
}

static bool is_alnum(int32_t r)
{
	if (r == '_')
		return true;
	if (r < 0x80)
		return r >= 0 && ((r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'));
	return go_is_letter((uint32_t) r);
}

static int32_t lx_next(struct lexer *lx)
{
	uint32_t r;

	if (lx->pos >= lx->n) {
		lx->width = 0;
		return LEOF;
	}
	lx->width = utf8_decode(lx->in + lx->pos, lx->n - lx->pos, &r);
	lx->pos += (size_t) lx->width;
	return (int32_t) r;
}

static void lx_backup(struct lexer *lx)
{
	lx->pos -= (size_t) lx->width;
	lx->width = 0;
}

static int32_t lx_peek(struct lexer *lx)
{
	int32_t r = lx_next(lx);
	lx_backup(lx);
	return r;
}

/* The line of position `at` (>= every earlier call's). */
static int lx_line_at(struct lexer *lx, size_t at)
{
	for (; lx->line_mark < at && lx->line_mark < lx->n; lx->line_mark++)
		if (lx->in[lx->line_mark] == '\n')
			lx->start_line++;
	return lx->start_line;
}

static void lx_push(struct lexer *lx, enum itype type, size_t start, const char *val, size_t len)
{
	if (lx->nitems == lx->aitems) {
		lx->aitems = lx->aitems ? lx->aitems * 2 : 64;
		lx->items = xrealloc(lx->items, lx->aitems * sizeof(*lx->items));
	}
	lx->items[lx->nitems++] = (struct item){
		.type = type,
		.pos = (int) start,
		.line = lx_line_at(lx, start),
		.val = val,
		.len = len,
	};
}

static void lx_emit(struct lexer *lx, enum itype type)
{
	lx_push(lx, type, lx->start, lx->in + lx->start, lx->pos - lx->start);
	lx->start = lx->pos;
}

static void lx_ignore(struct lexer *lx)
{
	lx->start = lx->pos;
}

enum lstate { L_DONE, L_TEXT, L_LEFT_DELIM, L_INSIDE, L_SPACE, L_RIGHT_DELIM };

static enum lstate ATTR_PRINTF(2, 3) lx_errorf(struct lexer *lx, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	lx->msgs = xrealloc(lx->msgs, (lx->nmsgs + 1) * sizeof(char *));
	lx->msgs[lx->nmsgs++] = msg;
	lx_push(lx, I_ERROR, lx->start, msg, strlen(msg));
	return L_DONE;
}

/* fmt's %#U: U+0041 'A'. */
static char *fmt_rune_u(int32_t r)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_addf(&sb, "U+%04X", (unsigned) r);
	if (go_is_print((uint32_t) r)) {
		sbuf_adds(&sb, " '");
		utf8_encode(&sb, (uint32_t) r);
		sbuf_addc(&sb, '\'');
	}
	return sbuf_detach(&sb);
}

static bool has_left_trim(const char *s, size_t n)
{
	return n >= 2 && s[0] == '-' && is_space((unsigned char) s[1]);
}

static bool has_right_trim(const char *s, size_t n)
{
	return n >= 2 && is_space((unsigned char) s[0]) && s[1] == '-';
}

static bool has_prefix_n(const char *s, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix);
	return n >= pl && memcmp(s, prefix, pl) == 0;
}

static bool lx_at_right_delim(struct lexer *lx, bool *trim)
{
	const char *s = lx->in + lx->pos;
	size_t n = lx->n - lx->pos;

	if (has_right_trim(s, n) && has_prefix_n(s + 2, n - 2, RDELIM)) {
		*trim = true;
		return true;
	}
	*trim = false;
	return has_prefix_n(s, n, RDELIM);
}

static size_t right_trim_length(const char *s, size_t n)
{
	size_t k = n;
	while (k > 0 && is_space((unsigned char) s[k - 1]))
		k--;
	return n - k;
}

static size_t left_trim_length(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && is_space((unsigned char) s[k]))
		k++;
	return k;
}

static enum lstate lex_text(struct lexer *lx)
{
	const char *rest = lx->in + lx->pos;
	const char *x = memmem(rest, lx->n - lx->pos, LDELIM, 2);

	if (x) {
		size_t off = (size_t) (x - rest);
		if (off > 0) {
			size_t trim = 0;
			lx->pos += off;
			if (has_left_trim(lx->in + lx->pos + 2, lx->n - lx->pos - 2))
				trim = right_trim_length(lx->in + lx->start, lx->pos - lx->start);
			if (lx->pos - trim > lx->start)
				lx_push(lx, I_TEXT, lx->start, lx->in + lx->start, lx->pos - trim - lx->start);
			lx_ignore(lx);
		}
		return L_LEFT_DELIM;
	}
	lx->pos = lx->n;
	if (lx->pos > lx->start)
		lx_emit(lx, I_TEXT);
	lx_emit(lx, I_EOF);
	return L_DONE;
}

static enum lstate lex_comment(struct lexer *lx)
{
	const char *end;
	bool trim;

	lx->pos += 2; /* the opening slash-star */
	end = memmem(lx->in + lx->pos, lx->n - lx->pos, "*/", 2);
	if (!end)
		return lx_errorf(lx, "unclosed comment");
	lx->pos = (size_t) (end - lx->in) + 2;
	if (!lx_at_right_delim(lx, &trim))
		return lx_errorf(lx, "comment ends before closing delimiter");
	if (trim)
		lx->pos += 2;
	lx->pos += 2;
	if (trim)
		lx->pos += left_trim_length(lx->in + lx->pos, lx->n - lx->pos);
	lx_ignore(lx);
	return L_TEXT;
}

static enum lstate lex_left_delim(struct lexer *lx)
{
	size_t after;

	lx->pos += 2;
	after = has_left_trim(lx->in + lx->pos, lx->n - lx->pos) ? 2 : 0;
	if (has_prefix_n(lx->in + lx->pos + after, lx->n - lx->pos - after, "/*")) {
		lx->pos += after;
		lx_ignore(lx);
		return lex_comment(lx);
	}
	lx_emit(lx, I_LDELIM);
	lx->pos += after;
	lx_ignore(lx);
	lx->paren_depth = 0;
	return L_INSIDE;
}

static enum lstate lex_right_delim(struct lexer *lx)
{
	bool trim = has_right_trim(lx->in + lx->pos, lx->n - lx->pos);

	if (trim) {
		lx->pos += 2;
		lx_ignore(lx);
	}
	lx->pos += 2;
	lx_emit(lx, I_RDELIM);
	if (trim) {
		lx->pos += left_trim_length(lx->in + lx->pos, lx->n - lx->pos);
		lx_ignore(lx);
	}
	return L_TEXT;
}

static enum lstate lex_space(struct lexer *lx)
{
	int nspaces = 0;

	while (is_space(lx_peek(lx))) {
		lx_next(lx);
		nspaces++;
	}
	/* A space followed by "-}}" is a trim marker, not a separator. */
	if (has_right_trim(lx->in + lx->pos - 1, lx->n - lx->pos + 1) &&
	    has_prefix_n(lx->in + lx->pos + 1, lx->n - lx->pos - 1, RDELIM)) {
		lx->pos--;
		if (nspaces == 1)
			return L_RIGHT_DELIM;
	}
	lx_emit(lx, I_SPACE);
	return L_INSIDE;
}

static bool lx_at_terminator(struct lexer *lx)
{
	int32_t r = lx_peek(lx);

	if (is_space(r))
		return true;
	switch (r) {
	case LEOF:
	case '.':
	case ',':
	case '|':
	case ':':
	case ')':
	case '(':
		return true;
	}
	return has_prefix_n(lx->in + lx->pos, lx->n - lx->pos, RDELIM);
}

static enum lstate lex_field_or_variable(struct lexer *lx, enum itype type)
{
	int32_t r;

	if (lx_at_terminator(lx)) {
		lx_emit(lx, type == I_VARIABLE ? I_VARIABLE : I_DOT);
		return L_INSIDE;
	}
	for (;;) {
		r = lx_next(lx);
		if (!is_alnum(r)) {
			lx_backup(lx);
			break;
		}
	}
	if (!lx_at_terminator(lx)) {
		cleanup_free char *u = fmt_rune_u(r);
		return lx_errorf(lx, "bad character %s", u);
	}
	lx_emit(lx, type);
	return L_INSIDE;
}

static const struct {
	const char *word;
	enum itype type;
} keywords[] = {
	{ "block", I_BLOCK }, { "break", I_BREAK }, { "continue", I_CONTINUE },
	{ "define", I_DEFINE }, { "else", I_ELSE }, { "end", I_END }, { "if", I_IF },
	{ "range", I_RANGE }, { "nil", I_NIL }, { "template", I_TEMPLATE },
	{ "with", I_WITH },
};

static enum lstate lex_identifier(struct lexer *lx)
{
	int32_t r;
	const char *word;
	size_t len;

	for (;;) {
		r = lx_next(lx);
		if (!is_alnum(r))
			break;
	}
	lx_backup(lx);
	if (!lx_at_terminator(lx)) {
		cleanup_free char *u = fmt_rune_u(r);
		return lx_errorf(lx, "bad character %s", u);
	}
	word = lx->in + lx->start;
	len = lx->pos - lx->start;
	for (size_t k = 0; k < ARRAY_SIZE(keywords); k++) {
		if (strlen(keywords[k].word) == len && memcmp(keywords[k].word, word, len) == 0) {
			lx_emit(lx, keywords[k].type);
			return L_INSIDE;
		}
	}
	if ((len == 4 && memcmp(word, "true", 4) == 0) || (len == 5 && memcmp(word, "false", 5) == 0))
		lx_emit(lx, I_BOOL);
	else
		lx_emit(lx, I_IDENT);
	return L_INSIDE;
}

static bool lx_accept(struct lexer *lx, const char *valid)
{
	int32_t r = lx_next(lx);
	if (r != LEOF && r < 0x80 && strchr(valid, (int) r))
		return true;
	lx_backup(lx);
	return false;
}

static void lx_accept_run(struct lexer *lx, const char *valid)
{
	for (;;) {
		int32_t r = lx_next(lx);
		if (r == LEOF || r >= 0x80 || !strchr(valid, (int) r)) {
			lx_backup(lx);
			return;
		}
	}
}

static bool lx_scan_number(struct lexer *lx)
{
	const char *digits = "0123456789_";

	lx_accept(lx, "+-");
	if (lx_accept(lx, "0")) {
		if (lx_accept(lx, "xX"))
			digits = "0123456789abcdefABCDEF_";
		else if (lx_accept(lx, "oO"))
			digits = "01234567_";
		else if (lx_accept(lx, "bB"))
			digits = "01_";
	}
	lx_accept_run(lx, digits);
	if (lx_accept(lx, "."))
		lx_accept_run(lx, digits);
	if (strlen(digits) == 11 && lx_accept(lx, "eE")) {
		lx_accept(lx, "+-");
		lx_accept_run(lx, "0123456789_");
	}
	if (strlen(digits) == 23 && lx_accept(lx, "pP")) {
		lx_accept(lx, "+-");
		lx_accept_run(lx, "0123456789_");
	}
	lx_accept(lx, "i");
	if (is_alnum(lx_peek(lx))) {
		lx_next(lx);
		return false;
	}
	return true;
}

static enum lstate lex_number(struct lexer *lx)
{
	int32_t sign;

	if (!lx_scan_number(lx))
		goto bad;
	sign = lx_peek(lx);
	if (sign == '+' || sign == '-') {
		if (!lx_scan_number(lx) || lx->in[lx->pos - 1] != 'i')
			goto bad;
		lx_emit(lx, I_COMPLEX);
	} else {
		lx_emit(lx, I_NUMBER);
	}
	return L_INSIDE;
bad:;
	cleanup_free char *q = go_quote_str(lx->in + lx->start, lx->pos - lx->start);
	return lx_errorf(lx, "bad number syntax: %s", q);
}

static enum lstate lex_quote(struct lexer *lx, int32_t quote, enum itype type, const char *what)
{
	for (;;) {
		int32_t r = lx_next(lx);
		if (r == '\\') {
			r = lx_next(lx);
			if (r != LEOF && r != '\n')
				continue;
		}
		if (r == LEOF || r == '\n')
			return lx_errorf(lx, "unterminated %s", what);
		if (r == quote)
			break;
	}
	lx_emit(lx, type);
	return L_INSIDE;
}

static enum lstate lex_raw_quote(struct lexer *lx)
{
	for (;;) {
		int32_t r = lx_next(lx);
		if (r == LEOF)
			return lx_errorf(lx, "unterminated raw quoted string");
		if (r == '`')
			break;
	}
	lx_emit(lx, I_RAWSTRING);
	return L_INSIDE;
}

static enum lstate lex_inside(struct lexer *lx)
{
	bool trim;
	int32_t r;

	if (lx_at_right_delim(lx, &trim)) {
		if (lx->paren_depth == 0)
			return L_RIGHT_DELIM;
		return lx_errorf(lx, "unclosed left paren");
	}
	r = lx_next(lx);
	if (r == LEOF)
		return lx_errorf(lx, "unclosed action");
	if (is_space(r)) {
		lx_backup(lx);
		return L_SPACE;
	}
	switch (r) {
	case '=':
		lx_emit(lx, I_ASSIGN);
		return L_INSIDE;
	case ':':
		if (lx_next(lx) != '=')
			return lx_errorf(lx, "expected :=");
		lx_emit(lx, I_DECLARE);
		return L_INSIDE;
	case '|':
		lx_emit(lx, I_PIPE);
		return L_INSIDE;
	case '"':
		return lex_quote(lx, '"', I_STRING, "quoted string");
	case '`':
		return lex_raw_quote(lx);
	case '$':
		return lex_field_or_variable(lx, I_VARIABLE);
	case '\'':
		return lex_quote(lx, '\'', I_CHARCONST, "character constant");
	case '(':
		lx_emit(lx, I_LPAREN);
		lx->paren_depth++;
		return L_INSIDE;
	case ')':
		lx_emit(lx, I_RPAREN);
		lx->paren_depth--;
		if (lx->paren_depth < 0)
			return lx_errorf(lx, "unexpected right paren U+0029 ')'");
		return L_INSIDE;
	case '.':
		/* ".field", or a number such as .5 */
		if (lx->pos < lx->n) {
			char c = lx->in[lx->pos];
			if (c < '0' || c > '9')
				return lex_field_or_variable(lx, I_FIELD);
		}
		lx_backup(lx);
		return lex_number(lx);
	}
	if (r == '+' || r == '-' || (r >= '0' && r <= '9')) {
		lx_backup(lx);
		return lex_number(lx);
	}
	if (is_alnum(r)) {
		lx_backup(lx);
		return lex_identifier(lx);
	}
	if (r < 0x80 && r >= 0x20 && r != 0x7f) {
		lx_emit(lx, I_CHAR);
		return L_INSIDE;
	}
	cleanup_free char *u = fmt_rune_u(r);
	return lx_errorf(lx, "unrecognized character in action: %s", u);
}

void lex_all(struct lexer *lx)
{
	enum lstate st = L_TEXT;

	lx->start_line = 1;
	while (st != L_DONE) {
		switch (st) {
		case L_TEXT:
			st = lex_text(lx);
			break;
		case L_LEFT_DELIM:
			st = lex_left_delim(lx);
			break;
		case L_INSIDE:
			st = lex_inside(lx);
			break;
		case L_SPACE:
			st = lex_space(lx);
			break;
		case L_RIGHT_DELIM:
			st = lex_right_delim(lx);
			break;
		case L_DONE:
			break;
		}
	}
}

void lexer_release(struct lexer *lx)
{
	for (size_t k = 0; k < lx->nmsgs; k++)
		free(lx->msgs[k]);
	free(lx->msgs);
	free(lx->items);
}
