#!/usr/bin/env bats
# docker attach, the detach keys, re-attaching, start -a/-ai, and the
# terminal of -t containers (raw mode, its restoration, the window size),
# driven through real pseudo-terminals by ptydrive.py.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
}

teardown_file() {
	remove_all_containers
}

teardown() {
	rm -f "$HOME/.docker/config.json"
}

# pty [--rows R --cols C] [-s STEP]... -- COMMAND: run COMMAND on a new
# pseudo-terminal (see ptydrive.py); $output is what it showed, $status its
# exit status, and a step that failed fails the test.
pty() {
	run --separate-stderr python3 "$BATS_TEST_DIRNAME/ptydrive.py" "$@"
	echo "# pty $* -> status $status" >&3 2>/dev/null || true
	if [ "$status" -eq 99 ]; then
		printf 'ptydrive failed: %s\noutput:\n%s\n' "$stderr" "$output" >&2
		return 1
	fi
}

state_of() {
	robbe inspect --format '{{.State.Status}}' "$1"
}

# Does process $1 catch signal number $2 (its handler is in place)?
catches() {
	local mask
	mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
	[ -n "$mask" ] && (((0x$mask >> ($2 - 1)) & 1))
}

# Wait until container $1's log has $2.
log_has() {
	robbe logs "$1" 2>&1 | grep -q -- "$2"
}

@test "attach: the output of a running container from now on, and its exit status" {
	robbe run -d --name out1 "$(IMG)" sh -c \
		'trap "echo bye >&2; exit 5" USR1; i=0; while :; do echo tick$i; i=$((i+1)); sleep 0.2; done' >/dev/null
	wait_for 10 log_has out1 tick2
	robbe attach out1 > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
	local pid=$!
	# What comes after the attach is shown; what came before is not.
	wait_for 10 grep -q tick "$BATS_TEST_TMPDIR/out" || die "no output: $(cat "$BATS_TEST_TMPDIR/out")"
	assert_not_contains "$(cat "$BATS_TEST_TMPDIR/out")" "tick0"
	robbe kill -s USR1 out1
	local st=0
	wait $pid || st=$?
	assert_equal "$st" 5 "attach's exit status is the container's"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" "bye" "stderr stays stderr"
	assert_equal "$(state_of out1)" exited
}

@test "attach: stopped, paused and missing containers get Docker's words" {
	run_robbe 1 attach nosuch
	assert_output "Error response from daemon: No such container: nosuch"
	robbe create --name created1 "$(IMG)" true >/dev/null
	run_robbe 1 attach created1
	assert_output "You cannot attach to a stopped container, start it first"
	robbe run --name exited1 "$(IMG)" true
	run_robbe 1 attach exited1
	assert_output "You cannot attach to a stopped container, start it first"
	robbe run -d --name paused1 "$(IMG)" sleep 100 >/dev/null
	robbe pause paused1
	run_robbe 1 attach paused1
	assert_output "You cannot attach to a paused container, unpause it first"
	robbe rm -f paused1 created1 exited1 >/dev/null
	run_robbe 1 attach
	assert_contains "$output" "'robbe attach' requires 1 argument"
}

@test "attach: a -t container wants a terminal on stdin unless --no-stdin" {
	robbe run -dit --name notty1 "$(IMG)" sh >/dev/null
	run_robbe 1 attach notty1 </dev/null
	assert_output "the input device is not a TTY"
	robbe rm -f notty1 >/dev/null
}

@test "run -it: ctrl-p ctrl-q detaches, attach finds the same shell, its exit status comes back" {
	pty -s 'expect # ' -s raw -s 'send X=same-shell-42\r' -s 'expect # ' -s 'send \x10\x11' -s wait -s cooked -- \
		robbe run -it --name sh1 "$(IMG)" sh
	assert_equal "$status" 0 "run's status after detaching"
	assert_not_contains "$output" "escape sequence"
	assert_equal "$(state_of sh1)" running

	# Docker's attach reports the detach as an error.
	pty -s raw -s 'send echo got-$X\r' -s 'expect got-same-shell-42' -s 'send \x10\x11' -s wait -s cooked -- \
		robbe attach sh1
	assert_equal "$status" 1
	assert_contains "$output" "read escape sequence"
	assert_equal "$(state_of sh1)" running

	pty -s raw -s 'send exit 3\r' -s wait -s cooked -- robbe attach sh1
	assert_equal "$status" 3 "attach's status is the shell's"
	assert_equal "$(state_of sh1)" exited
	robbe rm sh1 >/dev/null
}

