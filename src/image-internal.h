/* image-internal.h: what the image*.c files share.  Not for callers
 * outside the image engine. */
#ifndef ROBBE_IMAGE_INTERNAL_H
#define ROBBE_IMAGE_INTERNAL_H

#include "image.h"

/* The exclusive image lock, without waiting: 1 taken, 0 busy (see image.h). */
int image_env_try_lock_exclusive(struct image_env *env, robbe_error **err);
/* Docker's size of an extracted layer: the sizes of everything but
 * directories, files with several links counted once. */
int image_layer_disk_size(struct image_env *env, const char *chain_id, int64_t *size, robbe_error **err);

#endif
