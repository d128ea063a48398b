/* cmd-system.c: the system, context and plugin groups, and the version
 * and info handlers.
 *
 * Flag names, short letters, types and defaults follow Docker CLI 28; the
 * descriptions are robbe's own.  `version` and `info` build a cJSON
 * document shaped like Docker's (so --format templates written for Docker
 * work: field lookup folds case, `.Server.APIVersion` finds ApiVersion) and
 * print Docker's human layout without --format.
 */
#define _GNU_SOURCE
#include "config.h"

#include <dirent.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "compat/cli.h"
#include "compat/format.h"
#include "store/store.h"

static const struct opt_def system_df_opts[] = {
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "verbose", .short_name = 'v', .type = OPT_BOOL, .help = "Print more detail" },
	{ 0 }
};

static const struct opt_def system_events_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show events matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print each event with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "since", .type = OPT_STRING, .help = "Show events since this time" },
	{ .long_name = "until", .type = OPT_STRING, .help = "Show events up to this time" },
	{ 0 }
};

static const struct opt_def system_info_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ 0 }
};

static const struct opt_def system_prune_opts[] = {
	{ .long_name = "all", .short_name = 'a', .type = OPT_BOOL, .help = "Delete every unused image, not only dangling ones" },
	{ .long_name = "filter", .type = OPT_LIST, .help = "Only delete what matches a filter (e.g. \"label=<key>=<value>\")", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Do it without asking" },
	{ .long_name = "volumes", .type = OPT_BOOL, .help = "Delete unused volumes too" },
	{ 0 }
};

const struct command system_cmds[] = {
	{ .name = "df",
	  .usage = "[OPTIONS]",
	  .short_help = "Show how much disk space the engine uses",
	  .opts = OPTS(system_df_opts),
	  .args = ARGS_NONE },
	{ .name = "dial-stdio",
	  .usage = "",
	  .short_help = "Connect standard input and output to the engine",
	  .args = ARGS_NONE,
	  .flags = CMD_HIDDEN },
	{ .name = "events",
	  .usage = "[OPTIONS]",
	  .short_help = "Print engine events as they happen",
	  .opts = OPTS(system_events_opts),
	  .args = ARGS_NONE },
	{ .name = "info",
	  .usage = "[OPTIONS]",
	  .short_help = "Show information about the whole system",
	  .opts = OPTS(system_info_opts),
	  .handler = cmd_system_info,
	  .args = ARGS_NONE },
	{ .name = "prune",
	  .usage = "[OPTIONS]",
	  .short_help = "Delete data nothing uses",
	  .opts = OPTS(system_prune_opts),
	  .handler = cmd_system_prune,
	  .args = ARGS_NONE },
	{ 0 }
};

static const struct opt_def context_create_opts[] = {
	{ .long_name = "description", .type = OPT_STRING, .help = "Free text describing the context" },
	{ .long_name = "docker", .type = OPT_MAP, .def = "[]", .help = "Endpoint of the context", .metavar = "stringToString", .flags = OPT_CSV },
	{ .long_name = "from", .type = OPT_STRING, .help = "Copy the settings of this context" },
	{ 0 }
};

static const struct opt_def context_inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ 0 }
};

static const struct opt_def context_ls_opts[] = {
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only context names" },
	{ 0 }
};

static const struct opt_def context_rm_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Delete a context even if it is in use" },
	{ 0 }
};

static const struct opt_def context_update_opts[] = {
	{ .long_name = "description", .type = OPT_STRING, .help = "Free text describing the context" },
	{ .long_name = "docker", .type = OPT_MAP, .def = "[]", .help = "Endpoint of the context", .metavar = "stringToString", .flags = OPT_CSV },
	{ 0 }
};

const struct command context_cmds[] = {
	{ .name = "create",
	  .usage = "[OPTIONS] CONTEXT",
	  .short_help = "Create a connection context",
	  .opts = OPTS(context_create_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_CONTEXT },
	{ .name = "export",
	  .usage = "[OPTIONS] CONTEXT [FILE|-]",
	  .short_help = "Write a context out as a tar archive, to a file or standard output",
	  .args = ARGS_RANGE,
	  .args_min = 1,
	  .args_max = 2,
	  .complete = COMPLETE_CONTEXT },
	{ .name = "import",
	  .usage = "CONTEXT FILE|-",
	  .short_help = "Read a context from a tar archive file or standard input",
	  .args = ARGS_EXACT,
	  .args_min = 2,
	  .complete = COMPLETE_FILE },
	{ .name = "inspect",
	  .usage = "[OPTIONS] [CONTEXT] [CONTEXT...]",
	  .short_help = "Show details of one or more contexts",
	  .opts = OPTS(context_inspect_opts),
	  .args = ARGS_ANY,
	  .complete = COMPLETE_CONTEXT },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS]",
	  .short_help = "List contexts",
	  .opts = OPTS(context_ls_opts),
	  .args = ARGS_NONE },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "CONTEXT [CONTEXT...]",
	  .short_help = "Delete one or more contexts",
	  .opts = OPTS(context_rm_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_CONTEXT },
	{ .name = "show",
	  .usage = "",
	  .short_help = "Print the name of the context in use",
	  .args = ARGS_NONE },
	{ .name = "update",
	  .usage = "[OPTIONS] CONTEXT",
	  .short_help = "Change a context",
	  .opts = OPTS(context_update_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_CONTEXT },
	{ .name = "use",
	  .usage = "CONTEXT",
	  .short_help = "Make a context the default",
	  .args = ARGS_EXACT_COBRA,
	  .args_min = 1,
	  .complete = COMPLETE_CONTEXT },
	{ 0 }
};

