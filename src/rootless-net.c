/* rootless-net.c: slirp4netns for rootless containers, and the rootless-netns
 * of user networks (see rootless-net.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <time.h>

#include "container-internal.h"
#include "network-internal.h"
#include "rootless-net.h"
#include "rootless.h"

/* slirp4netns answers an API request within milliseconds; its start,
 * tap device and all, within a second or so. */
#define SLIRP_READY_MS 10000
#define SLIRP_API_MS 5000
#define MAX_PORTS 4096

static const char *config_str(const cJSON *config, const char *section, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, section), key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Only a container with a network namespace of its own on a network needs
 * one: host and container: modes share another's, none has loopback only. */
static bool wants_slirp(const struct container_env *env, const char *id, const cJSON *config)
{
	const char *mode = config_str(config, "HostConfig", "NetworkMode");

	if (!env->paths->rootless || !rootless_in_userns())
		return false;
	if (config_str(config, "Robbe", "NetworkContainer"))
		return false;
	/* On a user network: a namespace of robbe's, netavark's veth in it. */
	if (network_has_netns(env, id))
		return false;
	return !mode || (strcmp(mode, "none") && strcmp(mode, "host") && !str_has_prefix(mode, "container:"));
}

/* ---- the ports asked for ---------------------------------------------------- */

static int parse_port(const char *s, const char *end, unsigned *out)
{
	unsigned long v = 0;

	if (s == end)
		return -1;
	for (const char *p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned long) (*p - '0');
		if (v > 65535)
			return -1;
	}
	*out = (unsigned) v;
	return 0;
}

/* "80", "8000-8002": lo..hi. */
static int parse_range(const char *s, unsigned *lo, unsigned *hi)
{
	const char *dash = strchr(s, '-'), *end = s + strlen(s);

	if (parse_port(s, dash ? dash : end, lo) < 0)
		return -1;
	if (!dash) {
		*hi = *lo;
		return 0;
	}
	if (parse_port(dash + 1, end, hi) < 0 || *hi < *lo)
		return -1;
	return 0;
}

/* "80/tcp" (the protocol defaults to tcp). */
static int parse_key(const char *key, unsigned *lo, unsigned *hi, char proto[4])
{
	cleanup_free char *copy = xstrdup(key);
	char *slash = strchr(copy, '/');

	snprintf(proto, 4, "tcp");
	if (slash) {
		*slash = '\0';
		if (strcmp(slash + 1, "tcp") && strcmp(slash + 1, "udp"))
			return -1;
		snprintf(proto, 4, "%s", slash + 1);
	}
	return parse_range(copy, lo, hi);
}

static bool have_port(const struct rootless_port *v, size_t n, const char *proto, unsigned cport)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].container_port == cport && !strcmp(v[i].proto, proto))
			return true;
	return false;
}

static int add_port(struct rootless_port **v, size_t *n, const char *proto, const char *ip, unsigned hport,
		    unsigned cport, robbe_error **err)
{
	if (*n >= MAX_PORTS)
		return robbe_error_set(err, EXIT_ENGINE, "too many published ports (at most %d)", MAX_PORTS);
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	snprintf((*v)[*n].proto, sizeof((*v)[*n].proto), "%s", proto);
	snprintf((*v)[*n].host_ip, sizeof((*v)[*n].host_ip), "%s", ip ? ip : "");
	(*v)[*n].host_port = hport;
	(*v)[*n].container_port = cport;
	(*n)++;
	return 0;
}

