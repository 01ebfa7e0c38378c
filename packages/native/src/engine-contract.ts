/**
 * The engine contract: what the runtime module (@trt/runtime) asks of an
 * engine implementation. `native` (the C++ addon of @trt/native) and `ffi`
 * (koffi over the generated ABI tables, inside @trt/runtime) both implement it;
 * everything that is policy (what to allocate, which profile to pick, when to
 * capture a CUDA graph, which outputs are unowned) stays above it, in the
 * module, so it is written once.
 *
 * It is declared in @trt/native, not in @trt/runtime, because the dependency
 * points from the runtime to @trt/native (an optional one): the runtime
 * imports these types (type-only, so nothing of @trt/native is loaded with
 * them), and @trt/native could not import the runtime's without a cycle.
 *
 * Addresses and stream handles are plain numbers: user-space pointers on
 * x86-64 and aarch64 Linux fit in 48 bits, well inside a double's 53, and
 * numbers cross both the addon boundary and koffi without allocating BigInts
 * on the hot path. 0 means "none" (null pointer, default stream).
 */

/** Which implementation carries out execution. */
export type EngineImplementation = "native" | "ffi";

/** TensorRT data types by their `DataType` enum name, lower-cased without the k. */
export type TrtDataType =
  | "float"
  | "half"
  | "int8"
  | "int32"
  | "bool"
  | "uint8"
  | "fp8"
  | "bf16"
  | "int64"
  | "int4"
  | "fp4"
  | "e8m0";

/** min/opt/max of one input under one optimization profile. */
export interface ProfileShape {
  readonly min: readonly number[];
  readonly opt: readonly number[];
  readonly max: readonly number[];
}

/** One I/O tensor as the engine describes it. Cached: it never changes for an engine. */
export interface IOTensorSpec {
  readonly name: string;
  readonly mode: "input" | "output";
  readonly dtype: TrtDataType;
  /** Engine-level shape; -1 marks a dynamic dimension. */
  readonly shape: readonly number[];
  readonly location: "device" | "host";
  /** TensorRT's format description (e.g. "Row-major linear FP32 format"). */
  readonly format: string;
  /** Inputs: one entry per optimization profile. Outputs: empty. */
  readonly profiles: readonly ProfileShape[];
  /** Output that shares memory with an input (TensorRT 10.15+), else null. */
  readonly aliasedInput: string | null;
}

export interface EngineInfo {
  readonly name: string;
  readonly layerCount: number;
  readonly profileCount: number;
  /** In TensorRT's I/O index order. */
  readonly io: readonly IOTensorSpec[];
  /** Scratch memory an execution context needs with every profile (getDeviceMemorySizeV2), read at deserialization (default weight-streaming budget). */
  readonly deviceMemoryBytes: number;
  /** Weight bytes that can stream from host memory (getStreamableWeightsSize); 0 unless built with weight streaming. */
  readonly streamableWeightsBytes: number;
  readonly hardwareCompatibilityLevel: "none" | "ampere_plus" | "same_compute_capability";
}

/** How an execution context gets its scratch memory (ExecutionContextAllocationStrategy). */
export type AllocationStrategy = "static" | "on_profile_change" | "user_managed";

/**
 * Called by TensorRT for outputs whose shape depends on data (IOutputAllocator).
 * `reallocate` returns the address to write to (at least `bytes`, aligned to
 * `alignment`), or 0 to fail; `notifyShape` reports the real dims afterwards.
 */
export interface OutputAllocatorHooks {
  reallocate(tensorName: string, currentAddress: number, bytes: number, alignment: number, stream: number): number;
  notifyShape(tensorName: string, dims: readonly number[]): void;
}

/** IProfiler: one call per layer per profiled run, time in milliseconds. */
export type LayerTimeHook = (layerName: string, milliseconds: number) => void;

/** TensorRT log severities (ILogger::Severity), most severe first. */
export type LogSeverity = "internal_error" | "error" | "warning" | "info" | "verbose";
export type LogSink = (severity: LogSeverity, message: string) => void;

/**
 * One inference, in one call: the hot path. Every field is indexed in
 * `EngineInfo.io` order so nothing is looked up by name.
 */
export interface ExecuteRequest {
  /** Per input, in io order of inputs: rank followed by the dims. */
  readonly inputShapes: Float64Array;
  /** Per I/O tensor in io order: its address (0 for outputs served by an output allocator). */
  readonly addresses: Float64Array;
  readonly stream: number;
}

export interface ExecutionContextHandle {
  readonly released: boolean;
  /** setOptimizationProfileAsync; TensorRTError when the index is out of range. */
  setOptimizationProfile(index: number, stream: number): void;
  readonly optimizationProfile: number;
  /**
   * Sets input shapes (packed as in ExecuteRequest) and returns every
   * output's shape in io order of outputs; -1 dims are data-dependent.
   * TensorRTError (with the logger's message) when a shape is refused.
   */
  inferOutputShapes(inputShapes: Float64Array): number[][];
  /** Sets shapes, binds addresses, enqueues on the stream. Does not wait. */
  execute(request: ExecuteRequest): void;
  /** For the user-managed strategy: scratch memory for the next executions. */
  setDeviceMemory(address: number, bytes: number): void;
  /** Scratch bytes needed for the shapes set last (updateDeviceMemorySizeForShapes). */
  deviceMemoryBytesForShapes(): number;
  setOutputAllocator(tensorName: string, hooks: OutputAllocatorHooks | null): void;
  /** `emitPerEnqueue` false: times are reported only when reportToProfiler() is called. */
  setProfiler(hook: LayerTimeHook | null, emitPerEnqueue?: boolean): void;
  reportToProfiler(): void;
  release(): void;
}

