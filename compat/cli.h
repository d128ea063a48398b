/* cli.h: the docker command tree as data, and what a command handler gets.
 *
 * Every command is one row of struct command; groups (container, image, ...)
 * hold a table of sub-rows.  Docker's top-level shorthands (ps, rmi, run,
 * images, ...) are rows whose `canonical` names the group command they stand
 * for ("container ls"): they share its options, usage, arguments and handler.
 * See docs/cli.md.
 */
#ifndef ROBBE_CLI_H
#define ROBBE_CLI_H

#include "compat/opts.h"
#include "src/paths.h"

struct store;
struct cli_ctx;

/* Entry point of the command layer: parse argv, dispatch, return the exit status. */
int cli_main(int argc, char **argv);

/* A handler returns the exit status (0 for success; a container's own
 * status for run/start -a/exec), or a negative value with *err set. */
typedef int (*cli_handler)(struct cli_ctx *ctx, robbe_error **err);

/* How many positional arguments a command takes, with Docker's wording. */
enum arg_rule {
	ARGS_ANY,	/* anything */
	ARGS_NONE,	/* "accepts no arguments" */
	ARGS_EXACT,	/* "requires N argument(s)" */
	ARGS_MIN,	/* "requires at least N argument(s)" */
	ARGS_MAX,	/* "requires at most N argument(s)" */
	ARGS_RANGE,	/* "requires at least N and at most M arguments" */
	ARGS_EXACT_COBRA, /* cobra's own: "accepts N arg(s), received M" (context use) */
};

/* struct command.flags */
#define CMD_STOP_AT_POSITIONAL	0x01	/* options end at the first positional */
#define CMD_HIDDEN		0x02	/* works, never listed */
#define CMD_COMMON		0x04	/* root help: "Common Commands" */
#define CMD_MANAGEMENT		0x08	/* a group: "Management Commands" */
#define CMD_SWARM		0x10	/* a group: "Swarm Commands" */
#define CMD_PODMAN		0x20	/* robbe's own (from Podman): listed only when not called as docker */
#define CMD_RAW_ARGS		0x40	/* no option parsing: every word is a positional (__complete) */

struct command {
	const char *name;
	const char *const *aliases;	/* NULL-terminated, or NULL */
	/* What follows the command path in "Usage:  docker container ls [OPTIONS]".
	 * "$0" stands for the program name (docker cp's second usage line). */
	const char *usage;
	const char *short_help;
	const char *long_help;		/* shown by --help instead of short_help, if set */
	const struct opt_def *const *opts; /* NULL-terminated list of tables, or NULL */
	cli_handler handler;		/* NULL: "not supported yet" */
	const struct command *subcommands; /* a group's rows, ended by {0} */
	enum arg_rule args;
	int args_min, args_max;		/* N (and M for ARGS_RANGE) */
	unsigned flags;
	/* For a shorthand row: the path of the command it stands for, from the
	 * root ("container ls").  Everything but name and flags comes from there. */
	const char *canonical;
	enum opt_complete complete;	/* what the positionals are */
	/* What those after the first are, when they differ (network connect
	 * NETWORK CONTAINER); COMPLETE_NONE: the same as the first. */
	enum opt_complete complete_rest;
};

/* The root of the tree (commands.c). */
extern const struct command cli_root;

/* Global options, as given before the command. */
struct cli_globals {
	const char *root;
	const char *runroot;
	const char *config_dir;	/* --config, else $DOCKER_CONFIG, else ~/.docker */
	const char *log_level;	/* debug, info, warn, error, fatal */
	const char *context;
	char *const *hosts;	/* -H, accepted and ignored */
	bool debug;
};

/* What a handler gets. */
struct cli_ctx {
	const char *prog;		/* "docker" or "robbe": how we were called */
	struct cli_globals g;
	const struct command *cmd;	/* the resolved (canonical) row */
	const char *path;		/* as called: "docker container ls" */
	struct opts_result *opts;	/* the command's options */
	int argc;			/* positionals */
	char **argv;
	/* Lazily filled by cli_paths() / cli_store(). */
	bool have_paths;
	struct robbe_paths paths;
	struct store *store;
};

/* The directories robbe uses (from --root/--runroot and the environment). */
int cli_paths(struct cli_ctx *ctx, const struct robbe_paths **out, robbe_error **err);
/* The store, opened on first use and closed when the command ends. */
int cli_store(struct cli_ctx *ctx, struct store **out, robbe_error **err);
/* The container engine over the store, with the log level the user chose
 * (it travels to conmon and `container cleanup`). */