int rootless_net_ports(const cJSON *config, struct rootless_port **out, robbe_error **err)
{
	const cJSON *hc = cJSON_GetObjectItemCaseSensitive(config, "HostConfig");
	const cJSON *pb = cJSON_GetObjectItemCaseSensitive(hc, "PortBindings");
	const cJSON *exposed = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "Config"),
								"ExposedPorts");
	cleanup_free struct rootless_port *v = NULL;
	const cJSON *p, *b;
	size_t n = 0;

	*out = NULL;
	cJSON_ArrayForEach(p, pb) {
		unsigned lo, hi;
		char proto[4];

		if (!p->string || parse_key(p->string, &lo, &hi, proto) < 0)
			return robbe_error_set(err, EXIT_ENGINE, "invalid port specification: \"%s\"",
					       p->string ? p->string : "");
		cJSON_ArrayForEach(b, p) {
			const cJSON *ip = cJSON_GetObjectItemCaseSensitive(b, "HostIp");
			const cJSON *hp = cJSON_GetObjectItemCaseSensitive(b, "HostPort");
			unsigned hlo = 0, hhi = 0;

			if (cJSON_IsString(hp) && *hp->valuestring && parse_range(hp->valuestring, &hlo, &hhi) < 0)
				return robbe_error_set(err, EXIT_ENGINE, "invalid hostPort: %s", hp->valuestring);
			/* A host range as long as the container's maps one to
			 * one; any other host range gives its first port. */
			for (unsigned port = lo; port <= hi; port++) {
				unsigned h = hlo == 0 ? 0 : hhi - hlo == hi - lo ? hlo + (port - lo) : hlo;
				if (add_port(&v, &n, proto, cJSON_IsString(ip) ? ip->valuestring : "", h, port, err) < 0)
					return -1;
			}
		}
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(hc, "PublishAllPorts"))) {
		cJSON_ArrayForEach(p, exposed) {
			unsigned lo, hi;
			char proto[4];

			if (!p->string || parse_key(p->string, &lo, &hi, proto) < 0)
				continue;
			for (unsigned port = lo; port <= hi; port++)
				if (!have_port(v, n, proto, port) && add_port(&v, &n, proto, "", 0, port, err) < 0)
					return -1;
		}
	}
	*out = steal_pointer(&v);
	return (int) n;
}

/* ---- files of one container's slirp4netns ------------------------------------- */

static char *pid_path(const struct container_env *env, const char *id)
{
	return xasprintf("%s/containers/%s/slirp4netns.pid", env->paths->runroot, id);
}

static char *log_path(const struct container_env *env, const char *id)
{
	return xasprintf("%s/containers/%s/slirp4netns.log", env->paths->runroot, id);
}

/* The API socket: a short path, since sun_path holds 107 bytes. */
static char *socket_path(const struct container_env *env, const char *id)
{
	return xasprintf("%s/slirp4netns/%.12s.sock", env->paths->runroot, id);
}

static char *log_tail(const char *path)
{
	cleanup_free char *text = NULL;
	cleanup_error robbe_error *e = NULL;
	size_t len = 0;

	if (read_file_all(path, 64 * 1024, &text, &len, &e) < 0 || len == 0)
		return xstrdup("(no message)");
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	{
		const char *nl = strrchr(text, '\n');
		return xstrdup(nl ? nl + 1 : text);
	}
}

/* Is pid a slirp4netns (and not a recycled pid)? */
static bool is_slirp(pid_t pid)
{
	cleanup_free char *path = xasprintf("/proc/%d/comm", (int) pid), *comm = NULL;
	cleanup_error robbe_error *e = NULL;

	return pid > 0 && read_file_all(path, 64, &comm, NULL, &e) == 0 && !strcmp(comm, "slirp4netns\n");
}

static void stop_slirp(pid_t pid)
{
	if (!is_slirp(pid))
		return;
	kill(pid, SIGTERM);
	if (!process_wait_gone(pid, 1000))
		kill(pid, SIGKILL);
}

/* ---- the API ------------------------------------------------------------------- */

/* One request, one reply: slirp4netns reads until we shut our side down. */
static int api_call(const char *sock, const char *request, cJSON **reply, robbe_error **err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	cleanup_close int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cleanup_sbuf struct sbuf in = SBUF_INIT;
	size_t len = strlen(request);

	if (fd < 0)
		return robbe_error_errno(err, errno, "socket");
	if (strlen(sock) >= sizeof(sa.sun_path))
		return robbe_error_set(err, EXIT_ENGINE, "slirp4netns API socket path too long: %s", sock);
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
		return robbe_error_errno(err, errno, "connect to slirp4netns at %s", sock);
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, request + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return robbe_error_errno(err, errno, "write to slirp4netns");
		off += (size_t) n;
	}
	shutdown(fd, SHUT_WR);
	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		char buf[4096];
		ssize_t n;

		if (poll(&pf, 1, SLIRP_API_MS) <= 0)
			return robbe_error_set(err, EXIT_ENGINE, "slirp4netns did not answer");
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return robbe_error_errno(err, errno, "read from slirp4netns");
		if (n == 0)
			break;
		if (in.len < 65536)
			sbuf_add(&in, buf, (size_t) n);
	}
	*reply = cJSON_Parse(sbuf_str(&in));
	if (!*reply)
		return robbe_error_set(err, EXIT_ENGINE, "slirp4netns answered \"%s\"", sbuf_str(&in));
	return 0;
}

