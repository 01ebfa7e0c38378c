/**
 * No leaks over 10^4 runs per engine implementation: the device pool's live
 * allocations and bytes, and the host layer's native allocations (which
 * include the ffi engine's own buffers) come back exactly to where they were;
 * the JS heap and the process RSS stay flat. Covers host inputs, device
 * inputs, and data-dependent outputs.
 *
 * RSS is measured after letting the event loop turn: Node runs the
 * finalizers of native-backed ArrayBuffers (koffi views) from the loop, and
 * on the host device a run never waits on it, so until then their memory
 * looks like a leak. RSS also grows in occasional steps of ~16 MiB (malloc
 * arenas, V8 spaces) that do not repeat, hence the slack; the exact counts
 * and the heap are the sharp checks.
 */
import { describe, expect, it } from "vitest";
import { nativeMemoryStats } from "../src/device/native-memory.js";
import type { EngineImplementation } from "../src/engine/contract.js";
import { TensorRTModule } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { Tensor } from "../src/tensor/tensor.js";
import { environmentFor, IMPLEMENTATIONS, plan } from "./support/runtime.js";

const RUNS = 10_000;
/** See the module comment: one allocator step fits, a leak of 2.4 KiB or more a run does not. */
const RSS_SLACK = 24 * 1024 * 1024;
/** 100 bytes of JS a run would exceed this. */
const HEAP_SLACK = 1024 * 1024;

/** Collects, and lets the event loop run the finalizers Node defers to it. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe.each(IMPLEMENTATIONS)("10^4 runs on the %s engine", (impl: EngineImplementation) => {
  // 12 000 runs and a few collections: about 0.7 s alone; the bound is for two busy cores.
  it("leave pool, native memory and RSS flat", async () => {
    const environment = environmentFor(10);
    const identity = await withRuntime(impl, () => TensorRTModule.fromEngine(plan("identity_f32"), { environment }));
    const nonzero = await withRuntime(impl, () => TensorRTModule.fromEngine(plan("nonzero"), { environment }));
    const pool = identity.device.pool;
    const host = { x: { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] } };
    const onDevice = Tensor.fromArray(new Float32Array(6), [2, 3], { device: identity.device });
    const ints = { x: { data: new Int32Array([0, 1, 0, 2, 0, 3, 0, 0, 4, 0]), shape: [2, 5] } };

    const batch = async (n: number) => {
      await withRuntime(impl, async () => {
        for (let i = 0; i < n; i++) {
          const kind = i % 10;
          if (kind < 6) {
            using r = await identity.run(host);
            if (i % 1000 === 0) expect((await r.outputs.y!.toArray())[5]).toBe(6);
          } else if (kind < 8) {
            using _r = identity.runSync({ x: onDevice });
          } else {
            using r = await nonzero.run(ints);
            if (i % 1000 === 8) expect(r.outputs.indices!.shape).toEqual([2, 4]);
          }
        }
      });
    };

    await batch(2_000); // warm up: JIT, shape caches, contexts
    await settle();
    const pool0 = pool.stats();
    const native0 = nativeMemoryStats();
    const { rss: rss0, heapUsed: heap0 } = process.memoryUsage();
    const started = performance.now();
    await batch(RUNS);
    const elapsed = performance.now() - started;
    await settle();
    const pool1 = pool.stats();
    const native1 = nativeMemoryStats();
    const { rss: rss1, heapUsed: heap1 } = process.memoryUsage();
    console.log(
      `[leak ${impl}] ${RUNS} runs in ${elapsed.toFixed(0)} ms (${((elapsed * 1000) / RUNS).toFixed(1)} us/run); ` +
        `pool live ${pool0.liveAllocations} -> ${pool1.liveAllocations}, native live ${native0.liveAllocations} -> ${native1.liveAllocations}, ` +
        `heap ${(heap0 / 2 ** 20).toFixed(2)} -> ${(heap1 / 2 ** 20).toFixed(2)} MiB, RSS ${(rss0 / 2 ** 20).toFixed(1)} -> ${(rss1 / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(pool1.allocations - pool0.allocations).toBeGreaterThanOrEqual(RUNS);
    expect(pool1.liveAllocations).toBe(pool0.liveAllocations);
    expect(pool1.liveBytes).toBe(pool0.liveBytes);
    expect(pool1.finalizerFrees).toBe(pool0.finalizerFrees); // everything was disposed, not collected
    expect(native1).toEqual(native0);
    expect(heap1 - heap0).toBeLessThan(HEAP_SLACK);
    expect(rss1 - rss0).toBeLessThan(RSS_SLACK);
    expect(identity.stats.contextsCreated).toBe(1);

    onDevice.dispose();
    identity.release();
    nonzero.release();
  }, 60_000);
});
