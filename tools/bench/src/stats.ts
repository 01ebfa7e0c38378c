/** Summary of timing samples in microseconds; the floor program prints the same fields. */
export interface Stats {
  readonly medianUs: number;
  readonly p99Us: number;
  readonly meanUs: number;
  readonly minUs: number;
}

/** Nearest-rank percentiles of `samples` (microseconds); null when there are none. */
export function summarize(samples: ArrayLike<number>): Stats | null {
  if (samples.length === 0) return null;
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  let sum = 0;
  for (const s of sorted) sum += s;
  return { medianUs: at(0.5), p99Us: at(0.99), meanUs: sum / sorted.length, minUs: sorted[0]! };
}

/** The middle measurement of several rounds, by host median (rounds damp drift between rows). */
export function medianRound<T extends { host: Stats | null }>(rounds: readonly T[]): T {
  const usable = rounds.filter((r) => r.host !== null);
  if (usable.length === 0) return rounds[0]!;
  const sorted = [...usable].sort((a, b) => a.host!.medianUs - b.host!.medianUs);
  return sorted[Math.floor(sorted.length / 2)]!;
}
