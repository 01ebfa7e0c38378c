/**
 * The CLI pins glibc's mmap threshold so that large request bodies' memory
 * goes back to the system when freed (src/cli/large-allocations.ts), and
 * keeps a threshold the user set.
 */
import { describe, expect, it } from "vitest";
import { LARGE_ALLOCATION_BYTES, pinLargeAllocationThreshold } from "../src/cli/large-allocations.js";

const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
const glibc = header?.glibcVersionRuntime !== undefined;

describe("pinLargeAllocationThreshold", () => {
  it.runIf(glibc)("pins the threshold at 4 MiB on glibc", () => {
    expect(LARGE_ALLOCATION_BYTES).toBe(4 * 1024 * 1024);
    expect(pinLargeAllocationThreshold({})).toEqual({ pinned: true, bytes: LARGE_ALLOCATION_BYTES });
  });

  it("keeps a threshold the user gave glibc, and says so", () => {
    const outcome = pinLargeAllocationThreshold({ MALLOC_MMAP_THRESHOLD_: "65536" });
    expect(outcome.pinned).toBe(false);
    expect(outcome.pinned === false && outcome.reason).toContain("MALLOC_MMAP_THRESHOLD_=65536");
  });
});
