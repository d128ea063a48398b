#!/usr/bin/env bats
# docker exec on real containers: the process's status and streams, the
# flags that shape its process (-e, --env-file, -w, -u, --privileged, -t, -i,
# -d), Docker's errors, and that nothing is left behind.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
	robbe run -d --name ex -e FROMRUN=yes -w /tmp "$(IMG)" sleep 1000 >/dev/null
}

teardown_file() {
	remove_all_containers
}

# The number of processes in container ex, counted from inside.
# The processes in container ex, zombies too, seen from inside, without the
# ones doing the counting.
count_procs() {
	robbe exec ex sh -c 'cat /proc/[0-9]*/stat 2>/dev/null' | grep -v -e ' (cat) ' -e ' (sh) ' | wc -l
}

procs_count_is() {
	[ "$(count_procs)" = "$1" ]
}

@test "exec: the exit status is the process's" {
	run_robbe exec ex true
	run_robbe 3 exec ex sh -c 'exit 3'
	run_robbe 1 exec ex false
	run_robbe 137 exec ex sh -c 'kill -9 $$'
}

@test "exec: stdout and stderr stay separate" {
	run --separate-stderr robbe exec ex sh -c 'echo out; echo err >&2; echo out2'
	[ "$status" -eq 0 ]
	assert_equal "$output" $'out\nout2' "stdout"
	assert_equal "$stderr" "err" "stderr"
	out=$(robbe exec ex sh -c 'echo out; echo err >&2' 2>/dev/null)
	assert_equal "$out" "out"
	out=$(robbe exec ex sh -c 'echo out; echo err >&2' 2>&1 >/dev/null)
	assert_equal "$out" "err"
}

@test "exec: all of a large output arrives" {
	run_robbe exec ex seq 1 20000
	assert_equal "${#lines[@]}" 20000 "line count"
	assert_equal "${lines[19999]}" 20000 "last line"
}

@test "exec: environment, -e and --env-file" {
	run_robbe exec ex sh -c 'echo $FROMRUN'
	assert_output "yes"
	run_robbe exec -e A=1 -e FROMRUN=over ex sh -c 'echo $A $FROMRUN'
	assert_output "1 over"
	printf '# comment\nB=2\n\n  C=three\n' >"$BATS_TEST_TMPDIR/envf"
	run_robbe exec --env-file "$BATS_TEST_TMPDIR/envf" -e C=minus ex sh -c 'echo $B $C'
	assert_output "2 minus"
	HOSTVAR=fromhost run_robbe exec -e HOSTVAR ex sh -c 'echo $HOSTVAR'
	assert_output "fromhost"
}

@test "exec: working directory, the container's or -w" {
	run_robbe exec ex pwd
	assert_output "/tmp"
	run_robbe exec -w /etc ex pwd
	assert_output "/etc"
}

@test "exec: -u resolves the user in the container" {
	run_robbe exec ex id -u
	assert_output "0"
	run_robbe exec -u nobody ex id -u
	assert_output "65534"
	run_robbe exec -u 1234:5678 ex sh -c 'echo $(id -u):$(id -g)'
	assert_output "1234:5678"
	run_robbe 126 exec -u nosuchuser ex true
	assert_contains "$output" "unable to find user nosuchuser: no matching entries in passwd file"
}

@test "exec: --privileged gives every capability" {
	skip_if_rootless "it compares with the test's own capabilities, which a user has none of"
	run_robbe exec ex sh -c 'grep CapEff /proc/self/status'
	normal=$output
	run_robbe exec --privileged ex sh -c 'grep CapEff /proc/self/status'
	[ "$output" != "$normal" ] || die "privileged CapEff equals normal: $output"
	run_robbe exec --privileged ex sh -c 'grep CapEff /proc/self/status | cut -f2'
	assert_equal "$output" "$(grep CapEff /proc/self/status | cut -f2)" "CapEff like ours"
}

@test "exec: -i passes stdin through and closes it at EOF" {
	run bash -c "echo hi | robbe exec -i ex cat"
	[ "$status" -eq 0 ]
	assert_output "hi"
	run bash -c "printf 'a\nb\n' | robbe exec -i ex wc -l"
	assert_output "2"
	# Without -i the process gets no input.
	run bash -c "echo hi | robbe exec ex cat"
	[ "$status" -eq 0 ]
	assert_output ""
}