static const struct opt_def plugin_create_opts[] = {
	{ .long_name = "compress", .type = OPT_BOOL, .help = "Compress the plugin's context" },
	{ 0 }
};

static const struct opt_def plugin_disable_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Disable the plugin even if something uses it" },
	{ 0 }
};

static const struct opt_def plugin_enable_opts[] = {
	{ .long_name = "timeout", .type = OPT_INT, .def = "30", .help = "Seconds to wait for the plugin to answer" },
	{ 0 }
};

static const struct opt_def plugin_inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ 0 }
};

static const struct opt_def plugin_install_opts[] = {
	{ .long_name = "alias", .type = OPT_STRING, .help = "Name to install the plugin under locally" },
	{ .long_name = "disable", .type = OPT_BOOL, .help = "Leave the plugin disabled after installing it" },
	{ .long_name = "disable-content-trust", .type = OPT_BOOL, .def = "true", .help = "Do not verify image signatures" },
	{ .long_name = "grant-all-permissions", .type = OPT_BOOL, .help = "Accept every permission the plugin asks for" },
	{ 0 }
};

static const struct opt_def plugin_ls_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

static const struct opt_def plugin_push_opts[] = {
	{ .long_name = "disable-content-trust", .type = OPT_BOOL, .def = "true", .help = "Do not sign the plugin" },
	{ 0 }
};

static const struct opt_def plugin_rm_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Delete an active plugin" },
	{ 0 }
};

static const struct opt_def plugin_upgrade_opts[] = {
	{ .long_name = "disable-content-trust", .type = OPT_BOOL, .def = "true", .help = "Do not verify image signatures" },
	{ .long_name = "grant-all-permissions", .type = OPT_BOOL, .help = "Accept every permission the plugin asks for" },
	{ .long_name = "skip-remote-check", .type = OPT_BOOL, .help = "Upgrade even if the remote plugin asks for other permissions" },
	{ 0 }
};

