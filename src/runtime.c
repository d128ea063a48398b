/* runtime.c: the OCI runtime called directly, child processes with an
 * explicit descriptor list, and the files conmon writes when a container
 * exits. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "ctrlogs.h"
#include "runtime.h"

extern char **environ;

/* conmon and the runtime get this PATH whatever the caller's is, as Podman's
 * default conmon_env_vars do: the runtime looks up helpers on it. */
static const char system_path[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* Output limits for one runtime call: `state` prints a few hundred bytes,
 * errors a line or two. */
#define RUNTIME_STDOUT_MAX (1024 * 1024)
#define RUNTIME_STDERR_MAX (64 * 1024)
#define RUNTIME_TIMEOUT_MS (120 * 1000)

void runtime_paths_default(struct runtime_paths *p, const char *root, const char *runroot, const char *id)
{
	p->bundle = xasprintf("%s/containers/%s/userdata", root, id);
	p->log_path = xasprintf("%s/ctr.log", p->bundle);
	p->pidfile = xasprintf("%s/containers/%s/pidfile", runroot, id);
	p->conmon_pidfile = xasprintf("%s/containers/%s/conmon.pid", runroot, id);
	p->oci_log = xasprintf("%s/containers/%s/oci-log", runroot, id);
	p->exit_dir = xasprintf("%s/exits", runroot);
	p->persist_dir = xasprintf("%s/persist/%s", runroot, id);
}

void runtime_paths_release(struct runtime_paths *p)
{
	free(p->bundle);
	free(p->pidfile);
	free(p->conmon_pidfile);
	free(p->exit_dir);
	free(p->persist_dir);
	free(p->log_path);
	free(p->oci_log);
	memset(p, 0, sizeof(*p));
}

char *runtime_paths_attach(const struct runtime_paths *p)
{
	return xasprintf("%s/attach", p->bundle);
}

char *runtime_paths_ctl(const struct runtime_paths *p)
{
	return xasprintf("%s/ctl", p->bundle);
}

char *runtime_paths_exit_file(const struct runtime_paths *p, const char *id)
{
	return xasprintf("%s/%s", p->exit_dir, id);
}

static bool is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Look for name in each absolute directory of the colon-separated list. */
static char *search_dirs(const char *dirs, const char *name)
{
	const char *p = dirs;

	while (p && *p) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t) (colon - p) : strlen(p);

		/* Relative PATH entries would make the answer depend on the
		 * directory robbe happens to run in. */
		if (n > 0 && p[0] == '/') {
			char *cand = xasprintf("%.*s/%s", (int) n, p, name);
			if (is_executable(cand))
				return cand;
			free(cand);
		}
		p = colon ? colon + 1 : NULL;
	}
	return NULL;
}

int find_program(const char *name, const char *const *fallbacks, char **out, robbe_error **err)
{
	char *found;

	if (!name || !*name)
		return robbe_error_set(err, 0, "no program name given");
	if (strchr(name, '/')) {
		char resolved[PATH_MAX];

		if (!realpath(name, resolved))
			return robbe_error_errno(err, errno, "%s", name);
		if (!is_executable(resolved))
			return robbe_error_set(err, 0, "%s is not an executable file", name);
		*out = xstrdup(resolved);
		return 0;
	}
	found = search_dirs(getenv("PATH"), name);
	if (!found)
		found = search_dirs("/usr/local/sbin:/usr/sbin:/sbin", name);
	for (size_t i = 0; !found && fallbacks && fallbacks[i]; i++)
		if (is_executable(fallbacks[i]))
			found = xstrdup(fallbacks[i]);
	if (!found)
		return robbe_error_set(err, 0, "%s: executable file not found in $PATH", name);
	*out = found;
	return 0;
}

int runtime_find(const char *runtime, char **out, robbe_error **err)
{
	return find_program(runtime ? runtime : "runc", NULL, out, err);
}

