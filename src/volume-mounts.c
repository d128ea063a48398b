/* volume-mounts.c: the mounts of a new container — -v, --mount,
 * --volumes-from and the image's VOLUMEs — resolved to host paths the way
 * the Docker daemon registers mount points:
 *
 *   1. --volumes-from: the other container's mounts (read-only with :ro);
 *   2. -v with a source: binds and named volumes, replacing 1. at the same
 *      destination; two of them at one destination is an error;
 *   3. --mount: the same, after 2.;
 *   4. "-v /path" and the image's VOLUMEs: an anonymous volume each, unless
 *      something above (or --tmpfs) already sits there.
 * Then image content is copied into the empty volumes.  See volume.h.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "mountspec.h"
#include "volume.h"
#include "volume-internal.h"

/* One mount point being assembled (Docker's MountPoint). */
struct mp {
	char *type;		/* "bind", "volume", "tmpfs" */
	char *name;		/* volume name, or NULL */
	char *source;		/* host path ("" for tmpfs) */
	char *dest;		/* cleaned destination */
	char *mode;		/* Mounts[].Mode */
	char *propagation;	/* Mounts[].Propagation ("" none) */
	bool rw;
	bool copy;		/* fill an empty volume from the image */
	bool anonymous;		/* held anonymously by this container */
	/* what the runtime gets */
	char *spec_type;
	char *spec_source;
	char **spec_opts;
};

struct mp_list {
	struct mp *v;
	size_t n;
};

static void mp_release(struct mp *m)
{
	free(m->type);
	free(m->name);
	free(m->source);
	free(m->dest);
	free(m->mode);
	free(m->propagation);
	free(m->spec_type);
	free(m->spec_source);
	strv_free(m->spec_opts);
	memset(m, 0, sizeof(*m));
}

static void mp_list_release(struct mp_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		mp_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static struct mp *mp_find(struct mp_list *l, const char *dest)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].dest, dest) == 0)
			return &l->v[i];
	return NULL;
}

/* Add m (taken), replacing a mount point at the same destination. */
static void mp_put(struct mp_list *l, struct mp *m)
{
	struct mp *old = mp_find(l, m->dest);

	if (old) {
		mp_release(old);
		*old = *m;
	} else {
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = *m;
	}
	memset(m, 0, sizeof(*m));
}

/* ---- what the runtime gets ---------------------------------------------------- */

/* Recursively read-only binds need mount_setattr (Linux 5.12). */
static bool kernel_has_rro(void)
{
	static int cached = -1;
	struct utsname u;
	int major = 0, minor = 0;

	if (cached >= 0)
		return cached;
	cached = uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
		 (major > 5 || (major == 5 && minor >= 12));
	return cached;
}

static char **bind_options(bool rw, bool nonrecursive, bool ro_nonrecursive, bool ro_force_recursive,
			   const char *propagation, robbe_error **err)
{
	char **o = NULL;

	strv_push(&o, nonrecursive ? "bind" : "rbind");
	if (!rw) {
		bool rro = !ro_nonrecursive && kernel_has_rro();
		if (ro_force_recursive && !kernel_has_rro()) {
			strv_free(o);
			robbe_error_set(err, 0, "mount option \"rro\" needs Linux 5.12 or later");
			return NULL;
		}
		strv_push(&o, rro ? "rro" : "ro");
	}
	if (propagation && *propagation)
		strv_push(&o, propagation);
	return o;
}

static void push_words(char ***v, const char *csv)
{
	const char *p = csv;

	if (!csv || !*csv)
		return;
	for (const char *comma; (comma = strchr(p, ',')); p = comma + 1)
		if (comma > p)
			strv_push_take(v, xstrndup(p, (size_t) (comma - p)));
	if (*p)
		strv_push(v, p);
}

