# Once per bats run: the shared pieces every test file uses.
#  - a bin dir with `robbe` and `docker` pointing at the binary under test
#  - two local registries on 127.0.0.1 (open, and htpasswd-protected)
#  - a busybox-static root filesystem tarball for building test images

setup_suite() {
	export ROBBE_TEST_ROOT="$BATS_SUITE_TMPDIR"
	mkdir -p "$ROBBE_TEST_ROOT/bin"
	ln -sf "$ROBBE_BINARY" "$ROBBE_TEST_ROOT/bin/robbe"
	ln -sf "$ROBBE_BINARY" "$ROBBE_TEST_ROOT/bin/docker"
	export PATH="$ROBBE_TEST_ROOT/bin:$PATH"

	load helpers.registry
	start_registry open
	start_registry auth
	export ROBBE_TEST_REGISTRY=$(cat "$ROBBE_TEST_ROOT/registry-open/addr")
	export ROBBE_TEST_AUTH_REGISTRY=$(cat "$ROBBE_TEST_ROOT/registry-auth/addr")
	export ROBBE_TEST_AUTH_USER=robbeuser ROBBE_TEST_AUTH_PASS=robbe-pass-42

	make_busybox_rootfs "$ROBBE_TEST_ROOT/busybox-rootfs.tar"
	export ROBBE_TEST_ROOTFS="$ROBBE_TEST_ROOT/busybox-rootfs.tar"
}

teardown_suite() {
	load helpers.registry
	stop_registry open
	stop_registry auth
}
