#!/usr/bin/env bats
# The container lifecycle after create: start, stop, kill, restart, pause,
# unpause, wait, rm, rename, conmon's cleanup, and what happens when conmon
# dies or twenty robbe processes create containers at once.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
}

teardown_file() {
	remove_all_containers
}

# state_is NAME WANT: inspect's State.Status is WANT.
state_is() {
	[ "$(robbe container inspect --format '{{.State.Status}}' "$1" 2>/dev/null)" = "$2" ]
}

@test "start: a created container runs; start prints the name as given" {
	run_robbe create --name s1 "$(IMG)" sleep 30
	id=$output
	run_robbe start s1
	assert_output s1
	run_robbe container inspect --format '{{.State.Status}} {{.State.Running}}' s1
	assert_output "running true"
	pid=$(robbe container inspect --format '{{.State.Pid}}' s1)
	[ "$pid" -gt 0 ] && kill -0 "$pid" || die "State.Pid $pid is not a live process"
	# Starting a running container is no error.
	run_robbe start "${id:0:12}"
	assert_output "${id:0:12}"
	run_robbe rm -f s1
}

@test "start: missing containers get Docker's words" {
	run_robbe 1 start nosuch1 nosuch2
	assert_contains "$output" "Error response from daemon: No such container: nosuch1"
	assert_contains "$output" "Error response from daemon: No such container: nosuch2"
	assert_contains "$output" "Error: failed to start containers: nosuch1, nosuch2"
	for verb in stop kill pause unpause wait restart; do
		run_robbe 1 $verb nosuch
		assert_output "Error response from daemon: No such container: nosuch"
	done
	run_robbe 1 rm nosuch
	assert_output "Error response from daemon: No such container: nosuch"
}

@test "start -a: output and exit status; start -i: stdin" {
	run_robbe create --name sa "$(IMG)" sh -c 'echo out; echo err >&2; exit 9'
	run --separate-stderr robbe start -a sa
	assert_equal "$status" 9 "status"
	assert_equal "$output" out
	assert_equal "$stderr" err
	# Once more: a stopped container starts again.
	run --separate-stderr robbe start -a sa
	assert_equal "$status" 9 "status"
	run_robbe create -i --name si "$(IMG)" sh -c 'read l; echo "got $l"'
	run bash -c 'echo hello | robbe start -a -i si'
	assert_equal "$output" "got hello"
	run_robbe 1 start -a sa si
	assert_contains "$output" "you cannot start and attach multiple containers at once"
	run_robbe rm sa si
}

@test "stop: SIGTERM first; -t 1 on a container ignoring it ends in SIGKILL, 137" {
	run_robbe run -d --name st1 "$(IMG)" sh -c 'trap "exit 0" TERM; echo ready; while :; do sleep 0.1; done'
	wait_ready st1
	start=$SECONDS
	run_robbe stop st1
	assert_output st1
	run_robbe container inspect --format '{{.State.Status}} {{.State.ExitCode}}' st1
	assert_output "exited 0"
	# PID 1 without a handler ignores TERM: killed after the timeout.
	run_robbe run -d --name st2 "$(IMG)" sleep 100
	start=$SECONDS
	run_robbe stop -t 1 st2
	(( SECONDS - start < 8 )) || die "stop -t 1 took $((SECONDS - start)) s"
	run_robbe container inspect --format '{{.State.Status}} {{.State.ExitCode}}' st2
	assert_output "exited 137"
	run_robbe wait st2
	assert_output 137
	# Stopping a stopped container is fine.
	run_robbe stop st2
	assert_output st2
	run_robbe rm st1 st2
}

@test "stop -s and --stop-signal choose the signal" {
	run_robbe run -d --name sg1 "$(IMG)" sh -c 'trap "exit 11" USR1; trap "exit 12" TERM; echo ready; while :; do sleep 0.1; done'
	wait_ready sg1
	run_robbe stop -s USR1 sg1
	run_robbe wait sg1
	assert_output 11
	run_robbe run -d --name sg2 --stop-signal USR1 "$(IMG)" sh -c 'trap "exit 11" USR1; trap "exit 12" TERM; echo ready; while :; do sleep 0.1; done'
	wait_ready sg2
	run_robbe stop sg2
	run_robbe wait sg2
	assert_output 11
	run_robbe 1 stop -s NOPE sg2
	assert_contains "$output" "Invalid signal: NOPE"
	run_robbe rm sg1 sg2
}

