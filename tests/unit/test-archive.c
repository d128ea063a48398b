/* test-archive.c: layer extraction (normal and hostile), whiteouts,
 * compression, diff IDs, the layer tar writer.  Runs as root. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "digest.h"
#include "tap.h"
#include "tar-builder.h"
#include "tarball.h"

static char *workdir;

static char *at(const char *dir, const char *rel)
{
	return xasprintf("%s/%s", dir, rel);
}

/* dir/rel in one of a few rotating static buffers. */
static const char *P(const char *dir, const char *rel)
{
	static char bufs[4][4096];
	static int i;
	i = (i + 1) % 4;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", dir, rel);
	return bufs[i];
}

static bool exists(const char *dir, const char *rel)
{
	cleanup_free char *p = at(dir, rel);
	struct stat st;
	return lstat(p, &st) == 0;
}

static char *slurp(const char *dir, const char *rel)
{
	cleanup_free char *p = at(dir, rel);
	char *data = NULL;
	if (read_file_all(p, 1 << 20, &data, NULL, NULL) < 0)
		return NULL;
	return data;
}

static char *fresh_dir(const char *name)
{
	char *d = at(workdir, name);
	remove_tree(d);
	mkdir(d, 0755);
	return d;
}

/* Extract the tar in fd into dir; 0 or -1, with the message in *msg. */
static int extract_into(int fd, const char *dir, const struct tar_extract_opts *opts, struct tar_extract_result *res,
			char **msg)
{
	cleanup_error robbe_error *err = NULL;
	cleanup_close int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct tar_extract_result local;
	int r = tar_extract_layer(fd, dfd, opts, res ? res : &local, &err);

	if (msg)
		*msg = err ? xstrdup(err->msg) : NULL;
	if (!res && r == 0)
		tar_extract_result_release(&local);
	close(fd);
	return r;
}

