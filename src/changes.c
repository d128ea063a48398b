/* changes.c: the changes of an overlay upper directory (see changes.h).
 *
 * Each directory of the upper tree is handled in two passes so that no
 * lower layer's directory stays open while we recurse: first its names are
 * read and every name is looked up in the lower layers where the directory
 * exists (each opened from its layer root, refusing symlinks), then the
 * lower fds are closed and the names are reported and descended into.  Only
 * one upper fd per level stays open.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "changes.h"
#include "copy-internal.h"
#include "rootless.h"

#define DEFAULT_OPAQUE_XATTR "trusted.overlay.opaque"

/* Inside robbe's user namespace overlayfs (mounted with userxattr) marks
 * opaque directories with the user.* name: trusted.* is not ours there. */
static const char *default_opaque_xattr(void)
{
	return rootless_in_userns() ? "user.overlay.opaque" : DEFAULT_OPAQUE_XATTR;
}

struct differ {
	const int *lowers;
	size_t n_lowers;
	const char *opaque_xattr;
	char *const *exclude;
	struct change_list *out;
	size_t alloc;
};

/* What the lower layers hold under one name, topmost layer first. */
enum name_state {
	NAME_UNSEEN,
	NAME_DELETED,	/* a whiteout came first */
	NAME_FILE,	/* a non-directory came first: nothing below shows */
	NAME_DIR,	/* a directory: lower directories merge into it */
	NAME_DIR_DONE,	/* ... until an opaque one, a whiteout or a file */
};

struct name_info {
	char *name;
	enum name_state state;
	struct stat lower;	/* the topmost lower entry */
	size_t *live;		/* lower layers where it is a visible directory */
	size_t n_live;
};

void change_list_release(struct change_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

char change_kind_letter(enum change_kind k)
{
	return k == CHANGE_ADD ? 'A' : k == CHANGE_DELETE ? 'D' : 'C';
}

static void add_change(struct differ *d, const char *path, enum change_kind kind)
{
	if (d->out->n == d->alloc) {
		d->alloc = d->alloc ? 2 * d->alloc : 64;
		d->out->v = xrealloc(d->out->v, d->alloc * sizeof(*d->out->v));
	}
	d->out->v[d->out->n].path = xstrdup(path);
	d->out->v[d->out->n].kind = kind;
	d->out->n++;
}

static bool is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static bool is_opaque(int dfd, const char *name, const char *xattr)
{
	cleanup_close int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	char v[2];

	return fd >= 0 && fgetxattr(fd, xattr, v, sizeof(v)) == 1 && v[0] == 'y';
}

static bool excluded(const struct differ *d, const char *path)
{
	return d->exclude && strv_contains(d->exclude, path);
}

/* Is a direct child of dir excluded? */
static bool holds_excluded(const struct differ *d, const char *dir)
{
	size_t len = strlen(dir);

	for (size_t i = 0; d->exclude && d->exclude[i]; i++) {
		const char *e = d->exclude[i];
		if (strncmp(e, dir, len) == 0 && (len == 1 || e[len] == '/') && e[len == 1 ? 1 : len + 1] &&
		    !strchr(e + (len == 1 ? 1 : len + 1), '/'))
			return true;
	}
	return false;
}

/* Docker's sameFsTime: equal, or equal seconds when one side has no
 * sub-second part. */
static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec) ||
	       (a->tv_sec == b->tv_sec && (a->tv_nsec == 0 || b->tv_nsec == 0));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(((const struct name_info *) a)->name, ((const struct name_info *) b)->name);
}

static void names_release(struct name_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].live);
	}
	free(v);
}

static int read_names(int dfd, struct name_info **out, size_t *n, robbe_error **err)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct name_info *v = NULL;
	size_t count = 0;
	struct dirent *de;
	DIR *dir;

	if (fd < 0 || !(dir = fdopendir(fd))) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return robbe_error_errno(err, e, "read directory");
	}
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		v = xrealloc(v, (count + 1) * sizeof(*v));
		memset(&v[count], 0, sizeof(*v));
		v[count].name = xstrdup(de->d_name);
		count++;
	}
	closedir(dir);
	if (count)
		qsort(v, count, sizeof(*v), cmp_names);
	*out = v;
	*n = count;
	return 0;
}

static bool existed(const struct name_info *ni)
{
	return ni->state == NAME_FILE || ni->state == NAME_DIR || ni->state == NAME_DIR_DONE;
}

/* First pass: look every name up in the lower layers where the directory
 * (path) is visible, merging them as overlay does. */
