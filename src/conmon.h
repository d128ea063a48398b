/* conmon.h: creating a container under Debian's conmon, as Podman does.
 *
 * conmon_create() forks conmon with the container's paths; conmon forks
 * `runtime create`, reports the container's pid and stays behind (double
 * fork, its own session) holding the container's stdio, log and exit
 * status.  robbe then runs `runtime start` itself (runtime_start()) and
 * exits: nothing of robbe stays resident.  When the container exits, conmon
 * writes the exit file (exit_file_read()) and runs the exit command.
 *
 * The container process is a descendant of the caller, so it inherits the
 * caller's audit login uid (/proc/<pid>/loginuid): robbe never changes it.
 *
 * If conmon dies (SIGKILL; tested with conmon 2.1.6 and runc 1.1.5), the
 * container keeps running with the same pid and `runtime state` still says
 * running; once it exits, `state` says stopped, but no exit file is ever
 * written and the exit code is lost (the orphan is reparented to pid 1 or
 * the nearest subreaper, which may leave it a zombie: process_alive()
 * counts zombies as gone).  Podman then records exit code -1 after waiting
 * 5 s for the exit file; robbe's state sync should do the same.  Output
 * written after conmon's death goes to a pipe without a reader (SIGPIPE).
 */
#ifndef ROBBE_CONMON_H
#define ROBBE_CONMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "runtime.h"
#include "util.h"

struct conmon_request {
	const char *id;		/* container ID (conmon -c and -u) */
	const char *name;	/* container name (-n); NULL: the ID */
	const char *runtime;	/* OCI runtime name or path; NULL: runc on PATH */
	const char *conmon;	/* conmon name or path; NULL: on PATH, else the usual places */
	struct runtime_paths paths;	/* bundle must hold config.json already */
	bool tty;		/* the spec has process.terminal: conmon takes the pty */
	bool stdin_open;	/* keep a stdin pipe (attach socket) */
	/* Keep the container's stdin open when an attached client leaves
	 * (Docker's StdinOnce false); else the first client's end closes it. */
	bool leave_stdin_open;
	const char *log_driver;	/* "k8s-file" (NULL too), "none" or "passthrough" */
	int64_t log_size_max;	/* bytes; <= 0: unlimited */
	/* Run by conmon when the container exits: an absolute path and its
	 * arguments, e.g. {robbe, --root, R, container, cleanup, ID}.
	 * NULL: none. */
	char *const *exit_command;
	const char *log_level;	/* conmon's: error, warning, info, debug, trace; NULL: conmon's default */
	bool syslog;		/* conmon also logs to syslog (its stderr is /dev/null once detached) */
	char *const *runtime_flags;	/* global runtime flags (--runtime-flag), before the verb */
	const char *xdg_runtime_dir;	/* NULL: the caller's, "" for root, as Podman */
	int timeout_seconds;	/* how long to wait for conmon's report; 0: 60 */
};

/* Create the container: returns once the runtime has created it (state
 * "created", process not yet running) with its pid and conmon's pid.
 * Creates exit_dir, persist_dir and the directories of the pid files and
 * log; removes a stale exit file, pid files and oci-log first.
 *
 * On failure the error message is the runtime's own text, unchanged (e.g.
 * `runc create failed: unable to start container process: exec: "foo":
 * executable file not found in $PATH`), so the command layer can map it
 * to 126/127; the runtime's leftover state is deleted (`delete --force`). */
int conmon_create(const struct conmon_request *req, pid_t *container_pid, pid_t *conmon_pid, robbe_error **err);

/* The argv conmon_create() runs, for tests and debugging (conmon and
 * runtime are the resolved paths).  NULL-terminated; strv_free() it. */
char **conmon_argv(const struct conmon_request *req, const char *conmon, const char *runtime);

#endif
