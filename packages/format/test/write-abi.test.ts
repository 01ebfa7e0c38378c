// Writers targeting a Torch-TensorRT ABI: each ABI's layout slot by slot
// (the releases' own slot orders), the default (the ABI read, else the newest
// released one, moved on only for a field it cannot carry), and refusals for
// an ABI that cannot carry a field the tuple sets, through every writer.
import { describe, expect, it } from "vitest";
import { createSerializedEngine, decodeContainer, decodeTuple, encodeContainer, encodeTuple, readPickledTuple, RELEASED_ABI_VERSION, WRITABLE_ABI_VERSIONS, writePickledTuple, type SerializedEngine } from "../src/index.js";
import { containerByteLength } from "../src/container-entry.js";
import { defaultWriteAbi } from "../src/tuple-entry.js";
import { expectFormatError, pattern, sampleEngine, sampleRawTuple } from "./helpers.js";

/** sampleEngine() with only the fields every writable ABI has (flags off, static, no aliases). */
function plain(abiVersion: string): SerializedEngine {
  return {
    ...sampleEngine(),
    abiVersion,
    requiresOutputAllocator: false,
    resourceAllocationStrategy: "static",
    requiresNativeMultiDevice: false,
    aliasedIO: [],
  };
}

describe("writing a Torch-TensorRT ABI", () => {
  it("writes each ABI's slots in that release's order", () => {
    const engine = pattern(64);
    const full = sampleRawTuple(engine); // ABI 10: 13 slots
    const value = { ...plain("10"), engine };
    const expected = (abi: string, count: number) => [abi, ...full.slice(1, count)].map((s, i) => (i >= 9 && i < 12 ? "0" : i === 12 ? "" : s));
    expect(encodeTuple(value, { abi: "10" })).toEqual(expected("10", 13));
    expect(encodeTuple(value, { abi: "9" })).toEqual(expected("9", 12)); // 2.12 and 2.13: no aliased I/O
    expect(encodeTuple(value, { abi: "8" })).toEqual(expected("8", 11)); // 2.11: no native multi-device either
    expect(encodeTuple(value, { abi: "7" })).toEqual(expected("7", 10)); // 2.7 to 2.10: no allocation strategy
    expect(encodeTuple(value, { abi: "6" })).toEqual(expected("6", 9)); // 2.5 and 2.6: no output allocator flag
    for (const abi of WRITABLE_ABI_VERSIONS) {
      const back = decodeTuple(encodeTuple(value, { abi }));
      expect(back).toEqual({ ...value, abiVersion: abi });
    }
  });

  it("writes back the ABI a tuple was read from, byte for byte", () => {
    const raw8 = ["8", ...sampleRawTuple(pattern(32)).slice(1, 11)].map((s, i) => (i === 9 ? "1" : i === 10 ? "1" : s));
    const value = decodeTuple(raw8);
    expect(value.abiVersion).toBe("8");
    expect(value.resourceAllocationStrategy).toBe("dynamic");
    expect(encodeTuple(value)).toEqual(raw8);
  });

  it("defaults a tuple made here to the newest released ABI, and moves on only for a field it cannot carry", () => {
    const made = createSerializedEngine({ engine: pattern(8) });
    expect(made.abiVersion).toBe(RELEASED_ABI_VERSION);
    expect(encodeTuple(made)).toHaveLength(12);
    expect(defaultWriteAbi({ ...plain("8"), requiresNativeMultiDevice: true })).toBe("9");
    expect(defaultWriteAbi({ ...plain("8"), aliasedIO: [{ output: "y", input: "x", kind: "user" }] })).toBe("10");
    expect(defaultWriteAbi({ ...plain("6"), resourceAllocationStrategy: "dynamic" })).toBe("8");
    expect(defaultWriteAbi(plain("4"))).toBe(RELEASED_ABI_VERSION); // read from an ABI no writer targets
  });

  it.each([
    ["9", { aliasedIO: [{ output: "cache_out", input: "cache_in", kind: "kv_cache_update" }] }, /aliased I\/O \(cache_out -> cache_in\), which ABI "9" cannot carry \(ABI "10" can/],
    ["8", { requiresNativeMultiDevice: true }, /requiresNativeMultiDevice .*, which ABI "8" cannot carry \(ABI "9" can: Torch-TensorRT 2\.12\.0 to 2\.13\.0\)/],
    ["7", { resourceAllocationStrategy: "dynamic" as const }, /resourceAllocationStrategy "dynamic", which ABI "7" cannot carry \(ABI "8" can: Torch-TensorRT 2\.11\.0\)/],
    ["6", { requiresOutputAllocator: true }, /requiresOutputAllocator .*, which ABI "6" cannot carry/],
  ])("refuses ABI %s for a field it has no slot for, in every writer", (abi, field, message) => {
    const value = { ...plain("10"), ...field };
    const error = expectFormatError(() => encodeTuple(value, { abi }), "FIELD_NOT_IN_ABI");
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/nothing was written/);
    expectFormatError(() => encodeContainer(value, { abi }), "FIELD_NOT_IN_ABI");
    expectFormatError(() => writePickledTuple(value, { abi }), "FIELD_NOT_IN_ABI");
  });

  it("refuses an ABI no writer targets, naming those it does", () => {
    for (const abi of ["5", "11", "v9", ""]) {
      const error = expectFormatError(() => encodeTuple(plain("9"), { abi }), "UNSUPPORTED_ABI_VERSION");
      expect(error.message).toContain('"8" (Torch-TensorRT 2.11.0)');
    }
  });

  it("targets the ABI in containers and pickles, which read back as that ABI", () => {
    const value = plain("10");
    const container = encodeContainer(value, { abi: "8" });
    expect(container.length).toBe(containerByteLength(value, { abi: "8" }));
    expect(decodeContainer(container).abiVersion).toBe("8");
    for (const shape of ["list", "extra_state"] as const) {
      const back = readPickledTuple(writePickledTuple(value, { abi: "9", shape }));
      expect(back).toEqual({ ...value, abiVersion: "9" });
    }
  });
});
