/* runtime.h: calling the OCI runtime (runc, crun, ...) directly, and the
 * files conmon leaves behind for one container.
 *
 * robbe is daemonless: conmon (conmon.h) runs `runtime create`; every other
 * verb (start, kill, pause, resume, delete, state) is a short-lived child of
 * the robbe command that needs it, as in Podman.  The runtime is passed as a
 * name looked up on PATH ("runc", the default when NULL) or as a path.
 *
 * Errors the runtime reports come back as its own message text, unquoted
 * (the runtime runs with --log-format=json and robbe takes the "msg" field),
 * so the command layer can match on it.
 */
#ifndef ROBBE_RUNTIME_H
#define ROBBE_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

/* Where conmon and the runtime keep one container's files. */
struct runtime_paths {
	char *bundle;		/* config.json (written by the caller); conmon adds attach, ctl, winsz */
	char *pidfile;		/* the runtime writes the container's pid here */
	char *conmon_pidfile;	/* conmon writes its own (long-lived) pid here */
	char *exit_dir;		/* conmon writes <exit_dir>/<id> with the exit status */
	char *persist_dir;	/* conmon writes exit (and oom) here */
	char *log_path;		/* k8s-file log; NULL or "" with log driver none/passthrough */
	char *oci_log;		/* the runtime's JSON log of `create`; NULL: none */
};

/* Fill p with robbe's layout for container id:
 *   <root>/containers/<id>/userdata/         bundle (config.json, attach, ctl, winsz)
 *   <root>/containers/<id>/userdata/ctr.log  log_path
 *   <runroot>/containers/<id>/pidfile, conmon.pid, oci-log
 *   <runroot>/exits/<id>                     exit file (exit_dir = <runroot>/exits)
 *   <runroot>/persist/<id>/                  persist_dir
 * Creates nothing. */
void runtime_paths_default(struct runtime_paths *p, const char *root, const char *runroot, const char *id);
void runtime_paths_release(struct runtime_paths *p);
/* <bundle>/attach: conmon's SOCK_SEQPACKET attach socket (--full-attach). */
char *runtime_paths_attach(const struct runtime_paths *p);
/* <bundle>/ctl: the FIFO taking "1 <height> <width>\n" resize requests. */
char *runtime_paths_ctl(const struct runtime_paths *p);
/* <exit_dir>/<id>. */
char *runtime_paths_exit_file(const struct runtime_paths *p, const char *id);

/* Find a program: a name containing '/' is taken as is, otherwise PATH is
 * searched (then /usr/local/sbin, /usr/sbin, /sbin, which non-root PATHs
 * often lack), then each entry of fallbacks (NULL-terminated, may be NULL).
 * The result is absolute and executable. */
int find_program(const char *name, const char *const *fallbacks, char **out, robbe_error **err);
/* The runtime binary: NULL means "runc". */
int runtime_find(const char *runtime, char **out, robbe_error **err);

/* The environment robbe gives conmon and the runtime: the caller's own minus
 * NOTIFY_SOCKET (and DBUS_SESSION_BUS_ADDRESS when root), with PATH set to
 * the standard system list and XDG_RUNTIME_DIR set (to xdg_runtime_dir when
 * not NULL, else to the caller's value or "" as Podman does for root), plus
 * extra ("NAME=value" strings, may be NULL) which override the rest. */
char **runtime_environ(const char *xdg_runtime_dir, char *const *extra);

/* Rootless: keep the OCI runtime's state in <runroot>/runc (runc's own
 * default, /run/runc, belongs to the real root).  runtime_run passes it as
 * --root; runtime_environ points $XDG_RUNTIME_DIR at runroot, which runc
 * run as root in a user namespace uses the same way, for the callers that
 * build their own runtime command line.  NULL: the runtime's default. */
void runtime_set_state_dir(const char *runroot);
/* "<runroot>/runc" when set, else NULL.  The caller frees it. */
char *runtime_state_root(void);

/* Start argv[0] (an absolute path) with envp.  In the child, fd i is
 * fds[i] for i < nfds (-1: /dev/null); every other descriptor is closed.
 * new_pgrp puts the child in its own process group.  Safe to call from
 * threads: the child only makes async-signal-safe calls. */
