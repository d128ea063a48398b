/* cmd-image-cmds.h: handlers of the image commands (pull, images, rmi, tag,
 * image inspect, inspect, history, image prune, image exists), and the
 * pull display other commands reuse (run/create pull missing images). */
#ifndef ROBBE_CMD_IMAGE_CMDS_H
#define ROBBE_CMD_IMAGE_CMDS_H

#include "compat/cli.h"

int cmd_image_pull(struct cli_ctx *ctx, robbe_error **err);
int cmd_image_ls(struct cli_ctx *ctx, robbe_error **err);
int cmd_image_rm(struct cli_ctx *ctx, robbe_error **err);
int cmd_image_tag(struct cli_ctx *ctx, robbe_error **err);
int cmd_image_inspect(struct cli_ctx *ctx, robbe_error **err);
int cmd_image_history(struct cli_ctx *ctx, robbe_error **err);
int cmd_image_prune(struct cli_ctx *ctx, robbe_error **err);
int cmd_image_exists(struct cli_ctx *ctx, robbe_error **err);
/* `docker inspect` without a group: containers first, then images. */
int cmd_inspect(struct cli_ctx *ctx, robbe_error **err);

/* Pull with Docker's display on `out` (a live one when out is a terminal,
 * plain lines otherwise, nothing when quiet), as `docker pull` and
 * `docker run` for a missing image show it; ends with "Digest:" and
 * "Status:" lines (not the final reference line: `docker pull` prints that
 * itself).  Errors are worded as Docker prints them (with "Error response
 * from daemon: " where the daemon would answer before any output). */
struct image_env;
struct store_image;
int cli_image_pull(struct image_env *env, const char *ref, const char *platform, bool quiet, FILE *out,
		   struct store_image **img, robbe_error **err);

/* The same display for a pull that happens inside another command (run and
 * create pulling a missing image, on stderr): hand its events to the engine,
 * name the image once the pull is known to happen, and the display ends
 * with Docker's "Status: ... for <image>" line. */
struct cli_pull_display;
struct image_pull_events;
struct cli_pull_display *cli_pull_display_new(FILE *out, bool quiet);
void cli_pull_display_events(struct cli_pull_display *d, struct image_pull_events *ev);
void cli_pull_display_status_for(struct cli_pull_display *d, const char *user_ref);
void cli_pull_display_free(struct cli_pull_display *d);

#endif
