/* test-volume.c: the volume engine over a real store in a temporary root:
 * create/get/list/remove/prune with Docker's words, in-use refusals, and
 * volume_prepare_mounts for a container over a fake root file system
 * (named, anonymous and image volumes, binds, tmpfs, --volumes-from,
 * copy-up with owners and modes, symlinks that try to leave the rootfs).
 * Copying owners needs root; without it those checks are skipped. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "src/volume.h"
#include "store/store.h"
#include "tap.h"

static char *tmp;
static struct robbe_paths paths;
static struct store *st;

static void bail(const char *what, robbe_error *e)
{
	printf("Bail out! %s: %s\n", what, e ? e->msg : "?");
	exit(1);
}

static void write_file(const char *path, const char *text, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t) strlen(text)) {
		printf("Bail out! write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

static char *read_text(const char *path)
{
	char *t = NULL;
	robbe_error *e = NULL;
	if (read_file_all(path, 1 << 20, &t, NULL, &e) < 0) {
		robbe_error_free(e);
		return NULL;
	}
	return t;
}

static char *err_msg(int r, robbe_error **e)
{
	char *m = r < 0 && *e ? xstrdup((*e)->msg) : NULL;
	robbe_error_free(*e);
	*e = NULL;
	return m;
}

static char *make_id(unsigned n)
{
	return xasprintf("%064x", n + 0xc0ffee);
}

/* A container row using the given volumes, with a config_json holding
 * Mounts and Robbe.AnonymousVolumes as container create stores them. */
