#!/usr/bin/env python3
"""Why does a version-compatible plan with TensorRT's lean runtime inside
(engine host code) fail to deserialize in the Node runtime with "Assertion
iEngine failed", even with host code allowed? This script asks TensorRT's
Python API the same questions, one change at a time, and writes down what
TensorRT said each time.

Usage: python3 host_code_investigation.py OUT_DIR [PLAN]

PLAN defaults to a plan built here: a small MLP (x [8,64] float32) with
BuilderFlag.VERSION_COMPATIBLE and the lean runtime left in (what
build_fixtures.py's mlp3_b8_host_code is). The builder copies
libnvinfer_lean.so.N into such a plan, so it can build one only where that
library loads; TensorRT distributions without the lean runtime (the JavaCPP
redistribution of 10.6; PyPI has no lean wheel for 10.6) cannot. Then the
fixture build_fixtures.py made where it could, fixtures/trtN/mlp3_b8_host_code.engine,
is used if it is there and its sha256 is the manifest's (it is 103 MB and
not committed: copy it there, or pass it as PLAN), and its committed input and
reference check the run. With no plan at all the script says so, writes
host_code_python.json with "plan": null and the reason, and exits 3.

OUT_DIR gets the plan (when built), host_code_plan.txt (the path of the plan
used, for run-on-gpu.sh to hand to host_code_node.ts), host_code_python.json
with one entry per attempt, and host_code_python.log with TensorRT's VERBOSE
log of every attempt, each attempt's lines under a "=== ATTEMPT" header. Lines
on stdout: [host-code] ...

Attempts (each on a fresh trt.Runtime):
  header                 the plan's first bytes, its size, where an ELF image
                         (the embedded lean runtime) starts inside it, the
                         version-like strings inside that image, and whether a
                         libnvinfer_lean.so.N on LD_LIBRARY_PATH is the image
                         (the builder embeds whichever one it loads, which need
                         not be its own release's)
  refused                host code not allowed: TensorRT must refuse (control)
  allowed                engine_host_code_allowed = True, defaults otherwise
  allowed_worker_thread  the same from a thread that did not touch CUDA first
                         (the Node engines deserialize on worker threads)
  tempfiles_in_memory    tempfile_control_flags = ALLOW_IN_MEMORY_FILES only
  tempfiles_on_disk      tempfile_control_flags = ALLOW_TEMPORARY_FILES only, temporary_directory set
  run                    when an attempt deserializes: one inference, to show the engine works
"""
import json
import os
import re
import sys
import tempfile
import threading
import traceback

import numpy as np
import tensorrt as trt

from real_models_manifest import sha256_file


class CaptureLogger(trt.ILogger):
    def __init__(self):
        trt.ILogger.__init__(self)
        self.lines = []

    def log(self, severity, msg):
        self.lines.append(f"[{str(severity).split('.')[-1]}] {msg}")


def say(message):
    print(f"[host-code] {message}", flush=True)


def build_plan(path):
    logger = CaptureLogger()
    logger.min_severity = trt.Logger.WARNING
    builder = trt.Builder(logger)
    network = builder.create_network(0)
    x = network.add_input("x", trt.float32, (8, 64))
    rng = np.random.default_rng(20261207)
    w = rng.standard_normal((64, 16)).astype(np.float32)
    weights = network.add_constant(w.shape, trt.Weights(w))
    mm = network.add_matrix_multiply(x, trt.MatrixOperation.NONE, weights.get_output(0), trt.MatrixOperation.NONE)
    relu = network.add_activation(mm.get_output(0), trt.ActivationType.RELU)
    relu.get_output(0).name = "y"
    network.mark_output(relu.get_output(0))
    config = builder.create_builder_config()
    config.set_flag(trt.BuilderFlag.VERSION_COMPATIBLE)  # the lean runtime stays in the plan
    plan = builder.build_serialized_network(network, config)
    if plan is None:
        errors = [l for l in logger.lines if l.startswith("[ERROR]") or l.startswith("[INTERNAL_ERROR]")]
        raise RuntimeError("the builder refused the version-compatible network"
                           + (f": {errors[-1]}" if errors else ""))
    with open(path, "wb") as f:
        f.write(bytes(plan))
    return w


MAJOR = trt.__version__.split(".")[0]
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = "mlp3_b8_host_code"


