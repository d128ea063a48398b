/* cmd-swarm.c: the Swarm command groups (config, node, secret, service, stack, swarm).
 *
 * Rows and option tables only (see docs/cli.md); handlers come as the
 * engine grows.  Flag names, short letters, types and defaults follow
 * Docker CLI 28; the descriptions are robbe's own.
 */
#include "config.h"

#include "compat/cli.h"

static const struct opt_def config_create_opts[] = {
	{ .long_name = "label", .short_name = 'l', .type = OPT_LIST, .help = "Set a label" },
	{ .long_name = "template-driver", .type = OPT_STRING, .help = "Template driver" },
	{ 0 }
};

static const struct opt_def config_inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ .long_name = "pretty", .type = OPT_BOOL, .help = "Print in a human friendly layout" },
	{ 0 }
};

static const struct opt_def config_ls_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

const struct command config_cmds[] = {
	{ .name = "create",
	  .usage = "[OPTIONS] CONFIG file|-",
	  .short_help = "Create a configuration object from a file or standard input",
	  .opts = OPTS(config_create_opts),
	  .args = ARGS_EXACT,
	  .args_min = 2,
	  .complete = COMPLETE_FILE },
	{ .name = "inspect",
	  .usage = "[OPTIONS] CONFIG [CONFIG...]",
	  .short_help = "Show details of one or more configuration objects",
	  .opts = OPTS(config_inspect_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS]",
	  .short_help = "List configuration objects",
	  .opts = OPTS(config_ls_opts),
	  .args = ARGS_NONE },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "CONFIG [CONFIG...]",
	  .short_help = "Delete one or more configuration objects",
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ 0 }
};

static const struct opt_def node_inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ .long_name = "pretty", .type = OPT_BOOL, .help = "Print in a human friendly layout" },
	{ 0 }
};

static const struct opt_def node_ls_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

static const struct opt_def node_ps_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "no-resolve", .type = OPT_BOOL, .help = "Print IDs instead of names" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

static const struct opt_def node_rm_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Remove the node from the Swarm even if it is still active" },
	{ 0 }
};

static const struct opt_def node_update_opts[] = {
	{ .long_name = "availability", .type = OPT_STRING, .help = "Node availability (\"active\", \"pause\", \"drain\")", .complete = COMPLETE_WORDS, .choices = "active pause drain" },
	{ .long_name = "label-add", .type = OPT_LIST, .help = "Add or change a label" },
	{ .long_name = "label-rm", .type = OPT_LIST, .help = "Remove a label" },
	{ .long_name = "role", .type = OPT_STRING, .help = "Role of the node (\"worker\" or \"manager\")", .complete = COMPLETE_WORDS, .choices = "worker manager" },
	{ 0 }
};

const struct command node_cmds[] = {
	{ .name = "demote",
	  .usage = "NODE [NODE...]",
	  .short_help = "Turn one or more manager nodes into workers",
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "inspect",
	  .usage = "[OPTIONS] self|NODE [NODE...]",
	  .short_help = "Show low-level details of one or more nodes",
	  .opts = OPTS(node_inspect_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS]",
	  .short_help = "List the nodes of the Swarm",
	  .opts = OPTS(node_ls_opts),
	  .args = ARGS_NONE },
	{ .name = "promote",
	  .usage = "NODE [NODE...]",
	  .short_help = "Turn one or more worker nodes into managers",
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "ps",
	  .usage = "[OPTIONS] [NODE...]",
	  .short_help = "List the tasks running on nodes (the current node by default)",
	  .opts = OPTS(node_ps_opts),
	  .args = ARGS_ANY },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "[OPTIONS] NODE [NODE...]",
	  .short_help = "Take one or more nodes out of the Swarm",
	  .opts = OPTS(node_rm_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "update",
	  .usage = "[OPTIONS] NODE",
	  .short_help = "Change a node's settings",
	  .opts = OPTS(node_update_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ 0 }
};

static const struct opt_def secret_create_opts[] = {
	{ .long_name = "driver", .short_name = 'd', .type = OPT_STRING, .help = "Driver that holds the secret" },
	{ .long_name = "label", .short_name = 'l', .type = OPT_LIST, .help = "Set a label" },
	{ .long_name = "template-driver", .type = OPT_STRING, .help = "Template driver" },
	{ 0 }
};

static const struct opt_def secret_inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ .long_name = "pretty", .type = OPT_BOOL, .help = "Print in a human friendly layout" },
	{ 0 }
};

static const struct opt_def secret_ls_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

const struct command secret_cmds[] = {
	{ .name = "create",
	  .usage = "[OPTIONS] SECRET [file|-]",
	  .short_help = "Create a secret from a file or standard input",
	  .opts = OPTS(secret_create_opts),
	  .args = ARGS_RANGE,
	  .args_min = 1,
	  .args_max = 2,
	  .complete = COMPLETE_FILE },
	{ .name = "inspect",
	  .usage = "[OPTIONS] SECRET [SECRET...]",
	  .short_help = "Show details of one or more secrets",
	  .opts = OPTS(secret_inspect_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS]",
	  .short_help = "List secrets",
	  .opts = OPTS(secret_ls_opts),
	  .args = ARGS_NONE },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "SECRET [SECRET...]",
	  .short_help = "Delete one or more secrets",
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ 0 }
};

