// `trt doctor`: which engine implementations load here, which TensorRT and
// CUDA libraries were found where (every path tried), which GPUs, which
// plugin libraries load (TensorRT's own and --plugin's), and what to install
// for what is missing. Exits 1 when no engine can run here.
import type { Command } from "commander";
import { reportCliError } from "../cli/errors.js";
import { globalOptions } from "../cli/global-options.js";

/** Adds `doctor` to the program. */
export function registerDoctor(program: Command, sdkVersion: string): void {
  program
    .command("doctor")
    .description("check which engine implementations, TensorRT and CUDA libraries and GPUs this machine has, and what is missing")
    .option("--json", "print the report as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      try {
        const global = globalOptions(command);
        // Probing loads libraries: done only when asked for, not when the CLI starts.
        const { diagnose } = await import("../doctor/diagnose.js");
        const { formatDoctorReport } = await import("../doctor/format.js");
        const report = await diagnose(
          {
            sdkVersion,
            ...(global.nvinfer ? { nvinferPath: global.nvinfer } : {}),
            ...(global.cudart ? { cudartPath: global.cudart } : {}),
            ...(global.allowEngineHostCode ? { allowEngineHostCode: true } : {}),
            ...(global.plugin && global.plugin.length > 0 ? { plugins: global.plugin } : {}),
          },
          global.runtime ?? process.env.TRT_RUNTIME ?? null,
        );
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
        if (!report.ready) process.exitCode = 1;
      } catch (e) {
        reportCliError(e);
      }
    });
}
