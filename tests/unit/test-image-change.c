/* test-image-change: --change Dockerfile instructions on an image config. */
#include "config.h"

#include <string.h>

#include "src/image-change.h"
#include "tap.h"

/* Apply changes to an empty config; the JSON of one field (or NULL), and
 * the error message on failure in *errmsg. */
static char *apply(char *const *changes, const char *field, char **errmsg)
{
	cJSON *c = image_change_empty_config();
	robbe_error *err = NULL;
	char *out = NULL;

	*errmsg = NULL;
	if (image_change_apply(c, changes, &err) < 0) {
		*errmsg = xstrdup(err->msg);
		robbe_error_free(err);
	} else if (field) {
		out = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(c, field));
	} else {
		out = cJSON_PrintUnformatted(c);
	}
	cJSON_Delete(c);
	return out;
}

static void check(const char *name, char *const *changes, const char *field, const char *want)
{
	char *e;
	char *got = apply(changes, field, &e);
	if (e)
		printf("# error: %s\n", e);
	is_str(got, want, "%s", name);
	free(got);
	free(e);
}

static void check_err(const char *name, char *const *changes, const char *want)
{
	char *e;
	char *got = apply(changes, NULL, &e);
	is_str(e, want, "%s", name);
	free(got);
	free(e);
}

#define V(...) ((char *const[]){ __VA_ARGS__, NULL })

int main(void)
{
	char *e;
	char *s = apply(NULL, NULL, &e);

	is_str(s,
	       "{\"Hostname\":\"\",\"Domainname\":\"\",\"User\":\"\",\"AttachStdin\":false,\"AttachStdout\":false,"
	       "\"AttachStderr\":false,\"Tty\":false,\"OpenStdin\":false,\"StdinOnce\":false,\"Env\":null,"
	       "\"Cmd\":null,\"Image\":\"\",\"Volumes\":null,\"WorkingDir\":\"\",\"Entrypoint\":null,"
	       "\"OnBuild\":null,\"Labels\":null}",
	       "no changes: Docker's zero config");
	free(s);

	check("CMD exec form", V("CMD [\"sh\", \"-c\", \"echo hi\"]"), "Cmd", "[\"sh\",\"-c\",\"echo hi\"]");
	check("CMD shell form", V("CMD echo $HOME"), "Cmd", "[\"/bin/sh\",\"-c\",\"echo $HOME\"]");
	check("cmd is case-insensitive", V("cmd [\"top\"]"), "Cmd", "[\"top\"]");
	check("CMD broken JSON is shell form", V("CMD [\"a\","), "Cmd", "[\"/bin/sh\",\"-c\",\"[\\\"a\\\",\"]");
	check("CMD given with ENTRYPOINT stays", V("CMD [\"x\"]", "ENTRYPOINT [\"/e\"]"), "Cmd", "[\"x\"]");
	check("ENTRYPOINT sets", V("ENTRYPOINT /bin/sh"), "Entrypoint", "[\"/bin/sh\",\"-c\",\"/bin/sh\"]");
	check("ENV pairs", V("ENV A=1 B=\"two words\" C='$A'"), "Env", "[\"A=1\",\"B=two words\",\"C=$A\"]");
	check("ENV legacy form", V("ENV PATH /usr/bin:/bin"), "Env", "[\"PATH=/usr/bin:/bin\"]");
	check("ENV replaces and expands", V("ENV A=1", "ENV A=${A}2 B=$A"), "Env", "[\"A=12\",\"B=1\"]");
	check("ENV default expansion", V("ENV B=${NOPE:-dflt}"), "Env", "[\"B=dflt\"]");
	check("LABEL", V("LABEL a=b \"c d\"=e", "LABEL a=z"), "Labels", "{\"c d\":\"e\",\"a\":\"z\"}");
	check("EXPOSE", V("EXPOSE 80 53/UDP 8000-8001"), "ExposedPorts",
	      "{\"80/tcp\":{},\"53/udp\":{},\"8000/tcp\":{},\"8001/tcp\":{}}");
	check("VOLUME JSON", V("VOLUME [\"/a\", \"/b\"]"), "Volumes", "{\"/a\":{},\"/b\":{}}");
	check("VOLUME words", V("VOLUME /data /logs"), "Volumes", "{\"/data\":{},\"/logs\":{}}");
	check("WORKDIR relative", V("WORKDIR /srv", "WORKDIR app/../web"), "WorkingDir", "\"/srv/web\"");
	check("USER", V("USER nobody:nogroup"), "User", "\"nobody:nogroup\"");
	check("STOPSIGNAL", V("STOPSIGNAL SIGKILL"), "StopSignal", "\"SIGKILL\"");
	check("ONBUILD", V("onbuild run echo hi"), "OnBuild", "[\"RUN echo hi\"]");
	check("HEALTHCHECK", V("HEALTHCHECK --interval=5s --retries=2 CMD true"), "Healthcheck",
	      "{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":5000000000,\"Retries\":2}");
	check("HEALTHCHECK NONE", V("HEALTHCHECK NONE"), "Healthcheck", "{\"Test\":[\"NONE\"]}");
	check("line continuation", V("LABEL a=1 \\", "  b=2"), "Labels", "{\"a\":\"1\",\"b\":\"2\"}");
	check("comments and blank lines", V("# hi", "", "USER x"), "User", "\"x\"");

	/* Omitted keys appear in Docker's place. */
	s = apply(V("STOPSIGNAL 9", "EXPOSE 1"), NULL, &e);
	ok(s && strstr(s, "\"AttachStderr\":false,\"ExposedPorts\":{\"1/tcp\":{}},\"Tty\"") &&
		   strstr(s, "\"Labels\":null,\"StopSignal\":\"9\"}"),
	   "keys in Docker's order");
	free(s);

	check_err("RUN refused", V("RUN echo"), "run is not a valid change command");
	check_err("FROM refused even after good lines", V("USER x", "FROM busybox"),
		  "from is not a valid change command");
	check_err("ONBUILD ONBUILD", V("ONBUILD ONBUILD RUN x"), "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
	check_err("bad signal", V("STOPSIGNAL SIGNOPE"), "Invalid signal: SIGNOPE");
	check_err("bad port", V("EXPOSE 99999"), "invalid containerPort: 99999");
	check_err("unterminated quote", V("ENV A=\"x"),
		  "unexpected end of statement while looking for matching quote");
	check_err("ENV without value", V("ENV A"), "ENV must have two arguments");
	check_err("empty CMD", V("CMD"), "CMD requires at least one argument");

	/* ENTRYPOINT alone drops the Cmd the image had. */
	{
		cJSON *c0 = image_change_empty_config();
		robbe_error *e0 = NULL;
		cJSON_ReplaceItemInObjectCaseSensitive(c0, "Cmd", cJSON_CreateStringArray((const char *[]){ "old" }, 1));
		ok(image_change_apply(c0, V("ENTRYPOINT [\"/e\"]"), &e0) == 0 &&
			   cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(c0, "Cmd")),
		   "ENTRYPOINT clears an older Cmd");
		robbe_error_free(e0);
		cJSON_Delete(c0);
	}

	/* A failing change leaves the config as it was. */
	cJSON *c = image_change_empty_config();
	robbe_error *err = NULL;
	ok(image_change_apply(c, V("USER a", "EXPOSE x"), &err) < 0, "failure reported");
	robbe_error_free(err);
	is_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "User")), "", "config untouched on failure");
	cJSON_Delete(c);

	return tap_done();
}
