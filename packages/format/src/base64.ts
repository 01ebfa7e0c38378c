import { fail } from "./errors.js";
import { utf8Encode } from "./text.js";

// Standard alphabet (RFC 4648 section 4) with '=' padding: what Python's
// base64.b64encode and Torch-TensorRT's C++ encoder both write.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const ENCODE = new Uint8Array(64);
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  ENCODE[i] = ALPHABET.charCodeAt(i);
  DECODE[ALPHABET.charCodeAt(i)] = i;
}
const PAD = 0x3d; // '='

// windows-1252 agrees with ASCII on 0x00..0x7F, and base64 output is ASCII only.
const asciiDecoder = new TextDecoder("windows-1252");

/** Base64 text of `bytes` as ASCII bytes (no JS string, so it works beyond V8's string limit). */
export function base64EncodeToBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = ENCODE[n >> 18] as number;
    out[o++] = ENCODE[(n >> 12) & 63] as number;
    out[o++] = ENCODE[(n >> 6) & 63] as number;
    out[o++] = ENCODE[n & 63] as number;
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const n = ((bytes[whole] as number) << 16) | (rest === 2 ? (bytes[whole + 1] as number) << 8 : 0);
    out[o++] = ENCODE[n >> 18] as number;
    out[o++] = ENCODE[(n >> 12) & 63] as number;
    out[o++] = rest === 2 ? (ENCODE[(n >> 6) & 63] as number) : PAD;
    out[o++] = PAD;
  }
  return out;
}

/** Base64 text of `bytes`. */
export function base64Encode(bytes: Uint8Array): string {
  return asciiDecoder.decode(base64EncodeToBytes(bytes));
}

/**
 * Decodes base64 given as a string or as its ASCII bytes. Strict: only the standard
 * alphabet, padding only at the end, no whitespace; unpadded input is accepted when
 * its length is still unambiguous. Anything else is BAD_BASE64 naming `what`.
 */
export function base64Decode(input: string | Uint8Array, what: string): Uint8Array {
  // A string is turned into its UTF-8 bytes first (a fast native copy): base64 is
  // ASCII, and any non-ASCII character becomes bytes >= 0x80, which the table rejects.
  const bytes = typeof input === "string" ? utf8Encode(input) : input;
  const at = (i: number): number => bytes[i] as number;
  let len = bytes.length;
  let padding = 0;
  while (len > 0 && at(len - 1) === PAD && padding < 2) {
    len--;
    padding++;
  }
  const bad = (found: string): never =>
    fail(
      "BAD_BASE64",
      `${what} as standard base64 (A-Z a-z 0-9 + / with '=' padding)`,
      found,
      "The slot is damaged or not base64; re-export the engine, or pass the raw bytes instead.",
    );
  if (len % 4 === 1) bad(`${bytes.length} characters, which no base64 encoding produces`);
  if (padding > 0 && (len + padding) % 4 !== 0) bad(`padding that does not end a 4-character group`);
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  const whole = len - (len % 4);
  let o = 0;
  let i = 0;
  for (; i < whole; i += 4) {
    const a = DECODE[at(i)] as number;
    const b = DECODE[at(i + 1)] as number;
    const c = DECODE[at(i + 2)] as number;
    const d = DECODE[at(i + 3)] as number;
    // One check for all four: any -1 (not in the alphabet) makes the OR negative.
    if ((a | b | c | d) < 0) {
      const j = [a, b, c, d].findIndex((v) => v < 0);
      bad(`character code ${at(i + j)} at position ${i + j}`);
    }
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rest = len - whole;
  if (rest > 0) {
    const a = DECODE[at(i)] as number;
    const b = DECODE[at(i + 1)] as number;
    const c = rest === 3 ? (DECODE[at(i + 2)] as number) : 0;
    if ((a | b | c) < 0) bad(`a character outside the alphabet near position ${i}`);
    const n = (a << 18) | (b << 12) | (c << 6);
    out[o++] = n >> 16;
    if (rest === 3) out[o++] = (n >> 8) & 0xff;
  }
  return out;
}