static const char *opt_str(const cJSON *opts, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(opts, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A volume's mount for the runtime: its directory bound in, or, with local
 * driver options, the described mount itself (see volume.h). */
static int volume_spec(struct mp *m, const struct store_volume *v, const char *subpath, robbe_error **err)
{
	cleanup_cjson cJSON *opts = volume_options(v);
	const char *type = opt_str(opts, "type");
	const char *device = opt_str(opts, "device");
	const char *o = opt_str(opts, "o");
	cleanup_strv char **words = NULL;

	push_words(&words, o);
	if (!type && !device) {
		char *src = NULL;
		if (subpath && *subpath) {
			/* The volume's content is the containers': a link in it
			 * must not lead the bind out of the volume. */
			struct stat st;
			int found = volume_stat_in_root(v->mountpoint, subpath, &st, &src, err);
			if (found < 0)
				return -1;
			if (!found) {
				cleanup_free char *want = xasprintf("%s/%s", v->mountpoint, subpath);
				return robbe_error_errno(err, ENOENT, "cannot access path %s", want);
			}
		} else {
			src = xstrdup(v->mountpoint);
		}
		m->spec_type = xstrdup("bind");
		m->spec_source = src;
		m->spec_opts = bind_options(m->rw, false, false, false, m->propagation, err);
		return m->spec_opts ? 0 : -1;
	}
	if (!type)
		type = "none";
	bool bind = strv_contains(words, "bind") || strv_contains(words, "rbind");
	if (strcmp(type, "tmpfs") == 0 && !bind) {
		/* mount(2) without flags: exec, suid and dev, unlike --tmpfs. */
		m->spec_type = xstrdup("tmpfs");
		m->spec_source = xstrdup(device ? device : "tmpfs");
		strv_push(&m->spec_opts, "exec");
		strv_push(&m->spec_opts, "suid");
		strv_push(&m->spec_opts, "dev");
	} else if (bind) {
		m->spec_type = xstrdup("bind");
		m->spec_source = xstrdup(device ? device : "");
	} else {
		m->spec_type = xstrdup(type);
		m->spec_source = xstrdup(device ? device : type);
	}
	for (size_t i = 0; words && words[i]; i++)
		strv_push(&m->spec_opts, words[i]);
	if (!m->rw)
		strv_push(&m->spec_opts, "ro");
	return 0;
}

/* ---- the pieces ----------------------------------------------------------------- */

struct prep {
	struct store *s;
	const struct robbe_paths *p;
	const struct volume_mount_request *req;
	struct mp_list mps;
	char **taken;		/* destinations of binds and mounts (duplicate check) */
	char **tmpfs;		/* --tmpfs destinations */
	char **created;
	char **anon_created;
	cJSON *binds;
	cJSON *host_mounts;
	cJSON *config_volumes;
};

static int duplicate(robbe_error **err, const char *dest)
{
	robbe_error_set(err, 0, "Duplicate mount point: %s", dest);
	(*err)->errnum = EINVAL;
	return -1;
}

/* Create (or find) a volume for a mount point and fill in its side. */
static int use_volume(struct prep *x, struct mp *m, const char *name, const struct mountspec *spec,
		      robbe_error **err)
{
	cleanup_store_volume struct store_volume *v = NULL;
	struct volume_create_opts o = {
		.name = name,
		.driver = spec && spec->driver && *spec->driver ? spec->driver : x->req->volume_driver,
		.labels_null = true,
		.options_null = true,
	};
	bool created = false;

	/* --mount volume-label/volume-opt apply to a volume it creates. */
	if (spec && !spec->from_volume_flag && spec->volume_options) {
		o.labels = spec->labels;
		o.labels_null = false;
		o.options = spec->driver_opts;
	}
	if (volume_create(x->s, x->p, &o, &v, &created, err) < 0)
		return -1;
	if (created) {
		strv_push(&x->created, v->name);
		if (v->anonymous)
			strv_push(&x->anon_created, v->name);
	}
	m->type = xstrdup("volume");
	m->name = xstrdup(v->name);
	m->source = xstrdup(v->mountpoint);
	m->anonymous = !name || !*name;
	return volume_spec(m, v, spec ? spec->subpath : NULL, err);
}

/* 1. --volumes-from */
static int add_volumes_from(struct prep *x, const char *spec, robbe_error **err)
{
	cleanup_free char *ref = NULL;
	cleanup_free char *mode = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_cjson cJSON *config = NULL;
	robbe_error *e = NULL;
	const cJSON *mounts, *anon, *it;

	if (mountspec_parse_volumes_from(spec, &ref, &mode, err) < 0)
		return -1;
	if (store_container_lookup(x->s, ref, &c, &e) < 0) {
		if (store_error_is(e, STORE_ENOTFOUND) || store_error_is(e, STORE_EAMBIGUOUS)) {
			robbe_error_free(e);
			robbe_error_set(err, 0, "No such container: %s", ref);
			(*err)->errnum = ENOENT;
			return -1;
		}
		*err = e;
		return -1;
	}
	config = cJSON_Parse(c->config_json ? c->config_json : "{}");
	mounts = cJSON_GetObjectItemCaseSensitive(config, "Mounts");
	anon = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "Robbe"), "AnonymousVolumes");
	cJSON_ArrayForEach(it, mounts) {
		const char *type = opt_str(it, "Type");
		const char *name = opt_str(it, "Name");
		const char *source = opt_str(it, "Source");
		const char *dest = opt_str(it, "Destination");
		const char *prop = opt_str(it, "Propagation");
		const cJSON *rw = cJSON_GetObjectItemCaseSensitive(it, "RW");
		struct mp m = { 0 };

		if (!dest)
			continue;
		m.dest = xstrdup(dest);
		m.mode = xstrdup("");
		m.propagation = xstrdup(prop ? prop : "");
		m.rw = cJSON_IsTrue(rw) && mountspec_mode_rw(mode);
		if (type && strcmp(type, "volume") == 0 && name) {
			cleanup_store_volume struct store_volume *v = NULL;
			if (volume_get(x->s, name, &v, err) < 0) {
				mp_release(&m);
				return -1;
			}
			m.type = xstrdup("volume");
			m.name = xstrdup(name);
			m.source = xstrdup(v->mountpoint);
			cJSON *a;
			cJSON_ArrayForEach(a, anon)
				if (cJSON_IsString(a) && strcmp(a->valuestring, name) == 0)
					m.anonymous = true;
			if (volume_spec(&m, v, NULL, err) < 0) {
				mp_release(&m);
				return -1;
			}
		} else if (type && strcmp(type, "tmpfs") == 0) {
			m.type = xstrdup("tmpfs");
			m.source = xstrdup("");
			m.spec_type = xstrdup("tmpfs");
			m.spec_source = xstrdup("tmpfs");
			if (!m.rw)
				strv_push(&m.spec_opts, "ro");
		} else if (source && *source) {
			m.type = xstrdup(type ? type : "bind");
			m.source = xstrdup(source);
			m.spec_type = xstrdup("bind");
			m.spec_source = xstrdup(source);
			m.spec_opts = bind_options(m.rw, false, false, false, prop, err);
			if (!m.spec_opts) {
				mp_release(&m);
				return -1;
			}
		} else {
			mp_release(&m);
			continue;
		}
		mp_put(&x->mps, &m);
	}
	return 0;
}

