/* image-pull.c: pulling an image from a registry.
 *
 *   manifest (an index picks the platform's) -> config -> layers -> record
 *
 * Layers that are not on disk yet download in parallel into a private,
 * flock()ed scratch directory in the layer store (a killed pull leaves it
 * unlocked, and the next robbe command sweeps it), each verified while it
 * streams, then move into blobs/.  A second thread extracts them in order
 * as soon as a layer and every layer below it are there, so extraction
 * overlaps the downloads.  Nothing becomes visible until the very end:
 * image_commit() records the image, its layers and its names in one
 * database transaction.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "digest.h"
#include "image-internal.h"
#include "reference.h"
#include "store/layers.h"
#include "tarball.h"

enum layer_state {
	LAYER_PENDING,		/* blob still downloading */
	LAYER_READY,		/* blob in blobs/ (or the layer is on disk) */
	LAYER_FAILED,
};

struct pull_layer {
	const struct oci_descriptor *desc;
	const char *diff_id;
	char *chain;
	char short_id[13];
	bool exists;		/* on disk before we started */
	bool download;		/* this one fetches the blob (first of equal blobs) */
	enum layer_state state;
	int64_t size;
};

struct pull {
	struct image_env *env;
	const struct image_pull_events *ev;
	pthread_mutex_t ev_mu;	/* one event at a time */
	pthread_mutex_t mu;	/* layer states */
	pthread_cond_t cond;
	struct pull_layer *layers;
	size_t n;
	char *scratch;		/* the download directory */
	robbe_error *extract_err;
};

static void emit(struct pull *p, struct image_pull_event *ev)
{
	if (!p->ev || !p->ev->fn)
		return;
	pthread_mutex_lock(&p->ev_mu);
	p->ev->fn(p->ev->opaque, ev);
	pthread_mutex_unlock(&p->ev_mu);
}

static void emit_layer(struct pull *p, size_t i, enum image_pull_event_kind kind, uint64_t current, uint64_t total)
{
	struct image_pull_event ev = {
		.kind = kind,
		.index = i,
		.n_layers = p->n,
		.layer = p->layers[i].desc->digest,
		.short_id = p->layers[i].short_id,
		.current = current,
		.total = total,
	};
	emit(p, &ev);
}

/* ---- errors in the daemon's words ------------------------------------- */

static int pull_error(int r, const struct reference *ref, robbe_error **err)
{
	cleanup_free char *name = reference_familiar_name(ref);
	cleanup_free char *full = reference_familiar_string(ref);

	switch (-r) {
	case REGISTRY_ERR_DENIED:
		robbe_error_wrap(err, "pull access denied for %s, repository does not exist or may require 'docker login'",
				 name);
		break;
	case REGISTRY_ERR_MANIFEST_UNKNOWN:
	case REGISTRY_ERR_NOT_FOUND:
		robbe_error_wrap(err, "manifest for %s not found", full);
		break;
	default:
		break;
	}
	if (*err)
		(*err)->status = EXIT_GENERAL;
	return r < 0 ? r : -1;
}

/* ---- the scratch directory -------------------------------------------- */

/* A layer_tx is a private directory in the layer store that stays locked
 * while we live and is swept by layer_store_cleanup() once we are gone,
 * which is exactly what a download directory needs. */
static int scratch_open(struct pull *p, struct layer_tx **tx, robbe_error **err)
{
	char link[64], buf[4096];
	ssize_t n;

	if (layer_tx_begin(p->env->layers, tx, err) < 0)
		return -1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", layer_tx_diff_fd(*tx));
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n <= 0) {
		layer_tx_abort(*tx);
		*tx = NULL;
		return robbe_error_errno(err, errno, "find the download directory");
	}
	buf[n] = '\0';
	p->scratch = xstrdup(buf);
	return 0;
}

static char *scratch_path(const struct pull *p, const char *digest)
{
	return xasprintf("%s/%s", p->scratch, digest_hex(digest));
}

/* Move a verified download into blobs/; both are under the store root. */
static int publish_blob(struct pull *p, const char *digest, robbe_error **err)
{
	cleanup_free char *from = scratch_path(p, digest);
	cleanup_free char *to = layer_store_blob_path(p->env->layers, digest);

	if (!to)
		return robbe_error_set(err, 0, "invalid blob digest %s", digest);
	if (rename(from, to) < 0)
		return robbe_error_errno(err, errno, "store blob %s", digest);
	return 0;
}

