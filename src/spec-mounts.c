/* spec-mounts.c: the mounts and device nodes of a container, as Docker 28
 * lays them out. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "spec-internal.h"

/* ---------------------------------------------------------------------- */
/* Paths and options */

char *spec_clean_path(const char *path)
{
	if (!path || path[0] != '/')
		return NULL;

	cleanup_free char *copy = xstrdup(path);
	cleanup_free char **parts = xcalloc(strlen(path) + 1, sizeof(*parts));
	size_t n = 0;
	char *save = NULL;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			if (n)
				n--;
			continue;
		}
		parts[n++] = c;
	}
	struct sbuf sb = SBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		sbuf_addc(&sb, '/');
		sbuf_adds(&sb, parts[i]);
	}
	if (!n)
		sbuf_addc(&sb, '/');
	return sbuf_detach(&sb);
}

static size_t path_depth(const char *clean)
{
	size_t d = 0;
	for (const char *p = clean; *p; p++)
		if (*p == '/' && p[1])
			d++;
	return d;
}

/* Mount flags as Docker's tmpfs merge groups them: options of one group
 * override each other (ro/rw, exec/noexec, ...), all propagation and bind
 * options form one group. */
static const struct {
	const char *name;
	const char *group;
} mount_flags[] = {
	{ "ro", "rdonly" }, { "rw", "rdonly" },
	{ "suid", "nosuid" }, { "nosuid", "nosuid" },
	{ "dev", "nodev" }, { "nodev", "nodev" },
	{ "exec", "noexec" }, { "noexec", "noexec" },
	{ "sync", "sync" }, { "async", "sync" },
	{ "dirsync", "dirsync" }, { "remount", "remount" },
	{ "mand", "mand" }, { "nomand", "mand" },
	{ "atime", "noatime" }, { "noatime", "noatime" },
	{ "diratime", "nodiratime" }, { "nodiratime", "nodiratime" },
	{ "relatime", "relatime" }, { "norelatime", "relatime" },
	{ "strictatime", "strictatime" }, { "nostrictatime", "strictatime" },
	{ "bind", "propagation" }, { "rbind", "propagation" },
	{ "unbindable", "propagation" }, { "runbindable", "propagation" },
	{ "private", "propagation" }, { "rprivate", "propagation" },
	{ "shared", "propagation" }, { "rshared", "propagation" },
	{ "slave", "propagation" }, { "rslave", "propagation" },
};

static const char *const tmpfs_data_keys[] = {
	"", "size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol", NULL,
};

static const char *flag_group(const char *opt)
{
	for (size_t i = 0; i < ARRAY_SIZE(mount_flags); i++)
		if (strcmp(mount_flags[i].name, opt) == 0)
			return mount_flags[i].group;
	return NULL;
}

static bool is_propagation(const char *opt)
{
	const char *g = flag_group(opt);
	return g && strcmp(g, "propagation") == 0 && strcmp(opt, "bind") != 0 && strcmp(opt, "rbind") != 0;
}

