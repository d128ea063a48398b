/* cmd-container-exec.c: docker exec (the engine side is src/exec.c). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat/cli.h"
#include "compat/cmd-container-list.h"
#include "compat/opts.h"
#include "src/container.h"
#include "src/detachkeys.h"
#include "src/exec.h"

int cmd_container_exec(struct cli_ctx *ctx, robbe_error **err);

/* --env-file: Docker's rules (blank lines and '#' comments skipped, leading
 * blanks of the name dropped, a bare name takes our value, or is left out
 * when we have none). */
static int env_file_read(const char *path, char ***env, robbe_error **err)
{
	cleanup_free char *text = NULL;
	cleanup_error robbe_error *e = NULL;
	char *save = NULL, *line;

	if (read_file_all(path, 64 * 1024 * 1024, &text, NULL, &e) < 0)
		return robbe_error_set(err, EXIT_GENERAL, "open %s: %s", path,
				       e->errnum == ENOENT ? "no such file or directory" : e->msg);
	line = text;
	if (!strncmp(line, "\xef\xbb\xbf", 3))
		line += 3;
	for (line = strtok_r(line, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);

		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		if (!strchr(line, '=')) {
			const char *v = getenv(line);
			if (v)
				strv_push_take(env, xasprintf("%s=%s", line, v));
			continue;
		}
		strv_push(env, line);
	}
	return 0;
}

int cmd_container_exec(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_strv char **vars = NULL;
	const struct opts_result *o = ctx->opts;
	struct exec_request req = { 0 };
	char *const *v;
	int status = 0;
	cleanup_detach_keys struct detach_keys keys = { 0 };

	/* runc owns the terminal of exec -t (src/exec.c), so there is no
	 * stream of ours to watch for the keys: they are checked, as Docker
	 * does first, and do not detach. */
	if (cli_detach_keys(ctx, &keys, err) < 0)
		return -1;

	req.argv = ctx->argv + 1;
	req.workdir = opts_str(o, "workdir");
	req.user = opts_str(o, "user");
	req.tty = opts_bool(o, "tty");
	req.interactive = opts_bool(o, "interactive");
	req.detach = opts_bool(o, "detach");
	req.privileged = opts_bool(o, "privileged");

	v = opts_list(o, "env-file");
	for (size_t i = 0; v[i]; i++)
		if (env_file_read(v[i], &vars, err) < 0)
			return -1;
	v = opts_list(o, "env");
	for (size_t i = 0; v[i]; i++) {
		if (!strchr(v[i], '=')) {
			const char *val = getenv(v[i]);
			if (val)
				strv_push_take(&vars, xasprintf("%s=%s", v[i], val));
			continue;
		}
		strv_push(&vars, v[i]);
	}
	req.env = vars;

	if (req.tty && req.interactive && !req.detach && !isatty(STDIN_FILENO))
		return robbe_error_set(err, EXIT_GENERAL, "the input device is not a TTY");

	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (container_lookup(env, ctx->argv[0], &c, err) < 0)
		return cli_daemon_error(err);
	if (exec_run(env, c, &req, &status, err) < 0) {
		/* A process that did not start reports like Docker's stream
		 * does, without the daemon prefix. */
		if ((*err)->status == 126 || (*err)->status == 127)
			return -1;
		return cli_daemon_error(err);
	}
	return status;
}
