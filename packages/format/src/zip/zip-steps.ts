// Reading a zip from a random-access source as a sequence of ReadRequests (the
// pattern the container reader uses), so files, Blobs and in-memory bytes share one
// parser and only the central directory and the entries asked for are ever read:
// a multi-GiB archive costs the size of the entry that holds the engine, not more.

import type { ReadRequest } from "../container-reader.js";
import { crc32 as jsCrc32, type Crc32Function } from "../crc32.js";
import { fail } from "../errors.js";
import {
  badZip,
  dataOffset,
  EOCD64_BYTES,
  LOCAL_HEADER_BYTES,
  MAX_TAIL_BYTES,
  parseCentralDirectory,
  parseEndOfCentralDirectory,
  parseZip64EndOfCentralDirectory,
  type ZipEntry,
} from "./records.js";

/** A zip's central directory. */
export interface ZipDirectory {
  /** Total size of the archive. */
  size: number;
  /** Where the central directory starts; every entry lies before it. */
  directoryOffset: number;
  /** Entries in directory order. */
  entries: ZipEntry[];
}

/** Limits that keep a hostile archive from taking unbounded memory. */
export interface ZipReadOptions {
  /** Largest central directory read (default 64 MiB: about a million entries). */
  maxDirectoryBytes?: number;
  /** Largest entry read into memory (default: no limit below the platform's). */
  maxEntryBytes?: number;
  /** CRC-32 used to check entries (default: the package's own). */
  checksum?: Crc32Function;
  /** Check each entry's CRC-32 (default true). */
  verifyChecksum?: boolean;
}

const DEFAULT_MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

/** Yields one read of `into` at `position` and insists it was filled. */
export function* readExactly(position: number, into: Uint8Array, what: string): Generator<ReadRequest, Uint8Array, number> {
  const got = yield { position, into };
  if (got !== into.length) fail("TRUNCATED", `${into.length} bytes of ${what} at offset ${position}`, `${got} bytes`, "The file changed or was cut short while being read; try again.");
  return into;
}

/** Reads the central directory of a zip of `size` bytes. */
export function* readZipDirectory(size: number, options: ZipReadOptions = {}): Generator<ReadRequest, ZipDirectory, number> {
  const tailBytes = Math.min(size, MAX_TAIL_BYTES);
  const tail = yield* readExactly(size - tailBytes, new Uint8Array(tailBytes), "the zip's end records");
  let location = parseEndOfCentralDirectory(tail, size);
  if ("zip64RecordOffset" in location) {
    const record = yield* readExactly(location.zip64RecordOffset, new Uint8Array(EOCD64_BYTES), "the zip64 end record");
    location = parseZip64EndOfCentralDirectory(record, location.zip64RecordOffset);
  }
  const maxDirectory = options.maxDirectoryBytes ?? DEFAULT_MAX_DIRECTORY_BYTES;
  if (location.bytes > maxDirectory) {
    fail("TOO_LARGE", `a central directory of at most ${maxDirectory} bytes`, `${location.bytes} bytes (${location.entries} entries)`, "This is not an archive PyTorch or Torch-TensorRT writes.");
  }
  const directory = yield* readExactly(location.offset, new Uint8Array(location.bytes), "the central directory");
  return { size, directoryOffset: location.offset, entries: parseCentralDirectory(directory, location.entries, location.offset) };
}