int spec_tmpfs_options(const char *opts, char ***out, robbe_error **err)
{
	cleanup_strv char **all = NULL;
	cleanup_strv char **seen = NULL;
	char **merged = NULL;

	strv_push(&all, "noexec");
	strv_push(&all, "nosuid");
	strv_push(&all, "nodev");
	strv_push(&all, "rprivate");
	if (opts && *opts) {
		cleanup_free char *copy = xstrdup(opts);
		char *p = copy;
		for (char *comma; (comma = strchr(p, ',')); p = comma + 1) {
			*comma = '\0';
			strv_push(&all, p);
		}
		strv_push(&all, p);
	}

	/* From the end: the last option of each group or key wins, and keeps
	 * its place relative to the other winners. */
	size_t n = strv_len(all);
	cleanup_strv char **rev = NULL;
	for (size_t i = n; i-- > 0;) {
		const char *o = all[i];
		const char *g = flag_group(o);
		char *key;

		if (strcmp(o, "defaults") == 0)
			continue;
		if (g) {
			key = xasprintf("flag:%s", g);
		} else {
			const char *eq = strchr(o, '=');
			cleanup_free char *k = eq ? xstrndup(o, (size_t) (eq - o)) : xstrdup(o);
			bool ok = false;
			for (size_t j = 0; eq && tmpfs_data_keys[j]; j++)
				ok = ok || strcmp(tmpfs_data_keys[j], k) == 0;
			if (!ok) {
				strv_free(merged);
				if (eq)
					return robbe_error_set(err, EXIT_ENGINE, "invalid tmpfs option [\"%s\" \"%s\"]", k,
							       eq + 1);
				return robbe_error_set(err, EXIT_ENGINE, "invalid tmpfs option [\"%s\"]", o);
			}
			key = xasprintf("data:%s", k);
		}
		if (strv_contains(seen, key)) {
			free(key);
			continue;
		}
		strv_push_take(&seen, key);
		strv_push(&rev, o);
	}
	for (size_t i = strv_len(rev); i-- > 0;)
		strv_push(&merged, rev[i]);
	*out = merged;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The mount list */

struct mnt {
	char *type, *source, *dest;
	char **opts;
	bool user;	/* asked for by the user: --read-only leaves it alone */
};

struct mnt_list {
	struct mnt *v;
	size_t n;
};

static void mnt_list_freep(struct mnt_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].type);
		free(l->v[i].source);
		free(l->v[i].dest);
		strv_free(l->v[i].opts);
	}
	free(l->v);
}

/* Takes opts. */
static struct mnt *mnt_add(struct mnt_list *l, const char *type, const char *source, const char *dest, char **opts,
			   bool user)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	struct mnt *m = &l->v[l->n++];
	m->type = xstrdup(type);
	m->source = xstrdup(source);
	m->dest = xstrdup(dest);
	m->opts = opts;
	m->user = user;
	return m;
}

static char **opts_of(const char *first, ...)
{
	va_list ap;
	char **v = NULL;

	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *))
		strv_push(&v, s);
	va_end(ap);
	return v;
}

static void opts_remove(char **opts, const char *what)
{
	size_t w = 0;
	for (size_t r = 0; opts && opts[r]; r++) {
		if (strcmp(opts[r], what) == 0)
			free(opts[r]);
		else
			opts[w++] = opts[r];
	}
	if (opts)
		opts[w] = NULL;
}

static struct mnt *find_dest(struct mnt_list *l, const char *dest, bool user)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].user == user && strcmp(l->v[i].dest, dest) == 0)
			return &l->v[i];
	return NULL;
}

static int bad_mount_path(robbe_error **err, const char *type, const char *path)
{
	return robbe_error_set(err, EXIT_ENGINE,
			       "invalid mount config for type \"%s\": invalid mount path: '%s' mount path must be absolute",
			       type, path ? path : "");
}

static int add_user_mount(struct mnt_list *l, const struct spec_mount *m, robbe_error **err)
{
	const char *type = m->type && *m->type ? m->type : "bind";
	cleanup_free char *dest = spec_clean_path(m->destination);
	char **opts = NULL;

	if (!dest)
		return bad_mount_path(err, type, m->destination);
	if (strcmp(dest, "/") == 0)
		return robbe_error_set(err, EXIT_ENGINE,
				       "invalid mount config for type \"%s\": invalid specification: destination can't be '/'",
				       type);
	if (find_dest(l, dest, true))
		return robbe_error_set(err, EXIT_ENGINE, "Duplicate mount point: %s", dest);

	if (strcmp(type, "tmpfs") == 0) {
		cleanup_free char *joined = NULL;
		struct sbuf sb = SBUF_INIT;
		for (size_t i = 0; m->options && m->options[i]; i++) {
			if (i)
				sbuf_addc(&sb, ',');
			sbuf_adds(&sb, m->options[i]);
		}
		joined = sbuf_detach(&sb);
		if (spec_tmpfs_options(joined, &opts, err) < 0)
			return -1;
		mnt_add(l, "tmpfs", "tmpfs", dest, opts, true);
		return 0;
	}

	if (strcmp(type, "bind") == 0) {
		bool has_bind = false, has_prop = false;
		if (!m->source || m->source[0] != '/')
			return robbe_error_set(err, EXIT_ENGINE,
					       "invalid mount config for type \"bind\": invalid mount path: '%s' mount path must be absolute",
					       m->source ? m->source : "");
		for (size_t i = 0; m->options && m->options[i]; i++) {
			has_bind = has_bind || strcmp(m->options[i], "bind") == 0 || strcmp(m->options[i], "rbind") == 0;
			has_prop = has_prop || is_propagation(m->options[i]);
		}
		if (!has_bind)
			strv_push(&opts, "rbind");
		for (size_t i = 0; m->options && m->options[i]; i++)
			strv_push(&opts, m->options[i]);
		if (!has_prop)
			strv_push(&opts, "rprivate");
		mnt_add(l, "bind", m->source, dest, opts, true);
		return 0;
	}

	mnt_add(l, type, m->source ? m->source : type, dest, strv_dup(m->options), true);
	return 0;
}

