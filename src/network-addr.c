/* network-addr.c: IPv4 and IPv6 addresses and prefixes as bytes, MAC
 * addresses, and Docker's port specifications — pure functions the
 * allocator and the parsers share. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "network-internal.h"

int net_addr_parse(const char *s, struct net_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (!s || !*s)
		return -1;
	if (inet_pton(AF_INET, s, out->b) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->b) == 1) {
		out->family = AF_INET6;
		/* An IPv4-mapped address is the IPv4 address, as Go's net.ParseIP
		 * and To4() see it. */
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		if (!memcmp(out->b, mapped, 12)) {
			memmove(out->b, out->b + 12, 4);
			memset(out->b + 4, 0, 12);
			out->family = AF_INET;
		}
		return 0;
	}
	return -1;
}

int net_addr_bits(const struct net_addr *a)
{
	return a->family == AF_INET ? 32 : 128;
}

char *net_addr_str(const struct net_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->b, buf, sizeof(buf)))
		return xstrdup("");
	return xstrdup(buf);
}

int net_addr_cmp(const struct net_addr *a, const struct net_addr *b)
{
	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	return memcmp(a->b, b->b, (size_t) net_addr_bits(a) / 8);
}

bool net_addr_add(struct net_addr *a, uint64_t n)
{
	int len = net_addr_bits(a) / 8;

	for (int i = len - 1; i >= 0 && n; i--) {
		uint64_t v = (uint64_t) a->b[i] + (n & 0xff);
		a->b[i] = (uint8_t) v;
		n = (n >> 8) + (v >> 8);
	}
	return n == 0;
}

bool net_addr_is_unspecified(const struct net_addr *a)
{
	for (int i = 0; i < net_addr_bits(a) / 8; i++)
		if (a->b[i])
			return false;
	return true;
}

/* Keep the first len bits, zero or one the rest. */
static void fill_host_bits(struct net_addr *a, int len, bool ones)
{
	int bytes = net_addr_bits(a) / 8;

	for (int i = 0; i < bytes; i++) {
		int keep = len - i * 8;
		uint8_t mask;

		if (keep >= 8)
			continue;
		mask = keep <= 0 ? 0 : (uint8_t) (0xff << (8 - keep));
		a->b[i] = ones ? (uint8_t) (a->b[i] | (uint8_t) ~mask) : (uint8_t) (a->b[i] & mask);
	}
}

int net_prefix_parse(const char *s, struct net_prefix *out)
{
	const char *slash = s ? strchr(s, '/') : NULL;
	cleanup_free char *addr = NULL;
	char *end;
	long len;

	memset(out, 0, sizeof(*out));
	if (!slash || !slash[1])
		return -1;
	addr = xstrndup(s, (size_t) (slash - s));
	if (net_addr_parse(addr, &out->addr) < 0)
		return -1;
	/* Go's netip.ParsePrefix: decimal, no sign, no leading zeros. */
	if (slash[1] < '0' || slash[1] > '9' || (slash[1] == '0' && slash[2]))
		return -1;
	errno = 0;
	len = strtol(slash + 1, &end, 10);
	if (*end || errno || len < 0 || len > net_addr_bits(&out->addr))
		return -1;
	/* "::ffff:1.2.3.4/120" is not an IPv4 prefix: keep the family typed. */
	if (strchr(addr, ':') && out->addr.family == AF_INET)
		return -1;
	out->len = (int) len;
	return 0;
}

void net_prefix_masked(const struct net_prefix *p, struct net_prefix *out)
{
	*out = *p;
	fill_host_bits(&out->addr, p->len, false);
}

bool net_prefix_is_masked(const struct net_prefix *p)
{
	struct net_prefix m;

	net_prefix_masked(p, &m);
	return net_addr_cmp(&m.addr, &p->addr) == 0;
}

char *net_prefix_str(const struct net_prefix *p)
{
	cleanup_free char *a = net_addr_str(&p->addr);

	return xasprintf("%s/%d", a, p->len);
}

void net_prefix_last(const struct net_prefix *p, struct net_addr *out)
{
	*out = p->addr;
	fill_host_bits(out, p->len, true);
}

bool net_prefix_contains(const struct net_prefix *p, const struct net_addr *a)
{
	struct net_addr x = *a;

	if (a->family != p->addr.family)
		return false;
	fill_host_bits(&x, p->len, false);
	{
		struct net_addr base = p->addr;
		fill_host_bits(&base, p->len, false);
		return net_addr_cmp(&x, &base) == 0;
	}
}

bool net_prefix_overlaps(const struct net_prefix *a, const struct net_prefix *b)
{
	if (a->addr.family != b->addr.family)
		return false;
	return a->len <= b->len ? net_prefix_contains(a, &b->addr) : net_prefix_contains(b, &a->addr);
}

/* ---- MAC addresses ---------------------------------------------------------- */

int net_mac_parse(const char *s, uint8_t out[6])
{
	unsigned v[6];
	char tail;

	if (!s || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6 ||
	    strlen(s) != 17)
		return -1;
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t) v[i];
	return 0;
}

