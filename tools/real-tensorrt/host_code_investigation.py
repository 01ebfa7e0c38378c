#!/usr/bin/env python3
"""Why does a version-compatible plan with TensorRT's lean runtime inside
(engine host code) fail to deserialize in the Node runtime with "Assertion
iEngine failed", even with host code allowed? This script asks TensorRT's
Python API the same questions, one change at a time, and writes down what
TensorRT said each time.

Usage: python3 host_code_investigation.py OUT_DIR [PLAN]

PLAN defaults to a plan built here: a small MLP (x [8,64] float32) with
BuilderFlag.VERSION_COMPATIBLE and the lean runtime left in (what
build_fixtures.py's mlp3_b8_host_code is). OUT_DIR gets the plan (when built),
host_code_python.json with one entry per attempt, and host_code_python.log
with TensorRT's VERBOSE log of every attempt, each attempt's lines under a
"=== ATTEMPT" header. Lines on stdout: [host-code] ...

Attempts (each on a fresh trt.Runtime):
  header                 the plan's first bytes, its size, and where an ELF image
                         (the embedded lean runtime) starts inside it
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
import sys
import tempfile
import threading
import traceback

import numpy as np
import tensorrt as trt


class CaptureLogger(trt.ILogger):
    def __init__(self):
        trt.ILogger.__init__(self)
        self.lines = []

    def log(self, severity, msg):
        self.lines.append(f"[{str(severity).split('.')[-1]}] {msg}")


def say(message):
    print(f"[host-code] {message}", flush=True)


def build_plan(path):
    logger = trt.Logger(trt.Logger.WARNING)
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
        raise RuntimeError("the builder refused the version-compatible network")
    with open(path, "wb") as f:
        f.write(bytes(plan))
    return w


def main(out_dir, plan_path=None):
    os.makedirs(out_dir, exist_ok=True)
    weights = None
    if plan_path is None:
        plan_path = os.path.join(out_dir, "host_code_mlp.engine")
        weights = build_plan(plan_path)
        say(f"built {plan_path}")
    plan = open(plan_path, "rb").read()
    report = {"tensorrt": trt.__version__, "plan": plan_path, "bytes": len(plan), "attempts": []}
    log_lines = []
    elf = plan.find(b"\x7fELF")
    report["header"] = {"first64": plan[:64].hex(" "), "elfAt": elf, "elfFirst16": plan[elf:elf + 16].hex(" ") if elf >= 0 else None}
    say(f"{len(plan)} bytes; first 32: {plan[:32].hex(' ')}; an ELF image starts at byte {elf}")

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
