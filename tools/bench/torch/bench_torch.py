"""PyTorch rows of the benchmark suite: the same math as each case, eager and
replayed from a CUDA graph, timed the way src/ours.ts times this runtime
(host time per call including the wait; CUDA events for device time, in a
separate loop).

Reads the cases as JSON on stdin (written by src/torch.ts, with the emulator
fixtures' weights and the inputs every row uses) and prints one JSON object.
Exits 0 with {"unsupported": reason} when PyTorch or a CUDA device is missing.
"""

import json
import sys
import time


def stats(samples):
    if not samples:
        return None
    s = sorted(samples)
    at = lambda p: s[min(len(s) - 1, int(p * len(s)))]
    return {"medianUs": at(0.5), "p99Us": at(0.99), "meanUs": sum(s) / len(s), "minUs": s[0]}


def time_calls(torch, fn, sets, iterations, warmup):
    """Host time (perf_counter_ns) per call, then device time (CUDA events) per call in a
    second loop, so that recording events does not add to the host time."""
    stream = torch.cuda.current_stream()
    host, device = [], []
    for n in range(warmup + iterations):
        args = sets[n % len(sets)]
        start = time.perf_counter_ns()
        fn(*args)
        stream.synchronize()
        end = time.perf_counter_ns()
        if n >= warmup:
            host.append((end - start) / 1000.0)
    before = torch.cuda.Event(enable_timing=True)
    after = torch.cuda.Event(enable_timing=True)
    for n in range(iterations):
        args = sets[n % len(sets)]
        before.record(stream)
        fn(*args)
        after.record(stream)
        stream.synchronize()
        device.append(before.elapsed_time(after) * 1000.0)
    return {"host": stats(host), "device": stats(device), "iterations": iterations}


def build(torch, case):
    """The case as a function of device tensors, plus one argument tuple per shape set."""
    F = torch.nn.functional
    dev = "cuda"
    kind = case["kind"]
    if kind == "mlp":
        layers = [
            (
                torch.tensor(l["w"], dtype=torch.float32, device=dev).reshape(l["k"], l["n"]).t().contiguous(),
                torch.tensor(l["b"], dtype=torch.float32, device=dev),
            )
            for l in case["layers"]
        ]

        def mlp(x):
            for w, b in layers:
                x = torch.relu(F.linear(x, w, b))
            return x

        sets = [(torch.tensor(v, dtype=torch.float32, device=dev).reshape(s),) for s, v in zip(case["shapes"], case["inputs"])]
        return mlp, sets
    if kind == "identity":
        sets = [(torch.tensor(v, dtype=torch.float32, device=dev).reshape(s),) for s, v in zip(case["shapes"], case["inputs"])]
        return (lambda x: x.clone()), sets
    if kind == "nonzero":
        sets = [(torch.tensor(v, dtype=torch.int32, device=dev).reshape(s),) for s, v in zip(case["shapes"], case["inputs"])]
        return (lambda x: (torch.nonzero(x).t().contiguous(), x.clone())), sets
    if kind == "add":
        sets = [
            tuple(torch.tensor(v, dtype=torch.float32, device=dev).reshape(s) for v in values)
            for s, values in zip(case["shapes"], case["inputs"])
        ]
        return (lambda a, b: a + b), sets
    raise ValueError("unknown case kind " + kind)


def graph_rows(torch, fn, sets, iterations, warmup):
    """One CUDA graph per shape set (static inputs, as torch.cuda.graphs requires), replayed in turn."""
    graphs = []
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for args in sets:
            for _ in range(3):
                fn(*args)
    torch.cuda.current_stream().wait_stream(side)
    for args in sets:
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g):
            fn(*args)
        graphs.append((g,))
    return time_calls(torch, lambda g: g.replay(), graphs, iterations, warmup)


def checksum(torch, fn, args):
    out = fn(*args)
    first = out[0] if isinstance(out, tuple) else out
    return float(first.double().sum().item())


def cuda_torch():
    """PyTorch with a CUDA device, or None after printing why the rows cannot run (the JSON the caller reads)."""
    try:
        import torch
    except ImportError as e:
        print(json.dumps({"unsupported": "PyTorch is not installed (%s)" % e}))
        return None
    if not torch.cuda.is_available():
        print(json.dumps({"unsupported": "PyTorch %s sees no CUDA device" % torch.__version__}))
        return None
    return torch


def main():
    spec = json.load(sys.stdin)
    torch = cuda_torch()
    if torch is None:
        return
    torch.backends.cuda.matmul.allow_tf32 = False  # float32 math, as the emulator does
    iterations, warmup = spec["iterations"], spec["warmup"]
    rounds = spec.get("rounds", 1)
    out = {
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "device": torch.cuda.get_device_name(0),
        "cases": {},
    }
    for case in spec["cases"]:
        fn, sets = build(torch, case)
        with torch.no_grad():
            result = {"checksum": checksum(torch, fn, sets[0])}
            eager = [time_calls(torch, fn, sets, iterations, warmup) for _ in range(rounds)]
            result["eager"] = sorted(eager, key=lambda r: r["host"]["medianUs"])[len(eager) // 2]
            if case["kind"] == "nonzero":
                result["graph"] = {"unsupported": "torch.nonzero synchronizes with the host, so it cannot be captured"}
            else:
                graph = [graph_rows(torch, fn, sets, iterations, warmup) for _ in range(rounds)]
                result["graph"] = sorted(graph, key=lambda r: r["host"]["medianUs"])[len(graph) // 2]
        out["cases"][case["id"]] = result
    print(json.dumps(out))


if __name__ == "__main__":
    main()