static bool env_name_is(const char *entry, const char *name)
{
	size_t n = strlen(name);

	return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

static bool env_overridden(const char *entry, char *const *extra)
{
	const char *eq = strchr(entry, '=');
	size_t n = eq ? (size_t) (eq - entry) : strlen(entry);

	for (size_t i = 0; extra && extra[i]; i++)
		if (strncmp(extra[i], entry, n) == 0 && extra[i][n] == '=')
			return true;
	return false;
}

/* Rootless: the runroot runc's state goes under (<dir>/runc). */
static char *state_parent;

void runtime_set_state_dir(const char *runroot)
{
	free(state_parent);
	state_parent = runroot ? xstrdup(runroot) : NULL;
}

char *runtime_state_root(void)
{
	return state_parent ? xasprintf("%s/runc", state_parent) : NULL;
}

char **runtime_environ(const char *xdg_runtime_dir, char *const *extra)
{
	char **env = NULL;
	const char *xdg = xdg_runtime_dir ? xdg_runtime_dir : getenv("XDG_RUNTIME_DIR");

	/* Where robbe does not pass --root itself (conmon, exec), runc as
	 * root in a user namespace takes $XDG_RUNTIME_DIR/runc, unless $USER
	 * says root: point it at the runroot. */
	if (state_parent)
		xdg = state_parent;

	for (char **e = environ; e && *e; e++) {
		/* The container must not talk to our systemd or session bus;
		 * the pipes are conmon's only when robbe passes them. */
		if (env_name_is(*e, "NOTIFY_SOCKET") || env_name_is(*e, "PATH") ||
		    env_name_is(*e, "XDG_RUNTIME_DIR") || str_has_prefix(*e, "_OCI_") ||
		    (geteuid() == 0 && env_name_is(*e, "DBUS_SESSION_BUS_ADDRESS")) || env_overridden(*e, extra) ||
		    (state_parent && !strcmp(*e, "USER=root")))
			continue;
		strv_push(&env, *e);
	}
	if (!env_overridden("PATH=", extra))
		strv_push_take(&env, xasprintf("PATH=%s", system_path));
	if (!env_overridden("XDG_RUNTIME_DIR=", extra))
		strv_push_take(&env, xasprintf("XDG_RUNTIME_DIR=%s", xdg ? xdg : ""));
	for (size_t i = 0; extra && extra[i]; i++)
		strv_push(&env, extra[i]);
	return env;
}

/* The child side of spawn_process: only async-signal-safe calls from here
 * to execve, because the parent may have other threads. */
static void ATTR_NORETURN spawn_child(char *const argv[], char *const envp[], const int *fds, size_t nfds,
				      int devnull, int report_fd, bool new_pgrp, int max_fd)
{
	int moved[16];
	int report, e;
	struct sigaction sa;
	sigset_t all;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	/* Ignored signals stay ignored across exec; a container must not
	 * start with SIGPIPE ignored because its engine ignores it. */
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	if (new_pgrp && setpgid(0, 0) < 0)
		goto fail;
	/* Move every source above the target range first, so that placing
	 * fd i cannot clobber a source that still has to be placed. */
	for (size_t i = 0; i < nfds; i++) {
		moved[i] = fcntl(fds[i] >= 0 ? fds[i] : devnull, F_DUPFD_CLOEXEC, (int) nfds + 1);
		if (moved[i] < 0)
			goto fail;
	}
	report = fcntl(report_fd, F_DUPFD_CLOEXEC, (int) nfds + 1);
	if (report < 0)
		goto fail;
	for (size_t i = 0; i < nfds; i++)
		if (dup2(moved[i], (int) i) < 0)
			goto fail;
	if (dup3(report, (int) nfds, O_CLOEXEC) < 0)
		goto fail;
	report_fd = (int) nfds;
	if (syscall(SYS_close_range, (unsigned) nfds + 1, ~0U, 0) < 0)
		for (int fd = (int) nfds + 1; fd < max_fd; fd++)
			close(fd);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	execve(argv[0], argv, envp);
fail:
	e = errno;
	if (write(report_fd, &e, sizeof(e)) < 0) {
		/* nothing left to tell anyone */
	}
	_exit(127);
}

int spawn_process(char *const argv[], char *const envp[], const int *fds, size_t nfds, bool new_pgrp,
		  pid_t *pid, robbe_error **err)
{
	cleanup_close int devnull = -1;
	cleanup_close int report_r = -1;
	cleanup_close int report_w = -1;
	int report[2], child_errno = 0, max_fd = 65536, fork_errno;
	sigset_t all, old;
	struct rlimit rl;
	ssize_t n;
	pid_t p;

	if (nfds > 15)
		return robbe_error_set(err, 0, "spawn %s: too many descriptors", argv[0]);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t) max_fd)
		max_fd = (int) rl.rlim_cur;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		return robbe_error_errno(err, errno, "open /dev/null");
	/* The child writes its errno here if it cannot exec; a successful
	 * exec closes it (CLOEXEC), which the parent sees as EOF. */
	if (pipe2(report, O_CLOEXEC) < 0)
		return robbe_error_errno(err, errno, "pipe");
	report_r = report[0];
	report_w = report[1];
	/* With every signal blocked across fork, none of the caller's
	 * handlers can run in the child before it resets them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	p = fork();
	if (p == 0)
		spawn_child(argv, envp, fds, nfds, devnull, report_w, new_pgrp, max_fd);
	fork_errno = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (p < 0)
		return robbe_error_errno(err, fork_errno, "fork %s", argv[0]);
	close(steal_fd(&report_w));
	do
		n = read(report_r, &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t) sizeof(child_errno)) {
		while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
			;
		return robbe_error_errno(err, child_errno, "exec %s", argv[0]);
	}
	*pid = p;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The runtime's own words for what went wrong.  runc and crun, run with
 * --log-format=json, write one JSON object per line with "level" and
 * "msg"; anything else is taken as plain text. */
