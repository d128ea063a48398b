/* registry-http.c: the transfer engine under the registry client.
 *
 * Every request is a struct http_xfer run through curl's multi interface, one
 * at a time or several at once (blob downloads).  The engine owns the parts
 * of HTTP that libcurl is deliberately not asked to do:
 *   - redirects are followed here, so that credentials are attached only
 *     when the target has the registry's own origin (blob storage on another
 *     host never sees the Authorization header);
 *   - transient failures (5xx, 429, connection reset, timeouts) are retried
 *     with a doubling delay, at most REGISTRY_MAX_TRIES tries in all;
 *   - a 401 renews the token once (it may have expired mid-pull).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "registry-internal.h"

enum { X_PENDING, X_WAITING, X_ACTIVE, X_DONE };

uint64_t http_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

void http_xfer_init(struct http_xfer *x, const char *method, char *url)
{
	memset(x, 0, sizeof(*x));
	x->method = method;
	x->url = url;
	x->up_fd = -1;
	x->out_fd = -1;
	x->body_max = REGISTRY_ERROR_BODY_MAX;
}

static void reset_response(struct http_xfer *x)
{
	x->status = 0;
	free(x->reason);
	free(x->location);
	free(x->content_type);
	free(x->content_digest);
	strv_free(x->challenges);
	x->reason = x->location = x->content_type = x->content_digest = NULL;
	x->challenges = NULL;
	x->content_length = 0;
	x->has_content_length = false;
	x->status_known = false;
	x->body_ok = false;
}

void http_xfer_release(struct http_xfer *x)
{
	reset_response(x);
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->slist);
	free(x->url);
	free(x->scope);
	free(x->auth_origin);
	strv_free(x->headers);
	digest_ctx_free(x->hash);
	sbuf_release(&x->body);
	robbe_error_free(x->error);
	memset(x, 0, sizeof(*x));
	x->up_fd = x->out_fd = -1;
}

void http_xfer_add_header(struct http_xfer *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strv_push_take(&x->headers, xvasprintf(fmt, ap));
	va_end(ap);
}

void http_report(struct http_xfer *x, enum registry_progress_state state)
{
	struct registry_progress p = {
		.state = state,
		.digest = x->digest,
		.current = x->received,
		.total = x->total,
		.attempt = x->attempt,
		.error = x->error,
	};
	uint64_t now;

	if (!x->progress)
		return;
	if (state == REGISTRY_PROGRESS_TRANSFERRING) {
		/* Throttle: a display needs a few updates a second, not one per packet. */
		now = http_now_ms();
		if (p.current != p.total && now - x->reported_ms < 100)
			return;
		x->reported_ms = now;
		x->reported = p.current;
	}
	if (state == REGISTRY_PROGRESS_RETRYING) {
		p.attempt = x->attempt + 1;
		p.retry_in_ms = (unsigned) (x->not_before_ms - http_now_ms());
	}
	x->progress(x->opaque, &p);
}

/* ---- libcurl callbacks ---- */

static char *trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char) *s))
		s++, len--;
	while (len && isspace((unsigned char) s[len - 1]))
		len--;
	return xstrndup(s, len);
}

static void parse_status_line(struct http_xfer *x, const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);

	reset_response(x);
	if (!sp)
		return;
	const char *end = line + len;
	const char *code = sp + 1;
	const char *sp2 = memchr(code, ' ', (size_t) (end - code));
	x->reason = sp2 ? trimmed(sp2 + 1, (size_t) (end - sp2 - 1)) : xstrdup("");
}

