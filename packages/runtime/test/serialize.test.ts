/** serialize() round trip and the engine inspector's JSON. */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineHandle } from "../src/engine/contract.js";
import { backendFor, MAJORS, packShapes, plan } from "./support/emulator.js";
import type { Major } from "./support/emulator.js";

/** One layer of the inspector's JSON, the fields checked here. */
interface Layer {
  Name: string;
  LayerType: string;
  Inputs: Array<{ Name: string; Dimensions: number[] }>;
  Outputs: Array<{ Name: string; Dimensions: number[] }>;
}

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

  it("describes the engine and its layers as JSON: dynamic dims without a context, the context's shapes with one", async () => {
    const engine = await backendFor(major).deserialize(plan("mlp3"));
    engines.push(engine);
    const whole = JSON.parse(engine.engineInformation()) as { Layers: Layer[] };
    expect(whole.Layers.map((l) => l.Name)).toEqual(["fc1", "relu1", "fc2", "relu2", "fc3", "relu3"]);
    expect(whole.Layers[0]).toMatchObject({ Name: "fc1", LayerType: "MatMul", Inputs: [{ Name: "x", Dimensions: [-1, 16] }], Outputs: [{ Dimensions: [-1, 32] }] });
    expect(JSON.parse(engine.layerInformation(0))).toEqual(whole.Layers[0]);
    const context = engine.createContext("static");
    context.inferOutputShapes(packShapes([[3, 16]]));
    // With the context, the inspector reports the shapes set on it: batch 3 instead of -1.
    const withContext = JSON.parse(engine.engineInformation(context)) as { Layers: Layer[] };
    expect(withContext.Layers[0]).toMatchObject({ Inputs: [{ Name: "x", Dimensions: [3, 16] }], Outputs: [{ Dimensions: [3, 32] }] });
    expect(JSON.parse(engine.layerInformation(5, context))).toMatchObject({ Name: "relu3", Outputs: [{ Name: "y", Dimensions: [3, 8] }] });
    context.release();
    // After the context is gone the inspector is pointed at none again: dynamic dims.
    expect(JSON.parse(engine.engineInformation())).toEqual(whole);
  });
});
