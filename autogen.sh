#!/bin/sh
# Generate ./configure.  Needs autoconf, automake and pkg-config.
set -e
cd "$(dirname "$0")"
command -v pkg-config >/dev/null || { echo "autogen.sh: pkg-config is missing (apt-get install pkg-config)" >&2; exit 1; }
mkdir -p build-aux m4
cp -f "$(automake --print-libdir)/tap-driver.sh" build-aux/tap-driver.sh
autoreconf -fi
