/* template-funcs.c: the template builtins (Go's and Docker's).
 *
 * Go's: and or not len index slice print printf println eq ne lt le gt ge
 * html js urlquery call.  Docker's: json split join title lower upper pad
 * truncate; in a table's header pass the string ones hand back their
 * first argument so the column title survives.  Errors are returned as
 * the function's own message; the executor prefixes "error calling X: ".
 */
#include "config.h"

#include <string.h>

#include "compat/template-int.h"

static const struct fsig sigs[F_COUNT_] = {
	[F_AND] = { "and", 1, true, { P_VALUE }, P_VALUE },
	[F_CALL] = { "call", 1, true, { P_VALUE }, P_VALUE },
	[F_HTML] = { "html", 0, true, { P_ANY }, P_ANY },
	[F_INDEX] = { "index", 1, true, { P_VALUE }, P_VALUE },
	[F_SLICE] = { "slice", 1, true, { P_VALUE }, P_VALUE },
	[F_JS] = { "js", 0, true, { P_ANY }, P_ANY },
	[F_LEN] = { "len", 1, false, { P_VALUE }, P_VALUE },
	[F_NOT] = { "not", 1, false, { P_VALUE }, P_VALUE },
	[F_OR] = { "or", 1, true, { P_VALUE }, P_VALUE },
	[F_PRINT] = { "print", 0, true, { P_ANY }, P_ANY },
	[F_PRINTF] = { "printf", 1, true, { P_STRING }, P_ANY },
	[F_PRINTLN] = { "println", 0, true, { P_ANY }, P_ANY },
	[F_URLQUERY] = { "urlquery", 0, true, { P_ANY }, P_ANY },
	[F_EQ] = { "eq", 1, true, { P_VALUE }, P_VALUE },
	[F_GE] = { "ge", 2, false, { P_VALUE, P_VALUE }, P_VALUE },
	[F_GT] = { "gt", 2, false, { P_VALUE, P_VALUE }, P_VALUE },
	[F_LE] = { "le", 2, false, { P_VALUE, P_VALUE }, P_VALUE },
	[F_LT] = { "lt", 2, false, { P_VALUE, P_VALUE }, P_VALUE },
	[F_NE] = { "ne", 2, false, { P_VALUE, P_VALUE }, P_VALUE },
	[F_JSON] = { "json", 1, false, { P_ANY }, P_ANY },
	[F_SPLIT] = { "split", 2, false, { P_STRING, P_STRING }, P_ANY },
	[F_JOIN] = { "join", 2, false, { P_STRINGS, P_STRING }, P_ANY },
	[F_TITLE] = { "title", 1, false, { P_STRING }, P_ANY },
	[F_LOWER] = { "lower", 1, false, { P_STRING }, P_ANY },
	[F_UPPER] = { "upper", 1, false, { P_STRING }, P_ANY },
	[F_PAD] = { "pad", 3, false, { P_STRING, P_INT, P_INT }, P_ANY },
	[F_TRUNCATE] = { "truncate", 2, false, { P_STRING, P_INT }, P_ANY },
};

/* Docker's header pass swaps these for functions of strings. */
static const struct fsig header_sigs[] = {
	{ "json", 1, false, { P_STRING }, P_ANY },
	{ "split", 2, false, { P_STRING, P_STRING }, P_ANY },
	{ "join", 2, false, { P_STRING, P_STRING }, P_ANY },
	{ "title", 1, false, { P_STRING }, P_ANY },
	{ "lower", 1, false, { P_STRING }, P_ANY },
	{ "upper", 1, false, { P_STRING }, P_ANY },
	{ "truncate", 2, false, { P_STRING, P_INT }, P_ANY },
};

static bool is_header_func(int id)
{
	return id == F_JSON || id == F_SPLIT || id == F_JOIN || id == F_TITLE || id == F_LOWER ||
	       id == F_UPPER || id == F_TRUNCATE;
}

int tmpl_func_lookup(const char *name)
{
	for (int k = 0; k < F_COUNT_; k++)
		if (strcmp(sigs[k].name, name) == 0)
			return k;
	return -1;
}

const char *tmpl_func_name(int id)
{
	return sigs[id].name;
}

