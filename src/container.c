/* container.c: the container engine's environment, looking containers up,
 * syncing their state with what conmon and the runtime left behind, and
 * the small verbs (kill, pause, unpause, rename, wait, remove). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>

#include "container-internal.h"
#include "network.h"
#include "volume.h"
#include "store/layers.h"

int container_env_open(struct store *s, const struct robbe_paths *paths, struct container_env **out,
		       robbe_error **err)
{
	struct container_env *env;

	(void) err;
	env = xcalloc(1, sizeof(*env));
	env->store = s;
	env->paths = paths;
	*out = env;
	return 0;
}

void container_env_free(struct container_env *env)
{
	if (!env)
		return;
	image_env_free(env->image);
	free(env);
}

int container_env_image(struct container_env *env, struct image_env **out, robbe_error **err)
{
	if (!env->image && image_env_open(env->store, env->paths, &env->image, err) < 0)
		return -1;
	*out = env->image;
	return 0;
}

int64_t container_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

char *container_format_time(int64_t ns)
{
	struct tm tm;
	time_t secs;
	char buf[64];
	int64_t frac;
	size_t n;

	if (ns <= 0)
		return xstrdup("0001-01-01T00:00:00Z");
	secs = (time_t) (ns / 1000000000);
	frac = ns % 1000000000;
	gmtime_r(&secs, &tm);
	n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	if (frac) {
		/* RFC3339Nano drops trailing zeros of the fraction. */
		char digits[16];
		int len = snprintf(digits, sizeof(digits), "%09lld", (long long) frac);
		while (len > 0 && digits[len - 1] == '0')
			digits[--len] = '\0';
		snprintf(buf + n, sizeof(buf) - n, ".%sZ", digits);
	} else {
		snprintf(buf + n, sizeof(buf) - n, "Z");
	}
	return xstrdup(buf);
}

const char *container_status_word(enum store_state st)
{
	return store_state_name(st);
}

/* ---- JSON columns ----------------------------------------------------- */

cJSON *container_config(const struct store_container *c)
{
	return json_object_parse(c->config_json);
}

cJSON *container_state_extra(const struct store_container *c)
{
	return json_object_parse(c->state_json);
}

const char *container_config_str(const cJSON *config, const char *section, const char *key)
{
	const cJSON *o = section ? cJSON_GetObjectItemCaseSensitive(config, section) : config;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void ctr_state_set(struct store_container *c, const char *key, cJSON *value)
{
	cleanup_cjson cJSON *st = container_state_extra(c);

	cJSON_DeleteItemFromObjectCaseSensitive(st, key);
	cJSON_AddItemToObject(st, key, value);
	free(c->state_json);
	c->state_json = cJSON_PrintUnformatted(st);
	if (!c->state_json)
		die_oom();
}

bool ctr_state_bool(const struct store_container *c, const char *key)
{
	cleanup_cjson cJSON *st = container_state_extra(c);

	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, key));
}

void ctr_state_set_error(struct store_container *c, const char *msg)
{
	ctr_state_set(c, "Error", cJSON_CreateString(msg ? msg : ""));
}

static void add_time(cJSON *o, const char *key, int64_t ns)
{
	cleanup_free char *t = container_format_time(ns);

	cJSON_AddStringToObject(o, key, t);
}

cJSON *container_state_json(const struct store_container *c)
{
	cleanup_cjson cJSON *extra = container_state_extra(c);
	cJSON *o = cJSON_CreateObject();
	const cJSON *v;

	cJSON_AddStringToObject(o, "Status", container_status_word(c->state));
	cJSON_AddBoolToObject(o, "Running", container_is_active(c));
	cJSON_AddBoolToObject(o, "Paused", c->state == STORE_STATE_PAUSED);
	cJSON_AddBoolToObject(o, "Restarting", c->state == STORE_STATE_RESTARTING);
	cJSON_AddBoolToObject(o, "OOMKilled", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(extra, "OOMKilled")));
	cJSON_AddBoolToObject(o, "Dead", c->state == STORE_STATE_DEAD);
	cJSON_AddNumberToObject(o, "Pid", container_is_active(c) ? c->pid : 0);
	cJSON_AddNumberToObject(o, "ExitCode", c->exit_code);
	v = cJSON_GetObjectItemCaseSensitive(extra, "Error");
	cJSON_AddStringToObject(o, "Error", cJSON_IsString(v) ? v->valuestring : "");
	add_time(o, "StartedAt", c->started_at);
	add_time(o, "FinishedAt", c->finished_at);
	v = cJSON_GetObjectItemCaseSensitive(extra, "Health");
	if (cJSON_IsObject(v))
		cJSON_AddItemToObject(o, "Health", cJSON_Duplicate(v, true));
	return o;
}

