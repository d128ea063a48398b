/* test-network.c: the network engine's pure parts and its records.
 *
 *  - addresses and prefixes (IPv4, IPv6, masks, overlap, arithmetic);
 *  - Docker's -p and --expose syntaxes into PortBindings/ExposedPorts,
 *    with go-connections' error words;
 *  - allocation over a snapshot: distinct addresses, static ones, the
 *    gateway and the network address kept out, ports held by others,
 *    host ports taken by the host (a fake probe), ephemeral picks;
 *  - the store: networks, attachments, the update transaction, remove
 *    with a busy check; network_create's subnet choice and Docker's
 *    errors, over a real store in a temporary root.
 * Nothing here runs netavark. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>

#include "src/network-internal.h"
#include "store/store.h"
#include "tap.h"

static struct robbe_paths paths;
static struct store *st;

static void bail(const char *what, robbe_error *e)
{
	printf("Bail out! %s: %s\n", what, e ? e->msg : "?");
	exit(1);
}

static char *msg_of(robbe_error **e)
{
	char *m = *e ? xstrdup((*e)->msg) : xstrdup("(no error)");
	robbe_error_free(*e);
	*e = NULL;
	return m;
}

/* ---- addresses ------------------------------------------------------------ */

static void check_addresses(void)
{
	struct net_addr a, b;
	struct net_prefix p, q, m;
	char *s;

	ok(net_addr_parse("172.18.0.2", &a) == 0 && a.family == AF_INET, "IPv4 parses");
	ok(net_addr_parse("::ffff:10.0.0.1", &a) == 0 && a.family == AF_INET, "IPv4-mapped is IPv4");
	ok(net_addr_parse("fd00::1", &a) == 0 && a.family == AF_INET6, "IPv6 parses");
	ok(net_addr_parse("300.1.1.1", &a) < 0 && net_addr_parse("", &a) < 0, "bad addresses refused");

	net_addr_parse("10.0.0.255", &a);
	ok(net_addr_add(&a, 1), "add carries");
	s = net_addr_str(&a);
	is_str(s, "10.0.1.0", "10.0.0.255 + 1");
	free(s);
	net_addr_parse("255.255.255.255", &a);
	ok(!net_addr_add(&a, 1), "add past the end wraps and says so");

	ok(net_prefix_parse("172.18.0.0/16", &p) == 0 && p.len == 16, "prefix parses");
	ok(net_prefix_parse("172.18.0.0", &p) < 0 && net_prefix_parse("172.18.0.0/33", &p) < 0 &&
		   net_prefix_parse("172.18.0.0/016", &p) < 0 && net_prefix_parse("fd00::/129", &p) < 0,
	   "bad prefixes refused");
	net_prefix_parse("10.1.2.3/24", &p);
	ok(!net_prefix_is_masked(&p), "host bits set is not masked");
	net_prefix_masked(&p, &m);
	s = net_prefix_str(&m);
	is_str(s, "10.1.2.0/24", "masked");
	free(s);
	net_addr_parse("10.1.2.200", &b);
	ok(net_prefix_contains(&m, &b), "contains");
	net_addr_parse("10.1.3.1", &b);
	ok(!net_prefix_contains(&m, &b), "does not contain");
	net_prefix_last(&m, &b);
	s = net_addr_str(&b);
	is_str(s, "10.1.2.255", "last address");
	free(s);
	net_prefix_parse("10.0.0.0/8", &q);
	ok(net_prefix_overlaps(&m, &q) && net_prefix_overlaps(&q, &m), "overlap both ways");
	net_prefix_parse("10.1.3.0/24", &q);
	ok(!net_prefix_overlaps(&m, &q), "neighbours do not overlap");
	net_prefix_parse("fd00:1::/64", &p);
	net_addr_parse("fd00:1::abcd", &b);
	ok(net_prefix_contains(&p, &b), "IPv6 contains");

	{
		uint8_t mac[6];
		char *r = net_mac_random();
		ok(net_mac_parse(r, mac) == 0 && (mac[0] & 1) == 0 && (mac[0] & 2) == 2,
		   "random MAC is unicast, locally administered (%s)", r);
		free(r);
		ok(net_mac_parse("92:d0:c6:0a:29:3", mac) < 0 && net_mac_parse("92:d0:c6:0a:29:33:11", mac) < 0,
		   "bad MACs refused");
	}
	{
		char *id = net_random_id();
		ok(strlen(id) == 64 && strspn(id, "0123456789abcdef") == 64, "random id is 64 hex digits");
		free(id);
	}
}

