/* spec.h: build the OCI runtime configuration (a bundle's config.json) of a
 * container from its image config and an engine-level request.
 *
 * The request says what the user asked for in engine terms; compat/
 * translates `docker run`/`create` flags into it (resolving `-e K` from the
 * caller's environment, --env-file, volume names to host paths, byte sizes)
 * and spec_generate() applies Docker 28's rules and defaults: the command
 * from Entrypoint+Cmd, environment, the user looked up inside the root
 * filesystem, capabilities, seccomp, masked and read-only /proc paths,
 * default mounts and devices, namespaces, cgroup resources, sysctls and
 * rlimits.  The result is a cJSON object runc 1.1 accepts.
 */
#ifndef ROBBE_SPEC_H
#define ROBBE_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/* The OCI version runc 1.1.5 reports as its spec. */
#define SPEC_OCI_VERSION "1.0.2-dev"

/* Where --init puts the init binary inside the container. */
#define SPEC_INIT_PATH "/run/robbe-init"

/* Default size of /dev/shm, as Docker's. */
#define SPEC_SHM_SIZE_DEFAULT (64 * 1024 * 1024)

/* RLIMIT_NOFILE robbe gives containers unless --ulimit nofile says
 * otherwise; lowered to what this process can grant (see spec_generate). */
#define SPEC_NOFILE_DEFAULT 1048576

/* A mount, already resolved: volumes are host paths by now. */
struct spec_mount {
	const char *type;	/* "bind" or "tmpfs" (any other OCI type passes through) */
	const char *source;	/* host path for bind; ignored for tmpfs ("tmpfs") */
	const char *destination;	/* absolute path in the container */
	char *const *options;	/* NULL-terminated, may be NULL.  Bind: "ro", "rw",
				 * "bind" (non-recursive), "rbind", propagation
				 * ("rprivate", "rshared", "rslave", ...), "rro", "nosuid"...
				 * robbe adds "rbind" and "rprivate" when none is given.
				 * tmpfs: "size=64m", "mode=1777", "exec", ...; merged over
				 * Docker's defaults noexec,nosuid,nodev,rprivate. */
};

/* --ulimit name=soft[:hard]; -1 is unlimited. */
struct spec_ulimit {
	const char *name;	/* "nofile", "nproc", "core", ... (units_ulimit_resource) */
	int64_t soft, hard;
};

/* uid/gid mapping of a user namespace. */
struct spec_idmap {
	uint32_t container_id, host_id, size;
};

enum spec_cgroupns {
	SPEC_CGROUPNS_DEFAULT,	/* Docker's: private on cgroup v2, host on v1 */
	SPEC_CGROUPNS_HOST,
	SPEC_CGROUPNS_PRIVATE,
};

/* --userns. */
enum spec_userns {
	SPEC_USERNS_DEFAULT,	/* rootful: none; rootless: robbe's own namespace */
	SPEC_USERNS_HOST,	/* the same as the default */
	SPEC_USERNS_KEEP_ID,	/* rootless: the user's uid and gid inside are their own */
};
/* "host", "keep-id", or ""/NULL for the default; else an error. */
int spec_userns_parse(const char *s, enum spec_userns *out, robbe_error **err);

/* Resource limits; 0 everywhere means "not set". */
struct spec_resources {
	int64_t memory;		/* bytes; at least 6 MiB when set */
	int64_t memory_swap;	/* memory+swap bytes; -1 unlimited; 0 = twice memory when memory is set */
	int64_t memory_reservation;	/* bytes (soft limit) */
	int64_t cpu_shares;	/* relative weight (cgroup v1 shares; runc converts for v2) */
	int64_t cpu_quota;	/* microseconds per period; conflicts with nano_cpus */
	int64_t cpu_period;	/* microseconds, 1000..1000000; conflicts with nano_cpus */
	int64_t nano_cpus;	/* --cpus × 1e9: quota = nano_cpus × 100000 / 1e9 per 100 ms */
	int64_t pids_limit;	/* > 0 limit; < 0 unlimited; 0 not set */
	const char *cpuset_cpus;	/* "0-3,5", or NULL */
	const char *cpuset_mems;	/* or NULL */
};

struct spec_request {
	/* The image's "config" object (Env, Entrypoint, Cmd, WorkingDir, User,
	 * StopSignal, ...); may be NULL for an image without one. */
	const cJSON *image_config;

	/* --entrypoint: when entrypoint_set, entrypoint replaces the image's and
	 * the image's Cmd is dropped (cmd still applies).  An empty vector or
	 * [""] resets the entrypoint to none (`--entrypoint ""`). */
	char *const *entrypoint;
	bool entrypoint_set;
	/* The command after IMAGE; NULL or empty keeps the image's Cmd. */
	char *const *cmd;

	/* Environment as K=V, already resolved by the caller; overrides the
	 * image's by key.  An entry "K" without "=" removes K (Docker's `-e K`
	 * when K is unset in the caller). */
	char *const *env;

	/* --user: "", "name", "uid", "name:group", "uid:gid" (NULL or "" = the
	 * image's User, else root); looked up in the root's /etc/passwd and
	 * /etc/group.  group_add: --group-add names or gids. */
	const char *user;
	char *const *group_add;
	const char *workdir;	/* absolute; NULL = image WorkingDir, else "/" */
	const char *hostname;	/* NULL = first 12 characters of container_id
				 * (the host's name with host networking) */
	const char *domainname;	/* NULL = none */

