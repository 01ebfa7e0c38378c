// Runs fixture scripts in separate Node processes.
//
// Each fixture is bundled from the current sources with esbuild first (a few
// milliseconds), so children start as plain Node in about 50 ms, and never
// run a stale dist/. Third-party packages stay external and resolve from this
// package's node_modules, which is why the bundles are written beneath it.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Readable } from "node:stream";
import { afterAll, beforeAll } from "vitest";

export interface ChildResult {
  code: number | null;
  /** The signal that ended the child (SIGTERM after {@link CHILD_TIMEOUT_MS}), or null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export type RunFixture = (args: readonly string[]) => Promise<ChildResult>;

/** A fixture process still running, for tests that stop it themselves. */
export interface StartedChild {
  readonly process: ChildProcessByStdio<null, Readable, Readable>;
  /** The first line the child writes to stdout (rejects if it exits first). */
  readonly firstLine: Promise<string>;
  /** Settles when the child has exited and been reaped (so its pid is free). */
  readonly exited: Promise<ChildResult>;
}

export type StartFixture = (args: readonly string[]) => StartedChild;

const cacheRoot = fileURLToPath(new URL("../../node_modules/.cache/", import.meta.url));

/**
 * The time a child may run before it is killed (it then fails its test with a signal instead of
 * leaving a process behind). About 50 ms to start alone; the bound is for two busy cores.
 */
export const CHILD_TIMEOUT_MS = 90_000;

/** The bound for a test that runs children: theirs, plus room for the checks around them. */
export const CHILD_TEST_TIMEOUT_MS = 120_000;

function start(script: string, args: readonly string[]): StartedChild {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"], timeout: CHILD_TIMEOUT_MS });
  let stdout = "";
  let stderr = "";
  let onLine: ((line: string) => void) | null = null;
  const firstLine = new Promise<string>((resolve) => (onLine = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const end = stdout.indexOf("\n");
    if (end >= 0) onLine?.(stdout.slice(0, end));
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<ChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const line = Promise.race([
    firstLine,
    exited.then((r) => Promise.reject(new Error(`fixture exited (${r.code ?? r.signal}) before writing a line; stderr: ${r.stderr}`))),
  ]);
  // Tests that never wait for the line must not see an unhandled rejection.
  line.catch(() => undefined);
  return { process: child, firstLine: line, exited };
}

/** Bundles `test/fixtures/<name>` before the calling file's tests and returns a runner for it. */
export function useFixture(name: string): RunFixture {
  const started = useStartedFixture(name);
  return (args) => started(args).exited;
}

/** {@link useFixture} for a child the test talks to or stops while it runs. */
export function useStartedFixture(name: string): StartFixture {
  let outDir = "";
  let script = "";
  beforeAll(async () => {
    mkdirSync(cacheRoot, { recursive: true });
    outDir = mkdtempSync(join(cacheRoot, "trt-settings-fixture-"));
    script = join(outDir, name.replace(/\.ts$/, ".mjs"));
    await build({
      entryPoints: [fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))],
      outfile: script,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "warning",
    });
  });
  afterAll(() => {
    if (outDir !== "") rmSync(outDir, { recursive: true, force: true });
  });
  return (args) => start(script, args);
}
