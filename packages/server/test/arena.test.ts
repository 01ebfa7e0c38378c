// The intake arena (src/intake/arena.ts): ranges lent first-fit and aligned,
// given back in any order and merged, so that a long run of bodies of mixed
// sizes never loses room to fragments; refusals when full; bad gives ignored.
import { describe, expect, it } from "vitest";
import { Arena, ARENA_ALIGNMENT } from "../src/intake/arena.js";
import { seeded } from "./support/fixtures.js";

describe("intake arena", () => {
  it("lends aligned, non-overlapping ranges, first fit, and refuses what does not fit", () => {
    const arena = new Arena(1024);
    const a = arena.take(100)!;
    const b = arena.take(1)!;
    const c = arena.take(64)!;
    expect([a, b, c]).toEqual([0, 128, 192]);
    expect([a, b, c].every((s) => s % ARENA_ALIGNMENT === 0)).toBe(true);
    expect(arena.take(1024)).toBeNull();
    arena.give(b);
    // The hole left by b is the first fit for a small range, not for a larger one.
    expect(arena.take(10)).toBe(128);
    expect(arena.take(100)).toBe(256);
    expect(arena.usage.lentBytes).toBe(128 + 64 + 64 + 128);
  });

  it("finds the range that holds an offset, and ignores gives of what it did not lend", () => {
    const arena = new Arena(4096);
    const a = arena.take(1000)!;
    expect(arena.owner(a + 999)).toBe(a);
    expect(arena.owner(a + 1024)).toBeNull();
    arena.give(a + 8);
    arena.give(a);
    arena.give(a);
    expect(arena.usage).toEqual({ lentBytes: 0, freeRanges: 1 });
  });

  it("after any order of gives, the whole arena is one free range again (10^4 random takes and gives)", () => {
    const random = seeded(8);
    const arena = new Arena(1 << 20);
    const lent: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (lent.length > 0 && random() < 0.5) arena.give(lent.splice(Math.floor(random() * lent.length), 1)[0]!);
      else {
        const start = arena.take(1 + Math.floor(random() * 60_000));
        if (start !== null) lent.push(start);
      }
      // No two lent ranges overlap: each start is its own owner.
      if (i % 997 === 0) for (const start of lent) expect(arena.owner(start)).toBe(start);
    }
    for (const start of lent.splice(0)) arena.give(start);
    expect(arena.usage).toEqual({ lentBytes: 0, freeRanges: 1 });
    expect(arena.take(1 << 20)).toBe(0);
  });
});
