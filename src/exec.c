/* exec.c: `docker exec` through `runc exec` (see exec.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cJSON.h"
#include "exec.h"
#include "runtime.h"
#include "spec-internal.h"
#include "spec.h"

/* ---- the process object ------------------------------------------------ */

static cJSON *strv_to_json(char *const *v)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; v && v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

/* Lay entry ("K=V", or "K" to remove K) over env. */
static void env_set(char ***env, const char *entry)
{
	const char *eq = strchr(entry, '=');
	size_t klen = eq ? (size_t) (eq - entry) : strlen(entry);
	char **v = *env;
	size_t n = strv_len(v), w = 0;

	for (size_t i = 0; i < n; i++) {
		if (!strncmp(v[i], entry, klen) && (v[i][klen] == '=' || v[i][klen] == '\0')) {
			free(v[i]);
			continue;
		}
		v[w++] = v[i];
	}
	if (v)
		v[w] = NULL;
	if (eq)
		strv_push(env, entry);
}

static bool env_has(char *const *env, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; env && env[i]; i++)
		if (!strncmp(env[i], key, klen) && env[i][klen] == '=')
			return true;
	return false;
}

static void replace_item(cJSON *obj, const char *key, cJSON *value)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, value);
	else
		cJSON_AddItemToObject(obj, key, value);
}

int exec_process_spec(const cJSON *container_process, const char *rootfs, const struct exec_request *req,
		      cJSON **out, robbe_error **err)
{
	cleanup_cjson cJSON *p = NULL;
	cleanup_strv char **env = NULL;
	const cJSON *item;

	p = container_process ? cJSON_Duplicate(container_process, true) : cJSON_CreateObject();
	if (!p)
		return robbe_error_set(err, 0, "copying the container's process");
	cJSON_DeleteItemFromObjectCaseSensitive(p, "consoleSize");
	replace_item(p, "args", strv_to_json(req->argv));

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(p, "env"))
		if (cJSON_IsString(item))
			strv_push(&env, item->valuestring);
	for (size_t i = 0; req->env && req->env[i]; i++)
		env_set(&env, req->env[i]);
	if (req->tty && !env_has(env, "TERM"))
		strv_push(&env, "TERM=xterm");
	replace_item(p, "env", strv_to_json(env));
	replace_item(p, "terminal", cJSON_CreateBool(req->tty));

	if (req->workdir && *req->workdir)
		replace_item(p, "cwd", cJSON_CreateString(req->workdir));

	if (req->user && *req->user) {
		struct spec_user u = { 0 };
		cJSON *user;

		if (spec_user_resolve(rootfs, req->user, NULL, &u, err) < 0)
			return -1;
		user = cJSON_CreateObject();
		cJSON_AddItemToObject(user, "uid", json_u64(u.uid));
		cJSON_AddItemToObject(user, "gid", json_u64(u.gid));
		if (u.n_gids) {
			cJSON *gids = cJSON_CreateArray();
			for (size_t i = 0; i < u.n_gids; i++)
				cJSON_AddItemToArray(gids, json_u64(u.gids[i]));
			cJSON_AddItemToObject(user, "additionalGids", gids);
		}
		replace_item(p, "user", user);
		spec_user_release(&u);
	}

	if (req->privileged) {
		cleanup_strv char **known = NULL;
		cleanup_strv char **available = NULL;
		cJSON *caps = cJSON_CreateObject();
		static const char *const sets[] = { "bounding", "effective", "permitted" };

		caps_host(&known, &available);
		for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
			cJSON_AddItemToObject(caps, sets[i], strv_to_json(available));
		replace_item(p, "capabilities", caps);
	}
	*out = steal_pointer(&p);
	return 0;
}

/* ---- running it ---------------------------------------------------------- */

/* The runc child, for the signal relay. */
static volatile sig_atomic_t exec_child;

static void relay_signal(int sig)
{
	pid_t pid = exec_child;

	if (pid > 0)
		kill(pid, sig);
}

static const int relayed_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

static void relay_install(pid_t pid, struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = relay_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	exec_child = pid;
	for (size_t i = 0; i < sizeof(relayed_signals) / sizeof(relayed_signals[0]); i++)
		sigaction(relayed_signals[i], &sa, &old[i]);
}

static void relay_remove(const struct sigaction *old)
{
	for (size_t i = 0; i < sizeof(relayed_signals) / sizeof(relayed_signals[0]); i++)
		sigaction(relayed_signals[i], &old[i], NULL);
	exec_child = 0;
}

static void write_fully(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t) n;
	}
}

static bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Relay runc's stderr (which is also the process's, without a terminal)
 * to ours until runc exits.  Until runc wrote its pid file the process may
 * not have started, so what arrives is held back in *pending: if the
 * process never starts, it is runc's complaint, not the process's output. */
