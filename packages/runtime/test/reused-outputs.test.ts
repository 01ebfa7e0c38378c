/**
 * outputMemory "reused" (src/module/reused-outputs.ts) on each engine
 * implementation: outputs in module-owned buffers per lane and output, grown
 * for bigger shapes and kept for smaller ones; tensors of earlier runs refuse
 * to be read; concurrent runs never share a buffer; release frees the buffers.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import { StaleTensorError } from "../src/errors/index.js";
import { TensorRTModule } from "../src/module/module.js";
import type { ModuleOptions } from "../src/module/module.js";
import type { RunResult } from "../src/module/result.js";
import { withRuntime } from "../src/selection/scope.js";
import { Tensor } from "../src/tensor/tensor.js";
import type { HostInput } from "../src/validation/inputs.js";
import { environmentFor, IMPLEMENTATIONS, inputData, plan, values } from "./support/runtime.js";

const addInputs = (batch: number, seed: number): { a: HostInput; b: HostInput } => ({
  a: { data: inputData("float32", [batch, 4], seed), shape: [batch, 4] },
  b: { data: inputData("float32", [batch, 4], seed + 1), shape: [batch, 4] },
});

/** a + b as float32, as the engine computes it. */
const expectedSum = (inputs: { a: HostInput; b: HostInput }): number[] =>
  Array.from(Float32Array.from(inputs.a.data as Float32Array, (v, i) => v + (inputs.b.data as Float32Array)[i]!));

/** NonZero of a [rows, 5] int32 tensor: row indices, then column indices. */
const expectedNonzero = (data: Int32Array): number[] => {
  const rows: number[] = [];
  const cols: number[] = [];
  data.forEach((v, i) => {
    if (v !== 0) {
      rows.push(Math.floor(i / 5));
      cols.push(i % 5);
    }
  });
  return [...rows, ...cols];
};

