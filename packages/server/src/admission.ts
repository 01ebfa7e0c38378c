/**
 * Admission control for one model: at most `capacity` requests may be inside
 * its inference path at once. The module runs `maxConcurrency` of them and
 * queues the rest, but its queue has no bound; this gate supplies one, so a
 * burst is turned away (QueueFullError, answered 503) instead of piling up
 * tensors in memory. It only counts: waiting, and the order of waiting, are
 * the module's. close() lets every admitted request finish, so the module can
 * be released safely afterwards.
 */

/** Every slot is taken: the client should retry later. */
export class QueueFullError extends Error {
  override readonly name = "QueueFullError";
  readonly code = "QUEUE_FULL";
}

/** The server is shutting down and takes no new work. */
export class ShuttingDownError extends Error {
  override readonly name = "ShuttingDownError";
  readonly code = "SHUTTING_DOWN";
}

/** What the gate holds now. */
export interface AdmissionStats {
  /** Requests admitted now (running in the module or waiting in it). */
  readonly admitted: number;
  /** The most there may be. */
  readonly capacity: number;
}

/** A bound on the requests admitted at once. */
export class Admission {
  readonly #capacity: number;
  #admitted = 0;
  #closed = false;
  #drained: (() => void) | null = null;
  #closing: Promise<void> | null = null;

  /** @param capacity how many requests may be admitted at once (running plus waiting) */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be an integer of at least 1; got ${capacity}`);
    this.#capacity = capacity;
  }

  get stats(): AdmissionStats {
    return { admitted: this.#admitted, capacity: this.#capacity };
  }

  /** Runs `fn` if a slot is free, else rejects at once (it never waits: the wait is the module's, and this gate bounds it). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new ShuttingDownError("the server is shutting down");
    if (this.#admitted >= this.#capacity) {
      throw new QueueFullError(`${this.#admitted} requests are already running or waiting for this model (at most ${this.#capacity}); retry later`);
    }
    this.#admitted++;
    try {
      return await fn();
    } finally {
      this.#admitted--;
      if (this.#admitted === 0) this.#drained?.();
    }
  }

  /** Admits nothing more, and resolves once every admitted request has finished (every call gets the same promise). */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#admitted === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.#drained = resolve));
    return this.#closing;
  }
}
