/* template.c: executing a parsed Go template over cJSON values.
 *
 * The walk follows Go's text/template exec: pipelines feed their value to
 * the next command as its last argument, a field on a map is a key lookup,
 * a missing key is Go's "invalid value" (<no value>), and errors read
 * `template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"`
 * with the node Go would blame.  Values are reference counted so nothing
 * the document owns is copied and nothing a function made leaks.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "compat/template-int.h"

/* ------------------------------------------------------------- values */

static struct tref *tref_new(void)
{
	struct tref *r = xcalloc(1, sizeof(*r));
	r->count = 1;
	return r;
}

static void tref_put(struct tref *r)
{
	while (r && --r->count == 0) {
		struct tref *parent = r->parent;
		free(r->buf);
		cJSON_Delete(r->json);
		free(r);
		r = parent;
	}
}

struct tval tv_ref(const struct tval *v)
{
	struct tval c = *v;
	if (c.ref)
		c.ref->count++;
	return c;
}

void tv_release(struct tval *v)
{
	tref_put(v->ref);
	*v = (struct tval) TV_INIT;
}

struct tval tv_invalid(void)
{
	return (struct tval){ .kind = TV_INVALID };
}

struct tval tv_nil(void)
{
	return (struct tval){ .kind = TV_NIL };
}

struct tval tv_bool(bool b)
{
	return (struct tval){ .kind = TV_BOOL, .b = b };
}

struct tval tv_int(int64_t i)
{
	return (struct tval){ .kind = TV_INT, .i = i };
}

struct tval tv_float(double f)
{
	return (struct tval){ .kind = TV_FLOAT, .f = f };
}

struct tval tv_string_take(char *buf, size_t n)
{
	struct tref *r = tref_new();
	r->buf = buf;
	return (struct tval){ .kind = TV_STRING, .s = buf, .n = n, .ref = r };
}

struct tval tv_string_copy(const char *s, size_t n)
{
	char *buf = xmalloc(n + 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return tv_string_take(buf, n);
}

struct tval tv_string_static(const char *s, size_t n)
{
	return (struct tval){ .kind = TV_STRING, .s = s, .n = n };
}

struct tval tv_json_take(cJSON *j)
{
	struct tref *r = tref_new();
	struct tval v;

	r->json = j;
	v = tv_from_json(j, r, false);
	tref_put(r); /* tv_from_json took its own reference */
	return v;
}

bool json_number_is_int(const cJSON *j, int64_t *out)
{
	double d = j->valuedouble;

	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || floor(d) != d)
		return false;
	*out = (int64_t) d;
	return true;
}

struct tval tv_from_json(const cJSON *j, struct tref *ref, bool boxed)
{
	struct tval v = { .kind = TV_NIL, .boxed = boxed };

	if (!j || cJSON_IsNull(j) || cJSON_IsInvalid(j))
		return v;
	if (cJSON_IsBool(j)) {
		v.kind = TV_BOOL;
		v.b = cJSON_IsTrue(j);
		return v;
	}
	if (cJSON_IsNumber(j)) {
		/* Integral numbers are Go ints, as the typed structs have them. */
		if (json_number_is_int(j, &v.i)) {
			v.kind = TV_INT;
		} else {
			v.kind = TV_FLOAT;
			v.f = j->valuedouble;
		}
		return v;
	}
	if (cJSON_IsString(j) || cJSON_IsRaw(j)) {
		v.kind = TV_STRING;
		v.s = j->valuestring ? j->valuestring : "";
		v.n = strlen(v.s);
	} else if (cJSON_IsArray(j)) {
		v.kind = TV_ARRAY;
		v.j = j;
	} else if (cJSON_IsObject(j)) {
		v.kind = TV_OBJECT;
		v.j = j;
	} else {
		return v;
	}
	v.ref = ref;
	if (ref)
		ref->count++;
	return v;
}

cJSON *tv_to_json(const struct tval *v)
{
	switch (v->kind) {
	case TV_BOOL:
		return cJSON_CreateBool(v->b);
	case TV_INT:
		return cJSON_CreateNumber((double) v->i);
	case TV_FLOAT:
		return cJSON_CreateNumber(v->f);
	case TV_STRING: {
		cleanup_free char *s = xstrndup(v->s, v->n);
		return cJSON_CreateString(s);
	}
	case TV_ARRAY:
	case TV_OBJECT:
		return cJSON_Duplicate(v->j, true);
	default:
		return cJSON_CreateNull();
	}
}