/* 2. -v with a source */
static int add_bind(struct prep *x, const char *raw, robbe_error **err)
{
	struct mountspec spec;
	struct mp m = { 0 };
	int r = -1;

	if (mountspec_parse_bind(raw, x->req->volume_driver, &spec, err) < 0)
		return -1;
	m.dest = mountspec_clean_path(spec.target);
	if (strv_contains(x->taken, m.dest) || strv_contains(x->tmpfs, m.dest)) {
		duplicate(err, m.dest);
		goto out;
	}
	m.rw = !spec.read_only;
	m.copy = !spec.nocopy;
	if (spec.type == MOUNTSPEC_VOLUME) {
		m.mode = xstrdup(spec.mode[0] ? spec.mode : "z");
		m.propagation = xstrdup("");
		if (use_volume(x, &m, spec.source, &spec, err) < 0)
			goto out;
	} else {
		struct stat st;
		m.type = xstrdup("bind");
		m.source = mountspec_clean_path(spec.source);
		m.mode = xstrdup(spec.mode);
		m.propagation = xstrdup(spec.propagation ? spec.propagation : "rprivate");
		/* -v creates a missing host directory, as Docker does. */
		if (stat(m.source, &st) < 0) {
			if (errno != ENOENT) {
				robbe_error_errno(err, errno, "error while creating mount source path '%s'", m.source);
				goto out;
			}
			if (mkdir_p(m.source, 0755, err) < 0) {
				robbe_error_wrap(err, "error while creating mount source path '%s'", m.source);
				goto out;
			}
		}
		m.spec_type = xstrdup("bind");
		m.spec_source = xstrdup(m.source);
		m.spec_opts = bind_options(m.rw, false, false, false, spec.propagation, err);
		if (!m.spec_opts)
			goto out;
	}
	strv_push(&x->taken, m.dest);
	mp_put(&x->mps, &m);
	cJSON_AddItemToArray(x->binds, cJSON_CreateString(raw));
	r = 0;
out:
	mp_release(&m);
	mountspec_release(&spec);
	return r;
}

