/* runtime-driver: TAP tests of conmon.c, runtime.c and ctrlogs.c against
 * the real conmon and runc.  Run by test-runtime.sh, which passes
 *
 *   runtime-driver WORKDIR BASE-CONFIG ID-PREFIX
 *
 * WORKDIR holds the busybox root file system; BASE-CONFIG is runc's
 * default spec pointing at it.  Every container ID starts with ID-PREFIX
 * so the script can delete leftovers. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "conmon.h"
#include "ctrlogs.h"
#include "runtime.h"
#include "tests/unit/tap.h"

static const char *workdir, *base_config, *prefix;
static char *root, *runroot, *exit_script;
static int counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

struct ctr {
	char *id;
	struct runtime_paths paths;
	pid_t pid, conmon_pid;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

static void diag_error(const char *what, robbe_error *err)
{
	printf("# %s: %s\n", what, err ? err->msg : "(no error)");
}

/* A new container: its own ID and paths, config.json with args. */
static void ctr_init(struct ctr *c, const char *tag, const char *const *args, bool tty)
{
	cleanup_free char *text = NULL, *out = NULL, *config = NULL;
	cleanup_cjson cJSON *spec = NULL;
	cJSON *process, *argv;
	robbe_error *err = NULL;
	int n;

	pthread_mutex_lock(&counter_lock);
	n = ++counter;
	pthread_mutex_unlock(&counter_lock);
	memset(c, 0, sizeof(*c));
	c->id = xasprintf("%s-%s-%d", prefix, tag, n);
	runtime_paths_default(&c->paths, root, runroot, c->id);
	if (read_file_all(base_config, 1 << 20, &text, NULL, &err) < 0 || mkdir_p(c->paths.bundle, 0700, &err) < 0) {
		printf("Bail out! %s\n", err->msg);
		exit(1);
	}
	spec = cJSON_Parse(text);
	process = cJSON_GetObjectItem(spec, "process");
	argv = cJSON_CreateArray();
	for (size_t i = 0; args[i]; i++)
		cJSON_AddItemToArray(argv, cJSON_CreateString(args[i]));
	cJSON_ReplaceItemInObject(process, "args", argv);
	cJSON_ReplaceItemInObject(process, "terminal", cJSON_CreateBool(tty));
	out = cJSON_Print(spec);
	config = xasprintf("%s/config.json", c->paths.bundle);
	if (write_file_atomic(config, out, strlen(out), 0600, &err) < 0) {
		printf("Bail out! %s\n", err->msg);
		exit(1);
	}
}

static void ctr_request(const struct ctr *c, struct conmon_request *req)
{
	memset(req, 0, sizeof(*req));
	req->id = c->id;
	req->paths = c->paths;
	req->log_level = "error";
}

static int ctr_create(struct ctr *c, const struct conmon_request *req, robbe_error **err)
{
	return conmon_create(req, &c->pid, &c->conmon_pid, err);
}

static void ctr_release(struct ctr *c)
{
	robbe_error *err = NULL;

	runtime_delete(NULL, c->id, true, &err);
	robbe_error_free(err);
	free(c->id);
	runtime_paths_release(&c->paths);
}

static int collect(void *data, enum log_stream stream, int64_t time, const char *text, size_t len,
		   robbe_error **err)
{
	struct sbuf *sb = data;

	sbuf_adds(sb, stream == LOG_STDOUT ? "o:" : "e:");
	sbuf_add(sb, text, len);
	sbuf_addc(sb, '|');
	return 0;
}

static char *ctr_log(const struct ctr *c)
{
	struct sbuf sb = SBUF_INIT;
	robbe_error *err = NULL;

	if (ctrlogs_read(c->paths.log_path, NULL, collect, &sb, NULL, &err) < 0) {
		diag_error("ctrlogs_read", err);
		robbe_error_free(err);
	}
	return sbuf_detach(&sb);
}

static int wait_exit(const struct ctr *c, int timeout_ms, int *status)
{
	robbe_error *err = NULL;
	int r = exit_file_wait(c->paths.exit_dir, c->id, timeout_ms, status, NULL, &err);

	if (r < 0 && r != -ENOENT)
		diag_error("exit_file_wait", err);
	robbe_error_free(err);
	return r;
}