/* ---- paths ------------------------------------------------------------ */

char *ctr_dir(const struct container_env *env, const char *id)
{
	return xasprintf("%s/containers/%s", env->paths->root, id);
}

char *ctr_run_dir(const struct container_env *env, const char *id)
{
	return xasprintf("%s/containers/%s", env->paths->runroot, id);
}

void container_runtime_paths(const struct container_env *env, const struct store_container *c,
			     struct runtime_paths *p)
{
	cleanup_cjson cJSON *config = container_config(c);
	const char *driver = container_config_str(config, "Robbe", "LogDriver");

	runtime_paths_default(p, env->paths->root, env->paths->runroot, c->id);
	if (driver && strcmp(driver, "k8s-file")) {
		free(p->log_path);
		p->log_path = NULL;
	}
}

char *container_runtime(const struct store_container *c)
{
	cleanup_cjson cJSON *config = container_config(c);
	const char *rt = container_config_str(config, "Robbe", "Runtime");

	return xstrdup(rt && *rt ? rt : "runc");
}

/* ---- locking and the state row ----------------------------------------- */

int ctr_lock(const struct container_env *env, const char *id, int *fd, robbe_error **err)
{
	cleanup_free char *dir = xasprintf("%s/containers", env->paths->runroot);
	cleanup_free char *path = xasprintf("%s/%s.lock", dir, id);
	int f;

	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (f < 0 && errno == ENOENT) {
		if (mkdir_p(dir, 0700, err) < 0)
			return -1;
		f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	}
	if (f < 0)
		return robbe_error_errno(err, errno, "open %s", path);
	while (flock(f, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int e = errno;
			close(f);
			return robbe_error_errno(err, e, "lock %s", path);
		}
	}
	*fd = f;
	return 0;
}

static bool is_container_id(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 64;
}

int container_sweep_orphans(struct container_env *env)
{
	cleanup_free char *dir = xasprintf("%s/containers", env->paths->root);
	DIR *d = opendir(dir);
	struct dirent *de;
	int swept = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		cleanup_store_container struct store_container *c = NULL;
		cleanup_error robbe_error *e = NULL;
		cleanup_close int lock = -1;

		if (!is_container_id(de->d_name))
			continue;
		if (store_container_get(env->store, de->d_name, &c, &e) == 0 || !store_error_is(e, STORE_ENOTFOUND))
			continue;
		/* A create or rm of it still under way holds its lock; once we
		 * have it, the record's absence is final. */
		robbe_error_free(steal_pointer(&e));
		if (ctr_lock(env, de->d_name, &lock, &e) < 0)
			continue;
		if (store_container_get(env->store, de->d_name, &c, &e) == 0 || !store_error_is(e, STORE_ENOTFOUND))
			continue;
		if (faccessat(dirfd(d), de->d_name, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
			continue;	/* an rm finished it meanwhile */
		network_teardown_by_id(env, de->d_name);
		ctr_remove_files(env, de->d_name);
		ctr_unlink_lock(env, de->d_name);
		swept++;
	}
	closedir(d);
	return swept;
}

void ctr_unlink_lock(const struct container_env *env, const char *id)
{
	cleanup_free char *path = xasprintf("%s/containers/%s.lock", env->paths->runroot, id);

	unlink(path);
}

int ctr_reload(const struct container_env *env, struct store_container *c, robbe_error **err)
{
	cleanup_store_container struct store_container *fresh = NULL;
	cleanup_error robbe_error *e = NULL;
	struct store_container tmp;

	if (store_container_get(env->store, c->id, &fresh, &e) < 0) {
		if (store_error_is(e, STORE_ENOTFOUND))
			return -ENOENT;
		*err = steal_pointer(&e);
		return -1;
	}
	/* Swap the contents so the caller's pointer stays valid. */
	tmp = *c;
	*c = *fresh;
	*fresh = tmp;
	return 0;
}

int ctr_save_state(const struct container_env *env, struct store_container *c, robbe_error **err)
{
	return store_container_update_state(env->store, c, err);
}

void ctr_mark_exited(struct store_container *c, int code, int64_t finished, const char *source)
{
	c->state = STORE_STATE_EXITED;
	c->exit_code = code;
	c->pid = 0;
	c->conmon_pid = 0;
	c->finished_at = finished > 0 ? finished : container_now_ns();
	ctr_state_set(c, "ExitCodeSource", cJSON_CreateString(source));
}

/* ---- sync ------------------------------------------------------------- */

/* Is pid a live conmon?  A recycled pid running something else is not. */
bool ctr_conmon_alive(pid_t pid)
{
	char path[64];
	cleanup_free char *comm = NULL;
	cleanup_error robbe_error *e = NULL;

	if (pid <= 0 || !process_alive(pid))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int) pid);
	if (read_file_all(path, 256, &comm, NULL, &e) < 0)
		return true;
	return str_has_prefix(comm, "conmon");
}

