"""Does TensorRT-RTX build and run an engine on this GPU? Records what it says.

    python3 try_tensorrt_rtx.py OUT.json

Builds y = relu(x) * 2 for x float32 [4, 16] with TensorRT-RTX's Python API
(the tensorrt_rtx bindings over libtensorrt_rtx.so.1), deserializes it and runs
it with torch tensors. Every step is attempted in order; the first failure is
recorded with TensorRT-RTX's own log lines, and later steps are skipped.
"""
import json
import sys
import traceback


def main(out_path):
    report = {"steps": {}, "log": []}

    def record(step, fn):
        if any(v.get("ok") is False for v in report["steps"].values()):
            report["steps"][step] = {"ok": None, "skipped": "an earlier step failed"}
            return None
        try:
            value = fn()
            report["steps"][step] = {"ok": True}
            return value
        except Exception as e:  # noqa: BLE001 - the exact failure is the result
            traceback.print_exc()
            report["steps"][step] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
            return None

    # NVIDIA's tensorrt-rtx meta-package only aliases this module as `tensorrt_rtx`.
    trt = record("import tensorrt_rtx_bindings", lambda: __import__("tensorrt_rtx_bindings"))
    if trt is not None:
        report["version"] = trt.__version__

        class Log(trt.ILogger):
            def __init__(self):
                trt.ILogger.__init__(self)

            def log(self, severity, msg):
                report["log"].append(f"{severity}: {msg}")
                print(f"[rtx {severity}] {msg}", flush=True)

        logger = Log()
        import torch

        report["gpu"] = torch.cuda.get_device_name(0)
        report["computeCapability"] = ".".join(map(str, torch.cuda.get_device_capability(0)))

        def build():
            builder = trt.Builder(logger)
            network = builder.create_network(0)
            x = network.add_input("x", trt.float32, (4, 16))
            relu = network.add_activation(x, trt.ActivationType.RELU)
            two = network.add_constant((1, 1), trt.Weights(__import__("numpy").array([[2.0]], dtype="float32")))
            y = network.add_elementwise(relu.get_output(0), two.get_output(0), trt.ElementWiseOperation.PROD)
            y.get_output(0).name = "y"
            network.mark_output(y.get_output(0))
            config = builder.create_builder_config()
            plan = builder.build_serialized_network(network, config)
            if plan is None:
                raise RuntimeError("build_serialized_network returned None (see the log)")
            return bytes(plan)

        plan = record("build", build)
        if plan is not None:
            report["planBytes"] = len(plan)
            report["planHead"] = plan[:32].hex()

        def run():
            runtime = trt.Runtime(logger)
            engine = runtime.deserialize_cuda_engine(plan)
            if engine is None:
                raise RuntimeError("deserialize_cuda_engine returned None (see the log)")
            context = engine.create_execution_context()
            x = torch.linspace(-1, 1, 64, device="cuda").reshape(4, 16)
            y = torch.empty(4, 16, device="cuda")
            context.set_tensor_address("x", x.data_ptr())
            context.set_tensor_address("y", y.data_ptr())
            stream = torch.cuda.current_stream()
            if not context.execute_async_v3(stream.cuda_stream):
                raise RuntimeError("execute_async_v3 returned False (see the log)")
            stream.synchronize()
            return float((y - torch.relu(x) * 2).abs().max())

        diff = record("deserialize and run", run)
        if diff is not None:
            report["maxAbsDiff"] = diff
    with open(out_path, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    return 0 if all(v.get("ok") for v in report["steps"].values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
