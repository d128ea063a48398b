/* network-netns.c: a container's network namespace file, netavark runs,
 * the teardown journal, and what the machine says about addresses and
 * ports.
 *
 * Bridges, firewall rules and the host's ports belong to the machine, not
 * to one robbe store: two stores (--root) may run containers on the same
 * default bridge.  So netavark runs under one machine-wide lock, and an
 * address handed out on a shared bridge is also claimed in a machine-wide
 * directory, which the allocator of every store consults.  Rootless, the
 * bridges are in the user's rootless-netns (rootless-net.h): netavark runs
 * there, and the lock and claims are the user's, under the runroot. */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <limits.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "network-internal.h"
#include "rootless-net.h"

#define NETAVARK "/usr/lib/podman/netavark"
#define AARDVARK "/usr/lib/podman/aardvark-dns"
/* Machine-wide, on the /run tmpfs: gone with the bridges at reboot. */
#define GLOBAL_DIR "/run/robbe-network"
#define NETAVARK_TIMEOUT_MS (60 * 1000)

/* ---- the namespace file -------------------------------------------------------- */

int net_netns_create_at(const char *p, robbe_error **err)
{
	pid_t pid;
	int fd, status;

	/* A leftover of a crash: whatever is mounted there goes first. */
	umount2(p, MNT_DETACH);
	fd = open(p, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return robbe_error_errno(err, errno, "creating %s", p);
	close(fd);
	/* A child unshares a new network namespace and binds it onto the
	 * file; it shares our mount namespace, so the mount stays. */
	pid = fork();
	if (pid < 0)
		return robbe_error_errno(err, errno, "fork");
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) < 0)
			_exit(errno & 0x7f);
		if (mount("/proc/self/ns/net", p, NULL, MS_BIND, NULL) < 0)
			_exit((errno & 0x7f) | 0x80);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return robbe_error_errno(err, errno, "waiting for the namespace helper");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
		unlink(p);
		return robbe_error_errno(err, code & 0x7f, "%s a network namespace",
					 code & 0x80 ? "binding" : "creating");
	}
	return 0;
}

char *net_netns_path(const struct container_env *env, const char *id)
{
	cleanup_free char *dir = paths_in_runroot(env->paths, "netns");
	return xasprintf("%s/robbe-%s", dir, id);
}

int net_netns_create(const struct container_env *env, const char *id, char **path, robbe_error **err)
{
	cleanup_free char *dir = paths_in_runroot(env->paths, "netns");
	cleanup_free char *p = NULL;

	*path = NULL;
	if (mkdir_p(dir, 0700, err) < 0)
		return -1;
	p = net_netns_path(env, id);
	if (net_netns_create_at(p, err) < 0)
		return -1;
	*path = steal_pointer(&p);
	return 0;
}

void net_netns_remove(const char *path)
{
	if (!path || !*path)
		return;
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return;	/* still mounted: keep the file rather than hide the mount */
	unlink(path);
}

/* ---- the machine-wide lock ------------------------------------------------------ */

bool net_rootless(const struct container_env *env)
{
	return env->paths->rootless || env->paths->userns;
}

/* Rootless, the bridges are in the user's rootless-netns: what every store
 * of the user shares is under the runroot. */
static char *global_dir(const struct container_env *env)
{
	return net_rootless(env) ? paths_in_runroot(env->paths, "network-global") : xstrdup(GLOBAL_DIR);
}

int net_global_lock(const struct container_env *env, int *fd, robbe_error **err)
{
	cleanup_free char *dir = global_dir(env);
	cleanup_free char *path = xasprintf("%s/netavark.lock", dir);
	cleanup_close int f = -1;

	*fd = -1;
	if (mkdir_p(dir, 0700, err) < 0)
		return -1;
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f < 0)
		return robbe_error_errno(err, errno, "opening %s", path);
	while (flock(f, LOCK_EX) < 0)
		if (errno != EINTR)
			return robbe_error_errno(err, errno, "locking %s", path);
	*fd = steal_fd(&f);
	return 0;
}

