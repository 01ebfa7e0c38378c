#!/usr/bin/env python3
"""Builds the real-model suite on a machine with an NVIDIA GPU.

    python3 real_models.py build OUT_DIR [--only NAME[,NAME]] [--opt-level 2]
                                         [--timing-cache FILE] [--onnxruntime]
    python3 real_models.py list

For each model of real_model_recipes.py (ResNet-50 fp16, BERT-base with two
profiles, a detector with EfficientNMS_TRT, ResNet-18 INT8 Q/DQ, a 2.4 GB MLP
with weight streaming): PyTorch builds it from its seed, seeded inputs go to
OUT_DIR/NAME/CASE/in.*.npy, PyTorch's fp32 outputs to torch.*.npy, ONNX export
(or TensorRT's network API) and TensorRT's builder make OUT_DIR/NAME.engine, and
TensorRT's Python API runs each case on that engine (trt.*.npy). OUT_DIR/manifest.json
(real_models_manifest.py) describes it all; it is rewritten after every model, so
a run cut short still leaves a valid manifest.

Each model is built on its own: one that fails is recorded with status "failed"
and the stage and exception text, and the next one is built. Builds use builder
optimization level 2 and a timing cache (OUT_DIR/timing.cache unless
--timing-cache), loaded when present and saved back, so the whole run stays near
five minutes on an H100. --onnxruntime also runs each exported ONNX file (the
first case) on ONNX Runtime's CPU provider against PyTorch, to tell an export
problem from a TensorRT one. Progress goes to stderr with elapsed seconds.
"""

import argparse
import gc
import os
import platform
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "bench", "torch"))

import real_models_manifest as mf  # noqa: E402
from real_model_recipes import NAMES, RECIPES  # noqa: E402

START = time.perf_counter()


def progress(message):
    print(f"[real-models +{time.perf_counter() - START:7.1f}s] {message}", file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Builds the real-model suite's engines, inputs and references (on a GPU machine).")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build every model (or --only some) into OUT_DIR")
    build.add_argument("out_dir", help="where engines, .npy files and manifest.json go")
    build.add_argument("--only", default="", help="comma-separated model names (others in an existing manifest are kept)")
    build.add_argument("--opt-level", type=int, default=2, help="builder optimization level (default 2: fast builds)")
    build.add_argument("--timing-cache", default=None, help="timing cache file (default OUT_DIR/timing.cache)")
    build.add_argument("--onnxruntime", action="store_true", help="also check each exported ONNX file on ONNX Runtime (CPU)")
    sub.add_parser("list", help="the models and what each is")
    args = parser.parse_args(argv)
    if args.command == "build":
        chosen = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in chosen if n not in NAMES]
        if unknown:
            parser.error(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(NAMES)}")
        args.models = chosen or list(NAMES)
    return args


def driver_version():
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=30)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        with open("/proc/driver/nvidia/version") as f:
            for word in f.read().split():
                if word.count(".") >= 1 and word.replace(".", "").isdigit():
                    return word
    except OSError:
        pass
    return "unknown"


def versions(torch, trt):
    info = {"python": platform.python_version()}
    for module in ("numpy", "torchvision", "transformers", "onnx", "onnxruntime"):
        try:
            info[module] = __import__(module).__version__
        except Exception:  # noqa: BLE001 - a missing package is recorded, not fatal
            info[module] = None
    if trt is not None:
        info["tensorrtModule"] = trt.__file__
    cap = torch.cuda.get_device_capability(0)
    info["computeCapability"] = f"{cap[0]}.{cap[1]}"
    return info


class BuildContext:
    """What a recipe's export and network steps see."""

    def __init__(self, out_dir, name, torch, model):
        self.folder = os.path.join(out_dir, name)
        os.makedirs(self.folder, exist_ok=True)
        self.torch = torch
        self.model = model
        self.trt = self.builder = self.log = None
        self.notes = []

    def file(self, name):
        return os.path.join(self.folder, name)

    def note(self, text):
        progress(f"  note: {text}")
        self.notes.append(text)


