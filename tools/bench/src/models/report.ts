/**
 * The real-model benchmark report: our rows and the anchors' side by side
 * per model and case, the targets each marked met / not met / not measured,
 * and memory over many calls. One object (written as JSON) and its Markdown
 * (for docs/benchmarks.md and the terminal).
 */
import type { Anchors } from "./anchors.js";
import type { MemoryDrift } from "./memory-drift.js";
import type { BenchRow, MeasuredRow } from "./model-rows.js";
import { ANCHOR_ROWS, isMeasured, OUR_ROWS, ROW_LABELS, RowIndex } from "./model-rows.js";
import type { TargetCheck } from "./targets.js";
import { evaluateTargets, tallyTargets } from "./targets.js";

/** RSS and device memory must stay within this over the memory run. */
export const MEMORY_DRIFT_LIMIT_PERCENT = 1;

export interface ModelsBenchReport {
  readonly meta: Readonly<Record<string, unknown>>;
  /** Our rows. */
  readonly rows: readonly BenchRow[];
  readonly anchors: Anchors | null;
  readonly memory: readonly MemoryDrift[];
  /** Models the manifest lists as failed (or that could not be measured at all), with the reason. */
  readonly skipped: readonly { readonly model: string; readonly reason: string }[];
  readonly levels: readonly number[];
  readonly targets: readonly TargetCheck[];
  readonly tally: { readonly met: number; readonly notMet: number; readonly notMeasured: number };
}

export function buildModelsReport(parts: Omit<ModelsBenchReport, "targets" | "tally">): ModelsBenchReport {
  const targets = evaluateTargets(parts.rows, parts.anchors?.rows ?? [], parts.levels);
  return { ...parts, targets, tally: tallyTargets(targets) };
}

const fixed = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const mib = (b: number) => (b / 2 ** 20).toFixed(1);
const cell = (r: MeasuredRow) => `${r.throughputPerS.toFixed(0)}/s · ${fixed(r.p50Us)} / ${fixed(r.p99Us)} µs`;
const escape = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;

function verdict(c: TargetCheck): string {
  if (c.target === null) return "information";
  return c.met === null ? "not measured" : c.met ? "met" : "**not met**";
}

function value(c: TargetCheck): string {
  if (c.value === null) return "";
  return c.unit === "µs" ? `${c.value >= 0 ? "+" : ""}${c.value.toFixed(1)} µs` : c.value.toFixed(3);
}

/**
 * A model's targets: one line per case, check and engine, one cell per
 * in-flight level ("0.981 met"); the reasons for what was not measured
 * listed once below it.
 */
function targetTable(checks: readonly TargetCheck[], levels: readonly number[]): string[] {
  if (checks.length === 0) return [];
  const groups = new Map<string, TargetCheck[]>();
  for (const x of checks) {
    const key = `${x.case}\u0000${x.name}\u0000${x.implementation}`;
    groups.set(key, [...(groups.get(key) ?? []), x]);
  }
  const lines = ["", line(["case", "check", "engine", "target", ...levels.map((n) => `${n} in flight`)]), line(["---", "---", "---", "---", ...levels.map(() => "---")])];
  const reasons = new Set<string>();
  for (const group of groups.values()) {
    const first = group[0]!;
    const cells = levels.map((n) => {
      const x = group.find((g) => g.inFlight === n);
      if (!x) return "";
      if (x.value === null) reasons.add(x.note);
      if (x.value === null) return "not measured";
      return x.target === null ? value(x) : `${value(x)} ${verdict(x)}`;
    });
    lines.push(line([first.case, first.name, first.implementation, first.target ?? "(information)", ...cells]));
  }
  if (reasons.size > 0) lines.push("", "Not measured because:", ...[...reasons].map((r) => `- ${escape(r)}`));
  return lines;
}

/** One case's table: each row's points at every level, "req/s · p50 / p99 µs". */
function caseTable(index: RowIndex, rows: readonly BenchRow[], model: string, c: string, levels: readonly number[]): string[] {
  const lines = [line(["row", ...levels.map((n) => `${n} in flight`)]), line(["---", ...levels.map(() => "---:")])];
  for (const row of [...OUR_ROWS, ...ANCHOR_ROWS]) {
    if (!rows.some((r) => r.model === model && r.case === c && r.row === row)) continue;
    const cells = levels.map((n) => {
      const r = index.get(model, c, row, n);
      if (!r) return "";
      return isMeasured(r) ? cell(r) : `n/a: ${escape(r.unsupported)}`;
    });
    lines.push(line([ROW_LABELS[row], ...cells]));
  }
  return lines;
}

