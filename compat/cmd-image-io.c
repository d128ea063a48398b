/* cmd-image-io.c: push, login, logout, save, load and import.
 *
 * Output follows Docker CLI 28 talking to a daemon, as a terminal-less
 * client sees it (progress bars are not drawn; the status lines are).
 * Registry and engine errors print as Docker prints them: push errors as
 * the registry words them, the others after "Error response from daemon: ".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>

#include "compat/cli.h"
#include "src/auth.h"
#include "src/image-transfer.h"
#include "src/reference.h"

/* Longest password or username we read from standard input. */
#define LOGIN_INPUT_MAX (64u << 10)

static int open_env(struct cli_ctx *ctx, struct image_env **env, robbe_error **err)
{
	const struct robbe_paths *p;
	struct store *s;

	if (cli_store(ctx, &s, err) < 0 || cli_paths(ctx, &p, err) < 0)
		return -1;
	return image_env_open(s, p, env, err);
}

/* `--config DIR` is where Docker's config.json (and so the credentials)
 * live; auth.c reads it from DOCKER_CONFIG. */
static void apply_config_dir(const struct cli_ctx *ctx)
{
	if (ctx->g.config_dir && *ctx->g.config_dir)
		setenv("DOCKER_CONFIG", ctx->g.config_dir, 1);
}

/* Errors found by the CLI itself: Docker prints them bare, exit 1. */
static int cli_fail(robbe_error **err, const char *fmt, ...) ATTR_PRINTF(2, 3);
static int cli_fail(robbe_error **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cleanup_free char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	return robbe_error_set(err, EXIT_GENERAL, "%s", msg);
}

/* Go's wording for a file that cannot be opened: "open x: no such file or
 * directory". */
static int open_error(robbe_error **err, const char *path)
{
	cleanup_free char *why = xstrdup(strerror(errno));

	if (why[0] >= 'A' && why[0] <= 'Z' && why[1] >= 'a' && why[1] <= 'z')
		why[0] = (char) (why[0] - 'A' + 'a');
	return cli_fail(err, "open %s: %s", path, why);
}

/* ---- push ---------------------------------------------------------------- */

static void push_event(void *opaque, const struct image_push_event *e)
{
	bool quiet = *(bool *) opaque;

	if (quiet)
		return;
	switch (e->kind) {
	case IMAGE_PUSH_LAYER_PREPARING:
		printf("%s: Preparing\n", e->short_id);
		break;
	case IMAGE_PUSH_LAYER_WAITING:
		printf("%s: Waiting\n", e->short_id);
		break;
	case IMAGE_PUSH_LAYER_EXISTS:
		printf("%s: Layer already exists\n", e->short_id);
		break;
	case IMAGE_PUSH_LAYER_MOUNTED:
		printf("%s: Mounted from %s\n", e->short_id, e->from);
		break;
	case IMAGE_PUSH_LAYER_PUSHED:
		printf("%s: Pushed\n", e->short_id);
		break;
	case IMAGE_PUSH_DONE:
		printf("%s: digest: %s size: %zu\n", e->tag, e->digest, e->size);
		break;
	case IMAGE_PUSH_TAG:
	case IMAGE_PUSH_LAYER_PUSHING:
		return;
	}
	fflush(stdout);
}

int cmd_image_push(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_image_env struct image_env *env = NULL;
	cleanup_free char *repo = NULL;
	bool all = opts_bool(ctx->opts, "all-tags");
	bool quiet = opts_bool(ctx->opts, "quiet");
	bool default_tag;
	struct image_push_opts po = { .all_tags = all };
	struct image_push_events ev = { push_event, &quiet };

	apply_config_dir(ctx);
	if (image_push_target(ctx->argv[0], all, &repo, &default_tag, err) < 0) {
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	if (default_tag && !quiet)
		printf("Using default tag: %s\n", REFERENCE_DEFAULT_TAG);
	if (!quiet)
		printf("The push refers to repository [%s]\n", repo);
	fflush(stdout);
	if (open_env(ctx, &env, err) < 0)
		return -1;
	if (image_push(env, ctx->argv[0], &po, &ev, err) < 0) {
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	if (quiet) {
		cleanup_reference struct reference *r = NULL;
		if (reference_parse(ctx->argv[0], &r, err) < 0)
			return -1;
		if (!all)
			reference_default_tag(r);
		cleanup_free char *s = reference_string(r);
		printf("%s\n", s);
	}
	return 0;
}

/* ---- login / logout ------------------------------------------------------ */

/* One line from fd 0 without its newline; NULL at end of input. */
static char *read_line(void)
{
	struct sbuf sb = SBUF_INIT;
	char c;

	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!sb.len) {
				sbuf_release(&sb);
				return NULL;
			}
			break;
		}
		if (c == '\n')
			break;
		if (sb.len < LOGIN_INPUT_MAX)
			sbuf_addc(&sb, c);
	}
	if (sb.len && sb.buf[sb.len - 1] == '\r')
		sb.buf[--sb.len] = '\0';
	return sbuf_detach(&sb);
}

