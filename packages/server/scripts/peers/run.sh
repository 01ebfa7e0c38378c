#!/usr/bin/env bash
# trt-server against the servers people install today, on one trivial model
# and one load generator: the sample engine's two-layer perceptron
# (x [1, 8] -> y [1, 4]) served by trt-server (on the TensorRT emulator, host
# mode), by Seldon MLServer 1.7.1 (a custom MLModel, its default settings)
# and by KServe's Python model server 0.21.0 (a kserve.Model), each alone on
# the machine, driven by hey with the same JSON request at 1, 8 and 32
# concurrent clients. Prints requests/s, p50/p99 and each server's CPU time
# per request (its whole process tree, from /proc).
#
#   packages/server/scripts/peers/run.sh [REQUESTS_PER_LEVEL]   (default 4000)
#
# Needs python3 with venv, Go (to build hey), PyPI and the Go module proxy;
# the workspace built (trt-server and the emulator). Venvs and hey go to
# $PEERS_DIR (default /tmp/trt-peers).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
n=${1:-4000}
work=${PEERS_DIR:-/tmp/trt-peers}
mkdir -p "$work"
if [ ! -x "$work/mlserver/bin/mlserver" ]; then
  python3 -m venv "$work/mlserver"
  # MLServer 1.7.1's inference workers fail to start with uvloop 0.21 and later ("no current event loop").
  "$work/mlserver/bin/pip" install -q --disable-pip-version-check "mlserver==1.7.1" "uvloop<0.21"
fi
if [ ! -x "$work/kserve/bin/python" ] || ! "$work/kserve/bin/python" -c "import kserve" 2>/dev/null; then
  python3 -m venv "$work/kserve"
  "$work/kserve/bin/pip" install -q --disable-pip-version-check "kserve==0.21.0"
fi
[ -x "$work/bin/hey" ] || GOBIN="$work/bin" go install github.com/rakyll/hey@v0.1.4
node -e 'import(process.argv[1]).then((m) => process.stdout.write(JSON.stringify({ fc1: { w: Array.from(m.FC1.weights), b: Array.from(m.FC1.bias) }, fc2: { w: Array.from(m.FC2.weights), b: Array.from(m.FC2.bias) } })))' \
  "$root/examples/engines/sample.mjs" > "$here/weights.json"
body="$work/body.json"
echo '{"inputs": [{"name": "x", "shape": [1, 8], "datatype": "FP32", "data": [-1.75, -1.5, -1.25, -1, -0.75, -0.5, -0.25, 0]}]}' > "$body"

# CPU ticks (user + system) of a process and all its descendants.
ticks() {
  local total=0 pid
  for pid in $(pgrep -g "$1" 2>/dev/null || true); do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

run_server() { # name url command...
  local name=$1 url=$2
  shift 2
  setsid "$@" > "$work/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null -H 'content-type: application/json' -d @"$body" "$url" && break
    sleep 1
  done
  curl -sf -H 'content-type: application/json' -d @"$body" "$url" > "$work/$name.answer"
  for c in 1 8 32; do
    "$work/bin/hey" -n 300 -c "$c" -m POST -T application/json -D "$body" "$url" > /dev/null
    local before after
    before=$(ticks "$pid")
    "$work/bin/hey" -n "$n" -c "$c" -m POST -T application/json -D "$body" "$url" > "$work/$name-$c.txt"
    after=$(ticks "$pid")
    local rps p50 p99 codes answered
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name-$c.txt")
    answered=$(awk '/^ *\[[0-9]+\]\t/ {n += $2} END {print n}' "$work/$name-$c.txt")
    p50=$(awk '/ 50% in / {print $3 * 1000}' "$work/$name-$c.txt")
    p99=$(awk '/ 99% in / {print $3 * 1000}' "$work/$name-$c.txt")
    codes=$(awk '/^ *\[[0-9]+\]\t/ {printf "%s%s %s", sep, $1, $2; sep=", "}' "$work/$name-$c.txt")
    printf '| %s | %s | %s | %.0f | %s | %s | %s |\n' "$name" "$c" "$answered" "$rps" "$p50" "$p99" \
      "$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.0f", t / hz / n * 1e6 }')"
    echo "  status codes: $codes" >&2
  done
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 2
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); node $(node --version); hey v0.1.4; $n requests per level"
echo "| server | clients | answers | req/s | p50 ms | p99 ms | server CPU µs/request |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
TRT_NVINFER_PATH="$root/tools/emulator/build/host/lib10/libnvinfer.so.10" run_server trt-server http://127.0.0.1:8096/v2/models/sample/infer \
  node "$root/packages/server/bin/trt-server.js" --model "sample=$root/examples/engines/sample.trtengine" --port 8096 --grpc-port off
(cd "$here/mlserver" && run_server mlserver http://127.0.0.1:8091/v2/models/sample/infer "$work/mlserver/bin/mlserver" start .)
run_server kserve http://127.0.0.1:8094/v2/models/sample/infer "$work/kserve/bin/python" "$here/kserve_server.py"
for name in trt-server mlserver kserve; do echo "$name answered: $(cat "$work/$name.answer")" >&2; done
