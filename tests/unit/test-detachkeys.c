/* Unit tests for src/detachkeys.c: Docker's detach key specs and finding
 * the sequence in typed input. */
#include "config.h"

#include <string.h>

#include "src/detachkeys.h"
#include "tests/unit/tap.h"

/* The spec parsed, as "%02x" bytes joined by spaces, or "error: <msg>". */
static char *parsed(const char *spec)
{
	struct detach_keys k = { 0 };
	robbe_error *err = NULL;
	struct sbuf out = SBUF_INIT;

	if (detach_keys_parse(spec, &k, &err) < 0) {
		char *msg = xasprintf("error: %s", err->msg);
		robbe_error_free(err);
		return msg;
	}
	for (size_t i = 0; i < k.len; i++)
		sbuf_addf(&out, "%s%02x", i ? " " : "", k.seq[i]);
	detach_keys_release(&k);
	return sbuf_detach(&out);
}

static void check_parse(const char *spec, const char *want)
{
	char *got = parsed(spec);
	is_str(got, want, "parse '%s'", spec);
	free(got);
}

/* Feed input in pieces of `chunk` bytes; what reaches the container, then
 * "|detached" when the sequence was seen, "|held N" for bytes still held. */
static char *fed(const char *spec, const char *input, size_t chunk)
{
	struct detach_keys k = { 0 };
	robbe_error *err = NULL;
	struct detach_matcher m = { 0 };
	struct sbuf out = SBUF_INIT;
	size_t len = strlen(input);
	bool detached = false;

	if (detach_keys_parse(spec, &k, &err) < 0) {
		robbe_error_free(err);
		return xstrdup("bad spec");
	}
	m.keys = &k;
	for (size_t at = 0; at < len && !detached; at += chunk) {
		size_t n = len - at < chunk ? len - at : chunk;
		unsigned char *buf = xmalloc(n + k.len);
		size_t w = detach_match(&m, (const unsigned char *) input + at, n, buf, &detached);
		sbuf_add(&out, (const char *) buf, w);
		free(buf);
	}
	if (detached)
		sbuf_adds(&out, "|detached");
	else if (m.held)
		sbuf_addf(&out, "|held %zu", m.held);
	detach_keys_release(&k);
	return sbuf_detach(&out);
}

static void check_feed(const char *spec, const char *input, const char *want)
{
	for (size_t chunk = 1; chunk <= strlen(input) + 1; chunk++) {
		char *got = fed(spec, input, chunk);
		if (!is_str(got, want, "'%s' through %s in pieces of %zu", input, spec, chunk)) {
			free(got);
			return;
		}
		free(got);
	}
}

int main(void)
{
	struct detach_keys def = { 0 };

	detach_keys_default(&def);
	ok(def.len == 2 && def.seq[0] == 16 && def.seq[1] == 17, "the default is ctrl-p,ctrl-q");
	detach_keys_release(&def);

	check_parse("ctrl-p,ctrl-q", "10 11");
	check_parse("ctrl-x,x", "18 78");
	check_parse("a", "61");
	check_parse("X", "58");
	check_parse("ctrl-@,ctrl-a,ctrl-z", "00 01 1a");
	check_parse("ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", "1b 1c 1d 1e 1f");
	check_parse("DEL", "7f");
	check_parse("1,-, ", "31 2d 20");
	check_parse("shift-a", "error: Unknown character: 'shift-a'");
	check_parse("ctrl-p,ctrl-zz", "error: Unknown character: 'ctrl-zz'");
	check_parse("ctrl-P", "error: Unknown character: 'ctrl-P'");
	check_parse("CTRL-p", "error: Unknown character: 'CTRL-p'");
	check_parse("ctrl-1", "error: Unknown character: 'ctrl-1'");
	check_parse("a,,b", "error: Unknown character: ''");
	check_parse("a,", "error: Unknown character: ''");
	check_parse("del", "error: Unknown character: 'del'");
	check_parse("\xc3\xa9", "error: Unknown character: '\xc3\xa9'");

	check_feed("ctrl-p,ctrl-q", "ls\r", "ls\r");
	check_feed("ctrl-p,ctrl-q", "ls\x10\x11", "ls|detached");
	check_feed("ctrl-p,ctrl-q", "ls\x10\x11more", "ls|detached");
	check_feed("ctrl-p,ctrl-q", "a\x10" "b", "a\x10" "b");
	check_feed("ctrl-p,ctrl-q", "a\x10", "a|held 1");
	check_feed("ctrl-p,ctrl-q", "\x10\x10\x11", "\x10|detached");
	check_feed("ctrl-p,ctrl-q", "\x11\x10", "\x11|held 1");
	check_feed("ctrl-x,x", "echo x\x18y\r", "echo x\x18y\r");
	check_feed("ctrl-x,x", "\x18x", "|detached");
	check_feed("a,a,b", "aaab", "a|detached");
	check_feed("a,a,b", "aaac", "aaac");
	check_feed("a,b,a,c", "ababac", "ab|detached");
	check_feed("a,b,a,c", "abab", "ab|held 2");
	check_feed("q", "xyq", "xy|detached");

	/* Nothing held is lost at the end of the input. */
	{
		struct detach_keys k = { 0 };
		struct detach_matcher m = { .keys = &k };
		unsigned char buf[16];
		bool detached;
		size_t w;

		detach_keys_default(&k);
		w = detach_match(&m, (const unsigned char *) "z\x10", 2, buf, &detached);
		ok(w == 1 && buf[0] == 'z' && !detached, "the ctrl-p is held");
		w = detach_match_flush(&m, buf);
		ok(w == 1 && buf[0] == 0x10 && m.held == 0, "and flushed at the end");
		detach_keys_release(&k);
	}
	/* No keys: everything passes. */
	{
		struct detach_matcher m = { 0 };
		unsigned char buf[8];
		bool detached;
		size_t w = detach_match(&m, (const unsigned char *) "\x10\x11", 2, buf, &detached);

		ok(w == 2 && !detached, "without keys nothing detaches");
	}
	return tap_done();
}