@test "run --rm -it: detached, the container runs on and goes when it exits" {
	pty -s 'expect # ' -s raw -s 'send \x10\x11' -s wait -- robbe run --rm -it --name rm1 "$(IMG)" sh
	assert_equal "$status" 0
	assert_equal "$(state_of rm1)" running
	pty -s raw -s 'send exit 4\r' -s wait -- robbe attach rm1
	assert_equal "$status" 4
	wait_for 10 sh -c '! robbe inspect rm1 >/dev/null 2>&1' || die "rm1 was not removed"
}

@test "--detach-keys, and detachKeys in config.json" {
	# Custom keys: the default sequence is passed on, the new one detaches.
	pty -s 'expect # ' -s raw -s 'send \x10\x11' -s 'send echo still-here\r' -s 'expect still-here' \
		-s 'expect # ' -s 'send \x18x' -s wait -- robbe run -it --detach-keys ctrl-x,x --name keys1 "$(IMG)" sh
	assert_equal "$status" 0
	assert_equal "$(state_of keys1)" running

	mkdir -p "$HOME/.docker"
	echo '{"detachKeys": "ctrl-a,a"}' > "$HOME/.docker/config.json"
	pty -s raw -s 'send \x01a' -s wait -- robbe attach keys1
	assert_equal "$status" 1
	assert_contains "$output" "read escape sequence"
	# --detach-keys wins over the config file.
	pty -s raw -s 'send \x01a\r' -s 'send echo not-detached\r' -s 'expect not-detached' -s 'send \x05e' -s wait -- \
		robbe attach --detach-keys ctrl-e,e keys1
	assert_equal "$status" 1
	# A config file given with --config.
	mkdir -p "$BATS_TEST_TMPDIR/cfg"
	echo '{"detachKeys": "ctrl-b,b"}' > "$BATS_TEST_TMPDIR/cfg/config.json"
	pty -s raw -s 'send \x02b' -s wait -- robbe --config "$BATS_TEST_TMPDIR/cfg" attach keys1
	assert_equal "$status" 1
	assert_equal "$(state_of keys1)" running
	robbe rm -f keys1 >/dev/null
}

@test "invalid detach keys: Docker's words, nothing started" {
	robbe run -d --name bad1 "$(IMG)" sleep 100 >/dev/null
	run_robbe 1 attach --detach-keys shift-a bad1
	assert_output "invalid detach keys (shift-a): Unknown character: 'shift-a'"
	run_robbe 1 exec --detach-keys ctrl-p,ctrl-zz bad1 true
	assert_output "invalid detach keys (ctrl-p,ctrl-zz): Unknown character: 'ctrl-zz'"
	robbe create --name bad2 "$(IMG)" true >/dev/null
	run_robbe 1 start -a --detach-keys a,,b bad2
	assert_output "invalid detach keys (a,,b): Unknown character: ''"
	assert_equal "$(state_of bad2)" created
	# run checks the flag before it makes anything.
	local before
	before=$(robbe ps -aq | wc -l)
	run_robbe 125 run --detach-keys ctrl-P "$(IMG)" true
	assert_contains "$output" "Unknown character: 'ctrl-P'"
	assert_equal "$(robbe ps -aq | wc -l)" "$before" "containers after a refused run"
	# From the config file too.
	mkdir -p "$HOME/.docker"
	echo '{"detachKeys": "ctrl-"}' > "$HOME/.docker/config.json"
	run_robbe 1 attach bad1
	assert_output "invalid detach keys (ctrl-): Unknown character: 'ctrl-'"
	# Valid keys of every kind are taken.
	run_robbe 0 exec --detach-keys 'a,Z,ctrl-@,ctrl-[,ctrl-\,ctrl-],ctrl-^,ctrl-_,DEL' bad1 true
	robbe rm -f bad1 bad2 >/dev/null
}

