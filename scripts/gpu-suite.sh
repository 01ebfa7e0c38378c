#!/usr/bin/env bash
# The GPU suite: on a machine with an NVIDIA GPU, builds the emulator with its
# CUDA backend, runs its ctest suite in CUDA mode, then the runtime's and the
# native addon's test suites and the native overhead benchmark against it.
# Expects installed dependencies and built packages (dist/, the addon binary).
# Full logs go to $LOG_DIR (default: gpu-logs/ in the repository).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
logs=${LOG_DIR:-$root/gpu-logs}
mkdir -p "$logs"
export TRT_EMU_CUDA=ON TRT_EMULATOR_MODE=cuda
export TRT_EMU_JOBS=${TRT_EMU_JOBS:-$(nproc)}
export PATH="$root/node_modules/.bin:$PATH"

failed=0
step() {
  local name=$1
  shift
  local start=$SECONDS
  if "$@" >"$logs/$name.log" 2>&1; then
    echo "ok      $name ($((SECONDS - start)) s)"
  else
    echo "FAILED  $name ($((SECONDS - start)) s); last lines of $name.log:"
    tail -n 40 "$logs/$name.log"
    failed=1
  fi
}

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
step emulator-build node tools/emulator/scripts/build-native.mjs
step fixtures bash -c "cd tools/emulator && tsx scripts/make-fixtures.ts"
step emulator-ctest node tools/emulator/scripts/run-ctest.mjs
step runtime-tests bash -c "cd packages/runtime && vitest run"
step native-tests bash -c "cd packages/native && vitest run"
# The benchmark build of the addon (with its raw-enqueue probe) is not part of the published build: make it here.
step native-bench bash -c "cd packages/native && node scripts/build-addon.mjs --bench && node bench/overhead.mjs"
for f in "$logs"/*.log; do grep -hE "Tests +[0-9]+|tests passed" "$f" | sed "s|^|$(basename "$f" .log): |"; done
exit $failed
