/* container-start.c: starting a container under conmon (connecting the
 * attach socket first when asked), stop and restart. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "conmon.h"
#include "container-internal.h"
#include "network.h"
#include "rootless-net.h"

int container_start_error_status(const char *msg)
{
	if (!msg)
		return 0;
	if (strstr(msg, "executable file not found") || strstr(msg, "no such file or directory") ||
	    strstr(msg, "system cannot find the file specified"))
		return EXIT_NOT_FOUND;
	if (strstr(msg, "permission denied") || strstr(msg, "is a directory"))
		return EXIT_CANNOT_INVOKE;
	return 0;
}

/* ---- `runtime start`, overlapped with the store's write ------------------- */

/* `runtime start` in the background, so the store's write of the running
 * state (a few fsyncs) overlaps it. */
struct async_start {
	pid_t pid;
	int err_fd;	/* its stderr */
};

static int start_spawn(const char *runtime, const char *id, struct async_start *as, robbe_error **err)
{
	cleanup_free char *path = NULL;
	cleanup_strv char **envp = runtime_environ(NULL, NULL);
	cleanup_close int err_w = -1;
	char *argv[] = { NULL, "--log-format=json", "start", (char *) id, NULL };
	int pfd[2];

	as->pid = -1;
	as->err_fd = -1;
	if (runtime_find(runtime, &path, err) < 0)
		return robbe_error_wrap(err, "OCI runtime");
	argv[0] = path;
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return robbe_error_errno(err, errno, "pipe");
	as->err_fd = pfd[0];
	err_w = pfd[1];
	{
		int fds[3] = { -1, -1, err_w };
		if (spawn_process(argv, envp, fds, 3, false, &as->pid, err) < 0) {
			close(steal_fd(&as->err_fd));
			return -1;
		}
	}
	return 0;
}

/* Wait for it; its error message (runtime_error_text) on failure. */
static int start_wait(struct async_start *as, robbe_error **err)
{
	cleanup_sbuf struct sbuf ebuf = SBUF_INIT;
	cleanup_free char *msg = NULL;
	int status = 0;

	for (;;) {
		struct pollfd pf = { as->err_fd, POLLIN, 0 };
		char chunk[4096];
		ssize_t n;

		/* runc start returns in milliseconds; two minutes means stuck. */
		if (poll(&pf, 1, 120 * 1000) == 0) {
			kill(as->pid, SIGKILL);
			break;
		}
		n = read(as->err_fd, chunk, sizeof(chunk));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		if (ebuf.len < 64 * 1024)
			sbuf_add(&ebuf, chunk, (size_t) n);
	}
	close(steal_fd(&as->err_fd));
	while (waitpid(as->pid, &status, 0) < 0)
		if (errno != EINTR)
			return robbe_error_errno(err, errno, "waiting for the runtime's start");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	msg = runtime_error_text(sbuf_str(&ebuf));
	if (msg && *msg)
		return robbe_error_set(err, 0, "%s", msg);
	return robbe_error_set(err, 0, "the OCI runtime failed to start the container (status %d)",
			       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/* ---- start -------------------------------------------------------------- */

static const char *conmon_log_level(const char *robbe_level)
{
	if (!robbe_level)
		return NULL;
	if (!strcmp(robbe_level, "debug"))
		return "debug";
	if (!strcmp(robbe_level, "info"))
		return "info";
	if (!strcmp(robbe_level, "warn") || !strcmp(robbe_level, "warning"))
		return "warning";
	return "error";
}

static char **exit_command(const struct container_env *env, const char *id)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char **argv = NULL;

	if (n <= 0)
		return NULL;
	self[n] = '\0';
	/* A rebuilt binary: /proc says "(deleted)"; the path still names the new one. */
	if (str_has_suffix(self, " (deleted)"))
		self[n - 10] = '\0';
	strv_push(&argv, self);
	strv_push(&argv, "--root");
	strv_push(&argv, env->paths->root);
	strv_push(&argv, "--runroot");
	strv_push(&argv, env->paths->runroot);
	if (env->log_level) {
		strv_push(&argv, "--log-level");
		strv_push(&argv, env->log_level);
	}
	strv_push(&argv, "container");
	strv_push(&argv, "cleanup");
	strv_push(&argv, id);
	return argv;
}

/* container:<id> networking: point the bundle's network namespace at the
 * other container's, which must be running now. */
static int join_network_of(struct container_env *env, const char *bundle, const char *other_id, robbe_error **err)
{
	cleanup_store_container struct store_container *other = NULL;
	cleanup_free char *path = xasprintf("%s/config.json", bundle);
	cleanup_free char *text = NULL;
	cleanup_free char *out = NULL;
	cleanup_free char *ns = NULL;
	cleanup_cjson cJSON *oci = NULL;
	cJSON *it;

	if (container_lookup(env, other_id, &other, err) < 0)
		return -1;
	if (other->state != STORE_STATE_RUNNING)
		return robbe_error_set(err, EXIT_ENGINE, "cannot join network of a non running container: %s",
				       other_id);
	if (read_file_all(path, 16 * 1024 * 1024, &text, NULL, err) < 0)
		return -1;
	oci = cJSON_Parse(text);
	ns = xasprintf("/proc/%d/ns/net", (int) other->pid);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(oci, "linux"),
								  "namespaces"))
	{
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(it, "type");
		if (cJSON_IsString(type) && !strcmp(type->valuestring, "network")) {
			cJSON_DeleteItemFromObjectCaseSensitive(it, "path");
			cJSON_AddStringToObject(it, "path", ns);
		}
	}
	out = cJSON_PrintUnformatted(oci);
	if (!out)
		die_oom();
	return write_file_replace(path, out, strlen(out), 0600, err);
}

