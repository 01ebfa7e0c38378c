/**
 * The real-model report's ratio and target logic on made-up rows, where the
 * right answer is known: each target's value, its verdict (met, not met, or
 * not measured with the reason), boundaries, information lines, the tally,
 * reading the anchors (malformed rows left out and named), and what the
 * Markdown says about each.
 */
import { describe, expect, it } from "vitest";
import { parseAnchors, readAnchorRow } from "../src/models/anchors.js";
import type { BenchRow } from "../src/models/model-rows.js";
import { buildModelsReport, formatModelsMarkdown } from "../src/models/report.js";
import type { TargetCheck } from "../src/models/targets.js";
import { evaluateTargets, tallyTargets } from "../src/models/targets.js";

const point = (row: string, inFlight: number, p50Us: number, p99Us: number, throughputPerS: number, c = "b1"): BenchRow => ({ model: "net", case: c, row, inFlight, p50Us, p99Us, throughputPerS, calls: 100 });
const missing = (row: string, inFlight: number, unsupported: string, c = "b1"): BenchRow => ({ model: "net", case: c, row, inFlight, unsupported });

const ours: BenchRow[] = [
  point("native_run", 1, 600, 900, 1650),
  point("native_run", 2, 1000, 2500, 1900),
  point("native_run", 4, 2000, 3000, 1920),
  missing("native_run", 8, "CudaError: out of memory"),
  point("ffi_run", 1, 610, 700, 1485),
  point("ffi_run", 2, 1050, 1200, 1700),
  point("ffi_run", 4, 2050, 2100, 1920),
  point("ffi_run", 8, 4000, 4100, 1990),
  point("native_runSync", 1, 590, 600, 1690),
  point("ffi_runSync", 1, 592, 600, 1680),
  point("native_graph_run", 1, 190, 200, 5200),
  missing("ffi_graph_run", 1, "no CUDA graphs on this device layer"),
  // A case measured on native only: no ffi checks for it.
  point("native_run", 1, 100, 150, 9000, "b8"),
];
const anchors: BenchRow[] = [
  point("trt_python", 1, 575, 600, 1674),
  point("trt_python", 2, 1040, 1100, 1913),
  point("trt_python", 4, 2020, 2100, 1975),
  missing("trt_python", 8, "CUDA out of memory"),
  point("trt_python_graph", 1, 182, 190, 5400),
  point("torchtrt_cpp_graph", 1, 185, 195, 5300),
];

const checks = evaluateTargets(ours, anchors);
const find = (name: string, implementation: "native" | "ffi", inFlight = 1, c = "b1"): TargetCheck => {
  const found = checks.find((x) => x.name === name && x.implementation === implementation && x.inFlight === inFlight && x.case === c);
  if (!found) throw new Error(`no check ${name} ${implementation} ${inFlight} ${c}`);
  return found;
};

