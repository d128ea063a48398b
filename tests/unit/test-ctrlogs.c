/* test-ctrlogs: k8s-file log parsing, partial lines, tail, time filters and
 * follow mode, on log files written by the test itself. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ctrlogs.h"
#include "tests/unit/tap.h"

static char tmpdir[] = "/tmp/robbe-test-ctrlogs.XXXXXX";

/* What the callback saw: one "o:" or "e:" prefixed entry per line, with
 * the time of each line in times[]. */
struct seen {
	struct sbuf text;
	int64_t times[64];
	size_t n;
	size_t stop_after;	/* ask to stop after this many lines; 0: never */
};

static int collect(void *data, enum log_stream stream, int64_t time, const char *text, size_t len,
		   robbe_error **err)
{
	struct seen *s = data;

	sbuf_adds(&s->text, stream == LOG_STDOUT ? "o:" : "e:");
	sbuf_add(&s->text, text, len);
	sbuf_addc(&s->text, '|');
	if (s->n < ARRAY_SIZE(s->times))
		s->times[s->n] = time;
	s->n++;
	return s->stop_after && s->n >= s->stop_after ? 1 : 0;
}

static char *write_log(const char *name, const char *content, size_t len)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	robbe_error *err = NULL;

	if (write_file_atomic(path, content, len, 0600, &err) < 0) {
		printf("Bail out! %s\n", err->msg);
		exit(1);
	}
	return path;
}

/* Read path with opts; returns the collected text (caller frees). */
static char *read_log(const char *path, const struct ctrlogs_options *opts, struct ctrlogs_stats *stats,
		      struct seen *s)
{
	robbe_error *err = NULL;
	struct seen local = { SBUF_INIT, { 0 }, 0, 0 };

	if (!s)
		s = &local;
	if (ctrlogs_read(path, opts, collect, s, stats, &err) < 0) {
		printf("# ctrlogs_read: %s\n", err->msg);
		robbe_error_free(err);
		sbuf_release(&s->text);
		return xstrdup("(error)");
	}
	return sbuf_detach(&s->text);
}

static void test_time(void)
{
	int64_t ns = -1;
	char buf[LOG_TIME_LEN];
	static const char *bad[] = {
		"",
		"2024-02-29",
		"2024-02-29T10:00:00",		/* no zone */
		"2024-02-29 10:00:00Z",
		"2023-02-29T10:00:00Z",		/* not a leap year */
		"2024-13-01T00:00:00Z",
		"2024-00-01T00:00:00Z",
		"2024-04-31T00:00:00Z",
		"2024-01-01T24:00:00Z",
		"2024-01-01T00:60:00Z",
		"2024-01-01T00:00:60Z",
		"2024-01-01T00:00:00.Z",
		"2024-01-01T00:00:00+0200",
		"2024-01-01T00:00:00+02:00x",
		"2024-01-01T00:00:00+24:00",
		"3000-01-01T00:00:00Z",		/* beyond int64 nanoseconds */
		"1600-01-01T00:00:00Z",
		"24-01-01T00:00:00Z",
		"2024-1-01T00:00:00Z",
		"abcd-ef-ghTij:kl:mnZ",
	};

	ok(log_time_parse("1970-01-01T00:00:00Z", 20, &ns) == 0 && ns == 0, "epoch");
	ok(log_time_parse("2024-02-29T12:00:00.5+02:00", 27, &ns) == 0 && ns == 1709200800LL * 1000000000 + 500000000,
	   "leap day, offset and short fraction");
	ok(log_time_parse("2024-02-29T09:30:00.000000001-00:30", 35, &ns) == 0 &&
		   ns == 1709200800LL * 1000000000 + 1,
	   "negative offset, nanoseconds");
	ok(log_time_parse("1999-12-31t23:59:59.1234567891234z", 34, &ns) == 0 &&
		   ns == 946684799LL * 1000000000 + 123456789,
	   "lower-case t and z, digits past nanoseconds ignored");
	ok(log_time_parse("2038-01-19T03:14:08Z", 20, &ns) == 0 && ns == 2147483648LL * 1000000000, "past 2038");
	ok(log_time_parse("1900-03-01T00:00:00Z", 20, &ns) == 0 && ns == -2203891200LL * 1000000000,
	   "before the epoch");
	ok(log_time_parse("2024-02-29T12:00:00Zjunk", 20, &ns) == 0, "only len bytes are parsed");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ok(log_time_parse(bad[i], strlen(bad[i]), &ns) < 0, "rejects \"%s\"", bad[i]);

	is_str(log_time_format(0, buf), "1970-01-01T00:00:00.000000000Z", "format epoch");
	is_str(log_time_format(1709200800LL * 1000000000 + 5, buf), "2024-02-29T10:00:00.000000005Z",
	       "format fixed nine digits in UTC");
	is_str(log_time_format(-1, buf), "1969-12-31T23:59:59.999999999Z", "format before the epoch");
	ok(log_time_parse(buf, strlen(buf), &ns) == 0 && ns == -1, "format and parse round-trip");
}