@test "exec: -d returns at once and the process runs" {
	start=$SECONDS
	run_robbe exec -d ex sh -c 'sleep 2; touch /tmp/detached-done'
	assert_output ""
	[ $((SECONDS - start)) -lt 2 ] || die "exec -d waited"
	run_robbe 1 exec ex test -e /tmp/detached-done
	wait_for 10 robbe exec ex test -e /tmp/detached-done
	# -d -t: runs as well (without a terminal nobody would read).
	run_robbe exec -dt ex touch /tmp/detached-tty
	wait_for 10 robbe exec ex test -e /tmp/detached-tty
}

@test "exec: a missing command is 127, a file that is not executable 126" {
	run -127 --separate-stderr robbe exec ex nope
	[ "$status" -eq 127 ] || die "status $status"
	assert_equal "$stderr" 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown'
	assert_equal "$output" ""
	run_robbe 127 exec ex /no/such/file
	assert_contains "$output" "OCI runtime exec failed: "
	run_robbe 126 exec ex /etc/passwd
	assert_contains "$output" "OCI runtime exec failed: "
	assert_contains "$output" "permission denied"
	run_robbe 127 exec -d ex nope
	assert_contains "$output" 'executable file not found in $PATH'
}

@test "exec: -t gives the process a terminal" {
	run script -qec "robbe exec -t ex tty" /dev/null
	[ "$status" -eq 0 ] || die "status $status: $output"
	assert_contains "$output" "/dev/pts/"
	run script -qec "robbe exec -t ex sh -c 'echo \$TERM; exit 5'" /dev/null
	[ "$status" -eq 5 ] || die "status $status: $output"
	assert_contains "$output" "xterm"
	# Without -t there is none.
	run_robbe 1 exec ex tty
	assert_contains "$output" "not a tty"
}

@test "exec: -i -t reads the terminal" {
	run script -qec "robbe exec -it ex sh -c 'read x; echo got:\$x; exit 4'" /dev/null <<<"hello"
	[ "$status" -eq 4 ] || die "status $status: $output"
	assert_contains "$output" "got:hello"
}

@test "exec: -i -t without a terminal on stdin is refused" {
	run bash -c "echo | robbe exec -it ex true"
	[ "$status" -eq 1 ]
	assert_output "the input device is not a TTY"
}

@test "exec: nothing is left behind" {
	before=$(count_procs)
	[ "$before" -ge 1 ] || die "no process counted in the container"
	for i in 1 2 3; do
		robbe exec ex sh -c 'echo x' >/dev/null
	done
	robbe exec ex true
	robbe exec -i ex cat </dev/null
	script -qec "robbe exec -t ex true" /dev/null
	run_robbe exec -d ex sleep 0.5
	# The -d process is reaped by whoever adopts it once runc is gone
	# (the host's init): give that a moment.
	sleep 1
	wait_for 20 procs_count_is "$before" || die "processes in the container: $(count_procs), want $before"
	# No runc of ours is still around, and the session files are gone.
	id=$(robbe inspect --format '{{.Id}}' ex)
	run pgrep -f "exec .*$id"
	assert_output ""
	run bash -c "ls $ROBBE_RUNROOT/exec"
	assert_output ""
}

@test "exec: a signal to robbe reaches the process" {
	robbe exec ex sleep 300 &
	pid=$!
	wait_for 10 sh -c "robbe exec ex ps | grep -q 'sleep 300'"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 143 "exit status"
	run_robbe exec ex ps
	assert_not_contains "$output" "sleep 300"
}

@test "exec: a stopped container and a missing one" {
	robbe create --name exstopped "$(IMG)" true >/dev/null
	id=$(robbe inspect --format '{{.Id}}' exstopped)
	run_robbe 1 exec exstopped true
	assert_output "Error response from daemon: container $id is not running"
	robbe run --name exexited "$(IMG)" true
	id=$(robbe inspect --format '{{.Id}}' exexited)
	run_robbe 1 exec exexited true
	assert_output "Error response from daemon: container $id is not running"
	run_robbe 1 exec nosuchcontainer true
	assert_output "Error response from daemon: No such container: nosuchcontainer"
}

@test "exec: a paused container is refused" {
	skip_if_rootless "the freezer is a cgroup, and this host delegates none to the user"
	robbe pause ex
	id=$(robbe inspect --format '{{.Id}}' ex)
	run_robbe 1 exec ex true
	robbe unpause ex
	assert_output "Error response from daemon: Container $id is paused, unpause the container before exec"
}

@test "exec: usage errors" {
	run_robbe 1 exec ex
	assert_contains "$output" "requires at least 2 arguments"
}
