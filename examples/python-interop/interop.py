#!/usr/bin/env python3
"""Engines between Torch-TensorRT (Python) and the TensorRT runtime for Node.js.

The two sides share Torch-TensorRT's *engine tuple*: a list of slots holding
the ABI version, the name, the device, the raw TensorRT engine bytes, the
binding names, flags and metadata. Its length depends on the Torch-TensorRT
release: 11 slots for ABI "8" (2.11), 12 for "9" (2.12, 2.13), 13 for "10"
(after 2.13); Node writes the one asked for (module.save(path, { abi })).

  Python -> Node: pickle the tuple (a plain list of str and bytes); Node reads
                  it with @trt/format / TensorRTModule.load.
  Node -> Python: Node saves a .trtengine container (module.save); Python reads
                  it with read_container() below, written from the container
                  layout documented in packages/format/README.md.

Two kinds of code live here, marked as such:

  PLAIN PYTHON      needs only python3; runs anywhere (and in this repo's tests).
  TORCH-TENSORRT    needs torch, torch_tensorrt and an NVIDIA GPU; not installed
                    here, so never run by the tests. Shown as you would write it.

Usage:
  interop.py pack ENGINE.bin -o MODEL.pkl --inputs x --outputs y [--name N]
      wrap raw TensorRT engine bytes into the tuple and pickle it (PLAIN PYTHON)
  interop.py read MODEL.trtengine
      print the slots of a Node-saved container as JSON (PLAIN PYTHON)
  interop.py torch-export -o MODEL.pkl
      compile a small torch model with Torch-TensorRT and pickle its engine's extra state,
      with the example input and the compiled output as MODEL.{in,out}.NAME.npy (TORCH-TENSORRT)
  interop.py torch-run MODEL.trtengine
      run a Node-saved container with Torch-TensorRT (TORCH-TENSORRT)
"""

import argparse
import hashlib
import json
import pickle
import struct
import sys
import zlib

# ---------------------------------------------------------------------------
# PLAIN PYTHON: the engine tuple
# ---------------------------------------------------------------------------

ABI_VERSION = "10"
# Slot order of ABI "10" (Torch-TensorRT's SerializedInfoIndex); ABI "8" and "9"
# are its first 11 and 12 slots.
SLOTS = [
    "abi_version",
    "name",
    "device",
    "engine",
    "input_binding_names",
    "output_binding_names",
    "hardware_compatible",
    "serialized_metadata",
    "target_platform",
    "requires_output_allocator",
    "resource_allocation_strategy",
    "requires_native_multidevice",
    "aliased_io",
]
ENGINE = SLOTS.index("engine")
# The layouts read_container accepts: ABI version -> slot count.
SLOT_COUNTS = {"8": 11, "9": 12, "10": 13}


def make_tuple(engine, name, inputs, outputs, device="0%0%0%0%", platform="linux_x86_64"):
    """The 13 slots for raw engine bytes, as Torch-TensorRT's _pack_engine_info lays them out.

    `device` is gpu_id%sm_major%sm_minor%device_type%name ("0%0%0%0%": no
    particular GPU). Names are joined by "%"; flags are "0"/"1"; metadata is
    left empty (Torch-TensorRT stores base64(pickle(settings...)) there).
    """
    slots = [""] * len(SLOTS)
    slots[SLOTS.index("abi_version")] = ABI_VERSION
    slots[SLOTS.index("name")] = name
    slots[SLOTS.index("device")] = device
    slots[ENGINE] = bytes(engine)
    slots[SLOTS.index("input_binding_names")] = "%".join(inputs)
    slots[SLOTS.index("output_binding_names")] = "%".join(outputs)
    slots[SLOTS.index("hardware_compatible")] = "0"
    slots[SLOTS.index("target_platform")] = platform
    slots[SLOTS.index("requires_output_allocator")] = "0"
    slots[SLOTS.index("resource_allocation_strategy")] = "0"
    slots[SLOTS.index("requires_native_multidevice")] = "0"
    return slots


def write_pickle(slots, path, protocol=4):
    """Pickles the tuple as the plain list Node's readPickledTuple reads (protocols 2 to 5)."""
    with open(path, "wb") as f:
        pickle.dump(list(slots), f, protocol=protocol)


# ---------------------------------------------------------------------------
# PLAIN PYTHON: the .trtengine container (little-endian, no padding)
#   magic 89 54 52 54 0D 0A 1A 0A | u16 version = 1 | u16 flags = 0 | u32 slot count N
#   N x (u64 length, bytes) | u32 CRC-32 of everything before it | "TEND"
# ---------------------------------------------------------------------------

