/**
 * The pool's spare blocks: a freed block goes back to the next allocation of
 * the same size on the same stream without a device-layer call, never to
 * another stream, never from the default stream, and within its bounds.
 */
import { describe, expect, it } from "vitest";
import { HostDevice } from "../src/device/index.js";
import { MemoryPool } from "../src/memory/pool.js";
import { SPARE_MAX_BLOCK_BYTES, SPARE_PER_SIZE, SpareBlocks } from "../src/memory/spare-blocks.js";

/** A pool over the host stand-in, counting the layer's own alloc and free calls. */
function countingPool() {
  const layer = new HostDevice();
  const calls = { alloc: 0, free: 0 };
  const alloc = layer.alloc.bind(layer);
  const free = layer.free.bind(layer);
  layer.alloc = (bytes, stream) => (calls.alloc++, alloc(bytes, stream));
  layer.free = (address, stream) => (calls.free++, free(address, stream));
  const s1 = layer.createStream();
  const s2 = layer.createStream();
  return { pool: new MemoryPool(layer), calls, s1, s2 };
}

describe("MemoryPool spare blocks", () => {
  it("an alloc/free loop on one stream reaches the device layer once", () => {
    const { pool, calls, s1 } = countingPool();
    const first = pool.alloc(96, s1);
    pool.free(first, s1);
    for (let i = 0; i < 100; i++) {
      const a = pool.alloc(96, s1);
      expect(a).toBe(first);
      pool.free(a, s1);
    }
    expect(calls).toEqual({ alloc: 1, free: 0 });
    // Logically freed: the pool's counters do not see kept blocks.
    expect(pool.stats()).toMatchObject({ liveAllocations: 0, liveBytes: 0, allocations: 101, frees: 101 });
    expect(pool.spareBytes).toBe(96);
    pool.trim();
    expect(calls.free).toBe(1);
    expect(pool.spareBytes).toBe(0);
  });

  it("never hands a block to another stream, another size, or from the default stream", () => {
    const { pool, calls, s1, s2 } = countingPool();
    const a = pool.alloc(64, s1);
    pool.free(a, s1);
    expect(pool.alloc(64, s2)).not.toBe(a);
    expect(pool.alloc(128, s1)).not.toBe(a);
    const d = pool.alloc(64, 0);
    pool.free(d, 0);
    expect(calls.free).toBe(1);
    expect(pool.alloc(64, s1)).toBe(a);
  });

  it("keeps a few blocks per size and no big ones", () => {
    const spare = new SpareBlocks();
    for (let i = 0; i < SPARE_PER_SIZE; i++) expect(spare.keep(1000 + i, 256, 7)).toBe(true);
    expect(spare.keep(2000, 256, 7)).toBe(false);
    expect(spare.keep(3000, SPARE_MAX_BLOCK_BYTES + 1, 7)).toBe(false);
    expect(spare.bytes).toBe(256 * SPARE_PER_SIZE);
    const freed: number[] = [];
    spare.drain((address) => freed.push(address));
    expect(freed.sort()).toEqual([1000, 1001, 1002, 1003].slice(0, SPARE_PER_SIZE));
    expect(spare.take(256, 7)).toBeUndefined();
  });
});
