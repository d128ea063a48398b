/* cmd-container-list.h: what the container listing and inspection
 * commands (ps, inspect, logs, top, stats, update, prune, port, exists)
 * share.  The handlers themselves are declared in cli.h. */
#ifndef ROBBE_CMD_CONTAINER_LIST_H
#define ROBBE_CMD_CONTAINER_LIST_H

#include "compat/cli.h"
#include "src/container.h"

/* The container side of `docker inspect NAME` (its handler is with the
 * image commands): 1 and *obj when ref names a container (size adds
 * SizeRw and SizeRootFs), 0 when no container has that name or ID (the
 * caller tries images next), -1 with *err worded as Docker's daemon
 * otherwise. */
int ctrcmd_inspect_container(struct cli_ctx *ctx, const char *ref, bool size, cJSON **obj, robbe_error **err);

/* A string setting of the client's config.json ("psFormat",
 * "statsFormat"): --config DIR, else $DOCKER_CONFIG, else ~/.docker.
 * NULL when unset or unreadable. */
char *ctrcmd_config_str(const struct cli_ctx *ctx, const char *key);

/* Docker's Ellipsis: s cut to max_width terminal columns, the last one
 * taken by "…" when anything was cut. */
char *ctrcmd_ellipsis(const char *s, int max_width);

/* Docker's ps STATUS words for a record, at now_ns: "Up 5 seconds",
 * "Up 2 minutes (Paused)", "Exited (0) 3 seconds ago", "Created", ... */
char *ctrcmd_status_text(const struct store_container *c, int64_t now_ns);

/* The command line as ps shows it: Path and Args, args holding a space
 * in single quotes. */
char *ctrcmd_command_text(const cJSON *config);

/* Docker's PORTS column from a NetworkSettings.Ports object:
 * "0.0.0.0:8080->80/tcp, 9000-9002/tcp". */
char *ctrcmd_ports_text(const cJSON *ports);

/* A --filter list split into key and value ("label=a=b" -> "label",
 * "a=b"), in order. */
struct ctrcmd_filter {
	char *key, *value;
};
struct ctrcmd_filters {
	struct ctrcmd_filter *v;
	size_t n;
};
void ctrcmd_filters_parse(char *const *list, struct ctrcmd_filters *out);
void ctrcmd_filters_release(struct ctrcmd_filters *f);
/* Docker's "invalid filter 'x'" for a key outside accepted (NULL-terminated). */
int ctrcmd_filters_check(const struct ctrcmd_filters *f, const char *const *accepted, robbe_error **err);
bool ctrcmd_filters_has(const struct ctrcmd_filters *f, const char *key);
/* Docker's filters.Args.Match: true when key is not used, or one of its
 * values equals source or matches it as an (unanchored) regular
 * expression.  _exact: equality only (filters.Args.ExactMatch). */
bool ctrcmd_filters_match(const struct ctrcmd_filters *f, const char *key, const char *source);
bool ctrcmd_filters_exact(const struct ctrcmd_filters *f, const char *key, const char *source);
/* filters.Args.MatchKVList over the container's Config.Labels: every
 * "k" or "k=v" value of key must hold.  True when key is not used. */
bool ctrcmd_filters_match_labels(const struct ctrcmd_filters *f, const char *key, const cJSON *labels);

/* Docker's GetTimestamp: a Go duration before now, an RFC 3339 date or
 * time (local time zone when none is given), or Unix seconds[.nanos];
 * into ns since the epoch.  Durations give whole seconds, as Docker's
 * client sends them.  Errors carry Go's wording. */
int ctrcmd_parse_timestamp(const char *value, int64_t now_ns, int64_t *out, robbe_error **err);

#endif