export function formatModelsMarkdown(report: ModelsBenchReport): string {
  const all = [...report.rows, ...(report.anchors?.rows ?? [])];
  const index = new RowIndex(all);
  const meta = report.meta;
  const out: string[] = [];
  out.push(`### Real models on ${String(meta.gpu ?? "no GPU")}, ${String(meta.tensorrt ?? "")}`, "");
  out.push(`${String(meta.date ?? "")}; Node ${String(meta.node ?? "")}; models built with ${String(meta.modelsBuiltWith ?? "")}; each point ${String(meta.point ?? "")}.`);
  if (report.anchors) {
    out.push(`Anchors: TensorRT ${report.anchors.tensorrt ?? "?"}, torch ${report.anchors.torch ?? "?"} on ${report.anchors.gpu ?? "?"}.`);
    if (report.anchors.gpu && meta.gpu && report.anchors.gpu !== meta.gpu) out.push(`**The anchors ran on ${report.anchors.gpu}, ours on ${String(meta.gpu)}: the ratios compare two machines.**`);
    for (const p of report.anchors.problems) out.push(`- anchor row left out: ${escape(p)}`);
  } else {
    out.push("No anchors given (--anchors ANCHORS.json): the targets against them are not measured.");
  }
  const t = report.tally;
  out.push("", `Targets: ${t.met} met, ${t.notMet} not met, ${t.notMeasured} not measured. Cells: requests/s · p50 / p99 µs per call.`);
  for (const s of report.skipped) out.push(`- **${s.model} not measured**: ${escape(s.reason)}`);
  const models = [...new Set(report.rows.map((r) => r.model))];
  for (const model of models) {
    out.push("", `#### ${model}`);
    const cases = [...new Set(report.rows.filter((r) => r.model === model).map((r) => r.case))];
    for (const c of cases) out.push("", `Case ${c}:`, "", ...caseTable(index, all, model, c, report.levels));
    out.push(...targetTable(report.targets.filter((x) => x.model === model), report.levels));
  }
  if (report.memory.length > 0) {
    out.push("", "#### Memory over many run() calls", "", line(["engine", "model", "case", "calls", "RSS MiB first → last", "RSS drift", "RSS drift less V8's young generation", "device used MiB first → last", "device drift", "pool live bytes first → last", `flat within ${MEMORY_DRIFT_LIMIT_PERCENT}%`]));
    out.push(line(["---", "---", "---", "---:", "---", "---:", "---:", "---", "---:", "---", "---"]));
    for (const m of report.memory) {
      const first = m.samples[0]!;
      const last = m.samples.at(-1)!;
      const device = first.deviceUsedBytes === null || last.deviceUsedBytes === null ? "n/a" : `${mib(first.deviceUsedBytes)} → ${mib(last.deviceUsedBytes)}`;
      // RSS less V8's young generation decides (memory-drift.ts says why); a saved run from before it was recorded uses RSS.
      const hostDrift = m.rssOutsideYoungDriftPercent ?? m.rssDriftPercent;
      const flat = Math.abs(hostDrift) <= MEMORY_DRIFT_LIMIT_PERCENT && (m.deviceDriftPercent === null || Math.abs(m.deviceDriftPercent) <= MEMORY_DRIFT_LIMIT_PERCENT);
      out.push(
        line([
          m.implementation,
          m.model,
          m.case,
          String(m.calls),
          `${mib(first.rssBytes)} → ${mib(last.rssBytes)}`,
          `${m.rssDriftPercent.toFixed(2)}%`,
          m.rssOutsideYoungDriftPercent === undefined ? "n/a (not recorded)" : `${m.rssOutsideYoungDriftPercent.toFixed(2)}%`,
          device,
          m.deviceDriftPercent === null ? "n/a" : `${m.deviceDriftPercent.toFixed(2)}%`,
          `${first.poolLiveBytes} → ${last.poolLiveBytes}`,
          flat ? "met" : "**not met**",
        ]),
      );
    }
    out.push("", `RSS every ${m0(report.memory)} calls (MiB): ${report.memory.map((m) => `${m.implementation} ${m.samples.map((s) => mib(s.rssBytes)).join(", ")}`).join("; ")}.`);
  }
  return out.join("\n") + "\n";
}

const m0 = (memory: readonly MemoryDrift[]) => {
  const s = memory[0]!.samples;
  return s.length > 1 ? s[1]!.calls - s[0]!.calls : 0;
};

/** The rows of a model-measured report that are ours (for re-reporting a saved JSON with other anchors). */
export function ourRowsOf(rows: readonly BenchRow[]): BenchRow[] {
  return rows.filter((r) => (OUR_ROWS as readonly string[]).includes(r.row));
}
