/* volume.c: create, look up, list, remove and prune volumes (the "local"
 * driver), with the daemon's rules and words.  See volume.h. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include "units.h"
#include "volume.h"
#include "volume-internal.h"

bool volume_name_valid(const char *name)
{
	if (!name || !isalnum((unsigned char) name[0]) || !name[1])
		return false;
	for (const char *c = name + 1; *c; c++)
		if (!isalnum((unsigned char) *c) && *c != '_' && *c != '.' && *c != '-')
			return false;
	return true;
}

/* ---- paths and the lock ----------------------------------------------------- */

char *volume_dir(const struct robbe_paths *p, const char *name)
{
	cleanup_free char *rel = xasprintf("volumes/%s", name);
	return paths_in_root(p, rel);
}

char *volume_data_dir(const struct robbe_paths *p, const char *name)
{
	cleanup_free char *rel = xasprintf("volumes/%s/_data", name);
	return paths_in_root(p, rel);
}

int volume_lock(const struct robbe_paths *p, bool exclusive, int *fd_out, robbe_error **err)
{
	cleanup_free char *dir = paths_in_root(p, "volumes");
	cleanup_free char *path = NULL;
	int fd;

	*fd_out = -1;
	/* 0701: containers' users must reach _data through here only by
	 * the bind mount, but tools running as other users may traverse. */
	if (mkdir_p(dir, 0701, err) < 0)
		return -1;
	path = xasprintf("%s/.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return robbe_error_errno(err, errno, "open %s", path);
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0) {
		if (errno != EINTR) {
			int e = errno;
			close(fd);
			return robbe_error_errno(err, e, "lock %s", path);
		}
	}
	*fd_out = fd;
	return 0;
}

/* ---- JSON columns ------------------------------------------------------------ */

static int cmp_child_names(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *) a, *y = *(const cJSON *const *) b;
	return strcmp(x->string, y->string);
}

/* A copy of an object with its keys sorted, as Go marshals maps. */
static cJSON *sorted_object(const cJSON *obj)
{
	size_t n = 0, i = 0;
	cJSON *out = cJSON_CreateObject();
	cleanup_free const cJSON **v = NULL;

	for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next)
		n++;
	v = xcalloc(n + 1, sizeof(*v));
	for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next)
		v[i++] = c;
	qsort(v, n, sizeof(*v), cmp_child_names);
	for (i = 0; i < n; i++) {
		cJSON *val = cJSON_IsString(v[i]) ? cJSON_CreateString(v[i]->valuestring) : cJSON_Duplicate(v[i], true);
		cJSON_DeleteItemFromObjectCaseSensitive(out, v[i]->string);
		cJSON_AddItemToObject(out, v[i]->string, val);
	}
	return out;
}

/* An object column: NULL for SQL NULL or JSON null, else its copy sorted. */
static cJSON *object_column(const char *json)
{
	cleanup_cjson cJSON *j = json ? cJSON_Parse(json) : NULL;

	if (!j || !cJSON_IsObject(j))
		return NULL;
	return sorted_object(j);
}

cJSON *volume_labels(const struct store_volume *v)
{
	return object_column(v->labels_json);
}

cJSON *volume_options(const struct store_volume *v)
{
	return object_column(v->options_json);
}

bool volume_has_options(const struct store_volume *v)
{
	cleanup_cjson cJSON *o = volume_options(v);
	return o && o->child;
}

/* "k=v" / "k" words into an object (later keys win); NULL when there are
 * none and null_if_empty. */
static cJSON *kv_object(char *const *kv, bool null_if_empty)
{
	cJSON *o;

	if (!kv || !kv[0]) {
		if (null_if_empty)
			return NULL;
		return cJSON_CreateObject();
	}
	o = strv_kv_object(kv);
	cJSON *sorted = sorted_object(o);
	cJSON_Delete(o);
	return sorted;
}

static char *json_text(const cJSON *o)
{
	char *s;

	if (!o)
		return xstrdup("null");
	s = cJSON_PrintUnformatted(o);
	if (!s)
		die_oom();
	return s;
}

