/**
 * CUDA-graph replay against plain enqueue, on a GPU (the emulator in CUDA
 * mode: TRT_EMU_CUDA=ON TRT_EMULATOR_MODE=cuda), for mlp3 [8, 16] and
 * add_dynamic [4, 4], on each engine implementation, from the same run:
 *
 * - the engine alone: `context.execute()` against `cudaGraphLaunch` of a
 *   graph captured from that context (by CapturedGraph.capture, the function
 *   the module's graph runner uses), each followed by a stream
 *   synchronization, and back to back (N calls, one synchronization);
 * - through the module: `module.runSync()` with device inputs, plain and with
 *   `cudaGraphStrategy: "whole_graph_capture"` (the replay plus its copies in
 *   and out, output allocation and tensor bookkeeping).
 *
 * Ratios come from the same process and rounds. Each measurement runs three
 * rounds with the cases interleaved; the median round is reported. Prints
 * tables, or JSON with `--json`; BENCH_QUICK=1 runs a tenth of the work. On
 * a machine without CUDA graphs it says why and exits 0.
 * Run: pnpm --filter @trt/runtime exec tsx bench/graph-replay.ts
 */
import { buildPlan, emulatorLibraryPath, FIXTURES, seededValues } from "@trt/emulator";
import type { EngineImplementation } from "../src/engine/contract.js";
import { TensorRTEnvironment } from "../src/environment/environment.js";
import { CapturedGraph } from "../src/graphs/captured-graph.js";
import { TensorRTModule } from "../src/module/module.js";
import type { RunResult } from "../src/module/result.js";
import { withRuntime } from "../src/selection/scope.js";
import { Tensor } from "../src/tensor/tensor.js";

const quick = process.env.BENCH_QUICK === "1";
const json = process.argv.includes("--json");
const n = (count: number) => Math.max(100, Math.round(count * (quick ? 0.1 : 1)));
const ROUNDS = 3;
const CASES = [
  { fixture: "mlp3", batch: 8 },
  { fixture: "add_dynamic", batch: 4 },
] as const;

interface Row {
  readonly implementation: EngineImplementation;
  readonly fixture: string;
  readonly measurement: string;
  readonly iterations: number;
  readonly meanUs: number;
  readonly p50Us: number | null;
  readonly p99Us: number | null;
}
type Result = { mean: number; p50: number | null; p99: number | null };
interface Case {
  readonly implementation: EngineImplementation;
  readonly fixture: string;
  readonly measurement: string;
  readonly iterations: number;
  readonly measure: () => Result;
}

/** Each call timed on its own (it synchronizes): mean, p50, p99 in microseconds. */
function perCall(iterations: number, fn: () => void): Result {
  for (let i = 0; i < Math.min(iterations, 1_000); i++) fn();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  const sorted = samples.slice().sort();
  return { mean: samples.reduce((a, b) => a + b, 0) / iterations, p50: sorted[Math.floor(iterations * 0.5)]!, p99: sorted[Math.floor(iterations * 0.99)]! };
}

/** `iterations` calls queued back to back, then one wait: mean per call in microseconds. */
function backToBack(iterations: number, fn: () => void, wait: () => void): Result {
  for (let i = 0; i < Math.min(iterations, 1_000); i++) fn();
  wait();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  wait();
  return { mean: Number(process.hrtime.bigint() - start) / 1000 / iterations, p50: null, p99: null };
}

