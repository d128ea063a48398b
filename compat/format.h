/* format.h: Docker's --format handling on top of the template engine.
 *
 *   ""/"table"  the command's default table layout
 *   "table X"   X as a table: a header row, then rows, tab-aligned
 *   "json"      {{json .}}: one compact JSON object per line
 *   other       the template, one line per row
 * The two-character sequences \t and \n in a format become TAB and newline.
 */
#ifndef ROBBE_FORMAT_H
#define ROBBE_FORMAT_H

#include "compat/template.h"

struct formatter;

/* user_format: what the user gave (may be NULL).  default_format: the
 * command's own layout, e.g. "table {{.ID}}\t{{.Image}}".  headers: object
 * mapping field name -> column title ("ID" -> "CONTAINER ID"), used for the
 * header pass of tables; may be NULL.  A bad template fails with Docker's
 * "template parsing error: ..." wording and status EXIT_GENERAL, as `docker
 * ps` exits; commands that exit 64 instead (version, info, events) set
 * err->status = EXIT_TEMPLATE themselves.  opts (may be NULL) apply to the
 * rows; the header pass runs with header_mode and missing keys as <no value>,
 * and a method hook sees the headers object as its dot there. */
int formatter_new(const char *user_format, const char *default_format, const cJSON *headers,
		  const struct tmpl_options *opts, struct formatter **out, robbe_error **err);
/* Render one row (buffered: a table is aligned when flushed).  A failing
 * row adds nothing; Docker then prints nothing at all, so callers should
 * stop without flushing. */
int formatter_row(struct formatter *f, const cJSON *row, robbe_error **err);
/* Write everything (header first for tables, even with no rows). */
int formatter_flush(struct formatter *f, FILE *out, robbe_error **err);
/* The same into a buffer (appends; the rows are consumed). */
int formatter_render(struct formatter *f, struct sbuf *out);
void formatter_free(struct formatter *f);
bool formatter_is_table(const struct formatter *f);

/* The headers object for formatter_new from a table of {field, column
 * title} pairs.  With mark (not NULL), the object also has that key set
 * true, so that a method hook can tell the header pass from a row. */
cJSON *format_headers(const char *const (*table)[2], size_t n, const char *mark);
/* What a table's header shows for `.Label "key"`: the key's last dotted
 * part with - and _ as spaces ("com.example.app-name" -> "app name"). */
cJSON *format_label_title(const char *key);
/* The mark list commands put on their headers object. */
#define FORMAT_HEADER_MARK "\x01header"

/* Inspect's way: run the template for each object with Go-name folding, then
 * again with missingkey=error over the raw JSON if the first pass failed;
 * each result followed by a newline.  Without a format, print the objects as
 * a JSON array indented with 4 spaces, HTML characters escaped as Go does. */
int format_inspect(const char *user_format, const cJSON *array, FILE *out, robbe_error **err);
/* The same into a buffer.  "json" prints the array compact on one line.
 * A template that fails to parse: status EXIT_TEMPLATE, "template parsing
 * error: ...", nothing printed.  Objects whose template fails in both passes
 * are skipped and their errors joined by newlines (status EXIT_GENERAL) after
 * the others printed; with nothing printed at all the output is "\n". */
int format_inspect_sbuf(const char *user_format, const cJSON *array, struct sbuf *out, robbe_error **err);
/* The end of an inspect command that looked up several objects: a template
 * error ends it at once; otherwise what was found is printed, and then the
 * errors (those of the lookups in errors, one per line, then the
 * format's) make it fail with status 1. */
int format_inspect_finish(const char *user_format, const cJSON *array, struct sbuf *errors, robbe_error **err);

/* Docker's JSON encoding: compact or 4-space indent, HTML escaping of < > &
 * as \u003c \u003e \u0026, keys in the object's own order. */
char *json_encode_go(const cJSON *v, bool indent, bool escape_html);

/* Tab-aligned text as Docker's tabwriter makes it: minwidth 10, padding 3.
 * Cells end at a TAB; a line's last cell is not aligned; widths count
 * terminal columns (East Asian wide characters take two). */
struct tabwriter;
struct tabwriter *tabwriter_new(int minwidth, int padding);
void tabwriter_write(struct tabwriter *tw, const char *text, size_t len);
void tabwriter_flush(struct tabwriter *tw, FILE *out);
void tabwriter_flush_sbuf(struct tabwriter *tw, struct sbuf *out);
void tabwriter_free(struct tabwriter *tw);
/* Terminal columns of a UTF-8 string, as go-runewidth counts them. */
size_t display_width(const char *s, size_t n);

/* Human units as Docker prints them. */
char *human_size(double bytes);                  /* "7.8MB", "187MB", "1.23GB" (SI, 3 digits) */
char *human_size_prec(double bytes, int digits);  /* units.HumanSizeWithPrecision; human_size is 3 */
char *human_size_binary(double bytes);           /* "1.5MiB" (stats; 4 digits, 1024-based) */
char *human_duration(int64_t seconds);           /* "Less than a second", "5 minutes", "About an hour" */

#endif
