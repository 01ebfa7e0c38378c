"""Torch-TensorRT archives (.ep and .ts) around engines this folder already holds.

A Torch-TensorRT user's model file is what torch_tensorrt.save writes for a
compiled GraphModule: an ExportedProgram (.ep) or a TorchScript archive (.ts).
This script makes those files with Torch-TensorRT's own classes and save()
from the committed TensorRT plans, so no TensorRT builder is needed:

    python3 wrap_in_torch_tensorrt.py FIXTURES_DIR OUT_DIR

FIXTURES_DIR is a fixture set (manifest.json + engines + .npy references).
OUT_DIR gets, for one engine (tt_mlp3_b8) and for two engines in one program
(tt_two_engines), both formats, and torch_tensorrt.json: what was written
(sha256, bytes), what each archive computed when Torch-TensorRT loaded it back
against the fixture's reference, and any step that failed with its reason.
"""
import hashlib
import json
import os
import sys
import traceback

import numpy as np


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main(fixtures, out):
    import torch
    import torch_tensorrt
    from torch_tensorrt.dynamo.runtime import TorchTensorRTModule

    os.makedirs(out, exist_ok=True)
    fixture_manifest = json.load(open(os.path.join(fixtures, "manifest.json")))
    by_name = {f["name"]: f for f in fixture_manifest["fixtures"]}
    report = {
        "torchTensorRT": torch_tensorrt.__version__,
        "torch": torch.__version__,
        "tensorrt": fixture_manifest["tensorrt"],
        "gpu": torch.cuda.get_device_name(0),
        "archives": {},
        "errors": {},
    }

    def fixture_engine(name):
        with open(os.path.join(fixtures, by_name[name]["engine"]), "rb") as f:
            return f.read()

    def fixture_array(name, kind, tensor):
        return np.load(os.path.join(fixtures, by_name[name][kind][tensor]))

    dtypes = {"float": torch.float32, "half": torch.float16, "int32": torch.int32}

    def shape_expressions(name):
        # compile() records each block's I/O shapes (sympy expressions, plain ints when
        # static); torch.export needs them to trace the engine call. These are static.
        io = by_name[name]["io"]
        side = lambda mode: [{"shape_exprs": t["shape"], "dtype": dtypes[t["dtype"]], "name": t["name"]} for t in io if t["mode"] == mode]
        return {"inputs": side("input"), "outputs": side("output")}

    def trt_module(name):
        # What torch_tensorrt.compile puts in the GraphModule for each TensorRT block.
        return TorchTensorRTModule(fixture_engine(name), ["x"], ["y"], name=name, symbolic_shape_expressions=shape_expressions(name))

    class OneEngine(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self._run_on_acc_0 = trt_module("mlp3_b8_fp32")

        def forward(self, x):
            return self._run_on_acc_0(x)

    class TwoEngines(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self._run_on_acc_0 = trt_module("mlp3_b8_fp32")
            self._run_on_acc_1 = trt_module("mlp3_b1_fp32")

        def forward(self, x8, x1):
            return self._run_on_acc_0(x8), self._run_on_acc_1(x1)

    class KeepEngines(torch.fx.Tracer):
        # torch_tensorrt.compile leaves its TensorRT submodules as call_module nodes.
        def is_leaf_module(self, m, qualified_name):
            return isinstance(m, TorchTensorRTModule) or super().is_leaf_module(m, qualified_name)

    def graph_module(root):
        return torch.fx.GraphModule(root, KeepEngines().trace(root))

    def cuda(a):
        return torch.from_numpy(a).cuda()

    programs = {
        "tt_mlp3_b8": (OneEngine, [("mlp3_b8_fp32", "x")]),
        "tt_two_engines": (TwoEngines, [("mlp3_b8_fp32", "x"), ("mlp3_b1_fp32", "x")]),
    }
    for stem, (cls, args) in programs.items():
        inputs = [cuda(fixture_array(f, "inputs", t)) for f, t in args]
        references = [fixture_array(f, "outputs", "y") for f, _ in args]
        try:
            gm = graph_module(cls().eval().cuda())
        except Exception as e:  # noqa: BLE001 - recorded, the other programs still run
            traceback.print_exc()
            report["errors"][stem] = f"{type(e).__name__}: {e}"
            continue
        for suffix, fmt in ((".ep", "exported_program"), (".ts", "torchscript")):
            name = stem + suffix
            path = os.path.join(out, name)
            try:
                torch_tensorrt.save(gm, path, output_format=fmt, arg_inputs=inputs)
                loaded = torch_tensorrt.load(path)
                runnable = loaded.module() if fmt == "exported_program" else loaded
                with torch.no_grad():
                    got = runnable(*inputs)
                got = list(got) if isinstance(got, (list, tuple)) else [got]
                diffs = [float(np.abs(g.cpu().numpy() - r).max()) for g, r in zip(got, references)]
                report["archives"][name] = {
                    "format": fmt,
                    "engines": [f for f, _ in args],
                    "sha256": sha256(path),
                    "bytes": os.path.getsize(path),
                    "maxAbsDiffAfterReload": diffs,
                }
                print(f"[torch-tensorrt] {name}: {os.path.getsize(path)} bytes, reload max |diff| {diffs}", flush=True)
            except Exception as e:  # noqa: BLE001 - one format failing must not hide the other
                traceback.print_exc()
                report["errors"][name] = f"{type(e).__name__}: {e}"
    with open(os.path.join(out, "torch_tensorrt.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