static void add_container(const char *id, const char *name, char **volumes, const cJSON *mounts, char **anonymous)
{
	cleanup_cjson cJSON *cfg = cJSON_CreateObject();
	cleanup_free char *text = NULL;
	robbe_error *e = NULL;
	cJSON *r;

	cJSON_AddItemToObject(cfg, "Mounts", mounts ? cJSON_Duplicate(mounts, true) : cJSON_CreateArray());
	r = cJSON_AddObjectToObject(cfg, "Robbe");
	cJSON *a = cJSON_AddArrayToObject(r, "AnonymousVolumes");
	for (size_t i = 0; anonymous && anonymous[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(anonymous[i]));
	text = cJSON_PrintUnformatted(cfg);
	struct store_container c = {
		.id = (char *) id,
		.name = (char *) name,
		.config_json = text,
		.volumes = volumes,
	};
	if (store_container_add(st, &c, &e) < 0)
		bail("store_container_add", e);
}

static void check_commands(void)
{
	cleanup_store_volume struct store_volume *v = NULL;
	robbe_error *e = NULL;
	bool created = false;
	char *m;

	struct volume_create_opts o = { .name = "data1", .labels = (char *[]){ "b=2", "a=1", "a=3", "flag", NULL } };
	ok(volume_create(st, &paths, &o, &v, &created, &e) == 0 && created, "create a named volume");
	cleanup_free char *want_mp = xasprintf("%s/volumes/data1/_data", paths.root);
	is_str(v ? v->mountpoint : NULL, want_mp, "mountpoint <root>/volumes/<name>/_data");
	struct stat sb;
	ok(stat(want_mp, &sb) == 0 && S_ISDIR(sb.st_mode) && (sb.st_mode & 07777) == 0755, "_data made 0755");
	{
		cleanup_cjson cJSON *j = volume_inspect_json(v);
		const char *keys[] = { "CreatedAt", "Driver", "Labels", "Mountpoint", "Name", "Options", "Scope" };
		size_t i = 0;
		bool order = true;
		for (cJSON *c = j->child; c; c = c->next, i++)
			order = order && i < ARRAY_SIZE(keys) && strcmp(c->string, keys[i]) == 0;
		ok(order && i == ARRAY_SIZE(keys), "inspect keys in Docker's order");
		cleanup_free char *labels = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "Labels"));
		is_str(labels, "{\"a\":\"3\",\"b\":\"2\",\"flag\":\"\"}", "labels sorted, later keys win, bare key empty");
		cleanup_free char *opts = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "Options"));
		is_str(opts, "{}", "Options {} for volume create");
		is_str(cJSON_GetObjectItem(j, "Scope")->valuestring, "local", "scope local");
		const char *ca = cJSON_GetObjectItem(j, "CreatedAt")->valuestring;
		ok(strlen(ca) >= 20 && ca[10] == 'T', "CreatedAt RFC 3339 (%s)", ca);
	}
	store_volume_free(v);
	v = NULL;

	struct volume_create_opts again = { .name = "data1", .labels = (char *[]){ "other=1", NULL } };
	ok(volume_create(st, &paths, &again, &v, &created, &e) == 0 && !created, "creating it again returns it");
	{
		cleanup_cjson cJSON *l = volume_labels(v);
		ok(l && !cJSON_GetObjectItem(l, "other"), "and ignores the new labels");
	}
	store_volume_free(v);
	v = NULL;

	struct volume_create_opts anon = { 0 };
	ok(volume_create(st, &paths, &anon, &v, &created, &e) == 0 && created, "create without a name");
	ok(v && strlen(v->name) == 64 && strspn(v->name, "0123456789abcdef") == 64, "a 64-hex name");
	ok(v && v->anonymous, "marked anonymous");
	{
		cleanup_cjson cJSON *l = volume_labels(v);
		const cJSON *a = cJSON_GetObjectItem(l, VOLUME_ANONYMOUS_LABEL);
		ok(cJSON_IsString(a) && !a->valuestring[0], "labelled com.docker.volume.anonymous");
	}
	store_volume_free(v);
	v = NULL;

	struct volume_create_opts implicit = { .name = "implicit", .labels_null = true, .options_null = true };
	ok(volume_create(st, &paths, &implicit, &v, NULL, &e) == 0, "create as a container's -v would");
	{
		cleanup_cjson cJSON *j = volume_inspect_json(v);
		ok(cJSON_IsNull(cJSON_GetObjectItem(j, "Labels")) && cJSON_IsNull(cJSON_GetObjectItem(j, "Options")),
		   "Labels and Options null");
	}
	store_volume_free(v);
	v = NULL;

	struct {
		struct volume_create_opts o;
		const char *want;
	} bad[] = {
		{ { .name = "a/b" },
		  "create a/b: \"a/b\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path" },
		{ { .name = "x" }, "create x: volume name is too short, names should be at least two alphanumeric characters" },
		{ { .name = "o1", .options = (char *[]){ "foo=bar", NULL } }, "create o1: invalid option: \"foo\"" },
		{ { .name = "o2", .options = (char *[]){ "type=tmpfs", NULL } }, "create o2: missing required option: \"device\"" },
		{ { .name = "o3", .options = (char *[]){ "o=size=1m", NULL } }, "create o3: missing required option: \"device\"" },
		{ { .name = "o4", .options = (char *[]){ "size=1g", NULL } }, "create o4: quota size requested but no quota support" },
		{ { .name = "o5", .driver = "nfsplugin" }, "create o5: error looking up volume plugin nfsplugin: plugin \"nfsplugin\" not found" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		m = err_msg(volume_create(st, &paths, &bad[i].o, NULL, NULL, &e), &e);
		is_str(m, bad[i].want, "create refused: %s", bad[i].o.name);
		free(m);
	}

	m = err_msg(volume_get(st, "nope", &v, &e), &e);
	is_str(m, "get nope: no such volume", "get a missing volume");
	free(m);
	m = err_msg(volume_remove(st, &paths, "nope", false, &e), &e);
	is_str(m, "get nope: no such volume", "rm a missing volume");
	free(m);
	ok(volume_remove(st, &paths, "nope", true, &e) == 0, "rm -f of a missing volume succeeds");

	struct volume_create_opts tv = { .name = "tmpvol", .options = (char *[]){ "type=tmpfs", "device=tmpfs", "o=size=1m,uid=1000", NULL } };
	ok(volume_create(st, &paths, &tv, NULL, NULL, &e) == 0, "a tmpfs volume");
}