/* Record a start that failed the way Docker does: the exit code the error
 * maps to and the message in State.Error. */
static void record_start_failure(struct container_env *env, struct store_container *c, const robbe_error *e)
{
	cleanup_error robbe_error *e2 = NULL;
	int status = container_start_error_status(e ? e->msg : NULL);

	c->exit_code = status ? status : 128;
	c->pid = 0;
	c->conmon_pid = 0;
	if (c->started_at > 0)
		c->state = STORE_STATE_EXITED;
	ctr_state_set_error(c, e ? e->msg : "");
	ctr_save_state(env, c, &e2);
}

int ctr_start_locked(struct container_env *env, struct store_container *c, const struct container_start_opts *opts,
		     struct container_attach **attach, robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	cleanup_strv char **exit_cmd = NULL;
	cleanup_free char *runtime = container_runtime(c);
	cleanup_close int attach_fd = -1;
	__attribute__((cleanup(runtime_paths_release))) struct runtime_paths paths = { 0 };
	const cJSON *robbe = cJSON_GetObjectItemCaseSensitive(config, "Robbe");
	const char *lower = container_config_str(config, "Robbe", "Lower");
	const char *upper = container_config_str(config, "Robbe", "Upper");
	const char *work = container_config_str(config, "Robbe", "Work");
	const char *rootfs = container_config_str(config, "Robbe", "Rootfs");
	const char *netc = container_config_str(config, "Robbe", "NetworkContainer");
	const cJSON *size_max = cJSON_GetObjectItemCaseSensitive(robbe, "LogSizeMax");
	struct async_start as = { -1, -1 };
	cleanup_error robbe_error *start_err = NULL;
	pid_t pid = 0, conmon_pid = 0;
	int64_t prev_started;
	int rc;

	if (attach)
		*attach = NULL;
	if (c->state == STORE_STATE_PAUSED)
		return robbe_error_set(err, EXIT_GENERAL, "cannot start a paused container, try unpause instead");
	if (c->state == STORE_STATE_RUNNING)
		return 0;
	if (!rootfs || !upper || !work || !lower)
		return robbe_error_set(err, EXIT_GENERAL, "container %s has no root file system recorded", c->id);

	container_runtime_paths(env, c, &paths);
	/* A conmon still holding a container that never started (robbe died
	 * between create and start) must not run its exit command over the
	 * new run: it goes first, and so does its runtime container. */
	bool unrecorded = ctr_kill_unrecorded_conmon(env, c);

	if (c->state == STORE_STATE_CREATED && c->conmon_pid > 0 && ctr_conmon_alive(c->conmon_pid)) {
		kill(c->conmon_pid, SIGKILL);
		process_wait_gone(c->conmon_pid, 1000);
	}
	/* A previous run leaves the runtime's state behind until cleanup. */
	if (c->started_at > 0 || c->conmon_pid > 0 || unrecorded) {
		cleanup_error robbe_error *e = NULL;
		runtime_delete(runtime, c->id, true, &e);
	}
	if (ctr_rootfs_mount_ex(env, lower, upper, work, rootfs,
			     cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				     cJSON_GetObjectItemCaseSensitive(config, "HostConfig"), "AutoRemove")),
			     err) < 0)
		return -1;
	if (netc && *netc && join_network_of(env, paths.bundle, netc, err) < 0)
		return -1;

	/* ---- networking: robbe's namespace set up by netavark, its path in
	 * config.json, hosts and resolv.conf; undone on every failure below. */
	if (network_container_setup(env, c, paths.bundle, err) < 0) {
		record_start_failure(env, c, *err);
		return -1;
	}

	if (opts && opts->caller_removes) {
		cleanup_free char *claim = ctr_rm_claim_path(env, c->id);
		cleanup_free char *pid_text = xasprintf("%d", (int) getpid());
		cleanup_error robbe_error *e = NULL;

		/* Best effort: without it conmon's cleanup just races us. */
		if (write_file_replace(claim, pid_text, strlen(pid_text), 0600, &e) < 0)
			robbe_error_free(steal_pointer(&e));
	}
	exit_cmd = exit_command(env, c->id);
	{
		struct conmon_request req = {
			.id = c->id,
			.name = c->name,
			.runtime = runtime,
			.paths = paths,
			.tty = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(robbe, "Tty")),
			.stdin_open = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(robbe, "OpenStdin")),
			.leave_stdin_open = !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(config, "Config"), "StdinOnce")),
			.log_driver = container_config_str(config, "Robbe", "LogDriver"),
			.log_size_max = cJSON_IsNumber(size_max) ? (int64_t) size_max->valuedouble : 0,
			.exit_command = exit_cmd,
			.log_level = conmon_log_level(env->log_level),
			.syslog = false,
		};
		rc = conmon_create(&req, &pid, &conmon_pid, err);
	}
	if (rc < 0) {
		int status = container_start_error_status((*err)->msg);

		network_container_teardown(env, c);
		record_start_failure(env, c, *err);
		if (status)
			(*err)->status = status;
		return -1;
	}
	c->pid = pid;
	c->conmon_pid = conmon_pid;
	/* ---- rootless networking attaches to the new namespace here ---- */
	if (rootless_net_setup(env, c, pid, err) < 0) {
		cleanup_error robbe_error *e = NULL;
		stop_container(runtime, c->id, pid, SIGKILL, 0, &e);
		record_start_failure(env, c, *err);
		return -1;
	}

	if (opts && opts->attach && ctr_attach_connect(paths.bundle, &attach_fd, err) < 0) {
		cleanup_error robbe_error *e = NULL;
		stop_container(runtime, c->id, pid, SIGKILL, 0, &e);
		network_container_teardown(env, c);
		record_start_failure(env, c, *err);
		return -1;
	}
	/* Stamped before the process runs: its exit file is never older.
	 * The running state is written while the runtime starts it, and
	 * rewritten if that fails. */
	prev_started = c->started_at;
	c->started_at = container_now_ns();
	rc = start_spawn(runtime, c->id, &as, err);
	if (rc == 0) {
		c->state = STORE_STATE_RUNNING;
		c->exit_code = 0;
		ctr_state_set_error(c, "");
		ctr_state_set(c, "StoppedByUser", cJSON_CreateBool(false));
		ctr_state_set(c, "CleanedUp", cJSON_CreateBool(false));
		ctr_state_set(c, "OOMKilled", cJSON_CreateBool(false));
		ctr_state_set(c, "ExitCodeSource", cJSON_CreateString(""));
		rc = ctr_save_state(env, c, err);
		/* The runtime goes on either way: wait for it. */
		if (start_wait(&as, rc < 0 ? &start_err : err) < 0 && rc == 0)
			rc = -1;
	}
	if (rc < 0) {
		cleanup_error robbe_error *e = NULL;
		int status = container_start_error_status((*err)->msg);

		stop_container(runtime, c->id, pid, SIGKILL, 0, &e);
		c->started_at = prev_started;
		c->state = prev_started > 0 ? STORE_STATE_EXITED : STORE_STATE_CREATED;
		network_container_teardown(env, c);
		record_start_failure(env, c, *err);
		if (status)
			(*err)->status = status;
		return -1;
	}
	if (attach && attach_fd >= 0) {
		*attach = ctr_attach_new(steal_fd(&attach_fd), c->id, runtime);
	}
	return 0;
}

