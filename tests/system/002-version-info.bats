#!/usr/bin/env bats
# version and info: Docker-shaped data for scripts that probe them.

load helpers

@test "--version prints the version and build" {
	run_robbe --version
	[[ "$output" =~ ^robbe\ version\ [0-9]+\.[0-9]+\.[0-9]+,\ build\ [0-9a-f]+ ]] || die "got: $output"
	run_robbe -v
	[[ "$output" =~ ^robbe\ version ]] || die "got: $output"
}

@test "version --format reads Go field names and JSON keys" {
	run_robbe version --format '{{.Client.Version}}'
	[[ "$output" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "got: $output"
	local v=$output
	run_robbe version --format '{{.Server.Version}}'
	assert_output "$v"
	run_robbe version --format '{{.Server.APIVersion}}'
	[[ "$output" =~ ^1\.[0-9]+$ ]] || die "got: $output"
	run_robbe version --format '{{.Client.Os}}/{{.Client.Arch}}'
	assert_output "linux/$(dpkg --print-architecture 2>/dev/null || echo amd64)"
}

@test "version --format json is one JSON document" {
	run_robbe version --format '{{json .}}'
	echo "$output" | jq -e '.Client.Version and .Server.ApiVersion' >/dev/null
	run_robbe version --format json
	echo "$output" | jq -e '.Client.Version' >/dev/null
}

@test "version without --format has Client and Server sections" {
	run_robbe version
	[[ "${lines[0]}" =~ ^Client: ]] || die "got: ${lines[0]}"
	assert_contains "$output" " Version:"
	assert_contains "$output" " API version:"
	assert_contains "$output" "Server:"
	assert_contains "$output" " OS/Arch:"
}

@test "a bad template exits 64" {
	run_robbe 64 version --format '{{.Client.Version'
	assert_contains "$output" "template parsing error: "
	run_robbe 64 info --format '{{if}}'
	assert_contains "$output" "template parsing error: "
}

@test "info reports counts, driver and root" {
	run_robbe info --format '{{.Containers}} {{.Images}} {{.Driver}}'
	assert_output "0 0 overlay"
	run_robbe info --format '{{.DockerRootDir}}'
	assert_output "$ROBBE_ROOT"
	run_robbe info --format '{{.OSType}} {{.CgroupVersion}}'
	[[ "$output" =~ ^linux\ [12]$ ]] || die "got: $output"
	run_robbe info --format '{{json .SecurityOptions}}'
	echo "$output" | jq -e 'type == "array"' >/dev/null
}

@test "info without --format has Docker's sections" {
	run_robbe info
	assert_contains "$output" "Client:"
	assert_contains "$output" "Server:"
	assert_contains "$output" " Containers: 0"
	assert_contains "$output" "  Running: 0"
	assert_contains "$output" " Images: 0"
}

@test "global --root and --runroot choose the store" {
	local r="$BATS_TEST_TMPDIR/other"
	run_robbe --root "$r/root" --runroot "$r/run" info --format '{{.DockerRootDir}}'
	assert_output "$r/root"
	[ -f "$r/root/robbe.db" ] || die "no database under --root"
}

@test "concurrent robbe processes share the store" {
	local i
	for i in $(seq 1 8); do
		robbe info --format '{{.Containers}}' > "$BATS_TEST_TMPDIR/out.$i" 2>&1 &
	done
	wait
	for i in $(seq 1 8); do
		assert_equal "$(cat "$BATS_TEST_TMPDIR/out.$i")" "0" "process $i"
	done
}
