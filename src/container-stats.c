/* container-stats.c: cgroup v1/v2 and /proc readers behind `docker stats`. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <regex.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container-internal.h"
#include "container-stats.h"
#include "runtime.h"

/* cgroup files are small; anything bigger than this is not one. */
#define CGROUP_FILE_MAX (1024 * 1024)

static bool list_has(const char *list, size_t len, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list, *end = list + len;

	while (p < end) {
		const char *comma = memchr(p, ',', (size_t) (end - p));
		size_t n = comma ? (size_t) (comma - p) : (size_t) (end - p);
		if (n == wl && memcmp(p, word, wl) == 0)
			return true;
		p += n + 1;
	}
	return false;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static char *unescape_mount(const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3') {
			sbuf_addc(&sb, (char) (((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0')));
			i += 3;
		} else {
			sbuf_addc(&sb, s[i]);
		}
	}
	return sbuf_detach(&sb);
}

/* The mount of a cgroup hierarchy: controller names a v1 controller, NULL
 * the v2 hierarchy.  *root is the cgroup at the mount point. */
static int cgroup_mount(const char *controller, char **mountpoint, char **root, robbe_error **err)
{
	cleanup_free char *text = NULL;
	char *line, *save = NULL;

	if (read_file_all("/proc/self/mountinfo", 16 * CGROUP_FILE_MAX, &text, NULL, err) < 0)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[6] = { 0 };
		char *sep = strstr(line, " - ");
		char *p = line, *fstype, *super;
		int k;

		if (!sep)
			continue;
		*sep = '\0';
		for (k = 0; k < 6 && p; k++) {
			f[k] = p;
			p = strchr(p, ' ');
			if (p)
				*p++ = '\0';
		}
		if (k < 5 || !f[3] || !f[4])
			continue;
		fstype = sep + 3;
		p = strchr(fstype, ' ');
		if (!p)
			continue;
		*p++ = '\0';
		super = strchr(p, ' ');	/* after the source */
		super = super ? super + 1 : (char *) "";
		if (controller ? strcmp(fstype, "cgroup") != 0 || !list_has(super, strlen(super), controller)
			       : strcmp(fstype, "cgroup2") != 0)
			continue;
		*root = unescape_mount(f[3], strlen(f[3]));
		*mountpoint = unescape_mount(f[4], strlen(f[4]));
		return 0;
	}
	return robbe_error_errno(err, ENOENT, "no cgroup mount for %s", controller ? controller : "cgroup2");
}

int cgroup_dir_of(pid_t pid, const char *controller, char **out, robbe_error **err)
{
	cleanup_free char *path = xasprintf("/proc/%d/cgroup", (int) pid);
	cleanup_free char *text = NULL, *v1 = NULL, *v2 = NULL;
	cleanup_free char *mnt = NULL, *root = NULL;
	char *line, *save = NULL;
	const char *rel;
	size_t rl;

	if (read_file_all(path, CGROUP_FILE_MAX, &text, NULL, err) < 0) {
		if ((*err)->errnum == ENOENT)
			(*err)->errnum = ESRCH;
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		if (c1 - line == 1 && line[0] == '0' && c2 == c1 + 1) {
			free(v2);
			v2 = xstrdup(c2 + 1);
		} else if (controller && list_has(c1 + 1, (size_t) (c2 - c1 - 1), controller)) {
			free(v1);
			v1 = xstrdup(c2 + 1);
		}
	}
	if (v1) {
		if (cgroup_mount(controller, &mnt, &root, err) < 0)
			return -1;
	} else if (v2) {
		if (cgroup_mount(NULL, &mnt, &root, err) < 0)
			return -1;
	} else {
		return robbe_error_errno(err, ENOENT, "process %d has no cgroup for %s", (int) pid,
					 controller ? controller : "cgroup2");
	}
	rel = v1 ? v1 : v2;
	/* The hierarchy is mounted from root down: the process's cgroup must
	 * lie below it to be reachable here. */
	rl = strlen(root);
	if (strcmp(root, "/") != 0) {
		if (strncmp(rel, root, rl) != 0 || (rel[rl] != '/' && rel[rl] != '\0'))
			return robbe_error_errno(err, ENOENT, "cgroup %s of process %d is outside the mount of %s",
						 rel, (int) pid, root);
		rel += rl;
	}
	*out = xasprintf("%s%s", mnt, strcmp(rel, "/") == 0 ? "" : rel);
	return 0;
}

static char *read_small(const char *dir, const char *name)
{
	cleanup_free char *path = xasprintf("%s/%s", dir, name);
	char *text = NULL;
	robbe_error *e = NULL;

	if (read_file_all(path, CGROUP_FILE_MAX, &text, NULL, &e) < 0) {
		robbe_error_free(e);
		return NULL;
	}
	return text;
}

/* A file holding one number ("max" reads as UINT64_MAX); 0 if absent. */
static uint64_t read_u64(const char *dir, const char *name)
{
	cleanup_free char *text = read_small(dir, name);

	if (!text)
		return 0;
	if (strncmp(text, "max", 3) == 0)
		return UINT64_MAX;
	return strtoull(text, NULL, 10);
}

/* "key value" lines (memory.stat, cpu.stat): the value of key, 0 if absent. */
static uint64_t stat_value(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, kl) == 0 && p[kl] == ' ')
			return strtoull(p + kl + 1, NULL, 10);
	return 0;
}

