import { describe, expect, it } from "vitest";

import { FIXTURES, resolvePlan, type PlanDescription } from "../src/index.js";

describe("resolvePlan", () => {
  it("orders tensors inputs, outputs, intermediates and infers their shapes", () => {
    const r = resolvePlan(FIXTURES.mlp3 as PlanDescription);
    expect(r.tensors.map((t) => [t.name, t.role, t.shape])).toEqual([
      ["x", "input", [-1, 16]],
      ["y", "output", [-1, 8]],
      ["fc1_out", "intermediate", [-1, 32]],
      ["act1", "intermediate", [-1, 32]],
      ["fc2_out", "intermediate", [-1, 32]],
      ["act2", "intermediate", [-1, 32]],
      ["fc3_out", "intermediate", [-1, 8]],
    ]);
    expect(r.layers.map((l) => [l.name, l.inputs, l.output])).toEqual([
      ["fc1", [0], 2],
      ["relu1", [2], 3],
      ["fc2", [3], 4],
      ["relu2", [4], 5],
      ["fc3", [5], 6],
      ["relu3", [6], 1],
    ]);
  });

  it("infers data-dependent, concatenated and cast outputs", () => {
    const nz = resolvePlan(FIXTURES.nonzero as PlanDescription);
    expect(nz.tensors.find((t) => t.name === "indices")).toMatchObject({ dtype: "int64", shape: [2, -1], dataDependent: true });
    const cat = resolvePlan(FIXTURES.concat as PlanDescription);
    expect(cat.tensors.find((t) => t.name === "y")?.shape).toEqual([-1, 6]);
    const cast = resolvePlan(FIXTURES.cast as PlanDescription);
    expect(cast.tensors.find((t) => t.name === "as_bool")?.dtype).toBe("bool");
    expect(cast.tensors.find((t) => t.name === "half")?.role).toBe("intermediate");
  });

  it("lets a static operand pin a dynamic dimension", () => {
    const r = resolvePlan({
      inputs: [
        { name: "a", dtype: "float32", shape: [-1, 4] },
        { name: "b", dtype: "float32", shape: [3, 4] },
      ],
      profiles: [{ a: { min: [3, 4], opt: [3, 4], max: [3, 4] } }],
      layers: [{ op: "mul", name: "m", inputs: ["a", "b"], output: "y" }],
      outputs: ["y"],
    });
    expect(r.tensors[2]?.shape).toEqual([3, 4]);
  });

  it("gives static plans one profile and a default name", () => {
    const r = resolvePlan(FIXTURES.identity_f32 as PlanDescription);
    expect(r.profiles).toEqual([[{ min: [2, 3], opt: [2, 3], max: [2, 3] }]]);
    const unnamed = resolvePlan({ ...(FIXTURES.identity_f32 as PlanDescription), name: undefined });
    expect(unnamed.name).toBe("emulated_engine");
  });

  it("fills static inputs left out of a profile", () => {
    const r = resolvePlan({
      inputs: [
        { name: "a", dtype: "float32", shape: [-1, 2] },
        { name: "b", dtype: "float32", shape: [5, 2] },
      ],
      profiles: [{ a: { min: [1, 2], opt: [2, 2], max: [4, 2] } }],
      layers: [{ op: "concat", name: "c", inputs: ["a", "b"], output: "y", axis: 0 }],
      outputs: ["y"],
    });
    expect(r.profiles[0]?.[1]).toEqual({ min: [5, 2], opt: [5, 2], max: [5, 2] });
    expect(r.tensors[2]?.shape).toEqual([-1, 2]);
  });

  it("records aliases as tensor indices", () => {
    const r = resolvePlan(FIXTURES.aliased as PlanDescription);
    expect(r.aliases).toEqual([[2, 0]]);
  });
});
