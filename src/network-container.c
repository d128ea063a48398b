/* network-container.c: a container's networks — the plan at create, the
 * namespace and netavark at start, teardown, connect and disconnect, and
 * the NetworkSettings Docker shows.
 *
 * An attachment's JSON (store: container_networks) holds what was asked
 * ("Order", "Aliases", "IPAMConfig", "MacAddress") and, while the
 * container runs, what it got ("Active", see network-ipam.c).  The
 * journal (network-netns.c) holds what netavark set up, so teardown does
 * not depend on the record. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "network-internal.h"
#include "rootless-net.h"

#define DEFAULT_GATEWAY "172.17.0.1"

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool is_user_defined(const char *name)
{
	return !network_is_predefined(name) && strcmp(name, "default") && !str_has_prefix(name, "container:");
}

/* Does netavark set the network up?  Bridge networks, except, rootless,
 * the default `bridge`: a rootless container there gets a slirp4netns of
 * its own (rootless-net.h), as Podman's default is. */
static bool uses_netavark(const struct container_env *env, const struct store_network *n)
{
	if (!net_is_bridge(n) || !network_is_supported(env))
		return false;
	return !(net_rootless(env) && !strcmp(n->name, NETWORK_BRIDGE));
}

bool network_has_netns(const struct container_env *env, const char *id)
{
	cleanup_cjson cJSON *j = NULL;

	return net_journal_read(env, id, &j) == 0 && jstr(j, "Netns") != NULL;
}

/* ---- the plan at create ------------------------------------------------------------ */

void network_plan_release(struct network_plan *p)
{
	free(p->mode);
	free(p->container);
	free(p->gateway);
	strv_free(p->network_ids);
	strv_free(p->attachments);
	memset(p, 0, sizeof(*p));
}

static int invalid_settings(robbe_error **err, const char *what, const char *arg)
{
	return robbe_error_set(err, EXIT_GENERAL, "invalid endpoint settings:\n%s%s", what, arg);
}

/* Docker's validateEndpointSettings for one network. */
static int check_endpoint(const struct store_network *n, const cJSON *config, const struct network_endpoint_opts *ep,
			  robbe_error **err)
{
	struct net_addr a;
	bool user = is_user_defined(n->name);

	if (!ep)
		return 0;
	if (!user && ((ep->ipv4 && *ep->ipv4) || (ep->ipv6 && *ep->ipv6)))
		return robbe_error_set(err, EXIT_GENERAL, "user specified IP address is supported on user defined networks only");
	if (!user && ep->aliases && ep->aliases[0])
		return robbe_error_set(err, EXIT_GENERAL,
				       "network-scoped alias is supported only for containers in user defined networks");
	if (ep->ipv4 && *ep->ipv4 &&
	    (net_addr_parse(ep->ipv4, &a) < 0 || a.family != AF_INET || net_addr_is_unspecified(&a)))
		return invalid_settings(err, "invalid IPv4 address: ", ep->ipv4);
	if (ep->ipv6 && *ep->ipv6 &&
	    (net_addr_parse(ep->ipv6, &a) < 0 || a.family != AF_INET6 || net_addr_is_unspecified(&a)))
		return invalid_settings(err, "invalid IPv6 address: ", ep->ipv6);
	if (ep->mac && *ep->mac) {
		uint8_t m[6];
		if (net_mac_parse(ep->mac, m) < 0)
			return robbe_error_set(err, EXIT_GENERAL, "invalid MAC address %s", ep->mac);
	}
	for (int f = 0; f < 2; f++) {
		const char *want = f == 0 ? ep->ipv4 : ep->ipv6;
		const cJSON *it;
		bool any_static = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(config, "Robbe"), "UserSubnets"));
		bool inside = false;

		if (!want || !*want)
			continue;
		net_addr_parse(want, &a);
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "IPAM"),
									 "Config")) {
			struct net_prefix p;
			const char *s = jstr(it, "Subnet");
			if (s && net_prefix_parse(s, &p) == 0 && net_prefix_contains(&p, &a))
				inside = true;
		}
		if (!any_static)
			return invalid_settings(err,
						"user specified IP address is supported only when connecting to networks "
						"with user configured subnets",
						"");
		if (!inside)
			return invalid_settings(err, "no configured subnet or ip-range contain the IP address ", want);
	}
	return 0;
}

static char *attachment_json(int order, const struct network_endpoint_opts *ep)
{
	cleanup_cjson cJSON *j = cJSON_CreateObject();
	char *text;

	cJSON_AddNumberToObject(j, "Order", order);
	if (ep && ep->aliases && ep->aliases[0]) {
		cJSON *a = cJSON_AddArrayToObject(j, "Aliases");
		for (size_t i = 0; ep->aliases[i]; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(ep->aliases[i]));
	}
	if (ep && ((ep->ipv4 && *ep->ipv4) || (ep->ipv6 && *ep->ipv6))) {
		cJSON *ic = cJSON_AddObjectToObject(j, "IPAMConfig");
		if (ep->ipv4 && *ep->ipv4)
			cJSON_AddStringToObject(ic, "IPv4Address", ep->ipv4);
		if (ep->ipv6 && *ep->ipv6)
			cJSON_AddStringToObject(ic, "IPv6Address", ep->ipv6);
	}
	if (ep && ep->mac && *ep->mac)
		cJSON_AddStringToObject(j, "MacAddress", ep->mac);
	text = cJSON_PrintUnformatted(j);
	if (!text)
		die_oom();
	return text;
}

static char *first_gateway(const cJSON *config)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "IPAM"),
								 "Config")) {
		const char *g = jstr(it, "Gateway");
		struct net_addr a;
		if (g && net_addr_parse(g, &a) == 0 && a.family == AF_INET)
			return xstrdup(g);
	}
	return NULL;
}

/* What --add-host x:host-gateway names: as Docker, the default bridge's
 * gateway (an address of the host's, reachable from every network), or
 * rootless, the container's first network's. */
static char *host_gateway(struct container_env *env, const struct store_network *first, const cJSON *first_config)
{
	char *g = NULL;

	if (!env->paths->rootless && !env->paths->userns && geteuid() == 0) {
		cleanup_store_network struct store_network *bridge = NULL;
		cleanup_error robbe_error *e = NULL;

		if (network_lookup(env, NETWORK_BRIDGE, &bridge, &e) == 0) {
			cleanup_cjson cJSON *config = network_config(bridge);
			g = first_gateway(config);
		}
	} else if (first && net_is_bridge(first)) {
		g = first_gateway(first_config);
	}
	return g ? g : xstrdup(DEFAULT_GATEWAY);
}

int network_plan_container(struct container_env *env, char *const *networks, const struct network_endpoint_opts *ep,
			   struct network_plan *out, robbe_error **err)
{
	char *const default_net[] = { (char *) NETWORK_BRIDGE, NULL };
	size_t n = strv_len(networks);
	bool special = false;

