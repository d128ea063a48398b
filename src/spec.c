/* spec.c: the OCI runtime configuration of a container (see spec.h).
 *
 * The rules are Docker 28's (moby daemon/oci_linux.go and friends): the same
 * request gives the process the same argv, environment, user, capabilities,
 * seccomp filter, mounts, devices and limits it would get from dockerd.
 * Security-relevant choices are commented where they are made.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "rootless.h"
#include "spec-internal.h"
#include "units.h"

#define DEFAULT_PATH_ENV "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define MIN_MEMORY (6 * 1024 * 1024)
#define SECCOMP_PROFILE_MAX (1u << 20)
#define CGROUP2_MAGIC 0x63677270

/* Tests pin what would otherwise come from this process and host. */
UNITTEST char **spec_test_caps_available;
UNITTEST int spec_test_can_raise = -1;

static const char *const init_candidates[] = {
	"/usr/bin/catatonit",
	"/usr/libexec/podman/catatonit",
	"/usr/libexec/catatonit/catatonit",
	"/usr/local/bin/catatonit",
	"/usr/local/libexec/podman/catatonit",
};

/* ---------------------------------------------------------------------- */
/* Command and environment */

static const cJSON *image_field(const cJSON *cfg, const char *name)
{
	return cfg ? cJSON_GetObjectItemCaseSensitive(cfg, name) : NULL;
}

static const char *image_string(const cJSON *cfg, const char *name)
{
	const cJSON *j = image_field(cfg, name);
	return cJSON_IsString(j) && *j->valuestring ? j->valuestring : NULL;
}

static char **image_strv(const cJSON *cfg, const char *name)
{
	const cJSON *arr = image_field(cfg, name), *it;
	char **v = NULL;

	if (!cJSON_IsArray(arr))
		return NULL;
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			strv_push(&v, it->valuestring);
	return v;
}

int spec_command(const cJSON *image_config, char *const *entrypoint, bool entrypoint_set, char *const *cmd,
		 char ***out_argv, robbe_error **err)
{
	cleanup_strv char **ep = NULL;
	cleanup_strv char **args = NULL;

	*out_argv = NULL;
	if (entrypoint_set) {
		/* --entrypoint replaces the image's entrypoint and drops its Cmd. */
		ep = strv_dup(entrypoint);
		args = strv_dup(cmd);
	} else {
		ep = image_strv(image_config, "Entrypoint");
		args = cmd && cmd[0] ? strv_dup(cmd) : image_strv(image_config, "Cmd");
	}
	/* [""] is how an empty entrypoint is written. */
	if (strv_len(ep) == 1 && !ep[0][0]) {
		strv_free(ep);
		ep = NULL;
	}

	char **argv = NULL;
	for (size_t i = 0; ep && ep[i]; i++)
		strv_push(&argv, ep[i]);
	for (size_t i = 0; args && args[i]; i++)
		strv_push(&argv, args[i]);
	if (!argv)
		return robbe_error_set(err, EXIT_ENGINE, "no command specified");
	*out_argv = argv;
	return 0;
}

static size_t env_key_len(const char *e)
{
	const char *eq = strchr(e, '=');
	return eq ? (size_t) (eq - e) : strlen(e);
}

static bool env_same_key(const char *a, const char *b)
{
	size_t la = env_key_len(a);
	return la == env_key_len(b) && strncmp(a, b, la) == 0;
}

/* Docker's ReplaceOrAppendEnvValues: an override replaces the entry with
 * its key in place, or is appended; "K" alone removes K. */
static void env_override(char ***env, char *const *overrides)
{
	for (size_t i = 0; overrides && overrides[i]; i++) {
		const char *o = overrides[i];
		bool unset = !strchr(o, '=');
		bool done = false;
		size_t n = strv_len(*env);
		for (size_t k = 0; k < n && !done; k++) {
			if (!env_same_key((*env)[k], o))
				continue;
			free((*env)[k]);
			if (unset) {
				memmove(&(*env)[k], &(*env)[k + 1], (n - k) * sizeof(char *));
			} else {
				(*env)[k] = xstrdup(o);
			}
			done = true;
		}
		if (!done && !unset)
			strv_push(env, o);
	}
}

