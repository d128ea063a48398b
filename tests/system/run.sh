#!/bin/bash
# Run the bats system tests: independent files in parallel, one TAP stream.
#   ROBBE_BINARY       the robbe to test (make check sets it)
#   ROBBE_TEST_JOBS    parallel bats files (default: number of CPUs)
#   ROBBE_TEST_FILTER  only tests whose name matches this regex
#   ROBBE_TEST_FILES   only these files (space-separated, e.g. "001-cli.bats")
#   ROBBE_TEST_ROOTLESS=1  run as an unprivileged user instead: as root,
#                      this script prepares the user (helpers.rootless.bash:
#                      robbe-rootless, subordinate ids, /dev/net/tun) and
#                      runs itself again as that user from a fresh "login";
#                      the files run by default are then the image,
#                      container, exec, volume and network ones, whose tests
#                      skip what only root can do (skip_if_rootless).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${ROBBE_BINARY:=$here/../../robbe}"
export ROBBE_BINARY
if ! command -v bats >/dev/null; then
	echo "1..0 # SKIP bats is not installed (hack/install-deps)"
	exit 0
fi
rootless=${ROBBE_TEST_ROOTLESS:-}

if [ "$rootless" = 1 ] && [ "$(id -u)" = 0 ]; then
	# shellcheck source=helpers.rootless.bash
	. "$here/helpers.rootless.bash"
	user=$ROBBE_ROOTLESS_USER
	if ! command -v setpriv >/dev/null || ! rootless_prepare_host "$user" >&2; then
		echo "1..0 # SKIP cannot prepare the rootless test user $user"
		exit 0
	fi
	work=$(mktemp -d /tmp/robbe-rootless-run.XXXXXX)
	chmod 0755 "$work"
	read -r -a user_env <<<"$(rootless_user_env "$user" "$work/u")"
	# The user must reach the binary and the tests: copies if they sit
	# where it cannot look (a home directory of root's, say).
	binary=$ROBBE_BINARY
	if ! rootless_login "$user" test -x "$binary"; then
		cp "$binary" "$work/robbe"
		chmod 0755 "$work/robbe"
		binary=$work/robbe
	fi
	tests=$here
	if ! rootless_login "$user" test -r "$here/run.sh"; then
		cp -r "$here" "$work/system"
		chmod -R a+rX "$work/system"
		tests=$work/system
	fi
	status=0
	rootless_login "$user" "${user_env[@]}" "ROBBE_BINARY=$binary" ROBBE_TEST_ROOTLESS=1 \
		"ROBBE_TEST_JOBS=${ROBBE_TEST_JOBS:-}" "ROBBE_TEST_FILTER=${ROBBE_TEST_FILTER:-}" \
		"ROBBE_TEST_FILES=${ROBBE_TEST_FILES:-}" bash "$tests/run.sh" || status=$?
	# The user's namespace (pause process, conmons, containers) goes,
	# then its files, some owned by subordinate ids the user cannot remove.
	rootless_kill_namespace "$work/u/xdg"
	sleep 0.2
	rm -rf "$work"
	exit "$status"
fi

jobs=${ROBBE_TEST_JOBS:-}
jobs=${jobs:-$(nproc)}
args=()
if [ "$jobs" -gt 1 ] && command -v parallel >/dev/null; then
	args+=(--jobs "$jobs" --no-parallelize-within-files)
fi
[ -n "${ROBBE_TEST_FILTER:-}" ] && args+=(--filter "$ROBBE_TEST_FILTER")
cd "$here"
if [ "$rootless" = 1 ]; then
	# Files the user cannot delete (owned by subordinate ids) stay for
	# the root half of this script to remove.
	args+=(--no-tempdir-cleanup)
	files=${ROBBE_TEST_FILES:-}
	if [ -z "$files" ]; then
		for f in 010-images.bats 030-run.bats 031-lifecycle.bats 050-volumes.bats 070-exec.bats \
			[0-9]*network*.bats; do
			[ -f "$f" ] && files="$files $f"
		done
	fi
else
	files=${ROBBE_TEST_FILES:-$(ls [0-9]*.bats)}
fi
# shellcheck disable=SC2086
exec bats --tap "${args[@]}" $files