	bool tty;		/* process.terminal; also sets TERM=xterm */
	bool stdin_open;	/* -i: recorded for the caller, no effect on the spec */
	bool privileged;	/* all available capabilities and host devices, no
				 * seccomp (unless seccomp_profile names a file), no
				 * masked or read-only paths, /sys and cgroups writable */
	bool read_only;		/* read-only root and default mounts */
	bool no_new_privileges;
	bool init;		/* run init_path as PID 1 (catatonit), the command under it */
	const char *init_path;	/* host path; NULL = find catatonit */

	/* --cap-add/--cap-drop: names with or without CAP_, any case, or "ALL". */
	char *const *cap_add;
	char *const *cap_drop;

	/* NULL or "default": Docker's default profile; "unconfined": none;
	 * otherwise the path of a JSON profile in Docker's format. */
	const char *seccomp_profile;

	const struct spec_mount *mounts;	/* binds, volumes, --mount tmpfs */
	size_t n_mounts;
	char *const *tmpfs;	/* --tmpfs "/path[:opts]" */
	int64_t shm_size;	/* bytes; 0 = SPEC_SHM_SIZE_DEFAULT */

	const struct spec_ulimit *ulimits;
	size_t n_ulimits;
	struct spec_resources resources;

	char *const *sysctls;	/* "k=v"; only namespaced ones are accepted */
	char *const *devices;	/* --device "/dev/x[:/dev/y][:rwm]" */

	/* Namespaces.  netns_path: NULL = a new network namespace; "host" = the
	 * host's; otherwise a path to join (/proc/PID/ns/net, /run/netns/X).
	 * *_ns_path join another container's namespace (pods, container:X)
	 * and win over share_host_*. */
	const char *netns_path;
	bool share_host_pid, share_host_ipc, share_host_uts;
	const char *pid_ns_path, *ipc_ns_path, *uts_ns_path;
	enum spec_cgroupns cgroupns;

	const char *stop_signal;	/* NULL = image StopSignal; recorded as an annotation */
	char *const *annotations;	/* "k=v" */

	const char *rootfs;	/* path of the mounted root filesystem (required) */
	/* Host files bound at /etc/hosts, /etc/resolv.conf, /etc/hostname;
	 * NULL = not bound. */
	const char *hosts_path, *resolv_path, *hostname_path;
	char *const *masked_paths_extra;	/* added to the default masked paths */

	/* A user namespace with these mappings is created when n_uid_map > 0.
	 * rootless: build the config for a rootless container (see
	 * spec-rootless.c) even if this process is not in a user namespace;
	 * in one, it always is.  userns: --userns; keep-id is rootless only. */
	bool rootless;
	enum spec_userns userns;
	const struct spec_idmap *uid_map, *gid_map;
	size_t n_uid_map, n_gid_map;

	const char *cgroup_parent;	/* NULL = "/robbe" */
	const char *container_id;	/* 64 hex; names the cgroup and the default hostname */
};

/* Build the OCI config.  On success *out_config is a new cJSON object the
 * caller owns and *out_warnings (if not NULL) a NULL-terminated vector of
 * Docker-style warnings (possibly NULL), e.g. a swap limit the kernel cannot
 * apply.  The root filesystem is only read (etc/passwd, etc/group), never
 * written, and never through a link that leaves it.
 *
 * rlimits: every --ulimit, plus RLIMIT_NOFILE SPEC_NOFILE_DEFAULT when not
 * given.  Without CAP_SYS_RESOURCE nothing can be raised above this process's
 * hard limit: the default is lowered to it, and an explicit --ulimit above
 * it fails. */
int spec_generate(const struct spec_request *req, cJSON **out_config, char ***out_warnings,
		  robbe_error **err);

/* Entrypoint + Cmd as Docker merges them (see struct spec_request): the
 * process argv, or "no command specified". */
int spec_command(const cJSON *image_config, char *const *entrypoint, bool entrypoint_set,
		 char *const *cmd, char ***out_argv, robbe_error **err);

/* Docker's environment: PATH (default unless given), HOSTNAME, TERM=xterm
 * with a tty, then the image's and the request's entries by key (request
 * wins; "K" alone removes K), then HOME=home unless set. */
char **spec_environment(const cJSON *image_config, char *const *env, const char *hostname, bool tty,
			const char *home);

/* A user resolved inside a root filesystem. */
struct spec_user {
	uint32_t uid, gid;
	uint32_t *gids;		/* additional groups: gid, /etc/group memberships, --group-add */
	size_t n_gids;
	char *home;		/* passwd home, or "/" */
	char *name;		/* passwd name, NULL when the user has no entry */
};

/* Resolve user ("name", "uid", "name:group", "uid:gid"; "" = root) and
 * group_add in rootfs/etc/passwd and rootfs/etc/group the way Docker does,
 * opening the files without following links out of rootfs.  Errors use
 * Docker's words: "unable to find user X: no matching entries in passwd
 * file". */
int spec_user_resolve(const char *rootfs, const char *user, char *const *group_add, struct spec_user *out,
		      robbe_error **err);
void spec_user_release(struct spec_user *u);

#endif
