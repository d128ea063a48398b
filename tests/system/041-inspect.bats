#!/usr/bin/env bats
# docker container inspect / inspect: Docker's container object (key order,
# values, times), -f templates, -s, missing objects; docker port and
# container exists.

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

RFC3339NANO='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z$'

@test "container inspect: Docker's keys in Docker's order" {
	robbe run -d --name web "$(IMG)" sleep 1000 >/dev/null
	run_robbe container inspect web
	local obj=$output
	assert_equal "$(echo "$obj" | jq -r 'type')" "array"
	assert_equal "$(echo "$obj" | jq -c '.[0] | keys_unsorted')" \
		'["Id","Created","Path","Args","State","Image","ResolvConfPath","HostnamePath","HostsPath","LogPath","Name","RestartCount","Driver","Platform","MountLabel","ProcessLabel","AppArmorProfile","ExecIDs","HostConfig","GraphDriver","Mounts","Config","NetworkSettings"]'
	assert_equal "$(echo "$obj" | jq -c '.[0].State | keys_unsorted')" \
		'["Status","Running","Paused","Restarting","OOMKilled","Dead","Pid","ExitCode","Error","StartedAt","FinishedAt"]'
	# 4-space indentation, as Docker prints it
	assert_equal "${lines[1]}" "    {"
	assert_equal "${lines[2]:0:15}" '        "Id": "'
}

@test "container inspect: values of a running container" {
	local id imgid
	id=$(robbe run -d --name web -l k=v "$(IMG)" sh -c 'sleep 1000')
	imgid=$(robbe image inspect -f '{{.Id}}' "$(IMG)")
	run_robbe container inspect web
	local o
	o=$(echo "$output" | jq '.[0]')
	assert_equal "$(jq -r .Id <<<"$o")" "$id"
	assert_equal "$(jq -r .Name <<<"$o")" "/web"
	assert_equal "$(jq -r .Image <<<"$o")" "$imgid"
	assert_equal "$(jq -r .Config.Image <<<"$o")" "$(IMG)"
	assert_equal "$(jq -r .Path <<<"$o")" "sh"
	assert_equal "$(jq -c .Args <<<"$o")" '["-c","sleep 1000"]'
	assert_equal "$(jq -r .State.Status <<<"$o")" "running"
	assert_equal "$(jq -r .State.Running <<<"$o")" "true"
	assert_equal "$(jq -r .State.ExitCode <<<"$o")" "0"
	[ "$(jq -r .State.Pid <<<"$o")" -gt 0 ] || die "no pid"
	[[ "$(jq -r .Created <<<"$o")" =~ $RFC3339NANO ]] || die "Created: $(jq -r .Created <<<"$o")"
	[[ "$(jq -r .State.StartedAt <<<"$o")" =~ $RFC3339NANO ]] || die "StartedAt"
	assert_equal "$(jq -r .State.FinishedAt <<<"$o")" "0001-01-01T00:00:00Z"
	assert_equal "$(jq -r .RestartCount <<<"$o")" "0"
	assert_equal "$(jq -r .Platform <<<"$o")" "linux"
	assert_equal "$(jq -r .Config.Labels.k <<<"$o")" "v"
	assert_equal "$(jq -r '.HostConfig | type' <<<"$o")" "object"
	assert_equal "$(jq -r '.NetworkSettings | type' <<<"$o")" "object"
	assert_equal "$(jq -r '.Mounts | type' <<<"$o")" "array"
	assert_equal "$(jq -r 'has("SizeRw")' <<<"$o")" "false"
}

@test "container inspect: created and exited containers" {
	robbe create --name fresh "$(IMG)" true >/dev/null
	run_robbe container inspect -f '{{.State.Status}} {{.State.Running}} {{.State.Pid}} {{.State.StartedAt}} {{.State.FinishedAt}}' fresh
	assert_output "created false 0 0001-01-01T00:00:00Z 0001-01-01T00:00:00Z"
	robbe run --name done "$(IMG)" sh -c 'exit 5' || true
	run_robbe container inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.Running}} {{.State.Pid}}' done
	assert_output "exited 5 false 0"
	run_robbe container inspect -f '{{.State.FinishedAt}}' done
	[[ "$output" =~ $RFC3339NANO ]] || die "FinishedAt: $output"
	[ "$output" != "0001-01-01T00:00:00Z" ] || die "FinishedAt not set"
}

