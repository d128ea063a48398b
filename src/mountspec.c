/* mountspec.c: -v, --mount and --volumes-from as Docker 28 reads them.
 *
 * The rules follow two pieces of Docker: the CLI's own parsing (the compose
 * loader's volume splitter for -v, a CSV record of key=value fields for
 * --mount) and the daemon's (the Linux mount parser for HostConfig.Binds and
 * its ValidateMountConfig).  The words of each error are theirs, because
 * scripts and people search for them.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "mountspec.h"
#include "units.h"

void mountspec_release(struct mountspec *m)
{
	if (!m)
		return;
	free(m->type_name);
	free(m->source);
	free(m->target);
	free(m->consistency);
	free(m->propagation);
	free(m->subpath);
	free(m->driver);
	strv_free(m->labels);
	strv_free(m->driver_opts);
	free(m->image_subpath);
	free(m->mode);
	free(m->raw);
	memset(m, 0, sizeof(*m));
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static char *lower_dup(const char *s)
{
	char *r = xstrdup(s);
	for (char *p = r; *p; p++)
		*p = (char) tolower((unsigned char) *p);
	return r;
}

/* strconv.ParseBool */
static bool go_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

char *mountspec_clean_path(const char *path)
{
	if (!path || path[0] != '/')
		return NULL;

	cleanup_free char *copy = xstrdup(path);
	cleanup_free char **parts = xcalloc(strlen(path) + 1, sizeof(*parts));
	struct sbuf sb = SBUF_INIT;
	char *save = NULL;
	size_t n = 0;

	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			if (n)
				n--;
			continue;
		}
		parts[n++] = c;
	}
	for (size_t i = 0; i < n; i++) {
		sbuf_addc(&sb, '/');
		sbuf_adds(&sb, parts[i]);
	}
	if (!n)
		sbuf_addc(&sb, '/');
	return sbuf_detach(&sb);
}

/* filepath.Abs: a relative path joined to the current directory. */
static char *abs_path(const char *p)
{
	cleanup_free char *cwd = getcwd(NULL, 0);
	cleanup_free char *joined = NULL;

	if (!cwd)
		return xstrdup(p);
	joined = xasprintf("%s/%s", cwd, p);
	return mountspec_clean_path(joined);
}

/* ---- modes --------------------------------------------------------------- */

static const char *const rw_modes[] = { "rw", "ro", NULL };
static const char *const label_modes[] = { "z", "Z", NULL };
static const char *const propagation_modes[] = { "private", "rprivate", "slave", "rslave", "shared", "rshared", NULL };
static const char *const copy_modes[] = { "nocopy", NULL };
static const char *const consistency_modes[] = { "consistent", "cached", "delegated", NULL };

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* The comma-separated words of s, empty ones included. */
static char **split_commas(const char *s)
{
	char **v = NULL;
	const char *p = s;

	for (const char *comma; (comma = strchr(p, ',')); p = comma + 1)
		strv_push_take(&v, xstrndup(p, (size_t) (comma - p)));
	strv_push(&v, p);
	return v;
}

bool mountspec_valid_mode(const char *mode)
{
	int counts[5] = { 0 };
	const char *const *groups[] = { rw_modes, label_modes, propagation_modes, copy_modes, consistency_modes };
	cleanup_strv char **words = NULL;

	if (!mode || !*mode)
		return true;
	words = split_commas(mode);
	for (size_t i = 0; words[i]; i++) {
		size_t g;
		for (g = 0; g < ARRAY_SIZE(groups); g++)
			if (in_list(groups[g], words[i]))
				break;
		if (g == ARRAY_SIZE(groups))
			return false;
		/* One word of each kind at most. */
		if (++counts[g] > 1)
			return false;
	}
	return true;
}

bool mountspec_mode_rw(const char *mode)
{
	cleanup_strv char **words = NULL;

	if (!mountspec_valid_mode(mode))
		return false;
	if (!mode || !*mode)
		return true;
	words = split_commas(mode);
	return !strv_contains(words, "ro");
}