const struct command plugin_cmds[] = {
	{ .name = "create",
	  .usage = "[OPTIONS] PLUGIN PLUGIN-DATA-DIR",
	  .short_help = "Make a plugin from a root filesystem and a config.json",
	  .opts = OPTS(plugin_create_opts),
	  .args = ARGS_MIN,
	  .args_min = 2 },
	{ .name = "disable",
	  .usage = "[OPTIONS] PLUGIN",
	  .short_help = "Turn a plugin off",
	  .opts = OPTS(plugin_disable_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "enable",
	  .usage = "[OPTIONS] PLUGIN",
	  .short_help = "Turn a plugin on",
	  .opts = OPTS(plugin_enable_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "inspect",
	  .usage = "[OPTIONS] PLUGIN [PLUGIN...]",
	  .short_help = "Show low-level details of one or more plugins",
	  .opts = OPTS(plugin_inspect_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "install",
	  .usage = "[OPTIONS] PLUGIN [KEY=VALUE...]",
	  .short_help = "Install a plugin",
	  .opts = OPTS(plugin_install_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS]",
	  .short_help = "List plugins",
	  .opts = OPTS(plugin_ls_opts),
	  .args = ARGS_NONE },
	{ .name = "push",
	  .usage = "[OPTIONS] PLUGIN[:TAG]",
	  .short_help = "Send a plugin to a registry",
	  .opts = OPTS(plugin_push_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "[OPTIONS] PLUGIN [PLUGIN...]",
	  .short_help = "Delete one or more plugins",
	  .opts = OPTS(plugin_rm_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "set",
	  .usage = "PLUGIN KEY=VALUE [KEY=VALUE...]",
	  .short_help = "Change a plugin's settings",
	  .args = ARGS_MIN,
	  .args_min = 2 },
	{ .name = "upgrade",
	  .usage = "[OPTIONS] PLUGIN [REMOTE]",
	  .short_help = "Upgrade an installed plugin",
	  .opts = OPTS(plugin_upgrade_opts),
	  .args = ARGS_RANGE,
	  .args_min = 1,
	  .args_max = 2 },
	{ 0 }
};

/* ---- version and info -------------------------------------------------- */

/* The Engine API version robbe speaks (Docker 28.3's) and the oldest it accepts. */
#define ROBBE_API_VERSION "1.51"
#define ROBBE_MIN_API_VERSION "1.24"

/* Go's names for the architecture robbe was built for. */
static const char *go_arch(void)
{
#if defined(__x86_64__)
	return "amd64";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__arm__)
	return "arm";
#elif defined(__i386__)
	return "386";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
	return "ppc64le";
#elif defined(__s390x__)
	return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
	return "riscv64";
#else
	return "unknown";
#endif
}

/* When this file was compiled, in Go's ANSIC layout ("Fri May 30 12:07:14 2025"). */
static char *build_time(void)
{
	struct tm tm = { 0 };
	char buf[64];
	if (!strptime(__DATE__ " " __TIME__, "%b %d %Y %H:%M:%S", &tm))
		return xstrdup("");
	tm.tm_isdst = -1;
	mktime(&tm);
	strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &tm);
	return xstrdup(buf);
}

char *cli_version_line(const char *prog)
{
	if (strcmp(prog, "docker") == 0)
		return xasprintf("Docker version %s, build %s", PACKAGE_VERSION, ROBBE_GIT_COMMIT);
	return xasprintf("robbe version %s, build %s", PACKAGE_VERSION, ROBBE_GIT_COMMIT);
}

static const char *context_name(const struct cli_ctx *ctx)
{
	return ctx->g.context && *ctx->g.context ? ctx->g.context : "default";
}

static cJSON *version_doc(const struct cli_ctx *ctx)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *client = cJSON_AddObjectToObject(doc, "Client");
	cJSON *server = cJSON_AddObjectToObject(doc, "Server");
	cJSON *engine, *details;
	cleanup_free char *built = build_time();
	struct utsname u;

	if (uname(&u) < 0)
		strcpy(u.release, "");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(client, "Platform"), "Name", "robbe");
	cJSON_AddStringToObject(client, "Version", PACKAGE_VERSION);
	cJSON_AddStringToObject(client, "ApiVersion", ROBBE_API_VERSION);
	cJSON_AddStringToObject(client, "DefaultAPIVersion", ROBBE_API_VERSION);
	cJSON_AddStringToObject(client, "GitCommit", ROBBE_GIT_COMMIT);
	cJSON_AddStringToObject(client, "GoVersion", "n/a");
	cJSON_AddStringToObject(client, "Os", "linux");
	cJSON_AddStringToObject(client, "Arch", go_arch());
	cJSON_AddStringToObject(client, "BuildTime", built);
	cJSON_AddStringToObject(client, "Context", context_name(ctx));

	/* There is no daemon: the "server" is this same program. */
	cJSON_AddStringToObject(cJSON_AddObjectToObject(server, "Platform"), "Name", "robbe");
	engine = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(server, "Components"), engine);
	cJSON_AddStringToObject(engine, "Name", "Engine");
	cJSON_AddStringToObject(engine, "Version", PACKAGE_VERSION);
	/* Go encodes map[string]string with its keys sorted. */
	details = cJSON_AddObjectToObject(engine, "Details");
	cJSON_AddStringToObject(details, "ApiVersion", ROBBE_API_VERSION);
	cJSON_AddStringToObject(details, "Arch", go_arch());
	cJSON_AddStringToObject(details, "BuildTime", built);
	cJSON_AddStringToObject(details, "Experimental", "false");
	cJSON_AddStringToObject(details, "GitCommit", ROBBE_GIT_COMMIT);
	cJSON_AddStringToObject(details, "GoVersion", "n/a");
	cJSON_AddStringToObject(details, "KernelVersion", u.release);
	cJSON_AddStringToObject(details, "MinAPIVersion", ROBBE_MIN_API_VERSION);
	cJSON_AddStringToObject(details, "Os", "linux");
	cJSON_AddStringToObject(server, "Version", PACKAGE_VERSION);
	cJSON_AddStringToObject(server, "ApiVersion", ROBBE_API_VERSION);
	cJSON_AddStringToObject(server, "MinAPIVersion", ROBBE_MIN_API_VERSION);
	cJSON_AddStringToObject(server, "GitCommit", ROBBE_GIT_COMMIT);
	cJSON_AddStringToObject(server, "GoVersion", "n/a");
	cJSON_AddStringToObject(server, "Os", "linux");
	cJSON_AddStringToObject(server, "Arch", go_arch());
	cJSON_AddStringToObject(server, "KernelVersion", u.release);
	cJSON_AddStringToObject(server, "BuildTime", built);
	return doc;
}

