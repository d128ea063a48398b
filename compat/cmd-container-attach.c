/* cmd-container-attach.c: docker attach, and the attached side of run and
 * start: streams through conmon's attach socket, the terminal in raw mode
 * and its size followed, signals proxied to the container, the detach
 * keys. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "compat/cli.h"
#include "compat/cmd-container-list.h"
#include "src/container.h"
#include "src/detachkeys.h"

/* ---- detach keys --------------------------------------------------------- */

int cli_detach_keys(struct cli_ctx *ctx, struct detach_keys *out, robbe_error **err)
{
	cleanup_free char *from_config = NULL;
	const char *spec = opts_str(ctx->opts, "detach-keys");
	cleanup_error robbe_error *why = NULL;

	if (!spec || !*spec)
		spec = from_config = ctrcmd_config_str(ctx, "detachKeys");
	if (!spec) {
		detach_keys_default(out);
		return 0;
	}
	if (detach_keys_parse(spec, out, &why) < 0)
		return robbe_error_set(err, EXIT_GENERAL, "invalid detach keys (%s): %s", spec, why->msg);
	return 0;
}

int cli_validate_detach_keys(const char *value, robbe_error **err)
{
	cleanup_detach_keys struct detach_keys k = { 0 };

	return *value ? detach_keys_parse(value, &k, err) : 0;
}

/* ---- the terminal ------------------------------------------------------- */

/* Raw mode for a -t container with our stdin attached; restored on every
 * way out: the normal one, errors, a signal that ends us, exit(). */
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
	static bool registered;
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_termios) < 0)
		return;
	if (!registered)
		atexit(tty_restore);
	registered = true;
	termios_saved = true;
	t = saved_termios;
	/* As Docker: the container's terminal does all the processing,
	 * output included (it already turns \n into \r\n). */
	cfmakeraw(&t);
	tcsetattr(STDIN_FILENO, TCSADRAIN, &t);
}

/* ---- signals ------------------------------------------------------------- */

/* The handlers only record; the copy loop acts (session_on_signal), with
 * signals blocked everywhere but in its wait. */
static volatile sig_atomic_t pending[NSIG];

static void record_signal(int sig)
{
	pending[sig] = 1;
}

/* What sig-proxy forwards, and what ends us when it does not (the
 * terminal must be restored first then). */
static const int proxied_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGALRM, SIGCONT };
static const int ending_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGALRM };

struct session {
	struct container_env *env;
	struct store_container *c;
	bool proxy;		/* forward signals to the container */
	bool follow_size;	/* a -t container on our terminal: keep its size ours */
	int ending_signal;	/* the signal that stopped the copying */
	struct sigaction saved[NSIG];
	bool installed[NSIG];
};

static void catch_signal(struct session *s, int sig)
{
	struct sigaction sa = { 0 };

	if (s->installed[sig])
		return;
	pending[sig] = 0;
	sa.sa_handler = record_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, &s->saved[sig]);
	s->installed[sig] = true;
}

static void release_signals(struct session *s)
{
	for (int sig = 1; sig < NSIG; sig++) {
		if (!s->installed[sig])
			continue;
		sigaction(sig, &s->saved[sig], NULL);
		s->installed[sig] = false;
	}
}

/* Tell conmon our window size; grow first (attach) so that the process
 * sees a change and redraws even when the size is the same as before. */
static void session_resize(struct session *s, bool nudge)
{
	struct winsize ws;
	cleanup_error robbe_error *e = NULL;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || (ws.ws_row == 0 && ws.ws_col == 0))
		return;
	/* Best effort, as Docker's: a container that just exited has no
	 * conmon to take it. */
	if (nudge && container_resize(s->env, s->c, ws.ws_row + 1u, ws.ws_col + 1u, &e) < 0)
		robbe_error_free(steal_pointer(&e));
	if (container_resize(s->env, s->c, ws.ws_row, ws.ws_col, &e) < 0)
		robbe_error_free(steal_pointer(&e));
}

static bool session_on_signal(void *opaque, struct container_attach *a)
{
	struct session *s = opaque;

	for (int sig = 1; sig < NSIG; sig++) {
		cleanup_error robbe_error *e = NULL;

		if (!pending[sig])
			continue;
		pending[sig] = 0;
		if (sig == SIGWINCH && s->follow_size) {
			session_resize(s, false);
			continue;
		}
		if (s->proxy) {
			/* The container may be gone already; nothing to do then. */
			container_attach_kill(a, sig, &e);
			continue;
		}
		s->ending_signal = sig;
		return true;
	}
	return false;
}

