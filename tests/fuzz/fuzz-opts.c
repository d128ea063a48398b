/* fuzz-opts.c: the option parser and value syntaxes on hostile argv.
 *
 * Input: arguments separated by NUL bytes (or by newlines when the input
 * has no NUL).  The first byte picks parser flags.  The target parses the
 * words against a table holding every option type, reads every result
 * back, runs each word through the value parsers and the help wrapper, and
 * frees everything: it must never crash, hang or leak.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "compat/opts.h"

static const struct opt_def fuzz_tbl[] = {
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .help = "bool" },
	{ .long_name = "interactive", .short_name = 'i', .type = OPT_BOOL, .def = "true", .help = "bool" },
	{ .long_name = "name", .short_name = 'n', .type = OPT_STRING, .def = "x", .help = "string" },
	{ .long_name = "count", .short_name = 'c', .type = OPT_INT, .def = "-1", .help = "int" },
	{ .long_name = "weight", .type = OPT_UINT, .metavar = "uint16", .help = "uint16" },
	{ .long_name = "ratio", .type = OPT_FLOAT, .help = "float" },
	{ .long_name = "cpus", .type = OPT_DECIMAL, .help = "decimal" },
	{ .long_name = "memory", .short_name = 'm', .type = OPT_BYTES, .help = "bytes" },
	{ .long_name = "swap", .type = OPT_BYTES, .flags = OPT_MINUS_ONE, .help = "bytes" },
	{ .long_name = "interval", .type = OPT_DURATION, .def = "0s", .help = "duration" },
	{ .long_name = "env", .short_name = 'e', .type = OPT_LIST, .validate = opts_validate_env, .help = "list" },
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .validate = opts_validate_filter, .help = "filter" },
	{ .long_name = "cache", .type = OPT_STRINGS, .help = "strings" },
	{ .long_name = "sysctl", .type = OPT_MAP, .validate = opts_validate_sysctl, .def = "map[]", .help = "map" },
	{ .long_name = "docker", .type = OPT_MAP, .flags = OPT_CSV, .help = "csv map" },
	{ .long_name = "net", .type = OPT_LIST, .alias_of = "env" },
	{ .long_name = "time", .type = OPT_INT, .alias_of = "count", .deprecated = "use --count" },
	{ .long_name = "host", .type = OPT_STRING, .validate = opts_validate_extra_host, .help = "host" },
	{ .long_name = "dns", .type = OPT_LIST, .validate = opts_validate_ip, .help = "ip" },
	{ .long_name = "label", .short_name = 'l', .type = OPT_LIST, .validate = opts_validate_label, .help = "label" },
	{ .long_name = "attach", .short_name = 'a', .type = OPT_LIST, .validate = opts_validate_attach, .help = "attach" },
	{ 0 }
};

static void values(const char *w)
{
	robbe_error *err = NULL;
	int64_t i;
	uint64_t u;
	double f;
	bool b;
	char *s;
	struct sbuf sb = SBUF_INIT;

	if (opts_parse_bytes(w, &i, &err) < 0)
		robbe_error_free(err), err = NULL;
	if (opts_parse_duration(w, &i, &err) < 0)
		robbe_error_free(err), err = NULL;
	else
		free(opts_format_duration(i));
	if (opts_parse_decimal(w, &i, &err) < 0)
		robbe_error_free(err), err = NULL;
	if (opts_parse_int(w, 64, &i, &err) < 0)
		robbe_error_free(err), err = NULL;
	if (opts_parse_uint(w, 16, &u, &err) < 0)
		robbe_error_free(err), err = NULL;
	if (opts_parse_float(w, &f, &err) < 0)
		robbe_error_free(err), err = NULL;
	if (opts_parse_bool(w, &b, &err) < 0)
		robbe_error_free(err), err = NULL;
	s = opts_format_duration((int64_t) (strlen(w) * 7919u) * (w[0] ? w[0] : 1));
	free(s);
	opts_wrap((int) (strlen(w) % 50), (int) (strlen(w) % 90), w, &sb);
	opts_quote(&sb, w);
	sbuf_release(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, **argv;
	int argc = 0;
	char sep;
	unsigned flags;
	struct opts_result *r = NULL;
	robbe_error *err = NULL;
	struct sbuf help = SBUF_INIT;

	if (size == 0 || size > 1 << 16)
		return 0;
	flags = data[0] & (OPTS_STOP_AT_POSITIONAL | OPTS_HELP_FLAG);
	data++;
	size--;
	buf = xmalloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	sep = memchr(data, '\0', size) ? '\0' : '\n';
	argv = xcalloc(size + 2, sizeof(char *));
	for (size_t start = 0, i = 0; i <= size; i++) {
		if (i == size || buf[i] == sep) {
			buf[i] = '\0';
			argv[argc++] = buf + start;
			start = i + 1;
		}
	}

	if (opts_parse(OPTS(fuzz_tbl), argc, argv, flags, &r, &err) == 0) {
		(void) opts_bool(r, "detach");
		(void) opts_str(r, "name");
		(void) opts_int(r, "count");
		(void) opts_uint(r, "weight");
		(void) opts_float(r, "ratio");
		(void) opts_decimal_nano(r, "cpus");
		(void) opts_bytes(r, "memory");
		(void) opts_duration_ns(r, "interval");
		for (char *const *l = opts_list(r, "env"); *l; l++)
			(void) strlen(*l);
		(void) opts_list(r, "cache");
		(void) opts_list(r, "sysctl");
		(void) opts_changed(r, "docker");
	} else {
		robbe_error_free(err);
	}
	opts_result_free(r);
	for (int i = 0; i < argc && i < 8; i++)
		values(argv[i]);
	opts_render_help(OPTS(fuzz_tbl), argc > 0 ? (int) strlen(argv[0]) % 100 : 79, &help);
	sbuf_release(&help);
	free(argv);
	free(buf);
	return 0;
}
