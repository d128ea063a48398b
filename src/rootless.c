/* rootless.c: robbe's user namespace for an unprivileged user (see
 * rootless.h): the pause process that holds it, the id mappings made with
 * newuidmap/newgidmap, and joining it with setns(). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/nsfs.h>

#include "paths.h"
#include "rootless.h"
#include "runtime.h"

/* The kernel takes at most 340 lines in a uid_map; one is the user's own. */
#define MAX_RANGES 339
/* The pause process is recognised by these: argv[0] and an environment
 * variable, both set by the re-exec in create_pause(). */
#define PAUSE_ENV "ROBBE_PAUSE"

/* ---- where we are ---------------------------------------------------- */

size_t rootless_parse_idmap(const char *text, struct rootless_idmap *out, size_t max)
{
	size_t n = 0;
	const char *p = text;

	while (p && *p && n < max) {
		unsigned long a, b, c;
		int used = 0;

		if (sscanf(p, " %lu %lu %lu%n", &a, &b, &c, &used) == 3 && a <= UINT32_MAX && b <= UINT32_MAX &&
		    c <= UINT32_MAX) {
			out[n].inside = (uint32_t) a;
			out[n].outside = (uint32_t) b;
			out[n].count = (uint32_t) c;
			n++;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/* rootless_in_userns()'s answer; join() makes it stale. */
static int in_userns_cached = -1;

bool rootless_in_userns(void)
{
	cleanup_free char *text = NULL;
	cleanup_error robbe_error *e = NULL;
	struct rootless_idmap m[4];

	if (in_userns_cached >= 0)
		return in_userns_cached;
	/* The initial namespace maps every id to itself in one line. */
	if (read_file_all("/proc/self/uid_map", 64 * 1024, &text, NULL, &e) < 0)
		return false;
	in_userns_cached = !(rootless_parse_idmap(text, m, ARRAY_SIZE(m)) == 1 && m[0].inside == 0 && m[0].outside == 0 &&
		   m[0].count == UINT32_MAX);
	return in_userns_cached;
}

static bool parse_uid(const char *s, uid_t *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v >= (uid_t) -1)
		return false;
	*out = (uid_t) v;
	return true;
}

bool rootless_inside(uid_t *owner)
{
	uid_t o;

	if (geteuid() != 0 || !parse_uid(getenv(ROOTLESS_OWNER_ENV), &o) || !rootless_in_userns())
		return false;
	if (owner)
		*owner = o;
	return true;
}

int rootless_ns_ids(bool gid, uint32_t *count, uint32_t *host_zero, robbe_error **err)
{
	const char *file = gid ? "/proc/self/gid_map" : "/proc/self/uid_map";
	cleanup_free char *text = NULL;
	struct rootless_idmap m[340];
	size_t n;
	uint64_t total = 0;

	if (read_file_all(file, 64 * 1024, &text, NULL, err) < 0)
		return -1;
	n = rootless_parse_idmap(text, m, ARRAY_SIZE(m));
	*host_zero = (uint32_t) -1;
	for (size_t i = 0; i < n; i++) {
		total += m[i].count;
		if (m[i].inside == 0)
			*host_zero = m[i].outside;
	}
	*count = total > UINT32_MAX ? UINT32_MAX : (uint32_t) total;
	return 0;
}

/* ---- /etc/subuid and /etc/subgid -------------------------------------- */

static int range_cmp(const void *a, const void *b)
{
	const struct rootless_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

size_t rootless_parse_subids(const char *text, const char *name, uint32_t id, struct rootless_range **out)
{
	struct rootless_range *r = NULL;
	size_t n = 0;
	char idtext[16];
	const char *p = text;

	snprintf(idtext, sizeof(idtext), "%u", (unsigned) id);
	*out = NULL;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t) (nl - p) : strlen(p);
		cleanup_free char *line = xstrndup(p, len);
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL, *end;
		unsigned long start, count;

		p = nl ? nl + 1 : NULL;
		if (!c2)
			continue;
		*c1 = *c2 = '\0';
		if (strcmp(line, idtext) && (!name || strcmp(line, name)))
			continue;
		errno = 0;
		start = strtoul(c1 + 1, &end, 10);
		if (errno || *end || c1[1] == '\0')
			continue;
		count = strtoul(c2 + 1, &end, 10);
		if (errno || (*end && *end != '\r') || c2[1] == '\0' || count == 0 || start > UINT32_MAX ||
		    count > UINT32_MAX - start)
			continue;
		/* A range holding the user's own id would map it twice. */
		if (id >= start && id - start < count)
			continue;
		if (n == MAX_RANGES)
			break;
		r = xrealloc(r, (n + 1) * sizeof(*r));
		r[n].start = (uint32_t) start;
		r[n].count = (uint32_t) count;
		n++;
	}
	if (n)
		qsort(r, n, sizeof(*r), range_cmp);
	*out = r;
	return n;
}

char **rootless_map_argv(const char *prog, pid_t pid, uint32_t id, const struct rootless_range *r, size_t n)
{
	char **argv = NULL;
	uint64_t inside = 1;

	strv_push(&argv, prog);
	strv_push_take(&argv, xasprintf("%d", (int) pid));
	strv_push(&argv, "0");
	strv_push_take(&argv, xasprintf("%u", (unsigned) id));
	strv_push(&argv, "1");
	for (size_t i = 0; i < n && inside + r[i].count <= UINT32_MAX; i++) {
		strv_push_take(&argv, xasprintf("%llu", (unsigned long long) inside));
		strv_push_take(&argv, xasprintf("%u", (unsigned) r[i].start));
		strv_push_take(&argv, xasprintf("%u", (unsigned) r[i].count));
		inside += r[i].count;
	}
	return argv;
}

/* ---- the pause process ------------------------------------------------ */

bool rootless_pause_requested(int argc, char **argv)
{
	const char *v = getenv(PAUSE_ENV);

	return argc >= 1 && argv[0] && !strcmp(argv[0], ROOTLESS_PAUSE_NAME) && v && !strcmp(v, "1");
}

static void ATTR_NORETURN pause_forever(void)
{
	struct sigaction sa;
	static const int ignored[] = { SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU };

	/* It holds the namespaces and nothing else: no descriptor, no
	 * terminal, no reaction to a stray signal.  SIGTERM and SIGKILL end it
	 * (and with it the namespace, once no container uses it). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	for (size_t i = 0; i < ARRAY_SIZE(ignored); i++)
		sigaction(ignored[i], &sa, NULL);
	prctl(PR_SET_NAME, ROOTLESS_PAUSE_NAME, 0, 0, 0);
	for (;;)
		pause();
}

int rootless_pause_main(void)
{
	unsetenv(PAUSE_ENV);
	prctl(PR_SET_NAME, ROOTLESS_PAUSE_NAME, 0, 0, 0);
	/* Named now: tell the robbe that made us (fd 3, see pause_child). */
	if (write(3, "R", 1) < 0) {
		/* it is gone; we serve the next one */
	}
	close(3);
	pause_forever();
}

/* The pause process's side of create_pause(), after fork: make the
 * namespaces, let the parent map the ids, then become the pause process. */
static void ATTR_NORETURN pause_child(int sync)
{
	char c;
	int devnull;
	static char *const argv[] = { ROOTLESS_PAUSE_NAME, NULL };
	static char *const envp[] = { PAUSE_ENV "=1", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };

	/* Its own session: the terminal's hangup and ^C are not for it. */
	setsid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		c = (char) errno;
		if (write(sync, "E", 1) < 0 || write(sync, &c, 1) < 0)
			_exit(1);
		_exit(1);
	}
	if (write(sync, "U", 1) != 1)
		_exit(1);
	if (read(sync, &c, 1) != 1 || c != 'M')
		_exit(1);
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		_exit(1);
	/* The copied mounts came in as slaves of the host's.  Shared on top
	 * of that, a mount one robbe makes here (a container's root file
	 * system) reaches every copy made later, such as runc's for a
	 * container, while host mounts still propagate in. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SHARED, NULL) < 0)
		_exit(1);
	if (chdir("/") < 0)
		_exit(1);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)
		_exit(1);
	/* A fresh image of ourselves (rootless_pause_main): nothing of the
	 * parent's heap, a clean command line for ps, and no descriptor but
	 * the sync socket as fd 3, on which it reports once it bears its
	 * name (joiners check the name).  Every other fd goes, the lock's
	 * above all. */
	if (sync == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(sync, 3) < 0)
		_exit(1);
	syscall(SYS_close_range, 4U, ~0U, 0U);
	execve("/proc/self/exe", argv, envp);
	prctl(PR_SET_NAME, ROOTLESS_PAUSE_NAME, 0, 0, 0);
	if (write(3, "R", 1) != 1)
		_exit(1);
	close(3);
	pause_forever();
}