async function main(): Promise<void> {
  const environment = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10) });
  const layer = environment.deviceLayer;
  const library = environment.library;
  if (!layer.capabilities.graphs) {
    const reason = `the device layer is "${layer.kind}" (emulator in ${library.emulator?.mode ?? "?"} mode), which has no CUDA graphs; run on a GPU with TRT_EMU_CUDA=ON TRT_EMULATOR_MODE=cuda`;
    console.log(json ? JSON.stringify({ skipped: reason }) : `[graph-replay] skipped: ${reason}`);
    return;
  }
  const native = environment.nativeAvailability();
  const implementations: EngineImplementation[] = native.available ? ["native", "ffi"] : ["ffi"];
  if (!native.available) console.error(`[graph-replay] native skipped: ${native.error.reason}`);

  const cases: Case[] = [];
  const cleanups: (() => void)[] = [];
  for (const implementation of implementations) {
    for (const { fixture, batch } of CASES) {
      const description = FIXTURES[fixture]!;
      const plan = buildPlan(description);
      const make = (graphs: boolean) =>
        withRuntime(implementation, () =>
          TensorRTModule.fromEngine(plan, { environment, runtimeSettings: { cudaGraphStrategy: graphs ? "whole_graph_capture" : "disabled" } }),
        );
      const plain = await make(false);
      const graphed = await make(true);
      const device = plain.device;
      const pool = device.pool;
      const shapes = description.inputs.map((input) => input.shape.map((d) => (d === -1 ? batch : d)));
      const inputs = Object.fromEntries(
        description.inputs.map((input, i) => {
          const count = shapes[i]!.reduce((a, b) => a * b, 1);
          return [input.name, Tensor.fromArray(seededValues(10 + i, count, -1, 1), shapes[i]!, { device })];
        }),
      );
      const runSync = (m: TensorRTModule) => withRuntime(implementation, () => m.runSync(inputs));
      // Same bytes from both paths, or the timings compare different work.
      const bytes = async (r: RunResult) => {
        const out = await Promise.all(r.list.map((t) => t.toArray()));
        r.dispose();
        return Buffer.concat(out.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
      };
      for (let i = 0; i < 2; i++) {
        if (!(await bytes(runSync(graphed))).equals(await bytes(runSync(plain)))) throw new Error(`${implementation} ${fixture}: graph replay and plain enqueue disagree`);
      }

      // The engine alone: a context of its own, fixed buffers, its own stream.
      const engine = await environment.backend(implementation).deserialize(plan);
      const context = engine.createContext("static");
      const stream = device.acquireStream();
      const io = engine.info.io;
      const addresses = new Float64Array(io.length);
      const packed: number[] = [];
      io.forEach((tensor, k) => {
        const position = description.inputs.findIndex((input) => input.name === tensor.name);
        if (tensor.mode === "input") {
          packed.push(shapes[position]!.length, ...shapes[position]!);
          addresses[k] = inputs[tensor.name]!.address;
        }
      });
      const inferred = context.inferOutputShapes(new Float64Array(packed));
      let output = 0;
      io.forEach((tensor, k) => {
        if (tensor.mode !== "output") return;
        const elements = inferred[output++]!.reduce((a, b) => a * b, 1);
        addresses[k] = pool.alloc(elements * 4, stream);
      });
      const request = { inputShapes: new Float64Array(packed), addresses, stream };
      context.execute(request);
      layer.synchronize(stream);
      const graph = CapturedGraph.capture(layer, stream, () => context.execute(request));

      const add = (measurement: string, iterations: number, measure: () => Result) =>
        cases.push({ implementation, fixture: `${fixture} [${shapes[0]!.join(", ")}]`, measurement, iterations, measure });
      const wait = () => layer.synchronize(stream);
      add("enqueue + sync", n(10_000), () => perCall(n(10_000), () => (context.execute(request), wait())));
      add("cudaGraphLaunch + sync", n(10_000), () => perCall(n(10_000), () => (graph.launch(stream), wait())));
      add("enqueue, back to back", n(20_000), () => backToBack(n(20_000), () => context.execute(request), wait));
      add("cudaGraphLaunch, back to back", n(20_000), () => backToBack(n(20_000), () => graph.launch(stream), wait));
      add("module.runSync(), plain enqueue", n(10_000), () => perCall(n(10_000), () => runSync(plain).dispose()));
      add("module.runSync(), graph replay", n(10_000), () => perCall(n(10_000), () => runSync(graphed).dispose()));
      cleanups.push(() => {
        layer.synchronize(stream);
        graph.release();
        context.release();
        engine.release();
        io.forEach((tensor, k) => tensor.mode === "output" && pool.free(addresses[k]!, stream));
        device.releaseStream(stream);
        Object.values(inputs).forEach((t) => t.dispose());
        if (graphed.stats.graphCaptures !== 1) throw new Error(`${implementation} ${fixture}: ${graphed.stats.graphCaptures} captures, expected 1`);
        plain.release();
        graphed.release();
      });
    }
  }

  // Every case once per round, rounds interleaved, the median round kept.
  const rounds = new Map<Case, Result[]>();
  for (let round = 0; round < ROUNDS; round++) for (const c of cases) rounds.set(c, [...(rounds.get(c) ?? []), c.measure()]);
  const rows: Row[] = cases.map((c) => {
    const median = rounds.get(c)!.sort((a, b) => a.mean - b.mean)[Math.floor(ROUNDS / 2)]!;
    return { implementation: c.implementation, fixture: c.fixture, measurement: c.measurement, iterations: c.iterations, meanUs: median.mean, p50Us: median.p50, p99Us: median.p99 };
  });
  cleanups.forEach((f) => f());

  const pairs = [
    ["cudaGraphLaunch / enqueue, synced each call", "cudaGraphLaunch + sync", "enqueue + sync"],
    ["cudaGraphLaunch / enqueue, back to back", "cudaGraphLaunch, back to back", "enqueue, back to back"],
    ["module replay / module plain", "module.runSync(), graph replay", "module.runSync(), plain enqueue"],
    ["module replay / raw cudaGraphLaunch (+ sync)", "module.runSync(), graph replay", "cudaGraphLaunch + sync"],
  ] as const;
  const ratios = [...new Set(rows.map((r) => `${r.implementation}\u0000${r.fixture}`))].flatMap((group) => {
    const [implementation, fixture] = group.split("\u0000") as [EngineImplementation, string];
    const mean = (m: string) => rows.find((r) => r.implementation === implementation && r.fixture === fixture && r.measurement === m)!.meanUs;
    return pairs.map(([ratio, top, bottom]) => ({ implementation, fixture, ratio, value: mean(top) / mean(bottom) }));
  });

  if (json) {
    console.log(JSON.stringify({ node: process.version, library, device: layer.properties(0).name, quick, rows, ratios }, null, 2));
    return;
  }
  console.log(`CUDA graphs on ${layer.properties(0).name}, TensorRT ${library.version.major} emulator (${library.emulator?.mode ?? "real"} mode), Node ${process.version}${quick ? ", quick" : ""}`);
  table(
    ["implementation", "fixture", "measurement", "iterations", "mean us", "p50 us", "p99 us"],
    rows.map((r) => [r.implementation, r.fixture, r.measurement, String(r.iterations), fmt(r.meanUs), fmt(r.p50Us), fmt(r.p99Us)]),
    3,
  );
  console.log("");
  table(
    ["implementation", "fixture", "ratio (means, same run)", "value"],
    ratios.map((r) => [r.implementation, r.fixture, r.ratio, r.value.toFixed(2)]),
    3,
  );
}

function fmt(v: number | null): string {
  return v === null ? "" : v.toFixed(2);
}

/** A markdown table; columns from `numeric` on are right-aligned. */
function table(header: string[], lines: string[][], numeric: number): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) => console.log(`| ${cells.map((c, i) => (i >= numeric ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`);
  print(header);
  console.log(`|${widths.map((w, i) => (i >= numeric ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`);
  lines.forEach(print);
}

await main();
