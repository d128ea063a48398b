/* cmd-unshare.h: `robbe unshare` (Podman's `podman unshare`). */
#ifndef ROBBE_CMD_UNSHARE_H
#define ROBBE_CMD_UNSHARE_H

#include "compat/cli.h"

/* Run the command (default $SHELL) in robbe's user and mount namespaces,
 * as root there.  Rootless only. */
int cmd_unshare(struct cli_ctx *ctx, robbe_error **err);

#endif
