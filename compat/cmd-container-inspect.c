/* cmd-container-inspect.c: `docker container inspect`, the container side
 * of the bare `docker inspect` (whose handler, trying containers and then
 * images, lives with the image commands), `docker port` and Podman's
 * `container exists`. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "compat/cmd-container-list.h"
#include "compat/format.h"
#include "src/container-inspect.h"
#include "src/network.h"

/* Lines of errors, printed after the objects, as Docker collects them. */
static void add_error_line(struct sbuf *errs, const char *msg)
{
	if (errs->len)
		sbuf_addc(errs, '\n');
	sbuf_adds(errs, msg);
}

/* A bad template is refused before anything is looked up (exit 64). */
static int check_inspect_format(const char *format, robbe_error **err)
{
	struct tmpl *t = NULL;
	robbe_error *e = NULL;

	if (!format || !*format || strcmp(format, "json") == 0)
		return 0;
	if (tmpl_parse(format, &t, &e) < 0) {
		robbe_error_set(err, EXIT_TEMPLATE, "template parsing error: %s", e->msg);
		robbe_error_free(e);
		return -1;
	}
	tmpl_free(t);
	return 0;
}

/* Print the objects, then fail with every error met (lookups first, then
 * templates that failed on an object). */
static int inspect_print(const char *format, const cJSON *found, struct sbuf *errs, robbe_error **err)
{
	struct sbuf out = SBUF_INIT;
	robbe_error *ferr = NULL;

	if (format_inspect_sbuf(format, found, &out, &ferr) < 0) {
		if (ferr->status == EXIT_TEMPLATE) {
			sbuf_release(&out);
			*err = ferr;
			return -1;
		}
		add_error_line(errs, ferr->msg);
		robbe_error_free(ferr);
	}
	fwrite(sbuf_str(&out), 1, out.len, stdout);
	fflush(stdout);
	sbuf_release(&out);
	if (errs->len) {
		robbe_error_set(err, EXIT_GENERAL, "%s", sbuf_str(errs));
		sbuf_release(errs);
		return -1;
	}
	return 0;
}

static int inspect_one_container(struct container_env *env, const char *ref, bool size, cJSON **out,
				 robbe_error **err)
{
	cleanup_store_container struct store_container *c = NULL;

	if (container_lookup(env, ref, &c, err) < 0)
		return -1;
	return container_inspect_json(env->store, c, size, out, err);
}

int cmd_container_inspect(struct cli_ctx *ctx, robbe_error **err)
{
	const char *format = opts_str(ctx->opts, "format");
	bool size = opts_bool(ctx->opts, "size");
	cleanup_container_env struct container_env *env = NULL;
	cleanup_cjson cJSON *found = cJSON_CreateArray();
	cleanup_sbuf struct sbuf errs = SBUF_INIT;

	if (check_inspect_format(format, err) < 0 || cli_container_env(ctx, &env, err) < 0)
		return -1;
	for (int i = 0; i < ctx->argc; i++) {
		robbe_error *e = NULL;
		cJSON *obj = NULL;

		if (inspect_one_container(env, ctx->argv[i], size, &obj, &e) < 0) {
			cli_daemon_error(&e);
			add_error_line(&errs, e->msg);
			robbe_error_free(e);
			continue;
		}
		cJSON_AddItemToArray(found, obj);
	}
	return inspect_print(format, found, &errs, err);
}

/* ---- the container hook of `docker inspect` ---------------------------- */

int ctrcmd_inspect_container(struct cli_ctx *ctx, const char *ref, bool size, cJSON **obj, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	robbe_error *e = NULL;

	*obj = NULL;
	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (inspect_one_container(env, ref, size, obj, &e) == 0)
		return 1;
	/* Docker moves on to images when the daemon says "not found" */
	if (e->errnum == ENOENT) {
		robbe_error_free(e);
		return 0;
	}
	*err = e;
	return cli_daemon_error(err);
}

/* ---- docker port -------------------------------------------------------- */

static void join_host_port(struct sbuf *sb, const char *ip, const char *port)
{
	if (strchr(ip, ':'))
		sbuf_addf(sb, "[%s]:%s", ip, port);
	else
		sbuf_addf(sb, "%s:%s", ip, port);
}

