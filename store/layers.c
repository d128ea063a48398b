/* layers.c: blobs and extracted layers on disk, published atomically. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "digest.h"
#include "layers.h"

#define SHORT_NAME_LEN 26
/* A link or lower file is a short name or a list of at most 128 of them. */
#define LOWER_FILE_MAX 4096

struct layer_store {
	char *root;
	char *overlay_dir;
	int blobs_fd;	/* <root>/blobs */
	int sha_fd;	/* <root>/blobs/sha256 */
	int overlay_fd;	/* <root>/overlay */
	int links_fd;	/* <root>/overlay/l */
};

struct blob_writer {
	struct layer_store *s;
	int fd;
	char *name;
	struct digest_ctx *ctx;
	uint64_t size;
};

struct layer_tx {
	struct layer_store *s;
	int dir_fd;	/* overlay/.tmp-<random>, flock()ed */
	int diff_fd;
	char *name;
};

static void random_hex(char *out, size_t nbytes)
{
	unsigned char buf[32];
	static const char digits[] = "0123456789abcdef";

	if (nbytes > sizeof(buf) || getrandom(buf, nbytes, 0) != (ssize_t) nbytes)
		abort(); /* getrandom on Linux >= 3.17 does not fail for small requests */
	for (size_t i = 0; i < nbytes; i++) {
		out[2 * i] = digits[buf[i] >> 4];
		out[2 * i + 1] = digits[buf[i] & 15];
	}
	out[2 * nbytes] = '\0';
}

/* The hex part of a sha256 digest, or NULL: checked before a digest ever
 * becomes part of a path, so "sha256:../../x" cannot name a file. */
static const char *sha256_hex(const char *digest)
{
	if (!digest || strncmp(digest, "sha256:", 7) != 0 || !digest_is_sha256_hex(digest + 7))
		return NULL;
	return digest + 7;
}

static bool short_name_ok(const char *s)
{
	if (strlen(s) != SHORT_NAME_LEN)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '2' && *s <= '7')))
			return false;
	return true;
}

static void random_short_name(char out[SHORT_NAME_LEN + 1])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned char buf[SHORT_NAME_LEN];

	if (getrandom(buf, sizeof(buf), 0) != (ssize_t) sizeof(buf))
		abort();
	for (size_t i = 0; i < SHORT_NAME_LEN; i++)
		out[i] = alphabet[buf[i] & 31];
	out[SHORT_NAME_LEN] = '\0';
}

static int open_dir_at(int dirfd, const char *name, const char *what, int *out, robbe_error **err)
{
	*out = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*out < 0)
		return robbe_error_errno(err, errno, "open %s", what);
	return 0;
}

int layer_store_open(const char *root, struct layer_store **out, robbe_error **err)
{
	struct layer_store *s = xcalloc(1, sizeof(*s));
	cleanup_free char *sha = xasprintf("%s/blobs/sha256", root);
	cleanup_free char *links = xasprintf("%s/overlay/l", root);
	cleanup_close int root_fd = -1;

	s->root = xstrdup(root);
	s->overlay_dir = xasprintf("%s/overlay", root);
	s->blobs_fd = s->sha_fd = s->overlay_fd = s->links_fd = -1;
	*out = NULL;
	if (mkdir_p(sha, 0700, err) < 0 || mkdir_p(links, 0700, err) < 0 ||
	    open_dir_at(AT_FDCWD, root, root, &root_fd, err) < 0 ||
	    open_dir_at(root_fd, "blobs", "blobs", &s->blobs_fd, err) < 0 ||
	    open_dir_at(s->blobs_fd, "sha256", sha, &s->sha_fd, err) < 0 ||
	    open_dir_at(root_fd, "overlay", s->overlay_dir, &s->overlay_fd, err) < 0 ||
	    open_dir_at(s->overlay_fd, "l", links, &s->links_fd, err) < 0) {
		layer_store_free(s);
		return robbe_error_wrap(err, "layer store %s", root);
	}
	*out = s;
	return 0;
}

