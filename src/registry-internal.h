/* registry-internal.h: what the registry-*.c files share.  Not for callers
 * outside the registry client. */
#ifndef ROBBE_REGISTRY_INTERNAL_H
#define ROBBE_REGISTRY_INTERNAL_H

#include "lazy-curl.h"
#include <sys/types.h>

#include "digest.h"
#include "registry.h"

#define REGISTRY_MAX_TRIES 3
#define REGISTRY_MAX_REDIRECTS 10
/* Error bodies are kept for their message; more than this is dropped. */
#define REGISTRY_ERROR_BODY_MAX (64u << 10)
/* Token replies are small JSON objects. */
#define REGISTRY_TOKEN_BODY_MAX (1u << 20)

enum registry_auth_scheme {
	REGISTRY_AUTH_NONE,
	REGISTRY_AUTH_BASIC,
	REGISTRY_AUTH_BEARER,
};

struct registry_endpoint {
	char *url;		/* "https://registry-1.docker.io", no trailing slash */
	bool tls_verify;
	bool mirror;		/* credentials for the domain are not sent to mirrors */
};

struct registry {
	char *domain;
	struct registry_endpoint *endpoints;
	size_t n_endpoints;
	size_t endpoint;	/* index in use */
	bool pinged;
	char *origin;		/* scheme://host:port of the endpoint in use */

	enum registry_auth_scheme scheme;
	char *realm;
	char *service;
	char *username;
	char *password;

	bool push;
	char *user_agent;
	unsigned retry_delay_ms;
	unsigned max_parallel;
	size_t chunk_size;
	CURLSH *share;		/* connection cache shared by all transfers */
};

struct http_xfer;
typedef void (*http_done_fn)(struct registry *reg, struct http_xfer *x);

/* One HTTP exchange, possibly over several attempts (retries, redirects,
 * a renewed token). */
struct http_xfer {
	/* request */
	const char *method;	/* "GET", "HEAD", "PUT", "POST", "PATCH" */
	char *url;
	char *scope;		/* token scope; NULL: no registry credentials */
	const char *basic_user;	/* explicit Basic credentials (token endpoint) */
	const char *basic_pass;
	char *auth_origin;	/* credentials go to this origin only */
	char **headers;		/* extra "Name: value" lines */
	bool retry;		/* idempotent: retry transient failures */

	/* request body: memory or a file range */
	bool has_body;
	const char *up_data;
	int up_fd;
	uint64_t up_off;
	uint64_t up_len;
	uint64_t up_pos;
	uint64_t progress_base;	/* bytes sent before this request (chunked uploads) */

	/* response body of a 2xx reply: an fd, else memory up to body_max */
	int out_fd;
	off_t out_start;
	size_t body_max;
	uint64_t size_limit;	/* fd sink: the expected size, 0 = unknown */
	bool wrote;		/* the fd holds data from an earlier attempt */
	struct digest_ctx *hash;	/* hashes the 2xx body as it arrives */
	struct sbuf body;

	/* response */
	long status;
	char *reason;
	char *location;
	char *content_type;
	char *content_digest;	/* Docker-Content-Digest */
	char **challenges;	/* WWW-Authenticate values */
	uint64_t content_length;
	bool has_content_length;
	uint64_t received;
	CURLcode result;
	long os_errno;
	char errbuf[CURL_ERROR_SIZE];
	bool too_big;
	int write_errno;

	/* engine state */
	CURL *easy;
	struct curl_slist *slist;
	bool sent_auth;
	unsigned attempt;
	unsigned redirects;
	bool reauthed;
	bool status_known;
	bool body_ok;
	uint64_t not_before_ms;
	int state;
	robbe_error *error;	/* failure before or outside HTTP (token, transport, disk) */
	int error_kind;

	/* progress and completion */
	registry_progress_fn progress;
	void *opaque;
	const char *digest;
	uint64_t total;
	uint64_t reported;
	uint64_t reported_ms;
	http_done_fn done;
	void *user;
};

/* registry-http.c */
void http_xfer_init(struct http_xfer *x, const char *method, char *url);
void http_xfer_release(struct http_xfer *x);
#define cleanup_xfer __attribute__((cleanup(http_xfer_release)))
/* Set *err and return -kind. */
int registry_fail(robbe_error **err, int kind, const char *fmt, ...) ATTR_PRINTF(3, 4);
void http_xfer_add_header(struct http_xfer *x, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* Run transfers, at most max_parallel at once.  Outcomes are per transfer:
 * x->error (transport, token, disk) or x->status. */
void http_run(struct registry *reg, struct http_xfer **xs, size_t n, unsigned max_parallel);
/* Run one transfer; <0 (with *err) if it failed before an HTTP status. */
int http_run_one(struct registry *reg, struct http_xfer *x, robbe_error **err);
/* "Get \"url\": <reason>" for a transport failure. */
char *http_transport_message(const struct http_xfer *x);
/* The error for a non-2xx reply, from the registry's error body when it
 * sent one.  Returns -kind. */
int http_reply_error(const struct http_xfer *x, robbe_error **err);
/* Resolve a Location value against the URL it came from. */
char *http_resolve_url(const char *base, const char *location);
/* "scheme://host:port" of a URL, lowercased; NULL if unparsable. */
char *http_origin(const char *url);
/* Escape a query value. */
char *http_escape(const char *s);
uint64_t http_now_ms(void);
void http_report(struct http_xfer *x, enum registry_progress_state state);

/* registry-auth.c */
/* Read the challenge out of WWW-Authenticate values into reg. */
void registry_auth_challenge(struct registry *reg, char *const *challenges);
/* Set up x's credentials for this attempt (Bearer token or Basic). */
int registry_auth_apply(struct registry *reg, struct http_xfer *x, struct curl_slist **hdrs, robbe_error **err);
/* Drop the cached token x used, after a 401. */
void registry_auth_invalidate(struct registry *reg, const struct http_xfer *x);
/* Fetch a token for scope with the current credentials (cache bypassed when
 * fresh is set). */
int registry_token_get(struct registry *reg, const char *scope, bool fresh, char **token, robbe_error **err);

/* registry.c */
char *registry_scope(const struct registry *reg, const char *repo);
char *registry_api_url(const struct registry *reg, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* Start a transfer against the registry API for repo (ping first). */
int registry_xfer_setup(struct registry *reg, struct http_xfer *x, const char *repo, robbe_error **err);

#endif