int spawn_process(char *const argv[], char *const envp[], const int *fds, size_t nfds, bool new_pgrp,
		  pid_t *pid, robbe_error **err);

/* Run runtime with arguments args (after the global --log-format=json),
 * capture its stdout (at most 1 MiB) into *out if out is not NULL, and
 * fail with the runtime's error message if it exits non-zero or takes
 * longer than timeout_ms (then it is killed).  On failure, err->errnum is
 * ENOENT when the runtime said the container does not exist and ESRCH
 * when it said the container is not running, and the return value is the
 * negated errnum (-1 otherwise). */
int runtime_run(const char *runtime, char *const args[], int timeout_ms, char **out, robbe_error **err);

/* The runtime's error message out of what it wrote on stderr: the "msg"
 * of each JSON log line at level error (joined with "; "), else the plain
 * text, trimmed.  NULL if there is nothing. */
char *runtime_error_text(const char *stderr_text);

/* `runtime start <id>`: run the process of a created container. */
int runtime_start(const char *runtime, const char *id, robbe_error **err);
/* `runtime kill [--all] <id> <sig>`.  -ESRCH when the container is not
 * running, -ENOENT when it does not exist. */
int runtime_kill(const char *runtime, const char *id, int sig, bool all, robbe_error **err);
/* `runtime pause|resume <id>` (the freezer cgroup). */
int runtime_pause(const char *runtime, const char *id, robbe_error **err);
int runtime_resume(const char *runtime, const char *id, robbe_error **err);
/* `runtime delete [--force] <id>`.  -ENOENT when it does not exist (never
 * with force: runc then succeeds). */
int runtime_delete(const char *runtime, const char *id, bool force, robbe_error **err);

enum runtime_status {
	RUNTIME_UNKNOWN = 0,
	RUNTIME_CREATING,
	RUNTIME_CREATED,
	RUNTIME_RUNNING,
	RUNTIME_PAUSED,
	RUNTIME_STOPPED,
};

struct runtime_state {
	enum runtime_status status;
	char status_text[16];	/* as the runtime spelled it */
	pid_t pid;		/* 0 when stopped */
	int64_t created;	/* nanoseconds since the epoch, 0 if unknown */
	char *bundle;		/* owned; runtime_state_release() frees */
};
/* `runtime state <id>`.  -ENOENT (err->errnum ENOENT) when the runtime has
 * no such container. */
int runtime_state(const char *runtime, const char *id, struct runtime_state *st, robbe_error **err);
void runtime_state_release(struct runtime_state *st);
const char *runtime_status_name(enum runtime_status s);

/* Read conmon's exit file <exit_dir>/<id>: the status as conmon wrote it
 * (exit code, 128+signal for a killed process, -1 when conmon's --timeout
 * fired) and when it was written (nanoseconds since the epoch; when may be
 * NULL).  Returns -ENOENT without touching err while the file does not
 * exist yet, so callers can poll. */
int exit_file_read(const char *exit_dir, const char *id, int *status, int64_t *when, robbe_error **err);
/* exit_file_read every 10 ms for up to timeout_ms (< 0: forever); -ENOENT,
 * err untouched, if the file did not appear in time. */
int exit_file_wait(const char *exit_dir, const char *id, int timeout_ms, int *status, int64_t *when,
		   robbe_error **err);

/* Whether pid exists and is not a zombie (an orphaned container process may
 * linger unreaped when its conmon is gone). */
bool process_alive(pid_t pid);

/* Wait until pid is gone (process_alive false) or timeout_ms passes,
 * polling every 10 ms; true if it is gone. */
bool process_wait_gone(pid_t pid, int timeout_ms);

/* Stop a running container as Podman does: if timeout_seconds > 0, send
 * stop_signal through the runtime and poll the pid every 10 ms until it is
 * gone or the timeout passes; then SIGKILL and wait up to 5 s.  pid <= 0:
 * ask the runtime for it.  A container that is already stopped is success.
 * The exit status is conmon's to record (exit_file_read): 128+signal when
 * the signal killed it. */
int stop_container(const char *runtime, const char *id, pid_t pid, int stop_signal, int timeout_seconds,
		   robbe_error **err);

#endif
