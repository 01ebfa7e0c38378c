import { describe, expect, it } from "vitest";
import { decodeMetadata, readPickledTuple, writePickledTuple } from "../src/index.js";
import { PyGlobal, PyObject, readPickledTupleWithInfo, unpickle } from "../src/pickle-entry.js";
import { base64Encode } from "../src/tuple-entry.js";
import { expectFormatError, expectSameBytes, pattern, sampleEngine } from "./helpers.js";

// Builds a pickle from opcode bytes and latin-1 text pieces.
function pk(...parts: Array<number | string>): Uint8Array {
  const bytes: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") bytes.push(p);
    else for (const ch of p) bytes.push(ch.charCodeAt(0));
  }
  return Uint8Array.from(bytes);
}
const STR = (s: string): Array<number | string> => [0x8c, s.length, s]; // SHORT_BINUNICODE

describe("pickle reader", () => {
  it("follows the memo: PUT/GET, BINPUT/BINGET, MEMOIZE, LONG_BINGET", () => {
    // [ "a", "a" (BINGET 0), "a" (GET 0), "b", "b" (LONG_BINGET 1), "c", "c" (GET 7), "d", "d" (LONG_BINPUT/LONG_BINGET 0x12345678) ]
    const bytes = pk(0x80, 4, 0x5d, 0x28, ...STR("a"), 0x71, 0, 0x68, 0, "g0\n", ...STR("b"), 0x94, 0x6a, 1, 0, 0, 0,
      ...STR("c"), "p7\n", "g7\n", ...STR("d"), 0x72, 0x78, 0x56, 0x34, 0x12, 0x6a, 0x78, 0x56, 0x34, 0x12, 0x65, 0x2e);
    expect(unpickle(bytes, { mode: "strict" }).value).toEqual(["a", "a", "a", "b", "b", "c", "c", "d", "d"]);
    expectFormatError(() => unpickle(pk(0x80, 4, 0x68, 9, 0x2e), { mode: "strict" }), "BAD_PICKLE");
  });

  it("decodes numbers in every encoding", () => {
    const bytes = pk(0x80, 2, 0x5d, 0x28, 0x8a, 1, 0xff, 0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x4a, 0xfe, 0xff, 0xff, 0xff, 0x4b, 200, 0x4d, 1, 1, "I01\n", "L-12L\n", "F2.5\n", 0x47, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18, 0x88, 0x89, 0x4e, 0x65, 0x2e);
    expect(unpickle(bytes, { mode: "describe" }).value).toEqual([-1, 1n << 64n, -2, 200, 257, true, -12, 2.5, Math.PI, true, false, null]);
  });

  it("is strict about globals for tuples and descriptive for metadata", () => {
    const evil = pk(0x80, 2, "cos\nsystem\n", ...STR("rm -rf /"), 0x85, 0x52, 0x2e);
    const err = expectFormatError(() => unpickle(evil, { mode: "strict" }), "UNSUPPORTED_PICKLE_GLOBAL");
    expect(err.found).toContain("os.system");
    const described = unpickle(evil, { mode: "describe" });
    expect(described.globals).toEqual(["os.system"]);
    expect(described.value).toBeInstanceOf(PyObject);
    expect((described.value as PyObject).callee).toEqual(new PyGlobal("os", "system"));
    const view = decodeMetadata(base64Encode(evil));
    expect(view.status).toBe("decoded");
    expect(view.value).toEqual({ $class: "os.system", args: ["rm -rf /"] });
  });

  it.each([
    ["no STOP", pk(0x80, 4, 0x4e), "TRUNCATED"],
    ["cut argument", pk(0x80, 4, 0x58, 10, 0, 0, 0, "ab"), "TRUNCATED"],
    ["unknown opcode", pk(0x80, 4, 0xff, 0x2e), "BAD_PICKLE"],
    ["protocol 6", pk(0x80, 6, 0x4e, 0x2e), "BAD_PICKLE"],
    ["stack underflow", pk(0x80, 4, 0x61, 0x2e), "BAD_PICKLE"],
    ["pop across a MARK", pk(0x80, 4, 0x4e, 0x28, 0x85, 0x2e), "BAD_PICKLE"],
    ["APPENDS without MARK", pk(0x80, 4, 0x5d, 0x65, 0x2e), "BAD_PICKLE"],
    ["odd SETITEMS", pk(0x80, 4, 0x7d, 0x28, 0x4e, 0x75, 0x2e), "BAD_PICKLE"],
    ["out-of-band buffer", pk(0x80, 5, 0x97, 0x2e), "BAD_PICKLE"],
    ["huge LONG4", pk(0x80, 4, 0x8b, 0xff, 0xff, 0xff, 0x7f, 0x2e), "TRUNCATED"],
    ["frame past the end", pk(0x80, 4, 0x95, 100, 0, 0, 0, 0, 0, 0, 0, 0x4e, 0x2e), "TRUNCATED"],
    ["trailing data", pk(0x80, 4, 0x4e, 0x2e, 0x00), "TRAILING_BYTES"],
    ["bad UTF-8", pk(0x80, 4, 0x8c, 2, 0xc3, 0x28, 0x2e), "BAD_UTF8"],
  ] as const)("%s is %s", (_name, bytes, code) => {
    expectFormatError(() => unpickle(bytes, { mode: "strict" }), code);
  });

  it("says what is wrong with a pickle that is not an engine", () => {
    const dict = pk(0x80, 4, 0x7d, 0x2e);
    expectFormatError(() => readPickledTuple(dict), "BAD_PICKLE_SHAPE");
    expectFormatError(() => readPickledTuple(pk(0x80, 4, 0x5d, 0x28, ...STR("10"), 0x4b, 1, 0x65, 0x2e)), "BAD_SLOT_TYPE");
    const noEngine = pk(0x80, 4, 0x28, ...STR("m"), 0x4e, 0x5d, 0x5d, 0x74, 0x2e);
    expectFormatError(() => readPickledTuple(noEngine), "NO_ENGINE");
  });

  it("decodes large text without building a JS string (base64 and latin-1 paths)", () => {
    const value = sampleEngine(pattern(5000));
    for (const [protocol, engineAs, encoding] of [
      [4, "base64", "base64"],
      [2, "bytes", "bytes"],
    ] as const) {
      const bytes = writePickledTuple(value, { protocol, engineAs });
      const info = readPickledTupleWithInfo(bytes, { lazyTextBytes: 64 });
      expect(info.engineEncoding).toBe(encoding);
      expectSameBytes(info.value.engine, value.engine);
    }
  });

  it("hands out raw engine bytes as a view of the pickle (no copy)", () => {
    const bytes = writePickledTuple(sampleEngine(pattern(100_000)), { protocol: 5 });
    const engine = readPickledTuple(bytes).engine;
    expect(engine.buffer).toBe(bytes.buffer);
  });

  it("writes and reads back every protocol, engine encoding and shape", () => {
    const value = sampleEngine(pattern(777));
    for (const protocol of [2, 3, 4, 5] as const) {
      for (const shape of ["list", "extra_state"] as const) {
        for (const engineAs of ["bytes", "base64"] as const) {
          const info = readPickledTupleWithInfo(writePickledTuple(value, { protocol, shape, engineAs }));
          expect(info.protocol).toBe(protocol);
          expect(info.shape).toBe(shape);
          expect({ ...info.value, engine: null }).toEqual({ ...value, engine: null });
          expectSameBytes(info.value.engine, value.engine);
        }
      }
    }
  });
});
