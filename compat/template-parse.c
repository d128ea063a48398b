/* template-parse.c: the parser for Go's text/template language.
 *
 * The structure follows Go's text/template/parse closely on purpose: error
 * messages quote the offending token and name the line the way Go does
 * (`template: :1: unexpected "}" in operand`), and scripts compare them.
 * Errors do not unwind with longjmp: every function checks p->err after a
 * call that can fail, and every node is owned by the template from the
 * moment it is created, so a failed parse frees cleanly.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "compat/template-int.h"

/* --------------------------------------------------------------- parser */

/* Per named template: Go parses each {{define}} and {{block}} body as a
 * tree of its own, with its own look-ahead, variables and range depth. */
struct ptree {
	struct item token[3];
	int peek_count;
	struct item *vars; /* names in scope: the items that declared them */
	size_t nvars, avars;
	int range_depth;
	int action_line;
};

struct parser {
	struct tmpl *t;
	struct lexer lx;
	size_t next_item;
	struct ptree *pt;
	int depth;
	char *err;
};

static struct item eof_item = { .type = I_EOF, .val = "", .len = 0 };

static struct item lex_next_item(struct parser *p)
{
	if (p->next_item < p->lx.nitems)
		return p->lx.items[p->next_item++];
	/* Past the end (the parser stops at EOF or an error item first). */
	return eof_item;
}

static struct item p_next(struct parser *p)
{
	struct ptree *t = p->pt;
	if (t->peek_count > 0)
		t->peek_count--;
	else
		t->token[0] = lex_next_item(p);
	return t->token[t->peek_count];
}

static void p_backup(struct parser *p)
{
	p->pt->peek_count++;
}

static void p_backup2(struct parser *p, struct item t1)
{
	p->pt->token[1] = t1;
	p->pt->peek_count = 2;
}

static void p_backup3(struct parser *p, struct item t2, struct item t1)
{
	p->pt->token[1] = t1;
	p->pt->token[2] = t2;
	p->pt->peek_count = 3;
}

static struct item p_peek(struct parser *p)
{
	struct ptree *t = p->pt;
	if (t->peek_count > 0)
		return t->token[t->peek_count - 1];
	t->peek_count = 1;
	t->token[0] = lex_next_item(p);
	return t->token[0];
}

static struct item p_next_non_space(struct parser *p)
{
	struct item it;
	do
		it = p_next(p);
	while (it.type == I_SPACE);
	return it;
}

static struct item p_peek_non_space(struct parser *p)
{
	struct item it = p_next_non_space(p);
	p_backup(p);
	return it;
}

static void *ATTR_PRINTF(2, 3) p_errorf(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->err)
		return NULL;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	p->err = xasprintf("template: :%d: %s", p->pt->token[0].line, msg);
	free(msg);
	return NULL;
}

/* Go's item.String(). */
static char *item_string(const struct item *it)
{
	if (it->type == I_EOF)
		return xstrdup("EOF");
	if (it->type == I_ERROR)
		return xstrndup(it->val, it->len);
	if (it->type > I_KEYWORD_)
		return xasprintf("<%.*s>", (int) it->len, it->val);
	if (utf8_count(it->val, it->len) > 10) {
		/* %.10q: the first ten runes, quoted, then "..." */
		size_t k = 0;
		uint32_t r;
		for (int runes = 0; runes < 10; runes++)
			k += (size_t) utf8_decode(it->val + k, it->len - k, &r);
		struct sbuf sb = SBUF_INIT;
		gofmt_quote(&sb, it->val, k, false);
		sbuf_adds(&sb, "...");
		return sbuf_detach(&sb);
	}
	return go_quote_str(it->val, it->len);
}

static void *p_unexpected(struct parser *p, const struct item *it, const char *context)
{
	cleanup_free char *s = item_string(it);

	if (it->type == I_ERROR) {
		int al = p->pt->action_line;
		if (al != 0 && al != it->line) {
			/* "unclosed action started at :1", not "action in action" */
			size_t n = strlen(s);
			if (n >= 7 && strcmp(s + n - 7, " action") == 0)
				return p_errorf(p, "%s started at :%d", s, al);
			return p_errorf(p, "%s in action started at :%d", s, al);
		}
		return p_errorf(p, "%s", s);
	}
	return p_errorf(p, "unexpected %s in %s", s, context);
}

static struct tnode *new_node(struct parser *p, enum tnode_type type, int pos)
{
	struct tmpl *t = p->t;
	struct tnode *n = xcalloc(1, sizeof(*n));

	n->type = type;
	n->pos = pos;
	if (t->nnodes == t->anodes) {
		t->anodes = t->anodes ? t->anodes * 2 : 32;
		t->nodes = xrealloc(t->nodes, t->anodes * sizeof(*t->nodes));
	}
	t->nodes[t->nnodes++] = n;
	return n;
}

static void node_push(struct tnode ***arr, size_t *n, struct tnode *kid)
{
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[(*n)++] = kid;
}