const char *tv_type_name(const struct tval *v)
{
	switch (v->kind) {
	case TV_BOOL:
		return "bool";
	case TV_INT:
		return "int";
	case TV_FLOAT:
		return "float64";
	case TV_STRING:
		return "string";
	case TV_ARRAY:
		return "[]interface {}";
	case TV_OBJECT:
		return "map[string]interface {}";
	default:
		return "<nil>";
	}
}

bool tv_truth(const struct tval *v)
{
	switch (v->kind) {
	case TV_BOOL:
		return v->b;
	case TV_INT:
		return v->i != 0;
	case TV_FLOAT:
		return v->f != 0;
	case TV_STRING:
		return v->n > 0;
	case TV_ARRAY:
	case TV_OBJECT:
		return v->j->child != NULL;
	default:
		return false;
	}
}

/* ---------------------------------------------------------- the state */

struct tvar {
	const char *name;
	struct tval v;
};

enum flow { FLOW_NONE, FLOW_BREAK, FLOW_CONTINUE };

/* Nested walks and pipelines recurse on the C stack; this bounds them. */
#define TMPL_MAX_NEST 10000

struct tstate {
	const struct tmpl *t;
	const struct ttree *tree;
	const struct tmpl_options *opts;
	struct sbuf *out;
	const struct tnode *node;
	struct tvar *vars;
	size_t nvars, avars;
	int depth; /* {{template}} calls */
	int nest;
	long work;
	enum flow flow;
	char *err;
};

bool tstate_header_mode(const struct tstate *s)
{
	return s->opts->header_mode;
}

bool tstate_fold_case(const struct tstate *s)
{
	return s->opts->fold_case;
}

/* Go's ExecError text: where, which template, which node, what. */
static int ATTR_PRINTF(2, 3) s_errorf(struct tstate *s, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;
	const char *name = s->tree ? s->tree->name : "";

	if (s->err)
		return -1;
	sbuf_adds(&sb, "template: ");
	if (!s->node) {
		sbuf_adds(&sb, name);
		sbuf_adds(&sb, ": ");
	} else {
		const char *text = s->t->text;
		int pos = s->node->pos, line = 1, col;
		const char *nl = NULL;
		for (int k = 0; k < pos; k++) {
			if (text[k] == '\n') {
				line++;
				nl = text + k;
			}
		}
		col = nl ? pos - (int) (nl - text + 1) : pos;
		sbuf_addf(&sb, ":%d:%d: executing ", line, col);
		gofmt_quote(&sb, name, strlen(name), false);
		sbuf_adds(&sb, " at <");
		tnode_string(&sb, s->node);
		sbuf_adds(&sb, ">: ");
	}
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	s->err = sbuf_detach(&sb);
	return -1;
}

int tstate_charge(struct tstate *s, size_t bytes)
{
	s->work += 1 + (long) (bytes / 16);
	if (s->work > TMPL_MAX_WORK)
		return s_errorf(s, "template execution exceeded its work limit");
	if (bytes > TMPL_MAX_OUTPUT)
		return s_errorf(s, "template value exceeds %zu bytes", TMPL_MAX_OUTPUT);
	return 0;
}

static int s_write(struct tstate *s, const char *p, size_t n)
{
	if (s->out->len + n > TMPL_MAX_OUTPUT)
		return s_errorf(s, "template output exceeds %zu bytes", TMPL_MAX_OUTPUT);
	sbuf_add(s->out, p, n);
	return tstate_charge(s, n);
}

static char *node_str(const struct tnode *n)
{
	struct sbuf sb = SBUF_INIT;
	tnode_string(&sb, n);
	return sbuf_detach(&sb);
}

static void var_push(struct tstate *s, const char *name, const struct tval *v)
{
	if (s->nvars == s->avars) {
		s->avars = s->avars ? s->avars * 2 : 8;
		s->vars = xrealloc(s->vars, s->avars * sizeof(*s->vars));
	}
	s->vars[s->nvars].name = name;
	s->vars[s->nvars].v = tv_ref(v);
	s->nvars++;
}

static void var_pop(struct tstate *s, size_t mark)
{
	while (s->nvars > mark)
		tv_release(&s->vars[--s->nvars].v);
}

static int var_set(struct tstate *s, const char *name, const struct tval *v)
{
	for (size_t k = s->nvars; k-- > 0;) {
		if (strcmp(s->vars[k].name, name) == 0) {
			struct tval old = s->vars[k].v;
			s->vars[k].v = tv_ref(v);
			tv_release(&old);
			return 0;
		}
	}
	return s_errorf(s, "undefined variable: %s", name);
}

