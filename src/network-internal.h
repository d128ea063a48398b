/* network-internal.h: what the network engine's files share. */
#ifndef ROBBE_NETWORK_INTERNAL_H
#define ROBBE_NETWORK_INTERNAL_H

#include <stdint.h>

#include "container-internal.h"
#include "network.h"

/* ---- network-addr.c: addresses, prefixes, MACs, port specs ---- */

struct net_addr {
	int family;	/* AF_INET or AF_INET6 */
	uint8_t b[16];	/* network order; IPv4 in b[0..3] */
};
struct net_prefix {
	struct net_addr addr;
	int len;
};

/* An IPv4-mapped IPv6 address parses as IPv4 (Go's To4). */
int net_addr_parse(const char *s, struct net_addr *out);
int net_addr_bits(const struct net_addr *a);
char *net_addr_str(const struct net_addr *a);
int net_addr_cmp(const struct net_addr *a, const struct net_addr *b);
/* a += n; false when it wrapped around. */
bool net_addr_add(struct net_addr *a, uint64_t n);
bool net_addr_is_unspecified(const struct net_addr *a);
/* "172.18.0.0/16" (netip.ParsePrefix: host bits may be set). */
int net_prefix_parse(const char *s, struct net_prefix *out);
void net_prefix_masked(const struct net_prefix *p, struct net_prefix *out);
bool net_prefix_is_masked(const struct net_prefix *p);
char *net_prefix_str(const struct net_prefix *p);
void net_prefix_last(const struct net_prefix *p, struct net_addr *out);
bool net_prefix_contains(const struct net_prefix *p, const struct net_addr *a);
bool net_prefix_overlaps(const struct net_prefix *a, const struct net_prefix *b);

int net_mac_parse(const char *s, uint8_t out[6]);
/* A random unicast, locally administered MAC. */
char *net_mac_random(void);
/* 64 random hex digits whose first 12 are not all decimal. */
char *net_random_id(void);

/* "8000-8002" or "80" (ParsePortRange). */
int net_port_range_parse(const char *s, unsigned *lo, unsigned *hi);
/* SplitProtoPort: "80/udp" -> udp, 80; "80" -> tcp, 80; "" -> "", "". */
void net_split_proto_port(const char *raw, char **proto, char **port);

/* One container port of a -p spec, as Docker records it in PortBindings. */
struct net_port_mapping {
	char *proto;		/* tcp, udp, sctp */
	unsigned container_port;
	char *host_ip;		/* "" for all addresses */
	char *host_port;	/* "", "8080" or a range "8080-8090" to pick from */
};
/* go-connections' ParsePortSpec: "[ip:][hostPort:]containerPort[/proto]",
 * ranges expanded; status 125 errors in its words. */
int net_port_spec_parse(const char *raw, struct net_port_mapping **out, size_t *n, robbe_error **err);
void net_port_mappings_free(struct net_port_mapping *v, size_t n);

/* ---- network.c: records ---- */

/* The predefined networks exist in the store (made on first use). */
int net_ensure_predefined(struct container_env *env, robbe_error **err);
/* The network's driver word for netavark: bridge networks only. */
bool net_is_bridge(const struct store_network *n);
/* The bridge interface netavark uses for it. */
const char *net_bridge_name(const cJSON *config);

/* ---- network-ipam.c: allocation over a snapshot ---- */

/* What allocation needs to know about the world outside the store. */
struct net_host_probe {
	/* May this address be taken on this bridge?  (Another robbe store on
	 * the machine may share a bridge; see network-netns.c.) */
	bool (*address_free)(void *ud, const char *bridge, const struct net_addr *a);
	/* Can a socket bind host_ip:port for proto right now?  errno-style
	 * result: 0, EADDRINUSE, ... */
	int (*bind_test)(void *ud, const char *proto, const struct net_addr *host_ip, unsigned port);
	/* Is what container cid holds on a bridge real (its netavark set-up
	 * exists)?  Not after a reboot or a crash: then it is dropped.  NULL:
	 * always. */
	bool (*holder_alive)(void *ud, const char *cid);
	/* Does the host listen on IPv6 at all (Docker's IsV6Listenable)? */
	bool ipv6_listenable;
	unsigned ephemeral_lo, ephemeral_hi;	/* /proc/sys/net/ipv4/ip_local_port_range */
	void *ud;
};

