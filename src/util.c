/* util.c: errors, allocation, string vectors and buffers, small file helpers. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include "util.h"

void die_oom(void)
{
	static const char msg[] = "robbe: out of memory\n";
	ssize_t r = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void) r;
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

void *xcalloc(size_t nmemb, size_t n)
{
	void *p = calloc(nmemb ? nmemb : 1, n ? n : 1);
	if (!p)
		die_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *r = realloc(p, n ? n : 1);
	if (!r)
		die_oom();
	return r;
}

char *xstrdup(const char *s)
{
	char *r = strdup(s ? s : "");
	if (!r)
		die_oom();
	return r;
}

char *xstrndup(const char *s, size_t n)
{
	char *r = strndup(s, n);
	if (!r)
		die_oom();
	return r;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *r;
	if (vasprintf(&r, fmt, ap) < 0)
		die_oom();
	return r;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *r;
	va_start(ap, fmt);
	r = xvasprintf(fmt, ap);
	va_end(ap);
	return r;
}

static int error_vset(robbe_error **err, int status, int errnum, const char *fmt, va_list ap)
{
	robbe_error *e;
	char *msg = xvasprintf(fmt, ap);

	if (!err) {
		free(msg);
		return -1;
	}
	/* A second error while one is pending keeps the first: it is the cause. */
	if (*err) {
		free(msg);
		return -1;
	}
	e = xcalloc(1, sizeof(*e));
	e->status = status;
	e->errnum = errnum;
	if (errnum) {
		e->msg = xasprintf("%s: %s", msg, strerror(errnum));
		free(msg);
	} else {
		e->msg = msg;
	}
	*err = e;
	return -1;
}

int robbe_error_set(robbe_error **err, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, status, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int robbe_error_errno(robbe_error **err, int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, 0, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int robbe_error_wrap(robbe_error **err, const char *fmt, ...)
{
	va_list ap;
	char *ctx;

	if (!err || !*err)
		return -1;
	va_start(ap, fmt);
	ctx = xvasprintf(fmt, ap);
	va_end(ap);
	char *msg = xasprintf("%s: %s", ctx, (*err)->msg);
	free(ctx);
	free((*err)->msg);
	(*err)->msg = msg;
	return -1;
}

void robbe_error_free(robbe_error *err)
{
	if (!err)
		return;
	free(err->msg);
	free(err);
}

void robbe_error_warn(robbe_error **err)
{
	if (!err || !*err)
		return;
	fprintf(stderr, "WARNING: %s\n", (*err)->msg);
	robbe_error_free(*err);
	*err = NULL;
}

size_t strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

void strv_free(char **v)
{
	if (!v)
		return;
	for (size_t i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

void strv_push_take(char ***v, char *s)
{
	size_t n = strv_len(*v);
	*v = xrealloc(*v, (n + 2) * sizeof(char *));
	(*v)[n] = s;
	(*v)[n + 1] = NULL;
}

void strv_push(char ***v, const char *s)
{
	strv_push_take(v, xstrdup(s));
}

char **strv_dup(char *const *v)
{
	char **r = xcalloc(strv_len(v) + 1, sizeof(char *));
	for (size_t i = 0; v && v[i]; i++)
		r[i] = xstrdup(v[i]);
	return r;
}

bool strv_contains(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

cJSON *strv_kv_object(char *const *kv)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; kv && kv[i]; i++) {
		const char *eq = strchr(kv[i], '=');
		cleanup_free char *k = eq ? xstrndup(kv[i], (size_t) (eq - kv[i])) : xstrdup(kv[i]);

		cJSON_DeleteItemFromObjectCaseSensitive(o, k);
		cJSON_AddStringToObject(o, k, eq ? eq + 1 : "");
	}
	return o;
}

cJSON *json_object_parse(const char *text)
{
	cJSON *j = text ? cJSON_Parse(text) : NULL;

	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		j = cJSON_CreateObject();
	}
	return j;
}

void sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	size_t a = sb->alloc ? sb->alloc : 64;
	while (a < need)
		a *= 2;
	sb->buf = xrealloc(sb->buf, a);
	sb->alloc = a;
}

void sbuf_add(struct sbuf *sb, const void *data, size_t len)
{
	sbuf_grow(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sbuf_adds(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void sbuf_addc(struct sbuf *sb, char c)
{
	sbuf_add(sb, &c, 1);
}

void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	sbuf_grow(sb, (size_t) n);
	vsnprintf(sb->buf + sb->len, (size_t) n + 1, fmt, ap);
	sb->len += (size_t) n;
}

void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sbuf_release(struct sbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

char *sbuf_detach(struct sbuf *sb)
{
	char *r = sb->buf ? sb->buf : xstrdup("");
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return r;
}

const char *sbuf_str(const struct sbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

bool str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

int read_file_all(const char *path, size_t max, char **out, size_t *len, robbe_error **err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct sbuf sb = SBUF_INIT;
	char chunk[8192];

	if (fd < 0)
		return robbe_error_errno(err, errno, "open %s", path);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			sbuf_release(&sb);
			return robbe_error_errno(err, errno, "read %s", path);
		}
		if (n == 0)
			break;
		if (sb.len + (size_t) n > max) {
			sbuf_release(&sb);
			return robbe_error_errno(err, EFBIG, "read %s", path);
		}
		sbuf_add(&sb, chunk, (size_t) n);
	}
	if (len)
		*len = sb.len;
	*out = sbuf_detach(&sb);
	return 0;
}

/* Write to a temporary file beside path, then rename it into place, so a
 * reader never sees half a file.  With sync, the data reaches the disk
 * before the rename (a crash leaves the old file or the new one, whole). */
static int write_file_renamed(const char *path, const void *data, size_t len, int mode, bool sync,
			      robbe_error **err)
{
	cleanup_free char *tmp = xasprintf("%s.tmp-%d", path, (int) getpid());
	const char *p = data;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0)
		return robbe_error_errno(err, errno, "create %s", tmp);
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			unlink(tmp);
			return robbe_error_errno(err, e, "write %s", tmp);
		}
		p += n;
		len -= (size_t) n;
	}
	if ((sync && fsync(fd) < 0) || close(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return robbe_error_errno(err, e, "write %s", path);
	}
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len, int mode, robbe_error **err)
{
	return write_file_renamed(path, data, len, mode, true, err);
}

int mkdir_p(const char *path, int mode, robbe_error **err)
{
	cleanup_free char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, (mode_t) mode) < 0 && errno != EEXIST)
			return robbe_error_errno(err, errno, "mkdir %s", p);
		*s = '/';
	}
	if (mkdir(p, (mode_t) mode) < 0 && errno != EEXIST)
		return robbe_error_errno(err, errno, "mkdir %s", p);
	return 0;
}

