/* test-changes.c: `docker diff` over plain directories laid out as an
 * overlay upper directory and its lower layers: whiteouts, opaque
 * directories, additions, changes, the parent rule, Docker's order,
 * exclusions, and lower layers that are never followed through symlinks.
 * Whiteouts and opaque markers need root; without it the test skips. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "changes.h"
#include "tap.h"
#include "tar-builder.h"

static char *W;

static const char *P(const char *dir, const char *rel)
{
	static char bufs[8][4096];
	static int i;
	i = (i + 1) % 8;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", dir, rel);
	return bufs[i];
}

static void put(const char *path, const char *data)
{
	if (write_file_atomic(path, data, strlen(data), 0644, NULL) < 0)
		abort();
}

static void whiteout(const char *path)
{
	if (mknod(path, S_IFCHR | 0, makedev(0, 0)) < 0)
		abort();
}

static void same_times(const char *dst, const char *src)
{
	struct stat st;
	struct timespec ts[2];

	if (stat(src, &st) < 0)
		abort();
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	utimensat(AT_FDCWD, dst, ts, 0);
}

static void old_time(const char *path)
{
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	utimensat(AT_FDCWD, path, ts, 0);
}

/* The changes as "C /etc\n" lines. */
static char *diff(const char *upper, const char *lowers, char *const *exclude)
{
	struct changes_opts o = { .exclude = exclude };
	struct change_list l;
	robbe_error *err = NULL;
	struct sbuf sb = SBUF_INIT;

	if (changes_compute_paths(upper, lowers, &o, &l, &err) < 0) {
		char *m = xasprintf("ERROR %s", err->msg);
		robbe_error_free(err);
		return m;
	}
	for (size_t i = 0; i < l.n; i++)
		sbuf_addf(&sb, "%c %s\n", change_kind_letter(l.v[i].kind), l.v[i].path);
	change_list_release(&l);
	return sbuf_detach(&sb);
}