static void test_normal(void)
{
	int r;
	cleanup_free char *d = fresh_dir("normal");
	cleanup_free char *msg = NULL;
	cleanup_free char *content = NULL;
	const char *p = NULL;
	struct tar_extract_result res;
	struct stat st, st2;
	char buf[64];
	ssize_t n;
	struct tb t;

	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "./", .type = AE_IFDIR });
	tb_add(&t, (struct tb_entry){ .path = "etc/", .type = AE_IFDIR, .mode = 0750, .uid = 0, .gid = 42,
				      .mtime = 1600000000 });
	tb_add(&t, (struct tb_entry){ .path = "etc/hostname", .data = "box\n", .mode = 0640, .uid = 1000, .gid = 1001,
				      .mtime = 1500000000, .mtime_nsec = 123456789 });
	tb_add(&t, (struct tb_entry){ .path = "bin/su", .data = "ELF", .mode = 04755, .uid = 0, .gid = 0 });
	tb_add(&t, (struct tb_entry){ .path = "bin/ping", .data = "PING", .mode = 0755, .xattr_name = "security.capability",
				      .xattr_value = "\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
				      .xattr_size = 20,
				      .xattr2_name = "user.note", .xattr2_value = "hello" });
	tb_add(&t, (struct tb_entry){ .path = "bin/sh", .type = AE_IFLNK, .symlink = "/bin/busybox", .uid = 7, .gid = 8 });
	tb_add(&t, (struct tb_entry){ .path = "bin/su-again", .hardlink = "bin/su" });
	tb_add(&t, (struct tb_entry){ .path = "dev/null", .type = AE_IFCHR, .mode = 0666, .rmajor = 1, .rminor = 3 });
	tb_add(&t, (struct tb_entry){ .path = "dev/sda", .type = AE_IFBLK, .mode = 0660, .rmajor = 8, .rminor = 0 });
	tb_add(&t, (struct tb_entry){ .path = "run/fifo", .type = AE_IFIFO, .mode = 0620 });
	tb_add(&t, (struct tb_entry){ .path = "/abs/path", .data = "abs" });
	tb_add(&t, (struct tb_entry){ .path = "sneaky/trusted", .data = "x", .xattr_name = "trusted.overlay.redirect",
				      .xattr_value = "/etc" });
	tb_add(&t, (struct tb_entry){ .path = "etc/hostname", .data = "replaced\n", .mode = 0600 });
	tb_add(&t, (struct tb_entry){ .path = "utf8/h\xc3\xa9llo-\xe2\x9c\x93", .data = "u" });
	tb_add(&t, (struct tb_entry){ .path = "latin1/caf\xe9", .data = "l" });

	r = extract_into(tb_finish_fd(&t), d, NULL, &res, &msg);
	ok(r == 0, "normal layer extracts (%s)", msg ? msg : "ok");
	is_int((long long) res.entries, 15, "entry count");

	content = slurp(d, "etc/hostname");
	is_str(content, "replaced\n", "a later entry replaces an earlier file");
	p = P(d, "etc");
	ok(stat(p, &st) == 0 && (st.st_mode & 07777) == 0750 && st.st_gid == 42, "dir mode and group kept");
	ok(st.st_mtime == 1600000000, "dir mtime applied after its contents");
	p = P(d, "bin/su");
	ok(stat(p, &st) == 0 && (st.st_mode & 07777) == 04755, "setuid bit survives chown");
	p = P(d, "bin/su-again");
	ok(stat(p, &st2) == 0 && st2.st_ino == st.st_ino && st.st_nlink == 2, "hardlink shares the inode");
	p = P(d, "bin/ping");
	n = getxattr(p, "security.capability", buf, sizeof(buf));
	ok(n == 20, "security.capability kept after chown");
	n = getxattr(p, "user.note", buf, sizeof(buf));
	ok(n == 5 && memcmp(buf, "hello", 5) == 0, "user xattr kept");
	p = P(d, "bin/sh");
	n = readlink(p, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	is_str(buf, "/bin/busybox", "absolute symlink stored as is");
	ok(lstat(p, &st) == 0 && st.st_uid == 7 && st.st_gid == 8, "symlink owner set without following");
	p = P(d, "dev/null");
	ok(lstat(p, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3 &&
		   (st.st_mode & 0777) == 0666,
	   "char device node");
	p = P(d, "dev/sda");
	ok(lstat(p, &st) == 0 && S_ISBLK(st.st_mode) && major(st.st_rdev) == 8, "block device node");
	p = P(d, "run/fifo");
	ok(lstat(p, &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0620, "fifo");
	ok(exists(d, "abs/path"), "absolute path lands inside the layer");
	p = P(d, "sneaky/trusted");
	ok(getxattr(p, "trusted.overlay.redirect", buf, sizeof(buf)) < 0, "overlay xattrs from the tar are dropped");
	p = P(d, "etc/hostname");
	ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600, "replacement has its own mode");
	ok(exists(d, "utf8/h\xc3\xa9llo-\xe2\x9c\x93"), "UTF-8 name from a pax header");
	ok(exists(d, "latin1/caf\xe9"), "name that is not UTF-8 kept byte for byte");
	p = P(d, "bin");
	ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0755 && st.st_uid == 0, "implicit parent is 0755 root");
	tar_extract_result_release(&res);
}

static void test_mtime_nsec(void)
{
	int r;
	cleanup_free char *d = fresh_dir("times");
	const char *p = NULL;
	struct stat st;
	struct tb t;

	tb_full_pax = true;
	tb_open(&t, NULL);
	tb_full_pax = false;
	tb_add(&t, (struct tb_entry){ .path = "f", .data = "x", .mtime = 1500000000, .mtime_nsec = 123456789 });
	r = extract_into(tb_finish_fd(&t), d, NULL, NULL, NULL);
	ok(r == 0, "extract file with ns mtime");
	p = P(d, "f");
	ok(stat(p, &st) == 0 && st.st_mtim.tv_sec == 1500000000 && st.st_mtim.tv_nsec == 123456789,
	   "mtime with nanoseconds from pax");
}

