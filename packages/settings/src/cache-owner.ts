/**
 * {@link CacheOwner}: how a module turns its `runtimeCache` setting into a
 * {@link RuntimeCache} and follows the ownership rules while doing so.
 * @module
 */
import { resolve } from "node:path";
import { acquireImplicitCache, releaseImplicitCache, releaseImplicitCacheAsync } from "./implicit-caches.js";
import type { RuntimeCache } from "./runtime-cache.js";
import type { RuntimeCacheSetting, RuntimeSettings } from "./runtime-settings.js";

function sameSetting(a: RuntimeCacheSetting, b: RuntimeCacheSetting): boolean {
  // Two spellings of one file ("c.bin", "./c.bin") are the same implicit cache.
  if (typeof a === "string" && typeof b === "string") return resolve(a) === resolve(b);
  return a === b;
}

/**
 * The runtime cache one module uses, kept in step with its settings. The
 * runtime holds one per module, calls {@link CacheOwner.adopt} whenever the
 * module's settings change, and {@link CacheOwner.release} when the module is
 * released:
 *
 * - a path string gives the process-wide implicit cache for that file, which
 *   this owner saves (if dirty) when it lets go of it: on release, or when
 *   the setting moves to another cache (the old one is saved first);
 *   implicit caches still held at process exit are saved then;
 * - a {@link RuntimeCache} object is used as is and never saved here: its
 *   creator saves it;
 * - `null` means no cache.
 */
export class CacheOwner {
  #setting: RuntimeCacheSetting = null;
  #cache: RuntimeCache | null = null;

  /** The cache in use now, or null. */
  get cache(): RuntimeCache | null {
    return this.#cache;
  }

  /** True when the cache in use is an implicit one (made from a path string), which this owner saves. */
  get implicit(): boolean {
    return this.#cache !== null && typeof this.#setting === "string";
  }

  /**
   * Follows `settings.runtimeCache` and returns the cache to hand to TensorRT
   * (null for none). Unchanged settings (the same path, however spelled, or
   * the same object) keep the same cache; otherwise an implicit cache held
   * so far is released and saved first, synchronously.
   */
  adopt(settings: RuntimeSettings): RuntimeCache | null {
    const next = settings.runtimeCache;
    if (sameSetting(this.#setting, next)) return this.#cache;
    this.release();
    this.#setting = next;
    this.#cache = next === null ? null : typeof next === "string" ? acquireImplicitCache(next) : next;
    return this.#cache;
  }

  /** Lets go of the cache; an implicit one is saved now if dirty. Safe to call twice. */
  release(): void {
    const cache = this.#take();
    if (cache !== null) releaseImplicitCache(cache);
  }

  /** {@link CacheOwner.release} with an asynchronous save. Never rejects. */
  async releaseAsync(): Promise<void> {
    const cache = this.#take();
    if (cache !== null) await releaseImplicitCacheAsync(cache);
  }

  // Clears this owner's state and returns the implicit cache it held, if any.
  #take(): RuntimeCache | null {
    const implicit = this.implicit ? this.#cache : null;
    this.#setting = null;
    this.#cache = null;
    return implicit;
  }
}
