/**
 * A model that cannot be served because of what the user gave (a path that
 * does not exist, a file that is not an engine, an engine whose bindings do
 * not fit its settings, a bad config.json) is a bad command line: the process
 * exits 2, as for any other bad argument, with a hint in the server's terms.
 * A failure of the machine (no TensorRT, no GPU, a port in use, a plugin
 * library that does not load) stays 1.
 */
import { isFormatError, rephraseFormatError } from "@trt/format";
import type { FormatErrorRemedy } from "@trt/format";
import { InputError } from "@trt/runtime";
import { ModelConfigError } from "../models.js";
import { ConfigError } from "../repository/config.js";
import { RepositoryError } from "../repository/repository.js";

/** A model the user named cannot be served as given; the message names the model and what to fix. */
export class BadModelError extends Error {
  override readonly name = "BadModelError";
  constructor(
    /** The underlying error's code (BAD_MAGIC, ENOENT, INVALID_MODEL, ...). */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The server's hint for each remedy a FormatError can carry: the library's hint names its own
 * functions, which a server operator does not call. A Record, so a new remedy fails to compile here.
 */
const SERVER_HINTS: Record<FormatErrorRemedy, string> = {
  WRAP_RAW_ENGINE:
    "Check the path; if the file holds engine bytes in a layout not recognised here, wrap them with the trt command of @trt/sdk: " +
    "`trt convert RAW.engine --inputs a,b --outputs y -o FILE` (the engine's input and output names).",
  CHOOSE_ENGINE: "Pick one with the model's `engine` setting (`--model NAME=PATH,engine=INDEX|PATH|NAME`, or `engine` in config.json); `trt inspect FILE` lists them.",
};

/** Node's own file errors about the path itself. */
const PATH_ERRORS = new Set(["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "ELOOP"]);

/** `error` as a BadModelError when it is about what the user gave for `model`, else unchanged. */
export function classifyLoadError(error: unknown, model: { readonly name: string; readonly path: string }): unknown {
  const at = `model "${model.name}" (${model.path})`;
  if (isFormatError(error)) return new BadModelError(error.code, `${at}: ${rephraseFormatError(error, SERVER_HINTS)}`, { cause: error });
  if (error instanceof BadModelError) return error;
  if (error instanceof ConfigError || error instanceof RepositoryError) return new BadModelError(error.code, `${at}: ${error.message}`, { cause: error });
  if (error instanceof InputError || error instanceof ModelConfigError) return new BadModelError(error.code, `${at}: ${error.message}`, { cause: error });
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && PATH_ERRORS.has(code)) return new BadModelError(code, `${at}: ${(error as Error).message}`, { cause: error });
  return error;
}
