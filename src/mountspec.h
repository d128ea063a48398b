/* mountspec.h: the mount syntaxes of `docker run`/`create`, parsed into one
 * typed form with Docker 28's rules and error words.
 *
 *   -v/--volume  "/host:/ctr[:mode]", "name:/ctr[:mode]", "/ctr"
 *                mode: ro|rw, z|Z, [r]shared|[r]slave|[r]private, nocopy,
 *                consistent|cached|delegated, comma-separated, one of each
 *   --mount      "type=bind|volume|tmpfs,source=..,target=..,readonly,..."
 *                (a CSV record, keys as Docker's CLI takes them)
 *   --volumes-from "container[:ro|rw]"
 *
 * Docker checks these in two places and robbe keeps the split, because the
 * messages read differently: what the CLI checks (mountspec_check_volume_flag,
 * mountspec_parse_mount) is reported as it stands, what the daemon checks
 * (mountspec_parse_bind, mountspec_validate, the volume engine) comes back
 * as "Error response from daemon: ...".  Nothing here touches the store or
 * creates anything, except mountspec_validate looking at a bind source.
 */
#ifndef ROBBE_MOUNTSPEC_H
#define ROBBE_MOUNTSPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

enum mountspec_type {
	MOUNTSPEC_VOLUME = 0,	/* Docker's default type */
	MOUNTSPEC_BIND,
	MOUNTSPEC_TMPFS,
	MOUNTSPEC_IMAGE,	/* accepted by the syntax; robbe cannot mount it */
	MOUNTSPEC_OTHER,	/* npipe, cluster or anything else the user typed */
};

struct mountspec {
	enum mountspec_type type;
	char *type_name;	/* as Docker keeps it: lower case, "" when --mount type= was empty */
	char *source;		/* NULL when not given (anonymous volume, tmpfs) */
	char *target;		/* as given; NULL when not given */
	bool read_only;
	char *consistency;	/* NULL or as given */

	/* bind options (BindOptions in Docker's API) */
	bool bind_options;	/* any bind-* key or a -v propagation mode */
	char *propagation;	/* "rprivate", "shared", ...; NULL when not given */
	bool nonrecursive;	/* bind-recursive=disabled, bind-nonrecursive */
	bool ro_nonrecursive;	/* bind-recursive=writable */
	bool ro_force_recursive; /* bind-recursive=readonly */

	/* volume options (VolumeOptions) */
	bool volume_options;	/* any volume-* key, -v nocopy or --volume-driver */
	bool nocopy;
	char *subpath;		/* volume-subpath */
	char *driver;		/* volume-driver */
	char **labels;		/* volume-label "k=v", in order */
	char **driver_opts;	/* volume-opt "k=v", in order */

	/* image options */
	bool image_options;
	char *image_subpath;

	/* tmpfs options */
	bool tmpfs_options;
	int64_t tmpfs_size;	/* bytes, 0 = none */
	uint32_t tmpfs_mode;	/* 0 = none */

	/* -v only */
	bool from_volume_flag;
	char *mode;		/* the mode part as typed, "" when none */
	char *raw;		/* the whole spec (HostConfig.Binds form) */
};

void mountspec_release(struct mountspec *m);

/* ---- the CLI's part ---------------------------------------------------- */

/* What Docker's CLI does with one -v value before the daemon sees it:
 * "invalid empty volume spec", "invalid spec: SPEC: too many colons",
 * "invalid spec: SPEC: empty section between colons" (status EXIT_ENGINE).
 * On success *bind (may be NULL) says whether the spec names a source (a
 * host path or volume name: HostConfig.Binds) or only a container path (an
 * anonymous volume: Config.Volumes), and *bind_form (may be NULL) gets the
 * spec as the CLI sends it: a host part starting with "." made absolute
 * against the current directory. */
int mountspec_check_volume_flag(const char *spec, bool *bind, char **bind_form, robbe_error **err);

/* One --mount value, as Docker's CLI parses it.  Errors are the reasons
 * pflag puts after `invalid argument "v" for "--mount" flag: `: "target is
 * required", "unexpected key 'x' in 'x=1'", "invalid value for tmpfs-size:
 * 1x", "cannot mix 'bind-*' options with mount type 'volume'", ... A source
 * starting with "." is made absolute. */
int mountspec_parse_mount(const char *value, struct mountspec *out, robbe_error **err);
/* The same as an option validator (struct opt_def.validate). */
int mountspec_validate_mount(const char *value, robbe_error **err);

/* ---- the daemon's part ------------------------------------------------- */

/* A HostConfig.Binds entry ("src:dst[:mode]") as the daemon parses it:
 * "invalid volume specification: 'x'", "invalid mode: x", and the config
 * errors below prefixed with "invalid volume specification: 'x': ".
 * volume_driver (may be NULL) applies to named volumes. */
int mountspec_parse_bind(const char *raw, const char *volume_driver, struct mountspec *out, robbe_error **err);

/* The daemon's checks of a mount (ValidateMountConfig): `invalid mount
 * config for type "bind": bind source path does not exist: /x`, "field
 * Target must not be empty", "invalid mount path: 'x' mount path must be
 * absolute", "destination can't be '/'", "field VolumeOptions must not be
 * specified", "mount type unknown", ...  check_source: look whether a bind
 * source exists (--mount does, -v does not: it creates it). */
int mountspec_validate(const struct mountspec *m, bool check_source, robbe_error **err);

/* "container[:mode]" of --volumes-from.  *mode gets "rw" when none is
 * given.  Errors: "volumes-from specification cannot be an empty string",
 * "invalid mode: x" (propagation and copy modes are refused too). */
int mountspec_parse_volumes_from(const char *spec, char **container, char **mode, robbe_error **err);

/* A -v mode string Docker accepts ("" is valid). */
bool mountspec_valid_mode(const char *mode);
/* Does the mode leave the mount writable ("ro" absent, mode valid)? */
bool mountspec_mode_rw(const char *mode);

/* The tmpfs data Docker passes for --mount type=tmpfs: "ro", "mode=1777",
 * "size=64m" in that order (sizes in the largest unit that divides them). */
char **mountspec_tmpfs_options(const struct mountspec *m);

/* path.Clean of an absolute path; NULL if path is not absolute. */
char *mountspec_clean_path(const char *path);

#ifdef ROBBE_UNITTEST
/* Go's encoding/csv reading one record: fields, or Go's parse error. */
int mountspec_csv_record(const char *s, char ***fields, robbe_error **err);
#endif

#endif