def difference(np, got, want, tolerance):
    """How far `got` is from `want`: the largest absolute difference and whether every element
    is within atol + rtol * |want| (the check the Node suite makes)."""
    if got.shape != want.shape:
        return {"shape": [list(got.shape), list(want.shape)], "withinTolerance": False}
    a, b = got.astype(np.float64), want.astype(np.float64)
    diff = np.abs(a - b)
    empty = diff.size == 0
    return {
        "maxAbsDiff": 0.0 if empty else float(diff.max()),
        "meanAbsDiff": 0.0 if empty else float(diff.mean()),
        "maxAbsReference": 0.0 if empty else float(np.abs(b).max()),
        "withinTolerance": bool(np.all(diff <= tolerance["atol"] + tolerance["rtol"] * np.abs(b))),
    }


def nms_agreement(np, trt_outputs, reference):
    """TensorRT's EfficientNMS_TRT against torchvision's NMS: images with the same count, and
    detections equal position by position (class, score within 1e-4, box within 1e-2 px)."""
    counts_t, counts_r = trt_outputs["num_detections"][:, 0], reference["num_detections"][:, 0]
    same, total = 0, 0
    for i in range(len(counts_t)):
        k = int(min(counts_t[i], counts_r[i]))
        total += int(max(counts_t[i], counts_r[i]))
        cls = trt_outputs["detection_classes"][i, :k] == reference["detection_classes"][i, :k]
        score = np.abs(trt_outputs["detection_scores"][i, :k] - reference["detection_scores"][i, :k]) <= 1e-4
        box = np.all(np.abs(trt_outputs["detection_boxes"][i, :k] - reference["detection_boxes"][i, :k]) <= 1e-2, axis=-1)
        same += int(np.sum(cls & score & box))
    return {
        "imagesWithEqualCounts": int(np.sum(counts_t == counts_r)),
        "images": int(len(counts_t)),
        "detectionsEqual": same,
        "detections": total,
    }