static void test_compression(void)
{
	int r;
	const char *filters[] = { NULL, "gzip", "zstd", "xz", "bzip2" };
	cleanup_free char *plain = NULL;
	cleanup_free char *want = NULL;
	size_t len;
	struct tb t;

	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "a/b", .data = "compressed content" });
	tb_add(&t, (struct tb_entry){ .path = "c", .data = "more" });
	plain = tb_finish(&t, &len);
	want = digest_sha256(plain, len);
	for (size_t i = 0; i < ARRAY_SIZE(filters); i++) {
		const char *f = filters[i] ? filters[i] : "none";
		cleanup_free char *name = xasprintf("comp-%s", f);
		cleanup_free char *d = fresh_dir(name);
		cleanup_free char *blob = NULL;
		cleanup_free char *blob_digest = NULL;
		cleanup_free char *msg = NULL;
		cleanup_free char *content = NULL;
		struct tar_extract_result res;
		size_t blen = len;

		if (filters[i]) {
			blob = compress_bytes(plain, len, filters[i], &blen);
		} else {
			blob = xmalloc(len);
			memcpy(blob, plain, len);
		}
		blob_digest = digest_sha256(blob, blen);
		r = extract_into(mem_fd(blob, blen), d, NULL, &res, &msg);
		ok(r == 0, "%s layer extracts (%s)", f,
		   msg ? msg : "ok");
		is_str(res.diff_id, want, "%s: diff ID is the sha256 of the uncompressed tar", f);
		is_str(res.digest, blob_digest, "%s: digest of the blob as read", f);
		is_int((long long) res.size, (long long) len, "%s: uncompressed size", f);
		content = slurp(d, "a/b");
		is_str(content, "compressed content", "%s: content", f);
		tar_extract_result_release(&res);
	}
}

static void test_whiteouts(void)
{
	int r;
	cleanup_free char *d = fresh_dir("whiteouts");
	const char *p = NULL;
	cleanup_free char *msg = NULL;
	struct tar_extract_opts opts = { .opaque_xattr = "user.overlay.opaque" };
	struct stat st;
	char v[4];
	struct tb t;

	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "etc/", .type = AE_IFDIR });
	tb_add(&t, (struct tb_entry){ .path = "etc/.wh.motd", .uid = 5, .gid = 6 });
	tb_add(&t, (struct tb_entry){ .path = "var/cache/", .type = AE_IFDIR });
	tb_add(&t, (struct tb_entry){ .path = "var/cache/.wh..wh..opq" });
	tb_add(&t, (struct tb_entry){ .path = "var/cache/keep", .data = "k" });
	tb_add(&t, (struct tb_entry){ .path = ".wh..wh.plnk/" , .type = AE_IFDIR});
	tb_add(&t, (struct tb_entry){ .path = "gone", .data = "first" });
	tb_add(&t, (struct tb_entry){ .path = ".wh.gone" });
	r = extract_into(tb_finish_fd(&t), d, NULL, NULL, &msg);
	ok(r == 0, "layer with whiteouts extracts (%s)",
	   msg ? msg : "ok");
	p = P(d, "etc/motd");
	ok(lstat(p, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0), ".wh.motd became a 0:0 char device");
	ok(st.st_uid == 5 && st.st_gid == 6, "whiteout owner from the entry");
	ok(!exists(d, "etc/.wh.motd"), "no .wh. file left");
	p = P(d, "var/cache");
	ok(getxattr(p, "trusted.overlay.opaque", v, sizeof(v)) == 1 && v[0] == 'y', "opaque dir marked (trusted)");
	ok(!exists(d, "var/cache/.wh..wh..opq"), "opaque marker not extracted");
	ok(exists(d, "var/cache/keep"), "opaque dir keeps this layer's files");
	p = P(d, "gone");
	ok(lstat(p, &st) == 0 && S_ISCHR(st.st_mode), "whiteout replaces a file of the same layer");

	free(d);
	d = fresh_dir("whiteouts-user");
	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "x/.wh..wh..opq" });
	r = extract_into(tb_finish_fd(&t), d, &opts, NULL, NULL);
	ok(r == 0, "opaque with user xattr name");
	p = P(d, "x");
	ok(getxattr(p, "user.overlay.opaque", v, sizeof(v)) == 1, "opaque dir marked (user.overlay.opaque)");
	ok(getxattr(p, "trusted.overlay.opaque", v, sizeof(v)) < 0, "and not trusted.overlay.opaque");
}