static const struct opt_def service_create_opts[] = {
	{ .long_name = "cap-add", .type = OPT_LIST, .help = "Grant extra Linux capabilities" },
	{ .long_name = "cap-drop", .type = OPT_LIST, .help = "Take away Linux capabilities" },
	{ .long_name = "config", .type = OPT_LIST, .help = "Give the service a config object", .metavar = "config" },
	{ .long_name = "constraint", .type = OPT_LIST, .help = "Placement rule tasks must satisfy" },
	{ .long_name = "container-label", .type = OPT_LIST, .help = "Set a label on the service's containers" },
	{ .long_name = "credential-spec", .type = OPT_STRING, .help = "Credential spec of a managed service account (Windows only)", .metavar = "credential-spec" },
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .help = "Return at once instead of waiting for the service to converge" },
	{ .long_name = "dns", .type = OPT_LIST, .help = "Use these DNS servers" },
	{ .long_name = "dns-option", .type = OPT_LIST, .help = "Set resolver options" },
	{ .long_name = "dns-search", .type = OPT_LIST, .help = "Use these DNS search domains" },
	{ .long_name = "endpoint-mode", .type = OPT_STRING, .def = "vip", .help = "How clients reach the service (\"vip\" or \"dnsrr\")", .complete = COMPLETE_WORDS, .choices = "vip dnsrr" },
	{ .long_name = "entrypoint", .type = OPT_STRING, .help = "Replace the image's ENTRYPOINT", .metavar = "command" },
	{ .long_name = "env", .short_name = 'e', .type = OPT_LIST, .help = "Set an environment variable" },
	{ .long_name = "env-file", .type = OPT_LIST, .help = "Read environment variables from a file", .complete = COMPLETE_FILE },
	{ .long_name = "generic-resource", .type = OPT_LIST, .help = "User-defined resource the tasks need" },
	{ .long_name = "group", .type = OPT_LIST, .help = "Extra groups for the container's user" },
	{ .long_name = "health-cmd", .type = OPT_STRING, .help = "Command that checks the container's health" },
	{ .long_name = "health-interval", .type = OPT_DURATION, .help = "Time between health checks (ms|s|m|h)" },
	{ .long_name = "health-retries", .type = OPT_INT, .help = "Failed checks in a row before the container is unhealthy" },
	{ .long_name = "health-start-interval", .type = OPT_DURATION, .help = "Time between health checks while starting (ms|s|m|h)" },
	{ .long_name = "health-start-period", .type = OPT_DURATION, .help = "Grace period before failures count (ms|s|m|h)" },
	{ .long_name = "health-timeout", .type = OPT_DURATION, .help = "Longest time one check may take (ms|s|m|h)" },
	{ .long_name = "host", .type = OPT_LIST, .help = "Add a line to /etc/hosts (host:ip)" },
	{ .long_name = "hostname", .type = OPT_STRING, .help = "Host name of the containers" },
	{ .long_name = "init", .type = OPT_BOOL, .help = "Run a small init as PID 1 that reaps zombies and forwards signals" },
	{ .long_name = "isolation", .type = OPT_STRING, .help = "Isolation technology to use", .complete = COMPLETE_WORDS, .choices = "default process hyperv" },
	{ .long_name = "label", .short_name = 'l', .type = OPT_LIST, .help = "Set a label" },
	{ .long_name = "limit-cpu", .type = OPT_DECIMAL, .help = "CPU limit" },
	{ .long_name = "limit-memory", .type = OPT_BYTES, .help = "Memory limit" },
	{ .long_name = "limit-pids", .type = OPT_INT, .help = "Process limit (0 means none)" },
	{ .long_name = "log-driver", .type = OPT_STRING, .help = "Log driver for the service", .complete = COMPLETE_WORDS, .choices = "json-file journald k8s-file local none passthrough" },
	{ .long_name = "log-opt", .type = OPT_LIST, .help = "Option for the log driver" },
	{ .long_name = "max-concurrent", .type = OPT_UINT, .help = "How many job tasks may run at once (replicas by default)" },
	{ .long_name = "mode", .type = OPT_STRING, .def = "replicated", .help = "Service mode (\"replicated\", \"global\", \"replicated-job\", \"global-job\")", .complete = COMPLETE_WORDS, .choices = "replicated global replicated-job global-job" },
	{ .long_name = "mount", .type = OPT_LIST, .help = "Mount a filesystem into the container", .metavar = "mount" },
	{ .long_name = "name", .type = OPT_STRING, .help = "Name of the service" },
	{ .long_name = "network", .type = OPT_LIST, .help = "Network to attach the service to", .metavar = "network" },
	{ .long_name = "no-healthcheck", .type = OPT_BOOL, .help = "Turn off the image's health check" },
	{ .long_name = "no-resolve-image", .type = OPT_BOOL, .help = "Do not look up the image digest and platforms in the registry" },
	{ .long_name = "oom-score-adj", .type = OPT_INT, .help = "Adjust the OOM killer score (-1000 to 1000)" },
	{ .long_name = "placement-pref", .type = OPT_LIST, .help = "Placement preference", .metavar = "pref" },
	{ .long_name = "publish", .short_name = 'p', .type = OPT_LIST, .help = "Publish a port of the service", .metavar = "port" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ .long_name = "read-only", .type = OPT_BOOL, .help = "Mount the root filesystem read-only" },
	{ .long_name = "replicas", .type = OPT_UINT, .help = "Number of tasks" },
	{ .long_name = "replicas-max-per-node", .type = OPT_UINT, .help = "Most tasks of the service on one node (0 means no limit)" },
	{ .long_name = "reserve-cpu", .type = OPT_DECIMAL, .help = "CPUs to reserve" },
	{ .long_name = "reserve-memory", .type = OPT_BYTES, .help = "Memory to reserve" },
	{ .long_name = "restart-condition", .type = OPT_STRING, .def = "any", .help = "When to restart (\"none\", \"on-failure\", \"any\")", .complete = COMPLETE_WORDS, .choices = "none on-failure any" },
	{ .long_name = "restart-delay", .type = OPT_DURATION, .def = "5s", .help = "Time between restarts (ns|us|ms|s|m|h)" },
	{ .long_name = "restart-max-attempts", .type = OPT_UINT, .help = "How many times to restart before giving up" },
	{ .long_name = "restart-window", .type = OPT_DURATION, .help = "Window over which restarts are counted (ns|us|ms|s|m|h)" },
	{ .long_name = "rollback-delay", .type = OPT_DURATION, .def = "0s", .help = "Time between rolling back batches of tasks (ns|us|ms|s|m|h)" },
	{ .long_name = "rollback-failure-action", .type = OPT_STRING, .def = "pause", .help = "What to do when a rollback fails (\"pause\", \"continue\")", .complete = COMPLETE_WORDS, .choices = "pause continue" },
	{ .long_name = "rollback-max-failure-ratio", .type = OPT_FLOAT, .def = "0", .help = "Share of failed tasks a rollback tolerates" },
	{ .long_name = "rollback-monitor", .type = OPT_DURATION, .def = "5s", .help = "How long to watch each rolled-back task for failure (ns|us|ms|s|m|h)" },
	{ .long_name = "rollback-order", .type = OPT_STRING, .def = "stop-first", .help = "Order of a rollback (\"start-first\", \"stop-first\")", .complete = COMPLETE_WORDS, .choices = "start-first stop-first" },
	{ .long_name = "rollback-parallelism", .type = OPT_UINT, .def = "1", .help = "Tasks rolled back at once (0 for all)" },
	{ .long_name = "secret", .type = OPT_LIST, .help = "Give the service a secret", .metavar = "secret" },
	{ .long_name = "stop-grace-period", .type = OPT_DURATION, .def = "10s", .help = "Time to wait before killing a container (ns|us|ms|s|m|h)" },
	{ .long_name = "stop-signal", .type = OPT_STRING, .help = "Signal that stops the container", .complete = COMPLETE_SIGNAL },
	{ .long_name = "sysctl", .type = OPT_LIST, .help = "Set a namespaced kernel parameter" },
	{ .long_name = "tty", .short_name = 't', .type = OPT_BOOL, .help = "Give the process a terminal" },
	{ .long_name = "ulimit", .type = OPT_LIST, .def = "[]", .help = "Resource limit (name=soft[:hard])", .metavar = "ulimit" },
	{ .long_name = "update-delay", .type = OPT_DURATION, .def = "0s", .help = "Time between updating batches of tasks (ns|us|ms|s|m|h)" },
	{ .long_name = "update-failure-action", .type = OPT_STRING, .def = "pause", .help = "What to do when an update fails (\"pause\", \"continue\", \"rollback\")", .complete = COMPLETE_WORDS, .choices = "pause continue rollback" },
	{ .long_name = "update-max-failure-ratio", .type = OPT_FLOAT, .def = "0", .help = "Share of failed tasks an update tolerates" },
	{ .long_name = "update-monitor", .type = OPT_DURATION, .def = "5s", .help = "How long to watch each updated task for failure (ns|us|ms|s|m|h)" },
	{ .long_name = "update-order", .type = OPT_STRING, .def = "stop-first", .help = "Order of an update (\"start-first\", \"stop-first\")", .complete = COMPLETE_WORDS, .choices = "start-first stop-first" },
	{ .long_name = "update-parallelism", .type = OPT_UINT, .def = "1", .help = "Tasks updated at once (0 for all)" },
	{ .long_name = "user", .short_name = 'u', .type = OPT_STRING, .help = "User to run as (<name|uid>[:<group|gid>])" },
	{ .long_name = "with-registry-auth", .type = OPT_BOOL, .help = "Send registry credentials to the agents" },
	{ .long_name = "workdir", .short_name = 'w', .type = OPT_STRING, .help = "Working directory inside the container" },
	{ 0 }
};

