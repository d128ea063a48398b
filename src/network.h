/* network.h: networks — their records and addresses, and a container's
 * network namespace.
 *
 * Rootful robbe networks the way Podman does: the network namespace is
 * robbe's (a bind-mounted file under <runroot>/netns), set up before conmon
 * runs `runc create` by Debian's netavark (veth, bridge, firewall, port
 * forwarding) with aardvark-dns answering names on user networks.  Address
 * allocation is robbe's own, in the store's transaction that records it.
 *
 * Docker's view is kept: the predefined networks `bridge` (the default,
 * 172.17.0.0/16, no name resolution), `host` and `none`, user bridge
 * networks with automatic subnets from 172.18.0.0/16 on, and Docker's
 * shapes and words for inspect, ls and errors.
 *
 * Nothing here prints.  Errors carry Docker's daemon wording (callers add
 * "Error response from daemon: ").
 */
#ifndef ROBBE_NETWORK_H
#define ROBBE_NETWORK_H

#include <stdbool.h>

#include "container.h"
#include "store/store.h"
#include "util.h"

#define NETWORK_BRIDGE "bridge"
#define NETWORK_HOST "host"
#define NETWORK_NONE "none"

/* Can this robbe give containers bridge networks?  Rootful with netavark
 * installed; rootless with netavark and slirp4netns too (user networks in
 * the rootless-netns, see rootless-net.h; the default `bridge` stays a
 * slirp4netns per container).  When false, `bridge` and user networks
 * mean a private network namespace (slirp4netns's, rootless). */
bool network_is_supported(const struct container_env *env);

/* bridge, host and none. */
bool network_is_predefined(const char *name);

/* ---- network records ----------------------------------------------------- */

struct network_create_opts {
	const char *name;
	const char *driver;		/* NULL: bridge (the only one robbe has) */
	char *const *subnets;		/* CIDR; empty: chosen (172.18.0.0/16, ...) */
	char *const *gateways;		/* each in one of the subnets */
	char *const *ip_ranges;		/* each in one of the subnets */
	char *const *aux_addresses;	/* name=address, kept out of allocation */
	const char *ipam_driver;	/* NULL or "default" */
	char *const *ipam_options;	/* k=v */
	bool internal;
	bool ipv4_set, ipv4;		/* --ipv4 given, and its value */
	bool ipv6;
	bool attachable;
	char *const *labels;		/* k=v */
	char *const *options;		/* -o k=v: com.docker.network.bridge.name, ...driver.mtu */
};

/* Create a user network.  Errors in Docker's words: "network with name x
 * already exists" (EEXIST), "invalid network config:\n...", "invalid
 * pool request: Pool overlaps with other one on this address space",
 * "could not find an available, non-overlapping IPv4 address pool ...".
 * Those Docker's client says before asking its daemon ("every ip-range
 * or gateway must have a corresponding subnet", ...) have errnum EINVAL. */
int network_create(struct container_env *env, const struct network_create_opts *o, struct store_network **out,
		   robbe_error **err);

/* By id, name or unique id prefix (the predefined networks exist from the
 * first call on).  Not found: errnum ENOENT, "network x not found". */
int network_lookup(struct container_env *env, const char *ref, struct store_network **out, robbe_error **err);
/* Every network, predefined ones included, by name. */
int network_list(struct container_env *env, struct store_network ***out, robbe_error **err);

/* Docker's `network inspect` object: Name, Id, Created, Scope, Driver,
 * EnableIPv4, EnableIPv6, IPAM, Internal, Attachable, Ingress, ConfigFrom,
 * ConfigOnly, Containers (the running ones), Options, Labels. */
int network_inspect_json(struct container_env *env, const struct store_network *n, cJSON **out, robbe_error **err);
/* The parsed config of a record (never NULL). */
cJSON *network_config(const struct store_network *n);
/* Labels as an object (borrowed from config), or NULL. */
const cJSON *network_labels(const cJSON *config);

/* Remove a network by reference.  The predefined ones: "x is a pre-defined
 * network and cannot be removed" (status 1, EPERM).  Running containers
 * attached: "error while removing network: network x has active endpoints
 * (name:"c" id:"...")" (EBUSY).  Stopped containers stay, detached, as in
 * Docker: their next start fails with "network x not found". */
int network_remove(struct container_env *env, const char *ref, robbe_error **err);

/* Does any running container use the network?  (prune keeps those.) */
int network_in_use(struct container_env *env, const struct store_network *n, bool *in_use, robbe_error **err);

/* ---- port specifications ------------------------------------------------------ */