uint64_t host_memory_total(void)
{
	cleanup_free char *text = NULL;
	robbe_error *e = NULL;
	const char *p;

	if (read_file_all("/proc/meminfo", CGROUP_FILE_MAX, &text, NULL, &e) < 0) {
		robbe_error_free(e);
		return 0;
	}
	p = strstr(text, "MemTotal:");
	return p ? strtoull(p + 9, NULL, 10) * 1024 : 0;
}

/* The machine's CPU time in ns: user+nice+system+idle+iowait+irq+softirq
 * of the "cpu" line, as Docker sums it. */
static uint64_t system_cpu_ns(void)
{
	cleanup_free char *text = NULL;
	robbe_error *e = NULL;
	uint64_t ticks = 0;
	long hz = sysconf(_SC_CLK_TCK);
	char *p;

	if (read_file_all("/proc/stat", 16 * CGROUP_FILE_MAX, &text, NULL, &e) < 0) {
		robbe_error_free(e);
		return 0;
	}
	if (strncmp(text, "cpu ", 4) != 0 || hz <= 0)
		return 0;
	p = text + 4;
	for (int i = 0; i < 7; i++)
		ticks += strtoull(p, &p, 10);
	return ticks * (1000000000ULL / (uint64_t) hz);
}

static void read_memory(pid_t pid, struct container_stats *st)
{
	cleanup_free char *dir = NULL, *stat = NULL, *probe = NULL;
	robbe_error *e = NULL;
	uint64_t usage, inactive, limit, host = host_memory_total();

	if (cgroup_dir_of(pid, "memory", &dir, &e) < 0) {
		robbe_error_free(e);
		return;
	}
	stat = read_small(dir, "memory.stat");
	/* v1 has memory.usage_in_bytes; v2 memory.current */
	probe = xasprintf("%s/memory.usage_in_bytes", dir);
	if (access(probe, F_OK) == 0) {
		usage = read_u64(dir, "memory.usage_in_bytes");
		limit = read_u64(dir, "memory.limit_in_bytes");
		inactive = stat ? stat_value(stat, "total_inactive_file") : 0;
	} else {
		usage = read_u64(dir, "memory.current");
		limit = read_u64(dir, "memory.max");
		inactive = stat ? stat_value(stat, "inactive_file") : 0;
	}
	st->mem_usage = inactive < usage ? usage - inactive : usage;
	st->mem_limit = limit == 0 || (host > 0 && limit > host) ? host : limit;
}

/* The container's cgroup v2 directory (the v1 controller was not there),
 * or NULL. */
static char *unified_dir(pid_t pid)
{
	cleanup_error robbe_error *e = NULL;
	char *dir = NULL;

	return cgroup_dir_of(pid, NULL, &dir, &e) < 0 ? NULL : dir;
}

static void read_cpu(pid_t pid, struct container_stats *st)
{
	cleanup_free char *dir = NULL, *stat = NULL;
	robbe_error *e = NULL;

	if (cgroup_dir_of(pid, "cpuacct", &dir, &e) == 0 && (stat = read_small(dir, "cpuacct.usage")) != NULL) {
		st->cpu_total = strtoull(stat, NULL, 10);
		return;
	}
	robbe_error_free(e);
	free(dir);
	if (!(dir = unified_dir(pid)))
		return;
	stat = read_small(dir, "cpu.stat");
	if (stat)
		st->cpu_total = stat_value(stat, "usage_usec") * 1000;
}