static const char *jstr(const cJSON *obj, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
	return s ? s : "";
}

/* A label padded to Docker's tabwriter column (minimum width 20). */
static void row20(const char *label, const char *value)
{
	printf("%-20s%s\n", label, value);
}

/* Run a user's --format over one document (version, info). */
static int print_formatted(const char *format, const cJSON *doc, robbe_error **err)
{
	struct tmpl_options topts = { .fold_case = true };
	struct formatter *f = NULL;
	int rc;

	if (formatter_new(format, NULL, NULL, &topts, &f, err) < 0) {
		(*err)->status = EXIT_TEMPLATE;
		return -1;
	}
	rc = formatter_row(f, doc, err);
	if (rc == 0)
		rc = formatter_flush(f, stdout, err);
	formatter_free(f);
	return rc;
}

int cmd_version(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_cjson cJSON *doc = version_doc(ctx);
	const char *format = opts_str(ctx->opts, "format");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(doc, "Client");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(doc, "Server");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s, "Components"), 0), "Details");
	cleanup_free char *osarch = NULL, *api = NULL, *sosarch = NULL;

	if (format && *format)
		return print_formatted(format, doc, err) < 0 ? -1 : 0;

	osarch = xasprintf("%s/%s", jstr(c, "Os"), jstr(c, "Arch"));
	printf("Client: %s\n", jstr(cJSON_GetObjectItemCaseSensitive(c, "Platform"), "Name"));
	row20(" Version:", jstr(c, "Version"));
	row20(" API version:", jstr(c, "ApiVersion"));
	row20(" Go version:", jstr(c, "GoVersion"));
	row20(" Git commit:", jstr(c, "GitCommit"));
	row20(" Built:", jstr(c, "BuildTime"));
	row20(" OS/Arch:", osarch);
	row20(" Context:", jstr(c, "Context"));

	api = xasprintf("%s (minimum version %s)", jstr(d, "ApiVersion"), jstr(d, "MinAPIVersion"));
	sosarch = xasprintf("%s/%s", jstr(d, "Os"), jstr(d, "Arch"));
	printf("\nServer: %s\n", jstr(cJSON_GetObjectItemCaseSensitive(s, "Platform"), "Name"));
	printf(" Engine:\n");
	row20("  Version:", jstr(s, "Version"));
	row20("  API version:", api);
	row20("  Go version:", jstr(d, "GoVersion"));
	row20("  Git commit:", jstr(d, "GitCommit"));
	row20("  Built:", jstr(d, "BuildTime"));
	row20("  OS/Arch:", sosarch);
	row20("  Experimental:", jstr(d, "Experimental"));
	return 0;
}

/* ---- info ---- */

static char *first_line_of(const char *path)
{
	char *data = NULL;
	size_t len;
	robbe_error *err = NULL;
	if (read_file_all(path, 1 << 16, &data, &len, &err) < 0) {
		robbe_error_free(err);
		return NULL;
	}
	data[strcspn(data, "\n")] = '\0';
	return data;
}

/* A value from /etc/os-release, unquoted. */
static char *os_release(const char *key)
{
	char *data = NULL, *save = NULL, *res = NULL;
	size_t len, klen = strlen(key);
	robbe_error *err = NULL;
	if (read_file_all("/etc/os-release", 1 << 16, &data, &len, &err) < 0 &&
	    read_file_all("/usr/lib/os-release", 1 << 16, &data, &len, &err) < 0) {
		robbe_error_free(err);
		return NULL;
	}
	robbe_error_free(err);
	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
			char *v = line + klen + 1;
			size_t vl = strlen(v);
			if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0]) {
				v[vl - 1] = '\0';
				v++;
			}
			res = xstrdup(v);
			break;
		}
	}
	free(data);
	return res;
}

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* 2 when /sys/fs/cgroup is the unified (v2) hierarchy, else 1. */
static int cgroup_version(void)
{
	struct statfs sfs;
	if (statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC &&
	    file_exists("/sys/fs/cgroup/cgroup.controllers"))
		return 2;
	return 1;
}

static bool cgroup_has(int version, const char *controller)
{
	if (version == 2) {
		cleanup_free char *ctl = first_line_of("/sys/fs/cgroup/cgroup.controllers");
		char *save = NULL;
		if (!ctl)
			return false;
		for (char *w = strtok_r(ctl, " ", &save); w; w = strtok_r(NULL, " ", &save))
			if (strcmp(w, controller) == 0)
				return true;
		return false;
	}
	cleanup_free char *p = xasprintf("/sys/fs/cgroup/%s", controller);
	return file_exists(p);
}