/* One hostile tar, both resolvers; returns the error message. */
static char *hostile(const char *name, bool no_openat2, void (*build)(struct tb *, const char *), const char *arg)
{
	cleanup_free char *dname = xasprintf("hostile-%s-%d", name, no_openat2);
	cleanup_free char *d = fresh_dir(dname);
	struct tar_extract_opts opts = { .no_openat2 = no_openat2, .max_entries = 1000 };
	char *msg = NULL;
	struct tb t;

	tb_open(&t, NULL);
	build(&t, arg);
	if (extract_into(tb_finish_fd(&t), d, &opts, NULL, &msg) == 0)
		return NULL;
	return msg;
}

static void build_dotdot(struct tb *t, const char *arg)
{
	(void) arg;
	tb_add(t, (struct tb_entry){ .path = "ok", .data = "fine" });
	tb_add(t, (struct tb_entry){ .path = "../escape", .data = "bad" });
}

static void build_inner_dotdot(struct tb *t, const char *arg)
{
	(void) arg;
	tb_add(t, (struct tb_entry){ .path = "a/../../escape2", .data = "bad" });
}

static void build_symlink_write(struct tb *t, const char *canary)
{
	tb_add(t, (struct tb_entry){ .path = "evil", .type = AE_IFLNK, .symlink = canary });
	tb_add(t, (struct tb_entry){ .path = "evil/pwned", .data = "pwned" });
}

static void build_symlink_dir_write(struct tb *t, const char *canary)
{
	tb_add(t, (struct tb_entry){ .path = "evil", .type = AE_IFLNK, .symlink = canary });
	tb_add(t, (struct tb_entry){ .path = "evil/sub/", .type = AE_IFDIR });
}

static void build_symlink_chain(struct tb *t, const char *arg)
{
	(void) arg;
	tb_add(t, (struct tb_entry){ .path = "a/", .type = AE_IFDIR });
	tb_add(t, (struct tb_entry){ .path = "a/up", .type = AE_IFLNK, .symlink = "../../.." });
	tb_add(t, (struct tb_entry){ .path = "a/up/up2", .type = AE_IFLNK, .symlink = "../.." });
	tb_add(t, (struct tb_entry){ .path = "a/up/tmp/chain-pwned", .data = "x" });
}

static void build_dir_then_symlink(struct tb *t, const char *canary)
{
	tb_add(t, (struct tb_entry){ .path = "d/", .type = AE_IFDIR });
	tb_add(t, (struct tb_entry){ .path = "d/f", .data = "f" });
	tb_add(t, (struct tb_entry){ .path = "d", .type = AE_IFLNK, .symlink = canary });
	tb_add(t, (struct tb_entry){ .path = "d/pwned", .data = "x" });
}

static void build_hardlink_passwd(struct tb *t, const char *arg)
{
	(void) arg;
	tb_add(t, (struct tb_entry){ .path = "passwd", .hardlink = "/etc/passwd" });
}

static void build_hardlink_outside(struct tb *t, const char *arg)
{
	(void) arg;
	tb_add(t, (struct tb_entry){ .path = "x", .hardlink = "../outside" });
}

static void build_hardlink_via_symlink(struct tb *t, const char *arg)
{
	(void) arg;
	tb_add(t, (struct tb_entry){ .path = "etc", .type = AE_IFLNK, .symlink = "/etc" });
	tb_add(t, (struct tb_entry){ .path = "x", .hardlink = "etc/passwd" });
}

static void build_many(struct tb *t, const char *arg)
{
	(void) arg;
	for (int i = 0; i < 1001; i++) {
		char name[32];
		snprintf(name, sizeof(name), "f%d", i);
		tb_add(t, (struct tb_entry){ .path = name });
	}
}

