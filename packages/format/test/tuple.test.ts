import { describe, expect, it } from "vitest";
import { ABI_VERSION, decodeTuple, encodeTuple, FormatError, parseDeviceInfo, formatDeviceInfo } from "../src/index.js";
import { formatAliasedIO, formatBindingNames, parseAliasedIO, parseBindingNames, base64Encode } from "../src/tuple-entry.js";
import { expectFormatError, pattern, sampleEngine, sampleRawTuple } from "./helpers.js";

describe("engine tuple (ABI 10)", () => {
  it("encodes every field into its slot, in upstream order", () => {
    const engine = pattern(100);
    const raw = encodeTuple(sampleEngine(engine));
    expect(raw).toEqual(sampleRawTuple(engine));
    expect(raw).toHaveLength(13);
    expect(raw[3]).toBe(engine); // the engine is passed through, not copied
  });

  it("round-trips byte for byte: encode(decode(t)) === t and decode(encode(v)) == v", () => {
    const raw = sampleRawTuple();
    const value = decodeTuple(raw);
    expect(value).toEqual(sampleEngine());
    expect(encodeTuple(value)).toEqual(raw);
    expect(decodeTuple(encodeTuple(value))).toEqual(value);
  });

  it("keeps the engine slot as a view (no copy) and accepts UTF-8 bytes for text slots", () => {
    const backing = pattern(5000);
    const engine = backing.subarray(100, 4196);
    const raw = sampleRawTuple(engine).map((s, i) => (i === 3 || typeof s !== "string" ? s : new TextEncoder().encode(s)));
    const value = decodeTuple(raw);
    expect(value.engine.buffer).toBe(backing.buffer);
    expect(value.engine.byteOffset).toBe(100);
    expect(value.name).toBe("resnet_engine");
  });

  it("reads a base64 text engine slot and can write one", () => {
    const engine = pattern(1001);
    const raw = sampleRawTuple(engine);
    raw[3] = base64Encode(engine);
    expect(decodeTuple(raw).engine).toEqual(engine);
    expect(encodeTuple(decodeTuple(raw), { engineAs: "base64" })).toEqual(raw);
  });

  it("writes ABI 10 for a value read from ABI 10", () => {
    expect(encodeTuple(sampleEngine())[0]).toBe(ABI_VERSION);
  });

  it.each([
    [6, "2", "BAD_FLAG"],
    [9, "yes", "BAD_FLAG"],
    [11, "", "BAD_FLAG"],
    [10, "static", "BAD_ALLOCATION_STRATEGY"],
    [2, "0%9%0%NVIDIA", "BAD_DEVICE_INFO"],
    [12, "y@x", "BAD_ALIASED_IO"],
    [3, "not base64!", "BAD_BASE64"],
  ] as const)("slot %i = %j is %s", (index, text, code) => {
    const raw = sampleRawTuple();
    raw[index] = text;
    const err = expectFormatError(() => decodeTuple(raw), code);
    expect(err.message).toContain(JSON.stringify(text).slice(1, 5));
  });

  it("rejects invalid UTF-8 in a text slot and non-text values", () => {
    const raw: unknown[] = sampleRawTuple();
    raw[1] = Uint8Array.of(0xff, 0xfe);
    expectFormatError(() => decodeTuple(raw as never), "BAD_UTF8");
    raw[1] = 42;
    expectFormatError(() => decodeTuple(raw as never), "BAD_SLOT_TYPE");
  });

  it("refuses values that cannot be encoded", () => {
    expectFormatError(() => encodeTuple({ ...sampleEngine(), inputBindingNames: ["a%b"] }), "BAD_BINDING_NAMES");
    expectFormatError(() => encodeTuple({ ...sampleEngine(), outputBindingNames: [""] }), "BAD_BINDING_NAMES");
    expectFormatError(() => encodeTuple({ ...sampleEngine(), device: { ...sampleEngine().device, deviceName: "a%b" } }), "INVALID_VALUE");
    expectFormatError(() => encodeTuple({ ...sampleEngine(), device: { ...sampleEngine().device, smMajor: 1.5 } }), "INVALID_VALUE");
    expectFormatError(() => encodeTuple({ ...sampleEngine(), aliasedIO: [{ output: "a@", input: "b", kind: "user" }] }), "INVALID_VALUE");
    expectFormatError(() => encodeTuple({ ...sampleEngine(), resourceAllocationStrategy: "lazy" as never }), "INVALID_VALUE");
    expectFormatError(() => encodeTuple({ ...sampleEngine(), engine: "abc" as never }), "INVALID_VALUE");
  });

  it("FormatError messages say expected, found and what to do", () => {
    const raw = sampleRawTuple();
    raw[6] = "maybe";
    const err = expectFormatError(() => decodeTuple(raw), "BAD_FLAG");
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("FormatError");
    expect(err.message).toMatch(/^expected .*"0" or "1".*, found "maybe"\. .+/);
    expect(err.hint.length).toBeGreaterThan(10);
  });
});

describe("slot helpers", () => {
  it("device info: exactly five fields, canonical integers", () => {
    expect(parseDeviceInfo("0%8%6%1%Orin DLA")).toEqual({ gpuId: 0, smMajor: 8, smMinor: 6, deviceType: 1, deviceName: "Orin DLA" });
    expect(parseDeviceInfo("0%0%0%0%")).toMatchObject({ deviceName: "" });
    for (const bad of ["", "0%9%0%0", "0%9%0%0%a%b", "x%9%0%0%a", "01%9%0%0%a", "0%9%0%-%a", "0%99999999999%0%0%a", " 0%9%0%0%a"]) {
      expectFormatError(() => parseDeviceInfo(bad), "BAD_DEVICE_INFO");
    }
    const text = "3%12%1%0%NVIDIA B200";
    expect(formatDeviceInfo(parseDeviceInfo(text))).toBe(text);
  });

  it("binding names: '%'-joined, empty means none, empty entries dropped like the C++ runtime", () => {
    expect(parseBindingNames("")).toEqual([]);
    expect(parseBindingNames("a%b")).toEqual(["a", "b"]);
    expect(parseBindingNames("a%%b%")).toEqual(["a", "b"]);
    expect(formatBindingNames(["input_0", "input_1"])).toBe("input_0%input_1");
    expect(formatBindingNames([])).toBe("");
  });

  it("aliased I/O: output@input@kind records, unknown kinds preserved", () => {
    const text = "out@in@kv_cache_update%o2@i2@user%o3@i3@future_kind";
    const parsed = parseAliasedIO(text);
    expect(parsed[2]).toEqual({ output: "o3", input: "i3", kind: "future_kind" });
    expect(formatAliasedIO(parsed)).toBe(text);
    expect(parseAliasedIO("")).toEqual([]);
    for (const bad of ["a@b", "a@b@c@d", "@b@c", "a@b@c%", "a@@c"]) expectFormatError(() => parseAliasedIO(bad), "BAD_ALIASED_IO");
  });

  it("FormatError is a proper Error subclass with a stable code", () => {
    const e = new FormatError("TRUNCATED", { expected: "x", found: "y", hint: "z" });
    expect(e.message).toBe("expected x, found y. z");
    expect(e.code).toBe("TRUNCATED");
    expect(e.stack).toBeTypeOf("string");
  });
});
