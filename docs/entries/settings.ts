/**
 * RuntimeSettings, scoped overrides on live modules, and the runtime cache.
 * @module @trt/settings
 */
export * from "@trt/settings";
