/**
 * The CLI turns V8's incremental marking off for its own process
 * (src/cli/garbage-collection.ts), and keeps a marking flag node was started with.
 */
import { describe, expect, it } from "vitest";
import { stopIncrementalMarking } from "../src/cli/garbage-collection.js";

describe("stopIncrementalMarking", () => {
  it("keeps the choice node was started with, and says which flag it was", () => {
    for (const flag of ["--incremental-marking", "--no-incremental-marking", "--incremental_marking"]) {
      expect(stopIncrementalMarking(["--expose-gc", flag])).toEqual({ changed: false, reason: `node was started with ${flag}` });
    }
  });

  it("turns it off otherwise, and is not fooled by flags that only look alike", () => {
    expect(stopIncrementalMarking(["--expose-gc", "--incremental-marking-hard-trigger=50"])).toEqual({ changed: true });
    expect(stopIncrementalMarking([])).toEqual({ changed: true });
  });
});
