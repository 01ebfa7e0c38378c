/**
 * cudaGraphStrategy "whole_graph_capture" through TensorRTModule, on both
 * engine implementations. On a GPU (the emulator built with TRT_EMU_CUDA=ON,
 * running with TRT_EMULATOR_MODE=cuda): replays give exactly what plain
 * execution gives, shape and profile changes re-capture (counted in
 * module.stats), new input tensors reuse the graph (inputs copied in),
 * data-dependent outputs fall back, aliased outputs, user-managed scratch,
 * back-to-back runs, freeing. Skipped elsewhere with the reason printed;
 * there the host-device fallback is checked instead (warn once, run plainly).
 * graph-runner.test.ts covers the same policy on imitated graphs everywhere.
 */
import { FIXTURES } from "@trt/emulator";
import { createSerializedEngine } from "@trt/format";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import { TensorRTModule } from "../src/module/module.js";
import type { ModuleOptions } from "../src/module/module.js";
import type { RunResult } from "../src/module/result.js";
import { withRuntime } from "../src/selection/scope.js";
import { Tensor } from "../src/tensor/tensor.js";
import type { HostInput, RunInputs } from "../src/validation/inputs.js";
import { environmentFor, IMPLEMENTATIONS, inputData, plan } from "./support/runtime.js";
import { codes, collectWarnings } from "./support/warnings.js";

const environment = environmentFor(10);
const layer = environment.deviceLayer;
const emulator = environment.library.emulator;
const reason = layer.capabilities.graphs
  ? null
  : `the device layer here is "${layer.kind}"${emulator ? ` (the emulator runs in ${emulator.mode} mode)` : ""}, which has no CUDA graphs; on a GPU run with TRT_EMU_CUDA=ON TRT_EMULATOR_MODE=cuda`;
if (reason) console.info(`[cuda-graphs.test] GPU tests skipped: ${reason}`);

const warnings = collectWarnings();
const modules: TensorRTModule[] = [];
afterEach(() => modules.splice(0).forEach((m) => m.release()));
const GRAPHS = { runtimeSettings: { cudaGraphStrategy: "whole_graph_capture" } } as const;

/** Inputs for fixture `name` with every dynamic dim set to `batch`, data seeded by `seed`. */
function inputsFor(name: string, batch: number, seed: number): Record<string, HostInput> {
  return Object.fromEntries(
    FIXTURES[name]!.inputs.map((input, i) => {
      const shape = input.shape.map((d) => (d === -1 ? batch : d));
      return [input.name, { data: inputData(input.dtype, shape, seed * 10 + i), shape }];
    }),
  );
}

/** Every output's bytes, in binding order (exact comparison, floats included). */
async function bytesOf(result: RunResult): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const t of result.list) {
    const data = await t.toArray({ raw: true } as never);
    out.push(Buffer.from((data as ArrayBufferView).buffer, (data as ArrayBufferView).byteOffset, (data as ArrayBufferView).byteLength));
  }
  result.dispose();
  return out;
}