bool ctr_kill_unrecorded_conmon(const struct container_env *env, const struct store_container *c)
{
	__attribute__((cleanup(runtime_paths_release))) struct runtime_paths p = { 0 };
	cleanup_free char *text = NULL;
	cleanup_error robbe_error *e = NULL;
	long pid;

	if (container_is_active(c))
		return false;
	container_runtime_paths(env, c, &p);
	if (read_file_all(p.conmon_pidfile, 64, &text, NULL, &e) < 0)
		return false;
	pid = strtol(text, NULL, 10);
	if (pid <= 1 || pid > INT_MAX || !ctr_conmon_alive((pid_t) pid))
		return false;
	/* The record's own conmon, finishing after its container's exit. */
	if (c->state != STORE_STATE_CREATED && (pid_t) pid == c->conmon_pid)
		return false;
	kill((pid_t) pid, SIGKILL);
	process_wait_gone((pid_t) pid, 2000);
	return true;
}

static int read_exit_file(const struct container_env *env, const struct store_container *c, int *code,
			  int64_t *when, robbe_error **err)
{
	cleanup_free char *exit_dir = xasprintf("%s/exits", env->paths->runroot);
	int r = exit_file_read(exit_dir, c->id, code, when, err);

	/* An exit file older than this run belongs to the previous one. */
	if (r == 0 && c->started_at > 0 && *when > 0 && *when + 1000000000 < c->started_at)
		return -ENOENT;
	return r;
}

static void note_oom(const struct container_env *env, struct store_container *c)
{
	cleanup_free char *oom = xasprintf("%s/persist/%s/oom", env->paths->runroot, c->id);

	if (access(oom, F_OK) == 0)
		ctr_state_set(c, "OOMKilled", cJSON_CreateBool(true));
}

int ctr_sync_locked(struct container_env *env, struct store_container *c, bool wait_lost, robbe_error **err)
{
	cleanup_error robbe_error *e = NULL;
	int64_t when = 0;
	int code = 0, r;

	if (c->state == STORE_STATE_RESTARTING) {
		cleanup_cjson cJSON *st = container_state_extra(c);
		const cJSON *pid = cJSON_GetObjectItemCaseSensitive(st, "RestartPid");

		/* The cleanup process that was to restart it is gone. */
		if (cJSON_IsNumber(pid) && !process_alive((pid_t) pid->valuedouble)) {
			c->state = STORE_STATE_EXITED;
			return ctr_save_state(env, c, err);
		}
		return 0;
	}
	if (!container_is_active(c))
		return 0;

	r = read_exit_file(env, c, &code, &when, &e);
	if (r < 0 && r != -ENOENT) {
		*err = steal_pointer(&e);
		return -1;
	}
	if (r == 0) {
		ctr_mark_exited(c, code, when, "exitfile");
		note_oom(env, c);
		if (store_exit_code_record(env->store, c->id, code, err) < 0)
			return -1;
		return ctr_save_state(env, c, err);
	}
	if (ctr_conmon_alive(c->conmon_pid))
		return 0;

	/* conmon is gone without an exit file: it was killed.  The container
	 * may still run on its own. */
	{
		cleanup_free char *runtime = container_runtime(c);
		struct runtime_state st = { 0 };
		cleanup_error robbe_error *se = NULL;

		if (runtime_state(runtime, c->id, &st, &se) == 0 &&
		    (st.status == RUNTIME_RUNNING || st.status == RUNTIME_PAUSED) && process_alive(st.pid)) {
			runtime_state_release(&st);
			return 0;
		}
		runtime_state_release(&st);
	}
	if (!wait_lost)
		return 0;
	{
		cleanup_free char *exit_dir = xasprintf("%s/exits", env->paths->runroot);
		r = exit_file_wait(exit_dir, c->id, CTR_EXIT_FILE_GRACE_MS, &code, &when, &e);
	}
	if (r == 0) {
		ctr_mark_exited(c, code, when, "exitfile");
		if (store_exit_code_record(env->store, c->id, code, err) < 0)
			return -1;
		return ctr_save_state(env, c, err);
	}
	return ctr_mark_lost(env, c, err);
}

