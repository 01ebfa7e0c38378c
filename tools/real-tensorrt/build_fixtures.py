#!/usr/bin/env python3
"""Builds the real TensorRT fixtures on a machine with an NVIDIA GPU.

Usage: python3 build_fixtures.py OUT_DIR [--torch-tensorrt]

Writes, into OUT_DIR/trt<major>/ (major = the TensorRT the `tensorrt` module
loads), raw engines built with TensorRT's own network API, with seeded inputs
and reference outputs as .npy files computed independently with NumPy, and
OUT_DIR/trt<major>/manifest.json describing each fixture. With
--torch-tensorrt it also compiles a small PyTorch model with Torch-TensorRT
and saves it as ExportedProgram (.ep) and TorchScript (.ts), with its
engine's pickled extra state and the 13-slot list from Torch-TensorRT's own
packer, into OUT_DIR/torch-tensorrt/.

Every fixture is built on its own: one that the loaded TensorRT refuses is
recorded in the manifest with the reason, and the rest are still built.
"""
import hashlib
import json
import os
import platform
import sys
import traceback

import numpy as np
import tensorrt as trt

LOGGER = trt.Logger(trt.Logger.WARNING)
MAJOR = int(trt.__version__.split(".")[0])
RNG_SEED = 20261203
# Engines above this size are built and tested but not committed (the manifest says so).
COMMIT_LIMIT = 16 << 20