static int add_tmpfs_flag(struct mnt_list *l, const char *spec, robbe_error **err)
{
	const char *colon = strchr(spec, ':');
	cleanup_free char *raw = colon ? xstrndup(spec, (size_t) (colon - spec)) : xstrdup(spec);
	char *const none[] = { NULL };
	cleanup_strv char **opts = NULL;

	if (colon && colon[1]) {
		cleanup_free char *copy = xstrdup(colon + 1);
		char *p = copy;
		for (char *comma; (comma = strchr(p, ',')); p = comma + 1) {
			*comma = '\0';
			strv_push(&opts, p);
		}
		strv_push(&opts, p);
	}
	struct spec_mount m = { "tmpfs", "tmpfs", raw, opts ? opts : none };
	return add_user_mount(l, &m, err);
}

static bool same_or_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int mnt_cmp_depth(const void *a, const void *b)
{
	const struct mnt *x = a, *y = b;
	size_t dx = path_depth(x->dest), dy = path_depth(y->dest);
	return dx < dy ? -1 : dx > dy ? 1 : 0;
}

/* qsort is not stable; a merge by insertion keeps the order of equals. */
static void sort_by_depth(struct mnt_list *l)
{
	for (size_t i = 1; i < l->n; i++) {
		struct mnt cur = l->v[i];
		size_t j = i;
		while (j > 0 && mnt_cmp_depth(&l->v[j - 1], &cur) > 0) {
			l->v[j] = l->v[j - 1];
			j--;
		}
		l->v[j] = cur;
	}
}

