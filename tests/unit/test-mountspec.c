/* test-mountspec.c: -v, --mount and --volumes-from parsing with Docker 28's
 * words (checked against docker CLI 28.2.2 and moby v28.2.2's parser), and
 * the small pure helpers of the volume engine. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "compat/cmd-volume.h"
#include "src/mountspec.h"
#include "src/volume.h"
#include "tap.h"

static char *msg_of(int r, robbe_error *e)
{
	char *m = r < 0 && e ? xstrdup(e->msg) : NULL;
	robbe_error_free(e);
	return m;
}

static char *mount_err(const char *v)
{
	robbe_error *e = NULL;
	int r = mountspec_validate_mount(v, &e);
	return msg_of(r, e);
}

static char *volume_flag_err(const char *v)
{
	robbe_error *e = NULL;
	int r = mountspec_check_volume_flag(v, NULL, NULL, &e);
	return msg_of(r, e);
}

static char *bind_err(const char *v)
{
	struct mountspec m;
	robbe_error *e = NULL;
	int r = mountspec_parse_bind(v, NULL, &m, &e);
	if (r == 0)
		mountspec_release(&m);
	return msg_of(r, e);
}

/* A value fit for a TAP line: newlines shown as \n. */
static const char *show(const char *s)
{
	static char buf[256];
	size_t k = 0;

	for (; *s && k + 3 < sizeof(buf); s++) {
		if (*s == '\n') {
			buf[k++] = '\\';
			buf[k++] = 'n';
		} else {
			buf[k++] = *s;
		}
	}
	buf[k] = '\0';
	return buf;
}

/* --mount parsed by the CLI, then checked by the daemon. */
static char *daemon_mount_err(const char *v)
{
	struct mountspec m;
	robbe_error *e = NULL;
	int r = mountspec_parse_mount(v, &m, &e);
	if (r < 0)
		return msg_of(r, e);
	r = mountspec_validate(&m, true, &e);
	mountspec_release(&m);
	return msg_of(r, e);
}

