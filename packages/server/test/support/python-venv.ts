/**
 * A Python virtual environment with tritonclient[http,grpc] from PyPI, made once
 * and kept under this package's node_modules/.cache (ignored by git, gone
 * with a clean install), keyed by the Python version and the pinned client.
 * It is built in a scratch directory beside the cache and renamed into
 * place only once the client imports, so an interrupted install is never
 * taken for a finished one and two test runs racing each other both end up
 * with a whole environment. Only the venv's own `bin/python` is ever run,
 * which keeps working after the rename (scripts such as bin/pip would not).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pkg } from "./fixtures.js";

/** The client the test drives: pinned, so a new release cannot change what the test means. */
export const TRITONCLIENT = "tritonclient[http,grpc]==2.73.0";

/** The most pip may take for the first install. */
export const PIP_TIMEOUT_MS = 300_000;

/** What a finished child process gave. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The command could not start (e.g. ENOENT). */
  error?: Error;
}

/** Runs a command to completion; kills it after `timeoutMs` (its result then has signal SIGKILL). */
export function runProcess(command: string, args: readonly string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr, error });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `python3 --version` ("3.11.7"), or null when there is no python3 to run. */
export async function pythonVersion(): Promise<string | null> {
  // Starting python3 takes well under a second; the bound is for two busy cores.
  const r = await runProcess("python3", ["--version"], 60_000);
  if (r.error || r.code !== 0) return null;
  return /Python (\S+)/.exec(r.stdout + r.stderr)?.[1] ?? null;
}

const last = (text: string, lines = 15) => text.trim().split("\n").slice(-lines).join("\n");

/**
 * The venv's python, made if the cache has none. Fails with a message that says what to fix when
 * the venv cannot be made or pip cannot install the client (no network, no PyPI).
 */
export async function tritonclientPython(version: string): Promise<string> {
  const cacheRoot = join(pkg, "node_modules", ".cache");
  const key = `tritonclient-venv-py${version}-${TRITONCLIENT.replace(/[^A-Za-z0-9.]+/g, "_")}`;
  const venv = join(cacheRoot, key);
  const python = join(venv, "bin", "python");
  const marker = join(venv, "installed");
  // Importing the client (numpy, gevent) takes a second or two; the bound is for two busy cores.
  const works = async (exe: string) => (await runProcess(exe, ["-c", "import tritonclient.http, tritonclient.grpc, ml_dtypes"], 120_000)).code === 0;
  if (existsSync(marker) && (await works(python))) return python;

  mkdirSync(cacheRoot, { recursive: true });
  const scratch = mkdtempSync(join(cacheRoot, `${key}.partial-`));
  try {
    // Making a venv copies pip into it: seconds alone, much longer on two busy cores.
    const made = await runProcess("python3", ["-m", "venv", scratch], 120_000);
    if (made.code !== 0) {
      throw new Error(`python3 -m venv failed (${made.signal ?? made.code}); this test needs the venv module (e.g. the python3-venv package):\n${last(made.stderr)}`);
    }
    const scratchPython = join(scratch, "bin", "python");
    // Downloads about 50 MB from PyPI (the client, numpy, gevent, aiohttp, grpcio, protobuf); the bound is for a slow link and busy cores.
    const pip = await runProcess(scratchPython, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", TRITONCLIENT], PIP_TIMEOUT_MS);
    if (pip.code !== 0) {
      throw new Error(
        `pip could not install ${TRITONCLIENT} from PyPI (${pip.signal ? `killed after ${PIP_TIMEOUT_MS / 1000} s` : `exit ${pip.code}`}); ` +
          `this test drives the server with Triton's own client and needs PyPI (or a pip mirror configured through PIP_INDEX_URL):\n${last(pip.stderr)}`,
      );
    }
    if (!(await works(scratchPython))) throw new Error(`${TRITONCLIENT} installed, but "import tritonclient.http, tritonclient.grpc, ml_dtypes" fails in ${scratch}`);
    writeFileSync(join(scratch, "installed"), `${TRITONCLIENT}\n`);
    // A leftover that does not work (no marker, or a Python that has since changed) makes way.
    if (existsSync(venv) && !(existsSync(marker) && (await works(python)))) rmSync(venv, { recursive: true, force: true });
    try {
      renameSync(scratch, venv);
    } catch (error) {
      // Another run finished first: use its environment if it is whole.
      if (!(existsSync(marker) && (await works(python)))) throw error;
    }
    return python;
  } finally {
    if (existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
  }
}
