/* spec-rootless.c: what a container's OCI config needs when robbe runs in
 * a user namespace (rootless.h).  robbe is root there, but only there: the
 * host's cgroups, its network namespace's sysfs and its device numbers are
 * not its to use, and only the ids the namespace maps exist.
 *
 * What changes:
 *  - cgroups: only in a cgroup v2 subtree the host delegates to the user
 *    (systemd's user@<uid>.service with Delegate=); without one the
 *    container gets no cgroup, and limits (--memory, --cpus, ...) are
 *    refused with a message saying why, never dropped silently;
 *  - /sys is bound from the host when the container shares the host's
 *    network namespace (sysfs may only be mounted by the namespace's
 *    owner), and /dev/mqueue likewise with the host's IPC namespace;
 *  - the process's uid and gids must be mapped;
 *  - --userns=keep-id: a nested user namespace in which the user's own
 *    uid and gid are themselves, as Podman does.
 * Devices need nothing: runc binds them instead of mknod in a user
 * namespace.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "rootless.h"
#include "spec-internal.h"

#define CGROUP2_MAGIC 0x63677270

int spec_userns_parse(const char *s, enum spec_userns *out, robbe_error **err)
{
	if (!s || !*s)
		*out = SPEC_USERNS_DEFAULT;
	else if (!strcmp(s, "host"))
		*out = SPEC_USERNS_HOST;
	else if (!strcmp(s, "keep-id"))
		*out = SPEC_USERNS_KEEP_ID;
	else
		return robbe_error_set(err, EXIT_ENGINE, "invalid user namespace mode \"%s\": robbe knows host and keep-id",
				       s);
	return 0;
}

void spec_rootless_release(struct spec_rootless *rl)
{
	free(rl->cgroup_base);
	free(rl->cgroup_controllers);
	memset(rl, 0, sizeof(*rl));
}

/* ---- keep-id ------------------------------------------------------------- */

/* The nested mapping for keep-id, in namespace ids (0 is the user, 1..n-1
 * the subordinate ids): container id `id` is namespace 0, the ids below it
 * are namespace 1..id, the ids above stay themselves.  When the namespace
 * is smaller than id, as many ids as there are go below it. */
UNITTEST size_t spec_keepid_map(uint32_t id, uint32_t n_ids, struct spec_idmap out[3])
{
	size_t n = 0;
	uint32_t below = id < n_ids ? id : n_ids - 1;

	if (below > 0)
		out[n++] = (struct spec_idmap) { .container_id = 0, .host_id = 1, .size = below };
	out[n++] = (struct spec_idmap) { .container_id = id, .host_id = 0, .size = 1 };
	if (id < n_ids && n_ids - id - 1 > 0)
		out[n++] = (struct spec_idmap) { .container_id = id + 1, .host_id = id + 1, .size = n_ids - id - 1 };
	return n;
}

/* ---- cgroups -------------------------------------------------------------- */

static bool cgroup_v2(void)
{
	struct statfs st;

	return statfs("/sys/fs/cgroup", &st) == 0 && (unsigned long) st.f_type == CGROUP2_MAGIC;
}

/* The cgroup v2 subtree systemd delegates to the user, from the text of
 * /proc/self/cgroup: the path of "user@<uid>.service" in our own cgroup
 * ("0::/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope"
 * gives "/user.slice/user-1000.slice/user@1000.service"); NULL if we do
 * not run under the user's manager. */
UNITTEST char *spec_cgroup_user_base(const char *proc_self_cgroup, uint32_t uid)
{
	cleanup_free char *unit = xasprintf("/user@%u.service", (unsigned) uid);
	const char *line = proc_self_cgroup;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t) (nl - line) : strlen(line);

		if (len > 3 && !strncmp(line, "0::", 3)) {
			cleanup_free char *path = xstrndup(line + 3, len - 3);
			char *at = strstr(path, unit);

			while (at && at[strlen(unit)] != '/' && at[strlen(unit)] != '\0')
				at = strstr(at + 1, unit);
			if (!at)
				return NULL;
			at[strlen(unit)] = '\0';
			return xstrdup(path);
		}
		line = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* The delegated subtree and its controllers, if the host gives one:
 * cgroup v2, our manager's cgroup, writable by us (uid 0 here is the user
 * on the host). */
