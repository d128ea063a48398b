#!/bin/sh
# The rootless half of `make check`: run.sh as an unprivileged user.
ROBBE_TEST_ROOTLESS=1 exec "$(dirname "$0")/run.sh" "$@"
