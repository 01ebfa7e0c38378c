/**
 * Profiling through the module (src/profiling) on each engine
 * implementation: per-run layer times and phases (`{ profiling: true }`),
 * the module's per-layer statistics, the Chrome trace, and the engine's
 * layer information. busywait's layers spin 200, 500 and 1000 µs, so their
 * times are known from below; mlp3 is built with detailed verbosity.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import { LayerInformationUnavailableError } from "../src/errors/index.js";
import { FfiContext } from "../src/ffi/context.js";
import type { TensorRTModule } from "../src/module/module.js";
import type { RunOptions } from "../src/module/executor.js";
import { NativeContextAdapter } from "../src/native/adapter.js";
import { toChromeTrace, writeChromeTrace } from "../src/profiling/chrome-trace.js";
import type { ChromeTrace, ChromeTraceEvent } from "../src/profiling/chrome-trace.js";
import type { RunProfile } from "../src/profiling/run-profile.js";
import { withRuntime } from "../src/selection/scope.js";
import type { RunInputs } from "../src/validation/inputs.js";
import { environmentFor, IMPLEMENTATIONS, inputData, moduleFactory } from "./support/runtime.js";
import { useTempDir } from "./support/temp-dir.js";

const BUSYWAIT = ["wait_200us", "wait_500us", "wait_1000us"];
/** The least each busywait layer can take, in ms (a float32 time may round a hair below the spin). */
const SPIN_MS = [0.2, 0.5, 1.0].map((ms) => ms * 0.999);
const MLP3 = ["fc1", "relu1", "fc2", "relu2", "fc3", "relu3"];
const SPANS = ["prepare", "queue", "launch", "wait", "finish"];

const busyInputs = { x: new Float32Array([1, 2, 3, 4]) };
const mlpInputs = (batch: number) => ({ x: { data: inputData("float32", [batch, 16], batch), shape: [batch, 16] } });

/** Checks the phases of a profile: all five, in order, back to back, on a monotonic clock. */
function expectSpans(profile: RunProfile): void {
  expect(profile.spans.map((s) => s.name)).toEqual(SPANS);
  for (const [i, span] of profile.spans.entries()) {
    expect(span.endUs).toBeGreaterThanOrEqual(span.startUs);
    if (i > 0) expect(span.startUs).toBe(profile.spans[i - 1]!.endUs);
  }
  expect(profile.startUs).toBe(profile.spans[0]!.startUs);
  expect(profile.endUs).toBe(profile.spans[4]!.endUs);
  // The layers ran between the enqueue and the end of the wait.
  const launch = profile.spans[2]!;
  const wait = profile.spans[3]!;
  expect(wait.endUs - launch.startUs).toBeGreaterThanOrEqual(profile.totalLayerMs * 1000 * 0.99);
}

