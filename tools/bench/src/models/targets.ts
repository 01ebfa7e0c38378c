/**
 * The targets the real-model benchmarks hold this runtime to, computed from
 * one run of ours and the anchors' rows (TensorRT Python with the same
 * contexts and streams, its captured graph, Torch-TensorRT's C++ runtime):
 *
 * - run() p50 at one in flight ≤ TensorRT Python's p50 + 30 µs;
 * - run() throughput ≥ 0.97 × TensorRT Python's at each in-flight level;
 * - run() p99 ≤ 2 × its p50 at each in-flight level;
 * - ffi's run() throughput ≥ 0.9 × native's at each in-flight level;
 * - graph replay through run() at batch 1 ≤ TensorRT Python's captured
 *   graph + 10 µs, and below Torch-TensorRT's CUDA-graph mode.
 *
 * A target whose figures are missing (a row unsupported, an anchor not
 * given) is "not measured", with the reason, never met or missed by default.
 * Information lines (no target) sit beside them: runSync() against TensorRT
 * Python, graph replay against TensorRT Python's plain loop.
 */
import type { BenchRow, MeasuredRow } from "./model-rows.js";
import { RowIndex } from "./model-rows.js";

/**
 * What V8's collector and the event loop did in the window, beside a p99: a pause or a block as long
 * as the tail names where it happened; neither says the tail came from off the main thread.
 */
export function gcNote(r: MeasuredRow): string {
  if (!r.gc) return "";
  const loop = r.loopBlockMaxMs === undefined ? "" : `; event loop blocked at most ${r.loopBlockMaxMs.toFixed(2)} ms`;
  if (r.gc.count === 0) return `; no GC pause in the window${loop}`;
  return `; GC: ${r.gc.count} pauses (${r.gc.major} major), longest ${r.gc.maxMs.toFixed(2)} ms, ${r.gc.totalMs.toFixed(1)} ms in all${loop}`;
}

export interface TargetCheck {
  readonly model: string;
  readonly case: string;
  /** What is compared, in words. */
  readonly name: string;
  readonly implementation: "native" | "ffi";
  readonly inFlight: number;
  /** The figure, or null when it could not be computed. */
  readonly value: number | null;
  readonly unit: "µs" | "×";
  /** The target in words ("≤ 30 µs"), or null for an information line. */
  readonly target: string | null;
  /** Met, not met, or null: not measured (or an information line). */
  readonly met: boolean | null;
  /** The figures it came from, or why it could not be computed. */
  readonly note: string;
}

export const TARGETS = {
  latencyOverTrtPythonUs: 30,
  throughputVsTrtPython: 0.97,
  tailOverMedian: 2,
  ffiVsNative: 0.9,
  graphOverTrtPythonGraphUs: 10,
} as const;

const IMPLEMENTATIONS = ["native", "ffi"] as const;
const us = (v: number) => `${v.toFixed(1)} µs`;

