/** The printed table and the Markdown form of one run's results. */
import type { MemoryRow } from "./memory.js";
import type { Measurement } from "./measurement.js";
import type { Ratio } from "./ratios.js";
import type { RowKey } from "./rows.js";
import { ROWS } from "./rows.js";
import type { ThroughputRow } from "./throughput.js";

export interface CaseResult {
  readonly id: string;
  readonly what: string;
  readonly rows: Readonly<Record<RowKey, Measurement>>;
  /** Sum of the first output for the first shape set: ours and PyTorch's, where both ran. */
  readonly checksums: { readonly ours: number | null; readonly torch: number | null };
}

export interface BenchReport {
  readonly meta: Readonly<Record<string, unknown>>;
  readonly cases: readonly CaseResult[];
  readonly ratios: readonly Ratio[];
  readonly throughput: readonly ThroughputRow[];
  readonly memory: readonly MemoryRow[];
}

const us = (v: number | undefined | null) => (v === undefined || v === null ? "" : v < 10 ? v.toFixed(2) : v.toFixed(1));

function caseLines(c: CaseResult, sep: (cells: string[]) => string): string[] {
  return ROWS.map(({ key, label }) => {
    const m = c.rows[key];
    if (m.unsupported) return sep([label, "n/a", "", "", m.unsupported]);
    return sep([label, us(m.host?.medianUs), us(m.host?.p99Us), us(m.device?.medianUs), ""]);
  });
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : i === cells.length - 1 ? c : c.padStart(widths[i]!))).join("  ");
}

/** Plain-text tables for the terminal. */
export function formatTable(report: BenchReport): string {
  const lines: string[] = [];
  const widths = [40, 10, 10, 12, 0];
  for (const c of report.cases) {
    lines.push("", `${c.id}: ${c.what}`, pad(["row", "median µs", "p99 µs", "device µs", "note"], widths));
    lines.push(...caseLines(c, (cells) => pad(cells, widths)));
  }
  lines.push("", "ratios (host medians, same run)");
  for (const r of report.ratios) {
    const verdict = r.met === null ? "" : r.met ? `target ${r.target}: met` : `target ${r.target}: MISSED`;
    const value = r.unit === "µs" ? `${r.value.toFixed(2)} µs` : r.value.toFixed(3);
    lines.push(`  ${r.case.padEnd(16)} ${r.name.padEnd(48)} ${value.padStart(11)}  ${verdict}`);
  }
  if (report.throughput.length > 0) {
    lines.push("", "throughput vs requests in flight (module.run)");
    for (const t of report.throughput) {
      lines.push(`  ${t.implementation.padEnd(7)} ${t.case.padEnd(10)} in flight ${String(t.inFlight).padStart(2)}: ${t.requestsPerSecond.toFixed(0).padStart(8)} req/s, mean latency ${us(t.meanLatencyUs)} µs`);
    }
  }
  if (report.memory.length > 0) {
    lines.push("", "memory after many calls (runSync)");
    for (const m of report.memory) {
      lines.push(`  ${m.implementation.padEnd(7)} ${m.case.padEnd(10)} ${m.calls} calls: RSS ${(m.rssBeforeBytes / 2 ** 20).toFixed(1)} -> ${(m.rssAfterBytes / 2 ** 20).toFixed(1)} MiB (${m.rssDriftPercent.toFixed(2)}%), pool live ${m.poolLiveBytesBefore} -> ${m.poolLiveBytesAfter} bytes`);
    }
  }
  return lines.join("\n");
}

/** The same results as Markdown tables (for docs/benchmarks.md). */
export function formatMarkdown(report: BenchReport): string {
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const lines: string[] = [];
  for (const c of report.cases) {
    lines.push(`#### ${c.id}: ${c.what}`, "", row(["row", "host median µs", "host p99 µs", "device median µs", "note"]), row(["---", "---:", "---:", "---:", "---"]));
    lines.push(...caseLines(c, row), "");
  }
  lines.push("#### Ratios", "", row(["case", "ratio", "value", "target"]), row(["---", "---", "---:", "---"]));
  for (const r of report.ratios) lines.push(row([r.case, r.name, r.unit === "µs" ? `${r.value.toFixed(2)} µs` : r.value.toFixed(3), r.met === null ? "" : `${r.target} (${r.met ? "met" : "missed"})`]));
  if (report.throughput.length > 0) {
    lines.push("", "#### Throughput vs requests in flight", "", row(["engine", "case", "in flight", "req/s", "mean latency µs"]), row(["---", "---", "---:", "---:", "---:"]));
    for (const t of report.throughput) lines.push(row([t.implementation, t.case, String(t.inFlight), t.requestsPerSecond.toFixed(0), us(t.meanLatencyUs)]));
  }
  if (report.memory.length > 0) {
    lines.push("", "#### Memory after many calls", "", row(["engine", "case", "calls", "RSS before MiB", "RSS after MiB", "drift", "pool live bytes before → after"]), row(["---", "---", "---:", "---:", "---:", "---:", "---"]));
    for (const m of report.memory) {
      lines.push(row([m.implementation, m.case, String(m.calls), (m.rssBeforeBytes / 2 ** 20).toFixed(1), (m.rssAfterBytes / 2 ** 20).toFixed(1), `${m.rssDriftPercent.toFixed(2)}%`, `${m.poolLiveBytesBefore} → ${m.poolLiveBytesAfter}`]));
    }
  }
  return lines.join("\n") + "\n";
}
