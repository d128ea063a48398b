/* network.c: network records — the predefined networks, `network create`
 * with Docker's checks and automatic subnets, lookup, inspect, remove.
 *
 * A record's config holds Docker's inspect fields (EnableIPv4, IPAM,
 * Internal, Options, Labels, ...) and robbe's own under "Robbe": the
 * bridge interface and whether aardvark-dns answers names on it. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "network-internal.h"
#include "rootless.h"

#define NETAVARK_PATH "/usr/lib/podman/netavark"
#define DEFAULT_BRIDGE_IFACE "robbe0"
#define DEFAULT_BRIDGE_SUBNET "172.17.0.0/16"
#define DEFAULT_BRIDGE_GATEWAY "172.17.0.1"
#define OPT_BRIDGE_NAME "com.docker.network.bridge.name"
#define OPT_MTU "com.docker.network.driver.mtu"

bool network_is_supported(const struct container_env *env)
{
	if (access(NETAVARK_PATH, X_OK) < 0)
		return false;
	/* Rootless: in robbe's user namespace, with slirp4netns to give the
	 * rootless-netns (rootless-net.h) the outside world. */
	if (env->paths->rootless || env->paths->userns || geteuid() != 0) {
		static int have_slirp = -1;

		if (!rootless_in_userns())
			return false;
		if (have_slirp < 0) {
			cleanup_free char *prog = NULL;
			cleanup_error robbe_error *e = NULL;
			have_slirp = find_program("slirp4netns", NULL, &prog, &e) == 0;
		}
		return have_slirp;
	}
	return true;
}

bool network_is_predefined(const char *name)
{
	return !strcmp(name, NETWORK_BRIDGE) || !strcmp(name, NETWORK_HOST) || !strcmp(name, NETWORK_NONE);
}

cJSON *network_config(const struct store_network *n)
{
	return json_object_parse(n->config_json);
}

const cJSON *network_labels(const cJSON *config)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(config, "Labels");
	return cJSON_IsObject(l) ? l : NULL;
}

bool net_is_bridge(const struct store_network *n)
{
	return n->driver && !strcmp(n->driver, "bridge");
}

const char *net_bridge_name(const cJSON *config)
{
	const char *b = container_config_str(config, "Robbe", "Bridge");
	return b ? b : "";
}

static bool overlaps_any(const struct net_prefix *p, const struct net_prefix *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (net_prefix_overlaps(p, &v[i]))
			return true;
	return false;
}

/* The prefixes the host routes to (connected networks included), so that
 * a chosen subnet does not shadow one: /proc/net/route, without the
 * default route, and without the routes of interface skip (NULL: none). */
static void host_routes(const char *skip, struct net_prefix **out, size_t *n)
{
	cleanup_free char *text = NULL;
	cleanup_error robbe_error *e = NULL;
	char *save = NULL, *line;

	*out = NULL;
	*n = 0;
	if (read_file_all("/proc/net/route", 1024 * 1024, &text, NULL, &e) < 0)
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char iface[64];
		unsigned dest, gw, flags, refcnt, use, metric, mask;
		struct net_prefix p = { { AF_INET, { 0 } }, 0 };

		if (sscanf(line, "%63s %x %x %x %u %u %u %x", iface, &dest, &gw, &flags, &refcnt, &use, &metric, &mask) !=
		    8)
			continue;
		if (mask == 0)
			continue;	/* the default route overlaps everything */
		if (skip && !strcmp(iface, skip))
			continue;
		memcpy(p.addr.b, &dest, 4);
		p.len = __builtin_popcount(mask);
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = p;
	}
}

/* The default bridge's subnet: the one robbe0 has when it exists (it is
 * the machine's, shared by every store), else the first of Docker's pools
 * that no route of the host covers, so a docker0 holding 172.17.0.0/16
 * pushes robbe's bridge to 172.18.0.0/16 as it would push Docker's own. */
