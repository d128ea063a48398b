#!/bin/sh
# Run real `runc run` on bundles whose config.json robbe's spec generator
# wrote (`test-spec bundle DIR [options] -- CMD`), in a busybox-static root
# with a few users, and check from inside the container what the process
# got: ids and groups, capabilities, seccomp, masked and read-only /proc,
# rlimits, a read-only root, tmpfs options, the memory cgroup, environment,
# devices, sysctls and --init.  Prints TAP.
set -u

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP runc needs root to create containers (run as root)"
	exit 0
fi
if ! command -v runc >/dev/null 2>&1; then
	echo "1..0 # SKIP runc is not installed (apt-get install runc)"
	exit 0
fi
busybox=$(command -v busybox 2>/dev/null || true)
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	echo "1..0 # SKIP needs a static busybox (apt-get install busybox-static)"
	exit 0
fi

bin=${TEST_SPEC_BIN:-./tests/unit/test-spec}
tmp=$(mktemp -d /tmp/robbe-test-spec-runc.XXXXXX) || exit 1
ids=""
n=0
failed=0

cleanup() {
	for id in $ids; do
		runc delete -f "$id" >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ok() { # ok COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

is() { # is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
		[ -s "$tmp/err" ] && sed 's/^/#   stderr: /' "$tmp/err" | head -5
	fi
	return 0
}

like() { # like GOT SUBSTRING DESCRIPTION
	case $1 in
	*"$2"*) ok 0 "$3" ;;
	*)
		ok 1 "$3"
		printf '#   got:  %s\n#   want something with: %s\n' "$1" "$2"
		[ -s "$tmp/err" ] && sed 's/^/#   stderr: /' "$tmp/err" | head -5
		;;
	esac
	return 0
}

# The root: busybox and its applets, account files.
base=$tmp/base
mkdir -p "$base/bin" "$base/etc" "$base/home/alice" "$base/tmp" "$base/root"
cp "$busybox" "$base/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$base/bin/$applet" ] || ln -s busybox "$base/bin/$applet"
done
cat >"$base/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
alice:x:1000:1000:Alice:/home/alice:/bin/sh
bob:x:1001:1001::/home/bob:/bin/sh
EOF
cat >"$base/etc/group" <<'EOF'
root:x:0:
wheel:x:10:alice
audio:x:29:
staff:x:50:alice,bob
alice:x:1000:
bob:x:1001:
EOF
chmod 1777 "$base/tmp"

# ctr NAME [generator options] -- CMD...: generate a bundle and run it;
# sets $out (stdout), $rc (exit status); stderr in $tmp/err.
ctr() {
	name=$1
	shift
	b=$tmp/$name
	id="robbe-spec-$$-$name"
	ids="$ids $id"
	cp -a "$base" "$b.rootfs.tmp" && mkdir -p "$b" && mv "$b.rootfs.tmp" "$b/rootfs"
	if ! "$bin" bundle "$b" --id "$id" "$@" 2>"$tmp/err"; then
		out="(generator failed)"
		rc=255
		return 0
	fi
	out=$(runc run --bundle "$b" "$id" </dev/null 2>"$tmp/err")
	rc=$?
	runc delete -f "$id" >/dev/null 2>&1
	return 0
}

# --- user, groups, environment, cwd
ctr user --user alice --group-add audio --hostname box --workdir /tmp/wd --env FOO=bar -- \
	/bin/sh -c 'id; echo "$HOME $HOSTNAME $FOO $(pwd) $(hostname)"'
is "$(echo "$out" | sed -n 1p)" "uid=1000(alice) gid=1000(alice) groups=10(wheel),29(audio),50(staff),1000(alice)" \
	"--user alice --group-add audio: uid, gid and groups"
is "$(echo "$out" | sed -n 2p)" "/home/alice box bar /tmp/wd box" "HOME, HOSTNAME, env, cwd and hostname"

ctr uidgid --user 4242:4343 -- /bin/id
is "$out" "uid=4242 gid=4343 groups=4343" "--user 4242:4343 without passwd entries"

ctr nouser --user nosuchuser -- /bin/true
like "$(cat "$tmp/err")" "unable to find user nosuchuser: no matching entries in passwd file" \
	"unknown user: Docker's error, before runc runs"

ctr imgcfg --image-config '{"Entrypoint":["/bin/echo","from-ep"],"Cmd":["from-cmd"],"Env":["IMG=1"]}' --
is "$out" "from-ep from-cmd" "image Entrypoint + Cmd"

# --- capabilities
ctr caps -- /bin/grep -E '^Cap(Eff|Bnd|Prm|Inh|Amb)' /proc/self/status
is "$(echo "$out" | sed -n 's/^CapEff:[[:space:]]*//p')" "00000000a80425fb" "CapEff is Docker's 14 default capabilities"
is "$(echo "$out" | sed -n 's/^CapBnd:[[:space:]]*//p')" "00000000a80425fb" "CapBnd the same"
is "$(echo "$out" | sed -n 's/^CapInh:[[:space:]]*//p')" "0000000000000000" "CapInh empty"

