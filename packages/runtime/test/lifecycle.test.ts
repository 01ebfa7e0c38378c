/** Release semantics, deserialization failures, host code, version-specific plans, async deserialization. */
import { emulatorLibraryPath, invalidPlans } from "@trt/emulator";
import { describe, expect, it } from "vitest";
import { ReleasedError, TensorRTCallError } from "../src/errors/index.js";
import { FfiBackend } from "../src/ffi/index.js";
import { backendFor, MAJORS, packShapes, plan } from "./support/emulator.js";
import type { Major } from "./support/emulator.js";

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe.each(MAJORS)("lifecycle, TensorRT %i emulator", (major: Major) => {
  it("use after release throws ReleasedError; release twice is a no-op", async () => {
    const engine = await backendFor(major).deserialize(plan("add_dynamic"));
    const context = engine.createContext("static");
    const other = engine.createContext("static");
    context.release();
    context.release();
    expect(context.released).toBe(true);
    expect(() => context.inferOutputShapes(packShapes([[1, 4], [1, 4]]))).toThrow(ReleasedError);
    expect(() => context.execute({ inputShapes: packShapes([[1, 4], [1, 4]]), addresses: new Float64Array(3), stream: 0 })).toThrow(
      ReleasedError,
    );
    expect(() => context.setOptimizationProfile(0, 0)).toThrow(ReleasedError);
    expect(() => context.setProfiler(null)).toThrow(ReleasedError);
    expect(() => engine.engineInformation(context)).toThrow(ReleasedError);

    // Releasing the engine releases its remaining contexts first.
    engine.release();
    engine.release();
    expect(engine.released).toBe(true);
    expect(other.released).toBe(true);
    expect(() => engine.createContext("static")).toThrow(ReleasedError);
    expect(() => engine.serialize()).toThrow(ReleasedError);
    expect(() => engine.engineInformation()).toThrow(ReleasedError);
    expect(() => engine.weightStreamingBudget).toThrow(ReleasedError);
    const e = (() => {
      try {
        engine.serialize();
      } catch (error) {
        return error as ReleasedError;
      }
    })();
    expect(e?.code).toBe("RELEASED");
    expect(e?.message).toContain("serialize");
  });

  it("refuses invalid plans with TensorRTCallError carrying the logger's reason", async () => {
    const invalid = invalidPlans();
    expect(Object.keys(invalid).length).toBeGreaterThan(0);
    for (const [name, bytes] of Object.entries(invalid)) {
      const error = await rejection(backendFor(major).deserialize(bytes));
      expect(error, name).toBeInstanceOf(TensorRTCallError);
      expect((error as TensorRTCallError).method).toBe("IRuntime::deserializeCudaEngine");
      expect((error as TensorRTCallError).loggerMessage, name).toBeTruthy();
    }
    const garbage = await rejection(backendFor(major).deserialize(new Uint8Array([1, 2, 3])));
    expect((garbage as TensorRTCallError).loggerMessage).toBeTruthy();
  });

  it("engines with host code need setEngineHostCodeAllowed(true)", async () => {
    const backend = new FfiBackend({ path: emulatorLibraryPath(major) });
    expect(await rejection(backend.deserialize(plan("host_code")))).toBeInstanceOf(TensorRTCallError);
    backend.setEngineHostCodeAllowed(true);
    expect(backend.engineHostCodeAllowed).toBe(true);
    const engine = await backend.deserialize(plan("host_code"));
    expect(engine.info.name).toBe("host_code");
    engine.release();
    backend.setEngineHostCodeAllowed(false);
    backend.dispose();
    backend.dispose();
    expect(await rejection(backend.deserialize(plan("identity_f32")))).toBeInstanceOf(ReleasedError);
  });

  it("loads plans built for its major only", async () => {
    const result = backendFor(major).deserialize(plan("trt11_only"));
    if (major === 11) {
      (await result).release();
    } else {
      const error = await rejection(result);
      expect(error).toBeInstanceOf(TensorRTCallError);
      expect((error as TensorRTCallError).loggerMessage).toContain("11");
    }
  });

  it("deserializes on worker threads: log messages from them arrive, many at once work, and the sync path too", async () => {
    const backend = backendFor(major);
    const messages: string[] = [];
    backend.setLogSink((_s, m) => messages.push(m), "info");
    const engines = await Promise.all(Array.from({ length: 8 }, () => backend.deserialize(plan("mlp3"))));
    backend.setLogSink(null);
    expect(engines.map((e) => e.info.name)).toEqual(new Array(8).fill("mlp3"));
    // The emulator logs one info line per engine it loads, from the worker thread.
    expect(messages.filter((m) => m.includes("mlp3")).length).toBe(8);
    engines.forEach((e) => e.release());
    const sync = new FfiBackend({ path: emulatorLibraryPath(major), asyncDeserialize: false });
    (await sync.deserialize(plan("mlp3"))).release();
  });
});
