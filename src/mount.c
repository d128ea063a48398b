/* mount.c: a container's overlay root file system over its image's layers,
 * and the /etc/hosts, /etc/hostname and /etc/resolv.conf files bound into
 * it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "container-internal.h"
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

int ctr_rootfs_mount_ex(struct container_env *env, const char *lower, const char *upper, const char *work,
			const char *merged, bool disposable, robbe_error **err)
{
	cleanup_free char *opts = NULL;
	cleanup_close int cwd = -1;
	struct image_env *ie;
	int r, saved;

	if (ctr_is_mountpoint(merged))
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
	/* A --rm container's writes need not survive a crash: "volatile"
	 * spares the sync of the whole upper file system at unmount. */
	opts = xasprintf("lowerdir=%s,upperdir=%s,workdir=%s%s", lower, upper, work, disposable ? ",volatile" : "");
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
		return ctr_rootfs_mount_ex(env, lower, upper, work, merged, false, err); /* a kernel before 5.10 */
	if (r < 0)
		return robbe_error_errno(err, errno, "mount the root file system at %s", merged);
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
