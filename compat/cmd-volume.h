/* cmd-volume.h: the handlers of the `volume` group (rows in cmd-network.c). */
#ifndef ROBBE_CMD_VOLUME_H
#define ROBBE_CMD_VOLUME_H

#include "compat/cli.h"

int cmd_volume_create(struct cli_ctx *ctx, robbe_error **err);
int cmd_volume_exists(struct cli_ctx *ctx, robbe_error **err);
int cmd_volume_inspect(struct cli_ctx *ctx, robbe_error **err);
int cmd_volume_ls(struct cli_ctx *ctx, robbe_error **err);
int cmd_volume_prune(struct cli_ctx *ctx, robbe_error **err);
int cmd_volume_rm(struct cli_ctx *ctx, robbe_error **err);

/* Docker's natural order of names ("v2" before "v10"), as `volume ls`
 * sorts. */
bool volume_name_less(const char *a, const char *b);

#endif
