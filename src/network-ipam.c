/* network-ipam.c: robbe's address and port allocation.
 *
 * Runs inside store_network_update's write transaction with every network
 * and every attachment in view, so concurrent starts on one network get
 * distinct addresses and host ports.  What a running container holds is
 * the "Active" object of its attachments' JSON:
 *   EndpointID, Interface, MacAddress, IPv4Address, IPv4PrefixLen,
 *   IPv4Gateway, IPv6Address, IPv6PrefixLen, IPv6Gateway, Bridge,
 *   and on its first bridge attachment, Ports (Docker's PortMap shape).
 * Releasing is dropping "Active".
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "network-internal.h"

struct store_network *net_snapshot_network(const struct store_network_snapshot *snap, const char *id)
{
	for (size_t i = 0; snap->networks && snap->networks[i]; i++)
		if (!strcmp(snap->networks[i]->id, id))
			return snap->networks[i];
	return NULL;
}

static cJSON *att_json(const struct store_network_attachment *a)
{
	return json_object_parse(a->json);
}

static void att_store(struct store_network_attachment *a, const cJSON *j)
{
	char *text = cJSON_PrintUnformatted(j);

	if (!text)
		die_oom();
	free(a->json);
	a->json = text;
	a->changed = true;
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- port requests -------------------------------------------------------------- */

void net_port_requests_release(struct net_port_requests *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].proto);
		free(r->v[i].host_ip);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static void add_request(struct net_port_requests *r, const char *proto, unsigned cport, const char *host_ip,
			unsigned lo, unsigned hi)
{
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n++] = (struct net_port_request){ xstrdup(proto), cport, xstrdup(host_ip ? host_ip : ""), lo, hi };
}

/* "80/tcp" -> 80, tcp (a range "8000-8002/tcp" gives lo..hi). */
static int port_key(const char *key, unsigned *lo, unsigned *hi, char **proto)
{
	cleanup_free char *port = NULL;

	net_split_proto_port(key, proto, &port);
	if (net_port_range_parse(port, lo, hi) < 0) {
		free(*proto);
		*proto = NULL;
		return -1;
	}
	return 0;
}

int net_port_requests_from_config(const cJSON *config, struct net_port_requests *out, robbe_error **err)
{
	const cJSON *hc = cJSON_GetObjectItemCaseSensitive(config, "HostConfig");
	const cJSON *pb = cJSON_GetObjectItemCaseSensitive(hc, "PortBindings");
	const cJSON *exposed = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "Config"),
								"ExposedPorts");
	bool all = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(hc, "PublishAllPorts"));
	const cJSON *p, *b;

	memset(out, 0, sizeof(*out));
	out->exposed = (cJSON *) exposed;
	cJSON_ArrayForEach(p, pb) {
		cleanup_free char *proto = NULL;
		unsigned lo, hi;

		if (!p->string || port_key(p->string, &lo, &hi, &proto) < 0)
			continue;
		cJSON_ArrayForEach(b, p) {
			const char *ip = jstr(b, "HostIp");
			const char *hp = jstr(b, "HostPort");
			unsigned hlo = 0, hhi = 0;

			if (hp && *hp && net_port_range_parse(hp, &hlo, &hhi) < 0)
				return robbe_error_set(err, EXIT_GENERAL, "invalid hostPort: %s", hp);
			for (unsigned port = lo; port <= hi; port++)
				add_request(out, proto, port, ip, hlo, hhi);
		}
	}
	if (all) {
		cJSON_ArrayForEach(p, exposed) {
			cleanup_free char *proto = NULL;
			unsigned lo, hi;

			if (!p->string || port_key(p->string, &lo, &hi, &proto) < 0)
				continue;
			for (unsigned port = lo; port <= hi; port++) {
				bool bound = false;
				for (size_t i = 0; i < out->n; i++)
					if (out->v[i].container_port == port && !strcmp(out->v[i].proto, proto))
						bound = true;
				if (!bound)
					add_request(out, proto, port, "", 0, 0);
			}
		}
	}
	return 0;
}

/* ---- addresses ------------------------------------------------------------------- */