	memset(out, 0, sizeof(*out));
	if (n == 0 || (n == 1 && (!*networks[0] || !strcmp(networks[0], "default")))) {
		networks = default_net;
		n = 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!is_user_defined(networks[i]))
			special = true;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(networks[i], networks[j]))
				return robbe_error_set(err, EXIT_GENERAL, "network \"%s\" is specified multiple times",
						       networks[i]);
	}
	if (n > 1 && special)
		return robbe_error_set(err, EXIT_GENERAL,
				       "conflicting options: cannot attach both user-defined and non-user-defined network-modes");

	if (str_has_prefix(networks[0], "container:")) {
		cleanup_store_container struct store_container *other = NULL;

		if (!networks[0][10])
			return robbe_error_set(err, EXIT_GENERAL,
					       "invalid network mode: invalid container format container:<name|id>");
		if (ep && ((ep->ipv4 && *ep->ipv4) || (ep->ipv6 && *ep->ipv6)))
			return robbe_error_set(err, EXIT_GENERAL,
					       "user specified IP address is supported on user defined networks only");
		if (ep && ep->mac && *ep->mac)
			return robbe_error_set(err, EXIT_GENERAL, "conflicting options: mac-address and the network mode");
		if (container_lookup(env, networks[0] + 10, &other, err) < 0)
			return -1;
		out->container = xstrdup(other->id);
		out->mode = xasprintf("container:%s", other->id);
		out->gateway = host_gateway(env, NULL, NULL);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		cleanup_store_network struct store_network *net = NULL;
		cleanup_cjson cJSON *config = NULL;

		if (network_lookup(env, networks[i], &net, err) < 0) {
			network_plan_release(out);
			return -1;
		}
		config = network_config(net);
		if (check_endpoint(net, config, i == 0 ? ep : NULL, err) < 0) {
			network_plan_release(out);
			return -1;
		}
		if (i == 0) {
			out->mode = xstrdup(networks[0]);
			out->host = !strcmp(net->name, NETWORK_HOST);
			out->own_netns = uses_netavark(env, net);
			out->gateway = host_gateway(env, net, config);
		}
		strv_push(&out->network_ids, net->id);
		strv_push_take(&out->attachments, attachment_json((int) i, i == 0 ? ep : NULL));
	}
	return 0;
}

struct attach_ctx {
	const char *cid;
	const struct network_plan *plan;
};

static int attach_cb(void *ud, struct store_network_snapshot *snap, robbe_error **err)
{
	struct attach_ctx *ac = ud;

	for (size_t i = 0; ac->plan->network_ids && ac->plan->network_ids[i]; i++) {
		if (!net_snapshot_network(snap, ac->plan->network_ids[i]))
			return robbe_error_set(err, EXIT_GENERAL, "network %s not found", ac->plan->network_ids[i]);
		store_network_snapshot_add(snap, ac->cid, ac->plan->network_ids[i], ac->plan->attachments[i]);
	}
	return 0;
}

int network_attach_planned(struct container_env *env, const char *container_id, const struct network_plan *p,
			   robbe_error **err)
{
	struct attach_ctx ac = { container_id, p };

	if (!p->network_ids)
		return 0;
	return store_network_update(env->store, attach_cb, &ac, err);
}

/* ---- netavark input ------------------------------------------------------------------ */

/* The id netavark knows a network by names its firewall chains: derived
 * from the bridge, so every robbe store sharing a bridge shares them. */
static char *netavark_id(const char *bridge)
{
	struct sbuf sb = SBUF_INIT;

	for (const char *p = bridge; *p && sb.len < 64; p++)
		sbuf_addf(&sb, "%02x", (unsigned char) *p);
	while (sb.len < 64)
		sbuf_addc(&sb, '0');
	return sbuf_detach(&sb);
}

/* Docker's DNSNames: name, aliases, short id, hostname, without repeats;
 * netavark adds the name itself. */
static cJSON *dns_aliases(const struct store_container *c, const cJSON *config, const cJSON *att)
{
	cJSON *out = cJSON_CreateArray();
	cleanup_strv char **seen = NULL;
	char shortid[13];
	const char *hostname = container_config_str(config, "Config", "Hostname");
	const cJSON *a;

	strv_push(&seen, c->name);
	snprintf(shortid, sizeof(shortid), "%.12s", c->id);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(att, "Aliases")) {
		if (cJSON_IsString(a) && !strv_contains(seen, a->valuestring)) {
			strv_push(&seen, a->valuestring);
			cJSON_AddItemToArray(out, cJSON_CreateString(a->valuestring));
		}
	}
	if (!strv_contains(seen, shortid)) {
		strv_push(&seen, shortid);
		cJSON_AddItemToArray(out, cJSON_CreateString(shortid));
	}
	if (hostname && *hostname && !strv_contains(seen, hostname))
		cJSON_AddItemToArray(out, cJSON_CreateString(hostname));
	return out;
}

static cJSON *netavark_input(const struct store_container *c, const cJSON *config, const struct store_network *n,
			     const cJSON *att, const cJSON *port_map)
{
	cleanup_cjson cJSON *ncfg = network_config(n);
	const cJSON *act = cJSON_GetObjectItemCaseSensitive(att, "Active");
	const char *bridge = jstr(act, "Bridge") ?: net_bridge_name(ncfg);
	bool dns = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ncfg, "Robbe"), "DNS"));
	cleanup_free char *nid = netavark_id(bridge);
	cJSON *in = cJSON_CreateObject();
	cJSON *nets, *per, *ips, *info, *subnets;
	const cJSON *it;

	cJSON_AddStringToObject(in, "container_id", c->id);
	cJSON_AddStringToObject(in, "container_name", c->name);
	if (port_map && cJSON_GetArraySize(port_map) > 0)
		cJSON_AddItemToObject(in, "port_mappings", cJSON_Duplicate(port_map, true));
	{
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "HostConfig"), "Dns");
		if (dns && cJSON_IsArray(d) && cJSON_GetArraySize(d) > 0)
			cJSON_AddItemToObject(in, "dns_servers", cJSON_Duplicate(d, true));
	}
	nets = cJSON_AddObjectToObject(in, "networks");
	per = cJSON_AddObjectToObject(nets, n->name);
	cJSON_AddStringToObject(per, "interface_name", jstr(act, "Interface") ?: "eth0");
	ips = cJSON_AddArrayToObject(per, "static_ips");
	if (jstr(act, "IPv4Address"))
		cJSON_AddItemToArray(ips, cJSON_CreateString(jstr(act, "IPv4Address")));
	if (jstr(act, "IPv6Address"))
		cJSON_AddItemToArray(ips, cJSON_CreateString(jstr(act, "IPv6Address")));
	if (jstr(act, "MacAddress"))
		cJSON_AddStringToObject(per, "static_mac", jstr(act, "MacAddress"));
	if (dns)
		cJSON_AddItemToObject(per, "aliases", dns_aliases(c, config, att));

	info = cJSON_AddObjectToObject(cJSON_AddObjectToObject(in, "network_info"), n->name);
	cJSON_AddStringToObject(info, "name", n->name);
	cJSON_AddStringToObject(info, "id", nid);
	cJSON_AddStringToObject(info, "driver", "bridge");
	cJSON_AddStringToObject(info, "network_interface", bridge);
	subnets = cJSON_AddArrayToObject(info, "subnets");
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ncfg, "IPAM"), "Config")) {
		const char *s = jstr(it, "Subnet"), *g = jstr(it, "Gateway");
		struct net_prefix p;
		cJSON *o;

		if (!s || net_prefix_parse(s, &p) < 0)
			continue;
		if (p.addr.family == AF_INET6 &&
		    !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ncfg, "EnableIPv6")))
			continue;
		if (p.addr.family == AF_INET && cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(ncfg, "EnableIPv4")))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "subnet", s);
		if (g)
			cJSON_AddStringToObject(o, "gateway", g);
		cJSON_AddItemToArray(subnets, o);
	}
	cJSON_AddBoolToObject(info, "ipv6_enabled", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ncfg, "EnableIPv6")));
	cJSON_AddBoolToObject(info, "internal", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ncfg, "Internal")));
	cJSON_AddBoolToObject(info, "dns_enabled", dns);
	{
		const cJSON *mtu = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ncfg, "Robbe"), "Mtu");
		if (cJSON_IsNumber(mtu)) {
			char buf[16];
			cJSON *o = cJSON_AddObjectToObject(info, "options");
			snprintf(buf, sizeof(buf), "%d", (int) mtu->valuedouble);
			cJSON_AddStringToObject(o, "mtu", buf);
		}
	}
	cJSON_AddStringToObject(cJSON_AddObjectToObject(info, "ipam_options"), "driver", "host-local");
	return in;
}

