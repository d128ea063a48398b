#!/usr/bin/env bats
# Images: pull (display, parallel verified layers, formats, platforms,
# hostile and broken registries, kill -9, concurrency), images, rmi, tag,
# inspect, history, prune, exists.  Test images go straight into the suite's
# open registry under img010/ (helpers.image.bash).

load helpers
load helpers.image
bats_require_minimum_version 1.5.0

REG() { echo "$ROBBE_TEST_REGISTRY"; }

setup_file() {
	robbe_file_setup
	local reg=$ROBBE_TEST_REGISTRY d=$BATS_FILE_TMPDIR
	make_test_image "$reg" img010/busybox:latest > "$d/busybox.json"
	make_test_image "$reg" img010/busybox:1 --label version=1 --extra-layer one > "$d/busybox1.json"
	make_test_image "$reg" img010/zstd:latest --oci --compression zstd --label kind=zstd > "$d/zstd.json"
	make_test_image "$reg" img010/plain:latest --oci --compression none --label kind=plain > "$d/plain.json"
	make_test_image "$reg" img010/multi:latest --index > "$d/multi.json"
	make_test_image "$reg" img010/badid:latest --bad-diff-id --label kind=badid > "$d/badid.json"
	make_test_image "$reg" img010/dotdot:latest --evil dotdot > "$d/dotdot.json"
	make_test_image "$reg" img010/symlink:latest --evil symlink > "$d/symlink.json"
	make_test_image "$reg" img010/big:latest --big 200 --label kind=big > "$d/big.json"
}

# Every test starts from an empty store.
setup() {
	rm -rf "$ROBBE_ROOT" "$ROBBE_RUNROOT"
}

info() { cat "$BATS_FILE_TMPDIR/$1.json"; }
image_id() { json_get "$(info "$1")" config; }
manifest_digest() { json_get "$(info "$1")" digest; }

# No half-made files in the store: no partial blobs, no unfinished layers.
assert_no_leftovers() {
	local left
	left=$(find "$ROBBE_ROOT/blobs" "$ROBBE_ROOT/overlay" -maxdepth 1 \( -name '.partial-*' -o -name '.tmp-*' \) 2>/dev/null)
	[ -z "$left" ] || die "left behind: $left"
}

assert_no_images() {
	run_robbe images -q
	assert_output ""
}

# ---- pull ----------------------------------------------------------------

@test "pull: Docker's plain output, then up to date" {
	local repo="$(REG)/img010/busybox" digest l0 l1
	digest=$(manifest_digest busybox)
	l0=$(json_get "$(info busybox)" layers 0 | cut -c8-19)
	l1=$(json_get "$(info busybox)" layers 1 | cut -c8-19)

	run -0 --separate-stderr robbe pull "$repo"
	assert_equal "$stderr" "" "stderr"
	assert_line 0 "Using default tag: latest"
	assert_line 1 "latest: Pulling from img010/busybox"
	assert_line 2 "$l0: Pulling fs layer"
	assert_line 3 "$l1: Pulling fs layer"
	assert_contains "$output" "$l0: Download complete"
	assert_contains "$output" "$l1: Download complete"
	# extraction in layer order
	[[ "$output" == *"$l0: Pull complete"*"$l1: Pull complete"* ]] || die "pull order: $output"
	assert_equal "${lines[-3]}" "Digest: $digest"
	assert_equal "${lines[-2]}" "Status: Downloaded newer image for $repo:latest"
	assert_equal "${lines[-1]}" "$repo:latest"
	for line in "${lines[@]}"; do
		case $line in
			*Downloading* | *Extracting* | *$'\e'*) die "progress in plain output: $line" ;;
		esac
	done

	run_robbe pull "$repo:latest"
	assert_output "latest: Pulling from img010/busybox
Digest: $digest
Status: Image is up to date for $repo:latest
$repo:latest"

	run_robbe pull -q "$repo"
	assert_output "$repo:latest"
	assert_no_leftovers
}

