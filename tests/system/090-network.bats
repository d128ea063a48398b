#!/usr/bin/env bats
# Networking with netavark and aardvark-dns (rootful): the network commands
# and their Docker shapes and words, names and aliases resolved between
# containers with real traffic, published ports from the host (TCP, UDP,
# 127.0.0.1, random, ranges), port conflicts, parallel starts, the default
# bridge, connect/disconnect, and teardown that leaves nothing behind.
#
# Other test files run containers on the default bridge at the same time,
# so everything checked for leftovers lives on this file's own networks
# (names rn90-*, subnets 10.90.x.0/24, host ports 190xx; 200xx in the
# rootless run, which may share the machine with a rootful one).
#
# Rootless (run-rootless.sh), user networks live in the user's
# rootless-netns: the checks of bridges, veths and NAT rules look there
# (in_netns) rather than at the host.  What only the rootful default
# bridge does is skipped.

load helpers
bats_require_minimum_version 1.5.0

setup_file() {
	robbe_file_setup
	robbe pull -q "$ROBBE_TEST_IMAGE" >/dev/null
}

teardown_file() {
	remove_all_containers
	local n
	for n in $(robbe network ls -q --filter type=custom 2>/dev/null); do
		robbe network rm "$n" >/dev/null 2>&1
	done
	return 0
}

setup() {
	[ -x /usr/lib/podman/netavark ] || skip "netavark is not installed"
	if [ "${ROBBE_TEST_ROOTLESS:-}" = 1 ]; then
		command -v slirp4netns >/dev/null || skip "rootless networks need slirp4netns"
	elif [ "$(id -u)" != 0 ]; then
		skip "rootful networking needs root"
	fi
}

# pubnet NAME SUBNET: the --network words of the published-port tests: the
# default bridge, or rootless (whose default network is a slirp4netns per
# container, 100-rootless.bats) a user network made here.
pubnet() {
	if [ "${ROBBE_TEST_ROOTLESS:-}" = 1 ]; then
		robbe network create --subnet "$2" "$1" >/dev/null && echo "--network $1"
	fi
}

# The first three digits of this run's host ports.
if [ "${ROBBE_TEST_ROOTLESS:-}" = 1 ]; then P=200; else P=190; fi

# in_netns CMD...: run CMD where the bridges of user networks are: the
# host, or rootless the user's rootless-netns (inside robbe's namespaces).
in_netns() {
	if [ "${ROBBE_TEST_ROOTLESS:-}" = 1 ]; then
		robbe unshare nsenter --net="$ROBBE_RUNROOT/networks/rootless-netns" "$@"
	else
		"$@"
	fi
}

teardown() {
	local ids
	ids=$(robbe ps -aq --no-trunc 2>/dev/null) || true
	[ -z "$ids" ] || robbe rm -f $ids >/dev/null 2>&1
	return 0
}

# A busybox web server answering "$2" on port 80, named $1 (more run
# options after).  (busybox-static's wget crashes with -T: timeouts come
# from `timeout` instead.)
web() {
	local name=$1 text=$2
	shift 2
	robbe run -d --name "$name" "$@" "$(IMG)" \
		sh -c "mkdir -p /www && echo $text > /www/index.html && exec httpd -f -p 80 -h /www" >/dev/null
}

# Does the host listen on IPv6 (then Docker 28 binds [::] too)?  Not for
# a rootless robbe: slirp4netns forwards IPv4 only.
host_has_ipv6() {
	[ "${ROBBE_TEST_ROOTLESS:-}" != 1 ] || return 1
	python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null
}

# Everything a container's networking leaves on the host: its namespace
# file, veths on the bridge, NAT rules naming it or the subnet, DNS entries.
assert_no_leftovers() {
	local id=$1 bridge=$2 subnet=$3 net=$4
	run ls "$ROBBE_RUNROOT/netns"
	assert_not_contains "$output" "$id"
	run in_netns bash -c "ip -o link show master $bridge 2>/dev/null"
	assert_equal "$output" "" "veths on $bridge"
	run in_netns iptables -t nat -S
	assert_not_contains "$output" "$id"
	assert_not_contains "$output" "$subnet"
	if [ -e "$ROBBE_RUNROOT/networks/aardvark-dns/$net" ]; then
		assert_not_contains "$(cat "$ROBBE_RUNROOT/networks/aardvark-dns/$net")" "$id"
	fi
	[ ! -e "$ROBBE_RUNROOT/networks/$id.json" ] || die "teardown journal left for $id"
}