static void ident_push(struct tnode *n, const char *s, size_t len)
{
	n->ident = xrealloc(n->ident, (n->nident + 1) * sizeof(char *));
	n->ident[n->nident++] = xstrndup(s, len);
}

/* Split "a.b.c" (already without a leading dot for fields) into idents. */
static void ident_split(struct tnode *n, const char *s, size_t len)
{
	size_t k = 0;
	for (;;) {
		const char *dot = memchr(s + k, '.', len - k);
		size_t end = dot ? (size_t) (dot - s) : len;
		ident_push(n, s + k, end - k);
		if (!dot)
			break;
		k = end + 1;
	}
}

/* strconv.UnquoteChar: one character of a quoted literal. */
static int unquote_char(const char *s, size_t n, char quote, uint32_t *r, bool *multibyte, size_t *used)
{
	unsigned char c = (unsigned char) s[0];

	*multibyte = false;
	if (c == (unsigned char) quote && (quote == '\'' || quote == '"'))
		return -1;
	if (c >= 0x80) {
		*used = (size_t) utf8_decode(s, n, r);
		*multibyte = true;
		return 0;
	}
	if (c != '\\') {
		*r = c;
		*used = 1;
		return 0;
	}
	if (n <= 1)
		return -1;
	c = (unsigned char) s[1];
	*used = 2;
	switch (c) {
	case 'a': *r = 7; return 0;
	case 'b': *r = 8; return 0;
	case 'f': *r = 12; return 0;
	case 'n': *r = 10; return 0;
	case 'r': *r = 13; return 0;
	case 't': *r = 9; return 0;
	case 'v': *r = 11; return 0;
	case '\\': *r = '\\'; return 0;
	case '\'':
	case '"':
		if (c != (unsigned char) quote)
			return -1;
		*r = c;
		return 0;
	case 'x':
	case 'u':
	case 'U': {
		size_t len = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		uint32_t v = 0;
		if (n < 2 + len)
			return -1;
		for (size_t k = 0; k < len; k++) {
			char h = s[2 + k];
			int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
			if (d < 0)
				return -1;
			v = v * 16 + (uint32_t) d;
		}
		*used = 2 + len;
		if (c == 'x') {
			*r = v; /* a single byte */
			return 0;
		}
		if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
			return -1;
		*r = v;
		*multibyte = true;
		return 0;
	}
	case '0': case '1': case '2': case '3':
	case '4': case '5': case '6': case '7': {
		uint32_t v = 0;
		if (n < 4)
			return -1;
		for (size_t k = 0; k < 3; k++) {
			char o = s[1 + k];
			if (o < '0' || o > '7')
				return -1;
			v = v * 8 + (uint32_t) (o - '0');
		}
		if (v > 255)
			return -1;
		*used = 4;
		*r = v;
		return 0;
	}
	}
	return -1;
}

/* strconv.Unquote of a "..." or `...` literal. */
static int unquote(const char *s, size_t n, struct sbuf *out)
{
	if (n < 2 || s[n - 1] != s[0])
		return -1;
	if (s[0] == '`') {
		for (size_t k = 1; k < n - 1; k++) {
			if (s[k] == '`')
				return -1;
			if (s[k] != '\r') /* raw strings drop carriage returns */
				sbuf_addc(out, s[k]);
		}
		return 0;
	}
	if (s[0] != '"')
		return -1;
	sbuf_add(out, "", 0);
	for (size_t k = 1; k < n - 1;) {
		uint32_t r;
		bool mb;
		size_t used;
		if (s[k] == '\n' || unquote_char(s + k, n - 1 - k, '"', &r, &mb, &used) < 0)
			return -1;
		if (r < 0x80 || !mb)
			sbuf_addc(out, (char) r);
		else
			utf8_encode(out, r);
		k += used;
	}
	return 0;
}

/* Go's underscoreOK: underscores only between digits (or after a prefix). */
static bool underscore_ok(const char *s)
{
	char saw = '^';
	size_t i = 0;
	bool hex = false;

	if (*s == '+' || *s == '-')
		s++;
	if (s[0] == '0' && s[1] && strchr("bBoOxX", s[1])) {
		i = 2;
		saw = '0';
		hex = s[1] == 'x' || s[1] == 'X';
	}
	for (; s[i]; i++) {
		char c = s[i];
		if ((c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))) {
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

/* strconv.ParseUint/ParseInt with base 0 (sign handled by the caller). */
static bool parse_go_uint(const char *s, uint64_t *out)
{
	int base = 10;
	uint64_t v = 0;
	bool any = false;

	if (!underscore_ok(s))
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) {
		base = 8;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s += 1;
		any = true;
	}
	for (; *s; s++) {
		int d;
		if (*s == '_')
			continue;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'z')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'Z')
			d = *s - 'A' + 10;
		else
			return false;
		if (d >= base)
			return false;
		if (v > (UINT64_MAX - (uint64_t) d) / (uint64_t) base)
			return false;
		v = v * (uint64_t) base + (uint64_t) d;
		any = true;
	}
	*out = v;
	return any;
}

