/**
 * The .npy header: the preamble (magic, version, header length) and the dict
 * `{'descr': ..., 'fortran_order': ..., 'shape': ...}`, read into what the
 * reader needs and written the way numpy writes it. The layout follows
 * numpy's format specification (numpy/lib/format.py, "NPY format"):
 *
 * | bytes | field |
 * | --- | --- |
 * | 6 | magic `\x93NUMPY` |
 * | 2 | major, minor version: 1.0, 2.0 (4-byte header length) or 3.0 (UTF-8 header) |
 * | 2 or 4 | header length, little-endian |
 * | n | the dict, ASCII (Latin-1) or UTF-8 in 3.0, padded with spaces and ended by `\n` so that the data starts at a multiple of 64 |
 */
import { descrOf, npyTypeByCode, supportedDescrs } from "./dtypes.js";
import type { NpyDType } from "./dtypes.js";
import { NpyError } from "./errors.js";
import { parsePyLiteral } from "./literal.js";
import type { PyLiteral } from "./literal.js";

/** `\x93NUMPY`. */
export const NPY_MAGIC: Uint8Array = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59);

/** numpy aligns the data to this many bytes (ARRAY_ALIGN). */
const ALIGN = 64;

/** What a header says about the data that follows it. */
export interface NpyHeader {
  readonly dtype: NpyDType;
  readonly shape: readonly number[];
  /** Byte offset of the first element. */
  readonly dataOffset: number;
  readonly version: "1.0" | "2.0" | "3.0";
}

