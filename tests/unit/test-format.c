/* test-format.c: Docker's --format handling, the tabwriter, inspect
 * output, Go's JSON encoding and the human units.
 *
 * The tabwriter table below was produced by Go's text/tabwriter with
 * Docker's settings (minwidth 10, tabwidth 1, padding 3, spaces); Docker's
 * fork differs only in counting East Asian wide characters as two columns,
 * which the hand-written cases check.
 */
#include "config.h"

#include <string.h>

#include "compat/format.h"
#include "tests/unit/tap.h"

static const struct { const char *in, *want; } go_tabs[] = {
	{ "ID\tNAME\nabc\tx\n", "ID        NAME\nabc       x\n" },
	{ "CONTAINER ID\tIMAGE\tNAMES\n4f66ad9a0b2e\tnginx:latest\tweb\n1\tbusybox\tdb\n", "CONTAINER ID   IMAGE          NAMES\n4f66ad9a0b2e   nginx:latest   web\n1              busybox        db\n" },
	{ "a\tb\n\nc\td\n", "a         b\n\nc         d\n" },
	{ "a\tb\nnotab\nlonger-than-ten-chars\tx\n", "a         b\nnotab\nlonger-than-ten-chars   x\n" },
	{ "x\t\ty\nlong-cell-here\t\tz\n", "x                          y\nlong-cell-here             z\n" },
	{ "a\tb\tc\t\n", "a         b         c         \n" },
	{ "only\n", "only\n" },
	{ "", "" },
	{ "a\tb", "a         b" },
	{ "h1\th2\th3\nv1\tv2\nw1\tw2\tw3\n", "h1        h2        h3\nv1        v2\nw1        w2        w3\n" },
	{ "NAME\tDRIVER\tSCOPE\nbridge\tbridge\tlocal\nhost\thost\tlocal\nnone\tnull\tlocal\n", "NAME      DRIVER    SCOPE\nbridge    bridge    local\nhost      host      local\nnone      null      local\n" },
	{ "\t\t\n\t\t\n", "                    \n                    \n" },
	{ "a\tb\nc\n\td\te\n", "a         b\nc\n          d         e\n" },
	{ "exactly7\tx\nexactly8!\ty\n", "exactly7    x\nexactly8!   y\n" },
	{ "a\013b\tc\nlonger\013d\te\n", "a         b         c\nlonger    d         e\n" },
	{ "x\014y\tz\n", "x\ny         z\n" },
};

