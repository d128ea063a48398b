/* main.c: the robbe binary.  Everything happens in the command layer, once
 * an unprivileged user's command that needs the store is inside robbe's
 * user namespace (rootless.h): that has to happen first, while the process
 * is single-threaded. */
#include "config.h"

#include <string.h>

#include "compat/cli.h"
#include "src/rootless.h"

/* Commands that never touch the store, containers or images: help, the
 * version line, completion, registry credentials (the user's own files,
 * written with the user's own ids), and what robbe does not run. */
static const char *const outside_userns[] = {
	"help", "__complete", "version", "login", "logout", "search", "context", "plugin", "trust",
	"config", "node", "secret", "service", "stack", "swarm", "bake",
};

/* Scan argv[from..argc) as options of tables: the index of the first word
 * that is neither an option nor an option's value (argc if none; the word
 * after "--" counts as such a word, and *dashdash says so).  *help is set
 * when --help (or -h, unless the table gives it another meaning) comes
 * first.  Nothing is validated: cli_main reports bad options later. */
static int skip_options(const struct opt_def *const *tables, int from, int argc, char **argv, bool *help,
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

/* Does this command line need robbe's user namespace?  When unsure, yes:
 * running a storeless command inside costs a setns(); running a store
 * command outside would fail. */
static bool needs_userns(int argc, char **argv)
{
	const struct command *cur = &cli_root, *leaf;
	bool help = false, dashdash = false;
	int i = skip_options(cli_root.opts, 1, argc, argv, &help, &dashdash);

	if (help || i >= argc)
		return false;	/* help, or just "robbe" */
	while (cli_is_group(cur)) {
		const struct command *sub = cli_find_sub(cur, argv[i]);

		if (!sub)
			return false;	/* unknown command: an error */
		if (cur == &cli_root)
			for (size_t k = 0; k < ARRAY_SIZE(outside_userns); k++)
				if (!strcmp(sub->name, outside_userns[k]))
					return false;
		cur = sub;
		if (cli_is_group(cur)) {
			i = skip_options(cur->opts, i + 1, argc, argv, &help, &dashdash);
			if (help || i >= argc)
				return false;	/* the group's help */
		}
	}
	leaf = cli_resolve(cur);
	if (!leaf || (leaf->flags & CMD_RAW_ARGS))
		return true;
	/* `robbe rm --help` is help; `robbe run img sh --help` runs sh, and
	 * nothing after "--" is an option. */
	for (int at = i + 1; at < argc && !dashdash;) {
		at = skip_options(leaf->opts, at, argc, argv, &help, &dashdash);
		if (help)
			return false;
		if (leaf->flags & CMD_STOP_AT_POSITIONAL)
			break;
		at++;
	}
	return true;
}

int main(int argc, char **argv)
{
	if (rootless_pause_requested(argc, argv))
		return rootless_pause_main();
	if (geteuid() != 0 && needs_userns(argc, argv)) {
		robbe_error *err = NULL;
		char **warnings = NULL;
		int r = rootless_enter(&warnings, &err);

		for (size_t i = 0; warnings && warnings[i]; i++)
			fprintf(stderr, "WARN[0000] %s\n", warnings[i]);
		strv_free(warnings);
		if (r < 0) {
			fprintf(stderr, "Error: %s\n", err->msg);
			robbe_error_free(err);
			return EXIT_ENGINE;
		}
	}
	return cli_main(argc, argv);
}
