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
 * Return a new cJSON value (owned by the caller), or NULL with *err set
 * (or with *err unset for "no such method": the field lookup then proceeds). */
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

/* Parse; errors read as Go's: `template: :1: unexpected "}" in operand`. */
int tmpl_parse(const char *text, struct tmpl **out, robbe_error **err);
int tmpl_execute(const struct tmpl *t, const cJSON *dot, const struct tmpl_options *opts,
		 struct sbuf *out, robbe_error **err);
void tmpl_free(struct tmpl *t);

/* Go's %v of a value: [a b], map[k:v] (sorted keys), <nil>, true, 1.5, 42. */
void go_print_value(struct sbuf *out, const cJSON *v);

#endif
