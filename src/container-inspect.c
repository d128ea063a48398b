/* container-inspect.c: the container object of `docker inspect`, and the
 * sizes of a container's filesystem. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "container-inspect.h"
#include "container.h"
#include "network.h"

/* A set of inodes already counted (hard links count once). */
struct inode_set {
	uint64_t *v;
	size_t n, alloc;
};

static bool inode_set_add(struct inode_set *s, dev_t dev, ino_t ino)
{
	uint64_t key = ((uint64_t) dev << 48) ^ (uint64_t) ino;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == key)
			return false;
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 64;
		s->v = xrealloc(s->v, s->alloc * sizeof(*s->v));
	}
	s->v[s->n++] = key;
	return true;
}

/* Directories deeper than this are not descended into: the walk holds one
 * descriptor per level, and a container can build any depth it likes. */
#define SIZE_MAX_DEPTH 128

static int dir_size_at(int dfd, int depth, struct inode_set *seen, int64_t *total, robbe_error **err)
{
	DIR *d;
	struct dirent *de;

	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return robbe_error_errno(err, errno, "fdopendir");
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;	/* gone meanwhile: the container is running */
		if (S_ISDIR(st.st_mode)) {
			int sub;
			if (depth >= SIZE_MAX_DEPTH)
				continue;
			sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				continue;
			if (dir_size_at(sub, depth + 1, seen, total, err) < 0) {
				closedir(d);
				return -1;
			}
			continue;
		}
		if (st.st_size == 0)
			continue;
		if (st.st_nlink > 1 && !inode_set_add(seen, st.st_dev, st.st_ino))
			continue;
		*total += st.st_size;
	}
	closedir(d);
	return 0;
}

int container_dir_size(const char *path, int64_t *out, robbe_error **err)
{
	struct inode_set seen = { 0 };
	int64_t total = 0;
	int fd, r;

	*out = 0;
	if (!path || !*path)
		return 0;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return robbe_error_errno(err, errno, "open %s", path);
	}
	r = dir_size_at(fd, 0, &seen, &total, err);
	free(seen.v);
	if (r < 0)
		return robbe_error_wrap(err, "measuring %s", path);
	*out = total;
	return 0;
}

int container_size_get(struct store *s, const struct store_container *c, const cJSON *config,
		       struct container_size *out, robbe_error **err)
{
	const cJSON *gd = cJSON_GetObjectItemCaseSensitive(config, "GraphDriver");
	const char *upper = container_config_str(gd, "Data", "UpperDir");
	cleanup_store_image struct store_image *img = NULL;
	robbe_error *e = NULL;

	out->rw = out->root_fs = 0;
	if (container_dir_size(upper, &out->rw, err) < 0)
		return -1;
	out->root_fs = out->rw;
	/* An image removed since (rmi -f keeps it for us, but be lenient)
	 * only leaves the writable layer to count. */
	if (c->image_id && store_image_get(s, c->image_id, &img, &e) == 0)
		out->root_fs += img->size;
	robbe_error_free(e);
	return 0;
}

/* Copy config[key] into obj, or add fallback (a new item, may be NULL for
 * JSON null) when the record lacks it. */
static void copy_or(cJSON *obj, const cJSON *config, const char *key, cJSON *fallback)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(config, key);

	if (v) {
		cJSON_Delete(fallback);
		cJSON_AddItemToObject(obj, key, cJSON_Duplicate(v, true));
		return;
	}
	cJSON_AddItemToObject(obj, key, fallback ? fallback : cJSON_CreateNull());
}

static void copy_str(cJSON *obj, const cJSON *config, const char *key)
{
	const char *v = container_config_str(config, NULL, key);
	cJSON_AddStringToObject(obj, key, v ? v : "");
}

int container_inspect_json(struct store *s, const struct store_container *c, bool with_size, cJSON **out,
			   robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	cleanup_cjson cJSON *extra = container_state_extra(c);
	cleanup_free char *name = xasprintf("/%s", c->name ? c->name : "");
	cleanup_free char *created = container_format_time(c->created);
	const cJSON *args, *exec_ids;
	cJSON *o;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Id", c->id);
	cJSON_AddStringToObject(o, "Created", created);
	copy_str(o, config, "Path");
	args = cJSON_GetObjectItemCaseSensitive(config, "Args");
	cJSON_AddItemToObject(o, "Args", cJSON_IsArray(args) ? cJSON_Duplicate(args, true) : cJSON_CreateArray());
	cJSON_AddItemToObject(o, "State", container_state_json(c));
	cJSON_AddStringToObject(o, "Image", c->image_id ? c->image_id : "");
	copy_str(o, config, "ResolvConfPath");
	copy_str(o, config, "HostnamePath");
	copy_str(o, config, "HostsPath");
	copy_str(o, config, "LogPath");
	cJSON_AddStringToObject(o, "Name", name);
	cJSON_AddNumberToObject(o, "RestartCount", c->restart_count);
	copy_or(o, config, "Driver", cJSON_CreateString("overlay2"));
	copy_or(o, config, "Platform", cJSON_CreateString("linux"));
	copy_str(o, config, "MountLabel");
	copy_str(o, config, "ProcessLabel");
	copy_str(o, config, "AppArmorProfile");
	/* exec sessions are state, kept with the state */
	exec_ids = cJSON_GetObjectItemCaseSensitive(extra, "ExecIDs");
	cJSON_AddItemToObject(o, "ExecIDs",
			      cJSON_IsArray(exec_ids) && cJSON_GetArraySize(exec_ids) > 0
				      ? cJSON_Duplicate(exec_ids, true)
				      : cJSON_CreateNull());
	copy_or(o, config, "HostConfig", cJSON_CreateObject());
	copy_or(o, config, "GraphDriver", NULL);
	if (with_size) {
		struct container_size sz;
		if (container_size_get(s, c, config, &sz, err) < 0) {
			cJSON_Delete(o);
			return -1;
		}
		cJSON_AddNumberToObject(o, "SizeRw", (double) sz.rw);
		cJSON_AddNumberToObject(o, "SizeRootFs", (double) sz.root_fs);
	}
	copy_or(o, config, "Mounts", cJSON_CreateArray());
	copy_or(o, config, "Config", cJSON_CreateObject());
	{
		/* Networks and ports as they are now, from the attachments. */
		cJSON *ns = NULL;
		if (network_settings_json(s, c, config, &ns, err) < 0) {
			cJSON_Delete(o);
			return -1;
		}
		cJSON_AddItemToObject(o, "NetworkSettings", ns);
	}
	*out = o;
	return 0;
}
