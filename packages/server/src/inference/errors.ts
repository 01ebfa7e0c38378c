/**
 * Why a request left the queue without a run: its time ran out (the
 * protocol's `timeout` parameter: 504, gRPC DEADLINE_EXCEEDED), or its client
 * went away (nothing is answered; the request is only accounted for).
 */

/** The request's timeout passed while it waited for a run. */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
  readonly code = "DEADLINE_EXCEEDED";
}

/** The client disconnected while its request waited for a run. */
export class ClientGoneError extends Error {
  override readonly name = "ClientGoneError";
  readonly code = "CANCELLED";
}
