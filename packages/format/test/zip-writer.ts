// A small zip writer for tests: builds the archives the reader must accept (stored
// entries, zip64 records) and the ones it must refuse (deflated, encrypted, lying
// sizes), byte by byte, so each case is exactly what it claims to be.
import { deflateRawSync } from "node:zlib";
import { concatChunks } from "../src/concat.js";
import { crc32 } from "../src/container-entry.js";

export interface TestZipEntry {
  name: string;
  data: Uint8Array;
  /** 0 stored (default) or 8 deflate. */
  method?: 0 | 8;
  flags?: number;
  /** Declared uncompressed size instead of the real one. */
  declaredBytes?: number;
}

export interface TestZipOptions {
  /** Write zip64 end records and size/offset extras even where 32 bits suffice. */
  zip64?: boolean;
  comment?: string;
}

const enc = new TextEncoder();

export function writeTestZip(entries: TestZipEntry[], options: TestZipOptions = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const body = e.method === 8 ? new Uint8Array(deflateRawSync(e.data)) : e.data;
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, options.zip64 ? 45 : 20, true);
    lv.setUint16(6, e.flags ?? 0, true);
    lv.setUint16(8, e.method ?? 0, true);
    lv.setUint32(14, crc32(e.data), true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, e.declaredBytes ?? e.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const extra = options.zip64 ? new Uint8Array(4 + 24) : new Uint8Array(0);
    if (options.zip64) {
      const ev = new DataView(extra.buffer);
      ev.setUint16(0, 1, true);
      ev.setUint16(2, 24, true);
      ev.setBigUint64(4, BigInt(e.declaredBytes ?? e.data.length), true);
      ev.setBigUint64(12, BigInt(body.length), true);
      ev.setBigUint64(20, BigInt(offset), true);
    }
    const cd = new Uint8Array(46 + name.length + extra.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 45, true);
    cv.setUint16(6, options.zip64 ? 45 : 20, true);
    cv.setUint16(8, e.flags ?? 0, true);
    cv.setUint16(10, e.method ?? 0, true);
    cv.setUint32(16, crc32(e.data), true);
    cv.setUint32(20, options.zip64 ? 0xffffffff : body.length, true);
    cv.setUint32(24, options.zip64 ? 0xffffffff : (e.declaredBytes ?? e.data.length), true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extra.length, true);
    cv.setUint32(42, options.zip64 ? 0xffffffff : offset, true);
    cd.set(name, 46);
    cd.set(extra, 46 + name.length);
    central.push(cd);
    parts.push(local, body);
    offset += local.length + body.length;
  }
  const cdBytes = central.reduce((n, c) => n + c.length, 0);
  const cdOffset = offset;
  parts.push(...central);
  offset += cdBytes;
  if (options.zip64) {
    const rec = new Uint8Array(56);
    const rv = new DataView(rec.buffer);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setUint16(12, 45, true);
    rv.setUint16(14, 45, true);
    rv.setBigUint64(24, BigInt(entries.length), true);
    rv.setBigUint64(32, BigInt(entries.length), true);
    rv.setBigUint64(40, BigInt(cdBytes), true);
    rv.setBigUint64(48, BigInt(cdOffset), true);
    const loc = new Uint8Array(20);
    const locv = new DataView(loc.buffer);
    locv.setUint32(0, 0x07064b50, true);
    locv.setBigUint64(8, BigInt(offset), true);
    locv.setUint32(16, 1, true);
    parts.push(rec, loc);
  }
  const comment = enc.encode(options.comment ?? "");
  const end = new Uint8Array(22 + comment.length);
  const dv = new DataView(end.buffer);
  dv.setUint32(0, 0x06054b50, true);
  dv.setUint16(8, options.zip64 ? 0xffff : entries.length, true);
  dv.setUint16(10, options.zip64 ? 0xffff : entries.length, true);
  dv.setUint32(12, options.zip64 ? 0xffffffff : cdBytes, true);
  dv.setUint32(16, options.zip64 ? 0xffffffff : cdOffset, true);
  dv.setUint16(20, comment.length, true);
  end.set(comment, 22);
  parts.push(end);
  return concatChunks(parts);
}