/* ---- port specifications ----------------------------------------------------- */

static char *publish(const char *spec, const char **exposed_out)
{
	static char exposed[512];
	cleanup_cjson cJSON *pb = cJSON_CreateObject(), *ex = cJSON_CreateObject();
	char *specs[] = { (char *) spec, NULL };
	robbe_error *e = NULL;
	char *out;

	if (network_parse_publish(specs, pb, ex, &e) < 0)
		return msg_of(&e);
	out = cJSON_PrintUnformatted(pb);
	if (exposed_out) {
		char *t = cJSON_PrintUnformatted(ex);
		snprintf(exposed, sizeof(exposed), "%s", t);
		free(t);
		*exposed_out = exposed;
	}
	return out;
}

static void check_publish(void)
{
	static const struct {
		const char *spec, *want;
	} cases[] = {
		{ "8080:80", "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}" },
		{ "127.0.0.1:8080:80", "{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}]}" },
		{ "80", "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}" },
		{ "53:53/udp", "{\"53/udp\":[{\"HostIp\":\"\",\"HostPort\":\"53\"}]}" },
		{ "8080-8081:80-81",
		  "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}],\"81/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8081\"}]}" },
		{ "8000-8010:80", "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8000-8010\"}]}" },
		{ "[::1]:8080:80", "{\"80/tcp\":[{\"HostIp\":\"::1\",\"HostPort\":\"8080\"}]}" },
		{ "::1:8080:80", "{\"80/tcp\":[{\"HostIp\":\"::1\",\"HostPort\":\"8080\"}]}" },
		{ "127.0.0.1::80", "{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}]}" },
		{ "80/TCP", "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}" },
		{ "published=8080,target=80,protocol=udp", "{\"80/udp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}" },
		{ "abc", "invalid containerPort: abc" },
		{ "80:abc", "invalid containerPort: abc" },
		{ "x:80", "invalid hostPort: x" },
		{ "1.2.3:80:80", "invalid IP address: 1.2.3" },
		{ "80/icmp", "invalid proto: icmp" },
		{ "8080-8082:80-81", "invalid ranges specified for container and host Ports: 80-81 and 8080-8082" },
		{ "8080:", "no port specified: 8080:<empty>" },
		{ "70000", "invalid containerPort: 70000" },
	};
	const char *exposed = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = publish(cases[i].spec, NULL);
		is_str(got, cases[i].want, "-p %s", cases[i].spec);
		free(got);
	}
	{
		char *got = publish("8080:80", &exposed);
		is_str(exposed, "{\"80/tcp\":{}}", "-p exposes the container port");
		free(got);
	}
	{
		cleanup_cjson cJSON *pb = cJSON_CreateObject(), *ex = cJSON_CreateObject();
		char *specs[] = { "9000:90", "8080:80", "8081:80", NULL };
		robbe_error *e = NULL;
		cleanup_free char *t = NULL;
		ok(network_parse_publish(specs, pb, ex, &e) == 0, "several -p");
		t = cJSON_PrintUnformatted(pb);
		is_str(t, "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"},{\"HostIp\":\"\",\"HostPort\":\"8081\"}],"
			  "\"90/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"9000\"}]}",
		       "keys sorted, one port bound twice keeps both");
	}
	{
		cleanup_cjson cJSON *ex = cJSON_CreateObject();
		char *specs[] = { "7000-7002/udp", "80", NULL };
		char *bad[] = { "1:2", NULL };
		robbe_error *e = NULL;
		cleanup_free char *t = NULL, *m = NULL;
		ok(network_parse_expose(specs, ex, &e) == 0, "--expose ranges");
		t = cJSON_PrintUnformatted(ex);
		is_str(t, "{\"7000/udp\":{},\"7001/udp\":{},\"7002/udp\":{},\"80/tcp\":{}}", "--expose keys");
		ok(network_parse_expose(bad, ex, &e) < 0, "--expose 1:2 refused");
		m = msg_of(&e);
		is_str(m, "invalid port format for --expose: 1:2", "--expose words");
	}
}

