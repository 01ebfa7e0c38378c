/**
 * Host memory handed out again instead of allocated anew. Memory that grows
 * as fast as a server's request bodies and stacked batches do makes V8
 * collect for "external memory pressure" all the time (on the emulator, a
 * full mark-compact every 25 ms at one client with 602 KB requests, on
 * helper threads that cost more CPU per request than the server's own work);
 * memory given back and lent again allocates nothing. Request bodies
 * (protocol/body-pool.ts) and stacked batches (inference/scheduler.ts) use it.
 *
 * Only memory lent from here can be given back, each time once, so one
 * buffer is never lent twice at once; memory never given back is simply left
 * to the garbage collector.
 */

/** Where new memory comes from: `bytes` bytes or more, not necessarily zeroed. */
export type Allocate = (bytes: number) => ArrayBuffer;

/**
 * Memory of its own (never a slice of Node's shared pool), not zero-filled: the borrower
 * writes every byte it reads.
 */
export const ordinaryMemory: Allocate = (bytes) => Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;

export interface ReusableMemoryBounds {
  /** The most idle buffers kept (default: no bound). */
  readonly maxIdleBuffers?: number;
  /** The most idle bytes kept (default: no bound). */
  readonly maxIdleBytes?: number;
  /** An idle buffer is lent for a request of `bytes` only up to `maxOversize` × `bytes` (default: any size). */
  readonly maxOversize?: number;
  /** Where new memory comes from (default: {@link ordinaryMemory}); the engine's pinned host memory, for instance. */
  readonly allocate?: Allocate;
}

export class ReusableMemory {
  readonly #free: ArrayBuffer[] = [];
  readonly #lent = new WeakSet<ArrayBuffer>();
  #idleBytes = 0;

  constructor(private readonly bounds: ReusableMemoryBounds = {}) {}

  /** At least `bytes`, not zeroed: the smallest idle buffer that fits within the bounds, else a new one. */
  take(bytes: number): ArrayBuffer {
    const largest = bytes * (this.bounds.maxOversize ?? Infinity);
    let best = -1;
    for (let i = 0; i < this.#free.length; i++) {
      const size = this.#free[i]!.byteLength;
      if (size >= bytes && size <= largest && (best < 0 || size < this.#free[best]!.byteLength)) best = i;
    }
    let memory: ArrayBuffer;
    if (best >= 0) {
      memory = this.#free.splice(best, 1)[0]!;
      this.#idleBytes -= memory.byteLength;
    } else {
      memory = (this.bounds.allocate ?? ordinaryMemory)(bytes);
    }
    this.#lent.add(memory);
    return memory;
  }

  /** Gives back memory nothing reads any more. Memory not lent from here, or already back, is ignored; past the bounds, the smallest idle buffers are dropped. */
  give(memory: ArrayBuffer): void {
    if (!this.#lent.has(memory)) return;
    this.#lent.delete(memory);
    this.#free.push(memory);
    this.#idleBytes += memory.byteLength;
    const { maxIdleBuffers = Infinity, maxIdleBytes = Infinity } = this.bounds;
    if (this.#free.length <= maxIdleBuffers && this.#idleBytes <= maxIdleBytes) return;
    this.#free.sort((a, b) => b.byteLength - a.byteLength);
    while (this.#free.length > maxIdleBuffers || this.#idleBytes > maxIdleBytes) this.#idleBytes -= this.#free.pop()!.byteLength;
  }

  /**
   * Takes in memory that was lent from here, transferred to another thread and transferred back: a
   * new ArrayBuffer object over the same memory, which only this side now holds.
   */
  adopt(memory: ArrayBuffer): void {
    this.#lent.add(memory);
    this.give(memory);
  }

  /** Idle buffers held now, and their bytes. */
  get idle(): { readonly buffers: number; readonly bytes: number } {
    return { buffers: this.#free.length, bytes: this.#idleBytes };
  }
}
