/**
 * Copies an input's host data to its device memory, ordered on the run's
 * stream: one array, or the parts of a `{ parts, shape }` input, each to its
 * offset. Parts are not joined on the host first: from pinned memory every
 * part is DMA after the call returns, so a batch gathered from several
 * requests costs the calling thread one copy call per part, not a copy of
 * every byte.
 */
import type { MemoryPool } from "../memory/pool.js";
import type { HostArray } from "../tensor/host-array.js";

/** The bytes of an input's host data, all parts together. */
export function hostBytes(parts: readonly HostArray[]): number {
  let bytes = 0;
  for (const part of parts) bytes += part.byteLength;
  return bytes;
}

/** Copies `parts` one after another to `address`, on `stream`. */
export function copyHostInput(pool: MemoryPool, address: number, parts: readonly HostArray[], stream: number): void {
  let offset = 0;
  for (const part of parts) {
    if (part.byteLength > 0) pool.copyIn(address + offset, part, stream);
    offset += part.byteLength;
  }
}
