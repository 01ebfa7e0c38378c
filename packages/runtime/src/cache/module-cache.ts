/**
 * A module's runtime cache: the `CacheOwner` of @trt/settings, which turns
 * the `runtimeCache` setting into a `RuntimeCache` and applies the autosave
 * rules (an implicit cache from a path is saved when the module lets go of
 * it, and at process exit), plus the attachment of that cache to the
 * execution contexts the module creates.
 *
 * Order matters when letting go: TensorRT's contents are copied into the
 * RuntimeCache first, then the owner saves (implicit caches), so the file
 * gets what the contexts compiled. A `runtimeCache()` scope saves after it
 * has restored its modules, so the same copy serves it.
 */
import type { RuntimeCache, RuntimeSettings } from "@trt/settings";
import { CacheOwner } from "@trt/settings/advanced";
import type { CacheAttachments } from "./attachments.js";
import type { RuntimeCacheStats } from "./cache-bridge.js";

/** The runtime cache of one module. */
export class ModuleRuntimeCache {
  private readonly owner = new CacheOwner();
  /** The cache this module holds an attachment on (set by the first context made with it). */
  private attached: RuntimeCache | null = null;

  /** @param attachments the loaded library's runtime-cache attachments, or null when it has no runtime cache. */
  constructor(private readonly attachments: () => CacheAttachments | null) {}

  /** The RuntimeCache the settings name now, or null. */
  get cache(): RuntimeCache | null {
    return this.owner.cache;
  }

  /**
   * Follows `settings.runtimeCache`. The cache used so far gets TensorRT's
   * contents, and an implicit one is saved, before the new one is taken.
   * Contexts made earlier keep the old cache: the module re-creates them.
   */
  follow(settings: RuntimeSettings): void {
    this.letGo();
    this.owner.adopt(settings);
  }

  /** Runs `create` so that the contexts it makes use this module's cache (when there is one and TensorRT has caches). */
  createContext<T>(create: () => T): T {
    const cache = this.owner.cache;
    const attachments = cache ? this.attachments() : null;
    if (!cache || !attachments) return create();
    if (this.attached !== cache) {
      this.letGo();
      attachments.attach(cache);
      this.attached = cache;
    }
    return attachments.bridge.createContextsWith(attachments.handleOf(cache), create);
  }

  /** What TensorRT reports about the attached cache (entries, hits, misses), where it does. */
  stats(): RuntimeCacheStats | null {
    if (!this.attached) return null;
    return this.attachments()?.stats(this.attached) ?? null;
  }

  /** Lets go of the cache: TensorRT's contents are copied in, then an implicit cache is saved (synchronously). */
  release(): void {
    this.letGo();
    this.owner.release();
  }

  /** {@link release} with an asynchronous save. Never rejects. */
  releaseAsync(): Promise<void> {
    this.letGo();
    return this.owner.releaseAsync();
  }

  private letGo(): void {
    if (!this.attached) return;
    const cache = this.attached;
    this.attached = null;
    this.attachments()?.detach(cache);
  }
}
