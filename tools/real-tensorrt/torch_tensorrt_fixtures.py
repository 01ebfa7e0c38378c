"""Torch-TensorRT artifacts of one small model, as a Torch-TensorRT user has them.

Writes into OUT_DIR: tt_mlp.ep (torch_tensorrt.save, ExportedProgram),
tt_mlp.ts (TorchScript), tt_mlp.extra_state.pkl (the TensorRT submodule's
get_extra_state(), pickled; in Torch-TensorRT 2.11, where that call fails on
`if self.engine`, the same tuple built from the engine's state), tt_mlp.engine_info.pkl (the list from
Torch-TensorRT's own packer, engine bytes raw), the input and PyTorch's
output as .npy, and manifest.json. Each artifact is attempted on its own; a
failure is recorded with its reason.
"""
import hashlib
import json
import os
import pickle
import traceback

import numpy as np


def _sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def build_torch_tensorrt(directory, trt_manifest):
    os.makedirs(directory, exist_ok=True)
    manifest = {"tensorrt": trt_manifest.get("tensorrt"), "torch": trt_manifest.get("torch"), "gpu": trt_manifest.get("gpu"), "artifacts": {}, "errors": {}}
    try:
        import torch
        import torch_tensorrt
        from torch_tensorrt.dynamo.runtime import TorchTensorRTModule

        manifest["torchTensorRT"] = torch_tensorrt.__version__
        torch.manual_seed(20261203)
        model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 8)).eval().cuda()
        x = torch.randn(2, 16, device="cuda")
        with torch.no_grad():
            reference = model(x)
        np.save(os.path.join(directory, "tt_mlp.in.x.npy"), x.cpu().numpy())
        np.save(os.path.join(directory, "tt_mlp.out.output0.npy"), reference.cpu().numpy())
        trt_gm = torch_tensorrt.compile(model, ir="dynamo", inputs=[x], min_block_size=1)
        with torch.no_grad():
            compiled = trt_gm(x)
        manifest["compiledMaxAbsDiff"] = float((compiled - reference).abs().max())
    except Exception as e:  # noqa: BLE001 - recorded in the manifest
        traceback.print_exc()
        manifest["errors"]["compile"] = f"{type(e).__name__}: {e}"
        _write(directory, manifest)
        return

    def attempt(name, fn):
        try:
            fn()
            manifest["artifacts"][name] = {"sha256": _sha256(os.path.join(directory, name)), "bytes": os.path.getsize(os.path.join(directory, name))}
            print(f"[torch-tensorrt] {name}: ok", flush=True)
        except Exception as e:  # noqa: BLE001 - one artifact failing must not stop the others
            traceback.print_exc()
            manifest["errors"][name] = f"{type(e).__name__}: {e}"

    attempt("tt_mlp.ep", lambda: torch_tensorrt.save(trt_gm, os.path.join(directory, "tt_mlp.ep"), inputs=[x]))
    attempt("tt_mlp.ts", lambda: torch_tensorrt.save(trt_gm, os.path.join(directory, "tt_mlp.ts"), output_format="torchscript", inputs=[x]))

    trt_modules = [(n, m) for n, m in trt_gm.named_modules() if isinstance(m, TorchTensorRTModule)]
    manifest["engines"] = [n for n, _ in trt_modules]
    if trt_modules:
        name, module = trt_modules[0]

        def extra_state():
            try:
                state = module.get_extra_state()
            except NotImplementedError as e:
                # Torch-TensorRT 2.11: `if self.engine:` on the Engine ScriptObject, which has no truth
                # value. The same tuple, from the engine's own state (torch_tensorrt_engines.py).
                from torch_tensorrt_engines import extra_state as built_extra_state

                state = built_extra_state(module.engine, module)
                manifest["extraStateBuiltFromEngineState"] = f"get_extra_state() failed: {type(e).__name__}: {e}"
            with open(os.path.join(directory, "tt_mlp.extra_state.pkl"), "wb") as f:
                pickle.dump(state, f)

        def engine_info():
            with open(os.path.join(directory, "tt_mlp.engine_info.pkl"), "wb") as f:
                pickle.dump(module._pack_engine_info(), f)

        attempt("tt_mlp.extra_state.pkl", extra_state)
        attempt("tt_mlp.engine_info.pkl", engine_info)
        manifest["inputBindingNames"] = list(module.input_binding_names)
        manifest["outputBindingNames"] = list(module.output_binding_names)
    _write(directory, manifest)


def _write(directory, manifest):
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, default=str)
        f.write("\n")