static void var_set_top(struct tstate *s, size_t n, const struct tval *v)
{
	struct tval old = s->vars[s->nvars - n].v;
	s->vars[s->nvars - n].v = tv_ref(v);
	tv_release(&old);
}

static int var_value(struct tstate *s, const char *name, struct tval *out)
{
	for (size_t k = s->nvars; k-- > 0;) {
		if (strcmp(s->vars[k].name, name) == 0) {
			*out = tv_ref(&s->vars[k].v);
			return 0;
		}
	}
	return s_errorf(s, "undefined variable: %s", name);
}

/* ------------------------------------------------------------ evaluation */

static int eval_pipeline(struct tstate *s, const struct tval *dot, const struct tnode *pipe, struct tval *out);
static int eval_command(struct tstate *s, const struct tval *dot, const struct tnode *cmd,
			const struct tval *final, struct tval *out);
static int eval_arg(struct tstate *s, const struct tval *dot, enum ptype type, const struct tnode *n, struct tval *out);
static int walk(struct tstate *s, const struct tval *dot, const struct tnode *n);

static int not_a_function(struct tstate *s, const struct tnode *const *args, size_t nargs, const struct tval *final)
{
	if (nargs > 1 || final) {
		cleanup_free char *str = node_str(args[0]);
		return s_errorf(s, "can't give argument to non-function %s", str);
	}
	return 0;
}

