/**
 * @trt/settings: a module's runtime mode controls (CUDA graphs, kernel
 * specialization, runtime cache) as a frozen value; scoped helpers that
 * change them on live modules and put them back; and the runtime cache's
 * in-memory form and file persistence. Depends on no other @trt package: the
 * helpers work on anything with a `runtimeSettings` getter and setter.
 *
 * This entry is what applications use. The pieces an engine runtime builds on
 * (capability filtering, the cache-file codec, cache ownership, one-time
 * warnings) are in `@trt/settings/advanced`.
 * @packageDocumentation
 */
export { SettingsError, isSettingsError, type SettingsErrorCode, type SettingsErrorDetails } from "./errors.js";
export {
  CUDA_GRAPH_STRATEGIES,
  KERNEL_SPECIALIZATION_STRATEGIES,
  type CudaGraphStrategy,
  type KernelSpecializationStrategy,
} from "./strategies.js";
export {
  RUNTIME_SETTING_NAMES,
  RuntimeSettings,
  type RuntimeCacheSetting,
  type RuntimeSettingName,
  type RuntimeSettingsInit,
} from "./runtime-settings.js";
export { STANDARD_TENSORRT_CAPABILITIES, TENSORRT_RTX_CAPABILITIES, type RuntimeCapabilities } from "./capabilities.js";
export { applyRuntimeSettings, type SettingsTarget, type SettingsTargets } from "./target.js";
export { SettingsScope } from "./settings-scope.js";
export { runtimeConfig, setCudaGraphStrategy, setDynamicShapesKernelStrategy } from "./runtime-config.js";
export { RuntimeCacheScope, runtimeCache } from "./runtime-cache-scope.js";
export { RuntimeCache, type RuntimeCacheOptions, type RuntimeCacheSaveOptions } from "./runtime-cache.js";
export { WARNING_TYPE, setWarningHandler, type SettingsWarning, type SettingsWarningCode, type WarningHandler } from "./warnings.js";