ctr capdrop --cap-drop ALL -- /bin/grep -E '^Cap(Eff|Bnd)' /proc/self/status
is "$(echo "$out" | sed -n 's/^CapEff:[[:space:]]*//p')" "0000000000000000" "--cap-drop ALL: CapEff 0"
is "$(echo "$out" | sed -n 's/^CapBnd:[[:space:]]*//p')" "0000000000000000" "--cap-drop ALL: CapBnd 0"

ctr capadd --cap-drop ALL --cap-add net_admin -- /bin/grep '^CapEff' /proc/self/status
is "$(echo "$out" | sed -n 's/^CapEff:[[:space:]]*//p')" "0000000000001000" "--cap-drop ALL --cap-add net_admin"

ctr capuser --user alice -- /bin/grep -E '^Cap(Eff|Bnd)' /proc/self/status
is "$(echo "$out" | sed -n 's/^CapEff:[[:space:]]*//p')" "0000000000000000" "non-root user: no effective capabilities"
is "$(echo "$out" | sed -n 's/^CapBnd:[[:space:]]*//p')" "00000000a80425fb" "non-root user: bounding set is the default"

ctr capbad --cap-add FOO -- /bin/true
like "$(cat "$tmp/err")" 'unknown capability: "CAP_FOO"' "--cap-add FOO: Docker's error"

# --- seccomp
ctr sc --  /bin/sh -c 'grep "^Seccomp:" /proc/self/status; unshare -U true && echo unshare-ok || echo unshare-denied'
is "$(echo "$out" | sed -n 1p | tr -d ' \t')" "Seccomp:2" "default profile: seccomp filter mode"
is "$(echo "$out" | sed -n 2p)" "unshare-denied" "default profile: unshare(CLONE_NEWUSER) is denied"
like "$(cat "$tmp/err")" "Operation not permitted" "... with EPERM"

ctr scoff --seccomp unconfined -- /bin/sh -c 'grep "^Seccomp:" /proc/self/status; unshare -U true && echo unshare-ok || echo unshare-denied'
is "$(echo "$out" | sed -n 1p | tr -d ' \t')" "Seccomp:0" "unconfined: no filter"
is "$(echo "$out" | sed -n 2p)" "unshare-ok" "unconfined: the same unshare works (so the filter denied it)"

cat >"$tmp/profile.json" <<'EOF'
{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}
EOF
ctr scfile --seccomp "$tmp/profile.json" -- /bin/sh -c 'mkdir /tmp/newdir && echo made || echo refused'
is "$out" "refused" "a profile file: mkdir denied as it says"
like "$(cat "$tmp/err")" "Permission denied" "... with the errno it gives (EACCES)"

# --- masked and read-only paths (only those this kernel has can be checked)
masked=""
for f in /proc/kcore /proc/interrupts /proc/keys /proc/timer_list /proc/sched_debug; do
	[ -e "$f" ] && masked="$masked $f"
done
ctr masked -- /bin/sh -c "for f in $masked; do echo \$f \$(wc -c <\$f); done; ls /sys/firmware | wc -l; echo 1 >/proc/sys/net/ipv4/ip_forward && echo wrote || echo refused"
for f in $masked; do
	is "$(echo "$out" | grep "^$f " | tr -s ' ')" "$f 0" "$f masked (reads empty)"
done
is "$(echo "$out" | tail -2 | head -1 | tr -d ' ')" "0" "/sys/firmware masked (empty)"
is "$(echo "$out" | tail -1)" "refused" "/proc/sys read-only"
like "$(cat "$tmp/err")" "Read-only file system" "... Read-only file system"

ctr priv --privileged -- /bin/sh -c 'grep "^Seccomp:" /proc/self/status; wc -c </proc/kcore >/dev/null 2>&1; grep "^CapEff" /proc/self/status; [ -c /dev/loop-control ] || [ -c /dev/kmsg ] && echo hostdevs'
is "$(echo "$out" | sed -n 1p | tr -d ' \t')" "Seccomp:0" "--privileged: no seccomp"
is "$(echo "$out" | sed -n 2p | sed 's/^CapEff:[[:space:]]*//')" \
	"$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)" "--privileged: every capability we have"
is "$(echo "$out" | sed -n 3p)" "hostdevs" "--privileged: host devices"

# --- rlimits: the default nofile is clamped to what we may grant
hard=$(ulimit -Hn)
if grep -q '^CapEff:.*' /proc/self/status && [ $(( 0x$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status) >> 24 & 1 )) -eq 1 ]; then
	want_default=1048576
else
	want_default=$hard
	[ "$hard" = unlimited ] && want_default=1048576
