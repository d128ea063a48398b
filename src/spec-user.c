/* spec-user.c: --user and --group-add, looked up in the image's own
 * /etc/passwd and /etc/group.
 *
 * The root filesystem comes from an image and is hostile: etc/passwd may be
 * a link to /etc/shadow, etc may be a link to /, and a file may be a FIFO or
 * a device node whose opening has effects.  Files are therefore opened with
 * openat2(RESOLVE_IN_ROOT), so that every link resolves as it would inside
 * the container, only as O_PATH first, and read only when they turn out to
 * be regular files.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "spec-internal.h"

/* passwd and group files larger than this are not believed. */
#define ACCOUNT_FILE_MAX (4u << 20)

/* Docker's (moby/sys/user) bounds for ids. */
#define ID_MAX 2147483647L

UNITTEST bool spec_test_no_openat2;

static int path_fd_in_root_openat2(int rootfd, const char *path, int flags)
{
	return openat2_in(rootfd, path, (uint64_t) flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

/* Where openat2 is missing: walk one component at a time and refuse every
 * symbolic link, so nothing can lead out of the root. */
static int path_fd_in_root_walk(int rootfd, const char *path, int last_flags)
{
	cleanup_free char *copy = xstrdup(path);
	cleanup_close int dirfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	char *save = NULL;

	if (dirfd < 0)
		return -errno;
	char *comp = strtok_r(copy, "/", &save);
	while (comp) {
		char *next = strtok_r(NULL, "/", &save);
		if (strcmp(comp, "..") == 0)
			return -ENOENT;
		if (strcmp(comp, ".") != 0) {
			int flags = O_NOFOLLOW | O_CLOEXEC | (next ? O_PATH | O_DIRECTORY : last_flags);
			int fd = openat(dirfd, comp, flags);
			if (fd < 0)
				return -errno;
			close(dirfd);
			dirfd = fd;
		}
		comp = next;
	}
	return steal_fd(&dirfd);
}

static int resolve_in_root(int rootfd, const char *path, int flags)
{
	int fd = spec_test_no_openat2 ? -ENOSYS : path_fd_in_root_openat2(rootfd, path, flags);
	if (fd == -ENOSYS)
		fd = path_fd_in_root_walk(rootfd, path, flags);
	if (fd == -ELOOP || fd == -ENOTDIR || fd == -EXDEV)
		return -ENOENT;
	return fd;
}

int open_in_root(int rootfd, const char *path)
{
	cleanup_close int pfd = -1;
	struct stat st;

	while (*path == '/')
		path++;
	pfd = resolve_in_root(rootfd, path, O_PATH);
	if (pfd < 0)
		return pfd;
	if (fstat(pfd, &st) < 0)
		return -errno;
	/* Links (in the walk), FIFOs, devices and directories are no account
	 * files; treat them as absent rather than touch them. */
	if (!S_ISREG(st.st_mode))
		return -ENOENT;

	/* Reopen the very inode we checked. */
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	int fd = open(proc, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;

	/* No /proc: resolve again for reading, without blocking on a FIFO
	 * swapped in meanwhile, and check once more. */
	fd = resolve_in_root(rootfd, path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

/* Read path inside rootfd; *out = NULL when there is no such file. */
static int read_in_root(int rootfd, const char *path, char **out, robbe_error **err)
{
	struct sbuf sb = SBUF_INIT;
	char chunk[8192];

	*out = NULL;
	cleanup_close int fd = open_in_root(rootfd, path);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return robbe_error_errno(err, -fd, "opening %s in the container's root", path);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sbuf_release(&sb);
			return robbe_error_errno(err, errno, "reading %s in the container's root", path);
		}
		if (n == 0)
			break;
		if (sb.len + (size_t) n > ACCOUNT_FILE_MAX) {
			sbuf_release(&sb);
			return robbe_error_set(err, EXIT_ENGINE, "%s in the container's root is larger than %u bytes",
					       path, ACCOUNT_FILE_MAX);
		}
		sbuf_add(&sb, chunk, (size_t) n);
	}
	*out = sbuf_detach(&sb);
	return 0;
}

/* Go's strconv.Atoi as moby/sys/user uses it: optional sign, digits only. */
static bool parse_id(const char *s, long long *out)
{
	const char *p = s;
	long long v = 0;
	bool neg = false;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		if (v > (1LL << 40))	/* far beyond any id; stay clear of overflow */
			return false;
		v = v * 10 + (*p - '0');
	}
	*out = neg ? -v : v;
	return true;
}

/* One line of an account file: trimmed, comments and blank lines skipped,
 * split on ':' into at most nf fields (missing ones are ""). */
static bool account_line(char *line, char **f, size_t nf)
{
	while (*line == ' ' || *line == '\t' || *line == '\r')
		line++;
	size_t len = strlen(line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (!*line || *line == '#')
		return false;
	for (size_t i = 0; i < nf; i++) {
		f[i] = line;
		if (line) {
			char *c = strchr(line, ':');
			if (c)
				*c++ = '\0';
			line = c;
		}
		if (!f[i])
			f[i] = (char *) "";
	}
	return true;
}

struct passwd_entry {
	const char *name, *home;
	long long uid, gid;
};

struct group_entry {
	const char *name;
	long long gid;
	char **members;
};

/* Parse in place; entries point into text.  Lines whose ids are not numbers
 * are skipped. */
static size_t parse_passwd(char *text, struct passwd_entry **out)
{
	size_t n = 0;
	char *save = NULL;

	*out = NULL;
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		char *f[7];
		long long uid = 0, gid = 0;
		if (!account_line(line, f, 7))
			continue;
		if ((*f[2] && !parse_id(f[2], &uid)) || (*f[3] && !parse_id(f[3], &gid)))
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = (struct passwd_entry) { f[0], f[5], uid, gid };
	}
	return n;
}

static size_t parse_group(char *text, struct group_entry **out)
{
	size_t n = 0;
	char *save = NULL;

	*out = NULL;
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4];
		long long gid = 0;
		if (!account_line(line, f, 4))
			continue;
		if (*f[2] && !parse_id(f[2], &gid))
			continue;
		char **members = NULL;
		char *msave = NULL;
		for (char *m = strtok_r(f[3], ",", &msave); m; m = strtok_r(NULL, ",", &msave))
			strv_push(&members, m);
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = (struct group_entry) { f[0], gid, members };
	}
	return n;
}

