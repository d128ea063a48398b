/* cmd-container.c: the container and checkpoint command groups.
 *
 * Rows and option tables only (see docs/cli.md); handlers come as the
 * engine grows.  Flag names, short letters, types and defaults follow
 * Docker CLI 28; the descriptions are robbe's own.
 */
#include "config.h"

#include "compat/cli.h"
#include "src/mountspec.h"

static const struct opt_def container_create_run_opts[] = {
	{ .long_name = "add-host", .type = OPT_LIST, .help = "Add a line to /etc/hosts (host:ip)", .validate = opts_validate_extra_host },
	{ .long_name = "annotation", .type = OPT_MAP, .def = "map[]", .help = "Set an OCI annotation on the container, passed to the runtime" },
	{ .long_name = "attach", .short_name = 'a', .type = OPT_LIST, .help = "Connect to STDIN, STDOUT or STDERR", .validate = opts_validate_attach },
	{ .long_name = "blkio-weight", .type = OPT_UINT, .def = "0", .help = "Relative block IO weight, 10 to 1000 (0 turns it off)", .metavar = "uint16" },
	{ .long_name = "blkio-weight-device", .type = OPT_LIST, .def = "[]", .help = "Relative block IO weight of one device (device:weight)" },
	{ .long_name = "cap-add", .type = OPT_LIST, .help = "Grant extra Linux capabilities" },
	{ .long_name = "cap-drop", .type = OPT_LIST, .help = "Take away Linux capabilities" },
	{ .long_name = "cgroup-parent", .type = OPT_STRING, .help = "Parent cgroup to put the container under" },
	{ .long_name = "cgroupns", .type = OPT_STRING, .help = "Cgroup namespace: \"host\" shares the host's, \"private\" gives the container its own", .complete = COMPLETE_WORDS, .choices = "host private" },
	{ .long_name = "cidfile", .type = OPT_STRING, .help = "Write the new container's ID to this file", .complete = COMPLETE_FILE },
	{ .long_name = "cpu-count", .type = OPT_INT, .help = "Number of usable CPUs (Windows only)" },
	{ .long_name = "cpu-percent", .type = OPT_INT, .help = "Share of the CPUs in percent (Windows only)" },
	{ .long_name = "cpu-period", .type = OPT_INT, .help = "CPU CFS period in microseconds" },
	{ .long_name = "cpu-quota", .type = OPT_INT, .help = "CPU CFS quota in microseconds per period" },
	{ .long_name = "cpu-rt-period", .type = OPT_INT, .help = "Real-time CPU period in microseconds" },
	{ .long_name = "cpu-rt-runtime", .type = OPT_INT, .help = "Real-time CPU runtime in microseconds" },
	{ .long_name = "cpu-shares", .short_name = 'c', .type = OPT_INT, .help = "Relative CPU weight" },
	{ .long_name = "cpus", .type = OPT_DECIMAL, .help = "How many CPUs the container may use, fractions allowed" },
	{ .long_name = "cpuset-cpus", .type = OPT_STRING, .help = "CPUs the container may run on (0-3, 0,1)" },
	{ .long_name = "cpuset-mems", .type = OPT_STRING, .help = "Memory nodes the container may use (0-3, 0,1)" },
	{ .long_name = "device", .type = OPT_LIST, .help = "Give the container a host device" },
	{ .long_name = "device-cgroup-rule", .type = OPT_LIST, .help = "Add a rule to the container's device cgroup" },
	{ .long_name = "device-read-bps", .type = OPT_LIST, .def = "[]", .help = "Cap the read rate from a device (bytes per second)" },
	{ .long_name = "device-read-iops", .type = OPT_LIST, .def = "[]", .help = "Cap the read rate from a device (operations per second)" },
	{ .long_name = "device-write-bps", .type = OPT_LIST, .def = "[]", .help = "Cap the write rate to a device (bytes per second)" },
	{ .long_name = "device-write-iops", .type = OPT_LIST, .def = "[]", .help = "Cap the write rate to a device (operations per second)" },
	{ .long_name = "disable-content-trust", .type = OPT_BOOL, .def = "true", .help = "Do not verify the image's signature" },
	{ .long_name = "dns", .type = OPT_LIST, .help = "Use these DNS servers", .validate = opts_validate_ip },
	{ .long_name = "dns-opt", .type = OPT_LIST, .help = "", .alias_of = "dns-option" },
	{ .long_name = "dns-option", .type = OPT_LIST, .help = "Set resolver options" },
	{ .long_name = "dns-search", .type = OPT_LIST, .help = "Use these DNS search domains" },
	{ .long_name = "domainname", .type = OPT_STRING, .help = "NIS domain name of the container" },
	{ .long_name = "entrypoint", .type = OPT_STRING, .help = "Replace the image's ENTRYPOINT" },
	{ .long_name = "env", .short_name = 'e', .type = OPT_LIST, .help = "Set an environment variable", .validate = opts_validate_env },
	{ .long_name = "env-file", .type = OPT_LIST, .help = "Read environment variables from a file", .complete = COMPLETE_FILE },
	{ .long_name = "expose", .type = OPT_LIST, .help = "Expose a port or a port range" },
	{ .long_name = "gpus", .type = OPT_LIST, .help = "GPUs to give the container (\"all\" for every one)", .metavar = "gpu-request" },
	{ .long_name = "group-add", .type = OPT_LIST, .help = "Add a supplementary group" },
	{ .long_name = "health-cmd", .type = OPT_STRING, .help = "Command that checks the container's health" },
	{ .long_name = "health-interval", .type = OPT_DURATION, .def = "0s", .help = "Time between health checks (ms|s|m|h)" },
	{ .long_name = "health-retries", .type = OPT_INT, .help = "Failed checks in a row before the container is unhealthy" },
	{ .long_name = "health-start-interval", .type = OPT_DURATION, .def = "0s", .help = "Time between health checks while starting (ms|s|m|h)" },
	{ .long_name = "health-start-period", .type = OPT_DURATION, .def = "0s", .help = "Grace period before failures count (ms|s|m|h)" },
	{ .long_name = "health-timeout", .type = OPT_DURATION, .def = "0s", .help = "Longest time one check may take (ms|s|m|h)" },
	{ .long_name = "help", .type = OPT_BOOL, .help = "Show this help" },
	{ .long_name = "hostname", .short_name = 'h', .type = OPT_STRING, .help = "Host name of the container" },
	{ .long_name = "init", .type = OPT_BOOL, .help = "Run a small init as PID 1 that reaps zombies and forwards signals" },
	{ .long_name = "interactive", .short_name = 'i', .type = OPT_BOOL, .help = "Keep standard input open even when not attached" },
	{ .long_name = "io-maxbandwidth", .type = OPT_BYTES, .help = "IO bandwidth cap of the system drive (Windows only)" },
	{ .long_name = "io-maxiops", .type = OPT_UINT, .help = "IO operations cap of the system drive (Windows only)" },
	{ .long_name = "ip", .type = OPT_STRING, .help = "IPv4 address to use (e.g., 172.30.100.104)" },
	{ .long_name = "ip6", .type = OPT_STRING, .help = "IPv6 address to use (e.g., 2001:db8::33)" },
	{ .long_name = "ipc", .type = OPT_STRING, .help = "IPC namespace to use", .complete = COMPLETE_WORDS, .choices = "none private shareable host" },
	{ .long_name = "isolation", .type = OPT_STRING, .help = "Isolation technology to use", .complete = COMPLETE_WORDS, .choices = "default process hyperv" },
	{ .long_name = "kernel-memory", .type = OPT_BYTES, .help = "Kernel memory limit" },
	{ .long_name = "label", .short_name = 'l', .type = OPT_LIST, .help = "Set a label on the container", .validate = opts_validate_label },
	{ .long_name = "label-file", .type = OPT_LIST, .help = "Read labels from a file, one per line", .complete = COMPLETE_FILE },
	{ .long_name = "link", .type = OPT_LIST, .help = "Link to another container" },
	{ .long_name = "link-local-ip", .type = OPT_LIST, .help = "Link-local IPv4/IPv6 address of the container" },
	{ .long_name = "log-driver", .type = OPT_STRING, .help = "Log driver for the container", .complete = COMPLETE_WORDS, .choices = "json-file journald k8s-file local none passthrough" },
	{ .long_name = "log-opt", .type = OPT_LIST, .help = "Option for the log driver" },
	{ .long_name = "mac-address", .type = OPT_STRING, .help = "MAC address of the container (e.g., 92:d0:c6:0a:29:33)" },
	{ .long_name = "memory", .short_name = 'm', .type = OPT_BYTES, .help = "Memory limit" },
	{ .long_name = "memory-reservation", .type = OPT_BYTES, .help = "Soft memory limit" },
	{ .long_name = "memory-swap", .type = OPT_BYTES, .help = "Memory plus swap limit ('-1' for unlimited swap)", .flags = OPT_MINUS_ONE },
	{ .long_name = "memory-swappiness", .type = OPT_INT, .def = "-1", .help = "How eagerly to swap the container's memory (0 to 100)" },
	{ .long_name = "mount", .type = OPT_LIST, .help = "Mount a filesystem into the container", .metavar = "mount", .validate = mountspec_validate_mount },
	{ .long_name = "name", .type = OPT_STRING, .help = "Name of the container" },
	{ .long_name = "net", .type = OPT_LIST, .help = "", .metavar = "network", .alias_of = "network" },
	{ .long_name = "net-alias", .type = OPT_LIST, .help = "", .alias_of = "network-alias" },
	{ .long_name = "network", .type = OPT_LIST, .help = "Network to connect the container to", .metavar = "network", .complete = COMPLETE_NETWORK },
	{ .long_name = "network-alias", .type = OPT_LIST, .help = "Extra name of the container on the network" },
	{ .long_name = "no-healthcheck", .type = OPT_BOOL, .help = "Turn off the image's health check" },
	{ .long_name = "oom-kill-disable", .type = OPT_BOOL, .help = "Do not let the OOM killer kill the container" },
	{ .long_name = "oom-score-adj", .type = OPT_INT, .help = "Adjust the OOM killer score (-1000 to 1000)" },
	{ .long_name = "pid", .type = OPT_STRING, .help = "PID namespace to use", .complete = COMPLETE_WORDS, .choices = "host" },
	{ .long_name = "pids-limit", .type = OPT_INT, .help = "Process limit (-1 for none)" },
	{ .long_name = "platform", .type = OPT_STRING, .help = "Platform to use (os[/arch[/variant]])" },
	{ .long_name = "privileged", .type = OPT_BOOL, .help = "Give the container full access to the host" },
	{ .long_name = "publish", .short_name = 'p', .type = OPT_LIST, .help = "Publish a container port on the host" },
	{ .long_name = "publish-all", .short_name = 'P', .type = OPT_BOOL, .help = "Publish every exposed port on a random host port" },
	{ .long_name = "pull", .type = OPT_STRING, .def = "missing", .help = "Whether to pull the image first (\"always\", \"missing\", \"never\")", .complete = COMPLETE_WORDS, .choices = "always missing never" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Do not show pull progress" },
	{ .long_name = "read-only", .type = OPT_BOOL, .help = "Mount the root filesystem read-only" },
	{ .long_name = "restart", .type = OPT_STRING, .def = "no", .help = "What to do when the container exits", .complete = COMPLETE_WORDS, .choices = "no always unless-stopped on-failure" },
	{ .long_name = "rm", .type = OPT_BOOL, .help = "Delete the container and its anonymous volumes when it exits" },
	{ .long_name = "runtime", .type = OPT_STRING, .help = "OCI runtime to run the container with" },
	{ .long_name = "security-opt", .type = OPT_LIST, .help = "Security option (seccomp=, apparmor=, label=, no-new-privileges)" },
	{ .long_name = "shm-size", .type = OPT_BYTES, .help = "Size of /dev/shm" },
	{ .long_name = "stop-signal", .type = OPT_STRING, .help = "Signal that stops the container", .complete = COMPLETE_SIGNAL },
	{ .long_name = "stop-timeout", .type = OPT_INT, .help = "Seconds to wait after the stop signal before killing" },
	{ .long_name = "storage-opt", .type = OPT_LIST, .help = "Storage driver option for the container" },
	{ .long_name = "sysctl", .type = OPT_MAP, .def = "map[]", .help = "Set a namespaced kernel parameter", .validate = opts_validate_sysctl },
	{ .long_name = "tmpfs", .type = OPT_LIST, .help = "Mount a tmpfs at this path" },
	{ .long_name = "tty", .short_name = 't', .type = OPT_BOOL, .help = "Give the process a terminal" },
	{ .long_name = "ulimit", .type = OPT_LIST, .def = "[]", .help = "Resource limit (name=soft[:hard])", .metavar = "ulimit" },
	{ .long_name = "use-api-socket", .type = OPT_BOOL, .help = "Mount the engine's API socket and credentials into the container" },
	{ .long_name = "user", .short_name = 'u', .type = OPT_STRING, .help = "User to run as (<name|uid>[:<group|gid>])" },
	{ .long_name = "userns", .type = OPT_STRING, .help = "User namespace to use", .complete = COMPLETE_WORDS, .choices = "host keep-id" },
	{ .long_name = "uts", .type = OPT_STRING, .help = "UTS namespace to use", .complete = COMPLETE_WORDS, .choices = "host" },
	{ .long_name = "volume", .short_name = 'v', .type = OPT_LIST, .help = "Bind mount a volume" },
	{ .long_name = "volume-driver", .type = OPT_STRING, .help = "Default driver for the container's volumes" },
	{ .long_name = "volumes-from", .type = OPT_LIST, .help = "Mount the volumes of another container", .complete = COMPLETE_CONTAINER },
	{ .long_name = "workdir", .short_name = 'w', .type = OPT_STRING, .help = "Working directory inside the container" },
	{ 0 }
};

static const struct opt_def container_run_only_opts[] = {
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .help = "Run the container in the background and print its ID" },
	{ .long_name = "detach-keys", .type = OPT_STRING, .help = "Key sequence that detaches from the container", .validate = cli_validate_detach_keys },
	{ .long_name = "sig-proxy", .type = OPT_BOOL, .def = "true", .help = "Pass the signals robbe receives on to the process" },
	{ 0 }
};

