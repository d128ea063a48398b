/* ctrlogs.c: reading conmon's k8s-file container logs: parsing records,
 * joining partial lines, tail from the end, time filters and follow. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>

#include "ctrlogs.h"

/* conmon writes at most 8 KiB of output per record; a "record" longer than
 * this is damage, not a log line, and is skipped. */
#define RECORD_MAX (1024 * 1024)
/* A line without a newline is handed out in pieces of this size rather
 * than held in memory without bound. */
#define LINE_PIECE_MAX (1024 * 1024)
#define READ_CHUNK 65536
#define DEFAULT_POLL_MS 250

static const int64_t NS = 1000000000;

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* n decimal digits at *p into *v. */
static bool take_digits(const char **p, const char *end, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (*p >= end || **p < '0' || **p > '9')
			return false;
		*v = *v * 10 + (**p - '0');
		(*p)++;
	}
	return true;
}

static bool take_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

int log_time_parse(const char *s, size_t len, int64_t *ns)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s, *end = s + len;
	int y, mo, d, h, mi, sec, frac = 0, off = 0;

	if (!take_digits(&p, end, 4, &y) || !take_char(&p, end, '-') || !take_digits(&p, end, 2, &mo) ||
	    !take_char(&p, end, '-') || !take_digits(&p, end, 2, &d))
		return -1;
	if (p >= end || (*p != 'T' && *p != 't'))
		return -1;
	p++;
	if (!take_digits(&p, end, 2, &h) || !take_char(&p, end, ':') || !take_digits(&p, end, 2, &mi) ||
	    !take_char(&p, end, ':') || !take_digits(&p, end, 2, &sec))
		return -1;
	if (p < end && *p == '.') {
		int digits = 0;

		p++;
		while (p < end && *p >= '0' && *p <= '9') {
			if (digits < 9)
				frac = frac * 10 + (*p - '0');
			digits++;
			p++;
		}
		if (digits == 0)
			return -1;
		for (; digits < 9; digits++)
			frac *= 10;
	}
	if (p < end && (*p == 'Z' || *p == 'z')) {
		p++;
	} else if (p < end && (*p == '+' || *p == '-')) {
		int sign = *p == '-' ? -1 : 1, oh, om;

		p++;
		if (!take_digits(&p, end, 2, &oh) || !take_char(&p, end, ':') || !take_digits(&p, end, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		off = sign * (oh * 3600 + om * 60);
	} else {
		return -1;
	}
	if (p != end)
		return -1;
	/* int64 nanoseconds reach from 1677 to 2262. */
	if (y < 1678 || y > 2261 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59)
		return -1;
	if (d > mdays[mo - 1] + (mo == 2 && leap_year(y)))
		return -1;
	*ns = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) - off) * NS + frac;
	return 0;
}

char *log_time_format(int64_t ns, char *buf)
{
	int64_t secs = ns / NS, rem = ns % NS;
	time_t t;
	struct tm tm;

	if (rem < 0) {
		rem += NS;
		secs--;
	}
	t = (time_t) secs;
	gmtime_r(&t, &tm);
	/* int64 nanoseconds keep the year at four digits. */
	size_t n = strftime(buf, LOG_TIME_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, LOG_TIME_LEN - n, ".%09dZ", (int) rem);
	return buf;
}

int log_record_parse(const char *line, size_t len, struct log_record *rec)
{
	const char *end = line + len, *p;
	const char *sp = memchr(line, ' ', len);

	if (!sp || log_time_parse(line, (size_t) (sp - line), &rec->time) < 0)
		return -1;
	p = sp + 1;
	if ((size_t) (end - p) >= 7 && !memcmp(p, "stdout ", 7))
		rec->stream = LOG_STDOUT;
	else if ((size_t) (end - p) >= 7 && !memcmp(p, "stderr ", 7))
		rec->stream = LOG_STDERR;
	else
		return -1;
	p += 7;
	if (p >= end || (*p != 'P' && *p != 'F'))
		return -1;
	rec->partial = *p == 'P';
	p++;
	/* The tag is followed by one space, then the text; conmon always
	 * writes the space, even before an empty line. */
	if (p < end) {
		if (*p != ' ')
			return -1;
		p++;
	}
	rec->text = p;
	rec->len = (size_t) (end - p);
	return 0;
}