static void check_in_use(void)
{
	cleanup_free char *id = make_id(1);
	cleanup_store_volume_list struct store_volume **list = NULL;
	robbe_error *e = NULL;
	char *m;

	struct volume_create_opts o = { .name = "busy" };
	ok(volume_create(st, &paths, &o, NULL, NULL, &e) == 0, "create busy");
	add_container(id, "user1", (char *[]){ "busy", NULL }, NULL, NULL);
	m = err_msg(volume_remove(st, &paths, "busy", false, &e), &e);
	cleanup_free char *want = xasprintf("remove busy: volume is in use - [%s]", id);
	is_str(m, want, "rm of a volume in use is refused");
	free(m);
	m = err_msg(volume_remove(st, &paths, "busy", true, &e), &e);
	is_str(m, want, "also with force");
	free(m);

	ok(volume_list(st, (char *[]){ "dangling=true", NULL }, &list, &e) == 0, "list dangling");
	bool has_busy = false, has_data1 = false;
	for (size_t i = 0; list && list[i]; i++) {
		has_busy = has_busy || strcmp(list[i]->name, "busy") == 0;
		has_data1 = has_data1 || strcmp(list[i]->name, "data1") == 0;
	}
	ok(!has_busy && has_data1, "dangling=true leaves out the used volume");
	store_volume_list_free(list);
	list = NULL;
	ok(volume_list(st, (char *[]){ "dangling=0", NULL }, &list, &e) == 0 && list[0] && !list[1] &&
		   strcmp(list[0]->name, "busy") == 0,
	   "dangling=0 is only the used one");
	store_volume_list_free(list);
	list = NULL;

	struct volume_prune_report rep;
	ok(volume_prune(st, &paths, NULL, true, &rep, &e) == 0, "prune -a");
	ok(!strv_contains(rep.deleted, "busy"), "prune never takes a volume in use");
	ok(strv_contains(rep.deleted, "data1") && strv_contains(rep.deleted, "implicit"), "but takes unused named ones with -a");
	ok(!strv_contains(rep.deleted, "tmpvol"), "and leaves volumes with mount options");
	volume_prune_report_release(&rep);

	ok(store_container_remove(st, id, &e) == 0, "remove the container");
	ok(volume_remove(st, &paths, "busy", false, &e) == 0, "now rm works");
	cleanup_free char *dir = xasprintf("%s/volumes/busy", paths.root);
	struct stat sb;
	ok(stat(dir, &sb) < 0 && errno == ENOENT, "its directory is gone");
}

