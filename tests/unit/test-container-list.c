/* test-container-list.c: the pure parts of ps, inspect, logs, top and
 * stats: Docker's status words, command and port columns, Ellipsis,
 * filters, GetTimestamp, top's ps parsing, directory sizes. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "compat/cmd-container-list.h"
#include "src/container-inspect.h"
#include "src/container-stats.h"
#include "tests/unit/tap.h"

static const int64_t S = 1000000000;

static void test_status(void)
{
	struct store_container c = { 0 };
	int64_t now = 1700000000 * S;
	char *t;

	c.state = STORE_STATE_CREATED;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Created", "created");
	free(t);

	c.state = STORE_STATE_RUNNING;
	c.started_at = now - 5 * S - S / 2;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Up 5 seconds", "up 5 seconds");
	free(t);
	c.started_at = now - S / 2;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Up Less than a second", "up less than a second");
	free(t);
	c.started_at = now - 1 * S;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Up 1 second", "up 1 second");
	free(t);
	c.started_at = now - 150 * S;
	c.state = STORE_STATE_PAUSED;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Up 2 minutes (Paused)", "paused");
	free(t);
	c.state = STORE_STATE_RUNNING;
	c.started_at = now - 3600 * S;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Up About an hour", "about an hour");
	free(t);
	c.state_json = (char *) "{\"Health\":{\"Status\":\"starting\"}}";
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Up About an hour (health: starting)", "health starting");
	free(t);
	c.state_json = (char *) "{\"Health\":{\"Status\":\"healthy\"}}";
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Up About an hour (healthy)", "healthy");
	free(t);
	c.state_json = NULL;

	c.state = STORE_STATE_EXITED;
	c.exit_code = 137;
	c.finished_at = now - 3 * S;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Exited (137) 3 seconds ago", "exited");
	free(t);
	c.finished_at = 0;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "", "exited without a finish time");
	free(t);

	c.state = STORE_STATE_RESTARTING;
	c.exit_code = 1;
	c.finished_at = now - 2 * S;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Restarting (1) 2 seconds ago", "restarting");
	free(t);
	c.state = STORE_STATE_DEAD;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Dead", "dead");
	free(t);
	c.state = STORE_STATE_REMOVING;
	t = ctrcmd_status_text(&c, now);
	is_str(t, "Removal In Progress", "removing");
	free(t);
}

static void test_command(void)
{
	cJSON *cfg = cJSON_Parse("{\"Path\":\"sh\",\"Args\":[\"-c\",\"echo hi; sleep 1\"]}");
	char *t = ctrcmd_command_text(cfg);

	is_str(t, "sh -c 'echo hi; sleep 1'", "args with spaces are quoted");
	free(t);
	cJSON_Delete(cfg);
	cfg = cJSON_Parse("{\"Path\":\"top\",\"Args\":[]}");
	t = ctrcmd_command_text(cfg);
	is_str(t, "top", "no args");
	free(t);
	cJSON_Delete(cfg);
}

static void test_ellipsis(void)
{
	char *t;

	t = ctrcmd_ellipsis("sh -c 'echo hi; sleep 1'", 20);
	is_str(t, "sh -c 'echo hi; sle…", "cut to 19 + ellipsis");
	free(t);
	t = ctrcmd_ellipsis("exactly-twenty-chars", 20);
	is_str(t, "exactly-twenty-chars", "20 columns fit");
	free(t);
	t = ctrcmd_ellipsis("\346\227\245\346\234\254\350\252\236\346\227\245\346\234\254\350\252\236", 7);
	is_str(t, "\346\227\245\346\234\254\350\252\236…", "wide characters count two");
	free(t);
	t = ctrcmd_ellipsis("abc", 1);
	is_str(t, "a", "width 1 keeps one character");
	free(t);
	t = ctrcmd_ellipsis("/var/lib/robbe/volumes/data", 15);
	is_str(t, "/var/lib/robbe…", "mounts at 15");
	free(t);
}

static void test_ports(void)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
		{ "{}", "" },
		{ "{\"80/tcp\":null}", "80/tcp" },
		{ "{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]}", "0.0.0.0:8080->80/tcp" },
		{ "{\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"80\"}]}", "0.0.0.0:80->80/tcp" },
		{ "{\"8000/tcp\":null,\"8001/tcp\":null,\"8002/tcp\":null}", "8000-8002/tcp" },
		{ "{\"80/tcp\":[{\"HostIp\":\"::\",\"HostPort\":\"8080\"}]}", "[::]:8080->80/tcp" },
		/* Docker's grouping emits a closed group before the open ones */
		{ "{\"53/udp\":null,\"80/tcp\":null,\"9000/tcp\":null}", "80/tcp, 53/udp, 9000/tcp" },
		{ "{\"80/tcp\":null,\"81/tcp\":null,\"83/tcp\":null}", "80-81/tcp, 83/tcp" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cJSON *j = cJSON_Parse(cases[i].json);
		char *t = ctrcmd_ports_text(j);
		is_str(t, cases[i].want, "ports %s", cases[i].json);
		free(t);
		cJSON_Delete(j);
	}
}

