/* cmd-complete.c: shell completion from the same tables as parsing and help.
 *
 * `robbe __complete WORD... CURRENT` prints one candidate per line,
 * "value<TAB>description", for the last word; a line ":file" or ":dir" asks
 * the shell to complete paths itself.  completions/ holds the thin bash,
 * zsh and fish wrappers.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "compat/cli.h"
#include "src/image.h"

static void push_unique(char ***out, const char *prefix, char *name)
{
	if (str_has_prefix(name, prefix) && !strv_contains(*out, name))
		strv_push_take(out, name);
	else
		free(name);
}

/* Names from the default store: images in familiar form ("busybox:latest"),
 * container names (running ones only for COMPLETE_RUNNING), volume names,
 * network names (bridge, host and none always).  Nothing else when there is
 * no database yet: completion creates nothing. */
void cli_complete_objects(enum opt_complete kind, const char *prefix, char ***out)
{
	struct robbe_paths paths;
	struct store *s = NULL;
	cleanup_free char *db = NULL;
	robbe_error *e = NULL;

	if (paths_init(&paths, NULL, NULL, &e) < 0) {
		robbe_error_free(e);
		return;
	}
	if (kind == COMPLETE_NETWORK) {
		/* Docker's predefined networks exist before any store does. */
		static const char *const predefined[] = { "bridge", "host", "none" };
		for (size_t i = 0; i < ARRAY_SIZE(predefined); i++)
			push_unique(out, prefix, xstrdup(predefined[i]));
	}
	db = paths_db(&paths);
	if (access(db, F_OK) != 0 || store_open(&paths, &s, &e) < 0)
		goto out;
	if (kind == COMPLETE_IMAGE) {
		struct store_image **imgs = NULL;

		if (store_image_list(s, &imgs, &e) == 0)
			for (size_t i = 0; imgs[i]; i++)
				for (size_t k = 0; imgs[i]->names && imgs[i]->names[k]; k++)
					push_unique(out, prefix, image_familiar(imgs[i]->names[k]));
		store_image_list_free(imgs);
	} else if (kind == COMPLETE_CONTAINER || kind == COMPLETE_RUNNING) {
		struct store_container **ctrs = NULL;

		if (store_container_list(s, &ctrs, &e) == 0)
			for (size_t i = 0; ctrs[i]; i++)
				if (kind == COMPLETE_CONTAINER || ctrs[i]->state == STORE_STATE_RUNNING)
					push_unique(out, prefix, xstrdup(ctrs[i]->name));
		store_container_list_free(ctrs);
	} else if (kind == COMPLETE_NETWORK) {
		struct store_network **nets = NULL;

		if (store_network_list(s, &nets, &e) == 0)
			for (size_t i = 0; nets[i]; i++)
				push_unique(out, prefix, xstrdup(nets[i]->name));
		store_network_list_free(nets);
	} else if (kind == COMPLETE_VOLUME) {
		struct store_volume **vols = NULL;

		if (store_volume_list(s, &vols, &e) == 0)
			for (size_t i = 0; vols[i]; i++)
				push_unique(out, prefix, xstrdup(vols[i]->name));
		store_volume_list_free(vols);
	}
out:
	if (s)
		store_close(s);
	robbe_error_free(e);
	paths_release(&paths);
}

static void add(struct sbuf *out, const char *prefix, const char *value, const char *desc)
{
	if (!str_has_prefix(value, prefix))
		return;
	sbuf_adds(out, value);
	if (desc && *desc)
		sbuf_addf(out, "\t%s", desc);
	sbuf_addc(out, '\n');
}

