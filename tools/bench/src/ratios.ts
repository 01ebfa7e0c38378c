/**
 * The ratios the suite reports, from host medians of one run, with the
 * targets the project holds itself to. A ratio whose rows did not run is left
 * out rather than guessed.
 */
import type { Measurement } from "./measurement.js";
import type { RowKey } from "./rows.js";

export interface Ratio {
  readonly case: string;
  readonly name: string;
  readonly value: number;
  /** "ratio" (top / bottom) or "µs" (a difference of medians). */
  readonly unit: "ratio" | "µs";
  /** The target in words, when there is one. */
  readonly target: string | null;
  readonly met: boolean | null;
}

const MLP_CASES = new Set(["mlp3_b1", "mlp3_b8", "mlp3_b64"]);

export function caseRatios(caseId: string, rows: Readonly<Record<RowKey, Measurement>>): Ratio[] {
  const median = (key: RowKey) => rows[key].host?.medianUs ?? null;
  const out: Ratio[] = [];
  const add = (name: string, top: number | null, bottom: number | null, limit: number | null, target: string | null) => {
    if (top === null || bottom === null || bottom <= 0) return;
    const value = top / bottom;
    out.push({ case: caseId, name, value, unit: "ratio", target, met: limit === null ? null : value <= limit });
  };
  const floor = median("floor");
  add("ffi / native", median("ffi"), median("native"), 1.5, "≤ 1.5");
  add("native / floor", median("native"), floor, null, null);
  add("ffi / floor", median("ffi"), floor, null, null);
  // The overhead target as one number: native over its allowance (1.25 × floor + 5 µs); met when ≤ 1.
  add("native / (1.25 × floor + 5 µs)", median("native"), floor === null ? null : 1.25 * floor + 5, 1, "≤ 1");
  add("native graph replay / raw cudaGraphLaunch", median("native_graph"), median("floor_graph"), 1.2, "≤ 1.2");
  add("ffi graph replay / raw cudaGraphLaunch", median("ffi_graph"), median("floor_graph"), 1.2, "≤ 1.2");
  add("native graph, reused outputs / raw cudaGraphLaunch", median("native_graph_reused"), median("floor_graph"), 1.2, "≤ 1.2");
  add("ffi graph, reused outputs / raw cudaGraphLaunch", median("ffi_graph_reused"), median("floor_graph"), 1.2, "≤ 1.2");
  add("native graph replay / native plain", median("native_graph"), median("native"), null, null);
  const mlp = MLP_CASES.has(caseId);
  add("native / PyTorch eager", median("native"), median("torch_eager"), mlp ? 0.8 : null, mlp ? "≤ 0.8" : null);
  add("ffi / PyTorch eager", median("ffi"), median("torch_eager"), null, null);
  add("native graph / PyTorch graph", median("native_graph"), median("torch_graph"), null, null);
  add("floor / PyTorch eager", floor, median("torch_eager"), null, null);
  add("native graph, reused outputs / PyTorch graph", median("native_graph_reused"), median("torch_graph"), 1.1, "≤ 1.1");
  add("ffi graph, reused outputs / PyTorch graph", median("ffi_graph_reused"), median("torch_graph"), 1.1, "≤ 1.1");
  add("native / Torch-TensorRT C++ runtime", median("native"), median("torchtrt_cpp"), null, null);
  add("native graph / Torch-TensorRT C++ runtime + graphs", median("native_graph"), median("torchtrt_cpp_graph"), null, null);
  const overheads: Array<[string, RowKey]> = [
    ["native", "native"],
    ["ffi", "ffi"],
    ["TensorRT Python API", "trt_python"],
    ["Torch-TensorRT C++", "torchtrt_cpp"],
    ["Torch-TensorRT Python", "torchtrt_python"],
  ];
  for (const [label, key] of overheads) {
    const m = median(key);
    if (m !== null && floor !== null) out.push({ case: caseId, name: `${label} − floor`, value: m - floor, unit: "µs", target: null, met: null });
  }
  // The target of beating Torch-TensorRT's C++ runtime on per-call overhead, as one number: met when < 1.
  const theirs = median("torchtrt_cpp");
  if (theirs !== null && floor !== null && theirs - floor > 0) {
    for (const implementation of ["native", "ffi"] as const) {
      const ours = median(implementation);
      if (ours === null) continue;
      const value = (ours - floor) / (theirs - floor);
      out.push({ case: caseId, name: `${implementation} overhead / Torch-TensorRT C++ overhead (over the floor)`, value, unit: "ratio", target: "< 1", met: value < 1 });
    }
  }
  return out;
}

/**
 * What serving a data-dependent output through the output allocator adds to
 * a call, per implementation: the runtime's overhead over the floor on the
 * nonzero case minus its overhead on the identity case (both tiny, so what
 * is left is the allocator round trip and the shape bookkeeping).
 */
export function allocatorOverhead(ratios: readonly Ratio[]): Ratio[] {
  const overhead = (c: string, implementation: string) => ratios.find((r) => r.case === c && r.name === `${implementation} − floor`)?.value;
  const out: Ratio[] = [];
  for (const implementation of ["native", "ffi"]) {
    const dataDependent = overhead("nonzero", implementation);
    const plain = overhead("identity", implementation);
    if (dataDependent === undefined || plain === undefined) continue;
    out.push({ case: "nonzero", name: `${implementation} output-allocator overhead (vs identity)`, value: dataDependent - plain, unit: "µs", target: null, met: null });
  }
  return out;
}