static void default_bridge_subnet(const struct container_env *env, char **subnet, char **gateway)
{
	cleanup_free struct net_prefix *routes = NULL;
	size_t n_routes = 0;
	struct ifaddrs *ifs = NULL;

	*subnet = *gateway = NULL;
	if (env->paths->rootless || env->paths->userns || geteuid() != 0)
		goto fallback;	/* rootless, the default network is slirp4netns */
	if (getifaddrs(&ifs) == 0) {
		for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
			struct net_prefix p = { { AF_INET, { 0 } }, 0 }, net;
			uint32_t mask;

			if (strcmp(i->ifa_name, DEFAULT_BRIDGE_IFACE) || !i->ifa_addr || !i->ifa_netmask ||
			    i->ifa_addr->sa_family != AF_INET)
				continue;
			memcpy(p.addr.b, &((struct sockaddr_in *) i->ifa_addr)->sin_addr, 4);
			memcpy(&mask, &((struct sockaddr_in *) i->ifa_netmask)->sin_addr, 4);
			p.len = __builtin_popcount(mask);
			net_prefix_masked(&p, &net);
			*subnet = net_prefix_str(&net);
			*gateway = net_addr_str(&p.addr);
			break;
		}
		freeifaddrs(ifs);
		if (*subnet)
			return;
	}
	host_routes(DEFAULT_BRIDGE_IFACE, &routes, &n_routes);
	for (int i = 17; i <= 31; i++) {
		char buf[32];
		struct net_prefix p;
		struct net_addr gw;

		snprintf(buf, sizeof(buf), "172.%d.0.0/16", i);
		net_prefix_parse(buf, &p);
		if (overlaps_any(&p, routes, n_routes))
			continue;
		gw = p.addr;
		net_addr_add(&gw, 1);
		*subnet = net_prefix_str(&p);
		*gateway = net_addr_str(&gw);
		return;
	}
fallback:
	*subnet = xstrdup(DEFAULT_BRIDGE_SUBNET);
	*gateway = xstrdup(DEFAULT_BRIDGE_GATEWAY);
}

/* ---- the predefined networks ------------------------------------------------ */

static char *predefined_config(const struct container_env *env, const char *name)
{
	cJSON *c = cJSON_CreateObject();
	cJSON *ipam, *opts;
	char *text;

	cJSON_AddStringToObject(c, "Scope", "local");
	cJSON_AddBoolToObject(c, "EnableIPv4", true);
	cJSON_AddBoolToObject(c, "EnableIPv6", false);
	ipam = cJSON_AddObjectToObject(c, "IPAM");
	cJSON_AddStringToObject(ipam, "Driver", "default");
	cJSON_AddNullToObject(ipam, "Options");
	if (!strcmp(name, NETWORK_BRIDGE)) {
		cJSON *cfg = cJSON_AddArrayToObject(ipam, "Config");
		cJSON *s = cJSON_CreateObject();
		cleanup_free char *subnet = NULL, *gateway = NULL;

		default_bridge_subnet(env, &subnet, &gateway);
		cJSON_AddStringToObject(s, "Subnet", subnet);
		cJSON_AddStringToObject(s, "Gateway", gateway);
		cJSON_AddItemToArray(cfg, s);
	} else {
		cJSON_AddNullToObject(ipam, "Config");
	}
	cJSON_AddBoolToObject(c, "Internal", false);
	cJSON_AddBoolToObject(c, "Attachable", false);
	cJSON_AddBoolToObject(c, "Ingress", false);
	cJSON_AddBoolToObject(c, "ConfigOnly", false);
	opts = cJSON_AddObjectToObject(c, "Options");
	if (!strcmp(name, NETWORK_BRIDGE)) {
		cJSON_AddStringToObject(opts, "com.docker.network.bridge.default_bridge", "true");
		cJSON_AddStringToObject(opts, "com.docker.network.bridge.enable_icc", "true");
		cJSON_AddStringToObject(opts, "com.docker.network.bridge.enable_ip_masquerade", "true");
		cJSON_AddStringToObject(opts, "com.docker.network.bridge.host_binding_ipv4", "0.0.0.0");
		cJSON_AddStringToObject(opts, OPT_BRIDGE_NAME, DEFAULT_BRIDGE_IFACE);
		cJSON_AddStringToObject(opts, OPT_MTU, "1500");
		cJSON *r = cJSON_AddObjectToObject(c, "Robbe");
		cJSON_AddStringToObject(r, "Bridge", DEFAULT_BRIDGE_IFACE);
		/* Docker's default bridge resolves no names. */
		cJSON_AddBoolToObject(r, "DNS", false);
	}
	cJSON_AddItemToObject(c, "Labels", cJSON_CreateObject());
	text = cJSON_PrintUnformatted(c);
	cJSON_Delete(c);
	if (!text)
		die_oom();
	return text;
}

