// The .npy reader and writer: every supported dtype and version, the header
// layout numpy writes, every refusal with its code, and (with python3 +
// numpy) files numpy writes read here and files written here loaded by numpy.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeNpy, encodeNpy, formatNpyHeader, isNpyError, NPY_MAGIC, readNpyHeader } from "../src/npy/index.js";
import type { NpyArray, NpyErrorCode } from "../src/npy/index.js";
import { numpyPython, python, tempDir } from "./support/cli.js";

const ARRAYS: NpyArray[] = [
  { dtype: "float32", shape: [2, 3], data: Float32Array.of(1.5, -2, 0, Infinity, NaN, 3.25) },
  { dtype: "float16", shape: [3], data: Uint16Array.of(0x3c00, 0xc000, 0x7bff) },
  { dtype: "int8", shape: [2, 2], data: Int8Array.of(-128, 127, 0, -1) },
  { dtype: "uint8", shape: [4], data: Uint8Array.of(0, 1, 254, 255) },
  { dtype: "int32", shape: [1, 1, 2], data: Int32Array.of(-2147483648, 2147483647) },
  { dtype: "int64", shape: [2], data: BigInt64Array.of(-(2n ** 63n), 2n ** 62n + 1n) },
  { dtype: "bool", shape: [2, 1], data: Uint8Array.of(1, 0) },
  { dtype: "float32", shape: [], data: Float32Array.of(7) },
  { dtype: "int32", shape: [0, 4], data: new Int32Array(0) },
];

/** A file with a hand-written header dict (version 1.0, padded as numpy pads) and `data` after it. */
function withHeader(dict: string, data: Uint8Array = new Uint8Array(0), version: [number, number] = [1, 0]): Uint8Array {
  const lengthBytes = version[0] === 1 ? 2 : 4;
  const text = `${dict}\n`;
  const out = new Uint8Array(8 + lengthBytes + text.length + data.length);
  out.set(NPY_MAGIC);
  out[6] = version[0];
  out[7] = version[1];
  const view = new DataView(out.buffer);
  if (lengthBytes === 2) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(new TextEncoder().encode(text), 8 + lengthBytes);
  out.set(data, 8 + lengthBytes + text.length);
  return out;
}

function codeOf(f: () => unknown): NpyErrorCode | string {
  try {
    f();
  } catch (e) {
    if (isNpyError(e)) return e.code;
    throw e;
  }
  return "no error";
}

