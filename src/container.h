/* container.h: the container engine — creating, starting, stopping and
 * removing containers, and reading their state.
 *
 * robbe is daemonless: every command is a short-lived process, and the only
 * thing that stays behind for a running container is its conmon (conmon.h).
 * The record of a container is one store row (store/store.h) whose
 * config_json follows the container record contract (Docker's inspect names: Path,
 * Args, Config, HostConfig, GraphDriver, ..., plus engine data under
 * "Robbe") and whose state columns are brought up to date by
 * container_sync() from what conmon and the runtime left behind: the exit
 * file conmon writes, the runtime's own state, the liveness of conmon.
 *
 * Locking: every change of one container's state happens under
 * <runroot>/containers/<id>.lock (flock), so `container cleanup` run by
 * conmon, `rm -f`, `stop` and a restart policy never step on each other.
 * Readers (ps, inspect) do not take it: they see a committed row.
 *
 * Nothing here prints: pull progress goes through callbacks, errors come
 * back in robbe_error with Docker's wording where a user sees them.
 */
#ifndef ROBBE_CONTAINER_H
#define ROBBE_CONTAINER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "image.h"
#include "paths.h"
#include "runtime.h"
#include "spec.h"
#include "store/store.h"
#include "util.h"

/* ---- the environment: opened once per command ----------------------- */

struct container_env {
	struct store *store;			/* borrowed */
	const struct robbe_paths *paths;	/* borrowed */
	struct image_env *image;		/* owned; opened on first use (container_env_image) */
	/* Passed on to `container cleanup` in conmon's exit command, and to
	 * conmon itself; NULL: none. */
	const char *log_level;
};

/* Prepare the engine over an open store.  Cheap: the image environment
 * (layer store sweep) is only opened when a command needs images. */
int container_env_open(struct store *s, const struct robbe_paths *paths, struct container_env **out,
		       robbe_error **err);
void container_env_free(struct container_env *env);
static inline void cleanup_container_envp(struct container_env **e)
{
	container_env_free(*e);
}
#define cleanup_container_env __attribute__((cleanup(cleanup_container_envp)))
/* The image environment, opened on first call. */
int container_env_image(struct container_env *env, struct image_env **out, robbe_error **err);

/* ---- finding containers and reading their state ---------------------- */

/* Resolve what a user typed as the Docker daemon does: full ID, name (with
 * or without the leading '/'), unique ID prefix.  Not found: errnum ENOENT,
 * status 1, "No such container: <ref>".  An ambiguous prefix: errnum
 * ENOTUNIQ, status 1, Docker's "multiple IDs found with provided prefix:
 * <ref>".  The state is synced (container_sync) before it is returned. */
int container_lookup(struct container_env *env, const char *user_ref, struct store_container **out,
		     robbe_error **err);

/* Bring c's state up to date and store it if it changed:
 *  - running/paused and conmon's exit file exists: exited with its code
 *    (the code is also kept with store_exit_code_record);
 *  - running/paused, conmon gone, no exit file: the runtime's state decides
 *    (still running: nothing changes); stopped: the exit file is waited for
 *    up to 5 s, then exit code -1 and Error "container exited but its exit
 *    code was lost", as Podman does;
 *  - a reboot was handled by store_open already.
 * Cheap when nothing happened (a stat and a kill(pid, 0)). */
int container_sync(struct container_env *env, struct store_container *c, robbe_error **err);

/* Remove what containers left whose record is gone: a robbe killed
 * between create's files and its record, or between rm's record and its
 * files.  Each id is locked first, so a create or rm under way is left
 * alone.  Returns how many were swept (container prune, system prune). */
int container_sweep_orphans(struct container_env *env);
/* Sync every container (ps, prune).  *out as store_container_list. */
int container_list(struct container_env *env, struct store_container ***out, robbe_error **err);

/* c->config_json parsed.  Never NULL: an empty object if it is missing or
 * broken.  The caller deletes it. */
cJSON *container_config(const struct store_container *c);
/* Its state_json parsed the same way. */
cJSON *container_state_extra(const struct store_container *c);