/* The propagation word of a mode, or NULL. */
static const char *mode_propagation(char *const *words)
{
	for (size_t i = 0; words && words[i]; i++)
		if (in_list(propagation_modes, words[i]))
			return words[i];
	return NULL;
}

/* ---- -v, the CLI's part ------------------------------------------------ */

static bool is_windows_drive(const struct sbuf *buf, char c)
{
	return c == ':' && buf->len == 1 && isalpha((unsigned char) buf->buf[0]);
}

static bool is_file_path(const char *source)
{
	if (source[0] == '.' || source[0] == '/' || source[0] == '~')
		return true;
	if (!source[1])
		return false;
	if (source[0] == '\\' && source[1] == '\\')
		return true;
	return isalpha((unsigned char) source[0]) && source[1] == ':';
}

int mountspec_check_volume_flag(const char *spec, bool *bind, char **bind_form, robbe_error **err)
{
	cleanup_free char *source = NULL;
	cleanup_free char *target = NULL;
	struct sbuf buf = SBUF_INIT;
	size_t len = strlen(spec);

	if (bind)
		*bind = false;
	if (bind_form)
		*bind_form = NULL;
	if (len == 0)
		return robbe_error_set(err, EXIT_ENGINE, "invalid empty volume spec");
	if (len > 2) {
		/* Sections split at colons; a drive letter's colon ("c:") stays
		 * in its section, as the CLI does on every platform. */
		for (size_t i = 0; i <= len; i++) {
			char c = spec[i];
			const char *why = NULL;

			if (c && is_windows_drive(&buf, c)) {
				sbuf_addc(&buf, c);
				continue;
			}
			if (c && c != ':') {
				sbuf_addc(&buf, c);
				continue;
			}
			if (buf.len == 0)
				why = "empty section between colons";
			else if (!source && !c)
				target = sbuf_detach(&buf);
			else if (!source)
				source = sbuf_detach(&buf);
			else if (!target)
				target = sbuf_detach(&buf);
			else if (c == ':')
				why = "too many colons";
			/* A third section holds options the CLI does not check. */
			sbuf_reset(&buf);
			if (why) {
				sbuf_release(&buf);
				return robbe_error_set(err, EXIT_ENGINE, "invalid spec: %s: %s", spec, why);
			}
		}
		sbuf_release(&buf);
	}
	if (!source)
		return 0;
	if (bind)
		*bind = true;
	if (bind_form) {
		const char *colon = strchr(spec, ':');
		if (is_file_path(source) && colon && spec[0] == '.') {
			cleanup_free char *host = xstrndup(spec, (size_t) (colon - spec));
			cleanup_free char *abs = abs_path(host);
			*bind_form = xasprintf("%s%s", abs ? abs : host, colon);
		} else {
			*bind_form = xstrdup(spec);
		}
	}
	return 0;
}

/* ---- --mount: one CSV record ---------------------------------------------- */

struct csv_lines {
	const char *p, *end;
	int line;
};

/* The next line, newline included; false at the end. */
static bool csv_next_line(struct csv_lines *c, const char **line, size_t *len)
{
	const char *nl;

	if (c->p >= c->end)
		return false;
	nl = memchr(c->p, '\n', (size_t) (c->end - c->p));
	*line = c->p;
	*len = nl ? (size_t) (nl - c->p) + 1 : (size_t) (c->end - c->p);
	c->p += *len;
	c->line++;
	return true;
}

static size_t nl_len(const char *line, size_t len)
{
	return len > 0 && line[len - 1] == '\n' ? 1 : 0;
}

static int csv_error(robbe_error **err, int start, int line, int col, const char *what)
{
	if (start != line)
		return robbe_error_set(err, EXIT_ENGINE, "record on line %d; parse error on line %d, column %d: %s", start,
				       line, col, what);
	return robbe_error_set(err, EXIT_ENGINE, "parse error on line %d, column %d: %s", line, col, what);
}

#define CSV_BARE_QUOTE "bare \" in non-quoted-field"
#define CSV_QUOTE "extraneous or missing \" in quoted-field"

