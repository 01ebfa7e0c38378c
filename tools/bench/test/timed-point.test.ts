/**
 * The time-bounded point's rules that do not depend on the clock: every
 * caller makes one call per phase even with no time at all (so the warm-up
 * makes every lane and the window always has a sample per caller), the
 * callers really are in flight together, and where the window closes.
 */
import { constants } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { FULL_BUDGET, fullBudget, measureBlocking, measureConcurrent, summarizeGc, windowEnd } from "../src/models/timed-point.js";
import { gcNote } from "../src/models/targets.js";

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

  it("records the garbage collections that ran inside the measured window", async () => {
    // Every call leaves garbage behind and one call forces a full collection: the window must see it.
    let calls = 0;
    const result = await measureConcurrent(
      async () => {
        if (++calls === 3) (globalThis as { gc?: () => void }).gc?.();
        const junk = Array.from({ length: 2000 }, (_, i) => ({ i, s: String(i) }));
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (junk.length !== 2000) throw new Error("unreachable");
      },
      1,
      { warmupMs: 0, measureMs: 300, capMs: 300 },
    );
    expect(result.gc.count).toBeGreaterThan(0);
    expect(result.gc.totalMs).toBeGreaterThan(0);
    expect(result.gc.maxMs).toBeLessThanOrEqual(result.gc.totalMs);
  });

  it("sums gc entries: count, major (mark-compact) count, total and longest", () => {
    const gc = summarizeGc([
      { duration: 1.5, detail: { kind: constants.NODE_PERFORMANCE_GC_MINOR } },
      { duration: 12, detail: { kind: constants.NODE_PERFORMANCE_GC_MAJOR } },
      { duration: 0.5 },
    ]);
    expect(gc).toEqual({ count: 3, major: 1, totalMs: 14, maxMs: 12 });
    expect(gcNote({ model: "m", case: "b1", row: "ffi_run", inFlight: 4, p50Us: 600, p99Us: 13000, throughputPerS: 1, calls: 1, gc })).toBe(
      "; GC: 3 pauses (1 major), longest 12.00 ms, 14.0 ms in all",
    );
    expect(gcNote({ model: "m", case: "b1", row: "trt_python", inFlight: 4, p50Us: 600, p99Us: 700, throughputPerS: 1, calls: 1 })).toBe("");
  });

  it("takes the measured window from BENCH_POINT_MS, growing the cap with it, and refuses nonsense", () => {
    expect(fullBudget({})).toEqual(FULL_BUDGET);
    expect(fullBudget({ BENCH_POINT_MS: "1500" })).toEqual({ warmupMs: FULL_BUDGET.warmupMs, measureMs: 1500, capMs: FULL_BUDGET.capMs + 1100 });
    expect(() => fullBudget({ BENCH_POINT_MS: "soon" })).toThrow(/BENCH_POINT_MS/);
    expect(() => fullBudget({ BENCH_POINT_MS: "0" })).toThrow(/at least 10/);
  });

  it("records how long the event loop was blocked in the window, so a tail on the main thread shows", async () => {
    let calls = 0;
    const result = await measureConcurrent(
      async () => {
        // One call holds the main thread for 30 ms; the others yield at once.
        if (++calls === 8) {
          const until = performance.now() + 30;
          while (performance.now() < until);
        }
        await new Promise<void>((resolve) => setTimeout(resolve, 1));
      },
      2,
      // A long window and a generous cap: the 8th call comes within it even on a loaded machine.
      { warmupMs: 0, measureMs: 600, capMs: 5000 },
    );
    expect(result.loopBlockMaxMs).toBeGreaterThanOrEqual(25);
    expect(gcNote({ model: "m", case: "b1", row: "native_run", inFlight: 2, p50Us: 1, p99Us: 2, throughputPerS: 1, calls: 1, gc: { count: 0, major: 0, totalMs: 0, maxMs: 0 }, loopBlockMaxMs: 0.5 })).toBe(
      "; no GC pause in the window; event loop blocked at most 0.50 ms",
    );
  });
});