/* NetworkSettings.Ports as netavark's port_mappings.  Docker's pair of
 * 0.0.0.0 and :: bindings is one mapping for netavark ("" is every
 * address it can serve). */
static cJSON *port_mappings(const cJSON *ports, bool ctr_v6)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *p, *b;

	cJSON_ArrayForEach(p, ports) {
		cleanup_free char *proto = NULL, *port = NULL;
		unsigned cport, dummy;

		if (!p->string)
			continue;
		net_split_proto_port(p->string, &proto, &port);
		if (net_port_range_parse(port, &cport, &dummy) < 0)
			continue;
		cJSON_ArrayForEach(b, p) {
			const char *ip = jstr(b, "HostIp"), *hp = jstr(b, "HostPort");
			struct net_addr a;
			cJSON *m;
			const char *host_ip;

			if (!ip || !hp || net_addr_parse(ip, &a) < 0)
				continue;
			if (net_addr_is_unspecified(&a)) {
				/* the :: twin of a 0.0.0.0 binding is covered by "" */
				if (a.family == AF_INET6)
					continue;
				host_ip = "";
			} else {
				if (a.family == AF_INET6 && !ctr_v6)
					continue;	/* IPv6 to an IPv4-only container needs a proxy */
				host_ip = ip;
			}
			m = cJSON_CreateObject();
			cJSON_AddStringToObject(m, "host_ip", host_ip);
			cJSON_AddNumberToObject(m, "container_port", cport);
			cJSON_AddNumberToObject(m, "host_port", (double) strtoul(hp, NULL, 10));
			cJSON_AddNumberToObject(m, "range", 1);
			cJSON_AddStringToObject(m, "protocol", proto);
			cJSON_AddItemToArray(out, m);
		}
	}
	return out;
}

/* ---- /etc/hosts and resolv.conf --------------------------------------------------------- */

/* Write in place: the file is bind-mounted into a running container. */
static int write_in_place(const char *path, const char *text, robbe_error **err)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	size_t len = strlen(text), done = 0;

	if (fd < 0)
		return robbe_error_errno(err, errno, "opening %s", path);
	while (done < len) {
		ssize_t k = write(fd, text + done, len - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return robbe_error_errno(err, errno, "writing %s", path);
		done += (size_t) k;
	}
	return 0;
}

/* hosts: what create wrote (kept as hosts.base), then one line per
 * address of the container, as Docker adds them when it joins. */
static int write_hosts(const char *bundle, const cJSON *config, struct store_network_attachment **atts,
		       robbe_error **err)
{
	cleanup_free char *path = xasprintf("%s/hosts", bundle);
	cleanup_free char *base_path = xasprintf("%s/hosts.base", bundle);
	cleanup_free char *base = NULL;
	cleanup_sbuf struct sbuf sb = SBUF_INIT;
	cleanup_error robbe_error *e = NULL;
	const char *hostname = container_config_str(config, "Config", "Hostname");
	const char *domain = container_config_str(config, "Config", "Domainname");
	cleanup_free char *names = NULL;

	if (read_file_all(base_path, 4 * 1024 * 1024, &base, NULL, &e) < 0) {
		robbe_error_free(steal_pointer(&e));
		if (read_file_all(path, 4 * 1024 * 1024, &base, NULL, &e) < 0)
			return 0;	/* no hosts file of ours */
		if (write_file_replace(base_path, base, strlen(base), 0644, err) < 0)
			return -1;
	}
	sbuf_adds(&sb, base);
	if (sb.len && sb.buf[sb.len - 1] != '\n')
		sbuf_addc(&sb, '\n');
	if (!hostname || !*hostname)
		return write_in_place(path, sbuf_str(&sb), err);
	names = domain && *domain ? xasprintf("%s.%s %s", hostname, domain, hostname) : xstrdup(hostname);
	for (size_t i = 0; atts && atts[i]; i++) {
		cleanup_cjson cJSON *j = json_object_parse(atts[i]->json);
		const cJSON *act = cJSON_GetObjectItemCaseSensitive(j, "Active");
		if (jstr(act, "IPv4Address"))
			sbuf_addf(&sb, "%s\t%s\n", jstr(act, "IPv4Address"), names);
		if (jstr(act, "IPv6Address"))
			sbuf_addf(&sb, "%s\t%s\n", jstr(act, "IPv6Address"), names);
	}
	return write_in_place(path, sbuf_str(&sb), err);
}

/* resolv.conf on a network with name resolution: aardvark-dns on the
 * gateway answers (and forwards to --dns servers or the host's). */
static int write_resolv(const char *bundle, const cJSON *config, const cJSON *gateways, robbe_error **err)
{
	cleanup_free char *path = xasprintf("%s/resolv.conf", bundle);
	cleanup_free char *host = NULL, *text = NULL;
	cleanup_error robbe_error *e = NULL;
	cleanup_strv char **ns = NULL, **search = NULL, **opts = NULL;
	const cJSON *hc = cJSON_GetObjectItemCaseSensitive(config, "HostConfig");
	const cJSON *it;

	if (access(path, F_OK) < 0)
		return 0;
	cJSON_ArrayForEach(it, gateways)
		if (cJSON_IsString(it))
			strv_push(&ns, it->valuestring);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(hc, "DnsSearch"))
		if (cJSON_IsString(it))
			strv_push(&search, it->valuestring);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(hc, "DnsOptions"))
		if (cJSON_IsString(it))
			strv_push(&opts, it->valuestring);
	if (read_file_all("/etc/resolv.conf", 1024 * 1024, &host, NULL, &e) < 0)
		robbe_error_free(steal_pointer(&e));
	text = ctr_resolv_conf(host, false, ns, search, opts);
	return write_in_place(path, text, err);
}

/* Point the bundle's network namespace at path. */
static int set_netns_path(const char *bundle, const char *netns, robbe_error **err)
{
	cleanup_free char *path = xasprintf("%s/config.json", bundle);
	cleanup_free char *text = NULL, *out = NULL;
	cleanup_cjson cJSON *oci = NULL;
	cJSON *it;

	if (read_file_all(path, 16 * 1024 * 1024, &text, NULL, err) < 0)
		return -1;
	oci = cJSON_Parse(text);
	if (!oci)
		return robbe_error_set(err, EXIT_ENGINE, "%s is not valid JSON", path);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(oci, "linux"), "namespaces")) {
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(it, "type");
		if (cJSON_IsString(type) && !strcmp(type->valuestring, "network")) {
			cJSON_DeleteItemFromObjectCaseSensitive(it, "path");
			if (netns)
				cJSON_AddStringToObject(it, "path", netns);
		}
	}
	out = cJSON_PrintUnformatted(oci);
	if (!out)
		die_oom();
	return write_file_replace(path, out, strlen(out), 0600, err);
}

/* ---- start -------------------------------------------------------------------------------- */

