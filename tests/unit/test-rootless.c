/* test-rootless.c: the pure parts of rootless mode — /etc/subuid parsing,
 * the newuidmap command line, id maps, keep-id's nested mapping, the
 * delegated cgroup, the published ports — and the rootless OCI config. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "rootless-net.h"
#include "rootless.h"
#include "spec-internal.h"
#include "tests/unit/tap.h"

static void test_subids(void)
{
	const char *text = "alice:100000:65536\n"
			   "bob:165536:65536\n"
			   "1001:300000:1000\n"
			   "alice:200000:10\n"
			   "alice:bad:10\n"
			   "alice:5:0\n"
			   "alice:900:200\n" /* holds alice's own id 1000 */
			   "alice\n"
			   "alice:4294967290:100\n"
			   "carol:1:2";
	struct rootless_range *r = NULL;
	size_t n = rootless_parse_subids(text, "alice", 1000, &r);

	is_int((int) n, 2, "alice: two usable ranges");
	if (n == 2) {
		ok(r[0].start == 100000 && r[0].count == 65536, "first range sorted first");
		ok(r[1].start == 200000 && r[1].count == 10, "second range");
	}
	free(r);

	n = rootless_parse_subids(text, "nobody-here", 1001, &r);
	is_int((int) n, 1, "a line naming the uid counts for a user of that uid");
	ok(n == 1 && r[0].start == 300000 && r[0].count == 1000, "the uid line's range");
	free(r);

	n = rootless_parse_subids(text, NULL, 4242, &r);
	is_int((int) n, 0, "no line for the user: no ranges");
	ok(r == NULL, "nothing allocated");
	n = rootless_parse_subids("", "alice", 1000, &r);
	is_int((int) n, 0, "empty file");
	n = rootless_parse_subids("alice:100000:65536\r\n", "alice", 1000, &r);
	is_int((int) n, 1, "CRLF line");
	free(r);
}

static void test_map_argv(void)
{
	struct rootless_range r[] = { { 100000, 65536 }, { 300000, 10 } };
	cleanup_strv char **argv = rootless_map_argv("newuidmap", 4321, 1000, r, 2);
	const char *want[] = { "newuidmap", "4321", "0",      "1000",	"1",  "1",
			       "100000",    "65536", "65537", "300000", "10", NULL };
	size_t i;

	for (i = 0; want[i] && argv[i]; i++)
		if (strcmp(want[i], argv[i]))
			break;
	ok(!want[i] && !argv[i], "newuidmap pid 0 uid 1, then each range counting up from 1 (word %zu: %s)", i,
	   argv[i] ? argv[i] : "(end)");
}

static void test_idmap(void)
{
	struct rootless_idmap m[4];
	size_t n = rootless_parse_idmap("         0       1001          1\n         1     100000      65536\n", m, 4);

	is_int((int) n, 2, "two uid_map lines");
	ok(n == 2 && m[0].inside == 0 && m[0].outside == 1001 && m[0].count == 1, "line 1");
	ok(n == 2 && m[1].inside == 1 && m[1].outside == 100000 && m[1].count == 65536, "line 2");
	n = rootless_parse_idmap("0 0 4294967295\n", m, 4);
	ok(n == 1 && m[0].count == 4294967295u, "the initial namespace's map");
}

static void test_keepid(void)
{
	struct spec_idmap m[3];
	size_t n = spec_keepid_map(1000, 65537, m);

	is_int((int) n, 3, "keep-id of uid 1000 in 65537 ids: three ranges");
	ok(m[0].container_id == 0 && m[0].host_id == 1 && m[0].size == 1000, "0..999 are namespace 1..1000");
	ok(m[1].container_id == 1000 && m[1].host_id == 0 && m[1].size == 1, "1000 is namespace 0, the user");
	ok(m[2].container_id == 1001 && m[2].host_id == 1001 && m[2].size == 64536, "1001.. stay themselves");

	n = spec_keepid_map(100000, 65537, m);
	is_int((int) n, 2, "an id beyond the namespace: two ranges");
	ok(m[0].container_id == 0 && m[0].host_id == 1 && m[0].size == 65536, "every subordinate id below it");
	ok(m[1].container_id == 100000 && m[1].host_id == 0 && m[1].size == 1, "the user at its own id");

	n = spec_keepid_map(0, 65537, m);
	ok(n == 2 && m[0].container_id == 0 && m[0].host_id == 0 && m[1].container_id == 1 && m[1].size == 65536,
	   "keep-id of uid 0 is the identity");
}

