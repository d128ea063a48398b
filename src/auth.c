/* auth.c: registry credentials in Docker's config.json, its credential
 * helpers, and Podman's auth.json.  See auth.h for the lookup order. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>


#include "auth.h"
#include "reference.h"
#include "lazy-crypto.h"

#define CONFIG_MAX (4u << 20)
#define HELPER_OUTPUT_MAX (64u << 10)
#define HELPER_PREFIX "docker-credential-"

extern char **environ;

void auth_credentials_release(struct auth_credentials *c)
{
	free(c->username);
	free(c->secret);
	free(c->source);
	memset(c, 0, sizeof(*c));
}

/* ---- base64 ---- */

char *auth_base64_encode(const void *data, size_t len)
{
	char *out = xmalloc(4 * ((len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *) out, data, (int) len);
	return out;
}

char *auth_base64_decode(const char *s, size_t *len)
{
	size_t n = strlen(s), pad = 0;
	char *out;
	int r;

	if (n % 4 != 0)
		return NULL;
	while (pad < 2 && n > pad && s[n - 1 - pad] == '=')
		pad++;
	out = xmalloc(n / 4 * 3 + 1);
	r = EVP_DecodeBlock((unsigned char *) out, (const unsigned char *) s, (int) n);
	if (r < 0 || (size_t) r < pad) {
		free(out);
		return NULL;
	}
	*len = (size_t) r - pad;
	out[*len] = '\0';
	return out;
}

/* ---- paths and keys ---- */

static char *home_dir(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && *h)
		return xstrdup(h);
	pw = getpwuid(getuid());
	return xstrdup(pw && pw->pw_dir ? pw->pw_dir : "/");
}

char *auth_docker_config_path(void)
{
	const char *dc = getenv("DOCKER_CONFIG");
	cleanup_free char *home = NULL;

	if (dc && *dc)
		return xasprintf("%s/config.json", dc);
	home = home_dir();
	return xasprintf("%s/.docker/config.json", home);
}

static char *containers_auth_path(void)
{
	const char *f = getenv("REGISTRY_AUTH_FILE");
	const char *rt = getenv("XDG_RUNTIME_DIR");

	if (f && *f)
		return xstrdup(f);
	if (rt && *rt)
		return xasprintf("%s/containers/auth.json", rt);
	return NULL;
}

char *auth_server_key(const char *domain)
{
	return xstrdup(reference_is_docker_hub(domain) ? AUTH_DOCKER_HUB_KEY : domain);
}

/* A key's host: scheme and path removed ("https://index.docker.io/v1/" ->
 * "index.docker.io"); Docker Hub's names all count as one. */
static bool key_matches(const char *key, const char *domain)
{
	const char *h = strstr(key, "://") ? strstr(key, "://") + 3 : key;
	cleanup_free char *host = xstrndup(h, strcspn(h, "/"));

	if (reference_is_docker_hub(domain))
		return reference_is_docker_hub(host);
	return strcmp(host, domain) == 0;
}

/* ---- JSON files ---- */

/* Parse a JSON object file; a missing file gives NULL and 0. */
static int load_json(const char *path, cJSON **out, robbe_error **err)
{
	cleanup_free char *data = NULL;
	cleanup_error robbe_error *rerr = NULL;
	size_t len = 0;

	*out = NULL;
	if (read_file_all(path, CONFIG_MAX, &data, &len, &rerr) < 0) {
		if (rerr->errnum == ENOENT)
			return 0;
		return robbe_error_set(err, 0, "%s", rerr->msg);
	}
	*out = cJSON_ParseWithLength(data, len);
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return robbe_error_set(err, 0, "%s: not a valid JSON object", path);
	}
	return 0;
}

/* The "auth" entry of auths for domain, exact key first. */
static const cJSON *find_auth_entry(const cJSON *auths, const char *domain)
{
	cleanup_free char *key = auth_server_key(domain);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(auths, key);

	if (cJSON_IsObject(e))
		return e;
	cJSON_ArrayForEach(e, auths) {
		if (cJSON_IsObject(e) && e->string && key_matches(e->string, domain))
			return e;
	}
	return NULL;
}

static int decode_entry(const cJSON *entry, const char *path, struct auth_credentials *out, robbe_error **err)
{
	const char *b64 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "auth"));
	cleanup_free char *plain = NULL;
	size_t len;

	if (!b64 || !*b64)
		return 0;
	plain = auth_base64_decode(b64, &len);
	char *colon = plain ? memchr(plain, ':', len) : NULL;
	if (!colon)
		return robbe_error_set(err, 0, "%s: invalid auth entry for %s", path, entry->string);
	*colon = '\0';
	out->username = xstrdup(plain);
	out->secret = xstrdup(colon + 1);
	out->source = xstrdup(path);
	return 1;
}