/* ---- reading backwards, for --tail ---- */

/* A cache of one block of the file, moving backwards. */
struct rscan {
	int fd;
	char *block;
	int64_t bstart, bend;	/* the cached bytes are [bstart, bend) */
};

/* Offset of the last '\n' before `before`, or -1 if there is none. */
static int rscan_prev_newline(struct rscan *rs, int64_t before, int64_t *nl, robbe_error **err)
{
	for (;;) {
		if (before > rs->bstart && before <= rs->bend) {
			const char *b = rs->block;
			for (int64_t i = before - 1; i >= rs->bstart; i--) {
				if (b[i - rs->bstart] == '\n') {
					*nl = i;
					return 0;
				}
			}
			before = rs->bstart;
		}
		if (before <= 0) {
			*nl = -1;
			return 0;
		}
		{
			int64_t start = before > READ_CHUNK ? before - READ_CHUNK : 0;
			size_t want = (size_t) (before - start), got = 0;

			while (got < want) {
				ssize_t n = pread(rs->fd, rs->block + got, want - got, start + (int64_t) got);
				if (n < 0 && errno == EINTR)
					continue;
				if (n < 0)
					return robbe_error_errno(err, errno, "read log");
				if (n == 0)
					break;
				got += (size_t) n;
			}
			rs->bstart = start;
			rs->bend = start + (int64_t) got;
			if (got < want)
				return robbe_error_set(err, 0, "read log: file shrank while reading");
		}
	}
}

