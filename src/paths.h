/* paths.h: the one place robbe's directories come from.
 *
 * Two trees: `root` holds what must survive a reboot (the database, images,
 * layers, volumes); `runroot` sits on a tmpfs and holds what must not (conmon
 * sockets, pid files, the boot marker).  Precedence for each: the command-line
 * option, then $ROBBE_ROOT / $ROBBE_RUNROOT, then the default:
 *
 *   rootful   /var/lib/robbe                       /run/robbe
 *   rootless  $XDG_DATA_HOME/robbe                 $XDG_RUNTIME_DIR/robbe
 *             (default ~/.local/share/robbe)       (else /run/user/<uid>/robbe if that
 *                                                   directory is the user's, else
 *                                                   /tmp/robbe-<uid>, which must be ours)
 */
#ifndef ROBBE_PATHS_H
#define ROBBE_PATHS_H

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

struct robbe_paths {
	char *root;	/* persistent state, absolute */
	char *runroot;	/* volatile state, absolute */
	bool rootless;	/* running for an unprivileged user */
	/* True when we are uid 0 inside robbe's own user namespace: the
	 * process looks like root but acts for the user in ROBBE_USERNS_OWNER. */
	bool userns;
	uid_t uid;	/* the user robbe acts for (the real user when rootless) */
};

/* Fill p.  root_opt/runroot_opt come from --root/--runroot and may be NULL.
 * Creates nothing; store_open() (through paths_ensure_dirs) does. */
int paths_init(struct robbe_paths *p, const char *root_opt, const char *runroot_opt, robbe_error **err);
void paths_release(struct robbe_paths *p);

/* The default runroot of the user robbe acts for, whatever --runroot and
 * $ROBBE_RUNROOT say: where that user's pause process is recorded
 * (rootless.h), one per user as in Podman.  Creates nothing. */
int paths_default_runroot(char **out, robbe_error **err);

/* Create root and runroot (mode 0700) if missing, and refuse a runroot that
 * is not a directory we own: in a shared /tmp someone else could have made it
 * first and would then control our sockets and pid files. */
int paths_ensure_dirs(const struct robbe_paths *p, robbe_error **err);

/* Derived paths; the caller frees them. */
char *paths_db(const struct robbe_paths *p);		/* <root>/robbe.db */
char *paths_alive(const struct robbe_paths *p);		/* <runroot>/alive */
/* <root>/<rel> and <runroot>/<rel>, for areas that keep their own files. */
char *paths_in_root(const struct robbe_paths *p, const char *rel);
char *paths_in_runroot(const struct robbe_paths *p, const char *rel);

/* Everything paths_init reads from the process, so tests can vary it. */
struct paths_env {
	uid_t euid;
	const char *home;		/* $HOME; NULL: ask the password database */
	const char *xdg_data_home;
	const char *xdg_runtime_dir;
	const char *root_env;		/* $ROBBE_ROOT */
	const char *runroot_env;	/* $ROBBE_RUNROOT */
	const char *userns_owner;	/* $ROBBE_USERNS_OWNER */
	bool in_userns;			/* not in the initial user namespace: the
					 * owner variable counts only then */
	const char *run_user_base;	/* "/run/user" */
	const char *tmp_base;		/* "/tmp" */
};
#ifdef ROBBE_UNITTEST
int paths_resolve(struct robbe_paths *p, const struct paths_env *env, const char *root_opt,
		  const char *runroot_opt, robbe_error **err);
#endif

#endif
