// Decoding of the pickle's scalar encodings: text-protocol numbers, little-endian
// two's-complement longs, and the escaped string forms of protocol 0.

import { fail } from "../errors.js";

/** Same limit as CPython's int max_str_digits: decimal-to-bigint is quadratic beyond it. */
export const MAX_DECIMAL_DIGITS = 4300;
/** Largest LONG1/LONG4 payload accepted (bytes); bounds bigint work on hostile input. */
export const MAX_LONG_BYTES = 64 * 1024;

function badPickle(expected: string, found: string): never {
  return fail("BAD_PICKLE", expected, found, "The pickle is damaged or was not written by Python's pickle module.");
}

/** A JS number when the integer is exactly representable, else a bigint. */
export function narrow(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** Parses a decimal integer line (INT, LONG, PUT/GET indexes); `L` suffix allowed for LONG. */
export function parseDecimal(text: string, what: string): number | bigint {
  const body = text.endsWith("L") ? text.slice(0, -1) : text;
  if (!/^[+-]?[0-9]+$/.test(body)) badPickle(`${what} as a decimal integer`, JSON.stringify(text.slice(0, 40)));
  if (body.replace(/^[+-]/, "").length > MAX_DECIMAL_DIGITS) {
    badPickle(`${what} with at most ${MAX_DECIMAL_DIGITS} digits`, `${body.length} digits`);
  }
  return narrow(BigInt(body));
}

/** Parses a FLOAT line as Python's float() would for repr output. */
export function parseFloatLine(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === "inf" || t === "+inf") return Infinity;
  if (t === "-inf") return -Infinity;
  if (t === "nan" || t === "+nan" || t === "-nan") return NaN;
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (Number.isNaN(n)) badPickle("a float literal", JSON.stringify(text.slice(0, 40)));
  return n;
}

/** Little-endian two's-complement integer of `bytes` (LONG1/LONG4 payload). */
export function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  if (bytes.length > MAX_LONG_BYTES) badPickle(`a long of at most ${MAX_LONG_BYTES} bytes`, `${bytes.length} bytes`);
  let hex = "";
  for (let i = bytes.length - 1; i >= 0; i--) hex += (bytes[i] as number).toString(16).padStart(2, "0");
  let value = BigInt(`0x${hex}`);
  if (((bytes[bytes.length - 1] as number) & 0x80) !== 0) value -= 1n << BigInt(bytes.length * 8);
  return narrow(value);
}

/** One char per byte. */
export function latin1String(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(i + 8192, bytes.length)));
  }
  return s;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v", "\n": "" };

/** The body of a protocol-0 STRING (a quoted Python 2 `repr`), unescaped. */
export function parseQuotedString(text: string): string {
  const q = text[0];
  if (text.length < 2 || (q !== "'" && q !== '"') || text[text.length - 1] !== q) {
    badPickle("a quoted string", JSON.stringify(text.slice(0, 40)));
  }
  const body = text.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[i + 1] ?? "";
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 1;
    } else if (e === "x" && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 2, i + 4))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (/^[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? "";
      out += String.fromCharCode(parseInt(digits, 8) & 0xff);
      i += digits.length;
    } else {
      out += c; // Python keeps unknown escapes as written
    }
  }
  return out;
}

/** A protocol-0 UNICODE line ("raw-unicode-escape": only \uXXXX and \UXXXXXXXX are escapes). */
export function parseRawUnicodeEscape(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, u4: string | undefined, u8: string | undefined) => {
    const cp = parseInt((u4 ?? u8) as string, 16);
    if (cp > 0x10ffff) badPickle("a code point up to U+10FFFF", `U+${cp.toString(16)}`);
    return String.fromCodePoint(cp);
  });
}