int net_ensure_predefined(struct container_env *env, robbe_error **err)
{
	static const char *const names[][2] = {
		{ NETWORK_BRIDGE, "bridge" }, { NETWORK_HOST, "host" }, { NETWORK_NONE, "null" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		cleanup_store_network struct store_network *have = NULL;
		cleanup_error robbe_error *e = NULL;
		cleanup_free char *id = NULL, *config = NULL;
		struct store_network n = { 0 };

		if (store_network_lookup(env->store, names[i][0], &have, &e) == 0 && !strcmp(have->name, names[i][0]))
			continue;
		robbe_error_free(steal_pointer(&e));
		id = net_random_id();
		config = predefined_config(env, names[i][0]);
		n.id = id;
		n.name = (char *) names[i][0];
		n.driver = (char *) names[i][1];
		n.config_json = config;
		/* Another robbe may have made it meanwhile: fine. */
		if (store_network_add(env->store, &n, NULL, NULL, &e) < 0 && !store_error_is(e, STORE_ECONFLICT)) {
			*err = steal_pointer(&e);
			return -1;
		}
	}
	return 0;
}

int network_lookup(struct container_env *env, const char *ref, struct store_network **out, robbe_error **err)
{
	cleanup_error robbe_error *e = NULL;

	if (net_ensure_predefined(env, err) < 0)
		return -1;
	if (store_network_lookup(env->store, ref, out, &e) == 0)
		return 0;
	if (store_error_is(e, STORE_ENOTFOUND) || store_error_is(e, STORE_EAMBIGUOUS)) {
		robbe_error_set(err, EXIT_GENERAL, "network %s not found", ref);
		(*err)->errnum = ENOENT;
		return -1;
	}
	*err = steal_pointer(&e);
	return -1;
}

int network_list(struct container_env *env, struct store_network ***out, robbe_error **err)
{
	if (net_ensure_predefined(env, err) < 0)
		return -1;
	return store_network_list(env->store, out, err);
}

/* ---- create ----------------------------------------------------------------------- */

struct subnet_spec {
	struct net_prefix subnet;
	char *gateway;		/* NULL: the first address */
	char *ip_range;
	cJSON *aux;		/* AuxiliaryAddresses or NULL */
};

struct create_ctx {
	struct subnet_spec *specs;
	size_t n;
	bool want_v4, want_v6;	/* a subnet must be chosen for the family */
	const char *bridge;	/* the interface asked for, or NULL */
	cJSON *config;		/* completed here, then printed into the record */
};

/* Every subnet of a record's IPAM config. */
static void record_subnets(const cJSON *config, struct net_prefix **out, size_t *n)
{
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(config, "IPAM"), "Config");
	const cJSON *it;

	cJSON_ArrayForEach(it, cfg) {
		const char *s = container_config_str(it, NULL, "Subnet");
		struct net_prefix p;
		if (s && net_prefix_parse(s, &p) == 0) {
			*out = xrealloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = p;
		}
	}
}


/* Docker's default pools: 172.17-31.0.0/16, then 192.168.0.0/16 in /20s;
 * 172.17 is the default bridge's. */
static int choose_v4(struct net_prefix *used, size_t n_used, struct net_prefix *out, robbe_error **err)
{
	cleanup_free struct net_prefix *routes = NULL;
	size_t n_routes = 0;

	host_routes(NULL, &routes, &n_routes);
	for (int i = 0; i < 15 + 16; i++) {
		char buf[32];
		struct net_prefix p;

		if (i < 15)
			snprintf(buf, sizeof(buf), "172.%d.0.0/16", 17 + i);
		else
			snprintf(buf, sizeof(buf), "192.168.%d.0/20", (i - 15) * 16);
		net_prefix_parse(buf, &p);
		if (overlaps_any(&p, used, n_used) || overlaps_any(&p, routes, n_routes))
			continue;
		*out = p;
		return 0;
	}
	return robbe_error_set(err, EXIT_GENERAL,
			       "could not find an available, non-overlapping IPv4 address pool among the defaults "
			       "to assign to the network");
}

/* A unique local /64 (fd00::/8 with a random global id), as Docker
 * gives an IPv6 network without a subnet. */
static void choose_v6(struct net_prefix *used, size_t n_used, struct net_prefix *out)
{
	for (;;) {
		cleanup_free char *id = net_random_id();
		char buf[64];

		snprintf(buf, sizeof(buf), "fd%.2s:%.4s:%.4s::/64", id, id + 2, id + 6);
		net_prefix_parse(buf, out);
		if (!overlaps_any(out, used, n_used))
			return;
	}
}