static void test_record(void)
{
	struct log_record r;
	const char *l;

	l = "2024-05-01T10:20:30.123456789+02:00 stdout F hello world";
	ok(log_record_parse(l, strlen(l), &r) == 0 && r.stream == LOG_STDOUT && !r.partial && r.len == 11 &&
		   !memcmp(r.text, "hello world", 11) && r.time == 1714551630123456789LL,
	   "full stdout record");
	l = "2024-05-01T08:20:30Z stderr P  two  spaces ";
	ok(log_record_parse(l, strlen(l), &r) == 0 && r.stream == LOG_STDERR && r.partial && r.len == 13 &&
		   !memcmp(r.text, " two  spaces ", 13),
	   "partial stderr record keeps the text's own spaces");
	l = "2024-05-01T08:20:30Z stdout F ";
	ok(log_record_parse(l, strlen(l), &r) == 0 && r.len == 0, "empty line as conmon writes it");
	l = "2024-05-01T08:20:30Z stdout F";
	ok(log_record_parse(l, strlen(l), &r) == 0 && r.len == 0, "empty line without the space");
	{
		static const char nul[] = "2024-05-01T08:20:30Z stdout F a\0b";
		ok(log_record_parse(nul, sizeof(nul) - 1, &r) == 0 && r.len == 3 && r.text[1] == '\0',
		   "NUL bytes in the text");
	}
	static const char *bad[] = {
		"",
		"garbage",
		"2024-05-01T08:20:30Z",
		"2024-05-01T08:20:30Z stdout",
		"2024-05-01T08:20:30Z stdout ",
		"2024-05-01T08:20:30Z stdin F x",
		"2024-05-01T08:20:30Z stdoutF x",
		"2024-05-01T08:20:30Z stdout X x",
		"2024-05-01T08:20:30Z stdout Fx",
		"2024-05-01T08:20:30 stdout F x",
		"not-a-time stdout F x",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ok(log_record_parse(bad[i], strlen(bad[i]), &r) < 0, "rejects record \"%s\"", bad[i]);
}

#define T(s) "2024-05-01T10:00:0" #s ".000000000+00:00 "

static void test_read(void)
{
	struct ctrlogs_options o = CTRLOGS_OPTIONS_INIT;
	struct ctrlogs_stats st;
	struct seen s = { SBUF_INIT, { 0 }, 0, 0 };
	cleanup_free char *p1 = NULL, *p2 = NULL, *p3 = NULL, *missing = NULL;
	char *got;
	static const char log1[] =
		T(0) "stdout F one\n"
		T(1) "stdout P tw\n"
		T(1) "stderr F err1\n"
		T(2) "stdout P o-\n"
		T(3) "stdout F three\n"
		"this line is not a record\n"
		T(4) "stdout F \n"
		T(5) "stderr P no newline\n";

	p1 = write_log("log1", log1, sizeof(log1) - 1);
	got = read_log(p1, &o, &st, &s);
	is_str(got, "o:one\n|e:err1\n|o:two-three\n|o:\n|e:no newline|", "partial lines joined per stream");
	is_int(st.malformed, 1, "one malformed record counted");
	is_int(st.lines, 5, "five lines");
	ok(s.n == 5 && s.times[2] == 1714557601LL * 1000000000, "a joined line has its first piece's time");
	free(got);

	o.since = 1714557602LL * 1000000000;
	got = read_log(p1, &o, NULL, NULL);
	is_str(got, "o:\n|e:no newline|", "since skips lines that began earlier");
	free(got);
	o.since = 0;
	o.until = 1714557601LL * 1000000000;
	got = read_log(p1, &o, NULL, NULL);
	is_str(got, "o:one\n|e:err1\n|o:two-three\n|", "until keeps lines up to and including it");
	free(got);
	o.until = 0;

	{
		static const char *want[] = {
			"",
			"e:no newline|",
			"o:\n|e:no newline|",
			"o:two-three\n|o:\n|e:no newline|",
			"e:err1\n|o:two-three\n|o:\n|e:no newline|",
			"o:one\n|e:err1\n|o:two-three\n|o:\n|e:no newline|",
			"o:one\n|e:err1\n|o:two-three\n|o:\n|e:no newline|",
		};
		for (int n = 0; n <= 6; n++) {
			o.tail = n;
			got = read_log(p1, &o, NULL, NULL);
			is_str(got, want[n], "tail %d with interleaved partial lines", n);
			free(got);
		}
		o.tail = -1;
	}

	s.stop_after = 2;
	sbuf_reset(&s.text);
	s.n = 0;
	got = read_log(p1, &o, NULL, &s);
	is_str(got, "o:one\n|e:err1\n|", "a callback returning > 0 stops the read");
	free(got);

	/* A record being written (no newline yet) is not read without follow. */
	static const char log2[] = T(0) "stdout F done\n" T(1) "stdout F half-writ";
	p2 = write_log("log2", log2, sizeof(log2) - 1);
	got = read_log(p2, &o, NULL, NULL);
	is_str(got, "o:done\n|", "an unterminated last record is left out");
	free(got);
	o.tail = 1;
	got = read_log(p2, &o, NULL, NULL);
	is_str(got, "o:done\n|", "tail ignores an unterminated last record");
	free(got);
	o.tail = -1;

	missing = xasprintf("%s/no-such-log", tmpdir);
	got = read_log(missing, &o, &st, NULL);
	is_str(got, "", "a missing log reads as empty");
	free(got);

	/* A huge record without a newline, then good records. */
	{
		struct sbuf big = SBUF_INIT;

		sbuf_adds(&big, T(0) "stdout F ");
		for (int i = 0; i < 3 * 1024 * 1024; i++)
			sbuf_addc(&big, 'x');
		sbuf_adds(&big, "\n" T(1) "stdout F after\n");
		p3 = write_log("log3", big.buf, big.len);
		got = read_log(p3, &o, &st, NULL);
		is_str(got, "o:after\n|", "a record over 1 MiB is skipped");
		is_int(st.malformed, 1, "and counted as malformed");
		free(got);
		o.tail = 1;
		got = read_log(p3, &o, NULL, NULL);
		is_str(got, "o:after\n|", "tail past an oversized record");
		free(got);
		o.tail = 2;
		got = read_log(p3, &o, NULL, NULL);
		is_str(got, "o:after\n|", "tail asking for more lines than readable");
		free(got);
		o.tail = -1;
		sbuf_release(&big);
	}
	sbuf_release(&s.text);
}

/* Tail of a big log comes from the end without reading it all. */
static void test_big_tail(void)
{
	cleanup_free char *path = xasprintf("%s/big", tmpdir);
	struct sbuf sb = SBUF_INIT;
	struct ctrlogs_options o = CTRLOGS_OPTIONS_INIT;
	robbe_error *err = NULL;
	int64_t start = -1, first_end = -1;
	struct stat st;
	char *got;
	int fd;

	for (int i = 0; i < 200000; i++)
		sbuf_addf(&sb, T(0) "%s %c line %d\n", i % 2 ? "stdout" : "stderr", i % 3 == 0 ? 'P' : 'F', i);
	write_file_atomic(path, sb.buf, sb.len, 0600, &err);
	sbuf_release(&sb);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	fstat(fd, &st);
	ok(ctrlogs_tail_offset(fd, st.st_size, 3, &start, &first_end, &err) == 0, "tail offset of a 10 MB log");
	ok(start > st.st_size - 1000 && first_end >= start, "starts within the last kilobyte (%lld of %lld)",
	   (long long) start, (long long) st.st_size);
	close(fd);
	o.tail = 3;
	got = read_log(path, &o, NULL, NULL);
	/* 199998 is a P on stderr with nothing after it: a line of its own,
	 * handed out last; 199997 (stdout F) ends 199995 (stdout P). */
	is_str(got, "o:line 199995line 199997\n|o:line 199999\n|e:line 199998|", "last three lines of a big log");
	free(got);
}

/* Random bytes and mutated records must never crash the reader. */
static void test_garbage(void)
{
	cleanup_free char *path = xasprintf("%s/garbage", tmpdir);
	static const char base[] = T(0) "stdout P ab\n" T(1) "stderr F cd\n" T(2) "stdout F ef\n";
	unsigned seed = 12345;
	int crashes = 0;

	for (int round = 0; round < 300; round++) {
		char buf[sizeof(base)];
		struct ctrlogs_options o = CTRLOGS_OPTIONS_INIT;
		robbe_error *err = NULL;
		struct seen s = { SBUF_INIT, { 0 }, 0, 0 };

		memcpy(buf, base, sizeof(base));
		for (int k = 0; k < 1 + round % 8; k++) {
			seed = seed * 1103515245 + 12345;
			buf[(seed >> 8) % (sizeof(base) - 1)] = (char) (seed >> 16);
		}
		write_file_atomic(path, buf, sizeof(base) - 1 - (size_t) (round % 7), 0600, &err);
		o.tail = round % 5 - 1;
		if (ctrlogs_read(path, &o, collect, &s, NULL, &err) < 0) {
			crashes++;
			robbe_error_free(err);
		}
		sbuf_release(&s.text);
	}
	is_int(crashes, 0, "300 mutated logs read without errors");
}

struct writer_args {
	const char *path, *exit_file;
};

static void append(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	ssize_t r = write(fd, s, strlen(s));
	(void) r;
	close(fd);
}

static void pause_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };
	nanosleep(&ts, NULL);
}

