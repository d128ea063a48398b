#!/usr/bin/env bats
# push, login and logout against the suite's registries: the open one
# ($ROBBE_TEST_REGISTRY) and the htpasswd one ($ROBBE_TEST_AUTH_REGISTRY).

load helpers
bats_require_minimum_version 1.5.0

REG() { echo "$ROBBE_TEST_REGISTRY"; }

# import_as NAME: a one-layer image of the busybox rootfs named NAME; its ID
# in $image_id.
import_as() {
	run_robbe import --change 'CMD ["sh"]' "$ROBBE_TEST_ROOTFS" "$1"
	image_id=$output
	[[ $image_id =~ ^sha256:[0-9a-f]{64}$ ]] || die "import printed '$image_id'"
}

# The manifest a registry holds, as it stored it (Docker schema 2 asked for).
manifest_of() {
	curl -sf -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
		-H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$1/v2/$2/manifests/$3"
}

# A clean credentials state for each login test.
reset_auth() {
	rm -rf "$HOME/.docker"
	unset DOCKER_CONFIG REGISTRY_AUTH_FILE
	export XDG_RUNTIME_DIR="$BATS_FILE_TMPDIR/xdg"
	rm -rf "$XDG_RUNTIME_DIR"
	mkdir -p "$XDG_RUNTIME_DIR"
}

@test "push: Docker's output, the manifest in the registry, and back" {
	local repo="$(REG)/io011/push" digest size body
	import_as "$repo:latest"

	run_robbe push "$repo"
	assert_line 0 "Using default tag: latest"
	assert_line 1 "The push refers to repository [$repo]"
	[[ ${lines[2]} =~ ^[0-9a-f]{12}:\ Preparing$ ]] || die "line 2: ${lines[2]}"
	assert_equal "${lines[3]}" "${lines[2]%: Preparing}: Pushed"
	[[ ${lines[4]} =~ ^latest:\ digest:\ (sha256:[0-9a-f]{64})\ size:\ ([0-9]+)$ ]] || die "line 4: ${lines[4]}"
	digest=${BASH_REMATCH[1]} size=${BASH_REMATCH[2]}
	assert_equal "${#lines[@]}" 5 "number of lines"

	# What the registry has: a schema 2 manifest naming our config, of
	# the size and digest push reported.
	body=$(manifest_of "$(REG)" io011/push latest)
	assert_equal "$(jq -r .mediaType <<<"$body")" "application/vnd.docker.distribution.manifest.v2+json"
	assert_equal "$(jq -r .config.digest <<<"$body")" "$image_id" "config digest is the image ID"
	assert_equal "$(jq -r '.layers[0].mediaType' <<<"$body")" "application/vnd.docker.image.rootfs.diff.tar.gzip"
	assert_equal "$(printf '%s' "$body" | wc -c)" "$size" "manifest size"
	assert_equal "sha256:$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)" "$digest" "manifest digest"
	# The layer blob is a gzip whose content is the layer tar.
	local layer
	layer=$(jq -r '.layers[0].digest' <<<"$body")
	curl -sf "http://$(REG)/v2/io011/push/blobs/$layer" -o "$BATS_TEST_TMPDIR/layer.gz"
	assert_equal "sha256:$(sha256sum <"$BATS_TEST_TMPDIR/layer.gz" | cut -d' ' -f1)" "$layer" "blob digest"
	gzip -dc "$BATS_TEST_TMPDIR/layer.gz" | tar -t | grep -qx './bin/busybox\|bin/busybox' ||
		die "layer does not hold bin/busybox"

	# Remove it and get it back from the registry.
	run_robbe ? rmi "$repo:latest"
	if [[ $output == *"not supported by robbe yet"* ]]; then
		skip "rmi/pull are not in this build; the registry side was checked with curl"
	fi
	assert_equal "$status" 0 "rmi status"
	run_robbe pull "$repo:latest"
	assert_contains "$output" "Digest: $digest"
	run_robbe image inspect --format '{{.Id}}' "$repo:latest"
	assert_output "$image_id"
}

