#!/usr/bin/env python3
"""The Python half of the Torch-TensorRT proof: does Torch-TensorRT's own
runtime run the modules Node saved, by each path Torch-TensorRT takes an
engine in, and compute what TensorRT's Python API computes?

Usage: python3 torch_tensorrt_paths.py SAVES_DIR FIXTURES_DIR OUT_JSON

SAVES_DIR is what save_for_torch_tensorrt.ts wrote (SOURCE.abiN.{list,
extra_state, state}.pkl, N = 8, 9, 10); FIXTURES_DIR is fixtures/ (the input
and the plan of mlp3_b8_fp32, and Torch-TensorRT's own tt_mlp3_b8.ep for the
control runs). For every file and path it prints one line

  [paths] PATH FILE: PASS max|diff| 1.8e-07   or   [paths] PATH FILE: FAIL <exception>

and writes OUT_JSON with every result. The paths:

  engine_constructor   torch.classes.tensorrt.Engine(list) + torch.ops.tensorrt.execute_engine
                       (the constructor reads slots by index; no ABI check)
  set_extra_state      TorchTensorRTModule().set_extra_state(state) + module(x)
  torchscript_setstate the engine's pickled state through the custom class's __setstate__
                       (ScriptObject.__setstate__((state, qualname))): what torch.jit.load and
                       torch.load of an .ep run, TRTEngine::verify_serialization_fmt included
  torch_tensorrt_load  torch_tensorrt.load of Torch-TensorRT's own .ep/.ts (control)

Each path also runs on Torch-TensorRT's own data (control_*), so a failure of
Node's file can be told from a failure of the path itself. The reference is
TensorRT's Python API on the same plan and input (trt.Runtime +
execute_async_v3), printed first.
"""
import base64
import json
import os
import pickle
import sys
import traceback

import numpy as np


def log(message):
    print(f"[paths] {message}", flush=True)


def main(saves, fixtures, out_json):
    import tensorrt as trt
    import torch
    import torch_tensorrt
    from torch_tensorrt.dynamo.runtime import TorchTensorRTModule

    results = {
        "torch": torch.__version__,
        "torchTensorRT": torch_tensorrt.__version__,
        "tensorrt": trt.__version__,
        "gpu": torch.cuda.get_device_name(0),
        "torchTensorRTAbi": torch.ops.tensorrt.ABI_VERSION(),
        "serializationLen": int(torch.ops.tensorrt.SERIALIZATION_LEN()),
        "runs": [],
    }
    log(f"torch {torch.__version__}, torch_tensorrt {torch_tensorrt.__version__} (ABI {results['torchTensorRTAbi']}, "
        f"{results['serializationLen']} slots), tensorrt {trt.__version__}, {results['gpu']}")

    plan = open(os.path.join(fixtures, "trt10", "mlp3_b8_fp32.engine"), "rb").read()
    x_np = np.load(os.path.join(fixtures, "trt10", "mlp3_b8_fp32.in.x.npy"))
    x = torch.from_numpy(x_np).cuda()

    # TensorRT's Python API: the reference every path is held to.
    logger = trt.Logger(trt.Logger.WARNING)
    engine = trt.Runtime(logger).deserialize_cuda_engine(plan)
    context = engine.create_execution_context()
    y_ref = torch.empty((8, 16), dtype=torch.float32, device="cuda")
    context.set_tensor_address("x", x.data_ptr())
    context.set_tensor_address("y", y_ref.data_ptr())
    stream = torch.cuda.current_stream()
    assert context.execute_async_v3(stream.cuda_stream)
    stream.synchronize()
    y_ref = y_ref.cpu().numpy()
    numpy_ref = np.load(os.path.join(fixtures, "trt10", "mlp3_b8_fp32.out.y.npy"))
    log(f"reference: TensorRT's Python API, max|diff| from the NumPy reference {float(np.abs(y_ref - numpy_ref).max()):.3g}")

    def compare(path, name, fn):
        try:
            with torch.no_grad():
                y = fn()
            y = y[0] if isinstance(y, (list, tuple)) else y
            diff = float(np.abs(y.cpu().numpy() - y_ref).max())
            results["runs"].append({"path": path, "file": name, "ok": True, "maxAbsDiffFromTensorRTPython": diff})
            log(f"{path} {name}: PASS max|diff| {diff:.3g}")
        except Exception as e:  # noqa: BLE001 - every path is reported, none stops the others
            message = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
            results["runs"].append({"path": path, "file": name, "ok": False, "error": message, "traceback": traceback.format_exc()})
            log(f"{path} {name}: FAIL {message}")

    def load(name):
        with open(os.path.join(saves, name), "rb") as f:
            return pickle.load(f)

    def engine_from_list(slots):
        return torch.classes.tensorrt.Engine(list(slots))

    def via_constructor(slots):
        return lambda: torch.ops.tensorrt.execute_engine([x], engine_from_list(slots))

    def via_extra_state(state):
        def run():
            module = TorchTensorRTModule()
            module.set_extra_state(state)
            return module(x)
        return run

    # The custom class's qualified name, from an engine Torch-TensorRT built itself.
    control_module = torch_tensorrt.load(os.path.join(fixtures, "torch-tensorrt", "tt_mlp3_b8.ep")).module()
    control_trt = [m for m in control_module.modules() if isinstance(m, TorchTensorRTModule)][0]
    # pybind's pickle support of ScriptObject gives (state, qualified class name).
    got = control_trt.engine.__getstate__()
    if isinstance(got, tuple) and len(got) == 2 and isinstance(got[1], str):
        control_state, qualname = got
    else:
        control_state, qualname = got, "__torch__.torch.classes.tensorrt.Engine"

    log(f"control: Torch-TensorRT's own engine state has {len(control_state)} slots, ABI {control_state[0]!r}; class {qualname}")

    def via_setstate(state):
        def run():
            script_object = type(control_trt.engine)
            engine = script_object.__new__(script_object)
            engine.__setstate__((list(state), qualname))
            return torch.ops.tensorrt.execute_engine([x], engine)
        return run

    # Controls: Torch-TensorRT's own data through each path.
    compare("torch_tensorrt_load", "tt_mlp3_b8.ep", lambda: control_module(x))
    compare("torch_tensorrt_load", "tt_mlp3_b8.ts", lambda: torch_tensorrt.load(os.path.join(fixtures, "torch-tensorrt", "tt_mlp3_b8.ts"))(x))
    control_list = list(control_state)
    control_list[3] = base64.b64decode(control_list[3])
    compare("engine_constructor", "control (its own state, engine decoded)", via_constructor(control_list))
    compare("torchscript_setstate", "control (its own state)", via_setstate(control_state))
    compare("set_extra_state", "control (its own get_extra_state())", via_extra_state(control_trt.get_extra_state()))

    for source in ("from_ep", "from_plan"):
        for abi in ("8", "9", "10"):
            stem = f"{source}.abi{abi}"
            for suffix, path, make in (
                ("list.pkl", "engine_constructor", via_constructor),
                ("extra_state.pkl", "set_extra_state", via_extra_state),
                ("state.pkl", "torchscript_setstate", via_setstate),
            ):
                name = f"{stem}.{suffix}"
                if not os.path.exists(os.path.join(saves, name)):
                    log(f"{path} {name}: SKIP (Node did not write it; see node_saves.json)")
                    continue
                compare(path, name, make(load(name)))

    with open(out_json, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    passed = sum(1 for r in results["runs"] if r["ok"])
    log(f"{passed} of {len(results['runs'])} runs passed; wrote {out_json}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    try:
        sys.exit(main(*sys.argv[1:]))
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        sys.exit(1)
