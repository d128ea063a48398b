/* copy-resolve.c: paths inside a container's root, for cp.
 *
 * The root belongs to the container and is hostile: any component of a
 * path the user names may be a symlink the container made, pointing at
 * "/", at "../../..", at "/proc/self/root", or changing while we look.
 * The rules:
 *
 *  - Symlinks are followed the way the container itself would see them:
 *    an absolute target starts again at the root, ".." never climbs above
 *    it.  With openat2() that is RESOLVE_IN_ROOT, done by the kernel in one
 *    call and immune to renames racing the lookup; RESOLVE_NO_MAGICLINKS
 *    keeps /proc/<pid>/root-style links (which jump to wherever a process
 *    is) from being followed at all.
 *  - Without openat2, the same is done in userspace, one component at a
 *    time: each is opened O_PATH|O_NOFOLLOW relative to the fd of its
 *    parent, a symlink is read through its own fd (readlinkat(fd, "")) and
 *    its target resolved again from the root fd, and ".." pops a stack of
 *    fds we hold instead of asking the filesystem for the parent.  No path
 *    string is ever handed to the kernel whole, so nothing the container
 *    changes meanwhile can lead outside the fds we started from.
 *  - For the host side of a copy (CP_RES_NOLINKS) every symlink on the way
 *    is refused: the entries come from the container's tar.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include "copy-internal.h"

/* A path grows by a link target per symlink; bound the work. */
#define CP_MAX_PENDING (16u * PATH_MAX)

/* ---- lexical helpers -------------------------------------------------------- */

/* Go's path.Clean: "." and empty components dropped, ".." eats the
 * component before it (at the root of an absolute path it is dropped,
 * at the front of a relative one it stays). */
static char *go_clean(const char *path)
{
	bool rooted = path[0] == '/';
	struct sbuf sb = SBUF_INIT;
	size_t keep = 0; /* leading "../" that cannot be eaten */
	const char *p = path;

	if (rooted)
		sbuf_addc(&sb, '/');
	keep = sb.len;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t) (end - p) : strlen(p);

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (sb.len > keep) {
				char *slash = strrchr(sb.buf + keep, '/');
				sb.len = slash ? (size_t) (slash - sb.buf) : keep;
				if (rooted && sb.len == 0)
					sb.len = 1;
				sb.buf[sb.len] = '\0';
			} else if (!rooted) {
				if (sb.len)
					sbuf_addc(&sb, '/');
				sbuf_adds(&sb, "..");
				keep = sb.len;
			}
		} else if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (sb.len && sb.buf[sb.len - 1] != '/')
				sbuf_addc(&sb, '/');
			sbuf_add(&sb, p, len);
		}
		p += len;
		if (*p == '/')
			p++;
	}
	if (!sb.len)
		sbuf_addc(&sb, '.');
	return sbuf_detach(&sb);
}

char *cp_clean_abs(const char *path)
{
	cleanup_free char *rooted = xasprintf("/%s", path ? path : "");
	return go_clean(rooted);
}

/* Go's filepath.Base. */
static char *go_base(const char *path)
{
	size_t len = strlen(path);
	const char *start;

	if (!len)
		return xstrdup(".");
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len == 1 && path[0] == '/')
		return xstrdup("/");
	start = path + len;
	while (start > path && start[-1] != '/')
		start--;
	return xstrndup(start, (size_t) (path + len - start));
}

bool cp_is_current_dir(const char *path)
{
	cleanup_free char *b = go_base(path);
	return strcmp(b, ".") == 0;
}

bool cp_asserts_dir(const char *path)
{
	size_t len = strlen(path);
	return (len && path[len - 1] == '/') || cp_is_current_dir(path);
}

void cp_split_dir_entry(const char *path, char **dir, char **base)
{
	cleanup_free char *clean = go_clean(path);
	char *slash;

	if (cp_is_current_dir(path)) {
		char *t = xasprintf("%s/.", clean);
		free(clean);
		clean = t;
	}
	*base = go_base(clean);
	slash = strrchr(clean, '/');
	if (!slash)
		*dir = xstrdup(".");
	else if (slash == clean)
		*dir = xstrdup("/");
	else {
		cleanup_free char *d = xstrndup(clean, (size_t) (slash - clean));
		*dir = go_clean(d);
	}
}