static cJSON *ipam_entry(const struct net_prefix *subnet, const char *ip_range, const char *gateway,
			 const cJSON *aux)
{
	cJSON *o = cJSON_CreateObject();
	cleanup_free char *s = net_prefix_str(subnet);

	cJSON_AddStringToObject(o, "Subnet", s);
	if (ip_range && *ip_range)
		cJSON_AddStringToObject(o, "IPRange", ip_range);
	if (gateway && *gateway) {
		cJSON_AddStringToObject(o, "Gateway", gateway);
	} else {
		struct net_addr gw = subnet->addr;
		cleanup_free char *g = NULL;
		net_addr_add(&gw, 1);
		g = net_addr_str(&gw);
		cJSON_AddStringToObject(o, "Gateway", g);
	}
	if (aux && aux->child)
		cJSON_AddItemToObject(o, "AuxiliaryAddresses", cJSON_Duplicate(aux, true));
	return o;
}

/* Inside the store's transaction: the other networks are known, so the
 * subnets are checked against them and the free ones chosen. */
static int create_check(void *ud, struct store_network *const *existing, struct store_network *n, robbe_error **err)
{
	struct create_ctx *cc = ud;
	cleanup_free struct net_prefix *used = NULL;
	size_t n_used = 0;
	cJSON *ipam_cfg = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cc->config, "IPAM"),
							   "Config");
	const char *bridge = net_bridge_name(cc->config);

	for (size_t i = 0; existing[i]; i++) {
		cleanup_cjson cJSON *c = network_config(existing[i]);
		if (*bridge && !strcmp(net_bridge_name(c), bridge))
			return robbe_error_set(err, EXIT_GENERAL, "bridge name %s is already used by network %s", bridge,
					       existing[i]->name);
		record_subnets(c, &used, &n_used);
	}
	for (size_t i = 0; i < cc->n; i++)
		if (overlaps_any(&cc->specs[i].subnet, used, n_used))
			return robbe_error_set(err, EXIT_GENERAL,
					       "invalid pool request: Pool overlaps with other one on this address space");
	if (cc->want_v4) {
		struct net_prefix p;
		if (choose_v4(used, n_used, &p, err) < 0)
			return -1;
		cJSON_AddItemToArray(ipam_cfg, ipam_entry(&p, NULL, NULL, NULL));
	}
	if (cc->want_v6) {
		struct net_prefix p;
		choose_v6(used, n_used, &p);
		cJSON_AddItemToArray(ipam_cfg, ipam_entry(&p, NULL, NULL, NULL));
	}
	free(n->config_json);
	n->config_json = cJSON_PrintUnformatted(cc->config);
	if (!n->config_json)
		die_oom();
	return 0;
}

/* An error Docker's client gives before asking the daemon (no "Error
 * response from daemon" in front): errnum EINVAL tells the caller. */
static int cli_side(robbe_error **err, const char *what, const char *a, const char *b, const char *c)
{
	cleanup_free char *msg = NULL;

	msg = xasprintf("%s%s%s%s", what, a ? a : "", b ? b : "", c ? c : "");
	robbe_error_set(err, EXIT_GENERAL, "%s", msg);
	(*err)->errnum = EINVAL;
	return -1;
}

/* The CLI's own checks (createIPAMConfig) and the daemon's (ValidateIPAM),
 * in their words. */
