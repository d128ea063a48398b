#!/usr/bin/env bats
# Volumes: `volume create | ls | inspect | rm | prune | exists` with Docker
# 28's output and words, and volumes used by containers (-v, --mount,
# --volumes-from, image VOLUMEs, copy-up, rm -v, in-use refusals).

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	# The container tests need the suite's image; the volume commands do not.
	if robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null 2>&1; then
		touch "$BATS_FILE_TMPDIR/have-image"
	fi
}

# Each test starts without containers or volumes.
setup() {
	local d
	for d in "$ROBBE_ROOT"/containers/*/; do
		[ -d "$d" ] && robbe rm -f "$(basename "$d")" >/dev/null 2>&1
	done
	robbe volume ls -q | xargs -r robbe volume rm -f >/dev/null 2>&1
	return 0
}

teardown_file() {
	local d
	for d in "$ROBBE_ROOT"/containers/*/; do
		[ -d "$d" ] && robbe rm -f "$(basename "$d")" >/dev/null 2>&1
	done
	return 0
}

# Containers with volumes: the test image must be there.
needs_volume_run() {
	[ -e "$BATS_FILE_TMPDIR/have-image" ] || die "the test image could not be pulled"
}

mountpoint_of() {
	robbe volume inspect -f '{{.Mountpoint}}' "$1"
}

@test "volume create prints the name; without one a 64-hex name" {
	run_robbe volume create vol-create-1
	assert_output "vol-create-1"
	run_robbe volume create
	[[ "$output" =~ ^[0-9a-f]{64}$ ]] || die "not a generated name: $output"
	local anon=$output
	run_robbe volume inspect -f '{{json .Labels}}' "$anon"
	assert_output '{"com.docker.volume.anonymous":""}'
	# Creating an existing volume is not an error.
	run_robbe volume create vol-create-1
	assert_output "vol-create-1"
	run_robbe volume create --name vol-create-2
	assert_output "vol-create-2"
	[ -d "$ROBBE_ROOT/volumes/vol-create-1/_data" ] || die "no _data directory"
	robbe volume rm vol-create-1 vol-create-2 "$anon" >/dev/null
}

@test "volume create refuses what Docker refuses" {
	run_robbe 1 volume create a/b
	assert_output 'Error response from daemon: create a/b: "a/b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'
	run_robbe 1 volume create x
	assert_output "Error response from daemon: create x: volume name is too short, names should be at least two alphanumeric characters"
	run_robbe 1 volume create -o foo=bar vol-bad
	assert_output 'Error response from daemon: create vol-bad: invalid option: "foo"'
	run_robbe 1 volume create -o type=tmpfs vol-bad
	assert_output 'Error response from daemon: create vol-bad: missing required option: "device"'
	run_robbe 1 volume create -d nfsplugin vol-bad
	assert_output 'Error response from daemon: create vol-bad: error looking up volume plugin nfsplugin: plugin "nfsplugin" not found'
	run_robbe 1 volume create --name one two
	assert_output "conflicting options: cannot specify a volume-name through both --name and as a positional arg"
	run_robbe 1 volume create a b
	assert_line 0 "robbe: 'robbe volume create' requires at most 1 argument"
	run_robbe volume ls -q
	assert_output ""
}

