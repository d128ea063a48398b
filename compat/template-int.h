/* template-int.h: what the template parser, executor, builtins and Go
 * formatting share.  Not for use outside compat/template*.c.
 *
 * The parse tree follows Go's text/template/parse node kinds so that error
 * positions and the "<...>" context in execution errors read like Go's.
 */
#ifndef ROBBE_TEMPLATE_INT_H
#define ROBBE_TEMPLATE_INT_H

#include "compat/template.h"

/* Limits.  Templates come from the command line and are hostile input (the
 * fuzz target proves they are bounded): nesting is limited so the recursive
 * parser and executor cannot run the C stack out, output and intermediate
 * strings are capped so a few bytes of template cannot ask for gigabytes
 * ({{pad "x" 999999999 0}}, {{printf "%999999d" 1}}), and the amount of work
 * is capped so {{range 1000000000}} or recursive {{template}}s end. */
#ifdef ROBBE_FUZZ
#define TMPL_MAX_OUTPUT ((size_t) 256 << 10)
#define TMPL_MAX_WORK 300000L
#else
#define TMPL_MAX_OUTPUT ((size_t) 64 << 20)
#define TMPL_MAX_WORK 200000000L
#endif
#define TMPL_MAX_PARSE_DEPTH 500
#define TMPL_MAX_EXEC_DEPTH 1000

enum tnode_type {
	N_TEXT,
	N_ACTION,
	N_IF,
	N_RANGE,
	N_WITH,
	N_TEMPLATE,
	N_BREAK,
	N_CONTINUE,
	N_COMMENT,
	N_LIST,
	N_PIPE,
	N_COMMAND,
	N_FIELD,
	N_VARIABLE,
	N_CHAIN,
	N_IDENT,
	N_DOT,
	N_NIL,
	N_BOOL,
	N_NUMBER,
	N_STRING,
	N_END,	/* parser-internal: {{end}} */
	N_ELSE, /* parser-internal: {{else}} */
};

struct tnode {
	enum tnode_type type;
	int pos; /* byte offset of the node in the template text */
	int line;

	/* N_LIST items, N_PIPE commands, N_COMMAND arguments. */
	struct tnode **kids;
	size_t nkids;

	/* N_PIPE declarations ($x := / $x =). */
	struct tnode **decl;
	size_t ndecl;
	bool is_assign;

	/* N_ACTION, N_IF, N_RANGE, N_WITH, N_TEMPLATE (may be NULL). */
	struct tnode *pipe;
	struct tnode *list, *else_list; /* N_IF, N_RANGE, N_WITH */
	struct tnode *node;		/* N_CHAIN: the term the fields apply to */

	/* N_FIELD (without dots), N_VARIABLE ($x then fields), N_CHAIN fields. */
	char **ident;
	size_t nident;

	/* N_TEXT text, N_STRING value, N_TEMPLATE name, N_IDENT name,
	 * N_NUMBER and N_STRING source text (in src). */
	char *str;
	size_t len;
	char *src;

	/* N_BOOL */
	bool b;
	/* N_NUMBER */
	bool is_int, is_uint, is_float;
	int64_t i;
	double f;
};

/* A named template ({{define}}, {{block}} or the top level ""). */
struct ttree {
	char *name;
	struct tnode *root;
};

struct tmpl {
	char *text;
	struct ttree *trees;
	size_t ntrees;
	struct tnode **nodes; /* every node, for freeing */
	size_t nnodes, anodes;
};

/* Function table: parse checks names, exec dispatches on the id. */
enum tfunc {
	F_AND, F_CALL, F_HTML, F_INDEX, F_SLICE, F_JS, F_LEN, F_NOT, F_OR, F_PRINT,
	F_PRINTF, F_PRINTLN, F_URLQUERY, F_EQ, F_GE, F_GT, F_LE, F_LT, F_NE,
	F_JSON, F_SPLIT, F_JOIN, F_TITLE, F_LOWER, F_UPPER, F_PAD, F_TRUNCATE,
	F_COUNT_
};
int tmpl_func_lookup(const char *name);
const char *tmpl_func_name(int id);

void tnode_string(struct sbuf *sb, const struct tnode *n);
const struct ttree *tmpl_find_tree(const struct tmpl *t, const char *name);

/* ---- lexing ---- */

enum itype {
	I_ERROR,
	I_BOOL,
	I_CHAR,
	I_CHARCONST,
	I_COMPLEX,
	I_ASSIGN,
	I_DECLARE,
	I_EOF,
	I_FIELD,
	I_IDENT,
	I_LDELIM,
	I_LPAREN,
	I_NUMBER,
	I_PIPE,
	I_RAWSTRING,
	I_RDELIM,
	I_RPAREN,
	I_SPACE,
	I_STRING,
	I_TEXT,
	I_VARIABLE,
	I_KEYWORD_, /* keywords follow */
	I_BLOCK,
	I_BREAK,
	I_CONTINUE,
	I_DOT,
	I_DEFINE,
	I_ELSE,
	I_END,
	I_IF,
	I_NIL,
	I_RANGE,
	I_TEMPLATE,
	I_WITH,
};

struct item {
	enum itype type;
	int pos;
	int line;
	const char *val;
	size_t len;
};

struct lexer {
	const char *in;
	size_t n;
	size_t pos, start;
	int width;
	int paren_depth;
	int start_line;	  /* line of `start` */
	size_t line_mark; /* newlines counted up to here */
	struct item *items;
	size_t nitems, aitems;
	char **msgs; /* error messages (owned) */
	size_t nmsgs;
};