/* Read and parse the record [start, end); false if it does not parse. */
static int rscan_record(struct rscan *rs, int64_t start, int64_t end, char **buf, struct log_record *rec,
			bool *parsed, robbe_error **err)
{
	size_t len = (size_t) (end - start), got = 0;

	*parsed = false;
	if (end - start > RECORD_MAX)
		return 0;
	*buf = xrealloc(*buf, len + 1);
	if (start >= rs->bstart && end <= rs->bend) {
		memcpy(*buf, rs->block + (start - rs->bstart), len);
	} else {
		while (got < len) {
			ssize_t n = pread(rs->fd, *buf + got, len - got, start + (int64_t) got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return robbe_error_errno(err, n < 0 ? errno : EIO, "read log");
			got += (size_t) n;
		}
	}
	(*buf)[len] = '\0';
	*parsed = log_record_parse(*buf, len, rec) == 0;
	return 0;
}

/* A line of stream s ends at a record if the record is F, or if it is the
 * last record of s in the file (output still without its newline, which
 * ctrlogs_read hands out as a line at the end). */
int ctrlogs_tail_offset(int fd, int64_t size, int64_t tail, int64_t *start, int64_t *first_end, robbe_error **err)
{
	struct rscan rs = { fd, NULL, 0, 0 };
	cleanup_free char *recbuf = NULL;
	bool seen[3] = { false, false, false }, closed[3] = { true, true, true };
	int64_t count = 0, end, nl = -1, boundary = -1;
	struct log_record rec;
	bool parsed;
	int r = -1;

	if (tail < 0) {
		*start = *first_end = 0;
		return 0;
	}
	if (tail == 0) {
		*start = *first_end = size;
		return 0;
	}
	rs.block = xmalloc(READ_CHUNK);
	/* Bytes after the last newline are a record still being written. */
	if (rscan_prev_newline(&rs, size, &end, err) < 0)
		goto out;
	/* Find the record where the last tail lines begin. */
	while (end >= 0) {
		if (rscan_prev_newline(&rs, end, &nl, err) < 0 ||
		    rscan_record(&rs, nl + 1, end, &recbuf, &rec, &parsed, err) < 0)
			goto out;
		if (parsed) {
			bool ends_line = !rec.partial || !seen[rec.stream];

			seen[rec.stream] = true;
			if (ends_line && ++count == tail) {
				boundary = nl + 1;
				break;
			}
		}
		end = nl;
	}
	if (boundary < 0) {
		*start = *first_end = 0;
		r = 0;
		goto out;
	}
	*first_end = *start = boundary;
	/* Lines that end at or after the boundary may begin before it: walk
	 * on back over their P pieces, up to an F of the same stream. */
	for (int s = 1; s <= 2; s++)
		closed[s] = !seen[s];
	end = nl;
	while (end >= 0 && !(closed[LOG_STDOUT] && closed[LOG_STDERR])) {
		if (rscan_prev_newline(&rs, end, &nl, err) < 0 ||
		    rscan_record(&rs, nl + 1, end, &recbuf, &rec, &parsed, err) < 0)
			goto out;
		if (parsed && !closed[rec.stream]) {
			if (rec.partial)
				*start = nl + 1;
			else
				closed[rec.stream] = true;
		}
		end = nl;
	}
	r = 0;
out:
	free(rs.block);
	return r;
}

/* ---- reading forwards ---- */

struct reader {
	const struct ctrlogs_options *opts;
	log_line_cb cb;
	void *data;
	struct ctrlogs_stats *stats;
	int64_t first_end;	/* lines ending at a record before this are outside the tail */
	struct sbuf pending[3];	/* per stream: pieces of a line not yet ended */
	int64_t pending_time[3];
	int64_t pending_last[3];	/* offset of the latest piece */
	bool has_pending[3];
	struct sbuf partial_record;	/* bytes read after the last newline */
	int64_t record_off;	/* file offset of partial_record's first byte */
	bool skipping;		/* inside a record longer than RECORD_MAX */
	bool stop;
};

static int emit(struct reader *rd, int s, int64_t end_off, bool newline, robbe_error **err)
{
	const struct ctrlogs_options *o = rd->opts;
	int64_t t = rd->pending_time[s];
	int r = 0;

	if (newline)
		sbuf_addc(&rd->pending[s], '\n');
	if (end_off >= rd->first_end && (o->since <= 0 || t >= o->since) && (o->until <= 0 || t <= o->until)) {
		if (rd->stats)
			rd->stats->lines++;
		r = rd->cb(rd->data, (enum log_stream) s, t, sbuf_str(&rd->pending[s]), rd->pending[s].len, err);
	}
	sbuf_reset(&rd->pending[s]);
	rd->has_pending[s] = false;
	if (r < 0)
		return -1;
	if (r > 0)
		rd->stop = true;
	return 0;
}

static int handle_record(struct reader *rd, const char *line, size_t len, int64_t off, robbe_error **err)
{
	struct log_record rec;
	int s;

	if (log_record_parse(line, len, &rec) < 0) {
		if (rd->stats)
			rd->stats->malformed++;
		return 0;
	}
	s = rec.stream;
	if (!rd->has_pending[s]) {
		rd->has_pending[s] = true;
		rd->pending_time[s] = rec.time;
	}
	sbuf_add(&rd->pending[s], rec.text, rec.len);
	rd->pending_last[s] = off;
	if (!rec.partial)
		return emit(rd, s, off, true, err);
	if (rd->pending[s].len >= LINE_PIECE_MAX)
		return emit(rd, s, off, false, err);
	return 0;
}

/* Feed n bytes read at file offset off (contiguous with what came before). */
static int feed(struct reader *rd, const char *data, size_t n, int64_t off, robbe_error **err)
{
	const char *p = data, *end = data + n;

	while (p < end && !rd->stop) {
		const char *nl = memchr(p, '\n', (size_t) (end - p));
		size_t take = nl ? (size_t) (nl - p) : (size_t) (end - p);

		if (rd->skipping) {
			if (nl)
				rd->skipping = false;
		} else if (rd->partial_record.len + take > RECORD_MAX) {
			if (rd->stats)
				rd->stats->malformed++;
			sbuf_reset(&rd->partial_record);
			rd->skipping = !nl;
		} else if (nl && rd->partial_record.len == 0) {
			if (handle_record(rd, p, take, off + (p - data), err) < 0)
				return -1;
		} else {
			if (rd->partial_record.len == 0)
				rd->record_off = off + (p - data);
			sbuf_add(&rd->partial_record, p, take);
			if (nl) {
				int r = handle_record(rd, rd->partial_record.buf, rd->partial_record.len,
						      rd->record_off, err);
				sbuf_reset(&rd->partial_record);
				if (r < 0)
					return -1;
			}
		}
		p += take + (nl ? 1 : 0);
	}
	return 0;
}

/* Hand out lines whose newline never came (the container ended its output
 * without one), oldest first. */
static int flush_pending(struct reader *rd, robbe_error **err)
{
	while (!rd->stop) {
		int s = 0;

		for (int i = 1; i <= 2; i++)
			if (rd->has_pending[i] && (!s || rd->pending_last[i] < rd->pending_last[s]))
				s = i;
		if (!s)
			return 0;
		if (emit(rd, s, rd->pending_last[s], false, err) < 0)
			return -1;
	}
	return 0;
}

/* Read fd from its current offset *pos to EOF.  Returns bytes read. */
static int64_t read_available(struct reader *rd, int fd, int64_t *pos, robbe_error **err)
{
	cleanup_free char *buf = xmalloc(READ_CHUNK);
	int64_t total = 0;

	while (!rd->stop) {
		ssize_t n = read(fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return robbe_error_errno(err, errno, "read log");
		if (n == 0)
			break;
		if (feed(rd, buf, (size_t) n, *pos, err) < 0)
			return -1;
		*pos += n;
		total += n;
	}
	return total;
}

static int64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t) ts.tv_sec * NS + ts.tv_nsec;
}