describe("encodeNpy / decodeNpy", () => {
  it.each(ARRAYS.map((a) => [`${a.dtype} [${a.shape.join(", ")}]`, a] as const))("round-trips %s", (_name, array) => {
    const back = decodeNpy(encodeNpy(array));
    expect(back.dtype).toBe(array.dtype);
    expect(back.shape).toEqual(array.shape);
    expect(back.data).toBeInstanceOf(array.data.constructor);
    expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(array.data as ArrayLike<unknown>));
  });

  it("writes numpy's header: descr, fortran_order, repr() of the shape, data aligned to 64 bytes", () => {
    const bytes = encodeNpy({ dtype: "float32", shape: [3], data: new Float32Array(3) });
    expect(bytes.length).toBe(128 + 12); // what numpy.save writes for float32 (3,): a 128-byte header, then the data
    expect(Array.from(bytes.subarray(0, 10))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
    const text = new TextDecoder().decode(bytes.subarray(10, 128));
    expect(text).toBe(`{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }`.padEnd(117, " ") + "\n");
    expect(new TextDecoder().decode(formatNpyHeader("bool", []).subarray(10))).toMatch(/^\{'descr': '\|b1', 'fortran_order': False, 'shape': \(\), \} +\n$/);
    expect(readNpyHeader(encodeNpy(ARRAYS[4]!))).toMatchObject({ dtype: "int32", shape: [1, 1, 2], dataOffset: 128, version: "1.0" });
  });

  it("switches to version 2.0 when the header does not fit a 2-byte length", () => {
    const shape = Array.from({ length: 22_000 }, () => 1); // "(1, 1, ...)" is over 65535 characters
    const bytes = encodeNpy({ dtype: "uint8", shape, data: Uint8Array.of(9) });
    const header = readNpyHeader(bytes);
    expect(header.version).toBe("2.0");
    expect(header.dataOffset % 64).toBe(0);
    expect(decodeNpy(bytes).data).toEqual(Uint8Array.of(9));
  });

  it("reads versions 2.0 and 3.0 (UTF-8 header) and Python's variations of the dict", () => {
    const four = Uint8Array.of(1, 0, 0, 0);
    expect(decodeNpy(withHeader(`{"descr": "<i4", "fortran_order": False, "shape": (1,)}`, four, [2, 0])).data).toEqual(Int32Array.of(1));
    expect(decodeNpy(withHeader(`{'shape': (1L,), 'descr': '<i4', 'fortran_order': False,}`, four, [3, 0])).shape).toEqual([1]);
    expect(decodeNpy(withHeader(`{ 'descr' : '<u1' , 'fortran_order' : True , 'shape' : ( ) }`.replace("True", "False"), Uint8Array.of(5))).data).toEqual(
      Uint8Array.of(5),
    );
    // Single-byte types read with any byte-order mark; numpy writes "|".
    expect(decodeNpy(withHeader(`{'descr': '<b1', 'fortran_order': False, 'shape': (1,), }`, Uint8Array.of(1))).dtype).toBe("bool");
  });

  it.each([
    ["not .npy at all", new TextEncoder().encode("PK\x03\x04 a zip"), "NPY_BAD_MAGIC"],
    ["an empty file", new Uint8Array(0), "NPY_TRUNCATED"],
    ["a cut-off header", withHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }`).subarray(0, 30), "NPY_TRUNCATED"],
    ["version 4.0", withHeader(`{}`, undefined, [4, 0]), "NPY_UNSUPPORTED_VERSION"],
    ["version 1.1", withHeader(`{}`, undefined, [1, 1]), "NPY_UNSUPPORTED_VERSION"],
    ["Fortran order", withHeader(`{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }`, new Uint8Array(16)), "NPY_FORTRAN_ORDER"],
    ["big-endian float32", withHeader(`{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(4)), "NPY_BIG_ENDIAN"],
    ["big-endian int64", withHeader(`{'descr': '>i8', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(8)), "NPY_BIG_ENDIAN"],
    ["native-order int32", withHeader(`{'descr': '=i4', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(4)), "NPY_UNSUPPORTED_DTYPE"],
    ["float64", withHeader(`{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(8)), "NPY_UNSUPPORTED_DTYPE"],
    ["an object array", withHeader(`{'descr': '|O', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(8)), "NPY_UNSUPPORTED_DTYPE"],
    ["a structured dtype", withHeader(`{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(4)), "NPY_UNSUPPORTED_DTYPE"],
    ["a missing key", withHeader(`{'descr': '<f4', 'shape': (1,), }`, new Uint8Array(4)), "NPY_BAD_HEADER"],
    ["an extra key", withHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}`, new Uint8Array(4)), "NPY_BAD_HEADER"],
    ["a list shape", withHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': [1], }`, new Uint8Array(4)), "NPY_BAD_HEADER"],
    ["a float in the shape", withHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (1.0,), }`, new Uint8Array(4)), "NPY_BAD_HEADER"],
    ["a negative dim", withHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }`, new Uint8Array(4)), "NPY_BAD_HEADER"],
    ["an unterminated string", withHeader(`{'descr: '<f4'}`), "NPY_BAD_HEADER"],
    ["a call in the header", withHeader(`{'descr': dtype('<f4'), 'fortran_order': False, 'shape': (1,)}`), "NPY_BAD_HEADER"],
    ["missing data", withHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }`, new Uint8Array(4)), "NPY_TRUNCATED"],
    ["bytes after the data", withHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(5)), "NPY_SIZE_MISMATCH"],
  ] as const)("refuses %s", (_what, bytes, code) => {
    expect(codeOf(() => decodeNpy(bytes))).toBe(code);
  });

  it("says how to fix what it refuses", () => {
    const fortran = withHeader(`{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }`, new Uint8Array(16));
    expect(() => decodeNpy(fortran)).toThrow("expected an array in C (row-major) order, found fortran_order True (shape (2, 2)). Save numpy.ascontiguousarray(a) instead");
    const big = withHeader(`{'descr': '>f2', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(2));
    expect(() => decodeNpy(big)).toThrow(`found big-endian ">f2". Convert with a.astype("<f2") before saving`);
    const f8 = withHeader(`{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(8));
    expect(() => decodeNpy(f8)).toThrow(/expected one of <f4, <f2, \|i1, \|u1, <i4, <i8, \|b1, found "<f8"\. Convert first/);
  });

  it.each([
    ["a plain array", { dtype: "float32", shape: [1], data: [1] }, "NPY_INVALID_VALUE"],
    ["the wrong typed array", { dtype: "float16", shape: [1], data: Float32Array.of(1) }, "NPY_INVALID_VALUE"],
    ["too few elements", { dtype: "int8", shape: [2, 2], data: Int8Array.of(1, 2, 3) }, "NPY_INVALID_VALUE"],
    ["a fractional dim", { dtype: "int8", shape: [1.5], data: Int8Array.of(1) }, "NPY_INVALID_VALUE"],
    ["an unknown dtype", { dtype: "float64", shape: [1], data: Float64Array.of(1) }, "NPY_UNSUPPORTED_DTYPE"],
  ])("refuses to write %s", (_what, array, code) => {
    expect(codeOf(() => encodeNpy(array as unknown as NpyArray))).toBe(code);
  });
});

describe.runIf(numpyPython)("interop with numpy", () => {
  const dir = tempDir("trt-npy-");

  it("reads every dtype numpy writes, and numpy loads what is written here", () => {
    // numpy writes one file per dtype with known values; this module reads them, writes them back, numpy compares.
    python(
      `
import numpy as np, sys
d = sys.argv[1]
np.save(d + "/f4.npy", np.array([[1.5, -2.0], [0.25, 3.0]], dtype=np.float32))
np.save(d + "/f2.npy", np.array([1.0, -2.0, 65504.0], dtype=np.float16))
np.save(d + "/i1.npy", np.array([-128, 127], dtype=np.int8))
np.save(d + "/u1.npy", np.array([[0, 255]], dtype=np.uint8))
np.save(d + "/i4.npy", np.arange(6, dtype=np.int32).reshape(1, 2, 3))
np.save(d + "/i8.npy", np.array([-(2**63), 2**62 + 1], dtype=np.int64))
np.save(d + "/b1.npy", np.array([True, False, True]))
np.save(d + "/scalar.npy", np.float32(7.5))
np.save(d + "/fortran.npy", np.asfortranarray(np.ones((2, 3), dtype=np.float32)))
np.save(d + "/big.npy", np.ones(3, dtype=">f4"))
`,
      [dir],
    );
    const read = (name: string) => decodeNpy(readFileSync(join(dir, `${name}.npy`)));
    expect(read("f4")).toMatchObject({ dtype: "float32", shape: [2, 2], data: Float32Array.of(1.5, -2, 0.25, 3) });
    expect(read("f2")).toMatchObject({ dtype: "float16", shape: [3], data: Uint16Array.of(0x3c00, 0xc000, 0x7bff) });
    expect(read("i1")).toMatchObject({ dtype: "int8", data: Int8Array.of(-128, 127) });
    expect(read("u1")).toMatchObject({ dtype: "uint8", shape: [1, 2] });
    expect(read("i4")).toMatchObject({ dtype: "int32", shape: [1, 2, 3], data: Int32Array.of(0, 1, 2, 3, 4, 5) });
    expect(read("i8").data).toEqual(BigInt64Array.of(-(2n ** 63n), 2n ** 62n + 1n));
    expect(read("b1")).toMatchObject({ dtype: "bool", data: Uint8Array.of(1, 0, 1) });
    expect(read("scalar")).toMatchObject({ dtype: "float32", shape: [], data: Float32Array.of(7.5) });
    expect(codeOf(() => read("fortran"))).toBe("NPY_FORTRAN_ORDER");
    expect(codeOf(() => read("big"))).toBe("NPY_BIG_ENDIAN");

    for (const name of ["f4", "f2", "i1", "u1", "i4", "i8", "b1", "scalar"]) writeFileSync(join(dir, `${name}.back.npy`), encodeNpy(read(name)));
    const check = python(
      `
import numpy as np, sys
d = sys.argv[1]
for n in ["f4", "f2", "i1", "u1", "i4", "i8", "b1", "scalar"]:
    a, b = np.load(d + "/" + n + ".npy"), np.load(d + "/" + n + ".back.npy")
    assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b), n
print("ok")
`,
      [dir],
    );
    expect(check.trim()).toBe("ok");
  });

  it("reads numpy's version 2.0 and 3.0 files, and numpy's bytes are exactly what is written here", () => {
    // numpy writes 2.0 and 3.0 only when asked (or for headers no plain array needs), so ask.
    python(
      `
import numpy as np, sys
from numpy.lib import format as f
d = sys.argv[1]
a = np.arange(4, dtype=np.int64).reshape(2, 2)
for v in [(2, 0), (3, 0)]:
    with open(d + "/v%d.npy" % v[0], "wb") as out:
        f.write_array(out, a, version=v)
np.save(d + "/plain.npy", np.array([[0.5, 1.5, 2.5]], dtype=np.float32))
`,
      [dir],
    );
    for (const v of ["v2", "v3"]) {
      const array = decodeNpy(readFileSync(join(dir, `${v}.npy`)));
      expect(array).toMatchObject({ dtype: "int64", shape: [2, 2], data: BigInt64Array.of(0n, 1n, 2n, 3n) });
    }
    const plain = readFileSync(join(dir, "plain.npy"));
    expect(Buffer.compare(Buffer.from(encodeNpy(decodeNpy(plain))), plain)).toBe(0);
  });
});
