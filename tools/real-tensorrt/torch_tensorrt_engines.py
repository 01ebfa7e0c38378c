"""Torch-TensorRT's engines wherever a module holds them, and their states,
without the calls that fail in Torch-TensorRT 2.11.

Where an engine lives:
- a GraphModule from torch_tensorrt.compile: TorchTensorRTModule submodules,
  each with `.engine` (a torch.classes.tensorrt.Engine ScriptObject);
- a reloaded ExportedProgram (torch_tensorrt.load(".ep").module()): no
  TorchTensorRTModule at all; the engine is a ScriptObject constant of the
  GraphModule, read by a get_attr node and passed to
  torch.ops.tensorrt.execute_engine (also in ExportedProgram.constants);
- a TorchScript archive: an `engine` attribute of a submodule.

Why not TorchTensorRTModule.get_extra_state(): in 2.11 it starts with
`if self.engine:`, and a ScriptObject has no truth value (torch raises
NotImplementedError: '__len__' is not implemented for
__torch__.torch.classes.tensorrt.Engine). The same tuple is built here from the
engine's pickled state (`engine.__getstate__()`, which pybind returns as
(state, qualified class name); the state is the engine's slots, engine base64).

Only needs torch (and torch_tensorrt loaded, for the class); imported lazily.
"""
import traceback

ENGINE_QUALNAME = "__torch__.torch.classes.tensorrt.Engine"


def qualified_name(obj):
    """The TorchScript class name of a ScriptObject, or None for anything else."""
    import torch

    script_object = getattr(torch, "ScriptObject", None) or torch._C.ScriptObject
    if not isinstance(obj, script_object):
        return None
    try:
        return obj._type().qualified_name()
    except Exception:  # noqa: BLE001 - older/newer bindings spell it differently
        try:
            return str(obj._type())
        except Exception:  # noqa: BLE001
            return "?"


def is_engine(obj):
    name = qualified_name(obj)
    return name is not None and (name == ENGINE_QUALNAME or name.endswith("tensorrt.Engine"))


def _resolve(root, target):
    value = root
    for part in str(target).split("."):
        value = getattr(value, part)
    return value


def find_engines(root, exported=None):
    """Every distinct tensorrt Engine under `root` (an nn.Module, GraphModule or ScriptModule)
    and in `exported.constants`: a list of (where, engine, owning TorchTensorRTModule or None).
    Never tests an engine's truth value."""
    found = []
    seen = set()

    def add(where, engine, owner=None):
        if engine is None or not is_engine(engine):
            return
        try:  # a ScriptObject hashes by the C++ object, so two Python handles of one engine count once
            key = hash(engine)
        except Exception:  # noqa: BLE001
            key = id(engine)
        if key in seen:
            return
        seen.add(key)
        found.append((where, engine, owner))

    try:
        from torch_tensorrt.dynamo.runtime import TorchTensorRTModule
    except Exception:  # noqa: BLE001
        TorchTensorRTModule = ()  # noqa: N806 - isinstance(x, ()) is False
    modules = list(root.named_modules()) if hasattr(root, "named_modules") else [("", root)]
    for name, module in modules:
        label = name or "<root>"
        if TorchTensorRTModule and isinstance(module, TorchTensorRTModule):
            add(f"{label}.engine (TorchTensorRTModule)", getattr(module, "engine", None), module)
    for name, module in modules:
        label = name or "<root>"
        for attr, value in list(getattr(module, "__dict__", {}).items()):
            add(f"{label}.{attr} (attribute)", value)
        # An fx Graph's nodes (a TorchScript graph's nodes() is a method, and holds no get_attr nodes).
        nodes = getattr(getattr(module, "graph", None), "nodes", None)
        for node in () if nodes is None or callable(nodes) else nodes:
            if getattr(node, "op", None) == "get_attr":
                try:
                    add(f"{label}: get_attr {node.target}", _resolve(module, node.target))
                except Exception:  # noqa: BLE001 - an unresolvable target is not an engine
                    pass
        try:  # TorchScript modules keep it as an attribute the __dict__ does not show
            add(f"{label}.engine (script attribute)", getattr(module, "engine"))
        except Exception:  # noqa: BLE001
            pass
    constants = getattr(exported, "constants", None) if exported is not None else None
    for key, value in (constants or {}).items():
        add(f"ExportedProgram.constants[{key!r}]", value)
    return found


def engine_state(engine):
    """(slots, qualified class name): the engine's pickled state as TorchScript's setstate takes it
    (a list of str, the TensorRT engine base64), without a truth test on the engine."""
    got = engine.__getstate__()
    if isinstance(got, tuple) and len(got) == 2 and isinstance(got[1], str) and isinstance(got[0], (list, tuple)):
        return list(got[0]), got[1]
    return list(got), qualified_name(engine) or ENGINE_QUALNAME


def _binding_names(packed):
    try:
        import torch

        delim = torch.ops.tensorrt.SERIALIZED_ENGINE_BINDING_DELIM()[0]
    except Exception:  # noqa: BLE001
        delim = "%"
    if isinstance(packed, bytes):
        packed = packed.decode("utf-8")
    return [n for n in packed.split(delim) if n]


def extra_state(engine, owner=None):
    """The tuple TorchTensorRTModule.get_extra_state() returns when its engine is set,
    (name, engine slots, input names, output names), built from the engine's state with the
    (state, qualname) wrapper pybind adds taken off: what set_extra_state and @trt/format read."""
    slots, _ = engine_state(engine)
    if owner is not None:
        name = owner.name
        inputs, outputs = list(owner.input_binding_names), list(owner.output_binding_names)
    else:
        name = slots[1][: -len("_engine")] if slots[1].endswith("_engine") else slots[1]
        inputs, outputs = _binding_names(slots[4]), _binding_names(slots[5])
    return (name, slots, inputs, outputs)


def torch_tensorrt_own_failure(error):
    """When `error` was raised by Torch-TensorRT 2.11's own set_extra_state / decode_metadata /
    get_extra_state code (not by the data), a sentence saying so; otherwise None."""
    # The innermost frame in Torch-TensorRT's module file (what it called may be C++, with no frame).
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith("_TorchTensorRTModule.py")]
    last = frames[-1] if frames else None
    if last is None:
        return None
    line = (last.line or "").strip()
    if last.name == "set_extra_state" and isinstance(error, AssertionError) and "serialized_metadata" in line:
        return (f"Torch-TensorRT's own set_extra_state: `{line}` (line {last.lineno}); it then decodes the metadata "
                "with .encode(), which bytes lack, so no extra state with an engine passes in this release, "
                "its own included: not a Node failure")
    if last.name == "decode_metadata" and isinstance(error, AttributeError):
        return (f"Torch-TensorRT's own decode_metadata: `{line}` (line {last.lineno}) on the bytes set_extra_state "
                "asserted: no extra state with an engine passes in this release: not a Node failure")
    if last.name == "get_extra_state" and isinstance(error, NotImplementedError) and "self.engine" in line:
        return (f"Torch-TensorRT's own get_extra_state: `{line}` (line {last.lineno}) asks a ScriptObject "
                "for its truth value")
    return None
