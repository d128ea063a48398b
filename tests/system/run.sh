#!/bin/bash
# Run the bats system tests: independent files in parallel, one TAP stream.
#   ROBBE_BINARY       the robbe to test (make check sets it)
#   ROBBE_TEST_JOBS    parallel bats files (default: number of CPUs)
#   ROBBE_TEST_FILTER  only tests whose name matches this regex
#   ROBBE_TEST_FILES   only these files (space-separated, e.g. "001-cli.bats")
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${ROBBE_BINARY:=$here/../../robbe}"
export ROBBE_BINARY
if ! command -v bats >/dev/null; then
	echo "1..0 # SKIP bats is not installed (hack/install-deps)"
	exit 0
fi
jobs=${ROBBE_TEST_JOBS:-$(nproc)}
args=()
if [ "$jobs" -gt 1 ] && command -v parallel >/dev/null; then
	args+=(--jobs "$jobs" --no-parallelize-within-files)
fi
[ -n "${ROBBE_TEST_FILTER:-}" ] && args+=(--filter "$ROBBE_TEST_FILTER")
cd "$here"
files=${ROBBE_TEST_FILES:-$(ls [0-9]*.bats)}
# shellcheck disable=SC2086
exec bats --tap "${args[@]}" $files
