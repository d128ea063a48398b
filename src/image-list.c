/* image-list.c: listing images with the daemon's filters (dangling, label,
 * reference, before, since, until). */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "image-internal.h"
#include "reference.h"

void image_filters_release(struct image_filters *f)
{
	strv_free(f->dangling);
	strv_free(f->labels);
	strv_free(f->not_labels);
	strv_free(f->references);
	strv_free(f->before);
	strv_free(f->since);
	strv_free(f->until);
	memset(f, 0, sizeof(*f));
}

static int invalid_filter(robbe_error **err, const char *fmt, ...) ATTR_PRINTF(2, 3);
static int invalid_filter(robbe_error **err, const char *fmt, ...)
{
	va_list ap;
	cleanup_free char *msg = NULL;
	int r;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	r = robbe_error_set(err, EXIT_GENERAL, "%s", msg);
	(*err)->errnum = EINVAL;
	return r;
}

int image_filters_parse(char *const *args, const char *const *allowed, struct image_filters *f,
			robbe_error **err)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; args && args[i]; i++) {
		const char *eq = strchr(args[i], '=');
		cleanup_free char *key = NULL;
		const char *value;
		bool negated = false, ok = false;
		char ***slot = NULL;

		if (!eq) {
			image_filters_release(f);
			return invalid_filter(err, "bad format of filter (expected name=value)");
		}
		key = xstrndup(args[i], (size_t) (eq - args[i]));
		value = eq + 1;
		/* "label!=x" arrives as key "label!" */
		if (str_has_suffix(key, "!")) {
			negated = true;
		}
		for (size_t k = 0; allowed[k]; k++)
			if (strcmp(allowed[k], key) == 0)
				ok = true;
		if (!ok) {
			image_filters_release(f);
			return invalid_filter(err, "invalid filter '%s'", key);
		}
		if (strcmp(key, "dangling") == 0) {
			if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0 && strcmp(value, "1") != 0 &&
			    strcmp(value, "0") != 0) {
				image_filters_release(f);
				return invalid_filter(err, "invalid filter 'dangling=[%s]'", value);
			}
			slot = &f->dangling;
		} else if (strcmp(key, "label") == 0) {
			slot = &f->labels;
		} else if (negated && strcmp(key, "label!") == 0) {
			slot = &f->not_labels;
		} else if (strcmp(key, "reference") == 0) {
			slot = &f->references;
		} else if (strcmp(key, "before") == 0) {
			slot = &f->before;
		} else if (strcmp(key, "since") == 0) {
			slot = &f->since;
		} else if (strcmp(key, "until") == 0) {
			slot = &f->until;
		} else {
			image_filters_release(f);
			return invalid_filter(err, "invalid filter '%s'", key);
		}
		strv_push(slot, value);
	}
	return 0;
}

/* ---- matching ----------------------------------------------------------- */

/* label=k matches when the key exists, label=k=v when it has that value. */
static bool label_matches(const cJSON *labels, const char *spec)
{
	const char *eq = strchr(spec, '=');
	cleanup_free char *key = eq ? xstrndup(spec, (size_t) (eq - spec)) : xstrdup(spec);
	const cJSON *v = labels ? cJSON_GetObjectItemCaseSensitive(labels, key) : NULL;

	if (!v)
		return false;
	if (!eq)
		return true;
	return cJSON_IsString(v) && strcmp(v->valuestring, eq + 1) == 0;
}

/* Every label filter must match (they are ANDed in Docker's MatchKVList). */
static bool labels_match(const struct image_filters *f, const struct store_image *img)
{
	cleanup_cjson cJSON *cfg = NULL;
	const cJSON *labels;

	if (!f->labels && !f->not_labels)
		return true;
	cfg = cJSON_Parse(img->config_json);
	labels = image_config_labels(cfg);
	for (size_t i = 0; f->labels && f->labels[i]; i++)
		if (!label_matches(labels, f->labels[i]))
			return false;
	for (size_t i = 0; f->not_labels && f->not_labels[i]; i++)
		if (label_matches(labels, f->not_labels[i]))
			return false;
	return true;
}

/* Docker's FamiliarMatch: the pattern (path.Match rules) against the
 * familiar name and the familiar name with its tag or digest. */
static bool reference_matches(char *const *patterns, const char *full_ref)
{
	cleanup_reference struct reference *ref = NULL;
	cleanup_free char *name = NULL, *str = NULL;

	if (!patterns)
		return true;
	if (reference_parse_full(full_ref, &ref, NULL) < 0)
		return false;
	name = reference_familiar_name(ref);
	str = reference_familiar_string(ref);
	for (size_t i = 0; patterns[i]; i++)
		if (fnmatch(patterns[i], str, FNM_PATHNAME) == 0 || fnmatch(patterns[i], name, FNM_PATHNAME) == 0)
			return true;
	return false;
}

/* A Go duration ("1h30m", "10s", "1.5h"); false if it is not one. */
static bool parse_go_duration(const char *s, double *seconds)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = { { "ns", 1e-9 }, { "us", 1e-6 }, { "\xc2\xb5s", 1e-6 }, { "ms", 1e-3 },
		      { "s", 1 },     { "m", 60 },    { "h", 3600 } };
	double total = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (strcmp(s, "0") == 0) {
		*seconds = 0;
		return true;
	}
	if (!*s)
		return false;
	while (*s) {
		char *end;
		double v = strtod(s, &end);
		size_t best = 0;
		int which = -1;
		if (end == s)
			return false;
		s = end;
		for (size_t k = 0; k < ARRAY_SIZE(units); k++) {
			size_t n = strlen(units[k].unit);
			if (strncmp(s, units[k].unit, n) == 0 && n > best) {
				best = n;
				which = (int) k;
			}
		}
		if (which < 0)
			return false;
		total += v * units[which].scale;
		s += best;
	}
	*seconds = neg ? -total : total;
	return true;
}

