/**
 * Reused memory for large request bodies (see ../reusable-memory.ts for why).
 * A fresh 600 KB buffer per request kept V8 collecting all the time: at one
 * client on the emulator, `--single-threaded-gc` alone gave 885 requests/s
 * against 507. Bodies lent from here are given back once their request is
 * done with them, so a steady stream of requests allocates nothing.
 */
import { ReusableMemory } from "../reusable-memory.js";
import type { Allocate } from "../reusable-memory.js";

/** Bodies smaller than this are allocated as before: they cost V8 little. */
export const POOLED_BODY_MIN_BYTES = 64 * 1024;
/**
 * Bodies larger than this are allocated as before too: they are rare, and malloc maps them and
 * gives them back to the system when freed (see cli/large-allocations.ts), which a pool holding
 * them would undo.
 */
export const POOLED_BODY_MAX_BYTES = 4 * 1024 * 1024;

/** Where readBody takes a body's memory from, and where the body is given back once done with. */
export interface BodyMemory {
  /** A buffer of `bytes` bytes, not zeroed. */
  take(bytes: number): Buffer;
  /** Gives back the memory under `body`; memory not lent from here is ignored. */
  give(body: Buffer | undefined | null): void;
}

export class BodyPool implements BodyMemory {
  readonly #memory: ReusableMemory;

  /**
   * @param maxIdleBytes the most memory held by idle bodies.
   * @param allocate where pooled bodies' memory comes from (default: ordinary memory). The
   * server passes the engine's pinned host memory: an input read into it reaches the GPU by
   * DMA, without the main thread's 0.14 ms copy of a 602 KB body (see runtime's allocatePinned).
   */
  constructor(maxIdleBytes: number, allocate?: Allocate) {
    // At most twice the size asked: a small body does not hold on to a large one's memory.
    this.#memory = new ReusableMemory({ maxIdleBytes, maxOversize: 2, ...(allocate ? { allocate } : {}) });
  }

  /** A buffer of `bytes` bytes, not zeroed (the caller fills every byte); lent when its size is between the two bounds. */
  take(bytes: number): Buffer {
    if (bytes < POOLED_BODY_MIN_BYTES || bytes > POOLED_BODY_MAX_BYTES) return Buffer.allocUnsafeSlow(bytes);
    return Buffer.from(this.#memory.take(bytes), 0, bytes);
  }

  /** Gives back the memory under `body` once nothing reads it; memory the pool did not lend, or has back already, is ignored. */
  give(body: Buffer | undefined | null): void {
    if (body) this.#memory.give(body.buffer as ArrayBuffer);
  }

  /** Takes back a body's memory that went to another thread and came back (see ReusableMemory.adopt). */
  adopt(memory: ArrayBuffer): void {
    // Memory outside the pooled sizes was never lent from a pool; kept idle, it would never be taken.
    if (memory.byteLength >= POOLED_BODY_MIN_BYTES && memory.byteLength <= 2 * POOLED_BODY_MAX_BYTES) this.#memory.adopt(memory);
  }

  /** Idle buffers held now, and their bytes (for tests). */
  get idle(): { readonly buffers: number; readonly bytes: number } {
    return this.#memory.idle;
  }
}