@test "container inspect -f: Go templates over the object" {
	robbe run -d --name tpl -m 64m -l com.example.k=v1 -v "$BATS_TEST_TMPDIR:/data" "$(IMG)" sleep 1000 >/dev/null
	run_robbe container inspect -f '{{.State.Running}}' tpl
	assert_output "true"
	run_robbe container inspect -f '{{.State.ExitCode}}' tpl
	assert_output "0"
	run_robbe container inspect -f '{{.Name}}' tpl
	assert_output "/tpl"
	run_robbe container inspect -f '{{index .Config.Labels "com.example.k"}}' tpl
	assert_output "v1"
	run_robbe container inspect -f '{{.HostConfig.Memory}}' tpl
	assert_output "67108864"
	run_robbe container inspect -f '{{json .Config.Cmd}}' tpl
	assert_output '["sleep","1000"]'
	run_robbe container inspect -f '{{.Config.Cmd}}' tpl
	assert_output '[sleep 1000]'
	run_robbe container inspect -f '{{json .Config}}' tpl
	assert_equal "$(echo "$output" | jq -r .Image)" "$(IMG)"
	# Go field names fold onto JSON keys
	run_robbe container inspect -f '{{.ID}}' tpl
	assert_equal "$output" "$(robbe container inspect -f '{{.Id}}' tpl)"
	run_robbe container inspect -f '{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}' tpl
	assert_output "$BATS_TEST_TMPDIR:/data "
	run_robbe container inspect --format json tpl
	[ "${#lines[@]}" -eq 1 ] || die "json is one line"
	assert_equal "$(echo "$output" | jq -r '.[0].Name')" "/tpl"
	# one line per object
	robbe create --name tpl2 "$(IMG)" true >/dev/null
	run_robbe container inspect -f '{{.Name}}' tpl tpl2
	assert_output $'/tpl\n/tpl2'
}

@test "container inspect -s: SizeRw and SizeRootFs" {
	robbe run -d --name sz "$(IMG)" sh -c 'dd if=/dev/zero of=/blob bs=1000 count=50 2>/dev/null; sleep 1000' >/dev/null
	sleep 1
	run_robbe container inspect -s sz
	local rw rootfs imgsize
	rw=$(echo "$output" | jq '.[0].SizeRw')
	rootfs=$(echo "$output" | jq '.[0].SizeRootFs')
	imgsize=$(robbe image inspect -f '{{.Size}}' "$(IMG)")
	[ "$rw" -ge 50000 ] && [ "$rw" -lt 60000 ] || die "SizeRw $rw"
	assert_equal "$rootfs" "$((rw + imgsize))" "SizeRootFs"
	assert_equal "$(echo "$output" | jq -c '.[0] | keys_unsorted | .[19:22]')" '["GraphDriver","SizeRw","SizeRootFs"]'
}

@test "container inspect: missing containers" {
	run --separate-stderr robbe container inspect nope
	[ "$status" -eq 1 ] || die "status $status"
	assert_equal "$output" "[]" "stdout"
	assert_equal "$stderr" "Error response from daemon: No such container: nope" "stderr"
	robbe create --name here "$(IMG)" true >/dev/null
	run --separate-stderr robbe container inspect here nope gone
	[ "$status" -eq 1 ] || die "status $status"
	assert_equal "$(echo "$output" | jq -r '.[0].Name')" "/here"
	assert_equal "$stderr" $'Error response from daemon: No such container: nope\nError response from daemon: No such container: gone' "stderr"
	run --separate-stderr robbe container inspect -f '{{.Name}}' nope
	[ "$status" -eq 1 ] || die "status $status"
	assert_equal "$output" "" "an empty line"
	# a bad template fails before anything is looked up
	run_robbe 64 container inspect -f '{{.Name' nope
	assert_contains "$output" "template parsing error"
}

@test "inspect: containers first, then images, then Docker's not-found" {
	robbe create --name both "$(IMG)" true >/dev/null
	run_robbe inspect -f '{{.Name}}' both
	assert_output "/both"
	run_robbe inspect -f '{{.Id}}' "$(IMG)"
	assert_equal "$output" "$(robbe image inspect -f '{{.Id}}' "$(IMG)")"
	run --separate-stderr robbe inspect nothing-here
	[ "$status" -eq 1 ] || die "status $status"
	assert_equal "$output" "[]" "stdout"
	assert_equal "$stderr" "Error: No such object: nothing-here" "stderr"
	run --separate-stderr robbe inspect --type container nothing-here
	[ "$status" -eq 1 ] || die "status $status"
	assert_equal "$stderr" "Error response from daemon: No such container: nothing-here" "stderr"
	run_robbe inspect --type container -f '{{.Name}}' both
	assert_output "/both"
}

@test "port: no published ports prints nothing" {
	robbe run -d --name np "$(IMG)" sleep 1000 >/dev/null
	run --separate-stderr robbe port np
	[ "$status" -eq 0 ] || die "status $status"
	assert_equal "$output" ""
	assert_equal "$stderr" ""
	run_robbe 1 port np 80
	assert_output "Error: No public port '80' published for np"
	run_robbe 1 port np 80/udp
	assert_output "Error: No public port '80/udp' published for np"
	run_robbe 1 port np http
	assert_output 'Error: invalid port (http): strconv.ParseUint: parsing "http": invalid syntax'
	run_robbe 1 port nope
	assert_output "Error response from daemon: No such container: nope"
	run_robbe 1 container port
	assert_contains "$output" "requires at least 1 and at most 2 arguments"
}

@test "container exists" {
	robbe create --name ex "$(IMG)" true >/dev/null
	run_robbe 0 container exists ex
	assert_output ""
	run_robbe 1 container exists nope
	assert_output ""
}