/* Docker's GetTimestamp: a duration before now, a Unix time
 * ("1600000000[.nnn]"), or an RFC 3339 date or date-time.  Seconds. */
static int parse_until(const char *v, double *out, robbe_error **err)
{
	double d;
	char *end;
	int64_t ns;

	if (parse_go_duration(v, &d)) {
		*out = (double) time(NULL) - d;
		return 0;
	}
	d = strtod(v, &end);
	if (end != v && *end == '\0') {
		*out = d;
		return 0;
	}
	if ((ns = image_parse_time(v)) > 0) {
		*out = (double) ns / 1e9;
		return 0;
	}
	{
		/* a bare date, or a date-time without a zone (local time) */
		struct tm tm = { 0 };
		int n = 0;
		if (sscanf(v, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) == 3) {
			const char *rest = v + n;
			if (*rest == 'T' && sscanf(rest + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) == 3)
				rest += 1 + n;
			if (*rest == '\0') {
				tm.tm_year -= 1900;
				tm.tm_mon -= 1;
				tm.tm_isdst = -1;
				*out = (double) mktime(&tm);
				return 0;
			}
		}
	}
	return invalid_filter(err, "failed to parse value as time or duration: \"%s\"", v);
}

/* ---- the list ----------------------------------------------------------- */

static void summary_release(struct image_summary *s)
{
	store_image_free(s->img);
	strv_free(s->repo_tags);
	strv_free(s->repo_digests);
}

void image_summary_list_release(struct image_summary_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		summary_release(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static bool is_true(const char *v)
{
	return strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

/* The creation time of the image a before/since filter names. */
static int filter_image_time(struct store *s, char *const *refs, int64_t *ns, robbe_error **err)
{
	cleanup_store_image struct store_image *img = NULL;

	*ns = 0;
	if (!refs)
		return 0;
	/* Docker takes the last value given. */
	if (image_resolve(s, refs[strv_len(refs) - 1], &img, err) < 0)
		return -1;
	*ns = img->created;
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

int image_list(struct image_env *env, const struct image_filters *f, bool all, struct image_summary_list *out,
	       robbe_error **err)
{
	struct store_image **imgs = NULL;
	size_t nimgs;
	int64_t before = 0, since = 0;
	int has_before, has_since;
	bool dangling_only = false, dangling_filter = false;
	double until = 0;
	bool has_until = false;

	(void) all; /* robbe keeps no intermediate images to hide */
	memset(out, 0, sizeof(*out));
	if ((has_before = filter_image_time(env->store, f->before, &before, err)) < 0 ||
	    (has_since = filter_image_time(env->store, f->since, &since, err)) < 0)
		return -1;
	if (f->dangling) {
		dangling_filter = true;
		/* Docker: dangling=true wins when both are given. */
		for (size_t i = 0; f->dangling[i]; i++)
			if (is_true(f->dangling[i]))
				dangling_only = true;
	}
	if (f->until) {
		if (parse_until(f->until[strv_len(f->until) - 1], &until, err) < 0)
			return -1;
		has_until = true;
	}
	if (store_image_list(env->store, &imgs, err) < 0)
		return -1;
	for (nimgs = 0; imgs[nimgs]; nimgs++)
		;
	out->v = xcalloc(nimgs + 1, sizeof(*out->v));
	for (size_t i = 0; i < nimgs; i++) {
		struct store_image *img = imgs[i];
		struct image_summary s = { 0 };

		if (has_before && !(img->created < before))
			continue;
		if (has_since && !(img->created > since))
			continue;
		if (has_until && !((double) img->created / 1e9 < until))
			continue;
		if (!labels_match(f, img))
			continue;
		for (size_t k = 0; img->names && img->names[k]; k++)
			if (reference_matches(f->references, img->names[k]))
				strv_push_take(&s.repo_tags, image_familiar(img->names[k]));
		for (size_t k = 0; img->digests && img->digests[k]; k++)
			if (reference_matches(f->references, img->digests[k]))
				strv_push_take(&s.repo_digests, image_familiar(img->digests[k]));
		if (!s.repo_tags && !s.repo_digests) {
			if ((dangling_filter && !dangling_only) || f->references) {
				summary_release(&s);
				continue;
			}
		} else if (dangling_only && s.repo_tags) {
			summary_release(&s);
			continue;
		}
		if (s.repo_tags)
			qsort(s.repo_tags, strv_len(s.repo_tags), sizeof(char *), cmp_str);
		if (s.repo_digests)
			qsort(s.repo_digests, strv_len(s.repo_digests), sizeof(char *), cmp_str);
		s.created = img->created / 1000000000;
		s.img = steal_pointer(&imgs[i]);
		out->v[out->n++] = s;
	}
	/* imgs[] has holes now: free what is left one by one. */
	for (size_t i = 0; i < nimgs; i++)
		store_image_free(imgs[i]);
	free(imgs);
	return 0;
}
