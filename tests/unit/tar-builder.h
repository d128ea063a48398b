/* tar-builder.h: build tar streams in memory for the unit tests, with
 * libarchive, so every hostile shape is made by the test itself. */
#ifndef ROBBE_TEST_TAR_BUILDER_H
#define ROBBE_TEST_TAR_BUILDER_H

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>

#include "util.h"

struct tb {
	struct archive *a;
	struct sbuf out;
};

/* Full pax (every header carries pax records, e.g. ns mtimes) instead of
 * ustar-where-possible. */
static bool tb_full_pax;

struct tb_entry {
	const char *path;
	unsigned type;		/* AE_IFREG (default), AE_IFDIR, AE_IFLNK, ... */
	int mode;		/* 0: 0644 / 0755 */
	const char *data;
	size_t size;		/* 0: strlen(data) */
	const char *symlink;
	const char *hardlink;
	int uid, gid;
	long long mtime;
	long mtime_nsec;
	unsigned rmajor, rminor;
	const char *xattr_name, *xattr_value;
	size_t xattr_size;	/* 0: strlen(xattr_value) */
	const char *xattr2_name, *xattr2_value;
};

static inline la_ssize_t tb_cb(struct archive *a, void *d, const void *buf, size_t n)
{
	(void) a;
	sbuf_add(&((struct tb *) d)->out, buf, n);
	return (la_ssize_t) n;
}

/* filter: NULL, "gzip" or "zstd" */
static inline void tb_open(struct tb *t, const char *filter)
{
	memset(t, 0, sizeof(*t));
	t->a = archive_write_new();
	if (tb_full_pax)
		archive_write_set_format_pax(t->a);
	else
		archive_write_set_format_pax_restricted(t->a);
	if (filter && !strcmp(filter, "gzip"))
		archive_write_add_filter_gzip(t->a);
	else if (filter && !strcmp(filter, "zstd"))
		archive_write_add_filter_zstd(t->a);
	archive_write_set_bytes_in_last_block(t->a, 1);
	archive_write_open(t->a, t, NULL, tb_cb, NULL);
}

static inline void tb_add(struct tb *t, struct tb_entry e)
{
	struct archive_entry *ae = archive_entry_new();
	unsigned type = e.type ? e.type : AE_IFREG;
	size_t size = e.size ? e.size : (e.data ? strlen(e.data) : 0);

	archive_entry_set_pathname(ae, e.path);
	archive_entry_set_filetype(ae, type);
	archive_entry_set_perm(ae, e.mode ? e.mode : (type == AE_IFDIR ? 0755 : 0644));
	archive_entry_set_uid(ae, e.uid);
	archive_entry_set_gid(ae, e.gid);
	archive_entry_set_mtime(ae, e.mtime ? e.mtime : 1700000000, e.mtime_nsec);
	if (e.symlink)
		archive_entry_set_symlink(ae, e.symlink);
	if (e.hardlink)
		archive_entry_set_hardlink(ae, e.hardlink);
	if (type == AE_IFCHR || type == AE_IFBLK) {
		archive_entry_set_rdevmajor(ae, e.rmajor);
		archive_entry_set_rdevminor(ae, e.rminor);
	}
	if (e.xattr_name)
		archive_entry_xattr_add_entry(ae, e.xattr_name, e.xattr_value,
					      e.xattr_size ? e.xattr_size : strlen(e.xattr_value));
	if (e.xattr2_name)
		archive_entry_xattr_add_entry(ae, e.xattr2_name, e.xattr2_value, strlen(e.xattr2_value));
	archive_entry_set_size(ae, type == AE_IFREG && !e.hardlink ? (la_int64_t) size : 0);
	archive_write_header(t->a, ae);
	if (type == AE_IFREG && size && !e.hardlink)
		archive_write_data(t->a, e.data, size);
	archive_entry_free(ae);
}

/* Finish; the caller owns the bytes. */
static inline char *tb_finish(struct tb *t, size_t *len)
{
	archive_write_close(t->a);
	archive_write_free(t->a);
	*len = t->out.len;
	return sbuf_detach(&t->out);
}

/* Bytes in an fd positioned at 0 (a memfd). */
static inline int mem_fd(const void *data, size_t len)
{
	int fd = memfd_create("tar", MFD_CLOEXEC);
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n <= 0)
			abort();
		p += n;
		len -= (size_t) n;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static inline int tb_finish_fd(struct tb *t)
{
	size_t len;
	char *data = tb_finish(t, &len);
	int fd = mem_fd(data, len);
	free(data);
	return fd;
}

/* Compress bytes with a libarchive filter ("gzip", "zstd", "xz", "bzip2") in raw format. */
static inline char *compress_bytes(const char *data, size_t len, const char *filter, size_t *out_len)
{
	struct tb t;
	struct archive_entry *ae = archive_entry_new();

	memset(&t, 0, sizeof(t));
	t.a = archive_write_new();
	if (!strcmp(filter, "gzip"))
		archive_write_add_filter_gzip(t.a);
	else if (!strcmp(filter, "xz"))
		archive_write_add_filter_xz(t.a);
	else if (!strcmp(filter, "bzip2"))
		archive_write_add_filter_bzip2(t.a);
	else
		archive_write_add_filter_zstd(t.a);
	archive_write_set_format_raw(t.a);
	archive_write_set_bytes_in_last_block(t.a, 1);
	archive_write_open(t.a, &t, NULL, tb_cb, NULL);
	archive_entry_set_pathname(ae, "x");
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_write_header(t.a, ae);
	archive_entry_free(ae);
	archive_write_data(t.a, data, len);
	return tb_finish(&t, out_len);
}

static inline char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/robbe-test-XXXXXX";
	if (!mkdtemp(tmpl))
		abort();
	return xstrdup(tmpl);
}

static inline void remove_tree(const char *path)
{
	rm_rf_at(AT_FDCWD, path, NULL);
}

#endif
