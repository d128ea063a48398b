/* container-attach.c: conmon's attach socket: connecting to it and
 * copying a container's streams through it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "container-internal.h"

/* conmon's attach protocol: each packet is one stream byte then at most
 * 8 KiB of data. */
enum { ATTACH_STDIN = 1, ATTACH_STDOUT = 2, ATTACH_STDERR = 3 };
#define ATTACH_PACKET_MAX (8192 + 1)

struct container_attach {
	int fd;
	char *id;
	char *runtime;
};

struct container_attach *ctr_attach_new(int fd, const char *id, const char *runtime)
{
	struct container_attach *a = xcalloc(1, sizeof(*a));

	a->fd = fd;
	a->id = xstrdup(id);
	a->runtime = xstrdup(runtime);
	return a;
}

void container_attach_free(struct container_attach *a)
{
	if (!a)
		return;
	if (a->fd >= 0)
		close(a->fd);
	free(a->id);
	free(a->runtime);
	free(a);
}

/* Connect to <bundle>/attach through /proc/self/fd: the bundle path may be
 * longer than a socket address can hold. */
int ctr_attach_connect(const char *bundle, int *out, robbe_error **err)
{
	cleanup_close int dir = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int fd = -1;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (dir < 0)
		return robbe_error_errno(err, errno, "open %s", bundle);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/attach", dir);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return robbe_error_errno(err, errno, "socket");
	if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
		return robbe_error_errno(err, errno, "connect to %s/attach", bundle);
	*out = steal_fd(&fd);
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t) n;
	}
	return 0;
}

int container_attach_copy(struct container_env *env, struct container_attach *a, int in_fd, int out_fd,
			  int err_fd, volatile sig_atomic_t *signal_pending, robbe_error **err)
{
	cleanup_free char *buf = xmalloc(ATTACH_PACKET_MAX);
	sigset_t all, old;
	bool out_ok = out_fd >= 0, err_ok = err_fd >= 0;
	int rc = 0;

	(void) env;
	/* Signals stay blocked except inside ppoll, so one arriving between
	 * the check of *signal_pending and the wait is not missed. */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (;;) {
		struct pollfd pf[2] = { { a->fd, POLLIN, 0 }, { in_fd, POLLIN, 0 } };
		nfds_t n = in_fd >= 0 ? 2 : 1;
		int r;

		if (signal_pending && *signal_pending) {
			int sig = *signal_pending;
			cleanup_error robbe_error *e = NULL;

			*signal_pending = 0;
			/* The container may be gone already; nothing to do then. */
			runtime_kill(a->runtime, a->id, sig, false, &e);
		}
		r = ppoll(pf, n, NULL, &old);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = robbe_error_errno(err, errno, "poll");
			break;
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t got = recv(a->fd, buf, ATTACH_PACKET_MAX, 0);

			if (got < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (got <= 0)
				break;	/* conmon closed: the container's streams ended */
			if (buf[0] == ATTACH_STDOUT && out_ok && write_all(out_fd, buf + 1, (size_t) got - 1) < 0)
				out_ok = false;
			else if (buf[0] == ATTACH_STDERR && err_ok && write_all(err_fd, buf + 1, (size_t) got - 1) < 0)
				err_ok = false;
		}
		if (n == 2 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			char in[8192];
			ssize_t got = read(in_fd, in, sizeof(in));

			if (got < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (got <= 0) {
				/* Our stdin ended: conmon closes the container's. */
				shutdown(a->fd, SHUT_WR);
				in_fd = -1;
				continue;
			}
			if (send(a->fd, in, (size_t) got, MSG_NOSIGNAL) < 0 && errno != EINTR) {
				shutdown(a->fd, SHUT_WR);
				in_fd = -1;
			}
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

