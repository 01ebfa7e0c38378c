/** The three scratch-memory strategies; user-managed needs setDeviceMemory before execute. */
import { afterAll, describe, expect, it } from "vitest";
import type { AllocationStrategy, EngineHandle } from "../src/engine/contract.js";
import { InputError, TensorRTCallError } from "../src/errors/index.js";
import { backendFor, deviceFor, DeviceBuffer, MAJORS, packShapes, plan } from "./support/emulator.js";
import type { Major } from "./support/emulator.js";

describe.each(MAJORS)("allocation strategies, TensorRT %i emulator", (major: Major) => {
  const device = deviceFor(major);
  let engine: EngineHandle;
  afterAll(() => engine?.release());

  const run = (context: ReturnType<EngineHandle["createContext"]>, x: DeviceBuffer, y: DeviceBuffer) =>
    context.execute({ inputShapes: packShapes([[2, 16]]), addresses: new Float64Array([x.address, y.address]), stream: 0 });

  it.each(["static", "on_profile_change"] as AllocationStrategy[])("%s: runs without help", async (strategy) => {
    engine ??= await backendFor(major).deserialize(plan("mlp3"));
    const context = engine.createContext(strategy);
    const x = DeviceBuffer.from(device, new Float32Array(32).fill(1));
    const y = new DeviceBuffer(device, 2 * 8 * 4);
    run(context, x, y);
    await device.synchronizeAsync(0);
    expect(y.read(Float32Array).some((v) => v !== 0)).toBe(true);
    context.release();
    x.free();
    y.free();
  });

  it("user_managed: fails without scratch memory, runs with it", async () => {
    engine ??= await backendFor(major).deserialize(plan("mlp3"));
    const context = engine.createContext("user_managed");
    const x = DeviceBuffer.from(device, new Float32Array(32).fill(1));
    const y = new DeviceBuffer(device, 2 * 8 * 4);
    let error: unknown;
    try {
      run(context, x, y);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TensorRTCallError);
    expect((error as TensorRTCallError).method).toBe("IExecutionContext::enqueueV3");
    expect((error as TensorRTCallError).loggerMessage).toMatch(/memory/i);

    context.inferOutputShapes(packShapes([[2, 16]]));
    const bytes = context.deviceMemoryBytesForShapes();
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(engine.info.deviceMemoryBytes);
    const scratch = device.alloc(bytes);
    context.setDeviceMemory(scratch, bytes);
    run(context, x, y);
    await device.synchronizeAsync(0);
    expect(y.read(Float32Array).some((v) => v !== 0)).toBe(true);
    context.release();
    device.free(scratch);
    x.free();
    y.free();
  });

  it("refuses an unknown strategy", async () => {
    engine ??= await backendFor(major).deserialize(plan("mlp3"));
    expect(() => engine.createContext("lazy" as AllocationStrategy)).toThrow(InputError);
  });
});