static int relay_until_exit(pid_t pid, int err_r, const char *pidfile, struct sbuf *pending, int *wstatus)
{
	bool started = false, eof = false;
	char buf[16384];

	for (;;) {
		pid_t r = waitpid(pid, wstatus, WNOHANG);
		bool exited = r == pid;
		struct pollfd pf = { err_r, POLLIN, 0 };

		if (r < 0 && errno != EINTR)
			return -errno;
		if (!started && path_exists(pidfile))
			started = true;
		if (started && pending->len) {
			write_fully(STDERR_FILENO, pending->buf, pending->len);
			sbuf_reset(pending);
		}
		if (exited) {
			/* Take what is there now, without waiting for
			 * background children that still hold the pipe. */
			int fl = fcntl(err_r, F_GETFL);
			if (fl >= 0)
				fcntl(err_r, F_SETFL, fl | O_NONBLOCK);
			while (!eof) {
				ssize_t n = read(err_r, buf, sizeof(buf));
				if (n <= 0)
					break;
				if (started || path_exists(pidfile)) {
					started = true;
					write_fully(STDERR_FILENO, buf, (size_t) n);
				} else {
					sbuf_add(pending, buf, (size_t) n);
				}
			}
			if (started && pending->len) {
				write_fully(STDERR_FILENO, pending->buf, pending->len);
				sbuf_reset(pending);
			}
			return 0;
		}
		if (eof) {
			/* Nobody writes any more: just wait for runc. */
			if (waitpid(pid, wstatus, 0) == pid)
				exited = true;
			else if (errno != EINTR)
				return -errno;
			if (exited) {
				if (!started && path_exists(pidfile))
					started = true;
				if (started && pending->len) {
					write_fully(STDERR_FILENO, pending->buf, pending->len);
					sbuf_reset(pending);
				}
				return 0;
			}
			continue;
		}
		if (poll(&pf, 1, 50) <= 0)
			continue;
		{
			ssize_t n = read(err_r, buf, sizeof(buf));
			if (n < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				eof = true;
				continue;
			}
			if (n == 0) {
				eof = true;
				continue;
			}
			if (!started && path_exists(pidfile))
				started = true;
			if (started)
				write_fully(STDERR_FILENO, buf, (size_t) n);
			else
				sbuf_add(pending, buf, (size_t) n);
		}
	}
}

/* The error of a process that did not start, from runc's log. */
static int start_failure(const char *logfile, const struct sbuf *stderr_text, robbe_error **err)
{
	cleanup_free char *log = NULL;
	cleanup_free char *msg = NULL;
	cleanup_error robbe_error *e = NULL;
	int status;

	if (read_file_all(logfile, 1024 * 1024, &log, NULL, &e) == 0)
		msg = runtime_error_text(log);
	if (!msg)
		msg = runtime_error_text(sbuf_str(stderr_text));
	if (!msg)
		msg = xstrdup("exec failed");
	status = strstr(msg, "executable file not found") || strstr(msg, "no such file or directory") ? 127 : 126;
	return robbe_error_set(err, status, "OCI runtime exec failed: %s: unknown", msg);
}

/* A private directory for one exec session's files. */
static int session_dir(const struct container_env *env, const char *id, char **out, robbe_error **err)
{
	cleanup_free char *parent = xasprintf("%s/exec", env->paths->runroot);
	char *tmpl;

	if (mkdir_p(parent, 0700, err) < 0)
		return -1;
	tmpl = xasprintf("%s/%.12s-XXXXXX", parent, id);
	if (!mkdtemp(tmpl)) {
		int errnum = errno;
		free(tmpl);
		return robbe_error_errno(err, errnum, "creating the exec session directory");
	}
	*out = tmpl;
	return 0;
}

static void session_remove(const char *dir, const char *const *files)
{
	for (size_t i = 0; files[i]; i++)
		unlink(files[i]);
	rmdir(dir);
}

