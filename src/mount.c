/* mount.c: a container's overlay root file system over its image's layers,
 * and the /etc/hosts, /etc/hostname and /etc/resolv.conf files bound into
 * it. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include "container-internal.h"
#include "rootless.h"
#include "store/layers.h"

void ctr_rootfs_release(struct ctr_rootfs *r)
{
	free(r->lower);
	free(r->lower_full);
	free(r->upper);
	free(r->work);
	free(r->merged);
	memset(r, 0, sizeof(*r));
}

/* "l/A:l/B" (relative to overlay_dir) -> absolute diff directories, by
 * reading each short link. */
static char *full_lowers(const char *overlay_dir, const char *lower)
{
	struct sbuf sb = SBUF_INIT;
	cleanup_free char *copy = xstrdup(lower);
	char *save = NULL;

	for (char *tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
		cleanup_free char *link = xasprintf("%s/%s", overlay_dir, tok);
		char target[4096];
		ssize_t n = readlink(link, target, sizeof(target) - 1);

		if (sb.len)
			sbuf_addc(&sb, ':');
		if (n > 0 && str_has_prefix(target, "../")) {
			target[n] = '\0';
			sbuf_addf(&sb, "%s/%s", overlay_dir, target + 3);
		} else {
			sbuf_adds(&sb, link);
		}
	}
	return sbuf_detach(&sb);
}

int ctr_rootfs_prepare(struct container_env *env, const char *dir, const char *top_layer, struct ctr_rootfs *r,
		       robbe_error **err)
{
	struct image_env *ie;
	const char *dirs[3];

	memset(r, 0, sizeof(*r));
	r->upper = xasprintf("%s/diff", dir);
	r->work = xasprintf("%s/work", dir);
	r->merged = xasprintf("%s/merged", dir);
	dirs[0] = r->upper;
	dirs[1] = r->work;
	dirs[2] = r->merged;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (mkdir(dirs[i], 0700) < 0 && errno != EEXIST)
			return robbe_error_errno(err, errno, "mkdir %s", dirs[i]);
	/* The merged root is what the container sees as /: 0755 as usual. */
	chmod(r->upper, 0755);
	chmod(r->merged, 0755);

	if (top_layer && *top_layer) {
		if (container_env_image(env, &ie, err) < 0)
			return -1;
		if (layer_store_lowers(ie->layers, top_layer, &r->lower, err) < 0)
			return robbe_error_wrap(err, "layers of the image");
		r->lower_full = full_lowers(layer_store_overlay_dir(ie->layers), r->lower);
	} else {
		/* overlayfs needs a lower directory: an empty one. */
		cleanup_free char *empty = xasprintf("%s/empty", dir);
		if (mkdir(empty, 0755) < 0 && errno != EEXIST)
			return robbe_error_errno(err, errno, "mkdir %s", empty);
		r->lower = xstrdup(empty);
		r->lower_full = steal_pointer(&empty);
	}
	return 0;
}

bool ctr_is_mountpoint(const char *path)
{
	cleanup_free char *parent = xasprintf("%s/..", path);
	struct stat a, b;

	if (stat(path, &a) < 0 || stat(parent, &b) < 0)
		return false;
	return a.st_dev != b.st_dev || a.st_ino == b.st_ino;
}

int ctr_rootfs_mount(struct container_env *env, const char *lower, const char *upper, const char *work,
		     const char *merged, robbe_error **err)
{
	return ctr_rootfs_mount_ex(env, lower, upper, work, merged, false, err);
}

/* ---- native overlayfs ------------------------------------------------------ */

