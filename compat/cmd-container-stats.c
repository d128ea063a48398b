/* cmd-container-stats.c: `docker top`, `docker stats`, `docker update`
 * and `docker container prune`. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat/cmd-container-list.h"
#include "compat/format.h"
#include "src/container-inspect.h"
#include "src/container-stats.h"

/* ---- docker top --------------------------------------------------------- */

int cmd_container_top(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_free char *runtime = NULL;
	struct container_top top = { 0 };
	struct sbuf args = SBUF_INIT, text = SBUF_INIT;
	struct tabwriter *tw;

	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (container_lookup(env, ctx->argv[0], &c, err) < 0)
		return cli_daemon_error(err);
	if (c->state == STORE_STATE_RESTARTING) {
		robbe_error_set(err, EXIT_GENERAL, "Container %s is restarting, wait until the container is running", c->id);
		return cli_daemon_error(err);
	}
	if (!container_is_active(c)) {
		robbe_error_set(err, EXIT_GENERAL, "container %s is not running", c->id);
		return cli_daemon_error(err);
	}
	/* the client joins the ps options with spaces; the daemon splits them */
	for (int i = 1; i < ctx->argc; i++)
		sbuf_addf(&args, "%s%s", i > 1 ? " " : "", ctx->argv[i]);
	runtime = container_runtime(c);
	if (container_top(runtime, c->id, sbuf_str(&args), &top, err) < 0) {
		sbuf_release(&args);
		return cli_daemon_error(err);
	}
	sbuf_release(&args);
	for (size_t i = 0; top.titles[i]; i++)
		sbuf_addf(&text, "%s%s", i ? "\t" : "", top.titles[i]);
	sbuf_addc(&text, '\n');
	for (size_t r = 0; r < top.n_rows; r++) {
		for (size_t i = 0; top.rows[r][i]; i++)
			sbuf_addf(&text, "%s%s", i ? "\t" : "", top.rows[r][i]);
		sbuf_addc(&text, '\n');
	}
	container_top_release(&top);
	tw = tabwriter_new(20, 3);
	tabwriter_write(tw, sbuf_str(&text), text.len);
	tabwriter_flush(tw, stdout);
	tabwriter_free(tw);
	sbuf_release(&text);
	return fflush(stdout) == 0 ? 0 : robbe_error_errno(err, errno, "writing output");
}

/* ---- docker stats ------------------------------------------------------- */

#define STATS_TABLE "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}"

struct stats_entry {
	char *container;	/* as named on the command line, or the short ID */
	char *id, *name;
	pid_t pid;		/* 0: not running, zeros are shown */
	bool invalid;		/* gone: "--" everywhere */
	bool have_prev;
	struct container_stats prev, cur;
};

struct stats_set {
	struct stats_entry *v;
	size_t n;
};

static void stats_set_release(struct stats_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].container);
		free(s->v[i].id);
		free(s->v[i].name);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static struct stats_entry *stats_find(struct stats_set *s, const char *container)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].container, container) == 0)
			return &s->v[i];
	return NULL;
}

static void stats_take(struct stats_entry *e, const struct store_container *c)
{
	free(e->id);
	free(e->name);
	e->id = xstrdup(c->id);
	e->name = xstrdup(c->name);
	e->invalid = false;
	if (!container_is_active(c)) {
		e->pid = 0;
		e->have_prev = false;
		memset(&e->cur, 0, sizeof(e->cur));
		return;
	}
	if (e->pid != c->pid) {
		/* a new process (restarted): its counters start over */
		e->have_prev = false;
		memset(&e->cur, 0, sizeof(e->cur));
	}
	e->pid = c->pid;
}

/* Which containers to show now: the named ones (looked up again each
 * time; one that went away shows "--"), or every running one (every one
 * with -a), as Docker follows container events. */