static void build_long_name(struct tb *t, const char *arg)
{
	char name[400];
	(void) arg;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	tb_add(t, (struct tb_entry){ .path = name, .data = "x" });
}

static void build_bad_whiteout(struct tb *t, const char *arg)
{
	(void) arg;
	tb_add(t, (struct tb_entry){ .path = "dir/.wh...", .data = "" });
}

static void test_hostile(void)
{
	cleanup_free char *canary = at(workdir, "canary");
	cleanup_free char *pwned = at(canary, "pwned");
	cleanup_free char *escape = at(workdir, "escape");
	cleanup_free char *escape2 = at(workdir, "escape2");
	cleanup_free char *outside = at(workdir, "outside");
	struct stat st;

	mkdir(canary, 0755);
	write_file_atomic(outside, "secret", 6, 0600, NULL);
	for (int walk = 0; walk < 2; walk++) {
		const char *how = walk ? "O_NOFOLLOW walk" : "openat2";
		char *msg;

		msg = hostile("dotdot", walk, build_dotdot, NULL);
		ok(msg && strstr(msg, "could escape"), "%s: ../escape refused (%s)", how, msg ? msg : "accepted");
		ok(lstat(escape, &st) < 0, "%s: nothing written outside", how);
		free(msg);

		msg = hostile("inner-dotdot", walk, build_inner_dotdot, NULL);
		ok(msg && strstr(msg, "could escape"), "%s: a/../../escape2 refused", how);
		ok(lstat(escape2, &st) < 0, "%s: nothing written outside (2)", how);
		free(msg);

		msg = hostile("symlink", walk, build_symlink_write, canary);
		ok(msg && strstr(msg, "symbolic link"), "%s: write through an in-layer symlink refused (%s)", how,
		   msg ? msg : "accepted");
		ok(lstat(pwned, &st) < 0, "%s: canary dir untouched", how);
		free(msg);

		msg = hostile("symlink-dir", walk, build_symlink_dir_write, canary);
		ok(msg != NULL, "%s: directory through a symlink refused", how);
		free(msg);

		msg = hostile("chain", walk, build_symlink_chain, NULL);
		ok(msg && strstr(msg, "symbolic link"), "%s: ../../.. symlink chain refused", how);
		ok(lstat("/tmp/chain-pwned", &st) < 0, "%s: nothing in /tmp", how);
		free(msg);

		msg = hostile("dir-then-symlink", walk, build_dir_then_symlink, canary);
		ok(msg != NULL, "%s: directory replaced by a symlink, then written through: refused", how);
		ok(lstat(pwned, &st) < 0, "%s: canary dir untouched (2)", how);
		free(msg);

		msg = hostile("hardlink-passwd", walk, build_hardlink_passwd, NULL);
		ok(msg && strstr(msg, "not in this layer"), "%s: hardlink to /etc/passwd refused (%s)", how,
		   msg ? msg : "accepted");
		free(msg);

		msg = hostile("hardlink-outside", walk, build_hardlink_outside, NULL);
		ok(msg && strstr(msg, "could escape"), "%s: hardlink to ../outside refused", how);
		free(msg);

		msg = hostile("hardlink-symlink", walk, build_hardlink_via_symlink, NULL);
		ok(msg && strstr(msg, "symbolic link"), "%s: hardlink through a symlink refused", how);
		free(msg);

		msg = hostile("many", walk, build_many, NULL);
		ok(msg && strstr(msg, "more than 1000 entries"), "%s: entry count bounded (%s)", how,
		   msg ? msg : "accepted");
		free(msg);

		msg = hostile("longname", walk, build_long_name, NULL);
		ok(msg && strstr(msg, "longer than"), "%s: name longer than NAME_MAX refused", how);
		free(msg);

		msg = hostile("badwhiteout", walk, build_bad_whiteout, NULL);
		ok(msg && strstr(msg, "invalid whiteout"), "%s: whiteout of .. refused", how);
		free(msg);
	}
	ok(stat(outside, &st) == 0 && st.st_nlink == 1, "outside file has no new links");
}