@test "a started detach sequence that goes on otherwise reaches the container" {
	# od shows what the container read: the ctrl-p followed by x, then of
	# ctrl-p ctrl-p ctrl-q the first ctrl-p (the rest detaches).
	pty -s raw -s 'send a\x10x\x10\x10\x11' -s wait -- robbe run -it --name part1 "$(IMG)" od -c
	assert_equal "$status" 0
	pty -s raw -s 'send \r\x04' -s wait -- robbe attach part1
	assert_equal "$status" 0
	assert_contains "$output" "a 020   x 020  \\n"
	# The same with keys of one's own.
	pty -s raw -s 'send \x18y\x18x' -s wait -- robbe run -it --detach-keys ctrl-x,x --name part2 "$(IMG)" od -c
	assert_equal "$status" 0
	pty -s raw -s 'send \r\x04' -s wait -- robbe attach part2
	assert_contains "$output" "030   y  \\n"
	robbe rm part1 part2 >/dev/null
}

@test "start -ai: a stopped -it container's shell on our terminal; detach and exit" {
	robbe create -it --name st1 "$(IMG)" sh >/dev/null
	pty -s 'expect # ' -s raw -s 'send echo in-start\r' -s 'expect in-start' -s 'send \x10\x11' -s wait -s cooked -- \
		robbe start -ai st1
	assert_equal "$status" 0 "start's status after detaching"
	assert_equal "$(state_of st1)" running
	# start -ai on the running container attaches to it.
	pty -s raw -s 'send exit 6\r' -s wait -s cooked -- robbe start -ai st1
	assert_equal "$status" 6
	assert_equal "$(state_of st1)" exited
	robbe rm st1 >/dev/null
}

@test "start -a on a running container attaches and waits for it" {
	robbe run -d --name st2 "$(IMG)" sh -c \
		'trap "echo leaving; exit 7" USR1; echo up; while :; do sleep 0.1; done' >/dev/null
	wait_for 10 log_has st2 up
	robbe start -a st2 > "$BATS_TEST_TMPDIR/out" 2>&1 &
	local pid=$!
	# start catches the signals it forwards once it is attached.
	wait_for 10 catches $pid 10 || die "start -a did not attach"
	kill -USR1 $pid
	local st=0
	wait $pid || st=$?
	assert_equal "$st" 7
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "leaving"
	# Without a terminal, -i sends our stdin to a running -i container.
	robbe run -di --name st3 "$(IMG)" sh -c 'read l; echo "got $l"; exit 2' >/dev/null
	run bash -c 'echo hello | robbe start -ai st3'
	assert_equal "$status" 2
	assert_output "got hello"
	robbe rm -f st2 st3 >/dev/null
}

@test "the window size: set at start, followed on SIGWINCH" {
	pty --rows 30 --cols 100 -s 'expect # ' -s raw -s 'send stty size\r' -s 'expect 30 100' \
		-s 'resize 40 120' -s 'send stty size\r' -s 'expect 40 120' -s 'send exit\r' -s wait -- \
		robbe run -it --name size1 "$(IMG)" sh
	assert_equal "$status" 0
	# attach takes the size of its own terminal.
	robbe run -dit --name size2 "$(IMG)" sh >/dev/null
	pty --rows 20 --cols 70 -s raw -s 'send stty size\r' -s 'expect 20 70' -s 'resize 25 90' \
		-s 'send stty size\r' -s 'expect 25 90' -s 'send exit 0\r' -s wait -- robbe attach size2
	assert_equal "$status" 0
	# start -ai too.
	robbe create -it --name size3 "$(IMG)" sh >/dev/null
	pty --rows 33 --cols 99 -s 'expect # ' -s raw -s 'send stty size\r' -s 'expect 33 99' -s 'resize 34 98' \
		-s 'send stty size\r' -s 'expect 34 98' -s 'send exit\r' -s wait -- robbe start -ai size3
	assert_equal "$status" 0
	robbe rm size1 size2 size3 >/dev/null
}

@test "attach --no-stdin: output only, the terminal left as it is" {
	robbe run -dit --name nostdin1 "$(IMG)" sh -c 'echo up; read l; echo "got $l"; sleep 100' >/dev/null
	wait_for 10 log_has nostdin1 up
	# The terminal is not made raw (it stays cooked while attached),
	# typing reaches nothing, the detach keys do nothing; the container's
	# end ends the attach.
	python3 "$BATS_TEST_DIRNAME/ptydrive.py" -s 'sleep 1' -s cooked -s 'send hello\r' -s 'send \x10\x11' \
		-s 'sleep 1' -- robbe attach --no-stdin nostdin1 > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
	local pid=$!
	sleep 3
	robbe kill nostdin1 >/dev/null
	local st=0
	wait $pid || st=$?
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" "" "ptydrive"
	assert_equal "$st" 137 "attach ends with the killed container"
	assert_not_contains "$(cat "$BATS_TEST_TMPDIR/out")" "got hello"
	assert_not_contains "$(robbe logs nostdin1)" "got"
	robbe rm nostdin1 >/dev/null
}

