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

/**
 * A client's departure, told to the scheduler: `leave()` when the client
 * disconnects. A plain object rather than an AbortSignal: one is made for
 * every request, and an AbortController with its event listeners cost more
 * than the rest of a small request's scheduling together.
 */
export class Departure {
  #gone = false;
  #listener: (() => void) | null = null;

  /** Whether the client has left. */
  get gone(): boolean {
    return this.#gone;
  }

  /** The client has left: the request is dropped if it is still waiting. */
  leave(): void {
    if (this.#gone) return;
    this.#gone = true;
    const listener = this.#listener;
    this.#listener = null;
    listener?.();
  }

  /** Calls `listener` (once) when the client leaves; null stops listening. For the scheduler. */
  watch(listener: (() => void) | null): void {
    this.#listener = listener;
  }
}