/* ---- one attached session ---------------------------------------------- */

struct attach_request {
	bool out, errs, in;
	bool proxy;			/* sig-proxy */
	bool nudge;			/* docker attach: make a -t process redraw */
	const struct detach_keys *keys;
};

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

static bool config_flag(const cJSON *config, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "Config"), key));
}

/* Die of sig as if we had never caught it; the terminal is restored. */
static int die_of(int sig)
{
	sigset_t set;

	fflush(stdout);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	raise(sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	return 128 + sig;
}

/* Copy the container's streams through att until they end (the
 * container's exit status), or the detach keys are typed (0 and
 * *detached), or a signal ends us. */
static int attach_session(struct container_env *env, struct store_container *c, struct container_attach *att,
			  const struct attach_request *r, bool *detached, robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	bool tty = config_flag(config, "Tty");
	struct session s = { .env = env, .c = c };
	struct container_attach_io io = { .in_fd = r->in ? STDIN_FILENO : -1,
					  .out_fd = r->out ? STDOUT_FILENO : -1,
					  .err_fd = r->errs ? STDERR_FILENO : -1,
					  .on_signal = session_on_signal,
					  .opaque = &s };
	bool raw = tty && r->in && isatty(STDIN_FILENO);
	int rc, code = 0;

	*detached = false;
	/* A reader that went away (`run ... | head -1`) must not kill us
	 * before the container's exit code, and its --rm, are handled. */
	signal(SIGPIPE, SIG_IGN);
	s.proxy = r->proxy;
	s.follow_size = tty && isatty(STDOUT_FILENO);
	if (s.proxy)
		for (size_t i = 0; i < ARRAY_SIZE(proxied_signals); i++)
			catch_signal(&s, proxied_signals[i]);
	else if (raw)
		for (size_t i = 0; i < ARRAY_SIZE(ending_signals); i++)
			catch_signal(&s, ending_signals[i]);
	if (s.follow_size) {
		catch_signal(&s, SIGWINCH);
		session_resize(&s, r->nudge);
	}
	/* Docker watches for the detach keys only on a terminal's input. */
	if (tty && r->in)
		io.detach_keys = r->keys;
	if (raw)
		tty_raw();
	rc = container_attach_stream(env, att, &io, err);
	tty_restore();
	release_signals(&s);
	fflush(stdout);
	if (rc < 0)
		return -1;
	if (rc == CONTAINER_ATTACH_STOPPED)
		return die_of(s.ending_signal);
	if (rc == CONTAINER_ATTACH_DETACHED) {
		*detached = true;
		return 0;
	}
	if (attached_exit_code(env, c, &code, err) < 0)
		return -1;
	return code < 0 ? 255 : code;
}

int cli_attach_and_wait(struct cli_ctx *ctx, struct container_env *env, struct store_container *c,
			struct container_attach *att, bool out, bool errs, bool in, bool sig_proxy, robbe_error **err)
{
	cleanup_detach_keys struct detach_keys keys = { 0 };
	struct attach_request r = { .out = out, .errs = errs, .in = in, .proxy = sig_proxy, .keys = &keys };
	cleanup_error robbe_error *bad = NULL;
	bool detached;

	/* run checks --detach-keys as it parses; config.json's detachKeys
	 * can only be checked now, with the container running: say so and
	 * keep the default rather than leave it running unattached. */
	if (cli_detach_keys(ctx, &keys, &bad) < 0) {
		fprintf(stderr, "WARNING: %s; using ctrl-p,ctrl-q\n", bad->msg);
		detach_keys_default(&keys);
	}
	/* Docker's run proxies signals with or without a terminal; a
	 * detached run ends well (0), the container running on. */
	return attach_session(env, c, att, &r, &detached, err);
}

/* ---- attach ----------------------------------------------------------------- */

int cmd_container_attach(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_container_attach struct container_attach *att = NULL;
	cleanup_cjson cJSON *config = NULL;
	cleanup_detach_keys struct detach_keys keys = { 0 };
	struct attach_request r = { .out = true, .errs = true, .nudge = true, .keys = &keys };
	bool no_stdin = opts_bool(ctx->opts, "no-stdin"), tty, detached;
	int code;

	if (cli_detach_keys(ctx, &keys, err) < 0)
		return -1;
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (container_lookup(env, ctx->argv[0], &c, err) < 0)
		return cli_daemon_error(err);
	/* Docker's client words, without the daemon's prefix. */
	if (c->state == STORE_STATE_PAUSED)
		return robbe_error_set(err, EXIT_GENERAL, "You cannot attach to a paused container, unpause it first");
	if (c->state == STORE_STATE_RESTARTING)
		return robbe_error_set(err, EXIT_GENERAL,
				       "You cannot attach to a restarting container, wait until it is running");
	if (c->state != STORE_STATE_RUNNING)
		return robbe_error_set(err, EXIT_GENERAL, "You cannot attach to a stopped container, start it first");
	config = container_config(c);
	tty = config_flag(config, "Tty");
	if (tty && !no_stdin && !isatty(STDIN_FILENO))
		return robbe_error_set(err, EXIT_GENERAL, "the input device is not a TTY");
	r.in = !no_stdin && config_flag(config, "OpenStdin");
	r.proxy = opts_bool(ctx->opts, "sig-proxy") && !tty;

	if (container_attach(env, c, &att, err) < 0) {
		if ((*err)->errnum != ESRCH)
			return cli_daemon_error(err);
		robbe_error_free(steal_pointer(err));
		return robbe_error_set(err, EXIT_GENERAL, "You cannot attach to a stopped container, start it first");
	}
	code = attach_session(env, c, att, &r, &detached, err);
	if (code < 0)
		return cli_daemon_error(err);
	/* Docker's attach reports the detach as its error. */
	if (detached)
		return robbe_error_set(err, EXIT_GENERAL, "read escape sequence");
	return code;
}

/* ---- start ---------------------------------------------------------------- */

/* start -a/-i: one container, started unless it runs, attached. */
static int start_attached(struct cli_ctx *ctx, struct container_env *env, const struct detach_keys *keys,
			  bool interactive, robbe_error **err)
{
	cleanup_store_container struct store_container *c = NULL;
	cleanup_container_attach struct container_attach *att = NULL;
	cleanup_cjson cJSON *config = NULL;
	struct attach_request r = { .out = true, .errs = true, .keys = keys };
	bool detached;
	int code;

	if (container_lookup(env, ctx->argv[0], &c, err) < 0)
		return cli_daemon_error(err);
	config = container_config(c);
	r.in = interactive && config_flag(config, "OpenStdin");
	/* start has no --sig-proxy: signals go on unless there is a terminal. */
	r.proxy = !config_flag(config, "Tty");
	/* Docker attaches to a running container and waits for it. */
	if (c->state == STORE_STATE_RUNNING && container_attach(env, c, &att, err) < 0) {
		if ((*err)->errnum != ESRCH)
			return cli_daemon_error(err);
		/* It stopped meanwhile (c is up to date): start it again. */
		robbe_error_free(steal_pointer(err));
	}
	if (!att) {
		struct container_start_opts so = { .attach = true, .attach_stdin = r.in };

		if (container_start(env, c, &so, &att, err) < 0)
			return cli_daemon_error(err);
	}
	code = attach_session(env, c, att, &r, &detached, err);
	if (code < 0)
		return cli_daemon_error(err);
	return code;
}

int cmd_container_start(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_detach_keys struct detach_keys keys = { 0 };
	bool attach = opts_bool(ctx->opts, "attach"), interactive = opts_bool(ctx->opts, "interactive");
	struct sbuf failed = SBUF_INIT;
	bool any_error = false;

	if ((attach || interactive) && cli_detach_keys(ctx, &keys, err) < 0)
		return -1;
	if (opts_str(ctx->opts, "checkpoint") || opts_str(ctx->opts, "checkpoint-dir"))
		return robbe_error_set(err, EXIT_ENGINE, "the --checkpoint option is not supported by robbe yet");
	if ((attach || interactive) && ctx->argc > 1)
		return robbe_error_set(err, EXIT_GENERAL, "you cannot start and attach multiple containers at once");
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;

	if (attach || interactive)
		return start_attached(ctx, env, &keys, interactive, err);

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
