/* paths.c: where robbe keeps its state, rootful or rootless. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"
#include "rootless.h"
#include "runtime.h"

/* Absolute, without repeated or trailing slashes.  ".." is left alone: the
 * store compares resolved paths where it matters. */
static int clean_path(const char *what, const char *path, char **out, robbe_error **err)
{
	struct sbuf sb = SBUF_INIT;

	if (!path || !*path)
		return robbe_error_set(err, EXIT_ENGINE, "%s must not be empty", what);
	if (path[0] != '/') {
		cleanup_free char *cwd = getcwd(NULL, 0);
		if (!cwd)
			return robbe_error_errno(err, errno, "resolving %s \"%s\"", what, path);
		sbuf_adds(&sb, cwd);
		sbuf_addc(&sb, '/');
	}
	sbuf_adds(&sb, path);

	char *p = sb.buf, *w = sb.buf;
	for (char *r = p; *r; r++) {
		if (*r == '/' && w > p && w[-1] == '/')
			continue;
		*w++ = *r;
	}
	while (w > p + 1 && w[-1] == '/')
		w--;
	*w = '\0';
	*out = sbuf_detach(&sb);
	return 0;
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* XDG base directories must be absolute; relative values are to be ignored. */
static const char *xdg_value(const char *s)
{
	return s && s[0] == '/' ? s : NULL;
}

static int home_dir(const struct paths_env *env, uid_t uid, char **out, robbe_error **err)
{
	const char *home = xdg_value(env->home);

	if (!home) {
		struct passwd pw, *res = NULL;
		char buf[4096];
		int r = getpwuid_r(uid, &pw, buf, sizeof(buf), &res);
		if (r != 0 || !res || !res->pw_dir || res->pw_dir[0] != '/')
			return robbe_error_set(err, EXIT_ENGINE,
					       "cannot find the home directory of uid %u: set $HOME or $XDG_DATA_HOME",
					       (unsigned) uid);
		*out = xstrdup(res->pw_dir);
		return 0;
	}
	*out = xstrdup(home);
	return 0;
}

/* A directory in a shared place (/run/user, /tmp) is only ours if we own it
 * and it is a real directory, not a link someone planted. */
static bool owned_dir(const char *path, uid_t owner)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == owner;
}

