#!/usr/bin/env bats
# docker run and create: real containers under conmon and runc, from the
# suite's busybox image ($ROBBE_TEST_IMAGE).  Output streams, exit codes,
# Docker's error words, and the flags that shape the container.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
}

teardown_file() {
	remove_all_containers
}

@test "run: output and exit status of the container" {
	run_robbe run --rm "$(IMG)" echo hello world
	assert_output "hello world"
	run_robbe 3 run --rm "$(IMG)" sh -c 'exit 3'
	run_robbe 0 run --rm "$(IMG)" true
}

@test "run: stdout and stderr stay separate" {
	run --separate-stderr robbe run --rm "$(IMG)" sh -c 'echo out; echo err >&2; echo out2'
	[ "$status" -eq 0 ]
	assert_equal "$output" $'out\nout2' "stdout"
	assert_equal "$stderr" "err" "stderr"
	# The shell form from the issue: stderr thrown away, stdout kept.
	out=$(robbe run --rm "$(IMG)" sh -c 'echo out; echo err >&2' 2>/dev/null)
	assert_equal "$out" "out"
	out=$(robbe run --rm "$(IMG)" sh -c 'echo out; echo err >&2' 2>&1 >/dev/null)
	assert_equal "$out" "err"
}

@test "run: all of the output arrives, also after a burst at exit" {
	run_robbe run --rm "$(IMG)" sh -c 'seq 1 20000'
	assert_equal "${#lines[@]}" 20000 "line count"
	assert_equal "${lines[19999]}" 20000 "last line"
	# A reader that stops early: run still ends normally, --rm included.
	run bash -c "robbe run --rm --name early-reader $(IMG) seq 1 200000 | head -1; echo \${PIPESTATUS[0]}"
	assert_equal "$output" $'1\n0'
	run_robbe 1 container inspect early-reader
}

@test "run: 126 for a directory, 127 for a missing command" {
	run_robbe 126 run --rm "$(IMG)" /etc
	assert_contains "$output" "permission denied"
	run -127 robbe run --rm "$(IMG)" no-such-command
	assert_contains "$output" 'executable file not found'
	assert_contains "$output" "Run 'robbe run --help' for more information"
	run -127 robbe run --rm "$(IMG)" /no/such/file
}

@test "run: 125 for a bad flag value and for a missing image with --pull=never" {
	run_robbe 125 run --rm -m 1k "$(IMG)" true
	assert_contains "$output" "Minimum memory limit allowed is 6MB"
	run_robbe 125 run --rm --restart bogus "$(IMG)" true
	assert_contains "$output" "unknown policy 'bogus'"
	run_robbe 125 run --rm --memory lots "$(IMG)" true
	run_robbe 125 run --rm --pull=never "$ROBBE_TEST_REGISTRY/robbe/nothing:here" true
	assert_contains "$output" "No such image: $ROBBE_TEST_REGISTRY/robbe/nothing:here"
	assert_contains "$output" "robbe: Error response from daemon: "
	run_robbe 125 run --rm --pull=sometimes "$(IMG)" true
}

@test "run: a flag robbe cannot honour is an error, not ignored" {
	run_robbe 125 run --rm --gpus all "$(IMG)" true
	assert_contains "$output" "--gpus"
	run_robbe 125 run --rm --link-local-ip 169.254.1.1 "$(IMG)" true
	assert_contains "$output" "--link-local-ip"
	run_robbe 125 run --rm --log-driver syslog "$(IMG)" true
	assert_contains "$output" "syslog"
	run_robbe 125 run --rm --rm --restart always "$(IMG)" true
	assert_contains "$output" "conflicting options: cannot specify both --restart and --rm"
}

@test "run -d prints the full ID and nothing else" {
	run --separate-stderr robbe run -d "$(IMG)" sh -c 'exit 4'
	[ "$status" -eq 0 ]
	[[ $output =~ ^[0-9a-f]{64}$ ]] || die "run -d printed '$output'"
	assert_equal "$stderr" ""
	run_robbe wait "$output"
	assert_output 4
}

