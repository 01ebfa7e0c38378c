#!/usr/bin/env python3
"""Does torch_tensorrt.compile work on this machine, with the TensorRT Python
bindings at hand (10.6)? If it does, the program it makes becomes a fixture:
two TensorRT blocks with a PyTorch op between them, saved as .ep and .ts.

Usage: python3 torch_tensorrt_compile.py OUT_DIR [WHEEL_DIR]

The model: Linear(64, 32) -> ReLU -> sigmoid -> Linear(32, 16) -> ReLU, with
aten.sigmoid kept in PyTorch (torch_executed_ops), so compile() must cut the
graph into two TensorRT engines (_run_on_acc_0, _run_on_acc_2) around it.

OUT_DIR gets compile.json (versions, each attempt, its outcome or the
exception and traceback) and, when one compiles: tt_compiled_two_blocks.ep /
.ts, tt_compiled_two_blocks.in.x.npy and .out.y.npy (eager PyTorch's output
on that input; the compiled program must be within its tolerance), and the
engine names inside. With WHEEL_DIR, every other torch_tensorrt wheel found
there is tried too, each in a process of its own with the wheel unpacked in
front of sys.path (an older Torch-TensorRT may refuse this torch; the reason
is recorded). Lines on stdout: [compile] ...
"""
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import traceback

TOLERANCE = 2e-2  # TensorRT may pick TF32 for fp32 matmuls on this GPU


def say(message):
    print(f"[compile] {message}", flush=True)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def attempt(out_dir, save):
    """One compile in this process; returns a JSON-able outcome."""
    outcome = {"python": sys.version.split()[0]}
    try:
        import numpy as np
        import torch

        outcome["torch"] = torch.__version__
        import tensorrt as trt

        outcome["tensorrt"] = trt.__version__
        import torch_tensorrt
        from torch_tensorrt.dynamo.runtime import TorchTensorRTModule

        outcome["torchTensorRT"] = torch_tensorrt.__version__
        outcome["torchTensorRTPath"] = os.path.dirname(torch_tensorrt.__file__)
    except Exception as e:  # noqa: BLE001
        outcome.update({"stage": "import", "ok": False, "error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()})
        return outcome

    class TwoBlocks(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(64, 32)
            self.fc2 = torch.nn.Linear(32, 16)

        def forward(self, x):
            h = torch.relu(self.fc1(x))
            h = torch.sigmoid(h)  # stays in PyTorch: torch_executed_ops below
            return torch.relu(self.fc2(h))

    torch.manual_seed(20261207)
    model = TwoBlocks().eval().cuda()
    x = torch.randn(8, 64, device="cuda")
    with torch.no_grad():
        expected = model(x)
    try:
        compiled = torch_tensorrt.compile(
            model,
            ir="dynamo",
            inputs=[x],
            min_block_size=1,
            torch_executed_ops={"torch.ops.aten.sigmoid.default"},
        )
    except Exception as e:  # noqa: BLE001
        outcome.update({"stage": "compile", "ok": False, "error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()})
        return outcome
    engines = [name for name, m in compiled.named_modules() if isinstance(m, TorchTensorRTModule)]
    with torch.no_grad():
        got = compiled(x)
    diff = float((got - expected).abs().max())
    outcome.update({"stage": "run", "engines": engines, "maxAbsDiffFromEager": diff, "ok": diff <= TOLERANCE and len(engines) == 2})
    if not save:
        return outcome
    np.save(os.path.join(out_dir, "tt_compiled_two_blocks.in.x.npy"), x.cpu().numpy())
    np.save(os.path.join(out_dir, "tt_compiled_two_blocks.out.y.npy"), expected.cpu().numpy())
    outcome["archives"] = {}
    for suffix, fmt in ((".ep", "exported_program"), (".ts", "torchscript")):
        path = os.path.join(out_dir, "tt_compiled_two_blocks" + suffix)
        try:
            torch_tensorrt.save(compiled, path, output_format=fmt, arg_inputs=[x])
            loaded = torch_tensorrt.load(path)
            runnable = loaded.module() if fmt == "exported_program" else loaded
            with torch.no_grad():
                again = runnable(x)
            outcome["archives"][os.path.basename(path)] = {
                "bytes": os.path.getsize(path),
                "sha256": sha256(path),
                "maxAbsDiffAfterReload": float((again - expected).abs().max()),
            }
        except Exception as e:  # noqa: BLE001
            outcome["archives"][os.path.basename(path)] = {"error": f"{type(e).__name__}: {e}", "traceback": traceback.format_exc()}
    return outcome


def other_wheels(wheel_dir):
    return sorted(glob.glob(os.path.join(wheel_dir, "torch_tensorrt-*.whl"))) if wheel_dir else []


def main(out_dir, wheel_dir=None):
    os.makedirs(out_dir, exist_ok=True)
    report = {"attempts": []}
    first = attempt(out_dir, save=True)
    first["wheel"] = "as installed"
    report["attempts"].append(first)
    say(f"as installed: {first.get('torchTensorRT')} on torch {first.get('torch')}, tensorrt {first.get('tensorrt')}: "
        + ("OK" if first.get("ok") else f"failed at {first.get('stage')}: {first.get('error', first.get('maxAbsDiffFromEager'))}"))
    for wheel in other_wheels(wheel_dir):
        if first.get("torchTensorRTPath") and os.path.basename(wheel).startswith(f"torch_tensorrt-{first.get('torchTensorRT')}-"):
            continue
        site = tempfile.mkdtemp(prefix="tt-wheel-")
        pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--target", site, wheel], capture_output=True, text=True)
        if pip.returncode != 0:
            report["attempts"].append({"wheel": os.path.basename(wheel), "ok": False, "stage": "pip", "error": pip.stderr.strip()[-2000:]})
            say(f"{os.path.basename(wheel)}: pip could not unpack it")
            continue
        env = dict(os.environ, PYTHONPATH=site + os.pathsep + os.environ.get("PYTHONPATH", ""))
        child = subprocess.run([sys.executable, __file__, "--one", out_dir], capture_output=True, text=True, env=env)
        lines = [l for l in child.stdout.splitlines() if l.startswith("{")]
        outcome = json.loads(lines[-1]) if lines else {"ok": False, "stage": "process", "error": child.stderr.strip()[-2000:]}
        outcome["wheel"] = os.path.basename(wheel)
        report["attempts"].append(outcome)
        say(f"{outcome['wheel']}: " + ("OK" if outcome.get("ok") else f"failed at {outcome.get('stage')}: {str(outcome.get('error'))[:300]}"))
    with open(os.path.join(out_dir, "compile.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    say(f"wrote {os.path.join(out_dir, 'compile.json')}")
    return 0 if any(a.get("ok") for a in report["attempts"]) else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(attempt(sys.argv[2], save=False)), flush=True)
        sys.exit(0)
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    try:
        sys.exit(main(*sys.argv[1:]))
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        sys.exit(1)