/* The first IPAM entry of a family in a network's config. */
struct family_conf {
	bool have;
	struct net_prefix subnet;	/* masked */
	struct net_prefix range;	/* = subnet without an IPRange */
	struct net_addr gateway;
	bool have_gateway;
};

static void family_conf(const cJSON *config, int family, struct family_conf *fc)
{
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "IPAM"), "Config");
	const cJSON *it;

	memset(fc, 0, sizeof(*fc));
	cJSON_ArrayForEach(it, cfg) {
		const char *s = jstr(it, "Subnet"), *r = jstr(it, "IPRange"), *g = jstr(it, "Gateway");
		struct net_prefix p;

		if (!s || net_prefix_parse(s, &p) < 0 || p.addr.family != family)
			continue;
		net_prefix_masked(&p, &fc->subnet);
		fc->range = fc->subnet;
		if (r && net_prefix_parse(r, &p) == 0 && p.addr.family == family)
			net_prefix_masked(&p, &fc->range);
		if (g && net_addr_parse(g, &fc->gateway) == 0 && fc->gateway.family == family)
			fc->have_gateway = true;
		fc->have = true;
		return;
	}
}

static bool family_enabled(const cJSON *config, int family)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(config, family == AF_INET ? "EnableIPv4" : "EnableIPv6");
	return family == AF_INET ? !cJSON_IsFalse(v) : cJSON_IsTrue(v);
}

/* Is a taken on network nid by someone other than cid (running, or
 * holding it as its static address), or one of the network's own? */
static bool address_taken(const struct store_network_snapshot *snap, const char *nid, const char *cid,
			  const cJSON *config, const struct family_conf *fc, const struct net_addr *a)
{
	const char *key = a->family == AF_INET ? "IPv4Address" : "IPv6Address";
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "IPAM"), "Config");
	const cJSON *it;

	if (fc->have_gateway && !net_addr_cmp(&fc->gateway, a))
		return true;
	cJSON_ArrayForEach(it, cfg) {
		const cJSON *aux;
		cJSON_ArrayForEach(aux, cJSON_GetObjectItemCaseSensitive(it, "AuxiliaryAddresses")) {
			struct net_addr x;
			if (cJSON_IsString(aux) && net_addr_parse(aux->valuestring, &x) == 0 && !net_addr_cmp(&x, a))
				return true;
		}
	}
	for (size_t i = 0; i < snap->n_atts; i++) {
		const struct store_network_attachment *o = snap->atts[i];
		cleanup_cjson cJSON *j = NULL;
		const char *s;
		struct net_addr x;

		if (o->removed || strcmp(o->network_id, nid) || !strcmp(o->container_id, cid))
			continue;
		j = att_json(o);
		s = jstr(cJSON_GetObjectItemCaseSensitive(j, "Active"), key);
		if (s && net_addr_parse(s, &x) == 0 && !net_addr_cmp(&x, a))
			return true;
		s = jstr(cJSON_GetObjectItemCaseSensitive(j, "IPAMConfig"), key);
		if (s && net_addr_parse(s, &x) == 0 && !net_addr_cmp(&x, a))
			return true;
	}
	return false;
}