fi
ctr rl -- /bin/sh -c 'ulimit -n; ulimit -Hn'
is "$(echo "$out" | tr '\n' ' ')" "$want_default $want_default " "default nofile: $want_default (our hard limit is $hard)"

ctr rl2 --ulimit nofile=1024:2048 --ulimit nproc=500 -- /bin/sh -c 'ulimit -n; ulimit -Hn; ulimit -u'
is "$(echo "$out" | tr '\n' ' ')" "1024 2048 500 " "--ulimit nofile=1024:2048 --ulimit nproc=500"

if [ "$want_default" != 1048576 ]; then
	ctr rl3 --ulimit nofile=1024:2000000 -- /bin/true
	like "$(cat "$tmp/err")" "ulimit nofile: hard limit 2000000 is above this process's hard limit $hard" \
		"--ulimit above our hard limit fails clearly without CAP_SYS_RESOURCE"
else
	ok 0 "# SKIP we have CAP_SYS_RESOURCE, nothing to refuse"
fi

# --- read-only root, tmpfs
ctr ro --read-only -- /bin/sh -c 'touch /x && echo wrote || echo refused; touch /dev/shm/x && echo shm-ok'
is "$(echo "$out" | tr '\n' ' ')" "refused shm-ok " "--read-only: / refuses writes, /dev/shm does not"

ctr rw -- /bin/sh -c 'touch /x && echo wrote'
is "$out" "wrote" "writable root by default"

ctr tmpfs --tmpfs /scratch:size=1m,mode=750 -- /bin/sh -c 'grep " /scratch " /proc/mounts; stat -c %a /scratch'
like "$(echo "$out" | sed -n 1p)" "tmpfs /scratch tmpfs rw,nosuid,nodev,noexec" "--tmpfs: nosuid,nodev,noexec by default"
like "$(echo "$out" | sed -n 1p)" "size=1024k,mode=750" "--tmpfs: size and mode"
is "$(echo "$out" | sed -n 2p)" "750" "--tmpfs: mode applied"

# --- memory cgroup
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	ctr mem --memory 64m -- /bin/cat /sys/fs/cgroup/memory.max
else
	ctr mem --memory 64m -- /bin/cat /sys/fs/cgroup/memory/memory.limit_in_bytes
fi
is "$out" "67108864" "--memory 64m in the container's memory cgroup"

ctr pids --pids-limit 50 -- /bin/sh -c 'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max'
is "$out" "50" "--pids-limit 50"

# --- devices, sysctls, no-new-privileges
ctr dev --device /dev/null:/dev/mynull -- /bin/sh -c '[ -c /dev/mynull ] && echo x >/dev/mynull && echo ok; mknod /dev/blk b 8 0 && (cat /dev/blk >/dev/null 2>&1 && echo read || echo denied)'
is "$(echo "$out" | tr '\n' ' ')" "ok denied " "--device maps a node; other devices stay denied by the device cgroup"

ctr sysctl --sysctl net.ipv4.ip_forward=1 -- /bin/sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/ping_group_range'
is "$(echo "$out" | tr '\n' ' ' | tr '\t' ' ')" "1 0 2147483647 " "--sysctl applied; Docker's ping_group_range default"

ctr sysbad --sysctl kernel.hostname=x -- /bin/true
like "$(cat "$tmp/err")" "sysctl 'kernel.hostname=x' is not allowed" "non-namespaced sysctl refused"

ctr nnp --no-new-privileges -- /bin/grep '^NoNewPrivs' /proc/self/status
is "$(echo "$out" | tr -d ' \t')" "NoNewPrivs:1" "--security-opt no-new-privileges"

# --- --init
if command -v catatonit >/dev/null 2>&1 || [ -x /usr/libexec/podman/catatonit ]; then
	ctr init --init -- /bin/sh -c 'tr "\0" " " </proc/1/cmdline; echo; echo "$$"'
	like "$(echo "$out" | sed -n 1p)" "/run/robbe-init -- /bin/sh -c tr " "--init: PID 1 is the init, the command under --"
	ok "$([ "$(echo "$out" | sed -n 2p)" != 1 ]; echo $?)" "--init: the command is not PID 1"
	ctr noinit -- /bin/sh -c 'echo $$'
	is "$out" "1" "without --init the command is PID 1"
else
	ok 0 "# SKIP catatonit is not installed"
	ok 0 "# SKIP catatonit is not installed"
	ok 0 "# SKIP catatonit is not installed"
fi

# --- host network namespace
ctr hostnet --netns host -- /bin/sh -c 'ls /sys/class/net | wc -l'
ok "$([ "$(echo "$out" | tr -d ' ')" = "$(ls /sys/class/net | wc -l)" ]; echo $?)" "--netns host: the host's interfaces"

echo "1..$n"
[ "$failed" -eq 0 ]