/* Writes lines slowly, rotates the log as conmon does, then exits. */
static void *writer(void *data)
{
	struct writer_args *a = data;
	cleanup_free char *tmp = xasprintf("%s.tmp", a->path);

	pause_ms(50);
	append(a->path, T(1) "stdout F second\n");
	pause_ms(50);
	append(a->path, T(2) "stderr F par");
	pause_ms(50);
	append(a->path, "tial\n");
	pause_ms(50);
	/* Rotation: conmon opens <log>.tmp, renames it over the log. */
	append(a->path, T(3) "stdout F last in old file\n");
	append(tmp, T(4) "stderr F first in new file\n");
	rename(tmp, a->path);
	pause_ms(50);
	append(a->path, T(5) "stdout F no newline at exit\n" T(6) "stdout P !\n");
	append(a->exit_file, "0");
	return NULL;
}

static void test_follow(void)
{
	cleanup_free char *path = xasprintf("%s/follow.log", tmpdir);
	cleanup_free char *exit_file = xasprintf("%s/exits-id", tmpdir);
	struct ctrlogs_options o = CTRLOGS_OPTIONS_INIT;
	struct writer_args a = { path, exit_file };
	volatile sig_atomic_t cancel = 0;
	pthread_t th;
	char *got;

	append(path, T(0) "stdout F first\n");
	o.follow = true;
	o.exit_file = exit_file;
	o.poll_ms = 1000;
	pthread_create(&th, NULL, writer, &a);
	got = read_log(path, &o, NULL, NULL);
	pthread_join(th, NULL);
	is_str(got,
	       "o:first\n|o:second\n|e:partial\n|o:last in old file\n|e:first in new file\n|"
	       "o:no newline at exit\n|o:!|",
	       "follow reads through rotation until the exit file appears");
	free(got);

	/* The exit file exists already: read what is there, then stop. */
	o.tail = 1;
	got = read_log(path, &o, NULL, NULL);
	is_str(got, "o:!|", "follow with tail after the container exited");
	free(got);

	/* Without an exit file, cancel ends the follow. */
	unlink(exit_file);
	o.tail = 0;
	o.poll_ms = 20;
	cancel = 1;
	o.cancel = &cancel;
	got = read_log(path, &o, NULL, NULL);
	is_str(got, "", "follow with tail 0 ends on cancel");
	free(got);

	/* A log that does not exist yet is waited for. */
	{
		cleanup_free char *late = xasprintf("%s/late.log", tmpdir);
		struct writer_args b = { late, exit_file };
		cancel = 0;
		o.cancel = NULL;
		o.tail = -1;
		o.poll_ms = 1000;
		pthread_create(&th, NULL, writer, &b);
		got = read_log(late, &o, NULL, NULL);
		pthread_join(th, NULL);
		is_str(got, "o:second\n|e:partial\n|o:last in old file\n|e:first in new file\n|"
			    "o:no newline at exit\n|o:!|",
		       "follow waits for the log to appear");
		free(got);
	}
}

