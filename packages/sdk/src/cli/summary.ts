/**
 * What `trt run` prints for an output when it does not write files: shape,
 * dtype, min / max / mean and the first values. Integers wider than 2^53
 * lose precision in min/max/mean (they are summarised as doubles) but the
 * first values are printed exactly.
 */

/** Summary statistics of one output. */
export interface ValueSummary {
  /** Number of elements. */
  readonly count: number;
  /** null when there are no (non-NaN) values. */
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** NaN elements, left out of min/max/mean. */
  readonly nans: number;
  /** The first `first` values, as JSON-safe numbers or, for 64-bit integers, decimal strings. */
  readonly first: ReadonlyArray<number | string>;
}

/** Summarises `values` (the tensor's converted host array). */
export function summarizeValues(values: ArrayLike<number | bigint>, first = 8): ValueSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let nans = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (Number.isNaN(v)) {
      nans++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const counted = values.length - nans;
  const head: Array<number | string> = [];
  for (let i = 0; i < Math.min(first, values.length); i++) {
    const v = values[i]!;
    head.push(typeof v === "bigint" ? v.toString() : v);
  }
  return {
    count: values.length,
    min: counted > 0 ? min : null,
    max: counted > 0 ? max : null,
    mean: counted > 0 ? sum / counted : null,
    nans,
    first: head,
  };
}

/** A number for people: up to `digits` significant digits, integers as they are. */
export function formatNumber(v: number | string | null, digits = 6): string {
  if (v === null) return "-";
  if (typeof v === "string" || Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(digits)).toString();
}
