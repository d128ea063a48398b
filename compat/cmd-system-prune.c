/* cmd-system-prune.c: docker system prune — stopped containers, unused
 * networks, (with --volumes) unused anonymous volumes, and dangling (with
 * -a, unused) images, in Docker's order and words, one total at the end. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "compat/cli.h"
#include "compat/format.h"
#include "src/volume.h"

static int prune_volumes(struct cli_ctx *ctx, char *const *filters, struct sbuf *deleted, int64_t *reclaimed,
			 robbe_error **err)
{
	struct volume_prune_report rep = { 0 };
	const struct robbe_paths *p;
	struct store *s;

	if (cli_paths(ctx, &p, err) < 0 || cli_store(ctx, &s, err) < 0)
		return -1;
	if (volume_prune(s, p, filters, false, &rep, err) < 0)
		return cli_daemon_error(err);
	for (size_t i = 0; rep.deleted && rep.deleted[i]; i++)
		sbuf_addf(deleted, "%s\n", rep.deleted[i]);
	*reclaimed += rep.reclaimed;
	volume_prune_report_release(&rep);
	return 0;
}

static void print_section(const char *title, const struct sbuf *items)
{
	if (items->len)
		printf("Deleted %s:\n%s\n", title, sbuf_str(items));
}

int cmd_system_prune(struct cli_ctx *ctx, robbe_error **err)
{
	char *const *filters = opts_list(ctx->opts, "filter");
	bool all = opts_bool(ctx->opts, "all"), volumes = opts_bool(ctx->opts, "volumes");
	cleanup_sbuf struct sbuf question = SBUF_INIT;
	cleanup_sbuf struct sbuf containers = SBUF_INIT, networks = SBUF_INIT, vols = SBUF_INIT, images = SBUF_INIT;
	cleanup_free char *total = NULL;
	int64_t reclaimed = 0;

	if (volumes) {
		for (size_t i = 0; filters[i]; i++)
			if (str_has_prefix(filters[i], "until=") || !strcmp(filters[i], "until"))
				return robbe_error_set(err, EXIT_GENERAL,
						       "ERROR: The \"until\" filter is not supported with \"--volumes\"");
	}
	sbuf_adds(&question, "WARNING! This will remove:\n"
			     "  - all stopped containers\n"
			     "  - all networks not used by at least one container\n");
	if (volumes)
		sbuf_adds(&question, "  - all anonymous volumes not used by at least one container\n");
	sbuf_adds(&question, all ? "  - all images without at least one container associated to them\n"
				 "  - all build cache\n"
			       : "  - all dangling images\n"
				 "  - unused build cache\n");
	sbuf_adds(&question, "\nAre you sure you want to continue?");
	if (!opts_bool(ctx->opts, "force") && !cli_confirm(sbuf_str(&question)))
		return 0;	/* cancelled: nothing more is said, status 0 */

	if (ctrcmd_prune(ctx, filters, &containers, &reclaimed, err) < 0 ||
	    netcmd_prune(ctx, filters, &networks, err) < 0 ||
	    (volumes && prune_volumes(ctx, filters, &vols, &reclaimed, err) < 0) ||
	    imgcmd_prune(ctx, all, filters, &images, &reclaimed, err) < 0)
		return -1;
	print_section("Containers", &containers);
	print_section("Networks", &networks);
	print_section("Volumes", &vols);
	print_section("Images", &images);
	total = human_size_prec((double) reclaimed, 4);
	printf("Total reclaimed space: %s\n", total);
	return fflush(stdout) == 0 ? 0 : robbe_error_errno(err, errno, "writing output");
}
