#!/usr/bin/env node
// @ts-check
// The smallest complete program: load an engine file, run it once, print the
// outputs.
//
//   node main.mjs [ENGINE]        (default: ../engines/sample.trtengine)
//
// TensorRT comes from the system loader (libnvinfer.so.11 or .so.10), or from
// TRT_NVINFER_PATH; on a machine without TensorRT, point that at the
// project's emulator (see README.md).
import { fileURLToPath } from "node:url";
import { TensorRTModule } from "@trt/sdk";

const file = process.argv[2] ?? fileURLToPath(new URL("../engines/sample.trtengine", import.meta.url));
const module = await TensorRTModule.load(file);
try {
  // One input per binding, at the first optimization profile's "opt" shape
  // (the shape the engine was tuned for), filled with a ramp 0, 0.125, 0.25, ...
  /** @type {Record<string, { data: Float32Array, shape: number[] }>} */
  const inputs = {};
  for (const input of module.inputs) {
    const shape = input.shape.map((d, i) => (d === -1 ? input.profiles[0].opt[i] : d));
    const count = shape.reduce((a, b) => a * b, 1);
    // Float32Array feeds float inputs (and half/bf16, converted); other dtypes take their own typed array.
    inputs[input.name] = { data: Float32Array.from({ length: count }, (_, i) => i / 8), shape };
  }
  const result = await module.run(inputs);
  for (const name of result.names) {
    const output = result.get(name);
    // Numbers for printing, to 6 significant digits (int64 outputs arrive as a BigInt64Array).
    const values = [];
    for (const v of await output.toArray()) values.push(Number(Number(v).toPrecision(6)));
    console.log(`${name} ${output.dtype} [${output.shape.join(", ")}]: ${values.join(", ")}`);
  }
  result.dispose();
} finally {
  module.release();
}