static void check_filters(void)
{
	cleanup_store_volume_list struct store_volume **list = NULL;
	robbe_error *e = NULL;
	char *m;
	const char *names[] = { "web1", "web2", "db", NULL };

	for (size_t i = 0; names[i]; i++) {
		struct volume_create_opts o = { .name = names[i],
						.labels = i == 2 ? (char *[]){ "tier=db", "x=1", NULL } : (char *[]){ "tier=web", NULL } };
		if (volume_create(st, &paths, &o, NULL, NULL, &e) < 0)
			bail("create", e);
	}
	struct {
		char *filters[4];
		const char *want;
	} cases[] = {
		{ { "name=web", NULL }, "web1 web2" },
		{ { "name=^db$", NULL }, "db" },
		{ { "name=web1", "name=db", NULL }, "db web1" },
		{ { "label=tier=web", NULL }, "web1 web2" },
		{ { "label=tier", "label=x=1", NULL }, "db" },
		{ { "label=tier", "label=x=2", NULL }, "" },
		{ { "driver=local", "name=web2", NULL }, "web2" },
		{ { "driver=other", NULL }, "" },
		{ { " NAME = db ", NULL }, "db" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sbuf sb = SBUF_INIT;
		ok(volume_list(st, cases[i].filters, &list, &e) == 0, "list with filter %zu", i);
		for (size_t j = 0; list && list[j]; j++) {
			if (strcmp(list[j]->name, "tmpvol") == 0 || strlen(list[j]->name) == 64)
				continue;
			if (sb.len)
				sbuf_addc(&sb, ' ');
			sbuf_adds(&sb, list[j]->name);
		}
		is_str(sbuf_str(&sb), cases[i].want, "filter %s%s%s", cases[i].filters[0],
		       cases[i].filters[1] ? " " : "", cases[i].filters[1] ? cases[i].filters[1] : "");
		sbuf_release(&sb);
		store_volume_list_free(list);
		list = NULL;
	}
	m = err_msg(volume_list(st, (char *[]){ "foo=bar", NULL }, &list, &e), &e);
	is_str(m, "invalid filter 'foo'", "unknown filter");
	free(m);
	m = err_msg(volume_list(st, (char *[]){ "dangling=maybe", NULL }, &list, &e), &e);
	is_str(m, "invalid filter 'dangling=[maybe]'", "bad dangling value");
	free(m);
	m = err_msg(volume_list(st, (char *[]){ "dangling=true", "dangling=false", NULL }, &list, &e), &e);
	is_str(m, "invalid filter 'dangling=[false true]'", "conflicting dangling values");
	free(m);

	struct volume_prune_report rep;
	m = err_msg(volume_prune(st, &paths, (char *[]){ "until=1h", NULL }, false, &rep, &e), &e);
	is_str(m, "invalid filter 'until'", "prune refuses until");
	free(m);
	m = err_msg(volume_prune(st, &paths, (char *[]){ "all=maybe", NULL }, false, &rep, &e), &e);
	is_str(m, "invalid filter 'all': strconv.ParseBool: parsing \"maybe\": invalid syntax", "prune all=maybe");
	free(m);
	ok(volume_prune(st, &paths, (char *[]){ "label!=tier=db", "all=1", NULL }, false, &rep, &e) == 0, "prune label!=");
	ok(strv_contains(rep.deleted, "web1") && strv_contains(rep.deleted, "web2") && !strv_contains(rep.deleted, "db"),
	   "label! keeps matching volumes");
	volume_prune_report_release(&rep);
	struct volume_create_opts anon = { 0 };
	cleanup_store_volume struct store_volume *a = NULL;
	if (volume_create(st, &paths, &anon, &a, NULL, &e) < 0)
		bail("create", e);
	cleanup_free char *f = xasprintf("%s/twelve", a->mountpoint);
	write_file(f, "hello world\n", 0644);
	ok(volume_prune(st, &paths, NULL, false, &rep, &e) == 0, "prune without -a");
	ok(strv_contains(rep.deleted, a->name) && !strv_contains(rep.deleted, "db"), "takes only anonymous volumes");
	is_int((long long) rep.reclaimed, 12, "and counts their bytes");
	volume_prune_report_release(&rep);
}

/* A root file system with content at the paths volumes will cover. */
static char *make_rootfs(void)
{
	char *r = xasprintf("%s/rootfs", tmp);
	robbe_error *e = NULL;
	cleanup_free char *data = xasprintf("%s/data/sub", r);
	cleanup_free char *etc = xasprintf("%s/etc", r);
	cleanup_free char *cache = xasprintf("%s/var/cache", r);
	cleanup_free char *secret = xasprintf("%s/secret", tmp);

	if (mkdir_p(data, 0755, &e) < 0 || mkdir_p(etc, 0755, &e) < 0 || mkdir_p(cache, 0755, &e) < 0 ||
	    mkdir_p(secret, 0700, &e) < 0)
		bail("mkdir", e);
	cleanup_free char *f1 = xasprintf("%s/data/hello.txt", r);
	cleanup_free char *f2 = xasprintf("%s/data/sub/deep.txt", r);
	cleanup_free char *f3 = xasprintf("%s/etc/passwd", r);
	cleanup_free char *f4 = xasprintf("%s/var/cache/c.txt", r);
	cleanup_free char *f5 = xasprintf("%s/secret/host.txt", tmp);
	cleanup_free char *f6 = xasprintf("%s/etc/conf", r);
	write_file(f1, "hello from the image\n", 0640);
	write_file(f2, "deep\n", 0600);
	write_file(f3, "root:x:0:0::/root:/bin/sh\n", 0644);
	write_file(f4, "cached\n", 0644);
	write_file(f5, "host secret\n", 0600);
	write_file(f6, "image conf\n", 0644);
	cleanup_free char *hl = xasprintf("%s/data/hard.txt", r);
	cleanup_free char *sl = xasprintf("%s/data/link", r);
	cleanup_free char *data_dir = xasprintf("%s/data", r);
	if (link(f1, hl) < 0 || symlink("hello.txt", sl) < 0)
		bail("link", NULL);
	/* Links that point out of the rootfs: resolved inside it. */
	cleanup_free char *evil = xasprintf("%s/evil", r);
	cleanup_free char *evil2 = xasprintf("%s/evil2", r);
	cleanup_free char *target = xasprintf("%s/secret", tmp);
	if (symlink("/etc", evil) < 0 || symlink("../../../../../../../../etc", evil2) < 0)
		bail("symlink", NULL);
	(void) target;
	if (getuid() == 0) {
		if (chown(data_dir, 1234, 4321) < 0 || chown(f1, 1234, 4321) < 0)
			bail("chown", NULL);
	}
	if (chmod(data_dir, 0750) < 0)
		bail("chmod", NULL);
	return r;
}

static const cJSON *mount_at(const cJSON *mounts, const char *dest)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, mounts) {
		const cJSON *d = cJSON_GetObjectItem(m, "Destination");
		if (cJSON_IsString(d) && strcmp(d->valuestring, dest) == 0)
			return m;
	}
	return NULL;
}