/* ---- running netavark ---------------------------------------------------------------- */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Its error: the "error" field of its JSON answer, else its stderr. */
static char *netavark_error(const char *out, const char *errtext)
{
	cleanup_cjson cJSON *j = out ? cJSON_Parse(out) : NULL;
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
	cleanup_sbuf struct sbuf sb = SBUF_INIT;

	if (cJSON_IsString(e))
		return xstrdup(e->valuestring);
	/* Its syslog complaint is noise. */
	for (const char *p = errtext; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t) (nl - p) : strlen(p);
		if (len && !(len >= 24 && !strncmp(p, "failed to connect to syslog", 27))) {
			if (sb.len)
				sbuf_addc(&sb, ' ');
			sbuf_add(&sb, p, len);
		}
		p += len + (nl ? 1 : 0);
	}
	return sbuf_detach(&sb);
}

/* Start argv with fds[0..2] as its standard descriptors, in the network
 * namespace nsfd.  The child makes only async-signal-safe calls. */
static int spawn_in_netns(char *const argv[], char *const envp[], const int fds[3], int nsfd, pid_t *out,
			  robbe_error **err)
{
	pid_t pid = fork();

	if (pid < 0)
		return robbe_error_errno(err, errno, "fork");
	if (pid == 0) {
		int moved[3];

		if (setns(nsfd, CLONE_NEWNET) < 0)
			_exit(126);
		/* Out of the way of 0..2 first, then into place. */
		for (int i = 0; i < 3; i++)
			if ((moved[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3)) < 0)
				_exit(126);
		for (int i = 0; i < 3; i++)
			if (dup2(moved[i], i) < 0)
				_exit(126);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	*out = pid;
	return 0;
}

int net_netavark(const struct container_env *env, const char *verb, const char *netns, const cJSON *input,
		 cJSON **out, robbe_error **err)
{
	cleanup_free char *config_dir = paths_in_runroot(env->paths, "networks");
	cleanup_free char *aardvark_dir = NULL;
	cleanup_free char *text = cJSON_PrintUnformatted(input);
	cleanup_free char *xtables = xasprintf("XTABLES_LOCKFILE=%s/xtables.lock", config_dir);
	char *extra[] = { xtables, NULL };
	cleanup_strv char **envp = NULL;
	cleanup_sbuf struct sbuf obuf = SBUF_INIT, ebuf = SBUF_INIT;
	cleanup_close int in_w = -1, out_r = -1, err_r = -1;
	bool rootless = net_rootless(env);
	cleanup_close int rlns = -1;
	char *argv[] = { NETAVARK, "--config", config_dir, rootless ? "--rootless=true" : "--rootless=false",
			 "--aardvark-binary", AARDVARK, (char *) verb, (char *) netns, NULL };
	int pin[2], pout[2], perr[2];
	size_t written = 0, len;
	int64_t deadline;
	pid_t pid;
	int status = 0;

	if (out)
		*out = NULL;
	if (!text)
		die_oom();
	len = strlen(text);
	/* netavark puts aardvark-dns's files there and fails without it. */
	aardvark_dir = xasprintf("%s/aardvark-dns", config_dir);
	if (mkdir_p(aardvark_dir, 0700, err) < 0)
		return -1;
	/* Rootless, netavark works in the rootless-netns (rootless-net.h),
	 * where iptables' lock file of /run is out of reach. */
	envp = runtime_environ(NULL, rootless ? extra : NULL);
	if (rootless) {
		if (!strcmp(verb, "setup") && rootless_netns_ensure(env, err) < 0)
			return -1;
		if (strcmp(verb, "setup")) {
			cleanup_free char *rlns_path = rootless_netns_path(env);
			struct stat st;
			/* Gone with the pause process: nothing is left to undo. */
			if (stat(rlns_path, &st) < 0)
				return 0;
		}
	}
	if (pipe2(pin, O_CLOEXEC) < 0)
		return robbe_error_errno(err, errno, "pipe");
	if (pipe2(pout, O_CLOEXEC) < 0) {
		close(pin[0]);
		close(pin[1]);
		return robbe_error_errno(err, errno, "pipe");
	}
	if (pipe2(perr, O_CLOEXEC) < 0) {
		close(pin[0]);
		close(pin[1]);
		close(pout[0]);
		close(pout[1]);
		return robbe_error_errno(err, errno, "pipe");
	}
	in_w = pin[1];
	out_r = pout[0];
	err_r = perr[0];
	{
		int fds[3] = { pin[0], pout[1], perr[1] };
		int r = 0;

		if (rootless) {
			rlns = rootless_netns_open(env, err);
			r = rlns < 0 ? -1 : spawn_in_netns(argv, envp, fds, rlns, &pid, err);
		} else {
			r = spawn_process(argv, envp, fds, 3, false, &pid, err);
		}
		close(pin[0]);
		close(pout[1]);
		close(perr[1]);
		if (r < 0)
			return robbe_error_wrap(err, "running netavark");
	}
	fcntl(in_w, F_SETFL, O_NONBLOCK);
	deadline = now_ms() + NETAVARK_TIMEOUT_MS;
	while (out_r >= 0 || err_r >= 0) {
		struct pollfd pf[3];
		int np = 0, left = (int) (deadline - now_ms());

		if (left <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		if (in_w >= 0)
			pf[np++] = (struct pollfd){ in_w, POLLOUT, 0 };
		if (out_r >= 0)
			pf[np++] = (struct pollfd){ out_r, POLLIN, 0 };
		if (err_r >= 0)
			pf[np++] = (struct pollfd){ err_r, POLLIN, 0 };
		if (poll(pf, (nfds_t) np, left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < np; i++) {
			char chunk[4096];
			ssize_t k;

			if (!pf[i].revents)
				continue;
			if (pf[i].fd == in_w) {
				k = write(in_w, text + written, len - written);
				if (k > 0)
					written += (size_t) k;
				if ((k < 0 && errno != EAGAIN && errno != EINTR) || written == len)
					close(steal_fd(&in_w));
				continue;
			}
			k = read(pf[i].fd, chunk, sizeof(chunk));
			if (k < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (k <= 0) {
				if (pf[i].fd == out_r)
					close(steal_fd(&out_r));
				else
					close(steal_fd(&err_r));
				continue;
			}
			{
				struct sbuf *sb = pf[i].fd == out_r ? &obuf : &ebuf;
				if (sb->len < 1024 * 1024)
					sbuf_add(sb, chunk, (size_t) k);
			}
		}
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return robbe_error_errno(err, errno, "waiting for netavark");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		cleanup_free char *msg = netavark_error(sbuf_str(&obuf), sbuf_str(&ebuf));
		return robbe_error_set(err, EXIT_GENERAL, "netavark %s: %s", verb,
				       msg && *msg ? msg : "failed without saying why");
	}
	if (out) {
		*out = cJSON_Parse(sbuf_str(&obuf));
		if (!*out)
			*out = cJSON_CreateObject();
	}
	return 0;
}

/* ---- the journal --------------------------------------------------------------------- */

static char *journal_path(const struct container_env *env, const char *id)
{
	cleanup_free char *rel = xasprintf("networks/%s.json", id);
	return paths_in_runroot(env->paths, rel);
}

int net_journal_read(const struct container_env *env, const char *id, cJSON **out)
{
	cleanup_free char *path = journal_path(env, id);
	cleanup_free char *text = NULL;
	cleanup_error robbe_error *e = NULL;

	*out = NULL;
	if (read_file_all(path, 16 * 1024 * 1024, &text, NULL, &e) < 0)
		return -ENOENT;
	*out = cJSON_Parse(text);
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return -ENOENT;
	}
	return 0;
}

int net_journal_write(const struct container_env *env, const char *id, const cJSON *j, robbe_error **err)
{
	cleanup_free char *path = journal_path(env, id);
	cleanup_free char *dir = paths_in_runroot(env->paths, "networks");
	cleanup_free char *text = cJSON_PrintUnformatted(j);

	if (!text)
		die_oom();
	if (mkdir_p(dir, 0700, err) < 0)
		return -1;
	/* fsync'ed: it is what a later teardown has to go on. */
	return write_file_atomic(path, text, strlen(text), 0600, err);
}

void net_journal_remove(const struct container_env *env, const char *id)
{
	cleanup_free char *path = journal_path(env, id);
	unlink(path);
}

/* ---- setups whose robbe died -------------------------------------------------------- */

/* Is pid a netavark setting up netns?  Its command line ends with
 * "setup <netns>" (net_netavark's argv). */
static bool is_setup_of(const char *pid, const char *netns)
{
	cleanup_free char *path = xasprintf("/proc/%s/cmdline", pid);
	cleanup_free char *text = NULL;
	cleanup_error robbe_error *e = NULL;
	size_t len = 0, nlen = strlen(netns);
	const char *last = NULL, *prev = NULL;

	if (read_file_all(path, 64 * 1024, &text, &len, &e) < 0 || len == 0)
		return false;
	{
		const char *slash = strrchr(text, '/');
		if (strcmp(slash ? slash + 1 : text, "netavark"))
			return false;
	}
	for (size_t i = 0; i < len; i += strlen(text + i) + 1) {
		prev = last;
		last = text + i;
	}
	return prev && last && !strcmp(prev, "setup") && strlen(last) == nlen && !memcmp(last, netns, nlen);
}

void net_wait_orphan_setups(const char *netns)
{
	int64_t deadline = now_ms() + NETAVARK_TIMEOUT_MS;

	for (;;) {
		DIR *d = opendir("/proc");
		struct dirent *de;
		bool found = false;

		if (!d)
			return;
		while (!found && (de = readdir(d)))
			found = de->d_name[0] >= '1' && de->d_name[0] <= '9' && is_setup_of(de->d_name, netns);
		closedir(d);
		if (!found || now_ms() > deadline)
			return;
		poll(NULL, 0, 20);
	}
}

/* ---- the default bridge's own port --------------------------------------------------- */

/* netavark removes a bridge, and with it the network's NAT and forwarding
 * chains, when its last container goes, and builds them again for the
 * next: some forty iptables runs for each `run --rm` in a loop.  A port
 * that belongs to no container keeps the bridge "in use", so only the
 * container's own rules come and go. */
#define KEEPER_SUFFIX "-keep"

void net_keep_bridge(const char *bridge)
{
	char keeper[IFNAMSIZ], master[PATH_MAX];
	cleanup_free char *link = NULL;
	struct ifreq ifr;
	ssize_t n;
	int fd;

	if (strlen(bridge) + strlen(KEEPER_SUFFIX) >= IFNAMSIZ)
		return;
	snprintf(keeper, sizeof(keeper), "%s%s", bridge, KEEPER_SUFFIX);
	link = xasprintf("/sys/class/net/%s/master", keeper);
	n = readlink(link, master, sizeof(master) - 1);
	if (n > 0) {
		const char *slash;

		master[n] = '\0';
		slash = strrchr(master, '/');
		if (!strcmp(slash ? slash + 1 : master, bridge))
			return;
	}
	if (!if_nametoindex(keeper)) {
		fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return;
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
		memcpy(ifr.ifr_name, keeper, strlen(keeper) + 1);
		if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETPERSIST, 1) < 0) {
			close(fd);
			return;
		}
		close(fd);
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, bridge, strlen(bridge) + 1);
	ifr.ifr_ifindex = (int) if_nametoindex(keeper);
	if (ifr.ifr_ifindex > 0 && ioctl(fd, SIOCBRADDIF, &ifr) < 0) {
		/* Without it, only the speed of the next run suffers. */
	}
	close(fd);
}

/* ---- claims on shared bridges ---------------------------------------------------------- */

static char *claim_path(const struct container_env *env, const char *bridge, const char *addr)
{
	cleanup_free char *dir = global_dir(env);
	return xasprintf("%s/claims/%s/%s", dir, bridge, addr);
}

static char *claim_dir(const struct container_env *env, const char *bridge)
{
	cleanup_free char *dir = global_dir(env);
	return xasprintf("%s/claims/%s", dir, bridge);
}

int net_claim(const struct container_env *env, const char *bridge, const char *addr, const char *netns,
	      robbe_error **err)
{
	cleanup_free char *dir = NULL, *path = NULL;

	if (!*bridge || strchr(bridge, '/') || !*addr)
		return 0;
	dir = claim_dir(env, bridge);
	path = claim_path(env, bridge, addr);
	if (mkdir_p(dir, 0700, err) < 0)
		return -1;
	return write_file_replace(path, netns, strlen(netns), 0600, err);
}

void net_unclaim(const struct container_env *env, const char *bridge, const char *addr, const char *netns)
{
	cleanup_free char *path = NULL;
	cleanup_free char *holder = NULL;
	cleanup_error robbe_error *e = NULL;

	if (!bridge || !*bridge || strchr(bridge, '/') || !addr || !*addr)
		return;
	path = claim_path(env, bridge, addr);
	if (read_file_all(path, 4096, &holder, NULL, &e) == 0 && netns && !strcmp(holder, netns)) {
		cleanup_free char *dir = claim_dir(env, bridge);
		unlink(path);
		rmdir(dir);	/* when it was the last claim on the bridge */
	}
}

/* Free unless claimed by a namespace that still exists, other than ours. */
bool net_claim_free(const struct container_env *env, const char *bridge, const struct net_addr *a,
		    const char *netns)
{
	cleanup_free char *addr = net_addr_str(a);
	cleanup_free char *path = NULL;
	cleanup_free char *holder = NULL;
	cleanup_error robbe_error *e = NULL;
	struct stat st;

	if (!*bridge || strchr(bridge, '/'))
		return true;
	path = claim_path(env, bridge, addr);
	if (read_file_all(path, 4096, &holder, NULL, &e) < 0)
		return true;
	if (netns && !strcmp(holder, netns))
		return true;
	return stat(holder, &st) < 0;
}

/* ---- the host probe ---------------------------------------------------------------------- */

static bool probe_address_free(void *ud, const char *bridge, const struct net_addr *a)
{
	const struct net_host_ctx *ctx = ud;
	return net_claim_free(ctx->env, bridge, a, ctx->netns);
}

static bool probe_alive(void *ud, const char *cid)
{
	const struct net_host_ctx *ctx = ud;
	cleanup_free char *path = journal_path(ctx->env, cid);
	return access(path, F_OK) == 0;
}

static int probe_bind(void *ud, const char *proto, const struct net_addr *ip, unsigned port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int type = !strcmp(proto, "udp") ? SOCK_DGRAM : SOCK_STREAM;
	int protocol = !strcmp(proto, "sctp") ? IPPROTO_SCTP : 0;
	int one = 1, fd, e = 0;

	(void) ud;
	if (ip->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *) &ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t) port);
		memcpy(&s4->sin_addr, ip->b, 4);
		len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *) &ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t) port);
		memcpy(&s6->sin6_addr, ip->b, 16);
		len = sizeof(*s6);
	}
	fd = socket(ip->family, type | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return errno == EPROTONOSUPPORT || errno == EAFNOSUPPORT ? 0 : errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ip->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *) &ss, len) < 0)
		e = errno;
	close(fd);
	/* An address the host does not have is no conflict of ours. */
	return e == EADDRNOTAVAIL ? 0 : e;
}