static void test_filters(void)
{
	char *list[] = { (char *) " Label = a=b ", (char *) "label=c", (char *) "name=web", NULL };
	static const char *const accepted[] = { "label", "name", NULL };
	static const char *const only_name[] = { "name", NULL };
	struct ctrcmd_filters f;
	robbe_error *e = NULL;
	cJSON *labels = cJSON_Parse("{\"a\":\"b\",\"c\":\"\"}");
	cJSON *other = cJSON_Parse("{\"a\":\"x\",\"c\":\"\"}");

	ctrcmd_filters_parse(list, &f);
	is_int((int) f.n, 3, "three filters");
	is_str(f.v[0].key, "label", "key lowered and trimmed");
	is_str(f.v[0].value, "a=b", "value trimmed");
	ok(ctrcmd_filters_check(&f, accepted, &e) == 0, "accepted keys");
	ok(ctrcmd_filters_check(&f, only_name, &e) < 0, "unknown key refused");
	is_str(e ? e->msg : "", "invalid filter 'label'", "Docker's wording");
	robbe_error_free(e);
	ok(ctrcmd_filters_match_labels(&f, "label", labels), "all labels match");
	ok(!ctrcmd_filters_match_labels(&f, "label", other), "a label value differs");
	ok(!ctrcmd_filters_match_labels(&f, "label", NULL), "no labels at all");
	ok(ctrcmd_filters_match_labels(&f, "label!", NULL), "unused key matches");
	ctrcmd_filters_release(&f);
	cJSON_Delete(labels);
	cJSON_Delete(other);
}