describe.each(IMPLEMENTATIONS)("profiling on the %s engine", (impl: EngineImplementation) => {
  const environment = environmentFor(10);
  const make = moduleFactory(impl, environment);
  const run = (m: TensorRTModule, inputs: RunInputs, options?: RunOptions) => withRuntime(impl, () => m.run(inputs, options));
  const runSync = (m: TensorRTModule, inputs: RunInputs, options?: RunOptions) => withRuntime(impl, () => m.runSync(inputs, options));
  afterEach(() => vi.restoreAllMocks());
  const tmp = useTempDir();

  it("busywait: each layer's time, named in order and at least its spin; the run's phases; run and runSync", async () => {
    const m = await make("busywait");
    for (const call of [run, runSync]) {
      using r = await call(m, busyInputs, { profiling: true });
      const profile = r.profiling!;
      expect(profile).toMatchObject({ module: "busywait", implementation: impl, lane: 0 });
      expect(profile.layers.map((l) => l.name)).toEqual(BUSYWAIT);
      const ms = profile.layers.map((l) => l.ms);
      ms.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(SPIN_MS[i]!));
      expect(profile.totalLayerMs).toBeCloseTo(ms[0]! + ms[1]! + ms[2]!, 9);
      // From above, the layers fit between the enqueue and the end of the wait (checked there): a unit
      // slip (µs for ms) would not, whatever the machine's load.
      expectSpans(profile);
      expect(Array.from(await r.get("y").as("float").toArray())).toEqual([1, 2, 3, 4]);
    }
    using plain = await run(m, busyInputs);
    expect(plain.profiling).toBeNull();
  });

  it("the plain path never touches the profiler: installed on the first profiled run, removed on the next unprofiled one", async () => {
    const m = await make("busywait");
    const Context = impl === "ffi" ? FfiContext : NativeContextAdapter;
    const setProfiler = vi.spyOn(Context.prototype, "setProfiler");
    const report = vi.spyOn(Context.prototype, "reportToProfiler");
    for (let i = 0; i < 5; i++) (await run(m, busyInputs)).dispose();
    expect(setProfiler).not.toHaveBeenCalled();
    for (let i = 0; i < 3; i++) (await run(m, busyInputs, { profiling: true })).dispose();
    expect(setProfiler).toHaveBeenCalledTimes(1);
    expect(setProfiler.mock.calls[0]![0]).toBeTypeOf("function");
    expect(setProfiler.mock.calls[0]![1]).toBe(false);
    expect(report).toHaveBeenCalledTimes(3);
    for (let i = 0; i < 5; i++) (await run(m, busyInputs)).dispose();
    expect(setProfiler).toHaveBeenCalledTimes(2);
    expect(setProfiler.mock.calls[1]![0]).toBeNull();
    expect(report).toHaveBeenCalledTimes(3);
    expect(m.profiler.summary().runs).toBe(3);
  });

  it("module.profiler: count, total, mean, median, p99, min and max per layer over many runs; reset", async () => {
    const m = await make("busywait");
    for (let i = 0; i < 12; i++) {
      const call = i % 3 === 0 ? runSync : run;
      (await call(m, busyInputs, { profiling: i !== 5 })).dispose();
    }
    const summary = m.profiler.summary();
    expect(summary.runs).toBe(11);
    expect(summary.layers.map((l) => l.name)).toEqual(BUSYWAIT);
    for (const [i, layer] of summary.layers.entries()) {
      expect(layer.count).toBe(11);
      expect(layer.minMs).toBeGreaterThanOrEqual(SPIN_MS[i]!);
      expect(layer.minMs).toBeLessThanOrEqual(layer.medianMs);
      expect(layer.medianMs).toBeLessThanOrEqual(layer.p99Ms);
      expect(layer.p99Ms).toBeLessThanOrEqual(layer.maxMs);
      expect(layer.meanMs).toBeGreaterThanOrEqual(layer.minMs);
      expect(layer.meanMs).toBeLessThanOrEqual(layer.maxMs);
      expect(layer.totalMs).toBeCloseTo(layer.meanMs * 11, 9);
    }
    // The statistics agree with the runs they came from, layer by layer (so no layer's times are
    // credited to another; comparing the layers' times with each other would depend on the load).
    const kept = m.profiler.runs;
    expect(kept).toHaveLength(11);
    for (const [i, layer] of summary.layers.entries()) {
      const times = kept.map((p) => p.layers[i]!.ms).sort((a, b) => a - b);
      expect(kept.every((p) => p.layers[i]!.name === layer.name)).toBe(true);
      expect(layer.minMs).toBe(times[0]);
      expect(layer.maxMs).toBe(times[10]);
      expect(layer.medianMs).toBe(times[5]);
      expect(layer.totalMs).toBeCloseTo(times.reduce((a, t) => a + t, 0), 9);
    }
    expect(summary.totalMeanMs).toBeCloseTo(summary.layers.reduce((a, l) => a + l.meanMs, 0), 9);
    m.profiler.reset();
    expect(m.profiler.summary()).toEqual({ runs: 0, layers: [], totalMeanMs: 0 });
    expect(m.profiler.runs).toHaveLength(0);
    (await run(m, busyInputs, { profiling: true })).dispose();
    expect(m.profiler.summary().layers.map((l) => l.count)).toEqual([1, 1, 1]);
  });

  it("mlp3: profiled layer names are the engine's layers, as its layer information names them", async () => {
    const m = await make("mlp3");
    using r = await run(m, mlpInputs(8), { profiling: true });
    expect(r.profiling!.layers.map((l) => l.name)).toEqual(MLP3);
    const info = m.layerInformation();
    expect(info.map((l) => l.name)).toEqual(MLP3);
    expect(info.map((l) => l.type)).toEqual(["MatMul", "Relu", "MatMul", "Relu", "MatMul", "Relu"]);
    expect(info[0]!.inputs.map((t) => [t.name, t.dimensions])).toEqual([["x", [-1, 16]]]);
    expect(info[0]!.outputs.map((t) => [t.name, t.dimensions])).toEqual([["fc1_out", [-1, 32]]]);
    expect(info[5]!.outputs[0]!.name).toBe("y");
    expect(info[0]!).toMatchObject({ tactic: "emulator", streamId: 0 });
    expect(info[0]!.details).toMatchObject({ Weights: { Count: 16 * 32 }, Bias: { Count: 32 } });
  });

  it("layer information of an engine built without detailed verbosity: a clear error", async () => {
    const m = await make("busywait");
    expect(() => m.layerInformation()).toThrow(LayerInformationUnavailableError);
    expect(() => m.layerInformation()).toThrow(/carries no detailed layer information.*layer names only \(3 layers\).*ProfilingVerbosity\.kDETAILED/);
    try {
      m.layerInformation();
    } catch (error) {
      expect((error as LayerInformationUnavailableError).code).toBe("LAYER_INFORMATION_UNAVAILABLE");
    }
  });

  it("concurrent profiled runs each get their own layers, on their own lanes", async () => {
    const m = await make("busywait", { maxConcurrency: 2 });
    const results = await Promise.all([run(m, busyInputs, { profiling: true }), run(m, busyInputs, { profiling: true })]);
    expect(results.map((r) => r.profiling!.lane).sort()).toEqual([0, 1]);
    for (const r of results) {
      expect(r.profiling!.layers.map((l) => l.name)).toEqual(BUSYWAIT);
      r.profiling!.layers.forEach((l, i) => expect(l.ms).toBeGreaterThanOrEqual(SPIN_MS[i]!));
      r.dispose();
    }
    expect(m.profiler.summary().layers.map((l) => l.count)).toEqual([2, 2, 2]);
  });

  it("a profiled runSync sharing the lane of a profiled run in flight: each gets its own report", async () => {
    const m = await make("busywait", { maxConcurrency: 1 });
    const pending = run(m, busyInputs, { profiling: true });
    // Let the first run enqueue, so the second finds its context with a report not yet collected.
    for (let i = 0; i < 100 && m.stats.contextsCreated === 0; i++) await Promise.resolve();
    expect(m.stats).toMatchObject({ contextsCreated: 1, runs: 0 });
    using second = runSync(m, busyInputs, { profiling: true });
    using first = await pending;
    for (const r of [first, second]) {
      expect(r.profiling!.layers.map((l) => l.name)).toEqual(BUSYWAIT);
      r.profiling!.layers.forEach((l, i) => expect(l.ms).toBeGreaterThanOrEqual(SPIN_MS[i]!));
      expect(r.profiling!.lane).toBe(0);
    }
    expect(m.profiler.summary().layers.map((l) => l.count)).toEqual([2, 2, 2]);
  });

  it("data-dependent outputs (nonzero), with reused outputs too", async () => {
    const m = await make("nonzero", { outputMemory: "reused" });
    const data = new Int32Array([0, 3, 0, 0, 7, 1, 0, 0, 0, 0]);
    const r = await run(m, { x: { data, shape: [2, 5] } }, { profiling: true });
    expect(r.profiling!.layers.map((l) => l.name)).toEqual(["find", "copy"]);
    expect(Array.from(await r.get("indices").toArray(), Number)).toEqual([0, 0, 1, 1, 4, 0]);
  });

  it("Chrome trace: complete events for the runtime's phases and the layers, in order, named as the engine names them", async () => {
    const m = await make("mlp3", { maxConcurrency: 2 });
    for (const batch of [1, 8, 3]) (await run(m, mlpInputs(batch), { profiling: true })).dispose();
    const concurrent = await Promise.all([run(m, mlpInputs(2), { profiling: true }), run(m, mlpInputs(4), { profiling: true })]);
    concurrent.forEach((r) => r.dispose());
    const profiles = m.profiler.runs;
    expect(profiles).toHaveLength(5);
    const file = join(tmp.path, "trace.json");
    await writeChromeTrace(file, profiles, { pid: 7 });
    const trace = JSON.parse(readFileSync(file, "utf8")) as ChromeTrace;
    expect(trace).toEqual(JSON.parse(JSON.stringify(toChromeTrace(profiles, { pid: 7 }))));
    expect(trace.displayTimeUnit).toBe("ms");
    const complete = trace.traceEvents.filter((e) => e.ph === "X");
    const meta = trace.traceEvents.filter((e) => e.ph === "M");
    expect(complete.length + meta.length).toBe(trace.traceEvents.length);
    for (const e of complete) {
      expect(e).toMatchObject({ pid: 7, name: expect.any(String), cat: expect.stringMatching(/^(runtime|layer)$/) });
      expect(Number.isInteger(e.tid)).toBe(true);
      expect(Number.isFinite(e.ts)).toBe(true);
      expect(e.dur).toBeGreaterThanOrEqual(0);
    }
    // Track names: the process, and a host track and a layer track per lane used.
    expect(meta.find((e) => e.name === "process_name")!.args).toEqual({ name: "mlp3" });
    const tracks = new Map(meta.filter((e) => e.name === "thread_name").map((e) => [e.tid, (e.args as { name: string }).name]));
    expect([...tracks.values()].sort()).toEqual(["lane 0 host", "lane 0 layers", "lane 1 host", "lane 1 layers"]);
    // Per run: five phases back to back, then the engine's layers end to end from the enqueue.
    const byRun = new Map<number, ChromeTraceEvent[]>();
    for (const e of complete) {
      const run = (e.args as { run: number }).run;
      byRun.set(run, [...(byRun.get(run) ?? []), e]);
    }
    expect(byRun.size).toBe(5);
    const starts: number[] = [];
    for (const events of byRun.values()) {
      const spans = events.filter((e) => e.cat === "runtime");
      const layers = events.filter((e) => e.cat === "layer");
      expect(spans.map((e) => e.name)).toEqual(SPANS);
      expect(layers.map((e) => e.name)).toEqual(MLP3);
      expect(tracks.get(spans[0]!.tid)).toMatch(/ host$/);
      expect(tracks.get(layers[0]!.tid)).toMatch(/ layers$/);
      expect(tracks.get(layers[0]!.tid)!.split(" ")[1]).toBe(tracks.get(spans[0]!.tid)!.split(" ")[1]);
      for (let i = 1; i < spans.length; i++) expect(spans[i]!.ts).toBeCloseTo(spans[i - 1]!.ts + spans[i - 1]!.dur!, 6);
      expect(layers[0]!.ts).toBe(spans[2]!.ts);
      for (let i = 1; i < layers.length; i++) expect(layers[i]!.ts).toBeCloseTo(layers[i - 1]!.ts + layers[i - 1]!.dur!, 6);
      starts.push(spans[0]!.ts);
    }
    // Runs are numbered in the order they started.
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    // The names are the engine's own.
    expect(new Set(complete.filter((e) => e.cat === "layer").map((e) => e.name))).toEqual(new Set(m.layerInformation().map((l) => l.name)));
  });
});
