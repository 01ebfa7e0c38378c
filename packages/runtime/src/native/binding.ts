/**
 * The part of @trt/native this package uses, declared structurally. The
 * runtime must build, type-check and run without @trt/native installed, so it
 * cannot import that package's types; a test checks that the real package's
 * types are assignable to these, which keeps the two from drifting.
 */
import type {
  AllocationStrategy,
  EngineInfo,
  ExecuteRequest,
  LayerTimeHook,
  LogSeverity,
  LogSink,
  OutputAllocatorHooks,
  TensorRTLibraryInfo,
} from "../engine/contract.js";

/** The addon's execution context (the contract's, under the addon's own type). */
export interface NativeContextLike {
  readonly released: boolean;
  setOptimizationProfile(index: number, stream: number): void;
  readonly optimizationProfile: number;
  inferOutputShapes(inputShapes: Float64Array): number[][];
  execute(request: ExecuteRequest): void;
  setDeviceMemory(address: number, bytes: number): void;
  deviceMemoryBytesForShapes(): number;
  setOutputAllocator(tensorName: string, hooks: OutputAllocatorHooks | null): void;
  setProfiler(hook: LayerTimeHook | null, emitPerEnqueue?: boolean): void;
  reportToProfiler(): void;
  release(): void;
}

/** The addon's engine: like the contract's, with its context type in the inspector calls. */
export interface NativeEngineLike {
  readonly info: EngineInfo;
  readonly released: boolean;
  createContext(strategy: AllocationStrategy): NativeContextLike;
  serialize(): Uint8Array;
  engineInformation(context?: NativeContextLike): string;
  layerInformation(layerIndex: number, context?: NativeContextLike): string;
  weightStreamingBudget: number;
  readonly weightStreamingAutomaticBudget: number;
  readonly weightStreamingScratchMemoryBytes: number;
  release(): void;
}

/** The addon's backend over one loaded libnvinfer. */
export interface NativeBackendLike {
  readonly implementation: "native";
  readonly library: TensorRTLibraryInfo;
  deserialize(plan: Uint8Array): Promise<NativeEngineLike>;
  setLogSink(sink: LogSink | null, minSeverity?: LogSeverity): void;
  setEngineHostCodeAllowed(allowed: boolean): void;
}

/** What `loadNative()` returns. */
export interface NativeBindingLike {
  readonly backend: NativeBackendLike;
  readonly addonPath: string;
}

/** Where the native engine should find its libraries (each falls back to the environment variables and the system loader). */
export interface NativeLoadOptions {
  readonly nvinferPath?: string;
  readonly cudartPath?: string;
  readonly addonPath?: string;
}

/**
 * Loads the native engine, or throws saying why not. The default requires
 * @trt/native; tests (and embedders) inject their own, e.g. one that throws
 * as if the package were not installed.
 */
export type NativeLoader = (options: NativeLoadOptions) => NativeBindingLike;
