# Rootless test runs: the unprivileged test user and what the host must
# allow it.  Sourced by run.sh (ROBBE_TEST_ROOTLESS=1, as root) and by
# 100-rootless.bats.  Everything here needs root.

ROBBE_ROOTLESS_USER=${ROBBE_ROOTLESS_USER:-robbe-rootless}

# rootless_prepare_host USER: the user (made if missing, with a home), its
# subordinate ids (robbe-rootless:200000:65536 unless it has a range
# already; Debian's useradd gives new users one), and the devices rootless
# networking and fuse-overlayfs open: /dev/net/tun and /dev/fuse, 0666 as
# desktop distributions ship them (root-only here by default).
rootless_prepare_host() {
	local user=$1 f
	if ! id "$user" >/dev/null 2>&1; then
		useradd -m -s /bin/sh "$user" || return 1
	fi
	for f in /etc/subuid /etc/subgid; do
		touch "$f"
		grep -q "^$user:" "$f" || echo "$user:200000:65536" >>"$f"
	done
	[ -c /dev/net/tun ] && chmod 0666 /dev/net/tun
	[ -c /dev/fuse ] && chmod 0666 /dev/fuse
	return 0
}

# rootless_user_env USER DIR: the environment of a fresh login of USER
# whose runtime directory, data and temporary files are under DIR (made
# here, owned by the user): "env -i ..." words, for setpriv.
rootless_user_env() {
	local user=$1 dir=$2 d
	for d in "$dir" "$dir/xdg" "$dir/home" "$dir/tmp" "$dir/data"; do
		mkdir -p "$d"
		chown "$user:" "$d"
		chmod 0700 "$d"
	done
	echo env -i "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "HOME=$dir/home" \
		"USER=$user" "LOGNAME=$user" "SHELL=/bin/sh" "XDG_RUNTIME_DIR=$dir/xdg" "XDG_DATA_HOME=$dir/data" \
		"TMPDIR=$dir/tmp" "LANG=C.UTF-8"
}

# rootless_login USER CMD...: run CMD as USER the way a login session
# would: the audit login uid set to the user's uid first (pam_loginuid's
# job at login; root may set its own once, and children inherit it), then
# the user's ids and groups.
rootless_login() {
	local user=$1 uid
	shift
	uid=$(id -u "$user")
	sh -c 'echo "$1" > /proc/self/loginuid 2>/dev/null; shift; exec "$@"' sh "$uid" \
		setpriv --reuid="$uid" --regid="$(id -g "$user")" --init-groups "$@"
}

# rootless_kill_namespace XDG_RUNTIME_DIR: end every process in the user
# namespace whose pause process XDG_RUNTIME_DIR/robbe/pause.pid names
# (conmon, containers, slirp4netns, fuse-overlayfs, the pause process):
# nothing else, so parallel runs of other users or directories stay.
rootless_kill_namespace() {
	local pidfile=$1/robbe/pause.pid ns p pids=
	[ -f "$pidfile" ] || return 0
	ns=$(readlink "/proc/$(cat "$pidfile")/ns/user" 2>/dev/null) || return 0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/user" 2>/dev/null)" = "$ns" ] && pids="$pids ${p#/proc/}"
	done
	# shellcheck disable=SC2086
	[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
	return 0
}