char **spec_environment(const cJSON *image_config, char *const *env, const char *hostname, bool tty,
			const char *home)
{
	cleanup_strv char **image_env = image_strv(image_config, "Env");
	cleanup_strv char **config_env = strv_dup(env);
	char **out = NULL;

	/* Config.Env as Docker stores it: the request's entries, then the
	 * image's whose key the request does not name. */
	for (size_t i = 0; image_env && image_env[i]; i++) {
		bool named = false;
		for (size_t k = 0; config_env && config_env[k] && !named; k++)
			named = env_same_key(config_env[k], image_env[i]);
		if (!named)
			strv_push(&config_env, image_env[i]);
	}

	strv_push(&out, DEFAULT_PATH_ENV);
	strv_push_take(&out, xasprintf("HOSTNAME=%s", hostname ? hostname : ""));
	if (tty)
		strv_push(&out, "TERM=xterm");
	env_override(&out, config_env);

	bool has_home = false;
	for (size_t i = 0; out && out[i] && !has_home; i++)
		has_home = str_has_prefix(out[i], "HOME=");
	if (!has_home)
		strv_push_take(&out, xasprintf("HOME=%s", home && *home ? home : "/"));
	return out;
}

/* ---------------------------------------------------------------------- */
/* rlimits */

static bool have_cap_effective(cap_value_t cap)
{
	cap_t cur = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (!cur)
		return false;
	if (cap_get_flag(cur, cap, CAP_EFFECTIVE, &v) < 0)
		v = CAP_CLEAR;
	cap_free(cur);
	return v == CAP_SET;
}

static char *rlim_str(uint64_t v)
{
	return v == (uint64_t) RLIM_INFINITY ? xstrdup("unlimited") : xasprintf("%llu", (unsigned long long) v);
}

/* runc sets rlimits from a process with our capabilities: without
 * CAP_SYS_RESOURCE no hard limit can go above ours.  A default is lowered to
 * what we have; an explicit --ulimit that asks for more is an error, since
 * quietly granting less would surprise. */
UNITTEST int rlimit_fit(const char *name, bool is_default, const struct rlimit *cur, bool can_raise,
			uint64_t *soft, uint64_t *hard, robbe_error **err)
{
	if (can_raise || *hard <= (uint64_t) cur->rlim_max)
		return 0;
	if (!is_default) {
		cleanup_free char *want = rlim_str(*hard);
		cleanup_free char *have = rlim_str(cur->rlim_max);
		return robbe_error_set(err, EXIT_ENGINE,
				       "ulimit %s: hard limit %s is above this process's hard limit %s, and raising it needs CAP_SYS_RESOURCE",
				       name, want, have);
	}
	*hard = (uint64_t) cur->rlim_max;
	if (*soft > *hard)
		*soft = *hard;
	return 0;
}

static uint64_t ulimit_value(int64_t v)
{
	return v < 0 ? (uint64_t) RLIM_INFINITY : (uint64_t) v;
}

