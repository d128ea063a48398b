#!/usr/bin/env python3
"""Build a multi-layer test image and upload it to a registry (Registry API v2).

    make-image.py REGISTRY REPO:TAG [--scale N]

Layers (at --scale 1, about 200 MB uncompressed):
  1. 64 MB of random bytes (incompressible)
  2. 64 MB of random bytes (incompressible)
  3. 48 MB of repetitive text (compressible)
  4. 20,000 small files
The layers are gzip-compressed tarballs; the manifest is Docker schema 2.
Only for registries on loopback (plain HTTP)."""
import gzip, hashlib, io, json, os, sys, tarfile, time, urllib.request

def layer_from(entries):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1600000000
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    raw = raw.getvalue()
    comp = gzip.compress(raw, compresslevel=1, mtime=0)
    return comp, "sha256:" + hashlib.sha256(raw).hexdigest()

def put_blob(reg, repo, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    head = urllib.request.Request(f"http://{reg}/v2/{repo}/blobs/{digest}", method="HEAD")
    try:
        urllib.request.urlopen(head)
        return digest
    except urllib.error.HTTPError:
        pass
    post = urllib.request.Request(f"http://{reg}/v2/{repo}/blobs/uploads/", method="POST", data=b"")
    loc = urllib.request.urlopen(post).headers["Location"]
    if loc.startswith("/"):
        loc = f"http://{reg}{loc}"
    sep = "&" if "?" in loc else "?"
    put = urllib.request.Request(f"{loc}{sep}digest={digest}", method="PUT", data=data,
                                 headers={"Content-Type": "application/octet-stream"})
    urllib.request.urlopen(put)
    return digest

def main():
    reg, ref = sys.argv[1], sys.argv[2]
    scale = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--scale" else 1.0
    repo, tag = ref.rsplit(":", 1)
    mb = int(1024 * 1024 * scale)
    rnd = lambda n: os.urandom(n)
    text = (b"robbe benchmark line of compressible text 0123456789\n" * (48 * mb // 54 + 1))[:48 * mb]
    layers = [
        layer_from([("random-a.bin", rnd(64 * mb))]),
        layer_from([("random-b.bin", rnd(64 * mb))]),
        layer_from([("text.txt", text)]),
        layer_from([(f"small/{i // 1000:02d}/f{i:05d}", b"x" * (i % 200)) for i in range(int(20000 * scale))]),
    ]
    descs = []
    for comp, _ in layers:
        d = put_blob(reg, repo, comp)
        descs.append({"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                      "size": len(comp), "digest": d})
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "created": "2020-09-13T12:26:40Z",
        "config": {"Cmd": ["/bin/sh"], "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": [diff for _, diff in layers]},
        "history": [{"created": "2020-09-13T12:26:40Z", "created_by": f"bench layer {i}"} for i in range(len(layers))],
    }).encode()
    cd = put_blob(reg, repo, config)
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": len(config), "digest": cd},
        "layers": descs,
    }).encode()
    req = urllib.request.Request(f"http://{reg}/v2/{repo}/manifests/{tag}", method="PUT", data=manifest,
                                 headers={"Content-Type": "application/vnd.docker.distribution.manifest.v2+json"})
    urllib.request.urlopen(req)
    print(json.dumps({"layers": [d["digest"] for d in descs], "config": cd,
                      "bytes": sum(d["size"] for d in descs)}))

if __name__ == "__main__":
    main()
