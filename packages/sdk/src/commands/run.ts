// `trt run FILE --input name=file.npy ...`: one inference on the engine
// implementation the global options select, with the outputs written as .npy
// files (--output-dir) or summarised on stdout (shape, dtype, min/max/mean,
// first values; --json for the same as JSON).
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { RunResult, Tensor, TensorRTModule } from "@trt/runtime";
import type { Command } from "commander";
import { writeNpyFile } from "../npy/index.js";
import { addEngineChoiceOptions, engineChoice, type EngineChoiceOptions } from "../cli/engine-choice.js";
import { reportCliError } from "../cli/errors.js";
import { applyGlobalOptions, globalOptions } from "../cli/global-options.js";
import { collect, readInputFiles } from "../cli/input-args.js";
import { tensorToNpy } from "../cli/npy-tensors.js";
import { integerAtLeast } from "../cli/numbers.js";
import { formatNumber, summarizeValues } from "../cli/summary.js";
import type { ValueSummary } from "../cli/summary.js";

interface RunOptions extends EngineChoiceOptions {
  input?: string[];
  outputDir?: string;
  json?: boolean;
  first: number;
}

/** One output in the `--json` report. */
export interface RunOutputReport extends ValueSummary {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** The .npy file written, with --output-dir. */
  readonly file?: string;
}

/** What `trt run --json` prints. */
export interface RunReport {
  readonly file: string;
  readonly name: string;
  readonly implementation: string;
  readonly device: string;
  /** The TensorRT library that ran it, e.g. "TensorRT 10.8.0" or "TensorRT emulator 0.1.0 (host mode, not TensorRT)". */
  readonly tensorrt: string;
  readonly milliseconds: number;
  readonly outputs: readonly RunOutputReport[];
}

/** Output names can hold any character but "%"; file names cannot hold "/" (and should not start with "."). */
function fileNameFor(output: string, taken: Set<string>): string {
  let base = output.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\./, "_") || "output";
  while (taken.has(base)) base = `${base}_`;
  taken.add(base);
  return `${base}.npy`;
}

async function describeOutputs(result: RunResult, options: RunOptions): Promise<RunOutputReport[]> {
  const first = options.first;
  const dir = options.outputDir === undefined ? null : resolve(options.outputDir);
  if (dir) await mkdir(dir, { recursive: true });
  const taken = new Set<string>();
  const reports: RunOutputReport[] = [];
  for (const name of result.names) {
    const tensor: Tensor = result.get(name);
    const summary = summarizeValues(await tensor.toArray(), first);
    const report: RunOutputReport = { name, dtype: tensor.dtype, shape: tensor.shape, ...summary };
    if (dir) {
      const file = join(dir, fileNameFor(name, taken));
      await writeNpyFile(file, await tensorToNpy(tensor));
      reports.push({ ...report, file });
    } else {
      reports.push(report);
    }
  }
  return reports;
}

/** The human-readable report: one block per output. */
export function formatRunReport(r: RunReport): string {
  const lines = [`${r.name}: ran on ${r.implementation} (${r.device}, ${r.tensorrt}) in ${formatNumber(r.milliseconds, 3)} ms`];
  for (const o of r.outputs) {
    lines.push(`${o.name}  ${o.dtype} [${o.shape.join(", ")}]${o.file ? `  -> ${o.file}` : ""}`);
    const nans = o.nans > 0 ? `  nan ${o.nans}` : "";
    lines.push(`  min ${formatNumber(o.min)}  max ${formatNumber(o.max)}  mean ${formatNumber(o.mean)}${nans}`);
    if (o.first.length > 0) {
      const more = o.count > o.first.length ? `, ... (${o.count} values)` : "";
      lines.push(`  first: ${o.first.map((v) => formatNumber(v)).join(", ")}${more}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Adds `run` to the program. */
export function registerRun(program: Command): void {
  addEngineChoiceOptions(program.command("run"))
    .description("run an engine once on .npy inputs; write the outputs as .npy files or print a summary")
    .argument("<file>", "engine file: a TensorRT plan (.engine), a Torch-TensorRT .ep/.ts archive, a .trtengine container or a pickled tuple")
    .option("-i, --input <name=file.npy>", "an input's data (repeat for each input; NAME= may be left out for a single input)", collect)
    .option("-o, --output-dir <dir>", "write each output to <dir>/<name>.npy")
    .option("--first <n>", "how many leading values to show per output", integerAtLeast(0), 8)
    .option("--json", "print the report as JSON")
    .action(async (file: string, options: RunOptions, command: Command) => {
      let module: TensorRTModule | undefined;
      try {
        const environment = await applyGlobalOptions(globalOptions(command));
        const { libraryTraits, TensorRTModule } = await import("@trt/runtime");
        module = await TensorRTModule.load(file, { environment, ...engineChoice(options) });
        const inputs = await readInputFiles(module, options.input ?? []);
        const started = performance.now();
        using result = await module.run(inputs);
        const milliseconds = performance.now() - started;
        const report: RunReport = {
          file,
          name: module.name,
          implementation: environment.resolve().implementation,
          device: module.device.name,
          tensorrt: libraryTraits(environment.library).label,
          milliseconds,
          outputs: await describeOutputs(result, options),
        };
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatRunReport(report));
      } catch (e) {
        reportCliError(e);
      } finally {
        module?.release();
      }
    });
}
