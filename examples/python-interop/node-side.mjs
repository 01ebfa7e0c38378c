#!/usr/bin/env node
// @ts-check
// The Node half of the round trip: load an engine file Python wrote (a
// pickled tuple, or a container), run it on .npy inputs, print the outputs as
// JSON, and optionally save the module as a .trtengine container for Python
// (interop.py read) to read back.
//
//   node node-side.mjs MODEL.pkl --input x=x.npy [--save MODEL.trtengine [--abi 8|9|10]]
//
// --abi writes the layout of the Torch-TensorRT release that is to load the
// file ("8": 2.11, "9": 2.12 and 2.13, "10": after); by default the one the
// pickle was written in.
import { parseArgs } from "node:util";
import { readNpyFile, TensorRTModule } from "@trt/sdk";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { input: { type: "string", multiple: true, default: [] }, save: { type: "string" }, abi: { type: "string" } },
});
if (positionals.length !== 1) {
  console.error("usage: node node-side.mjs MODEL.pkl --input NAME=FILE.npy ... [--save OUT.trtengine [--abi 8|9|10]]");
  process.exit(2);
}

// TensorRTModule.load tells a pickle from a container by its first bytes.
const module = await TensorRTModule.load(positionals[0]);
try {
  /** @type {Record<string, import("@trt/sdk").HostInput>} */
  const inputs = {};
  for (const arg of values.input) {
    const [name, file] = arg.split("=", 2);
    const array = await readNpyFile(file);
    inputs[name] = { data: array.data, shape: array.shape };
  }
  const result = await module.run(inputs);
  /** @type {Record<string, { dtype: string, shape: readonly number[], data: number[] }>} */
  const outputs = {};
  for (const name of result.names) {
    const tensor = result.get(name);
    const data = [];
    for (const v of await tensor.toArray()) data.push(Number(v));
    outputs[name] = { dtype: tensor.dtype, shape: tensor.shape, data };
  }
  result.dispose();
  // save() writes the tuple with the same engine bytes, whichever engine implementation ran it.
  if (values.save) await module.save(values.save, values.abi ? { abi: values.abi } : {});
  console.log(JSON.stringify({ name: module.name, inputs: module.inputNames, outputs }));
} finally {
  module.release();
}
