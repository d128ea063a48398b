/* container-create.c: `create` — the image, the name, the root file system,
 * the bundle, and the record. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container-internal.h"
#include "network.h"
#include "volume.h"

/* 64 hex digits from the kernel's random pool.  Like Docker, an ID whose
 * short form would read as a number is drawn again: `docker stop 123456`
 * must not be ambiguous between an ID and something else. */
static int random_id(char out[65], robbe_error **err)
{
	for (;;) {
		unsigned char raw[32];
		bool digits_only = true;

		if (getrandom(raw, sizeof(raw), 0) != (ssize_t) sizeof(raw))
			return robbe_error_errno(err, errno, "getrandom");
		for (size_t i = 0; i < sizeof(raw); i++)
			snprintf(out + 2 * i, 3, "%02x", raw[i]);
		for (size_t i = 0; i < 12; i++)
			if (out[i] >= 'a')
				digits_only = false;
		if (!digits_only)
			return 0;
	}
}

static int name_conflict(struct container_env *env, const char *name, robbe_error **err)
{
	cleanup_store_container struct store_container *holder = NULL;
	cleanup_error robbe_error *e = NULL;

	if (store_container_lookup(env->store, name, &holder, &e) < 0 || strcmp(holder->name, name))
		return 0;
	robbe_error_set(err, EXIT_GENERAL,
			"Conflict. The container name \"/%s\" is already in use by container \"%s\". You have to "
			"remove (or rename) that container to be able to reuse that name.",
			name, holder->id);
	(*err)->errnum = EEXIST;
	return -1;
}

/* ---- the image ---------------------------------------------------------- */

static int find_image(struct container_env *env, const struct container_create_request *req,
		      struct store_image **out, robbe_error **err)
{
	cleanup_error robbe_error *e = NULL;
	struct image_env *ie;
	bool pull = req->pull == CONTAINER_PULL_ALWAYS;

	if (!pull) {
		if (image_resolve(env->store, req->image, out, &e) == 0)
			return 0;
		if (e->errnum != ENOENT || req->pull == CONTAINER_PULL_NEVER) {
			*err = steal_pointer(&e);
			return -1;
		}
		if (req->notify) {
			cleanup_free char *full = NULL;
			cleanup_free char *familiar = NULL;
			cleanup_error robbe_error *e2 = NULL;

			if (image_normalize_name(req->image, &full, &e2) == 0)
				familiar = image_familiar(full);
			req->notify(req->notify_opaque, CONTAINER_EVENT_IMAGE_MISSING,
				    familiar ? familiar : req->image);
		}
	}
	if (container_env_image(env, &ie, err) < 0)
		return -1;
	if (image_pull(ie, req->image, req->pull_opts, req->pull_events, out, NULL, err) < 0)
		return -1;
	/* The layers are recorded now; the lock only guarded the pull. */
	image_env_unlock_layers(ie);
	return 0;
}

/* ---- Docker's Config and HostConfig -------------------------------------- */

static cJSON *strv_json(char *const *v)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; v && v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

/* Set key, keeping its place when it is there already (inspect shows keys
 * in the record's order). */
static void set_item(cJSON *o, const char *key, cJSON *v)
{
	if (cJSON_GetObjectItemCaseSensitive(o, key))
		cJSON_ReplaceItemInObjectCaseSensitive(o, key, v);
	else
		cJSON_AddItemToObject(o, key, v);
}

static bool is_empty_value(const cJSON *v)
{
	return !v || cJSON_IsNull(v) || (cJSON_IsString(v) && !*v->valuestring) ||
	       (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0);
}

/* Config.Env as Docker shows it: the image's and the user's variables,
 * not the ones the engine adds for the process (HOSTNAME, HOME, TERM). */
