/* cli.c: dispatch.  Global options, then the command words down the tree,
 * then the command's options; errors printed once, here, with Docker's
 * exit statuses (125 for option errors, 1 for argument counts and unknown
 * commands, the handler's own status otherwise). */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "compat/cli.h"
#include "src/container.h"
#include "store/store.h"

/* ---- the tree ---------------------------------------------------------- */

bool cli_is_group(const struct command *c)
{
	return c->subcommands != NULL;
}

bool cli_listed(const struct command *c, const char *prog)
{
	if (c->flags & CMD_HIDDEN)
		return false;
	if ((c->flags & CMD_PODMAN) && strcmp(prog, "docker") == 0)
		return false;
	return true;
}

const struct command *cli_find_sub(const struct command *group, const char *word)
{
	if (!group->subcommands)
		return NULL;
	for (const struct command *c = group->subcommands; c->name; c++) {
		if (strcmp(c->name, word) == 0)
			return c;
		for (size_t i = 0; c->aliases && c->aliases[i]; i++)
			if (strcmp(c->aliases[i], word) == 0)
				return c;
	}
	return NULL;
}

const struct command *cli_lookup(const char *path)
{
	const struct command *cur = &cli_root;
	cleanup_free char *copy = xstrdup(path);
	char *save = NULL;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		cur = cli_find_sub(cur, w);
		if (!cur)
			return NULL;
	}
	return cur;
}

const struct command *cli_resolve(const struct command *row)
{
	if (row->canonical)
		return cli_lookup(row->canonical);
	return row;
}

/* ---- context services -------------------------------------------------- */

int cli_paths(struct cli_ctx *ctx, const struct robbe_paths **out, robbe_error **err)
{
	if (!ctx->have_paths) {
		if (paths_init(&ctx->paths, ctx->g.root, ctx->g.runroot, err) < 0)
			return -1;
		ctx->have_paths = true;
	}
	*out = &ctx->paths;
	return 0;
}

int cli_store(struct cli_ctx *ctx, struct store **out, robbe_error **err)
{
	const struct robbe_paths *p;
	if (!ctx->store) {
		if (cli_paths(ctx, &p, err) < 0)
			return -1;
		if (store_open(p, &ctx->store, err) < 0)
			return -1;
	}
	*out = ctx->store;
	return 0;
}

int cli_container_env(struct cli_ctx *ctx, struct container_env **out, robbe_error **err)
{
	const struct robbe_paths *paths;
	struct store *s;

	if (cli_paths(ctx, &paths, err) < 0 || cli_store(ctx, &s, err) < 0)
		return -1;
	if (container_env_open(s, paths, out, err) < 0)
		return -1;
	/* Only a level the user chose travels to conmon and cleanup. */
	if (ctx->g.debug)
		(*out)->log_level = "debug";
	else if (ctx->g.log_level && strcmp(ctx->g.log_level, "info"))
		(*out)->log_level = ctx->g.log_level;
	return 0;
}

