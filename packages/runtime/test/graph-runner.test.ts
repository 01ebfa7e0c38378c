/**
 * The CUDA-graph policy above the engines (src/graphs, the executor's graph
 * path), on graphs imitated on the host (support/graph-device.ts), so it is
 * checked on every machine: capture once, replay with new inputs copied in,
 * re-capture when shapes or buffers change, user-managed scratch, aliased
 * outputs, a failed capture, and freeing. cuda-graphs.test.ts checks the
 * same through real CUDA graphs on a GPU.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { AllocationStrategy } from "../src/engine/contract.js";
import { Bindings } from "../src/validation/bindings.js";
import { MAX_GRAPHS } from "../src/graphs/graph-runner.js";
import { EngineInstance } from "../src/module/engine-instance.js";
import { ReusedOutputs } from "../src/module/reused-outputs.js";
import { StaleTensorError } from "../src/errors/index.js";
import { Executor } from "../src/module/executor.js";
import type { RunResult } from "../src/module/result.js";
import { ComputeDevice } from "../src/placement/compute-device.js";
import { Tensor } from "../src/tensor/tensor.js";
import type { RunInputs } from "../src/validation/inputs.js";
import { FakeEngine, RecordingGraphDevice } from "./support/graph-device.js";
import type { FakeContext, FakeKind } from "./support/graph-device.js";
import { codes, collectWarnings } from "./support/warnings.js";

const warnings = collectWarnings();

/** One engine instance on the imitated device, run through the module's executor with graphs on. */
function setup(kind: FakeKind = "copy", strategy: AllocationStrategy = "static", options: { reusedOutputs?: boolean } = {}) {
  const layer = new RecordingGraphDevice();
  const device = new ComputeDevice(layer, 0);
  const engine = new FakeEngine(layer, kind);
  const bindings = Bindings.resolve(engine.info, [], []);
  const stream = device.acquireStream();
  const lane = { index: 0, stream, busy: 0 };
  const reused = options.reusedOutputs === true ? new ReusedOutputs(device) : null;
  // The graph setting as the module passes it: read per run, so a test can turn it off.
  const graphs = { on: true };
  const executor = new Executor({ bindings, device, allOutputsAllocated: false, engineName: engine.info.name, reused, cudaGraphs: () => graphs.on });
  const instance = new EngineInstance("ffi", engine, strategy, device, (create) => create());
  const run = (inputs: RunInputs): RunResult => executor.finish(executor.launch(instance, executor.prepare(inputs), lane));
  const context = () => engine.contexts[0] as FakeContext;
  const baseline = device.pool.stats().liveAllocations;
  return { layer, device, engine, executor, instance, run, context, baseline, reused, graphs };
}

const data = (rows: number, start: number) => Float32Array.from({ length: rows * 3 }, (_, i) => start + i);
const read = (result: RunResult) => result.get("y").toArraySync();