describe("targets on made-up rows", () => {
  it("run() p50 over TensorRT Python's: a difference in µs against 30", () => {
    expect(find("run() p50 − TensorRT Python p50", "native")).toMatchObject({ value: 25, unit: "µs", target: "≤ 30 µs", met: true });
    expect(find("run() p50 − TensorRT Python p50", "ffi")).toMatchObject({ value: 35, met: false });
    expect(find("run() p50 − TensorRT Python p50", "native").note).toBe("native_run 600.0 µs, trt_python 575.0 µs");
  });

  it("throughput against TensorRT Python's at each level, against 0.97", () => {
    const at = (n: number, impl: "native" | "ffi" = "native") => find("run() throughput / TensorRT Python's", impl, n);
    expect(at(1).value).toBeCloseTo(1650 / 1674, 12);
    expect(at(1).met).toBe(true);
    expect(at(2).value).toBeCloseTo(1900 / 1913, 12);
    expect(at(2).met).toBe(true);
    expect(at(4).value).toBeCloseTo(1920 / 1975, 12);
    expect(at(4).met).toBe(true);
    expect(at(1, "ffi").value).toBeCloseTo(1485 / 1674, 12);
    expect(at(1, "ffi").met).toBe(false);
  });

  it("a target whose rows did not run is not measured, with both reasons, never met or missed", () => {
    const eight = find("run() throughput / TensorRT Python's", "native", 8);
    expect(eight).toMatchObject({ value: null, met: null });
    expect(eight.note).toBe("native_run: CudaError: out of memory; trt_python: CUDA out of memory");
    const ffiEight = find("run() throughput / TensorRT Python's", "ffi", 8);
    expect(ffiEight).toMatchObject({ value: null, met: null, note: "trt_python: CUDA out of memory" });
  });

  it("p99 / p50 of our own rows at each level, against 2", () => {
    expect(find("run() p99 / p50", "native", 1)).toMatchObject({ value: 1.5, met: true });
    expect(find("run() p99 / p50", "native", 2)).toMatchObject({ value: 2.5, met: false });
    expect(find("run() p99 / p50", "native", 8)).toMatchObject({ value: null, met: null });
  });

  it("ffi against native throughput, on the ffi lines only, against 0.9", () => {
    expect(find("ffi / native run() throughput", "ffi", 1).value).toBeCloseTo(0.9, 12);
    expect(find("ffi / native run() throughput", "ffi", 1).met).toBe(true);
    expect(find("ffi / native run() throughput", "ffi", 2).value).toBeCloseTo(1700 / 1900, 12);
    expect(find("ffi / native run() throughput", "ffi", 2).met).toBe(false);
    expect(checks.some((x) => x.name === "ffi / native run() throughput" && x.implementation === "native")).toBe(false);
  });

  it("graph replay: within 10 µs of TensorRT Python's captured graph, and below Torch-TensorRT's", () => {
    expect(find("graph replay run() p50 − TensorRT Python graph p50", "native")).toMatchObject({ value: 8, met: true });
    const theirs = find("graph replay run() p50 / Torch-TensorRT C++ graphs p50", "native");
    expect(theirs.value).toBeCloseTo(190 / 185, 12);
    expect(theirs.met).toBe(false);
    expect(find("graph replay run() p50 − TensorRT Python graph p50", "ffi")).toMatchObject({ value: null, met: null, note: "ffi_graph_run: no CUDA graphs on this device layer" });
  });

  it("information lines carry a value and no verdict", () => {
    const plain = find("graph replay run() p50 / TensorRT Python plain p50", "native");
    expect(plain.value).toBeCloseTo(190 / 575, 12);
    expect(plain).toMatchObject({ target: null, met: null });
    expect(find("runSync() p50 − TensorRT Python p50", "native")).toMatchObject({ value: 15, target: null, met: null });
  });

  it("covers only the engines a case ran on, and says when an anchor has no row at all", () => {
    expect(checks.filter((x) => x.case === "b8").every((x) => x.implementation === "native")).toBe(true);
    expect(find("run() p50 − TensorRT Python p50", "native", 1, "b8")).toMatchObject({ value: null, met: null, note: "no trt_python row" });
    expect(checks.some((x) => x.case === "b8" && x.name.startsWith("graph replay"))).toBe(false);
  });

  it("tallies targets, leaving information lines out", () => {
    const tally = tallyTargets(checks);
    const targets = checks.filter((x) => x.target !== null);
    expect(tally.met + tally.notMet + tally.notMeasured).toBe(targets.length);
    expect(tally.met).toBe(targets.filter((x) => x.met === true).length);
    expect(tally.notMet).toBe(targets.filter((x) => x.met === false).length);
    expect(tally.notMet).toBeGreaterThanOrEqual(5);
    expect(tallyTargets([])).toEqual({ met: 0, notMet: 0, notMeasured: 0 });
  });

  it("with no anchors at all, every anchored target is not measured and the own-row targets still count", () => {
    const alone = evaluateTargets(ours, []);
    expect(alone.filter((x) => x.name.includes("TensorRT Python") && x.target !== null).every((x) => x.met === null)).toBe(true);
    expect(alone.find((x) => x.name === "run() p99 / p50" && x.inFlight === 2 && x.implementation === "native")!.met).toBe(false);
  });
});

