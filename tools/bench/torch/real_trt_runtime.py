"""TensorRT's Python API over PyTorch tensors: how both the real-model builder (for
TensorRT's own outputs) and the anchors (for its timing) run an engine.

Tensors are bound once: a BoundContext sets the input shapes and every tensor
address when it is made, so a request is one execute_async_v3 on its stream,
the thinnest loop TensorRT's Python API allows.
"""

_LOGGERS = {}


def use_logger(trt, log):
    """Makes `log` the process's TensorRT logger and registers the standard plugins with it:
    EfficientNMS_TRT and the others live in libnvinfer_plugin, and an engine holding one
    of them parses and deserializes only once they are registered."""
    if not trt.init_libnvinfer_plugins(log, ""):
        raise RuntimeError("init_libnvinfer_plugins failed (is libnvinfer_plugin.so on the library path?)")
    _LOGGERS["logger"] = log
    return log


def logger(trt):
    """The process's logger (one, since TensorRT keeps the first one it is given), made on first use."""
    if "logger" not in _LOGGERS:
        use_logger(trt, trt.Logger(trt.Logger.WARNING))
    return _LOGGERS["logger"]


def torch_dtype(trt, torch, dtype):
    table = {
        trt.float32: torch.float32,
        trt.float16: torch.float16,
        trt.int32: torch.int32,
        trt.int8: torch.int8,
        trt.bool: torch.bool,
    }
    for name, torch_name in (("int64", "int64"), ("bfloat16", "bfloat16"), ("uint8", "uint8")):
        if hasattr(trt, name):
            table[getattr(trt, name)] = getattr(torch, torch_name)
    if dtype not in table:
        raise TypeError(f"no PyTorch dtype for TensorRT's {dtype}")
    return table[dtype]


def deserialize(trt, plan, weight_streaming_budget=None):
    """The engine from plan bytes; with weight_streaming_budget, that many bytes of its
    streamable weights stay on the device (set before any context is made, as TensorRT asks)."""
    runtime = trt.Runtime(logger(trt))
    engine = runtime.deserialize_cuda_engine(plan)
    if engine is None:
        raise RuntimeError("TensorRT could not deserialize the engine (its log is above)")
    if weight_streaming_budget is not None:
        engine.weight_streaming_budget_v2 = int(weight_streaming_budget)
    # The runtime must outlive the engine.
    return runtime, engine


def io_names(trt, engine):
    names = [engine.get_tensor_name(i) for i in range(engine.num_io_tensors)]
    inputs = [n for n in names if engine.get_tensor_mode(n) == trt.TensorIOMode.INPUT]
    return inputs, [n for n in names if n not in inputs]


class BoundContext:
    """An execution context on `profile` with `inputs` (name -> device tensor) and its own
    output tensors bound once; launch() enqueues one request on `stream`."""

    def __init__(self, trt, torch, engine, inputs, profile, stream):
        self.stream = stream
        self.context = engine.create_execution_context()
        if self.context is None:
            raise RuntimeError("create_execution_context returned None (out of device memory?)")
        if profile:
            if not self.context.set_optimization_profile_async(profile, stream.cuda_stream):
                raise RuntimeError(f"optimization profile {profile} was refused")
            stream.synchronize()
        in_names, out_names = io_names(trt, engine)
        missing = [n for n in in_names if n not in inputs]
        if missing:
            raise KeyError(f"inputs missing for {missing}")
        self.inputs = {}
        for name in in_names:
            want = torch_dtype(trt, torch, engine.get_tensor_dtype(name))
            t = inputs[name].to(device="cuda", dtype=want).contiguous()
            self.inputs[name] = t  # kept alive: TensorRT holds only its address
            if not self.context.set_input_shape(name, tuple(t.shape)):
                raise ValueError(f"input {name} shape {tuple(t.shape)} is outside profile {profile}")
            self.context.set_tensor_address(name, t.data_ptr())
        self.outputs = {}
        for name in out_names:
            shape = tuple(self.context.get_tensor_shape(name))
            if any(d < 0 for d in shape):
                raise ValueError(f"output {name} has a data-dependent shape {shape}: this loop needs fixed outputs")
            t = torch.empty(shape, dtype=torch_dtype(trt, torch, engine.get_tensor_dtype(name)), device="cuda")
            self.outputs[name] = t
            self.context.set_tensor_address(name, t.data_ptr())

    def launch(self):
        if not self.context.execute_async_v3(self.stream.cuda_stream):
            raise RuntimeError("execute_async_v3 returned False (TensorRT's log is above)")

    def wait(self):
        self.stream.synchronize()

    def run(self):
        """One request, waited for: the outputs as host NumPy arrays."""
        self.launch()
        self.wait()
        return {name: t.cpu().numpy() for name, t in self.outputs.items()}


def capture_graph(torch, bound):
    """TensorRT's enqueue captured once into a CUDA graph on the context's stream (after one
    plain run, which TensorRT needs to settle shape-dependent state). Replay with g.replay()
    while that stream is current."""
    bound.launch()
    bound.wait()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph, stream=bound.stream, capture_error_mode="thread_local"):
        bound.launch()
    return graph
