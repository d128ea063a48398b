/* registry-blob.c: blob existence, downloads (several at once, each
 * verified while it streams) and uploads (cross-repository mount, then one
 * PUT or PATCH chunks). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "registry-internal.h"

/* ---- HEAD ---- */

int registry_blob_head(struct registry *reg, const char *repo, const char *digest, uint64_t *size,
		       robbe_error **err)
{
	cleanup_xfer struct http_xfer x;
	int r;

	http_xfer_init(&x, "HEAD", NULL);
	if (digest_validate(digest, err) < 0)
		return -REGISTRY_ERR_OTHER;
	if ((r = registry_xfer_setup(reg, &x, repo, err)) < 0)
		return r;
	x.url = registry_api_url(reg, "/v2/%s/blobs/%s", repo, digest);
	x.retry = true;
	if ((r = http_run_one(reg, &x, err)) < 0)
		return r;
	if (x.status == 404)
		return 0;
	if (x.status != 200)
		return http_reply_error(&x, err);
	if (size)
		*size = x.has_content_length ? x.content_length : 0;
	return 1;
}

/* ---- downloads ---- */

struct blob_dl {
	struct registry_blob_job *job;
	char *partial;	/* NULL when writing to a caller's fd */
	int fd;
	int kind;
};

static int verify_blob(struct http_xfer *x, const struct registry_blob_job *job, robbe_error **err)
{
	cleanup_free char *got = digest_ctx_final(x->hash);

	if (strcmp(got, job->digest) != 0)
		return registry_fail(err, REGISTRY_ERR_DIGEST_MISMATCH, "digest mismatch for blob: expected %s, got %s",
				     job->digest, got);
	if (job->size && x->received != job->size)
		return registry_fail(err, REGISTRY_ERR_DIGEST_MISMATCH,
				     "size mismatch for blob %s: expected %llu bytes, got %llu", job->digest,
				     (unsigned long long) job->size, (unsigned long long) x->received);
	return 0;
}

/* Put the finished file in place, or remove what was written. */
static int settle_file(struct blob_dl *d, bool good, robbe_error **err)
{
	int r = 0;

	if (!d->partial)
		return 0;
	if (good && fsync(d->fd) < 0)
		r = robbe_error_errno(err, errno, "sync %s", d->partial);
	close(d->fd);
	d->fd = -1;
	if (good && r == 0 && rename(d->partial, d->job->dest) < 0)
		r = robbe_error_errno(err, errno, "rename %s", d->job->dest);
	if (!good || r < 0)
		unlink(d->partial);
	return r;
}

static void blob_done(struct registry *reg, struct http_xfer *x)
{
	struct blob_dl *d = x->user;
	robbe_error *e = steal_pointer(&x->error);
	int kind = x->error_kind;

	if (!e && x->status != 200) {
		kind = -http_reply_error(x, &e);
	} else if (!e) {
		http_report(x, REGISTRY_PROGRESS_VERIFYING);
		kind = -verify_blob(x, d->job, &e);
	}
	if (settle_file(d, e == NULL, &e) < 0 && !kind)
		kind = REGISTRY_ERR_OTHER;
	d->kind = e ? kind : 0;
	x->error = e;
	http_report(x, e ? REGISTRY_PROGRESS_FAILED : REGISTRY_PROGRESS_COMPLETE);
	d->job->error = steal_pointer(&x->error);
}