describe("anchors", () => {
  it("reads measurements and unsupported rows; inFlight defaults to 1", () => {
    expect(readAnchorRow({ model: "m", case: "b1", row: "trt_python", p50Us: 10, p99Us: 12, throughputPerS: 90, calls: 5 })).toEqual({ model: "m", case: "b1", row: "trt_python", inFlight: 1, p50Us: 10, p99Us: 12, throughputPerS: 90, calls: 5 });
    expect(readAnchorRow({ model: "m", case: "b1", row: "torchtrt_cpp", inFlight: 1, unsupported: "torch_tensorrt is not installed" })).toEqual({
      model: "m",
      case: "b1",
      row: "torchtrt_cpp",
      inFlight: 1,
      unsupported: "torch_tensorrt is not installed",
    });
  });

  it("leaves out malformed rows and names each, so none becomes a figure", () => {
    const anchorsJson = JSON.stringify({
      gpu: "NVIDIA H100",
      tensorrt: "10.6.0",
      torch: "2.11",
      rows: [
        { model: "m", case: "b1", row: "trt_python", inFlight: 1, p50Us: 10, p99Us: 12, throughputPerS: 90 },
        { model: "m", case: "b1", row: "trt_python", inFlight: 2, p50Us: 0, p99Us: 12, throughputPerS: 90 },
        { model: "m", case: "b1", row: "trt_python", inFlight: 0, p50Us: 1, p99Us: 1, throughputPerS: 1 },
        { case: "b1", row: "trt_python", p50Us: 1, p99Us: 1, throughputPerS: 1 },
        "text",
      ],
    });
    const parsed = parseAnchors(anchorsJson, "anchors.json");
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.problems).toHaveLength(4);
    expect(parsed.problems[0]).toContain("m/b1/trt_python at 2 in flight");
    expect(parsed.problems[1]).toContain("inFlight should be a whole number");
    expect(parsed).toMatchObject({ gpu: "NVIDIA H100", tensorrt: "10.6.0" });
    expect(() => parseAnchors("{", "a.json")).toThrow(/a\.json: the anchors are not JSON/);
    expect(() => parseAnchors('{"rows": 3}', "a.json")).toThrow(/expected an object with a rows list/);
  });
});

describe("the Markdown report", () => {
  const report = buildModelsReport({
    meta: { gpu: "NVIDIA H200", tensorrt: "TensorRT 10.6.0", date: "today", node: "v20", modelsBuiltWith: "TensorRT 10.6.0 on NVIDIA H200", point: "warm-up 100 ms, measured 400 ms" },
    rows: ours,
    anchors: { gpu: "NVIDIA H100 80GB HBM3", tensorrt: "10.6.0", torch: "2.11", rows: anchors, problems: ["m/b1/x: bad"] },
    memory: [],
    skipped: [{ model: "detector_nms", reason: "the builder failed: no plugin" }],
    levels: [1, 2, 4, 8],
  });
  const md = formatModelsMarkdown(report);

  it("marks each target met, not met or not measured, and counts them", () => {
    expect(report.tally).toEqual(tallyTargets(report.targets));
    expect(md).toContain(`Targets: ${report.tally.met} met, ${report.tally.notMet} not met, ${report.tally.notMeasured} not measured.`);
    expect(md).toContain("| b1 | run() p50 − TensorRT Python p50 | native | ≤ 30 µs | +25.0 µs met |");
    expect(md).toContain("| b1 | run() p50 − TensorRT Python p50 | ffi | ≤ 30 µs | +35.0 µs **not met** |");
    expect(md).toMatch(/\| b1 \| run\(\) throughput \/ TensorRT Python's \| native \| ≥ 0\.97 \| 0\.986 met \| 0\.993 met \| 0\.972 met \| not measured \|/);
    expect(md).toContain("- native_run: CudaError: out of memory; trt_python: CUDA out of memory");
  });

  it("shows ours and the anchors in one table per case, with the reasons for rows that did not run", () => {
    expect(md).toContain("| ours native run() | 1650/s · 600 / 900 µs | 1900/s · 1000 / 2500 µs | 1920/s · 2000 / 3000 µs | n/a: CudaError: out of memory |");
    expect(md).toContain("| TensorRT Python execute_async_v3 | 1674/s · 575 / 600 µs |");
    expect(md).toContain("| ours ffi graph replay, run() | n/a: no CUDA graphs on this device layer |");
  });

  it("warns when the anchors ran on another GPU, and names skipped models and left-out anchor rows", () => {
    expect(md).toContain("**The anchors ran on NVIDIA H100 80GB HBM3, ours on NVIDIA H200: the ratios compare two machines.**");
    expect(md).toContain("- **detector_nms not measured**: the builder failed: no plugin");
    expect(md).toContain("- anchor row left out: m/b1/x: bad");
  });
});