static int allocate_address(const struct store_network_snapshot *snap, const struct store_network *n,
			    const char *cid, const cJSON *config, const struct family_conf *fc, const char *bridge,
			    const char *requested, const struct net_host_probe *probe, struct net_addr *out,
			    robbe_error **err)
{
	struct net_addr a, last, sublast;

	if (requested && *requested) {
		if (net_addr_parse(requested, &a) < 0 || !net_prefix_contains(&fc->subnet, &a))
			return robbe_error_set(err, EXIT_GENERAL,
					       "invalid endpoint settings:\nno configured subnet or ip-range contain the IP "
					       "address %s",
					       requested);
		if (address_taken(snap, n->id, cid, config, fc, &a) ||
		    (probe && probe->address_free && !probe->address_free(probe->ud, bridge, &a)))
			return robbe_error_set(err, EXIT_GENERAL, "Address already in use");
		*out = a;
		return 0;
	}
	a = fc->range.addr;
	net_prefix_last(&fc->range, &last);
	net_prefix_last(&fc->subnet, &sublast);
	for (;;) {
		bool skip = !net_addr_cmp(&a, &fc->subnet.addr);	/* the network's own address */
		if (a.family == AF_INET && !net_addr_cmp(&a, &sublast) && fc->subnet.len < 31)
			skip = true;	/* broadcast */
		if (!skip && !address_taken(snap, n->id, cid, config, fc, &a) &&
		    (!probe || !probe->address_free || probe->address_free(probe->ud, bridge, &a))) {
			*out = a;
			return 0;
		}
		if (!net_addr_cmp(&a, &last) || !net_addr_add(&a, 1))
			break;
	}
	return robbe_error_set(err, EXIT_GENERAL, "no available IPv%d addresses on this network's address pools: %s (%s)",
			       a.family == AF_INET ? 4 : 6, n->name, n->id);
}

/* ---- ports -------------------------------------------------------------------------- */

struct binding {
	char *proto;
	unsigned container_port;
	struct net_addr host_ip;
	unsigned host_port;
};

static bool ip_overlap(const struct net_addr *a, const struct net_addr *b)
{
	if (a->family != b->family)
		return false;
	return net_addr_is_unspecified(a) || net_addr_is_unspecified(b) || !net_addr_cmp(a, b);
}

/* Host ports other running containers hold (their Active.Ports). */
static bool port_reserved(const struct store_network_snapshot *snap, const char *cid, const char *proto,
			  const struct net_addr *ip, unsigned port, const struct binding *mine, size_t n_mine)
{
	for (size_t i = 0; i < n_mine; i++)
		if (mine[i].host_port == port && !strcmp(mine[i].proto, proto) && ip_overlap(&mine[i].host_ip, ip))
			return true;
	for (size_t i = 0; i < snap->n_atts; i++) {
		const struct store_network_attachment *o = snap->atts[i];
		cleanup_cjson cJSON *j = NULL;
		const cJSON *p, *b;

		if (o->removed || !strcmp(o->container_id, cid))
			continue;
		j = att_json(o);
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "Active"),
								       "Ports")) {
			cleanup_free char *pproto = NULL;
			unsigned lo, hi;

			if (!p->string || port_key(p->string, &lo, &hi, &pproto) < 0 || strcmp(pproto, proto))
				continue;
			cJSON_ArrayForEach(b, p) {
				const char *hip = jstr(b, "HostIp"), *hp = jstr(b, "HostPort");
				struct net_addr x;
				if (hp && strtoul(hp, NULL, 10) == port && hip && net_addr_parse(hip, &x) == 0 &&
				    ip_overlap(&x, ip))
					return true;
			}
		}
	}
	return false;
}

static void bindings_free(struct binding *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].proto);
	free(v);
}

/* Docker's host IP words: "0.0.0.0", "[::]". */
static char *host_port_text(const struct net_addr *ip, unsigned port)
{
	cleanup_free char *s = net_addr_str(ip);

	return ip->family == AF_INET6 ? xasprintf("[%s]:%u", s, port) : xasprintf("%s:%u", s, port);
}