/* A free host port for "-p :80" (HostPort empty), as the kernel picks one. */
static int free_port(const struct rootless_port *p, unsigned *out, robbe_error **err)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	cleanup_close int fd = socket(AF_INET, (!strcmp(p->proto, "udp") ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *) &sa, &len) < 0)
		return robbe_error_errno(err, errno, "finding a free host port");
	*out = ntohs(sa.sin_port);
	return 0;
}

static int publish(const char *sock, const struct store_container *c, struct rootless_port *p, robbe_error **err)
{
	cleanup_cjson cJSON *req = cJSON_CreateObject(), *reply = NULL;
	cleanup_free char *text = NULL;
	const char *ip = p->host_ip[0] ? p->host_ip : "0.0.0.0";
	const cJSON *error;
	struct in_addr a;

	if (inet_pton(AF_INET, ip, &a) != 1)
		return robbe_error_set(err, EXIT_ENGINE,
				       "rootless port publishing is IPv4 only (slirp4netns): cannot bind %s:%u", ip,
				       p->host_port);
	if (p->host_port == 0 && free_port(p, &p->host_port, err) < 0)
		return -1;
	cJSON_AddStringToObject(req, "execute", "add_hostfwd");
	{
		cJSON *args = cJSON_AddObjectToObject(req, "arguments");
		cJSON_AddStringToObject(args, "proto", p->proto);
		cJSON_AddStringToObject(args, "host_addr", ip);
		cJSON_AddNumberToObject(args, "host_port", p->host_port);
		cJSON_AddStringToObject(args, "guest_addr", ROOTLESS_NET_GUEST_ADDR);
		cJSON_AddNumberToObject(args, "guest_port", p->container_port);
	}
	text = cJSON_PrintUnformatted(req);
	if (!text)
		die_oom();
	if (api_call(sock, text, &reply, err) < 0)
		return -1;
	error = cJSON_GetObjectItemCaseSensitive(reply, "error");
	if (error) {
		/* slirp4netns says "add_hostfwd: slirp_add_hostfwd failed":
		 * the bind failed, which in practice is a taken port. */
		return robbe_error_set(err, EXIT_ENGINE,
				       "failed to set up container networking: driver failed programming external "
				       "connectivity on endpoint %s (%s): Bind for %s:%u failed: port is already allocated",
				       c->name, c->id, ip, p->host_port);
	}
	return 0;
}

/* ---- resolv.conf ------------------------------------------------------------------ */

/* The container's resolv.conf is bound into it already (runc create has
 * run): rewrite the file in place, the forwarder first, as Podman does.
 * Loopback name servers were dropped from it already (mount.c). */
static int point_dns(const cJSON *config, robbe_error **err)
{
	const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(config, "ResolvConfPath"));
	cleanup_free char *text = NULL, *out = NULL;
	cleanup_close int fd = -1;
	size_t len;

	/* --dns names the servers: those alone, as Docker does. */
	if (!path || !*path || cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
				       cJSON_GetObjectItemCaseSensitive(config, "HostConfig"), "Dns")) > 0)
		return 0;
	if (read_file_all(path, 1024 * 1024, &text, NULL, err) < 0)
		return -1;
	if (strstr(text, "nameserver " ROOTLESS_NET_DNS_ADDR "\n"))
		return 0;
	out = xasprintf("nameserver " ROOTLESS_NET_DNS_ADDR "\n%s", text);
	len = strlen(out);
	fd = open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || write(fd, out, len) != (ssize_t) len)
		return robbe_error_errno(err, errno, "write %s", path);
	return 0;
}

/* ---- start and stop ----------------------------------------------------------------- */

static int wait_ready(int fd)
{
	struct pollfd pf = { fd, POLLIN, 0 };
	char c = 0;

	if (poll(&pf, 1, SLIRP_READY_MS) <= 0)
		return -1;
	return read(fd, &c, 1) == 1 && c == '1' ? 0 : -1;
}

/* Start slirp4netns on the namespace target names (its trailing
 * arguments: a pid, or --netns-type=path and a path; then tap0), with its
 * API on sock and its messages in log, and wait until tap0 is configured;
 * what names the network for the error. */
