/* test-copy.c: the cp engine against plain directories — Docker's path
 * rules in both directions, tar streams in and out, owners and modes, and
 * the hostile cases: symlinks in the container pointing at "/", at
 * "../../../.." and at host paths must keep every read and write inside
 * the container's root.  Canary files outside the root must be neither
 * read nor written.  Everything runs with openat2 and with the userspace
 * walk. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "copy-internal.h"
#include "copy.h"
#include "tap.h"
#include "tar-builder.h"

#define CANARY "host secret"

static char *W;		/* the work directory */
static char *R;		/* the fake container root */
static char *H;		/* host destinations */
static char *S;		/* host sources */
static char *OUT;	/* canaries, outside the root */
static bool no_openat2;
static const char *mode_name;

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
	robbe_error *err = NULL;
	if (write_file_atomic(path, data, strlen(data), 0644, &err) < 0) {
		printf("# write %s: %s\n", path, err->msg);
		abort();
	}
}

static char *get(const char *path)
{
	char *data = NULL;
	if (read_file_all(path, 1 << 20, &data, NULL, NULL) < 0)
		return NULL;
	return data;
}

static bool is_link(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static void fresh(const char *dir)
{
	remove_tree(dir);
	mkdir(dir, 0755);
}

static int root_fd(void)
{
	int fd = open(R, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		abort();
	return fd;
}

static struct copy_opts opts(void)
{
	struct copy_opts o = { .container = "test", .no_openat2 = no_openat2 };
	return o;
}

/* Run one copy out of the container; returns 0/-1, message in *msg. */
static int from_ctr(const char *src, const char *dst, bool follow, char **msg, bool *daemon)
{
	struct copy_opts o = opts();
	struct copy_result res;
	robbe_error *err = NULL;
	int fd = root_fd(), r;

	o.follow_link = follow;
	r = copy_from_container(fd, src, dst, &o, &res, &err);
	close(fd);
	if (msg)
		*msg = r < 0 ? xstrdup(err->msg) : NULL;
	if (daemon)
		*daemon = res.daemon_error;
	robbe_error_free(err);
	copy_result_release(&res);
	return r;
}

static int to_ctr_o(const char *src, const char *dst, const struct copy_opts *o, char **msg, bool *daemon,
		    char **dest)
{
	struct copy_result res;
	robbe_error *err = NULL;
	int fd = root_fd(), r;

	r = copy_into_container(fd, src, dst, o, &res, &err);
	close(fd);
	if (msg)
		*msg = r < 0 ? xstrdup(err->msg) : NULL;
	if (daemon)
		*daemon = res.daemon_error;
	if (dest)
		*dest = res.dest ? xstrdup(res.dest) : NULL;
	robbe_error_free(err);
	copy_result_release(&res);
	return r;
}

static int to_ctr(const char *src, const char *dst, char **msg, bool *daemon)
{
	struct copy_opts o = opts();
	return to_ctr_o(src, dst, &o, msg, daemon, NULL);
}

static int tar_to_ctr(int in_fd, const char *dst, char **msg)
{
	struct copy_opts o = opts();
	struct copy_result res;
	robbe_error *err = NULL;
	int fd = root_fd(), r;

	r = copy_into_container_tar(fd, in_fd, dst, &o, &res, &err);
	close(fd);
	if (msg)
		*msg = r < 0 ? xstrdup(err->msg) : NULL;
	robbe_error_free(err);
	copy_result_release(&res);
	return r;
}

/* The names of a tar stream made by copy_from_container_tar, joined by
 * spaces, with "=content" after regular files. */
static char *tar_listing(const char *src, bool follow)
{
	struct copy_opts o = opts();
	struct copy_result res;
	robbe_error *err = NULL;
	int mfd = memfd_create("out", MFD_CLOEXEC), fd = root_fd();
	struct sbuf sb = SBUF_INIT;
	struct archive *a;
	struct archive_entry *ae;

	o.follow_link = follow;
	if (copy_from_container_tar(fd, src, mfd, &o, &res, &err) < 0) {
		char *m = xasprintf("ERROR %s", err->msg);
		robbe_error_free(err);
		close(fd);
		close(mfd);
		return m;
	}
	close(fd);
	copy_result_release(&res);
	lseek(mfd, 0, SEEK_SET);
	a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_open_fd(a, mfd, 4096);
	while (archive_read_next_header(a, &ae) == ARCHIVE_OK) {
		if (sb.len)
			sbuf_addc(&sb, ' ');
		sbuf_adds(&sb, archive_entry_pathname(ae));
		if (archive_entry_filetype(ae) == AE_IFREG && archive_entry_size(ae) > 0) {
			char buf[256] = { 0 };
			archive_read_data(a, buf, sizeof(buf) - 1);
			sbuf_addf(&sb, "=%s", buf);
		}
		if (archive_entry_filetype(ae) == AE_IFLNK)
			sbuf_addf(&sb, "->%s", archive_entry_symlink(ae));
	}
	archive_read_free(a);
	close(mfd);
	return sbuf_detach(&sb);
}

/* Does any regular file below dir hold the canary? */
static bool tree_has_canary(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		cleanup_free char *p = NULL;
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(p, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			found = tree_has_canary(p);
		} else if (S_ISREG(st.st_mode)) {
			cleanup_free char *c = get(p);
			found = c && strstr(c, CANARY);
		}
	}
	closedir(d);
	return found;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* The fake container: files, and links that would escape if followed on
 * the host. */
static void make_root(void)
{
	fresh(R);
	fresh(OUT);
	put(P(OUT, "canary.txt"), CANARY);
	put(P(R, "hostname"), "ctr-hostname\n");
	mkdir(P(R, "data"), 0755);
	put(P(R, "data/file.txt"), "data\n");
	mkdir(P(R, "data/sub"), 0700);
	put(P(R, "data/sub/inner.txt"), "inner\n");
	symlink("file.txt", P(R, "data/link"));
	mkdir(P(R, "tmp"), 01777);
	/* The hostile links. */
	symlink("/", P(R, "etc"));
	symlink("../../../..", P(R, "evil"));
	symlink("/etc", P(R, "abs"));
	symlink(OUT, P(R, "out"));			/* the host path of the canaries */
	symlink("../../outside", P(R, "rel_out"));	/* from R, on the host: W/outside */
	symlink(P(OUT, "canary.txt"), P(R, "canlink"));
	symlink("/hostname", P(R, "hn"));
	symlink("/data", P(R, "ddlink"));
	symlink("/made", P(R, "dangling"));
	symlink("/proc/self/root", P(R, "magic"));
}

static void outside_untouched(const char *what)
{
	cleanup_free char *c = get(P(OUT, "canary.txt"));
	struct stat st;

	ok(c && !strcmp(c, CANARY) && count_entries(OUT) == 1 && stat(P(OUT, "canary.txt"), &st) == 0 &&
		   st.st_nlink == 1,
	   "[%s] %s: the canary directory is untouched", mode_name, what);
}

/* ---- container -> host ------------------------------------------------------- */

static void test_from_container(void)
{
	char *msg = NULL;
	bool daemon = false;
	char *c = NULL;

	fresh(H);
	ok(from_ctr("/data/file.txt", P(H, "new.txt"), false, NULL, NULL) == 0, "[%s] file to a new name", mode_name);
	c = get(P(H, "new.txt"));
	is_str(c, "data\n", "[%s] file to a new name: content", mode_name);
	free(c);

	ok(from_ctr("/data/file.txt", P(H, "newdir/"), false, &msg, &daemon) < 0, "[%s] file to missing dir/ fails",
	   mode_name);
	is_str(msg, "no such directory", "[%s] file to missing dir/: Docker's message", mode_name);
	ok(!daemon, "[%s] ... a client-side error", mode_name);
	free(msg);

	put(P(H, "exist.txt"), "old");
	ok(from_ctr("data/file.txt", P(H, "exist.txt"), false, NULL, NULL) == 0, "[%s] file over a file (relative SRC)",
	   mode_name);
	c = get(P(H, "exist.txt"));
	is_str(c, "data\n", "[%s] file over a file: overwritten", mode_name);
	free(c);

	mkdir(P(H, "d"), 0755);
	ok(from_ctr("/data/file.txt", P(H, "d"), false, NULL, NULL) == 0 && exists(P(H, "d/file.txt")),
	   "[%s] file onto a directory goes inside it", mode_name);

	ok(from_ctr("/data", P(H, "copy1"), false, NULL, NULL) == 0 && is_dir(P(H, "copy1")), "[%s] dir to a new name", mode_name);
	c = get(P(H, "copy1/sub/inner.txt"));
	is_str(c, "inner\n", "[%s] dir to a new name: the tree is there", mode_name);
	free(c);
	ok(is_link(P(H, "copy1/link")), "[%s] a symlink inside a copied dir stays a symlink", mode_name);
	{
		struct stat st;
		ok(stat(P(H, "copy1/sub"), &st) == 0 && (st.st_mode & 07777) == 0700, "[%s] modes are kept", mode_name);
	}

	ok(from_ctr("/data", P(H, "exist.txt"), false, &msg, NULL) < 0, "[%s] dir onto a file fails", mode_name);
	is_str(msg, "cannot copy directory", "[%s] dir onto a file: Docker's message", mode_name);
	free(msg);

	mkdir(P(H, "d2"), 0755);
	ok(from_ctr("/data", P(H, "d2"), false, NULL, NULL) == 0 && exists(P(H, "d2/data/file.txt")),
	   "[%s] dir onto an existing dir: DEST/SRC", mode_name);
	mkdir(P(H, "d3"), 0755);
	ok(from_ctr("/data/.", P(H, "d3"), false, NULL, NULL) == 0 && exists(P(H, "d3/file.txt")) &&
		   !exists(P(H, "d3/data")),
	   "[%s] dir/. onto an existing dir: the contents", mode_name);
	ok(from_ctr("/data/.", P(H, "d4"), false, NULL, NULL) == 0 && exists(P(H, "d4/sub/inner.txt")),
	   "[%s] dir/. to a new name: the contents", mode_name);
	mkdir(P(H, "d5"), 0755);
	ok(from_ctr("/data/", P(H, "d5"), false, NULL, NULL) == 0 && exists(P(H, "d5/data/file.txt")),
	   "[%s] dir/ onto an existing dir: DEST/SRC", mode_name);

	{
		cleanup_free char *want = xasprintf("invalid output path: directory \"%s\" does not exist", P(H, "nope"));
		ok(from_ctr("/data/file.txt", P(H, "nope/x"), false, &msg, &daemon) < 0, "[%s] missing parent fails",
		   mode_name);
		is_str(msg, want, "[%s] missing parent: Docker's message", mode_name);
		free(msg);
	}

	ok(from_ctr("/nope", P(H, "x"), false, &msg, &daemon) < 0, "[%s] missing source fails", mode_name);
	is_str(msg, "Could not find the file /nope in container test", "[%s] missing source: Docker's message",
	       mode_name);
	ok(daemon, "[%s] ... a daemon error", mode_name);
	free(msg);
	ok(from_ctr("nope/deeper", P(H, "x"), false, &msg, NULL) < 0, "[%s] missing relative source fails", mode_name);
	is_str(msg, "Could not find the file nope/deeper in container test",
	       "[%s] missing relative source: names the path as given", mode_name);
	free(msg);

	ok(from_ctr("/hostname/", P(H, "x"), false, &msg, &daemon) < 0, "[%s] file/ as source fails", mode_name);
	is_str(msg, "lstat /hostname/: not a directory", "[%s] file/ as source: not a directory", mode_name);
	ok(daemon, "[%s] ... a daemon error", mode_name);
	free(msg);

	/* Links as sources. */
	ok(from_ctr("/hn", P(H, "hn-nofollow"), false, NULL, NULL) == 0 && is_link(P(H, "hn-nofollow")),
	   "[%s] a symlink source is copied as a link", mode_name);
	ok(from_ctr("/hn", P(H, "hn-follow"), true, NULL, NULL) == 0, "[%s] -L on an absolute link", mode_name);
	c = get(P(H, "hn-follow"));
	is_str(c, "ctr-hostname\n", "[%s] -L resolves an absolute link in the container, not on the host", mode_name);
	free(c);
	mkdir(P(H, "d6"), 0755);
	ok(from_ctr("/data/link", P(H, "d6"), true, NULL, NULL) == 0 && !is_link(P(H, "d6/link")) &&
		   exists(P(H, "d6/link")),
	   "[%s] -L into a dir keeps the link's name", mode_name);
	ok(from_ctr("/ddlink/", P(H, "d7"), false, NULL, NULL) == 0 && exists(P(H, "d7/file.txt")),
	   "[%s] link-to-dir/ copies the directory", mode_name);
}

/* ---- host -> container --------------------------------------------------------- */

static void test_into_container(void)
{
	char *msg = NULL;
	char *dest = NULL;
	bool daemon = false;
	char *c = NULL;
	struct stat st;

	fresh(S);
	put(P(S, "f.txt"), "from host\n");
	mkdir(P(S, "dir"), 0750);
	put(P(S, "dir/a.txt"), "a\n");
	mkdir(P(S, "dir/b"), 0755);
	put(P(S, "dir/b/c.txt"), "c\n");

	ok(to_ctr(P(S, "f.txt"), "/newfile", NULL, NULL) == 0, "[%s] file to a new name", mode_name);
	c = get(P(R, "newfile"));
	is_str(c, "from host\n", "[%s] file to a new name: content", mode_name);
	free(c);
	ok(to_ctr(P(S, "f.txt"), "/data", NULL, NULL) == 0 && exists(P(R, "data/f.txt")),
	   "[%s] file onto a dir goes inside", mode_name);
	ok(to_ctr(P(S, "f.txt"), "tmp", NULL, NULL) == 0 && exists(P(R, "tmp/f.txt")),
	   "[%s] relative DEST is relative to the root", mode_name);
	put(P(R, "over.txt"), "old");
	ok(to_ctr(P(S, "f.txt"), "/over.txt", NULL, NULL) == 0, "[%s] file over a file", mode_name);
	c = get(P(R, "over.txt"));
	is_str(c, "from host\n", "[%s] file over a file: overwritten", mode_name);
	free(c);

	ok(to_ctr(P(S, "f.txt"), "/missingdir/", &msg, &daemon) < 0, "[%s] file to missing dir/ fails", mode_name);
	is_str(msg, "no such directory", "[%s] file to missing dir/: Docker's message", mode_name);
	free(msg);
	ok(to_ctr(P(S, "f.txt"), "/nope/x", &msg, &daemon) < 0, "[%s] missing parent fails", mode_name);
	is_str(msg, "Could not find the file /nope in container test", "[%s] missing parent: Docker's message",
	       mode_name);
	ok(daemon, "[%s] ... a daemon error", mode_name);
	free(msg);
	ok(to_ctr(P(S, "f.txt"), "/hostname/x", &msg, &daemon) < 0, "[%s] parent is a file fails", mode_name);
	is_str(msg, "extraction point is not a directory", "[%s] parent is a file: Docker's message", mode_name);
	free(msg);

	ok(to_ctr(P(S, "dir"), "/newdir", NULL, NULL) == 0 && exists(P(R, "newdir/b/c.txt")) &&
		   !exists(P(R, "newdir/dir")),
	   "[%s] dir to a new name: its contents under the new name", mode_name);
	ok(stat(P(R, "newdir"), &st) == 0 && (st.st_mode & 07777) == 0750, "[%s] the dir keeps its mode", mode_name);
	ok(to_ctr(P(S, "dir"), "/data", NULL, NULL) == 0 && exists(P(R, "data/dir/a.txt")),
	   "[%s] dir onto an existing dir: DEST/SRC", mode_name);
	ok(to_ctr(P(S, "dir/."), "/tmp", NULL, NULL) == 0 && exists(P(R, "tmp/a.txt")) && exists(P(R, "tmp/b/c.txt")),
	   "[%s] dir/. onto an existing dir: the contents", mode_name);
	ok(to_ctr(P(S, "dir"), "/hostname", &msg, NULL) < 0, "[%s] dir onto a file fails", mode_name);
	is_str(msg, "cannot copy directory", "[%s] dir onto a file: Docker's message", mode_name);
	free(msg);
	ok(to_ctr(P(S, "nope"), "/tmp", &msg, NULL) < 0, "[%s] missing host source fails", mode_name);
	{
		cleanup_free char *want = xasprintf("lstat %s: no such file or directory", P(S, "nope"));
		is_str(msg, want, "[%s] missing host source: Go's lstat message", mode_name);
	}
	free(msg);

	/* A symlink as DEST is followed inside the root. */
	{
		struct copy_opts o = opts();
		ok(to_ctr_o(P(S, "f.txt"), "/ddlink", &o, NULL, NULL, &dest) == 0 && exists(P(R, "data/f.txt")),
		   "[%s] DEST a link to a dir: into the dir", mode_name);
		is_str(dest, "/data", "[%s] DEST a link: reported as where it leads", mode_name);
		free(dest);
		ok(to_ctr_o(P(S, "f.txt"), "/dangling", &o, NULL, NULL, &dest) == 0 && exists(P(R, "made")) &&
			   is_link(P(R, "dangling")),
		   "[%s] DEST a dangling link: the file is made where it points", mode_name);
		free(dest);
	}

	/* Owners: kept from the source, or all set with set_owner. */
	if (geteuid() == 0) {
		struct copy_opts o = opts();
		chown(P(S, "f.txt"), 1234, 5678);
		ok(to_ctr(P(S, "f.txt"), "/owned.txt", NULL, NULL) == 0 && stat(P(R, "owned.txt"), &st) == 0 &&
			   st.st_uid == 1234 && st.st_gid == 5678,
		   "[%s] without -a the source's owner is kept (Docker's behaviour)", mode_name);
		o.set_owner = true;
		o.uid = 42;
		o.gid = 43;
		ok(to_ctr_o(P(S, "dir"), "/owned-dir", &o, NULL, NULL, NULL) == 0 && stat(P(R, "owned-dir/b/c.txt"), &st) == 0 &&
			   st.st_uid == 42 && st.st_gid == 43 && stat(P(R, "owned-dir/b"), &st) == 0 && st.st_uid == 42,
		   "[%s] set_owner gives every entry the container user's owner", mode_name);
	} else {
		ok(1, "# SKIP owners need root");
		ok(1, "# SKIP owners need root");
	}
	{
		struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
		utimensat(AT_FDCWD, P(S, "dir/a.txt"), ts, 0);
		ok(to_ctr(P(S, "dir"), "/timed", NULL, NULL) == 0 && stat(P(R, "timed/a.txt"), &st) == 0 &&
			   st.st_mtime == 1000000000,
		   "[%s] mtimes are kept", mode_name);
	}
}

/* ---- tar streams ---------------------------------------------------------------- */

static void test_tar(void)
{
	cleanup_free char *l1 = tar_listing("/data", false);
	cleanup_free char *l2 = tar_listing("/data/.", false);
	cleanup_free char *l3 = tar_listing("/data/file.txt", false);
	cleanup_free char *l4 = tar_listing("/hn", false);
	cleanup_free char *l5 = tar_listing("/hn", true);
	cleanup_free char *l6 = tar_listing("/nope", false);
	char *msg = NULL;
	struct tb t;
	struct stat st;
	int fd;

	is_str(l1, "data/ data/file.txt=data\n data/link->file.txt data/sub/ data/sub/inner.txt=inner\n",
	       "[%s] tar of a dir: top entry is its base name, sorted", mode_name);
	is_str(l2, "./ ./file.txt=data\n ./link->file.txt ./sub/ ./sub/inner.txt=inner\n",
	       "[%s] tar of dir/.: entries under ./", mode_name);
	is_str(l3, "file.txt=data\n", "[%s] tar of a file: one entry", mode_name);
	is_str(l4, "hn->/hostname", "[%s] tar of a link: the link", mode_name);
	is_str(l5, "hostname=ctr-hostname\n", "[%s] tar with -L: the target, named as Docker's stream names it",
	       mode_name);
	is_str(l6, "ERROR Could not find the file /nope in container test", "[%s] tar of a missing path", mode_name);

	tb_open(&t, "gzip");
	tb_add(&t, (struct tb_entry){ .path = "a.txt", .data = "A", .uid = 7, .gid = 8 });
	tb_add(&t, (struct tb_entry){ .path = "deep/er/b.txt", .data = "B" });
	tb_add(&t, (struct tb_entry){ .path = "lnk", .type = AE_IFLNK, .symlink = "/etc/passwd" });
	fd = tb_finish_fd(&t);
	ok(tar_to_ctr(fd, "/data", &msg) == 0, "[%s] a gzipped tar from stdin into a dir", mode_name);
	close(fd);
	free(msg);
	ok(exists(P(R, "data/deep/er/b.txt")) && is_link(P(R, "data/lnk")), "[%s] ... entries and missing parents made",
	   mode_name);
	if (geteuid() == 0)
		ok(stat(P(R, "data/a.txt"), &st) == 0 && st.st_uid == 7 && st.st_gid == 8,
		   "[%s] ... owners from the tar headers", mode_name);
	else
		ok(1, "# SKIP owners need root");

	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "x", .data = "X" });
	fd = tb_finish_fd(&t);
	ok(tar_to_ctr(fd, "/hostname", &msg) < 0, "[%s] tar into a file fails", mode_name);
	is_str(msg, "destination \"test:/hostname\" must be a directory", "[%s] ... Docker's message", mode_name);
	free(msg);
	close(fd);

	/* A directory in the way of a file, and the other way round. */
	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "sub", .data = "X" });
	fd = tb_finish_fd(&t);
	ok(tar_to_ctr(fd, "/data", &msg) < 0 && msg && strstr(msg, "cannot overwrite directory"),
	   "[%s] a file never replaces a directory", mode_name);
	free(msg);
	close(fd);
}

