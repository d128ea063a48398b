# Helpers shared by every bats file.  Each file gets its own store (root and
# runroot under the file's temp dir) so files can run in parallel; the
# registries and the busybox rootfs come from setup_suite.bash.

robbe_file_setup() {
	export ROBBE_ROOT="$BATS_FILE_TMPDIR/root"
	export ROBBE_RUNROOT="$BATS_FILE_TMPDIR/run"
	export HOME="$BATS_FILE_TMPDIR/home"
	mkdir -p "$HOME"
}

setup_file() {
	robbe_file_setup
}

# run_robbe [STATUS] ARGS...: run robbe, keep $output and $status, and fail
# unless the exit status is STATUS (default 0; '?' accepts anything).
run_robbe() {
	local want=0
	case "$1" in
		[0-9]|[0-9][0-9]|[0-9][0-9][0-9]|'?') want=$1; shift ;;
	esac
	run robbe "$@"
	echo "# robbe $* -> status $status" >&3 2>/dev/null || true
	if [ "$want" != '?' ] && [ "$status" -ne "$want" ]; then
		echo "robbe $*"
		echo "exit status $status, expected $want; output:"
		echo "$output"
		return 1
	fi
}

die() {
	echo "FAIL: $*" >&2
	return 1
}

# assert_equal GOT WANT [WHAT]
assert_equal() {
	if [ "$1" != "$2" ]; then
		printf 'FAIL: %s\n  got:  %q\n  want: %q\n' "${3:-values differ}" "$1" "$2" >&2
		return 1
	fi
}

# assert_output WANT: the whole output equals WANT
assert_output() {
	assert_equal "$output" "$1" "output"
}

# assert_contains HAYSTACK NEEDLE
assert_contains() {
	case "$1" in
		*"$2"*) return 0 ;;
	esac
	printf 'FAIL: expected to find %q in:\n%s\n' "$2" "$1" >&2
	return 1
}

assert_not_contains() {
	case "$1" in
		*"$2"*) printf 'FAIL: did not expect %q in:\n%s\n' "$2" "$1" >&2; return 1 ;;
	esac
	return 0
}

# assert_line N WANT: line N (0-based) of $output equals WANT
assert_line() {
	assert_equal "${lines[$1]}" "$2" "line $1"
}

# The suite's busybox image (made by setup_suite.bash).
IMG() { echo "$ROBBE_TEST_IMAGE"; }

# wait_for N CMD...: retry CMD every 0.1 s for up to N seconds.
wait_for() {
	local n=$(($1 * 10)) i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# wait_ready NAME: wait until container NAME's log has a line "ready"
# (what a test's shell prints once its traps are set).
wait_ready() {
	wait_for 20 sh -c "robbe logs '$1' 2>&1 | grep -qx ready" || die "$1 never printed ready"
}

# For teardown_file: kill and remove every container of this file's store
# (bats removes the directory their root file systems are mounted in), then
# let conmon's cleanups finish what `run --rm` left them (unmount, runtime
# state) before the store goes away.
remove_all_containers() {
	local d
	for d in "$ROBBE_ROOT"/containers/*/; do
		[ -d "$d" ] && robbe rm -f "$(basename "$d")" >/dev/null 2>&1
	done
	for d in $(seq 1 100); do
		compgen -G "$ROBBE_RUNROOT/containers/*.runtime" >/dev/null || break
		sleep 0.1
	done
	return 0
}

# skip_if_rootless REASON: skip a test that only makes sense as root when
# the suite runs as an unprivileged user (run.sh with ROBBE_TEST_ROOTLESS=1).
skip_if_rootless() {
	if [ "${ROBBE_TEST_ROOTLESS:-}" = 1 ]; then
		skip "rootless: $1"
	fi
}
