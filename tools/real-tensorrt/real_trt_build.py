"""TensorRT's builder as the real-model suite uses it: one logger that keeps the errors it
saw (so a failed build says why in the manifest), a timing cache shared by every build
and saved to a file, ONNX parsing with the parser's own errors, and a build at a fixed
optimization level."""

import os
import sys
import time


def recording_logger(trt):
    """A TensorRT logger that prints warnings and errors to stderr and remembers the errors."""

    class RecordingLogger(trt.ILogger):
        def __init__(self):
            trt.ILogger.__init__(self)
            self.errors = []

        def log(self, severity, msg):
            # Severities: internal error 0, error 1, warning 2, info 3, verbose 4.
            level = int(severity)
            if level <= 2:
                print(f"[tensorrt {str(severity).split('.')[-1].lower()}] {msg}", file=sys.stderr, flush=True)
            if level <= 1:
                self.errors.append(msg)

        def take_errors(self):
            errors, self.errors = self.errors, []
            return errors

    return RecordingLogger()


class BuildError(RuntimeError):
    """A TensorRT step failed; the message carries TensorRT's own errors."""


def with_errors(message, errors):
    if not errors:
        return message
    tail = errors[-3:]
    return message + ": " + " | ".join(e.strip() for e in tail)


class TimingCache:
    """One ITimingCache for all builds of a run, loaded from `path` when it exists and saved
    back after each build, so a rebuild (or the next model) skips kernel timing it has done."""

    def __init__(self, trt, path):
        self.trt = trt
        self.path = path
        self.cache = None
        self.loaded_bytes = 0

    def attach(self, config):
        if self.cache is None:
            data = b""
            if self.path and os.path.exists(self.path):
                with open(self.path, "rb") as f:
                    data = f.read()
            self.cache = config.create_timing_cache(data)
            if self.cache is None and data:
                # A cache from another TensorRT release or GPU: start empty rather than fail.
                print(f"[real-models] timing cache {self.path} was refused; starting an empty one", file=sys.stderr)
                self.cache = config.create_timing_cache(b"")
            else:
                self.loaded_bytes = len(data)
        if not config.set_timing_cache(self.cache, False):
            raise BuildError("the timing cache was refused by the builder config")

    def save(self):
        if self.cache is None or not self.path:
            return 0
        data = self.cache.serialize()
        tmp = self.path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, self.path)
        return os.path.getsize(self.path)


def network_flags(trt, strongly_typed=False):
    flags = 0
    if strongly_typed:
        flags |= 1 << int(trt.NetworkDefinitionCreationFlag.STRONGLY_TYPED)
    return flags


def parse_onnx(trt, builder, log, path, strongly_typed=False):
    """The network TensorRT's ONNX parser makes of `path`. Returns (network, parser): the parser
    owns the weights, so it must live until the build is done."""
    network = builder.create_network(network_flags(trt, strongly_typed))
    parser = trt.OnnxParser(network, log)
    if not parser.parse_from_file(path):
        errors = [str(parser.get_error(i)) for i in range(parser.num_errors)]
        raise BuildError(with_errors(f"TensorRT's ONNX parser refused {os.path.basename(path)}", errors + log.take_errors()))
    return network, parser


def plugin_layer_count(trt, network):
    kinds = {getattr(trt.LayerType, k) for k in ("PLUGIN", "PLUGIN_V2", "PLUGIN_V3") if hasattr(trt.LayerType, k)}
    return sum(1 for i in range(network.num_layers) if network.get_layer(i).type in kinds)


def add_profiles(builder, config, profiles):
    """profiles: [{input name: (min, opt, max)}], in profile order."""
    for shapes in profiles:
        profile = builder.create_optimization_profile()
        for name, (lo, opt, hi) in shapes.items():
            profile.set_shape(name, lo, opt, hi)
        if config.add_optimization_profile(profile) < 0:
            raise BuildError(f"optimization profile {shapes} was refused")


def build_plan(trt, builder, log, network, config, timing_cache, optimization_level):
    """Builds at `optimization_level` with the shared timing cache; returns (plan, seconds)."""
    config.builder_optimization_level = optimization_level
    timing_cache.attach(config)
    log.take_errors()
    start = time.perf_counter()
    plan = builder.build_serialized_network(network, config)
    seconds = time.perf_counter() - start
    if plan is None:
        raise BuildError(with_errors("build_serialized_network returned None", log.take_errors()))
    timing_cache.save()
    return plan, seconds


def write_plan(path, plan):
    """Writes the plan without another copy in Python (the weight-streaming plan is 2.4 GB)."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(memoryview(plan))
    os.replace(tmp, path)
    return os.path.getsize(path)
