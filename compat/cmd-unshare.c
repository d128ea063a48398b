/* cmd-unshare.c: `robbe unshare [COMMAND [ARG...]]`.  main() has already
 * put us into robbe's user namespace (rootless.h); what is left is to run
 * the command there, with the store's directories in the environment so a
 * robbe run inside uses the same store. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "compat/cmd-unshare.h"
#include "src/rootless.h"

int cmd_unshare(struct cli_ctx *ctx, robbe_error **err)
{
	const struct robbe_paths *p;
	char *shell_argv[2] = { NULL, NULL };
	char **argv = ctx->argv;
	const char *shell = getenv("SHELL");

	if (!rootless_inside(NULL))
		return robbe_error_set(err, EXIT_ENGINE,
				       "Error: unshare is for rootless robbe: as root there is no user namespace to enter");
	if (opts_bool(ctx->opts, "rootless-netns"))
		return robbe_error_set(err, EXIT_ENGINE,
				       "Error: --rootless-netns: robbe has no shared rootless network namespace yet");
	if (cli_paths(ctx, &p, err) < 0)
		return -1;
	if (setenv("ROBBE_ROOT", p->root, 1) < 0 || setenv("ROBBE_RUNROOT", p->runroot, 1) < 0)
		return robbe_error_errno(err, errno, "setenv");
	if (ctx->argc == 0) {
		shell_argv[0] = (char *) (shell && *shell ? shell : "/bin/sh");
		argv = shell_argv;
	}
	fflush(stdout);
	execvp(argv[0], argv);
	return robbe_error_set(err, errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_INVOKE,
			       "Error: exec %s: %s", argv[0], strerror(errno));
}