@test "pull: the layers on disk, whiteouts included" {
	local repo="$(REG)/img010/busybox" upper lower
	run_robbe pull -q "$repo"
	upper=$(robbe image inspect -f '{{.GraphDriver.Data.UpperDir}}' "$repo")
	lower=$(robbe image inspect -f '{{.GraphDriver.Data.LowerDir}}' "$repo")
	[ -x "$lower/bin/busybox" ] || die "no busybox in $lower"
	[ -L "$lower/bin/vi" ] || die "no vi link in the base layer"
	assert_equal "$(cat "$upper/robbe/hello.txt")" "hello from layer 2"
	# /bin/vi is whited out as overlayfs wants it: a 0:0 character device
	[ -c "$upper/bin/vi" ] || die "no whiteout for bin/vi"
	assert_equal "$(stat -c %t:%T "$upper/bin/vi")" "0:0"
	# the compressed blobs are kept, named by digest
	for d in $(json_get "$(info busybox)" layers 0) $(json_get "$(info busybox)" layers 1); do
		[ -f "$ROBBE_ROOT/blobs/sha256/${d#sha256:}" ] || die "no blob $d"
	done
}

@test "pull: zstd and uncompressed layers" {
	run_robbe pull -q "$(REG)/img010/zstd"
	run_robbe pull -q "$(REG)/img010/plain"
	for repo in zstd plain; do
		run_robbe image inspect -f '{{.Id}} {{index .Config.Labels "kind"}}' "$(REG)/img010/$repo"
		assert_output "$(image_id $repo) $repo"
		upper=$(robbe image inspect -f '{{.GraphDriver.Data.UpperDir}}' "$(REG)/img010/$repo")
		assert_equal "$(cat "$upper/robbe/hello.txt")" "hello from layer 2"
	done
}

@test "pull: a second image shares the base layer: Already exists" {
	local l0 l1 l2
	run_robbe pull -q "$(REG)/img010/busybox"
	l0=$(json_get "$(info busybox1)" layers 0 | cut -c8-19)
	l2=$(json_get "$(info busybox1)" layers 2 | cut -c8-19)
	run_robbe pull "$(REG)/img010/busybox:1"
	assert_line 0 "1: Pulling from img010/busybox"
	assert_line 1 "$l0: Already exists"
	assert_contains "$output" "$l2: Pull complete"
	assert_not_contains "$output" "$l0: Pulling fs layer"
	run_robbe images --format '{{.Repository}}:{{.Tag}}'
	assert_equal "$(echo "$output" | sort)" "$(REG)/img010/busybox:1
$(REG)/img010/busybox:latest"
}

@test "pull: by digest" {
	local repo="$(REG)/img010/busybox" digest
	digest=$(manifest_digest busybox)
	run_robbe pull "$repo@$digest"
	assert_line 0 "$repo@$digest: Pulling from img010/busybox"
	assert_equal "${lines[-2]}" "Status: Downloaded newer image for $repo@$digest"
	assert_equal "${lines[-1]}" "$repo@$digest"
	run_robbe images --digests --format '{{.Repository}} {{.Tag}} {{.Digest}} {{.ID}}'
	assert_output "$repo <none> $digest $(image_id busybox | cut -c8-19)"
	run_robbe image inspect -f '{{json .RepoTags}} {{json .RepoDigests}}' "$repo@$digest"
	assert_output "[] [\"$repo@$digest\"]"
}

@test "pull: an OCI index picks the platform" {
	local repo="$(REG)/img010/multi" amd arm
	amd=$(json_get "$(info multi)" amd64 config)
	arm=$(json_get "$(info multi)" arm64 config)
	run_robbe pull "$repo"
	assert_equal "${lines[-3]}" "Digest: $(manifest_digest multi)"
	run_robbe image inspect -f '{{.Id}} {{.Architecture}} {{index .Config.Labels "arch"}}' "$repo"
	assert_output "$amd amd64 amd64"

	run_robbe pull -q --platform linux/arm64 "$repo"
	run_robbe image inspect -f '{{.Id}} {{.Architecture}} {{index .Config.Labels "arch"}}' "$repo"
	assert_output "$arm arm64 arm64"
	# the amd64 image lost its tag but keeps its digest reference
	run_robbe images --format '{{.ID}} {{.Tag}}'
	assert_contains "$output" "$(echo "$arm" | cut -c8-19) latest"

	run_robbe 1 pull --platform linux/s390x "$repo"
	assert_contains "$output" "no matching manifest for linux/s390x in the manifest list entries"
}

