/* test-paths.c: where robbe puts things, rootful and rootless. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "paths.h"
#include "tests/unit/tap.h"

static char *tmp;

static struct paths_env base_env(uid_t euid)
{
	struct paths_env env = {
		.euid = euid,
		.home = "/home/u",
		.run_user_base = "/nonexistent-run-user",
		.tmp_base = tmp,
	};
	return env;
}

static void resolve_ok(const struct paths_env *env, const char *root_opt, const char *runroot_opt,
		       const char *want_root, const char *want_runroot, const char *what)
{
	struct robbe_paths p;
	cleanup_error robbe_error *err = NULL;

	if (!ok(paths_resolve(&p, env, root_opt, runroot_opt, &err) == 0, "%s: resolves", what)) {
		printf("# %s\n", err->msg);
		return;
	}
	is_str(p.root, want_root, "%s: root", what);
	is_str(p.runroot, want_runroot, "%s: runroot", what);
	paths_release(&p);
}

static void resolve_fails(const struct paths_env *env, const char *want_in_msg, const char *what)
{
	struct robbe_paths p;
	cleanup_error robbe_error *err = NULL;

	ok(paths_resolve(&p, env, NULL, NULL, &err) < 0, "%s: refused", what);
	ok(err && strstr(err->msg, want_in_msg), "%s: message mentions \"%s\" (%s)", what, want_in_msg,
	   err ? err->msg : "no error");
}

static void test_rootful(void)
{
	struct paths_env env = base_env(0);
	struct robbe_paths p;
	cleanup_error robbe_error *err = NULL;
	cleanup_free char *cwd = getcwd(NULL, 0), *want = xasprintf("%s/rel/dir", cwd);

	resolve_ok(&env, NULL, NULL, "/var/lib/robbe", "/run/robbe", "rootful defaults");
	ok(paths_resolve(&p, &env, NULL, NULL, &err) == 0 && !p.rootless && !p.userns && p.uid == 0,
	   "rootful: not rootless, uid 0");
	paths_release(&p);

	/* XDG variables mean nothing to root. */
	env.xdg_data_home = "/x/data";
	env.xdg_runtime_dir = "/x/run";
	resolve_ok(&env, NULL, NULL, "/var/lib/robbe", "/run/robbe", "rootful ignores XDG");

	env.root_env = "/env/root";
	env.runroot_env = "/env/run";
	resolve_ok(&env, NULL, NULL, "/env/root", "/env/run", "ROBBE_ROOT/ROBBE_RUNROOT");
	resolve_ok(&env, "/opt//root/", "/opt/run///", "/opt/root", "/opt/run", "options beat env, cleaned");
	resolve_ok(&env, "rel/dir/", "/", want, "/", "relative option made absolute");

	env.root_env = "";
	env.runroot_env = "";
	resolve_ok(&env, NULL, NULL, "/var/lib/robbe", "/run/robbe", "empty env values ignored");
}

static void test_rootless(void)
{
	struct paths_env env = base_env(1000);
	struct robbe_paths p;
	cleanup_error robbe_error *err = NULL;
	cleanup_free char *tmp_fallback = xasprintf("%s/robbe-1000", tmp);

	env.xdg_data_home = "/x/data";
	env.xdg_runtime_dir = "/x/run";
	resolve_ok(&env, NULL, NULL, "/x/data/robbe", "/x/run/robbe", "rootless with XDG");
	ok(paths_resolve(&p, &env, NULL, NULL, &err) == 0 && p.rootless && !p.userns && p.uid == 1000,
	   "rootless: rootless, uid 1000");
	paths_release(&p);

	env.xdg_data_home = "relative/data";
	env.xdg_runtime_dir = "relative/run";
	resolve_ok(&env, NULL, NULL, "/home/u/.local/share/robbe", tmp_fallback,
		   "relative XDG values ignored: HOME and /tmp fallback");
	env.xdg_data_home = NULL;
	env.xdg_runtime_dir = NULL;
	resolve_ok(&env, NULL, NULL, "/home/u/.local/share/robbe", tmp_fallback, "HOME fallback");

	/* No $HOME: the password database.  nobody's home is /nonexistent. */
	env = base_env(65534);
	env.home = NULL;
	cleanup_free char *nobody_tmp = xasprintf("%s/robbe-65534", tmp);
	resolve_ok(&env, NULL, NULL, "/nonexistent/.local/share/robbe", nobody_tmp, "no HOME: passwd entry");

	/* An explicit runroot is the user's own business. */
	env = base_env(1000);
	resolve_ok(&env, NULL, "/my/run", "/home/u/.local/share/robbe", "/my/run", "explicit runroot wins");
}

