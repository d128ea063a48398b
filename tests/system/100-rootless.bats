#!/usr/bin/env bats
# Rootless robbe: an unprivileged user (robbe-rootless, made by
# helpers.rootless.bash) runs robbe from a fresh login: its own user
# namespace kept by a pause process, ids shifted into the subordinate
# range, overlayfs with userxattr (fuse-overlayfs and a copy as fallbacks),
# slirp4netns networking, keep-id, refused cgroup limits, and the audit
# login uid.  The file runs as root, which prepares the host, looks at the
# user's files from outside and plays the login; every robbe command of a
# test runs as the user (`ur`).

load helpers
load helpers.registry
load helpers.image
load helpers.rootless
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	[ "$(id -u)" = 0 ] || skip "needs root to prepare the rootless user"
	command -v setpriv >/dev/null || skip "needs setpriv"
	rootless_prepare_host "$ROBBE_ROOTLESS_USER"
	RL_DIR=$(mktemp -d /tmp/robbe-rootless-bats.XXXXXX)
	chmod 0755 "$RL_DIR"
	RL_ENV=$(rootless_user_env "$ROBBE_ROOTLESS_USER" "$RL_DIR/u")
	RL_UID=$(id -u "$ROBBE_ROOTLESS_USER")
	RL_GID=$(id -g "$ROBBE_ROOTLESS_USER")
	RL_SUBUID=$(awk -F: -v u="$ROBBE_ROOTLESS_USER" '$1 == u { print $2; exit }' /etc/subuid)
	RL_SUBGID=$(awk -F: -v u="$ROBBE_ROOTLESS_USER" '$1 == u { print $2; exit }' /etc/subgid)
	# The binary where the user can run it.
	RL_ROBBE=$ROBBE_BINARY
	if ! rootless_login "$ROBBE_ROOTLESS_USER" test -x "$RL_ROBBE"; then
		cp "$ROBBE_BINARY" "$RL_DIR/robbe"
		chmod 0755 "$RL_DIR/robbe"
		RL_ROBBE=$RL_DIR/robbe
	fi
	export RL_DIR RL_ENV RL_UID RL_GID RL_SUBUID RL_SUBGID RL_ROBBE
	ur robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
}

teardown_file() {
	[ -n "${RL_DIR:-}" ] || return 0
	rootless_kill_namespace "$RL_DIR/u/xdg"
	rootless_kill_namespace "$RL_DIR/single/xdg"
	sleep 0.2
	rm -rf "$RL_DIR"
}

# ur [VAR=value...] CMD ARGS...: CMD as the rootless user, from a login
# (its audit login uid set); "robbe" is the binary under test.
ur() {
	local vars=()
	while [[ $1 == *=* ]]; do
		vars+=("$1")
		shift
	done
	local cmd=$1
	shift
	[ "$cmd" = robbe ] && cmd=$RL_ROBBE
	# shellcheck disable=SC2086
	rootless_login "$ROBBE_ROOTLESS_USER" $RL_ENV "${vars[@]}" "$cmd" "$@"
}

# run_ur [STATUS] ARGS...: run_robbe's rules, as the user.
run_ur() {
	local want=0
	case "$1" in
		[0-9]|[0-9][0-9]|[0-9][0-9][0-9]|'?') want=$1; shift ;;
	esac
	run ur "$@"
	if [ "$want" != '?' ] && [ "$status" -ne "$want" ]; then
		echo "as $ROBBE_ROOTLESS_USER: $*"
		echo "exit status $status, expected $want; output:"
		echo "$output"
		return 1
	fi
}

# The user's store, seen from the host.
user_root() { echo "$RL_DIR/u/data/robbe"; }

