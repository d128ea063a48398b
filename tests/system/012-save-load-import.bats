#!/usr/bin/env bats
# save, load and import: archives Docker writes and reads, hostile archives,
# and --change / --message on import.

load helpers
bats_require_minimum_version 1.5.0

# import_as NAME [TAR]: an image of TAR (default: the busybox rootfs).
import_as() {
	run_robbe import "${2:-$ROBBE_TEST_ROOTFS}" "$1"
	[[ $output =~ ^sha256:[0-9a-f]{64}$ ]] || die "import printed '$output'"
	image_id=$output
}

# A small root filesystem tar of its own, so its layer is new.
small_tar() {
	local dir="$BATS_TEST_TMPDIR/small.$1"
	mkdir -p "$dir/etc"
	echo "$1 $$ $RANDOM" >"$dir/etc/$1"
	tar -C "$dir" --numeric-owner -cf "$BATS_TEST_TMPDIR/$1.tar" .
	echo "$BATS_TEST_TMPDIR/$1.tar"
}

# The ID of an image (with `image inspect` when this build has it, else
# from the config a save of it names).
image_id_of() {
	local id
	if id=$(robbe image inspect --format '{{.Id}}' "$1" 2>/dev/null); then
		echo "$id"
		return
	fi
	robbe save "$1" | tar -xO manifest.json | jq -r '.[0].Config' | sed 's,^blobs/sha256/,sha256:,'
}

# The image config of a local image, from a save of it.
config_of() {
	local dir="$BATS_TEST_TMPDIR/cfg.$RANDOM"
	mkdir -p "$dir"
	robbe save -o "$dir/a.tar" "$1" || return 1
	tar -C "$dir" -xf "$dir/a.tar"
	cat "$dir/$(jq -r '.[0].Config' "$dir/manifest.json")"
}

# Image IDs in the store, sorted (empty when `images` is not in this build).
image_list() {
	robbe images -q --no-trunc 2>/dev/null | sort || true
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# The real Docker CLI (`docker` on PATH is robbe here) and whether a
# daemon answers it.
DOCKER=/usr/local/bin/docker
docker_daemon() {
	[ -x "$DOCKER" ] && "$DOCKER" info >/dev/null 2>&1
}

# legacy_archive DIR OUT [TAG]: an archive in the layout of Docker before 25
# (<id>.json config, <dir>/layer.tar layers, the second a symlink to the
# first), made with tar and sha256sum, tagged TAG (legacy/img:1).
legacy_archive() {
	local dir=$1 out=$2 tag=${3:-legacy/img:1} tree="$1.tree" diff cfg
	mkdir -p "$dir/aaaa" "$tree/data"
	echo "legacy layer" >"$tree/data/hello.txt"
	tar -C "$tree" --numeric-owner -cf "$dir/aaaa/layer.tar" .
	echo 1.0 >"$dir/aaaa/VERSION"
	echo '{"id":"aaaa"}' >"$dir/aaaa/json"
	mkdir -p "$dir/bbbb"
	ln -s ../aaaa/layer.tar "$dir/bbbb/layer.tar"
	diff=$(sha "$dir/aaaa/layer.tar")
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/data/hello.txt"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s","sha256:%s"]}}' \
		"$diff" "$diff" >"$dir/config.json"
	cfg=$(sha "$dir/config.json")
	mv "$dir/config.json" "$dir/$cfg.json"
	printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["aaaa/layer.tar","bbbb/layer.tar"]}]' \
		"$cfg" "$tag" >"$dir/manifest.json"
	printf '{"%s":{"%s":"bbbb"}}' "${tag%:*}" "${tag##*:}" >"$dir/repositories"
	tar -C "$dir" -cf "$out" manifest.json repositories "$cfg.json" aaaa bbbb
	legacy_id="sha256:$cfg"
}