/* Docker's name for the filesystem under the root directory. */
static const char *backing_fs(const char *dir)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} names[] = {
		{ 0xEF53, "extfs" }, { 0x58465342, "xfs" }, { 0x9123683E, "btrfs" },
		{ 0x01021994, "tmpfs" }, { 0x794c7630, "overlayfs" }, { 0x2FC12FC1, "zfs" },
		{ 0x65735546, "fuseblk" }, { 0x6969, "nfs" }, { 0x858458f6, "ramfs" },
	};
	struct statfs sfs;
	cleanup_free char *d = xstrdup(dir);
	/* The root may not exist yet: ask the nearest existing parent. */
	while (statfs(d, &sfs) < 0) {
		char *slash = strrchr(d, '/');
		if (!slash || slash == d)
			return "<unknown>";
		*slash = '\0';
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if ((unsigned long) sfs.f_type == names[i].magic)
			return names[i].name;
	return "<unknown>";
}

static cJSON *string_array(const char *const *items)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; items[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(items[i]));
	return a;
}

static void add_pair(cJSON *arr, const char *k, const char *v)
{
	const char *pair[] = { k, v, NULL };
	cJSON_AddItemToArray(arr, string_array(pair));
}

/* In PATH? */
static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	cleanup_free char *copy = xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	char *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		cleanup_free char *p = xasprintf("%s/%s", dir, prog);
		if (access(p, X_OK) == 0)
			return true;
	}
	return false;
}

/* RFC 3339 with nanoseconds, as Go prints time.Now() in info. */
static char *system_time(void)
{
	struct timespec ts;
	struct tm tm;
	char base[40], zone[32];
	char frac[16];
	int n;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(frac, sizeof(frac), ".%09ld", ts.tv_nsec);
	while (n > 1 && frac[n - 1] == '0')
		frac[--n] = '\0';
	if (n == 1)
		frac[0] = '\0';
	if (tm.tm_gmtoff == 0) {
		strcpy(zone, "Z");
	} else {
		long off = tm.tm_gmtoff;
		snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600, labs(off) % 3600 / 60);
	}
	return xasprintf("%s%s%s", base, frac, zone);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n > 0 ? n - 1 : 0; /* not counting the one reading the directory */
}

static const char *env_either(const char *a, const char *b)
{
	const char *v = getenv(a);
	if (!v || !*v)
		v = getenv(b);
	return v ? v : "";
}

