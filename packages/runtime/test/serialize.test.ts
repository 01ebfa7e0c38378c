/** serialize() round trip and the engine inspector's JSON. */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineHandle } from "../src/engine/contract.js";
import { backendFor, MAJORS, packShapes, plan } from "./support/emulator.js";
import type { Major } from "./support/emulator.js";

describe.each(MAJORS)("serialize and inspect, TensorRT %i emulator", (major: Major) => {
  const engines: EngineHandle[] = [];
  afterAll(() => engines.forEach((e) => e.release()));

  it("serializes to bytes that deserialize to the same engine", async () => {
    const backend = backendFor(major);
    const original = await backend.deserialize(plan("mlp3"));
    engines.push(original);
    const bytes = original.serialize();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBeGreaterThan(0);
    expect(Buffer.from(bytes).equals(Buffer.from(plan("mlp3")))).toBe(true);
    const again = await backend.deserialize(bytes);
    engines.push(again);
    expect(again.info).toEqual(original.info);
  });

  it("describes the engine and its layers as JSON, with and without a context", async () => {
    const engine = await backendFor(major).deserialize(plan("mlp3"));
    engines.push(engine);
    const whole = JSON.parse(engine.engineInformation()) as Record<string, unknown>;
    expect(whole).toBeTypeOf("object");
    expect(JSON.stringify(whole)).toContain("fc1");
    const layer = JSON.parse(engine.layerInformation(0)) as unknown;
    expect(JSON.stringify(layer)).toContain("fc1");
    const context = engine.createContext("static");
    context.inferOutputShapes(packShapes([[3, 16]]));
    expect(() => JSON.parse(engine.engineInformation(context))).not.toThrow();
    expect(() => JSON.parse(engine.layerInformation(5, context))).not.toThrow();
    context.release();
    // After the context is gone the inspector is pointed at none again.
    expect(() => JSON.parse(engine.engineInformation())).not.toThrow();
  });
});