static bool file_exists(const char *path)
{
	return path && access(path, F_OK) == 0;
}

static void add_dir_watch(int ifd, const char *path, uint32_t mask)
{
	cleanup_free char *dir = NULL;
	const char *slash;

	if (ifd < 0 || !path || !(slash = strrchr(path, '/')))
		return;
	dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t) (slash - path));
	(void) inotify_add_watch(ifd, dir, mask);
}

/* Sleep until something changes near the log or the exit file, or
 * poll_ms passes (inotify only shortens the wait). */
static void wait_for_change(int ifd, int poll_ms)
{
	struct pollfd pf = { ifd, POLLIN, 0 };
	char buf[4096];

	if (ifd < 0) {
		struct timespec ts = { poll_ms / 1000, (long) (poll_ms % 1000) * 1000000 };
		nanosleep(&ts, NULL);
		return;
	}
	if (poll(&pf, 1, poll_ms) > 0)
		while (read(ifd, buf, sizeof(buf)) > 0)
			;
}

static int open_log(const char *path, int *fd, struct stat *st, robbe_error **err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		if (errno == ENOENT)
			return 0;
		return robbe_error_errno(err, errno, "open log %s", path);
	}
	if (fstat(*fd, st) < 0) {
		int e = errno;
		close(*fd);
		*fd = -1;
		return robbe_error_errno(err, e, "stat log %s", path);
	}
	return 0;
}

static void reader_release(struct reader *rd)
{
	for (int i = 0; i < 3; i++)
		sbuf_release(&rd->pending[i]);
	sbuf_release(&rd->partial_record);
}