@test "rootless: robbe unshare is root in one user namespace that every command joins" {
	run_ur robbe unshare id -u
	assert_output 0
	run_ur robbe unshare cat /proc/self/uid_map
	read -r a b c <<<"${lines[0]}"
	assert_equal "$a $b $c" "0 $RL_UID 1" "the user is root inside"
	read -r a b c <<<"${lines[1]}"
	assert_equal "$a $b" "1 $RL_SUBUID" "its subordinate ids from 1 on"

	ns1=$(ur robbe unshare readlink /proc/self/ns/user)
	ns2=$(ur robbe unshare readlink /proc/self/ns/user)
	assert_equal "$ns1" "$ns2" "a later command joins the same namespace"
	[ "$ns1" != "$(readlink /proc/self/ns/user)" ] || die "not a namespace of its own: $ns1"
	# ... the one the pause process holds.
	pause=$(cat "$RL_DIR/u/xdg/robbe/pause.pid")
	assert_equal "$(cat "/proc/$pause/comm")" robbe-pause "pause process name"
	assert_equal "$(readlink "/proc/$pause/ns/user")" "$ns1" "pause process namespace"
	# Nothing of it shows where the user runs containers from: no
	# daemon, the pause process only sleeps.
	assert_equal "$(awk '/^State:/ { print $2 }' "/proc/$pause/status")" S "pause process sleeps"

	# The default is a shell; a missing command is 127, as with docker exec.
	run_ur robbe unshare sh -c 'echo "$ROBBE_ROOT"'
	assert_output "$(user_root)"
	run_ur 127 robbe unshare /no/such/command
	# As root there is nothing to enter.
	run_robbe 125 unshare true
	assert_contains "$output" "rootless"
}

@test "rootless: two first commands at once make one namespace" {
	rootless_kill_namespace "$RL_DIR/u/xdg"
	ur robbe unshare readlink /proc/self/ns/user >"$BATS_TEST_TMPDIR/a" &
	ur robbe unshare readlink /proc/self/ns/user >"$BATS_TEST_TMPDIR/b" &
	wait
	assert_equal "$(cat "$BATS_TEST_TMPDIR/a")" "$(cat "$BATS_TEST_TMPDIR/b")" "one namespace"
	n=0
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = robbe-pause ] &&
			[ "$(readlink "$p/ns/user")" = "$(cat "$BATS_TEST_TMPDIR/a")" ] && n=$((n + 1))
	done
	assert_equal "$n" 1 "pause processes"
}

@test "rootless: docker's help leaves unshare out, robbe's lists it" {
	run docker --help
	assert_not_contains "$output" "unshare"
	run_ur robbe --help
	assert_contains "$output" "unshare"
}

@test "rootless: each user has a store of its own" {
	run_ur robbe images --format '{{.Repository}}'
	assert_contains "$output" "robbe/busybox"
	# Root's store (this file's) has never seen the image.
	run_robbe images -q
	assert_output ""
}

# A tar of the busybox rootfs with one file of root's and one of uid 1's.
owners_image() {
	local d=$BATS_TEST_TMPDIR/owners
	mkdir -p "$d/root"
	tar -C "$d/root" -xf "$ROBBE_TEST_ROOTFS"
	echo root > "$d/root/etc/root-file"
	echo one > "$d/root/etc/uid1-file"
	chown 0:0 "$d/root/etc/root-file"
	chown 1:1 "$d/root/etc/uid1-file"
	tar -C "$d/root" --numeric-owner -cf "$RL_DIR/owners.tar" .
	chmod 0644 "$RL_DIR/owners.tar"
}