static int mount_native(struct container_env *env, const char *lower, const char *upper, const char *work,
			const char *merged, bool disposable, robbe_error **err)
{
	cleanup_free char *opts = NULL;
	cleanup_close int cwd = -1;
	struct image_env *ie;
	int r, saved;

	/* A --rm container's writes need not survive a crash: "volatile"
	 * spares the sync of the whole upper file system at unmount.  In a
	 * user namespace overlayfs may not use trusted.* xattrs: userxattr
	 * has it use user.overlay.* (the layer store marks opaque
	 * directories so there, see tarball.c). */
	opts = xasprintf("lowerdir=%s,upperdir=%s,workdir=%s%s%s", lower, upper, work, disposable ? ",volatile" : "",
			 rootless_in_userns() ? ",userxattr" : "");
	if (lower[0] == '/')
		r = mount("overlay", merged, "overlay", 0, opts);
	else {
		/* The short lower names are relative to the layer store's
		 * overlay directory: they keep the options under a page even
		 * for images of a hundred layers.  robbe is single-threaded
		 * here, so changing directory for the call is safe. */
		if (container_env_image(env, &ie, err) < 0)
			return -1;
		cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cwd < 0)
			return robbe_error_errno(err, errno, "open the current directory");
		if (chdir(layer_store_overlay_dir(ie->layers)) < 0)
			return robbe_error_errno(err, errno, "chdir %s", layer_store_overlay_dir(ie->layers));
		r = mount("overlay", merged, "overlay", 0, opts);
		saved = errno;
		if (fchdir(cwd) < 0)
			return robbe_error_errno(err, errno, "fchdir back");
		errno = saved;
	}
	if (r < 0 && disposable && errno == EINVAL)
		return mount_native(env, lower, upper, work, merged, false, err); /* a kernel before 5.10 */
	if (r < 0)
		return robbe_error_errno(err, errno, "mount the root file system at %s", merged);
	return 0;
}

/* The lower directories as absolute paths, for mounts not made from the
 * layer store's directory. */
static int absolute_lowers(struct container_env *env, const char *lower, char **out, robbe_error **err)
{
	struct image_env *ie;

	if (lower[0] == '/') {
		*out = xstrdup(lower);
		return 0;
	}
	if (container_env_image(env, &ie, err) < 0)
		return -1;
	*out = full_lowers(layer_store_overlay_dir(ie->layers), lower);
	return 0;
}

/* ---- fuse-overlayfs ---------------------------------------------------------- */

/* fuse-overlayfs mounts (FUSE is allowed in a user namespace) and stays
 * behind as the file system's server until the unmount.  It reads the same
 * whiteouts and user.overlay.opaque marks as the kernel's overlayfs.
 * allow_other: the container's users are not the mounter. */
static int mount_fuse(struct container_env *env, const char *lower, const char *upper, const char *work,
		      const char *merged, robbe_error **err)
{
	cleanup_free char *prog = NULL, *lowers = NULL, *opts = NULL;
	cleanup_strv char **envp = runtime_environ(NULL, NULL);
	int status = 0;
	pid_t pid;

	if (find_program("fuse-overlayfs", NULL, &prog, err) < 0)
		return -1;
	if (absolute_lowers(env, lower, &lowers, err) < 0)
		return -1;
	opts = xasprintf("lowerdir=%s,upperdir=%s,workdir=%s,allow_other", lowers, upper, work);
	{
		char *argv[] = { prog, "-o", opts, (char *) merged, NULL };
		int fds[3] = { -1, -1, -1 };

		if (spawn_process(argv, envp, fds, 3, true, &pid, err) < 0)
			return -1;
	}
	/* It returns once the file system is mounted (its server goes on). */
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return robbe_error_errno(err, errno, "waiting for fuse-overlayfs");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !ctr_is_mountpoint(merged))
		return robbe_error_set(err, 0, "fuse-overlayfs could not mount %s (status %d)", merged,
				       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

/* ---- the copying fallback ------------------------------------------------------ */

/* Where neither overlayfs can mount, the container's root is a plain copy
 * of its layers, made once (the mark in the work directory says so) and
 * written to in place.  Whiteouts and opaque directories apply as overlayfs
 * would apply them. */
#define COPY_DONE_MARK "robbe-rootfs-copied"
#define COPY_MAX_DEPTH 256

static bool is_opaque_dir(int fd)
{
	char v[2];

	return (fgetxattr(fd, "user.overlay.opaque", v, sizeof(v)) == 1 && v[0] == 'y') ||
	       (fgetxattr(fd, "trusted.overlay.opaque", v, sizeof(v)) == 1 && v[0] == 'y');
}

static bool copy_xattr_wanted(const char *name)
{
	return (str_has_prefix(name, "user.") && !str_has_prefix(name, "user.overlay.")) ||
	       !strcmp(name, "security.capability");
}

static void copy_xattrs(int from, int to)
{
	char names[8192], value[8192];
	ssize_t n = flistxattr(from, names, sizeof(names));

	for (ssize_t off = 0; n > 0 && off < n; off += (ssize_t) strlen(names + off) + 1) {
		ssize_t len;

		if (!copy_xattr_wanted(names + off))
			continue;
		len = fgetxattr(from, names + off, value, sizeof(value));
		if (len >= 0)
			(void) fsetxattr(to, names + off, value, (size_t) len, 0);
	}
}

/* Owner, then mode (chown clears set-id bits), then times. */
static void copy_meta_fd(int fd, const struct stat *st)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	(void) fchown(fd, st->st_uid, st->st_gid);
	(void) fchmod(fd, st->st_mode & 07777);
	(void) futimens(fd, ts);
}