@test "network ls: bridge, host and none, Docker's columns" {
	run_robbe network ls
	assert_line 0 "NETWORK ID     NAME      DRIVER    SCOPE"
	[[ "${lines[1]}" =~ ^[0-9a-f]{12}\ +bridge\ +bridge\ +local$ ]] || die "bridge row: ${lines[1]}"
	[[ "${lines[2]}" =~ ^[0-9a-f]{12}\ +host\ +host\ +local$ ]] || die "host row: ${lines[2]}"
	[[ "${lines[3]}" =~ ^[0-9a-f]{12}\ +none\ +null\ +local$ ]] || die "none row: ${lines[3]}"
	run_robbe network ls -q --no-trunc --filter type=builtin
	assert_equal "${#lines[@]}" 3
	[[ "${lines[0]}" =~ ^[0-9a-f]{64}$ ]] || die "full id: ${lines[0]}"
	run_robbe network ls --format '{{.Name}} {{.Driver}} {{.IPv4}} {{.IPv6}} {{.Internal}}' --filter driver=null
	assert_output "none null true false false"
	run_robbe network ls --format json --filter name=^host$
	assert_equal "$(jq -c 'keys' <<<"$output")" '["CreatedAt","Driver","ID","IPv4","IPv6","Internal","Labels","Name","Scope"]'
	run_robbe 1 network ls --filter foo=bar
	assert_output "Error response from daemon: invalid filter 'foo'"
	run_robbe 1 network ls --filter type=other
	assert_output "Error response from daemon: invalid filter: 'type'='other'"
}

@test "network create and inspect: Docker's shape, subnets, options, errors" {
	local id
	id=$(robbe network create --subnet 10.90.1.0/24 --gateway 10.90.1.254 --ip-range 10.90.1.128/25 \
		--label team=net -o com.docker.network.driver.mtu=1400 rn90-a)
	[[ "$id" =~ ^[0-9a-f]{64}$ ]] || die "create printed: $id"
	run_robbe network inspect rn90-a
	local o
	o=$(jq '.[0]' <<<"$output")
	assert_equal "$(jq -c 'keys_unsorted' <<<"$o")" \
		'["Name","Id","Created","Scope","Driver","EnableIPv4","EnableIPv6","IPAM","Internal","Attachable","Ingress","ConfigFrom","ConfigOnly","Containers","Options","Labels"]'
	assert_equal "$(jq -r .Id <<<"$o")" "$id"
	assert_equal "$(jq -c .IPAM <<<"$o")" \
		'{"Driver":"default","Options":{},"Config":[{"Subnet":"10.90.1.0/24","IPRange":"10.90.1.128/25","Gateway":"10.90.1.254"}]}'
	assert_equal "$(jq -c .Options <<<"$o")" '{"com.docker.network.driver.mtu":"1400"}'
	assert_equal "$(jq -c .Labels <<<"$o")" '{"team":"net"}'
	assert_equal "$(jq -c .ConfigFrom <<<"$o")" '{"Network":""}'
	run_robbe network inspect -f '{{.Name}} {{.Driver}} {{.Scope}} {{.Internal}} {{.EnableIPv6}}' rn90-a
	assert_output "rn90-a bridge local false false"
	run_robbe network ls --filter label=team=net --format '{{.Name}} {{.Label "team"}}'
	assert_output "rn90-a net"

	# A container's address comes from the range, on an MTU of 1400.
	run_robbe run --rm --network rn90-a "$(IMG)" sh -c 'ip -4 -o addr show eth0; cat /sys/class/net/eth0/mtu'
	assert_contains "${lines[0]}" "inet 10.90.1.128/24"
	assert_equal "${lines[1]}" 1400

	# Without --subnet: the next free pool of Docker's defaults.
	robbe network create rn90-auto >/dev/null
	run_robbe network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' rn90-auto
	[[ "$output" =~ ^172\.(1[89]|2[0-9]|3[01])\.0\.0/16\ 172\.[0-9]+\.0\.1$ ]] || die "auto subnet: $output"

	run_robbe 1 network create rn90-a
	assert_output "Error response from daemon: network with name rn90-a already exists"
	run_robbe 1 network create --subnet 10.90.1.0/25 rn90-b
	assert_output "Error response from daemon: invalid pool request: Pool overlaps with other one on this address space"
	run_robbe 1 network create --subnet 10.90.2.1/24 rn90-b
	assert_output $'Error response from daemon: invalid network config:\ninvalid subnet 10.90.2.1/24: it should be 10.90.2.0/24'
	run_robbe 1 network create --gateway 10.90.2.1 rn90-b
	assert_output "every ip-range or gateway must have a corresponding subnet"
	run_robbe 1 network create bridge
	assert_output "Error response from daemon: operation is not permitted on predefined bridge network "
	run_robbe 1 network create -d macvlan rn90-b
	assert_contains "$output" "macvlan"
	run_robbe 1 network inspect rn90-nope
	assert_equal "${lines[0]}" "[]"
	assert_equal "${lines[1]}" "Error response from daemon: network rn90-nope not found"
	robbe network rm rn90-a rn90-auto >/dev/null
}

