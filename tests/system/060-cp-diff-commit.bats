#!/usr/bin/env bats
# docker cp, diff, export and commit on real containers (runc + conmon),
# from the suite's busybox image: Docker's path rules and messages, tar
# streams both ways, owners, -L, running and stopped containers, links in
# the container that point out of it, and committed images that run.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
	# Everything here needs containers; say so plainly if run is missing.
	local out
	if ! out=$(robbe run --rm "$ROBBE_TEST_IMAGE" true 2>&1); then
		case "$out" in
		*"not supported by robbe yet"*) echo "robbe run is not supported yet" >"$BATS_FILE_TMPDIR/no-run" ;;
		esac
	fi
}

teardown_file() {
	local d
	for d in "$ROBBE_ROOT"/containers/*/; do
		[ -d "$d" ] && robbe rm -f "$(basename "$d")" >/dev/null 2>&1
	done
	return 0
}

setup() {
	if [ -f "$BATS_FILE_TMPDIR/no-run" ]; then
		skip "$(cat "$BATS_FILE_TMPDIR/no-run"): cp, diff, export and commit need real containers"
	fi
	T="$BATS_TEST_TMPDIR"
}

# A stopped container whose filesystem has known changes.
make_changed() {
	robbe run --name "$1" "$(IMG)" sh -c \
		'echo x > /tmp/new; rm /etc/group; mkdir -p /newdir/sub; echo y >> /etc/passwd' >/dev/null
}

@test "cp: a file out of a stopped and of a created container" {
	robbe create --name cp-created "$(IMG)" >/dev/null
	run_robbe cp cp-created:/etc/passwd "$T/passwd"
	assert_output ""
	assert_contains "$(cat "$T/passwd")" "root:x:0:0"
	make_changed cp-stopped
	run_robbe cp cp-stopped:/tmp/new "$T/new"
	assert_equal "$(cat "$T/new")" "x"
	# The copy left nothing mounted behind for the stopped container.
	run_robbe cp cp-stopped:/etc/passwd -
	assert_contains "$output" "root:x:0:0"
}

@test "cp: both directions with a running container" {
	robbe run -d --name cp-live "$(IMG)" sh -c \
		'echo out > /tmp/out; while [ ! -f /tmp/in ]; do sleep 0.1; done; cat /tmp/in; sleep 1000' >/dev/null
	wait_for 10 robbe cp cp-live:/tmp/out "$T/out" 2>/dev/null
	assert_equal "$(cat "$T/out")" "out"
	echo "from the host" >"$T/in"
	run_robbe cp "$T/in" cp-live:/tmp/in
	wait_for 10 sh -c 'robbe logs cp-live | grep -q "from the host"'
	robbe rm -f cp-live >/dev/null
}

@test "cp: a running container's volumes are part of what it sees" {
	mkdir -p "$T/vol"
	echo volfile >"$T/vol/v.txt"
	robbe run -d --name cp-vol -v "$T/vol:/vol" "$(IMG)" sleep 1000 >/dev/null
	run bash -c "robbe cp cp-vol:/vol/v.txt - | tar -xO"
	assert_output "volfile"
	echo back >"$T/back"
	run_robbe cp "$T/back" cp-vol:/vol/
	assert_equal "$(cat "$T/vol/back")" "back" "written into the volume"
	robbe rm -f cp-vol >/dev/null
}

@test "cp: Docker's path rules" {
	make_changed cp-rules
	mkdir -p "$T/src/d/sub" "$T/exist"
	echo a >"$T/src/d/a"
	echo b >"$T/src/d/sub/b"
	echo f >"$T/src/f"

	# container -> host
	run_robbe cp cp-rules:/etc "$T/etc-copy"
	[ -f "$T/etc-copy/passwd" ] || die "dir to a new name"
	run_robbe cp cp-rules:/etc "$T/exist"
	[ -f "$T/exist/etc/passwd" ] || die "dir onto a dir: DEST/SRC"
	mkdir "$T/contents"
	run_robbe cp cp-rules:/etc/. "$T/contents"
	[ -f "$T/contents/passwd" ] && [ ! -e "$T/contents/etc" ] || die "dir/. copies the contents"
	run_robbe cp cp-rules:/etc/passwd "$T/exist"
	[ -f "$T/exist/passwd" ] || die "file onto a dir goes inside"
	run_robbe 1 cp cp-rules:/etc/passwd "$T/nodir/"
	assert_output "no such directory"
	run_robbe 1 cp cp-rules:/etc/passwd "$T/missing/x"
	assert_output "invalid output path: directory \"$T/missing\" does not exist"
	run_robbe 1 cp cp-rules:/etc "$T/src/f"
	assert_output "cannot copy directory"
	run_robbe 1 cp cp-rules:/nope "$T/x"
	assert_output "Error response from daemon: Could not find the file /nope in container cp-rules"
	run_robbe 1 cp cp-rules:/etc/passwd/ "$T/x"
	assert_output "Error response from daemon: lstat /etc/passwd/: not a directory"

	# host -> container
	run_robbe cp "$T/src/d" cp-rules:/newdir
	run_robbe cp "$T/src/d/." cp-rules:/tmp
	run_robbe cp "$T/src/f" cp-rules:/newdir/sub
	run_robbe cp cp-rules:/newdir "$T/back"
	[ -f "$T/back/d/sub/b" ] && [ -f "$T/back/sub/f" ] || die "dir onto a dir, file onto a dir"
	run_robbe cp cp-rules:/tmp/sub/b "$T/b"
	assert_equal "$(cat "$T/b")" "b"
	run_robbe 1 cp "$T/src/f" cp-rules:/nope/x
	assert_output "Error response from daemon: Could not find the file /nope in container cp-rules"
	run_robbe 1 cp "$T/src/f" cp-rules:/nodir/
	assert_output "no such directory"
	run_robbe 1 cp "$T/src/d" cp-rules:/etc/passwd
	assert_output "cannot copy directory"
	run_robbe 1 cp "$T/nope" cp-rules:/tmp
	assert_output "lstat $T/nope: no such file or directory"

	# arguments
	run_robbe 1 cp "$T/a" "$T/b"
	assert_output "must specify at least one container source"
	run_robbe 1 cp cp-rules:/a cp-rules:/b
	assert_output "copying between containers is not supported"
	run_robbe 1 cp no-such-container:/a "$T/x"
	assert_output "Error response from daemon: No such container: no-such-container"
	run_robbe 1 cp "" cp-rules:/b
	assert_output "source can not be empty"
}

@test "cp: tar streams to and from -" {
	make_changed cp-tar
	run bash -c "robbe cp cp-tar:/newdir - | tar -t"
	[ "$status" -eq 0 ]
	assert_equal "${lines[0]}" "newdir/" "the top entry is the base name"
	assert_contains "$output" "newdir/sub/"
	run bash -c "robbe cp cp-tar:/tmp/new - | tar -xO"
	assert_output "x"
	mkdir -p "$T/t/in/deep"
	echo t1 >"$T/t/in/deep/t1"
	run bash -c "tar -C '$T/t' -c in | robbe cp - cp-tar:/tmp"
	[ "$status" -eq 0 ] || die "$output"
	run_robbe cp cp-tar:/tmp/in/deep/t1 -
	assert_contains "$output" "t1"
	run bash -c "tar -C '$T/t' -cz in | robbe cp - cp-tar:/newdir"
	[ "$status" -eq 0 ] || die "a gzipped stream: $output"
	run bash -c "tar -C '$T/t' -c in | robbe cp - cp-tar:/etc/passwd"
	[ "$status" -eq 1 ]
	assert_output 'destination "cp-tar:/etc/passwd" must be a directory'
}

@test "cp: owners, -a and -L" {
	robbe create --name cp-owner --user 1234:5678 "$(IMG)" >/dev/null
	echo data >"$T/owned"
	chown 4321:8765 "$T/owned"
	run_robbe cp "$T/owned" cp-owner:/tmp/kept
	run_robbe cp "$T/owned" cp-owner:/tmp/forced -a
	run bash -c "robbe cp cp-owner:/tmp - | tar -tv --numeric-owner"
	assert_contains "$output" "4321/8765"
	assert_contains "$(echo "$output" | grep forced)" "1234/5678"
	assert_contains "$(echo "$output" | grep kept)" "4321/8765"

	ln -s owned "$T/link"
	run_robbe cp "$T/link" cp-owner:/tmp/as-link
	run_robbe cp -L "$T/link" cp-owner:/tmp/followed
	run bash -c "robbe cp cp-owner:/tmp - | tar -tv"
	assert_contains "$(echo "$output" | grep as-link)" "as-link -> owned"
	assert_contains "$(echo "$output" | grep followed)" "-rw"
}

@test "cp: links in the container never reach the host's files" {
	mkdir -p "$T/canary"
	echo "host secret" >"$T/canary/secret"
	robbe run --name cp-evil "$(IMG)" sh -c \
		'ln -s / /escape; ln -s ../../../../../../.. /up; ln -s /etc /abs; ln -s '"$T"'/canary /hostpath' >/dev/null
	# Reading: every link resolves inside the container.
	run_robbe 1 cp "cp-evil:/up$T/canary/secret" "$T/r1"
	assert_contains "$output" "Could not find the file"
	run_robbe 1 cp "cp-evil:/escape$T/canary/secret" "$T/r2"
	run_robbe 1 cp cp-evil:/hostpath/secret "$T/r3"
	run_robbe 1 cp -L cp-evil:/hostpath "$T/r4"
	run_robbe cp cp-evil:/abs/passwd "$T/r5"
	assert_equal "$(cat "$T/r5")" "$(robbe run --rm "$(IMG)" cat /etc/passwd)" "the container's passwd"
	[ ! -e "$T/r1" ] && [ ! -e "$T/r2" ] && [ ! -e "$T/r3" ] && [ ! -e "$T/r4" ] || die "something was read"
	# Writing: nothing lands in the host's directory.
	echo pwned >"$T/pwn"
	run_robbe 1 cp "$T/pwn" "cp-evil:/up$T/canary/"
	run_robbe 1 cp "$T/pwn" cp-evil:/hostpath/pwn
	run_robbe cp "$T/pwn" "cp-evil:/escape/tmp/"
	run bash -c "mkdir -p '$T/tt/hostpath' && echo pwned > '$T/tt/hostpath/pwn2' && tar -C '$T/tt' -c hostpath | robbe cp - cp-evil:/"
	assert_equal "$(ls "$T/canary")" "secret" "the canary directory"
	assert_equal "$(cat "$T/canary/secret")" "host secret"
	# ... it went into the container instead.
	run_robbe cp cp-evil:/tmp/pwn -
	assert_contains "$output" "pwned"
}

@test "diff: Docker's A/C/D lines" {
	make_changed diff-1
	run_robbe diff diff-1
	assert_output "C /etc
D /etc/group
C /etc/passwd
A /newdir
A /newdir/sub
C /tmp
A /tmp/new"
	robbe create --name diff-2 "$(IMG)" >/dev/null
	run_robbe diff diff-2
	assert_output ""
	run_robbe 1 diff no-such-container
	assert_output "Error response from daemon: No such container: no-such-container"
}

@test "export: the container's filesystem as a tar" {
	make_changed export-1
	run bash -c "robbe export export-1 | tar -t"
	[ "$status" -eq 0 ]
	assert_contains "$output" "tmp/new"
	assert_contains "$output" "bin/sh"
	assert_not_contains "$output" "etc/group"
	assert_not_contains "$output" ".wh."
	run_robbe export -o "$T/e.tar" export-1
	tar -tf "$T/e.tar" | grep -q '^newdir/sub/$' || die "export -o"
	run_robbe 1 export -o "$T/missing/e.tar" export-1
	assert_output "failed to export container: invalid output path: directory \"$T/missing\" does not exist"
}

@test "commit: a new image that runs, with changes, message and author" {
	make_changed commit-1
	run_robbe commit -m "my message" -a "Jane <jane@example.com>" \
		-c 'CMD ["cat", "/tmp/new"]' -c 'ENV A=1 B=two' -c 'LABEL org.robbe.c=yes' -c 'WORKDIR /newdir' \
		-c 'USER nobody' -c 'EXPOSE 8080/tcp' -c 'VOLUME /data' commit-1 committed:1
	[[ "$output" =~ ^sha256:[0-9a-f]{64}$ ]] || die "prints the image ID: $output"
	id=$output
	run_robbe run --rm committed:1
	assert_output "x"
	run_robbe 1 run --rm --user root committed:1 cat /etc/group
	run_robbe run --rm committed:1 pwd
	assert_output "/newdir"
	run_robbe image inspect -f '{{.Id}}|{{.Comment}}|{{.Author}}|{{json .Config.Cmd}}|{{.Config.User}}|{{json .Config.ExposedPorts}}|{{json .Config.Volumes}}|{{index .Config.Labels "org.robbe.c"}}' committed:1
	assert_output "$id|my message|Jane <jane@example.com>|[\"cat\",\"/tmp/new\"]|nobody|{\"8080/tcp\":{}}|{\"/data\":{}}|yes"
	run_robbe image inspect -f '{{len .RootFS.Layers}}' "$(IMG)"
	base_layers=$output
	run_robbe image inspect -f '{{len .RootFS.Layers}}' committed:1
	assert_equal "$output" "$((base_layers + 1))" "one layer more than the image"
	run_robbe history committed:1
	assert_contains "${lines[1]}" "my message"
	# No name: a dangling image, still runnable by ID.
	run_robbe commit commit-1
	run_robbe run --rm "$output" cat /tmp/new
	assert_output "x"
	run_robbe 1 commit commit-1 'bad:Name@x'
	run_robbe 1 commit -c 'FROM scratch' commit-1 committed:2
	assert_contains "$output" "is not a valid change command"
}

@test "commit: a running container, then save and push the image" {
	robbe run -d --name commit-live "$(IMG)" sh -c 'echo z > /z; sleep 1000' >/dev/null
	wait_for 10 robbe cp commit-live:/z "$T/z" 2>/dev/null
	run_robbe commit commit-live committed:live
	run_robbe container inspect -f '{{.State.Status}}' commit-live
	assert_output "running"
	run_robbe run --rm committed:live cat /z
	assert_output "z"
	run bash -c "robbe save committed:live | tar -t"
	[ "$status" -eq 0 ] || die "save: $output"
	assert_contains "$output" "manifest.json"
	run_robbe tag committed:live "$ROBBE_TEST_REGISTRY/robbe/committed:live"
	run_robbe push "$ROBBE_TEST_REGISTRY/robbe/committed:live"
	run_robbe rmi committed:live "$ROBBE_TEST_REGISTRY/robbe/committed:live"
	run_robbe pull -q "$ROBBE_TEST_REGISTRY/robbe/committed:live"
	run_robbe run --rm "$ROBBE_TEST_REGISTRY/robbe/committed:live" cat /z
	assert_output "z"
	robbe rm -f commit-live >/dev/null
}
