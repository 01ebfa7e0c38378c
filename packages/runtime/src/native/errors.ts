/**
 * The addon throws plain Errors carrying a `code` (TRT_TENSORRT_ERROR, ...).
 * The module promises the same error classes whichever engine runs, so the
 * adapter turns each into this package's error with the same fields.
 */
import { CudaError, InputError, ReleasedError, RuntimeUnavailableError, TensorRTCallError, TrtError } from "../errors/index.js";
import type { InputProblem } from "../errors/index.js";

interface NativeErrorFields {
  readonly code?: unknown;
  readonly message: string;
  readonly method?: unknown;
  readonly tensorrtMessage?: unknown;
  readonly tensorrtMessages?: unknown;
  readonly tensor?: unknown;
  readonly problem?: unknown;
  readonly expected?: unknown;
  readonly found?: unknown;
  readonly function?: unknown;
  readonly cudaError?: unknown;
  readonly cudaErrorName?: unknown;
  readonly reason?: unknown;
  readonly tried?: unknown;
  readonly fix?: unknown;
}

const str = (value: unknown, fallback: string): string => (typeof value === "string" ? value : fallback);

/** The problems an addon InputError can name (cpp/errors.h); each is also one of InputError's. */
const NATIVE_PROBLEMS: readonly InputProblem[] = ["count", "rank", "shape", "device", "name", "argument"];

/** `error` as this package's error class when it is one of the addon's coded errors; anything else unchanged. */
export function fromNativeError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof TrtError) return error;
  const e = error as Error & NativeErrorFields;
  let mapped: TrtError;
  switch (e.code) {
    case "TRT_TENSORRT_ERROR":
      mapped = new TensorRTCallError(
        str(e.method, "unknown method"),
        typeof e.tensorrtMessage === "string" ? e.tensorrtMessage : null,
        typeof e.tensor === "string" ? `tensor "${e.tensor}"` : undefined,
        Array.isArray(e.tensorrtMessages) ? e.tensorrtMessages.map(String) : undefined,
      );
      break;
    case "TRT_RELEASED":
      mapped = new ReleasedError("native object", `call ${str(e.method, "a method")}()`);
      break;
    case "TRT_INPUT_ERROR":
      // The addon says what is wrong in fields (cpp/errors.h InputFailure): no guessing from its message.
      mapped = new InputError({
        problem: NATIVE_PROBLEMS.includes(e.problem as InputProblem) ? (e.problem as InputProblem) : "argument",
        tensor: typeof e.tensor === "string" ? e.tensor : null,
        expected: str(e.expected, "arguments that fit the engine"),
        found: str(e.found, e.message),
        fix: "Build the request in EngineInfo.io order.",
      });
      break;
    case "TRT_CUDA_ERROR": {
      const status = typeof e.cudaError === "number" ? e.cudaError : -1;
      mapped = new CudaError(str(e.function, "a CUDA call"), status, str(e.cudaErrorName, `cudaError ${status}`), e.message);
      break;
    }
    case "TRT_UNSUPPORTED":
      mapped = new RuntimeUnavailableError({
        component: "tensorrt",
        expected: `a TensorRT release with ${str(e.method, "this method")}`,
        reason: e.message,
        fix: "Upgrade TensorRT, or avoid the feature that needs this method.",
      });
      break;
    case "TRT_RUNTIME_UNAVAILABLE":
      return unavailableFromNative(e);
    default:
      return error;
  }
  (mapped as { cause?: unknown }).cause = error;
  return mapped;
}

/** The addon's NativeUnavailableError (reason, tried, fix) as this package's RuntimeUnavailableError, naming the native engine. */
export function unavailableFromNative(error: unknown): RuntimeUnavailableError {
  if (error instanceof RuntimeUnavailableError) return error;
  const e = (error ?? {}) as Partial<NativeErrorFields> & { message?: string };
  const reason = typeof e.reason === "string" ? `${e.reason}: ${firstLine(e.message ?? String(error))}` : firstLine(e.message ?? String(error));
  return new RuntimeUnavailableError({
    component: "native",
    expected: "the @trt/native addon, loaded with a TensorRT it supports",
    reason,
    fix:
      typeof e.fix === "string" && e.fix
        ? `${e.fix} Or select the ffi engine: setRuntime("ffi") or TRT_RUNTIME=ffi.`
        : 'Install @trt/native (it builds with cmake and a C++17 compiler), or select the ffi engine: setRuntime("ffi") or TRT_RUNTIME=ffi.',
    pathsTried: Array.isArray(e.tried) ? e.tried.map(String) : [],
    cause: error,
  });
}

function firstLine(text: string): string {
  const end = text.indexOf("\n");
  return end < 0 ? text : text.slice(0, end);
}

/** Runs `fn`, rethrowing addon errors as this package's. */
export function translating<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw fromNativeError(error);
  }
}