@test "network rm and prune: Docker's words, in-use refusal" {
	robbe network create --subnet 10.90.3.0/24 --label rn90=prune rn90-used >/dev/null
	robbe network create --subnet 10.90.4.0/24 --label rn90=prune rn90-idle >/dev/null
	robbe network create --subnet 10.90.5.0/24 --label rn90=prune --label keep=1 rn90-kept >/dev/null
	robbe run -d --name rn90-user --network rn90-used "$(IMG)" sleep 1000 >/dev/null
	run --separate-stderr robbe network rm rn90-used
	[ "$status" -eq 1 ] || die "status $status"
	local ep
	ep=$(robbe inspect -f '{{(index .NetworkSettings.Networks "rn90-used").EndpointID}}' rn90-user)
	assert_equal "$stderr" "Error response from daemon: error while removing network: network rn90-used has active endpoints (name:\"rn90-user\" id:\"${ep:0:12}\")
exit status 1"
	run --separate-stderr robbe network rm bridge
	[ "$status" -eq 1 ] || die "status $status"
	assert_equal "$stderr" $'Error response from daemon: bridge is a pre-defined network and cannot be removed\nexit status 1'
	run_robbe 1 network rm rn90-nope
	assert_contains "$output" "Error response from daemon: network rn90-nope not found"
	run_robbe network rm -f rn90-nope
	assert_output ""
	run_robbe 1 network prune -f --filter bogus=1
	assert_output "Error response from daemon: invalid filter 'bogus'"
	run_robbe network prune -f --filter 'label!=keep' --filter label=rn90=prune
	assert_output $'Deleted Networks:\nrn90-idle'
	assert_equal "$(robbe network prune -f --filter label=rn90=nothing | wc -c)" 0 "nothing pruned, nothing said"
	run_robbe network ls --format '{{.Name}}' --filter label=rn90=prune
	assert_output $'rn90-kept\nrn90-used'
	# A stopped container does not keep the network, as in Docker.
	robbe rm -f rn90-user >/dev/null
	run_robbe network rm rn90-used rn90-kept
	assert_output $'rn90-used\nrn90-kept'
}

@test "user network: names and aliases resolve, real HTTP between containers" {
	robbe network create --subnet 10.90.6.0/24 rn90-dns >/dev/null
	web rn90-web hello-by-name --network rn90-dns --network-alias rn90-alias
	run_robbe run --rm --network rn90-dns "$(IMG)" sh -c \
		'wget -qO- http://rn90-web/ && wget -qO- http://rn90-alias/ && cat /etc/resolv.conf'
	assert_equal "${lines[0]}" "hello-by-name"
	assert_equal "${lines[1]}" "hello-by-name"
	assert_contains "$output" "nameserver 10.90.6.1"
	# inspect: Docker's endpoint shape, DNSNames with the alias and short ID.
	local id
	id=$(robbe inspect -f '{{.Id}}' rn90-web)
	run_robbe inspect rn90-web
	local ep
	ep=$(jq '.[0].NetworkSettings.Networks["rn90-dns"]' <<<"$output")
	assert_equal "$(jq -c 'keys_unsorted' <<<"$ep")" \
		'["IPAMConfig","Links","Aliases","MacAddress","DriverOpts","GwPriority","NetworkID","EndpointID","Gateway","IPAddress","IPPrefixLen","IPv6Gateway","GlobalIPv6Address","GlobalIPv6PrefixLen","DNSNames"]'
	assert_equal "$(jq -r .IPAddress <<<"$ep")" "10.90.6.2"
	assert_equal "$(jq -r .Gateway <<<"$ep")" "10.90.6.1"
	assert_equal "$(jq -r .IPPrefixLen <<<"$ep")" "24"
	assert_equal "$(jq -c .Aliases <<<"$ep")" '["rn90-alias"]'
	assert_equal "$(jq -c .DNSNames <<<"$ep")" "[\"rn90-web\",\"rn90-alias\",\"${id:0:12}\"]"
	[[ "$(jq -r .MacAddress <<<"$ep")" =~ ^[0-9a-f]{2}(:[0-9a-f]{2}){5}$ ]] || die "mac"
	assert_equal "$(jq -r '.[0].NetworkSettings.IPAddress' <<<"$output")" "" "legacy fields only for bridge"
	assert_equal "$(jq -r '.[0].HostConfig.NetworkMode' <<<"$output")" "rn90-dns"
	# The network lists its running container.
	run_robbe network inspect -f '{{range $k, $v := .Containers}}{{$v.Name}} {{$v.IPv4Address}}{{end}}' rn90-dns
	assert_output "rn90-web 10.90.6.2/24"
	run_robbe ps --filter network=rn90-dns --format '{{.Names}} {{.Networks}}'
	assert_output "rn90-web rn90-dns"
}