struct container_env;
int cli_container_env(struct cli_ctx *ctx, struct container_env **out, robbe_error **err);
/* Docker's confirmation prompt: "<question> [y/N] " on stdout, then one
 * line of stdin; "y" or "Y" (blanks around allowed) is yes, anything else
 * or end of input no. */
bool cli_confirm(const char *question);
/* Print to stderr when --debug or --log-level=debug. */
void cli_debug(const struct cli_ctx *ctx, const char *fmt, ...) ATTR_PRINTF(2, 3);

/* Errors.  cli_main prints err->msg as it stands and exits with
 * err->status (1 when 0).  Engine errors reach the user the way daemon
 * errors do in Docker: wrap them once with cli_daemon_error(). */
int cli_daemon_error(robbe_error **err);	/* "Error response from daemon: <msg>" */
/* docker run/create's shape: "docker: <msg>\n\nRun 'docker run --help' for more information", status 125 unless set. */
int cli_run_error(const struct cli_ctx *ctx, robbe_error **err);

/* ---- attached containers (cmd-container-attach.c) ---- */
struct store_container;
struct container_attach;
/* Copy the container's streams (out, errs, in) through att until they end,
 * with the terminal raw and its size followed for a -t container, signals
 * proxied when sig_proxy; the container's exit status, or -1 with err set.
 * The detach keys (cli_detach_keys) typed on a -t container's terminal
 * end it early with 0, the container running on (run -it). */
int cli_attach_and_wait(struct cli_ctx *ctx, struct container_env *env, struct store_container *c,
			struct container_attach *att, bool out, bool errs, bool in, bool sig_proxy, robbe_error **err);
/* The detach keys in effect: --detach-keys, else config.json's
 * "detachKeys", else ctrl-p,ctrl-q.  A bad spec: Docker's words "invalid
 * detach keys (<spec>): Unknown character: '<key>'", status 1.  The
 * command must declare --detach-keys. */
struct detach_keys;
int cli_detach_keys(struct cli_ctx *ctx, struct detach_keys *out, robbe_error **err);
/* The same check as an option's validate hook (run's --detach-keys, where
 * it must happen before the container is made). */
int cli_validate_detach_keys(const char *value, robbe_error **err);
/* docker attach */
int cmd_container_attach(struct cli_ctx *ctx, robbe_error **err);

/* ---- the tree (commands.c, cli.c) ---- */

/* A row's data with shorthands resolved: the row itself, or the one its
 * `canonical` names.  NULL only if the table is broken. */
const struct command *cli_resolve(const struct command *row);
/* Look up "container ls" (names or aliases) from the root; NULL if none. */
const struct command *cli_lookup(const char *path);
/* A subcommand of `group` by name or alias. */
const struct command *cli_find_sub(const struct command *group, const char *word);
/* Scan argv[from..argc) as options of tables: the index of the first word
 * that is neither an option nor an option's value (argc if none; the word
 * after "--" counts as such a word, and *dashdash says so).  *help is set
 * when --help (or -h, unless the table gives it another meaning) comes
 * first.  Nothing is validated: the options are parsed for real later. */
int cli_skip_options(const struct opt_def *const *tables, int from, int argc, char **argv, bool *help,
		     bool *dashdash);
/* True for a row that is a group (has a subcommand table). */
bool cli_is_group(const struct command *c);
/* Is the row listed in help for this program name? */
bool cli_listed(const struct command *c, const char *prog);

/* ---- help and usage errors (cmd-help.c) ---- */

/* Columns to wrap option help at: the terminal on stdin, less one; else 79. */
int cli_help_width(void);
/* Docker's help page for `row` reached as `path` ("docker container ls"). */
void cli_render_help(const char *prog, const char *path, const struct command *row, int width, struct sbuf *out);
/* "docker container ls [OPTIONS]": the path and the usage string. */
char *cli_use_line(const char *prog, const char *path, const struct command *c);
/* Check the positional count; on failure *err holds Docker's message, status 1. */
int cli_check_args(const char *prog, const char *path, const struct command *c, int argc, robbe_error **err);
/* Wrap a parse error: "<msg>\n\nUsage:  <use line>\n\nRun '<path> --help' for more information", status 125. */
int cli_flag_error(const char *prog, const char *path, const struct command *c, robbe_error **err);

/* ---- version strings (cmd-system.c) ---- */
/* "robbe version 0.1.0, build abc1234" or, called as docker, "Docker version ...". */
char *cli_version_line(const char *prog);

