/**
 * The time-bounded point's rules that do not depend on the clock: every
 * caller makes one call per phase even with no time at all (so the warm-up
 * makes every lane and the window always has a sample per caller), the
 * callers really are in flight together, and where the window closes.
 */
import { describe, expect, it } from "vitest";
import { measureBlocking, measureConcurrent, windowEnd } from "../src/models/timed-point.js";

const NO_TIME = { warmupMs: 0, measureMs: 0, capMs: 0 };

describe("time-bounded points", () => {
  it("with no time, each of N callers makes exactly one warm-up call and one measured call, all N in flight at once", async () => {
    let calls = 0;
    let inFlight = 0;
    let peak = 0;
    const call = async () => {
      calls++;
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((resolve) => setImmediate(resolve));
      inFlight--;
    };
    const result = await measureConcurrent(call, 4, NO_TIME);
    expect(calls).toBe(8);
    expect(result.calls).toBe(4);
    expect(peak).toBe(4);
    expect(result.p99Us).toBeGreaterThanOrEqual(result.p50Us);
    expect(result.throughputPerS).toBeGreaterThan(0);
  });

  it("a blocking point makes one warm-up call and one measured call with no time", () => {
    let calls = 0;
    const result = measureBlocking(() => void calls++, NO_TIME);
    expect(calls).toBe(2);
    expect(result.calls).toBe(1);
  });

  it("closes the window after measureMs, or sooner so that calls as slow as the warm-up's slowest end within the cap", () => {
    const budget = { warmupMs: 100, measureMs: 400, capMs: 1000 };
    // Fast calls: the window is the full 400 ms after the warm-up.
    expect(windowEnd(0, 100_000, [50, 80], budget)).toBe(500_000);
    // Calls of 800 ms: the window closes at 1000 - 800 = 200 ms after the point began.
    expect(windowEnd(0, 100_000, [800_000, 20], budget)).toBe(200_000);
    // A warm-up that overran: the window closes at once (each caller still makes one call).
    expect(windowEnd(0, 900_000, [900_000], budget)).toBe(100_000);
  });
});