static void test_cgroup_base(void)
{
	cleanup_free char *a = spec_cgroup_user_base(
		"0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope\n", 1000);
	cleanup_free char *b = spec_cgroup_user_base("0::/user.slice/user-1000.slice/session-3.scope\n", 1000);
	cleanup_free char *c = spec_cgroup_user_base(
		"12:pids:/user.slice\n1:name=systemd:/user.slice/user-7.slice/user@7.service\n", 7);
	cleanup_free char *d = spec_cgroup_user_base("0::/user.slice/user-10.slice/user@100.service/x\n", 10);
	cleanup_free char *e = spec_cgroup_user_base("0::/user.slice/user-10.slice/user@10.service\n", 10);

	is_str(a, "/user.slice/user-1000.slice/user@1000.service", "the user manager's cgroup");
	ok(b == NULL, "a login session's scope is not delegated");
	ok(c == NULL, "cgroup v1 lines give nothing");
	ok(d == NULL, "another user's manager does not count");
	is_str(e, "/user.slice/user-10.slice/user@10.service", "in the manager's cgroup itself");
}

static void test_ports(void)
{
	cleanup_cjson cJSON *cfg = cJSON_Parse(
		"{\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}],"
		"\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}],"
		"\"7000-7001/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"9000-9001\"}]},\"PublishAllPorts\":true},"
		"\"Config\":{\"ExposedPorts\":{\"80/tcp\":{},\"443/tcp\":{}}}}");
	cleanup_free struct rootless_port *p = NULL;
	cleanup_error robbe_error *err = NULL;
	int n = rootless_net_ports(cfg, &p, &err);

	is_int(n, 5, "80, 53/udp, 7000, 7001 and (publish all) 443");
	for (int i = 0; i < n; i++) {
		if (p[i].container_port == 80)
			ok(p[i].host_port == 8080 && !strcmp(p[i].proto, "tcp") && !p[i].host_ip[0], "80/tcp on 8080");
		if (p[i].container_port == 53)
			ok(p[i].host_port == 0 && !strcmp(p[i].proto, "udp") && !strcmp(p[i].host_ip, "127.0.0.1"),
			   "53/udp on any port of 127.0.0.1");
		if (p[i].container_port == 7001)
			ok(p[i].host_port == 9001, "ranges of one length map one to one");
		if (p[i].container_port == 443)
			ok(p[i].host_port == 0, "exposed 443 on any port");
	}

	cJSON_Delete(cfg);
	cfg = cJSON_Parse("{\"HostConfig\":{\"PortBindings\":{\"80/sctp\":[{\"HostPort\":\"1\"}]}}}");
	free(steal_pointer(&p));
	ok(rootless_net_ports(cfg, &p, &err) < 0 && strstr(err->msg, "80/sctp"), "sctp is refused");
	robbe_error_free(steal_pointer(&err));
	cJSON_Delete(cfg);
	cfg = cJSON_Parse("{\"HostConfig\":{}}");
	is_int(rootless_net_ports(cfg, &p, &err), 0, "no ports");
}

static bool statfs_is_v1(void)
{
	struct statfs st;

	return statfs("/sys/fs/cgroup", &st) == 0 && (unsigned long) st.f_type != 0x63677270;
}

static const cJSON *mount_at(const cJSON *cfg, const char *dest)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(cfg, "mounts"))
	{
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(m, "destination");
		if (cJSON_IsString(d) && !strcmp(d->valuestring, dest))
			return m;
	}
	return NULL;
}

