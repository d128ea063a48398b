/* opts.h: options as data, parsed with pflag's rules (Docker's parser).
 *
 * Each command declares its options once, as a table of struct opt_def.
 * The same table drives parsing, `--help` output and shell completion.
 *
 * Parsing rules (those of spf13/pflag, which Docker uses):
 *   --flag value, --flag=value, -f value, -fvalue, -f=value,
 *   -abc (bools bundled; the last letter may take a value: -dit, -p8080:80),
 *   --bool, --bool=false|true|1|0|t|f, "--" ends the options, "-" alone is
 *   a positional, list and map options repeat and append, options and
 *   positionals mix freely unless OPTS_STOP_AT_POSITIONAL is given (run,
 *   create, exec: everything after IMAGE or CONTAINER is the command).
 * Errors carry pflag's wording and status 125.
 */
#ifndef ROBBE_OPTS_H
#define ROBBE_OPTS_H

#include "src/util.h"

enum opt_type {
	OPT_BOOL,	/* --x or --x=false */
	OPT_STRING,	/* the last one given wins */
	OPT_INT,	/* Go's strconv.ParseInt(s, 0, 64) */
	OPT_UINT,	/* ParseUint; width from metavar "uint8"/"uint16"/"uint32", else 64 */
	OPT_FLOAT,	/* ParseFloat */
	OPT_DECIMAL,	/* a rational number kept as value * 1e9 (--cpus 1.5) */
	OPT_BYTES,	/* go-units RAMInBytes: 512m, 1g, 1.5GiB */
	OPT_DURATION,	/* Go durations: 10s, 1m30s, 100ms; kept in nanoseconds */
	OPT_LIST,	/* repeatable; each use appends one value */
	OPT_STRINGS,	/* repeatable; each use appends its comma-separated values */
	OPT_MAP,	/* repeatable key=value; kept as "key=value" strings, in order */
};

/* What a shell should offer for the option's value (or a command's arguments). */
enum opt_complete {
	COMPLETE_NONE,
	COMPLETE_FILE,
	COMPLETE_DIR,
	COMPLETE_CONTAINER,
	COMPLETE_RUNNING,	/* running containers only */
	COMPLETE_IMAGE,
	COMPLETE_VOLUME,
	COMPLETE_NETWORK,
	COMPLETE_SIGNAL,
	COMPLETE_WORDS,		/* the space-separated words in opt_def.choices */
	COMPLETE_CONTEXT,
};

/* opt_def.flags */
#define OPT_HIDDEN	0x1	/* accepted, never shown in help or completion */
#define OPT_MINUS_ONE	0x2	/* bytes: "-1" is allowed and means unlimited */
#define OPT_CSV		0x4	/* map: each use holds comma-separated key=value pairs */

typedef int (*opt_validate_fn)(const char *value, robbe_error **err);

struct opt_def {
	const char *long_name;
	char short_name;
	enum opt_type type;
	/* The default as help prints it: "10", "[]", "map[]", "json-file", "true".
	 * It is also the value until the user gives one (list-like types start
	 * empty whatever it says).  NULL: zero value, nothing printed. */
	const char *def;
	const char *help;
	/* The type word in help ("list", "bytes", "filter", "uint16"); NULL: the
	 * type's own word, none for bools. */
	const char *metavar;
	enum opt_complete complete;
	unsigned flags;
	const char *choices;	/* for COMPLETE_WORDS */
	/* A hidden second name (--net for --network): its values land in the
	 * option named here, so handlers only ever ask for the main name. */
	const char *alias_of;
	/* Non-NULL: deprecated (and hidden); using it prints
	 * "Flag --x has been deprecated, <this>". */
	const char *deprecated;
	/* Extra check of each value; the message follows
	 * `invalid argument "v" for "--x" flag: `. */
	opt_validate_fn validate;
};

/* A command's options may come from several tables (shared + own); a
 * command holds a NULL-terminated array of tables, each ended by {0}. */
#define OPTS(...) ((const struct opt_def *const[]){ __VA_ARGS__, NULL })

/* opts_parse() flags */
#define OPTS_STOP_AT_POSITIONAL	0x1
/* Accept --help (and -h when no option owns that letter: then with
 * pflag's deprecation notice) and report it in opts_result.help. */
#define OPTS_HELP_FLAG		0x2

