/**
 * Weight streaming on the emulator (host mode), for each engine
 * implementation and TensorRT major: the engine contract's budget, automatic
 * budget and scratch size with TensorRT's V2 rules, and the module's
 * setWeightStreamingBudget (range checks, contexts re-made, results
 * unchanged, the budget carried to an engine materialized later).
 * mlp3_streaming is mlp3 built with weight streaming: 1864 float32 weights
 * and biases, 7456 streamable bytes.
 */
import { createSerializedEngine } from "@trt/format";
import { afterAll, describe, expect, it } from "vitest";
import type { EngineHandle, EngineImplementation } from "../src/engine/contract.js";
import { InputError, TensorRTCallError, WeightStreamingError } from "../src/errors/index.js";
import { TensorRTModule } from "../src/module/module.js";
import type { RunResult } from "../src/module/result.js";
import { withRuntime } from "../src/selection/scope.js";
import { BOTH, environmentFor, fixtureInputs, IMPLEMENTATIONS, MAJORS, plan } from "./support/runtime.js";
import type { Major } from "./support/runtime.js";

const STREAMABLE = 1864 * 4;
/** The emulator's automatic budget: half the streamable bytes, 256-aligned down. */
const AUTOMATIC = 3584;
/** The emulator's scratch when everything streams: a quarter of it, 256-aligned up. */
const SCRATCH_ALL_STREAMED = 2048;

async function outputs(result: RunResult): Promise<number[]> {
  try {
    return Array.from(await result.get("y").as("float").toArray());
  } finally {
    result.dispose();
  }
}

const CASES = IMPLEMENTATIONS.flatMap((impl) => MAJORS.map((major) => [impl, major] as const));

