/**
 * Reused host buffers for stacked batches. A batch of N rows of 600 KB
 * images is N × 600 KB of fresh memory per run; allocating it each time
 * (zero-filled, then overwritten) made V8 run full collections for the
 * external memory alone: on the emulator, with 600 KB requests at 32
 * clients, the collector's helper threads spent about 5x more CPU per
 * request with batching on than off. A batch's buffers are needed only until
 * its run has finished, so a model keeps a few and hands them out again.
 */
export class StackingBuffers {
  readonly #free: ArrayBuffer[] = [];

  /** @param keep the most idle buffers held (a model's runs in flight need one set each). */
  constructor(private readonly keep: number) {}

  /** A buffer of at least `bytes`, not zeroed: the smallest idle one that is large enough, else a new one. */
  take(bytes: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.#free.length; i++) {
      const size = this.#free[i]!.byteLength;
      if (size >= bytes && (best < 0 || size < this.#free[best]!.byteLength)) best = i;
    }
    if (best >= 0) return this.#free.splice(best, 1)[0]!;
    // allocUnsafeSlow: memory of its own (never Node's shared pool) and not zero-filled; every byte is written by the stacking.
    return Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;
  }

  /** Gives buffers back once nothing reads them; past `keep`, the smallest are dropped. */
  give(buffers: readonly ArrayBuffer[]): void {
    this.#free.push(...buffers);
    if (this.#free.length > this.keep) {
      this.#free.sort((a, b) => b.byteLength - a.byteLength);
      this.#free.length = this.keep;
    }
  }

  /** Idle buffers held now (for tests and statistics). */
  get idle(): number {
    return this.#free.length;
  }
}