def save_arrays(np, out_dir, arrays, path_of):
    files = {}
    for tensor, array in arrays.items():
        rel = path_of(tensor)
        path = os.path.join(out_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        np.save(path, array)
        files[tensor] = rel
    return files


def check_onnxruntime(np, path, case, want, tolerance):
    import onnxruntime as ort

    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    got = dict(zip(names, session.run(names, dict(case.inputs))))
    return {name: difference(np, got[name], want[name], tolerance) for name in want if name in got}


def build_model(recipe, args, env, trt_state):
    """Builds one model; returns its manifest entry (status ok or failed, never raises)."""
    np, torch = env["np"], env["torch"]
    name = recipe.name
    entry = {"name": name, "description": recipe.description, "tolerance": recipe.tolerance}
    if recipe.notes:
        entry["notes"] = [recipe.notes]
    stage = "pytorch model"
    ctx = None
    try:
        progress(f"{name}: PyTorch model")
        model = recipe.make_torch(torch)
        ctx = BuildContext(args.out_dir, name, torch, model)
        stage = "inputs and pytorch outputs"
        cases = recipe.cases(np)
        entry["cases"] = []
        torch_refs = {}
        for case in cases:
            item = {"name": case.name, "profile": case.profile, "bench": case.bench, "inputs": {}}
            save_arrays(np, args.out_dir, case.inputs, lambda t, c=case.name: mf.input_file(name, c, t))
            for tensor, array in case.inputs.items():
                item["inputs"][tensor] = {"file": mf.input_file(name, case.name, tensor), "dtype": str(array.dtype), "shape": list(array.shape)}
            item["trt"] = {}
            want = recipe.torch_outputs(torch, model, case)
            torch_refs[case.name] = want
            item["torch"] = save_arrays(np, args.out_dir, want, lambda t, c=case.name: mf.output_file(name, c, "torch", t))
            for label, arrays in recipe.extra_references(torch, model, case).items():
                item[label] = save_arrays(np, args.out_dir, arrays, lambda t, c=case.name, l=label: mf.output_file(name, c, l, t))
            entry["cases"].append(item)
        progress(f"{name}: {len(cases)} cases, PyTorch outputs written")

        stage = "onnx export"
        start = time.perf_counter()
        onnx_path = recipe.export(ctx)
        if onnx_path:
            entry["onnx"] = os.path.relpath(onnx_path, args.out_dir)
            entry["exportSeconds"] = round(time.perf_counter() - start, 2)
            progress(f"{name}: ONNX exported ({os.path.getsize(onnx_path) >> 20} MiB)")
            if args.onnxruntime and recipe.onnxruntime_model(ctx, onnx_path):
                stage = "onnxruntime check"
                first = cases[0]
                entry["onnxruntime"] = {first.name: check_onnxruntime(np, recipe.onnxruntime_model(ctx, onnx_path), first, torch_refs[first.name], recipe.tolerance["torch"])}
                progress(f"{name}: ONNX Runtime vs PyTorch on {first.name}: {entry['onnxruntime'][first.name]}")

        # PyTorch's model is no longer needed (the weight-streaming MLP keeps its fp16 weights
        # in the recipe for the network API): free its device memory before TensorRT builds.
        model = ctx.model = None
        torch.cuda.empty_cache()

        stage = "tensorrt import"
        trt = trt_state.get("trt")
        if trt is None:
            raise RuntimeError(trt_state["missing"])
        from real_trt_build import build_plan, plugin_layer_count, write_plan
        from real_trt_runtime import BoundContext, deserialize

        ctx.trt, ctx.builder, ctx.log = trt, trt_state["builder"], trt_state["log"]
        stage = "tensorrt network"
        network, keep = recipe.network(ctx, onnx_path)
        config = ctx.builder.create_builder_config()
        recipe.configure(trt, ctx.builder, config)
        plugins = plugin_layer_count(trt, network)
        if recipe.plugins:
            if plugins == 0:
                raise RuntimeError(f"the network has no plugin layer where {list(recipe.plugins)} was expected")
            entry["plugins"] = list(recipe.plugins)
        stage = "tensorrt build"
        progress(f"{name}: building ({network.num_layers} layers, optimization level {args.opt_level})")
        plan, seconds = build_plan(trt, ctx.builder, ctx.log, network, config, trt_state["cache"], args.opt_level)
        del network, keep, config
        engine_file = f"{name}.engine"
        engine_path = os.path.join(args.out_dir, engine_file)
        size = write_plan(engine_path, plan)
        del plan
        entry.update({"engine": engine_file, "bytes": size, "sha256": mf.sha256_file(engine_path), "buildSeconds": round(seconds, 2)})
        progress(f"{name}: built in {seconds:.1f}s, {size} bytes")

        stage = "tensorrt run"
        with open(engine_path, "rb") as f:
            data = f.read()
        runtime, engine = deserialize(trt, data)
        del data
        if recipe.weight_streaming:
            streamable = int(engine.streamable_weights_size)
            budget = streamable // 2
            engine.weight_streaming_budget_v2 = budget
            entry["weightStreaming"] = {"engineBytes": size, "budgetBytes": budget, "streamableBytes": streamable}
        stream = torch.cuda.Stream()
        for item, case in zip(entry["cases"], cases):
            bound = BoundContext(trt, torch, engine, {k: torch.from_numpy(v) for k, v in case.inputs.items()}, case.profile, stream)
            got = bound.run()
            del bound
            item["trt"] = save_arrays(np, args.out_dir, got, lambda t, c=case.name: mf.output_file(name, c, "trt", t))
            observed = {t: difference(np, got[t], want, recipe.tolerance["torch"]) for t, want in torch_refs[case.name].items() if t in got}
            if "torchNms" in item:
                refs = {t: np.load(os.path.join(args.out_dir, f)) for t, f in item["torchNms"].items()}
                observed["nms"] = nms_agreement(np, got, refs)
            item["observed"] = observed
            worst = [t for t, d in observed.items() if d.get("withinTolerance") is False]
            diffs = ", ".join("%s %s" % (t, d.get("maxAbsDiff", d)) for t, d in observed.items())
            progress(f"{name} {case.name}: TensorRT vs PyTorch max |diff|: {diffs}" + (f"; OUTSIDE tolerance: {worst}" if worst else ""))
        del engine, runtime
        entry["status"] = mf.STATUS_OK
        if ctx.notes:
            entry.setdefault("notes", []).extend(ctx.notes)
        return entry
    except Exception as e:  # noqa: BLE001 - one model's failure is recorded and the next is built
        traceback.print_exc(file=sys.stderr)
        progress(f"{name}: FAILED at {stage}: {type(e).__name__}: {e}")
        partial = dict(entry)
        if ctx is not None and ctx.notes:
            partial.setdefault("notes", []).extend(ctx.notes)
        return mf.failed_entry(name, stage, e, partial)
    finally:
        ctx = None
        gc.collect()
        try:
            torch.cuda.empty_cache()
        except Exception:  # noqa: BLE001
            pass


def load_tensorrt():
    """(trt module or None, why not): a missing TensorRT fails each model at its TensorRT stage,
    after the PyTorch references and ONNX files are written."""
    try:
        import tensorrt as trt

        return trt, None
    except Exception as e:  # noqa: BLE001
        return None, f"TensorRT's Python bindings are not importable: {type(e).__name__}: {e}"


def build(args):
    import numpy as np
    import torch

    if not torch.cuda.is_available():
        print("real_models.py: PyTorch sees no CUDA device; the suite is built on a GPU machine", file=sys.stderr)
        return 2
    # References in true fp32: no TF32 in PyTorch's matrix products and convolutions.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    os.makedirs(args.out_dir, exist_ok=True)
    trt, missing = load_tensorrt()
    trt_state = {"trt": trt, "missing": missing}
    if trt is not None:
        from real_trt_build import TimingCache, recording_logger
        from real_trt_runtime import use_logger

        log = recording_logger(trt)
        use_logger(trt, log)
        trt_state.update(log=log, builder=trt.Builder(log),
                         cache=TimingCache(trt, args.timing_cache or os.path.join(args.out_dir, "timing.cache")))
    else:
        progress(missing)

    manifest = mf.read_manifest(args.out_dir) if len(args.models) < len(NAMES) else None
    fresh = mf.new_manifest(getattr(trt, "__version__", None), torch.cuda.get_device_name(0), driver_version(),
                            torch.version.cuda, torch.__version__, args.opt_level)
    fresh["models"] = (manifest or {}).get("models", [])
    fresh["versions"] = versions(torch, trt)
    manifest = fresh
    env = {"np": np, "torch": torch}
    by_name = {r.name: r for r in RECIPES}
    for name in args.models:
        start = time.perf_counter()
        entry = build_model(by_name[name](), args, env, trt_state)
        entry["totalSeconds"] = round(time.perf_counter() - start, 1)
        mf.merge_model(manifest, entry, NAMES)
        mf.write_manifest(args.out_dir, manifest)
        progress(f"{name}: {entry['status']} in {entry['totalSeconds']}s (manifest written)")
    if trt is not None:
        manifest["timingCacheBytes"] = trt_state["cache"].save()
        manifest["timingCacheLoadedBytes"] = trt_state["cache"].loaded_bytes
    problems = mf.manifest_problems(manifest, args.out_dir)
    if problems:
        manifest["problems"] = problems
    mf.write_manifest(args.out_dir, manifest)
    for p in problems:
        progress(f"manifest problem: {p}")
    failed = [m["name"] for m in manifest["models"] if m["status"] != mf.STATUS_OK]
    progress(f"done: {len(manifest['models']) - len(failed)} ok, {len(failed)} failed {failed}; {os.path.join(args.out_dir, 'manifest.json')}")
    return 1 if failed or problems else 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "list":
        for r in RECIPES:
            print(f"{r.name}: {r.description}")
        return 0
    return build(args)


if __name__ == "__main__":
    sys.exit(main())
