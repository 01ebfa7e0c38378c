/**
 * @trt/runtime: run serialized TensorRT engines from Node.js. This entry is
 * what applications use: TensorRTModule and what run() takes and returns,
 * Tensor, the devices, the environment (where TensorRT and CUDA come from),
 * the engine implementation in use, profiling output and the typed errors.
 *
 * The building blocks under them (the engine contract, the ffi engine, the
 * device layer, the library search, the native adapter, plugin loading) are
 * in `@trt/runtime/advanced`, for tools and tests that work at that level.
 * @packageDocumentation
 */

// Errors: every error of this package is a TrtError with a stable code.
export {
  TrtError,
  RuntimeUnavailableError,
  TensorRTCallError,
  TensorRTError,
  CudaError,
  InputError,
  ReleasedError,
  StaleTensorError,
  LayerInformationUnavailableError,
  WeightStreamingError,
  PluginError,
} from "./errors/index.js";
export type {
  TrtErrorCode,
  ErrorParts,
  RuntimeUnavailableDetails,
  UnavailableComponent,
  InputErrorDetails,
  InputProblem,
  WeightStreamingErrorDetails,
  WeightStreamingProblem,
} from "./errors/index.js";
export type { PluginErrorDetails, PluginIdentity } from "./errors/index.js";

// The module users hold, and what run() takes and returns.
export { TensorRTModule } from "./module/module.js";
export type { ModuleOptions, EngineModuleOptions, LoadOptions, ModuleStats } from "./module/module.js";
export type { ConcurrencyStats } from "./module/lanes.js";
export type { EngineRecordOptions } from "./module/sources.js";
export type { WeightStreamingBudget, WeightStreamingState } from "./module/weight-streaming.js";
export type { BindingSpec } from "./validation/bindings.js";
export type { RunOptions } from "./module/executor.js";
export { RunResult } from "./module/result.js";
export type { OutputMemory, ReusedOutputStats } from "./module/reused-outputs.js";
export type { InputValue, HostInput, HostParts, RunInputs } from "./validation/inputs.js";
export type { EngineImplementation, EngineInfo, IOTensorSpec, TrtDataType, TensorRTLibraryInfo, LogSink, LogSeverity } from "./engine/contract.js";

// Profiling: per-run layer times and phases, per-module statistics, Chrome traces.
export type { RunProfile, RunSpan, RunSpanName, LayerTime } from "./profiling/run-profile.js";
export type { LayerStats, ProfileSummary } from "./profiling/layer-stats.js";
export { toChromeTrace, writeChromeTrace } from "./profiling/chrome-trace.js";
export type { ChromeTrace, ChromeTraceEvent, ChromeTraceOptions } from "./profiling/chrome-trace.js";
export type { LayerInformation, LayerTensorInformation } from "./profiling/layer-information.js";
export type { RuntimeCacheStats } from "./cache/cache-bridge.js";

// Tensors and data types.
export { Tensor } from "./tensor/tensor.js";
export type { TensorOptions, AddressOptions, ReadOptions } from "./tensor/tensor.js";
export { DATA_TYPES, parseDataType } from "./tensor/dtype.js";
export type { DataType, DataTypeName, DataTypeInfo, HostArrayName } from "./tensor/dtype.js";
export type { HostArray, HostArrayMap, RawArrayMap, HostArrayOf, RawArrayOf } from "./tensor/host-array.js";
export { float32ToHalfBits, halfBitsToFloat32, float32ToBf16Bits, bf16BitsToFloat32 } from "./tensor/half.js";

// Devices: what the process can see, where modules run, multi-device safe mode.
export { ComputeDevice } from "./placement/compute-device.js";
export type { DeviceSpec } from "./placement/device-spec.js";
export type { DeviceKind, DeviceProperties, DeviceMemoryInfo } from "./device/device.js";
export { listDevices } from "./environment/devices.js";
export type { ListDevicesCallOptions } from "./environment/devices.js";
export type { DeviceDescription, DeviceListing, ListDevicesOptions } from "./environment/list-devices.js";
export { getMultiDeviceSafeMode, setMultiDeviceSafeMode, withMultiDeviceSafeMode, useMultiDeviceSafeMode } from "./placement/safe-mode.js";
export type { MultiDeviceSafeModeScope } from "./placement/safe-mode.js";

// Where TensorRT comes from, and which engine implementation runs.
export { TensorRTEnvironment } from "./environment/environment.js";
export type { EnvironmentOptions, NativeAvailability, RuntimeResolution } from "./environment/environment.js";
export type { PluginLibrarySpec } from "./plugins/plugin-paths.js";
export type { PluginStatus } from "./plugins/plugin-loader.js";
export { getRuntime, setRuntime, withRuntime, useRuntime } from "./selection/scope.js";
export { resolveRuntime } from "./environment/resolve-runtime.js";
export { RUNTIME_KINDS } from "./selection/kind.js";
export type { RuntimeScope } from "./selection/scope.js";
export type { RuntimeKind } from "./selection/kind.js";
export { libraryTraits } from "./libraries/library-traits.js";
export type { LibraryTraits } from "./libraries/library-traits.js";