@test "pull: errors are the daemon's" {
	run_robbe 1 pull "$(REG)/img010/busybox:nosuch"
	assert_output "Error response from daemon: manifest for $(REG)/img010/busybox:nosuch not found: manifest unknown: manifest unknown"
	run_robbe 1 pull "$(REG)/img010/nosuch"
	assert_line 0 "Using default tag: latest"
	assert_line 1 "Error response from daemon: manifest for $(REG)/img010/nosuch:latest not found: manifest unknown: manifest unknown"
	run_robbe 1 pull "$ROBBE_TEST_AUTH_REGISTRY/img010/busybox"
	assert_contains "$output" "Error response from daemon: "
	assert_contains "$output" "docker login"
	run_robbe 1 pull "Bad/Name"
	assert_output "invalid reference format: repository name (Name) must be lowercase"
	run_robbe 1 pull -a "$(REG)/img010/busybox:1"
	assert_output "tag can't be used with --all-tags/-a"
	assert_no_images
}

@test "pull -a: every tag of the repository" {
	local repo="$(REG)/img010/busybox"
	run_robbe pull -a "$repo"
	assert_contains "$output" "1: Pulling from img010/busybox"
	assert_contains "$output" "latest: Pulling from img010/busybox"
	assert_equal "${lines[-2]}" "Status: Downloaded newer image for $repo"
	assert_equal "${lines[-1]}" "$repo"
	run_robbe images --format '{{.Tag}}' "$repo"
	assert_equal "$(echo "$output" | sort | tr '\n' ' ')" "1 latest "
}

@test "pull: a blob whose bytes do not match its digest fails, nothing recorded" {
	local repo="$(REG)/img010/flip" info digest
	# a layer of its own: registries share blobs between repositories
	info=$(make_test_image "$(REG)" img010/flip:latest --label kind=flip --extra-layer "flip $RANDOM$RANDOM")
	digest=$(json_get "$info" layers 2)
	corrupt_registry_blob "$digest" flip
	run_robbe 1 pull "$repo"
	assert_contains "$output" "digest mismatch"
	assert_contains "$output" "$digest"
	assert_not_contains "$output" "Status:"
	assert_no_images
	assert_no_leftovers
	[ ! -e "$ROBBE_ROOT/blobs/sha256/${digest#sha256:}" ] || die "bad blob kept"
}

@test "pull: a truncated blob fails cleanly" {
	local repo="$(REG)/img010/trunc" info digest
	info=$(make_test_image "$(REG)" img010/trunc:latest --label kind=trunc --big 1)
	digest=$(json_get "$info" layers 2)
	corrupt_registry_blob "$digest" truncate
	run_robbe 1 pull "$repo"
	assert_contains "$output" "$digest"
	assert_no_images
	assert_no_leftovers
}

@test "pull: layer content that does not match the config's diff ID" {
	run_robbe 1 pull "$(REG)/img010/badid"
	assert_contains "$output" "failed to register layer"
	assert_contains "$output" "diff ID"
	assert_no_images
	assert_no_leftovers
}

@test "pull: layers that try to escape the root are refused" {
	for kind in dotdot symlink; do
		rm -f /tmp/escaped.txt "$ROBBE_ROOT/escaped.txt"
		run_robbe 1 pull "$(REG)/img010/$kind"
		assert_contains "$output" "failed to register layer"
		assert_no_images
		assert_no_leftovers
		[ ! -e /tmp/escaped.txt ] || die "$kind: a file escaped to /tmp"
		[ -z "$(find "$ROBBE_ROOT" -name escaped.txt)" ] || die "$kind: escaped.txt written"
	done
}

@test "pull: kill -9 half-way leaves nothing visible; the next pull works" {
	local repo="$(REG)/img010/big" pid
	robbe pull "$repo" > "$BATS_TEST_TMPDIR/pull.out" 2>&1 &
	pid=$!
	# wait until the big layer is on its way, then kill
	for _ in $(seq 1 200); do
		grep -q "Download complete" "$BATS_TEST_TMPDIR/pull.out" && break
		sleep 0.05
	done
	sleep 0.2
	kill -9 "$pid"
	wait "$pid" || true
	if grep -q '^Status:' "$BATS_TEST_TMPDIR/pull.out"; then
		skip "the pull finished before it could be killed"
	fi
	run_robbe images -q
	assert_output ""
	assert_no_leftovers
	run_robbe pull -q "$repo"
	assert_output "$repo:latest"
	run_robbe image inspect -f '{{.Id}}' "$repo"
	assert_output "$(image_id big)"
	assert_no_leftovers
}

