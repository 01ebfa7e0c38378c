/**
 * One measured point, bounded in time instead of in calls, so a suite of
 * engines whose calls take 20 µs to 50 ms fits a known time: a warm-up
 * (which also makes every lane the point needs), then a measured window;
 * calls still running at the window's end finish and count, and the window
 * closes early when calls are slow enough that the point would pass its cap. Latency is per
 * call, from the call to its result; throughput is completed calls over the
 * window from its start to the last completion.
 */
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
/** The short mode's: checks the path, measures nothing worth reading. */
export const QUICK_BUDGET: PointBudget = { warmupMs: 5, measureMs: 20, capMs: 50 };

export interface PointResult {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly throughputPerS: number;
  readonly calls: number;
}

const nowUs = () => performance.now() * 1000;

function result(samples: number[], started: number, ended: number): PointResult {
  const stats = summarize(samples)!;
  return { p50Us: stats.medianUs, p99Us: stats.p99Us, throughputPerS: samples.length / ((ended - started) / 1e6), calls: samples.length };
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
  const started = nowUs();
  const ended = await phase(windowEnd(begun, started, warm, budget), samples);
  return result(samples, started, ended);
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
  const started = nowUs();
  const ended = loop(windowEnd(begun, started, warm, budget), samples);
  return result(samples, started, ended);
}