static const struct opt_def service_inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ .long_name = "pretty", .type = OPT_BOOL, .help = "Print in a human friendly layout" },
	{ 0 }
};

static const struct opt_def service_logs_opts[] = {
	{ .long_name = "details", .type = OPT_BOOL, .help = "Include the extra attributes given to the log driver" },
	{ .long_name = "follow", .short_name = 'f', .type = OPT_BOOL, .help = "Keep printing new output as it comes" },
	{ .long_name = "no-resolve", .type = OPT_BOOL, .help = "Print IDs instead of names" },
	{ .long_name = "no-task-ids", .type = OPT_BOOL, .help = "Leave task IDs out of the output" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ .long_name = "raw", .type = OPT_BOOL, .help = "Print the logs unformatted" },
	{ .long_name = "since", .type = OPT_STRING, .help = "Start from this time (e.g. \"2013-01-02T13:23:37Z\") or this long ago (e.g. \"42m\")" },
	{ .long_name = "tail", .short_name = 'n', .type = OPT_STRING, .def = "all", .help = "How many lines to show from the end" },
	{ .long_name = "timestamps", .short_name = 't', .type = OPT_BOOL, .help = "Print a timestamp before each line" },
	{ 0 }
};

static const struct opt_def service_ls_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

static const struct opt_def service_ps_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "no-resolve", .type = OPT_BOOL, .help = "Print IDs instead of names" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