/* Shortcuts into a parsed config (borrowed strings, NULL if absent). */
const char *container_config_str(const cJSON *config, const char *section, const char *key);
/* The runtime paths of a container (bundle, pid files, exit dir, log). */
void container_runtime_paths(const struct container_env *env, const struct store_container *c,
			     struct runtime_paths *p);
/* The OCI runtime (path or name) the container was created with. */
char *container_runtime(const struct store_container *c);

/* Docker's State.Status word: created, running, paused, restarting,
 * removing, exited, dead. */
const char *container_status_word(enum store_state st);
static inline bool container_is_active(const struct store_container *c)
{
	return c->state == STORE_STATE_RUNNING || c->state == STORE_STATE_PAUSED;
}
/* Docker's State object: Status, Running, Paused, Restarting, OOMKilled,
 * Dead, Pid, ExitCode, Error, StartedAt, FinishedAt (+ Health when set). */
cJSON *container_state_json(const struct store_container *c);
/* Go's time.RFC3339Nano in UTC; 0 is Go's zero time "0001-01-01T00:00:00Z". */
char *container_format_time(int64_t ns);
/* Nanoseconds since the epoch, now. */
int64_t container_now_ns(void);

/* ---- creating -------------------------------------------------------- */

enum container_pull_policy {
	CONTAINER_PULL_MISSING = 0,
	CONTAINER_PULL_ALWAYS,
	CONTAINER_PULL_NEVER,
};

enum container_restart_policy {
	CONTAINER_RESTART_NO = 0,
	CONTAINER_RESTART_ALWAYS,
	CONTAINER_RESTART_ON_FAILURE,
	CONTAINER_RESTART_UNLESS_STOPPED,
};

/* What one event of create means to the caller. */
enum container_create_event {
	CONTAINER_EVENT_IMAGE_MISSING,	/* before a pull: "Unable to find image 'x' locally" */
};

struct container_create_request {
	const char *image;		/* as the user typed it */
	enum container_pull_policy pull;
	const struct image_pull_opts *pull_opts;	/* may be NULL */
	const struct image_pull_events *pull_events;	/* may be NULL */
	/* Called with CONTAINER_EVENT_IMAGE_MISSING and the familiar
	 * reference before pulling; may be NULL. */
	void (*notify)(void *opaque, enum container_create_event ev, const char *what);
	void *notify_opaque;

	const char *name;		/* NULL: a generated adjective_surname */
	const char *runtime;		/* NULL: runc */
	/* "k8s-file" (Docker's json-file is served by it), "none"; NULL: k8s-file. */
	const char *log_driver;
	int64_t log_size_max;		/* bytes; 0: unlimited */
	enum container_restart_policy restart;
	int restart_max;		/* on-failure:N */
	bool auto_remove;		/* --rm */
	int stop_signal;		/* 0: the image's or SIGTERM */
	int stop_timeout;		/* seconds; < 0: default (10) */
	/* "bridge"/"default" (the default network), "none", "host",
	 * "container:<ref>", or a network's name or ID (network.h). */
	const char *network;
	/* Every --network given (user networks may be several); NULL or
	 * empty: network alone. */
	char *const *networks;
	/* For the first network: --network-alias, --ip, --ip6, --mac-address. */
	char *const *network_aliases;
	const char *ipv4, *ipv6;
	const char *mac_address;
	char *const *dns;		/* resolv.conf overrides; may be NULL */
	char *const *dns_search;
	char *const *dns_options;
	/* "name:ip" lines for /etc/hosts; "host-gateway" as ip is the
	 * default bridge's gateway. */
	char *const *extra_hosts;

	/* The OCI side.  image_config, rootfs, container_id, hosts/resolv/
	 * hostname paths and netns_path are filled in by the engine. */
	struct spec_request spec;

	/* Docker's Config and HostConfig objects as built by the caller
	 * (inspect's key names); the engine completes and stores them.  Owned
	 * by the caller; may be NULL. */
	const cJSON *config;
	const cJSON *host_config;

