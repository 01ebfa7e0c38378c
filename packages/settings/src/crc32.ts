/**
 * CRC-32 (IEEE, reflected 0xEDB88320, as zlib computes it) for the cache file
 * checksum. Node's `zlib.crc32` is used where it exists (Node >= 20.15); the
 * table loop covers Node 20.9 to 20.14, and both give identical results.
 * @module
 */
import * as zlib from "node:zlib";

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The portable implementation; exported so tests can check it against zlib's. */
export function crc32Portable(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    c = (TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

// Looked up dynamically: @types/node 20 may not declare it, and Node < 20.15 lacks it.
const native = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 of `data` as an unsigned 32-bit integer. */
export function crc32(data: Uint8Array): number {
  return native === undefined ? crc32Portable(data) : native(data) >>> 0;
}