describe.each(IMPLEMENTATIONS)("reused outputs on the %s engine", (impl: EngineImplementation) => {
  const environment = environmentFor(10);
  const modules: TensorRTModule[] = [];
  const make = (name: string, options: ModuleOptions = {}) =>
    withRuntime(impl, async () => {
      const m = await TensorRTModule.fromEngine(plan(name), { environment, outputMemory: "reused", ...options });
      modules.push(m);
      return m;
    });
  const run = (m: TensorRTModule, inputs: Parameters<TensorRTModule["run"]>[0]) => withRuntime(impl, () => m.run(inputs));
  afterAll(() => modules.forEach((m) => m.release()));

  it("add_dynamic: right values over many runs with changing shapes, on both profiles, run and runSync", async () => {
    const m = await make("add_dynamic");
    expect(m.outputMemory).toBe("reused");
    const batches = [8, 3, 1, 8, 5, 16, 40, 17, 64, 2, 33, 7];
    for (const [i, batch] of batches.entries()) {
      const inputs = addInputs(batch, 10 * i);
      const r = i % 2 ? withRuntime(impl, () => m.runSync(inputs)) : await run(m, inputs);
      const sum = r.get("sum");
      expect(sum.shape).toEqual([batch, 4]);
      expect(Array.from(await sum.as("float").toArray())).toEqual(expectedSum(inputs));
    }
    // One buffer (one output, one lane), as large as the largest run needed (64 x 4 floats).
    expect(m.stats).toMatchObject({ reusedOutputBuffers: 1, reusedOutputBytes: 64 * 4 * 4, runs: batches.length });
  });

  it("keeps the buffer when shapes shrink, grows it for a bigger one, and allocates nothing in a steady loop", async () => {
    const m = await make("add_dynamic");
    const pool = m.device.pool;
    const onDevice = (batch: number) => {
      const inputs = addInputs(batch, batch);
      return { a: Tensor.fromArray(inputs.a.data, inputs.a.shape, { device: m.device }), b: Tensor.fromArray(inputs.b.data, inputs.b.shape, { device: m.device }) };
    };
    const [big, small, tiny] = [onDevice(8), onDevice(3), onDevice(1)];
    const first = (await run(m, big)).get("sum").address;
    const allocations = pool.stats().allocations;
    for (const inputs of [small, tiny, big, small, big]) {
      const r = await run(m, inputs);
      expect(r.get("sum").address).toBe(first);
      expect(r.get("sum").shape).toEqual(inputs.a.shape);
      r.dispose();
    }
    // Device inputs and reused outputs: five runs, not one allocation.
    expect(pool.stats().allocations).toBe(allocations);
    expect(m.stats.reusedOutputBytes).toBe(8 * 16);
    // A bigger shape grows the buffer (once), and later smaller runs keep the grown one.
    const grown = onDevice(20);
    const g = (await run(m, grown)).get("sum");
    expect(m.stats.reusedOutputBytes).toBe(20 * 16);
    expect(Array.from(await g.as("float").toArray())).toEqual(expectedSum(addInputs(20, 20)));
    const after = (await run(m, small)).get("sum");
    expect(after.address).toBe(g.address);
    expect(m.stats).toMatchObject({ reusedOutputBuffers: 1, reusedOutputBytes: 20 * 16 });
    for (const t of [big, small, tiny, grown]) {
      t.a.dispose();
      t.b.dispose();
    }
  });

  it("a tensor of an earlier run throws StaleTensorError; disposing it frees no module memory", async () => {
    const m = await make("add_dynamic");
    const pool = m.device.pool;
    const old = await run(m, addInputs(4, 1));
    const kept = await old.get("sum").copyTo(m.device);
    const fresh = await run(m, addInputs(4, 2));
    const stale = old.get("sum");
    expect(() => stale.toArraySync()).toThrow(StaleTensorError);
    await expect(stale.toArray()).rejects.toMatchObject({ code: "STALE_TENSOR", output: "sum" });
    expect(() => stale.copyToSync("cpu")).toThrow(/a later run has reused/);
    // The current run's tensor reads fine, and a copy taken in time kept the old values.
    expect(Array.from(await fresh.get("sum").as("float").toArray())).toEqual(expectedSum(addInputs(4, 2)));
    expect(Array.from(await kept.as("float").toArray())).toEqual(expectedSum(addInputs(4, 1)));
    expect(kept.address).not.toBe(stale.address);
    kept.dispose();
    // Disposing tensors of reused memory gives nothing back to the pool: the module keeps its buffer.
    const live = pool.stats().liveBytes;
    old.dispose();
    fresh.dispose();
    expect(pool.stats().liveBytes).toBe(live);
    expect(m.stats.reusedOutputBytes).toBe(4 * 16);
    const next = await run(m, addInputs(4, 3));
    expect(Array.from(await next.get("sum").as("float").toArray())).toEqual(expectedSum(addInputs(4, 3)));
  });

  it("an output fed back in as an input of the next run is read before the run rewrites it", async () => {
    const m = await make("add_dynamic");
    const inputs = addInputs(6, 7);
    const r = await run(m, inputs);
    const sum = r.get("sum");
    const doubled = await run(m, { a: sum, b: sum });
    expect(Array.from(await doubled.get("sum").as("float").toArray())).toEqual(expectedSum(inputs).map((v) => Math.fround(v + v)));
    expect(doubled.get("sum").address).toBe(sum.address);
  });

  it("nonzero: data-dependent outputs through the output allocator, reused and grown", async () => {
    const m = await make("nonzero");
    const owned = await withRuntime(impl, () => TensorRTModule.fromEngine(plan("nonzero"), { environment }));
    modules.push(owned);
    const patterns = [16, 3, 9, 1, 12, 16, 2].map((rows, i) =>
      Int32Array.from({ length: rows * 5 }, (_, k) => ((k * 7 + i) % (2 + (i % 3)) === 0 ? k + 1 : 0)),
    );
    let largestAddress = 0;
    for (const [i, data] of patterns.entries()) {
      const inputs = { x: { data, shape: [data.length / 5, 5] } };
      const r = await run(m, inputs);
      using reference = await run(owned, inputs);
      const indices = r.get("indices");
      const nonzeros = expectedNonzero(data).length / 2;
      expect(indices.shape).toEqual([2, nonzeros]);
      expect(values(await indices.toArray())).toEqual(expectedNonzero(data));
      expect(values(await indices.toArray())).toEqual(values(await reference.get("indices").toArray()));
      expect(values(await r.get("copy").toArray())).toEqual(Array.from(data));
      // The first pattern is the largest: every later (smaller) result is written into its buffer.
      if (i === 0) largestAddress = indices.address;
      else if (nonzeros <= expectedNonzero(patterns[0]!).length / 2) expect(indices.address).toBe(largestAddress);
    }
    expect(m.stats.reusedOutputBuffers).toBe(2);
    // An input with no nonzero value gives an empty output, still readable.
    const none = await run(m, { x: { data: new Int32Array(10), shape: [2, 5] } });
    expect(none.get("indices").shape).toEqual([2, 0]);
    expect((await none.get("indices").toArray()).length).toBe(0);
  });

  it("two runs in flight use distinct buffers (one set per lane), each with its own values", async () => {
    const m = await make("add_dynamic", { maxConcurrency: 2 });
    const inputs = [addInputs(5, 100), addInputs(5, 200)];
    const results: RunResult[] = await Promise.all(inputs.map((i) => run(m, i)));
    expect(m.stats.concurrency.peakInFlight).toBe(2);
    const [x, y] = results.map((r) => r.get("sum"));
    expect(x!.address).not.toBe(y!.address);
    expect(Array.from(await x!.as("float").toArray())).toEqual(expectedSum(inputs[0]!));
    expect(Array.from(await y!.as("float").toArray())).toEqual(expectedSum(inputs[1]!));
    expect(m.stats).toMatchObject({ reusedOutputBuffers: 2, reusedOutputBytes: 2 * 5 * 16 });
    // Another pair: each lane reuses its own buffer.
    const again = await Promise.all(inputs.map((i) => run(m, i)));
    expect(new Set(again.map((r) => r.get("sum").address))).toEqual(new Set([x!.address, y!.address]));
  });

  it("release frees every reused buffer (pool stats), and their tensors turn stale", async () => {
    const m = await make("add_dynamic", { maxConcurrency: 2 });
    const pool = m.device.pool;
    const before = pool.stats();
    const results = await Promise.all([run(m, addInputs(8, 1)), run(m, addInputs(2, 2))]);
    const held = m.stats.reusedOutputBytes;
    expect(held).toBe(8 * 16 + 2 * 16);
    expect(pool.stats().liveBytes).toBe(before.liveBytes + held);
    expect(pool.stats().liveAllocations).toBe(before.liveAllocations + 2);
    m.release();
    expect(pool.stats().liveBytes).toBe(before.liveBytes);
    expect(pool.stats().liveAllocations).toBe(before.liveAllocations);
    expect(m.stats).toMatchObject({ reusedOutputBuffers: 0, reusedOutputBytes: 0 });
    expect(() => results[0]!.get("sum").toArraySync()).toThrow(/freed when the module was released/);
    // Disposing after release is harmless: nothing is freed twice.
    results.forEach((r) => r.dispose());
    expect(pool.stats().liveBytes).toBe(before.liveBytes);
  });

  it("owned outputs (the default) are unchanged: fresh memory per run, readable after later runs", async () => {
    const m = await withRuntime(impl, () => TensorRTModule.fromEngine(plan("add_dynamic"), { environment }));
    modules.push(m);
    expect(m.outputMemory).toBe("owned");
    using first = await run(m, addInputs(4, 1));
    using second = await run(m, addInputs(4, 2));
    expect(first.get("sum").address).not.toBe(second.get("sum").address);
    expect(Array.from(await first.get("sum").as("float").toArray())).toEqual(expectedSum(addInputs(4, 1)));
    expect(m.stats).toMatchObject({ reusedOutputBuffers: 0, reusedOutputBytes: 0 });
  });

  it("refuses an unknown outputMemory value", async () => {
    await expect(make("add_dynamic", { outputMemory: "shared" as never })).rejects.toThrow(/outputMemory must be "owned" or "reused"/);
  });
});
