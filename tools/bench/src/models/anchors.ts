/**
 * The anchors: what TensorRT's Python API, Torch-TensorRT's C++ runtime and
 * PyTorch measure on the same engines and inputs
 * (tools/bench/torch/bench_real_models.py writes them). Read and checked
 * here; a row that is neither a measurement nor an "unsupported" with its
 * reason is left out and named in `problems`, so a malformed row never turns
 * into a figure.
 */
import { readFileSync } from "node:fs";
import type { BenchRow } from "./model-rows.js";

export interface Anchors {
  readonly gpu: string | null;
  readonly tensorrt: string | null;
  readonly torch: string | null;
  readonly rows: readonly BenchRow[];
  /** Rows left out, and why. */
  readonly problems: readonly string[];
}

const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isFigure = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/** Reads one row; a string saying what is wrong when it is not a row. */
export function readAnchorRow(value: unknown): BenchRow | string {
  if (typeof value !== "object" || value === null) return `not an object: ${JSON.stringify(value)}`;
  const r = value as Record<string, unknown>;
  if (!isText(r.model) || !isText(r.case) || !isText(r.row)) return `a row needs model, case and row: ${JSON.stringify(value).slice(0, 120)}`;
  const inFlight = r.inFlight === undefined ? 1 : r.inFlight;
  if (!Number.isSafeInteger(inFlight) || (inFlight as number) < 1) return `${r.model}/${r.case}/${r.row}: inFlight should be a whole number >= 1, found ${JSON.stringify(r.inFlight)}`;
  const key = { model: r.model, case: r.case, row: r.row, inFlight: inFlight as number };
  if (isText(r.unsupported)) return { ...key, unsupported: r.unsupported };
  if (isFigure(r.p50Us) && isFigure(r.p99Us) && isFigure(r.throughputPerS) && r.p50Us > 0) {
    return { ...key, p50Us: r.p50Us, p99Us: r.p99Us, throughputPerS: r.throughputPerS, calls: isFigure(r.calls) ? r.calls : 0 };
  }
  return `${r.model}/${r.case}/${r.row} at ${String(inFlight)} in flight: neither figures (p50Us > 0, p99Us, throughputPerS) nor an unsupported reason`;
}

export function parseAnchors(text: string, path: string): Anchors {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: the anchors are not JSON (${(e as Error).message}); write them with tools/bench/torch/bench_real_models.py MODELS_DIR OUT.json`);
  }
  const j = json as Record<string, unknown>;
  if (typeof json !== "object" || json === null || !Array.isArray(j.rows)) throw new Error(`${path}: expected an object with a rows list (bench_real_models.py's output)`);
  const rows: BenchRow[] = [];
  const problems: string[] = [];
  for (const value of j.rows) {
    const r = readAnchorRow(value);
    if (typeof r === "string") problems.push(r);
    else rows.push(r);
  }
  const text_ = (v: unknown) => (isText(v) ? v : null);
  return { gpu: text_(j.gpu), tensorrt: text_(j.tensorrt), torch: text_(j.torch), rows, problems };
}

export function readAnchors(path: string): Anchors {
  return parseAnchors(readFileSync(path, "utf8"), path);
}