/* HostConfig.Mounts entry (Docker's mount.Mount, empty fields left out). */
static cJSON *host_mount_json(const struct mountspec *m)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "Type", m->type_name);
	if (m->source && *m->source)
		cJSON_AddStringToObject(o, "Source", m->source);
	cJSON_AddStringToObject(o, "Target", m->target);
	if (m->read_only)
		cJSON_AddTrueToObject(o, "ReadOnly");
	if (m->consistency && *m->consistency)
		cJSON_AddStringToObject(o, "Consistency", m->consistency);
	if (m->bind_options) {
		cJSON *b = cJSON_AddObjectToObject(o, "BindOptions");
		if (m->propagation && *m->propagation)
			cJSON_AddStringToObject(b, "Propagation", m->propagation);
		if (m->nonrecursive)
			cJSON_AddTrueToObject(b, "NonRecursive");
		if (m->ro_nonrecursive)
			cJSON_AddTrueToObject(b, "ReadOnlyNonRecursive");
		if (m->ro_force_recursive)
			cJSON_AddTrueToObject(b, "ReadOnlyForceRecursive");
	}
	if (m->volume_options) {
		cJSON *v = cJSON_AddObjectToObject(o, "VolumeOptions");
		if (m->nocopy)
			cJSON_AddTrueToObject(v, "NoCopy");
		if (m->labels) {
			cJSON *l = cJSON_AddObjectToObject(v, "Labels");
			for (size_t i = 0; m->labels[i]; i++) {
				const char *eq = strchr(m->labels[i], '=');
				cleanup_free char *k = eq ? xstrndup(m->labels[i], (size_t) (eq - m->labels[i]))
							  : xstrdup(m->labels[i]);
				cJSON_DeleteItemFromObjectCaseSensitive(l, k);
				cJSON_AddStringToObject(l, k, eq ? eq + 1 : "");
			}
		}
		if (m->subpath && *m->subpath)
			cJSON_AddStringToObject(v, "Subpath", m->subpath);
		cJSON *d = cJSON_AddObjectToObject(v, "DriverConfig");
		if (m->driver && *m->driver)
			cJSON_AddStringToObject(d, "Name", m->driver);
		if (m->driver_opts) {
			cJSON *opts = cJSON_AddObjectToObject(d, "Options");
			for (size_t i = 0; m->driver_opts[i]; i++) {
				const char *eq = strchr(m->driver_opts[i], '=');
				cleanup_free char *k = eq ? xstrndup(m->driver_opts[i], (size_t) (eq - m->driver_opts[i]))
							  : xstrdup(m->driver_opts[i]);
				cJSON_DeleteItemFromObjectCaseSensitive(opts, k);
				cJSON_AddStringToObject(opts, k, eq ? eq + 1 : "");
			}
		}
	}
	if (m->tmpfs_options) {
		cJSON *t = cJSON_AddObjectToObject(o, "TmpfsOptions");
		if (m->tmpfs_size)
			cJSON_AddNumberToObject(t, "SizeBytes", (double) m->tmpfs_size);
		if (m->tmpfs_mode)
			cJSON_AddNumberToObject(t, "Mode", m->tmpfs_mode);
	}
	return o;
}