int ctr_mark_lost(struct container_env *env, struct store_container *c, robbe_error **err)
{
	ctr_mark_exited(c, -1, 0, "lost");
	ctr_state_set_error(c, CTR_LOST_EXIT_ERROR);
	/* No conmon will run the cleanup: release the mount and the
	 * runtime's state here. */
	ctr_release(env, c);
	ctr_state_set(c, "CleanedUp", cJSON_CreateBool(true));
	if (store_exit_code_record(env->store, c->id, -1, err) < 0)
		return -1;
	return ctr_save_state(env, c, err);
}

/* Does c need a look under the lock?  Only active containers whose exit
 * file appeared or whose conmon vanished, and restarts whose process died. */
static bool needs_sync(const struct container_env *env, const struct store_container *c)
{
	cleanup_free char *exit_file = NULL;
	struct stat st;

	if (c->state == STORE_STATE_RESTARTING)
		return true;
	if (!container_is_active(c))
		return false;
	exit_file = xasprintf("%s/exits/%s", env->paths->runroot, c->id);
	if (stat(exit_file, &st) == 0)
		return true;
	return !ctr_conmon_alive(c->conmon_pid);
}

int container_sync(struct container_env *env, struct store_container *c, robbe_error **err)
{
	cleanup_close int lock = -1;
	int r;

	if (!needs_sync(env, c))
		return 0;
	if (ctr_lock(env, c->id, &lock, err) < 0)
		return -1;
	r = ctr_reload(env, c, err);
	if (r == -ENOENT)
		return 0;	/* removed meanwhile: the caller's copy stays as it was */
	if (r < 0)
		return -1;
	return ctr_sync_locked(env, c, true, err);
}

int container_list(struct container_env *env, struct store_container ***out, robbe_error **err)
{
	struct store_container **v = NULL;

	if (store_container_list(env->store, &v, err) < 0)
		return -1;
	for (size_t i = 0; v[i]; i++) {
		cleanup_error robbe_error *e = NULL;

		/* One broken container must not hide the others. */
		if (container_sync(env, v[i], &e) < 0)
			robbe_error_warn(&e);
	}
	*out = v;
	return 0;
}

int container_lookup(struct container_env *env, const char *user_ref, struct store_container **out,
		     robbe_error **err)
{
	cleanup_store_container struct store_container *c = NULL;
	cleanup_error robbe_error *e = NULL;

	if (!*user_ref)
		return robbe_error_set(err, EXIT_GENERAL, "No such container: %s", user_ref);
	if (store_container_lookup(env->store, user_ref, &c, &e) < 0) {
		if (store_error_is(e, STORE_ENOTFOUND)) {
			robbe_error_set(err, EXIT_GENERAL, "No such container: %s", user_ref);
			(*err)->errnum = ENOENT;
			return -1;
		}
		if (store_error_is(e, STORE_EAMBIGUOUS)) {
			robbe_error_set(err, EXIT_GENERAL, "multiple IDs found with provided prefix: %s", user_ref);
			(*err)->errnum = ENOTUNIQ;
			return -1;
		}
		*err = steal_pointer(&e);
		return -1;
	}
	if (container_sync(env, c, err) < 0)
		return -1;
	*out = steal_pointer(&c);
	return 0;
}

/* ---- kill, pause, unpause ---------------------------------------------- */

static int not_running(const struct store_container *c, robbe_error **err)
{
	robbe_error_set(err, EXIT_GENERAL, "container %s is not running", c->id);
	(*err)->errnum = ESRCH;
	return -1;
}

/* Take the container's lock and bring *c up to date under it: every state
 * change starts from what is true now, not from what the caller read. */