static void test_limits(void)
{
	int r;
	cleanup_free char *d = fresh_dir("limits");
	cleanup_free char *msg = NULL;
	cleanup_free char *big = xmalloc(100000);
	struct tar_extract_opts opts = { .max_stream = 50000 };
	struct tb t;

	memset(big, 'z', 100000);
	tb_open(&t, "gzip");
	tb_add(&t, (struct tb_entry){ .path = "bomb", .data = big, .size = 100000 });
	r = extract_into(tb_finish_fd(&t), d, &opts, NULL, &msg);
	ok(r < 0 && msg && strstr(msg, "larger than"),
	   "uncompressed stream size bounded (%s)", msg ? msg : "accepted");
}

static void test_clean_path(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a/b", "a/b" }, { "/a//b/", "a/b" }, { "./a/./b", "a/b" }, { "/", "" }, { "./", "" },
		{ "...", "..." }, { "a/..b", "a/..b" }, { "../x", NULL }, { "a/..", NULL }, { "", NULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cleanup_free char *out = NULL;
		cleanup_error robbe_error *err = NULL;
		tar_clean_path(cases[i].in, &out, &err);
		is_str(out, cases[i].out, "clean \"%s\"", cases[i].in);
	}
}

static void test_truncated(void)
{
	int r;
	cleanup_free char *d = fresh_dir("truncated");
	cleanup_free char *msg = NULL;
	cleanup_free char *data = NULL;
	cleanup_free char *big = xmalloc(200000);
	size_t len;
	struct tb t;

	for (size_t i = 0; i < 200000; i++)
		big[i] = (char) (i * 7919 % 251);
	tb_open(&t, "gzip");
	tb_add(&t, (struct tb_entry){ .path = "f", .data = big, .size = 200000 });
	data = tb_finish(&t, &len);
	r = extract_into(mem_fd(data, len / 2), d, NULL, NULL, &msg);
	ok(r < 0, "truncated gzip fails (%s)",
	   msg ? msg : "accepted");
}

/* Write a tree, check determinism, whiteouts, hardlinks, xattrs; extract
 * it again and compare. */
