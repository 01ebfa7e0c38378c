/**
 * What the stream waits (stream-wait.ts, completion-waiter.ts) use of a CUDA
 * device. CudaDevice implements it; declared apart so that the waits depend on
 * this small surface and not on the device class that uses them.
 */
import type { CudaError } from "../errors/index.js";
import type { CudaRuntimeApi } from "./cuda-runtime.js";

export interface StreamDevice {
  /** The loaded CUDA runtime's entry points. */
  readonly api: CudaRuntimeApi;
  /** The ordinal current on this thread. */
  getDevice(): number;
  /** True when every operation queued on `stream` has finished. */
  queryStream(stream: number): boolean;
  /** Throws CudaError for a non-zero status of `fn`. */
  check(fn: string, status: number): void;
  /** The CudaError for status `status` of `fn`. */
  error(fn: string, status: number): CudaError;
}