@test "import with --change and --message: the config shows them" {
	run_robbe import -c 'ENTRYPOINT ["/bin/env"]' -c 'CMD ["-i"]' -c 'ENV A=1 B="two words"' \
		-c 'LABEL x=y "with space"=z' -c 'WORKDIR /srv' -c 'USER nobody' -c 'EXPOSE 8080 53/udp' \
		-c 'VOLUME /data' -c 'STOPSIGNAL SIGINT' -m "made by 012" "$ROBBE_TEST_ROOTFS" io012/changes:1
	[[ $output =~ ^sha256:[0-9a-f]{64}$ ]] || die "import printed '$output'"
	local cfg c
	cfg=$(config_of io012/changes:1)
	c=$(jq -c .config <<<"$cfg")
	assert_equal "$(jq -c .Entrypoint <<<"$c")" '["/bin/env"]'
	assert_equal "$(jq -c .Cmd <<<"$c")" '["-i"]'
	assert_equal "$(jq -c .Env <<<"$c")" '["A=1","B=two words"]'
	assert_equal "$(jq -c .Labels <<<"$c")" '{"x":"y","with space":"z"}'
	assert_equal "$(jq -r .WorkingDir <<<"$c")" /srv
	assert_equal "$(jq -r .User <<<"$c")" nobody
	assert_equal "$(jq -c .ExposedPorts <<<"$c")" '{"8080/tcp":{},"53/udp":{}}'
	assert_equal "$(jq -c .Volumes <<<"$c")" '{"/data":{}}'
	assert_equal "$(jq -r .StopSignal <<<"$c")" SIGINT
	assert_equal "$(jq -r .comment <<<"$cfg")" "made by 012"
	assert_equal "$(jq -r '.history[0].comment' <<<"$cfg")" "made by 012"
	assert_equal "$(jq -r '.rootfs.diff_ids | length' <<<"$cfg")" 1

	# The same through `image inspect`, when this build has it.
	run_robbe ? image inspect -f '{{json .Config}}' io012/changes:1
	if [[ $output == *"not supported by robbe yet"* ]]; then
		skip "image inspect is not in this build; the config was checked from a save"
	fi
	assert_equal "$status" 0
	assert_equal "$(jq -c .Cmd <<<"$output")" '["-i"]'
	assert_equal "$(jq -c .Env <<<"$output")" '["A=1","B=two words"]'
	assert_equal "$(jq -r .Labels.x <<<"$output")" y
	assert_equal "$(jq -r .WorkingDir <<<"$output")" /srv
}

@test "import from standard input, and Docker's defaults" {
	run robbe import - io012/stdin <"$ROBBE_TEST_ROOTFS"
	assert_equal "$status" 0
	[[ $output =~ ^sha256:[0-9a-f]{64}$ ]] || die "import printed '$output'"
	local cfg
	cfg=$(config_of io012/stdin:latest)
	assert_equal "$(jq -r .comment <<<"$cfg")" "Imported from -"
	assert_equal "$(jq -r .os <<<"$cfg")" linux
	assert_equal "$(jq -c .config.Cmd <<<"$cfg")" null
	assert_equal "$(jq -r '.rootfs.type' <<<"$cfg")" layers
	# gzip-compressed input is fine too.
	gzip -c "$ROBBE_TEST_ROOTFS" >"$BATS_TEST_TMPDIR/rootfs.tar.gz"
	import_as io012/gz:1 "$BATS_TEST_TMPDIR/rootfs.tar.gz"
	# Same tree, same layer: the diff IDs agree.
	assert_equal "$(config_of io012/gz:1 | jq -r '.rootfs.diff_ids[0]')" "$(jq -r '.rootfs.diff_ids[0]' <<<"$cfg")"
}

@test "import errors" {
	run_robbe 1 import http://example.com/rootfs.tar
	assert_contains "$output" "importing from a URL is not supported"
	run_robbe 1 import /nonexistent.tar
	assert_output "open /nonexistent.tar: no such file or directory"
	run_robbe 1 import -c 'RUN echo hi' "$ROBBE_TEST_ROOTFS"
	assert_output "Error response from daemon: run is not a valid change command"
	run_robbe 1 import "$ROBBE_TEST_ROOTFS" 'Bad:Name'
	assert_contains "$output" "invalid reference format"
	echo "not a tar" >"$BATS_TEST_TMPDIR/junk"
	run_robbe 1 import "$BATS_TEST_TMPDIR/junk"
	assert_contains "$output" "Error response from daemon: "
}

