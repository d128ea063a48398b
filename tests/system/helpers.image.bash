# Test images for the system tests, uploaded straight through the Registry
# API (python3), so the image tests do not depend on robbe's own push.
#
#   make_test_image REGISTRY REPO:TAG [OPTIONS]
#
# The image: layer 1 is the busybox rootfs ($ROBBE_TEST_ROOTFS); layer 2
# adds /robbe/hello.txt and whites out /bin/vi.  The config has Cmd ["sh"],
# an Env, Labels {"org.robbe.test": "yes", "maintainer": "robbe"} and a
# history of three entries (one of them an empty layer).
#
# Options:
#   --compression gzip|zstd|none   how the layers are stored (default gzip)
#   --oci                          OCI media types (default: Docker schema 2)
#   --index                        an OCI index with linux/amd64 and linux/arm64
#                                  (the arm64 image has label arch=arm64)
#   --label K=V                    another label (makes a distinct image)
#   --big MB                       add a layer of MB random megabytes
#   --bad-diff-id                  the last layer's content does not match the
#                                  config's diff ID
#   --evil dotdot|symlink          layer 2 tries to escape the root
#   --extra-layer TEXT             add a small layer with /extra.txt = TEXT
#
# Prints a JSON object: {"digest": manifest or index digest, "config":
# config digest (image ID), "layers": [...blob digests...]}.

make_test_image() {
	python3 - "$ROBBE_TEST_ROOTFS" "$@" <<'PY'
import gzip, hashlib, io, json, os, subprocess, sys, tarfile, urllib.request, urllib.error

rootfs = sys.argv[1]
reg, ref = sys.argv[2], sys.argv[3]
args = sys.argv[4:]
opts = {"compression": "gzip", "oci": False, "index": False, "labels": {}, "big": 0,
        "bad_diff_id": False, "evil": None, "extra": None}
i = 0
while i < len(args):
    a = args[i]
    if a == "--compression": opts["compression"] = args[i + 1]; i += 2
    elif a == "--oci": opts["oci"] = True; i += 1
    elif a == "--index": opts["index"] = True; i += 1
    elif a == "--label":
        k, v = args[i + 1].split("=", 1); opts["labels"][k] = v; i += 2
    elif a == "--big": opts["big"] = int(args[i + 1]); i += 2
    elif a == "--bad-diff-id": opts["bad_diff_id"] = True; i += 1
    elif a == "--evil": opts["evil"] = args[i + 1]; i += 2
    elif a == "--extra-layer": opts["extra"] = args[i + 1]; i += 2
    else: sys.exit("make_test_image: unknown option " + a)
repo, tag = ref.rsplit(":", 1)

def sha(b): return "sha256:" + hashlib.sha256(b).hexdigest()

def tar_of(entries):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for e in entries:
            info = tarfile.TarInfo(e["name"])
            info.mtime = 1600000000
            info.mode = e.get("mode", 0o644)
            if e.get("type") == "dir":
                info.type = tarfile.DIRTYPE; info.mode = 0o755
                t.addfile(info)
            elif e.get("type") == "symlink":
                info.type = tarfile.SYMTYPE; info.linkname = e["target"]
                t.addfile(info)
            else:
                data = e.get("data", b"")
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    return raw.getvalue()

def compress(raw):
    c = opts["compression"]
    if c == "gzip":
        return gzip.compress(raw, compresslevel=1, mtime=0)
    if c == "zstd":
        return subprocess.run(["zstd", "-q", "-c", "-3"], input=raw, stdout=subprocess.PIPE, check=True).stdout
    return raw

def layer_type():
    c = opts["compression"]
    if not opts["oci"] and c == "gzip":
        return "application/vnd.docker.image.rootfs.diff.tar.gzip"
    return {"gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
            "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
            "none": "application/vnd.oci.image.layer.v1.tar"}[c]

def put_blob(data):
    d = sha(data)
    try:
        urllib.request.urlopen(urllib.request.Request(f"http://{reg}/v2/{repo}/blobs/{d}", method="HEAD"))
        return d
    except urllib.error.HTTPError:
        pass
    loc = urllib.request.urlopen(urllib.request.Request(
        f"http://{reg}/v2/{repo}/blobs/uploads/", method="POST", data=b"")).headers["Location"]
    if loc.startswith("/"): loc = f"http://{reg}{loc}"
    sep = "&" if "?" in loc else "?"
    urllib.request.urlopen(urllib.request.Request(f"{loc}{sep}digest={d}", method="PUT", data=data,
                           headers={"Content-Type": "application/octet-stream"}))
    return d

def put_manifest(ref, body, mt):
    urllib.request.urlopen(urllib.request.Request(f"http://{reg}/v2/{repo}/manifests/{ref}", method="PUT",
                           data=body, headers={"Content-Type": mt}))
    return sha(body)

def image(arch, extra_labels):
    with open(rootfs, "rb") as f:
        base = f.read()
    layers = [base]
    second = [{"name": "robbe", "type": "dir"},
              {"name": "robbe/hello.txt", "data": b"hello from layer 2\n"},
              {"name": "bin/.wh.vi", "data": b""}]
    if opts["evil"] == "dotdot":
        second.append({"name": "../../escaped.txt", "data": b"out\n"})
    elif opts["evil"] == "symlink":
        second.append({"name": "robbe/out", "type": "symlink", "target": "/tmp"})
        second.append({"name": "robbe/out/escaped.txt", "data": b"out\n"})
    layers.append(tar_of(second))
    if opts["extra"] is not None:
        layers.append(tar_of([{"name": "extra.txt", "data": opts["extra"].encode() + b"\n"}]))
    if opts["big"]:
        layers.append(tar_of([{"name": "big.bin", "data": os.urandom(opts["big"] << 20)}]))
    descs, diffs = [], []
    for raw in layers:
        blob = compress(raw)
        d = put_blob(blob)
        size = len(blob)
        if opts["bad_diff_id"] and raw is layers[-1]:
            # the manifest points at a blob whose tar is not the one the
            # config's diff ID names
            other = compress(raw + b"\0" * 1024)
            d = put_blob(other)
            size = len(other)
        descs.append({"mediaType": layer_type(), "size": size, "digest": d})
        diffs.append(sha(raw))
    labels = {"org.robbe.test": "yes", "maintainer": "robbe"}
    labels.update(opts["labels"]); labels.update(extra_labels)
    config = {
        "architecture": arch, "os": "linux",
        "created": "2024-01-02T03:04:05.123456789Z",
        "author": "robbe tests",
        "config": {"Cmd": ["sh"], "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                   "WorkingDir": "/", "Labels": labels},
        "rootfs": {"type": "layers", "diff_ids": diffs},
        "history": [{"created": "2024-01-02T03:04:00Z", "created_by": "/bin/sh -c #(nop) ADD file:busybox in / "},
                    {"created": "2024-01-02T03:04:01Z", "created_by": "/bin/sh -c #(nop)  CMD [\"sh\"]", "empty_layer": True}]
                   + [{"created": "2024-01-02T03:04:05Z", "created_by": f"/bin/sh -c echo layer {n}", "comment": "robbe test"}
                      for n in range(2, len(layers) + 1)],
    }
    cbytes = json.dumps(config).encode()
    cd = put_blob(cbytes)
    if opts["oci"] or opts["index"]:
        mt, cmt = "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.config.v1+json"
    else:
        mt, cmt = "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.container.image.v1+json"
    m = json.dumps({"schemaVersion": 2, "mediaType": mt,
                    "config": {"mediaType": cmt, "size": len(cbytes), "digest": cd},
                    "layers": descs}).encode()
    return m, mt, cd, [d["digest"] for d in descs]

if opts["index"]:
    entries, out = [], {}
    for arch in ("amd64", "arm64"):
        m, mt, cd, ls = image(arch, {"arch": arch})
        md = put_manifest(sha(m), m, mt)
        entries.append({"mediaType": mt, "size": len(m), "digest": md,
                        "platform": {"architecture": arch, "os": "linux"}})
        out[arch] = {"config": cd, "manifest": md, "layers": ls}
    idx = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                      "manifests": entries}).encode()
    d = put_manifest(tag, idx, "application/vnd.oci.image.index.v1+json")
    out["digest"] = d
    print(json.dumps(out))