/* Run a map tool; its stderr (trimmed) becomes the error. */
static int run_map_tool(char **argv, robbe_error **err)
{
	cleanup_free char *path = NULL;
	cleanup_close int r = -1, w = -1;
	cleanup_sbuf struct sbuf out = SBUF_INIT;
	char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
	int pfd[2], status = 0;
	pid_t pid;

	if (find_program(argv[0], NULL, &path, err) < 0)
		return -1;
	free(argv[0]);
	argv[0] = xstrdup(path);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return robbe_error_errno(err, errno, "pipe");
	r = pfd[0];
	w = pfd[1];
	{
		int fds[3] = { -1, -1, w };
		if (spawn_process(argv, envp, fds, 3, false, &pid, err) < 0)
			return -1;
	}
	close(steal_fd(&w));
	for (;;) {
		char buf[512];
		ssize_t n = read(r, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out.len < 8192)
			sbuf_add(&out, buf, (size_t) n);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return robbe_error_errno(err, errno, "waiting for %s", argv[0]);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	while (out.len && (out.buf[out.len - 1] == '\n' || out.buf[out.len - 1] == ' '))
		out.buf[--out.len] = '\0';
	return robbe_error_set(err, 0, "%s failed: %s", argv[0],
			       out.len ? out.buf : "(no message; is it installed setuid root?)");
}

static int write_proc(pid_t pid, const char *file, const char *text, robbe_error **err)
{
	cleanup_free char *path = xasprintf("/proc/%d/%s", (int) pid, file);
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t) strlen(text))
		return robbe_error_errno(err, errno, "write %s", path);
	return 0;
}