/* ---- downloads ---------------------------------------------------------- */

struct dl_job {
	struct pull *p;
	size_t index;		/* the layer that downloads it */
};

static void set_state(struct pull *p, const char *digest, enum layer_state st)
{
	pthread_mutex_lock(&p->mu);
	for (size_t i = 0; i < p->n; i++)
		if (!p->layers[i].exists && p->layers[i].state == LAYER_PENDING &&
		    strcmp(p->layers[i].desc->digest, digest) == 0)
			p->layers[i].state = st;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->mu);
}

static void on_progress(void *opaque, const struct registry_progress *rp)
{
	struct dl_job *job = opaque;
	struct pull *p = job->p;
	size_t i = job->index;
	struct pull_layer *l = &p->layers[i];

	switch (rp->state) {
	case REGISTRY_PROGRESS_WAITING:
		break;
	case REGISTRY_PROGRESS_TRANSFERRING:
		emit_layer(p, i, IMAGE_PULL_LAYER_DOWNLOADING, rp->current,
			   rp->total ? rp->total : (uint64_t) l->desc->size);
		break;
	case REGISTRY_PROGRESS_RETRYING: {
		struct image_pull_event ev = {
			.kind = IMAGE_PULL_LAYER_RETRYING,
			.index = i,
			.n_layers = p->n,
			.layer = l->desc->digest,
			.short_id = l->short_id,
			.attempt = rp->attempt,
			.retry_in_ms = rp->retry_in_ms,
			.error = rp->error,
		};
		emit(p, &ev);
		break;
	}
	case REGISTRY_PROGRESS_VERIFYING:
		emit_layer(p, i, IMAGE_PULL_LAYER_VERIFYING, 0, 0);
		break;
	case REGISTRY_PROGRESS_COMPLETE: {
		cleanup_error robbe_error *e = NULL;
		if (publish_blob(p, l->desc->digest, &e) < 0) {
			set_state(p, l->desc->digest, LAYER_FAILED);
			pthread_mutex_lock(&p->mu);
			if (!p->extract_err)
				p->extract_err = steal_pointer(&e);
			pthread_mutex_unlock(&p->mu);
			break;
		}
		emit_layer(p, i, IMAGE_PULL_LAYER_DOWNLOADED, 0, 0);
		set_state(p, l->desc->digest, LAYER_READY);
		break;
	}
	case REGISTRY_PROGRESS_FAILED: {
		struct image_pull_event ev = {
			.kind = IMAGE_PULL_LAYER_FAILED,
			.index = i,
			.n_layers = p->n,
			.layer = l->desc->digest,
			.short_id = l->short_id,
			.error = rp->error,
		};
		emit(p, &ev);
		set_state(p, l->desc->digest, LAYER_FAILED);
		break;
	}
	case REGISTRY_PROGRESS_MOUNTED:
		break;
	}
}

/* ---- extraction (its own thread) -------------------------------------- */

/* While a layer extracts, report how far into its blob the extractor has
 * read, a few times a second: the file offset is shared with it. */
struct ticker {
	struct pull *p;
	size_t index;
	int fd;
	uint64_t total;
	bool stop;
	pthread_mutex_t mu;
	pthread_cond_t cond;
};

