/**
 * Reused memory (stacked batches use it as the scheduler does, with a bound
 * on idle buffers): the rules that keep a reused buffer from leaking one
 * batch's rows into another's. Request bodies' use is in body-pool.test.ts.
 */
import type { BindingSpec } from "@trt/runtime";
import { describe, expect, it } from "vitest";
import { stackInputs } from "../src/inference/batch-plan.js";
import { ReusableMemory } from "../src/reusable-memory.js";

const spec = (name: string, dtype: BindingSpec["dtype"], rowShape: number[]): BindingSpec =>
  ({ name, mode: "input", dtype, shape: [-1, ...rowShape], profiles: [{ min: [1, ...rowShape], opt: [4, ...rowShape], max: [8, ...rowShape] }] }) as unknown as BindingSpec;

describe("reusable memory", () => {
  it("hands a given-back buffer out again, the smallest that fits, and allocates when none does", () => {
    const pool = new ReusableMemory({ maxIdleBuffers: 4 });
    const big = pool.take(4096);
    const small = pool.take(1024);
    expect(big.byteLength).toBeGreaterThanOrEqual(4096);
    for (const b of [big, small]) pool.give(b);
    expect(pool.idle.buffers).toBe(2);
    expect(pool.take(1000)).toBe(small);
    expect(pool.take(2000)).toBe(big);
    const fresh = pool.take(8192);
    expect(fresh).not.toBe(big);
    expect(fresh.byteLength).toBeGreaterThanOrEqual(8192);
    expect(pool.idle.buffers).toBe(0);
  });

  it("keeps at most maxIdleBuffers idle buffers, dropping the smallest", () => {
    const pool = new ReusableMemory({ maxIdleBuffers: 2 });
    const sizes = [100, 300, 200];
    const buffers = sizes.map((n) => pool.take(n));
    for (const b of buffers) pool.give(b);
    expect(pool.idle.buffers).toBe(2);
    expect(pool.take(1)).toBe(buffers[2]);
    expect(pool.take(1)).toBe(buffers[1]);
  });

  it("stacks into reused memory exactly the batch's rows, whatever a larger earlier batch left there", () => {
    const pool = new ReusableMemory({ maxIdleBuffers: 4 });
    const inputs = [spec("x", "float", [3]), spec("ids", "int32", [2])];
    const request = (v: number) => ({
      x: { data: Float32Array.from([v, v + 0.5, v + 0.25]), shape: [1, 3] },
      ids: { data: Int32Array.from([v, -v]), shape: [1, 2] },
    });
    const taken: ArrayBuffer[] = [];
    const take = (bytes: number) => {
      const b = pool.take(bytes);
      taken.push(b);
      return b;
    };
    const first = stackInputs(inputs, [request(1), request(2), request(3)], 3, take);
    expect(Array.from(first.x!.data as Float32Array)).toEqual([1, 1.5, 1.25, 2, 2.5, 2.25, 3, 3.5, 3.25]);
    for (const b of taken.splice(0)) pool.give(b);
    const second = stackInputs(inputs, [request(7)], 1, take);
    // The same memory as before (it fits), viewed at the new batch's length only.
    expect(taken.some((b) => b === (first.x!.data as Float32Array).buffer)).toBe(true);
    expect(second.x!.data).toBeInstanceOf(Float32Array);
    expect(Array.from(second.x!.data as Float32Array)).toEqual([7, 7.5, 7.25]);
    expect(Array.from(second.ids!.data as Int32Array)).toEqual([7, -7]);
    expect(second.x!.shape).toEqual([1, 3]);
  });
});