static int check_ipam(const struct network_create_opts *o, struct create_ctx *cc, robbe_error **err)
{
	size_t ns = strv_len(o->subnets);
	cleanup_sbuf struct sbuf errs = SBUF_INIT;
	int nerr = 0;

	if (ns < strv_len(o->ip_ranges) || ns < strv_len(o->gateways))
		return cli_side(err, "every ip-range or gateway must have a corresponding subnet", NULL, NULL, NULL);
	cc->specs = xcalloc(ns + 1, sizeof(*cc->specs));
	for (size_t i = 0; i < ns; i++) {
		struct net_prefix p;

		if (net_prefix_parse(o->subnets[i], &p) < 0)
			return robbe_error_set(err, EXIT_GENERAL,
					       "invalid network config:\ninvalid subnet %s: invalid CIDR block notation",
					       o->subnets[i]);
		for (size_t j = 0; j < cc->n; j++)
			if (net_prefix_overlaps(&p, &cc->specs[j].subnet))
				return cli_side(err, "multiple overlapping subnet configuration is not supported", NULL,
						NULL, NULL);
		cc->specs[cc->n++].subnet = p;
	}
	for (size_t i = 0; o->ip_ranges && o->ip_ranges[i]; i++) {
		struct net_prefix r;
		bool match = false;

		if (net_prefix_parse(o->ip_ranges[i], &r) < 0)
			return cli_side(err, "invalid CIDR address: ", o->ip_ranges[i], NULL, NULL);
		for (size_t j = 0; j < cc->n; j++) {
			struct net_prefix m;
			net_prefix_masked(&cc->specs[j].subnet, &m);
			if (!net_prefix_contains(&m, &r.addr))
				continue;
			if (cc->specs[j].ip_range) {
				cleanup_free char *msg =
					xasprintf("cannot configure multiple ranges (%s, %s) on the same subnet (%s)",
						  o->ip_ranges[i], cc->specs[j].ip_range, o->subnets[j]);
				return cli_side(err, msg, NULL, NULL, NULL);
			}
			cc->specs[j].ip_range = o->ip_ranges[i];
			match = true;
		}
		if (!match)
			return cli_side(err, "no matching subnet for range ", o->ip_ranges[i], NULL, NULL);
	}
	for (size_t i = 0; o->gateways && o->gateways[i]; i++) {
		struct net_addr g;
		bool match = false;

		if (net_addr_parse(o->gateways[i], &g) < 0)
			return cli_side(err, "no matching subnet for gateway ", o->gateways[i], NULL, NULL);
		for (size_t j = 0; j < cc->n; j++) {
			struct net_prefix m;
			net_prefix_masked(&cc->specs[j].subnet, &m);
			if (!net_prefix_contains(&m, &g))
				continue;
			if (cc->specs[j].gateway) {
				cleanup_free char *msg =
					xasprintf("cannot configure multiple gateways (%s, %s) for the same subnet (%s)",
						  o->gateways[i], cc->specs[j].gateway, o->subnets[j]);
				return cli_side(err, msg, NULL, NULL, NULL);
			}
			cc->specs[j].gateway = o->gateways[i];
			match = true;
		}
		if (!match)
			return cli_side(err, "no matching subnet for gateway ", o->gateways[i], NULL, NULL);
	}
	for (size_t i = 0; o->aux_addresses && o->aux_addresses[i]; i++) {
		const char *eq = strchr(o->aux_addresses[i], '=');
		struct net_addr a;
		bool match = false;

		if (!eq || net_addr_parse(eq + 1, &a) < 0)
			return cli_side(err, "no matching subnet for aux-address ", eq ? eq + 1 : o->aux_addresses[i],
					NULL, NULL);
		for (size_t j = 0; j < cc->n; j++) {
			struct net_prefix m;
			cleanup_free char *k = xstrndup(o->aux_addresses[i], (size_t) (eq - o->aux_addresses[i]));
			net_prefix_masked(&cc->specs[j].subnet, &m);
			if (!net_prefix_contains(&m, &a))
				continue;
			if (!cc->specs[j].aux)
				cc->specs[j].aux = cJSON_CreateObject();
			cJSON_AddStringToObject(cc->specs[j].aux, k, eq + 1);
			match = true;
		}
		if (!match)
			return cli_side(err, "no matching subnet for aux-address ", eq + 1, NULL, NULL);
	}

	/* The daemon's ValidateIPAM: all problems, joined. */
	for (size_t j = 0; j < cc->n; j++) {
		struct subnet_spec *s = &cc->specs[j];
		struct net_prefix m;
		cleanup_free char *ms = NULL, *given = net_prefix_str(&s->subnet);
		const char *fam = s->subnet.addr.family == AF_INET ? "IPv4" : "IPv6";

		if (s->subnet.addr.family == AF_INET6 && !o->ipv6)
			continue;
		net_prefix_masked(&s->subnet, &m);
		ms = net_prefix_str(&m);
		if (!net_prefix_is_masked(&s->subnet)) {
			sbuf_addf(&errs, "%sinvalid subnet %s: it should be %s", nerr++ ? "\n" : "", given, ms);
		}
		if (s->ip_range) {
			struct net_prefix r, rm;
			net_prefix_parse(s->ip_range, &r);
			net_prefix_masked(&r, &rm);
			if (r.len < m.len)
				sbuf_addf(&errs, "%sinvalid ip-range %s: CIDR block is bigger than its parent subnet %s",
					  nerr++ ? "\n" : "", s->ip_range, given);
			if (!net_prefix_is_masked(&r)) {
				cleanup_free char *rs = net_prefix_str(&r), *rms = net_prefix_str(&rm);
				sbuf_addf(&errs, "%sinvalid ip-range %s: it should be %s", nerr++ ? "\n" : "", rs, rms);
			}
		}
		if (s->gateway) {
			struct net_addr g;
			if (net_addr_parse(s->gateway, &g) < 0)
				sbuf_addf(&errs, "%sinvalid gateway %s: invalid address", nerr++ ? "\n" : "", s->gateway);
			else if (g.family != s->subnet.addr.family)
				sbuf_addf(&errs, "%sinvalid gateway %s: parent subnet is an %s block", nerr++ ? "\n" : "",
					  s->gateway, fam);
		}
		s->subnet = m;
	}
	if (nerr == 1)
		return robbe_error_set(err, EXIT_GENERAL, "invalid network config:\n%s", sbuf_str(&errs));
	if (nerr > 1) {
		/* multierror's layout: "* a\n* b". */
		cleanup_sbuf struct sbuf j = SBUF_INIT;
		const char *p = sbuf_str(&errs);
		sbuf_adds(&j, "* ");
		for (; *p; p++) {
			if (*p == '\n')
				sbuf_adds(&j, "\n* ");
			else
				sbuf_addc(&j, *p);
		}
		return robbe_error_set(err, EXIT_GENERAL, "invalid network config:\n%s", sbuf_str(&j));
	}
	return 0;
}