char *net_mac_random(void)
{
	uint8_t m[6];

	if (getrandom(m, sizeof(m), 0) != (ssize_t) sizeof(m))
		memset(m, 0x5a, sizeof(m));
	/* Unicast and locally administered, as Docker's random addresses are. */
	m[0] = (uint8_t) ((m[0] & 0xfe) | 0x02);
	return xasprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

char *net_random_id(void)
{
	unsigned char raw[32];
	char out[65];

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t) sizeof(raw))
		die_oom();
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	/* An ID whose short form reads as a number is drawn again, as
	 * container IDs are: a short ID must never look like a port. */
	for (size_t i = 0; i < 12; i++)
		if (out[i] >= 'a')
			return xstrdup(out);
	return net_random_id();
}

/* ---- port specifications ----------------------------------------------------------- */

/* Go's strconv.ParseUint(s, 10, 16). */
static int parse_port(const char *s, size_t n, unsigned *out)
{
	unsigned long v = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long) (s[i] - '0');
		if (v > 65535)
			return -1;
	}
	*out = (unsigned) v;
	return 0;
}

int net_port_range_parse(const char *s, unsigned *lo, unsigned *hi)
{
	const char *dash = strchr(s, '-');

	if (!*s)
		return -1;
	if (!dash) {
		if (parse_port(s, strlen(s), lo) < 0)
			return -1;
		*hi = *lo;
		return 0;
	}
	/* Go splits on every '-' and reads the first two parts. */
	{
		const char *second_end = strchr(dash + 1, '-');
		size_t second_len = second_end ? (size_t) (second_end - dash - 1) : strlen(dash + 1);

		if (parse_port(s, (size_t) (dash - s), lo) < 0 || parse_port(dash + 1, second_len, hi) < 0)
			return -1;
	}
	if (*hi < *lo)
		return -1;
	return 0;
}

void net_split_proto_port(const char *raw, char **proto, char **port)
{
	const char *slash = strchr(raw, '/');

	*proto = NULL;
	*port = NULL;
	if (!*raw || raw[0] == '/') {
		*proto = xstrdup("");
		*port = xstrdup("");
		return;
	}
	if (!slash) {
		*proto = xstrdup("tcp");
		*port = xstrdup(raw);
		return;
	}
	{
		const char *next = strchr(slash + 1, '/');
		size_t plen = next ? (size_t) (next - slash - 1) : strlen(slash + 1);

		*port = xstrndup(raw, (size_t) (slash - raw));
		*proto = plen ? xstrndup(slash + 1, plen) : xstrdup("tcp");
	}
}

void net_port_mappings_free(struct net_port_mapping *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].proto);
		free(v[i].host_ip);
		free(v[i].host_port);
	}
	free(v);
}

static bool valid_proto(const char *p)
{
	return !strcmp(p, "tcp") || !strcmp(p, "udp") || !strcmp(p, "sctp");
}

/* go-connections' ParsePortSpec, with its error words. */
int net_port_spec_parse(const char *raw, struct net_port_mapping **out, size_t *n_out, robbe_error **err)
{
	cleanup_free char *ip = NULL, *host = NULL, *ctr = NULL;
	cleanup_free char *proto = NULL, *cport = NULL;
	struct net_port_mapping *v = NULL;
	unsigned start, end, hstart = 0, hend = 0;
	const char *last = strrchr(raw, ':');
	size_t nparts = 1;

	*out = NULL;
	*n_out = 0;
	for (const char *p = raw; *p; p++)
		if (*p == ':')
			nparts++;
	if (nparts == 1) {
		ctr = xstrdup(raw);
	} else {
		const char *prev = last;
		while (prev > raw && prev[-1] != ':')
			prev--;
		ctr = xstrdup(last + 1);
		host = xstrndup(prev, (size_t) (last - prev));
		if (nparts >= 3)
			ip = xstrndup(raw, (size_t) (prev - 1 - raw));
	}
	net_split_proto_port(ctr, &proto, &cport);
	if (ip && ip[0] == '[') {
		size_t len = strlen(ip);
		/* net.SplitHostPort(ip + ":"): a bracketed host, nothing after it. */
		if (len < 2 || ip[len - 1] != ']' || memchr(ip + 1, '[', len - 1) || memchr(ip, ']', len - 1))
			return robbe_error_set(err, EXIT_ENGINE, "invalid IP address %s: address %s:: missing port in address",
					       ip, ip);
		memmove(ip, ip + 1, len - 2);
		ip[len - 2] = '\0';
	}
	if (ip && *ip) {
		struct net_addr a;
		if (net_addr_parse(ip, &a) < 0)
			return robbe_error_set(err, EXIT_ENGINE, "invalid IP address: %s", ip);
	}
	if (!*cport)
		return robbe_error_set(err, EXIT_ENGINE, "no port specified: %s<empty>", raw);
	if (net_port_range_parse(cport, &start, &end) < 0)
		return robbe_error_set(err, EXIT_ENGINE, "invalid containerPort: %s", cport);
	if (host && *host && net_port_range_parse(host, &hstart, &hend) < 0)
		return robbe_error_set(err, EXIT_ENGINE, "invalid hostPort: %s", host);
	if (host && *host && end - start != hend - hstart && end != start)
		return robbe_error_set(err, EXIT_ENGINE, "invalid ranges specified for container and host Ports: %s and %s",
				       cport, host);
	for (char *c = proto; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char) (*c - 'A' + 'a');
	if (!valid_proto(proto))
		return robbe_error_set(err, EXIT_ENGINE, "invalid proto: %s", proto);

	v = xcalloc(end - start + 1, sizeof(*v));
	for (unsigned i = 0; i <= end - start; i++) {
		v[i].proto = xstrdup(proto);
		v[i].container_port = start + i;
		v[i].host_ip = xstrdup(ip ? ip : "");
		if (!host || !*host)
			v[i].host_port = xstrdup("");
		else if (start == end && hstart != hend)
			v[i].host_port = xasprintf("%u-%u", hstart, hend);
		else
			v[i].host_port = xasprintf("%u", hstart + i);
	}
	*out = v;
	*n_out = end - start + 1;
	return 0;
}

