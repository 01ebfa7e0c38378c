/**
 * An empty app that installs the tarballs with npm as a user would: engine-strict
 * (every package in the tree must accept this Node), install scripts on, and a
 * PATH that holds node and npm only, so no compiler or cmake can be used. The
 * @trt scope points at an unreachable registry, so a dependency missing from the
 * tarballs fails the install instead of being fetched; the rest comes from
 * npm's cache or the registry.
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** An npm install with a warm cache takes seconds; a cold one, with the registry, a minute or two. */
const INSTALL_TIMEOUT_MS = 480_000;
/** One node process in the app: about a second alone; the bound is for two busy cores. */
export const CHILD_TIMEOUT_MS = 60_000;

/** A folder with links to node, npm and sh (npm runs install scripts with it) and nothing else, for PATH. */
export function nodeAndNpmOnly(dir: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, "node"));
  for (const tool of ["npm", "sh"]) symlinkSync(spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim(), join(bin, tool));
  return bin;
}

/** What the install took. */
export interface Installed {
  readonly dir: string;
  readonly seconds: number;
  /** Packages in the app's node_modules (npm's lockfile, the app itself left out). */
  readonly packages: number;
  readonly stderr: string;
}

/** Creates `dir` with an empty package.json and `npm install`s the tarballs into it (asynchronously: the worker stays responsive). */
export async function installApp(dir: string, tarballs: readonly string[], path: string, env: NodeJS.ProcessEnv): Promise<Installed> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "empty-app", version: "1.0.0", private: true }));
  const args = ["install", ...tarballs, "--engine-strict", "--foreground-scripts", "--no-audit", "--no-fund", "--prefer-offline"];
  args.push("--@trt:registry=http://127.0.0.1:9/", "--fetch-retries=0");
  const started = performance.now();
  let output: { stdout: string; stderr: string };
  try {
    output = await promisify(execFile)("npm", args, { cwd: dir, encoding: "utf8", timeout: INSTALL_TIMEOUT_MS, env: { ...env, PATH: path }, maxBuffer: 64 << 20 });
  } catch (e) {
    throw new Error(`npm install failed: ${(e as { stderr?: string }).stderr ?? String(e)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  // The lockfile also lists optional packages for other platforms (koffi's binaries); count those on disk.
  const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
  const packages = Object.keys(lock.packages).filter((p) => p !== "" && existsSync(join(dir, p, "package.json"))).length;
  return { dir, seconds, packages, stderr: `${output.stdout}${output.stderr}` };
}

/** Copies `file` into the app folder; returns its new path. */
export function copyInto(dir: string, file: string, name = file.split("/").pop()!): string {
  const target = join(dir, name);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
  return target;
}

/** Runs `node file args` in the app; its stdout as JSON, or an error with its stderr. */
export function nodeJson(dir: string, file: string, args: readonly string[], env: NodeJS.ProcessEnv): unknown {
  const r = spawnSync(process.execPath, [file, ...args], { cwd: dir, encoding: "utf8", env, timeout: CHILD_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`node ${file} failed (${r.signal ?? r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