int exec_run(struct container_env *env, const struct store_container *c, const struct exec_request *req,
	     int *status, robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	cleanup_cjson cJSON *bundle_spec = NULL;
	cleanup_cjson cJSON *process = NULL;
	cleanup_free char *spec_text = NULL, *bundle_config = NULL, *runtime = NULL, *runtime_path = NULL;
	cleanup_free char *dir = NULL, *spec_path = NULL, *pidfile = NULL, *logfile = NULL;
	cleanup_free char *out_text = NULL;
	cleanup_strv char **argv = NULL;
	cleanup_strv char **envp = NULL;
	cleanup_close int err_r = -1, err_w = -1;
	cleanup_sbuf struct sbuf pending = SBUF_INIT;
	struct runtime_paths rp = { 0 };
	struct sigaction old[sizeof(relayed_signals) / sizeof(relayed_signals[0])];
	const char *rootfs = container_config_str(config, "Robbe", "Rootfs");
	int wstatus = 0, rc, fds[3], pfd[2];
	pid_t pid;

	*status = 0;
	if (c->state == STORE_STATE_PAUSED)
		return robbe_error_set(err, EXIT_GENERAL, "Container %s is paused, unpause the container before exec",
				       c->id);
	if (c->state == STORE_STATE_RESTARTING)
		return robbe_error_set(err, EXIT_GENERAL, "Container %s is restarting, wait until the container is running",
				       c->id);
	if (c->state != STORE_STATE_RUNNING)
		return robbe_error_set(err, EXIT_GENERAL, "container %s is not running", c->id);
	if (!req->argv || !req->argv[0])
		return robbe_error_set(err, EXIT_GENERAL, "No exec command specified");

	container_runtime_paths(env, c, &rp);
	bundle_config = xasprintf("%s/config.json", rp.bundle);
	runtime_paths_release(&rp);
	if (read_file_all(bundle_config, 64 * 1024 * 1024, &spec_text, NULL, err) < 0)
		return robbe_error_wrap(err, "reading the container's runtime configuration");
	bundle_spec = cJSON_Parse(spec_text);
	if (!bundle_spec)
		return robbe_error_set(err, EXIT_GENERAL, "%s: not valid JSON", bundle_config);
	/* Nobody would read a detached process's terminal, and runc wants a
	 * console socket for one: -d -t runs it without. */
	struct exec_request eff = *req;
	if (eff.detach)
		eff.tty = false;
	if (exec_process_spec(cJSON_GetObjectItemCaseSensitive(bundle_spec, "process"), rootfs ? rootfs : "/", &eff,
			      &process, err) < 0) {
		/* Docker's runtime finds the user when the process starts,
		 * and the failure reads as a process that could not start. */
		(*err)->status = 126;
		return -1;
	}

	runtime = container_runtime(c);
	if (runtime_find(runtime, &runtime_path, err) < 0)
		return robbe_error_wrap(err, "OCI runtime");
	if (session_dir(env, c->id, &dir, err) < 0)
		return -1;
	spec_path = xasprintf("%s/process.json", dir);
	pidfile = xasprintf("%s/pid", dir);
	logfile = xasprintf("%s/runtime.log", dir);
	const char *const files[] = { spec_path, pidfile, logfile, NULL };
	out_text = cJSON_PrintUnformatted(process);
	if (write_file_atomic(spec_path, out_text, strlen(out_text), 0600, err) < 0) {
		session_remove(dir, files);
		return -1;
	}

	strv_push(&argv, runtime_path);
	strv_push(&argv, "--log");
	strv_push(&argv, logfile);
	strv_push(&argv, "--log-format=json");
	strv_push(&argv, "exec");
	if (req->detach)
		strv_push(&argv, "--detach");
	strv_push(&argv, "--pid-file");
	strv_push(&argv, pidfile);
	strv_push(&argv, "--process");
	strv_push(&argv, spec_path);
	strv_push(&argv, c->id);
	envp = runtime_environ(NULL, NULL);

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		rc = robbe_error_errno(err, errno, "pipe");
		session_remove(dir, files);
		return rc;
	}
	err_r = pfd[0];
	err_w = pfd[1];
	if (req->detach) {
		/* The process keeps runc's descriptors: give it none of ours. */
		fds[0] = fds[1] = fds[2] = -1;
	} else {
		/* runc wants a terminal on its stdin for -t, even without -i. */
		fds[0] = req->interactive || (req->tty && isatty(STDIN_FILENO)) ? STDIN_FILENO : -1;
		if (req->tty && fds[0] < 0 && isatty(STDOUT_FILENO))
			fds[0] = STDOUT_FILENO;
		fds[1] = STDOUT_FILENO;
		fds[2] = err_w;
	}
	if (spawn_process(argv, envp, fds, 3, false, &pid, err) < 0) {
		session_remove(dir, files);
		return -1;
	}
	close(steal_fd(&err_w));

	relay_install(pid, old);
	if (req->detach) {
		while ((rc = (int) waitpid(pid, &wstatus, 0)) < 0 && errno == EINTR)
			;
		rc = rc < 0 ? -errno : 0;
	} else {
		rc = relay_until_exit(pid, err_r, pidfile, &pending, &wstatus);
	}
	relay_remove(old);
	if (rc < 0) {
		session_remove(dir, files);
		return robbe_error_errno(err, -rc, "waiting for the OCI runtime");
	}

	if (!path_exists(pidfile)) {
		rc = start_failure(logfile, &pending, err);
		session_remove(dir, files);
		return rc;
	}
	session_remove(dir, files);
	if (req->detach)
		*status = 0;
	else if (WIFEXITED(wstatus))
		*status = WEXITSTATUS(wstatus);
	else if (WIFSIGNALED(wstatus))
		*status = 128 + WTERMSIG(wstatus);
	else
		*status = 1;
	return 0;
}
