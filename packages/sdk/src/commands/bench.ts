// `trt bench FILE`: latency percentiles and throughput of module.run() on
// the selected engine implementation, with a progress bar; --profile adds
// the slowest layers as TensorRT's profiler reports them.
import type { HostInput, RunInputs, Tensor, TensorRTModule } from "@trt/runtime";
import type { Command } from "commander";
import { addEngineChoiceOptions, engineChoice, type EngineChoiceOptions } from "../cli/engine-choice.js";
import { reportCliError } from "../cli/errors.js";
import { applyGlobalOptions, globalOptions } from "../cli/global-options.js";
import { collect, readInputFiles } from "../cli/input-args.js";
import { latencyStats } from "../cli/latency.js";
import type { LatencyStats } from "../cli/latency.js";
import type { LayerProfile } from "../cli/layer-profile.js";
import { integerAtLeast } from "../cli/numbers.js";
import { startProgress } from "../cli/progress.js";
import { formatNumber } from "../cli/summary.js";
import { syntheticInputs } from "../cli/synthetic-inputs.js";

interface BenchOptions extends EngineChoiceOptions {
  input?: string[];
  shape?: string[];
  iterations: number;
  warmup: number;
  hostInputs?: boolean;
  sync?: boolean;
  profile?: boolean;
  profileRuns: number;
  top: number;
  json?: boolean;
  progress: boolean;
}

/** What `trt bench --json` prints. */
export interface BenchReport {
  readonly file: string;
  readonly name: string;
  readonly implementation: string;
  readonly device: string;
  /** The TensorRT library measured (the emulator says so). */
  readonly tensorrt: string;
  readonly call: "run" | "runSync";
  /** "device": inputs copied to the device once; "host": copied from JS memory on every run. */
  readonly inputs: "device" | "host";
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  readonly warmup: number;
  readonly latencyMs: LatencyStats;
  /** Runs per second over the whole measured loop (wall time, output disposal included). */
  readonly throughput: number;
  /** With --profile: the slowest layers (all of them in JSON). */
  readonly layers?: LayerProfile;
}

/** Milliseconds to 4 significant digits: timings are not more precise than that. */
const ms = (v: number): string => formatNumber(v, 4);

