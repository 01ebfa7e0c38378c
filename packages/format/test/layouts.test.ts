import { describe, expect, it } from "vitest";
import { decodeTuple, LEGACY_DEFAULTS, SUPPORTED_ABI_VERSIONS, type RawTuple } from "../src/index.js";
import { base64Encode, LAYOUTS } from "../src/tuple-entry.js";
import { expectFormatError, latin1, pattern, sampleEngine, sampleRawTuple } from "./helpers.js";

// The v10 tuple truncated to an older layout's slot count is that layout's tuple,
// because every version only appended slots (except ABI 2, which had no name).
function olderTuple(abi: string, slots: number, engine: Uint8Array): RawTuple {
  if (abi === "2") return ["2", "1%9%0%0%NVIDIA H100 80GB HBM3", engine];
  return [abi, ...sampleRawTuple(engine).slice(1, slots)];
}

describe("older layouts", () => {
  it("knows ABI versions 2 through 10", () => {
    expect(SUPPORTED_ABI_VERSIONS).toEqual(["2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    expect(LAYOUTS.map((l) => `${l.abiVersion}:${l.slots.length}`)).toEqual(["2:3", "3:4", "4:6", "5:7", "5:8", "6:9", "7:10", "8:11", "9:12", "10:13"]);
  });

  it.each(LAYOUTS.map((l) => [l.abiVersion, l.slots.length] as const))("ABI %s with %i slots decodes, missing fields get defaults", (abi, n) => {
    const engine = pattern(64);
    const value = decodeTuple(olderTuple(abi, n, engine));
    const full = sampleEngine(engine);
    const layout = LAYOUTS.find((l) => l.abiVersion === abi && l.slots.length === n)!;
    expect(value.abiVersion).toBe(abi);
    expect(value.engine).toEqual(engine);
    expect(value.device).toEqual(full.device);
    for (const field of ["name", "inputBindingNames", "outputBindingNames", "hardwareCompatible", "metadata", "targetPlatform", "requiresOutputAllocator", "resourceAllocationStrategy", "requiresNativeMultiDevice", "aliasedIO"] as const) {
      const slot = field === "aliasedIO" ? "aliasedIO" : field;
      if (layout.slots.includes(slot)) expect(value[field], field).toEqual(full[field]);
      else expect(value[field], field).toEqual(LEGACY_DEFAULTS[field]);
    }
  });

  it("ABI 5 with 8 slots carries metadata but no target platform", () => {
    const value = decodeTuple(olderTuple("5", 8, pattern(8)));
    expect(value.metadata).toBe("gAR9lC4=");
    expect(value.targetPlatform).toBe("unknown");
  });

  it("text engine slots: base64 from ABI 4 on, one byte per character for ABI 2 and 3", () => {
    const engine = pattern(300);
    expect(decodeTuple(["4", "e", "0%8%0%0%A", base64Encode(engine), "x", "y"]).engine).toEqual(engine);
    expect(decodeTuple(["3", "e", "0%8%0%0%A", latin1(engine)]).engine).toEqual(engine);
    expectFormatError(() => decodeTuple(["3", "e", "0%8%0%0%A", "\u0100"]), "BAD_SLOT_TYPE");
  });

  it("unknown versions name the version found and the supported ones", () => {
    const err = expectFormatError(() => decodeTuple(["11", ...sampleRawTuple().slice(1)]), "UNSUPPORTED_ABI_VERSION");
    expect(err.found).toContain('"11"');
    expect(err.expected).toContain('"10" (13 slots)');
    expect(err.expected).toContain('"2" (3 slots)');
    expectFormatError(() => decodeTuple(["1", "x", "y"]), "UNSUPPORTED_ABI_VERSION");
    expectFormatError(() => decodeTuple(["v10", "x"]), "UNSUPPORTED_ABI_VERSION");
  });

  it("wrong slot counts name the count found and the expected ones", () => {
    const err = expectFormatError(() => decodeTuple(sampleRawTuple().slice(0, 12)), "WRONG_SLOT_COUNT");
    expect(err.found).toBe("12 slots");
    expect(err.expected).toContain('13 slots for ABI version "10"');
    const five = expectFormatError(() => decodeTuple(["5", ...sampleRawTuple().slice(1, 9)]), "WRONG_SLOT_COUNT");
    expect(five.expected).toContain("7 or 8 slots");
    expectFormatError(() => decodeTuple([]), "WRONG_SLOT_COUNT");
  });
});
