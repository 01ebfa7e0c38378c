#!/usr/bin/env python3
"""The Python half of the Torch-TensorRT proof: does Torch-TensorRT's own
runtime run the modules Node saved, by each path Torch-TensorRT takes an
engine in, and compute what TensorRT's Python API computes?

Usage: python3 torch_tensorrt_paths.py SAVES_DIR FIXTURES_DIR OUT_JSON

SAVES_DIR is what save_for_torch_tensorrt.ts wrote (SOURCE.abiN.{list,
extra_state, state}.pkl, N = 8, 9, 10); FIXTURES_DIR is fixtures/ (the input
and the plan of mlp3_b8_fp32, and Torch-TensorRT's own tt_mlp3_b8.ep for the
control runs). For every file and path it prints one line

  [paths] PATH FILE: PASS max|diff| 1.8e-07   or   [paths] PATH FILE: FAIL <exception> [whose failure]
  or   [paths] PATH FILE: SKIP <reason>

and writes OUT_JSON with every result (ok true / false / null for skipped; a
failure inside Torch-TensorRT's own Python code, not caused by the data, has
"cause": "torch_tensorrt"). The paths:

  engine_constructor   torch.classes.tensorrt.Engine(list) + torch.ops.tensorrt.execute_engine
                       (the constructor reads slots by index; no ABI check)
  set_extra_state      TorchTensorRTModule().set_extra_state(state) + module(x). In 2.11 it asserts the
                       metadata slot is bytes and then calls .encode() on it, so it fails on every
                       state, Torch-TensorRT's own included: such a failure is logged and recorded as
                       Torch-TensorRT's (cause "torch_tensorrt"), not Node's
  set_extra_state_steps  what set_extra_state does, step by step, with that bug left out: the engine
                       slot base64-decoded, torch.classes.tensorrt.Engine(list), the metadata decoded
                       as encode_metadata wrote it (base64 str of a pickle), the module run
  torchscript_setstate the engine's pickled state through the custom class's __setstate__
                       (ScriptObject.__setstate__((state, qualname))): what torch.jit.load and
                       torch.load of an .ep run, TRTEngine::verify_serialization_fmt included
  torch_tensorrt_load  torch_tensorrt.load of Torch-TensorRT's own .ep/.ts (control)

Each path also runs on Torch-TensorRT's own data (control_*), so a failure of
Node's file can be told from a failure of the path itself. The control engine
is found wherever the reloaded module holds it (torch_tensorrt_engines.py): a
reloaded .ep has no TorchTensorRTModule, only the Engine ScriptObject that a
get_attr node hands to torch.ops.tensorrt.execute_engine; failing that, the
.ts's, failing that one Torch-TensorRT packs here from the plan. Its extra
state is built from the engine's state, since 2.11's get_extra_state() fails
on `if self.engine` (a ScriptObject has no truth value); that call is made
once on a TorchTensorRTModule built from the plan and its outcome recorded
under "probes". A control that cannot be made is recorded as SKIP with the
reason; every run is attempted and recorded. The reference is TensorRT's
Python API on the same plan and input (trt.Runtime + execute_async_v3),
printed first.
"""
import base64
import json
import os
import pickle
import sys
import traceback

import numpy as np