static size_t subids_of(const char *file, const char *name, uint32_t id, struct rootless_range **out)
{
	cleanup_free char *text = NULL;
	cleanup_error robbe_error *e = NULL;

	*out = NULL;
	if (read_file_all(file, 16 * 1024 * 1024, &text, NULL, &e) < 0)
		return 0;
	return rootless_parse_subids(text, name, id, out);
}

/* Map the ids of the new namespace of pid: the user's own id as 0, the
 * subordinate ranges above it.  A user without ranges gets the single
 * mapping, with a warning, as Podman does. */
static int map_ids(pid_t pid, uid_t uid, gid_t gid, char ***warnings, robbe_error **err)
{
	struct passwd pw, *res = NULL;
	char pwbuf[4096];
	cleanup_free struct rootless_range *ur = NULL, *gr = NULL;
	cleanup_error robbe_error *why = NULL;
	const char *name = NULL;
	size_t nu, ng;

	if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res)
		name = res->pw_name;
	nu = subids_of("/etc/subuid", name, uid, &ur);
	ng = subids_of("/etc/subgid", name, gid, &gr);
	if (nu && ng) {
		cleanup_strv char **uargv = rootless_map_argv("newuidmap", pid, uid, ur, nu);
		cleanup_strv char **gargv = rootless_map_argv("newgidmap", pid, gid, gr, ng);

		if (run_map_tool(uargv, &why) == 0 && run_map_tool(gargv, &why) == 0)
			return 0;
		/* newuidmap may have written uid_map already: that is final,
		 * and so is the namespace.  The caller starts over. */
		{
			cleanup_free char *path = xasprintf("/proc/%d/uid_map", (int) pid);
			cleanup_free char *cur = NULL;
			cleanup_error robbe_error *e = NULL;
			if (read_file_all(path, 65536, &cur, NULL, &e) == 0 && *cur) {
				*err = steal_pointer(&why);
				return -1;
			}
		}
	}
	strv_push_take(warnings,
		       xasprintf("%s: mapping only your own ids into robbe's user namespace, so images with files of "
				 "other owners will not unpack; add ranges for %s to /etc/subuid and /etc/subgid",
				 why ? why->msg : "no subordinate id ranges", name ? name : "this user"));
	{
		cleanup_free char *um = xasprintf("0 %u 1\n", (unsigned) uid);
		cleanup_free char *gm = xasprintf("0 %u 1\n", (unsigned) gid);

		/* An unprivileged gid_map needs setgroups denied first. */
		if (write_proc(pid, "setgroups", "deny", err) < 0 || write_proc(pid, "uid_map", um, err) < 0 ||
		    write_proc(pid, "gid_map", gm, err) < 0)
			return -1;
	}
	return 0;
}