static void *ticker_thread(void *arg)
{
	struct ticker *t = arg;
	struct timespec ts;

	pthread_mutex_lock(&t->mu);
	while (!t->stop) {
		off_t at;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&t->cond, &t->mu, &ts);
		if (t->stop)
			break;
		at = lseek(t->fd, 0, SEEK_CUR);
		if (at > 0 && (uint64_t) at < t->total) {
			pthread_mutex_unlock(&t->mu);
			emit_layer(t->p, t->index, IMAGE_PULL_LAYER_EXTRACTING, (uint64_t) at, t->total);
			pthread_mutex_lock(&t->mu);
		}
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

static int extract_one(struct pull *p, size_t i, robbe_error **err)
{
	struct pull_layer *l = &p->layers[i];
	const char *parent = i ? p->layers[i - 1].chain : NULL;
	cleanup_close int fd = -1;
	cleanup_free char *chain = NULL;
	struct stat st;

	if (layer_store_open_blob(p->env->layers, l->desc->digest, &fd, err) < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return robbe_error_errno(err, errno, "stat blob %s", l->desc->digest);
	emit_layer(p, i, IMAGE_PULL_LAYER_EXTRACTING, 0, (uint64_t) st.st_size);
	{
		struct ticker t = { .p = p, .index = i, .fd = fd, .total = (uint64_t) st.st_size };
		pthread_t th;
		bool ticking;
		int r;

		pthread_mutex_init(&t.mu, NULL);
		pthread_cond_init(&t.cond, NULL);
		ticking = pthread_create(&th, NULL, ticker_thread, &t) == 0;
		r = tar_apply_layer(p->env->layers, fd, parent, l->diff_id, NULL, &chain, err);
		if (ticking) {
			pthread_mutex_lock(&t.mu);
			t.stop = true;
			pthread_cond_signal(&t.cond);
			pthread_mutex_unlock(&t.mu);
			pthread_join(th, NULL);
		}
		pthread_mutex_destroy(&t.mu);
		pthread_cond_destroy(&t.cond);
		if (r < 0)
			return robbe_error_wrap(err, "failed to register layer");
	}
	if (image_layer_disk_size(p->env, l->chain, &l->size, err) < 0)
		return -1;
	emit_layer(p, i, IMAGE_PULL_LAYER_EXTRACTING, (uint64_t) st.st_size, (uint64_t) st.st_size);
	emit_layer(p, i, IMAGE_PULL_LAYER_COMPLETE, 0, 0);
	return 0;
}

static void *extract_thread(void *arg)
{
	struct pull *p = arg;

	for (size_t i = 0; i < p->n; i++) {
		struct pull_layer *l = &p->layers[i];
		enum layer_state st;
		robbe_error *e = NULL;

		if (l->exists)
			continue;
		pthread_mutex_lock(&p->mu);
		while ((st = l->state) == LAYER_PENDING)
			pthread_cond_wait(&p->cond, &p->mu);
		pthread_mutex_unlock(&p->mu);
		if (st != LAYER_READY)
			return NULL;
		if (extract_one(p, i, &e) < 0) {
			pthread_mutex_lock(&p->mu);
			if (!p->extract_err)
				p->extract_err = e;
			else
				robbe_error_free(e);
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
	}
	return NULL;
}

/* ---- the pull ----------------------------------------------------------- */

/* Fetch a small blob (the config) into memory through the scratch dir. */
static int fetch_small_blob(struct pull *p, struct registry *reg, const char *repo, const struct oci_descriptor *d,
			    size_t max, char **data, size_t *len, robbe_error **err)
{
	cleanup_free char *path = scratch_path(p, d->digest);
	int r;

	if (d->size < 0 || (uint64_t) d->size > max)
		return robbe_error_set(err, 0, "blob %s is too large (%lld bytes)", d->digest, (long long) d->size);
	if (layer_store_has_blob(p->env->layers, d->digest) &&
	    layer_store_read_blob(p->env->layers, d->digest, max, data, len, NULL) == 0)
		return 0;
	if ((r = registry_blob_fetch(reg, repo, d->digest, (uint64_t) d->size, path, NULL, NULL, err)) < 0)
		return r;
	r = read_file_all(path, max, data, len, err);
	unlink(path);
	return r;
}

/* Load the layers' states: on disk, blob at hand, or to download. */
static int plan_layers(struct pull *p, const struct manifest *m, const struct image_config *cfg, robbe_error **err)
{
	p->n = m->n_layers;
	p->layers = xcalloc(p->n ? p->n : 1, sizeof(*p->layers));
	for (size_t i = 0; i < p->n; i++) {
		struct pull_layer *l = &p->layers[i];
		l->desc = &m->layers[i];
		l->diff_id = cfg->diff_ids[i];
		l->chain = layer_chain_id(i ? p->layers[i - 1].chain : NULL, l->diff_id);
		if (!l->chain)
			return robbe_error_set(err, 0, "invalid diff ID %s", l->diff_id);
		snprintf(l->short_id, sizeof(l->short_id), "%.12s", digest_hex(l->desc->digest));
		l->size = -1;
		l->exists = layer_store_has_layer(p->env->layers, l->chain);
		if (l->exists)
			l->state = LAYER_READY;
		else if (layer_store_has_blob(p->env->layers, l->desc->digest))
			l->state = LAYER_READY;
		else
			l->state = LAYER_PENDING;
	}
	/* One download per distinct blob. */
	for (size_t i = 0; i < p->n; i++) {
		struct pull_layer *l = &p->layers[i];
		if (l->exists || l->state != LAYER_PENDING)
			continue;
		l->download = true;
		for (size_t j = 0; j < i; j++)
			if (p->layers[j].download && strcmp(p->layers[j].desc->digest, l->desc->digest) == 0)
				l->download = false;
	}
	return 0;
}

static int fetch_and_extract(struct pull *p, struct registry *reg, const char *repo, unsigned max_parallel,
			     robbe_error **err)
{
	struct registry_blob_job *jobs = xcalloc(p->n ? p->n : 1, sizeof(*jobs));
	struct dl_job *ctx = xcalloc(p->n ? p->n : 1, sizeof(*ctx));
	char **dests = xcalloc(p->n ? p->n : 1, sizeof(char *));
	size_t nj = 0;
	pthread_t th;
	int r = 0, rc;

	for (size_t i = 0; i < p->n; i++)
		emit_layer(p, i, p->layers[i].exists ? IMAGE_PULL_LAYER_EXISTS : IMAGE_PULL_LAYER_QUEUED, 0, 0);
	for (size_t i = 0; i < p->n; i++) {
		struct pull_layer *l = &p->layers[i];
		if (!l->download)
			continue;
		if (nj >= max_parallel)
			emit_layer(p, i, IMAGE_PULL_LAYER_WAITING, 0, 0);
		ctx[nj] = (struct dl_job){ p, i };
		dests[nj] = scratch_path(p, l->desc->digest);
		jobs[nj] = (struct registry_blob_job){
			.digest = l->desc->digest,
			.size = (uint64_t) l->desc->size,
			.dest = dests[nj],
			.progress = on_progress,
			.opaque = &ctx[nj],
		};
		nj++;
	}
	/* Blobs already in blobs/ (an earlier pull stopped before extracting)
	 * count as downloaded. */
	for (size_t i = 0; i < p->n; i++)
		if (!p->layers[i].exists && !p->layers[i].download && p->layers[i].state == LAYER_READY)
			emit_layer(p, i, IMAGE_PULL_LAYER_DOWNLOADED, 0, 0);

	if ((rc = pthread_create(&th, NULL, extract_thread, p)) != 0) {
		r = robbe_error_errno(err, rc, "start the extraction thread");
		goto out;
	}
	if (nj > 0)
		r = registry_blob_fetch_many(reg, repo, jobs, nj, err);
	/* Whatever did not finish has failed: let the extractor stop. */
	pthread_mutex_lock(&p->mu);
	for (size_t i = 0; i < p->n; i++)
		if (p->layers[i].state == LAYER_PENDING)
			p->layers[i].state = LAYER_FAILED;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->mu);
	pthread_join(th, NULL);

	if (r < 0) {
		/* The registry's error already names the blob. */
		robbe_error_free(steal_pointer(&p->extract_err));
	} else if (p->extract_err) {
		*err = steal_pointer(&p->extract_err);
		r = -1;
	}
out:
	for (size_t k = 0; k < nj; k++) {
		robbe_error_free(jobs[k].error);
		free(dests[k]);
	}
	free(dests);
	free(ctx);
	free(jobs);
	return r;
}

/* Fill each layer's size: measured when extracted, else from the database,
 * else from the disk. */
static int layer_sizes(struct pull *p, robbe_error **err)
{
	for (size_t i = 0; i < p->n; i++) {
		struct pull_layer *l = &p->layers[i];
		struct store_layer sl;
		cleanup_error robbe_error *e = NULL;

		if (l->size >= 0)
			continue;
		if (store_layer_get(p->env->store, l->chain, &sl, &e) == 0) {
			l->size = sl.size;
			store_layer_release(&sl);
			continue;
		}
		if (image_layer_disk_size(p->env, l->chain, &l->size, err) < 0)
			return -1;
	}
	return 0;
}

/* The image exists already: only (re)point the names at it. */
static int add_names(struct image_env *env, const char *id, char *const *names, robbe_error **err)
{
	cleanup_store_image struct store_image *cur = NULL;
	cleanup_strv char **tags = NULL, **digests = NULL;
	struct store_image img = { 0 };

	if (store_image_get(env->store, id, &cur, err) < 0)
		return -1;
	for (size_t i = 0; names[i]; i++) {
		if (strchr(names[i], '@'))
			strv_push(&digests, names[i]);
		else
			strv_push(&tags, names[i]);
	}
	img.id = cur->id;
	img.config_json = cur->config_json;
	img.names = tags;
	img.digests = digests;
	return store_image_add(env->store, &img, NULL, err);
}

static int resolve_manifest(struct registry *reg, const struct reference *ref, const struct image_pull_opts *opts,
			    struct registry_manifest **top, struct manifest **m, char **manifest_data,
			    struct oci_platform *want, bool *platform_given, robbe_error **err)
{
	cleanup_registry_manifest struct registry_manifest *rm = NULL;
	cleanup_manifest struct manifest *parsed = NULL;
	int r;

	*platform_given = opts && opts->platform && *opts->platform;
	if (*platform_given ? platform_parse(opts->platform, want, err) < 0 : platform_default(want, err) < 0)
		return -1;
	if ((r = registry_manifest_get(reg, ref->path, ref->digest ? ref->digest : ref->tag, top, err)) < 0)
		return pull_error(r, ref, err);
	if (manifest_parse((*top)->data, (*top)->len, (*top)->media_type, &parsed, err) < 0)
		return -1;
	if (manifest_is_index(parsed)) {
		const struct oci_descriptor *d;
		if (manifest_select(parsed, want, &d, err) < 0)
			return -1;
		if ((r = registry_manifest_get(reg, ref->path, d->digest, &rm, err)) < 0)
			return pull_error(r, ref, err);
		manifest_free(parsed);
		parsed = NULL;
		if (manifest_parse(rm->data, rm->len, rm->media_type, &parsed, err) < 0)
			return -1;
		if (manifest_is_index(parsed))
			return robbe_error_set(err, 0, "manifest %s: an index inside an index is not supported", d->digest);
		*manifest_data = xstrndup(rm->data, rm->len);
	} else {
		*manifest_data = xstrndup((*top)->data, (*top)->len);
	}
	if (strlen(*manifest_data) == 0)
		return robbe_error_set(err, 0, "empty manifest");
	*m = steal_pointer(&parsed);
	return 0;
}

static int check_platform(const struct reference *ref, const struct image_config *cfg,
			  const struct oci_platform *want, robbe_error **err)
{
	cleanup_platform struct oci_platform have = { 0 };
	cleanup_free char *w = NULL, *h = NULL, *name = NULL;

	image_config_platform(cfg, &have);
	if (platform_match(want, &have) >= 0)
		return 0;
	w = platform_format(want);
	h = platform_format(&have);
	name = reference_familiar_string(ref);
	return robbe_error_set(err, EXIT_GENERAL,
			       "image with reference %s was found but does not match the specified platform: wanted %s, actual: %s",
			       name, w, h);
}

int image_pull(struct image_env *env, const char *user_ref, const struct image_pull_opts *opts,
	       const struct image_pull_events *ev, struct store_image **out, char **full_ref, robbe_error **err)
{
	cleanup_reference struct reference *ref = NULL;
	cleanup_registry struct registry *reg = NULL;
	cleanup_registry_manifest struct registry_manifest *top = NULL;
	cleanup_manifest struct manifest *m = NULL;
	cleanup_free char *manifest_data = NULL;
	cleanup_free char *config = NULL;
	size_t config_len = 0;
	cleanup_image_config struct image_config *cfg = NULL;
	cleanup_platform struct oci_platform want = { 0 };
	cleanup_free char *tag_name = NULL, *digest_name = NULL;
	struct registry_options ro = { 0 };
	struct pull p = { 0 };
	struct layer_tx *scratch = NULL;
	struct image_layer_input *inputs = NULL;
	bool default_tag, platform_given = false, up_to_date = false;
	char *names[3] = { NULL, NULL, NULL };
	int r = -1;

	if (out)
		*out = NULL;
	if (full_ref)
		*full_ref = NULL;
	if (reference_parse(user_ref, &ref, err) < 0) {
		(*err)->status = EXIT_GENERAL;
		return -1;
	}
	default_tag = reference_default_tag(ref);
	if (ref->tag && ref->digest)
		reference_set_tag(ref, NULL); /* the digest decides, as Docker does */
	if (full_ref)
		*full_ref = reference_string(ref);

	ro.daemon_json = opts ? opts->daemon_json : NULL;
	ro.tls = opts ? opts->tls : REGISTRY_TLS_DEFAULT;
	ro.username = opts ? opts->username : NULL;
	ro.password = opts ? opts->password : NULL;
	ro.use_credential_store = !ro.username;
	ro.max_parallel = opts && opts->max_parallel ? opts->max_parallel : 3;
	if (registry_open(ref->domain, &ro, &reg, err) < 0)
		return -1;

	if ((r = resolve_manifest(reg, ref, opts, &top, &m, &manifest_data, &want, &platform_given, err)) < 0)
		return r;

	{
		/* Docker names a digest pull by the whole reference. */
		cleanup_free char *whole = ref->digest ? reference_string(ref) : NULL;
		struct image_pull_event e = {
			.kind = IMAGE_PULL_RESOLVED,
			.tag_or_digest = ref->digest ? whole : ref->tag,
			.repo = ref->path,
			.default_tag = default_tag,
		};
		p.env = env;
		p.ev = ev;
		pthread_mutex_init(&p.ev_mu, NULL);
		pthread_mutex_init(&p.mu, NULL);
		pthread_cond_init(&p.cond, NULL);
		emit(&p, &e);
	}

	/* The names it will get: the tag and name@<digest of what the name
	 * pointed at>, or the digest reference alone. */
	{
		cleanup_reference struct reference *d = reference_copy(ref);
		reference_set_tag(d, NULL);
		reference_set_digest(d, top->digest);
		digest_name = reference_string(d);
		if (ref->tag)
			tag_name = reference_string(ref);
		names[0] = tag_name ? tag_name : digest_name;
		names[1] = tag_name ? digest_name : NULL;
	}

	r = -1;
	if (scratch_open(&p, &scratch, err) < 0)
		goto out;
	if (fetch_small_blob(&p, reg, ref->path, &m->config, IMAGE_CONFIG_MAX_BYTES, &config, &config_len, err) < 0)
		goto out;
	if (image_config_parse(config, config_len, &cfg, err) < 0 || manifest_check_config(m, cfg, err) < 0)
		goto out;
	if (platform_given && !manifest_is_index(m) && check_platform(ref, cfg, &want, err) < 0)
		goto out;

	/* From here until the image is recorded, layers we find on disk must
	 * stay there: hold the shared image lock (see image.h). */
	if (image_env_lock_layers(env, err) < 0)
		goto out;
	{
		cleanup_store_image struct store_image *have = NULL;
		cleanup_store_image struct store_image *named = NULL;
		cleanup_error robbe_error *e = NULL;
		const char *id = m->config.digest;

		if (store_image_get(env->store, id, &have, &e) == 0) {
			/* Up to date when the name already pointed here. */
			if (store_image_get_by_name(env->store, names[0], &named, NULL) == 0 &&
			    strcmp(named->id, id) == 0)
				up_to_date = true;
			if (add_names(env, id, names, err) < 0)
				goto out;
			goto done;
		}
	}

	if (plan_layers(&p, m, cfg, err) < 0)
		goto out;
	if ((r = fetch_and_extract(&p, reg, ref->path, ro.max_parallel, err)) < 0)
		goto out_keep_r;
	if (layer_sizes(&p, err) < 0)
		goto out;
	inputs = xcalloc(p.n ? p.n : 1, sizeof(*inputs));
	for (size_t i = 0; i < p.n; i++)
		inputs[i] = (struct image_layer_input){
			.diff_id = p.layers[i].diff_id,
			.blob_digest = p.layers[i].desc->digest,
			.compressed_size = p.layers[i].desc->size,
			.size = p.layers[i].size,
		};
	if (image_commit(env, config, config_len, inputs, p.n, manifest_data, names, NULL, err) < 0)
		goto out;

done:
	{
		struct image_pull_event e = {
			.kind = IMAGE_PULL_DONE,
			.digest = top->digest,
			.up_to_date = up_to_date,
		};
		emit(&p, &e);
	}
	if (out && store_image_get(env->store, m->config.digest, out, err) < 0)
		goto out;
	r = 0;
	goto out_keep_r;
out:
	r = -1;
out_keep_r:
	if (r < 0 && *err && (*err)->status == 0)
		(*err)->status = EXIT_GENERAL;
	image_env_unlock_layers(env);
	if (scratch)
		layer_tx_abort(scratch);
	free(p.scratch);
	for (size_t i = 0; i < p.n; i++)
		free(p.layers[i].chain);
	free(p.layers);
	free(inputs);
	if (p.env) {
		pthread_mutex_destroy(&p.ev_mu);
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.cond);
	}
	return r;
}