/* 3. --mount */
static int add_mount(struct prep *x, const char *value, robbe_error **err)
{
	struct mountspec spec;
	struct mp m = { 0 };
	int r = -1;

	if (mountspec_parse_mount(value, &spec, err) < 0)
		return -1;
	if (mountspec_validate(&spec, true, err) < 0)
		goto out;
	if (spec.type == MOUNTSPEC_IMAGE) {
		robbe_error_set(err, 0, "invalid mount config for type \"image\": image mounts are not supported by robbe yet");
		goto out;
	}
	m.dest = mountspec_clean_path(spec.target);
	if (strv_contains(x->taken, m.dest)) {
		duplicate(err, spec.target);
		goto out;
	}
	m.rw = !spec.read_only;
	m.copy = !spec.nocopy;
	m.propagation = xstrdup("");
	if (spec.type == MOUNTSPEC_VOLUME) {
		m.mode = xstrdup("z");
		if (use_volume(x, &m, spec.source, &spec, err) < 0)
			goto out;
	} else if (spec.type == MOUNTSPEC_BIND) {
		m.type = xstrdup("bind");
		m.source = mountspec_clean_path(spec.source);
		m.mode = xstrdup("");
		free(m.propagation);
		m.propagation = xstrdup(spec.propagation && *spec.propagation ? spec.propagation : "rprivate");
		m.spec_type = xstrdup("bind");
		m.spec_source = xstrdup(m.source);
		m.spec_opts = bind_options(m.rw, spec.nonrecursive, spec.ro_nonrecursive, spec.ro_force_recursive,
					   spec.propagation, err);
		if (!m.spec_opts)
			goto out;
	} else {
		m.type = xstrdup("tmpfs");
		m.source = xstrdup("");
		m.mode = xstrdup("");
		m.spec_type = xstrdup("tmpfs");
		m.spec_source = xstrdup("tmpfs");
		m.spec_opts = mountspec_tmpfs_options(&spec);
	}
	strv_push(&x->taken, m.dest);
	mp_put(&x->mps, &m);
	if (!x->host_mounts)
		x->host_mounts = cJSON_CreateArray();
	cJSON_AddItemToArray(x->host_mounts, host_mount_json(&spec));
	r = 0;
out:
	mp_release(&m);
	mountspec_release(&spec);
	return r;
}

static bool config_has(const struct prep *x, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(x->config_volumes, key) != NULL;
}

/* 4. "-v /path" and the image's VOLUMEs */
static int add_anonymous(struct prep *x, const char *spec, robbe_error **err)
{
	struct mp m = { 0 };
	cleanup_free char *slashed = xstrdup(spec);
	int r = -1;

	for (char *c = slashed; *c; c++)
		if (*c == '\\')
			*c = '/';
	if (!config_has(x, spec))
		cJSON_AddItemToObject(x->config_volumes, spec, cJSON_CreateObject());
	m.dest = mountspec_clean_path(slashed);
	if (!m.dest)
		return robbe_error_set(err, 0,
				       "invalid mount config for type \"volume\": invalid mount path: '%s' mount path must be absolute",
				       slashed);
	if (strcmp(m.dest, "/") == 0) {
		robbe_error_set(err, 0, "invalid mount config for type \"volume\": invalid specification: destination can't be '/'");
		goto out;
	}
	/* Something else is mounted there: the image's wish is met. */
	if (mp_find(&x->mps, m.dest) || strv_contains(x->tmpfs, m.dest)) {
		r = 0;
		goto out;
	}
	if (x->req->rootfs) {
		struct stat st;
		cleanup_free char *host = NULL;
		int found = volume_stat_in_root(x->req->rootfs, m.dest, &st, &host, err);
		if (found < 0)
			goto out;
		if (found && !S_ISDIR(st.st_mode)) {
			robbe_error_set(err, 0, "cannot mount volume over existing file, file exists %s", host);
			goto out;
		}
	}
	m.mode = xstrdup("");
	m.propagation = xstrdup("");
	m.rw = true;
	m.copy = true;
	if (use_volume(x, &m, NULL, NULL, err) < 0)
		goto out;
	mp_put(&x->mps, &m);
	r = 0;
out:
	mp_release(&m);
	return r;
}

