/* test-spec.c: the OCI spec generator (src/spec*.c, src/units.c).
 *
 *   test-spec                      run the unit tests (TAP)
 *   test-spec bundle DIR [opts] -- CMD...
 *                                  write DIR/config.json for DIR/rootfs; used by
 *                                  test-spec-runc.sh to run real runc on it
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <seccomp.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "spec-internal.h"
#include "tap.h"
#include "units.h"

static char *tmp;		/* scratch directory */
static char *rootfs;		/* a root with etc/passwd and etc/group */

/* ---------------------------------------------------------------------- */
/* Helpers */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

static void mkdirs(const char *path)
{
	robbe_error *e = NULL;
	if (mkdir_p(path, 0755, &e) < 0) {
		fprintf(stderr, "%s\n", e->msg);
		abort();
	}
}

static char *path_in(const char *dir, const char *rel)
{
	return xasprintf("%s/%s", dir, rel);
}

static const char passwd_text[] =
	"# comment line\n"
	"root:x:0:0:root:/root:/bin/sh\n"
	"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
	"  \n"
	"alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
	"bob:x:1001:1001::/home/bob:/bin/sh\n"
	"nohome:x:1002:1002::::\n"
	"broken:x:notanumber:1:::\n";

static const char group_text[] =
	"root:x:0:\n"
	"wheel:x:10:alice,bob\n"
	"audio:x:29:\n"
	"staff:x:50:alice\n"
	"alice:x:1000:\n"
	"bob:x:1001:\n"
	"ops:x:4000:root\n";

/* A root filesystem directory with account files. */
static char *make_root(const char *name, bool accounts)
{
	char *dir = path_in(tmp, name);
	cleanup_free char *etc = path_in(dir, "etc");
	mkdirs(etc);
	if (accounts) {
		cleanup_free char *p = path_in(etc, "passwd");
		cleanup_free char *g = path_in(etc, "group");
		write_file(p, passwd_text);
		write_file(g, group_text);
	}
	return dir;
}

static struct spec_request base_req(void)
{
	static char *cmd[] = { "/bin/true", NULL };
	struct spec_request r = { 0 };
	r.rootfs = rootfs;
	r.cmd = cmd;
	r.container_id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	return r;
}

static char *last_error;

/* spec_generate, then print and parse again so that raw numbers read back
 * as numbers; NULL on failure with last_error set. */
static cJSON *gen(const struct spec_request *req)
{
	robbe_error *e = NULL;
	cJSON *cfg = NULL;
	char **warnings = NULL;

	free(last_error);
	last_error = NULL;
	if (spec_generate(req, &cfg, &warnings, &e) < 0) {
		last_error = xstrdup(e->msg);
		robbe_error_free(e);
		return NULL;
	}
	strv_free(warnings);
	char *text = cJSON_PrintUnformatted(cfg);
	cJSON_Delete(cfg);
	cJSON *back = cJSON_Parse(text);
	free(text);
	return back;
}

static const char *err_of(const struct spec_request *req)
{
	cJSON *c = gen(req);
	cJSON_Delete(c);
	return c ? "(no error)" : last_error;
}

static const cJSON *at(const cJSON *j, const char *path)
{
	cleanup_free char *copy = xstrdup(path);
	char *save = NULL;
	for (char *k = strtok_r(copy, ".", &save); k && j; k = strtok_r(NULL, ".", &save))
		j = cJSON_GetObjectItemCaseSensitive(j, k);
	return j;
}

static const char *str_at(const cJSON *j, const char *path)
{
	const cJSON *v = at(j, path);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_at(const cJSON *j, const char *path)
{
	const cJSON *v = at(j, path);
	return cJSON_IsNumber(v) ? v->valuedouble : -12345;
}

/* A string array as "a,b,c" (or "(none)"). */
static char *joined(const cJSON *arr)
{
	struct sbuf sb = SBUF_INIT;
	const cJSON *it;
	if (!cJSON_IsArray(arr))
		return xstrdup("(none)");
	cJSON_ArrayForEach(it, arr) {
		if (sb.len)
			sbuf_addc(&sb, ',');
		if (cJSON_IsString(it))
			sbuf_adds(&sb, it->valuestring);
		else if (cJSON_IsNumber(it))
			sbuf_addf(&sb, "%.0f", it->valuedouble);
	}
	return sbuf_detach(&sb);
}

static bool arr_has(const cJSON *arr, const char *s)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return true;
	return false;
}

static const cJSON *mount_at(const cJSON *cfg, const char *dest)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, at(cfg, "mounts"))
		if (strcmp(str_at(m, "destination"), dest) == 0)
			return m;
	return NULL;
}

static char *mount_opts(const cJSON *cfg, const char *dest)
{
	const cJSON *m = mount_at(cfg, dest);
	return m ? joined(at(m, "options")) : xstrdup("(no mount)");
}

static const char *env_get(const cJSON *cfg, const char *key)
{
	const cJSON *it;
	size_t n = strlen(key);
	cJSON_ArrayForEach(it, at(cfg, "process.env"))
		if (strncmp(it->valuestring, key, n) == 0 && it->valuestring[n] == '=')
			return it->valuestring + n + 1;
	return NULL;
}

static bool has_namespace(const cJSON *cfg, const char *type, const char **path)
{
	const cJSON *ns;
	cJSON_ArrayForEach(ns, at(cfg, "linux.namespaces")) {
		if (strcmp(str_at(ns, "type"), type) == 0) {
			if (path)
				*path = str_at(ns, "path");
			return true;
		}
	}
	return false;
}

/* Is name allowed (SCMP_ACT_ALLOW, no argument filter) by a rendered filter? */
static bool seccomp_allows(const cJSON *sc, const char *name, bool unconditional)
{
	const cJSON *rule;
	cJSON_ArrayForEach(rule, at(sc, "syscalls")) {
		if (strcmp(str_at(rule, "action"), "SCMP_ACT_ALLOW") != 0)
			continue;
		if (unconditional && at(rule, "args"))
			continue;
		if (arr_has(at(rule, "names"), name))
			return true;
	}
	return false;
}

static const cJSON *rlimit_of(const cJSON *cfg, const char *type)
{
	const cJSON *rl;
	cJSON_ArrayForEach(rl, at(cfg, "process.rlimits"))
		if (strcmp(str_at(rl, "type"), type) == 0)
			return rl;
	return NULL;
}

/* ---------------------------------------------------------------------- */

static void test_command(void)
{
	cJSON *img = cJSON_Parse("{\"Entrypoint\":[\"/ep\",\"-x\"],\"Cmd\":[\"def\"]}");
	cJSON *img_cmd = cJSON_Parse("{\"Cmd\":[\"sh\",\"-c\",\"echo\"]}");
	cJSON *img_none = cJSON_Parse("{\"Env\":[\"A=1\"]}");
	cJSON *img_empty_ep = cJSON_Parse("{\"Entrypoint\":[\"\"],\"Cmd\":[\"c\"]}");
	char *c_ls[] = { "ls", "-l", NULL };
	char *ep_x[] = { "/x", NULL };
	char *ep_empty_str[] = { "", NULL };
	char *none[] = { NULL };
	const struct {
		const cJSON *img;
		char **ep;
		bool ep_set;
		char **cmd;
		const char *want;	/* argv joined by ',', or an error */
	} cases[] = {
		{ img, NULL, false, NULL, "/ep,-x,def" },	/* image entrypoint + image Cmd */
		{ img, NULL, false, c_ls, "/ep,-x,ls,-l" },	/* the command replaces Cmd only */
		{ img, ep_x, true, NULL, "/x" },		/* --entrypoint drops the image Cmd */
		{ img, ep_x, true, c_ls, "/x,ls,-l" },
		{ img, none, true, c_ls, "ls,-l" },		/* --entrypoint "" (empty vector) */
		{ img, ep_empty_str, true, c_ls, "ls,-l" },	/* --entrypoint "" as [""] */
		{ img, ep_empty_str, true, NULL, "error:no command specified" },
		{ img_cmd, NULL, false, NULL, "sh,-c,echo" },
		{ img_cmd, NULL, false, c_ls, "ls,-l" },
		{ img_cmd, ep_x, true, NULL, "/x" },
		{ img_none, NULL, false, NULL, "error:no command specified" },
		{ NULL, NULL, false, c_ls, "ls,-l" },
		{ NULL, NULL, false, none, "error:no command specified" },
		{ img_empty_ep, NULL, false, NULL, "c" },	/* an image's [""] entrypoint is none */
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char **argv = NULL;
		robbe_error *e = NULL;
		cleanup_free char *got = NULL;
		if (spec_command(cases[i].img, cases[i].ep, cases[i].ep_set, cases[i].cmd, &argv, &e) < 0) {
			got = xasprintf("error:%s", e->msg);
			robbe_error_free(e);
		} else {
			struct sbuf sb = SBUF_INIT;
			for (size_t k = 0; argv[k]; k++)
				sbuf_addf(&sb, "%s%s", k ? "," : "", argv[k]);
			got = sbuf_detach(&sb);
			strv_free(argv);
		}
		is_str(got, cases[i].want, "command case %zu", i);
	}

	/* Through spec_generate: argv, and the error surfaces. */
	struct spec_request r = base_req();
	r.image_config = img;
	r.cmd = NULL;
	cJSON *cfg = gen(&r);
	cleanup_free char *args = cfg ? joined(at(cfg, "process.args")) : NULL;
	is_str(args, "/ep,-x,def", "spec_generate: process.args from the image");
	cJSON_Delete(cfg);
	r.image_config = img_none;
	is_str(err_of(&r), "no command specified", "spec_generate: no command is Docker's error");

	cJSON_Delete(img);
	cJSON_Delete(img_cmd);
	cJSON_Delete(img_none);
	cJSON_Delete(img_empty_ep);
}

