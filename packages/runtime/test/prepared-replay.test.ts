/**
 * The replay fast path: a run with the very same Tensors as the previous one
 * reuses that run's input checks. What must not change: new data in those
 * tensors is read, a disposed or stale tensor is refused exactly as before,
 * and a different profile request is checked afresh.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import { InputError, ReleasedError, StaleTensorError } from "../src/errors/index.js";
import { TensorRTModule } from "../src/module/module.js";
import type { ModuleOptions } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { Tensor } from "../src/tensor/tensor.js";
import { environmentFor, IMPLEMENTATIONS, plan } from "./support/runtime.js";

describe.each(IMPLEMENTATIONS)("replaying the same input tensors on the %s engine", (impl: EngineImplementation) => {
  const environment = environmentFor(10);
  const modules: TensorRTModule[] = [];
  const make = (options: ModuleOptions = {}) =>
    withRuntime(impl, async () => {
      const m = await TensorRTModule.fromEngine(plan("add_dynamic"), { environment, ...options });
      modules.push(m);
      return m;
    });
  const sum = async (m: TensorRTModule, inputs: Parameters<TensorRTModule["run"]>[0], options?: Parameters<TensorRTModule["run"]>[1]) => {
    using r = await withRuntime(impl, () => m.run(inputs, options));
    return Array.from((await r.get("sum").toArray()) as Float32Array);
  };
  afterAll(() => modules.forEach((m) => m.release()));

  it("reads the tensors' current data on every run, for host and device tensors", async () => {
    const m = await make();
    const a = new Float32Array(8).fill(1);
    const b = new Float32Array(8).fill(2);
    const inputs = { a: Tensor.fromArray(a, [2, 4]), b: Tensor.fromArray(b, [2, 4]) };
    expect(await sum(m, inputs)).toEqual(new Array(8).fill(3));
    a.fill(10); // the same Tensor objects, new contents
    expect(await sum(m, inputs)).toEqual(new Array(8).fill(12));
    expect(await sum(m, [inputs.a, inputs.b])).toEqual(new Array(8).fill(12));

    const onDevice = { a: inputs.a.copyToSync(m.device), b: inputs.b.copyToSync(m.device) };
    expect(await sum(m, onDevice)).toEqual(new Array(8).fill(12));
    expect(await sum(m, onDevice)).toEqual(new Array(8).fill(12));
    // Other tensors of the same shape are other data.
    expect(await sum(m, { a: onDevice.a, b: onDevice.a })).toEqual(new Array(8).fill(20));
    onDevice.a.dispose();
    onDevice.b.dispose();
  });

  it("a tensor disposed since the last run is refused, not replayed", async () => {
    const m = await make();
    const inputs = { a: Tensor.fromArray(new Float32Array(4), [1, 4]).copyToSync(m.device), b: Tensor.fromArray(new Float32Array(4), [1, 4]).copyToSync(m.device) };
    await sum(m, inputs);
    inputs.b.dispose();
    await expect(sum(m, inputs)).rejects.toBeInstanceOf(ReleasedError);
    inputs.a.dispose();
  });

  it("an output of a reused-memory run turns stale and is refused the second time it is fed in", async () => {
    const m = await make({ outputMemory: "reused" });
    const first = await withRuntime(impl, () => m.run({ a: { data: new Float32Array([1, 2, 3, 4]), shape: [1, 4] }, b: { data: new Float32Array([1, 1, 1, 1]), shape: [1, 4] } }));
    const out = first.get("sum");
    const chained = { a: out, b: out };
    // Reads out before rewriting it (the run copies it first); out is stale afterwards.
    expect(await sum(m, chained)).toEqual([4, 6, 8, 10]);
    await expect(sum(m, chained)).rejects.toBeInstanceOf(StaleTensorError);
  });

  it("a different profile request with the same tensors is checked afresh", async () => {
    const m = await make();
    const inputs = { a: Tensor.fromArray(new Float32Array(8), [2, 4]), b: Tensor.fromArray(new Float32Array(8), [2, 4]) };
    expect(await sum(m, inputs)).toEqual(new Array(8).fill(0));
    // Profile 1 holds batches 16..64: batch 2 does not fit it.
    await expect(sum(m, inputs, { profile: 1 })).rejects.toBeInstanceOf(InputError);
    expect(await sum(m, inputs, { profile: 0 })).toEqual(new Array(8).fill(0));
  });
});