def committed_fixture():
    """(plan path, input path, reference path, note) of fixtures/trtN/mlp3_b8_host_code, or
    (None, None, None, why not)."""
    directory = os.path.join(HERE, "fixtures", f"trt{MAJOR}")
    try:
        with open(os.path.join(directory, "manifest.json")) as f:
            entry = next(e for e in json.load(f)["fixtures"] if e["name"] == FIXTURE)
    except (OSError, ValueError, KeyError, StopIteration) as e:
        return None, None, None, f"no {FIXTURE} entry in {directory}/manifest.json ({type(e).__name__})"
    plan = os.path.join(directory, entry["engine"])
    if not os.path.isfile(plan):
        note = entry.get("notCommitted", "")
        return None, None, None, (f"{plan} is not there" + (f" (manifest: {note})" if note else "")
                                  + "; copy the plan build_fixtures.py made there, or pass it as PLAN")
    want = entry.get("sha256", {}).get(entry["engine"])
    got = sha256_file(plan)
    if want and got != want:
        return None, None, None, f"{plan} has sha256 {got}, the manifest says {want}"
    x = os.path.join(directory, entry["inputs"]["x"])
    y = os.path.join(directory, entry["outputs"]["y"])
    return plan, x if os.path.isfile(x) else None, y if os.path.isfile(y) else None, f"{plan} (sha256 {got}, the manifest's)"


def lean_libraries():
    """Every libnvinfer_lean.so.MAJOR on LD_LIBRARY_PATH: the builder dlopens that name and copies
    the file it loads into a plan with the lean runtime inside."""
    found = []
    for directory in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep):
        path = os.path.join(directory, f"libnvinfer_lean.so.{MAJOR}") if directory else ""
        if path and os.path.exists(path) and os.path.realpath(path) not in [f["realpath"] for f in found]:
            found.append({"path": path, "realpath": os.path.realpath(path), "bytes": os.path.getsize(path)})
    return found


def describe_embedded(plan, elf, libraries):
    """What the plan's ELF image is: version-like strings in it (most frequent first) and, for each
    lean library on disk, whether the plan holds its bytes."""
    if elf < 0:
        return {}
    image = plan[elf:]
    counts = {}
    for match in re.finditer(rb"(?<![0-9.])1[0-9]\.[0-9]{1,2}\.[0-9]{1,2}(?:\.[0-9]{1,3})?(?![0-9.])", image):
        counts[match.group().decode()] = counts.get(match.group().decode(), 0) + 1
    versions = sorted(counts.items(), key=lambda kv: -kv[1])[:8]
    out = {"imageBytes": len(image), "versionLikeStrings": versions, "leanLibrariesOnDisk": []}
    for lib in libraries:
        with open(lib["realpath"], "rb") as f:
            head = f.read(1 << 16)
        at = plan.find(head)
        out["leanLibrariesOnDisk"].append({**lib, "headFoundInPlanAt": at})
    return out