static const struct opt_def service_rollback_opts[] = {
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .help = "Return at once instead of waiting for the service to converge" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

static const struct opt_def service_scale_opts[] = {
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .help = "Return at once instead of waiting for the service to converge" },
	{ 0 }
};

static const struct opt_def service_update_opts[] = {
	{ .long_name = "args", .type = OPT_STRING, .help = "Arguments for the service's command", .metavar = "command" },
	{ .long_name = "cap-add", .type = OPT_LIST, .help = "Grant extra Linux capabilities" },
	{ .long_name = "cap-drop", .type = OPT_LIST, .help = "Take away Linux capabilities" },
	{ .long_name = "config-add", .type = OPT_LIST, .help = "Give the service another config object", .metavar = "config" },
	{ .long_name = "config-rm", .type = OPT_LIST, .help = "Take a config object away from the service" },
	{ .long_name = "constraint-add", .type = OPT_LIST, .help = "Add a placement rule" },
	{ .long_name = "constraint-rm", .type = OPT_LIST, .help = "Remove a placement rule" },
	{ .long_name = "container-label-add", .type = OPT_LIST, .help = "Add or change a label of the service's containers" },
	{ .long_name = "container-label-rm", .type = OPT_LIST, .help = "Remove a label from the service's containers" },
	{ .long_name = "credential-spec", .type = OPT_STRING, .help = "Credential spec of a managed service account (Windows only)", .metavar = "credential-spec" },
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .help = "Return at once instead of waiting for the service to converge" },
	{ .long_name = "dns-add", .type = OPT_LIST, .help = "Add DNS servers" },
	{ .long_name = "dns-option-add", .type = OPT_LIST, .help = "Add resolver options" },
	{ .long_name = "dns-option-rm", .type = OPT_LIST, .help = "Remove resolver options" },
	{ .long_name = "dns-rm", .type = OPT_LIST, .help = "Remove DNS servers" },
	{ .long_name = "dns-search-add", .type = OPT_LIST, .help = "Add DNS search domains" },
	{ .long_name = "dns-search-rm", .type = OPT_LIST, .help = "Remove DNS search domains" },
	{ .long_name = "endpoint-mode", .type = OPT_STRING, .help = "How clients reach the service (\"vip\" or \"dnsrr\")", .complete = COMPLETE_WORDS, .choices = "vip dnsrr" },
	{ .long_name = "entrypoint", .type = OPT_STRING, .help = "Replace the image's ENTRYPOINT", .metavar = "command" },
	{ .long_name = "env-add", .type = OPT_LIST, .help = "Add or change an environment variable" },
	{ .long_name = "env-rm", .type = OPT_LIST, .help = "Remove an environment variable" },
	{ .long_name = "force", .type = OPT_BOOL, .help = "Restart the tasks even if nothing changed" },
	{ .long_name = "generic-resource-add", .type = OPT_LIST, .help = "Add a user-defined resource" },
	{ .long_name = "generic-resource-rm", .type = OPT_LIST, .help = "Remove a user-defined resource" },
	{ .long_name = "group-add", .type = OPT_LIST, .help = "Add a supplementary group" },
	{ .long_name = "group-rm", .type = OPT_LIST, .help = "Remove a supplementary group" },
	{ .long_name = "health-cmd", .type = OPT_STRING, .help = "Command that checks the container's health" },
	{ .long_name = "health-interval", .type = OPT_DURATION, .help = "Time between health checks (ms|s|m|h)" },
	{ .long_name = "health-retries", .type = OPT_INT, .help = "Failed checks in a row before the container is unhealthy" },
	{ .long_name = "health-start-interval", .type = OPT_DURATION, .help = "Time between health checks while starting (ms|s|m|h)" },
	{ .long_name = "health-start-period", .type = OPT_DURATION, .help = "Grace period before failures count (ms|s|m|h)" },
	{ .long_name = "health-timeout", .type = OPT_DURATION, .help = "Longest time one check may take (ms|s|m|h)" },
	{ .long_name = "host-add", .type = OPT_LIST, .help = "Add a line to /etc/hosts (host:ip)" },
	{ .long_name = "host-rm", .type = OPT_LIST, .help = "Remove a line from /etc/hosts" },
	{ .long_name = "hostname", .type = OPT_STRING, .help = "Host name of the containers" },
	{ .long_name = "image", .type = OPT_STRING, .help = "Image reference for the service" },
	{ .long_name = "init", .type = OPT_BOOL, .help = "Run a small init as PID 1 that reaps zombies and forwards signals" },
	{ .long_name = "isolation", .type = OPT_STRING, .help = "Isolation technology to use", .complete = COMPLETE_WORDS, .choices = "default process hyperv" },
	{ .long_name = "label-add", .type = OPT_LIST, .help = "Add or change a label" },
	{ .long_name = "label-rm", .type = OPT_LIST, .help = "Remove a label" },
	{ .long_name = "limit-cpu", .type = OPT_DECIMAL, .help = "CPU limit" },
	{ .long_name = "limit-memory", .type = OPT_BYTES, .help = "Memory limit" },
	{ .long_name = "limit-pids", .type = OPT_INT, .help = "Process limit (0 means none)" },
	{ .long_name = "log-driver", .type = OPT_STRING, .help = "Log driver for the service", .complete = COMPLETE_WORDS, .choices = "json-file journald k8s-file local none passthrough" },
	{ .long_name = "log-opt", .type = OPT_LIST, .help = "Option for the log driver" },
	{ .long_name = "max-concurrent", .type = OPT_UINT, .help = "How many job tasks may run at once (replicas by default)" },
	{ .long_name = "mount-add", .type = OPT_LIST, .help = "Add or change a mount", .metavar = "mount" },
	{ .long_name = "mount-rm", .type = OPT_LIST, .help = "Remove the mount at this target path" },
	{ .long_name = "network-add", .type = OPT_LIST, .help = "Attach the service to another network", .metavar = "network" },
	{ .long_name = "network-rm", .type = OPT_LIST, .help = "Detach the service from a network" },
	{ .long_name = "no-healthcheck", .type = OPT_BOOL, .help = "Turn off the image's health check" },
	{ .long_name = "no-resolve-image", .type = OPT_BOOL, .help = "Do not look up the image digest and platforms in the registry" },
	{ .long_name = "oom-score-adj", .type = OPT_INT, .help = "Adjust the OOM killer score (-1000 to 1000)" },
	{ .long_name = "placement-pref-add", .type = OPT_LIST, .help = "Add a placement preference", .metavar = "pref" },
	{ .long_name = "placement-pref-rm", .type = OPT_LIST, .help = "Remove a placement preference", .metavar = "pref" },
	{ .long_name = "publish-add", .type = OPT_LIST, .help = "Publish another port", .metavar = "port" },
	{ .long_name = "publish-rm", .type = OPT_LIST, .help = "Stop publishing a port", .metavar = "port" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ .long_name = "read-only", .type = OPT_BOOL, .help = "Mount the root filesystem read-only" },
	{ .long_name = "replicas", .type = OPT_UINT, .help = "Number of tasks" },
	{ .long_name = "replicas-max-per-node", .type = OPT_UINT, .help = "Most tasks of the service on one node (0 means no limit)" },
	{ .long_name = "reserve-cpu", .type = OPT_DECIMAL, .help = "CPUs to reserve" },
	{ .long_name = "reserve-memory", .type = OPT_BYTES, .help = "Memory to reserve" },
	{ .long_name = "restart-condition", .type = OPT_STRING, .help = "When to restart (\"none\", \"on-failure\", \"any\")", .complete = COMPLETE_WORDS, .choices = "none on-failure any" },
	{ .long_name = "restart-delay", .type = OPT_DURATION, .help = "Time between restarts (ns|us|ms|s|m|h)" },
	{ .long_name = "restart-max-attempts", .type = OPT_UINT, .help = "How many times to restart before giving up" },
	{ .long_name = "restart-window", .type = OPT_DURATION, .help = "Window over which restarts are counted (ns|us|ms|s|m|h)" },
	{ .long_name = "rollback", .type = OPT_BOOL, .help = "Go back to the previous settings" },
	{ .long_name = "rollback-delay", .type = OPT_DURATION, .help = "Time between rolling back batches of tasks (ns|us|ms|s|m|h)" },
	{ .long_name = "rollback-failure-action", .type = OPT_STRING, .help = "What to do when a rollback fails (\"pause\", \"continue\")", .complete = COMPLETE_WORDS, .choices = "pause continue" },
	{ .long_name = "rollback-max-failure-ratio", .type = OPT_FLOAT, .help = "Share of failed tasks a rollback tolerates" },
	{ .long_name = "rollback-monitor", .type = OPT_DURATION, .help = "How long to watch each rolled-back task for failure (ns|us|ms|s|m|h)" },
	{ .long_name = "rollback-order", .type = OPT_STRING, .help = "Order of a rollback (\"start-first\", \"stop-first\")", .complete = COMPLETE_WORDS, .choices = "start-first stop-first" },
	{ .long_name = "rollback-parallelism", .type = OPT_UINT, .help = "Tasks rolled back at once (0 for all)" },
	{ .long_name = "secret-add", .type = OPT_LIST, .help = "Give the service another secret", .metavar = "secret" },
	{ .long_name = "secret-rm", .type = OPT_LIST, .help = "Take a secret away from the service" },
	{ .long_name = "stop-grace-period", .type = OPT_DURATION, .help = "Time to wait before killing a container (ns|us|ms|s|m|h)" },
	{ .long_name = "stop-signal", .type = OPT_STRING, .help = "Signal that stops the container", .complete = COMPLETE_SIGNAL },
	{ .long_name = "sysctl-add", .type = OPT_LIST, .help = "Add or change a kernel parameter" },
	{ .long_name = "sysctl-rm", .type = OPT_LIST, .help = "Remove a kernel parameter" },
	{ .long_name = "tty", .short_name = 't', .type = OPT_BOOL, .help = "Give the process a terminal" },
	{ .long_name = "ulimit-add", .type = OPT_LIST, .def = "[]", .help = "Add or change a resource limit", .metavar = "ulimit" },
	{ .long_name = "ulimit-rm", .type = OPT_LIST, .help = "Remove a resource limit" },
	{ .long_name = "update-delay", .type = OPT_DURATION, .help = "Time between updating batches of tasks (ns|us|ms|s|m|h)" },
	{ .long_name = "update-failure-action", .type = OPT_STRING, .help = "What to do when an update fails (\"pause\", \"continue\", \"rollback\")", .complete = COMPLETE_WORDS, .choices = "pause continue rollback" },
	{ .long_name = "update-max-failure-ratio", .type = OPT_FLOAT, .help = "Share of failed tasks an update tolerates" },
	{ .long_name = "update-monitor", .type = OPT_DURATION, .help = "How long to watch each updated task for failure (ns|us|ms|s|m|h)" },
	{ .long_name = "update-order", .type = OPT_STRING, .help = "Order of an update (\"start-first\", \"stop-first\")", .complete = COMPLETE_WORDS, .choices = "start-first stop-first" },
	{ .long_name = "update-parallelism", .type = OPT_UINT, .help = "Tasks updated at once (0 for all)" },
	{ .long_name = "user", .short_name = 'u', .type = OPT_STRING, .help = "User to run as (<name|uid>[:<group|gid>])" },
	{ .long_name = "with-registry-auth", .type = OPT_BOOL, .help = "Send registry credentials to the agents" },
	{ .long_name = "workdir", .short_name = 'w', .type = OPT_STRING, .help = "Working directory inside the container" },
	{ 0 }
};