static enum runtime_status ctr_status(const struct ctr *c, pid_t *pid)
{
	struct runtime_state st;
	robbe_error *err = NULL;
	enum runtime_status s;

	if (runtime_state(NULL, c->id, &st, &err) < 0) {
		diag_error("runtime_state", err);
		robbe_error_free(err);
		return RUNTIME_UNKNOWN;
	}
	s = st.status;
	if (pid)
		*pid = st.pid;
	runtime_state_release(&st);
	return s;
}

static char *read_small(const char *path)
{
	char *text = NULL;
	robbe_error *err = NULL;

	if (read_file_all(path, 1 << 20, &text, NULL, &err) < 0) {
		robbe_error_free(err);
		return NULL;
	}
	return text;
}

static char *loginuid_of(const char *pid)
{
	cleanup_free char *path = xasprintf("/proc/%s/loginuid", pid);
	return read_small(path);
}

/* echo to both streams, exit 3; the exit command records its argv. */
static void test_exit_status_and_logs(void)
{
	const char *args[] = { "sh", "-c", "echo hello; echo err >&2; echo -n no-newline; exit 3", NULL };
	struct conmon_request req;
	struct ctr c;
	robbe_error *err = NULL;
	cleanup_free char *log = NULL, *persist = NULL, *exit_out = NULL, *got_args = NULL, *want_args = NULL;
	struct runtime_state st;
	int status = -100, r;
	int64_t when = 0;
	char *cmd[8];

	ctr_init(&c, "exit", args, false);
	exit_out = xasprintf("%s/exit-command-%s", workdir, c.id);
	cmd[0] = exit_script;
	cmd[1] = exit_out;
	cmd[2] = "--root";
	cmd[3] = root;
	cmd[4] = "container";
	cmd[5] = "cleanup";
	cmd[6] = c.id;
	cmd[7] = NULL;
	ctr_request(&c, &req);
	req.exit_command = cmd;
	req.syslog = true;
	r = ctr_create(&c, &req, &err);
	if (!ok(r == 0, "conmon_create: echo/exit 3"))
		diag_error("conmon_create", err);
	robbe_error_free(err);
	err = NULL;
	ok(c.pid > 0 && c.conmon_pid > 0 && c.pid != c.conmon_pid, "container pid %d and conmon pid %d", (int) c.pid,
	   (int) c.conmon_pid);
	ok(process_alive(c.conmon_pid), "conmon stays after conmon_create returns");
	is_str(runtime_status_name(ctr_status(&c, NULL)), "created", "runc state: created before start");
	ok(exit_file_read(c.paths.exit_dir, c.id, &status, NULL, &err) == -ENOENT && !err,
	   "no exit file before start (-ENOENT, no error)");
	{
		cleanup_free char *attach = runtime_paths_attach(&c.paths);
		cleanup_free char *ctl = runtime_paths_ctl(&c.paths);
		struct stat sa, sc;
		ok(stat(attach, &sa) == 0 && S_ISSOCK(sa.st_mode), "attach socket in the bundle");
		ok(stat(ctl, &sc) == 0 && S_ISFIFO(sc.st_mode), "ctl FIFO in the bundle");
	}
	r = runtime_start(NULL, c.id, &err);
	if (!ok(r == 0, "runtime_start"))
		diag_error("runtime_start", err);
	robbe_error_free(err);
	err = NULL;
	is_int(wait_exit(&c, 10000, &status), 0, "exit file appears");
	is_int(status, 3, "exit status 3");
	exit_file_read(c.paths.exit_dir, c.id, &status, &when, &err);
	ok(when > (int64_t) (time(NULL) - 60) * 1000000000 && when <= (int64_t) (time(NULL) + 1) * 1000000000,
	   "exit time is now");
	persist = xasprintf("%s/exit", c.paths.persist_dir);
	{
		cleanup_free char *text = read_small(persist);
		is_str(text, "3", "persist dir exit file");
	}
	log = ctr_log(&c);
	is_str(log, "o:hello\n|e:err\n|o:no-newline|", "log: stdout and stderr lines, unterminated last line");
	is_str(runtime_status_name(ctr_status(&c, NULL)), "stopped", "runc state: stopped");
	ok(process_wait_gone(c.conmon_pid, 5000), "conmon exits after the container");

	/* conmon runs the exit command after writing the exit file. */
	for (int i = 0; i < 500 && access(exit_out, F_OK) < 0; i++)
		sleep_ms(10);
	got_args = read_small(exit_out);
	want_args = xasprintf("--root\n%s\ncontainer\ncleanup\n%s\n", root, c.id);
	is_str(got_args, want_args, "exit command ran with its argv");

	r = runtime_delete(NULL, c.id, false, &err);
	ok(r == 0, "runtime_delete of a stopped container");
	robbe_error_free(err);
	err = NULL;
	r = runtime_state(NULL, c.id, &st, &err);
	ok(r == -ENOENT && err && err->errnum == ENOENT, "runtime_state after delete: -ENOENT");
	if (err)
		is_str(err->msg, "container does not exist", "the runtime's message, unquoted");
	robbe_error_free(err);
	err = NULL;
	r = runtime_delete(NULL, c.id, false, &err);
	ok(r == -ENOENT, "runtime_delete of a missing container: -ENOENT");
	robbe_error_free(err);
	ctr_release(&c);
}