int spec_mounts(const struct spec_request *req, const char *init_host_path, cJSON **out, robbe_error **err)
{
	__attribute__((cleanup(mnt_list_freep))) struct mnt_list defaults = { NULL, 0 };
	__attribute__((cleanup(mnt_list_freep))) struct mnt_list user = { NULL, 0 };
	int64_t shm = req->shm_size > 0 ? req->shm_size : SPEC_SHM_SIZE_DEFAULT;
	cleanup_free char *shm_opt = xasprintf("size=%lld", (long long) shm);
	bool host_ipc = req->share_host_ipc && !req->ipc_ns_path;

	*out = NULL;
	if (req->shm_size < 0)
		return robbe_error_set(err, EXIT_ENGINE, "SHM size can not be less than 0");

	/* Docker's defaults, in Docker's order. */
	mnt_add(&defaults, "proc", "proc", "/proc", opts_of("nosuid", "noexec", "nodev", NULL), false);
	mnt_add(&defaults, "tmpfs", "tmpfs", "/dev",
		opts_of("nosuid", "strictatime", "mode=755", "size=65536k", NULL), false);
	mnt_add(&defaults, "devpts", "devpts", "/dev/pts",
		opts_of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL), false);
	mnt_add(&defaults, "sysfs", "sysfs", "/sys", opts_of("nosuid", "noexec", "nodev", "ro", NULL), false);
	mnt_add(&defaults, "cgroup", "cgroup", "/sys/fs/cgroup", opts_of("ro", "nosuid", "noexec", "nodev", NULL),
		false);
	mnt_add(&defaults, "mqueue", "mqueue", "/dev/mqueue", opts_of("nosuid", "noexec", "nodev", NULL), false);
	if (host_ipc)
		/* The host's IPC namespace comes with the host's /dev/shm. */
		mnt_add(&defaults, "bind", "/dev/shm", "/dev/shm", opts_of("rbind", "rprivate", NULL), false);
	else
		mnt_add(&defaults, "tmpfs", "shm", "/dev/shm",
			opts_of("nosuid", "noexec", "nodev", "mode=1777", shm_opt, NULL), false);
	if (init_host_path)
		mnt_add(&defaults, "bind", init_host_path, SPEC_INIT_PATH, opts_of("bind", "ro", NULL), false);

	for (size_t i = 0; i < req->n_mounts; i++)
		if (add_user_mount(&user, &req->mounts[i], err) < 0)
			return -1;
	for (size_t i = 0; req->tmpfs && req->tmpfs[i]; i++)
		if (add_tmpfs_flag(&user, req->tmpfs[i], err) < 0)
			return -1;

	/* The /etc files the engine writes, unless the user brought their own. */
	const struct {
		const char *dest, *src;
	} etc[] = {
		{ "/etc/resolv.conf", req->resolv_path },
		{ "/etc/hostname", req->hostname_path },
		{ "/etc/hosts", req->hosts_path },
	};
	for (size_t i = 0; i < ARRAY_SIZE(etc); i++) {
		if (!etc[i].src || find_dest(&user, etc[i].dest, true))
			continue;
		char **o = opts_of("rbind", "rprivate", NULL);
		if (req->read_only)
			strv_push(&o, "ro");
		mnt_add(&user, "bind", etc[i].src, etc[i].dest, o, true);
	}

	/* A user mount replaces the default at the same place; a user /dev
	 * replaces everything the defaults put under /dev. */
	bool user_dev = find_dest(&user, "/dev", true) != NULL;
	__attribute__((cleanup(mnt_list_freep))) struct mnt_list all = { NULL, 0 };
	for (size_t i = 0; i < defaults.n; i++) {
		struct mnt *m = &defaults.v[i];
		if (find_dest(&user, m->dest, true) || (user_dev && same_or_under(m->dest, "/dev")))
			continue;
		if (req->read_only && strcmp(m->dest, "/proc") != 0 && strcmp(m->dest, "/dev") != 0 &&
		    strcmp(m->dest, "/dev/pts") != 0 && strcmp(m->dest, "/dev/shm") != 0 &&
		    strcmp(m->dest, "/dev/mqueue") != 0 && !strv_contains(m->opts, "ro"))
			strv_push(&m->opts, "ro");
		/* Privileged containers may write /sys and their cgroups. */
		if (req->privileged && (strcmp(m->dest, "/sys") == 0 || strcmp(m->type, "cgroup") == 0))
			opts_remove(m->opts, "ro");
		mnt_add(&all, m->type, m->source, m->dest, steal_pointer(&m->opts), false);
	}
	for (size_t i = 0; i < user.n; i++) {
		struct mnt *m = &user.v[i];
		mnt_add(&all, m->type, m->source, m->dest, steal_pointer(&m->opts), true);
	}
	sort_by_depth(&all);

	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; i < all.n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "destination", all.v[i].dest);
		cJSON_AddStringToObject(o, "type", all.v[i].type);
		cJSON_AddStringToObject(o, "source", all.v[i].source);
		cJSON *opts = cJSON_AddArrayToObject(o, "options");
		for (size_t k = 0; all.v[i].opts && all.v[i].opts[k]; k++)
			cJSON_AddItemToArray(opts, cJSON_CreateString(all.v[i].opts[k]));
		cJSON_AddItemToArray(arr, o);
	}
	*out = arr;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Devices */

/* Walking a device directory stops here: /dev trees are shallow and small. */
#define DEVICE_WALK_DEPTH 8
#define DEVICE_WALK_MAX 8192

struct dev_out {
	cJSON *devices;		/* linux.devices */
	cJSON *rules;		/* linux.resources.devices */
	size_t count;
};

static cJSON *cgroup_rule(bool allow, const char *type, int64_t major, int64_t minor, const char *access)
{
	cJSON *r = cJSON_CreateObject();
	cJSON_AddBoolToObject(r, "allow", allow);
	if (type)
		cJSON_AddStringToObject(r, "type", type);
	if (major >= 0)
		cJSON_AddItemToObject(r, "major", json_i64(major));
	if (minor >= 0)
		cJSON_AddItemToObject(r, "minor", json_i64(minor));
	cJSON_AddStringToObject(r, "access", access);
	return r;
}