static int allocate_ports(const struct store_network_snapshot *snap, const char *cid, const char *cname,
			  const char *endpoint, const struct net_addr *ctr_ip, const struct net_port_requests *req,
			  const struct net_host_probe *probe, struct binding **out, size_t *n_out, robbe_error **err)
{
	struct binding *v = NULL;
	size_t n = 0;
	cleanup_free char *ctr_ip_s = net_addr_str(ctr_ip);

	*out = NULL;
	*n_out = 0;
	for (size_t r = 0; r < req->n; r++) {
		const struct net_port_request *q = &req->v[r];
		struct net_addr ips[2];
		size_t nips = 0;
		unsigned lo = q->host_lo, hi = q->host_hi, chosen = 0;
		bool fixed = lo && lo == hi;

		if (*q->host_ip) {
			if (net_addr_parse(q->host_ip, &ips[0]) < 0) {
				bindings_free(v, n);
				return robbe_error_set(err, EXIT_GENERAL, "invalid host IP address %s", q->host_ip);
			}
			nips = 1;
		} else {
			net_addr_parse("0.0.0.0", &ips[nips++]);
			if (probe && probe->ipv6_listenable)
				net_addr_parse("::", &ips[nips++]);
		}
		if (!lo) {
			lo = probe && probe->ephemeral_lo ? probe->ephemeral_lo : 32768;
			hi = probe && probe->ephemeral_hi ? probe->ephemeral_hi : 60999;
		}
		for (unsigned port = lo; port <= hi && !chosen; port++) {
			bool ok = true;

			for (size_t k = 0; k < nips && ok; k++) {
				int e;

				if (port_reserved(snap, cid, q->proto, &ips[k], port, v, n)) {
					if (fixed) {
						cleanup_free char *ip = net_addr_str(&ips[k]);
						bindings_free(v, n);
						return robbe_error_set(err, EXIT_GENERAL,
								       "failed to set up container networking: driver failed "
								       "programming external connectivity on endpoint %s (%s): "
								       "Bind for %s:%u failed: port is already allocated",
								       cname, endpoint, ip, port);
					}
					ok = false;
					break;
				}
				e = probe && probe->bind_test ? probe->bind_test(probe->ud, q->proto, &ips[k], port) : 0;
				if (e) {
					if (fixed) {
						cleanup_free char *hp = host_port_text(&ips[k], port);
						bindings_free(v, n);
						return robbe_error_set(err, EXIT_GENERAL,
								       "failed to set up container networking: driver failed "
								       "programming external connectivity on endpoint %s (%s): "
								       "failed to bind host port for %s:%s:%u/%s: %s",
								       cname, endpoint, hp, ctr_ip_s, q->container_port,
								       q->proto, e == EADDRINUSE ? "address already in use"
												 : strerror(e));
					}
					ok = false;
				}
			}
			if (ok)
				chosen = port;
			if (port == 65535)
				break;
		}
		if (!chosen) {
			bindings_free(v, n);
			return robbe_error_set(err, EXIT_GENERAL,
					       "failed to set up container networking: driver failed programming external "
					       "connectivity on endpoint %s (%s): all ports are allocated",
					       cname, endpoint);
		}
		for (size_t k = 0; k < nips; k++) {
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = (struct binding){ xstrdup(q->proto), q->container_port, ips[k], chosen };
		}
	}
	*out = v;
	*n_out = n;
	return 0;
}

static int binding_cmp(const void *x, const void *y)
{
	const struct binding *a = x, *b = y;

	if (a->container_port != b->container_port)
		return a->container_port < b->container_port ? -1 : 1;
	if (strcmp(a->proto, b->proto))
		return strcmp(a->proto, b->proto);
	if (a->host_port != b->host_port)
		return a->host_port < b->host_port ? -1 : 1;
	return net_addr_cmp(&a->host_ip, &b->host_ip);
}

/* Docker's NetworkSettings.Ports: every exposed port, null when not
 * published; keys sorted as Go's JSON sorts map keys. */
