#!/usr/bin/env bash
# Every real-TensorRT check and measurement, one after another, on a machine
# with an NVIDIA GPU: what run-on-gpu.sh does action by action, in the order
# that reuses what the earlier steps made (the models, the anchors). A step
# that fails is reported and the next one still runs. Takes about 20 minutes
# (building the five models is 5 of them); start it with nohup or setsid
# where a session may end first.
#
#   run-all-on-gpu.sh MAJOR TRT_DIR OUT [--only STEP,STEP] [--skip STEP,STEP]
#
# Steps: fixtures plugins models test-models anchors bench-models wait-sweep
#        wait-benches server-batching interop host-code compile
#        (and, when named: bench-rounds server-graphs)
# wait-sweep measures ResNet-50 again under each stream wait strategy
# (TRT_STREAM_WAIT) with longer points (BENCH_POINT_MS, default 600), so the
# strategies' throughput and tails can be told apart from a point's noise.
# bench-rounds (run only when named in --only: it takes BENCH_ROUNDS x the
# anchors and bench-models time) runs the anchors and our rows alternately
# BENCH_ROUNDS times (default 3; BENCH_ONLY=model,model narrows both) and
# judges the targets on each point's median over the rounds (OUT/rounds/);
# one 400 ms point moves by up to a third between runs on a shared machine.
# server-graphs (run only when named) is server-batching with the model's CUDA
# graphs on in both servers (OUT/server-graphs).
# server-batching also writes the servers' CPU profiles (OUT/server/cpu) and
# their top functions (OUT/server/cpu-top-*.txt); SERVER_BENCH_SECONDS sets its
# seconds per load level (default 10), SERVER_BENCH_THREADS the load generator's
# threads (default 8: with 4, its own floor was 4,044 requests/s at 32 clients
# on an H100 machine, about what the server was to be measured at).
# OUT/logs/STEP.log holds each step's output; OUT/summary.tsv one line a step
# (name, ok|FAILED|skipped, seconds), also printed as the steps end. Models
# already built in OUT/models (its manifest.json) are reused.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
major=${1:?MAJOR (TensorRT major version)}
trt=$(cd "${2:?TRT_DIR}" && pwd)
out=${3:?OUT}
shift 3
only=""
skip=""
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only=",${2:?--only STEP,STEP},"; shift 2 ;;
    --skip) skip=",${2:?--skip STEP,STEP},"; shift 2 ;;
    *) echo "run-all-on-gpu.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
export PATH="$root/node_modules/.bin:$PATH"
gpu=(bash "$here/run-on-gpu.sh")
nvinfer="$trt/lib/libnvinfer.so.$major"
failed=0
: > "$out/summary.tsv"

# Steps that run only when --only names them.
on_request=",bench-rounds,server-graphs,"
step() {
  local name=$1
  shift
  if { [ -n "$only" ] && [[ "$only" != *",$name,"* ]]; } || [[ "$skip" == *",$name,"* ]] || { [ -z "$only" ] && [[ "$on_request" == *",$name,"* ]]; }; then
    printf '%s\tskipped\t0\n' "$name" >> "$out/summary.tsv"
    return
  fi
  local start=$SECONDS status=ok
  echo "[all] $name: $*"
  if ! (cd "$root" && "$@") > "$out/logs/$name.log" 2>&1; then status=FAILED; failed=1; fi
  printf '%s\t%s\t%s\n' "$name" "$status" "$((SECONDS - start))" >> "$out/summary.tsv"
  echo "[all] $name $status ($((SECONDS - start)) s); last lines:"
  tail -n 5 "$out/logs/$name.log" | sed 's/^/    /'
}

models() {
  if [ -f "$out/models/manifest.json" ]; then echo "reusing $out/models"; return 0; fi
  "${gpu[@]}" models "$major" "$trt" "$out/models"
}

# Our rows on OUT/models (tools/bench --models), with the arguments given.
bench_ours() {
  TRT_NVINFER_PATH="$nvinfer" node --expose-gc --import tsx tools/bench/src/main.ts --models "$out/models" "$@"
}