/* ---- hostile links -------------------------------------------------------------- */

static void test_hostile(void)
{
	/* W's path without its leading slash: where "/"-anchored escapes of
	 * the links would reach the canaries on the host. */
	const char *wrel = OUT + 1;
	cleanup_free char *via_evil = xasprintf("/evil/%s/canary.txt", wrel);
	cleanup_free char *via_etc = xasprintf("/etc/%s/canary.txt", wrel);
	cleanup_free char *via_abs = xasprintf("/abs/%s/canary.txt", wrel);
	cleanup_free char *unique = xasprintf("robbe-cp-escape-%d", (int) getpid());
	cleanup_free char *host_unique = xasprintf("/%s", unique);
	cleanup_free char *via_etc_w = xasprintf("/etc/%s", unique);
	cleanup_free char *w_evil = xasprintf("/evil/%s/pwn.txt", wrel);
	char *c = NULL;
	char *msg = NULL;
	struct tb t;
	int fd;

	fresh(H);
	fresh(S);
	put(P(S, "pwn.txt"), "pwned\n");

	/* Reading through the links. */
	ok(from_ctr("/rel_out/canary.txt", P(H, "r1"), false, &msg, NULL) < 0 && !exists(P(H, "r1")),
	   "[%s] read through ../../outside stays in the root (not found)", mode_name);
	is_str(msg, "Could not find the file /rel_out/canary.txt in container test", "[%s] ... Docker's message",
	       mode_name);
	free(msg);
	ok(from_ctr("/out/canary.txt", P(H, "r2"), false, NULL, NULL) < 0 && !exists(P(H, "r2")),
	   "[%s] read through a link to the host path stays in the root", mode_name);
	ok(from_ctr(via_evil, P(H, "r3"), false, NULL, NULL) < 0 && !exists(P(H, "r3")),
	   "[%s] read through ../../../.. stays in the root", mode_name);
	ok(from_ctr(via_etc, P(H, "r4"), false, NULL, NULL) < 0 && !exists(P(H, "r4")),
	   "[%s] read through etc -> / stays in the root", mode_name);
	ok(from_ctr(via_abs, P(H, "r5"), false, NULL, NULL) < 0 && !exists(P(H, "r5")),
	   "[%s] read through abs -> /etc stays in the root", mode_name);
	ok(from_ctr("/etc/hostname", P(H, "r6"), false, NULL, NULL) == 0, "[%s] etc -> / resolves to the root", mode_name);
	c = get(P(H, "r6"));
	is_str(c, "ctr-hostname\n", "[%s] ... and reads the container's file", mode_name);
	free(c);
	c = NULL;
	ok(from_ctr("/canlink", P(H, "r7"), true, NULL, NULL) < 0 && !exists(P(H, "r7")),
	   "[%s] -L on a link to a host file does not read it", mode_name);
	ok(from_ctr("/rel_out", P(H, "r8"), true, NULL, NULL) < 0, "[%s] -L on a link out of the root fails", mode_name);
	ok(from_ctr("/canlink", P(H, "r9"), false, NULL, NULL) == 0 && is_link(P(H, "r9")),
	   "[%s] without -L the link itself is copied", mode_name);
	ok(from_ctr("/magic/hostname", P(H, "r10"), false, NULL, NULL) == 0 || !exists(P(H, "r10")),
	   "[%s] /proc/self/root inside the root is not the host", mode_name);
	c = get(P(H, "r10"));
	ok(!c || strcmp(c, CANARY) != 0, "[%s] ... nothing of the host read through it", mode_name);
	free(c);
	c = NULL;
	mkdir(P(H, "whole"), 0755);
	ok(from_ctr("/", P(H, "whole"), false, NULL, NULL) == 0 && exists(P(H, "whole/data/sub/inner.txt")),
	   "[%s] the whole root copies", mode_name);
	ok(!tree_has_canary(H), "[%s] no canary content was read into any copy", mode_name);
	{
		cleanup_free char *l = tar_listing("/", false);
		ok(l && !strstr(l, CANARY), "[%s] the root as a tar holds no canary content", mode_name);
	}

	/* Writing through the links. */
	ok(to_ctr(P(S, "pwn.txt"), "/rel_out/pwn.txt", &msg, NULL) < 0, "[%s] write through ../../outside fails",
	   mode_name);
	is_str(msg, "Could not find the file /rel_out in container test", "[%s] ... Docker's message", mode_name);
	free(msg);
	ok(to_ctr(P(S, "pwn.txt"), "/out/", NULL, NULL) < 0, "[%s] write into a link to the host path fails", mode_name);
	ok(to_ctr(P(S, "pwn.txt"), w_evil, NULL, NULL) < 0, "[%s] write through ../../../.. fails", mode_name);
	ok(to_ctr(P(S, "pwn.txt"), via_etc_w, NULL, NULL) == 0 && exists(P(R, unique)) && !exists(host_unique),
	   "[%s] write through etc -> / lands in the container's root, not the host's", mode_name);
	if (exists(host_unique))
		unlink(host_unique);
	ok(to_ctr(P(S, "pwn.txt"), "/abs", NULL, NULL) == 0 && exists(P(R, "pwn.txt")),
	   "[%s] write into abs -> /etc -> / lands in the root", mode_name);
	ok(to_ctr(P(S, "pwn.txt"), "/canlink", NULL, NULL) == 0 || !exists(P(OUT, "pwn.txt")),
	   "[%s] write onto a link to a host file stays in the root", mode_name);
	outside_untouched("writes through links");

	/* Tar streams that try the same. */
	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "rel_out/pwn-a.txt", .data = "pwned" });
	tb_add(&t, (struct tb_entry){ .path = "esc", .type = AE_IFLNK, .symlink = "../../../../../outside" });
	tb_add(&t, (struct tb_entry){ .path = "esc/pwn-b.txt", .data = "pwned" });
	tb_add(&t, (struct tb_entry){ .path = "evil/pwn-c.txt", .data = "pwned" });
	fd = tb_finish_fd(&t);
	ok(tar_to_ctr(fd, "/", &msg) == 0, "[%s] a tar writing through container links", mode_name);
	free(msg);
	close(fd);
	ok(exists(P(R, "outside/pwn-a.txt")) && exists(P(R, "outside/pwn-b.txt")) && exists(P(R, "pwn-c.txt")),
	   "[%s] ... its entries land inside the root", mode_name);
	outside_untouched("tar through links");

	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "../escape.txt", .data = "pwned" });
	fd = tb_finish_fd(&t);
	ok(tar_to_ctr(fd, "/data", &msg) < 0 && !exists(P(R, "escape.txt")), "[%s] a tar with .. is refused",
	   mode_name);
	free(msg);
	close(fd);

	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "hl", .hardlink = "rel_out/canary.txt" });
	fd = tb_finish_fd(&t);
	ok(tar_to_ctr(fd, "/", &msg) < 0 && !exists(P(R, "hl")), "[%s] a hard link to a host file is refused",
	   mode_name);
	free(msg);
	close(fd);
	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "hl2", .hardlink = OUT + 1 });
	fd = tb_finish_fd(&t);
	ok(tar_to_ctr(fd, "/evil", &msg) < 0, "[%s] a hard link through ../../../.. is refused", mode_name);
	free(msg);
	close(fd);
	outside_untouched("hard links");

	/* The host side: a symlink the user has in the destination is never
	 * followed by the container's entries. */
	symlink(OUT, P(H, "data"));
	ok(from_ctr("/data", H, false, &msg, NULL) < 0 && msg && strstr(msg, "cannot overwrite non-directory"),
	   "[%s] container dir onto a host symlink is refused", mode_name);
	free(msg);
	outside_untouched("host-side links");
}