/** Refuses what this reader does not read (encrypted, compressed, oversized entries); returns the entry's label. */
function checkStoredEntry(entry: ZipEntry, options: ZipReadOptions): string {
  const label = JSON.stringify(entry.name);
  if ((entry.flags & 1) !== 0) fail("UNSUPPORTED_ZIP", `an unencrypted entry ${label}`, "an encrypted one", "Decrypt the archive first.");
  if (entry.method !== 0) {
    fail(
      "UNSUPPORTED_ZIP",
      `entry ${label} stored uncompressed (as torch.save, torch.jit.save and torch_tensorrt.save write it)`,
      `compression method ${entry.method}${entry.method === 8 ? " (deflate)" : ""}`,
      "The archive was re-packed by another tool; save it again from PyTorch, or re-zip it with `zip -0`.",
    );
  }
  if (entry.compressedBytes !== entry.uncompressedBytes) badZip(`a stored entry ${label} with equal sizes`, `${entry.compressedBytes} and ${entry.uncompressedBytes}`);
  const max = options.maxEntryBytes ?? Number.MAX_SAFE_INTEGER;
  if (entry.uncompressedBytes > max) {
    fail("TOO_LARGE", `entry ${label} of at most ${max} bytes (this platform's largest buffer)`, `${entry.uncompressedBytes} bytes`, "Node 20 buffers stop at 4 GiB; split the model into smaller engines.");
  }
  return label;
}

/** Where the entry's data starts, from its local header; the data must end before the central directory. */
function dataStart(zip: ZipDirectory, entry: ZipEntry, header: Uint8Array, label: string): number {
  const start = dataOffset(header, entry);
  if (start + entry.uncompressedBytes > zip.directoryOffset) badZip(`entry ${label} before the central directory`, `${entry.uncompressedBytes} bytes at offset ${start}`);
  return start;
}

function checkCrc(entry: ZipEntry, data: Uint8Array, options: ZipReadOptions, label: string): Uint8Array {
  if (options.verifyChecksum !== false) {
    const crc = (options.checksum ?? jsCrc32)(data) >>> 0;
    if (crc !== entry.crc32 >>> 0) badZip(`CRC-32 ${hex(entry.crc32)} for entry ${label}`, hex(crc));
  }
  return data;
}

/**
 * Reads one entry's bytes. Only stored entries (what PyTorch's writer produces)
 * are read; their declared size is checked against the file, so a "zip bomb"
 * cannot make the reader allocate more than the file holds.
 */
export function* readZipEntry(zip: ZipDirectory, entry: ZipEntry, options: ZipReadOptions = {}): Generator<ReadRequest, Uint8Array, number> {
  const label = checkStoredEntry(entry, options);
  const header = yield* readExactly(entry.localHeaderOffset, new Uint8Array(LOCAL_HEADER_BYTES), `the local header of ${label}`);
  const start = dataStart(zip, entry, header, label);
  return checkCrc(entry, yield* readExactly(start, new Uint8Array(entry.uncompressedBytes), `entry ${label}`), options, label);
}

/**
 * {@link readZipEntry} over a zip already in memory (`bytes`, the whole zip):
 * the entry as a view into `bytes`, not a copy, so a nested zip holding a GB
 * engine is not held twice.
 */
export function zipEntryView(zip: ZipDirectory, entry: ZipEntry, bytes: Uint8Array, options: ZipReadOptions = {}): Uint8Array {
  const label = checkStoredEntry(entry, options);
  const header = bytes.subarray(entry.localHeaderOffset, entry.localHeaderOffset + LOCAL_HEADER_BYTES);
  if (header.length < LOCAL_HEADER_BYTES) fail("TRUNCATED", `the local header of ${label} at offset ${entry.localHeaderOffset}`, `${header.length} bytes`, "The archive was cut short; copy it again.");
  const start = dataStart(zip, entry, header, label);
  return checkCrc(entry, bytes.subarray(start, start + entry.uncompressedBytes), options, label);
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, "0")}`;

/** Drives a step generator against bytes already in memory (the browser and nested-zip case). */
export function runStepsOnBytes<T>(steps: Generator<ReadRequest, T, number>, bytes: Uint8Array): T {
  let step = steps.next();
  while (!step.done) {
    const { position, into } = step.value;
    const available = bytes.subarray(Math.min(position, bytes.length), Math.min(position + into.length, bytes.length));
    into.set(available);
    step = steps.next(available.length);
  }
  return step.value;
}
