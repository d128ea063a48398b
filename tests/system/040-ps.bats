#!/usr/bin/env bats
# docker ps (container ls/list/ps): the default table and its alignment,
# -a/-q/-l/-n/-s/--no-trunc, every filter, --format fields and json,
# Docker's status words, psFormat from the client config.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
}

# Each test starts without containers.
setup() {
	local ids
	ids=$(robbe ps -aq --no-trunc 2>/dev/null) || true
	[ -z "$ids" ] || robbe rm -f $ids >/dev/null 2>&1 || true
	rm -rf "$HOME/.docker"
}

teardown_file() {
	local ids
	ids=$(robbe ps -aq --no-trunc 2>/dev/null) || true
	[ -z "$ids" ] || robbe rm -f $ids >/dev/null 2>&1
	return 0
}

state_is() { [ "$(robbe container inspect -f '{{.State.Status}}' "$1" 2>/dev/null)" = "$2" ]; }

# The test image as ps shows it: as typed (with its tag), familiar form.
img_short() { IMG; }

@test "ps: the header of an empty list, with and without -s" {
	run_robbe ps
	assert_output "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES"
	run_robbe ps -a -s
	assert_output "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES     SIZE"
	run_robbe container ls
	assert_line 0 "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES"
	run_robbe container list -q
	assert_output ""
	run_robbe container ps --format '{{.ID}}'
	assert_output ""
}

@test "ps: columns line up under the header, values as Docker renders them" {
	local id
	id=$(robbe run -d --name web "$(IMG)" sleep 1000)
	run_robbe ps
	[ "${#lines[@]}" -eq 2 ] || die "expected a header and one row: $output"
	local header=${lines[0]} row=${lines[1]}
	[[ "$header" == "CONTAINER ID   IMAGE"* ]] || die "header: $header"
	# every column starts where its title starts
	col() {
		local title=$1 want=$2 before pos
		before=${header%%"$title"*}
		pos=${#before}
		[ "${row:$pos:${#want}}" = "$want" ] || die "column $title at $pos: got '${row:$pos}', want '$want'"
	}
	col "CONTAINER ID" "${id:0:12}"
	col "IMAGE" "$(img_short)"
	col "COMMAND" '"sleep 1000"'
	col "CREATED" ""
	col "STATUS" "Up "
	col "NAMES" "web"
	# the IMAGE column is as wide as its widest cell plus three spaces
	local at_image at_command
	at_image=${header%%IMAGE*}
	at_command=${header%%COMMAND*}
	assert_equal $((${#at_command} - ${#at_image})) $(($(img_short | wc -c) - 1 + 3)) "IMAGE column width"
	[[ "$row" =~ (Less than a second|[0-9]+ seconds?)\ ago ]] || die "CREATED: $row"
	[[ "$row" =~ Up\ (Less\ than\ a\ second|[0-9]+\ seconds?) ]] || die "STATUS: $row"
}

@test "ps: -a, -q, -l, -n and --no-trunc" {
	local a b c
	a=$(robbe run -d --name first "$(IMG)" sleep 1000)
	b=$(robbe create --name second "$(IMG)" true)
	c=$(robbe run -d --name third "$(IMG)" sh -c 'exit 0')
	wait_for 10 state_is third exited || die "third did not exit"

	run_robbe ps -q
	assert_output "${a:0:12}"
	run_robbe ps -aq
	assert_output "${c:0:12}"$'\n'"${b:0:12}"$'\n'"${a:0:12}"
	run_robbe ps -a -q --no-trunc
	assert_output "$c"$'\n'"$b"$'\n'"$a"
	# -l: the newest, whatever its state
	run_robbe ps -l -q
	assert_output "${c:0:12}"
	run_robbe ps --latest --format '{{.Names}}'
	assert_output "third"
	# -n N: the N newest, whatever their state
	run_robbe ps -n 2 --format '{{.Names}}'
	assert_output $'third\nsecond'
	run_robbe ps --last 5 --format '{{.Names}}'
	assert_output $'third\nsecond\nfirst'
	# -q wins over --format, with Docker's warning
	run --separate-stderr robbe ps --format '{{.Names}}' -q
	[ "$status" -eq 0 ]
	assert_equal "$output" "${a:0:12}" "stdout"
	assert_equal "$stderr" "WARNING: Ignoring custom format, because both --format and --quiet are set." "stderr"
}

@test "ps: status words for created, running, paused and exited containers" {
	robbe create --name c1 "$(IMG)" true >/dev/null
	robbe run -d --name r1 "$(IMG)" sleep 1000 >/dev/null
	robbe run -d --name p1 "$(IMG)" sleep 1000 >/dev/null
	robbe pause p1
	robbe run -d --name e1 "$(IMG)" sh -c 'exit 3' >/dev/null
	wait_for 10 state_is e1 exited || die "e1 did not exit"

	run_robbe ps -a --format '{{.Names}}|{{.State}}|{{.Status}}'
	local l
	for l in "${lines[@]}"; do
		case "$l" in
		c1\|*) assert_equal "$l" "c1|created|Created" ;;
		r1\|*) [[ "$l" =~ ^r1\|running\|Up\ (Less\ than\ a\ second|[0-9]+\ seconds?)$ ]] || die "running: $l" ;;
		p1\|*) [[ "$l" =~ ^p1\|paused\|Up\ (Less\ than\ a\ second|[0-9]+\ seconds?)\ \(Paused\)$ ]] || die "paused: $l" ;;
		e1\|*) [[ "$l" =~ ^e1\|exited\|Exited\ \(3\)\ (Less\ than\ a\ second|[0-9]+\ seconds?)\ ago$ ]] || die "exited: $l" ;;
		*) die "unexpected row: $l" ;;
		esac
	done
	[ "${#lines[@]}" -eq 4 ] || die "four rows expected: $output"
	# without -a: running and paused only
	run_robbe ps --format '{{.Names}}'
	assert_output $'p1\nr1'
	robbe unpause p1
}

