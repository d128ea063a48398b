/* rootless.h: robbe for an unprivileged user — one user namespace per user,
 * kept alive between commands.
 *
 * The first command a user runs that needs the store creates a user and a
 * mount namespace, maps the user to uid 0 in it and the user's subordinate
 * ids (/etc/subuid, /etc/subgid, through the setuid newuidmap/newgidmap) to
 * 1..n, and leaves a tiny "pause" process behind that holds both namespaces.
 * Its pid goes to <user's run dir>/pause.pid.  Every later command joins
 * them with setns() before it does anything else (so from a single-threaded
 * process, early in main), and runs as uid 0 there: it can chown into the
 * mapped range, mount overlayfs with userxattr, and run conmon and runc,
 * whose state and mounts then live in that same mount namespace.
 *
 * Nothing is a daemon: the pause process only sleeps, and every robbe,
 * conmon and container process stays a descendant of the user's own shell,
 * so the kernel's audit login uid (/proc/self/loginuid) is the user's.
 *
 * Inside, ROBBE_USERNS_OWNER holds the user's uid, so paths.c keeps the
 * user's own directories although the process looks like root.
 */
#ifndef ROBBE_ROOTLESS_H
#define ROBBE_ROOTLESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

#define ROOTLESS_OWNER_ENV "ROBBE_USERNS_OWNER"
/* The name the pause process runs under (its comm), checked before joining. */
#define ROOTLESS_PAUSE_NAME "robbe-pause"

/* True when this process runs in a user namespace other than the initial
 * one (its uid_map is not the identity over all ids).  Cached. */
bool rootless_in_userns(void);

/* True when this process is uid 0 inside robbe's user namespace, acting for
 * the user ROBBE_USERNS_OWNER names; *owner (may be NULL) gets that uid. */
bool rootless_inside(uid_t *owner);

/* Enter robbe's namespaces for the calling (non-root) user: join the pause
 * process's user and mount namespaces, creating them first if there is no
 * live pause process (under a lock, so two first commands make one).  On
 * success the process is uid 0 in the namespace, its working directory is
 * kept, and ROBBE_USERNS_OWNER is set.  Must run while single-threaded.
 * Root (euid 0) and a process already inside: nothing to do.  *warnings
 * (NULL-terminated, may stay NULL) gets what the user should hear: a
 * namespace made without subordinate ids maps only the user's own ids. */
int rootless_enter(char ***warnings, robbe_error **err);

/* The pause process: main() calls rootless_pause_main() when
 * rootless_pause_requested(argc, argv) (set up by rootless_enter's re-exec). */
bool rootless_pause_requested(int argc, char **argv);
int rootless_pause_main(void);

/* ---- the mappings ---------------------------------------------------- */

/* One range of subordinate ids: start..start+count-1 on the host. */
struct rootless_range {
	uint32_t start, count;
};

/* The ranges a /etc/subuid (or /etc/subgid) text gives user `name` (may
 * be NULL) with id `id`: lines "name:start:count" or "id:start:count",
 * sorted by start; malformed lines, empty ranges and ranges holding id
 * itself are skipped, and at most 339 ranges are kept (the kernel takes
 * 340 lines, one is the user's own).  Returns the number of ranges. */
size_t rootless_parse_subids(const char *text, const char *name, uint32_t id, struct rootless_range **out);

/* The argv of newuidmap/newgidmap for pid: "<prog> <pid> 0 <id> 1" and then
 * "<inside> <start> <count>" for each range, inside counting up from 1. */
char **rootless_map_argv(const char *prog, pid_t pid, uint32_t id, const struct rootless_range *r, size_t n);

/* One line of /proc/<pid>/uid_map or gid_map. */
struct rootless_idmap {
	uint32_t inside, outside, count;
};
/* Parse a uid_map/gid_map text; returns the number of lines (at most max). */
size_t rootless_parse_idmap(const char *text, struct rootless_idmap *out, size_t max);
/* The number of ids mapped in this process's user namespace (the sum of
 * the uid_map or gid_map counts) and the host id that uid 0 (gid 0) is;
 * -1 with err set when the map cannot be read. */
int rootless_ns_ids(bool gid, uint32_t *count, uint32_t *host_zero, robbe_error **err);

#endif
