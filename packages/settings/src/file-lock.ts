/**
 * A cross-process lock on a file path, for serialising cache writers across
 * processes. Built on proper-lockfile: the lock is a `<path>.lock` directory
 * (mkdir is atomic on every file system, NFS included), refreshed while held
 * and considered stale after {@link LOCK_STALE_MS} so a crashed holder cannot
 * block writers forever.
 * @module
 */
import lockfile from "proper-lockfile";
import { sharedFields } from "./shared-state.js";

/**
 * Asynchronous holders of a cache's lock in this process (saves, and the clean-up a
 * load does), acquiring or holding it, counted by absolute path; process-wide.
 */
const asyncSaves = (): Map<string, number> => sharedFields<{ asyncSaves: Map<string, number> }>().asyncSaves;

/** A lock older than this (not refreshed by a live holder) is taken over. */
export const LOCK_STALE_MS = 10_000;

// Waiting longer than a stale period lets a writer outlast a crashed holder.
const WAIT_LIMIT_MS = LOCK_STALE_MS + 5_000;
const FIRST_DELAY_MS = 2;
const MAX_DELAY_MS = 20;

const baseOptions = {
  // The cache file may not exist yet; lock the path as given (made absolute by the caller).
  realpath: false,
  stale: LOCK_STALE_MS,
  // Our critical section is a single small write; a lock reported as
  // compromised only means the event loop stalled past the refresh interval.
  // The default handler would throw from a timer and crash the process.
  onCompromised: () => undefined,
} as const;

// Counted from before the lock is requested until it is released:
// proper-lockfile creates the lock directory a few ticks before it reports
// success. withFileLockSync reads the count.
async function countedAsAsyncHolder<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const saves = asyncSaves();
  saves.set(path, (saves.get(path) ?? 0) + 1);
  try {
    return await fn();
  } finally {
    const left = (saves.get(path) ?? 1) - 1;
    if (left === 0) saves.delete(path);
    else saves.set(path, left);
  }
}

/** Runs `fn` while holding the lock on `path`, waiting for other holders. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  return countedAsAsyncHolder(path, async () => {
    const release = await lockfile.lock(path, {
      ...baseOptions,
      retries: { retries: 1000, factor: 1.3, minTimeout: FIRST_DELAY_MS, maxTimeout: MAX_DELAY_MS, randomize: true, maxRetryTime: WAIT_LIMIT_MS },
    });
    try {
      return await fn();
    } finally {
      await release();
    }
  });
}

/**
 * Runs `fn` holding the lock on `path` if the lock can be taken at once (free,
 * or stale and taken over); otherwise, or if it cannot be taken at all (a
 * missing or read-only directory), does nothing and returns undefined. For
 * work that can wait for the next chance but must not make its caller wait.
 */
export async function ifFileLockFree<T>(path: string, fn: () => Promise<T>): Promise<T | undefined> {
  return countedAsAsyncHolder(path, async () => {
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(path, baseOptions);
    } catch {
      return undefined;
    }
    try {
      return await fn();
    } finally {
      await release();
    }
  });
}

// A synchronous sleep: Atomics.wait blocks the thread without spinning.
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/**
 * Synchronous {@link withFileLock}, for 'exit' handlers and other places that
 * cannot wait for a promise. proper-lockfile refuses retries in sync mode, so
 * the retry loop (with jittered backoff) is here. `fn` is told whether the
 * lock is held: see the exception below.
 */
export function withFileLockSync<T>(path: string, fn: (locked: boolean) => T): T {
  // If this process itself is in an asynchronous save of this path, waiting
  // here would block the very event loop that save needs to finish and
  // release the lock (say, an 'exit' handler running while an `await using`
  // scope was saving). Write without the lock instead: every write is a rename
  // of a complete temporary file, so readers still never see a torn file; only
  // the order of the writes is left open.
  if (asyncSaves().has(path)) return fn(false);
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let delay = FIRST_DELAY_MS;
  let release: () => void;
  for (;;) {
    try {
      release = lockfile.lockSync(path, baseOptions);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED" || Date.now() >= deadline) throw error;
      sleepSync(delay * (0.5 + Math.random()));
      delay = Math.min(delay * 1.5, MAX_DELAY_MS);
    }
  }
  try {
    return fn(true);
  } finally {
    release();
  }
}

/** Synchronous {@link ifFileLockFree}; also does nothing while this process holds or awaits the lock asynchronously. */
export function ifFileLockFreeSync<T>(path: string, fn: () => T): T | undefined {
  if (asyncSaves().has(path)) return undefined;
  let release: () => void;
  try {
    release = lockfile.lockSync(path, baseOptions);
  } catch {
    return undefined;
  }
  try {
    return fn();
  } finally {
    release();
  }
}
