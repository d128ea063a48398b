#!/usr/bin/env bats
# Restart policies: nothing of robbe stays resident, so the `container
# cleanup` conmon runs when the container exits decides, after Docker's
# back-off (100 ms, doubling), whether to start it again.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
}

teardown_file() {
	remove_all_containers
}

# inspect_is NAME FORMAT WANT
inspect_is() {
	[ "$(robbe container inspect --format "$2" "$1" 2>/dev/null)" = "$3" ]
}

@test "on-failure:2: restarted twice, then left exited" {
	run_robbe run -d --name of2 --restart on-failure:2 "$(IMG)" sh -c 'exit 3'
	wait_for 15 inspect_is of2 '{{.State.Status}} {{.RestartCount}}' 'exited 2' ||
		die "state: $(robbe container inspect --format '{{.State.Status}} {{.RestartCount}}' of2)"
	# And it stays so.
	sleep 1
	run_robbe container inspect --format '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}' of2
	assert_output "exited 2 3 on-failure 2"
	run_robbe rm of2
}

@test "on-failure: a clean exit is not restarted" {
	run_robbe run -d --name of0 --restart on-failure "$(IMG)" true
	run_robbe wait of0
	assert_output 0
	sleep 1
	run_robbe container inspect --format '{{.State.Status}} {{.RestartCount}}' of0
	assert_output "exited 0"
	run_robbe rm of0
}

@test "always: started again after the process exits by itself" {
	run_robbe run -d --name al --restart always "$(IMG)" sh -c 'echo run; sleep 0.3'
	wait_for 15 bash -c '[ "$(robbe container inspect --format "{{.RestartCount}}" al)" -ge 2 ]' ||
		die "RestartCount $(robbe container inspect --format '{{.RestartCount}}' al)"
	run_robbe logs al
	[ "$(echo "$output" | grep -c run)" -ge 2 ] || die "logs: $output"
	# stop ends it for good: no restart after a user's stop.
	run_robbe stop -t 1 al
	count=$(robbe container inspect --format '{{.RestartCount}}' al)
	sleep 1.5
	run_robbe container inspect --format '{{.State.Status}} {{.RestartCount}}' al
	assert_output "exited $count"
	# A user's start brings it back under its policy.
	run_robbe start al
	wait_for 10 bash -c "[ \$(robbe container inspect --format '{{.RestartCount}}' al) -gt $count ]" || die "no restart after start"
	run_robbe rm -f al
}

@test "unless-stopped: restarted after a crash, not after stop" {
	run_robbe run -d --name us --restart unless-stopped "$(IMG)" sh -c 'sleep 0.3; exit 1'
	wait_for 10 bash -c '[ "$(robbe container inspect --format "{{.RestartCount}}" us)" -ge 1 ]' || die "not restarted"
	wait_for 10 inspect_is us '{{.State.Status}}' running
	run_robbe stop us
	count=$(robbe container inspect --format '{{.RestartCount}}' us)
	sleep 1.5
	run_robbe container inspect --format '{{.State.Status}} {{.RestartCount}}' us
	assert_output "exited $count"
	run_robbe rm us
}

@test "no: the default, never restarted" {
	run_robbe run -d --name nr "$(IMG)" sh -c 'exit 1'
	run_robbe wait nr
	sleep 1
	run_robbe container inspect --format '{{.State.Status}} {{.RestartCount}} {{.HostConfig.RestartPolicy.Name}}' nr
	assert_output "exited 0 no"
	run_robbe rm nr
}

@test "kill: a non-fatal signal keeps the policy, SIGKILL suspends it" {
	run_robbe run -d --name ka --restart always "$(IMG)" sh -c 'trap "exit 1" USR1; echo ready; while :; do sleep 0.1; done'
	wait_ready ka
	run_robbe kill -s USR1 ka
	wait_for 10 bash -c '[ "$(robbe container inspect --format "{{.RestartCount}}" ka)" -ge 1 ]' || die "not restarted"
	wait_for 10 inspect_is ka '{{.State.Status}}' running
	run_robbe kill ka
	count=$(robbe container inspect --format '{{.RestartCount}}' ka)
	sleep 1.5
	run_robbe container inspect --format '{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}' ka
	assert_output "exited 137 $count"
	run_robbe rm -f ka
}

@test "rm -f while a restart is pending removes it for good" {
	run_robbe run -d --name pend --restart always "$(IMG)" sh -c 'exit 1'
	sleep 0.5
	run_robbe rm -f pend
	sleep 2
	run_robbe 1 container inspect pend
	run_robbe ps -a --format '{{.Names}}'
	assert_not_contains "$output" pend
}

@test "--restart values: Docker's errors" {
	run_robbe 125 run --restart on-failure:x "$(IMG)" true
	assert_contains "$output" "invalid restart policy format: maximum retry count must be an integer"
	run_robbe 125 run --restart always:3 "$(IMG)" true
	assert_contains "$output" "maximum retry count can only be used with 'on-failure'"
	run_robbe 125 run --rm --restart on-failure "$(IMG)" true
	assert_contains "$output" "conflicting options: cannot specify both --restart and --rm"
}