@test "rootless: ids shift: root's files are the user's on the host, uid 1's the first subordinate id" {
	owners_image
	run_ur robbe import "$RL_DIR/owners.tar" rl-owners:1
	f=$(find "$(user_root)/overlay" -path '*/diff/etc/uid1-file' | head -1)
	[ -n "$f" ] || die "no extracted layer with etc/uid1-file under $(user_root)/overlay"
	assert_equal "$(stat -c %u:%g "$f")" "$RL_SUBUID:$RL_SUBGID" "uid 1 in the layer, on the host"
	assert_equal "$(stat -c %u:%g "${f%uid1-file}root-file")" "$RL_UID:$RL_GID" "root in the layer, on the host"

	# Inside, they are root's and uid 1's again.
	run_ur robbe run --name own rl-owners:1 sh -c \
		'stat -c %u:%g /etc/root-file /etc/uid1-file; touch /r0; touch /r1; chown 1:1 /r1'
	assert_equal "${lines[0]}" 0:0 "root's file inside"
	assert_equal "${lines[1]}" 1:1 "uid 1's file inside"
	upper=$(ur robbe inspect -f '{{.GraphDriver.Data.UpperDir}}' own)
	assert_equal "$(stat -c %u "$upper/r0")" "$RL_UID" "a file root wrote, on the host"
	assert_equal "$(stat -c %u "$upper/r1")" "$RL_SUBUID" "a file of uid 1's, on the host"
	run_ur robbe rm own
}

# A docker-archive image of two layers: the busybox rootfs with /d/a and
# /gone, then a layer that makes /d opaque (adding /d/b) and whites out /gone.
layered_archive() {
	python3 - "$ROBBE_TEST_ROOTFS" "$1" <<'PY'
import hashlib, io, json, sys, tarfile
rootfs, out = sys.argv[1], sys.argv[2]
def tar_of(entries, base=None):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        if base:
            with tarfile.open(base) as b:
                for m in b.getmembers():
                    t.addfile(m, b.extractfile(m) if m.isreg() else None)
        for name, data in entries:
            i = tarfile.TarInfo(name)
            if data is None:
                i.type, i.mode = tarfile.DIRTYPE, 0o755
                t.addfile(i)
            else:
                i.size, i.mode = len(data), 0o644
                t.addfile(i, io.BytesIO(data))
    return raw.getvalue()
l1 = tar_of([("d", None), ("d/a", b"a\n"), ("gone", b"gone\n")], base=rootfs)
l2 = tar_of([("d", None), ("d/.wh..wh..opq", b""), ("d/b", b"b\n"), (".wh.gone", b"")])
diff = ["sha256:" + hashlib.sha256(l).hexdigest() for l in (l1, l2)]
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                     "rootfs": {"type": "layers", "diff_ids": diff}}).encode()
with tarfile.open(out, "w") as t:
    for name, data in (("l1.tar", l1), ("l2.tar", l2), ("config.json", config),
                       ("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["rl-layers:1"],
                                                      "Layers": ["l1.tar", "l2.tar"]}]).encode())):
        i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
PY
	chmod 0644 "$1"
}

# check_layers [VAR=value]: the two-layer image seen through whatever
# root file system the variables choose.
check_layers() {
	run_ur "$@" robbe run --rm rl-layers:1 sh -c 'ls /d; test -e /gone && echo gone-is-there; echo new > /d/c; cat /d/c'
	assert_output $'b\nnew'
}

@test "rootless: native overlayfs with userxattr: opaque directories and whiteouts hold" {
	layered_archive "$RL_DIR/layers.tar"
	run_ur robbe load -q -i "$RL_DIR/layers.tar"
	# In the layer store: a whiteout is a 0:0 character device (Linux 5.8
	# lets a user make one), an opaque directory has user.overlay.opaque.
	wh=$(find "$(user_root)/overlay" -path '*/diff/gone' -type c | head -1)
	[ -n "$wh" ] || die "no whiteout for /gone in the layer store"
	assert_equal "$(stat -c %t:%T "$wh")" 0:0 "whiteout device numbers"
	opq=$(find "$(user_root)/overlay" -path '*/diff/d/b' | head -1)
	run python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "user.overlay.opaque").decode())' "${opq%/b}"
	assert_output y
	check_layers
	# The mount is overlayfs with userxattr, in the user's mount namespace.
	ur robbe run -d --name ovl rl-layers:1 sleep 30 >/dev/null
	run_ur robbe unshare grep " overlay " /proc/self/mountinfo
	assert_contains "$output" "userxattr"
	run_ur robbe rm -f ovl
}

