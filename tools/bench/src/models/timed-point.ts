/**
 * One measured point, bounded in time instead of in calls, so a suite of
 * engines whose calls take 20 µs to 50 ms fits a known time: a warm-up
 * (which also makes every lane the point needs), then a measured window;
 * calls still running at the window's end finish and count. Latency is per
 * call, from the call to its result; throughput is completed calls over the
 * window from its start to the last completion.
 */
import { summarize } from "../stats.js";

export interface PointBudget {
  /** Warm-up, in ms: lazy setup, lanes, a captured graph. */
  readonly warmupMs: number;
  /** The measured window, in ms. */
  readonly measureMs: number;
}

export const FULL_BUDGET: PointBudget = { warmupMs: 100, measureMs: 400 };
/** The short mode's: checks the path, measures nothing worth reading. */
export const QUICK_BUDGET: PointBudget = { warmupMs: 5, measureMs: 20 };

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
  const phase = async (ms: number, samples: number[] | null): Promise<number> => {
    const end = nowUs() + ms * 1000;
    let last = nowUs();
    const caller = async () => {
      do {
        const start = nowUs();
        await call();
        last = nowUs();
        samples?.push(last - start);
      } while (nowUs() < end);
    };
    await Promise.all(Array.from({ length: inFlight }, caller));
    return last;
  };
  await phase(budget.warmupMs, null);
  const samples: number[] = [];
  const started = nowUs();
  const ended = await phase(budget.measureMs, samples);
  return result(samples, started, ended);
}

/** One caller making blocking calls back to back (runSync). */
export function measureBlocking(call: () => void, budget: PointBudget): PointResult {
  const loop = (ms: number, samples: number[] | null): number => {
    const end = nowUs() + ms * 1000;
    let last: number;
    do {
      const start = nowUs();
      call();
      last = nowUs();
      samples?.push(last - start);
    } while (last < end);
    return last;
  };
  loop(budget.warmupMs, null);
  const samples: number[] = [];
  const started = nowUs();
  const ended = loop(budget.measureMs, samples);
  return result(samples, started, ended);
}
