#!/usr/bin/env bash
# Builds the real TensorRT fixtures and/or runs the real-TensorRT suite on a
# machine with an NVIDIA GPU, from TensorRT files laid out as:
#   TRT_DIR/lib/  libnvinfer.so.N, libnvinfer_plugin.so.N, libnvonnxparser.so.N
#                 and the builder resource libraries of that release
#   TRT_DIR/whl/  tensorrt_cu13_bindings (cp312), tensorrt_lean_cu13_libs,
#                 optionally torch_tensorrt and its dependency dllist
# (NVIDIA's tensorrt-cu13-libs wheel installs the lib/ files as
# site-packages/tensorrt_libs/; any copy of the same release will do.)
#
#   run-on-gpu.sh build MAJOR TRT_DIR OUT_DIR [--torch-tensorrt]
#       OUT_DIR/trtN/ gets the engines, .npy files and manifest.json
#   run-on-gpu.sh test MAJOR TRT_DIR FIXTURES_DIR
#       the suite in test/real-tensorrt.test.ts on the full runtime, then the
#       version-compatible fixtures on the lean runtime (libnvinfer_lean.so.N)
#   run-on-gpu.sh bench MAJOR TRT_DIR FIXTURES_DIR OUT_DIR
#       tools/bench on FIXTURES_DIR's engines, with the Python rows (PyTorch twins,
#       TensorRT's Python API, Torch-TensorRT's runtimes): OUT_DIR/bench.{json,md}
#   run-on-gpu.sh plugins MAJOR TRT_DIR OUT_DIR
#       engines with plugin layers (plugin_fixtures.py: EfficientNMS_TRT from
#       libnvinfer_plugin, ROIAlign_TRT from TRT_DIR/lib/libnvinfer_vc_plugin.so.N
#       loaded as a user's plugin library) with TensorRT Python's outputs, then
#       the plugin suites on them (test/real-plugins-*.test.ts), on native and ffi
#   run-on-gpu.sh interop MAJOR TRT_DIR FIXTURES_ROOT OUT_DIR
#       Node saves tt_mlp3_b8.ep and the mlp3_b8_fp32 plan in ABI 8, 9 and 10, as a
#       list, an extra state and an engine state (save_for_torch_tensorrt.ts); then
#       Torch-TensorRT runs each through Engine(list), set_extra_state and the
#       TorchScript setstate, against TensorRT Python's output (torch_tensorrt_paths.py,
#       OUT_DIR/paths.json); then examples/python-interop's Torch-TensorRT functions, and
#       node-side.mjs on what torch-export wrote, compared with Torch-TensorRT's output.
#       FIXTURES_ROOT is fixtures/ (trt10/ and torch-tensorrt/); TRT_DIR/whl needs the
#       torch_tensorrt, tensorrt 10.6 bindings and dllist wheels
#   run-on-gpu.sh host-code MAJOR TRT_DIR OUT_DIR [PLAN]
#       why a plan with the lean runtime inside fails (host_code_investigation.py with
#       TensorRT's Python API, then host_code_node.ts with both engines, each thread).
#       Without PLAN one is built, which needs libnvinfer_lean.so.N (a lean libs wheel in
#       TRT_DIR/whl); failing that fixtures/trtN/mlp3_b8_host_code.engine is used if it is
#       there (103 MB, not committed: copy it in); with no plan neither half runs
#   run-on-gpu.sh compile MAJOR TRT_DIR OUT_DIR
#       torch_tensorrt.compile of a model with two TensorRT blocks around a PyTorch op
#       (torch_tensorrt_compile.py; every torch_tensorrt wheel in TRT_DIR/whl is tried)
#   run-on-gpu.sh wrap MAJOR TRT_DIR FIXTURES_DIR OUT_DIR
#       Torch-TensorRT .ep/.ts archives around FIXTURES_DIR's engines
#       (wrap_in_torch_tensorrt.py; needs the torch_tensorrt wheel in TRT_DIR/whl)
#   run-on-gpu.sh test-models MAJOR TRT_DIR MODELS_DIR
#       the real-model suite (test/real-models.test.ts) on the networks in MODELS_DIR
#   run-on-gpu.sh bench-models MAJOR TRT_DIR MODELS_DIR OUT_DIR [ANCHORS_JSON]
#       tools/bench --models on them, memory included, merged with the anchors when
#       given: OUT_DIR/models-bench.{json,md}
#   run-on-gpu.sh models MAJOR TRT_DIR OUT_DIR [--only NAME[,NAME]] [--onnxruntime]
#       builds the real-model suite (real_models.py build): ResNet-50 fp16, BERT-base,
#       a detector with EfficientNMS_TRT, ResNet-18 INT8 Q/DQ, a 2.4 GB MLP with
#       weight streaming; engines, .npy inputs/references and OUT_DIR/manifest.json
#   run-on-gpu.sh anchors MAJOR TRT_DIR MODELS_DIR OUT_JSON [--only ...] [--rows ...]
#       the anchor rows on those engines (tools/bench/torch/bench_real_models.py):
#       TensorRT Python at 1/2/4/8 in flight and its CUDA graph, Torch-TensorRT's C++
#       runtime plain and in CUDA-graph mode (its wheel in TRT_DIR/whl), PyTorch fp16
#
# Python packages are installed with pip from the wheels only (no network)
# into a folder under /tmp; the machine's own torch and numpy are used.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
action=${1:?an action: build, test, bench, plugins, interop, host-code, compile, wrap, test-models, bench-models, models or anchors}; major=${2:?TensorRT major}; trt=$(cd "${3:?TRT_DIR}" && pwd); target=${4:?OUT_DIR or FIXTURES_DIR}
shift 4
site=/tmp/trt-site-$major
if [ ! -d "$site" ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --target "$site" "$trt"/whl/*.whl || exit 1
  # NVIDIA's `tensorrt` meta-package makes the bindings importable as `tensorrt`; an alias
  # package does the same here, sharing the bindings' folder so submodules import too.
  mkdir -p "$site/tensorrt"
  cat > "$site/tensorrt/__init__.py" <<'PY'
import tensorrt_bindings as _bindings
__path__ = _bindings.__path__
from tensorrt_bindings import *  # noqa: E402,F401,F403
from tensorrt_bindings import __version__  # noqa: E402,F401
PY
fi
export PYTHONPATH="$site:$here${PYTHONPATH:+:$PYTHONPATH}"
export LD_LIBRARY_PATH="$trt/lib:$site/tensorrt_lean_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PYTHONUNBUFFERED=1

case "$action" in
  build)
    mkdir -p "$target"
    python3 "$here/build_fixtures.py" "$target" "$@"
    ;;
  bench)
    out=$(mkdir -p "${1:?OUT_DIR}" && cd "$1" && pwd)
    cd "$here/../.." || exit 1
    TRT_NVINFER_PATH="$trt/lib/libnvinfer.so.$major" node --expose-gc --import tsx tools/bench/src/main.ts \
      --engines "$(cd "$target" && pwd)" --json "$out/bench.json" --markdown "$out/bench.md"
    ;;
  plugins)
    mkdir -p "$target"
    status=0
    python3 "$here/plugin_fixtures.py" "$target" "$trt/lib" || status=1
    cd "$here" || exit 1
    if command -v vitest >/dev/null; then vitest=(vitest); else vitest=(npx vitest); fi
    TRT_REAL_PLUGIN_FIXTURES="$(cd "$target" && pwd)" TRT_NVINFER_PATH="$trt/lib/libnvinfer.so.$major" \
      "${vitest[@]}" run --reporter=verbose test/real-plugins-standard.test.ts test/real-plugins-library.test.ts || status=1
    exit $status
    ;;
  interop)
    out=$(mkdir -p "${1:?OUT_DIR}" && cd "$1" && pwd); root=$(cd "$target" && pwd)
    cd "$here/../.." || exit 1
    status=0
    TRT_NVINFER_PATH="$trt/lib/libnvinfer.so.$major" node --import tsx tools/real-tensorrt/save_for_torch_tensorrt.ts "$root" "$out" || status=1
    python3 "$here/torch_tensorrt_paths.py" "$out" "$root" "$out/paths.json" || status=1
    echo "[interop] examples/python-interop: torch-run on the ABI 8 container Node saved"
    python3 examples/python-interop/interop.py torch-run "$out/from_ep.abi8.trtengine" --shape 8,64 || status=1
    echo "[interop] examples/python-interop: torch-export (needs torch_tensorrt.compile)"
    if python3 examples/python-interop/interop.py torch-export -o "$out/exported.pkl"; then
      echo "[interop] examples/python-interop: node-side.mjs runs exported.pkl on torch-export's input, saves a container, interop.py reads it"
      inputs=()
      for f in "$out"/exported.in.*.npy; do
        [ -f "$f" ] || continue
        name=${f##*/exported.in.}
        inputs+=(--input "${name%.npy}=$f")
      done
      if TRT_NVINFER_PATH="$trt/lib/libnvinfer.so.$major" node examples/python-interop/node-side.mjs "$out/exported.pkl" \
          ${inputs[@]+"${inputs[@]}"} --save "$out/exported.trtengine" | tee "$out/exported.node.out"; then
        python3 "$here/compare_node_outputs.py" "$out/exported.node.out" "$out/exported.out" || status=1
        python3 examples/python-interop/interop.py read "$out/exported.trtengine" || status=1
      else
        status=1
      fi
    else
      status=1
    fi
    exit $status
    ;;
  host-code)
    out=$(mkdir -p "$target" && cd "$target" && pwd)
    status=0
    # Without PLAN the script builds one, or, where the builder cannot (no libnvinfer_lean in this
    # TensorRT), takes fixtures/trtN/mlp3_b8_host_code.engine if it is there; it names the plan
    # it used in host_code_plan.txt, and writes none when there was no plan.
    rm -f "$out/host_code_plan.txt"
    python3 "$here/host_code_investigation.py" "$out" "$@" || status=1
    if [ -s "$out/host_code_plan.txt" ]; then
      plan=$(cat "$out/host_code_plan.txt")
      cd "$here/../.." || exit 1
      TRT_NVINFER_PATH="$trt/lib/libnvinfer.so.$major" node --import tsx tools/real-tensorrt/host_code_node.ts "$plan" "$out" || status=1
    else
      echo "[host-code] no plan with the lean runtime inside (why: $out/host_code_python.json): host_code_node.ts not run"
      status=1
    fi
    exit $status
    ;;
  compile)
    out=$(mkdir -p "$target" && cd "$target" && pwd)
    python3 "$here/torch_tensorrt_compile.py" "$out" "$trt/whl"
    ;;
  wrap)
    python3 "$here/wrap_in_torch_tensorrt.py" "$target" "${1:?OUT_DIR}"
    ;;
  test-models)
    cd "$here" || exit 1
    if command -v vitest >/dev/null; then vitest=(vitest); else vitest=(npx vitest); fi
    TRT_REAL_MODELS="$(cd "$target" && pwd)" TRT_NVINFER_PATH="$trt/lib/libnvinfer.so.$major" "${vitest[@]}" run --reporter=verbose test/real-models.test.ts
    ;;
  bench-models)
    out=$(mkdir -p "${1:?OUT_DIR}" && cd "$1" && pwd)
    anchors=()
    if [ -n "${2:-}" ]; then anchors=(--anchors "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); fi
    models=$(cd "$target" && pwd)
    cd "$here/../.." || exit 1
    TRT_NVINFER_PATH="$trt/lib/libnvinfer.so.$major" node --expose-gc --import tsx tools/bench/src/main.ts \
      --models "$models" --memory "${anchors[@]}" --json "$out/models-bench.json" --markdown "$out/models-bench.md"
    ;;
  models)
    mkdir -p "$target"
    python3 "$here/real_models.py" build "$target" "$@"
    ;;
  anchors)
    out_json=${1:?OUT_JSON}
    shift
    mkdir -p "$(dirname "$out_json")"
    python3 "$here/../bench/torch/bench_real_models.py" "$target" "$out_json" "$@"
    ;;
  test)
    cd "$here" || exit 1
    # The GPU machine's bundle puts vitest on PATH (it has node but no npx).
    if command -v vitest >/dev/null; then vitest=(vitest); else vitest=(npx vitest); fi
    status=0
    TRT_REAL_FIXTURES="$target" TRT_NVINFER_PATH="$trt/lib/libnvinfer.so.$major" "${vitest[@]}" run --reporter=verbose test/real-tensorrt.test.ts || status=1
    lean_lib="$site/tensorrt_lean_libs/libnvinfer_lean.so.$major"
    if [ -f "$lean_lib" ]; then
      TRT_REAL_LEAN=1 TRT_REAL_FIXTURES="$target" TRT_NVINFER_PATH="$lean_lib" "${vitest[@]}" run --reporter=verbose test/real-tensorrt.test.ts || status=1
    else
      echo "no lean runtime wheel for TensorRT $major in $trt/whl: lean runtime not tested"
    fi
    exit $status
    ;;
  # The usage is this file's header, down to the line before `set -uo pipefail`.
  *) sed -n '2,/^set -uo pipefail/p' "$0" | sed '$d'; exit 2 ;;
esac
