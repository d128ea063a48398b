/* cmd-help.c: help pages, usage lines and usage errors, laid out the way
 * Docker's cobra templates lay them out, and the hidden `help` command. */
#include "config.h"

#include <string.h>
#include <sys/ioctl.h>

#include "compat/cli.h"

int cli_help_width(void)
{
	struct winsize ws;
	/* Docker measures the terminal on stdin, and keeps one column free. */
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col - 1;
	return 79;
}

/* Append s with every "$0" replaced by prog. */
static void add_with_prog(struct sbuf *out, const char *s, const char *prog)
{
	for (const char *p = s; *p; p++) {
		if (p[0] == '$' && p[1] == '0') {
			sbuf_adds(out, prog);
			p++;
		} else {
			sbuf_addc(out, *p);
		}
	}
}

char *cli_use_line(const char *prog, const char *path, const struct command *c)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_adds(&sb, path);
	if (c->usage && *c->usage && (!cli_is_group(c) || c == &cli_root)) {
		sbuf_addc(&sb, ' ');
		add_with_prog(&sb, c->usage, prog);
	}
	return sbuf_detach(&sb);
}

static const char *plural(int n)
{
	return n == 1 ? "argument" : "arguments";
}

int cli_check_args(const char *prog, const char *path, const struct command *c, int argc, robbe_error **err)
{
	cleanup_free char *use = cli_use_line(prog, path, c);
	int n = c->args_min, m = c->args_max;

	switch (c->args) {
	case ARGS_ANY:
		return 0;
	case ARGS_NONE:
		if (argc == 0)
			return 0;
		return robbe_error_set(err, EXIT_GENERAL,
				       "%s: '%s' accepts no arguments\n\nUsage:  %s\n\nRun '%s --help' for more information",
				       prog, path, use, path);
	case ARGS_EXACT:
		if (argc == n)
			return 0;
		return robbe_error_set(err, EXIT_GENERAL,
				       "%s: '%s' requires %d %s\n\nUsage:  %s\n\nRun '%s --help' for more information",
				       prog, path, n, plural(n), use, path);
	case ARGS_MIN:
		if (argc >= n)
			return 0;
		return robbe_error_set(err, EXIT_GENERAL,
				       "%s: '%s' requires at least %d %s\n\nUsage:  %s\n\nSee '%s --help' for more information",
				       prog, path, n, plural(n), use, path);
	case ARGS_MAX:
		if (argc <= m)
			return 0;
		/* Docker 28 prints "SRun" here, a typo we do not copy. */
		return robbe_error_set(err, EXIT_GENERAL,
				       "%s: '%s' requires at most %d %s\n\nUsage:  %s\n\nRun '%s --help' for more information",
				       prog, path, m, plural(m), use, path);
	case ARGS_RANGE:
		if (argc >= n && argc <= m)
			return 0;
		return robbe_error_set(err, EXIT_GENERAL,
				       "%s: '%s' requires at least %d and at most %d %s\n\nUsage:  %s\n\nRun '%s --help' for more information",
				       prog, path, n, m, plural(m), use, path);
	case ARGS_EXACT_COBRA:
		if (argc == n)
			return 0;
		return robbe_error_set(err, EXIT_GENERAL, "accepts %d arg(s), received %d", n, argc);
	}
	return 0;
}

int cli_flag_error(const char *prog, const char *path, const struct command *c, robbe_error **err)
{
	cleanup_free char *use = cli_use_line(prog, path, c);
	robbe_error *e = *err;
	char *msg = xasprintf("%s\n\nUsage:  %s\n\nRun '%s --help' for more information", e->msg, use, path);
	free(e->msg);
	e->msg = msg;
	e->status = EXIT_ENGINE;
	return -1;
}

/* ---- aliases ------------------------------------------------------------ */

/* Where the canonical row `c` sits: its group path below the root ("container"),
 * or "" for a top-level row; NULL if it is not in the tree. */
static bool find_path(const struct command *group, const char *prefix, const struct command *c, struct sbuf *out)
{
	for (const struct command *s = group->subcommands; s && s->name; s++) {
		if (s == c) {
			sbuf_adds(out, prefix);
			return true;
		}
		if (cli_is_group(s)) {
			cleanup_free char *p = *prefix ? xasprintf("%s %s", prefix, s->name) : xstrdup(s->name);
			if (find_path(s, p, c, out))
				return true;
		}
	}
	return false;
}

/* Rows elsewhere that stand for `canon` ("container ls"): top-level rows
 * first, then rows of other groups, as Docker lists them. */
static void add_standins(const struct command *group, const char *prefix, const char *canon, const char *prog,
			 int pass, struct sbuf *out)
{
	for (const struct command *s = group->subcommands; s && s->name; s++) {
		if (s->canonical && strcmp(s->canonical, canon) == 0 && ((pass == 0) == (*prefix == '\0')))
			sbuf_addf(out, ", %s %s%s%s", prog, prefix, *prefix ? " " : "", s->name);
		if (cli_is_group(s) && pass == 1) {
			cleanup_free char *p = *prefix ? xasprintf("%s %s", prefix, s->name) : xstrdup(s->name);
			add_standins(s, p, canon, prog, pass, out);
		}
	}
}