@test "volume inspect: Docker's JSON, --format, missing volumes" {
	robbe volume create --label b=2 --label a=1 -o type=tmpfs -o device=tmpfs -o o=size=1m vol-insp >/dev/null
	run_robbe volume inspect vol-insp
	assert_line 0 "["
	assert_line 1 "    {"
	[[ "${lines[2]}" =~ ^\ \ \ \ \ \ \ \ \"CreatedAt\":\ \"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})\",$ ]] ||
		die "CreatedAt line: ${lines[2]}"
	assert_line 3 '        "Driver": "local",'
	assert_line 4 '        "Labels": {'
	assert_line 5 '            "a": "1",'
	assert_line 6 '            "b": "2"'
	assert_line 7 '        },'
	assert_line 8 "        \"Mountpoint\": \"$ROBBE_ROOT/volumes/vol-insp/_data\","
	assert_line 9 '        "Name": "vol-insp",'
	assert_line 10 '        "Options": {'
	assert_line 11 '            "device": "tmpfs",'
	assert_line 12 '            "o": "size=1m",'
	assert_line 13 '            "type": "tmpfs"'
	assert_line 14 '        },'
	assert_line 15 '        "Scope": "local"'
	assert_line 16 "    }"
	assert_line 17 "]"

	run_robbe volume inspect -f '{{.Name}} {{.Driver}} {{.Scope}} {{index .Labels "a"}}' vol-insp
	assert_output "vol-insp local local 1"
	run_robbe volume inspect --format '{{.Options.type}}' vol-insp
	assert_output "tmpfs"

	run --separate-stderr robbe volume inspect nope
	[ "$status" -eq 1 ] || die "status $status"
	assert_equal "$output" "[]" "stdout"
	assert_equal "$stderr" "Error response from daemon: get nope: no such volume" "stderr"

	run --separate-stderr robbe volume inspect -f '{{.Name}}' vol-insp nope
	[ "$status" -eq 1 ] || die "status $status"
	assert_equal "$output" "vol-insp" "found ones first"
	assert_equal "$stderr" "Error response from daemon: get nope: no such volume" "then the error"

	run_robbe 64 volume inspect -f '{{.Name' vol-insp
	assert_contains "$output" "template parsing error"
	robbe volume rm vol-insp >/dev/null
}

@test "volume ls: table, -q, --format, natural order" {
	local v
	for v in lsv10 lsv2 lsv1; do robbe volume create "$v" >/dev/null; done
	robbe volume create --label tier=web --label com.example.my-label=yes lsweb >/dev/null
	run_robbe volume ls
	assert_line 0 "DRIVER    VOLUME NAME"
	assert_line 1 "local     lsv1"
	assert_line 2 "local     lsv2"
	assert_line 3 "local     lsv10"
	assert_line 4 "local     lsweb"
	run_robbe volume ls -q
	assert_output $'lsv1\nlsv2\nlsv10\nlsweb'
	run_robbe volume list --quiet
	assert_output $'lsv1\nlsv2\nlsv10\nlsweb'

	run_robbe volume ls --format '{{.Name}}|{{.Driver}}|{{.Scope}}|{{.Links}}|{{.Size}}|{{.Labels}}' -f name=lsweb
	assert_output "lsweb|local|local|N/A|N/A|com.example.my-label=yes,tier=web"
	run_robbe volume ls --format 'table {{.Name}}\t{{.Label "com.example.my-label"}}\t{{.Mountpoint}}' -f name=lsweb
	assert_line 0 "VOLUME NAME   my label   MOUNTPOINT"
	assert_line 1 "lsweb         yes        $ROBBE_ROOT/volumes/lsweb/_data"
	run_robbe volume ls --format json -f name='^lsv1$'
	assert_output "{\"Availability\":\"N/A\",\"Driver\":\"local\",\"Group\":\"N/A\",\"Labels\":\"\",\"Links\":\"N/A\",\"Mountpoint\":\"$ROBBE_ROOT/volumes/lsv1/_data\",\"Name\":\"lsv1\",\"Scope\":\"local\",\"Size\":\"N/A\",\"Status\":\"N/A\"}"
	run_robbe volume ls --format table -q
	assert_output $'lsv1\nlsv2\nlsv10\nlsweb'
	# A volumesFormat in the CLI config applies unless -q.
	mkdir -p "$HOME/.docker"
	echo '{"volumesFormat": "{{.Name}}:{{.Driver}}"}' >"$HOME/.docker/config.json"
	run_robbe volume ls -f name=lsv2
	assert_output "lsv2:local"
	run_robbe volume ls -q -f name=lsv2
	assert_output "lsv2"
	rm "$HOME/.docker/config.json"
	robbe volume rm lsv1 lsv2 lsv10 lsweb >/dev/null
}

@test "volume ls --filter: name, label, driver, dangling, bad filters" {
	robbe volume create --label tier=web flt-web1 >/dev/null
	robbe volume create --label tier=web flt-web2 >/dev/null
	robbe volume create --label tier=db --label x=1 flt-db >/dev/null
	run_robbe volume ls -q -f name=flt-web
	assert_output $'flt-web1\nflt-web2'
	run_robbe volume ls -q -f name='^flt-db$'
	assert_output "flt-db"
	run_robbe volume ls -q -f name=flt-web1 -f name=flt-db
	assert_output $'flt-db\nflt-web1'
	run_robbe volume ls -q -f label=tier=web
	assert_output $'flt-web1\nflt-web2'
	run_robbe volume ls -q -f label=tier -f label=x
	assert_output "flt-db"
	run_robbe volume ls -q -f driver=local -f name=flt-web2
	assert_output "flt-web2"
	run_robbe volume ls -q -f driver=nfs
	assert_output ""
	run_robbe volume ls -q -f dangling=true -f name=flt-
	assert_output $'flt-db\nflt-web1\nflt-web2'
	run_robbe volume ls -q -f dangling=false -f name=flt-
	assert_output ""
	run_robbe 1 volume ls -f bogus=1
	assert_output "Error response from daemon: invalid filter 'bogus'"
	run_robbe 1 volume ls -f dangling=maybe
	assert_output "Error response from daemon: invalid filter 'dangling=[maybe]'"
	run_robbe 125 volume ls -f nonsense
	assert_line 0 'invalid argument "nonsense" for "-f, --filter" flag: bad format of filter (expected name=value)'
	robbe volume rm flt-web1 flt-web2 flt-db >/dev/null
}

@test "volume rm: names as typed, missing ones, -f" {
	robbe volume create rm-a >/dev/null
	robbe volume create rm-b >/dev/null
	run --separate-stderr robbe volume rm rm-a nope rm-b
	[ "$status" -eq 1 ] || die "status $status"
	assert_equal "$output" $'rm-a\nrm-b' "stdout"
	assert_equal "$stderr" "Error response from daemon: get nope: no such volume" "stderr"
	[ ! -e "$ROBBE_ROOT/volumes/rm-a" ] || die "rm-a's directory is still there"
	run_robbe volume rm -f nope
	assert_output "nope"
	robbe volume create rm-c >/dev/null
	run_robbe volume remove rm-c
	assert_output "rm-c"
	run_robbe 1 volume rm
	assert_line 0 "robbe: 'robbe volume rm' requires at least 1 argument"
}

@test "volume prune: the question, anonymous only, -a, filters" {
	local anon named
	anon=$(robbe volume create)
	named=$(robbe volume create prune-named)
	printf 'hello world\n' >"$(mountpoint_of "$anon")/twelve"

	run_robbe volume prune <<<"n"
	assert_output "WARNING! This will remove anonymous local volumes not used by at least one container.
Are you sure you want to continue? [y/N] "
	run_robbe volume inspect -f '{{.Name}}' "$anon"

	run_robbe volume prune <<<"y"
	assert_output "WARNING! This will remove anonymous local volumes not used by at least one container.
Are you sure you want to continue? [y/N] Deleted Volumes:
$anon

Total reclaimed space: 12B"
	run_robbe 1 volume inspect "$anon"
	run_robbe volume inspect -f '{{.Name}}' prune-named

	run_robbe volume prune --force
	assert_output "Total reclaimed space: 0B"

	run_robbe volume prune -a </dev/null
	assert_output "WARNING! This will remove all local volumes not used by at least one container.
Are you sure you want to continue? [y/N] "
	run_robbe 1 volume prune -a --filter all=1
	assert_output "conflicting options: cannot specify both --all and --filter all=1"

	robbe volume create --label keep=yes prune-keep >/dev/null
	run_robbe volume prune -a -f --filter label!=keep
	assert_output "Deleted Volumes:
prune-named

Total reclaimed space: 0B"
	run_robbe volume prune -f --filter all=true --filter label=keep=yes
	assert_output "Deleted Volumes:
prune-keep

Total reclaimed space: 0B"
	run_robbe 1 volume prune -f --filter until=1h
	assert_output "Error response from daemon: invalid filter 'until'"
}

@test "volume prune leaves volumes with mount options" {
	robbe volume create -o type=tmpfs -o device=tmpfs -o o=size=1m prune-tmpfs >/dev/null
	run_robbe volume prune -a -f
	assert_output "Total reclaimed space: 0B"
	robbe volume rm prune-tmpfs >/dev/null
}

@test "volume exists (Podman)" {
	robbe volume create ex-vol >/dev/null
	run_robbe 0 volume exists ex-vol
	assert_output ""
	run_robbe 1 volume exists ex-nope
	assert_output ""
	robbe volume rm ex-vol >/dev/null
}

@test "called as docker" {
	run docker volume create dk-vol
	[ "$status" -eq 0 ] && assert_output "dk-vol"
	run docker volume ls --format '{{.Name}}' --filter name=dk-vol
	assert_output "dk-vol"
	run docker volume rm dk-vol
	assert_output "dk-vol"
	run docker volume --help
	assert_line 0 "Usage:  docker volume COMMAND"
}

# ---- containers ----------------------------------------------------------

@test "run -v name:/path creates the volume, copies the image's content, keeps data" {
	needs_volume_run
	run_robbe volume ls -q -f name=^ctr-data$
	assert_output ""
	# busybox's /etc holds passwd: an empty volume over it gets a copy.
	run_robbe run --rm -v ctr-data:/etc "$(IMG)" cat /etc/passwd
	assert_contains "$output" "root:x:0:0"
	run_robbe volume inspect -f '{{.Name}} {{json .Labels}}' ctr-data
	assert_output "ctr-data null"
	[ -f "$(mountpoint_of ctr-data)/passwd" ] || die "no copy of passwd in the volume"
	# Data written stays for the next container, and no copy over it.
	run_robbe run --rm -v ctr-data:/etc "$(IMG)" sh -c 'echo kept > /etc/mine; rm /etc/group'
	run_robbe run --rm -v ctr-data:/etc "$(IMG)" sh -c 'cat /etc/mine; ls /etc/group 2>&1 || true'
	assert_line 0 "kept"
	assert_contains "$output" "No such file"
	# nocopy leaves a new volume empty (robbe's hosts, hostname and
	# resolv.conf are mounted over it, not copied).
	run_robbe run --rm -v ctr-empty:/etc:nocopy "$(IMG)" sh -c 'test -e /etc/passwd || echo none'
	assert_output "none"
	[ ! -e "$(mountpoint_of ctr-empty)/passwd" ] || die "nocopy copied passwd"
	robbe volume rm ctr-data ctr-empty >/dev/null
}

@test "a volume in use is refused by rm and skipped by prune" {
	needs_volume_run
	local id
	id=$(robbe create -v ctr-busy:/data "$(IMG)" true)
	run_robbe 1 volume rm ctr-busy
	assert_output "Error response from daemon: remove ctr-busy: volume is in use - [$id]"
	run_robbe 1 volume rm -f ctr-busy
	assert_output "Error response from daemon: remove ctr-busy: volume is in use - [$id]"
	run_robbe volume prune -a -f
	assert_not_contains "$output" "ctr-busy"
	run_robbe volume ls -q -f dangling=false
	assert_output "ctr-busy"
	run_robbe container inspect -f '{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.Mode}} {{.RW}}{{end}}' "$id"
	assert_output "volume ctr-busy /data z true"
	robbe rm "$id" >/dev/null
	run_robbe volume rm ctr-busy
	assert_output "ctr-busy"
}

@test "anonymous volumes: -v /path, removed by run --rm and rm -v" {
	needs_volume_run
	local before id anon
	before=$(robbe volume ls -q | wc -l)
	run_robbe run --rm -v /scratch "$(IMG)" sh -c 'echo x > /scratch/f'
	assert_equal "$(robbe volume ls -q | wc -l)" "$before" "run --rm left no volume"
	id=$(robbe create -v /scratch "$(IMG)" true)
	anon=$(robbe container inspect -f '{{range .Mounts}}{{.Name}}{{end}}' "$id")
	[[ "$anon" =~ ^[0-9a-f]{64}$ ]] || die "anonymous volume name: $anon"
	robbe rm "$id" >/dev/null
	run_robbe volume inspect -f '{{.Name}}' "$anon"
	assert_output "$anon"
	robbe volume rm "$anon" >/dev/null
	id=$(robbe create -v /scratch "$(IMG)" true)
	anon=$(robbe container inspect -f '{{range .Mounts}}{{.Name}}{{end}}' "$id")
	robbe rm -v "$id" >/dev/null
	run_robbe 1 volume inspect "$anon"
	# A named volume survives rm -v.
	id=$(robbe create -v keep-named:/data "$(IMG)" true)
	robbe rm -v "$id" >/dev/null
	run_robbe volume rm keep-named
}

@test "bind mounts: -v /host:/ctr[:ro], created when missing" {
	needs_volume_run
	local host="$BATS_FILE_TMPDIR/bind-src"
	mkdir -p "$host"
	echo from-host >"$host/f"
	run_robbe run --rm -v "$host:/mnt:ro" "$(IMG)" cat /mnt/f
	assert_output "from-host"
	run_robbe 1 run --rm -v "$host:/mnt:ro" "$(IMG)" sh -c 'echo x > /mnt/g'
	assert_contains "$output" "Read-only file system"
	run_robbe run --rm -v "$host:/mnt" "$(IMG)" sh -c 'echo from-ctr > /mnt/g'
	assert_equal "$(cat "$host/g")" "from-ctr"
	run_robbe run --rm -v "$BATS_FILE_TMPDIR/made/here:/mnt" "$(IMG)" true
	[ -d "$BATS_FILE_TMPDIR/made/here" ] || die "the missing host directory was not created"
}

@test "--mount: bind, volume, tmpfs and Docker's errors" {
	needs_volume_run
	local host="$BATS_FILE_TMPDIR/mnt-src"
	mkdir -p "$host"
	echo m >"$host/f"
	run_robbe run --rm --mount "type=bind,src=$host,dst=/b,readonly" "$(IMG)" cat /b/f
	assert_output "m"
	run_robbe run --rm --mount type=volume,src=mnt-vol,dst=/v "$(IMG)" sh -c 'echo v > /v/f'
	run_robbe run --rm --mount source=mnt-vol,target=/v "$(IMG)" cat /v/f
	assert_output "v"
	run_robbe run --rm --mount type=tmpfs,dst=/t,tmpfs-size=1m "$(IMG)" sh -c 'grep " /t " /proc/mounts'
	assert_contains "$output" "tmpfs /t tmpfs"
	assert_contains "$output" "size=1024k"
	run_robbe 125 run --rm --mount type=bind,src=/nonexistent-robbe,dst=/b "$(IMG)" true
	assert_line 0 'robbe: Error response from daemon: invalid mount config for type "bind": bind source path does not exist: /nonexistent-robbe'
	run_robbe 125 run --rm --mount type=bind "$(IMG)" true
	assert_line 0 'invalid argument "type=bind" for "--mount" flag: target is required'
	run_robbe 125 run --rm -v va:/x -v vb:/x "$(IMG)" true
	assert_line 0 "robbe: Error response from daemon: Duplicate mount point: /x"
	robbe volume rm mnt-vol >/dev/null
}

@test "--volumes-from takes another container's volumes" {
	needs_volume_run
	local src
	src=$(robbe create -v from-vol:/shared -v /anon "$(IMG)" true)
	run_robbe run --rm --volumes-from "$src" "$(IMG)" sh -c 'echo hi > /shared/f; echo a > /anon/f'
	run_robbe 1 run --rm --volumes-from "$src:ro" "$(IMG)" sh -c 'cat /shared/f; echo x > /shared/g'
	assert_line 0 "hi"
	assert_contains "$output" "Read-only file system"
	run_robbe 125 run --rm --volumes-from nosuchctr "$(IMG)" true
	assert_contains "$output" "No such container: nosuchctr"
	robbe rm -v "$src" >/dev/null
	robbe volume rm from-vol >/dev/null
}

@test "a tmpfs volume (-o type=tmpfs) mounts a tmpfs" {
	needs_volume_run
	robbe volume create -o type=tmpfs -o device=tmpfs -o o=size=2m tv-vol >/dev/null
	run_robbe run --rm -v tv-vol:/t "$(IMG)" sh -c 'grep " /t " /proc/mounts'
	assert_contains "$output" "tmpfs /t tmpfs"
	assert_contains "$output" "size=2048k"
	robbe volume rm tv-vol >/dev/null
}
