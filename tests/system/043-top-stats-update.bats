#!/usr/bin/env bats
# docker top, docker stats, docker update and docker container prune on real
# containers: ps output for the container's own pids, cgroup statistics,
# limits written to the running container's cgroup, pruning stopped ones.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
}

setup() {
	local ids
	ids=$(robbe ps -aq --no-trunc 2>/dev/null) || true
	[ -z "$ids" ] || robbe rm -f $ids >/dev/null 2>&1 || true
}

teardown_file() {
	local ids
	ids=$(robbe ps -aq --no-trunc 2>/dev/null) || true
	[ -z "$ids" ] || robbe rm -f $ids >/dev/null 2>&1
	return 0
}

state_is() { [ "$(robbe container inspect -f '{{.State.Status}}' "$1" 2>/dev/null)" = "$2" ]; }

# cgroup_file CONTAINER V1-CONTROLLER V1-FILE V2-FILE: print the value of
# the container's cgroup file, found from its pid as the kernel reports it.
cgroup_file() {
	local pid rel
	pid=$(robbe container inspect -f '{{.State.Pid}}' "$1")
	if rel=$(grep -E "^[0-9]+:([^:]*,)?$2(,[^:]*)?:" "/proc/$pid/cgroup" | cut -d: -f3) && [ -n "$rel" ]; then
		cat "/sys/fs/cgroup/$2$rel/$3"
	else
		rel=$(grep '^0::' "/proc/$pid/cgroup" | cut -d: -f3)
		cat "/sys/fs/cgroup$rel/$4"
	fi
}

# ---- top -------------------------------------------------------------------

@test "top: ps -ef of the container's processes" {
	robbe run -d --name tp "$(IMG)" sleep 1000 >/dev/null
	local pid
	pid=$(robbe container inspect -f '{{.State.Pid}}' tp)
	run_robbe top tp
	[ "${#lines[@]}" -eq 2 ] || die "one process expected: $output"
	# the titles of ps -ef, laid out by a tabwriter with minimum width 20
	[[ "${lines[0]}" =~ ^UID\ {17}PID\ {17}PPID\ {16}C\ {19}STIME\ {15}TTY\ {17}TIME\ {16}CMD$ ]] ||
		die "header: ${lines[0]}"
	read -r uid p rest <<<"${lines[1]}"
	assert_equal "$uid" "root"
	assert_equal "$p" "$pid"
	[[ "${lines[1]}" == *" sleep 1000" ]] || die "row: ${lines[1]}"
	run_robbe container top tp
	assert_equal "${#lines[@]}" 2
}

@test "top: ps options, one row per container process" {
	robbe run -d --name tp2 "$(IMG)" sh -c 'sleep 1000 & sleep 1000 & wait' >/dev/null
	wait_for 20 sh -c '[ "$(robbe top tp2 -o pid | wc -l)" -eq 4 ]' || die "the two sleeps never started"
	local pid
	pid=$(robbe container inspect -f '{{.State.Pid}}' tp2)
	run_robbe top tp2 -o pid,comm
	[[ "${lines[0]}" =~ ^PID\ +COMMAND$ ]] || die "header: ${lines[0]}"
	[ "${#lines[@]}" -eq 4 ] || die "three processes expected: $output"
	[[ "${lines[1]}" =~ ^$pid\ +sh$ ]] || die "first row: ${lines[1]}"
	[[ "${lines[2]}" =~ ^[0-9]+\ +sleep$ ]] || die "second row: ${lines[2]}"
	run_robbe top tp2 aux
	[[ "${lines[0]}" == USER* ]] || die "header: ${lines[0]}"
	assert_equal "${#lines[@]}" 4
	run_robbe 1 top tp2 -o comm=PID
	assert_output 'Error response from daemon: specifying "comm=PID" is not allowed'
}

