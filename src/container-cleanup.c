/* container-cleanup.c: what happens after a container's process ended —
 * run by conmon's exit command (`robbe container cleanup <id>`), and by
 * `run --rm` itself so it does not have to wait for conmon's.
 *
 * Restart policies live here: nothing of robbe stays resident, so the
 * cleanup process started by the container's conmon is the one that starts
 * it again (with a new conmon), after Docker's back-off delay. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "container-internal.h"
#include "network.h"
#include "rootless-net.h"

/* Docker's back-off: 100 ms, doubled after each restart, back to 100 ms
 * once the container ran for 10 s, at most a minute. */
#define RESTART_DELAY_MIN_MS 100
#define RESTART_DELAY_MAX_MS 60000
#define RESTART_RESET_NS (10LL * 1000000000)

static char *deferred_note(const struct container_env *env, const char *id)
{
	return xasprintf("%s/containers/%s.runtime", env->paths->runroot, id);
}

void ctr_release(struct container_env *env, struct store_container *c)
{
	cleanup_cjson cJSON *config = container_config(c);
	cleanup_free char *runtime = container_runtime(c);
	cleanup_error robbe_error *e = NULL;
	const char *rootfs = container_config_str(config, "Robbe", "Rootfs");
	bool unrecorded = ctr_kill_unrecorded_conmon(env, c);

	/* Networking first, whatever CleanedUp says: a start may have set
	 * it up again (restart), and the teardown is a no-op otherwise. */
	network_container_teardown(env, c);
	rootless_net_teardown(env, c->id);
	if (ctr_state_bool(c, "CleanedUp") && !unrecorded)
		return;
	if (rootfs && ctr_rootfs_umount(rootfs, &e) < 0)
		robbe_error_warn(&e);
	if ((c->started_at > 0 || c->conmon_pid > 0 || unrecorded) && runtime_delete(runtime, c->id, true, &e) < 0)
		robbe_error_free(steal_pointer(&e));
}

/* What `run --rm` left behind for us (see container_autoremove): the
 * mount, the files, and the runtime's state, named in the note. */
static void finish_deferred_removal(struct container_env *env, const char *id)
{
	cleanup_free char *note = deferred_note(env, id);
	cleanup_free char *runtime = NULL;
	cleanup_error robbe_error *e = NULL;

	if (read_file_all(note, 4096, &runtime, NULL, &e) < 0)
		return;
	network_teardown_by_id(env, id);
	rootless_net_teardown(env, id);
	ctr_remove_files(env, id);
	if (runtime_delete(runtime, id, true, &e) < 0)
		robbe_error_free(steal_pointer(&e));
	unlink(note);
}

static bool publishes_ports(const cJSON *config)
{
	const cJSON *hc = cJSON_GetObjectItemCaseSensitive(config, "HostConfig");
	const cJSON *pb = cJSON_GetObjectItemCaseSensitive(hc, "PortBindings");

	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(hc, "PublishAllPorts")) ||
	       (cJSON_IsObject(pb) && pb->child);
}

static bool should_restart(const struct store_container *c, const cJSON *config)
{
	const cJSON *hc = cJSON_GetObjectItemCaseSensitive(config, "HostConfig");
	const cJSON *rp = cJSON_GetObjectItemCaseSensitive(hc, "RestartPolicy");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(rp, "Name");
	const cJSON *max = cJSON_GetObjectItemCaseSensitive(rp, "MaximumRetryCount");
	cleanup_cjson cJSON *st = container_state_extra(c);
	const cJSON *source = cJSON_GetObjectItemCaseSensitive(st, "ExitCodeSource");

	if (!cJSON_IsString(name) || ctr_state_bool(c, "StoppedByUser"))
		return false;
	/* A lost exit code means conmon was killed: leave it to the user. */
	if (cJSON_IsString(source) && !strcmp(source->valuestring, "lost"))
		return false;
	if (!strcmp(name->valuestring, "always") || !strcmp(name->valuestring, "unless-stopped"))
		return true;
	if (!strcmp(name->valuestring, "on-failure")) {
		int limit = cJSON_IsNumber(max) ? (int) max->valuedouble : 0;
		return c->exit_code != 0 && (limit <= 0 || c->restart_count < limit);
	}
	return false;
}

