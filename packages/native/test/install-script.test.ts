// The install script (scripts/build-addon.mjs --install) on a machine without
// cmake or a compiler: it uses the prebuilt binary for this platform when the
// package has one that loads, else installs without a binary, records why in
// build/install.json (npm hides the script's output), and the loader's error
// then says what the install found and which rebuild command to run. Run on a
// copy of the built package (dist, scripts, sources) whose PATH holds only node.
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type * as NativeApi from "../src/index.js";
import { libraryPath } from "./helpers.js";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const scratch = mkdtempSync(join(tmpdir(), "trt-native-install-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
/** One node process: well under a second alone; the bound is for two busy cores. */
const CHILD_TIMEOUT_MS = 60_000;
const platform = `${process.platform}-${process.arch}`;

/** A copy of the package as an install would unpack it (node_modules linked for the header packages). */
function unpacked(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  for (const entry of ["package.json", "scripts", "dist", "cpp", "include", "CMakeLists.txt"]) cpSync(join(pkg, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(pkg, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** A PATH with node and nothing else: no cmake, no compiler. */
const nodeOnly = (() => {
  const bin = join(scratch, "bin");
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, "node"));
  return bin;
})();

/** Runs the install script in `dir` as npm would (npm's user agent), without cmake or a compiler on PATH. */
function install(dir: string, env: Record<string, string> = {}) {
  const { TRT_NATIVE_SKIP_BUILD: _skip, TRT_NATIVE_FROM_SOURCE: _source, ...rest } = process.env;
  const r = spawnSync(join(nodeOnly, "node"), ["scripts/build-addon.mjs", "--install"], {
    cwd: dir,
    encoding: "utf8",
    timeout: CHILD_TIMEOUT_MS,
    env: { ...rest, PATH: nodeOnly, CXX: "", npm_config_user_agent: "npm/10.9.0 node/v20.20.0 linux x64", ...env },
  });
  const record = existsSync(join(dir, "build", "install.json")) ? (JSON.parse(readFileSync(join(dir, "build", "install.json"), "utf8")) as Record<string, unknown>) : null;
  return { status: r.status, stderr: r.stderr, record };
}

/** probeNative() of the copy's own build (it finds its binary relative to its dist/). */
async function probe(dir: string): Promise<{ ok: boolean; reason: string | null; message?: string; addonPath?: string }> {
  const native = (await import(pathToFileURL(join(dir, "dist", "index.js")).href)) as typeof NativeApi;
  const p = native.probeNative({ nvinferPath: libraryPath(10) });
  return p.ok ? { ok: true, reason: null, addonPath: p.binding.addonPath } : { ok: false, reason: p.reason, message: p.error.message };
}

describe("the install script without a compiler", () => {
  it("with no prebuilt binary: installs without one, says why and which rebuild command to run, and the loader repeats it", async () => {
    const dir = unpacked("no-prebuilt");
    const r = install(dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`no prebuilt addon for ${platform} in this package`);
    expect(r.stderr).toMatch(/cannot build the addon from source: cmake \(3\.15 or newer\) and a C\+\+17 compiler \(g\+\+ or clang\+\+\) not found\. Install them and run `npm rebuild @trt\/native`/);
    expect(r.record).toMatchObject({ outcome: "none", platform, rebuild: "npm rebuild @trt/native" });
    const p = await probe(dir);
    expect(p).toMatchObject({ ok: false, reason: "binary-missing" });
    expect(p.message).toContain(`at install, no prebuilt addon for ${platform}`);
    expect(p.message).toContain("then run `npm rebuild @trt/native`");
  });

  it("says pnpm's rebuild command when pnpm runs it", () => {
    const dir = unpacked("pnpm");
    const r = install(dir, { npm_config_user_agent: "pnpm/10.34.8 npm/? node/v20.20.0 linux x64" });
    expect(r.stderr).toContain("run `pnpm rebuild @trt/native`");
    expect(r.record).toMatchObject({ outcome: "none", rebuild: "pnpm rebuild @trt/native" });
  });

  it("with a prebuilt binary for this platform: uses it, and the engine loads from it", async () => {
    const dir = unpacked("prebuilt");
    mkdirSync(join(dir, "prebuilds", platform), { recursive: true });
    copyFileSync(join(pkg, "build", "Release", "trt_native.node"), join(dir, "prebuilds", platform, "trt_native.node"));
    const r = install(dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`using the prebuilt addon for ${platform}`);
    expect(r.record).toMatchObject({ outcome: "prebuilt" });
    expect(existsSync(join(dir, "build", "Release", "trt_native.node"))).toBe(false);
    const p = await probe(dir);
    expect(p).toMatchObject({ ok: true });
    expect(p.addonPath).toBe(join(dir, "prebuilds", platform, "trt_native.node"));
  });

  it("with a prebuilt binary that does not load here: falls back to a source build, and says both", () => {
    const dir = unpacked("broken-prebuilt");
    mkdirSync(join(dir, "prebuilds", platform), { recursive: true });
    writeFileSync(join(dir, "prebuilds", platform, "trt_native.node"), "not an ELF file");
    const r = install(dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`the prebuilt addon for ${platform} does not load here`);
    expect(r.record).toMatchObject({ outcome: "none" });
    expect(String(r.record?.detail)).toMatch(/does not load here .*; cannot build the addon from source/);
  });

  it("TRT_NATIVE_SKIP_BUILD=1 provides nothing, and says so", () => {
    const dir = unpacked("skipped");
    const r = install(dir, { TRT_NATIVE_SKIP_BUILD: "1" });
    expect(r.status).toBe(0);
    expect(r.record).toMatchObject({ outcome: "skipped", detail: "TRT_NATIVE_SKIP_BUILD=1" });
  });
});
