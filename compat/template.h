/* template.h: Go text/template, evaluated over cJSON values.
 *
 * The language is Go's (actions, pipelines, variables, if/else if/else,
 * range with else and $i, $v :=, with, define/template/block, comments with
 * trim markers {{- -}}), the builtins (and or not len index slice print
 * printf println eq ne lt le gt ge html js urlquery), plus Docker's
 * functions (json join split lower upper title pad truncate).
 * Values print as Go's fmt prints them with %v.
 */
#ifndef ROBBE_TEMPLATE_H
#define ROBBE_TEMPLATE_H

#include "src/util.h"

struct tmpl;

enum tmpl_missing {
	/* A missing map key prints "<no value>" (Go's default). */
	TMPL_MISSING_DEFAULT,
	/* A missing key fails: `map has no entry for key "X"` (inspect's raw pass). */
	TMPL_MISSING_ERROR,
};

/* Methods with arguments on the value ("{{.Label \"k\"}}" on a ps row).
 * Called for every field looked up on an object, with the command's
 * arguments (and a piped value last) as new cJSON values the engine frees.
 * Return a new cJSON value (the engine takes it), or NULL with *err set
 * (reported as "error calling NAME: ..."), or NULL with *err unset for "no
 * such method": the field lookup then proceeds. */
typedef cJSON *(*tmpl_method_fn)(void *ud, const cJSON *dot, const char *name,
				 cJSON *const *args, int nargs, robbe_error **err);

struct tmpl_options {
	enum tmpl_missing missing;
	/* Field lookup falls back to a case-insensitive key match, so Go field
	 * names (.ID, .CPUShares) find JSON keys (Id, CpuShares). */
	bool fold_case;
	/* Header pass of a table: json/join/split/lower/upper/title return their
	 * first argument unchanged (Docker prints column titles that way). */
	bool header_mode;
	tmpl_method_fn method;
	void *method_ud;
};

/* Parse; errors read as Go's: `template: :1: unexpected "}" in operand`
 * (status 0: callers choose the exit code and any prefix). */
int tmpl_parse(const char *text, struct tmpl **out, robbe_error **err);
/* Run the template with dot (NULL: no value) appending to out.  opts may be
 * NULL (Go's defaults).  On failure what was printed before the error stays
 * in out, as with Go, and the error reads
 * `template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"`.
 * JSON numbers without a fraction are Go ints (as Docker's typed structs
 * have them), others float64.  Output, nesting and work are bounded. */
int tmpl_execute(const struct tmpl *t, const cJSON *dot, const struct tmpl_options *opts,
		 struct sbuf *out, robbe_error **err);
void tmpl_free(struct tmpl *t);

/* Go's %v of a value: [a b], map[k:v] (sorted keys), <nil>, true, 1.5, 42. */
void go_print_value(struct sbuf *out, const cJSON *v);

#endif