/** Reads the preamble and the dict at the start of `bytes`. */
export function readNpyHeader(bytes: Uint8Array): NpyHeader {
  const magicFound = NPY_MAGIC.every((b, i) => bytes[i] === b);
  if (!magicFound) {
    const head = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new NpyError(bytes.length < 6 ? "NPY_TRUNCATED" : "NPY_BAD_MAGIC", {
      expected: "the .npy magic 93 4e 55 4d 50 59 (\\x93NUMPY)",
      found: bytes.length === 0 ? "an empty file" : head,
      hint: "Save the array with numpy.save (not savez, tofile or pickle)",
    });
  }
  if (bytes.length < 10) throw truncated("the version and header length", bytes.length);
  const major = bytes[6]!;
  const minor = bytes[7]!;
  const version = `${major}.${minor}`;
  if (minor !== 0 || major < 1 || major > 3) {
    throw new NpyError("NPY_UNSUPPORTED_VERSION", {
      expected: "format version 1.0, 2.0 or 3.0",
      found: `version ${version}`,
      hint: "Save the array with numpy.save from numpy 1.9 or later",
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw truncated("the header length", bytes.length);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes;
  const dataOffset = start + headerLength;
  if (bytes.length < dataOffset) throw truncated(`a header of ${headerLength} bytes`, bytes.length);
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(start, dataOffset));
  return { ...interpretDict(parsePyLiteral(text)), dataOffset, version: version as NpyHeader["version"] };
}

function truncated(what: string, length: number): NpyError {
  return new NpyError("NPY_TRUNCATED", { expected: what, found: `a file of ${length} bytes`, hint: "The file was cut short" });
}

function interpretDict(literal: PyLiteral): { dtype: NpyDType; shape: number[] } {
  if (literal.kind !== "dict") {
    throw new NpyError("NPY_BAD_HEADER", { expected: "a dict as the header", found: `a ${literal.kind}` });
  }
  const keys = [...literal.entries.keys()].sort();
  if (keys.join() !== "descr,fortran_order,shape") {
    throw new NpyError("NPY_BAD_HEADER", {
      expected: "exactly the keys descr, fortran_order and shape",
      found: keys.length ? keys.join(", ") : "no keys",
    });
  }
  const fortran = literal.entries.get("fortran_order")!;
  if (fortran.kind !== "bool") throw new NpyError("NPY_BAD_HEADER", { expected: "fortran_order True or False", found: `a ${fortran.kind}` });
  const shape = interpretShape(literal.entries.get("shape")!);
  const dtype = interpretDescr(literal.entries.get("descr")!);
  // Checked after the dtype, so an unsupported type is reported before the order it is stored in.
  if (fortran.value) {
    throw new NpyError("NPY_FORTRAN_ORDER", {
      expected: "an array in C (row-major) order",
      found: `fortran_order True (shape (${shape.join(", ")}))`,
      hint: "Save numpy.ascontiguousarray(a) instead",
    });
  }
  return { dtype, shape };
}

function interpretShape(value: PyLiteral): number[] {
  if (value.kind !== "tuple" || value.items.some((d) => d.kind !== "int" || d.value < 0)) {
    throw new NpyError("NPY_BAD_HEADER", { expected: "shape as a tuple of non-negative ints", found: describeLiteral(value) });
  }
  return value.items.map((d) => (d as { value: number }).value);
}

function interpretDescr(value: PyLiteral): NpyDType {
  if (value.kind === "list") {
    throw new NpyError("NPY_UNSUPPORTED_DTYPE", {
      expected: `a plain element type (${supportedDescrs()})`,
      found: "a structured dtype (a list of fields)",
      hint: "Save each field as its own array",
    });
  }
  if (value.kind !== "str") throw new NpyError("NPY_BAD_HEADER", { expected: "descr as a str", found: describeLiteral(value) });
  const descr = value.value;
  const order = descr[0] ?? "";
  const type = npyTypeByCode(descr.slice(1));
  if (!type || !"<>|=".includes(order) || order === "") {
    throw new NpyError("NPY_UNSUPPORTED_DTYPE", {
      expected: `one of ${supportedDescrs()}`,
      found: JSON.stringify(descr),
      hint: "Convert first, e.g. a.astype(numpy.float32) for float64 data",
    });
  }
  // Byte order means nothing for 1-byte types; numpy writes "|" but "<" and ">" read the same.
  if (type.itemSize > 1 && order !== "<") {
    if (order === ">") {
      throw new NpyError("NPY_BIG_ENDIAN", {
        expected: `little-endian data (${descrOf(type.dtype)})`,
        found: `big-endian ${JSON.stringify(descr)}`,
        hint: `Convert with a.astype("${descrOf(type.dtype)}") before saving`,
      });
    }
    throw new NpyError("NPY_UNSUPPORTED_DTYPE", {
      expected: `an explicit byte order (${descrOf(type.dtype)})`,
      found: JSON.stringify(descr),
      hint: "numpy.save always writes one; this file was not written by numpy",
    });
  }
  return type.dtype;
}

function describeLiteral(value: PyLiteral): string {
  switch (value.kind) {
    case "str":
      return JSON.stringify(value.value);
    case "int":
    case "bool":
      return String(value.value);
    case "none":
      return "None";
    default:
      return `a ${value.kind}`;
  }
}

/** Bytes of header (dict, padding, newline) after a preamble of `preamble` bytes, so that the data starts aligned. */
function paddedLength(preamble: number, dict: string): number {
  return Math.ceil((preamble + dict.length + 1) / ALIGN) * ALIGN - preamble;
}

/** The header for an array: version 1.0 when the dict fits a 2-byte length, else 2.0; data aligned to 64 bytes. */
export function formatNpyHeader(dtype: NpyDType, shape: readonly number[]): Uint8Array {
  // repr() of a tuple: "()" for a scalar, "(n,)" for one dimension.
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict = `{'descr': '${descrOf(dtype)}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const major = paddedLength(10, dict) <= 0xffff ? 1 : 2;
  const preamble = major === 1 ? 10 : 12;
  const headerLength = paddedLength(preamble, dict);
  const out = new Uint8Array(preamble + headerLength);
  out.set(NPY_MAGIC);
  out[6] = major;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  const text = dict.padEnd(headerLength - 1, " ") + "\n";
  for (let i = 0; i < text.length; i++) out[preamble + i] = text.charCodeAt(i);
  return out;
}