static cJSON *config_env(const cJSON *image_config, char *const *user_env, char *const *process_env)
{
	cJSON *a = cJSON_CreateArray();
	const cJSON *img_env = cJSON_GetObjectItemCaseSensitive(image_config, "Env");

	for (size_t i = 0; process_env && process_env[i]; i++) {
		const char *e = process_env[i];
		size_t klen = strcspn(e, "=");
		bool added = !strncmp(e, "HOSTNAME=", 9) || !strncmp(e, "HOME=", 5) || !strncmp(e, "TERM=", 5);

		if (added) {
			bool asked = false;
			const cJSON *it;
			for (size_t j = 0; user_env && user_env[j]; j++)
				if (!strncmp(user_env[j], e, klen) && user_env[j][klen] == '=')
					asked = true;
			cJSON_ArrayForEach(it, img_env)
				if (cJSON_IsString(it) && !strncmp(it->valuestring, e, klen) &&
				    it->valuestring[klen] == '=')
					asked = true;
			if (!asked)
				continue;
		}
		cJSON_AddItemToArray(a, cJSON_CreateString(e));
	}
	return a;
}

static cJSON *network_settings(const char *netname)
{
	cJSON *ns = cJSON_CreateObject();
	cJSON *nets, *ep;

	cJSON_AddStringToObject(ns, "Bridge", "");
	cJSON_AddStringToObject(ns, "SandboxID", "");
	cJSON_AddStringToObject(ns, "SandboxKey", "");
	cJSON_AddItemToObject(ns, "Ports", cJSON_CreateObject());
	cJSON_AddBoolToObject(ns, "HairpinMode", false);
	cJSON_AddStringToObject(ns, "LinkLocalIPv6Address", "");
	cJSON_AddNumberToObject(ns, "LinkLocalIPv6PrefixLen", 0);
	cJSON_AddNullToObject(ns, "SecondaryIPAddresses");
	cJSON_AddNullToObject(ns, "SecondaryIPv6Addresses");
	cJSON_AddStringToObject(ns, "EndpointID", "");
	cJSON_AddStringToObject(ns, "Gateway", "");
	cJSON_AddStringToObject(ns, "GlobalIPv6Address", "");
	cJSON_AddNumberToObject(ns, "GlobalIPv6PrefixLen", 0);
	cJSON_AddStringToObject(ns, "IPAddress", "");
	cJSON_AddNumberToObject(ns, "IPPrefixLen", 0);
	cJSON_AddStringToObject(ns, "IPv6Gateway", "");
	cJSON_AddStringToObject(ns, "MacAddress", "");
	nets = cJSON_AddObjectToObject(ns, "Networks");
	if (!netname)
		return ns;
	ep = cJSON_AddObjectToObject(nets, netname);
	cJSON_AddNullToObject(ep, "IPAMConfig");
	cJSON_AddNullToObject(ep, "Links");
	cJSON_AddNullToObject(ep, "Aliases");
	cJSON_AddStringToObject(ep, "MacAddress", "");
	cJSON_AddNullToObject(ep, "DriverOpts");
	cJSON_AddNumberToObject(ep, "GwPriority", 0);
	cJSON_AddStringToObject(ep, "NetworkID", "");
	cJSON_AddStringToObject(ep, "EndpointID", "");
	cJSON_AddStringToObject(ep, "Gateway", "");
	cJSON_AddStringToObject(ep, "IPAddress", "");
	cJSON_AddNumberToObject(ep, "IPPrefixLen", 0);
	cJSON_AddStringToObject(ep, "IPv6Gateway", "");
	cJSON_AddStringToObject(ep, "GlobalIPv6Address", "");
	cJSON_AddNumberToObject(ep, "GlobalIPv6PrefixLen", 0);
	cJSON_AddNullToObject(ep, "DNSNames");
	return ns;
}

