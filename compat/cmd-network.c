/* cmd-network.c: the network and volume command groups.
 *
 * Rows and option tables only (see docs/cli.md); handlers come as the
 * engine grows.  Flag names, short letters, types and defaults follow
 * Docker CLI 28; the descriptions are robbe's own.
 */
#include "config.h"

#include "compat/cli.h"
#include "compat/cmd-volume.h"

static const struct opt_def network_connect_opts[] = {
	{ .long_name = "alias", .type = OPT_STRINGS, .help = "Extra name of the container on the network" },
	{ .long_name = "driver-opt", .type = OPT_STRINGS, .help = "Option for the network driver" },
	{ .long_name = "gw-priority", .type = OPT_INT, .help = "Priority of this network's gateway as the default route" },
	{ .long_name = "ip", .type = OPT_STRING, .help = "IPv4 address to use (e.g., 172.30.100.104)" },
	{ .long_name = "ip6", .type = OPT_STRING, .help = "IPv6 address to use (e.g., 2001:db8::33)" },
	{ .long_name = "link", .type = OPT_LIST, .help = "Link to another container" },
	{ .long_name = "link-local-ip", .type = OPT_STRINGS, .help = "Link-local IPv4/IPv6 address of the container" },
	{ 0 }
};

static const struct opt_def network_create_opts[] = {
	{ .long_name = "attachable", .type = OPT_BOOL, .help = "Let standalone containers join the network" },
	{ .long_name = "aux-address", .type = OPT_MAP, .def = "map[]", .help = "Addresses the network driver must not hand out" },
	{ .long_name = "config-from", .type = OPT_STRING, .help = "Copy the settings of this configuration network" },
	{ .long_name = "config-only", .type = OPT_BOOL, .help = "Create a network that only holds settings for others" },
	{ .long_name = "driver", .short_name = 'd', .type = OPT_STRING, .def = "bridge", .help = "Driver that manages the network" },
	{ .long_name = "gateway", .type = OPT_STRINGS, .help = "Gateway of the subnet" },
	{ .long_name = "ingress", .type = OPT_BOOL, .help = "Make the routing-mesh network" },
	{ .long_name = "internal", .type = OPT_BOOL, .help = "Keep the network cut off from outside" },
	{ .long_name = "ip-range", .type = OPT_STRINGS, .help = "Range inside the subnet to hand addresses out from" },
	{ .long_name = "ipam-driver", .type = OPT_STRING, .def = "default", .help = "Address management driver" },
	{ .long_name = "ipam-opt", .type = OPT_MAP, .def = "map[]", .help = "Option for the address management driver" },
	{ .long_name = "ipv4", .type = OPT_BOOL, .def = "true", .help = "Turn IPv4 on or off" },
	{ .long_name = "ipv6", .type = OPT_BOOL, .help = "Turn IPv6 on" },
	{ .long_name = "label", .type = OPT_LIST, .help = "Set a label" },
	{ .long_name = "opt", .short_name = 'o', .type = OPT_MAP, .def = "map[]", .help = "Option for the driver" },
	{ .long_name = "scope", .type = OPT_STRING, .help = "Scope of the object" },
	{ .long_name = "subnet", .type = OPT_STRINGS, .help = "Subnet of the network in CIDR form" },
	{ 0 }
};

static const struct opt_def network_disconnect_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Detach the container even if it is not running" },
	{ 0 }
};

static const struct opt_def network_inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ .long_name = "verbose", .short_name = 'v', .type = OPT_BOOL, .help = "Print more detail" },
	{ 0 }
};

static const struct opt_def network_ls_opts[] = {
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

static const struct opt_def network_prune_opts[] = {
	{ .long_name = "filter", .type = OPT_LIST, .help = "Only delete networks matching a filter (e.g. \"until=<timestamp>\")", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Do it without asking" },
	{ 0 }
};

static const struct opt_def network_rm_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Do not fail when a network does not exist" },
	{ 0 }
};

const struct command network_cmds[] = {
	{ .name = "connect",
	  .usage = "[OPTIONS] NETWORK CONTAINER",
	  .short_help = "Attach a container to a network",
	  .opts = OPTS(network_connect_opts),
	  .handler = cmd_network_connect,
	  .args = ARGS_EXACT,
	  .args_min = 2,
	  .complete = COMPLETE_NETWORK,
	  .complete_rest = COMPLETE_CONTAINER },
	{ .name = "create",
	  .usage = "[OPTIONS] NETWORK",
	  .short_help = "Create a network",
	  .opts = OPTS(network_create_opts),
	  .handler = cmd_network_create,
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "disconnect",
	  .usage = "[OPTIONS] NETWORK CONTAINER",
	  .short_help = "Detach a container from a network",
	  .opts = OPTS(network_disconnect_opts),
	  .handler = cmd_network_disconnect,
	  .args = ARGS_EXACT,
	  .args_min = 2,
	  .complete = COMPLETE_NETWORK,
	  .complete_rest = COMPLETE_CONTAINER },
	{ .name = "exists",
	  .usage = "NETWORK",
	  .short_help = "Exit 0 if a network exists, 1 if it does not",
	  .handler = cmd_network_exists,
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .flags = CMD_PODMAN,
	  .complete = COMPLETE_NETWORK },
	{ .name = "inspect",
	  .usage = "[OPTIONS] NETWORK [NETWORK...]",
	  .short_help = "Show low-level details of one or more networks",
	  .opts = OPTS(network_inspect_opts),
	  .handler = cmd_network_inspect,
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_NETWORK },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS]",
	  .short_help = "List networks",
	  .opts = OPTS(network_ls_opts),
	  .handler = cmd_network_ls,
	  .args = ARGS_NONE },
	{ .name = "prune",
	  .usage = "[OPTIONS]",
	  .short_help = "Delete every network no container uses",
	  .opts = OPTS(network_prune_opts),
	  .handler = cmd_network_prune,
	  .args = ARGS_NONE },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "NETWORK [NETWORK...]",
	  .short_help = "Delete one or more networks",
	  .opts = OPTS(network_rm_opts),
	  .handler = cmd_network_rm,
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_NETWORK },
	{ 0 }
};

