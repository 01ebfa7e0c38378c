/**
 * The arrays of a model case: reading its .npy files (checked against what
 * the manifest says they hold), turning them into run() inputs, and
 * comparing outputs with the references, element by element, with the
 * largest difference kept for the report.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeNpy, halfBitsToFloat32 } from "@trt/sdk";
import type { HostArray, NpyArray } from "@trt/sdk";
import type { ArrayFile, ModelCase, Tolerance } from "./manifest.js";

/** A .npy file of MODELS_DIR. */
export function readArray(directory: string, file: string): NpyArray {
  return decodeNpy(readFileSync(join(directory, file)));
}

/** A case's inputs, each checked against the dtype and shape the manifest gives for it. */
export function readCaseInputs(directory: string, c: ModelCase): Record<string, NpyArray> {
  const out: Record<string, NpyArray> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    const array = readArray(directory, spec.file);
    checkArray(array, spec, `${c.name} input ${name}`);
    out[name] = array;
  }
  return out;
}

function checkArray(array: NpyArray, spec: ArrayFile, what: string): void {
  if (array.dtype !== spec.dtype || array.shape.join(",") !== spec.shape.join(",")) {
    throw new Error(`${what} (${spec.file}): the manifest says ${spec.dtype} [${spec.shape.join(", ")}], the file holds ${array.dtype} [${array.shape.join(", ")}]`);
  }
}

/** The arrays as run() takes host data: {data, shape} (float16 as its bit patterns, which the runtime reads as half). */
export function hostInputs(arrays: Readonly<Record<string, NpyArray>>): Record<string, { data: HostArray; shape: readonly number[] }> {
  return Object.fromEntries(Object.entries(arrays).map(([name, a]) => [name, { data: a.data as HostArray, shape: a.shape }]));
}

/** The values of an array as numbers (float16 decoded, int64 converted: exact below 2^53). */
export function numbers(data: ArrayLike<number> | BigInt64Array, dtype?: string): Float64Array {
  if (data instanceof BigInt64Array) return Float64Array.from(data, Number);
  if (dtype === "float16") return Float64Array.from(data as Uint16Array, halfBitsToFloat32);
  return Float64Array.from(data as ArrayLike<number>);
}

/** How an output compares with a reference. */
export interface Comparison {
  readonly count: number;
  /** The largest |actual - expected| (0 when equal; Infinity when NaN meets a number). */
  readonly maxAbsDiff: number;
  /** Elements outside atol + rtol * |expected|. */
  readonly outside: number;
  /** The first element outside, to show. */
  readonly first: { readonly index: number; readonly actual: number; readonly expected: number } | null;
}

/** Compares element by element; NaN equals NaN (a bit-identical NaN is no difference). */
export function compareValues(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance): Comparison {
  if (actual.length !== expected.length) throw new Error(`${actual.length} values against ${expected.length} expected`);
  let maxAbsDiff = 0;
  let outside = 0;
  let first: Comparison["first"] = null;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    const diff = a === e ? 0 : Math.abs(a - e);
    const d = Number.isNaN(diff) ? Infinity : diff;
    if (d > maxAbsDiff) maxAbsDiff = d;
    if (d > tolerance.atol + tolerance.rtol * Math.abs(e)) {
      outside++;
      first ??= { index: i, actual: a, expected: e };
    }
  }
  return { count: actual.length, maxAbsDiff, outside, first };
}

/** One line for a log or an assertion message. */
export function describeComparison(what: string, c: Comparison, tolerance: Tolerance): string {
  const base = `${what}: max |diff| ${c.maxAbsDiff.toPrecision(3)} over ${c.count} values (atol ${tolerance.atol}, rtol ${tolerance.rtol})`;
  if (c.outside === 0) return base;
  return `${base}; ${c.outside} outside, first at [${c.first!.index}]: ${c.first!.actual} against ${c.first!.expected}`;
}
