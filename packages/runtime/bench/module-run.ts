/**
 * native against ffi on the host emulator (no GPU needed), on identity_f32:
 *
 * - per-call overhead of the engine hot path, `context.execute()` with fixed
 *   addresses (for native: through the runtime's adapter, and on the addon's
 *   object directly, to show what the adapter costs);
 * - end-to-end latency through `module.run()` (async) and `module.runSync()`,
 *   with the input already on the device and with a JS array copied in and
 *   the output read back.
 *
 * Each measurement runs three rounds with the implementations interleaved,
 * and the median round is reported, so neither pays alone for warm-up.
 * Prints a table, or JSON with `--json`. BENCH_QUICK=1 runs a tenth of the
 * iterations. Run: pnpm --filter @trt/runtime bench
 */
import { buildPlan, emulatorLibraryPath, FIXTURES } from "@trt/emulator";
import type { EngineImplementation, ExecutionContextHandle } from "../src/engine/contract.js";
import { TensorRTEnvironment } from "../src/environment/environment.js";
import { TensorRTModule } from "../src/module/module.js";
import { NativeContextAdapter } from "../src/native/adapter.js";
import { withRuntime } from "../src/selection/scope.js";
import { Tensor } from "../src/tensor/tensor.js";

const quick = process.env.BENCH_QUICK === "1";
const json = process.argv.includes("--json");
const scale = quick ? 0.1 : 1;
const n = (count: number) => Math.max(100, Math.round(count * scale));

interface Row {
  readonly implementation: EngineImplementation;
  readonly measurement: string;
  readonly iterations: number;
  /** Mean per call, microseconds. */
  readonly meanUs: number;
  /** Per-call percentiles where calls were timed one by one, microseconds. */
  readonly p50Us: number | null;
  readonly p99Us: number | null;
}

/** Mean time of `fn` over a loop (for calls too short to time one by one). */
function loop(iterations: number, fn: () => void): number {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

/** Each call timed on its own: mean, p50, p99. */
async function timed(iterations: number, fn: () => unknown): Promise<{ mean: number; p50: number; p99: number }> {
  for (let i = 0; i < Math.min(iterations, 2_000); i++) await fn();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  const sorted = samples.slice().sort();
  const mean = samples.reduce((a, b) => a + b, 0) / iterations;
  return { mean, p50: sorted[Math.floor(iterations * 0.5)]!, p99: sorted[Math.floor(iterations * 0.99)]! };
}

const environment = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10) });
const native = environment.nativeAvailability();
const implementations: EngineImplementation[] = native.available ? ["native", "ffi"] : ["ffi"];
if (!native.available) console.error(`[bench] native skipped: ${native.error.reason}`);
const plan = buildPlan(FIXTURES.identity_f32!);
/** Each measurement runs this many times, implementations interleaved; the median round is reported (the first rounds pay for JIT and heap growth). */
const ROUNDS = 3;

interface Case {
  readonly implementation: EngineImplementation;
  readonly measurement: string;
  readonly iterations: number;
  /** Mean only (a loop), or per call (mean, p50, p99). */
  readonly measure: () => Promise<{ mean: number; p50: number | null; p99: number | null }>;
}

const cases: Case[] = [];
const cleanups: (() => void)[] = [];
for (const implementation of implementations) {
  const module = await withRuntime(implementation, () => TensorRTModule.fromEngine(plan, { environment }));
  const device = module.device;
  // The engine hot path alone, on a context of its own.
  const engine = await environment.backend(implementation).deserialize(plan);
  const context: ExecutionContextHandle = engine.createContext("static");
  const x = device.pool.alloc(24);
  const y = device.pool.alloc(24);
  const request = { inputShapes: new Float64Array([2, 2, 3]), addresses: new Float64Array([x, y]), stream: 0 };
  const loopCase = (measurement: string, fn: () => void) =>
    cases.push({ implementation, measurement, iterations: n(200_000), measure: async () => ({ mean: loop(n(200_000), fn), p50: null, p99: null }) });
  loopCase("context.execute()", () => context.execute(request));
  if (context instanceof NativeContextAdapter) {
    const raw = context.inner;
    loopCase("addon context.execute() (no adapter)", () => raw.execute(request));
  }
  const onDevice = Tensor.fromArray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], { device });
  const fromJs = { x: { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] } };
  const perCall = (measurement: string, fn: () => unknown) =>
    cases.push({ implementation, measurement, iterations: n(20_000), measure: () => withRuntime(implementation, () => timed(n(20_000), fn)) });
  perCall("module.runSync(), device input", () => module.runSync({ x: onDevice }).dispose());
  perCall("module.run(), device input", async () => (await module.run({ x: onDevice })).dispose());
  perCall("module.run() + toArray(), JS input (end to end)", async () => {
    using r = await module.run(fromJs);
    await r.outputs.y!.toArray();
  });
  cleanups.push(() => {
    context.release();
    engine.release();
    device.pool.free(x);
    device.pool.free(y);
    onDevice.dispose();
    module.release();
  });
}

// Same measurement, each implementation in turn, ROUNDS times.
const measurements = [...new Set(cases.map((c) => c.measurement))];
const rows: Row[] = [];
for (const measurement of measurements) {
  const rounds = new Map<EngineImplementation, { mean: number; p50: number | null; p99: number | null }[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of cases.filter((k) => k.measurement === measurement)) {
      const list = rounds.get(c.implementation) ?? [];
      list.push(await c.measure());
      rounds.set(c.implementation, list);
    }
  }
  for (const c of cases.filter((k) => k.measurement === measurement)) {
    const sorted = rounds.get(c.implementation)!.sort((a, b) => a.mean - b.mean);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    rows.push({ implementation: c.implementation, measurement, iterations: c.iterations, meanUs: median.mean, p50Us: median.p50, p99Us: median.p99 });
  }
}
cleanups.forEach((f) => f());

// ffi / native for every measurement both implementations ran, from the same run.
const ratios = measurements.flatMap((measurement) => {
  const of = (impl: EngineImplementation) => rows.find((r) => r.measurement === measurement && r.implementation === impl);
  const native = of("native");
  const ffi = of("ffi");
  return native && ffi ? [{ measurement, ffiOverNative: ffi.meanUs / native.meanUs }] : [];
});

if (json) {
  console.log(JSON.stringify({ node: process.version, library: environment.library, quick, rows, ratios }, null, 2));
} else {
  const lib = environment.library;
  console.log(`identity_f32 [2, 3] on the TensorRT ${lib.version.major} emulator (${lib.emulator?.mode ?? "real"} mode), Node ${process.version}${quick ? ", quick" : ""}`);
  const fmt = (v: number | null) => (v === null ? "" : v.toFixed(2));
  const header = ["implementation", "measurement", "iterations", "mean us", "p50 us", "p99 us"];
  const lines = rows.map((r) => [r.implementation, r.measurement, String(r.iterations), fmt(r.meanUs), fmt(r.p50Us), fmt(r.p99Us)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) => console.log(`| ${cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`);
  print(header);
  console.log(`|${widths.map((w, i) => (i >= 2 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`);
  lines.forEach(print);
}
if (!json && ratios.length > 0) {
  console.log("\n| measurement | ffi / native (mean) |\n|---|---:|");
  for (const r of ratios) console.log(`| ${r.measurement} | ${r.ffiOverNative.toFixed(2)} |`);
}