struct alloc_ctx {
	const char *cid, *cname;
	const struct net_port_requests *ports;
	const struct net_host_probe *probe;
	const char *only;	/* one network (connect), else all */
	const char *add_network;	/* connect: the attachment to add first */
	const char *add_json;
};

static int alloc_cb(void *ud, struct store_network_snapshot *snap, robbe_error **err)
{
	struct alloc_ctx *ac = ud;

	if (ac->add_network) {
		for (size_t i = 0; i < snap->n_atts; i++)
			if (!strcmp(snap->atts[i]->container_id, ac->cid) &&
			    !strcmp(snap->atts[i]->network_id, ac->add_network))
				return robbe_error_set(err, EXIT_GENERAL, "already attached");
		store_network_snapshot_add(snap, ac->cid, ac->add_network, ac->add_json);
	}
	return net_ipam_allocate(snap, ac->cid, ac->cname, ac->ports, ac->probe, ac->only, err);
}

struct release_ctx {
	const char *cid;
	const char *only;
	bool remove;	/* disconnect: drop the attachment too */
};

static int release_cb(void *ud, struct store_network_snapshot *snap, robbe_error **err)
{
	struct release_ctx *rc = ud;

	(void) err;
	net_ipam_release(snap, rc->cid, rc->only);
	if (rc->remove)
		for (size_t i = 0; i < snap->n_atts; i++)
			if (!strcmp(snap->atts[i]->container_id, rc->cid) && !strcmp(snap->atts[i]->network_id, rc->only))
				snap->atts[i]->removed = true;
	return 0;
}

static void release_addresses(struct container_env *env, const char *cid, const char *only)
{
	struct release_ctx rc = { cid, only, false };
	cleanup_error robbe_error *e = NULL;

	if (store_network_update(env->store, release_cb, &rc, &e) < 0)
		robbe_error_warn(&e);
}

/* Teardown of one journal entry (lock held). */
static void teardown_entry(const struct container_env *env, const char *netns, const cJSON *entry)
{
	cleanup_error robbe_error *e = NULL;
	const cJSON *input = cJSON_GetObjectItemCaseSensitive(entry, "Input");
	const cJSON *claims = cJSON_GetObjectItemCaseSensitive(entry, "Claims");
	const char *bridge = jstr(entry, "Bridge");
	const cJSON *c;

	cleanup_cjson cJSON *in = input ? cJSON_Duplicate(input, true) : NULL;

	/* netavark 1.4 drops a network's port-forwarding chain only when the
	 * teardown that empties the bridge has port mappings itself; a
	 * container that published nothing gets a mapping no rule matches
	 * (port 1 of its own address), so the chain never outlives the
	 * network's last container. */
	if (in && !cJSON_GetObjectItemCaseSensitive(in, "port_mappings")) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "host_ip", "");
		cJSON_AddNumberToObject(m, "container_port", 1);
		cJSON_AddNumberToObject(m, "host_port", 1);
		cJSON_AddNumberToObject(m, "range", 1);
		cJSON_AddStringToObject(m, "protocol", "tcp");
		cJSON_AddItemToArray(cJSON_AddArrayToObject(in, "port_mappings"), m);
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(entry, "Forwards"))
		if (cJSON_IsNumber(c))
			rootless_netns_unforward(env, (int) c->valuedouble);
	if (in && netns && net_netavark(env, "teardown", netns, in, NULL, &e) < 0) {
		/* Keep going: the rest must go as well.  The message is for
		 * --log-level=debug readers. */
		if (env->log_level && !strcmp(env->log_level, "debug"))
			robbe_error_warn(&e);
		robbe_error_free(steal_pointer(&e));
	}
	cJSON_ArrayForEach(c, claims)
		if (cJSON_IsString(c))
			net_unclaim(env, bridge, c->valuestring, netns);
}

void network_teardown_by_id(struct container_env *env, const char *id)
{
	cleanup_cjson cJSON *j = NULL;
	cleanup_close int lock = -1;
	cleanup_error robbe_error *e = NULL;
	const cJSON *entries;
	const char *netns;
	int n;

	if (net_journal_read(env, id, &j) < 0) {
		/* Killed between making the namespace and writing the journal:
		 * the namespace file may be there all the same. */
		cleanup_free char *path = net_netns_path(env, id);
		net_netns_remove(path);
		return;
	}
	if (net_global_lock(env, &lock, &e) < 0) {
		robbe_error_warn(&e);
		return;
	}
	netns = jstr(j, "Netns");
	entries = cJSON_GetObjectItemCaseSensitive(j, "Networks");
	n = cJSON_GetArraySize(entries);
	/* A setup not marked done may still run, its robbe killed. */
	for (int i = 0; i < n && netns; i++)
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(entries, i), "SetupDone"))) {
			net_wait_orphan_setups(netns);
			break;
		}
	for (int i = n - 1; i >= 0; i--)
		teardown_entry(env, netns, cJSON_GetArrayItem(entries, i));
	net_netns_remove(netns);
	net_journal_remove(env, id);
}

static bool any_active(struct store_network_attachment **atts)
{
	for (size_t i = 0; atts && atts[i]; i++) {
		cleanup_cjson cJSON *j = json_object_parse(atts[i]->json);
		if (cJSON_GetObjectItemCaseSensitive(j, "Active"))
			return true;
	}
	return false;
}

void network_container_teardown(struct container_env *env, struct store_container *c)
{
	cleanup_store_network_attachment_list struct store_network_attachment **atts = NULL;
	cleanup_error robbe_error *e = NULL;
	cleanup_cjson cJSON *st = container_state_extra(c);

	network_teardown_by_id(env, c->id);
	if (store_network_attachments(env->store, c->id, NULL, &atts, &e) == 0 && any_active(atts))
		release_addresses(env, c->id, NULL);
	if (cJSON_GetObjectItemCaseSensitive(st, "Network"))
		ctr_state_set(c, "Network", cJSON_CreateNull());
}

/* Attachments in their order (Order), predefined ones included. */
static int ordered_attachments(struct container_env *env, const char *cid, struct store_network_attachment ***out,
			       robbe_error **err)
{
	struct store_network_attachment **v;
	size_t n;

	if (store_network_attachments(env->store, cid, NULL, out, err) < 0)
		return -1;
	v = *out;
	n = strv_len((char **) v);
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++) {
			cleanup_cjson cJSON *a = json_object_parse(v[i]->json), *b = json_object_parse(v[k]->json);
			const cJSON *oa = cJSON_GetObjectItemCaseSensitive(a, "Order");
			const cJSON *ob = cJSON_GetObjectItemCaseSensitive(b, "Order");
			if ((cJSON_IsNumber(ob) ? ob->valuedouble : 0) < (cJSON_IsNumber(oa) ? oa->valuedouble : 0)) {
				struct store_network_attachment *t = v[i];
				v[i] = v[k];
				v[k] = t;
			}
		}
	return 0;
}

/* Rootless: netavark in the rootless-netns, and each published port a host
 * forward of its slirp4netns to the same port there, where netavark's
 * rules (on every address: the host address is the forward's) take it on
 * to the container.  The forwards are journaled for teardown. */