/* ---- allocation over a snapshot ---------------------------------------------------- */

struct fake_host {
	unsigned busy_port;	/* bind() fails for it */
	const char *claimed;	/* another store holds this address */
	const char *dead;	/* a container whose set-up is gone */
};

static bool fake_alive(void *ud, const char *cid)
{
	struct fake_host *h = ud;
	return !h->dead || strcmp(h->dead, cid);
}

static bool fake_free(void *ud, const char *bridge, const struct net_addr *a)
{
	struct fake_host *h = ud;
	cleanup_free char *s = net_addr_str(a);
	(void) bridge;
	return !h->claimed || strcmp(s, h->claimed);
}

static int fake_bind(void *ud, const char *proto, const struct net_addr *ip, unsigned port)
{
	struct fake_host *h = ud;
	(void) proto;
	(void) ip;
	return port == h->busy_port ? EADDRINUSE : 0;
}

static struct store_network *mk_net(const char *id, const char *name, const char *config)
{
	struct store_network *n = xcalloc(1, sizeof(*n));
	n->id = xstrdup(id);
	n->name = xstrdup(name);
	n->driver = xstrdup("bridge");
	n->config_json = xstrdup(config);
	return n;
}

static const char *NET_CONFIG =
	"{\"EnableIPv4\":true,\"IPAM\":{\"Config\":[{\"Subnet\":\"10.5.0.0/29\",\"Gateway\":\"10.5.0.1\","
	"\"AuxiliaryAddresses\":{\"r\":\"10.5.0.3\"}}]},\"Robbe\":{\"Bridge\":\"br-test\"}}";

static void snap_free(struct store_network_snapshot *s)
{
	store_network_list_free(s->networks);
	store_network_attachment_list_free(s->atts);
	memset(s, 0, sizeof(*s));
}

static const char *active_of(struct store_network_snapshot *s, const char *cid, const char *key, char *buf,
			     size_t n)
{
	for (size_t i = 0; i < s->n_atts; i++) {
		if (strcmp(s->atts[i]->container_id, cid))
			continue;
		cleanup_cjson cJSON *j = cJSON_Parse(s->atts[i]->json);
		const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "Active"), key);
		if (cJSON_IsString(v)) {
			snprintf(buf, n, "%s", v->valuestring);
			return buf;
		}
		if (v) {
			char *t = cJSON_PrintUnformatted(v);
			snprintf(buf, n, "%s", t);
			free(t);
			return buf;
		}
	}
	return NULL;
}

