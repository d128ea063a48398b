/* spec-internal.h: what spec.c, spec-security.c, spec-user.c and
 * seccomp-default.c share.  Not for use outside the spec generator. */
#ifndef ROBBE_SPEC_INTERNAL_H
#define ROBBE_SPEC_INTERNAL_H

#include <stdint.h>

#include "spec.h"
#include "util.h"

/* A JSON integer that stays exact.  cJSON holds doubles and prints large
 * ones in exponent form, which Go's decoder (runc) refuses for integer
 * fields, so those go out as raw text. */
static inline cJSON *json_i64(int64_t v)
{
	char buf[32];

	if (v > -1000000000000000LL && v < 1000000000000000LL)
		return cJSON_CreateNumber((double) v);
	snprintf(buf, sizeof(buf), "%lld", (long long) v);
	return cJSON_CreateRaw(buf);
}

static inline cJSON *json_u64(uint64_t v)
{
	char buf[32];

	if (v < 1000000000000000ULL)
		return cJSON_CreateNumber((double) v);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long) v);
	return cJSON_CreateRaw(buf);
}

/* ---- seccomp profiles in Docker's format, held as plain data ---- */

/* A condition on a rule: every listed item must hold ("includes") or any
 * listed item drops the rule ("excludes").  Arches use Docker's words
 * (amd64, x86, x32, arm64, arm, ...), not SCMP_ARCH_ names. */
struct scmp_cond {
	const char *const *caps;	/* NULL-terminated, or NULL */
	const char *const *arches;	/* NULL-terminated, or NULL */
	unsigned kernel_major, kernel_minor;	/* 0.0 = no kernel condition */
};

struct scmp_arg {
	unsigned index;
	uint64_t value, value_two;
	const char *op;		/* SCMP_CMP_* */
};

struct scmp_rule {
	const char *const *names;	/* NULL-terminated */
	const char *action;		/* SCMP_ACT_* */
	long errno_ret;			/* -1: not given */
	const struct scmp_arg *args;
	size_t n_args;
	struct scmp_cond includes, excludes;
};

struct scmp_archmap {
	const char *arch;		/* SCMP_ARCH_* */
	const char *const *sub;		/* NULL-terminated, or NULL */
};

struct scmp_profile {
	const char *default_action;
	long default_errno_ret;		/* -1: not given */
	const char *const *architectures;	/* used as given; NULL when absent */
	const struct scmp_archmap *arch_map;
	size_t n_arch_map;
	const char *const *flags;
	const struct scmp_rule *rules;
	size_t n_rules;

	/* Storage of a profile parsed from a file: strings point into doc,
	 * arrays are in owned.  Both empty for the built-in profile. */
	cJSON *doc;
	void **owned;
	size_t n_owned;
};

/* Docker 28's default profile (seccomp-default.c). */
extern const struct scmp_profile seccomp_default_profile;

/* Parse a Docker-format profile (JSON text) into *out; validates actions,
 * operators, architectures and the shape of every field. */
int seccomp_profile_parse(const char *json, size_t len, struct scmp_profile *out, robbe_error **err);
void seccomp_profile_release(struct scmp_profile *p);

/* The host as the profile conditions see it. */
struct scmp_host {
	const char *docker_arch;	/* "amd64", "arm64", ... */
	const char *oci_arch;		/* "SCMP_ARCH_X86_64", ... */
	unsigned kernel_major, kernel_minor;
};
void seccomp_host_detect(struct scmp_host *h);

/* Render the OCI linux.seccomp object for a process whose bounding set is
 * caps (NULL-terminated "CAP_X" names).  Syscall names libseccomp cannot
 * resolve are dropped, and rules left without names with them. */
int seccomp_render(const struct scmp_profile *p, const struct scmp_host *host, char *const *caps,
		   cJSON **out, robbe_error **err);

/* ---- capabilities (spec-security.c) ---- */

/* Every capability libcap and the kernel both know, as "CAP_X", in number
 * order; and whether this process could grant it (it is in our effective
 * set).  The vectors are owned by the caller. */
void caps_host(char ***known, char ***available);

/* Docker's rules: defaults, then --cap-drop/--cap-add with ALL; names
 * case-insensitive with or without CAP_.  privileged = every available
 * capability.  The result is deduplicated. */
int caps_compute(char *const *known, char *const *available, char *const *add, char *const *drop,
		 bool privileged, char ***out, robbe_error **err);