bool cli_confirm(const char *question)
{
	char line[256];
	char *s, *e;

	printf("%s [y/N] ", question);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	for (s = line; *s == ' ' || *s == '\t'; s++)
		;
	for (e = s + strlen(s); e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	*e = '\0';
	return strcmp(s, "y") == 0 || strcmp(s, "Y") == 0;
}

static bool debug_on(const struct cli_ctx *ctx)
{
	return ctx->g.debug || (ctx->g.log_level && strcmp(ctx->g.log_level, "debug") == 0);
}

void cli_debug(const struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	if (!debug_on(ctx))
		return;
	fputs("DEBU[0000] ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_daemon_error(robbe_error **err)
{
	return robbe_error_wrap(err, "Error response from daemon");
}

int cli_run_error(const struct cli_ctx *ctx, robbe_error **err)
{
	robbe_error *e = *err;
	char *msg = xasprintf("%s: %s\n\nRun '%s --help' for more information", ctx->prog, e->msg, ctx->path);
	free(e->msg);
	e->msg = msg;
	if (e->status == 0)
		e->status = EXIT_ENGINE;
	return -1;
}

/* ---- dispatch ---------------------------------------------------------- */

static const char *prog_name(const char *argv0)
{
	const char *base = argv0 ? strrchr(argv0, '/') : NULL;
	base = base ? base + 1 : (argv0 ? argv0 : "robbe");
	return strcmp(base, "docker") == 0 ? "docker" : "robbe";
}

/* Print an error the one way and give the exit status for it. */
static int report(robbe_error *err)
{
	int status = err->status ? err->status : EXIT_GENERAL;
	if (err->msg && *err->msg)
		fprintf(stderr, "%s\n", err->msg);
	robbe_error_free(err);
	return status;
}

/* Deprecation notices: Docker prints those of global options on stderr,
 * the others on stdout. */
static void print_notices(const struct opts_result *r, FILE *to)
{
	for (size_t i = 0; r->notices && r->notices[i]; i++)
		fprintf(to, "%s\n", r->notices[i]);
}

static int show_help(const char *prog, const char *path, const struct command *row, FILE *to)
{
	struct sbuf sb = SBUF_INIT;
	cli_render_help(prog, path, row, cli_help_width(), &sb);
	fputs(sbuf_str(&sb), to);
	sbuf_release(&sb);
	return 0;
}

static int check_log_level(const char *level, robbe_error **err)
{
	static const char *const levels[] = { "panic", "fatal", "error", "warn", "warning", "info", "debug", "trace" };
	for (size_t i = 0; i < ARRAY_SIZE(levels); i++)
		if (strcasecmp(level, levels[i]) == 0)
			return 0;
	return robbe_error_set(err, EXIT_GENERAL, "Unable to parse logging level: %s", level);
}

static int check_context(const char *name, robbe_error **err)
{
	if (!name || *name == '\0' || strcmp(name, "default") == 0)
		return 0;
	return robbe_error_set(err, EXIT_GENERAL,
			       "Failed to initialize: context \"%s\": context not found (robbe knows only \"default\")",
			       name);
}

/* A group reached with no (known) subcommand: Docker prints the group's
 * help on stderr, or the unknown-command error. */
static int run_group(struct cli_ctx *ctx, const struct command *group, int argc, char **argv, bool help)
{
	cleanup_opts_result struct opts_result *r = NULL;
	robbe_error *err = NULL;

	int rc = opts_parse(group->opts, argc, argv, OPTS_HELP_FLAG, &r, &err);
	if (r)
		print_notices(r, stdout);
	if (rc < 0) {
		cli_flag_error(ctx->prog, ctx->path, group, &err);
		return report(err);
	}
	if (help || r->help)
		return show_help(ctx->prog, ctx->path, group, stdout);
	if (r->argc > 0) {
		cleanup_free char *use = cli_use_line(ctx->prog, ctx->path, group);
		robbe_error_set(&err, EXIT_GENERAL,
				"%s: unknown command: %s %s\n\nUsage:  %s\n\nRun '%s --help' for more information",
				ctx->prog, ctx->path, r->argv[0], use, ctx->path);
		return report(err);
	}
	return show_help(ctx->prog, ctx->path, group, stderr);
}

static int run_leaf(struct cli_ctx *ctx, const struct command *row, int argc, char **argv, bool help)
{
	const struct command *c = cli_resolve(row);
	unsigned flags = OPTS_HELP_FLAG;
	robbe_error *err = NULL;
	int rc;

	if (!c) {
		robbe_error_set(&err, EXIT_ENGINE, "BUG: %s stands for missing command %s", ctx->path, row->canonical);
		return report(err);
	}
	if (c->flags & CMD_STOP_AT_POSITIONAL)
		flags |= OPTS_STOP_AT_POSITIONAL;
	if (c->flags & CMD_RAW_ARGS) {
		/* Parse nothing: an empty table, everything after "--". */
		char **all = xcalloc((size_t) argc + 2, sizeof(char *));
		all[0] = (char *) "--";
		memcpy(all + 1, argv, (size_t) argc * sizeof(char *));
		rc = opts_parse(NULL, argc + 1, all, 0, &ctx->opts, &err);
		free(all);
		if (rc < 0)
			return report(err);
		help = false;
	} else {
		rc = opts_parse(c->opts, argc, argv, flags, &ctx->opts, &err);
		if (ctx->opts)
			print_notices(ctx->opts, stdout);
		if (rc < 0) {
			cli_flag_error(ctx->prog, ctx->path, c, &err);
			return report(err);
		}
	}
	if (help || ctx->opts->help)
		return show_help(ctx->prog, ctx->path, row, stdout);
	if (cli_check_args(ctx->prog, ctx->path, c, ctx->opts->argc, &err) < 0)
		return report(err);
	if (check_context(ctx->g.context, &err) < 0)
		return report(err);
	if (!c->handler) {
		robbe_error_set(&err, EXIT_ENGINE, "Error: \"%s\" is not supported by robbe yet", ctx->path);
		return report(err);
	}
	ctx->cmd = c;
	ctx->argc = ctx->opts->argc;
	ctx->argv = ctx->opts->argv;
	rc = c->handler(ctx, &err);
	if (rc < 0)
		return report(err ? err : xcalloc(1, sizeof(*err)));
	return rc;
}

int cli_skip_options(const struct opt_def *const *tables, int from, int argc, char **argv, bool *help,
		     bool *dashdash)
{
	for (int i = from; i < argc; i++) {
		const char *a = argv[i];
		const struct opt_def *d = NULL;

		if (!strcmp(a, "--")) {
			*dashdash = true;
			return i + 1;
		}
		if (a[0] != '-' || a[1] == '\0')
			return i;
		if (a[1] == '-' && !strchr(a, '='))
			d = opts_find_long(tables, a + 2, strlen(a + 2));
		else if (a[1] != '-' && a[2] == '\0')
			d = opts_find_short(tables, a[1]);
		/* A table may declare --help itself; -h may mean something else
		 * (run -h is --hostname). */
		if (!strcmp(a, "--help") || (!d && !strcmp(a, "-h")))
			*help = true;
		if (d && opts_takes_value(d))
			i++;
	}
	return argc;
}

/* The first word that is not an option (nor an option's value), or -1. */
static int first_word(const struct opt_def *const *tables, int argc, char **argv)
{
	bool help = false, dashdash = false;
	int i = cli_skip_options(tables, 0, argc, argv, &help, &dashdash);

	return dashdash || i >= argc ? -1 : i;
}

static int dispatch(struct cli_ctx *ctx, int argc, char **argv)
{
	cleanup_opts_result struct opts_result *g = NULL;
	cleanup_free char *path = NULL;
	cleanup_free char **rest = NULL;
	const struct command *cur = &cli_root;
	robbe_error *err = NULL;
	int nrest;
	bool help;

	int rc = opts_parse(cli_root.opts, argc, argv, OPTS_STOP_AT_POSITIONAL | OPTS_HELP_FLAG, &g, &err);
	if (g)
		print_notices(g, stderr);
	if (rc < 0) {
		cli_flag_error(ctx->prog, ctx->prog, &cli_root, &err);
		return report(err);
	}
	ctx->g.root = opts_str(g, "root");
	ctx->g.runroot = opts_str(g, "runroot");
	ctx->g.config_dir = opts_str(g, "config");
	ctx->g.log_level = opts_str(g, "log-level");
	ctx->g.context = opts_changed(g, "context") ? opts_str(g, "context") : getenv("DOCKER_CONTEXT");
	ctx->g.hosts = opts_list(g, "host");
	ctx->g.debug = opts_bool(g, "debug");
	help = g->help;

	if (check_log_level(ctx->g.log_level, &err) < 0)
		return report(err);
	for (size_t i = 0; ctx->g.hosts[i]; i++)
		cli_debug(ctx, "ignoring --host %s: robbe runs without a daemon", ctx->g.hosts[i]);

	if (opts_bool(g, "version") && !help && (g->argc == 0 || !cli_find_sub(&cli_root, g->argv[0]))) {
		cleanup_free char *v = cli_version_line(ctx->prog);
		printf("%s\n", v);
		return 0;
	}

	/* Walk down the groups; the rest is for the command itself. */
	path = xstrdup(ctx->prog);
	nrest = g->argc;
	rest = xcalloc((size_t) nrest + 1, sizeof(char *));
	memcpy(rest, g->argv, (size_t) nrest * sizeof(char *));
	ctx->path = path;
	while (cli_is_group(cur)) {
		int w = first_word(cur->opts, nrest, rest);
		const struct command *sub = w >= 0 ? cli_find_sub(cur, rest[w]) : NULL;
		if (!sub) {
			if (cur == &cli_root) {
				if (help || nrest == 0)
					return show_help(ctx->prog, ctx->path, cur, help ? stdout : stderr);
				robbe_error_set(&err, EXIT_GENERAL,
						"%s: unknown command: %s %s\n\nRun '%s --help' for more information",
						ctx->prog, ctx->prog, rest[0], ctx->prog);
				return report(err);
			}
			return run_group(ctx, cur, nrest, rest, help);
		}
		if (w > 0) {
			/* Options before the subcommand word are the group's own
			 * (cobra's TraverseChildren): only --help, in practice. */
			cleanup_opts_result struct opts_result *gr = NULL;
			rc = opts_parse(cur->opts, w, rest, OPTS_HELP_FLAG, &gr, &err);
			if (gr)
				print_notices(gr, stdout);
			if (rc < 0) {
				cli_flag_error(ctx->prog, ctx->path, cur, &err);
				return report(err);
			}
			help = help || gr->help;
			memmove(rest, rest + w, (size_t) (nrest - w + 1) * sizeof(char *));
			nrest -= w;
			w = 0;
		}
		char *longer = xasprintf("%s %s", path, sub->name);
		free(path);
		path = longer;
		ctx->path = path;
		memmove(rest + w, rest + w + 1, (size_t) (nrest - w) * sizeof(char *));
		nrest--;
		cur = sub;
	}
	return run_leaf(ctx, cur, nrest, rest, help);
}

int cli_main(int argc, char **argv)
{
	struct cli_ctx ctx = { .prog = prog_name(argc > 0 ? argv[0] : NULL) };
	int status;

	status = dispatch(&ctx, argc > 0 ? argc - 1 : 0, argc > 0 ? argv + 1 : argv);
	fflush(stdout);
	if (ctx.store)
		store_close(ctx.store);
	if (ctx.have_paths)
		paths_release(&ctx.paths);
	opts_result_free(ctx.opts);
	return status;
}
