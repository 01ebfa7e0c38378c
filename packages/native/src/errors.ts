/**
 * Error codes and the one error class this package throws from TS. Errors
 * thrown by the addon itself are plain `Error`s carrying the same kind of
 * fields (`name`, `code`, details): check `code`, not `instanceof`.
 */

export const ErrorCodes = {
  /** A TensorRT call failed; `tensorrtMessage` is the logger's last error for it, `method` the call. */
  TensorRT: "TRT_TENSORRT_ERROR",
  /** A released Engine or ExecutionContext was used. */
  Released: "TRT_RELEASED",
  /** Arguments do not fit the engine or the method; `problem`, `expected`, `found`, `tensor` (see InputErrorFields). */
  Input: "TRT_INPUT_ERROR",
  /** A CUDA runtime call failed; `function`, `cudaError`, `cudaErrorName`. */
  Cuda: "TRT_CUDA_ERROR",
  /** The method is newer than the loaded TensorRT. */
  Unsupported: "TRT_UNSUPPORTED",
  /** The addon, libnvinfer or libcudart cannot be loaded; `reason`, `tried`, `fix`. */
  RuntimeUnavailable: "TRT_RUNTIME_UNAVAILABLE",
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Why the native implementation is not available. */
export type UnavailableReason =
  | "binary-missing"
  | "abi-mismatch"
  | "load-failed"
  | "library-not-found"
  | "not-tensorrt"
  | "unsupported-version"
  | "cudart-not-found";

/** The shape of a TensorRTError thrown by the addon. */
export interface TensorRTErrorFields {
  readonly name: "TensorRTError";
  readonly code: "TRT_TENSORRT_ERROR";
  /** e.g. "IExecutionContext::setInputShape". */
  readonly method: string;
  /** The logger's last error for the failing call, or null when TensorRT logged none. */
  readonly tensorrtMessage: string | null;
  /** The tensor the call was about, when it was about one. */
  readonly tensor?: string;
}

/** What is wrong with an argument, in @trt/runtime InputError's terms, plus "argument" (a method's argument of the wrong kind). */
export type InputErrorProblem = "count" | "rank" | "shape" | "device" | "name" | "argument";

/** The fields of an InputError thrown by the addon. */
export interface InputErrorFields {
  readonly name: "InputError";
  readonly code: "TRT_INPUT_ERROR";
  readonly problem: InputErrorProblem;
  /** What was needed, e.g. "rank 2 for input 'x' (the engine's)". */
  readonly expected: string;
  /** What came instead, e.g. "rank 3". */
  readonly found: string;
  /** The I/O tensor concerned, or null. */
  readonly tensor: string | null;
}

/** True for an InputError thrown by the addon (it carries InputErrorFields). */
export function isInputError(e: unknown): e is Error & InputErrorFields {
  return e instanceof Error && (e as { code?: unknown }).code === ErrorCodes.Input;
}

export function isTensorRTError(e: unknown): e is Error & TensorRTErrorFields {
  return e instanceof Error && (e as { code?: unknown }).code === ErrorCodes.TensorRT;
}

export function hasErrorCode(e: unknown, code: ErrorCode): e is Error & { code: ErrorCode } {
  return e instanceof Error && (e as { code?: unknown }).code === code;
}

/**
 * The native engine cannot be used here: the addon binary, libnvinfer or
 * libcudart did not load (`reason`, every place `tried`, the `fix`). Named
 * for the native engine, apart from @trt/runtime's RuntimeUnavailableError,
 * into which the runtime turns it.
 */
export class NativeUnavailableError extends Error {
  readonly code = ErrorCodes.RuntimeUnavailable;
  readonly implementation = "native" as const;
  readonly reason: UnavailableReason;
  /** Every place looked at, with what went wrong there. */
  readonly tried: readonly string[];
  /** What to do about it. */
  readonly fix: string;

  constructor(reason: UnavailableReason, message: string, tried: readonly string[], fix: string, options?: ErrorOptions) {
    const lines = [`The native TensorRT engine is unavailable (${reason}): ${message}`];
    if (tried.length > 0) lines.push("Tried:", ...tried.map((t) => `  - ${t}`));
    if (fix) lines.push(`Fix: ${fix}`);
    super(lines.join("\n"), options);
    this.name = "NativeUnavailableError";
    this.reason = reason;
    this.tried = tried;
    this.fix = fix;
  }
}

/**
 * The former name of {@link NativeUnavailableError}, the same class.
 * @deprecated Use NativeUnavailableError; this alias is removed in the next minor release.
 */
export const RuntimeUnavailableError = NativeUnavailableError;
/** @deprecated Use NativeUnavailableError. */
export type RuntimeUnavailableError = NativeUnavailableError;
