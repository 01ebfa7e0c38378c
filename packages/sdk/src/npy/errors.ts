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

/** A .npy file (or an array to write) that this module cannot handle, and why. */
export class NpyError extends Error {
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

/** Whether `e` is an {@link NpyError} (also across copies of this module). */
export function isNpyError(e: unknown): e is NpyError {
  return e instanceof Error && e.name === "NpyError" && typeof (e as { code?: unknown }).code === "string";
}
