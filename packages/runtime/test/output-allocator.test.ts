/** Data-dependent output shapes through the output allocator (nonzero fixture). */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineHandle } from "../src/engine/contract.js";
import { InputError } from "../src/errors/index.js";
import { backendFor, deviceFor, DeviceBuffer, MAJORS, packShapes, plan } from "./support/emulator.js";
import type { Major } from "./support/emulator.js";

describe.each(MAJORS)("output allocator, TensorRT %i emulator", (major: Major) => {
  const device = deviceFor(major);
  let engine: EngineHandle;
  afterAll(() => engine?.release());

  it("delivers the real shape through notifyShape and writes where reallocate said", async () => {
    engine = await backendFor(major).deserialize(plan("nonzero"));
    const context = engine.createContext("static");
    expect(context.inferOutputShapes(packShapes([[2, 5]]))).toEqual([[2, -1], [2, 5]]);
    const calls: { bytes: number; alignment: number; address: number }[] = [];
    const shapes: number[][] = [];
    const owned: number[] = [];
    context.setOutputAllocator("indices", {
      reallocate(name, current, bytes, alignment) {
        expect(name).toBe("indices");
        expect(current === 0 || owned.includes(current)).toBe(true);
        const address = device.alloc(bytes);
        owned.push(address);
        calls.push({ bytes, alignment, address });
        return address;
      },
      notifyShape(name, dims) {
        expect(name).toBe("indices");
        shapes.push([...dims]);
      },
    });
    // x = [[0, 3, 0, 0, 7], [1, 0, 0, 0, 0]]: non-zeros at (0,1), (0,4), (1,0)
    const x = DeviceBuffer.from(device, new Int32Array([0, 3, 0, 0, 7, 1, 0, 0, 0, 0]));
    const copy = new DeviceBuffer(device, 40);
    context.execute({ inputShapes: packShapes([[2, 5]]), addresses: new Float64Array([x.address, 0, copy.address]), stream: 0 });
    await device.synchronizeAsync(0);
    expect(shapes.at(-1)).toEqual([2, 3]);
    expect(calls.length).toBeGreaterThan(0);
    const last = calls.at(-1)!;
    expect(last.bytes).toBeGreaterThanOrEqual(2 * 3 * 8);
    const indices = new BigInt64Array(6);
    device.copyDeviceToHostSync(indices, last.address);
    expect(Array.from(indices, Number)).toEqual([0, 0, 1, 1, 4, 0]);
    expect(Array.from(copy.read(Int32Array))).toEqual([0, 3, 0, 0, 7, 1, 0, 0, 0, 0]);

    // A hook that throws: execute rethrows that exception.
    context.setOutputAllocator("indices", {
      reallocate() {
        throw new RangeError("pool exhausted");
      },
      notifyShape() {},
    });
    expect(() =>
      context.execute({ inputShapes: packShapes([[2, 5]]), addresses: new Float64Array([x.address, 0, copy.address]), stream: 0 }),
    ).toThrow("pool exhausted");

    context.setOutputAllocator("indices", null);
    expect(() => context.setOutputAllocator("x", { reallocate: () => 0, notifyShape: () => {} })).toThrow(InputError);
    context.release();
    owned.forEach((a) => device.free(a));
    x.free();
    copy.free();
  });
});