static cJSON *ports_json(struct binding *v, size_t n, const cJSON *exposed)
{
	cleanup_cjson cJSON *unsorted = cJSON_CreateObject();
	cJSON *out = cJSON_CreateObject();
	cleanup_strv char **keys = NULL;
	const cJSON *e;

	if (n > 1)
		qsort(v, n, sizeof(*v), binding_cmp);
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *key = xasprintf("%u/%s", v[i].container_port, v[i].proto);
		cleanup_free char *ip = net_addr_str(&v[i].host_ip);
		char hp[16];
		cJSON *list = cJSON_GetObjectItemCaseSensitive(unsorted, key);
		cJSON *b = cJSON_CreateObject();

		if (!cJSON_IsArray(list))
			list = cJSON_AddArrayToObject(unsorted, key);
		snprintf(hp, sizeof(hp), "%u", v[i].host_port);
		cJSON_AddStringToObject(b, "HostIp", ip);
		cJSON_AddStringToObject(b, "HostPort", hp);
		cJSON_AddItemToArray(list, b);
	}
	cJSON_ArrayForEach(e, exposed) {
		cleanup_free char *proto = NULL;
		unsigned lo, hi;

		if (!e->string || port_key(e->string, &lo, &hi, &proto) < 0)
			continue;
		for (unsigned p = lo; p <= hi; p++) {
			cleanup_free char *key = xasprintf("%u/%s", p, proto);
			if (!cJSON_GetObjectItemCaseSensitive(unsorted, key))
				cJSON_AddNullToObject(unsorted, key);
		}
	}
	cJSON_ArrayForEach(e, unsorted)
		strv_push(&keys, e->string);
	for (size_t i = 0; keys && keys[i]; i++)
		for (size_t j = i + 1; keys[j]; j++)
			if (strcmp(keys[j], keys[i]) < 0) {
				char *t = keys[i];
				keys[i] = keys[j];
				keys[j] = t;
			}
	for (size_t i = 0; keys && keys[i]; i++)
		cJSON_AddItemToObject(out, keys[i], cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(unsorted, keys[i]), true));
	return out;
}

/* ---- allocate and release ---------------------------------------------------------- */

struct mine {
	struct store_network_attachment *a;
	cJSON *j;
	int order;
};

static int mine_cmp(const void *x, const void *y)
{
	const struct mine *a = x, *b = y;
	return a->order - b->order;
}

static bool interface_used(const struct mine *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = jstr(cJSON_GetObjectItemCaseSensitive(v[i].j, "Active"), "Interface");
		if (s && !strcmp(s, name))
			return true;
	}
	return false;
}

static void add_addr(cJSON *o, const char *key, const struct net_addr *a)
{
	cleanup_free char *s = net_addr_str(a);
	cJSON_AddStringToObject(o, key, s);
}

static int allocate_one(struct store_network_snapshot *snap, struct mine *all, size_t n_all, struct mine *m,
			const char *cid, const char *cname, const struct net_port_requests *ports, bool with_ports,
			const struct net_host_probe *probe, robbe_error **err)
{
	struct store_network *n = net_snapshot_network(snap, m->a->network_id);
	cleanup_cjson cJSON *config = NULL;
	cleanup_free char *endpoint = net_random_id();
	const cJSON *ipam_cfg = cJSON_GetObjectItemCaseSensitive(m->j, "IPAMConfig");
	const char *mac = jstr(m->j, "MacAddress");
	struct net_addr v4 = { 0 };
	bool have_v4 = false;
	cJSON *act;

	if (!n)
		return robbe_error_set(err, EXIT_GENERAL, "network %s not found", m->a->network_id);
	config = network_config(n);
	act = cJSON_CreateObject();
	cJSON_AddStringToObject(act, "EndpointID", endpoint);
	if (net_is_bridge(n)) {
		const char *bridge = net_bridge_name(config);
		static const int families[] = { AF_INET, AF_INET6 };
		char ifname[16];

		for (int k = 0;; k++) {
			snprintf(ifname, sizeof(ifname), "eth%d", k);
			if (!interface_used(all, n_all, ifname))
				break;
		}
		cJSON_AddStringToObject(act, "Interface", ifname);
		cJSON_AddStringToObject(act, "Bridge", bridge);
		{
			cleanup_free char *rmac = mac && *mac ? xstrdup(mac) : net_mac_random();
			cJSON_AddStringToObject(act, "MacAddress", rmac);
		}
		for (size_t f = 0; f < ARRAY_SIZE(families); f++) {
			bool v6 = families[f] == AF_INET6;
			struct family_conf fc;
			struct net_addr a;

			if (!family_enabled(config, families[f]))
				continue;
			family_conf(config, families[f], &fc);
			if (!fc.have)
				continue;
			if (allocate_address(snap, n, cid, config, &fc, bridge,
					     jstr(ipam_cfg, v6 ? "IPv6Address" : "IPv4Address"), probe, &a, err) < 0) {
				cJSON_Delete(act);
				return -1;
			}
			add_addr(act, v6 ? "IPv6Address" : "IPv4Address", &a);
			cJSON_AddNumberToObject(act, v6 ? "IPv6PrefixLen" : "IPv4PrefixLen", fc.subnet.len);
			if (fc.have_gateway)
				add_addr(act, v6 ? "IPv6Gateway" : "IPv4Gateway", &fc.gateway);
			if (!v6) {
				v4 = a;
				have_v4 = true;
			}
		}
		if (with_ports) {
			struct binding *b = NULL;
			size_t nb = 0;
			struct net_addr any;

			if (!have_v4)
				net_addr_parse("0.0.0.0", &any);
			if (allocate_ports(snap, cid, cname, endpoint, have_v4 ? &v4 : &any, ports, probe, &b, &nb, err) <
			    0) {
				cJSON_Delete(act);
				return -1;
			}
			cJSON_AddItemToObject(act, "Ports", ports_json(b, nb, ports->exposed));
			bindings_free(b, nb);
		}
	}
	cJSON_DeleteItemFromObjectCaseSensitive(m->j, "Active");
	cJSON_AddItemToObject(m->j, "Active", act);
	att_store(m->a, m->j);
	return 0;
}