static int lookup_file(const char *path, const cJSON *j, const char *domain, struct auth_credentials *out,
		       robbe_error **err)
{
	const cJSON *entry = find_auth_entry(cJSON_GetObjectItemCaseSensitive(j, "auths"), domain);
	return entry ? decode_entry(entry, path, out, err) : 0;
}

/* ---- credential helpers ---- */

static bool helper_name_ok(const char *name)
{
	return name && *name && !strchr(name, '/');
}

static const char *action_verb(const char *action)
{
	return strcmp(action, "store") == 0 ? "storing" : strcmp(action, "erase") == 0 ? "erasing" : "getting";
}

/* The executable prog in $PATH, or NULL. */
static char *find_in_path(const char *prog)
{
	const char *path = getenv("PATH");
	cleanup_free char *copy = xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	char *save = NULL;

	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *full = xasprintf("%s/%s", *dir ? dir : ".", prog);
		if (access(full, X_OK) == 0)
			return full;
		free(full);
	}
	return NULL;
}

/* Run docker-credential-<name> <action> with input on stdin; its stdout
 * into *output.  Returns the exit status, or <0 if it could not run. */
static int helper_run(const char *name, const char *action, const char *input, char **output, robbe_error **err)
{
	cleanup_free char *prog = xasprintf(HELPER_PREFIX "%s", name);
	cleanup_free char *full = find_in_path(prog);
	char *argv[] = { prog, (char *) action, NULL };
	int in[2], out[2], status = 0;
	posix_spawn_file_actions_t fa;
	struct sbuf sb = SBUF_INIT;
	pid_t pid;

	if (!full)
		return robbe_error_set(err, 0, "error %s credentials - err: exec: \"%s\": executable file not "
				       "found in $PATH", action_verb(action), prog);
	if (pipe2(in, O_CLOEXEC) < 0)
		return robbe_error_errno(err, errno, "pipe");
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return robbe_error_errno(err, errno, "pipe");
	}
	/* The helper gets exactly stdin, stdout and our stderr. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 34)
	posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
#endif
	int r = posix_spawn(&pid, full, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	if (r != 0) {
		close(in[1]);
		close(out[0]);
		return robbe_error_set(err, 0, "error %s credentials - err: exec: \"%s\": %s", action_verb(action), prog,
				       strerror(r));
	}
	/* The input is small (a URL or one JSON object): it fits the pipe. */
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	ssize_t w = write(in[1], input, strlen(input));
	(void) w;
	close(in[1]);
	signal(SIGPIPE, old);
	for (;;) {
		char buf[4096];
		ssize_t n = read(out[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (sb.len + (size_t) n <= HELPER_OUTPUT_MAX)
			sbuf_add(&sb, buf, (size_t) n);
	}
	close(out[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*output = sbuf_detach(&sb);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int helper_get(const char *name, const char *domain, struct auth_credentials *out, robbe_error **err)
{
	cleanup_free char *server = auth_server_key(domain);
	cleanup_free char *output = NULL;
	int st;

	if (!helper_name_ok(name))
		return robbe_error_set(err, 0, "invalid credential helper name \"%s\"", name ? name : "");
	st = helper_run(name, "get", server, &output, err);
	if (st < 0)
		return st;
	chomp(output);
	if (st != 0 && strstr(output, "credentials not found"))
		return 0;
	if (st != 0)
		return robbe_error_set(err, 0, "error getting credentials - err: exit status %d, out: `%s`", st, output);
	cleanup_cjson cJSON *j = cJSON_Parse(output);
	const char *user = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "Username"));
	const char *secret = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "Secret"));
	if (!secret)
		return robbe_error_set(err, 0, "error getting credentials - " HELPER_PREFIX "%s: invalid output", name);
	if (!*secret)
		return 0;
	out->username = xstrdup(user ? user : "");
	out->secret = xstrdup(secret);
	out->source = xasprintf(HELPER_PREFIX "%s", name);
	return 1;
}

/* The helper configured for domain in Docker's config: credHelpers first
 * (by key or bare domain), then credsStore. */
static const char *helper_for(const cJSON *j, const char *domain)
{
	cleanup_free char *key = auth_server_key(domain);
	const cJSON *helpers = cJSON_GetObjectItemCaseSensitive(j, "credHelpers");
	const char *h = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(helpers, key));

	if (!h)
		h = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(helpers, domain));
	if (h && *h)
		return h;
	h = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "credsStore"));
	return h && *h ? h : NULL;
}

/* ---- lookup ---- */

int auth_lookup(const char *domain, struct auth_credentials *out, robbe_error **err)
{
	cleanup_free char *path = auth_docker_config_path();
	cleanup_free char *cpath = containers_auth_path();
	cleanup_cjson cJSON *j = NULL;
	cleanup_cjson cJSON *cj = NULL;
	const char *helper;
	int r;

	memset(out, 0, sizeof(*out));
	if (load_json(path, &j, err) < 0)
		return -1;
	helper = helper_for(j, domain);
	if (helper && (r = helper_get(helper, domain, out, err)) != 0)
		return r;
	if ((r = lookup_file(path, j, domain, out, err)) != 0)
		return r;
	if (!cpath)
		return 0;
	if (load_json(cpath, &cj, err) < 0)
		return -1;
	return lookup_file(cpath, cj, domain, out, err);
}