static void check_allocation(void)
{
	struct store_network_snapshot s = { 0 };
	struct fake_host host = { 0 };
	struct net_host_probe probe = { .address_free = fake_free,
					.bind_test = fake_bind,
					.holder_alive = fake_alive,
					.ipv6_listenable = true,
					.ephemeral_lo = 40000,
					.ephemeral_hi = 40002,
					.ud = &host };
	struct net_port_requests none = { 0 };
	robbe_error *e = NULL;
	char buf[512];
	char *m;

	s.networks = xcalloc(2, sizeof(*s.networks));
	s.networks[0] = mk_net("n1", "net1", NET_CONFIG);
	/* 10.5.0.0/29: .0 network, .1 gateway, .3 aux, .7 broadcast -> .2 .4 .5 .6 */
	store_network_snapshot_add(&s, "c1", "n1", "{}");
	store_network_snapshot_add(&s, "c2", "n1", "{}");
	store_network_snapshot_add(&s, "c3", "n1", "{\"IPAMConfig\":{\"IPv4Address\":\"10.5.0.6\"}}");
	store_network_snapshot_add(&s, "c4", "n1", "{}");
	store_network_snapshot_add(&s, "c5", "n1", "{}");

	ok(net_ipam_allocate(&s, "c1", "one", &none, &probe, NULL, &e) == 0, "allocate c1");
	is_str(active_of(&s, "c1", "IPv4Address", buf, sizeof(buf)), "10.5.0.2", "first free after the gateway");
	is_str(active_of(&s, "c1", "IPv4Gateway", buf, sizeof(buf)), "10.5.0.1", "gateway recorded");
	is_str(active_of(&s, "c1", "Interface", buf, sizeof(buf)), "eth0", "first interface eth0");
	is_str(active_of(&s, "c1", "Bridge", buf, sizeof(buf)), "br-test", "bridge recorded");
	ok(net_ipam_allocate(&s, "c2", "two", &none, &probe, NULL, &e) == 0, "allocate c2");
	is_str(active_of(&s, "c2", "IPv4Address", buf, sizeof(buf)), "10.5.0.4", "aux address skipped");
	host.claimed = "10.5.0.5";
	ok(net_ipam_allocate(&s, "c4", "four", &none, &probe, NULL, &e) < 0, "no address left for c4");
	m = msg_of(&e);
	ok(strstr(m, "no available IPv4 addresses") != NULL, "pool exhausted: %s", m);
	free(m);
	host.claimed = NULL;
	ok(net_ipam_allocate(&s, "c3", "three", &none, &probe, NULL, &e) == 0, "static 10.5.0.6");
	is_str(active_of(&s, "c3", "IPv4Address", buf, sizeof(buf)), "10.5.0.6", "static address given");
	ok(net_ipam_allocate(&s, "c4", "four", &none, &probe, NULL, &e) == 0, "c4 once the claim is gone");
	is_str(active_of(&s, "c4", "IPv4Address", buf, sizeof(buf)), "10.5.0.5", "the claimed one, freed");
	ok(net_ipam_allocate(&s, "c5", "five", &none, &probe, NULL, &e) < 0, "c5: the static one is held");
	robbe_error_free(e);
	e = NULL;
	net_ipam_release(&s, "c2", NULL);
	ok(active_of(&s, "c2", "IPv4Address", buf, sizeof(buf)) == NULL, "released");
	ok(net_ipam_allocate(&s, "c5", "five", &none, &probe, NULL, &e) == 0, "c5 gets the released address");
	is_str(active_of(&s, "c5", "IPv4Address", buf, sizeof(buf)), "10.5.0.4", "the released one");
	snap_free(&s);

	/* a static address another running container holds */
	s.networks = xcalloc(2, sizeof(*s.networks));
	s.networks[0] = mk_net("n1", "net1", NET_CONFIG);
	store_network_snapshot_add(&s, "a", "n1", "{}");
	store_network_snapshot_add(&s, "b", "n1", "{\"IPAMConfig\":{\"IPv4Address\":\"10.5.0.2\"}}");
	store_network_snapshot_add(&s, "c", "n1", "{\"IPAMConfig\":{\"IPv4Address\":\"10.9.9.9\"}}");
	ok(net_ipam_allocate(&s, "a", "a", &none, &probe, NULL, &e) == 0, "a allocated");
	is_str(active_of(&s, "a", "IPv4Address", buf, sizeof(buf)), "10.5.0.4",
	       "another's static address is kept out of dynamic allocation");
	ok(net_ipam_allocate(&s, "c", "c", &none, &probe, NULL, &e) < 0, "static address outside the subnet");
	m = msg_of(&e);
	is_str(m, "invalid endpoint settings:\nno configured subnet or ip-range contain the IP address 10.9.9.9",
	       "outside: Docker's words");
	free(m);
	snap_free(&s);

	/* ports */
	{
		struct net_port_requests req = { 0 };
		cleanup_cjson cJSON *cfg = cJSON_Parse(
			"{\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}],"
			"\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}]}},"
			"\"Config\":{\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{},\"443/tcp\":{}}}}");

		ok(net_port_requests_from_config(cfg, &req, &e) == 0 && req.n == 2, "two port requests");
		s.networks = xcalloc(2, sizeof(*s.networks));
		s.networks[0] = mk_net("n1", "net1", NET_CONFIG);
		store_network_snapshot_add(&s, "p1", "n1", "{}");
		store_network_snapshot_add(&s, "p2", "n1", "{}");
		ok(net_ipam_allocate(&s, "p1", "web", &req, &probe, NULL, &e) == 0, "ports for p1");
		is_str(active_of(&s, "p1", "Ports", buf, sizeof(buf)),
		       "{\"443/tcp\":null,\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"40000\"}],"
		       "\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"},{\"HostIp\":\"::\",\"HostPort\":\"8080\"}]}",
		       "Docker's Ports: both families for no host IP, ephemeral port, exposed-only null");
		ok(net_ipam_allocate(&s, "p2", "web2", &req, &probe, NULL, &e) < 0, "p2 wants 8080 too");
		m = msg_of(&e);
		ok(strstr(m, "Bind for 0.0.0.0:8080 failed: port is already allocated") != NULL &&
			   str_has_prefix(m, "failed to set up container networking: driver failed programming external "
					     "connectivity on endpoint web2 ("),
		   "port allocated: %s", m);
		free(m);
		net_ipam_release(&s, "p1", NULL);
		host.busy_port = 8080;
		ok(net_ipam_allocate(&s, "p2", "web2", &req, &probe, NULL, &e) < 0, "a host process holds 8080");
		m = msg_of(&e);
		ok(strstr(m, "failed to bind host port for 0.0.0.0:8080:10.5.0.2:80/tcp: address already in use") != NULL,
		   "host conflict: %s", m);
		free(m);
		host.busy_port = 40000;
		ok(net_ipam_allocate(&s, "p2", "web2", &((struct net_port_requests){ req.v + 1, 1, NULL }), &probe, NULL,
				     &e) == 0,
		   "ephemeral port skips a busy one");
		ok(strstr(active_of(&s, "p2", "Ports", buf, sizeof(buf)), "\"40001\"") != NULL, "got 40001: %s", buf);
		host.busy_port = 0;
		/* p2 holds 10.5.0.2 and 8080 ... until its set-up is gone (reboot). */
		store_network_snapshot_add(&s, "p3", "n1", "{\"IPAMConfig\":{\"IPv4Address\":\"10.5.0.2\"}}");
		ok(net_ipam_allocate(&s, "p3", "web3", &none, &probe, NULL, &e) < 0, "p2's address is held");
		robbe_error_free(e);
		e = NULL;
		host.dead = "p2";
		ok(net_ipam_allocate(&s, "p3", "web3", &none, &probe, NULL, &e) == 0, "a dead holder's address is free");
		ok(active_of(&s, "p2", "IPv4Address", buf, sizeof(buf)) == NULL, "and its Active is dropped");
		host.dead = NULL;
		net_port_requests_release(&req);
		snap_free(&s);
	}

	/* -P publishes every exposed port */
	{
		struct net_port_requests req = { 0 };
		cleanup_cjson cJSON *cfg = cJSON_Parse("{\"HostConfig\":{\"PublishAllPorts\":true,\"PortBindings\":{}},"
						       "\"Config\":{\"ExposedPorts\":{\"80/tcp\":{},\"8000-8001/tcp\":{}}}}");
		ok(net_port_requests_from_config(cfg, &req, &e) == 0 && req.n == 3, "-P: one request per exposed port");
		ok(req.n == 3 && req.v[0].host_lo == 0 && req.v[2].container_port == 8001, "random host ports, ranges expanded");
		net_port_requests_release(&req);
	}
}