static int stats_refresh(struct container_env *env, struct cli_ctx *ctx, bool all, struct stats_set *set,
			 bool first, robbe_error **err)
{
	cleanup_sbuf struct sbuf errs = SBUF_INIT;

	if (ctx->argc > 0) {
		for (int i = 0; i < ctx->argc; i++) {
			cleanup_store_container struct store_container *c = NULL;
			struct stats_entry *e = stats_find(set, ctx->argv[i]);
			robbe_error *le = NULL;

			if (!e) {
				set->v = xrealloc(set->v, (set->n + 1) * sizeof(*set->v));
				e = &set->v[set->n++];
				memset(e, 0, sizeof(*e));
				e->container = xstrdup(ctx->argv[i]);
			}
			if (container_lookup(env, ctx->argv[i], &c, &le) < 0) {
				cli_daemon_error(&le);
				if (errs.len)
					sbuf_addc(&errs, '\n');
				sbuf_adds(&errs, le->msg);
				robbe_error_free(le);
				e->invalid = true;
				e->pid = 0;
				continue;
			}
			stats_take(e, c);
		}
		/* Docker refuses up front when a named container is missing */
		if (first && errs.len)
			return robbe_error_set(err, EXIT_GENERAL, "%s", sbuf_str(&errs));
		return 0;
	}
	{
		cleanup_store_container_list struct store_container **list = NULL;
		struct stats_set next = { 0 };

		if (container_list(env, &list, err) < 0)
			return cli_daemon_error(err);
		for (size_t i = 0; list[i]; i++) {
			cleanup_free char *short_id = xstrndup(list[i]->id, 12);
			struct stats_entry *old = stats_find(set, short_id);
			struct stats_entry *e;

			if (!all && !container_is_active(list[i]))
				continue;
			next.v = xrealloc(next.v, (next.n + 1) * sizeof(*next.v));
			e = &next.v[next.n++];
			if (old) {
				*e = *old;
				old->container = old->id = old->name = NULL;
			} else {
				memset(e, 0, sizeof(*e));
				e->container = steal_pointer(&short_id);
			}
			stats_take(e, list[i]);
		}
		stats_set_release(set);
		*set = next;
	}
	return 0;
}

static void stats_sample(struct stats_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct stats_entry *e = &set->v[i];
		struct container_stats s;
		robbe_error *ee = NULL;

		if (e->invalid || e->pid <= 0)
			continue;
		if (container_stats_read(e->pid, &s, &ee) < 0) {
			/* it stopped between the listing and now: zeros */
			robbe_error_free(ee);
			e->pid = 0;
			e->have_prev = false;
			continue;
		}
		if (e->cur.system_cpu) {
			e->prev = e->cur;
			e->have_prev = true;
		}
		e->cur = s;
	}
}

static cJSON *stats_row(const struct stats_entry *e, bool trunc)
{
	cJSON *row = cJSON_CreateObject();
	char buf[64];
	bool zero = e->pid <= 0;

	if (e->invalid) {
		cJSON_AddStringToObject(row, "BlockIO", "--");
		cJSON_AddStringToObject(row, "CPUPerc", "--");
	} else {
		cleanup_free char *r = human_size_prec(zero ? 0 : (double) e->cur.blk_read, 3);
		cleanup_free char *w = human_size_prec(zero ? 0 : (double) e->cur.blk_write, 3);
		double cpu = !zero && e->have_prev ? container_stats_cpu_percent(&e->prev, &e->cur) : 0.0;
		snprintf(buf, sizeof(buf), "%s / %s", r, w);
		cJSON_AddStringToObject(row, "BlockIO", buf);
		snprintf(buf, sizeof(buf), "%.2f%%", cpu);
		cJSON_AddStringToObject(row, "CPUPerc", buf);
	}
	cJSON_AddStringToObject(row, "Container", e->container);
	if (trunc && e->id) {
		cleanup_free char *id = xstrndup(e->id, 12);
		cJSON_AddStringToObject(row, "ID", id);
	} else {
		cJSON_AddStringToObject(row, "ID", e->id ? e->id : "");
	}
	if (e->invalid) {
		cJSON_AddStringToObject(row, "MemPerc", "--");
		cJSON_AddStringToObject(row, "MemUsage", "-- / --");
	} else {
		cleanup_free char *u = human_size_binary(zero ? 0 : (double) e->cur.mem_usage);
		cleanup_free char *l = human_size_binary(zero ? 0 : (double) e->cur.mem_limit);
		snprintf(buf, sizeof(buf), "%.2f%%", zero ? 0.0 : container_stats_mem_percent(&e->cur));
		cJSON_AddStringToObject(row, "MemPerc", buf);
		snprintf(buf, sizeof(buf), "%s / %s", u, l);
		cJSON_AddStringToObject(row, "MemUsage", buf);
	}
	cJSON_AddStringToObject(row, "Name", e->name && *e->name ? e->name : "--");
	if (e->invalid) {
		cJSON_AddStringToObject(row, "NetIO", "--");
		cJSON_AddStringToObject(row, "PIDs", "--");
	} else {
		cleanup_free char *rx = human_size_prec(zero ? 0 : (double) e->cur.net_rx, 3);
		cleanup_free char *tx = human_size_prec(zero ? 0 : (double) e->cur.net_tx, 3);
		snprintf(buf, sizeof(buf), "%s / %s", rx, tx);
		cJSON_AddStringToObject(row, "NetIO", buf);
		snprintf(buf, sizeof(buf), "%llu", zero ? 0ULL : (unsigned long long) e->cur.pids);
		cJSON_AddStringToObject(row, "PIDs", buf);
	}
	return row;
}