@test "pull: four at once of the same image" {
	local repo="$(REG)/img010/busybox" i
	for i in 1 2 3 4; do
		robbe pull "$repo" > "$BATS_TEST_TMPDIR/p$i.out" 2>&1 &
	done
	for i in 1 2 3 4; do
		wait -n || die "a pull failed: $(cat "$BATS_TEST_TMPDIR"/p*.out)"
	done
	for i in 1 2 3 4; do
		assert_equal "$(tail -1 "$BATS_TEST_TMPDIR/p$i.out")" "$repo:latest"
	done
	run_robbe images -q
	assert_output "$(image_id busybox | cut -c8-19)"
	assert_no_leftovers
	run_robbe image inspect -f '{{.Size}}' "$repo"
	[ "$output" -gt 1000000 ] || die "size $output"
}

@test "pull and rmi at once keep the store consistent" {
	local repo="$(REG)/img010/busybox" i
	run_robbe pull -q "$repo"
	for i in 1 2 3; do
		robbe pull -q "$repo:1" > /dev/null 2>&1 &
		robbe rmi -f "$repo" > /dev/null 2>&1 || true
		wait
		run_robbe pull -q "$repo"
		upper=$(robbe image inspect -f '{{.GraphDriver.Data.LowerDir}}' "$repo:1")
		for dir in ${upper//:/ }; do
			[ -d "$dir" ] || die "round $i: layer $dir of $repo:1 is gone"
		done
	done
}

# ---- images --------------------------------------------------------------

@test "images: Docker's table, -q, --no-trunc, --digests" {
	local repo="$(REG)/img010/busybox" id
	id=$(image_id busybox)
	run_robbe pull -q "$repo"
	run_robbe images
	assert_line 0 "$(printf '%-*s' $((${#repo} + 3)) REPOSITORY)TAG       IMAGE ID       CREATED       SIZE"
	[[ ${lines[1]} =~ ^$repo\ +latest\ +${id:7:12}\ +[0-9]+\ years?\ ago\ +[0-9.]+MB$ ]] || die "row: ${lines[1]}"
	# the columns line up: every row starts its TAG where the header does
	[ "${lines[1]:$((${#repo} + 3)):6}" = "latest" ] || die "misaligned: $output"

	run_robbe tag "$repo" other:2
	run_robbe images -q
	assert_output "${id:7:12}
${id:7:12}"
	run_robbe images --no-trunc --format '{{.ID}}'
	assert_line 0 "$id"
	run_robbe images --digests --format '{{.Repository}} {{.Tag}} {{.Digest}}' "$repo"
	assert_output "$repo latest $(manifest_digest busybox)"
	run_robbe images --digests
	assert_line 0 "$(printf '%-*s' $((${#repo} + 3)) REPOSITORY)TAG       DIGEST                                                                    IMAGE ID       CREATED       SIZE"
}

@test "images: --format json and templates" {
	local repo="$(REG)/img010/busybox"
	run_robbe pull -q "$repo"
	run_robbe images --format json
	python3 -c 'import json,sys
o = json.loads(sys.argv[1])
assert list(o) == ["Containers","CreatedAt","CreatedSince","Digest","ID","Repository","SharedSize","Size","Tag","UniqueSize","VirtualSize"], list(o)
assert o["Digest"] == "<none>" and o["Tag"] == "latest" and o["Containers"] == "N/A"' "$output"
	assert_contains "$output" '"Digest":"\u003cnone\u003e"'
	run_robbe images --format 'table {{.Repository}}\t{{.Size}}'
	assert_line 0 "$(printf '%-*s' $((${#repo} + 3)) REPOSITORY)SIZE"
	run_robbe images --format '{{.CreatedAt}}'
	[[ $output =~ ^2024-01-02\ [0-9:]+\ [-+][0-9]{4}\ [A-Z]+$ ]] || die "CreatedAt: $output"
	run_robbe 1 images --format '{{.Nope'
	assert_contains "$output" "template parsing error"
}

@test "images: filters and the repository argument" {
	local repo="$(REG)/img010/busybox"
	run_robbe pull -q "$repo"
	run_robbe pull -q "$repo:1"
	run_robbe pull -q "$(REG)/img010/zstd"
	run_robbe images --format '{{.Tag}}' "$repo"
	assert_equal "$(echo "$output" | sort | tr '\n' ' ')" "1 latest "
	run_robbe images --format '{{.Tag}}' "$repo:1"
	assert_output "1"
	run_robbe images --format '{{.Repository}}' --filter "reference=*/img010/zst*"
	assert_output "$(REG)/img010/zstd"
	run_robbe images --format '{{.Tag}}' --filter label=version=1
	assert_output "1"
	run_robbe images --format '{{.Tag}}' --filter label=kind --filter label=org.robbe.test
	assert_output "latest"
	run_robbe images -q --filter dangling=true
	assert_output ""
	run_robbe 1 images --filter nope=1
	assert_output "Error response from daemon: invalid filter 'nope'"
	run_robbe 1 images --filter dangling=maybe
	assert_output "Error response from daemon: invalid filter 'dangling=[maybe]'"
	run_robbe 1 images --filter before=nothere
	assert_output "Error response from daemon: No such image: nothere:latest"

	# a tag moved away leaves a dangling image, still known by its digest
	run_robbe tag "$(REG)/img010/zstd" "$repo:1"
	run_robbe images --filter dangling=true --format '{{.Repository}} {{.Tag}}'
	assert_output "$repo <none>"
	run_robbe images --filter dangling=false --format '{{.Tag}}'
	assert_equal "$(echo "$output" | sort | tr '\n' ' ')" "1 <none> latest latest "
}

@test "images: before and since follow the creation times" {
	run_robbe pull -q "$(REG)/img010/busybox"
	run_robbe images --filter since="$(REG)/img010/busybox" -q
	assert_output ""
	run_robbe images --filter before="$(REG)/img010/busybox" -q
	assert_output ""
	run_robbe images --filter until=2024-01-03 -q
	assert_output "$(image_id busybox | cut -c8-19)"
	run_robbe images --filter until=2024-01-01 -q
	assert_output ""
}

# ---- tag, rmi --------------------------------------------------------------

@test "tag: names and Docker's errors" {
	local repo="$(REG)/img010/busybox" id
	id=$(image_id busybox)
	run_robbe pull -q "$repo"
	run_robbe tag "$repo" mine
	run_robbe tag "${id:7:12}" mine:two
	run_robbe tag "$id" docker.io/library/mine:three
	run_robbe image inspect -f '{{json .RepoTags}}' mine
	assert_output "[\"$repo:latest\",\"mine:latest\",\"mine:three\",\"mine:two\"]"
	run_robbe 1 tag nothere x
	assert_output "Error response from daemon: No such image: nothere:latest"
	run_robbe 1 tag "$repo" Bad
	assert_output 'Error parsing reference: "Bad" is not a valid repository/tag: invalid reference format: repository name (library/Bad) must be lowercase'
	run_robbe 1 tag "$repo" "x@$(manifest_digest busybox)"
	assert_output "refusing to create a tag with a digest reference"
}

@test "rmi: untag, delete, and the layers go from the disk" {
	local repo="$(REG)/img010/busybox" id digest upper
	id=$(image_id busybox)
	digest=$(manifest_digest busybox)
	run_robbe pull -q "$repo"
	upper=$(robbe image inspect -f '{{.GraphDriver.Data.UpperDir}}' "$repo")
	run_robbe tag "$repo" mine
	run_robbe rmi mine
	assert_output "Untagged: mine:latest"
	run_robbe rmi "$repo"
	assert_line 0 "Untagged: $repo:latest"
	assert_line 1 "Untagged: $repo@$digest"
	assert_line 2 "Deleted: $id"
	[[ ${lines[3]} =~ ^Deleted:\ sha256:[0-9a-f]{64}$ ]] || die "line 3: ${lines[3]}"
	[[ ${lines[4]} =~ ^Deleted:\ sha256:[0-9a-f]{64}$ ]] || die "line 4: ${lines[4]}"
	assert_equal "${#lines[@]}" 5
	assert_no_images
	[ ! -e "$upper" ] || die "layer $upper still on disk"
	[ -z "$(ls "$ROBBE_ROOT/blobs/sha256")" ] || die "blobs left: $(ls "$ROBBE_ROOT/blobs/sha256")"
	[ -z "$(ls "$ROBBE_ROOT/overlay" | grep -v '^l$')" ] || die "layers left: $(ls "$ROBBE_ROOT/overlay")"
}

@test "rmi: by ID, several repositories need -f" {
	local repo="$(REG)/img010/busybox" id
	id=$(image_id busybox)
	run_robbe pull -q "$repo"
	run_robbe tag "$repo" mine
	run_robbe 1 rmi "${id:7:12}"
	assert_output "Error response from daemon: conflict: unable to delete ${id:7:12} (must be forced) - image is referenced in multiple repositories"
	run_robbe rmi -f "${id:7:12}"
	assert_line 0 "Untagged: $repo:latest"
	assert_line 1 "Untagged: $repo@$(manifest_digest busybox)"
	assert_line 2 "Untagged: mine:latest"
	assert_line 3 "Deleted: $id"
	assert_no_images
}

@test "rmi: a shared layer stays while another image uses it" {
	local l0
	run_robbe pull -q "$(REG)/img010/busybox"
	run_robbe pull -q "$(REG)/img010/busybox:1"
	l0=$(robbe image inspect -f '{{.GraphDriver.Data.LowerDir}}' "$(REG)/img010/busybox:1" | tr ':' '\n' | tail -1)
	run_robbe rmi "$(REG)/img010/busybox"
	[ -x "$l0/bin/busybox" ] || die "base layer removed"
	run_robbe image inspect -f '{{.Id}}' "$(REG)/img010/busybox:1"
	assert_output "$(image_id busybox1)"
}

@test "rmi: missing images, several arguments, -f" {
	run_robbe pull -q "$(REG)/img010/busybox"
	run_robbe 1 rmi nothere
	assert_output "Error response from daemon: No such image: nothere:latest"
	run -1 --separate-stderr robbe rmi nothere "$(REG)/img010/busybox" also:2
	assert_equal "$stderr" "Error response from daemon: No such image: nothere:latest
Error response from daemon: No such image: also:2"
	assert_contains "$output" "Untagged: $(REG)/img010/busybox:latest"
	assert_no_images
	run -0 --separate-stderr robbe rmi -f nothere
	assert_equal "$stderr" "Error response from daemon: No such image: nothere:latest"
	assert_equal "$output" ""
}

# ---- inspect, history, exists --------------------------------------------

@test "image inspect: Docker's shape" {
	local repo="$(REG)/img010/busybox"
	run_robbe pull -q "$repo"
	run_robbe image inspect "$repo"
	python3 - "$output" "$(image_id busybox)" "$repo" "$(manifest_digest busybox)" "$(json_get "$(info busybox)" layers 0)" <<'PY'
import json, sys
out, iid, repo, digest = sys.argv[1:5]
a = json.loads(out)
assert isinstance(a, list) and len(a) == 1
o = a[0]
keys = ["Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "DockerVersion", "Author", "Config",
        "Architecture", "Os", "Size", "GraphDriver", "RootFS", "Metadata"]
assert list(o) == keys, list(o)
assert o["Id"] == iid
assert o["RepoTags"] == [repo + ":latest"]
assert o["RepoDigests"] == [repo + "@" + digest]
assert o["Created"] == "2024-01-02T03:04:05.123456789Z"
assert o["Author"] == "robbe tests" and o["Comment"] == "robbe test"
assert o["Config"]["Cmd"] == ["sh"] and o["Config"]["WorkingDir"] == "/"
assert list(o["Config"]["Labels"]) == ["maintainer", "org.robbe.test"]
assert o["Architecture"] == "amd64" and o["Os"] == "linux"
assert o["Size"] > 1000000
assert o["GraphDriver"]["Name"] == "overlay2"
assert list(o["GraphDriver"]["Data"]) == ["LowerDir", "MergedDir", "UpperDir", "WorkDir"]
assert o["RootFS"]["Type"] == "layers" and len(o["RootFS"]["Layers"]) == 2
assert o["Metadata"] == {"LastTagTime": "0001-01-01T00:00:00Z"}
PY
	[[ $output == "["$'\n'"    {"$'\n'"        \"Id\": "* ]] || die "not indented as Docker: $output"

	run_robbe image inspect -f '{{.Os}}/{{.Architecture}} {{.Config.Cmd}} {{json .Config.Env}}' "$repo"
	assert_output 'linux/amd64 [sh] ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]'
	run_robbe image inspect -f '{{.ID}} {{.Id}}' "$repo"
	assert_output "$(image_id busybox) $(image_id busybox)"
}

@test "image inspect: missing images, templates, several arguments" {
	local repo="$(REG)/img010/busybox"
	run_robbe pull -q "$repo"
	run -1 --separate-stderr robbe image inspect nothere
	assert_equal "$output" "[]"
	assert_equal "$stderr" "Error response from daemon: No such image: nothere:latest"
	run -1 --separate-stderr robbe image inspect -f '{{.Os}}' "$repo" nothere "$repo"
	assert_equal "$output" "linux
linux"
	assert_equal "$stderr" "Error response from daemon: No such image: nothere:latest"
	run_robbe 64 image inspect -f '{{.Os' "$repo"
	assert_contains "$output" "template parsing error"
	run_robbe image inspect --format json "$repo"
	[[ $output == '[{"Id":"'* ]] || die "json: $output"
}

@test "inspect: images without --type, Docker's errors" {
	local repo="$(REG)/img010/busybox"
	run_robbe pull -q "$repo"
	run_robbe inspect -f '{{.Id}}' "$repo"
	assert_output "$(image_id busybox)"
	run_robbe inspect --type image -f '{{.Id}}' "$repo"
	assert_output "$(image_id busybox)"
	run -1 --separate-stderr robbe inspect nothere
	assert_equal "$output" "[]"
	assert_equal "$stderr" "Error: No such object: nothere"
	run -1 --separate-stderr robbe inspect --type image nothere
	assert_equal "$stderr" "Error response from daemon: No such image: nothere:latest"
	run_robbe 1 inspect --type bogus x
	assert_output 'unknown type: "bogus": must be one of "config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"'
}

@test "history: Docker's table, -q, --no-trunc, -H=false, --format" {
	local repo="$(REG)/img010/busybox" id
	id=$(image_id busybox)
	run_robbe pull -q "$repo"
	run_robbe history "$repo"
	assert_line 0 "IMAGE          CREATED       CREATED BY                                 SIZE      COMMENT"
	[[ ${lines[1]} =~ ^${id:7:12}\ +[0-9]+\ years?\ ago\ +/bin/sh\ -c\ echo\ layer\ 2\ +19B\ +robbe\ test$ ]] || die "line 1: ${lines[1]}"
	[[ ${lines[2]} == "<missing>      "*" ago   /bin/sh -c #(nop)  CMD [\"sh\"]              0B        " ]] || die "line 2: ${lines[2]}"
	[[ ${lines[3]} == "<missing>      "*" ago   /bin/sh -c #(nop) ADD file:busybox in /    1.98MB    " ]] || die "line 3: ${lines[3]}"
	run_robbe history -q "$repo"
	assert_output "${id:7:12}
<missing>
<missing>"
	run_robbe history --no-trunc -H=false --format '{{.ID}}|{{.CreatedSince}}|{{.Size}}' "$repo"
	assert_line 0 "$id|2024-01-02T03:04:05Z|19"
	run_robbe history --format json "$repo"
	python3 -c 'import json,sys
o = json.loads(sys.argv[1].splitlines()[0])
assert list(o) == ["Comment","CreatedAt","CreatedBy","CreatedSince","ID","Size"], list(o)' "$output"
	run_robbe 1 history nothere
	assert_output "Error response from daemon: No such image: nothere:latest"
}

@test "image exists: 0 or 1, no output" {
	run_robbe 1 image exists "$(REG)/img010/busybox"
	assert_output ""
	run_robbe pull -q "$(REG)/img010/busybox"
	run_robbe image exists "$(REG)/img010/busybox"
	assert_output ""
	run_robbe image exists "$(image_id busybox | cut -c8-20)"
	run_robbe 1 image exists nothere:tag
	assert_output ""
}

# ---- prune ---------------------------------------------------------------

@test "image prune: dangling only, -a, the prompt" {
	local repo="$(REG)/img010/busybox" id1
	id1=$(image_id busybox1)
	run_robbe pull -q "$repo"
	run_robbe pull -q "$repo:1"
	run_robbe rmi "$repo:1"
	run_robbe image prune -f
	assert_output "Total reclaimed space: 0B"

	# a dangling image: the tag moves to another one
	run_robbe pull -q "$repo:1"
	run_robbe tag "$repo" "$repo:1"
	run_robbe images --filter dangling=true -q
	assert_output "${id1:7:12}"
	run bash -c "echo n | robbe image prune"
	assert_output "WARNING! This will remove all dangling images.
Are you sure you want to continue? [y/N] "
	run_robbe images -q --filter dangling=true
	assert_output "${id1:7:12}"
	run bash -c "echo y | robbe image prune"
	[ "$status" -eq 0 ] || die "$output"
	assert_line 0 "WARNING! This will remove all dangling images."
	assert_line 1 "Are you sure you want to continue? [y/N] Deleted Images:"
	assert_line 2 "untagged: $repo@$(manifest_digest busybox1)"
	assert_line 3 "deleted: $id1"
	[[ ${lines[4]} =~ ^deleted:\ sha256:[0-9a-f]{64}$ ]] || die "line 4: ${lines[4]}"
	[[ ${lines[-1]} =~ ^Total\ reclaimed\ space:\ [0-9.]+[kM]?B$ ]] || die "last: ${lines[-1]}"
	run_robbe images --format '{{.Tag}}'
	assert_equal "$(echo "$output" | sort | tr '\n' ' ')" "1 latest "

	run_robbe image prune -a -f
	assert_line 0 "Deleted Images:"
	assert_contains "$output" "untagged: $repo:1"
	assert_contains "$output" "deleted: $(image_id busybox)"
	[[ ${lines[-1]} =~ ^Total\ reclaimed\ space:\ [0-9.]+MB$ ]] || die "last: ${lines[-1]}"
	assert_no_images
	run_robbe 1 image prune -f --filter bogus=1
	assert_output "Error response from daemon: invalid filter 'bogus'"
}

@test "image prune: label and until filters" {
	run_robbe pull -q "$(REG)/img010/busybox"
	run_robbe pull -q "$(REG)/img010/zstd"
	run_robbe image prune -a -f --filter label=kind=zstd
	assert_contains "$output" "untagged: $(REG)/img010/zstd:latest"
	assert_not_contains "$output" "img010/busybox"
	run_robbe image prune -a -f --filter until=2020-01-01
	assert_output "Total reclaimed space: 0B"
	run_robbe images -q
	assert_output "$(image_id busybox | cut -c8-19)"
}

@test "rmi: an image a container uses" {
	local repo="$(REG)/img010/busybox" id cid
	id=$(image_id busybox)
	run_robbe pull -q "$repo"
	run robbe create --name img010-user "$repo"
	[ "$status" -eq 0 ] || skip "create does not work here: $output"
	cid=${lines[-1]}
	run_robbe 1 rmi "$repo"
	assert_output "Error response from daemon: conflict: unable to remove repository reference \"$repo\" (must force) - container ${cid:0:12} is using its referenced image ${id:7:12}"
	run_robbe 1 rmi "${id:7:12}"
	assert_output "Error response from daemon: conflict: unable to delete ${id:7:12} (must be forced) - image is being used by stopped container ${cid:0:12}"
	run_robbe 1 rmi -f "${id:7:12}"
	assert_output "Error response from daemon: conflict: unable to delete ${id:7:12} (cannot be forced) - image is being used by stopped container ${cid:0:12}"
	# by name with -f: the name goes, the image stays for the container
	run_robbe rmi -f "$repo"
	assert_output "Untagged: $repo:latest
Untagged: $repo@$(manifest_digest busybox)"
	run_robbe images --format '{{.Repository}} {{.Tag}} {{.ID}}'
	assert_output "<none> <none> ${id:7:12}"
	# inspect looks at containers first
	run_robbe inspect -f '{{.Name}}' img010-user
	assert_output "/img010-user"
	run_robbe image prune -a -f
	assert_output "Total reclaimed space: 0B"
	run_robbe rm img010-user
	run_robbe image prune -f
	assert_line 0 "Deleted Images:"
	assert_line 1 "deleted: $id"
	assert_no_images
}
