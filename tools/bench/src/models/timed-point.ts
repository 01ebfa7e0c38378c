/**
 * One measured point, bounded in time instead of in calls, so a suite of
 * engines whose calls take 20 µs to 50 ms fits a known time: a warm-up
 * (which also makes every lane the point needs), then a measured window;
 * calls still running at the window's end finish and count, and the window
 * closes early when calls are slow enough that the point would pass its cap. Latency is per
 * call, from the call to its result; throughput is completed calls over the
 * window from its start to the last completion.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import type { PerformanceEntry } from "node:perf_hooks";
import { summarize } from "../stats.js";

export interface PointBudget {
  /** Warm-up, in ms: lazy setup, lanes, a captured graph. */
  readonly warmupMs: number;
  /** The measured window, in ms. */
  readonly measureMs: number;
  /**
   * The whole point, in ms: the window closes early enough that calls as slow
   * as the warm-up's slowest end by then (each caller still makes one call).
   */
  readonly capMs: number;
}

export const FULL_BUDGET: PointBudget = { warmupMs: 100, measureMs: 400, capMs: 1000 };

/**
 * The full budget with the measured window set by BENCH_POINT_MS (the cap grows with it), for
 * runs that trade time for steadier throughput and p99 figures; the default otherwise.
 */
export function fullBudget(env: Readonly<Record<string, string | undefined>> = process.env): PointBudget {
  const raw = env.BENCH_POINT_MS;
  if (raw === undefined || raw === "") return FULL_BUDGET;
  const measureMs = Number(raw);
  if (!Number.isFinite(measureMs) || measureMs < 10) throw new RangeError(`BENCH_POINT_MS must be a number of milliseconds of at least 10; got ${JSON.stringify(raw)}`);
  return { warmupMs: FULL_BUDGET.warmupMs, measureMs, capMs: FULL_BUDGET.capMs + (measureMs - FULL_BUDGET.measureMs) };
}
/** The short mode's: checks the path, measures nothing worth reading. */
export const QUICK_BUDGET: PointBudget = { warmupMs: 5, measureMs: 20, capMs: 50 };

export interface PointResult {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly throughputPerS: number;
  readonly calls: number;
  /** V8's garbage-collection pauses that began inside the measured window: a p99 far above the p50 is often one of them. */
  readonly gc: GcPauses;
  /**
   * The longest the event loop went without turning during the window, in ms (concurrent points
   * only: a blocking point blocks it by design). A tail far above it happened off the main thread.
   */
  readonly loopBlockMaxMs?: number;
}

export interface GcPauses {
  readonly count: number;
  /** Of those, mark-compact (major) collections. */
  readonly major: number;
  readonly totalMs: number;
  readonly maxMs: number;
}

/** Collects V8's gc entries from now on; `stop()` returns those that began at or after `from` (performance.now() ms). */
function watchGc(): { stop(from: number): GcPauses } {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  return {
    stop(from) {
      seen.push(...observer.takeRecords());
      observer.disconnect();
      return summarizeGc(seen.filter((e) => e.startTime >= from));
    },
  };
}

/** perf_hooks.constants.NODE_PERFORMANCE_GC_MAJOR: a gc entry's `detail.kind` for a mark-compact. */
const GC_MAJOR = constants.NODE_PERFORMANCE_GC_MAJOR;

/** Count, total and longest of gc entries. */
export function summarizeGc(entries: readonly { readonly duration: number; readonly detail?: unknown }[]): GcPauses {
  let totalMs = 0;
  let maxMs = 0;
  let major = 0;
  for (const e of entries) {
    totalMs += e.duration;
    maxMs = Math.max(maxMs, e.duration);
    if ((e.detail as { kind?: number } | null | undefined)?.kind === GC_MAJOR) major++;
  }
  return { count: entries.length, major, totalMs, maxMs };
}

const nowUs = () => performance.now() * 1000;

function result(samples: number[], started: number, ended: number, gc: GcPauses): PointResult {
  const stats = summarize(samples)!;
  return { p50Us: stats.medianUs, p99Us: stats.p99Us, throughputPerS: samples.length / ((ended - started) / 1e6), calls: samples.length, gc };
}

/**
 * `inFlight` callers, each awaiting `call` in a loop (every caller makes at
 * least one call per phase, so each lane is made during the warm-up).
 */
export async function measureConcurrent(call: () => Promise<void>, inFlight: number, budget: PointBudget): Promise<PointResult> {
  const phase = async (end: number, samples: number[]): Promise<number> => {
    let last = nowUs();
    const caller = async () => {
      do {
        const start = nowUs();
        await call();
        last = nowUs();
        samples.push(last - start);
      } while (nowUs() < end);
    };
    await Promise.all(Array.from({ length: inFlight }, caller));
    return last;
  };
  const begun = nowUs();
  const warm: number[] = [];
  await phase(begun + budget.warmupMs * 1000, warm);
  const samples: number[] = [];
  const gc = watchGc();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const started = nowUs();
  const ended = await phase(windowEnd(begun, started, warm, budget), samples);
  loop.disable();
  // The histogram holds how late each 1 ms probe ran, in ns: the longest is the longest block.
  const loopBlockMaxMs = loop.count > 0 ? loop.max / 1e6 : 0;
  return { ...result(samples, started, ended, gc.stop(started / 1000)), loopBlockMaxMs };
}

/** Where the measured window closes: after measureMs, or sooner so that the point stays within capMs. */
export function windowEnd(begun: number, started: number, warm: readonly number[], budget: PointBudget): number {
  const slowest = warm.reduce((a, b) => Math.max(a, b), 0);
  return Math.min(started + budget.measureMs * 1000, begun + budget.capMs * 1000 - slowest);
}

/** One caller making blocking calls back to back (runSync). */
export function measureBlocking(call: () => void, budget: PointBudget): PointResult {
  const loop = (end: number, samples: number[]): number => {
    let last: number;
    do {
      const start = nowUs();
      call();
      last = nowUs();
      samples.push(last - start);
    } while (last < end);
    return last;
  };
  const begun = nowUs();
  const warm: number[] = [];
  loop(begun + budget.warmupMs * 1000, warm);
  const samples: number[] = [];
  const gc = watchGc();
  const started = nowUs();
  const ended = loop(windowEnd(begun, started, warm, budget), samples);
  return result(samples, started, ended, gc.stop(started / 1000));
}