#include <dirent.h>

int rm_rf_at(int parent_fd, const char *name, robbe_error **err)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if (unlinkat(parent_fd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR)
		return robbe_error_errno(err, errno, "remove %s", name);
	fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : robbe_error_errno(err, errno, "open %s", name);
	/* A directory without write permission cannot be emptied by its
	 * owner; it is about to go, so its mode no longer matters. */
	(void) fchmod(fd, 0700);
	d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return robbe_error_errno(err, e, "open %s", name);
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (rm_rf_at(dirfd(d), de->d_name, err) < 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	if (unlinkat(parent_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return robbe_error_errno(err, errno, "remove %s", name);
	return 0;
}

/* Length of the valid UTF-8 sequence at s (2..4), or 0. */
static size_t utf8_seq_len(const unsigned char *s)
{
	size_t n;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void sbuf_add_go_quoted(struct sbuf *sb, const char *s)
{
	static const char esc_from[] = "\a\b\f\n\r\t\v";
	static const char esc_to[] = "abfnrtv";

	sbuf_addc(sb, '"');
	for (const unsigned char *p = (const unsigned char *) s; *p;) {
		const char *e = *p ? strchr(esc_from, *p) : NULL;
		size_t n;

		if (*p == '"' || *p == '\\') {
			sbuf_addc(sb, '\\');
			sbuf_addc(sb, (char) *p++);
		} else if (e) {
			sbuf_addc(sb, '\\');
			sbuf_addc(sb, esc_to[e - esc_from]);
			p++;
		} else if (*p >= 0x20 && *p < 0x7f) {
			sbuf_addc(sb, (char) *p++);
		} else if (*p >= 0x80 && (n = utf8_seq_len(p)) > 0) {
			sbuf_add(sb, p, n);
			p += n;
		} else {
			sbuf_addf(sb, "\\x%02x", *p++);
		}
	}
	sbuf_addc(sb, '"');
}

int write_file_replace(const char *path, const void *data, size_t len, int mode, robbe_error **err)
{
	return write_file_renamed(path, data, len, mode, false, err);
}

bool openat2_available(void)
{
#ifdef SYS_openat2
	static int cached = -1;

	if (cached < 0) {
		struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
					.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
		int fd = (int) syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));
		cached = fd >= 0;
		if (fd >= 0)
			close(fd);
	}
	return cached;
#else
	return false;
#endif
}

int openat2_in(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
#ifdef SYS_openat2
	struct open_how how = { .flags = flags | O_CLOEXEC, .resolve = resolve };

	if (!openat2_available())
		return -ENOSYS;
	/* EAGAIN: a rename raced with a ".." in the lookup; the kernel asks
	 * us to try again rather than risk a wrong answer. */
	for (int attempt = 0; attempt < 32; attempt++) {
		long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0)
			return (int) fd;
		if (errno != EAGAIN)
			return errno == E2BIG || errno == EINVAL || errno == ENOSYS ? -ENOSYS : -errno;
	}
	return -EAGAIN;
#else
	(void) dirfd;
	(void) path;
	(void) flags;
	(void) resolve;
	return -ENOSYS;
#endif
}

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t) n;
	}
	return 0;
}
