/**
 * What dynamic batching needs to know about a model and a request: whether
 * the model can batch at all (every input and output has a dynamic first
 * dimension, the batch), a request's rows and its key (every dimension but
 * the first, of every input: only requests with the same key run together),
 * whether a batch of so many rows fits one of the engine's optimization
 * profiles, and the batch's inputs made from its requests'.
 */
import type { BindingSpec, HostArray, HostInput, HostParts } from "@trt/runtime";

/** The key of a request that must run alone (its inputs disagree on the batch, or fit no profile alone). */
export const ALONE = "";

/** Why a model cannot batch, or null when it can. */
export function whyNotBatchable(inputs: readonly BindingSpec[], outputs: readonly BindingSpec[]): string | null {
  const fixed = [...inputs, ...outputs].filter((b) => b.shape.length === 0 || b.shape[0] !== -1);
  if (fixed.length === 0) return null;
  return (
    `dynamic batching stacks requests along the first dimension, which must be dynamic (-1) on every input and output; ` +
    fixed.map((b) => `${b.mode} "${b.name}" has shape [${b.shape.join(", ")}]`).join(", ")
  );
}

/**
 * The most rows one run can take: for each profile, the smallest maximum of the first dimension
 * over the inputs; the largest over the profiles.
 */
export function profileMaxBatch(inputs: readonly BindingSpec[]): number {
  let best = 0;
  const profiles = Math.max(0, ...inputs.map((i) => i.profiles.length));
  for (let p = 0; p < profiles; p++) {
    const rows = Math.min(...inputs.map((i) => i.profiles[p]?.max[0] ?? 0));
    best = Math.max(best, rows);
  }
  return best;
}

/** Whether inputs of these shapes (by model input order) fit one optimization profile. */
export function fitsAProfile(inputs: readonly BindingSpec[], shapes: readonly (readonly number[])[]): boolean {
  const profiles = Math.max(0, ...inputs.map((i) => i.profiles.length));
  if (profiles === 0) return true;
  for (let p = 0; p < profiles; p++) {
    const fits = inputs.every((spec, k) => {
      const range = spec.profiles[p];
      if (!range) return true;
      return shapes[k]!.every((d, j) => d >= range.min[j]! && d <= range.max[j]!);
    });
    if (fits) return true;
  }
  return false;
}

/** A request's rows and key, or rows 0 and key ALONE when it cannot share a run. */
export function batchKey(inputs: readonly BindingSpec[], decoded: Readonly<Record<string, HostInput>>): { rows: number; key: string } {
  const shapes = inputs.map((spec) => decoded[spec.name]!.shape);
  const rows = shapes[0]![0]!;
  if (rows === 0 || shapes.some((s) => s[0] !== rows) || !fitsAProfile(inputs, shapes)) return { rows: 0, key: ALONE };
  return { rows, key: shapes.map((s) => s.slice(1).join("x")).join(";") };
}

/** Whether `rows` rows of requests with these (same-key) shapes fit a profile. */
export function batchFits(inputs: readonly BindingSpec[], sample: Readonly<Record<string, HostInput>>, rows: number): boolean {
  return fitsAProfile(
    inputs,
    inputs.map((spec) => [rows, ...sample[spec.name]!.shape.slice(1)]),
  );
}

/**
 * The batch's inputs: each input's rows from every request, in order, in one array. `take` gives the
 * memory for each (at least the bytes asked, not zeroed: every element is written); by default a new
 * buffer each time.
 */
export function stackInputs(
  inputs: readonly BindingSpec[],
  requests: readonly Readonly<Record<string, HostInput>>[],
  rows: number,
  take: (bytes: number) => ArrayBuffer = (bytes) => new ArrayBuffer(bytes),
): Record<string, HostInput> {
  const stacked: Record<string, HostInput> = {};
  for (const spec of inputs) {
    const first = requests[0]![spec.name]!;
    const perRow = first.shape.slice(1).reduce((n, d) => n * d, 1);
    const Constructor = first.data.constructor as (new (buffer: ArrayBuffer, byteOffset: number, length: number) => HostArray) & { readonly BYTES_PER_ELEMENT: number };
    const length = rows * perRow;
    const data = new Constructor(take(length * Constructor.BYTES_PER_ELEMENT), 0, length);
    let offset = 0;
    for (const request of requests) {
      const part = request[spec.name]!.data;
      (data as unknown as { set(a: ArrayLike<number | bigint>, o: number): void }).set(part as unknown as ArrayLike<number | bigint>, offset);
      offset += part.length;
    }
    stacked[spec.name] = { data, shape: [rows, ...first.shape.slice(1)] };
  }
  return stacked;
}

/**
 * The batch's inputs as parts: each input's rows from every request, in order, left where they
 * lie; the runtime copies each part to its place on the device. For requests whose inputs are in
 * pinned memory, where each part's copy is DMA: stacking them would first copy every byte on the
 * main thread (8% of its busy time with batching on, in a profile of ResNet-50 on an H100), for a
 * copy that the GPU's copy engine makes on its own.
 */
export function gatherInputs(
  inputs: readonly BindingSpec[],
  requests: readonly Readonly<Record<string, HostInput>>[],
  rows: number,
): Record<string, HostParts> {
  const gathered: Record<string, HostParts> = {};
  for (const spec of inputs) {
    const first = requests[0]![spec.name]!;
    gathered[spec.name] = { parts: requests.map((request) => request[spec.name]!.data), shape: [rows, ...first.shape.slice(1)] };
  }
  return gathered;
}