static void find_delegation(struct spec_rootless *rl)
{
	cleanup_free char *text = NULL, *base = NULL, *dir = NULL, *ctl_path = NULL, *ctl = NULL;
	cleanup_error robbe_error *e = NULL;

	if (!cgroup_v2()) {
		rl->cgroup_why = "this host has cgroup v1, which gives an unprivileged user no cgroup of its own";
		return;
	}
	rl->cgroup_why = "the host delegates no cgroup v2 subtree to this user (systemd's user@.service with Delegate=)";
	if (read_file_all("/proc/self/cgroup", 64 * 1024, &text, NULL, &e) < 0)
		return;
	base = spec_cgroup_user_base(text, rl->uid);
	if (!base)
		return;
	dir = xasprintf("/sys/fs/cgroup%s", base);
	ctl_path = xasprintf("%s/cgroup.subtree_control", dir);
	if (access(dir, W_OK) < 0 || access(ctl_path, W_OK) < 0)
		return;
	free(ctl_path);
	ctl_path = xasprintf("%s/cgroup.controllers", dir);
	if (read_file_all(ctl_path, 4096, &ctl, NULL, &e) < 0)
		return;
	rl->cgroup_base = steal_pointer(&base);
	rl->cgroup_controllers = steal_pointer(&ctl);
	rl->cgroup_why = NULL;
}

