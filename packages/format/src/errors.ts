/**
 * Every way an input can be rejected, as a stable string a caller can switch on.
 * The messages may be reworded between releases; these codes may not.
 *
 * - `TRUNCATED`: the input ends inside a fixed-size field (header, length, trailer, pickle opcode).
 * - `BAD_MAGIC`: the first bytes are neither a container nor a pickle.
 * - `UNSUPPORTED_CONTAINER_VERSION`: a container version this reader does not know.
 * - `BAD_HEADER`: the container header has reserved bits set or an impossible slot count.
 * - `BAD_TRAILER`: the container's end marker is missing.
 * - `LENGTH_OUT_OF_RANGE`: a declared length runs past the end of the input.
 * - `TOO_LARGE`: a length that fits the input but not this platform's largest buffer or string.
 * - `CHECKSUM_MISMATCH`: the container's CRC-32 does not match its contents.
 * - `TRAILING_BYTES`: data after the end of the container or pickle.
 * - `UNSUPPORTED_ABI_VERSION`: a tuple ABI version this reader has no layout for.
 * - `WRONG_SLOT_COUNT`: the tuple has a different number of slots than its ABI version defines.
 * - `FIELD_NOT_IN_ABI`: a writer was asked for an ABI with no slot for a field the tuple sets (aliased I/O before "10", ...).
 * - `BAD_SLOT_TYPE`: a slot holds something other than text or bytes.
 * - `BAD_UTF8`: a text slot is not valid UTF-8.
 * - `BAD_BASE64`: an engine or metadata slot that should be base64 is not.
 * - `BAD_DEVICE_INFO`: the device slot is not `gpu_id%sm_major%sm_minor%device_type%device_name`.
 * - `BAD_FLAG`: a flag slot is not "0" or "1".
 * - `BAD_ALLOCATION_STRATEGY`: the resource-allocation slot is not "0" (static) or "1" (dynamic).
 * - `BAD_BINDING_NAMES`: a binding name list cannot be written (a name is empty or contains `%`).
 * - `BAD_ALIASED_IO`: an aliased-I/O record is not `output@input@kind`.
 * - `BAD_PICKLE`: the pickle stream is malformed (unknown opcode, stack underflow, bad memo index, ...).
 * - `UNSUPPORTED_PICKLE_GLOBAL`: the pickle names a class or function the tuple reader refuses to touch.
 * - `BAD_PICKLE_SHAPE`: the pickle is valid but holds neither an engine list nor a module extra state.
 * - `NO_ENGINE`: a module extra state without an engine (Torch-TensorRT writes `None` there), or a torch archive with none.
 * - `BAD_ZIP`: a torch archive's zip structure is damaged (records, offsets, CRC-32, its JSON).
 * - `UNSUPPORTED_ZIP`: a valid zip this reader does not read (compressed, encrypted or split entries).
 * - `NOT_A_MODEL_ARCHIVE`: a zip that is not a TorchScript, ExportedProgram or torch.save archive.
 * - `AMBIGUOUS_ENGINE`: an archive with several engines and no choice of one.
 * - `ENGINE_NOT_FOUND`: the engine asked for is not in the archive.
 * - `INVALID_VALUE`: a value handed to an encoder cannot be represented in the format.
 */
export type FormatErrorCode =
  | "TRUNCATED"
  | "BAD_MAGIC"
  | "UNSUPPORTED_CONTAINER_VERSION"
  | "BAD_HEADER"
  | "BAD_TRAILER"
  | "LENGTH_OUT_OF_RANGE"
  | "TOO_LARGE"
  | "CHECKSUM_MISMATCH"
  | "TRAILING_BYTES"
  | "UNSUPPORTED_ABI_VERSION"
  | "WRONG_SLOT_COUNT"
  | "FIELD_NOT_IN_ABI"
  | "BAD_SLOT_TYPE"
  | "BAD_UTF8"
  | "BAD_BASE64"
  | "BAD_DEVICE_INFO"
  | "BAD_FLAG"
  | "BAD_ALLOCATION_STRATEGY"
  | "BAD_BINDING_NAMES"
  | "BAD_ALIASED_IO"
  | "BAD_PICKLE"
  | "UNSUPPORTED_PICKLE_GLOBAL"
  | "BAD_PICKLE_SHAPE"
  | "NO_ENGINE"
  | "BAD_ZIP"
  | "UNSUPPORTED_ZIP"
  | "NOT_A_MODEL_ARCHIVE"
  | "AMBIGUOUS_ENGINE"
  | "ENGINE_NOT_FOUND"
  | "INVALID_VALUE";

/** All {@link FormatErrorCode} values, in documentation order. */
export const FORMAT_ERROR_CODES: readonly FormatErrorCode[] = Object.freeze([
  "TRUNCATED",
  "BAD_MAGIC",
  "UNSUPPORTED_CONTAINER_VERSION",
  "BAD_HEADER",
  "BAD_TRAILER",
  "LENGTH_OUT_OF_RANGE",
  "TOO_LARGE",
  "CHECKSUM_MISMATCH",
  "TRAILING_BYTES",
  "UNSUPPORTED_ABI_VERSION",
  "WRONG_SLOT_COUNT",
  "FIELD_NOT_IN_ABI",
  "BAD_SLOT_TYPE",
  "BAD_UTF8",
  "BAD_BASE64",
  "BAD_DEVICE_INFO",
  "BAD_FLAG",
  "BAD_ALLOCATION_STRATEGY",
  "BAD_BINDING_NAMES",
  "BAD_ALIASED_IO",
  "BAD_PICKLE",
  "UNSUPPORTED_PICKLE_GLOBAL",
  "BAD_PICKLE_SHAPE",
  "NO_ENGINE",
  "BAD_ZIP",
  "UNSUPPORTED_ZIP",
  "NOT_A_MODEL_ARCHIVE",
  "AMBIGUOUS_ENGINE",
  "ENGINE_NOT_FOUND",
  "INVALID_VALUE",
]);