/* ---- the store and network_create ----------------------------------------------------------- */

static int refuse(void *ud, struct store_network_attachment *const *atts, robbe_error **err)
{
	(void) ud;
	if (atts[0])
		return robbe_error_set(err, EXIT_GENERAL, "busy with %s", atts[0]->container_id);
	return 0;
}

static int attach_one(void *ud, struct store_network_snapshot *snap, robbe_error **err)
{
	const char *nid = ud;
	(void) err;
	store_network_snapshot_add(snap, "c0000000000000000000000000000000000000000000000000000000000000a1", nid,
				   "{\"Order\":0}");
	return 0;
}

static void check_store(void)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_network struct store_network *n1 = NULL, *n2 = NULL, *got = NULL;
	cleanup_store_network_list struct store_network **list = NULL;
	cleanup_store_network_attachment_list struct store_network_attachment **atts = NULL;
	robbe_error *e = NULL;
	char *m;

	if (container_env_open(st, &paths, &env, &e) < 0)
		bail("container_env_open", e);

	struct network_create_opts o = { .name = "alpha" };
	ok(network_create(env, &o, &n1, &e) == 0, "create alpha");
	{
		cleanup_cjson cJSON *c = network_config(n1);
		const cJSON *cfg = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "IPAM"), "Config"), 0);
		const char *sub = cJSON_GetStringValue(cJSON_GetObjectItem(cfg, "Subnet"));
		ok(sub && str_has_prefix(sub, "172.") && strcmp(sub, "172.17.0.0/16"),
		   "an automatic subnet, not the default bridge's (%s)", sub ? sub : "?");
		is_str(net_bridge_name(c), xasprintf("br-%.12s", n1->id), "bridge br-<id>");
	}
	struct network_create_opts o2 = { .name = "beta", .subnets = (char *[]){ "10.66.0.0/24", NULL },
					  .gateways = (char *[]){ "10.66.0.254", NULL },
					  .labels = (char *[]){ "k=v", NULL } };
	ok(network_create(env, &o2, &n2, &e) == 0, "create beta with a subnet and gateway");
	ok(network_create(env, &o, &got, &e) < 0, "alpha again");
	m = msg_of(&e);
	is_str(m, "network with name alpha already exists", "name taken: Docker's words");
	free(m);
	struct network_create_opts o3 = { .name = "gamma", .subnets = (char *[]){ "10.66.0.128/25", NULL } };
	ok(network_create(env, &o3, &got, &e) < 0, "overlapping subnet");
	m = msg_of(&e);
	is_str(m, "invalid pool request: Pool overlaps with other one on this address space", "overlap words");
	free(m);
	struct network_create_opts o4 = { .name = "delta", .subnets = (char *[]){ "10.67.1.2/16", NULL } };
	ok(network_create(env, &o4, &got, &e) < 0, "host bits set");
	m = msg_of(&e);
	is_str(m, "invalid network config:\ninvalid subnet 10.67.1.2/16: it should be 10.67.0.0/16", "subnet words");
	free(m);
	struct network_create_opts o5 = { .name = "eps", .gateways = (char *[]){ "10.1.1.1", NULL } };
	ok(network_create(env, &o5, &got, &e) < 0, "gateway without subnet");
	m = msg_of(&e);
	is_str(m, "every ip-range or gateway must have a corresponding subnet", "gateway words");
	free(m);
	struct network_create_opts o6 = { .name = "bridge" };
	ok(network_create(env, &o6, &got, &e) < 0, "predefined name");
	m = msg_of(&e);
	is_str(m, "operation is not permitted on predefined bridge network ", "predefined words");
	free(m);
	struct network_create_opts o7 = { .name = "mac", .driver = "macvlan" };
	ok(network_create(env, &o7, &got, &e) < 0, "other drivers refused");
	robbe_error_free(e);
	e = NULL;

	ok(network_list(env, &list, &e) == 0, "list");
	{
		struct sbuf sb = SBUF_INIT;
		for (size_t i = 0; list && list[i]; i++)
			sbuf_addf(&sb, "%s%s:%s", i ? "," : "", list[i]->name, list[i]->driver);
		is_str(sbuf_str(&sb), "alpha:bridge,beta:bridge,bridge:bridge,host:host,none:null",
		       "predefined networks and user ones, by name");
		sbuf_release(&sb);
	}
	store_network_free(got);
	got = NULL;
	ok(network_lookup(env, n2->id + 0, &got, &e) == 0 && !strcmp(got->name, "beta"), "lookup by id");
	store_network_free(got);
	got = NULL;
	{
		cleanup_free char *prefix = xstrndup(n2->id, 12);
		ok(network_lookup(env, prefix, &got, &e) == 0 && !strcmp(got->name, "beta"), "lookup by id prefix");
	}
	store_network_free(got);
	got = NULL;
	ok(network_lookup(env, "nope", &got, &e) < 0 && e->errnum == ENOENT, "lookup unknown");
	m = msg_of(&e);
	is_str(m, "network nope not found", "not found words");
	free(m);
	ok(network_remove(env, "bridge", &e) < 0, "bridge cannot be removed");
	m = msg_of(&e);
	is_str(m, "bridge is a pre-defined network and cannot be removed", "predefined rm words");
	free(m);

	/* attachments need a container */
	{
		struct store_container c = { .id = "c0000000000000000000000000000000000000000000000000000000000000a1",
					     .name = "att",
					     .config_json = "{}" };
		if (store_container_add(st, &c, &e) < 0)
			bail("store_container_add", e);
	}
	ok(store_network_update(st, attach_one, n2->id, &e) == 0, "attach in an update");
	ok(store_network_attachments(st, NULL, n2->id, &atts, &e) == 0 && atts[0] && !atts[1], "one attachment");
	ok(store_network_update(st, attach_one, n2->id, &e) < 0, "the same attachment twice");
	robbe_error_free(e);
	e = NULL;
	ok(store_network_remove(st, n2->id, refuse, NULL, &e) < 0, "the busy check can refuse removal");
	m = msg_of(&e);
	ok(strstr(m, "busy with c000") != NULL, "its error comes back: %s", m);
	free(m);
	ok(network_remove(env, "beta", &e) == 0, "a stopped container does not keep Docker from removing");
	store_network_attachment_list_free(atts);
	atts = NULL;
	ok(store_network_attachments(st, "c0000000000000000000000000000000000000000000000000000000000000a1", NULL, &atts,
				     &e) == 0 &&
		   !atts[0],
	   "its attachment went with the network");
	ok(network_remove(env, "alpha", &e) == 0, "remove alpha");
}