describe.skipIf(reason !== null).each(IMPLEMENTATIONS)("CUDA graphs on a GPU, %s engine", (impl: EngineImplementation) => {
  const make = (source: string | Uint8Array, options: ModuleOptions = {}) =>
    withRuntime(impl, async () => {
      const bytes = typeof source === "string" ? plan(source) : source;
      const m = await TensorRTModule.fromEngine(bytes, { environment, ...options });
      modules.push(m);
      return m;
    });
  const pair = async (name: string) => ({ plain: await make(name), graph: await make(name, GRAPHS) });
  const run = (m: TensorRTModule, inputs: RunInputs, profile?: number) => withRuntime(impl, () => m.run(inputs, profile === undefined ? {} : { profile }));

  it.each(["mlp3", "add_dynamic"])("%s: replays give exactly the outputs of plain execution, new data every run", async (name) => {
    const { plain, graph } = await pair(name);
    for (let seed = 0; seed < 6; seed++) {
      const inputs = inputsFor(name, 4, seed);
      expect(await bytesOf(await run(graph, inputs))).toEqual(await bytesOf(await run(plain, inputs)));
    }
    expect(graph.stats).toMatchObject({ graphCaptures: 1, graphReplays: 5, graphFailure: null });
    expect(plain.stats).toMatchObject({ graphCaptures: 0, graphReplays: 0, graphFailure: null });
    expect(warnings).toEqual([]);
  });

  it("an input in parts is copied into the graph's buffer part by part: outputs equal to the joined input's", async () => {
    const { plain, graph } = await pair("add_dynamic");
    for (let seed = 0; seed < 3; seed++) {
      const inputs = inputsFor("add_dynamic", 6, seed);
      const a = inputs.a!.data as Float32Array;
      const parted = { ...inputs, a: { parts: [a.subarray(0, 8), a.subarray(8, 12), a.subarray(12)], shape: inputs.a!.shape } };
      expect(await bytesOf(await run(graph, parted))).toEqual(await bytesOf(await run(plain, inputs)));
    }
    expect(graph.stats).toMatchObject({ graphCaptures: 1, graphReplays: 2 });
  });

  it("re-captures when input shapes or the profile change, replays otherwise", async () => {
    const { plain, graph } = await pair("add_dynamic");
    // batch: 2 capture, 2 replay, 5 capture, 5 replay, 2 capture (shapes changed), 8 capture, 8 replay, 20 capture (profile 1), 20 replay.
    const batches = [2, 2, 5, 5, 2, 8, 8, 20, 20];
    for (const [i, batch] of batches.entries()) {
      const inputs = inputsFor("add_dynamic", batch, i);
      expect(await bytesOf(await run(graph, inputs))).toEqual(await bytesOf(await run(plain, inputs)));
    }
    expect(graph.stats).toMatchObject({ graphCaptures: 5, graphReplays: 4 });
    // An explicit profile: a new shape captures, the same one replays.
    const inputs = inputsFor("add_dynamic", 16, 99);
    expect(await bytesOf(await run(graph, inputs, 1))).toEqual(await bytesOf(await run(plain, inputs, 1)));
    expect(await bytesOf(await run(graph, inputs, 1))).toEqual(await bytesOf(await run(plain, inputs, 1)));
    expect(graph.stats).toMatchObject({ graphCaptures: 6, graphReplays: 5 });
  });

  it("a new input tensor (another address) reuses the graph: its data is copied in, the result copied out", async () => {
    const { plain, graph } = await pair("mlp3");
    (await run(graph, inputsFor("mlp3", 3, 0))).dispose();
    const pool = graph.device.pool;
    // Held to the end, so each lives at an address of its own.
    const xs = [1, 2, 3, 4].map((seed) => {
      const host = inputsFor("mlp3", 3, seed).x!;
      return Tensor.fromArray(host.data, host.shape, { device: graph.device });
    });
    for (const x of xs) {
      const copies = pool.stats().deviceToDeviceCopies;
      const got = await run(graph, { x });
      // One copy in (x), one out (y), nothing else.
      expect(pool.stats().deviceToDeviceCopies - copies).toBe(2);
      expect(await bytesOf(got)).toEqual(await bytesOf(await run(plain, { x })));
    }
    xs.forEach((x) => x.dispose());
    expect(graph.stats).toMatchObject({ graphCaptures: 1, graphReplays: 4 });
  });

  it("the same input tensor again: a graph that reads it in place, with no copy in", async () => {
    const { plain, graph } = await pair("mlp3");
    const host = inputsFor("mlp3", 3, 1).x!;
    using x = Tensor.fromArray(host.data, host.shape, { device: graph.device });
    const pool = graph.device.pool;
    (await run(graph, { x })).dispose();
    for (let seed = 2; seed <= 5; seed++) {
      // New data at the same address: the graph must read it, not a stale copy.
      const next = inputsFor("mlp3", 3, seed).x!;
      pool.copyInSync(x.deviceStorage!.address, next.data as Float32Array);
      const copies = pool.stats().deviceToDeviceCopies;
      const got = await run(graph, { x });
      // Only the copy out (y) after the second run, which captured on x's own address.
      if (seed > 2) expect(pool.stats().deviceToDeviceCopies - copies).toBe(1);
      expect(await bytesOf(got)).toEqual(await bytesOf(await run(plain, { x })));
    }
    expect(graph.stats).toMatchObject({ graphCaptures: 2, graphReplays: 3 });
  });

  it("outputs are the caller's: a later replay does not change an earlier result", async () => {
    const { plain, graph } = await pair("mlp3");
    const first = await run(graph, inputsFor("mlp3", 2, 1));
    const later = await run(graph, inputsFor("mlp3", 2, 2));
    expect(await bytesOf(first)).toEqual(await bytesOf(await run(plain, inputsFor("mlp3", 2, 1))));
    expect(await bytesOf(later)).toEqual(await bytesOf(await run(plain, inputsFor("mlp3", 2, 2))));
  });

  it("runs queued back to back on one lane share the graph's buffers safely (stream order)", async () => {
    const plain = await make("mlp3");
    const graph = await make("mlp3", { ...GRAPHS, maxConcurrency: 1 });
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const results = await Promise.all(seeds.map((seed) => run(graph, inputsFor("mlp3", 4, seed))));
    for (const [i, seed] of seeds.entries()) {
      expect(await bytesOf(results[i]!)).toEqual(await bytesOf(await run(plain, inputsFor("mlp3", 4, seed))));
    }
    expect(graph.stats).toMatchObject({ graphCaptures: 1, graphReplays: 7 });
  });

  it("alternating input shapes: a graph per shape, each replayed, results exact", async () => {
    const plain = await make("add_dynamic");
    const graph = await make("add_dynamic", { ...GRAPHS, maxConcurrency: 1 });
    const batches = [2, 6, 2, 6, 2, 6, 2, 6, 2, 6];
    for (const [i, batch] of batches.entries()) {
      const inputs = inputsFor("add_dynamic", batch, i);
      expect(await bytesOf(await run(graph, inputs))).toEqual(await bytesOf(await run(plain, inputs)));
    }
    // [2] once; [6] grows the buffers (dropping [2]'s graph); [2] again on the grown buffers; then replays only.
    expect(graph.stats).toMatchObject({ graphCaptures: 3, graphReplays: batches.length - 3 });
  });

  it("concurrent runs on several lanes: a graph per lane's context, each replayed, results exact", async () => {
    const plain = await make("mlp3");
    const graph = await make("mlp3", { ...GRAPHS, maxConcurrency: 4 });
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const results = await Promise.all(seeds.map((seed) => run(graph, inputsFor("mlp3", 4, seed))));
    for (const [i, seed] of seeds.entries()) {
      expect(await bytesOf(results[i]!)).toEqual(await bytesOf(await run(plain, inputsFor("mlp3", 4, seed))));
    }
    const { graphCaptures, graphReplays, concurrency } = graph.stats;
    // One capture per lane that ran (a graph belongs to its lane's context), every other run a replay.
    expect(graphCaptures).toBe(concurrency.lanes);
    expect(graphCaptures + graphReplays).toBe(seeds.length);
  });

  it("nonzero: data-dependent outputs run with plain enqueue, with one warning", async () => {
    const { plain, graph } = await pair("nonzero");
    for (let seed = 0; seed < 3; seed++) {
      const inputs = inputsFor("nonzero", 3, seed);
      expect(await bytesOf(await run(graph, inputs))).toEqual(await bytesOf(await run(plain, inputs)));
    }
    expect(graph.stats).toMatchObject({ graphCaptures: 0, graphReplays: 0 });
    expect(graph.stats.graphFailure).toMatch(/sizes depend on the data/);
    expect(codes(warnings)).toEqual(["TRT_CUDA_GRAPHS_DATA_DEPENDENT"]);
  });

  it("aliased: the input is updated in place and the output is a view of it, as with plain enqueue", async () => {
    const { plain, graph } = await pair("aliased");
    for (let seed = 0; seed < 3; seed++) {
      const { cache, update } = inputsFor("aliased", 0, seed) as { cache: HostInput & { data: Float32Array }; update: HostInput };
      using a = Tensor.fromArray(cache.data, cache.shape, { device: graph.device });
      using b = Tensor.fromArray(cache.data, cache.shape, { device: plain.device });
      const viaGraph = await run(graph, { cache: a, update });
      const viaPlain = await run(plain, { cache: b, update });
      expect(viaGraph.get("cache_out").address).toBe(a.address);
      expect(Buffer.from((await a.toArray()).buffer)).toEqual(Buffer.from((await b.toArray()).buffer));
      expect(await bytesOf(viaGraph)).toEqual(await bytesOf(viaPlain));
    }
    expect(graph.stats).toMatchObject({ graphCaptures: 1, graphReplays: 2 });
  });

  it("a dynamic resource-allocation engine (user-managed scratch) replays with the graph's own scratch", async () => {
    const record = createSerializedEngine({ engine: plan("mlp3"), resourceAllocationStrategy: "dynamic" });
    const graph = await withRuntime(impl, () => TensorRTModule.fromTuple(record, { environment, ...GRAPHS }));
    modules.push(graph);
    const plain = await make("mlp3");
    for (const [i, batch] of [3, 3, 3, 9, 9].entries()) {
      const inputs = inputsFor("mlp3", batch, i);
      expect(await bytesOf(await run(graph, inputs))).toEqual(await bytesOf(await run(plain, inputs)));
    }
    expect(graph.stats).toMatchObject({ graphCaptures: 2, graphReplays: 3 });
  });

  it("turning graphs off frees the graph's memory at once; turning them on captures again; release frees everything", async () => {
    const graph = await make("mlp3");
    const pool = graph.device.pool;
    const baseline = pool.stats().liveAllocations;
    graph.runtimeSettings = graph.runtimeSettings.with({ cudaGraphStrategy: "whole_graph_capture" });
    (await run(graph, inputsFor("mlp3", 2, 0))).dispose();
    (await run(graph, inputsFor("mlp3", 2, 1))).dispose();
    // The graph's x and y buffers.
    expect(pool.stats().liveAllocations - baseline).toBe(2);
    graph.runtimeSettings = graph.runtimeSettings.with({ cudaGraphStrategy: "disabled" });
    expect(pool.stats().liveAllocations).toBe(baseline);
    (await run(graph, inputsFor("mlp3", 2, 2))).dispose();
    graph.runtimeSettings = graph.runtimeSettings.with({ cudaGraphStrategy: "whole_graph_capture" });
    (await run(graph, inputsFor("mlp3", 2, 3))).dispose();
    expect(graph.stats).toMatchObject({ graphCaptures: 2, graphReplays: 1, contextsCreated: 1 });
    graph.release();
    await graph.device.synchronizeAsync(0);
    expect(pool.stats().liveAllocations).toBe(baseline);
  });
});