static cJSON *stats_headers(void)
{
	cJSON *h = cJSON_CreateObject();

	cJSON_AddStringToObject(h, "Container", "CONTAINER");
	cJSON_AddStringToObject(h, "Name", "NAME");
	cJSON_AddStringToObject(h, "ID", "CONTAINER ID");
	cJSON_AddStringToObject(h, "CPUPerc", "CPU %");
	cJSON_AddStringToObject(h, "MemUsage", "MEM USAGE / LIMIT");
	cJSON_AddStringToObject(h, "MemPerc", "MEM %");
	cJSON_AddStringToObject(h, "NetIO", "NET I/O");
	cJSON_AddStringToObject(h, "BlockIO", "BLOCK I/O");
	cJSON_AddStringToObject(h, "PIDs", "PIDS");
	return h;
}

static int stats_render(const char *format, const struct stats_set *set, bool trunc, struct sbuf *out,
			robbe_error **err)
{
	cleanup_cjson cJSON *headers = stats_headers();
	struct formatter *f = NULL;
	bool json_lines = strcmp(format, "json") == 0;

	if (!json_lines && formatter_new(format, NULL, headers, NULL, &f, err) < 0)
		return -1;
	for (size_t i = 0; i < set->n; i++) {
		cleanup_cjson cJSON *row = stats_row(&set->v[i], trunc);
		if (json_lines) {
			cleanup_free char *line = json_encode_go(row, false, true);
			sbuf_addf(out, "%s\n", line);
			continue;
		}
		if (formatter_row(f, row, err) < 0) {
			formatter_free(f);
			return -1;
		}
	}
	if (f) {
		formatter_render(f, out);
		formatter_free(f);
	}
	return 0;
}

static volatile sig_atomic_t stats_stop;

static void stats_on_signal(int sig)
{
	stats_stop = sig;
}