static size_t header_cb(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t len = size * nmemb;
	const char *colon;

	if (len >= 5 && memcmp(buf, "HTTP/", 5) == 0) {
		parse_status_line(x, buf, len);
		return len;
	}
	colon = memchr(buf, ':', len);
	if (!colon)
		return len;
	size_t nlen = (size_t) (colon - buf);
	char *value = trimmed(colon + 1, len - nlen - 1);
#define IS(h) (nlen == strlen(h) && strncasecmp(buf, h, nlen) == 0)
	if (IS("Location")) {
		free(x->location);
		x->location = value;
	} else if (IS("Content-Type")) {
		free(x->content_type);
		x->content_type = value;
	} else if (IS("Docker-Content-Digest")) {
		free(x->content_digest);
		x->content_digest = value;
	} else if (IS("WWW-Authenticate")) {
		strv_push_take(&x->challenges, value);
	} else if (IS("Content-Length")) {
		char *e;
		unsigned long long v = strtoull(value, &e, 10);
		x->has_content_length = *value && !*e;
		x->content_length = v;
		free(value);
	} else {
		free(value);
	}
#undef IS
	return len;
}

static size_t write_cb(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t n = size * nmemb;

	if (!x->status_known) {
		long code = 0;
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
		x->status_known = true;
		x->body_ok = code >= 200 && code < 300;
	}
	if (!x->body_ok) {
		/* An error body: keep the start of it for the message. */
		if (x->body.len < REGISTRY_ERROR_BODY_MAX)
			sbuf_add(&x->body, buf, n < REGISTRY_ERROR_BODY_MAX - x->body.len ? n : REGISTRY_ERROR_BODY_MAX - x->body.len);
		return n;
	}
	if (x->out_fd >= 0) {
		if (x->size_limit && x->received + n > x->size_limit) {
			x->too_big = true;
			return 0;
		}
		x->wrote = true;
		x->write_errno = -write_all(x->out_fd, buf, n);
		if (x->write_errno)
			return 0;
	} else {
		if (x->body.len + n > x->body_max) {
			x->too_big = true;
			return 0;
		}
		sbuf_add(&x->body, buf, n);
	}
	if (x->hash)
		digest_ctx_update(x->hash, buf, n);
	x->received += n;
	http_report(x, REGISTRY_PROGRESS_TRANSFERRING);
	return n;
}

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t want = size * nmemb;
	uint64_t left = x->up_len - x->up_pos;

	if (want > left)
		want = (size_t) left;
	if (want == 0)
		return 0;
	if (x->up_data) {
		memcpy(buf, x->up_data + x->up_pos, want);
	} else {
		ssize_t r;
		do
			r = pread(x->up_fd, buf, want, (off_t) (x->up_off + x->up_pos));
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			x->write_errno = errno;
			return CURL_READFUNC_ABORT;
		}
		if (r == 0) {
			x->write_errno = EIO;	/* the file shrank under us */
			return CURL_READFUNC_ABORT;
		}
		want = (size_t) r;
	}
	x->up_pos += want;
	return want;
}

static int seek_cb(void *ud, curl_off_t offset, int origin)
{
	struct http_xfer *x = ud;

	if (origin != SEEK_SET || offset < 0 || (uint64_t) offset > x->up_len)
		return CURL_SEEKFUNC_FAIL;
	x->up_pos = (uint64_t) offset;
	return CURL_SEEKFUNC_OK;
}

static int xferinfo_cb(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	struct http_xfer *x = ud;

	if (x->has_body && x->up_len > 0 && ulnow > 0) {
		x->received = x->progress_base + (uint64_t) ulnow;
		http_report(x, REGISTRY_PROGRESS_TRANSFERRING);
	}
	return 0;
}

/* ---- starting one attempt ---- */

static int reset_sink(struct http_xfer *x)
{
	x->received = 0;
	x->too_big = false;
	x->write_errno = 0;
	sbuf_reset(&x->body);
	if (x->hash)
		digest_ctx_reset(x->hash);
	if (x->out_fd < 0 || !x->wrote)
		return 0;
	/* A retry starts over: the sink must be rewindable. */
	if (lseek(x->out_fd, x->out_start, SEEK_SET) < 0 || ftruncate(x->out_fd, x->out_start) < 0)
		return robbe_error_errno(&x->error, errno, "cannot retry the download");
	x->wrote = false;
	return 0;
}