@test "push twice: the layer already exists" {
	local repo="$(REG)/io011/twice"
	import_as "$repo:v1"
	run_robbe push "$repo:v1"
	run_robbe push "$repo:v1"
	assert_line 0 "The push refers to repository [$repo]"
	assert_equal "${lines[2]}" "${lines[1]%: Preparing}: Layer already exists"
	assert_not_contains "$output" "Pushed"
	[[ ${lines[3]} =~ ^v1:\ digest:\ sha256:[0-9a-f]{64}\ size:\ [0-9]+$ ]] || die "line 3: ${lines[3]}"
}

@test "push mounts a layer another repository of the registry has" {
	# Two imports of the same tree share their layer (robbe writes layers
	# deterministically), under names in two repositories.  The tree is
	# this test's own, so no other push has sent that layer yet.
	local tree="$BATS_TEST_TMPDIR/tree"
	mkdir -p "$tree/etc"
	echo "mount test $$ $RANDOM" >"$tree/etc/unique"
	tar -C "$tree" -cf "$BATS_TEST_TMPDIR/tree.tar" .
	run_robbe import "$BATS_TEST_TMPDIR/tree.tar" "$(REG)/io011/mount-a:1"
	run_robbe import "$BATS_TEST_TMPDIR/tree.tar" "$(REG)/io011/mount-b:1"
	run_robbe push "$(REG)/io011/mount-a:1"
	assert_contains "$output" ": Pushed"
	run_robbe push "$(REG)/io011/mount-b:1"
	assert_equal "${lines[2]}" "${lines[1]%: Preparing}: Mounted from io011/mount-a"
	manifest_of "$(REG)" io011/mount-b 1 >/dev/null || die "no manifest for mount-b"
}

@test "push of a pulled image sends its blobs as they came" {
	run_robbe pull "$ROBBE_TEST_IMAGE"
	[[ $output =~ Digest:\ (sha256:[0-9a-f]{64}) ]] || die "no digest in the pull output"
	local digest=${BASH_REMATCH[1]}
	run_robbe tag "$ROBBE_TEST_IMAGE" "$(REG)/io011/copy:1"
	run_robbe push "$(REG)/io011/copy:1"
	assert_equal "${lines[2]}" "${lines[1]%: Preparing}: Mounted from robbe/busybox"
	# The manifest it came with goes back unchanged: same digest.
	[[ ${lines[3]} == "1: digest: $digest size: "* ]] || die "line 3: ${lines[3]}"
	run_robbe image inspect -f '{{json .RepoDigests}}' "$(REG)/io011/copy:1"
	assert_contains "$output" "\"$(REG)/io011/copy@$digest\""
}

@test "push -q prints the reference; --all-tags pushes every tag" {
	local repo="$(REG)/io011/quiet"
	import_as "$repo:a"
	import_as "$repo:b"
	run_robbe push -q "$repo:a"
	assert_output "$repo:a"
	run_robbe push --all-tags "$repo"
	assert_contains "$output" "a: digest: sha256:"
	assert_contains "$output" "b: digest: sha256:"
	run_robbe 1 push --all-tags "$repo:a"
	assert_output "tag can't be used with --all-tags/-a"
}

@test "push of something robbe does not have" {
	run_robbe 1 push "$(REG)/io011/nothing:latest"
	assert_line 0 "The push refers to repository [$(REG)/io011/nothing]"
	assert_line 1 "An image does not exist locally with the tag: $(REG)/io011/nothing"
	import_as "$(REG)/io011/some:1"
	run_robbe 1 push "$(REG)/io011/some:2"
	assert_line 1 "tag does not exist: $(REG)/io011/some:2"
	run_robbe 1 push "Bad:Name"
	assert_contains "$output" "invalid reference format"
}

