/* test-opts.c: the option parser (pflag's rules and wording), the value
 * syntaxes, option help, the command tree and its aliases, argument-count
 * messages and completion. */
#include "config.h"

#include <string.h>

#include "compat/cli.h"
#include "compat/opts.h"
#include "tests/unit/tap.h"

static const struct opt_def tbl[] = {
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .help = "Background" },
	{ .long_name = "interactive", .short_name = 'i', .type = OPT_BOOL, .help = "Keep stdin" },
	{ .long_name = "tty", .short_name = 't', .type = OPT_BOOL, .help = "Terminal" },
	{ .long_name = "name", .type = OPT_STRING, .help = "Name" },
	{ .long_name = "env", .short_name = 'e', .type = OPT_LIST, .help = "Env" },
	{ .long_name = "publish", .short_name = 'p', .type = OPT_LIST, .help = "Ports" },
	{ .long_name = "memory", .short_name = 'm', .type = OPT_BYTES, .help = "Memory" },
	{ .long_name = "memory-swap", .type = OPT_BYTES, .flags = OPT_MINUS_ONE, .help = "Swap" },
	{ .long_name = "health-interval", .type = OPT_DURATION, .def = "0s", .help = "Interval" },
	{ .long_name = "cpus", .type = OPT_DECIMAL, .help = "CPUs" },
	{ .long_name = "sysctl", .type = OPT_MAP, .def = "map[]", .help = "Sysctls" },
	{ .long_name = "cache-from", .type = OPT_STRINGS, .help = "Cache" },
	{ .long_name = "restart", .type = OPT_STRING, .def = "no", .help = "Restart" },
	{ .long_name = "sig-proxy", .type = OPT_BOOL, .def = "true", .help = "Signals" },
	{ .long_name = "last", .short_name = 'n', .type = OPT_INT, .def = "-1", .help = "Last" },
	{ .long_name = "blkio-weight", .type = OPT_UINT, .metavar = "uint16", .help = "Weight" },
	{ .long_name = "network", .type = OPT_LIST, .metavar = "network", .help = "Network" },
	{ .long_name = "net", .type = OPT_LIST, .alias_of = "network" },
	{ .long_name = "timeout", .short_name = 's', .type = OPT_INT, .help = "Timeout" },
	{ .long_name = "time", .type = OPT_INT, .alias_of = "timeout", .deprecated = "use --timeout instead" },
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .metavar = "filter",
	  .validate = opts_validate_filter, .help = "Filter" },
	{ .long_name = "ratio", .type = OPT_FLOAT, .help = "Ratio" },
	{ .long_name = "docker", .type = OPT_MAP, .metavar = "stringToString", .flags = OPT_CSV, .help = "Endpoint" },
	{ 0 }
};
static const struct opt_def host_tbl[] = {
	{ .long_name = "hostname", .short_name = 'h', .type = OPT_STRING, .help = "Host name" },
	{ .long_name = "help", .type = OPT_BOOL, .help = "Print usage" },
	{ 0 }
};

static struct opts_result *R;
static char *E;

/* Parse a space-separated command line; E holds the error message, if any. */
static int parse_with(const struct opt_def *t, unsigned flags, const char *line)
{
	cleanup_free char *copy = xstrdup(line);
	char *argv[64];
	int argc = 0;
	char *save = NULL;
	robbe_error *err = NULL;
	int rc;

	opts_result_free(R);
	R = NULL;
	free(E);
	E = NULL;
	for (char *w = strtok_r(copy, " ", &save); w && argc < 63; w = strtok_r(NULL, " ", &save))
		argv[argc++] = strcmp(w, "''") == 0 ? (char *) "" : w;
	argv[argc] = NULL;
	rc = opts_parse(OPTS(t), argc, argv, flags, &R, &err);
	if (rc < 0) {
		E = xstrdup(err->msg);
		robbe_error_free(err);
	}
	return rc;
}

static int parse(const char *line)
{
	return parse_with(tbl, 0, line);
}

static const char *list_at(const char *name, size_t i)
{
	char *const *l = opts_list(R, name);
	for (size_t k = 0; k < i; k++)
		if (!l[k])
			return NULL;
	return l[i];
}

static const char *bytes_err(const char *s, int64_t *v)
{
	static char buf[256];
	robbe_error *err = NULL;
	if (opts_parse_bytes(s, v, &err) == 0)
		return NULL;
	snprintf(buf, sizeof(buf), "%s", err->msg);
	robbe_error_free(err);
	return buf;
}

static const char *dur_err(const char *s, int64_t *v)
{
	static char buf[256];
	robbe_error *err = NULL;
	if (opts_parse_duration(s, v, &err) == 0)
		return NULL;
	snprintf(buf, sizeof(buf), "%s", err->msg);
	robbe_error_free(err);
	return buf;
}