/* Needs root: directories owned by "someone else". */
static void test_rootless_ownership(void)
{
	struct paths_env env = base_env(1000);
	cleanup_free char *tmp_fallback = xasprintf("%s/robbe-1000", tmp);
	cleanup_free char *run_user = xasprintf("%s/run-user", tmp);
	cleanup_free char *run_user_1000 = xasprintf("%s/run-user/1000", tmp);
	cleanup_free char *run_user_robbe = xasprintf("%s/run-user/1000/robbe", tmp);

	/* /run/user/<uid> when it is the user's, even without XDG_RUNTIME_DIR. */
	env.run_user_base = run_user;
	mkdir(run_user, 0755);
	mkdir(run_user_1000, 0700);
	ok(chown(run_user_1000, 1000, 1000) == 0, "chown run-user/1000");
	resolve_ok(&env, NULL, NULL, "/home/u/.local/share/robbe", run_user_robbe, "/run/user/<uid> fallback");
	ok(chown(run_user_1000, 0, 0) == 0, "chown run-user/1000 back to root");
	resolve_ok(&env, NULL, NULL, "/home/u/.local/share/robbe", tmp_fallback,
		   "/run/user/<uid> owned by someone else is skipped");

	/* /tmp/robbe-<uid> made by someone else (here root) is refused. */
	ok(mkdir(tmp_fallback, 0777) == 0, "someone else creates %s", tmp_fallback);
	resolve_fails(&env, "owned by uid 0", "foreign /tmp fallback");
	ok(chown(tmp_fallback, 1000, 1000) == 0, "chown it to the user");
	resolve_ok(&env, NULL, NULL, "/home/u/.local/share/robbe", tmp_fallback, "own /tmp fallback accepted");
	rmdir(tmp_fallback);
	ok(symlink("/etc", tmp_fallback) == 0, "plant a symlink at %s", tmp_fallback);
	resolve_fails(&env, "not a directory", "symlinked /tmp fallback");
	unlink(tmp_fallback);
}

static void test_userns(void)
{
	struct paths_env env = base_env(0);
	struct robbe_paths p;
	cleanup_error robbe_error *err = NULL;

	env.userns_owner = "1000";
	env.in_userns = true;
	env.xdg_data_home = "/x/data";
	env.xdg_runtime_dir = "/x/run";
	ok(paths_resolve(&p, &env, NULL, NULL, &err) == 0, "inside robbe's user namespace: resolves");
	ok(p.rootless && p.userns && p.uid == 1000, "rootless, userns, acting for uid 1000");
	is_str(p.root, "/x/data/robbe", "userns: the user's root");
	is_str(p.runroot, "/x/run/robbe", "userns: the user's runroot");
	paths_release(&p);

	env.userns_owner = "12x";
	resolve_fails(&env, "ROBBE_USERNS_OWNER", "bad ROBBE_USERNS_OWNER");
	/* Root on the host with the variable left in its environment. */
	env = base_env(0);
	env.userns_owner = "1000";
	ok(paths_resolve(&p, &env, NULL, NULL, &err) == 0 && p.uid == 0 && !p.userns && !p.rootless,
	   "ROBBE_USERNS_OWNER ignored outside a user namespace");
	paths_release(&p);
	/* Not root: the variable is not ours to believe. */
	env = base_env(1000);
	env.userns_owner = "0";
	ok(paths_resolve(&p, &env, NULL, NULL, &err) == 0 && p.uid == 1000 && !p.userns,
	   "ROBBE_USERNS_OWNER ignored when not uid 0");
	paths_release(&p);
}

