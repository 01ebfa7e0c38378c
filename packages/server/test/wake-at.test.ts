/**
 * wakeAt (src/inference/wake-at.ts) on a clock the test moves: it fires once the
 * clock reaches the moment and never before, however many turns of the event
 * loop pass; a moment far off waits on a timer first; cancelling stops it.
 */
import { setImmediate as turn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { SPIN_MS, wakeAt } from "../src/inference/wake-at.js";
import { until } from "./support/until.js";

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await turn();
};

describe("wakeAt", () => {
  it("fires once the clock reaches the moment, not a turn of the event loop before", async () => {
    let clock = 10;
    let fired = 0;
    wakeAt(10.4, () => fired++, () => clock);
    await turns(50);
    expect(fired).toBe(0);
    clock = 10.399;
    await turns(50);
    expect(fired).toBe(0);
    clock = 10.4;
    await until(() => fired > 0);
    await turns(20);
    expect(fired).toBe(1);
  });

  it("waits on a timer while the moment is further off than SPIN_MS, and checks the clock again when it fires", async () => {
    let clock = 0;
    let reads = 0;
    // A minute off: many turns pass with one read of the clock, at the start.
    const cancel = wakeAt(60_000, () => {}, () => (reads++, clock));
    await turns(50);
    expect(reads).toBe(1);
    cancel();
    // A few milliseconds off: the timer fires, the clock is read again and has reached the moment.
    let fired = 0;
    wakeAt(SPIN_MS + 5, () => fired++, () => clock);
    await turns(2);
    clock = SPIN_MS + 5;
    await until(() => fired > 0);
    expect(fired).toBe(1);
  });

  it("does not fire once cancelled, whether waiting on a timer or checking every turn", async () => {
    let clock = 0;
    let fired = 0;
    const near = wakeAt(1, () => fired++, () => clock);
    const far = wakeAt(5, () => fired++, () => clock);
    await turns(10);
    near();
    far();
    clock = 100;
    await new Promise((resolve) => setTimeout(resolve, 30));
    await turns(10);
    expect(fired).toBe(0);
  });
});
