/**
 * `pnpm --filter @trt/bench bench -- --models MODELS_DIR`: every model the
 * manifest lists as built, every bench case, on native and ffi (see
 * measure-model.ts), optionally memory over 10^5 run() calls (--memory),
 * then the report against the anchors (--anchors). `--from OURS.json`
 * reports a saved run again (with other anchors, say) without measuring.
 * Progress goes to stderr; the Markdown report to stdout, and to --json /
 * --markdown files when asked.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import type { EngineImplementation } from "@trt/runtime";
import { TensorRTEnvironment } from "@trt/runtime";
import { batchOf, readModelsManifest } from "@trt/real-tensorrt/models";
import type { BuiltModel } from "@trt/real-tensorrt/models";
import { readAnchors } from "./anchors.js";
import type { MemoryDrift } from "./memory-drift.js";
import { measureMemoryDrift } from "./memory-drift.js";
import { measureModel } from "./measure-model.js";
import type { BenchRow } from "./model-rows.js";
import type { ModelsBenchReport } from "./report.js";
import { buildModelsReport, formatModelsMarkdown, ourRowsOf } from "./report.js";
import { fullBudget, QUICK_BUDGET } from "./timed-point.js";

export interface ModelsBenchOptions {
  /** MODELS_DIR to measure (or `from`). */
  readonly directory?: string;
  /** A JSON this command wrote: report it again instead of measuring. */
  readonly from?: string;
  readonly anchors?: string;
  readonly json?: string;
  readonly markdown?: string;
  readonly quick: boolean;
  readonly memory: boolean;
  readonly nvinferPath: string;
  /** Only these models. */
  readonly only?: readonly string[];
}

/** The model and call counts of the memory run. */
export const MEMORY_MODEL = "resnet50_fp16";
const IN_FLIGHT = [1, 2, 4, 8];

const progress = (started: number) => (message: string) => console.error(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);

async function measure(options: ModelsBenchOptions, say: (m: string) => void): Promise<Omit<ModelsBenchReport, "targets" | "tally" | "anchors">> {
  const directory = options.directory!;
  const manifest = readModelsManifest(directory);
  const environment = new TensorRTEnvironment({ nvinferPath: options.nvinferPath });
  const library = environment.library;
  const layer = environment.deviceLayer;
  const native = environment.nativeAvailability();
  const implementations: EngineImplementation[] = native.available ? ["native", "ffi"] : ["ffi"];
  const budget = options.quick ? QUICK_BUDGET : fullBudget();
  const selected = manifest.models.filter((m) => !options.only || options.only.includes(m.name));
  const { major, minor, patch } = library.version;
  say(
    `${selected.length} models from ${directory}; TensorRT ${major}.${minor}.${patch}${library.emulator ? ` (the emulator, ${library.emulator.mode} mode)` : ""}; ` +
      `${layer.kind === "cuda" ? layer.properties(0).name : "no GPU"}; engines: ${implementations.join(", ")}${native.available ? "" : ` (native: ${native.error.reason})`}`,
  );
  const rows: BenchRow[] = [];
  const skipped: { model: string; reason: string }[] = [];
  for (const model of selected) {
    if (model.status === "failed") {
      skipped.push({ model: model.name, reason: `the builder failed: ${model.reason}` });
      say(`${model.name}: skipped, the builder failed: ${model.reason}`);
      continue;
    }
    for (const implementation of implementations) rows.push(...(await measureModel({ environment, directory, budget, inFlight: IN_FLIGHT, progress: say }, model, implementation)));
  }
  const memory: MemoryDrift[] = [];
  if (options.memory) {
    const model = manifest.models.find((m): m is BuiltModel => m.name === MEMORY_MODEL && m.status === "ok");
    const c = model?.cases.find((x) => batchOf(x) === 1);
    if (!model || !c) {
      skipped.push({ model: MEMORY_MODEL, reason: "memory run: the manifest has no built resnet50_fp16 with a batch-1 case" });
    } else {
      const [calls, every] = options.quick ? [2000, 200] : [100_000, 10_000];
      for (const implementation of implementations) {
        say(`memory: ${model.name} ${c.name} ${implementation}, ${calls} run() calls, sampled every ${every}`);
        memory.push(await measureMemoryDrift(environment, directory, model, c, implementation, calls, every));
      }
    }
  }
  return {
    meta: {
      date: new Date().toISOString(),
      command: ["node", ...process.execArgv, ...process.argv.slice(1)].join(" "),
      quick: options.quick,
      node: process.version,
      cpu: `${cpus()[0]?.model ?? "unknown"} (${cpus().length} threads)`,
      gpu: layer.kind === "cuda" ? layer.properties(0).name : null,
      tensorrt: library.emulator ? `TensorRT emulator (${library.emulator.mode} mode), not TensorRT` : `TensorRT ${major}.${minor}.${patch}`,
      library: library.path,
      models: directory,
      modelsBuiltWith: `TensorRT ${manifest.tensorrt} on ${manifest.gpu}, builder optimization level ${manifest.builderOptimizationLevel ?? "?"}`,
      point: `warm-up ${budget.warmupMs} ms, measured ${budget.measureMs} ms`,
      implementations,
      native: native.available ? "available" : native.error.reason,
    },
    rows,
    memory,
    skipped,
    levels: IN_FLIGHT,
  };
}

export async function benchModels(options: ModelsBenchOptions): Promise<ModelsBenchReport> {
  const started = performance.now();
  const say = progress(started);
  let parts: Omit<ModelsBenchReport, "targets" | "tally" | "anchors">;
  if (options.from) {
    const saved = JSON.parse(readFileSync(options.from, "utf8")) as ModelsBenchReport;
    parts = { meta: saved.meta, rows: ourRowsOf(saved.rows), memory: saved.memory ?? [], skipped: saved.skipped ?? [], levels: saved.levels ?? IN_FLIGHT };
    say(`reporting ${options.from} again (${parts.rows.length} rows)`);
  } else {
    if (!options.directory) throw new Error("give --models MODELS_DIR (or --from OURS.json)");
    parts = await measure(options, say);
  }
  const anchors = options.anchors ? readAnchors(options.anchors) : null;
  if (anchors) say(`anchors: ${anchors.rows.length} rows from ${options.anchors}${anchors.problems.length ? `, ${anchors.problems.length} left out` : ""}`);
  const report = buildModelsReport({ ...parts, meta: { ...parts.meta, seconds: options.from ? parts.meta.seconds : (performance.now() - started) / 1000 }, anchors });
  const markdown = formatModelsMarkdown(report);
  process.stdout.write(markdown);
  if (options.json) writeFileSync(options.json, JSON.stringify(report, null, 2) + "\n");
  if (options.markdown) writeFileSync(options.markdown, markdown);
  say(`done: targets ${report.tally.met} met, ${report.tally.notMet} not met, ${report.tally.notMeasured} not measured${options.json ? `; JSON in ${options.json}` : ""}`);
  return report;
}