@test "ps: a container that exited on its own shows as exited" {
	robbe run -d --name brief "$(IMG)" sh -c 'sleep 1; exit 7' >/dev/null
	run_robbe ps --format '{{.Names}} {{.State}}'
	assert_output "brief running"
	sleep 2.5
	run_robbe ps --format '{{.Names}}'
	assert_output ""
	run_robbe ps -a --format '{{.Names}} {{.State}} {{.Status}}'
	[[ "$output" =~ ^brief\ exited\ Exited\ \(7\)\ [0-9]+\ seconds?\ ago$ ]] || die "got: $output"
}

@test "ps: COMMAND is quoted and cut to 20 columns, in full with --no-trunc" {
	robbe run -d --name cmd "$(IMG)" sh -c 'echo hi; sleep 1000' >/dev/null
	run_robbe ps --format '{{.Command}}'
	assert_output '"sh -c '"'"'echo hi; sle…"'
	run_robbe ps --no-trunc --format '{{.Command}}'
	assert_output '"sh -c '"'"'echo hi; sleep 1000'"'"'"'
}

@test "ps: --format fields" {
	local id
	id=$(robbe run -d --name fmt -l com.example.my-key=v1 -l zeta=z "$(IMG)" sleep 1000)
	run_robbe ps --format '{{.ID}}|{{.Names}}|{{.Image}}|{{.State}}|{{.Ports}}|{{.Mounts}}|{{.LocalVolumes}}'
	assert_output "${id:0:12}|fmt|$(img_short)|running|||0"
	run_robbe ps --format '{{.Labels}}'
	assert_output "com.example.my-key=v1,org.robbe.test=busybox,zeta=z"
	run_robbe ps --format '{{.Label "com.example.my-key"}}|{{.Label "nope"}}'
	assert_output "v1|"
	# CreatedAt: Go's time.String() in the local zone
	TZ=UTC run_robbe ps --format '{{.CreatedAt}}'
	[[ "$output" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ \+0000\ UTC$ ]] || die "CreatedAt: $output"
	run_robbe ps --format '{{.RunningFor}}'
	[[ "$output" =~ ^(Less\ than\ a\ second|[0-9]+\ seconds?)\ ago$ ]] || die "RunningFor: $output"
	run_robbe ps --format '{{.Networks}}'
	[ -n "$output" ] || die "Networks is empty"
	# an image given by ID shows as the short ID; --no-trunc as typed
	local imgid
	imgid=$(robbe image inspect -f '{{.Id}}' "$(IMG)")
	robbe run -d --name byid "$imgid" sleep 1000 >/dev/null
	run_robbe ps --filter name=byid --format '{{.Image}}'
	assert_output "${imgid:7:12}"
	run_robbe ps --filter name=byid --no-trunc --format '{{.Image}}'
	assert_output "$imgid"
	robbe rm -f byid >/dev/null
	# table headers, .Label's from the last part of the key
	run_robbe ps --format 'table {{.Names}}\t{{.Label "com.example.my-key"}}\t{{.State}}\t{{.CreatedAt}}\t{{.RunningFor}}'
	[[ "${lines[0]}" =~ ^NAMES\ +my\ key\ +STATE\ +CREATED\ AT\ +CREATED$ ]] || die "header: ${lines[0]}"
	run_robbe ps --format 'table {{.Mounts}}\t{{.LocalVolumes}}\t{{.Networks}}\t{{.Labels}}\t{{.Size}}'
	[[ "${lines[0]}" =~ ^MOUNTS\ +LOCAL\ VOLUMES\ +NETWORKS\ +LABELS\ +SIZE$ ]] || die "header: ${lines[0]}"
	# an unknown field is a template error, exit 1
	run_robbe 1 ps --format '{{.Nope}}'
	assert_contains "$output" "can't evaluate field Nope"
	run_robbe 1 ps --format '{{.Names'
	assert_contains "$output" "failed to parse template"
}

