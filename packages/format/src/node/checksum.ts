import * as zlib from "node:zlib";
import { crc32, type Crc32Function } from "../crc32.js";

// zlib.crc32 (Node >= 20.15, 22.2) is the same CRC-32 as the core's table-driven
// one, several times faster. Older Node 20 releases lack it; the core loop serves.
type NativeCrc = (data: Uint8Array, value?: number) => number;
const native = (zlib as unknown as { crc32?: NativeCrc }).crc32;

// zlib takes a 32-bit length; feed it at most 1 GiB at a time.
const PIECE = 1 << 30;

/** CRC-32 using Node's native zlib when available, else the portable table-driven loop. */
export const nodeCrc32: Crc32Function =
  typeof native === "function"
    ? (data, previous = 0) => {
        let crc = previous >>> 0;
        for (let i = 0; i < data.length; i += PIECE) crc = native(data.subarray(i, Math.min(i + PIECE, data.length)), crc);
        if (data.length === 0) crc = native(data, crc);
        return crc >>> 0;
      }
    : crc32;

/** Whether {@link nodeCrc32} is the native implementation. */
export const hasNativeCrc32: boolean = typeof native === "function";