static bool same_host(const char *url_a, const char *url_b)
{
	cleanup_free char *a = http_origin(url_a);
	cleanup_free char *b = http_origin(url_b);
	const char *ha, *hb;

	if (!a || !b)
		return false;
	ha = strstr(a, "://");
	hb = strstr(b, "://");
	size_t la = strcspn(ha + 3, ":"), lb = strcspn(hb + 3, ":");
	return la == lb && memcmp(ha + 3, hb + 3, la) == 0;
}

static void setup_method(struct http_xfer *x, CURL *c)
{
	if (strcmp(x->method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (strcmp(x->method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		if (x->has_body) {
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) x->up_len);
		} else {
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) 0);
		}
	} else if (strcmp(x->method, "PUT") == 0 || strcmp(x->method, "PATCH") == 0) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t) (x->has_body ? x->up_len : 0));
		if (strcmp(x->method, "PATCH") == 0)
			curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PATCH");
	}
	if (x->has_body || strcmp(x->method, "PUT") == 0 || strcmp(x->method, "PATCH") == 0) {
		x->up_pos = 0;
		curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
		curl_easy_setopt(c, CURLOPT_READDATA, x);
		curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, seek_cb);
		curl_easy_setopt(c, CURLOPT_SEEKDATA, x);
	}
}

static void setup_common(struct registry *reg, struct http_xfer *x, CURL *c)
{
	curl_easy_setopt(c, CURLOPT_URL, x->url);
	curl_easy_setopt(c, CURLOPT_SHARE, reg->share);
	curl_easy_setopt(c, CURLOPT_PRIVATE, x);
	curl_easy_setopt(c, CURLOPT_USERAGENT, reg->user_agent);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	/* A stalled transfer (under 1 byte/s for a minute) fails and is retried. */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	/* An insecure registry skips verification for its own host only; a
	 * redirect to blob storage elsewhere is verified as usual. */
	if (!reg->endpoints[reg->endpoint].tls_verify && same_host(x->url, reg->endpoints[reg->endpoint].url)) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
}

static int xfer_start(struct registry *reg, CURLM *m, struct http_xfer *x)
{
	CURL *c;

	x->attempt++;
	reset_response(x);
	x->errbuf[0] = '\0';
	x->os_errno = 0;
	x->result = CURLE_OK;
	x->sent_auth = false;
	if (reset_sink(x) < 0)
		return -1;
	c = curl_easy_init();
	if (!c)
		die_oom();
	x->easy = c;
	setup_common(reg, x, c);
	setup_method(x, c);

	curl_slist_free_all(x->slist);
	x->slist = NULL;
	for (size_t i = 0; x->headers && x->headers[i]; i++)
		x->slist = curl_slist_append(x->slist, x->headers[i]);
	if (x->has_body || strcmp(x->method, "PUT") == 0 || strcmp(x->method, "PATCH") == 0)
		x->slist = curl_slist_append(x->slist, "Expect:");
	if (registry_auth_apply(reg, x, &x->slist, &x->error) < 0)
		return -1;
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->slist);
	if (curl_multi_add_handle(m, c) != CURLM_OK)
		die_oom();
	x->state = X_ACTIVE;
	if (x->attempt == 1 && x->redirects == 0)
		http_report(x, REGISTRY_PROGRESS_TRANSFERRING);
	return 0;
}

/* ---- after one attempt ---- */

