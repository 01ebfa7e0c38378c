// The six published packages, packed, installed together into an empty app with
// npm --engine-strict on this Node and no compiler on PATH, then used there as a
// user would: ESM and CommonJS, both engine implementations on the TensorRT
// emulator, load errors that are the FormatError the app holds, `trt` and
// `trt-server` from node_modules/.bin. The install's time and package count are
// printed (they vary with npm's cache and the registry, so nothing asserts them).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { emulatorLibraryPath } from "@trt/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHILD_TIMEOUT_MS, copyInto, installApp, nodeAndNpmOnly, nodeJson, type Installed } from "./support/app.js";
import { packAll, prebuild, PUBLISHED, repo, tarballFiles, type Published } from "./support/pack.js";
import { startServer } from "./support/server.js";

const npmFound = spawnSync("npm", ["--version"], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS }).status === 0;
const pnpmFound = spawnSync("pnpm", ["--version"], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS }).status === 0;
if (!npmFound || !pnpmFound) console.log("[tarball-install] skipped: npm and pnpm must both be on PATH");

const tmp = realpathSync(mkdtempSync(join(tmpdir(), "trt-tarballs-")));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sample = join(repo, "examples", "engines", "sample.trtengine");
const sampleInput = join(repo, "examples", "engines", "sample-input.npy");
const { reference, SAMPLE_INPUT } = (await import(pathToFileURL(join(repo, "examples", "engines", "sample.mjs")).href)) as {
  reference(x: ArrayLike<number>, batch: number): number[];
  SAMPLE_INPUT: { data: Float32Array };
};
const expectedY = reference(SAMPLE_INPUT.data, 2);

/** The app's environment: the emulator as TensorRT, nothing of the workspace (pnpm's NODE_PATH) or the caller's engine choice. */
function appEnv(path: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path, NODE_PATH: "", TRT_NVINFER_PATH: emulatorLibraryPath(10) };
  for (const key of ["TRT_RUNTIME", "TRT_NATIVE_ADDON_PATH", "TRT_NATIVE_SKIP_BUILD", "TRT_NATIVE_FROM_SOURCE", "NODE_DEBUG"]) delete env[key];
  return env;
}

