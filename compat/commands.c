/* commands.c: the top of the command tree and the global options.
 *
 * The rows are data (see docs/cli.md): the order here is the order of
 * `robbe --help` (Common Commands in this order; the other sections are
 * alphabetical).  Groups live in the cmd-*.c files.
 */
#include "config.h"

#include "compat/cli.h"
#include "compat/cmd-image-cmds.h"
#include "compat/cmd-unshare.h"

const struct opt_def cli_global_opts[] = {
	{ .long_name = "config", .type = OPT_STRING, .complete = COMPLETE_DIR,
	  .help = "Directory of the client configuration (default: $DOCKER_CONFIG, else ~/.docker)" },
	{ .long_name = "context", .short_name = 'c', .type = OPT_STRING, .complete = COMPLETE_CONTEXT,
	  .help = "Context to use; robbe has only \"default\"" },
	{ .long_name = "debug", .short_name = 'D', .type = OPT_BOOL, .help = "Print debug messages" },
	{ .long_name = "host", .short_name = 'H', .type = OPT_LIST,
	  .help = "Engine socket to connect to (accepted and ignored: robbe has no daemon)" },
	{ .long_name = "log-level", .short_name = 'l', .type = OPT_STRING, .def = "info",
	  .complete = COMPLETE_WORDS, .choices = "debug info warn error fatal",
	  .help = "How much to log (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")" },
	{ .long_name = "root", .type = OPT_STRING, .complete = COMPLETE_DIR,
	  .help = "Directory for persistent state (default: /var/lib/robbe, or ~/.local/share/robbe without root)" },
	{ .long_name = "runroot", .type = OPT_STRING, .complete = COMPLETE_DIR,
	  .help = "Directory for runtime state (default: /run/robbe, or $XDG_RUNTIME_DIR/robbe without root)" },
	/* Docker's TLS options mean nothing without a daemon; scripts still pass them. */
	{ .long_name = "tls", .type = OPT_BOOL, .flags = OPT_HIDDEN, .help = "Use TLS" },
	{ .long_name = "tlscacert", .type = OPT_STRING, .flags = OPT_HIDDEN, .help = "CA certificate" },
	{ .long_name = "tlscert", .type = OPT_STRING, .flags = OPT_HIDDEN, .help = "TLS certificate" },
	{ .long_name = "tlskey", .type = OPT_STRING, .flags = OPT_HIDDEN, .help = "TLS key" },
	{ .long_name = "tlsverify", .type = OPT_BOOL, .flags = OPT_HIDDEN, .help = "Use TLS and verify the peer" },
	{ .long_name = "version", .short_name = 'v', .type = OPT_BOOL, .help = "Print the version and exit" },
	{ 0 }
};

/* Podman's pod commands will live here. */
static const struct command pod_cmds[] = {
	{ 0 }
};

/* `docker stack` accepts its deprecated --orchestrator before the subcommand too. */
static const struct opt_def stack_group_opts[] = {
	{ .long_name = "orchestrator", .type = OPT_STRING, .deprecated = "option will be ignored" },
	{ 0 }
};

static const struct opt_def unshare_opts[] = {
	{ .long_name = "rootless-netns", .type = OPT_BOOL,
	  .help = "Join the network namespace of rootless containers too" },
	{ 0 }
};

static const struct opt_def login_opts[] = {
	{ .long_name = "password", .short_name = 'p', .type = OPT_STRING, .help = "Password or token" },
	{ .long_name = "password-stdin", .type = OPT_BOOL, .help = "Read the password from standard input" },
	{ .long_name = "username", .short_name = 'u', .type = OPT_STRING, .help = "User name" },
	{ 0 }
};

static const struct opt_def search_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "limit", .type = OPT_INT, .help = "Show at most this many results" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ 0 }
};

static const struct opt_def version_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ 0 }
};

static const struct opt_def inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ .long_name = "size", .short_name = 's', .type = OPT_BOOL, .help = "Include sizes" },
	{ .long_name = "type", .type = OPT_STRING, .help = "Only look at objects of this type", .complete = COMPLETE_WORDS, .choices = "container image network volume plugin node service task config secret" },
	{ 0 }
};