static void lookup_lowers(struct differ *d, const char *path, const size_t *live, size_t n_live,
			  struct name_info *names, size_t n)
{
	for (size_t l = 0; l < n_live; l++) {
		struct cp_root root = { .fd = d->lowers[live[l]] };
		int fd = cp_open_dir(&root, path, CP_RES_NOLINKS);

		if (fd < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			struct name_info *ni = &names[i];
			struct stat st;

			if (ni->state != NAME_UNSEEN && ni->state != NAME_DIR)
				continue;
			if (fstatat(fd, ni->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			if (!S_ISDIR(st.st_mode)) {
				/* Below a directory, a whiteout or a file ends
				 * the merge; on top, it is what was there. */
				if (ni->state == NAME_DIR)
					ni->state = NAME_DIR_DONE;
				else
					ni->state = is_whiteout(&st) ? NAME_DELETED : NAME_FILE;
				if (ni->state == NAME_FILE)
					ni->lower = st;
				continue;
			}
			if (ni->state == NAME_UNSEEN) {
				ni->lower = st;
				ni->state = NAME_DIR;
			}
			ni->live = xrealloc(ni->live, (ni->n_live + 1) * sizeof(size_t));
			ni->live[ni->n_live++] = live[l];
			if (is_opaque(fd, ni->name, d->opaque_xattr))
				ni->state = NAME_DIR_DONE;
		}
		close(fd);
	}
}

static int walk_dir(struct differ *d, int dfd, const char *path, const size_t *live, size_t n_live, bool recorded,
		    int depth, robbe_error **err);

static int walk_dir(struct differ *d, int dfd, const char *path, const size_t *live, size_t n_live, bool recorded,
		    int depth, robbe_error **err)
{
	struct name_info *names = NULL;
	size_t n = 0;
	int r = 0;

	if (depth >= CP_MAX_DEPTH)
		return robbe_error_set(err, 0, "%s: more than %d levels deep", path, CP_MAX_DEPTH);
	if (read_names(dfd, &names, &n, err) < 0)
		return robbe_error_wrap(err, "%s", path);
	lookup_lowers(d, path, live, n_live, names, n);
	for (size_t i = 0; i < n && r == 0; i++) {
		struct name_info *ni = &names[i];
		cleanup_free char *child = strcmp(path, "/") == 0 ? xasprintf("/%s", ni->name)
								  : xasprintf("%s/%s", path, ni->name);
		enum change_kind kind = CHANGE_ADD;
		bool record = true, child_recorded;
		struct stat st;

		if (fstatat(dfd, ni->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue; /* removed while we walk */
			r = robbe_error_errno(err, errno, "lstat %s", child);
			break;
		}
		if (excluded(d, child))
			continue;
		if (is_whiteout(&st) || (S_ISDIR(st.st_mode) && is_opaque(dfd, ni->name, d->opaque_xattr))) {
			kind = CHANGE_DELETE;
		} else if (existed(ni)) {
			kind = CHANGE_MODIFY;
			if (S_ISDIR(st.st_mode) && S_ISDIR(ni->lower.st_mode)) {
				bool same = st.st_mode == ni->lower.st_mode;
				if (!holds_excluded(d, child))
					same = same && st.st_size == ni->lower.st_size &&
					       same_time(&st.st_mtim, &ni->lower.st_mtim);
				if (same)
					record = false; /* only here for what is below it */
			}
		}
		if (record && (kind == CHANGE_ADD || kind == CHANGE_DELETE) && !recorded && strcmp(path, "/") != 0) {
			add_change(d, path, CHANGE_MODIFY);
			recorded = true;
		}
		if (record)
			add_change(d, child, kind);
		child_recorded = record;
		if (S_ISDIR(st.st_mode)) {
			cleanup_close int fd = openat(dfd, ni->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0) {
				if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
					continue;
				r = robbe_error_errno(err, errno, "open %s", child);
				break;
			}
			r = walk_dir(d, fd, child, ni->live, ni->n_live, child_recorded, depth + 1, err);
		}
	}
	names_release(names, n);
	return r;
}

int changes_compute(int upper_fd, const int *lower_fds, size_t n_lowers, const struct changes_opts *opts,
		    struct change_list *out, robbe_error **err)
{
	struct differ d = {
		.lowers = lower_fds,
		.n_lowers = n_lowers,
		.opaque_xattr = opts && opts->opaque_xattr ? opts->opaque_xattr : default_opaque_xattr(),
		.exclude = opts ? opts->exclude : NULL,
		.out = out,
	};
	size_t *live = n_lowers ? xcalloc(n_lowers, sizeof(size_t)) : NULL;
	int r;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n_lowers; i++)
		live[i] = i;
	/* The root itself is never reported; it counts as listed so that
	 * additions at the top add no "C /". */
	r = walk_dir(&d, upper_fd, "/", live, n_lowers, true, 0, err);
	free(live);
	if (r < 0)
		change_list_release(out);
	return r;
}

int changes_compute_paths(const char *upper, const char *lowers, const struct changes_opts *opts,
			  struct change_list *out, robbe_error **err)
{
	cleanup_close int ufd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_free char *copy = xstrdup(lowers ? lowers : "");
	int *fds = NULL;
	size_t n = 0;
	char *save = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	if (ufd < 0)
		return robbe_error_errno(err, errno, "open %s", upper);
	for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			r = robbe_error_errno(err, errno, "open layer %s", p);
			goto out;
		}
		fds = xrealloc(fds, (n + 1) * sizeof(int));
		fds[n++] = fd;
	}
	r = changes_compute(ufd, fds, n, opts, out, err);
out:
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return r;
}