static int blob_dl_open(struct blob_dl *d, robbe_error **err)
{
	d->partial = xasprintf("%s.partial", d->job->dest);
	d->fd = open(d->partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (d->fd < 0)
		return robbe_error_errno(err, errno, "create %s", d->partial);
	return 0;
}

/* Prepare the transfer for one job; <0 (job->error set) if it cannot start. */
static int blob_dl_prepare(struct registry *reg, const char *repo, struct blob_dl *d, struct http_xfer *x)
{
	struct registry_blob_job *job = d->job;

	http_xfer_init(x, "GET", NULL);
	x->user = d;
	x->done = blob_done;
	x->digest = job->digest;
	x->total = job->size;
	x->progress = job->progress;
	x->opaque = job->opaque;
	if (digest_validate(job->digest, &job->error) < 0)
		return -REGISTRY_ERR_OTHER;
	if (d->fd < 0 && blob_dl_open(d, &job->error) < 0)
		return -REGISTRY_ERR_OTHER;
	x->out_fd = d->fd;
	x->out_start = d->partial ? 0 : lseek(d->fd, 0, SEEK_CUR);
	if (x->out_start < 0)
		x->out_start = 0;
	x->size_limit = job->size;
	x->hash = digest_ctx_new_for(job->digest);
	x->scope = registry_scope(reg, repo);
	x->auth_origin = xstrdup(reg->origin);
	x->url = registry_api_url(reg, "/v2/%s/blobs/%s", repo, job->digest);
	x->retry = true;
	http_report(x, REGISTRY_PROGRESS_WAITING);
	return 0;
}

static int fetch_dls(struct registry *reg, const char *repo, struct blob_dl *dls, size_t n, robbe_error **err)
{
	struct http_xfer *xfers = xcalloc(n, sizeof(*xfers));
	struct http_xfer **run = xcalloc(n, sizeof(*run));
	size_t nrun = 0;
	int first = 0;

	for (size_t i = 0; i < n; i++) {
		int r = blob_dl_prepare(reg, repo, &dls[i], &xfers[i]);
		if (r < 0)
			dls[i].kind = -r;
		else
			run[nrun++] = &xfers[i];
	}
	http_run(reg, run, nrun, reg->max_parallel);
	for (size_t i = 0; i < n; i++) {
		if (dls[i].kind && !first) {
			first = dls[i].kind;
			robbe_error_set(err, 0, "%s", dls[i].job->error ? dls[i].job->error->msg : "blob download failed");
		}
		if (dls[i].partial && dls[i].fd >= 0) {
			close(dls[i].fd);
			unlink(dls[i].partial);
		}
		free(dls[i].partial);
		http_xfer_release(&xfers[i]);
	}
	free(run);
	free(xfers);
	return -first;
}

int registry_blob_fetch_many(struct registry *reg, const char *repo, struct registry_blob_job *jobs, size_t n,
			     robbe_error **err)
{
	int r = registry_ping(reg, err);

	if (r < 0)
		return r;
	struct blob_dl *dls = xcalloc(n ? n : 1, sizeof(*dls));
	for (size_t i = 0; i < n; i++) {
		dls[i].job = &jobs[i];
		dls[i].fd = -1;
	}
	r = fetch_dls(reg, repo, dls, n, err);
	free(dls);
	return r;
}

int registry_blob_fetch(struct registry *reg, const char *repo, const char *digest, uint64_t size,
			const char *dest, registry_progress_fn progress, void *opaque, robbe_error **err)
{
	struct registry_blob_job job = { digest, size, dest, progress, opaque, NULL };
	int r = registry_blob_fetch_many(reg, repo, &job, 1, err);

	robbe_error_free(job.error);
	return r;
}

int registry_blob_fetch_fd(struct registry *reg, const char *repo, const char *digest, uint64_t size, int fd,
			   registry_progress_fn progress, void *opaque, robbe_error **err)
{
	struct registry_blob_job job = { digest, size, NULL, progress, opaque, NULL };
	struct blob_dl d = { &job, NULL, fd, 0 };
	int r = registry_ping(reg, err);

	if (r == 0)
		r = fetch_dls(reg, repo, &d, 1, err);
	robbe_error_free(job.error);
	return r;
}

/* ---- uploads ---- */

struct upload {
	struct registry *reg;
	const char *repo;
	const char *digest;
	const char *data;	/* or fd */
	int fd;
	uint64_t len;
	registry_progress_fn progress;
	void *opaque;
	char *location;		/* the upload session URL */
};

static void upload_xfer(struct upload *u, struct http_xfer *x, const char *method, char *url)
{
	http_xfer_init(x, method, url);
	x->scope = registry_scope(u->reg, u->repo);
	x->auth_origin = xstrdup(u->reg->origin);
}

static void upload_body(struct upload *u, struct http_xfer *x, uint64_t off, uint64_t len)
{
	x->has_body = true;
	x->up_data = u->data ? u->data + off : NULL;
	x->up_fd = u->fd;
	x->up_off = off;
	x->up_len = len;
	x->progress_base = off;
	x->digest = u->digest;
	x->total = u->len;
	x->progress = u->progress;
	x->opaque = u->opaque;
	http_xfer_add_header(x, "Content-Type: application/octet-stream");
}

/* Take the next session URL from a reply's Location. */
static int take_location(struct upload *u, struct http_xfer *x, robbe_error **err)
{
	char *next = x->location ? http_resolve_url(x->url, x->location) : NULL;

	if (!next)
		return registry_fail(err, REGISTRY_ERR_OTHER, "%s %s: reply %ld without a usable Location", x->method,
				     x->url, x->status);
	free(u->location);
	u->location = next;
	return 0;
}

/* POST .../blobs/uploads/, as a mount from another repository when asked:
 * 1 if the mount made the blob appear, 0 when an upload session is open. */
static int upload_start(struct upload *u, const char *mount_from, robbe_error **err)
{
	cleanup_xfer struct http_xfer x;
	int r;

	if (mount_from) {
		cleanup_free char *d = http_escape(u->digest);
		cleanup_free char *f = http_escape(mount_from);
		upload_xfer(u, &x, "POST",
			    registry_api_url(u->reg, "/v2/%s/blobs/uploads/?mount=%s&from=%s", u->repo, d, f));
		/* The token must also grant pull on the source repository. */
		char *scope = xasprintf("%s repository:%s:pull", x.scope, mount_from);
		free(x.scope);
		x.scope = scope;
	} else {
		upload_xfer(u, &x, "POST", registry_api_url(u->reg, "/v2/%s/blobs/uploads/", u->repo));
	}
	if ((r = http_run_one(u->reg, &x, err)) < 0)
		return r;
	if (x.status == 201 && mount_from)
		return 1;
	if (x.status != 202)
		return http_reply_error(&x, err);
	return take_location(u, &x, err);
}

static char *with_digest(const char *url, const char *digest)
{
	cleanup_free char *d = http_escape(digest);
	return xasprintf("%s%cdigest=%s", url, strchr(url, '?') ? '&' : '?', d);
}

static int upload_patch(struct upload *u, uint64_t off, uint64_t len, robbe_error **err)
{
	cleanup_xfer struct http_xfer x;
	int r;

	upload_xfer(u, &x, "PATCH", xstrdup(u->location));
	upload_body(u, &x, off, len);
	http_xfer_add_header(&x, "Content-Range: %llu-%llu", (unsigned long long) off,
			     (unsigned long long) (off + len - 1));
	if ((r = http_run_one(u->reg, &x, err)) < 0)
		return r;
	if (x.status != 202)
		return http_reply_error(&x, err);
	return take_location(u, &x, err);
}

/* The closing PUT, carrying the rest of the data (all of it when the
 * upload is monolithic). */
static int upload_finish(struct upload *u, uint64_t off, robbe_error **err)
{
	cleanup_xfer struct http_xfer x;
	int r;

	upload_xfer(u, &x, "PUT", with_digest(u->location, u->digest));
	if (off < u->len)
		upload_body(u, &x, off, u->len - off);
	if ((r = http_run_one(u->reg, &x, err)) < 0)
		return r;
	if (x.status != 201 && x.status != 204)
		return http_reply_error(&x, err);
	return 0;
}

static int upload_run(struct upload *u, const char *mount_from, bool *mounted, robbe_error **err)
{
	size_t chunk = u->reg->chunk_size;
	uint64_t off = 0;
	int r;

	if (digest_validate(u->digest, err) < 0)
		return -REGISTRY_ERR_OTHER;
	if ((r = registry_ping(u->reg, err)) < 0)
		return r;
	if (mount_from && strcmp(mount_from, u->repo) == 0)
		mount_from = NULL;
	r = upload_start(u, mount_from, err);
	if (r < 0)
		return r;
	if (mounted)
		*mounted = r == 1;
	if (r == 1) {
		struct registry_progress p = { .state = REGISTRY_PROGRESS_MOUNTED, .digest = u->digest };
		if (u->progress)
			u->progress(u->opaque, &p);
		return 0;
	}
	while (chunk && u->len - off > chunk) {
		if ((r = upload_patch(u, off, chunk, err)) < 0)
			return r;
		off += chunk;
	}
	if ((r = upload_finish(u, off, err)) < 0)
		return r;
	struct registry_progress p = { .state = REGISTRY_PROGRESS_COMPLETE, .digest = u->digest,
				       .current = u->len, .total = u->len };
	if (u->progress)
		u->progress(u->opaque, &p);
	return 0;
}

int registry_blob_push_fd(struct registry *reg, const char *repo, const char *digest, int fd, uint64_t size,
			  const char *mount_from, registry_progress_fn progress, void *opaque, bool *mounted,
			  robbe_error **err)
{
	struct upload u = { reg, repo, digest, NULL, fd, size, progress, opaque, NULL };
	int r = upload_run(&u, mount_from, mounted, err);

	free(u.location);
	return r;
}

int registry_blob_push_file(struct registry *reg, const char *repo, const char *digest, const char *path,
			    const char *mount_from, registry_progress_fn progress, void *opaque, bool *mounted,
			    robbe_error **err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0) {
		robbe_error_errno(err, errno, "open %s", path);
		return -REGISTRY_ERR_OTHER;
	}
	return registry_blob_push_fd(reg, repo, digest, fd, (uint64_t) st.st_size, mount_from, progress, opaque,
				     mounted, err);
}

int registry_blob_push_data(struct registry *reg, const char *repo, const char *digest, const void *data,
			    size_t len, char **digest_out, robbe_error **err)
{
	cleanup_free char *computed = digest ? NULL : digest_sha256(data, len);
	struct upload u = { reg, repo, digest ? digest : computed, data, -1, len, NULL, NULL, NULL };
	int r = upload_run(&u, NULL, NULL, err);

	free(u.location);
	if (r == 0 && digest_out)
		*digest_out = xstrdup(u.digest);
	return r;
}