static void test_tabwriter(void)
{
	for (size_t k = 0; k < ARRAY_SIZE(go_tabs); k++) {
		struct tabwriter *tw = tabwriter_new(10, 3);
		struct sbuf sb = SBUF_INIT;
		tabwriter_write(tw, go_tabs[k].in, strlen(go_tabs[k].in));
		tabwriter_flush_sbuf(tw, &sb);
		is_str(sbuf_str(&sb), go_tabs[k].want, "tabwriter go[%zu]", k);
		sbuf_release(&sb);
		tabwriter_free(tw);
	}
	{
		/* written in pieces, cells split across writes */
		struct tabwriter *tw = tabwriter_new(10, 3);
		struct sbuf sb = SBUF_INIT;
		const char *text = "CONTAINER ID\tNAMES\n4f66ad9a0b2e\tweb\n";
		for (const char *p = text; *p; p++)
			tabwriter_write(tw, p, 1);
		tabwriter_flush_sbuf(tw, &sb);
		is_str(sbuf_str(&sb), "CONTAINER ID   NAMES\n4f66ad9a0b2e   web\n", "byte-by-byte writes");
		/* the writer is reusable after a flush */
		sbuf_reset(&sb);
		tabwriter_write(tw, "a\tb\n", 4);
		tabwriter_flush_sbuf(tw, &sb);
		is_str(sbuf_str(&sb), "a         b\n", "reuse after flush");
		sbuf_release(&sb);
		tabwriter_free(tw);
	}
	{
		struct tabwriter *tw = tabwriter_new(10, 3);
		struct sbuf sb = SBUF_INIT;
		const char *text = "\346\227\245\346\234\254\350\252\236\t1\nabcdefghij\t2\n\303\251t\303\251\t3\n";
		tabwriter_write(tw, text, strlen(text));
		tabwriter_flush_sbuf(tw, &sb);
		/* 日本語 is 6 columns wide, été 3 */
		is_str(sbuf_str(&sb),
		       "\346\227\245\346\234\254\350\252\236       1\nabcdefghij   2\n\303\251t\303\251          3\n",
		       "wide and accented characters");
		sbuf_release(&sb);
		tabwriter_free(tw);
	}
	{
		/* text between 0xff bytes is one cell piece, tabs included */
		struct tabwriter *tw = tabwriter_new(10, 3);
		struct sbuf sb = SBUF_INIT;
		const char *text = "a\377\tb\377\tc\n";
		tabwriter_write(tw, text, strlen(text));
		tabwriter_flush_sbuf(tw, &sb);
		is_str(sbuf_str(&sb), "a\377\tb\377        c\n", "escaped segment");
		sbuf_release(&sb);
		tabwriter_free(tw);
	}
	{
		/* thousands of columns: no deep recursion */
		struct tabwriter *tw = tabwriter_new(0, 1);
		struct sbuf in = SBUF_INIT, out = SBUF_INIT;
		for (int k = 0; k < 100000; k++)
			sbuf_adds(&in, "x\t");
		sbuf_adds(&in, "\n");
		tabwriter_write(tw, in.buf, in.len);
		tabwriter_flush_sbuf(tw, &out);
		is_int((long long) out.len, 200001, "100000 columns");
		sbuf_release(&in);
		sbuf_release(&out);
		tabwriter_free(tw);
	}
	is_int((long long) display_width("abc", 3), 3, "width ascii");
	is_int((long long) display_width("\346\227\245", 3), 2, "width CJK");
	is_int((long long) display_width("e\314\201", 3), 1, "width combining");
	is_int((long long) display_width("\360\237\220\263", 4), 2, "width emoji");
}

static char *format_rows(const char *user, const char *def, const char *headers, const char *const *rows,
			 size_t nrows, const struct tmpl_options *opts)
{
	struct formatter *f = NULL;
	robbe_error *err = NULL;
	cJSON *h = headers ? cJSON_Parse(headers) : NULL;
	struct sbuf sb = SBUF_INIT;

	if (formatter_new(user, def, h, opts, &f, &err) < 0) {
		char *r = xasprintf("ERR(%d): %s", err->status, err->msg);
		robbe_error_free(err);
		cJSON_Delete(h);
		return r;
	}
	for (size_t k = 0; k < nrows; k++) {
		cJSON *row = cJSON_Parse(rows[k]);
		if (formatter_row(f, row, &err) < 0) {
			char *r = xasprintf("ERR(%d): %s", err->status, err->msg);
			robbe_error_free(err);
			cJSON_Delete(row);
			cJSON_Delete(h);
			formatter_free(f);
			return r;
		}
		cJSON_Delete(row);
	}
	formatter_render(f, &sb);
	formatter_free(f);
	cJSON_Delete(h);
	return sbuf_detach(&sb);
}

#define PS_DEFAULT "table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.Names}}"
#define PS_HEADERS "{\"ID\":\"CONTAINER ID\",\"Image\":\"IMAGE\",\"Command\":\"COMMAND\",\"Names\":\"NAMES\"," \
		   "\"Status\":\"STATUS\",\"Size\":\"SIZE\",\"Ports\":\"PORTS\"}"

static void fcheck(const char *user, const char *const *rows, size_t n, const char *want, const char *name)
{
	char *got = format_rows(user, PS_DEFAULT, PS_HEADERS, rows, n, NULL);
	is_str(got, want, "%s", name);
	free(got);
}

