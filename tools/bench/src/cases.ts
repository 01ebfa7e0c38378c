/**
 * The benchmark cases: emulator fixtures and the input shapes each call uses.
 * Several shape sets mean calls alternate between them.
 */
import { seededValues } from "@trt/emulator";

export interface BenchCase {
  /** Stable id used in the JSON and the tables. */
  readonly id: string;
  /** An emulator fixture (keyof FIXTURES), or a real engine's fixture name (REAL_CASES). */
  readonly fixture: string;
  readonly what: string;
  /** Per call i, shapeSets[i % length]: input name -> shape. */
  readonly shapeSets: readonly Readonly<Record<string, readonly number[]>>[];
}

export const CASES: readonly BenchCase[] = [
  { id: "identity", fixture: "identity_f32", what: "tiny identity [2, 3] (overhead-bound)", shapeSets: [{ x: [2, 3] }] },
  { id: "mlp3_b1", fixture: "mlp3", what: "3-layer MLP 16-32-32-8, batch 1", shapeSets: [{ x: [1, 16] }] },
  { id: "mlp3_b8", fixture: "mlp3", what: "3-layer MLP 16-32-32-8, batch 8", shapeSets: [{ x: [8, 16] }] },
  { id: "mlp3_b64", fixture: "mlp3", what: "3-layer MLP 16-32-32-8, batch 64", shapeSets: [{ x: [64, 16] }] },
  { id: "nonzero", fixture: "nonzero", what: "NonZero of int32 [4, 5] (data-dependent output shape)", shapeSets: [{ x: [4, 5] }] },
  {
    id: "add_alternating",
    fixture: "add_dynamic",
    what: "a + b, dynamic batch alternating [2, 4] and [8, 4]",
    shapeSets: [
      { a: [2, 4], b: [2, 4] },
      { a: [8, 4], b: [8, 4] },
    ],
  },
];

/**
 * The same measurements on real TensorRT engines (tools/real-tensorrt's
 * fixtures, float32): identity, the 3-layer MLP at three batch sizes, NonZero,
 * and the two-profile dynamic engine alternating two batch sizes of its first
 * profile.
 */
export const REAL_CASES: readonly BenchCase[] = [
  { id: "identity", fixture: "identity", what: "identity [4, 16] (overhead-bound)", shapeSets: [{ x: [4, 16] }] },
  { id: "mlp3_b1", fixture: "mlp3_b1_fp32", what: "3-layer MLP 64-128-128-16, batch 1, fp32 (TF32)", shapeSets: [{ x: [1, 64] }] },
  { id: "mlp3_b8", fixture: "mlp3_b8_fp32", what: "3-layer MLP 64-128-128-16, batch 8, fp32 (TF32)", shapeSets: [{ x: [8, 64] }] },
  { id: "mlp3_b64", fixture: "mlp3_b64_fp32", what: "3-layer MLP 64-128-128-16, batch 64, fp32 (TF32)", shapeSets: [{ x: [64, 64] }] },
  { id: "nonzero", fixture: "nonzero", what: "NonZero of float32 [24] (data-dependent output shape)", shapeSets: [{ x: [24] }] },
  {
    id: "dynamic_alternating",
    fixture: "dynamic_two_profiles",
    what: "relu(x*scale+shift), dynamic batch alternating [2, 32] and [8, 32]",
    shapeSets: [{ x: [2, 32] }, { x: [8, 32] }],
  },
];

/**
 * The input values of a case's shape set, the same on every row (ours and
 * PyTorch): floats in [-1, 1); integers with about one in three zero, as
 * NonZero needs something to find.
 */
export function inputValues(fixture: string, name: string, shape: readonly number[], dtype: string): Float32Array | Int32Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const seed = [...`${fixture}/${name}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  if (dtype === "int32") return Int32Array.from({ length: count }, (_, i) => (i % 3 === 0 ? 0 : i + 1));
  return Float32Array.from(seededValues(seed, count, -1, 1));
}

/** The floor program's --shapes argument for one shape set. */
export function shapeArgument(set: Readonly<Record<string, readonly number[]>>): string {
  return Object.entries(set)
    .map(([name, dims]) => `${name}=${dims.join("x")}`)
    .join(",");
}