/* Sleep about ms milliseconds unless a signal asks to stop. */
static void stats_sleep(int ms)
{
	struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };

	while (!stats_stop && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int cmd_container_stats(struct cli_ctx *ctx, robbe_error **err)
{
	const struct opts_result *o = ctx->opts;
	cleanup_container_env struct container_env *env = NULL;
	cleanup_free char *config_format = NULL;
	__attribute__((cleanup(stats_set_release))) struct stats_set set = { 0 };
	const char *format = opts_str(o, "format");
	bool stream = !opts_bool(o, "no-stream"), trunc = !opts_bool(o, "no-trunc"), all = opts_bool(o, "all");
	struct sigaction sa = { 0 };
	bool first = true;

	if (!format || !*format) {
		config_format = ctrcmd_config_str(ctx, "statsFormat");
		format = config_format ? config_format : "table";
	}
	if (strcmp(format, "table") == 0)
		format = STATS_TABLE;
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	sa.sa_handler = stats_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		cleanup_sbuf struct sbuf text = SBUF_INIT;
		bool any_running = false;

		if (stats_refresh(env, ctx, all, &set, first, err) < 0)
			return -1;
		stats_sample(&set);
		for (size_t i = 0; i < set.n; i++)
			any_running |= set.v[i].pid > 0 && !set.v[i].have_prev;
		/* CPU % needs two samples; Docker's daemon takes them a second apart */
		if (first && any_running) {
			stats_sleep(1000);
			stats_sample(&set);
		}
		if (stats_stop)
			return 128 + (int) stats_stop;	/* as Docker 28 exits when interrupted */
		if (stats_render(format, &set, trunc, &text, err) < 0)
			return -1;
		if (stream) {
			struct sbuf screen = SBUF_INIT;
			const char *p = sbuf_str(&text);
			/* home, each line with the rest of it erased, then the rest of
			 * the screen: the table is redrawn in place */
			sbuf_adds(&screen, "\033[H");
			while (*p) {
				const char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t) (nl - p) : strlen(p);
				sbuf_add(&screen, p, n);
				sbuf_adds(&screen, "\033[K\n");
				p += n + (nl ? 1 : 0);
			}
			sbuf_adds(&screen, "\033[J");
			fwrite(screen.buf, 1, screen.len, stdout);
			sbuf_release(&screen);
		} else {
			fwrite(sbuf_str(&text), 1, text.len, stdout);
		}
		if (fflush(stdout) != 0)
			return robbe_error_errno(err, errno, "writing output");
		first = false;
		if (!stream || (ctx->argc > 0 && set.n == 0))
			return 0;
		stats_sleep(1000);
		if (stats_stop)
			return 128 + (int) stats_stop;
	}
}

/* ---- docker update ------------------------------------------------------ */

/* Docker's opts.ParseRestartPolicy. */
static int parse_restart(const char *s, char **name, int64_t *max, robbe_error **err)
{
	const char *colon = strchr(s, ':');

	*max = 0;
	if (colon && colon == s)
		return robbe_error_set(err, EXIT_GENERAL, "invalid restart policy format: no policy provided before colon");
	if (colon && colon[1]) {
		char *end;
		errno = 0;
		*max = strtoll(colon + 1, &end, 10);
		if (*end || errno)
			return robbe_error_set(err, EXIT_GENERAL,
					       "invalid restart policy format: maximum retry count must be an integer");
	}
	*name = colon ? xstrndup(s, (size_t) (colon - s)) : xstrdup(s);
	return 0;
}

int cmd_container_update(struct cli_ctx *ctx, robbe_error **err)
{
	const struct opts_result *o = ctx->opts;
	cleanup_container_env struct container_env *env = NULL;
	cleanup_free char *restart = NULL;
	cleanup_sbuf struct sbuf errs = SBUF_INIT;
	struct container_update_request req = { 0 };
	const char *policy = opts_str(o, "restart");
	size_t nflag = 0;

	for (size_t i = 0; i < o->n; i++)
		nflag += o->vals[i].changed;
	if (nflag == 0)
		return robbe_error_set(err, EXIT_GENERAL, "you must provide one or more flags when using this command");
	if (policy && *policy) {
		if (parse_restart(policy, &restart, &req.restart_max, err) < 0)
			return -1;
		req.restart_name = restart;
	}
	req.blkio_weight = opts_uint(o, "blkio-weight");
	req.cpuset_cpus = opts_str(o, "cpuset-cpus");
	req.cpuset_mems = opts_str(o, "cpuset-mems");
	req.cpu_shares = opts_int(o, "cpu-shares");
	req.memory = opts_bytes(o, "memory");
	req.memory_reservation = opts_bytes(o, "memory-reservation");
	req.memory_swap = opts_bytes(o, "memory-swap");
	req.kernel_memory = opts_bytes(o, "kernel-memory");
	req.cpu_period = opts_int(o, "cpu-period");
	req.cpu_quota = opts_int(o, "cpu-quota");
	req.cpu_rt_period = opts_int(o, "cpu-rt-period");
	req.cpu_rt_runtime = opts_int(o, "cpu-rt-runtime");
	req.nano_cpus = opts_decimal_nano(o, "cpus");
	req.pids_limit = opts_int(o, "pids-limit");
	req.pids_limit_set = req.pids_limit != 0;

	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		cleanup_store_container struct store_container *c = NULL;
		robbe_error *e = NULL;

		if (container_lookup(env, ctx->argv[i], &c, &e) < 0 || container_update(env, c, &req, &e) < 0) {
			cli_daemon_error(&e);
			if (errs.len)
				sbuf_addc(&errs, '\n');
			sbuf_adds(&errs, e->msg);
			robbe_error_free(e);
			continue;
		}
		printf("%s\n", ctx->argv[i]);
	}
	fflush(stdout);
	if (errs.len)
		return robbe_error_set(err, EXIT_GENERAL, "%s", sbuf_str(&errs));
	return 0;
}

