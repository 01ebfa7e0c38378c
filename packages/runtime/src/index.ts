// Public API of @trt/runtime.
export type * from "./engine/contract.js";
export * from "./errors/index.js";
export * from "./device/index.js";
export * from "./ffi/index.js";

// The module users hold, and what run() takes and returns.
export { TensorRTModule } from "./module/module.js";
export type { ModuleOptions, EngineModuleOptions, LoadOptions, ModuleStats } from "./module/module.js";
export type { ConcurrencyStats } from "./module/lanes.js";
export { DEFAULT_MAX_CONCURRENCY } from "./module/lanes.js";
export type { EngineRecordOptions } from "./module/sources.js";
export type { WeightStreamingBudget, WeightStreamingState } from "./module/weight-streaming.js";
export type { BindingSpec } from "./validation/bindings.js";
export type { RunOptions } from "./module/executor.js";
export { RunResult } from "./module/result.js";
export type { OutputMemory, ReusedOutputStats } from "./module/reused-outputs.js";

// Profiling: per-run layer times and phases, per-module statistics, Chrome traces, the engine's layer information.
export type { RunProfile, RunSpan, RunSpanName, LayerTime } from "./profiling/run-profile.js";
export { ModuleProfiler, DEFAULT_KEPT_RUNS } from "./profiling/layer-stats.js";
export type { LayerStats, ProfileSummary } from "./profiling/layer-stats.js";
export { toChromeTrace, writeChromeTrace } from "./profiling/chrome-trace.js";
export type { ChromeTrace, ChromeTraceEvent, ChromeTraceOptions } from "./profiling/chrome-trace.js";
export { parseLayerInformation } from "./profiling/layer-information.js";
export type { LayerInformation, LayerTensorInformation } from "./profiling/layer-information.js";
export type { InputValue, HostInput, RunInputs } from "./validation/inputs.js";

// Runtime settings in effect: what TensorRT reports about a runtime cache (module.stats), the CUDA-graph warning codes.
export type { RuntimeCacheStats } from "./cache/cache-bridge.js";
export type { GraphWarningCode } from "./graphs/graph-policy.js";

// Tensors and data types.
export { Tensor } from "./tensor/tensor.js";
export type { TensorOptions, AddressOptions, ReadOptions } from "./tensor/tensor.js";
export { DATA_TYPES, parseDataType, byteLengthOf, elementCount } from "./tensor/dtype.js";
export type { DataType, DataTypeName, DataTypeInfo, HostArrayName } from "./tensor/dtype.js";
export type { HostArray, HostArrayMap, RawArrayMap, HostArrayOf, RawArrayOf } from "./tensor/host-array.js";
export { float32ToHalfBits, halfBitsToFloat32, float32ToBf16Bits, bf16BitsToFloat32 } from "./tensor/half.js";

// Devices, memory and placement.
export { ComputeDevice } from "./placement/compute-device.js";
export type { DeviceSpec } from "./placement/device-spec.js";
export { currentTargetPlatform } from "./placement/platform.js";
export { MemoryPool } from "./memory/pool.js";
export type { PoolStats } from "./memory/pool.js";

// Several GPUs: what the process can see, and multi-device safe mode.
export { listDevices } from "./environment/devices.js";
export type { ListDevicesCallOptions } from "./environment/devices.js";
export { minimumComputeCapability } from "./environment/list-devices.js";
export type { DeviceDescription, DeviceListing, ListDevicesOptions } from "./environment/list-devices.js";
export { getMultiDeviceSafeMode, setMultiDeviceSafeMode, withMultiDeviceSafeMode, useMultiDeviceSafeMode } from "./placement/safe-mode.js";
export type { MultiDeviceSafeModeScope } from "./placement/safe-mode.js";
export { DEVICE_SWITCH_WARNING } from "./placement/compute-device.js";

// Where TensorRT comes from, and which engine implementation runs.
export * from "./libraries/index.js";
export { ALLOW_ENGINE_HOST_CODE_ENV, engineHostCodeAllowed } from "./environment/host-code.js";
// Plugins: TensorRT's plugin library and users' own, loaded through the plugin registry.
export * from "./plugins/index.js";
export { TensorRTEnvironment } from "./environment/environment.js";
export type { EnvironmentOptions, NativeAvailability, RuntimeResolution } from "./environment/environment.js";
export { getRuntime, setRuntime, withRuntime, useRuntime } from "./selection/scope.js";
export type { RuntimeScope } from "./selection/scope.js";
export { RUNTIME_KINDS, RUNTIME_ENV, parseRuntimeKind } from "./selection/kind.js";
export type { RuntimeKind } from "./selection/kind.js";
export { resolveRuntime } from "./environment/resolve-runtime.js";

// The native engine behind the contract.
export { NativeBackendAdapter, NativeEngineAdapter, NativeContextAdapter } from "./native/adapter.js";
export { createNativeLoader, NATIVE_PACKAGE } from "./native/loader.js";
export type { NativeLoader, NativeLoadOptions, NativeBindingLike, NativeBackendLike, NativeEngineLike, NativeContextLike } from "./native/binding.js";
