// The admission gate's contract: at most `capacity` callers inside at once,
// the rest turned away at once (never queued), a slot freed however the call
// ends, and close() refusing new work and waiting for the admitted.
import { describe, expect, it } from "vitest";
import { Admission, QueueFullError, ShuttingDownError } from "../src/admission.js";

/** A promise and the function that settles it, to keep a caller admitted for as long as a test wants. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe("Admission", () => {
  it("admits up to `capacity` callers at once and turns the next away without waiting", async () => {
    const admission = new Admission(3);
    const g = gate();
    const inside = [0, 1, 2].map((i) => admission.run(async () => (await g.wait, i)));
    expect(admission.stats).toEqual({ admitted: 3, capacity: 3 });
    const refused = admission.run(async () => "fourth");
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toMatchObject({ code: "QUEUE_FULL" });
    g.open();
    expect(await Promise.all(inside)).toEqual([0, 1, 2]);
    // The slots are free again.
    expect(await admission.run(async () => "later")).toBe("later");
    expect(admission.stats).toEqual({ admitted: 0, capacity: 3 });
  });

  it("frees the slot when the call throws", async () => {
    const admission = new Admission(1);
    await expect(admission.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(admission.stats.admitted).toBe(0);
    expect(await admission.run(async () => "next")).toBe("next");
  });

  it("close() refuses new work and resolves once every admitted caller has finished", async () => {
    const admission = new Admission(4);
    const g = gate();
    const done: number[] = [];
    const runs = [0, 1].map((i) => admission.run(async () => (await g.wait, done.push(i))));
    let closed = false;
    const closing = admission.close().then(() => (closed = true));
    await expect(admission.run(async () => 0)).rejects.toBeInstanceOf(ShuttingDownError);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    g.open();
    await closing;
    expect(done.sort()).toEqual([0, 1]);
    await Promise.all(runs);
    // Idempotent, and immediate when nothing is admitted.
    await admission.close();
    await new Admission(1).close();
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects a capacity of %s", (capacity) => {
    expect(() => new Admission(capacity)).toThrow(RangeError);
  });
});