static char *trim_space(char *s)
{
	size_t n;

	if (!s)
		return s;
	while (*s == ' ' || *s == '\t')
		memmove(s, s + 1, strlen(s));
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* The whole of standard input (--password-stdin), less one trailing
 * newline, as Docker takes it. */
static int read_stdin_secret(char **out, robbe_error **err)
{
	struct sbuf sb = SBUF_INIT;
	char buf[4096];

	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sbuf_release(&sb);
			return robbe_error_errno(err, errno, "read standard input");
		}
		if (n == 0)
			break;
		if (sb.len + (size_t) n > LOGIN_INPUT_MAX) {
			sbuf_release(&sb);
			return cli_fail(err, "password on standard input is longer than %u bytes", LOGIN_INPUT_MAX);
		}
		sbuf_add(&sb, buf, (size_t) n);
	}
	if (sb.len && sb.buf[sb.len - 1] == '\n')
		sb.buf[--sb.len] = '\0';
	if (sb.len && sb.buf[sb.len - 1] == '\r')
		sb.buf[--sb.len] = '\0';
	*out = sbuf_detach(&sb);
	return 0;
}

/* Ask on the terminal for what the options did not give. */
static int prompt_credentials(char **user, char **pass, const char *default_user, robbe_error **err)
{
	if (!*user) {
		if (default_user && *default_user)
			printf("Username (%s): ", default_user);
		else
			printf("Username: ");
		fflush(stdout);
		*user = trim_space(read_line());
		if ((!*user || !**user) && default_user && *default_user) {
			free(*user);
			*user = xstrdup(default_user);
		}
		if (!*user || !**user)
			return cli_fail(err, "Error: Non-null Username Required");
	}
	if (!*pass) {
		struct termios old, quiet;
		bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
		if (restore) {
			quiet = old;
			quiet.c_lflag &= (tcflag_t) ~ECHO;
			tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
		}
		printf("Password: ");
		fflush(stdout);
		*pass = trim_space(read_line());
		if (restore)
			tcsetattr(STDIN_FILENO, TCSANOW, &old);
		printf("\n");
		fflush(stdout);
		if (!*pass || !**pass)
			return cli_fail(err, "Error: Password Required");
	}
	return 0;
}

