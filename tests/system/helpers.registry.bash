# Local registries for the system tests (Debian's docker-registry), bound to
# 127.0.0.1 on a free port.  State lives under $ROBBE_TEST_ROOT/registry-<kind>.

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_registry open|auth
start_registry() {
	local kind=$1 dir="$ROBBE_TEST_ROOT/registry-$1" port
	mkdir -p "$dir/data"
	port=$(free_port)
	{
		echo "version: 0.1"
		echo "log: {level: error, accesslog: {disabled: true}}"
		echo "storage:"
		echo "  filesystem: {rootdirectory: $dir/data}"
		echo "  delete: {enabled: true}"
		echo "http: {addr: 127.0.0.1:$port}"
		if [ "$kind" = auth ]; then
			htpasswd -Bbn robbeuser robbe-pass-42 > "$dir/htpasswd"
			echo "auth: {htpasswd: {realm: robbe-test, path: $dir/htpasswd}}"
		fi
	} > "$dir/config.yml"
	docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
	echo $! > "$dir/pid"
	echo "127.0.0.1:$port" > "$dir/addr"
	local i
	for i in $(seq 1 100); do
		if curl -s -o /dev/null "http://127.0.0.1:$port/v2/"; then
			return 0
		fi
		sleep 0.1
	done
	echo "registry ($kind) did not start; log:" >&2
	cat "$dir/log" >&2
	return 1
}

stop_registry() {
	local dir="$ROBBE_TEST_ROOT/registry-$1"
	[ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null
	rm -f "$dir/pid"
	return 0
}

# A root filesystem of busybox-static with its applet links, as a tar.
make_busybox_rootfs() {
	local out=$1 rootfs
	rootfs=$(mktemp -d "$ROBBE_TEST_ROOT/rootfs.XXXXXX")
	mkdir -p "$rootfs"/{bin,etc,tmp,root,home,proc,sys,dev,var,usr/bin,usr/sbin,sbin}
	cp /bin/busybox "$rootfs/bin/busybox"
	local app
	for app in $("$rootfs/bin/busybox" --list); do
		[ "$app" = busybox ] || ln -sf busybox "$rootfs/bin/$app"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
	chmod 1777 "$rootfs/tmp"
	tar -C "$rootfs" --numeric-owner -cf "$out" .
	rm -rf "$rootfs"
}