static void release_ctx(struct create_ctx *cc)
{
	for (size_t i = 0; i < cc->n; i++)
		cJSON_Delete(cc->specs[i].aux);
	free(cc->specs);
	cJSON_Delete(cc->config);
}

static bool valid_network_name(const char *name)
{
	/* Docker takes any name that is not empty; robbe also keeps out what
	 * would break a file or interface name built from it. */
	if (!*name || strlen(name) > 255)
		return false;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\n' || *p == ',' || (unsigned char) *p < 0x20)
			return false;
	return true;
}

int network_create(struct container_env *env, const struct network_create_opts *o, struct store_network **out,
		   robbe_error **err)
{
	__attribute__((cleanup(release_ctx))) struct create_ctx cc = { 0 };
	cleanup_free char *id = NULL;
	const char *driver = o->driver && *o->driver ? o->driver : "bridge";
	bool ipv4 = o->ipv4_set ? o->ipv4 : true;
	bool have_v4 = false, have_v6 = false;
	cJSON *ipam, *opts, *r;
	const cJSON *bn, *mtu;
	struct store_network n = { 0 };
	cleanup_error robbe_error *e = NULL;

	if (network_is_predefined(o->name))
		return robbe_error_set(err, EXIT_GENERAL, "operation is not permitted on predefined %s network ", o->name);
	if (!valid_network_name(o->name))
		return robbe_error_set(err, EXIT_GENERAL, "invalid network name \"%s\"", o->name);
	if (!strcmp(driver, "overlay"))
		return robbe_error_set(err, EXIT_GENERAL,
				       "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" "
				       "to connect this node to swarm and try again.");
	if (strcmp(driver, "bridge"))
		return robbe_error_set(err, EXIT_GENERAL,
				       "network driver \"%s\" is not supported by robbe: only \"bridge\" is", driver);
	if (o->ipam_driver && *o->ipam_driver && strcmp(o->ipam_driver, "default"))
		return robbe_error_set(err, EXIT_GENERAL,
				       "IPAM driver \"%s\" is not supported by robbe: only \"default\" is", o->ipam_driver);
	if (!ipv4 && !o->ipv6)
		return robbe_error_set(err, EXIT_GENERAL, "IPv4 or IPv6 must be enabled");
	if (check_ipam(o, &cc, err) < 0)
		return -1;

	cc.config = cJSON_CreateObject();
	cJSON_AddStringToObject(cc.config, "Scope", "local");
	cJSON_AddBoolToObject(cc.config, "EnableIPv4", ipv4);
	cJSON_AddBoolToObject(cc.config, "EnableIPv6", o->ipv6);
	ipam = cJSON_AddObjectToObject(cc.config, "IPAM");
	cJSON_AddStringToObject(ipam, "Driver", "default");
	cJSON_AddItemToObject(ipam, "Options", strv_kv_object(o->ipam_options));
	{
		cJSON *cfg = cJSON_AddArrayToObject(ipam, "Config");
		for (size_t i = 0; i < cc.n; i++) {
			bool v4 = cc.specs[i].subnet.addr.family == AF_INET;
			if ((v4 && !ipv4) || (!v4 && !o->ipv6))
				continue;
			cJSON_AddItemToArray(cfg, ipam_entry(&cc.specs[i].subnet, cc.specs[i].ip_range,
							     cc.specs[i].gateway, cc.specs[i].aux));
			if (v4)
				have_v4 = true;
			else
				have_v6 = true;
		}
	}
	cc.want_v4 = ipv4 && !have_v4;
	cc.want_v6 = o->ipv6 && !have_v6;
	cJSON_AddBoolToObject(cc.config, "Internal", o->internal);
	cJSON_AddBoolToObject(cc.config, "Attachable", o->attachable);
	cJSON_AddBoolToObject(cc.config, "Ingress", false);
	cJSON_AddBoolToObject(cc.config, "ConfigOnly", false);
	opts = strv_kv_object(o->options);
	cJSON_AddItemToObject(cc.config, "Options", opts);
	cJSON_AddItemToObject(cc.config, "Labels", strv_kv_object(o->labels));

	id = net_random_id();
	r = cJSON_AddObjectToObject(cc.config, "Robbe");
	bn = cJSON_GetObjectItemCaseSensitive(opts, OPT_BRIDGE_NAME);
	if (cJSON_IsString(bn) && *bn->valuestring) {
		if (strlen(bn->valuestring) > 15)
			return robbe_error_set(err, EXIT_GENERAL, "bridge name %s is longer than 15 characters",
					       bn->valuestring);
		cJSON_AddStringToObject(r, "Bridge", bn->valuestring);
	} else {
		cleanup_free char *b = xasprintf("br-%.12s", id);
		cJSON_AddStringToObject(r, "Bridge", b);
	}
	mtu = cJSON_GetObjectItemCaseSensitive(opts, OPT_MTU);
	if (cJSON_IsString(mtu)) {
		char *end;
		long v = strtol(mtu->valuestring, &end, 10);
		if (!*mtu->valuestring || *end || v < 68 || v > 65535)
			return robbe_error_set(err, EXIT_GENERAL, "invalid MTU number: %s", mtu->valuestring);
		cJSON_AddNumberToObject(r, "Mtu", (double) v);
	}
	cJSON_AddBoolToObject(r, "DNS", true);
	/* Docker takes --ip only on networks whose subnets the user chose. */
	cJSON_AddBoolToObject(r, "UserSubnets", cc.n > 0);

	n.id = id;
	n.name = (char *) o->name;
	n.driver = (char *) driver;
	n.config_json = NULL;
	if (net_ensure_predefined(env, err) < 0)
		return -1;
	if (store_network_add(env->store, &n, create_check, &cc, &e) < 0) {
		free(n.config_json);
		if (store_error_is(e, STORE_ECONFLICT)) {
			robbe_error_set(err, EXIT_GENERAL, "network with name %s already exists", o->name);
			(*err)->errnum = EEXIST;
			return -1;
		}
		*err = steal_pointer(&e);
		return -1;
	}
	free(n.config_json);
	return store_network_get(env->store, id, out, err);
}