describe.each(CASES)("weight streaming: %s engine, TensorRT %i emulator", (impl: EngineImplementation, major: Major) => {
  const environment = environmentFor(major);
  const engines: EngineHandle[] = [];
  const modules: TensorRTModule[] = [];
  afterAll(() => {
    modules.forEach((m) => m.release());
    engines.forEach((e) => e.release());
  });

  const engine = async (name: string): Promise<EngineHandle> => {
    const e = await environment.backend(impl).deserialize(plan(name));
    engines.push(e);
    return e;
  };
  const module = async (name: string, maxConcurrency?: number): Promise<TensorRTModule> => {
    const m = await withRuntime(impl, () =>
      TensorRTModule.fromEngine(plan(name), { environment, ...(maxConcurrency !== undefined ? { maxConcurrency } : {}) }),
    );
    modules.push(m);
    return m;
  };
  const run = (m: TensorRTModule, batch = 3): Promise<RunResult> => withRuntime(impl, () => m.run(fixtureInputs("mlp3_streaming", batch)));

  describe("engine contract", () => {
    it("reports the streamable size, the default budget (nothing streams), the automatic budget and no scratch", async () => {
      const e = await engine("mlp3_streaming");
      expect(e.info.streamableWeightsBytes).toBe(STREAMABLE);
      expect(e.weightStreamingBudget).toBe(STREAMABLE);
      expect(e.weightStreamingAutomaticBudget).toBe(AUTOMATIC);
      expect(e.weightStreamingScratchMemoryBytes).toBe(0);
    });

    it("sets and reads back budgets; the scratch grows as the budget shrinks", async () => {
      const e = await engine("mlp3_streaming");
      let previous = 0;
      for (const budget of [STREAMABLE, 5000, AUTOMATIC, 1000, 0]) {
        e.weightStreamingBudget = budget;
        expect(e.weightStreamingBudget).toBe(budget);
        expect(e.weightStreamingScratchMemoryBytes).toBeGreaterThanOrEqual(previous);
        previous = e.weightStreamingScratchMemoryBytes;
      }
      expect(previous).toBe(SCRATCH_ALL_STREAMED);
    });

    it("takes a budget above the streamable size as 'stream nothing', as TensorRT does", async () => {
      const e = await engine("mlp3_streaming");
      e.weightStreamingBudget = 0;
      e.weightStreamingBudget = STREAMABLE + 1;
      expect(e.weightStreamingBudget).toBe(STREAMABLE);
      expect(e.weightStreamingScratchMemoryBytes).toBe(0);
    });

    it("refuses negative and fractional budgets before TensorRT sees them", async () => {
      const e = await engine("mlp3_streaming");
      for (const bad of [-1, -2, 1.5, Number.NaN]) expect(() => (e.weightStreamingBudget = bad)).toThrow(InputError);
      expect(e.weightStreamingBudget).toBe(STREAMABLE);
    });

    it("passes on TensorRT's refusal while an execution context exists", async () => {
      const e = await engine("mlp3_streaming");
      const context = e.createContext("static");
      const error = (() => {
        try {
          e.weightStreamingBudget = 0;
        } catch (caught) {
          return caught;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(TensorRTCallError);
      expect((error as TensorRTCallError).method).toBe("ICudaEngine::setWeightStreamingBudgetV2");
      expect((error as TensorRTCallError).loggerMessage).toMatch(/execution contexts exist/);
      context.release();
      e.weightStreamingBudget = 0;
      expect(e.weightStreamingBudget).toBe(0);
    });

    it("passes on TensorRT's refusal for an engine without streamable weights", async () => {
      const e = await engine("mlp3");
      expect(e.info.streamableWeightsBytes).toBe(0);
      expect(() => (e.weightStreamingBudget = 0)).toThrow(/not built with weight streaming/);
    });
  });

  describe("module", () => {
    it("reads the engine's numbers, with nothing streaming by default", async () => {
      const m = await module("mlp3_streaming");
      expect(m.weightStreamingBudget).toBe(STREAMABLE);
      expect(m.weightStreaming).toEqual({
        streamableBytes: STREAMABLE,
        budgetBytes: STREAMABLE,
        automaticBudgetBytes: AUTOMATIC,
        scratchBytes: 0,
        streaming: false,
        requested: null,
      });
    });

    it("round-trips byte counts, 'auto' and 'off'", async () => {
      const m = await module("mlp3_streaming");
      m.setWeightStreamingBudget(0);
      expect(m.weightStreamingBudget).toBe(0);
      expect(m.weightStreaming).toMatchObject({ budgetBytes: 0, scratchBytes: SCRATCH_ALL_STREAMED, streaming: true, requested: 0 });
      m.setWeightStreamingBudget(1000);
      expect(m.weightStreamingBudget).toBe(1000);
      m.setWeightStreamingBudget("auto");
      expect(m.weightStreamingBudget).toBe(AUTOMATIC);
      expect(m.weightStreaming.requested).toBe("auto");
      m.setWeightStreamingBudget("off");
      expect(m.weightStreaming).toMatchObject({ budgetBytes: STREAMABLE, scratchBytes: 0, streaming: false, requested: "off" });
      m.setWeightStreamingBudget(STREAMABLE);
      expect(m.weightStreamingBudget).toBe(STREAMABLE);
    });

    it("refuses out-of-range values with a WeightStreamingError and changes nothing", async () => {
      const m = await module("mlp3_streaming");
      m.setWeightStreamingBudget(2000);
      for (const bad of [-1, STREAMABLE + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "half", null, 10n]) {
        let caught: unknown;
        try {
          m.setWeightStreamingBudget(bad as never);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(WeightStreamingError);
        expect(caught).toMatchObject({ code: "WEIGHT_STREAMING", problem: "out_of_range", streamableBytes: STREAMABLE });
        expect((caught as Error).message).toContain(`from 0 to ${STREAMABLE}`);
      }
      expect(m.weightStreamingBudget).toBe(2000);
      expect(m.weightStreaming.requested).toBe(2000);
    });

    it("says clearly that an engine without streamable weights cannot stream", async () => {
      const m = await module("mlp3");
      expect(m.weightStreamingBudget).toBe(0);
      expect(m.weightStreaming).toMatchObject({ streamableBytes: 0, budgetBytes: 0, streaming: false });
      for (const budget of [0, "auto", "off"] as const) {
        let caught: unknown;
        try {
          m.setWeightStreamingBudget(budget);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(WeightStreamingError);
        expect(caught).toMatchObject({ code: "WEIGHT_STREAMING", problem: "not_streamable" });
        expect((caught as Error).message).toMatch(/no streamable weights.*kWEIGHT_STREAMING/);
      }
    });

    it("gives the same results at every budget", async () => {
      const plain = await module("mlp3");
      const expected = await outputs(await withRuntime(impl, () => plain.run(fixtureInputs("mlp3_streaming", 3))));
      expect(expected.some((v) => v !== 0)).toBe(true);
      const m = await module("mlp3_streaming");
      expect(await outputs(await run(m))).toEqual(expected);
      for (const budget of [0, "auto", 1000, "off", 0] as const) {
        m.setWeightStreamingBudget(budget);
        expect(await outputs(await run(m))).toEqual(expected);
      }
    });

    it("re-makes the execution contexts for a new budget, and only for a new one", async () => {
      const m = await module("mlp3_streaming");
      await outputs(await run(m));
      expect(m.stats).toMatchObject({ contextsLive: 1, contextsCreated: 1 });
      m.setWeightStreamingBudget(0);
      expect(m.stats).toMatchObject({ contextsLive: 0, contextsCreated: 1 });
      await outputs(await run(m));
      expect(m.stats).toMatchObject({ contextsLive: 1, contextsCreated: 2 });
      // The budget in effect: nothing to do, the context stays.
      m.setWeightStreamingBudget(0);
      expect(m.stats.contextsLive).toBe(1);
      await outputs(await run(m));
      expect(m.stats.contextsCreated).toBe(2);
    });

    it("waits for runs in flight before it changes the budget", async () => {
      const plain = await module("mlp3");
      const expected = await Promise.all([1, 2, 3, 4].map(async (b) => outputs(await withRuntime(impl, () => plain.run(fixtureInputs("mlp3", b))))));
      const m = await module("mlp3_streaming", 2);
      const runs = [1, 2, 3, 4].map((b) => run(m, b));
      // Let the first runs launch: they hold lanes and contexts while they wait for their streams.
      for (let i = 0; i < 1000 && m.stats.contextsLive === 0; i++) await Promise.resolve();
      expect(m.stats.contextsLive).toBeGreaterThan(0);
      expect(m.stats.concurrency.inFlight).toBeGreaterThan(0);
      m.setWeightStreamingBudget(0);
      expect(m.stats.contextsLive).toBe(0);
      const more = [1, 2, 3, 4].map((b) => run(m, b));
      m.setWeightStreamingBudget("auto");
      expect(await Promise.all(runs.map(async (r) => outputs(await r)))).toEqual(expected);
      expect(await Promise.all(more.map(async (r) => outputs(await r)))).toEqual(expected);
      expect(m.weightStreamingBudget).toBe(AUTOMATIC);
    });

    it("runs with user-managed scratch sized for the streaming budget", async () => {
      const plainModule = await module("mlp3");
      const expected = await outputs(await withRuntime(impl, () => plainModule.run(fixtureInputs("mlp3", 5))));
      const record = createSerializedEngine({ engine: plan("mlp3_streaming"), resourceAllocationStrategy: "dynamic" });
      const m = await withRuntime(impl, () => TensorRTModule.fromTuple(record, { environment }));
      modules.push(m);
      m.setWeightStreamingBudget(0);
      expect(await outputs(await run(m, 5))).toEqual(expected);
    });
  });
});

describe.runIf(BOTH)("weight streaming across engine implementations", () => {
  const modules: TensorRTModule[] = [];
  afterAll(() => modules.forEach((m) => m.release()));

  it.each(MAJORS)("TensorRT %i: the budget reaches an engine materialized later, and later changes reach both", async (major) => {
    const environment = environmentFor(major);
    for (const [first, second] of [["ffi", "native"], ["native", "ffi"]] as const) {
      const m = await withRuntime(first, () => TensorRTModule.fromEngine(plan("mlp3_streaming"), { environment }));
      modules.push(m);
      m.setWeightStreamingBudget(1000);
      expect(m.stats.implementations).toEqual([first]);
      await m.materialize(second);
      expect(m.stats.implementations).toEqual([first, second]);
      expect(withRuntime(second, () => m.weightStreamingBudget)).toBe(1000);
      expect(withRuntime(first, () => m.weightStreamingBudget)).toBe(1000);

      const inputs = fixtureInputs("mlp3_streaming", 4);
      const a = await outputs(await withRuntime(first, () => m.run(inputs)));
      const b = await outputs(await withRuntime(second, () => m.run(inputs)));
      expect(b).toEqual(a);
      expect(m.stats.contextsLive).toBe(2);

      m.setWeightStreamingBudget("auto");
      expect(m.stats.contextsLive).toBe(0);
      for (const impl of [first, second]) expect(withRuntime(impl, () => m.weightStreaming)).toMatchObject({ budgetBytes: AUTOMATIC, requested: "auto" });
      expect(await outputs(await withRuntime(second, () => m.run(inputs)))).toEqual(a);
    }
  });

  it("a module made by run() on the other implementation gets the budget before its first context", async () => {
    const environment = environmentFor(10);
    const m = await withRuntime("native", () => TensorRTModule.fromEngine(plan("mlp3_streaming"), { environment }));
    modules.push(m);
    m.setWeightStreamingBudget(0);
    const inputs = fixtureInputs("mlp3_streaming", 2);
    const viaFfi = await outputs(await withRuntime("ffi", () => m.run(inputs)));
    expect(withRuntime("ffi", () => m.weightStreaming)).toMatchObject({ budgetBytes: 0, scratchBytes: SCRATCH_ALL_STREAMED });
    expect(await outputs(await withRuntime("native", () => m.run(inputs)))).toEqual(viaFfi);
  });
});