/* ---- create --------------------------------------------------------------------- */

static int create_error(robbe_error **err, int errnum, const char *name, const char *fmt, ...) ATTR_PRINTF(4, 5);
static int create_error(robbe_error **err, int errnum, const char *name, const char *fmt, ...)
{
	cleanup_free char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	robbe_error_set(err, EXIT_GENERAL, "create %s: %s", name, msg);
	(*err)->errnum = errnum;
	return -1;
}

static int check_name(const char *name, robbe_error **err)
{
	cleanup_sbuf struct sbuf q = SBUF_INIT;

	if (strlen(name) == 1)
		return create_error(err, EINVAL, name,
				    "volume name is too short, names should be at least two alphanumeric characters");
	if (volume_name_valid(name))
		return 0;
	sbuf_add_go_quoted(&q, name);
	return create_error(err, EINVAL, name,
			    "%s includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path",
			    sbuf_str(&q));
}

/* The local driver's option rules. */
static int check_options(const char *name, const cJSON *opts, robbe_error **err)
{
	static const char *const valid[] = { "type", "o", "device", "size" };
	static const struct {
		const char *opt, *needs;
	} mandatory[] = { { "device", "type" }, { "type", "device" }, { "o", "device" }, { "o", "type" } };
	cleanup_sbuf struct sbuf q = SBUF_INIT;

	for (const cJSON *c = opts ? opts->child : NULL; c; c = c->next) {
		bool ok = false;
		for (size_t i = 0; i < ARRAY_SIZE(valid); i++)
			ok = ok || strcmp(c->string, valid[i]) == 0;
		if (!ok) {
			sbuf_add_go_quoted(&q, c->string);
			return create_error(err, EINVAL, name, "invalid option: %s", sbuf_str(&q));
		}
	}
	const cJSON *size = cJSON_GetObjectItemCaseSensitive(opts, "size");
	if (cJSON_IsString(size)) {
		int64_t bytes;
		robbe_error *e = NULL;
		if (units_ram_in_bytes(size->valuestring, &bytes, &e) < 0) {
			create_error(err, EINVAL, name, "%s", e->msg);
			robbe_error_free(e);
			return -1;
		}
		if (bytes > 0)
			return create_error(err, EINVAL, name, "quota size requested but no quota support");
	}
	for (size_t i = 0; i < ARRAY_SIZE(mandatory); i++) {
		if (cJSON_GetObjectItemCaseSensitive(opts, mandatory[i].opt) &&
		    !cJSON_GetObjectItemCaseSensitive(opts, mandatory[i].needs)) {
			sbuf_add_go_quoted(&q, mandatory[i].needs);
			return create_error(err, EINVAL, name, "missing required option: %s", sbuf_str(&q));
		}
	}
	return 0;
}

static char *random_name(void)
{
	unsigned char b[32];
	char *s = xmalloc(65);
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t r = getrandom(b + got, sizeof(b) - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* No entropy source at all: the clock and pid keep
			 * names apart well enough for a local directory. */
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			for (size_t i = got; i < sizeof(b); i++)
				b[i] = (unsigned char) ((ts.tv_nsec >> (i % 24)) ^ (getpid() >> (i % 16)) ^ (i * 131));
			got = sizeof(b);
			break;
		}
		got += (size_t) r;
	}
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(s + 2 * i, 3, "%02x", b[i]);
	return s;
}

int volume_create(struct store *s, const struct robbe_paths *p, const struct volume_create_opts *o,
		  struct store_volume **out, bool *created, robbe_error **err)
{
	cleanup_free char *name = NULL;
	cleanup_store_volume struct store_volume *existing = NULL;
	cleanup_cjson cJSON *labels = NULL;
	cleanup_cjson cJSON *options = NULL;
	cleanup_free char *dir = NULL;
	cleanup_free char *data = NULL;
	cleanup_free char *labels_json = NULL;
	cleanup_free char *options_json = NULL;
	robbe_error *e = NULL;
	bool anonymous = !o->name || !o->name[0];
	const char *driver = o->driver && o->driver[0] ? o->driver : VOLUME_DRIVER_LOCAL;

