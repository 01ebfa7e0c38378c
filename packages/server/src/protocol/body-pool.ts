/**
 * Reused memory for large request bodies. A fresh 600 KB buffer per request
 * is external memory to V8, and external memory growing this fast makes V8
 * collect all the time: on the emulator, at 1 client with 602 KB requests,
 * a full mark-compact every 25 ms or so ("external memory pressure"), whose
 * helper threads cost more CPU per request than the main thread's own work,
 * and halved the requests per second (`--single-threaded-gc` gave 885/s
 * against 507/s). Bodies lent from here are given back once their request is
 * done with them, so a steady stream of requests allocates nothing.
 *
 * Only buffers lent by the pool can be given back, each once: a body not
 * given back (a route that does not, an error on the way) is simply left to
 * the garbage collector.
 */

/** Bodies smaller than this are allocated as before: they cost V8 little. */
export const POOLED_BODY_MIN_BYTES = 64 * 1024;
/**
 * Bodies larger than this are allocated as before too: they are rare, and malloc maps them and
 * gives them back to the system when freed (see cli/large-allocations.ts), which a pool holding
 * them would undo.
 */
export const POOLED_BODY_MAX_BYTES = 4 * 1024 * 1024;

export class BodyPool {
  readonly #free: ArrayBuffer[] = [];
  readonly #lent = new WeakSet<ArrayBuffer>();
  #idleBytes = 0;

  /** @param maxIdleBytes the most memory held by idle buffers; past it, given-back buffers are dropped. */
  constructor(private readonly maxIdleBytes: number) {}

  /**
   * A buffer of `bytes` bytes, not zeroed (the caller fills every byte). Those between the two bounds
   * come from an idle buffer of at least that size and at most twice it, else a new one; others are
   * always new.
   */
  take(bytes: number): Buffer {
    if (bytes < POOLED_BODY_MIN_BYTES || bytes > POOLED_BODY_MAX_BYTES) return Buffer.allocUnsafeSlow(bytes);
    let best = -1;
    for (let i = 0; i < this.#free.length; i++) {
      const size = this.#free[i]!.byteLength;
      if (size >= bytes && size <= 2 * bytes && (best < 0 || size < this.#free[best]!.byteLength)) best = i;
    }
    let memory: ArrayBuffer;
    if (best >= 0) {
      memory = this.#free.splice(best, 1)[0]!;
      this.#idleBytes -= memory.byteLength;
    } else {
      // allocUnsafeSlow: memory of its own, never a slice of Node's shared pool.
      memory = Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;
    }
    this.#lent.add(memory);
    return Buffer.from(memory, 0, bytes);
  }

  /**
   * Gives back the memory under `body` once nothing reads it any more. Memory the pool did not lend,
   * or already has back, is ignored, so a body can never be handed to two requests at once.
   */
  give(body: Buffer | undefined | null): void {
    if (!body) return;
    const memory = body.buffer as ArrayBuffer;
    if (!this.#lent.has(memory)) return;
    this.#lent.delete(memory);
    if (this.#idleBytes + memory.byteLength > this.maxIdleBytes) return;
    this.#free.push(memory);
    this.#idleBytes += memory.byteLength;
  }

  /** Idle buffers held now, and their bytes (for tests). */
  get idle(): { readonly buffers: number; readonly bytes: number } {
    return { buffers: this.#free.length, bytes: this.#idleBytes };
  }
}