static bool transient_curl(CURLcode r)
{
	switch (r) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

static bool transient_status(long s)
{
	return s == 429 || (s >= 500 && s != 501 && s != 505);
}

static const char *method_word(const char *m)
{
	static const char *const words[][2] = {
		{ "GET", "Get" }, { "HEAD", "Head" }, { "PUT", "Put" }, { "POST", "Post" }, { "PATCH", "Patch" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strcmp(m, words[i][0]) == 0)
			return words[i][1];
	return m;
}

char *http_transport_message(const struct http_xfer *x)
{
	struct sbuf sb = SBUF_INIT;
	const char *why = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->result);

	sbuf_addf(&sb, "%s \"%s\": %s", method_word(x->method), x->url, why);
	if (x->os_errno) {
		cleanup_free char *os = xstrdup(strerror((int) x->os_errno));
		if (!strcasestr(why, os)) {
			os[0] = (char) tolower((unsigned char) os[0]);
			sbuf_addf(&sb, ": %s", os);
		}
	}
	return sbuf_detach(&sb);
}

static void schedule_retry(struct http_xfer *x, unsigned base_ms)
{
	unsigned delay = base_ms << (x->attempt - 1);

	x->not_before_ms = http_now_ms() + delay;
	x->state = X_WAITING;
	http_report(x, REGISTRY_PROGRESS_RETRYING);
}

static bool follow_redirect(struct http_xfer *x)
{
	cleanup_free char *next = NULL;

	if (++x->redirects > REGISTRY_MAX_REDIRECTS) {
		robbe_error_set(&x->error, 0, "%s \"%s\": stopped after %d redirects", method_word(x->method), x->url,
				REGISTRY_MAX_REDIRECTS);
		x->error_kind = REGISTRY_ERR_NETWORK;
		return false;
	}
	next = http_resolve_url(x->url, x->location);
	if (!next || !(str_has_prefix(next, "http://") || str_has_prefix(next, "https://"))) {
		robbe_error_set(&x->error, 0, "%s \"%s\": bad redirect to \"%s\"", method_word(x->method), x->url,
				x->location);
		x->error_kind = REGISTRY_ERR_OTHER;
		return false;
	}
	free(x->url);
	x->url = steal_pointer(&next);
	if (x->status == 303) {
		x->method = "GET";
		x->has_body = false;
	}
	return true;
}

/* Decide what follows an attempt: true when the transfer is finished. */
static bool xfer_after(struct registry *reg, struct http_xfer *x)
{
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->status);
	curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &x->os_errno);
	curl_easy_cleanup(x->easy);
	x->easy = NULL;

	if (x->result != CURLE_OK) {
		if (x->too_big && x->size_limit) {
			robbe_error_set(&x->error, 0, "blob %s: more data than the %llu bytes declared",
					x->digest ? x->digest : x->url, (unsigned long long) x->size_limit);
			x->error_kind = REGISTRY_ERR_DIGEST_MISMATCH;
			return true;
		}
		if (x->too_big) {
			robbe_error_set(&x->error, 0, "%s \"%s\": reply larger than the %zu bytes allowed",
					method_word(x->method), x->url, x->body_max);
			x->error_kind = REGISTRY_ERR_OTHER;
			return true;
		}
		if (x->write_errno) {
			robbe_error_errno(&x->error, x->write_errno, "%s \"%s\"", method_word(x->method), x->url);
			x->error_kind = REGISTRY_ERR_OTHER;
			return true;
		}
		if (x->retry && transient_curl(x->result) && x->attempt < REGISTRY_MAX_TRIES) {
			schedule_retry(x, reg->retry_delay_ms);
			return false;
		}
		cleanup_free char *msg = http_transport_message(x);
		robbe_error_set(&x->error, 0, "%s", msg);
		x->error_kind = REGISTRY_ERR_NETWORK;
		return true;
	}
	if (x->status >= 300 && x->status < 400 && x->status != 304 && x->location) {
		if (!follow_redirect(x))
			return true;
		x->attempt--;
		x->state = X_PENDING;
		return false;
	}
	if (x->status == 401 && x->scope && !x->reauthed) {
		if (x->challenges)
			registry_auth_challenge(reg, x->challenges);
		bool can = reg->scheme == REGISTRY_AUTH_BEARER ||
			   (reg->scheme == REGISTRY_AUTH_BASIC && reg->username && !x->sent_auth);
		if (can) {
			x->reauthed = true;
			registry_auth_invalidate(reg, x);
			x->attempt--;
			x->state = X_PENDING;
			return false;
		}
	}
	if (x->retry && transient_status(x->status) && x->attempt < REGISTRY_MAX_TRIES) {
		schedule_retry(x, reg->retry_delay_ms);
		return false;
	}
	return true;
}

