/**
 * @trt/runtime/advanced: the building blocks under `@trt/runtime`, for tools,
 * benchmarks and tests that work at their level: the engine contract (types),
 * the ffi engine, the device layer (CUDA and the host stand-in), the memory
 * pool, the library search and library traits, the native engine's adapter
 * and loader, plugin loading, ABI version helpers, and the constants and
 * helpers behind the root entry. The same objects as the root entry's, not
 * copies. Applications rarely need it; what is here may change in a minor
 * release more readily than the root entry.
 * @packageDocumentation
 */
export type * from "./engine/contract.js";
export { composeMessage, describePlugin } from "./errors/index.js";
export * from "./device/index.js";
export * from "./ffi/index.js";
export * from "./libraries/index.js";
export * from "./plugins/index.js";

export { DEFAULT_MAX_CONCURRENCY } from "./module/lanes.js";
export { ModuleProfiler, DEFAULT_KEPT_RUNS } from "./profiling/layer-stats.js";
export { parseLayerInformation } from "./profiling/layer-information.js";
export type { GraphWarningCode } from "./graphs/graph-policy.js";
export { byteLengthOf, elementCount } from "./tensor/dtype.js";
export { currentTargetPlatform } from "./placement/platform.js";
export { DEVICE_SWITCH_WARNING } from "./placement/compute-device.js";
export { MemoryPool } from "./memory/pool.js";
export type { PoolStats } from "./memory/pool.js";
export { minimumComputeCapability } from "./environment/list-devices.js";
export { ALLOW_ENGINE_HOST_CODE_ENV, engineHostCodeAllowed } from "./environment/host-code.js";
export { RUNTIME_ENV, parseRuntimeKind } from "./selection/kind.js";

// The native engine behind the contract.
export { NativeBackendAdapter, NativeEngineAdapter, NativeContextAdapter } from "./native/adapter.js";
export { createNativeLoader, NATIVE_PACKAGE } from "./native/loader.js";
export type { NativeLoader, NativeLoadOptions, NativeBindingLike, NativeBackendLike, NativeEngineLike, NativeContextLike } from "./native/binding.js";
