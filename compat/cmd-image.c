/* cmd-image.c: the image, builder, manifest and trust command groups.
 *
 * Rows and option tables only (see docs/cli.md); handlers come as the
 * engine grows.  Flag names, short letters, types and defaults follow
 * Docker CLI 28; the descriptions are robbe's own.
 */
#include "config.h"

#include "compat/cli.h"
#include "compat/cmd-image-cmds.h"

static const struct opt_def image_build_opts[] = {
	{ .long_name = "add-host", .type = OPT_LIST, .help = "Add a line to /etc/hosts during the build (host:ip)", .validate = opts_validate_extra_host },
	{ .long_name = "build-arg", .type = OPT_LIST, .help = "Set a build-time variable (NAME=value)" },
	{ .long_name = "cache-from", .type = OPT_STRINGS, .help = "Images whose layers the build may reuse" },
	{ .long_name = "cgroup-parent", .type = OPT_STRING, .help = "Parent cgroup for the build's RUN steps" },
	{ .long_name = "compress", .type = OPT_BOOL, .help = "Send the build context gzip-compressed" },
	{ .long_name = "cpu-period", .type = OPT_INT, .help = "CPU CFS period in microseconds" },
	{ .long_name = "cpu-quota", .type = OPT_INT, .help = "CPU CFS quota in microseconds per period" },
	{ .long_name = "cpu-shares", .short_name = 'c', .type = OPT_INT, .help = "Relative CPU weight" },
	{ .long_name = "cpuset-cpus", .type = OPT_STRING, .help = "CPUs the container may run on (0-3, 0,1)" },
	{ .long_name = "cpuset-mems", .type = OPT_STRING, .help = "Memory nodes the container may use (0-3, 0,1)" },
	{ .long_name = "disable-content-trust", .type = OPT_BOOL, .def = "true", .help = "Do not verify image signatures" },
	{ .long_name = "file", .short_name = 'f', .type = OPT_STRING, .help = "Dockerfile to use (default: 'PATH/Dockerfile')", .complete = COMPLETE_FILE },
	{ .long_name = "force-rm", .type = OPT_BOOL, .help = "Always delete intermediate containers" },
	{ .long_name = "iidfile", .type = OPT_STRING, .help = "Write the new image's ID to this file", .complete = COMPLETE_FILE },
	{ .long_name = "isolation", .type = OPT_STRING, .help = "Isolation technology to use", .complete = COMPLETE_WORDS, .choices = "default process hyperv" },
	{ .long_name = "label", .type = OPT_LIST, .help = "Set a label" },
	{ .long_name = "memory", .short_name = 'm', .type = OPT_BYTES, .help = "Memory limit" },
	{ .long_name = "memory-swap", .type = OPT_BYTES, .help = "Memory plus swap limit ('-1' for unlimited swap)", .flags = OPT_MINUS_ONE },
	{ .long_name = "network", .type = OPT_STRING, .def = "default", .help = "Networking mode of the build's RUN steps" },
	{ .long_name = "no-cache", .type = OPT_BOOL, .help = "Build every step, using no cache" },
	{ .long_name = "platform", .type = OPT_STRING, .help = "Platform to use (os[/arch[/variant]])" },
	{ .long_name = "pull", .type = OPT_BOOL, .help = "Always try to pull a newer base image" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Do not show build output; print the image ID at the end" },
	{ .long_name = "rm", .type = OPT_BOOL, .def = "true", .help = "Delete intermediate containers once the build succeeds" },
	{ .long_name = "security-opt", .type = OPT_STRINGS, .help = "Security options for the build" },
	{ .long_name = "shm-size", .type = OPT_BYTES, .help = "Size of /dev/shm" },
	{ .long_name = "squash", .type = OPT_BOOL, .help = "Merge the new layers into one" },
	{ .long_name = "tag", .short_name = 't', .type = OPT_LIST, .help = "Name the image (name:tag)" },
	{ .long_name = "target", .type = OPT_STRING, .help = "Build stage to stop at" },
	{ .long_name = "ulimit", .type = OPT_LIST, .def = "[]", .help = "Resource limit (name=soft[:hard])", .metavar = "ulimit" },
	{ 0 }
};

static const struct opt_def image_history_opts[] = {
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "human", .short_name = 'H', .type = OPT_BOOL, .def = "true", .help = "Print sizes and dates for people" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ .long_name = "platform", .type = OPT_STRING, .help = "Platform to use (os[/arch[/variant]])" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ 0 }
};

