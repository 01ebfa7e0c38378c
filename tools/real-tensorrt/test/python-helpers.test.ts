/**
 * The Python side of the real-model suite, on the CPU: its unit tests (manifest
 * helpers, the recipes' profiles and cases, the anchors' pipelined timer on a
 * simulated device), and the manifest contract itself: a manifest written by
 * real_models_manifest.py is read by models/manifest.ts as the builder meant it.
 * Skipped where python3 is missing; NumPy-only checks skip themselves without NumPy.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseModelsManifest } from "../models/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const realTensorrt = resolve(here, "..");
const benchTorch = resolve(here, "..", "..", "bench", "torch");
const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
const hasPython = python.status === 0;

function runPython(args: string[], cwd: string): { status: number | null; output: string } {
  // Bounded so a hung interpreter fails the test instead of blocking the worker.
  const run = spawnSync("python3", args, { cwd, encoding: "utf8", timeout: 90_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
  return { status: run.status, output: `${run.stdout ?? ""}${run.stderr ?? ""}` };
}

describe.skipIf(!hasPython)("the real-model suite's Python helpers", () => {
  it("pass their unit tests (manifest, recipes)", () => {
    const run = runPython(["-m", "unittest", "discover", "-s", realTensorrt, "-p", "test_real_*.py"], realTensorrt);
    expect(run.output).toMatch(/^OK/m);
    expect(run.status, run.output).toBe(0);
  });

  it("pass their unit tests (the anchors' pipelined timer)", () => {
    const run = runPython(["-m", "unittest", "discover", "-s", benchTorch, "-p", "test_real_timing.py"], benchTorch);
    expect(run.output).toMatch(/^OK/m);
    expect(run.status, run.output).toBe(0);
  });

  describe("the manifest contract", () => {
    const out = mkdtempSync(join(tmpdir(), "trt-real-manifest-"));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    // What real_models.py writes for a built weight-streaming model with a plugin and
    // for a failed one, through the same helpers (a stand-in engine file, no GPU).
    const script = `
import os, sys
sys.path.insert(0, ${JSON.stringify(realTensorrt)})
import real_models_manifest as mf
out = sys.argv[1]
with open(os.path.join(out, "m.engine"), "wb") as f:
    f.write(b"stand-in plan")
rel = {k: (mf.input_file("m", "b1", "x") if k == "in" else mf.output_file("m", "b1", k, "y")) for k in ("in", "trt", "torch")}
for r in rel.values():
    os.makedirs(os.path.join(out, os.path.dirname(r)), exist_ok=True)
    open(os.path.join(out, r), "wb").close()
m = mf.new_manifest("10.6.0", "NVIDIA H100 80GB HBM3", "580.159.04", "13.0", "2.11.0+cu130", 2)
mf.merge_model(m, {"name": "m", "status": mf.STATUS_OK, "engine": "m.engine", "bytes": 13,
    "sha256": mf.sha256_file(os.path.join(out, "m.engine")), "buildSeconds": 3.25, "plugins": ["EfficientNMS_TRT"],
    "weightStreaming": {"engineBytes": 13, "budgetBytes": 6, "streamableBytes": 12},
    "tolerance": {"trt": {"atol": 0, "rtol": 0}, "torch": {"atol": 0.05, "rtol": 0.05}},
    "cases": [{"name": "b1", "profile": 1, "bench": True,
               "inputs": {"x": {"file": rel["in"], "dtype": "float16", "shape": [1, 8192]}},
               "trt": {"y": rel["trt"]}, "torch": {"y": rel["torch"]}, "observed": {"y": {"maxAbsDiff": 0.01}}}]})
mf.merge_model(m, mf.failed_entry("bert_base", "tensorrt build", RuntimeError("out of memory"), {"cases": []}))
problems = mf.manifest_problems(m, out)
assert not problems, problems
mf.write_manifest(out, m)
`;

    it("is read by the Node suite as written", () => {
      const run = runPython(["-c", script, out], realTensorrt);
      expect(run.status, run.output).toBe(0);
      const manifest = parseModelsManifest(readFileSync(join(out, "manifest.json"), "utf8"), "manifest.json");
      expect(manifest).toMatchObject({ tensorrt: "10.6.0", gpu: "NVIDIA H100 80GB HBM3", driver: "580.159.04", builderOptimizationLevel: 2 });
      const [built, failed] = manifest.models;
      expect(built).toMatchObject({
        name: "m",
        status: "ok",
        bytes: 13,
        buildSeconds: 3.25,
        plugins: ["EfficientNMS_TRT"],
        weightStreaming: { engineBytes: 13, budgetBytes: 6 },
        tolerance: { trt: { atol: 0, rtol: 0 }, torch: { atol: 0.05, rtol: 0.05 } },
      });
      if (built?.status !== "ok") throw new Error("the built model was not read as built");
      expect(built.cases[0]).toEqual({
        name: "b1",
        profile: 1,
        bench: true,
        inputs: { x: { file: "m/b1/in.x.npy", dtype: "float16", shape: [1, 8192] } },
        trt: { y: "m/b1/trt.y.npy" },
        torch: { y: "m/b1/torch.y.npy" },
      });
      expect(failed).toEqual({ name: "bert_base", status: "failed", reason: "tensorrt build: RuntimeError: out of memory" });
    });
  });
});
