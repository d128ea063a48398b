/* test-auth.c: credentials in Docker's config.json, credential helpers and
 * Podman's auth.json, in a private temporary $DOCKER_CONFIG. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "auth.h"
#include "tests/unit/tap.h"

static char root[] = "/tmp/robbe-test-auth.XXXXXX";

static void write_text(const char *path, const char *text, int mode)
{
	robbe_error *err = NULL;
	if (write_file_atomic(path, text, strlen(text), mode, &err) < 0) {
		printf("# cannot write %s: %s\n", path, err->msg);
		robbe_error_free(err);
	}
}

static char *read_text(const char *path)
{
	char *data = NULL;
	robbe_error *err = NULL;
	if (read_file_all(path, 1 << 20, &data, NULL, &err) < 0) {
		robbe_error_free(err);
		return NULL;
	}
	return data;
}

static char *under(const char *rel)
{
	return xasprintf("%s/%s", root, rel);
}

/* A credential helper speaking Docker's protocol, keeping one file per server. */
static void install_helper(void)
{
	cleanup_free char *bin = under("bin");
	cleanup_free char *store = under("helper-store");
	cleanup_free char *helper = under("bin/docker-credential-robbetest");
	cleanup_free char *path = xasprintf("%s:%s", bin, getenv("PATH"));
	cleanup_free char *script = xasprintf(
		"#!/bin/sh\n"
		"store=%s\n"
		"input=$(cat)\n"
		"case \"$1\" in\n"
		"store) server=$(printf '%%s' \"$input\" | sed -n 's/.*\"ServerURL\":\"\\([^\"]*\\)\".*/\\1/p')\n"
		"       key=$(printf '%%s' \"$server\" | tr -c 'a-zA-Z0-9.' _)\n"
		"       printf '%%s\\n' \"$input\" > \"$store/$key\" ;;\n"
		"get|erase) key=$(printf '%%s' \"$input\" | tr -c 'a-zA-Z0-9.' _)\n"
		"       if [ ! -f \"$store/$key\" ]; then echo 'credentials not found in native keychain'; exit 1; fi\n"
		"       if [ \"$1\" = get ]; then cat \"$store/$key\"; else rm \"$store/$key\"; fi ;;\n"
		"*) echo \"bad action $1\"; exit 2 ;;\n"
		"esac\n",
		store);
	robbe_error *err = NULL;

	mkdir_p(bin, 0700, &err);
	mkdir_p(store, 0700, &err);
	write_text(helper, script, 0755);
	setenv("PATH", path, 1);
}

static void test_base64(void)
{
	size_t len = 0;
	cleanup_free char *e = auth_base64_encode("user:pass", 9);
	cleanup_free char *d = auth_base64_decode("dXNlcjpwYXNz", &len);
	cleanup_free char *d1 = auth_base64_decode("YQ==", &len);

	is_str(e, "dXNlcjpwYXNz", "base64 encode");
	is_str(d, "user:pass", "base64 decode");
	is_str(d1, "a", "base64 decode with padding");
	is_int((long long) len, 1, "decoded length excludes padding");
	ok(auth_base64_decode("abc", &len) == NULL, "bad base64 length refused");
}

static void test_paths(void)
{
	cleanup_free char *dc = under("docker");
	cleanup_free char *want = xasprintf("%s/config.json", dc);
	cleanup_free char *p = NULL;
	cleanup_free char *k1 = auth_server_key("docker.io");
	cleanup_free char *k2 = auth_server_key("127.0.0.1:5000");

	setenv("DOCKER_CONFIG", dc, 1);
	p = auth_docker_config_path();
	is_str(p, want, "$DOCKER_CONFIG/config.json");
	is_str(k1, "https://index.docker.io/v1/", "Docker Hub key");
	is_str(k2, "127.0.0.1:5000", "other registries use the domain");
}

