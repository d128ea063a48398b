/* spec-security.c: capabilities, seccomp profiles and the masked and
 * read-only /proc and /sys paths of a container, as Docker 28 sets them. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <seccomp.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "spec-internal.h"

/* ---------------------------------------------------------------------- */
/* Capabilities */

void caps_host(char ***known, char ***available)
{
	cap_value_t max = cap_max_bits();
	cap_t cur = cap_get_proc();

	*known = NULL;
	*available = NULL;
	for (cap_value_t i = 0; i < max; i++) {
		char *name = cap_to_name(i);
		if (!name)
			continue;
		/* libcap names the capabilities it knows ("cap_chown") and
		 * prints the number of the ones it does not: those cannot be
		 * asked for by name, so they are left out. */
		if (!isalpha((unsigned char) name[0])) {
			cap_free(name);
			continue;
		}
		char *up = xstrdup(name);
		cap_free(name);
		for (char *p = up; *p; p++)
			*p = (char) toupper((unsigned char) *p);

		cap_flag_value_t v = CAP_CLEAR;
		bool have = cur && cap_get_flag(cur, i, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET;
		if (have)
			strv_push(available, up);
		strv_push_take(known, up);
	}
	if (cur)
		cap_free(cur);
}

/* "chown", "CAP_CHOWN", "Cap_Chown" -> "CAP_CHOWN"; "all" -> "ALL". */
static int cap_normalize(char *const *known, char *const *available, const char *in, char **out,
			 robbe_error **err)
{
	cleanup_free char *up = xstrdup(in);
	for (char *p = up; *p; p++)
		*p = (char) toupper((unsigned char) *p);
	if (strcmp(up, "ALL") == 0) {
		*out = steal_pointer(&up);
		return 0;
	}
	char *name = str_has_prefix(up, "CAP_") ? xstrdup(up) : xasprintf("CAP_%s", up);
	if (!strv_contains(known, name)) {
		robbe_error_set(err, EXIT_ENGINE, "unknown capability: \"%s\"", name);
		free(name);
		return -1;
	}
	if (!strv_contains(available, name)) {
		robbe_error_set(err, EXIT_ENGINE,
				"capability not supported by your kernel or not available in the current environment: \"%s\"",
				name);
		free(name);
		return -1;
	}
	*out = name;
	return 0;
}

static int cap_normalize_all(char *const *known, char *const *available, char *const *in, char ***out,
			     robbe_error **err)
{
	*out = NULL;
	for (size_t i = 0; in && in[i]; i++) {
		char *n;
		if (cap_normalize(known, available, in[i], &n, err) < 0) {
			strv_free(*out);
			*out = NULL;
			return -1;
		}
		strv_push_take(out, n);
	}
	return 0;
}

static void push_unique(char ***v, const char *s)
{
	if (!strv_contains(*v, s))
		strv_push(v, s);
}

static const char *const default_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
	"CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
};

