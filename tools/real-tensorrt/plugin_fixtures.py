#!/usr/bin/env python3
"""Builds engines with plugin layers on a GPU machine, for the plugin tests.

Usage: python3 plugin_fixtures.py OUT_DIR LIB_DIR

LIB_DIR holds the TensorRT release's libnvinfer_plugin.so.N and
libnvinfer_vc_plugin.so.N. Writes into OUT_DIR:

- efficient_nms.engine: boxes [1, 64, 4] and scores [1, 64, 3] through
  EfficientNMS_TRT version 1, one of TensorRT's standard plugins
  (libnvinfer_plugin, registered with initLibNvInferPlugins);
- roi_align.engine: X [1, 4, 16, 16], rois [5, 4], batch_indices [5]
  through ROIAlign_TRT version 2 (an IPluginV3) taken from
  libnvinfer_vc_plugin.so.N, a plugin library loaded through the plugin
  registry (IPluginRegistry.load_library), as a user's own library is;
- for each, seeded inputs and the outputs TensorRT's Python API computes on
  the engine (NAME.in.TENSOR.npy, NAME.out.TENSOR.npy): the references the
  Node runtime must reproduce;
- manifest.json: versions, GPU, the plugin each engine needs and where it
  came from, sha256 of every file, and a log line per step.

Each engine is built in a process of its own: a plugin registry refuses a
library whose creators are registered already, and libnvinfer_plugin and
libnvinfer_vc_plugin both hold an ROIAlign_TRT version 2.
"""
import hashlib
import json
import os
import platform
import subprocess
import sys
import traceback

import numpy as np
import tensorrt as trt

LOGGER = trt.Logger(trt.Logger.WARNING)
MAJOR = int(trt.__version__.split(".")[0])
SEED = 20261207


def log(message):
    print(f"[plugin_fixtures] {message}", flush=True)


