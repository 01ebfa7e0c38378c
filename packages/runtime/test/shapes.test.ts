/** Dynamic shapes, optimization profiles, and TensorRT's refusals carrying the logger's message. */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineHandle } from "../src/engine/contract.js";
import { InputError, TensorRTCallError } from "../src/errors/index.js";
import { backendFor, deviceFor, DeviceBuffer, MAJORS, packShapes, plan } from "./support/emulator.js";
import type { Major } from "./support/emulator.js";

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe.each(MAJORS)("shapes and profiles, TensorRT %i emulator", (major: Major) => {
  const device = deviceFor(major);
  let engine: EngineHandle;
  afterAll(() => engine?.release());

  it("infers output shapes for each batch size inside the profile", async () => {
    engine = await backendFor(major).deserialize(plan("add_dynamic"));
    const context = engine.createContext("static");
    for (const batch of [1, 4, 8]) {
      expect(context.inferOutputShapes(packShapes([[batch, 4], [batch, 4]]))).toEqual([[batch, 4]]);
    }
    context.release();
  });

  it("refuses a shape outside the active profile with TensorRTCallError carrying the logger's message", async () => {
    const context = engine.createContext("static");
    const logged: string[] = [];
    backendFor(major).setLogSink((severity, message) => severity === "error" && logged.push(message), "error");
    const error = caught(() => context.inferOutputShapes(packShapes([[9, 4], [9, 4]])));
    backendFor(major).setLogSink(null);
    expect(error).toBeInstanceOf(TensorRTCallError);
    const e = error as TensorRTCallError;
    expect(e.method).toBe("IExecutionContext::setInputShape");
    expect(e.loggerMessage).toContain("outside");
    expect(e.loggerMessage).toBe(logged.at(-1));
    expect(e.message).toContain('input "a" shape [9, 4]');
    // execute refuses the same way, before binding or enqueueing anything
    const a = new DeviceBuffer(device, 9 * 16);
    const exec = caught(() =>
      context.execute({ inputShapes: packShapes([[9, 4], [9, 4]]), addresses: new Float64Array([a.address, a.address, a.address]), stream: 0 }),
    );
    expect(exec).toBeInstanceOf(TensorRTCallError);
    expect((exec as TensorRTCallError).loggerMessage).toContain("9");
    a.free();
    context.release();
  });

  it("switches profiles: batch 32 needs profile 1", async () => {
    const context = engine.createContext("static");
    expect(context.optimizationProfile).toBe(0);
    expect(caught(() => context.inferOutputShapes(packShapes([[32, 4], [32, 4]])))).toBeInstanceOf(TensorRTCallError);
    const stream = device.createStream();
    context.setOptimizationProfile(1, stream);
    expect(context.optimizationProfile).toBe(1);
    expect(context.inferOutputShapes(packShapes([[32, 4], [32, 4]]))).toEqual([[32, 4]]);
    const a = DeviceBuffer.from(device, new Float32Array(32 * 4).fill(2));
    const sum = new DeviceBuffer(device, 32 * 16);
    context.execute({ inputShapes: packShapes([[32, 4], [32, 4]]), addresses: new Float64Array([a.address, a.address, sum.address]), stream });
    await device.synchronizeAsync(stream);
    expect(sum.read(Float32Array).every((v) => v === 4)).toBe(true);
    // and back: profile 0 takes small batches again
    context.setOptimizationProfile(0, stream);
    expect(caught(() => context.inferOutputShapes(packShapes([[32, 4], [32, 4]])))).toBeInstanceOf(TensorRTCallError);
    expect(context.inferOutputShapes(packShapes([[2, 4], [2, 4]]))).toEqual([[2, 4]]);
    const bad = caught(() => context.setOptimizationProfile(5, stream));
    expect(bad).toBeInstanceOf(TensorRTCallError);
    expect((bad as TensorRTCallError).method).toBe("IExecutionContext::setOptimizationProfileAsync");
    expect((bad as TensorRTCallError).loggerMessage).not.toBeNull();
    a.free();
    sum.free();
    device.destroyStream(stream);
    context.release();
  });

  it("refuses malformed requests before calling TensorRT", () => {
    const context = engine.createContext("static");
    expect(caught(() => context.execute({ inputShapes: packShapes([[2, 4]]), addresses: new Float64Array(3), stream: 0 }))).toBeInstanceOf(InputError);
    expect(caught(() => context.execute({ inputShapes: packShapes([[2, 4], [2, 4]]), addresses: new Float64Array(2), stream: 0 }))).toBeInstanceOf(InputError);
    context.release();
  });
});