@test "default bridge: Docker's settings, no names, the gateway reachable, host-gateway" {
	skip_if_rootless "the default network is a slirp4netns per container (100-rootless.bats)"
	web rn90-b1 on-bridge
	run_robbe inspect rn90-b1
	local ns
	ns=$(jq '.[0].NetworkSettings' <<<"$output")
	assert_equal "$(jq -c 'keys_unsorted' <<<"$ns")" \
		'["Bridge","SandboxID","SandboxKey","Ports","HairpinMode","LinkLocalIPv6Address","LinkLocalIPv6PrefixLen","SecondaryIPAddresses","SecondaryIPv6Addresses","EndpointID","Gateway","GlobalIPv6Address","GlobalIPv6PrefixLen","IPAddress","IPPrefixLen","IPv6Gateway","MacAddress","Networks"]'
	local ip
	ip=$(jq -r .IPAddress <<<"$ns")
	[[ "$ip" =~ ^172\.17\.[0-9]+\.[0-9]+$ ]] || die "IPAddress $ip"
	assert_equal "$(jq -r .Gateway <<<"$ns")" "172.17.0.1"
	assert_equal "$(jq -r .IPPrefixLen <<<"$ns")" "16"
	assert_equal "$(jq -r .Networks.bridge.IPAddress <<<"$ns")" "$ip"
	assert_equal "$(jq -r .Networks.bridge.DNSNames <<<"$ns")" "null"
	assert_equal "$(jq -r '.[0].HostConfig.NetworkMode' <<<"$output")" "bridge"
	# No name resolution on the default bridge, as in Docker; addresses work.
	run_robbe '?' run --rm "$(IMG)" timeout 10 wget -qO- http://rn90-b1/
	[ "$status" -ne 0 ] || die "a name resolved on the default bridge: $output"
	run_robbe run --rm "$(IMG)" wget -qO- "http://$ip/"
	assert_output "on-bridge"
	# Outbound: the gateway is the host.
	local port=${P}70 pid
	python3 -m http.server --bind 172.17.0.1 "$port" --directory "$BATS_TEST_TMPDIR" >/dev/null 2>&1 &
	pid=$!
	echo from-host > "$BATS_TEST_TMPDIR/hello.txt"
	wait_for 5 curl -sf "http://172.17.0.1:$port/hello.txt" >/dev/null
	run_robbe run --rm "$(IMG)" wget -qO- "http://172.17.0.1:$port/hello.txt"
	assert_output "from-host"
	# --add-host NAME:host-gateway and --dns.
	run_robbe run --rm --add-host gw.test:host-gateway --dns 10.90.99.53 --dns-search corp.test "$(IMG)" \
		sh -c 'grep gw.test /etc/hosts; cat /etc/resolv.conf'
	assert_equal "${lines[0]}" $'172.17.0.1\tgw.test'
	assert_contains "$output" "nameserver 10.90.99.53"
	assert_contains "$output" "search corp.test"
	# As Docker's, host-gateway is the default bridge's gateway on every
	# network: an address of the host's, reachable from a user network.
	robbe network create --subnet 10.90.7.0/24 --gateway 10.90.7.1 rn90-hg >/dev/null
	run_robbe run --rm --network rn90-hg --add-host gw.test:host-gateway "$(IMG)" \
		sh -c "grep gw.test /etc/hosts; wget -qO- http://gw.test:$port/hello.txt"
	kill "$pid"
	assert_output $'172.17.0.1\tgw.test\nfrom-host'
	run_robbe inspect -f '{{json .HostConfig.ExtraHosts}}' rn90-b1
	assert_output "null"
	robbe network rm rn90-hg >/dev/null
	# Like docker0, the bridge outlives its containers: a port of robbe's
	# own (a tap that is never up) keeps netavark from removing it.
	local master
	master=$(readlink /sys/class/net/robbe0-keep/master)
	assert_equal "${master##*/}" robbe0 "robbe0-keep's bridge"
	assert_equal "$(cat /sys/class/net/robbe0-keep/operstate)" down
	robbe rm -f rn90-b1 >/dev/null
	[ -d /sys/class/net/robbe0 ] || die "robbe0 went with its last container"
}

@test "default bridge: a host route on 172.17.0.0/16 (a docker0) moves it to the next free /16" {
	skip_if_rootless "the default network is a slirp4netns per container"
	# In a network and mount namespace of the test's own, with its own
	# machine-wide network directory: a docker0 holding 172.17.0.1/16.
	local s=$BATS_TEST_TMPDIR/s
	mkdir -p /run/robbe-network "$s"
	robbe --root "$s/root" --runroot "$s/run" pull -q "$(IMG)" >/dev/null
	cat > "$s/in-ns.sh" <<-EOF
		set -e
		mount -t tmpfs none /run/robbe-network
		ip link set lo up
		ip link add docker0 type bridge
		ip addr add 172.17.0.1/16 dev docker0
		ip link set docker0 up
		r="robbe --root $s/root --runroot $s/run"
		\$r network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' bridge
		\$r run --rm --add-host gw:host-gateway "$(IMG)" sh -c 'ip -4 -o addr show eth0 | awk "{print \\\$4}"; grep -w gw /etc/hosts'
		ip -4 -o addr show robbe0 | awk "{print \\\$4}"
		# conmon's cleanup tears the network down after run --rm returns
		for i in \$(seq 100); do pgrep -f "$s/run" >/dev/null || break; sleep 0.1; done
	EOF
	run unshare --net --mount sh "$s/in-ns.sh"
	echo "$output"
	assert_equal "$status" 0
	assert_equal "${lines[0]}" "172.18.0.0/16 172.18.0.1"
	[[ "${lines[1]}" =~ ^172\.18\.[0-9]+\.[0-9]+/16$ ]] || die "container address: ${lines[1]}"
	assert_equal "${lines[2]}" $'172.18.0.1\tgw'
	assert_equal "${lines[3]}" "172.18.0.1/16"
}