static const struct opt_def image_import_opts[] = {
	{ .long_name = "change", .short_name = 'c', .type = OPT_LIST, .help = "Apply a Dockerfile instruction to the new image" },
	{ .long_name = "message", .short_name = 'm', .type = OPT_STRING, .help = "Commit message of the imported image" },
	{ .long_name = "platform", .type = OPT_STRING, .help = "Platform to use (os[/arch[/variant]])" },
	{ 0 }
};

static const struct opt_def image_inspect_opts[] = {
	{ .long_name = "format", .short_name = 'f', .type = OPT_STRING, .help = "Print with a Go template (or \"json\")", .complete = COMPLETE_WORDS, .choices = "json" },
	{ .long_name = "platform", .type = OPT_STRING, .help = "Platform to use (os[/arch[/variant]])" },
	{ 0 }
};

static const struct opt_def image_load_opts[] = {
	{ .long_name = "input", .short_name = 'i', .type = OPT_STRING, .help = "Read from this tar archive instead of standard input", .complete = COMPLETE_FILE },
	{ .long_name = "platform", .type = OPT_STRING, .help = "Platform to use (os[/arch[/variant]])" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Do not show progress" },
	{ 0 }
};

static const struct opt_def image_ls_opts[] = {
	{ .long_name = "all", .short_name = 'a', .type = OPT_BOOL, .help = "Include intermediate images (hidden by default)" },
	{ .long_name = "digests", .type = OPT_BOOL, .help = "Include digests" },
	{ .long_name = "filter", .short_name = 'f', .type = OPT_LIST, .help = "Only show entries matching a filter", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "format", .type = OPT_STRING, .help = "Print with a Go template (or \"json\", \"table\", \"table TEMPLATE\")", .complete = COMPLETE_WORDS, .choices = "json table" },
	{ .long_name = "no-trunc", .type = OPT_BOOL, .help = "Print everything in full" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Print only IDs" },
	{ .long_name = "tree", .type = OPT_BOOL, .help = "Show images as a tree of platforms (experimental)" },
	{ 0 }
};

static const struct opt_def image_prune_opts[] = {
	{ .long_name = "all", .short_name = 'a', .type = OPT_BOOL, .help = "Delete every image no container uses, not only dangling ones" },
	{ .long_name = "filter", .type = OPT_LIST, .help = "Only delete images matching a filter (e.g. \"until=<timestamp>\")", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Do it without asking" },
	{ 0 }
};

static const struct opt_def image_pull_opts[] = {
	{ .long_name = "all-tags", .short_name = 'a', .type = OPT_BOOL, .help = "Act on every tag of the repository" },
	{ .long_name = "disable-content-trust", .type = OPT_BOOL, .def = "true", .help = "Do not verify image signatures" },
	{ .long_name = "platform", .type = OPT_STRING, .help = "Platform to use (os[/arch[/variant]])" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Do not show progress, only the reference" },
	{ 0 }
};

static const struct opt_def image_push_opts[] = {
	{ .long_name = "all-tags", .short_name = 'a', .type = OPT_BOOL, .help = "Act on every tag of the repository" },
	{ .long_name = "disable-content-trust", .type = OPT_BOOL, .def = "true", .help = "Do not sign the image" },
	{ .long_name = "platform", .type = OPT_STRING, .help = "Platform to use (os[/arch[/variant]])" },
	{ .long_name = "quiet", .short_name = 'q', .type = OPT_BOOL, .help = "Do not show progress" },
	{ 0 }
};

static const struct opt_def image_rm_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Delete the image even if tags or containers refer to it" },
	{ .long_name = "no-prune", .type = OPT_BOOL, .help = "Keep untagged parent images" },
	{ .long_name = "platform", .type = OPT_STRINGS, .help = "Only delete these platforms of the image" },
	{ 0 }
};

static const struct opt_def image_save_opts[] = {
	{ .long_name = "output", .short_name = 'o', .type = OPT_STRING, .help = "Write to this file instead of standard output", .complete = COMPLETE_FILE },
	{ .long_name = "platform", .type = OPT_STRING, .help = "Platform to use (os[/arch[/variant]])" },
	{ 0 }
};

const struct command image_cmds[] = {
	{ .name = "build",
	  .usage = "[OPTIONS] PATH | URL | -",
	  .short_help = "Build an image from a Dockerfile and a context",
	  .opts = OPTS(image_build_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_DIR },
	{ .name = "exists",
	  .usage = "IMAGE",
	  .short_help = "Exit 0 if an image exists locally, 1 if it does not",
	  .handler = cmd_image_exists,
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .flags = CMD_PODMAN,
	  .complete = COMPLETE_IMAGE },
	{ .name = "history",
	  .usage = "[OPTIONS] IMAGE",
	  .short_help = "Show the layers an image was built from",
	  .handler = cmd_image_history,
	  .opts = OPTS(image_history_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE },
	{ .name = "import",
	  .usage = "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
	  .short_help = "Make an image from a tar archive of a root filesystem",
	  .handler = cmd_image_import,
	  .opts = OPTS(image_import_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_FILE },
	{ .name = "inspect",
	  .usage = "[OPTIONS] IMAGE [IMAGE...]",
	  .short_help = "Show low-level details of one or more images",
	  .handler = cmd_image_inspect,
	  .opts = OPTS(image_inspect_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE },
	{ .name = "load",
	  .usage = "[OPTIONS]",
	  .short_help = "Read images from a tar archive, a file or standard input",
	  .handler = cmd_image_load,
	  .opts = OPTS(image_load_opts),
	  .args = ARGS_NONE,
	  .complete = COMPLETE_FILE },
	{ .name = "ls",
	  .aliases = (const char *const[]){ "list", NULL },
	  .usage = "[OPTIONS] [REPOSITORY[:TAG]]",
	  .short_help = "List images",
	  .handler = cmd_image_ls,
	  .opts = OPTS(image_ls_opts),
	  .args = ARGS_MAX,
	  .args_max = 1 },
	{ .name = "prune",
	  .usage = "[OPTIONS]",
	  .short_help = "Delete images nothing uses",
	  .handler = cmd_image_prune,
	  .opts = OPTS(image_prune_opts),
	  .args = ARGS_NONE },
	{ .name = "pull",
	  .usage = "[OPTIONS] NAME[:TAG|@DIGEST]",
	  .short_help = "Fetch an image from a registry",
	  .handler = cmd_image_pull,
	  .opts = OPTS(image_pull_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE },
	{ .name = "push",
	  .usage = "[OPTIONS] NAME[:TAG]",
	  .short_help = "Send an image to a registry",
	  .handler = cmd_image_push,
	  .opts = OPTS(image_push_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE },
	{ .name = "rm",
	  .aliases = (const char *const[]){ "remove", NULL },
	  .usage = "[OPTIONS] IMAGE [IMAGE...]",
	  .short_help = "Delete one or more images",
	  .handler = cmd_image_rm,
	  .opts = OPTS(image_rm_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE },
	{ .name = "save",
	  .usage = "[OPTIONS] IMAGE [IMAGE...]",
	  .short_help = "Write one or more images to a tar archive (on standard output unless -o is given)",
	  .handler = cmd_image_save,
	  .opts = OPTS(image_save_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE },
	{ .name = "tag",
	  .usage = "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
	  .short_help = "Give an image another name (TARGET_IMAGE for SOURCE_IMAGE)",
	  .handler = cmd_image_tag,
	  .args = ARGS_EXACT,
	  .args_min = 2,
	  .complete = COMPLETE_IMAGE,
	  .flags = CMD_STOP_AT_POSITIONAL },
	{ 0 }
};

static const struct opt_def builder_prune_opts[] = {
	{ .long_name = "all", .short_name = 'a', .type = OPT_BOOL, .help = "Delete all unused cache, not only dangling entries" },
	{ .long_name = "filter", .type = OPT_LIST, .help = "Only delete entries matching a filter (e.g. \"until=24h\")", .metavar = "filter", .validate = opts_validate_filter },
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Do it without asking" },
	{ .long_name = "keep-storage", .type = OPT_BYTES, .help = "Disk space the cache may keep" },
	{ 0 }
};

const struct command builder_cmds[] = {
	{ .name = "build", .canonical = "image build" },
	{ .name = "prune",
	  .usage = "",
	  .short_help = "Delete the build cache",
	  .opts = OPTS(builder_prune_opts),
	  .args = ARGS_NONE },
	{ 0 }
};

static const struct opt_def manifest_annotate_opts[] = {
	{ .long_name = "arch", .type = OPT_STRING, .help = "CPU architecture of the entry" },
	{ .long_name = "os", .type = OPT_STRING, .help = "Operating system of the entry" },
	{ .long_name = "os-features", .type = OPT_STRINGS, .help = "Operating system features of the entry" },
	{ .long_name = "os-version", .type = OPT_STRING, .help = "Operating system version of the entry" },
	{ .long_name = "variant", .type = OPT_STRING, .help = "CPU variant of the entry" },
	{ 0 }
};

static const struct opt_def manifest_create_opts[] = {
	{ .long_name = "amend", .short_name = 'a', .type = OPT_BOOL, .help = "Change an existing manifest list" },
	{ .long_name = "insecure", .type = OPT_BOOL, .help = "Allow registries without TLS" },
	{ 0 }
};

static const struct opt_def manifest_inspect_opts[] = {
	{ .long_name = "insecure", .type = OPT_BOOL, .help = "Allow registries without TLS" },
	{ .long_name = "verbose", .short_name = 'v', .type = OPT_BOOL, .help = "Print more detail" },
	{ 0 }
};

static const struct opt_def manifest_push_opts[] = {
	{ .long_name = "insecure", .type = OPT_BOOL, .help = "Allow registries without TLS" },
	{ .long_name = "purge", .short_name = 'p', .type = OPT_BOOL, .help = "Delete the local manifest list once pushed" },
	{ 0 }
};

const struct command manifest_cmds[] = {
	{ .name = "annotate",
	  .usage = "[OPTIONS] MANIFEST_LIST MANIFEST",
	  .short_help = "Add platform details to an entry of a local manifest list",
	  .opts = OPTS(manifest_annotate_opts),
	  .args = ARGS_EXACT,
	  .args_min = 2 },
	{ .name = "create",
	  .usage = "MANIFEST_LIST MANIFEST [MANIFEST...]",
	  .short_help = "Create a local manifest list to annotate and push",
	  .opts = OPTS(manifest_create_opts),
	  .args = ARGS_MIN,
	  .args_min = 2 },
	{ .name = "inspect",
	  .usage = "[OPTIONS] [MANIFEST_LIST] MANIFEST",
	  .short_help = "Show an image manifest or a manifest list",
	  .opts = OPTS(manifest_inspect_opts),
	  .args = ARGS_RANGE,
	  .args_min = 1,
	  .args_max = 2 },
	{ .name = "push",
	  .usage = "[OPTIONS] MANIFEST_LIST",
	  .short_help = "Send a manifest list to a registry",
	  .opts = OPTS(manifest_push_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "rm",
	  .usage = "MANIFEST_LIST [MANIFEST_LIST...]",
	  .short_help = "Delete one or more local manifest lists",
	  .args = ARGS_MIN,
	  .args_min = 1 },
	{ 0 }
};

static const struct opt_def trust_key_generate_opts[] = {
	{ .long_name = "dir", .type = OPT_STRING, .help = "Directory to write the key files to", .complete = COMPLETE_DIR },
	{ 0 }
};

static const struct opt_def trust_key_load_opts[] = {
	{ .long_name = "name", .type = OPT_STRING, .def = "signer", .help = "Name of the signer" },
	{ 0 }
};

static const struct command trust_key_cmds[] = {
	{ .name = "generate",
	  .usage = "NAME",
	  .short_help = "Make a new signing key pair",
	  .opts = OPTS(trust_key_generate_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ .name = "load",
	  .usage = "[OPTIONS] KEYFILE",
	  .short_help = "Import a private signing key",
	  .opts = OPTS(trust_key_load_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1 },
	{ 0 }
};

static const struct opt_def trust_signer_add_opts[] = {
	{ .long_name = "key", .type = OPT_LIST, .help = "Path to the signer's public key", .complete = COMPLETE_FILE },
	{ 0 }
};

static const struct opt_def trust_signer_remove_opts[] = {
	{ .long_name = "force", .short_name = 'f', .type = OPT_BOOL, .help = "Do it without asking" },
	{ 0 }
};

static const struct command trust_signer_cmds[] = {
	{ .name = "add",
	  .usage = "OPTIONS NAME REPOSITORY [REPOSITORY...] ",
	  .short_help = "Allow a signer to sign a repository",
	  .opts = OPTS(trust_signer_add_opts),
	  .args = ARGS_MIN,
	  .args_min = 2 },
	{ .name = "remove",
	  .usage = "[OPTIONS] NAME REPOSITORY [REPOSITORY...]",
	  .short_help = "Withdraw a signer from a repository",
	  .opts = OPTS(trust_signer_remove_opts),
	  .args = ARGS_MIN,
	  .args_min = 2 },
	{ 0 }
};

static const struct opt_def trust_inspect_opts[] = {
	{ .long_name = "pretty", .type = OPT_BOOL, .help = "Print in a human friendly layout" },
	{ 0 }
};

static const struct opt_def trust_revoke_opts[] = {
	{ .long_name = "yes", .short_name = 'y', .type = OPT_BOOL, .help = "Do not ask for confirmation" },
	{ 0 }
};

static const struct opt_def trust_sign_opts[] = {
	{ .long_name = "local", .type = OPT_BOOL, .help = "Sign only in the local trust store" },
	{ 0 }
};

const struct command trust_cmds[] = {
	{ .name = "inspect",
	  .usage = "IMAGE[:TAG] [IMAGE[:TAG]...]",
	  .short_help = "Show the signatures of an image",
	  .opts = OPTS(trust_inspect_opts),
	  .args = ARGS_MIN,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE },
	{ .name = "key",
	  .short_help = "Manage signing keys",
	  .subcommands = trust_key_cmds },
	{ .name = "revoke",
	  .usage = "[OPTIONS] IMAGE[:TAG]",
	  .short_help = "Withdraw the signature of an image",
	  .opts = OPTS(trust_revoke_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE },
	{ .name = "sign",
	  .usage = "IMAGE:TAG",
	  .short_help = "Sign an image",
	  .opts = OPTS(trust_sign_opts),
	  .args = ARGS_EXACT,
	  .args_min = 1,
	  .complete = COMPLETE_IMAGE },
	{ .name = "signer",
	  .short_help = "Manage the signers of a repository",
	  .subcommands = trust_signer_cmds },
	{ 0 }
};
