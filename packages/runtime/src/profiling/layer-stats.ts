/**
 * Per-layer statistics over many profiled runs of a module (`module.profiler`).
 * Every profiled run adds its layer times; the summary gives, per layer, the
 * count, total, mean, median, p99, min and max. Samples are kept (a few
 * numbers per layer per run) because medians and percentiles need them; the
 * last `keepRuns` run profiles are kept too, for a trace (chrome-trace.ts).
 */
import { toChromeTrace } from "./chrome-trace.js";
import type { ChromeTrace, ChromeTraceOptions } from "./chrome-trace.js";
import type { RunProfile } from "./run-profile.js";

/** One layer over the profiled runs, times in milliseconds. */
export interface LayerStats {
  readonly name: string;
  /** Reports received (one per profiled run, for a layer that runs once per run). */
  readonly count: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly medianMs: number;
  /** 99th percentile (nearest rank). */
  readonly p99Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** What {@link ModuleProfiler.summary} returns. */
export interface ProfileSummary {
  /** Profiled runs since the last reset. */
  readonly runs: number;
  /** Layers in the order they first reported (execution order). */
  readonly layers: readonly LayerStats[];
  /** Sum of the layers' mean times: the engine's time per run as its profiler sees it. */
  readonly totalMeanMs: number;
}

/** The default number of run profiles kept for traces. */
export const DEFAULT_KEPT_RUNS = 1000;

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The median of sorted values (mean of the middle two for an even count). */
export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Aggregates the profiled runs of one module. */
export class ModuleProfiler {
  private readonly samples = new Map<string, number[]>();
  private readonly kept: RunProfile[] = [];
  private runCount = 0;

  /** @param keepRuns how many of the latest run profiles {@link runs} keeps (older ones drop out of traces, not out of the statistics). */
  constructor(readonly keepRuns: number = DEFAULT_KEPT_RUNS) {}

  /** The latest run profiles (at most keepRuns), oldest first. */
  get runs(): readonly RunProfile[] {
    return this.kept;
  }

  /** Adds one run (the module calls this for every profiled run). */
  record(profile: RunProfile): void {
    this.runCount++;
    for (const layer of profile.layers) {
      const list = this.samples.get(layer.name);
      if (list) list.push(layer.ms);
      else this.samples.set(layer.name, [layer.ms]);
    }
    if (this.keepRuns > 0) {
      if (this.kept.length >= this.keepRuns) this.kept.shift();
      this.kept.push(profile);
    }
  }

  /** Per-layer statistics over the runs recorded since the last reset. */
  summary(): ProfileSummary {
    const layers: LayerStats[] = [];
    for (const [name, ms] of this.samples) {
      const sorted = [...ms].sort((a, b) => a - b);
      const totalMs = ms.reduce((a, b) => a + b, 0);
      layers.push({
        name,
        count: ms.length,
        totalMs,
        meanMs: totalMs / ms.length,
        medianMs: median(sorted),
        p99Ms: percentile(sorted, 99),
        minMs: sorted[0]!,
        maxMs: sorted[sorted.length - 1]!,
      });
    }
    return { runs: this.runCount, layers, totalMeanMs: layers.reduce((a, l) => a + l.meanMs, 0) };
  }

  /** The kept runs as a Chrome trace (chrome://tracing, Perfetto). */
  chromeTrace(options?: ChromeTraceOptions): ChromeTrace {
    return toChromeTrace(this.kept, options);
  }

  /** Forgets every sample and kept run. */
  reset(): void {
    this.samples.clear();
    this.kept.length = 0;
    this.runCount = 0;
  }
}