int container_start(struct container_env *env, struct store_container *c, const struct container_start_opts *opts,
		    struct container_attach **attach, robbe_error **err)
{
	cleanup_close int lock = -1;
	int r;

	if (ctr_lock(env, c->id, &lock, err) < 0)
		return -1;
	if ((r = ctr_reload(env, c, err)) < 0)
		return r == -ENOENT ? robbe_error_set(err, EXIT_GENERAL, "No such container: %s", c->id) : -1;
	if (ctr_sync_locked(env, c, false, err) < 0)
		return -1;
	if (c->state == STORE_STATE_RESTARTING) {
		/* A user start wins over the pending policy restart. */
		c->state = STORE_STATE_EXITED;
	}
	return ctr_start_locked(env, c, opts, attach, err);
}

/* ---- stop, restart ---------------------------------------------------------- */

static int stop_signal_of(const cJSON *config, int sig)
{
	const cJSON *robbe = cJSON_GetObjectItemCaseSensitive(config, "Robbe");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(robbe, "StopSignal");
	const char *s;

	if (sig > 0)
		return sig;
	if (cJSON_IsNumber(v) && v->valuedouble > 0)
		return (int) v->valuedouble;
	s = container_config_str(config, "Config", "StopSignal");
	if (s && (sig = container_parse_signal(s)) > 0)
		return sig;
	return SIGTERM;
}

