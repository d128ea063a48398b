# System tests: bats files under tests/system/, run against the built binary
# with real runc, conmon and a local registry.  tests/system/run.sh runs the
# independent files in parallel and prints one TAP stream.
TESTS += tests/system/run.sh
EXTRA_DIST += tests/system