static int copy_file_data(int in, int out, const char *name, robbe_error **err)
{
	char buf[65536];

	for (;;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n == 0)
			return 0;
		if (n > 0)
			continue;
		if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
			return robbe_error_errno(err, errno, "copy %s", name);
		break;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return robbe_error_errno(err, errno, "read %s", name);
		if (n == 0)
			return 0;
		for (ssize_t w = 0; w < n;) {
			ssize_t k = write(out, buf + w, (size_t) (n - w));
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return robbe_error_errno(err, errno, "write %s", name);
			w += k;
		}
	}
}

static int copy_layer_dir(int src, int dst, int depth, robbe_error **err);

static int copy_entry(int src, int dst, const char *name, int depth, robbe_error **err)
{
	struct stat st, dst_st;
	bool dst_exists = fstatat(dst, name, &dst_st, AT_SYMLINK_NOFOLLOW) == 0;

	if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return robbe_error_errno(err, errno, "stat %s", name);
	/* A whiteout: the name is gone from here down. */
	if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0))
		return rm_rf_at(dst, name, err);
	if (S_ISDIR(st.st_mode)) {
		cleanup_close int s = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		cleanup_close int d = -1;

		if (s < 0)
			return robbe_error_errno(err, errno, "open %s", name);
		if (dst_exists && (!S_ISDIR(dst_st.st_mode) || is_opaque_dir(s))) {
			if (rm_rf_at(dst, name, err) < 0)
				return -1;
			dst_exists = false;
		}
		if (!dst_exists && mkdirat(dst, name, 0700) < 0)
			return robbe_error_errno(err, errno, "mkdir %s", name);
		d = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (d < 0)
			return robbe_error_errno(err, errno, "open %s", name);
		if (copy_layer_dir(s, d, depth + 1, err) < 0)
			return -1;
		copy_xattrs(s, d);
		copy_meta_fd(d, &st);
		return 0;
	}
	if (dst_exists && rm_rf_at(dst, name, err) < 0)
		return -1;
	if (S_ISREG(st.st_mode)) {
		cleanup_close int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		cleanup_close int out = -1;

		if (in < 0)
			return robbe_error_errno(err, errno, "open %s", name);
		out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (out < 0)
			return robbe_error_errno(err, errno, "create %s", name);
		if (copy_file_data(in, out, name, err) < 0)
			return -1;
		copy_xattrs(in, out);
		copy_meta_fd(out, &st);
		return 0;
	}
	if (S_ISLNK(st.st_mode)) {
		char target[4097];
		ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);
		struct timespec ts[2] = { st.st_atim, st.st_mtim };

		if (n < 0)
			return robbe_error_errno(err, errno, "readlink %s", name);
		target[n] = '\0';
		if (symlinkat(target, dst, name) < 0)
			return robbe_error_errno(err, errno, "symlink %s", name);
		(void) fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
		(void) utimensat(dst, name, ts, AT_SYMLINK_NOFOLLOW);
		return 0;
	}
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		/* Device nodes need the host's privileges: a container gets
		 * its devices from the runtime anyway. */
		if (mknodat(dst, name, st.st_mode, st.st_rdev) < 0)
			return errno == EPERM ? 0 : robbe_error_errno(err, errno, "mknod %s", name);
		(void) fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
		(void) fchmodat(dst, name, st.st_mode & 07777, 0);
		return 0;
	}
	return 0;	/* sockets mean nothing in a layer */
}

