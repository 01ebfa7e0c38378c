/**
 * The cross-runtime suite: the same module tests on each engine
 * implementation (native when its addon loads here, and ffi), through
 * TensorRTModule only, on the emulator's fixtures.
 */
import { seededValues } from "@trt/emulator";
import { afterAll, describe, expect, it } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import { ReleasedError, RuntimeUnavailableError } from "../src/errors/index.js";
import { TensorRTModule } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { encode16 } from "../src/tensor/half.js";
import { Tensor } from "../src/tensor/tensor.js";
import { environmentFor, fixtureInputs, IMPLEMENTATIONS, plan, values } from "./support/runtime.js";

/** mlp3's reference: three (matmul + bias, relu) layers 16 -> 32 -> 32 -> 8 with the fixture's seeded weights. */
function mlpReference(x: Float32Array, batch: number): number[] {
  const sizes = [16, 32, 32, 8];
  let act = Array.from(x);
  for (let layer = 0; layer < 3; layer++) {
    const [k, n] = [sizes[layer]!, sizes[layer + 1]!];
    const w = seededValues(1000 + 2 * layer, k * n);
    const b = seededValues(1001 + 2 * layer, n);
    const next: number[] = [];
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < n; j++) {
        let sum = b[j]!;
        for (let i = 0; i < k; i++) sum += act[r * k + i]! * w[i * n + j]!;
        next.push(Math.max(0, sum));
      }
    }
    act = next;
  }
  return act;
}