@test "published ports: port, ps PORTS, traffic from the host (TCP, 127.0.0.1, random, range)" {
	local net
	net=$(pubnet rn90-pub1 10.90.14.0/24)
	# shellcheck disable=SC2086
	web rn90-p1 published $net -p ${P}81:80 -p 127.0.0.1:${P}82:80 -p 8000 -p ${P}83-${P}84:7000-7001 --expose 9000
	local want
	run_robbe port rn90-p1
	local rand
	rand=$(robbe port rn90-p1 8000 | head -1 | sed 's/.*://')
	[ "$rand" -ge 1024 ] || die "random port $rand"
	# Docker sorts the lines in natural order: 80 before 7000.
	if host_has_ipv6; then
		want="80/tcp -> 0.0.0.0:${P}81
80/tcp -> 127.0.0.1:${P}82
80/tcp -> [::]:${P}81
7000/tcp -> 0.0.0.0:${P}83
7000/tcp -> [::]:${P}83
7001/tcp -> 0.0.0.0:${P}84
7001/tcp -> [::]:${P}84
8000/tcp -> 0.0.0.0:$rand
8000/tcp -> [::]:$rand"
	else
		want="80/tcp -> 0.0.0.0:${P}81
80/tcp -> 127.0.0.1:${P}82
7000/tcp -> 0.0.0.0:${P}83
7001/tcp -> 0.0.0.0:${P}84
8000/tcp -> 0.0.0.0:$rand"
	fi
	assert_output "$want"
	run_robbe port rn90-p1 80/tcp
	assert_equal "${lines[0]}" "0.0.0.0:${P}81"
	assert_equal "${lines[1]}" "127.0.0.1:${P}82"
	run_robbe 1 port rn90-p1 9000
	assert_output "Error: No public port '9000' published for rn90-p1"
	run_robbe ps --format '{{.Ports}}' --filter name=rn90-p1
	# Docker's DisplayablePorts: groups of unpublished ports first, then
	# each mapping, sorted by container port, host address, host port.
	if host_has_ipv6; then
		assert_output "9000/tcp, 0.0.0.0:${P}81->80/tcp, 127.0.0.1:${P}82->80/tcp, [::]:${P}81->80/tcp, 0.0.0.0:${P}83->7000/tcp, [::]:${P}83->7000/tcp, 0.0.0.0:${P}84->7001/tcp, [::]:${P}84->7001/tcp, 0.0.0.0:$rand->8000/tcp, [::]:$rand->8000/tcp"
	else
		assert_output "9000/tcp, 0.0.0.0:${P}81->80/tcp, 127.0.0.1:${P}82->80/tcp, 0.0.0.0:${P}83->7000/tcp, 0.0.0.0:${P}84->7001/tcp, 0.0.0.0:$rand->8000/tcp"
	fi
	# HostConfig and Config as Docker records them.
	run_robbe inspect -f '{{json .HostConfig.PortBindings}}' rn90-p1
	assert_output "{\"7000/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"${P}83\"}],\"7001/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"${P}84\"}],\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"${P}81\"},{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"${P}82\"}],\"8000/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}"
	run_robbe inspect -f '{{json .Config.ExposedPorts}}' rn90-p1
	assert_output '{"7000/tcp":{},"7001/tcp":{},"80/tcp":{},"8000/tcp":{},"9000/tcp":{}}'
	run_robbe inspect -f '{{json (index .NetworkSettings.Ports "9000/tcp")}}' rn90-p1
	assert_output "null"
	# Real traffic.
	run curl -sf http://127.0.0.1:${P}81/
	assert_output "published"
	run curl -sf http://127.0.0.1:${P}82/
	assert_output "published"
	local hostip
	hostip=$(ip -4 -o route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
	if [ -n "$hostip" ]; then
		run curl -sf "http://$hostip:${P}81/"
		assert_output "published"
	fi
	# The random host port leads to container port 8000.
	run_robbe exec rn90-p1 httpd -p 8000 -h /www
	run curl -sf "http://127.0.0.1:$rand/"
	assert_output "published"
	# ps filters.
	run_robbe ps --format '{{.Names}}' --filter "publish=${P}81"
	assert_output "rn90-p1"
	run_robbe ps --format '{{.Names}}' --filter expose=9000
	assert_output "rn90-p1"
	run_robbe ps --format '{{.Names}}' --filter publish=19999
	assert_output ""
	# Stopped: no ports shown, the bindings kept.
	robbe stop -t 0 rn90-p1 >/dev/null
	run_robbe inspect -f '{{json .NetworkSettings.Ports}} {{len .HostConfig.PortBindings}}' rn90-p1
	assert_output "{} 4"
	run_robbe port rn90-p1
	assert_output ""
}

@test "published ports: UDP, and -P with the image's and --expose's ports" {
	# busybox nc has no UDP: a tiny python echo server with the host's /usr.
	local net
	net=$(pubnet rn90-pub2 10.90.15.0/24)
	# shellcheck disable=SC2086
	robbe run -d --name rn90-udp $net -v /usr:/usr:ro -v /usr/lib:/lib:ro -v /usr/lib64:/lib64:ro \
		-p ${P}85:5353/udp "$(IMG)" /usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 5353))
while True:
    d, a = s.recvfrom(2048)
    s.sendto(b"echo:" + d, a)
