/**
 * Errors the server answers with. The protocol's error body is
 * `{"error": "<message>"}`; the HTTP status says what kind it was. The
 * message says what was expected and what was found, as the runtime's own
 * errors do, since a client shows nothing else.
 */

/** Why a request was refused: the HTTP status it is answered with. */
export type ProtocolErrorStatus = 400 | 403 | 404 | 405 | 413 | 415 | 503;

/** A request the server refuses, with the status and the message of its answer. */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";

  constructor(
    /** The HTTP status of the answer. */
    readonly status: ProtocolErrorStatus,
    message: string,
  ) {
    super(message);
  }
}

/** A malformed or unsatisfiable request: 400. */
export function badRequest(message: string): ProtocolError {
  return new ProtocolError(400, message);
}

/** A model (or version) this server does not serve: 404. */
export function unknownModel(message: string): ProtocolError {
  return new ProtocolError(404, message);
}

/** The protocol's error body. */
export interface ErrorBody {
  readonly error: string;
}