int net_ipam_allocate(struct store_network_snapshot *snap, const char *cid, const char *cname,
		      const struct net_port_requests *ports, const struct net_host_probe *probe,
		      const char *only_network, robbe_error **err)
{
	struct mine *v = NULL;
	size_t n = 0;
	bool ports_done = false;
	int rc = 0;

	for (size_t i = 0; i < snap->n_atts; i++) {
		struct store_network_attachment *a = snap->atts[i];
		cJSON *order;

		if (a->removed || strcmp(a->container_id, cid))
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].a = a;
		v[n].j = att_json(a);
		order = cJSON_GetObjectItemCaseSensitive(v[n].j, "Order");
		v[n].order = cJSON_IsNumber(order) ? (int) order->valuedouble : 0;
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), mine_cmp);
	/* What others hold without a set-up behind it (a reboot, a crash)
	 * is free again. */
	if (probe && probe->holder_alive)
		for (size_t i = 0; i < snap->n_atts; i++) {
			struct store_network_attachment *a = snap->atts[i];
			struct store_network *net;
			cleanup_cjson cJSON *j = NULL;

			if (a->removed || !strcmp(a->container_id, cid))
				continue;
			net = net_snapshot_network(snap, a->network_id);
			if (!net || !net_is_bridge(net))
				continue;
			j = att_json(a);
			if (!cJSON_GetObjectItemCaseSensitive(j, "Active") || probe->holder_alive(probe->ud, a->container_id))
				continue;
			cJSON_DeleteItemFromObjectCaseSensitive(j, "Active");
			att_store(a, j);
		}
	/* A new start: nothing is held any more. */
	if (!only_network)
		for (size_t i = 0; i < n; i++)
			cJSON_DeleteItemFromObjectCaseSensitive(v[i].j, "Active");
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct store_network *net = net_snapshot_network(snap, v[i].a->network_id);
		bool with_ports = false;

		if (only_network && strcmp(v[i].a->network_id, only_network))
			continue;
		if (!only_network && !ports_done && net && net_is_bridge(net)) {
			with_ports = true;
			ports_done = true;
		}
		rc = allocate_one(snap, v, n, &v[i], cid, cname, ports, with_ports, probe, err);
	}
	for (size_t i = 0; i < n; i++)
		cJSON_Delete(v[i].j);
	free(v);
	return rc;
}

void net_ipam_release(struct store_network_snapshot *snap, const char *cid, const char *only_network)
{
	for (size_t i = 0; i < snap->n_atts; i++) {
		struct store_network_attachment *a = snap->atts[i];
		cleanup_cjson cJSON *j = NULL;

		if (a->removed || strcmp(a->container_id, cid))
			continue;
		if (only_network && strcmp(a->network_id, only_network))
			continue;
		j = att_json(a);
		if (!cJSON_GetObjectItemCaseSensitive(j, "Active"))
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(j, "Active");
		att_store(a, j);
	}
}
