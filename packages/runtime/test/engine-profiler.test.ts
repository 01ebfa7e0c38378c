/** IProfiler through the engine contract (the module's profiling: module-profiling.test.ts): layer names and times from the busywait fixture's 200, 500 and 1000 us layers. */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineHandle } from "../src/engine/contract.js";
import { backendFor, deviceFor, DeviceBuffer, MAJORS, packShapes, plan } from "./support/emulator.js";
import type { Major } from "./support/emulator.js";

describe.each(MAJORS)("profiler, TensorRT %i emulator", (major: Major) => {
  const device = deviceFor(major);
  let engine: EngineHandle;
  afterAll(() => engine?.release());

  it("reports every layer with its time, per enqueue or on demand", async () => {
    engine = await backendFor(major).deserialize(plan("busywait"));
    const context = engine.createContext("static");
    const x = DeviceBuffer.from(device, new Float32Array([1, 2, 3, 4]));
    const y = new DeviceBuffer(device, 16);
    const request = { inputShapes: packShapes([[4]]), addresses: new Float64Array([x.address, y.address]), stream: 0 };
    const times: [string, number][] = [];
    context.setProfiler((layer, ms) => times.push([layer, ms]));
    context.execute(request);
    await device.synchronizeAsync(0);
    expect(times.map(([l]) => l)).toEqual(["wait_200us", "wait_500us", "wait_1000us"]);
    const [t200, t500, t1000] = times.map(([, ms]) => ms) as [number, number, number];
    expect(t200).toBeGreaterThanOrEqual(0.15);
    expect(t500).toBeGreaterThanOrEqual(0.45);
    expect(t1000).toBeGreaterThanOrEqual(0.95);
    expect(Array.from(y.read(Float32Array))).toEqual([1, 2, 3, 4]);

    // emitPerEnqueue false: nothing until reportToProfiler()
    times.length = 0;
    context.setProfiler((layer, ms) => times.push([layer, ms]), false);
    context.execute(request);
    await device.synchronizeAsync(0);
    expect(times).toEqual([]);
    context.reportToProfiler();
    expect(times.map(([l]) => l)).toEqual(["wait_200us", "wait_500us", "wait_1000us"]);

    // a throwing hook surfaces from the call that ran it
    context.setProfiler(() => {
      throw new Error("hook failed");
    });
    expect(() => context.execute(request)).toThrow("hook failed");

    context.setProfiler(null);
    times.length = 0;
    context.execute(request);
    expect(times).toEqual([]);
    context.release();
    x.free();
    y.free();
  });
});
