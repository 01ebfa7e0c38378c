/**
 * The engine contract: what the runtime module asks of an engine
 * implementation, which the ffi engine (src/ffi) and the native addon both
 * implement. It is declared once, in @trt/native (see its engine-contract.ts
 * for the members and why addresses are plain numbers), because the
 * dependency points from this package to that one. The import is type-only:
 * it is erased from the built JavaScript, so @trt/native is never loaded
 * through it, and the build copies the declarations into this package's
 * .d.ts files, so its types resolve where @trt/native is not installed.
 */
export type {
  AllocationStrategy,
  DeserializeOptions,
  EngineHandle,
  EngineImplementation,
  EngineInfo,
  ExecuteRequest,
  ExecutionContextHandle,
  IOTensorSpec,
  LayerTimeHook,
  LogSeverity,
  LogSink,
  OutputAllocatorHooks,
  PluginHost,
  PluginLibraryOutcome,
  ProfileShape,
  TensorRTBackend,
  TensorRTLibraryInfo,
  TrtDataType,
} from "@trt/native";