@test "save and load: two tagged images round trip with the same IDs" {
	local one two
	import_as io012/one:latest "$(small_tar one)"
	one=$image_id
	import_as io012/two:v1 "$(small_tar two)"
	two=$image_id
	run_robbe save -o "$BATS_TEST_TMPDIR/both.tar" io012/one io012/two:v1
	assert_output ""
	[ -s "$BATS_TEST_TMPDIR/both.tar" ] || die "no archive written"
	assert_equal "$(stat -c %a "$BATS_TEST_TMPDIR/both.tar")" 600 "archive mode"

	# Into a store of its own.
	export ROBBE_ROOT="$BATS_TEST_TMPDIR/root2" ROBBE_RUNROOT="$BATS_TEST_TMPDIR/run2"
	run_robbe load -i "$BATS_TEST_TMPDIR/both.tar"
	assert_line 0 "Loaded image: io012/one:latest"
	assert_line 1 "Loaded image: io012/two:v1"
	assert_equal "${#lines[@]}" 2
	assert_equal "$(image_id_of io012/one:latest)" "$one" "ID of one"
	assert_equal "$(image_id_of io012/two:v1)" "$two" "ID of two"

	# Again from standard input; -q changes nothing without a terminal.
	run robbe load -q <"$BATS_TEST_TMPDIR/both.tar"
	assert_equal "$status" 0
	assert_equal "$output" $'Loaded image: io012/one:latest\nLoaded image: io012/two:v1'

	# A tag that named another image moves, and Docker says so.
	import_as io012/one:latest "$(small_tar other)"
	local other=$image_id
	run_robbe load -i "$BATS_TEST_TMPDIR/both.tar"
	assert_line 0 "The image io012/one:latest already exists, renaming the old one with ID $other to empty string"
	assert_line 1 "Loaded image: io012/one:latest"
	assert_equal "$(image_id_of io012/one:latest)" "$one"

	# Saved again from the second store, the archive says the same.
	robbe save io012/one:latest io012/two:v1 >"$BATS_TEST_TMPDIR/again.tar"
	assert_equal "$(tar -xOf "$BATS_TEST_TMPDIR/again.tar" manifest.json | jq -c '[.[] | .Config]')" \
		"$(tar -xOf "$BATS_TEST_TMPDIR/both.tar" manifest.json | jq -c '[.[] | .Config]')"
}

