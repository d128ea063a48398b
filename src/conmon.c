/* conmon.c: spawning conmon for `create`, the start and sync pipes, and
 * reading back the container's pid or the runtime's error. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "conmon.h"

/* Where conmon lives when it is not on PATH (Podman's list, in part). */
static const char *const conmon_fallbacks[] = {
	"/usr/libexec/podman/conmon", "/usr/local/libexec/podman/conmon", "/usr/local/lib/podman/conmon",
	"/usr/lib/podman/conmon",     "/usr/bin/conmon",		  "/usr/sbin/conmon",
	"/usr/local/bin/conmon",      NULL,
};

/* conmon reads at most 8 KiB of the runtime's stderr and escapes it into
 * JSON (at most 6 bytes per byte); anything longer than this is not conmon. */
#define SYNC_MESSAGE_MAX (256 * 1024)
#define CONMON_STDERR_MAX (16 * 1024)
#define DEFAULT_TIMEOUT_SECONDS 60

/* Descriptor numbers in conmon (0-2 are stdio). */
enum { CONMON_SYNC_FD = 3, CONMON_START_FD = 4, CONMON_NFDS = 5 };

static const char *log_driver_of(const struct conmon_request *req)
{
	return req->log_driver && *req->log_driver ? req->log_driver : "k8s-file";
}

char **conmon_argv(const struct conmon_request *req, const char *conmon, const char *runtime)
{
	const struct runtime_paths *p = &req->paths;
	const char *driver = log_driver_of(req);
	char **argv = NULL;

	strv_push(&argv, conmon);
	/* conmon declares --api-version without a value; the "1" Podman
	 * passes after it is an ignored positional argument. */
	strv_push(&argv, "--api-version");
	strv_push(&argv, "1");
	strv_push(&argv, "-c");
	strv_push(&argv, req->id);
	strv_push(&argv, "-u");
	strv_push(&argv, req->id);
	strv_push(&argv, "-r");
	strv_push(&argv, runtime);
	strv_push(&argv, "-b");
	strv_push(&argv, p->bundle);
	strv_push(&argv, "-p");
	strv_push(&argv, p->pidfile);
	strv_push(&argv, "-n");
	strv_push(&argv, req->name && *req->name ? req->name : req->id);
	strv_push(&argv, "--exit-dir");
	strv_push(&argv, p->exit_dir);
	strv_push(&argv, "--persist-dir");
	strv_push(&argv, p->persist_dir);
	/* The attach socket goes straight into the bundle (no symlink under
	 * /var/run/crio); conmon binds it through /proc/self/fd, so long
	 * bundle paths are fine. */
	strv_push(&argv, "--full-attach");
	for (size_t i = 0; req->runtime_flags && req->runtime_flags[i]; i++)
		strv_push_take(&argv, xasprintf("--runtime-arg=%s", req->runtime_flags[i]));
	strv_push(&argv, "-l");
	if (!strcmp(driver, "k8s-file"))
		strv_push_take(&argv, xasprintf("k8s-file:%s", p->log_path));
	else
		strv_push(&argv, driver);
	if (req->log_level) {
		strv_push(&argv, "--log-level");
		strv_push(&argv, req->log_level);
	}
	if (req->syslog)
		strv_push(&argv, "--syslog");
	if (req->log_size_max > 0) {
		strv_push(&argv, "--log-size-max");
		strv_push_take(&argv, xasprintf("%lld", (long long) req->log_size_max));
	}
	/* With --log, runc writes JSON to the file and its error message as
	 * plain text on stderr, which conmon forwards to us unquoted. */
	strv_push(&argv, "--runtime-arg=--log-format=json");
	if (p->oci_log && *p->oci_log)
		strv_push_take(&argv, xasprintf("--runtime-arg=--log=%s", p->oci_log));
	if (req->tty)
		strv_push(&argv, "-t");
	else if (req->stdin_open)
		strv_push(&argv, "-i");
	if (req->stdin_open && req->leave_stdin_open)
		strv_push(&argv, "--leave-stdin-open");
	strv_push(&argv, "--conmon-pidfile");
	strv_push(&argv, p->conmon_pidfile);
	if (req->exit_command && req->exit_command[0]) {
		strv_push(&argv, "--exit-command");
		strv_push(&argv, req->exit_command[0]);
		for (size_t i = 1; req->exit_command[i]; i++) {
			strv_push(&argv, "--exit-command-arg");
			strv_push(&argv, req->exit_command[i]);
		}
	}
	return argv;
}