def rng(name):
    # One generator per fixture, seeded from its name, so a rebuild gives the same data.
    digest = hashlib.sha256(f"{RNG_SEED}:{name}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def network_flags(strongly_typed):
    flags = 0
    typed = getattr(trt.NetworkDefinitionCreationFlag, "STRONGLY_TYPED", None)
    if strongly_typed and typed is not None:
        flags |= 1 << int(typed)
    return flags


def constant(network, array, name):
    layer = network.add_constant(array.shape, trt.Weights(np.ascontiguousarray(array)))
    layer.name = name
    return layer.get_output(0)


def dense(network, x, w, b, name, relu, keep):
    keep += [w, b]  # TensorRT reads the weights at build time; keep them alive until then.
    mm = network.add_matrix_multiply(x, trt.MatrixOperation.NONE, constant(network, w, f"{name}.weight"), trt.MatrixOperation.NONE)
    mm.name = f"{name}.matmul"
    add = network.add_elementwise(mm.get_output(0), constant(network, b.reshape(1, -1), f"{name}.bias"), trt.ElementWiseOperation.SUM)
    add.name = f"{name}.bias_add"
    out = add.get_output(0)
    if relu:
        act = network.add_activation(out, trt.ActivationType.RELU)
        act.name = f"{name}.relu"
        out = act.get_output(0)
    return out


def mlp_weights(name, sizes, dtype):
    g = rng(name + ".weights")
    layers = []
    for i in range(len(sizes) - 1):
        w = (g.standard_normal((sizes[i], sizes[i + 1])) / np.sqrt(sizes[i])).astype(dtype)
        b = (g.standard_normal(sizes[i + 1]) * 0.1).astype(dtype)
        layers.append((w, b))
    return layers


def mlp_reference(x, layers):
    # float64 on the host: independent of TensorRT's kernels and of the GPU.
    h = x.astype(np.float64)
    for i, (w, b) in enumerate(layers):
        h = h @ w.astype(np.float64) + b.astype(np.float64)
        if i < len(layers) - 1:
            h = np.maximum(h, 0)
    return h


class Fixture:
    """One engine: how to build it, its inputs and reference outputs, and how to check it."""

    def __init__(self, name, description):
        self.name = name
        self.description = description
        self.inputs = {}
        self.outputs = {}
        self.tolerance = {"rtol": 1e-4, "atol": 1e-5}
        self.features = []
        self.profiles = None
        self.lean = False


def build_mlp(fixture, batch, precision, extra_config=None, sizes=(64, 128, 128, 16), weight_streaming=False):
    dtype = np.float16 if precision == "fp16" else np.float32
    layers = mlp_weights(fixture.name, sizes, dtype)
    x = rng(fixture.name + ".x").standard_normal((batch, sizes[0])).astype(dtype)
    fixture.inputs["x"] = x
    fixture.outputs["y"] = mlp_reference(x, layers).astype(dtype)
    # TensorRT computes fp32 matrix products in TF32 by default on Ampere and later (as users
    # get them), so fp32 results differ from a float64 reference in about the third digit.
    fixture.tolerance = {"rtol": 2e-2, "atol": 2e-2} if precision == "fp16" else {"rtol": 5e-3, "atol": 5e-3}

    def define(network, config):
        keep = []
        t = network.add_input("x", trt.float16 if precision == "fp16" else trt.float32, (batch, sizes[0]))
        for i, (w, b) in enumerate(layers):
            t = dense(network, t, w, b, f"fc{i + 1}", i < len(layers) - 1, keep)
        t.name = "y"
        network.mark_output(t)
        if extra_config:
            extra_config(config)
        return keep

    # fp16 through a strongly typed network (fp16 inputs and weights): the precision is the
    # network's, which TensorRT 10 and 11 both accept, rather than a builder flag.
    return define, precision == "fp16" or weight_streaming


def one_layer(shape, add_layer, layer_name, output_name):
    """A network of one layer over a float32 input "x": what identity and NonZero need."""

    def define(network, config):
        layer = add_layer(network, network.add_input("x", trt.float32, shape))
        layer.name = layer_name
        out = layer.get_output(0)
        out.name = output_name
        network.mark_output(out)
        return []

    return define


def build_identity(fixture):
    x = rng(fixture.name).standard_normal((4, 16)).astype(np.float32)
    fixture.inputs["x"] = x
    fixture.outputs["y"] = x.copy()
    fixture.tolerance = {"rtol": 0, "atol": 0}

    return one_layer((4, 16), lambda network, t: network.add_identity(t), "identity", "y"), False


def build_dynamic(fixture, builder):
    # Two optimization profiles over a dynamic batch: small batches and large ones.
    width = 32
    scale = (rng(fixture.name + ".scale").standard_normal((1, width))).astype(np.float32)
    shift = (rng(fixture.name + ".shift").standard_normal((1, width))).astype(np.float32)
    fixture.profiles = [
        {"x": {"min": [1, width], "opt": [4, width], "max": [8, width]}},
        {"x": {"min": [16, width], "opt": [32, width], "max": [64, width]}},
    ]
    for batch in (3, 40):
        x = rng(f"{fixture.name}.x{batch}").standard_normal((batch, width)).astype(np.float32)
        fixture.inputs[f"x@{batch}"] = x
        fixture.outputs[f"y@{batch}"] = np.maximum(x.astype(np.float64) * scale + shift, 0).astype(np.float32)
    fixture.features.append("profiles")

    def define(network, config):
        keep = [scale, shift]
        t = network.add_input("x", trt.float32, (-1, width))
        mul = network.add_elementwise(t, constant(network, scale, "scale.value"), trt.ElementWiseOperation.PROD)
        mul.name = "scale"
        add = network.add_elementwise(mul.get_output(0), constant(network, shift, "shift.value"), trt.ElementWiseOperation.SUM)
        add.name = "shift"
        relu = network.add_activation(add.get_output(0), trt.ActivationType.RELU)
        relu.name = "relu"
        out = relu.get_output(0)
        out.name = "y"
        network.mark_output(out)
        for p in fixture.profiles:
            profile = builder.create_optimization_profile()
            profile.set_shape("x", p["x"]["min"], p["x"]["opt"], p["x"]["max"])
            config.add_optimization_profile(profile)
        return keep

    return define, False


def build_nonzero(fixture):
    # The output's shape depends on the data: TensorRT needs an output allocator.
    x = rng(fixture.name).standard_normal(24).astype(np.float32)
    x[x < 0.3] = 0  # about 40% non-zero
    fixture.inputs["x"] = x
    fixture.outputs["indices"] = np.stack(np.nonzero(x)).astype(np.int64)
    fixture.tolerance = {"rtol": 0, "atol": 0}
    fixture.features.append("output_allocator")

    return one_layer((24,), lambda network, t: network.add_non_zero(t), "nonzero", "indices"), False


def write_npy(directory, name, array):
    path = os.path.join(directory, name)
    np.save(path, array)
    return os.path.basename(path)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def io_description(engine):
    io = []
    for i in range(engine.num_io_tensors):
        name = engine.get_tensor_name(i)
        io.append({
            "name": name,
            "mode": "input" if engine.get_tensor_mode(name) == trt.TensorIOMode.INPUT else "output",
            "dtype": str(engine.get_tensor_dtype(name)).replace("DataType.", "").lower(),
            "shape": list(engine.get_tensor_shape(name)),
        })
    return io


def build_one(builder, fixture, define_and_typed, directory, entry):
    define, strongly_typed = define_and_typed
    network = builder.create_network(network_flags(strongly_typed))
    config = builder.create_builder_config()
    config.set_memory_pool_limit(trt.MemoryPoolType.WORKSPACE, 1 << 28)
    keep = define(network, config)
    plan = builder.build_serialized_network(network, config)
    del keep
    if plan is None:
        raise RuntimeError("build_serialized_network returned None (the logger's errors are above)")
    data = bytes(plan)
    engine_file = f"{fixture.name}.engine"
    with open(os.path.join(directory, engine_file), "wb") as f:
        f.write(data)
    # Deserialize what was written, as a user would, to record what the engine says of itself.
    runtime = trt.Runtime(LOGGER)
    runtime.engine_host_code_allowed = False
    engine = runtime.deserialize_cuda_engine(data)
    entry["engine"] = engine_file
    entry["bytes"] = len(data)
    if engine is not None:
        entry["io"] = io_description(engine)
        entry["profiles"] = engine.num_optimization_profiles
        entry["layers"] = engine.num_layers
        if hasattr(engine, "streamable_weights_size"):
            entry["streamableWeightsBytes"] = int(engine.streamable_weights_size)
    else:
        entry["deserializedHere"] = False


def main():
    out = sys.argv[1]
    directory = os.path.join(out, f"trt{MAJOR}")
    os.makedirs(directory, exist_ok=True)
    builder = trt.Builder(LOGGER)
    fixtures = []

    def add(name, description, make):
        fixtures.append((Fixture(name, description), make))

    add("identity", "one identity layer, float32 [4,16]", lambda f: build_identity(f))
    for precision in ("fp32", "fp16"):
        for batch in (1, 8, 64):
            add(f"mlp3_b{batch}_{precision}", f"3-layer MLP 64-128-128-16 at batch {batch}, {precision}",
                lambda f, b=batch, p=precision: build_mlp(f, b, p))
    add("dynamic_two_profiles", "y = relu(x*scale+shift), x [-1,32], profiles 1-8 and 16-64", lambda f: build_dynamic(f, builder))
    add("nonzero", "NonZero of a float32 [24] vector: a data-dependent int64 [1,K] output", lambda f: build_nonzero(f))

    def streaming(config):
        config.set_flag(trt.BuilderFlag.WEIGHT_STREAMING)

    def weight_streaming(f):
        f.features.append("weight_streaming")
        return build_mlp(f, 8, "fp32", streaming, sizes=(256, 512, 512, 64), weight_streaming=True)

    add("mlp_weight_streaming", "MLP 256-512-512-64 at batch 8, fp32, built with weight streaming", weight_streaming)

    def detailed(f):
        f.features.append("detailed_profiling")
        return build_mlp(f, 8, "fp32", lambda c: setattr(c, "profiling_verbosity", trt.ProfilingVerbosity.DETAILED))

    add("mlp3_b8_detailed", "the b8 fp32 MLP built with kDETAILED profiling verbosity", detailed)

    def version_compatible(f):
        f.features.append("version_compatible")
        f.lean = True

        def flags(config):
            config.set_flag(trt.BuilderFlag.VERSION_COMPATIBLE)
            # Leave the lean runtime out of the plan (it is ~100 MB): the lean library runs it.
            config.set_flag(trt.BuilderFlag.EXCLUDE_LEAN_RUNTIME)

        return build_mlp(f, 8, "fp32", flags)

    add("mlp3_b8_version_compatible", "the b8 fp32 MLP, version-compatible, lean runtime excluded", version_compatible)

    def host_code(f):
        # The plan carries its own lean runtime (engine host code): a newer TensorRT runs it only
        # after IRuntime::setEngineHostCodeAllowed(true). Large (the lean library is inside).
        f.features += ["version_compatible", "engine_host_code"]
        f.lean = True
        return build_mlp(f, 8, "fp32", lambda c: c.set_flag(trt.BuilderFlag.VERSION_COMPATIBLE))

    add("mlp3_b8_host_code", "the b8 fp32 MLP, version-compatible with the lean runtime inside the plan", host_code)

    manifest = {
        "tensorrt": trt.__version__,
        "major": MAJOR,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "fixtures": [],
    }
    try:
        import torch

        manifest["torch"] = torch.__version__
        manifest["cuda"] = torch.version.cuda
        manifest["gpu"] = torch.cuda.get_device_name(0)
        cap = torch.cuda.get_device_capability(0)
        manifest["computeCapability"] = f"{cap[0]}.{cap[1]}"
    except Exception as e:  # noqa: BLE001 - torch only describes the machine here
        manifest["torchError"] = repr(e)

    for fixture, make in fixtures:
        entry = {"name": fixture.name, "description": fixture.description}
        print(f"[build] trt{MAJOR} {fixture.name} ...", flush=True)
        try:
            define_and_typed = make(fixture)
            build_one(builder, fixture, define_and_typed, directory, entry)
            # Integer references take the engine's own output type (NonZero writes int32 or int64
            # depending on the TensorRT release), so the comparison is exact.
            for io in entry.get("io", []):
                for key in list(fixture.outputs):
                    if key.split("@")[0] == io["name"] and io["dtype"] in ("int32", "int64"):
                        fixture.outputs[key] = fixture.outputs[key].astype(io["dtype"])
            entry["inputs"] = {k: write_npy(directory, f"{fixture.name}.in.{k}.npy", v) for k, v in fixture.inputs.items()}
            entry["outputs"] = {k: write_npy(directory, f"{fixture.name}.out.{k}.npy", v) for k, v in fixture.outputs.items()}
            entry["tolerance"] = fixture.tolerance
            entry["features"] = fixture.features
            entry["lean"] = fixture.lean
            if fixture.profiles:
                entry["profileShapes"] = fixture.profiles
            print(f"[build] trt{MAJOR} {fixture.name}: {entry['bytes']} bytes", flush=True)
        except Exception as e:  # noqa: BLE001 - one refused fixture must not stop the others
            entry["error"] = f"{type(e).__name__}: {e}"
            traceback.print_exc()
            print(f"[build] trt{MAJOR} {fixture.name}: FAILED {entry['error']}", flush=True)
        manifest["fixtures"].append(entry)

    for entry in manifest["fixtures"]:
        if entry.get("bytes", 0) > COMMIT_LIMIT:
            entry["notCommitted"] = (f"{entry['bytes']} bytes (the plan carries TensorRT's lean runtime): build_fixtures.py makes it; "
                                     "the repository keeps its inputs, references and sha256")
        files = [entry.get("engine")] + list(entry.get("inputs", {}).values()) + list(entry.get("outputs", {}).values())
        entry["sha256"] = {f: sha256(os.path.join(directory, f)) for f in files if f}
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")

    if "--torch-tensorrt" in sys.argv:
        from torch_tensorrt_fixtures import build_torch_tensorrt

        build_torch_tensorrt(os.path.join(out, "torch-tensorrt"), manifest)
    failed = [e["name"] for e in manifest["fixtures"] if "error" in e]
    print(f"[build] trt{MAJOR}: {len(manifest['fixtures']) - len(failed)} built, {len(failed)} failed {failed}", flush=True)


if __name__ == "__main__":
    main()