/* Go's encoding/csv Reader.Read: the first non-empty record of s. */
UNITTEST int mountspec_csv_record(const char *s, char ***fields, robbe_error **err)
{
	cleanup_sbuf struct sbuf norm = SBUF_INIT;
	cleanup_strv char **out = NULL;
	struct csv_lines c;
	const char *line = NULL;
	size_t len = 0;
	int start, col = 1;
	bool got;

	*fields = NULL;
	/* "\r\n" reads as "\n"; a "\r" just before the end is dropped. */
	for (const char *p = s; *p; p++) {
		if (p[0] == '\r' && (p[1] == '\n' || p[1] == '\0'))
			continue;
		sbuf_addc(&norm, *p);
	}
	c.p = sbuf_str(&norm);
	c.end = c.p + norm.len;
	c.line = 0;
	while ((got = csv_next_line(&c, &line, &len)) && len == nl_len(line, len))
		; /* empty lines are skipped */
	if (!got)
		return robbe_error_set(err, EXIT_ENGINE, "EOF");
	start = c.line;

	for (;;) {
		struct sbuf field = SBUF_INIT;

		if (len == 0 || line[0] != '"') {
			const char *comma = memchr(line, ',', len);
			size_t flen = comma ? (size_t) (comma - line) : len - nl_len(line, len);
			const char *q = memchr(line, '"', flen);

			if (q)
				return csv_error(err, start, c.line, col + (int) (q - line), CSV_BARE_QUOTE);
			sbuf_add(&field, line, flen);
			strv_push_take(&out, sbuf_detach(&field));
			if (!comma)
				break;
			col += (int) flen + 1;
			len -= flen + 1;
			line = comma + 1;
			continue;
		}

		/* A quoted field: "" is a quote, the closing quote must be
		 * followed by a comma or the end of the line. */
		line++, len--, col++;
		for (;;) {
			const char *q = memchr(line, '"', len);
			if (q) {
				size_t i = (size_t) (q - line);
				sbuf_add(&field, line, i);
				line += i + 1, len -= i + 1, col += (int) i + 1;
				if (len > 0 && line[0] == '"') {
					sbuf_addc(&field, '"');
					line++, len--, col++;
				} else if (len > 0 && line[0] == ',') {
					line++, len--, col++;
					strv_push_take(&out, sbuf_detach(&field));
					goto next_field;
				} else if (len == nl_len(line, len)) {
					strv_push_take(&out, sbuf_detach(&field));
					goto done;
				} else {
					sbuf_release(&field);
					return csv_error(err, start, c.line, col - 1, CSV_QUOTE);
				}
			} else if (len > 0) {
				/* The field goes on past the end of the line. */
				sbuf_add(&field, line, len);
				col += (int) len;
				if (csv_next_line(&c, &line, &len)) {
					col = 1;
				} else {
					line = c.end;
					len = 0;
				}
			} else {
				sbuf_release(&field);
				return csv_error(err, start, c.line, col, CSV_QUOTE);
			}
		}
next_field:;
	}
done:
	*fields = steal_pointer(&out);
	return 0;
}

/* ---- --mount ----------------------------------------------------------- */

static int bad_value(robbe_error **err, const char *key, const char *val)
{
	return robbe_error_set(err, EXIT_ENGINE, "invalid value for %s: %s", key, val);
}

/* strconv.ParseUint(s, 8, 32) */
static bool parse_octal32(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '7')
			return false;
		v = v * 8 + (uint64_t) (*p - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t) v;
	return true;
}

static enum mountspec_type type_of(const char *name)
{
	if (strcmp(name, "volume") == 0)
		return MOUNTSPEC_VOLUME;
	if (strcmp(name, "bind") == 0)
		return MOUNTSPEC_BIND;
	if (strcmp(name, "tmpfs") == 0)
		return MOUNTSPEC_TMPFS;
	if (strcmp(name, "image") == 0)
		return MOUNTSPEC_IMAGE;
	return MOUNTSPEC_OTHER;
}