@test "ps: --format json is one object per line with Docker's keys" {
	robbe run -d --name j1 -l 'k=<v>' "$(IMG)" sleep 1000 >/dev/null
	robbe create --name j2 "$(IMG)" true >/dev/null
	run_robbe ps -a --format json
	[ "${#lines[@]}" -eq 2 ] || die "two lines expected: $output"
	local keys
	keys=$(echo "${lines[1]}" | jq -c 'keys')
	assert_equal "$keys" '["Command","CreatedAt","ID","Image","Labels","LocalVolumes","Mounts","Names","Networks","Platform","Ports","RunningFor","Size","State","Status"]'
	assert_equal "$(echo "${lines[1]}" | jq -r '.Names + " " + .State + " " + .Status')" "j1 running $(echo "${lines[1]}" | jq -r .Status)"
	assert_equal "$(echo "${lines[0]}" | jq -r '.Names + " " + .State + " " + .Status')" "j2 created Created"
	assert_equal "$(echo "${lines[1]}" | jq -c '[.[] | type] | unique')" '["null","string"]' "value types"
	assert_equal "$(echo "${lines[1]}" | jq -r .Size)" "0B"
	# HTML characters are escaped as Go's marshaller does
	assert_contains "${lines[1]}" 'k=\u003cv\u003e'
	assert_equal "$(echo "${lines[1]}" | jq -r .Command)" '"sleep 1000"'
}