describe.skipIf(reason === null)("CUDA graphs on a device without them (the host emulator)", () => {
  it("warn once, then run with plain enqueue and the same results", async () => {
    const plain = await TensorRTModule.fromEngine(plan("mlp3"), { environment });
    const graph = await TensorRTModule.fromEngine(plan("mlp3"), { environment, ...GRAPHS });
    const other = await TensorRTModule.fromEngine(plan("add_dynamic"), { environment, ...GRAPHS });
    modules.push(plain, graph, other);
    for (let seed = 0; seed < 3; seed++) {
      const inputs = inputsFor("mlp3", 4, seed);
      expect(await bytesOf(await graph.run(inputs))).toEqual(await bytesOf(await plain.run(inputs)));
      (await other.run(inputsFor("add_dynamic", 2, seed))).dispose();
    }
    expect(graph.stats).toMatchObject({ graphCaptures: 0, graphReplays: 0, runs: 3 });
    // The warning comes once per process; each module's stats say why, the second module's included.
    expect(graph.stats.graphFailure).toMatch(/host device/);
    expect(other.stats.graphFailure).toMatch(/host device/);
    expect(plain.stats.graphFailure).toBeNull();
    expect(graph.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
    expect(codes(warnings)).toEqual(["TRT_CUDA_GRAPHS_UNAVAILABLE"]);
    expect(warnings[0]!.message).toContain("host:0");
  });
});