static int run_slirp(const char *log, const char *sock, char *const *target, const char *what, pid_t *out,
		     robbe_error **err)
{
	cleanup_free char *prog = NULL, *api_opt = NULL;
	cleanup_strv char **envp = runtime_environ(NULL, NULL);
	cleanup_strv char **argv = NULL;
	cleanup_close int log_fd = -1, ready_r = -1, ready_w = -1;
	int pfd[2];
	pid_t pid;

	if (find_program("slirp4netns", NULL, &prog, err) < 0)
		return robbe_error_wrap(err, "rootless networking needs slirp4netns (or use --network none)");
	unlink(sock);
	api_opt = xasprintf("--api-socket=%s", sock);
	log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (log_fd < 0)
		return robbe_error_errno(err, errno, "open %s", log);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return robbe_error_errno(err, errno, "pipe");
	ready_r = pfd[0];
	ready_w = pfd[1];
	/* The MTU Podman uses: large frames make user-mode TCP fast.  No host
	 * loopback: 127.0.0.1 from the container must not reach the host's
	 * local-only services. */
	strv_push(&argv, prog);
	strv_push(&argv, "--configure");
	strv_push(&argv, "--mtu=65520");
	strv_push(&argv, "--disable-host-loopback");
	strv_push(&argv, "--enable-sandbox");
	strv_push(&argv, "--enable-seccomp");
	strv_push(&argv, api_opt);
	strv_push(&argv, "--ready-fd=3");
	for (size_t i = 0; target[i]; i++)
		strv_push(&argv, target[i]);
	{
		int fds[4] = { -1, log_fd, log_fd, ready_w };

		if (spawn_process(argv, envp, fds, 4, true, &pid, err) < 0)
			return robbe_error_wrap(err, "starting slirp4netns");
	}
	close(steal_fd(&ready_w));
	if (wait_ready(ready_r) < 0) {
		cleanup_free char *why = log_tail(log);
		kill(pid, SIGKILL);
		process_wait_gone(pid, 1000);
		return robbe_error_set(err, EXIT_ENGINE, "slirp4netns could not set up %s: %s", what, why);
	}
	*out = pid;
	return 0;
}

static int start_slirp(struct container_env *env, const struct store_container *c, pid_t ctr_pid, pid_t *out,
		       robbe_error **err)
{
	cleanup_free char *log = log_path(env, c->id), *sock = socket_path(env, c->id);
	cleanup_free char *sock_dir = xasprintf("%s/slirp4netns", env->paths->runroot);
	cleanup_free char *pid_arg = xasprintf("%d", (int) ctr_pid);
	char *target[] = { pid_arg, "tap0", NULL };

	if (mkdir_p(sock_dir, 0700, err) < 0)
		return -1;
	return run_slirp(log, sock, target, "the container's network", out, err);
}

int rootless_net_setup(struct container_env *env, struct store_container *c, pid_t pid, robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	cleanup_free struct rootless_port *ports = NULL;
	cleanup_free char *sock = NULL, *pidfile = NULL, *pid_text = NULL;
	pid_t slirp = 0;
	int n;

	if (!wants_slirp(env, c->id, config))
		return 0;
	if ((n = rootless_net_ports(config, &ports, err)) < 0)
		return -1;
	if (start_slirp(env, c, pid, &slirp, err) < 0)
		return -1;
	pidfile = pid_path(env, c->id);
	pid_text = xasprintf("%d\n", (int) slirp);
	if (write_file_replace(pidfile, pid_text, strlen(pid_text), 0600, err) < 0)
		goto fail;
	sock = socket_path(env, c->id);
	for (int i = 0; i < n; i++)
		if (publish(sock, c, &ports[i], err) < 0)
			goto fail;
	if (point_dns(config, err) < 0)
		goto fail;
	return 0;
fail:
	stop_slirp(slirp);
	unlink(pidfile);
	return -1;
}

void rootless_net_teardown(struct container_env *env, const char *id)
{
	cleanup_free char *pidfile = pid_path(env, id), *text = NULL, *sock = socket_path(env, id);
	cleanup_error robbe_error *e = NULL;

	if (read_file_all(pidfile, 64, &text, NULL, &e) < 0)
		return;
	stop_slirp((pid_t) strtol(text, NULL, 10));
	unlink(pidfile);
	unlink(sock);
}

/* ---- the rootless network namespace -------------------------------------------------- */

/* Its files: the namespace, its slirp4netns's pid, log and API socket. */
char *rootless_netns_path(const struct container_env *env)
{
	return paths_in_runroot(env->paths, "networks/rootless-netns");
}

static char *rlns_file(const struct container_env *env, const char *what)
{
	cleanup_free char *rel = xasprintf("networks/rootless-netns.%s", what);
	return paths_in_runroot(env->paths, rel);
}

static char *rlns_socket(const struct container_env *env)
{
	return xasprintf("%s/slirp4netns/rootless-netns.sock", env->paths->runroot);
}

/* Is path a network namespace bound there (not the empty file left when
 * the mount went, with the pause process's mount namespace)? */
static bool is_netns_file(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == NSFS_MAGIC;
}

