#!/usr/bin/env bats
# The docker command line: help, usage errors, exit statuses, aliases.

load helpers

@test "--help lists the command groups" {
	run_robbe --help
	assert_line 0 "Usage:  robbe [OPTIONS] COMMAND"
	assert_contains "$output" "Common Commands:"
	assert_contains "$output" "Management Commands:"
	assert_contains "$output" "  run         "
	assert_contains "$output" "  container   "
	assert_contains "$output" "Global Options:"
}

@test "command help has Docker's layout" {
	run_robbe run --help
	assert_line 0 "Usage:  robbe run [OPTIONS] IMAGE [COMMAND] [ARG...]"
	assert_contains "$output" "Aliases:"
	assert_contains "$output" "robbe container run, robbe run"
	assert_contains "$output" "Options:"
	assert_contains "$output" "  -d, --detach "
	assert_contains "$output" "  -e, --env list "
	assert_contains "$output" "      --rm "
}

@test "aliases resolve to the same command" {
	local want
	run_robbe images --help
	want=$(printf '%s\n' "$output" | sed -n '/^Aliases:/,/^$/p')
	assert_contains "$want" "robbe image ls, robbe image list, robbe images"
	for cmd in "image ls" "image list"; do
		run_robbe $cmd --help
		assert_equal "$(printf '%s\n' "$output" | sed -n '/^Aliases:/,/^$/p')" "$want" "aliases of $cmd"
	done
	run_robbe container ps --help
	assert_contains "$output" "robbe container ls, robbe container list, robbe container ps, robbe ps"
	run_robbe image remove --help
	assert_contains "$output" "robbe image rm, robbe image remove, robbe rmi"
}

@test "unknown flag exits 125 with pflag wording" {
	run_robbe 125 ps --bogus
	assert_line 0 "unknown flag: --bogus"
	assert_contains "$output" "Usage:  robbe ps [OPTIONS]"
	assert_contains "$output" "Run 'robbe ps --help' for more information"
	run_robbe 125 ps -Z
	assert_line 0 "unknown shorthand flag: 'Z' in -Z"
}

@test "a flag without its value exits 125" {
	run_robbe 125 run --name
	assert_line 0 "flag needs an argument: --name"
	assert_contains "$output" "Usage:  robbe run [OPTIONS] IMAGE [COMMAND] [ARG...]"
}

@test "a bad flag value names the flag" {
	run_robbe 125 stop -t abc x
	assert_line 0 'invalid argument "abc" for "-t, --timeout" flag: strconv.ParseInt: parsing "abc": invalid syntax'
}

@test "argument count errors exit 1 with Docker's wording" {
	run_robbe 1 rm
	assert_line 0 "robbe: 'robbe rm' requires at least 1 argument"
	assert_contains "$output" "Usage:  robbe rm [OPTIONS] CONTAINER [CONTAINER...]"
	assert_contains "$output" "See 'robbe rm --help' for more information"
	run_robbe 1 ps extra
	assert_line 0 "robbe: 'robbe ps' accepts no arguments"
}

@test "unknown command exits 1" {
	run_robbe 1 frob
	assert_line 0 "robbe: unknown command: robbe frob"
	assert_contains "$output" "Run 'robbe --help' for more information"
}

@test "a management command alone prints its subcommands" {
	run_robbe container
	assert_line 0 "Usage:  robbe container COMMAND"
	assert_contains "$output" "Commands:"
	assert_contains "$output" "  attach      "
}

@test "commands not built yet fail loudly, never succeed" {
	run_robbe 125 swarm init
	assert_contains "$output" "not supported"
}

@test "invoked as docker, robbe speaks as docker" {
	run docker rm
	assert_equal "$status" 1
	assert_equal "${lines[0]}" "docker: 'docker rm' requires at least 1 argument"
	assert_contains "$output" "See 'docker rm --help' for more information"
	run docker run --help
	assert_equal "${lines[0]}" "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]"
	run docker --version
	assert_contains "$output" "version"
	assert_contains "$output" ", build "
}

@test "-h is --hostname for run, deprecated help elsewhere" {
	run_robbe ps -h
	assert_line 0 "Flag shorthand -h has been deprecated, use --help"
	assert_line 1 "Usage:  robbe ps [OPTIONS]"
	run_robbe run --help
	assert_contains "$output" "  -h, --hostname string"
}

@test "completion: subcommands, flags and store objects" {
	run_robbe __complete container l
	assert_contains "$output" "ls"
	assert_contains "$output" "logs"
	run_robbe __complete ps --f
	assert_contains "$output" "--filter"
	assert_contains "$output" "--format"
	run_robbe volume create compl-vol
	run_robbe __complete volume rm compl
	assert_contains "$output" "compl-vol"
	run_robbe volume rm compl-vol
	# network connect NETWORK CONTAINER: networks, then containers;
	# network create NAME: nothing (a new name).
	run_robbe create --name compl-ctr "$ROBBE_TEST_IMAGE" true
	run_robbe __complete network connect ""
	assert_output $'bridge\nhost\nnone'
	run_robbe __complete network connect bridge compl
	assert_output "compl-ctr"
	run_robbe __complete network disconnect bridge ""
	assert_output "compl-ctr"
	run_robbe __complete network create ""
	assert_output ""
	run_robbe rm compl-ctr
}