static int info_doc(struct cli_ctx *ctx, cJSON **out, robbe_error **err)
{
	const struct robbe_paths *paths;
	struct store *store;
	struct store_counts counts;
	struct utsname u;
	struct sysinfo si;
	char host[256] = "";
	int cgv = cgroup_version();
	cleanup_cjson cJSON *doc = cJSON_CreateObject();
	cJSON *plugins, *status, *reg, *idx, *runtimes, *swarm, *sec, *client;
	cleanup_free char *machine_id = first_line_of("/etc/machine-id");
	cleanup_free char *pretty = os_release("PRETTY_NAME");
	cleanup_free char *osver = os_release("VERSION_ID");
	cleanup_free char *now = system_time();
	cleanup_free char *built = build_time();
	cleanup_free char *ipfwd = first_line_of("/proc/sys/net/ipv4/ip_forward");
	cleanup_free char *cgv_s = xasprintf("%d", cgv);
	static const char *const volume_plugins[] = { "local", NULL };
	static const char *const network_plugins[] = { "bridge", "host", "ipvlan", "macvlan", "null", NULL };
	static const char *const log_plugins[] = { "json-file", "k8s-file", "none", "passthrough", NULL };
	static const char *const cdi_dirs[] = { "/etc/cdi", "/var/run/cdi", NULL };
	static const char *const insecure[] = { "::1/128", "127.0.0.0/8", NULL };

	if (cli_paths(ctx, &paths, err) < 0 || cli_store(ctx, &store, err) < 0 ||
	    store_counts(store, &counts, err) < 0)
		return -1;
	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	if (sysinfo(&si) < 0)
		memset(&si, 0, sizeof(si));
	gethostname(host, sizeof(host) - 1);

	cJSON_AddStringToObject(doc, "ID", machine_id ? machine_id : "");
	cJSON_AddNumberToObject(doc, "Containers", counts.containers);
	cJSON_AddNumberToObject(doc, "ContainersRunning", counts.running);
	cJSON_AddNumberToObject(doc, "ContainersPaused", counts.paused);
	cJSON_AddNumberToObject(doc, "ContainersStopped", counts.stopped);
	cJSON_AddNumberToObject(doc, "Images", counts.images);
	cJSON_AddStringToObject(doc, "Driver", "overlay");
	status = cJSON_AddArrayToObject(doc, "DriverStatus");
	add_pair(status, "Backing Filesystem", backing_fs(paths->root));
	add_pair(status, "Supports d_type", "true");
	plugins = cJSON_AddObjectToObject(doc, "Plugins");
	cJSON_AddItemToObject(plugins, "Volume", string_array(volume_plugins));
	cJSON_AddItemToObject(plugins, "Network", string_array(network_plugins));
	cJSON_AddNullToObject(plugins, "Authorization");
	cJSON_AddItemToObject(plugins, "Log", string_array(log_plugins));
	cJSON_AddBoolToObject(doc, "MemoryLimit", cgroup_has(cgv, "memory"));
	cJSON_AddBoolToObject(doc, "SwapLimit", cgroup_has(cgv, "memory"));
	cJSON_AddBoolToObject(doc, "CpuCfsPeriod", cgroup_has(cgv, "cpu"));
	cJSON_AddBoolToObject(doc, "CpuCfsQuota", cgroup_has(cgv, "cpu"));
	cJSON_AddBoolToObject(doc, "CPUShares", cgroup_has(cgv, "cpu"));
	cJSON_AddBoolToObject(doc, "CPUSet", cgroup_has(cgv, "cpuset"));
	cJSON_AddBoolToObject(doc, "PidsLimit", cgroup_has(cgv, "pids"));
	cJSON_AddBoolToObject(doc, "IPv4Forwarding", ipfwd && strcmp(ipfwd, "1") == 0);
	cJSON_AddBoolToObject(doc, "Debug", ctx->g.debug);
	cJSON_AddNumberToObject(doc, "NFd", count_fds());
	cJSON_AddBoolToObject(doc, "OomKillDisable", cgv == 1);
	cJSON_AddNumberToObject(doc, "NGoroutines", 1);
	cJSON_AddStringToObject(doc, "SystemTime", now);
	cJSON_AddStringToObject(doc, "LoggingDriver", "json-file");
	cJSON_AddStringToObject(doc, "CgroupDriver", "cgroupfs");
	cJSON_AddStringToObject(doc, "CgroupVersion", cgv_s);
	cJSON_AddNumberToObject(doc, "NEventsListener", 0);
	cJSON_AddStringToObject(doc, "KernelVersion", u.release);
	cJSON_AddStringToObject(doc, "OperatingSystem", pretty ? pretty : "Linux");
	cJSON_AddStringToObject(doc, "OSVersion", osver ? osver : "");
	cJSON_AddStringToObject(doc, "OSType", "linux");
	cJSON_AddStringToObject(doc, "Architecture", u.machine);
	cJSON_AddStringToObject(doc, "IndexServerAddress", "https://index.docker.io/v1/");
	reg = cJSON_AddObjectToObject(doc, "RegistryConfig");
	cJSON_AddItemToObject(reg, "InsecureRegistryCIDRs", string_array(insecure));
	idx = cJSON_AddObjectToObject(cJSON_AddObjectToObject(reg, "IndexConfigs"), "docker.io");
	cJSON_AddStringToObject(idx, "Name", "docker.io");
	cJSON_AddArrayToObject(idx, "Mirrors");
	cJSON_AddBoolToObject(idx, "Secure", true);
	cJSON_AddBoolToObject(idx, "Official", true);
	cJSON_AddNullToObject(reg, "Mirrors");
	cJSON_AddNumberToObject(doc, "NCPU", (double) sysconf(_SC_NPROCESSORS_ONLN));
	cJSON_AddNumberToObject(doc, "MemTotal", (double) si.totalram * (double) si.mem_unit);
	cJSON_AddNullToObject(doc, "GenericResources");
	cJSON_AddStringToObject(doc, "DockerRootDir", paths->root);
	cJSON_AddStringToObject(doc, "HttpProxy", env_either("HTTP_PROXY", "http_proxy"));
	cJSON_AddStringToObject(doc, "HttpsProxy", env_either("HTTPS_PROXY", "https_proxy"));
	cJSON_AddStringToObject(doc, "NoProxy", env_either("NO_PROXY", "no_proxy"));
	cJSON_AddStringToObject(doc, "Name", host);
	cJSON_AddArrayToObject(doc, "Labels");
	cJSON_AddBoolToObject(doc, "ExperimentalBuild", false);
	cJSON_AddStringToObject(doc, "ServerVersion", PACKAGE_VERSION);
	runtimes = cJSON_AddObjectToObject(doc, "Runtimes");
	if (in_path("crun"))
		cJSON_AddStringToObject(cJSON_AddObjectToObject(runtimes, "crun"), "path", "crun");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(runtimes, "runc"), "path", "runc");
	cJSON_AddStringToObject(doc, "DefaultRuntime", "runc");
	swarm = cJSON_AddObjectToObject(doc, "Swarm");
	cJSON_AddStringToObject(swarm, "NodeID", "");
	cJSON_AddStringToObject(swarm, "NodeAddr", "");
	cJSON_AddStringToObject(swarm, "LocalNodeState", "inactive");
	cJSON_AddBoolToObject(swarm, "ControlAvailable", false);
	cJSON_AddStringToObject(swarm, "Error", "");
	cJSON_AddNullToObject(swarm, "RemoteManagers");
	cJSON_AddBoolToObject(doc, "LiveRestoreEnabled", false);
	cJSON_AddStringToObject(doc, "Isolation", "");
	cJSON_AddStringToObject(doc, "InitBinary", "catatonit");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(doc, "ContainerdCommit"), "ID", "");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(doc, "RuncCommit"), "ID", "");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(doc, "InitCommit"), "ID", "");
	sec = cJSON_AddArrayToObject(doc, "SecurityOptions");
	{
		cleanup_free char *aa = first_line_of("/sys/module/apparmor/parameters/enabled");
		if (aa && aa[0] == 'Y')
			cJSON_AddItemToArray(sec, cJSON_CreateString("name=apparmor"));
	}
	cJSON_AddItemToArray(sec, cJSON_CreateString("name=seccomp,profile=builtin"));
	if (file_exists("/sys/fs/selinux/enforce"))
		cJSON_AddItemToArray(sec, cJSON_CreateString("name=selinux"));
	if (paths->rootless)
		cJSON_AddItemToArray(sec, cJSON_CreateString("name=rootless"));
	if (cgv == 2)
		cJSON_AddItemToArray(sec, cJSON_CreateString("name=cgroupns"));
	cJSON_AddItemToObject(doc, "CDISpecDirs", string_array(cdi_dirs));
	cJSON_AddNullToObject(doc, "Warnings");
	client = cJSON_AddObjectToObject(doc, "ClientInfo");
	cJSON_AddBoolToObject(client, "Debug", ctx->g.debug);
	cJSON_AddStringToObject(client, "Version", PACKAGE_VERSION);
	cJSON_AddStringToObject(client, "DefaultAPIVersion", ROBBE_API_VERSION);
	cJSON_AddStringToObject(client, "GitCommit", ROBBE_GIT_COMMIT);
	cJSON_AddStringToObject(client, "GoVersion", "n/a");
	cJSON_AddStringToObject(client, "Os", "linux");
	cJSON_AddStringToObject(client, "Arch", go_arch());
	cJSON_AddStringToObject(client, "BuildTime", built);
	cJSON_AddStringToObject(client, "Context", context_name(ctx));
	cJSON_AddArrayToObject(client, "Plugins");
	cJSON_AddNullToObject(client, "Warnings");
	*out = steal_pointer(&doc);
	return 0;
}