static const struct command root_cmds[] = {
	{ .name = "run", .canonical = "container run", .flags = CMD_COMMON },
	{ .name = "exec", .canonical = "container exec", .flags = CMD_COMMON },
	{ .name = "ps", .canonical = "container ls", .flags = CMD_COMMON },
	{ .name = "build", .canonical = "image build", .flags = CMD_COMMON },
	{ .name = "pull", .canonical = "image pull", .flags = CMD_COMMON },
	{ .name = "push", .canonical = "image push", .flags = CMD_COMMON },
	{ .name = "images", .canonical = "image ls", .flags = CMD_COMMON },
	{ .name = "login",
	  .usage = "[OPTIONS] [SERVER]",
	  .short_help = "Store credentials for a registry",
	  .handler = cmd_login,
	  .opts = OPTS(login_opts),
	  .args = ARGS_MAX,
	  .args_max = 1,
	  .flags = CMD_COMMON },
	{ .name = "logout",
	  .usage = "[SERVER]",
	  .short_help = "Forget the credentials for a registry",
	  .handler = cmd_logout,
	  .args = ARGS_MAX,
	  .args_max = 1,
	  .flags = CMD_COMMON },
	{ .name = "search",
	  .usage = "[OPTIONS] TERM",
	  .short_help = "Look for images on Docker Hub",
	  .opts = OPTS(search_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .flags = CMD_COMMON },
	{ .name = "version",
	  .usage = "[OPTIONS]",
	  .short_help = "Show version information",
	  .opts = OPTS(version_opts),
	  .handler = cmd_version,
	  .args = ARGS_NONE,
	  .flags = CMD_COMMON },
	{ .name = "info", .canonical = "system info", .flags = CMD_COMMON },
	{ .name = "builder",
	  .short_help = "Manage image builds",
	  .subcommands = builder_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "checkpoint",
	  .short_help = "Manage container checkpoints",
	  .subcommands = checkpoint_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "container",
	  .short_help = "Manage containers",
	  .subcommands = container_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "context",
	  .short_help = "Manage connection contexts",
	  .subcommands = context_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "image",
	  .short_help = "Manage images",
	  .subcommands = image_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "manifest",
	  .short_help = "Manage image manifests and manifest lists",
	  .subcommands = manifest_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "network",
	  .short_help = "Manage networks",
	  .subcommands = network_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "plugin",
	  .short_help = "Manage engine plugins",
	  .subcommands = plugin_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "pod",
	  .short_help = "Manage pods",
	  .subcommands = pod_cmds,
	  .flags = CMD_MANAGEMENT | CMD_PODMAN },
	{ .name = "system",
	  .short_help = "Manage the engine",
	  .subcommands = system_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "trust",
	  .short_help = "Manage image signatures",
	  .subcommands = trust_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "volume",
	  .short_help = "Manage volumes",
	  .subcommands = volume_cmds,
	  .flags = CMD_MANAGEMENT },
	{ .name = "config",
	  .short_help = "Manage Swarm configuration objects",
	  .subcommands = config_cmds,
	  .flags = CMD_SWARM },
	{ .name = "node",
	  .short_help = "Manage the nodes of a Swarm",
	  .subcommands = node_cmds,
	  .flags = CMD_SWARM },
	{ .name = "secret",
	  .short_help = "Manage Swarm secrets",
	  .subcommands = secret_cmds,
	  .flags = CMD_SWARM },
	{ .name = "service",
	  .short_help = "Manage Swarm services",
	  .subcommands = service_cmds,
	  .flags = CMD_SWARM },
	{ .name = "stack",
	  .short_help = "Manage Swarm stacks",
	  .opts = OPTS(stack_group_opts),
	  .subcommands = stack_cmds,
	  .flags = CMD_SWARM },
	{ .name = "swarm",
	  .short_help = "Manage the Swarm",
	  .subcommands = swarm_cmds,
	  .flags = CMD_SWARM },
	{ .name = "attach", .canonical = "container attach" },
	{ .name = "commit", .canonical = "container commit" },
	{ .name = "cp", .canonical = "container cp" },
	{ .name = "create", .canonical = "container create" },
	{ .name = "diff", .canonical = "container diff" },
	{ .name = "events", .canonical = "system events" },
	{ .name = "export", .canonical = "container export" },
	{ .name = "history", .canonical = "image history" },
	{ .name = "import", .canonical = "image import" },
	{ .name = "inspect",
	  .usage = "[OPTIONS] NAME|ID [NAME|ID...]",
	  .short_help = "Show low-level details of containers, images and other objects",
	  .opts = OPTS(inspect_opts),
	  .handler = cmd_inspect,
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "kill", .canonical = "container kill" },
	{ .name = "load", .canonical = "image load" },
	{ .name = "logs", .canonical = "container logs" },
	{ .name = "pause", .canonical = "container pause" },
	{ .name = "port", .canonical = "container port" },
	{ .name = "rename", .canonical = "container rename" },
	{ .name = "restart", .canonical = "container restart" },
	{ .name = "rm", .canonical = "container rm" },
	{ .name = "rmi", .canonical = "image rm" },
	{ .name = "save", .canonical = "image save" },
	{ .name = "start", .canonical = "container start" },
	{ .name = "stats", .canonical = "container stats" },
	{ .name = "stop", .canonical = "container stop" },
	{ .name = "tag", .canonical = "image tag" },
	{ .name = "top", .canonical = "container top" },
	{ .name = "unpause", .canonical = "container unpause" },
	{ .name = "update", .canonical = "container update" },
	{ .name = "wait", .canonical = "container wait" },
	{ .name = "unshare",
	  .usage = "[OPTIONS] [COMMAND [ARG...]]",
	  .short_help = "Run a command in robbe's user namespace",
	  .opts = OPTS(unshare_opts),
	  .handler = cmd_unshare,
	  .args = ARGS_ANY,
	  .flags = CMD_PODMAN | CMD_STOP_AT_POSITIONAL },
	{ .name = "bake",
	  .usage = "[OPTIONS] [TARGET...]",
	  .short_help = "Build from a bake file (needs buildx)",
	  .args = ARGS_ANY,
	  .flags = CMD_HIDDEN | CMD_STOP_AT_POSITIONAL },
	{ .name = "help",
	  .usage = "[command]",
	  .short_help = "Help about any command",
	  .handler = cmd_help,
	  .args = ARGS_ANY,
	  .flags = CMD_HIDDEN },
	{ .name = "__complete",
	  .usage = "[WORDS...]",
	  .short_help = "Print completion candidates for the shell scripts",
	  .handler = cmd_complete,
	  .args = ARGS_ANY,
	  .flags = CMD_HIDDEN | CMD_RAW_ARGS },
	{ 0 }
};
const struct command cli_root = {
	.name = "robbe",
	.usage = "[OPTIONS] COMMAND [ARG...]",
	.short_help = "A daemonless engine for containers, driven like Docker",
	.opts = OPTS(cli_global_opts),
	.subcommands = root_cmds,
	.flags = CMD_STOP_AT_POSITIONAL,
};