@test "top: a container that is not running" {
	local id
	id=$(robbe create --name idle "$(IMG)" true)
	run_robbe 1 top idle
	assert_output "Error response from daemon: container $id is not running"
	run_robbe 1 top nope
	assert_output "Error response from daemon: No such container: nope"
}

# ---- stats -----------------------------------------------------------------

@test "stats --no-stream: a memory-limited container" {
	local id
	id=$(robbe run -d --name st -m 64m "$(IMG)" sleep 1000)
	run_robbe stats --no-stream
	# the columns' widths follow the values (NET I/O is wider on a bridge)
	assert_equal "$(tr -s ' ' <<<"${lines[0]}")" "CONTAINER ID NAME CPU % MEM USAGE / LIMIT MEM % NET I/O BLOCK I/O PIDS"
	[[ "${lines[0]}" =~ ^CONTAINER\ ID\ {3}NAME\ {6}CPU\ %\ {5}MEM\ USAGE\ /\ LIMIT\ {3}MEM\ %\ {5}NET\ I/O\ {3,}BLOCK\ I/O\ {3}PIDS$ ]] ||
		die "header: ${lines[0]}"
	[ "${#lines[@]}" -eq 2 ] || die "one row expected: $output"
	[[ "${lines[1]}" =~ ^${id:0:12}\ +st\ +[0-9]+\.[0-9]{2}%\ +[0-9.]+[KMG]?i?B\ /\ 64MiB\ +[0-9]+\.[0-9]{2}%\ +[0-9.]+k?B\ /\ [0-9.]+k?B\ +[0-9.]+[kMG]?B\ /\ [0-9.]+[kMG]?B\ +1$ ]] ||
		die "row: ${lines[1]}"
	run_robbe stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.PIDs}}' st
	[[ "$output" =~ ^st\ [0-9.]+[KMG]?i?B\ /\ 64MiB\ 1$ ]] || die "got: $output"
	run_robbe container stats --no-stream --no-trunc --format '{{.ID}} {{.Container}}' st
	assert_output "$id st"
}

@test "stats: json, -a, CPU use, named containers" {
	robbe run -d --name busy "$(IMG)" sh -c 'while :; do :; done' >/dev/null
	robbe create --name off "$(IMG)" true >/dev/null
	run_robbe stats --no-stream --format json
	[ "${#lines[@]}" -eq 1 ] || die "only the running one: $output"
	assert_equal "$(echo "$output" | jq -c 'keys')" '["BlockIO","CPUPerc","Container","ID","MemPerc","MemUsage","Name","NetIO","PIDs"]'
	local cpu
	cpu=$(echo "$output" | jq -r .CPUPerc)
	[ "${cpu%%.*}" -ge 20 ] || die "a busy loop should use a CPU: $cpu"
	run_robbe stats --no-stream -a --format '{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}'
	assert_contains "$output" "off|0.00%|0B / 0B|0"
	[ "${#lines[@]}" -eq 2 ] || die "-a shows both: $output"
	run_robbe 1 stats --no-stream busy nope
	assert_output "Error response from daemon: No such container: nope"
	# streaming redraws the table in place until interrupted
	run timeout --preserve-status -s INT 3 robbe stats busy
	assert_equal "$status" 130 "interrupted: 128+SIGINT, as Docker 28"
	assert_contains "$output" $'\033[H'
	assert_contains "$output" "busy"
}

# ---- update ----------------------------------------------------------------