char *runtime_error_text(const char *out)
{
	struct sbuf errors = SBUF_INIT, plain = SBUF_INIT;
	cleanup_free char *last = NULL;
	const char *p = out;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t) (nl - p) : strlen(p);
		cleanup_free char *line = xstrndup(p, n);
		cleanup_cjson cJSON *j = line[0] == '{' ? cJSON_Parse(line) : NULL;
		cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "msg");
		cJSON *level = cJSON_GetObjectItemCaseSensitive(j, "level");

		if (cJSON_IsString(msg)) {
			const char *lv = cJSON_IsString(level) ? level->valuestring : "error";
			if (!strcmp(lv, "error") || !strcmp(lv, "fatal") || !strcmp(lv, "panic")) {
				if (errors.len)
					sbuf_adds(&errors, "; ");
				sbuf_adds(&errors, msg->valuestring);
			}
			free(last);
			last = xstrdup(msg->valuestring);
		} else if (n > 0) {
			if (plain.len)
				sbuf_addc(&plain, '\n');
			sbuf_add(&plain, line, n);
		}
		p = nl ? nl + 1 : NULL;
	}
	if (errors.len) {
		sbuf_release(&plain);
		return sbuf_detach(&errors);
	}
	sbuf_release(&errors);
	if (plain.len)
		return sbuf_detach(&plain);
	sbuf_release(&plain);
	return last ? steal_pointer(&last) : NULL;
}

/* Classify a runtime's error message (runc: "container does not exist",
 * "container not running"; crun says much the same). */
static int runtime_error_errnum(const char *msg)
{
	if (strstr(msg, "does not exist"))
		return ENOENT;
	if (strstr(msg, "not running"))
		return ESRCH;
	return 0;
}

int runtime_run(const char *runtime, char *const args[], int timeout_ms, char **out, robbe_error **err)
{
	cleanup_free char *path = NULL;
	cleanup_strv char **argv = NULL;
	cleanup_strv char **envp = NULL;
	cleanup_close int out_r = -1, out_w = -1, err_r = -1, err_w = -1;
	cleanup_sbuf struct sbuf obuf = SBUF_INIT;
	cleanup_sbuf struct sbuf ebuf = SBUF_INIT;
	cleanup_free char *msg = NULL;
	int pfd[2], status = 0;
	int64_t deadline;
	bool timed_out = false;
	pid_t pid;

	if (runtime_find(runtime, &path, err) < 0)
		return robbe_error_wrap(err, "OCI runtime");
	strv_push(&argv, path);
	if (state_parent) {
		strv_push(&argv, "--root");
		strv_push_take(&argv, runtime_state_root());
	}
	strv_push(&argv, "--log-format=json");
	for (size_t i = 0; args[i]; i++)
		strv_push(&argv, args[i]);
	envp = runtime_environ(NULL, NULL);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return robbe_error_errno(err, errno, "pipe");
	out_r = pfd[0];
	out_w = pfd[1];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return robbe_error_errno(err, errno, "pipe");
	err_r = pfd[0];
	err_w = pfd[1];
	{
		int fds[3] = { -1, out_w, err_w };
		if (spawn_process(argv, envp, fds, 3, false, &pid, err) < 0)
			return -1;
	}
	close(steal_fd(&out_w));
	close(steal_fd(&err_w));

	deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : RUNTIME_TIMEOUT_MS);
	while (out_r >= 0 || err_r >= 0) {
		struct pollfd pf[2] = { { out_r, POLLIN, 0 }, { err_r, POLLIN, 0 } };
		int64_t left = deadline - now_ms();
		char chunk[8192];

		if (left <= 0) {
			timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(pf, 2, (int) left) < 0) {
			if (errno == EINTR)
				continue;
			kill(pid, SIGKILL);
			break;
		}
		for (int i = 0; i < 2; i++) {
			int *fd = i == 0 ? &out_r : &err_r;
			struct sbuf *sb = i == 0 ? &obuf : &ebuf;
			size_t max = i == 0 ? RUNTIME_STDOUT_MAX : RUNTIME_STDERR_MAX;
			ssize_t n;

			if (*fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(*fd, chunk, sizeof(chunk));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				close(steal_fd(fd));
				continue;
			}
			/* Past the limit, keep draining so the runtime
			 * cannot block on a full pipe, but keep nothing. */
			if (sb->len + (size_t) n <= max)
				sbuf_add(sb, chunk, (size_t) n);
		}
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return robbe_error_errno(err, errno, "waiting for %s %s", path, args[0]);
	}
	if (timed_out)
		return robbe_error_set(err, 0, "%s %s did not finish within %d ms", path, args[0],
				       timeout_ms > 0 ? timeout_ms : RUNTIME_TIMEOUT_MS);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (out)
			*out = sbuf_detach(&obuf);
		return 0;
	}
	msg = runtime_error_text(sbuf_str(&ebuf));
	if (msg && *msg) {
		int errnum = runtime_error_errnum(msg);
		bool fresh = err && !*err;

		robbe_error_set(err, 0, "%s", msg);
		if (fresh)
			(*err)->errnum = errnum;
		return errnum ? -errnum : -1;
	}
	if (WIFSIGNALED(status))
		return robbe_error_set(err, 0, "%s %s killed by signal %d", path, args[0], WTERMSIG(status));
	return robbe_error_set(err, 0, "%s %s failed with exit status %d", path, args[0], WEXITSTATUS(status));
}

