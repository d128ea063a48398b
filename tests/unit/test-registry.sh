#!/bin/sh
# Run tests/unit/test-registry (TAP) against real registries on 127.0.0.1:
#   - Debian's docker-registry without auth,
#   - docker-registry with htpasswd (Basic) auth,
#   - a small Python server that injects faults (500 once, a connection
#     reset mid-body, redirects to another origin, a corrupt blob, schema 1
#     and oversized manifests) behind Bearer-token auth.
# Everything is stopped and removed on exit.
set -u

if ! command -v docker-registry >/dev/null 2>&1 || ! command -v htpasswd >/dev/null 2>&1 ||
	! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP needs docker-registry, htpasswd (apache2-utils) and python3"
	exit 0
fi

bin=${TEST_REGISTRY_BIN:-./tests/unit/test-registry}
tmp=$(mktemp -d /tmp/robbe-test-registry.XXXXXX) || exit 1
pids=""

cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT: until something accepts connections on 127.0.0.1:PORT.
wait_port() {
	python3 - "$1" <<'EOF'
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
EOF
}

# start_registry NAME [auth]: sets $port.  Not run in a subshell, so that
# the pid lands in $pids for cleanup.
start_registry() {
	dir="$tmp/$1"
	port=$(free_port)
	mkdir -p "$dir/data"
	{
		echo "version: 0.1"
		echo "log: {level: error, accesslog: {disabled: true}}"
		echo "storage:"
		echo "  filesystem: {rootdirectory: $dir/data}"
		echo "http: {addr: 127.0.0.1:$port}"
		if [ "${2:-}" = auth ]; then
			htpasswd -Bbn robbeuser robbe-pass-42 > "$dir/htpasswd"
			echo "auth: {htpasswd: {realm: robbe-test, path: $dir/htpasswd}}"
		fi
	} > "$dir/config.yml"
	docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
	pids="$pids $!"
}

cat > "$tmp/faults.py" <<'EOF'
# A registry-shaped HTTP server that misbehaves on purpose.  Server A speaks
# Bearer auth (realm on itself); server B is "blob storage" on another origin
# and refuses any request that carries an Authorization header.
import base64, hashlib, json, socket, struct, sys, threading, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

blob = open(sys.argv[1], "rb").read()
digest = "sha256:" + hashlib.sha256(blob).hexdigest()
portfile = sys.argv[2]
counts = {}
lock = threading.Lock()
USER, PASS = "faultuser", "fault-pass"
ports = {}

def count(key):
    with lock:
        counts[key] = counts.get(key, 0) + 1
        return counts[key]

class Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
    def error(self, code, errcode, msg, extra=()):
        body = json.dumps({"errors": [{"code": errcode, "message": msg}]}).encode()
        self.reply(code, body, [("Content-Type", "application/json")] + list(extra))

class A(Base):
    def challenge(self, scope=None):
        v = 'Bearer realm="http://127.0.0.1:%d/token",service="robbe-faults"' % ports["a"]
        if scope:
            v += ',scope="%s"' % scope
        return [("WWW-Authenticate", v)]

    def token(self, query):
        q = urllib.parse.parse_qs(query)
        scopes = " ".join(q.get("scope", []))
        count("token " + scopes)
        auth = self.headers.get("Authorization")
        if auth:
            user, _, pw = base64.b64decode(auth.split(" ", 1)[1]).decode().partition(":")
            if (user, pw) != (USER, PASS):
                return self.reply(401, json.dumps({"details": "incorrect username or password"}).encode(),
                                  [("Content-Type", "application/json")])
        body = json.dumps({"token": "tok:" + scopes, "expires_in": 300}).encode()
        self.reply(200, body, [("Content-Type", "application/json")])

    def allowed(self, repo):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer tok:"):
            return False
        grants = auth[len("Bearer tok:"):].split(" ")
        return any(g.startswith("repository:%s:" % repo) for g in grants)

    def blob(self, repo, kind):
        n = count(urllib.parse.urlsplit(self.path).path)
        if kind == "retry" and n == 1:
            return self.error(500, "UNKNOWN", "try again")
        if kind == "always500":
            return self.error(503, "UNAVAILABLE", "service unavailable")
        if kind == "reset" and n == 1:
            # Half the body, then a connection reset.
            self.send_response(200)
            self.send_header("Content-Length", str(len(blob)))
            self.end_headers()
            self.wfile.write(blob[: len(blob) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if kind == "redirect":
            loc = "http://127.0.0.1:%d/storage/%s" % (ports["b"], digest)
            return self.reply(307, b"", [("Location", loc)])
        if kind == "relredirect" and "final" not in self.path:
            return self.reply(302, b"", [("Location", "/v2/relredirect/blobs/%s?final=1" % digest)])
        if kind == "corrupt":
            bad = bytearray(blob)
            bad[1000] ^= 0xFF
            return self.reply(200, bytes(bad), [("Content-Type", "application/octet-stream")])
        self.reply(200, blob, [("Content-Type", "application/octet-stream"), ("Docker-Content-Digest", digest)])

    def manifest(self, repo):
        count(self.path)
        if repo == "schema1":
            body = json.dumps({"schemaVersion": 1, "name": "schema1", "tag": "latest", "fsLayers": []}).encode()
            return self.reply(200, body, [("Content-Type", "application/vnd.docker.distribution.manifest.v1+prettyjws")])
        if repo == "baddcd":
            body = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "config": {}, "layers": []}).encode()
            return self.reply(200, body, [("Content-Type", "application/vnd.oci.image.manifest.v1+json"),
                                          ("Docker-Content-Digest", "sha256:" + "0" * 64)])
        if repo == "huge":
            body = b'{"schemaVersion": 2, "pad": "' + b"x" * (5 << 20) + b'"}'
            return self.reply(200, body, [("Content-Type", "application/vnd.oci.image.manifest.v1+json")])
        self.error(404, "MANIFEST_UNKNOWN", "manifest unknown")

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/stats":
            with lock:
                return self.reply(200, json.dumps(counts).encode(), [("Content-Type", "application/json")])
        if url.path == "/token":
            return self.token(url.query)
        if url.path == "/v2/":
            if self.headers.get("Authorization", "").startswith("Bearer tok:"):
                return self.reply(200, b"{}")
            return self.error(401, "UNAUTHORIZED", "authentication required", self.challenge())
        parts = url.path.split("/")
        # /v2/<repo>/blobs/<digest> or /v2/<repo>/manifests/<ref>
        if len(parts) == 5 and parts[1] == "v2":
            repo, what = parts[2], parts[3]
            if not self.allowed(repo):
                return self.error(401, "UNAUTHORIZED", "authentication required",
                                  self.challenge("repository:%s:pull" % repo))
            if what == "blobs":
                return self.blob(repo, repo)
            if what == "manifests":
                return self.manifest(repo)
        self.error(404, "NOT_FOUND", "not found")

    do_GET = route
    do_HEAD = route