struct group_list {
	struct group_entry *e;
	size_t n;
};

static void group_list_freep(struct group_list *g)
{
	for (size_t i = 0; i < g->n; i++)
		strv_free(g->e[i].members);
	free(g->e);
}

static void add_gid(struct spec_user *u, uint32_t gid)
{
	for (size_t i = 0; i < u->n_gids; i++)
		if (u->gids[i] == gid)
			return;
	u->gids = xrealloc(u->gids, (u->n_gids + 1) * sizeof(*u->gids));
	u->gids[u->n_gids++] = gid;
}

static bool id_in_range(long long id)
{
	return id >= 0 && id <= ID_MAX;
}

static int range_error(robbe_error **err)
{
	return robbe_error_set(err, EXIT_ENGINE, "uids and gids must be in range 0-%ld", ID_MAX);
}

void spec_user_release(struct spec_user *u)
{
	free(u->gids);
	free(u->home);
	free(u->name);
	memset(u, 0, sizeof(*u));
}

/* moby/sys/user's rules; u is filled in as far as it gets, and the caller
 * releases it on failure. */
static int resolve(char *passwd_text, char *group_text, const char *spec, char *const *group_add,
		   struct spec_user *u, robbe_error **err)
{
	cleanup_free struct passwd_entry *pw = NULL;
	__attribute__((cleanup(group_list_freep))) struct group_list gr = { NULL, 0 };
	size_t npw = parse_passwd(passwd_text, &pw);
	long long uid_num = 0, gid_num = 0;

	gr.n = parse_group(group_text, &gr.e);

