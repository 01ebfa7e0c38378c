/**
 * The two checks a README example gets (see readme-examples.test.ts): type
 * checking with the repository's TypeScript against the built packages, and
 * running with the current `node` against the TensorRT emulator. Each returns
 * the problems it found, empty when the example is fine, so the README's
 * examples and the deliberately broken ones go through the same code.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEngineFileSync } from "@trt/format/node";
import ts from "typescript";
import type { ReadmeBlock } from "./readme-blocks.js";
import { CHILD_TIMEOUT_MS, cliEnv, pkg, sample, sampleInput } from "./cli.js";

/**
 * Where examples are written: beneath this package's node_modules, so that
 * `@trt/sdk` (the workspace root's dependency), `@trt/runtime`,
 * `@trt/settings`, `@trt/format` and `@trt/native` (this package's) resolve
 * to the built packages as they would for a user, and nothing lands in the
 * source tree.
 */
export function examplesRoot(): string {
  const root = join(pkg, "node_modules", ".cache");
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, "readme-examples-"));
}

/**
 * Declarations for the names a `typecheck (given: ...)` block may use without
 * defining: what earlier text of the README introduced. Written with inline
 * `import()` types, so they add no names a block could clash with.
 */
export const GIVEN: Readonly<Record<string, string>> = {
  module: `declare const module: import("@trt/sdk").TensorRTModule;`,
  encoder: `declare const encoder: import("@trt/sdk").TensorRTModule;`,
  decoder: `declare const decoder: import("@trt/sdk").TensorRTModule;`,
  head: `declare const head: import("@trt/sdk").TensorRTModule;`,
  TensorRTModule: `declare const TensorRTModule: typeof import("@trt/sdk").TensorRTModule;`,
  RuntimeCache: `declare const RuntimeCache: typeof import("@trt/sdk").RuntimeCache;`,
  RuntimeSettings: `type RuntimeSettings = import("@trt/sdk").RuntimeSettings;`,
  RuntimeCapabilities: `type RuntimeCapabilities = import("@trt/sdk").RuntimeCapabilities;`,
  writeChromeTrace: `declare const writeChromeTrace: typeof import("@trt/sdk").writeChromeTrace;`,
  inputs: `declare const inputs: import("@trt/sdk").RunInputs;`,
  pipeline: `declare function pipeline(inputs: import("@trt/sdk").RunInputs): Promise<unknown>;`,
  pixels: `declare const pixels: ArrayLike<number>;`,
  x: `declare const x: import("@trt/sdk").Tensor;`,
  x2: `declare const x2: import("@trt/sdk").Tensor;`,
  requests: `declare const requests: import("@trt/sdk").Tensor[];`,
  path: `declare const path: string;`,
  bytes: `declare const bytes: Uint8Array;`,
  planBytes: `declare const planBytes: Uint8Array;`,
  engine: `declare const engine: { serializeRuntimeCache(): Uint8Array };`,
};

/** What a user's `tsconfig.json` for Node 20 with `using` would say (the README's "TypeScript 5.2 or later"). */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts", "lib.esnext.disposable.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ["node"],
  strict: true,
  skipLibCheck: true,
  noEmit: true,
};

/**
 * Type-checks every block as an ES module (`.mts`) in one program (one
 * program, because loading Node's and the packages' declarations dominates).
 * The `given` declarations share the file's first line, so a diagnostic's
 * line in the file is its README line counted from the fence. Returns, per
 * block, its diagnostics as `file:line: message`.
 */
export function typecheckBlocks(blocks: readonly ReadmeBlock[], dir: string): string[][] {
  const files = blocks.map((block, i) => {
    const unknown = block.given.filter((name) => !(name in GIVEN));
    const prelude = block.given.filter((name) => name in GIVEN).map((name) => GIVEN[name]).join(" ");
    const path = join(dir, `block-${i}.mts`);
    writeFileSync(path, `${prelude}\n${block.code}`);
    return { block, path, unknown };
  });
  const program = ts.createProgram(files.map((f) => f.path), COMPILER_OPTIONS);
  const global = program.getOptionsDiagnostics().concat(program.getGlobalDiagnostics());
  return files.map(({ block, path, unknown }) => {
    const problems = unknown.map((name) => `${block.file}:${block.line}: "given: ${name}" has no declaration in readme-checks.ts GIVEN`);
    const source = program.getSourceFile(path);
    const diagnostics = source === undefined ? [] : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const d of [...global, ...diagnostics]) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (d.file === undefined || d.start === undefined) {
        problems.push(`${block.file}:${block.line}: TS${d.code}: ${message}`);
      } else {
        const fileLine = d.file.getLineAndCharacterOfPosition(d.start).line; // 0-based; line 0 is the prelude
        problems.push(`${block.file}:${block.line + fileLine}: TS${d.code}: ${message}`);
      }
    }
    return problems;
  });
}

/** What a run of an example gave. */
export interface RunOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `block` as `example.mjs` with the current `node`, in a fresh directory
 * under `dir` holding `model.trtengine` (examples/engines' sample engine:
 * x float32 [batch, 8] -> y float32 [batch, 4]), `model.engine` (the same
 * engine as a raw plan, as trtexec would write one) and `x.npy` (its sample
 * input), TensorRT being the emulator. Returns the outcome and its problems:
 * a non-zero exit, a signal, or anything on stderr (warnings included).
 */
export async function runBlock(block: ReadmeBlock, dir: string): Promise<{ outcome: RunOutcome; problems: string[] }> {
  const cwd = mkdtempSync(join(dir, "run-"));
  copyFileSync(sample, join(cwd, "model.trtengine"));
  writeFileSync(join(cwd, "model.engine"), readEngineFileSync(sample).engine);
  copyFileSync(sampleInput, join(cwd, "x.npy"));
  writeFileSync(join(cwd, "example.mjs"), block.code);
  const outcome = await new Promise<RunOutcome>((resolve, reject) => {
    const child = spawn(process.execPath, ["example.mjs"], { cwd, env: cliEnv(), timeout: CHILD_TIMEOUT_MS });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const where = `${block.file}:${block.line}`;
  const problems: string[] = [];
  if (outcome.code !== 0) problems.push(`${where}: node exited with ${outcome.code ?? outcome.signal}`);
  if (outcome.stderr !== "") problems.push(`${where}: stderr: ${outcome.stderr.trim()}`);
  return { outcome, problems };
}
