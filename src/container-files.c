/* container-files.c: cp, diff, export and commit on a container record
 * (see container-files.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "commit.h"
#include "container-files.h"
#include "container-internal.h"
#include "copy-internal.h"
#include "spec.h"

void container_root_release(struct container_root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	if (r->mounted && r->merged) {
		cleanup_error robbe_error *e = NULL;
		if (ctr_rootfs_umount(r->merged, &e) < 0)
			robbe_error_warn(&e);
	}
	r->mounted = false;
	if (r->lock_fd >= 0)
		close(r->lock_fd);
	r->lock_fd = -1;
	free(r->path);
	free(r->merged);
	r->path = r->merged = NULL;
}

static bool same_inode(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The running container's own root, if it still is the container's: a pid
 * that outlived the container and was reused would otherwise lead to
 * another process's root, the host's included.  Its root directory is the
 * overlay mounted at the merged dir (runc pivots into a bind of it). */
static int live_root(const struct store_container *c, const char *merged, struct container_root *out)
{
	cleanup_free char *proc = xasprintf("/proc/%lld/root", (long long) c->pid);
	int fd;

	if (c->pid <= 0 || !ctr_is_mountpoint(merged))
		return -1;
	fd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!same_inode(fd, merged)) {
		close(fd);
		return -1;
	}
	out->fd = fd;
	out->path = steal_pointer(&proc);
	out->live = true;
	return 0;
}

int container_root_open(struct container_env *env, struct store_container *c, bool live, struct container_root *out,
			robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	const char *merged = container_config_str(config, "Robbe", "Rootfs");
	const char *lower = container_config_str(config, "Robbe", "Lower");
	const char *upper = container_config_str(config, "Robbe", "Upper");
	const char *work = container_config_str(config, "Robbe", "Work");
	int r;

	*out = (struct container_root) CONTAINER_ROOT_INIT;
	if (!merged) {
		const cJSON *gd = cJSON_GetObjectItemCaseSensitive(config, "GraphDriver");
		merged = container_config_str(gd, "Data", "MergedDir");
	}
	if (!merged)
		return robbe_error_set(err, EXIT_GENERAL, "container %s has no root file system recorded", c->id);
	out->merged = xstrdup(merged);
	if (live && container_is_active(c) && live_root(c, merged, out) == 0)
		return 0;

	/* Stopped, or created: the overlay, mounted under the container's
	 * lock so that start and rm wait for us. */
	if (ctr_lock(env, c->id, &out->lock_fd, err) < 0)
		goto fail;
	if ((r = ctr_reload(env, c, err)) < 0) {
		if (r == -ENOENT)
			robbe_error_set(err, EXIT_GENERAL, "No such container: %s", c->id);
		goto fail;
	}
	if (!ctr_is_mountpoint(merged)) {
		if (!lower || !upper || !work) {
			robbe_error_set(err, EXIT_GENERAL, "container %s has no root file system recorded", c->id);
			goto fail;
		}
		if (ctr_rootfs_mount(env, lower, upper, work, merged, err) < 0)
			goto fail;
		/* A running container keeps its mount; only ours goes again. */
		out->mounted = !container_is_active(c);
	}
	out->fd = open(merged, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (out->fd < 0) {
		robbe_error_errno(err, errno, "open %s", merged);
		goto fail;
	}
	out->path = xstrdup(merged);
	return 0;
fail:
	container_root_release(out);
	return -1;
}

int container_copy_owner(const struct store_container *c, const struct container_root *r, bool *set, uint32_t *uid,
			 uint32_t *gid, robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	const char *user = container_config_str(config, "Config", "User");
	struct spec_user u = { 0 };

	*set = false;
	if (!user || !*user)
		return 0;
	if (spec_user_resolve(r->path, user, NULL, &u, err) < 0)
		return -1;
	*set = true;
	*uid = u.uid;
	*gid = u.gid;
	spec_user_release(&u);
	return 0;
}

/* Is clean (an absolute clean path) at or below dest? */
static bool under(const char *clean, const char *dest)
{
	cleanup_free char *d = cp_clean_abs(dest);
	size_t n = strlen(d);

	if (!strcmp(d, "/"))
		return true;
	return strncmp(clean, d, n) == 0 && (clean[n] == '\0' || clean[n] == '/');
}

bool container_path_read_only(const struct store_container *c, const char *path)
{
	cleanup_cjson cJSON *config = container_config(c);
	cleanup_free char *clean = cp_clean_abs(path);
	const cJSON *hc = cJSON_GetObjectItemCaseSensitive(config, "HostConfig");
	const cJSON *m;

	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(hc, "ReadonlyRootfs")))
		return false;
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(config, "Mounts"))
	{
		const cJSON *dest = cJSON_GetObjectItemCaseSensitive(m, "Destination");
		const cJSON *rw = cJSON_GetObjectItemCaseSensitive(m, "RW");
		if (cJSON_IsString(dest) && under(clean, dest->valuestring) && !cJSON_IsFalse(rw))
			return false;
	}
	return true;
}

