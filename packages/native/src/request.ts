/**
 * Packing helpers for ExecuteRequest, for callers that hold shapes as arrays.
 * The runtime keeps its own preallocated Float64Arrays on the hot path; these
 * are for tests, scripts and the first call.
 */
import type { EngineInfo } from "./engine-contract.js";

/** [[2,3],[4]] -> Float64Array [2, 2,3, 1, 4]: per input, rank then dims. */
export function packInputShapes(shapes: readonly (readonly number[])[]): Float64Array {
  let length = 0;
  for (const s of shapes) length += 1 + s.length;
  const packed = new Float64Array(length);
  let at = 0;
  for (const s of shapes) {
    packed[at++] = s.length;
    for (const d of s) packed[at++] = d;
  }
  return packed;
}

/** Names of the inputs, then of the outputs, in io order. */
export function ioNames(info: EngineInfo): { inputs: string[]; outputs: string[] } {
  return {
    inputs: info.io.filter((t) => t.mode === "input").map((t) => t.name),
    outputs: info.io.filter((t) => t.mode === "output").map((t) => t.name),
  };
}