describe.runIf(npmFound && pnpmFound)("the packed packages in an empty app", () => {
  let tarballs: Record<Published, string>;
  let app: Installed;
  let path: string;

  beforeAll(async () => {
    const prebuilt = await prebuild();
    tarballs = await packAll(join(tmp, "tarballs"));
    path = nodeAndNpmOnly(tmp);
    app = await installApp(join(tmp, "app"), PUBLISHED.map((name) => tarballs[name]), path, appEnv(path));
    const figures = { seconds: Number(app.seconds.toFixed(1)), packages: app.packages, npm: spawnSync("npm", ["--version"], { encoding: "utf8" }).stdout.trim(), node: process.version };
    console.log(`[tarball-install] ${JSON.stringify(figures)}\n${prebuilt.trim()}`);
  });

  it("every tarball holds a LICENSE, and the addon's holds its prebuilt binary for this machine and no build folder", () => {
    for (const name of PUBLISHED) expect(tarballFiles(tarballs[name]), name).toContain("LICENSE");
    const native = tarballFiles(tarballs.native);
    expect(native).toContain(`prebuilds/linux-${process.arch}/trt_native.node`);
    expect(native.filter((f) => f.startsWith("build/"))).toEqual([]);
  });

  it("installs with --engine-strict and no compiler: the addon comes prebuilt, and nothing of cmake-js is installed", () => {
    const record = JSON.parse(readFileSync(join(app.dir, "node_modules", "@trt", "native", "build", "install.json"), "utf8")) as { outcome: string };
    expect(record.outcome).toBe("prebuilt");
    expect(app.stderr).toContain(`[@trt/native] using the prebuilt addon for linux-${process.arch}`);
    const lock = readFileSync(join(app.dir, "package-lock.json"), "utf8");
    expect(lock).not.toContain('"node_modules/cmake-js"');
    expect(lock).not.toContain('"node_modules/axios"');
  });

  it("ESM: both engines run the sample on the emulator; load errors are the app's FormatError, in ESM and CommonJS", () => {
    const script = copyInto(app.dir, join(import.meta.dirname, "app", "check.mjs"));
    const bad = join(app.dir, "package.json");
    expect(nodeJson(app.dir, script, [sample, bad], appEnv(path))).toEqual({
      native: expectedY,
      ffi: expectedY,
      addon: join(app.dir, "node_modules", "@trt", "native", "prebuilds", `linux-${process.arch}`, "trt_native.node"),
      errors: { load: ["BAD_MAGIC", true, true], read: ["BAD_MAGIC", true, true] },
    });
  });

  it("CommonJS: the same through require()", () => {
    const script = copyInto(app.dir, join(import.meta.dirname, "app", "check.cjs"));
    const bad = join(app.dir, "package.json");
    expect(nodeJson(app.dir, script, [sample, bad], appEnv(path))).toEqual({
      native: expectedY,
      ffi: expectedY,
      addon: join(app.dir, "node_modules", "@trt", "native", "prebuilds", `linux-${process.arch}`, "trt_native.node"),
      errors: { load: ["BAD_MAGIC", true], read: ["BAD_MAGIC", true] },
    });
  });

  it("trt from node_modules/.bin runs the sample on each engine", () => {
    for (const runtime of ["native", "ffi"]) {
      const r = spawnSync(join(app.dir, "node_modules", ".bin", "trt"), ["--runtime", runtime, "run", sample, "-i", sampleInput, "--json"], {
        cwd: app.dir,
        encoding: "utf8",
        env: appEnv(path),
        timeout: CHILD_TIMEOUT_MS,
      });
      expect(r.stderr, runtime).toBe("");
      expect(JSON.parse(r.stdout)).toMatchObject({ implementation: runtime, outputs: [{ name: "y", first: expectedY }] });
    }
  });

  it("trt-server from node_modules/.bin serves the sample, says which engine serves, and stops on SIGTERM", async () => {
    const server = startServer(join(app.dir, "node_modules", ".bin", "trt-server"), ["--model", `sample=${sample}`, "--port", "0"], appEnv(path));
    try {
      const serving = await server.line((l) => l.msg === "serving");
      // auto picks native: the prebuilt addon loads.
      expect(serving).toMatchObject({ engine: "native", tensorrt: expect.stringMatching(/^TensorRT emulator /) });
      const listening = await server.line((l) => l.msg.startsWith("Server listening at http://127.0.0.1:"));
      const url = listening.msg.slice("Server listening at ".length);
      const body = { inputs: [{ name: "x", shape: [2, 8], datatype: "FP32", data: Array.from(SAMPLE_INPUT.data) }] };
      const response = await fetch(`${url}/v2/models/sample/infer`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", connection: "close" } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { outputs: Array<{ data: number[] }> }).outputs[0]!.data).toEqual(expectedY);
    } finally {
      server.child.kill("SIGTERM");
    }
    expect(await server.exited).toBe(0);
  });

  // Each package alone, with only the @trt tarballs it depends on: a dependency missing from its
  // package.json fails here (the @trt scope's registry is unreachable), as it would for a user.
  const alone = (name: string, files: Published[]): Promise<Installed> => installApp(join(tmp, `alone-${name}`), files.map((f) => tarballs[f]), path, appEnv(path));
  const esm = (dir: string, code: string, args: string[] = []): unknown => {
    writeFileSync(join(dir, "check.mjs"), code);
    return nodeJson(dir, join(dir, "check.mjs"), args, appEnv(path));
  };

  it("@trt/format alone: no dependencies; reads a file from ESM and CommonJS", async () => {
    const installed = await alone("format", ["format"]);
    const dir = installed.dir;
    expect(installed.packages).toBe(1);
    expect(readdirSync(join(dir, "node_modules", "@trt"))).toEqual(["format"]);
    const code = `import { readEngineFileSync } from "@trt/format/node";
      import { createRequire } from "node:module";
      const cjs = createRequire(import.meta.url)("@trt/format/node");
      process.stdout.write(JSON.stringify([readEngineFileSync(process.argv[2]).name, cjs.readEngineFileSync(process.argv[2]).name]));`;
    expect(esm(dir, code, [sample])).toEqual(["sample_engine", "sample_engine"]);
  });

  it("@trt/settings alone", async () => {
    const dir = (await alone("settings", ["settings"])).dir;
    const code = `import { RuntimeSettings } from "@trt/settings";
      import { createRequire } from "node:module";
      const cjs = createRequire(import.meta.url)("@trt/settings");
      process.stdout.write(JSON.stringify([RuntimeSettings.from({ cudaGraphStrategy: "whole_graph_capture" }).cudaGraphStrategy, cjs.RuntimeSettings.DEFAULT.cudaGraphStrategy]));`;
    expect(esm(dir, code)).toEqual(["whole_graph_capture", "disabled"]);
  });

  it("@trt/runtime without the optional @trt/native: ffi runs, and auto says why it picked it", async () => {
    const dir = (await alone("runtime", ["format", "settings", "runtime"])).dir;
    const code = `import { TensorRTModule, resolveRuntime } from "@trt/runtime";
      const m = await TensorRTModule.load(process.argv[2]);
      const r = await m.run({ x: { data: Float32Array.from({ length: 16 }, (_, i) => (i - 7) / 4), shape: [2, 8] } });
      const y = Array.from(await r.get("y").toArray());
      m.release();
      process.stdout.write(JSON.stringify({ picked: resolveRuntime().reason, y }));`;
    expect(esm(dir, code, [sample])).toEqual({ picked: "native is unavailable: @trt/native is not installed", y: expectedY });
  });

  it("@trt/sdk without @trt/native: trt runs on ffi, and @trt/sdk/native fails as its README says", async () => {
    const dir = (await alone("sdk", ["format", "settings", "runtime", "sdk"])).dir;
    const run = spawnSync(join(dir, "node_modules", ".bin", "trt"), ["run", sample, "-i", sampleInput, "--json"], { cwd: dir, encoding: "utf8", env: appEnv(path), timeout: CHILD_TIMEOUT_MS });
    expect(JSON.parse(run.stdout)).toMatchObject({ implementation: "ffi", outputs: [{ first: expectedY }] });
    const code = `let entry;
      try { await import("@trt/sdk/native"); entry = "loaded"; } catch (e) { entry = e.code; }
      process.stdout.write(JSON.stringify(entry));`;
    expect(esm(dir, code)).toBe("ERR_MODULE_NOT_FOUND");
  });
});