static int setup_rootless(struct container_env *env, struct store_container *c, cJSON *journal, cJSON *entry,
			  const char *netns, robbe_error **err)
{
	cJSON *input = cJSON_GetObjectItemCaseSensitive(entry, "Input");
	cJSON *mappings = cJSON_GetObjectItemCaseSensitive(input, "port_mappings");
	cJSON *forwards = cJSON_AddArrayToObject(entry, "Forwards");
	cleanup_cjson cJSON *host_ips = cJSON_CreateArray();
	cleanup_error robbe_error *late = NULL;
	cJSON *m;
	int i = 0, rc = 0;

	cJSON_ArrayForEach(m, mappings) {
		cJSON_AddItemToArray(host_ips, cJSON_CreateString(jstr(m, "host_ip") ?: ""));
		cJSON_ReplaceItemInObjectCaseSensitive(m, "host_ip", cJSON_CreateString(""));
	}
	if (net_journal_write(env, c->id, journal, err) < 0)
		return -1;
	if (net_netavark(env, "setup", netns, input, NULL, err) < 0)
		return -1;
	cJSON_AddTrueToObject(entry, "SetupDone");
	cJSON_ArrayForEach(m, mappings) {
		const cJSON *hp = cJSON_GetObjectItemCaseSensitive(m, "host_port");
		const char *ip = cJSON_GetStringValue(cJSON_GetArrayItem(host_ips, i++));
		unsigned port = cJSON_IsNumber(hp) ? (unsigned) hp->valuedouble : 0;
		int id;

		if (rootless_netns_forward(env, jstr(m, "protocol") ?: "tcp", ip, port, &id, err) < 0) {
			robbe_error_wrap(err, "driver failed programming external connectivity on endpoint %s (%s)",
					 c->name, c->id);
			rc = -1;
			break;
		}
		cJSON_AddItemToArray(forwards, cJSON_CreateNumber(id));
	}
	/* Journaled even on failure: the teardown that follows removes them. */
	if (net_journal_write(env, c->id, journal, rc < 0 ? &late : err) < 0)
		return -1;
	return rc;
}

/* Run netavark setup for one attachment and journal it first. */
static int setup_one(struct container_env *env, struct store_container *c, const cJSON *config, cJSON *journal,
		     const char *netns, const struct store_network *n, const cJSON *att, const cJSON *ports,
		     robbe_error **err)
{
	const cJSON *act = cJSON_GetObjectItemCaseSensitive(att, "Active");
	cleanup_cjson cJSON *pm = ports ? port_mappings(ports, jstr(act, "IPv6Address") != NULL) : NULL;
	cJSON *entry = cJSON_CreateObject();
	cJSON *claims;
	const char *bridge = jstr(act, "Bridge") ?: "";

	cJSON_AddStringToObject(entry, "Network", n->id);
	cJSON_AddStringToObject(entry, "Name", n->name);
	cJSON_AddStringToObject(entry, "Bridge", bridge);
	claims = cJSON_AddArrayToObject(entry, "Claims");
	cJSON_AddItemToObject(entry, "Input", netavark_input(c, config, n, att, pm));
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(journal, "Networks"), entry);
	for (int f = 0; f < 2; f++) {
		const char *a = jstr(act, f ? "IPv6Address" : "IPv4Address");
		if (!a)
			continue;
		if (net_claim(env, bridge, a, netns, err) < 0)
			return -1;
		cJSON_AddItemToArray(claims, cJSON_CreateString(a));
	}
	if (net_rootless(env))
		return setup_rootless(env, c, journal, entry, netns, err);
	if (net_journal_write(env, c->id, journal, err) < 0)
		return -1;
	if (net_netavark(env, "setup", netns, cJSON_GetObjectItemCaseSensitive(entry, "Input"), NULL, err) < 0)
		return -1;
	if (!strcmp(n->name, NETWORK_BRIDGE) && *bridge)
		net_keep_bridge(bridge);
	/* Done: a teardown need not look for this setup still running. */
	cJSON_AddTrueToObject(entry, "SetupDone");
	return net_journal_write(env, c->id, journal, err);
}

/* The gateways of the networks with name resolution, for resolv.conf. */
static void dns_gateways(const struct store_network *n, const cJSON *att, cJSON *out)
{
	cleanup_cjson cJSON *ncfg = network_config(n);
	const cJSON *act = cJSON_GetObjectItemCaseSensitive(att, "Active");

	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ncfg, "Robbe"), "DNS")))
		return;
	if (jstr(act, "IPv4Gateway"))
		cJSON_AddItemToArray(out, cJSON_CreateString(jstr(act, "IPv4Gateway")));
	else if (jstr(act, "IPv6Gateway"))
		cJSON_AddItemToArray(out, cJSON_CreateString(jstr(act, "IPv6Gateway")));
}

/* host and none attachments hold only an endpoint while the container runs. */
static int activate_plain(struct container_env *env, struct store_container *c, robbe_error **err)
{
	struct net_port_requests none = { 0 };
	struct alloc_ctx ac = { c->id, c->name, &none, NULL, NULL, NULL, NULL };

	return store_network_update(env->store, alloc_cb, &ac, err);
}

int network_container_setup(struct container_env *env, struct store_container *c, const char *bundle,
			    robbe_error **err)
{
	cleanup_cjson cJSON *config = container_config(c);
	cleanup_store_network_attachment_list struct store_network_attachment **atts = NULL;
	cleanup_cjson cJSON *journal = NULL;
	cleanup_cjson cJSON *gateways = cJSON_CreateArray();
	cleanup_free char *netns = NULL;
	cleanup_close int lock = -1;
	__attribute__((cleanup(net_port_requests_release))) struct net_port_requests ports = { 0 };
	struct net_host_probe probe;
	struct net_host_ctx hctx = { env, NULL };
	const char *mode = container_config_str(config, "HostConfig", "NetworkMode");
	bool bridged = false, first = true;

	if (!mode || str_has_prefix(mode, "container:") || !network_is_supported(env))
		return 0;
	if (ordered_attachments(env, c->id, &atts, err) < 0)
		return -1;
	for (size_t i = 0; atts[i]; i++) {
		cleanup_store_network struct store_network *n = NULL;
		cleanup_error robbe_error *e = NULL;
		if (store_network_get(env->store, atts[i]->network_id, &n, &e) == 0 && uses_netavark(env, n))
			bridged = true;
	}
	if (!bridged) {
		/* Docker keeps a removed network's name: it is not found at start. */
		if (!atts[0] && is_user_defined(mode)) {
			cleanup_store_network struct store_network *n = NULL;
			if (network_lookup(env, mode, &n, err) < 0)
				return -1;
		}
		/* Rootless on the default network: slirp4netns's, at its own time. */
		if (net_rootless(env))
			return 0;
		return atts[0] ? activate_plain(env, c, err) : 0;
	}

	/* A previous run that was never cleaned up (restart, crash). */
	network_teardown_by_id(env, c->id);
	if (net_port_requests_from_config(config, &ports, err) < 0)
		return -1;
	if (net_global_lock(env, &lock, err) < 0)
		return -1;
	if (net_netns_create(env, c->id, &netns, err) < 0)
		return -1;
	hctx.netns = netns;
	net_host_probe_init(&probe, &hctx);
	{
		struct alloc_ctx ac = { c->id, c->name, &ports, &probe, NULL, NULL, NULL };
		if (store_network_update(env->store, alloc_cb, &ac, err) < 0) {
			net_netns_remove(netns);
			return -1;
		}
	}
	store_network_attachment_list_free(steal_pointer(&atts));
	if (ordered_attachments(env, c->id, &atts, err) < 0)
		goto fail;

	journal = cJSON_CreateObject();
	cJSON_AddStringToObject(journal, "Netns", netns);
	cJSON_AddArrayToObject(journal, "Networks");
	for (size_t i = 0; atts[i]; i++) {
		cleanup_store_network struct store_network *n = NULL;
		cleanup_cjson cJSON *j = json_object_parse(atts[i]->json);
		const cJSON *act = cJSON_GetObjectItemCaseSensitive(j, "Active");

		if (store_network_get(env->store, atts[i]->network_id, &n, err) < 0)
			goto fail;
		if (!uses_netavark(env, n))
			continue;
		if (setup_one(env, c, config, journal, netns, n, j,
			      first ? cJSON_GetObjectItemCaseSensitive(act, "Ports") : NULL, err) < 0) {
			robbe_error_wrap(err, "failed to set up container networking");
			goto fail;
		}
		/* The first network that resolves names answers them all. */
		if (cJSON_GetArraySize(gateways) == 0)
			dns_gateways(n, j, gateways);
		first = false;
	}
	close(steal_fd(&lock));
	if (set_netns_path(bundle, netns, err) < 0 || write_hosts(bundle, config, atts, err) < 0)
		goto fail_unlocked;
	if (cJSON_GetArraySize(gateways) > 0 && write_resolv(bundle, config, gateways, err) < 0)
		goto fail_unlocked;
	{
		cJSON *st = cJSON_CreateObject();
		cleanup_free char *sandbox = net_random_id();
		cJSON_AddStringToObject(st, "SandboxID", sandbox);
		cJSON_AddStringToObject(st, "SandboxKey", netns);
		ctr_state_set(c, "Network", st);
	}
	return 0;

fail:
	close(steal_fd(&lock));
fail_unlocked:
	network_teardown_by_id(env, c->id);
	net_netns_remove(netns);
	release_addresses(env, c->id, NULL);
	return -1;
}