static int default_runroot(const struct paths_env *env, uid_t uid, char **out, robbe_error **err)
{
	const char *xdg = xdg_value(env->xdg_runtime_dir);
	struct stat st;

	if (xdg) {
		*out = xasprintf("%s/robbe", xdg);
		return 0;
	}
	/* Same place as a login session would have given us, so that a shell
	 * without $XDG_RUNTIME_DIR (su, cron) still sees the same runroot. */
	cleanup_free char *run_user = xasprintf("%s/%u", env->run_user_base, (unsigned) uid);
	if (owned_dir(run_user, env->euid)) {
		*out = xasprintf("%s/robbe", run_user);
		return 0;
	}
	cleanup_free char *tmp = xasprintf("%s/robbe-%u", env->tmp_base, (unsigned) uid);
	if (lstat(tmp, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return robbe_error_set(err, EXIT_ENGINE,
					       "refusing to use \"%s\" as runroot: it is not a directory", tmp);
		if (st.st_uid != env->euid)
			return robbe_error_set(err, EXIT_ENGINE,
					       "refusing to use \"%s\" as runroot: it is owned by uid %u, not by us",
					       tmp, (unsigned) st.st_uid);
	} else if (errno != ENOENT) {
		return robbe_error_errno(err, errno, "stat %s", tmp);
	}
	*out = steal_pointer(&tmp);
	return 0;
}

UNITTEST int paths_resolve(struct robbe_paths *p, const struct paths_env *env, const char *root_opt,
			   const char *runroot_opt, robbe_error **err)
{
	cleanup_free char *root = NULL, *runroot = NULL;
	const char *s;

	memset(p, 0, sizeof(*p));
	p->uid = env->euid;
	p->rootless = env->euid != 0;
	/* Root on the host with the variable left over (sudo -E) is still
	 * root: only inside a user namespace does it name a user. */
	if (env->euid == 0 && env->in_userns && nonempty(env->userns_owner)) {
		char *end;
		errno = 0;
		unsigned long owner = strtoul(env->userns_owner, &end, 10);
		if (errno || *end || owner == 0 || owner > (uid_t) -2)
			return robbe_error_set(err, EXIT_ENGINE, "invalid ROBBE_USERNS_OWNER \"%s\"",
					       env->userns_owner);
		p->uid = (uid_t) owner;
		p->rootless = true;
		p->userns = true;
	}

	if ((s = nonempty(root_opt)) || (s = nonempty(env->root_env))) {
		if (clean_path("root", s, &root, err) < 0)
			return -1;
	} else if (!p->rootless) {
		root = xstrdup("/var/lib/robbe");
	} else if ((s = xdg_value(env->xdg_data_home))) {
		cleanup_free char *r = xasprintf("%s/robbe", s);
		if (clean_path("root", r, &root, err) < 0)
			return -1;
	} else {
		cleanup_free char *home = NULL, *r = NULL;
		if (home_dir(env, p->uid, &home, err) < 0)
			return -1;
		r = xasprintf("%s/.local/share/robbe", home);
		if (clean_path("root", r, &root, err) < 0)
			return -1;
	}

	if ((s = nonempty(runroot_opt)) || (s = nonempty(env->runroot_env))) {
		if (clean_path("runroot", s, &runroot, err) < 0)
			return -1;
	} else if (!p->rootless) {
		runroot = xstrdup("/run/robbe");
	} else {
		cleanup_free char *r = NULL;
		if (default_runroot(env, p->uid, &r, err) < 0)
			return -1;
		if (clean_path("runroot", r, &runroot, err) < 0)
			return -1;
	}

	p->root = steal_pointer(&root);
	p->runroot = steal_pointer(&runroot);
	return 0;
}

static void process_env(struct paths_env *env)
{
	*env = (struct paths_env) {
		.euid = geteuid(),
		.home = getenv("HOME"),
		.xdg_data_home = getenv("XDG_DATA_HOME"),
		.xdg_runtime_dir = getenv("XDG_RUNTIME_DIR"),
		.root_env = getenv("ROBBE_ROOT"),
		.runroot_env = getenv("ROBBE_RUNROOT"),
		.userns_owner = getenv(ROOTLESS_OWNER_ENV),
		.in_userns = rootless_in_userns(),
		.run_user_base = "/run/user",
		.tmp_base = "/tmp",
	};
}

int paths_init(struct robbe_paths *p, const char *root_opt, const char *runroot_opt, robbe_error **err)
{
	struct paths_env env;

	process_env(&env);
	if (paths_resolve(p, &env, root_opt, runroot_opt, err) < 0)
		return -1;
	/* The OCI runtime keeps its state under the runroot too (runc's
	 * default, /run/runc, is not ours to write when rootless). */
	if (p->rootless)
		runtime_set_state_dir(p->runroot);
	return 0;
}

int paths_default_runroot(char **out, robbe_error **err)
{
	struct robbe_paths p;
	struct paths_env env;

	process_env(&env);
	env.root_env = env.runroot_env = NULL;
	/* Only the runroot is wanted: a root that cannot be found (no
	 * $HOME) must not stand in the way. */
	env.xdg_data_home = "/";
	if (paths_resolve(&p, &env, NULL, NULL, err) < 0)
		return -1;
	*out = steal_pointer(&p.runroot);
	paths_release(&p);
	return 0;
}

void paths_release(struct robbe_paths *p)
{
	free(p->root);
	free(p->runroot);
	memset(p, 0, sizeof(*p));
}

int paths_ensure_dirs(const struct robbe_paths *p, robbe_error **err)
{
	struct stat st;

	if (mkdir_p(p->root, 0700, err) < 0)
		return robbe_error_wrap(err, "creating root directory");
	if (mkdir_p(p->runroot, 0700, err) < 0)
		return robbe_error_wrap(err, "creating runroot directory");

	cleanup_close int fd = open(p->runroot, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			return robbe_error_set(err, EXIT_ENGINE,
					       "refusing to use \"%s\" as runroot: it is not a directory (or is a symbolic link)",
					       p->runroot);
		return robbe_error_errno(err, errno, "open runroot %s", p->runroot);
	}
	if (fstat(fd, &st) < 0)
		return robbe_error_errno(err, errno, "stat runroot %s", p->runroot);
	if (st.st_uid != geteuid())
		return robbe_error_set(err, EXIT_ENGINE,
				       "refusing to use \"%s\" as runroot: it is owned by uid %u, not by us",
				       p->runroot, (unsigned) st.st_uid);
	/* Sockets and pid files live here: nobody else may look in. */
	if ((st.st_mode & 077) && fchmod(fd, 0700) < 0)
		return robbe_error_errno(err, errno, "chmod runroot %s", p->runroot);
	return 0;
}

char *paths_db(const struct robbe_paths *p)
{
	return xasprintf("%s/robbe.db", p->root);
}

char *paths_alive(const struct robbe_paths *p)
{
	return xasprintf("%s/alive", p->runroot);
}

char *paths_in_root(const struct robbe_paths *p, const char *rel)
{
	return xasprintf("%s/%s", p->root, rel);
}

char *paths_in_runroot(const struct robbe_paths *p, const char *rel)
{
	return xasprintf("%s/%s", p->runroot, rel);
}