const struct command service_cmds[] = {
	{ .name = "create",
	  .usage = "[OPTIONS] IMAGE [COMMAND] [ARG...]",
	  .short_help = "Create a service",
	  .opts = OPTS(service_create_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE,
	  .flags = CMD_STOP_AT_POSITIONAL },
	{ .name = "inspect",
	  .usage = "[OPTIONS] SERVICE [SERVICE...]",
	  .short_help = "Show details of one or more services",
	  .opts = OPTS(service_inspect_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "logs",
	  .usage = "[OPTIONS] SERVICE|TASK",
	  .short_help = "Show the logs of a service or task",
	  .opts = OPTS(service_logs_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS]",
	  .short_help = "List services",
	  .opts = OPTS(service_ls_opts),
	  .args = ARGS_NONE },
	{ .name = "ps",
	  .usage = "[OPTIONS] SERVICE [SERVICE...]",
	  .short_help = "List the tasks of one or more services",
	  .opts = OPTS(service_ps_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "SERVICE [SERVICE...]",
	  .short_help = "Delete one or more services",
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "rollback",
	  .usage = "[OPTIONS] SERVICE",
	  .short_help = "Put a service back to its previous settings",
	  .opts = OPTS(service_rollback_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "scale",
	  .usage = "SERVICE=REPLICAS [SERVICE=REPLICAS...]",
	  .short_help = "Set the number of replicas of one or more services",
	  .opts = OPTS(service_scale_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "update",
	  .usage = "[OPTIONS] SERVICE",
	  .short_help = "Change a service",
	  .opts = OPTS(service_update_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ 0 }
};

static const struct opt_def stack_config_opts[] = {
	{ .long_name = "compose-file", .short_name = 'c', .type = OPT_STRINGS, .help = "Compose file to read (\"-\" for standard input)", .complete = COMPLETE_FILE },
	{ .long_name = "orchestrator", .type = OPT_STRING, .help = "", .deprecated = "option will be ignored" },
	{ .long_name = "skip-interpolation", .type = OPT_BOOL, .help = "Leave variables in the compose file as they are" },
	{ 0 }
};

static const struct opt_def stack_deploy_opts[] = {
	{ .long_name = "compose-file", .short_name = 'c', .type = OPT_STRINGS, .help = "Compose file to read (\"-\" for standard input)", .complete = COMPLETE_FILE },
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .def = "true", .help = "Return at once instead of waiting for the stack to converge" },
	{ .long_name = "orchestrator", .type = OPT_STRING, .help = "", .deprecated = "option will be ignored" },
	{ .long_name = "prune", .type = OPT_BOOL, .help = "Delete services no longer in the compose file" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ .long_name = "resolve-image", .type = OPT_STRING, .def = "always", .help = "Look images up in the registry (\"always\", \"changed\", \"never\")", .complete = COMPLETE_WORDS, .choices = "always changed never" },
	{ .long_name = "with-registry-auth", .type = OPT_BOOL, .help = "Send registry credentials to the agents" },
	{ 0 }
};

static const struct opt_def stack_ls_opts[] = {
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "orchestrator", .type = OPT_STRING, .help = "", .deprecated = "option will be ignored" },
	{ 0 }
};

static const struct opt_def stack_ps_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "no-resolve", .type = OPT_BOOL, .help = "Print IDs instead of names" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ .long_name = "orchestrator", .type = OPT_STRING, .help = "", .deprecated = "option will be ignored" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

static const struct opt_def stack_rm_opts[] = {
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .def = "true", .help = "Return at once instead of waiting for the stack to go away" },
	{ .long_name = "orchestrator", .type = OPT_STRING, .help = "", .deprecated = "option will be ignored" },
	{ 0 }
};

static const struct opt_def stack_services_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "orchestrator", .type = OPT_STRING, .help = "", .deprecated = "option will be ignored" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only service IDs" },
	{ 0 }
};

const struct command stack_cmds[] = {
	{ .name = "config",
	  .usage = "[OPTIONS]",
	  .short_help = "Print the merged and interpolated compose configuration",
	  .opts = OPTS(stack_config_opts),
	  .args = ARGS_NONE },
	{ .name = "deploy",
	  .aliases = (const char *const[]){ "up", NULL },
	  .usage = "[OPTIONS] STACK",
	  .short_help = "Create or update a stack",
	  .opts = OPTS(stack_deploy_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS]",
	  .short_help = "List stacks",
	  .opts = OPTS(stack_ls_opts),
	  .args = ARGS_NONE },
	{ .name = "ps",
	  .usage = "[OPTIONS] STACK",
	  .short_help = "List the tasks of a stack",
	  .opts = OPTS(stack_ps_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", "down", NULL },
	  .usage = "[OPTIONS] STACK [STACK...]",
	  .short_help = "Delete one or more stacks",
	  .opts = OPTS(stack_rm_opts),
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ .name = "services",
	  .usage = "[OPTIONS] STACK",
	  .short_help = "List the services of a stack",
	  .opts = OPTS(stack_services_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ 0 }
};

static const struct opt_def swarm_ca_opts[] = {
	{ .long_name = "ca-cert", .type = OPT_STRING, .help = "PEM file with the new root CA certificate", .metavar = "pem-file", .complete = COMPLETE_FILE },
	{ .long_name = "ca-key", .type = OPT_STRING, .help = "PEM file with the new root CA key", .metavar = "pem-file", .complete = COMPLETE_FILE },
	{ .long_name = "cert-expiry", .type = OPT_DURATION, .def = "2160h0m0s", .help = "How long node certificates stay valid (ns|us|ms|s|m|h)" },
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .help = "Return at once instead of waiting for the rotation to finish" },
	{ .long_name = "external-ca", .type = OPT_LIST, .help = "External CA that issues node certificates", .metavar = "external-ca" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ .long_name = "rotate", .type = OPT_BOOL, .help = "Make a new one and retire the old one" },
	{ 0 }
};

static const struct opt_def swarm_init_opts[] = {
	{ .long_name = "advertise-addr", .type = OPT_STRING, .help = "Address other nodes should use to reach this one (addr[:port])" },
	{ .long_name = "autolock", .type = OPT_BOOL, .help = "Lock managers at restart until unlocked with a key" },
	{ .long_name = "availability", .type = OPT_STRING, .def = "active", .help = "Node availability (\"active\", \"pause\", \"drain\")", .complete = COMPLETE_WORDS, .choices = "active pause drain" },
	{ .long_name = "cert-expiry", .type = OPT_DURATION, .def = "2160h0m0s", .help = "How long node certificates stay valid (ns|us|ms|s|m|h)" },
	{ .long_name = "data-path-addr", .type = OPT_STRING, .help = "Address or interface for data traffic (e.g. eth0)" },
	{ .long_name = "data-path-port", .type = OPT_UINT, .help = "Port for data traffic between nodes", .metavar = "uint32" },
	{ .long_name = "default-addr-pool", .type = OPT_LIST, .def = "[]", .help = "Address pools in CIDR form for overlay networks", .metavar = "ipNetSlice" },
	{ .long_name = "default-addr-pool-mask-length", .type = OPT_UINT, .def = "24", .help = "Prefix length of subnets cut from the address pools", .metavar = "uint32" },
	{ .long_name = "dispatcher-heartbeat", .type = OPT_DURATION, .def = "5s", .help = "How often the dispatcher expects a heartbeat (ns|us|ms|s|m|h)" },
	{ .long_name = "external-ca", .type = OPT_LIST, .help = "External CA that issues node certificates", .metavar = "external-ca" },
	{ .long_name = "force-new-cluster", .type = OPT_BOOL, .help = "Start a new cluster from this node's state" },
	{ .long_name = "listen-addr", .type = OPT_STRING, .def = "0.0.0.0:2377", .help = "Address to listen on (addr:port)", .metavar = "node-addr" },
	{ .long_name = "max-snapshots", .type = OPT_UINT, .help = "How many older Raft snapshots to keep" },
	{ .long_name = "snapshot-interval", .type = OPT_UINT, .def = "10000", .help = "Raft log entries between snapshots" },
	{ .long_name = "task-history-limit", .type = OPT_INT, .def = "5", .help = "How many old tasks to keep" },
	{ 0 }
};

static const struct opt_def swarm_join_opts[] = {
	{ .long_name = "advertise-addr", .type = OPT_STRING, .help = "Address other nodes should use to reach this one (addr[:port])" },
	{ .long_name = "availability", .type = OPT_STRING, .def = "active", .help = "Node availability (\"active\", \"pause\", \"drain\")", .complete = COMPLETE_WORDS, .choices = "active pause drain" },
	{ .long_name = "data-path-addr", .type = OPT_STRING, .help = "Address or interface for data traffic (e.g. eth0)" },
	{ .long_name = "listen-addr", .type = OPT_STRING, .def = "0.0.0.0:2377", .help = "Address to listen on (addr:port)", .metavar = "node-addr" },
	{ .long_name = "token", .type = OPT_STRING, .help = "Token that lets the node join" },
	{ 0 }
};

static const struct opt_def swarm_join_token_opts[] = {
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ .long_name = "rotate", .type = OPT_BOOL, .help = "Make a new one and retire the old one" },
	{ 0 }
};

static const struct opt_def swarm_leave_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Leave even as a manager, losing the quorum if needed" },
	{ 0 }
};

static const struct opt_def swarm_unlock_key_opts[] = {
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ .long_name = "rotate", .type = OPT_BOOL, .help = "Make a new one and retire the old one" },
	{ 0 }
};