static void test_bools(void)
{
	ok(parse("-d") == 0 && opts_bool(R, "detach"), "-d sets a bool");
	ok(opts_changed(R, "detach") && !opts_changed(R, "tty"), "changed marks only what was given");
	ok(parse("--detach") == 0 && opts_bool(R, "detach"), "--detach");
	ok(parse("--detach=false") == 0 && !opts_bool(R, "detach") && opts_changed(R, "detach"), "--detach=false");
	ok(parse("--detach=1") == 0 && opts_bool(R, "detach"), "--detach=1");
	ok(parse("--detach=0") == 0 && !opts_bool(R, "detach"), "--detach=0");
	ok(parse("--detach=T") == 0 && opts_bool(R, "detach"), "--detach=T");
	ok(parse("--detach=False") == 0 && !opts_bool(R, "detach"), "--detach=False");
	parse("--detach=foo");
	is_str(E, "invalid argument \"foo\" for \"-d, --detach\" flag: strconv.ParseBool: parsing \"foo\": invalid syntax",
	       "bad bool wording");
	parse("--sig-proxy=");
	is_str(E, "invalid argument \"\" for \"--sig-proxy\" flag: strconv.ParseBool: parsing \"\": invalid syntax",
	       "empty bool wording");
	ok(parse("--detach false") == 0 && opts_bool(R, "detach") && R->argc == 1 && strcmp(R->argv[0], "false") == 0,
	   "--bool does not take the next word");
	ok(parse("-d=false") == 0 && !opts_bool(R, "detach"), "-d=false");
	ok(parse("") == 0 && opts_bool(R, "sig-proxy") && !opts_changed(R, "sig-proxy"), "bool default true");
}

static void test_shorts(void)
{
	ok(parse("-it") == 0 && opts_bool(R, "interactive") && opts_bool(R, "tty"), "-it bundle");
	ok(parse("-dit") == 0 && opts_bool(R, "detach") && opts_bool(R, "interactive") && opts_bool(R, "tty"), "-dit bundle");
	ok(parse("-p8080:80") == 0 && !strcmp(list_at("publish", 0), "8080:80"), "-p8080:80");
	ok(parse("-e=X") == 0 && !strcmp(list_at("env", 0), "X"), "-e=X");
	ok(parse("-eX=1") == 0 && !strcmp(list_at("env", 0), "X=1"), "-eX=1");
	ok(parse("-e X") == 0 && !strcmp(list_at("env", 0), "X"), "-e X");
	ok(parse("-de X") == 0 && opts_bool(R, "detach") && !strcmp(list_at("env", 0), "X"), "-de X");
	ok(parse("-e=") == 0 && !strcmp(list_at("env", 0), "="), "-e= gives \"=\" as pflag does");
	ok(parse("-itp 80") == 0 && !strcmp(list_at("publish", 0), "80") && opts_bool(R, "tty"), "bundle ending in a value flag");
	parse("-e");
	is_str(E, "flag needs an argument: 'e' in -e", "short needs argument");
	parse("-de");
	is_str(E, "flag needs an argument: 'e' in -e", "bundle needs argument");
	parse("-q");
	is_str(E, "unknown shorthand flag: 'q' in -q", "unknown shorthand");
	parse("-dq");
	is_str(E, "unknown shorthand flag: 'q' in -q", "unknown shorthand in bundle");
	parse("-d=");
	is_str(E, "unknown shorthand flag: '=' in -=", "-d= leaves '=' as a flag letter");
}

static void test_longs(void)
{
	ok(parse("--name web") == 0 && !strcmp(opts_str(R, "name"), "web"), "--name value");
	ok(parse("--name=web") == 0 && !strcmp(opts_str(R, "name"), "web"), "--name=value");
	ok(parse("--name=") == 0 && !strcmp(opts_str(R, "name"), "") && opts_changed(R, "name"), "--name= is empty");
	ok(parse("--name a --name b") == 0 && !strcmp(opts_str(R, "name"), "b"), "last string wins");
	ok(parse("") == 0 && opts_str(R, "name") == NULL, "unset string is NULL");
	ok(!strcmp(opts_str(R, "restart"), "no"), "string default");
	parse("--name");
	is_str(E, "flag needs an argument: --name", "long needs argument");
	parse("--x");
	is_str(E, "unknown flag: --x", "unknown long");
	parse("--x=1");
	is_str(E, "unknown flag: --x", "unknown long with value");
	parse("---x");
	is_str(E, "bad flag syntax: ---x", "three dashes");
	parse("--=x");
	is_str(E, "bad flag syntax: --=x", "--=x");
	parse("--help");
	is_str(E, "unknown flag: --help", "--help is unknown without OPTS_HELP_FLAG");
}