	/* "user:group"; anything after a second ':' is ignored, as Docker does. */
	const char *colon = strchr(spec, ':');
	cleanup_free char *user_arg = colon ? xstrndup(spec, (size_t) (colon - spec)) : xstrdup(spec);
	cleanup_free char *group_arg = NULL;
	if (colon) {
		const char *end = strchr(colon + 1, ':');
		group_arg = end ? xstrndup(colon + 1, (size_t) (end - colon - 1)) : xstrdup(colon + 1);
	} else {
		group_arg = xstrdup("");
	}
	bool uid_is_num = parse_id(user_arg, &uid_num);
	bool gid_is_num = parse_id(group_arg, &gid_num);

	const struct passwd_entry *match = NULL;
	for (size_t i = 0; i < npw && !match; i++) {
		bool hit = !*user_arg ? pw[i].uid == 0
			 : uid_is_num ? pw[i].uid == uid_num
				      : strcmp(pw[i].name, user_arg) == 0;
		if (hit)
			match = &pw[i];
	}
	if (match) {
		if (!id_in_range(match->uid) || !id_in_range(match->gid))
			return range_error(err);
		u->uid = (uint32_t) match->uid;
		u->gid = (uint32_t) match->gid;
		u->name = xstrdup(match->name);
		u->home = xstrdup(match->home);
	} else if (*user_arg) {
		if (!uid_is_num)
			return robbe_error_set(err, EXIT_ENGINE,
					       "unable to find user %s: no matching entries in passwd file", user_arg);
		if (!id_in_range(uid_num))
			return range_error(err);
		u->uid = (uint32_t) uid_num;
	}

	if (*group_arg) {
		const struct group_entry *g = NULL;
		for (size_t i = 0; i < gr.n && !g; i++)
			if (gid_is_num ? gr.e[i].gid == gid_num : strcmp(gr.e[i].name, group_arg) == 0)
				g = &gr.e[i];
		if (!g && !gid_is_num)
			return robbe_error_set(err, EXIT_ENGINE,
					       "unable to find group %s: no matching entries in group file", group_arg);
		long long gid = g ? g->gid : gid_num;
		if (!id_in_range(gid))
			return range_error(err);
		u->gid = (uint32_t) gid;
	}
	add_gid(u, u->gid);

	/* Memberships in /etc/group only count in the implicit form (no
	 * ":group"), and only for a user who has a passwd entry. */
	if (!*group_arg && u->name) {
		for (size_t i = 0; i < gr.n; i++)
			if (strv_contains(gr.e[i].members, u->name) && id_in_range(gr.e[i].gid))
				add_gid(u, (uint32_t) gr.e[i].gid);
	}

	for (size_t k = 0; group_add && group_add[k]; k++) {
		const char *want = group_add[k];
		const struct group_entry *g = NULL;
		long long gid;
		for (size_t i = 0; i < gr.n && !g; i++) {
			char num[32];
			snprintf(num, sizeof(num), "%lld", gr.e[i].gid);
			if (strcmp(gr.e[i].name, want) == 0 || strcmp(num, want) == 0)
				g = &gr.e[i];
		}
		if (g)
			gid = g->gid;
		else if (!parse_id(want, &gid))
			return robbe_error_set(err, EXIT_ENGINE,
					       "Unable to find group %s: no matching entries in group file", want);
		if (!id_in_range(gid))
			return range_error(err);
		add_gid(u, (uint32_t) gid);
	}

	if (!u->home || !*u->home) {
		free(u->home);
		u->home = xstrdup("/");
	}
	return 0;
}

int spec_user_resolve(const char *rootfs, const char *user, char *const *group_add, struct spec_user *out,
		      robbe_error **err)
{
	cleanup_close int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_free char *passwd = NULL;
	cleanup_free char *group = NULL;

	if (rootfd < 0)
		return robbe_error_errno(err, errno, "opening the container's root %s", rootfs);
	if (read_in_root(rootfd, "etc/passwd", &passwd, err) < 0 ||
	    read_in_root(rootfd, "etc/group", &group, err) < 0)
		return -1;
	memset(out, 0, sizeof(*out));
	if (resolve(passwd, group, user ? user : "", group_add, out, err) < 0) {
		spec_user_release(out);
		return -1;
	}
	return 0;
}