/* ---- connect, disconnect ------------------------------------------------------------------ */

static int next_order(struct store_network_attachment **atts)
{
	int max = -1;

	for (size_t i = 0; atts && atts[i]; i++) {
		cleanup_cjson cJSON *j = json_object_parse(atts[i]->json);
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, "Order");
		if (cJSON_IsNumber(o) && (int) o->valuedouble > max)
			max = (int) o->valuedouble;
	}
	return max + 1;
}

static struct store_network_attachment *find_att(struct store_network_attachment **atts, const char *nid)
{
	for (size_t i = 0; atts && atts[i]; i++)
		if (!strcmp(atts[i]->network_id, nid))
			return atts[i];
	return NULL;
}

/* connect and disconnect: the network, and the container locked with its
 * state brought up to date. */
static int lookup_and_lock(struct container_env *env, const char *net_ref, const char *ctr_ref,
			   struct store_network **n, struct store_container **c, int *lock, robbe_error **err)
{
	int r;

	if (network_lookup(env, net_ref, n, err) < 0)
		return -1;
	if (container_lookup(env, ctr_ref, c, err) < 0)
		return -1;
	if (ctr_lock(env, (*c)->id, lock, err) < 0)
		return -1;
	if ((r = ctr_reload(env, *c, err)) < 0)
		return r == -ENOENT ? robbe_error_set(err, EXIT_GENERAL, "No such container: %s", ctr_ref) : -1;
	return ctr_sync_locked(env, *c, false, err);
}

/* A running container that had no name resolution (the default bridge's
 * has none) gets it with its first network that has: as Docker starts its
 * resolver then, resolv.conf now names that network's aardvark-dns. */
static int resolver_after_connect(struct container_env *env, const char *bundle, const cJSON *config,
				  struct store_network_attachment **atts, const struct store_network *n,
				  const cJSON *att, robbe_error **err)
{
	cleanup_cjson cJSON *gateways = cJSON_CreateArray();

	for (size_t i = 0; atts && atts[i]; i++) {
		cleanup_store_network struct store_network *other = NULL;
		cleanup_cjson cJSON *ocfg = NULL;
		cleanup_error robbe_error *e = NULL;

		if (!strcmp(atts[i]->network_id, n->id))
			continue;
		if (store_network_get(env->store, atts[i]->network_id, &other, &e) < 0)
			continue;
		ocfg = network_config(other);
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ocfg, "Robbe"), "DNS")))
			return 0;	/* it resolves names already */
	}
	dns_gateways(n, att, gateways);
	if (cJSON_GetArraySize(gateways) == 0)
		return 0;
	return write_resolv(bundle, config, gateways, err);
}

int network_connect(struct container_env *env, const char *net_ref, const char *ctr_ref,
		    const struct network_endpoint_opts *ep, robbe_error **err)
{
	cleanup_store_network struct store_network *n = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_store_network_attachment_list struct store_network_attachment **atts = NULL;
	cleanup_cjson cJSON *config = NULL;
	cleanup_cjson cJSON *ncfg = NULL;
	cleanup_free char *att_text = NULL;
	cleanup_close int clock = -1;
	const char *mode;

	if (lookup_and_lock(env, net_ref, ctr_ref, &n, &c, &clock, err) < 0)
		return -1;
	config = container_config(c);
	ncfg = network_config(n);
	mode = container_config_str(config, "HostConfig", "NetworkMode");
	if (mode && str_has_prefix(mode, "container:"))
		return robbe_error_set(err, EXIT_GENERAL,
				       "container sharing network namespace with another container or host cannot be "
				       "connected to any other network");
	if (!strcmp(n->name, NETWORK_HOST) && !(mode && !strcmp(mode, NETWORK_HOST)))
		return robbe_error_set(err, EXIT_GENERAL,
				       "cannot connect container to host network - container must be created in host "
				       "network mode");
	if (mode && !strcmp(mode, NETWORK_HOST))
		return robbe_error_set(err, EXIT_GENERAL,
				       "container sharing network namespace with another container or host cannot be "
				       "connected to any other network");
	if (store_network_attachments(env->store, c->id, NULL, &atts, err) < 0)
		return -1;
	if (find_att(atts, n->id))
		return robbe_error_set(err, EXIT_GENERAL, "endpoint with name %s already exists in network %s", c->name,
				       n->name);
	if ((!strcmp(n->name, NETWORK_NONE) && atts[0]) || (mode && !strcmp(mode, NETWORK_NONE) && atts[0]))
		return robbe_error_set(err, EXIT_GENERAL,
				       "container cannot be connected to multiple networks with one of the networks in "
				       "private (none) mode");
	if (check_endpoint(n, ncfg, ep, err) < 0)
		return -1;
	/* Rootless, the default network is a slirp4netns in the container's
	 * own namespace, while user networks live in the rootless-netns: the
	 * two do not mix (Podman refuses this too). */
	if (net_rootless(env) && atts[0] &&
	    ((mode && !strcmp(mode, NETWORK_BRIDGE)) != !strcmp(n->name, NETWORK_BRIDGE)))
		return robbe_error_set(err, EXIT_GENERAL,
				       "cannot connect container %s to network %s: rootless, the default network is "
				       "a slirp4netns of the container's own, which cannot be joined with other "
				       "networks; create the container on the networks it needs (--network)",
				       c->name, n->name);
	att_text = attachment_json(next_order(atts), ep);

	if (!container_is_active(c) || !network_is_supported(env)) {
		/* Recorded now, set up at the next start. */
		struct network_plan p = { 0 };
		char *ids[] = { n->id, NULL }, *jsons[] = { att_text, NULL };

		p.network_ids = ids;
		p.attachments = jsons;
		return network_attach_planned(env, c->id, &p, err);
	}
	if (!uses_netavark(env, n)) {
		/* host and none hold only an endpoint (and, rootless, bridge). */
		struct net_port_requests none = { 0 };
		struct alloc_ctx ac = { c->id, c->name, &none, NULL, n->id, n->id, att_text };

		return store_network_update(env->store, alloc_cb, &ac, err);
	}

	/* Running: an address now, then netavark into its namespace. */
	{
		cleanup_cjson cJSON *journal = NULL;
		cleanup_store_network_attachment_list struct store_network_attachment **now = NULL;
		cleanup_close int lock = -1;
		struct net_host_probe probe;
		struct net_port_requests none = { 0 };
		const char *netns;
		struct alloc_ctx ac = { c->id, c->name, &none, &probe, n->id, n->id, att_text };
		struct runtime_paths rp = { 0 };
		cleanup_cjson cJSON *j = NULL;
		struct store_network_attachment *mine;
		int rc;

		if (net_journal_read(env, c->id, &journal) < 0 || !(netns = jstr(journal, "Netns")))
			return robbe_error_set(err, EXIT_GENERAL, "container %s has no network namespace of robbe's",
					       c->name);
		struct net_host_ctx hctx = { env, netns };

		if (net_global_lock(env, &lock, err) < 0)
			return -1;
		net_host_probe_init(&probe, &hctx);
		if (store_network_update(env->store, alloc_cb, &ac, err) < 0)
			return -1;
		if (ordered_attachments(env, c->id, &now, err) < 0)
			return -1;
		mine = find_att(now, n->id);
		j = json_object_parse(mine ? mine->json : NULL);
		rc = setup_one(env, c, config, journal, netns, n, j, NULL, err);
		if (rc < 0) {
			cJSON *entries = cJSON_GetObjectItemCaseSensitive(journal, "Networks");
			int last = cJSON_GetArraySize(entries) - 1;
			cleanup_error robbe_error *e = NULL;
			struct release_ctx rc2 = { c->id, n->id, true };

			teardown_entry(env, netns, cJSON_GetArrayItem(entries, last));
			cJSON_DeleteItemFromArray(entries, last);
			net_journal_write(env, c->id, journal, &e);
			store_network_update(env->store, release_cb, &rc2, &e);
			return -1;
		}
		close(steal_fd(&lock));
		container_runtime_paths(env, c, &rp);
		rc = write_hosts(rp.bundle, config, now, err);
		if (rc == 0)
			rc = resolver_after_connect(env, rp.bundle, config, now, n, j, err);
		runtime_paths_release(&rp);
		return rc;
	}
}