static void test_env_and_cwd(void)
{
	struct spec_request r = base_req();
	cJSON *cfg = gen(&r);
	cleanup_free char *env = joined(at(cfg, "process.env"));
	is_str(env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin,HOSTNAME=0123456789ab,HOME=/root",
	       "default environment: PATH, HOSTNAME (12 characters of the id), HOME of root");
	is_str(str_at(cfg, "process.cwd"), "/", "cwd defaults to /");
	is_str(str_at(cfg, "hostname"), "0123456789ab", "hostname defaults to the short id");
	ok(cJSON_IsFalse(at(cfg, "process.terminal")), "no terminal by default");
	cJSON_Delete(cfg);

	cJSON *img = cJSON_Parse("{\"Env\":[\"PATH=/img/bin\",\"A=image\",\"B=image\",\"C=image\"],"
				 "\"WorkingDir\":\"/srv/app/\",\"User\":\"alice\"}");
	char *env_req[] = { "B=request", "D=request", "C", "HOSTNAME=custom", NULL };
	r.image_config = img;
	r.env = env_req;
	r.tty = true;
	r.hostname = "box";
	cfg = gen(&r);
	cleanup_free char *env2 = joined(at(cfg, "process.env"));
	is_str(env2, "PATH=/img/bin,HOSTNAME=custom,TERM=xterm,B=request,D=request,A=image,HOME=/home/alice",
	       "image env, request overrides by key, 'C' alone unsets, TERM with a tty, HOME of the image user");
	is_str(str_at(cfg, "process.cwd"), "/srv/app", "cwd from the image WorkingDir, cleaned");
	is_str(str_at(cfg, "hostname"), "box", "hostname from the request");
	ok(cJSON_IsTrue(at(cfg, "process.terminal")), "terminal with tty");
	is_int((long long) num_at(cfg, "process.user.uid"), 1000, "user from the image config");
	cJSON_Delete(cfg);

	char *env_home[] = { "HOME=/elsewhere", NULL };
	r.env = env_home;
	r.workdir = "/work//dir/.";
	r.user = "4242";
	cfg = gen(&r);
	is_str(env_get(cfg, "HOME"), "/elsewhere", "an explicit HOME wins");
	is_str(str_at(cfg, "process.cwd"), "/work/dir", "cwd from the request wins");
	cJSON_Delete(cfg);

	r.env = NULL;
	cfg = gen(&r);
	is_str(env_get(cfg, "HOME"), "/", "HOME is / for a uid without passwd entry");
	cJSON_Delete(cfg);

	r.workdir = "relative/dir";
	is_str(err_of(&r), "the working directory 'relative/dir' is invalid, it needs to be an absolute path",
	       "relative workdir is Docker's error");
	cJSON_Delete(img);
}

static void check_user(const char *root, const char *spec, char **group_add, const char *want)
{
	struct spec_user u;
	robbe_error *e = NULL;
	cleanup_free char *got = NULL;

	if (spec_user_resolve(root, spec, group_add, &u, &e) < 0) {
		got = xasprintf("error:%s", e->msg);
		robbe_error_free(e);
	} else {
		struct sbuf sb = SBUF_INIT;
		sbuf_addf(&sb, "%u:%u:", u.uid, u.gid);
		for (size_t i = 0; i < u.n_gids; i++)
			sbuf_addf(&sb, "%s%u", i ? "," : "", u.gids[i]);
		sbuf_addf(&sb, ":%s", u.home);
		got = sbuf_detach(&sb);
		spec_user_release(&u);
	}
	is_str(got, want, "user '%s'%s in %s", spec, group_add ? " with --group-add" : "", strrchr(root, '/') + 1);
}

static void test_user(void)
{
	char *ga[] = { "audio", "4000", "ops", "777", NULL };
	char *ga_bad[] = { "nosuchgroup", NULL };
	char *ga_range[] = { "3000000000", NULL };

	check_user(rootfs, "", NULL, "0:0:0,4000:/root");
	check_user(rootfs, "root", NULL, "0:0:0,4000:/root");
	check_user(rootfs, "alice", NULL, "1000:1000:1000,10,50:/home/alice");
	check_user(rootfs, "1000", NULL, "1000:1000:1000,10,50:/home/alice");
	check_user(rootfs, "bob", NULL, "1001:1001:1001,10:/home/bob");
	check_user(rootfs, "alice:audio", NULL, "1000:29:29:/home/alice");
	check_user(rootfs, "alice:50", NULL, "1000:50:50:/home/alice");
	check_user(rootfs, "4242", NULL, "4242:0:0:/");
	check_user(rootfs, "4242:4243", NULL, "4242:4243:4243:/");
	check_user(rootfs, "nohome", NULL, "1002:1002:1002:/");
	check_user(rootfs, "alice", ga, "1000:1000:1000,10,50,29,4000,777:/home/alice");
	check_user(rootfs, "nobody", NULL, "error:unable to find user nobody: no matching entries in passwd file");
	check_user(rootfs, "broken", NULL, "error:unable to find user broken: no matching entries in passwd file");
	check_user(rootfs, "alice:nogroup", NULL,
		   "error:unable to find group nogroup: no matching entries in group file");
	check_user(rootfs, "alice", ga_bad, "error:Unable to find group nosuchgroup: no matching entries in group file");
	check_user(rootfs, "3000000000", NULL, "error:uids and gids must be in range 0-2147483647");
	check_user(rootfs, "1:-1", NULL, "error:uids and gids must be in range 0-2147483647");
	check_user(rootfs, "root", ga_range, "error:uids and gids must be in range 0-2147483647");

	/* No account files at all: numbers work, names do not. */
	cleanup_free char *bare = make_root("bare", false);
	check_user(bare, "", NULL, "0:0:0:/");
	check_user(bare, "1000:1000", NULL, "1000:1000:1000:/");
	check_user(bare, "alice", NULL, "error:unable to find user alice: no matching entries in passwd file");

	/* Through spec_generate. */
	struct spec_request r = base_req();
	r.user = "alice";
	char *ga2[] = { "audio", NULL };
	r.group_add = ga2;
	cJSON *cfg = gen(&r);
	is_int((long long) num_at(cfg, "process.user.uid"), 1000, "process.user.uid");
	is_int((long long) num_at(cfg, "process.user.gid"), 1000, "process.user.gid");
	cleanup_free char *gids = joined(at(cfg, "process.user.additionalGids"));
	is_str(gids, "1000,10,50,29", "process.user.additionalGids");
	cJSON_Delete(cfg);
	r.user = "ghost";
	is_str(err_of(&r), "unable to find user ghost: no matching entries in passwd file",
	       "spec_generate: unknown user is Docker's error");
}

/* A hostile image: links that point at the host's files must not be read. */
static void test_hostile_root(void)
{
	cleanup_free char *host = path_in(tmp, "host/etc");
	mkdirs(host);
	cleanup_free char *host_passwd = path_in(host, "passwd");
	cleanup_free char *host_group = path_in(host, "group");
	write_file(host_passwd, "evil:x:0:0:evil:/evil:/bin/sh\n");
	write_file(host_group, "evilgroup:x:666:evil\n");

	/* etc/passwd -> absolute host path */
	cleanup_free char *r1 = make_root("hostile-abs", false);
	cleanup_free char *r1p = path_in(r1, "etc/passwd");
	cleanup_free char *r1g = path_in(r1, "etc/group");
	(void) !symlink(host_passwd, r1p);
	(void) !symlink(host_group, r1g);

	/* etc -> the host directory */
	cleanup_free char *r2 = path_in(tmp, "hostile-dir");
	mkdirs(r2);
	cleanup_free char *r2e = path_in(r2, "etc");
	(void) !symlink(host, r2e);

	/* etc/passwd -> ../../../.. climbing out */
	cleanup_free char *r3 = make_root("hostile-rel", false);
	cleanup_free char *r3p = path_in(r3, "etc/passwd");
	cleanup_free char *rel = xasprintf("../../../../../../../../..%s", host_passwd);
	(void) !symlink(rel, r3p);

	/* A legitimate link inside the image. */
	cleanup_free char *r4 = make_root("inroot-link", false);
	cleanup_free char *r4real = path_in(r4, "etc/passwd.real");
	cleanup_free char *r4p = path_in(r4, "etc/passwd");
	write_file(r4real, passwd_text);
	(void) !symlink("/etc/passwd.real", r4p);

	/* A FIFO as etc/group must not block, a device not be opened. */
	cleanup_free char *r5 = make_root("fifo", false);
	cleanup_free char *r5p = path_in(r5, "etc/passwd");
	cleanup_free char *r5g = path_in(r5, "etc/group");
	write_file(r5p, passwd_text);
	ok(mkfifo(r5g, 0644) == 0, "made a FIFO at etc/group");

	for (int walk = 0; walk <= 1; walk++) {
		spec_test_no_openat2 = walk;
		const char *how = walk ? "walk" : "openat2";
		check_user(r1, "evil", NULL, "error:unable to find user evil: no matching entries in passwd file");
		check_user(r1, "0", NULL, "0:0:0:/");
		check_user(r2, "evil", NULL, "error:unable to find user evil: no matching entries in passwd file");
		check_user(r3, "evil", NULL, "error:unable to find user evil: no matching entries in passwd file");
		check_user(r5, "alice", NULL, "1000:1000:1000:/home/alice");

		int rootfd = open(r1, O_PATH | O_DIRECTORY | O_CLOEXEC);
		is_int(open_in_root(rootfd, "etc/passwd"), -ENOENT, "%s: absolute link out of the root reads nothing",
		       how);
		close(rootfd);
		rootfd = open(r2, O_PATH | O_DIRECTORY | O_CLOEXEC);
		is_int(open_in_root(rootfd, "etc/passwd"), -ENOENT, "%s: directory link out of the root reads nothing",
		       how);
		close(rootfd);
	}
	/* In-root links resolve inside the root with openat2; the walk refuses
	 * links altogether. */
	spec_test_no_openat2 = false;
	check_user(r4, "alice", NULL, "1000:1000:1000:/home/alice");
	spec_test_no_openat2 = true;
	check_user(r4, "alice", NULL, "error:unable to find user alice: no matching entries in passwd file");
	spec_test_no_openat2 = false;

	/* Oversized account files are refused. */
	cleanup_free char *r6 = make_root("huge", false);
	cleanup_free char *r6p = path_in(r6, "etc/passwd");
	FILE *f = fopen(r6p, "we");
	for (int i = 0; f && i < 120000; i++)
		fprintf(f, "user%d:x:%d:%d::/home/user%d:/bin/sh\n", i, 10000 + i, 10000 + i, i);
	if (f)
		fclose(f);
	struct spec_user u;
	robbe_error *e = NULL;
	ok(spec_user_resolve(r6, "root", NULL, &u, &e) < 0 && strstr(e->msg, "larger than"),
	   "a passwd file over 4 MiB is refused");
	robbe_error_free(e);
}

static char **all_but_sys_resource(void)
{
	char **known = NULL, **available = NULL, **out = NULL;
	caps_host(&known, &available);
	for (size_t i = 0; known[i]; i++)
		if (strcmp(known[i], "CAP_SYS_RESOURCE") != 0)
			strv_push(&out, known[i]);
	strv_free(known);
	strv_free(available);
	return out;
}

