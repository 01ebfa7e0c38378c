// The fixed records of a zip file (PKWARE APPNOTE 6.3): end of central directory,
// its zip64 locator and record, central directory headers and local headers. Each
// parser takes bytes already read and checks them against the file's size, so a
// declared offset or length can never point outside the file.

import { fail } from "../errors.js";

/** One file in a zip, as its central directory describes it. */
export interface ZipEntry {
  /** Path inside the archive ("model/data.pkl"). */
  name: string;
  /** 0 stored, 8 deflate, ... */
  method: number;
  /** General-purpose flags (bit 0: encrypted). */
  flags: number;
  crc32: number;
  compressedBytes: number;
  uncompressedBytes: number;
  /** Offset of the entry's local header. */
  localHeaderOffset: number;
}

/** Where the central directory is and how many entries it has. */
export interface CentralDirectoryLocation {
  offset: number;
  bytes: number;
  entries: number;
}

export const EOCD_BYTES = 22;
export const EOCD64_LOCATOR_BYTES = 20;
export const EOCD64_BYTES = 56;
export const LOCAL_HEADER_BYTES = 30;
/** The most a zip's tail can hold after the central directory: EOCD + longest comment. */
export const MAX_TAIL_BYTES = EOCD_BYTES + 0xffff + EOCD64_LOCATOR_BYTES;

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const ZIP64_EXTRA = 0x0001;

export const badZip = (expected: string, found: string): never =>
  fail("BAD_ZIP", expected, found, "The archive is damaged or was cut short; copy it again or re-save it with torch_tensorrt.save / torch.jit.save.");

const viewOf = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

