/* test-exec: the process object docker exec hands to runc (exec_process_spec). */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cJSON.h"
#include "src/exec.h"
#include "tap.h"

static const char *container_process =
	"{\"terminal\":false,\"consoleSize\":{\"height\":10,\"width\":20},"
	"\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sleep\",\"100\"],"
	"\"env\":[\"PATH=/bin\",\"KEEP=1\",\"DROP=2\",\"OVER=old\"],\"cwd\":\"/srv\","
	"\"capabilities\":{\"bounding\":[\"CAP_CHOWN\"],\"effective\":[\"CAP_CHOWN\"]},"
	"\"noNewPrivileges\":true}";

static char *env_joined(const cJSON *p)
{
	struct sbuf sb = SBUF_INIT;
	const cJSON *e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "env"))
		sbuf_addf(&sb, "%s;", e->valuestring);
	return sbuf_detach(&sb);
}

static const char *str_at(const cJSON *p, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, key);
	return cJSON_IsString(v) ? v->valuestring : "(none)";
}

static long num_at(const cJSON *p, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(p, a), b);
	return cJSON_IsNumber(v) ? (long) v->valuedouble : -1;
}

int main(void)
{
	cleanup_cjson cJSON *base = cJSON_Parse(container_process);
	char rootfs[] = "/tmp/test-exec-XXXXXX";
	char *argv[] = { "id", "-u", NULL };
	char *env[] = { "NEW=n", "OVER=new", "DROP", NULL };
	robbe_error *err = NULL;

	if (!mkdtemp(rootfs))
		return 1;
	{
		char *etc = xasprintf("%s/etc", rootfs), *pw = xasprintf("%s/etc/passwd", rootfs),
		     *gr = xasprintf("%s/etc/group", rootfs);
		const char *passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
		const char *group = "root:x:0:\nnogroup:x:65534:\nextra:x:77:nobody\n";
		mkdir_p(etc, 0755, NULL);
		write_file_atomic(pw, passwd, strlen(passwd), 0644, NULL);
		write_file_atomic(gr, group, strlen(group), 0644, NULL);
		free(etc);
		free(pw);
		free(gr);
	}

	/* Plain: args replaced, everything else the container's. */
	{
		struct exec_request req = { .argv = argv };
		cJSON *p = NULL;
		char *e;
		ok(exec_process_spec(base, rootfs, &req, &p, &err) == 0, "plain request");
		is_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "args"), 0)->valuestring, "id", "args[0]");
		is_int(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "args")), 2, "two args");
		e = env_joined(p);
		is_str(e, "PATH=/bin;KEEP=1;DROP=2;OVER=old;", "env kept");
		free(e);
		is_str(str_at(p, "cwd"), "/srv", "cwd kept");
		ok(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(p, "terminal")), "no terminal");
		ok(!cJSON_GetObjectItemCaseSensitive(p, "consoleSize"), "consoleSize dropped");
		is_int(num_at(p, "user", "uid"), 0, "user kept");
		is_int(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
			       cJSON_GetObjectItemCaseSensitive(p, "capabilities"), "bounding")), 1, "caps kept");
		ok(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "noNewPrivileges")), "noNewPrivileges kept");
		cJSON_Delete(p);
	}

	/* Everything asked for. */
	{
		struct exec_request req = { .argv = argv, .env = env, .workdir = "/etc", .user = "nobody",
					    .tty = true, .privileged = true };
		cJSON *p = NULL;
		char *e;
		ok(exec_process_spec(base, rootfs, &req, &p, &err) == 0, "full request");
		e = env_joined(p);
		is_str(e, "PATH=/bin;KEEP=1;NEW=n;OVER=new;TERM=xterm;", "env overlaid, bare name removes, TERM added");
		free(e);
		is_str(str_at(p, "cwd"), "/etc", "-w");
		ok(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "terminal")), "terminal");
		is_int(num_at(p, "user", "uid"), 65534, "-u nobody uid");
		is_int(num_at(p, "user", "gid"), 65534, "-u nobody gid");
		{
			const cJSON *g = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(p, "user"),
									  "additionalGids");
			bool has77 = false;
			const cJSON *x;
			cJSON_ArrayForEach(x, g)
				if (cJSON_IsNumber(x) && x->valuedouble == 77)
					has77 = true;
			ok(has77, "group membership from /etc/group");
		}
		ok(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(p, "capabilities"),
									 "effective")) >= 1,
		   "privileged caps present");
		cJSON_Delete(p);
	}

	/* TERM given by the user is kept; numeric users need no passwd entry. */
	{
		char *env2[] = { "TERM=vt100", NULL };
		struct exec_request req = { .argv = argv, .env = env2, .user = "1234:5678", .tty = true };
		cJSON *p = NULL;
		char *e;
		ok(exec_process_spec(base, rootfs, &req, &p, &err) == 0, "numeric user");
		e = env_joined(p);
		ok(strstr(e, "TERM=vt100;") && !strstr(e, "TERM=xterm"), "TERM kept: %s", e);
		free(e);
		is_int(num_at(p, "user", "uid"), 1234, "uid");
		is_int(num_at(p, "user", "gid"), 5678, "gid");
		cJSON_Delete(p);
	}

	/* An unknown user is Docker's error. */
	{
		struct exec_request req = { .argv = argv, .user = "ghost" };
		cJSON *p = NULL;
		ok(exec_process_spec(base, rootfs, &req, &p, &err) < 0, "unknown user fails");
		ok(err && strstr(err->msg, "unable to find user ghost"), "message: %s", err ? err->msg : "");
		robbe_error_free(err);
		err = NULL;
	}

	rm_rf_at(AT_FDCWD, rootfs, NULL);
	return tap_done();
}
