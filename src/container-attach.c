/* container-attach.c: conmon's attach socket: connecting to it (before a
 * start, or to a running container), copying a container's streams through
 * it with the detach keys watched for, and conmon's resize FIFO. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "container-internal.h"
#include "detachkeys.h"

/* conmon's attach protocol: each packet is one stream byte then at most
 * 8 KiB of data. */
enum { ATTACH_STDIN = 1, ATTACH_STDOUT = 2, ATTACH_STDERR = 3 };
#define ATTACH_PACKET_MAX (8192 + 1)
/* What is read from stdin at once; conmon takes up to 32 KiB a packet. */
#define ATTACH_INPUT_MAX 8192

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

static int not_running(const struct store_container *c, robbe_error **err)
{
	robbe_error_set(err, EXIT_GENERAL, "container %s is not running", c->id);
	(*err)->errnum = ESRCH;
	return -1;
}

int container_attach(struct container_env *env, struct store_container *c, struct container_attach **out,
		     robbe_error **err)
{
	__attribute__((cleanup(runtime_paths_release))) struct runtime_paths p = { 0 };
	cleanup_free char *runtime = NULL;
	cleanup_error robbe_error *e = NULL;
	int fd = -1;

	if (!container_is_active(c))
		return not_running(c, err);
	container_runtime_paths(env, c, &p);
	if (ctr_attach_connect(p.bundle, &fd, &e) < 0) {
		/* conmon removes the socket as the container exits: say so
		 * rather than how the connect failed. */
		cleanup_error robbe_error *sync_err = NULL;

		if (container_sync(env, c, &sync_err) == 0 && !container_is_active(c))
			return not_running(c, err);
		*err = steal_pointer(&e);
		return -1;
	}
	runtime = container_runtime(c);
	*out = ctr_attach_new(fd, c->id, runtime);
	return 0;
}

int container_attach_kill(struct container_attach *a, int sig, robbe_error **err)
{
	return runtime_kill(a->runtime, a->id, sig, false, err);
}

/* Does the FIFO hold bytes nobody has read yet? */
static bool fifo_pending(int fd)
{
	int n = 0;

	return fd >= 0 && ioctl(fd, FIONREAD, &n) == 0 && n > 0;
}

/* conmon 2.1 acts on the first line only of what one read of ctl (or of
 * the winsz FIFO it passes sizes on through) returns, as many times as
 * there are lines: two sizes written in a burst leave the first one in
 * force.  So each size waits until conmon has taken it through both FIFOs
 * (seen empty twice in a row, to step over conmon's moment between
 * reading one and writing the other), for a fifth of a second at most. */
static void fifos_wait_taken(int ctl, int winsz)
{
	const struct timespec tick = { 0, 2 * 1000 * 1000 };
	int empty = 0;

	for (int i = 0; i < 100 && empty < 2; i++) {
		if (fifo_pending(ctl) || fifo_pending(winsz))
			empty = 0;
		else
			empty++;
		nanosleep(&tick, NULL);
	}
}

int container_resize(const struct container_env *env, const struct store_container *c, unsigned rows,
		     unsigned cols, robbe_error **err)
{
	__attribute__((cleanup(runtime_paths_release))) struct runtime_paths p = { 0 };
	cleanup_free char *ctl = NULL, *winsz = NULL, *line = NULL;
	cleanup_close int fd = -1, winsz_fd = -1;

	container_runtime_paths(env, c, &p);
	ctl = runtime_paths_ctl(&p);
	winsz = xasprintf("%s/winsz", p.bundle);
	/* Non-blocking: a conmon that is gone must not hang us in open(). */
	fd = open(ctl, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return robbe_error_errno(err, errno, "open %s", ctl);
	/* Only looked at, never written. */
	winsz_fd = open(winsz, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	line = xasprintf("1 %u %u\n", rows, cols);
	if (write(fd, line, strlen(line)) < 0)
		return robbe_error_errno(err, errno, "write %s", ctl);
	fifos_wait_taken(fd, winsz_fd);
	return 0;
}

/* One packet to the container's stdin; false once conmon stopped taking it. */
static bool send_input(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		buf += n;
		len -= (size_t) n;
	}
	return true;
}

/* Our stdin ended: what the matcher held goes on, then conmon is told
 * (it closes the container's stdin unless told to leave it open). */
static void end_input(int fd, struct detach_matcher *m, unsigned char *buf)
{
	size_t n = detach_match_flush(m, buf);

	if (n)
		send_input(fd, buf, n);
	shutdown(fd, SHUT_WR);
}

int container_attach_stream(struct container_env *env, struct container_attach *a,
			    const struct container_attach_io *io, robbe_error **err)
{
	cleanup_free char *buf = xmalloc(ATTACH_PACKET_MAX);
	cleanup_free unsigned char *in = xmalloc(ATTACH_INPUT_MAX);
	cleanup_free unsigned char *pass = NULL;
	struct detach_matcher m = { .keys = io->detach_keys };
	int in_fd = io->in_fd;
	bool out_ok = io->out_fd >= 0, err_ok = io->err_fd >= 0;
	sigset_t all, old;
	int rc = CONTAINER_ATTACH_EOF;

	(void) env;
	pass = xmalloc(ATTACH_INPUT_MAX + (m.keys ? m.keys->len : 0));
	/* Signals stay blocked except inside ppoll, so one arriving between
	 * the caller's check and the wait is not missed. */
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

		if (io->on_signal && io->on_signal(io->opaque, a)) {
			rc = CONTAINER_ATTACH_STOPPED;
			break;
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
			if (buf[0] == ATTACH_STDOUT && out_ok && write_all(io->out_fd, buf + 1, (size_t) got - 1) < 0)
				out_ok = false;
			else if (buf[0] == ATTACH_STDERR && err_ok &&
				 write_all(io->err_fd, buf + 1, (size_t) got - 1) < 0)
				err_ok = false;
		}
		if (n == 2 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			ssize_t got = read(in_fd, in, ATTACH_INPUT_MAX);
			bool detached = false;
			size_t w;

			if (got < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (got <= 0) {
				end_input(a->fd, &m, pass);
				in_fd = -1;
				continue;
			}
			w = detach_match(&m, in, (size_t) got, pass, &detached);
			if (w && !send_input(a->fd, pass, w)) {
				shutdown(a->fd, SHUT_WR);
				in_fd = -1;
			}
			if (detached) {
				rc = CONTAINER_ATTACH_DETACHED;
				break;
			}
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
