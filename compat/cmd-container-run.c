/* cmd-container-run.c: docker create, run, start, stop, kill, restart, rm,
 * wait, pause, unpause, rename, and the hidden `container cleanup` conmon
 * runs.
 *
 * The handlers turn Docker's flags into a container_create_request (the
 * engine's terms: a spec_request plus Docker's Config and HostConfig
 * objects for the record) and word the engine's answers as Docker does.
 * A flag robbe cannot honour is an error, never silently dropped, except
 * those Docker itself ignores on Linux.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "compat/cli.h"
#include "compat/cmd-image-cmds.h"
#include "src/mountspec.h"
#include "src/container.h"
#include "src/network.h"
#include "src/units.h"

extern char **environ;

/* ---- files of key=value lines (--env-file, --label-file) ---------------- */

/* Docker's rules: blank lines and lines starting with '#' are skipped,
 * leading white space of the name is dropped, the value is kept as it is;
 * a name without '=' takes its value from our environment when lookup is
 * set (and stays bare otherwise). */
static int read_kv_file(const char *path, bool lookup, char ***out, robbe_error **err)
{
	cleanup_free char *text = NULL;
	char *save = NULL, *line;
	int lineno = 0;

	if (read_file_all(path, 64 * 1024 * 1024, &text, NULL, err) < 0) {
		/* Go's wording: "open /x: no such file or directory". */
		int errnum = (*err)->errnum ? (*err)->errnum : EIO;
		char *msg = xasprintf("open %s: %s", path, strerror(errnum));

		msg[strlen("open ") + strlen(path) + 2] = (char) tolower((unsigned char) msg[strlen("open ") + strlen(path) + 2]);
		free((*err)->msg);
		(*err)->msg = msg;
		return -1;
	}
	line = text;
	/* A UTF-8 byte order mark at the start is not part of the first name. */
	if (!strncmp(line, "\xef\xbb\xbf", 3))
		line += 3;
	for (line = strtok_r(line, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);
		char *eq;

		lineno++;
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		eq = strchr(line, '=');
		{
			size_t nlen = eq ? (size_t) (eq - line) : strlen(line);
			if (nlen == 0)
				return robbe_error_set(err, 0, "no variable name on line '%s'", line);
			for (size_t i = 0; i < nlen; i++)
				if (line[i] == ' ' || line[i] == '\t')
					return robbe_error_set(err, 0, "variable '%.*s' contains whitespaces", (int) nlen,
							       line);
		}
		if (!eq && lookup) {
			const char *v = getenv(line);
			if (v)
				strv_push_take(out, xasprintf("%s=%s", line, v));
			else
				strv_push(out, line);
			continue;
		}
		strv_push(out, line);
	}
	return 0;
}

/* ---- pull progress on stderr, as `docker run` prints it ---- */

static void create_notify(void *opaque, enum container_create_event ev, const char *what)
{
	if (ev == CONTAINER_EVENT_IMAGE_MISSING) {
		/* Docker prints this even with --quiet. */
		fprintf(stderr, "Unable to find image '%s' locally\n", what);
		fflush(stderr);
	}
}

/* ---- flag translation ------------------------------------------------------ */

/* Everything the request points into lives here until the command ends. */
struct create_args {
	struct container_create_request req;
	struct cli_pull_display *pull_display;
	struct image_pull_opts pull_opts;
	struct image_pull_events pull_events;
	cJSON *config, *host_config;
	cJSON *port_bindings, *exposed;	/* -p, --expose: HostConfig.PortBindings, Config.ExposedPorts */
	char **env;
	char **labels;
	char **entrypoint;
	char **tmpfs;
	char **annotations;
	char **sysctls;
	struct spec_ulimit *ulimits;
	struct units_ulimit *uparsed;
	size_t n_ulimits;
	char *seccomp;
	char *stop_signal_name;
	char *log_driver;
	char **warnings;
	bool attach_stdin, attach_stdout, attach_stderr;
};

static void create_args_release(struct create_args *a)
{
	cJSON_Delete(a->config);
	cJSON_Delete(a->host_config);
	cJSON_Delete(a->port_bindings);
	cJSON_Delete(a->exposed);
	strv_free(a->env);
	strv_free(a->labels);
	strv_free(a->entrypoint);
	strv_free(a->tmpfs);
	strv_free(a->annotations);
	strv_free(a->sysctls);
	for (size_t i = 0; i < a->n_ulimits; i++)
		free(a->uparsed[i].name);
	free(a->uparsed);
	free(a->ulimits);
	free(a->seccomp);
	free(a->stop_signal_name);
	free(a->log_driver);
	cli_pull_display_free(a->pull_display);
	strv_free(a->warnings);
}

static int unsupported(const char *flag, robbe_error **err)
{
	return robbe_error_set(err, EXIT_ENGINE, "the %s option is not supported by robbe yet", flag);
}

/* Options robbe cannot honour: an error when the user gives them. */
static const char *const unsupported_opts[] = {
	"blkio-weight",	   "blkio-weight-device", "cpu-rt-period",	   "cpu-rt-runtime", "device-cgroup-rule",
	"device-read-bps", "device-read-iops",	  "device-write-bps",	   "device-write-iops", "gpus",
	"health-cmd",	   "health-interval",	  "health-retries",	   "health-start-interval",
	"health-start-period", "health-timeout",  "link",		   "link-local-ip",
	"oom-kill-disable", "oom-score-adj",	  "storage-opt",	   "use-api-socket",
};

/* Windows-only options: Docker's Linux daemon drops them with a warning. */
static const char *const windows_only_opts[] = { "cpu-count", "cpu-percent", "io-maxbandwidth", "io-maxiops" };