static void test_positionals(void)
{
	ok(parse("a -d b") == 0 && R->argc == 2 && !strcmp(R->argv[1], "b") && opts_bool(R, "detach"),
	   "interspersed by default");
	ok(parse("-- -d") == 0 && R->argc == 1 && !strcmp(R->argv[0], "-d") && !opts_bool(R, "detach") && R->dash_at == 0,
	   "-- ends options");
	ok(parse("a -- b -e") == 0 && R->argc == 3 && R->dash_at == 1, "-- after a positional");
	ok(parse("-") == 0 && R->argc == 1 && !strcmp(R->argv[0], "-"), "- alone is a positional");
	ok(parse("-d") == 0 && R->dash_at == -1 && R->argv[0] == NULL, "no -- seen");
	ok(parse_with(tbl, OPTS_STOP_AT_POSITIONAL, "-d img -e X cmd") == 0 && opts_bool(R, "detach") &&
	   R->argc == 4 && !strcmp(R->argv[1], "-e") && opts_list(R, "env")[0] == NULL,
	   "stop at the first positional");
	ok(parse_with(tbl, OPTS_STOP_AT_POSITIONAL, "-d -- img -it") == 0 && R->argc == 2, "-- with stop mode");
}

static void test_lists(void)
{
	ok(parse("-e A -e B --env=C") == 0 && !strcmp(list_at("env", 2), "C") && list_at("env", 3) == NULL,
	   "lists append");
	ok(parse("") == 0 && opts_list(R, "env") && opts_list(R, "env")[0] == NULL, "empty list is an empty vector");
	ok(parse("--sysctl a=1 --sysctl b") == 0 && !strcmp(list_at("sysctl", 0), "a=1") && !strcmp(list_at("sysctl", 1), "b"),
	   "map entries kept in order");
	ok(parse("--cache-from a,b --cache-from c") == 0 && !strcmp(list_at("cache-from", 1), "b") &&
	   !strcmp(list_at("cache-from", 2), "c"), "strings split on commas");
	ok(parse("--cache-from \"x,y\",z") == 0 && !strcmp(list_at("cache-from", 0), "x,y"), "csv quoting");
	ok(parse("--cache-from ''") == 0 && list_at("cache-from", 0) == NULL, "empty strings value adds nothing");
	ok(parse("--docker host=unix:///x,skip=1") == 0 && !strcmp(list_at("docker", 1), "skip=1"), "stringToString pairs");
	parse("--docker host");
	is_str(E, "invalid argument \"host\" for \"--docker\" flag: host must be formatted as key=value", "stringToString wording");
	ok(parse("--net host") == 0 && !strcmp(list_at("network", 0), "host"), "hidden alias fills the main option");
	ok(parse("--time 5") == 0 && opts_int(R, "timeout") == 5 && R->notices &&
	   !strcmp(R->notices[0], "Flag --time has been deprecated, use --timeout instead"), "deprecated alias and notice");
	parse("-f bad");
	is_str(E, "invalid argument \"bad\" for \"-f, --filter\" flag: bad format of filter (expected name=value)",
	       "filter validation wording");
	ok(parse("-f a=b") == 0, "valid filter");
}