static int build_rlimits(const struct spec_request *req, cJSON **out, robbe_error **err)
{
	/* CAP_SYS_RESOURCE in a user namespace is not the host's: the
	 * kernel checks rlimits against the initial namespace's. */
	bool can_raise = spec_test_can_raise >= 0 ? spec_test_can_raise != 0
						  : have_cap_effective(CAP_SYS_RESOURCE) && !rootless_in_userns();
	cleanup_cjson cJSON *arr = cJSON_CreateArray();
	bool nofile_given = false;

	*out = NULL;
	for (size_t i = 0; i <= req->n_ulimits; i++) {
		const char *name;
		uint64_t soft, hard;
		bool is_default = i == req->n_ulimits;

		if (is_default) {
			if (nofile_given)
				break;
			name = "nofile";
			soft = hard = SPEC_NOFILE_DEFAULT;
		} else {
			const struct spec_ulimit *u = &req->ulimits[i];
			name = u->name ? u->name : "";
			soft = ulimit_value(u->soft);
			hard = ulimit_value(u->hard);
			if (soft > hard)
				return robbe_error_set(err, EXIT_ENGINE,
						       "ulimit soft limit must be less than or equal to hard limit: %lld > %lld",
						       (long long) u->soft, (long long) u->hard);
			for (size_t k = 0; k < i; k++)
				if (req->ulimits[k].name && strcmp(req->ulimits[k].name, name) == 0)
					return robbe_error_set(err, EXIT_ENGINE, "duplicate ulimit: %s", name);
			nofile_given = nofile_given || strcmp(name, "nofile") == 0;
		}
		int resource = units_ulimit_resource(name);
		if (resource < 0)
			return robbe_error_set(err, EXIT_ENGINE, "invalid ulimit type: %s", name);

		struct rlimit cur;
		if (getrlimit(resource, &cur) < 0)
			return robbe_error_errno(err, errno, "getrlimit %s", name);
		if (rlimit_fit(name, is_default, &cur, can_raise, &soft, &hard, err) < 0)
			return -1;

		cJSON *rl = cJSON_CreateObject();
		cleanup_free char *type = xasprintf("RLIMIT_%s", name);
		for (char *p = type; *p; p++)
			*p = (char) (*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
		cJSON_AddStringToObject(rl, "type", type);
		cJSON_AddItemToObject(rl, "hard", json_u64(hard));
		cJSON_AddItemToObject(rl, "soft", json_u64(soft));
		cJSON_AddItemToArray(arr, rl);
	}
	*out = steal_pointer(&arr);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Capabilities and seccomp */

static cJSON *strv_to_json(char *const *v)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; v && v[i]; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(v[i]));
	return arr;
}

static bool kernel_has_seccomp(void)
{
	return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 || errno != EINVAL;
}

static int build_seccomp(const struct spec_request *req, char *const *caps, cJSON **out, char ***warnings,
			 robbe_error **err)
{
	const char *prof = req->seccomp_profile;
	bool builtin = !prof || !*prof || strcmp(prof, "default") == 0 || strcmp(prof, "builtin") == 0;
	struct scmp_host host;

	*out = NULL;
	if (prof && strcmp(prof, "unconfined") == 0)
		return 0;
	/* --privileged runs without a filter unless a profile file is named. */
	if (req->privileged && builtin)
		return 0;
	if (!kernel_has_seccomp()) {
		if (!builtin)
			return robbe_error_set(err, EXIT_ENGINE,
					       "seccomp is not enabled in your kernel, cannot run a custom seccomp profile");
		strv_push(warnings, "seccomp is not enabled in your kernel, running container without default profile");
		return 0;
	}
	seccomp_host_detect(&host);
	if (builtin)
		return seccomp_render(&seccomp_default_profile, &host, caps, out, err);

	cleanup_free char *text = NULL;
	size_t len = 0;
	struct scmp_profile p;
	if (read_file_all(prof, SECCOMP_PROFILE_MAX, &text, &len, err) < 0)
		return robbe_error_wrap(err, "opening seccomp profile (%s) failed", prof);
	if (seccomp_profile_parse(text, len, &p, err) < 0)
		return -1;
	int r = seccomp_render(&p, &host, caps, out, err);
	seccomp_profile_release(&p);
	return r;
}

/* ---------------------------------------------------------------------- */
/* Resources, cgroups, sysctls */

static bool cgroup_unified(void)
{
	struct statfs st;
	return statfs("/sys/fs/cgroup", &st) == 0 && (unsigned long) st.f_type == CGROUP2_MAGIC;
}

static long online_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