describe("CUDA graphs above the engines (imitated on the host)", () => {
  let live: ReturnType<typeof setup> | null = null;
  afterEach(() => {
    live?.instance.release();
    live = null;
  });

  it("captures once, then replays with new inputs copied in (host or device), giving what plain execution gives", () => {
    const t = (live = setup());
    const first = t.run({ x: { data: data(2, 0), shape: [2, 3] } });
    expect(read(first)).toEqual(data(2, 0));
    // One warm-up enqueue (the run's outputs) and one under capture.
    expect(t.context().executes).toBe(2);
    expect(t.executor.graphCounters).toEqual({ captures: 1, replays: 0, failure: null });
    expect(t.layer.launches).toBe(0);

    const second = t.run({ x: { data: data(2, 100), shape: [2, 3] } });
    expect(read(second)).toEqual(data(2, 100));
    expect(t.executor.graphCounters).toEqual({ captures: 1, replays: 1, failure: null });
    expect(t.layer.launches).toBe(1);

    const copies = t.device.pool.stats().deviceToDeviceCopies;
    using input = Tensor.fromArray(data(2, 200), [2, 3], { device: t.device });
    const third = t.run({ x: input });
    expect(read(third)).toEqual(data(2, 200));
    // A new input address does not re-capture: the input is copied into the graph's buffer, the output out of it.
    expect(t.executor.graphCounters).toEqual({ captures: 1, replays: 2, failure: null });
    expect(t.device.pool.stats().deviceToDeviceCopies - copies).toBe(2);
    expect(t.context().executes).toBe(2);
    // Outputs own their memory: the next replay does not change an output the user still holds.
    expect(read(first)).toEqual(data(2, 0));
    for (const r of [first, second, third]) r.dispose();
    expect(warnings).toEqual([]);
  });

  it("an input in parts is copied into the graph's buffer part by part, and replays as the joined input does", () => {
    const t = (live = setup());
    t.run({ x: { data: data(3, 0), shape: [3, 3] } }).dispose();
    const copies = t.device.pool.stats().hostToDeviceCopies;
    const whole = data(3, 50);
    const result = t.run({ x: { parts: [whole.subarray(0, 3), whole.subarray(3, 9)], shape: [3, 3] } });
    expect(read(result)).toEqual(whole);
    expect(t.device.pool.stats().hostToDeviceCopies - copies).toBe(2);
    expect(t.executor.graphCounters).toEqual({ captures: 1, replays: 1, failure: null });
    result.dispose();
  });

  it("keeps a graph per input shape: alternating shapes replay; a grown buffer drops the graphs that point at the old one", () => {
    const t = (live = setup());
    const shapes = [2, 4, 2, 2, 4, 2, 4];
    const results = shapes.map((rows, i) => t.run({ x: { data: data(rows, 10 * i), shape: [rows, 3] } }));
    results.forEach((r, i) => expect(read(r)).toEqual(data(shapes[i]!, 10 * i)));
    // [2] captured; [4] grows the buffers, so [2]'s graph goes and [4] is captured; [2] is captured
    // again on the grown buffers; from then on both shapes replay.
    expect(t.executor.graphCounters).toEqual({ captures: 3, replays: 4, failure: null });
    // The executable graphs of the two shapes; each capture's template is destroyed at once.
    expect(t.layer.liveGraphs).toBe(2);
    for (const r of results) r.dispose();
    // Two graph buffers (x, y), sized for the largest shape so far.
    expect(t.device.pool.stats().liveAllocations - t.baseline).toBe(2);
  });

  it("with reused outputs the graph writes the lane's buffers: no copy out, no allocation per run, stale after the next run", () => {
    const t = (live = setup("copy", "static", { reusedOutputs: true }));
    const first = t.run({ x: { data: data(2, 0), shape: [2, 3] } });
    expect(read(first)).toEqual(data(2, 0));
    const firstAddress = first.get("y").deviceStorage!.address;
    const stats = t.device.pool.stats();
    const second = t.run({ x: { data: data(2, 50), shape: [2, 3] } });
    expect(read(second)).toEqual(data(2, 50));
    expect(t.executor.graphCounters).toEqual({ captures: 1, replays: 1, failure: null });
    // Only the copy in (from JS memory): the replay wrote the output where the tensor points.
    expect(t.device.pool.stats().deviceToDeviceCopies).toBe(stats.deviceToDeviceCopies);
    expect(t.device.pool.stats().allocations).toBe(stats.allocations);
    expect(second.get("y").deviceStorage!.address).toBe(firstAddress);
    expect(() => read(first)).toThrow(StaleTensorError);
    // A bigger shape grows the buffer: a new address, so a new capture, then replays again.
    const bigger = t.run({ x: { data: data(4, 7), shape: [4, 3] } });
    expect(read(bigger)).toEqual(data(4, 7));
    using again = t.run({ x: { data: data(4, 9), shape: [4, 3] } });
    expect(read(again)).toEqual(data(4, 9));
    expect(t.executor.graphCounters).toEqual({ captures: 2, replays: 2, failure: null });
    t.reused!.release();
  });

  it("a device input passed again at the same address is read in place: captured once more, then no copy in", () => {
    const t = (live = setup());
    using x = Tensor.fromArray(data(2, 0), [2, 3], { device: t.device });
    const pool = t.device.pool;
    for (let i = 0; i < 5; i++) {
      // New data at the same address every run: a replay must read it, not a stale copy.
      pool.copyInSync(x.deviceStorage!.address, data(2, 100 * i));
      const copies = pool.stats().deviceToDeviceCopies;
      using r = t.run({ x });
      expect(read(r)).toEqual(data(2, 100 * i));
      // Run 0 copies in and out; from run 1 on (same address as before) only the copy out.
      expect(pool.stats().deviceToDeviceCopies - copies).toBe(i === 0 ? 2 : 1);
    }
    // The buffered graph of run 0, the in-place graph of run 1, then replays.
    expect(t.executor.graphCounters).toEqual({ captures: 2, replays: 3, failure: null });
    // Another tensor: not the address the in-place graph holds, so back to the buffered graph and a copy in.
    using other = Tensor.fromArray(data(2, 7), [2, 3], { device: t.device });
    using r = t.run({ x: other });
    expect(read(r)).toEqual(data(2, 7));
    expect(t.executor.graphCounters).toEqual({ captures: 2, replays: 4, failure: null });
  });

  it("a few fixed input tensors used in turn (one per shape) are each read in place once seen again", () => {
    const t = (live = setup());
    using small = Tensor.fromArray(data(2, 0), [2, 3], { device: t.device });
    using large = Tensor.fromArray(data(4, 0), [4, 3], { device: t.device });
    const pool = t.device.pool;
    const copiesIn: number[] = [];
    for (let i = 0; i < 8; i++) {
      const [x, rows] = i % 2 === 0 ? [small, 2] : [large, 4];
      pool.copyInSync(x.deviceStorage!.address, data(rows, 10 * i));
      const copies = pool.stats().deviceToDeviceCopies;
      using r = t.run({ x });
      expect(read(r)).toEqual(data(rows, 10 * i));
      copiesIn.push(pool.stats().deviceToDeviceCopies - copies - 1);
    }
    // First sight of each tensor: copied in (buffered graphs); seen again: in-place graphs, then replays.
    expect(copiesIn).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    expect(t.executor.graphCounters.replays).toBe(4);
  });

  it("holds at most MAX_GRAPHS graphs per context, dropping the least recently used", () => {
    const t = (live = setup());
    const largest = MAX_GRAPHS + 3;
    // Largest first, so the buffers never grow afterwards and no graph is dropped for that reason.
    const shapes = [largest, ...Array.from({ length: MAX_GRAPHS + 2 }, (_, i) => i + 1), largest];
    for (const [i, rows] of shapes.entries()) {
      using r = t.run({ x: { data: data(rows, i), shape: [rows, 3] } });
      expect(read(r)).toEqual(data(rows, i));
    }
    expect(t.layer.liveGraphs).toBe(MAX_GRAPHS);
    // The first shape was evicted by then, so its last run captured again.
    expect(t.executor.graphCounters).toEqual({ captures: MAX_GRAPHS + 4, replays: 0, failure: null });
  });

  it("turning graphs off frees the graph and its buffers; runs then execute once each", () => {
    const t = (live = setup());
    t.run({ x: { data: data(2, 0), shape: [2, 3] } }).dispose();
    t.run({ x: { data: data(2, 0), shape: [2, 3] } }).dispose();
    expect(t.layer.liveGraphs).toBe(1);
    t.graphs.on = false;
    t.instance.dropGraph();
    expect(t.layer.liveGraphs).toBe(0);
    expect(t.device.pool.stats().liveAllocations).toBe(t.baseline);
    const before = t.context().executes;
    using plain = t.run({ x: { data: data(3, 5), shape: [3, 3] } });
    expect(read(plain)).toEqual(data(3, 5));
    expect(t.context().executes).toBe(before + 1);
    expect(t.executor.graphCounters).toEqual({ captures: 1, replays: 1, failure: null });
  });

  it("releasing the context releases its graph first", () => {
    const t = setup();
    t.run({ x: { data: data(2, 0), shape: [2, 3] } }).dispose();
    t.instance.release();
    expect(t.layer.liveGraphs).toBe(0);
    expect(t.context().released).toBe(true);
    expect(t.device.pool.stats().liveAllocations).toBe(t.baseline);
  });

  it("user-managed contexts get scratch memory owned by the runner, set before each capture only", () => {
    const t = (live = setup("copy", "user_managed"));
    for (const rows of [2, 2, 2, 5]) t.run({ x: { data: data(rows, rows), shape: [rows, 3] } }).dispose();
    const memory = t.context().deviceMemory;
    expect(memory.map((m) => m.bytes)).toEqual([1024, 1024]);
    // The same scratch serves both captures: it only grows when a shape needs more.
    expect(memory[0]!.address).toBe(memory[1]!.address);
    expect(t.executor.graphCounters).toEqual({ captures: 2, replays: 2, failure: null });
  });

  it("an output aliasing a device input is written back into it and is a view of it, as with plain enqueue", () => {
    const t = (live = setup("fill-in-place"));
    for (let i = 0; i < 2; i++) {
      using x = Tensor.fromArray(new Float32Array(4), [4], { device: t.device });
      using result = t.run({ x });
      const y = result.get("y");
      expect(y.address).toBe(x.address);
      expect(Array.from(new Uint8Array(x.toArraySync().buffer))).toEqual(new Array(16).fill(7));
    }
    using fromHost = t.run({ x: new Float32Array(4) });
    expect(Array.from(new Uint8Array(read(fromHost).buffer))).toEqual(new Array(16).fill(7));
    expect(t.executor.graphCounters).toEqual({ captures: 1, replays: 2, failure: null });
  });

  it("an enqueue that fails in the warm-up fails the run, gives back what the run took, and the next run captures", () => {
    const t = (live = setup());
    t.run({ x: { data: data(2, 0), shape: [2, 3] } }).dispose();
    t.context().failEveryExecute = true;
    using x = Tensor.fromArray(data(3, 0), [3, 3], { device: t.device });
    expect(() => t.run({ x })).toThrow("enqueueV3 failed (imitated)");
    // What is left: the graph's two buffers and x itself; nothing the failed run allocated.
    expect(t.device.pool.stats().liveAllocations - t.baseline).toBe(3);
    t.context().failEveryExecute = false;
    using r = t.run({ x });
    expect(read(r)).toEqual(data(3, 0));
    expect(t.executor.graphCounters).toEqual({ captures: 2, replays: 0, failure: null });
  });

  it.each(["capture invalidated", "enqueue refused under capture"])("%s: warns once, keeps the run's results, stays on plain enqueue", (how) => {
    const t = (live = setup());
    if (how === "capture invalidated") t.layer.failNextCapture = true;
    else {
      t.run({ x: { data: data(1, 0), shape: [1, 3] } }).dispose(); // the context exists from here on
      t.instance.dropGraph();
      t.context().throwUnderCapture = true;
    }
    const captures = t.executor.graphCounters.captures;
    for (let i = 0; i < 3; i++) {
      using r = t.run({ x: { data: data(2, i), shape: [2, 3] } });
      expect(read(r)).toEqual(data(2, i));
    }
    expect(t.layer.capturing).toBe(false);
    expect(t.executor.graphCounters.captures).toBe(captures);
    expect(t.layer.liveGraphs).toBe(0);
    expect(codes(warnings)).toEqual(["TRT_CUDA_GRAPH_CAPTURE_FAILED"]);
    expect(warnings[0]!.message).toContain("fake_copy");
    expect(t.executor.graphCounters.failure).toMatch(/^capture failed: /);
  });
});
