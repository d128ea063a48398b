/* container-internal.h: what the container engine's files share and no
 * caller outside them needs. */
#ifndef ROBBE_CONTAINER_INTERNAL_H
#define ROBBE_CONTAINER_INTERNAL_H

#include "container.h"

/* Docker's defaults. */
#define CTR_STOP_TIMEOUT_DEFAULT 10
/* How long a vanished conmon's exit file is waited for (Podman's 5 s). */
#define CTR_EXIT_FILE_GRACE_MS 5000
#define CTR_LOST_EXIT_ERROR "container exited but its exit code was lost"

/* <runroot>/containers/<id>.lock, held exclusively (flock) while the
 * container's state changes.  *fd is closed to release it. */
int ctr_lock(const struct container_env *env, const char *id, int *fd, robbe_error **err);
/* Remove the lock file of a container that is gone (lock held). */
void ctr_unlink_lock(const struct container_env *env, const char *id);
/* Re-read c from the store after taking the lock (another process may have
 * changed it).  -ENOENT (err untouched) when it is gone. */
int ctr_reload(const struct container_env *env, struct store_container *c, robbe_error **err);
/* Write c's state columns. */
int ctr_save_state(const struct container_env *env, struct store_container *c, robbe_error **err);
/* Sync with the lock already held. */
int ctr_sync_locked(struct container_env *env, struct store_container *c, bool wait_lost, robbe_error **err);

/* Is pid a live conmon (not a zombie, not a recycled pid)? */
bool ctr_conmon_alive(pid_t pid);
/* A start that never got recorded: robbe died after conmon had the
 * runtime create the container but before the record said so, and the
 * conmon named in the container's conmon.pid is not the record's (or the
 * record is still "created").  That conmon goes (SIGKILL: it runs no exit
 * command); true when there was one, so the runtime's container must be
 * deleted too.  For containers not running by their record; lock held. */
bool ctr_kill_unrecorded_conmon(const struct container_env *env, const struct store_container *c);
/* Record that the exit code is lost (conmon died before the container):
 * exit code -1, State.Error set, mount and runtime state released. */
int ctr_mark_lost(struct container_env *env, struct store_container *c, robbe_error **err);

/* state_json helpers: set a key (replacing it), read one. */
void ctr_state_set(struct store_container *c, const char *key, cJSON *value);
bool ctr_state_bool(const struct store_container *c, const char *key);
void ctr_state_set_error(struct store_container *c, const char *msg);

/* Record that the container's process ended with code at finished (ns). */
void ctr_mark_exited(struct store_container *c, int code, int64_t finished, const char *source);

/* Paths of a container's own files. */
char *ctr_dir(const struct container_env *env, const char *id);		/* <root>/containers/<id> */
char *ctr_run_dir(const struct container_env *env, const char *id);	/* <runroot>/containers/<id> */

/* The signal `stop` sends: --stop-signal, the image's, else SIGTERM. */
int ctr_stop_signal(const struct store_container *c);

/* Start with the lock held (start, restart, restart policy). */
int ctr_start_locked(struct container_env *env, struct store_container *c, const struct container_start_opts *opts,
		     struct container_attach **attach, robbe_error **err);
/* Release what a stopped container holds: root file system mount, the
 * runtime's state.  Lock held; nothing to do once CleanedUp is set. */
void ctr_release(struct container_env *env, struct store_container *c);
/* Remove the container, lock held, process not running: its record, and
 * unless defer, its mount, runtime state and files (deferred, they are
 * left to the cleanup conmon runs; see container_autoremove). */
int ctr_remove_locked(struct container_env *env, struct store_container *c, bool defer, robbe_error **err);
/* ctr_remove_locked, then (volumes) the anonymous volumes of rm -v and --rm. */
int ctr_remove_with_volumes(struct container_env *env, struct store_container *c, bool defer, bool volumes,
			    robbe_error **err);
/* <runroot>/containers/<id>.rm-by: the pid of an attached `run --rm`
 * that removes the container itself (container_start_opts.caller_removes). */
char *ctr_rm_claim_path(const struct container_env *env, const char *id);
/* A removed container's mount and files, by ID. */
void ctr_remove_files(const struct container_env *env, const char *id);

/* ---- container-attach.c ---- */

/* Connect to conmon's attach socket <bundle>/attach. */
int ctr_attach_connect(const char *bundle, int *out, robbe_error **err);
/* An attach connection over fd (taken) for container id run by runtime. */
struct container_attach *ctr_attach_new(int fd, const char *id, const char *runtime);

/* ---- mount.c: the root file system and the /etc files ---- */

struct ctr_rootfs {
	char *lower;	/* overlay lowerdir, relative to the layer store's overlay dir */
	char *lower_full;	/* the same as absolute diff paths (GraphDriver.LowerDir) */
	char *upper, *work, *merged;
};
void ctr_rootfs_release(struct ctr_rootfs *r);

/* Make the directories of a new container's root (upper, work, merged)
 * under dir and fill r; lowers from the image's top layer (NULL: no
 * layers, an empty lower directory is made). */
int ctr_rootfs_prepare(struct container_env *env, const char *dir, const char *top_layer, struct ctr_rootfs *r,
		       robbe_error **err);
/* Mount it unless it is mounted already; disposable (--rm) skips the
 * sync at unmount (overlay's "volatile"). */
int ctr_rootfs_mount(struct container_env *env, const char *lower, const char *upper, const char *work,
		     const char *merged, robbe_error **err);
int ctr_rootfs_mount_ex(struct container_env *env, const char *lower, const char *upper, const char *work,
			const char *merged, bool disposable, robbe_error **err);
/* Unmount (lazily if busy); not mounted is success. */
int ctr_rootfs_umount(const char *merged, robbe_error **err);
bool ctr_is_mountpoint(const char *path);

struct ctr_etc_request {
	const char *dir;	/* where to write hosts, hostname, resolv.conf */
	const char *hostname;
	const char *domainname;
	bool host_network;
	char *const *dns, *const *dns_search, *const *dns_options;
	char *const *extra_hosts;	/* "name:ip" */
};
/* Write <dir>/hosts, <dir>/hostname and <dir>/resolv.conf. */
int ctr_write_etc_files(const struct ctr_etc_request *req, robbe_error **err);
/* resolv.conf text from the host's, with loopback nameservers removed
 * (they do not answer inside the container's network namespace) and
 * Docker's fallback servers when none is left; exposed for unit tests. */
char *ctr_resolv_conf(const char *host_text, bool host_network, char *const *dns, char *const *dns_search,
		      char *const *dns_options);

#endif