@test "update --memory: stored and applied to the running container's cgroup" {
	robbe run -d --name up -m 64m "$(IMG)" sleep 1000 >/dev/null
	run cgroup_file up memory memory.limit_in_bytes memory.max
	assert_output "67108864"
	run_robbe update --memory 32m up
	assert_output "up"
	run cgroup_file up memory memory.limit_in_bytes memory.max
	assert_output "33554432"
	run_robbe container inspect -f '{{.HostConfig.Memory}}' up
	assert_output "33554432"
	# above the swap limit Docker wants --memory-swap too
	local id
	id=$(robbe container inspect -f '{{.Id}}' up)
	run_robbe 1 update --memory 200m up
	assert_output "Error response from daemon: Cannot update container $id: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time"
	run_robbe update -m 200m --memory-swap 400m up
	run cgroup_file up memory memory.limit_in_bytes memory.max
	assert_output "209715200"
	run_robbe container inspect -f '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}' up
	assert_output "209715200 419430400"
	run_robbe 1 update -m 1k up
	assert_output "Error response from daemon: Minimum memory limit allowed is 6MB"
}

@test "update: cpus, pids, restart; stopped containers; errors" {
	robbe run -d --name up2 "$(IMG)" sleep 1000 >/dev/null
	run_robbe update --cpus 0.5 --pids-limit 42 --cpu-shares 512 up2
	assert_output "up2"
	run cgroup_file up2 cpu cpu.cfs_quota_us cpu.max
	[[ "$output" == "50000" || "$output" == "50000 100000" ]] || die "cpu quota: $output"
	run cgroup_file up2 pids pids.max pids.max
	assert_output "42"
	run_robbe container inspect -f '{{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.CpuShares}}' up2
	assert_output "500000000 42 512"
	run_robbe 1 update --cpu-period 100000 up2
	assert_contains "$output" "Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set"

	robbe create --name still "$(IMG)" true >/dev/null
	run_robbe update --memory 48m --restart on-failure:3 still
	assert_output "still"
	run_robbe container inspect -f '{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}' still
	assert_output "50331648 on-failure 3"

	run_robbe 1 update still
	assert_output "you must provide one or more flags when using this command"
	run_robbe 1 update --restart always:2 still
	assert_output "Error response from daemon: invalid restart policy: maximum retry count can only be used with 'on-failure'"
	run_robbe 1 update --restart :1 still
	assert_output "invalid restart policy format: no policy provided before colon"
	# each container on its own: names printed for those updated, errors after
	run --separate-stderr robbe update --cpu-shares 100 still nope up2
	[ "$status" -eq 1 ] || die "status $status"
	assert_equal "$output" $'still\nup2'
	assert_equal "$stderr" "Error response from daemon: No such container: nope"
}

# ---- container prune ---------------------------------------------------------

@test "container prune: removes stopped containers, keeps running ones" {
	local a b
	robbe run -d --name keep "$(IMG)" sleep 1000 >/dev/null
	a=$(robbe create --name gone1 "$(IMG)" true)
	b=$(robbe run -d --name gone2 "$(IMG)" true)
	wait_for 10 state_is gone2 exited || die "gone2 did not exit"
	run_robbe container prune -f
	[ "${lines[0]}" = "Deleted Containers:" ] || die "got: $output"
	assert_contains "$output" "$a"
	assert_contains "$output" "$b"
	assert_equal "${lines[-1]}" "Total reclaimed space: 0B"
	[ "${#lines[@]}" -eq 4 ] || die "got: $output"
	run_robbe ps -a --format '{{.Names}}'
	assert_output "keep"
	# nothing left to prune
	run_robbe container prune -f
	assert_output "Total reclaimed space: 0B"
}

@test "container prune sweeps what a killed robbe left of a container whose record is gone" {
	skip_if_rootless "mounts a tmpfs to play the left-behind root file system"
	robbe run -d --name keep2 "$(IMG)" sleep 1000 >/dev/null
	local keep orphan=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
	keep=$(robbe inspect -f '{{.Id}}' keep2)
	# As a robbe killed between rm's record and its files leaves them.
	mkdir -p "$ROBBE_ROOT/containers/$orphan/"{userdata,diff,work,merged} \
		"$ROBBE_RUNROOT/containers/$orphan"
	echo x > "$ROBBE_ROOT/containers/$orphan/diff/file"
	mount -t tmpfs none "$ROBBE_ROOT/containers/$orphan/merged"
	run_robbe container prune -f
	assert_output "Total reclaimed space: 0B"
	[ ! -e "$ROBBE_ROOT/containers/$orphan" ] || die "the orphan's directory is still there"
	[ ! -e "$ROBBE_RUNROOT/containers/$orphan" ] || die "the orphan's run directory is still there"
	assert_not_contains "$(cat /proc/self/mounts)" "$orphan"
	[ -d "$ROBBE_ROOT/containers/$keep" ] || die "a live container's directory went"
	run_robbe ps --format '{{.Names}} {{.State}}'
	assert_output "keep2 running"
	robbe rm -f keep2 >/dev/null
}

