#!/usr/bin/env bash
# TensorRT 10.6's libraries, the builder's included, from the JavaCPP
# redistribution on Maven Central, laid out as run-on-gpu.sh expects them
# (TRT_DIR/lib). NVIDIA's tensorrt-cu12-libs / -cu13-libs on PyPI are source
# stubs that download from NVIDIA's own servers at install time; this jar is a
# plain file on Maven Central, so it also reaches machines that see only the
# usual package registries.
#
#   tensorrt-from-maven.sh TRT_DIR          downloads the jar (1.09 GB), checks it, extracts
#   tensorrt-from-maven.sh TRT_DIR JAR      a jar already on this machine
#   tensorrt-from-maven.sh TRT_DIR DIR      the jar in parts (split -b ...), joined in name order
#
# A file whose sha256 is not the release's is refused (TRT_JAR_SHA256 names another).
# Needs python3 (for zipfile: unzip is not on every GPU image) and, to download, curl.
set -euo pipefail
URL=https://repo1.maven.org/maven2/org/bytedeco/tensorrt/10.6-1.5.11/tensorrt-10.6-1.5.11-linux-x86_64-redist.jar
EXPECTED=${TRT_JAR_SHA256:-e7979693541f996bc284335b05f5e890a82b8b3aba50d680e1343a139cf291c4}

target=${1:?usage: tensorrt-from-maven.sh TRT_DIR [JAR | DIR of parts]}
source=${2:-}
mkdir -p "$target/lib"
work=$(mktemp -d "${TMPDIR:-/tmp}/trt-maven-XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -z "$source" ]; then
  echo "[tensorrt-from-maven] downloading $URL"
  curl -fL --retry 3 -o "$work/trt.jar" "$URL"
  jar=$work/trt.jar
elif [ -d "$source" ]; then
  parts=$(find "$source" -maxdepth 1 -type f | sort)
  [ -n "$parts" ] || { echo "[tensorrt-from-maven] $source holds no parts" >&2; exit 2; }
  echo "[tensorrt-from-maven] joining $(echo "$parts" | wc -l) parts from $source"
  # Names sort the way split numbers them (part-00, part-01, ...).
  echo "$parts" | while IFS= read -r part; do cat "$part"; done > "$work/trt.jar"
  jar=$work/trt.jar
elif [ -f "$source" ]; then
  jar=$source
else
  echo "[tensorrt-from-maven] no such file or folder: $source" >&2
  exit 2
fi

found=$(sha256sum "$jar" | cut -d' ' -f1)
if [ "$found" != "$EXPECTED" ]; then
  echo "[tensorrt-from-maven] $jar is not the expected jar: sha256 $found, expected $EXPECTED (a partial download, parts missing or out of order, or another release; TRT_JAR_SHA256 names another on purpose)" >&2
  exit 1
fi

python3 - "$jar" "$target/lib" <<'PY'
import os
import sys
import zipfile

jar, lib = sys.argv[1], sys.argv[2]
prefix = "org/bytedeco/tensorrt/linux-x86_64/"
written = []
with zipfile.ZipFile(jar) as z:
    for entry in z.infolist():
        name = entry.filename
        if not name.startswith(prefix) or entry.is_dir():
            continue
        base = os.path.basename(name)
        # TensorRT's own libraries only: the jar's JNI glue is of no use outside Java.
        if not base.startswith("libnv"):
            continue
        destination = os.path.join(lib, base)
        with z.open(entry) as source, open(destination, "wb") as out:
            while True:
                block = source.read(1 << 24)
                if not block:
                    break
                out.write(block)
        written.append((base, entry.file_size))
if not written:
    sys.exit(f"[tensorrt-from-maven] {jar} holds no TensorRT library under {prefix}")
for base, size in sorted(written):
    print(f"[tensorrt-from-maven] {lib}/{base} ({size} bytes)")
PY
echo "[tensorrt-from-maven] done: point TRT_NVINFER_PATH at $target/lib/libnvinfer.so.10"