' >/dev/null
	run_robbe port rn90-udp 5353/udp
	assert_equal "${lines[0]}" "0.0.0.0:${P}85"
	# Rootless, the reply of a container to a client on the host's
	# loopback is dropped by slirp4netns (--disable-host-loopback, which
	# keeps containers off the host's local services): ask from the
	# host's own address there.
	local to=127.0.0.1
	if [ "${ROBBE_TEST_ROOTLESS:-}" = 1 ]; then
		to=$(ip -4 -o route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')
		[ -n "$to" ] || skip "no host address besides loopback"
	fi
	run python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
for i in range(10):
    s.sendto(b"ping", (sys.argv[2], int(sys.argv[1])))
    try:
        print(s.recvfrom(100)[0].decode()); break
    except socket.timeout:
        time.sleep(0.5)
' "${P}85" "$to"
	assert_output "echo:ping"

	# shellcheck disable=SC2086
	robbe run -d --name rn90-all $net -P --expose 7070 --expose 7071/udp "$(IMG)" sleep 1000 >/dev/null
	run_robbe port rn90-all
	[[ "${lines[0]}" =~ ^7070/tcp\ -\>\ 0\.0\.0\.0:[0-9]+$ ]] || die "7070: ${lines[0]}"
	assert_contains "$output" "7071/udp -> 0.0.0.0:"
	run_robbe inspect -f '{{.HostConfig.PublishAllPorts}}' rn90-all
	assert_output "true"
}