int caps_compute(char *const *known, char *const *available, char *const *add, char *const *drop,
		 bool privileged, char ***out, robbe_error **err)
{
	cleanup_strv char **adds = NULL;
	cleanup_strv char **drops = NULL;
	char **caps = NULL;

	*out = NULL;
	if (privileged) {
		for (size_t i = 0; available && available[i]; i++)
			push_unique(&caps, available[i]);
		*out = caps;
		return 0;
	}
	if (cap_normalize_all(known, available, drop, &drops, err) < 0 ||
	    cap_normalize_all(known, available, add, &adds, err) < 0)
		return -1;

	if (strv_contains(adds, "ALL")) {
		for (size_t i = 0; available && available[i]; i++)
			if (!strv_contains(drops, available[i]))
				push_unique(&caps, available[i]);
	} else if (strv_contains(drops, "ALL")) {
		for (size_t i = 0; adds && adds[i]; i++)
			push_unique(&caps, adds[i]);
	} else {
		/* Docker's defaults, less what this process cannot grant (a
		 * nested or reduced environment), less --cap-drop, plus
		 * --cap-add. */
		for (size_t i = 0; i < ARRAY_SIZE(default_caps); i++)
			if (strv_contains(available, default_caps[i]) && !strv_contains(drops, default_caps[i]))
				push_unique(&caps, default_caps[i]);
		for (size_t i = 0; adds && adds[i]; i++)
			push_unique(&caps, adds[i]);
	}
	*out = caps;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Masked and read-only paths */

static const char *const masked_paths[] = {
	"/proc/asound",
	"/proc/acpi",
	"/proc/interrupts",
	"/proc/kcore",
	"/proc/keys",
	"/proc/latency_stats",
	"/proc/timer_list",
	"/proc/timer_stats",
	"/proc/sched_debug",
	"/proc/scsi",
	"/sys/firmware",
	"/sys/devices/virtual/powercap",
};

const char *const readonly_paths_default[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

char **masked_paths_default(void)
{
	char **v = NULL;
	cleanup_free char *possible = NULL;
	robbe_error *e = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(masked_paths); i++)
		strv_push(&v, masked_paths[i]);

	/* thermal_throttle lets a container read (and, on some kernels, reset)
	 * per-CPU state of the host; Docker masks it for every possible CPU. */
	if (read_file_all("/sys/devices/system/cpu/possible", 4096, &possible, NULL, &e) < 0) {
		robbe_error_free(e);
		return v;
	}
	for (char *p = possible; *p && *p != '\n';) {
		char *end;
		long lo = strtol(p, &end, 10), hi;
		if (end == p)
			break;
		hi = lo;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		for (long cpu = lo; cpu <= hi && cpu - lo < 65536; cpu++) {
			char path[96];
			struct stat st;
			snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%ld/thermal_throttle", cpu);
			if (stat(path, &st) == 0)
				strv_push(&v, path);
		}
		p = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	return v;
}

/* ---------------------------------------------------------------------- */
/* Seccomp: the host */

void seccomp_host_detect(struct scmp_host *h)
{
	struct utsname u;

#if defined(__x86_64__) && defined(__ILP32__)
	h->docker_arch = "x32", h->oci_arch = "SCMP_ARCH_X32";
#elif defined(__x86_64__)
	h->docker_arch = "amd64", h->oci_arch = "SCMP_ARCH_X86_64";
#elif defined(__i386__)
	h->docker_arch = "x86", h->oci_arch = "SCMP_ARCH_X86";
#elif defined(__aarch64__)
	h->docker_arch = "arm64", h->oci_arch = "SCMP_ARCH_AARCH64";
#elif defined(__arm__)
	h->docker_arch = "arm", h->oci_arch = "SCMP_ARCH_ARM";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	h->docker_arch = "ppc64le", h->oci_arch = "SCMP_ARCH_PPC64LE";
#elif defined(__s390x__)
	h->docker_arch = "s390x", h->oci_arch = "SCMP_ARCH_S390X";
#elif defined(__riscv) && __riscv_xlen == 64
	h->docker_arch = "riscv64", h->oci_arch = "SCMP_ARCH_RISCV64";
#else
	h->docker_arch = "unknown", h->oci_arch = NULL;
#endif
	h->kernel_major = h->kernel_minor = 0;
	if (uname(&u) == 0)
		sscanf(u.release, "%u.%u", &h->kernel_major, &h->kernel_minor);
}

/* ---------------------------------------------------------------------- */
/* Seccomp: reading a profile in Docker's format */

static const char *const scmp_actions[] = {
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
	"SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", NULL,
};

static const char *const scmp_ops[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
	"SCMP_CMP_MASKED_EQ", NULL,
};

static const char *const scmp_arches[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
	"SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
	"SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", NULL,
};

/* The filter flags runc 1.1 knows. */
static const char *const scmp_flags[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", NULL,
};

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static void *track(struct scmp_profile *p, void *mem)
{
	p->owned = xrealloc(p->owned, (p->n_owned + 1) * sizeof(*p->owned));
	p->owned[p->n_owned++] = mem;
	return mem;
}

void seccomp_profile_release(struct scmp_profile *p)
{
	for (size_t i = 0; i < p->n_owned; i++)
		free(p->owned[i]);
	free(p->owned);
	cJSON_Delete(p->doc);
	memset(p, 0, sizeof(*p));
}

static int bad(robbe_error **err, const char *where, const char *what)
{
	return robbe_error_set(err, EXIT_ENGINE, "Decoding seccomp profile failed: %s %s", where, what);
}

/* A JSON number that is a whole number in [0, max] and exact in a double. */
static int get_uint(const cJSON *j, const char *where, uint64_t max, uint64_t *out, robbe_error **err)
{
	if (!cJSON_IsNumber(j))
		return bad(err, where, "must be a number");
	double d = j->valuedouble;
	if (d < 0 || d != floor(d) || d >= 9007199254740992.0 || (uint64_t) d > max)
		return bad(err, where, "is out of range");
	*out = (uint64_t) d;
	return 0;
}

/* An optional array of strings, every one in allowed (when not NULL). */
static int get_strv(struct scmp_profile *p, const cJSON *j, const char *where, const char *const *allowed,
		    const char *const **out, robbe_error **err)
{
	*out = NULL;
	if (!j || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsArray(j))
		return bad(err, where, "must be an array of strings");
	int n = cJSON_GetArraySize(j);
	const char **v = track(p, xcalloc((size_t) n + 1, sizeof(*v)));
	int i = 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, j) {
		if (!cJSON_IsString(item))
			return bad(err, where, "must be an array of strings");
		if (allowed && !in_list(allowed, item->valuestring)) {
			cleanup_free char *what = xasprintf("has an unknown value \"%s\"", item->valuestring);
			return bad(err, where, what);
		}
		v[i++] = item->valuestring;
	}
	*out = v;
	return 0;
}

static int get_cond(struct scmp_profile *p, const cJSON *j, const char *where, struct scmp_cond *c,
		    robbe_error **err)
{
	memset(c, 0, sizeof(*c));
	if (!j || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsObject(j))
		return bad(err, where, "must be an object");
	cleanup_free char *w_caps = xasprintf("%s.caps", where);
	cleanup_free char *w_arches = xasprintf("%s.arches", where);
	if (get_strv(p, cJSON_GetObjectItemCaseSensitive(j, "caps"), w_caps, NULL, &c->caps, err) < 0 ||
	    get_strv(p, cJSON_GetObjectItemCaseSensitive(j, "arches"), w_arches, NULL, &c->arches, err) < 0)
		return -1;
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(j, "minKernel");
	if (k && !cJSON_IsNull(k)) {
		unsigned a, b;
		char tail;
		if (!cJSON_IsString(k))
			return bad(err, where, "minKernel must be a string \"<kernel>.<major>\"");
		if (!*k->valuestring)
			return 0;
		if (sscanf(k->valuestring, "%3u.%3u%c", &a, &b, &tail) != 2 || a > 255 || b > 255 ||
		    (a == 0 && b == 0)) {
			cleanup_free char *what = xasprintf("minKernel \"%s\" is not \"<kernel>.<major>\"",
							    k->valuestring);
			return bad(err, where, what);
		}
		c->kernel_major = a;
		c->kernel_minor = b;
	}
	return 0;
}

static int get_action(const cJSON *j, const char *where, const char **out, robbe_error **err)
{
	if (!cJSON_IsString(j))
		return bad(err, where, "must be a string");
	if (strcmp(j->valuestring, "SCMP_ACT_NOTIFY") == 0)
		return bad(err, where, "SCMP_ACT_NOTIFY is not supported");
	if (!in_list(scmp_actions, j->valuestring)) {
		cleanup_free char *what = xasprintf("has an unknown action \"%s\"", j->valuestring);
		return bad(err, where, what);
	}
	*out = j->valuestring;
	return 0;
}

static int get_rule(struct scmp_profile *p, const cJSON *j, size_t idx, struct scmp_rule *r, robbe_error **err)
{
	cleanup_free char *where = xasprintf("syscalls[%zu]", idx);

	memset(r, 0, sizeof(*r));
	r->errno_ret = -1;
	if (!cJSON_IsObject(j))
		return bad(err, where, "must be an object");

	const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "name");
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(j, "names");
	if (name && !cJSON_IsNull(name) && !(cJSON_IsString(name) && !*name->valuestring)) {
		if (!cJSON_IsString(name))
			return bad(err, where, "name must be a string");
		if (names && cJSON_IsArray(names) && cJSON_GetArraySize(names) > 0)
			return robbe_error_set(err, EXIT_ENGINE,
					       "both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
		const char **v = track(p, xcalloc(2, sizeof(*v)));
		v[0] = name->valuestring;
		r->names = v;
	} else {
		cleanup_free char *w = xasprintf("%s.names", where);
		if (get_strv(p, names, w, NULL, &r->names, err) < 0)
			return -1;
	}
	if (!r->names || !r->names[0])
		return bad(err, where, "has no syscall names");

	cleanup_free char *w_action = xasprintf("%s.action", where);
	if (get_action(cJSON_GetObjectItemCaseSensitive(j, "action"), w_action, &r->action, err) < 0)
		return -1;

	const cJSON *er = cJSON_GetObjectItemCaseSensitive(j, "errnoRet");
	if (er && !cJSON_IsNull(er)) {
		uint64_t v;
		cleanup_free char *w = xasprintf("%s.errnoRet", where);
		if (get_uint(er, w, 65535, &v, err) < 0)
			return -1;
		r->errno_ret = (long) v;
	}

	const cJSON *args = cJSON_GetObjectItemCaseSensitive(j, "args");
	if (args && !cJSON_IsNull(args)) {
		if (!cJSON_IsArray(args))
			return bad(err, where, "args must be an array");
		size_t n = (size_t) cJSON_GetArraySize(args), i = 0;
		struct scmp_arg *a = track(p, xcalloc(n ? n : 1, sizeof(*a)));
		const cJSON *it;
		cJSON_ArrayForEach(it, args) {
			cleanup_free char *w = xasprintf("%s.args[%zu]", where, i);
			uint64_t index, value = 0, value_two = 0;
			const cJSON *op = cJSON_GetObjectItemCaseSensitive(it, "op");
			const cJSON *v2 = cJSON_GetObjectItemCaseSensitive(it, "valueTwo");
			if (!cJSON_IsObject(it))
				return bad(err, w, "must be an object");
			if (get_uint(cJSON_GetObjectItemCaseSensitive(it, "index"), w, 5, &index, err) < 0 ||
			    get_uint(cJSON_GetObjectItemCaseSensitive(it, "value"), w, UINT64_MAX, &value, err) < 0 ||
			    (v2 && get_uint(v2, w, UINT64_MAX, &value_two, err) < 0))
				return -1;
			if (!cJSON_IsString(op) || !in_list(scmp_ops, op->valuestring))
				return bad(err, w, "has no valid op (SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ, ...)");
			a[i++] = (struct scmp_arg) { (unsigned) index, value, value_two, op->valuestring };
		}
		r->args = a;
		r->n_args = n;
	}

	cleanup_free char *w_inc = xasprintf("%s.includes", where);
	cleanup_free char *w_exc = xasprintf("%s.excludes", where);
	if (get_cond(p, cJSON_GetObjectItemCaseSensitive(j, "includes"), w_inc, &r->includes, err) < 0 ||
	    get_cond(p, cJSON_GetObjectItemCaseSensitive(j, "excludes"), w_exc, &r->excludes, err) < 0)
		return -1;
	return 0;
}

static int parse_profile(const cJSON *doc, struct scmp_profile *p, robbe_error **err)
{
	if (!cJSON_IsObject(doc))
		return bad(err, "the profile", "must be a JSON object");

	p->default_errno_ret = -1;
	const cJSON *da = cJSON_GetObjectItemCaseSensitive(doc, "defaultAction");
	if (da && !cJSON_IsNull(da) && !(cJSON_IsString(da) && !*da->valuestring) &&
	    get_action(da, "defaultAction", &p->default_action, err) < 0)
		return -1;
	const cJSON *der = cJSON_GetObjectItemCaseSensitive(doc, "defaultErrnoRet");
	if (der && !cJSON_IsNull(der)) {
		uint64_t v;
		if (get_uint(der, "defaultErrnoRet", 65535, &v, err) < 0)
			return -1;
		p->default_errno_ret = (long) v;
	}
	if (get_strv(p, cJSON_GetObjectItemCaseSensitive(doc, "architectures"), "architectures", scmp_arches,
		     &p->architectures, err) < 0 ||
	    get_strv(p, cJSON_GetObjectItemCaseSensitive(doc, "flags"), "flags", scmp_flags, &p->flags, err) < 0)
		return -1;

	const cJSON *am = cJSON_GetObjectItemCaseSensitive(doc, "archMap");
	if (am && !cJSON_IsNull(am)) {
		if (!cJSON_IsArray(am))
			return bad(err, "archMap", "must be an array");
		size_t n = (size_t) cJSON_GetArraySize(am), i = 0;
		struct scmp_archmap *m = track(p, xcalloc(n ? n : 1, sizeof(*m)));
		const cJSON *it;
		cJSON_ArrayForEach(it, am) {
			cleanup_free char *w = xasprintf("archMap[%zu]", i);
			const cJSON *arch = cJSON_GetObjectItemCaseSensitive(it, "architecture");
			if (!cJSON_IsString(arch) || !in_list(scmp_arches, arch->valuestring))
				return bad(err, w, "has no known architecture");
			m[i].arch = arch->valuestring;
			if (get_strv(p, cJSON_GetObjectItemCaseSensitive(it, "subArchitectures"), w, scmp_arches,
				     &m[i].sub, err) < 0)
				return -1;
			i++;
		}
		p->arch_map = m;
		p->n_arch_map = n;
	}
	if (p->architectures && p->architectures[0] && p->n_arch_map)
		return robbe_error_set(err, EXIT_ENGINE,
				       "both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");

	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(doc, "syscalls");
	if (sc && !cJSON_IsNull(sc)) {
		if (!cJSON_IsArray(sc))
			return bad(err, "syscalls", "must be an array");
		size_t n = (size_t) cJSON_GetArraySize(sc), i = 0;
		struct scmp_rule *rules = track(p, xcalloc(n ? n : 1, sizeof(*rules)));
		const cJSON *it;
		cJSON_ArrayForEach(it, sc) {
			if (get_rule(p, it, i, &rules[i], err) < 0)
				return -1;
			i++;
		}
		p->rules = rules;
		p->n_rules = n;
	}
	if (!p->default_action && p->n_rules)
		return bad(err, "defaultAction", "is required when syscalls are listed");
	return 0;
}

int seccomp_profile_parse(const char *json, size_t len, struct scmp_profile *out, robbe_error **err)
{
	memset(out, 0, sizeof(*out));
	out->doc = cJSON_ParseWithLength(json, len);
	if (!out->doc)
		return robbe_error_set(err, EXIT_ENGINE, "Decoding seccomp profile failed: invalid JSON");
	if (parse_profile(out->doc, out, err) < 0) {
		seccomp_profile_release(out);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Seccomp: the OCI object */

static bool kernel_at_least(const struct scmp_host *h, unsigned major, unsigned minor)
{
	return h->kernel_major > major || (h->kernel_major == major && h->kernel_minor >= minor);
}

/* Docker's conditions: every "includes" item must hold, any "excludes"
 * item drops the rule. */
static bool rule_applies(const struct scmp_rule *r, const struct scmp_host *h, char *const *caps)
{
	const struct scmp_cond *ex = &r->excludes, *in = &r->includes;

	if (ex->arches && in_list(ex->arches, h->docker_arch))
		return false;
	for (size_t i = 0; ex->caps && ex->caps[i]; i++)
		if (strv_contains(caps, ex->caps[i]))
			return false;
	if ((ex->kernel_major || ex->kernel_minor) && kernel_at_least(h, ex->kernel_major, ex->kernel_minor))
		return false;

	if (in->arches && in->arches[0] && !in_list(in->arches, h->docker_arch))
		return false;
	for (size_t i = 0; in->caps && in->caps[i]; i++)
		if (!strv_contains(caps, in->caps[i]))
			return false;
	if ((in->kernel_major || in->kernel_minor) && !kernel_at_least(h, in->kernel_major, in->kernel_minor))
		return false;
	return true;
}

int seccomp_render(const struct scmp_profile *p, const struct scmp_host *host, char *const *caps, cJSON **out,
		   robbe_error **err)
{
	*out = NULL;
	if (!p->default_action)
		return 0;	/* Docker: no default action and no rules = no filter */

	cleanup_cjson cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "defaultAction", p->default_action);
	if (p->default_errno_ret >= 0)
		cJSON_AddItemToObject(s, "defaultErrnoRet", json_u64((uint64_t) p->default_errno_ret));

	cJSON *arches = cJSON_AddArrayToObject(s, "architectures");
	if (p->architectures) {
		for (size_t i = 0; p->architectures[i]; i++)
			cJSON_AddItemToArray(arches, cJSON_CreateString(p->architectures[i]));
	} else {
		for (size_t i = 0; i < p->n_arch_map && host->oci_arch; i++) {
			if (strcmp(p->arch_map[i].arch, host->oci_arch) != 0)
				continue;
			cJSON_AddItemToArray(arches, cJSON_CreateString(p->arch_map[i].arch));
			for (size_t k = 0; p->arch_map[i].sub && p->arch_map[i].sub[k]; k++)
				cJSON_AddItemToArray(arches, cJSON_CreateString(p->arch_map[i].sub[k]));
			break;
		}
	}
	if (p->flags && p->flags[0]) {
		cJSON *flags = cJSON_AddArrayToObject(s, "flags");
		for (size_t i = 0; p->flags[i]; i++)
			cJSON_AddItemToArray(flags, cJSON_CreateString(p->flags[i]));
	}

	cJSON *syscalls = cJSON_AddArrayToObject(s, "syscalls");
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct scmp_rule *r = &p->rules[i];
		if (!rule_applies(r, host, caps))
			continue;

		/* runc asks libseccomp too and would skip what it cannot
		 * resolve; leaving such names out keeps the spec honest. */
		cJSON *names = cJSON_CreateArray();
		for (size_t k = 0; r->names[k]; k++)
			if (seccomp_syscall_resolve_name(r->names[k]) != __NR_SCMP_ERROR)
				cJSON_AddItemToArray(names, cJSON_CreateString(r->names[k]));
		if (cJSON_GetArraySize(names) == 0) {
			cJSON_Delete(names);
			continue;
		}
		cJSON *rule = cJSON_CreateObject();
		cJSON_AddItemToObject(rule, "names", names);
		cJSON_AddStringToObject(rule, "action", r->action);
		if (r->errno_ret >= 0)
			cJSON_AddItemToObject(rule, "errnoRet", json_u64((uint64_t) r->errno_ret));
		if (r->n_args) {
			cJSON *args = cJSON_AddArrayToObject(rule, "args");
			for (size_t k = 0; k < r->n_args; k++) {
				cJSON *a = cJSON_CreateObject();
				cJSON_AddNumberToObject(a, "index", r->args[k].index);
				cJSON_AddItemToObject(a, "value", json_u64(r->args[k].value));
				cJSON_AddItemToObject(a, "valueTwo", json_u64(r->args[k].value_two));
				cJSON_AddStringToObject(a, "op", r->args[k].op);
				cJSON_AddItemToArray(args, a);
			}
		}
		cJSON_AddItemToArray(syscalls, rule);
	}
	(void) err;
	*out = steal_pointer(&s);
	return 0;
}