static const struct opt_def swarm_update_opts[] = {
	{ .long_name = "autolock", .type = OPT_BOOL, .help = "Lock managers at restart until unlocked with a key" },
	{ .long_name = "cert-expiry", .type = OPT_DURATION, .def = "2160h0m0s", .help = "How long node certificates stay valid (ns|us|ms|s|m|h)" },
	{ .long_name = "dispatcher-heartbeat", .type = OPT_DURATION, .def = "5s", .help = "How often the dispatcher expects a heartbeat (ns|us|ms|s|m|h)" },
	{ .long_name = "external-ca", .type = OPT_LIST, .help = "External CA that issues node certificates", .metavar = "external-ca" },
	{ .long_name = "max-snapshots", .type = OPT_UINT, .help = "How many older Raft snapshots to keep" },
	{ .long_name = "snapshot-interval", .type = OPT_UINT, .def = "10000", .help = "Raft log entries between snapshots" },
	{ .long_name = "task-history-limit", .type = OPT_INT, .def = "5", .help = "How many old tasks to keep" },
	{ 0 }
};

const struct command swarm_cmds[] = {
	{ .name = "ca",
	  .usage = "[OPTIONS]",
	  .short_help = "Show or rotate the root CA of the Swarm",
	  .opts = OPTS(swarm_ca_opts),
	  .args = ARGS_NONE },
	{ .name = "init",
	  .usage = "[OPTIONS]",
	  .short_help = "Start a new Swarm",
	  .opts = OPTS(swarm_init_opts),
	  .args = ARGS_NONE },
	{ .name = "join",
	  .usage = "[OPTIONS] HOST:PORT",
	  .short_help = "Join a Swarm as a node",
	  .opts = OPTS(swarm_join_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "join-token",
	  .usage = "[OPTIONS] (worker|manager)",
	  .short_help = "Show or rotate the tokens for joining the Swarm",
	  .opts = OPTS(swarm_join_token_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "leave",
	  .usage = "[OPTIONS]",
	  .short_help = "Take this node out of the Swarm",
	  .opts = OPTS(swarm_leave_opts),
	  .args = ARGS_NONE },
	{ .name = "unlock",
	  .usage = "",
	  .short_help = "Unlock a locked manager",
	  .args = ARGS_NONE },
	{ .name = "unlock-key",
	  .usage = "[OPTIONS]",
	  .short_help = "Show or rotate the key that unlocks a manager",
	  .opts = OPTS(swarm_unlock_key_opts),
	  .args = ARGS_NONE },
	{ .name = "update",
	  .usage = "[OPTIONS]",
	  .short_help = "Change the Swarm's settings",
	  .opts = OPTS(swarm_update_opts),
	  .args = ARGS_NONE },
	{ 0 }
};
