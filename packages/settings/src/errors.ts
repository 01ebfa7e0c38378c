/**
 * Every way this package can refuse a call, as a stable string a caller can
 * switch on. Messages may be reworded between releases; codes may not.
 *
 * - `TRT_INVALID_SETTING`: a settings field has a value outside its allowed set,
 *   or an override names a field that does not exist.
 * - `TRT_INVALID_TARGET`: a scoped helper got something without a
 *   `runtimeSettings` getter and setter holding a {@link RuntimeSettings}.
 * - `TRT_RUNTIME_CACHE_CORRUPT`: bytes handed to the cache-file decoder are not
 *   a complete, intact runtime-cache file.
 * - `TRT_RUNTIME_CACHE_IO`: an explicit `save()` could not lock or write the file.
 */
export type SettingsErrorCode =
  | "TRT_INVALID_SETTING"
  | "TRT_INVALID_TARGET"
  | "TRT_RUNTIME_CACHE_CORRUPT"
  | "TRT_RUNTIME_CACHE_IO";

/** Extra facts attached to a {@link SettingsError}, for programs rather than people. */
export interface SettingsErrorDetails {
  /** The settings field at fault, when there is one. */
  readonly setting?: string;
  /** The values (or field names) that would have been accepted. */
  readonly allowed?: readonly string[];
  /** The cache file involved, for cache errors. */
  readonly path?: string;
  /** The underlying error (a file-system error, for example). */
  readonly cause?: unknown;
}

// Marks every SettingsError, from either build (ESM, CommonJS) of this package, so that
// `instanceof` agrees across the two copies a program may load.
const SETTINGS_ERROR_MARK = Symbol.for("@trt/settings:SettingsError");

/**
 * The one error type this package throws for bad input or failed explicit I/O.
 * `code` is stable; `message` says what was expected, what was found, and
 * what to do.
 */
export class SettingsError extends Error {
  /** True for a SettingsError made by either build of this package; subclasses test as usual. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== SettingsError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (value as Record<symbol, unknown> | null | undefined)?.[SETTINGS_ERROR_MARK] === true;
  }

  /** Stable identifier of the failure; see {@link SettingsErrorCode}. */
  readonly code: SettingsErrorCode;
  /** The settings field at fault, if any. */
  readonly setting: string | undefined;
  /** What would have been accepted, if the failure is a bad value. */
  readonly allowed: readonly string[] | undefined;
  /** The cache file involved, if any. */
  readonly path: string | undefined;

  /** Builds an error; `details.cause` becomes the standard `cause`. */
  constructor(code: SettingsErrorCode, message: string, details: SettingsErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "SettingsError";
    this.code = code;
    this.setting = details.setting;
    this.allowed = details.allowed;
    this.path = details.path;
  }
}
Object.defineProperty(SettingsError.prototype, SETTINGS_ERROR_MARK, { value: true });

/**
 * True for a {@link SettingsError} from any copy of this package (`instanceof`
 * does the same for the ESM and CommonJS builds; this also accepts an older copy
 * without the mark, by name and code).
 */
export function isSettingsError(value: unknown): value is SettingsError {
  return value instanceof Error && value.name === "SettingsError" && typeof (value as { code?: unknown }).code === "string";
}