static const struct opt_def container_cleanup_opts[] = {
	{ .long_name = "all", .short_name = 'a', .type = OPT_BOOL, .help = "Clean up every exited container" },
	{ .long_name = "exec", .type = OPT_STRING, .help = "Clean up after this exec session" },
	{ .long_name = "rm", .type = OPT_BOOL, .help = "Delete the container once cleaned up" },
	{ .long_name = "rmi", .type = OPT_BOOL, .help = "Delete the image too once cleaned up" },
	{ 0 }
};

static const struct opt_def container_attach_opts[] = {
	{ .long_name = "detach-keys", .type = OPT_STRING, .help = "Key sequence that detaches from the container" },
	{ .long_name = "no-stdin", .type = OPT_BOOL, .help = "Leave standard input unconnected" },
	{ .long_name = "sig-proxy", .type = OPT_BOOL, .def = "true", .help = "Pass the signals robbe receives on to the process" },
	{ 0 }
};

static const struct opt_def container_commit_opts[] = {
	{ .long_name = "author", .short_name = 'a', .type = OPT_STRING, .help = "Author of the new image (\"Name <email>\")" },
	{ .long_name = "change", .short_name = 'c', .type = OPT_LIST, .help = "Apply a Dockerfile instruction to the new image" },
	{ .long_name = "message", .short_name = 'm', .type = OPT_STRING, .help = "Commit message" },
	{ .long_name = "pause", .short_name = 'p', .type = OPT_BOOL, .def = "true", .help = "Pause the container while committing" },
	{ 0 }
};

