import { describe, expect, it } from "vitest";

import { buildPlan, PlanError, type PlanDescription, type PlanErrorCode } from "../src/index.js";

const x4: PlanDescription = {
  inputs: [{ name: "x", dtype: "float32", shape: [4] }],
  layers: [{ op: "identity", name: "id", input: "x", output: "y" }],
  outputs: ["y"],
};

const dyn: PlanDescription = {
  inputs: [
    { name: "a", dtype: "float32", shape: [-1, 4] },
    { name: "b", dtype: "float32", shape: [-1, 4] },
  ],
  profiles: [
    {
      a: { min: [1, 4], opt: [2, 4], max: [8, 4] },
      b: { min: [1, 4], opt: [2, 4], max: [8, 4] },
    },
  ],
  layers: [{ op: "add", name: "add", inputs: ["a", "b"], output: "y" }],
  outputs: ["y"],
};

function expectError(desc: PlanDescription, code: PlanErrorCode, path: string, message: string | RegExp): void {
  let caught: unknown;
  try {
    buildPlan(desc);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(PlanError);
  const err = caught as PlanError;
  expect({ code: err.code, path: err.path }).toEqual({ code, path });
  expect(err.message).toMatch(message);
}

describe("plan validation", () => {
  it("needs inputs, layers and outputs", () => {
    expectError({ ...x4, inputs: [] }, "invalid-layer", "inputs", "at least one input");
    expectError({ ...x4, outputs: [] }, "invalid-output", "outputs", "at least one output");
    expectError({ ...x4, layers: [] }, "invalid-layer", "layers", "1..4096 layers");
  });

  it("checks names", () => {
    expectError({ ...x4, name: "" }, "invalid-name", "name", "1..1024 bytes");
    expectError({ ...x4, inputs: [{ name: "a\0b", dtype: "float32", shape: [4] }] }, "invalid-name", "inputs[0].name", "without NUL");
    expectError({ ...x4, name: "n".repeat(1025) }, "invalid-name", "name", "1..1024");
    expectError(
      { ...x4, inputs: [x4.inputs[0]!, x4.inputs[0]!] },
      "duplicate-name",
      "inputs[1]",
      "'x' is defined twice",
    );
    expectError(
      { ...x4, layers: [x4.layers[0]!, { op: "relu", name: "id", input: "y", output: "z" }], outputs: ["z"] },
      "duplicate-name",
      'layers[1] ("id")',
      "layer name 'id' is used twice",
    );
  });

  it("checks shapes and dtypes of inputs", () => {
    expectError({ ...x4, inputs: [{ name: "x", dtype: "float32", shape: [1, 1, 1, 1, 1, 1, 1, 1, 1] }] }, "invalid-shape", "inputs[0].shape", "at most 8");
    expectError({ ...x4, inputs: [{ name: "x", dtype: "float32", shape: [-2] }] }, "invalid-shape", "inputs[0].shape", "dimension -2");
    expectError({ ...x4, inputs: [{ name: "x", dtype: "float64" as never, shape: [4] }] }, "invalid-shape", "inputs[0].dtype", "unknown dtype float64");
  });

  it("follows tensors through the layers", () => {
    expectError({ ...x4, layers: [{ op: "identity", name: "id", input: "nope", output: "y" }] }, "unknown-tensor", 'layers[0] ("id")', "reads 'nope'");
    expectError({ ...x4, layers: [{ op: "identity", name: "id", input: "x", output: "x" }] }, "duplicate-name", 'layers[0] ("id")', "writes 'x'");
    expectError({ ...x4, outputs: ["z"] }, "invalid-output", "outputs", "'z' is not produced");
    expectError({ ...x4, outputs: ["x"] }, "invalid-output", "outputs[0]", "'x' is an input");
    expectError({ ...x4, layers: [{ op: "add", name: "a", inputs: ["x"] as never, output: "y" }] }, "invalid-layer", 'layers[0] ("a")', "add cannot take 1 inputs");
  });

  it("needs profiles for dynamic inputs, and valid ones", () => {
    expectError({ ...dyn, profiles: undefined }, "invalid-profile", "profiles", "dynamic input 'a' needs an optimization profile");
    const p = dyn.profiles![0]!;
    expectError({ ...dyn, profiles: [{ a: p.a! }] }, "invalid-profile", "profiles[0].b", "dynamic input 'b' has no range");
    expectError({ ...dyn, profiles: [{ ...p, a: { min: [4, 4], opt: [2, 4], max: [8, 4] } }] }, "invalid-profile", "profiles[0].a", "min <= opt <= max, got 4, 2, 8");
    expectError({ ...dyn, profiles: [{ ...p, a: { min: [1, 3], opt: [2, 4], max: [8, 4] } }] }, "invalid-profile", "profiles[0].a", "dimension 1 is static (4)");
    expectError({ ...dyn, profiles: [{ ...p, a: { min: [1], opt: [2], max: [8] } }] }, "invalid-profile", "profiles[0].a", "rank 1");
    expectError({ ...dyn, profiles: [{ ...p, c: p.a! }] }, "invalid-profile", "profiles[0].c", "'c' is not an input");
    expectError({ ...dyn, profiles: [{ ...p, a: { min: [-1, 4], opt: [2, 4], max: [8, 4] } }] }, "invalid-shape", "profiles[0].a", "dimension -1");
  });

  it("runs each profile's extremes through the layers", () => {
    // a and b may each be 1..8 rows, but at min they differ: 1 vs 2.
    const p = dyn.profiles![0]!;
    expectError(
      { ...dyn, profiles: [{ ...p, b: { min: [2, 4], opt: [2, 4], max: [8, 4] } }] },
      "invalid-profile",
      'profiles[0] min, layers[0] ("add")',
      "differ in dimension 0",
    );
  });

  it("checks layer types", () => {
    const b = { name: "b", dtype: "bool" as const, shape: [4] };
    expectError({ ...x4, inputs: [b], layers: [{ op: "relu", name: "r", input: "b", output: "y" }] }, "type-mismatch", 'layers[0] ("r")', "relu does not support bool");
    expectError(
      { ...x4, inputs: [x4.inputs[0]!, { name: "i", dtype: "int32", shape: [4] }], layers: [{ op: "add", name: "s", inputs: ["x", "i"], output: "y" }] },
      "type-mismatch",
      'layers[0] ("s")',
      "different types (float32, int32)",
    );
    expectError(
      { ...x4, inputs: [{ name: "x", dtype: "int32", shape: [1, 2] }], layers: [{ op: "matmul", name: "m", input: "x", output: "y", k: 2, n: 1, weights: [1, 2] }] },
      "type-mismatch",
      'layers[0] ("m")',
      "matmul needs float32",
    );
    expectError({ ...x4, layers: [{ op: "cast", name: "c", input: "x", output: "y", dtype: "fp8" as never }] }, "invalid-layer", 'layers[0] ("c")', "unknown dtype fp8");
  });

  it("checks layer shapes and parameters", () => {
    expectError(
      { ...dyn, inputs: [dyn.inputs[0]!, { name: "b", dtype: "float32", shape: [-1, 5] }], profiles: [{ a: dyn.profiles![0]!.a!, b: { min: [1, 5], opt: [2, 5], max: [8, 5] } }] },
      "shape-mismatch",
      'layers[0] ("add")',
      "differ in dimension 1 (no broadcasting)",
    );
    const mm = (k: number, weights: number[], bias?: number[]): PlanDescription => ({
      inputs: [{ name: "x", dtype: "float32", shape: [2, 3] }],
      layers: [{ op: "matmul", name: "m", input: "x", output: "y", k, n: 2, weights, bias }],
      outputs: ["y"],
    });
    expectError(mm(4, Array(8).fill(0)), "shape-mismatch", 'layers[0] ("m")', "has 3 in its last dimension, the weights expect 4");
    expectError(mm(3, [1, 2, 3]), "invalid-layer", 'layers[0] ("m")', "weights must hold 6 numbers, got 3");
    expectError(mm(3, Array(6).fill(0), [1]), "invalid-layer", 'layers[0] ("m")', "bias must hold 2 numbers");
    expectError(mm(0, []), "invalid-layer", 'layers[0] ("m")', "k, n >= 1");
    expectError(
      { ...x4, layers: [{ op: "concat", name: "c", inputs: ["x", "x"], output: "y", axis: 1 }] },
      "shape-mismatch",
      'layers[0] ("c")',
      "axis 1 is outside rank 1",
    );
    expectError(
      { ...x4, layers: [{ op: "busywait", name: "w", input: "x", output: "y", microseconds: 20_000_000 }] },
      "invalid-layer",
      'layers[0] ("w")',
      "microseconds must be an integer in [0, 10000000]",
    );
  });

  it("checks a plugin layer's creator name, version and namespace", () => {
    const plugin = (p: unknown): PlanDescription => ({
      ...x4,
      layers: [{ op: "plugin", name: "p", input: "x", output: "y", plugin: p as { name: string; version: string } }],
    });
    expectError(plugin(undefined), "invalid-layer", 'layers[0] ("p")', "a plugin layer needs plugin: { name, version }");
    expectError(plugin({ name: "", version: "1" }), "invalid-layer", 'layers[0] ("p")', "plugin name must be a string of 1..256 bytes");
    expectError(plugin({ name: "P", version: 1 }), "invalid-layer", 'layers[0] ("p")', "plugin version must be a string of 1..256 bytes");
    expectError(plugin({ name: "P", version: "1", namespace: "n".repeat(257) }), "invalid-layer", 'layers[0] ("p")', "plugin namespace must be a string of 0..256 bytes");
    expect(buildPlan(plugin({ name: "P", version: "1" })).length).toBeGreaterThan(0);
  });

  it("keeps data-dependent tensors at the network's edge", () => {
    expectError(
      { ...x4, layers: [{ op: "nonzero", name: "nz", input: "x", output: "i" }, { op: "identity", name: "id", input: "x", output: "y" }] },
      "invalid-layer",
      'layers[0] ("nz")',
      "nonzero must write a network output",
    );
    expectError(
      { ...x4, layers: [{ op: "nonzero", name: "nz", input: "x", output: "i" }, { op: "identity", name: "id", input: "i", output: "y" }], outputs: ["i", "y"] },
      "invalid-layer",
      'layers[1] ("id")',
      "reads data-dependent 'i'",
    );
  });

  it("checks aliases and options", () => {
    expectError({ ...x4, aliases: { y: "nope" } }, "invalid-alias", "aliases.y", "'nope' is not a network input");
    expectError({ ...x4, aliases: { x: "x" } }, "invalid-alias", "aliases.x", "'x' is not a network output");
    expectError(
      { ...x4, layers: [{ op: "cast", name: "c", input: "x", output: "y", dtype: "int32" }], aliases: { y: "x" } },
      "invalid-alias",
      "aliases.y",
      "'y' (int32[4]) and 'x' (float32[4]) differ",
    );
    expectError({ ...x4, scratchBytes: -1 }, "invalid-option", "scratchBytes", "integer in [0, 2^40]");
    expectError({ ...x4, streamableWeightsBytes: 1.5 }, "invalid-option", "streamableWeightsBytes", "integer");
    expectError({ ...x4, weightStreaming: true, streamableWeightsBytes: 64 }, "invalid-option", "weightStreaming", "not both");
    expectError({ ...x4, weightStreaming: "yes" as never }, "invalid-option", "weightStreaming", "must be a boolean");
    expectError({ ...x4, requiredMajor: 12 as never }, "invalid-option", "requiredMajor", "must be 10 or 11");
    expectError({ ...x4, profilingVerbosity: "loud" as never }, "invalid-option", "profilingVerbosity", "unknown verbosity");
  });

  it("refuses profiles that allow tensors over 2^40 bytes", () => {
    const big: PlanDescription = {
      inputs: [{ name: "x", dtype: "float32", shape: [-1, 1 << 20] }],
      profiles: [{ x: { min: [1, 1 << 20], opt: [1, 1 << 20], max: [1 << 20, 1 << 20] } }],
      layers: [{ op: "identity", name: "id", input: "x", output: "y" }],
      outputs: ["y"],
    };
    expect(() => buildPlan(big)).toThrow(/2\^40 bytes/);
  });
});