/* One field of a --mount record. */
static int mount_field(struct mountspec *m, const char *field, robbe_error **err)
{
	const char *eq = strchr(field, '=');
	cleanup_free char *key = lower_dup(field);
	const char *val = eq ? eq + 1 : NULL;
	bool b;

	if (eq)
		key[eq - field] = '\0';
	if (!val) {
		if (strcmp(key, "readonly") == 0 || strcmp(key, "ro") == 0) {
			m->read_only = true;
		} else if (strcmp(key, "volume-nocopy") == 0) {
			m->volume_options = true;
			m->nocopy = true;
		} else if (strcmp(key, "bind-nonrecursive") == 0) {
			m->bind_options = true;
			m->nonrecursive = true;
		} else {
			return robbe_error_set(err, EXIT_ENGINE, "invalid field '%s' must be a key=value pair", field);
		}
		return 0;
	}

	if (strcmp(key, "type") == 0) {
		free(m->type_name);
		m->type_name = lower_dup(val);
	} else if (strcmp(key, "source") == 0 || strcmp(key, "src") == 0) {
		free(m->source);
		m->source = val[0] == '.' ? abs_path(val) : xstrdup(val);
	} else if (strcmp(key, "target") == 0 || strcmp(key, "dst") == 0 || strcmp(key, "destination") == 0) {
		set_str(&m->target, val);
	} else if (strcmp(key, "readonly") == 0 || strcmp(key, "ro") == 0) {
		if (!go_parse_bool(val, &m->read_only))
			return bad_value(err, key, val);
	} else if (strcmp(key, "consistency") == 0) {
		free(m->consistency);
		m->consistency = lower_dup(val);
	} else if (strcmp(key, "bind-propagation") == 0) {
		m->bind_options = true;
		free(m->propagation);
		m->propagation = lower_dup(val);
	} else if (strcmp(key, "bind-nonrecursive") == 0) {
		m->bind_options = true;
		if (!go_parse_bool(val, &m->nonrecursive))
			return bad_value(err, key, val);
	} else if (strcmp(key, "bind-recursive") == 0) {
		if (strcmp(val, "enabled") == 0) {
			/* the default: nothing to record */
		} else if (strcmp(val, "disabled") == 0) {
			m->bind_options = true;
			m->nonrecursive = true;
		} else if (strcmp(val, "writable") == 0) {
			m->bind_options = true;
			m->ro_nonrecursive = true;
		} else if (strcmp(val, "readonly") == 0) {
			m->bind_options = true;
			m->ro_force_recursive = true;
		} else {
			return robbe_error_set(err, EXIT_ENGINE,
					       "invalid value for %s: %s (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")",
					       key, val);
		}
	} else if (strcmp(key, "volume-subpath") == 0) {
		m->volume_options = true;
		set_str(&m->subpath, val);
	} else if (strcmp(key, "volume-nocopy") == 0) {
		m->volume_options = true;
		if (!go_parse_bool(val, &b))
			return robbe_error_set(err, EXIT_ENGINE, "invalid value for volume-nocopy: %s", val);
		m->nocopy = b;
	} else if (strcmp(key, "volume-label") == 0) {
		m->volume_options = true;
		if (val[0] && val[0] != '=')
			strv_push(&m->labels, val);
	} else if (strcmp(key, "volume-driver") == 0) {
		m->volume_options = true;
		set_str(&m->driver, val);
	} else if (strcmp(key, "volume-opt") == 0) {
		m->volume_options = true;
		if (val[0] && val[0] != '=')
			strv_push(&m->driver_opts, val);
	} else if (strcmp(key, "image-subpath") == 0) {
		m->image_options = true;
		set_str(&m->image_subpath, val);
	} else if (strcmp(key, "tmpfs-size") == 0) {
		robbe_error *e = NULL;
		if (units_ram_in_bytes(val, &m->tmpfs_size, &e) < 0) {
			robbe_error_free(e);
			return bad_value(err, key, val);
		}
		m->tmpfs_options = true;
	} else if (strcmp(key, "tmpfs-mode") == 0) {
		if (!parse_octal32(val, &m->tmpfs_mode))
			return bad_value(err, key, val);
		m->tmpfs_options = true;
	} else {
		return robbe_error_set(err, EXIT_ENGINE, "unexpected key '%s' in '%s'", key, field);
	}
	return 0;
}