int ctr_stop_signal(const struct store_container *c)
{
	cleanup_cjson cJSON *config = container_config(c);

	return stop_signal_of(config, 0);
}

static int stop_timeout_of(const cJSON *config, int timeout)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "Config"),
							  "StopTimeout");

	if (timeout >= 0)
		return timeout;
	if (cJSON_IsNumber(v) && v->valuedouble >= 0)
		return (int) v->valuedouble;
	return CTR_STOP_TIMEOUT_DEFAULT;
}

static int stop_locked(struct container_env *env, struct store_container *c, int sig, int timeout,
		       robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	cleanup_free char *runtime = container_runtime(c);
	cleanup_free char *exit_dir = xasprintf("%s/exits", env->paths->runroot);
	cleanup_error robbe_error *e = NULL;
	bool conmon_alive;
	int code = 0;
	int64_t when = 0;

	if (ctr_sync_locked(env, c, false, err) < 0)
		return -1;
	if (c->state == STORE_STATE_RESTARTING) {
		ctr_state_set(c, "StoppedByUser", cJSON_CreateBool(true));
		c->state = STORE_STATE_EXITED;
		return ctr_save_state(env, c, err);
	}
	if (!container_is_active(c)) {
		/* Exited a moment ago, its cleanup (and restart policy) still
		 * to come: the stop holds for that too, as Docker's does. */
		if (c->state == STORE_STATE_EXITED && !ctr_state_bool(c, "CleanedUp") &&
		    !ctr_state_bool(c, "StoppedByUser")) {
			ctr_state_set(c, "StoppedByUser", cJSON_CreateBool(true));
			return ctr_save_state(env, c, err);
		}
		return 0;
	}
	/* Before the signal: the cleanup conmon starts must see it. */
	ctr_state_set(c, "StoppedByUser", cJSON_CreateBool(true));
	if (ctr_save_state(env, c, err) < 0)
		return -1;
	sig = stop_signal_of(config, sig);
	timeout = stop_timeout_of(config, timeout);
	conmon_alive = ctr_conmon_alive(c->conmon_pid);
	if (c->state == STORE_STATE_PAUSED) {
		/* Frozen processes act on signals once thawed. */
		if (runtime_kill(runtime, c->id, sig, false, &e) < 0)
			robbe_error_free(steal_pointer(&e));
		if (runtime_resume(runtime, c->id, &e) < 0)
			robbe_error_free(steal_pointer(&e));
	}
	if (stop_container(runtime, c->id, c->pid, sig, timeout > 0 ? timeout : 0, err) < 0)
		return -1;
	/* Without conmon nobody writes the exit file: the code is lost. */
	if (!conmon_alive)
		return ctr_mark_lost(env, c, err);
	if (exit_file_wait(exit_dir, c->id, CTR_EXIT_FILE_GRACE_MS, &code, &when, &e) == 0) {
		ctr_mark_exited(c, code, when, "exitfile");
		if (store_exit_code_record(env->store, c->id, code, err) < 0)
			return -1;
		/* Its addresses and ports are free once stop returns, as in
		 * Docker (`stop x && network rm n` must work). */
		network_container_teardown(env, c);
		return ctr_save_state(env, c, err);
	}
	robbe_error_free(steal_pointer(&e));
	/* No exit file: conmon is gone; sync decides. */
	return ctr_sync_locked(env, c, true, err);
}