/* Rootless: the lock and the claims are the user's, under the runroot
 * (the machine-wide directory is root's); the journal says whether a
 * container has a namespace of robbe's (then no slirp4netns of its own). */
static void check_rootless_state(const char *dir)
{
	cleanup_free char *run = xasprintf("%s/rl-run", dir);
	cleanup_free char *claim = xasprintf("%s/network-global/claims/br-rltest/10.90.1.2", run);
	cleanup_free char *lockfile = xasprintf("%s/network-global/netavark.lock", run);
	struct robbe_paths rp = { .root = (char *) dir, .runroot = run, .rootless = true };
	struct container_env renv = { .paths = &rp };
	cleanup_cjson cJSON *j = cJSON_CreateObject();
	robbe_error *e = NULL;
	struct net_addr a;
	int fd = -1;

	ok(net_rootless(&renv), "a rootless environment");
	ok(net_global_lock(&renv, &fd, &e) == 0 && fd >= 0, "the lock");
	ok(access(lockfile, F_OK) == 0, "the lock file is under the runroot");
	ok(net_claim(&renv, "br-rltest", "10.90.1.2", dir, &e) == 0, "claim an address");
	ok(access(claim, F_OK) == 0, "the claim is under the runroot");
	ok(access("/run/robbe-network/claims/br-rltest", F_OK) < 0, "and not the machine's");
	net_addr_parse("10.90.1.2", &a);
	ok(!net_claim_free(&renv, "br-rltest", &a, "/elsewhere"), "taken for another namespace");
	ok(net_claim_free(&renv, "br-rltest", &a, dir), "free for its holder");
	net_unclaim(&renv, "br-rltest", "10.90.1.2", dir);
	ok(net_claim_free(&renv, "br-rltest", &a, "/elsewhere"), "free once released");
	if (fd >= 0)
		close(fd);

	ok(!network_has_netns(&renv, "c1"), "no journal, no namespace");
	cJSON_AddStringToObject(j, "Netns", "/x/netns/robbe-c1");
	cJSON_AddArrayToObject(j, "Networks");
	ok(net_journal_write(&renv, "c1", j, &e) == 0, "a journal");
	ok(network_has_netns(&renv, "c1"), "then a namespace of robbe's");
	net_journal_remove(&renv, "c1");
	ok(!network_has_netns(&renv, "c1"), "gone with its journal");
	robbe_error_free(e);
}

int main(void)
{
	robbe_error *e = NULL;
	char tmpl[] = "/tmp/robbe-test-network-XXXXXX";

	check_addresses();
	check_publish();
	check_allocation();

	if (!mkdtemp(tmpl)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	cleanup_free char *root = xasprintf("%s/root", tmpl);
	cleanup_free char *run = xasprintf("%s/run", tmpl);
	if (paths_init(&paths, root, run, &e) < 0)
		bail("paths_init", e);
	if (store_open(&paths, &st, &e) < 0)
		bail("store_open", e);
	check_store();
	check_rootless_state(tmpl);
	store_close(st);
	paths_release(&paths);
	{
		int fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			rm_rf_at(fd, tmpl + 5, &e);
			close(fd);
		}
	}
	return tap_done();
}