def main(out_dir, plan_path=None):
    os.makedirs(out_dir, exist_ok=True)
    weights = None
    x_path = y_path = None
    report = {"tensorrt": trt.__version__, "plan": None, "attempts": []}
    libraries = lean_libraries()
    report["leanLibrariesOnLdLibraryPath"] = libraries
    say(f"TensorRT {trt.__version__}; libnvinfer_lean.so.{MAJOR} on LD_LIBRARY_PATH: "
        + (", ".join(f"{l['realpath']} ({l['bytes']} bytes)" for l in libraries) or "none"))
    plan_file = os.path.join(out_dir, "host_code_plan.txt")
    if os.path.exists(plan_file):
        os.remove(plan_file)
    if plan_path is None:
        built_path = os.path.join(out_dir, "host_code_mlp.engine")
        try:
            weights = build_plan(built_path)
            plan_path = built_path
            report["planSource"] = "built here"
            say(f"built {plan_path}")
        except Exception as e:  # noqa: BLE001 - the committed fixture may stand in
            report["buildError"] = f"{type(e).__name__}: {e}"
            say(f"cannot build a plan with the lean runtime inside here: {report['buildError']}")
            plan_path, x_path, y_path, note = committed_fixture()
            if plan_path is None:
                report["reason"] = f"no plan: building one failed ({report['buildError']}), and the fixture: {note}"
                say(f"no plan to investigate: {note}; or put the lean libs wheel of TensorRT {trt.__version__} "
                    f"itself in TRT_DIR/whl (the builder embeds whichever libnvinfer_lean.so.{MAJOR} it loads). "
                    "Nothing answered")
                with open(os.path.join(out_dir, "host_code_python.json"), "w") as f:
                    json.dump(report, f, indent=2)
                    f.write("\n")
                return 3
            report["planSource"] = "committed fixture " + FIXTURE
            say(f"using the fixture built earlier instead: {note}")
    elif not os.path.isfile(plan_path):
        report["reason"] = f"PLAN {plan_path} does not exist"
        say(report["reason"])
        with open(os.path.join(out_dir, "host_code_python.json"), "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
        return 3
    else:
        report["planSource"] = "given"
    plan = open(plan_path, "rb").read()
    with open(plan_file, "w") as f:
        f.write(os.path.abspath(plan_path) + "\n")
    report.update({"plan": plan_path, "bytes": len(plan)})
    log_lines = []
    elf = plan.find(b"\x7fELF")
    report["header"] = {"first64": plan[:64].hex(" "), "elfAt": elf, "elfFirst16": plan[elf:elf + 16].hex(" ") if elf >= 0 else None}
    report["header"].update(describe_embedded(plan, elf, libraries))
    say(f"{len(plan)} bytes; first 32: {plan[:32].hex(' ')}; an ELF image starts at byte {elf}")
    if elf >= 0:
        say(f"embedded image: {report['header']['imageBytes']} bytes; version-like strings in it "
            f"(most frequent first): {report['header']['versionLikeStrings']}")
        for lib in report["header"]["leanLibrariesOnDisk"]:
            say(f"{lib['realpath']}: its first 64 KiB {'are' if lib['headFoundInPlanAt'] >= 0 else 'are not'} in the plan"
                + (f" (at byte {lib['headFoundInPlanAt']})" if lib["headFoundInPlanAt"] >= 0 else ""))

    def attempt(name, configure=None, allowed=True, thread=False):
        logger = CaptureLogger()
        logger.min_severity = trt.Logger.VERBOSE
        outcome = {"name": name}
        result = {}

        def work():
            try:
                runtime = trt.Runtime(logger)
                runtime.engine_host_code_allowed = allowed
                if configure:
                    configure(runtime)
                engine = runtime.deserialize_cuda_engine(plan)
                result["engine"] = engine
                result["runtime"] = runtime
            except Exception as e:  # noqa: BLE001 - recorded
                result["exception"] = f"{type(e).__name__}: {e}"

        if thread:
            t = threading.Thread(target=work)
            t.start()
            t.join()
        else:
            work()
        engine = result.get("engine")
        errors = [l for l in logger.lines if l.startswith("[ERROR]") or l.startswith("[INTERNAL_ERROR]")]
        outcome.update({"deserialized": engine is not None, "errors": errors, "exception": result.get("exception")})
        if engine is not None:
            try:
                import torch

                context = engine.create_execution_context()
                if x_path is not None:
                    x = torch.from_numpy(np.load(x_path)).cuda()
                else:
                    x = torch.randn(8, 64, device="cuda")
                y = torch.empty(8, 16, device="cuda")
                context.set_tensor_address("x", x.data_ptr())
                context.set_tensor_address("y", y.data_ptr())
                stream = torch.cuda.current_stream()
                ok = context.execute_async_v3(stream.cuda_stream)
                stream.synchronize()
                outcome["ran"] = bool(ok)
                if weights is not None:
                    outcome["maxAbsDiffFromNumPy"] = float(np.abs(y.cpu().numpy() - np.maximum(x.cpu().numpy() @ weights, 0)).max())
                elif y_path is not None:  # the fixture's NumPy reference on its committed input
                    outcome["maxAbsDiffFromNumPy"] = float(np.abs(y.cpu().numpy() - np.load(y_path)).max())
            except Exception as e:  # noqa: BLE001
                outcome["ran"] = False
                outcome["runError"] = f"{type(e).__name__}: {e}"
        report["attempts"].append(outcome)
        log_lines.append(f"=== ATTEMPT {name}")
        log_lines.extend(logger.lines)
        verdict = "deserialized" if engine is not None else "refused"
        say(f"{name}: {verdict}; {errors[-1] if errors else 'no error logged'}"
            + (f"; ran: {outcome.get('ran')}, max|diff| {outcome.get('maxAbsDiffFromNumPy')}" if engine is not None else ""))

    attempt("refused", allowed=False)
    attempt("allowed")
    attempt("allowed_worker_thread", thread=True)
    flags = getattr(trt, "TempfileControlFlag", None)
    if flags is not None:
        attempt("tempfiles_in_memory", lambda r: setattr(r, "tempfile_control_flags", 1 << int(flags.ALLOW_IN_MEMORY_FILES)))
        tmp = tempfile.mkdtemp(prefix="trt-host-code-")

        def on_disk(r):
            r.tempfile_control_flags = 1 << int(flags.ALLOW_TEMPORARY_FILES)
            r.temporary_directory = tmp

        attempt("tempfiles_on_disk", on_disk)
    else:
        say("this tensorrt module has no TempfileControlFlag: the tempfile attempts are skipped")

    with open(os.path.join(out_dir, "host_code_python.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    with open(os.path.join(out_dir, "host_code_python.log"), "w") as f:
        f.write("\n".join(log_lines) + "\n")
    say(f"wrote {os.path.join(out_dir, 'host_code_python.json')} and host_code_python.log")
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    try:
        sys.exit(main(*sys.argv[1:]))
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        sys.exit(1)