static const struct spec_mount *spec_at(const struct volume_mounts *vm, const char *dest)
{
	for (size_t i = 0; i < vm->n_mounts; i++)
		if (strcmp(vm->mounts[i].destination, dest) == 0)
			return &vm->mounts[i];
	return NULL;
}

static const char *mstr(const cJSON *m, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(m, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool has_opt(const struct spec_mount *m, const char *o)
{
	return m && strv_contains(m->options, o);
}

static void check_prepare(void)
{
	cleanup_free char *rootfs = make_rootfs();
	cleanup_free char *hostdir = xasprintf("%s/host/not/yet", tmp);
	cleanup_free char *vflag = xasprintf("%s:/mnt/host:ro", hostdir);
	cleanup_cjson cJSON *img = cJSON_Parse("{\"Volumes\":{\"/data\":{},\"/var/cache\":{},\"/evil\":{}}}");
	struct volume_mounts vm;
	robbe_error *e = NULL;
	char *m;

	struct volume_mount_request req = {
		.container_id = "c1",
		.image_config = img,
		.volumes = (char *[]){ "named:/data", vflag, "/anon", "/anon", NULL },
		.mounts = (char *[]){ "type=tmpfs,dst=/scratch,tmpfs-size=1m,tmpfs-mode=1770",
				      "type=volume,src=vol2,dst=/v2,volume-label=k=v,volume-nocopy", NULL },
		.tmpfs = (char *[]){ "/run:size=1m", NULL },
		.rootfs = rootfs,
	};
	if (volume_prepare_mounts(st, &paths, &req, &vm, &e) < 0)
		bail("volume_prepare_mounts", e);
	ok(vm.lock_fd >= 0, "holds the volume lock");

	/* named:/data */
	const cJSON *d = mount_at(vm.docker_mounts, "/data");
	is_str(mstr(d, "Type"), "volume", "/data is a volume");
	is_str(mstr(d, "Name"), "named", "named after -v");
	is_str(mstr(d, "Mode"), "z", "Mode z for a named volume");
	is_str(mstr(d, "Driver"), "local", "driver local");
	is_str(mstr(d, "Propagation"), "", "no propagation");
	ok(cJSON_IsTrue(cJSON_GetObjectItem(d, "RW")), "read-write");
	cleanup_free char *named_data = xasprintf("%s/volumes/named/_data", paths.root);
	is_str(mstr(d, "Source"), named_data, "Source is _data");
	const struct spec_mount *sd = spec_at(&vm, "/data");
	ok(sd && strcmp(sd->type, "bind") == 0 && strcmp(sd->source, named_data) == 0 && has_opt(sd, "rbind"),
	   "the runtime binds _data recursively");
	/* copy-up */
	cleanup_free char *copied = xasprintf("%s/hello.txt", named_data);
	cleanup_free char *deep = xasprintf("%s/sub/deep.txt", named_data);
	cleanup_free char *text = read_text(copied);
	is_str(text, "hello from the image\n", "image content copied into the empty volume");
	cleanup_free char *dtext = read_text(deep);
	is_str(dtext, "deep\n", "recursively");
	struct stat s1, s2;
	cleanup_free char *hard = xasprintf("%s/hard.txt", named_data);
	ok(stat(copied, &s1) == 0 && stat(hard, &s2) == 0 && s1.st_ino == s2.st_ino, "hard links stay links");
	cleanup_free char *lnk = xasprintf("%s/link", named_data);
	char buf[64] = "";
	ok(readlink(lnk, buf, sizeof(buf) - 1) > 0 && strcmp(buf, "hello.txt") == 0, "symlinks copied as links");
	ok(stat(copied, &s1) == 0 && (s1.st_mode & 07777) == 0640, "file mode kept");
	ok(stat(named_data, &s1) == 0 && (s1.st_mode & 07777) == 0750, "_data takes the mode of the image directory");
	if (getuid() == 0)
		ok(s1.st_uid == 1234 && s1.st_gid == 4321, "and its owner");
	else
		ok(1, "# SKIP owners need root");

	/* the bind */
	const cJSON *b = mount_at(vm.docker_mounts, "/mnt/host");
	is_str(mstr(b, "Type"), "bind", "-v /host:/ctr is a bind");
	is_str(mstr(b, "Source"), hostdir, "source as given");
	is_str(mstr(b, "Mode"), "ro", "Mode as typed");
	is_str(mstr(b, "Propagation"), "rprivate", "default propagation rprivate");
	ok(cJSON_IsFalse(cJSON_GetObjectItem(b, "RW")), "read-only");
	ok(stat(hostdir, &s1) == 0 && S_ISDIR(s1.st_mode), "missing host directory created");
	const struct spec_mount *sb = spec_at(&vm, "/mnt/host");
	ok(sb && has_opt(sb, "rbind") && (has_opt(sb, "rro") || has_opt(sb, "ro")), "runtime options rbind + ro");

	/* tmpfs */
	const struct spec_mount *st_ = spec_at(&vm, "/scratch");
	ok(st_ && strcmp(st_->type, "tmpfs") == 0 && has_opt(st_, "size=1m") && has_opt(st_, "mode=1770"),
	   "--mount tmpfs with size and mode");
	is_str(mstr(mount_at(vm.docker_mounts, "/scratch"), "Type"), "tmpfs", "tmpfs entry");

	/* --mount volume with a label, nocopy */
	cleanup_store_volume struct store_volume *v2 = NULL;
	ok(volume_get(st, "vol2", &v2, &e) == 0, "--mount type=volume created vol2");
	{
		cleanup_cjson cJSON *l = volume_labels(v2);
		const cJSON *k = cJSON_GetObjectItem(l, "k");
		ok(cJSON_IsString(k) && strcmp(k->valuestring, "v") == 0, "with its volume-label");
	}

	/* anonymous: -v /anon (twice: once) and the image's /var/cache; the
	 * image's /data is covered by named:/data. */
	const cJSON *an = mount_at(vm.docker_mounts, "/anon");
	const cJSON *vc = mount_at(vm.docker_mounts, "/var/cache");
	ok(an && vc, "anonymous volumes for -v /anon and VOLUME /var/cache");
	ok(an && strlen(mstr(an, "Name")) == 64, "a 64-hex name");
	is_str(mstr(an, "Mode"), "", "Mode empty for anonymous volumes");
	is_int((long long) strv_len(vm.anonymous), 3, "three anonymous volumes (/anon, /var/cache, /evil)");
	ok(vm.anonymous && strv_contains(vm.volumes, vm.anonymous[0]), "anonymous ones are among the used");
	ok(strv_contains(vm.volumes, "named") && strv_contains(vm.volumes, "vol2"), "named ones too");
	is_int((long long) strv_len(vm.volumes), 5, "five volumes in all");
	cleanup_free char *cache_copy = xasprintf("%s/c.txt", mstr(vc, "Source"));
	cleanup_free char *ctext = read_text(cache_copy);
	is_str(ctext, "cached\n", "the image's VOLUME content copied too");
	const cJSON *ev = mount_at(vm.docker_mounts, "/evil");
	cleanup_free char *evil_conf = xasprintf("%s/conf", mstr(ev, "Source"));
	cleanup_free char *etext = read_text(evil_conf);
	is_str(etext, "image conf\n", "a symlink to /etc copies the rootfs's /etc, not the host's");
	ok(!mount_at(vm.docker_mounts, "/run"), "--tmpfs paths are left alone");

	/* Config.Volumes, Binds, HostConfig.Mounts */
	ok(cJSON_GetObjectItem(vm.config_volumes, "/anon") && cJSON_GetObjectItem(vm.config_volumes, "/data") &&
		   cJSON_GetObjectItem(vm.config_volumes, "/var/cache"),
	   "Config.Volumes has -v /anon and the image's");
	ok(cJSON_GetArraySize(vm.binds) == 2, "two Binds");
	ok(cJSON_GetArraySize(vm.host_mounts) == 2, "two HostConfig.Mounts");

	/* the container is stored; a second one takes its volumes over */
	cleanup_free char *id = make_id(2);
	add_container(id, "first", vm.volumes, vm.docker_mounts, vm.anonymous);
	cleanup_strv char **first_anon = strv_dup(vm.anonymous);
	volume_mounts_release(&vm);

	struct volume_mount_request req2 = {
		.container_id = "c2",
		.volumes_from = (char *[]){ "first:ro", NULL },
		.volumes = (char *[]){ "named:/data:nocopy", NULL },
		.rootfs = rootfs,
	};
	if (volume_prepare_mounts(st, &paths, &req2, &vm, &e) < 0)
		bail("volume_prepare_mounts 2", e);
	const cJSON *fa = mount_at(vm.docker_mounts, "/anon");
	ok(fa && cJSON_IsFalse(cJSON_GetObjectItem(fa, "RW")), "--volumes-from :ro makes them read-only");
	is_str(mstr(fa, "Name"), first_anon[0], "the same anonymous volume");
	const cJSON *fd = mount_at(vm.docker_mounts, "/data");
	ok(fd && cJSON_IsTrue(cJSON_GetObjectItem(fd, "RW")), "a -v at the same destination replaces it");
	is_int((long long) strv_len(vm.anonymous), 3, "it holds the first's anonymous volumes too");
	ok(!vm.created, "nothing new created");
	volume_mounts_release(&vm);

	/* in use: rm refuses, rm -v of the container frees them */
	m = err_msg(volume_remove(st, &paths, "named", false, &e), &e);
	ok(m && str_has_prefix(m, "remove named: volume is in use - ["), "named is in use by the container");
	free(m);
	ok(store_container_remove(st, id, &e) == 0, "remove the container");
	ok(volume_remove_anonymous(st, &paths, first_anon, &e) == 0, "rm -v");
	bool gone = true;
	for (size_t i = 0; first_anon[i]; i++) {
		bool exists = true;
		volume_exists(st, first_anon[i], &exists, &e);
		gone = gone && !exists;
	}
	ok(gone, "its anonymous volumes are deleted");
	bool named_left = false;
	volume_exists(st, "named", &named_left, &e);
	ok(named_left, "named volumes stay");

	/* A volume with data keeps it. */
	cleanup_free char *mine = xasprintf("%s/mine.txt", named_data);
	write_file(mine, "mine\n", 0644);
	if (unlink(copied) < 0)
		bail("unlink", NULL);
	struct volume_mount_request req3 = { .volumes = (char *[]){ "named:/data", NULL }, .rootfs = rootfs };
	if (volume_prepare_mounts(st, &paths, &req3, &vm, &e) < 0)
		bail("volume_prepare_mounts 3", e);
	ok(access(copied, F_OK) < 0, "no copy into a volume that has data");
	volume_mounts_release(&vm);

	/* nocopy into an empty volume */
	struct volume_mount_request req4 = { .volumes = (char *[]){ "fresh:/data:nocopy", NULL }, .rootfs = rootfs };
	if (volume_prepare_mounts(st, &paths, &req4, &vm, &e) < 0)
		bail("volume_prepare_mounts 4", e);
	cleanup_free char *fresh = xasprintf("%s/volumes/fresh/_data/hello.txt", paths.root);
	ok(access(fresh, F_OK) < 0, "nocopy copies nothing");
	volume_mounts_release(&vm);

	/* option volumes go to the runtime as they are */
	struct volume_mount_request req5 = { .volumes = (char *[]){ "tmpvol:/t:ro", NULL }, .rootfs = rootfs };
	if (volume_prepare_mounts(st, &paths, &req5, &vm, &e) < 0)
		bail("volume_prepare_mounts 5", e);
	const struct spec_mount *tm = spec_at(&vm, "/t");
	ok(tm && strcmp(tm->type, "tmpfs") == 0 && strcmp(tm->source, "tmpfs") == 0 && has_opt(tm, "size=1m") &&
		   has_opt(tm, "uid=1000") && has_opt(tm, "exec") && has_opt(tm, "ro"),
	   "a tmpfs volume is a tmpfs mount with its o= options");
	volume_mounts_release(&vm);

	/* volume-subpath stays inside the volume, links included */
	{
		struct volume_create_opts so = { .name = "subv" };
		cleanup_store_volume struct store_volume *sv = NULL;
		if (volume_create(st, &paths, &so, &sv, NULL, &e) < 0)
			bail("create subv", e);
		cleanup_free char *real = xasprintf("%s/real", sv->mountpoint);
		cleanup_free char *inner_etc = xasprintf("%s/etc", sv->mountpoint);
		cleanup_free char *esc = xasprintf("%s/esc", sv->mountpoint);
		if (mkdir(real, 0755) < 0 || mkdir(inner_etc, 0755) < 0 || symlink("/etc", esc) < 0)
			bail("subv content", NULL);
		struct volume_mount_request rs = { .mounts = (char *[]){ "src=subv,dst=/s1,volume-subpath=real",
									 "src=subv,dst=/s2,volume-subpath=esc", NULL } };
		if (volume_prepare_mounts(st, &paths, &rs, &vm, &e) < 0)
			bail("prepare subpath", e);
		const struct spec_mount *sp1 = spec_at(&vm, "/s1"), *sp2 = spec_at(&vm, "/s2");
		is_str(sp1 ? sp1->source : NULL, real, "a subpath binds that directory");
		is_str(sp2 ? sp2->source : NULL, inner_etc, "a link to /etc means the volume's own etc");
		volume_mounts_release(&vm);
		struct volume_mount_request rs2 = { .mounts = (char *[]){ "src=subv,dst=/s3,volume-subpath=nothere", NULL } };
		m = err_msg(volume_prepare_mounts(st, &paths, &rs2, &vm, &e), &e);
		cleanup_free char *want = xasprintf("cannot access path %s/nothere: No such file or directory", sv->mountpoint);
		is_str(m, want, "a missing subpath is refused");
		free(m);
	}

	/* errors, and nothing left behind */
	cleanup_store_volume_list struct store_volume **before = NULL, **after = NULL;
	store_volume_list(st, &before, &e);
	struct {
		struct volume_mount_request r;
		const char *want;
	} bad[] = {
		{ { .volumes = (char *[]){ "/a1", "aa:/x", "bb:/x", NULL } }, "Duplicate mount point: /x" },
		{ { .volumes = (char *[]){ "/a2", "aa:/y/", NULL }, .mounts = (char *[]){ "type=volume,dst=/y", NULL } },
		  "Duplicate mount point: /y" },
		{ { .volumes = (char *[]){ "/a3", "aa:/z", NULL }, .tmpfs = (char *[]){ "/z", NULL } }, "Duplicate mount point: /z" },
		{ { .mounts = (char *[]){ "type=bind,src=/nonexistent-robbe-q,dst=/b", NULL } },
		  "invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-robbe-q" },
		{ { .volumes = (char *[]){ "a:/b:bogus", NULL } }, "invalid mode: bogus" },
		{ { .volumes = (char *[]){ "/foo:rw", NULL } }, "invalid volume specification: '/foo:rw'" },
		{ { .volumes = (char *[]){ "bad/name:/x", NULL } },
		  "create bad/name: \"bad/name\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path" },
		{ { .volumes_from = (char *[]){ "ghost", NULL } }, "No such container: ghost" },
		{ { .volumes_from = (char *[]){ "ghost:shared", NULL } }, "invalid mode: shared" },
		{ { .volumes = (char *[]){ "/etc/passwd", NULL }, .rootfs = rootfs },
		  NULL /* checked below: the host path differs */ },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		m = err_msg(volume_prepare_mounts(st, &paths, &bad[i].r, &vm, &e), &e);
		if (bad[i].want) {
			is_str(m, bad[i].want, "prepare refused (%zu)", i);
		} else {
			cleanup_free char *want = xasprintf("cannot mount volume over existing file, file exists %s/etc/passwd",
							    rootfs);
			is_str(m, want, "a VOLUME over a file is refused");
		}
		free(m);
	}
	store_volume_list(st, &after, &e);
	is_int((long long) strv_len((char **) after), (long long) strv_len((char **) before) + 1,
	       "failed attempts leave no anonymous volume behind (only the named \"aa\")");

	/* rollback deletes what a failed create made */
	struct volume_mount_request req6 = { .volumes = (char *[]){ "/r1", "keepme:/k", NULL } };
	if (volume_prepare_mounts(st, &paths, &req6, &vm, &e) < 0)
		bail("volume_prepare_mounts 6", e);
	cleanup_free char *r1 = xstrdup(vm.anonymous[0]);
	volume_mounts_rollback(st, &paths, &vm);
	volume_mounts_release(&vm);
	bool r1_left = true, keep_left = false;
	volume_exists(st, r1, &r1_left, &e);
	volume_exists(st, "keepme", &keep_left, &e);
	ok(!r1_left && keep_left, "rollback deletes the anonymous volume it made, keeps the named one");
}

int main(void)
{
	robbe_error *e = NULL;
	char tmpl[] = "/tmp/robbe-test-volume-XXXXXX";

	if (!mkdtemp(tmpl)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	tmp = tmpl;
	cleanup_free char *root = xasprintf("%s/root", tmp);
	cleanup_free char *run = xasprintf("%s/run", tmp);
	if (paths_init(&paths, root, run, &e) < 0)
		bail("paths_init", e);
	if (store_open(&paths, &st, &e) < 0)
		bail("store_open", e);

	check_commands();
	check_in_use();
	check_filters();
	check_prepare();

	store_close(st);
	paths_release(&paths);
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		rm_rf_at(fd, tmpl + 5, &e);
		close(fd);
	}
	return tap_done();
}
