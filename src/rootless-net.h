/* rootless-net.h: networking for rootless containers, with slirp4netns.
 *
 * A rootless robbe cannot make veth pairs, bridges or firewall rules on
 * the host, so a container on the default network gets user-mode
 * networking instead, as in Podman: slirp4netns, run from robbe's user
 * namespace (in the host's network namespace), opens a tap device in the
 * container's network namespace and carries its traffic through ordinary
 * sockets of the user's.  The container sees tap0 at 10.0.2.100/24, the
 * gateway 10.0.2.2 and a DNS forwarder at 10.0.2.3; connections to the
 * host's loopback are refused (--disable-host-loopback).  Published ports
 * (-p 8080:80, HostConfig.PortBindings) are slirp4netns host forwards,
 * added through its API socket, so only unprivileged host ports work.
 *
 * slirp4netns is started once `runtime create` made the container (its
 * process then exists, waiting for `runtime start`), and stopped when the
 * container's cleanup releases it.
 */
#ifndef ROBBE_ROOTLESS_NET_H
#define ROBBE_ROOTLESS_NET_H

#include <sys/types.h>

#include "container.h"
#include "util.h"

/* The container's address on its slirp4netns network. */
#define ROOTLESS_NET_GUEST_ADDR "10.0.2.100"
#define ROOTLESS_NET_DNS_ADDR "10.0.2.3"

/* Right after conmon created container c, whose process is pid: for a
 * rootless container with a network namespace of its own on a network
 * (not none, host or container:), start slirp4netns, wait until it has
 * configured tap0, publish the ports and point resolv.conf at its DNS
 * forwarder.  Nothing for rootful robbe.  On failure nothing is left
 * running and the start fails: Docker's words for a taken port ("Bind for
 * 0.0.0.0:8080 failed: port is already allocated"). */
int rootless_net_setup(struct container_env *env, struct store_container *c, pid_t pid, robbe_error **err);

/* Stop the slirp4netns of container id, if it runs (container lock held).
 * It would not stop by itself: its tap device keeps the container's
 * network namespace alive.  By id: `run --rm` removes the record first. */
void rootless_net_teardown(struct container_env *env, const char *id);

/* One published port. */
struct rootless_port {
	char proto[4];		/* "tcp" or "udp" */
	char host_ip[64];	/* "" for every address */
	unsigned host_port;	/* 0: any free port */
	unsigned container_port;
};
/* The ports HostConfig.PortBindings (Docker's {"80/tcp": [{"HostIp": "",
 * "HostPort": "8080"}]}) and, with PublishAllPorts, Config.ExposedPorts
 * ask for, ranges expanded.  Returns the count, -1 with err on a bad one. */
int rootless_net_ports(const cJSON *config, struct rootless_port **out, robbe_error **err);

/* ---- the rootless network namespace: user networks ---------------------
 *
 * As in Podman 4, user networks of a rootless robbe live in one network
 * namespace of the user's ("rootless-netns"), made on first need inside
 * robbe's user namespace and bound on <runroot>/networks/rootless-netns
 * (a mount of the pause process's mount namespace, so it lasts as long as
 * that namespace does).  One slirp4netns (10.0.2.100 on tap0, as a
 * container's) gives it outbound traffic; netavark runs inside it
 * (rootless_netns_open) and makes the bridges, veths, firewall rules and
 * aardvark-dns there, exactly as rootful netavark does on the host.  Each
 * container still gets a namespace of its own, joined to a bridge there.
 * A published port is a host forward of that slirp4netns to the same port
 * of 10.0.2.100, which netavark's rules send on to the container.  It is
 * kept when its last container goes (it costs one idle slirp4netns). */

/* <runroot>/networks/rootless-netns. */
char *rootless_netns_path(const struct container_env *env);
/* Does it exist, with its slirp4netns running? */
bool rootless_netns_alive(const struct container_env *env);
/* Make it (and start its slirp4netns) unless alive.  The caller holds the
 * network lock (net_global_lock). */
int rootless_netns_ensure(const struct container_env *env, robbe_error **err);
/* Open it (O_CLOEXEC), for a child to setns(2) into before it runs
 * netavark: the calling process cannot come back to the host's network
 * namespace, which its user namespace does not own. */
int rootless_netns_open(const struct container_env *env, robbe_error **err);
/* Forward host_ip:host_port (proto tcp or udp; "" for every address) of
 * the host to the same port in the namespace; *id names the forward for
 * rootless_netns_unforward.  A taken port: "Bind for 0.0.0.0:8080 failed:
 * port is already allocated". */
int rootless_netns_forward(const struct container_env *env, const char *proto, const char *host_ip,
			   unsigned host_port, int *id, robbe_error **err);
void rootless_netns_unforward(const struct container_env *env, int id);

#endif