@test "kill: SIGKILL by default, -s for others; not running is an error" {
	# The shell must have set its traps before a signal comes, and must
	# have run the USR2 one before HUP arrives (pending together, the
	# shell may take HUP first).
	run_robbe run -d --name k1 "$(IMG)" sh -c 'trap "echo usr2" USR2; trap "exit 3" HUP; echo ready; while :; do sleep 0.1; done'
	wait_ready k1
	run_robbe kill -s USR2 k1
	assert_output k1
	wait_for 20 sh -c 'robbe logs k1 | grep -q usr2' || die "the USR2 trap never ran"
	run_robbe kill --signal SIGHUP k1
	run_robbe wait k1
	assert_output 3
	run_robbe logs k1
	assert_output "ready
usr2"
	run_robbe 1 kill k1
	assert_output "Error response from daemon: cannot kill container: k1: container $(robbe container inspect --format '{{.Id}}' k1) is not running"
	run_robbe run -d --name k2 "$(IMG)" sleep 100
	run_robbe kill k2
	run_robbe wait k2
	assert_output 137
	run_robbe rm k1 k2
}

@test "pause and unpause: the freezer, and the state" {
	skip_if_rootless "the freezer is a cgroup, and this host delegates none to the user"
	run_robbe run -d --name p1 "$(IMG)" sh -c 'i=0; while :; do i=$((i+1)); echo $i > /tmp/n; sleep 0.05; done'
	run_robbe pause p1
	assert_output p1
	run_robbe container inspect --format '{{.State.Status}} {{.State.Paused}} {{.State.Running}}' p1
	assert_output "paused true true"
	id=$(robbe container inspect --format '{{.Id}}' p1)
	if [ -f /sys/fs/cgroup/freezer/robbe/robbe-$id/freezer.state ]; then
		assert_equal "$(cat /sys/fs/cgroup/freezer/robbe/robbe-$id/freezer.state)" FROZEN
	fi
	merged=$(robbe container inspect --format '{{.GraphDriver.Data.MergedDir}}' p1)
	a=$(cat "$merged/tmp/n"); sleep 0.5; b=$(cat "$merged/tmp/n")
	assert_equal "$a" "$b" "frozen counter"
	run_robbe 1 pause p1
	assert_contains "$output" "is already paused"
	run_robbe 1 rm p1
	assert_contains "$output" 'cannot remove container "/p1"'
	run_robbe unpause p1
	assert_output p1
	run_robbe container inspect --format '{{.State.Status}}' p1
	assert_output running
	sleep 0.3
	c=$(cat "$merged/tmp/n")
	[ "$c" -gt "$b" ] || die "not running again ($b -> $c)"
	run_robbe 1 unpause p1
	assert_contains "$output" "is not paused"
	# A paused container can be stopped.
	run_robbe pause p1
	run_robbe stop -t 1 p1
	run_robbe container inspect --format '{{.State.Status}}' p1
	assert_output exited
	run_robbe 1 pause p1
	assert_contains "$output" "is not running"
	run_robbe rm p1
}

@test "restart: a new process, the same container" {
	run_robbe run -d --name r1 "$(IMG)" sh -c 'date +%s%N > /tmp/started; sleep 100'
	first=$(robbe container inspect --format '{{.State.StartedAt}} {{.State.Pid}}' r1)
	run_robbe restart -t 0 r1
	assert_output r1
	run_robbe container inspect --format '{{.State.Status}} {{.RestartCount}}' r1
	assert_output "running 0"
	second=$(robbe container inspect --format '{{.State.StartedAt}} {{.State.Pid}}' r1)
	[ "$first" != "$second" ] || die "not restarted: $first"
	# A stopped container starts.
	run_robbe stop -t 0 r1
	run_robbe restart r1
	wait_for 5 state_is r1 running
	run_robbe rm -f r1
}