static const struct opt_def container_cp_opts[] = {
	{ .long_name = "archive", .short_name = 'a', .type = OPT_BOOL, .help = "Keep owner uid/gid of the copied files" },
	{ .long_name = "follow-link", .short_name = 'L', .type = OPT_BOOL, .help = "Follow a symbolic link in SRC_PATH" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Do not show progress (never shown without a terminal)" },
	{ 0 }
};

static const struct opt_def container_exec_opts[] = {
	{ .long_name = "detach", .short_name = 'd', .type = OPT_BOOL, .help = "Run the command in the background" },
	{ .long_name = "detach-keys", .type = OPT_STRING, .help = "Key sequence that detaches from the container" },
	{ .long_name = "env", .short_name = 'e', .type = OPT_LIST, .help = "Set an environment variable", .validate = opts_validate_env },
	{ .long_name = "env-file", .type = OPT_LIST, .help = "Read environment variables from a file", .complete = COMPLETE_FILE },
	{ .long_name = "interactive", .short_name = 'i', .type = OPT_BOOL, .help = "Keep standard input open even when not attached" },
	{ .long_name = "privileged", .type = OPT_BOOL, .help = "Give the command extended privileges" },
	{ .long_name = "tty", .short_name = 't', .type = OPT_BOOL, .help = "Give the process a terminal" },
	{ .long_name = "user", .short_name = 'u', .type = OPT_STRING, .help = "User to run as (<name|uid>[:<group|gid>])" },
	{ .long_name = "workdir", .short_name = 'w', .type = OPT_STRING, .help = "Working directory inside the container" },
	{ 0 }
};

static const struct opt_def container_export_opts[] = {
	{ .long_name = "output", .short_name = 'o', .type = OPT_STRING, .help = "Write to this file instead of standard output", .complete = COMPLETE_FILE },
	{ 0 }
};

static const struct opt_def container_inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ .long_name = "size", .short_name = 's', .type = OPT_BOOL, .help = "Include sizes" },
	{ 0 }
};

