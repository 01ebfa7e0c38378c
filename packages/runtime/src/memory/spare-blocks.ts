/**
 * Freed device blocks kept for the next allocation of the same size on the
 * same stream. A steady inference loop allocates and frees the same output
 * sizes every call; handing a block straight back saves the two device-layer
 * calls (cudaMallocAsync and cudaFreeAsync, each an FFI call) per output per
 * call. Reuse is limited to the stream the block was freed on: work on that
 * stream is ordered after the work that used the block, which is exactly the
 * guarantee a stream-ordered free gives. Streams (not the default stream,
 * which belongs to no module) are pooled and never destroyed by the runtime,
 * so a kept block's stream stays valid.
 *
 * Bounded so that memory a burst freed goes back to the device: small blocks
 * only, a few per size and stream, and a cap on the total.
 */

/** Largest block kept (bigger ones are rare per call and worth returning). */
export const SPARE_MAX_BLOCK_BYTES = 4 << 20;
/** Blocks kept per (stream, size). */
export const SPARE_PER_SIZE = 4;
/** Bytes kept in all. */
export const SPARE_MAX_TOTAL_BYTES = 32 << 20;

/** The blocks of one pool, by stream, then size. */
export class SpareBlocks {
  private readonly byStream = new Map<number, Map<number, number[]>>();
  private total = 0;

  /** Bytes held now. */
  get bytes(): number {
    return this.total;
  }

  /** A kept block of exactly `size` bytes freed on `stream`, or undefined. */
  take(size: number, stream: number): number | undefined {
    const list = this.byStream.get(stream)?.get(size);
    const address = list?.pop();
    if (address !== undefined) this.total -= size;
    return address;
  }

  /** Keeps a block freed on `stream` when the bounds allow; false when the caller should free it. */
  keep(address: number, size: number, stream: number): boolean {
    if (stream === 0 || size > SPARE_MAX_BLOCK_BYTES || this.total + size > SPARE_MAX_TOTAL_BYTES) return false;
    let sizes = this.byStream.get(stream);
    if (!sizes) this.byStream.set(stream, (sizes = new Map()));
    let list = sizes.get(size);
    if (!list) sizes.set(size, (list = []));
    if (list.length >= SPARE_PER_SIZE) return false;
    list.push(address);
    this.total += size;
    return true;
  }

  /** Hands every kept block to `free` and forgets them. */
  drain(free: (address: number, stream: number) => void): void {
    for (const [stream, sizes] of this.byStream) {
      for (const list of sizes.values()) for (const address of list) free(address, stream);
    }
    this.byStream.clear();
    this.total = 0;
  }
}
