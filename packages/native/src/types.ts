/**
 * Types of the addon's JS objects. They mirror the engine contract of
 * @trt/runtime (packages/runtime/src/engine/contract.ts) member for member,
 * without importing it: the dependency points from runtime to native, and
 * native is optional. The runtime checks structurally that a NativeBackend is
 * a TensorRTBackend. What is added here (executeSync/executeAsync, the memory
 * API, deserializeSync) is native-only and marked so.
 */

export type EngineImplementation = "native" | "ffi";

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

export interface ProfileShape {
  readonly min: readonly number[];
  readonly opt: readonly number[];
  readonly max: readonly number[];
}

export interface IOTensorSpec {
  readonly name: string;
  readonly mode: "input" | "output";
  readonly dtype: TrtDataType;
  readonly shape: readonly number[];
  readonly location: "device" | "host";
  readonly format: string;
  readonly profiles: readonly ProfileShape[];
  readonly aliasedInput: string | null;
}

/** Built once at deserialization and frozen (deeply): reading it costs nothing. */
export interface EngineInfo {
  readonly name: string;
  readonly layerCount: number;
  readonly profileCount: number;
  readonly io: readonly IOTensorSpec[];
  readonly deviceMemoryBytes: number;
  readonly streamableWeightsBytes: number;
  readonly hardwareCompatibilityLevel: "none" | "ampere_plus" | "same_compute_capability";
}

export type AllocationStrategy = "static" | "on_profile_change" | "user_managed";

export interface OutputAllocatorHooks {
  reallocate(tensorName: string, currentAddress: number, bytes: number, alignment: number, stream: number): number;
  notifyShape(tensorName: string, dims: readonly number[]): void;
}

export type LayerTimeHook = (layerName: string, milliseconds: number) => void;

export type LogSeverity = "internal_error" | "error" | "warning" | "info" | "verbose";
export type LogSink = (severity: LogSeverity, message: string) => void;

export interface ExecuteRequest {
  /** Per input, in io order of inputs: rank followed by the dims. */
  readonly inputShapes: Float64Array;
  /** Per I/O tensor in io order: its address (0 for outputs served by an output allocator). */
  readonly addresses: Float64Array;
  readonly stream: number;
}

export interface NativeExecutionContext {
  readonly released: boolean;
  setOptimizationProfile(index: number, stream: number): void;
  readonly optimizationProfile: number;
  inferOutputShapes(inputShapes: Float64Array): number[][];
  /** Sets changed shapes, binds changed addresses, enqueues on the stream. Does not wait. */
  execute(request: ExecuteRequest): void;
  /** Native only: execute, then block the calling thread until the stream is done. */
  executeSync(request: ExecuteRequest): void;
  /**
   * Native only: execute, then a promise that settles when the stream is
   * done, waiting on a worker thread (every error, a bad request included,
   * rejects it). The context stays alive until then even if released.
   */
  executeAsync(request: ExecuteRequest): Promise<void>;
  setDeviceMemory(address: number, bytes: number): void;
  deviceMemoryBytesForShapes(): number;
  setOutputAllocator(tensorName: string, hooks: OutputAllocatorHooks | null): void;
  setProfiler(hook: LayerTimeHook | null, emitPerEnqueue?: boolean): void;
  reportToProfiler(): void;
  release(): void;
}

export interface NativeEngine {
  readonly info: EngineInfo;
  readonly released: boolean;
  createContext(strategy: AllocationStrategy): NativeExecutionContext;
  serialize(): Uint8Array;
  engineInformation(context?: NativeExecutionContext): string;
  layerInformation(layerIndex: number, context?: NativeExecutionContext): string;
  /**
   * Streamable weight bytes kept in device memory (get/setWeightStreamingBudgetV2).
   * Set: a whole number >= 0; at or above `info.streamableWeightsBytes` streaming is off.
   * Setting fails (TensorRTError) while execution contexts of this engine exist.
   */
  weightStreamingBudget: number;
  /** TensorRT's own choice of budget (getWeightStreamingAutomaticBudget). */
  readonly weightStreamingAutomaticBudget: number;
  /** Extra scratch a context needs at the current budget (getWeightStreamingScratchMemorySize); 0 while nothing streams. */
  readonly weightStreamingScratchMemoryBytes: number;
  release(): void;
}

export interface TensorRTLibraryInfo {
  readonly path: string;
  readonly version: { readonly major: number; readonly minor: number; readonly patch: number; readonly raw: number };
  /** `info`: the emulator's own JSON description, verbatim (native only). */
  readonly emulator: { readonly version: string; readonly mode: "host" | "cuda"; readonly info?: string } | null;
}

/**
 * Device memory and streams (native only). In host mode (the emulator without
 * a GPU) addresses are host addresses and streams are tokens; the same calls
 * work unchanged.
 */
export interface NativeMemory {
  readonly mode: "cuda" | "host";
  /** cudaMallocAsync from the device's default pool, ordered on `stream`. */
  alloc(bytes: number, stream?: number): number;
  free(address: number, stream?: number): void;
  /** Copies src.byteLength bytes. `src` has been read when this returns. */
  copyHostToDevice(dst: number, src: ArrayBufferView | ArrayBuffer, stream?: number): void;
  /** Copies dst.byteLength bytes; `dst` holds them when this returns. */
  copyDeviceToHost(dst: ArrayBufferView | ArrayBuffer, src: number, stream?: number): void;
  copyDeviceToDevice(dst: number, src: number, bytes: number, stream?: number): void;
  createStream(): number;
  destroyStream(stream: number): void;
  /** Settles when the stream is done, without blocking the event loop. */
  synchronize(stream?: number): Promise<void>;
  synchronizeSync(stream?: number): void;
}

export interface NativeBackend {
  readonly implementation: "native";
  readonly library: TensorRTLibraryInfo;
  readonly memory: NativeMemory;
  deserialize(plan: Uint8Array): Promise<NativeEngine>;
  /** Native only: deserializes on the calling thread. */
  deserializeSync(plan: Uint8Array): NativeEngine;
  setLogSink(sink: LogSink | null, minSeverity?: LogSeverity): void;
  setEngineHostCodeAllowed(allowed: boolean): void;
}

export interface OpenBackendOptions {
  /** libnvinfer file to load; overrides TRT_NVINFER_PATH and the system loader search. */
  readonly nvinferPath?: string;
  /** libcudart file to load; overrides TRT_CUDART_PATH and the system loader search. */
  readonly cudartPath?: string;
}

export interface BenchRawEnqueueResult {
  readonly seconds: number;
  readonly iterations: number;
  readonly nsPerCall: number;
}

/** The compiled module (build/Release/trt_native.node) as loaded. */
export interface NativeAddon {
  /** Protocol version between the binary and this package's TS; see loader.ts. */
  readonly bindingVersion: number;
  readonly napiVersion: number;
  readonly supportedMajors: readonly number[];
  openBackend(options?: OpenBackendOptions): NativeBackend;
  /**
   * enqueueV3 in a C++ loop on a context that has executed once (its bindings
   * in place): the baseline for measuring execute()'s per-call overhead.
   * `rebind` also re-sets every shape and address before each enqueue.
   */
  benchRawEnqueue(
    context: NativeExecutionContext,
    iterations: number,
    options?: { readonly stream?: number; readonly rebind?: boolean },
  ): BenchRawEnqueueResult;
}