/* ---- the whole ----------------------------------------------------------------------- */

static void prep_release(struct prep *x)
{
	mp_list_release(&x->mps);
	strv_free(x->taken);
	strv_free(x->tmpfs);
	strv_free(x->created);
	strv_free(x->anon_created);
	cJSON_Delete(x->binds);
	cJSON_Delete(x->host_mounts);
	cJSON_Delete(x->config_volumes);
}

static cJSON *mount_entry(const struct mp *m)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "Type", m->type);
	if (m->name && *m->name)
		cJSON_AddStringToObject(o, "Name", m->name);
	cJSON_AddStringToObject(o, "Source", m->source ? m->source : "");
	cJSON_AddStringToObject(o, "Destination", m->dest);
	if (strcmp(m->type, "volume") == 0)
		cJSON_AddStringToObject(o, "Driver", VOLUME_DRIVER_LOCAL);
	cJSON_AddStringToObject(o, "Mode", m->mode ? m->mode : "");
	cJSON_AddBoolToObject(o, "RW", m->rw);
	cJSON_AddStringToObject(o, "Propagation", m->propagation ? m->propagation : "");
	return o;
}

int volume_prepare_mounts(struct store *s, const struct robbe_paths *p, const struct volume_mount_request *req,
			  struct volume_mounts *out, robbe_error **err)
{
	struct prep x = { .s = s, .p = p, .req = req };
	const cJSON *image_volumes = cJSON_GetObjectItemCaseSensitive(req->image_config, "Volumes");
	const cJSON *it;
	cleanup_strv char **anonymous_specs = NULL;
	int lock = -1;

	memset(out, 0, sizeof(*out));
	out->lock_fd = -1;
	x.binds = cJSON_CreateArray();
	x.config_volumes = cJSON_CreateObject();
	for (size_t i = 0; req->tmpfs && req->tmpfs[i]; i++) {
		const char *colon = strchr(req->tmpfs[i], ':');
		cleanup_free char *path = colon ? xstrndup(req->tmpfs[i], (size_t) (colon - req->tmpfs[i]))
						: xstrdup(req->tmpfs[i]);
		char *clean = mountspec_clean_path(path);
		if (clean)
			strv_push_take(&x.tmpfs, clean);
	}

	if (volume_lock(p, false, &lock, err) < 0)
		goto fail;

	for (size_t i = 0; req->volumes_from && req->volumes_from[i]; i++)
		if (add_volumes_from(&x, req->volumes_from[i], err) < 0)
			goto fail;
	for (size_t i = 0; req->volumes && req->volumes[i]; i++) {
		bool bind;
		cleanup_free char *form = NULL;
		if (mountspec_check_volume_flag(req->volumes[i], &bind, &form, err) < 0)
			goto fail;
		/* The CLI sends each distinct -v once. */
		bool again = false;
		for (size_t j = 0; j < i; j++)
			again = again || strcmp(req->volumes[j], req->volumes[i]) == 0;
		if (again)
			continue;
		if (!bind) {
			strv_push(&anonymous_specs, req->volumes[i]);
			continue;
		}
		if (add_bind(&x, form, err) < 0)
			goto fail;
	}
	for (size_t i = 0; req->mounts && req->mounts[i]; i++)
		if (add_mount(&x, req->mounts[i], err) < 0)
			goto fail;
	for (size_t i = 0; anonymous_specs && anonymous_specs[i]; i++)
		if (add_anonymous(&x, anonymous_specs[i], err) < 0)
			goto fail;
	cJSON_ArrayForEach(it, image_volumes)
		if (it->string && add_anonymous(&x, it->string, err) < 0)
			goto fail;