static int build_resources(const struct spec_request *req, cJSON *res, char ***warnings, robbe_error **err)
{
	const struct spec_resources *r = &req->resources;
	int64_t swap = r->memory_swap;

	if (r->memory != 0 && r->memory < MIN_MEMORY)
		return robbe_error_set(err, EXIT_ENGINE, "Minimum memory limit allowed is 6MB");
	if (r->memory > 0 && swap == 0)
		swap = r->memory * 2;	/* Docker's default: as much swap as memory */
	if (r->memory > 0 && swap > 0 && swap < r->memory)
		return robbe_error_set(err, EXIT_ENGINE,
				       "Minimum memoryswap limit should be larger than memory limit, see usage");
	if (r->memory == 0 && swap > 0)
		return robbe_error_set(err, EXIT_ENGINE,
				       "You should always set the Memory limit when using Memoryswap limit, see usage");
	if (r->memory_reservation > 0 && r->memory_reservation < MIN_MEMORY)
		return robbe_error_set(err, EXIT_ENGINE, "Minimum memory reservation allowed is 6MB");
	if (r->memory > 0 && r->memory_reservation > 0 && r->memory < r->memory_reservation)
		return robbe_error_set(err, EXIT_ENGINE,
				       "Minimum memory limit can not be less than memory reservation limit, see usage");
	if (r->cpu_shares < 0)
		return robbe_error_set(err, EXIT_ENGINE, "invalid CPU shares (%lld): value must be a positive integer",
				       (long long) r->cpu_shares);
	if (r->nano_cpus > 0 && r->cpu_period > 0)
		return robbe_error_set(err, EXIT_ENGINE, "Conflicting options: Nano CPUs and CPU Period cannot both be set");
	if (r->nano_cpus > 0 && r->cpu_quota > 0)
		return robbe_error_set(err, EXIT_ENGINE, "Conflicting options: Nano CPUs and CPU Quota cannot both be set");
	if (r->nano_cpus != 0) {
		long n = online_cpus();
		if (r->nano_cpus < 0 || r->nano_cpus > (int64_t) n * 1000000000)
			return robbe_error_set(err, EXIT_ENGINE,
					       "range of CPUs is from 0.01 to %ld.00, as there are only %ld CPUs available", n,
					       n);
	}
	if (r->cpu_period != 0 && (r->cpu_period < 1000 || r->cpu_period > 1000000))
		return robbe_error_set(err, EXIT_ENGINE,
				       "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
	if (r->cpu_quota > 0 && r->cpu_quota < 1000)
		return robbe_error_set(err, EXIT_ENGINE, "CPU cfs quota can not be less than 1ms (i.e. 1000)");

	/* cgroup v1 can only limit swap with swap accounting. */
	if (r->memory > 0 && swap != -1 && !cgroup_unified()) {
		struct stat st;
		if (stat("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", &st) < 0) {
			strv_push(warnings, "Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.");
			swap = 0;
		}
	}

	if (r->memory > 0 || r->memory_reservation > 0 || swap != 0) {
		cJSON *mem = cJSON_AddObjectToObject(res, "memory");
		if (r->memory > 0)
			cJSON_AddItemToObject(mem, "limit", json_i64(r->memory));
		if (r->memory_reservation > 0)
			cJSON_AddItemToObject(mem, "reservation", json_i64(r->memory_reservation));
		if (swap != 0)
			cJSON_AddItemToObject(mem, "swap", json_i64(swap));
	}

	int64_t quota = r->cpu_quota, period = r->cpu_period;
	if (r->nano_cpus > 0) {
		period = 100000;
		quota = r->nano_cpus * period / 1000000000;
	}
	if (r->cpu_shares || quota || period || r->cpuset_cpus || r->cpuset_mems) {
		cJSON *cpu = cJSON_AddObjectToObject(res, "cpu");
		if (r->cpu_shares)
			cJSON_AddItemToObject(cpu, "shares", json_i64(r->cpu_shares));
		if (quota)
			cJSON_AddItemToObject(cpu, "quota", json_i64(quota));
		if (period)
			cJSON_AddItemToObject(cpu, "period", json_i64(period));
		if (r->cpuset_cpus && *r->cpuset_cpus)
			cJSON_AddStringToObject(cpu, "cpus", r->cpuset_cpus);
		if (r->cpuset_mems && *r->cpuset_mems)
			cJSON_AddStringToObject(cpu, "mems", r->cpuset_mems);
	}
	if (r->pids_limit != 0) {
		cJSON *pids = cJSON_AddObjectToObject(res, "pids");
		cJSON_AddItemToObject(pids, "limit", json_i64(r->pids_limit > 0 ? r->pids_limit : -1));
	}
	return 0;
}

static const char *const ipc_sysctls[] = {
	"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
	"kernel.shmmni", "kernel.shm_rmid_forced", NULL,
};

static bool sysctl_exists(const char *name)
{
	cleanup_free char *path = xasprintf("/proc/sys/%s", name);
	struct stat st;
	for (char *p = path + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
	return stat(path, &st) == 0;
}

/* Only sysctls that live in a namespace the container has of its own may
 * be set: anything else would change the host. */
static int build_sysctls(const struct spec_request *req, bool net_new, bool net_host, bool ipc_host, bool userns,
			 cJSON *lnx, robbe_error **err)
{
	cJSON *sys = cJSON_CreateObject();
	cJSON_AddItemToObject(lnx, "sysctl", sys);

	/* Docker's defaults for a network namespace of the container's own:
	 * unprivileged ping and low ports (both granted by capabilities
	 * anyway). */
	if (net_new) {
		if (!userns && sysctl_exists("net.ipv4.ping_group_range"))
			cJSON_AddStringToObject(sys, "net.ipv4.ping_group_range", "0 2147483647");
		if (sysctl_exists("net.ipv4.ip_unprivileged_port_start"))
			cJSON_AddStringToObject(sys, "net.ipv4.ip_unprivileged_port_start", "0");
	}

	for (size_t i = 0; req->sysctls && req->sysctls[i]; i++) {
		const char *kv = req->sysctls[i];
		const char *eq = strchr(kv, '=');
		if (!eq || eq == kv)
			return robbe_error_set(err, EXIT_ENGINE, "sysctl '%s' is not allowed", kv);
		cleanup_free char *key = xstrndup(kv, (size_t) (eq - kv));
		bool ipc = str_has_prefix(key, "fs.mqueue.");
		for (size_t k = 0; ipc_sysctls[k] && !ipc; k++)
			ipc = strcmp(ipc_sysctls[k], key) == 0;
		if (ipc) {
			if (ipc_host)
				return robbe_error_set(err, EXIT_ENGINE,
						       "sysctl \"%s\" is not allowed in the hosts ipc namespace", key);
		} else if (str_has_prefix(key, "net.")) {
			if (net_host)
				return robbe_error_set(err, EXIT_ENGINE,
						       "sysctl \"%s\" not allowed in host network namespace", key);
		} else {
			return robbe_error_set(err, EXIT_ENGINE, "sysctl '%s' is not allowed", kv);
		}
		cJSON_DeleteItemFromObjectCaseSensitive(sys, key);
		cJSON_AddStringToObject(sys, key, eq + 1);
	}
	return 0;
}

static void add_namespace(cJSON *arr, const char *type, const char *path)
{
	cJSON *ns = cJSON_CreateObject();
	cJSON_AddStringToObject(ns, "type", type);
	if (path)
		cJSON_AddStringToObject(ns, "path", path);
	cJSON_AddItemToArray(arr, ns);
}

static cJSON *idmaps_to_json(const struct spec_idmap *m, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "containerID", m[i].container_id);
		cJSON_AddNumberToObject(o, "hostID", m[i].host_id);
		cJSON_AddNumberToObject(o, "size", m[i].size);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* ---------------------------------------------------------------------- */

static int find_init(const struct spec_request *req, char **out, robbe_error **err)
{
	if (req->init_path && *req->init_path) {
		if (req->init_path[0] != '/' || access(req->init_path, X_OK) < 0)
			return robbe_error_errno(err, req->init_path[0] != '/' ? EINVAL : errno,
						 "init binary %s", req->init_path);
		*out = xstrdup(req->init_path);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(init_candidates); i++) {
		if (access(init_candidates[i], X_OK) == 0) {
			*out = xstrdup(init_candidates[i]);
			return 0;
		}
	}
	return robbe_error_set(err, EXIT_ENGINE, "--init needs catatonit, which was not found (apt-get install catatonit)");
}

/* Docker's Config.Hostname: given, else the host's name when the container
 * shares the host's network or UTS namespace, else the short id. */
static char *default_hostname(const struct spec_request *req, bool host_uts_or_net)
{
	char buf[256] = "";

	if (req->hostname && *req->hostname)
		return xstrdup(req->hostname);
	if (host_uts_or_net && gethostname(buf, sizeof(buf) - 1) == 0)
		return xstrdup(buf);
	return req->container_id ? xstrndup(req->container_id, 12) : xstrdup("");
}

int spec_generate(const struct spec_request *req, cJSON **out_config, char ***out_warnings, robbe_error **err)
{
	cleanup_strv char **warnings = NULL;
	cleanup_strv char **argv = NULL;
	cleanup_strv char **env = NULL;
	cleanup_strv char **known = NULL;
	cleanup_strv char **available = NULL;
	cleanup_strv char **caps = NULL;
	cleanup_free char *hostname = NULL;
	cleanup_free char *cwd = NULL;
	cleanup_free char *init_host = NULL;
	cleanup_cjson cJSON *cfg = NULL;
	cleanup_cjson cJSON *seccomp = NULL;
	cleanup_cjson cJSON *rlimits = NULL;
	cleanup_cjson cJSON *mounts = NULL;
	cleanup_cjson cJSON *devices = NULL;
	cleanup_cjson cJSON *dev_rules = NULL;
	__attribute__((cleanup(spec_user_release))) struct spec_user user = { 0 };
	__attribute__((cleanup(spec_rootless_release))) struct spec_rootless rl = { 0 };
	cleanup_free char *keep_id_user = NULL;

	*out_config = NULL;
	if (out_warnings)
		*out_warnings = NULL;
	if (!req->rootfs || !*req->rootfs)
		return robbe_error_set(err, EXIT_ENGINE, "the container has no root filesystem");
	if (req->rootfs[0] != '/')
		return robbe_error_set(err, EXIT_ENGINE, "the root filesystem path %s is not absolute", req->rootfs);

	const char *netns = req->netns_path;
	bool net_host = netns && strcmp(netns, "host") == 0;
	bool net_new = !netns;
	bool pid_private = !req->pid_ns_path && !req->share_host_pid;
	bool ipc_host = req->share_host_ipc && !req->ipc_ns_path;
	bool uts_private = !req->uts_ns_path && !req->share_host_uts;
	if (spec_rootless_prepare(req, &rl, err) < 0)
		return -1;
	bool userns = req->n_uid_map > 0 || rl.keep_id;

	/* The process. */
	if (spec_command(req->image_config, req->entrypoint, req->entrypoint_set, req->cmd, &argv, err) < 0)
		return -1;
	const char *wd = req->workdir && *req->workdir ? req->workdir : image_string(req->image_config, "WorkingDir");
	if (wd) {
		cwd = spec_clean_path(wd);
		if (!cwd)
			return robbe_error_set(err, EXIT_ENGINE,
					       "the working directory '%s' is invalid, it needs to be an absolute path", wd);
	} else {
		cwd = xstrdup("/");
	}
	const char *user_spec = req->user && *req->user ? req->user : image_string(req->image_config, "User");
	/* keep-id runs as the user unless told otherwise, as in Podman. */
	if (rl.keep_id && !(req->user && *req->user)) {
		keep_id_user = xasprintf("%u:%u", (unsigned) rl.uid, (unsigned) rl.gid);
		user_spec = keep_id_user;
	}
	if (spec_user_resolve(req->rootfs, user_spec, req->group_add, &user, err) < 0)
		return -1;
	if (rl.active && spec_rootless_check_user(&rl, &user, err) < 0)
		return -1;
	hostname = default_hostname(req, req->share_host_uts || net_host);
	env = spec_environment(req->image_config, req->env, hostname, req->tty, user.home);

	if (req->init && pid_private) {
		if (find_init(req, &init_host, err) < 0)
			return -1;
		char **with_init = NULL;
		strv_push(&with_init, SPEC_INIT_PATH);
		strv_push(&with_init, "--");
		for (size_t i = 0; argv[i]; i++)
			strv_push(&with_init, argv[i]);
		strv_free(argv);
		argv = with_init;
	}

	caps_host(&known, &available);
	if (spec_test_caps_available) {
		strv_free(available);
		available = strv_dup(spec_test_caps_available);
	}
	if (caps_compute(known, available, req->cap_add, req->cap_drop, req->privileged, &caps, err) < 0 ||
	    build_seccomp(req, caps, &seccomp, &warnings, err) < 0 || build_rlimits(req, &rlimits, err) < 0 ||
	    spec_mounts(req, init_host, &mounts, err) < 0 || spec_devices(req, &devices, &dev_rules, err) < 0)
		return -1;

	cfg = cJSON_CreateObject();
	cJSON_AddStringToObject(cfg, "ociVersion", SPEC_OCI_VERSION);

	cJSON *proc = cJSON_AddObjectToObject(cfg, "process");
	cJSON_AddBoolToObject(proc, "terminal", req->tty);
	cJSON *u = cJSON_AddObjectToObject(proc, "user");
	cJSON_AddNumberToObject(u, "uid", user.uid);
	cJSON_AddNumberToObject(u, "gid", user.gid);
	cJSON *gids = cJSON_AddArrayToObject(u, "additionalGids");
	for (size_t i = 0; i < user.n_gids; i++)
		cJSON_AddItemToArray(gids, cJSON_CreateNumber(user.gids[i]));
	cJSON_AddItemToObject(proc, "args", strv_to_json(argv));
	cJSON_AddItemToObject(proc, "env", strv_to_json(env));
	cJSON_AddStringToObject(proc, "cwd", cwd);
	/* Docker 28 fills bounding, effective and permitted, never inheritable
	 * or ambient: a non-root user keeps nothing across execve. */
	cJSON *pcaps = cJSON_AddObjectToObject(proc, "capabilities");
	cJSON_AddItemToObject(pcaps, "bounding", strv_to_json(caps));
	cJSON_AddItemToObject(pcaps, "effective", strv_to_json(caps));
	cJSON_AddItemToObject(pcaps, "permitted", strv_to_json(caps));
	cJSON_AddItemToObject(proc, "rlimits", steal_pointer(&rlimits));
	if (req->no_new_privileges)
		cJSON_AddBoolToObject(proc, "noNewPrivileges", true);

	cJSON *root = cJSON_AddObjectToObject(cfg, "root");
	cJSON_AddStringToObject(root, "path", req->rootfs);
	cJSON_AddBoolToObject(root, "readonly", req->read_only);

	if (uts_private) {
		cJSON_AddStringToObject(cfg, "hostname", hostname);
		if (req->domainname && *req->domainname)
			cJSON_AddStringToObject(cfg, "domainname", req->domainname);
	}
	if (rl.active)
		spec_rootless_mounts(mounts, net_host, ipc_host);
	cJSON_AddItemToObject(cfg, "mounts", steal_pointer(&mounts));

	cJSON *ann = cJSON_AddObjectToObject(cfg, "annotations");
	for (size_t i = 0; req->annotations && req->annotations[i]; i++) {
		const char *eq = strchr(req->annotations[i], '=');
		if (!eq || eq == req->annotations[i]) {
			return robbe_error_set(err, EXIT_ENGINE, "invalid annotation \"%s\": it must be key=value",
					       req->annotations[i]);
		}
		cleanup_free char *k = xstrndup(req->annotations[i], (size_t) (eq - req->annotations[i]));
		cJSON_DeleteItemFromObjectCaseSensitive(ann, k);
		cJSON_AddStringToObject(ann, k, eq + 1);
	}
	const char *stop = req->stop_signal && *req->stop_signal ? req->stop_signal
								 : image_string(req->image_config, "StopSignal");
	if (stop) {
		cJSON_DeleteItemFromObjectCaseSensitive(ann, "org.opencontainers.image.stopSignal");
		cJSON_AddStringToObject(ann, "org.opencontainers.image.stopSignal", stop);
	}

	cJSON *lnx = cJSON_AddObjectToObject(cfg, "linux");
	if (rl.keep_id) {
		cJSON_AddItemToObject(lnx, "uidMappings", idmaps_to_json(rl.uid_map, rl.n_uid_map));
		cJSON_AddItemToObject(lnx, "gidMappings", idmaps_to_json(rl.gid_map, rl.n_gid_map));
	} else if (userns) {
		cJSON_AddItemToObject(lnx, "uidMappings", idmaps_to_json(req->uid_map, req->n_uid_map));
		/* Without gid mappings the uid mappings serve for both. */
		if (req->n_gid_map)
			cJSON_AddItemToObject(lnx, "gidMappings", idmaps_to_json(req->gid_map, req->n_gid_map));
		else
			cJSON_AddItemToObject(lnx, "gidMappings", idmaps_to_json(req->uid_map, req->n_uid_map));
	}
	/* ping_group_range names host gids: unmapped ones are refused. */
	if (build_sysctls(req, net_new, net_host, ipc_host, userns || rl.active, lnx, err) < 0)
		return -1;

	cJSON *res = cJSON_AddObjectToObject(lnx, "resources");
	cJSON_AddItemToObject(res, "devices", steal_pointer(&dev_rules));
	/* Docker's checks of the values first, then whether they can apply. */
	if (build_resources(req, res, &warnings, err) < 0)
		return -1;
	if (rl.active && spec_rootless_check_resources(req, &rl, err) < 0)
		return -1;
	if (rl.active) {
		/* Only a cgroup the host delegates is ours; runc then makes
		 * none (and sets no limit, which was checked above). */
		cleanup_free char *cg = spec_rootless_cgroups_path(&rl, req);
		if (cg)
			cJSON_AddStringToObject(lnx, "cgroupsPath", cg);
	} else if (req->container_id && *req->container_id) {
		/* cgroupfs layout; a systemd "slice:prefix:name" form comes with
		 * the systemd cgroup manager. */
		const char *parent = req->cgroup_parent && *req->cgroup_parent ? req->cgroup_parent : "/robbe";
		cleanup_free char *cg = xasprintf("%s/robbe-%s", parent, req->container_id);
		cleanup_free char *clean = spec_clean_path(cg);
		cJSON_AddStringToObject(lnx, "cgroupsPath", clean ? clean : cg);
	}

	cJSON *nss = cJSON_AddArrayToObject(lnx, "namespaces");
	add_namespace(nss, "mount", NULL);
	if (!net_host)
		add_namespace(nss, "network", netns);
	if (!req->share_host_uts || req->uts_ns_path)
		add_namespace(nss, "uts", req->uts_ns_path);
	if (!req->share_host_pid || req->pid_ns_path)
		add_namespace(nss, "pid", req->pid_ns_path);
	if (!req->share_host_ipc || req->ipc_ns_path)
		add_namespace(nss, "ipc", req->ipc_ns_path);
	bool cgroupns = req->cgroupns == SPEC_CGROUPNS_PRIVATE ||
			(req->cgroupns == SPEC_CGROUPNS_DEFAULT && cgroup_unified());
	if (cgroupns)
		add_namespace(nss, "cgroup", NULL);
	if (userns)
		add_namespace(nss, "user", NULL);

	cJSON_AddItemToObject(lnx, "devices", steal_pointer(&devices));
	if (seccomp)
		cJSON_AddItemToObject(lnx, "seccomp", steal_pointer(&seccomp));

	/* Masking /proc and /sys files that leak or change host state; a
	 * privileged container is trusted with them, as in Docker. */
	if (!req->privileged) {
		cleanup_strv char **masked = masked_paths_default();
		for (size_t i = 0; req->masked_paths_extra && req->masked_paths_extra[i]; i++)
			if (!strv_contains(masked, req->masked_paths_extra[i]))
				strv_push(&masked, req->masked_paths_extra[i]);
		cJSON_AddItemToObject(lnx, "maskedPaths", strv_to_json(masked));
		cJSON_AddItemToObject(lnx, "readonlyPaths", strv_to_json((char *const *) readonly_paths_default));
	}

	*out_config = steal_pointer(&cfg);
	if (out_warnings)
		*out_warnings = steal_pointer(&warnings);
	return 0;
}
