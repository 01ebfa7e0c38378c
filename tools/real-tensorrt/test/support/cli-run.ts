/**
 * One inference through the `trt` CLI, as a user runs it: `trt run ENGINE
 * --input name=file.npy ... --output-dir DIR --json` in a child process with
 * the engine implementation and libnvinfer named on the command line; the
 * outputs come back as the .npy files it wrote.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeNpy } from "@trt/sdk";
import type { EngineImplementation, NpyArray } from "@trt/sdk";

/** The `trt` bin of the workspace's @trt/sdk (linked into this package's node_modules). */
export const TRT_BIN = fileURLToPath(new URL("../../node_modules/@trt/sdk/bin/trt.js", import.meta.url));

export interface CliRun {
  readonly implementation: EngineImplementation;
  readonly nvinferPath: string;
  readonly engine: string;
  /** Input name -> .npy path. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** What `trt run --json` reports, as far as this check reads it. */
interface RunReport {
  readonly implementation: string;
  readonly tensorrt: string;
  readonly outputs: readonly { readonly name: string; readonly file?: string }[];
}

/** Runs the CLI once; the outputs by name, and the library it reports. Rejects with its stderr on failure. */
export async function runCli(run: CliRun): Promise<{ outputs: Record<string, NpyArray>; tensorrt: string; implementation: string }> {
  const outputDir = mkdtempSync(join(tmpdir(), "trt-cli-run-"));
  try {
    const args = [TRT_BIN, "--runtime", run.implementation, "--nvinfer", run.nvinferPath, "run", run.engine, "--output-dir", outputDir, "--json"];
    for (const [name, file] of Object.entries(run.inputs)) args.push("--input", `${name}=${file}`);
    const stdout = await new Promise<string>((resolve, reject) => {
      // A large engine takes seconds to deserialize; the bound only stops a hung process.
      execFile(process.execPath, args, { timeout: 300_000, maxBuffer: 16 << 20 }, (error, out, err) => {
        if (error) reject(new Error(`trt ${args.slice(1).join(" ")} failed (${error.code ?? error.signal}): ${err || error.message}`));
        else resolve(out);
      });
    });
    const report = JSON.parse(stdout) as RunReport;
    const outputs: Record<string, NpyArray> = {};
    for (const o of report.outputs) {
      if (!o.file) throw new Error(`trt run wrote no file for output ${o.name}`);
      outputs[o.name] = decodeNpy(readFileSync(o.file));
    }
    return { outputs, tensorrt: report.tensorrt, implementation: report.implementation };
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}
