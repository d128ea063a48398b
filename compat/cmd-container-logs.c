/* cmd-container-logs.c: `docker logs` over conmon's k8s-file log, and
 * Docker's --since/--until time syntax (also used by prune filters). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "compat/cmd-container-list.h"
#include "src/ctrlogs.h"

/* ---- GetTimestamp ------------------------------------------------------- */

static bool digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return false;
		*v = *v * 10 + (**p - '0');
	}
	return true;
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

/* The layouts GetTimestamp picks from: a date, then optionally "T" and
 * hour[:minute[:second[.fraction]]], then a zone ("Z" or ±hh:mm) unless
 * the local zone applies.  Returns ns since the epoch. */
static bool parse_time(const char *s, bool local, long local_offset, int64_t *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	int64_t frac = 0, offset = 0;
	struct tm tm = { 0 };

	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return false;
	if (*p == 'T') {
		p++;
		if (!digits(&p, 2, &h) || h > 23)
			return false;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &mi) || mi > 59)
				return false;
			if (*p == ':') {
				p++;
				if (!digits(&p, 2, &sec) || sec > 59)
					return false;
				if (*p == '.') {
					int n = 0;
					p++;
					while (*p >= '0' && *p <= '9') {
						if (n < 9) {
							frac = frac * 10 + (*p - '0');
							n++;
						}
						p++;
					}
					if (n == 0)
						return false;
					while (n++ < 9)
						frac *= 10;
				}
			}
		}
	}
	if (local) {
		if (*p)
			return false;
		offset = local_offset;
	} else if (*p == 'Z') {
		if (*++p)
			return false;
	} else if (*p == '+' || *p == '-') {
		int oh, om, sign = *p == '-' ? -1 : 1;
		p++;
		if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) || *p || oh > 23 || om > 59)
			return false;
		offset = sign * (oh * 3600 + om * 60);
	} else {
		return false;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = ((int64_t) timegm(&tm) - offset) * 1000000000 + frac;
	return true;
}

/* Unix seconds with an optional fraction: "1700000000", "1700000000.5". */
static bool parse_unix(const char *s, int64_t *out)
{
	const char *dot = strchr(s, '.');
	cleanup_free char *secs = dot ? xstrndup(s, (size_t) (dot - s)) : xstrdup(s);
	int64_t sec, nsec = 0;
	char *end;

	errno = 0;
	sec = strtoll(secs, &end, 10);
	if (!*secs || *end || errno)
		return false;
	if (dot) {
		size_t n = strlen(dot + 1);
		nsec = strtoll(dot + 1, &end, 10);
		if (!dot[1] || *end)
			return false;
		for (; n < 9; n++)
			nsec *= 10;
		for (; n > 9; n--)
			nsec /= 10;
	}
	*out = sec * 1000000000 + nsec;
	return true;
}

int ctrcmd_parse_timestamp(const char *value, int64_t now_ns, int64_t *out, robbe_error **err)
{
	robbe_error *e = NULL;
	int64_t d;
	size_t dashes = 0;
	bool local;
	time_t now_s = (time_t) (now_ns / 1000000000);
	struct tm lt;

	if (strcmp(value, "0") != 0 && opts_parse_duration(value, &d, &e) == 0) {
		/* the client sends whole seconds */
		int64_t t = now_ns - d;
		int64_t s = t / 1000000000;
		if (t < 0 && t % 1000000000)
			s--;
		*out = s * 1000000000;
		return 0;
	}
	robbe_error_free(e);
	for (const char *p = value; *p; p++)
		dashes += *p == '-';
	local = !strpbrk(value, "zZ+") && dashes != 3;
	localtime_r(&now_s, &lt);
	if (parse_time(value, local, lt.tm_gmtoff, out))
		return 0;
	if (strchr(value, '-'))
		return robbe_error_set(err, EXIT_GENERAL, "parsing time \"%s\": cannot parse as a date and time", value);
	if (!parse_unix(value, out))
		return robbe_error_set(err, EXIT_GENERAL, "failed to parse value as time or duration: \"%s\"", value);
	return 0;
}

/* ---- docker logs -------------------------------------------------------- */

struct logs_out {
	bool timestamps;
	bool details;
	int out_fd, err_fd;
};

static int write_out(int fd, const char *p, size_t n, robbe_error **err)
{
	return write_all(fd, p, n) < 0 ? robbe_error_errno(err, errno, "writing logs") : 0;
}