@test "rootless: fuse-overlayfs and the copying fallback give the same root" {
	[ -f "$RL_DIR/layers.tar" ] || layered_archive "$RL_DIR/layers.tar"
	run_ur robbe load -q -i "$RL_DIR/layers.tar"
	if command -v fuse-overlayfs >/dev/null && [ -c /dev/fuse ]; then
		check_layers ROBBE_ROOTFS_MOUNT=fuse-overlayfs
		ur ROBBE_ROOTFS_MOUNT=fuse-overlayfs robbe run -d --name fz rl-layers:1 sleep 30 >/dev/null
		run_ur robbe unshare grep "fuse-overlayfs" /proc/self/mountinfo
		assert_contains "$output" "fuse"
		run_ur robbe rm -f fz
	fi
	check_layers ROBBE_ROOTFS_MOUNT=copy
	# The copy is made once and written to in place: a second start finds
	# what the first wrote.
	run_ur ROBBE_ROOTFS_MOUNT=copy robbe run --name cp1 rl-layers:1 sh -c 'cat /d/k 2>/dev/null; echo kept > /d/k'
	assert_output ""
	run_ur ROBBE_ROOTFS_MOUNT=copy robbe start -a cp1
	assert_output kept
	run_ur robbe rm cp1
}

@test "rootless: a root-only host file stays unreadable through a bind mount" {
	secret=$RL_DIR/secret
	echo top-secret-42 > "$secret"
	chown 0:0 "$secret"
	chmod 0600 "$secret"
	run_ur 1 robbe run --rm -v "$secret:/secret" "$(IMG)" cat /secret
	assert_contains "$output" "Permission denied"
	assert_not_contains "$output" "top-secret-42"
	# Nor with every capability robbe's namespace has: they do not reach
	# files of ids it does not map.
	run_ur 1 robbe run --rm --privileged -v "$secret:/secret" "$(IMG)" cat /secret
	assert_not_contains "$output" "top-secret-42"
	run_ur 1 robbe run --rm -v "$secret:/secret" "$(IMG)" chmod 0644 /secret
	assert_equal "$(stat -c %a "$secret")" 600 "mode unchanged"
}

@test "rootless: --userns=keep-id is the user's own uid and gid; --userns=host is robbe's namespace" {
	run_ur robbe run --rm --userns=keep-id "$(IMG)" sh -c 'id -u; id -g'
	assert_output "$RL_UID"$'\n'"$RL_GID"
	# A file of the user's, bound in, is the user's inside.
	echo mine > "$RL_DIR/u/home/mine"
	chown "$RL_UID:$RL_GID" "$RL_DIR/u/home/mine"
	run_ur robbe run --rm --userns=keep-id -v "$RL_DIR/u/home/mine:/mine" "$(IMG)" stat -c %u:%g /mine
	assert_output "$RL_UID:$RL_GID"
	run_ur robbe run --rm --userns=host "$(IMG)" id -u
	assert_output 0
}

@test "rootless: --user must be an id robbe's namespace maps" {
	run_ur robbe run --rm --user 65536:65536 "$(IMG)" id -u
	assert_output 65536
	run_ur 125 robbe run --rm --user 70000 "$(IMG)" id -u
	assert_contains "$output" "uid 70000 is not mapped"
}

# The host's own (non-loopback) IPv4 address: a rootless container reaches
# the host through slirp4netns like any outside address, whereas the
# host's loopback (slirp's 10.0.2.2) is closed by --disable-host-loopback.
# There is no internet here, so the host stands in for the outside world.
host_addr() {
	ip -4 -o addr show scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }'
}

