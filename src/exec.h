/* exec.h: running one more process in a running container (`docker exec`).
 *
 * robbe runs `runc exec --process <spec>` itself, as a child of the robbe
 * command, instead of going through the container's conmon: the process's
 * stdin and stdout are robbe's own descriptors, and runc waits for the
 * process and exits with its status (128+N for a signal), so robbe's exit
 * status is the process's and nothing outlives the command except what -d
 * asked for.  runc's own stderr is a pipe robbe relays: what runc prints
 * when the process could not start is held back and turned into Docker's
 * "OCI runtime exec failed: ..." error instead (see exec_run).
 *
 * With a terminal, runc makes the pty, puts our terminal in raw mode and
 * follows its size (SIGWINCH) itself; it needs a terminal on its stdin, so
 * -t without any terminal on stdin or stdout fails (Docker allows it).
 * With -d runc runs detached (the process is adopted by the host's init
 * once runc exits) and -t is dropped.
 */
#ifndef ROBBE_EXEC_H
#define ROBBE_EXEC_H

#include <stdbool.h>

#include "container.h"
#include "util.h"

struct exec_request {
	char *const *argv;		/* the command; at least one word */
	/* "K=V" entries laid over the container's environment in order; a
	 * bare "K" removes K.  May be NULL. */
	char *const *env;
	const char *workdir;		/* NULL or "": the container's */
	const char *user;		/* NULL or "": the container's */
	bool tty;			/* -t */
	bool interactive;		/* -i: our stdin goes to the process */
	bool detach;			/* -d: return once the process started */
	bool privileged;		/* every capability we have */
};

/* The OCI process object for req, made from the container's own process
 * object (its config.json "process"): args replaced, env overlaid, cwd and
 * user replaced when asked (the user is resolved in rootfs's passwd and
 * group files), terminal set to req->tty (TERM=xterm added when missing),
 * and with privileged every available capability in every set. */
int exec_process_spec(const cJSON *container_process, const char *rootfs, const struct exec_request *req,
		      cJSON **out, robbe_error **err);

/* Run req in container c, which must be running: errors with Docker's
 * words ("container <id> is not running", "Container <id> is paused,
 * unpause the container before exec", status 1).  *status is the process's
 * exit status (0 with detach).  When the process could not start, the
 * error is "OCI runtime exec failed: <runc's message>: unknown" with
 * status 127 (not found) or 126 (anything else, and a -u user that is not
 * in the container). */
int exec_run(struct container_env *env, const struct store_container *c, const struct exec_request *req,
	     int *status, robbe_error **err);

#endif
