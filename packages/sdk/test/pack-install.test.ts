// Each published package, packed as npm would publish it, installs on its own
// in an empty project and works there: `pnpm pack` (which rewrites the
// workspace: ranges), then `npm install` of that package's tarball and the
// tarballs of the @trt packages it depends on, nothing else of ours. The @trt
// scope points at an unreachable registry, so a dependency missing from the
// tarballs fails the install instead of being fetched; third-party
// dependencies come from npm's cache or registry. Install scripts are off:
// @trt/native's would compile the addon, and koffi's binary ships in its
// platform package without one. One project per package, in sequence.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHILD_TIMEOUT_MS, emulator10, repo, sample, sampleInput, tempDir } from "./support/cli.js";
import { expectedY } from "./support/sample.js";

const PACKAGES = ["format", "settings", "native", "runtime", "sdk"] as const;
type Name = (typeof PACKAGES)[number];

/** The @trt packages each one needs installed next to it (its dependencies, transitively; native stays optional). */
const NEEDS: Record<Name, Name[]> = {
  format: ["format"],
  settings: ["settings"],
  native: ["native"],
  runtime: ["format", "settings", "runtime"],
  sdk: ["format", "settings", "runtime", "sdk"],
};

const pnpmFound = spawnSync("pnpm", ["--version"], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS }).status === 0;
const npmFound = spawnSync("npm", ["--version"], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS }).status === 0;
/** One `pnpm pack` or `npm install` (a few seconds alone with a warm npm cache); it blocks the worker, so this bounds a hang. */
const PACKAGE_TOOL_TIMEOUT_MS = 120_000;
if (!pnpmFound || !npmFound) console.log("[pack-install] skipped: pnpm and npm must both be on PATH");

const tmp = realpathSync(tempDir("trt-pack-"));
const tarballs = join(tmp, "tarballs");

function pack(): Record<Name, string> {
  mkdirSync(tarballs, { recursive: true });
  for (const name of PACKAGES) execFileSync("pnpm", ["pack", "--pack-destination", tarballs], { cwd: join(repo, "packages", name), stdio: "pipe", timeout: PACKAGE_TOOL_TIMEOUT_MS });
  const files = readdirSync(tarballs);
  return Object.fromEntries(PACKAGES.map((name) => [name, join(tarballs, files.find((f) => f.startsWith(`trt-${name}-`))!)])) as Record<Name, string>;
}

/** An empty project with `name` and what it needs installed from the tarballs; returns its folder. */
function install(name: Name, files: Record<Name, string>): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `install-${name}`, version: "1.0.0", private: true }));
  const args = ["install", ...NEEDS[name].map((n) => files[n]), "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"];
  args.push("--@trt:registry=http://127.0.0.1:9/", "--fetch-retries=0", "--loglevel=error");
  const r = spawnSync("npm", args, { cwd: dir, encoding: "utf8", env: { ...process.env, NODE_PATH: "" }, timeout: PACKAGE_TOOL_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`npm install for @trt/${name} failed (${r.signal ?? r.status}):\n${r.stderr}`);
  return dir;
}

/** Runs an ES module snippet in `dir` (NODE_PATH cleared: pnpm's shims point it at the workspace's packages). */
function node(dir: string, code: string, args: string[] = []): string {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NODE_PATH: "", TRT_NVINFER_PATH: emulator10, TRT_RUNTIME: "" },
    timeout: CHILD_TIMEOUT_MS,
  });
  if (r.status !== 0) throw new Error(`node failed in ${dir} (${r.signal ?? r.status}):\n${r.stderr}`);
  return r.stdout;
}

