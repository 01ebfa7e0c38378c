/**
 * Concurrent runs of one module (src/module/lanes.ts): up to maxConcurrency
 * runs in flight, each on an execution context and stream of its own, the
 * rest queued; results byte-identical to the same runs made one at a time,
 * on each engine implementation.
 */
import { describe, expect, it } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import { ReleasedError } from "../src/errors/index.js";
import { DEFAULT_MAX_CONCURRENCY } from "../src/module/lanes.js";
import type { RunResult } from "../src/module/result.js";
import { withRuntime } from "../src/selection/scope.js";
import type { HostInput } from "../src/validation/inputs.js";
import { environmentFor, IMPLEMENTATIONS, inputData, moduleFactory } from "./support/runtime.js";

/** The bytes of every output of a result, then disposes it. */
async function bytesOf(result: RunResult): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const t of result.list) {
    const array = await t.toArray({ raw: true });
    out.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength).slice());
  }
  result.dispose();
  return out;
}

/** 16 different inputs: batch sizes and data differ per call. */
const mlpInputs = (i: number): Record<string, HostInput> => {
  const shape = [1 + (i % 8), 16];
  return { x: { data: inputData("float32", shape, 500 + i), shape } };
};
const nonzeroInputs = (i: number): Record<string, HostInput> => {
  const shape = [1 + (i % 5), 5];
  // Mostly zeros, a different pattern per call, so the data-dependent output's length differs too.
  const data = Int32Array.from({ length: shape[0]! * 5 }, (_, k) => ((k * 7 + i) % (3 + (i % 4)) === 0 ? k + 1 : 0));
  return { x: { data, shape } };
};
const addInputs = (i: number): Record<string, HostInput> => {
  const shape = [1 + (i % 6), 4];
  return { a: { data: inputData("float32", shape, 700 + i), shape }, b: { data: inputData("float32", shape, 900 + i), shape } };
};

describe.each(IMPLEMENTATIONS)("concurrent runs on the %s engine", (impl: EngineImplementation) => {
  const environment = environmentFor(10);
  const make = moduleFactory(impl, environment);

  it.each([
    ["mlp3", mlpInputs],
    ["nonzero", nonzeroInputs],
    ["add_dynamic", addInputs],
  ] as const)("%s: 16 concurrent runs give the bytes of 16 serial runs, within the bound", async (name, inputsFor) => {
    const serialModule = await make(name, { maxConcurrency: 1 });
    const serial: Uint8Array[][] = [];
    for (let i = 0; i < 16; i++) serial.push(await bytesOf(await withRuntime(impl, () => serialModule.run(inputsFor(i)))));
    expect(serialModule.stats.contextsCreated).toBe(1);
    expect(serialModule.stats.concurrency).toMatchObject({ limit: 1, lanes: 1, peakInFlight: 1, inFlight: 0, queued: 0 });

    const m = await make(name, { maxConcurrency: 3 });
    let queuedSeen = 0;
    const results = await withRuntime(impl, () =>
      Promise.all(
        Array.from({ length: 16 }, (_, i) => {
          const pending = m.run(inputsFor(i));
          queuedSeen = Math.max(queuedSeen, m.stats.concurrency.queued);
          return pending.then(bytesOf);
        }),
      ),
    );
    expect(results).toEqual(serial);
    // Runs overlapped (more than one lane), never more than the bound; the rest queued.
    const stats = m.stats;
    expect(stats.concurrency.limit).toBe(3);
    expect(stats.concurrency.lanes).toBe(3);
    expect(stats.concurrency.peakInFlight).toBe(3);
    expect(stats.concurrency).toMatchObject({ inFlight: 0, queued: 0 });
    expect(queuedSeen).toBe(13);
    expect(stats.contextsCreated).toBe(3);
    expect(stats.contextsLive).toBe(3);
    expect(stats.runs).toBe(16);

    // A second burst reuses the lanes: no new contexts.
    const again = await withRuntime(impl, () => Promise.all(Array.from({ length: 16 }, (_, i) => m.run(inputsFor(15 - i)).then(bytesOf))));
    expect(again).toEqual([...serial].reverse());
    expect(m.stats.contextsCreated).toBe(3);
  });

  it("serial use makes one context; the default bound is 4", async () => {
    const m = await make("mlp3");
    expect(m.stats.concurrency.limit).toBe(DEFAULT_MAX_CONCURRENCY);
    expect(DEFAULT_MAX_CONCURRENCY).toBe(4);
    for (let i = 0; i < 5; i++) (await withRuntime(impl, () => m.run(mlpInputs(i)))).dispose();
    expect(m.stats.contextsCreated).toBe(1);
    expect(m.stats.concurrency.lanes).toBe(1);
    const burst = await withRuntime(impl, () => Promise.all(Array.from({ length: 10 }, (_, i) => m.run(mlpInputs(i)))));
    burst.forEach((r) => r.dispose());
    expect(m.stats.contextsCreated).toBe(4);
    expect(m.stats.concurrency.peakInFlight).toBe(4);
  });

  it("runSync during async runs takes a free lane, or shares one in stream order at the bound", async () => {
    const m = await make("mlp3", { maxConcurrency: 2 });
    const expected = await bytesOf(await withRuntime(impl, () => m.run(mlpInputs(3))));
    const inFlight = withRuntime(impl, () => m.run(mlpInputs(1)));
    const a = withRuntime(impl, () => m.runSync(mlpInputs(3)));
    expect(m.stats.concurrency.lanes).toBe(2);
    const second = withRuntime(impl, () => m.run(mlpInputs(2)));
    const b = withRuntime(impl, () => m.runSync(mlpInputs(3)));
    expect(m.stats.concurrency.lanes).toBe(2);
    expect(await bytesOf(a)).toEqual(expected);
    expect(await bytesOf(b)).toEqual(expected);
    (await inFlight).dispose();
    (await second).dispose();
    expect(m.stats.contextsCreated).toBe(2);
  });

  it("release() rejects queued calls with ReleasedError and gives every lane's stream back", async () => {
    const m = await make("mlp3", { maxConcurrency: 2 });
    const calls = withRuntime(impl, () => Array.from({ length: 5 }, (_, i) => m.run(mlpInputs(i))));
    expect(m.stats.concurrency.queued).toBe(3);
    m.release();
    expect(m.stats.concurrency.queued).toBe(0);
    const settled = await Promise.allSettled(calls);
    // The queued three never run; the two holding lanes had not launched yet (release came first), so they fail too.
    for (const s of settled) {
      if (s.status === "fulfilled") s.value.dispose();
      else expect(s.reason).toBeInstanceOf(ReleasedError);
    }
    expect(settled.slice(2).map((s) => s.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(m.stats.concurrency).toMatchObject({ inFlight: 0, lanes: 1 });
    await expect(withRuntime(impl, () => m.run(mlpInputs(0)))).rejects.toBeInstanceOf(ReleasedError);
  });

  it("refuses a bound that is not a positive integer", async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await expect(make("identity_f32", { maxConcurrency: bad })).rejects.toThrow(RangeError);
    }
  });
});