static void test_ensure_dirs(void)
{
	struct robbe_paths p = {
		.root = xasprintf("%s/e/root", tmp),
		.runroot = xasprintf("%s/e/run", tmp),
	};
	cleanup_error robbe_error *err = NULL;
	cleanup_free char *db = paths_db(&p), *alive = paths_alive(&p);
	cleanup_free char *want_db = xasprintf("%s/robbe.db", p.root);
	cleanup_free char *want_alive = xasprintf("%s/alive", p.runroot);
	cleanup_free char *link = xasprintf("%s/e/link", tmp);
	struct stat st;

	is_str(db, want_db, "paths_db");
	is_str(alive, want_alive, "paths_alive");
	ok(paths_ensure_dirs(&p, &err) == 0, "ensure_dirs creates both");
	ok(stat(p.root, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700, "root is 0700");
	ok(stat(p.runroot, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700, "runroot is 0700");

	chmod(p.runroot, 0755);
	ok(paths_ensure_dirs(&p, &err) == 0, "ensure_dirs again");
	ok(stat(p.runroot, &st) == 0 && (st.st_mode & 0777) == 0700, "an open runroot is tightened to 0700");

	if (geteuid() == 0) {
		ok(chown(p.runroot, 1000, 1000) == 0, "runroot given to uid 1000");
		int r = paths_ensure_dirs(&p, &err);
		ok(r < 0 && err && strstr(err->msg, "owned by uid 1000"), "runroot owned by someone else refused (%s)",
		   err ? err->msg : "no error");
		robbe_error_free(err);
		err = NULL;
	}

	ok(symlink(p.runroot, link) == 0, "symlink to the runroot");
	free(p.runroot);
	p.runroot = xstrdup(link);
	int r = paths_ensure_dirs(&p, &err);
	ok(r < 0 && err && strstr(err->msg, "symbolic link"), "symlinked runroot refused (%s)",
	   err ? err->msg : "no error");
	paths_release(&p);
}

/* The real paths_init, as an unprivileged user: only possible as root. */
static void test_real_unprivileged(void)
{
	int fds[2];
	char buf[4096] = "";
	pid_t pid;
	int status;

	if (geteuid() != 0) {
		tap_diag("not root: cannot become nobody, skipping");
		return;
	}
	cleanup_free char *base = xasprintf("%s/nobody", tmp);
	mkdir(base, 0755);
	ok(chown(base, 65534, 65534) == 0, "chown %s to nobody", base);
	ok(pipe2(fds, O_CLOEXEC) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		struct robbe_paths p;
		robbe_error *err = NULL;
		cleanup_free char *data = xasprintf("%s/data", base), *run = xasprintf("%s/run", base);
		FILE *f = fdopen(fds[1], "w");

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(2);
		clearenv();
		setenv("HOME", "/nonexistent", 1);
		setenv("XDG_DATA_HOME", data, 1);
		setenv("XDG_RUNTIME_DIR", run, 1);
		if (paths_init(&p, NULL, NULL, &err) < 0 || paths_ensure_dirs(&p, &err) < 0) {
			fprintf(f, "error %s\n", err->msg);
			_exit(1);
		}
		fprintf(f, "%s %s %d %u\n", p.root, p.runroot, p.rootless, (unsigned) p.uid);
		fclose(f);
		_exit(0);
	}
	close(fds[1]);
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = '\0';
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child as nobody ran paths_init");
	cleanup_free char *want = xasprintf("%s/data/robbe %s/run/robbe 1 65534\n", base, base);
	is_str(buf, want, "nobody: XDG paths, rootless, uid 65534");

	struct stat st;
	cleanup_free char *run = xasprintf("%s/run/robbe", base);
	ok(stat(run, &st) == 0 && st.st_uid == 65534 && (st.st_mode & 0777) == 0700,
	   "nobody's runroot is nobody's, 0700");
}

int main(void)
{
	char templ[] = "/tmp/robbe-test-paths-XXXXXX";

	tmp = mkdtemp(templ);
	if (!tmp) {
		perror("mkdtemp");
		return 1;
	}
	/* nobody must be able to reach its directory below. */
	chmod(tmp, 0755);
	test_rootful();
	test_rootless();
	if (geteuid() == 0)
		test_rootless_ownership();
	else
		tap_diag("not root: skipping the tests that need directories owned by others");
	test_userns();
	test_ensure_dirs();
	test_real_unprivileged();

	cleanup_free char *cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		tap_diag("could not remove the temporary directory");
	return tap_done();
}