describe.runIf(pnpmFound && npmFound)("every package installs alone from its tarball", () => {
  // Packing and installing five projects: about 15 s alone with a warm npm cache, more on a cold
  // one, and several times that on two cores busy with the workspace's other tasks.
  it("format, settings, native, runtime and sdk each import (ESM and CJS) and work", { timeout: 300_000 }, () => {
    const files = pack();
    const results: Record<string, unknown> = {};

    const format = install("format", files);
    results.format = JSON.parse(
      node(
        format,
        `import { readEngineFileSync } from "@trt/format/node";
         import { createRequire } from "node:module";
         const cjs = createRequire(import.meta.url)("@trt/format");
         process.stdout.write(JSON.stringify({ name: readEngineFileSync(process.argv[1]).name, abi: cjs.ABI_VERSION }));`,
        [sample],
      ),
    );

    const settings = install("settings", files);
    results.settings = JSON.parse(
      node(
        settings,
        `import { RuntimeSettings } from "@trt/settings";
         import { createRequire } from "node:module";
         const cjs = createRequire(import.meta.url)("@trt/settings");
         const s = RuntimeSettings.from({ cudaGraphStrategy: "whole_graph_capture" });
         process.stdout.write(JSON.stringify({ graphs: s.cudaGraphStrategy, same: cjs.RUNTIME_SETTING_NAMES.length > 0 }));`,
      ),
    );

    const native = install("native", files);
    results.native = JSON.parse(
      node(
        native,
        `import { probeNative } from "@trt/native";
         import { createRequire } from "node:module";
         const cjs = createRequire(import.meta.url)("@trt/native");
         const p = probeNative();
         process.stdout.write(JSON.stringify({ ok: p.ok, reason: p.reason, cjs: typeof cjs.loadNative }));`,
      ),
    );

    const runtime = install("runtime", files);
    results.runtime = JSON.parse(
      node(
        runtime,
        `import { TensorRTModule, resolveRuntime } from "@trt/runtime";
         import { createRequire } from "node:module";
         const cjs = createRequire(import.meta.url)("@trt/runtime");
         const m = await TensorRTModule.load(process.argv[1]);
         const r = await m.run({ x: { data: Float32Array.from({ length: 16 }, (_, i) => (i - 7) / 4), shape: [2, 8] } });
         const y = Array.from(await r.get("y").toArray());
         m.release();
         process.stdout.write(JSON.stringify({ picked: resolveRuntime().reason, y, cjs: typeof cjs.TensorRTModule }));`,
        [sample],
      ),
    );

    const sdk = install("sdk", files);
    const bin = join(sdk, "node_modules", ".bin", "trt");
    const run = spawnSync(bin, ["run", sample, "-i", sampleInput, "--json", "--first", "8"], {
      cwd: sdk,
      encoding: "utf8",
      env: { ...process.env, NODE_PATH: "", TRT_NVINFER_PATH: emulator10, TRT_RUNTIME: "" },
      timeout: CHILD_TIMEOUT_MS,
    });
    results.sdk = {
      run: run.status === 0 ? (JSON.parse(run.stdout) as { implementation: string; outputs: Array<{ first: number[] }> }) : run.stderr,
      ...JSON.parse(
        node(
          sdk,
          `import * as sdk from "@trt/sdk";
           import { createRequire } from "node:module";
           const cjs = createRequire(import.meta.url)("@trt/sdk");
           let nativeEntry;
           try { await import("@trt/sdk/native"); nativeEntry = "loaded"; } catch (e) { nativeEntry = e.code; }
           process.stdout.write(JSON.stringify({ module: typeof sdk.TensorRTModule, npy: typeof cjs.decodeNpy, settings: typeof sdk.RuntimeSettings, nativeEntry }));`,
        ),
      ),
    };

    expect(results).toEqual({
      format: { name: "sample_engine", abi: "10" },
      settings: { graphs: "whole_graph_capture", same: true },
      // Installed without running its install script: the addon was never built, and it says so.
      native: { ok: false, reason: "binary-missing", cjs: "function" },
      runtime: { picked: "native is unavailable: @trt/native is not installed", y: expectedY, cjs: "function" },
      sdk: {
        run: expect.objectContaining({ implementation: "ffi", outputs: [expect.objectContaining({ first: expectedY })] }),
        module: "function",
        npy: "function",
        settings: "function",
        // Without the optional @trt/native, its entry fails the way the docs say.
        nativeEntry: "ERR_MODULE_NOT_FOUND",
      },
    });
  });
});