static const struct opt_def container_kill_opts[] = {
	{ .long_name = "signal", .short_name = 's', .type = OPT_STRING, .help = "Signal to send", .complete = COMPLETE_SIGNAL },
	{ 0 }
};

static const struct opt_def container_logs_opts[] = {
	{ .long_name = "details", .type = OPT_BOOL, .help = "Include the extra attributes given to the log driver" },
	{ .long_name = "follow", .short_name = 'f', .type = OPT_BOOL, .help = "Keep printing new output as it comes" },
	{ .long_name = "since", .type = OPT_STRING, .help = "Start from this time (e.g. \"2013-01-02T13:23:37Z\") or this long ago (e.g. \"42m\")" },
	{ .long_name = "tail", .short_name = 'n', .type = OPT_STRING, .def = "all", .help = "How many lines to show from the end" },
	{ .long_name = "timestamps", .short_name = 't', .type = OPT_BOOL, .help = "Print a timestamp before each line" },
	{ .long_name = "until", .type = OPT_STRING, .help = "Stop at this time (e.g. \"2013-01-02T13:23:37Z\") or this long ago (e.g. \"42m\")" },
	{ 0 }
};

static const struct opt_def container_ls_opts[] = {
	{ .long_name = "all", .short_name = 'a', .type = OPT_BOOL, .help = "Include stopped containers (only running ones by default)" },
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "last", .short_name = 'n', .type = OPT_INT, .def = "-1", .help = "Show the n most recently created containers (any state)" },
	{ .long_name = "latest", .short_name = 'l', .type = OPT_BOOL, .help = "Show only the most recently created container (any state)" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ .long_name = "size", .short_name = 's', .type = OPT_BOOL, .help = "Include sizes" },
	{ 0 }
};

