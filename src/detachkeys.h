/* detachkeys.h: the key sequence that detaches a client from a container's
 * terminal (Docker's --detach-keys and config.json "detachKeys"), and the
 * matcher that finds it in what the user types.
 *
 * A spec is comma-separated keys, each one character ("a", "X", any single
 * byte), "ctrl-<c>" with c one of a-z @ [ \ ] ^ _, or "DEL".  The default is
 * ctrl-p,ctrl-q.
 */
#ifndef ROBBE_DETACHKEYS_H
#define ROBBE_DETACHKEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct detach_keys {
	unsigned char *seq;	/* owned */
	size_t len;
};

/* Parse spec with Docker's rules.  A key it does not know: status 1,
 * Docker's words "Unknown character: '<key>'". */
int detach_keys_parse(const char *spec, struct detach_keys *out, robbe_error **err);
/* ctrl-p,ctrl-q. */
void detach_keys_default(struct detach_keys *out);
void detach_keys_release(struct detach_keys *k);
#define cleanup_detach_keys __attribute__((cleanup(detach_keys_release)))

/* Finds the sequence in a stream of input.  Bytes that could still begin
 * it are held back; when the next byte shows they do not, they are passed
 * on, so nothing typed is lost. */
struct detach_matcher {
	const struct detach_keys *keys;	/* borrowed; NULL or empty: never detaches */
	size_t held;			/* keys->seq[0..held) is held back */
};

/* Feed n bytes.  Writes the bytes to pass on into out, which must have
 * room for n + keys->len bytes, and returns their number.  *detached is
 * set when the whole sequence was typed; what followed it is dropped. */
size_t detach_match(struct detach_matcher *m, const unsigned char *in, size_t n, unsigned char *out, bool *detached);
/* At the end of the input: the held bytes (at most keys->len) into out. */
size_t detach_match_flush(struct detach_matcher *m, unsigned char *out);

#endif
