/* format.c: Docker's --format handling: table/json/template rows, and the
 * inspect output (indented JSON array or one template result per object).
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "compat/format.h"
#include "compat/template-int.h"

struct formatter {
	bool table;
	struct tmpl *t;
	struct tmpl_options opts;
	cJSON *headers;
	struct sbuf body;
};

/* Docker's preFormat: strip "table", expand "json", trim spaces, and turn
 * the two-character sequences \t and \n into TAB and newline. */
static char *pre_format(const char *format, bool *table)
{
	struct sbuf sb = SBUF_INIT;
	const char *s = format;
	size_t n;

	*table = str_has_prefix(format, "table");
	if (*table)
		s += 5;
	else if (strcmp(format, "json") == 0)
		s = "{{json .}}";
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	for (size_t k = 0; k < n; k++) {
		if (s[k] == '\\' && k + 1 < n && (s[k + 1] == 't' || s[k + 1] == 'n')) {
			sbuf_addc(&sb, s[k + 1] == 't' ? '\t' : '\n');
			k++;
		} else {
			sbuf_addc(&sb, s[k]);
		}
	}
	return sbuf_detach(&sb);
}

int formatter_new(const char *user_format, const char *default_format, const cJSON *headers,
		  const struct tmpl_options *opts, struct formatter **out, robbe_error **err)
{
	const char *format = user_format ? user_format : "";
	cleanup_free char *text = NULL;
	robbe_error *perr = NULL;
	struct formatter *f;

	if (format[0] == '\0' || strcmp(format, "table") == 0)
		format = default_format ? default_format : "";
	f = xcalloc(1, sizeof(*f));
	text = pre_format(format, &f->table);
	if (tmpl_parse(text, &f->t, &perr) < 0) {
		robbe_error_set(err, EXIT_GENERAL, "template parsing error: %s", perr->msg);
		robbe_error_free(perr);
		free(f);
		return -1;
	}
	if (opts)
		f->opts = *opts;
	f->headers = headers ? cJSON_Duplicate(headers, true) : cJSON_CreateObject();
	*out = f;
	return 0;
}

int formatter_row(struct formatter *f, const cJSON *row, robbe_error **err)
{
	size_t before = f->body.len;
	robbe_error *terr = NULL;

	if (tmpl_execute(f->t, row, &f->opts, &f->body, &terr) < 0) {
		/* Docker prints nothing once a row fails. */
		f->body.len = before;
		if (f->body.buf)
			f->body.buf[before] = '\0';
		robbe_error_set(err, EXIT_GENERAL, "template parsing error: %s", terr->msg);
		robbe_error_free(terr);
		return -1;
	}
	sbuf_addc(&f->body, '\n');
	return 0;
}

int formatter_render(struct formatter *f, struct sbuf *out)
{
	if (f->table) {
		struct tmpl_options hopts = f->opts;
		struct sbuf header = SBUF_INIT;
		robbe_error *herr = NULL;
		struct tabwriter *tw = tabwriter_new(10, 3);

		/* The header pass runs the same template over the titles; its
		 * errors are ignored and whatever it printed is the header. */
		hopts.header_mode = true;
		hopts.missing = TMPL_MISSING_DEFAULT;
		if (tmpl_execute(f->t, f->headers, &hopts, &header, &herr) < 0)
			robbe_error_free(herr);
		sbuf_addc(&header, '\n');
		tabwriter_write(tw, header.buf, header.len);
		tabwriter_write(tw, sbuf_str(&f->body), f->body.len);
		tabwriter_flush_sbuf(tw, out);
		tabwriter_free(tw);
		sbuf_release(&header);
	} else {
		sbuf_add(out, sbuf_str(&f->body), f->body.len);
	}
	sbuf_reset(&f->body);
	return 0;
}

int formatter_flush(struct formatter *f, FILE *out, robbe_error **err)
{
	struct sbuf sb = SBUF_INIT;

	formatter_render(f, &sb);
	if (sb.len > 0 && fwrite(sb.buf, 1, sb.len, out) != sb.len) {
		sbuf_release(&sb);
		return robbe_error_errno(err, errno ? errno : EIO, "writing output");
	}
	sbuf_release(&sb);
	if (fflush(out) != 0)
		return robbe_error_errno(err, errno, "writing output");
	return 0;
}

void formatter_free(struct formatter *f)
{
	if (!f)
		return;
	tmpl_free(f->t);
	cJSON_Delete(f->headers);
	sbuf_release(&f->body);
	free(f);
}

bool formatter_is_table(const struct formatter *f)
{
	return f->table;
}