/* sortorder.NaturalLess: runs of digits compare as numbers. */
static int natural_cmp(const void *pa, const void *pb)
{
	const char *a = *(char *const *) pa, *b = *(char *const *) pb;

	while (*a && *b) {
		if (isdigit((unsigned char) *a) && isdigit((unsigned char) *b)) {
			const char *ea = a, *eb = b;
			size_t la, lb;
			int c;
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			while (isdigit((unsigned char) *ea))
				ea++;
			while (isdigit((unsigned char) *eb))
				eb++;
			la = (size_t) (ea - a);
			lb = (size_t) (eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			c = strncmp(a, b, la);
			if (c)
				return c;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char) *a < (unsigned char) *b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static const char *binding_str(const cJSON *b, const char *key)
{
	const char *v = container_config_str(b, NULL, key);
	return v ? v : "";
}

int cmd_container_port(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	cleanup_cjson cJSON *config = NULL;
	cleanup_cjson cJSON *settings = NULL;
	cleanup_strv char **out = NULL;
	const cJSON *ports, *p, *b;
	size_t n;

	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (container_lookup(env, ctx->argv[0], &c, err) < 0)
		return cli_daemon_error(err);
	config = container_config(c);
	/* The ports it holds now, from its network attachments. */
	if (network_settings_json(env->store, c, config, &settings, err) < 0)
		return cli_daemon_error(err);
	ports = cJSON_GetObjectItemCaseSensitive(settings, "Ports");
	if (ctx->argc > 1) {
		const char *arg = ctx->argv[1], *slash = strchr(arg, '/');
		cleanup_free char *port = slash ? xstrndup(arg, (size_t) (slash - arg)) : xstrdup(arg);
		cleanup_free char *key = xasprintf("%s/%s", port, slash && slash[1] ? slash + 1 : "tcp");
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(port, &end, 10);
		if (!*port || *end || !isdigit((unsigned char) port[0]))
			return robbe_error_set(err, EXIT_GENERAL,
					       "Error: invalid port (%s): strconv.ParseUint: parsing \"%s\": invalid syntax",
					       port, port);
		if (errno == ERANGE || v > 65535)
			return robbe_error_set(err, EXIT_GENERAL,
					       "Error: invalid port (%s): strconv.ParseUint: parsing \"%s\": value out of range",
					       port, port);
		p = cJSON_GetObjectItemCaseSensitive(ports, key);
		if (!cJSON_IsArray(p) || cJSON_GetArraySize(p) == 0)
			return robbe_error_set(err, EXIT_GENERAL, "Error: No public port '%s' published for %s", arg,
					       ctx->argv[0]);
		cJSON_ArrayForEach(b, p) {
			struct sbuf sb = SBUF_INIT;
			join_host_port(&sb, binding_str(b, "HostIp"), binding_str(b, "HostPort"));
			strv_push_take(&out, sbuf_detach(&sb));
		}
	} else {
		cJSON_ArrayForEach(p, ports) {
			cJSON_ArrayForEach(b, p) {
				struct sbuf sb = SBUF_INIT;
				sbuf_addf(&sb, "%s -> ", p->string);
				join_host_port(&sb, binding_str(b, "HostIp"), binding_str(b, "HostPort"));
				strv_push_take(&out, sbuf_detach(&sb));
			}
		}
	}
	n = strv_len(out);
	if (n > 1)
		qsort(out, n, sizeof(*out), natural_cmp);
	for (size_t i = 0; i < n; i++)
		printf("%s\n", out[i]);
	return 0;
}

/* ---- container exists (Podman) ------------------------------------------ */

int cmd_container_exists(struct cli_ctx *ctx, robbe_error **err)
{
	cleanup_container_env struct container_env *env = NULL;
	cleanup_store_container struct store_container *c = NULL;
	robbe_error *e = NULL;

	if (cli_container_env(ctx, &env, err) < 0)
		return -1;
	if (container_lookup(env, ctx->argv[0], &c, &e) == 0)
		return 0;
	if (e->errnum == ENOENT) {
		robbe_error_free(e);
		return 1;
	}
	*err = e;
	if ((*err)->status == 0 || (*err)->status == EXIT_GENERAL)
		(*err)->status = EXIT_ENGINE;
	return -1;
}