static void check_mount_errors(void)
{
	static const char *const cases[][2] = {
		{ "type=bind", "target is required" },
		{ "src=/a", "target is required" },
		{ "type=volume,target=/x,bogus=1", "unexpected key 'bogus' in 'bogus=1'" },
		{ "type=bind,source=/a,target=/b,readonly=maybe", "invalid value for readonly: maybe" },
		{ "dst=/b,ro=yes", "invalid value for ro: yes" },
		{ "dst=/b,RO=yes", "invalid value for ro: yes" },
		{ "target=/x,tmpfs-size=1x", "invalid value for tmpfs-size: 1x" },
		{ "type=tmpfs,dst=/b,tmpfs-size=-1", "invalid value for tmpfs-size: -1" },
		{ "type=tmpfs,target=/x,tmpfs-mode=999", "invalid value for tmpfs-mode: 999" },
		{ "type=tmpfs,dst=/b,tmpfs-mode=0x1", "invalid value for tmpfs-mode: 0x1" },
		{ "novalue", "invalid field 'novalue' must be a key=value pair" },
		{ "dst=/b,,ro", "invalid field '' must be a key=value pair" },
		{ "type=volume,dst=/b,volume-opt", "invalid field 'volume-opt' must be a key=value pair" },
		{ "type=bind,src=/a,dst=/b,bind-create-src", "invalid field 'bind-create-src' must be a key=value pair" },
		{ "type=bind,src=/a,dst=/b,bind-create-src=true", "unexpected key 'bind-create-src' in 'bind-create-src=true'" },
		{ " dst=/b", "unexpected key ' dst' in ' dst=/b'" },
		{ "type=tmpfs,dst=/b,tmpfs-options=x", "unexpected key 'tmpfs-options' in 'tmpfs-options=x'" },
		{ "type=,dst=/b", "type is required" },
		{ "type=bind,src=/a,dst=/b,volume-nocopy", "cannot mix 'volume-*' options with mount type 'bind'" },
		{ "type=volume,bind-propagation=shared,dst=/x", "cannot mix 'bind-*' options with mount type 'volume'" },
		{ "dst=/b,image-subpath=a", "cannot mix 'image-*' options with mount type 'volume'" },
		{ "type=bind,dst=/b,tmpfs-size=1m", "cannot mix 'tmpfs-*' options with mount type 'bind'" },
		{ "type=npipe,dst=/b,bind-propagation=shared", "cannot mix 'bind-*' options with mount type 'npipe'" },
		/* the order of the mix checks: volume, image, bind, tmpfs */
		{ "type=tmpfs,dst=/b,image-subpath=a,volume-nocopy", "cannot mix 'volume-*' options with mount type 'tmpfs'" },
		{ "type=bind,dst=/b,image-subpath=a,tmpfs-size=1", "cannot mix 'image-*' options with mount type 'bind'" },
		{ "type=volume,dst=/b,image-subpath=a,bind-propagation=shared", "cannot mix 'image-*' options with mount type 'volume'" },
		{ "type=volume,dst=/b,tmpfs-size=1,bind-propagation=a", "cannot mix 'bind-*' options with mount type 'volume'" },
		{ "type=bind,src=/a,dst=/b,bind-recursive=foo",
		  "invalid value for bind-recursive: foo (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")" },
		{ "type=bind,src=/a,dst=/b,bind-recursive=writable",
		  "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction" },
		{ "type=bind,dst=/b,bind-recursive=writable,ro=false",
		  "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction" },
		{ "type=bind,src=/a,dst=/b,bind-recursive=readonly,ro",
		  "option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction" },
		{ "type=volume,src=v,dst=/x,volume-nocopy=maybe", "invalid value for volume-nocopy: maybe" },
		{ "type=bind,src=/a,dst=/b,bind-nonrecursive=x", "invalid value for bind-nonrecursive: x" },
		/* CSV, with Go's encoding/csv positions */
		{ "", "EOF" },
		{ "type=bind,src=\"/a,b\",dst=/b", "parse error on line 1, column 15: bare \" in non-quoted-field" },
		{ "dst=/b,src=a\"b", "parse error on line 1, column 13: bare \" in non-quoted-field" },
		{ "\"src=/a\"x,dst=/b", "parse error on line 1, column 8: extraneous or missing \" in quoted-field" },
		{ "\"src=/a,dst=/b", "parse error on line 1, column 15: extraneous or missing \" in quoted-field" },
		{ "dst=/b,\"src=/a", "parse error on line 1, column 15: extraneous or missing \" in quoted-field" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cleanup_free char *m = mount_err(cases[i][0]);
		is_str(m, cases[i][1], "--mount '%s' fails", show(cases[i][0]));
	}

	static const char *const fine[] = {
		"TYPE=Bind,SRC=/a,dst=/b",
		"type=bind,target=/b,readonly=TRUE,readonly",
		"type=bind,target=/b,RO=t",
		"src=x,dst=/b,volume-nocopy=T",
		"dst=/b,type=tmpfs,\"ro\"",
		"\"dst=/b\"\"x\",type=tmpfs",
		"\ndst=/b,type=bind,src=/a",
		"dst=/b\nfoo",
		"type=bind,dst=/b,bind-recursive=readonly,ro,bind-propagation=RPRIVATE",
		"type=bind,src=/a,dst=/b,bind-nonrecursive",
		"type=volume,dst=/b,bind-recursive=enabled",
		"type=image,src=x,dst=/y,image-subpath=a",
		"type=volume,src=v,dst=/x,volume-label=a=b,volume-label=c",
		"type=tmpfs,dst=/b,ro=0,tmpfs-size=0",
	};
	for (size_t i = 0; i < ARRAY_SIZE(fine); i++) {
		cleanup_free char *m = mount_err(fine[i]);
		is_str(m, NULL, "--mount '%s' parses", show(fine[i]));
	}
}

static void check_mount_values(void)
{
	struct mountspec m;
	robbe_error *e = NULL;
	cleanup_free char *cwd = getcwd(NULL, 0);

	ok(mountspec_parse_mount("TYPE=Bind,SRC=/a,dst=/b", &m, &e) == 0, "parse upper-case keys");
	is_int(m.type, MOUNTSPEC_BIND, "type folds to bind");
	is_str(m.type_name, "bind", "type name lower case");
	is_str(m.source, "/a", "source");
	is_str(m.target, "/b", "target");
	ok(!m.read_only, "writable by default");
	mountspec_release(&m);

	ok(mountspec_parse_mount("\"src=/a,b\",dst=/b,type=tmpfs", &m, &e) == 0, "quoted field with a comma");
	is_str(m.source, "/a,b", "quoted source keeps its comma");
	is_int(m.type, MOUNTSPEC_TMPFS, "tmpfs");
	mountspec_release(&m);

	ok(mountspec_parse_mount("dst=/b,\"ro\nx\"", &m, &e) < 0, "a field spanning lines");
	is_str(e ? e->msg : NULL, "invalid field 'ro\nx' must be a key=value pair", "keeps the newline");
	robbe_error_free(e);
	e = NULL;

	ok(mountspec_parse_mount("type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1777,ro", &m, &e) == 0, "tmpfs options");
	is_int(m.tmpfs_size, 64 << 20, "tmpfs-size in bytes");
	is_int(m.tmpfs_mode, 01777, "tmpfs-mode octal");
	{
		cleanup_strv char **o = mountspec_tmpfs_options(&m);
		is_int((long long) strv_len(o), 3, "three tmpfs options");
		is_str(o ? o[0] : NULL, "ro", "ro first");
		is_str(o && o[0] ? o[1] : NULL, "mode=1777", "then mode");
		is_str(o && o[0] && o[1] ? o[2] : NULL, "size=64m", "then size in m");
	}
	mountspec_release(&m);
	ok(mountspec_parse_mount("type=tmpfs,dst=/t,tmpfs-size=1536", &m, &e) == 0, "odd tmpfs size");
	{
		cleanup_strv char **o = mountspec_tmpfs_options(&m);
		is_str(o ? o[0] : NULL, "size=1536", "no unit when none divides the size");
	}
	mountspec_release(&m);

	ok(mountspec_parse_mount("type=volume,src=v,dst=/x,volume-nocopy,volume-label=a=b,volume-opt=type=tmpfs,volume-driver=local,volume-subpath=sub",
				 &m, &e) == 0,
	   "volume options");
	ok(m.nocopy && m.volume_options, "nocopy");
	is_str(m.labels ? m.labels[0] : NULL, "a=b", "label");
	is_str(m.driver_opts ? m.driver_opts[0] : NULL, "type=tmpfs", "driver option");
	is_str(m.driver, "local", "driver");
	is_str(m.subpath, "sub", "subpath");
	mountspec_release(&m);

	ok(mountspec_parse_mount("src=./rel/../d,dst=/x", &m, &e) == 0, "relative source");
	{
		cleanup_free char *want = xasprintf("%s/d", cwd);
		is_str(m.source, want, "made absolute against the current directory");
	}
	is_int(m.type, MOUNTSPEC_VOLUME, "a volume by default");
	mountspec_release(&m);

	ok(mountspec_parse_mount("type=bind,src=/a,dst=/b,bind-recursive=disabled,bind-propagation=RSHARED", &m, &e) == 0,
	   "bind options");
	ok(m.nonrecursive, "bind-recursive=disabled is non-recursive");
	is_str(m.propagation, "rshared", "propagation lower-cased");
	mountspec_release(&m);
}

static void check_daemon_mount(void)
{
	static const char *const cases[][2] = {
		{ "type=bind,src=/nonexistent-robbe-x,dst=/b",
		  "invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-robbe-x" },
		{ "type=bind,src=rel,dst=/b", "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute" },
		{ "dst=/x,ro", "invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes" },
		{ "type=volume,dst=/x,volume-subpath=a", "invalid mount config for type \"volume\": must not set Subpath when using anonymous volumes" },
		{ "src=v,dst=/x,volume-subpath=../a", "invalid mount config for type \"volume\": subpath must be a relative path within the volume" },
		{ "src=v,dst=/x,volume-subpath=/a", "invalid mount config for type \"volume\": subpath must be a relative path within the volume" },
		{ "type=tmpfs,src=/a,dst=/x", "invalid mount config for type \"tmpfs\": field Source must not be specified" },
		{ "type=npipe,dst=/x", "invalid mount config for type \"npipe\": mount type unknown" },
		{ "type=bind,src=/tmp,dst=/x,bind-propagation=foo", "invalid mount config for type \"bind\": invalid propagation mode: foo" },
		{ "dst=x", "invalid mount config for type \"volume\": invalid mount path: 'x' mount path must be absolute" },
		{ "dst=/", "invalid mount config for type \"volume\": invalid specification: destination can't be '/'" },
		{ "dst=/a/..", "invalid mount config for type \"volume\": invalid specification: destination can't be '/'" },
		{ "type=image,dst=/x", "invalid mount config for type \"image\": field Source must not be empty" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cleanup_free char *m = daemon_mount_err(cases[i][0]);
		is_str(m, cases[i][1], "daemon refuses --mount '%s'", cases[i][0]);
	}
	cleanup_free char *fine = daemon_mount_err("type=bind,src=/tmp,dst=/x,bind-propagation=rslave");
	is_str(fine, NULL, "an existing bind source passes");
	cleanup_free char *fine2 = daemon_mount_err("src=v,dst=/x,volume-subpath=a/./b");
	is_str(fine2, NULL, "a local subpath passes");
}

static void check_volume_flag(void)
{
	static const char *const cases[][2] = {
		{ "", "invalid empty volume spec" },
		{ "ab::c", "invalid spec: ab::c: empty section between colons" },
		{ "/a:", "invalid spec: /a:: empty section between colons" },
		{ ":/a", "invalid spec: :/a: empty section between colons" },
		{ "ab:cd:ef:gh", "invalid spec: ab:cd:ef:gh: too many colons" },
		{ "/a:/b:ro:x", "invalid spec: /a:/b:ro:x: too many colons" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cleanup_free char *m = volume_flag_err(cases[i][0]);
		is_str(m, cases[i][1], "-v '%s' fails in the CLI", cases[i][0]);
	}

	static const struct {
		const char *spec;
		bool bind;
	} kinds[] = {
		{ "/x", false }, { "ab", false }, { "/data", false }, { "vol:/x", true }, { "/a:/b:ro", true },
		{ "a:/b:bogus", true }, { "c:/foo:/bar", true }, { "x:/data", false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		bool bind = !kinds[i].bind;
		robbe_error *e = NULL;
		ok(mountspec_check_volume_flag(kinds[i].spec, &bind, NULL, &e) == 0 && bind == kinds[i].bind,
		   "-v '%s' is %s", kinds[i].spec, kinds[i].bind ? "a bind" : "anonymous");
		robbe_error_free(e);
	}

	cleanup_free char *cwd = getcwd(NULL, 0);
	cleanup_free char *form = NULL;
	bool bind = false;
	robbe_error *e = NULL;
	ok(mountspec_check_volume_flag("./d/../e:/x:ro", &bind, &form, &e) == 0 && bind, "relative bind");
	cleanup_free char *want = xasprintf("%s/e:/x:ro", cwd);
	is_str(form, want, "host part made absolute, rest kept");
	free(form);
	form = NULL;
	ok(mountspec_check_volume_flag("name:/x", &bind, &form, &e) == 0, "named volume");
	is_str(form, "name:/x", "named volume untouched");
}

static void check_bind(void)
{
	static const char *const cases[][2] = {
		{ "/foo:rw", "invalid volume specification: '/foo:rw'" },
		{ ":/foo", "invalid volume specification: ':/foo'" },
		{ "a:/b:ro:x", "invalid volume specification: 'a:/b:ro:x'" },
		/* what the CLI lets through with a one-letter "drive" */
		{ "a::b", "invalid mode: b" },
		{ "a:b:c:d", "invalid volume specification: 'a:b:c:d'" },
		{ "a:/b:bogus", "invalid mode: bogus" },
		{ "a:/b:ro,rw", "invalid mode: ro,rw" },
		{ "a:/b:z,Z", "invalid mode: z,Z" },
		{ "a:/b:ro,", "invalid mode: ro," },
		{ "a:b", "invalid volume specification: 'a:b': invalid mount config for type \"volume\": invalid mount path: 'b' mount path must be absolute" },
		{ "a:/", "invalid volume specification: 'a:/': invalid mount config for type \"volume\": invalid specification: destination can't be '/'" },
		{ "name:/x:shared", "invalid volume specification: 'name:/x:shared': invalid mount config for type \"volume\": field BindOptions must not be specified" },
		{ "/a:/b:nocopy", "invalid volume specification: '/a:/b:nocopy': invalid mount config for type \"bind\": field VolumeOptions must not be specified" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cleanup_free char *m = bind_err(cases[i][0]);
		is_str(m, cases[i][1], "daemon refuses -v '%s'", cases[i][0]);
	}

	struct mountspec m;
	robbe_error *e = NULL;
	ok(mountspec_parse_bind("/a:/b:ro,z,rshared", NULL, &m, &e) == 0, "bind with modes");
	is_int(m.type, MOUNTSPEC_BIND, "absolute source is a bind");
	ok(m.read_only, "ro");
	is_str(m.propagation, "rshared", "propagation");
	is_str(m.mode, "ro,z,rshared", "mode as typed");
	mountspec_release(&m);
	ok(mountspec_parse_bind("/nonexistent-robbe-y:/b", NULL, &m, &e) == 0, "-v does not need the host path");
	mountspec_release(&m);
	ok(mountspec_parse_bind("data:/var/lib/x:nocopy,ro", "local", &m, &e) == 0, "named volume with modes");
	is_int(m.type, MOUNTSPEC_VOLUME, "a name is a volume");
	ok(m.nocopy && m.read_only, "nocopy and ro");
	is_str(m.driver, "local", "--volume-driver applies");
	mountspec_release(&m);
	ok(mountspec_parse_bind("data:/x:consistent,delegated", NULL, &m, &e) < 0, "two consistency modes");
	robbe_error_free(e);
	e = NULL;
	ok(mountspec_parse_bind("/a:/x:cached,private,rw,Z", NULL, &m, &e) == 0, "one of each kind");
	mountspec_release(&m);
}

static void check_volumes_from(void)
{
	char *c = NULL, *mode = NULL;
	robbe_error *e = NULL;
	struct {
		const char *spec, *c, *mode, *err;
	} cases[] = {
		{ "", NULL, NULL, "volumes-from specification cannot be an empty string" },
		{ "web", "web", "rw", NULL },
		{ "web:", "web", "rw", NULL },
		{ "web:ro", "web", "ro", NULL },
		{ "web:ro,z", "web", "ro,z", NULL },
		{ "web:shared", NULL, NULL, "invalid mode: shared" },
		{ "web:nocopy", NULL, NULL, "invalid mode: nocopy" },
		{ "web:bogus", NULL, NULL, "invalid mode: bogus" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int r = mountspec_parse_volumes_from(cases[i].spec, &c, &mode, &e);
		if (cases[i].err) {
			is_str(r < 0 && e ? e->msg : NULL, cases[i].err, "--volumes-from '%s' fails", cases[i].spec);
		} else {
			ok(r == 0 && c && mode && strcmp(c, cases[i].c) == 0 && strcmp(mode, cases[i].mode) == 0,
			   "--volumes-from '%s' is %s:%s", cases[i].spec, cases[i].c, cases[i].mode);
		}
		robbe_error_free(e);
		e = NULL;
		free(c);
		free(mode);
	}
}

static void check_helpers(void)
{
	ok(mountspec_valid_mode(""), "empty mode");
	ok(mountspec_valid_mode("ro,Z,rslave,nocopy,cached"), "a full mode");
	ok(!mountspec_valid_mode("ro-non-recursive"), "Docker 28 knows only ro and rw");
	ok(!mountspec_mode_rw("z,ro"), "ro anywhere makes it read-only");
	ok(mountspec_mode_rw("rw"), "rw");

	cleanup_free char *c1 = mountspec_clean_path("/a/./b/../c//");
	is_str(c1, "/a/c", "path.Clean");
	cleanup_free char *c2 = mountspec_clean_path("a/b");
	is_str(c2, NULL, "relative paths are not cleaned");

	ok(volume_name_valid("ab"), "two characters");
	ok(volume_name_valid("my_vol.1-x"), "underscore, dot, dash");
	ok(!volume_name_valid("a"), "one character");
	ok(!volume_name_valid("_ab"), "must start alphanumeric");
	ok(!volume_name_valid("a/b"), "no slash");
	ok(!volume_name_valid("~/x"), "no tilde");

	ok(volume_name_less("v2", "v10"), "natural: v2 < v10");
	ok(!volume_name_less("v10", "v2"), "natural: not v10 < v2");
	ok(volume_name_less("1a", "a"), "digits before letters");
	ok(volume_name_less("v01", "v001"), "fewer zeros first");
	ok(volume_name_less("ab", "abc"), "prefix first");
	ok(!volume_name_less("ab", "ab"), "irreflexive");

	struct sbuf sb = SBUF_INIT;
	sbuf_add_go_quoted(&sb, "a\"b\\c\n\x01\xc3\xa9\xff");
	is_str(sbuf_str(&sb), "\"a\\\"b\\\\c\\n\\x01\xc3\xa9\\xff\"", "Go %%q");
	sbuf_release(&sb);
}

int main(void)
{
	check_mount_errors();
	check_mount_values();
	check_daemon_mount();
	check_volume_flag();
	check_bind();
	check_volumes_from();
	check_helpers();
	return tap_done();
}