static void test_formatter(void)
{
	const char *rows[] = {
		"{\"ID\":\"4f66ad9a0b2e\",\"Image\":\"nginx\",\"Command\":\"\\\"nginx -g\\\"\",\"Names\":\"web\","
		"\"Status\":\"Up 5 minutes\",\"Size\":\"2B\",\"Labels\":{\"a\":\"1\"},\"Ports\":[]}",
		"{\"ID\":\"0123456789ab\",\"Image\":\"busybox:latest\",\"Command\":\"\\\"sh\\\"\",\"Names\":\"db\","
		"\"Status\":\"Exited (0) 2 hours ago\",\"Size\":\"0B\",\"Labels\":{},\"Ports\":[\"80/tcp\"]}",
	};
	const char *table_out =
		"CONTAINER ID   IMAGE            COMMAND      NAMES\n"
		"4f66ad9a0b2e   nginx            \"nginx -g\"   web\n"
		"0123456789ab   busybox:latest   \"sh\"         db\n";
	struct formatter *f = NULL;
	robbe_error *err = NULL;

	fcheck(NULL, rows, 2, table_out, "default layout");
	fcheck("", rows, 2, table_out, "empty format: default layout");
	fcheck("table", rows, 2, table_out, "bare table: default layout");
	fcheck("table {{.Names}}\\t{{.Status}}", rows, 2,
	       "NAMES     STATUS\nweb       Up 5 minutes\ndb        Exited (0) 2 hours ago\n", "table with chosen columns");
	fcheck("table {{.Names}}\\t{{.Status}}", rows, 0, "NAMES     STATUS\n", "header even with no rows");
	fcheck("table   {{.Names}}\\t{{.Nope}}  ", rows, 1, "NAMES     <no value>\nweb       <no value>\n",
	       "missing field in header and row");
	fcheck("  table {{.Names}}", rows, 1, "table web\n", "\"table\" only counts at the very start");
	fcheck("{{.Names}}\\t{{.Status}}", rows, 2, "web\tUp 5 minutes\ndb\tExited (0) 2 hours ago\n",
	       "non-table keeps the tab");
	fcheck("{{.Names}}\\n{{.ID}}", rows, 1, "web\n4f66ad9a0b2e\n", "\\n becomes a newline");
	fcheck("  {{.Names}} ", rows, 1, "web\n", "spaces trimmed");
	fcheck("{{.Names}}", rows, 0, "", "no rows, no table: nothing");
	fcheck("json", rows, 2,
	       "{\"ID\":\"4f66ad9a0b2e\",\"Image\":\"nginx\",\"Command\":\"\\\"nginx -g\\\"\",\"Names\":\"web\","
	       "\"Status\":\"Up 5 minutes\",\"Size\":\"2B\",\"Labels\":{\"a\":\"1\"},\"Ports\":[]}\n"
	       "{\"ID\":\"0123456789ab\",\"Image\":\"busybox:latest\",\"Command\":\"\\\"sh\\\"\",\"Names\":\"db\","
	       "\"Status\":\"Exited (0) 2 hours ago\",\"Size\":\"0B\",\"Labels\":{},\"Ports\":[\"80/tcp\"]}\n",
	       "json: one object per line");
	fcheck("table {{pad .Names 1 1}}|\\t{{upper .Names}}\\t{{json .Ports}}", rows, 2,
	       " NAMES |   NAMES     PORTS\n web |     WEB       []\n db |      DB        [\"80/tcp\"]\n",
	       "header functions keep titles; pad pads them");
	/* a header pass that fails prints what it had (Docker ignores the error) */
	fcheck("table {{.Names}}\\t{{json .Labels}}\\t{{.Status}}", rows, 1,
	       "NAMES     \nweb       {\"a\":\"1\"}   Up 5 minutes\n", "failed header pass is cut short");
	fcheck("table {{.Names}}\\t{{.Nope.X}}", rows, 1,
	       "NAMES     <no value>\nweb       <no value>\n", "nested missing field");
	fcheck("{{.Names", rows, 1, "ERR(1): template parsing error: template: :1: unclosed action", "parse error");
	fcheck("{{.Names.X}}", rows, 1,
	       "ERR(1): template parsing error: template: :1:8: executing \"\" at <.Names.X>: can't evaluate field X in type interface {}",
	       "row error");
	fcheck("{{range .Labels}}{{.}}{{end}}|{{join .Ports \",\"}}", rows, 2, "1|\n|80/tcp\n", "range and join");

	ok(formatter_new("table {{.ID}}", NULL, NULL, NULL, &f, &err) == 0 && formatter_is_table(f), "is_table");
	formatter_free(f);
	f = NULL;
	ok(formatter_new("{{.ID}}", NULL, NULL, NULL, &f, &err) == 0 && !formatter_is_table(f), "not table");
	formatter_free(f);
	{
		/* headers NULL: the header pass runs over an empty object */
		const char *r1[] = { "{\"A\":\"x\"}" };
		char *got = format_rows("table {{.A}}", NULL, NULL, r1, 1, NULL);
		is_str(got, "<no value>\nx\n", "no headers object");
		free(got);
	}
}

