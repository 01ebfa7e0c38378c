/**
 * Stable codes for every error this package throws. Messages may be reworded
 * between releases; codes may not, so callers switch on `error.code`.
 *
 * - `RUNTIME_UNAVAILABLE`: an engine implementation, TensorRT or CUDA cannot be loaded or used.
 * - `TENSORRT_CALL_FAILED`: TensorRT refused a call (false/null return); carries the logger's message.
 * - `CUDA_ERROR`: a CUDA runtime call returned an error code.
 * - `INVALID_INPUT`: a tensor handed to the runtime does not match what the engine expects.
 * - `RELEASED`: an object was used after `release()`.
 * - `STALE_TENSOR`: a module-owned output was read after a later run reused its memory.
 * - `LAYER_INFORMATION_UNAVAILABLE`: the engine does not carry detailed layer information.
 * - `WEIGHT_STREAMING`: a weight-streaming budget the engine cannot take (no streamable weights, or out of range).
 * - `PLUGIN_NOT_FOUND`: an engine needs a plugin creator no loaded library registered.
 * - `PLUGIN_LIBRARY_NOT_FOUND`: a plugin library named by option, TRT_PLUGIN_PATHS or --plugin cannot be opened.
 * - `PLUGIN_LIBRARY_INVALID`: a plugin library opened but TensorRT refused it or it registered no creator.
 */
export type TrtErrorCode =
  | "RUNTIME_UNAVAILABLE"
  | "TENSORRT_CALL_FAILED"
  | "CUDA_ERROR"
  | "INVALID_INPUT"
  | "RELEASED"
  | "STALE_TENSOR"
  | "LAYER_INFORMATION_UNAVAILABLE"
  | "WEIGHT_STREAMING"
  | "PLUGIN_NOT_FOUND"
  | "PLUGIN_LIBRARY_NOT_FOUND"
  | "PLUGIN_LIBRARY_INVALID";

/** The three parts every message in this package has, in this order. */
export interface ErrorParts {
  /** What the runtime needed. */
  readonly expected: string;
  /** What it got instead. */
  readonly found: string;
  /** What the user can do about it. */
  readonly fix: string;
}

/** Joins {@link ErrorParts} into one message with a fixed shape, so logs read the same everywhere. */
export function composeMessage(summary: string, parts: ErrorParts): string {
  return `${summary}: expected ${parts.expected}; found ${parts.found}. ${parts.fix}`;
}

// The package is built as ESM and as CommonJS; a program that loads both holds two copies of
// every class here. Each error carries the names of its classes under this mark, so that
// `instanceof` agrees across the copies (an ESM RuntimeUnavailableError is an instance of the
// CommonJS RuntimeUnavailableError and TrtError, and of nothing else).
const LINEAGE = Symbol.for("@trt/runtime:error-lineage");

/** The class names from `cls` up to TrtError: ["InputError", "TrtError"]. */
function lineageOf(cls: abstract new (...args: never[]) => unknown): string[] {
  const names: string[] = [];
  for (let c: { name: string } | null = cls; c !== null && c !== Error && c !== Function.prototype; c = Object.getPrototypeOf(c) as { name: string } | null) {
    names.push(c.name);
  }
  return names;
}

/** Base class of every error thrown by @trt/runtime. */
export class TrtError extends Error {
  /** Stable identifier of the failure, see {@link TrtErrorCode}. */
  readonly code: TrtErrorCode;

  /** Ordinary `instanceof`, or an error of this class made by another copy of this package (see LINEAGE). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const lineage = (value as Record<symbol, unknown> | null | undefined)?.[LINEAGE];
    return Array.isArray(lineage) && lineage.includes(this.name);
  }

  constructor(code: TrtErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    // Subclasses set their own name so stack traces and `String(err)` say which error this is.
    this.name = new.target.name;
    Object.defineProperty(this, LINEAGE, { value: lineageOf(new.target) });
  }
}
