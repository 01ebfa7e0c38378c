#!/usr/bin/env python3
"""The anchors of the real-model benchmarks: what TensorRT's Python API, Torch-TensorRT's
C++ runtime and PyTorch itself achieve on the real-model suite's engines and inputs.

    python3 bench_real_models.py MODELS_DIR OUT.json [--only NAME[,NAME]] [--rows ROW[,ROW]]
                                 [--in-flight 1,2,4,8] [--warmup 0.1] [--measure 0.4]

MODELS_DIR is what tools/real-tensorrt/real_models.py built (manifest.json, engines,
.npy inputs). For every model and every case marked "bench", rows:

- trt_python (1, 2, 4, 8 in flight): execute_async_v3 with PyTorch tensors bound once,
  N execution contexts on N streams, pipelined from one thread (real_timing.py);
- trt_python_graph: one execute_async_v3 captured in a CUDA graph, replayed, one in flight;
- torchtrt_cpp / torchtrt_cpp_graph: Torch-TensorRT's C++ runtime (TorchTensorRTModule)
  over the same plan bytes, and its CUDA-graph mode, one in flight;
- torch_eager_fp16 / torch_graph_fp16: the model itself in PyTorch (real_model_zoo.py,
  the same definition the builder exported) in fp16, eager and replayed from a CUDA graph.

Latency is a request's launch to its wait returning; throughput is requests completed
per second of the measured window. Each point warms up for --warmup seconds and
measures for --measure seconds, so the whole suite takes about four minutes. A row
that cannot run says why ("unsupported"). Progress goes to stderr; OUT.json is
rewritten after each model.
"""

import argparse
import datetime
import gc
import json
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from real_timing import Lane, pipelined  # noqa: E402

ROWS = ("trt_python", "trt_python_graph", "torchtrt_cpp", "torchtrt_cpp_graph", "torch_eager_fp16", "torch_graph_fp16")
START = time.perf_counter()


def progress(message):
    print(f"[anchors +{time.perf_counter() - START:7.1f}s] {message}", file=sys.stderr, flush=True)


def parse_args(argv):
    p = argparse.ArgumentParser(description="Anchor rows (TensorRT Python, Torch-TensorRT, PyTorch) on the real-model suite's engines.")
    p.add_argument("models_dir", help="the folder real_models.py built (manifest.json inside)")
    p.add_argument("out_json", help="where the rows go")
    p.add_argument("--only", default="", help="comma-separated model names")
    p.add_argument("--rows", default="", help=f"comma-separated rows (default all: {', '.join(ROWS)})")
    p.add_argument("--in-flight", default="1,2,4,8", help="requests in flight for trt_python (default 1,2,4,8)")
    p.add_argument("--warmup", type=float, default=0.1, help="seconds of warm-up per point")
    p.add_argument("--measure", type=float, default=0.4, help="seconds measured per point")
    args = p.parse_args(argv)
    args.only = [n.strip() for n in args.only.split(",") if n.strip()]
    args.rows = [r.strip() for r in args.rows.split(",") if r.strip()] or list(ROWS)
    unknown = [r for r in args.rows if r not in ROWS]
    if unknown:
        p.error(f"unknown row(s) {', '.join(unknown)}; known: {', '.join(ROWS)}")
    args.in_flight = [int(n) for n in args.in_flight.split(",") if n.strip()]
    return args


def reason_of(error):
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".strip()


class Report:
    def __init__(self, args, header):
        self.args = args
        self.out = dict(header, rows=[])

    def add(self, model, case, row, in_flight, result):
        entry = {"model": model, "case": case, "row": row, "inFlight": in_flight}
        entry.update(result)
        self.out["rows"].append(entry)
        if "unsupported" in result:
            progress(f"{model} {case} {row} x{in_flight}: unsupported: {result['unsupported']}")
        else:
            progress(f"{model} {case} {row} x{in_flight}: p50 {result['p50Us']:.1f} us, p99 {result['p99Us']:.1f} us, "
                     f"{result['throughputPerS']:.0f}/s ({result['calls']} calls)")

    def point(self, model, case, row, in_flight, measure, note=None):
        """Runs one measurement; an exception becomes an unsupported row with its reason."""
        try:
            result = measure()
        except Exception as e:  # noqa: BLE001 - one point's failure must not stop the suite
            traceback.print_exc(file=sys.stderr)
            result = {"unsupported": reason_of(e)}
        if note and "unsupported" not in result:
            result["note"] = note
        self.add(model, case, row, in_flight, result)

    def write(self):
        tmp = self.args.out_json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.out, f, indent=1)
            f.write("\n")
        os.replace(tmp, self.args.out_json)