/**
 * One deserialized engine. `Context` is the implementation's own context
 * type: its inspector calls accept only the contexts it created.
 */
export interface EngineHandle<Context extends ExecutionContextHandle = ExecutionContextHandle> {
  readonly info: EngineInfo;
  readonly released: boolean;
  createContext(strategy: AllocationStrategy): Context;
  /** The engine's plan bytes (IHostMemory), copied into JS memory. */
  serialize(): Uint8Array;
  /** Engine inspector JSON, optionally for the shapes bound to a context. */
  engineInformation(context?: Context): string;
  layerInformation(layerIndex: number, context?: Context): string;
  /**
   * Streamable weight bytes kept in device memory (get/setWeightStreamingBudgetV2,
   * TensorRT 10.1+). Defaults to `info.streamableWeightsBytes` (nothing streams).
   * Set: a whole number >= 0; at or above `info.streamableWeightsBytes` streaming
   * is off (and the budget reads back as that size). TensorRTError when TensorRT
   * refuses: the engine has no streamable weights, or one of its execution
   * contexts exists (release them first). RuntimeUnavailableError before 10.1.
   */
  weightStreamingBudget: number;
  /** TensorRT's own choice of budget (getWeightStreamingAutomaticBudget), from the free device memory. */
  readonly weightStreamingAutomaticBudget: number;
  /**
   * Extra scratch an execution context needs at the current budget
   * (getWeightStreamingScratchMemorySize); 0 while nothing streams. Included
   * in the device-memory sizes contexts ask for.
   */
  readonly weightStreamingScratchMemoryBytes: number;
  release(): void;
}

/** Version of the loaded libnvinfer and what it is. */
export interface TensorRTLibraryInfo {
  readonly path: string;
  readonly version: { readonly major: number; readonly minor: number; readonly patch: number; readonly raw: number };
  /**
   * Set when the library is the project's emulator (it exports trtEmulatorInfo).
   * `info`: the emulator's own JSON description, verbatim, where the
   * implementation reads it (native does).
   */
  readonly emulator: { readonly version: string; readonly mode: "host" | "cuda"; readonly info?: string } | null;
  /**
   * Which TensorRT runtime the file is, from its name: the full runtime,
   * lean (libnvinfer_lean: version-compatible engines only) or dispatch
   * (libnvinfer_dispatch). Unset where the implementation does not say.
   */
  readonly variant?: "full" | "lean" | "dispatch";
}

/** How to deserialize one plan. */
export interface DeserializeOptions {
  /**
   * The CUDA device the engine is for, current on the calling thread.
   * TensorRT deserializes for the current device of the thread it runs on,
   * so an implementation that deserializes on another thread must have this
   * device current there.
   */
  readonly device?: number;
}

/** What one call into the plugin machinery did. */
export interface PluginLibraryOutcome {
  /** Why the file could not be opened (dlopen's message); then nothing else was tried. Null when it opened. */
  readonly openError: string | null;
  /**
   * initStandardPlugins: what initLibNvInferPlugins returned (false too when
   * the library does not export it). loadLibrary: whether TensorRT handed
   * back a library handle.
   */
  readonly ok: boolean;
  /** The errors TensorRT logged during the call, oldest first. */
  readonly logged: readonly string[];
}

/**
 * The plugin registries a backend's runtime deserializes with, and TensorRT's
 * plugin library. Mechanism only: which libraries to load, in which order, and
 * what a failure means are decided once, above both implementations
 * (@trt/runtime's plugins/).
 *
 * Two registries, because TensorRT keeps two (seen on TensorRT 10.6): the
 * runtime's own (IRuntime::getPluginRegistry), where loadLibrary registers a
 * user's library, and the process's global one (the C function
 * getPluginRegistry() of libnvinfer), where initLibNvInferPlugins registers
 * TensorRT's standard plugins and which the runtime's stays empty of.
 * Deserialization finds creators in either, so counts cover both.
 */
export interface PluginHost {
  /** The address of the runtime's own registry (IRuntime::getPluginRegistry): each runtime has its own. */
  readonly registry: number;
  /**
   * The address of the library's global registry (getPluginRegistry()), the
   * same for every runtime of one loaded library; null when the library does
   * not export getPluginRegistry (then creatorCount counts the runtime's registry only).
   */
  readonly globalRegistry: number | null;
  /**
   * Creators a deserialization can find: getAllCreators of the runtime's
   * registry plus that of the global one (the runtime's alone when
   * globalRegistry is null). Its growth across initLibNvInferPlugins (global)
   * and across loadLibrary (the runtime's) is what each registered.
   */
  creatorCount(): number;
  /** Opens TensorRT's plugin library (libnvinfer_plugin.so.N) at `path` and calls its initLibNvInferPlugins(logger, ""). */
  initStandardPlugins(path: string): PluginLibraryOutcome;
  /** Checks that `path` opens, then IPluginRegistry::loadLibrary(path). */
  loadLibrary(path: string): PluginLibraryOutcome;
}

/** One loaded TensorRT runtime, seen through one engine implementation. */
export interface TensorRTBackend {
  readonly implementation: EngineImplementation;
  readonly library: TensorRTLibraryInfo;
  /** Deserialization runs off the JS thread where the implementation can do so. */
  deserialize(plan: Uint8Array, options?: DeserializeOptions): Promise<EngineHandle>;
  setLogSink(sink: LogSink | null, minSeverity?: LogSeverity): void;
  setEngineHostCodeAllowed(allowed: boolean): void;
  /** The plugin registry; absent where an implementation cannot reach it (then plugin libraries cannot be loaded). */
  readonly plugins?: PluginHost;
}
