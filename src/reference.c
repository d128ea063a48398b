/* reference.c: Docker image references, parsed by hand against the grammar
 *
 *   reference   := name [ ":" tag ] [ "@" digest ]
 *   name        := [ domain "/" ] path
 *   domain      := host [ ":" port ]    host: dns labels or "[" ipv6 "]"
 *   path        := component ( "/" component )*
 *   component   := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag         := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   digest      := algorithm ":" [0-9a-fA-F]{32,}
 *   algorithm   := [A-Za-z][A-Za-z0-9]* ( [-_+.] [A-Za-z][A-Za-z0-9]* )*
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "digest.h"
#include "reference.h"

#define ERR_FORMAT "invalid reference format"

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_word(char c)
{
	return isalnum((unsigned char) c) || c == '_';
}

/* One path component in s[0..len). */
static bool component_ok(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t run = 0;
		while (i < len && is_lower_alnum(s[i]))
			i++, run++;
		if (run == 0)
			return false;
		if (i == len)
			return true;
		/* a separator: ".", "_", "__" or any number of "-" */
		size_t start = i;
		if (s[i] == '.') {
			i++;
		} else if (s[i] == '_') {
			i++;
			if (i < len && s[i] == '_')
				i++;
		} else if (s[i] == '-') {
			while (i < len && s[i] == '-')
				i++;
		} else {
			return false;
		}
		if (i == start || i == len)
			return false;
	}
	return len > 0;
}

bool reference_path_is_valid(const char *path, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		if (!component_ok(path + start, i - start))
			return false;
		start = i + 1;
	}
	return true;
}

static bool label_ok(const char *s, size_t len)
{
	if (len == 0 || !isalnum((unsigned char) s[0]) || !isalnum((unsigned char) s[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char) s[i]) && s[i] != '-')
			return false;
	return true;
}

static bool host_ok(const char *s, size_t len)
{
	if (len >= 2 && s[0] == '[') {
		if (s[len - 1] != ']' || len == 2)
			return false;
		for (size_t i = 1; i < len - 1; i++)
			if (!isxdigit((unsigned char) s[i]) && s[i] != ':')
				return false;
		return true;
	}
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (!label_ok(s + start, i - start))
			return false;
		start = i + 1;
	}
	return true;
}

bool reference_domain_is_valid(const char *domain, size_t len)
{
	size_t host_len = len;

	/* The port colon is the last one, outside an IPv6 bracket. */
	for (size_t i = len; i > 0; i--) {
		if (domain[i - 1] == ']')
			break;
		if (domain[i - 1] == ':') {
			host_len = i - 1;
			break;
		}
	}
	if (host_len < len) {
		if (host_len + 1 == len)
			return false;
		for (size_t i = host_len + 1; i < len; i++)
			if (!isdigit((unsigned char) domain[i]))
				return false;
	}
	return host_ok(domain, host_len);
}