@test "rootless: outbound traffic through slirp4netns, the host's loopback closed" {
	addr=$(host_addr)
	[ -n "$addr" ] || skip "the host has no global IPv4 address"
	mkdir -p "$BATS_TEST_TMPDIR/www"
	echo outside-page > "$BATS_TEST_TMPDIR/www/page.txt"
	port=$(free_port)
	busybox httpd -f -p "0.0.0.0:$port" -h "$BATS_TEST_TMPDIR/www" &
	httpd=$!
	run_ur robbe run --rm "$(IMG)" sh -c "ip -o -4 addr show tap0; printf 'GET /page.txt HTTP/1.0\r\n\r\n' | nc -w 5 $addr $port"
	kill "$httpd"
	assert_contains "$output" "10.0.2.100/24"
	assert_contains "$output" "outside-page"
	run_ur robbe run --rm "$(IMG)" cat /etc/resolv.conf
	assert_line 0 "nameserver 10.0.2.3"
	# 10.0.2.2 would be the host's 127.0.0.1.
	port=$(free_port)
	busybox httpd -f -p "127.0.0.1:$port" -h "$BATS_TEST_TMPDIR/www" &
	httpd=$!
	run_ur '?' robbe run --rm "$(IMG)" sh -c "printf 'GET /page.txt HTTP/1.0\r\n\r\n' | nc -w 3 10.0.2.2 $port"
	kill "$httpd"
	assert_not_contains "$output" "outside-page"
	# none and host modes get no slirp4netns.
	run_ur robbe run --rm --network none "$(IMG)" ls /sys/class/net
	assert_output lo
}

@test "rootless: -p publishes a container port on an unprivileged host port" {
	port=$(free_port)
	run_ur robbe run -d --name web -p "$port:80" "$(IMG)" \
		sh -c 'echo rootless-web > /tmp/index.html; exec httpd -f -p 80 -h /tmp'
	wait_for 10 curl -sf -o /dev/null "http://127.0.0.1:$port/index.html" || die "nothing on port $port"
	run curl -sf "http://127.0.0.1:$port/index.html"
	assert_output rootless-web
	run_ur 125 robbe run --rm -p "$port:80" "$(IMG)" true
	assert_contains "$output" "port is already allocated"
	slirp=$(cat "$RL_DIR/u/xdg/robbe/containers/$(ur robbe inspect -f '{{.Id}}' web)/slirp4netns.pid" 2>/dev/null ||
		true)
	run_ur robbe rm -f web
	# slirp4netns goes with the container.
	[ -z "$slirp" ] || wait_for 5 sh -c "! kill -0 $slirp 2>/dev/null" || die "slirp4netns $slirp still runs"
	run curl -s -m 2 "http://127.0.0.1:$port/index.html"
	[ "$status" -ne 0 ] || die "port $port still answers"
}

@test "rootless: cgroup limits are refused, with the reason, where the host delegates no cgroup" {
	if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
		run_ur 125 robbe run --rm --memory 64m "$(IMG)" true
		assert_contains "$output" "--memory cannot be applied to a rootless container"
		assert_contains "$output" "cgroup v1"
		run_ur 125 robbe run --rm --cpus 0.5 "$(IMG)" true
		assert_contains "$output" "--cpus cannot be applied"
		run_ur 125 robbe run --rm --pids-limit 10 "$(IMG)" true
		assert_contains "$output" "--pids-limit cannot be applied"
	else
		# cgroup v2: the limit applies if the user's manager delegates
		# the memory controller, else the refusal says so.
		run_ur '?' robbe run --rm --memory 64m "$(IMG)" cat /sys/fs/cgroup/memory.max
		[ "$status" -eq 0 ] && assert_output 67108864 || assert_contains "$output" "delegat"
	fi
	# Without limits the container runs, in no cgroup of its own.
	run_ur robbe run --rm "$(IMG)" true
}

@test "rootless: a container started from a login session keeps the user's audit login uid" {
	[ -w /proc/self/loginuid ] || skip "no audit login uid on this kernel"
	run_ur robbe run -d --name lu "$(IMG)" sleep 60
	pid=$(ur robbe inspect -f '{{.State.Pid}}' lu)
	assert_equal "$(cat "/proc/$pid/loginuid")" "$RL_UID" "the container's process, seen from the host"
	# Inside, the kernel shows it as the container's user namespace maps
	# it: the user is 0 there, and itself with keep-id.
	run_ur robbe exec lu cat /proc/self/loginuid
	assert_output 0
	run_ur robbe run --rm --userns=keep-id "$(IMG)" cat /proc/self/loginuid
	assert_output "$RL_UID"
	run_ur robbe rm -f lu
}