/* go-units BytesSize: binary units, four significant digits ("15.62GiB"). */
static char *bytes_size(double size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB" };
	size_t i = 0;
	while (size >= 1024 && i + 1 < ARRAY_SIZE(units)) {
		size /= 1024;
		i++;
	}
	return xasprintf("%.4g%s", size, units[i]);
}

static void print_list(const char *label, const cJSON *arr)
{
	const cJSON *it;
	printf("%s", label);
	cJSON_ArrayForEach(it, arr) printf(" %s", it->valuestring ? it->valuestring : "");
	printf("\n");
}

static void print_nonempty(const char *label, const char *value)
{
	if (value && *value)
		printf("%s %s\n", label, value);
}

static const char *tf(const cJSON *doc, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, key)) ? "true" : "false";
}

static int num(const cJSON *doc, const char *key)
{
	return (int) cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(doc, key));
}

static void print_info(const cJSON *doc)
{
	const cJSON *client = cJSON_GetObjectItemCaseSensitive(doc, "ClientInfo");
	const cJSON *plugins = cJSON_GetObjectItemCaseSensitive(doc, "Plugins");
	const cJSON *it, *runtimes = cJSON_GetObjectItemCaseSensitive(doc, "Runtimes");
	const cJSON *reg = cJSON_GetObjectItemCaseSensitive(doc, "RegistryConfig");
	cleanup_free char *mem = bytes_size(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(doc, "MemTotal")));

	printf("Client:\n");
	print_nonempty(" Version:   ", jstr(client, "Version"));
	printf(" Context:    %s\n", jstr(client, "Context"));
	printf(" Debug Mode: %s\n", tf(client, "Debug"));
	printf("\nServer:\n");
	printf(" Containers: %d\n", num(doc, "Containers"));
	printf("  Running: %d\n", num(doc, "ContainersRunning"));
	printf("  Paused: %d\n", num(doc, "ContainersPaused"));
	printf("  Stopped: %d\n", num(doc, "ContainersStopped"));
	printf(" Images: %d\n", num(doc, "Images"));
	print_nonempty(" Server Version:", jstr(doc, "ServerVersion"));
	print_nonempty(" Storage Driver:", jstr(doc, "Driver"));
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "DriverStatus"))
		printf("  %s: %s\n", cJSON_GetArrayItem(it, 0)->valuestring, cJSON_GetArrayItem(it, 1)->valuestring);
	print_nonempty(" Logging Driver:", jstr(doc, "LoggingDriver"));
	print_nonempty(" Cgroup Driver:", jstr(doc, "CgroupDriver"));
	print_nonempty(" Cgroup Version:", jstr(doc, "CgroupVersion"));
	printf(" Plugins:\n");
	print_list("  Volume:", cJSON_GetObjectItemCaseSensitive(plugins, "Volume"));
	print_list("  Network:", cJSON_GetObjectItemCaseSensitive(plugins, "Network"));
	print_list("  Log:", cJSON_GetObjectItemCaseSensitive(plugins, "Log"));
	printf(" CDI spec directories:\n");
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "CDISpecDirs")) printf("  %s\n", it->valuestring);
	printf(" Swarm: %s\n", jstr(cJSON_GetObjectItemCaseSensitive(doc, "Swarm"), "LocalNodeState"));
	printf(" Runtimes:");
	cJSON_ArrayForEach(it, runtimes) printf(" %s", it->string);
	printf("\n Default Runtime: %s\n", jstr(doc, "DefaultRuntime"));
	printf(" Init Binary: %s\n", jstr(doc, "InitBinary"));
	printf(" containerd version: %s\n", jstr(cJSON_GetObjectItemCaseSensitive(doc, "ContainerdCommit"), "ID"));
	printf(" runc version: %s\n", jstr(cJSON_GetObjectItemCaseSensitive(doc, "RuncCommit"), "ID"));
	printf(" init version: %s\n", jstr(cJSON_GetObjectItemCaseSensitive(doc, "InitCommit"), "ID"));
	printf(" Security Options:\n");
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "SecurityOptions")) {
		/* "name=seccomp,profile=builtin" -> "  seccomp" and "   Profile: builtin" */
		cleanup_free char *opt = xstrdup(it->valuestring);
		char *save = NULL;
		for (char *kv = strtok_r(opt, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
			if (str_has_prefix(kv, "name="))
				printf("  %s\n", kv + 5);
			else if (str_has_prefix(kv, "profile="))
				printf("   Profile: %s\n", kv + 8);
		}
	}
	print_nonempty(" Kernel Version:", jstr(doc, "KernelVersion"));
	print_nonempty(" Operating System:", jstr(doc, "OperatingSystem"));
	print_nonempty(" OSType:", jstr(doc, "OSType"));
	print_nonempty(" Architecture:", jstr(doc, "Architecture"));
	printf(" CPUs: %d\n", num(doc, "NCPU"));
	printf(" Total Memory: %s\n", mem);
	print_nonempty(" Name:", jstr(doc, "Name"));
	print_nonempty(" ID:", jstr(doc, "ID"));
	printf(" Docker Root Dir: %s\n", jstr(doc, "DockerRootDir"));
	printf(" Debug Mode: %s\n", tf(doc, "Debug"));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "Debug"))) {
		printf("  File Descriptors: %d\n", num(doc, "NFd"));
		printf("  Goroutines: %d\n", num(doc, "NGoroutines"));
		printf("  System Time: %s\n", jstr(doc, "SystemTime"));
		printf("  EventsListeners: %d\n", num(doc, "NEventsListener"));
	}
	print_nonempty(" HTTP Proxy:", jstr(doc, "HttpProxy"));
	print_nonempty(" HTTPS Proxy:", jstr(doc, "HttpsProxy"));
	print_nonempty(" No Proxy:", jstr(doc, "NoProxy"));
	printf(" Experimental: %s\n", tf(doc, "ExperimentalBuild"));
	printf(" Insecure Registries:\n");
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(reg, "InsecureRegistryCIDRs")) printf("  %s\n", it->valuestring);
	printf(" Live Restore Enabled: %s\n", tf(doc, "LiveRestoreEnabled"));
	printf("\n");
}

int cmd_system_info(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_cjson cJSON *doc = NULL;
	const char *format = opts_str(ctx->opts, "format");

	if (info_doc(ctx, &doc, err) < 0)
		return -1;
	if (format && *format)
		return print_formatted(format, doc, err) < 0 ? -1 : 0;
	print_info(doc);
	return 0;
}
