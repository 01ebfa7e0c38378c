/**
 * Implicit caches: the ones the runtime creates for a path string in
 * `RuntimeSettings.runtimeCache`. One per file per process, shared by every
 * owner naming that file (two caches for one file would each overwrite the
 * other's entries), saved when an owner releases it and, for those still held,
 * when the process exits.
 * @module
 */
import { resolve } from "node:path";
import { autosave, autosaveSync } from "./autosave.js";
import { RuntimeCache } from "./runtime-cache.js";
import { sharedFields } from "./shared-state.js";

/** An implicit cache and the number of owners currently holding it. */
interface ImplicitCacheEntry {
  readonly cache: RuntimeCache;
  owners: number;
}

/** This module's process-wide fields: the caches by absolute path, and whether the exit hook is registered. */
interface ImplicitCacheFields {
  readonly implicitCaches: Map<string, ImplicitCacheEntry>;
  exitHookInstalled: boolean;
}
const implicitCacheState = (): ImplicitCacheFields => sharedFields<ImplicitCacheFields>();

function saveAllAtExit(this: void): void {
  // 'exit' handlers must finish synchronously: anything scheduled never runs.
  for (const { cache } of implicitCacheState().implicitCaches.values()) autosaveSync(cache, "at process exit", true);
}

// Registered on first use, not at import, so importing the package adds no listener.
function installExitHook(state: ImplicitCacheFields): void {
  if (state.exitHookInstalled) return;
  state.exitHookInstalled = true;
  process.on("exit", saveAllAtExit);
}

/**
 * The process-wide implicit cache for `path` (resolved against the working
 * directory), created on first use; counts one more owner.
 */
export function acquireImplicitCache(path: string): RuntimeCache {
  const state = implicitCacheState();
  const key = resolve(path);
  let entry = state.implicitCaches.get(key);
  if (entry === undefined) {
    entry = { cache: new RuntimeCache(key), owners: 0 };
    state.implicitCaches.set(key, entry);
  }
  entry.owners++;
  installExitHook(state);
  return entry.cache;
}

// Counts one owner less and says whether `cache` is a live implicit cache.
function dropOwner(cache: RuntimeCache): boolean {
  const caches = implicitCacheState().implicitCaches;
  const entry = caches.get(cache.path);
  if (entry === undefined || entry.cache !== cache) return false;
  entry.owners--;
  if (entry.owners <= 0) caches.delete(cache.path);
  return true;
}

/**
 * One owner lets go of an implicit cache: it is saved now if dirty (every
 * release saves, so no owner's work waits for the others), and forgotten once
 * no owner holds it.
 */
export function releaseImplicitCache(cache: RuntimeCache): void {
  if (dropOwner(cache)) autosaveSync(cache, "when its module released it");
}

/** Asynchronous {@link releaseImplicitCache}. Never rejects. */
export async function releaseImplicitCacheAsync(cache: RuntimeCache): Promise<void> {
  if (dropOwner(cache)) await autosave(cache, "when its module released it");
}
