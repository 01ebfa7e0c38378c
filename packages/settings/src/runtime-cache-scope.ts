/**
 * The `runtimeCache(targets, path)` helper: a cache for one scope, saved once
 * when the scope ends.
 * @module
 */
import { autosave, autosaveSync } from "./autosave.js";
import { checkCallback, runInScope } from "./run-in-scope.js";
import { RuntimeCache } from "./runtime-cache.js";
import { SettingsScope } from "./settings-scope.js";
import { asyncDisposeSymbol } from "./symbols.js";
import type { SettingsTargets } from "./target.js";

/**
 * A {@link SettingsScope} that also owns a {@link RuntimeCache}. When the scope
 * ends, the targets get their previous settings back and then the cache is
 * saved, exactly once and only if something was written to it. A failed save
 * is a `TRT_RUNTIME_CACHE_SAVE_FAILED` warning, not an error.
 *
 * `using` ends it with a synchronous save; `await using` (or `closeAsync()`)
 * with an asynchronous one.
 */
export class RuntimeCacheScope extends SettingsScope implements AsyncDisposable {
  /** The cache this scope created and will save. */
  readonly cache: RuntimeCache;
  #saveClaimed = false;

  /** Creates the cache for `path` and applies it to the targets. Prefer `runtimeCache()`. */
  constructor(targets: SettingsTargets, path: string) {
    const cache = new RuntimeCache(path);
    super(targets, { runtimeCache: cache });
    this.cache = cache;
  }

  // Claiming before saving makes "exactly once" hold even if close() and
  // closeAsync() race or the save itself throws.
  #claimSave(): boolean {
    if (this.#saveClaimed) return false;
    this.#saveClaimed = true;
    return true;
  }

  /** Restores the targets, then saves the cache synchronously (once). */
  override close(): void {
    try {
      super.close();
    } finally {
      if (this.#claimSave()) autosaveSync(this.cache, "at the end of its runtimeCache() scope");
    }
  }

  /** Restores the targets, then saves the cache asynchronously (once). */
  override async closeAsync(): Promise<void> {
    try {
      super.close();
    } finally {
      if (this.#claimSave()) await autosave(this.cache, "at the end of its runtimeCache() scope");
    }
  }

  /** Same as {@link RuntimeCacheScope.closeAsync}; lets `await using` end the scope. */
  [asyncDisposeSymbol](): Promise<void> {
    return this.closeAsync();
  }
}

/**
 * Gives `targets` a runtime cache backed by the file at `path` for a scope,
 * and saves it once when the scope ends (also when it ends by an exception).
 *
 * - `runtimeCache(targets, path)` returns a {@link RuntimeCacheScope} for
 *   `using` (synchronous save) or `await using` (asynchronous save).
 * - `runtimeCache(targets, path, fn)` runs `fn` inside the scope and returns its
 *   result; with an async `fn`, the returned promise settles after the save.
 *
 * Only TensorRT-RTX uses a runtime cache: on standard TensorRT the targets are
 * left unchanged (one warning per process), nothing writes to the cache, and so
 * nothing is saved.
 */
export function runtimeCache(targets: SettingsTargets, path: string): RuntimeCacheScope;
/** Callback form of {@link runtimeCache}: runs `fn` with the cache attached, saves once afterwards, returns `fn`'s result. */
export function runtimeCache<R>(targets: SettingsTargets, path: string, fn: (scope: RuntimeCacheScope) => R): R;
export function runtimeCache<R>(targets: SettingsTargets, path: string, fn?: (scope: RuntimeCacheScope) => R): RuntimeCacheScope | R {
  if (fn === undefined) return new RuntimeCacheScope(targets, path);
  checkCallback(fn, "runtimeCache");
  return runInScope(new RuntimeCacheScope(targets, path), fn);
}