@test "save writes the layout Docker documents (and docker load reads it)" {
	import_as io012/fmt:1
	local dir="$BATS_TEST_TMPDIR/fmt"
	mkdir -p "$dir"
	robbe save io012/fmt:1 >"$dir/a.tar"
	tar -C "$dir" -xf "$dir/a.tar"
	assert_equal "$(cat "$dir/oci-layout")" '{"imageLayoutVersion":"1.0.0"}'
	# manifest.json: Docker's list of images.
	assert_equal "$(jq -r '.[0].RepoTags[0]' "$dir/manifest.json")" io012/fmt:1
	local cfg="$dir/$(jq -r '.[0].Config' "$dir/manifest.json")"
	assert_equal "sha256:$(sha "$cfg")" "$image_id" "the config is the image ID's content"
	local n i layer
	n=$(jq '.[0].Layers | length' "$dir/manifest.json")
	assert_equal "$n" "$(jq '.rootfs.diff_ids | length' "$cfg")" "one layer per diff ID"
	for ((i = 0; i < n; i++)); do
		layer="$dir/$(jq -r ".[0].Layers[$i]" "$dir/manifest.json")"
		assert_equal "sha256:$(sha "$layer")" "$(jq -r ".rootfs.diff_ids[$i]" "$cfg")" "layer $i is its diff ID's tar"
		tar -tf "$layer" >/dev/null || die "layer $i is not a plain tar"
	done
	# index.json: OCI, named by containerd's annotation.
	assert_equal "$(jq -r .mediaType "$dir/index.json")" application/vnd.oci.image.index.v1+json
	assert_equal "$(jq -r '.manifests[0].annotations["io.containerd.image.name"]' "$dir/index.json")" \
		docker.io/io012/fmt:1
	assert_equal "$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$dir/index.json")" 1
	local m="$dir/blobs/sha256/$(jq -r '.manifests[0].digest' "$dir/index.json" | cut -d: -f2)"
	assert_equal "$(jq -r .config.digest "$m")" "$image_id" "OCI manifest names the config"
	# Every blob is named by its digest.
	local b
	for b in "$dir"/blobs/sha256/*; do
		assert_equal "$(sha "$b")" "$(basename "$b")" "blob $(basename "$b")"
	done
	assert_equal "$(jq -r '."io012/fmt"["1"]' "$dir/repositories")" "$(jq -r '.rootfs.diff_ids[-1]' "$cfg" | cut -d: -f2)"

	# A real Docker daemon, when there is one, must load it.
	if docker_daemon; then
		local name="io012/fmt-$$:1"
		robbe tag io012/fmt:1 "$name" 2>/dev/null || import_as "$name"
		robbe save "$name" >"$dir/b.tar"
		run "$DOCKER" load -i "$dir/b.tar"
		"$DOCKER" rmi "$name" >/dev/null 2>&1 || true
		assert_equal "$status" 0 "docker load status"
		assert_contains "$output" "Loaded image: $name"
	else
		skip "no Docker daemon here: the archive was checked against Docker's documented format only"
	fi
}

@test "docker save output (Docker's legacy layout) loads in robbe" {
	docker_daemon || skip "no Docker daemon here: loading Docker's own archives is covered by the legacy-layout test"
	# The shared test image, pushed by robbe, pulled by Docker...
	local id pulled saved
	"$DOCKER" pull -q "$ROBBE_TEST_IMAGE" >/dev/null 2>&1 && pulled=1
	id=$("$DOCKER" image inspect --format '{{.Id}}' "$ROBBE_TEST_IMAGE" 2>/dev/null)
	# ...saved by Docker, loaded by robbe: the same image.
	"$DOCKER" save -o "$BATS_TEST_TMPDIR/docker.tar" "$ROBBE_TEST_IMAGE" && saved=1
	"$DOCKER" rmi "$ROBBE_TEST_IMAGE" >/dev/null 2>&1 || true
	[ -n "$pulled" ] || die "docker could not pull robbe's push of $ROBBE_TEST_IMAGE"
	[ -n "$saved" ] || die "docker save failed"
	run_robbe load -i "$BATS_TEST_TMPDIR/docker.tar"
	assert_output "Loaded image: $ROBBE_TEST_IMAGE"
	assert_equal "$(image_id_of "$ROBBE_TEST_IMAGE")" "$id"
}

@test "save picks what Docker picks: a repository's tags, an ID without tags" {
	import_as io012/multi:a "$(small_tar ma)"
	import_as io012/multi:b "$(small_tar mb)"
	local b=$image_id
	robbe save io012/multi >"$BATS_TEST_TMPDIR/m.tar"
	assert_equal "$(tar -xOf "$BATS_TEST_TMPDIR/m.tar" manifest.json | jq -c '[.[].RepoTags[]] | sort')" \
		'["io012/multi:a","io012/multi:b"]'
	robbe save "$b" >"$BATS_TEST_TMPDIR/id.tar"
	assert_equal "$(tar -xOf "$BATS_TEST_TMPDIR/id.tar" manifest.json | jq -c '.[0].RepoTags')" null
	robbe save "${b:7:12}" >"$BATS_TEST_TMPDIR/short.tar"
	assert_equal "$(tar -xOf "$BATS_TEST_TMPDIR/short.tar" manifest.json | jq -r '.[0].Config')" "blobs/sha256/${b:7}"
	# Loading an archive without tags reports the ID.
	export ROBBE_ROOT="$BATS_TEST_TMPDIR/root3" ROBBE_RUNROOT="$BATS_TEST_TMPDIR/run3"
	run_robbe load -i "$BATS_TEST_TMPDIR/id.tar"
	assert_output "Loaded image ID: $b"
	run_robbe 1 save io012/absent:1
	assert_contains "$output" "Error response from daemon: No such image: io012/absent:1"
}

@test "save and load refuse a terminal" {
	command -v script >/dev/null || skip "script(1) is not installed"
	import_as io012/tty:1
	run script -qec "robbe save io012/tty:1" /dev/null
	assert_contains "$output" "cowardly refusing to save to a terminal. Use the -o flag or redirect"
	run script -qec "robbe load" /dev/null
	assert_contains "$output" "requested load from stdin, but stdin is empty"
}

@test "load a legacy-layout archive (symlinked layer included)" {
	legacy_archive "$BATS_TEST_TMPDIR/legacy" "$BATS_TEST_TMPDIR/legacy.tar"
	run_robbe load -i "$BATS_TEST_TMPDIR/legacy.tar"
	assert_output "Loaded image: legacy/img:1"
	assert_equal "$(image_id_of legacy/img:1)" "$legacy_id"
	# Compressed archives load too.
	gzip -c "$BATS_TEST_TMPDIR/legacy.tar" >"$BATS_TEST_TMPDIR/legacy.tar.gz"
	run_robbe load -i "$BATS_TEST_TMPDIR/legacy.tar.gz"
	assert_output "Loaded image: legacy/img:1"
}

@test "load an OCI archive; push sends its gzip layer as it came" {
	local dir="$BATS_TEST_TMPDIR/oci" tree="$BATS_TEST_TMPDIR/oci.tree"
	mkdir -p "$dir/blobs/sha256" "$tree/etc"
	echo "oci $$ $RANDOM" >"$tree/etc/oci"
	tar -C "$tree" --numeric-owner -cf "$BATS_TEST_TMPDIR/l.tar" .
	local diff gz cfg man
	diff=$(sha "$BATS_TEST_TMPDIR/l.tar")
	gzip -n -c "$BATS_TEST_TMPDIR/l.tar" >"$BATS_TEST_TMPDIR/l.tar.gz"
	gz=$(sha "$BATS_TEST_TMPDIR/l.tar.gz")
	cp "$BATS_TEST_TMPDIR/l.tar.gz" "$dir/blobs/sha256/$gz"
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$diff" >"$BATS_TEST_TMPDIR/c.json"
	cfg=$(sha "$BATS_TEST_TMPDIR/c.json")
	cp "$BATS_TEST_TMPDIR/c.json" "$dir/blobs/sha256/$cfg"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%d}]}' \
		"$cfg" "$(stat -c %s "$BATS_TEST_TMPDIR/c.json")" "$gz" "$(stat -c %s "$BATS_TEST_TMPDIR/l.tar.gz")" \
		>"$BATS_TEST_TMPDIR/m.json"
	man=$(sha "$BATS_TEST_TMPDIR/m.json")
	cp "$BATS_TEST_TMPDIR/m.json" "$dir/blobs/sha256/$man"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"io.containerd.image.name":"%s/io012/oci:2","org.opencontainers.image.ref.name":"2"}}]}' \
		"$man" "$(stat -c %s "$BATS_TEST_TMPDIR/m.json")" "$ROBBE_TEST_REGISTRY" >"$dir/index.json"
	tar -C "$dir" -cf "$BATS_TEST_TMPDIR/oci.tar" oci-layout index.json blobs

	run_robbe load -i "$BATS_TEST_TMPDIR/oci.tar"
	assert_output "Loaded image: $ROBBE_TEST_REGISTRY/io012/oci:2"
	assert_equal "$(image_id_of "$ROBBE_TEST_REGISTRY/io012/oci:2")" "sha256:$cfg"

	run_robbe push "$ROBBE_TEST_REGISTRY/io012/oci:2"
	local body
	body=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
		-H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
		"http://$ROBBE_TEST_REGISTRY/v2/io012/oci/manifests/2")
	assert_equal "$(jq -r '.layers[0].digest' <<<"$body")" "sha256:$gz" "the layer went up as it came"
}

# hostile_check ARCHIVE NAME PHRASE: load fails clearly and records nothing.
hostile_check() {
	local before
	before=$(image_list)
	run_robbe 1 load -i "$1"
	assert_contains "$output" "Error response from daemon: "
	assert_contains "$output" "$3"
	assert_not_contains "$output" "Loaded image"
	assert_equal "$(image_list)" "$before" "images unchanged"
	run_robbe 1 save "$2"
	assert_contains "$output" "No such image"
}

@test "hostile archives fail and record nothing" {
	local d="$BATS_TEST_TMPDIR/h" diff cfg
	mkdir -p "$d"

	# A layer whose entry climbs out with "../x".
	python3 - "$d/up.tar" <<-'PY'
	import io, sys, tarfile
	with tarfile.open(sys.argv[1], "w", format=tarfile.USTAR_FORMAT) as t:
	    data = b"evil\n"
	    info = tarfile.TarInfo("../x")
	    info.size = len(data)
	    t.addfile(info, io.BytesIO(data))
	PY
	mkdir -p "$d/a/l1"
	cp "$d/up.tar" "$d/a/l1/layer.tar"
	diff=$(sha "$d/a/l1/layer.tar")
	printf '{"os":"linux","architecture":"amd64","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diff" >"$d/a/c.json"
	printf '[{"Config":"c.json","RepoTags":["evil/up:1"],"Layers":["l1/layer.tar"]}]' >"$d/a/manifest.json"
	tar -C "$d/a" -cf "$d/up-archive.tar" manifest.json c.json l1
	hostile_check "$d/up-archive.tar" evil/up:1 ".."
	[ -z "$(find "$ROBBE_ROOT" "$BATS_TEST_TMPDIR" -name x)" ] || die "a file x was written"

	# A layer path that is a symlink out of the archive.
	mkdir -p "$d/b/l1"
	ln -s ../../../../../../etc/passwd "$d/b/l1/layer.tar"
	printf '{"os":"linux","architecture":"amd64","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$diff" >"$d/b/c.json"
	printf '[{"Config":"c.json","RepoTags":["evil/link:1"],"Layers":["l1/layer.tar"]}]' >"$d/b/manifest.json"
	tar -C "$d/b" -cf "$d/link.tar" manifest.json c.json l1
	hostile_check "$d/link.tar" evil/link:1 "leaves the archive"

	# manifest.json names a file the archive does not have.
	mkdir -p "$d/c"
	cp "$d/b/c.json" "$d/c/c.json"
	printf '[{"Config":"c.json","RepoTags":["evil/missing:1"],"Layers":["nothere/layer.tar"]}]' >"$d/c/manifest.json"
	tar -C "$d/c" -cf "$d/missing.tar" manifest.json c.json
	hostile_check "$d/missing.tar" evil/missing:1 "is not in the archive"

	# A layer that is not what its diff ID says.
	mkdir -p "$d/e/l1" "$d/e.tree"
	echo fine >"$d/e.tree/file"
	tar -C "$d/e.tree" -cf "$d/e/l1/layer.tar" .
	printf '{"os":"linux","architecture":"amd64","rootfs":{"type":"layers","diff_ids":["sha256:%064d"]}}' 0 >"$d/e/c.json"
	printf '[{"Config":"c.json","RepoTags":["evil/digest:1"],"Layers":["l1/layer.tar"]}]' >"$d/e/manifest.json"
	tar -C "$d/e" -cf "$d/digest.tar" manifest.json c.json l1
	hostile_check "$d/digest.tar" evil/digest:1 "does not match its diff ID"

	# A truncated archive.
	legacy_archive "$d/t" "$d/good.tar" evil/trunc:1
	head -c 5000 "$d/good.tar" >"$d/truncated.tar"
	hostile_check "$d/truncated.tar" evil/trunc:1 "invalid image archive"

	# An archive entry named with "..".
	python3 - "$d/dots.tar" <<-'PY'
	import io, sys, tarfile
	with tarfile.open(sys.argv[1], "w", format=tarfile.USTAR_FORMAT) as t:
	    for name, data in (("manifest.json", b"[]"), ("../escape.txt", b"x")):
	        info = tarfile.TarInfo(name)
	        info.size = len(data)
	        t.addfile(info, io.BytesIO(data))
	PY
	hostile_check "$d/dots.tar" evil/dots:1 ".."
	[ ! -e "$BATS_TEST_TMPDIR/escape.txt" ] && [ ! -e "$ROBBE_ROOT/escape.txt" ] ||
		die "escape.txt was written"
}
