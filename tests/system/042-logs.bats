#!/usr/bin/env bats
# docker logs: stdout and stderr kept apart, --tail, --timestamps,
# --since/--until with Docker's time syntax, --follow ending with the
# container, --details, and the cases with nothing to read.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
}

teardown_file() {
	local ids
	ids=$(robbe ps -aq --no-trunc 2>/dev/null) || true
	[ -z "$ids" ] || robbe rm -f $ids >/dev/null 2>&1
	return 0
}

state_is() { [ "$(robbe container inspect -f '{{.State.Status}}' "$1" 2>/dev/null)" = "$2" ]; }

# run_done NAME CMD: run a container to its end, in the background
run_done() {
	local name=$1
	shift
	robbe run -d --name "$name" "$(IMG)" sh -c "$*" >/dev/null
	wait_for 20 state_is "$name" exited || die "$name did not exit"
}

@test "logs: stdout to stdout, stderr to stderr" {
	run_done sep 'echo out1; echo err1 >&2; echo out2; echo err2 >&2'
	run --separate-stderr robbe logs sep
	[ "$status" -eq 0 ] || die "status $status"
	assert_equal "$output" $'out1\nout2' "stdout"
	assert_equal "$stderr" $'err1\nerr2' "stderr"
	run --separate-stderr robbe container logs sep
	assert_equal "$output" $'out1\nout2' "stdout"
	out=$(robbe logs sep 2>/dev/null)
	assert_equal "$out" $'out1\nout2'
}

@test "logs: --tail and -n" {
	run_done tl 'for i in 1 2 3 4 5; do echo line$i; done'
	run_robbe logs --tail 2 tl
	assert_output $'line4\nline5'
	run_robbe logs -n 1 tl
	assert_output "line5"
	run_robbe logs --tail all tl
	assert_equal "${#lines[@]}" 5
	run_robbe logs --tail 0 tl
	assert_output ""
	run_robbe logs --tail 100 tl
	assert_equal "${#lines[@]}" 5
	# anything that is not a number means all, as Docker's daemon reads it
	run_robbe logs --tail bogus tl
	assert_equal "${#lines[@]}" 5
}

@test "logs: --timestamps" {
	run_done ts 'echo hello; echo world >&2'
	run --separate-stderr robbe logs -t ts
	[[ "$output" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z\ hello$ ]] || die "stdout: $output"
	[[ "$stderr" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z\ world$ ]] || die "stderr: $stderr"
	run_robbe logs --details ts 2>/dev/null
	assert_equal "$(robbe logs --details ts 2>/dev/null)" " hello"
}

@test "logs: --since and --until" {
	run_done tm 'echo early; sleep 2; echo late'
	local first
	first=$(robbe logs -t tm | head -1 | cut -d' ' -f1)
	run_robbe logs --since 1h tm
	assert_output $'early\nlate'
	run_robbe logs --since 2099-01-01T00:00:00Z tm
	assert_output ""
	run_robbe logs --until 2000-01-01 tm
	assert_output ""
	# between the lines: RFC 3339 with a fraction, and Unix seconds
	local secs mid
	secs=$(date -u -d "$first" +%s)
	mid=$((secs + 1))
	run_robbe logs --since "$mid" tm
	assert_output "late"
	run_robbe logs --until "$mid" tm
	assert_output "early"
	run_robbe logs --since "$(date -u -d "@$mid" +%Y-%m-%dT%H:%M:%S).000000000Z" tm
	assert_output "late"
	run_robbe logs --since 0 tm
	assert_output $'early\nlate'
	run_robbe 1 logs --since yesterday tm
	assert_output 'invalid value for "since": failed to parse value as time or duration: "yesterday"'
	run_robbe 1 logs --until nope tm
	assert_output 'invalid value for "until": failed to parse value as time or duration: "nope"'
}

@test "logs -f: follows until the container exits" {
	robbe run -d --name fl "$(IMG)" sh -c 'echo one; sleep 2; echo two; sleep 1' >/dev/null
	local start end
	start=$(date +%s)
	run timeout 20 robbe logs -f fl
	end=$(date +%s)
	[ "$status" -eq 0 ] || die "status $status: $output"
	assert_output $'one\ntwo'
	[ $((end - start)) -ge 2 ] || die "follow returned before the container exited"
	# interrupted, it ends with 128+SIGINT as Docker 28 does
	robbe run -d --name fl2 "$(IMG)" sh -c 'echo up; sleep 1000' >/dev/null
	run timeout --preserve-status -s INT 2 robbe logs -f fl2
	assert_equal "$status" 130
	assert_output "up"
	robbe rm -f fl2 >/dev/null
	# on a stopped container -f returns at once
	run timeout 5 robbe logs -f fl
	[ "$status" -eq 0 ] || die "status $status"
	assert_output $'one\ntwo'
}

@test "logs: a created container and log driver none have nothing to read" {
	robbe create --name never "$(IMG)" echo hi >/dev/null
	run --separate-stderr robbe logs never
	[ "$status" -eq 0 ] || die "status $status"
	assert_equal "$output" ""
	assert_equal "$stderr" ""
	robbe create --name quiet --log-driver none "$(IMG)" echo hi >/dev/null
	run_robbe 1 logs quiet
	assert_output "Error response from daemon: configured logging driver does not support reading"
	run_robbe 1 logs nope
	assert_output "Error response from daemon: No such container: nope"
}

@test "logs: a tty container's output is one stream" {
	robbe run -d -t --name tty "$(IMG)" sh -c 'echo out; echo err >&2' >/dev/null
	wait_for 20 state_is tty exited || die "did not exit"
	run --separate-stderr robbe logs tty
	assert_equal "$stderr" ""
	assert_contains "$output" "out"
	assert_contains "$output" "err"
}