static void test_caps(void)
{
	static const char default14[] =
		"CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_MKNOD,CAP_NET_RAW,CAP_SETGID,CAP_SETUID,"
		"CAP_SETFCAP,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_SYS_CHROOT,CAP_KILL,CAP_AUDIT_WRITE";
	struct spec_request r = base_req();
	char **avail = all_but_sys_resource();
	spec_test_caps_available = avail;

	cJSON *cfg = gen(&r);
	cleanup_free char *b = joined(at(cfg, "process.capabilities.bounding"));
	cleanup_free char *ef = joined(at(cfg, "process.capabilities.effective"));
	cleanup_free char *pe = joined(at(cfg, "process.capabilities.permitted"));
	is_str(b, default14, "bounding: Docker's 14 default capabilities");
	is_str(ef, default14, "effective: the same 14");
	is_str(pe, default14, "permitted: the same 14");
	ok(!at(cfg, "process.capabilities.inheritable") && !at(cfg, "process.capabilities.ambient"),
	   "no inheritable or ambient set (Docker 28)");
	cJSON_Delete(cfg);

	r.user = "alice";
	cfg = gen(&r);
	cleanup_free char *b2 = joined(at(cfg, "process.capabilities.bounding"));
	is_str(b2, default14, "a non-root user gets the same sets (execve clears them)");
	ok(!at(cfg, "process.capabilities.ambient"), "and no ambient set");
	cJSON_Delete(cfg);
	r.user = NULL;

	const struct {
		char *add[4], *drop[4];
		const char *want;
	} cases[] = {
		{ { NULL }, { "ALL", NULL }, "" },
		{ { "NET_ADMIN", NULL }, { "all", NULL }, "CAP_NET_ADMIN" },
		{ { "sys_admin", "Cap_Net_Admin", NULL }, { "CAP_CHOWN", "mknod", NULL },
		  "CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_NET_RAW,CAP_SETGID,CAP_SETUID,CAP_SETFCAP,CAP_SETPCAP,"
		  "CAP_NET_BIND_SERVICE,CAP_SYS_CHROOT,CAP_KILL,CAP_AUDIT_WRITE,CAP_SYS_ADMIN,CAP_NET_ADMIN" },
		{ { "CHOWN", NULL }, { NULL }, default14 },
		{ { "FOO", NULL }, { NULL }, "error:unknown capability: \"CAP_FOO\"" },
		{ { NULL }, { "cap_bar", NULL }, "error:unknown capability: \"CAP_BAR\"" },
		{ { "SYS_RESOURCE", NULL }, { NULL },
		  "error:capability not supported by your kernel or not available in the current environment: \"CAP_SYS_RESOURCE\"" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		r.cap_add = cases[i].add;
		r.cap_drop = cases[i].drop;
		cfg = gen(&r);
		cleanup_free char *got = cfg ? joined(at(cfg, "process.capabilities.bounding"))
					     : xasprintf("error:%s", last_error);
		is_str(got, cases[i].want, "capabilities case %zu", i);
		cJSON_Delete(cfg);
	}

	char *add_all[] = { "ALL", NULL }, *drop_chown[] = { "chown", NULL };
	r.cap_add = add_all;
	r.cap_drop = drop_chown;
	cfg = gen(&r);
	const cJSON *bnd = at(cfg, "process.capabilities.bounding");
	is_int(cJSON_GetArraySize(bnd), (long long) strv_len(avail) - 1, "--cap-add ALL --cap-drop chown: all but one");
	ok(!arr_has(bnd, "CAP_CHOWN") && arr_has(bnd, "CAP_SYS_ADMIN"), "... without CAP_CHOWN, with CAP_SYS_ADMIN");
	cJSON_Delete(cfg);

	r.cap_add = r.cap_drop = NULL;
	r.privileged = true;
	cfg = gen(&r);
	bnd = at(cfg, "process.capabilities.bounding");
	is_int(cJSON_GetArraySize(bnd), (long long) strv_len(avail), "privileged: every available capability");
	ok(!arr_has(bnd, "CAP_SYS_RESOURCE"), "privileged: not one this process lacks");
	cJSON_Delete(cfg);

	spec_test_caps_available = NULL;
	strv_free(avail);

	/* The real probe agrees with the kernel's view of us. */
	char **known = NULL, **available = NULL;
	caps_host(&known, &available);
	cleanup_free char *status = NULL;
	robbe_error *e = NULL;
	unsigned long long capeff = 0;
	if (read_file_all("/proc/self/status", 1 << 16, &status, NULL, &e) == 0) {
		const char *p = strstr(status, "CapEff:");
		if (p)
			capeff = strtoull(p + 7, NULL, 16);
	}
	robbe_error_free(e);
	is_int(strv_contains(available, "CAP_SYS_RESOURCE"), (capeff >> 24) & 1,
	       "probe: CAP_SYS_RESOURCE available iff it is in CapEff");
	is_int(strv_contains(available, "CAP_CHOWN"), capeff & 1, "probe: CAP_CHOWN available iff it is in CapEff");
	ok(strv_contains(known, "CAP_SYS_ADMIN") && strv_contains(known, "CAP_CHECKPOINT_RESTORE"),
	   "probe: known capabilities come from libcap and the kernel");
	strv_free(known);
	strv_free(available);
}

static void test_seccomp_default(void)
{
	struct spec_request r = base_req();
	char **avail = all_but_sys_resource();
	spec_test_caps_available = avail;

	cJSON *cfg = gen(&r);
	const cJSON *sc = at(cfg, "linux.seccomp");
	ok(sc != NULL, "default: linux.seccomp present");
	is_str(str_at(sc, "defaultAction"), "SCMP_ACT_ERRNO", "default action ERRNO");
	is_int((long long) num_at(sc, "defaultErrnoRet"), 1, "default errno EPERM (1)");
#ifdef __x86_64__
	cleanup_free char *arches = joined(at(sc, "architectures"));
	is_str(arches, "SCMP_ARCH_X86_64,SCMP_ARCH_X86,SCMP_ARCH_X32", "x86_64 with its x86 and x32 ABIs");
#endif
	/* Every name resolves for libseccomp on this machine. */
	size_t unknown = 0, total = 0;
	const cJSON *rule, *name;
	cJSON_ArrayForEach(rule, at(sc, "syscalls")) {
		cJSON_ArrayForEach(name, at(rule, "names")) {
			total++;
			if (seccomp_syscall_resolve_name(name->valuestring) == __NR_SCMP_ERROR) {
				unknown++;
				printf("# unknown: %s\n", name->valuestring);
			}
		}
	}
	ok(total > 300 && unknown == 0, "all %zu rendered names are known to libseccomp", total);
	ok(seccomp_allows(sc, "read", true) && seccomp_allows(sc, "write", true) && seccomp_allows(sc, "execve", true),
	   "read, write, execve allowed");
#ifdef __x86_64__
	ok(seccomp_allows(sc, "arch_prctl", true) && !seccomp_allows(sc, "cacheflush", false),
	   "x86_64: arch_prctl allowed, the ARM-only rule left out");
#endif
	ok(!seccomp_allows(sc, "reboot", false) && !seccomp_allows(sc, "kexec_load", false),
	   "reboot and kexec_load not allowed");
	ok(!seccomp_allows(sc, "mount", false) && !seccomp_allows(sc, "unshare", false) &&
		   !seccomp_allows(sc, "setns", false),
	   "mount, unshare, setns need CAP_SYS_ADMIN");
	ok(seccomp_allows(sc, "ptrace", true), "ptrace allowed (kernel >= 4.8)");
	ok(seccomp_allows(sc, "chroot", true), "chroot allowed with the default CAP_SYS_CHROOT");

	/* clone with its namespace-flag filter; clone3 answers ENOSYS. */
	bool clone_masked = false, clone3_enosys = false;
	cJSON_ArrayForEach(rule, at(sc, "syscalls")) {
		const cJSON *args = at(rule, "args");
		if (arr_has(at(rule, "names"), "clone") && args) {
			const cJSON *a0 = cJSON_GetArrayItem(args, 0);
			clone_masked = num_at(a0, "value") == 2114060288 && num_at(a0, "index") == 0 &&
				       strcmp(str_at(a0, "op"), "SCMP_CMP_MASKED_EQ") == 0;
		}
		if (arr_has(at(rule, "names"), "clone3") && strcmp(str_at(rule, "action"), "SCMP_ACT_ERRNO") == 0)
			clone3_enosys = num_at(rule, "errnoRet") == 38;
	}
	ok(clone_masked, "clone allowed only without CLONE_NEW* flags");
	ok(clone3_enosys, "clone3 fails with ENOSYS without CAP_SYS_ADMIN");
	int personality = 0;
	cJSON_ArrayForEach(rule, at(sc, "syscalls"))
		personality += arr_has(at(rule, "names"), "personality");
	is_int(personality, 5, "five personality argument rules");
	cJSON_Delete(cfg);

	char *sys_admin[] = { "SYS_ADMIN", "SYS_BOOT", NULL };
	r.cap_add = sys_admin;
	cfg = gen(&r);
	sc = at(cfg, "linux.seccomp");
	ok(seccomp_allows(sc, "mount", true) && seccomp_allows(sc, "unshare", true) && seccomp_allows(sc, "clone", true),
	   "CAP_SYS_ADMIN allows mount, unshare and clone without filter");
	ok(seccomp_allows(sc, "reboot", true), "CAP_SYS_BOOT allows reboot");
	bool clone3_rule = false;
	cJSON_ArrayForEach(rule, at(sc, "syscalls"))
		clone3_rule = clone3_rule || (arr_has(at(rule, "names"), "clone3") &&
					      strcmp(str_at(rule, "action"), "SCMP_ACT_ERRNO") == 0);
	ok(!clone3_rule, "CAP_SYS_ADMIN drops the clone3 ENOSYS rule");
	cJSON_Delete(cfg);
	r.cap_add = NULL;

	r.seccomp_profile = "unconfined";
	cfg = gen(&r);
	ok(cfg && !at(cfg, "linux.seccomp"), "unconfined: no filter");
	cJSON_Delete(cfg);
	r.seccomp_profile = NULL;
	r.privileged = true;
	cfg = gen(&r);
	ok(cfg && !at(cfg, "linux.seccomp"), "privileged: no filter");
	cJSON_Delete(cfg);

	spec_test_caps_available = NULL;
	strv_free(avail);
}

static char *profile_file(const char *name, const char *text)
{
	char *p = path_in(tmp, name);
	write_file(p, text);
	return p;
}

static void test_seccomp_custom(void)
{
	struct spec_request r = base_req();
	cleanup_free char *p1 = profile_file(
		"p1.json",
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
		"{\"names\":[\"mkdir\",\"no_such_syscall_xyz\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
		"{\"name\":\"chmod\",\"action\":\"SCMP_ACT_ERRNO\",\"comment\":\"old single-name form\"},"
		"{\"names\":[\"no_such_syscall_xyz\"],\"action\":\"SCMP_ACT_KILL\"},"
		"{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
		"{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":40,\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_LOG\",\"excludes\":{\"arches\":[\"amd64\",\"arm64\"]}},"
		"{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_LOG\",\"includes\":{\"minKernel\":\"99.0\"}}"
		"],\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\"]},"
		"{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]}],"
		"\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]}");
	r.seccomp_profile = p1;
	cJSON *cfg = gen(&r);
	const cJSON *sc = at(cfg, "linux.seccomp");
	ok(sc != NULL, "custom profile: parsed (%s)", cfg ? "ok" : last_error);
	is_str(str_at(sc, "defaultAction"), "SCMP_ACT_ALLOW", "custom: defaultAction");
	ok(!at(sc, "defaultErrnoRet"), "custom: no defaultErrnoRet unless given");
	cleanup_free char *flags = joined(at(sc, "flags"));
	is_str(flags, "SECCOMP_FILTER_FLAG_LOG", "custom: flags kept");
	const cJSON *rules = at(sc, "syscalls");
	is_int(cJSON_GetArraySize(rules), 3, "custom: unknown-only, capability, arch and kernel rules dropped");
	const cJSON *r0 = cJSON_GetArrayItem(rules, 0);
	cleanup_free char *n0 = joined(at(r0, "names"));
	is_str(n0, "mkdir", "custom: unknown names dropped from a rule");
	is_int((long long) num_at(r0, "errnoRet"), 13, "custom: errnoRet kept");
	cleanup_free char *n1 = joined(at(cJSON_GetArrayItem(rules, 1), "names"));
	is_str(n1, "chmod", "custom: old 'name' field read");
	const cJSON *a = cJSON_GetArrayItem(at(cJSON_GetArrayItem(rules, 2), "args"), 0);
	ok(num_at(a, "value") == 40 && strcmp(str_at(a, "op"), "SCMP_CMP_EQ") == 0, "custom: args kept");
#ifdef __x86_64__
	cleanup_free char *arches = joined(at(sc, "architectures"));
	is_str(arches, "SCMP_ARCH_X86_64,SCMP_ARCH_X86", "custom: archMap picks the native entry");
#endif
	cJSON_Delete(cfg);

	/* A profile file applies even with --privileged, as in Docker. */
	r.privileged = true;
	cfg = gen(&r);
	ok(cfg && at(cfg, "linux.seccomp"), "privileged with a profile file keeps it");
	cJSON_Delete(cfg);
	r.privileged = false;

	cleanup_free char *p_empty = profile_file("empty.json", "{}");
	r.seccomp_profile = p_empty;
	cfg = gen(&r);
	ok(cfg && !at(cfg, "linux.seccomp"), "a profile without defaultAction and rules means no filter");
	cJSON_Delete(cfg);

	const struct {
		const char *json, *want;
	} bad[] = {
		{ "{not json", "Decoding seccomp profile failed: invalid JSON" },
		{ "[1,2]", "Decoding seccomp profile failed: the profile must be a JSON object" },
		{ "{\"defaultAction\":\"SCMP_ACT_NOPE\"}",
		  "Decoding seccomp profile failed: defaultAction has an unknown action \"SCMP_ACT_NOPE\"" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"ALLOW\"}]}",
		  "Decoding seccomp profile failed: syscalls[0].action has an unknown action \"ALLOW\"" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"name\":\"read\",\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  "both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}",
		  "both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":7,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		  "Decoding seccomp profile failed: syscalls[0].args[0] is out of range" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"EQ\"}]}]}",
		  "Decoding seccomp profile failed: syscalls[0].args[0] has no valid op (SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ, ...)" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":\"read\",\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  "Decoding seccomp profile failed: syscalls[0].names must be an array of strings" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  "Decoding seccomp profile failed: syscalls[0] has no syscall names" },
		{ "{\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  "Decoding seccomp profile failed: defaultAction is required when syscalls are listed" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_Z80\"]}",
		  "Decoding seccomp profile failed: architectures has an unknown value \"SCMP_ARCH_Z80\"" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"4\"}}]}",
		  "Decoding seccomp profile failed: syscalls[0].includes minKernel \"4\" is not \"<kernel>.<major>\"" },
		{ "{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}",
		  "Decoding seccomp profile failed: defaultAction SCMP_ACT_NOTIFY is not supported" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":-1}",
		  "Decoding seccomp profile failed: defaultErrnoRet is out of range" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		cleanup_free char *name = xasprintf("bad%zu.json", i);
		cleanup_free char *p = profile_file(name, bad[i].json);
		r.seccomp_profile = p;
		is_str(err_of(&r), bad[i].want, "invalid profile %zu", i);
	}

	/* Size bound and a missing file. */
	cleanup_free char *big = path_in(tmp, "big.json");
	FILE *f = fopen(big, "we");
	fputs("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"comment\":\"", f);
	for (int i = 0; i < (1 << 20); i++)
		fputc('x', f);
	fputs("\"}", f);
	fclose(f);
	r.seccomp_profile = big;
	const char *e = err_of(&r);
	ok(strstr(e, "opening seccomp profile") && strstr(e, "File too large"), "a profile over 1 MiB is refused: %s",
	   e);
	r.seccomp_profile = "/nonexistent/profile.json";
	e = err_of(&r);
	ok(strstr(e, "No such file") != NULL, "a missing profile file is an error: %s", e);
}

static void test_paths(void)
{
	struct spec_request r = base_req();
	cJSON *cfg = gen(&r);
	const cJSON *masked = at(cfg, "linux.maskedPaths");
	cleanup_free char *ro = joined(at(cfg, "linux.readonlyPaths"));
	is_str(ro, "/proc/bus,/proc/fs,/proc/irq,/proc/sys,/proc/sysrq-trigger", "readonly paths as Docker 28");
	static const char *const want[] = {
		"/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
		"/sys/devices/virtual/powercap",
	};
	bool all = true;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		all = all && strcmp(cJSON_GetArrayItem(masked, (int) i)->valuestring, want[i]) == 0;
	ok(all, "masked paths start with Docker 28's twelve");
	bool rest_ok = true;
	for (int i = (int) ARRAY_SIZE(want); i < cJSON_GetArraySize(masked); i++) {
		const char *p = cJSON_GetArrayItem(masked, i)->valuestring;
		struct stat st;
		rest_ok = rest_ok && str_has_prefix(p, "/sys/devices/system/cpu/cpu") &&
			  str_has_suffix(p, "/thermal_throttle") && stat(p, &st) == 0;
	}
	ok(rest_ok, "the rest are existing cpu*/thermal_throttle directories (%d)",
	   cJSON_GetArraySize(masked) - (int) ARRAY_SIZE(want));
	cJSON_Delete(cfg);

	char *extra[] = { "/proc/extra", "/proc/kcore", NULL };
	r.masked_paths_extra = extra;
	cfg = gen(&r);
	masked = at(cfg, "linux.maskedPaths");
	int kcore = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, masked)
		kcore += strcmp(it->valuestring, "/proc/kcore") == 0;
	ok(arr_has(masked, "/proc/extra") && kcore == 1, "extra masked paths added once");
	cJSON_Delete(cfg);

	r.privileged = true;
	cfg = gen(&r);
	ok(!at(cfg, "linux.maskedPaths") && !at(cfg, "linux.readonlyPaths"), "privileged: nothing masked or read-only");
	cJSON_Delete(cfg);
}

static void test_mounts(void)
{
	struct spec_request r = base_req();
	cJSON *cfg = gen(&r);
	const struct {
		const char *dest, *type, *source, *opts;
	} defaults[] = {
		{ "/proc", "proc", "proc", "nosuid,noexec,nodev" },
		{ "/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k" },
		{ "/dev/pts", "devpts", "devpts", "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5" },
		{ "/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro" },
		{ "/sys/fs/cgroup", "cgroup", "cgroup", "ro,nosuid,noexec,nodev" },
		{ "/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev" },
		{ "/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,size=67108864" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(defaults); i++) {
		const cJSON *m = mount_at(cfg, defaults[i].dest);
		cleanup_free char *o = mount_opts(cfg, defaults[i].dest);
		ok(m && strcmp(str_at(m, "type"), defaults[i].type) == 0 &&
			   strcmp(str_at(m, "source"), defaults[i].source) == 0,
		   "default mount %s (%s)", defaults[i].dest, defaults[i].type);
		is_str(o, defaults[i].opts, "default mount %s options", defaults[i].dest);
	}
	is_int(cJSON_GetArraySize(at(cfg, "mounts")), 7, "seven default mounts");
	cJSON_Delete(cfg);

	cleanup_free char *hosts = path_in(tmp, "hosts");
	cleanup_free char *resolv = path_in(tmp, "resolv.conf");
	cleanup_free char *hostname = path_in(tmp, "hostname");
	write_file(hosts, "127.0.0.1 localhost\n");
	write_file(resolv, "nameserver 127.0.0.1\n");
	write_file(hostname, "box\n");
	char *ro[] = { "ro", NULL }, *nonrec[] = { "bind", "rshared", NULL }, *tmpo[] = { "size=1m", NULL };
	struct spec_mount user[] = {
		{ "bind", "/srv/data", "/data/", ro },
		{ "bind", "/srv/deep", "/data/inner/deep", nonrec },
		{ NULL, "/srv/other", "/other", NULL },
		{ "tmpfs", NULL, "/cache", tmpo },
		{ "bind", "/srv/myshm", "/dev/shm", NULL },
	};
	char *tmpfs[] = { "/x:rw,size=64m,mode=1777", "/y:exec", "/z", NULL };
	r.mounts = user;
	r.n_mounts = ARRAY_SIZE(user);
	r.tmpfs = tmpfs;
	r.hosts_path = hosts;
	r.resolv_path = resolv;
	r.hostname_path = hostname;
	r.shm_size = 1 << 20;
	cfg = gen(&r);
	ok(cfg != NULL, "user mounts accepted (%s)", cfg ? "ok" : last_error);
	cleanup_free char *o1 = mount_opts(cfg, "/data");
	is_str(o1, "rbind,ro,rprivate", "bind: rbind added, ro kept, rprivate default");
	cleanup_free char *o2 = mount_opts(cfg, "/data/inner/deep");
	is_str(o2, "bind,rshared", "bind: non-recursive and propagation kept as given");
	cleanup_free char *o3 = mount_opts(cfg, "/other");
	is_str(o3, "rbind,rprivate", "a mount without type is a bind");
	cleanup_free char *o4 = mount_opts(cfg, "/x");
	is_str(o4, "noexec,nosuid,nodev,rprivate,rw,size=64m,mode=1777", "--tmpfs /x:rw,size=64m,mode=1777");
	cleanup_free char *o5 = mount_opts(cfg, "/y");
	is_str(o5, "nosuid,nodev,rprivate,exec", "--tmpfs /y:exec overrides noexec");
	cleanup_free char *o6 = mount_opts(cfg, "/z");
	is_str(o6, "noexec,nosuid,nodev,rprivate", "--tmpfs /z: Docker's defaults");
	cleanup_free char *o7 = mount_opts(cfg, "/cache");
	is_str(o7, "noexec,nosuid,nodev,rprivate,size=1m", "--mount type=tmpfs gets the same defaults");
	const cJSON *shm = mount_at(cfg, "/dev/shm");
	is_str(str_at(shm, "source"), "/srv/myshm", "a user /dev/shm replaces the default");
	int nshm = 0;
	const cJSON *m;
	cJSON_ArrayForEach(m, at(cfg, "mounts"))
		nshm += strcmp(str_at(m, "destination"), "/dev/shm") == 0;
	is_int(nshm, 1, "... and only one /dev/shm is left");
	is_str(str_at(mount_at(cfg, "/etc/hosts"), "source"), hosts, "/etc/hosts bound");
	is_str(str_at(mount_at(cfg, "/etc/resolv.conf"), "source"), resolv, "/etc/resolv.conf bound");
	is_str(str_at(mount_at(cfg, "/etc/hostname"), "source"), hostname, "/etc/hostname bound");
	cleanup_free char *o8 = mount_opts(cfg, "/etc/hosts");
	is_str(o8, "rbind,rprivate", "/etc/hosts: rbind,rprivate");

	/* Parents before children. */
	bool ordered = true;
	int n = cJSON_GetArraySize(at(cfg, "mounts"));
	for (int i = 0; i < n; i++) {
		const char *di = str_at(cJSON_GetArrayItem(at(cfg, "mounts"), i), "destination");
		for (int j = i + 1; j < n; j++) {
			const char *dj = str_at(cJSON_GetArrayItem(at(cfg, "mounts"), j), "destination");
			size_t lj = strlen(dj);
			if (strncmp(di, dj, lj) == 0 && di[lj] == '/')
				ordered = false;
		}
	}
	ok(ordered, "every mount comes after the mounts above it");
	cJSON_Delete(cfg);

	/* Read-only root: the /etc files go read-only too. */
	r.read_only = true;
	cfg = gen(&r);
	cleanup_free char *o9 = mount_opts(cfg, "/etc/hosts");
	is_str(o9, "rbind,rprivate,ro", "--read-only: /etc/hosts read-only");
	ok(cJSON_IsTrue(at(cfg, "root.readonly")), "--read-only: root.readonly");
	cleanup_free char *o10 = mount_opts(cfg, "/dev/mqueue");
	is_str(o10, "nosuid,noexec,nodev", "--read-only leaves /dev/mqueue writable");
	cJSON_Delete(cfg);
	r.read_only = false;

	/* A user file at /etc/hosts wins over the engine's. */
	struct spec_mount own_hosts[] = { { "bind", "/srv/hosts", "/etc/hosts", ro } };
	r.mounts = own_hosts;
	r.n_mounts = 1;
	r.tmpfs = NULL;
	cfg = gen(&r);
	is_str(str_at(mount_at(cfg, "/etc/hosts"), "source"), "/srv/hosts", "user /etc/hosts replaces the engine's");
	is_str(str_at(mount_at(cfg, "/dev/shm"), "type"), "tmpfs", "default /dev/shm is tmpfs");
	cleanup_free char *o11 = mount_opts(cfg, "/dev/shm");
	is_str(o11, "nosuid,noexec,nodev,mode=1777,size=1048576", "shm_size sets the /dev/shm size");
	cJSON_Delete(cfg);

	/* A user /dev replaces every default under /dev. */
	struct spec_mount own_dev[] = { { "bind", "/dev", "/dev", NULL } };
	r.mounts = own_dev;
	cfg = gen(&r);
	ok(!mount_at(cfg, "/dev/pts") && !mount_at(cfg, "/dev/shm") && !mount_at(cfg, "/dev/mqueue"),
	   "a user /dev drops the default mounts under /dev");
	cJSON_Delete(cfg);

	/* Privileged: /sys and cgroups writable. */
	r.mounts = NULL;
	r.n_mounts = 0;
	r.privileged = true;
	cfg = gen(&r);
	cleanup_free char *o12 = mount_opts(cfg, "/sys");
	cleanup_free char *o13 = mount_opts(cfg, "/sys/fs/cgroup");
	is_str(o12, "nosuid,noexec,nodev", "privileged: /sys writable");
	is_str(o13, "nosuid,noexec,nodev", "privileged: cgroups writable");
	cJSON_Delete(cfg);
	r.privileged = false;

	/* Host IPC brings the host's /dev/shm. */
	r.share_host_ipc = true;
	cfg = gen(&r);
	is_str(str_at(mount_at(cfg, "/dev/shm"), "type"), "bind", "--ipc host: /dev/shm is the host's");
	cJSON_Delete(cfg);
	r.share_host_ipc = false;

	/* Errors. */
	struct spec_mount relative[] = { { "bind", "/srv", "data", NULL } };
	r.mounts = relative;
	r.n_mounts = 1;
	is_str(err_of(&r), "invalid mount config for type \"bind\": invalid mount path: 'data' mount path must be absolute",
	       "relative destination refused");
	struct spec_mount dup[] = { { "bind", "/a", "/data", NULL }, { "bind", "/b", "/data/", NULL } };
	r.mounts = dup;
	r.n_mounts = 2;
	is_str(err_of(&r), "Duplicate mount point: /data", "duplicate mount point refused");
	r.mounts = NULL;
	r.n_mounts = 0;
	char *bad_tmpfs[] = { "/t:size=1m,foo", NULL };
	r.tmpfs = bad_tmpfs;
	is_str(err_of(&r), "invalid tmpfs option [\"foo\"]", "unknown tmpfs option refused");
	char *bad_tmpfs2[] = { "/t:bogus=1", NULL };
	r.tmpfs = bad_tmpfs2;
	is_str(err_of(&r), "invalid tmpfs option [\"bogus\" \"1\"]", "unknown tmpfs key refused");
	r.tmpfs = NULL;

	/* Cleaning of container paths. */
	const char *clean[][2] = {
		{ "/a//b/./c/", "/a/b/c" }, { "/", "/" }, { "/../x", "/x" }, { "/a/b/../c", "/a/c" }, { "//", "/" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(clean); i++) {
		cleanup_free char *c = spec_clean_path(clean[i][0]);
		is_str(c, clean[i][1], "clean path %s", clean[i][0]);
	}
	ok(spec_clean_path("rel") == NULL, "relative paths are not cleaned");
}

static void test_init(void)
{
	struct spec_request r = base_req();
	struct stat st;
	bool have = stat("/usr/bin/catatonit", &st) == 0;

	r.init = true;
	r.init_path = have ? NULL : "/bin/true";
	cJSON *cfg = gen(&r);
	cleanup_free char *args = joined(at(cfg, "process.args"));
	is_str(args, SPEC_INIT_PATH ",--,/bin/true", "--init: the init runs the command after --");
	const cJSON *m = mount_at(cfg, SPEC_INIT_PATH);
	cleanup_free char *o = mount_opts(cfg, SPEC_INIT_PATH);
	is_str(str_at(m, "source"), have ? "/usr/bin/catatonit" : "/bin/true", "--init: catatonit bound from the host");
	is_str(o, "bind,ro", "--init: bound read-only");
	cJSON_Delete(cfg);

	r.share_host_pid = true;
	cfg = gen(&r);
	cleanup_free char *args2 = joined(at(cfg, "process.args"));
	is_str(args2, "/bin/true", "--init does nothing without a PID namespace of its own");
	cJSON_Delete(cfg);
	r.share_host_pid = false;

	r.init_path = "/nonexistent/init";
	ok(strstr(err_of(&r), "init binary /nonexistent/init") != NULL, "a missing init binary is an error");
}

static void test_namespaces(void)
{
	struct spec_request r = base_req();
	const char *path = NULL;
	cJSON *cfg = gen(&r);
	ok(has_namespace(cfg, "mount", NULL) && has_namespace(cfg, "pid", NULL) && has_namespace(cfg, "ipc", NULL) &&
		   has_namespace(cfg, "uts", NULL),
	   "mount, pid, ipc, uts namespaces");
	ok(has_namespace(cfg, "network", &path) && !path, "a new network namespace");
	ok(!has_namespace(cfg, "user", NULL), "no user namespace by default");
	struct stat st;
	bool v2 = stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0;
	ok(has_namespace(cfg, "cgroup", NULL) == v2, "cgroup namespace iff cgroup v2 (%s)", v2 ? "v2" : "v1");
	is_str(str_at(cfg, "linux.cgroupsPath"), "/robbe/robbe-" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	       "cgroupsPath under /robbe");
	cJSON_Delete(cfg);

	r.netns_path = "host";
	r.share_host_pid = true;
	r.share_host_uts = true;
	r.cgroupns = SPEC_CGROUPNS_PRIVATE;
	r.cgroup_parent = "/custom/";
	cfg = gen(&r);
	ok(!has_namespace(cfg, "network", NULL) && !has_namespace(cfg, "pid", NULL) && !has_namespace(cfg, "uts", NULL),
	   "host network, pid and uts: no namespaces");
	ok(has_namespace(cfg, "cgroup", NULL), "--cgroupns private");
	ok(!at(cfg, "hostname"), "no hostname with the host's UTS namespace");
	char host[256] = "";
	gethostname(host, sizeof(host) - 1);
	is_str(env_get(cfg, "HOSTNAME"), host, "HOSTNAME is the host's name with host networking");
	is_str(str_at(cfg, "linux.cgroupsPath"), "/custom/robbe-" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	       "cgroupsPath under the cgroup parent");
	cJSON_Delete(cfg);

	r = base_req();
	r.netns_path = "/run/netns/test";
	r.pid_ns_path = "/proc/1/ns/pid";
	r.share_host_pid = true;	/* the path wins */
	r.cgroupns = SPEC_CGROUPNS_HOST;
	struct spec_idmap map[] = { { 0, 100000, 65536 } };
	r.uid_map = map;
	r.n_uid_map = 1;
	r.domainname = "example.org";
	cfg = gen(&r);
	ok(has_namespace(cfg, "network", &path) && path && strcmp(path, "/run/netns/test") == 0, "network namespace joined");
	ok(has_namespace(cfg, "pid", &path) && path && strcmp(path, "/proc/1/ns/pid") == 0, "pid namespace joined");
	ok(!has_namespace(cfg, "cgroup", NULL), "--cgroupns host");
	ok(has_namespace(cfg, "user", NULL), "user namespace with mappings");
	const cJSON *um = cJSON_GetArrayItem(at(cfg, "linux.uidMappings"), 0);
	const cJSON *gm = cJSON_GetArrayItem(at(cfg, "linux.gidMappings"), 0);
	ok(num_at(um, "containerID") == 0 && num_at(um, "hostID") == 100000 && num_at(um, "size") == 65536 &&
		   num_at(gm, "hostID") == 100000,
	   "uid and gid mappings");
	is_str(str_at(cfg, "domainname"), "example.org", "domainname");
	cJSON_Delete(cfg);
}

static void test_devices(void)
{
	struct spec_request r = base_req();
	cJSON *cfg = gen(&r);
	const cJSON *rules = at(cfg, "linux.resources.devices"), *rule;
	struct sbuf sb = SBUF_INIT;
	cJSON_ArrayForEach(rule, rules) {
		sbuf_addf(&sb, "%s%s %s %.0f:%.0f %s;", cJSON_IsTrue(at(rule, "allow")) ? "allow" : "deny",
			  "", str_at(rule, "type") ? str_at(rule, "type") : "a", num_at(rule, "major"),
			  num_at(rule, "minor"), str_at(rule, "access"));
	}
	cleanup_free char *got = sbuf_detach(&sb);
	is_str(got,
	       "deny a -12345:-12345 rwm;allow c 1:5 rwm;allow c 1:3 rwm;allow c 1:9 rwm;allow c 1:8 rwm;"
	       "allow c 5:0 rwm;allow c 5:1 rwm;deny c 10:229 rwm;",
	       "Docker's device cgroup rules");
	is_int(cJSON_GetArraySize(at(cfg, "linux.devices")), 0, "no extra device nodes by default");
	cJSON_Delete(cfg);

	char *devs[] = { "/dev/null:/dev/mynull:r", "/dev/zero:rw", NULL };
	r.devices = devs;
	cfg = gen(&r);
	const cJSON *d0 = cJSON_GetArrayItem(at(cfg, "linux.devices"), 0);
	const cJSON *d1 = cJSON_GetArrayItem(at(cfg, "linux.devices"), 1);
	ok(d0 && strcmp(str_at(d0, "path"), "/dev/mynull") == 0 && strcmp(str_at(d0, "type"), "c") == 0 &&
		   num_at(d0, "major") == 1 && num_at(d0, "minor") == 3,
	   "--device /dev/null:/dev/mynull: char 1:3 at the new path");
	ok(d1 && strcmp(str_at(d1, "path"), "/dev/zero") == 0 && num_at(d1, "minor") == 5,
	   "--device /dev/zero:rw keeps the path");
	rules = at(cfg, "linux.resources.devices");
	const cJSON *r8 = cJSON_GetArrayItem(rules, 8), *r9 = cJSON_GetArrayItem(rules, 9);
	ok(r8 && cJSON_IsTrue(at(r8, "allow")) && num_at(r8, "minor") == 3 && strcmp(str_at(r8, "access"), "r") == 0,
	   "cgroup rule with the given permissions (r)");
	ok(r9 && strcmp(str_at(r9, "access"), "rw") == 0, "cgroup rule rw");
	cJSON_Delete(cfg);

	/* A directory of devices. */
	if (geteuid() == 0) {
		cleanup_free char *dir = path_in(tmp, "devdir/sub");
		mkdirs(dir);
		cleanup_free char *n1 = path_in(tmp, "devdir/a");
		cleanup_free char *n2 = path_in(tmp, "devdir/sub/b");
		ok(mknod(n1, S_IFCHR | 0600, makedev(1, 3)) == 0 && mknod(n2, S_IFCHR | 0600, makedev(1, 5)) == 0,
		   "made device nodes");
		cleanup_free char *spec = xasprintf("%s/devdir:/dev/mine", tmp);
		char *dd[] = { spec, NULL };
		r.devices = dd;
		cfg = gen(&r);
		cleanup_free char *paths = NULL;
		struct sbuf ps = SBUF_INIT;
		const cJSON *d;
		cJSON_ArrayForEach(d, at(cfg, "linux.devices"))
			sbuf_addf(&ps, "%s ", str_at(d, "path"));
		paths = sbuf_detach(&ps);
		ok(strstr(paths, "/dev/mine/a ") && strstr(paths, "/dev/mine/sub/b "), "--device DIR maps every node: %s",
		   paths);
		cJSON_Delete(cfg);
	} else {
		ok(1, "# SKIP mknod needs root");
		ok(1, "# SKIP mknod needs root");
	}

	const struct {
		char *spec;
		const char *want;
	} bad[] = {
		{ "/etc/hostname", "error gathering device information while adding custom device \"/etc/hostname\": not a device node" },
		{ "/nonexistent/dev",
		  "error gathering device information while adding custom device \"/nonexistent/dev\": No such file or directory" },
		{ "/dev/null:/a:r:x", "invalid device specification: /dev/null:/a:r:x" },
		{ "/dev/null:/a:rwx", "bad mode specified: rwx" },
		{ "/dev/null:rel", "rel is not an absolute path" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *one[] = { bad[i].spec, NULL };
		r.devices = one;
		is_str(err_of(&r), bad[i].want, "--device %s", bad[i].spec);
	}

	r.devices = NULL;
	r.privileged = true;
	cfg = gen(&r);
	bool null_dev = false, pts = false;
	const cJSON *d;
	cJSON_ArrayForEach(d, at(cfg, "linux.devices")) {
		null_dev = null_dev || strcmp(str_at(d, "path"), "/dev/null") == 0;
		pts = pts || str_has_prefix(str_at(d, "path"), "/dev/pts/");
	}
	ok(null_dev && !pts, "privileged: host devices, /dev/pts left out");
	rules = at(cfg, "linux.resources.devices");
	ok(cJSON_GetArraySize(rules) == 1 && cJSON_IsTrue(at(cJSON_GetArrayItem(rules, 0), "allow")),
	   "privileged: every device allowed");
	cJSON_Delete(cfg);
}

static void test_resources(void)
{
	struct spec_request r = base_req();
	r.resources.memory = 64 << 20;
	r.resources.memory_reservation = 32 << 20;
	r.resources.nano_cpus = 1500000000;
	r.resources.cpu_shares = 512;
	r.resources.cpuset_cpus = "0";
	r.resources.pids_limit = 100;
	cJSON *cfg = gen(&r);
	is_int((long long) num_at(cfg, "linux.resources.memory.limit"), 64 << 20, "memory limit");
	is_int((long long) num_at(cfg, "linux.resources.memory.swap"), 128 << 20, "swap defaults to twice memory");
	is_int((long long) num_at(cfg, "linux.resources.memory.reservation"), 32 << 20, "memory reservation");
	is_int((long long) num_at(cfg, "linux.resources.cpu.quota"), 150000, "--cpus 1.5: quota 150000");
	is_int((long long) num_at(cfg, "linux.resources.cpu.period"), 100000, "--cpus 1.5: period 100000");
	is_int((long long) num_at(cfg, "linux.resources.cpu.shares"), 512, "cpu shares");
	is_str(str_at(cfg, "linux.resources.cpu.cpus"), "0", "cpuset cpus");
	is_int((long long) num_at(cfg, "linux.resources.pids.limit"), 100, "pids limit");
	cJSON_Delete(cfg);

	r = base_req();
	r.resources.memory = 64 << 20;
	r.resources.memory_swap = -1;
	r.resources.pids_limit = -5;
	r.resources.cpu_quota = 50000;
	r.resources.cpu_period = 200000;
	cfg = gen(&r);
	is_int((long long) num_at(cfg, "linux.resources.memory.swap"), -1, "unlimited swap");
	is_int((long long) num_at(cfg, "linux.resources.pids.limit"), -1, "negative pids limit = unlimited");
	is_int((long long) num_at(cfg, "linux.resources.cpu.quota"), 50000, "explicit quota");
	is_int((long long) num_at(cfg, "linux.resources.cpu.period"), 200000, "explicit period");
	cJSON_Delete(cfg);

	/* Large values stay exact integers in the text runc reads. */
	r = base_req();
	r.resources.memory = 1LL << 60;
	r.resources.memory_swap = -1;
	robbe_error *e = NULL;
	cJSON *raw = NULL;
	ok(spec_generate(&r, &raw, NULL, &e) == 0, "a huge memory limit is accepted");
	char *text = cJSON_PrintUnformatted(raw);
	ok(strstr(text, "\"limit\":1152921504606846976") != NULL, "2^60 printed as an exact integer");
	free(text);
	cJSON_Delete(raw);

	r = base_req();
	r.resources.memory = 0;
	r.resources.memory = 1;
	is_str(err_of(&r), "Minimum memory limit allowed is 6MB", "memory below 6MB");
	r.resources.memory = 64 << 20;
	r.resources.memory_swap = 32 << 20;
	is_str(err_of(&r), "Minimum memoryswap limit should be larger than memory limit, see usage", "swap below memory");
	r.resources.memory = 0;
	is_str(err_of(&r), "You should always set the Memory limit when using Memoryswap limit, see usage",
	       "swap without memory");
	r.resources.memory_swap = 0;
	r.resources.memory = 64 << 20;
	r.resources.memory_reservation = 128 << 20;
	is_str(err_of(&r), "Minimum memory limit can not be less than memory reservation limit, see usage",
	       "reservation above memory");
	r = base_req();
	r.resources.nano_cpus = 1000000000;
	r.resources.cpu_period = 100000;
	is_str(err_of(&r), "Conflicting options: Nano CPUs and CPU Period cannot both be set", "--cpus with --cpu-period");
	r.resources.cpu_period = 0;
	r.resources.cpu_quota = 1000;
	is_str(err_of(&r), "Conflicting options: Nano CPUs and CPU Quota cannot both be set", "--cpus with --cpu-quota");
	r.resources.cpu_quota = 0;
	r.resources.nano_cpus = 1000LL * 1000000000;
	ok(str_has_prefix(err_of(&r), "range of CPUs is from 0.01 to "), "--cpus above the CPU count");
	r.resources.nano_cpus = 0;
	r.resources.cpu_period = 10;
	is_str(err_of(&r), "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
	       "period out of range");
	r.resources.cpu_period = 0;
	r.resources.cpu_quota = 10;
	is_str(err_of(&r), "CPU cfs quota can not be less than 1ms (i.e. 1000)", "quota below 1ms");
}

static void test_sysctls(void)
{
	struct spec_request r = base_req();
	cJSON *cfg = gen(&r);
	const cJSON *sys = at(cfg, "linux.sysctl");
	const cJSON *ping = cJSON_GetObjectItemCaseSensitive(sys, "net.ipv4.ping_group_range");
	const cJSON *port = cJSON_GetObjectItemCaseSensitive(sys, "net.ipv4.ip_unprivileged_port_start");
	is_str(cJSON_IsString(ping) ? ping->valuestring : NULL, "0 2147483647", "default: unprivileged ping");
	is_str(cJSON_IsString(port) ? port->valuestring : NULL, "0", "default: unprivileged low ports");
	cJSON_Delete(cfg);

	char *ok_list[] = { "net.ipv4.ip_forward=1", "kernel.shmmax=1000000", "fs.mqueue.msg_max=20",
			    "kernel.sem=250 32000 100 128", "net.ipv4.ip_unprivileged_port_start=1024", NULL };
	r.sysctls = ok_list;
	cfg = gen(&r);
	sys = at(cfg, "linux.sysctl");
	ok(sys && cJSON_GetArraySize((cJSON *) sys) == 6, "namespaced sysctls accepted (%s)", cfg ? "ok" : last_error);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(sys, "net.ipv4.ip_unprivileged_port_start");
	is_str(cJSON_IsString(v) ? v->valuestring : NULL, "1024", "a user sysctl overrides a default");
	v = cJSON_GetObjectItemCaseSensitive(sys, "kernel.sem");
	is_str(cJSON_IsString(v) ? v->valuestring : NULL, "250 32000 100 128", "value with spaces kept");
	cJSON_Delete(cfg);

	const struct {
		char *kv;
		const char *netns;
		bool host_ipc;
		const char *want;
	} bad[] = {
		{ "kernel.hostname=x", NULL, false, "sysctl 'kernel.hostname=x' is not allowed" },
		{ "vm.swappiness=10", NULL, false, "sysctl 'vm.swappiness=10' is not allowed" },
		{ "noequals", NULL, false, "sysctl 'noequals' is not allowed" },
		{ "net.ipv4.ip_forward=1", "host", false, "sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace" },
		{ "kernel.shmmax=1", NULL, true, "sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace" },
		{ "fs.mqueue.msg_max=1", NULL, true, "sysctl \"fs.mqueue.msg_max\" is not allowed in the hosts ipc namespace" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *one[] = { bad[i].kv, NULL };
		r = base_req();
		r.sysctls = one;
		r.netns_path = bad[i].netns;
		r.share_host_ipc = bad[i].host_ipc;
		is_str(err_of(&r), bad[i].want, "sysctl %s%s%s", bad[i].kv, bad[i].netns ? " (host net)" : "",
		       bad[i].host_ipc ? " (host ipc)" : "");
	}

	r = base_req();
	r.netns_path = "host";
	cfg = gen(&r);
	is_int(cJSON_GetArraySize(at(cfg, "linux.sysctl")), 0, "host network: no default sysctls");
	cJSON_Delete(cfg);
	r.netns_path = "/run/netns/x";
	char *joined_net[] = { "net.core.somaxconn=1024", NULL };
	r.sysctls = joined_net;
	cfg = gen(&r);
	is_int(cJSON_GetArraySize(at(cfg, "linux.sysctl")), 1, "joined network: user sysctls only");
	cJSON_Delete(cfg);
}

static void test_rlimits(void)
{
	struct rlimit cur = { 1024, 20000 };
	const struct {
		bool is_default, can_raise;
		uint64_t soft, hard;
		const char *want;
	} cases[] = {
		{ true, false, 1048576, 1048576, "20000:20000" },
		{ true, false, 1024, 1048576, "1024:20000" },
		{ true, true, 1048576, 1048576, "1048576:1048576" },
		{ false, false, 4096, 8192, "4096:8192" },
		{ false, false, 20000, 20000, "20000:20000" },
		{ false, false, 1024, 30000,
		  "error:ulimit nofile: hard limit 30000 is above this process's hard limit 20000, and raising it needs CAP_SYS_RESOURCE" },
		{ false, false, 1024, (uint64_t) RLIM_INFINITY,
		  "error:ulimit nofile: hard limit unlimited is above this process's hard limit 20000, and raising it needs CAP_SYS_RESOURCE" },
		{ false, true, 1024, 30000, "1024:30000" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t s = cases[i].soft, h = cases[i].hard;
		robbe_error *e = NULL;
		cleanup_free char *got = NULL;
		if (rlimit_fit("nofile", cases[i].is_default, &cur, cases[i].can_raise, &s, &h, &e) < 0) {
			got = xasprintf("error:%s", e->msg);
			robbe_error_free(e);
		} else {
			got = xasprintf("%llu:%llu", (unsigned long long) s, (unsigned long long) h);
		}
		is_str(got, cases[i].want, "rlimit_fit case %zu", i);
	}

	struct spec_request r = base_req();
	struct spec_ulimit ul[] = { { "nproc", 100, 200 }, { "core", -1, -1 } };
	r.ulimits = ul;
	r.n_ulimits = 2;
	spec_test_can_raise = 1;
	cJSON *cfg = gen(&r);
	const cJSON *np = rlimit_of(cfg, "RLIMIT_NPROC");
	ok(np && num_at(np, "soft") == 100 && num_at(np, "hard") == 200, "--ulimit nproc=100:200");
	const cJSON *nf = rlimit_of(cfg, "RLIMIT_NOFILE");
	ok(nf && num_at(nf, "soft") == SPEC_NOFILE_DEFAULT && num_at(nf, "hard") == SPEC_NOFILE_DEFAULT,
	   "default nofile 1048576 when raising is allowed");
	cJSON_Delete(cfg);
	robbe_error *e = NULL;
	cJSON *raw = NULL;
	spec_generate(&r, &raw, NULL, &e);
	char *text = cJSON_PrintUnformatted(raw);
	ok(text && strstr(text, "{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551615,\"soft\":18446744073709551615}"),
	   "unlimited printed as the exact 2^64-1 runc expects");
	free(text);
	cJSON_Delete(raw);

	struct spec_ulimit badname[] = { { "foo", 1, 1 } };
	r.ulimits = badname;
	r.n_ulimits = 1;
	is_str(err_of(&r), "invalid ulimit type: foo", "unknown ulimit name");
	struct spec_ulimit inverted[] = { { "nofile", 10, 5 } };
	r.ulimits = inverted;
	is_str(err_of(&r), "ulimit soft limit must be less than or equal to hard limit: 10 > 5", "soft above hard");

	/* Now for real: lower our own hard limit, which needs no privilege. */
	struct rlimit mine;
	getrlimit(RLIMIT_NOFILE, &mine);
	struct rlimit lower = { 512, 4096 };
	if (mine.rlim_max > 4096 && setrlimit(RLIMIT_NOFILE, &lower) == 0) {
		r.ulimits = NULL;
		r.n_ulimits = 0;
		spec_test_can_raise = 0;
		cfg = gen(&r);
		nf = rlimit_of(cfg, "RLIMIT_NOFILE");
		ok(nf && num_at(nf, "soft") == 4096 && num_at(nf, "hard") == 4096,
		   "without CAP_SYS_RESOURCE the default nofile is our hard limit (4096)");
		cJSON_Delete(cfg);
		struct spec_ulimit over[] = { { "nofile", 1024, 8192 } };
		r.ulimits = over;
		r.n_ulimits = 1;
		is_str(err_of(&r),
		       "ulimit nofile: hard limit 8192 is above this process's hard limit 4096, and raising it needs CAP_SYS_RESOURCE",
		       "an explicit --ulimit above our hard limit fails");
		struct spec_ulimit under[] = { { "nofile", 100, 2000 } };
		r.ulimits = under;
		cfg = gen(&r);
		nf = rlimit_of(cfg, "RLIMIT_NOFILE");
		ok(nf && num_at(nf, "soft") == 100 && num_at(nf, "hard") == 2000, "an explicit --ulimit below it is kept");
		cJSON_Delete(cfg);

		/* The capability probe of this very process. */
		spec_test_can_raise = -1;
		r.ulimits = NULL;
		r.n_ulimits = 0;
		cfg = gen(&r);
		nf = rlimit_of(cfg, "RLIMIT_NOFILE");
		bool capable = false;
		cleanup_free char *status = NULL;
		robbe_error *se = NULL;
		if (read_file_all("/proc/self/status", 1 << 16, &status, NULL, &se) == 0) {
			const char *p = strstr(status, "CapEff:");
			capable = p && ((strtoull(p + 7, NULL, 16) >> 24) & 1);
		}
		robbe_error_free(se);
		ok(nf && num_at(nf, "hard") == (capable ? SPEC_NOFILE_DEFAULT : 4096),
		   "probe: %s, default nofile hard %.0f", capable ? "CAP_SYS_RESOURCE" : "no CAP_SYS_RESOURCE",
		   nf ? num_at(nf, "hard") : -1);
		cJSON_Delete(cfg);
	} else {
		for (int i = 0; i < 4; i++)
			ok(1, "# SKIP cannot lower RLIMIT_NOFILE below 4096 here");
	}
	spec_test_can_raise = -1;
}

static void test_units(void)
{
	const struct {
		const char *in;
		const char *want;
	} sizes[] = {
		{ "64m", "67108864" }, { "64M", "67108864" }, { "1.5g", "1610612736" }, { "10 MiB", "10485760" },
		{ "1024", "1024" },     { "1kb", "1024" },     { "2b", "2" },             { "1KiB", "1024" },
		{ "5x", "error:invalid suffix: 'x'" },          { "m", "error:invalid size: 'm'" },
		{ "-1m", "error:invalid size: '-1m'" },         { "1mbb", "error:invalid suffix: 'mbb'" },
		{ "1bb", "error:invalid suffix: 'bb'" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		int64_t v = 0;
		robbe_error *e = NULL;
		cleanup_free char *got = NULL;
		if (units_ram_in_bytes(sizes[i].in, &v, &e) < 0) {
			got = xasprintf("error:%s", e->msg);
			robbe_error_free(e);
		} else {
			got = xasprintf("%lld", (long long) v);
		}
		is_str(got, sizes[i].want, "size '%s'", sizes[i].in);
	}

	const struct {
		const char *in;
		const char *want;
	} uls[] = {
		{ "nofile=1024:2048", "nofile 1024 2048" },
		{ "nofile=1024", "nofile 1024 1024" },
		{ "core=-1", "core -1 -1" },
		{ "nproc=10:-1", "nproc 10 -1" },
		{ "foo=1", "error:invalid ulimit type: foo" },
		{ "as=1", "error:invalid ulimit type: as" },
		{ "nofile", "error:invalid ulimit argument: nofile" },
		{ "nofile=2048:1024", "error:ulimit soft limit must be less than or equal to hard limit: 2048 > 1024" },
		{ "nofile=-1:1024",
		  "error:ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: 1024" },
		{ "nofile=1:2:3", "error:too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`" },
		{ "nofile=abc", "error:strconv.ParseInt: parsing \"abc\": invalid syntax" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(uls); i++) {
		struct units_ulimit u = { 0 };
		robbe_error *e = NULL;
		cleanup_free char *got = NULL;
		if (units_parse_ulimit(uls[i].in, &u, &e) < 0) {
			got = xasprintf("error:%s", e->msg);
			robbe_error_free(e);
		} else {
			got = xasprintf("%s %lld %lld", u.name, (long long) u.soft, (long long) u.hard);
			free(u.name);
		}
		is_str(got, uls[i].want, "ulimit '%s'", uls[i].in);
	}
}

static void test_top_level(void)
{
	struct spec_request r = base_req();
	cJSON *img = cJSON_Parse("{\"StopSignal\":\"SIGQUIT\"}");
	char *ann[] = { "com.example.a=1", "com.example.b=x=y", NULL };
	r.image_config = img;
	r.annotations = ann;
	r.no_new_privileges = true;
	cJSON *cfg = gen(&r);
	is_str(str_at(cfg, "ociVersion"), "1.0.2-dev", "ociVersion as runc 1.1.5 reports");
	is_str(str_at(cfg, "root.path"), rootfs, "root.path");
	ok(cJSON_IsFalse(at(cfg, "root.readonly")), "root writable by default");
	ok(cJSON_IsTrue(at(cfg, "process.noNewPrivileges")), "noNewPrivileges");
	const cJSON *a = at(cfg, "annotations");
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(a, "com.example.b");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(a, "org.opencontainers.image.stopSignal");
	is_str(cJSON_IsString(b) ? b->valuestring : NULL, "x=y", "annotation value may hold '='");
	is_str(cJSON_IsString(s) ? s->valuestring : NULL, "SIGQUIT", "stop signal annotation from the image");
	cJSON_Delete(cfg);
	r.stop_signal = "SIGUSR1";
	cfg = gen(&r);
	s = cJSON_GetObjectItemCaseSensitive(at(cfg, "annotations"), "org.opencontainers.image.stopSignal");
	is_str(cJSON_IsString(s) ? s->valuestring : NULL, "SIGUSR1", "stop signal from the request wins");
	cJSON_Delete(cfg);
	char *bad[] = { "novalue", NULL };
	r.annotations = bad;
	is_str(err_of(&r), "invalid annotation \"novalue\": it must be key=value", "annotation without =");
	r = base_req();
	r.rootfs = NULL;
	is_str(err_of(&r), "the container has no root filesystem", "rootfs required");
	r.rootfs = "relative/rootfs";
	is_str(err_of(&r), "the root filesystem path relative/rootfs is not absolute", "rootfs must be absolute");
	cJSON_Delete(img);
}

/* ---------------------------------------------------------------------- */
/* test-spec bundle DIR [options] -- CMD... */

static int bundle_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },    { "group-add", required_argument, NULL, 'G' },
		{ "cap-add", required_argument, NULL, 'A' }, { "cap-drop", required_argument, NULL, 'D' },
		{ "seccomp", required_argument, NULL, 'S' }, { "read-only", no_argument, NULL, 'r' },
		{ "tmpfs", required_argument, NULL, 'T' },   { "memory", required_argument, NULL, 'm' },
		{ "init", no_argument, NULL, 'I' },          { "env", required_argument, NULL, 'e' },
		{ "workdir", required_argument, NULL, 'w' }, { "hostname", required_argument, NULL, 'h' },
		{ "privileged", no_argument, NULL, 'P' },    { "ulimit", required_argument, NULL, 'U' },
		{ "netns", required_argument, NULL, 'n' },   { "id", required_argument, NULL, 'i' },
		{ "entrypoint", required_argument, NULL, 'E' }, { "image-config", required_argument, NULL, 'C' },
		{ "sysctl", required_argument, NULL, 's' },  { "device", required_argument, NULL, 'd' },
		{ "no-new-privileges", no_argument, NULL, 'N' }, { "pids-limit", required_argument, NULL, 'p' },
		{ "hosts", required_argument, NULL, 'H' },   { NULL, 0, NULL, 0 },
	};
	struct spec_request r = { 0 };
	cleanup_strv char **group_add = NULL, **cap_add = NULL, **cap_drop = NULL, **tmpfs = NULL, **env = NULL;
	cleanup_strv char **entrypoint = NULL, **sysctls = NULL, **devices = NULL;
	cleanup_free char *root = NULL;
	cleanup_free char *config = NULL;
	struct spec_ulimit ul[16];
	size_t n_ul = 0;
	cJSON *img = NULL;
	robbe_error *e = NULL;
	int c;

	if (argc < 3) {
		fprintf(stderr, "usage: test-spec bundle DIR [options] -- CMD...\n");
		return 2;
	}
	cleanup_free char *dir = realpath(argv[2], NULL);
	if (!dir) {
		perror(argv[2]);
		return 1;
	}
	optind = 3;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'u': r.user = optarg; break;
		case 'G': strv_push(&group_add, optarg); break;
		case 'A': strv_push(&cap_add, optarg); break;
		case 'D': strv_push(&cap_drop, optarg); break;
		case 'S': r.seccomp_profile = optarg; break;
		case 'r': r.read_only = true; break;
		case 'T': strv_push(&tmpfs, optarg); break;
		case 'm':
			if (units_ram_in_bytes(optarg, &r.resources.memory, &e) < 0)
				goto fail;
			break;
		case 'I': r.init = true; break;
		case 'e': strv_push(&env, optarg); break;
		case 'w': r.workdir = optarg; break;
		case 'h': r.hostname = optarg; break;
		case 'P': r.privileged = true; break;
		case 'U': {
			struct units_ulimit u;
			if (n_ul >= ARRAY_SIZE(ul) || units_parse_ulimit(optarg, &u, &e) < 0)
				goto fail;
			ul[n_ul++] = (struct spec_ulimit) { u.name, u.soft, u.hard };
			break;
		}
		case 'n': r.netns_path = optarg; break;
		case 'i': r.container_id = optarg; break;
		case 'E':
			r.entrypoint_set = true;
			if (*optarg)
				strv_push(&entrypoint, optarg);
			break;
		case 'C': img = cJSON_Parse(optarg); break;
		case 's': strv_push(&sysctls, optarg); break;
		case 'd': strv_push(&devices, optarg); break;
		case 'N': r.no_new_privileges = true; break;
		case 'p': r.resources.pids_limit = strtoll(optarg, NULL, 10); break;
		case 'H': r.hosts_path = optarg; break;
		default: return 2;
		}
	}
	root = path_in(dir, "rootfs");
	config = path_in(dir, "config.json");
	r.rootfs = root;
	r.image_config = img;
	r.cmd = argv + optind;
	r.group_add = group_add;
	r.cap_add = cap_add;
	r.cap_drop = cap_drop;
	r.tmpfs = tmpfs;
	r.env = env;
	r.entrypoint = entrypoint;
	r.sysctls = sysctls;
	r.devices = devices;
	r.ulimits = ul;
	r.n_ulimits = n_ul;

	cJSON *cfg = NULL;
	char **warnings = NULL;
	if (spec_generate(&r, &cfg, &warnings, &e) < 0)
		goto fail;
	for (size_t i = 0; warnings && warnings[i]; i++)
		fprintf(stderr, "WARNING: %s\n", warnings[i]);
	strv_free(warnings);
	char *text = cJSON_Print(cfg);
	int rc = write_file_atomic(config, text, strlen(text), 0644, &e);
	free(text);
	cJSON_Delete(cfg);
	cJSON_Delete(img);
	for (size_t i = 0; i < n_ul; i++)
		free((char *) ul[i].name);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "test-spec bundle: %s\n", e ? e->msg : "bad arguments");
	robbe_error_free(e);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "bundle") == 0)
		return bundle_main(argc, argv);

	char tmpl[] = "/tmp/robbe-test-spec.XXXXXX";
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	tmp = tmpl;
	rootfs = make_root("rootfs", true);

	test_command();
	test_env_and_cwd();
	test_user();
	test_hostile_root();
	test_caps();
	test_seccomp_default();
	test_seccomp_custom();
	test_paths();
	test_mounts();
	test_init();
	test_namespaces();
	test_devices();
	test_resources();
	test_sysctls();
	test_units();
	test_top_level();
	test_rlimits();	/* last: it lowers this process's RLIMIT_NOFILE */

	int tmpfd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	robbe_error *e = NULL;
	if (rm_rf_at(tmpfd, tmp + strlen("/tmp/"), &e) < 0) {
		fprintf(stderr, "cleanup: %s\n", e->msg);
		robbe_error_free(e);
	}
	close(tmpfd);
	free(rootfs);
	free(last_error);
	return tap_done();
}