int network_disconnect(struct container_env *env, const char *net_ref, const char *ctr_ref, bool force,
		       robbe_error **err)
{
	cleanup_store_network struct store_network *n = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_store_network_attachment_list struct store_network_attachment **atts = NULL;
	cleanup_cjson cJSON *config = NULL;
	cleanup_close int clock = -1;
	struct release_ctx rc = { NULL, NULL, true };
	const char *mode;

	/* -f lets Docker drop an endpoint whose network is gone; here an
	 * attachment never outlives its network, so there is nothing more
	 * for it to do. */
	(void) force;
	if (lookup_and_lock(env, net_ref, ctr_ref, &n, &c, &clock, err) < 0)
		return -1;
	config = container_config(c);
	mode = container_config_str(config, "HostConfig", "NetworkMode");
	if (store_network_attachments(env->store, c->id, NULL, &atts, err) < 0)
		return -1;
	if (!find_att(atts, n->id)) {
		if (container_is_active(c))
			return robbe_error_set(err, EXIT_GENERAL, "container %s is not connected to network %s", c->id,
					       n->name);
		return robbe_error_set(err, EXIT_GENERAL, "container %s is not connected to the network %s", c->id,
				       n->name);
	}
	if (container_is_active(c) && mode && !strcmp(mode, NETWORK_HOST) && !strcmp(n->name, NETWORK_HOST))
		return robbe_error_set(err, EXIT_GENERAL,
				       "cannot disconnect container from host network - container was created in host "
				       "network mode");
	rc.cid = c->id;
	rc.only = n->id;
	if (container_is_active(c) && uses_netavark(env, n)) {
		cleanup_cjson cJSON *journal = NULL;
		cleanup_close int lock = -1;
		cJSON *entries;
		const char *netns;

		if (net_journal_read(env, c->id, &journal) == 0 && (netns = jstr(journal, "Netns"))) {
			if (net_global_lock(env, &lock, err) < 0)
				return -1;
			entries = cJSON_GetObjectItemCaseSensitive(journal, "Networks");
			for (int i = cJSON_GetArraySize(entries) - 1; i >= 0; i--) {
				cJSON *e = cJSON_GetArrayItem(entries, i);
				if (jstr(e, "Network") && !strcmp(jstr(e, "Network"), n->id)) {
					teardown_entry(env, netns, e);
					cJSON_DeleteItemFromArray(entries, i);
				}
			}
			if (net_journal_write(env, c->id, journal, err) < 0)
				return -1;
		}
	}
	if (store_network_update(env->store, release_cb, &rc, err) < 0)
		return -1;
	if (container_is_active(c)) {
		cleanup_store_network_attachment_list struct store_network_attachment **now = NULL;
		struct runtime_paths rp = { 0 };
		cleanup_error robbe_error *e = NULL;

		container_runtime_paths(env, c, &rp);
		if (ordered_attachments(env, c->id, &now, &e) == 0)
			write_hosts(rp.bundle, config, now, &e);
		runtime_paths_release(&rp);
	}
	return 0;
}

/* ---- NetworkSettings ------------------------------------------------------------------------ */

static cJSON *str_or_empty(const char *s)
{
	return cJSON_CreateString(s ? s : "");
}

static cJSON *endpoint_settings(const struct store_container *c, const cJSON *config, const struct store_network *n,
				const cJSON *att, bool running)
{
	cJSON *ep = cJSON_CreateObject();
	const cJSON *act = running ? cJSON_GetObjectItemCaseSensitive(att, "Active") : NULL;
	const cJSON *ic = cJSON_GetObjectItemCaseSensitive(att, "IPAMConfig");
	const cJSON *aliases = cJSON_GetObjectItemCaseSensitive(att, "Aliases");
	const cJSON *num;

	if (cJSON_IsObject(ic)) {
		cJSON *o = cJSON_AddObjectToObject(ep, "IPAMConfig");
		if (jstr(ic, "IPv4Address"))
			cJSON_AddStringToObject(o, "IPv4Address", jstr(ic, "IPv4Address"));
		if (jstr(ic, "IPv6Address"))
			cJSON_AddStringToObject(o, "IPv6Address", jstr(ic, "IPv6Address"));
	} else {
		cJSON_AddNullToObject(ep, "IPAMConfig");
	}
	cJSON_AddNullToObject(ep, "Links");
	if (cJSON_IsArray(aliases) && cJSON_GetArraySize(aliases) > 0)
		cJSON_AddItemToObject(ep, "Aliases", cJSON_Duplicate(aliases, true));
	else
		cJSON_AddNullToObject(ep, "Aliases");
	cJSON_AddItemToObject(ep, "MacAddress", str_or_empty(act ? jstr(act, "MacAddress") : jstr(att, "MacAddress")));
	cJSON_AddNullToObject(ep, "DriverOpts");
	cJSON_AddNumberToObject(ep, "GwPriority", 0);
	cJSON_AddStringToObject(ep, "NetworkID", n ? n->id : "");
	cJSON_AddItemToObject(ep, "EndpointID", str_or_empty(jstr(act, "EndpointID")));
	cJSON_AddItemToObject(ep, "Gateway", str_or_empty(jstr(act, "IPv4Gateway")));
	cJSON_AddItemToObject(ep, "IPAddress", str_or_empty(jstr(act, "IPv4Address")));
	num = cJSON_GetObjectItemCaseSensitive(act, "IPv4PrefixLen");
	cJSON_AddNumberToObject(ep, "IPPrefixLen", cJSON_IsNumber(num) ? num->valuedouble : 0);
	cJSON_AddItemToObject(ep, "IPv6Gateway", str_or_empty(jstr(act, "IPv6Gateway")));
	cJSON_AddItemToObject(ep, "GlobalIPv6Address", str_or_empty(jstr(act, "IPv6Address")));
	num = cJSON_GetObjectItemCaseSensitive(act, "IPv6PrefixLen");
	cJSON_AddNumberToObject(ep, "GlobalIPv6PrefixLen", cJSON_IsNumber(num) ? num->valuedouble : 0);
	if (n && is_user_defined(n->name)) {
		cJSON *names = dns_aliases(c, config, att);
		cJSON_InsertItemInArray(names, 0, cJSON_CreateString(c->name));
		cJSON_AddItemToObject(ep, "DNSNames", names);
	} else {
		cJSON_AddNullToObject(ep, "DNSNames");
	}
	return ep;
}

