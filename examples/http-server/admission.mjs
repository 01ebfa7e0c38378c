// @ts-check
// Admission control: at most `capacity` requests may be inside the server's
// inference path at once. The module itself runs `maxConcurrency` of them and
// queues the rest, but its queue has no bound; this gate supplies one, so a
// burst is turned away (QueueFullError -> HTTP 503) instead of piling up
// input tensors in memory. It only counts: waiting, and the order of waiting,
// are the module's. close() lets every admitted request finish, so the module
// can be released safely afterwards.

/** Every slot is taken: the caller should retry later. */
export class QueueFullError extends Error {
  code = "QUEUE_FULL";
}

/** The server is shutting down and takes no new work. */
export class ShuttingDownError extends Error {
  code = "SHUTTING_DOWN";
}

export class Admission {
  #capacity;
  #admitted = 0;
  #closed = false;
  /** @type {(() => void) | null} */
  #drained = null;
  /** @type {Promise<void> | null} */
  #closing = null;

  /** @param {number} capacity how many requests may be admitted at once (running plus waiting) */
  constructor(capacity) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be an integer of at least 1; got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Requests admitted now, and the most there may be. */
  get stats() {
    return { admitted: this.#admitted, capacity: this.#capacity };
  }

  /**
   * Runs `fn` if a slot is free, else rejects at once (never waits: the wait is the module's, and bounded by this gate).
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  async run(fn) {
    if (this.#closed) throw new ShuttingDownError("the server is shutting down");
    if (this.#admitted >= this.#capacity) {
      throw new QueueFullError(`${this.#admitted} requests are already running or waiting (at most ${this.#capacity}); retry later`);
    }
    this.#admitted++;
    try {
      return await fn();
    } finally {
      this.#admitted--;
      if (this.#admitted === 0) this.#drained?.();
    }
  }

  /**
   * Admits nothing more, and resolves once every admitted request has finished (every call gets the same promise).
   * @returns {Promise<void>}
   */
  close() {
    this.#closed = true;
    this.#closing ??= this.#admitted === 0 ? Promise.resolve() : new Promise((resolve) => (this.#drained = resolve));
    return this.#closing;
  }
}
