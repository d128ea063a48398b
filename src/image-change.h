/* image-change.h: Dockerfile instructions applied to an image's runtime
 * config, as `docker import --change` and `docker commit --change` do.
 *
 * The config is the "config" object of an image config (Docker's
 * container.Config: Cmd, Entrypoint, Env, Labels, ...).  Changes are
 * Dockerfile lines; together they form one small Dockerfile, so a line
 * may continue on the next with a trailing backslash.  Accepted: CMD,
 * ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER,
 * VOLUME, WORKDIR.  Anything else fails with Docker's
 * "<cmd> is not a valid change command".
 */
#ifndef ROBBE_IMAGE_CHANGE_H
#define ROBBE_IMAGE_CHANGE_H

#include "util.h"

/* The config of an image made outside a build: every field of Docker's
 * container.Config at its zero value, in Docker's key order. */
cJSON *image_change_empty_config(void);

/* Apply changes (may be NULL or empty) to config in place.  Nothing is
 * changed when an instruction fails. */
int image_change_apply(cJSON *config, char *const *changes, robbe_error **err);

#endif