int network_settings_cache_load(struct store *s, struct network_settings_cache *cache, robbe_error **err)
{
	cache->atts = NULL;
	cache->nets = NULL;
	if (store_network_attachments(s, NULL, NULL, &cache->atts, err) < 0 ||
	    store_network_list(s, &cache->nets, err) < 0) {
		network_settings_cache_release(cache);
		return -1;
	}
	return 0;
}

void network_settings_cache_release(struct network_settings_cache *cache)
{
	store_network_attachment_list_free(cache->atts);
	store_network_list_free(cache->nets);
	cache->atts = NULL;
	cache->nets = NULL;
}

/* The container's attachments in the cache (sorted by container id): a
 * borrowed, NULL-terminated run of it, copied into a fresh array. */
static struct store_network_attachment **cached_attachments(const struct network_settings_cache *cache,
							    const char *id)
{
	size_t n = 0, lo = 0, hi = 0, k = 0;
	struct store_network_attachment **v;

	while (cache->atts[n])
		n++;
	hi = n;
	while (lo < hi) {	/* the first with container_id >= id */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(cache->atts[mid]->container_id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < n && !strcmp(cache->atts[i]->container_id, id); i++)
		k++;
	v = xcalloc(k + 1, sizeof(*v));
	memcpy(v, cache->atts + lo, k * sizeof(*v));
	return v;
}

static const struct store_network *cached_network(const struct network_settings_cache *cache, const char *id)
{
	for (size_t i = 0; cache->nets[i]; i++)
		if (!strcmp(cache->nets[i]->id, id))
			return cache->nets[i];
	return NULL;
}

int network_settings_json(struct store *s, const struct store_container *c, const cJSON *config, cJSON **out,
			  robbe_error **err)
{
	return network_settings_json_cached(s, NULL, c, config, out, err);
}

int network_settings_json_cached(struct store *s, const struct network_settings_cache *cache,
				 const struct store_container *c, const cJSON *config, cJSON **out, robbe_error **err)
{
	cleanup_store_network_attachment_list struct store_network_attachment **owned = NULL;
	cleanup_free struct store_network_attachment **borrowed = NULL;
	struct store_network_attachment **atts;
	cleanup_cjson cJSON *st = container_state_extra(c);
	const cJSON *sandbox = cJSON_GetObjectItemCaseSensitive(st, "Network");
	bool running = c->state == STORE_STATE_RUNNING || c->state == STORE_STATE_PAUSED;
	cJSON *ns = cJSON_CreateObject();
	cJSON *nets, *ports = NULL;
	const cJSON *bridge_ep = NULL;

	*out = NULL;
	if (cache) {
		atts = borrowed = cached_attachments(cache, c->id);
	} else {
		if (store_network_attachments(s, c->id, NULL, &owned, err) < 0) {
			cJSON_Delete(ns);
			return -1;
		}
		atts = owned;
	}
	nets = cJSON_CreateObject();
	for (size_t i = 0; atts[i]; i++) {
		cleanup_store_network struct store_network *fetched = NULL;
		cleanup_error robbe_error *e = NULL;
		cleanup_cjson cJSON *j = json_object_parse(atts[i]->json);
		const cJSON *act = cJSON_GetObjectItemCaseSensitive(j, "Active");
		const struct store_network *n;
		cJSON *ep;

		if (cache)
			n = cached_network(cache, atts[i]->network_id);
		else
			n = store_network_get(s, atts[i]->network_id, &fetched, &e) < 0 ? NULL : fetched;
		if (!n)
			continue;
		ep = endpoint_settings(c, config, n, j, running);
		cJSON_AddItemToObject(nets, n->name, ep);
		if (!strcmp(n->name, NETWORK_BRIDGE))
			bridge_ep = ep;
		if (running && !ports && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(act, "Ports")))
			ports = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(act, "Ports"), true);
	}
	if (running && !ports && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(sandbox, "Ports")))
		ports = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(sandbox, "Ports"), true);
	if (running && !ports) {
		/* Running without robbe's namespace (rootless, host): the
		 * exposed ports, unpublished. */
		const cJSON *exposed = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "Config"),
									"ExposedPorts");
		const char *mode = container_config_str(config, "HostConfig", "NetworkMode");
		const cJSON *e;
		ports = cJSON_CreateObject();
		if (!mode || strcmp(mode, NETWORK_HOST))
			cJSON_ArrayForEach(e, exposed)
				if (e->string)
					cJSON_AddNullToObject(ports, e->string);
	}
	cJSON_AddStringToObject(ns, "Bridge", "");
	cJSON_AddItemToObject(ns, "SandboxID", str_or_empty(running ? jstr(sandbox, "SandboxID") : NULL));
	cJSON_AddItemToObject(ns, "SandboxKey", str_or_empty(running ? jstr(sandbox, "SandboxKey") : NULL));
	cJSON_AddItemToObject(ns, "Ports", ports ? ports : cJSON_CreateObject());
	cJSON_AddBoolToObject(ns, "HairpinMode", false);
	cJSON_AddStringToObject(ns, "LinkLocalIPv6Address", "");
	cJSON_AddNumberToObject(ns, "LinkLocalIPv6PrefixLen", 0);
	cJSON_AddNullToObject(ns, "SecondaryIPAddresses");
	cJSON_AddNullToObject(ns, "SecondaryIPv6Addresses");
	{
		static const char *const legacy[][2] = {
			{ "EndpointID", "EndpointID" }, { "Gateway", "Gateway" },
			{ "GlobalIPv6Address", "GlobalIPv6Address" }, { "GlobalIPv6PrefixLen", NULL },
			{ "IPAddress", "IPAddress" }, { "IPPrefixLen", NULL },
			{ "IPv6Gateway", "IPv6Gateway" }, { "MacAddress", "MacAddress" },
		};
		for (size_t i = 0; i < ARRAY_SIZE(legacy); i++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(bridge_ep, legacy[i][0]);
			if (legacy[i][1])
				cJSON_AddItemToObject(ns, legacy[i][0], str_or_empty(cJSON_IsString(v) ? v->valuestring : NULL));
			else
				cJSON_AddNumberToObject(ns, legacy[i][0], cJSON_IsNumber(v) ? v->valuedouble : 0);
		}
	}
	cJSON_AddItemToObject(ns, "Networks", nets);
	*out = ns;
	return 0;
}