/**
 * A fix for the input that a tool can offer in its own terms. A {@link FormatError}'s
 * `hint` names this package's functions; a command line or another program maps the
 * remedy to its own command (and rebuilds the message with {@link formatErrorMessage}).
 *
 * - `WRAP_RAW_ENGINE`: the input is neither a container nor a pickle. If it holds raw
 *   TensorRT engine bytes (a serialized plan, as trtexec --saveEngine writes), wrap them
 *   into an engine tuple and save that: `createSerializedEngine()` then `writeEngineFile()`.
 * - `CHOOSE_ENGINE`: the archive holds several engines (or not the one named); pick one
 *   of those the message lists, by index, path or name (`engine` option).
 */
export type FormatErrorRemedy = "WRAP_RAW_ENGINE" | "CHOOSE_ENGINE";

/** The three parts every {@link FormatError} message is built from, and the remedy, if any. */
export interface FormatErrorDetails {
  /** What the reader or writer needed at this point. */
  expected: string;
  /** What it got instead. */
  found: string;
  /** What the caller can do about it, in terms of this package's API. */
  hint: string;
  /** The fix behind the hint, for callers that phrase it themselves; see {@link FormatErrorRemedy}. */
  remedy?: FormatErrorRemedy;
}

/** A {@link FormatError}'s message from its parts: "expected X, found Y. Z". */
export function formatErrorMessage(details: Pick<FormatErrorDetails, "expected" | "found" | "hint">): string {
  return `expected ${details.expected}, found ${details.found}. ${details.hint}`;
}

/**
 * `error`'s message with the hint a tool gives for its remedy (`hints[error.remedy]`) in place
 * of this package's, or its message unchanged where it has no remedy or `hints` none for it
 * (a FormatError from another copy of this package may carry a remedy the tool does not know).
 * A command line passes a Record of every remedy, so that a new one fails to compile there
 * until it has its wording.
 */
export function rephraseFormatError(error: FormatError, hints: Partial<Record<FormatErrorRemedy, string>>): string {
  const remedy: unknown = error.remedy;
  if (typeof remedy !== "string" || !Object.hasOwn(hints, remedy)) return error.message;
  return formatErrorMessage({ expected: error.expected, found: error.found, hint: hints[remedy as FormatErrorRemedy]! });
}

// Marks every FormatError, whichever copy of this module made it: the package is built as
// ESM and as CommonJS, and a program that loads both (an ESM app with a CommonJS
// dependency) holds two FormatError classes. The mark makes `instanceof` agree across them.
const FORMAT_ERROR_MARK = Symbol.for("@trt/format:FormatError");

/**
 * The one error type the format package throws for bad input. Its message reads
 * "expected X, found Y. Z" so it is useful on its own in a CLI, and the parts stay
 * available as properties for programs. `e instanceof FormatError` holds for a
 * FormatError from either build (ESM, CommonJS) of any entry of this package.
 */
export class FormatError extends Error {
  /** True for a FormatError made by any copy of this package (see FORMAT_ERROR_MARK); subclasses test as usual. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== FormatError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[FORMAT_ERROR_MARK] === true;
  }

  /** Stable machine-readable reason; see {@link FormatErrorCode}. */
  readonly code: FormatErrorCode;
  /** What was needed. */
  readonly expected: string;
  /** What was there. */
  readonly found: string;
  /** What to do about it, in terms of this package's API. */
  readonly hint: string;
  /** The fix behind the hint where a caller may phrase it in its own terms, else undefined. */
  readonly remedy: FormatErrorRemedy | undefined;

  /** Builds the error; the message is derived from the details ({@link formatErrorMessage}). */
  constructor(code: FormatErrorCode, details: FormatErrorDetails) {
    super(formatErrorMessage(details));
    this.name = "FormatError";
    this.code = code;
    this.expected = details.expected;
    this.found = details.found;
    this.hint = details.hint;
    this.remedy = details.remedy;
  }
}
Object.defineProperty(FormatError.prototype, FORMAT_ERROR_MARK, { value: true });

/** True when `e` is a {@link FormatError} (also from an older copy of this package without the mark, by name and code). */
export function isFormatError(e: unknown): e is FormatError {
  if (e instanceof FormatError) return true;
  if (!(e instanceof Error) || e.name !== "FormatError") return false;
  const code: unknown = (e as Error & { code?: unknown }).code;
  return typeof code === "string" && (FORMAT_ERROR_CODES as readonly string[]).includes(code);
}

/** Shorthand used by the readers: build and throw in one expression. */
export function fail(code: FormatErrorCode, expected: string, found: string, hint: string, remedy?: FormatErrorRemedy): never {
  throw new FormatError(code, remedy === undefined ? { expected, found, hint } : { expected, found, hint, remedy });
}

/** Quotes a value for a message, cutting it short so a 1 GiB slot never lands in an error string. */
export function show(value: string, max = 60): string {
  const cut = value.length > max ? `${value.slice(0, max)}…(${value.length} chars)` : value;
  return JSON.stringify(cut);
}