	if (out)
		*out = NULL;
	if (created)
		*created = false;
	name = anonymous ? random_name() : xstrdup(o->name);
	if (check_name(name, err) < 0)
		return -1;

	/* A volume of that name is returned as it is. */
	if (store_volume_get(s, name, &existing, &e) == 0) {
		if (out)
			*out = steal_pointer(&existing);
		return 0;
	}
	if (!store_error_is(e, STORE_ENOTFOUND)) {
		*err = e;
		return -1;
	}
	robbe_error_free(e);
	e = NULL;

	if (strcmp(driver, VOLUME_DRIVER_LOCAL) != 0)
		return create_error(err, ENOENT, name, "error looking up volume plugin %s: plugin \"%s\" not found", driver,
				    driver);

	options = kv_object(o->options, o->options_null);
	if (check_options(name, options, err) < 0)
		return -1;
	labels = kv_object(o->labels, o->labels_null && !anonymous);
	if (anonymous)
		cJSON_AddItemToObject(labels, VOLUME_ANONYMOUS_LABEL, cJSON_CreateString(""));
	if (labels && anonymous) {
		cJSON *sorted = sorted_object(labels);
		cJSON_Delete(labels);
		labels = sorted;
	}

	dir = volume_dir(p, name);
	data = volume_data_dir(p, name);
	if (mkdir_p(dir, 0701, err) < 0 || mkdir_p(data, 0755, err) < 0)
		return robbe_error_wrap(err, "create %s", name);

	labels_json = json_text(labels);
	options_json = json_text(options);
	struct store_volume v = {
		.name = name,
		.driver = (char *) VOLUME_DRIVER_LOCAL,
		.mountpoint = data,
		.anonymous = anonymous,
		.labels_json = labels_json,
		.options_json = options_json,
	};
	if (store_volume_add(s, &v, &e) < 0) {
		/* Someone made it meanwhile: theirs it is. */
		if (store_error_is(e, STORE_ECONFLICT)) {
			robbe_error_free(e);
			if (out)
				return store_volume_get(s, name, out, err);
			return 0;
		}
		*err = e;
		return -1;
	}
	if (created)
		*created = true;
	if (out)
		return store_volume_get(s, name, out, err);
	return 0;
}

/* ---- get, inspect --------------------------------------------------------------- */

int volume_get(struct store *s, const char *name, struct store_volume **out, robbe_error **err)
{
	robbe_error *e = NULL;

	if (store_volume_get(s, name, out, &e) == 0)
		return 0;
	if (!store_error_is(e, STORE_ENOTFOUND)) {
		*err = e;
		return -1;
	}
	robbe_error_free(e);
	robbe_error_set(err, EXIT_GENERAL, "get %s: no such volume", name);
	(*err)->errnum = ENOENT;
	return -1;
}

int volume_exists(struct store *s, const char *name, bool *exists, robbe_error **err)
{
	cleanup_store_volume struct store_volume *v = NULL;
	robbe_error *e = NULL;

	*exists = false;
	if (store_volume_get(s, name, &v, &e) == 0) {
		*exists = true;
		return 0;
	}
	if (store_error_is(e, STORE_ENOTFOUND)) {
		robbe_error_free(e);
		return 0;
	}
	*err = e;
	return -1;
}

char *volume_format_time(int64_t ns)
{
	time_t t = (time_t) (ns / 1000000000);
	struct tm tm;
	char buf[64];
	long off;

	localtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff;
	if (off == 0)
		return xasprintf("%sZ", buf);
	return xasprintf("%s%c%02ld:%02ld", buf, off < 0 ? '-' : '+', labs(off) / 3600, (labs(off) % 3600) / 60);
}