static int store_and_report(const char *domain, const char *user, const char *pass, robbe_error **err)
{
	cleanup_free char *where = NULL;
	cleanup_free char *config = auth_docker_config_path();
	struct auth_credentials old = { 0 };
	cleanup_error robbe_error *e = NULL;
	bool same = auth_lookup(domain, &old, &e) > 0 && old.source && strcmp(old.source, config) == 0 &&
		    old.username && strcmp(old.username, user) == 0 && old.secret && strcmp(old.secret, pass) == 0;

	auth_credentials_release(&old);
	/* As Docker's file store: credentials that did not change are not
	 * written again, and not warned about again. */
	if (same) {
		printf("Login Succeeded\n");
		return 0;
	}
	if (auth_store(domain, user, pass, &where, err) < 0) {
		robbe_error_wrap(err, "Error saving credentials");
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	if (where && !str_has_prefix(where, "docker-credential-"))
		fprintf(stderr,
			"\nWARNING! Your credentials are stored unencrypted in '%s'.\n"
			"Configure a credential helper to remove this warning. See\n"
			"https://docs.docker.com/go/credential-store/\n\n",
			where);
	printf("Login Succeeded\n");
	return 0;
}

/* Credentials already stored for the registry: used when neither -u nor
 * -p is given.  1 if they worked (and the login is done). */
static int login_stored(const char *domain, robbe_error **err)
{
	struct auth_credentials c = { 0 };
	cleanup_error robbe_error *e = NULL;
	int r;

	if (auth_lookup(domain, &c, &e) <= 0 || !c.username || !*c.username || !c.secret || !*c.secret) {
		auth_credentials_release(&c);
		return 0;
	}
	fprintf(stderr, "Authenticating with existing credentials... [Username: %s]\n", c.username);
	r = image_login_check(domain, c.username, c.secret, REGISTRY_TLS_DEFAULT, NULL, &e);
	if (r == -REGISTRY_ERR_UNAUTHORIZED) {
		fprintf(stderr, "Stored credentials invalid or expired\n");
		auth_credentials_release(&c);
		return 0;
	}
	if (r < 0) {
		fprintf(stderr, "Login did not succeed, error: Error response from daemon: %s\n", e->msg);
		auth_credentials_release(&c);
		return 0;
	}
	r = store_and_report(domain, c.username, c.secret, err);
	auth_credentials_release(&c);
	return r < 0 ? -1 : 1;
}

int cmd_login(struct cli_ctx *ctx, robbe_error **err)
{
	bool pw_stdin = opts_bool(ctx->opts, "password-stdin");
	const char *u = opts_str(ctx->opts, "username");
	const char *p = opts_str(ctx->opts, "password");
	cleanup_free char *domain = image_login_domain(ctx->argc ? ctx->argv[0] : NULL);
	cleanup_free char *user = u && *u ? trim_space(xstrdup(u)) : NULL;
	cleanup_free char *pass = p && *p ? trim_space(xstrdup(p)) : NULL;
	int r;

	apply_config_dir(ctx);
	if (pw_stdin) {
		if (opts_changed(ctx->opts, "password"))
			return cli_fail(err, "conflicting options: cannot specify both --password and --password-stdin");
		if (!opts_changed(ctx->opts, "username"))
			return cli_fail(err, "the --password-stdin option requires --username to be set");
	}
	if (opts_changed(ctx->opts, "username") && (!u || !*u))
		return cli_fail(err, "username is empty");
	if (opts_changed(ctx->opts, "password") && (!p || !*p))
		return cli_fail(err, "password is empty");
	if (pass)
		fprintf(stderr, "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
	if (pw_stdin) {
		free(pass);
		pass = NULL;
		if (read_stdin_secret(&pass, err) < 0)
			return -1;
		/* Docker trims a password however it came. */
		trim_space(pass);
	}

	if (!user && !pass) {
		if ((r = login_stored(domain, err)) != 0)
			return r < 0 ? -1 : 0;
	}
	if ((!user || !pass || !*pass) && !isatty(STDIN_FILENO))
		return cli_fail(err, "Error: Cannot perform an interactive login from a non TTY device");
	if (pass && !*pass) {
		free(pass);
		pass = NULL;
	}
	if (!user || !pass) {
		struct auth_credentials old = { 0 };
		cleanup_error robbe_error *e = NULL;
		if (!user)
			auth_lookup(domain, &old, &e);
		r = prompt_credentials(&user, &pass, old.username, err);
		auth_credentials_release(&old);
		if (r < 0)
			return -1;
	}
	if (image_login_check(domain, user, pass, REGISTRY_TLS_DEFAULT, NULL, err) < 0) {
		cli_daemon_error(err);
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	return store_and_report(domain, user, pass, err) < 0 ? -1 : 0;
}

int cmd_logout(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_free char *domain = image_login_domain(ctx->argc ? ctx->argv[0] : NULL);
	cleanup_free char *shown = image_login_display(domain);
	cleanup_error robbe_error *e = NULL;

	(void) err;
	apply_config_dir(ctx);
	printf("Removing login credentials for %s\n", shown);
	fflush(stdout);
	if (auth_erase(domain, &e) < 0)
		fprintf(stderr, "WARNING: could not erase credentials:\n%s: %s\n", shown, e->msg);
	return 0;
}

/* ---- save / load ---------------------------------------------------------- */

int cmd_image_save(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_image_env struct image_env *env = NULL;
	const char *output = opts_str(ctx->opts, "output");
	cleanup_free char *tmp = NULL;
	cleanup_close int fd = -1;

	if (!output || !*output) {
		if (isatty(STDOUT_FILENO))
			return cli_fail(err, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
	} else {
		/* Written next to the target and renamed over it when done, so
		 * a failed save leaves no half archive behind. */
		cleanup_free char *dir = xstrdup(output);
		char *slash = strrchr(dir, '/');
		const char *base = slash ? slash + 1 : output;
		if (slash)
			slash[slash == dir ? 1 : 0] = '\0';
		tmp = xasprintf("%s/.%s.robbe-XXXXXX", slash ? dir : ".", base);
		fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0) {
			robbe_error_errno(err, errno, "failed to save image: open %s", output);
			(*err)->status = EXIT_GENERAL;
			return -1;
		}
		(void) fchmod(fd, 0600);
	}
	if (open_env(ctx, &env, err) < 0)
		goto fail;
	if (image_save(env, ctx->argv, fd >= 0 ? fd : STDOUT_FILENO, err) < 0) {
		cli_daemon_error(err);
		goto fail;
	}
	if (fd >= 0) {
		if (fsync(fd) < 0 || rename(tmp, output) < 0) {
			robbe_error_errno(err, errno, "failed to save image: write %s", output);
			goto fail;
		}
	}
	return 0;
fail:
	if (tmp && fd >= 0)
		unlink(tmp);
	(*err)->status = EXIT_GENERAL;
	return -1;
}

int cmd_image_load(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_image_env struct image_env *env = NULL;
	const char *input = opts_str(ctx->opts, "input");
	const char *platform = opts_str(ctx->opts, "platform");
	struct image_load_report rep = { 0 };
	cleanup_close int fd = -1;
	struct sbuf ids = SBUF_INIT;
	size_t last_tags = 0;

	if (input && *input) {
		fd = open(input, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return open_error(err, input);
	} else if (isatty(STDIN_FILENO)) {
		return cli_fail(err, "requested load from stdin, but stdin is empty");
	}
	if (open_env(ctx, &env, err) < 0)
		return -1;
	if (image_load(env, fd >= 0 ? fd : STDIN_FILENO, platform && *platform ? platform : NULL, &rep, err) < 0) {
		image_load_report_release(&rep);
		cli_daemon_error(err);
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	/* Docker's wording and order: each tag as it is set, and the IDs at
	 * the end when the last image had no tag. */
	for (size_t i = 0; i < rep.n; i++) {
		const struct image_load_item *it = &rep.v[i];
		sbuf_addf(&ids, "Loaded image ID: %s\n", it->id);
		last_tags = strv_len(it->names);
		for (size_t k = 0; it->names[k]; k++) {
			cleanup_free char *fam = image_familiar(it->names[k]);
			if (it->replaced[k] && *it->replaced[k])
				printf("The image %s already exists, renaming the old one with ID %s to empty string\n",
				       fam, it->replaced[k]);
			printf("Loaded image: %s\n", fam);
		}
	}
	if (last_tags == 0)
		fputs(sbuf_str(&ids), stdout);
	sbuf_release(&ids);
	image_load_report_release(&rep);
	return 0;
}

/* ---- import --------------------------------------------------------------- */

int cmd_image_import(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_image_env struct image_env *env = NULL;
	const char *source = ctx->argv[0];
	cleanup_close int fd = -1;
	cleanup_free char *id = NULL;
	struct image_import_opts io = {
		.source = "-",
		.changes = opts_list(ctx->opts, "change"),
		.message = opts_str(ctx->opts, "message"),
		.platform = opts_str(ctx->opts, "platform"),
		.reference = ctx->argc > 1 ? ctx->argv[1] : NULL,
	};

	if (str_has_prefix(source, "http://") || str_has_prefix(source, "https://"))
		return cli_fail(err, "importing from a URL is not supported by robbe: download %s and import the file",
				source);
	if (strcmp(source, "-") != 0) {
		fd = open(source, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return open_error(err, source);
	}
	if (open_env(ctx, &env, err) < 0)
		return -1;
	if (image_import(env, fd >= 0 ? fd : STDIN_FILENO, &io, &id, err) < 0) {
		cli_daemon_error(err);
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	printf("%s\n", id);
	return 0;
}