static void test_numbers(void)
{
	ok(parse("") == 0 && opts_int(R, "last") == -1, "int default");
	ok(parse("-n 0x10") == 0 && opts_int(R, "last") == 16, "int base prefix");
	ok(parse("-n -5") == 0 && opts_int(R, "last") == -5, "negative int");
	ok(parse("-n 1_000") == 0 && opts_int(R, "last") == 1000, "underscores as Go allows");
	ok(parse("-n 010") == 0 && opts_int(R, "last") == 8, "leading zero is octal");
	parse("-n abc");
	is_str(E, "invalid argument \"abc\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax",
	       "int wording");
	parse("-n 99999999999999999999");
	is_str(E, "invalid argument \"99999999999999999999\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"99999999999999999999\": value out of range",
	       "int overflow wording");
	parse("-n _1");
	ok(E != NULL, "misplaced underscore rejected");
	parse("--blkio-weight 70000");
	is_str(E, "invalid argument \"70000\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"70000\": value out of range",
	       "uint16 range");
	parse("--blkio-weight -1");
	is_str(E, "invalid argument \"-1\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"-1\": invalid syntax",
	       "uint sign");
	ok(parse("--blkio-weight 500") == 0 && opts_uint(R, "blkio-weight") == 500, "uint16 value");
	ok(parse("--ratio 0.25") == 0 && opts_float(R, "ratio") == 0.25, "float");
	parse("--ratio x");
	is_str(E, "invalid argument \"x\" for \"--ratio\" flag: strconv.ParseFloat: parsing \"x\": invalid syntax", "float wording");
	ok(parse("--cpus 1.5") == 0 && opts_decimal_nano(R, "cpus") == 1500000000, "--cpus 1.5");
	ok(parse("--cpus 1/2") == 0 && opts_decimal_nano(R, "cpus") == 500000000, "--cpus 1/2");
	ok(parse("--cpus 2e-3") == 0 && opts_decimal_nano(R, "cpus") == 2000000, "--cpus with exponent");
	parse("--cpus x");
	is_str(E, "invalid argument \"x\" for \"--cpus\" flag: failed to parse x as a rational number", "decimal wording");
	parse("--cpus 0.0000000001");
	is_str(E, "invalid argument \"0.0000000001\" for \"--cpus\" flag: value is too precise", "too precise");
	parse("--cpus 1/0");
	is_str(E, "invalid argument \"1/0\" for \"--cpus\" flag: failed to parse 1/0 as a rational number", "zero denominator");
	ok(parse("--health-interval 1m30s") == 0 && opts_duration_ns(R, "health-interval") == INT64_C(90000000000), "duration option");
	ok(parse("") == 0 && opts_duration_ns(R, "health-interval") == 0, "duration default 0s");
	ok(parse("-m 512m") == 0 && opts_bytes(R, "memory") == 536870912, "bytes option");
	parse("-m 12q");
	is_str(E, "invalid argument \"12q\" for \"-m, --memory\" flag: invalid suffix: 'q'", "bytes wording");
	ok(parse("--memory-swap -1") == 0 && opts_bytes(R, "memory-swap") == -1, "memory-swap -1");
	parse("-m -1");
	is_str(E, "invalid argument \"-1\" for \"-m, --memory\" flag: invalid size: '-1'", "memory -1 refused");
}

static void test_bytes(void)
{
	int64_t v = 0;
	ok(bytes_err("0", &v) == NULL && v == 0, "bytes 0");
	ok(bytes_err("1b", &v) == NULL && v == 1, "bytes 1b");
	ok(bytes_err("1k", &v) == NULL && v == 1024, "bytes 1k");
	ok(bytes_err("1K", &v) == NULL && v == 1024, "bytes 1K");
	ok(bytes_err("1kb", &v) == NULL && v == 1024, "bytes 1kb");
	ok(bytes_err("1KiB", &v) == NULL && v == 1024, "bytes 1KiB");
	ok(bytes_err("1.5g", &v) == NULL && v == 1610612736, "bytes 1.5g");
	ok(bytes_err("1.5GiB", &v) == NULL && v == 1610612736, "bytes 1.5GiB");
	ok(bytes_err("1 g", &v) == NULL && v == 1073741824, "bytes with a space");
	ok(bytes_err("1e3", &v) == NULL && v == 1000, "bytes exponent");
	ok(bytes_err("2t", &v) == NULL && v == INT64_C(2199023255552), "bytes terabytes");
	is_str(bytes_err("-1", &v), "invalid size: '-1'", "bytes -1");
	is_str(bytes_err("", &v), "invalid size: ''", "bytes empty");
	is_str(bytes_err("abc", &v), "invalid size: 'abc'", "bytes no digits");
	is_str(bytes_err("12q", &v), "invalid suffix: 'q'", "bytes 12q");
	is_str(bytes_err("1KX", &v), "invalid suffix: 'kx'", "suffix lowercased");
	is_str(bytes_err("1KiBB", &v), "invalid suffix: 'KiBB'", "long suffix kept as typed");
	is_str(bytes_err("1bb", &v), "invalid suffix: 'bb'", "b takes nothing after it");
	is_str(bytes_err("1.5.5g", &v), "strconv.ParseFloat: parsing \"1.5.5\": invalid syntax", "bytes bad number");
	is_str(bytes_err("0x10", &v), "strconv.ParseFloat: parsing \"0x10\": invalid syntax", "bytes hex refused");
	ok(bytes_err("99999999999999999999g", &v) == NULL && v == INT64_MAX, "bytes overflow saturates");
}

