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

	# The shared test image, in the open registry for every file to pull:
	# the busybox rootfs imported (with a Cmd and a label) into a store of
	# the suite's own, then pushed.  Everything depends on it, so a failure
	# here stops the run and says why.
	export ROBBE_TEST_IMAGE="$ROBBE_TEST_REGISTRY/robbe/busybox:latest"
	local img_out
	local img_robbe=(env HOME="$ROBBE_TEST_ROOT/image-home" robbe --root "$ROBBE_TEST_ROOT/image-root"
		--runroot "$ROBBE_TEST_ROOT/image-run")
	if ! img_out=$("${img_robbe[@]}" import --change 'CMD ["sh"]' --change 'LABEL org.robbe.test=busybox' \
			"$ROBBE_TEST_ROOTFS" "$ROBBE_TEST_IMAGE" 2>&1) ||
		! img_out+=$'\n'$("${img_robbe[@]}" push "$ROBBE_TEST_IMAGE" 2>&1); then
		echo "setup_suite: FAILED to make the shared test image $ROBBE_TEST_IMAGE" \
			"(robbe import + robbe push); every test using it would fail. Output:" >&2
		echo "$img_out" >&2
		return 1
	fi
}

teardown_suite() {
	load helpers.registry
	stop_registry open
	stop_registry auth
}

# A rootless run (run.sh with ROBBE_TEST_ROOTLESS=1) makes the suite's
# pieces as the test user, whose files tar would record as the user's: the
# busybox root filesystem still says root owns everything, as images do.
if [ "${ROBBE_TEST_ROOTLESS:-}" = 1 ]; then
	eval "robbe_rootful_$(declare -f setup_suite)"
	setup_suite() {
		local rc=0
		tar() { command tar --owner=0 --group=0 "$@"; }
		robbe_rootful_setup_suite || rc=$?
		unset -f tar
		return "$rc"
	}
fi