/* Docker's -p values ("[ip:][hostPort:]containerPort[/proto]", ranges)
 * into HostConfig.PortBindings ({"80/tcp": [{"HostIp": "", "HostPort":
 * "8080"}]}) and Config.ExposedPorts ({"80/tcp": {}}); keys kept sorted.
 * Errors in go-connections' words ("invalid containerPort: x"), status 125. */
int network_parse_publish(char *const *specs, cJSON *port_bindings, cJSON *exposed, robbe_error **err);
/* --expose values ("80", "80/udp", "8000-8010") into Config.ExposedPorts. */
int network_parse_expose(char *const *specs, cJSON *exposed, robbe_error **err);

/* ---- containers ------------------------------------------------------------- */

/* What a container asks of its first network (--ip, --ip6,
 * --mac-address, --network-alias); `network connect` asks the same. */
struct network_endpoint_opts {
	char *const *aliases;
	const char *ipv4, *ipv6;
	const char *mac;
};

/* The networking of a container being created. */
struct network_plan {
	char *mode;		/* HostConfig.NetworkMode: bridge, host, none, container:<id>, <name> */
	char *container;	/* container:<ref> resolved to an id, else NULL */
	bool host;		/* the host's namespace */
	bool own_netns;		/* robbe makes and sets up the namespace at start */
	char *gateway;		/* what --add-host host-gateway names: the default bridge's gateway */
	/* One entry per network to attach: network id and the attachment JSON. */
	char **network_ids;
	char **attachments;
};
void network_plan_release(struct network_plan *p);

/* Resolve --network (NULL or empty: the default bridge; several: user
 * networks) and check the endpoint options the way Docker does ("user
 * specified IP address is supported on user defined networks only",
 * "network-scoped alias is supported only for containers in user defined
 * networks", "invalid endpoint settings:\n...", "network x not found"). */
int network_plan_container(struct container_env *env, char *const *networks, const struct network_endpoint_opts *ep,
			   struct network_plan *out, robbe_error **err);
/* Record the plan's attachments for a container just added to the store. */
int network_attach_planned(struct container_env *env, const char *container_id, const struct network_plan *p,
			   robbe_error **err);

/* Start: make the container's network namespace, give it addresses and
 * ports, run netavark, and point the bundle's config.json at it; write the
 * container's /etc/hosts and /etc/resolv.conf.  Nothing to do for host,
 * none and container: modes, or without network support.  On failure
 * everything done so far is undone.  Port conflicts fail with Docker's
 * "failed to set up container networking: driver failed programming
 * external connectivity on endpoint x (id): Bind for 0.0.0.0:8080 failed:
 * port is already allocated".  The container lock is held. */
int network_container_setup(struct container_env *env, struct store_container *c, const char *bundle,
			    robbe_error **err);
/* Undo network_container_setup: netavark teardown, the namespace file, the
 * addresses and ports.  Safe to call when nothing was set up, and twice.
 * The container lock is held. */
void network_container_teardown(struct container_env *env, struct store_container *c);
/* The same by id alone, for a container whose record is gone already. */
void network_teardown_by_id(struct container_env *env, const char *id);
/* Did network_container_setup give container id a namespace of robbe's
 * (set up by netavark), which it still has? */
bool network_has_netns(const struct container_env *env, const char *id);

/* `network connect` / `network disconnect`, on running and stopped
 * containers.  Docker's words: "endpoint with name x already exists in
 * network y", "container x is not connected to network y", ... */
int network_connect(struct container_env *env, const char *net_ref, const char *ctr_ref,
		    const struct network_endpoint_opts *ep, robbe_error **err);
int network_disconnect(struct container_env *env, const char *net_ref, const char *ctr_ref, bool force,
		       robbe_error **err);

/* Docker's NetworkSettings for a container now: Networks from its
 * attachments (addresses while it runs), Ports while it runs, the legacy
 * top-level fields from the `bridge` network.  config is the container's
 * parsed record.  Networking that is not netavark's (rootless) shows its
 * ports by putting Docker's Ports object at "Network"."Ports" of the
 * container's state JSON, and SandboxKey/SandboxID next to it. */
int network_settings_json(struct store *s, const struct store_container *c, const cJSON *config, cJSON **out,
			  robbe_error **err);

/* Every attachment and network read once, for network_settings_json over
 * many containers (ps). */
struct network_settings_cache {
	struct store_network_attachment **atts;	/* by container id */
	struct store_network **nets;
};
int network_settings_cache_load(struct store *s, struct network_settings_cache *cache, robbe_error **err);
void network_settings_cache_release(struct network_settings_cache *cache);
/* network_settings_json from the cache (NULL: from the store). */
int network_settings_json_cached(struct store *s, const struct network_settings_cache *cache,
				 const struct store_container *c, const cJSON *config, cJSON **out, robbe_error **err);

#endif