int runtime_start(const char *runtime, const char *id, robbe_error **err)
{
	char *args[] = { "start", (char *) id, NULL };

	return runtime_run(runtime, args, 0, NULL, err);
}

int runtime_kill(const char *runtime, const char *id, int sig, bool all, robbe_error **err)
{
	char signum[16];
	char *args[] = { "kill", (char *) id, signum, NULL, NULL };

	snprintf(signum, sizeof(signum), "%d", sig);
	if (all) {
		args[1] = "--all";
		args[2] = (char *) id;
		args[3] = signum;
	}
	return runtime_run(runtime, args, 0, NULL, err);
}

int runtime_pause(const char *runtime, const char *id, robbe_error **err)
{
	char *args[] = { "pause", (char *) id, NULL };

	return runtime_run(runtime, args, 0, NULL, err);
}

int runtime_resume(const char *runtime, const char *id, robbe_error **err)
{
	char *args[] = { "resume", (char *) id, NULL };

	return runtime_run(runtime, args, 0, NULL, err);
}

int runtime_delete(const char *runtime, const char *id, bool force, robbe_error **err)
{
	char *args[] = { "delete", (char *) id, NULL, NULL };

	if (force) {
		args[1] = "--force";
		args[2] = (char *) id;
	}
	return runtime_run(runtime, args, 0, NULL, err);
}

static const char *const status_names[] = {
	[RUNTIME_UNKNOWN] = "unknown", [RUNTIME_CREATING] = "creating", [RUNTIME_CREATED] = "created",
	[RUNTIME_RUNNING] = "running", [RUNTIME_PAUSED] = "paused",     [RUNTIME_STOPPED] = "stopped",
};

const char *runtime_status_name(enum runtime_status s)
{
	return (size_t) s < ARRAY_SIZE(status_names) ? status_names[s] : "unknown";
}