static int restart_delay_ms(struct store_container *c)
{
	cleanup_cjson cJSON *st = container_state_extra(c);
	const cJSON *prev = cJSON_GetObjectItemCaseSensitive(st, "RestartDelayMs");
	int delay = RESTART_DELAY_MIN_MS;

	if (cJSON_IsNumber(prev) && c->finished_at - c->started_at < RESTART_RESET_NS)
		delay = (int) prev->valuedouble * 2;
	if (delay < RESTART_DELAY_MIN_MS)
		delay = RESTART_DELAY_MIN_MS;
	if (delay > RESTART_DELAY_MAX_MS)
		delay = RESTART_DELAY_MAX_MS;
	ctr_state_set(c, "RestartDelayMs", cJSON_CreateNumber(delay));
	return delay;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The restart policy said yes: wait out the back-off without the lock (so
 * stop and rm can cancel it), then start again if nobody did. */
static int restart_after_delay(struct container_env *env, struct store_container *c, int *lock, robbe_error **err)
{
	int delay = restart_delay_ms(c);
	int r;

	c->state = STORE_STATE_RESTARTING;
	ctr_state_set(c, "RestartPid", cJSON_CreateNumber(getpid()));
	if (ctr_save_state(env, c, err) < 0)
		return -1;
	close(*lock);
	*lock = -1;

	sleep_ms(delay);

	if (ctr_lock(env, c->id, lock, err) < 0)
		return -1;
	if ((r = ctr_reload(env, c, err)) < 0)
		return r == -ENOENT ? 0 : -1;	/* removed meanwhile */
	if (c->state != STORE_STATE_RESTARTING || ctr_state_bool(c, "StoppedByUser"))
		return 0;	/* stopped or started by someone else */
	c->state = STORE_STATE_EXITED;
	c->restart_count++;
	if (ctr_start_locked(env, c, NULL, NULL, err) < 0) {
		/* The failure is recorded in the container's state. */
		cleanup_error robbe_error *e = NULL;
		c->state = STORE_STATE_EXITED;
		ctr_save_state(env, c, &e);
		return -1;
	}
	return 0;
}

/* Record the exit (from conmon's exit file) without storing it yet: the
 * record is about to go. */
static int exit_for_removal(struct container_env *env, struct store_container *c, robbe_error **err)
{
	cleanup_free char *exit_dir = xasprintf("%s/exits", env->paths->runroot);
	cleanup_error robbe_error *e = NULL;
	int64_t when = 0;
	int code = 0, r;

	if (!container_is_active(c))
		return 0;
	r = exit_file_read(exit_dir, c->id, &code, &when, &e);
	if (r == -ENOENT)
		return ctr_sync_locked(env, c, true, err);	/* conmon gone: sync decides */
	if (r < 0) {
		*err = steal_pointer(&e);
		return -1;
	}
	ctr_mark_exited(c, code, when, "exitfile");
	return 0;
}

/* conmon wrote the exit file, so it runs its exit command next (our
 * cleanup): the one sign we have that someone will finish a deferral. */
static bool exit_file_written(const struct store_container *c)
{
	cleanup_cjson cJSON *st = container_state_extra(c);
	const cJSON *source = cJSON_GetObjectItemCaseSensitive(st, "ExitCodeSource");

	return cJSON_IsString(source) && !strcmp(source->valuestring, "exitfile");
}

static int cleanup_locked(struct container_env *env, struct store_container *c, bool defer, int *lock,
			  robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	bool auto_remove = cJSON_IsTrue(
		cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "HostConfig"), "AutoRemove"));

	/* --rm: the exit code is recorded in the removal's transaction. */
	if (auto_remove) {
		if (exit_for_removal(env, c, err) < 0)
			return -1;
		if (container_is_active(c) || c->state == STORE_STATE_RESTARTING)
			return 0;
		/* The caller (run --rm) need not wait for umount, runtime
		 * delete and file removal when conmon's cleanup, which is on
		 * its way, can do them: a note names the runtime for it. */
		if (defer && !ctr_state_bool(c, "CleanedUp") && exit_file_written(c)) {
			cleanup_free char *note = deferred_note(env, c->id);
			cleanup_free char *runtime = container_runtime(c);
			cleanup_error robbe_error *e = NULL;

			/* Published ports go now: the next `run -p` of the same
			 * port must find them free.  Otherwise the namespace
			 * and its addresses (claimed until the teardown) go
			 * with the rest of the deferred work. */
			if (publishes_ports(config)) {
				network_container_teardown(env, c);
				rootless_net_teardown(env, c->id);
			}
			if (write_file_replace(note, runtime, strlen(runtime), 0600, &e) == 0)
				return ctr_remove_with_volumes(env, c, true, true, err);
			robbe_error_free(steal_pointer(&e));
		}
		return ctr_remove_with_volumes(env, c, false, true, err);
	}
	if (ctr_sync_locked(env, c, true, err) < 0)
		return -1;
	/* Still running (a stale exit command), or restarting already. */
	if (container_is_active(c) || c->state == STORE_STATE_RESTARTING)
		return 0;
	if (ctr_state_bool(c, "CleanedUp"))
		return 0;
	ctr_release(env, c);
	ctr_state_set(c, "CleanedUp", cJSON_CreateBool(true));
	if (c->state == STORE_STATE_EXITED && c->started_at > 0 && should_restart(c, config))
		return restart_after_delay(env, c, lock, err);
	return ctr_save_state(env, c, err);
}