@test "attach: stdin of a -i container; without -i it gets none" {
	robbe run -di --name in1 "$(IMG)" sh -c 'read l; echo "got $l"; exit 2' >/dev/null
	run bash -c 'echo hello | robbe attach in1'
	assert_equal "$status" 2
	assert_output "got hello"
	robbe run -d --name in2 "$(IMG)" sh -c 'sleep 2; read l; echo "got [$l]"; exit 3' >/dev/null
	run bash -c 'echo hello | robbe attach in2'
	assert_equal "$status" 3
	assert_output "got []"
	robbe rm in1 in2 >/dev/null
}

@test "attach --sig-proxy: signals go to a container without a terminal" {
	robbe run -d --name sig1 "$(IMG)" sh -c \
		'trap "echo got USR1" USR1; trap "echo got TERM; exit 9" TERM; echo ready; while :; do sleep 0.1; done' >/dev/null
	wait_for 10 log_has sig1 ready
	robbe attach sig1 > "$BATS_TEST_TMPDIR/out" 2>&1 &
	local pid=$!
	wait_for 10 catches $pid 10 || die "attach did not attach"
	kill -USR1 $pid
	wait_for 10 grep -q "got USR1" "$BATS_TEST_TMPDIR/out" || die "USR1 not forwarded: $(cat "$BATS_TEST_TMPDIR/out")"
	kill -TERM $pid
	local st=0
	wait $pid || st=$?
	assert_equal "$st" 9
	assert_contains "$(cat "$BATS_TEST_TMPDIR/out")" "got TERM"

	# --sig-proxy=false: the signal is robbe's own.
	robbe run -d --name sig2 "$(IMG)" sh -c 'trap "echo got USR1" USR1; while :; do sleep 0.1; done' >/dev/null
	robbe attach --sig-proxy=false sig2 > "$BATS_TEST_TMPDIR/out2" 2>&1 &
	pid=$!
	# Attached: connected to conmon's socket.
	wait_for 10 sh -c "ls -l /proc/$pid/fd | grep -q socket:" || die "attach did not attach"
	kill -USR1 $pid
	st=0
	wait $pid || st=$?
	assert_equal "$st" $((128 + 10)) "attach died of USR1"
	sleep 0.5
	assert_equal "$(state_of sig2)" running
	assert_equal "$(robbe logs sig2)" "" "nothing reached the container"
	robbe rm -f sig1 sig2 >/dev/null
}

@test "the terminal is restored when a signal ends robbe in raw mode" {
	pty -s 'expect # ' -s raw -s 'signal TERM' -s wait -s cooked -- \
		robbe run -it --sig-proxy=false --name raw1 "$(IMG)" sh
	assert_equal "$status" 143
	assert_equal "$(state_of raw1)" running
	pty -s raw -s 'signal HUP' -s wait -s cooked -- robbe attach raw1
	assert_equal "$status" 129
	robbe rm -f raw1 >/dev/null
}

@test "attach: a -di container's stdin stays open when an attached client leaves" {
	run_robbe run -di --name a-keep "$(IMG)" cat
	# a client with stdin that ends (EOF), and one without stdin that is killed
	timeout -s KILL 2 robbe attach a-keep </dev/null || true
	timeout -s KILL 2 robbe attach --no-stdin a-keep || true
	sleep 0.5
	run_robbe inspect -f '{{.State.Running}}' a-keep
	assert_output "true"
	run_robbe rm -f a-keep
}

@test "exec -it: a terminal of the caller's size, resized on SIGWINCH, its exit status, the terminal restored" {
	robbe run -d --name ex-tty "$(IMG)" sleep 1000 >/dev/null
	pty --rows 27 --cols 91 -s 'expect # ' -s raw -s 'send stty size\r' -s 'expect 27 91' \
		-s 'resize 31 77' -s 'send stty size\r' -s 'expect 31 77' -s 'send exit 4\r' -s wait -s cooked -- \
		robbe exec -it ex-tty sh
	assert_equal "$status" 4 "exec's status is the shell's"
	assert_equal "$(state_of ex-tty)" running
	robbe rm -f ex-tty >/dev/null
}