@test "port conflicts: another container, a host process; nothing left half set up" {
	robbe network create --subnet 10.90.8.0/24 rn90-pc >/dev/null
	local bridge
	bridge=br-$(robbe network inspect -f '{{.Id}}' rn90-pc | cut -c1-12)
	web rn90-pc1 first --network rn90-pc -p ${P}86:80
	run_robbe 125 run -d --name rn90-pc2 --network rn90-pc -p ${P}86:80 "$(IMG)" sleep 1000
	assert_contains "$output" "Error response from daemon: failed to set up container networking: driver failed programming external connectivity on endpoint rn90-pc2 ("
	assert_contains "$output" "): Bind for 0.0.0.0:${P}86 failed: port is already allocated"
	run_robbe inspect -f '{{.State.Status}} {{.State.ExitCode}}' rn90-pc2
	assert_output "created 128"
	run_robbe inspect -f '{{.State.Error}}' rn90-pc2
	assert_contains "$output" "port is already allocated"
	local id2
	id2=$(robbe inspect -f '{{.Id}}' rn90-pc2)
	run in_netns ip -o link show master "$bridge"
	assert_equal "${#lines[@]}" 1 "only the first container's veth"
	run ls "$ROBBE_RUNROOT/netns"
	assert_not_contains "$output" "$id2"
	run in_netns iptables -t nat -S
	assert_not_contains "$output" "$id2"
	# The first one still serves.
	run curl -sf http://127.0.0.1:${P}86/
	assert_output "first"

	# A host process on the port.
	python3 -c 'import socket, sys, time; s = socket.socket(); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(); time.sleep(30)' "${P}87" &
	local pid=$!
	wait_for 5 python3 -c 'import socket, sys
try:
    socket.socket().bind(("0.0.0.0", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)' "${P}87"
	run_robbe 125 run -d --name rn90-pc3 --network rn90-pc -p ${P}87:80 "$(IMG)" sleep 1000
	kill "$pid"
	assert_contains "$output" "failed to bind host port for 0.0.0.0:${P}87:10.90.8."
	assert_contains "$output" ":80/tcp: address already in use"
	run in_netns ip -o link show master "$bridge"
	assert_equal "${#lines[@]}" 1 "still one veth"
	robbe rm -f rn90-pc1 rn90-pc2 rn90-pc3 >/dev/null
	robbe network rm rn90-pc >/dev/null
}

@test "10 containers started in parallel on one network get distinct addresses" {
	robbe network create --subnet 10.90.9.0/24 rn90-par >/dev/null
	local i
	for i in $(seq 1 10); do
		robbe run -d --name "rn90-par$i" --network rn90-par "$(IMG)" sleep 1000 >/dev/null &
	done
	wait
	run_robbe ps --filter network=rn90-par -q
	assert_equal "${#lines[@]}" 10 "running"
	run bash -c 'for i in $(seq 1 10); do robbe inspect -f "{{(index .NetworkSettings.Networks \"rn90-par\").IPAddress}}" rn90-par$i; done | sort -u'
	assert_equal "${#lines[@]}" 10 "distinct addresses: $output"
	for i in "${lines[@]}"; do
		[[ "$i" =~ ^10\.90\.9\.([2-9]|1[01])$ ]] || die "address $i"
	done
	# And they reach each other.
	local ip
	ip=$(robbe inspect -f '{{(index .NetworkSettings.Networks "rn90-par").IPAddress}}' rn90-par7)
	run_robbe exec rn90-par3 ping -c 1 -W 3 "$ip"
	run_robbe exec rn90-par3 ping -c 1 -W 3 rn90-par7
	robbe rm -f $(seq -f 'rn90-par%g' 1 10) >/dev/null
	robbe network rm rn90-par >/dev/null
}

@test "connect and disconnect, running and stopped" {
	robbe network create --subnet 10.90.10.0/24 rn90-c1 >/dev/null
	robbe network create --subnet 10.90.11.0/24 rn90-c2 >/dev/null
	web rn90-srv served --network rn90-c1
	robbe run -d --name rn90-cli --network rn90-c2 "$(IMG)" sleep 1000 >/dev/null
	run_robbe '?' run --rm --network rn90-c2 "$(IMG)" timeout 10 wget -qO- http://rn90-srv/
	[ "$status" -ne 0 ] || die "rn90-srv reachable before connect: $output"
	run_robbe network connect --alias rn90-srv-alias --ip 10.90.11.50 rn90-c2 rn90-srv
	assert_output ""
	run_robbe exec rn90-srv ip -4 -o addr show eth1
	assert_contains "$output" "inet 10.90.11.50/24"
	run_robbe exec rn90-cli wget -qO- http://rn90-srv-alias/
	assert_output "served"
	run_robbe inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}' rn90-srv
	assert_output "rn90-c1=10.90.10.2 rn90-c2=10.90.11.50 "
	run_robbe 1 network connect rn90-c2 rn90-srv
	assert_output "Error response from daemon: endpoint with name rn90-srv already exists in network rn90-c2"
	run_robbe 1 network connect --ip 10.90.11.9 bridge rn90-srv
	assert_output "Error response from daemon: user specified IP address is supported on user defined networks only"
	run_robbe network disconnect rn90-c2 rn90-srv
	run_robbe 1 exec rn90-srv ip -4 -o addr show eth1
	run_robbe '?' exec rn90-cli timeout 10 wget -qO- http://rn90-srv-alias/
	[ "$status" -ne 0 ] || die "alias still answers after disconnect: $output"
	local id
	id=$(robbe inspect -f '{{.Id}}' rn90-srv)
	run_robbe 1 network disconnect rn90-c2 rn90-srv
	assert_output "Error response from daemon: container $id is not connected to network rn90-c2"
	run_robbe 1 network connect rn90-nope rn90-srv
	assert_output "Error response from daemon: network rn90-nope not found"
	# A container of the default network joins a user network, as in
	# Docker; rootless, its default network is a slirp4netns of its own,
	# which cannot be (Podman refuses this too).
	robbe run -d --name rn90-def "$(IMG)" sleep 1000 >/dev/null
	if [ "${ROBBE_TEST_ROOTLESS:-}" = 1 ]; then
		run_robbe 1 network connect rn90-c1 rn90-def
		assert_output "Error response from daemon: cannot connect container rn90-def to network rn90-c1: rootless, the default network is a slirp4netns of the container's own, which cannot be joined with other networks; create the container on the networks it needs (--network)"
		run_robbe 1 network connect bridge rn90-srv
		assert_contains "$output" "cannot connect container rn90-srv to network bridge: rootless"
	else
		run_robbe network connect rn90-c1 rn90-def
		run_robbe exec rn90-def wget -qO- http://10.90.10.2/
		assert_output "served"
		# ... and, as Docker's, it resolves the names there from now on.
		run_robbe exec rn90-def wget -qO- http://rn90-srv/
		assert_output "served"
	fi
	robbe rm -f rn90-def >/dev/null
	# Stopped: recorded, set up at the next start.
	robbe stop -t 0 rn90-cli >/dev/null
	run_robbe network connect rn90-c1 rn90-cli
	run_robbe inspect -f '{{(index .NetworkSettings.Networks "rn90-c1").IPAddress}}|' rn90-cli
	assert_output "|"
	robbe start rn90-cli >/dev/null
	run_robbe exec rn90-cli wget -qO- http://rn90-srv/
	assert_output "served"
	robbe stop -t 0 rn90-cli >/dev/null
	if [ "${ROBBE_TEST_ROOTLESS:-}" != 1 ]; then
		# Stopped on the default bridge, connected, started: names too.
		robbe create --name rn90-def2 "$(IMG)" sleep 1000 >/dev/null
		run_robbe network connect rn90-c1 rn90-def2
		robbe start rn90-def2 >/dev/null
		run_robbe exec rn90-def2 wget -qO- http://rn90-srv/
		assert_output "served"
		robbe rm -f rn90-def2 >/dev/null
	fi
	run_robbe network disconnect rn90-c2 rn90-cli
	run_robbe inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' rn90-cli
	assert_output "rn90-c1 "
	robbe rm -f rn90-srv rn90-cli >/dev/null
	robbe network rm rn90-c1 rn90-c2 >/dev/null
}

