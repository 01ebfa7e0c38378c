/** Running fixtures end to end: inputs written through the device layer, outputs read back and checked. */
import { seededValues } from "@trt/emulator";
import { afterAll, describe, expect, it } from "vitest";
import type { EngineHandle } from "../src/engine/contract.js";
import { backendFor, deviceFor, DeviceBuffer, MAJORS, packShapes, plan } from "./support/emulator.js";
import type { Major } from "./support/emulator.js";

/** mlp3's reference: three (matmul + bias, relu) layers 16 -> 32 -> 32 -> 8 with the fixture's seeded weights. */
function mlpReference(x: Float32Array, batch: number): Float32Array {
  const sizes = [16, 32, 32, 8];
  let act = Float64Array.from(x);
  for (let layer = 0; layer < 3; layer++) {
    const k = sizes[layer]!;
    const n = sizes[layer + 1]!;
    const w = seededValues(1000 + 2 * layer, k * n);
    const b = seededValues(1001 + 2 * layer, n);
    const next = new Float64Array(batch * n);
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < n; j++) {
        let sum = b[j]!;
        for (let i = 0; i < k; i++) sum += act[r * k + i]! * w[i * n + j]!;
        next[r * n + j] = Math.max(0, sum);
      }
    }
    act = next;
  }
  return Float32Array.from(act);
}

describe.each(MAJORS)("execute, TensorRT %i emulator", (major: Major) => {
  const device = deviceFor(major);
  const engines: EngineHandle[] = [];
  const load = async (name: string) => {
    const engine = await backendFor(major).deserialize(plan(name));
    engines.push(engine);
    return engine;
  };
  afterAll(() => engines.forEach((e) => e.release()));

  it("identity_f32 copies its input", async () => {
    const engine = await load("identity_f32");
    const context = engine.createContext("static");
    const x = DeviceBuffer.from(device, new Float32Array([1, 2, 3, 4, 5, 6]));
    const y = new DeviceBuffer(device, 24);
    const stream = device.createStream();
    context.execute({ inputShapes: packShapes([[2, 3]]), addresses: new Float64Array([x.address, y.address]), stream });
    await device.synchronizeAsync(stream);
    expect(Array.from(y.read(Float32Array))).toEqual([1, 2, 3, 4, 5, 6]);
    device.destroyStream(stream);
    x.free();
    y.free();
  });

  it("add_dynamic adds at several batch sizes, rebinding only changed addresses", async () => {
    const engine = await load("add_dynamic");
    const context = engine.createContext("static");
    const stream = device.createStream();
    for (const batch of [1, 3, 8]) {
      const n = batch * 4;
      const a = DeviceBuffer.from(device, Float32Array.from({ length: n }, (_, i) => i));
      const b = DeviceBuffer.from(device, new Float32Array(n).fill(0.5));
      const sum = new DeviceBuffer(device, n * 4);
      const request = { inputShapes: packShapes([[batch, 4], [batch, 4]]), addresses: new Float64Array([a.address, b.address, sum.address]), stream };
      context.execute(request);
      await device.synchronizeAsync(stream);
      expect(Array.from(sum.read(Float32Array))).toEqual(Array.from({ length: n }, (_, i) => i + 0.5));
      // Same request again: nothing to rebind, same result.
      device.memset(sum.address, 0, n * 4, stream);
      context.execute(request);
      await device.synchronizeAsync(stream);
      expect(sum.read(Float32Array)[n - 1]).toBe(n - 1 + 0.5);
      for (const buf of [a, b, sum]) buf.free();
    }
    device.destroyStream(stream);
  });

  it("mlp3 matches a JS reference", async () => {
    const engine = await load("mlp3");
    const context = engine.createContext("static");
    const batch = 5;
    const input = seededValues(7, batch * 16, -2, 2);
    const x = DeviceBuffer.from(device, input);
    const y = new DeviceBuffer(device, batch * 8 * 4);
    const shapes = packShapes([[batch, 16]]);
    expect(context.inferOutputShapes(shapes)).toEqual([[batch, 8]]);
    context.execute({ inputShapes: shapes, addresses: new Float64Array([x.address, y.address]), stream: 0 });
    await device.synchronizeAsync(0);
    const got = y.read(Float32Array);
    const want = mlpReference(input, batch);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
    x.free();
    y.free();
  });

  it("two contexts of one engine keep their own shapes and bindings", async () => {
    const engine = await load("add_dynamic");
    const c1 = engine.createContext("static");
    const c2 = engine.createContext("static");
    const bufs = (batch: number, value: number) => {
      const a = DeviceBuffer.from(device, new Float32Array(batch * 4).fill(value));
      return { a, sum: new DeviceBuffer(device, batch * 16), shapes: packShapes([[batch, 4], [batch, 4]]) };
    };
    const one = bufs(2, 1);
    const two = bufs(6, 10);
    c1.execute({ inputShapes: one.shapes, addresses: new Float64Array([one.a.address, one.a.address, one.sum.address]), stream: 0 });
    c2.execute({ inputShapes: two.shapes, addresses: new Float64Array([two.a.address, two.a.address, two.sum.address]), stream: 0 });
    c1.execute({ inputShapes: one.shapes, addresses: new Float64Array([one.a.address, one.a.address, one.sum.address]), stream: 0 });
    await device.synchronizeAsync(0);
    expect(Array.from(one.sum.read(Float32Array))).toEqual(new Array(8).fill(2));
    expect(Array.from(two.sum.read(Float32Array))).toEqual(new Array(24).fill(20));
    for (const b of [one.a, one.sum, two.a, two.sum]) b.free();
    c1.release();
    c2.release();
  });
});