/* ---- paths ------------------------------------------------------------------------ */

static void test_paths(void)
{
	char *d, *b, *c, *p;
	struct {
		const char *in, *dir, *base;
	} split[] = {
		{ "/a/b", "/a", "b" }, { "/a/b/", "/a", "b" },	{ "/a/b/.", "/a/b", "." },
		{ "a", ".", "a" },     { "/", "/", "/" },	{ ".", ".", "." },
		{ "a/../b", ".", "b" }, { "/a/./b/", "/a", "b" },
	};
	struct {
		const char *in, *out;
	} clean[] = {
		{ "", "/" }, { "a/b", "/a/b" }, { "/../a", "/a" }, { "a/../../b/", "/b" }, { "//a//./b/.", "/a/b" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(split); i++) {
		cp_split_dir_entry(split[i].in, &d, &b);
		ok(!strcmp(d, split[i].dir) && !strcmp(b, split[i].base), "split %s -> %s + %s (got %s + %s)",
		   split[i].in, split[i].dir, split[i].base, d, b);
		free(d);
		free(b);
	}
	for (size_t i = 0; i < ARRAY_SIZE(clean); i++) {
		c = cp_clean_abs(clean[i].in);
		is_str(c, clean[i].out, "clean \"%s\"", clean[i].in);
		free(c);
	}
	ok(cp_asserts_dir("a/") && cp_asserts_dir("a/.") && cp_asserts_dir(".") && !cp_asserts_dir("a"),
	   "asserts a directory");
	copy_split_arg("web:/etc/x", &c, &p);
	ok(c && !strcmp(c, "web") && !strcmp(p, "/etc/x"), "split web:/etc/x");
	free(c);
	free(p);
	copy_split_arg("/abs:path", &c, &p);
	ok(!c && !strcmp(p, "/abs:path"), "an absolute path is local");
	free(p);
	copy_split_arg("./a:b", &c, &p);
	ok(!c && !strcmp(p, "./a:b"), "./ makes a local path");
	free(p);
	copy_split_arg("file", &c, &p);
	ok(!c && !strcmp(p, "file"), "no colon: local");
	free(p);
	copy_split_arg("web:", &c, &p);
	ok(c && !strcmp(c, "web") && !strcmp(p, ""), "web: is the container's root");
	free(c);
	free(p);
}

static void test_resolver(void)
{
	struct cp_root root = { .fd = root_fd(), .no_openat2 = no_openat2 };
	char *out = NULL;
	int fd;

	ok(cp_resolve_path(&root, "/evil/hostname", CP_RES_FOLLOW, &out) == 0, "[%s] resolve through ../../../..",
	   mode_name);
	is_str(out, "/hostname", "[%s] ... clamps at the root", mode_name);
	free(out);
	ok(cp_resolve_path(&root, "/abs/data/link", CP_RES_FOLLOW, &out) == 0, "[%s] resolve a chain of links",
	   mode_name);
	is_str(out, "/data/file.txt", "[%s] ... abs -> /etc -> / then link -> file.txt", mode_name);
	free(out);
	ok(cp_resolve_path(&root, "/dangling", CP_RES_FOLLOW, &out) == 0, "[%s] resolve a dangling link", mode_name);
	is_str(out, "/made", "[%s] ... gives its target", mode_name);
	free(out);
	symlink("loop2", P(R, "loop1"));
	symlink("loop1", P(R, "loop2"));
	ok(cp_resolve_path(&root, "/loop1", CP_RES_FOLLOW, &out) == -ELOOP, "[%s] a symlink loop: ELOOP", mode_name);
	fd = cp_open_dir(&root, "/loop1", 0);
	ok(fd == -ELOOP, "[%s] cp_open_dir on a loop: ELOOP", mode_name);
	fd = cp_open_dir(&root, "/rel_out", 0);
	ok(fd == -ENOENT, "[%s] cp_open_dir through ../../outside: ENOENT", mode_name);
	fd = cp_open_dir(&root, "/evil", 0);
	{
		struct stat a, b;
		ok(fd >= 0 && fstat(fd, &a) == 0 && stat(R, &b) == 0 && a.st_ino == b.st_ino,
		   "[%s] cp_open_dir(/evil) is the root itself", mode_name);
	}
	if (fd >= 0)
		close(fd);
	fd = cp_open_dir(&root, "/rel_out", CP_RES_NOLINKS);
	ok(fd == -ELOOP || fd == -EXDEV, "[%s] NOLINKS refuses a symlink", mode_name);
	unlink(P(R, "loop1"));
	unlink(P(R, "loop2"));
	close(root.fd);
}

int main(void)
{
	W = make_tmpdir();
	R = xasprintf("%s/ctr/root", W);
	H = xasprintf("%s/host", W);
	S = xasprintf("%s/src", W);
	OUT = xasprintf("%s/outside", W);
	mkdir(P(W, "ctr"), 0755);
	umask(022);

	test_paths();
	for (int pass = 0; pass < 2; pass++) {
		no_openat2 = pass == 1;
		mode_name = no_openat2 ? "walk" : (openat2_available() ? "openat2" : "walk (no openat2)");
		make_root();
		test_resolver();
		test_from_container();
		test_into_container();
		make_root();
		test_tar();
		make_root();
		test_hostile();
		outside_untouched("all of it");
	}
	remove_tree(W);
	return tap_done();
}
