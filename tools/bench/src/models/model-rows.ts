import type { GcPauses } from "./timed-point.js";

/**
 * The rows of the real-model benchmarks, ours and the anchors', in one
 * shape: the anchors' JSON (tools/bench/torch/bench_real_models.py) and the
 * JSON written here use it, so one report reads both.
 */

/** This runtime's rows: engine implementation, then the call measured. */
export const OUR_ROWS = ["native_run", "ffi_run", "native_runSync", "ffi_runSync", "native_graph_run", "ffi_graph_run", "native_graph_runSync", "ffi_graph_runSync"] as const;
/** The anchors' rows, as bench_real_models.py names them. */
export const ANCHOR_ROWS = ["trt_python", "trt_python_graph", "torchtrt_cpp", "torchtrt_cpp_graph", "torch_eager_fp16", "torch_graph_fp16"] as const;

export type OurRow = (typeof OUR_ROWS)[number];
export type AnchorRow = (typeof ANCHOR_ROWS)[number];

export const ROW_LABELS: Readonly<Record<OurRow | AnchorRow, string>> = {
  native_run: "ours native run()",
  ffi_run: "ours ffi run()",
  native_runSync: "ours native runSync()",
  ffi_runSync: "ours ffi runSync()",
  native_graph_run: "ours native graph replay, run()",
  ffi_graph_run: "ours ffi graph replay, run()",
  native_graph_runSync: "ours native graph replay, runSync()",
  ffi_graph_runSync: "ours ffi graph replay, runSync()",
  trt_python: "TensorRT Python execute_async_v3",
  trt_python_graph: "TensorRT Python captured graph",
  torchtrt_cpp: "Torch-TensorRT C++ runtime",
  torchtrt_cpp_graph: "Torch-TensorRT C++ runtime, CUDA graphs",
  torch_eager_fp16: "PyTorch eager fp16",
  torch_graph_fp16: "PyTorch CUDA graph fp16",
};

/** One measured point. */
export interface MeasuredRow {
  readonly model: string;
  readonly case: string;
  readonly row: string;
  readonly inFlight: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly throughputPerS: number;
  readonly calls: number;
  /** V8's pauses in the measured window (our rows; the anchors are Python and have none). */
  readonly gc?: GcPauses;
  /** The event loop's longest block in the window, ms (our concurrent rows). */
  readonly loopBlockMaxMs?: number;
}

/** A point that could not be measured, and why. */
export interface UnsupportedRow {
  readonly model: string;
  readonly case: string;
  readonly row: string;
  readonly inFlight: number;
  readonly unsupported: string;
}

export type BenchRow = MeasuredRow | UnsupportedRow;

export const isMeasured = (r: BenchRow): r is MeasuredRow => !("unsupported" in r);

/** Finds rows by model, case, row and in-flight level. */
export class RowIndex {
  private readonly byKey = new Map<string, BenchRow>();
  constructor(rows: readonly BenchRow[]) {
    for (const r of rows) this.byKey.set(RowIndex.key(r.model, r.case, r.row, r.inFlight), r);
  }
  static key(model: string, c: string, row: string, inFlight: number): string {
    return `${model}\u0000${c}\u0000${row}\u0000${inFlight}`;
  }
  get(model: string, c: string, row: string, inFlight = 1): BenchRow | undefined {
    return this.byKey.get(RowIndex.key(model, c, row, inFlight));
  }
  measured(model: string, c: string, row: string, inFlight = 1): MeasuredRow | undefined {
    const r = this.get(model, c, row, inFlight);
    return r && isMeasured(r) ? r : undefined;
  }
  private rowsOf(model: string, c: string, row: string): boolean {
    const prefix = `${model}\u0000${c}\u0000${row}\u0000`;
    for (const key of this.byKey.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }
  /** Why a row has no figure: its own reason, or that nothing was recorded. */
  missing(model: string, c: string, row: string, inFlight = 1): string {
    const r = this.get(model, c, row, inFlight);
    if (!r) return this.rowsOf(model, c, row) ? `no ${row} row at ${inFlight} in flight` : `no ${row} row`;
    return isMeasured(r) ? "" : `${row}: ${r.unsupported}`;
  }
}