cJSON *volume_inspect_json(const struct store_volume *v)
{
	cJSON *o = cJSON_CreateObject();
	cleanup_free char *created = volume_format_time(v->created);
	cJSON *labels = volume_labels(v);
	cJSON *options = volume_options(v);

	cJSON_AddStringToObject(o, "CreatedAt", created);
	cJSON_AddStringToObject(o, "Driver", v->driver ? v->driver : VOLUME_DRIVER_LOCAL);
	cJSON_AddItemToObject(o, "Labels", labels ? labels : cJSON_CreateNull());
	cJSON_AddStringToObject(o, "Mountpoint", v->mountpoint);
	cJSON_AddStringToObject(o, "Name", v->name);
	cJSON_AddItemToObject(o, "Options", options ? options : cJSON_CreateNull());
	cJSON_AddStringToObject(o, "Scope", "local");
	return o;
}

/* ---- remove ----------------------------------------------------------------------- */

int volume_users(struct store *s, const char *name, char ***ids, robbe_error **err)
{
	return store_volume_users(s, name, ids, err);
}

/* Delete the row (refused while in use) and then the files.  *in_use tells
 * a refusal apart; *gone a volume that is not there. */
static int remove_one(struct store *s, const struct robbe_paths *p, const char *name, robbe_error **err)
{
	cleanup_free char *root = paths_in_root(p, "volumes");
	cleanup_strv char **users = NULL;
	robbe_error *e = NULL;
	int fd;

	if (store_volume_remove(s, name, &e) < 0) {
		if (store_error_is(e, STORE_EINUSE)) {
			struct sbuf sb = SBUF_INIT;
			robbe_error_free(e);
			if (store_volume_users(s, name, &users, err) < 0)
				return -1;
			for (size_t i = 0; users && users[i]; i++) {
				if (i)
					sbuf_adds(&sb, ", ");
				sbuf_adds(&sb, users[i]);
			}
			robbe_error_set(err, EXIT_GENERAL, "remove %s: volume is in use - [%s]", name, sbuf_str(&sb));
			(*err)->errnum = EBUSY;
			sbuf_release(&sb);
			return -1;
		}
		if (store_error_is(e, STORE_ENOTFOUND)) {
			robbe_error_free(e);
			robbe_error_set(err, EXIT_GENERAL, "get %s: no such volume", name);
			(*err)->errnum = ENOENT;
			return -1;
		}
		*err = e;
		return -1;
	}
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : robbe_error_errno(err, errno, "remove %s: open %s", name, root);
	int r = rm_rf_at(fd, name, err);
	close(fd);
	return r < 0 ? robbe_error_wrap(err, "remove %s", name) : 0;
}

int volume_remove(struct store *s, const struct robbe_paths *p, const char *name, bool force, robbe_error **err)
{
	int lock = -1;
	int r;

	if (!name || !volume_name_valid(name)) {
		/* No such name can exist; and never let it reach a path. */
		if (force)
			return 0;
		robbe_error_set(err, EXIT_GENERAL, "get %s: no such volume", name ? name : "");
		(*err)->errnum = ENOENT;
		return -1;
	}
	if (volume_lock(p, true, &lock, err) < 0)
		return -1;
	r = remove_one(s, p, name, err);
	close(lock);
	if (r < 0 && force && (*err)->errnum == ENOENT) {
		robbe_error_free(*err);
		*err = NULL;
		return 0;
	}
	return r;
}

int volume_remove_anonymous(struct store *s, const struct robbe_paths *p, char *const *names, robbe_error **err)
{
	int lock = -1;
	int ret = 0;

	if (!names || !names[0])
		return 0;
	if (volume_lock(p, true, &lock, err) < 0)
		return -1;
	for (size_t i = 0; names[i]; i++) {
		robbe_error *e = NULL;
		if (!volume_name_valid(names[i]))
			continue;
		if (remove_one(s, p, names[i], &e) < 0) {
			/* Another container still uses it, or it is gone:
			 * neither is this container's business. */
			if (e->errnum == EBUSY || e->errnum == ENOENT) {
				robbe_error_free(e);
				continue;
			}
			if (ret == 0)
				*err = e;
			else
				robbe_error_free(e);
			ret = -1;
		}
	}
	close(lock);
	return ret;
}

