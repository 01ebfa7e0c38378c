/**
 * Directories laid out like a Python environment with NVIDIA's wheels
 * installed (`<prefix>/lib/python3.12/site-packages/tensorrt_libs/...`), with
 * the TensorRT emulator copied in under the real file names, and stand-in
 * Python interpreters (shell scripts) that report chosen site-packages. The
 * library search is then tested against these trees with environment
 * variables passed explicitly, independent of this machine's real Python.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { emulatorLibraryPath } from "@trt/emulator";

/** A site-packages directory under `prefix` for `python` ("python3.12"), created. */
export function sitePackagesOf(prefix: string, python = "python3.12"): string {
  const dir = join(prefix, "lib", python, "site-packages");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Copies the TensorRT 10 emulator to `relative` inside `sitePackages` (e.g. "tensorrt_lean_libs/libnvinfer_lean.so.10"). Returns the path. */
export function installEmulatorAs(sitePackages: string, relative: string): string {
  const path = join(sitePackages, relative);
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(emulatorLibraryPath(10), path);
  return path;
}

/** A file at `relative` that is not a library (dlopen refuses it). Returns the path. */
export function installJunkAs(sitePackages: string, relative: string): string {
  const path = join(sitePackages, relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "not a shared library\n");
  return path;
}

/**
 * An executable standing in for python3: it ignores its arguments, appends a
 * line to `log` each time it runs, and prints `output` (by default a JSON
 * list of `sitePackages`); `sleepSeconds` makes it hang first.
 */
export function fakePython(
  dir: string,
  name: string,
  options: { sitePackages?: readonly string[]; output?: string; sleepSeconds?: number; log: string },
): string {
  const path = join(dir, name);
  const output = options.output ?? JSON.stringify(options.sitePackages ?? []);
  const lines = ["#!/bin/sh", `echo run >> '${options.log}'`];
  // exec: the timeout's signal then reaches the sleep itself, and nothing is left behind.
  if (options.sleepSeconds) lines.push(`exec sleep ${options.sleepSeconds}`);
  lines.push(`printf '%s\\n' '${output}'`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  chmodSync(path, 0o755);
  return path;
}

/**
 * No TensorRT library the system loader can open here, so site-packages
 * candidates are the ones that load. Asked in a fresh process: in this one,
 * any emulator loaded by an earlier test file answers for "libnvinfer.so.10".
 */
export const noSystemTensorRT: boolean = (() => {
  const names = ["", "_lean", "_dispatch"].flatMap((stem) => [11, 10].map((major) => `libnvinfer${stem}.so.${major}`));
  const script = `const koffi = require(${JSON.stringify(createRequire(import.meta.url).resolve("koffi"))});
    const found = ${JSON.stringify(names)}.filter((n) => { try { koffi.load(n); return true; } catch { return false; } });
    process.stdout.write(JSON.stringify(found));`;
  // Starting node and koffi takes well under a second, more on a busy machine.
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`could not ask a fresh process for the system's TensorRT: ${r.stderr}`);
  return (JSON.parse(r.stdout) as string[]).length === 0;
})();

const CHILD = fileURLToPath(new URL("../fixtures/search-child.ts", import.meta.url));

/** What fixtures/search-child.ts reports for one request, from a fresh process. */
export function searchInChild(request: {
  mode: "load" | "environment";
  env: Record<string, string>;
  allowEngineHostCode?: boolean;
}): Record<string, unknown> {
  // A child starts tsx and loads koffi (and the addon): seconds on a busy 2-core machine, so a generous bound.
  const r = spawnSync(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(request)], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`search child failed (status ${String(r.status)}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
}