/* v1: "MAJ:MIN Read N" lines; v2: "MAJ:MIN rbytes=N wbytes=N ...". */
static void read_blkio(pid_t pid, struct container_stats *st)
{
	cleanup_free char *dir = NULL, *text = NULL;
	robbe_error *e = NULL;
	char *line, *save = NULL;

	if (cgroup_dir_of(pid, "blkio", &dir, &e) == 0) {
		text = read_small(dir, "blkio.throttle.io_service_bytes_recursive");
		if (!text)
			text = read_small(dir, "blkio.io_service_bytes_recursive");
		for (line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
			char dev[64], op[32];
			unsigned long long v;
			if (sscanf(line, "%63s %31s %llu", dev, op, &v) != 3)
				continue;
			if (op[0] == 'r' || op[0] == 'R')
				st->blk_read += v;
			else if (op[0] == 'w' || op[0] == 'W')
				st->blk_write += v;
		}
		return;
	}
	robbe_error_free(e);
	free(dir);
	if (!(dir = unified_dir(pid)))
		return;
	text = read_small(dir, "io.stat");
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		const char *r = strstr(line, " rbytes="), *w = strstr(line, " wbytes=");
		if (r)
			st->blk_read += strtoull(r + 8, NULL, 10);
		if (w)
			st->blk_write += strtoull(w + 8, NULL, 10);
	}
}

static void read_pids(pid_t pid, struct container_stats *st)
{
	cleanup_free char *dir = NULL;
	robbe_error *e = NULL;

	if (cgroup_dir_of(pid, "pids", &dir, &e) < 0) {
		robbe_error_free(e);
		return;
	}
	st->pids = read_u64(dir, "pids.current");
}

/* /proc/<pid>/net/dev lists the interfaces of the process's network
 * namespace: "  eth0: rxbytes rxpackets ... (8 fields) txbytes ...". */
static void read_net(pid_t pid, struct container_stats *st)
{
	cleanup_free char *path = xasprintf("/proc/%d/net/dev", (int) pid);
	cleanup_free char *text = NULL;
	robbe_error *e = NULL;
	char *line, *save = NULL;

	if (read_file_all(path, CGROUP_FILE_MAX, &text, NULL, &e) < 0) {
		robbe_error_free(e);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *name = line, *p;
		uint64_t v[9];
		if (!colon)
			continue;
		*colon = '\0';
		while (*name == ' ')
			name++;
		if (strcmp(name, "lo") == 0)
			continue;
		p = colon + 1;
		for (int i = 0; i < 9; i++)
			v[i] = strtoull(p, &p, 10);
		st->net_rx += v[0];
		st->net_tx += v[8];
	}
}

int container_stats_read(pid_t pid, struct container_stats *out, robbe_error **err)
{
	cleanup_free char *proc = xasprintf("/proc/%d", (int) pid);
	long n;

	memset(out, 0, sizeof(*out));
	if (pid <= 0 || access(proc, F_OK) < 0)
		return robbe_error_errno(err, ESRCH, "process %d", (int) pid);
	out->system_cpu = system_cpu_ns();
	n = sysconf(_SC_NPROCESSORS_ONLN);
	out->online_cpus = n > 0 ? (unsigned) n : 1;
	read_cpu(pid, out);
	read_memory(pid, out);
	read_blkio(pid, out);
	read_pids(pid, out);
	read_net(pid, out);
	return 0;
}

double container_stats_cpu_percent(const struct container_stats *prev, const struct container_stats *cur)
{
	double cpu = (double) cur->cpu_total - (double) prev->cpu_total;
	double sys = (double) cur->system_cpu - (double) prev->system_cpu;

	if (sys > 0.0 && cpu > 0.0)
		return cpu / sys * (double) cur->online_cpus * 100.0;
	return 0.0;
}

double container_stats_mem_percent(const struct container_stats *s)
{
	return s->mem_limit ? (double) s->mem_usage / (double) s->mem_limit * 100.0 : 0.0;
}

/* ---- docker top --------------------------------------------------------- */

