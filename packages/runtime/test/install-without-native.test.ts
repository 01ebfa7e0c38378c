/**
 * The built package in a folder where only its own dependencies are
 * installed (@trt/format, @trt/settings, koffi): no @trt/native anywhere on
 * the resolution path. It must import, pick ffi under auto, run an engine,
 * and refuse native with RuntimeUnavailableError. Needs dist/ (turbo builds
 * it before testing); skipped with a note when it is missing.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { emulatorLibraryPath, FIXTURES, buildPlan } from "@trt/emulator";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = existsSync(join(root, "dist", "index.js")) && existsSync(join(root, "dist", "index.cjs"));
if (!built) console.log("[install-without-native] skipped: dist/ is not built (run `pnpm --filter @trt/runtime build`)");

/** dist + package.json under <tmp>/node_modules/@trt/runtime, next to links to its dependencies only. */
function install(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "trt-no-native-")));
  const modules = join(dir, "node_modules");
  const pkg = join(modules, "@trt", "runtime");
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, "dist"), join(pkg, "dist"), { recursive: true });
  cpSync(join(root, "package.json"), join(pkg, "package.json"));
  for (const dep of ["@trt/format", "@trt/settings", "koffi"]) {
    const target = realpathSync(join(root, "node_modules", dep));
    mkdirSync(dirname(join(modules, dep)), { recursive: true });
    symlinkSync(target, join(modules, dep), "dir");
  }
  writeFileSync(join(dir, "plan.bin"), buildPlan(FIXTURES.identity_f32!));
  return dir;
}

describe.runIf(built)("installed without @trt/native", () => {
  // Starts Node, which loads the runtime and the emulator (about 0.3 s alone); the child is killed
  // after 90 s rather than left blocking the worker (spawnSync).
  it.each(["import", "require"])("%s: auto runs on ffi, native says it is not installed", (how) => {
    const dir = install();
    const load = how === "import" ? `await import("@trt/runtime")` : `require("@trt/runtime")`;
    // NODE_PATH is cleared: pnpm's bin shims point it at the workspace's hoisted packages, @trt/native among them.
    const script = `
      const fs = require("node:fs");
      (async () => {
        const rt = ${load};
        const environment = new rt.TensorRTEnvironment({ nvinferPath: ${JSON.stringify(emulatorLibraryPath(10))} });
        const picked = environment.resolve("auto");
        let nativeError = null;
        try { environment.resolve("native"); } catch (e) { nativeError = { name: e.name, reason: e.reason, code: e.code }; }
        const module = await rt.TensorRTModule.fromEngine(fs.readFileSync("plan.bin"), { environment });
        const result = await module.run([new Float32Array([1, 2, 3, 4, 5, 6])]);
        const y = Array.from(await result.list[0].toArray());
        process.stdout.write(JSON.stringify({ picked, nativeError, y }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const child = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8", timeout: 90_000, env: { ...process.env, TRT_RUNTIME: "", NODE_PATH: "" } });
    rmSync(dir, { recursive: true, force: true });
    expect(child.stderr).toBe("");
    const out = JSON.parse(child.stdout) as { picked: { implementation: string; reason: string }; nativeError: unknown; y: number[] };
    expect(out.picked).toMatchObject({ implementation: "ffi", reason: "native is unavailable: @trt/native is not installed" });
    expect(out.nativeError).toEqual({ name: "RuntimeUnavailableError", reason: "@trt/native is not installed", code: "RUNTIME_UNAVAILABLE" });
    expect(out.y).toEqual([1, 2, 3, 4, 5, 6]);
  }, 120_000);
});