/* ---- store and erase ---- */

static int save_config(const char *path, cJSON *j, robbe_error **err)
{
	cleanup_free char *dir = xstrdup(path);
	cleanup_free char *text = cJSON_Print(j);
	char *slash = strrchr(dir, '/');

	if (!text)
		die_oom();
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir_p(dir, 0700, err) < 0)
			return -1;
	}
	return write_file_atomic(path, text, strlen(text), 0600, err);
}

static int helper_store(const char *name, const char *domain, const char *user, const char *secret,
			robbe_error **err)
{
	cleanup_free char *server = auth_server_key(domain);
	cleanup_free char *output = NULL;
	cleanup_cjson cJSON *j = cJSON_CreateObject();
	cleanup_free char *input = NULL;
	int st;

	if (!helper_name_ok(name))
		return robbe_error_set(err, 0, "invalid credential helper name \"%s\"", name);
	cJSON_AddStringToObject(j, "ServerURL", server);
	cJSON_AddStringToObject(j, "Username", user);
	cJSON_AddStringToObject(j, "Secret", secret);
	input = cJSON_PrintUnformatted(j);
	st = helper_run(name, "store", input, &output, err);
	if (st < 0)
		return st;
	if (st != 0)
		return robbe_error_set(err, 0, "error storing credentials - err: exit status %d, out: `%s`", st,
				       chomp(output));
	return 0;
}

int auth_store(const char *domain, const char *username, const char *secret, char **where, robbe_error **err)
{
	cleanup_free char *path = auth_docker_config_path();
	cleanup_free char *key = auth_server_key(domain);
	cleanup_cjson cJSON *j = NULL;
	const char *helper;

	if (load_json(path, &j, err) < 0)
		return -1;
	helper = helper_for(j, domain);
	if (helper) {
		if (helper_store(helper, domain, username, secret, err) < 0)
			return -1;
		if (where)
			*where = xasprintf(HELPER_PREFIX "%s", helper);
		return 0;
	}
	if (!j)
		j = cJSON_CreateObject();
	cJSON *auths = cJSON_GetObjectItemCaseSensitive(j, "auths");
	if (!cJSON_IsObject(auths)) {
		cJSON_DeleteItemFromObjectCaseSensitive(j, "auths");
		auths = cJSON_AddObjectToObject(j, "auths");
	}
	cleanup_free char *plain = xasprintf("%s:%s", username, secret);
	cleanup_free char *b64 = auth_base64_encode(plain, strlen(plain));
	cJSON *entry = cJSON_CreateObject();
	cJSON_AddStringToObject(entry, "auth", b64);
	cJSON_DeleteItemFromObjectCaseSensitive(auths, key);
	cJSON_AddItemToObject(auths, key, entry);
	if (save_config(path, j, err) < 0)
		return -1;
	if (where)
		*where = steal_pointer(&path);
	return 0;
}

static int helper_erase(const char *name, const char *domain, robbe_error **err)
{
	cleanup_free char *server = auth_server_key(domain);
	cleanup_free char *output = NULL;
	int st;

	if (!helper_name_ok(name))
		return robbe_error_set(err, 0, "invalid credential helper name \"%s\"", name);
	st = helper_run(name, "erase", server, &output, err);
	if (st < 0)
		return st;
	if (st != 0 && strstr(output, "credentials not found"))
		return 0;
	if (st != 0)
		return robbe_error_set(err, 0, "error erasing credentials - err: exit status %d, out: `%s`", st,
				       chomp(output));
	return 1;
}

/* Remove every auths entry that names domain. */
static bool remove_entries(cJSON *auths, const char *domain)
{
	bool removed = false;
	cJSON *e = auths ? auths->child : NULL;

	while (e) {
		cJSON *next = e->next;
		if (e->string && key_matches(e->string, domain)) {
			cJSON_Delete(cJSON_DetachItemViaPointer(auths, e));
			removed = true;
		}
		e = next;
	}
	return removed;
}

int auth_erase(const char *domain, robbe_error **err)
{
	cleanup_free char *path = auth_docker_config_path();
	cleanup_cjson cJSON *j = NULL;
	const char *helper;
	int r = 0;

	if (load_json(path, &j, err) < 0)
		return -1;
	helper = helper_for(j, domain);
	if (helper && (r = helper_erase(helper, domain, err)) < 0)
		return r;
	if (j && remove_entries(cJSON_GetObjectItemCaseSensitive(j, "auths"), domain)) {
		if (save_config(path, j, err) < 0)
			return -1;
		r = 1;
	}
	return r;
}