def timed(lanes, args):
    return pipelined(lanes, args.warmup, args.measure)


def case_inputs(torch, models_dir, case):
    """The case's seeded inputs on the device, in the manifest's order."""
    import numpy as np

    return {name: torch.from_numpy(np.load(os.path.join(models_dir, spec["file"]))).cuda() for name, spec in case["inputs"].items()}


class TrtAnchors:
    """TensorRT's Python API rows for one model: the engine deserialized once (with the
    manifest's weight-streaming budget), contexts bound per case."""

    def __init__(self, trt, torch, models_dir, model):
        from real_trt_runtime import deserialize

        self.trt, self.torch = trt, torch
        with open(os.path.join(models_dir, model["engine"]), "rb") as f:
            self.plan = f.read()
        budget = model.get("weightStreaming", {}).get("budgetBytes")
        self.runtime, self.engine = deserialize(trt, self.plan, budget)

    def bind(self, inputs, profile):
        from real_trt_runtime import BoundContext

        return BoundContext(self.trt, self.torch, self.engine, inputs, profile, self.torch.cuda.Stream())

    def lanes_rows(self, report, name, case, inputs, args):
        lanes = []
        for n in args.in_flight:
            def measure(n=n):
                while len(lanes) < n:
                    lanes.append(self.bind(inputs, case["profile"]))
                return timed(lanes[:n], args)

            report.point(name, case["name"], "trt_python", n, measure)
        del lanes[:]

    def graph_row(self, report, name, case, inputs, args):
        from real_trt_runtime import capture_graph

        torch = self.torch

        def measure():
            bound = self.bind(inputs, case["profile"])
            graph = capture_graph(torch, bound)
            with torch.cuda.stream(bound.stream):
                return timed([Lane(graph.replay, bound.stream.synchronize)], args)

        report.point(name, case["name"], "trt_python_graph", 1, measure)


class TorchTrtAnchors:
    """Torch-TensorRT's C++ runtime over the same plan bytes (one module per model; its
    runtime runs profile 0 only), plain and in its CUDA-graph mode."""

    def __init__(self, torch_tensorrt, torch, plan, model, in_names, out_names):
        from torch_tensorrt.dynamo.runtime import TorchTensorRTModule

        self.tt, self.torch = torch_tensorrt, torch
        self.module = TorchTensorRTModule(plan, in_names, out_names, name=model["name"])
        self.in_names = in_names
        self.budget = model.get("weightStreaming", {}).get("budgetBytes")

    def rows(self, report, name, case, inputs, args):
        torch, tt = self.torch, self.tt
        call_args = [inputs[n] for n in self.in_names]

        def run(graph_mode):
            stream = torch.cuda.Stream()
            tt.runtime.set_cudagraphs_mode(graph_mode)
            try:
                with torch.cuda.stream(stream), self.streaming():
                    return timed([Lane(lambda: self.module(*call_args), stream.synchronize)], args)
            finally:
                tt.runtime.set_cudagraphs_mode(False)

        note = f"weight-streaming budget {self.budget} bytes" if self.budget is not None else None
        rows = [r for r in ("torchtrt_cpp", "torchtrt_cpp_graph") if r in args.rows]
        if case["profile"] != 0:
            # Its runtime never selects another profile: TensorRT refuses the shapes (seen with
            # bert_base b32 on profile 1: "exceed min..max range for profile 0").
            reason = f"Torch-TensorRT's runtime runs optimization profile 0 only; this case needs profile {case['profile']}"
            for row in rows:
                report.add(name, case["name"], row, 1, {"unsupported": reason})
            return
        for row in rows:
            report.point(name, case["name"], row, 1, lambda graph=row.endswith("_graph"): run(graph), note)

    def streaming(self):
        """The manifest's weight-streaming budget through Torch-TensorRT's own API (it looks for
        `_run_on_acc_N` children), or nothing for an engine without weight streaming."""
        import contextlib

        if self.budget is None:
            return contextlib.nullcontext()
        holder = self.torch.nn.Module()
        holder._run_on_acc_0 = self.module
        budget = self.budget

        @contextlib.contextmanager
        def scope():
            with self.tt.runtime.weight_streaming(holder) as ws:
                ws.device_budget = budget
                yield

        return scope()


