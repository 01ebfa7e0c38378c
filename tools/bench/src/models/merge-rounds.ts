/**
 * Several rounds of the same points, merged into one figure each. On a
 * shared machine one 400 ms point can move by a third between runs minutes
 * apart (the second H100 run in docs/benchmarks.md: the same ffi point at
 * 2272 and 3054 requests/s), more than the targets' margins. Running ours
 * and the anchors alternately for a few rounds and keeping each point's
 * median puts both sides through the same drift, so their ratio means
 * something; the spread across rounds is kept beside it.
 *
 *   node --import tsx src/models/merge-rounds.ts ours OUT.json ROUND1.json ROUND2.json ...
 *   node --import tsx src/models/merge-rounds.ts anchors OUT.json ROUND1.json ROUND2.json ...
 *
 * `ours` takes bench-models' JSON reports (the first round's meta, memory and
 * skipped models are kept; report the result with `--from OUT.json`);
 * `anchors` takes bench_real_models.py's JSON (the first round's header is kept).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { BenchRow, MeasuredRow, UnsupportedRow } from "./model-rows.js";
import { isMeasured, RowIndex } from "./model-rows.js";

/** How far a point moved across rounds. */
export interface RoundSpread {
  readonly rounds: number;
  readonly throughputMin: number;
  readonly throughputMax: number;
  readonly p50MinUs: number;
  readonly p50MaxUs: number;
}

export type MergedRow = (MeasuredRow & { readonly spread: RoundSpread }) | UnsupportedRow;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * One row per point seen in any round: the median of each figure over the rounds that measured it,
 * with their spread; unsupported only where no round measured it (with the first round's reason).
 */
export function mergeRounds(rounds: readonly (readonly BenchRow[])[]): MergedRow[] {
  const order: BenchRow[] = [];
  const byKey = new Map<string, BenchRow[]>();
  for (const rows of rounds) {
    for (const r of rows) {
      const key = RowIndex.key(r.model, r.case, r.row, r.inFlight);
      const seen = byKey.get(key);
      if (seen) seen.push(r);
      else {
        byKey.set(key, [r]);
        order.push(r);
      }
    }
  }
  return order.map((first) => {
    const all = byKey.get(RowIndex.key(first.model, first.case, first.row, first.inFlight))!;
    const measured = all.filter(isMeasured);
    if (measured.length === 0) return first as UnsupportedRow;
    const tp = measured.map((r) => r.throughputPerS);
    const p50 = measured.map((r) => r.p50Us);
    return {
      model: first.model,
      case: first.case,
      row: first.row,
      inFlight: first.inFlight,
      p50Us: median(p50),
      p99Us: median(measured.map((r) => r.p99Us)),
      throughputPerS: median(tp),
      calls: measured.reduce((n, r) => n + r.calls, 0),
      spread: { rounds: measured.length, throughputMin: Math.min(...tp), throughputMax: Math.max(...tp), p50MinUs: Math.min(...p50), p50MaxUs: Math.max(...p50) },
    };
  });
}

function main(argv: readonly string[]): void {
  const [kind, out, ...inputs] = argv;
  if ((kind !== "ours" && kind !== "anchors") || !out || inputs.length === 0) {
    throw new Error("usage: merge-rounds.ts ours|anchors OUT.json ROUND.json [ROUND.json ...]");
  }
  const reports = inputs.map((path) => {
    const json = JSON.parse(readFileSync(path, "utf8")) as { rows?: unknown };
    if (!Array.isArray(json.rows)) throw new Error(`${path}: no rows list; expected ${kind === "ours" ? "a bench-models JSON report" : "bench_real_models.py's JSON"}`);
    return json as { rows: BenchRow[] } & Record<string, unknown>;
  });
  // Ours: drop what bench-models derives from rows and anchors; --from recomputes it.
  const { anchors: _anchors, targets: _targets, tally: _tally, ...head } = reports[0]!;
  const merged = { ...head, rounds: inputs.length, rows: mergeRounds(reports.map((r) => r.rows)) };
  writeFileSync(out, JSON.stringify(merged, null, 2) + "\n");
  console.error(`[merge-rounds] ${kind}: ${merged.rows.length} points from ${inputs.length} rounds into ${out}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main(process.argv.slice(2));
