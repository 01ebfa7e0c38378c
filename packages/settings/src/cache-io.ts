/**
 * Reading and writing runtime-cache files on disk. Writes take the
 * cross-process lock and go through write-file-atomic (write a temporary file
 * in the same directory, fsync, rename over the target), so a reader, locked
 * or not, sees either the old file or the new one, never a mix.
 * @module
 */
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import { dirname } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { decodeRuntimeCacheFile, encodeRuntimeCacheFile } from "./cache-file.js";
import { withFileLock, withFileLockSync } from "./file-lock.js";

/** What reading a cache file found. */
export type CacheReadResult =
  | { readonly kind: "ok"; readonly payload: Uint8Array }
  | { readonly kind: "missing" }
  | { readonly kind: "corrupt"; readonly error: Error }
  | { readonly kind: "unreadable"; readonly error: Error };

// Callers get a plain Uint8Array view (no copy), not a Buffer, whichever way the file was read.
function asPlainBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function fromReadError(error: unknown): CacheReadResult {
  // A missing file is the normal first run, not a problem worth a warning.
  return (error as NodeJS.ErrnoException).code === "ENOENT" ? { kind: "missing" } : { kind: "unreadable", error: error as Error };
}

function decode(file: Uint8Array): CacheReadResult {
  try {
    return { kind: "ok", payload: decodeRuntimeCacheFile(file) };
  } catch (error) {
    return { kind: "corrupt", error: error as Error };
  }
}

/** Reads and decodes the cache file at `path` (absolute). Never throws. */
export async function readCacheFile(path: string): Promise<CacheReadResult> {
  let file: Uint8Array;
  try {
    file = asPlainBytes(await fsp.readFile(path));
  } catch (error) {
    return fromReadError(error);
  }
  return decode(file);
}

/** Synchronous {@link readCacheFile}. Never throws. */
export function readCacheFileSync(path: string): CacheReadResult {
  let file: Uint8Array;
  try {
    file = asPlainBytes(fs.readFileSync(path));
  } catch (error) {
    return fromReadError(error);
  }
  return decode(file);
}

/** Encodes `payload` and replaces the file at `path` (absolute) under the lock. */
export async function writeCacheFile(path: string, payload: Uint8Array): Promise<void> {
  const contents = Buffer.from(encodeRuntimeCacheFile(payload).buffer);
  await fsp.mkdir(dirname(path), { recursive: true });
  await withFileLock(path, () => writeFileAtomic(path, contents, { fsync: true }));
}

/** Synchronous {@link writeCacheFile}, for 'exit' handlers and synchronous disposal. */
export function writeCacheFileSync(path: string, payload: Uint8Array): void {
  const contents = Buffer.from(encodeRuntimeCacheFile(payload).buffer);
  fs.mkdirSync(dirname(path), { recursive: true });
  withFileLockSync(path, () => writeFileAtomic.sync(path, contents, { fsync: true }));
}