	/* -v, --mount, --volumes-from, --volume-driver as typed; resolved by
	 * volume_prepare_mounts (volume.h). */
	char *const *volumes;
	char *const *mounts;
	char *const *volumes_from;
	const char *volume_driver;
};

/* Create a container: resolve (and pull) the image, check the name, make
 * the overlay root file system and the bundle (config.json, hosts,
 * hostname, resolv.conf), and record it (state created).  Errors:
 *   - name taken: errnum EEXIST, Docker's "Conflict. The container name
 *     "/x" is already in use by container "<id>". You have to remove (or
 *     rename) that container to be able to reuse that name."
 *   - image missing with pull never: errnum ENOENT, "No such image: x:tag"
 * *out gets the stored record, *warnings (may be NULL) Docker-style warnings. */
int container_create(struct container_env *env, const struct container_create_request *req,
		     struct store_container **out, char ***warnings, robbe_error **err);

/* ---- starting and attaching ------------------------------------------ */

/* An attached client: conmon's attach socket connected before the
 * process starts, so no output is lost. */
struct container_attach;

struct container_start_opts {
	bool attach;		/* connect to stdout/stderr before starting */
	bool attach_stdin;	/* and send our stdin (container made with -i) */
	/* The caller (attached `run --rm`) calls container_autoremove itself
	 * once the container exits; conmon's cleanup then waits for it
	 * instead of racing it. */
	bool caller_removes;
};

/* Start a created or stopped container: mount its root, spawn conmon (which
 * runs `runtime create`), connect the attach socket if asked, then
 * `runtime start`.  Starting a running container is a no-op (0).  A paused
 * one: "cannot start a paused container, try unpause instead".
 * Runtime errors keep the runtime's words (for 126/127 mapping); the
 * container is then left exited with exit code 126/127/128 and the Error
 * set, as Docker does.  *attach (when opts->attach) gets the connection. */
int container_start(struct container_env *env, struct store_container *c, const struct container_start_opts *opts,
		    struct container_attach **attach, robbe_error **err);

/* Attach to a running (or paused) container: connect to conmon's attach
 * socket; output from now on, input to its stdin.  Not running, or it
 * stopped while we connected: errnum ESRCH, status 1, "container <id> is
 * not running". */
int container_attach(struct container_env *env, struct store_container *c, struct container_attach **out,
		     robbe_error **err);

/* What container_attach_stream copies, and what stops it. */
struct detach_keys;	/* detachkeys.h */
struct container_attach_io {
	int in_fd, out_fd, err_fd;	/* -1: not attached */
	/* Stop when this sequence is read from in_fd; its bytes never reach
	 * the container, the bytes of a start of it that goes on otherwise
	 * do.  NULL: never. */
	const struct detach_keys *detach_keys;
	/* Called before every wait, with signals blocked (so it may do
	 * anything) and only ever unblocked inside the wait: the caller's
	 * signal handlers record, this acts (sig-proxy, resize).  True stops
	 * the copying.  NULL: none. */
	bool (*on_signal)(void *opaque, struct container_attach *a);
	void *opaque;
};

enum container_attach_end {
	CONTAINER_ATTACH_EOF = 0,	/* conmon closed: the container's streams ended */
	CONTAINER_ATTACH_DETACHED,	/* the detach keys were typed */
	CONTAINER_ATTACH_STOPPED,	/* on_signal said stop */
};

/* Copy the container's output to out_fd/err_fd and in_fd to its stdin
 * until one of enum container_attach_end happens (returned), or -1 with
 * err set.  When in_fd ends, conmon is told (it closes the container's
 * stdin unless it was started to leave it open). */
int container_attach_stream(struct container_env *env, struct container_attach *a,
			    const struct container_attach_io *io, robbe_error **err);
/* Send a signal to the attached container's process (sig-proxy). */
int container_attach_kill(struct container_attach *a, int sig, robbe_error **err);
/* Set the size of a -t container's terminal (conmon's ctl FIFO). */
int container_resize(const struct container_env *env, const struct store_container *c, unsigned rows,
		     unsigned cols, robbe_error **err);