/* Docker's IsV6Listenable: can we bind [::1]? */
static bool v6_listenable(void)
{
	struct sockaddr_in6 s6 = { 0 };
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	s6.sin6_family = AF_INET6;
	s6.sin6_addr = in6addr_loopback;
	ok = bind(fd, (struct sockaddr *) &s6, sizeof(s6)) == 0;
	close(fd);
	return ok;
}

void net_host_probe_init(struct net_host_probe *p, struct net_host_ctx *ctx)
{
	cleanup_free char *text = NULL;
	cleanup_error robbe_error *e = NULL;
	unsigned lo, hi;

	memset(p, 0, sizeof(*p));
	p->ud = ctx;
	p->address_free = probe_address_free;
	p->bind_test = probe_bind;
	p->holder_alive = probe_alive;
	/* Rootless, the host's end of a published port is slirp4netns's,
	 * which forwards IPv4 only: no [::] bindings. */
	p->ipv6_listenable = !net_rootless(ctx->env) && v6_listenable();
	p->ephemeral_lo = 32768;
	p->ephemeral_hi = 60999;
	if (read_file_all("/proc/sys/net/ipv4/ip_local_port_range", 256, &text, NULL, &e) == 0 &&
	    sscanf(text, "%u %u", &lo, &hi) == 2 && lo > 0 && lo <= hi && hi <= 65535) {
		p->ephemeral_lo = lo;
		p->ephemeral_hi = hi;
	}
}