@test "push to the htpasswd registry needs a login" {
	reset_auth
	local A=$ROBBE_TEST_AUTH_REGISTRY
	import_as "$A/io011/private:1"
	run_robbe 1 push "$A/io011/private:1"
	assert_contains "$output" "unauthorized: authentication required"
	assert_not_contains "$output" "Pushed"

	run --separate-stderr robbe login -u "$ROBBE_TEST_AUTH_USER" -p "$ROBBE_TEST_AUTH_PASS" "$A"
	assert_equal "$status" 0 "login status"
	assert_equal "$output" "Login Succeeded" "login stdout"
	assert_contains "$stderr" "WARNING! Using --password via the CLI is insecure. Use --password-stdin."
	assert_contains "$stderr" "WARNING! Your credentials are stored unencrypted in '$HOME/.docker/config.json'."
	assert_equal "$(jq -r --arg a "$A" '.auths[$a].auth' "$HOME/.docker/config.json" | base64 -d)" \
		"$ROBBE_TEST_AUTH_USER:$ROBBE_TEST_AUTH_PASS" "stored credentials"
	assert_equal "$(stat -c %a "$HOME/.docker/config.json")" 600 "config.json mode"

	run_robbe push "$A/io011/private:1"
	assert_contains "$output" ": Pushed"
	assert_contains "$output" "1: digest: sha256:"

	run_robbe logout "$A"
	assert_output "Removing login credentials for $A"
	assert_equal "$(jq -r --arg a "$A" '.auths[$a] // "gone"' "$HOME/.docker/config.json")" gone
	run_robbe 1 push "$A/io011/private:1"
	assert_contains "$output" "unauthorized: authentication required"
}

@test "login: wrong password, --password-stdin, flag errors" {
	reset_auth
	local A=$ROBBE_TEST_AUTH_REGISTRY
	run_robbe 1 login -u "$ROBBE_TEST_AUTH_USER" -p wrong "$A"
	assert_contains "$output" "Error response from daemon: login attempt to http://$A/v2/ failed with status: 401 Unauthorized"
	[ ! -e "$HOME/.docker/config.json" ] || die "a refused login stored something"

	run bash -c "printf '%s\n' '$ROBBE_TEST_AUTH_PASS' | robbe login -u '$ROBBE_TEST_AUTH_USER' --password-stdin '$A'"
	assert_equal "$status" 0 "status of --password-stdin login"
	assert_contains "$output" "Login Succeeded"
	assert_not_contains "$output" "Using --password via the CLI"

	# Stored credentials are used when none are given.
	run_robbe login "$A" </dev/null
	assert_contains "$output" "Authenticating with existing credentials... [Username: $ROBBE_TEST_AUTH_USER]"
	assert_contains "$output" "Login Succeeded"

	run_robbe 1 login -u x -p y --password-stdin "$A"
	assert_output "conflicting options: cannot specify both --password and --password-stdin"
	run_robbe 1 login --password-stdin "$A" </dev/null
	assert_output "the --password-stdin option requires --username to be set"
	run_robbe logout "$A"
	run_robbe 1 login "$A" </dev/null
	assert_output "Error: Cannot perform an interactive login from a non TTY device"
	run_robbe 1 login -u "$ROBBE_TEST_AUTH_USER" "$A" </dev/null
	assert_output "Error: Cannot perform an interactive login from a non TTY device"
}

@test "logout without credentials, and Docker Hub's key" {
	reset_auth
	run_robbe logout "$ROBBE_TEST_AUTH_REGISTRY"
	assert_output "Removing login credentials for $ROBBE_TEST_AUTH_REGISTRY"
	run_robbe logout
	assert_output "Removing login credentials for https://index.docker.io/v1/"
	run_robbe logout "http://$ROBBE_TEST_AUTH_REGISTRY/v2/"
	assert_output "Removing login credentials for $ROBBE_TEST_AUTH_REGISTRY"
}

@test "interactive login prompts with no echo" {
	command -v script >/dev/null || skip "script(1) is not installed"
	reset_auth
	local A=$ROBBE_TEST_AUTH_REGISTRY
	# script(1) gives robbe a terminal; the answers come through it.
	run bash -c "{ sleep 1; printf '%s\r' '$ROBBE_TEST_AUTH_USER'; sleep 1; printf '%s\r' '$ROBBE_TEST_AUTH_PASS'; sleep 2; } |
		script -qec 'robbe login $A' /dev/null"
	assert_equal "$status" 0 "interactive login status"
	assert_contains "$output" "Username: "
	assert_contains "$output" "Password: "
	assert_not_contains "$output" "$ROBBE_TEST_AUTH_PASS"
	assert_contains "$output" "Login Succeeded"
	assert_equal "$(jq -r --arg a "$A" '.auths[$a].auth' "$HOME/.docker/config.json" | base64 -d)" \
		"$ROBBE_TEST_AUTH_USER:$ROBBE_TEST_AUTH_PASS" "stored credentials"
}