void container_top_release(struct container_top *t)
{
	strv_free(t->titles);
	for (size_t i = 0; i < t->n_rows; i++)
		strv_free(t->rows[i]);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* Words split at ASCII white space, as Docker's fieldsASCII. */
static char **fields_ascii(const char *line)
{
	char **v = xcalloc(1, sizeof(*v));	/* never NULL, even for an empty line */
	const char *p = line;

	for (;;) {
		const char *start;
		while (*p == ' ' || *p == '\t' || *p == '\f' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\f' && *p != '\r' && *p != '\n')
			p++;
		strv_push_take(&v, xstrndup(start, (size_t) (p - start)));
	}
	return v;
}

/* Make a row of exactly ntitles fields: the overhanging ones join the last. */
static char **top_row(char **fields, size_t ntitles)
{
	size_t n = strv_len(fields);
	char **row = xcalloc(1, sizeof(*row));
	struct sbuf last = SBUF_INIT;

	for (size_t i = 0; i + 1 < ntitles && i < n; i++)
		strv_push(&row, fields[i]);
	for (size_t i = ntitles - 1; i < n; i++) {
		if (i > ntitles - 1)
			sbuf_addc(&last, ' ');
		sbuf_adds(&last, fields[i]);
	}
	strv_push_take(&row, sbuf_detach(&last));
	return row;
}

int container_top_parse(const char *ps_output, const pid_t *pids, size_t n_pids, struct container_top *out,
			robbe_error **err)
{
	cleanup_free char *text = xstrdup(ps_output);
	char *line, *next;
	ssize_t pid_col = -1;
	size_t ntitles;
	bool in_container = false;

	memset(out, 0, sizeof(*out));
	next = strchr(text, '\n');
	if (next)
		*next++ = '\0';
	out->titles = fields_ascii(text);
	ntitles = strv_len(out->titles);
	for (size_t i = 0; i < ntitles; i++)
		if (strcmp(out->titles[i], "PID") == 0) {
			pid_col = (ssize_t) i;
			break;
		}
	if (pid_col < 0) {
		container_top_release(out);
		return robbe_error_set(err, EXIT_GENERAL, "Couldn't find PID field in ps output");
	}
	for (line = next; line; line = next) {
		cleanup_strv char **fields = NULL;
		const char *pf;
		char *end;
		long p;
		bool ours = false;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line)
			continue;
		fields = fields_ascii(line);
		if ((size_t) pid_col >= strv_len(fields))
			continue;
		pf = fields[pid_col];
		/* thread rows (ps -L, "m") have "-" for a PID: they belong to
		 * the process row above them */
		if (strcmp(pf, "-") == 0) {
			if (in_container) {
				out->rows = xrealloc(out->rows, (out->n_rows + 1) * sizeof(*out->rows));
				out->rows[out->n_rows++] = top_row(fields, ntitles);
			}
			continue;
		}
		errno = 0;
		p = strtol(pf, &end, 10);
		if (*end || errno || end == pf) {
			container_top_release(out);
			return robbe_error_set(err, EXIT_GENERAL, "Unexpected pid '%s': strconv.Atoi: parsing \"%s\": invalid syntax",
					       pf, pf);
		}
		for (size_t i = 0; i < n_pids; i++)
			if (pids[i] == (pid_t) p)
				ours = true;
		in_container = ours;
		if (ours) {
			out->rows = xrealloc(out->rows, (out->n_rows + 1) * sizeof(*out->rows));
			out->rows[out->n_rows++] = top_row(fields, ntitles);
		}
	}
	return 0;
}

/* Run argv with stdin on /dev/null; collect stdout and stderr (each at most
 * 16 MiB) and the exit status. */
static int run_capture(char *const argv[], char **out, char **errtext, int *status, robbe_error **err)
{
	extern char **environ;
	struct sbuf o = SBUF_INIT, e = SBUF_INIT;
	int pout[2], perr[2], fds[3], st = 0;
	pid_t pid;

	if (pipe2(pout, O_CLOEXEC) < 0)
		return robbe_error_errno(err, errno, "pipe");
	if (pipe2(perr, O_CLOEXEC) < 0) {
		close(pout[0]);
		close(pout[1]);
		return robbe_error_errno(err, errno, "pipe");
	}
	fds[0] = -1;
	fds[1] = pout[1];
	fds[2] = perr[1];
	if (spawn_process(argv, environ, fds, 3, false, &pid, err) < 0) {
		close(pout[0]);
		close(pout[1]);
		close(perr[0]);
		close(perr[1]);
		return -1;
	}
	close(pout[1]);
	close(perr[1]);
	{
		struct pollfd pf[2] = { { pout[0], POLLIN, 0 }, { perr[0], POLLIN, 0 } };
		int open_fds = 2;
		while (open_fds > 0) {
			if (poll(pf, 2, -1) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (int k = 0; k < 2; k++) {
				struct sbuf *sb = k == 0 ? &o : &e;
				char buf[8192];
				ssize_t n;
				if (pf[k].fd < 0 || !(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				n = read(pf[k].fd, buf, sizeof(buf));
				if (n < 0 && errno == EINTR)
					continue;
				if (n <= 0) {
					close(pf[k].fd);
					pf[k].fd = -1;
					open_fds--;
					continue;
				}
				if (sb->len < 16 * 1024 * 1024)
					sbuf_add(sb, buf, (size_t) n);
			}
		}
		for (int k = 0; k < 2; k++)
			if (pf[k].fd >= 0)
				close(pf[k].fd);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	*out = sbuf_detach(&o);
	*errtext = sbuf_detach(&e);
	return 0;
}

/* Docker refuses ps options that rename the PID column to something else. */
static int check_ps_args(const char *args, robbe_error **err)
{
	regex_t re;
	regmatch_t m[3];
	const char *p = args;

	if (regcomp(&re, "[[:space:]]+([^[:space:]]*)=[[:space:]]*(PID[^[:space:]]*)", REG_EXTENDED) != 0)
		return 0;
	while (regexec(&re, p, 3, m, 0) == 0) {
		size_t kl = (size_t) (m[1].rm_eo - m[1].rm_so);
		if (kl != 3 || strncmp(p + m[1].rm_so, "pid", 3) != 0) {
			robbe_error_set(err, EXIT_GENERAL, "specifying \"%.*s=%.*s\" is not allowed", (int) kl,
					p + m[1].rm_so, (int) (m[2].rm_eo - m[2].rm_so), p + m[2].rm_so);
			regfree(&re);
			return -1;
		}
		p += m[0].rm_eo;
	}
	regfree(&re);
	return 0;
}

static int runtime_pids(const char *runtime, const char *id, pid_t **pids, size_t *n, robbe_error **err)
{
	char *args[] = { (char *) "ps", (char *) "--format", (char *) "json", (char *) id, NULL };
	cleanup_free char *out = NULL;
	cleanup_cjson cJSON *arr = NULL;
	const cJSON *p;

	if (runtime_run(runtime, args, 0, &out, err) < 0)
		return -1;
	arr = cJSON_Parse(out ? out : "");
	if (!cJSON_IsArray(arr))
		return robbe_error_set(err, EXIT_GENERAL, "the runtime's ps printed no list of pids");
	*n = 0;
	*pids = xcalloc((size_t) cJSON_GetArraySize(arr) + 1, sizeof(**pids));
	cJSON_ArrayForEach(p, arr)
		if (cJSON_IsNumber(p))
			(*pids)[(*n)++] = (pid_t) p->valuedouble;
	return 0;
}

int container_top(const char *runtime, const char *id, const char *ps_args, struct container_top *out,
		  robbe_error **err)
{
	cleanup_free pid_t *pids = NULL;
	cleanup_free char *ps = NULL, *text = NULL, *errtext = NULL, *spaced = NULL;
	cleanup_strv char **argv = NULL;
	struct sbuf q = SBUF_INIT;
	size_t n = 0;
	int status = 0;

	if (!ps_args || !*ps_args)
		ps_args = "-ef";
	/* the pattern wants white space before each key, as Docker's */
	spaced = xasprintf(" %s", ps_args);
	if (check_ps_args(spaced, err) < 0)
		return -1;
	if (runtime_pids(runtime, id, &pids, &n, err) < 0)
		return -1;
	if (find_program("ps", NULL, &ps, err) < 0)
		return -1;
	strv_push(&argv, ps);
	/* strings.Split: every space separates, empty words included */
	for (const char *p = ps_args;;) {
		const char *sp = strchr(p, ' ');
		strv_push_take(&argv, sp ? xstrndup(p, (size_t) (sp - p)) : xstrdup(p));
		if (!sp)
			break;
		p = sp + 1;
	}
	sbuf_adds(&q, "-q");
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&q, "%s%d", i ? "," : "", (int) pids[i]);
	strv_push_take(&argv, sbuf_detach(&q));
	if (n > 0 && run_capture(argv, &text, &errtext, &status, err) < 0)
		return -1;
	if (n == 0 || status != 0) {
		/* some options (f, for one) do not combine with -q */
		size_t len = strv_len(argv);
		free(argv[len - 1]);
		argv[len - 1] = NULL;
		free(text);
		free(errtext);
		text = errtext = NULL;
		if (run_capture(argv, &text, &errtext, &status, err) < 0)
			return -1;
		if (status != 0) {
			char *nl = strchr(errtext, '\n');
			if (nl)
				*nl = '\0';
			if (*errtext)
				return robbe_error_set(err, EXIT_GENERAL, "ps: %s", errtext);
			return robbe_error_set(err, EXIT_GENERAL, "ps: exit status %d", status);
		}
	}
	return container_top_parse(text, pids, n, out, err);
}

/* ---- docker update ------------------------------------------------------ */

#define MIN_MEMORY (6 * 1024 * 1024)

static int64_t hc_int(const cJSON *hc, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(hc, key);
	return cJSON_IsNumber(v) ? (int64_t) v->valuedouble : 0;
}

static void hc_set_int(cJSON *hc, const char *key, int64_t v)
{
	cJSON *n = cJSON_CreateNumber((double) v);

	if (cJSON_GetObjectItemCaseSensitive(hc, key))
		cJSON_ReplaceItemInObjectCaseSensitive(hc, key, n);
	else
		cJSON_AddItemToObject(hc, key, n);
}

static void hc_set_str(cJSON *hc, const char *key, const char *v)
{
	cJSON *n = cJSON_CreateString(v);

	if (cJSON_GetObjectItemCaseSensitive(hc, key))
		cJSON_ReplaceItemInObjectCaseSensitive(hc, key, n);
	else
		cJSON_AddItemToObject(hc, key, n);
}

/* Docker's checks of the request itself (verifyContainerSettings with
 * update set): plain messages, no "Cannot update" prefix. */
static int update_check_request(const struct container_update_request *r, robbe_error **err)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (r->memory != 0 && r->memory < MIN_MEMORY)
		return robbe_error_set(err, EXIT_GENERAL, "Minimum memory limit allowed is 6MB");
	if (r->memory > 0 && r->memory_swap > 0 && r->memory_swap < r->memory)
		return robbe_error_set(err, EXIT_GENERAL,
				       "Minimum memoryswap limit should be larger than memory limit, see usage");
	if (r->memory_reservation != 0 && r->memory_reservation < MIN_MEMORY)
		return robbe_error_set(err, EXIT_GENERAL, "Minimum memory reservation allowed is 6MB");
	if (r->memory > 0 && r->memory_reservation > 0 && r->memory < r->memory_reservation)
		return robbe_error_set(err, EXIT_GENERAL,
				       "Minimum memory limit can not be less than memory reservation limit, see usage");
	if (r->cpu_shares < 0)
		return robbe_error_set(err, EXIT_GENERAL, "invalid CPU shares (%lld): value must be a positive integer",
				       (long long) r->cpu_shares);
	if (r->nano_cpus > 0 && r->cpu_period > 0)
		return robbe_error_set(err, EXIT_GENERAL, "Conflicting options: Nano CPUs and CPU Period cannot both be set");
	if (r->nano_cpus > 0 && r->cpu_quota > 0)
		return robbe_error_set(err, EXIT_GENERAL, "Conflicting options: Nano CPUs and CPU Quota cannot both be set");
	if (r->nano_cpus != 0 && cpus > 0 && (r->nano_cpus < 0 || r->nano_cpus > (int64_t) cpus * 1000000000))
		return robbe_error_set(err, EXIT_GENERAL,
				       "range of CPUs is from 0.01 to %ld.00, as there are only %ld CPUs available", cpus, cpus);
	if (r->cpu_period != 0 && (r->cpu_period < 1000 || r->cpu_period > 1000000))
		return robbe_error_set(err, EXIT_GENERAL,
				       "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
	if (r->cpu_quota > 0 && r->cpu_quota < 1000)
		return robbe_error_set(err, EXIT_GENERAL, "CPU cfs quota can not be less than 1ms (i.e. 1000)");
	if (r->blkio_weight != 0 && (r->blkio_weight < 10 || r->blkio_weight > 1000))
		return robbe_error_set(err, EXIT_GENERAL, "Range of blkio weight is from 10 to 1000");
	if (r->restart_name) {
		const char *n = r->restart_name;
		if (strcmp(n, "always") == 0 || strcmp(n, "unless-stopped") == 0 || strcmp(n, "no") == 0) {
			if (r->restart_max != 0)
				return robbe_error_set(err, EXIT_GENERAL,
						       "invalid restart policy: maximum retry count can only be used with 'on-failure'%s",
						       r->restart_max < 0 ? " and cannot be negative" : "");
		} else if (strcmp(n, "on-failure") == 0) {
			if (r->restart_max < 0)
				return robbe_error_set(err, EXIT_GENERAL,
						       "invalid restart policy: maximum retry count cannot be negative");
		} else if (*n) {
			return robbe_error_set(err, EXIT_GENERAL,
					       "invalid restart policy: unknown policy '%s'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
					       n);
		}
	}
	return 0;
}

/* Docker's Container.UpdateContainer: merge into the stored HostConfig. */
static int update_merge(cJSON *hc, const struct container_update_request *r, robbe_error **err)
{
	int64_t swap = hc_int(hc, "MemorySwap");
	int64_t memory = hc_int(hc, "Memory");

	if (memory > 0 && swap == 0)
		swap = memory * 2;	/* what `run -m` without --memory-swap gives */
	if (r->nano_cpus > 0 && hc_int(hc, "CpuPeriod") > 0)
		return robbe_error_set(err, EXIT_GENERAL,
				       "Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set");
	if (r->nano_cpus > 0 && hc_int(hc, "CpuQuota") > 0)
		return robbe_error_set(err, EXIT_GENERAL,
				       "Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set");
	if (r->cpu_period > 0 && hc_int(hc, "NanoCpus") > 0)
		return robbe_error_set(err, EXIT_GENERAL,
				       "Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
	if (r->cpu_quota > 0 && hc_int(hc, "NanoCpus") > 0)
		return robbe_error_set(err, EXIT_GENERAL,
				       "Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
	if (r->blkio_weight != 0)
		hc_set_int(hc, "BlkioWeight", (int64_t) r->blkio_weight);
	if (r->cpu_shares != 0)
		hc_set_int(hc, "CpuShares", r->cpu_shares);
	if (r->nano_cpus != 0)
		hc_set_int(hc, "NanoCpus", r->nano_cpus);
	if (r->cpu_period != 0)
		hc_set_int(hc, "CpuPeriod", r->cpu_period);
	if (r->cpu_quota != 0)
		hc_set_int(hc, "CpuQuota", r->cpu_quota);
	if (r->cpuset_cpus && *r->cpuset_cpus)
		hc_set_str(hc, "CpusetCpus", r->cpuset_cpus);
	if (r->cpuset_mems && *r->cpuset_mems)
		hc_set_str(hc, "CpusetMems", r->cpuset_mems);
	if (r->memory != 0) {
		/* Docker refuses a limit above the stored swap limit unless the
		 * swap limit changes too.  A container that had no memory limit
		 * at all (Docker errors there as well, moby#47874) gets the
		 * default of `run -m`: swap as large again; unlimited swap
		 * (-1, moby#39541) stays unlimited. */
		if (memory == 0 && swap == 0 && r->memory_swap == 0)
			hc_set_int(hc, "MemorySwap", r->memory * 2);
		else if (r->memory > swap && swap != -1 && r->memory_swap == 0)
			return robbe_error_set(err, EXIT_GENERAL,
					       "Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
		hc_set_int(hc, "Memory", r->memory);
	}
	if (r->memory_swap != 0)
		hc_set_int(hc, "MemorySwap", r->memory_swap);
	if (r->memory_reservation != 0)
		hc_set_int(hc, "MemoryReservation", r->memory_reservation);
	if (r->cpu_rt_period != 0)
		hc_set_int(hc, "CpuRealtimePeriod", r->cpu_rt_period);
	if (r->cpu_rt_runtime != 0)
		hc_set_int(hc, "CpuRealtimeRuntime", r->cpu_rt_runtime);
	if (r->pids_limit_set)
		hc_set_int(hc, "PidsLimit", r->pids_limit);
	if (r->restart_name && *r->restart_name) {
		cJSON *rp = cJSON_CreateObject();
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(hc, "AutoRemove")) && strcmp(r->restart_name, "no") != 0) {
			cJSON_Delete(rp);
			return robbe_error_set(err, EXIT_GENERAL,
					       "Restart policy cannot be updated because AutoRemove is enabled for the container");
		}
		cJSON_AddStringToObject(rp, "Name", r->restart_name);
		cJSON_AddNumberToObject(rp, "MaximumRetryCount", (double) r->restart_max);
		if (cJSON_GetObjectItemCaseSensitive(hc, "RestartPolicy"))
			cJSON_ReplaceItemInObjectCaseSensitive(hc, "RestartPolicy", rp);
		else
			cJSON_AddItemToObject(hc, "RestartPolicy", rp);
	}
	return 0;
}

static void res_int(cJSON *obj, const char *key, int64_t v)
{
	char buf[32];

	/* runc reads these into Go integers: no exponent forms */
	snprintf(buf, sizeof(buf), "%lld", (long long) v);
	cJSON_AddItemToObject(obj, key, cJSON_CreateRaw(buf));
}

/* The OCI linux.resources of a HostConfig, as `runtime update -r` takes it. */
static cJSON *update_resources(const cJSON *hc)
{
	cJSON *res = cJSON_CreateObject();
	cJSON *mem = cJSON_AddObjectToObject(res, "memory");
	cJSON *cpu = cJSON_AddObjectToObject(res, "cpu");
	int64_t memory = hc_int(hc, "Memory"), swap = hc_int(hc, "MemorySwap");
	int64_t nano = hc_int(hc, "NanoCpus"), quota = hc_int(hc, "CpuQuota"), period = hc_int(hc, "CpuPeriod");
	const char *cpus = NULL, *mems = NULL;
	const cJSON *v;
	struct stat st;

	if (memory > 0 && swap == 0)
		swap = memory * 2;
	/* cgroup v1 without swap accounting has no memsw file to write */
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) != 0 &&
	    stat("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", &st) < 0)
		swap = 0;
	if (memory > 0)
		res_int(mem, "limit", memory);
	if (hc_int(hc, "MemoryReservation") > 0)
		res_int(mem, "reservation", hc_int(hc, "MemoryReservation"));
	if (swap != 0)
		res_int(mem, "swap", swap);
	if (nano > 0) {
		period = 100000;
		quota = nano * period / 1000000000;
	}
	if (hc_int(hc, "CpuShares") > 0)
		res_int(cpu, "shares", hc_int(hc, "CpuShares"));
	if (quota)
		res_int(cpu, "quota", quota);
	if (period)
		res_int(cpu, "period", period);
	if (hc_int(hc, "CpuRealtimePeriod"))
		res_int(cpu, "realtimePeriod", hc_int(hc, "CpuRealtimePeriod"));
	if (hc_int(hc, "CpuRealtimeRuntime"))
		res_int(cpu, "realtimeRuntime", hc_int(hc, "CpuRealtimeRuntime"));
	v = cJSON_GetObjectItemCaseSensitive(hc, "CpusetCpus");
	cpus = cJSON_IsString(v) ? v->valuestring : NULL;
	v = cJSON_GetObjectItemCaseSensitive(hc, "CpusetMems");
	mems = cJSON_IsString(v) ? v->valuestring : NULL;
	if (cpus && *cpus)
		cJSON_AddStringToObject(cpu, "cpus", cpus);
	if (mems && *mems)
		cJSON_AddStringToObject(cpu, "mems", mems);
	v = cJSON_GetObjectItemCaseSensitive(hc, "PidsLimit");
	if (cJSON_IsNumber(v)) {
		cJSON *pids = cJSON_AddObjectToObject(res, "pids");
		res_int(pids, "limit", v->valuedouble > 0 ? (int64_t) v->valuedouble : -1);
	}
	if (hc_int(hc, "BlkioWeight") > 0) {
		cJSON *bio = cJSON_AddObjectToObject(res, "blockIO");
		res_int(bio, "weight", hc_int(hc, "BlkioWeight"));
	}
	return res;
}

static int update_apply(struct container_env *env, const struct store_container *c, const cJSON *hc,
			robbe_error **err)
{
	cleanup_free char *dir = ctr_run_dir(env, c->id);
	cleanup_free char *file = xasprintf("%s/update-resources.json", dir);
	cleanup_free char *runtime = container_runtime(c);
	cleanup_cjson cJSON *res = update_resources(hc);
	cleanup_free char *text = cJSON_PrintUnformatted(res);
	char *args[] = { (char *) "update", (char *) "--resources", file, c->id, NULL };
	int r;

	if (!text)
		die_oom();
	if (mkdir_p(dir, 0700, err) < 0 || write_file_atomic(file, text, strlen(text), 0600, err) < 0)
		return -1;
	r = runtime_run(runtime, args, 0, NULL, err);
	unlink(file);
	return r < 0 ? -1 : 0;
}

int container_update(struct container_env *env, struct store_container *c, const struct container_update_request *req,
		     robbe_error **err)
{
	cleanup_close int lock = -1;
	cleanup_cjson cJSON *config = NULL;
	cleanup_free char *before = NULL, *after = NULL;
	cJSON *hc;
	int r;

	if (update_check_request(req, err) < 0)
		return -1;
	if (ctr_lock(env, c->id, &lock, err) < 0)
		return -1;
	r = ctr_reload(env, c, err);
	if (r == -ENOENT)
		return robbe_error_set(err, EXIT_GENERAL, "No such container: %s", c->id);
	if (r < 0)
		return -1;
	if (c->state == STORE_STATE_DEAD || c->state == STORE_STATE_REMOVING)
		return robbe_error_set(err, EXIT_GENERAL,
				       "Cannot update container %s: container is marked for removal and cannot be \"update\"",
				       c->id);
	config = container_config(c);
	hc = cJSON_GetObjectItemCaseSensitive(config, "HostConfig");
	if (!cJSON_IsObject(hc)) {
		cJSON_DeleteItemFromObjectCaseSensitive(config, "HostConfig");
		hc = cJSON_AddObjectToObject(config, "HostConfig");
	}
	if (update_merge(hc, req, err) < 0)
		return robbe_error_wrap(err, "Cannot update container %s", c->id);
	before = xstrdup(c->config_json ? c->config_json : "{}");
	after = cJSON_PrintUnformatted(config);
	if (!after)
		die_oom();
	if (store_container_set_config(env->store, c->id, after, err) < 0)
		return robbe_error_wrap(err, "Cannot update container %s", c->id);
	free(c->config_json);
	c->config_json = xstrdup(after);
	/* a stopped container takes the new limits when it starts again */
	if (!container_is_active(c))
		return 0;
	if (update_apply(env, c, hc, err) < 0) {
		robbe_error *e = NULL;
		if (store_container_set_config(env->store, c->id, before, &e) < 0)
			robbe_error_free(e);
		else {
			free(c->config_json);
			c->config_json = steal_pointer(&before);
		}
		return robbe_error_wrap(err, "Cannot update container %s", c->id);
	}
	return 0;
}