wait_sweep() {
  local status=0 strategy
  mkdir -p "$out/wait-sweep"
  for strategy in auto callback worker-blocking; do
    echo "TRT_STREAM_WAIT=$strategy"
    TRT_STREAM_WAIT=$strategy BENCH_POINT_MS=${BENCH_POINT_MS:-600} bench_ours --only resnet50_fp16 --anchors "$out/anchors.json" \
      --json "$out/wait-sweep/$strategy.json" --markdown "$out/wait-sweep/$strategy.md" > "$out/wait-sweep/$strategy.log" 2>&1 || status=1
    tail -n 2 "$out/wait-sweep/$strategy.log"
  done
  return $status
}

bench_rounds() {
  local rounds=${BENCH_ROUNDS:-3} r status=0 only=()
  if [ -n "${BENCH_ONLY:-}" ]; then only=(--only "$BENCH_ONLY"); fi
  mkdir -p "$out/rounds"
  for r in $(seq 1 "$rounds"); do
    echo "round $r of $rounds"
    "${gpu[@]}" anchors "$major" "$trt" "$out/models" "$out/rounds/anchors-$r.json" "${only[@]}" > "$out/rounds/anchors-$r.log" 2>&1 || status=1
    bench_ours --json "$out/rounds/ours-$r.json" > "$out/rounds/ours-$r.log" 2>&1 || status=1
  done
  node --import tsx tools/bench/src/models/merge-rounds.ts anchors "$out/rounds/anchors.json" "$out"/rounds/anchors-[0-9]*.json || status=1
  node --import tsx tools/bench/src/models/merge-rounds.ts ours "$out/rounds/ours.json" "$out"/rounds/ours-[0-9]*.json || status=1
  node --import tsx tools/bench/src/main.ts --from "$out/rounds/ours.json" --anchors "$out/rounds/anchors.json" \
    --json "$out/rounds/models-bench.json" --markdown "$out/rounds/models-bench.md" > /dev/null || status=1
  return $status
}

# server_batching DIR [bench flags]: the benchmark into OUT/DIR, with its CPU profiles summarised.
server_batching() {
  local dir=$out/$1 status=0 profile
  shift
  SERVER_MODEL="$out/models/resnet50_fp16.engine" TRT_NVINFER_PATH="$nvinfer" node packages/server/scripts/gpu-batching-bench.mjs \
    --out "$dir" --seconds "${SERVER_BENCH_SECONDS:-10}" --threads "${SERVER_BENCH_THREADS:-8}" --profile-dir "$dir/cpu" "$@" || status=1
  for profile in "$dir"/cpu/*/*.cpuprofile; do
    [ -f "$profile" ] || continue
    node --import tsx tools/bench/src/profile-summary.ts "$profile" 40 > "$dir/cpu-top-$(basename "$(dirname "$profile")").txt" || status=1
  done
  return $status
}

wait_benches() {
  local status=0
  (cd packages/runtime && node --import tsx bench/wake-latency.ts) || status=1
  (cd packages/runtime && node --import tsx bench/cuda-wait.ts --json "$out/cuda-wait.json") || status=1
  return $status
}

step fixtures "${gpu[@]}" test "$major" "$trt" "$here/fixtures/trt$major"
step plugins "${gpu[@]}" plugins "$major" "$trt" "$out/plugins"
step models models
step test-models "${gpu[@]}" test-models "$major" "$trt" "$out/models"
step anchors "${gpu[@]}" anchors "$major" "$trt" "$out/models" "$out/anchors.json"
step bench-models "${gpu[@]}" bench-models "$major" "$trt" "$out/models" "$out/bench" "$out/anchors.json"
step bench-rounds bench_rounds
step wait-sweep wait_sweep
step wait-benches wait_benches
step server-batching server_batching server
step server-graphs server_batching server-graphs --cuda-graphs
step interop "${gpu[@]}" interop "$major" "$trt" "$here/fixtures" "$out/interop"
step host-code "${gpu[@]}" host-code "$major" "$trt" "$out/host-code"
step compile "${gpu[@]}" compile "$major" "$trt" "$out/compile"

echo "[all] done: $out/summary.tsv"
column -t "$out/summary.tsv" 2>/dev/null || cat "$out/summary.tsv"
exit $failed