describe.each(IMPLEMENTATIONS)("TensorRTModule on the %s engine", (impl: EngineImplementation) => {
  const environment = environmentFor(10);
  const modules: TensorRTModule[] = [];
  const make = (name: string) =>
    withRuntime(impl, async () => {
      const m = await TensorRTModule.fromEngine(plan(name), { environment });
      modules.push(m);
      return m;
    });
  const run = (m: TensorRTModule, ...args: Parameters<TensorRTModule["run"]>) => withRuntime(impl, () => m.run(...args));
  afterAll(() => modules.forEach((m) => m.release()));

  it("makes its engine with the selected implementation, on the environment's device", async () => {
    const m = await make("identity_f32");
    expect(m.stats.implementations).toEqual([impl]);
    // host:0 with the host-mode emulator, cuda:0 with its CUDA mode on a GPU.
    expect(m.device.name).toBe(environment.device(0).name);
    expect(m.inputNames).toEqual(["x"]);
    expect(m.outputNames).toEqual(["y"]);
    expect(m.name).toBe("identity_f32");
  });

  it("identity_f32: named, positional and bare-array inputs; named and ordered outputs", async () => {
    const m = await make("identity_f32");
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    for (const inputs of [{ x: { data, shape: [2, 3] } }, [{ data, shape: [2, 3] }], { x: data }]) {
      using result = await run(m, inputs);
      expect(result.names).toEqual(["y"]);
      expect(result.list[0]).toBe(result.outputs.y);
      expect(result.get("y").shape).toEqual([2, 3]);
      expect(result.get("y").device).toBe(m.device.name);
      expect(Array.from(await result.get("y").as("float").toArray())).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it("add_dynamic: picks the profile that holds the shapes, or the one asked for", async () => {
    const m = await make("add_dynamic");
    // Up through both profiles and back down: the context switches profile each way.
    for (const batch of [1, 3, 8, 16, 40, 64, 2, 17, 5]) {
      const a = Float32Array.from({ length: batch * 4 }, (_, i) => i);
      const b = new Float32Array(batch * 4).fill(0.5);
      using r = await run(m, { a: { data: a, shape: [batch, 4] }, b: { data: b, shape: [batch, 4] } });
      expect(r.outputs.sum!.shape).toEqual([batch, 4]);
      expect(values(await r.outputs.sum!.toArray())).toEqual(Array.from(a, (v) => v + 0.5));
    }
    using explicit = await run(m, { a: { data: new Float32Array(64), shape: [16, 4] }, b: { data: new Float32Array(64), shape: [16, 4] } }, { profile: 1 });
    expect(explicit.outputs.sum!.shape).toEqual([16, 4]);
    expect(m.stats.outputShapeSignatures).toBe(9);
  });

  it("an input in parts runs as the joined data does, each part copied to its place (no joined copy)", async () => {
    const m = await make("add_dynamic");
    const a = Float32Array.from({ length: 6 * 4 }, (_, i) => i * 0.25);
    const b = Float32Array.from({ length: 6 * 4 }, (_, i) => 100 - i);
    // Rows 2 + 1 + 3, as a server's batch of three requests; the second is a view into a larger buffer.
    const middle = new Float32Array(new ArrayBuffer(64 * 4), 16 * 4, 4);
    middle.set(a.subarray(8, 12));
    const parts = [a.slice(0, 8), middle, a.slice(12)];
    const copies = m.device.pool.stats().hostToDeviceCopies;
    using gathered = await run(m, { a: { parts, shape: [6, 4] }, b: { parts: [b], shape: [6, 4] } });
    // One copy per part: 3 for a, 1 for b.
    expect(m.device.pool.stats().hostToDeviceCopies - copies).toBe(4);
    using joined = await run(m, { a: { data: a, shape: [6, 4] }, b: { data: b, shape: [6, 4] } });
    expect(values(await gathered.outputs.sum!.toArray())).toEqual(values(await joined.outputs.sum!.toArray()));
    expect(values(await gathered.outputs.sum!.toArray())).toEqual(Array.from(a, (v, i) => v + b[i]!));
    // The same through runSync.
    using sync = withRuntime(impl, () => m.runSync({ a: { parts, shape: [6, 4] }, b: { data: b, shape: [6, 4] } }));
    expect(values(await sync.outputs.sum!.toArray())).toEqual(values(await joined.outputs.sum!.toArray()));
  });

  it("every_dtype in parts: each part converted as a whole input is (half and bf16 from floats, bits kept)", async () => {
    const m = await make("every_dtype");
    const inputs = fixtureInputs("every_dtype", 3);
    // Each input split in two (the packed 4-bit types are byte arrays, so any cut is whole bytes).
    const split = Object.fromEntries(
      Object.entries(inputs).map(([name, { data, shape }]) => {
        const cut = Math.floor(data.length / 2);
        return [name, { parts: [data.subarray(0, cut), data.subarray(cut)], shape }];
      }),
    );
    using whole = await run(m, inputs);
    using parted = await run(m, split);
    for (const name of m.outputNames) {
      expect(values(await parted.get(name).toArray({ raw: true }))).toEqual(values(await whole.get(name).toArray({ raw: true })));
    }
  });

  it("mlp3 matches a JS reference", async () => {
    const m = await make("mlp3");
    const x = seededValues(7, 5 * 16, -2, 2);
    using r = await run(m, { x: { data: x, shape: [5, 16] } });
    const got = await r.outputs.y!.toArray();
    mlpReference(x, 5).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
  });

  it("nonzero: data-dependent outputs come back with their real shapes", async () => {
    const m = await make("nonzero");
    using first = await run(m, { x: { data: new Int32Array([0, 3, 0, 0, 7, 1, 0, 0, 0, 0]), shape: [2, 5] } });
    expect(first.outputs.indices!.shape).toEqual([2, 3]);
    expect(Array.from(await first.outputs.indices!.toArray(), Number)).toEqual([0, 0, 1, 1, 4, 0]);
    expect(values(await first.outputs.copy!.toArray())).toEqual([0, 3, 0, 0, 7, 1, 0, 0, 0, 0]);
    using second = await run(m, { x: { data: Int32Array.from({ length: 15 }, (_, i) => i % 2), shape: [3, 5] } });
    expect(second.outputs.indices!.shape).toEqual([2, 7]);
    using none = await run(m, { x: { data: new Int32Array(5), shape: [1, 5] } });
    expect(none.outputs.indices!.shape).toEqual([2, 0]);
    expect((await none.outputs.indices!.toArray()).length).toBe(0);
  });

  it("every_dtype: each data type goes through unchanged (half and bf16 as bits and as floats)", async () => {
    const m = await make("every_dtype");
    const inputs = fixtureInputs("every_dtype", 3);
    using r = await run(m, inputs);
    for (const name of m.inputNames) {
      const out = r.get(name.replace("in_", "out_"));
      const given = inputs[name]!.data;
      if (out.dtype === "half" || out.dtype === "bf16") {
        const bits = encode16(given as Float32Array, out.dtype);
        expect(values(await out.toArray({ raw: true }))).toEqual(Array.from(bits));
        expect((await out.toArray()) instanceof Float32Array).toBe(true);
      } else {
        expect(Array.from(await out.toArray() as ArrayLike<unknown>)).toEqual(Array.from(given as ArrayLike<unknown>));
      }
    }
  });

  it("concat, cast, busywait, host_code and weight_streaming run", async () => {
    using c = await run(await make("concat"), {
      a: { data: new Float32Array([1, 2]), shape: [1, 2] },
      b: { data: new Float32Array([3, 4, 5]), shape: [1, 3] },
      c: { data: new Float32Array([6]), shape: [1, 1] },
    });
    expect(values(await c.outputs.y!.toArray())).toEqual([1, 2, 3, 4, 5, 6]);
    using cast = await run(await make("cast"), { x: { data: new Float32Array([1.25, -2.5, 300, 0]), shape: [1, 4] } });
    expect(values(await cast.outputs.as_int32!.toArray())).toEqual([1, -2, 300, 0]);
    expect(values(await cast.outputs.as_bool!.toArray())).toEqual([1, 1, 1, 0]);
    expect(values(await cast.outputs.f16_roundtrip!.toArray())).toEqual([1.25, -2.5, 300, 0]);
    for (const name of ["busywait", "host_code", "weight_streaming"]) {
      const m = await make(name);
      const data = Float32Array.from({ length: m.inputs[0]!.shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
      using r = await run(m, [data]);
      expect(values(await r.list[0]!.toArray())).toEqual(Array.from(data));
    }
  });

  it("aliased: the output is the input's memory, updated in place", async () => {
    const m = await make("aliased");
    const cache = Tensor.fromArray(new Float32Array(32).fill(1), [4, 8], { device: m.device });
    const update = new Float32Array(32).fill(2);
    {
      using r = await run(m, { cache, update: { data: update, shape: [4, 8] } });
      expect(r.outputs.cache_out!.address).toBe(cache.address);
      expect(values(await r.outputs.cache_out!.toArray())).toEqual(new Array(32).fill(3));
    }
    // The input tensor holds the update too, and still works after the output view is gone.
    expect((await cache.toArray())[0]).toBe(3);
    cache.dispose();
    using fromHost = await run(m, { cache: { data: new Float32Array(32), shape: [4, 8] }, update: { data: update, shape: [4, 8] } });
    expect((await fromHost.outputs.cache_out!.toArray())[31]).toBe(2);
  });

  it("an output feeds another module on the same device with no host round trip", async () => {
    const first = await make("identity_f32");
    const second = await make("identity_f32");
    using a = await run(first, { x: { data: new Float32Array([6, 5, 4, 3, 2, 1]), shape: [2, 3] } });
    const before = first.device.pool.stats();
    using b = await run(second, { x: a.outputs.y! });
    const after = first.device.pool.stats();
    expect(after.hostToDeviceCopies).toBe(before.hostToDeviceCopies);
    expect(after.deviceToHostCopies).toBe(before.deviceToHostCopies);
    expect(after.deviceToDeviceCopies).toBe(before.deviceToDeviceCopies);
    expect(Array.from(await b.outputs.y!.as("float").toArray())).toEqual([6, 5, 4, 3, 2, 1]);
    expect(() => b.outputs.y!.as("int32")).toThrow(/expected int32; found float/);
    // Positional chaining through the result's iterator.
    using c = await run(second, [...b]);
    expect(values(await c.outputs.y!.toArray())).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it("runSync gives the same results; it needs the implementation's engine to exist", async () => {
    const m = await make("add_dynamic");
    const inputs = { a: { data: new Float32Array([1, 2, 3, 4]), shape: [1, 4] }, b: { data: new Float32Array([1, 1, 1, 1]), shape: [1, 4] } };
    using r = withRuntime(impl, () => m.runSync(inputs));
    expect(values(r.outputs.sum!.toArraySync())).toEqual([2, 3, 4, 5]);
    const other: EngineImplementation = impl === "ffi" ? "native" : "ffi";
    if (IMPLEMENTATIONS.includes(other)) {
      expect(() => withRuntime(other, () => m.runSync(inputs))).toThrow(RuntimeUnavailableError);
      await m.materialize(other);
      using again = withRuntime(other, () => m.runSync(inputs));
      expect(values(again.outputs.sum!.toArraySync())).toEqual([2, 3, 4, 5]);
    }
  });

  it("release: idempotent, outputs outlive the module, runs afterwards are refused", async () => {
    const m = await withRuntime(impl, () => TensorRTModule.fromEngine(plan("identity_f32"), { environment: environmentFor(10) }));
    const r = await run(m, [new Float32Array(6).fill(7)]);
    m.release();
    m.release();
    expect(m.released).toBe(true);
    expect(m.stats.implementations).toEqual([]);
    expect(values(await r.outputs.y!.toArray())).toEqual(new Array(6).fill(7));
    r.dispose();
    await expect(run(m, [new Float32Array(6)])).rejects.toBeInstanceOf(ReleasedError);
    expect(() => m.runSync([new Float32Array(6)])).toThrow(ReleasedError);
  });

  it("using and await using release the module", async () => {
    let held: TensorRTModule;
    {
      await using m = await withRuntime(impl, () => TensorRTModule.fromEngine(plan("identity_f32"), { environment: environmentFor(10) }));
      held = m;
      using r = await run(m, [new Float32Array(6)]);
      expect(r.outputs.y!.disposed).toBe(false);
    }
    expect(held.released).toBe(true);
  });

  it("concurrent runs on one module each get their own outputs", async () => {
    const m = await make("nonzero");
    const rows = [1, 2, 3, 4].map((n) => Int32Array.from({ length: 5 * n }, (_, i) => (i < n ? 1 : 0)));
    const results = await Promise.all(rows.map((data, i) => run(m, { x: { data, shape: [i + 1, 5] } })));
    results.forEach((r, i) => expect(r.outputs.indices!.shape).toEqual([2, i + 1]));
    results.forEach((r) => r.dispose());
  });
});