/* Go's idealConstant: the literal's syntax decides between int and float. */
static int ideal_constant(struct tstate *s, const struct tnode *n, struct tval *out)
{
	const char *t = n->src;
	bool hex_int = strlen(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && !strpbrk(t, "pP");
	bool rune_int = t[0] == '\'';

	s->node = n;
	if (n->is_float && !hex_int && !rune_int && strpbrk(t, ".eEpP")) {
		*out = tv_float(n->f);
		return 0;
	}
	if (n->is_int) {
		*out = tv_int(n->i);
		return 0;
	}
	if (n->is_uint)
		return s_errorf(s, "%s overflows int", t);
	*out = tv_invalid();
	return 0;
}

static const char *go_type_of(const struct tval *v)
{
	return v->boxed ? "interface {}" : tv_type_name(v);
}

static const cJSON *object_lookup(const cJSON *obj, const char *name, bool fold)
{
	const cJSON *c;

	for (c = obj->child; c; c = c->next)
		if (c->string && strcmp(c->string, name) == 0)
			return c;
	if (fold)
		for (c = obj->child; c; c = c->next)
			if (c->string && strcasecmp(c->string, name) == 0)
				return c;
	return NULL;
}

/* Evaluate method arguments for the hook: the command's arguments after
 * the first, then the piped value. */
static int eval_method_args(struct tstate *s, const struct tval *dot, const struct tnode *const *args, size_t nargs,
			    const struct tval *final, cJSON ***out, int *nout)
{
	size_t n = (nargs > 0 ? nargs - 1 : 0) + (final ? 1 : 0);
	cJSON **v = xcalloc(n + 1, sizeof(*v));
	size_t k = 0;

	for (size_t a = 1; a < nargs; a++) {
		struct tval av;
		if (eval_arg(s, dot, P_ANY, args[a], &av) < 0) {
			for (size_t j = 0; j < k; j++)
				cJSON_Delete(v[j]);
			free(v);
			return -1;
		}
		v[k++] = tv_to_json(&av);
		tv_release(&av);
	}
	if (final)
		v[k++] = tv_to_json(final);
	*out = v;
	*nout = (int) k;
	return 0;
}

static int eval_field(struct tstate *s, const struct tval *dot, const char *name, const struct tnode *node,
		      const struct tnode *const *args, size_t nargs, const struct tval *final,
		      const struct tval *recv, struct tval *out)
{
	bool has_args = nargs > 1 || final;
	const cJSON *item;

	if (recv->kind == TV_INVALID) {
		if (s->opts->missing == TMPL_MISSING_ERROR) {
			cleanup_free char *q = NULL;
			struct sbuf sb = SBUF_INIT;
			gofmt_quote(&sb, name, strlen(name), false);
			q = sbuf_detach(&sb);
			return s_errorf(s, "nil data; no entry for key %s", q);
		}
		*out = tv_invalid();
		return 0;
	}
	if (recv->kind == TV_NIL)
		return s_errorf(s, "nil pointer evaluating interface {}.%s", name);
	if (recv->kind != TV_OBJECT)
		return s_errorf(s, "can't evaluate field %s in type %s", name, go_type_of(recv));
	if (s->opts->method) {
		robbe_error *merr = NULL;
		cJSON **margs = NULL;
		int nm = 0;
		cJSON *res;
		if (eval_method_args(s, dot, args, nargs, final, &margs, &nm) < 0)
			return -1;
		res = s->opts->method(s->opts->method_ud, recv->j, name, margs, nm, &merr);
		for (int k = 0; k < nm; k++)
			cJSON_Delete(margs[k]);
		free(margs);
		if (res) {
			robbe_error_free(merr);
			*out = tv_json_take(res);
			return 0;
		}
		if (merr) {
			s->node = node;
			s_errorf(s, "error calling %s: %s", name, merr->msg);
			robbe_error_free(merr);
			return -1;
		}
	}
	if (has_args)
		return s_errorf(s, "%s is not a method but has arguments", name);
	item = object_lookup(recv->j, name, s->opts->fold_case);
	if (!item) {
		if (s->opts->missing == TMPL_MISSING_ERROR) {
			cleanup_free char *q = NULL;
			struct sbuf sb = SBUF_INIT;
			gofmt_quote(&sb, name, strlen(name), false);
			q = sbuf_detach(&sb);
			return s_errorf(s, "map has no entry for key %s", q);
		}
		*out = tv_invalid();
		return 0;
	}
	*out = tv_from_json(item, recv->ref, true);
	return 0;
}

static int eval_field_chain(struct tstate *s, const struct tval *dot, const struct tval *recv, const struct tnode *node,
			    char *const *ident, size_t nident, const struct tnode *const *args, size_t nargs,
			    const struct tval *final, struct tval *out)
{
	struct tval cur = tv_ref(recv);

	for (size_t k = 0; k + 1 < nident; k++) {
		struct tval next;
		int r = eval_field(s, dot, ident[k], node, NULL, 0, NULL, &cur, &next);
		tv_release(&cur);
		if (r < 0)
			return -1;
		cur = next;
	}
	{
		int r = eval_field(s, dot, ident[nident - 1], node, args, nargs, final, &cur, out);
		tv_release(&cur);
		return r;
	}
}

static int eval_field_node(struct tstate *s, const struct tval *dot, const struct tnode *field,
			   const struct tnode *const *args, size_t nargs, const struct tval *final, struct tval *out)
{
	s->node = field;
	return eval_field_chain(s, dot, dot, field, field->ident, field->nident, args, nargs, final, out);
}

static int eval_function(struct tstate *s, const struct tval *dot, const struct tnode *ident, const struct tnode *cmd,
			 const struct tnode *const *args, size_t nargs, const struct tval *final, struct tval *out);

static int eval_chain_node(struct tstate *s, const struct tval *dot, const struct tnode *chain,
			   const struct tnode *const *args, size_t nargs, const struct tval *final, struct tval *out)
{
	struct tval base;
	int r;

	s->node = chain;
	if (chain->node->type == N_NIL) {
		cleanup_free char *str = node_str(chain);
		return s_errorf(s, "indirection through explicit nil in %s", str);
	}
	if (chain->node->type == N_PIPE) {
		if (eval_pipeline(s, dot, chain->node, &base) < 0)
			return -1;
	} else if (chain->node->type == N_IDENT) {
		const struct tnode *self = chain->node;
		if (eval_function(s, dot, self, self, &self, 1, NULL, &base) < 0)
			return -1;
	} else {
		if (eval_arg(s, dot, P_VALUE, chain->node, &base) < 0)
			return -1;
	}
	r = eval_field_chain(s, dot, &base, chain, chain->ident, chain->nident, args, nargs, final, out);
	tv_release(&base);
	return r;
}

static int eval_variable_node(struct tstate *s, const struct tval *dot, const struct tnode *var,
			      const struct tnode *const *args, size_t nargs, const struct tval *final, struct tval *out)
{
	struct tval value;
	int r;

	s->node = var;
	if (var_value(s, var->ident[0], &value) < 0)
		return -1;
	if (var->nident == 1) {
		if (nargs > 0 && not_a_function(s, args, nargs, final) < 0) {
			tv_release(&value);
			return -1;
		}
		*out = value;
		return 0;
	}
	r = eval_field_chain(s, dot, &value, var, var->ident + 1, var->nident - 1, args, nargs, final, out);
	tv_release(&value);
	return r;
}

static const char *ptype_name(enum ptype t)
{
	switch (t) {
	case P_STRING:
		return "string";
	case P_INT:
		return "int";
	case P_STRINGS:
		return "[]string";
	case P_ANY:
		return "interface {}";
	default:
		return "reflect.Value";
	}
}

/* Go's validateType: does the evaluated value fit the parameter? */
static int validate_type(struct tstate *s, struct tval *v, enum ptype type)
{
	if (v->kind == TV_INVALID) {
		switch (type) {
		case P_VALUE:
			return 0;
		case P_ANY:
		case P_STRINGS:
			*v = tv_nil();
			return 0;
		default:
			return s_errorf(s, "invalid value; expected %s", ptype_name(type));
		}
	}
	switch (type) {
	case P_STRING:
		if (v->kind == TV_STRING)
			break;
		return s_errorf(s, "wrong type for value; expected string; got %s",
				v->kind == TV_NIL ? "interface {}" : tv_type_name(v));
	case P_INT:
		if (v->kind == TV_INT)
			break;
		return s_errorf(s, "wrong type for value; expected int; got %s",
				v->kind == TV_NIL ? "interface {}" : tv_type_name(v));
	case P_STRINGS:
		/* The typed structs Docker templates run over have []string
		 * where the JSON has an array, so any array is accepted. */
		if (v->kind == TV_ARRAY || v->kind == TV_NIL)
			break;
		return s_errorf(s, "wrong type for value; expected []string; got %s", tv_type_name(v));
	default:
		break;
	}
	return 0;
}

static int eval_arg(struct tstate *s, const struct tval *dot, enum ptype type, const struct tnode *n, struct tval *out)
{
	int r;

	s->node = n;
	switch (n->type) {
	case N_DOT:
		*out = tv_ref(dot);
		goto validate;
	case N_NIL:
		if (type == P_VALUE || type == P_ANY || type == P_STRINGS) {
			*out = type == P_VALUE ? tv_invalid() : tv_nil();
			return 0;
		}
		return s_errorf(s, "cannot assign nil to %s", ptype_name(type));
	case N_FIELD:
		r = eval_field_node(s, dot, n, &n, 1, NULL, out);
		goto checked;
	case N_VARIABLE:
		r = eval_variable_node(s, dot, n, NULL, 0, NULL, out);
		goto checked;
	case N_PIPE:
		r = eval_pipeline(s, dot, n, out);
		goto checked;
	case N_IDENT:
		r = eval_function(s, dot, n, n, &n, 1, NULL, out);
		goto checked;
	case N_CHAIN:
		r = eval_chain_node(s, dot, n, NULL, 0, NULL, out);
		goto checked;
	default:
		break;
	}
	switch (type) {
	case P_STRING:
		if (n->type == N_STRING) {
			*out = tv_string_static(n->str, n->len);
			return 0;
		}
		break;
	case P_INT:
		if (n->type == N_NUMBER && n->is_int) {
			*out = tv_int(n->i);
			return 0;
		}
		{
			cleanup_free char *str = node_str(n);
			return s_errorf(s, "expected integer; found %s", str);
		}
	case P_STRINGS: {
		cleanup_free char *str = node_str(n);
		return s_errorf(s, "can't handle %s for arg of type []string", str);
	}
	case P_ANY:
	case P_VALUE:
		switch (n->type) {
		case N_BOOL:
			*out = tv_bool(n->b);
			return 0;
		case N_NUMBER:
			return ideal_constant(s, n, out);
		case N_STRING:
			*out = tv_string_static(n->str, n->len);
			return 0;
		default:
			break;
		}
		break;
	}
	{
		cleanup_free char *str = node_str(n);
		if (type == P_STRING)
			return s_errorf(s, "expected string; found %s", str);
		return s_errorf(s, "can't handle %s for arg of type %s", str, ptype_name(type));
	}
checked:
	if (r < 0)
		return -1;
validate:
	if (validate_type(s, out, type) < 0) {
		tv_release(out);
		return -1;
	}
	return 0;
}

static int eval_function(struct tstate *s, const struct tval *dot, const struct tnode *ident, const struct tnode *cmd,
			 const struct tnode *const *args, size_t nargs, const struct tval *final, struct tval *out)
{
	int id = (int) ident->i;
	const struct fsig *sig = tmpl_func_sig(id, s->opts->header_mode);
	const char *name = sig->name;
	size_t nin = (nargs - 1) + (final ? 1 : 0);
	size_t nfixed = (size_t) sig->nfixed;
	struct tval *argv;
	size_t k = 0;
	char *emsg = NULL;
	int r = -1;

	s->node = ident;
	args++;
	nargs--;
	if (sig->variadic) {
		if (nin < nfixed)
			return s_errorf(s, "wrong number of args for %s: want at least %zu got %zu", name, nfixed, nargs);
	} else if (nin != nfixed) {
		return s_errorf(s, "wrong number of args for %s: want %zu got %zu", name, nfixed, nin);
	}
	if (tstate_charge(s, 0) < 0)
		return -1;

	if (id == F_AND || id == F_OR) {
		/* and/or stop at the first deciding argument and return it */
		struct tval v = tv_invalid();
		for (size_t a = 0; a < nargs; a++) {
			tv_release(&v);
			if (eval_arg(s, dot, P_VALUE, args[a], &v) < 0)
				return -1;
			if (tv_truth(&v) == (id == F_OR)) {
				*out = v;
				return 0;
			}
		}
		if (final) {
			tv_release(&v);
			v = tv_ref(final);
		}
		*out = v;
		return 0;
	}

	argv = xcalloc(nin + 1, sizeof(*argv));
	for (; k < nargs; k++) {
		enum ptype t = k < nfixed ? sig->params[k] : sig->var;
		if (eval_arg(s, dot, t, args[k], &argv[k]) < 0)
			goto out;
	}
	if (final) {
		enum ptype t = k < nfixed ? sig->params[k] : sig->var;
		argv[k] = tv_ref(final);
		k++;
		if (validate_type(s, &argv[k - 1], t) < 0)
			goto out;
	}
	if (tmpl_call_builtin(s, id, argv, k, out, &emsg) < 0) {
		if (emsg) {
			s->node = cmd;
			s_errorf(s, "error calling %s: %s", name, emsg);
			free(emsg);
		}
		goto out;
	}
	r = 0;
out:
	for (size_t j = 0; j < k; j++)
		tv_release(&argv[j]);
	free(argv);
	return r;
}

static int eval_command(struct tstate *s, const struct tval *dot, const struct tnode *cmd,
			const struct tval *final, struct tval *out)
{
	const struct tnode *first = cmd->kids[0];
	const struct tnode *const *args = (const struct tnode *const *) cmd->kids;

	switch (first->type) {
	case N_FIELD:
		return eval_field_node(s, dot, first, args, cmd->nkids, final, out);
	case N_CHAIN:
		return eval_chain_node(s, dot, first, args, cmd->nkids, final, out);
	case N_IDENT:
		return eval_function(s, dot, first, cmd, args, cmd->nkids, final, out);
	case N_PIPE:
		if (not_a_function(s, args, cmd->nkids, final) < 0)
			return -1;
		return eval_pipeline(s, dot, first, out);
	case N_VARIABLE:
		return eval_variable_node(s, dot, first, args, cmd->nkids, final, out);
	default:
		break;
	}
	s->node = first;
	if (not_a_function(s, args, cmd->nkids, final) < 0)
		return -1;
	switch (first->type) {
	case N_BOOL:
		*out = tv_bool(first->b);
		return 0;
	case N_DOT:
		*out = tv_ref(dot);
		return 0;
	case N_NIL:
		return s_errorf(s, "nil is not a command");
	case N_NUMBER:
		return ideal_constant(s, first, out);
	case N_STRING:
		*out = tv_string_static(first->str, first->len);
		return 0;
	default: {
		cleanup_free char *str = node_str(first);
		return s_errorf(s, "can't evaluate command %s", str);
	}
	}
}

static int eval_pipeline(struct tstate *s, const struct tval *dot, const struct tnode *pipe, struct tval *out)
{
	struct tval value = tv_invalid();
	bool have = false;

	if (!pipe) {
		*out = tv_invalid();
		return 0;
	}
	if (++s->nest > TMPL_MAX_NEST) {
		s->nest--;
		return s_errorf(s, "exceeded maximum nesting depth (%d)", TMPL_MAX_NEST);
	}
	s->node = pipe;
	for (size_t k = 0; k < pipe->nkids; k++) {
		struct tval next;
		if (eval_command(s, dot, pipe->kids[k], have ? &value : NULL, &next) < 0) {
			tv_release(&value);
			s->nest--;
			return -1;
		}
		tv_release(&value);
		value = next;
		have = true;
		/* Go unwraps an interface{} after each command: a null out of
		 * a map becomes the invalid value there (typed structs, which
		 * fold_case stands for, print <nil> instead). */
		if (value.boxed) {
			value.boxed = false;
			if (value.kind == TV_NIL && !s->opts->fold_case)
				value.kind = TV_INVALID;
		}
	}
	for (size_t k = 0; k < pipe->ndecl; k++) {
		const char *name = pipe->decl[k]->ident[0];
		if (pipe->is_assign) {
			if (var_set(s, name, &value) < 0) {
				tv_release(&value);
				s->nest--;
				return -1;
			}
		} else {
			var_push(s, name, &value);
		}
	}
	s->nest--;
	*out = value;
	return 0;
}

/* --------------------------------------------------------------- walking */

static int walk_if_or_with(struct tstate *s, const struct tval *dot, const struct tnode *n)
{
	size_t mark = s->nvars;
	struct tval val;
	int r = 0;

	if (eval_pipeline(s, dot, n->pipe, &val) < 0)
		return -1;
	if (tv_truth(&val))
		r = walk(s, n->type == N_WITH ? &val : dot, n->list);
	else if (n->else_list)
		r = walk(s, dot, n->else_list);
	var_pop(s, mark);
	tv_release(&val);
	return r;
}

/* One pass of a range body; returns 1 to stop ({{break}}). */
static int range_iteration(struct tstate *s, const struct tnode *r, size_t mark, const struct tval *index,
			   const struct tval *elem)
{
	const struct tnode *pipe = r->pipe;
	int ret;

	if (pipe->ndecl > 0) {
		if (pipe->is_assign) {
			if (var_set(s, pipe->decl[0]->ident[0], pipe->ndecl > 1 ? index : elem) < 0)
				return -1;
		} else {
			var_set_top(s, 1, elem);
		}
	}
	if (pipe->ndecl > 1) {
		if (pipe->is_assign) {
			if (var_set(s, pipe->decl[1]->ident[0], elem) < 0)
				return -1;
		} else {
			var_set_top(s, 2, index);
		}
	}
	ret = walk(s, elem, r->list);
	var_pop(s, mark);
	if (ret < 0)
		return -1;
	if (s->flow == FLOW_BREAK) {
		s->flow = FLOW_NONE;
		return 1;
	}
	s->flow = FLOW_NONE;
	return 0;
}

static int walk_range(struct tstate *s, const struct tval *dot, const struct tnode *r)
{
	size_t mark0 = s->nvars, mark;
	struct tval val;
	int ret = 0;
	bool ran = false;

	s->node = r;
	if (eval_pipeline(s, dot, r->pipe, &val) < 0)
		return -1;
	mark = s->nvars;
	switch (val.kind) {
	case TV_ARRAY: {
		int64_t i = 0;
		for (const cJSON *c = val.j->child; c; c = c->next, i++) {
			struct tval index = tv_int(i);
			struct tval elem = tv_from_json(c, val.ref, true);
			ran = true;
			ret = tstate_charge(s, 0);
			if (ret == 0)
				ret = range_iteration(s, r, mark, &index, &elem);
			tv_release(&elem);
			if (ret != 0)
				break;
		}
		break;
	}
	case TV_OBJECT: {
		size_t n;
		const cJSON **m = tmpl_sorted_members(val.j, &n);
		for (size_t k = 0; k < n; k++) {
			struct tval key = tv_string_static(m[k]->string ? m[k]->string : "",
							   m[k]->string ? strlen(m[k]->string) : 0);
			struct tval elem = tv_from_json(m[k], val.ref, true);
			/* the key points into the object: it keeps the object's
			 * owner alive, even when assigned to an outer variable */
			key.ref = val.ref;
			if (key.ref)
				key.ref->count++;
			ran = true;
			ret = tstate_charge(s, 0);
			if (ret == 0)
				ret = range_iteration(s, r, mark, &key, &elem);
			tv_release(&key);
			tv_release(&elem);
			if (ret != 0)
				break;
		}
		free(m);
		break;
	}
	case TV_INT:
		/* Go 1.22 ranges over an integer n as 0..n-1. */
		if (r->pipe->ndecl > 1) {
			struct sbuf sb = SBUF_INIT;
			gofmt_print_value(&sb, &val);
			s_errorf(s, "can't use %s to iterate over more than one variable", sbuf_str(&sb));
			sbuf_release(&sb);
			ret = -1;
			break;
		}
		for (int64_t i = 0; i < val.i; i++) {
			struct tval elem = tv_int(i);
			struct tval index = tv_invalid();
			ran = true;
			ret = tstate_charge(s, 0);
			if (ret == 0)
				ret = range_iteration(s, r, mark, &index, &elem);
			if (ret != 0)
				break;
		}
		break;
	case TV_INVALID:
	case TV_NIL:
		break;
	default: {
		struct sbuf sb = SBUF_INIT;
		gofmt_print_value(&sb, &val);
		s_errorf(s, "range can't iterate over %s", sbuf_str(&sb));
		sbuf_release(&sb);
		ret = -1;
	}
	}
	if (ret >= 0 && !ran && r->else_list)
		ret = walk(s, dot, r->else_list);
	var_pop(s, mark0);
	tv_release(&val);
	return ret < 0 ? -1 : 0;
}

static int walk_template(struct tstate *s, const struct tval *dot, const struct tnode *n)
{
	const struct ttree *tree;
	const struct ttree *saved_tree = s->tree;
	struct tvar *saved_vars = s->vars;
	size_t saved_n = s->nvars, saved_a = s->avars;
	struct tval newdot;
	int r;

	s->node = n;
	tree = tmpl_find_tree(s->t, n->str);
	if (!tree) {
		struct sbuf sb = SBUF_INIT;
		gofmt_quote(&sb, n->str, strlen(n->str), false);
		s_errorf(s, "template %s not defined", sbuf_str(&sb));
		sbuf_release(&sb);
		return -1;
	}
	if (s->depth >= TMPL_MAX_EXEC_DEPTH)
		return s_errorf(s, "exceeded maximum template depth (%d)", TMPL_MAX_EXEC_DEPTH);
	if (eval_pipeline(s, dot, n->pipe, &newdot) < 0)
		return -1;
	/* No dynamic scoping: the callee sees only $ = its dot. */
	s->vars = NULL;
	s->nvars = s->avars = 0;
	s->tree = tree;
	s->depth++;
	var_push(s, "$", &newdot);
	r = walk(s, &newdot, tree->root);
	var_pop(s, 0);
	free(s->vars);
	s->depth--;
	s->tree = saved_tree;
	s->vars = saved_vars;
	s->nvars = saved_n;
	s->avars = saved_a;
	tv_release(&newdot);
	return r;
}

static int walk(struct tstate *s, const struct tval *dot, const struct tnode *n)
{
	int r = 0;

	s->node = n;
	if (tstate_charge(s, 0) < 0)
		return -1;
	switch (n->type) {
	case N_ACTION: {
		struct tval val;
		if (eval_pipeline(s, dot, n->pipe, &val) < 0)
			return -1;
		if (n->pipe->ndecl == 0) {
			struct sbuf sb = SBUF_INIT;
			s->node = n;
			gofmt_print_value(&sb, &val);
			r = s_write(s, sbuf_str(&sb), sb.len);
			sbuf_release(&sb);
		}
		tv_release(&val);
		return r;
	}
	case N_BREAK:
		s->flow = FLOW_BREAK;
		return 0;
	case N_CONTINUE:
		s->flow = FLOW_CONTINUE;
		return 0;
	case N_COMMENT:
		return 0;
	case N_TEXT:
		return s_write(s, n->str, n->len);
	default:
		break;
	}
	if (++s->nest > TMPL_MAX_NEST) {
		s->nest--;
		return s_errorf(s, "exceeded maximum nesting depth (%d)", TMPL_MAX_NEST);
	}
	switch (n->type) {
	case N_IF:
	case N_WITH:
		r = walk_if_or_with(s, dot, n);
		break;
	case N_LIST:
		for (size_t k = 0; k < n->nkids; k++) {
			r = walk(s, dot, n->kids[k]);
			if (r < 0 || s->flow != FLOW_NONE)
				break;
		}
		break;
	case N_RANGE:
		r = walk_range(s, dot, n);
		break;
	case N_TEMPLATE:
		r = walk_template(s, dot, n);
		break;
	default: {
		cleanup_free char *str = node_str(n);
		r = s_errorf(s, "unknown node: %s", str);
	}
	}
	s->nest--;
	return r;
}

/* ------------------------------------------------------------------ API */

int tmpl_execute(const struct tmpl *t, const cJSON *dot, const struct tmpl_options *opts,
		 struct sbuf *out, robbe_error **err)
{
	static const struct tmpl_options defaults = { .missing = TMPL_MISSING_DEFAULT };
	struct tstate s = {
		.t = t,
		.opts = opts ? opts : &defaults,
		.out = out,
	};
	struct tval dotv = dot ? tv_from_json(dot, NULL, false) : tv_invalid();
	int r;

	s.tree = tmpl_find_tree(t, "");
	sbuf_add(out, "", 0);
	var_push(&s, "$", &dotv);
	r = s.tree ? walk(&s, &dotv, s.tree->root) : 0;
	var_pop(&s, 0);
	free(s.vars);
	if (r < 0 || s.err) {
		robbe_error_set(err, 0, "%s", s.err ? s.err : "template: execution failed");
		free(s.err);
		return -1;
	}
	return 0;
}

void go_print_value(struct sbuf *out, const cJSON *v)
{
	struct tval tv = tv_from_json(v, NULL, false);
	gofmt_print_value(out, &tv);
}