static void jcheck(const char *json, bool indent, bool html, const char *want)
{
	cJSON *j = cJSON_Parse(json);
	char *got = json_encode_go(j, indent, html);
	is_str(got, want, "json %s%s %s", indent ? "indent " : "", html ? "html" : "", json);
	free(got);
	cJSON_Delete(j);
}

static void test_json(void)
{
	jcheck("{\"b\":1,\"a\":[1,2]}", false, false, "{\"b\":1,\"a\":[1,2]}");
	jcheck("[1, 1.5, -0.25, 1e21, 1e20, 1e-7, 0.000001, 123456789012, 3.0, 0, -0]", false, false,
	       "[1,1.5,-0.25,1e+21,100000000000000000000,1e-7,0.000001,123456789012,3,0,0]");
	jcheck("[1.7976931348623157e308, 5e-324, 0.1, 0.3, 2.5e-10, 12345678.9]", false, false,
	       "[1.7976931348623157e+308,5e-324,0.1,0.3,2.5e-10,12345678.9]");
	jcheck("\"<a href=\\\"x\\\">&amp;</a>\"", false, true, "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e\"");
	jcheck("\"<a>&\"", false, false, "\"<a>&\"");
	jcheck("\"tab\\tnl\\ncr\\rbs\\\\q\\\"\\b\\f\\u0001\\u001f\\u007f\"", false, false,
	       "\"tab\\tnl\\ncr\\rbs\\\\q\\\"\\b\\f\\u0001\\u001f\x7f\"");
	jcheck("\"\\u2028\\u2029\\u00e9\"", false, false, "\"\\u2028\\u2029\303\251\"");
	jcheck("[]", true, true, "[]");
	jcheck("{}", true, true, "{}");
	jcheck("{\"a\":[],\"b\":{},\"c\":[1,{\"d\":null}],\"e\":true}", true, true,
	       "{\n    \"a\": [],\n    \"b\": {},\n    \"c\": [\n        1,\n        {\n            \"d\": null\n        }\n    ],\n"
	       "    \"e\": true\n}");
	jcheck("[\"x\",false]", true, false, "[\n    \"x\",\n    false\n]");
	{
		cJSON *s = cJSON_CreateString("bad \xff utf8");
		char *got = json_encode_go(s, false, false);
		is_str(got, "\"bad \\ufffd utf8\"", "invalid UTF-8 replaced");
		free(got);
		cJSON_Delete(s);
	}
}

