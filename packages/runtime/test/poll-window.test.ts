/** How long "auto" polls a stream, from how long its recent waits took (src/device/poll-window.ts). */
import { describe, expect, it } from "vitest";
import { MAX_POLL_MS, MIN_POLL_MS, pollWindowMs, recordWait } from "../src/device/poll-window.js";

describe("the poll window", () => {
  it("is the minimum for a stream with no history", () => {
    expect(pollWindowMs(0x7f000001)).toBe(MIN_POLL_MS);
  });

  it("covers the expected length of short work, with slack", () => {
    const stream = 0x7f000002;
    recordWait(stream, 1);
    expect(pollWindowMs(stream)).toBeCloseTo(1 * 1.25 + MIN_POLL_MS, 9);
    // A running estimate: one slower wait moves it a quarter of the way.
    recordWait(stream, 1.4);
    expect(pollWindowMs(stream)).toBeCloseTo(1.1 * 1.25 + MIN_POLL_MS, 9);
  });

  it("never exceeds the maximum, whatever the work's length", () => {
    const near = 0x7f000003;
    recordWait(near, MAX_POLL_MS * 0.95);
    expect(pollWindowMs(near)).toBe(MAX_POLL_MS);
    const long = 0x7f000004;
    recordWait(long, 30);
    expect(pollWindowMs(long)).toBe(MAX_POLL_MS);
  });

  it("widens after a wait the poller missed, so that it comes to cover the work", () => {
    const stream = 0x7f000005;
    recordWait(stream, 0.6);
    const before = pollWindowMs(stream);
    // The callback ended this one, late: the next window is wider.
    recordWait(stream, 1.7);
    expect(pollWindowMs(stream)).toBeGreaterThan(before);
    expect(pollWindowMs(stream)).toBeGreaterThan(1.7 * 0.25 + 0.6 * 0.75);
  });

  it("forgets the oldest streams beyond what it remembers, so stream churn does not grow it", () => {
    const first = 0x7e000000;
    recordWait(first, 1);
    for (let i = 1; i <= 1024; i++) recordWait(first + i, 1);
    expect(pollWindowMs(first)).toBe(MIN_POLL_MS);
    expect(pollWindowMs(first + 1024)).toBeGreaterThan(MIN_POLL_MS);
  });
});
