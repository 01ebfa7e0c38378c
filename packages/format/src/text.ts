import { fail } from "./errors.js";

// TextEncoder/TextDecoder are globals in every supported runtime (Node 20, browsers),
// so the core entry needs no `node:` import for text.
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** UTF-8 bytes of `text`. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, rejecting malformed input with BAD_UTF8 (`what` names the field). */
export function utf8Decode(bytes: Uint8Array, what: string): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return fail(
      "BAD_UTF8",
      `${what} as UTF-8 text`,
      `${bytes.length} bytes that are not valid UTF-8`,
      "The slot is damaged or holds binary data where text belongs; re-export the engine.",
    );
  }
}

/** Decodes UTF-8, replacing malformed sequences with U+FFFD; never throws. */
export function utf8DecodeLenient(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/**
 * Bytes of a string whose characters are all below U+0100, one byte per character
 * (Python's "latin-1"). Used for the engine slot of ABI 2/3 tuples and for the
 * `_codecs.encode(text, "latin1")` form that pickle protocol 2 uses for `bytes`.
 */
export function latin1Encode(text: string, what: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) {
      fail(
        "BAD_SLOT_TYPE",
        `${what} as text with one byte per character (latin-1)`,
        `character U+${c.toString(16).toUpperCase().padStart(4, "0")} at position ${i}`,
        "The slot does not hold latin-1 encoded bytes; re-export the engine.",
      );
    }
    out[i] = c;
  }
  return out;
}

/**
 * Same as {@link latin1Encode} but straight from the UTF-8 bytes of such a string,
 * so a 2 GiB pickled text never has to become a JS string. Each character below
 * U+0080 is one UTF-8 byte, each in U+0080..U+00FF is 0xC2/0xC3 plus one byte.
 */
export function latin1FromUtf8(bytes: Uint8Array, what: string): Uint8Array {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) < 0x80 || (bytes[i] as number) >= 0xc0) n++;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      out[o++] = b;
      i += 1;
      continue;
    }
    const next = bytes[i + 1];
    if ((b === 0xc2 || b === 0xc3) && next !== undefined && (next & 0xc0) === 0x80) {
      out[o++] = ((b & 0x03) << 6) | (next & 0x3f);
      i += 2;
      continue;
    }
    fail(
      "BAD_SLOT_TYPE",
      `${what} as latin-1 text (characters U+0000..U+00FF)`,
      `UTF-8 byte 0x${b.toString(16)} at offset ${i}, which starts a character above U+00FF or is malformed`,
      "The pickle does not hold latin-1 encoded bytes here; re-export the engine.",
    );
  }
  return o === n ? out : out.subarray(0, o);
}

/** UTF-8 bytes of the latin-1 string whose byte values are `bytes` (inverse of {@link latin1FromUtf8}). */
export function utf8OfLatin1(bytes: Uint8Array): Uint8Array {
  let extra = 0;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) extra++;
  const out = new Uint8Array(bytes.length + extra);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b < 0x80) out[o++] = b;
    else {
      out[o++] = 0xc0 | (b >> 6);
      out[o++] = 0x80 | (b & 0x3f);
    }
  }
  return out;
}

/**
 * UTF-8 text kept as bytes. The pickle reader returns large strings this way so an
 * engine stored as base64 or latin-1 text can be decoded without first building a
 * JS string (V8 caps strings near 512 M characters).
 */
export class Utf8Text {
  /** Wraps the UTF-8 bytes of the text (a view; not copied). */
  constructor(readonly bytes: Uint8Array) {}
  /** The text as a string (throws RangeError past V8's string limit). */
  toString(): string {
    return utf8DecodeLenient(this.bytes);
  }
}