@test "run: the image is pulled when missing, progress on stderr" {
	# Containers of earlier tests use the image: -f drops its name only.
	run_robbe rmi -f "$(IMG)"
	run --separate-stderr robbe run --rm "$(IMG)" echo pulled
	[ "$status" -eq 0 ]
	assert_equal "$output" "pulled" "stdout"
	assert_contains "$stderr" "Unable to find image '$(IMG)' locally"
	assert_contains "$stderr" "latest: Pulling from robbe/busybox"
	assert_contains "$stderr" "Status: Downloaded newer image for $(IMG)"
	# --pull always pulls again; stdout still has only the container's.
	run --separate-stderr robbe run --rm --pull always "$(IMG)" echo again
	assert_equal "$output" "again" "stdout"
	assert_contains "$stderr" "Status: Image is up to date"
	run --separate-stderr robbe run --rm -q --pull always "$(IMG)" echo quiet
	assert_equal "$stderr" "" "quiet pull"
}

@test "run --rm: the container is gone when run returns, with its code" {
	run_robbe 5 run --rm --name rm-me "$(IMG)" sh -c 'exit 5'
	run_robbe 1 container inspect rm-me
	run_robbe ps -a --format '{{.Names}}'
	assert_not_contains "$output" rm-me
	# wait still knows the code of a container --rm removed.
	run_robbe run -d --rm "$(IMG)" sh -c 'sleep 1; exit 6'
	id=$output
	run_robbe wait "$id"
	assert_output 6
}

@test "run -d --rm: removed after the container exits by itself" {
	run_robbe run -d --rm --name gone-soon "$(IMG)" sleep 1
	id=$output
	run_robbe container inspect --format '{{.State.Status}}' gone-soon
	assert_output running
	wait_for 15 bash -c "! robbe container inspect $id >/dev/null 2>&1" || die "still there after 15 s"
	# the files go right after the record
	wait_for 5 bash -c "[ ! -d '$ROBBE_ROOT/containers/$id' ]" || die "its files are still there"
	grep -q "$id" /proc/self/mountinfo && die "its root is still mounted"
	return 0
}

@test "run: signals reach the container (sig-proxy)" {
	local out="$BATS_TEST_TMPDIR/out"
	robbe run --rm "$(IMG)" sh -c 'trap "echo got; exit 7" USR1; echo ready; while :; do sleep 0.1; done' \
		> "$out" 2>&1 &
	local pid=$!
	wait_for 15 grep -q ready "$out" || die "the container did not start: $(cat "$out")"
	kill -USR1 $pid
	local st=0
	wait $pid || st=$?
	assert_equal "$st" 7 "exit status"
	assert_equal "$(cat "$out")" $'ready\ngot'
}

@test "run --sig-proxy=false: robbe's own signal is not forwarded" {
	local out="$BATS_TEST_TMPDIR/out"
	robbe run --sig-proxy=false --name noproxy "$(IMG)" sh -c 'trap "echo got" USR1; echo ready; sleep 5' \
		> "$out" 2>&1 &
	local pid=$!
	wait_for 15 grep -q ready "$out" || die "the container did not start"
	kill -USR1 $pid
	local st=0
	wait $pid || st=$?
	assert_equal "$st" $((128 + 10)) "robbe died of USR1"
	assert_not_contains "$(cat "$out")" got
	run_robbe rm -f noproxy
}

@test "run: name conflicts use Docker's words" {
	run_robbe run -d --name taken "$(IMG)" sleep 30
	id=$output
	run_robbe 125 run --name taken "$(IMG)" true
	assert_contains "$output" "Conflict. The container name \"/taken\" is already in use by container \"$id\". You have to remove (or rename) that container to be able to reuse that name."
	run_robbe 1 create --name taken "$(IMG)" true
	assert_contains "$output" "Error response from daemon: Conflict. The container name \"/taken\""
	run_robbe 125 run --name 'bad name' "$(IMG)" true
	assert_contains "$output" "Invalid container name (bad name)"
	run_robbe rm -f taken
}