/* A port request of a container: from HostConfig.PortBindings and, with
 * -P, Config.ExposedPorts. */
struct net_port_request {
	char *proto;
	unsigned container_port;
	char *host_ip;		/* "" for the default (0.0.0.0 and ::) */
	unsigned host_lo, host_hi;	/* 0,0: any ephemeral port */
};
struct net_port_requests {
	struct net_port_request *v;
	size_t n;
	cJSON *exposed;		/* "80/tcp" keys of ports exposed but not published (borrowed) */
};
void net_port_requests_release(struct net_port_requests *r);
/* Read a record's HostConfig.PortBindings, PublishAllPorts and
 * Config.ExposedPorts. */
int net_port_requests_from_config(const cJSON *config, struct net_port_requests *out, robbe_error **err);

/* Give container cid's attachments (in snap) their addresses, MACs,
 * endpoint ids and interface names, and its ports (on the first), as the
 * "Active" object of each attachment's JSON.  Docker's words on failure. */
int net_ipam_allocate(struct store_network_snapshot *snap, const char *cid, const char *cname,
		      const struct net_port_requests *ports, const struct net_host_probe *probe,
		      const char *only_network, robbe_error **err);
/* Drop the "Active" object of cid's attachments (all, or one network). */
void net_ipam_release(struct store_network_snapshot *snap, const char *cid, const char *only_network);

/* The network of an attachment in a snapshot. */
struct store_network *net_snapshot_network(const struct store_network_snapshot *snap, const char *id);

/* ---- network-netns.c: namespaces and netavark ---- */

/* A new network namespace bind-mounted on path (made if missing). */
int net_netns_create_at(const char *path, robbe_error **err);
/* <runroot>/netns/robbe-<id>: a new network namespace bind-mounted there. */
/* <runroot>/netns/robbe-<id>: where a container's namespace file is. */
char *net_netns_path(const struct container_env *env, const char *id);
int net_netns_create(const struct container_env *env, const char *id, char **path, robbe_error **err);
void net_netns_remove(const char *path);

/* The machine-wide lock around netavark (bridges and firewall rules are
 * the machine's, whichever robbe store asked for them).  *fd to close. */
int net_global_lock(const struct container_env *env, int *fd, robbe_error **err);
/* Robbe acting for an unprivileged user: user networks live in the
 * rootless-netns (rootless-net.h), the lock and claims under the runroot. */
bool net_rootless(const struct container_env *env);

/* Wait (at most netavark's own time limit) until no netavark is setting
 * up netns: the setup of a robbe killed meanwhile goes on without it and
 * its lock, and a teardown must come after it, not during it. */
void net_wait_orphan_setups(const char *netns);
/* Give bridge a port of robbe's (a tap that is never up), so that it and
 * its firewall chains outlive its last container, as docker0 does.  Best
 * effort, under the global lock, rootful only. */
void net_keep_bridge(const char *bridge);

/* netavark setup|teardown for one network of a container; the result JSON
 * of setup in *out (may be NULL). */
int net_netavark(const struct container_env *env, const char *verb, const char *netns, const cJSON *input,
		 cJSON **out, robbe_error **err);

/* The teardown journal of a container: <runroot>/networks/<id>.json holds
 * the namespace path and, per network, the input netavark set up, so the
 * exact same teardown runs whatever happened to the record meanwhile. */
int net_journal_read(const struct container_env *env, const char *id, cJSON **out);
int net_journal_write(const struct container_env *env, const char *id, const cJSON *j, robbe_error **err);
void net_journal_remove(const struct container_env *env, const char *id);

/* Claims of addresses on bridges other stores may share (see the file). */
int net_claim(const struct container_env *env, const char *bridge, const char *addr, const char *netns,
	      robbe_error **err);
void net_unclaim(const struct container_env *env, const char *bridge, const char *addr, const char *netns);
bool net_claim_free(const struct container_env *env, const char *bridge, const struct net_addr *a,
		    const char *netns);

/* The probe that looks at the real host (claims, bind(2), /proc, the
 * journals of env's store) for a container whose namespace is netns. */
struct net_host_ctx {
	const struct container_env *env;
	const char *netns;
};
void net_host_probe_init(struct net_host_probe *p, struct net_host_ctx *ctx);

#endif
