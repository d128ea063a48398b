/* cmd-container-attach.c: the attached side of run and start, and docker
 * attach: streams through conmon's attach socket, the terminal in raw mode,
 * signals proxied to the container. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "compat/cli.h"
#include "src/container.h"

/* sig-proxy: the handler only records the signal; the attach loop sends it. */
static volatile sig_atomic_t pending_signal;

static void record_signal(int sig)
{
	pending_signal = sig;
}

static const int proxied_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGALRM, SIGCONT };

static void proxy_signals(bool on)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = on ? record_signal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(proxied_signals); i++)
		sigaction(proxied_signals[i], &sa, NULL);
}

/* A terminal in raw mode for -t, restored when the command ends. */
static struct termios saved_termios;
static bool termios_saved;

static void tty_restore(void)
{
	if (termios_saved)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_termios);
	termios_saved = false;
}

static void tty_raw(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_termios) < 0)
		return;
	termios_saved = true;
	t = saved_termios;
	cfmakeraw(&t);
	t.c_oflag |= OPOST;
	tcsetattr(STDIN_FILENO, TCSADRAIN, &t);
}

/* Tell conmon our window size (the ctl FIFO: "1 <rows> <cols>"). */
static void tty_resize(const struct container_env *env, const struct store_container *c)
{
	struct winsize ws;
	__attribute__((cleanup(runtime_paths_release))) struct runtime_paths p = { 0 };
	cleanup_free char *ctl = NULL;
	int fd;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0)
		return;
	container_runtime_paths(env, c, &p);
	ctl = runtime_paths_ctl(&p);
	fd = open(ctl, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	dprintf(fd, "1 %d %d\n", ws.ws_row, ws.ws_col);
	close(fd);
}

/* The exit code of an attached container: conmon's exit file, then the
 * record (a conmon that died leaves none). */
static int attached_exit_code(struct container_env *env, const struct store_container *c, int *code,
			      robbe_error **err)
{
	cleanup_error robbe_error *e = NULL;

	if (container_exit_file_wait(env, c->id, 2000, code, &e) == 0)
		return 0;
	return container_wait(env, c->id, -1, code, err);
}

/* Attach, copy, and give the container's exit status. */
int cli_attach_and_wait(struct cli_ctx *ctx, struct container_env *env, struct store_container *c,
			struct container_attach *att, bool out, bool errs, bool in, bool sig_proxy, robbe_error **err)
{
	bool tty = false;
	int code = 0;
	cleanup_cjson cJSON *config = container_config(c);

	(void) ctx;
	tty = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "Robbe"), "Tty"));
	/* A reader that went away (`run ... | head -1`) must not kill us
	 * before the container's exit code, and its --rm, are handled. */
	signal(SIGPIPE, SIG_IGN);
	if (sig_proxy && !tty)
		proxy_signals(true);
	if (tty && in) {
		tty_raw();
		tty_resize(env, c);
	}
	if (container_attach_copy(env, att, in ? STDIN_FILENO : -1, out ? STDOUT_FILENO : -1,
				  errs ? STDERR_FILENO : -1, sig_proxy ? &pending_signal : NULL, err) < 0) {
		tty_restore();
		return -1;
	}
	tty_restore();
	fflush(stdout);
	if (attached_exit_code(env, c, &code, err) < 0)
		return -1;
	if (sig_proxy && !tty)
		proxy_signals(false);
	return code < 0 ? 255 : code;
}

/* ---- start ---------------------------------------------------------------- */

int cmd_container_start(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	bool attach = opts_bool(ctx->opts, "attach"), interactive = opts_bool(ctx->opts, "interactive");
	struct sbuf failed = SBUF_INIT;
	bool any_error = false;

	if (opts_str(ctx->opts, "checkpoint") || opts_str(ctx->opts, "checkpoint-dir"))
		return robbe_error_set(err, EXIT_ENGINE, "the --checkpoint option is not supported by robbe yet");
	if ((attach || interactive) && ctx->argc > 1)
		return robbe_error_set(err, EXIT_GENERAL, "you cannot start and attach multiple containers at once");
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;

	if (attach || interactive) {
		cleanup_store_container struct store_container *c = NULL;
		cleanup_container_attach struct container_attach *att = NULL;
		struct container_start_opts so = { .attach = true, .attach_stdin = interactive };
		int code;

		if (container_lookup(env, ctx->argv[0], &c, err) < 0)
			return cli_daemon_error(err);
		if (container_is_active(c))
			return robbe_error_set(err, EXIT_GENERAL,
					       "robbe cannot attach to a container that is already running yet");
		if (container_start(env, c, &so, &att, err) < 0) {
			cli_daemon_error(err);
			return -1;
		}
		code = cli_attach_and_wait(ctx, env, c, att, true, true, interactive, true, err);
		if (code < 0)
			return cli_daemon_error(err);
		return code;
	}

	for (int i = 0; i < ctx->argc; i++) {
		cleanup_store_container struct store_container *c = NULL;
		cleanup_error robbe_error *e = NULL;

		if (container_lookup(env, ctx->argv[i], &c, &e) < 0 || container_start(env, c, NULL, NULL, &e) < 0) {
			cli_daemon_error(&e);
			fprintf(stderr, "%s\n", e->msg);
			sbuf_addf(&failed, "%s%s", failed.len ? ", " : "", ctx->argv[i]);
			any_error = true;
			continue;
		}
		printf("%s\n", ctx->argv[i]);
	}
	fflush(stdout);
	if (any_error) {
		robbe_error_set(err, EXIT_GENERAL, "Error: failed to start containers: %s", sbuf_str(&failed));
		sbuf_release(&failed);
		return -1;
	}
	sbuf_release(&failed);
	return 0;
}