@test "credentials through a credential helper (credsStore)" {
	reset_auth
	local A=$ROBBE_TEST_AUTH_REGISTRY bin="$BATS_FILE_TMPDIR/bin"
	export ROBBETEST_CRED_DIR="$BATS_FILE_TMPDIR/creds"
	mkdir -p "$bin" "$ROBBETEST_CRED_DIR"
	# A helper speaking the docker-credential protocol, one file per server.
	cat >"$bin/docker-credential-robbetest" <<-'EOF'
	#!/bin/sh
	key() { printf '%s' "$1" | sha256sum | cut -c1-16; }
	case "$1" in
	store)
		in=$(cat)
		server=$(printf '%s' "$in" | jq -r .ServerURL)
		printf '%s' "$in" >"$ROBBETEST_CRED_DIR/$(key "$server")" ;;
	get)
		f="$ROBBETEST_CRED_DIR/$(key "$(cat)")"
		[ -f "$f" ] || { echo "credentials not found in native keychain"; exit 1; }
		jq -c '{ServerURL, Username, Secret}' "$f" ;;
	erase)
		f="$ROBBETEST_CRED_DIR/$(key "$(cat)")"
		[ -f "$f" ] || { echo "credentials not found in native keychain"; exit 1; }
		rm "$f" ;;
	*) exit 2 ;;
	esac
	EOF
	chmod +x "$bin/docker-credential-robbetest"
	export PATH="$bin:$PATH"
	mkdir -p "$HOME/.docker"
	echo '{"credsStore": "robbetest"}' >"$HOME/.docker/config.json"

	run --separate-stderr robbe login -u "$ROBBE_TEST_AUTH_USER" --password-stdin "$A" <<<"$ROBBE_TEST_AUTH_PASS"
	assert_equal "$status" 0 "login status"
	assert_equal "$output" "Login Succeeded"
	assert_not_contains "$stderr" "stored unencrypted"
	local f="$ROBBETEST_CRED_DIR/$(printf '%s' "$A" | sha256sum | cut -c1-16)"
	assert_equal "$(jq -r .Secret "$f")" "$ROBBE_TEST_AUTH_PASS" "secret in the helper's store"
	assert_equal "$(jq -r '.auths // {} | length' "$HOME/.docker/config.json")" 0 "nothing in config.json auths"

	import_as "$A/io011/helper:1"
	run_robbe push "$A/io011/helper:1"
	assert_contains "$output" "1: digest: sha256:"

	run_robbe logout "$A"
	assert_output "Removing login credentials for $A"
	[ ! -e "$f" ] || die "the helper still holds the credentials"
	run_robbe 1 push "$A/io011/helper:1"
	assert_contains "$output" "unauthorized: authentication required"
}

@test "credentials from Podman's auth.json" {
	reset_auth
	local A=$ROBBE_TEST_AUTH_REGISTRY
	mkdir -p "$XDG_RUNTIME_DIR/containers"
	jq -n --arg a "$A" --arg v "$(printf '%s:%s' "$ROBBE_TEST_AUTH_USER" "$ROBBE_TEST_AUTH_PASS" | base64)" \
		'{auths: {($a): {auth: $v}}}' >"$XDG_RUNTIME_DIR/containers/auth.json"
	import_as "$A/io011/podman:1"
	run_robbe push "$A/io011/podman:1"
	assert_contains "$output" "1: digest: sha256:"
}

@test "the shared test image is in the registry" {
	[ -n "$ROBBE_TEST_IMAGE" ] || die "ROBBE_TEST_IMAGE is not set"
	assert_equal "$ROBBE_TEST_IMAGE" "$ROBBE_TEST_REGISTRY/robbe/busybox:latest"
	local body
	body=$(manifest_of "$ROBBE_TEST_REGISTRY" robbe/busybox latest) || die "no manifest for $ROBBE_TEST_IMAGE"
	local cfg
	cfg=$(jq -r .config.digest <<<"$body")
	curl -sf "http://$ROBBE_TEST_REGISTRY/v2/robbe/busybox/blobs/$cfg" >"$BATS_TEST_TMPDIR/cfg.json"
	assert_equal "$(jq -c .config.Cmd "$BATS_TEST_TMPDIR/cfg.json")" '["sh"]'
	assert_equal "$(jq -r '.config.Labels["org.robbe.test"]' "$BATS_TEST_TMPDIR/cfg.json")" busybox
}
