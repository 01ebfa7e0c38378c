/**
 * Decoding a whole .npy file into a typed array. The elements are copied into
 * a fresh array of their own type: the file's data offset is 64-byte aligned,
 * but the buffer Node read it into may not be, and a copy also frees the
 * caller from keeping the file's bytes alive. Little-endian hosts only (every
 * platform the runtime supports), so the stored bytes are the array's bytes.
 */
import { NPY_TYPES } from "./dtypes.js";
import type { NpyArray } from "./dtypes.js";
import { NpyError } from "./errors.js";
import { readNpyHeader } from "./header.js";

/** The array stored in `bytes` (a whole .npy file); NpyError when it cannot be read exactly. */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  const header = readNpyHeader(bytes);
  const type = NPY_TYPES[header.dtype];
  const count = header.shape.reduce((a, b) => a * b, 1);
  const byteLength = count * type.itemSize;
  const available = bytes.length - header.dataOffset;
  if (!Number.isSafeInteger(byteLength) || available !== byteLength) {
    const shape = `(${header.shape.join(", ")})`;
    throw new NpyError(available < byteLength ? "NPY_TRUNCATED" : "NPY_SIZE_MISMATCH", {
      expected: `${byteLength} bytes of data for shape ${shape} of ${header.dtype}`,
      found: `${available} bytes after the header`,
      hint: available < byteLength ? "The file was cut short" : "The file has bytes after the array; it may be several arrays appended",
    });
  }
  const data = new type.array(count);
  new Uint8Array(data.buffer).set(bytes.subarray(header.dataOffset));
  return { dtype: header.dtype, shape: header.shape, data } as NpyArray;
}