/* A missing executable and a non-executable one: runc's message comes back
 * intact and nothing is left behind. */
static void test_create_errors(void)
{
	static const struct {
		const char *tag, *arg, *want;
		bool no_oci_log;	/* runc's JSON errors then come through conmon */
	} cases[] = {
		{ "missing", "no-such-program",
		  "runc create failed: unable to start container process: exec: \"no-such-program\": "
		  "executable file not found in $PATH", false },
		{ "noexec", "/etc/passwd",
		  "runc create failed: unable to start container process: exec: \"/etc/passwd\": permission denied",
		  false },
		{ "json", "no-such-program",
		  "runc create failed: unable to start container process: exec: \"no-such-program\": "
		  "executable file not found in $PATH", true },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *args[] = { cases[i].arg, NULL };
		struct conmon_request req;
		struct runtime_state st;
		robbe_error *err = NULL;
		struct ctr c;
		int r;

		ctr_init(&c, cases[i].tag, args, false);
		ctr_request(&c, &req);
		if (cases[i].no_oci_log)
			req.paths.oci_log = NULL;
		r = ctr_create(&c, &req, &err);
		ok(r < 0, "conmon_create fails for %s (%s)", cases[i].arg, cases[i].tag);
		is_str(err ? err->msg : NULL, cases[i].want, "runc's error text for %s", cases[i].arg);
		robbe_error_free(err);
		err = NULL;
		r = runtime_state(NULL, c.id, &st, &err);
		ok(r == -ENOENT, "no container left behind (%s)", cases[i].tag);
		robbe_error_free(err);
		if (c.conmon_pid > 0)
			ok(process_wait_gone(c.conmon_pid, 5000), "conmon gone after the failed create");
		ctr_release(&c);
	}

	/* conmon's own failure (here: a conmon that exits 1 at once). */
	{
		const char *args[] = { "true", NULL };
		struct conmon_request req;
		robbe_error *err = NULL;
		struct ctr c;

		ctr_init(&c, "badconmon", args, false);
		ctr_request(&c, &req);
		req.conmon = "/bin/false";
		ok(ctr_create(&c, &req, &err) < 0 && err && strstr(err->msg, "conmon failed"),
		   "a failing conmon is reported");
		printf("# %s\n", err ? err->msg : "(no error)");
		robbe_error_free(err);
		err = NULL;
		req.conmon = NULL;
		req.runtime = "no-such-runtime";
		ok(ctr_create(&c, &req, &err) < 0 && err &&
			   !strcmp(err->msg, "OCI runtime: no-such-runtime: executable file not found in $PATH"),
		   "a missing runtime is reported");
		robbe_error_free(err);
		err = NULL;
		req.runtime = NULL;
		req.exit_command = (char *[]){ "relative/path", NULL };
		ok(ctr_create(&c, &req, &err) < 0 && err && strstr(err->msg, "absolute"),
		   "a relative exit command is refused");
		robbe_error_free(err);
		ctr_release(&c);
	}
}