static int copy_layer_dir(int src, int dst, int depth, robbe_error **err)
{
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	if (depth > COPY_MAX_DEPTH)
		return robbe_error_set(err, 0, "a layer is nested deeper than %d directories", COPY_MAX_DEPTH);
	fd = dup(src);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return robbe_error_errno(err, errno, "read a layer directory");
	}
	while (r == 0 && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			r = copy_entry(src, dst, de->d_name, depth, err);
	closedir(d);
	return r;
}

static void empty_dir(const char *path)
{
	cleanup_close int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	if (fd < 0 || !(d = fdopendir(dup(fd))))
		return;
	while ((de = readdir(d))) {
		cleanup_error robbe_error *e = NULL;
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rm_rf_at(fd, de->d_name, &e);
	}
	closedir(d);
}

static int copy_rootfs(struct container_env *env, const char *lower, const char *work, const char *merged,
		       robbe_error **err)
{
	cleanup_free char *lowers = NULL, *mark = xasprintf("%s/" COPY_DONE_MARK, work);
	cleanup_close int dst = -1;
	char **dirs = NULL;
	cleanup_strv char **owned = NULL;

	if (absolute_lowers(env, lower, &lowers, err) < 0)
		return -1;
	{
		char *save = NULL;
		for (char *t = strtok_r(lowers, ":", &save); t; t = strtok_r(NULL, ":", &save))
			strv_push(&owned, t);
		dirs = owned;
	}
	dst = open(merged, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dst < 0)
		return robbe_error_errno(err, errno, "open %s", merged);
	/* overlayfs lists the top layer first: copy from the bottom up. */
	for (size_t i = strv_len(dirs); i-- > 0;) {
		cleanup_close int src = open(dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (src < 0 || copy_layer_dir(src, dst, 0, err) < 0) {
			if (src < 0)
				robbe_error_errno(err, errno, "open %s", dirs[i]);
			empty_dir(merged);
			return robbe_error_wrap(err, "copying the image's layers into %s", merged);
		}
	}
	if (fchmod(dst, 0755) < 0) {
		robbe_error_errno(err, errno, "chmod %s", merged);
		empty_dir(merged);
		return -1;
	}
	if (write_file_replace(mark, "", 0, 0600, err) < 0) {
		empty_dir(merged);
		return -1;
	}
	return 0;
}

static bool copied_rootfs(const char *work)
{
	cleanup_free char *mark = xasprintf("%s/" COPY_DONE_MARK, work);

	return access(mark, F_OK) == 0;
}

/* ---- choosing --------------------------------------------------------------------- */

enum rootfs_method {
	ROOTFS_AUTO,	/* overlayfs; rootless: then fuse-overlayfs, then a copy */
	ROOTFS_OVERLAY,
	ROOTFS_FUSE,
	ROOTFS_COPY,
};

/* $ROBBE_ROOTFS_MOUNT pins the method (overlay, fuse-overlayfs, copy), for
 * tests and for hosts where a probe would pick wrongly. */
static enum rootfs_method wanted_method(void)
{
	const char *v = getenv("ROBBE_ROOTFS_MOUNT");

	if (!v || !*v)
		return ROOTFS_AUTO;
	if (!strcmp(v, "overlay"))
		return ROOTFS_OVERLAY;
	if (!strcmp(v, "fuse-overlayfs"))
		return ROOTFS_FUSE;
	if (!strcmp(v, "copy"))
		return ROOTFS_COPY;
	return ROOTFS_AUTO;
}

int ctr_rootfs_mount_ex(struct container_env *env, const char *lower, const char *upper, const char *work,
			const char *merged, bool disposable, robbe_error **err)
{
	enum rootfs_method method = wanted_method();
	cleanup_error robbe_error *native_err = NULL, *fuse_err = NULL;

	if (ctr_is_mountpoint(merged) || copied_rootfs(work))
		return 0;
	{
		/* A volatile mount that was not unmounted cleanly (a reboot)
		 * marks its work directory; overlayfs refuses it until the
		 * mark goes.  Only disposable containers mount so. */
		cleanup_free char *mark = xasprintf("%s/work/incompat/volatile", work);
		cleanup_free char *inner = xasprintf("%s/work", work);
		cleanup_error robbe_error *e = NULL;

		if (access(mark, F_OK) == 0 && rm_rf_at(AT_FDCWD, inner, &e) < 0)
			robbe_error_warn(&e);
	}
	if (method == ROOTFS_AUTO || method == ROOTFS_OVERLAY) {
		if (mount_native(env, lower, upper, work, merged, disposable, &native_err) == 0)
			return 0;
		/* As root a failing overlayfs is an error to report; rootless
		 * the kernel may simply not allow it. */
		if (method == ROOTFS_OVERLAY || !rootless_in_userns()) {
			*err = steal_pointer(&native_err);
			return -1;
		}
	}
	if (method == ROOTFS_AUTO || method == ROOTFS_FUSE) {
		if (mount_fuse(env, lower, upper, work, merged, &fuse_err) == 0)
			return 0;
		if (method == ROOTFS_FUSE) {
			*err = steal_pointer(&fuse_err);
			return -1;
		}
	}
	if (copy_rootfs(env, lower, work, merged, err) < 0) {
		if (native_err && fuse_err)
			robbe_error_wrap(err, "overlayfs: %s; fuse-overlayfs: %s; and a copy", native_err->msg,
					 fuse_err->msg);
		return -1;
	}
	return 0;
}

int ctr_rootfs_umount(const char *merged, robbe_error **err)
{
	if (!ctr_is_mountpoint(merged))
		return 0;
	if (umount2(merged, 0) == 0)
		return 0;
	if (errno == EINVAL || errno == ENOENT)
		return 0;
	/* Busy (a process still holds it, e.g. a shell cd'd there): detach
	 * it, the kernel frees it once the last user goes. */
	if (umount2(merged, MNT_DETACH) < 0 && errno != EINVAL)
		return robbe_error_errno(err, errno, "unmount %s", merged);
	return 0;
}

/* ---- /etc files --------------------------------------------------------- */

static bool is_loopback_ns(const char *addr)
{
	return str_has_prefix(addr, "127.") || !strcmp(addr, "::1") || !strcmp(addr, "0:0:0:0:0:0:0:1");
}

/* Docker's fallback when the host has only local resolvers. */
static const char *const fallback_dns[] = { "8.8.8.8", "8.8.4.4" };

char *ctr_resolv_conf(const char *host_text, bool host_network, char *const *dns, char *const *dns_search,
		      char *const *dns_options)
{
	struct sbuf out = SBUF_INIT;
	cleanup_free char *copy = xstrdup(host_text ? host_text : "");
	bool have_ns = false, override_ns = dns && dns[0], override_search = dns_search && dns_search[0],
	     override_opts = dns_options && dns_options[0];
	char *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char word[64] = "", value[256] = "";

		if (sscanf(line, "%63s %255s", word, value) < 1)
			continue;
		if (!strcmp(word, "nameserver")) {
			if (override_ns || (!host_network && is_loopback_ns(value)))
				continue;
			have_ns = true;
		} else if (!strcmp(word, "search") || !strcmp(word, "domain")) {
			if (override_search)
				continue;
		} else if (!strcmp(word, "options")) {
			if (override_opts)
				continue;
		}
		sbuf_adds(&out, line);
		sbuf_addc(&out, '\n');
	}
	if (override_search) {
		sbuf_adds(&out, "search");
		for (size_t i = 0; dns_search[i]; i++)
			if (strcmp(dns_search[i], "."))
				sbuf_addf(&out, " %s", dns_search[i]);
		sbuf_addc(&out, '\n');
	}
	if (override_opts) {
		sbuf_adds(&out, "options");
		for (size_t i = 0; dns_options[i]; i++)
			sbuf_addf(&out, " %s", dns_options[i]);
		sbuf_addc(&out, '\n');
	}
	if (override_ns) {
		for (size_t i = 0; dns[i]; i++)
			sbuf_addf(&out, "nameserver %s\n", dns[i]);
	} else if (!have_ns) {
		for (size_t i = 0; i < ARRAY_SIZE(fallback_dns); i++)
			sbuf_addf(&out, "nameserver %s\n", fallback_dns[i]);
	}
	return sbuf_detach(&out);
}