static const struct opt_def container_prune_opts[] = {
	{ .long_name = "filter", .type = OPT_LIST, .help = "Only delete containers matching a filter (e.g. \"until=<timestamp>\")", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Do it without asking" },
	{ 0 }
};

static const struct opt_def container_restart_opts[] = {
	{ .long_name = "signal", .short_name = 's', .type = OPT_STRING, .help = "Signal that stops the container", .complete = COMPLETE_SIGNAL },
	{ .long_name = "time", .type = OPT_INT, .help = "", .alias_of = "timeout", .deprecated = "use --timeout instead" },
	{ .long_name = "timeout", .short_name = 't', .type = OPT_INT, .help = "Seconds to wait before killing the container" },
	{ 0 }
};

static const struct opt_def container_rm_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Kill a running container before deleting it" },
	{ .long_name = "link", .short_name = 'l', .type = OPT_BOOL, .help = "Delete the given link, not the container" },
	{ .long_name = "volumes", .short_name = 'v', .type = OPT_BOOL, .help = "Delete the container's anonymous volumes too" },
	{ 0 }
};

static const struct opt_def container_start_opts[] = {
	{ .long_name = "attach", .short_name = 'a', .type = OPT_BOOL, .help = "Connect to the container's output and forward signals" },
	{ .long_name = "checkpoint", .type = OPT_STRING, .help = "Restore the container from this checkpoint" },
	{ .long_name = "checkpoint-dir", .type = OPT_STRING, .help = "Directory where checkpoints are kept", .complete = COMPLETE_DIR },
	{ .long_name = "detach-keys", .type = OPT_STRING, .help = "Key sequence that detaches from the container" },
	{ .long_name = "interactive", .short_name = 'i', .type = OPT_BOOL, .help = "Connect the container's standard input" },
	{ 0 }
};

