/**
 * Bad input, on each engine implementation: every InputError problem, each
 * saying what was expected, what was found and how to fix it, raised before
 * any engine work (no context created, nothing allocated).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeviceLayer } from "../src/device/index.js";
import { HostDevice } from "../src/device/index.js";
import type { EngineImplementation } from "../src/engine/contract.js";
import { InputError, ReleasedError } from "../src/errors/index.js";
import type { InputProblem } from "../src/errors/index.js";
import { TensorRTModule } from "../src/module/module.js";
import { ComputeDevice } from "../src/placement/compute-device.js";
import { withRuntime } from "../src/selection/scope.js";
import { Tensor } from "../src/tensor/tensor.js";
import type { RunInputs } from "../src/validation/inputs.js";
import { environmentFor, IMPLEMENTATIONS, plan } from "./support/runtime.js";

const f32 = (n: number) => new Float32Array(n);
const pair = (batch: number) => ({ a: { data: f32(batch * 4), shape: [batch, 4] }, b: { data: f32(batch * 4), shape: [batch, 4] } });

/** A second device that is not the module's: a "cuda:1" over a host layer. */
function otherDevice(): ComputeDevice {
  const layer = Object.assign(Object.create(new HostDevice()) as DeviceLayer, { kind: "cuda" as const, deviceCount: () => 2 });
  return new ComputeDevice(layer, 1);
}

describe.each(IMPLEMENTATIONS)("input errors on the %s engine", (impl: EngineImplementation) => {
  let add: TensorRTModule;
  beforeAll(async () => {
    add = await withRuntime(impl, () => TensorRTModule.fromEngine(plan("add_dynamic"), { environment: environmentFor(10) }));
  });
  afterAll(() => add.release());

  async function expectProblem(inputs: unknown, problem: InputProblem, tensor: string | null, pattern: RegExp, options?: { profile?: number }) {
    const before = { stats: add.stats, pool: add.device.pool.stats() };
    const error = await withRuntime(impl, () => add.run(inputs as RunInputs, options)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: "INVALID_INPUT", problem, tensor });
    expect((error as Error).message).toMatch(/expected .+; found .+\. \S/);
    expect((error as Error).message).toMatch(pattern);
    // Refused before any engine work.
    expect(add.stats).toEqual(before.stats);
    expect(add.device.pool.stats().allocations).toBe(before.pool.allocations);
  }

  it("name: an input the engine does not have, or an output", async () => {
    await expectProblem({ ...pair(2), c: { data: f32(8), shape: [2, 4] } }, "name", "c", /one of the inputs: a, b; found "c"/);
    await expectProblem({ ...pair(2), sum: { data: f32(8), shape: [2, 4] } }, "name", "sum", /which is an output/);
  });

  it("count: too few positional inputs, a missing named one, not a container", async () => {
    await expectProblem([pair(2).a], "count", null, /2 inputs \(a, b, in this order\); found 1/);
    await expectProblem({ a: pair(2).a }, "count", "b", /none for b/);
    await expectProblem(f32(8), "count", null, /bare Float32Array/);
  });

  it("dtype: the wrong array type, a tensor of another type, not data at all", async () => {
    await expectProblem({ ...pair(2), a: { data: new Int32Array(8), shape: [2, 4] } }, "dtype", "a", /Float32Array \(the input is float\); found Int32Array/);
    const ints = Tensor.fromArray(new Int32Array(8), [2, 4]);
    await expectProblem({ ...pair(2), b: ints }, "dtype", "b", /expected float; found int32/);
    await expectProblem({ ...pair(2), a: "values" }, "dtype", "a", /a Tensor, \{ data, shape \}, \{ parts, shape \}, or a typed array; found string/);
  });

  it("parts: none, a part of the wrong type, or lengths that do not add up to the shape", async () => {
    await expectProblem({ ...pair(2), a: { parts: [], shape: [2, 4] } }, "dtype", "a", /non-empty array of typed arrays; found an empty array/);
    await expectProblem({ ...pair(2), a: { parts: f32(8), shape: [2, 4] } }, "dtype", "a", /non-empty array of typed arrays; found object/);
    await expectProblem({ ...pair(2), a: { parts: [f32(4), new Int32Array(4)], shape: [2, 4] } }, "dtype", "a", /Float32Array \(the input is float\); found Int32Array/);
    await expectProblem({ ...pair(2), b: { parts: [f32(4), f32(3)], shape: [2, 4] } }, "size", "b", /parts of 8 elements in all \(shape \[2, 4\]\); found 7 in 2 parts/);
    await expectProblem({ ...pair(2), a: { parts: [f32(5), f32(5)], shape: [2, 5] } }, "shape", "a", /dim 1 is fixed at 4/);
  });

  it("rank: a shape with the wrong number of dims", async () => {
    await expectProblem({ ...pair(2), a: { data: f32(8), shape: [8] } }, "rank", "a", /rank 2 \(\[-1, 4\], -1 = any\); found rank 1/);
  });

  it("shape: fixed dims, profiles (auto and explicit), bad dims, dynamic input without a shape", async () => {
    await expectProblem({ ...pair(2), a: { data: f32(10), shape: [2, 5] } }, "shape", "a", /dim 1 is fixed at 4/);
    await expectProblem(pair(10), "shape", null, /profile 0: a \[1\.\.8, 4\], b \[1\.\.8, 4\]; profile 1: a \[16\.\.64, 4\].*found a \[10, 4\], b \[10, 4\]/);
    await expectProblem(pair(20), "shape", "a", /the optimization profile \(profile 0: a \[1\.\.8, 4\]/, { profile: 0 });
    await expectProblem(pair(2), "shape", null, /profile index from 0 to 1; found 5/, { profile: 5 });
    await expectProblem({ ...pair(2), a: { data: f32(8), shape: [2, -4] } }, "shape", "a", /non-negative integers; found \[2, -4\]/);
    await expectProblem({ ...pair(2), a: f32(8) }, "shape", "a", /dynamic dims/);
  });

  it("size: data that does not fill the shape", async () => {
    await expectProblem({ ...pair(2), b: { data: f32(7), shape: [2, 4] } }, "size", "b", /8 elements \(shape \[2, 4\]\); found 7/);
  });

  it("device: a tensor on another device", async () => {
    const elsewhere = Tensor.fromAddress(0x1000, { dtype: "float", shape: [2, 4], device: otherDevice() });
    await expectProblem({ ...pair(2), a: elsewhere }, "device", "a", new RegExp(`on ${add.device.name} \\(the module's device\\).*found a tensor on cuda:1.*copyTo`));
  });

  it("a disposed tensor is a ReleasedError", async () => {
    const t = Tensor.fromArray(f32(8), [2, 4], { device: add.device });
    t.dispose();
    await expect(withRuntime(impl, () => add.run({ ...pair(2), a: t }))).rejects.toBeInstanceOf(ReleasedError);
  });

  it("runSync throws the same errors synchronously", () => {
    expect(() => withRuntime(impl, () => add.runSync(pair(9)))).toThrow(InputError);
  });
});
