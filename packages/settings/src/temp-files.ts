/**
 * Names of the temporary files a cache save writes beside the cache file, and
 * which of them a later save or load may delete.
 *
 * A save writes `<cache>.<pid>.<token>.<n>.trtcache-tmp` and renames it over
 * `<cache>`: `<cache>` is the cache file's own name, `<pid>` the writer's
 * process id, `<token>` 8 lowercase hex digits chosen at random once per
 * process, `<n>` a counter. A writer killed between the two steps (SIGKILL,
 * power loss) leaves its file behind. The name says whose it is, so the next
 * save or load of the same cache, holding the cache's lock, removes it once
 * that writer is known to be gone:
 *
 * - `<pid>` is another process's and no process with that id exists
 *   (`process.kill(pid, 0)` fails with ESRCH; EPERM means it exists); or
 * - `<pid>` is this process's but `<token>` is not: the file is from an earlier
 *   process that had the same id, as a service restarted in a container
 *   usually does.
 *
 * A pid that exists is never judged, even if it now belongs to an unrelated
 * process: that file stays until the id is free. Names that do not parse
 * exactly, or that begin with another file's name, are not touched.
 * @module
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { sharedFields } from "./shared-state.js";

/** The ending of every temporary cache file's name. */
export const TEMP_FILE_SUFFIX = ".trtcache-tmp";

// <pid>.<token>.<n>: bounded digits, so nothing parses into a pid process.kill refuses.
const WRITER_PART = /^([1-9][0-9]{0,9})\.([0-9a-f]{8})\.([0-9]{1,15})$/;

/** Who wrote a temporary file, read from its name. */
export interface TempFileWriter {
  readonly pid: number;
  readonly token: string;
}

/** What names this process's temporary cache files. */
interface TempWriterState {
  /** Random hex, telling this process from an earlier one that had the same pid. */
  readonly token: string;
  /** Files named so far; each name's last number. */
  counter: number;
}

function writerState(): TempWriterState {
  // Process-wide, made on first use (optional: a copy of the package from before it existed may have made the record).
  const state = sharedFields<{ tempWriter?: TempWriterState }>();
  state.tempWriter ??= { token: randomBytes(4).toString("hex"), counter: 0 };
  return state.tempWriter;
}

/** This process's identity in temporary file names. */
export function currentTempWriter(): TempFileWriter {
  return { pid: process.pid, token: writerState().token };
}

/** A fresh temporary file name (no directory) for the cache file named `cacheName`. */
export function nextTempFileName(cacheName: string): string {
  const writer = writerState();
  writer.counter++;
  return `${cacheName}.${process.pid}.${writer.token}.${writer.counter}${TEMP_FILE_SUFFIX}`;
}

/** The writer named by `fileName` when it is a temporary file of the cache file `cacheName`, else null. */
export function parseTempFileName(cacheName: string, fileName: string): TempFileWriter | null {
  const prefix = `${cacheName}.`;
  if (!fileName.startsWith(prefix) || !fileName.endsWith(TEMP_FILE_SUFFIX)) return null;
  const middle = fileName.slice(prefix.length, fileName.length - TEMP_FILE_SUFFIX.length);
  const match = WRITER_PART.exec(middle);
  return match === null ? null : { pid: Number(match[1]), token: match[2]! };
}

/** Whether a process with id `pid` exists. Anything but ESRCH counts as yes, so a doubt keeps the file. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Whether the writer of a temporary file is gone for good (the rules in this module's header). */
export function isAbandoned(writer: TempFileWriter, self: TempFileWriter = currentTempWriter(), exists: (pid: number) => boolean = processExists): boolean {
  if (writer.pid === self.pid) return writer.token !== self.token;
  return !exists(writer.pid);
}

/** The entries of `names` that are abandoned temporary files of the cache file at `target`. */
export function abandonedTempFiles(target: string, names: readonly string[]): string[] {
  const cacheName = basename(target);
  const self = currentTempWriter();
  return names.filter((name) => {
    const writer = parseTempFileName(cacheName, name);
    return writer !== null && isAbandoned(writer, self);
  });
}

/**
 * Deletes the abandoned temporary files of the cache file at `target` (its
 * real path: temporary files sit beside the file a symlink points to). Call
 * with the cache's lock held. Best effort: a directory that cannot be listed,
 * or a file that cannot be deleted, is left as it is.
 */
export async function removeAbandonedTempFiles(target: string): Promise<void> {
  const dir = dirname(target);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  await Promise.all(abandonedTempFiles(target, names).map((name) => fsp.rm(join(dir, name), { force: true }).catch(() => undefined)));
}

/** Synchronous {@link removeAbandonedTempFiles}. */
export function removeAbandonedTempFilesSync(target: string): void {
  const dir = dirname(target);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of abandonedTempFiles(target, names)) {
    try {
      fs.rmSync(join(dir, name), { force: true });
    } catch {
      // Left for a later save or load.
    }
  }
}
