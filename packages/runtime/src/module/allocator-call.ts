/**
 * Outputs whose size depends on the data go through TensorRT's output
 * allocator: during execution it asks for memory (reallocate) and then
 * reports the real shape (notifyShape). Each run gets its own record of
 * those answers, so a run awaiting its stream cannot see the next run's.
 * The hooks are installed once per context and write into whichever record
 * is current.
 */
import type { OutputAllocatorHooks } from "../engine/contract.js";
import type { MemoryPool } from "../memory/pool.js";
import type { ReusedLane } from "./reused-outputs.js";

/** Memory and shapes the allocator handed out in one run, by output name. */
export class AllocatorCall {
  /** Memory allocated for this run (owned outputs only: reused buffers belong to the module). */
  readonly memory = new Map<string, { address: number; bytes: number }>();
  readonly shapes = new Map<string, readonly number[]>();

  /** @param reused the lane's module-owned buffers, when the module reuses output memory; else null. */
  constructor(readonly reused: ReusedLane | null = null) {}

  /** Gives back all memory of this run (when the run failed before its outputs became tensors). */
  free(pool: MemoryPool, stream: number): void {
    for (const { address } of this.memory.values()) pool.free(address, stream);
    this.memory.clear();
  }
}

/** Where the hooks write: the run being executed, else the last one (late callbacks). */
export interface AllocatorTarget {
  current: AllocatorCall | null;
  last: AllocatorCall | null;
}

/** Hooks that serve every data-dependent output of a context from `pool`, recording into `target`. */
export function allocatorHooks(pool: MemoryPool, target: AllocatorTarget): OutputAllocatorHooks {
  return {
    reallocate(name, _current, bytes, alignment, stream) {
      const call = target.current ?? target.last;
      if (!call) return 0;
      if (call.reused) {
        const address = call.reused.ensure(name, bytes);
        return alignment > 0 && address % alignment !== 0 ? 0 : address;
      }
      const held = call.memory.get(name);
      if (held && held.bytes >= bytes) return held.address;
      const address = pool.alloc(bytes, stream);
      // Pool memory is at least 256-byte aligned; refuse rather than hand TensorRT memory it cannot use.
      if (alignment > 0 && address % alignment !== 0) {
        pool.free(address, stream);
        return 0;
      }
      if (held) pool.free(held.address, stream);
      call.memory.set(name, { address, bytes: Math.max(1, bytes) });
      return address;
    },
    notifyShape(name, dims) {
      const call = target.current ?? target.last;
      call?.shapes.set(name, Object.freeze([...dims]));
    },
  };
}
