/**
 * Reading and writing runtime-cache files on disk. Writes take the
 * cross-process lock and replace the file through a temporary file in the
 * same directory (write, fsync, rename over the target), so a reader, locked
 * or not, sees either the old file or the new one, never a mix. Saves and
 * loads also delete the temporary files that writers killed mid-save left
 * behind (temp-files.ts says which), always under the lock.
 * @module
 */
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import { dirname } from "node:path";
import { replaceFile, replaceFileSync, writeTarget, writeTargetSync } from "./atomic-write.js";
import { decodeRuntimeCacheFile, encodeRuntimeCacheFile } from "./cache-file.js";
import { ifFileLockFree, ifFileLockFreeSync, withFileLock, withFileLockSync } from "./file-lock.js";
import { removeAbandonedTempFiles, removeAbandonedTempFilesSync } from "./temp-files.js";

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

/**
 * Reads and decodes the cache file at `path` (absolute), then removes
 * abandoned temporary files of it if the lock is free at once (a load never
 * waits for the lock; the next save, which does, removes them otherwise).
 * Never throws.
 */
export async function readCacheFile(path: string): Promise<CacheReadResult> {
  let result: CacheReadResult;
  try {
    result = decode(asPlainBytes(await fsp.readFile(path)));
  } catch (error) {
    result = fromReadError(error);
  }
  // Best effort, like the clean-up itself: a lock that cannot be released must not fail a load.
  await ifFileLockFree(path, async () => removeAbandonedTempFiles(await writeTarget(path))).catch(() => undefined);
  return result;
}

/** Synchronous {@link readCacheFile}. Never throws. */
export function readCacheFileSync(path: string): CacheReadResult {
  let result: CacheReadResult;
  try {
    result = decode(asPlainBytes(fs.readFileSync(path)));
  } catch (error) {
    result = fromReadError(error);
  }
  try {
    ifFileLockFreeSync(path, () => removeAbandonedTempFilesSync(writeTargetSync(path)));
  } catch {
    // As in readCacheFile.
  }
  return result;
}

/**
 * Encodes `payload` and replaces the file at `path` (absolute) under the
 * lock, first removing abandoned temporary files of it.
 */
export async function writeCacheFile(path: string, payload: Uint8Array): Promise<void> {
  const contents = encodeRuntimeCacheFile(payload);
  await fsp.mkdir(dirname(path), { recursive: true });
  await withFileLock(path, async () => {
    const target = await writeTarget(path);
    await removeAbandonedTempFiles(target);
    await replaceFile(target, contents);
  });
}

/** Synchronous {@link writeCacheFile}, for 'exit' handlers and synchronous disposal. */
export function writeCacheFileSync(path: string, payload: Uint8Array): void {
  const contents = encodeRuntimeCacheFile(payload);
  fs.mkdirSync(dirname(path), { recursive: true });
  withFileLockSync(path, (locked) => {
    const target = writeTargetSync(path);
    // Without the lock (see withFileLockSync), another save may be writing: clean up next time.
    if (locked) removeAbandonedTempFilesSync(target);
    replaceFileSync(target, contents);
  });
}
