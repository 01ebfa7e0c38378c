/**
 * An output as the server answers with it: read to host memory once, in its
 * stored layout (FP16 and BF16 as their 16-bit patterns), so that the
 * encoders need no device access and a batch's output can be handed to each
 * of its requests as a view of its rows, without a copy.
 */
import type { DataType, HostArray, RunResult } from "@trt/runtime";

/** One output of one request. */
export interface HostOutput {
  readonly name: string;
  readonly dtype: DataType;
  readonly shape: readonly number[];
  /** The values in the stored layout, row-major (for a batched request: a view of its rows of the batch's output). */
  readonly raw: HostArray;
}

/** Reads the outputs called `names` of `result` to host memory; the caller disposes the result. */
export async function readOutputs(result: RunResult, names: readonly string[]): Promise<HostOutput[]> {
  const outputs: HostOutput[] = [];
  for (const name of names) {
    const tensor = result.get(name);
    outputs.push({ name, dtype: tensor.dtype, shape: tensor.shape, raw: await tensor.toArray({ raw: true }) });
  }
  return outputs;
}

/** Rows `[start, start + rows)` of `output` (first dimension), as a view of its values. */
export function sliceRows(output: HostOutput, start: number, rows: number): HostOutput {
  const perRow = output.shape.slice(1).reduce((n, d) => n * d, 1);
  return {
    name: output.name,
    dtype: output.dtype,
    shape: [rows, ...output.shape.slice(1)],
    raw: output.raw.subarray(start * perRow, (start + rows) * perRow),
  };
}

/** The bytes of `values` (no copy). */
export function bytesOf(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}