static void test_durations(void)
{
	int64_t v = 0;
	char *s;
	ok(dur_err("0", &v) == NULL && v == 0, "duration 0");
	ok(dur_err("10s", &v) == NULL && v == INT64_C(10000000000), "duration 10s");
	ok(dur_err("1m30s", &v) == NULL && v == INT64_C(90000000000), "duration 1m30s");
	ok(dur_err("1h", &v) == NULL && v == INT64_C(3600000000000), "duration 1h");
	ok(dur_err("100ms", &v) == NULL && v == 100000000, "duration 100ms");
	ok(dur_err("1.5s", &v) == NULL && v == 1500000000, "duration 1.5s");
	ok(dur_err("-5s", &v) == NULL && v == INT64_C(-5000000000), "negative duration");
	ok(dur_err("3us", &v) == NULL && v == 3000, "duration us");
	ok(dur_err("3\xc2\xb5s", &v) == NULL && v == 3000, "duration micro sign");
	is_str(dur_err("1", &v), "time: missing unit in duration \"1\"", "missing unit");
	is_str(dur_err("x", &v), "time: invalid duration \"x\"", "invalid duration");
	is_str(dur_err("1q", &v), "time: unknown unit \"q\" in duration \"1q\"", "unknown unit");
	is_str(dur_err(".s", &v), "time: invalid duration \".s\"", "lone dot");
	is_str(dur_err("9999999h", &v), "time: invalid duration \"9999999h\"", "duration overflow");
	is_str(dur_err("", &v), "time: invalid duration \"\"", "empty duration");
	s = opts_format_duration(0);
	is_str(s, "0s", "format 0");
	free(s);
	s = opts_format_duration(INT64_C(90000000000));
	is_str(s, "1m30s", "format 1m30s");
	free(s);
	s = opts_format_duration(100000000);
	is_str(s, "100ms", "format 100ms");
	free(s);
	s = opts_format_duration(INT64_C(2160) * 3600 * 1000000000);
	is_str(s, "2160h0m0s", "format hours");
	free(s);
	s = opts_format_duration(1500000000);
	is_str(s, "1.5s", "format fraction");
	free(s);
	s = opts_format_duration(1500);
	is_str(s, "1.5\xc2\xb5s", "format micro");
	free(s);
	s = opts_format_duration(-1000000000);
	is_str(s, "-1s", "format negative");
	free(s);
}

static void test_help_flag(void)
{
	ok(parse_with(tbl, OPTS_HELP_FLAG, "--help") == 0 && R->help, "--help with OPTS_HELP_FLAG");
	ok(parse_with(tbl, OPTS_HELP_FLAG, "-h") == 0 && R->help && R->notices &&
	   !strcmp(R->notices[0], "Flag shorthand -h has been deprecated, use --help"), "-h is help, deprecated");
	ok(parse_with(tbl, OPTS_HELP_FLAG, "-dh") == 0 && R->help && opts_bool(R, "detach"), "-h in a bundle");
	ok(parse_with(tbl, OPTS_HELP_FLAG, "--help=false") == 0 && !R->help, "--help=false");
	ok(parse_with(host_tbl, OPTS_HELP_FLAG, "-h box") == 0 && !R->help && !strcmp(opts_str(R, "hostname"), "box"),
	   "-h is --hostname where a table owns it");
	ok(parse_with(host_tbl, OPTS_HELP_FLAG, "--help") == 0 && R->help, "declared --help counts as help");
	parse_with(host_tbl, OPTS_HELP_FLAG, "-h");
	is_str(E, "flag needs an argument: 'h' in -h", "run -h needs a value");
}

static void test_help_render(void)
{
	static const struct opt_def t[] = {
		{ .long_name = "all", .short_name = 'a', .type = OPT_BOOL, .help = "Show all" },
		{ .long_name = "last", .short_name = 'n', .type = OPT_INT, .def = "-1", .help = "Show n" },
		{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .metavar = "filter", .help = "Filter" },
		{ .long_name = "restart", .type = OPT_STRING, .def = "no", .help = "Restart" },
		{ .long_name = "sig-proxy", .type = OPT_BOOL, .def = "true", .help = "Proxy" },
		{ .long_name = "sysctl", .type = OPT_MAP, .def = "map[]", .help = "Sysctl" },
		{ .long_name = "ulimit", .type = OPT_LIST, .metavar = "ulimit", .def = "[]", .help = "Ulimit" },
		{ .long_name = "quiet", .type = OPT_BOOL, .def = "false", .help = "Quiet" },
		{ .long_name = "net", .type = OPT_LIST, .alias_of = "filter" },
		{ .long_name = "secret", .type = OPT_STRING, .flags = OPT_HIDDEN, .help = "Hidden" },
		{ .long_name = "listen", .type = OPT_STRING, .metavar = "node-addr", .def = "0.0.0.0:2377", .help = "Addr" },
		{ 0 }
	};
	struct sbuf sb = SBUF_INIT;
	opts_render_help(OPTS(t), 79, &sb);
	is_str(sbuf_str(&sb),
	       "  -a, --all                Show all\n"
	       "  -f, --filter filter      Filter\n"
	       "  -n, --last int           Show n (default -1)\n"
	       "      --listen node-addr   Addr (default 0.0.0.0:2377)\n"
	       "      --quiet              Quiet\n"
	       "      --restart string     Restart (default \"no\")\n"
	       "      --sig-proxy          Proxy (default true)\n"
	       "      --sysctl map         Sysctl (default map[])\n"
	       "      --ulimit ulimit      Ulimit (default [])",
	       "help block: sorted, aligned, defaults as pflag prints them");
	sbuf_reset(&sb);
	opts_wrap(10, 40, "one two three four five six seven eight nine ten eleven", &sb);
	/* 40 - 10 columns, less pflag's slop of 5: 25 per line. */
	is_str(sbuf_str(&sb), "one two three four five\n          six seven eight nine ten\n          eleven",
	       "wrapping at width");
	sbuf_reset(&sb);
	opts_wrap(30, 40, "alpha beta", &sb);
	is_str(sbuf_str(&sb), "\n                alpha beta", "narrow column starts on its own line");
	sbuf_reset(&sb);
	opts_wrap(10, 0, "a\nb", &sb);
	is_str(sbuf_str(&sb), "a\n          b", "no wrapping, newlines indented");
	sbuf_release(&sb);
}