	/* Copy-up: image content into the empty volumes. */
	if (req->rootfs) {
		for (size_t i = 0; i < x.mps.n; i++) {
			struct mp *m = &x.mps.v[i];
			cleanup_store_volume struct store_volume *v = NULL;
			if (strcmp(m->type, "volume") != 0 || !m->copy || !m->name)
				continue;
			if (volume_get(s, m->name, &v, err) < 0)
				goto fail;
			if (volume_has_options(v))
				continue;
			if (volume_copy_up(req->rootfs, m->dest, v->mountpoint, err) < 0) {
				robbe_error_wrap(err, "failed to populate volume %s", m->name);
				goto fail;
			}
		}
	}

	/* The result. */
	out->mounts = xcalloc(x.mps.n + 1, sizeof(*out->mounts));
	out->options_ = xcalloc(x.mps.n + 1, sizeof(*out->options_));
	out->docker_mounts = cJSON_CreateArray();
	for (size_t i = 0; i < x.mps.n; i++) {
		struct mp *m = &x.mps.v[i];
		struct spec_mount *sm = &out->mounts[out->n_mounts++];

		cJSON_AddItemToArray(out->docker_mounts, mount_entry(m));
		strv_push(&out->strings_, m->spec_type);
		sm->type = out->strings_[strv_len(out->strings_) - 1];
		strv_push(&out->strings_, m->spec_source);
		sm->source = out->strings_[strv_len(out->strings_) - 1];
		strv_push(&out->strings_, m->dest);
		sm->destination = out->strings_[strv_len(out->strings_) - 1];
		out->options_[i] = steal_pointer(&m->spec_opts);
		sm->options = out->options_[i];
		if (m->name && !strv_contains(out->volumes, m->name))
			strv_push(&out->volumes, m->name);
		if (m->name && m->anonymous && !strv_contains(out->anonymous, m->name))
			strv_push(&out->anonymous, m->name);
	}
	out->binds = x.binds->child ? steal_pointer(&x.binds) : cJSON_CreateNull();
	out->host_mounts = steal_pointer(&x.host_mounts);
	out->config_volumes = x.config_volumes->child ? steal_pointer(&x.config_volumes) : cJSON_CreateNull();
	out->created = steal_pointer(&x.created);
	out->lock_fd = lock;
	prep_release(&x);
	return 0;

fail:
	/* Anonymous volumes made here belong to nobody now. */
	if (x.anon_created) {
		robbe_error *e = NULL;
		if (lock >= 0) {
			close(lock);
			lock = -1;
		}
		if (volume_remove_anonymous(s, p, x.anon_created, &e) < 0)
			robbe_error_free(e);
	}
	if (lock >= 0)
		close(lock);
	prep_release(&x);
	return -1;
}

void volume_mounts_release(struct volume_mounts *m)
{
	if (!m)
		return;
	free(m->mounts);
	for (size_t i = 0; m->options_ && i < m->n_mounts; i++)
		strv_free(m->options_[i]);
	free(m->options_);
	strv_free(m->strings_);
	cJSON_Delete(m->docker_mounts);
	cJSON_Delete(m->binds);
	cJSON_Delete(m->host_mounts);
	cJSON_Delete(m->config_volumes);
	strv_free(m->volumes);
	strv_free(m->anonymous);
	strv_free(m->created);
	if (m->lock_fd >= 0)
		close(m->lock_fd);
	memset(m, 0, sizeof(*m));
	m->lock_fd = -1;
}

void volume_mounts_rollback(struct store *s, const struct robbe_paths *p, struct volume_mounts *m)
{
	cleanup_strv char **doomed = NULL;
	robbe_error *e = NULL;

	for (size_t i = 0; m->created && m->created[i]; i++)
		if (strv_contains(m->anonymous, m->created[i]))
			strv_push(&doomed, m->created[i]);
	/* The shared lock would keep the exclusive one we need away. */
	if (m->lock_fd >= 0) {
		close(m->lock_fd);
		m->lock_fd = -1;
	}
	if (volume_remove_anonymous(s, p, doomed, &e) < 0)
		robbe_error_warn(&e);
}