/* ---- default paths (spec-security.c) ---- */
/* Docker 28's masked paths, with /sys/devices/system/cpu/cpuN/thermal_throttle
 * for each CPU where it exists. */
char **masked_paths_default(void);
extern const char *const readonly_paths_default[];

/* ---- files inside a hostile root (spec-user.c) ---- */

/* Open path (relative to rootfd) for reading without following any link out
 * of the root: openat2(RESOLVE_IN_ROOT), or where the kernel lacks it a walk
 * that refuses symbolic links.  Only regular files are opened; anything
 * else, a missing file or a link loop is -ENOENT.  Returns an fd or -errno. */
int open_in_root(int rootfd, const char *path);

/* ---- mounts and devices (spec-mounts.c) ---- */

/* Clean an absolute container path lexically ("/a//b/./c/" -> "/a/b/c",
 * ".." resolved as path.Clean does); NULL if path is not absolute. */
char *spec_clean_path(const char *path);

/* Docker's tmpfs option merge: defaults noexec,nosuid,nodev,rprivate, then
 * opts ("size=64m,exec"), later flags of a kind and later key=value winning. */
int spec_tmpfs_options(const char *opts, char ***out, robbe_error **err);

/* The "mounts" array: Docker's defaults, the user's mounts, --tmpfs, the
 * /etc files, the init binary; sorted so parents come before children. */
int spec_mounts(const struct spec_request *req, const char *init_host_path, cJSON **out,
		robbe_error **err);

/* linux.devices and linux.resources.devices. */
int spec_devices(const struct spec_request *req, cJSON **devices, cJSON **cgroup_rules, robbe_error **err);

/* ---- rootless (spec-rootless.c) ---- */

struct spec_rootless {
	bool active;		/* build for a rootless container */
	bool keep_id;		/* --userns=keep-id: the nested mappings below */
	uint32_t uid, gid;	/* the user's ids on the host (uid 0 here) */
	uint32_t n_uids, n_gids;	/* ids robbe's namespace maps */
	struct spec_idmap uid_map[3], gid_map[3];	/* keep-id, in namespace ids */
	size_t n_uid_map, n_gid_map;
	char *cgroup_base;	/* the delegated cgroup v2 subtree, or NULL */
	char *cgroup_controllers;	/* its cgroup.controllers */
	const char *cgroup_why;	/* why there is none */
};
/* Fill rl for req: whether it is rootless at all, the namespace's ids,
 * keep-id's mappings, the cgroup delegation.  keep-id when not rootless is
 * an error. */
int spec_rootless_prepare(const struct spec_request *req, struct spec_rootless *rl, robbe_error **err);
void spec_rootless_release(struct spec_rootless *rl);
/* Refuse limits (and --cgroup-parent) the host gives no cgroup for. */
int spec_rootless_check_resources(const struct spec_request *req, const struct spec_rootless *rl, robbe_error **err);
/* Refuse a process uid/gid/additional gid the namespace does not map. */
struct spec_user;
int spec_rootless_check_user(const struct spec_rootless *rl, const struct spec_user *u, robbe_error **err);
/* linux.cgroupsPath under the delegated subtree, or NULL for none. */
char *spec_rootless_cgroups_path(const struct spec_rootless *rl, const struct spec_request *req);
/* Bind /sys (host network namespace) and /dev/mqueue (host IPC namespace)
 * instead of mounting them, in the "mounts" array. */
void spec_rootless_mounts(cJSON *mounts, bool net_host, bool ipc_host);

#ifdef ROBBE_UNITTEST
/* spec-rootless.c: keep-id's nested mapping for id in a namespace of
 * n_ids ids; the user manager's cgroup in a /proc/self/cgroup text. */
size_t spec_keepid_map(uint32_t id, uint32_t n_ids, struct spec_idmap out[3]);
char *spec_cgroup_user_base(const char *proc_self_cgroup, uint32_t uid);
/* Test hooks: the walk used where openat2 is missing; the capabilities this
 * process may grant; whether it may raise rlimits (-1: ask libcap). */
extern bool spec_test_no_openat2;
extern char **spec_test_caps_available;
extern int spec_test_can_raise;
struct rlimit;
int rlimit_fit(const char *name, bool is_default, const struct rlimit *cur, bool can_raise, uint64_t *soft,
	       uint64_t *hard, robbe_error **err);
#endif

#endif
