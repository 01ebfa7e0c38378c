// A minimal pickle writer: just the opcodes needed to write lists and tuples of
// str and bytes that Python's pickle.load reads back. No memo is written (the
// memo is an optimisation for shared references, which these values never have).

import { fail } from "../errors.js";
import { utf8Encode, utf8OfLatin1 } from "../text.js";
import { OP } from "./opcodes.js";

/** Protocols the writer can produce. */
export type PickleProtocol = 2 | 3 | 4 | 5;

// Payloads at least this large are handed out as their own chunk instead of being
// copied into the opcode buffer (the engine, mostly).
const SEPARATE_PAYLOAD_BYTES = 64 * 1024;
const U32_LIMIT = 0x100000000;

/** Builds a pickle as a list of chunks; large payloads stay the caller's views. */
export class PickleWriter {
  private readonly out: Uint8Array[] = [];
  private buffer = new Uint8Array(256);
  private used = 0;

  /** Starts a pickle of `protocol` (writes PROTO). */
  constructor(readonly protocol: PickleProtocol) {
    if (![2, 3, 4, 5].includes(protocol)) {
      fail("INVALID_VALUE", "pickle protocol 2, 3, 4 or 5", String(protocol), "Pick a protocol Python 3 reads.");
    }
    this.op(OP.PROTO, protocol);
  }

  private ensure(n: number): void {
    if (this.used + n <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.used + n));
    next.set(this.buffer.subarray(0, this.used));
    this.buffer = next;
  }

  private op(...codes: number[]): void {
    this.ensure(codes.length);
    for (const c of codes) this.buffer[this.used++] = c;
  }

  private length(n: number, width: 1 | 4 | 8): void {
    this.ensure(width);
    const view = new DataView(this.buffer.buffer, this.used, width);
    if (width === 1) view.setUint8(0, n);
    else if (width === 4) view.setUint32(0, n, true);
    else {
      view.setUint32(0, n % U32_LIMIT, true);
      view.setUint32(4, Math.floor(n / U32_LIMIT), true);
    }
    this.used += width;
  }

  private payload(bytes: Uint8Array): void {
    if (bytes.length < SEPARATE_PAYLOAD_BYTES) {
      this.ensure(bytes.length);
      this.buffer.set(bytes, this.used);
      this.used += bytes.length;
      return;
    }
    this.flush();
    this.out.push(bytes);
  }

  private flush(): void {
    if (this.used === 0) return;
    this.out.push(this.buffer.slice(0, this.used));
    this.used = 0;
  }

  private tooLarge(what: string, n: number): never {
    return fail("TOO_LARGE", `${what} below 4 GiB for pickle protocol ${this.protocol}`, `${n} bytes`, "Use pickle protocol 4 or 5, which have 64-bit lengths.");
  }

  /** Writes a str given as its UTF-8 bytes (lets huge ASCII text skip JS strings). */
  strUtf8(utf8: Uint8Array): this {
    const n = utf8.length;
    if (this.protocol >= 4 && n < 256) {
      this.op(OP.SHORT_BINUNICODE);
      this.length(n, 1);
    } else if (n < U32_LIMIT) {
      this.op(OP.BINUNICODE);
      this.length(n, 4);
    } else if (this.protocol >= 4) {
      this.op(OP.BINUNICODE8);
      this.length(n, 8);
    } else this.tooLarge("a str", n);
    this.payload(utf8);
    return this;
  }

  /** Writes a str. */
  str(text: string): this {
    return this.strUtf8(utf8Encode(text));
  }

  /**
   * Writes bytes. Protocol 2 has no bytes opcode, so like Python it writes
   * `_codecs.encode(<latin-1 text>, "latin1")`, which doubles bytes >= 0x80.
   */
  bytes(data: Uint8Array): this {
    const n = data.length;
    if (this.protocol === 2) {
      this.op(OP.GLOBAL, ...utf8Encode("_codecs\nencode\n"));
      this.strUtf8(utf8OfLatin1(data)).str("latin1");
      this.op(OP.TUPLE2, OP.REDUCE);
      return this;
    }
    if (n < 256) {
      this.op(OP.SHORT_BINBYTES);
      this.length(n, 1);
    } else if (n < U32_LIMIT) {
      this.op(OP.BINBYTES);
      this.length(n, 4);
    } else if (this.protocol >= 4) {
      this.op(OP.BINBYTES8);
      this.length(n, 8);
    } else this.tooLarge("bytes", n);
    this.payload(data);
    return this;
  }

  /** Opens a list: the items written next, up to {@link endList}, go into it. */
  beginList(): this {
    this.op(OP.EMPTY_LIST, OP.MARK);
    return this;
  }

  /** Closes the list opened by {@link beginList}. */
  endList(): this {
    this.op(OP.APPENDS);
    return this;
  }

  /** Opens a tuple: the items written next, up to {@link endTuple}, form it. */
  beginTuple(): this {
    this.op(OP.MARK);
    return this;
  }

  /** Closes the tuple opened by {@link beginTuple}. */
  endTuple(): this {
    this.op(OP.TUPLE);
    return this;
  }

  /** Writes a list of str. */
  strList(items: readonly string[]): this {
    this.beginList();
    for (const s of items) this.str(s);
    return this.endList();
  }

  /** Ends the pickle and returns its chunks in order. */
  finish(): Uint8Array[] {
    this.op(OP.STOP);
    this.flush();
    return this.out;
  }
}
