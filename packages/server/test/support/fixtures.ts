/**
 * What the tests serve: the repository's sample engine (x float32 [batch, 8]
 * -> y float32 [batch, 4], batch 1..16) with its plain-JS reference, and an
 * engine with one input of every datatype the protocol carries, each copied
 * to an output, plus a data-dependent output (NonZero) whose shape is known
 * only once it has run. Both run on the TensorRT emulator in host mode.
 */
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildPlan, emulatorLibraryPath } from "@trt/emulator";
import type { PlanDescription } from "@trt/emulator";
import { setRuntime, TensorRTEnvironment } from "@trt/runtime";

export const pkg = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const repo = join(pkg, "..", "..");
export const sampleEngine = join(repo, "examples", "engines", "sample.trtengine");
export const emulator10 = emulatorLibraryPath(10);

interface SampleModule {
  SAMPLE_INPUT: { dtype: "float32"; shape: number[]; data: Float32Array };
  reference(x: ArrayLike<number>, batch: number): number[];
}

/** examples/engines/sample.mjs, loaded by path (it is plain JS in another workspace package). */
const sampleModule = (await import(pathToFileURL(join(repo, "examples", "engines", "sample.mjs")).href)) as SampleModule;

/** The sample engine's y for x [batch, 8], exact (inputs on a quarter grid give short binary fractions). */
export const reference = (x: ArrayLike<number>, batch: number): number[] => sampleModule.reference(x, batch);

/** Input i: batch i % 16 + 1, values on a quarter grid, different per i. */
export function sampleInput(i: number): { data: number[]; shape: [number, number] } {
  const batch = (i % 16) + 1;
  return { data: Array.from({ length: batch * 8 }, (_, k) => (((k * 5 + i * 3) % 17) - 8) / 4), shape: [batch, 8] };
}

/** Every served datatype: input name, emulator dtype, protocol datatype. */
export const DTYPE_INPUTS = [
  ["f32", "float32", "FP32"],
  ["f16", "float16", "FP16"],
  ["bf16", "bfloat16", "BF16"],
  ["i8", "int8", "INT8"],
  ["u8", "uint8", "UINT8"],
  ["i32", "int32", "INT32"],
  ["i64", "int64", "INT64"],
] as const;

/**
 * The "dtypes" engine: inputs f32 [-1, 2], f16, bf16, i8, u8, i32, i64 (each [-1], 1..64 elements)
 * and b bool [2, 3]; outputs <input>_out (a copy of each), and nz = NonZero(b), int64 [2, -1].
 */
export function dtypesPlan(): Uint8Array {
  const plan: PlanDescription = {
    name: "dtypes",
    inputs: [
      ...DTYPE_INPUTS.map(([name, dtype]) => ({ name, dtype, shape: name === "f32" ? [-1, 2] : [-1] })),
      { name: "b", dtype: "bool", shape: [2, 3] },
    ],
    profiles: [
      Object.fromEntries(DTYPE_INPUTS.map(([name]) => [name, name === "f32" ? { min: [1, 2], opt: [2, 2], max: [32, 2] } : { min: [1], opt: [4], max: [64] }])),
    ],
    layers: [
      ...DTYPE_INPUTS.map(([name]) => ({ op: "identity" as const, name: `${name}_copy`, input: name, output: `${name}_out` })),
      { op: "identity", name: "b_copy", input: "b", output: "b_out" },
      { op: "nonzero", name: "nz", input: "b", output: "nz", indicesType: "int64" },
    ],
    outputs: [...DTYPE_INPUTS.map(([name]) => `${name}_out`), "b_out", "nz"],
  };
  return buildPlan(plan);
}

/** Makes the emulator this process's TensorRT, on the ffi engine (no addon needed); returns the undo. */
export function useEmulator(): () => void {
  setRuntime("ffi");
  TensorRTEnvironment.setDefault(new TensorRTEnvironment({ nvinferPath: emulator10 }));
  return () => {
    TensorRTEnvironment.setDefault(undefined);
    setRuntime(undefined);
  };
}

/**
 * The "pairs" engine, for batching: a float16 [-1, -1] (rows 1..8, width 1..6) -> a2 = a * a, and
 * b int32 [-1, 3] -> b2 = b + b. Requests batch only with others of the same width of a.
 */
export function pairsPlan(): Uint8Array {
  return buildPlan({
    name: "pairs",
    inputs: [
      { name: "a", dtype: "float16", shape: [-1, -1] },
      { name: "b", dtype: "int32", shape: [-1, 3] },
    ],
    profiles: [{ a: { min: [1, 1], opt: [4, 4], max: [8, 6] }, b: { min: [1, 3], opt: [4, 3], max: [8, 3] } }],
    layers: [
      { op: "mul", name: "square", inputs: ["a", "a"], output: "a2" },
      { op: "add", name: "double", inputs: ["b", "b"], output: "b2" },
    ],
    outputs: ["a2", "b2"],
  });
}

/** The "wide" engine's row: 16384 float32 values, 64 KiB, so that a body of a row or more is one the server reads into pinned memory. */
export const WIDE_ROW = 16_384;

/**
 * The "wide" engine, for where bodies lie: x float32 [-1, WIDE_ROW] (rows 1..`maxRows`) -> y float32
 * [-1, 2], a product with seeded random weights (float sums: equal answers show the same arithmetic).
 */
export function widePlan(maxRows: number): Uint8Array {
  const random = seeded(16);
  return buildPlan({
    name: "wide",
    inputs: [{ name: "x", dtype: "float32", shape: [-1, WIDE_ROW] }],
    profiles: [{ x: { min: [1, WIDE_ROW], opt: [Math.min(8, maxRows), WIDE_ROW], max: [maxRows, WIDE_ROW] } }],
    layers: [{ op: "matmul", name: "mm", input: "x", output: "y", k: WIDE_ROW, n: 2, weights: Float32Array.from({ length: 2 * WIDE_ROW }, () => random() - 0.5) }],
    outputs: ["y"],
  });
}

/** A seeded pseudo-random generator (mulberry32): the same sequence on every run, so a failure can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** y = x, float32 [rows, 8] with rows 1..maxRows: large tensors through the protocol. */
export function identityPlan(maxRows: number): Uint8Array {
  return buildPlan({
    name: "identity",
    inputs: [{ name: "x", dtype: "float32", shape: [-1, 8] }],
    profiles: [{ x: { min: [1, 8], opt: [1, 8], max: [maxRows, 8] } }],
    layers: [{ op: "identity", name: "copy", input: "x", output: "y" }],
    outputs: ["y"],
  });
}