static void test_store_lookup_erase(void)
{
	cleanup_free char *cfg = auth_docker_config_path();
	struct auth_credentials c;
	robbe_error *err = NULL;
	struct stat st;

	ok(auth_lookup("127.0.0.1:5000", &c, &err) == 0, "nothing stored yet (no config.json)");

	/* Other keys of an existing config survive a login. */
	cleanup_free char *dcdir = under("docker");
	mkdir_p(dcdir, 0700, &err);
	write_text(cfg, "{\"psFormat\": \"table {{.ID}}\", \"auths\": {\"other.example\": {\"auth\": \"b3RoZXI6c2VjcmV0\"}}}",
		   0644);
	cleanup_free char *where = NULL;
	ok(auth_store("127.0.0.1:5000", "user", "pass", &where, &err) == 0, "store in config.json");
	is_str(where, cfg, "stored in config.json");
	ok(stat(cfg, &st) == 0 && (st.st_mode & 0777) == 0600, "config.json is mode 0600");
	cleanup_free char *text = read_text(cfg);
	ok(text && strstr(text, "\"psFormat\"") != NULL, "other keys kept");
	ok(text && strstr(text, "other.example") != NULL, "other registries kept");
	ok(text && strstr(text, "\"127.0.0.1:5000\"") && strstr(text, "dXNlcjpwYXNz"), "auth entry written");

	ok(auth_lookup("127.0.0.1:5000", &c, &err) == 1, "lookup finds the login");
	is_str(c.username, "user", "username");
	is_str(c.secret, "pass", "password");
	is_str(c.source, cfg, "source is config.json");
	auth_credentials_release(&c);
	ok(auth_lookup("other.example", &c, &err) == 1 && strcmp(c.secret, "secret") == 0, "pre-existing entry");
	auth_credentials_release(&c);

	ok(auth_store("docker.io", "hubuser", "hubpass", NULL, &err) == 0, "store for docker.io");
	free(text);
	text = read_text(cfg);
	ok(text && strstr(text, "\"https://index.docker.io/v1/\""), "docker.io filed under its legacy key");
	ok(auth_lookup("docker.io", &c, &err) == 1 && strcmp(c.username, "hubuser") == 0, "docker.io lookup");
	auth_credentials_release(&c);
	ok(auth_lookup("index.docker.io", &c, &err) == 1, "index.docker.io is the same registry");
	auth_credentials_release(&c);

	ok(auth_erase("127.0.0.1:5000", &err) == 1, "erase");
	ok(auth_lookup("127.0.0.1:5000", &c, &err) == 0, "gone after erase");
	ok(auth_erase("127.0.0.1:5000", &err) == 0, "erase again: nothing to do");
	ok(auth_lookup("docker.io", &c, &err) == 1, "erase left docker.io alone");
	auth_credentials_release(&c);
	ok(err == NULL, "no stray error");
	robbe_error_free(err);
}

static void test_bad_entry(void)
{
	cleanup_free char *dir = under("bad");
	cleanup_free char *cfg = under("bad/config.json");
	cleanup_free char *good = under("docker");
	struct auth_credentials c;
	robbe_error *err = NULL;

	mkdir_p(dir, 0700, &err);
	setenv("DOCKER_CONFIG", dir, 1);
	write_text(cfg, "{\"auths\": {\"bad.example\": {\"auth\": \"bm9jb2xvbg==\"}}}", 0600);
	ok(auth_lookup("bad.example", &c, &err) < 0 && err && strstr(err->msg, "invalid auth entry"),
	   "auth without a colon is an error");
	robbe_error_free(err);
	err = NULL;
	write_text(cfg, "not json", 0600);
	ok(auth_lookup("bad.example", &c, &err) < 0 && err && strstr(err->msg, "not a valid JSON"),
	   "broken config.json is an error");
	robbe_error_free(err);
	setenv("DOCKER_CONFIG", good, 1);
}

