/**
 * Replacing a file so that readers see the old contents or the new, never a
 * mix: write a temporary file beside it (named by temp-files.ts, so a later
 * save can tell whether its writer is gone), fsync it, rename it over the
 * target. The caller holds the cache's lock.
 * @module
 */
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { nextTempFileName } from "./temp-files.js";

let afterTempWritten: ((tempPath: string) => void) | null = null;

/**
 * Test hook: `hook` runs after the temporary file is complete (written,
 * fsynced and closed) and before it is renamed, so a test can stop a writer
 * at exactly that point. Not exported from the package; null removes it.
 */
export function setAfterTempWrittenHook(hook: ((tempPath: string) => void) | null): void {
  afterTempWritten = hook;
}

/**
 * The file a write to `path` replaces: a symlink's target, so the link stays a
 * link and the temporary file sits beside the file it replaces. `path` itself
 * when it does not exist yet.
 */
export async function writeTarget(path: string): Promise<string> {
  return fsp.realpath(path).catch(() => path);
}

/** Synchronous {@link writeTarget}. */
export function writeTargetSync(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return path;
  }
}

// The replaced file's permission bits carry over (and its owner, where only
// root could change it back); best effort, as a file system without
// permissions refuses both.
async function copyPermissions(handle: fsp.FileHandle, previous: fs.Stats | null): Promise<void> {
  if (previous === null) return;
  await handle.chmod(previous.mode & 0o7777).catch(() => undefined);
  if (process.getuid?.() === 0) await handle.chown(previous.uid, previous.gid).catch(() => undefined);
}

function copyPermissionsSync(fd: number, previous: fs.Stats | null): void {
  if (previous === null) return;
  try {
    fs.fchmodSync(fd, previous.mode & 0o7777);
    if (process.getuid?.() === 0) fs.fchownSync(fd, previous.uid, previous.gid);
  } catch {
    // As in copyPermissions.
  }
}

/** Replaces the file `target` (a real path, see {@link writeTarget}) with `data`. */
export async function replaceFile(target: string, data: Uint8Array): Promise<void> {
  const temp = join(dirname(target), nextTempFileName(basename(target)));
  const previous = await fsp.stat(target).catch(() => null);
  let handle: fsp.FileHandle | null = null;
  try {
    // "wx": the name is this process's own; never open a file someone else made.
    handle = await fsp.open(temp, "wx");
    await copyPermissions(handle, previous);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = null;
    afterTempWritten?.(temp);
    await fsp.rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    // Left for a later save's clean-up if this fails; the write's error is the one to report.
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Synchronous {@link replaceFile}. */
export function replaceFileSync(target: string, data: Uint8Array): void {
  const temp = join(dirname(target), nextTempFileName(basename(target)));
  let previous: fs.Stats | null = null;
  try {
    previous = fs.statSync(target);
  } catch {
    // A first save: nothing to copy permissions from.
  }
  let fd: number | null = null;
  try {
    fd = fs.openSync(temp, "wx");
    copyPermissionsSync(fd, previous);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    afterTempWritten?.(temp);
    fs.renameSync(temp, target);
  } catch (error) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // The write's error is the one to report.
      }
    }
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // Left for a later save's clean-up; the write's error is the one to report.
    }
    throw error;
  }
}
