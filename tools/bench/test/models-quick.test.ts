/**
 * `bench --models` in its short mode, end to end over the real networks'
 * emulator twin (tools/real-tensorrt's models/twin.ts) on whatever this
 * machine has (the host-mode emulator in CI): every built model, bench case,
 * engine and in-flight level has a row, figures or a reason; the failed
 * model is named; memory is sampled; anchors are merged (a malformed row
 * named, not used); and `--from` reports the saved run again. No timing is
 * asserted.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { batchOf, readModelsManifest, TWIN_FAILED, writeModelsTwin } from "@trt/real-tensorrt/models";
import type { BuiltModel } from "@trt/real-tensorrt/models";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMeasured } from "../src/models/model-rows.js";
import type { ModelsBenchReport } from "../src/models/report.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let dir: string;
let report: ModelsBenchReport;
let again: ModelsBenchReport;
let built: BuiltModel[];
const LEVELS = [1, 2, 4, 8];

const bench = (args: string[]) => {
  const run = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "src/main.ts", ...args], { cwd: root, encoding: "utf8", timeout: 200_000 });
  if (run.status !== 0) throw new Error(`bench ${args.join(" ")} failed (${run.status}): ${run.stderr}`);
  return run;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "trt-bench-models-"));
  const models = join(dir, "models");
  writeModelsTwin(models);
  built = readModelsManifest(models).models.filter((m): m is BuiltModel => m.status === "ok");
  const anchors = {
    gpu: "made up",
    tensorrt: "10.6.0",
    torch: "2.11",
    rows: [
      ...LEVELS.map((n) => ({ model: "resnet50_fp16", case: "b1", row: "trt_python", inFlight: n, p50Us: 50 * n, p99Us: 60 * n, throughputPerS: 20000, calls: 10 })),
      { model: "resnet50_fp16", case: "b1", row: "trt_python_graph", inFlight: 1, unsupported: "made-up reason" },
      { model: "resnet50_fp16", case: "b1", row: "torchtrt_cpp", inFlight: 1, p50Us: -1 },
    ],
  };
  writeFileSync(join(dir, "anchors.json"), JSON.stringify(anchors));
  bench(["--models", models, "--quick", "--memory", "--anchors", join(dir, "anchors.json"), "--json", join(dir, "out.json"), "--markdown", join(dir, "out.md")]);
  report = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) as ModelsBenchReport;
  bench(["--from", join(dir, "out.json"), "--json", join(dir, "again.json")]);
  again = JSON.parse(readFileSync(join(dir, "again.json"), "utf8")) as ModelsBenchReport;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bench --models, short mode, on the models' twin", () => {
  it("has run() at every level and runSync() for every built model, bench case and engine: figures or a reason", () => {
    const engines = report.meta.implementations as string[];
    expect(engines).toContain("ffi");
    for (const model of built) {
      for (const c of model.cases.filter((x) => x.bench)) {
        for (const engine of engines) {
          for (const n of LEVELS) {
            const row = report.rows.find((r) => r.model === model.name && r.case === c.name && r.row === `${engine}_run` && r.inFlight === n);
            expect(row, `${model.name} ${c.name} ${engine} run() at ${n}`).toBeDefined();
            // The emulator runs every twin model: each point is a measurement here.
            expect(isMeasured(row!), `${model.name} ${c.name} ${engine} ${n}: ${JSON.stringify(row)}`).toBe(true);
            if (isMeasured(row!)) {
              expect(row.calls).toBeGreaterThanOrEqual(n);
              expect(row.p99Us).toBeGreaterThanOrEqual(row.p50Us);
              expect(row.throughputPerS).toBeGreaterThan(0);
            }
          }
          expect(report.rows.some((r) => r.model === model.name && r.case === c.name && r.row === `${engine}_runSync` && isMeasured(r))).toBe(true);
        }
      }
    }
  });

  it("has graph-replay rows at batch 1, each measured or saying why not", () => {
    for (const model of built) {
      const b1 = model.cases.find((c) => c.bench && batchOf(c) === 1)!;
      for (const row of ["ffi_graph_run", "ffi_graph_runSync"]) {
        const r = report.rows.find((x) => x.model === model.name && x.case === b1.name && x.row === row);
        expect(r, `${model.name} ${row}`).toBeDefined();
        if (!isMeasured(r!)) expect(r!.unsupported).toMatch(/CUDA graphs|graph/);
      }
    }
  });

  it("names the model the builder failed on instead of leaving it out", () => {
    expect(report.skipped).toContainEqual({ model: TWIN_FAILED.name, reason: `the builder failed: ${TWIN_FAILED.reason}` });
    expect(report.rows.some((r) => r.model === TWIN_FAILED.name)).toBe(false);
  });

  it("samples memory on each engine over the run() calls, the pool back where it was", () => {
    expect(report.memory.map((m) => m.implementation)).toEqual(report.meta.implementations);
    for (const m of report.memory) {
      expect(m.model).toBe("resnet50_fp16");
      expect(m.samples.map((s) => s.calls)).toEqual(Array.from({ length: 11 }, (_, i) => i * 200));
      expect(m.samples.at(-1)!.poolLiveBytes).toBe(m.samples[0]!.poolLiveBytes);
      expect(m.collected).toBe(true);
      // V8's young generation is sampled with RSS, and the drift that decides "flat" leaves it out.
      for (const s of m.samples) expect(s.youngGenerationBytes).toBeGreaterThan(0);
      const first = m.samples[0]!;
      const last = m.samples.at(-1)!;
      const outside = ((last.rssBytes - last.youngGenerationBytes) / (first.rssBytes - first.youngGenerationBytes) - 1) * 100;
      expect(m.rssOutsideYoungDriftPercent).toBeCloseTo(outside, 10);
    }
    const md = readFileSync(join(dir, "out.md"), "utf8");
    expect(md).toContain("RSS drift less V8's young generation");
  });

  it("merges the anchors: figures where they are, reasons where not, malformed rows named", () => {
    expect(report.anchors!.problems).toHaveLength(1);
    const latency = report.targets.find((t) => t.model === "resnet50_fp16" && t.case === "b1" && t.implementation === "ffi" && t.name === "run() p50 − TensorRT Python p50")!;
    expect(latency.value).not.toBeNull();
    expect(typeof latency.met).toBe("boolean");
    const graph = report.targets.find((t) => t.model === "resnet50_fp16" && t.implementation === "ffi" && t.name === "graph replay run() p50 − TensorRT Python graph p50")!;
    expect(graph.met).toBeNull();
    expect(graph.note).toContain("trt_python_graph: made-up reason");
    const md = readFileSync(join(dir, "out.md"), "utf8");
    expect(md).toContain("#### resnet50_fp16");
    expect(md).toContain("#### Memory over many run() calls");
  });

  it("reports a saved run again with --from: the same rows and memory, targets recomputed", () => {
    expect(again.rows).toEqual(report.rows);
    expect(again.memory).toEqual(report.memory);
    expect(again.anchors).toBeNull();
    expect(again.targets.filter((t) => t.name.includes("TensorRT Python") && t.target !== null).every((t) => t.met === null)).toBe(true);
  });
});