static int parse_restart(const char *s, struct container_create_request *req, robbe_error **err)
{
	const char *colon = strchr(s, ':');
	cleanup_free char *name = colon ? xstrndup(s, (size_t) (colon - s)) : xstrdup(s);
	long max = 0;

	if (colon) {
		char *end;
		errno = 0;
		max = strtol(colon + 1, &end, 10);
		if (!colon[1] || *end || errno)
			return robbe_error_set(err, EXIT_ENGINE,
					       "invalid restart policy format: maximum retry count must be an integer");
	}
	if (!*name || !strcmp(name, "no"))
		req->restart = CONTAINER_RESTART_NO;
	else if (!strcmp(name, "always"))
		req->restart = CONTAINER_RESTART_ALWAYS;
	else if (!strcmp(name, "unless-stopped"))
		req->restart = CONTAINER_RESTART_UNLESS_STOPPED;
	else if (!strcmp(name, "on-failure"))
		req->restart = CONTAINER_RESTART_ON_FAILURE;
	else
		return robbe_error_set(err, EXIT_ENGINE,
				       "Error response from daemon: invalid restart policy: unknown policy '%s'; use one "
				       "of 'no', 'always', 'on-failure', or 'unless-stopped'",
				       name);
	if (colon && req->restart != CONTAINER_RESTART_ON_FAILURE)
		return robbe_error_set(err, EXIT_ENGINE,
				       "Error response from daemon: invalid restart policy: maximum retry count can only "
				       "be used with 'on-failure'");
	if (max < 0)
		return robbe_error_set(err, EXIT_ENGINE,
				       "Error response from daemon: invalid restart policy: maximum retry count cannot "
				       "be negative");
	req->restart_max = (int) max;
	return 0;
}

static const char *restart_name(enum container_restart_policy p)
{
	switch (p) {
	case CONTAINER_RESTART_ALWAYS:
		return "always";
	case CONTAINER_RESTART_ON_FAILURE:
		return "on-failure";
	case CONTAINER_RESTART_UNLESS_STOPPED:
		return "unless-stopped";
	default:
		return "no";
	}
}