static char *inspect(const char *format, const char *json, int *status)
{
	cJSON *arr = cJSON_Parse(json);
	struct sbuf sb = SBUF_INIT;
	robbe_error *err = NULL;
	int r = format_inspect_sbuf(format, arr, &sb, &err);
	char *res;

	*status = 0;
	if (r < 0) {
		*status = err->status;
		res = xasprintf("%s<ERR>%s", sbuf_str(&sb), err->msg);
	} else {
		res = sbuf_detach(&sb);
	}
	robbe_error_free(err);
	sbuf_release(&sb);
	cJSON_Delete(arr);
	return res;
}

static void icheck(const char *format, const char *json, const char *want, int want_status)
{
	int status;
	char *got = inspect(format, json, &status);
	is_str(got, want, "inspect -f '%s'", format ? format : "(none)");
	is_int(status, want_status, "inspect status");
	free(got);
}

static void test_inspect(void)
{
	const char *two = "[{\"Id\":\"abc\",\"Name\":\"/web\",\"Config\":{\"Cmd\":[\"sh\",\"-c\",\"echo hi\"],"
			  "\"Labels\":{\"x\":\"<y>\"},\"CpuShares\":0},\"Args\":[]},"
			  "{\"Id\":\"def\",\"Name\":\"/db\",\"Config\":{\"Cmd\":null,\"Labels\":{},\"CpuShares\":512},\"Args\":[]}]";

	icheck(NULL, "[]", "[]\n", 0);
	icheck("", "[{\"Id\":\"a<b\",\"E\":[],\"O\":{},\"N\":1.5}]",
	       "[\n    {\n        \"Id\": \"a\\u003cb\",\n        \"E\": [],\n        \"O\": {},\n        \"N\": 1.5\n    }\n]\n", 0);
	icheck("json", "[{\"Id\":\"a&b\"},{\"Id\":\"c\"}]", "[{\"Id\":\"a\\u0026b\"},{\"Id\":\"c\"}]\n", 0);
	icheck("json", "[]", "[]\n", 0);
	icheck("{{.Id}}", two, "abc\ndef\n", 0);
	icheck("{{.ID}} {{.Config.CPUShares}}", two, "abc 0\ndef 512\n", 0);
	icheck("{{.Config.Cmd}}", two, "[sh -c echo hi]\n<nil>\n", 0);
	icheck("{{json .Config.Labels}}", two, "{\"x\":\"<y>\"}\n{}\n", 0);
	icheck("{{.Name}}{{.Nope}}", two, "/web<no value>\n/db<no value>\n", 0);
	icheck("{{.Name.X}}", two,
	       "\n<ERR>template parsing error: template: :1:7: executing \"\" at <.Name.X>: can't evaluate field X in type interface {}\n"
	       "template parsing error: template: :1:7: executing \"\" at <.Name.X>: can't evaluate field X in type interface {}",
	       1);
	icheck("{{if eq .Id \"abc\"}}{{.Name.X}}{{else}}{{.Name}}{{end}}", two,
	       "/db\n<ERR>template parsing error: template: :1:26: executing \"\" at <.Name.X>: can't evaluate field X in type interface {}",
	       1);
	icheck("{{.Id", two, "<ERR>template parsing error: template: :1: unclosed action", 64);
	icheck("{{nosuchfunc .}}", "[]", "<ERR>template parsing error: template: :1: function \"nosuchfunc\" not defined", 64);
	icheck("{{.Id}}", "[]", "\n", 0);
	{
		int status;
		FILE *f = tmpfile();
		cJSON *arr = cJSON_Parse("[{\"Id\":\"x\"}]");
		robbe_error *err = NULL;
		char buf[64] = "";
		ok(format_inspect("{{.Id}}", arr, f, &err) == 0, "format_inspect to FILE");
		rewind(f);
		ok(fgets(buf, sizeof(buf), f) != NULL, "read back");
		is_str(buf, "x\n", "FILE output");
		fclose(f);
		cJSON_Delete(arr);
		(void) status;
	}
}

