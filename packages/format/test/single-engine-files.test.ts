// Files that hold one engine (a raw plan, a container, a pickled tuple): a plan cut
// short is refused as TRUNCATED (its header states its size), and an engine choice
// that cannot apply is refused instead of being ignored.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { encodeContainer, isFormatError, readEngineBytes, writePickledTuple, type FormatError } from "../src/index.js";
import { readEngineFileWithSource } from "../src/node.js";
import { sampleEngine } from "./helpers.js";

const here = dirname(fileURLToPath(import.meta.url));
const realPlan = (name: string): Uint8Array => new Uint8Array(readFileSync(join(here, "../../../tools/real-tensorrt/fixtures/trt10", `${name}.engine`)));
const tmp = mkdtempSync(join(tmpdir(), "trt-format-single-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The FormatError `fn` throws (fails the test when it throws nothing or something else). */
function formatErrorOf(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    if (isFormatError(e)) return e;
    throw e;
  }
  throw new Error("expected a FormatError, nothing was thrown");
}

/** A 32-byte emulator plan header stating `total` bytes, followed by filler up to `length`. */
function emulatorPlan(total: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  bytes.set(new TextEncoder().encode("TRTEMUPL"));
  const view = new DataView(bytes.buffer);
  view.setUint32(8, 1, true);
  view.setBigUint64(16, BigInt(total), true);
  view.setUint32(24, 10, true);
  return bytes;
}

describe("a plan cut short", () => {
  it("is TRUNCATED, naming the size its TensorRT header states and the release that built it", () => {
    const whole = realPlan("mlp3_b8_fp32");
    expect(whole.length).toBe(353_564);
    const error = formatErrorOf(() => readEngineBytes(whole.subarray(0, 100_000)));
    expect(error.code).toBe("TRUNCATED");
    expect(error.expected).toBe("the 353564 bytes its header states (a plan built by TensorRT 10.6.0.26)");
    expect(error.found).toBe("a file of 100000 bytes: the plan was cut short");
  });

  it("is TRUNCATED when read from a file, too", async () => {
    const path = join(tmp, "cut.engine");
    writeFileSync(path, realPlan("identity").subarray(0, 4000));
    await expect(readEngineFileWithSource(path)).rejects.toMatchObject({ code: "TRUNCATED", found: "a file of 4000 bytes: the plan was cut short" });
  });

  it("is TRUNCATED for an emulator plan (its header states its total size)", () => {
    const error = formatErrorOf(() => readEngineBytes(emulatorPlan(4096, 1000)));
    expect(error.code).toBe("TRUNCATED");
    expect(error.expected).toBe("the 4096 bytes its header states (a plan written by the TensorRT emulator)");
  });

  it("reads a whole plan, and one longer than its header states, as before", () => {
    const whole = realPlan("identity");
    expect(readEngineBytes(whole).source).toEqual({ kind: "plan", producer: "tensorrt", tensorrtVersion: "10.6.0.26" });
    const longer = new Uint8Array(whole.length + 16);
    longer.set(whole);
    // TensorRT's header is undocumented: a size that disagrees the other way is not trusted, not refused.
    expect(readEngineBytes(longer).source).toEqual({ kind: "plan", producer: "tensorrt", tensorrtVersion: null });
  });

  it("does not call a TensorRT-looking file truncated when its release bytes do not look like a release", () => {
    const bytes = realPlan("identity").slice(0, 4000);
    bytes[24] = 200; // no TensorRT major 200: the size at 16 is not trusted either
    expect(readEngineBytes(bytes).source).toMatchObject({ kind: "plan", tensorrtVersion: null });
  });
});

describe("an engine choice on a file with one engine", () => {
  const files: Array<[string, Uint8Array, string]> = [
    ["a raw plan", realPlan("identity"), "a raw TensorRT plan, which holds one engine (index 0)"],
    ["a container", encodeContainer(sampleEngine()), 'a .trtengine container, which holds one engine ("resnet_engine", index 0)'],
    ["a pickled tuple", writePickledTuple(sampleEngine()), 'a pickled engine tuple, which holds one engine ("resnet_engine", index 0)'],
  ];

  it.each(files)("is refused on %s unless it names that engine", (_what, bytes, found) => {
    const byIndex = formatErrorOf(() => readEngineBytes(bytes, { engine: 3 }));
    expect(byIndex).toMatchObject({ code: "ENGINE_NOT_FOUND", expected: "an engine at index 3", found });
    expect(byIndex.hint).toMatch(/Leave out the engine choice/);
    expect(formatErrorOf(() => readEngineBytes(bytes, { engine: "decoder" }))).toMatchObject({ code: "ENGINE_NOT_FOUND", expected: 'an engine "decoder"' });
    // Index 0 is the one engine, so it is accepted.
    expect(readEngineBytes(bytes, { engine: 0 }).value.engine.length).toBeGreaterThan(0);
  });

  it("accepts the container's own engine name", () => {
    expect(readEngineBytes(encodeContainer(sampleEngine()), { engine: "resnet_engine" }).value.name).toBe("resnet_engine");
  });
});
