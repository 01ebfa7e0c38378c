/**
 * Running the built `trt` CLI (dist/cli.js) as a user would, against the
 * TensorRT emulator in host mode, and the files the tests share.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { emulatorLibraryPath } from "@trt/emulator";
import { afterAll } from "vitest";

export const pkg = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const repo = join(pkg, "..", "..");
export const cli = join(pkg, "dist", "cli.js");
export const sample = join(repo, "examples", "engines", "sample.trtengine");
export const sampleInput = join(repo, "examples", "engines", "sample-input.npy");
export const emulator10 = emulatorLibraryPath(10);

/**
 * The most one child process (the CLI, python3) may take. spawnSync blocks the test worker, so the
 * test timeout cannot stop a child that hangs; this does, and the test then fails on its status.
 * About 0.2 s alone; the bound is for two cores shared with the workspace's other tasks.
 */
export const CHILD_TIMEOUT_MS = 60_000;

/** What a CLI run gave. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment the CLI runs in: the emulator as TensorRT, and nothing from
 * the caller's shell that changes which implementation runs or what is logged.
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TRT_NVINFER_PATH: emulator10, ...extra };
  for (const key of ["TRT_RUNTIME", "NODE_DEBUG", "TRT_CUDART_PATH"]) if (!(key in extra)) delete env[key];
  for (const [key, value] of Object.entries(extra)) if (value === undefined) delete env[key];
  return env;
}

/** Runs `trt ...args` to completion. */
export function trt(args: readonly string[], extraEnv: Record<string, string | undefined> = {}): CliResult {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: cliEnv(extraEnv), timeout: CHILD_TIMEOUT_MS });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** {@link trt} without blocking the test worker (for tests that run several CLIs at once). */
export function trtAsync(args: readonly string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: cliEnv(extraEnv), timeout: CHILD_TIMEOUT_MS });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A temporary directory removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** python3 with numpy, or null (the numpy cross-checks skip without it). */
export const numpyPython: string | null = (() => {
  const r = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
  return r.status === 0 ? "python3" : null;
})();

/** Runs a python3 snippet with numpy; returns stdout, throws with stderr on failure. */
export function python(code: string, args: readonly string[] = []): string {
  const r = spawnSync("python3", ["-c", code, ...args], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout;
}