/** The human-readable report. */
export function formatBenchReport(r: BenchReport, top: number): string {
  const shapes = Object.entries(r.shapes)
    .map(([n, s]) => `${n} [${s.join(", ")}]`)
    .join(", ");
  const l = r.latencyMs;
  const lines = [
    `${r.name} on ${r.implementation} (${r.device}, ${r.tensorrt}): ${l.runs} runs after ${r.warmup} warm-up, ${r.call}(), ${r.inputs} inputs ${shapes}`,
    `latency ms  min ${ms(l.min)}  mean ${ms(l.mean)}  p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p99 ${ms(l.p99)}  max ${ms(l.max)}`,
    `throughput  ${formatNumber(Math.round(r.throughput))} runs/s`,
  ];
  if (r.layers) {
    const shown = r.layers.layers.slice(0, top);
    lines.push(
      `layers      top ${shown.length} of ${r.layers.layers.length} by mean time over ${r.layers.runs} profiled runs (TensorRT IProfiler; ${ms(r.layers.totalMeanMs)} ms per run in layers)`,
    );
    const width = Math.max(5, ...shown.map((x) => x.name.length));
    lines.push(`  ${"layer".padEnd(width)}  ${"mean ms".padStart(10)}  ${"median ms".padStart(10)}  ${"share".padStart(6)}`);
    for (const x of shown) {
      const share = `${(x.share * 100).toFixed(1)}%`;
      lines.push(`  ${x.name.padEnd(width)}  ${ms(x.meanMs).padStart(10)}  ${ms(x.medianMs).padStart(10)}  ${share.padStart(6)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

async function measure(module: TensorRTModule, inputs: RunInputs, options: BenchOptions): Promise<{ samples: number[]; seconds: number }> {
  const once = async (): Promise<void> => {
    const result = options.sync ? module.runSync(inputs) : await module.run(inputs);
    result.dispose();
  };
  for (let i = 0; i < options.warmup; i++) await once();
  const progress = startProgress("bench", options.iterations, options.progress);
  const samples: number[] = [];
  const started = performance.now();
  try {
    for (let i = 0; i < options.iterations; i++) {
      const t0 = performance.now();
      await once();
      samples.push(performance.now() - t0);
      progress.tick();
    }
  } finally {
    progress.stop();
  }
  return { samples, seconds: (performance.now() - started) / 1000 };
}

/** Per-layer times; the module is loaded only with --profile. */
async function profile(module: TensorRTModule, inputs: Record<string, Tensor>, runs: number): Promise<LayerProfile> {
  const { profileLayers } = await import("../cli/layer-profile.js");
  return profileLayers(module, inputs, runs);
}

/** Adds `bench` to the program. */
export function registerBench(program: Command): void {
  addEngineChoiceOptions(program.command("bench"))
    .description("measure latency percentiles and throughput of an engine; --profile adds per-layer times")
    .argument("<file>", "engine file: a TensorRT plan (.engine), a Torch-TensorRT .ep/.ts archive, a .trtengine container or a pickled tuple")
    .option("-i, --input <name=file.npy>", "take an input's data from a .npy file (repeatable; default: generated data)", collect)
    .option("--shape <name=dims>", "shape of a generated dynamic input, e.g. x=4x8 (default: profile 0's opt shape)", collect)
    .option("-n, --iterations <n>", "measured runs", integerAtLeast(1), 200)
    .option("--warmup <n>", "runs before measuring", integerAtLeast(0), 20)
    .option("--host-inputs", "copy the inputs from JS memory on every run (default: copied to the device once)")
    .option("--sync", "measure runSync() instead of run()")
    .option("--profile", "also report per-layer times from TensorRT's profiler")
    .option("--profile-runs <n>", "runs to profile with --profile", integerAtLeast(1), 20)
    .option("--top <n>", "layers to show with --profile", integerAtLeast(1), 10)
    .option("--json", "print the report as JSON")
    .option("--no-progress", "no progress bar (it is drawn on stderr, and only on a terminal)")
    .action(async (file: string, options: BenchOptions, command: Command) => {
      let module: TensorRTModule | undefined;
      const devices: Tensor[] = [];
      try {
        const environment = await applyGlobalOptions(globalOptions(command));
        const { libraryTraits, Tensor, TensorRTModule } = await import("@trt/runtime");
        module = await TensorRTModule.load(file, { environment, ...engineChoice(options) });
        const given = options.input?.length ? await readInputFiles(module, options.input) : {};
        const host: Record<string, HostInput> = { ...given, ...syntheticInputs(module, options.shape ?? [], new Set(Object.keys(given))) };
        const onDevice: Record<string, Tensor> = {};
        for (const spec of module.inputs) {
          const { data, shape } = host[spec.name]!;
          const tensor = Tensor.fromArray(data, shape, { device: module.device, dtype: spec.dtype });
          devices.push(tensor);
          onDevice[spec.name] = tensor;
        }
        if (options.sync) await module.materialize();
        const { samples, seconds } = await measure(module, options.hostInputs ? host : onDevice, options);
        const layers = options.profile ? await profile(module, onDevice, options.profileRuns) : undefined;
        const report: BenchReport = {
          file,
          name: module.name,
          implementation: environment.resolve().implementation,
          device: module.device.name,
          tensorrt: libraryTraits(environment.library).label,
          call: options.sync ? "runSync" : "run",
          inputs: options.hostInputs ? "host" : "device",
          shapes: Object.fromEntries(module.inputs.map((s) => [s.name, host[s.name]!.shape])),
          warmup: options.warmup,
          latencyMs: latencyStats(samples),
          throughput: samples.length / seconds,
          ...(layers ? { layers } : {}),
        };
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatBenchReport(report, options.top));
      } catch (e) {
        reportCliError(e);
      } finally {
        for (const t of devices) t.dispose();
        module?.release();
      }
    });
}