class TorchAnchors:
    """The model itself in PyTorch fp16 (real_model_zoo.TORCH_ANCHORS)."""

    def __init__(self, torch, name):
        import real_model_zoo as zoo

        self.torch = torch
        make, self.note = zoo.TORCH_ANCHORS[name]
        if name == "mlp_big_ws":
            model = zoo.big_mlp("float16", "cuda")
        else:
            model = make().half().cuda().eval()
        if name == "detector_nms":
            self.fn = lambda x: zoo.torch_nms(torch, *model(x))
            self.capturable = "torchvision's NMS has a data-dependent output size (it synchronizes with the host), so it cannot be captured"
        else:
            self.fn = model
            self.capturable = True
        self.model = model

    def args(self, inputs):
        return [t.half() if t.is_floating_point() else t for t in inputs.values()]

    def rows(self, report, name, case, inputs, args):
        torch = self.torch
        call_args = self.args(inputs)

        def eager():
            stream = torch.cuda.Stream()
            with torch.inference_mode(), torch.cuda.stream(stream):
                return timed([Lane(lambda: self.fn(*call_args), stream.synchronize)], args)

        def graphed():
            if self.capturable is not True:
                return {"unsupported": self.capturable}
            stream = torch.cuda.Stream()
            graph = torch.cuda.CUDAGraph()
            with torch.inference_mode():
                with torch.cuda.stream(stream):
                    for _ in range(3):  # warm-up off the capture, as torch.cuda.graphs asks
                        self.fn(*call_args)
                stream.synchronize()
                with torch.cuda.graph(graph, stream=stream):
                    self.fn(*call_args)
                with torch.cuda.stream(stream):
                    return timed([Lane(graph.replay, stream.synchronize)], args)

        if "torch_eager_fp16" in args.rows:
            report.point(name, case["name"], "torch_eager_fp16", 1, eager, self.note)
        if "torch_graph_fp16" in args.rows:
            report.point(name, case["name"], "torch_graph_fp16", 1, graphed, self.note)


def unsupported_rows(report, name, case, rows, in_flight, reason):
    for row in rows:
        for n in (in_flight if row == "trt_python" else [1]):
            report.add(name, case["name"], row, n, {"unsupported": reason})