@test "run: generated names are adjective_surname and unique" {
	run_robbe create "$(IMG)" true
	run_robbe container inspect --format '{{.Name}}' "$output"
	[[ $output =~ ^/[a-z]+_[a-z]+[0-9]*$ ]] || die "name '$output'"
}

@test "run: the container keeps the caller's audit login uid" {
	skip_if_rootless "the user cannot set its login uid (100-rootless.bats checks it from a login)"
	[ -w /proc/self/loginuid ] || skip "no audit login uid here"
	run bash -c "echo 1000 > /proc/self/loginuid && cat /proc/self/loginuid && echo && robbe run --rm $(IMG) cat /proc/self/loginuid"
	[ "$status" -eq 0 ] || die "$output"
	assert_equal "${lines[0]}" 1000 "shell"
	assert_equal "${lines[1]}" 1000 "container"
}

@test "run: networks — the default bridge, none, host" {
	skip_if_rootless "the default network is slirp4netns's tap0 (100-rootless.bats)"
	# Docker's default: eth0 on the bridge network (details: 090-network.bats).
	run_robbe run --rm "$(IMG)" ls /sys/class/net
	assert_output $'eth0\nlo'
	run_robbe run --rm --network none "$(IMG)" ls /sys/class/net
	assert_output lo
	run_robbe run --rm --network none "$(IMG)" cat /sys/class/net/lo/operstate
	assert_output unknown
	run_robbe run --rm --net host "$(IMG)" ls /sys/class/net
	assert_equal "$output" "$(ls /sys/class/net | tr ' ' '\n')" "host interfaces"
	run_robbe run --rm --net host "$(IMG)" hostname
	assert_output "$(hostname)"
	run_robbe 125 run --rm --network nosuchnet "$(IMG)" true
	assert_contains "$output" "network nosuchnet not found"
	# container:NAME joins another container's namespace.
	run_robbe run -d --name netns-owner "$(IMG)" sleep 30
	pid=$(robbe container inspect --format '{{.State.Pid}}' netns-owner)
	run_robbe run --rm --network container:netns-owner "$(IMG)" readlink /proc/self/ns/net
	assert_output "$(readlink /proc/$pid/ns/net)"
	run_robbe rm -f netns-owner
}

@test "run: /etc/hostname, /etc/hosts and /etc/resolv.conf" {
	run_robbe run --rm --hostname box1 "$(IMG)" sh -c 'hostname; cat /etc/hostname'
	assert_equal "$output" $'box1\nbox1'
	run_robbe run --rm "$(IMG)" cat /etc/hosts
	assert_contains "$output" $'127.0.0.1\tlocalhost'
	run_robbe run --rm --add-host db.local:10.1.2.3 "$(IMG)" cat /etc/hosts
	assert_contains "$output" $'10.1.2.3\tdb.local'
	run_robbe run --rm "$(IMG)" cat /etc/resolv.conf
	assert_not_contains "$output" "nameserver 127."
	assert_contains "$output" "nameserver"
	run_robbe run --rm --dns 9.9.9.9 --dns-search corp.example "$(IMG)" cat /etc/resolv.conf
	assert_contains "$output" "nameserver 9.9.9.9"
	assert_contains "$output" "search corp.example"
}