/* ---- filters ----------------------------------------------------------------------- */

struct filter {
	char *key;
	char **values;
};

struct filters {
	struct filter *v;
	size_t n;
};

static void filters_release(struct filters *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].key);
		strv_free(f->v[i].values);
	}
	free(f->v);
}

static struct filter *filters_get(const struct filters *f, const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].key, key) == 0)
			return &f->v[i];
	return NULL;
}

static void filters_add(struct filters *f, const char *key, const char *value)
{
	struct filter *x = filters_get(f, key);

	if (!x) {
		f->v = xrealloc(f->v, (f->n + 1) * sizeof(*f->v));
		x = &f->v[f->n++];
		x->key = xstrdup(key);
		x->values = NULL;
	}
	/* Values are a set, as in Docker's filters.Args. */
	if (!strv_contains(x->values, value))
		strv_push(&x->values, value);
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

/* "key=value" as the CLI's filter option splits it: key trimmed and
 * lowered, value trimmed. */
static void filters_parse(struct filters *f, char *const *raw)
{
	for (size_t i = 0; raw && raw[i]; i++) {
		const char *eq = strchr(raw[i], '=');
		if (!eq)
			continue;
		cleanup_free char *key = trim_dup(raw[i], (size_t) (eq - raw[i]));
		cleanup_free char *val = trim_dup(eq + 1, strlen(eq + 1));
		for (char *c = key; *c; c++)
			*c = (char) tolower((unsigned char) *c);
		filters_add(f, key, val);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Go's %v of the values: "[a b]" (sorted: Docker's come from a map). */
static char *values_text(char **values)
{
	struct sbuf sb = SBUF_INIT;
	cleanup_strv char **v = strv_dup(values);

	qsort(v, strv_len(v), sizeof(*v), cmp_str);
	sbuf_addc(&sb, '[');
	for (size_t i = 0; v && v[i]; i++) {
		if (i)
			sbuf_addc(&sb, ' ');
		sbuf_adds(&sb, v[i]);
	}
	sbuf_addc(&sb, ']');
	return sbuf_detach(&sb);
}

static int invalid_filter(robbe_error **err, const char *fmt, ...) ATTR_PRINTF(2, 3);
static int invalid_filter(robbe_error **err, const char *fmt, ...)
{
	va_list ap;
	cleanup_free char *msg = NULL;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	robbe_error_set(err, EXIT_GENERAL, "%s", msg);
	(*err)->errnum = EINVAL;
	return -1;
}

static int filters_validate(const struct filters *f, const char *const *accepted, robbe_error **err)
{
	for (size_t i = 0; i < f->n; i++) {
		bool ok = false;
		for (size_t j = 0; accepted[j]; j++)
			ok = ok || strcmp(accepted[j], f->v[i].key) == 0;
		if (!ok)
			return invalid_filter(err, "invalid filter '%s'", f->v[i].key);
	}
	return 0;
}

/* filters.Args.MatchKVList: every "k" / "k=v" value is in the labels. */
static bool match_kv_list(const struct filter *x, const cJSON *labels)
{
	if (!x || !x->values)
		return true;
	if (!labels || !labels->child)
		return false;
	for (size_t i = 0; x->values[i]; i++) {
		const char *eq = strchr(x->values[i], '=');
		cleanup_free char *k = eq ? xstrndup(x->values[i], (size_t) (eq - x->values[i])) : xstrdup(x->values[i]);
		const cJSON *l = cJSON_GetObjectItemCaseSensitive(labels, k);
		if (!l)
			return false;
		if (eq && (!cJSON_IsString(l) || strcmp(l->valuestring, eq + 1) != 0))
			return false;
	}
	return true;
}

/* filters.Args.Match: an exact value, or an unanchored regular expression. */
static bool match_name(const struct filter *x, const char *name)
{
	if (!x)
		return true;
	for (size_t i = 0; x->values && x->values[i]; i++) {
		regex_t re;
		bool hit;
		if (strcmp(x->values[i], name) == 0)
			return true;
		if (regcomp(&re, x->values[i], REG_EXTENDED | REG_NOSUB) != 0)
			continue;
		hit = regexec(&re, name, 0, NULL, 0) == 0;
		regfree(&re);
		if (hit)
			return true;
	}
	return false;
}

static bool volume_in_use(struct store *s, const char *name, robbe_error **err, int *failed)
{
	cleanup_strv char **users = NULL;

	if (store_volume_users(s, name, &users, err) < 0) {
		*failed = 1;
		return false;
	}
	return users != NULL;
}

static void list_push(struct store_volume ***v, size_t *n, struct store_volume *x)
{
	*v = xrealloc(*v, (*n + 2) * sizeof(**v));
	(*v)[(*n)++] = x;
	(*v)[*n] = NULL;
}

int volume_list(struct store *s, char *const *filters, struct store_volume ***out, robbe_error **err)
{
	static const char *const accepted[] = { "dangling", "name", "driver", "label", NULL };
	__attribute__((cleanup(filters_release))) struct filters f = { NULL, 0 };
	struct store_volume **all = NULL;
	struct store_volume **res = xcalloc(1, sizeof(*res));
	size_t n = 0;
	int dangling = -1;	/* -1: no filter */
	int ret = 0;

	*out = NULL;
	filters_parse(&f, filters);
	if (filters_validate(&f, accepted, err) < 0)
		goto fail;
	struct filter *d = filters_get(&f, "dangling");
	if (d) {
		bool f0 = strv_contains(d->values, "0") || strv_contains(d->values, "false");
		bool t1 = strv_contains(d->values, "1") || strv_contains(d->values, "true");
		if (f0 == t1) {
			cleanup_free char *vals = values_text(d->values);
			invalid_filter(err, "invalid filter 'dangling=%s'", vals);
			goto fail;
		}
		dangling = t1;
	}
	if (store_volume_list(s, &all, err) < 0)
		goto fail;
	const struct filter *drivers = filters_get(&f, "driver");
	const struct filter *names = filters_get(&f, "name");
	const struct filter *labels = filters_get(&f, "label");
	for (size_t i = 0; all[i]; i++) {
		struct store_volume *v = all[i];
		const char *driver = v->driver ? v->driver : VOLUME_DRIVER_LOCAL;
		bool keep = true;
		int failed = 0;

		if (drivers && !strv_contains(drivers->values, driver))
			keep = false;
		else if (!match_name(names, v->name))
			keep = false;
		if (keep && labels) {
			cleanup_cjson cJSON *l = volume_labels(v);
			keep = match_kv_list(labels, l);
		}
		if (keep && dangling >= 0) {
			bool used = volume_in_use(s, v->name, err, &failed);
			if (failed)
				ret = -1;
			keep = !failed && used != (dangling == 1);
		}
		if (keep) {
			list_push(&res, &n, v);
		} else {
			store_volume_free(v);
		}
		all[i] = NULL;
		if (ret < 0) {
			for (size_t j = i + 1; all[j]; j++)
				store_volume_free(all[j]);
			break;
		}
	}
	free(all);
	if (ret < 0)
		goto fail;
	*out = res;
	return 0;
fail:
	store_volume_list_free(res);
	return -1;
}

/* ---- prune ------------------------------------------------------------------------ */

void volume_prune_report_release(struct volume_prune_report *r)
{
	strv_free(r->deleted);
	r->deleted = NULL;
	r->reclaimed = 0;
}

struct size_walk {
	dev_t *devs;
	ino_t *inos;
	size_t n, alloc;
};

static bool seen_inode(struct size_walk *w, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->devs[i] == dev && w->inos[i] == ino)
			return true;
	if (w->n == w->alloc) {
		w->alloc = w->alloc ? 2 * w->alloc : 16;
		w->devs = xrealloc(w->devs, w->alloc * sizeof(*w->devs));
		w->inos = xrealloc(w->inos, w->alloc * sizeof(*w->inos));
	}
	w->devs[w->n] = dev;
	w->inos[w->n++] = ino;
	return false;
}

/* Sum of the sizes of everything but directories; a file with several
 * links counts once.  Depth is bounded by the fds a process may open. */
static int64_t dir_size_at(int fd0, struct size_walk *w, int depth)
{
	int64_t total = 0;
	DIR *d;
	struct dirent *de;

	if (depth > 256) {
		close(fd0);
		return 0;
	}
	d = fdopendir(fd0);
	if (!d) {
		close(fd0);
		return -1;
	}
	while ((de = readdir(d))) {
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0) {
				int64_t sub = dir_size_at(fd, w, depth + 1);
				if (sub > 0)
					total += sub;
			}
			continue;
		}
		if (st.st_nlink > 1 && seen_inode(w, st.st_dev, st.st_ino))
			continue;
		total += st.st_size;
	}
	closedir(d);
	return total;
}

