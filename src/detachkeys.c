/* detachkeys.c: parsing detach key specs and finding them in input (see
 * detachkeys.h). */
#include "config.h"

#include <string.h>

#include "detachkeys.h"

/* The control characters by name: "ctrl-@" is 0, "ctrl-a" 1, ... "ctrl-_" 31. */
static const char ctrl_names[] = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

static int key_code(const char *key, size_t len)
{
	if (len == 1)
		return (unsigned char) key[0];
	if (len == 6 && !strncmp(key, "ctrl-", 5) && key[5]) {
		const char *at = strchr(ctrl_names, key[5]);
		if (at)
			return (int) (at - ctrl_names);
	}
	if (len == 3 && !strncmp(key, "DEL", 3))
		return 127;
	return -1;
}

int detach_keys_parse(const char *spec, struct detach_keys *out, robbe_error **err)
{
	size_t n = 1;
	const char *p = spec;
	cleanup_free unsigned char *seq = NULL;

	for (const char *c = spec; *c; c++)
		n += *c == ',';
	seq = xmalloc(n);
	for (size_t i = 0; i < n; i++) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t) (comma - p) : strlen(p);
		int code = key_code(p, len);

		if (code < 0)
			return robbe_error_set(err, EXIT_GENERAL, "Unknown character: '%.*s'", (int) len, p);
		seq[i] = (unsigned char) code;
		p += len + 1;
	}
	out->seq = steal_pointer(&seq);
	out->len = n;
	return 0;
}

void detach_keys_default(struct detach_keys *out)
{
	out->seq = xmalloc(2);
	out->seq[0] = 16;	/* ctrl-p */
	out->seq[1] = 17;	/* ctrl-q */
	out->len = 2;
}

void detach_keys_release(struct detach_keys *k)
{
	free(k->seq);
	k->seq = NULL;
	k->len = 0;
}

/* Byte i of what is pending: the held prefix of the sequence, then c. */
static unsigned char pending_at(const struct detach_matcher *m, size_t i, unsigned char c)
{
	return i < m->held ? m->keys->seq[i] : c;
}

/* Do the pending bytes from start on begin the sequence? */
static bool pending_is_prefix(const struct detach_matcher *m, size_t start, unsigned char c)
{
	for (size_t i = start; i <= m->held; i++)
		if (pending_at(m, i, c) != m->keys->seq[i - start])
			return false;
	return true;
}

size_t detach_match(struct detach_matcher *m, const unsigned char *in, size_t n, unsigned char *out, bool *detached)
{
	size_t w = 0;

	*detached = false;
	if (!m->keys || m->keys->len == 0) {
		memcpy(out, in, n);
		return n;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = in[i];
		size_t start = 0;

		if (m->keys->seq[m->held] == c) {
			if (++m->held == m->keys->len) {
				m->held = 0;
				*detached = true;
				return w;
			}
			continue;
		}
		/* The held bytes and c do not go on to the sequence: pass bytes
		 * on from the front until what is left could still begin it
		 * (typing ctrl-p ctrl-p ctrl-q still detaches). */
		while (start <= m->held && !pending_is_prefix(m, start, c))
			out[w++] = pending_at(m, start++, c);
		m->held = m->held + 1 - start;
	}
	return w;
}

size_t detach_match_flush(struct detach_matcher *m, unsigned char *out)
{
	size_t n = m->held;

	if (n)
		memcpy(out, m->keys->seq, n);
	m->held = 0;
	return n;
}
