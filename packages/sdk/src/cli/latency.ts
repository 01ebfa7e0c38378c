/** Latency statistics for `trt bench`: percentiles by the nearest-rank method over the measured runs. */

/** Summary of a set of latencies, in milliseconds. */
export interface LatencyStats {
  readonly runs: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly stddev: number;
}

/** The value at percentile `p` (0 < p <= 100) of ascending `sorted`: the smallest with at least p% of values at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Stats of `samples` (any order). */
export function latencyStats(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n === 0 ? NaN : sorted.reduce((a, b) => a + b, 0) / n;
  const variance = n === 0 ? NaN : sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return {
    runs: n,
    min: sorted[0] ?? NaN,
    mean,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[n - 1] ?? NaN,
    stddev: Math.sqrt(variance),
  };
}