int64_t volume_dir_size(const char *path)
{
	struct size_walk w = { 0 };
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int64_t r;

	if (fd < 0)
		return -1;
	r = dir_size_at(fd, &w, 0);
	free(w.devs);
	free(w.inos);
	return r;
}

int volume_prune(struct store *s, const struct robbe_paths *p, char *const *filters, bool all,
		 struct volume_prune_report *rep, robbe_error **err)
{
	static const char *const accepted[] = { "label", "label!", "all", NULL };
	__attribute__((cleanup(filters_release))) struct filters f = { NULL, 0 };
	cleanup_store_volume_list struct store_volume **vols = NULL;
	int lock = -1;

	memset(rep, 0, sizeof(*rep));
	filters_parse(&f, filters);
	if (all)
		filters_add(&f, "all", "true");
	struct filter *a = filters_get(&f, "all");
	bool everything = false;
	if (a) {
		size_t n = strv_len(a->values);
		if (n > 1) {
			cleanup_free char *vals = values_text(a->values);
			return invalid_filter(err, "invalid filter 'all=%s': only one value is expected", vals);
		}
		if (n == 1) {
			static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
			static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
			bool known = false;
			for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
				if (strcmp(a->values[0], yes[i]) == 0)
					known = everything = true;
				if (strcmp(a->values[0], no[i]) == 0)
					known = true;
			}
			if (!known)
				return invalid_filter(err,
						      "invalid filter 'all': strconv.ParseBool: parsing \"%s\": invalid syntax",
						      a->values[0]);
		}
	}
	if (!everything)
		filters_add(&f, "label", VOLUME_ANONYMOUS_LABEL);
	if (filters_validate(&f, accepted, err) < 0)
		return -1;

	if (volume_lock(p, true, &lock, err) < 0)
		return -1;
	if (store_volume_list(s, &vols, err) < 0) {
		close(lock);
		return -1;
	}
	const struct filter *labels = filters_get(&f, "label");
	const struct filter *not_labels = filters_get(&f, "label!");
	for (size_t i = 0; vols[i]; i++) {
		struct store_volume *v = vols[i];
		cleanup_cjson cJSON *l = volume_labels(v);
		robbe_error *e = NULL;
		int failed = 0;

		if (v->driver && strcmp(v->driver, VOLUME_DRIVER_LOCAL) != 0)
			continue;
		/* Docker leaves volumes with mount options alone: they hold no
		 * space of their own. */
		if (volume_has_options(v))
			continue;
		if (!match_kv_list(labels, l))
			continue;
		if (not_labels && match_kv_list(not_labels, l))
			continue;
		if (volume_in_use(s, v->name, &e, &failed) || failed) {
			robbe_error_free(e);
			continue;
		}
		int64_t size = volume_dir_size(v->mountpoint);
		if (remove_one(s, p, v->name, &e) < 0) {
			/* Taken by a container meanwhile, or gone: not ours. */
			robbe_error_free(e);
			continue;
		}
		strv_push(&rep->deleted, v->name);
		if (size > 0)
			rep->reclaimed += (uint64_t) size;
	}
	close(lock);
	return 0;
}
