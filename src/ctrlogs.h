/* ctrlogs.h: reading a container's log as conmon writes it (k8s-file).
 *
 * Each record is one line:
 *
 *   <RFC 3339 timestamp, nanoseconds, numeric offset> <stdout|stderr> <P|F> <text>\n
 *
 * F ends a line of the container's output; P is a piece of a longer line
 * (conmon reads at most 8 KiB at a time) or output that had no newline yet,
 * and the next record of the same stream continues it.  The reader joins
 * the pieces back into whole lines and hands each to a callback with the
 * stream it came from and the time of its first piece.  Malformed records
 * are skipped (and counted), never fatal.
 */
#ifndef ROBBE_CTRLOGS_H
#define ROBBE_CTRLOGS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum log_stream {
	LOG_STDOUT = 1,
	LOG_STDERR = 2,
};

/* One parsed record.  text points into the parsed line and excludes the
 * record's own newline. */
struct log_record {
	int64_t time;		/* nanoseconds since the epoch (UTC) */
	enum log_stream stream;
	bool partial;		/* P: the line continues in the next record of this stream */
	const char *text;
	size_t len;
};

/* Parse one record (line without its newline; len bytes, may contain NULs).
 * 0 on success, -1 if the line is not a k8s-file record. */
int log_record_parse(const char *line, size_t len, struct log_record *rec);

/* Parse an RFC 3339 time ("2024-05-01T10:20:30.123456789+02:00", 'Z' or a
 * numeric offset, 0-9 fraction digits) into nanoseconds since the epoch.
 * len bytes of s are parsed, all of them must be consumed.  0 or -1. */
int log_time_parse(const char *s, size_t len, int64_t *ns);
/* Format ns as RFC 3339 in UTC with exactly nine fraction digits and 'Z'
 * ("2024-05-01T08:20:30.123456789Z", what `docker logs -t` prints).  buf
 * must hold LOG_TIME_LEN bytes; returns buf. */
#define LOG_TIME_LEN 36
char *log_time_format(int64_t ns, char *buf);

/* Called once per whole line.  text includes the final '\n' unless the
 * container's output ended without one.  Return 0 to go on, a positive
 * value to stop reading (ctrlogs_read then returns 0), or a negative
 * value (after setting err) to fail. */
typedef int (*log_line_cb)(void *data, enum log_stream stream, int64_t time, const char *text, size_t len,
			   robbe_error **err);

struct ctrlogs_options {
	int64_t tail;		/* only the last tail lines; < 0: all */
	int64_t since;		/* ns; lines before it are skipped; 0: no bound */
	int64_t until;		/* ns; lines after it are skipped; 0: no bound */
	bool follow;		/* keep reading new lines ... */
	const char *exit_file;	/* ... until this file exists (conmon's exit file) */
	int poll_ms;		/* follow: longest wait between checks; 0: 250 */
	volatile sig_atomic_t *cancel;	/* follow: stop when *cancel becomes non-zero */
};
#define CTRLOGS_OPTIONS_INIT { .tail = -1 }

/* Statistics of one read, for callers and tests. */
struct ctrlogs_stats {
	uint64_t lines;		/* lines handed to the callback */
	uint64_t malformed;	/* records skipped because they did not parse */
};

/* Read the log at path and call cb for each line that passes the filters.
 * A missing log is an empty log (no output yet, or log driver none); with
 * follow, it is waited for.  Follow ends when opts->exit_file appears (the
 * rest of the log is read first: conmon writes the exit file after the
 * last output), when *opts->cancel is set, when until has passed, or when
 * cb asks to stop.  Log rotation by conmon (--log-size-max: the file is
 * replaced by a new one) is followed.  stats may be NULL. */
int ctrlogs_read(const char *path, const struct ctrlogs_options *opts, log_line_cb cb, void *data,
		 struct ctrlogs_stats *stats, robbe_error **err);

/* ctrlogs_read writing stdout lines to out_fd and stderr lines to err_fd,
 * each prefixed with its time (log_time_format and a space) when
 * timestamps is set. */
int ctrlogs_copy(const char *path, const struct ctrlogs_options *opts, int out_fd, int err_fd, bool timestamps,
		 robbe_error **err);

/* Where the last tail lines of the log in fd (size bytes) begin, reading
 * backwards in blocks: *start is the offset to read from and *first_end the
 * offset of the first record that may end a reported line (lines ending
 * before it are outside the tail).  Exposed for the unit tests. */
int ctrlogs_tail_offset(int fd, int64_t size, int64_t tail, int64_t *start, int64_t *first_end, robbe_error **err);

#endif
