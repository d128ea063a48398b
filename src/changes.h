/* changes.h: `docker diff` — what a container changed in its filesystem,
 * read from its overlay upper directory and the image's layers below.
 *
 * The walk is Docker's (overlay2's changes): the upper directory is walked
 * in lexical order, and for every entry
 *   - a whiteout (character device 0:0) is a deletion:       D /path
 *   - an opaque directory (deleted, then made again) too:    D /path
 *     (its contents are then listed like any other entries)
 *   - anything present in a lower layer is a change:         C /path
 *     except a directory whose mode, size and mtime are those of the
 *     lower one (it is only there because something below it changed)
 *   - anything else was added:                               A /path
 *   - the parent of an addition or deletion is listed as     C /parent
 *     right before it, unless it was listed already (or is "/").
 * Nothing is sorted afterwards: the order is the walk's, as Docker prints.
 *
 * Lower layers are looked into without following any symlink in them.
 */
#ifndef ROBBE_CHANGES_H
#define ROBBE_CHANGES_H

#include <stddef.h>

#include "util.h"

/* Docker's numbering of change kinds (the API's Kind field). */
enum change_kind {
	CHANGE_MODIFY = 0,
	CHANGE_ADD = 1,
	CHANGE_DELETE = 2,
};

struct change {
	char *path;		/* absolute, inside the container */
	enum change_kind kind;
};

struct change_list {
	struct change *v;
	size_t n;
};
void change_list_release(struct change_list *l);

struct changes_opts {
	/* xattr marking an opaque directory; NULL: "trusted.overlay.opaque". */
	const char *opaque_xattr;
	/* Absolute paths left out with what is below them: the mount points
	 * the runtime makes in the upper directory (/etc/hosts, /proc, ...),
	 * which Docker keeps in a separate init layer and never reports.  A
	 * directory holding one of them is compared by mode only, since
	 * making the mount point changed its mtime.  May be NULL. */
	char *const *exclude;
};

/* The changes of the upper directory over the lower ones (topmost first). */
int changes_compute(int upper_fd, const int *lower_fds, size_t n_lowers, const struct changes_opts *opts,
		    struct change_list *out, robbe_error **err);
/* The same from paths; lowers is overlay's lowerdir list, "a:b:c", topmost
 * first (NULL or "" for none). */
int changes_compute_paths(const char *upper, const char *lowers, const struct changes_opts *opts,
			  struct change_list *out, robbe_error **err);

/* 'C', 'A' or 'D'. */
char change_kind_letter(enum change_kind k);

#endif