function u64(view: DataView, offset: number, what: string): number {
  const hi = view.getUint32(offset + 4, true);
  if (hi >= 0x200000) badZip(`${what} below 2^53`, `a value with high word ${hi}`);
  return hi * 0x100000000 + view.getUint32(offset, true);
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/** True when `head` starts like a zip: a local header (every torch archive), or the end record of an empty zip. */
export function looksLikeZip(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const sig = viewOf(head).getUint32(0, true);
  return sig === SIG_LOCAL || sig === SIG_EOCD;
}

/**
 * Finds the end-of-central-directory record in `tail`, the last `tail.length`
 * bytes of a file of `size` bytes. Returns the directory's location, or where the
 * zip64 record is when the EOCD defers to it.
 */
export function parseEndOfCentralDirectory(tail: Uint8Array, size: number): CentralDirectoryLocation | { zip64RecordOffset: number } {
  const view = viewOf(tail);
  const tailStart = size - tail.length;
  // The EOCD is the last record; scan back from the end over a possible comment.
  for (let at = tail.length - EOCD_BYTES; at >= 0; at--) {
    if (view.getUint32(at, true) !== SIG_EOCD) continue;
    const commentBytes = view.getUint16(at + 20, true);
    if (at + EOCD_BYTES + commentBytes !== tail.length) continue;
    const disk = view.getUint16(at + 4, true);
    const cdDisk = view.getUint16(at + 6, true);
    if (disk !== 0 || cdDisk !== 0) fail("UNSUPPORTED_ZIP", "a single-file zip", `a zip spanning disks (disk ${disk})`, "Join the parts into one file first.");
    const entries = view.getUint16(at + 10, true);
    const bytes = view.getUint32(at + 12, true);
    const offset = view.getUint32(at + 16, true);
    if (entries === 0xffff || bytes === 0xffffffff || offset === 0xffffffff) {
      const loc = at - EOCD64_LOCATOR_BYTES;
      if (loc < 0 || view.getUint32(loc, true) !== SIG_EOCD64_LOCATOR) badZip("a zip64 locator before the end record", "none");
      const recordOffset = u64(view, loc + 8, "the zip64 record offset");
      if (recordOffset + EOCD64_BYTES > tailStart + loc) badZip(`a zip64 record before offset ${tailStart + loc}`, `offset ${recordOffset}`);
      return { zip64RecordOffset: recordOffset };
    }
    return checkLocation({ offset, bytes, entries }, tailStart + at);
  }
  return badZip("an end-of-central-directory record in the last 64 KiB", "none (not a zip, or cut short)");
}

/** Reads the zip64 end record (56 bytes at its offset). */
export function parseZip64EndOfCentralDirectory(record: Uint8Array, recordOffset: number): CentralDirectoryLocation {
  const view = viewOf(record);
  if (view.getUint32(0, true) !== SIG_EOCD64) badZip("a zip64 end record", "another signature");
  if (view.getUint32(16, true) !== 0 || view.getUint32(20, true) !== 0) fail("UNSUPPORTED_ZIP", "a single-file zip", "a zip64 archive spanning disks", "Join the parts into one file first.");
  return checkLocation(
    { entries: u64(view, 32, "the entry count"), bytes: u64(view, 40, "the directory size"), offset: u64(view, 48, "the directory offset") },
    recordOffset,
  );
}

function checkLocation(loc: CentralDirectoryLocation, endsBy: number): CentralDirectoryLocation {
  if (loc.offset + loc.bytes > endsBy) badZip(`a central directory ending by offset ${endsBy}`, `${loc.bytes} bytes at offset ${loc.offset}`);
  if (loc.entries * 46 > loc.bytes) badZip(`room for ${loc.entries} entries in the central directory`, `${loc.bytes} bytes`);
  return loc;
}

/** Parses the central directory's `count` headers; every entry must lie before `directoryOffset`. */
export function parseCentralDirectory(bytes: Uint8Array, count: number, directoryOffset: number): ZipEntry[] {
  const view = viewOf(bytes);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length) badZip(`${count} central directory headers`, `${i}`);
    if (view.getUint32(at, true) !== SIG_CENTRAL) badZip(`central directory header ${i}`, "another signature");
    const nameBytes = view.getUint16(at + 28, true);
    const extraBytes = view.getUint16(at + 30, true);
    const commentBytes = view.getUint16(at + 32, true);
    const end = at + 46 + nameBytes + extraBytes + commentBytes;
    if (end > bytes.length) badZip(`central directory header ${i} inside the directory`, "one running past its end");
    let compressedBytes = view.getUint32(at + 20, true);
    let uncompressedBytes = view.getUint32(at + 24, true);
    let localHeaderOffset = view.getUint32(at + 42, true);
    // Fields that overflowed 32 bits live, in this order, in the zip64 extra field.
    const extra = bytes.subarray(at + 46 + nameBytes, at + 46 + nameBytes + extraBytes);
    const needs = [uncompressedBytes === 0xffffffff, compressedBytes === 0xffffffff, localHeaderOffset === 0xffffffff];
    if (needs.some(Boolean)) {
      const values = zip64Values(extra, needs.filter(Boolean).length);
      let k = 0;
      if (needs[0]) uncompressedBytes = values[k++] as number;
      if (needs[1]) compressedBytes = values[k++] as number;
      if (needs[2]) localHeaderOffset = values[k++] as number;
    }
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameBytes));
    if (localHeaderOffset + LOCAL_HEADER_BYTES + compressedBytes > directoryOffset) {
      badZip(`entry ${JSON.stringify(name)} before the central directory (offset ${directoryOffset})`, `${compressedBytes} bytes at offset ${localHeaderOffset}`);
    }
    entries.push({
      name,
      method: view.getUint16(at + 10, true),
      flags: view.getUint16(at + 8, true),
      crc32: view.getUint32(at + 16, true),
      compressedBytes,
      uncompressedBytes,
      localHeaderOffset,
    });
    at = end;
  }
  return entries;
}

function zip64Values(extra: Uint8Array, wanted: number): number[] {
  const view = viewOf(extra);
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (at + 4 + length > extra.length) break;
    if (id === ZIP64_EXTRA) {
      if (length < wanted * 8) badZip(`${wanted} values in the zip64 extra field`, `${length} bytes`);
      return Array.from({ length: wanted }, (_, i) => u64(view, at + 4 + i * 8, "a zip64 size or offset"));
    }
    at += 4 + length;
  }
  return badZip("a zip64 extra field for sizes over 4 GiB", "none");
}

/** Checks a local header and returns the offset of the entry's data. */
export function dataOffset(localHeader: Uint8Array, entry: ZipEntry): number {
  const view = viewOf(localHeader);
  if (localHeader.length < LOCAL_HEADER_BYTES || view.getUint32(0, true) !== SIG_LOCAL) {
    badZip(`a local header for ${JSON.stringify(entry.name)} at offset ${entry.localHeaderOffset}`, "another signature");
  }
  return entry.localHeaderOffset + LOCAL_HEADER_BYTES + view.getUint16(26, true) + view.getUint16(28, true);
}