static const struct opt_def volume_create_opts[] = {
	{ .long_name = "availability", .type = OPT_STRING, .def = "active", .help = "Availability of a cluster volume (\"active\", \"pause\", \"drain\")", .complete = COMPLETE_WORDS, .choices = "active pause drain" },
	{ .long_name = "driver", .short_name = 'd', .type = OPT_STRING, .def = "local", .help = "Driver that manages the volume" },
	{ .long_name = "group", .type = OPT_STRING, .help = "Cluster volume group" },
	{ .long_name = "label", .type = OPT_LIST, .help = "Set a label" },
	{ .long_name = "limit-bytes", .type = OPT_BYTES, .help = "Minimum size of a cluster volume" },
	{ .long_name = "name", .type = OPT_STRING, .help = "Name of the volume", .flags = OPT_HIDDEN },
	{ .long_name = "opt", .short_name = 'o', .type = OPT_MAP, .def = "map[]", .help = "Option for the driver" },
	{ .long_name = "required-bytes", .type = OPT_BYTES, .help = "Maximum size of a cluster volume" },
	{ .long_name = "scope", .type = OPT_STRING, .def = "single", .help = "Scope of the object" },
	{ .long_name = "secret", .type = OPT_MAP, .def = "map[]", .help = "Secret for the cluster volume driver" },
	{ .long_name = "sharing", .type = OPT_STRING, .def = "none", .help = "How a cluster volume may be shared (\"none\", \"readonly\", \"onewriter\", \"all\")" },
	{ .long_name = "topology-preferred", .type = OPT_LIST, .help = "Topology the volume should preferably reach" },
	{ .long_name = "topology-required", .type = OPT_LIST, .help = "Topology the volume must reach" },
	{ .long_name = "type", .type = OPT_STRING, .def = "block", .help = "Access type of a cluster volume (\"mount\" or \"block\")" },
	{ 0 }
};

static const struct opt_def volume_inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ 0 }
};

static const struct opt_def volume_ls_opts[] = {
	{ .long_name = "cluster", .type = OPT_BOOL, .help = "List cluster (Swarm) volumes only" },
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

static const struct opt_def volume_prune_opts[] = {
	{ .long_name = "all", .short_name = 'a', .type = OPT_BOOL, .help = "Delete named volumes too, not only anonymous ones" },
	{ .long_name = "filter", .type = OPT_LIST, .help = "Only delete volumes matching a filter (e.g. \"label=<label>\")", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Do it without asking" },
	{ 0 }
};

static const struct opt_def volume_rm_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Delete the volumes even if they are in use" },
	{ 0 }
};

static const struct opt_def volume_update_opts[] = {
	{ .long_name = "availability", .type = OPT_STRING, .def = "active", .help = "Availability of a cluster volume (\"active\", \"pause\", \"drain\")", .complete = COMPLETE_WORDS, .choices = "active pause drain" },
	{ 0 }
};

const struct command volume_cmds[] = {
	{ .name = "create",
	  .usage = "[OPTIONS] [VOLUME]",
	  .short_help = "Create a volume",
	  .opts = OPTS(volume_create_opts),
	  .handler = cmd_volume_create,
	  .args = ARGS_MAX,
	  .args_max = 1,
	  .complete = COMPLETE_VOLUME },
	{ .name = "exists",
	  .usage = "VOLUME",
	  .short_help = "Exit 0 if a volume exists, 1 if it does not",
	  .handler = cmd_volume_exists,
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .flags = CMD_PODMAN,
	  .complete = COMPLETE_VOLUME },
	{ .name = "inspect",
	  .usage = "[OPTIONS] VOLUME [VOLUME...]",
	  .short_help = "Show details of one or more volumes",
	  .opts = OPTS(volume_inspect_opts),
	  .handler = cmd_volume_inspect,
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_VOLUME },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS]",
	  .short_help = "List volumes",
	  .opts = OPTS(volume_ls_opts),
	  .handler = cmd_volume_ls,
	  .args = ARGS_NONE },
	{ .name = "prune",
	  .usage = "[OPTIONS]",
	  .short_help = "Delete every volume no container uses",
	  .opts = OPTS(volume_prune_opts),
	  .handler = cmd_volume_prune,
	  .args = ARGS_NONE },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "[OPTIONS] VOLUME [VOLUME...]",
	  .short_help = "Delete one or more volumes",
	  .long_help = "Delete one or more volumes. A volume a container still uses cannot be deleted.",
	  .opts = OPTS(volume_rm_opts),
	  .handler = cmd_volume_rm,
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_VOLUME },
	{ .name = "update",
	  .usage = "[OPTIONS] [VOLUME]",
	  .short_help = "Change a cluster volume (Swarm only)",
	  .opts = OPTS(volume_update_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_VOLUME },
	{ 0 }
};