static const struct opt_def container_stats_opts[] = {
	{ .long_name = "all", .short_name = 'a', .type = OPT_BOOL, .help = "Include stopped containers (only running ones by default)" },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "no-stream", .type = OPT_BOOL, .help = "Print one sample and stop" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ 0 }
};

static const struct opt_def container_stop_opts[] = {
	{ .long_name = "signal", .short_name = 's', .type = OPT_STRING, .help = "Signal that stops the container", .complete = COMPLETE_SIGNAL },
	{ .long_name = "time", .type = OPT_INT, .help = "", .alias_of = "timeout", .deprecated = "use --timeout instead" },
	{ .long_name = "timeout", .short_name = 't', .type = OPT_INT, .help = "Seconds to wait before killing the container" },
	{ 0 }
};

static const struct opt_def container_update_opts[] = {
	{ .long_name = "blkio-weight", .type = OPT_UINT, .def = "0", .help = "Relative block IO weight, 10 to 1000 (0 turns it off)", .metavar = "uint16" },
	{ .long_name = "cpu-period", .type = OPT_INT, .help = "CPU CFS period in microseconds" },
	{ .long_name = "cpu-quota", .type = OPT_INT, .help = "CPU CFS quota in microseconds per period" },
	{ .long_name = "cpu-rt-period", .type = OPT_INT, .help = "Real-time CPU period in microseconds" },
	{ .long_name = "cpu-rt-runtime", .type = OPT_INT, .help = "Real-time CPU runtime in microseconds" },
	{ .long_name = "cpu-shares", .short_name = 'c', .type = OPT_INT, .help = "Relative CPU weight" },
	{ .long_name = "cpus", .type = OPT_DECIMAL, .help = "How many CPUs the container may use, fractions allowed" },
	{ .long_name = "cpuset-cpus", .type = OPT_STRING, .help = "CPUs the container may run on (0-3, 0,1)" },
	{ .long_name = "cpuset-mems", .type = OPT_STRING, .help = "Memory nodes the container may use (0-3, 0,1)" },
	{ .long_name = "kernel-memory", .type = OPT_BYTES, .help = "Kernel memory limit", .flags = OPT_HIDDEN },
	{ .long_name = "memory", .short_name = 'm', .type = OPT_BYTES, .help = "Memory limit" },
	{ .long_name = "memory-reservation", .type = OPT_BYTES, .help = "Soft memory limit" },
	{ .long_name = "memory-swap", .type = OPT_BYTES, .help = "Memory plus swap limit ('-1' for unlimited swap)", .flags = OPT_MINUS_ONE },
	{ .long_name = "pids-limit", .type = OPT_INT, .help = "Process limit (-1 for none)" },
	{ .long_name = "restart", .type = OPT_STRING, .help = "What to do when the container exits", .complete = COMPLETE_WORDS, .choices = "no always unless-stopped on-failure" },
	{ 0 }
};