static int count_dups(const struct command *group, const char *prefix)
{
	int bad = 0;
	for (const struct command *a = group->subcommands; a && a->name; a++) {
		const struct command *r = cli_resolve(a);
		if (!r) {
			printf("# %s %s: canonical %s missing\n", prefix, a->name, a->canonical);
			bad++;
			continue;
		}
		if (!r->short_help) {
			printf("# %s %s: no description\n", prefix, a->name);
			bad++;
		}
		for (const struct command *b = a + 1; b->name; b++) {
			const char *names_a[16] = { a->name }, *names_b[16] = { b->name };
			size_t na = 1, nb = 1;
			for (size_t i = 0; a->aliases && a->aliases[i] && na < 16; i++)
				names_a[na++] = a->aliases[i];
			for (size_t i = 0; b->aliases && b->aliases[i] && nb < 16; i++)
				names_b[nb++] = b->aliases[i];
			for (size_t i = 0; i < na; i++)
				for (size_t j = 0; j < nb; j++)
					if (!strcmp(names_a[i], names_b[j])) {
						printf("# %s: %s used twice\n", prefix, names_a[i]);
						bad++;
					}
		}
		if (cli_is_group(a)) {
			cleanup_free char *p = xasprintf("%s %s", prefix, a->name);
			bad += count_dups(a, p);
		} else if (!a->canonical) {
			/* Every table parses with no arguments: defaults are valid,
			 * aliases point somewhere, names are unique. */
			struct opts_result *r0 = NULL;
			robbe_error *err = NULL;
			if (opts_parse(a->opts, 0, NULL, 0, &r0, &err) < 0) {
				printf("# %s %s: %s\n", prefix, a->name, err->msg);
				robbe_error_free(err);
				bad++;
			}
			for (size_t i = 0; r0 && i < r0->n; i++)
				for (size_t j = i + 1; j < r0->n; j++)
					if (!strcmp(r0->defs[i]->long_name, r0->defs[j]->long_name) ||
					    (r0->defs[i]->short_name && r0->defs[i]->short_name == r0->defs[j]->short_name)) {
						printf("# %s %s: option --%s declared twice\n", prefix, a->name, r0->defs[i]->long_name);
						bad++;
					}
			opts_result_free(r0);
		}
	}
	return bad;
}

static void test_tree(void)
{
	static const char *const same[][2] = {
		{ "container list", "container ls" }, { "container ps", "container ls" }, { "ps", "container ls" },
		{ "image list", "image ls" }, { "images", "image ls" }, { "image remove", "image rm" },
		{ "rmi", "image rm" }, { "container remove", "container rm" }, { "rm", "container rm" },
		{ "run", "container run" }, { "exec", "container exec" }, { "build", "image build" },
		{ "builder build", "image build" }, { "info", "system info" }, { "events", "system events" },
		{ "stack down", "stack rm" }, { "stack up", "stack deploy" }, { "network list", "network ls" },
		{ "volume remove", "volume rm" }, { "pull", "image pull" }, { "cp", "container cp" },
	};
	const struct command *c;

	is_int(count_dups(&cli_root, "robbe"), 0, "tree: every alias resolves, no name twice, every table parses");
	for (size_t i = 0; i < ARRAY_SIZE(same); i++) {
		const struct command *a = cli_lookup(same[i][0]), *b = cli_lookup(same[i][1]);
		ok(a && b && cli_resolve(a) == cli_resolve(b), "%s = %s", same[i][0], same[i][1]);
	}
	ok(cli_lookup("frob") == NULL && cli_lookup("container frob") == NULL, "unknown paths");
	c = cli_lookup("image exists");
	ok(c && (c->flags & CMD_PODMAN) && c->handler, "podman's image exists row");
	ok(cli_lookup("container cleanup") && (cli_lookup("container cleanup")->flags & CMD_HIDDEN), "container cleanup is hidden");
	ok(cli_lookup("pod") && cli_is_group(cli_lookup("pod")), "pod group");
	c = cli_lookup("container run");
	ok(c && (c->flags & CMD_STOP_AT_POSITIONAL) && opts_find_short(c->opts, 'h') &&
	   !strcmp(opts_find_short(c->opts, 'h')->long_name, "hostname"), "run: stop at IMAGE, -h is --hostname");
	ok(c && opts_find_long(c->opts, "detach", 6) && !opts_find_long(cli_lookup("container create")->opts, "detach", 6),
	   "create lacks --detach");
	ok(cli_lookup("version") && cli_lookup("version")->handler, "version has a handler");
}