/* ---- docker container prune ---------------------------------------------- */

static const char *const prune_filter_keys[] = { "label", "label!", "until", NULL };

/* A label! filter excludes containers whose labels match all of them. */
static bool prune_labels_match(const struct ctrcmd_filters *f, const cJSON *labels)
{
	if (!ctrcmd_filters_match_labels(f, "label", labels))
		return false;
	if (ctrcmd_filters_has(f, "label!") && ctrcmd_filters_match_labels(f, "label!", labels))
		return false;
	return true;
}

int ctrcmd_prune(struct cli_ctx *ctx, char *const *filters, struct sbuf *deleted, int64_t *reclaimed,
		 robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container_list struct store_container **list = NULL;
	__attribute__((cleanup(ctrcmd_filters_release))) struct ctrcmd_filters f = { 0 };
	int64_t until = 0;
	size_t n_until = 0;

	ctrcmd_filters_parse(filters, &f);
	if (ctrcmd_filters_check(&f, prune_filter_keys, err) < 0)
		return cli_daemon_error(err);
	for (size_t i = 0; i < f.n; i++) {
		if (strcmp(f.v[i].key, "until") != 0)
			continue;
		if (++n_until > 1) {
			robbe_error_set(err, EXIT_GENERAL, "more than one until filter specified");
			return cli_daemon_error(err);
		}
		if (ctrcmd_parse_timestamp(f.v[i].value, container_now_ns(), &until, err) < 0)
			return cli_daemon_error(err);
	}
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (container_list(env, &list, err) < 0)
		return cli_daemon_error(err);
	for (size_t i = 0; list[i]; i++) {
		struct store_container *c = list[i];
		cleanup_cjson cJSON *config = container_config(c);
		const cJSON *labels = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "Config"),
								       "Labels");
		struct container_size sz = { 0, 0 };
		robbe_error *e = NULL;

		if (container_is_active(c) || c->state == STORE_STATE_RESTARTING)
			continue;
		if (n_until && c->created > until)
			continue;
		if (!prune_labels_match(&f, labels))
			continue;
		if (container_size_get(env->store, c, config, &sz, &e) < 0) {
			robbe_error_free(e);
			e = NULL;
		}
		if (container_remove(env, c, false, false, &e) < 0) {
			/* the daemon only logs what it could not remove */
			cli_debug(ctx, "prune: %s: %s", c->id, e->msg);
			robbe_error_free(e);
			continue;
		}
		sbuf_addf(deleted, "%s\n", c->id);
		*reclaimed += sz.rw;
	}
	/* Not containers any more, so not listed: what killed robbes left. */
	container_sweep_orphans(env);
	return 0;
}

int cmd_container_prune(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_sbuf struct sbuf deleted = SBUF_INIT;
	cleanup_free char *total = NULL;
	int64_t reclaimed = 0;

	if (!opts_bool(ctx->opts, "force") &&
	    !cli_confirm("WARNING! This will remove all stopped containers.\nAre you sure you want to continue?"))
		return 0;	/* cancelled: Docker says nothing more and exits 0 */
	if (ctrcmd_prune(ctx, opts_list(ctx->opts, "filter"), &deleted, &reclaimed, err) < 0)
		return -1;
	if (deleted.len)
		printf("Deleted Containers:\n%s\n", sbuf_str(&deleted));
	total = human_size_prec((double) reclaimed, 4);
	printf("Total reclaimed space: %s\n", total);
	return fflush(stdout) == 0 ? 0 : robbe_error_errno(err, errno, "writing output");
}
