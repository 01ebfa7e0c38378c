/**
 * @trt/settings/advanced: what an engine runtime (such as @trt/runtime) builds
 * on, beyond what applications use from `@trt/settings`: filtering settings by
 * what the loaded TensorRT can honour, the runtime-cache file codec, the
 * ownership rule for implicit caches, one-time warnings and the dispose
 * symbols. The same objects as the root entry's, not copies.
 * @packageDocumentation
 */
export { capabilitiesOf, honourRuntimeSettings } from "./capabilities.js";
export { CacheOwner } from "./cache-owner.js";
export { RUNTIME_CACHE_FORMAT_VERSION, RUNTIME_CACHE_MAGIC, decodeRuntimeCacheFile, encodeRuntimeCacheFile } from "./cache-file.js";
export { resetWarnings, warnOnce } from "./warnings.js";
export { asyncDisposeSymbol, disposeSymbol } from "./symbols.js";