static char *check_args(const char *path, int argc, const char *prog)
{
	const struct command *row = cli_lookup(path);
	const struct command *c = row ? cli_resolve(row) : NULL;
	cleanup_free char *full = xasprintf("%s %s", prog, path);
	robbe_error *err = NULL;
	char *msg;
	if (!c || cli_check_args(prog, full, c, argc, &err) == 0)
		return NULL;
	msg = xstrdup(err->msg);
	robbe_error_free(err);
	return msg;
}

static void test_args(void)
{
	char *m;
	m = check_args("rm", 0, "docker");
	is_str(m, "docker: 'docker rm' requires at least 1 argument\n\nUsage:  docker rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker rm --help' for more information",
	       "min args wording");
	free(m);
	m = check_args("ps", 1, "docker");
	is_str(m, "docker: 'docker ps' accepts no arguments\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information",
	       "no args wording");
	free(m);
	m = check_args("rename", 3, "robbe");
	is_str(m, "robbe: 'robbe rename' requires 2 arguments\n\nUsage:  robbe rename CONTAINER NEW_NAME\n\nRun 'robbe rename --help' for more information",
	       "exact args wording, as robbe");
	free(m);
	m = check_args("attach", 0, "docker");
	ok(m && strstr(m, "requires 1 argument\n"), "singular argument");
	free(m);
	m = check_args("commit", 3, "docker");
	ok(m && strstr(m, "'docker commit' requires at least 1 and at most 2 arguments"), "range wording");
	free(m);
	m = check_args("login", 2, "docker");
	ok(m && strstr(m, "'docker login' requires at most 1 argument"), "max wording");
	free(m);
	m = check_args("context use", 0, "docker");
	is_str(m, "accepts 1 arg(s), received 0", "cobra's own wording for context use");
	free(m);
	ok(check_args("exec", 2, "docker") == NULL && check_args("stats", 0, "docker") == NULL, "accepted counts");
}

static void test_help_pages(void)
{
	struct sbuf sb = SBUF_INIT;
	robbe_error *err = NULL;

	cli_render_help("docker", "docker ps", cli_lookup("ps"), 79, &sb);
	ok(str_has_prefix(sbuf_str(&sb), "Usage:  docker ps [OPTIONS]\n\nList containers\n\nAliases:\n"
					 "  docker container ls, docker container list, docker container ps, docker ps\n\nOptions:\n"
					 "  -a, --all "),
	   "ps help header");
	sbuf_reset(&sb);
	cli_render_help("docker", "docker build", cli_lookup("build"), 79, &sb);
	ok(strstr(sbuf_str(&sb), "\nAliases:\n  docker image build, docker build, docker builder build\n") != NULL,
	   "alias order for build");
	sbuf_reset(&sb);
	cli_render_help("docker", "docker container", cli_lookup("container"), 79, &sb);
	ok(str_has_prefix(sbuf_str(&sb), "Usage:  docker container COMMAND\n\nManage containers\n\nCommands:\n  attach      "),
	   "group help");
	ok(strstr(sbuf_str(&sb), "exists") == NULL, "podman rows hidden when called as docker");
	ok(str_has_suffix(sbuf_str(&sb), "\n\nRun 'docker container COMMAND --help' for more information on a command.\n"),
	   "group help footer");
	sbuf_reset(&sb);
	cli_render_help("robbe", "robbe container", cli_lookup("container"), 79, &sb);
	ok(strstr(sbuf_str(&sb), "\n  exists ") != NULL, "podman rows listed as robbe");
	sbuf_reset(&sb);
	cli_render_help("docker", "docker", &cli_root, 79, &sb);
	ok(str_has_prefix(sbuf_str(&sb), "Usage:  docker [OPTIONS] COMMAND\n\n") &&
	   strstr(sbuf_str(&sb), "\n\nCommon Commands:\n  run         ") &&
	   strstr(sbuf_str(&sb), "\n\nManagement Commands:\n  builder     ") &&
	   strstr(sbuf_str(&sb), "\n\nSwarm Commands:\n  config      ") &&
	   strstr(sbuf_str(&sb), "\n\nCommands:\n  attach      ") &&
	   strstr(sbuf_str(&sb), "\n\nGlobal Options:\n") && !strstr(sbuf_str(&sb), "__complete"),
	   "root help sections");
	sbuf_release(&sb);

	robbe_error_set(&err, 0, "unknown flag: --bogus");
	cli_flag_error("docker", "docker ps", cli_resolve(cli_lookup("ps")), &err);
	is_str(err->msg, "unknown flag: --bogus\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information",
	       "flag error wording");
	is_int(err->status, 125, "flag errors exit 125");
	robbe_error_free(err);
}