static void test_docker_walk(void)
{
	char *L1 = xasprintf("%s/l1", W), *L2 = xasprintf("%s/l2", W), *U = xasprintf("%s/upper", W);
	cleanup_free char *lowers = xasprintf("%s:%s", L1, L2);
	cleanup_free char *got = NULL;
	char *exclude[] = { "/etc/resolv.conf", "/proc", "/etc2/hostname", NULL };

	mkdir(L1, 0755);
	mkdir(L2, 0755);
	mkdir(U, 0755);
	/* bottom layer */
	mkdir(P(L2, "etc"), 0755);
	put(P(L2, "etc/passwd"), "root\n");
	put(P(L2, "etc/group"), "root\n");
	mkdir(P(L2, "gone"), 0755);
	put(P(L2, "gone/f"), "f");
	put(P(L2, "old.txt"), "old");
	put(P(L2, "old2.txt"), "old2");
	mkdir(P(L2, "opq"), 0755);
	put(P(L2, "opq/x"), "x");
	put(P(L2, "opq/y"), "y");
	mkdir(P(L2, "same"), 0755);
	put(P(L2, "same/a"), "a");
	mkdir(P(L2, "same2"), 0755);
	put(P(L2, "same2/b"), "b");
	mkdir(P(L2, "etc2"), 0755);
	put(P(L2, "etc2/os-release"), "x");
	symlink("/", P(L2, "escape"));
	/* top layer: adds a file, deletes old2.txt */
	mkdir(P(L1, "etc"), 0755);
	put(P(L1, "etc/hosts"), "127.0.0.1 localhost\n");
	whiteout(P(L1, "old2.txt"));

	/* the container's upper directory */
	mkdir(P(U, "etc"), 0755);
	put(P(U, "etc/passwd"), "root\nuser\n");
	put(P(U, "etc/newfile"), "new");
	whiteout(P(U, "etc/hosts"));
	put(P(U, "etc/resolv.conf"), ""); /* a runtime mount point: left out */
	old_time(P(U, "etc"));
	whiteout(P(U, "gone"));
	symlink("target", P(U, "lnk"));
	mkdir(P(U, "new"), 0755);
	mkdir(P(U, "new/sub"), 0755);
	put(P(U, "new/sub/f"), "f");
	whiteout(P(U, "old.txt"));
	put(P(U, "old2.txt"), "back");
	mkdir(P(U, "opq"), 0755);
	setxattr(P(U, "opq"), "trusted.overlay.opaque", "y", 1, 0);
	put(P(U, "opq/x"), "x2");
	put(P(U, "opq/z"), "z");
	mkdir(P(U, "proc"), 0555);
	mkdir(P(U, "same"), 0755);
	put(P(U, "same/a"), "a2");
	same_times(P(U, "same"), P(L2, "same"));
	mkdir(P(U, "same2"), 0755);
	put(P(U, "same2/c"), "c");
	unlink(P(U, "same2/c"));
	put(P(U, "same2/c"), "c");
	/* same2 gets the lower's times back but holds one entry, like the
	 * lower: identical as far as Docker compares. */
	same_times(P(U, "same2"), P(L2, "same2"));
	mkdir(P(U, "etc2"), 0755);
	put(P(U, "etc2/hostname"), "");
	/* the runtime made etc2/hostname: etc2's mtime changed, nothing else */
	mkdir(P(U, "escape"), 0755);
	put(P(U, "escape/passwd"), "x");

	got = diff(U, lowers, exclude);
	is_str(got,
	       "C /escape\n"
	       "A /escape/passwd\n"
	       "C /etc\n"
	       "D /etc/hosts\n"
	       "A /etc/newfile\n"
	       "C /etc/passwd\n"
	       "D /gone\n"
	       "A /lnk\n"
	       "A /new\n"
	       "A /new/sub\n"
	       "A /new/sub/f\n"
	       "D /old.txt\n"
	       "A /old2.txt\n"
	       "D /opq\n"
	       "C /opq/x\n"
	       "A /opq/z\n"
	       "C /same/a\n"
	       "C /same2\n"
	       "A /same2/c\n",
	       "Docker's walk: kinds, parent rule, order, exclusions");
	free(got);
	got = diff(U, lowers, NULL);
	ok(got && strstr(got, "A /etc/resolv.conf\n") && strstr(got, "A /proc\n") && strstr(got, "C /etc2\n"),
	   "without exclusions the mount points show");

	/* escape -> / in a lower layer is a file there: /escape/passwd is
	 * an addition, never looked up through the link on the host. */
	ok(strstr(got, "A /escape/passwd\n") != NULL, "lower symlinks are not followed");
	free(L1);
	free(L2);
	free(U);
}

static void test_simple(void)
{
	char *L = xasprintf("%s/sl", W), *U = xasprintf("%s/su", W);
	cleanup_free char *got = NULL;
	struct change_list l;
	robbe_error *err = NULL;

	mkdir(L, 0755);
	mkdir(U, 0755);
	got = diff(U, L, NULL);
	is_str(got, "", "an empty upper directory: no changes");
	free(got);
	put(P(U, "top.txt"), "x");
	got = diff(U, L, NULL);
	is_str(got, "A /top.txt\n", "a file added at the top: no C /");
	free(got);
	got = diff(U, "", NULL);
	is_str(got, "A /top.txt\n", "no lower layers: everything is an addition");
	free(got);
	mkdir(P(L, "d"), 0700);
	mkdir(P(U, "d"), 0755);
	got = diff(U, L, NULL);
	is_str(got, "C /d\nA /top.txt\n", "a directory whose mode changed is a change");
	ok(changes_compute_paths(P(W, "missing"), L, NULL, &l, &err) < 0, "a missing upper directory is an error");
	robbe_error_free(err);
	free(L);
	free(U);
	is_int(change_kind_letter(CHANGE_MODIFY), 'C', "C");
	is_int(change_kind_letter(CHANGE_ADD), 'A', "A");
	is_int(change_kind_letter(CHANGE_DELETE), 'D', "D");
}

int main(void)
{
	W = make_tmpdir();
	umask(022);
	if (geteuid() != 0) {
		printf("1..0 # SKIP whiteouts and opaque directories need root\n");
		remove_tree(W);
		return 0;
	}
	test_docker_walk();
	test_simple();
	remove_tree(W);
	return tap_done();
}