const char *cp_go_strerror(int errnum, char *buf, size_t len)
{
	const char *s = strerror(errnum);

	snprintf(buf, len, "%s", s);
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char) (buf[0] - 'A' + 'a');
	return buf;
}

/* ---- openat2 ------------------------------------------------------------------ */

/* -ENOSYS when openat2 cannot answer (absent, or asked not to be used). */
static int open_dir_openat2(const struct cp_root *r, const char *path, unsigned flags)
{
	if (r->no_openat2)
		return -ENOSYS;
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
#ifdef SYS_openat2
	return openat2_in(r->fd, path, O_RDONLY | O_DIRECTORY,
			  (flags & CP_RES_NOLINKS) ? RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS
						   : RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
#else
	(void) flags;
	return -ENOSYS;
#endif
}

/* ---- the userspace walk --------------------------------------------------------- */

struct walk {
	unsigned flags;
	int fds[CP_MAX_DEPTH + 1];	/* fds[0]: the root; O_PATH directories */
	char *names[CP_MAX_DEPTH + 1];	/* names[i]: component that led to fds[i] (i >= 1) */
	int depth;
	int links;
	struct sbuf pending;		/* what is left to resolve */
};

static void walk_pop(struct walk *w)
{
	close(w->fds[w->depth]);
	free(w->names[w->depth]);
	w->names[w->depth] = NULL;
	w->depth--;
}

static void walk_release(struct walk *w)
{
	while (w->depth > 0)
		walk_pop(w);
	if (w->fds[0] >= 0)
		close(w->fds[0]);
	sbuf_release(&w->pending);
}

/* Take the next component off the front of pending into comp; false at the end. */
static bool next_component(struct walk *w, char *comp, size_t size)
{
	size_t i = 0, n;

	while (i < w->pending.len && w->pending.buf[i] == '/')
		i++;
	if (i == w->pending.len) {
		sbuf_reset(&w->pending);
		return false;
	}
	n = 0;
	while (i + n < w->pending.len && w->pending.buf[i + n] != '/')
		n++;
	if (n >= size)
		n = size - 1; /* longer than NAME_MAX: openat says ENAMETOOLONG */
	memcpy(comp, w->pending.buf + i, n);
	comp[n] = '\0';
	while (i + n < w->pending.len && w->pending.buf[i + n] != '/')
		n++;
	memmove(w->pending.buf, w->pending.buf + i + n, w->pending.len - i - n);
	w->pending.len -= i + n;
	w->pending.buf[w->pending.len] = '\0';
	return true;
}

/* Is anything but "/" and "." left? */
static bool more_components(const struct walk *w)
{
	const char *p = w->pending.buf;

	for (size_t i = 0; i < w->pending.len; i++)
		if (p[i] != '/' && !(p[i] == '.' && (i + 1 == w->pending.len || p[i + 1] == '/') &&
				     (i == 0 || p[i - 1] == '/')))
			return true;
	return false;
}

static int walk_push(struct walk *w, int fd, const char *name)
{
	if (w->depth >= CP_MAX_DEPTH) {
		close(fd);
		return -ENAMETOOLONG;
	}
	w->depth++;
	w->fds[w->depth] = fd;
	w->names[w->depth] = xstrdup(name);
	return 0;
}

/* Replace the front of pending by a link target. */
static int walk_splice_link(struct walk *w, int linkfd)
{
	char target[PATH_MAX + 1];
	ssize_t n = readlinkat(linkfd, "", target, sizeof(target) - 1);
	struct sbuf next = SBUF_INIT;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	if (++w->links > CP_MAX_LINKS)
		return -ELOOP;
	if (target[0] == '/')
		while (w->depth > 0)
			walk_pop(w);
	sbuf_adds(&next, target);
	sbuf_addc(&next, '/');
	sbuf_add(&next, w->pending.buf ? w->pending.buf : "", w->pending.len);
	sbuf_release(&w->pending);
	w->pending = next;
	if (w->pending.len > CP_MAX_PENDING)
		return -ENAMETOOLONG;
	return 0;
}

enum walk_goal {
	WALK_DIR,	/* the path must end at a directory */
	WALK_NAME,	/* find the path's name; missing components are kept as written */
};

/* Run the walk.  WALK_DIR leaves the directory on top of the stack.
 * WALK_NAME pushes what exists and appends the rest to *tail. */
static int walk_run(struct walk *w, const char *path, enum walk_goal goal, bool follow_last, struct sbuf *tail)
{
	char comp[NAME_MAX + 2];

	sbuf_adds(&w->pending, path);
	while (next_component(w, comp, sizeof(comp))) {
		bool last = !more_components(w);
		struct stat st;
		int fd, r;

		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (w->depth > 0)
				walk_pop(w);
			else if (w->flags & CP_RES_NOLINKS)
				return -EXDEV;
			continue;
		}
		fd = openat(w->fds[w->depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && (w->flags & CP_RES_MKDIR) && (!last || goal == WALK_DIR)) {
			if (mkdirat(w->fds[w->depth], comp, 0755) < 0 && errno != EEXIST)
				return -errno;
			fd = openat(w->fds[w->depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
		if (fd < 0) {
			int e = errno;
			if (e == ENOENT && goal == WALK_NAME) {
				/* The rest does not exist: keep it as written. */
				sbuf_addc(tail, '/');
				sbuf_adds(tail, comp);
				sbuf_addc(tail, '/');
				sbuf_add(tail, w->pending.buf ? w->pending.buf : "", w->pending.len);
				return 0;
			}
			return -e;
		}
		if (fstat(fd, &st) < 0) {
			int e = errno;
			close(fd);
			return -e;
		}
		if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
			if (w->flags & CP_RES_NOLINKS) {
				close(fd);
				return -ELOOP;
			}
			r = walk_splice_link(w, fd);
			close(fd);
			if (r < 0)
				return r;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (!last || goal == WALK_DIR) {
				close(fd);
				return -ENOTDIR;
			}
		}
		if ((r = walk_push(w, fd, comp)) < 0)
			return r;
	}
	return 0;
}

static int walk_init(struct walk *w, const struct cp_root *r, unsigned flags)
{
	memset(w, 0, sizeof(*w));
	w->flags = flags;
	w->fds[0] = fcntl(r->fd, F_DUPFD_CLOEXEC, 3);
	return w->fds[0] < 0 ? -errno : 0;
}

static int open_dir_walk(const struct cp_root *r, const char *path, unsigned flags)
{
	struct walk w;
	int fd, res;

	if ((res = walk_init(&w, r, flags)) < 0)
		return res;
	res = walk_run(&w, path, WALK_DIR, true, NULL);
	if (res == 0) {
		/* Reopen the directory we hold for reading. */
		fd = openat(w.fds[w.depth], ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		res = fd < 0 ? -errno : fd;
	}
	walk_release(&w);
	return res;
}

int cp_open_dir(const struct cp_root *r, const char *path, unsigned flags)
{
	int fd = open_dir_openat2(r, path, flags);

	/* ENOENT with MKDIR: the walk creates what is missing. */
	if (fd == -ENOSYS || fd == -EAGAIN || (fd == -ENOENT && (flags & CP_RES_MKDIR)))
		fd = open_dir_walk(r, path, flags);
	return fd;
}

int cp_open_parent(const struct cp_root *r, const char *path, unsigned flags, const char **leaf)
{
	const char *slash = strrchr(path, '/');
	cleanup_free char *dir = slash ? xstrndup(path, (size_t) (slash - path)) : xstrdup("");

	*leaf = slash ? slash + 1 : path;
	return cp_open_dir(r, dir, flags);
}

int cp_resolve_path(const struct cp_root *r, const char *path, unsigned flags, char **out)
{
	struct sbuf tail = SBUF_INIT;
	struct sbuf sb = SBUF_INIT;
	struct walk w;
	int res;

	*out = NULL;
	if ((res = walk_init(&w, r, flags & ~CP_RES_MKDIR)) < 0)
		return res;
	res = walk_run(&w, path, WALK_NAME, flags & CP_RES_FOLLOW, &tail);
	if (res == 0) {
		for (int i = 1; i <= w.depth; i++) {
			sbuf_addc(&sb, '/');
			sbuf_adds(&sb, w.names[i]);
		}
		if (tail.len)
			sbuf_add(&sb, tail.buf, tail.len);
		*out = cp_clean_abs(sbuf_str(&sb));
	}
	sbuf_release(&sb);
	sbuf_release(&tail);
	walk_release(&w);
	return res;
}
