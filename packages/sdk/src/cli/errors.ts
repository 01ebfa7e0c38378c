/**
 * How the CLI reports failures: one line on stderr, `error [CODE]: message`,
 * exit status 1, never a stack trace. Every error the SDK's packages throw
 * for bad input carries a stable code (FormatError, NpyError, CliError, and
 * the runtime's TrtErrors, recognised by their code so that this module does
 * not load the runtime); Node's I/O errors carry their errno code.
 */
import { isFormatError, rephraseFormatError } from "@trt/format";
import type { FormatErrorRemedy } from "@trt/format";
import { isNpyError } from "../npy/index.js";

/**
 * The CLI's hint for each remedy a FormatError can carry. The library's hint names its
 * functions; someone at the command line needs the command. A Record, so that a remedy
 * added to @trt/format fails to compile here until it has its wording.
 */
const CLI_HINTS: Record<FormatErrorRemedy, string> = {
  WRAP_RAW_ENGINE:
    "Check the path; if the file holds engine bytes in a layout not recognised here, " +
    "wrap them with `trt convert RAW.engine --inputs a,b --outputs y -o FILE` (the engine's input and output names).",
  CHOOSE_ENGINE: "Pick one with `--engine INDEX|PATH|NAME` (`trt inspect FILE` lists them).",
};

/**
 * Codes of the CLI's own errors (bad arguments, inputs that do not fit the
 * engine). Command-line syntax errors are commander's, printed as `USAGE`.
 */
export type CliErrorCode = "BAD_ARGUMENT" | "MISSING_INPUT" | "UNKNOWN_INPUT" | "INPUT_DTYPE" | "ALREADY_CONTAINER";

/** A failure the CLI detects itself, with a stable code. */
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Node's own I/O errors: an errno code and the syscall that failed. */
function isSystemError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === "string" && typeof (e as { syscall?: unknown }).syscall === "string";
}

/**
 * One line for stderr. `file` names what was being read, for I/O errors
 * whose own message may only say "open".
 */
export function formatCliError(e: unknown, file?: string): string {
  if (isFormatError(e)) return `error [${e.code}]: ${rephraseFormatError(e, CLI_HINTS)}`;
  if (isNpyError(e) || e instanceof CliError) return `error [${e.code}]: ${e.message}`;
  if (isSystemError(e)) return `error [${e.code}]: ${file ? `cannot read ${file}: ` : ""}${e.message}`;
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  // The runtime's TrtErrors (RUNTIME_UNAVAILABLE, INVALID_INPUT, ...) and @trt/native's coded errors.
  // A library that did not load is summarized in one line; doctor shows each candidate on its own.
  if (code === "RUNTIME_UNAVAILABLE") return `error [${code}]: ${message} (\`trt doctor\` shows every library tried, one per line.)`;
  if (typeof code === "string" && /^[A-Z][A-Z0-9_]*$/.test(code)) return `error [${code}]: ${message}`;
  return `error: ${message}`;
}

/** Prints `e` as {@link formatCliError} does and marks the process as failed. */
export function reportCliError(e: unknown, file?: string): void {
  process.stderr.write(`${formatCliError(e, file)}\n`);
  process.exitCode = 1;
}