void layer_store_free(struct layer_store *s)
{
	if (!s)
		return;
	cleanup_closep(&s->blobs_fd);
	cleanup_closep(&s->sha_fd);
	cleanup_closep(&s->overlay_fd);
	cleanup_closep(&s->links_fd);
	free(s->root);
	free(s->overlay_dir);
	free(s);
}

const char *layer_store_overlay_dir(const struct layer_store *s)
{
	return s->overlay_dir;
}

/* Create a fresh file or directory named <prefix><random> under dirfd and
 * lock it.  Cleanup may open and lock the new name in the instant between
 * creating and locking it and then delete it, so after locking we check the
 * name still refers to what we hold, and start over if not. */
static int create_locked(int dirfd, const char *prefix, bool dir, char **name_out, int *fd_out, robbe_error **err)
{
	for (int attempt = 0; attempt < 16; attempt++) {
		char rnd[33];
		struct stat held, named;
		cleanup_free char *name = NULL;
		cleanup_close int fd = -1;

		random_hex(rnd, 16);
		name = xasprintf("%s%s", prefix, rnd);
		if (dir) {
			if (mkdirat(dirfd, name, 0700) < 0)
				return robbe_error_errno(err, errno, "create %s", name);
			fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		} else {
			fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		}
		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			return robbe_error_errno(err, errno, "create %s", name);
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			if (errno == EWOULDBLOCK)
				continue;
			return robbe_error_errno(err, errno, "lock %s", name);
		}
		if (fstat(fd, &held) < 0 || fstatat(dirfd, name, &named, AT_SYMLINK_NOFOLLOW) < 0 ||
		    held.st_ino != named.st_ino || held.st_dev != named.st_dev)
			continue;
		*name_out = steal_pointer(&name);
		*fd_out = steal_fd(&fd);
		return 0;
	}
	return robbe_error_set(err, 0, "cannot create a private %s file", prefix);
}

/* ---- blobs -------------------------------------------------------------- */

char *layer_store_blob_path(const struct layer_store *s, const char *digest)
{
	const char *hex = sha256_hex(digest);
	return hex ? xasprintf("%s/blobs/sha256/%s", s->root, hex) : NULL;
}