static pid_t rlns_slirp_pid(const struct container_env *env)
{
	cleanup_free char *path = rlns_file(env, "pid"), *text = NULL;
	cleanup_error robbe_error *e = NULL;

	if (read_file_all(path, 64, &text, NULL, &e) < 0)
		return 0;
	return (pid_t) strtol(text, NULL, 10);
}

bool rootless_netns_alive(const struct container_env *env)
{
	cleanup_free char *path = rootless_netns_path(env);

	return is_netns_file(path) && is_slirp(rlns_slirp_pid(env));
}

int rootless_netns_ensure(const struct container_env *env, robbe_error **err)
{
	cleanup_free char *path = rootless_netns_path(env);
	cleanup_free char *pidfile = rlns_file(env, "pid"), *log = rlns_file(env, "log");
	cleanup_free char *sock = rlns_socket(env), *pid_text = NULL;
	cleanup_free char *sock_dir = xasprintf("%s/slirp4netns", env->paths->runroot);
	char *target[] = { "--netns-type=path", path, "tap0", NULL };
	pid_t slirp;

	if (rootless_netns_alive(env))
		return 0;
	/* Half of it (a slirp4netns whose namespace went, or the other way
	 * round) is no use: start again. */
	stop_slirp(rlns_slirp_pid(env));
	unlink(pidfile);
	if (mkdir_p(sock_dir, 0700, err) < 0)
		return -1;
	if (net_netns_create_at(path, err) < 0)
		return robbe_error_wrap(err, "creating the rootless network namespace");
	if (run_slirp(log, sock, target, "the rootless network namespace", &slirp, err) < 0) {
		net_netns_remove(path);
		return -1;
	}
	pid_text = xasprintf("%d\n", (int) slirp);
	if (write_file_replace(pidfile, pid_text, strlen(pid_text), 0600, err) < 0) {
		stop_slirp(slirp);
		net_netns_remove(path);
		return -1;
	}
	return 0;
}

int rootless_netns_open(const struct container_env *env, robbe_error **err)
{
	cleanup_free char *path = rootless_netns_path(env);
	int fd;

	if (!is_netns_file(path))
		return robbe_error_set(err, EXIT_ENGINE, "the rootless network namespace %s does not exist", path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return robbe_error_errno(err, errno, "opening %s", path);
	return fd;
}

int rootless_netns_forward(const struct container_env *env, const char *proto, const char *host_ip,
			   unsigned host_port, int *id, robbe_error **err)
{
	cleanup_cjson cJSON *req = cJSON_CreateObject(), *reply = NULL;
	cleanup_free char *text = NULL, *sock = rlns_socket(env);
	const char *ip = host_ip && *host_ip ? host_ip : "0.0.0.0";
	const cJSON *ret;
	cJSON *args;

	*id = -1;
	cJSON_AddStringToObject(req, "execute", "add_hostfwd");
	args = cJSON_AddObjectToObject(req, "arguments");
	cJSON_AddStringToObject(args, "proto", proto);
	cJSON_AddStringToObject(args, "host_addr", ip);
	cJSON_AddNumberToObject(args, "host_port", host_port);
	/* To the same port of the namespace's own address, where netavark's
	 * rules forward it to the container. */
	cJSON_AddStringToObject(args, "guest_addr", ROOTLESS_NET_GUEST_ADDR);
	cJSON_AddNumberToObject(args, "guest_port", host_port);
	text = cJSON_PrintUnformatted(req);
	if (!text)
		die_oom();
	if (api_call(sock, text, &reply, err) < 0)
		return -1;
	ret = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(reply, "return"), "id");
	if (cJSON_GetObjectItemCaseSensitive(reply, "error") || !cJSON_IsNumber(ret))
		return robbe_error_set(err, EXIT_ENGINE, "Bind for %s:%u failed: port is already allocated", ip,
				       host_port);
	*id = (int) ret->valuedouble;
	return 0;
}

void rootless_netns_unforward(const struct container_env *env, int id)
{
	cleanup_cjson cJSON *req = cJSON_CreateObject(), *reply = NULL;
	cleanup_free char *text = NULL, *sock = rlns_socket(env);
	cleanup_error robbe_error *e = NULL;

	if (id < 0 || !rootless_netns_alive(env))
		return;
	cJSON_AddStringToObject(req, "execute", "remove_hostfwd");
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(req, "arguments"), "id", id);
	text = cJSON_PrintUnformatted(req);
	if (!text)
		die_oom();
	api_call(sock, text, &reply, &e);
}