void lex_all(struct lexer *lx);
void lexer_release(struct lexer *lx);

/* ---- values at execution time ---- */

enum tv_kind {
	TV_INVALID, /* Go's invalid reflect.Value: a missing key; prints <no value> */
	TV_NIL,	    /* JSON null / a nil interface; prints <nil> */
	TV_BOOL,
	TV_INT,
	TV_FLOAT,
	TV_STRING,
	TV_ARRAY,
	TV_OBJECT,
};

/* Shared owner of storage a value points into; NULL when the value borrows
 * from the caller's document, which outlives the execution. */
struct tref {
	long count;
	char *buf;
	cJSON *json;
	struct tref *parent;
};

struct tval {
	enum tv_kind kind;
	/* Came out of a map or array: Go sees an interface{} there, which shows
	 * in error messages ("in type interface {}"). */
	bool boxed;
	bool b;
	int64_t i;
	double f;
	const char *s; /* TV_STRING: not NUL-terminated in general */
	size_t n;
	const cJSON *j; /* TV_ARRAY, TV_OBJECT */
	struct tref *ref;
};

#define TV_INIT { .kind = TV_INVALID }

struct tval tv_ref(const struct tval *v);
void tv_release(struct tval *v);
struct tval tv_invalid(void);
struct tval tv_nil(void);
struct tval tv_bool(bool b);
struct tval tv_int(int64_t i);
struct tval tv_float(double f);
/* A string value taking ownership of buf (NUL-terminated, length n). */
struct tval tv_string_take(char *buf, size_t n);
struct tval tv_string_copy(const char *s, size_t n);
/* A literal or borrowed string that outlives the execution. */
struct tval tv_string_static(const char *s, size_t n);
/* Take ownership of a cJSON tree. */
struct tval tv_json_take(cJSON *j);
/* A value for a cJSON item that lives inside a tree owned by ref (or by the
 * caller when ref is NULL). */
struct tval tv_from_json(const cJSON *j, struct tref *ref, bool boxed);
/* A new cJSON for a value (strings copied). */
cJSON *tv_to_json(const struct tval *v);
const char *tv_type_name(const struct tval *v);
bool tv_truth(const struct tval *v);
bool json_number_is_int(const cJSON *j, int64_t *out);

/* ---- Go's fmt ---- */

/* Go's %v of one value into sb (fmt.Fprint of a single operand). */
void gofmt_print_value(struct sbuf *sb, const struct tval *v);
/* fmt.Sprint / Sprintln / Sprintf over values. */
void gofmt_sprint(struct sbuf *sb, const struct tval *args, size_t n);
void gofmt_sprintln(struct sbuf *sb, const struct tval *args, size_t n);
/* false when the result would pass cap bytes (it is then incomplete) */
bool gofmt_sprintf(struct sbuf *sb, const char *format, size_t flen, const struct tval *args, size_t n, size_t cap);
/* fmt's %q of a string, allocated. */
char *go_quote_str(const char *s, size_t n);
/* strconv.Quote (ascii_only: QuoteToASCII). */
void gofmt_quote(struct sbuf *sb, const char *s, size_t n, bool ascii_only);
/* strconv.FormatFloat(f, 'g', -1, 64) as %v prints it. */
void gofmt_float_v(struct sbuf *sb, double f);
/* encoding/json's float format. */
void gofmt_float_json(struct sbuf *sb, double f);
/* Decode one UTF-8 rune; invalid bytes give U+FFFD with length 1. */
int utf8_decode(const char *s, size_t n, uint32_t *r);
void utf8_encode(struct sbuf *sb, uint32_t r);
size_t utf8_count(const char *s, size_t n);
bool go_is_print(uint32_t r);
bool go_is_letter(uint32_t r);

/* ---- the executor's view of builtins ---- */

/* Parameter kinds, as Go's reflection sees the builtins' signatures: the
 * executor converts and checks arguments by these before the call. */
enum ptype {
	P_VALUE,   /* reflect.Value: anything, missing values stay missing */
	P_ANY,	   /* interface{}: anything, missing values become nil */
	P_STRING,
	P_INT,
	P_STRINGS, /* []string */
};

struct fsig {
	const char *name;
	int nfixed;
	bool variadic;
	enum ptype params[3];
	enum ptype var; /* type of the variadic arguments */
};

/* The signature of builtin id (Docker's header variants in header mode). */
const struct fsig *tmpl_func_sig(int id, bool header_mode);

struct tstate;
/* Call builtin id with converted arguments; *res gets a new value.  On
 * failure returns <0 with *errmsg set to the function's own error (the
 * executor adds "error calling NAME: "). */
int tmpl_call_builtin(struct tstate *s, int id, struct tval *args, size_t nargs, struct tval *res,
		      char **errmsg);
bool tstate_header_mode(const struct tstate *s);
bool tstate_fold_case(const struct tstate *s);
/* Count work done (bytes produced); <0 once the budget is spent. */
int tstate_charge(struct tstate *s, size_t bytes);

/* Object members sorted by key (Go ranges over and prints maps that way);
 * free() the array. */
const cJSON **tmpl_sorted_members(const cJSON *obj, size_t *n);

/* encoding/json output. */
void gojson_string(struct sbuf *sb, const char *s, size_t n, bool escape_html);
void gojson_cjson(struct sbuf *sb, const cJSON *j, bool indent, int depth, bool escape_html);
/* The json builtin: no HTML escaping, compact. */
void gojson_value(struct sbuf *sb, const struct tval *v);

#endif