/* What the runtime mounts over: left out of diff, as Docker keeps those
 * in the container's init layer. */
static char **runtime_mount_points(const cJSON *config)
{
	static const char *const fixed[] = { "/proc", "/sys", "/dev", "/etc/hosts", "/etc/hostname",
					     "/etc/resolv.conf", "/.dockerenv", "/run/.containerenv" };
	const cJSON *hc = cJSON_GetObjectItemCaseSensitive(config, "HostConfig");
	const cJSON *tmpfs = cJSON_GetObjectItemCaseSensitive(hc, "Tmpfs");
	char **v = xcalloc(1, sizeof(char *));
	const cJSON *m;

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		strv_push(&v, fixed[i]);
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(config, "Mounts"))
	{
		const cJSON *dest = cJSON_GetObjectItemCaseSensitive(m, "Destination");
		if (cJSON_IsString(dest))
			strv_push_take(&v, cp_clean_abs(dest->valuestring));
	}
	cJSON_ArrayForEach(m, tmpfs)
	{
		if (m->string)
			strv_push_take(&v, cp_clean_abs(m->string));
	}
	return v;
}

int container_changes(struct container_env *env, struct store_container *c, struct change_list *out,
		      robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	cleanup_strv char **exclude = runtime_mount_points(config);
	const cJSON *gd = cJSON_GetObjectItemCaseSensitive(config, "GraphDriver");
	const char *upper = container_config_str(gd, "Data", "UpperDir");
	const char *lower = container_config_str(gd, "Data", "LowerDir");
	struct changes_opts opts = { .exclude = exclude };

	(void) env;
	memset(out, 0, sizeof(*out));
	if (!upper)
		return robbe_error_set(err, EXIT_GENERAL, "container %s has no root file system recorded", c->id);
	return changes_compute_paths(upper, lower, &opts, out, err);
}

int container_export(struct container_env *env, struct store_container *c, int out_fd, robbe_error **err)
{
	struct container_root root = CONTAINER_ROOT_INIT;
	int r;

	if (container_root_open(env, c, false, &root, err) < 0)
		return -1;
	r = export_rootfs(root.fd, out_fd, err);
	container_root_release(&root);
	return r;
}

int container_commit(struct container_env *env, struct store_container *c, const struct container_commit_opts *o,
		     char **image_id, robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	cleanup_store_image struct store_image *img = NULL;
	cleanup_close int lock = -1;
	cleanup_close int ufd = -1;
	const cJSON *gd = cJSON_GetObjectItemCaseSensitive(config, "GraphDriver");
	const char *upper = container_config_str(gd, "Data", "UpperDir");
	struct image_env *ie;
	bool paused = false;
	int r;

	*image_id = NULL;
	if (c->state == STORE_STATE_DEAD)
		return robbe_error_set(err, EXIT_GENERAL, "You cannot commit container %s which is Dead", c->id);
	if (c->state == STORE_STATE_REMOVING)
		return robbe_error_set(err, EXIT_GENERAL, "You cannot commit container %s which is being removed",
				       c->id);
	if (!upper)
		return robbe_error_set(err, EXIT_GENERAL, "container %s has no root file system recorded", c->id);
	if (container_env_image(env, &ie, err) < 0)
		return -1;
	if (store_image_get(env->store, c->image_id, &img, err) < 0)
		return robbe_error_wrap(err, "the image of container %s", c->id);

	/* A running container is frozen (Docker's -p, on by default) so the
	 * layer is one consistent state; a stopped one is locked so that it
	 * is neither started nor removed meanwhile. */
	if (c->state == STORE_STATE_RUNNING && o->pause) {
		cleanup_error robbe_error *e = NULL;
		paused = container_pause(env, c, &e) == 0;
	} else if (!container_is_active(c)) {
		if (ctr_lock(env, c->id, &lock, err) < 0)
			return -1;
	}
	ufd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ufd < 0) {
		r = robbe_error_errno(err, errno, "open %s", upper);
	} else {
		struct commit_request req = {
			.parent_config = img->config_json,
			.parent_config_len = img->config_json ? strlen(img->config_json) : 0,
			.container_config = cJSON_GetObjectItemCaseSensitive(config, "Config"),
			.container_id = c->id,
			.changes = o->changes,
			.comment = o->comment,
			.author = o->author,
		};
		r = commit_image(ie, ufd, img, &req, o->reference, image_id, err);
	}
	if (paused) {
		cleanup_error robbe_error *e = NULL;
		if (container_unpause(env, c, &e) < 0)
			robbe_error_warn(&e);
	}
	return r;
}