/* ---- completion (cmd-complete.c) ---- */

/* Candidates for the last word of `words` (the command line after the
 * program name; the last one may be ""), one per line: "value\tdescription".
 * A last line ":file" or ":dir" asks the shell for its own file completion. */
void cli_complete(const char *prog, int nwords, char *const *words, struct sbuf *out);
/* The store hook: names for container/image/volume/network kinds.  Empty
 * until the store can list them. */
void cli_complete_objects(enum opt_complete kind, const char *prefix, char ***out);

/* ---- the tables (commands.c, cmd-*.c) and the handlers there ---- */
extern const struct command container_cmds[], checkpoint_cmds[];		/* cmd-container.c */
extern const struct command image_cmds[], builder_cmds[], manifest_cmds[], trust_cmds[]; /* cmd-image.c */
extern const struct command network_cmds[], volume_cmds[];			/* cmd-network.c */
extern const struct command system_cmds[], context_cmds[], plugin_cmds[];	/* cmd-system.c */
extern const struct command config_cmds[], node_cmds[], secret_cmds[], service_cmds[],
	stack_cmds[], swarm_cmds[];						/* cmd-swarm.c */
/* The global options (commands.c). */
extern const struct opt_def cli_global_opts[];

int cmd_version(struct cli_ctx *ctx, robbe_error **err);	/* cmd-system.c */
int cmd_system_info(struct cli_ctx *ctx, robbe_error **err);	/* cmd-system.c */
int cmd_help(struct cli_ctx *ctx, robbe_error **err);		/* cmd-help.c */
int cmd_complete(struct cli_ctx *ctx, robbe_error **err);	/* cmd-complete.c */
/* cmd-image-io.c */
int cmd_image_push(struct cli_ctx *ctx, robbe_error **err);
int cmd_image_save(struct cli_ctx *ctx, robbe_error **err);
int cmd_image_load(struct cli_ctx *ctx, robbe_error **err);
int cmd_image_import(struct cli_ctx *ctx, robbe_error **err);
int cmd_login(struct cli_ctx *ctx, robbe_error **err);
int cmd_logout(struct cli_ctx *ctx, robbe_error **err);

/* cmd-container-list.c, cmd-container-inspect.c, cmd-container-logs.c, cmd-container-stats.c */
int cmd_container_ls(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_inspect(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_port(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_exists(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_logs(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_top(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_stats(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_update(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_prune(struct cli_ctx *ctx, robbe_error **err);

/* cmd-container-run.c */
int cmd_container_create(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_run(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_start(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_stop(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_kill(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_restart(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_rm(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_wait(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_pause(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_unpause(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_rename(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_cleanup(struct cli_ctx *ctx, robbe_error **err);

/* cmd-container-files.c */
int cmd_container_cp(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_exec(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_diff(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_export(struct cli_ctx *ctx, robbe_error **err);
int cmd_container_commit(struct cli_ctx *ctx, robbe_error **err);

/* The work of the prune commands, shared with system prune: what they
 * remove is appended to deleted one per line (images as "untagged: x" /
 * "deleted: sha256:..."), the bytes freed added to *reclaimed; errors
 * come worded for the user. */
struct sbuf;
int ctrcmd_prune(struct cli_ctx *ctx, char *const *filters, struct sbuf *deleted, int64_t *reclaimed,
		 robbe_error **err);
int netcmd_prune(struct cli_ctx *ctx, char *const *filters, struct sbuf *deleted, robbe_error **err);
int imgcmd_prune(struct cli_ctx *ctx, bool all, char *const *filters, struct sbuf *deleted, int64_t *reclaimed,
		 robbe_error **err);
int cmd_system_prune(struct cli_ctx *ctx, robbe_error **err);

/* cmd-network-cmds.c (rows in cmd-network.c) */
int cmd_network_create(struct cli_ctx *ctx, robbe_error **err);
int cmd_network_exists(struct cli_ctx *ctx, robbe_error **err);
int cmd_network_inspect(struct cli_ctx *ctx, robbe_error **err);
int cmd_network_ls(struct cli_ctx *ctx, robbe_error **err);
int cmd_network_rm(struct cli_ctx *ctx, robbe_error **err);
int cmd_network_prune(struct cli_ctx *ctx, robbe_error **err);
int cmd_network_connect(struct cli_ctx *ctx, robbe_error **err);
int cmd_network_disconnect(struct cli_ctx *ctx, robbe_error **err);

#endif