static int lock_and_sync(struct container_env *env, struct store_container *c, int *lock, robbe_error **err)
{
	int r;

	if (ctr_lock(env, c->id, lock, err) < 0)
		return -1;
	if ((r = ctr_reload(env, c, err)) < 0)
		return r == -ENOENT ? robbe_error_set(err, EXIT_GENERAL, "No such container: %s", c->id) : -1;
	return ctr_sync_locked(env, c, false, err);
}

int container_kill(struct container_env *env, struct store_container *c, int sig, robbe_error **err)
{
	cleanup_close int lock = -1;
	cleanup_free char *runtime = NULL;
	int r;

	if (lock_and_sync(env, c, &lock, err) < 0)
		return -1;
	if (!container_is_active(c))
		return not_running(c, err);
	runtime = container_runtime(c);
	/* As Docker: SIGKILL and the stop signal end the container for good
	 * (its restart policy waits for the next start); other signals leave
	 * the policy in place. */
	if (sig == SIGKILL || sig == ctr_stop_signal(c)) {
		ctr_state_set(c, "StoppedByUser", cJSON_CreateBool(true));
		if (ctr_save_state(env, c, err) < 0)
			return -1;
	}
	r = runtime_kill(runtime, c->id, sig, false, err);
	if (r == -ESRCH || r == -ENOENT) {
		robbe_error_free(*err);
		*err = NULL;
		return not_running(c, err);
	}
	if (r < 0)
		return -1;
	/* A paused container gets the signal when it is thawed; SIGKILL must
	 * work at once, as Docker's does. */
	if (c->state == STORE_STATE_PAUSED && sig == SIGKILL) {
		cleanup_error robbe_error *e = NULL;
		runtime_resume(runtime, c->id, &e);
	}
	return 0;
}

int container_pause(struct container_env *env, struct store_container *c, robbe_error **err)
{
	cleanup_close int lock = -1;
	cleanup_free char *runtime = NULL;

	if (lock_and_sync(env, c, &lock, err) < 0)
		return -1;
	if (c->state == STORE_STATE_PAUSED)
		return robbe_error_set(err, EXIT_GENERAL, "Container %s is already paused", c->id);
	if (c->state != STORE_STATE_RUNNING)
		return not_running(c, err);
	runtime = container_runtime(c);
	if (runtime_pause(runtime, c->id, err) < 0)
		return -1;
	c->state = STORE_STATE_PAUSED;
	return ctr_save_state(env, c, err);
}

int container_unpause(struct container_env *env, struct store_container *c, robbe_error **err)
{
	cleanup_close int lock = -1;
	cleanup_free char *runtime = NULL;

	if (lock_and_sync(env, c, &lock, err) < 0)
		return -1;
	if (c->state != STORE_STATE_PAUSED)
		return robbe_error_set(err, EXIT_GENERAL, "Container %s is not paused", c->id);
	runtime = container_runtime(c);
	if (runtime_resume(runtime, c->id, err) < 0)
		return -1;
	c->state = STORE_STATE_RUNNING;
	return ctr_save_state(env, c, err);
}

/* ---- wait ------------------------------------------------------------- */

int container_wait(struct container_env *env, const char *id, int timeout_ms, int *exit_code, robbe_error **err)
{
	int64_t deadline = timeout_ms < 0 ? INT64_MAX : container_now_ns() / 1000000 + timeout_ms;
	int64_t first_started = -1;

	for (;;) {
		cleanup_store_container struct store_container *c = NULL;
		cleanup_error robbe_error *e = NULL;
		int code;

		if (store_container_get(env->store, id, &c, &e) < 0) {
			if (!store_error_is(e, STORE_ENOTFOUND)) {
				*err = steal_pointer(&e);
				return -1;
			}
			/* Removed (--rm): its code outlives it. */
			robbe_error_free(steal_pointer(&e));
			if (store_exit_code_get(env->store, id, exit_code, NULL, &e) == 0)
				return 0;
			return robbe_error_set(err, EXIT_GENERAL, "No such container: %s", id);
		}
		if (container_sync(env, c, err) < 0)
			return -1;
		if (first_started < 0)
			first_started = c->started_at;
		if (c->state == STORE_STATE_EXITED || c->state == STORE_STATE_DEAD) {
			*exit_code = c->exit_code;
			return 0;
		}
		/* Restarted (by a policy) since we began: that was an exit. */
		if (container_is_active(c) && c->started_at != first_started && first_started > 0) {
			if (store_exit_code_get(env->store, id, exit_code, NULL, &e) == 0)
				return 0;
		}
		if (container_now_ns() / 1000000 >= deadline)
			return robbe_error_set(err, EXIT_GENERAL, "timed out waiting for container %s", id);
		if (container_is_active(c)) {
			/* Cheap polling of the exit file between store reads. */
			int r = container_exit_file_wait(env, c->id, 250, &code, &e);
			if (r < 0 && r != -ENOENT) {
				*err = steal_pointer(&e);
				return -1;
			}
		} else {
			struct timespec ts = { 0, 50 * 1000000 };
			nanosleep(&ts, NULL);
		}
	}
}