/* 0 and a device added; -ENOTTY when path is no device node; -errno. */
static int add_device_node(struct dev_out *d, const char *host, const char *ctr, const char *perms,
			   bool skip_fifo)
{
	struct stat st;
	const char *type;

	if (lstat(host, &st) < 0)
		return -errno;
	if (S_ISCHR(st.st_mode))
		type = "c";
	else if (S_ISBLK(st.st_mode))
		type = "b";
	else if (S_ISFIFO(st.st_mode) && !skip_fifo)
		type = "p";
	else
		return -ENOTTY;
	if (d->count >= DEVICE_WALK_MAX)
		return -E2BIG;

	cJSON *dev = cJSON_CreateObject();
	cJSON_AddStringToObject(dev, "path", ctr);
	cJSON_AddStringToObject(dev, "type", type);
	cJSON_AddItemToObject(dev, "major", json_i64(major(st.st_rdev)));
	cJSON_AddItemToObject(dev, "minor", json_i64(minor(st.st_rdev)));
	cJSON_AddNumberToObject(dev, "fileMode", st.st_mode & 0777);
	cJSON_AddNumberToObject(dev, "uid", st.st_uid);
	cJSON_AddNumberToObject(dev, "gid", st.st_gid);
	cJSON_AddItemToArray(d->devices, dev);
	/* The device cgroup knows block and character devices only. */
	if (perms && *type != 'p')
		cJSON_AddItemToArray(d->rules,
				     cgroup_rule(true, type, (int64_t) major(st.st_rdev), (int64_t) minor(st.st_rdev), perms));
	d->count++;
	return 0;
}