char *ctr_rm_claim_path(const struct container_env *env, const char *id)
{
	return xasprintf("%s/containers/%s.rm-by", env->paths->runroot, id);
}

/* An attached `run --rm` removes the container itself, quickly, and leaves
 * us the slow part: let it go first, as long as it lives. */
static void wait_for_claimer(const struct container_env *env, const char *id)
{
	cleanup_free char *claim = ctr_rm_claim_path(env, id);
	const struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 60 * 100; i++) {
		cleanup_free char *text = NULL;
		cleanup_error robbe_error *e = NULL;
		long pid;

		if (read_file_all(claim, 64, &text, NULL, &e) < 0)
			return;
		pid = strtol(text, NULL, 10);
		if (pid <= 0 || pid == getpid() || !process_alive((pid_t) pid)) {
			unlink(claim);
			return;
		}
		nanosleep(&tick, NULL);
	}
}

static int cleanup(struct container_env *env, const char *id, bool defer, robbe_error **err)
{
	cleanup_close int lock = -1;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_error robbe_error *e = NULL;

	if (!defer)
		wait_for_claimer(env, id);
	if (ctr_lock(env, id, &lock, err) < 0)
		return -1;
	if (store_container_get(env->store, id, &c, &e) < 0) {
		if (!store_error_is(e, STORE_ENOTFOUND)) {
			*err = steal_pointer(&e);
			return -1;
		}
		/* Removed already (rm -f, or run --rm got here first and
		 * left us the runtime's state). */
		if (!defer)
			finish_deferred_removal(env, id);
		ctr_unlink_lock(env, id);
		return 0;
	}
	return cleanup_locked(env, c, defer, &lock, err);
}

int container_cleanup(struct container_env *env, const char *id, robbe_error **err)
{
	return cleanup(env, id, false, err);
}

int container_autoremove(struct container_env *env, const char *id, robbe_error **err)
{
	cleanup_free char *claim = ctr_rm_claim_path(env, id);
	int r = cleanup(env, id, true, err);

	unlink(claim);
	return r;
}