def rng(name):
    digest = hashlib.sha256(f"{SEED}:{name}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def field(name, value, kind):
    return trt.PluginField(name, value, kind)


def build_engine(network, builder):
    config = builder.create_builder_config()
    config.set_memory_pool_limit(trt.MemoryPoolType.WORKSPACE, 1 << 28)
    plan = builder.build_serialized_network(network, config)
    if plan is None:
        raise RuntimeError("build_serialized_network returned None (see TensorRT's log above)")
    return bytes(plan)


def run_with_tensorrt(plan, inputs):
    """The engine's outputs as TensorRT's Python API computes them (torch holds the device memory)."""
    import torch

    runtime = trt.Runtime(LOGGER)
    engine = runtime.deserialize_cuda_engine(plan)
    if engine is None:
        raise RuntimeError("TensorRT's Python API could not deserialize the engine it built")
    context = engine.create_execution_context()
    buffers = {}
    for i in range(engine.num_io_tensors):
        name = engine.get_tensor_name(i)
        if engine.get_tensor_mode(name) == trt.TensorIOMode.INPUT:
            array = inputs[name]
            context.set_input_shape(name, array.shape)
            buffers[name] = torch.from_numpy(np.ascontiguousarray(array)).cuda()
    for i in range(engine.num_io_tensors):
        name = engine.get_tensor_name(i)
        if engine.get_tensor_mode(name) == trt.TensorIOMode.OUTPUT:
            shape = tuple(context.get_tensor_shape(name))
            dtype = torch.from_numpy(np.zeros(0, dtype=trt.nptype(engine.get_tensor_dtype(name)))).dtype
            buffers[name] = torch.zeros(shape, dtype=dtype, device="cuda")
    for name, tensor in buffers.items():
        context.set_tensor_address(name, tensor.data_ptr())
    stream = torch.cuda.current_stream()
    if not context.execute_async_v3(stream.cuda_stream):
        raise RuntimeError("execute_async_v3 failed")
    stream.synchronize()
    return {n: t.cpu().numpy() for n, t in buffers.items() if n not in inputs}


def efficient_nms(lib_dir):
    """EfficientNMS_TRT from TensorRT's standard plugin library."""
    if not trt.init_libnvinfer_plugins(LOGGER, ""):
        raise RuntimeError("init_libnvinfer_plugins failed")
    creator = trt.get_plugin_registry().get_plugin_creator("EfficientNMS_TRT", "1", "")
    if creator is None:
        raise RuntimeError("EfficientNMS_TRT version 1 is not registered after init_libnvinfer_plugins")
    builder = trt.Builder(LOGGER)
    network = builder.create_network(0)
    boxes = network.add_input("boxes", trt.float32, (1, 64, 4))
    scores = network.add_input("scores", trt.float32, (1, 64, 3))
    fields = trt.PluginFieldCollection([
        field("score_threshold", np.array([0.25], np.float32), trt.PluginFieldType.FLOAT32),
        field("iou_threshold", np.array([0.5], np.float32), trt.PluginFieldType.FLOAT32),
        field("max_output_boxes", np.array([16], np.int32), trt.PluginFieldType.INT32),
        field("background_class", np.array([-1], np.int32), trt.PluginFieldType.INT32),
        field("score_activation", np.array([0], np.int32), trt.PluginFieldType.INT32),
        field("box_coding", np.array([0], np.int32), trt.PluginFieldType.INT32),
    ])
    plugin = creator.create_plugin("nms", fields)
    layer = network.add_plugin_v2([boxes, scores], plugin)
    layer.name = "nms"
    for i, name in enumerate(["num_detections", "detection_boxes", "detection_scores", "detection_classes"]):
        out = layer.get_output(i)
        out.name = name
        network.mark_output(out)
    r = rng("efficient_nms")
    corners = r.uniform(0, 100, size=(1, 64, 2)).astype(np.float32)
    sizes = r.uniform(5, 30, size=(1, 64, 2)).astype(np.float32)
    inputs = {
        "boxes": np.concatenate([corners, corners + sizes], axis=2).astype(np.float32),  # (x1, y1, x2, y2)
        "scores": r.uniform(0, 1, size=(1, 64, 3)).astype(np.float32),
    }
    plugin_info = {"name": "EfficientNMS_TRT", "version": "1", "namespace": "", "library": "libnvinfer_plugin (TensorRT's standard plugins)"}
    return build_engine(network, builder), inputs, plugin_info


def roi_align(lib_dir):
    """ROIAlign_TRT version 2 from libnvinfer_vc_plugin, loaded through the registry as a user's plugin library."""
    path = os.path.join(lib_dir, f"libnvinfer_vc_plugin.so.{MAJOR}")
    registry = trt.get_plugin_registry()
    handle = registry.load_library(path)
    if handle is None:
        raise RuntimeError(f"IPluginRegistry.load_library({path}) failed")
    creator = registry.get_creator("ROIAlign_TRT", "2", "")
    if creator is None:
        raise RuntimeError(f"ROIAlign_TRT version 2 is not registered after loading {path}")
    builder = trt.Builder(LOGGER)
    network = builder.create_network(0)
    x = network.add_input("X", trt.float32, (1, 4, 16, 16))
    rois = network.add_input("rois", trt.float32, (5, 4))
    indices = network.add_input("batch_indices", trt.int32, (5,))
    fields = trt.PluginFieldCollection([
        field("coordinate_transformation_mode", np.array([1], np.int32), trt.PluginFieldType.INT32),
        field("mode", np.array([1], np.int32), trt.PluginFieldType.INT32),
        field("output_height", np.array([3], np.int32), trt.PluginFieldType.INT32),
        field("output_width", np.array([3], np.int32), trt.PluginFieldType.INT32),
        field("sampling_ratio", np.array([2], np.int32), trt.PluginFieldType.INT32),
        field("spatial_scale", np.array([1.0], np.float32), trt.PluginFieldType.FLOAT32),
    ])
    plugin = creator.create_plugin("roi_align", fields, trt.TensorRTPhase.BUILD)
    layer = network.add_plugin_v3([x, rois, indices], [], plugin)
    layer.name = "roi_align"
    out = layer.get_output(0)
    out.name = "Y"
    network.mark_output(out)
    r = rng("roi_align")
    starts = r.uniform(0, 8, size=(5, 2)).astype(np.float32)
    inputs = {
        "X": r.standard_normal((1, 4, 16, 16)).astype(np.float32),
        "rois": np.concatenate([starts, starts + r.uniform(2, 7, size=(5, 2)).astype(np.float32)], axis=1),
        "batch_indices": np.zeros((5,), np.int32),
    }
    plugin_info = {"name": "ROIAlign_TRT", "version": "2", "namespace": "", "library": os.path.basename(path)}
    return build_engine(network, builder), inputs, plugin_info


BUILDERS = {"efficient_nms": efficient_nms, "roi_align": roi_align}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def build_one(name, out_dir, lib_dir):
    """In this process: build one engine, run it with TensorRT's Python API, write its files; prints a JSON line."""
    plan, inputs, plugin = BUILDERS[name](lib_dir)
    outputs = run_with_tensorrt(plan, inputs)
    files = {"engine": f"{name}.engine"}
    with open(os.path.join(out_dir, files["engine"]), "wb") as f:
        f.write(plan)
    for kind, arrays in (("in", inputs), ("out", outputs)):
        for tensor, array in arrays.items():
            file = f"{name}.{kind}.{tensor}.npy"
            np.save(os.path.join(out_dir, file), array)
            files[f"{kind}.{tensor}"] = file
    shapes = {t: list(a.shape) for t, a in {**inputs, **outputs}.items()}
    print(json.dumps({"name": name, "plugin": plugin, "files": files, "shapes": shapes, "bytes": len(plan)}), flush=True)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        build_one(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out_dir, lib_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    os.makedirs(out_dir, exist_ok=True)
    import torch

    manifest = {
        "tensorrt": trt.__version__,
        "gpu": torch.cuda.get_device_name(0),
        "python": platform.python_version(),
        "lib_dir": lib_dir,
        "fixtures": [],
    }
    status = 0
    for name in BUILDERS:
        log(f"building {name} in a process of its own")
        done = subprocess.run([sys.executable, __file__, "--one", name, out_dir, lib_dir], capture_output=True, text=True)
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        lines = [l for l in done.stdout.splitlines() if l.startswith("{")]
        if done.returncode != 0 or not lines:
            status = 1
            manifest["fixtures"].append({"name": name, "error": (done.stderr.strip().splitlines() or ["no output"])[-1]})
            log(f"{name}: FAILED")
            continue
        entry = json.loads(lines[-1])
        entry["sha256"] = {f: sha256(os.path.join(out_dir, f)) for f in entry["files"].values()}
        manifest["fixtures"].append(entry)
        log(f"{name}: {entry['bytes']} bytes, needs {entry['plugin']['name']} version {entry['plugin']['version']} from {entry['plugin']['library']}")
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    log(f"wrote {os.path.join(out_dir, 'manifest.json')}")
    sys.exit(status)


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
        sys.exit(1)