@test "run: --user, -w, -e, --env-file" {
	run_robbe run --rm -u nobody "$(IMG)" id -u
	assert_output 65534
	run_robbe run --rm --user 1234:5678 "$(IMG)" sh -c 'echo $(id -u):$(id -g)'
	assert_output 1234:5678
	run_robbe run --rm -w /tmp/sub "$(IMG)" pwd
	assert_output /tmp/sub
	run_robbe 125 run --rm -w relative "$(IMG)" pwd
	export FROM_CALLER=caller-value
	run_robbe run --rm -e A=1 -e FROM_CALLER -e UNSET_HERE "$(IMG)" sh -c 'echo "$A $FROM_CALLER ${UNSET_HERE-unset}"'
	assert_output "1 caller-value unset"
	printf '# comment\nB=two words\n\nFROM_CALLER\nC=3\n' > "$BATS_TEST_TMPDIR/env"
	run_robbe run --rm --env-file "$BATS_TEST_TMPDIR/env" -e C=override "$(IMG)" sh -c 'echo "$B|$FROM_CALLER|$C"'
	assert_output "two words|caller-value|override"
	run_robbe 125 run --rm --env-file /no/such/file "$(IMG)" true
	assert_contains "$output" "/no/such/file"
	run_robbe run --rm "$(IMG)" sh -c 'echo $HOSTNAME $HOME $PATH'
	[[ $output =~ ^[0-9a-f]{12}\ /root\ /usr/local/sbin ]] || die "environment: $output"
}

@test "run: --read-only and --tmpfs" {
	run_robbe 1 run --rm --read-only "$(IMG)" touch /file
	assert_contains "$output" "Read-only file system"
	run_robbe run --rm --read-only --tmpfs /scratch "$(IMG)" sh -c 'touch /scratch/f && echo ok'
	assert_output ok
	run_robbe run --rm --tmpfs /scratch:size=1m "$(IMG)" sh -c 'grep " /scratch " /proc/mounts'
	assert_contains "$output" "tmpfs /scratch tmpfs"
	# Writes outside go to the container's own layer, not the image.
	run_robbe run --rm "$(IMG)" sh -c 'echo x > /bin/newfile && cat /bin/newfile'
	assert_output x
	run_robbe 1 run --rm "$(IMG)" cat /bin/newfile
}

@test "run --init: an init is PID 1 and the command runs under it" {
	run_robbe run --rm --init "$(IMG)" sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; echo $$'
	assert_contains "${lines[0]}" "/run/robbe-init"
	[ "${lines[1]}" != 1 ] || die "the command is PID 1"
	run_robbe run --rm "$(IMG)" sh -c 'echo $$'
	assert_output 1
}

@test "run --cidfile: written, and refused when it exists" {
	local f="$BATS_TEST_TMPDIR/cid"
	run_robbe run -d --cidfile "$f" "$(IMG)" true
	assert_equal "$(cat "$f")" "$output" "cidfile content"
	run_robbe 125 run --cidfile "$f" "$(IMG)" true
	assert_contains "$output" "container ID file found, make sure the other container isn't running or delete $f"
	run_robbe 1 create --cidfile "$f" "$(IMG)" true
}

@test "run: resource limits land in the container's cgroup" {
	skip_if_rootless "no delegated cgroup on this host (100-rootless.bats checks the refusal)"
	[ -d /sys/fs/cgroup/memory ] || skip "needs the cgroup v1 memory controller"
	run_robbe run --rm --memory 64m "$(IMG)" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	assert_output 67108864
	run_robbe run --rm --pids-limit 50 "$(IMG)" cat /sys/fs/cgroup/pids/pids.max
	assert_output 50
	run_robbe run --rm --ulimit nofile=1024:2048 "$(IMG)" sh -c 'ulimit -n; ulimit -Hn'
	assert_equal "$output" $'1024\n2048'
}

@test "run -i: standard input reaches the container" {
	run bash -c "printf 'line1\nline2\n' | robbe run --rm -i $(IMG) sh -c 'cat; echo end'"
	[ "$status" -eq 0 ]
	assert_equal "$output" $'line1\nline2\nend'
	# Without -i the container's stdin is empty.
	run bash -c "echo data | robbe run --rm $(IMG) cat"
	assert_equal "$output" ""
}

@test "run: --entrypoint, labels, --stop-signal recorded" {
	run_robbe run --rm --entrypoint echo "$(IMG)" from entrypoint
	assert_output "from entrypoint"
	printf 'team=blue\nowner\n' > "$BATS_TEST_TMPDIR/labels"
	run_robbe create --name labelled --label-file "$BATS_TEST_TMPDIR/labels" -l tier=web \
		--stop-signal SIGUSR1 --stop-timeout 3 "$(IMG)" true
	run_robbe container inspect --format '{{index .Config.Labels "team"}} {{index .Config.Labels "tier"}} {{.Config.StopSignal}} {{.Config.StopTimeout}}' labelled
	assert_output "blue web SIGUSR1 3"
	run_robbe 125 run --stop-signal NOPE "$(IMG)" true
	assert_contains "$output" "Invalid signal: NOPE"
	run_robbe rm labelled
}