int container_exit_file_wait(const struct container_env *env, const char *id, int timeout_ms, int *code,
			     robbe_error **err)
{
	cleanup_free char *exit_dir = xasprintf("%s/exits", env->paths->runroot);
	cleanup_close int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	int64_t deadline = container_now_ns() / 1000000 + timeout_ms;
	int64_t when;

	/* conmon writes the file under a temporary name and renames it. */
	if (in < 0 || inotify_add_watch(in, exit_dir, IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE) < 0)
		return exit_file_wait(exit_dir, id, timeout_ms, code, &when, err);
	for (;;) {
		struct pollfd pf = { in, POLLIN, 0 };
		char buf[4096];
		int64_t left;
		int r = exit_file_read(exit_dir, id, code, &when, err);

		if (r != -ENOENT)
			return r;
		left = deadline - container_now_ns() / 1000000;
		if (left <= 0)
			return -ENOENT;
		if (poll(&pf, 1, (int) left) < 0 && errno != EINTR)
			return robbe_error_errno(err, errno, "poll");
		while (read(in, buf, sizeof(buf)) > 0)
			;
	}
}

/* ---- rename ----------------------------------------------------------- */

bool container_name_valid(const char *name)
{
	if (!name || !*name)
		return false;
	for (const char *p = name; *p; p++) {
		bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
		if (p == name ? !alnum : !(alnum || *p == '_' || *p == '.' || *p == '-'))
			return false;
	}
	return strlen(name) >= 2;
}