static void finish(struct registry *reg, struct http_xfer *x)
{
	x->state = X_DONE;
	curl_slist_free_all(x->slist);
	x->slist = NULL;
	if (x->error && !x->error_kind)
		x->error_kind = REGISTRY_ERR_OTHER;
	if (x->done)
		x->done(reg, x);
}

/* Start what may start now; returns how many are active. */
static size_t start_ready(struct registry *reg, CURLM *m, struct http_xfer **xs, size_t n, size_t active,
			  unsigned max_parallel, size_t *done)
{
	uint64_t now = http_now_ms();

	for (size_t i = 0; i < n && active < max_parallel; i++) {
		struct http_xfer *x = xs[i];
		if (x->state != X_PENDING && !(x->state == X_WAITING && x->not_before_ms <= now))
			continue;
		if (xfer_start(reg, m, x) < 0) {
			if (x->easy) {
				curl_easy_cleanup(x->easy);
				x->easy = NULL;
			}
			finish(reg, x);
			(*done)++;
			continue;
		}
		active++;
	}
	return active;
}

static int poll_timeout(struct http_xfer **xs, size_t n, size_t active, unsigned max_parallel)
{
	uint64_t now = http_now_ms();
	long t = active ? 1000 : 100;

	if (active >= max_parallel)
		return (int) t;
	for (size_t i = 0; i < n; i++) {
		if (xs[i]->state != X_WAITING)
			continue;
		long d = xs[i]->not_before_ms > now ? (long) (xs[i]->not_before_ms - now) : 0;
		if (d < t)
			t = d;
	}
	return (int) t;
}

void http_run(struct registry *reg, struct http_xfer **xs, size_t n, unsigned max_parallel)
{
	CURLM *m = curl_multi_init();
	size_t active = 0, done = 0;

	if (!m)
		die_oom();
	if (max_parallel == 0)
		max_parallel = 1;
	for (size_t i = 0; i < n; i++) {
		xs[i]->state = X_PENDING;
		xs[i]->attempt = 0;
	}
	while (done < n) {
		int running = 0, queued;
		CURLMsg *msg;

		active = start_ready(reg, m, xs, n, active, max_parallel, &done);
		if (done == n)
			break;
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &queued))) {
			struct http_xfer *x = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **) &x);
			x->result = msg->data.result;
			curl_multi_remove_handle(m, msg->easy_handle);
			active--;
			if (xfer_after(reg, x)) {
				finish(reg, x);
				done++;
			}
		}
		if (done < n)
			curl_multi_poll(m, NULL, 0, poll_timeout(xs, n, active, max_parallel), NULL);
	}
	curl_multi_cleanup(m);
}

int http_run_one(struct registry *reg, struct http_xfer *x, robbe_error **err)
{
	http_run(reg, &x, 1, 1);
	if (x->error) {
		robbe_error_set(err, 0, "%s", x->error->msg);
		return -x->error_kind;
	}
	return 0;
}

/* ---- URLs ---- */

char *http_resolve_url(const char *base, const char *location)
{
	CURLU *u = curl_url();
	char *out = NULL;

	if (!u)
		die_oom();
	if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, location, 0) == CURLUE_OK) {
		char *s = NULL;
		if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
			out = xstrdup(s);
			curl_free(s);
		}
	}
	curl_url_cleanup(u);
	return out;
}

char *http_origin(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	char *out = NULL;

	if (!u)
		die_oom();
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		out = xasprintf("%s://%s:%s", scheme, host, port);
		for (char *p = out; *p; p++)
			*p = (char) tolower((unsigned char) *p);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return out;
}