else:
    m, mt, cd, ls = image("amd64", {})
    d = put_manifest(tag, m, mt)
    print(json.dumps({"digest": d, "config": cd, "layers": ls}))
PY
}

# json_get JSON KEY...: a value from make_test_image's output.
json_get() {
	python3 -c 'import json,sys; v=json.loads(sys.argv[1])
for k in sys.argv[2:]: v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$@"
}

# The suite's shared test image: $ROBBE_TEST_REGISTRY/robbe/busybox:latest.
# Built once per suite run (setup_suite may call this); later calls only
# check it is there.
ensure_test_image() {
	local reg=${ROBBE_TEST_REGISTRY:?}
	if [ -n "${ROBBE_TEST_ROOT:-}" ] && [ -f "$ROBBE_TEST_ROOT/test-image.json" ]; then
		return 0
	fi
	make_test_image "$reg" robbe/busybox:latest > "${ROBBE_TEST_ROOT:-$BATS_SUITE_TMPDIR}/test-image.json"
}

# corrupt_registry_blob DIGEST flip|truncate: damage a blob in the open
# registry's storage, so that it serves other bytes (flip: same length) or
# fewer (truncate) under the same digest.
corrupt_registry_blob() {
	local hex=${1#sha256:} how=$2
	local f="$ROBBE_TEST_ROOT/registry-open/data/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"
	[ -f "$f" ] || die "no blob file $f"
	case $how in
		flip) python3 -c 'import sys
p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=0xff; open(p,"wb").write(bytes(b))' "$f" ;;
		truncate) truncate -s $(( $(stat -c %s "$f") / 2 )) "$f" ;;
		*) die "corrupt_registry_blob: flip or truncate" ;;
	esac
}