const struct fsig *tmpl_func_sig(int id, bool header_mode)
{
	if (header_mode && is_header_func(id)) {
		for (size_t k = 0; k < ARRAY_SIZE(header_sigs); k++)
			if (strcmp(header_sigs[k].name, sigs[id].name) == 0)
				return &header_sigs[k];
	}
	return &sigs[id];
}

static int ATTR_PRINTF(2, 3) fail(char **errmsg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	*errmsg = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

/* Go's indirectInterface: a nil out of a map is no value at all. */
static bool is_nothing(const struct tval *v)
{
	return v->kind == TV_INVALID || v->kind == TV_NIL;
}

static int result_string(struct tstate *s, struct sbuf *sb, struct tval *res)
{
	if (tstate_charge(s, sb->len) < 0) {
		sbuf_release(sb);
		return -1;
	}
	sbuf_add(sb, "", 0);
	{
		size_t n = sb->len;
		*res = tv_string_take(sbuf_detach(sb), n);
	}
	return 0;
}

/* ------------------------------------------------------------ len, index */

static int fn_len(const struct tval *v, struct tval *res, char **errmsg)
{
	switch (v->kind) {
	case TV_INVALID:
		return fail(errmsg, "reflect: call of reflect.Value.Type on zero Value");
	case TV_NIL:
		return fail(errmsg, "len of nil pointer");
	case TV_STRING:
		*res = tv_int((int64_t) v->n);
		return 0;
	case TV_ARRAY:
	case TV_OBJECT:
		*res = tv_int(cJSON_GetArraySize(v->j));
		return 0;
	default:
		return fail(errmsg, "len of type %s", tv_type_name(v));
	}
}

static int index_arg(const struct tval *idx, int64_t cap, int64_t *x, char **errmsg)
{
	if (is_nothing(idx))
		return fail(errmsg, "cannot index slice/array with nil");
	if (idx->kind != TV_INT)
		return fail(errmsg, "cannot index slice/array with type %s", tv_type_name(idx));
	if (idx->i < 0 || idx->i > cap)
		return fail(errmsg, "index out of range: %lld", (long long) idx->i);
	*x = idx->i;
	return 0;
}

static int64_t seq_len(const struct tval *v)
{
	return v->kind == TV_STRING ? (int64_t) v->n : cJSON_GetArraySize(v->j);
}

static int fn_index(struct tstate *s, struct tval *args, size_t nargs, struct tval *res, char **errmsg)
{
	struct tval item = tv_ref(&args[0]);

	if (is_nothing(&item)) {
		tv_release(&item);
		return fail(errmsg, "index of untyped nil");
	}
	for (size_t k = 1; k < nargs; k++) {
		const struct tval *idx = &args[k];
		struct tval next;
		int64_t x = 0;

		if (item.kind == TV_NIL) {
			tv_release(&item);
			return fail(errmsg, "index of nil pointer");
		}
		switch (item.kind) {
		case TV_ARRAY:
		case TV_STRING:
			if (index_arg(idx, seq_len(&item), &x, errmsg) < 0)
				goto fail;
			if (x == seq_len(&item)) {
				fail(errmsg, "index out of range: %lld", (long long) x);
				goto fail;
			}
			if (item.kind == TV_STRING)
				next = tv_int((unsigned char) item.s[x]);
			else
				next = tv_from_json(cJSON_GetArrayItem(item.j, (int) x), item.ref, true);
			break;
		case TV_OBJECT: {
			const cJSON *c;
			if (is_nothing(idx)) {
				fail(errmsg, "value is nil; should be of type string");
				goto fail;
			}
			if (idx->kind != TV_STRING) {
				fail(errmsg, "value has type %s; should be string", tv_type_name(idx));
				goto fail;
			}
			for (c = item.j->child; c; c = c->next)
				if (c->string && strlen(c->string) == idx->n && memcmp(c->string, idx->s, idx->n) == 0)
					break;
			if (c) {
				next = tv_from_json(c, item.ref, true);
			} else if (tstate_fold_case(s)) {
				/* Docker's typed maps (labels) yield "" for a missing key. */
				next = tv_string_static("", 0);
			} else {
				next = tv_nil();
				next.boxed = true;
			}
			break;
		}
		default:
			fail(errmsg, "can't index item of type %s", tv_type_name(&item));
			goto fail;
		}
		tv_release(&item);
		item = next;
	}
	*res = item;
	return 0;
fail:
	tv_release(&item);
	return -1;
}

static int fn_slice(struct tstate *s, struct tval *args, size_t nargs, struct tval *res, char **errmsg)
{
	const struct tval *item = &args[0];
	size_t nidx = nargs - 1;
	int64_t cap, idx[3];

	if (is_nothing(item))
		return fail(errmsg, "slice of untyped nil");
	if (nidx > 3)
		return fail(errmsg, "too many slice indexes: %zu", nidx);
	if (item->kind == TV_STRING) {
		if (nidx == 3)
			return fail(errmsg, "cannot 3-index slice a string");
	} else if (item->kind != TV_ARRAY) {
		return fail(errmsg, "can't slice item of type %s", tv_type_name(item));
	}
	cap = seq_len(item);
	idx[0] = 0;
	idx[1] = cap;
	idx[2] = cap;
	for (size_t k = 0; k < nidx; k++)
		if (index_arg(&args[1 + k], cap, &idx[k], errmsg) < 0)
			return -1;
	if (idx[0] > idx[1])
		return fail(errmsg, "invalid slice index: %lld > %lld", (long long) idx[0], (long long) idx[1]);
	if (nidx == 3 && idx[1] > idx[2])
		return fail(errmsg, "invalid slice index: %lld > %lld", (long long) idx[1], (long long) idx[2]);
	if (item->kind == TV_STRING) {
		*res = tv_ref(item);
		res->boxed = false;
		res->s = item->s + idx[0];
		res->n = (size_t) (idx[1] - idx[0]);
		return 0;
	}
	{
		/* The new array refers to the items; its owner keeps the
		 * original alive. */
		cJSON *arr = cJSON_CreateArray();
		const cJSON *c = item->j->child;
		struct tref *parent = item->ref;
		for (int64_t k = 0; c && k < idx[1]; c = c->next, k++)
			if (k >= idx[0])
				cJSON_AddItemReferenceToArray(arr, (cJSON *) c);
		if (tstate_charge(s, (size_t) (idx[1] - idx[0]) * 16) < 0) {
			cJSON_Delete(arr);
			return -1;
		}
		*res = tv_json_take(arr);
		if (parent) {
			parent->count++;
			res->ref->parent = parent;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ comparison */

enum bkind { K_INVALID, K_BOOL, K_INT, K_FLOAT, K_STRING };

static enum bkind basic_kind(const struct tval *v)
{
	switch (v->kind) {
	case TV_BOOL:
		return K_BOOL;
	case TV_INT:
		return K_INT;
	case TV_FLOAT:
		return K_FLOAT;
	case TV_STRING:
		return K_STRING;
	default:
		return K_INVALID;
	}
}

static int fn_eq(struct tval *args, size_t nargs, bool *truth, char **errmsg)
{
	const struct tval *a1 = &args[0];
	enum bkind k1 = basic_kind(a1);

	*truth = false;
	if (nargs < 2)
		return fail(errmsg, "missing argument for comparison");
	for (size_t k = 1; k < nargs; k++) {
		const struct tval *a = &args[k];
		enum bkind k2 = basic_kind(a);
		bool t = false;
		if (k1 != k2) {
			if (!is_nothing(a1) && !is_nothing(a))
				return fail(errmsg, "incompatible types for comparison");
		} else {
			switch (k1) {
			case K_BOOL:
				t = a1->b == a->b;
				break;
			case K_INT:
				t = a1->i == a->i;
				break;
			case K_FLOAT:
				t = a1->f == a->f;
				break;
			case K_STRING:
				t = a1->n == a->n && memcmp(a1->s, a->s, a->n) == 0;
				break;
			case K_INVALID:
				if (is_nothing(a1) || is_nothing(a)) {
					t = is_nothing(a1) && is_nothing(a);
				} else {
					/* maps and slices are not comparable in Go */
					struct sbuf v1 = SBUF_INIT, v2 = SBUF_INIT;
					gofmt_sprintf(&v1, "%s", 2, a1, 1, TMPL_MAX_OUTPUT);
					gofmt_sprintf(&v2, a1->kind != a->kind ? "%v" : "%s", 2, a, 1, TMPL_MAX_OUTPUT);
					if (a1->kind != a->kind)
						fail(errmsg, "non-comparable types %s: %s, %s: %s", sbuf_str(&v1),
						     tv_type_name(a1), tv_type_name(a), sbuf_str(&v2));
					else
						fail(errmsg, "non-comparable type %s: %s", sbuf_str(&v2), tv_type_name(a));
					sbuf_release(&v1);
					sbuf_release(&v2);
					return -1;
				}
				break;
			}
		}
		if (t) {
			*truth = true;
			return 0;
		}
	}
	return 0;
}

static int fn_lt(const struct tval *a, const struct tval *b, bool *truth, char **errmsg)
{
	enum bkind k1 = basic_kind(a), k2;

	*truth = false;
	if (k1 == K_INVALID)
		return fail(errmsg, "invalid type for comparison");
	k2 = basic_kind(b);
	if (k2 == K_INVALID)
		return fail(errmsg, "invalid type for comparison");
	if (k1 != k2)
		return fail(errmsg, "incompatible types for comparison");
	switch (k1) {
	case K_INT:
		*truth = a->i < b->i;
		break;
	case K_FLOAT:
		*truth = a->f < b->f;
		break;
	case K_STRING: {
		size_t n = a->n < b->n ? a->n : b->n;
		int c = memcmp(a->s, b->s, n);
		*truth = c < 0 || (c == 0 && a->n < b->n);
		break;
	}
	default:
		return fail(errmsg, "invalid type for comparison");
	}
	return 0;
}

static int fn_compare(int id, struct tval *args, size_t nargs, struct tval *res, char **errmsg)
{
	bool t = false, lt;

	switch (id) {
	case F_EQ:
		if (fn_eq(args, nargs, &t, errmsg) < 0)
			return -1;
		break;
	case F_NE:
		if (fn_eq(args, nargs, &t, errmsg) < 0)
			return -1;
		t = !t;
		break;
	case F_LT:
		if (fn_lt(&args[0], &args[1], &t, errmsg) < 0)
			return -1;
		break;
	case F_LE:
	case F_GT:
		if (fn_lt(&args[0], &args[1], &lt, errmsg) < 0)
			return -1;
		if (!lt && fn_eq(args, 2, &lt, errmsg) < 0)
			return -1;
		t = id == F_LE ? lt : !lt;
		break;
	case F_GE:
		if (fn_lt(&args[0], &args[1], &lt, errmsg) < 0)
			return -1;
		t = !lt;
		break;
	}
	*res = tv_bool(t);
	return 0;
}

/* ------------------------------------------------------------- escaping */

/* html/js/urlquery take their arguments as fmt.Sprint would print them,
 * except that a missing value prints as "<no value>". */
static void eval_args_string(struct sbuf *sb, struct tval *args, size_t nargs)
{
	if (nargs == 1 && args[0].kind == TV_STRING) {
		sbuf_add(sb, args[0].s, args[0].n);
		return;
	}
	for (size_t k = 0; k < nargs; k++)
		if (is_nothing(&args[k]))
			args[k] = tv_string_static("<no value>", 10);
	gofmt_sprint(sb, args, nargs);
}

static void html_escape(struct sbuf *out, const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		switch (s[k]) {
		case '"':
			sbuf_adds(out, "&#34;");
			break;
		case '\'':
			sbuf_adds(out, "&#39;");
			break;
		case '&':
			sbuf_adds(out, "&amp;");
			break;
		case '<':
			sbuf_adds(out, "&lt;");
			break;
		case '>':
			sbuf_adds(out, "&gt;");
			break;
		case '\0':
			sbuf_adds(out, "\xEF\xBF\xBD");
			break;
		default:
			sbuf_addc(out, s[k]);
		}
	}
}

static void js_escape(struct sbuf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t k = 0; k < n;) {
		unsigned char c = (unsigned char) s[k];
		if (c < 0x80) {
			switch (c) {
			case '\\':
				sbuf_adds(out, "\\\\");
				break;
			case '\'':
				sbuf_adds(out, "\\'");
				break;
			case '"':
				sbuf_adds(out, "\\\"");
				break;
			case '<':
				sbuf_adds(out, "\\u003C");
				break;
			case '>':
				sbuf_adds(out, "\\u003E");
				break;
			case '&':
				sbuf_adds(out, "\\u0026");
				break;
			case '=':
				sbuf_adds(out, "\\u003D");
				break;
			default:
				if (c < ' ')
					sbuf_addf(out, "\\u00%c%c", hex[c >> 4], hex[c & 0xF]);
				else
					sbuf_addc(out, (char) c);
			}
			k++;
			continue;
		}
		uint32_t r;
		int w = utf8_decode(s + k, n - k, &r);
		if (go_is_print(r))
			sbuf_add(out, s + k, (size_t) w);
		else
			sbuf_addf(out, "\\u%04X", r);
		k += (size_t) w;
	}
}

static void url_query_escape(struct sbuf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char) s[k];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '_' || c == '.' || c == '~')
			sbuf_addc(out, (char) c);
		else if (c == ' ')
			sbuf_addc(out, '+');
		else
			sbuf_addf(out, "%%%c%c", hex[c >> 4], hex[c & 0xF]);
	}
}

