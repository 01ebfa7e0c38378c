#!/usr/bin/env python3
"""Compares what examples/python-interop/node-side.mjs printed with reference .npy files.

Usage: python3 compare_node_outputs.py NODE_STDOUT REF_PREFIX [ATOL]

NODE_STDOUT holds node-side.mjs's stdout (its last line starting with "{" is
the JSON: {name, inputs, outputs: {NAME: {dtype, shape, data}}}); each output
NAME is compared with REF_PREFIX.NAME.npy (what torch-export saved from the
compiled module). One line per output, [interop] ...; exit status 1 when an
output is missing or differs by more than ATOL (default 1e-4: the same engine
on the same input).
"""
import json
import sys

import numpy as np


def main(node_stdout, prefix, atol="1e-4"):
    with open(node_stdout) as f:
        lines = [line for line in f.read().splitlines() if line.startswith("{")]
    if not lines:
        print(f"[interop] {node_stdout}: no JSON line from node-side.mjs")
        return 1
    node = json.loads(lines[-1])
    status = 0
    for name, output in node["outputs"].items():
        try:
            reference = np.load(f"{prefix}.{name}.npy")
        except OSError as e:
            print(f"[interop] node-side output {name}: no reference ({e})")
            status = 1
            continue
        got = np.asarray(output["data"], dtype=np.float64).reshape(output["shape"])
        if got.shape != reference.shape:
            print(f"[interop] node-side output {name}: shape {list(got.shape)}, Torch-TensorRT's {list(reference.shape)}")
            status = 1
            continue
        diff = float(np.abs(got - reference.astype(np.float64)).max()) if got.size else 0.0
        ok = diff <= float(atol)
        print(f"[interop] node-side output {name} {list(got.shape)}: max|diff| from Torch-TensorRT's output {diff:.3g}"
              f" ({'within' if ok else 'over'} {atol})")
        status |= 0 if ok else 1
    return status


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