@test "ps: -s measures the writable layer and the image" {
	robbe run -d --name big "$(IMG)" sh -c 'dd if=/dev/zero of=/blob bs=1000 count=100 2>/dev/null; sleep 1000' >/dev/null
	sleep 1
	run_robbe ps -s --format '{{.Size}}'
	[[ "$output" =~ ^10[0-9]kB\ \(virtual\ [0-9.]+MB\)$ ]] || die "size: $output"
	# .Size in a template asks for sizes by itself, unless --size=false
	run_robbe ps --format '{{.Names}} {{.Size}}'
	[[ "$output" =~ ^big\ 10[0-9]kB\ \(virtual ]] || die "size from template: $output"
	run_robbe ps --size=false --format '{{.Size}}'
	assert_output "0B"
	run_robbe ps -s
	[[ "${lines[0]}" == *"NAMES     SIZE" ]] || die "header: ${lines[0]}"
}

@test "ps: filters id, name, label, status, exited" {
	local a b c
	a=$(robbe run -d --name alpha -l tier=web -l x "$(IMG)" sleep 1000)
	b=$(robbe run -d --name beta -l tier=db "$(IMG)" sleep 1000)
	c=$(robbe run -d --name gamma "$(IMG)" sh -c 'exit 2')
	wait_for 10 state_is gamma exited || die "gamma did not exit"

	run_robbe ps -q --filter id="${a:0:8}"
	assert_output "${a:0:12}"
	run_robbe ps -q --no-trunc --filter "id=$b"
	assert_output "$b"
	# name: an unanchored regular expression, with or without the slash
	run_robbe ps --format '{{.Names}}' --filter name=ph
	assert_output "alpha"
	run_robbe ps --format '{{.Names}}' --filter 'name=^/beta$'
	assert_output "beta"
	run_robbe ps --format '{{.Names}}' --filter 'name=^beta$'
	assert_output "beta"
	run_robbe ps --format '{{.Names}}' --filter name=alpha --filter name=beta
	assert_output $'beta\nalpha'
	# label: key or key=value; several must all hold
	run_robbe ps --format '{{.Names}}' --filter label=tier
	assert_output $'beta\nalpha'
	run_robbe ps --format '{{.Names}}' --filter label=tier=db
	assert_output "beta"
	run_robbe ps --format '{{.Names}}' --filter label=tier=web --filter label=x
	assert_output "alpha"
	run_robbe ps --format '{{.Names}}' --filter label=tier=db --filter label=x
	assert_output ""
	# status implies -a
	run_robbe ps --format '{{.Names}}' --filter status=exited
	assert_output "gamma"
	run_robbe ps --format '{{.Names}}' --filter status=running
	assert_output $'beta\nalpha'
	# exited needs -a and a container that ran
	run_robbe ps -a --format '{{.Names}}' --filter exited=2
	assert_output "gamma"
	run_robbe ps -a --format '{{.Names}}' --filter exited=0
	assert_output ""
	# different keys AND, same keys OR
	run_robbe ps -a --format '{{.Names}}' --filter status=running --filter name=alp
	assert_output "alpha"
}

@test "ps: filters ancestor, before, since, volume, network, health, publish, isolation" {
	robbe run -d --name one "$(IMG)" sleep 1000 >/dev/null
	robbe run -d --name two -v "$BATS_TEST_TMPDIR:/data" "$(IMG)" sleep 1000 >/dev/null
	robbe run -d --name three "$(IMG)" sleep 1000 >/dev/null

	run_robbe ps --format '{{.Names}}' --filter ancestor="$(IMG)"
	assert_output $'three\ntwo\none'
	local imgid
	imgid=$(robbe image inspect -f '{{.Id}}' "$(IMG)")
	run_robbe ps --format '{{.Names}}' --filter ancestor="${imgid:7:12}"
	assert_output $'three\ntwo\none'
	run_robbe ps --format '{{.Names}}' --filter ancestor=no-such-image
	assert_output ""
	run_robbe ps --format '{{.Names}}' --filter before=three
	assert_output $'two\none'
	run_robbe ps --format '{{.Names}}' --filter since=one
	assert_output $'three\ntwo'
	run_robbe ps --format '{{.Names}}' --filter before=three --filter since=one
	assert_output "two"
	run_robbe 1 ps --filter before=nobody
	assert_output "Error response from daemon: No such container: nobody"
	run_robbe ps --format '{{.Names}}' --filter volume=/data
	assert_output "two"
	run_robbe ps --format '{{.Names}}' --filter "volume=$BATS_TEST_TMPDIR"
	assert_output "two"
	local net
	net=$(robbe ps --format '{{.Networks}}' --filter name=one)
	run_robbe ps --format '{{.Names}}' --filter "network=$net"
	assert_output $'three\ntwo\none'
	run_robbe ps --format '{{.Names}}' --filter network=no-such-net
	assert_output ""
	run_robbe ps --format '{{.Names}}' --filter health=none
	assert_output $'three\ntwo\none'
	run_robbe ps --format '{{.Names}}' --filter health=healthy
	assert_output ""
	run_robbe ps --format '{{.Names}}' --filter publish=80
	assert_output ""
	run_robbe ps --format '{{.Names}}' --filter isolation=default
	assert_output $'three\ntwo\none'
	run_robbe ps --format '{{.Names}}' --filter is-task=false
	assert_output $'three\ntwo\none'
}

@test "ps: bad filters" {
	run_robbe 1 ps --filter bogus=1
	assert_output "Error response from daemon: invalid filter 'bogus'"
	run_robbe 1 ps --filter status=sleeping
	assert_output "Error response from daemon: invalid filter 'status=sleeping': invalid value for state (sleeping): must be one of created, running, paused, restarting, removing, exited, dead"
	run_robbe 1 ps --filter exited=x
	assert_output "Error response from daemon: invalid filter 'exited=x': strconv.Atoi: parsing \"x\": invalid syntax"
	run_robbe 1 ps --filter publish=1:2
	assert_output "Error response from daemon: filter for 'publish' should not contain ':': 1:2"
	run_robbe 125 ps --filter novalue
	assert_contains "$output" 'bad format of filter (expected name=value)'
}

@test "ps: psFormat from the client config, --config and DOCKER_CONFIG" {
	robbe run -d --name cfg "$(IMG)" sleep 1000 >/dev/null
	mkdir -p "$HOME/.docker"
	echo '{"psFormat": "table {{.Names}}\t{{.State}}"}' >"$HOME/.docker/config.json"
	run_robbe ps
	[[ "${lines[0]}" =~ ^NAMES\ +STATE$ ]] || die "header: ${lines[0]}"
	[[ "${lines[1]}" =~ ^cfg\ +running$ ]] || die "row: ${lines[1]}"
	# --format wins; -q wins without a warning
	run_robbe ps --format '{{.ID}}'
	[ "${#output}" -eq 12 ] || die "got $output"
	run --separate-stderr robbe ps -q
	assert_equal "$stderr" ""
	mkdir -p "$BATS_TEST_TMPDIR/conf"
	echo '{"psFormat": "{{.Names}}!"}' >"$BATS_TEST_TMPDIR/conf/config.json"
	run_robbe --config "$BATS_TEST_TMPDIR/conf" ps
	assert_output "cfg!"
	DOCKER_CONFIG="$BATS_TEST_TMPDIR/conf" run_robbe ps
	assert_output "cfg!"
}

@test "ps: called as docker" {
	robbe run -d --name dk "$(IMG)" sleep 1000 >/dev/null
	run docker ps --format '{{.Names}}'
	[ "$status" -eq 0 ]
	assert_output "dk"
}