int container_stop(struct container_env *env, struct store_container *c, int sig, int timeout, robbe_error **err)
{
	cleanup_close int lock = -1;
	int r;

	if (ctr_lock(env, c->id, &lock, err) < 0)
		return -1;
	if ((r = ctr_reload(env, c, err)) < 0)
		return r == -ENOENT ? robbe_error_set(err, EXIT_GENERAL, "No such container: %s", c->id) : -1;
	return stop_locked(env, c, sig, timeout, err);
}

int container_restart(struct container_env *env, struct store_container *c, int sig, int timeout,
		      robbe_error **err)
{
	cleanup_close int lock = -1;
	int r;

	if (ctr_lock(env, c->id, &lock, err) < 0)
		return -1;
	if ((r = ctr_reload(env, c, err)) < 0)
		return r == -ENOENT ? robbe_error_set(err, EXIT_GENERAL, "No such container: %s", c->id) : -1;
	if (stop_locked(env, c, sig, timeout, err) < 0)
		return -1;
	if (c->state == STORE_STATE_RESTARTING)
		c->state = STORE_STATE_EXITED;
	return ctr_start_locked(env, c, NULL, NULL, err);
}

/* ---- signals by name -------------------------------------------------------- */

static const struct {
	const char *name;
	int num;
} signal_names[] = {
	{ "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "BUS", SIGBUS },	 { "CHLD", SIGCHLD }, { "CLD", SIGCHLD },
	{ "CONT", SIGCONT }, { "FPE", SIGFPE },	  { "HUP", SIGHUP },	 { "ILL", SIGILL },   { "INT", SIGINT },
	{ "IO", SIGIO },     { "IOT", SIGIOT },	  { "KILL", SIGKILL },	 { "PIPE", SIGPIPE }, { "POLL", SIGPOLL },
	{ "PROF", SIGPROF }, { "PWR", SIGPWR },	  { "QUIT", SIGQUIT },	 { "SEGV", SIGSEGV }, { "STKFLT", SIGSTKFLT },
	{ "STOP", SIGSTOP }, { "SYS", SIGSYS },	  { "TERM", SIGTERM },	 { "TRAP", SIGTRAP }, { "TSTP", SIGTSTP },
	{ "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },  { "URG", SIGURG },	 { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "VTALRM", SIGVTALRM }, { "WINCH", SIGWINCH }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
};

int container_parse_signal(const char *s)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtol(s, &end, 10);
		if (*end || errno || v <= 0 || v > SIGRTMAX)
			return -1;
		return (int) v;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < ARRAY_SIZE(signal_names); i++)
		if (!strcasecmp(s, signal_names[i].name))
			return signal_names[i].num;
	if (!strncasecmp(s, "RTMIN", 5) || !strncasecmp(s, "RTMAX", 5)) {
		bool min = !strncasecmp(s, "RTMIN", 5);
		long off = 0;

		if (s[5]) {
			if (s[5] != (min ? '+' : '-'))
				return -1;
			errno = 0;
			off = strtol(s + 6, &end, 10);
			if (*end || errno || off < 0 || !s[6])
				return -1;
		}
		v = min ? SIGRTMIN + off : SIGRTMAX - off;
		if (v < SIGRTMIN || v > SIGRTMAX)
			return -1;
		return (int) v;
	}
	return -1;
}
