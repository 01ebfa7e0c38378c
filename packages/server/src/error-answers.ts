/**
 * How a thrown error becomes an answer: a status and the protocol's error
 * body `{"error": "..."}`. Bad requests are 400 (the server's own checks
 * and the runtime's InputError, e.g. a shape outside the engine's
 * optimization profiles), an unknown model or route 404, a body over the
 * limit 413, an unsupported content encoding 415, a full queue or a shutdown
 * 503 with Retry-After, a request whose timeout passed while it waited for a
 * run 504, one whose client went away 499 (nginx's "client closed request":
 * nobody reads it, but the log and the metrics say what happened); fastify's
 * other client errors keep their 4xx.
 * Loading a model (the repository extension) that cannot be loaded because
 * of what the repository holds is a 400 (403 for a path that leads out of
 * the repository, 404 for a model it does not have).
 * Anything else is a 500 whose details go to the log, not to the client.
 */
import { InputError, PluginError } from "@trt/runtime";
import { QueueFullError, ShuttingDownError } from "./admission.js";
import { isFormatError } from "@trt/format";
import { ClientGoneError, DeadlineExceededError } from "./inference/errors.js";
import { ModelConfigError } from "./models.js";
import { ConfigError } from "./repository/config.js";
import { ModelControlError } from "./repository/manager.js";
import { RepositoryError } from "./repository/repository.js";
import { ProtocolError } from "./protocol/errors.js";

/** An answer for an error: status, extra headers, the message for the body, and whether the server's log should have it. */
export interface ErrorAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly message: string;
  readonly log: boolean;
}

/** The answer for `error`; `bodyLimit` is the server's limit in bytes, for the message of a 413. */
export function answerFor(error: unknown, bodyLimit: number): ErrorAnswer {
  const plain = (status: number, message: string): ErrorAnswer => ({ status, headers: {}, message, log: false });
  if (error instanceof ProtocolError) return plain(error.status, error.message);
  if (error instanceof QueueFullError || error instanceof ShuttingDownError) return { ...plain(503, error.message), headers: { "retry-after": "1" } };
  if (error instanceof DeadlineExceededError) return plain(504, error.message);
  if (error instanceof ClientGoneError) return plain(499, error.message);
  if (error instanceof ModelControlError) return plain(error.code === "CONTROL_OFF" ? 503 : error.code === "NOT_LOADED" ? 404 : 400, error.message);
  if (error instanceof RepositoryError) {
    return plain(error.code === "OUTSIDE_REPOSITORY" ? 403 : error.code === "MODEL_NOT_FOUND" ? 404 : 400, error.message);
  }
  // A model that failed to load because of what its folder holds: the client that asked for the load is told why.
  if (error instanceof ConfigError || error instanceof ModelConfigError) return plain(400, error.message);
  if (isFormatError(error)) return plain(400, `the model file cannot be read: ${error.message}`);
  // A plugin library of the model's config.json that does not load, or an engine that needs a plugin none provides.
  if (error instanceof PluginError) return plain(400, error.message);
  if (error instanceof InputError) {
    // The runtime's message ends with advice for JS callers; a protocol client needs what was expected and what was found.
    const subject = error.tensor === null ? "inputs" : `input "${error.tensor}"`;
    return plain(400, `${subject}: invalid ${error.problem}: expected ${error.expected}; found ${error.found}`);
  }
  const fastify = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof fastify.statusCode === "number" && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    if (fastify.code === "FST_ERR_CTP_BODY_TOO_LARGE") return plain(413, `the request body is larger than the server's limit of ${bodyLimit} bytes`);
    return plain(fastify.statusCode, String(fastify.message));
  }
  return { status: 500, headers: {}, message: "the inference failed; the server's log has the details", log: true };
}