static char *complete(const char *prog, const char *line)
{
	cleanup_free char *copy = xstrdup(line);
	char *words[32];
	int n = 0;
	char *save = NULL;
	struct sbuf sb = SBUF_INIT;
	for (char *w = strtok_r(copy, " ", &save); w && n < 31; w = strtok_r(NULL, " ", &save))
		words[n++] = strcmp(w, "''") == 0 ? (char *) "" : w;
	cli_complete(prog, n, words, &sb);
	return sbuf_detach(&sb);
}

static void test_complete(void)
{
	char *s;
	s = complete("robbe", "con");
	ok(strstr(s, "container\t") && strstr(s, "context\t") && !strstr(s, "run"), "subcommand names");
	free(s);
	s = complete("robbe", "p");
	ok(strstr(s, "pod\t") && strstr(s, "ps\t"), "robbe offers pod");
	free(s);
	s = complete("docker", "p");
	ok(!strstr(s, "pod\t") && strstr(s, "ps\t"), "docker hides pod");
	free(s);
	s = complete("robbe", "run --net");
	ok(strstr(s, "--network\t") && !strstr(s, "--net\t"), "long options, hidden aliases left out");
	free(s);
	s = complete("robbe", "run --pull ''");
	ok(s && !strcmp(s, "always\nmissing\nnever\n"), "fixed words for a value");
	free(s);
	s = complete("robbe", "run --pull=m");
	is_str(s, "--pull=missing\n", "--opt=value completion");
	free(s);
	s = complete("robbe", "run --env-file ''");
	is_str(s, ":file\n", "file values go to the shell");
	free(s);
	s = complete("robbe", "--log-level ''");
	ok(strstr(s, "debug\n") != NULL, "global option values");
	free(s);
	s = complete("robbe", "container ls -");
	ok(strstr(s, "-a\t") && strstr(s, "--all\t") && strstr(s, "--help"), "short and long flags");
	free(s);
	s = complete("robbe", "run -d alpine ''");
	is_str(s, ":file\n", "after IMAGE comes the command");
	free(s);
	s = complete("robbe", "ps ''");
	is_str(s, "", "ps takes no arguments");
	free(s);
}

static void test_validators(void)
{
	robbe_error *err = NULL;
	ok(opts_validate_env("A=1", &err) == 0 && opts_validate_env("A", &err) == 0, "env ok");
	ok(opts_validate_env("=x", &err) < 0 && !strcmp(err->msg, "invalid environment variable: =x"), "env wording");
	robbe_error_free(err);
	err = NULL;
	ok(opts_validate_label("", &err) < 0 && !strcmp(err->msg, "invalid label '': empty name"), "label wording");
	robbe_error_free(err);
	err = NULL;
	ok(opts_validate_ip("8.8.8.8", &err) == 0 && opts_validate_ip("::1", &err) == 0, "ip ok");
	ok(opts_validate_ip("bad", &err) < 0 && !strcmp(err->msg, "IP address is not correctly formatted: bad"), "ip wording");
	robbe_error_free(err);
	err = NULL;
	ok(opts_validate_extra_host("db:10.0.0.2", &err) == 0 && opts_validate_extra_host("gw:host-gateway", &err) == 0,
	   "add-host ok");
	ok(opts_validate_extra_host("bad", &err) < 0 && !strcmp(err->msg, "bad format for add-host: \"bad\""), "add-host wording");
	robbe_error_free(err);
	err = NULL;
	ok(opts_validate_sysctl("net.ipv4.ip_forward=1", &err) == 0, "sysctl allowed");
	ok(opts_validate_sysctl("bad", &err) < 0 && !strcmp(err->msg, "sysctl 'bad' is not allowed"), "sysctl wording");
	robbe_error_free(err);
	err = NULL;
	ok(opts_validate_attach("stdout", &err) == 0 && opts_validate_attach("foo", &err) < 0, "attach streams");
	robbe_error_free(err);
}

int main(void)
{
	test_bools();
	test_shorts();
	test_longs();
	test_positionals();
	test_lists();
	test_numbers();
	test_bytes();
	test_durations();
	test_help_flag();
	test_help_render();
	test_tree();
	test_args();
	test_help_pages();
	test_complete();
	test_validators();
	opts_result_free(R);
	free(E);
	return tap_done();
}