static void add_kind(struct sbuf *out, enum opt_complete kind, const char *choices, const char *lead,
		     const char *prefix)
{
	static const char *const signals[] = {
		"SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGTERM",
		"SIGCONT", "SIGSTOP", "SIGWINCH", NULL,
	};
	cleanup_strv char **names = NULL;
	cleanup_free char *words = NULL;
	char *save = NULL;

	switch (kind) {
	case COMPLETE_NONE:
		return;
	case COMPLETE_FILE:
		sbuf_adds(out, ":file\n");
		return;
	case COMPLETE_DIR:
		sbuf_adds(out, ":dir\n");
		return;
	case COMPLETE_CONTAINER:
	case COMPLETE_RUNNING:
	case COMPLETE_IMAGE:
	case COMPLETE_VOLUME:
	case COMPLETE_NETWORK:
		cli_complete_objects(kind, prefix, &names);
		for (size_t i = 0; names && names[i]; i++) {
			cleanup_free char *v = xasprintf("%s%s", lead, names[i]);
			add(out, prefix, v, NULL);
		}
		return;
	case COMPLETE_SIGNAL:
		for (size_t i = 0; signals[i]; i++) {
			cleanup_free char *v = xasprintf("%s%s", lead, signals[i]);
			add(out, prefix, v, NULL);
		}
		return;
	case COMPLETE_CONTEXT: {
		cleanup_free char *v = xasprintf("%sdefault", lead);
		add(out, prefix, v, NULL);
		return;
	}
	case COMPLETE_WORDS:
		words = xstrdup(choices ? choices : "");
		for (char *w = strtok_r(words, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			cleanup_free char *v = xasprintf("%s%s", lead, w);
			add(out, prefix, v, NULL);
		}
		return;
	}
}

static bool visible(const struct opt_def *d)
{
	return !(d->flags & OPT_HIDDEN) && !d->deprecated && !d->alias_of;
}

static void add_flags(struct sbuf *out, const struct opt_def *const *tables, const char *prefix)
{
	bool shorts = prefix[1] != '-';
	for (size_t t = 0; tables && tables[t]; t++) {
		for (const struct opt_def *d = tables[t]; d->long_name; d++) {
			cleanup_free char *l = xasprintf("--%s", d->long_name);
			if (!visible(d))
				continue;
			add(out, prefix, l, d->help);
			if (shorts && d->short_name) {
				char s[3] = { '-', d->short_name, '\0' };
				add(out, prefix, s, d->help);
			}
		}
	}
	if (!opts_find_long(tables, "help", 4))
		add(out, prefix, "--help", "Show help");
}

void cli_complete(const char *prog, int nwords, char *const *words, struct sbuf *out)
{
	const struct command *cmd = &cli_root, *res = &cli_root;
	const struct opt_def *const *tables = cli_root.opts;
	const struct opt_def *expect = NULL;
	const char *cur = nwords > 0 ? words[nwords - 1] : "";
	bool stop = false;
	int positionals = 0;

	for (int i = 0; i < nwords - 1; i++) {
		const char *w = words[i];
		if (expect) {
			expect = NULL;
			continue;
		}
		if (!stop && strcmp(w, "--") == 0) {
			stop = true;
			continue;
		}
		if (!stop && w[0] == '-' && w[1] == '-') {
			const char *eq = strchr(w + 2, '=');
			const struct opt_def *d = opts_find_long(tables, w + 2, eq ? (size_t) (eq - w - 2) : strlen(w + 2));
			if (d && !eq && opts_takes_value(d))
				expect = d;
			continue;
		}
		if (!stop && w[0] == '-' && w[1]) {
			for (const char *p = w + 1; *p; p++) {
				const struct opt_def *d = opts_find_short(tables, *p);
				if (!d)
					break;
				if (opts_takes_value(d)) {
					if (p[1] == '\0')
						expect = d;
					break;
				}
			}
			continue;
		}
		if (cli_is_group(res)) {
			const struct command *sub = cli_find_sub(res, w);
			if (sub && cli_resolve(sub)) {
				cmd = sub;
				res = cli_resolve(sub);
				tables = res->opts;
				continue;
			}
		}
		positionals++;
		if (res->flags & CMD_STOP_AT_POSITIONAL)
			stop = true;
	}

	if (expect) {
		add_kind(out, expect->complete, expect->choices, "", cur);
		return;
	}
	if (!stop && cur[0] == '-' && cur[1] == '-' && strchr(cur, '=')) {
		const char *eq = strchr(cur, '=');
		const struct opt_def *d = opts_find_long(tables, cur + 2, (size_t) (eq - cur - 2));
		if (d) {
			cleanup_free char *lead = xstrndup(cur, (size_t) (eq - cur) + 1);
			add_kind(out, d->complete, d->choices, lead, cur);
		}
		return;
	}
	if (!stop && cur[0] == '-') {
		add_flags(out, tables, cur);
		return;
	}
	if (cli_is_group(res)) {
		for (const struct command *s = res->subcommands; s && s->name; s++) {
			const struct command *r = cli_resolve(s);
			if (r && cli_listed(s, prog))
				add(out, cur, s->name, r->short_help);
		}
		return;
	}
	(void) cmd;
	/* After IMAGE (run, create) or CONTAINER (exec) comes a command line. */
	if ((res->flags & CMD_STOP_AT_POSITIONAL) && positionals >= 1) {
		sbuf_adds(out, ":file\n");
		return;
	}
	add_kind(out, positionals >= 1 && res->complete_rest != COMPLETE_NONE ? res->complete_rest : res->complete,
		 NULL, "", cur);
}

int cmd_complete(struct cli_ctx *ctx, robbe_error **err)
{
	struct sbuf out = SBUF_INIT;
	char *empty[] = { (char *) "", NULL };
	if (ctx->argc == 0)
		cli_complete(ctx->prog, 1, empty, &out);
	else
		cli_complete(ctx->prog, ctx->argc, ctx->argv, &out);
	fputs(sbuf_str(&out), stdout);
	sbuf_release(&out);
	return 0;
}