MAGIC = b"\x89TRT\r\n\x1a\n"
END = b"TEND"


class ContainerError(ValueError):
    pass


def read_container(path):
    """The slots of a container: text slots as str, the engine as bytes. Checks every field and the CRC."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != MAGIC:
        raise ContainerError(f"{path}: not a .trtengine container (magic {data[:8].hex(' ')})")
    if len(data) < 24:
        raise ContainerError(f"{path}: truncated header")
    version, flags, count = struct.unpack_from("<HHI", data, 8)
    if version != 1 or flags != 0:
        raise ContainerError(f"{path}: container version {version}, flags {flags}; this reader knows version 1, flags 0")
    if not 1 <= count <= 64:
        raise ContainerError(f"{path}: slot count {count} outside 1..64")
    end = len(data) - 8  # where the CRC starts
    at = 16
    slots = []
    for i in range(count):
        if at + 8 > end:
            raise ContainerError(f"{path}: truncated at slot {i}")
        (length,) = struct.unpack_from("<Q", data, at)
        at += 8
        if length > end - at:
            raise ContainerError(f"{path}: slot {i} claims {length} bytes, {end - at} remain")
        raw = data[at : at + length]
        at += length
        slots.append(bytes(raw) if i == ENGINE else raw.decode("utf-8"))
    if at != end:
        raise ContainerError(f"{path}: {end - at} unexpected bytes after the slots")
    (crc,) = struct.unpack_from("<I", data, end)
    if data[end + 4 :] != END:
        raise ContainerError(f"{path}: end marker missing")
    if zlib.crc32(data[:end]) != crc:
        raise ContainerError(f"{path}: CRC-32 mismatch (file damaged)")
    if SLOT_COUNTS.get(slots[0]) != len(slots):
        known = ", ".join(f"ABI {abi} ({n} slots)" for abi, n in SLOT_COUNTS.items())
        raise ContainerError(f"{path}: ABI {slots[0]!r} with {len(slots)} slots; this reader knows {known}")
    return slots


def describe(slots):
    """The slots as JSON-friendly fields: the engine as its size and sha256, names as lists."""
    out = dict(zip(SLOTS, slots))
    engine = out.pop("engine")
    out["engine_bytes"] = len(engine)
    out["engine_sha256"] = hashlib.sha256(engine).hexdigest()
    for key in ("input_binding_names", "output_binding_names"):
        out[key] = [n for n in out[key].split("%") if n]
    return out


# ---------------------------------------------------------------------------
# TORCH-TENSORRT: needs torch + torch_tensorrt + a GPU. Not run by the tests.
# ---------------------------------------------------------------------------


def engine_extra_state(module):
    """(name, engine slots, input names, output names) of a TorchTensorRTModule: what its
    get_extra_state() returns, built without calling it.

    Torch-TensorRT 2.11's get_extra_state() begins with `if self.engine:`, and the engine is a
    torch.classes.tensorrt.Engine ScriptObject, which has no truth value: it raises
    NotImplementedError ('__len__' is not implemented for __torch__.torch.classes.tensorrt.Engine).
    The slots come from the engine's pickled state (engine.__getstate__(), the list TorchScript
    saves: str slots, the TensorRT engine base64), with the (state, class name) pair pybind wraps
    it in taken off; @trt/format reads that shape. A module whose engine is not set up yet
    (lazy_engine_init) gets Torch-TensorRT's packer's list with the engine base64-encoded, as
    get_extra_state's own second branch does.
    """
    import base64

    engine = getattr(module, "engine", None)
    if engine is not None:  # never `if engine:` (see above)
        state = engine.__getstate__()
        if isinstance(state, tuple) and len(state) == 2 and isinstance(state[1], str):
            state = state[0]
        slots = list(state)
    else:
        slots = module._pack_engine_info()
        slots[ENGINE] = base64.b64encode(slots[ENGINE])
    return (module.name, slots, list(module.input_binding_names), list(module.output_binding_names))


def torch_export(output):
    """Compiles a small model with Torch-TensorRT and pickles its TensorRT submodule's extra state.

    The pickle is (name, engine_info, input_names, output_names), the engine base64 in
    engine_info (engine_extra_state above: 2.11's own get_extra_state() cannot be called);
    @trt/format reads that shape as well as the plain list. Beside it go the example input
    (STEM.in.NAME.npy, per input binding name) and what the compiled module computed on it
    (STEM.out.NAME.npy), for node-side.mjs to run and compare.
    """
    import os

    import numpy as np
    import torch
    import torch_tensorrt
    from torch_tensorrt.dynamo.runtime import TorchTensorRTModule

    torch.manual_seed(20261207)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4)).eval().cuda()
    example = torch.randn(4, 8, device="cuda")
    compiled = torch_tensorrt.compile(model, ir="dynamo", inputs=[example], min_block_size=1)
    engines = [m for m in compiled.modules() if isinstance(m, TorchTensorRTModule)]
    if len(engines) != 1:
        raise SystemExit(f"expected one TensorRT engine in the compiled graph, found {len(engines)}")
    module = engines[0]
    state = engine_extra_state(module)
    slots = state[1]
    expected = (torch.ops.tensorrt.ABI_VERSION(), int(torch.ops.tensorrt.SERIALIZATION_LEN()))
    if (slots[0], len(slots)) != expected:
        raise SystemExit(f"the engine's state has ABI {slots[0]!r} and {len(slots)} slots; this Torch-TensorRT writes {expected}")
    with open(output, "wb") as f:
        pickle.dump(state, f, protocol=4)
    print(f"wrote {output}: {state[0]}, ABI {slots[0]!r}, {len(slots)} slots, inputs {state[2]}, outputs {state[3]}")

    stem = output[: -len(".pkl")] if output.endswith(".pkl") else output
    with torch.no_grad():
        got = compiled(example)
    got = list(got) if isinstance(got, (list, tuple)) else [got]
    written = []
    if len(state[2]) == 1:  # the model's one input is the engine's one input
        written.append((f"{stem}.in.{state[2][0]}.npy", example))
    written += [(f"{stem}.out.{name}.npy", tensor) for name, tensor in zip(state[3], got)]
    for path, tensor in written:
        np.save(path, tensor.cpu().numpy())
    print(f"wrote {', '.join(os.path.basename(path) for path, _ in written)}")
    flags = "".join(f" --input {name}={stem}.in.{name}.npy" for name in state[2][:1] if len(state[2]) == 1)
    print(f"run it in Node: node node-side.mjs {output}{flags}")


def torch_run(path, shape=(4, 8)):
    """Loads a container Node saved into Torch-TensorRT (direct instantiation from the engine bytes) and runs it
    on a random float32 input of `shape` (the engine's input shape)."""
    import torch
    from torch_tensorrt.dynamo.runtime import TorchTensorRTModule

    fields = dict(zip(SLOTS, read_container(path)))
    module = TorchTensorRTModule(
        fields["engine"],
        input_binding_names=[n for n in fields["input_binding_names"].split("%") if n],
        output_binding_names=[n for n in fields["output_binding_names"].split("%") if n],
        name=fields["name"],
    )
    x = torch.randn(*shape, device="cuda")
    print(module(x))


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    pack = sub.add_parser("pack", help="raw engine bytes -> pickled tuple")
    pack.add_argument("engine")
    pack.add_argument("-o", "--output", required=True)
    pack.add_argument("--name", default="python_engine")
    pack.add_argument("--inputs", default="", help="comma-separated input binding names")
    pack.add_argument("--outputs", default="", help="comma-separated output binding names")
    pack.add_argument("--protocol", type=int, default=4, choices=[2, 3, 4, 5])
    read = sub.add_parser("read", help="container -> JSON")
    read.add_argument("container")
    export = sub.add_parser("torch-export", help="Torch-TensorRT model -> pickled extra state (needs torch_tensorrt)")
    export.add_argument("-o", "--output", required=True)
    run = sub.add_parser("torch-run", help="run a container with Torch-TensorRT (needs torch_tensorrt)")
    run.add_argument("container")
    run.add_argument("--shape", default="4,8", help="the input's shape, comma-separated (default 4,8: torch-export's model)")
    args = parser.parse_args(argv)

    if args.command == "pack":
        with open(args.engine, "rb") as f:
            engine = f.read()
        names = lambda text: [n for n in text.split(",") if n]  # noqa: E731
        write_pickle(make_tuple(engine, args.name, names(args.inputs), names(args.outputs)), args.output, args.protocol)
        print(f"wrote {args.output}")
    elif args.command == "read":
        try:
            print(json.dumps(describe(read_container(args.container)), indent=2))
        except ContainerError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
    elif args.command == "torch-export":
        torch_export(args.output)
    elif args.command == "torch-run":
        torch_run(args.container, tuple(int(d) for d in args.shape.split(",")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
