// Profiler and output-allocator hooks: TensorRT calls them during enqueueV3 on
// the JS thread (host mode), so they run synchronously inside execute().
import { describe, expect, it } from "vitest";

import { packInputShapes } from "../src/index.js";
import type { OutputAllocatorHooks } from "../src/index.js";
import { backendFor, MAJORS, plan, thrown } from "./helpers.js";

describe.each(MAJORS)("TensorRT %i emulator: hooks", (major) => {
  const backend = backendFor(major);
  const { memory } = backend;

  async function busywait() {
    const engine = await backend.deserialize(plan("busywait"));
    const context = engine.createContext("static");
    const x = memory.alloc(16);
    const y = memory.alloc(16);
    const request = { inputShapes: packInputShapes([[4]]), addresses: new Float64Array([x, y]), stream: 0 };
    return { engine, context, request };
  }

  it("reports every layer's time during execute()", async () => {
    const { context, request } = await busywait();
    const reports: [string, number][] = [];
    context.setProfiler((layer, ms) => reports.push([layer, ms]));
    context.execute(request);
    // Synchronous: already there when execute() returns.
    expect(reports.map(([l]) => l)).toEqual(["wait_200us", "wait_500us", "wait_1000us"]);
    expect(reports[0]?.[1]).toBeGreaterThanOrEqual(0.15);
    expect(reports[2]?.[1]).toBeGreaterThanOrEqual(0.9);
    context.execute(request);
    expect(reports).toHaveLength(6);
    context.setProfiler(null);
    context.execute(request);
    expect(reports).toHaveLength(6);
  });

  it("holds the times for reportToProfiler() when enqueue does not emit", async () => {
    const { context, request } = await busywait();
    const layers: string[] = [];
    context.setProfiler((layer) => layers.push(layer), false);
    context.execute(request);
    expect(layers).toEqual([]);
    context.reportToProfiler();
    expect(layers).toEqual(["wait_200us", "wait_500us", "wait_1000us"]);
    // Nothing left to report: TensorRT says so, and so does the error.
    expect(thrown(() => context.reportToProfiler())).toMatchObject({ code: "TRT_TENSORRT_ERROR", method: "IExecutionContext::reportToProfiler" });
  });

  it("rethrows a profiler hook's exception from execute()", async () => {
    const { context, request } = await busywait();
    let calls = 0;
    const boom = new RangeError("hook failed");
    context.setProfiler(() => {
      calls++;
      throw boom;
    });
    expect(thrown(() => context.execute(request))).toBe(boom);
    expect(calls).toBe(1); // later reports of that call are skipped
    context.setProfiler(() => {});
    context.execute(request); // and the context goes on working
  });

  async function nonzero() {
    const engine = await backend.deserialize(plan("nonzero"));
    const context = engine.createContext("static");
    return { engine, context };
  }

  it("serves a data-dependent output through the output allocator", async () => {
    const { engine, context } = await nonzero();
    expect(engine.info.io.map((t) => t.name)).toEqual(["x", "indices", "copy"]);
    const inputShapes = packInputShapes([[2, 5]]);
    expect(context.inferOutputShapes(inputShapes)).toEqual([[2, -1], [2, 5]]);

    const xData = Int32Array.from([0, 3, 0, 0, 7, 1, 0, 0, 0, 2]);
    const x = memory.alloc(xData.byteLength);
    memory.copyHostToDevice(x, xData);
    const copy = memory.alloc(xData.byteLength);
    const calls: unknown[][] = [];
    let buffer = 0;
    let shape: readonly number[] = [];
    const hooks: OutputAllocatorHooks = {
      reallocate(name, current, bytes, alignment, stream) {
        calls.push([name, current, bytes, alignment, stream]);
        buffer = memory.alloc(bytes, stream);
        return buffer;
      },
      notifyShape(name, dims) {
        expect(name).toBe("indices");
        shape = dims;
      },
    };
    context.setOutputAllocator("indices", hooks);
    context.execute({ inputShapes, addresses: new Float64Array([x, 0, copy]), stream: 0 });
    expect(calls).toEqual([["indices", 0, 4 * 2 * 8, expect.any(Number), 0]]);
    expect(shape).toEqual([2, 4]);
    const indices = new BigInt64Array(8);
    memory.copyDeviceToHost(indices, buffer);
    expect(Array.from(indices)).toEqual([0n, 0n, 1n, 1n, 1n, 4n, 0n, 4n]);
    memory.free(buffer);
  });

  it("fails execute() when reallocate refuses, and rethrows a hook's exception", async () => {
    const { context } = await nonzero();
    const xData = new Int32Array(5).fill(1);
    const x = memory.alloc(xData.byteLength);
    memory.copyHostToDevice(x, xData);
    const copy = memory.alloc(xData.byteLength);
    const request = { inputShapes: packInputShapes([[1, 5]]), addresses: new Float64Array([x, 0, copy]), stream: 0 };

    context.setOutputAllocator("indices", { reallocate: () => 0, notifyShape: () => {} });
    expect(thrown(() => context.execute(request))).toMatchObject({ code: "TRT_TENSORRT_ERROR", method: "IExecutionContext::enqueueV3" });

    context.setOutputAllocator("indices", { reallocate: () => -5, notifyShape: () => {} });
    expect(thrown(() => context.execute(request))).toMatchObject({
      code: "TRT_INPUT_ERROR",
      problem: "device",
      tensor: "indices",
      found: "-5",
      message: expect.stringMatching(/reallocate\(\) for 'indices': expected an address/),
    });

    const boom = new Error("allocator exploded");
    context.setOutputAllocator("indices", {
      reallocate: () => {
        throw boom;
      },
      notifyShape: () => {},
    });
    expect(thrown(() => context.execute(request))).toBe(boom);

    // Removing the allocator: the output needs an address again.
    context.setOutputAllocator("indices", null);
    expect(thrown(() => context.execute(request))).toMatchObject({ code: "TRT_INPUT_ERROR" });
  });

  it("lets a hook replace itself while TensorRT is calling it", async () => {
    const { context, request } = await busywait();
    const seen: string[] = [];
    const second = (layer: string) => seen.push(`second:${layer}`);
    context.setProfiler((layer) => {
      seen.push(`first:${layer}`);
      context.setProfiler(second);
    });
    context.execute(request);
    context.execute(request);
    expect(seen[0]).toBe("first:wait_200us");
    expect(seen.slice(-3)).toEqual(["second:wait_200us", "second:wait_500us", "second:wait_1000us"]);
  });
});