static void test_timestamps(void)
{
	int64_t now = 1700000000 * S + 123456789, t = 0;
	robbe_error *e = NULL;

	ok(ctrcmd_parse_timestamp("10m", now, &t, &e) == 0 && t == (1700000000 - 600) * S, "duration: whole seconds");
	ok(ctrcmd_parse_timestamp("2023-11-14T22:13:20Z", now, &t, &e) == 0 && t == 1700000000 * S, "RFC 3339 UTC");
	ok(ctrcmd_parse_timestamp("2023-11-14T22:13:20.5Z", now, &t, &e) == 0 && t == 1700000000 * S + S / 2,
	   "fraction");
	ok(ctrcmd_parse_timestamp("2023-11-15T00:13:20+02:00", now, &t, &e) == 0 && t == 1700000000 * S, "offset");
	ok(ctrcmd_parse_timestamp("2023-11-14T22:13:20-01:00", now, &t, &e) == 0 && t == 1700003600 * S,
	   "negative offset (three dashes)");
	ok(ctrcmd_parse_timestamp("1700000000", now, &t, &e) == 0 && t == 1700000000 * S, "unix seconds");
	ok(ctrcmd_parse_timestamp("1700000000.25", now, &t, &e) == 0 && t == 1700000000 * S + S / 4,
	   "unix seconds with a fraction");
	ok(ctrcmd_parse_timestamp("0", now, &t, &e) == 0 && t == 0, "0 is the epoch, not a duration");
	setenv("TZ", "UTC", 1);
	tzset();
	ok(ctrcmd_parse_timestamp("2023-11-14", now, &t, &e) == 0 && t == 1699920000 * S, "local date");
	ok(ctrcmd_parse_timestamp("2023-11-14T22:13", now, &t, &e) == 0 && t == (1700000000 - 20) * S,
	   "local time without seconds");
	ok(ctrcmd_parse_timestamp("foo", now, &t, &e) < 0, "garbage refused");
	is_str(e ? e->msg : "", "failed to parse value as time or duration: \"foo\"", "Docker's wording");
	robbe_error_free(e);
	e = NULL;
	ok(ctrcmd_parse_timestamp("2023-13-01", now, &t, &e) < 0, "month 13 refused");
	robbe_error_free(e);
}

static void test_top_parse(void)
{
	const char *out = "UID          PID    PPID  C STIME TTY          TIME CMD\n"
			  "root           1       0  0 10:00 ?        00:00:01 /sbin/init splash\n"
			  "root        4242    4200  0 10:01 ?        00:00:00 sleep 1000\n"
			  "root        4243    4242  0 10:01 ?        00:00:00 sh -c echo a  b\n";
	pid_t pids[] = { 4242, 4243 };
	struct container_top t;
	robbe_error *e = NULL;

	ok(container_top_parse(out, pids, 2, &t, &e) == 0, "parse ps -ef");
	is_int((int) strv_len(t.titles), 8, "eight titles");
	is_int((int) t.n_rows, 2, "only the container's pids");
	is_str(t.rows[0][1], "4242", "pid column");
	is_str(t.rows[1][7], "sh -c echo a b", "last column takes the rest");
	container_top_release(&t);
	ok(container_top_parse("USER COMMAND\nroot sh\n", pids, 2, &t, &e) < 0, "no PID column");
	is_str(e ? e->msg : "", "Couldn't find PID field in ps output", "Docker's wording");
	robbe_error_free(e);
	e = NULL;
	ok(container_top_parse("PID TID CMD\n4242 - sleep\n - 4244 thread\n1 - init\n - 2 other\n", pids, 2, &t, &e) ==
		   0,
	   "thread rows");
	is_int((int) t.n_rows, 2, "the thread row of a container process stays, others go");
	container_top_release(&t);
}

static void test_dir_size(void)
{
	char dir[] = "/tmp/robbe-size-XXXXXX";
	char path[256];
	int64_t size = -1;
	robbe_error *e = NULL;
	int fd;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/a", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ok(fd >= 0 && write(fd, "hello", 5) == 5, "write a file");
	close(fd);
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/sub/hard", dir);
	{
		char a[256];
		snprintf(a, sizeof(a), "%s/a", dir);
		ok(link(a, path) == 0, "hard link");
	}
	snprintf(path, sizeof(path), "%s/sub/sym", dir);
	ok(symlink("a-target", path) == 0, "symlink");
	ok(container_dir_size(dir, &size, &e) == 0, "measure");
	is_int((int) size, 5 + 8, "file once, link by its own length, dirs not at all");
	ok(container_dir_size("/nonexistent/robbe", &size, &e) == 0 && size == 0, "missing dir is 0");
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ok(system(path) == 0, "cleanup");
}

int main(void)
{
	test_status();
	test_command();
	test_ellipsis();
	test_ports();
	test_filters();
	test_timestamps();
	test_top_parse();
	test_dir_size();
	return tap_done();
}