@test "rootless: without subordinate ids, the single mapping and a warning" {
	local single=robbe-rootless-single env
	if ! id "$single" >/dev/null 2>&1; then
		useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$single"
	fi
	sed -i "/^$single:/d" /etc/subuid /etc/subgid
	env=$(rootless_user_env "$single" "$RL_DIR/single")
	# shellcheck disable=SC2086
	run rootless_login "$single" $env "$RL_ROBBE" unshare cat /proc/self/uid_map
	[ "$status" -eq 0 ] || die "$output"
	assert_contains "$output" "WARN"
	assert_contains "$output" "/etc/subuid"
	read -r a b c <<<"${lines[-1]}"
	assert_equal "$a $b $c" "0 $(id -u "$single") 1" "the one mapping"
	assert_equal "$(grep -c . <<<"$output")" 2 "a warning and one uid_map line"
}

@test "rootless: user networks live in one rootless-netns: names between containers, -p from the host" {
	[ -x /usr/lib/podman/netavark ] || skip "netavark is not installed"
	local run=$RL_DIR/u/xdg/robbe port slirp aardvark bridge
	port=$(free_port)
	run_ur robbe network create --subnet 10.91.7.0/24 rl-net
	bridge=br-$(ur robbe network inspect -f '{{.Id}}' rl-net | cut -c1-12)
	run_ur robbe run -d --name rl-web --network rl-net --network-alias rl-alias -p "$port:80" "$(IMG)" \
		sh -c 'echo by-name > /tmp/index.html; exec httpd -f -p 80 -h /tmp'
	# Another container reaches it by name and by alias through aardvark-dns.
	run_ur robbe run --rm --network rl-net "$(IMG)" \
		sh -c 'wget -qO- http://rl-web/; wget -qO- http://rl-alias/; ip -4 -o addr show eth0; cat /etc/resolv.conf'
	assert_line 0 by-name
	assert_line 1 by-name
	assert_contains "$output" "inet 10.91.7.3/24"
	assert_contains "$output" "nameserver 10.91.7.1"
	# The host: the published port answers, and nothing of the network is
	# the host's (the bridge is in the user's rootless-netns).
	wait_for 10 curl -sf -o /dev/null "http://127.0.0.1:$port/" || die "nothing on port $port"
	run curl -sf "http://127.0.0.1:$port/"
	assert_output by-name
	run ip link show "$bridge"
	[ "$status" -ne 0 ] || die "$bridge is on the host"
	run_ur robbe unshare nsenter --net="$run/networks/rootless-netns" ip -o link show "$bridge"
	assert_contains "$output" "$bridge"
	# Its helpers run as the user on the host, no privilege handed out.
	slirp=$(cat "$run/networks/rootless-netns.pid")
	aardvark=$(cat "$run/networks/aardvark-dns/aardvark.pid")
	assert_equal "$(stat -c %u "/proc/$slirp")" "$RL_UID" "slirp4netns's owner"
	assert_equal "$(stat -c %u "/proc/$aardvark")" "$RL_UID" "aardvark-dns's owner"
	# The container goes, its port with it; the rootless-netns stays for
	# the next one.
	run_ur robbe rm -f rl-web
	run curl -s -m 2 "http://127.0.0.1:$port/"
	[ "$status" -ne 0 ] || die "port $port still answers"
	kill -0 "$slirp" || die "the rootless-netns's slirp4netns stopped"
	run_ur robbe run --rm --network rl-net "$(IMG)" ip -4 -o addr show eth0
	assert_contains "$output" "inet 10.91.7.2/24"
	assert_equal "$(cat "$run/networks/rootless-netns.pid")" "$slirp" "the same rootless-netns"
	run_ur robbe network rm rl-net
}
