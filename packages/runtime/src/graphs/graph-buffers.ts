/**
 * The device memory a captured graph reads and writes. A graph bakes in the
 * addresses it was captured with, so it cannot read the user's input tensors
 * (new ones every run) or write into fresh output allocations; it works on
 * buffers that belong to it, and each run copies inputs in and results out.
 * Tensors handed to the user therefore never point into graph memory, and
 * the next replay cannot overwrite an output the user still holds.
 *
 * Buffers only grow: a buffer is replaced when a shape needs more than it
 * holds, never when it needs less, because a new address forces a new
 * capture. They are freed in stream order when the graph runner is released.
 */
import type { MemoryPool } from "../memory/pool.js";

/** Grow-only device buffers, one per slot. */
export class GraphBuffers {
  private readonly addresses: Float64Array;
  private readonly capacities: Float64Array;
  private replaced = 0;

  constructor(
    private readonly pool: MemoryPool,
    private readonly stream: number,
    slots: number,
  ) {
    this.addresses = new Float64Array(slots);
    this.capacities = new Float64Array(slots);
  }

  /** The address of `slot`, holding at least `bytes` (replaced by a larger buffer when it held less). */
  ensure(slot: number, bytes: number): number {
    if (this.addresses[slot] !== 0 && this.capacities[slot]! >= bytes) return this.addresses[slot]!;
    if (this.addresses[slot] !== 0) {
      this.pool.free(this.addresses[slot]!, this.stream);
      this.replaced++;
    }
    // The pool gives zero-byte requests a real (one-byte) allocation, so every slot has a distinct address.
    const address = this.pool.alloc(bytes, this.stream);
    this.addresses[slot] = address;
    this.capacities[slot] = bytes;
    return address;
  }

  /**
   * How many buffers were replaced by larger ones so far. Graphs captured
   * before a replacement may point at freed memory, even when their own key
   * (which holds I/O addresses, not scratch) still matches.
   */
  get generation(): number {
    return this.replaced;
  }

  /** The current address of `slot` (0 before its first ensure). */
  address(slot: number): number {
    return this.addresses[slot]!;
  }

  /** Frees every buffer after the work queued on the stream. Idempotent. */
  release(): void {
    if (this.addresses.some((a) => a !== 0)) this.replaced++;
    for (let slot = 0; slot < this.addresses.length; slot++) {
      if (this.addresses[slot] !== 0) this.pool.free(this.addresses[slot]!, this.stream);
      this.addresses[slot] = 0;
      this.capacities[slot] = 0;
    }
  }
}