int container_rename(struct container_env *env, struct store_container *c, const char *new_name, robbe_error **err)
{
	cleanup_close int lock = -1;
	cleanup_error robbe_error *e = NULL;
	const char *name = new_name[0] == '/' ? new_name + 1 : new_name;
	int r;

	if (!container_name_valid(name))
		return robbe_error_set(err, EXIT_GENERAL,
				       "Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name);
	if (ctr_lock(env, c->id, &lock, err) < 0)
		return -1;
	if ((r = ctr_reload(env, c, err)) < 0)
		return r == -ENOENT ? robbe_error_set(err, EXIT_GENERAL, "No such container: %s", c->id) : -1;
	if (!strcmp(c->name, name))
		return robbe_error_set(err, EXIT_GENERAL, "Renaming a container with the same name as its current name");
	if (store_container_rename(env->store, c->id, name, &e) < 0) {
		if (store_error_is(e, STORE_ECONFLICT)) {
			cleanup_store_container struct store_container *holder = NULL;
			cleanup_error robbe_error *e2 = NULL;
			const char *hid = store_container_lookup(env->store, name, &holder, &e2) == 0 ? holder->id : "";
			robbe_error_set(err, EXIT_GENERAL,
					"Conflict. The container name \"/%s\" is already in use by container \"%s\". "
					"You have to remove (or rename) that container to be able to reuse that name.",
					name, hid);
			(*err)->errnum = EEXIST;
			return -1;
		}
		*err = steal_pointer(&e);
		return -1;
	}
	free(c->name);
	c->name = xstrdup(name);
	return 0;
}

/* ---- remove ----------------------------------------------------------- */

void ctr_remove_files(const struct container_env *env, const char *id)
{
	cleanup_free char *dir = ctr_dir(env, id);
	cleanup_free char *merged = xasprintf("%s/merged", dir);
	cleanup_free char *run_dir = ctr_run_dir(env, id);
	cleanup_free char *exit_file = xasprintf("%s/exits/%s", env->paths->runroot, id);
	cleanup_free char *persist = xasprintf("%s/persist/%s", env->paths->runroot, id);
	cleanup_error robbe_error *e = NULL;

	if (ctr_rootfs_umount(merged, &e) < 0)
		robbe_error_warn(&e);
	if (rm_rf_at(AT_FDCWD, dir, &e) < 0)
		robbe_error_warn(&e);
	if (rm_rf_at(AT_FDCWD, run_dir, &e) < 0)
		robbe_error_warn(&e);
	if (rm_rf_at(AT_FDCWD, persist, &e) < 0)
		robbe_error_warn(&e);
	unlink(exit_file);
}

int ctr_remove_locked(struct container_env *env, struct store_container *c, bool defer, robbe_error **err)
{
	if (!defer)
		ctr_release(env, c);
	/* wait and run --rm read the exit code after the record is gone. */
	if (c->state == STORE_STATE_EXITED || c->state == STORE_STATE_DEAD) {
		if (store_container_remove_exited(env->store, c->id, c->exit_code, err) < 0)
			return -1;
	} else if (store_container_remove(env->store, c->id, err) < 0) {
		return -1;
	}
	/* Files after the record: a crash in between leaves garbage, never a
	 * record without its files.  Deferred, they are conmon's cleanup's. */
	if (defer)
		return 0;
	ctr_remove_files(env, c->id);
	ctr_unlink_lock(env, c->id);
	return 0;
}

/* rm -v and --rm: the container's anonymous volumes (recorded at create)
 * go with it.  volume_remove_anonymous skips any another container uses. */
static void remove_anonymous_volumes(struct container_env *env, const char *config_json)
{
	cleanup_cjson cJSON *cfg = cJSON_Parse(config_json);
	const cJSON *robbe = cJSON_GetObjectItemCaseSensitive(cfg, "Robbe");
	const cJSON *av = cJSON_GetObjectItemCaseSensitive(robbe, "AnonymousVolumes");
	cleanup_strv char **names = NULL;
	cleanup_error robbe_error *e = NULL;
	const cJSON *it;

	cJSON_ArrayForEach(it, av)
		if (cJSON_IsString(it))
			strv_push(&names, it->valuestring);
	if (names && volume_remove_anonymous(env->store, env->paths, names, &e) < 0)
		robbe_error_warn(&e);
}

int ctr_remove_with_volumes(struct container_env *env, struct store_container *c, bool deferred, bool volumes,
			    robbe_error **err)
{
	cleanup_free char *cfg = volumes && c->config_json ? xstrdup(c->config_json) : NULL;
	int r = ctr_remove_locked(env, c, deferred, err);

	if (r >= 0 && cfg)
		remove_anonymous_volumes(env, cfg);
	return r;
}

int container_remove(struct container_env *env, struct store_container *c, bool force, bool volumes,
		     robbe_error **err)
{
	cleanup_close int lock = -1;

	if (lock_and_sync(env, c, &lock, err) < 0)
		return -1;
	if (container_is_active(c) || c->state == STORE_STATE_RESTARTING) {
		cleanup_free char *runtime = container_runtime(c);

		if (!force && c->state == STORE_STATE_PAUSED) {
			robbe_error_set(err, EXIT_GENERAL,
					"cannot remove container \"/%s\": container is paused and must be unpaused first",
					c->name);
			(*err)->errnum = EBUSY;
			return -1;
		}
		if (!force) {
			robbe_error_set(err, EXIT_GENERAL,
					"cannot remove container \"/%s\": container is %s: stop the container before "
					"removing or force remove",
					c->name, container_status_word(c->state));
			(*err)->errnum = EBUSY;
			return -1;
		}
		if (container_is_active(c)) {
			cleanup_error robbe_error *e = NULL;

			if (stop_container(runtime, c->id, c->pid, SIGKILL, 0, &e) < 0)
				robbe_error_warn(&e);
			/* Thaw so SIGKILL lands (runc kill on a frozen cgroup). */
			if (c->state == STORE_STATE_PAUSED) {
				runtime_resume(runtime, c->id, &e);
				robbe_error_free(steal_pointer(&e));
				if (stop_container(runtime, c->id, 0, SIGKILL, 0, &e) < 0)
					robbe_error_warn(&e);
			}
			/* conmon writes the exit file once it has reaped it. */
			cleanup_free char *exit_dir = xasprintf("%s/exits", env->paths->runroot);
			int code = 137;
			int64_t when = 0;
			if (exit_file_wait(exit_dir, c->id, 2000, &code, &when, &e) < 0)
				robbe_error_free(steal_pointer(&e));
			ctr_mark_exited(c, code, when, "exitfile");
		} else {
			c->state = STORE_STATE_EXITED;
		}
	}
	return ctr_remove_with_volumes(env, c, false, volumes, err);
}