/* Add key to an object keeping Go's sorted key order. */
static cJSON *sorted_slot(cJSON *obj, const char *key, cJSON *(*make)(void))
{
	cJSON *it, *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (v)
		return v;
	v = make();
	for (it = obj->child; it; it = it->next)
		if (strcmp(it->string, key) > 0)
			break;
	if (!it) {
		cJSON_AddItemToObject(obj, key, v);
		return v;
	}
	/* insert before it */
	v->string = xstrdup(key);
	v->prev = it->prev;
	v->next = it;
	if (it == obj->child) {
		v->prev = it->prev;	/* cJSON keeps the tail in child->prev */
		obj->child = v;
	} else {
		it->prev->next = v;
	}
	it->prev = v;
	return v;
}

int network_parse_publish(char *const *specs, cJSON *port_bindings, cJSON *exposed, robbe_error **err)
{
	for (size_t i = 0; specs && specs[i]; i++) {
		cleanup_free char *converted = NULL;
		struct net_port_mapping *v = NULL;
		size_t n = 0;
		const char *spec = specs[i];

		/* The long form: published=8080,target=80,protocol=udp. */
		if (strchr(spec, '=')) {
			cleanup_free char *copy = xstrdup(spec);
			const char *published = "", *target = "", *protocol = "tcp";
			char *save = NULL;

			for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
				char *eq = strchr(kv, '=');
				if (!eq || eq == kv)
					return robbe_error_set(err, EXIT_ENGINE,
							       "invalid publish opts format (should be name=value but got '%s')",
							       kv);
				*eq = '\0';
				if (!strcmp(kv, "published"))
					published = eq + 1;
				else if (!strcmp(kv, "target"))
					target = eq + 1;
				else if (!strcmp(kv, "protocol"))
					protocol = eq + 1;
			}
			converted = xasprintf("%s:%s/%s", published, target, protocol);
			spec = converted;
		}
		if (net_port_spec_parse(spec, &v, &n, err) < 0)
			return -1;
		for (size_t k = 0; k < n; k++) {
			cleanup_free char *key = xasprintf("%u/%s", v[k].container_port, v[k].proto);
			cJSON *list = sorted_slot(port_bindings, key, cJSON_CreateArray);
			cJSON *b = cJSON_CreateObject();

			sorted_slot(exposed, key, cJSON_CreateObject);
			cJSON_AddStringToObject(b, "HostIp", v[k].host_ip);
			cJSON_AddStringToObject(b, "HostPort", v[k].host_port);
			cJSON_AddItemToArray(list, b);
		}
		net_port_mappings_free(v, n);
	}
	return 0;
}

int network_parse_expose(char *const *specs, cJSON *exposed, robbe_error **err)
{
	for (size_t i = 0; specs && specs[i]; i++) {
		cleanup_free char *proto = NULL, *port = NULL;
		unsigned lo, hi;

		if (strchr(specs[i], ':'))
			return robbe_error_set(err, EXIT_ENGINE, "invalid port format for --expose: %s", specs[i]);
		net_split_proto_port(specs[i], &proto, &port);
		if (net_port_range_parse(port, &lo, &hi) < 0) {
			const char *why = !*port ? "empty string specified for ports" : NULL;
			cleanup_free char *go = why ? NULL : xasprintf("strconv.ParseUint: parsing \"%s\": invalid syntax", port);
			return robbe_error_set(err, EXIT_ENGINE, "invalid range format for --expose: %s, error: %s", specs[i],
					       why ? why : go);
		}
		for (unsigned p = lo; p <= hi; p++) {
			cleanup_free char *key = xasprintf("%u/%s", p, proto);
			sorted_slot(exposed, key, cJSON_CreateObject);
			if (p == 65535)
				break;
		}
	}
	return 0;
}