class B(Base):
    def do_GET(self):
        count("storage")
        if self.headers.get("Authorization"):
            count("storage leaked authorization")
            return self.reply(400, b"Authorization leaked to blob storage")
        self.reply(200, blob, [("Content-Type", "application/octet-stream")])

a = ThreadingHTTPServer(("127.0.0.1", 0), A)
b = ThreadingHTTPServer(("127.0.0.1", 0), B)
ports["a"], ports["b"] = a.server_address[1], b.server_address[1]
threading.Thread(target=b.serve_forever, daemon=True).start()
with open(portfile + ".tmp", "w") as f:
    f.write("%d %d\n" % (ports["a"], ports["b"]))
import os
os.rename(portfile + ".tmp", portfile)
a.serve_forever()
EOF

head -c 1048576 /dev/urandom > "$tmp/fault-blob"
python3 "$tmp/faults.py" "$tmp/fault-blob" "$tmp/fault-ports" > "$tmp/faults.log" 2>&1 &
pids="$pids $!"

start_registry open
open_port=$port
start_registry auth auth
auth_port=$port
for p in "$open_port" "$auth_port"; do
	if ! wait_port "$p"; then
		echo "Bail out! docker-registry did not start on port $p"
		sed 's/^/# /' "$tmp"/open/log "$tmp"/auth/log
		exit 1
	fi
done
i=0
while [ ! -f "$tmp/fault-ports" ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
if [ ! -f "$tmp/fault-ports" ]; then
	echo "Bail out! the fault server did not start"
	sed 's/^/# /' "$tmp/faults.log"
	exit 1
fi
read -r fault_a fault_b < "$tmp/fault-ports"

# A name other than "localhost" that resolves to 127.0.0.1 lets the test
# check the HTTPS-then-HTTP fallback of insecure registries.
insecure_name=""
h=$(hostname 2>/dev/null || true)
if [ -n "$h" ] && [ "$h" != localhost ] && getent ahostsv4 "$h" 2>/dev/null | grep -q '^127\.0\.0\.1 '; then
	insecure_name=$h
fi

REG_OPEN="127.0.0.1:$open_port" \
REG_OPEN_DATA="$tmp/open/data" \
REG_AUTH="127.0.0.1:$auth_port" \
REG_AUTH_USER=robbeuser \
REG_AUTH_PASS=robbe-pass-42 \
FAULTS="127.0.0.1:$fault_a" \
FAULTS_STORAGE="127.0.0.1:$fault_b" \
FAULT_BLOB="$tmp/fault-blob" \
FAULT_USER=faultuser \
FAULT_PASS=fault-pass \
INSECURE_NAME="$insecure_name" \
TEST_TMPDIR="$tmp" \
	"$bin" &
test_pid=$!
pids="$test_pid $pids"
wait "$test_pid"
rc=$?
if [ $rc -ne 0 ]; then
	for f in "$tmp"/open/log "$tmp"/auth/log "$tmp/faults.log"; do
		[ -s "$f" ] && sed "s|^|# $(basename "$(dirname "$f")")/$(basename "$f"): |" "$f"
	done
fi
exit $rc