static int logs_line(void *data, enum log_stream stream, int64_t time, const char *text, size_t len,
		     robbe_error **err)
{
	struct logs_out *o = data;
	struct sbuf sb = SBUF_INIT;
	int fd = stream == LOG_STDERR ? o->err_fd : o->out_fd;
	int r;

	if (o->timestamps) {
		char buf[LOG_TIME_LEN];
		sbuf_adds(&sb, log_time_format(time, buf));
		sbuf_addc(&sb, ' ');
	}
	/* --details: the log's extra attributes (robbe keeps none), then a space */
	if (o->details)
		sbuf_addc(&sb, ' ');
	sbuf_add(&sb, text, len);
	r = write_out(fd, sbuf_str(&sb), sb.len, err);
	sbuf_release(&sb);
	if (r < 0 && (*err)->errnum == EPIPE) {
		/* the reader went away: stop quietly, as `logs | head` expects */
		robbe_error_free(*err);
		*err = NULL;
		return 1;
	}
	return r;
}

static volatile sig_atomic_t logs_cancel;

static void logs_on_signal(int sig)
{
	logs_cancel = sig;
}

int cmd_container_logs(struct cli_ctx *ctx, robbe_error **err)
{
	const struct opts_result *o = ctx->opts;
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_cjson cJSON *config = NULL;
	struct ctrlogs_options lo = CTRLOGS_OPTIONS_INIT;
	struct logs_out out = { opts_bool(o, "timestamps"), opts_bool(o, "details"), STDOUT_FILENO, STDERR_FILENO };
	struct runtime_paths rp = { 0 };
	cleanup_free char *exit_file = NULL;
	const char *since = opts_str(o, "since"), *until = opts_str(o, "until"), *tail = opts_str(o, "tail");
	const char *driver, *log_path;
	int64_t now = container_now_ns();
	struct sigaction sa = { 0 }, old_int, old_term, old_pipe;
	int r;

	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (container_lookup(env, ctx->argv[0], &c, err) < 0)
		return cli_daemon_error(err);
	/* the client converts the times before it asks the daemon */
	if (since && *since && ctrcmd_parse_timestamp(since, now, &lo.since, err) < 0)
		return robbe_error_wrap(err, "invalid value for \"since\"");
	if (until && *until && ctrcmd_parse_timestamp(until, now, &lo.until, err) < 0)
		return robbe_error_wrap(err, "invalid value for \"until\"");
	if (c->state == STORE_STATE_DEAD || c->state == STORE_STATE_REMOVING) {
		robbe_error_set(err, EXIT_GENERAL, "can not get logs from container which is dead or marked for removal");
		return cli_daemon_error(err);
	}
	config = container_config(c);
	driver = container_config_str(cJSON_GetObjectItemCaseSensitive(config, "HostConfig"), "LogConfig", "Type");
	if ((driver && strcmp(driver, "none") == 0) ||
	    (container_config_str(config, "Robbe", "LogDriver") &&
	     strcmp(container_config_str(config, "Robbe", "LogDriver"), "none") == 0)) {
		robbe_error_set(err, EXIT_GENERAL, "configured logging driver does not support reading");
		return cli_daemon_error(err);
	}
	{
		char *end;
		long long n;
		errno = 0;
		n = strtoll(tail ? tail : "", &end, 10);
		/* Docker's daemon takes anything that is not a number as "all" */
		lo.tail = (!tail || !*tail || *end || errno) ? -1 : n;
	}
	container_runtime_paths(env, c, &rp);
	log_path = container_config_str(config, NULL, "LogPath");
	if (!log_path || !*log_path)
		log_path = rp.log_path;
	/* Follow only what is running: a stopped container's log is complete,
	 * and a created one has none yet (Docker does not wait either). */
	if (opts_bool(o, "follow") && (container_is_active(c) || c->state == STORE_STATE_RESTARTING)) {
		exit_file = runtime_paths_exit_file(&rp, c->id);
		lo.follow = true;
		lo.exit_file = exit_file;
		lo.cancel = &logs_cancel;
	}
	sa.sa_handler = logs_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	/* a closed pipe shows up as EPIPE and ends the copy */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);
	r = log_path && *log_path ? ctrlogs_read(log_path, &lo, logs_line, &out, NULL, err) : 0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	runtime_paths_release(&rp);
	if (r < 0)
		return -1;
	/* Docker 28 ends with 128+signal when interrupted */
	return logs_cancel ? 128 + (int) logs_cancel : 0;
}