static void test_copy(void)
{
	cleanup_free char *path = xasprintf("%s/copy.log", tmpdir);
	cleanup_free char *out = xasprintf("%s/copy.out", tmpdir);
	cleanup_free char *errp = xasprintf("%s/copy.err", tmpdir);
	struct ctrlogs_options o = CTRLOGS_OPTIONS_INIT;
	cleanup_free char *o_text = NULL, *e_text = NULL;
	robbe_error *err = NULL;
	static const char log[] = "2024-05-01T12:00:00.5+02:00 stdout F hello\n"
				  "2024-05-01T12:00:01+02:00 stderr P wor\n"
				  "2024-05-01T12:00:02+02:00 stderr F ld\n";
	int ofd, efd;

	append(path, log);
	ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	efd = open(errp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ok(ctrlogs_copy(path, &o, ofd, efd, true, &err) == 0, "copy to two descriptors");
	close(ofd);
	close(efd);
	read_file_all(out, 4096, &o_text, NULL, &err);
	read_file_all(errp, 4096, &e_text, NULL, &err);
	is_str(o_text, "2024-05-01T10:00:00.500000000Z hello\n", "stdout with UTC timestamps");
	is_str(e_text, "2024-05-01T10:00:01.000000000Z world\n", "stderr joined, first piece's time");
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_time();
	test_record();
	test_read();
	test_big_tail();
	test_garbage();
	test_follow();
	test_copy();
	{
		robbe_error *err = NULL;
		rm_rf_at(AT_FDCWD, tmpdir, &err);
		robbe_error_free(err);
	}
	return tap_done();
}
