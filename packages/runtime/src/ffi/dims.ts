/**
 * Dims64 in native memory: int32 nbDims at 0, int64 d[8] at 8 (72 bytes).
 * One buffer is reused for every call that passes or returns dims, and read
 * through a DataView kept for the buffer's lifetime, so the hot path
 * allocates nothing.
 */
import { allocNative, freeNative, nativeView } from "../device/native-memory.js";
import { dimsReturn } from "./koffi-types.js";

export const DIMS64_SIZE = 72;
export const MAX_DIMS = 8;
const TWO_32 = 2 ** 32;

/** Reads dims at `view`'s `offset` as numbers. int64 is split in two 32-bit halves: no BigInt. */
export function readDims(view: DataView, offset = 0): number[] {
  const rank = view.getInt32(offset, true);
  if (rank < 0 || rank > MAX_DIMS) return [];
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const at = offset + 8 + 8 * i;
    out[i] = view.getInt32(at + 4, true) * TWO_32 + view.getUint32(at, true);
  }
  return out;
}

/** Writes `rank` dims taken from `source` starting at `start` (the packed [rank, dims...] layout). */
export function writePackedDims(view: DataView, source: Float64Array, start: number, rank: number): void {
  view.setInt32(0, rank, true);
  for (let i = 0; i < rank; i++) {
    const value = source[start + i]!;
    const at = 8 + 8 * i;
    // Dims are integers well inside 2^53; split into the int64's two halves.
    const high = Math.floor(value / TWO_32);
    view.setUint32(at, value - high * TWO_32, true);
    view.setInt32(at + 4, high, true);
  }
}

/** Decodes a Dims64 that native code handed over by reference (e.g. notifyShape). */
export function readDimsAt(address: number): number[] {
  return readDims(new DataView(nativeView(address, DIMS64_SIZE)));
}

/** A native Dims64 with a persistent DataView over it. */
export class DimsBuffer {
  readonly address: number;
  readonly view: DataView;

  constructor() {
    this.address = allocNative(DIMS64_SIZE, 8);
    this.view = new DataView(nativeView(this.address, DIMS64_SIZE));
  }

  read(): number[] {
    return readDims(this.view);
  }

  release(): void {
    freeNative(this.address);
  }
}

/**
 * Calls a method whose result is a by-value Dims64 (see koffi-types.ts
 * `dimsReturn`): through `buffer` as the hidden result pointer on x86-64,
 * through koffi's struct return elsewhere.
 */
export function callReturningDims(
  fn: (...args: unknown[]) => unknown,
  buffer: DimsBuffer,
  self: number,
  ...args: unknown[]
): number[] {
  if (dimsReturn === "hiddenPointer") {
    fn(buffer.address, self, ...args);
    return buffer.read();
  }
  const value = fn(self, ...args) as { nbDims: number; d: number[] };
  return value.d.slice(0, Math.max(0, Math.min(value.nbDims, MAX_DIMS))).map(Number);
}
