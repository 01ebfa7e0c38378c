/**
 * NonZero's indices type through TensorRTModule on each engine
 * implementation and TensorRT major: TensorRT writes int32 indices unless the
 * network asks for int64 (INonZeroLayer::setIndicesType), as real TensorRT
 * 10.6 showed (tools/real-tensorrt); the emulator follows it. nonzero_i32
 * takes the default, nonzero asks for int64.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import { TensorRTModule } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { environmentFor, IMPLEMENTATIONS, MAJORS, plan } from "./support/runtime.js";
import type { Major } from "./support/runtime.js";

const CASES = IMPLEMENTATIONS.flatMap((impl) => MAJORS.map((major) => [impl, major] as const));

describe.each(CASES)("NonZero indices: %s engine, TensorRT %i emulator", (impl: EngineImplementation, major: Major) => {
  const modules: TensorRTModule[] = [];
  afterAll(() => modules.forEach((m) => m.release()));
  const load = async (name: string) => {
    const m = await withRuntime(impl, () => TensorRTModule.fromEngine(plan(name), { environment: environmentFor(major) }));
    modules.push(m);
    return m;
  };

  it("are int32 [rank, count] by default", async () => {
    const m = await load("nonzero_i32");
    expect(m.outputs[0]).toMatchObject({ name: "indices", dtype: "int32", shape: [1, -1] });
    const x = new Float32Array([0, 2, 0, 0, -1, 0, 0, 0, 5, 0, 0, 0.5]);
    using r = await withRuntime(impl, () => m.run({ x }));
    const indices = r.get("indices");
    expect(indices.shape).toEqual([1, 4]);
    const values = await indices.toArray();
    expect(values).toBeInstanceOf(Int32Array);
    expect(Array.from(values as Int32Array)).toEqual([1, 4, 8, 11]);
  });

  it("are int64 where the network asked for them", async () => {
    const m = await load("nonzero");
    expect(m.outputs[0]).toMatchObject({ name: "indices", dtype: "int64" });
    using r = await withRuntime(impl, () => m.run({ x: { data: new Int32Array([0, 3, 0, 0, 7]), shape: [1, 5] } }));
    const values = await r.get("indices").toArray();
    expect(values).toBeInstanceOf(BigInt64Array);
    expect(Array.from(values as BigInt64Array, Number)).toEqual([0, 0, 1, 4]);
  });
});
