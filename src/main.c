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

/* Does this command line need robbe's user namespace?  When unsure, yes:
 * running a storeless command inside costs a setns(); running a store
 * command outside would fail. */
static bool needs_userns(int argc, char **argv)
{
	const struct command *cur = &cli_root, *leaf;
	bool help = false, dashdash = false;
	int i = cli_skip_options(cli_root.opts, 1, argc, argv, &help, &dashdash);

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
			i = cli_skip_options(cur->opts, i + 1, argc, argv, &help, &dashdash);
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
		at = cli_skip_options(leaf->opts, at, argc, argv, &help, &dashdash);
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