/* ---- inspect ---------------------------------------------------------------------- */

static void copy_item(cJSON *dst, const cJSON *src, const char *key, cJSON *fallback)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, key);

	if (v) {
		cJSON_AddItemToObject(dst, key, cJSON_Duplicate(v, true));
		cJSON_Delete(fallback);
	} else {
		cJSON_AddItemToObject(dst, key, fallback);
	}
}

/* "172.18.0.2/16", or "" without an address. */
static void add_cidr(cJSON *o, const char *key, const char *addr, const cJSON *len)
{
	cleanup_free char *s = NULL;

	if (!addr || !*addr) {
		cJSON_AddStringToObject(o, key, "");
		return;
	}
	s = xasprintf("%s/%d", addr, cJSON_IsNumber(len) ? (int) len->valuedouble : 0);
	cJSON_AddStringToObject(o, key, s);
}

int network_inspect_json(struct container_env *env, const struct store_network *n, cJSON **out, robbe_error **err)
{
	cleanup_cjson cJSON *config = network_config(n);
	cleanup_store_network_attachment_list struct store_network_attachment **atts = NULL;
	cleanup_free char *created = container_format_time(n->created);
	cJSON *o = cJSON_CreateObject();
	cJSON *containers, *cf;

	cJSON_AddStringToObject(o, "Name", n->name);
	cJSON_AddStringToObject(o, "Id", n->id);
	cJSON_AddStringToObject(o, "Created", created);
	copy_item(o, config, "Scope", cJSON_CreateString("local"));
	cJSON_AddStringToObject(o, "Driver", n->driver ? n->driver : "bridge");
	copy_item(o, config, "EnableIPv4", cJSON_CreateTrue());
	copy_item(o, config, "EnableIPv6", cJSON_CreateFalse());
	copy_item(o, config, "IPAM", cJSON_CreateObject());
	copy_item(o, config, "Internal", cJSON_CreateFalse());
	copy_item(o, config, "Attachable", cJSON_CreateFalse());
	copy_item(o, config, "Ingress", cJSON_CreateFalse());
	cf = cJSON_AddObjectToObject(o, "ConfigFrom");
	cJSON_AddStringToObject(cf, "Network", "");
	copy_item(o, config, "ConfigOnly", cJSON_CreateFalse());
	containers = cJSON_AddObjectToObject(o, "Containers");
	copy_item(o, config, "Options", cJSON_CreateObject());
	copy_item(o, config, "Labels", cJSON_CreateObject());

	if (store_network_attachments(env->store, NULL, n->id, &atts, err) < 0) {
		cJSON_Delete(o);
		return -1;
	}
	for (size_t i = 0; atts[i]; i++) {
		cleanup_cjson cJSON *a = cJSON_Parse(atts[i]->json ? atts[i]->json : "{}");
		const cJSON *act = cJSON_GetObjectItemCaseSensitive(a, "Active");
		cleanup_store_container struct store_container *c = NULL;
		cleanup_error robbe_error *e = NULL;
		const char *v4, *v6;
		cJSON *ep;

		if (!cJSON_IsObject(act))
			continue;
		if (store_container_get(env->store, atts[i]->container_id, &c, &e) < 0 || !container_is_active(c))
			continue;
		ep = cJSON_AddObjectToObject(containers, c->id);
		cJSON_AddStringToObject(ep, "Name", c->name);
		cJSON_AddStringToObject(ep, "EndpointID", container_config_str(act, NULL, "EndpointID") ?: "");
		cJSON_AddStringToObject(ep, "MacAddress", container_config_str(act, NULL, "MacAddress") ?: "");
		v4 = container_config_str(act, NULL, "IPv4Address");
		v6 = container_config_str(act, NULL, "IPv6Address");
		add_cidr(ep, "IPv4Address", v4, cJSON_GetObjectItemCaseSensitive(act, "IPv4PrefixLen"));
		add_cidr(ep, "IPv6Address", v6, cJSON_GetObjectItemCaseSensitive(act, "IPv6PrefixLen"));
	}
	*out = o;
	return 0;
}

