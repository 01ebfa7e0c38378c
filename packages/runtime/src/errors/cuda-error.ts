import { composeMessage, TrtError } from "./trt-error.js";

/** A CUDA runtime call returned an error; carries the function, the code and cudaGetErrorString. */
export class CudaError extends TrtError {
  /** The CUDA function that failed, e.g. "cudaMallocAsync". */
  readonly function: string;
  /** The cudaError_t value. */
  readonly status: number;
  /** cudaGetErrorName, e.g. "cudaErrorMemoryAllocation". */
  readonly errorName: string;
  /** cudaGetErrorString, e.g. "out of memory". */
  readonly description: string;

  constructor(fn: string, status: number, errorName: string, description: string, fix?: string) {
    super(
      "CUDA_ERROR",
      composeMessage(`CUDA ${fn} failed`, {
        expected: "cudaSuccess (0)",
        found: `${errorName} (${status}): ${description}`,
        fix: fix ?? "Check the arguments and the device state; CUDA errors after a failed kernel are sticky until the process restarts.",
      }),
    );
    this.function = fn;
    this.status = status;
    this.errorName = errorName;
    this.description = description;
  }
}