static int follow(struct reader *rd, const char *path, int *fd, struct stat *st, int64_t *pos, robbe_error **err)
{
	const struct ctrlogs_options *o = rd->opts;
	int poll_ms = o->poll_ms > 0 ? o->poll_ms : DEFAULT_POLL_MS;
	cleanup_close int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	bool exited = false;

	add_dir_watch(ifd, path, IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE);
	add_dir_watch(ifd, o->exit_file, IN_CREATE | IN_MOVED_TO);
	while (!rd->stop) {
		struct stat now;

		if (*fd >= 0 && read_available(rd, *fd, pos, err) < 0)
			return -1;
		if (rd->stop)
			break;
		/* conmon replaces the log when --log-size-max is reached: finish
		 * the old file (done above), then start on the new one. */
		if (stat(path, &now) == 0 && (*fd < 0 || now.st_ino != st->st_ino || now.st_dev != st->st_dev)) {
			if (*fd >= 0) {
				/* conmon may have written to the old file
				 * between our read and its rename. */
				if (read_available(rd, *fd, pos, err) < 0)
					return -1;
				if (rd->stop)
					break;
				close(*fd);
			}
			*fd = -1;
			if (open_log(path, fd, st, err) < 0)
				return -1;
			*pos = 0;
			sbuf_reset(&rd->partial_record);
			rd->skipping = false;
			continue;
		}
		if (*fd >= 0 && now.st_size < *pos) {
			/* Truncated in place: start again from the top. */
			if (lseek(*fd, 0, SEEK_SET) < 0)
				return robbe_error_errno(err, errno, "seek log %s", path);
			*pos = 0;
			sbuf_reset(&rd->partial_record);
			continue;
		}
		/* The exit file is written after the last output reached the
		 * log, so one more read after seeing it gets everything. */
		if (exited)
			break;
		if (file_exists(o->exit_file)) {
			exited = true;
			continue;
		}
		if ((o->cancel && *o->cancel) || (o->until > 0 && wall_ns() > o->until))
			break;
		wait_for_change(ifd, poll_ms);
	}
	return 0;
}

int ctrlogs_read(const char *path, const struct ctrlogs_options *opts, log_line_cb cb, void *data,
		 struct ctrlogs_stats *stats, robbe_error **err)
{
	static const struct ctrlogs_options defaults = CTRLOGS_OPTIONS_INIT;
	const struct ctrlogs_options *o = opts ? opts : &defaults;
	struct reader rd = { .opts = o, .cb = cb, .data = data, .stats = stats };
	int fd = -1, r = -1;
	int64_t start = 0, pos = 0;
	struct stat st;

	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (open_log(path, &fd, &st, err) < 0)
		return -1;
	if (fd >= 0) {
		if (ctrlogs_tail_offset(fd, st.st_size, o->tail, &start, &rd.first_end, err) < 0)
			goto out;
		if (lseek(fd, start, SEEK_SET) < 0) {
			robbe_error_errno(err, errno, "seek log %s", path);
			goto out;
		}
		pos = start;
	}
	if (o->follow) {
		if (follow(&rd, path, &fd, &st, &pos, err) < 0)
			goto out;
	} else if (fd >= 0) {
		/* Bytes after the last newline are a record conmon is still
		 * writing; without follow they are left out. */
		if (read_available(&rd, fd, &pos, err) < 0)
			goto out;
	}
	if (flush_pending(&rd, err) < 0)
		goto out;
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	reader_release(&rd);
	return r;
}

struct copy_target {
	int out_fd, err_fd;
	bool timestamps;
};

static int copy_line(void *data, enum log_stream stream, int64_t time, const char *text, size_t len,
		     robbe_error **err)
{
	struct copy_target *t = data;
	int fd = stream == LOG_STDERR ? t->err_fd : t->out_fd;
	char ts[LOG_TIME_LEN + 1];
	int r = 0;

	if (fd < 0)
		return 0;
	if (t->timestamps) {
		log_time_format(time, ts);
		strcat(ts, " ");
		r = write_all(fd, ts, strlen(ts));
	}
	if (r == 0)
		r = write_all(fd, text, len);
	/* A reader that went away (`logs | head`) ends the copy quietly. */
	if (r == -EPIPE)
		return 1;
	if (r < 0)
		return robbe_error_errno(err, -r, "writing log output");
	return 0;
}

int ctrlogs_copy(const char *path, const struct ctrlogs_options *opts, int out_fd, int err_fd, bool timestamps,
		 robbe_error **err)
{
	struct copy_target t = { out_fd, err_fd, timestamps };

	return ctrlogs_read(path, opts, copy_line, &t, NULL, err);
}
