/* util.h: errors, cleanup attributes, allocation wrappers, string buffers.
 *
 * Every layer (compat/, src/, store/) includes this header; it depends on
 * nothing else in the tree.
 */
#ifndef ROBBE_UTIL_H
#define ROBBE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define ATTR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define ATTR_NORETURN __attribute__((noreturn))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* UNITTEST marks functions that are file-static in the program but visible
 * to the unit tests, which compile the file with -DROBBE_UNITTEST. */
#ifdef ROBBE_UNITTEST
#define UNITTEST
#else
#define UNITTEST static
#endif

/* Exit statuses in Docker's sense. */
enum {
	EXIT_GENERAL = 1,	/* a "daemon" error: no such object, conflict, ... */
	EXIT_TEMPLATE = 64,	/* bad --format template in inspect/version/info */
	EXIT_ENGINE = 125,	/* usage error or the engine failed */
	EXIT_CANNOT_INVOKE = 126,
	EXIT_NOT_FOUND = 127,
};

/* The one error type.  Fallible functions take `robbe_error **err` last and
 * return a negative value; callers add context with robbe_error_wrap() and
 * only main prints it, once. */
typedef struct robbe_error {
	int status;	/* exit status the top level should use; 0 = command default */
	int errnum;	/* errno behind the error, 0 if none */
	char *msg;
} robbe_error;

int robbe_error_set(robbe_error **err, int status, const char *fmt, ...) ATTR_PRINTF(3, 4);
/* Like robbe_error_set, appending ": strerror(errnum)". */
int robbe_error_errno(robbe_error **err, int errnum, const char *fmt, ...) ATTR_PRINTF(3, 4);
/* Prefix the message with context ("pulling layer 3: <old message>"). */
int robbe_error_wrap(robbe_error **err, const char *fmt, ...) ATTR_PRINTF(2, 3);
void robbe_error_free(robbe_error *err);
/* Print "prefix: msg" to stderr as a warning and free the error. */
void robbe_error_warn(robbe_error **err);

/* Allocation: failure aborts, so logic never carries OOM branches. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) ATTR_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) ATTR_PRINTF(1, 0);
void die_oom(void) ATTR_NORETURN;

/* Cleanup attributes. */
static inline void cleanup_freep(void *p)
{
	free(*(void **) p);
}
static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
static inline void cleanup_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
void strv_free(char **v);
static inline void cleanup_strvp(char ***v)
{
	strv_free(*v);
}
static inline void cleanup_errorp(robbe_error **e)
{
	robbe_error_free(*e);
}

static inline void cleanup_cjsonp(cJSON **j)
{
	cJSON_Delete(*j);
}

#define cleanup_cjson __attribute__((cleanup(cleanup_cjsonp)))
#define cleanup_free __attribute__((cleanup(cleanup_freep)))
#define cleanup_close __attribute__((cleanup(cleanup_closep)))
#define cleanup_fclose __attribute__((cleanup(cleanup_fclosep)))
#define cleanup_strv __attribute__((cleanup(cleanup_strvp)))
#define cleanup_error __attribute__((cleanup(cleanup_errorp)))

/* Hand ownership out of a cleanup variable. */
static inline void *steal_pointer_(void *pp)
{
	void **p = pp;
	void *r = *p;
	*p = NULL;
	return r;
}
#define steal_pointer(pp) ((__typeof__(*(pp))) steal_pointer_(pp))

static inline int steal_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

/* NULL-terminated string vectors. */
size_t strv_len(char *const *v);
/* Append a copy of s; *v may be NULL. */
void strv_push(char ***v, const char *s);
/* Append s, taking ownership. */
void strv_push_take(char ***v, char *s);
char **strv_dup(char *const *v);
bool strv_contains(char *const *v, const char *s);
/* "k=v" words ("k" alone: an empty value) as a JSON object of strings, in
 * the words' order; a later word with the same key wins (--label, -o). */
cJSON *strv_kv_object(char *const *kv);
/* text (may be NULL) parsed as a JSON object: an empty object when it is
 * missing, broken or something else than an object.  The caller frees it. */
cJSON *json_object_parse(const char *text);

/* Growable string buffer.  buf is always NUL-terminated once used. */
struct sbuf {
	char *buf;
	size_t len;
	size_t alloc;
};
#define SBUF_INIT { NULL, 0, 0 }
void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_add(struct sbuf *sb, const void *data, size_t len);
void sbuf_adds(struct sbuf *sb, const char *s);
void sbuf_addc(struct sbuf *sb, char c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...) ATTR_PRINTF(2, 3);
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap) ATTR_PRINTF(2, 0);
void sbuf_reset(struct sbuf *sb);
void sbuf_release(struct sbuf *sb);
/* Return the buffer (never NULL) and leave sb empty. */
char *sbuf_detach(struct sbuf *sb);
const char *sbuf_str(const struct sbuf *sb);
static inline void cleanup_sbufp(struct sbuf *sb)
{
	sbuf_release(sb);
}
#define cleanup_sbuf __attribute__((cleanup(cleanup_sbufp)))

/* Small string helpers. */
bool str_has_prefix(const char *s, const char *prefix);
bool str_has_suffix(const char *s, const char *suffix);

/* Files. */
/* Read a whole file (at most max bytes; more is an error: EFBIG). */
int read_file_all(const char *path, size_t max, char **out, size_t *len, robbe_error **err);
/* Write data to path atomically: temporary file, fsync, rename. */
int write_file_atomic(const char *path, const void *data, size_t len, int mode, robbe_error **err);
/* mkdir -p with the given mode for created directories. */
int mkdir_p(const char *path, int mode, robbe_error **err);

/* Remove name under parent_fd and everything below it without following
 * symbolic links; a missing name is not an error.  Holds one descriptor per
 * directory level, so callers bound the depth of trees they create. */
int rm_rf_at(int parent_fd, const char *name, robbe_error **err);

/* Go's %q of a string (strconv.Quote), as Docker's messages quote names:
 * "..." with \" \\ \n \t and friends escaped, other control bytes and
 * invalid UTF-8 as \xNN; valid multi-byte characters are kept. */
void sbuf_add_go_quoted(struct sbuf *sb, const char *s);

/* Replace path with data through a temporary file and rename: readers see
 * the old or the new content, never a mix.  Unlike write_file_atomic it
 * does not fsync: for files that can be made again, or whose durability
 * comes with a later commit on the same file system. */
int write_file_replace(const char *path, const void *data, size_t len, int mode, robbe_error **err);

/* Write all of data, going on after short writes and EINTR: 0, or
 * -errno (errno set too). */
int write_all(int fd, const void *data, size_t len);

/* openat2(2), where the kernel has it (Linux 5.6): open path below dirfd
 * with open flags and RESOLVE_* bits, asking again while a concurrent
 * rename makes the kernel answer EAGAIN.  The descriptor, or -errno;
 * -ENOSYS when there is no openat2 or it does not take these bits, so the
 * caller walks the path itself. */
int openat2_in(int dirfd, const char *path, uint64_t flags, uint64_t resolve);
bool openat2_available(void);

#endif
