/**
 * Warnings: things that are worth telling the user but must not stop the
 * program (a setting the loaded TensorRT ignores, a damaged cache file, an
 * autosave that failed).
 * @module
 */
import { writeSync } from "node:fs";
import { sharedFields } from "./shared-state.js";

/**
 * Codes of the warnings this package emits (the `code` of the Node warning):
 *
 * - `TRT_UNSUPPORTED_KERNEL_SPECIALIZATION`: a kernel specialization strategy was
 *   requested but the loaded TensorRT is not TensorRT-RTX (once per process).
 * - `TRT_UNSUPPORTED_RUNTIME_CACHE`: a runtime cache was requested but the loaded
 *   TensorRT is not TensorRT-RTX (once per process).
 * - `TRT_RUNTIME_CACHE_CORRUPT`: a cache file is not a valid cache file; it was
 *   treated as empty.
 * - `TRT_RUNTIME_CACHE_UNREADABLE`: a cache file exists but could not be read; it
 *   was treated as empty.
 * - `TRT_RUNTIME_CACHE_SAVE_FAILED`: an automatic save (scope end, release, exit)
 *   failed; the in-memory cache was not persisted.
 */
export type SettingsWarningCode =
  | "TRT_UNSUPPORTED_KERNEL_SPECIALIZATION"
  | "TRT_UNSUPPORTED_RUNTIME_CACHE"
  | "TRT_RUNTIME_CACHE_CORRUPT"
  | "TRT_RUNTIME_CACHE_UNREADABLE"
  | "TRT_RUNTIME_CACHE_SAVE_FAILED";

/** The `type` (Node's warning name) of every warning this package emits. */
export const WARNING_TYPE = "TensorRTWarning";

/** A warning as handed to a {@link WarningHandler}. */
export interface SettingsWarning {
  /** Stable code; a {@link SettingsWarningCode} for warnings from this package. */
  readonly code: string;
  /** Human-readable explanation. */
  readonly message: string;
}

/** Receives warnings instead of `process.emitWarning`; see {@link setWarningHandler}. */
export type WarningHandler = (warning: SettingsWarning) => void;

/** This module's process-wide fields: the codes already warned about, and the handler in place of process.emitWarning. */
interface WarningFields {
  readonly warned: Set<string>;
  warningHandler: WarningHandler | null;
}
const warningState = (): WarningFields => sharedFields<WarningFields>();

/**
 * Emits a warning now: through the handler set by {@link setWarningHandler}, or
 * `process.emitWarning(message, { type: "TensorRTWarning", code })`.
 */
export function emitSettingsWarning(code: string, message: string): void {
  const handler = warningState().warningHandler;
  if (handler !== null) handler({ code, message });
  else process.emitWarning(message, { type: WARNING_TYPE, code });
}

/**
 * {@link emitSettingsWarning} for a process 'exit' handler. Node delivers
 * `process.emitWarning` on a later tick, which never comes during 'exit', so
 * the default here writes the warning to stderr synchronously, in Node's own
 * warning format.
 */
export function emitSettingsWarningSync(code: string, message: string): void {
  const handler = warningState().warningHandler;
  if (handler !== null) {
    handler({ code, message });
    return;
  }
  try {
    writeSync(2, `(node:${process.pid}) [${code}] ${WARNING_TYPE}: ${message}\n`);
  } catch {
    // stderr closed: there is nowhere left to report to.
  }
}

/**
 * Emits a warning the first time `code` is seen in this process and does
 * nothing afterwards. Returns whether it emitted. Used for conditions that
 * would otherwise repeat on every call (an unsupported setting applied in a
 * loop), where one line tells the user everything.
 */
export function warnOnce(code: string, message: string): boolean {
  const warned = warningState().warned;
  if (warned.has(code)) return false;
  warned.add(code);
  emitSettingsWarning(code, message);
  return true;
}

/**
 * Routes warnings to `handler` instead of `process.emitWarning` (pass null to
 * restore the default). Returns the previous handler so a test can put it back.
 * Meant for tests and for applications that log warnings their own way.
 */
export function setWarningHandler(handler: WarningHandler | null): WarningHandler | null {
  const state = warningState();
  const previous = state.warningHandler;
  state.warningHandler = handler;
  return previous;
}

/**
 * Forgets which codes {@link warnOnce} has already emitted, so they warn again.
 * For tests; a program has no reason to call it.
 */
export function resetWarnings(): void {
  warningState().warned.clear();
}