/* "docker container ls, docker container list, docker container ps, docker ps" */
static char *alias_line(const char *prog, const struct command *c)
{
	struct sbuf group = SBUF_INIT, sb = SBUF_INIT;
	cleanup_free char *canon = NULL;
	size_t count = 1;

	if (!find_path(&cli_root, "", c, &group)) {
		sbuf_release(&group);
		return NULL;
	}
	canon = *sbuf_str(&group) ? xasprintf("%s %s", sbuf_str(&group), c->name) : xstrdup(c->name);
	sbuf_addf(&sb, "%s %s", prog, canon);
	for (size_t i = 0; c->aliases && c->aliases[i]; i++, count++)
		sbuf_addf(&sb, ", %s %s%s%s", prog, sbuf_str(&group), *sbuf_str(&group) ? " " : "", c->aliases[i]);
	{
		size_t before = sb.len;
		add_standins(&cli_root, "", canon, prog, 0, &sb);
		add_standins(&cli_root, "", canon, prog, 1, &sb);
		if (sb.len != before)
			count++;
	}
	sbuf_release(&group);
	if (count < 2) {
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb);
}

/* ---- the page ------------------------------------------------------------ */

static size_t name_padding(const struct command *group)
{
	size_t pad = 11;
	for (const struct command *s = group->subcommands; s && s->name; s++)
		if (strlen(s->name) > pad)
			pad = strlen(s->name);
	return pad;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct command *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

enum section { SEC_COMMON, SEC_MANAGEMENT, SEC_SWARM, SEC_COMMANDS };

static bool in_section(const struct command *group, const struct command *s, const struct command *r,
		       enum section sec)
{
	bool root = group == &cli_root;
	bool is_group = cli_is_group(r);
	switch (sec) {
	case SEC_COMMON:
		return root && (s->flags & CMD_COMMON);
	case SEC_MANAGEMENT:
		return is_group && !(s->flags & CMD_SWARM);
	case SEC_SWARM:
		return is_group && (s->flags & CMD_SWARM);
	case SEC_COMMANDS:
		return !is_group && !(root && (s->flags & CMD_COMMON));
	}
	return false;
}

static void add_section(const char *prog, const struct command *group, enum section sec, const char *title,
			struct sbuf *out)
{
	const struct command *rows[256];
	size_t n = 0, pad = name_padding(group);

	for (const struct command *s = group->subcommands; s && s->name && n < ARRAY_SIZE(rows); s++) {
		const struct command *r = cli_resolve(s);
		if (!r || !cli_listed(s, prog) || !in_section(group, s, r, sec))
			continue;
		rows[n++] = s;
	}
	if (n == 0)
		return;
	if (sec != SEC_COMMON)
		qsort(rows, n, sizeof(rows[0]), cmp_rows);
	sbuf_addf(out, "\n\n%s:", title);
	for (size_t i = 0; i < n; i++) {
		const struct command *r = cli_resolve(rows[i]);
		sbuf_addf(out, "\n  %-*s%s", (int) pad + 1, rows[i]->name, r->short_help);
	}
}

void cli_render_help(const char *prog, const char *path, const struct command *row, int width, struct sbuf *out)
{
	const struct command *c = cli_resolve(row);
	bool root = row == &cli_root;

	if (!c)
		c = row;
	sbuf_adds(out, "Usage:  ");
	if (cli_is_group(c)) {
		sbuf_addf(out, "%s%s COMMAND", path, opts_has_visible(c->opts) ? " [OPTIONS]" : "");
	} else {
		cleanup_free char *use = cli_use_line(prog, path, c);
		sbuf_adds(out, use);
	}
	sbuf_addf(out, "\n\n%s", c->long_help ? c->long_help : c->short_help);

	if (!root && !cli_is_group(c)) {
		cleanup_free char *aliases = alias_line(prog, c);
		if (aliases)
			sbuf_addf(out, "\n\nAliases:\n  %s", aliases);
	}
	if (!root && opts_has_visible(c->opts)) {
		sbuf_adds(out, "\n\nOptions:\n");
		opts_render_help(c->opts, width, out);
	}
	if (cli_is_group(c)) {
		add_section(prog, c, SEC_COMMON, "Common Commands", out);
		add_section(prog, c, SEC_MANAGEMENT, "Management Commands", out);
		add_section(prog, c, SEC_SWARM, "Swarm Commands", out);
		add_section(prog, c, SEC_COMMANDS, "Commands", out);
	}
	if (root && opts_has_visible(c->opts)) {
		sbuf_adds(out, "\n\nGlobal Options:\n");
		opts_render_help(c->opts, width, out);
	}
	if (cli_is_group(c))
		sbuf_addf(out, "\n\nRun '%s COMMAND --help' for more information on a command.", path);
	if (root)
		sbuf_addf(out, "\n\nFor more help on how to use %s, read robbe's docs/cli.md; Docker's guides at\n"
			  "https://docs.docker.com/go/guides/ apply to its command line.", prog);
	sbuf_addc(out, '\n');
}

/* `robbe help [COMMAND...]` */
int cmd_help(struct cli_ctx *ctx, robbe_error **err)
{
	const struct command *cur = &cli_root;
	struct sbuf path = SBUF_INIT, page = SBUF_INIT;

	sbuf_adds(&path, ctx->prog);
	for (int i = 0; i < ctx->argc && cli_is_group(cur); i++) {
		const struct command *sub = cli_find_sub(cur, ctx->argv[i]);
		if (!sub) {
			sbuf_release(&path);
			return robbe_error_set(err, EXIT_GENERAL, "unknown help topic: %s", ctx->argv[i]);
		}
		sbuf_addf(&path, " %s", sub->name);
		cur = sub;
	}
	cli_render_help(ctx->prog, sbuf_str(&path), cur, cli_help_width(), &page);
	fputs(sbuf_str(&page), stdout);
	sbuf_release(&page);
	sbuf_release(&path);
	return 0;
}