@test "rm: running refused with Docker's words; -f kills; -f on a missing name is fine" {
	run_robbe run -d --name rm1 "$(IMG)" sleep 100
	id=$output
	run_robbe 1 rm rm1
	assert_output 'Error response from daemon: cannot remove container "/rm1": container is running: stop the container before removing or force remove'
	run_robbe rm -f rm1
	assert_output rm1
	run_robbe 1 container inspect rm1
	[ ! -d "$ROBBE_ROOT/containers/$id" ] || die "files left"
	grep -q "$id" /proc/self/mountinfo && die "still mounted"
	run_robbe rm -f no-such-container
	run_robbe rm -fv no-such-container
	run_robbe create --name rm2 "$(IMG)" true
	run_robbe rm -v rm2
	assert_output rm2
	run --separate-stderr robbe rm -f nope1 nope2
	assert_equal "$status" 0 "rm -f of missing names"
	assert_equal "$output" "" "stdout"
}

@test "wait: several containers, in order, with their codes" {
	run_robbe run -d --name w1 "$(IMG)" sh -c 'sleep 0.5; exit 1'
	run_robbe run -d --name w2 "$(IMG)" sh -c 'exit 2'
	run_robbe run -d --name w3 "$(IMG)" sh -c 'sleep 1; exit 0'
	run_robbe wait w1 w2 w3
	assert_equal "$output" $'1\n2\n0'
	run_robbe 1 wait w1 nosuch
	assert_contains "$output" 1
	assert_contains "$output" "No such container: nosuch"
	run_robbe rm w1 w2 w3
}

@test "rename: the new name works, the old one is free, conflicts refused" {
	run_robbe create --name old1 "$(IMG)" true
	id=$output
	run_robbe rename old1 new1
	run_robbe container inspect --format '{{.Name}} {{.Id}}' new1
	assert_output "/new1 $id"
	run_robbe 1 container inspect old1
	run_robbe create --name old1 "$(IMG)" true
	run_robbe 1 rename old1 new1
	assert_contains "$output" "Conflict. The container name \"/new1\" is already in use by container \"$id\""
	run_robbe 1 rename nosuch x1
	assert_output "Error response from daemon: No such container: nosuch"
	run_robbe 1 rename old1 'bad name'
	assert_contains "$output" "Invalid container name"
	run_robbe rm old1 new1
}

@test "cleanup: runs when the container exits; idempotent" {
	run_robbe run -d --name c1 "$(IMG)" true
	id=$output
	merged=$(robbe container inspect --format '{{.GraphDriver.Data.MergedDir}}' c1)
	wait_for 10 bash -c "! grep -q ' $merged ' /proc/self/mountinfo" || die "conmon's cleanup did not unmount"
	run_robbe container inspect --format '{{.State.Status}} {{.State.ExitCode}}' c1
	assert_output "exited 0"
	run_robbe container cleanup "$id"
	run_robbe container cleanup "$id"
	run_robbe container cleanup no-such-container
	run_robbe start -a c1
	run_robbe rm c1
}

@test "the exit code survives without any robbe running when the container dies" {
	run_robbe run -d --name late "$(IMG)" sh -c 'sleep 1; exit 42'
	# Nothing of robbe runs now: only conmon.
	sleep 2
	run_robbe container inspect --format '{{.State.Status}} {{.State.ExitCode}}' late
	assert_output "exited 42"
	run_robbe rm late
}

@test "a killed conmon: the container still ends up exited, never stuck running" {
	run_robbe run -d --name orphan "$(IMG)" sleep 2
	id=$output
	conmon=$(cat "$ROBBE_RUNROOT/containers/$id/conmon.pid")
	kill -9 "$conmon"
	run_robbe container inspect --format '{{.State.Status}}' orphan
	assert_output running
	sleep 2.5
	run_robbe wait orphan
	[ "$output" = -1 ] || [ "$output" = 0 ] || die "exit code $output"
	run_robbe container inspect --format '{{.State.Status}}|{{.State.ExitCode}}|{{.State.Error}}' orphan
	[ "$output" = "exited|-1|container exited but its exit code was lost" ] || [ "$output" = "exited|0|" ] ||
		die "state after conmon died: $output"
	# And it can run again, under a new conmon.
	run_robbe start orphan
	run_robbe rm -f orphan
}

@test "a killed runc or conmon while running: stop and rm still work" {
	run_robbe run -d --name victim "$(IMG)" sleep 100
	id=$output
	kill -9 "$(cat "$ROBBE_RUNROOT/containers/$id/conmon.pid")"
	run_robbe stop -t 1 victim
	run_robbe container inspect --format '{{.State.Status}}' victim
	assert_output exited
	run_robbe rm victim
}