/* The OCI config for a rootless container (req.rootless: this test does
 * not run in a user namespace). */
static void test_spec(void)
{
	char dir[] = "/tmp/test-rootless-XXXXXX";
	char *const cmd[] = { "sh", NULL };
	struct spec_request req = { .rootless = true, .cmd = cmd, .netns_path = "host",
				    .container_id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" };
	cleanup_cjson cJSON *cfg = NULL;
	cleanup_error robbe_error *err = NULL;
	const cJSON *lnx, *sys;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	{
		cleanup_free char *etc = xasprintf("%s/etc", dir);
		cleanup_free char *pw = xasprintf("%s/etc/passwd", dir);
		cleanup_error robbe_error *e = NULL;
		mkdir(etc, 0755);
		write_file_replace(pw, "root:x:0:0:root:/root:/bin/sh\n", 31, 0644, &e);
	}
	req.rootfs = dir;
	if (!ok(spec_generate(&req, &cfg, NULL, &err) == 0, "rootless config with the host's network")) {
		tap_diag(err->msg);
		goto out;
	}
	lnx = cJSON_GetObjectItemCaseSensitive(cfg, "linux");
	sys = mount_at(cfg, "/sys");
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sys, "type")), "bind",
	       "/sys is the host's, bound (sysfs belongs to the network namespace's owner)");
	ok(!mount_at(cfg, "/sys/fs/cgroup"), "no cgroup mount over the bound /sys");
	ok(!cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(lnx, "sysctl"), "net.ipv4.ping_group_range"),
	   "no ping_group_range: its host gids are not mapped");
	if (statfs_is_v1())
		ok(!cJSON_GetObjectItemCaseSensitive(lnx, "cgroupsPath"), "cgroup v1: no cgroup for the container");
	cJSON_Delete(steal_pointer(&cfg));

	req.netns_path = NULL;
	ok(spec_generate(&req, &cfg, NULL, &err) == 0 &&
		   !strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(mount_at(cfg, "/sys"), "type")), "sysfs"),
	   "its own network namespace: sysfs mounted as usual");
	cJSON_Delete(steal_pointer(&cfg));

	req.resources.memory = 64 << 20;
	if (statfs_is_v1()) {
		int r = spec_generate(&req, &cfg, NULL, &err);
		ok(r < 0 && strstr(err->msg, "--memory cannot be applied to a rootless container") &&
			   strstr(err->msg, "cgroup v1"),
		   "cgroup v1: --memory refused, saying why (%s)", err ? err->msg : "no error");
		robbe_error_free(steal_pointer(&err));
		req.resources.memory = 0;
		req.resources.nano_cpus = 500000000;
		ok(spec_generate(&req, &cfg, NULL, &err) < 0 && strstr(err->msg, "--cpus"), "--cpus refused too");
		robbe_error_free(steal_pointer(&err));
	}
	req.resources.memory = req.resources.nano_cpus = 0;

	req.rootless = false;
	req.userns = SPEC_USERNS_KEEP_ID;
	ok(spec_generate(&req, &cfg, NULL, &err) < 0 && strstr(err->msg, "only for rootless"),
	   "keep-id is refused rootful");
	robbe_error_free(steal_pointer(&err));
	{
		enum spec_userns u;
		ok(spec_userns_parse("keep-id", &u, &err) == 0 && u == SPEC_USERNS_KEEP_ID, "parse keep-id");
		ok(spec_userns_parse("host", &u, &err) == 0 && u == SPEC_USERNS_HOST, "parse host");
		ok(spec_userns_parse("auto", &u, &err) < 0 && strstr(err->msg, "auto"), "auto is not known");
	}
out:
	{
		cleanup_error robbe_error *e = NULL;
		rm_rf_at(AT_FDCWD, dir, &e);
	}
}

int main(void)
{
	test_subids();
	test_map_argv();
	test_idmap();
	test_keepid();
	test_cgroup_base();
	test_ports();
	test_spec();
	return tap_done();
}
