/**
 * Shapes given by users: a list of non-negative integers, at most 8 of them
 * (TensorRT's Dims64 holds 8). Checked once where they enter the runtime.
 */
import { InputError } from "../errors/index.js";

/** TensorRT's largest rank (Dims64::MAX_DIMS). */
export const MAX_RANK = 8;

/** "[2, 3]" for messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Throws InputError (problem "shape", or "rank" past 8 dims) unless `shape` is a valid concrete shape. */
export function checkShape(shape: unknown, tensor: string | null): readonly number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new InputError({
      problem: "shape",
      tensor,
      expected: "a shape: an array of non-negative integers",
      found: Array.isArray(shape) ? `[${shape.map(String).join(", ")}]` : typeof shape === "undefined" ? "no shape" : JSON.stringify(shape) ?? String(shape),
      fix: "Pass the dimensions as whole numbers, e.g. [2, 3].",
    });
  }
  if (shape.length > MAX_RANK) {
    throw new InputError({
      problem: "rank",
      tensor,
      expected: `at most ${MAX_RANK} dimensions`,
      found: `${shape.length} (${formatShape(shape as number[])})`,
      fix: "TensorRT tensors have rank 8 or less; reshape the data.",
    });
  }
  return shape as number[];
}