static int check_request(const struct conmon_request *req, robbe_error **err)
{
	const struct runtime_paths *p = &req->paths;
	const char *driver = log_driver_of(req);
	struct {
		const char *what, *path;
	} required[] = {
		{ "bundle", p->bundle },	   { "pid file", p->pidfile },
		{ "conmon pid file", p->conmon_pidfile }, { "exit directory", p->exit_dir },
		{ "persist directory", p->persist_dir },
	};

	if (!req->id || !*req->id || strchr(req->id, '/') || !strcmp(req->id, ".") || !strcmp(req->id, ".."))
		return robbe_error_set(err, 0, "invalid container ID \"%s\"", req->id ? req->id : "");
	for (size_t i = 0; i < ARRAY_SIZE(required); i++)
		if (!required[i].path || required[i].path[0] != '/')
			return robbe_error_set(err, 0, "container %s: %s must be an absolute path", req->id,
					       required[i].what);
	if (!strcmp(driver, "k8s-file")) {
		if (!p->log_path || p->log_path[0] != '/')
			return robbe_error_set(err, 0, "container %s: log path must be an absolute path", req->id);
		/* conmon splits its -l value at colons. */
		if (strchr(p->log_path, ':'))
			return robbe_error_set(err, 0, "log path \"%s\" must not contain ':'", p->log_path);
	} else if (strcmp(driver, "none") && strcmp(driver, "passthrough")) {
		return robbe_error_set(err, 0, "log driver \"%s\" is not supported with conmon", driver);
	}
	if (req->exit_command && req->exit_command[0] && req->exit_command[0][0] != '/')
		return robbe_error_set(err, 0, "exit command \"%s\" must be an absolute path", req->exit_command[0]);
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash == path ? xstrdup("/") : xstrndup(path, (size_t) (slash - path));
}

static int unlink_stale(const char *path, robbe_error **err)
{
	if (path && *path && unlink(path) < 0 && errno != ENOENT)
		return robbe_error_errno(err, errno, "remove %s", path);
	return 0;
}

/* Directories conmon writes into, and files a previous run of the same
 * container left behind: a stale exit file would make a running container
 * look exited. */
static int prepare_paths(const struct conmon_request *req, robbe_error **err)
{
	const struct runtime_paths *p = &req->paths;
	cleanup_free char *config = xasprintf("%s/config.json", p->bundle);
	cleanup_free char *exit_file = xasprintf("%s/%s", p->exit_dir, req->id);
	cleanup_free char *persist_exit = xasprintf("%s/exit", p->persist_dir);
	cleanup_free char *persist_oom = xasprintf("%s/oom", p->persist_dir);
	const char *files[] = { p->pidfile, p->conmon_pidfile, p->oci_log };

	if (access(config, R_OK) < 0)
		return robbe_error_errno(err, errno, "container %s: %s", req->id, config);
	if (mkdir_p(p->exit_dir, 0700, err) < 0 || mkdir_p(p->persist_dir, 0700, err) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		cleanup_free char *dir = NULL;

		if (!files[i] || !*files[i])
			continue;
		dir = dir_of(files[i]);
		if (mkdir_p(dir, 0700, err) < 0)
			return -1;
	}
	if (!strcmp(log_driver_of(req), "k8s-file")) {
		cleanup_free char *dir = dir_of(p->log_path);
		if (mkdir_p(dir, 0700, err) < 0)
			return -1;
	}
	if (unlink_stale(exit_file, err) < 0 || unlink_stale(persist_exit, err) < 0 ||
	    unlink_stale(persist_oom, err) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (unlink_stale(files[i], err) < 0)
			return -1;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whatever conmon wrote on stderr so far (its option and setup errors),
 * without waiting for EOF: its daemon half may still hold the pipe. */
static char *drain_stderr(int fd)
{
	struct sbuf sb = SBUF_INIT;
	char chunk[4096];

	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&pf, 1, 100) <= 0)
			break;
		n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		if (sb.len + (size_t) n <= CONMON_STDERR_MAX)
			sbuf_add(&sb, chunk, (size_t) n);
	}
	while (sb.len && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == ' '))
		sb.buf[--sb.len] = '\0';
	return sbuf_detach(&sb);
}

