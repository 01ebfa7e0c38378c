/**
 * Encoding a typed array as a .npy file (C order, little-endian), with the
 * header numpy.save would write for it, so `numpy.load` reads it back as the
 * same dtype and shape.
 */
import { NPY_TYPES } from "./dtypes.js";
import type { NpyArray } from "./dtypes.js";
import { NpyError } from "./errors.js";
import { formatNpyHeader } from "./header.js";

/** The .npy bytes for `array`; NpyError (NPY_INVALID_VALUE) when its parts do not agree. */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { dtype, shape, data } = array;
  const type = NPY_TYPES[dtype] as (typeof NPY_TYPES)[keyof typeof NPY_TYPES] | undefined;
  if (!type) {
    throw new NpyError("NPY_UNSUPPORTED_DTYPE", { expected: `one of ${Object.keys(NPY_TYPES).join(", ")}`, found: JSON.stringify(dtype) });
  }
  if (!(data instanceof type.array)) {
    throw new NpyError("NPY_INVALID_VALUE", {
      expected: `a ${type.array.name} for ${dtype}${dtype === "float16" ? " (IEEE half bit patterns)" : ""}`,
      found: describeArray(data),
    });
  }
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new NpyError("NPY_INVALID_VALUE", { expected: "a shape of non-negative integers", found: `[${shape.join(", ")}]` });
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new NpyError("NPY_INVALID_VALUE", { expected: `${count} elements for shape [${shape.join(", ")}]`, found: `${data.length}` });
  }
  const header = formatNpyHeader(dtype, shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}

function describeArray(data: unknown): string {
  if (ArrayBuffer.isView(data)) return `a ${data.constructor.name}`;
  return Array.isArray(data) ? "a plain Array" : typeof data;
}