static int parse_number(struct parser *p, struct tnode *n, const char *text, size_t len, enum itype type)
{
	cleanup_free char *s = xstrndup(text, len);
	uint64_t u = 0;
	bool neg = false;
	const char *digits = s;

	n->src = xstrdup(s);
	if (type == I_CHARCONST) {
		uint32_t r;
		bool mb;
		size_t used;
		if (len < 2 || unquote_char(s + 1, len - 1, '\'', &r, &mb, &used) < 0) {
			p_errorf(p, "invalid syntax");
			return -1;
		}
		if (1 + used != len - 1 || s[len - 1] != '\'') {
			p_errorf(p, "malformed character constant: %s", s);
			return -1;
		}
		n->is_int = n->is_uint = n->is_float = true;
		n->i = r;
		n->f = r;
		return 0;
	}
	if (type == I_COMPLEX || (len > 0 && s[len - 1] == 'i')) {
		/* Go has complex constants; robbe's templates do not. */
		cleanup_free char *q = go_quote_str(text, len);
		p_errorf(p, "illegal number syntax: %s", q);
		return -1;
	}
	if (*digits == '+' || *digits == '-') {
		neg = *digits == '-';
		digits++;
	}
	if (parse_go_uint(digits, &u)) {
		if (!neg && s[0] != '+')
			n->is_uint = true;
		if (neg ? u <= (uint64_t) INT64_MAX + 1 : u <= (uint64_t) INT64_MAX) {
			n->is_int = true;
			n->i = neg ? (int64_t) (0 - u) : (int64_t) u;
			if (n->i == 0)
				n->is_uint = true;
		}
	}
	if (n->is_int) {
		n->is_float = true;
		n->f = (double) n->i;
	} else if (n->is_uint) {
		n->is_float = true;
		n->f = (double) u;
	} else if (underscore_ok(s)) {
		/* A float: decimal, or hexadecimal with a 'p' exponent. */
		struct sbuf clean = SBUF_INIT;
		char *end;
		double f;
		bool hex = (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'));
		bool ok = true;
		for (const char *c = s; *c; c++)
			if (*c != '_')
				sbuf_addc(&clean, *c);
		if (hex && !strpbrk(digits, "pP"))
			ok = false;
		if (!hex && strpbrk(digits, "xXoObB"))
			ok = false;
		errno = 0;
		f = ok ? strtod(sbuf_str(&clean), &end) : 0;
		if (ok && *end == '\0' && !(errno == ERANGE && isinf(f))) {
			if (!strpbrk(s, ".eEpP")) {
				cleanup_free char *q = go_quote_str(text, len);
				sbuf_release(&clean);
				p_errorf(p, "integer overflow: %s", q);
				return -1;
			}
			n->is_float = true;
			n->f = f;
			if (f >= -9223372036854775808.0 && f < 9223372036854775808.0 && (double) (int64_t) f == f) {
				n->is_int = true;
				n->i = (int64_t) f;
			}
			if (f >= 0 && f < 18446744073709551616.0 && (double) (uint64_t) f == f)
				n->is_uint = true;
		}
		sbuf_release(&clean);
	}
	if (!n->is_int && !n->is_uint && !n->is_float) {
		cleanup_free char *q = go_quote_str(text, len);
		p_errorf(p, "illegal number syntax: %s", q);
		return -1;
	}
	return 0;
}

static struct tnode *parse_pipeline(struct parser *p, const char *context, enum itype end);
static struct tnode *parse_item_list(struct parser *p, struct tnode **next);
static struct tnode *parse_text_or_action(struct parser *p);

static bool var_in_scope(struct parser *p, const char *name, size_t len)
{
	for (size_t k = p->pt->nvars; k-- > 0;)
		if (p->pt->vars[k].len == len && memcmp(p->pt->vars[k].val, name, len) == 0)
			return true;
	return false;
}

static void var_push(struct parser *p, const struct item *it)
{
	struct ptree *t = p->pt;
	if (t->nvars == t->avars) {
		t->avars = t->avars ? t->avars * 2 : 8;
		t->vars = xrealloc(t->vars, t->avars * sizeof(*t->vars));
	}
	t->vars[t->nvars++] = *it;
}

static struct tnode *new_variable(struct parser *p, int pos, const char *s, size_t len)
{
	struct tnode *v = new_node(p, N_VARIABLE, pos);
	ident_split(v, s, len);
	return v;
}

static struct tnode *parse_term(struct parser *p)
{
	struct item tok = p_next_non_space(p);
	struct tnode *n;

	switch (tok.type) {
	case I_IDENT: {
		cleanup_free char *name = xstrndup(tok.val, tok.len);
		int id = tmpl_func_lookup(name);
		if (id < 0) {
			p_errorf(p, "function \"%s\" not defined", name);
			return NULL;
		}
		n = new_node(p, N_IDENT, tok.pos);
		n->i = id;
		n->str = steal_pointer(&name);
		n->len = tok.len;
		return n;
	}
	case I_DOT:
		return new_node(p, N_DOT, tok.pos);
	case I_NIL:
		return new_node(p, N_NIL, tok.pos);
	case I_VARIABLE: {
		/* Only the name, before any field. */
		n = new_variable(p, tok.pos, tok.val, tok.len);
		if (!var_in_scope(p, n->ident[0], strlen(n->ident[0])))
			return p_errorf(p, "undefined variable \"%s\"", n->ident[0]);
		return n;
	}
	case I_FIELD:
		n = new_node(p, N_FIELD, tok.pos);
		ident_split(n, tok.val + 1, tok.len - 1);
		return n;
	case I_BOOL:
		n = new_node(p, N_BOOL, tok.pos);
		n->b = tok.len == 4;
		return n;
	case I_CHARCONST:
	case I_COMPLEX:
	case I_NUMBER:
		n = new_node(p, N_NUMBER, tok.pos);
		if (parse_number(p, n, tok.val, tok.len, tok.type) < 0)
			return NULL;
		return n;
	case I_LPAREN:
		if (p->depth >= TMPL_MAX_PARSE_DEPTH)
			return p_errorf(p, "max expression depth exceeded");
		p->depth++;
		n = parse_pipeline(p, "parenthesized pipeline", I_RPAREN);
		p->depth--;
		return n;
	case I_STRING:
	case I_RAWSTRING: {
		struct sbuf sb = SBUF_INIT;
		if (unquote(tok.val, tok.len, &sb) < 0) {
			sbuf_release(&sb);
			return p_errorf(p, "invalid syntax");
		}
		n = new_node(p, N_STRING, tok.pos);
		n->len = sb.len;
		n->str = sbuf_detach(&sb);
		n->src = xstrndup(tok.val, tok.len);
		return n;
	}
	default:
		p_backup(p);
		return NULL;
	}
}

static struct tnode *parse_operand(struct parser *p)
{
	struct tnode *node = parse_term(p);
	struct tnode *chain;

	if (!node || p->err)
		return NULL;
	if (p_peek(p).type != I_FIELD)
		return node;
	chain = new_node(p, N_CHAIN, p_peek(p).pos);
	chain->node = node;
	while (p_peek(p).type == I_FIELD) {
		struct item f = p_next(p);
		ident_push(chain, f.val + 1, f.len - 1);
	}
	switch (node->type) {
	case N_FIELD:
		/* .A.B: one field node, as Go folds it */
		for (size_t k = 0; k < chain->nident; k++)
			ident_push(node, chain->ident[k], strlen(chain->ident[k]));
		node->pos = chain->pos;
		return node;
	case N_VARIABLE:
		for (size_t k = 0; k < chain->nident; k++)
			ident_push(node, chain->ident[k], strlen(chain->ident[k]));
		node->pos = chain->pos;
		return node;
	case N_BOOL:
	case N_STRING:
	case N_NUMBER:
	case N_NIL:
	case N_DOT: {
		struct sbuf sb = SBUF_INIT;
		cleanup_free char *s = NULL;
		cleanup_free char *q = NULL;
		tnode_string(&sb, node);
		s = sbuf_detach(&sb);
		q = go_quote_str(s, strlen(s));
		return p_errorf(p, "unexpected . after term %s", q);
	}
	default:
		return chain;
	}
}

static struct tnode *parse_command(struct parser *p)
{
	struct tnode *cmd = new_node(p, N_COMMAND, p_peek_non_space(p).pos);

	for (;;) {
		struct tnode *operand;
		struct item tok;

		p_peek_non_space(p);
		operand = parse_operand(p);
		if (p->err)
			return NULL;
		if (operand)
			node_push(&cmd->kids, &cmd->nkids, operand);
		tok = p_next(p);
		if (tok.type == I_SPACE)
			continue;
		if (tok.type == I_RDELIM || tok.type == I_RPAREN)
			p_backup(p);
		else if (tok.type != I_PIPE)
			return p_unexpected(p, &tok, "operand");
		break;
	}
	if (cmd->nkids == 0)
		return p_errorf(p, "empty command");
	return cmd;
}

static void *check_pipeline(struct parser *p, struct tnode *pipe, const char *context)
{
	if (pipe->nkids == 0)
		return p_errorf(p, "missing value for %s", context);
	for (size_t k = 1; k < pipe->nkids; k++) {
		switch (pipe->kids[k]->kids[0]->type) {
		case N_BOOL:
		case N_DOT:
		case N_NIL:
		case N_NUMBER:
		case N_STRING:
			return p_errorf(p, "non executable command in pipeline stage %zu", k + 1);
		default:
			break;
		}
	}
	return pipe;
}

static struct tnode *parse_pipeline(struct parser *p, const char *context, enum itype end)
{
	struct item tok = p_peek_non_space(p);
	struct tnode *pipe = new_node(p, N_PIPE, tok.pos);
	bool is_range = strcmp(context, "range") == 0;

	pipe->line = tok.line;
	for (;;) {
		struct item v = p_peek_non_space(p);
		struct item after, next;

		if (v.type != I_VARIABLE)
			break;
		p_next(p);
		/* "$x foo" is an argument; "$x :=" a declaration: look two
		 * tokens ahead, remembering the space to push it back. */
		after = p_peek(p);
		next = p_peek_non_space(p);
		if (next.type == I_ASSIGN || next.type == I_DECLARE) {
			pipe->is_assign = next.type == I_ASSIGN;
			p_next_non_space(p);
			node_push(&pipe->decl, &pipe->ndecl, new_variable(p, v.pos, v.val, v.len));
			var_push(p, &v);
			break;
		}
		if (next.type == I_CHAR && next.len == 1 && next.val[0] == ',') {
			p_next_non_space(p);
			node_push(&pipe->decl, &pipe->ndecl, new_variable(p, v.pos, v.val, v.len));
			var_push(p, &v);
			if (is_range && pipe->ndecl < 2) {
				enum itype t = p_peek_non_space(p).type;
				if (t == I_VARIABLE || t == I_RDELIM || t == I_RPAREN)
					continue; /* the second variable of a range */
				return p_errorf(p, "range can only initialize variables");
			}
			return p_errorf(p, "too many declarations in %s", context);
		}
		if (after.type == I_SPACE)
			p_backup3(p, v, after);
		else
			p_backup2(p, v);
		break;
	}
	for (;;) {
		tok = p_next_non_space(p);
		if (tok.type == end)
			return check_pipeline(p, pipe, context);
		switch (tok.type) {
		case I_BOOL:
		case I_CHARCONST:
		case I_COMPLEX:
		case I_DOT:
		case I_FIELD:
		case I_IDENT:
		case I_NUMBER:
		case I_NIL:
		case I_RAWSTRING:
		case I_STRING:
		case I_VARIABLE:
		case I_LPAREN: {
			struct tnode *cmd;
			p_backup(p);
			cmd = parse_command(p);
			if (!cmd)
				return NULL;
			node_push(&pipe->kids, &pipe->nkids, cmd);
			break;
		}
		default:
			return p_unexpected(p, &tok, context);
		}
	}
}

static struct tnode *parse_control(struct parser *p, const char *context, enum tnode_type type);

static struct tnode *parse_if(struct parser *p)
{
	return parse_control(p, "if", N_IF);
}

static struct tnode *parse_with(struct parser *p)
{
	return parse_control(p, "with", N_WITH);
}

static struct tnode *parse_control(struct parser *p, const char *context, enum tnode_type type)
{
	size_t saved_vars = p->pt->nvars;
	struct tnode *pipe, *list, *next = NULL, *else_list = NULL, *n;
	bool is_range = type == N_RANGE;

	if (p->depth >= TMPL_MAX_PARSE_DEPTH)
		return p_errorf(p, "max expression depth exceeded");
	p->depth++;
	pipe = parse_pipeline(p, context, I_RDELIM);
	if (!pipe)
		goto fail;
	if (is_range)
		p->pt->range_depth++;
	list = parse_item_list(p, &next);
	if (is_range)
		p->pt->range_depth--;
	if (!list)
		goto fail;
	if (next->type == N_ELSE) {
		/* {{else if}} and {{else with}} are {{else}}{{if}}...{{end}}{{end}}
		 * with the inner {{end}} standing for both. */
		if (type == N_IF && p_peek(p).type == I_IF) {
			p_next(p);
			else_list = new_node(p, N_LIST, next->pos);
			n = parse_if(p);
			if (!n)
				goto fail;
			node_push(&else_list->kids, &else_list->nkids, n);
		} else if (type == N_WITH && p_peek(p).type == I_WITH) {
			p_next(p);
			else_list = new_node(p, N_LIST, next->pos);
			n = parse_with(p);
			if (!n)
				goto fail;
			node_push(&else_list->kids, &else_list->nkids, n);
		} else {
			else_list = parse_item_list(p, &next);
			if (!else_list)
				goto fail;
			if (next->type != N_END) {
				struct sbuf sb = SBUF_INIT;
				tnode_string(&sb, next);
				p_errorf(p, "expected end; found %s", sbuf_str(&sb));
				sbuf_release(&sb);
				goto fail;
			}
		}
	}
	p->depth--;
	p->pt->nvars = saved_vars;
	n = new_node(p, type, pipe->pos);
	n->line = pipe->line;
	n->pipe = pipe;
	n->list = list;
	n->else_list = else_list;
	return n;
fail:
	p->depth--;
	p->pt->nvars = saved_vars;
	return NULL;
}

static struct tnode *parse_end(struct parser *p)
{
	struct item tok = p_next_non_space(p);
	if (tok.type != I_RDELIM)
		return p_unexpected(p, &tok, "end");
	return new_node(p, N_END, tok.pos);
}

static struct tnode *parse_else(struct parser *p)
{
	struct item peek = p_peek_non_space(p), tok;

	if (peek.type == I_IF || peek.type == I_WITH)
		return new_node(p, N_ELSE, peek.pos);
	tok = p_next_non_space(p);
	if (tok.type != I_RDELIM)
		return p_unexpected(p, &tok, "else");
	return new_node(p, N_ELSE, tok.pos);
}

static struct tnode *parse_break_continue(struct parser *p, struct item kw)
{
	bool brk = kw.type == I_BREAK;
	struct item tok = p_next_non_space(p);

	if (tok.type != I_RDELIM)
		return p_unexpected(p, &tok, brk ? "{{break}}" : "{{continue}}");
	if (p->pt->range_depth == 0)
		return p_errorf(p, brk ? "{{break}} outside {{range}}" : "{{continue}} outside {{range}}");
	return new_node(p, brk ? N_BREAK : N_CONTINUE, kw.pos);
}

static char *parse_template_name(struct parser *p, const struct item *tok, const char *context)
{
	struct sbuf sb = SBUF_INIT;

	if (tok->type != I_STRING && tok->type != I_RAWSTRING) {
		p_unexpected(p, tok, context);
		return NULL;
	}
	if (unquote(tok->val, tok->len, &sb) < 0) {
		sbuf_release(&sb);
		p_errorf(p, "invalid syntax");
		return NULL;
	}
	return sbuf_detach(&sb);
}

static bool is_empty_tree(const struct tnode *n)
{
	if (!n)
		return true;
	switch (n->type) {
	case N_COMMENT:
		return true;
	case N_LIST:
		for (size_t k = 0; k < n->nkids; k++)
			if (!is_empty_tree(n->kids[k]))
				return false;
		return true;
	case N_TEXT:
		for (size_t k = 0; k < n->len; k++)
			if (!strchr(" \t\r\n\v\f", n->str[k]))
				return false;
		return true;
	default:
		return false;
	}
}

/* Register a named template; a second non-empty definition is an error. */
static int tree_add(struct parser *p, const char *name, struct tnode *root)
{
	struct tmpl *t = p->t;

	for (size_t k = 0; k < t->ntrees; k++) {
		if (strcmp(t->trees[k].name, name) != 0)
			continue;
		if (is_empty_tree(t->trees[k].root)) {
			t->trees[k].root = root;
			return 0;
		}
		if (!is_empty_tree(root)) {
			cleanup_free char *q = go_quote_str(name, strlen(name));
			p_errorf(p, "template: multiple definition of template %s", q);
			return -1;
		}
		return 0;
	}
	t->trees = xrealloc(t->trees, (t->ntrees + 1) * sizeof(*t->trees));
	t->trees[t->ntrees].name = xstrdup(name);
	t->trees[t->ntrees].root = root;
	t->ntrees++;
	return 0;
}

/* The body of {{define}} or {{block}}, parsed as a tree of its own. */
static int parse_sub_tree(struct parser *p, const char *name, const char *context)
{
	struct ptree sub = { .peek_count = 0 };
	struct ptree *outer = p->pt;
	struct item dollar = { .type = I_VARIABLE, .val = "$", .len = 1 };
	struct tnode *root, *end = NULL;
	int r = -1;

	p->pt = &sub;
	var_push(p, &dollar);
	root = parse_item_list(p, &end);
	if (root) {
		if (end->type != N_END) {
			struct sbuf sb = SBUF_INIT;
			tnode_string(&sb, end);
			/* Go reports this one against the outer tree. */
			p->pt = outer;
			p_errorf(p, "unexpected %s in %s", sbuf_str(&sb), context);
			sbuf_release(&sb);
		} else {
			r = tree_add(p, name, root);
		}
	}
	p->pt = outer;
	free(sub.vars);
	return p->err ? -1 : r;
}

static struct tnode *parse_block(struct parser *p)
{
	const char *context = "block clause";
	struct item tok = p_next_non_space(p);
	cleanup_free char *name = parse_template_name(p, &tok, context);
	struct tnode *pipe, *n;

	if (!name)
		return NULL;
	pipe = parse_pipeline(p, context, I_RDELIM);
	if (!pipe)
		return NULL;
	if (parse_sub_tree(p, name, context) < 0)
		return NULL;
	n = new_node(p, N_TEMPLATE, tok.pos);
	n->str = steal_pointer(&name);
	n->pipe = pipe;
	return n;
}

static struct tnode *parse_template(struct parser *p)
{
	const char *context = "template clause";
	struct item tok = p_next_non_space(p);
	cleanup_free char *name = parse_template_name(p, &tok, context);
	struct tnode *pipe = NULL, *n;

	if (!name)
		return NULL;
	if (p_next_non_space(p).type != I_RDELIM) {
		p_backup(p);
		pipe = parse_pipeline(p, context, I_RDELIM);
		if (!pipe)
			return NULL;
	}
	n = new_node(p, N_TEMPLATE, tok.pos);
	n->str = steal_pointer(&name);
	n->pipe = pipe;
	return n;
}

static struct tnode *parse_action(struct parser *p)
{
	struct item tok = p_next_non_space(p);
	struct tnode *n;

	switch (tok.type) {
	case I_BLOCK:
		return parse_block(p);
	case I_BREAK:
	case I_CONTINUE:
		return parse_break_continue(p, tok);
	case I_ELSE:
		return parse_else(p);
	case I_END:
		return parse_end(p);
	case I_IF:
		return parse_if(p);
	case I_RANGE:
		return parse_control(p, "range", N_RANGE);
	case I_TEMPLATE:
		return parse_template(p);
	case I_WITH:
		return parse_with(p);
	default:
		break;
	}
	p_backup(p);
	tok = p_peek(p);
	n = new_node(p, N_ACTION, tok.pos);
	n->line = tok.line;
	/* Variables declared here stay in scope until the enclosing {{end}}. */
	n->pipe = parse_pipeline(p, "command", I_RDELIM);
	return n->pipe ? n : NULL;
}

static struct tnode *parse_text_or_action(struct parser *p)
{
	struct item tok = p_next_non_space(p);
	struct tnode *n;

	switch (tok.type) {
	case I_TEXT:
		n = new_node(p, N_TEXT, tok.pos);
		n->str = xstrndup(tok.val, tok.len);
		n->len = tok.len;
		return n;
	case I_LDELIM: {
		p->pt->action_line = tok.line;
		n = parse_action(p);
		p->pt->action_line = 0;
		return n;
	}
	default:
		return p_unexpected(p, &tok, "input");
	}
}

static struct tnode *parse_item_list(struct parser *p, struct tnode **next)
{
	struct tnode *list = new_node(p, N_LIST, p_peek_non_space(p).pos);

	while (p_peek_non_space(p).type != I_EOF) {
		struct tnode *n = parse_text_or_action(p);
		if (!n)
			return NULL;
		if (n->type == N_END || n->type == N_ELSE) {
			*next = n;
			return list;
		}
		node_push(&list->kids, &list->nkids, n);
	}
	return p_errorf(p, "unexpected EOF");
}

static int parse_definition(struct parser *p)
{
	const char *context = "define clause";
	struct item tok;
	struct ptree sub = { .peek_count = 0 };
	struct ptree *outer = p->pt;
	struct item dollar = { .type = I_VARIABLE, .val = "$", .len = 1 };
	cleanup_free char *name = NULL;
	struct tnode *root, *end = NULL;
	int r = -1;

	/* Go starts the definition's own tree before reading its name. */
	p->pt = &sub;
	var_push(p, &dollar);
	tok = p_next_non_space(p);
	name = parse_template_name(p, &tok, context);
	if (!name)
		goto out;
	tok = p_next_non_space(p);
	if (tok.type != I_RDELIM) {
		p_unexpected(p, &tok, context);
		goto out;
	}
	root = parse_item_list(p, &end);
	if (!root)
		goto out;
	if (end->type != N_END) {
		struct sbuf sb = SBUF_INIT;
		tnode_string(&sb, end);
		p_errorf(p, "unexpected %s in %s", sbuf_str(&sb), context);
		sbuf_release(&sb);
		goto out;
	}
	r = tree_add(p, name, root);
out:
	p->pt = outer;
	free(sub.vars);
	return p->err ? -1 : r;
}

static struct tnode *parse_top(struct parser *p)
{
	struct tnode *root = new_node(p, N_LIST, p_peek(p).pos);

	while (p_peek(p).type != I_EOF) {
		struct tnode *n;
		if (p_peek(p).type == I_LDELIM) {
			struct item delim = p_next(p);
			if (p_next_non_space(p).type == I_DEFINE) {
				if (parse_definition(p) < 0)
					return NULL;
				continue;
			}
			p_backup2(p, delim);
		}
		n = parse_text_or_action(p);
		if (!n)
			return NULL;
		if (n->type == N_END || n->type == N_ELSE) {
			struct sbuf sb = SBUF_INIT;
			tnode_string(&sb, n);
			p_errorf(p, "unexpected %s", sbuf_str(&sb));
			sbuf_release(&sb);
			return NULL;
		}
		node_push(&root->kids, &root->nkids, n);
	}
	return root;
}

int tmpl_parse(const char *text, struct tmpl **out, robbe_error **err)
{
	struct tmpl *t = xcalloc(1, sizeof(*t));
	struct parser p = { .t = t };
	struct ptree top = { .peek_count = 0 };
	struct item dollar = { .type = I_VARIABLE, .val = "$", .len = 1 };
	struct tnode *root;

	t->text = xstrdup(text ? text : "");
	p.lx.in = t->text;
	p.lx.n = strlen(t->text);
	lex_all(&p.lx);
	p.pt = &top;
	var_push(&p, &dollar);
	root = parse_top(&p);
	if (root)
		tree_add(&p, "", root);
	free(top.vars);
	lexer_release(&p.lx);
	if (p.err) {
		robbe_error_set(err, 0, "%s", p.err);
		free(p.err);
		tmpl_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	for (size_t k = 0; k < t->nnodes; k++) {
		struct tnode *n = t->nodes[k];
		free(n->kids);
		free(n->decl);
		for (size_t j = 0; j < n->nident; j++)
			free(n->ident[j]);
		free(n->ident);
		free(n->str);
		free(n->src);
		free(n);
	}
	free(t->nodes);
	for (size_t k = 0; k < t->ntrees; k++)
		free(t->trees[k].name);
	free(t->trees);
	free(t->text);
	free(t);
}

const struct ttree *tmpl_find_tree(const struct tmpl *t, const char *name)
{
	for (size_t k = 0; k < t->ntrees; k++)
		if (strcmp(t->trees[k].name, name) == 0)
			return &t->trees[k];
	return NULL;
}

/* ------------------------------------------------------- node strings */

static void idents_string(struct sbuf *sb, const struct tnode *n, size_t from, bool lead_dot)
{
	for (size_t k = from; k < n->nident; k++) {
		if (lead_dot || k > from)
			sbuf_addc(sb, '.');
		sbuf_adds(sb, n->ident[k]);
	}
}

/* Go's Node.String(), used in error messages. */
void tnode_string(struct sbuf *sb, const struct tnode *n)
{
	switch (n->type) {
	case N_TEXT:
		sbuf_add(sb, n->str, n->len);
		break;
	case N_ACTION:
		sbuf_adds(sb, "{{");
		tnode_string(sb, n->pipe);
		sbuf_adds(sb, "}}");
		break;
	case N_IF:
	case N_RANGE:
	case N_WITH:
		sbuf_adds(sb, n->type == N_IF ? "{{if " : n->type == N_RANGE ? "{{range " : "{{with ");
		tnode_string(sb, n->pipe);
		sbuf_adds(sb, "}}");
		tnode_string(sb, n->list);
		if (n->else_list) {
			sbuf_adds(sb, "{{else}}");
			tnode_string(sb, n->else_list);
		}
		sbuf_adds(sb, "{{end}}");
		break;
	case N_TEMPLATE:
		sbuf_adds(sb, "{{template ");
		gofmt_quote(sb, n->str, strlen(n->str), false);
		if (n->pipe) {
			sbuf_addc(sb, ' ');
			tnode_string(sb, n->pipe);
		}
		sbuf_adds(sb, "}}");
		break;
	case N_BREAK:
		sbuf_adds(sb, "{{break}}");
		break;
	case N_CONTINUE:
		sbuf_adds(sb, "{{continue}}");
		break;
	case N_COMMENT:
		break;
	case N_LIST:
		for (size_t k = 0; k < n->nkids; k++)
			tnode_string(sb, n->kids[k]);
		break;
	case N_PIPE:
		for (size_t k = 0; k < n->ndecl; k++) {
			if (k > 0)
				sbuf_adds(sb, ", ");
			tnode_string(sb, n->decl[k]);
		}
		if (n->ndecl > 0)
			sbuf_adds(sb, " := ");
		for (size_t k = 0; k < n->nkids; k++) {
			if (k > 0)
				sbuf_adds(sb, " | ");
			tnode_string(sb, n->kids[k]);
		}
		break;
	case N_COMMAND:
		for (size_t k = 0; k < n->nkids; k++) {
			if (k > 0)
				sbuf_addc(sb, ' ');
			if (n->kids[k]->type == N_PIPE) {
				sbuf_addc(sb, '(');
				tnode_string(sb, n->kids[k]);
				sbuf_addc(sb, ')');
			} else {
				tnode_string(sb, n->kids[k]);
			}
		}
		break;
	case N_FIELD:
		idents_string(sb, n, 0, true);
		break;
	case N_VARIABLE:
		sbuf_adds(sb, n->ident[0]);
		idents_string(sb, n, 1, true);
		break;
	case N_CHAIN:
		if (n->node->type == N_PIPE) {
			sbuf_addc(sb, '(');
			tnode_string(sb, n->node);
			sbuf_addc(sb, ')');
		} else {
			tnode_string(sb, n->node);
		}
		idents_string(sb, n, 0, true);
		break;
	case N_IDENT:
		sbuf_adds(sb, n->str);
		break;
	case N_DOT:
		sbuf_addc(sb, '.');
		break;
	case N_NIL:
		sbuf_adds(sb, "nil");
		break;
	case N_BOOL:
		sbuf_adds(sb, n->b ? "true" : "false");
		break;
	case N_NUMBER:
	case N_STRING:
		sbuf_adds(sb, n->src);
		break;
	case N_END:
		sbuf_adds(sb, "{{end}}");
		break;
	case N_ELSE:
		sbuf_adds(sb, "{{else}}");
		break;
	}
}