bool reference_tag_is_valid(const char *tag)
{
	size_t len = strlen(tag);

	if (len == 0 || len > REFERENCE_TAG_MAX || !is_word(tag[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!is_word(tag[i]) && tag[i] != '.' && tag[i] != '-')
			return false;
	return true;
}

/* The reference grammar's digest (looser than digest_validate: any algorithm
 * name, at least 32 hex digits of either case). */
static bool digest_grammar_ok(const char *s)
{
	const char *colon = strchr(s, ':');
	bool need_alpha = true;
	size_t hex = 0;

	if (!colon)
		return false;
	for (const char *p = s; p < colon; p++) {
		if (need_alpha) {
			if (!isalpha((unsigned char) *p))
				return false;
			need_alpha = false;
		} else if (strchr("-_+.", *p)) {
			need_alpha = true;
		} else if (!isalnum((unsigned char) *p)) {
			return false;
		}
	}
	if (need_alpha)
		return false;
	for (const char *p = colon + 1; *p; p++, hex++)
		if (!isxdigit((unsigned char) *p))
			return false;
	return hex >= 32;
}

void reference_free(struct reference *ref)
{
	if (!ref)
		return;
	free(ref->domain);
	free(ref->path);
	free(ref->tag);
	free(ref->digest);
	free(ref);
}

struct reference *reference_copy(const struct reference *ref)
{
	struct reference *r = xcalloc(1, sizeof(*r));

	r->domain = xstrdup(ref->domain);
	r->path = xstrdup(ref->path);
	r->tag = ref->tag ? xstrdup(ref->tag) : NULL;
	r->digest = ref->digest ? xstrdup(ref->digest) : NULL;
	return r;
}

/* Split "domain/path" at the first slash when the left part is a valid
 * domain and the rest a valid path.  A name that only parses as a path
 * (no domain) is refused: robbe always needs to know the registry. */
static bool split_name(const char *name, size_t len, struct reference *ref)
{
	const char *slash = memchr(name, '/', len);

	if (!slash)
		return false;
	size_t dlen = (size_t) (slash - name);
	if (!reference_domain_is_valid(name, dlen))
		return false;
	if (!reference_path_is_valid(slash + 1, len - dlen - 1))
		return false;
	ref->domain = xstrndup(name, dlen);
	ref->path = xstrndup(slash + 1, len - dlen - 1);
	return true;
}

/* Split s into name, tag and digest, checking each against the grammar. */
static bool parse_shape(const char *s, struct reference *ref)
{
	const char *at = strchr(s, '@');
	size_t name_len = at ? (size_t) (at - s) : strlen(s);
	const char *slash, *colon = NULL;

	if (at && !digest_grammar_ok(at + 1))
		return false;
	slash = memrchr(s, '/', name_len);
	for (const char *p = slash ? slash : s; p < s + name_len; p++)
		if (*p == ':')
			colon = p;
	if (colon) {
		cleanup_free char *tag = xstrndup(colon + 1, (size_t) (s + name_len - colon - 1));
		if (!reference_tag_is_valid(tag))
			return false;
		ref->tag = steal_pointer(&tag);
		name_len = (size_t) (colon - s);
	}
	if (!split_name(s, name_len, ref))
		return false;
	if (at)
		ref->digest = xstrdup(at + 1);
	return true;
}

static int parse_full(const char *s, bool retry_lower, struct reference **out, robbe_error **err)
{
	cleanup_reference struct reference *ref = xcalloc(1, sizeof(*ref));

	if (!parse_shape(s, ref)) {
		cleanup_free char *lower = xstrdup(s);
		for (char *p = lower; *p; p++)
			*p = (char) tolower((unsigned char) *p);
		cleanup_reference struct reference *lowered = NULL;
		if (retry_lower && strcmp(lower, s) != 0 && parse_full(lower, false, &lowered, NULL) == 0)
			return robbe_error_set(err, 0, "repository name must be lowercase");
		return robbe_error_set(err, 0, ERR_FORMAT);
	}
	if (strlen(ref->path) > REFERENCE_NAME_MAX)
		return robbe_error_set(err, 0, "repository name must not be more than %d characters",
				       REFERENCE_NAME_MAX);
	if (ref->digest && digest_validate(ref->digest, err) < 0)
		return -1;
	*out = steal_pointer(&ref);
	return 0;
}

int reference_parse_full(const char *s, struct reference **out, robbe_error **err)
{
	return parse_full(s, true, out, err);
}

/* Docker's rule for "is the first component a registry": it contains a dot
 * or a colon, is "localhost", or has an uppercase letter (repository paths
 * cannot). */
static bool looks_like_domain(const char *s, size_t len)
{
	if (memchr(s, '.', len) || memchr(s, ':', len))
		return true;
	if (len == strlen("localhost") && memcmp(s, "localhost", len) == 0)
		return true;
	for (size_t i = 0; i < len; i++)
		if (isupper((unsigned char) s[i]))
			return true;
	return false;
}

int reference_parse(const char *s, struct reference **out, robbe_error **err)
{
	const char *slash = strchr(s, '/');
	cleanup_free char *domain = NULL;
	cleanup_free char *remainder = NULL;

	if (digest_is_sha256_hex(s))
		return robbe_error_set(err, 0,
				       "invalid repository name (%s), cannot specify 64-byte hexadecimal strings", s);
	if (slash && looks_like_domain(s, (size_t) (slash - s))) {
		domain = xstrndup(s, (size_t) (slash - s));
		remainder = xstrdup(slash + 1);
	} else {
		domain = xstrdup(REFERENCE_DEFAULT_DOMAIN);
		remainder = xstrdup(s);
	}
	if (strcmp(domain, REFERENCE_LEGACY_DOMAIN) == 0) {
		free(domain);
		domain = xstrdup(REFERENCE_DEFAULT_DOMAIN);
	}
	if (strcmp(domain, REFERENCE_DEFAULT_DOMAIN) == 0 && !strchr(remainder, '/')) {
		char *r = xasprintf(REFERENCE_OFFICIAL_PREFIX "%s", remainder);
		free(remainder);
		remainder = r;
	}
	/* Docker checks the case of everything before the first colon. */
	size_t rlen = strcspn(remainder, ":");
	for (size_t i = 0; i < rlen; i++)
		if (isupper((unsigned char) remainder[i]))
			return robbe_error_set(err, 0, ERR_FORMAT ": repository name (%.*s) must be lowercase",
					       (int) rlen, remainder);
	cleanup_free char *full = xasprintf("%s/%s", domain, remainder);
	return parse_full(full, true, out, err);
}

bool reference_default_tag(struct reference *ref)
{
	if (ref->tag || ref->digest)
		return false;
	ref->tag = xstrdup(REFERENCE_DEFAULT_TAG);
	return true;
}

void reference_set_tag(struct reference *ref, const char *tag)
{
	free(ref->tag);
	ref->tag = tag ? xstrdup(tag) : NULL;
}

void reference_set_digest(struct reference *ref, const char *digest)
{
	free(ref->digest);
	ref->digest = digest ? xstrdup(digest) : NULL;
}

char *reference_name(const struct reference *ref)
{
	return xasprintf("%s/%s", ref->domain, ref->path);
}

static char *with_suffixes(char *name, const struct reference *ref)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_adds(&sb, name);
	free(name);
	if (ref->tag)
		sbuf_addf(&sb, ":%s", ref->tag);
	if (ref->digest)
		sbuf_addf(&sb, "@%s", ref->digest);
	return sbuf_detach(&sb);
}

char *reference_string(const struct reference *ref)
{
	return with_suffixes(reference_name(ref), ref);
}

char *reference_familiar_name(const struct reference *ref)
{
	if (!reference_is_docker_hub(ref->domain))
		return reference_name(ref);
	if (str_has_prefix(ref->path, REFERENCE_OFFICIAL_PREFIX)) {
		const char *rest = ref->path + strlen(REFERENCE_OFFICIAL_PREFIX);
		if (!strchr(rest, '/'))
			return xstrdup(rest);
	}
	return xstrdup(ref->path);
}

char *reference_familiar_string(const struct reference *ref)
{
	return with_suffixes(reference_familiar_name(ref), ref);
}

const char *reference_tag_or_digest(const struct reference *ref)
{
	return ref->tag ? ref->tag : ref->digest;
}

bool reference_is_docker_hub(const char *domain)
{
	return strcmp(domain, REFERENCE_DEFAULT_DOMAIN) == 0 ||
	       strcmp(domain, REFERENCE_LEGACY_DOMAIN) == 0 ||
	       strcmp(domain, REFERENCE_DOCKER_HUB_ENDPOINT) == 0;
}

const char *reference_registry_host(const char *domain)
{
	return reference_is_docker_hub(domain) ? REFERENCE_DOCKER_HUB_ENDPOINT : domain;
}
