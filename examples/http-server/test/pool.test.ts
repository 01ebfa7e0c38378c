// The pool's contract with stand-in modules: bounded concurrency, FIFO
// waiting, a bounded queue, and close() draining before releasing.
import { describe, expect, it } from "vitest";
import { ModulePool, PoolClosedError, PoolFullError } from "../pool.mjs";

class FakeModule {
  released = 0;
  constructor(readonly id: number) {}
  release(): void {
    this.released++;
  }
}

/** A promise and the function that settles it, to hold a module for as long as a test wants. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe("ModulePool", () => {
  it("runs at most `size` requests at once, the rest in arrival order", async () => {
    const pool = new ModulePool([new FakeModule(0), new FakeModule(1)], { maxQueue: 10 });
    const order: string[] = [];
    const gates = [gate(), gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      pool.use(async (m) => {
        order.push(`start ${i} on ${m.id}`);
        await g.wait;
        order.push(`end ${i}`);
      }),
    );
    await Promise.resolve();
    expect(pool.stats).toEqual({ size: 2, busy: 2, queued: 2 });
    gates[1]!.open();
    await runs[1];
    gates[0]!.open();
    await runs[0];
    gates[2]!.open();
    gates[3]!.open();
    await Promise.all(runs);
    // 2 starts on the module 1 gave back, then 3 on module 0: first come, first served.
    expect(order).toEqual(["start 0 on 1", "start 1 on 0", "end 1", "start 2 on 0", "end 0", "start 3 on 1", "end 2", "end 3"]);
    expect(pool.stats).toEqual({ size: 2, busy: 0, queued: 0 });
  });

  it("turns requests away when the queue is full, and gives the module back when a run throws", async () => {
    const pool = new ModulePool([new FakeModule(0)], { maxQueue: 1 });
    const g = gate();
    const first = pool.use(() => g.wait);
    const second = pool.use(async () => "second");
    await expect(pool.use(async () => "third")).rejects.toBeInstanceOf(PoolFullError);
    g.open();
    await first;
    expect(await second).toBe("second");
    await expect(pool.use(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(pool.stats).toEqual({ size: 1, busy: 0, queued: 0 });
  });

  it("close() refuses new work, waits for running and queued requests, then releases every module once", async () => {
    const modules = [new FakeModule(0), new FakeModule(1)];
    const pool = new ModulePool(modules, { maxQueue: 5 });
    const g = gate();
    const done: number[] = [];
    const runs = [0, 1, 2].map((i) => pool.use(async () => (await g.wait, done.push(i))));
    const closed = pool.close();
    await expect(pool.use(async () => 0)).rejects.toBeInstanceOf(PoolClosedError);
    expect(modules.map((m) => m.released)).toEqual([0, 0]);
    g.open();
    expect(await closed).toBe(2);
    await Promise.all(runs);
    expect(done.sort()).toEqual([0, 1, 2]);
    expect(modules.map((m) => m.released)).toEqual([1, 1]);
  });
});