@test "system prune: the prompt, then stopped containers and unused networks; volumes with --volumes" {
	local gone
	robbe run -d --name sp-keep "$(IMG)" sleep 1000 >/dev/null
	gone=$(robbe create --name sp-gone -v /anon "$(IMG)" true)
	run robbe system prune <<<"n"
	[ "$status" -eq 0 ] || die "status $status"
	assert_output "WARNING! This will remove:
  - all stopped containers
  - all networks not used by at least one container
  - all dangling images
  - unused build cache

Are you sure you want to continue? [y/N] "
	run robbe system prune -a --volumes <<<"n"
	assert_contains "$output" "  - all anonymous volumes not used by at least one container
  - all images without at least one container associated to them
  - all build cache"
	run_robbe ps -aq
	assert_equal "${#lines[@]}" 2 "nothing removed after no"
	run_robbe network create sp-net
	run_robbe system prune -f
	assert_equal "${lines[0]}" "Deleted Containers:"
	assert_equal "${lines[1]}" "$gone"
	assert_contains "$output" $'Deleted Networks:\nsp-net\n'
	assert_equal "${lines[-1]}" "Total reclaimed space: 0B"
	run_robbe ps -a --format '{{.Names}}'
	assert_output "sp-keep"
	# the anonymous volume goes with --volumes only
	run_robbe volume ls -q
	[ "${#lines[@]}" -ge 1 ] || die "the anonymous volume is gone too early"
	run_robbe system prune -f --volumes
	assert_contains "$output" "Deleted Volumes:"
	run_robbe 1 system prune -f --volumes --filter until=1h
	assert_contains "$output" 'The "until" filter is not supported with "--volumes"'
	robbe rm -f sp-keep >/dev/null
}

@test "container prune: the prompt, filters and reclaimed space" {
	local p1
	p1=$(robbe create --name p1 -l keep=yes "$(IMG)" true)
	robbe create --name p2 "$(IMG)" true >/dev/null
	run robbe container prune <<<"n"
	[ "$status" -eq 0 ] || die "status $status"
	assert_output $'WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] '
	run_robbe ps -a -q
	assert_equal "${#lines[@]}" 2
	run_robbe container prune -f --filter label=keep=yes
	assert_equal "${lines[1]}" "$p1"
	run_robbe ps -a --format '{{.Names}}'
	assert_output "p2"
	run_robbe container prune -f --filter until=2000-01-01T00:00:00Z
	assert_output "Total reclaimed space: 0B"
	run_robbe 1 container prune -f --filter name=x
	assert_output "Error response from daemon: invalid filter 'name'"
	robbe run -d --name written "$(IMG)" sh -c 'dd if=/dev/zero of=/f bs=1000 count=300 2>/dev/null' >/dev/null
	wait_for 10 state_is written exited || die "did not exit"
	run robbe container prune <<<"y"
	[ "$status" -eq 0 ] || die "status $status"
	assert_contains "$output" "Deleted Containers:"
	# Docker's units.HumanSize: four significant digits
	[[ "${lines[-1]}" =~ ^Total\ reclaimed\ space:\ 30[0-9](\.[0-9])?kB$ ]] || die "got: ${lines[-1]}"
}