int mountspec_parse_mount(const char *value, struct mountspec *out, robbe_error **err)
{
	cleanup_strv char **fields = NULL;
	struct mountspec m = { 0 };
	const char *why = NULL;

	memset(out, 0, sizeof(*out));
	if (mountspec_csv_record(value, &fields, err) < 0)
		return -1;
	m.type_name = xstrdup("volume");
	for (size_t i = 0; fields[i]; i++) {
		if (mount_field(&m, fields[i], err) < 0) {
			mountspec_release(&m);
			return -1;
		}
	}
	m.type = type_of(m.type_name);

	if (!m.type_name[0])
		why = "type is required";
	else if (!m.target || !m.target[0])
		why = "target is required";
	if (why) {
		mountspec_release(&m);
		return robbe_error_set(err, EXIT_ENGINE, "%s", why);
	}
	const struct {
		bool set;
		enum mountspec_type type;
		const char *prefix;
	} mixes[] = {
		{ m.volume_options, MOUNTSPEC_VOLUME, "volume" },
		{ m.image_options, MOUNTSPEC_IMAGE, "image" },
		{ m.bind_options, MOUNTSPEC_BIND, "bind" },
		{ m.tmpfs_options, MOUNTSPEC_TMPFS, "tmpfs" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(mixes); i++) {
		if (mixes[i].set && m.type != mixes[i].type) {
			robbe_error_set(err, EXIT_ENGINE, "cannot mix '%s-*' options with mount type '%s'", mixes[i].prefix,
					m.type_name);
			mountspec_release(&m);
			return -1;
		}
	}
	if (m.bind_options && m.ro_nonrecursive && !m.read_only)
		why = "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction";
	else if (m.bind_options && m.ro_force_recursive && !m.read_only)
		why = "option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction";
	else if (m.bind_options && m.ro_force_recursive && (!m.propagation || strcmp(m.propagation, "rprivate") != 0))
		why = "option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction";
	if (why) {
		mountspec_release(&m);
		return robbe_error_set(err, EXIT_ENGINE, "%s", why);
	}
	*out = m;
	return 0;
}

int mountspec_validate_mount(const char *value, robbe_error **err)
{
	struct mountspec m;

	if (mountspec_parse_mount(value, &m, err) < 0)
		return -1;
	mountspec_release(&m);
	return 0;
}

/* ---- the daemon's checks ------------------------------------------------- */

static char *slashes(const char *p)
{
	char *r = xstrdup(p);
	for (char *c = r; *c; c++)
		if (*c == '\\')
			*c = '/';
	return r;
}

/* filepath.IsLocal on Unix. */
static bool is_local_path(const char *p)
{
	cleanup_strv char **parts = NULL;
	bool dots = false;

	if (!*p || p[0] == '/')
		return false;
	for (const char *s = p, *slash;; s = slash + 1) {
		if (!(slash = strchr(s, '/'))) {
			strv_push(&parts, s);
			break;
		}
		strv_push_take(&parts, xstrndup(s, (size_t) (slash - s)));
	}
	for (size_t i = 0; parts[i]; i++)
		dots = dots || strcmp(parts[i], ".") == 0 || strcmp(parts[i], "..") == 0;
	if (!dots)
		return true;
	/* Clean it lexically, ".." included, and see whether it leaves. */
	int depth = 0;
	for (size_t i = 0; parts[i]; i++) {
		if (strcmp(parts[i], "..") == 0) {
			if (--depth < 0)
				return false;
		} else if (parts[i][0] && strcmp(parts[i], ".") != 0) {
			depth++;
		}
	}
	return true;
}

static int config_error(robbe_error **err, const struct mountspec *m, const char *fmt, ...) ATTR_PRINTF(3, 4);
static int config_error(robbe_error **err, const struct mountspec *m, const char *fmt, ...)
{
	cleanup_sbuf struct sbuf sb = SBUF_INIT;
	va_list ap;

	sbuf_adds(&sb, "invalid mount config for type ");
	sbuf_add_go_quoted(&sb, m->type_name ? m->type_name : "");
	sbuf_adds(&sb, ": ");
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return robbe_error_set(err, 0, "%s", sbuf_str(&sb));
}

static int check_absolute(robbe_error **err, const struct mountspec *m, const char *p)
{
	cleanup_free char *s = slashes(p);
	if (s[0] == '/')
		return 0;
	return config_error(err, m, "invalid mount path: '%s' mount path must be absolute", s);
}

int mountspec_validate(const struct mountspec *m, bool check_source, robbe_error **err)
{
	if (!m->target || !m->target[0])
		return config_error(err, m, "field Target must not be empty");
	{
		cleanup_free char *t = slashes(m->target);
		cleanup_free char *clean = mountspec_clean_path(t);
		if (clean && strcmp(clean, "/") == 0)
			return config_error(err, m, "invalid specification: destination can't be '/'");
	}
	if (check_absolute(err, m, m->target) < 0)
		return -1;

	switch (m->type) {
	case MOUNTSPEC_BIND:
		if (!m->source || !m->source[0])
			return config_error(err, m, "field Source must not be empty");
		if (m->bind_options && m->propagation && m->propagation[0] &&
		    !in_list(propagation_modes, m->propagation))
			return config_error(err, m, "invalid propagation mode: %s", m->propagation);
		if (m->volume_options)
			return config_error(err, m, "field VolumeOptions must not be specified");
		if (m->image_options)
			return config_error(err, m, "field ImageOptions must not be specified");
		if (check_absolute(err, m, m->source) < 0)
			return -1;
		if (check_source) {
			struct stat st;
			if (stat(m->source, &st) < 0) {
				if (errno == ENOENT)
					return config_error(err, m, "bind source path does not exist: %s", m->source);
				return config_error(err, m, "stat %s: %s", m->source, strerror(errno));
			}
		}
		break;
	case MOUNTSPEC_VOLUME: {
		bool anonymous = !m->source || !m->source[0];
		if (m->bind_options)
			return config_error(err, m, "field BindOptions must not be specified");
		if (m->image_options)
			return config_error(err, m, "field ImageOptions must not be specified");
		if (m->subpath && m->subpath[0]) {
			if (anonymous)
				return config_error(err, m, "must not set Subpath when using anonymous volumes");
			if (!is_local_path(m->subpath))
				return config_error(err, m, "subpath must be a relative path within the volume");
		}
		if (m->read_only && anonymous)
			return config_error(err, m, "must not set ReadOnly mode when using anonymous volumes");
		break;
	}
	case MOUNTSPEC_TMPFS:
		if (m->bind_options)
			return config_error(err, m, "field BindOptions must not be specified");
		if (m->image_options)
			return config_error(err, m, "field ImageOptions must not be specified");
		if (m->source && m->source[0])
			return config_error(err, m, "field Source must not be specified");
		break;
	case MOUNTSPEC_IMAGE:
		if (m->bind_options)
			return config_error(err, m, "field BindOptions must not be specified");
		if (m->volume_options)
			return config_error(err, m, "field VolumeOptions must not be specified");
		if (!m->source || !m->source[0])
			return config_error(err, m, "field Source must not be empty");
		break;
	default:
		return config_error(err, m, "mount type unknown");
	}
	return 0;
}

static int invalid_spec(robbe_error **err, const char *raw)
{
	return robbe_error_set(err, 0, "invalid volume specification: '%s'", raw);
}

int mountspec_parse_bind(const char *raw, const char *volume_driver, struct mountspec *out, robbe_error **err)
{
	cleanup_strv char **arr = NULL;
	cleanup_strv char **words = NULL;
	struct mountspec m = { 0 };
	const char *mode = "";
	const char *prop;

	memset(out, 0, sizeof(*out));
	/* strings.SplitN(raw, ":", 4) */
	{
		const char *p = raw;
		const char *colon;
		while (strv_len(arr) < 3 && (colon = strchr(p, ':'))) {
			strv_push_take(&arr, xstrndup(p, (size_t) (colon - p)));
			p = colon + 1;
		}
		strv_push(&arr, p);
	}
	if (!arr[0][0])
		return invalid_spec(err, raw);
	switch (strv_len(arr)) {
	case 1:
		m.target = xstrdup(arr[0]);
		break;
	case 2:
		/* "/foo:rw" is a destination and a mode, which a volume cannot be. */
		if (mountspec_valid_mode(arr[1]))
			return invalid_spec(err, raw);
		m.source = xstrdup(arr[0]);
		m.target = xstrdup(arr[1]);
		break;
	case 3:
		m.source = xstrdup(arr[0]);
		m.target = xstrdup(arr[1]);
		mode = arr[2];
		break;
	default:
		return invalid_spec(err, raw);
	}
	if (!mountspec_valid_mode(mode)) {
		mountspec_release(&m);
		return robbe_error_set(err, 0, "invalid mode: %s", mode);
	}
	m.from_volume_flag = true;
	m.raw = xstrdup(raw);
	m.mode = xstrdup(mode);
	m.type = m.source && m.source[0] == '/' ? MOUNTSPEC_BIND : MOUNTSPEC_VOLUME;
	m.type_name = xstrdup(m.type == MOUNTSPEC_BIND ? "bind" : "volume");
	m.read_only = !mountspec_mode_rw(mode);
	if (volume_driver && *volume_driver && m.type == MOUNTSPEC_VOLUME) {
		m.volume_options = true;
		m.driver = xstrdup(volume_driver);
	}
	words = split_commas(mode);
	if (strv_contains(words, "nocopy")) {
		m.volume_options = true;
		m.nocopy = true;
	}
	if ((prop = mode_propagation(words))) {
		m.bind_options = true;
		m.propagation = xstrdup(prop);
	}
	if (mountspec_validate(&m, false, err) < 0) {
		mountspec_release(&m);
		return robbe_error_wrap(err, "invalid volume specification: '%s'", raw);
	}
	*out = m;
	return 0;
}

int mountspec_parse_volumes_from(const char *spec, char **container, char **mode, robbe_error **err)
{
	const char *colon;
	cleanup_strv char **words = NULL;

	*container = NULL;
	*mode = NULL;
	if (!spec || !*spec)
		return robbe_error_set(err, 0, "volumes-from specification cannot be an empty string");
	colon = strchr(spec, ':');
	if (!colon || !colon[1]) {
		*container = colon ? xstrndup(spec, (size_t) (colon - spec)) : xstrdup(spec);
		*mode = xstrdup("rw");
		return 0;
	}
	if (!mountspec_valid_mode(colon + 1))
		return robbe_error_set(err, 0, "invalid mode: %s", colon + 1);
	/* Propagation and copy modes come from the source container's mounts. */
	words = split_commas(colon + 1);
	for (size_t i = 0; words[i]; i++)
		if (in_list(propagation_modes, words[i]) || in_list(copy_modes, words[i]))
			return robbe_error_set(err, 0, "invalid mode: %s", colon + 1);
	*container = xstrndup(spec, (size_t) (colon - spec));
	*mode = xstrdup(colon + 1);
	return 0;
}

char **mountspec_tmpfs_options(const struct mountspec *m)
{
	char **v = NULL;

	if (m->read_only)
		strv_push(&v, "ro");
	if (m->tmpfs_mode)
		strv_push_take(&v, xasprintf("mode=%o", m->tmpfs_mode));
	if (m->tmpfs_size) {
		static const struct {
			char suffix;
			int64_t div;
		} units[] = { { 'g', 1LL << 30 }, { 'm', 1LL << 20 }, { 'k', 1LL << 10 } };
		int64_t size = m->tmpfs_size;
		char suffix = 0;
		for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
			if (size % units[i].div == 0) {
				size /= units[i].div;
				suffix = units[i].suffix;
				break;
			}
		}
		if (suffix)
			strv_push_take(&v, xasprintf("size=%lld%c", (long long) size, suffix));
		else
			strv_push_take(&v, xasprintf("size=%lld", (long long) size));
	}
	return v;
}