/* How many of pid's descriptors point at path. */
static int fd_points_to(pid_t pid, const char *path)
{
	char dir[64], link[PATH_MAX], target[PATH_MAX];
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		ssize_t len;

		snprintf(dir, sizeof(dir), "/proc/%d/fd", (int) pid);
		snprintf(link, sizeof(link), "%s/%d", dir, fd);
		len = readlink(link, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		if (!strcmp(target, path))
			n++;
	}
	return n;
}

static bool environ_has(const char *env, size_t len, const char *entry)
{
	for (size_t i = 0; i < len; i += strlen(env + i) + 1)
		if (!strcmp(env + i, entry))
			return true;
	return false;
}

static bool environ_has_name(const char *env, size_t len, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < len; i += strlen(env + i) + 1)
		if (!strncmp(env + i, name, n) && env[i + n] == '=')
			return true;
	return false;
}

static bool loginuid_checkable(void)
{
	cleanup_free char *self = loginuid_of("self");
	return self && strcmp(self, "4294967295") != 0;
}

/* sleep 1000: running, pause/resume, loginuid, stop with SIGKILL after the
 * timeout since pid 1 ignores SIGTERM without a handler. */
static void test_long_running(void)
{
	const char *args[] = { "sleep", "1000", NULL };
	struct conmon_request req;
	robbe_error *err = NULL;
	struct ctr c;
	pid_t pid = 0;
	int status = -100, r, canary_fd;
	int64_t t0;
	cleanup_free char *canary = NULL;

	ctr_init(&c, "sleep", args, false);
	ctr_request(&c, &req);
	req.stdin_open = true;
	/* A descriptor without CLOEXEC and an environment variable that
	 * conmon and the container must not inherit. */
	canary = xasprintf("%s/fd-canary", workdir);
	canary_fd = open(canary, O_RDWR | O_CREAT, 0600);
	setenv("NOTIFY_SOCKET", "/run/robbe-test-notify", 1);
	r = ctr_create(&c, &req, &err);
	unsetenv("NOTIFY_SOCKET");
	close(canary_fd);
	if (!ok(r == 0, "conmon_create: sleep 1000"))
		diag_error("conmon_create", err);
	robbe_error_free(err);
	err = NULL;
	ok(runtime_start(NULL, c.id, &err) == 0, "runtime_start");
	robbe_error_free(err);
	err = NULL;
	is_str(runtime_status_name(ctr_status(&c, &pid)), "running", "state: running");
	is_int(pid, c.pid, "runc's pid is the one conmon reported");
	ok(process_alive(c.pid), "container process alive");
	is_int(fd_points_to(c.conmon_pid, canary), 0, "conmon did not inherit a descriptor without CLOEXEC");
	is_int(fd_points_to(c.pid, canary), 0, "nor did the container");
	{
		cleanup_free char *env = NULL;
		size_t len = 0;
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/environ", (int) c.conmon_pid);
		read_file_all(path, 1 << 20, &env, &len, &err);
		robbe_error_free(err);
		err = NULL;
		ok(env && environ_has(env, len, "_OCI_SYNCPIPE=3") && environ_has(env, len, "_OCI_STARTPIPE=4"),
		   "conmon's environment names its pipes");
		ok(env && environ_has(env, len, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
		   "conmon's PATH is the system one");
		ok(env && !environ_has_name(env, len, "NOTIFY_SOCKET"), "NOTIFY_SOCKET is not passed on");
	}

	if (loginuid_checkable()) {
		cleanup_free char *self = loginuid_of("self");
		char pidbuf[16];
		snprintf(pidbuf, sizeof(pidbuf), "%d", (int) c.pid);
		cleanup_free char *ctr_uid = loginuid_of(pidbuf);
		is_str(ctr_uid, self, "container's loginuid is the caller's (%s)", self);
	} else {
		ok(1, "# SKIP this process has no audit login uid and cannot set one");
	}

	ok(runtime_pause(NULL, c.id, &err) == 0, "runtime_pause");
	robbe_error_free(err);
	err = NULL;
	is_str(runtime_status_name(ctr_status(&c, NULL)), "paused", "state: paused");
	ok(runtime_resume(NULL, c.id, &err) == 0, "runtime_resume");
	robbe_error_free(err);
	err = NULL;
	is_str(runtime_status_name(ctr_status(&c, NULL)), "running", "state: running again");

	t0 = mono_ms();
	r = stop_container(NULL, c.id, c.pid, SIGTERM, 1, &err);
	if (!is_int(r, 1, "stop_container needed SIGKILL (pid 1 ignores SIGTERM)"))
		diag_error("stop_container", err);
	robbe_error_free(err);
	err = NULL;
	ok(mono_ms() - t0 >= 1000 && mono_ms() - t0 < 7000, "stop waited the timeout (%lld ms)",
	   (long long) (mono_ms() - t0));
	is_int(wait_exit(&c, 5000, &status), 0, "exit file after stop");
	is_int(status, 137, "exit status 137 (128 + SIGKILL)");
	is_int(stop_container(NULL, c.id, 0, SIGTERM, 1, &err), 0, "stopping a stopped container succeeds");
	robbe_error_free(err);
	err = NULL;
	ok(runtime_kill(NULL, c.id, SIGTERM, false, &err) == -ESRCH, "runtime_kill of a stopped container: -ESRCH");
	robbe_error_free(err);
	ctr_release(&c);
}

static void run_and_stop(const char *tag, const char *script, int timeout, int want_r, int want_status,
			 int64_t min_ms, int64_t max_ms)
{
	const char *args[] = { "sh", "-c", script, NULL };
	struct conmon_request req;
	robbe_error *err = NULL;
	struct ctr c;
	int status = -100, r;
	int64_t t0, dt;

	ctr_init(&c, tag, args, false);
	ctr_request(&c, &req);
	r = ctr_create(&c, &req, &err);
	if (r == 0)
		r = runtime_start(NULL, c.id, &err);
	if (!ok(r == 0, "%s: created and started", tag))
		diag_error(tag, err);
	robbe_error_free(err);
	err = NULL;
	/* Give the shell time to install its trap. */
	sleep_ms(300);
	t0 = mono_ms();
	r = stop_container(NULL, c.id, c.pid, SIGTERM, timeout, &err);
	dt = mono_ms() - t0;
	if (!is_int(r, want_r, "%s: stop_container result", tag))
		diag_error("stop_container", err);
	robbe_error_free(err);
	ok(dt >= min_ms && dt < max_ms, "%s: stopped after %lld ms", tag, (long long) dt);
	is_int(wait_exit(&c, 5000, &status), 0, "%s: exit file", tag);
	is_int(status, want_status, "%s: exit status", tag);
	ctr_release(&c);
}

static void test_stop(void)
{
	/* The shell handles SIGTERM and exits 143 itself. */
	run_and_stop("term", "trap 'exit 143' TERM; sleep 1000 & wait", 10, 0, 143, 0, 5000);
	/* The shell ignores SIGTERM: SIGKILL after the 2 s timeout. */
	run_and_stop("ignore", "trap '' TERM; sleep 1000 & wait", 2, 1, 137, 2000, 8000);
	/* Timeout 0: SIGKILL straight away. */
	run_and_stop("kill", "trap '' TERM; sleep 1000 & wait", 0, 0, 137, 0, 3000);
}

static void test_tty(void)
{
	const char *args[] = { "tty", NULL };
	struct conmon_request req;
	robbe_error *err = NULL;
	cleanup_free char *log = NULL;
	struct ctr c;
	int status = -100, r;

	ctr_init(&c, "tty", args, true);
	ctr_request(&c, &req);
	req.tty = true;
	r = ctr_create(&c, &req, &err);
	if (r == 0)
		r = runtime_start(NULL, c.id, &err);
	if (!ok(r == 0, "tty container created and started"))
		diag_error("tty", err);
	robbe_error_free(err);
	is_int(wait_exit(&c, 10000, &status), 0, "tty: exit file");
	is_int(status, 0, "tty: exit status 0");
	log = ctr_log(&c);
	/* The pty turns \n into \r\n. */
	is_str(log, "o:/dev/pts/0\r\n|", "tty: `tty` printed /dev/pts/0 into the log, as stdout");
	ctr_release(&c);
}

static void test_log_none(void)
{
	const char *args[] = { "sh", "-c", "echo lost; exit 5", NULL };
	struct conmon_request req;
	robbe_error *err = NULL;
	struct ctr c;
	int status = -100, r;

	ctr_init(&c, "nolog", args, false);
	ctr_request(&c, &req);
	req.log_driver = "none";
	r = ctr_create(&c, &req, &err);
	if (r == 0)
		r = runtime_start(NULL, c.id, &err);
	if (!ok(r == 0, "log driver none: created and started"))
		diag_error("nolog", err);
	robbe_error_free(err);
	is_int(wait_exit(&c, 10000, &status), 0, "log driver none: exit file");
	is_int(status, 5, "log driver none: exit status 5");
	ok(access(c.paths.log_path, F_OK) < 0, "log driver none: no log file");
	ctr_release(&c);
}

struct follow_seen {
	struct sbuf text;
};

static int follow_collect(void *data, enum log_stream stream, int64_t time, const char *text, size_t len,
			  robbe_error **err)
{
	struct follow_seen *f = data;

	return collect(&f->text, stream, time, text, len, err);
}

/* Follow a live container's log until its exit file appears. */
static void test_follow(void)
{
	const char *args[] = { "sh", "-c", "for i in 1 2 3 4 5; do echo line $i; sleep 0.2; done; echo -n end >&2",
			       NULL };
	struct ctrlogs_options o = CTRLOGS_OPTIONS_INIT;
	struct follow_seen f = { SBUF_INIT };
	struct conmon_request req;
	robbe_error *err = NULL;
	cleanup_free char *exit_file = NULL;
	struct ctr c;
	int64_t t0, done_ms;
	int r;

	ctr_init(&c, "follow", args, false);
	ctr_request(&c, &req);
	r = ctr_create(&c, &req, &err);
	if (r == 0)
		r = runtime_start(NULL, c.id, &err);
	if (!ok(r == 0, "follow: created and started"))
		diag_error("follow", err);
	robbe_error_free(err);
	err = NULL;
	exit_file = runtime_paths_exit_file(&c.paths, c.id);
	o.follow = true;
	o.exit_file = exit_file;
	t0 = mono_ms();
	r = ctrlogs_read(c.paths.log_path, &o, follow_collect, &f, NULL, &err);
	done_ms = mono_ms();
	if (!ok(r == 0, "follow: ctrlogs_read"))
		diag_error("ctrlogs_read", err);
	robbe_error_free(err);
	is_str(sbuf_str(&f.text), "o:line 1\n|o:line 2\n|o:line 3\n|o:line 4\n|o:line 5\n|e:end|",
	       "follow: every line, then the unterminated one at exit");
	ok(done_ms - t0 >= 800 && done_ms - t0 < 5000, "follow: ran as long as the container (%lld ms)",
	   (long long) (done_ms - t0));
	sbuf_release(&f.text);
	ctr_release(&c);
}

struct par {
	struct ctr c;
	int index;
	int create_r, start_r, wait_r, status;
	char *log;
	char *error;
};

static void *par_run(void *data)
{
	struct par *p = data;
	cleanup_free char *script = xasprintf("echo out-%d; echo err-%d >&2; exit %d", p->index, p->index,
					      10 + p->index);
	const char *args[] = { "sh", "-c", script, NULL };
	struct conmon_request req;
	robbe_error *err = NULL;

	ctr_init(&p->c, "par", args, false);
	ctr_request(&p->c, &req);
	p->create_r = ctr_create(&p->c, &req, &err);
	if (p->create_r == 0)
		p->start_r = runtime_start(NULL, p->c.id, &err);
	if (err) {
		p->error = xstrdup(err->msg);
		robbe_error_free(err);
	}
	p->wait_r = wait_exit(&p->c, 30000, &p->status);
	p->log = ctr_log(&p->c);
	return NULL;
}

static void test_parallel(void)
{
	struct par ps[10];
	pthread_t th[10];
	int good = 0;

	for (int i = 0; i < 10; i++) {
		memset(&ps[i], 0, sizeof(ps[i]));
		ps[i].index = i;
		pthread_create(&th[i], NULL, par_run, &ps[i]);
	}
	for (int i = 0; i < 10; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 10; i++) {
		cleanup_free char *want = xasprintf("o:out-%d\n|e:err-%d\n|", i, i);
		bool fine = ps[i].create_r == 0 && ps[i].start_r == 0 && ps[i].wait_r == 0 &&
			    ps[i].status == 10 + i && !strcmp(ps[i].log, want);
		if (!fine)
			printf("# container %d: create %d start %d wait %d status %d log '%s' error '%s'\n", i,
			       ps[i].create_r, ps[i].start_r, ps[i].wait_r, ps[i].status, ps[i].log,
			       ps[i].error ? ps[i].error : "");
		good += fine;
		free(ps[i].log);
		free(ps[i].error);
		ctr_release(&ps[i].c);
	}
	is_int(good, 10, "10 containers in parallel, each with its own exit status and log");
}

/* The process that created and started the container exits; the
 * container runs on under conmon. */
static void test_daemonless(void)
{
	const char *args[] = { "sleep", "1000", NULL };
	struct conmon_request req;
	robbe_error *err = NULL;
	struct ctr c;
	int status = -1, r;
	pid_t child, pid = 0;

	ctr_init(&c, "detach", args, false);
	ctr_request(&c, &req);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		robbe_error *e = NULL;
		_exit(ctr_create(&c, &req, &e) == 0 && runtime_start(NULL, c.id, &e) == 0 ? 0 : 1);
	}
	waitpid(child, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a child created and started the container, then exited");
	is_str(runtime_status_name(ctr_status(&c, &pid)), "running", "the container runs on without its creator");
	{
		cleanup_free char *text = read_small(c.paths.conmon_pidfile);
		pid_t conmon = text ? (pid_t) atoi(text) : 0;
		ok(conmon > 0 && process_alive(conmon), "and so does its conmon");
	}
	r = stop_container(NULL, c.id, pid, SIGTERM, 0, &err);
	ok(r == 0, "stop_container with timeout 0");
	robbe_error_free(err);
	is_int(wait_exit(&c, 5000, &status), 0, "exit file of the detached container");
	is_int(status, 137, "exit status 137");
	ctr_release(&c);
}

/* conmon -t for a spec without a terminal: conmon gives up; nothing stays. */
static void test_tty_mismatch(void)
{
	const char *args[] = { "true", NULL };
	struct conmon_request req;
	struct runtime_state st;
	robbe_error *err = NULL;
	struct ctr c;

	ctr_init(&c, "ttymismatch", args, false);
	ctr_request(&c, &req);
	req.tty = true;
	ok(ctr_create(&c, &req, &err) < 0, "conmon -t with terminal false in the spec fails");
	printf("# %s\n", err ? err->msg : "(no error)");
	robbe_error_free(err);
	err = NULL;
	ok(runtime_state(NULL, c.id, &st, &err) == -ENOENT, "and leaves no container");
	robbe_error_free(err);
	ctr_release(&c);
}

/* conmon killed with SIGKILL while the container runs: what survives. */
static void test_conmon_killed(void)
{
	const char *args[] = { "sh", "-c", "trap 'exit 7' TERM; sleep 1000 & wait", NULL };
	struct conmon_request req;
	robbe_error *err = NULL;
	struct ctr c;
	int status = -100, r;
	pid_t pid = 0;

	ctr_init(&c, "orphan", args, false);
	ctr_request(&c, &req);
	r = ctr_create(&c, &req, &err);
	if (r == 0)
		r = runtime_start(NULL, c.id, &err);
	if (!ok(r == 0, "orphan: created and started"))
		diag_error("orphan", err);
	robbe_error_free(err);
	err = NULL;
	sleep_ms(300);
	kill(c.conmon_pid, SIGKILL);
	ok(process_wait_gone(c.conmon_pid, 5000), "conmon killed");
	sleep_ms(200);
	ok(process_alive(c.pid), "the container keeps running without conmon");
	is_str(runtime_status_name(ctr_status(&c, &pid)), "running", "runc state still says running");
	is_int(pid, c.pid, "with the same pid");

	/* Without conmon nobody waits for the container: its exit code is
	 * lost.  runc state still tells that it stopped. */
	ok(runtime_kill(NULL, c.id, SIGTERM, false, &err) == 0, "SIGTERM through runc");
	robbe_error_free(err);
	err = NULL;
	ok(process_wait_gone(c.pid, 5000), "the container exited");
	{
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d", (int) c.pid);
		cleanup_free char *st = NULL;
		char *pp;

		snprintf(path, sizeof(path), "/proc/%d/status", (int) c.pid);
		st = read_small(path);
		pp = st ? strstr(st, "PPid:") : NULL;
		printf("# the orphaned container process was %s (%.*s)\n", st ? "left a zombie" : "reaped",
		       pp ? (int) strcspn(pp, "\n") : 0, pp ? pp : "");
	}
	is_str(runtime_status_name(ctr_status(&c, NULL)), "stopped", "runc state: stopped");
	is_int(wait_exit(&c, 1000, &status), -ENOENT, "no exit file: the exit code is not recoverable");
	ctr_release(&c);
}

static void test_argv(void)
{
	struct runtime_paths p;
	struct conmon_request req;
	char *cmd[] = { "/usr/bin/robbe", "container", "cleanup", "abc", NULL };
	cleanup_strv char **argv = NULL;
	struct sbuf sb = SBUF_INIT;

	runtime_paths_default(&p, "/R", "/RR", "abc");
	memset(&req, 0, sizeof(req));
	req.id = "abc";
	req.name = "web";
	req.paths = p;
	req.tty = true;
	req.stdin_open = true;
	req.log_size_max = 1000;
	req.exit_command = cmd;
	req.log_level = "debug";
	argv = conmon_argv(&req, "/usr/bin/conmon", "/usr/sbin/runc");
	for (size_t i = 0; argv[i]; i++)
		sbuf_addf(&sb, "%s%s", i ? " " : "", argv[i]);
	is_str(sbuf_str(&sb),
	       "/usr/bin/conmon --api-version 1 -c abc -u abc -r /usr/sbin/runc -b /R/containers/abc/userdata "
	       "-p /RR/containers/abc/pidfile -n web --exit-dir /RR/exits --persist-dir /RR/persist/abc "
	       "--full-attach -l k8s-file:/R/containers/abc/userdata/ctr.log --log-level debug "
	       "--log-size-max 1000 --runtime-arg=--log-format=json "
	       "--runtime-arg=--log=/RR/containers/abc/oci-log -t --conmon-pidfile /RR/containers/abc/conmon.pid "
	       "--exit-command /usr/bin/robbe --exit-command-arg container --exit-command-arg cleanup "
	       "--exit-command-arg abc",
	       "conmon argv");
	sbuf_release(&sb);
	runtime_paths_release(&p);
}

int main(int argc, char **argv)
{
	robbe_error *err = NULL;

	if (argc != 4) {
		fprintf(stderr, "usage: runtime-driver WORKDIR BASE-CONFIG ID-PREFIX\n");
		return 2;
	}
	workdir = argv[1];
	base_config = argv[2];
	prefix = argv[3];
	root = xasprintf("%s/root", workdir);
	runroot = xasprintf("%s/run", workdir);
	exit_script = xasprintf("%s/exit-command.sh", workdir);
	{
		/* The exit command: writes its arguments after the first (the
		 * output file), one per line, then renames into place. */
		static const char script[] = "#!/bin/sh\n"
					     "out=$1\n"
					     "shift\n"
					     "printf '%s\\n' \"$@\" >\"$out.tmp\" && mv \"$out.tmp\" \"$out\"\n";
		if (write_file_atomic(exit_script, script, sizeof(script) - 1, 0755, &err) < 0) {
			printf("Bail out! %s\n", err->msg);
			return 1;
		}
	}
	/* Like robbe's main: a closed reader must not kill us. */
	signal(SIGPIPE, SIG_IGN);

	test_argv();
	test_exit_status_and_logs();
	test_create_errors();
	test_long_running();
	test_stop();
	test_tty();
	test_follow();
	test_log_none();
	test_parallel();
	test_daemonless();
	test_tty_mismatch();
	test_conmon_killed();
	return tap_done();
}