/* ---- remove ------------------------------------------------------------------------- */

struct remove_ctx {
	struct container_env *env;
	const struct store_network *n;
};

/* Attachments with addresses of running containers are Docker's active
 * endpoints.  The others are detached with the network. */
static int remove_busy(void *ud, struct store_network_attachment *const *atts, robbe_error **err)
{
	struct remove_ctx *rc = ud;
	cleanup_sbuf struct sbuf eps = SBUF_INIT;

	for (size_t i = 0; atts[i]; i++) {
		cleanup_cjson cJSON *a = cJSON_Parse(atts[i]->json ? atts[i]->json : "{}");
		const cJSON *act = cJSON_GetObjectItemCaseSensitive(a, "Active");
		cleanup_store_container struct store_container *c = NULL;
		cleanup_error robbe_error *e = NULL;
		const char *ep;

		if (!cJSON_IsObject(act))
			continue;
		if (store_container_get(rc->env->store, atts[i]->container_id, &c, &e) < 0 || !container_is_active(c))
			continue;
		ep = container_config_str(act, NULL, "EndpointID");
		if (eps.len)
			sbuf_adds(&eps, ", ");
		sbuf_addf(&eps, "name:\"%s\" id:\"%.12s\"", c->name, ep ? ep : "");
	}
	if (!eps.len)
		return 0;
	robbe_error_set(err, EXIT_GENERAL, "error while removing network: network %s has active endpoints (%s)",
			rc->n->name, sbuf_str(&eps));
	(*err)->errnum = EBUSY;
	return -1;
}

int network_remove(struct container_env *env, const char *ref, robbe_error **err)
{
	cleanup_store_network struct store_network *n = NULL;
	struct remove_ctx rc = { env, NULL };

	if (network_lookup(env, ref, &n, err) < 0)
		return -1;
	if (network_is_predefined(n->name)) {
		robbe_error_set(err, EXIT_GENERAL, "%s is a pre-defined network and cannot be removed", n->name);
		(*err)->errnum = EPERM;
		return -1;
	}
	rc.n = n;
	return store_network_remove(env->store, n->id, remove_busy, &rc, err);
}

int network_in_use(struct container_env *env, const struct store_network *n, bool *in_use, robbe_error **err)
{
	cleanup_store_network_attachment_list struct store_network_attachment **atts = NULL;

	*in_use = false;
	if (store_network_attachments(env->store, NULL, n->id, &atts, err) < 0)
		return -1;
	for (size_t i = 0; atts[i]; i++) {
		cleanup_cjson cJSON *a = cJSON_Parse(atts[i]->json ? atts[i]->json : "{}");
		cleanup_store_container struct store_container *c = NULL;
		cleanup_error robbe_error *e = NULL;

		if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(a, "Active")) &&
		    store_container_get(env->store, atts[i]->container_id, &c, &e) == 0 && container_is_active(c))
			*in_use = true;
	}
	return 0;
}