import torch_tensorrt_engines as tte  # beside this file; needs no torch until called


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

    engine_idx = int(torch.ops.tensorrt.ENGINE_IDX())
    metadata_idx = int(torch.ops.tensorrt.SERIALIZED_METADATA_IDX())
    script_object_type = getattr(torch, "ScriptObject", None) or torch._C.ScriptObject

    def first_line(e):
        text = str(e).strip()
        return f"{type(e).__name__}: {text.splitlines()[0] if text else ''}"

    def compare(path, name, fn):
        try:
            with torch.no_grad():
                y = fn()
            y = y[0] if isinstance(y, (list, tuple)) else y
            diff = float(np.abs(y.cpu().numpy() - y_ref).max())
            results["runs"].append({"path": path, "file": name, "ok": True, "maxAbsDiffFromTensorRTPython": diff})
            log(f"{path} {name}: PASS max|diff| {diff:.3g}")
        except Exception as e:  # noqa: BLE001 - every path is reported, none stops the others
            message = first_line(e)
            entry = {"path": path, "file": name, "ok": False, "error": message, "traceback": traceback.format_exc()}
            own = tte.torch_tensorrt_own_failure(e)
            if own:
                entry["cause"] = "torch_tensorrt"
                entry["causeDetail"] = own
            results["runs"].append(entry)
            log(f"{path} {name}: FAIL {message}" + (f" [{own}]" if own else ""))

    def skip(path, name, reason):
        results["runs"].append({"path": path, "file": name, "ok": None, "skipped": reason})
        log(f"{path} {name}: SKIP {reason}")

    def load(name):
        with open(os.path.join(saves, name), "rb") as f:
            return pickle.load(f)

    def engine_from_list(slots):
        return torch.classes.tensorrt.Engine(list(slots))

    def via_constructor(slots):
        return lambda: torch.ops.tensorrt.execute_engine([x], engine_from_list(slots))

    def copy_extra_state(state):
        # set_extra_state decodes the engine slot in place: each run gets its own copy.
        return (state[0], None if state[1] is None else list(state[1]), list(state[2]), list(state[3]))

    def via_extra_state(state):
        def run():
            module = TorchTensorRTModule()
            module.set_extra_state(copy_extra_state(state))
            return module(x)
        return run

    def via_extra_state_steps(state):
        def run():
            name, info, inputs, outputs = copy_extra_state(state)
            if info is None:
                raise ValueError("the extra state holds no engine (None)")
            info[engine_idx] = base64.b64decode(info[engine_idx])
            engine = torch.classes.tensorrt.Engine(info)
            metadata = info[metadata_idx]
            metadata = metadata.decode("utf-8") if isinstance(metadata, bytes) else metadata
            module = TorchTensorRTModule()
            if metadata:  # a plan Node wrapped itself carries none
                decoded = pickle.loads(base64.b64decode(metadata.encode("utf-8")))
                module.settings = decoded["settings"]
                engine.set_output_tensors_as_unowned(bool(decoded.get("output_tensors_are_unowned", False)))
            module.name = name
            module.engine = engine
            module.input_binding_names = list(inputs)
            module.output_binding_names = list(outputs)
            return module(x)
        return run

    def via_setstate(state, qualname=tte.ENGINE_QUALNAME):
        def run():
            engine = script_object_type.__new__(script_object_type)
            engine.__setstate__((list(state), qualname))
            return torch.ops.tensorrt.execute_engine([x], engine)
        return run

    # Probe: TorchTensorRTModule.get_extra_state() on a module Torch-TensorRT builds from the plan
    # (what compile() puts in a GraphModule). In 2.11 it tests `if self.engine:` on the ScriptObject.
    results["probes"] = {}
    built = None
    try:
        built = TorchTensorRTModule(plan, ["x"], ["y"], name="_run_on_acc_0")
        results["probes"]["TorchTensorRTModule(plan)"] = {"ok": True}
    except Exception as e:  # noqa: BLE001
        results["probes"]["TorchTensorRTModule(plan)"] = {"ok": False, "error": first_line(e)}
        log(f"probe: TorchTensorRTModule(plan) failed: {first_line(e)}")
    if built is not None:
        try:
            got = built.get_extra_state()
            results["probes"]["get_extra_state"] = {"ok": True, "engineInfoSlots": None if got[1] is None else len(got[1])}
            log("probe: TorchTensorRTModule(plan).get_extra_state(): returned")
        except Exception as e:  # noqa: BLE001
            own = tte.torch_tensorrt_own_failure(e)
            results["probes"]["get_extra_state"] = {"ok": False, "error": first_line(e), "cause": "torch_tensorrt" if own else None}
            log(f"probe: TorchTensorRTModule(plan).get_extra_state(): {first_line(e)}" + (f" [{own}]" if own else ""))

    # The control engine: Torch-TensorRT's own, wherever the reloaded program holds it.
    ep_path = os.path.join(fixtures, "torch-tensorrt", "tt_mlp3_b8.ep")
    ts_path = os.path.join(fixtures, "torch-tensorrt", "tt_mlp3_b8.ts")
    control = None  # (where, engine, owning TorchTensorRTModule or None)
    control_module = None
    try:
        exported = torch_tensorrt.load(ep_path)
        control_module = exported.module() if hasattr(exported, "module") else exported
        found = tte.find_engines(control_module, exported)
        log(f"control: tt_mlp3_b8.ep reloaded as {type(control_module).__name__}; tensorrt Engines: "
            + (", ".join(where for where, _, _ in found) or "none"))
        control = found[0] if found else None
    except Exception as e:  # noqa: BLE001 - the controls below say what is missing
        log(f"control: tt_mlp3_b8.ep: {first_line(e)}")
    if control is None:
        try:
            found = tte.find_engines(torch_tensorrt.load(ts_path))
            log("control: tt_mlp3_b8.ts tensorrt Engines: " + (", ".join(where for where, _, _ in found) or "none"))
            control = ("tt_mlp3_b8.ts: " + found[0][0], found[0][1], None) if found else None
        except Exception as e:  # noqa: BLE001
            log(f"control: tt_mlp3_b8.ts: {first_line(e)}")
    if control is None and built is not None and getattr(built, "engine", None) is not None:
        control = ("TorchTensorRTModule(plan) built here .engine", built.engine, built)
    results["controlEngine"] = control[0] if control else None

    control_state, qualname, control_extra = None, tte.ENGINE_QUALNAME, None
    why_not = "no Torch-TensorRT engine found (tt_mlp3_b8.ep, tt_mlp3_b8.ts, TorchTensorRTModule(plan))"
    if control is not None:
        try:
            control_state, qualname = tte.engine_state(control[1])
            control_extra = tte.extra_state(control[1], control[2])
            log(f"control: {control[0]}: state of {len(control_state)} slots, ABI {control_state[0]!r}; class {qualname}")
        except Exception as e:  # noqa: BLE001
            why_not = f"the control engine's __getstate__() failed: {first_line(e)}"
            control_state = None
            log(f"control: {control[0]}: {why_not}")

    # Controls: Torch-TensorRT's own data through each path.
    compare("torch_tensorrt_load", "tt_mlp3_b8.ep",
            lambda: (control_module if control_module is not None else torch_tensorrt.load(ep_path).module())(x))
    compare("torch_tensorrt_load", "tt_mlp3_b8.ts", lambda: torch_tensorrt.load(ts_path)(x))
    if control_state is None:
        skip("engine_constructor", "control (its own state, engine decoded)", why_not)
        skip("torchscript_setstate", "control (its own state)", why_not)
        skip("set_extra_state", "control (extra state from its engine's state)", why_not)
        skip("set_extra_state_steps", "control (extra state from its engine's state)", why_not)
    else:
        control_list = list(control_state)
        control_list[engine_idx] = base64.b64decode(control_list[engine_idx])
        compare("engine_constructor", "control (its own state, engine decoded)", via_constructor(control_list))
        compare("torchscript_setstate", "control (its own state)", via_setstate(control_state, qualname))
        # Built from the engine's state: 2.11's get_extra_state() fails on `if self.engine` (see probes).
        compare("set_extra_state", "control (extra state from its engine's state)", via_extra_state(control_extra))
        compare("set_extra_state_steps", "control (extra state from its engine's state)", via_extra_state_steps(control_extra))

    for source in ("from_ep", "from_plan"):
        for abi in ("8", "9", "10"):
            stem = f"{source}.abi{abi}"
            for suffix, path, make in (
                ("list.pkl", "engine_constructor", via_constructor),
                ("extra_state.pkl", "set_extra_state", via_extra_state),
                ("extra_state.pkl", "set_extra_state_steps", via_extra_state_steps),
                ("state.pkl", "torchscript_setstate", lambda state: via_setstate(state, qualname)),
            ):
                name = f"{stem}.{suffix}"
                if not os.path.exists(os.path.join(saves, name)):
                    skip(path, name, "Node did not write it; see node_saves.json")
                    continue
                try:
                    data = load(name)
                except Exception as e:  # noqa: BLE001
                    results["runs"].append({"path": path, "file": name, "ok": False, "error": f"unpickling: {first_line(e)}"})
                    log(f"{path} {name}: FAIL unpickling: {first_line(e)}")
                    continue
                compare(path, name, make(data))

    with open(out_json, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    runs = results["runs"]
    passed = sum(1 for r in runs if r["ok"] is True)
    theirs = sum(1 for r in runs if r["ok"] is False and r.get("cause") == "torch_tensorrt")
    failed = sum(1 for r in runs if r["ok"] is False) - theirs
    skipped = sum(1 for r in runs if r["ok"] is None)
    log(f"{passed} of {len(runs)} runs passed, {failed} failed, {theirs} failed for Torch-TensorRT's own reason, "
        f"{skipped} skipped; wrote {out_json}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    try:
        sys.exit(main(*sys.argv[1:]))
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        sys.exit(1)