def bench_model(report, model, env, args):
    torch, trt, tt = env["torch"], env["trt"], env["torch_tensorrt"]
    name = model["name"]
    cases = [c for c in model.get("cases", []) if c.get("bench")]
    if not cases:
        progress(f"{name}: no bench case (status {model.get('status')}: {model.get('reason', '')})")
        return
    trt_rows = [r for r in ("trt_python", "trt_python_graph") if r in args.rows]
    tt_rows = [r for r in ("torchtrt_cpp", "torchtrt_cpp_graph") if r in args.rows]
    torch_rows = [r for r in ("torch_eager_fp16", "torch_graph_fp16") if r in args.rows]

    engine_ready = model.get("status") == "ok" and os.path.exists(os.path.join(args.models_dir, model.get("engine", "")))
    no_engine = None if engine_ready else f"no engine: the model's build {model.get('status')} ({model.get('reason', 'no reason recorded')})"

    anchors = {}

    def make(kind, factory, missing):
        """Builds one kind of anchor once per model; its failure marks that kind's rows unsupported."""
        if kind not in anchors:
            if missing:
                anchors[kind] = missing
            else:
                try:
                    anchors[kind] = factory()
                except Exception as e:  # noqa: BLE001
                    traceback.print_exc(file=sys.stderr)
                    anchors[kind] = reason_of(e)
        return anchors[kind]

    for case in cases:
        inputs = case_inputs(torch, args.models_dir, case)
        in_names = list(case["inputs"])
        if trt_rows:
            a = make("trt", lambda: TrtAnchors(trt, torch, args.models_dir, model), no_engine or env["trt_missing"])
            if isinstance(a, str):
                unsupported_rows(report, name, case, trt_rows, args.in_flight, a)
            else:
                if "trt_python" in trt_rows:
                    a.lanes_rows(report, name, case, inputs, args)
                if "trt_python_graph" in trt_rows:
                    a.graph_row(report, name, case, inputs, args)
        if tt_rows:
            def torchtrt():
                from real_trt_runtime import io_names

                ready = anchors.get("trt")
                if isinstance(ready, TrtAnchors):
                    plan, (ins, outs) = ready.plan, io_names(trt, ready.engine)
                else:  # the trt rows were not asked for: names from the manifest
                    with open(os.path.join(args.models_dir, model["engine"]), "rb") as f:
                        plan = f.read()
                    ins, outs = in_names, list(case["trt"])
                return TorchTrtAnchors(tt, torch, plan, model, ins, outs)

            a = make("torchtrt", torchtrt, no_engine or env["tt_missing"])
            if isinstance(a, str):
                unsupported_rows(report, name, case, tt_rows, args.in_flight, a)
            else:
                a.rows(report, name, case, inputs, args)
        if torch_rows:
            a = make("torch", lambda: TorchAnchors(torch, name), None)
            if isinstance(a, str):
                unsupported_rows(report, name, case, torch_rows, args.in_flight, a)
            else:
                a.rows(report, name, case, inputs, args)
        del inputs
    anchors.clear()
    gc.collect()
    torch.cuda.empty_cache()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        import torch
    except ImportError as e:
        print(f"bench_real_models.py: PyTorch is not installed ({e})", file=sys.stderr)
        return 2
    if not torch.cuda.is_available():
        print("bench_real_models.py: PyTorch sees no CUDA device", file=sys.stderr)
        return 2
    with open(os.path.join(args.models_dir, "manifest.json")) as f:
        manifest = json.load(f)
    env = {"torch": torch, "trt": None, "torch_tensorrt": None, "trt_missing": None, "tt_missing": None}
    try:
        import tensorrt as trt

        from real_trt_runtime import logger

        logger(trt)  # registers the standard plugins before any engine is deserialized
        env["trt"] = trt
    except Exception as e:  # noqa: BLE001
        env["trt_missing"] = f"TensorRT's Python bindings are not importable ({reason_of(e)})"
    try:
        import torch_tensorrt

        env["torch_tensorrt"] = torch_tensorrt
    except Exception as e:  # noqa: BLE001
        env["tt_missing"] = f"Torch-TensorRT is not importable ({reason_of(e)})"
    if env["trt"] is None and env["tt_missing"] is None:
        env["tt_missing"] = env["trt_missing"]
    report = Report(args, {
        "gpu": torch.cuda.get_device_name(0),
        "tensorrt": getattr(env["trt"], "__version__", None),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "torchTensorRT": getattr(env["torch_tensorrt"], "__version__", None),
        "manifestTensorrt": manifest.get("tensorrt"),
        "created": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "warmupS": args.warmup,
        "measureS": args.measure,
    })
    for model in manifest.get("models", []):
        if args.only and model["name"] not in args.only:
            continue
        progress(f"{model['name']}: start")
        bench_model(report, model, env, args)
        report.write()
    report.write()
    unsupported = sum(1 for r in report.out["rows"] if "unsupported" in r)
    progress(f"done: {len(report.out['rows'])} rows ({unsupported} unsupported) in {args.out_json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
