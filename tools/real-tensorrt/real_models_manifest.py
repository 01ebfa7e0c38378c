"""The real-model suite's manifest: where each file goes, and the shape of manifest.json.

The Node suite (test/real-models.test.ts) and the benchmarks read this file, so
its shape is a contract:

{
  "tensorrt", "gpu", "driver", "cuda", "torch", "created", "builderOptimizationLevel",
  "models": [{
    "name", "status": "ok" | "failed", "reason" (failed only),
    "engine", "bytes", "sha256", "buildSeconds",
    "plugins" (only where the engine has plugin layers),
    "weightStreaming": {"engineBytes", "budgetBytes"} (only the weight-streaming model),
    "tolerance": {"trt": {"atol", "rtol"}, "torch": {"atol", "rtol"}},
    "cases": [{"name", "profile", "bench",
               "inputs": {tensor: {"file", "dtype", "shape"}},
               "trt": {tensor: file}, "torch": {tensor: file}}]
  }]
}

Paths are relative to the output folder. Extra keys (notes, observed differences)
may be added; readers ignore what they do not know. Pure Python: no NumPy or
torch, so it is tested anywhere (test_real_models_manifest.py).
"""

import datetime
import hashlib
import json
import os

STATUS_OK = "ok"
STATUS_FAILED = "failed"


def case_folder(model, case):
    return f"{model}/{case}"


def input_file(model, case, tensor):
    return f"{case_folder(model, case)}/in.{tensor}.npy"


def output_file(model, case, source, tensor):
    """source: "trt" (TensorRT Python's outputs) or "torch" (PyTorch's), or another label."""
    return f"{case_folder(model, case)}/{source}.{tensor}.npy"


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def new_manifest(tensorrt, gpu, driver, cuda, torch, optimization_level):
    return {
        "tensorrt": tensorrt,
        "gpu": gpu,
        "driver": driver,
        "cuda": cuda,
        "torch": torch,
        "created": now_iso(),
        "builderOptimizationLevel": optimization_level,
        "models": [],
    }


def failed_entry(name, stage, error, partial=None):
    """A model that did not build or run: status "failed" with the stage and the exception text,
    keeping what was done before the failure (inputs and PyTorch outputs stay useful)."""
    entry = dict(partial or {})
    entry["name"] = name
    entry["status"] = STATUS_FAILED
    text = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)
    entry["reason"] = f"{stage}: {text}".strip()
    return entry


def merge_model(manifest, entry, order=None):
    """Puts `entry` in the manifest, replacing a model of the same name (a rebuild with --only
    keeps the others), in `order` when given (the suite's model order)."""
    models = [m for m in manifest.get("models", []) if m.get("name") != entry["name"]]
    models.append(entry)
    if order:
        rank = {name: i for i, name in enumerate(order)}
        models.sort(key=lambda m: rank.get(m.get("name"), len(rank)))
    manifest["models"] = models
    return manifest


def read_manifest(out_dir):
    path = os.path.join(out_dir, "manifest.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def write_manifest(out_dir, manifest):
    """Written to a temporary file then renamed, so a reader (or a run cut short) never sees half a file."""
    path = os.path.join(out_dir, "manifest.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    return path


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def manifest_problems(manifest, out_dir=None):
    """What in `manifest` breaks the contract above (an empty list when nothing does). With
    out_dir, every file named must exist there and each engine's size and sha256 must match."""
    problems = []
    for key in ("tensorrt", "gpu", "driver", "cuda", "torch", "created", "builderOptimizationLevel", "models"):
        if key not in manifest:
            problems.append(f"manifest: no {key!r}")
    for m in manifest.get("models", []):
        name = m.get("name", "?")
        where = f"model {name}"
        status = m.get("status")
        if status not in (STATUS_OK, STATUS_FAILED):
            problems.append(f"{where}: status {status!r} is neither 'ok' nor 'failed'")
        if status == STATUS_FAILED and not m.get("reason"):
            problems.append(f"{where}: failed without a reason")
        if status == STATUS_OK:
            if "reason" in m:
                problems.append(f"{where}: ok but has a reason")
            for key in ("engine", "bytes", "sha256", "buildSeconds", "tolerance", "cases"):
                if key not in m:
                    problems.append(f"{where}: no {key!r}")
            tol = m.get("tolerance", {})
            for side in ("trt", "torch"):
                t = tol.get(side)
                if not isinstance(t, dict) or not _number(t.get("atol")) or not _number(t.get("rtol")):
                    problems.append(f"{where}: tolerance.{side} needs numeric atol and rtol")
            if not m.get("cases"):
                problems.append(f"{where}: ok with no cases")
            if not any(c.get("bench") for c in m.get("cases", [])):
                problems.append(f"{where}: no case is marked bench")
            if out_dir and "engine" in m:
                path = os.path.join(out_dir, m["engine"])
                if not os.path.exists(path):
                    problems.append(f"{where}: engine file {m['engine']} is missing")
                else:
                    if os.path.getsize(path) != m.get("bytes"):
                        problems.append(f"{where}: engine is {os.path.getsize(path)} bytes, manifest says {m.get('bytes')}")
                    elif sha256_file(path) != m.get("sha256"):
                        problems.append(f"{where}: engine sha256 differs from the manifest")
        if "weightStreaming" in m:
            ws = m["weightStreaming"]
            if not _number(ws.get("engineBytes")) or not _number(ws.get("budgetBytes")):
                problems.append(f"{where}: weightStreaming needs engineBytes and budgetBytes")
            elif status == STATUS_OK and not ws["budgetBytes"] < ws["engineBytes"]:
                problems.append(f"{where}: the weight-streaming budget is not below the engine's size")
        if "plugins" in m and (not isinstance(m["plugins"], list) or not m["plugins"]):
            problems.append(f"{where}: plugins, when present, lists at least one plugin")
        for c in m.get("cases", []):
            cw = f"{where} case {c.get('name', '?')}"
            if not isinstance(c.get("profile"), int) or not isinstance(c.get("bench"), bool):
                problems.append(f"{cw}: needs an integer profile and a boolean bench")
            for tensor, spec in c.get("inputs", {}).items():
                if not isinstance(spec, dict) or not {"file", "dtype", "shape"} <= set(spec):
                    problems.append(f"{cw}: input {tensor} needs file, dtype and shape")
                elif out_dir and not os.path.exists(os.path.join(out_dir, spec["file"])):
                    problems.append(f"{cw}: input file {spec['file']} is missing")
            if not c.get("inputs"):
                problems.append(f"{cw}: no inputs")
            if status == STATUS_OK and not c.get("trt"):
                problems.append(f"{cw}: no TensorRT outputs")
            for side in ("trt", "torch"):
                for tensor, file in c.get(side, {}).items():
                    if not isinstance(file, str):
                        problems.append(f"{cw}: {side}.{tensor} is not a file name")
                    elif out_dir and not os.path.exists(os.path.join(out_dir, file)):
                        problems.append(f"{cw}: {side} file {file} is missing")
    return problems