struct opt_value {
	bool changed;	/* the user gave it */
	bool b;
	int64_t i;	/* int, bytes, duration (ns), decimal (value * 1e9) */
	uint64_t u;
	double f;
	char *s;	/* string (or its default) */
	char **list;	/* list, strings, map; never NULL after parsing */
};

struct opts_result {
	const struct opt_def **defs;	/* every option of every table, flattened */
	struct opt_value *vals;		/* parallel to defs */
	size_t n;
	int argc;			/* positionals, in order */
	char **argv;			/* NULL-terminated */
	int dash_at;			/* argc when "--" was seen, -1 if never */
	bool help;
	/* Lines pflag prints on stdout while parsing (deprecation notices). */
	char **notices;
};

/* On a parse error *err holds pflag's message and *out, if not NULL, what
 * was parsed before it (pflag prints deprecation notices as it goes, so the
 * caller prints r->notices before the error).  Free *out either way. */
int opts_parse(const struct opt_def *const *tables, int argc, char *const *argv, unsigned flags,
	       struct opts_result **out, robbe_error **err);
void opts_result_free(struct opts_result *r);
static inline void cleanup_opts_resultp(struct opts_result **r)
{
	opts_result_free(*r);
}
#define cleanup_opts_result __attribute__((cleanup(cleanup_opts_resultp)))

/* Results by long name.  Asking for a name no table declares is a bug in
 * the caller and aborts. */
bool opts_bool(const struct opts_result *r, const char *name);
const char *opts_str(const struct opts_result *r, const char *name);	/* NULL if unset, no default */
char *const *opts_list(const struct opts_result *r, const char *name);	/* never NULL */
int64_t opts_int(const struct opts_result *r, const char *name);
uint64_t opts_uint(const struct opts_result *r, const char *name);
double opts_float(const struct opts_result *r, const char *name);
int64_t opts_bytes(const struct opts_result *r, const char *name);
int64_t opts_duration_ns(const struct opts_result *r, const char *name);
int64_t opts_decimal_nano(const struct opts_result *r, const char *name);
bool opts_changed(const struct opts_result *r, const char *name);

/* Look an option up in a set of tables by long or short name (aliases
 * included); NULL if none. */
const struct opt_def *opts_find_long(const struct opt_def *const *tables, const char *name, size_t len);
const struct opt_def *opts_find_short(const struct opt_def *const *tables, char c);
/* The option's type word in help ("" for bools). */
const char *opts_metavar(const struct opt_def *d);
/* Does the option consume a value ("--x v")?  False for bools. */
bool opts_takes_value(const struct opt_def *d);
/* Any option a user would see in help? */
bool opts_has_visible(const struct opt_def *const *tables);

/* The Options block of help as pflag lays it out: sorted by long name,
 * descriptions aligned in one column and wrapped to `width` columns
 * (0: no wrapping).  No trailing newline after the last line. */
void opts_render_help(const struct opt_def *const *tables, int width, struct sbuf *out);
/* pflag's word wrapping of one description: the first line is not
 * indented, the following ones by `indent` spaces. */
void opts_wrap(int indent, int width, const char *text, struct sbuf *out);

/* Value syntaxes, with the wording of the Go functions they mirror. */
int opts_parse_bool(const char *s, bool *out, robbe_error **err);
int opts_parse_int(const char *s, int bits, int64_t *out, robbe_error **err);
int opts_parse_uint(const char *s, int bits, uint64_t *out, robbe_error **err);
int opts_parse_float(const char *s, double *out, robbe_error **err);
int opts_parse_bytes(const char *s, int64_t *out, robbe_error **err);
int opts_parse_duration(const char *s, int64_t *ns, robbe_error **err);
int opts_parse_decimal(const char *s, int64_t *nano, robbe_error **err);
/* Go's time.Duration.String(): "1m30s", "100ms", "0s", "2160h0m0s". */
char *opts_format_duration(int64_t ns);
/* Go's %q for plain strings (help defaults). */
void opts_quote(struct sbuf *out, const char *s);

/* Validators Docker attaches to some options. */
int opts_validate_filter(const char *v, robbe_error **err);	/* name=value */
int opts_validate_env(const char *v, robbe_error **err);
int opts_validate_label(const char *v, robbe_error **err);
int opts_validate_ip(const char *v, robbe_error **err);
int opts_validate_extra_host(const char *v, robbe_error **err);
int opts_validate_sysctl(const char *v, robbe_error **err);
int opts_validate_attach(const char *v, robbe_error **err);

#endif