void container_attach_free(struct container_attach *a);
static inline void cleanup_container_attachp(struct container_attach **a)
{
	container_attach_free(*a);
}
#define cleanup_container_attach __attribute__((cleanup(cleanup_container_attachp)))

/* Wait up to timeout_ms for conmon's exit file of the container and read
 * its status (woken by inotify, not polling: `run` returns as soon as the
 * container ends).  -ENOENT, err untouched, if it did not appear in time. */
int container_exit_file_wait(const struct container_env *env, const char *id, int timeout_ms, int *code,
			     robbe_error **err);

/* Docker's exit status for a runtime start error: 127 for "executable file
 * not found" / "no such file or directory", 126 for "permission denied" /
 * "is a directory", else 0 (an engine error, 125). */
int container_start_error_status(const char *runtime_message);

/* ---- stopping, signals, waiting ---------------------------------------- */

/* Stop: the stop signal (sig 0: the container's), then SIGKILL after
 * timeout seconds (< 0: the container's StopTimeout, else 10).  Marks the
 * container stopped by the user, so restart policies leave it alone.
 * A container that is not running is success. */
int container_stop(struct container_env *env, struct store_container *c, int sig, int timeout, robbe_error **err);

/* Send a signal.  Not running: errnum ESRCH, status 1,
 * "container <id> is not running" (callers add Docker's "cannot kill
 * container: <ref>: " in front).  pause/unpause say "Container <id> is
 * already paused" / "Container <id> is not paused" as Docker does. */
int container_kill(struct container_env *env, struct store_container *c, int sig, robbe_error **err);

/* Stop (if running) and start again; the restart count is not changed. */
int container_restart(struct container_env *env, struct store_container *c, int sig, int timeout,
		      robbe_error **err);

int container_pause(struct container_env *env, struct store_container *c, robbe_error **err);
int container_unpause(struct container_env *env, struct store_container *c, robbe_error **err);

/* Wait until the container is not running (exited, or removed) and give
 * its exit code.  A created container is waited for until it runs and
 * exits, as Docker does.  timeout_ms < 0: forever. */
int container_wait(struct container_env *env, const char *id, int timeout_ms, int *exit_code, robbe_error **err);

/* ---- removing, renaming ------------------------------------------------ */

/* Remove the container: with force a running one is killed first; without,
 * a running or paused one is refused with Docker's v28 words (errnum
 * EBUSY): cannot remove container "/x": container is running: stop the
 * container before removing or force remove.  volumes: also its anonymous
 * volumes (none exist yet). */
int container_remove(struct container_env *env, struct store_container *c, bool force, bool volumes,
		     robbe_error **err);

/* Rename; the new name is checked (Docker's "Invalid container name ...")
 * and must be free ("Conflict. The container name "/y" is already in use
 * ..."). */
int container_rename(struct container_env *env, struct store_container *c, const char *new_name, robbe_error **err);

/* ---- conmon's exit command ---------------------------------------------- */

/* `container cleanup <id>`: after the container exited, record its exit
 * code, unmount its root, delete the runtime's state, and then apply the
 * restart policy (start it again, counting RestartCount) or --rm.  Safe
 * to run twice and concurrently with rm/stop: a container already cleaned
 * up or removed is success. */
int container_cleanup(struct container_env *env, const char *id, robbe_error **err);
/* The same for `run --rm` once it has the exit code: removes the record at
 * once (the name is free when run returns) and leaves the unmount, the
 * files and `runtime delete` to the cleanup conmon runs anyway. */
int container_autoremove(struct container_env *env, const char *id, robbe_error **err);

/* ---- names ------------------------------------------------------------ */

/* A random Docker-style name, "adjective_surname". */
char *container_random_name(void);
/* Docker's rule for names: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (a leading '/' is
 * dropped by the caller). */
bool container_name_valid(const char *name);

/* A signal by name ("TERM", "SIGTERM", "sigkill", "9", "RTMIN+3"): the
 * number, or -1. */
int container_parse_signal(const char *s);

#endif