/* Read conmon's one JSON line from the sync socket.  Returns 0 with the
 * line, 1 on EOF before a full line (conmon died or had nothing to say),
 * -ETIMEDOUT after timeout_ms, -1 on other errors. */
static int read_sync_message(int fd, int timeout_ms, struct sbuf *line, robbe_error **err)
{
	int64_t deadline = now_ms() + timeout_ms;
	cleanup_free char *buf = xmalloc(65536);

	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		int64_t left = deadline - now_ms();
		ssize_t n;
		int r;

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&pf, 1, (int) left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return robbe_error_errno(err, errno, "poll conmon sync socket");
		if (r == 0)
			return -ETIMEDOUT;
		n = recv(fd, buf, 65536, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return robbe_error_errno(err, errno, "read conmon sync socket");
		if (n == 0)
			return 1;
		sbuf_add(line, buf, (size_t) n);
		if (memchr(buf, '\n', (size_t) n))
			return 0;
		if (line->len > SYNC_MESSAGE_MAX)
			return robbe_error_set(err, 0, "conmon sent a message longer than %d bytes", SYNC_MESSAGE_MAX);
	}
}

/* The runtime's words from its JSON log (oci-log), if we asked for one. */
static char *oci_log_message(const struct runtime_paths *p)
{
	cleanup_free char *text = NULL;
	cleanup_error robbe_error *e = NULL;

	if (!p->oci_log || !*p->oci_log || read_file_all(p->oci_log, 1024 * 1024, &text, NULL, &e) < 0)
		return NULL;
	return runtime_error_text(text);
}

static int read_pid_file(const char *path, pid_t *pid, robbe_error **err)
{
	cleanup_free char *text = NULL;
	char *end;
	long v;

	if (read_file_all(path, 64, &text, NULL, err) < 0)
		return -1;
	errno = 0;
	v = strtol(text, &end, 10);
	while (*end == '\n' || *end == ' ')
		end++;
	if (end == text || *end || errno || v <= 0 || v > INT_MAX)
		return robbe_error_set(err, 0, "%s: invalid pid \"%s\"", path, text);
	*pid = (pid_t) v;
	return 0;
}

/* After a failed create, the runtime may still know the container
 * (created, or half-created); remove it so the ID can be reused. */
static void delete_leftover(const char *runtime, const char *id)
{
	cleanup_error robbe_error *e = NULL;

	runtime_delete(runtime, id, true, &e);
}

static int report_failure(const struct conmon_request *req, const char *runtime, const char *what,
			  const char *conmon_stderr, robbe_error **err)
{
	cleanup_free char *oci = oci_log_message(&req->paths);

	delete_leftover(runtime, req->id);
	if (oci && *oci)
		return robbe_error_set(err, 0, "%s", oci);
	if (conmon_stderr && *conmon_stderr)
		return robbe_error_set(err, 0, "%s: %s", what, conmon_stderr);
	return robbe_error_set(err, 0, "%s", what);
}