static bool name_in(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* Every device node under host_dir, appearing under ctr_dir.  host_dev: this
 * is the host's /dev for --privileged, where Docker leaves out pts, shm,
 * fd, mqueue, console and FIFOs. */
static int walk_devices(struct dev_out *d, const char *host_dir, const char *ctr_dir, const char *perms,
			bool host_dev, int depth)
{
	static const char *const skip_dirs[] = { "pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev", NULL };
	int fd = open(host_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dir;
	struct dirent *e;
	int r = 0;

	if (depth > DEVICE_WALK_DEPTH)
		return 0;
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return r;
	}
	while ((e = readdir(dir)) && r == 0) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		cleanup_free char *hp = xasprintf("%s/%s", host_dir, e->d_name);
		cleanup_free char *cp = xasprintf("%s/%s", strcmp(ctr_dir, "/") ? ctr_dir : "", e->d_name);
		struct stat st;
		if (lstat(hp, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (host_dev && name_in(skip_dirs, e->d_name))
				continue;
			r = walk_devices(d, hp, cp, perms, host_dev, depth + 1);
			if (r == -ENOENT || r == -EACCES)
				r = 0;
			continue;
		}
		if (host_dev && strcmp(e->d_name, "console") == 0)
			continue;
		int a = add_device_node(d, hp, cp, perms, host_dev);
		if (a == -E2BIG)
			r = a;
	}
	closedir(dir);
	return r;
}

static bool valid_device_mode(const char *m)
{
	bool r = false, w = false, k = false;

	if (!*m)
		return false;
	for (; *m; m++) {
		bool *seen = *m == 'r' ? &r : *m == 'w' ? &w : *m == 'm' ? &k : NULL;
		if (!seen || *seen)
			return false;
		*seen = true;
	}
	return true;
}

/* --device "/dev/x[:/dev/y][:rwm]", the way the docker CLI splits it. */
static int parse_device(const char *spec, char **host, char **ctr, char **perms, robbe_error **err)
{
	cleanup_strv char **parts = NULL;
	cleanup_free char *copy = xstrdup(spec);
	char *p = copy;

	for (char *c; (c = strchr(p, ':')); p = c + 1) {
		*c = '\0';
		strv_push(&parts, p);
	}
	strv_push(&parts, p);

	const char *src = parts[0], *dst = NULL, *mode = "rwm";
	switch (strv_len(parts)) {
	case 3:
		if (!valid_device_mode(parts[2]))
			return robbe_error_set(err, EXIT_ENGINE, "bad mode specified: %s", parts[2]);
		mode = parts[2];
		/* fall through */
	case 2:
		if (valid_device_mode(parts[1]))
			mode = parts[1];
		else
			dst = parts[1];
		/* fall through */
	case 1:
		break;
	default:
		return robbe_error_set(err, EXIT_ENGINE, "invalid device specification: %s", spec);
	}
	if (!*src)
		return robbe_error_set(err, EXIT_ENGINE, "bad format for path: %s", spec);
	if (!dst || !*dst)
		dst = src;
	char *clean = spec_clean_path(dst);
	if (!clean)
		return robbe_error_set(err, EXIT_ENGINE, "%s is not an absolute path", dst);
	*host = xstrdup(src);
	*ctr = clean;
	*perms = xstrdup(mode);
	return 0;
}

/* One --device: a node, or a directory of nodes. */
static int add_user_device(struct dev_out *d, const char *host, const char *ctr, const char *perms,
			   robbe_error **err)
{
	cleanup_free char *resolved = NULL;
	struct stat st;

	/* Docker follows a link given as the device (/dev/disk/by-id/...). */
	if (lstat(host, &st) == 0 && S_ISLNK(st.st_mode))
		resolved = realpath(host, NULL);
	const char *path = resolved ? resolved : host;

	int r = add_device_node(d, path, ctr, perms, false);
	if (r == 0)
		return 0;
	if (r == -ENOTTY && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t before = d->count;
		int w = walk_devices(d, path, ctr, perms, false, 0);
		if (w == -E2BIG)
			return robbe_error_set(err, EXIT_ENGINE, "device directory %s holds more than %d devices",
					       host, DEVICE_WALK_MAX);
		if (d->count > before)
			return 0;
	}
	if (r == -ENOTTY)
		return robbe_error_set(err, EXIT_ENGINE,
				       "error gathering device information while adding custom device \"%s\": not a device node",
				       host);
	return robbe_error_errno(err, -r, "error gathering device information while adding custom device \"%s\"",
				 host);
}

int spec_devices(const struct spec_request *req, cJSON **devices, cJSON **cgroup_rules, robbe_error **err)
{
	cleanup_cjson cJSON *devs = cJSON_CreateArray();
	cleanup_cjson cJSON *rules = cJSON_CreateArray();
	struct dev_out d = { devs, rules, 0 };

	*devices = *cgroup_rules = NULL;
	if (req->privileged) {
		/* Every host device, and no device cgroup restriction. */
		int r = walk_devices(&d, "/dev", "/dev", NULL, true, 0);
		if (r < 0 && r != -ENOENT)
			return robbe_error_errno(err, -r, "listing the host's devices");
		cJSON_AddItemToArray(d.rules, cgroup_rule(true, NULL, -1, -1, "rwm"));
	} else {
		/* Docker's device cgroup: deny all, then null, zero, full,
		 * random, urandom, tty, console; and fuse denied outright.
		 * The runtime creates the standard nodes itself. */
		static const int allowed[][2] = { { 1, 5 }, { 1, 3 }, { 1, 9 }, { 1, 8 }, { 5, 0 }, { 5, 1 } };
		cJSON_AddItemToArray(d.rules, cgroup_rule(false, NULL, -1, -1, "rwm"));
		for (size_t i = 0; i < ARRAY_SIZE(allowed); i++)
			cJSON_AddItemToArray(d.rules, cgroup_rule(true, "c", allowed[i][0], allowed[i][1], "rwm"));
		cJSON_AddItemToArray(d.rules, cgroup_rule(false, "c", 10, 229, "rwm"));
	}

	for (size_t i = 0; req->devices && req->devices[i]; i++) {
		cleanup_free char *host = NULL;
		cleanup_free char *ctr = NULL;
		cleanup_free char *perms = NULL;
		if (parse_device(req->devices[i], &host, &ctr, &perms, err) < 0)
			return -1;
		/* Privileged containers already have every host node under its
		 * own name, and may use them all. */
		if (req->privileged && strcmp(host, ctr) == 0)
			continue;
		if (add_user_device(&d, host, ctr, req->privileged ? NULL : perms, err) < 0)
			return -1;
	}
	*devices = steal_pointer(&devs);
	*cgroup_rules = steal_pointer(&rules);
	return 0;
}