const struct command container_cmds[] = {
	{ .name = "attach",
	  .usage = "[OPTIONS] CONTAINER",
	  .short_help = "Connect your terminal to the input and output of a running container",
	  .handler = cmd_container_attach,
	  .opts = OPTS(container_attach_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_RUNNING },
	{ .name = "cleanup",
	  .usage = "[OPTIONS] [CONTAINER...]",
	  .short_help = "Release what an exited container held (called by conmon)",
	  .handler = cmd_container_cleanup,
	  .opts = OPTS(container_cleanup_opts),
	  .args = ARGS_ANY,
	  .flags = CMD_PODMAN | CMD_HIDDEN,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "commit",
	  .usage = "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
	  .short_help = "Make a new image from the changes in a container",
	  .handler = cmd_container_commit,
	  .opts = OPTS(container_commit_opts),
	  .args = ARGS_RANGE,
	  .args_min = 1,
	  .args_max = 2,
	  .complete = COMPLETE_CONTAINER,
	  .flags = CMD_STOP_AT_POSITIONAL },
	{ .name = "cp",
	  .usage = "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\t$0 cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
	  .short_help = "Copy files or directories between a container and the host",
	  .handler = cmd_container_cp,
	  .long_help = "Copy files or directories between a container and the host.\n\nWith '-' as the source, a tar archive read from standard input is\nunpacked into a directory of the container. With '-' as the destination,\nthe container's files are written to standard output as a tar archive.",
	  .opts = OPTS(container_cp_opts),
	  .args = ARGS_EXACT,
	  .args_min = 2,
	  .complete = COMPLETE_FILE },
	{ .name = "create",
	  .usage = "[OPTIONS] IMAGE [COMMAND] [ARG...]",
	  .short_help = "Create a container without starting it",
	  .handler = cmd_container_create,
	  .opts = OPTS(container_create_run_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE,
	  .flags = CMD_STOP_AT_POSITIONAL },
	{ .name = "diff",
	  .usage = "CONTAINER",
	  .short_help = "List the files changed in a container's filesystem",
	  .handler = cmd_container_diff,
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "exec",
	  .usage = "[OPTIONS] CONTAINER COMMAND [ARG...]",
	  .short_help = "Run a command in a running container",
	  .opts = OPTS(container_exec_opts),
	  .handler = cmd_container_exec,
	  .args = ARGS_MIN,
	  .args_min = 2,
	  .complete = COMPLETE_RUNNING,
	  .flags = CMD_STOP_AT_POSITIONAL },
	{ .name = "exists",
	  .usage = "CONTAINER",
	  .short_help = "Exit 0 if a container exists, 1 if it does not",
	  .handler = cmd_container_exists,
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .flags = CMD_PODMAN,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "export",
	  .usage = "[OPTIONS] CONTAINER",
	  .short_help = "Write a container's filesystem out as a tar archive",
	  .handler = cmd_container_export,
	  .opts = OPTS(container_export_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "inspect",
	  .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
	  .short_help = "Show low-level details of one or more containers",
	  .handler = cmd_container_inspect,
	  .opts = OPTS(container_inspect_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "kill",
	  .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
	  .short_help = "Send a signal (by default SIGKILL) to running containers",
	  .handler = cmd_container_kill,
	  .opts = OPTS(container_kill_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_RUNNING },
	{ .name = "logs",
	  .usage = "[OPTIONS] CONTAINER",
	  .short_help = "Show the output a container has logged",
	  .handler = cmd_container_logs,
	  .opts = OPTS(container_logs_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", "ps", NULL },
	  .usage = "[OPTIONS]",
	  .short_help = "List containers",
	  .handler = cmd_container_ls,
	  .opts = OPTS(container_ls_opts),
	  .args = ARGS_NONE },
	{ .name = "pause",
	  .usage = "CONTAINER [CONTAINER...]",
	  .short_help = "Freeze every process in one or more containers",
	  .handler = cmd_container_pause,
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_RUNNING },
	{ .name = "port",
	  .usage = "CONTAINER [PRIVATE_PORT[/PROTO]]",
	  .short_help = "Show a container's published ports",
	  .handler = cmd_container_port,
	  .args = ARGS_RANGE,
	  .args_min = 1,
	  .args_max = 2,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "prune",
	  .usage = "[OPTIONS]",
	  .short_help = "Delete every stopped container",
	  .handler = cmd_container_prune,
	  .opts = OPTS(container_prune_opts),
	  .args = ARGS_NONE },
	{ .name = "rename",
	  .usage = "CONTAINER NEW_NAME",
	  .short_help = "Give a container a new name",
	  .handler = cmd_container_rename,
	  .args = ARGS_EXACT,
	  .args_min = 2,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "restart",
	  .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
	  .short_help = "Stop and start one or more containers",
	  .handler = cmd_container_restart,
	  .opts = OPTS(container_restart_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
	  .short_help = "Delete one or more containers",
	  .handler = cmd_container_rm,
	  .opts = OPTS(container_rm_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "run",
	  .usage = "[OPTIONS] IMAGE [COMMAND] [ARG...]",
	  .short_help = "Create a container from an image and start it",
	  .handler = cmd_container_run,
	  .opts = OPTS(container_run_only_opts, container_create_run_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE,
	  .flags = CMD_STOP_AT_POSITIONAL },
	{ .name = "start",
	  .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
	  .short_help = "Start one or more stopped containers",
	  .handler = cmd_container_start,
	  .opts = OPTS(container_start_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "stats",
	  .usage = "[OPTIONS] [CONTAINER...]",
	  .short_help = "Show live resource usage of containers",
	  .handler = cmd_container_stats,
	  .opts = OPTS(container_stats_opts),
	  .args = ARGS_ANY,
	  .complete = COMPLETE_RUNNING },
	{ .name = "stop",
	  .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
	  .short_help = "Stop one or more running containers",
	  .handler = cmd_container_stop,
	  .opts = OPTS(container_stop_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_RUNNING },
	{ .name = "top",
	  .usage = "CONTAINER [ps OPTIONS]",
	  .short_help = "List the processes running in a container",
	  .handler = cmd_container_top,
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_RUNNING,
	  .flags = CMD_STOP_AT_POSITIONAL },
	{ .name = "unpause",
	  .usage = "CONTAINER [CONTAINER...]",
	  .short_help = "Resume every process in one or more paused containers",
	  .handler = cmd_container_unpause,
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "update",
	  .usage = "[OPTIONS] CONTAINER [CONTAINER...]",
	  .short_help = "Change the resource limits of one or more containers",
	  .handler = cmd_container_update,
	  .opts = OPTS(container_update_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "wait",
	  .usage = "CONTAINER [CONTAINER...]",
	  .short_help = "Wait for containers to stop and print their exit codes",
	  .handler = cmd_container_wait,
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ 0 }
};

static const struct opt_def checkpoint_create_opts[] = {
	{ .long_name = "checkpoint-dir", .type = OPT_STRING, .help = "Directory where checkpoints are kept", .complete = COMPLETE_DIR },
	{ .long_name = "leave-running", .type = OPT_BOOL, .help = "Keep the container running after the checkpoint" },
	{ 0 }
};

static const struct opt_def checkpoint_ls_opts[] = {
	{ .long_name = "checkpoint-dir", .type = OPT_STRING, .help = "Directory where checkpoints are kept", .complete = COMPLETE_DIR },
	{ 0 }
};

static const struct opt_def checkpoint_rm_opts[] = {
	{ .long_name = "checkpoint-dir", .type = OPT_STRING, .help = "Directory where checkpoints are kept", .complete = COMPLETE_DIR },
	{ 0 }
};

const struct command checkpoint_cmds[] = {
	{ .name = "create",
	  .usage = "[OPTIONS] CONTAINER CHECKPOINT",
	  .short_help = "Save the state of a running container to a checkpoint",
	  .opts = OPTS(checkpoint_create_opts),
	  .args = ARGS_EXACT,
	  .args_min = 2,
	  .complete = COMPLETE_RUNNING },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS] CONTAINER",
	  .short_help = "List the checkpoints of a container",
	  .opts = OPTS(checkpoint_ls_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_CONTAINER },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "[OPTIONS] CONTAINER CHECKPOINT",
	  .short_help = "Delete a container checkpoint",
	  .opts = OPTS(checkpoint_rm_opts),
	  .args = ARGS_EXACT,
	  .args_min = 2,
	  .complete = COMPLETE_CONTAINER },
	{ 0 }
};
