/**
 * Byte ranges of one block of memory, lent and given back in any order: an
 * intake thread reads request bodies into a SharedArrayBuffer that the main
 * thread sees too (and that the GPU reads by DMA once it is pinned), so a body
 * crosses threads as an offset, neither copied nor transferred.
 *
 * First fit over free ranges kept sorted and merged with their neighbours when
 * given back. Bodies in flight number in the tens to hundreds, so the linear
 * scans cost less than the bookkeeping a faster structure would need.
 */

/** Where every range starts: a multiple of this, so typed arrays over it are aligned. */
export const ARENA_ALIGNMENT = 64;

interface Range {
  start: number;
  size: number;
}

export class Arena {
  /** Free ranges, sorted by start, never adjacent (merged). */
  readonly #free: Range[];
  /** Lent ranges: start -> size. */
  readonly #lent = new Map<number, number>();

  constructor(readonly size: number) {
    if (!Number.isSafeInteger(size) || size < ARENA_ALIGNMENT) throw new RangeError(`an arena needs at least ${ARENA_ALIGNMENT} bytes; got ${size}`);
    this.#free = [{ start: 0, size: size - (size % ARENA_ALIGNMENT) }];
  }

  /** The start of a free range of at least `bytes`, now lent; null when none is large enough. */
  take(bytes: number): number | null {
    const need = Math.max(ARENA_ALIGNMENT, Math.ceil(bytes / ARENA_ALIGNMENT) * ARENA_ALIGNMENT);
    const index = this.#free.findIndex((range) => range.size >= need);
    if (index < 0) return null;
    const range = this.#free[index]!;
    const start = range.start;
    if (range.size === need) this.#free.splice(index, 1);
    else {
      range.start += need;
      range.size -= need;
    }
    this.#lent.set(start, need);
    return start;
  }

  /** The start of the lent range that holds `offset`, or null (not lent from here). */
  owner(offset: number): number | null {
    for (const [start, size] of this.#lent) if (offset >= start && offset < start + size) return start;
    return null;
  }

  /** Gives back the range lent at `start`; a start not lent (or given back already) is ignored. */
  give(start: number): void {
    const size = this.#lent.get(start);
    if (size === undefined) return;
    this.#lent.delete(start);
    let index = this.#free.findIndex((range) => range.start > start);
    if (index < 0) index = this.#free.length;
    const before = this.#free[index - 1];
    const after = this.#free[index];
    if (before && before.start + before.size === start) {
      before.size += size;
      if (after && before.start + before.size === after.start) {
        before.size += after.size;
        this.#free.splice(index, 1);
      }
    } else if (after && start + size === after.start) {
      after.start = start;
      after.size += size;
    } else {
      this.#free.splice(index, 0, { start, size });
    }
  }

  /** Bytes lent now, and the free ranges (for tests and diagnostics). */
  get usage(): { readonly lentBytes: number; readonly freeRanges: number } {
    let lentBytes = 0;
    for (const size of this.#lent.values()) lentBytes += size;
    return { lentBytes, freeRanges: this.#free.length };
  }
}