static void test_podman_auth_json(void)
{
	cleanup_free char *file = under("podman-auth.json");
	cleanup_free char *rundir = under("run");
	cleanup_free char *cdir = under("run/containers");
	cleanup_free char *xdg_file = under("run/containers/auth.json");
	struct auth_credentials c;
	robbe_error *err = NULL;

	/* "cXVheTpxcGFzcw==" is "quay:qpass"; "aHViMjpwMg==" is "hub2:p2". */
	write_text(file, "{\"auths\": {\"quay.io\": {\"auth\": \"cXVheTpxcGFzcw==\"},"
			 " \"docker.io\": {\"auth\": \"aHViMjpwMg==\"}}}", 0600);
	setenv("REGISTRY_AUTH_FILE", file, 1);
	ok(auth_lookup("quay.io", &c, &err) == 1, "REGISTRY_AUTH_FILE is read");
	is_str(c.username, "quay", "podman user");
	is_str(c.secret, "qpass", "podman secret");
	is_str(c.source, file, "podman source");
	auth_credentials_release(&c);
	ok(auth_lookup("docker.io", &c, &err) == 1 && strcmp(c.username, "hubuser") == 0,
	   "Docker's config.json wins over auth.json");
	auth_credentials_release(&c);

	unsetenv("REGISTRY_AUTH_FILE");
	mkdir_p(cdir, 0700, &err);
	write_text(xdg_file, "{\"auths\": {\"ghcr.io\": {\"auth\": \"cXVheTpxcGFzcw==\"}}}", 0600);
	setenv("XDG_RUNTIME_DIR", rundir, 1);
	ok(auth_lookup("ghcr.io", &c, &err) == 1 && strcmp(c.source, xdg_file) == 0,
	   "$XDG_RUNTIME_DIR/containers/auth.json is read");
	auth_credentials_release(&c);
	ok(auth_lookup("quay.io", &c, &err) == 0, "REGISTRY_AUTH_FILE no longer applies");
	ok(err == NULL, "no stray error");
	robbe_error_free(err);
}

static void test_helpers(void)
{
	cleanup_free char *cfg = auth_docker_config_path();
	cleanup_free char *stored = under("helper-store/https___index.docker.io_v1_");
	struct auth_credentials c;
	robbe_error *err = NULL;

	install_helper();
	write_text(cfg, "{\"credsStore\": \"robbetest\", \"credHelpers\": {\"special.example\": \"nosuchhelper\"},"
			" \"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"aHViMjpwMg==\"}}}", 0600);
	ok(auth_lookup("docker.io", &c, &err) == 1 && strcmp(c.username, "hub2") == 0,
	   "store has nothing: fall back to auths");
	auth_credentials_release(&c);

	cleanup_free char *where = NULL;
	ok(auth_store("docker.io", "helperuser", "helperpass", &where, &err) == 0, "store through credsStore");
	is_str(where, "docker-credential-robbetest", "stored by the helper");
	cleanup_free char *blob = read_text(stored);
	ok(blob && strstr(blob, "\"Secret\":\"helperpass\""), "helper got the secret");
	cleanup_free char *text = read_text(cfg);
	ok(text && !strstr(text, "helperpass"), "the secret is not in config.json");

	ok(auth_lookup("docker.io", &c, &err) == 1, "lookup through credsStore");
	is_str(c.username, "helperuser", "helper username");
	is_str(c.secret, "helperpass", "helper secret");
	is_str(c.source, "docker-credential-robbetest", "helper source");
	auth_credentials_release(&c);

	ok(auth_lookup("special.example", &c, &err) < 0, "credHelpers entry wins over credsStore");
	ok(err && strstr(err->msg, "docker-credential-nosuchhelper"), "missing helper named in the error: %s",
	   err ? err->msg : "");
	robbe_error_free(err);
	err = NULL;

	ok(auth_erase("docker.io", &err) == 1, "erase through the helper (and auths)");
	ok(access(stored, F_OK) != 0, "helper forgot the credentials");
	ok(auth_lookup("docker.io", &c, &err) == 0, "nothing left for docker.io");
	ok(err == NULL, "no stray error");
	robbe_error_free(err);
}

int main(void)
{
	if (!mkdtemp(root)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	unsetenv("REGISTRY_AUTH_FILE");
	unsetenv("XDG_RUNTIME_DIR");
	test_base64();
	test_paths();
	test_store_lookup_erase();
	test_bad_entry();
	test_podman_auth_json();
	test_helpers();
	cleanup_free char *cmd = xasprintf("rm -rf '%s'", root);
	if (system(cmd) != 0)
		tap_diag("could not remove the temporary directory");
	return tap_done();
}
