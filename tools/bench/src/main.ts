/**
 * The benchmark suite: every case of cases.ts through every row of rows.ts
 * (the C++ floor, this runtime's two engine implementations plain and with
 * CUDA graphs, PyTorch eager and graphed), then throughput against requests
 * in flight and memory over many calls. Prints tables and ratios; writes the
 * JSON (and Markdown) when asked.
 *
 *   pnpm bench                                  (all workspace benchmarks)
 *   pnpm --filter @trt/bench bench -- --json out.json --markdown out.md
 *   BENCH_QUICK=1 ...   or --quick              (short mode: checks it works)
 *   ... --models MODELS_DIR [--anchors A.json] [--memory]   (real networks, src/models/)
 *
 * On a GPU, run the emulator in CUDA mode (TRT_EMU_CUDA=ON
 * TRT_EMULATOR_MODE=cuda) or point TRT_NVINFER_PATH at TensorRT. Timings are
 * per call with the wait for the device; the floor and PyTorch rows also
 * record CUDA events for device time.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";

import { emulatorLibraryPath } from "@trt/emulator";
import type { EngineImplementation } from "@trt/runtime";
import { setRuntime, TensorRTEnvironment } from "@trt/runtime";

import { CASES, REAL_CASES } from "./cases.js";
import { benchModels } from "./models/bench-models.js";
import { lastEmulatorInfo, measureFloor } from "./floor.js";
import type { Measurement } from "./measurement.js";
import { unsupported } from "./measurement.js";
import type { MemoryRow } from "./memory.js";
import { measureMemory } from "./memory.js";
import type { PlanSource } from "./plan-source.js";
import { emulatorPlans, realEngines } from "./plan-source.js";
import type { ModuleRig } from "./ours.js";
import { makeRig, measureRunSync } from "./ours.js";
import { allocatorOverhead, caseRatios } from "./ratios.js";
import type { BenchReport, CaseResult } from "./report.js";
import { formatMarkdown, formatTable } from "./report.js";
import type { RowKey } from "./rows.js";
import { PYTHON_ROWS, ROWS } from "./rows.js";
import { medianRound } from "./stats.js";
import type { ThroughputRow } from "./throughput.js";
import { measureThroughput } from "./throughput.js";
import { measureRealEngines, measureTorch, skippedTorch } from "./torch.js";

const argv = process.argv.slice(2);
const option = (name: string, env: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : process.env[env];
};
const quick = argv.includes("--quick") || process.env.BENCH_QUICK === "1";
const jsonPath = option("--json", "BENCH_JSON");
const markdownPath = option("--markdown", "BENCH_MARKDOWN");
const only = option("--cases", "BENCH_CASES")?.split(",");
const major = Number(process.env.BENCH_TRT_MAJOR ?? 10) as 10 | 11;
// Real TensorRT engine files (a fixture folder of tools/real-tensorrt) instead of emulator plans.
const enginesDir = option("--engines", "BENCH_ENGINES");
// Real networks (a models folder of tools/real-tensorrt's real_models.py), or a saved run of them to report again.
const modelsDir = option("--models", "BENCH_MODELS");
const modelsFrom = option("--from", "BENCH_FROM");

const ITERATIONS = quick ? 200 : 2000;
// Many short rounds, rows interleaved within each, the median round kept: a shared machine drifts over seconds.
const ROUNDS = quick ? 1 : 7;
const THROUGHPUT_REQUESTS = quick ? 400 : 20_000;
const IN_FLIGHT = [1, 2, 4, 8];
const MEMORY_CALLS = quick ? 2000 : 100_000;

const withAllocator = (ratios: ReturnType<typeof caseRatios>) => [...ratios, ...allocatorOverhead(ratios)];
const progress = (message: string) => console.error(`[bench] ${message}`);

async function main(): Promise<void> {
  const started = Date.now();
  const nvinferPath = process.env.TRT_NVINFER_PATH ?? emulatorLibraryPath(major);
  if (modelsDir || modelsFrom) {
    await benchModels({
      ...(modelsDir ? { directory: modelsDir } : {}),
      ...(modelsFrom ? { from: modelsFrom } : {}),
      ...(option("--anchors", "BENCH_ANCHORS") ? { anchors: option("--anchors", "BENCH_ANCHORS")! } : {}),
      ...(jsonPath ? { json: jsonPath } : {}),
      ...(markdownPath ? { markdown: markdownPath } : {}),
      ...(option("--only", "BENCH_ONLY") ? { only: option("--only", "BENCH_ONLY")!.split(",") } : {}),
      quick,
      memory: argv.includes("--memory") || process.env.BENCH_MEMORY === "1",
      nvinferPath,
    });
    return;
  }
  const environment = new TensorRTEnvironment({ nvinferPath });
  const library = environment.library;
  const layer = environment.deviceLayer;
  const gpu = layer.kind === "cuda" ? layer.properties(0).name : null;
  const native = environment.nativeAvailability();
  const implementations: EngineImplementation[] = native.available ? ["native", "ffi"] : ["ffi"];
  const missingNative = native.available ? null : `the native addon is unavailable: ${native.error.reason}`;
  const cases = (enginesDir ? REAL_CASES : CASES).filter((c) => !only || only.includes(c.id));
  const planDir = mkdtempSync(join(tmpdir(), "trt-bench-"));
  const source: PlanSource = enginesDir ? realEngines(enginesDir) : emulatorPlans(planDir);
  progress(
    `${cases.length} cases, ${ITERATIONS} calls per row, ${ROUNDS} round(s)${quick ? " (quick)" : ""}; TensorRT ${library.version.major}.${library.version.minor}` +
      (library.emulator ? ` emulator in ${library.emulator.mode} mode` : "") +
      `; ${gpu ?? "no GPU"}; ${source.description}`,
  );

  const results: CaseResult[] = [];
  try {
    progress("PyTorch rows (a separate process)");
    const torch = source.torchUnsupported
      ? skippedTorch(source.torchUnsupported)
      : enginesDir
        ? measureRealEngines(cases, enginesDir, (c) => source.dtypes(c), ITERATIONS, ROUNDS)
        : measureTorch(cases, ITERATIONS, ROUNDS);
    if (torch.unsupported) progress(`PyTorch rows skipped: ${torch.unsupported}`);

    for (const c of cases) {
      const { bytes: plan, path: planPath } = source.plan(c);
      const dtypes = source.dtypes(c);
      const rigs = new Map<RowKey, ModuleRig>();
      for (const implementation of implementations) {
        rigs.set(implementation, await makeRig(environment, plan, c, dtypes, implementation));
        rigs.set(`${implementation}_graph` as RowKey, await makeRig(environment, plan, c, dtypes, implementation, { graphs: true }));
        rigs.set(`${implementation}_graph_reused` as RowKey, await makeRig(environment, plan, c, dtypes, implementation, { graphs: true, reusedOutputs: true }));
      }
      const rounds = new Map<RowKey, Measurement[]>();
      const record = (key: RowKey, m: Measurement) => rounds.set(key, [...(rounds.get(key) ?? []), m]);
      for (let round = 0; round < ROUNDS; round++) {
        progress(`${c.id}: round ${round + 1}/${ROUNDS}`);
        record("floor", measureFloor(nvinferPath, planPath, c, "enqueue", ITERATIONS));
        record("floor_graph", measureFloor(nvinferPath, planPath, c, "graph", ITERATIONS));
        for (const implementation of ["native", "ffi"] as const) {
          for (const suffix of ["", "_graph", "_graph_reused"]) {
            const key = `${implementation}${suffix}` as RowKey;
            const rig = rigs.get(key);
            record(key, rig ? measureRunSync(rig, implementation, ITERATIONS, suffix !== "") : unsupported(missingNative!));
          }
        }
      }
      let ours: number | null = null;
      const first = rigs.get(implementations[0]!);
      if (first) {
        setRuntime(implementations[0]!);
        using result = first.module.runSync(first.inputs[0]!);
        ours = Array.from(result.list[0]!.toArraySync() as ArrayLike<number | bigint>, Number).reduce((a, b) => a + b, 0);
      }
      for (const rig of rigs.values()) rig.release();
      const rows = Object.fromEntries(ROWS.map(({ key }) => [key, rounds.has(key) ? medianRound(rounds.get(key)!) : unsupported("")])) as Record<RowKey, Measurement>;
      const t = torch.cases[c.id];
      for (const key of PYTHON_ROWS) {
        const reason = key.startsWith("torch_") || enginesDir ? (torch.unsupported ?? "not measured") : "measured on real engines only (--engines)";
        rows[key] = t?.rows[key] ?? unsupported(reason);
      }
      results.push({ id: c.id, what: c.what, rows, checksums: { ours, torch: t?.checksum ?? null } });
    }

    const throughput: ThroughputRow[] = [];
    const throughputCase = cases.find((c) => c.id === "mlp3_b8") ?? cases[0]!;
    for (const implementation of implementations) {
      for (const inFlight of IN_FLIGHT) {
        progress(`throughput: ${implementation}, ${inFlight} in flight`);
        throughput.push(await measureThroughput(environment, source.plan(throughputCase).bytes, throughputCase, source.dtypes(throughputCase), implementation, inFlight, THROUGHPUT_REQUESTS));
      }
    }
    const memory: MemoryRow[] = [];
    const memoryCase = cases.find((c) => c.id === "identity") ?? cases[0]!;
    for (const implementation of implementations) {
      progress(`memory: ${implementation}, ${MEMORY_CALLS} calls`);
      memory.push(await measureMemory(environment, source.plan(memoryCase).bytes, memoryCase, source.dtypes(memoryCase), implementation, MEMORY_CALLS));
    }

    const report: BenchReport = {
      meta: {
        date: new Date().toISOString(),
        command: ["node", ...process.execArgv, ...process.argv.slice(1).map((a, i) => (i === 0 ? "src/main.ts" : a))].join(" "),
        quick,
        iterationsPerRow: ITERATIONS,
        rounds: ROUNDS,
        node: process.version,
        cpu: `${cpus()[0]?.model ?? "unknown"} (${cpus().length} threads)`,
        gpu,
        engines: source.description,
        tensorrt: { version: library.version, emulator: library.emulator, matmul: lastEmulatorInfo?.matmul ?? null, path: library.path },
        torch: {
          version: torch.torch,
          cuda: torch.cuda,
          device: torch.device,
          tensorrtPython: torch.tensorrtPython ?? null,
          torchTensorRT: torch.torchTensorRT ?? null,
          unsupported: torch.unsupported ?? null,
        },
        native: native.available ? "available" : missingNative,
        seconds: (Date.now() - started) / 1000,
      },
      cases: results,
      ratios: withAllocator(results.flatMap((r) => caseRatios(r.id, r.rows))),
      throughput,
      memory,
    };
    console.log(formatTable(report));
    if (jsonPath) writeFileSync(jsonPath, JSON.stringify(report, null, 2) + "\n");
    if (markdownPath) writeFileSync(markdownPath, formatMarkdown(report));
    progress(`done in ${((Date.now() - started) / 1000).toFixed(1)} s${jsonPath ? `; JSON in ${jsonPath}` : ""}`);
  } finally {
    rmSync(planDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