/** Every target and information line for the (model, case) pairs our rows cover. */
export function evaluateTargets(ours: readonly BenchRow[], anchors: readonly BenchRow[], levels: readonly number[] = [1, 2, 4, 8]): TargetCheck[] {
  const index = new RowIndex([...anchors, ...ours]);
  const pairs = [...new Map(ours.map((r) => [`${r.model}\u0000${r.case}`, [r.model, r.case] as const])).values()];
  const out: TargetCheck[] = [];
  for (const [model, c] of pairs) {
    const measured = (row: string, n = 1) => index.measured(model, c, row, n);
    const missing = (row: string, n = 1) => index.missing(model, c, row, n);
    for (const impl of IMPLEMENTATIONS) {
      if (!ours.some((r) => r.model === model && r.case === c && r.row.startsWith(`${impl}_`))) continue;
      const base = { model, case: c, implementation: impl } as const;
      const check = (name: string, inFlight: number, unit: TargetCheck["unit"], target: string | null, compute: () => { value: number; note: string } | string, pass: ((v: number) => boolean) | null) => {
        const r = compute();
        if (typeof r === "string") out.push({ ...base, name, inFlight, value: null, unit, target, met: null, note: r });
        else out.push({ ...base, name, inFlight, value: r.value, unit, target, met: pass ? pass(r.value) : null, note: r.note });
      };
      /** Both rows measured: `f` of them; else why not. */
      const two = (a: [string, number], b: [string, number], f: (x: number, y: number) => number, pick: "p50Us" | "throughputPerS") => () => {
        const x = measured(...a);
        const y = measured(...b);
        if (!x || !y) return [x ? "" : missing(...a), y ? "" : missing(...b)].filter(Boolean).join("; ");
        const show = (v: number) => (pick === "p50Us" ? us(v) : `${v.toFixed(0)}/s`);
        return { value: f(x[pick], y[pick]), note: `${a[0]} ${show(x[pick])}, ${b[0]} ${show(y[pick])}` };
      };
      const run = `${impl}_run`;
      check("run() p50 − TensorRT Python p50", 1, "µs", `≤ ${TARGETS.latencyOverTrtPythonUs} µs`, two([run, 1], ["trt_python", 1], (x, y) => x - y, "p50Us"), (v) => v <= TARGETS.latencyOverTrtPythonUs);
      for (const n of levels) {
        check("run() throughput / TensorRT Python's", n, "×", `≥ ${TARGETS.throughputVsTrtPython}`, two([run, n], ["trt_python", n], (x, y) => x / y, "throughputPerS"), (v) => v >= TARGETS.throughputVsTrtPython);
      }
      for (const n of levels) {
        check("run() p99 / p50", n, "×", `≤ ${TARGETS.tailOverMedian}`, () => {
          const r = measured(run, n);
          return r ? { value: r.p99Us / r.p50Us, note: `p50 ${us(r.p50Us)}, p99 ${us(r.p99Us)}${gcNote(r)}` } : missing(run, n);
        }, (v) => v <= TARGETS.tailOverMedian);
      }
      if (impl === "ffi") {
        for (const n of levels) {
          check("ffi / native run() throughput", n, "×", `≥ ${TARGETS.ffiVsNative}`, two(["ffi_run", n], ["native_run", n], (x, y) => x / y, "throughputPerS"), (v) => v >= TARGETS.ffiVsNative);
        }
      }
      check("runSync() p50 − TensorRT Python p50", 1, "µs", null, two([`${impl}_runSync`, 1], ["trt_python", 1], (x, y) => x - y, "p50Us"), null);
      const graph = `${impl}_graph_run`;
      if (index.get(model, c, graph, 1)) {
        check("graph replay run() p50 − TensorRT Python graph p50", 1, "µs", `≤ ${TARGETS.graphOverTrtPythonGraphUs} µs`, two([graph, 1], ["trt_python_graph", 1], (x, y) => x - y, "p50Us"), (v) => v <= TARGETS.graphOverTrtPythonGraphUs);
        check("graph replay run() p50 / Torch-TensorRT C++ graphs p50", 1, "×", "< 1", two([graph, 1], ["torchtrt_cpp_graph", 1], (x, y) => x / y, "p50Us"), (v) => v < 1);
        check("graph replay run() p50 / TensorRT Python plain p50", 1, "×", null, two([graph, 1], ["trt_python", 1], (x, y) => x / y, "p50Us"), null);
      }
    }
  }
  return out;
}

/** How many targets were met, not met, and not measured (information lines left out). */
export function tallyTargets(checks: readonly TargetCheck[]): { met: number; notMet: number; notMeasured: number } {
  const targets = checks.filter((c) => c.target !== null);
  return {
    met: targets.filter((c) => c.met === true).length,
    notMet: targets.filter((c) => c.met === false).length,
    notMeasured: targets.filter((c) => c.met === null).length,
  };
}
