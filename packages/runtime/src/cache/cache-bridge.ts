/**
 * The TensorRT side of a runtime cache: what the runtime needs from the
 * loaded library to feed a `RuntimeCache`'s bytes to execution contexts and
 * to read back what they compiled. Only TensorRT-RTX has a runtime cache;
 * standard TensorRT has none, and its ABI tables (tools/abi) declare no
 * slots for one. The one implementation today is the emulator's
 * (library-cache.ts), which exists so the persistence path can be
 * exercised end to end; TensorRT-RTX's IRuntimeCache, reached through an
 * IRuntimeConfig, would be a second one behind this same interface.
 */
import type { RuntimeCapabilities } from "@trt/settings";

/** Operations on TensorRT's own runtime-cache objects. Handles are numbers (0 = none), as everywhere here. */
export interface RuntimeCacheBridge {
  /** A new, empty cache on the TensorRT side. */
  create(): number;
  /** Replaces the cache's contents with serialized bytes; false when TensorRT refuses them (it keeps what it had). */
  load(handle: number, bytes: Uint8Array): boolean;
  /** The cache's contents, serialized. */
  serialize(handle: number): Uint8Array;
  /** Runs `create` so that the execution contexts it makes use the cache (TensorRT-RTX: an IRuntimeConfig carrying it). */
  createContextsWith<T>(handle: number, create: () => T): T;
  destroy(handle: number): void;
  /** Entries held and lookups that found (hits) or added (misses) an entry, where the library reports them. */
  stats?(handle: number): RuntimeCacheStats;
}

/** What a cache holds and how enqueues used it (the emulator reports these; for tests). */
export interface RuntimeCacheStats {
  readonly entries: number;
  readonly hits: number;
  readonly misses: number;
}

/**
 * What a library with a runtime cache but no kernel-specialization control
 * honours: the emulator. TensorRT-RTX honours both (TENSORRT_RTX_CAPABILITIES).
 */
export const RUNTIME_CACHE_ONLY_CAPABILITIES: RuntimeCapabilities = Object.freeze({ kernelSpecialization: false, runtimeCache: true });