bool layer_store_has_blob(const struct layer_store *s, const char *digest)
{
	const char *hex = sha256_hex(digest);
	struct stat st;

	return hex && fstatat(s->sha_fd, hex, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

int layer_store_open_blob(const struct layer_store *s, const char *digest, int *fd, robbe_error **err)
{
	const char *hex = sha256_hex(digest);

	if (!hex)
		return robbe_error_set(err, 0, "invalid blob digest \"%.100s\"", digest ? digest : "");
	*fd = openat(s->sha_fd, hex, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0)
		return robbe_error_errno(err, errno, "open blob %s", digest);
	return 0;
}

int layer_store_read_blob(const struct layer_store *s, const char *digest, size_t max, char **data, size_t *len,
			  robbe_error **err)
{
	cleanup_free char *path = layer_store_blob_path(s, digest);
	cleanup_free char *buf = NULL;
	cleanup_free char *got = NULL;
	size_t n = 0;

	if (!path)
		return robbe_error_set(err, 0, "invalid blob digest \"%.100s\"", digest ? digest : "");
	if (read_file_all(path, max, &buf, &n, err) < 0)
		return -1;
	got = digest_sha256(buf, n);
	if (strcmp(got, digest) != 0)
		return robbe_error_set(err, 0, "blob %s is corrupt: its content has digest %s", digest, got);
	*data = steal_pointer(&buf);
	if (len)
		*len = n;
	return 0;
}

int blob_writer_new(struct layer_store *s, struct blob_writer **out, robbe_error **err)
{
	struct blob_writer *w = xcalloc(1, sizeof(*w));

	w->s = s;
	if (create_locked(s->blobs_fd, ".partial-", false, &w->name, &w->fd, err) < 0) {
		free(w);
		return -1;
	}
	w->ctx = digest_ctx_new("sha256");
	*out = w;
	return 0;
}

int blob_writer_write(struct blob_writer *w, const void *data, size_t len, robbe_error **err)
{
	if (write_all(w->fd, data, len) < 0)
		return robbe_error_errno(err, errno, "write blob");
	digest_ctx_update(w->ctx, data, len);
	w->size += len;
	return 0;
}

void blob_writer_abort(struct blob_writer *w)
{
	if (!w)
		return;
	unlinkat(w->s->blobs_fd, w->name, 0);
	cleanup_closep(&w->fd);
	digest_ctx_free(w->ctx);
	free(w->name);
	free(w);
}

/* Check size, flush, and rename the partial file to blobs/sha256/<hex>;
 * ends the writer either way. */
static int blob_publish(struct blob_writer *w, const char *digest, int64_t expected_size, uint64_t size,
			robbe_error **err)
{
	int r = -1;

	if (expected_size >= 0 && (uint64_t) expected_size != size)
		robbe_error_set(err, 0, "size mismatch for %s: expected %lld bytes, got %llu", digest,
				(long long) expected_size, (unsigned long long) size);
	else if (fsync(w->fd) < 0)
		robbe_error_errno(err, errno, "sync blob %s", digest);
	else if (renameat(w->s->blobs_fd, w->name, w->s->sha_fd, digest + 7) < 0)
		robbe_error_errno(err, errno, "store blob %s", digest);
	else
		r = 0;
	if (r < 0) {
		blob_writer_abort(w);
		return -1;
	}
	(void) fsync(w->s->sha_fd);
	cleanup_closep(&w->fd);
	digest_ctx_free(w->ctx);
	free(w->name);
	free(w);
	return 0;
}

int blob_writer_commit(struct blob_writer *w, const char *expected, int64_t expected_size, char **digest_out,
		       robbe_error **err)
{
	cleanup_free char *got = digest_ctx_final(w->ctx);

	if (expected && strcmp(got, expected) != 0) {
		blob_writer_abort(w);
		return robbe_error_set(err, 0, "digest mismatch: expected %s, got %s", expected, got);
	}
	if (blob_publish(w, got, expected_size, w->size, err) < 0)
		return -1;
	if (digest_out)
		*digest_out = steal_pointer(&got);
	return 0;
}

int blob_writer_fd(const struct blob_writer *w)
{
	return w->fd;
}

int blob_writer_commit_verified(struct blob_writer *w, const char *digest, int64_t expected_size,
				robbe_error **err)
{
	struct stat st;

	if (!sha256_hex(digest)) {
		blob_writer_abort(w);
		return robbe_error_set(err, 0, "invalid blob digest \"%.100s\"", digest ? digest : "");
	}
	if (fstat(w->fd, &st) < 0) {
		blob_writer_abort(w);
		return robbe_error_errno(err, errno, "stat blob %s", digest);
	}
	return blob_publish(w, digest, expected_size, (uint64_t) st.st_size, err);
}

int layer_store_put_blob(struct layer_store *s, const void *data, size_t len, const char *expected,
			 char **digest_out, robbe_error **err)
{
	struct blob_writer *w;

	if (expected && !sha256_hex(expected))
		return robbe_error_set(err, 0, "invalid blob digest \"%.100s\"", expected);
	if (blob_writer_new(s, &w, err) < 0)
		return -1;
	if (blob_writer_write(w, data, len, err) < 0) {
		blob_writer_abort(w);
		return -1;
	}
	return blob_writer_commit(w, expected, -1, digest_out, err);
}

int layer_store_remove_blob(struct layer_store *s, const char *digest, robbe_error **err)
{
	const char *hex = sha256_hex(digest);

	if (!hex)
		return robbe_error_set(err, 0, "invalid blob digest \"%.100s\"", digest ? digest : "");
	if (unlinkat(s->sha_fd, hex, 0) < 0 && errno != ENOENT)
		return robbe_error_errno(err, errno, "remove blob %s", digest);
	return 0;
}

/* ---- layers ------------------------------------------------------------- */

char *layer_chain_id(const char *parent_chain, const char *diff_id)
{
	cleanup_free char *joined = NULL;

	if (!sha256_hex(diff_id) || (parent_chain && !sha256_hex(parent_chain)))
		return NULL;
	if (!parent_chain)
		return xstrdup(diff_id);
	joined = xasprintf("%s %s", parent_chain, diff_id);
	return digest_sha256(joined, strlen(joined));
}

bool layer_store_has_layer(const struct layer_store *s, const char *chain_id)
{
	const char *hex = sha256_hex(chain_id);
	cleanup_free char *diff = hex ? xasprintf("%s/diff", hex) : NULL;
	struct stat st;

	return diff && fstatat(s->overlay_fd, diff, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

char *layer_store_diff_path(const struct layer_store *s, const char *chain_id)
{
	const char *hex = sha256_hex(chain_id);
	return hex ? xasprintf("%s/%s/diff", s->overlay_dir, hex) : NULL;
}

/* Read a small metadata file (link, lower) of a layer directory. */
static int read_meta(int dirfd, const char *name, char **out, robbe_error **err)
{
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char buf[LOWER_FILE_MAX + 1];
	ssize_t n;

	*out = NULL;
	if (fd < 0)
		return robbe_error_errno(err, errno, "open %s", name);
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return robbe_error_errno(err, errno, "read %s", name);
	if (n > LOWER_FILE_MAX)
		return robbe_error_set(err, 0, "%s: file too large", name);
	*out = xstrndup(buf, (size_t) n);
	return 0;
}

static int write_meta(int dirfd, const char *name, const char *content, robbe_error **err)
{
	cleanup_close int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0 || write_all(fd, content, strlen(content)) < 0 || fsync(fd) < 0)
		return robbe_error_errno(err, errno, "write %s", name);
	return 0;
}

/* Read "<hex>/link" and check it is a short name we could have made. */
static int read_link_name(const struct layer_store *s, const char *hex, char **out, robbe_error **err)
{
	cleanup_free char *path = xasprintf("%s/link", hex);

	if (read_meta(s->overlay_fd, path, out, err) < 0)
		return -1;
	if (!short_name_ok(*out)) {
		free(*out);
		*out = NULL;
		return robbe_error_set(err, 0, "layer %s: corrupt link file", hex);
	}
	return 0;
}

int layer_store_lowers(const struct layer_store *s, const char *chain_id, char **out, robbe_error **err)
{
	const char *hex = sha256_hex(chain_id);
	cleanup_free char *link = NULL;
	cleanup_free char *lower = NULL;
	cleanup_free char *lower_path = NULL;
	cleanup_error robbe_error *ignored = NULL;

	if (!hex)
		return robbe_error_set(err, 0, "invalid layer ID \"%.100s\"", chain_id ? chain_id : "");
	if (read_link_name(s, hex, &link, err) < 0)
		return robbe_error_wrap(err, "layer %s", chain_id);
	lower_path = xasprintf("%s/lower", hex);
	if (read_meta(s->overlay_fd, lower_path, &lower, &ignored) < 0 && ignored->errnum != ENOENT)
		return robbe_error_set(err, 0, "layer %s: %s", chain_id, ignored->msg);
	*out = lower && *lower ? xasprintf("l/%s:%s", link, lower) : xasprintf("l/%s", link);
	return 0;
}

int layer_tx_begin(struct layer_store *s, struct layer_tx **out, robbe_error **err)
{
	struct layer_tx *tx = xcalloc(1, sizeof(*tx));

	tx->s = s;
	tx->dir_fd = tx->diff_fd = -1;
	if (create_locked(s->overlay_fd, ".tmp-", true, &tx->name, &tx->dir_fd, err) < 0) {
		free(tx);
		return -1;
	}
	if (mkdirat(tx->dir_fd, "diff", 0755) < 0 ||
	    (tx->diff_fd = openat(tx->dir_fd, "diff", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		robbe_error_errno(err, errno, "create layer directory");
		layer_tx_abort(tx);
		return -1;
	}
	*out = tx;
	return 0;
}

int layer_tx_diff_fd(const struct layer_tx *tx)
{
	return tx->diff_fd;
}

void layer_tx_abort(struct layer_tx *tx)
{
	if (!tx)
		return;
	cleanup_closep(&tx->diff_fd);
	/* Remove while still holding the lock so cleanup cannot race us. */
	(void) rm_rf_at(tx->s->overlay_fd, tx->name, NULL);
	cleanup_closep(&tx->dir_fd);
	free(tx->name);
	free(tx);
}

/* The lower file of a layer whose parent is parent_hex. */
static int lower_for_parent(const struct layer_store *s, const char *parent_hex, char **out, robbe_error **err)
{
	cleanup_free char *link = NULL;
	cleanup_free char *plower = NULL;
	cleanup_free char *plower_path = xasprintf("%s/lower", parent_hex);
	cleanup_error robbe_error *ignored = NULL;

	if (read_link_name(s, parent_hex, &link, err) < 0)
		return robbe_error_wrap(err, "parent layer sha256:%s", parent_hex);
	if (read_meta(s->overlay_fd, plower_path, &plower, &ignored) < 0 && ignored->errnum != ENOENT)
		return robbe_error_set(err, 0, "parent layer sha256:%s: %s", parent_hex, ignored->msg);
	*out = plower && *plower ? xasprintf("l/%s:%s", link, plower) : xasprintf("l/%s", link);
	return 0;
}

int layer_tx_commit(struct layer_tx *tx, const char *chain_id, const char *parent_chain, robbe_error **err)
{
	struct layer_store *s = tx->s;
	const char *hex = sha256_hex(chain_id);
	const char *parent_hex = parent_chain ? sha256_hex(parent_chain) : NULL;
	cleanup_free char *lower = NULL;
	cleanup_free char *target = NULL;
	char short_name[SHORT_NAME_LEN + 1];
	int r;

	if (!hex || (parent_chain && !parent_hex)) {
		layer_tx_abort(tx);
		return robbe_error_set(err, 0, "invalid layer ID");
	}
	if (layer_store_has_layer(s, chain_id)) {
		layer_tx_abort(tx);
		return 0;
	}
	random_short_name(short_name);
	if ((parent_hex && lower_for_parent(s, parent_hex, &lower, err) < 0) ||
	    write_meta(tx->dir_fd, "link", short_name, err) < 0 ||
	    (lower && write_meta(tx->dir_fd, "lower", lower, err) < 0))
		goto fail;
	/* Extraction wrote thousands of files without fsync; flush them all
	 * before the rename makes the layer visible, or a power cut could
	 * leave a published layer with empty files. */
	if (syncfs(tx->diff_fd) < 0) {
		robbe_error_errno(err, errno, "sync layer %s", chain_id);
		goto fail;
	}
	if (renameat(s->overlay_fd, tx->name, s->overlay_fd, hex) < 0) {
		if (errno == EEXIST || errno == ENOTEMPTY) {
			/* Another process published the same layer first. */
			layer_tx_abort(tx);
			return 0;
		}
		robbe_error_errno(err, errno, "publish layer %s", chain_id);
		goto fail;
	}
	/* The short link comes after the rename so it never dangles; a crash
	 * in between is repaired by layer_store_cleanup(). */
	target = xasprintf("../%s/diff", hex);
	r = symlinkat(target, s->links_fd, short_name) < 0 && errno != EEXIST
		    ? robbe_error_errno(err, errno, "link layer %s", chain_id)
		    : 0;
	(void) fsync(s->overlay_fd);
	cleanup_closep(&tx->diff_fd);
	cleanup_closep(&tx->dir_fd);
	free(tx->name);
	free(tx);
	return r;
fail:
	layer_tx_abort(tx);
	return -1;
}

int layer_store_remove_layer(struct layer_store *s, const char *chain_id, robbe_error **err)
{
	const char *hex = sha256_hex(chain_id);
	cleanup_free char *link = NULL;
	cleanup_error robbe_error *ignored = NULL;
	char rnd[33];
	cleanup_free char *grave = NULL;

	if (!hex)
		return robbe_error_set(err, 0, "invalid layer ID \"%.100s\"", chain_id ? chain_id : "");
	(void) read_link_name(s, hex, &link, &ignored);
	/* Rename first: the layer disappears at once, and a crash while
	 * deleting leaves a .tmp directory that cleanup finishes off. */
	random_hex(rnd, 16);
	grave = xasprintf(".tmp-%s", rnd);
	if (renameat(s->overlay_fd, hex, s->overlay_fd, grave) < 0) {
		if (errno == ENOENT)
			return robbe_error_set(err, 0, "layer %s does not exist", chain_id);
		return robbe_error_errno(err, errno, "remove layer %s", chain_id);
	}
	if (link)
		(void) unlinkat(s->links_fd, link, 0);
	return rm_rf_at(s->overlay_fd, grave, err);
}

/* ---- crash cleanup ------------------------------------------------------ */

/* Remove name (a file or directory) under dirfd if nobody holds its lock. */
static int remove_if_unlocked(int dirfd, const char *name, robbe_error **err)
{
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		if (errno != ELOOP)
			return robbe_error_errno(err, errno, "open %s", name);
		/* A symlink never is work in progress. */
		return unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ? robbe_error_errno(err, errno, "remove %s", name)
									: 0;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? 0 : robbe_error_errno(err, errno, "lock %s", name);
	/* We hold the lock while removing, so nobody can adopt the name. */
	return rm_rf_at(dirfd, name, err);
}

static int sweep_prefix(int dirfd, const char *prefix, robbe_error **err)
{
	cleanup_close int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (fd < 0 || !(d = fdopendir(fd)))
		return robbe_error_errno(err, errno, "read store directory");
	fd = -1;
	rewinddir(d);
	while ((de = readdir(d)))
		if (str_has_prefix(de->d_name, prefix) && remove_if_unlocked(dirfd, de->d_name, err) < 0)
			r = -1;
	closedir(d);
	return r;
}

/* Drop l/ links whose layer is gone, and recreate missing ones. */
static int sweep_links(struct layer_store *s, robbe_error **err)
{
	cleanup_close int fd = fcntl(s->links_fd, F_DUPFD_CLOEXEC, 0);
	DIR *d;
	struct dirent *de;

	if (fd < 0 || !(d = fdopendir(fd)))
		return robbe_error_errno(err, errno, "read %s/l", s->overlay_dir);
	fd = -1;
	rewinddir(d);
	while ((de = readdir(d))) {
		char target[128];
		struct stat st;
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(s->links_fd, de->d_name, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		/* Only links of our own shape are judged; the stat is made
		 * from overlay/, where the link's "../" resolves. */
		if (strncmp(target, "../", 3) != 0 || fstatat(s->overlay_fd, target + 3, &st, 0) == 0)
			continue;
		if (errno == ENOENT)
			(void) unlinkat(s->links_fd, de->d_name, 0);
	}
	closedir(d);

	fd = fcntl(s->overlay_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0 || !(d = fdopendir(fd)))
		return robbe_error_errno(err, errno, "read %s", s->overlay_dir);
	fd = -1;
	rewinddir(d);
	while ((de = readdir(d))) {
		cleanup_free char *link = NULL;
		cleanup_free char *target = NULL;
		cleanup_error robbe_error *ignored = NULL;

		if (!digest_is_sha256_hex(de->d_name) || read_link_name(s, de->d_name, &link, &ignored) < 0)
			continue;
		target = xasprintf("../%s/diff", de->d_name);
		(void) symlinkat(target, s->links_fd, link);
	}
	closedir(d);
	return 0;
}

int layer_store_cleanup(struct layer_store *s, robbe_error **err)
{
	if (sweep_prefix(s->overlay_fd, ".tmp-", err) < 0 || sweep_prefix(s->blobs_fd, ".partial-", err) < 0 ||
	    sweep_links(s, err) < 0)
		return robbe_error_wrap(err, "cleaning up %s", s->root);
	return 0;
}
