#!/bin/sh
# Run tests/unit/runtime-driver (TAP) against the real conmon and runc:
# builds a busybox root file system and a base config.json (`runc spec`,
# edited with jq) in a temporary directory, gives the driver a fixed audit
# login uid when this process has none, and deletes every container the
# driver created (their IDs share a random prefix) on the way out.
set -u

skip() {
	echo "1..0 # SKIP $*"
	exit 0
}

[ "$(id -u)" = 0 ] || skip "needs root"
for p in runc conmon jq busybox; do
	command -v "$p" >/dev/null 2>&1 || skip "needs $p"
done
busybox=$(command -v busybox)
# A dynamic busybox would need its libraries in the root file system.
if ldd "$busybox" >/dev/null 2>&1; then
	skip "needs a static busybox (busybox-static)"
fi

driver=${TEST_RUNTIME_DRIVER:-./tests/unit/runtime-driver}
[ -x "$driver" ] || { echo "Bail out! $driver not built"; exit 1; }
tmp=$(mktemp -d /tmp/robbe-test-runtime.XXXXXX) || exit 1
prefix=robbe-test-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')

cleanup() {
	for id in $(runc list -q 2>/dev/null | grep "^$prefix"); do
		runc delete --force "$id" >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

rootfs=$tmp/rootfs
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp" "$rootfs/root" ||
	exit 1
cp "$busybox" "$rootfs/bin/busybox" || exit 1
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
echo 'root:x:0:' >"$rootfs/etc/group"

(cd "$tmp" && runc spec) || { echo "Bail out! runc spec failed"; exit 1; }
# runc's defaults stay (namespaces, read-only root, mounts); the driver sets
# args and terminal per container.
jq --arg root "$rootfs" '.root.path = $root | .process.terminal = false | .process.args = ["true"]' \
	"$tmp/config.json" >"$tmp/base.json" || { echo "Bail out! jq failed"; exit 1; }

# The container must inherit the caller's audit login uid.  A process
# without one (4294967295, as under a service manager) gets ours, where the
# kernel lets root set it; otherwise the driver skips that check.
loginuid=$(cat /proc/self/loginuid 2>/dev/null || echo none)
if [ "$loginuid" = 4294967295 ]; then
	sh -c '{ echo "$(id -u)" >/proc/self/loginuid; } 2>/dev/null; exec "$@"' sh \
		"$driver" "$tmp" "$tmp/base.json" "$prefix"
else
	"$driver" "$tmp" "$tmp/base.json" "$prefix"
fi