static cJSON *list_json(char *const *v, bool null_if_empty)
{
	cJSON *a;

	if (null_if_empty && (!v || !v[0]))
		return cJSON_CreateNull();
	a = cJSON_CreateArray();
	for (size_t i = 0; v && v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static int parse_security_opts(struct create_args *a, char *const *opts, robbe_error **err)
{
	struct spec_request *spec = &a->req.spec;

	for (size_t i = 0; opts && opts[i]; i++) {
		const char *o = opts[i];
		const char *v = strpbrk(o, "=:");
		size_t klen = v ? (size_t) (v - o) : strlen(o);

		v = v ? v + 1 : NULL;
		if (klen == 7 && !strncmp(o, "seccomp", 7) && v) {
			free(a->seccomp);
			a->seccomp = xstrdup(v);
			spec->seccomp_profile = a->seccomp;
		} else if (klen == 17 && !strncmp(o, "no-new-privileges", 17)) {
			bool b = true;
			if (v && opts_parse_bool(v, &b, err) < 0)
				return robbe_error_set(err, EXIT_ENGINE, "invalid --security-opt 2: \"%s\"", o);
			spec->no_new_privileges = b;
		} else if ((klen == 8 && !strncmp(o, "apparmor", 8)) || (klen == 5 && !strncmp(o, "label", 5))) {
			/* No AppArmor or SELinux on robbe's hosts yet: Docker
			 * ignores these where the LSM is absent. */
			continue;
		} else {
			return robbe_error_set(err, EXIT_ENGINE, "invalid --security-opt 1: \"%s\"", o);
		}
	}
	return 0;
}

static int parse_ulimits(struct create_args *a, char *const *v, robbe_error **err)
{
	size_t n = strv_len(v);

	a->uparsed = xcalloc(n + 1, sizeof(*a->uparsed));
	a->ulimits = xcalloc(n + 1, sizeof(*a->ulimits));
	for (size_t i = 0; i < n; i++) {
		if (units_parse_ulimit(v[i], &a->uparsed[i], err) < 0)
			return -1;
		a->n_ulimits++;
		a->ulimits[i].name = a->uparsed[i].name;
		a->ulimits[i].soft = a->uparsed[i].soft;
		a->ulimits[i].hard = a->uparsed[i].hard;
	}
	a->req.spec.ulimits = a->ulimits;
	a->req.spec.n_ulimits = a->n_ulimits;
	return 0;
}

static cJSON *ulimits_json(const struct create_args *a)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < a->n_ulimits; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Name", a->ulimits[i].name);
		cJSON_AddNumberToObject(o, "Hard", (double) a->ulimits[i].hard);
		cJSON_AddNumberToObject(o, "Soft", (double) a->ulimits[i].soft);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* Docker's Config as inspect shows it; the engine completes it from the
 * image. */
static void build_config(const struct opts_result *o, struct create_args *a)
{
	const struct container_create_request *req = &a->req;
	const struct spec_request *spec = &req->spec;

	a->config = cJSON_CreateObject();
	cJSON_AddStringToObject(a->config, "Hostname", spec->hostname ? spec->hostname : "");
	cJSON_AddStringToObject(a->config, "Domainname", spec->domainname ? spec->domainname : "");
	cJSON_AddStringToObject(a->config, "User", spec->user ? spec->user : "");
	cJSON_AddBoolToObject(a->config, "AttachStdin", a->attach_stdin);
	cJSON_AddBoolToObject(a->config, "AttachStdout", a->attach_stdout);
	cJSON_AddBoolToObject(a->config, "AttachStderr", a->attach_stderr);
	if (a->exposed && a->exposed->child)
		cJSON_AddItemToObject(a->config, "ExposedPorts", cJSON_Duplicate(a->exposed, true));
	cJSON_AddBoolToObject(a->config, "Tty", spec->tty);
	cJSON_AddBoolToObject(a->config, "OpenStdin", spec->stdin_open);
	cJSON_AddBoolToObject(a->config, "StdinOnce", spec->stdin_open && a->attach_stdin);
	cJSON_AddItemToObject(a->config, "Env", list_json(a->env, false));
	cJSON_AddItemToObject(a->config, "Cmd", list_json(spec->cmd, true));
	if (opts_bool(o, "no-healthcheck")) {
		cJSON *hc = cJSON_AddObjectToObject(a->config, "Healthcheck");
		char *none[] = { "NONE", NULL };
		cJSON_AddItemToObject(hc, "Test", list_json(none, false));
	}
	cJSON_AddStringToObject(a->config, "Image", req->image);
	cJSON_AddStringToObject(a->config, "WorkingDir", spec->workdir ? spec->workdir : "");
	if (spec->entrypoint_set)
		cJSON_AddItemToObject(a->config, "Entrypoint", list_json(a->entrypoint, true));
	cJSON_AddItemToObject(a->config, "Labels", strv_kv_object(a->labels));
	if (spec->stop_signal)
		cJSON_AddStringToObject(a->config, "StopSignal", spec->stop_signal);
	if (req->stop_timeout >= 0)
		cJSON_AddNumberToObject(a->config, "StopTimeout", req->stop_timeout);

}

/* Docker's HostConfig as inspect shows it. */
static void build_host_config(const struct opts_result *o, struct create_args *a)
{
	const struct container_create_request *req = &a->req;
	const struct spec_request *spec = &req->spec;
	char *const *v;

	cJSON *hc = a->host_config = cJSON_CreateObject();
	cJSON_AddNullToObject(hc, "Binds");	/* filled by the volume engine at create */
	cJSON_AddStringToObject(hc, "ContainerIDFile", opts_str(o, "cidfile") ? opts_str(o, "cidfile") : "");
	{
		cJSON *lc = cJSON_AddObjectToObject(hc, "LogConfig");
		const char *given = opts_str(o, "log-driver");
		cJSON_AddStringToObject(lc, "Type", given && *given ? given : "json-file");
		cJSON *lcc = cJSON_AddObjectToObject(lc, "Config");
		v = opts_list(o, "log-opt");
		for (size_t i = 0; v[i]; i++) {
			cleanup_free char *k = xstrndup(v[i], strcspn(v[i], "="));
			const char *eq = strchr(v[i], '=');
			cJSON_AddStringToObject(lcc, k, eq ? eq + 1 : "");
		}
	}
	cJSON_AddStringToObject(hc, "NetworkMode", req->network ? req->network : "bridge");
	cJSON_AddItemToObject(hc, "PortBindings",
			      a->port_bindings ? cJSON_Duplicate(a->port_bindings, true) : cJSON_CreateObject());
	{
		cJSON *rp = cJSON_AddObjectToObject(hc, "RestartPolicy");
		cJSON_AddStringToObject(rp, "Name", restart_name(req->restart));
		cJSON_AddNumberToObject(rp, "MaximumRetryCount", req->restart_max);
	}
	cJSON_AddBoolToObject(hc, "AutoRemove", req->auto_remove);
	cJSON_AddStringToObject(hc, "VolumeDriver", opts_str(o, "volume-driver") ? opts_str(o, "volume-driver") : "");
	cJSON_AddItemToObject(hc, "VolumesFrom", list_json(opts_list(o, "volumes-from"), true));
	{
		cJSON *cs = cJSON_AddArrayToObject(hc, "ConsoleSize");
		cJSON_AddItemToArray(cs, cJSON_CreateNumber(0));
		cJSON_AddItemToArray(cs, cJSON_CreateNumber(0));
	}
	if (spec->annotations && spec->annotations[0])
		cJSON_AddItemToObject(hc, "Annotations", strv_kv_object(spec->annotations));
	cJSON_AddItemToObject(hc, "CapAdd", list_json(spec->cap_add, true));
	cJSON_AddItemToObject(hc, "CapDrop", list_json(spec->cap_drop, true));
	cJSON_AddStringToObject(hc, "CgroupnsMode",
				spec->cgroupns == SPEC_CGROUPNS_PRIVATE ? "private" : "host");
	cJSON_AddItemToObject(hc, "Dns", list_json(req->dns, false));
	cJSON_AddItemToObject(hc, "DnsOptions", list_json(req->dns_options, false));
	cJSON_AddItemToObject(hc, "DnsSearch", list_json(req->dns_search, false));
	cJSON_AddItemToObject(hc, "ExtraHosts", list_json(req->extra_hosts, true));
	cJSON_AddItemToObject(hc, "GroupAdd", list_json(spec->group_add, true));
	cJSON_AddStringToObject(hc, "IpcMode", spec->share_host_ipc ? "host" : "private");
	cJSON_AddStringToObject(hc, "Cgroup", "");
	cJSON_AddNullToObject(hc, "Links");
	cJSON_AddNumberToObject(hc, "OomScoreAdj", 0);
	cJSON_AddStringToObject(hc, "PidMode", spec->share_host_pid ? "host" : "");
	cJSON_AddBoolToObject(hc, "Privileged", spec->privileged);
	cJSON_AddBoolToObject(hc, "PublishAllPorts", opts_bool(o, "publish-all"));
	cJSON_AddBoolToObject(hc, "ReadonlyRootfs", spec->read_only);
	cJSON_AddItemToObject(hc, "SecurityOpt", list_json(opts_list(o, "security-opt"), true));
	if (a->tmpfs && a->tmpfs[0]) {
		cJSON *t = cJSON_AddObjectToObject(hc, "Tmpfs");
		for (size_t i = 0; a->tmpfs[i]; i++) {
			const char *colon = strchr(a->tmpfs[i], ':');
			cleanup_free char *path = colon ? xstrndup(a->tmpfs[i], (size_t) (colon - a->tmpfs[i]))
							: xstrdup(a->tmpfs[i]);
			cJSON_AddStringToObject(t, path, colon ? colon + 1 : "");
		}
	}
	cJSON_AddStringToObject(hc, "UTSMode", spec->share_host_uts ? "host" : "");
	cJSON_AddStringToObject(hc, "UsernsMode", "");
	cJSON_AddNumberToObject(hc, "ShmSize", (double) (spec->shm_size ? spec->shm_size : SPEC_SHM_SIZE_DEFAULT));
	if (spec->sysctls && spec->sysctls[0])
		cJSON_AddItemToObject(hc, "Sysctls", strv_kv_object(spec->sysctls));
	cJSON_AddStringToObject(hc, "Runtime", req->runtime ? req->runtime : "runc");
	cJSON_AddStringToObject(hc, "Isolation", "");
	cJSON_AddNumberToObject(hc, "CpuShares", (double) spec->resources.cpu_shares);
	cJSON_AddNumberToObject(hc, "Memory", (double) spec->resources.memory);
	cJSON_AddNumberToObject(hc, "NanoCpus", (double) spec->resources.nano_cpus);
	cJSON_AddStringToObject(hc, "CgroupParent", spec->cgroup_parent ? spec->cgroup_parent : "");
	cJSON_AddNumberToObject(hc, "BlkioWeight", 0);
	cJSON_AddNullToObject(hc, "BlkioWeightDevice");
	cJSON_AddNullToObject(hc, "BlkioDeviceReadBps");
	cJSON_AddNullToObject(hc, "BlkioDeviceWriteBps");
	cJSON_AddNullToObject(hc, "BlkioDeviceReadIOps");
	cJSON_AddNullToObject(hc, "BlkioDeviceWriteIOps");
	cJSON_AddNumberToObject(hc, "CpuPeriod", (double) spec->resources.cpu_period);
	cJSON_AddNumberToObject(hc, "CpuQuota", (double) spec->resources.cpu_quota);
	cJSON_AddNumberToObject(hc, "CpuRealtimePeriod", 0);
	cJSON_AddNumberToObject(hc, "CpuRealtimeRuntime", 0);
	cJSON_AddStringToObject(hc, "CpusetCpus", spec->resources.cpuset_cpus ? spec->resources.cpuset_cpus : "");
	cJSON_AddStringToObject(hc, "CpusetMems", spec->resources.cpuset_mems ? spec->resources.cpuset_mems : "");
	{
		cJSON *devs = cJSON_AddArrayToObject(hc, "Devices");
		for (size_t i = 0; spec->devices && spec->devices[i]; i++) {
			cleanup_free char *copy = xstrdup(spec->devices[i]);
			char *parts[3] = { NULL, NULL, NULL };
			char *save = NULL;
			int n = 0;
			for (char *t = strtok_r(copy, ":", &save); t && n < 3; t = strtok_r(NULL, ":", &save))
				parts[n++] = t;
			cJSON *d = cJSON_CreateObject();
			cJSON_AddStringToObject(d, "PathOnHost", parts[0] ? parts[0] : "");
			cJSON_AddStringToObject(d, "PathInContainer", parts[1] && parts[1][0] == '/' ? parts[1] : (parts[0] ? parts[0] : ""));
			cJSON_AddStringToObject(d, "CgroupPermissions", n == 3 ? parts[2] : (n == 2 && parts[1][0] != '/' ? parts[1] : "rwm"));
			cJSON_AddItemToArray(devs, d);
		}
	}
	cJSON_AddNullToObject(hc, "DeviceCgroupRules");
	cJSON_AddNullToObject(hc, "DeviceRequests");
	cJSON_AddNumberToObject(hc, "MemoryReservation", (double) spec->resources.memory_reservation);
	cJSON_AddNumberToObject(hc, "MemorySwap", (double) spec->resources.memory_swap);
	cJSON_AddNullToObject(hc, "MemorySwappiness");
	cJSON_AddBoolToObject(hc, "OomKillDisable", false);
	if (spec->resources.pids_limit)
		cJSON_AddNumberToObject(hc, "PidsLimit", (double) spec->resources.pids_limit);
	else
		cJSON_AddNullToObject(hc, "PidsLimit");
	cJSON_AddItemToObject(hc, "Ulimits", ulimits_json(a));
	cJSON_AddNumberToObject(hc, "CpuCount", 0);
	cJSON_AddNumberToObject(hc, "CpuPercent", 0);
	cJSON_AddNumberToObject(hc, "IOMaximumIOps", 0);
	cJSON_AddNumberToObject(hc, "IOMaximumBandwidth", 0);
	cJSON_AddNullToObject(hc, "MaskedPaths");
	cJSON_AddNullToObject(hc, "ReadonlyPaths");
	if (spec->init)
		cJSON_AddBoolToObject(hc, "Init", true);

}

/* -p, -P, --expose, --ip, --ip6, --mac-address, --network-alias; the
 * daemon's refusals for container:<x> networking. */
static int parse_network_opts(const struct opts_result *o, struct create_args *a, robbe_error **err)
{
	struct container_create_request *req = &a->req;
	const char *mac = opts_str(o, "mac-address");
	const char *net = req->network;

	a->port_bindings = cJSON_CreateObject();
	a->exposed = cJSON_CreateObject();
	if (network_parse_publish(opts_list(o, "publish"), a->port_bindings, a->exposed, err) < 0 ||
	    network_parse_expose(opts_list(o, "expose"), a->exposed, err) < 0)
		return -1;
	if (mac && *mac) {
		unsigned b[6];
		char tail;
		if (sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6 ||
		    strlen(mac) != 17)
			return robbe_error_set(err, EXIT_ENGINE, "%s is not a valid mac address", mac);
	}
	req->mac_address = mac && *mac ? mac : NULL;
	req->ipv4 = opts_str(o, "ip");
	req->ipv6 = opts_str(o, "ip6");
	req->network_aliases = opts_list(o, "network-alias");
	if (net && str_has_prefix(net, "container:")) {
		const char *conflict = NULL;
		const char *h = opts_str(o, "hostname");

		if (h && *h)
			conflict = "hostname and the network mode";
		else if (req->dns[0])
			conflict = "dns and the network mode";
		else if (req->extra_hosts[0])
			conflict = "custom host-to-IP mapping and the network mode";
		else if (a->port_bindings->child || opts_bool(o, "publish-all"))
			conflict = "port publishing and the container type network mode";
		else if (a->exposed->child)
			conflict = "port exposing and the container type network mode";
		else if (mac && *mac)
			conflict = "mac-address and the network mode";
		if (conflict)
			return robbe_error_set(err, EXIT_ENGINE, "Error response from daemon: conflicting options: %s",
					       conflict);
	}
	return 0;
}

/* --pid, --ipc, --uts, --userns, --network and the DNS and hosts flags. */
static int parse_namespaces(const struct opts_result *o, struct create_args *a, robbe_error **err)
{
	struct container_create_request *req = &a->req;
	struct spec_request *spec = &req->spec;
	char *const *v;
	const char *s;

	if ((s = opts_str(o, "pid")) && *s) {
		if (strcmp(s, "host"))
			return robbe_error_set(err, EXIT_ENGINE, "--pid=%s is not supported by robbe yet", s);
		spec->share_host_pid = true;
	}
	if ((s = opts_str(o, "ipc")) && *s) {
		if (!strcmp(s, "host"))
			spec->share_host_ipc = true;
		else if (strcmp(s, "private") && strcmp(s, "shareable"))
			return robbe_error_set(err, EXIT_ENGINE, "--ipc=%s is not supported by robbe yet", s);
	}
	if ((s = opts_str(o, "uts")) && *s) {
		if (strcmp(s, "host"))
			return robbe_error_set(err, EXIT_ENGINE, "Error response from daemon: invalid UTS mode: %s", s);
		spec->share_host_uts = true;
	}
	if (spec_userns_parse(opts_str(o, "userns"), &spec->userns, err) < 0)
		return -1;
	v = opts_list(o, "network");
	req->network = v[0];
	req->networks = v;
	req->dns = opts_list(o, "dns");
	req->dns_search = opts_list(o, "dns-search");
	req->dns_options = opts_list(o, "dns-option");
	req->extra_hosts = opts_list(o, "add-host");
	return parse_network_opts(o, a, err);
}

/* --log-driver and --log-opt: json-file is served by conmon's k8s-file log. */
static int parse_logging(const struct opts_result *o, struct create_args *a, robbe_error **err)
{
	struct container_create_request *req = &a->req;
	char *const *v;
	const char *s;

	s = opts_str(o, "log-driver");
	if (!s || !*s || !strcmp(s, "json-file") || !strcmp(s, "k8s-file"))
		a->log_driver = xstrdup("k8s-file");
	else if (!strcmp(s, "none"))
		a->log_driver = xstrdup("none");
	else
		return robbe_error_set(err, EXIT_ENGINE,
				       "Error response from daemon: log driver \"%s\" is not supported by robbe (json-file, "
				       "k8s-file and none are)",
				       s);
	req->log_driver = a->log_driver;
	v = opts_list(o, "log-opt");
	for (size_t i = 0; v[i]; i++) {
		if (str_has_prefix(v[i], "max-size=")) {
			if (units_ram_in_bytes(v[i] + 9, &req->log_size_max, err) < 0)
				return -1;
		} else if (str_has_prefix(v[i], "max-file=")) {
			continue;	/* conmon keeps a single file: nothing more to honour */
		} else {
			cleanup_free char *k = xstrndup(v[i], strcspn(v[i], "="));
			return robbe_error_set(err, EXIT_ENGINE,
					       "Error response from daemon: unknown log opt '%s' for %s log driver", k,
					       s && *s ? s : "json-file");
		}
	}

	return 0;
}

/* -a/--attach (and what run attaches to without it). */
static int parse_attach(const struct opts_result *o, bool is_run, struct create_args *a, robbe_error **err)
{
	char *const *v = opts_list(o, "attach");
	bool detach = is_run && opts_bool(o, "detach");

	if (v[0] && detach)
		return robbe_error_set(err, EXIT_GENERAL, "conflicting options: cannot specify both --attach and --detach");
	for (size_t i = 0; v[i]; i++) {
		if (!strcasecmp(v[i], "stdin"))
			a->attach_stdin = true;
		else if (!strcasecmp(v[i], "stdout"))
			a->attach_stdout = true;
		else if (!strcasecmp(v[i], "stderr"))
			a->attach_stderr = true;
	}
	/* run without -a or -d: stdout and stderr, and stdin with -i. */
	if (is_run && !v[0] && !detach) {
		a->attach_stdout = a->attach_stderr = true;
		a->attach_stdin = a->req.spec.stdin_open;
	}
	return 0;
}

/* Docker's `docker run`/`create` flags into the engine request.  Errors here
 * are the CLI's own (status 125 through cli_run_error). */
static int build_request(struct cli_ctx *ctx, bool is_run, struct create_args *a, robbe_error **err)
{
	const struct opts_result *o = ctx->opts;
	struct container_create_request *req = &a->req;
	struct spec_request *spec = &req->spec;
	char *const *v;
	const char *s;

	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < ARRAY_SIZE(unsupported_opts); i++) {
		if (opts_changed(o, unsupported_opts[i])) {
			cleanup_free char *flag = xasprintf("--%s", unsupported_opts[i]);
			return unsupported(flag, err);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(windows_only_opts); i++)
		if (opts_changed(o, windows_only_opts[i]))
			strv_push_take(&a->warnings,
				       xasprintf("WARNING: --%s is a Windows option; it is ignored on Linux.",
						 windows_only_opts[i]));
	if (opts_changed(o, "kernel-memory"))
		strv_push(&a->warnings, "WARNING: Specifying a kernel memory limit is deprecated and will be removed in a future release.");
	if ((s = opts_str(o, "isolation")) && *s && strcmp(s, "default"))
		return robbe_error_set(err, EXIT_ENGINE, "invalid isolation '%s' on linux", s);
	if (opts_int(o, "memory-swappiness") != -1 && opts_changed(o, "memory-swappiness"))
		return unsupported("--memory-swappiness", err);

	req->image = ctx->argv[0];
	spec->cmd = ctx->argc > 1 ? ctx->argv + 1 : NULL;

	/* Image and pull. */
	s = opts_str(o, "pull");
	if (!s || !strcmp(s, "missing"))
		req->pull = CONTAINER_PULL_MISSING;
	else if (!strcmp(s, "always"))
		req->pull = CONTAINER_PULL_ALWAYS;
	else if (!strcmp(s, "never"))
		req->pull = CONTAINER_PULL_NEVER;
	else
		return robbe_error_set(err, EXIT_ENGINE,
				       "invalid pull option: '%s': must be one of \"always\", \"missing\" or \"never\"", s);
	a->pull_display = cli_pull_display_new(stderr, opts_bool(o, "quiet"));
	cli_pull_display_status_for(a->pull_display, req->image);
	a->pull_opts.platform = opts_str(o, "platform");
	cli_pull_display_events(a->pull_display, &a->pull_events);
	req->pull_opts = &a->pull_opts;
	req->pull_events = &a->pull_events;
	req->notify = create_notify;
	req->notify_opaque = NULL;

	req->name = opts_str(o, "name");
	req->runtime = opts_str(o, "runtime");

	/* Environment: -e K takes K's value from us; --env-file first, -e wins. */
	v = opts_list(o, "env-file");
	for (size_t i = 0; v[i]; i++)
		if (read_kv_file(v[i], true, &a->env, err) < 0)
			return -1;
	v = opts_list(o, "env");
	for (size_t i = 0; v[i]; i++) {
		if (!strchr(v[i], '=')) {
			const char *val = getenv(v[i]);
			if (val) {
				strv_push_take(&a->env, xasprintf("%s=%s", v[i], val));
				continue;
			}
		}
		strv_push(&a->env, v[i]);
	}
	spec->env = a->env;

	/* Labels: --label-file first, -l wins. */
	v = opts_list(o, "label-file");
	for (size_t i = 0; v[i]; i++)
		if (read_kv_file(v[i], false, &a->labels, err) < 0)
			return -1;
	v = opts_list(o, "label");
	for (size_t i = 0; v[i]; i++)
		strv_push(&a->labels, v[i]);

	if (opts_changed(o, "entrypoint")) {
		strv_push(&a->entrypoint, opts_str(o, "entrypoint") ? opts_str(o, "entrypoint") : "");
		spec->entrypoint = a->entrypoint;
		spec->entrypoint_set = true;
	}
	spec->user = opts_str(o, "user");
	spec->group_add = opts_list(o, "group-add");
	s = opts_str(o, "workdir");
	if (s && *s && s[0] != '/')
		return robbe_error_set(err, EXIT_ENGINE,
				       "Error response from daemon: the working directory '%s' is invalid, it needs to be an absolute path",
				       s);
	spec->workdir = s;
	spec->hostname = opts_str(o, "hostname");
	spec->domainname = opts_str(o, "domainname");
	spec->tty = opts_bool(o, "tty");
	spec->stdin_open = opts_bool(o, "interactive");
	spec->privileged = opts_bool(o, "privileged");
	spec->read_only = opts_bool(o, "read-only");
	spec->init = opts_bool(o, "init");
	spec->cap_add = opts_list(o, "cap-add");
	spec->cap_drop = opts_list(o, "cap-drop");
	if (parse_security_opts(a, opts_list(o, "security-opt"), err) < 0)
		return -1;
	v = opts_list(o, "tmpfs");
	for (size_t i = 0; v[i]; i++)
		strv_push(&a->tmpfs, v[i]);
	spec->tmpfs = a->tmpfs;
	/* The CLI's own -v checks; the rest is the engine's (daemon errors). */
	v = opts_list(o, "volume");
	for (size_t i = 0; v[i]; i++)
		if (mountspec_check_volume_flag(v[i], NULL, NULL, err) < 0)
			return -1;
	req->volumes = v;
	req->mounts = opts_list(o, "mount");
	req->volumes_from = opts_list(o, "volumes-from");
	req->volume_driver = opts_str(o, "volume-driver");
	spec->shm_size = opts_bytes(o, "shm-size");
	if (parse_ulimits(a, opts_list(o, "ulimit"), err) < 0)
		return -1;
	spec->sysctls = opts_list(o, "sysctl");
	spec->devices = opts_list(o, "device");
	spec->annotations = opts_list(o, "annotation");
	spec->cgroup_parent = opts_str(o, "cgroup-parent");
	if ((s = opts_str(o, "cgroupns")) && *s) {
		if (!strcmp(s, "host"))
			spec->cgroupns = SPEC_CGROUPNS_HOST;
		else if (!strcmp(s, "private"))
			spec->cgroupns = SPEC_CGROUPNS_PRIVATE;
		else
			return robbe_error_set(err, EXIT_ENGINE, "--cgroupns: invalid value '%s': use \"host\" or \"private\"", s);
	}

	/* Resources. */
	spec->resources.memory = opts_bytes(o, "memory");
	spec->resources.memory_swap = opts_bytes(o, "memory-swap");
	spec->resources.memory_reservation = opts_bytes(o, "memory-reservation");
	spec->resources.cpu_shares = opts_int(o, "cpu-shares");
	spec->resources.cpu_quota = opts_int(o, "cpu-quota");
	spec->resources.cpu_period = opts_int(o, "cpu-period");
	spec->resources.nano_cpus = opts_decimal_nano(o, "cpus");
	spec->resources.pids_limit = opts_int(o, "pids-limit");
	spec->resources.cpuset_cpus = opts_str(o, "cpuset-cpus");
	spec->resources.cpuset_mems = opts_str(o, "cpuset-mems");

	if (parse_namespaces(o, a, err) < 0)
		return -1;

	/* Lifecycle. */
	if (parse_restart(opts_str(o, "restart") ? opts_str(o, "restart") : "no", req, err) < 0)
		return -1;
	req->auto_remove = opts_bool(o, "rm");
	if (req->auto_remove && req->restart != CONTAINER_RESTART_NO)
		return robbe_error_set(err, EXIT_ENGINE, "conflicting options: cannot specify both --restart and --rm");
	req->stop_timeout = opts_changed(o, "stop-timeout") ? (int) opts_int(o, "stop-timeout") : -1;
	if ((s = opts_str(o, "stop-signal")) && *s) {
		int sig = container_parse_signal(s);
		if (sig <= 0)
			return robbe_error_set(err, EXIT_ENGINE, "Error response from daemon: Invalid signal: %s", s);
		req->stop_signal = sig;
		spec->stop_signal = s;
	}

	if (parse_logging(o, a, err) < 0 || parse_attach(o, is_run, a, err) < 0)
		return -1;
	build_config(o, a);
	build_host_config(o, a);
	req->config = a->config;
	req->host_config = a->host_config;
	return 0;
}

/* ---- create and run -------------------------------------------------------- */

/* --cidfile: refused when the file exists (another container may own it);
 * made empty at once and filled with the ID after create. */
static int cidfile_open(const char *path, robbe_error **err)
{
	int fd;

	if (!path || !*path)
		return -1;
	if (access(path, F_OK) == 0)
		return robbe_error_set(err, 0,
				       "container ID file found, make sure the other container isn't running or delete %s",
				       path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return robbe_error_errno(err, errno, "failed to create the container ID file");
	return fd;
}

static void print_warnings(char *const *w)
{
	for (size_t i = 0; w && w[i]; i++)
		fprintf(stderr, "%s%s\n", str_has_prefix(w[i], "WARNING") ? "" : "WARNING: ", w[i]);
}

/* create, shared by `create` and `run`.  Errors come back worded for the
 * caller to shape (run: `docker: ...`, create: plain). */
static int do_create(struct cli_ctx *ctx, struct container_env *env, struct create_args *a,
		     struct store_container **out, robbe_error **err)
{
	cleanup_close int cid_fd = -1;
	cleanup_strv char **warnings = NULL;
	const char *cidfile = opts_str(ctx->opts, "cidfile");

	if (cidfile && *cidfile && (cid_fd = cidfile_open(cidfile, err)) < 0)
		return -1;
	if (container_create(env, &a->req, out, &warnings, err) < 0) {
		if (cid_fd >= 0)
			unlink(cidfile);
		if (!((*err)->msg && str_has_prefix((*err)->msg, "Error response from daemon")))
			cli_daemon_error(err);
		return -1;
	}
	print_warnings(a->warnings);
	print_warnings(warnings);
	if (cid_fd >= 0) {
		if (write(cid_fd, (*out)->id, strlen((*out)->id)) < 0)
			return robbe_error_errno(err, errno, "failed to write the container ID to the file");
	}
	return 0;
}

int cmd_container_create(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	__attribute__((cleanup(create_args_release))) struct create_args a;

	if (build_request(ctx, false, &a, err) < 0)
		return (*err)->status == EXIT_GENERAL ? -1 : cli_run_error(ctx, err);
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (do_create(ctx, env, &a, &c, err) < 0) {
		if ((*err)->status == 0)
			(*err)->status = EXIT_GENERAL;
		return -1;
	}
	printf("%s\n", c->id);
	return 0;
}

/* Shape an engine error of `run`: Docker's exit status and words. */
static int run_error(struct cli_ctx *ctx, robbe_error **err)
{
	int st = (*err)->status;

	if (st != EXIT_CANNOT_INVOKE && st != EXIT_NOT_FOUND)
		(*err)->status = EXIT_ENGINE;
	if (!str_has_prefix((*err)->msg, "Error response from daemon"))
		cli_daemon_error(err);
	return cli_run_error(ctx, err);
}

int cmd_container_run(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_container_attach struct container_attach *att = NULL;
	__attribute__((cleanup(create_args_release))) struct create_args a;
	bool detach = opts_bool(ctx->opts, "detach");
	bool attach;
	struct container_start_opts so = { 0 };
	int code;

	if (build_request(ctx, true, &a, err) < 0)
		return (*err)->status == EXIT_GENERAL ? -1 : cli_run_error(ctx, err);
	attach = !detach && (a.attach_stdout || a.attach_stderr || a.attach_stdin);
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (do_create(ctx, env, &a, &c, err) < 0) {
		if ((*err)->msg && str_has_prefix((*err)->msg, "container ID file found"))
			return cli_run_error(ctx, err);
		return run_error(ctx, err);
	}

	so.attach = attach;
	so.attach_stdin = attach && a.attach_stdin;
	so.caller_removes = attach && a.req.auto_remove;
	if (container_start(env, c, &so, attach ? &att : NULL, err) < 0) {
		/* --rm: the container that could not start goes too. */
		if (a.req.auto_remove) {
			cleanup_error robbe_error *e = NULL;
			if (container_remove(env, c, true, true, &e) < 0)
				robbe_error_warn(&e);
		}
		return run_error(ctx, err);
	}
	if (!attach) {
		printf("%s\n", c->id);
		return 0;
	}
	code = cli_attach_and_wait(ctx, env, c, att, a.attach_stdout, a.attach_stderr, a.attach_stdin,
			       opts_bool(ctx->opts, "sig-proxy"), err);
	if (code < 0)
		return run_error(ctx, err);
	if (a.req.auto_remove) {
		/* Do conmon's cleanup now rather than wait for it: `run --rm`
		 * returns once the container is gone. */
		cleanup_error robbe_error *e = NULL;
		if (container_autoremove(env, c->id, &e) < 0)
			robbe_error_warn(&e);
	}
	return code;
}

/* ---- the per-container verbs --------------------------------------------- */

/* Run fn on each argument; print the argument as typed on success (when
 * echo), the daemon-worded error otherwise; 1 if any failed. */
typedef int (*per_container_fn)(struct container_env *env, struct store_container *c, const char *ref,
				void *data, robbe_error **err);

static int for_each_container(struct cli_ctx *ctx, per_container_fn fn, void *data, bool echo, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	int failed = 0;

	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		cleanup_store_container struct store_container *c = NULL;
		cleanup_error robbe_error *e = NULL;

		if (container_lookup(env, ctx->argv[i], &c, &e) < 0 || fn(env, c, ctx->argv[i], data, &e) < 0) {
			if (!str_has_prefix(e->msg, "Error response from daemon"))
				cli_daemon_error(&e);
			fprintf(stderr, "%s\n", e->msg);
			failed++;
			continue;
		}
		if (echo)
			printf("%s\n", ctx->argv[i]);
	}
	fflush(stdout);
	return failed ? 1 : 0;
}

static int parse_signal_opt(const char *s, int *sig, robbe_error **err)
{
	*sig = 0;
	if (!s || !*s)
		return 0;
	*sig = container_parse_signal(s);
	if (*sig <= 0)
		return robbe_error_set(err, EXIT_GENERAL, "Error response from daemon: Invalid signal: %s", s);
	return 0;
}

struct stop_args {
	int sig, timeout;
};

static int do_stop(struct container_env *env, struct store_container *c, const char *ref, void *data,
		   robbe_error **err)
{
	struct stop_args *a = data;

	(void) ref;
	return container_stop(env, c, a->sig, a->timeout, err);
}

static int do_restart(struct container_env *env, struct store_container *c, const char *ref, void *data,
		      robbe_error **err)
{
	struct stop_args *a = data;

	(void) ref;
	return container_restart(env, c, a->sig, a->timeout, err);
}

static int stop_args_parse(struct cli_ctx *ctx, struct stop_args *a, robbe_error **err)
{
	a->timeout = opts_changed(ctx->opts, "timeout") ? (int) opts_int(ctx->opts, "timeout") : -1;
	return parse_signal_opt(opts_str(ctx->opts, "signal"), &a->sig, err);
}

int cmd_container_stop(struct cli_ctx *ctx, robbe_error **err)
{
	struct stop_args a;

	if (stop_args_parse(ctx, &a, err) < 0)
		return -1;
	return for_each_container(ctx, do_stop, &a, true, err);
}

int cmd_container_restart(struct cli_ctx *ctx, robbe_error **err)
{
	struct stop_args a;

	if (stop_args_parse(ctx, &a, err) < 0)
		return -1;
	return for_each_container(ctx, do_restart, &a, true, err);
}

static int do_kill(struct container_env *env, struct store_container *c, const char *ref, void *data,
		   robbe_error **err)
{
	int sig = *(int *) data;

	if (container_kill(env, c, sig, err) < 0) {
		if ((*err)->errnum == ESRCH) {
			char *msg = xasprintf("cannot kill container: %s: %s", ref, (*err)->msg);
			free((*err)->msg);
			(*err)->msg = msg;
		}
		return -1;
	}
	return 0;
}

int cmd_container_kill(struct cli_ctx *ctx, robbe_error **err)
{
	const char *s = opts_str(ctx->opts, "signal");
	int sig;

	if (parse_signal_opt(s && *s ? s : "KILL", &sig, err) < 0)
		return -1;
	return for_each_container(ctx, do_kill, &sig, true, err);
}

static int do_pause(struct container_env *env, struct store_container *c, const char *ref, void *data,
		    robbe_error **err)
{
	(void) ref;
	(void) data;
	return container_pause(env, c, err);
}

static int do_unpause(struct container_env *env, struct store_container *c, const char *ref, void *data,
		      robbe_error **err)
{
	(void) ref;
	(void) data;
	return container_unpause(env, c, err);
}

int cmd_container_pause(struct cli_ctx *ctx, robbe_error **err)
{
	return for_each_container(ctx, do_pause, NULL, true, err);
}

int cmd_container_unpause(struct cli_ctx *ctx, robbe_error **err)
{
	return for_each_container(ctx, do_unpause, NULL, true, err);
}

static int do_wait(struct container_env *env, struct store_container *c, const char *ref, void *data,
		   robbe_error **err)
{
	int code;

	(void) ref;
	(void) data;
	if (container_wait(env, c->id, -1, &code, err) < 0)
		return -1;
	printf("%d\n", code);
	fflush(stdout);
	return 0;
}

int cmd_container_wait(struct cli_ctx *ctx, robbe_error **err)
{
	return for_each_container(ctx, do_wait, NULL, false, err);
}

int cmd_container_rm(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	bool force = opts_bool(ctx->opts, "force"), volumes = opts_bool(ctx->opts, "volumes");
	int failed = 0;

	if (opts_bool(ctx->opts, "link"))
		return unsupported("--link", err);
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		cleanup_store_container struct store_container *c = NULL;
		cleanup_error robbe_error *e = NULL;

		if (container_lookup(env, ctx->argv[i], &c, &e) < 0) {
			cli_daemon_error(&e);
			fprintf(stderr, "%s\n", e->msg);
			/* Docker: with -f a missing container is not a failure. */
			if (!(force && e->errnum == ENOENT))
				failed++;
			continue;
		}
		if (container_remove(env, c, force, volumes, &e) < 0) {
			cli_daemon_error(&e);
			fprintf(stderr, "%s\n", e->msg);
			failed++;
			continue;
		}
		printf("%s\n", ctx->argv[i]);
	}
	fflush(stdout);
	return failed ? 1 : 0;
}

int cmd_container_rename(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;

	if (!*ctx->argv[0] || !*ctx->argv[1])
		return robbe_error_set(err, EXIT_GENERAL, "Error: Neither old nor new names may be empty");
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (container_lookup(env, ctx->argv[0], &c, err) < 0 || container_rename(env, c, ctx->argv[1], err) < 0)
		return cli_daemon_error(err);
	return 0;
}

/* conmon's exit command.  Nobody reads its output (conmon gives it
 * /dev/null), so errors only set the status. */
int cmd_container_cleanup(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	int failed = 0;

	if (opts_str(ctx->opts, "exec") || opts_bool(ctx->opts, "rmi"))
		return unsupported(opts_bool(ctx->opts, "rmi") ? "--rmi" : "--exec", err);
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (opts_bool(ctx->opts, "all")) {
		cleanup_store_container_list struct store_container **all = NULL;

		if (container_list(env, &all, err) < 0)
			return -1;
		for (size_t i = 0; all[i]; i++) {
			cleanup_error robbe_error *e = NULL;
			if (!container_is_active(all[i]) && container_cleanup(env, all[i]->id, &e) < 0) {
				robbe_error_warn(&e);
				failed++;
			}
		}
		return failed ? 1 : 0;
	}
	for (int i = 0; i < ctx->argc; i++) {
		cleanup_store_container struct store_container *c = NULL;
		cleanup_error robbe_error *e = NULL;

		/* By full ID from conmon; a user may give a name. */
		if (container_lookup(env, ctx->argv[i], &c, &e) < 0) {
			/* Gone already: `run --rm` may have left us the runtime's
			 * state to delete. */
			if (e->errnum == ENOENT) {
				robbe_error_free(steal_pointer(&e));
				if (strlen(ctx->argv[i]) == 64 && container_cleanup(env, ctx->argv[i], &e) < 0) {
					robbe_error_warn(&e);
					failed++;
				}
				continue;
			}
			robbe_error_warn(&e);
			failed++;
			continue;
		}
		if (container_cleanup(env, c->id, &e) < 0) {
			robbe_error_warn(&e);
			failed++;
			continue;
		}
		if (opts_bool(ctx->opts, "rm")) {
			if (container_remove(env, c, true, false, &e) < 0 && e->errnum != ENOENT) {
				robbe_error_warn(&e);
				failed++;
			}
		}
	}
	return failed ? 1 : 0;
}