int conmon_create(const struct conmon_request *req, pid_t *container_pid, pid_t *conmon_pid, robbe_error **err)
{
	cleanup_free char *conmon = NULL;
	cleanup_free char *runtime = NULL;
	cleanup_free char *conmon_stderr = NULL;
	cleanup_strv char **argv = NULL;
	cleanup_strv char **envp = NULL;
	cleanup_close int sync_parent = -1, sync_child = -1;
	cleanup_close int start_parent = -1, start_child = -1;
	cleanup_close int err_r = -1, err_w = -1;
	cleanup_sbuf struct sbuf line = SBUF_INIT;
	cleanup_cjson cJSON *msg = NULL;
	char *extra_env[] = { "_OCI_SYNCPIPE=3", "_OCI_STARTPIPE=4", NULL };
	bool passthrough = !strcmp(log_driver_of(req), "passthrough");
	int sp[2], status = 0, timeout_s, r;
	const char start_byte = 0;
	cJSON *data, *message;
	pid_t first;

	if (check_request(req, err) < 0)
		return -1;
	if (find_program(req->conmon ? req->conmon : "conmon", conmon_fallbacks, &conmon, err) < 0)
		return robbe_error_wrap(err, "conmon");
	if (runtime_find(req->runtime, &runtime, err) < 0)
		return robbe_error_wrap(err, "OCI runtime");
	if (prepare_paths(req, err) < 0)
		return robbe_error_wrap(err, "creating container %s", req->id);

	argv = conmon_argv(req, conmon, runtime);
	envp = runtime_environ(req->xdg_runtime_dir, extra_env);
	/* SEQPACKET keeps conmon's JSON message in one piece; the child ends
	 * lose CLOEXEC only in the child (spawn_process dup2s them). */
	if (socketpair(AF_LOCAL, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return robbe_error_errno(err, errno, "socketpair");
	sync_parent = sp[0];
	sync_child = sp[1];
	if (socketpair(AF_LOCAL, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return robbe_error_errno(err, errno, "socketpair");
	start_parent = sp[0];
	start_child = sp[1];
	if (pipe2(sp, O_CLOEXEC) < 0)
		return robbe_error_errno(err, errno, "pipe");
	err_r = sp[0];
	err_w = sp[1];
	{
		/* Passthrough hands our own stdio to the container through
		 * conmon; otherwise conmon sees /dev/null and a pipe for its
		 * own error messages. */
		int fds[CONMON_NFDS] = { -1, -1, err_w, sync_child, start_child };
		if (passthrough) {
			fds[0] = STDIN_FILENO;
			fds[1] = STDOUT_FILENO;
			fds[2] = STDERR_FILENO;
		}
		if (spawn_process(argv, envp, fds, CONMON_NFDS, true, &first, err) < 0)
			return robbe_error_wrap(err, "starting conmon");
	}
	close(steal_fd(&sync_child));
	close(steal_fd(&start_child));
	close(steal_fd(&err_w));

	/* Podman moves conmon into a cgroup here, before letting it go on;
	 * robbe leaves conmon in the caller's cgroup, so the byte goes at
	 * once.  MSG_NOSIGNAL: conmon may already have died. */
	if (send(start_parent, &start_byte, 1, MSG_NOSIGNAL) < 0 && errno != EPIPE)
		return robbe_error_errno(err, errno, "writing to conmon's start pipe");

	/* conmon's first process exits once the daemon half has forked and
	 * its pid is in the conmon pid file. */
	while ((r = waitpid(first, &status, 0)) < 0 && errno == EINTR)
		;
	if (r < 0 && errno != ECHILD)
		return robbe_error_errno(err, errno, "waiting for conmon");
	if (r > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		conmon_stderr = drain_stderr(err_r);
		if (WIFSIGNALED(status))
			return report_failure(req, runtime, "conmon was killed by a signal", conmon_stderr, err);
		return report_failure(req, runtime, "conmon failed", conmon_stderr, err);
	}
	if (read_pid_file(req->paths.conmon_pidfile, conmon_pid, err) < 0)
		return robbe_error_wrap(err, "conmon");

	timeout_s = req->timeout_seconds > 0 ? req->timeout_seconds : DEFAULT_TIMEOUT_SECONDS;
	r = read_sync_message(sync_parent, timeout_s * 1000, &line, err);
	if (r == -ETIMEDOUT) {
		/* conmon's runtime child dies with it (PDEATHSIG). */
		kill(*conmon_pid, SIGKILL);
		delete_leftover(runtime, req->id);
		return robbe_error_set(err, 0, "container %s: conmon did not report within %d seconds", req->id,
				       timeout_s);
	}
	if (r < 0) {
		kill(*conmon_pid, SIGKILL);
		delete_leftover(runtime, req->id);
		return -1;
	}
	if (r == 1) {
		conmon_stderr = drain_stderr(err_r);
		return report_failure(req, runtime, "conmon exited without reporting the container's pid",
				      conmon_stderr, err);
	}

	msg = cJSON_ParseWithLength(line.buf, line.len);
	data = cJSON_GetObjectItemCaseSensitive(msg, "data");
	message = cJSON_GetObjectItemCaseSensitive(msg, "message");
	if (!cJSON_IsNumber(data)) {
		kill(*conmon_pid, SIGKILL);
		delete_leftover(runtime, req->id);
		return robbe_error_set(err, 0, "conmon sent an unexpected message: %.200s", line.buf);
	}
	if (data->valuedouble <= 0 || data->valuedouble > INT_MAX) {
		cleanup_free char *text = cJSON_IsString(message) ? runtime_error_text(message->valuestring) : NULL;

		if (text && *text) {
			delete_leftover(runtime, req->id);
			return robbe_error_set(err, 0, "%s", text);
		}
		return report_failure(req, runtime, "the OCI runtime failed to create the container", NULL, err);
	}
	*container_pid = (pid_t) data->valuedouble;
	return 0;
}