int format_inspect_sbuf(const char *user_format, const cJSON *array, struct sbuf *out, robbe_error **err)
{
	struct tmpl *t = NULL;
	robbe_error *perr = NULL;
	struct sbuf errors = SBUF_INIT;
	size_t before = out->len;
	const cJSON *el;

	if (!user_format || user_format[0] == '\0' || strcmp(user_format, "json") == 0) {
		bool indent = !user_format || user_format[0] == '\0';
		if (!array || !array->child)
			sbuf_adds(out, "[]");
		else
			gojson_cjson(out, array, indent, 0, true);
		sbuf_addc(out, '\n');
		return 0;
	}
	if (tmpl_parse(user_format, &t, &perr) < 0) {
		robbe_error_set(err, EXIT_TEMPLATE, "template parsing error: %s", perr->msg);
		robbe_error_free(perr);
		return -1;
	}
	for (el = array ? array->child : NULL; el; el = el->next) {
		/* First as Docker's typed structs would take it (Go field names
		 * fold onto JSON keys), then over the raw keys with missing
		 * keys an error. */
		struct tmpl_options typed = { .missing = TMPL_MISSING_DEFAULT, .fold_case = true };
		struct tmpl_options raw = { .missing = TMPL_MISSING_ERROR };
		struct sbuf one = SBUF_INIT;
		robbe_error *e1 = NULL, *e2 = NULL;

		if (tmpl_execute(t, el, &typed, &one, &e1) < 0) {
			robbe_error_free(e1);
			sbuf_reset(&one);
			if (tmpl_execute(t, el, &raw, &one, &e2) < 0) {
				if (errors.len)
					sbuf_addc(&errors, '\n');
				sbuf_addf(&errors, "template parsing error: %s", e2->msg);
				robbe_error_free(e2);
				sbuf_release(&one);
				continue;
			}
		}
		sbuf_add(out, sbuf_str(&one), one.len);
		sbuf_addc(out, '\n');
		sbuf_release(&one);
	}
	if (out->len == before)
		sbuf_addc(out, '\n'); /* Docker prints an empty line when nothing rendered */
	tmpl_free(t);
	if (errors.len) {
		robbe_error_set(err, EXIT_GENERAL, "%s", sbuf_str(&errors));
		sbuf_release(&errors);
		return -1;
	}
	return 0;
}

cJSON *format_headers(const char *const (*table)[2], size_t n, const char *mark)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; i < n; i++)
		cJSON_AddStringToObject(o, table[i][0], table[i][1]);
	if (mark)
		cJSON_AddTrueToObject(o, mark);
	return o;
}

cJSON *format_label_title(const char *key)
{
	const char *last = strrchr(key, '.');
	char *title = xstrdup(last ? last + 1 : key);
	cJSON *r;

	for (char *c = title; *c; c++)
		if (*c == '-' || *c == '_')
			*c = ' ';
	r = cJSON_CreateString(title);
	free(title);
	return r;
}

int format_inspect_finish(const char *user_format, const cJSON *array, struct sbuf *errors, robbe_error **err)
{
	cleanup_sbuf struct sbuf out = SBUF_INIT;
	robbe_error *ferr = NULL;

	if (format_inspect_sbuf(user_format, array, &out, &ferr) < 0 && ferr->status == EXIT_TEMPLATE) {
		*err = ferr;
		return -1;
	}
	fwrite(sbuf_str(&out), 1, out.len, stdout);
	fflush(stdout);
	if (ferr) {
		if (errors->len)
			sbuf_addc(errors, '\n');
		sbuf_adds(errors, ferr->msg);
		robbe_error_free(ferr);
	}
	if (errors->len)
		return robbe_error_set(err, EXIT_GENERAL, "%s", sbuf_str(errors));
	return 0;
}

int format_inspect(const char *user_format, const cJSON *array, FILE *out, robbe_error **err)
{
	struct sbuf sb = SBUF_INIT;
	int r = format_inspect_sbuf(user_format, array, &sb, err);

	if (sb.len > 0 && fwrite(sb.buf, 1, sb.len, out) != sb.len && r == 0)
		r = robbe_error_errno(err, errno ? errno : EIO, "writing output");
	if (fflush(out) != 0 && r == 0)
		r = robbe_error_errno(err, errno, "writing output");
	sbuf_release(&sb);
	return r;
}

char *json_encode_go(const cJSON *v, bool indent, bool escape_html)
{
	struct sbuf sb = SBUF_INIT;
	gojson_cjson(&sb, v, indent, 0, escape_html);
	return sbuf_detach(&sb);
}
