// @ts-check
// The sample engine's description, in one place: make-sample.mjs builds the
// files from it, and the tests compute the expected outputs from it.
//
// A two-layer perceptron, y = fc2(relu(fc1(x))), x float32 [batch, 8] with
// batch 1..16 (opt 4), y float32 [batch, 4]. Every weight, bias and input is
// a multiple of 1/16 or 1/8 no larger than 2, so each product and sum is
// exact in float32 and the expected outputs are exact too.

/**
 * Row-major [k][n] values from a formula over (k, n).
 * @param {number} k
 * @param {number} n
 * @param {(row: number, col: number) => number} f
 */
const grid = (k, n, f) => Array.from({ length: k * n }, (_, i) => f(Math.floor(i / n), i % n));

/**
 * A fixed integer in -8..8 for (a, b, salt): a multiplicative hash, so the weights look random but never change.
 * @param {number} a
 * @param {number} b
 * @param {number} salt
 */
const level = (a, b, salt) => ((Math.imul(a * 31 + b * 17 + salt, 2654435761) >>> 0) % 17) - 8;

export const FC1 = { k: 8, n: 16, weights: grid(8, 16, (k, j) => level(k, j, 1) / 16), bias: grid(1, 16, (_, j) => level(0, j, 2) / 8) };
export const FC2 = { k: 16, n: 4, weights: grid(16, 4, (k, j) => level(k, j, 3) / 16), bias: [0.5, -0.25, 0, 0.125] };

/** @type {import("@trt/emulator").PlanDescription} The plan description @trt/emulator's buildPlan takes. */
export const PLAN = {
  name: "sample_engine",
  inputs: [{ name: "x", dtype: "float32", shape: [-1, 8] }],
  profiles: [{ x: { min: [1, 8], opt: [4, 8], max: [16, 8] } }],
  layers: [
    { op: "matmul", name: "fc1", input: "x", output: "h", ...FC1 },
    { op: "relu", name: "relu1", input: "h", output: "a" },
    { op: "matmul", name: "fc2", input: "a", output: "y", ...FC2 },
  ],
  outputs: ["y"],
  profilingVerbosity: "detailed",
};

/** @type {import("@trt/sdk").NpyArray<"float32">} The sample input, x [2, 8]: quarter steps from -1.75. */
export const SAMPLE_INPUT = { dtype: "float32", shape: [2, 8], data: Float32Array.from({ length: 16 }, (_, i) => (i - 7) / 4) };

/**
 * What the engine computes, in plain JS (the tests' reference).
 * @param {ArrayLike<number>} x the input, row-major [batch, 8]
 * @param {number} batch
 * @returns {number[]} y, row-major [batch, 4]
 */
export function reference(x, batch) {
  /**
   * @param {ArrayLike<number>} input
   * @param {number} rows
   * @param {{ k: number, n: number, weights: number[], bias: number[] }} layer
   */
  const dense = (input, rows, { k, n, weights, bias }) =>
    Array.from({ length: rows * n }, (_, i) => {
      const r = Math.floor(i / n);
      const j = i % n;
      let sum = 0;
      for (let q = 0; q < k; q++) sum += input[r * k + q] * weights[q * n + j];
      return sum + bias[j];
    });
  const hidden = dense(x, batch, FC1).map((v) => Math.max(0, v));
  return dense(hidden, batch, FC2);
}