char *http_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	char *r;

	if (!e)
		die_oom();
	r = xstrdup(e);
	curl_free(e);
	return r;
}

/* ---- error replies ---- */

int registry_fail(robbe_error **err, int kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cleanup_free char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	robbe_error_set(err, 0, "%s", msg);
	return -kind;
}

/* "MANIFEST_UNKNOWN" -> "manifest unknown" */
static char *code_words(const char *code)
{
	char *w = xstrdup(code);
	for (char *p = w; *p; p++)
		*p = *p == '_' ? ' ' : (char) tolower((unsigned char) *p);
	return w;
}

static int kind_for_code(const char *code, long status)
{
	static const struct {
		const char *code;
		int kind;
	} map[] = {
		{ "DENIED", REGISTRY_ERR_DENIED },
		{ "UNAUTHORIZED", REGISTRY_ERR_DENIED },
		{ "NAME_UNKNOWN", REGISTRY_ERR_DENIED },
		{ "MANIFEST_UNKNOWN", REGISTRY_ERR_MANIFEST_UNKNOWN },
		{ "BLOB_UNKNOWN", REGISTRY_ERR_BLOB_UNKNOWN },
		{ "DIGEST_INVALID", REGISTRY_ERR_DIGEST_MISMATCH },
		{ "SIZE_INVALID", REGISTRY_ERR_DIGEST_MISMATCH },
		{ "UNSUPPORTED", REGISTRY_ERR_UNSUPPORTED },
	};
	for (size_t i = 0; code && i < ARRAY_SIZE(map); i++)
		if (strcmp(code, map[i].code) == 0)
			return map[i].kind;
	if (status == 401 || status == 403)
		return REGISTRY_ERR_DENIED;
	if (status == 404)
		return REGISTRY_ERR_NOT_FOUND;
	return REGISTRY_ERR_OTHER;
}

/* The registry's own words: "<code words>: <message>" for each error. */
static char *body_message(const struct http_xfer *x, char **first_code)
{
	cleanup_cjson cJSON *j = x->body.len ? cJSON_ParseWithLength(x->body.buf, x->body.len) : NULL;
	cJSON *errors = cJSON_GetObjectItemCaseSensitive(j, "errors");
	cJSON *e;
	struct sbuf sb = SBUF_INIT;

	cJSON_ArrayForEach(e, errors) {
		const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "code"));
		const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "message"));
		if (!code)
			continue;
		if (!*first_code)
			*first_code = xstrdup(code);
		cleanup_free char *words = code_words(code);
		sbuf_addf(&sb, "%s%s", sb.len ? "; " : "", words);
		if (msg && *msg)
			sbuf_addf(&sb, ": %s", msg);
	}
	/* Token servers answer {"details": "..."} or {"error": "..."}. */
	if (!sb.len && cJSON_IsObject(j)) {
		const char *d = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "details"));
		if (!d)
			d = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "error"));
		if (d && *d)
			sbuf_adds(&sb, d);
	}
	return sb.len ? sbuf_detach(&sb) : NULL;
}

int http_reply_error(const struct http_xfer *x, robbe_error **err)
{
	cleanup_free char *code = NULL;
	cleanup_free char *msg = body_message(x, &code);
	int kind = kind_for_code(code, x->status);

	if (msg)
		robbe_error_set(err, 0, "%s", msg);
	else if (x->status == 401)
		robbe_error_set(err, 0, "unauthorized: authentication required");
	else if (x->status == 403)
		robbe_error_set(err, 0, "denied: requested access to the resource is denied");
	else if (x->status == 404)
		robbe_error_set(err, 0, "not found");
	else if (x->status == 429)
		robbe_error_set(err, 0, "toomanyrequests: too many requests");
	else
		robbe_error_set(err, 0, "unexpected status from %s request to %s: %ld %s", x->method, x->url, x->status,
				x->reason ? x->reason : "");
	return -kind;
}