@test "run --log-driver none keeps no log; json-file is the default" {
	run_robbe run --name logged "$(IMG)" echo to-the-log
	run_robbe container inspect --format '{{.HostConfig.LogConfig.Type}}' logged
	assert_output json-file
	run_robbe logs logged
	assert_output to-the-log
	run_robbe run --name nolog --log-driver none "$(IMG)" echo not-logged
	assert_output not-logged
	run_robbe container inspect --format '{{.HostConfig.LogConfig.Type}}' nolog
	assert_output none
	run_robbe rm logged nolog
}

@test "create: prints the ID, state created, starts later" {
	run_robbe create --name made "$(IMG)" echo made-then-started
	id=$output
	[[ $id =~ ^[0-9a-f]{64}$ ]] || die "create printed '$id'"
	run_robbe container inspect --format '{{.State.Status}} {{.Config.Image}} {{.Path}} {{.Args}}' made
	assert_output "created $(IMG) echo [made-then-started]"
	run_robbe start -a made
	assert_output made-then-started
	run_robbe container inspect --format '{{.State.Status}} {{.State.ExitCode}}' made
	assert_output "exited 0"
	run_robbe rm made
}

@test "run --privileged and --cap-add/--cap-drop change capabilities" {
	run_robbe run --rm "$(IMG)" sh -c 'grep CapEff /proc/self/status'
	default=$output
	run_robbe run --rm --cap-drop ALL "$(IMG)" sh -c 'grep CapEff /proc/self/status'
	assert_output $'CapEff:\t0000000000000000'
	run_robbe run --rm --cap-add SYS_ADMIN "$(IMG)" sh -c 'grep CapEff /proc/self/status'
	[ "$output" != "$default" ] || die "--cap-add changed nothing"
}

@test "run -v: a host directory bound in" {
	mkdir -p "$BATS_TEST_TMPDIR/data"
	echo host-file > "$BATS_TEST_TMPDIR/data/f"
	run_robbe run --rm -v "$BATS_TEST_TMPDIR/data:/data" "$(IMG)" sh -c 'cat /data/f; echo new > /data/g'
	assert_output host-file
	assert_equal "$(cat "$BATS_TEST_TMPDIR/data/g")" new
	run_robbe 1 run --rm -v "$BATS_TEST_TMPDIR/data:/data:ro" "$(IMG)" touch /data/h
	run_robbe run --rm -v named-volume:/data "$(IMG)" sh -c 'echo kept > /data/f'
	run_robbe volume ls -q
	assert_contains "$output" named-volume
	run_robbe run --rm -v named-volume:/data "$(IMG)" cat /data/f
	assert_output kept
	run_robbe volume rm named-volume
}

@test "run and ps of a local image load neither libcurl, libarchive nor libcrypto" {
	local libs
	libs=$(LD_DEBUG=files robbe run --rm "$(IMG)" true 2>&1 >/dev/null | grep -oE 'lib(curl|archive|crypto)\.so[.0-9]*' | sort -u)
	assert_equal "$libs" "" "libraries loaded by run"
	libs=$(LD_DEBUG=files robbe ps -a 2>&1 >/dev/null | grep -oE 'lib(curl|archive|crypto)\.so[.0-9]*' | sort -u)
	assert_equal "$libs" "" "libraries loaded by ps"
	# and a command that needs them does load them
	libs=$(LD_DEBUG=files robbe pull -q "$ROBBE_TEST_IMAGE" 2>&1 >/dev/null | grep -oE 'libcurl\.so[.0-9]*' | sort -u | head -1)
	assert_contains "$libs" "libcurl.so"
}