int runtime_state(const char *runtime, const char *id, struct runtime_state *st, robbe_error **err)
{
	char *args[] = { "state", (char *) id, NULL };
	cleanup_free char *out = NULL;
	cleanup_cjson cJSON *j = NULL;
	cJSON *v;
	int r;

	memset(st, 0, sizeof(*st));
	r = runtime_run(runtime, args, 0, &out, err);
	if (r < 0)
		return r;
	j = cJSON_Parse(out);
	if (!cJSON_IsObject(j))
		return robbe_error_set(err, 0, "OCI runtime state of %s: not a JSON object", id);
	v = cJSON_GetObjectItemCaseSensitive(j, "status");
	if (!cJSON_IsString(v))
		return robbe_error_set(err, 0, "OCI runtime state of %s: no status", id);
	snprintf(st->status_text, sizeof(st->status_text), "%s", v->valuestring);
	for (size_t i = 1; i < ARRAY_SIZE(status_names); i++)
		if (!strcmp(v->valuestring, status_names[i]))
			st->status = (enum runtime_status) i;
	v = cJSON_GetObjectItemCaseSensitive(j, "pid");
	if (cJSON_IsNumber(v) && v->valuedouble > 0 && v->valuedouble < (double) INT_MAX)
		st->pid = (pid_t) v->valuedouble;
	v = cJSON_GetObjectItemCaseSensitive(j, "bundle");
	if (cJSON_IsString(v))
		st->bundle = xstrdup(v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(j, "created");
	if (cJSON_IsString(v) && log_time_parse(v->valuestring, strlen(v->valuestring), &st->created) < 0)
		st->created = 0;
	return 0;
}

void runtime_state_release(struct runtime_state *st)
{
	free(st->bundle);
	st->bundle = NULL;
}

int exit_file_read(const char *exit_dir, const char *id, int *status, int64_t *when, robbe_error **err)
{
	cleanup_free char *path = xasprintf("%s/%s", exit_dir, id);
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char buf[32];
	struct stat st;
	ssize_t n;
	char *end;
	long v;

	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return robbe_error_errno(err, errno, "open exit file %s", path);
	}
	if (fstat(fd, &st) < 0)
		return robbe_error_errno(err, errno, "stat exit file %s", path);
	do
		n = read(fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return robbe_error_errno(err, errno, "read exit file %s", path);
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	while (*end == '\n' || *end == ' ')
		end++;
	if (end == buf || *end || errno || v < INT_MIN || v > INT_MAX)
		return robbe_error_set(err, 0, "exit file %s: invalid content \"%s\"", path, buf);
	*status = (int) v;
	if (when)
		*when = (int64_t) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	return 0;
}

int exit_file_wait(const char *exit_dir, const char *id, int timeout_ms, int *status, int64_t *when,
		   robbe_error **err)
{
	int64_t deadline = now_ms() + timeout_ms;
	const struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (;;) {
		int r = exit_file_read(exit_dir, id, status, when, err);
		if (r != -ENOENT)
			return r;
		if (timeout_ms >= 0 && now_ms() >= deadline)
			return -ENOENT;
		nanosleep(&tick, NULL);
	}
}

bool process_alive(pid_t pid)
{
	char path[64], buf[512];
	const char *paren;
	ssize_t n;
	int fd;

	if (pid <= 0)
		return false;
	if (kill(pid, 0) < 0 && errno != EPERM)
		return false;
	/* A zombie still answers kill(pid, 0); its state letter tells. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno != ENOENT;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	if (paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X'))
		return false;
	return true;
}

bool process_wait_gone(pid_t pid, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	const struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (;;) {
		if (!process_alive(pid))
			return true;
		if (now_ms() >= deadline)
			return false;
		nanosleep(&tick, NULL);
	}
}

/* How long SIGKILL may take before stop_container gives up (Podman's
 * killContainerTimeout). */
#define KILL_WAIT_MS 5000

/* Hand a private error to the caller's err (dropping it if there is no
 * room for it). */
static int pass_error(robbe_error **err, robbe_error *e)
{
	if (err && !*err)
		*err = e;
	else
		robbe_error_free(e);
	return -1;
}

int stop_container(const char *runtime, const char *id, pid_t pid, int stop_signal, int timeout_seconds,
		   robbe_error **err)
{
	robbe_error *e = NULL;
	int r;

	if (pid <= 0) {
		struct runtime_state st;

		r = runtime_state(runtime, id, &st, err);
		if (r < 0)
			return r;
		pid = st.pid;
		runtime_state_release(&st);
		if (st.status == RUNTIME_STOPPED || pid <= 0)
			return 0;
	}
	if (timeout_seconds > 0) {
		r = runtime_kill(runtime, id, stop_signal > 0 ? stop_signal : SIGTERM, false, &e);
		if (r == -ESRCH || r == -ENOENT) {
			robbe_error_free(e);
			return 0;
		}
		if (r < 0) {
			pass_error(err, e);
			return robbe_error_wrap(err, "sending signal %d to container %s", stop_signal, id);
		}
		if (process_wait_gone(pid, timeout_seconds * 1000))
			return 0;
	}
	r = runtime_kill(runtime, id, SIGKILL, false, &e);
	if (r == -ESRCH || r == -ENOENT) {
		robbe_error_free(e);
		return timeout_seconds > 0 ? 1 : 0;
	}
	if (r < 0) {
		pass_error(err, e);
		return robbe_error_wrap(err, "killing container %s", id);
	}
	if (!process_wait_gone(pid, KILL_WAIT_MS))
		return robbe_error_set(err, 0, "container %s (pid %d) did not exit within %d seconds of SIGKILL", id,
				       (int) pid, KILL_WAIT_MS / 1000);
	return timeout_seconds > 0 ? 1 : 0;
}