/* ------------------------------------------------------ Docker's strings */

static int fn_split(struct tstate *s, const struct tval *str, const struct tval *sep, struct tval *res)
{
	cJSON *arr = cJSON_CreateArray();
	size_t k = 0;

	if (tstate_charge(s, str->n * 4) < 0) {
		cJSON_Delete(arr);
		return -1;
	}
	if (sep->n == 0) {
		/* strings.Split with "" cuts after each UTF-8 sequence */
		while (k < str->n) {
			uint32_t r;
			int w = utf8_decode(str->s + k, str->n - k, &r);
			cleanup_free char *piece = xstrndup(str->s + k, (size_t) w);
			cJSON_AddItemToArray(arr, cJSON_CreateString(piece));
			k += (size_t) w;
		}
	} else {
		for (;;) {
			const char *hit = memmem(str->s + k, str->n - k, sep->s, sep->n);
			size_t end = hit ? (size_t) (hit - str->s) : str->n;
			cleanup_free char *piece = xstrndup(str->s + k, end - k);
			cJSON_AddItemToArray(arr, cJSON_CreateString(piece));
			if (!hit)
				break;
			k = end + sep->n;
		}
	}
	*res = tv_json_take(arr);
	return 0;
}

static int fn_join(struct tstate *s, const struct tval *arr, const struct tval *sep, struct tval *res)
{
	struct sbuf sb = SBUF_INIT;

	if (arr->kind == TV_ARRAY) {
		for (const cJSON *c = arr->j->child; c; c = c->next) {
			struct tval ev = tv_from_json(c, NULL, true);
			if (c != arr->j->child)
				sbuf_add(&sb, sep->s, sep->n);
			if (ev.kind == TV_STRING)
				sbuf_add(&sb, ev.s, ev.n);
			else
				gofmt_print_value(&sb, &ev);
			if (sb.len > TMPL_MAX_OUTPUT)
				break;
		}
	}
	return result_string(s, &sb, res);
}