# What of this file's store is mounted (rootless: in robbe's namespace).
store_mounts() {
	if [ "${ROBBE_TEST_ROOTLESS:-}" = 1 ]; then
		robbe unshare cat /proc/self/mounts
	else
		cat /proc/self/mounts
	fi | grep -c -e "$ROBBE_ROOT" -e "$ROBBE_RUNROOT" || true
}

# killed_runs N STEP: N `run -d` (kr1..krN), the i-th killed after i*STEP ms.
killed_runs() {
	local i pid
	for i in $(seq 1 "$1"); do
		robbe run -d --name "kr$i" "$(IMG)" sleep 100 >/dev/null 2>&1 &
		pid=$!
		sleep "$(printf '%d.%03d' $(($2 * i / 1000)) $(($2 * i % 1000)))"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

@test "run -d killed at any point: created or running, and start and rm -f leave nothing behind" {
	robbe rm -f $(robbe ps -aq) >/dev/null 2>&1 || true
	local n
	# From before the record to after the start, some kills land between
	# conmon's runc create and the running state.
	killed_runs 16 40
	run_robbe ps -a --format '{{.State}}'
	for s in "${lines[@]}"; do
		[ "$s" = created ] || [ "$s" = running ] || die "state $s: $output"
	done
	n=${#lines[@]}
	# Each created one starts (a conmon of the killed start goes first).
	created=$(robbe ps -aq --filter status=created)
	[ -z "$created" ] || run_robbe start $created
	run_robbe ps --format '{{.State}}'
	assert_equal "${#lines[@]}" "$n" "running after start"
	assert_equal "$(pgrep -c -f "[c]onmon .*$ROBBE_RUNROOT/" || true)" "$n" "one conmon each"
	run_robbe rm -f $(robbe ps -aq)
	wait_for 10 sh -c "! pgrep -f '[c]onmon .*$ROBBE_RUNROOT/' >/dev/null" || die "conmons left: $(pgrep -af conmon)"
	assert_equal "$(store_mounts)" 0 "mounts left"
	assert_equal "$(ls "$ROBBE_RUNROOT/netns" 2>/dev/null | wc -l)" 0 "namespaces left"

	# Killed, then removed without a start.
	killed_runs 10 60
	run_robbe rm -f $(robbe ps -aq)
	wait_for 10 sh -c "! pgrep -f '[c]onmon .*$ROBBE_RUNROOT/' >/dev/null" || die "conmons left: $(pgrep -af conmon)"
	assert_equal "$(store_mounts)" 0 "mounts left"
	assert_equal "$(ls "$ROBBE_RUNROOT/netns" 2>/dev/null | wc -l)" 0 "namespaces left"
}

@test "20 run -d in parallel: 20 distinct containers, ps agrees" {
	local dir="$BATS_TEST_TMPDIR/par" i
	mkdir -p "$dir"
	# Only these twenty, whatever earlier tests left.
	robbe rm -f $(robbe ps -aq) >/dev/null 2>&1 || true
	for i in $(seq 1 20); do
		robbe run -d "$(IMG)" sleep 60 > "$dir/$i.out" 2> "$dir/$i.err" &
	done
	wait
	for i in $(seq 1 20); do
		[[ $(cat "$dir/$i.out") =~ ^[0-9a-f]{64}$ ]] || die "run $i: $(cat "$dir/$i.out" "$dir/$i.err")"
	done
	assert_equal "$(cat "$dir"/*.out | sort -u | wc -l)" 20 "distinct IDs"
	run_robbe ps -q --no-trunc
	assert_equal "$(echo "$output" | sort)" "$(cat "$dir"/*.out | sort)" "ps lists exactly them"
	run_robbe ps --format '{{.Names}}'
	assert_equal "$(echo "$output" | sort -u | wc -l)" 20 "distinct names"
	run_robbe ps --format '{{.Status}}'
	assert_equal "$(echo "$output" | grep -c '^Up')" 20 "all up"
	robbe rm -f $(cat "$dir"/*.out) > /dev/null
	run_robbe ps -aq
	assert_output ""
}