/* Docker's Config, completed from the image where the user said nothing. */
static cJSON *build_config(const struct container_create_request *req, const cJSON *image_config,
			   const char *hostname, const cJSON *oci)
{
	cJSON *cfg = req->config ? cJSON_Duplicate(req->config, true) : cJSON_CreateObject();
	const cJSON *proc = cJSON_GetObjectItemCaseSensitive(oci, "process");
	const cJSON *penv = cJSON_GetObjectItemCaseSensitive(proc, "env");
	cleanup_strv char **process_env = NULL;
	const cJSON *it;
	const char *keys[] = { "User", "WorkingDir", "StopSignal" };

	cJSON_ArrayForEach(it, penv)
		if (cJSON_IsString(it))
			strv_push(&process_env, it->valuestring);
	set_item(cfg, "Hostname", cJSON_CreateString(hostname));
	if (!cJSON_GetObjectItemCaseSensitive(cfg, "Domainname"))
		cJSON_AddStringToObject(cfg, "Domainname", "");
	set_item(cfg, "Env", config_env(image_config, req->spec.env, process_env));

	/* Cmd and Entrypoint: --entrypoint drops the image's Cmd. */
	if (req->spec.entrypoint_set) {
		set_item(cfg, "Entrypoint", req->spec.entrypoint && req->spec.entrypoint[0] && req->spec.entrypoint[0][0]
						    ? strv_json(req->spec.entrypoint)
						    : cJSON_CreateNull());
		if (is_empty_value(cJSON_GetObjectItemCaseSensitive(cfg, "Cmd")))
			set_item(cfg, "Cmd", req->spec.cmd && req->spec.cmd[0] ? strv_json(req->spec.cmd)
									    : cJSON_CreateNull());
	} else {
		const cJSON *iep = cJSON_GetObjectItemCaseSensitive(image_config, "Entrypoint");
		set_item(cfg, "Entrypoint", iep && !cJSON_IsNull(iep) ? cJSON_Duplicate(iep, true) : cJSON_CreateNull());
		if (req->spec.cmd && req->spec.cmd[0]) {
			set_item(cfg, "Cmd", strv_json(req->spec.cmd));
		} else {
			const cJSON *icmd = cJSON_GetObjectItemCaseSensitive(image_config, "Cmd");
			set_item(cfg, "Cmd", icmd ? cJSON_Duplicate(icmd, true) : cJSON_CreateNull());
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const cJSON *mine = cJSON_GetObjectItemCaseSensitive(cfg, keys[i]);
		const cJSON *img = cJSON_GetObjectItemCaseSensitive(image_config, keys[i]);

		if (is_empty_value(mine) && cJSON_IsString(img) && *img->valuestring)
			set_item(cfg, keys[i], cJSON_CreateString(img->valuestring));
		else if (!mine && strcmp(keys[i], "StopSignal"))
			cJSON_AddStringToObject(cfg, keys[i], "");
	}
	if (!cJSON_GetObjectItemCaseSensitive(cfg, "Image"))
		cJSON_AddStringToObject(cfg, "Image", req->image);
	{
		const cJSON *iv = cJSON_GetObjectItemCaseSensitive(image_config, "Volumes");
		set_item(cfg, "Volumes", cJSON_IsObject(iv) ? cJSON_Duplicate(iv, true) : cJSON_CreateNull());
		const cJSON *ob = cJSON_GetObjectItemCaseSensitive(image_config, "OnBuild");
		set_item(cfg, "OnBuild", cJSON_IsArray(ob) ? cJSON_Duplicate(ob, true) : cJSON_CreateNull());
	}
	{
		/* Labels: the image's, then the user's over them. */
		const cJSON *il = cJSON_GetObjectItemCaseSensitive(image_config, "Labels");
		cJSON *labels = cJSON_IsObject(il) ? cJSON_Duplicate(il, true) : cJSON_CreateObject();
		const cJSON *ul = cJSON_GetObjectItemCaseSensitive(cfg, "Labels");

		cJSON_ArrayForEach(it, ul)
			set_item(labels, it->string, cJSON_Duplicate(it, true));
		set_item(cfg, "Labels", labels);
	}
	{
		/* The image's exposed ports and the user's (--expose, -p) together. */
		const cJSON *ep = cJSON_GetObjectItemCaseSensitive(image_config, "ExposedPorts");
		cJSON *mine = cJSON_GetObjectItemCaseSensitive(cfg, "ExposedPorts");

		cJSON_ArrayForEach(it, ep) {
			if (!it->string)
				continue;
			if (!cJSON_IsObject(mine)) {
				cJSON_DeleteItemFromObjectCaseSensitive(cfg, "ExposedPorts");
				mine = cJSON_AddObjectToObject(cfg, "ExposedPorts");
			}
			if (!cJSON_GetObjectItemCaseSensitive(mine, it->string))
				cJSON_AddItemToObject(mine, it->string, cJSON_CreateObject());
		}
	}
	return cfg;
}

/* ---- networks ------------------------------------------------------------ */

static int plan_network(struct container_env *env, const struct container_create_request *req,
			struct network_plan *plan, robbe_error **err)
{
	char *const *networks = req->networks && req->networks[0] ? req->networks : NULL;
	char *one[] = { (char *) req->network, NULL };
	struct network_endpoint_opts ep = {
		.aliases = req->network_aliases,
		.ipv4 = req->ipv4,
		.ipv6 = req->ipv6,
		.mac = req->mac_address,
	};

	if (!networks && req->network && *req->network)
		networks = one;
	return network_plan_container(env, networks, &ep, plan, err);
}

/* --add-host x:host-gateway: the default bridge's gateway (the network
 * plan's). */
static char **resolve_extra_hosts(char *const *hosts, const char *gateway)
{
	char **out = NULL;

	for (size_t i = 0; hosts && hosts[i]; i++) {
		const char *colon = strchr(hosts[i], ':');
		if (colon && !strcmp(colon + 1, "host-gateway"))
			strv_push_take(&out, xasprintf("%.*s:%s", (int) (colon - hosts[i]), hosts[i],
						       gateway && *gateway ? gateway : "172.17.0.1"));
		else
			strv_push(&out, hosts[i]);
	}
	return out;
}

/* ---- create -------------------------------------------------------------- */

struct create_state {
	char *dir;		/* <root>/containers/<id> */
	char *merged;		/* mounted root, or NULL */
	bool committed;
};

static void create_rollback(struct create_state *st)
{
	cleanup_error robbe_error *e = NULL;

	if (st->committed)
		return;
	if (st->merged)
		ctr_rootfs_umount(st->merged, &e);
	robbe_error_free(steal_pointer(&e));
	if (st->dir)
		rm_rf_at(AT_FDCWD, st->dir, &e);
}

static int pick_name(struct container_env *env, const struct container_create_request *req, char **out,
		     robbe_error **err)
{
	if (req->name && *req->name) {
		const char *name = req->name[0] == '/' ? req->name + 1 : req->name;

		if (!container_name_valid(name))
			return robbe_error_set(err, EXIT_ENGINE,
					       "Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
					       name);
		if (name_conflict(env, name, err) < 0)
			return -1;
		*out = xstrdup(name);
		return 0;
	}
	for (int i = 0; i < 20; i++) {
		cleanup_free char *name = container_random_name();
		cleanup_store_container struct store_container *holder = NULL;
		cleanup_error robbe_error *e = NULL;

		/* Docker adds a digit once the plain names keep colliding. */
		if (i >= 10) {
			char *n2 = xasprintf("%s%d", name, i - 9);
			free(name);
			name = n2;
		}
		if (store_container_lookup(env->store, name, &holder, &e) < 0 && store_error_is(e, STORE_ENOTFOUND)) {
			*out = steal_pointer(&name);
			return 0;
		}
	}
	return robbe_error_set(err, EXIT_ENGINE, "could not find a free container name");
}

static void add_str(cJSON *o, const char *key, const char *v)
{
	cJSON_AddStringToObject(o, key, v ? v : "");
}

int container_create(struct container_env *env, const struct container_create_request *req,
		     struct store_container **out, char ***warnings, robbe_error **err)
{
	cleanup_store_image struct store_image *img = NULL;
	cleanup_cjson cJSON *img_json = NULL;
	cleanup_cjson cJSON *oci = NULL;
	cleanup_cjson cJSON *record = NULL;
	cleanup_free char *name = NULL;
	cleanup_free char *bundle = NULL;
	cleanup_free char *oci_text = NULL;
	cleanup_free char *record_text = NULL;
	cleanup_free char *hostname = NULL;
	cleanup_free char *hosts_path = NULL, *resolv_path = NULL, *hostname_path = NULL;
	cleanup_free char *runtime_path = NULL;
	cleanup_free char *config_path = NULL;
	cleanup_strv char **argv = NULL;
	cleanup_strv char **warns = NULL;
	__attribute__((cleanup(ctr_rootfs_release))) struct ctr_rootfs rootfs = { 0 };
	struct create_state st = { 0 };
	__attribute__((cleanup(network_plan_release))) struct network_plan net = { 0 };
	cleanup_strv char **extra_hosts = NULL;
	struct spec_request spec;
	const cJSON *image_config;
	struct store_container c = { 0 };
	struct volume_mounts vm = { .lock_fd = -1 };
	bool have_vm = false;
	cleanup_close int id_lock = -1;
	char id[65];
	int rc = -1;

	if (warnings)
		*warnings = NULL;
	if (runtime_find(req->runtime, &runtime_path, err) < 0)
		return -1;
	if (req->log_driver && strcmp(req->log_driver, "k8s-file") && strcmp(req->log_driver, "none"))
		return robbe_error_set(err, EXIT_ENGINE, "log driver %s is not supported", req->log_driver);
	if (find_image(env, req, &img, err) < 0)
		return -1;
	img_json = cJSON_Parse(img->config_json ? img->config_json : "{}");
	image_config = cJSON_GetObjectItemCaseSensitive(img_json, "config");
	if (plan_network(env, req, &net, err) < 0)
		goto out;
	extra_hosts = resolve_extra_hosts(req->extra_hosts, net.gateway);
	if (pick_name(env, req, &name, err) < 0)
		goto out;
	if (random_id(id, err) < 0)
		goto out;
	/* Held until the record is in: a directory without a record is
	 * garbage only when its id is not locked (container_sweep_orphans). */
	if (ctr_lock(env, id, &id_lock, err) < 0)
		goto out;

	/* The directories: <root>/containers/<id>/{userdata,diff,work,merged}. */
	st.dir = ctr_dir(env, id);
	bundle = xasprintf("%s/userdata", st.dir);
	if (mkdir_p(bundle, 0700, err) < 0)
		goto out;
	if (ctr_rootfs_prepare(env, st.dir, img->top_layer, &rootfs, err) < 0)
		goto out;
	if (ctr_rootfs_mount_ex(env, rootfs.lower, rootfs.upper, rootfs.work, rootfs.merged, req->auto_remove, err) < 0)
		goto out;
	st.merged = rootfs.merged;

	/* Volumes, binds, --mount, --volumes-from, image VOLUMEs: after the root
	 * is mounted (copy-up reads it), before the spec (which takes them). */
	{
		struct volume_mount_request vreq = {
			.container_id = id,
			.image_config = image_config,
			.volumes = req->volumes,
			.mounts = req->mounts,
			.volumes_from = req->volumes_from,
			.tmpfs = req->spec.tmpfs,
			.volume_driver = req->volume_driver,
			.rootfs = rootfs.merged,
		};
		if (volume_prepare_mounts(env->store, env->paths, &vreq, &vm, err) < 0)
			goto out;
		have_vm = true;
	}

	/* The OCI configuration. */
	spec = req->spec;
	spec.mounts = vm.mounts;
	spec.n_mounts = vm.n_mounts;
	spec.image_config = image_config;
	spec.rootfs = rootfs.merged;
	spec.container_id = id;
	spec.netns_path = net.host ? "host" : NULL;
	if (net.container) {
		/* Joined at start, where the other container's pid is known;
		 * a placeholder keeps the spec valid meanwhile. */
		spec.netns_path = "/proc/self/ns/net";
	}
	if (spec.hostname && *spec.hostname)
		hostname = xstrdup(spec.hostname);
	else if (net.host || spec.share_host_uts) {
		char buf[256] = "";
		gethostname(buf, sizeof(buf) - 1);
		hostname = xstrdup(buf);
	} else {
		hostname = xstrndup(id, 12);
	}
	{
		struct ctr_etc_request etc = {
			.dir = bundle,
			.hostname = hostname,
			.domainname = spec.domainname,
			.host_network = net.host,
			.dns = req->dns,
			.dns_search = req->dns_search,
			.dns_options = req->dns_options,
			.extra_hosts = extra_hosts,
		};
		if (ctr_write_etc_files(&etc, err) < 0)
			goto out;
	}
	hosts_path = xasprintf("%s/hosts", bundle);
	resolv_path = xasprintf("%s/resolv.conf", bundle);
	hostname_path = xasprintf("%s/hostname", bundle);
	spec.hosts_path = hosts_path;
	spec.resolv_path = resolv_path;
	spec.hostname_path = hostname_path;
	if (spec_generate(&spec, &oci, &warns, err) < 0)
		goto out;
	oci_text = cJSON_PrintUnformatted(oci);
	if (!oci_text)
		die_oom();
	config_path = xasprintf("%s/config.json", bundle);
	if (write_file_replace(config_path, oci_text, strlen(oci_text), 0600, err) < 0)
		goto out;
	if (spec_command(image_config, spec.entrypoint, spec.entrypoint_set, spec.cmd, &argv, err) < 0)
		goto out;

	/* The record. */
	record = cJSON_CreateObject();
	add_str(record, "Path", argv[0]);
	cJSON_AddItemToObject(record, "Args", strv_json(argv + 1));
	cJSON_AddItemToObject(record, "Config", build_config(req, image_config, hostname, oci));
	set_item(cJSON_GetObjectItemCaseSensitive(record, "Config"), "Volumes", cJSON_Duplicate(vm.config_volumes, true));
	{
		cJSON *hc = req->host_config ? cJSON_Duplicate(req->host_config, true) : cJSON_CreateObject();
		set_item(hc, "NetworkMode", cJSON_CreateString(net.mode));
		if (net.host && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(hc, "PortBindings")) > 0)
			strv_push(&warns, "WARNING: Published ports are discarded when using host network mode");
		set_item(hc, "Binds", cJSON_Duplicate(vm.binds, true));
		if (vm.host_mounts)
			set_item(hc, "Mounts", cJSON_Duplicate(vm.host_mounts, true));
		cJSON_AddItemToObject(record, "HostConfig", hc);
	}
	cJSON_AddStringToObject(record, "Driver", "overlay2");
	cJSON_AddStringToObject(record, "Platform", "linux");
	add_str(record, "ResolvConfPath", resolv_path);
	add_str(record, "HostnamePath", hostname_path);
	add_str(record, "HostsPath", hosts_path);
	{
		bool logs = !req->log_driver || strcmp(req->log_driver, "none");
		cleanup_free char *log_path = logs ? xasprintf("%s/ctr.log", bundle) : xstrdup("");
		add_str(record, "LogPath", log_path);
	}
	cJSON_AddItemToObject(record, "Mounts", cJSON_Duplicate(vm.docker_mounts, true));
	cJSON_AddItemToObject(record, "NetworkSettings", network_settings(net.container ? NULL : net.mode));
	{
		cJSON *gd = cJSON_AddObjectToObject(record, "GraphDriver");
		cJSON *data = cJSON_AddObjectToObject(gd, "Data");
		add_str(data, "LowerDir", rootfs.lower_full);
		add_str(data, "MergedDir", rootfs.merged);
		add_str(data, "UpperDir", rootfs.upper);
		add_str(data, "WorkDir", rootfs.work);
		cJSON_AddStringToObject(gd, "Name", "overlay2");
	}
	{
		struct runtime_paths rp = { 0 };
		cJSON *r = cJSON_AddObjectToObject(record, "Robbe");
		const cJSON *lnx = cJSON_GetObjectItemCaseSensitive(oci, "linux");

		runtime_paths_default(&rp, env->paths->root, env->paths->runroot, id);
		add_str(r, "Bundle", bundle);
		add_str(r, "Runtime", req->runtime && *req->runtime ? req->runtime : "runc");
		add_str(r, "RuntimePath", runtime_path);
		cJSON_AddNumberToObject(r, "StopSignal", req->stop_signal > 0 ? req->stop_signal : 0);
		cJSON_AddNumberToObject(r, "StopTimeout", req->stop_timeout);
		add_str(r, "LogDriver", req->log_driver && *req->log_driver ? req->log_driver : "k8s-file");
		cJSON_AddNumberToObject(r, "LogSizeMax", (double) req->log_size_max);
		add_str(r, "Rootfs", rootfs.merged);
		add_str(r, "Lower", rootfs.lower);
		add_str(r, "Upper", rootfs.upper);
		add_str(r, "Work", rootfs.work);
		{
			cleanup_free char *run_dir = ctr_run_dir(env, id);
			add_str(r, "RunDir", run_dir);
		}
		add_str(r, "ExitDir", rp.exit_dir);
		add_str(r, "PersistDir", rp.persist_dir);
		add_str(r, "ConmonPidFile", rp.conmon_pidfile);
		add_str(r, "PidFile", rp.pidfile);
		cJSON_AddBoolToObject(r, "Rm", req->auto_remove);
		{
			/* what rm -v and --rm delete (volume_remove_anonymous) */
			cJSON *av = cJSON_AddArrayToObject(r, "AnonymousVolumes");
			for (size_t i = 0; vm.anonymous && vm.anonymous[i]; i++)
				cJSON_AddItemToArray(av, cJSON_CreateString(vm.anonymous[i]));
		}
		cJSON_AddBoolToObject(r, "Init", req->spec.init);
		cJSON_AddBoolToObject(r, "Tty", req->spec.tty);
		cJSON_AddBoolToObject(r, "OpenStdin", req->spec.stdin_open);
		if (net.container)
			add_str(r, "NetworkContainer", net.container);
		{
			const cJSON *cg = cJSON_GetObjectItemCaseSensitive(lnx, "cgroupsPath");
			add_str(r, "CgroupPath", cJSON_IsString(cg) ? cg->valuestring : "");
		}
		runtime_paths_release(&rp);
	}
	record_text = cJSON_PrintUnformatted(record);
	if (!record_text)
		die_oom();

	c.id = id;
	c.name = name;
	c.image_id = img->id;
	c.config_json = record_text;
	c.state = STORE_STATE_CREATED;
	c.volumes = vm.volumes;	/* container_volumes: volume rm/prune refuse while it exists */
	c.state_json = "{\"Error\":\"\",\"OOMKilled\":false,\"Dead\":false}";
	{
		cleanup_error robbe_error *e = NULL;
		if (store_container_add(env->store, &c, &e) < 0) {
			if (store_error_is(e, STORE_ECONFLICT) && name_conflict(env, name, err) < 0)
				goto out;
			*err = steal_pointer(&e);
			goto out;
		}
	}
	/* The attachments need the record; without them it is no container. */
	if (network_attach_planned(env, id, &net, err) < 0) {
		cleanup_error robbe_error *e = NULL;
		store_container_remove(env->store, id, &e);
		goto out;
	}
	st.committed = true;
	if (store_container_get(env->store, id, out, err) < 0)
		goto out;
	if (warnings)
		*warnings = steal_pointer(&warns);
	rc = 0;
out:
	if (have_vm) {
		if (rc < 0)
			volume_mounts_rollback(env->store, env->paths, &vm);
		volume_mounts_release(&vm);	/* after store_container_add: drops the volume lock */
	}
	create_rollback(&st);
	if (rc < 0 && id_lock >= 0)
		ctr_unlink_lock(env, id);	/* a failed create leaves no lock file */
	free(st.dir);
	return rc;
}