static bool title_separator(uint32_t r)
{
	if (r <= 0x7F)
		return !((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_');
	if (go_is_letter(r))
		return false;
	return r == 0x85 || r == 0xA0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 ||
	       r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
}

static int fn_case(struct tstate *s, int id, const struct tval *str, struct tval *res)
{
	struct sbuf sb = SBUF_INIT;
	uint32_t prev = ' ';

	for (size_t k = 0; k < str->n;) {
		uint32_t r;
		int w = utf8_decode(str->s + k, str->n - k, &r);
		char c = str->s[k];
		bool ascii = (unsigned char) c < 0x80;
		if (id == F_LOWER && ascii && c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		else if ((id == F_UPPER || (id == F_TITLE && title_separator(prev))) && ascii && c >= 'a' && c <= 'z')
			c = (char) (c - 'a' + 'A');
		if (ascii)
			sbuf_addc(&sb, c);
		else
			sbuf_add(&sb, str->s + k, (size_t) w);
		prev = r;
		k += (size_t) w;
	}
	return result_string(s, &sb, res);
}

static int fn_pad(struct tstate *s, const struct tval *str, int64_t pre, int64_t post, struct tval *res,
		  char **errmsg)
{
	struct sbuf sb = SBUF_INIT;

	if (str->n == 0) {
		*res = tv_ref(str);
		return 0;
	}
	if (pre < 0 || post < 0)
		return fail(errmsg, "strings: negative Repeat count");
	if ((uint64_t) pre + (uint64_t) post + str->n > TMPL_MAX_OUTPUT)
		return fail(errmsg, "padded string would exceed %zu bytes", TMPL_MAX_OUTPUT);
	sbuf_grow(&sb, (size_t) (pre + post) + str->n);
	for (int64_t k = 0; k < pre; k++)
		sbuf_addc(&sb, ' ');
	sbuf_add(&sb, str->s, str->n);
	for (int64_t k = 0; k < post; k++)
		sbuf_addc(&sb, ' ');
	return result_string(s, &sb, res);
}

static int fn_truncate(const struct tval *str, int64_t n, struct tval *res, char **errmsg)
{
	*res = tv_ref(str);
	res->boxed = false;
	if ((int64_t) str->n < n)
		return 0;
	if (n < 0) {
		tv_release(res);
		return fail(errmsg, "runtime error: slice bounds out of range [:%lld]", (long long) n);
	}
	res->n = (size_t) n;
	return 0;
}

/* --------------------------------------------------------------- dispatch */

int tmpl_call_builtin(struct tstate *s, int id, struct tval *args, size_t nargs, struct tval *res,
		      char **errmsg)
{
	struct sbuf sb = SBUF_INIT;

	*errmsg = NULL;
	if (tstate_header_mode(s) && is_header_func(id)) {
		*res = tv_ref(&args[0]);
		return 0;
	}
	switch (id) {
	case F_NOT:
		*res = tv_bool(!tv_truth(&args[0]));
		return 0;
	case F_LEN:
		return fn_len(&args[0], res, errmsg);
	case F_INDEX:
		return fn_index(s, args, nargs, res, errmsg);
	case F_SLICE:
		return fn_slice(s, args, nargs, res, errmsg);
	case F_EQ:
	case F_NE:
	case F_LT:
	case F_LE:
	case F_GT:
	case F_GE:
		return fn_compare(id, args, nargs, res, errmsg);
	case F_CALL:
		if (is_nothing(&args[0]))
			return fail(errmsg, "call of nil");
		return fail(errmsg, "non-function of type %s", tv_type_name(&args[0]));
	case F_PRINT:
		gofmt_sprint(&sb, args, nargs);
		return result_string(s, &sb, res);
	case F_PRINTLN:
		gofmt_sprintln(&sb, args, nargs);
		return result_string(s, &sb, res);
	case F_PRINTF:
		if (tstate_charge(s, args[0].n) < 0)
			return -1;
		if (!gofmt_sprintf(&sb, args[0].s, args[0].n, args + 1, nargs - 1, TMPL_MAX_OUTPUT)) {
			sbuf_release(&sb);
			return fail(errmsg, "result would exceed %zu bytes", TMPL_MAX_OUTPUT);
		}
		return result_string(s, &sb, res);
	case F_HTML:
	case F_JS:
	case F_URLQUERY: {
		struct sbuf in = SBUF_INIT;
		eval_args_string(&in, args, nargs);
		if (id == F_HTML)
			html_escape(&sb, sbuf_str(&in), in.len);
		else if (id == F_JS)
			js_escape(&sb, sbuf_str(&in), in.len);
		else
			url_query_escape(&sb, sbuf_str(&in), in.len);
		sbuf_release(&in);
		return result_string(s, &sb, res);
	}
	case F_JSON:
		gojson_value(&sb, &args[0]);
		return result_string(s, &sb, res);
	case F_SPLIT:
		return fn_split(s, &args[0], &args[1], res);
	case F_JOIN:
		return fn_join(s, &args[0], &args[1], res);
	case F_TITLE:
	case F_LOWER:
	case F_UPPER:
		return fn_case(s, id, &args[0], res);
	case F_PAD:
		return fn_pad(s, &args[0], args[1].i, args[2].i, res, errmsg);
	case F_TRUNCATE:
		return fn_truncate(&args[0], args[1].i, res, errmsg);
	default:
		return fail(errmsg, "unknown function");
	}
}