static bool has_controller(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

int spec_rootless_check_resources(const struct spec_request *req, const struct spec_rootless *rl, robbe_error **err)
{
	const struct spec_resources *r = &req->resources;
	const struct {
		bool set;
		const char *flag, *controller;
	} limits[] = {
		{ r->memory != 0, "--memory", "memory" },
		{ r->memory_swap != 0, "--memory-swap", "memory" },
		{ r->memory_reservation != 0, "--memory-reservation", "memory" },
		{ r->cpu_shares != 0, "--cpu-shares", "cpu" },
		{ r->nano_cpus != 0, "--cpus", "cpu" },
		{ r->cpu_quota != 0, "--cpu-quota", "cpu" },
		{ r->cpu_period != 0, "--cpu-period", "cpu" },
		{ r->pids_limit != 0, "--pids-limit", "pids" },
		{ r->cpuset_cpus && *r->cpuset_cpus, "--cpuset-cpus", "cpuset" },
		{ r->cpuset_mems && *r->cpuset_mems, "--cpuset-mems", "cpuset" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
		if (!limits[i].set)
			continue;
		if (!rl->cgroup_base)
			return robbe_error_set(err, EXIT_ENGINE,
					       "%s cannot be applied to a rootless container: %s, and without one robbe can "
					       "set no resource limits",
					       limits[i].flag, rl->cgroup_why ? rl->cgroup_why : "no cgroup");
		if (!has_controller(rl->cgroup_controllers, limits[i].controller))
			return robbe_error_set(err, EXIT_ENGINE,
					       "%s cannot be applied to a rootless container: the cgroup v2 subtree the host "
					       "delegates to this user (%s) lacks the %s controller",
					       limits[i].flag, rl->cgroup_base, limits[i].controller);
	}
	if (req->cgroup_parent && *req->cgroup_parent && !rl->cgroup_base)
		return robbe_error_set(err, EXIT_ENGINE, "--cgroup-parent cannot be used by a rootless container: %s",
				       rl->cgroup_why ? rl->cgroup_why : "no cgroup");
	return 0;
}

char *spec_rootless_cgroups_path(const struct spec_rootless *rl, const struct spec_request *req)
{
	const char *parent = req->cgroup_parent && *req->cgroup_parent ? req->cgroup_parent : "robbe";
	cleanup_free char *raw = NULL;

	if (!rl->cgroup_base || !req->container_id || !*req->container_id)
		return NULL;
	/* Under the delegated subtree, whatever the parent says: nothing
	 * outside it is ours.  runc enables the controllers on the way down
	 * (the subtree's own subtree_control is the user's to write). */
	raw = xasprintf("%s/%s/robbe-%s", rl->cgroup_base, parent, req->container_id);
	return spec_clean_path(raw);
}

/* ---- users ------------------------------------------------------------- */

/* Is container id `id` mapped: by the keep-id map when there is one, else
 * (the container in robbe's namespace itself) below the namespace's size. */
static bool id_mapped(const struct spec_idmap *m, size_t n, uint32_t n_ids, uint32_t id)
{
	if (n == 0)
		return id < n_ids;
	for (size_t i = 0; i < n; i++)
		if (id >= m[i].container_id && id - m[i].container_id < m[i].size)
			return true;
	return false;
}

int spec_rootless_check_user(const struct spec_rootless *rl, const struct spec_user *u, robbe_error **err)
{
	if (!id_mapped(rl->uid_map, rl->n_uid_map, rl->n_uids, u->uid))
		return robbe_error_set(err, EXIT_ENGINE,
				       "uid %u is not mapped in robbe's user namespace, which has %u uids (the user's own and "
				       "the ranges /etc/subuid gives it)",
				       (unsigned) u->uid, (unsigned) rl->n_uids);
	if (!id_mapped(rl->gid_map, rl->n_gid_map, rl->n_gids, u->gid))
		return robbe_error_set(err, EXIT_ENGINE,
				       "gid %u is not mapped in robbe's user namespace, which has %u gids (the user's own and "
				       "the ranges /etc/subgid gives it)",
				       (unsigned) u->gid, (unsigned) rl->n_gids);
	for (size_t i = 0; i < u->n_gids; i++)
		if (!id_mapped(rl->gid_map, rl->n_gid_map, rl->n_gids, u->gids[i]))
			return robbe_error_set(err, EXIT_ENGINE,
					       "additional gid %u is not mapped in robbe's user namespace, which has %u gids",
					       (unsigned) u->gids[i], (unsigned) rl->n_gids);
	return 0;
}

/* ---- mounts ------------------------------------------------------------- */

static void bind_instead(cJSON *m, const char *source)
{
	cJSON *opts = cJSON_CreateArray();

	cJSON_ReplaceItemInObjectCaseSensitive(m, "type", cJSON_CreateString("bind"));
	cJSON_ReplaceItemInObjectCaseSensitive(m, "source", cJSON_CreateString(source));
	cJSON_AddItemToArray(opts, cJSON_CreateString("rbind"));
	cJSON_AddItemToArray(opts, cJSON_CreateString("nosuid"));
	cJSON_AddItemToArray(opts, cJSON_CreateString("noexec"));
	cJSON_AddItemToArray(opts, cJSON_CreateString("nodev"));
	cJSON_AddItemToArray(opts, cJSON_CreateString("rprivate"));
	if (!strcmp(source, "/sys"))
		cJSON_AddItemToArray(opts, cJSON_CreateString("ro"));
	cJSON_ReplaceItemInObjectCaseSensitive(m, "options", opts);
}

void spec_rootless_mounts(cJSON *mounts, bool net_host, bool ipc_host)
{
	cJSON *m, *next;

	for (m = mounts ? mounts->child : NULL; m; m = next) {
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(m, "type");
		const cJSON *dest = cJSON_GetObjectItemCaseSensitive(m, "destination");

		next = m->next;
		if (!cJSON_IsString(type) || !cJSON_IsString(dest))
			continue;
		/* sysfs shows the network devices of the mounter's network
		 * namespace, so only that namespace's owner may mount it. */
		if (net_host && !strcmp(type->valuestring, "sysfs"))
			bind_instead(m, "/sys");
		/* The host's /sys comes with its cgroup mounts already. */
		else if (net_host && !strcmp(type->valuestring, "cgroup"))
			cJSON_Delete(cJSON_DetachItemViaPointer(mounts, m));
		else if (ipc_host && !strcmp(type->valuestring, "mqueue")) {
			struct stat st;
			/* The host's queues, if the host has them mounted. */
			if (stat("/dev/mqueue", &st) == 0 && S_ISDIR(st.st_mode))
				bind_instead(m, "/dev/mqueue");
			else
				cJSON_Delete(cJSON_DetachItemViaPointer(mounts, m));
		}
	}
}

/* ---- everything at once -------------------------------------------------- */

int spec_rootless_prepare(const struct spec_request *req, struct spec_rootless *rl, robbe_error **err)
{
	uint32_t host_uid = 0, host_gid = 0;

	memset(rl, 0, sizeof(*rl));
	rl->active = req->rootless || rootless_in_userns();
	if (!rl->active) {
		if (req->userns == SPEC_USERNS_KEEP_ID)
			return robbe_error_set(err, EXIT_ENGINE, "--userns=keep-id is only for rootless containers");
		return 0;
	}
	if (rootless_ns_ids(false, &rl->n_uids, &host_uid, err) < 0 ||
	    rootless_ns_ids(true, &rl->n_gids, &host_gid, err) < 0)
		return -1;
	/* The user: whom uid 0 of this namespace is on the host. */
	rl->uid = host_uid;
	rl->gid = host_gid;
	find_delegation(rl);
	if (req->userns == SPEC_USERNS_KEEP_ID) {
		if (req->n_uid_map > 0)
			return robbe_error_set(err, EXIT_ENGINE, "--userns=keep-id cannot be combined with id mappings");
		rl->keep_id = true;
		rl->n_uid_map = spec_keepid_map(rl->uid, rl->n_uids, rl->uid_map);
		rl->n_gid_map = spec_keepid_map(rl->gid, rl->n_gids, rl->gid_map);
	}
	return 0;
}