static void scheck(char *got, const char *want, const char *name)
{
	is_str(got, want, "%s", name);
	free(got);
}

static void test_human(void)
{
	scheck(human_size(0), "0B", "size 0");
	scheck(human_size(1), "1B", "size 1");
	scheck(human_size(999), "999B", "size 999");
	scheck(human_size(1000), "1kB", "size 1000");
	scheck(human_size(1024), "1.02kB", "size 1024");
	scheck(human_size(1500), "1.5kB", "size 1500");
	scheck(human_size(999999), "1e+03kB", "size 999999 (Docker's quirk)");
	scheck(human_size(1000000), "1MB", "size 1MB");
	scheck(human_size(7800000), "7.8MB", "size 7.8MB");
	scheck(human_size(187000000), "187MB", "size 187MB");
	scheck(human_size(187654321), "188MB", "size rounds");
	scheck(human_size(1234567890), "1.23GB", "size 1.23GB");
	scheck(human_size(1e12), "1TB", "size TB");
	scheck(human_size(1e27), "1e+03YB", "size past the last unit");
	scheck(human_size_prec(2746000, 4), "2.746MB", "HumanSize precision 4");
	scheck(human_size_binary(0), "0B", "bytes 0");
	scheck(human_size_binary(1023), "1023B", "bytes 1023");
	scheck(human_size_binary(1024), "1KiB", "bytes 1KiB");
	scheck(human_size_binary(1536 * 1024), "1.5MiB", "bytes 1.5MiB");
	scheck(human_size_binary(8346701824.0), "7.773GiB", "bytes GiB");
	scheck(human_size_binary(45056), "44KiB", "bytes 44KiB");

	scheck(human_duration(-5), "Less than a second", "dur negative");
	scheck(human_duration(0), "Less than a second", "dur 0");
	scheck(human_duration(1), "1 second", "dur 1s");
	scheck(human_duration(2), "2 seconds", "dur 2s");
	scheck(human_duration(59), "59 seconds", "dur 59s");
	scheck(human_duration(60), "About a minute", "dur 60s");
	scheck(human_duration(119), "About a minute", "dur 119s");
	scheck(human_duration(120), "2 minutes", "dur 2m");
	scheck(human_duration(35 * 60 + 40), "35 minutes", "dur 35m40s");
	scheck(human_duration(59 * 60 + 59), "59 minutes", "dur 59m59s");
	scheck(human_duration(3600), "About an hour", "dur 1h");
	scheck(human_duration(3600 + 29 * 60), "About an hour", "dur 1h29m");
	scheck(human_duration(3600 + 30 * 60), "2 hours", "dur 1h30m rounds up");
	scheck(human_duration(3 * 3600 + 29 * 60), "3 hours", "dur 3h29m");
	scheck(human_duration(3 * 3600 + 31 * 60), "4 hours", "dur 3h31m");
	scheck(human_duration(24 * 3600), "24 hours", "dur 24h");
	scheck(human_duration(47 * 3600 + 29 * 60), "47 hours", "dur 47h29m");
	scheck(human_duration(47 * 3600 + 30 * 60), "2 days", "dur 47h30m");
	scheck(human_duration(13 * 86400 + 5 * 3600), "13 days", "dur 13d");
	scheck(human_duration(14 * 86400), "2 weeks", "dur 2w");
	scheck(human_duration(30 * 86400), "4 weeks", "dur 30d");
	scheck(human_duration(44 * 86400), "6 weeks", "dur 44d");
	scheck(human_duration(60 * 86400), "2 months", "dur 60d");
	scheck(human_duration(720 * 86400), "24 months", "dur 720d");
	scheck(human_duration(730 * 86400), "2 years", "dur 730d");
	scheck(human_duration(3 * 365 * 86400 + 60 * 86400), "3 years", "dur 3y2m");
}

int main(void)
{
	test_tabwriter();
	test_formatter();
	test_json();
	test_inspect();
	test_human();
	return tap_done();
}