static int write_text(const char *dir, const char *name, const char *text, robbe_error **err)
{
	cleanup_free char *path = xasprintf("%s/%s", dir, name);

	/* Readable by the container's users, whoever they are. */
	return write_file_replace(path, text, strlen(text), 0644, err);
}

int ctr_write_etc_files(const struct ctr_etc_request *req, robbe_error **err)
{
	cleanup_sbuf struct sbuf hosts = SBUF_INIT;
	cleanup_free char *host_resolv = NULL;
	cleanup_free char *resolv = NULL;
	cleanup_free char *hostname = xasprintf("%s\n", req->hostname ? req->hostname : "");
	cleanup_error robbe_error *e = NULL;

	if (req->host_network) {
		cleanup_free char *host_hosts = NULL;
		if (read_file_all("/etc/hosts", 1024 * 1024, &host_hosts, NULL, &e) == 0)
			sbuf_adds(&hosts, host_hosts);
		else
			robbe_error_free(steal_pointer(&e));
		if (hosts.len && hosts.buf[hosts.len - 1] != '\n')
			sbuf_addc(&hosts, '\n');
	} else {
		sbuf_adds(&hosts, "127.0.0.1\tlocalhost\n"
				  "::1\tlocalhost ip6-localhost ip6-loopback\n"
				  "fe00::0\tip6-localnet\n"
				  "ff00::0\tip6-mcastprefix\n"
				  "ff02::1\tip6-allnodes\n"
				  "ff02::2\tip6-allrouters\n");
	}
	for (size_t i = 0; req->extra_hosts && req->extra_hosts[i]; i++) {
		/* "name:ip" (the ip may hold colons: IPv6). */
		const char *colon = strchr(req->extra_hosts[i], ':');
		if (!colon)
			continue;
		sbuf_addf(&hosts, "%s\t%.*s\n", colon + 1, (int) (colon - req->extra_hosts[i]), req->extra_hosts[i]);
	}

	if (read_file_all("/etc/resolv.conf", 1024 * 1024, &host_resolv, NULL, &e) < 0)
		robbe_error_free(steal_pointer(&e));
	resolv = ctr_resolv_conf(host_resolv, req->host_network, req->dns, req->dns_search, req->dns_options);

	if (write_text(req->dir, "hosts", sbuf_str(&hosts), err) < 0 ||
	    write_text(req->dir, "hostname", hostname, err) < 0 || write_text(req->dir, "resolv.conf", resolv, err) < 0)
		return -1;
	return 0;
}