@test "run: network flags Docker refuses, -p syntax errors" {
	run_robbe 125 run --rm --ip 10.1.1.1 "$(IMG)" true
	assert_contains "$output" "user specified IP address is supported on user defined networks only"
	run_robbe 125 run --rm --network-alias x "$(IMG)" true
	assert_contains "$output" "network-scoped alias is supported only for containers in user defined networks"
	run_robbe 125 run --rm -p abc "$(IMG)" true
	assert_contains "$output" "invalid containerPort: abc"
	run_robbe 125 run --rm -p 1.2.3:80:80 "$(IMG)" true
	assert_contains "$output" "invalid IP address: 1.2.3"
	run_robbe 125 run --rm -p 80/icmp "$(IMG)" true
	assert_contains "$output" "invalid proto: icmp"
	run_robbe 125 run --rm --mac-address 92:d0:c6:0a:29 "$(IMG)" true
	assert_contains "$output" "92:d0:c6:0a:29 is not a valid mac address"
	robbe run -d --name rn90-owner "$(IMG)" sleep 1000 >/dev/null
	run_robbe 125 run --rm --network container:rn90-owner -p 80:80 "$(IMG)" true
	assert_contains "$output" "conflicting options: port publishing and the container type network mode"
	run_robbe 125 run --rm --network rn90-none "$(IMG)" true
	assert_contains "$output" "network rn90-none not found"
	robbe network create --subnet 10.90.12.0/24 rn90-mac >/dev/null
	run_robbe run --rm --network rn90-mac --mac-address 92:d0:c6:0a:29:33 --ip 10.90.12.33 "$(IMG)" \
		sh -c 'cat /sys/class/net/eth0/address; ip -4 -o addr show eth0'
	assert_equal "${lines[0]}" "92:d0:c6:0a:29:33"
	assert_contains "${lines[1]}" "inet 10.90.12.33/24"
	robbe network rm rn90-mac >/dev/null
}

@test "teardown is complete: rm -f, a natural exit, kill -9 of conmon" {
	robbe network create --subnet 10.90.13.0/24 rn90-td >/dev/null
	local bridge id
	bridge=br-$(robbe network inspect -f '{{.Id}}' rn90-td | cut -c1-12)

	# rm -f of a running container with a published port and a DNS entry.
	web rn90-td1 x --network rn90-td -p ${P}88:80
	id=$(robbe inspect -f '{{.Id}}' rn90-td1)
	run in_netns ip -o link show master "$bridge"
	assert_equal "${#lines[@]}" 1 "a veth while it runs"
	run in_netns iptables -t nat -S
	assert_contains "$output" "$id"
	assert_contains "$(cat "$ROBBE_RUNROOT/networks/aardvark-dns/rn90-td")" "$id"
	robbe rm -f rn90-td1 >/dev/null
	assert_no_leftovers "$id" "$bridge" 10.90.13.0/24 rn90-td
	run in_netns ip link show "$bridge"
	[ "$status" -ne 0 ] || die "the bridge is still there after its last container"

	# A container that ends by itself (conmon's cleanup tears down).
	robbe run -d --name rn90-td2 --network rn90-td -p ${P}89:80 "$(IMG)" sleep 1 >/dev/null
	id=$(robbe inspect -f '{{.Id}}' rn90-td2)
	wait_for 10 test ! -e "$ROBBE_RUNROOT/networks/$id.json"
	assert_no_leftovers "$id" "$bridge" 10.90.13.0/24 rn90-td
	run_robbe inspect -f '{{.State.Status}} {{json .NetworkSettings.Ports}} {{(index .NetworkSettings.Networks "rn90-td").IPAddress}}|' rn90-td2
	assert_output "exited {} |"

	# conmon killed, then the container dies: the next look cleans up.
	robbe run -d --name rn90-td3 --network rn90-td -p ${P}90:80 "$(IMG)" sleep 1000 >/dev/null
	id=$(robbe inspect -f '{{.Id}}' rn90-td3)
	local conmon pid
	conmon=$(cat "$ROBBE_RUNROOT/containers/$id/conmon.pid")
	pid=$(robbe inspect -f '{{.State.Pid}}' rn90-td3)
	kill -9 "$conmon"
	kill -9 "$pid"
	wait_for 5 sh -c "! kill -0 $pid 2>/dev/null"
	run_robbe ps -a --filter name=rn90-td3 --format '{{.Status}}'
	[[ "$output" =~ ^Exited ]] || die "status: $output"
	assert_no_leftovers "$id" "$bridge" 10.90.13.0/24 rn90-td

	# stop releases at once (stop && network rm works, as in Docker).
	robbe run -d --name rn90-td4 --network rn90-td "$(IMG)" sleep 1000 >/dev/null
	robbe stop -t 0 rn90-td4 >/dev/null
	run_robbe network rm rn90-td
	assert_output "rn90-td"
}

@test "inspect without --type finds networks and volumes after containers and images" {
	run_robbe network create rn90-insp
	run_robbe volume create rn90-vol
	run_robbe inspect -f '{{.Name}} {{.Driver}} {{.Scope}}' rn90-insp rn90-vol
	assert_equal "${lines[0]}" "rn90-insp bridge local"
	assert_equal "${lines[1]}" "rn90-vol local local"
	run_robbe 1 inspect --type network rn90-vol
	assert_contains "$output" "Error response from daemon: network rn90-vol not found"
	run_robbe 1 inspect --type volume rn90-insp
	assert_contains "$output" "Error response from daemon: get rn90-insp: no such volume"
	run_robbe 1 inspect rn90-nothing
	assert_contains "$output" "Error: No such object: rn90-nothing"
	run_robbe network rm rn90-insp
	run_robbe volume rm rn90-vol
}
