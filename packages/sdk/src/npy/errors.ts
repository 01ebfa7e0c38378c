/**
 * The one error the .npy reader and writer throw. Like @trt/format's
 * FormatError, the message says what was expected, what was found and what
 * to do, and `code` is stable so callers (and the CLI's `error [CODE]`) can
 * switch on it.
 */

/** Stable codes of {@link NpyError}. */
export type NpyErrorCode =
  | "NPY_BAD_MAGIC"
  | "NPY_TRUNCATED"
  | "NPY_UNSUPPORTED_VERSION"
  | "NPY_BAD_HEADER"
  | "NPY_UNSUPPORTED_DTYPE"
  | "NPY_BIG_ENDIAN"
  | "NPY_FORTRAN_ORDER"
  | "NPY_SIZE_MISMATCH"
  | "NPY_INVALID_VALUE";

/** The parts of an {@link NpyError} message. */
export interface NpyErrorDetails {
  readonly expected: string;
  readonly found: string;
  /** What the user can do; optional because some findings speak for themselves. */
  readonly hint?: string;
}

// Marks every NpyError, from either build (ESM, CommonJS) of the SDK, so that `instanceof`
// agrees across the two copies a program may load.
const NPY_ERROR_MARK = Symbol.for("@trt/sdk:NpyError");

/** A .npy file (or an array to write) that this module cannot handle, and why. */
export class NpyError extends Error {
  /** True for an NpyError made by either build of the SDK; subclasses test as usual. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== NpyError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (value as Record<symbol, unknown> | null | undefined)?.[NPY_ERROR_MARK] === true;
  }

  readonly code: NpyErrorCode;
  readonly expected: string;
  readonly found: string;
  readonly hint: string | undefined;

  constructor(code: NpyErrorCode, details: NpyErrorDetails) {
    super(`expected ${details.expected}, found ${details.found}${details.hint ? `. ${details.hint}` : ""}`);
    this.name = "NpyError";
    this.code = code;
    this.expected = details.expected;
    this.found = details.found;
    this.hint = details.hint;
  }
}
Object.defineProperty(NpyError.prototype, NPY_ERROR_MARK, { value: true });

/** Whether `e` is an {@link NpyError} (also across copies of this module). */
export function isNpyError(e: unknown): e is NpyError {
  return e instanceof Error && e.name === "NpyError" && typeof (e as { code?: unknown }).code === "string";
}