static int read_byte(int fd, char *c, int timeout_ms)
{
	struct pollfd pf = { fd, POLLIN, 0 };
	ssize_t n;

	if (poll(&pf, 1, timeout_ms) <= 0)
		return -1;
	do
		n = read(fd, c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

/* Start a pause process in new namespaces and record its pid. */
static int create_pause(const char *pidfile, pid_t *out, char ***warnings, robbe_error **err)
{
	cleanup_close int parent = -1, child = -1;
	int sp[2], status;
	char c = 0;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return robbe_error_errno(err, errno, "socketpair");
	parent = sp[0];
	child = sp[1];
	pid = fork();
	if (pid < 0)
		return robbe_error_errno(err, errno, "fork");
	if (pid == 0) {
		close(parent);
		pause_child(child);
	}
	close(steal_fd(&child));
	if (read_byte(parent, &c, 10000) < 0 || c != 'U') {
		char e = 0;
		if (c == 'E')
			read_byte(parent, &e, 1000);
		waitpid(pid, &status, 0);
		if (e == EPERM || e == ENOSPC || e == EINVAL)
			return robbe_error_set(err, EXIT_ENGINE,
					       "cannot create a user namespace: %s (check the kernel's user.max_user_namespaces and that "
					       "unprivileged user namespaces are allowed)",
					       strerror(e));
		return robbe_error_set(err, EXIT_ENGINE, "cannot create a user namespace: %s",
				       e ? strerror(e) : "the child died");
	}
	if (map_ids(pid, getuid(), getgid(), warnings, err) < 0 || write(parent, "M", 1) != 1 ||
	    read_byte(parent, &c, 10000) < 0 || c != 'R') {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (!*err)
			robbe_error_set(err, EXIT_ENGINE, "the pause process did not start");
		return robbe_error_wrap(err, "setting up robbe's user namespace");
	}
	{
		cleanup_free char *text = xasprintf("%d\n", (int) pid);
		if (write_file_replace(pidfile, text, strlen(text), 0600, err) < 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
	}
	*out = pid;
	return 0;
}

/* ---- joining ------------------------------------------------------------ */

static bool same_file(int a, int b)
{
	struct stat x, y;

	return fstat(a, &x) == 0 && fstat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* The namespaces of the pause process recorded in pidfile, if it is one:
 * a live process named robbe-pause whose user namespace the user owns and
 * is not the one we are in.  A recycled pid fails one of these. */
static int open_pause(const char *pidfile, uid_t uid, int *userfd, int *mntfd)
{
	cleanup_free char *text = NULL, *comm = NULL, *upath = NULL, *mpath = NULL, *cpath = NULL;
	cleanup_error robbe_error *e = NULL;
	cleanup_close int u = -1, m = -1, self = -1;
	uid_t owner = (uid_t) -1;
	long pid;

	if (read_file_all(pidfile, 64, &text, NULL, &e) < 0)
		return -1;
	pid = strtol(text, NULL, 10);
	if (pid <= 1 || pid > INT_MAX)
		return -1;
	cpath = xasprintf("/proc/%ld/comm", pid);
	if (read_file_all(cpath, 64, &comm, NULL, &e) < 0 || strcmp(comm, ROOTLESS_PAUSE_NAME "\n"))
		return -1;
	upath = xasprintf("/proc/%ld/ns/user", pid);
	mpath = xasprintf("/proc/%ld/ns/mnt", pid);
	u = open(upath, O_RDONLY | O_CLOEXEC);
	m = open(mpath, O_RDONLY | O_CLOEXEC);
	self = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	if (u < 0 || m < 0 || self < 0 || same_file(u, self))
		return -1;
	if (ioctl(u, NS_GET_OWNER_UID, &owner) < 0 || owner != uid)
		return -1;
	*userfd = steal_fd(&u);
	*mntfd = steal_fd(&m);
	return 0;
}

static int join(int userfd, int mntfd, uid_t uid, robbe_error **err)
{
	cleanup_free char *cwd = getcwd(NULL, 0);
	char owner[16];

	if (setns(userfd, CLONE_NEWUSER) < 0)
		return robbe_error_errno(err, errno, "joining robbe's user namespace");
	if (setns(mntfd, CLONE_NEWNS) < 0)
		return robbe_error_errno(err, errno, "joining robbe's mount namespace");
	in_userns_cached = -1;
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return robbe_error_errno(err, errno, "becoming root in robbe's user namespace");
	/* setns(CLONE_NEWNS) moved us to the namespace's root. */
	if (!cwd || chdir(cwd) < 0) {
		if (chdir("/") < 0)
			return robbe_error_errno(err, errno, "chdir /");
	}
	snprintf(owner, sizeof(owner), "%u", (unsigned) uid);
	if (setenv(ROOTLESS_OWNER_ENV, owner, 1) < 0)
		return robbe_error_errno(err, errno, "setenv");
	return 0;
}

static int try_join(const char *pidfile, uid_t uid, robbe_error **err)
{
	int userfd = -1, mntfd = -1, r;

	if (open_pause(pidfile, uid, &userfd, &mntfd) < 0)
		return 0;
	r = join(userfd, mntfd, uid, err);
	close(userfd);
	close(mntfd);
	return r < 0 ? -1 : 1;
}

int rootless_enter(char ***warnings, robbe_error **err)
{
	cleanup_free char *dir = NULL, *pidfile = NULL, *lockfile = NULL;
	cleanup_close int lock = -1;
	uid_t uid = getuid();
	pid_t pid = 0;
	int r;

	if (geteuid() == 0 || rootless_inside(NULL))
		return 0;
	if (geteuid() != uid)
		return robbe_error_set(err, EXIT_ENGINE, "robbe does not run setuid (effective uid %u, real uid %u)",
				       (unsigned) geteuid(), (unsigned) uid);
	if (paths_default_runroot(&dir, err) < 0 || mkdir_p(dir, 0700, err) < 0)
		return robbe_error_wrap(err, "robbe's run directory");
	pidfile = xasprintf("%s/pause.pid", dir);
	if ((r = try_join(pidfile, uid, err)) != 0)
		return r < 0 ? -1 : 0;

	/* None yet (or a stale pid): make one, unless another robbe is
	 * making one right now; then join that one. */
	lockfile = xasprintf("%s/pause.lock", dir);
	lock = open(lockfile, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lock < 0)
		return robbe_error_errno(err, errno, "open %s", lockfile);
	while (flock(lock, LOCK_EX) < 0)
		if (errno != EINTR)
			return robbe_error_errno(err, errno, "lock %s", lockfile);
	if ((r = try_join(pidfile, uid, err)) != 0)
		return r < 0 ? -1 : 0;
	if (create_pause(pidfile, &pid, warnings, err) < 0)
		return -1;
	if ((r = try_join(pidfile, uid, err)) == 0)
		return robbe_error_set(err, EXIT_ENGINE, "the new pause process (pid %d) vanished", (int) pid);
	return r < 0 ? -1 : 0;
}