static void test_writer(void)
{
	int r;
	cleanup_free char *src = fresh_dir("wsrc");
	cleanup_free char *dst = fresh_dir("wdst");
	const char *p = NULL;
	const char *q = NULL;
	cleanup_free char *msg = NULL;
	cleanup_error robbe_error *err = NULL;
	cleanup_close int sfd = -1;
	struct tar_write_result r1, r2, rg;
	struct tar_extract_result er;
	struct stat st, st2;
	char v[8];
	int out1 = memfd_create("o1", MFD_CLOEXEC), out2 = memfd_create("o2", MFD_CLOEXEC);
	int outg = memfd_create("og", MFD_CLOEXEC), plain = memfd_create("pl", MFD_CLOEXEC);
	struct tb t;

	/* Build the source tree by extracting a tar (gives us whiteouts and
	 * opaque dirs the same way a pulled layer has them). */
	tb_open(&t, NULL);
	tb_add(&t, (struct tb_entry){ .path = "z/", .type = AE_IFDIR, .mode = 0700, .uid = 3 });
	tb_add(&t, (struct tb_entry){ .path = "z/file", .data = "zzz", .mode = 0604, .uid = 11, .gid = 12,
				      .xattr_name = "user.color", .xattr_value = "blue" });
	tb_add(&t, (struct tb_entry){ .path = "z/link", .hardlink = "z/file" });
	tb_add(&t, (struct tb_entry){ .path = "a-sym", .type = AE_IFLNK, .symlink = "z/file" });
	tb_add(&t, (struct tb_entry){ .path = "dev/tty", .type = AE_IFCHR, .rmajor = 5, .rminor = 0 });
	tb_add(&t, (struct tb_entry){ .path = "old/.wh.removed" });
	tb_add(&t, (struct tb_entry){ .path = "opq/.wh..wh..opq" });
	tb_add(&t, (struct tb_entry){ .path = "opq/new", .data = "n" });
	r = extract_into(tb_finish_fd(&t), src, NULL, NULL, &msg);
	ok(r == 0, "source tree built (%s)", msg ? msg : "ok");

	sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct tar_write_opts wo = { .whiteouts = true };
	ok(tar_write_layer(sfd, out1, TAR_PLAIN, &wo, &r1, &err) == 0, "write layer tar");
	ok(tar_write_layer(sfd, out2, TAR_PLAIN, &wo, &r2, &err) == 0, "write it again");
	is_str(r1.diff_id, r2.diff_id, "same tree, same diff ID (deterministic)");
	is_str(r1.digest, r1.diff_id, "plain: digest equals diff ID");
	ok(tar_write_layer(sfd, outg, TAR_GZIP, &wo, &rg, &err) == 0, "write gzip layer");
	is_str(rg.diff_id, r1.diff_id, "gzip: diff ID is the plain tar's");
	ok(strcmp(rg.digest, rg.diff_id) != 0 && rg.compressed_size > 0, "gzip: separate compressed digest");
	{
		cleanup_free char *dg = NULL;
		cleanup_free char *fd_digest = NULL;
		cleanup_free char *path = xasprintf("/proc/self/fd/%d", outg);
		uint64_t sz = 0;
		lseek(outg, 0, SEEK_SET);
		ok(tar_decompress(outg, plain, 0, &dg, &sz, &err) == 0, "decompress gzip layer");
		is_str(dg, r1.diff_id, "decompressed stream has the diff ID");
		is_int((long long) sz, (long long) r1.size, "decompressed size");
		digest_file(path, &fd_digest, NULL);
		is_str(fd_digest, rg.digest, "compressed digest is the sha256 of the written bytes");
	}
	{
		struct tar_write_result rg2;
		int outg2 = memfd_create("og2", MFD_CLOEXEC);
		ok(tar_write_layer(sfd, outg2, TAR_GZIP, &wo, &rg2, &err) == 0 && !strcmp(rg2.digest, rg.digest),
		   "gzip output is reproducible");
		tar_write_result_release(&rg2);
		close(outg2);
	}

	lseek(out1, 0, SEEK_SET);
	r = extract_into(out1, dst, NULL, &er, &msg);
	ok(r == 0, "written tar extracts (%s)", msg ? msg : "ok");
	is_str(er.diff_id, r1.diff_id, "extractor computes the same diff ID");
	p = P(dst, "z/file");
	q = P(dst, "z/link");
	ok(stat(p, &st) == 0 && stat(q, &st2) == 0 && st.st_ino == st2.st_ino, "hardlink round trip");
	ok(st.st_uid == 11 && st.st_gid == 12 && (st.st_mode & 0777) == 0604, "owner and mode round trip");
	ok(getxattr(p, "user.color", v, sizeof(v)) == 4, "user xattr round trip");
	p = P(dst, "old/removed");
	ok(lstat(p, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == 0, "whiteout round trip");
	p = P(dst, "opq");
	ok(getxattr(p, "trusted.overlay.opaque", v, sizeof(v)) == 1, "opaque dir round trip");
	p = P(dst, "dev/tty");
	ok(lstat(p, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 5, "device round trip");
	p = P(dst, "z");
	ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0700 && st.st_uid == 3, "dir metadata round trip");
	tar_extract_result_release(&er);
	tar_write_result_release(&r1);
	tar_write_result_release(&r2);
	tar_write_result_release(&rg);
	close(out2);
	close(outg);
	close(plain);
}

int main(void)
{
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root\n");
		return 0;
	}
	workdir = make_tmpdir();
	test_clean_path();
	test_normal();
	test_mtime_nsec();
	test_compression();
	test_whiteouts();
	test_hostile();
	test_limits();
	test_truncated();
	test_writer();
	remove_tree(workdir);
	free(workdir);
	return tap_done();
}
