/**
 * The native addon seen through the engine contract. The addon's objects
 * already have the contract's members; the adapter adds what the module
 * needs to treat both engines alike: this package's error classes (the addon
 * throws coded plain Errors), and the contract's context type in the
 * inspector calls. `implements` makes the compiler check every member against
 * the contract. The hot path (execute) is one extra JS call.
 */
import type {
  AllocationStrategy,
  EngineHandle,
  EngineInfo,
  ExecuteRequest,
  ExecutionContextHandle,
  LayerTimeHook,
  LogSeverity,
  LogSink,
  OutputAllocatorHooks,
  PluginHost,
  TensorRTBackend,
  TensorRTLibraryInfo,
} from "../engine/contract.js";
import { deserializeHints } from "../errors/deserialize-hints.js";
import { ReleasedError, TensorRTCallError } from "../errors/index.js";
import { variantOf } from "../libraries/variant.js";
import type { NativeBackendLike, NativeBindingLike, NativeContextLike, NativeEngineLike } from "./binding.js";
import { fromNativeError, translating } from "./errors.js";

/** An addon execution context as an {@link ExecutionContextHandle}. */
export class NativeContextAdapter implements ExecutionContextHandle {
  constructor(readonly inner: NativeContextLike) {}

  get released(): boolean {
    return this.inner.released;
  }

  get optimizationProfile(): number {
    this.live("read the optimization profile");
    return translating(() => this.inner.optimizationProfile);
  }

  setOptimizationProfile(index: number, stream: number): void {
    this.live("set the optimization profile");
    translating(() => this.inner.setOptimizationProfile(index, stream));
  }

  inferOutputShapes(inputShapes: Float64Array): number[][] {
    this.live("infer output shapes");
    return translating(() => this.inner.inferOutputShapes(inputShapes));
  }

  execute(request: ExecuteRequest): void {
    try {
      this.inner.execute(request);
    } catch (error) {
      if (this.inner.released) throw new ReleasedError("execution context", "execute");
      throw fromNativeError(error);
    }
  }

  setDeviceMemory(address: number, bytes: number): void {
    this.live("set device memory");
    translating(() => this.inner.setDeviceMemory(address, bytes));
  }

  deviceMemoryBytesForShapes(): number {
    this.live("size device memory");
    return translating(() => this.inner.deviceMemoryBytesForShapes());
  }

  setOutputAllocator(tensorName: string, hooks: OutputAllocatorHooks | null): void {
    this.live("set an output allocator");
    translating(() => this.inner.setOutputAllocator(tensorName, hooks));
  }

  setProfiler(hook: LayerTimeHook | null, emitPerEnqueue?: boolean): void {
    this.live("set a profiler");
    translating(() => this.inner.setProfiler(hook, emitPerEnqueue));
  }

  reportToProfiler(): void {
    this.live("report to the profiler");
    translating(() => this.inner.reportToProfiler());
  }

  release(): void {
    this.inner.release();
  }

  private live(operation: string): void {
    if (this.inner.released) throw new ReleasedError("execution context", operation);
  }
}

/** An addon engine as an {@link EngineHandle}. */
export class NativeEngineAdapter implements EngineHandle {
  constructor(readonly inner: NativeEngineLike) {}

  get info(): EngineInfo {
    return this.inner.info;
  }

  get released(): boolean {
    return this.inner.released;
  }

  createContext(strategy: AllocationStrategy): ExecutionContextHandle {
    this.live("create an execution context");
    return new NativeContextAdapter(translating(() => this.inner.createContext(strategy)));
  }

  serialize(): Uint8Array {
    this.live("serialize");
    return translating(() => this.inner.serialize());
  }

  engineInformation(context?: ExecutionContextHandle): string {
    this.live("read engine information");
    const inner = unwrap(context);
    return translating(() => this.inner.engineInformation(inner));
  }

  layerInformation(layerIndex: number, context?: ExecutionContextHandle): string {
    this.live("read layer information");
    const inner = unwrap(context);
    return translating(() => this.inner.layerInformation(layerIndex, inner));
  }

  get weightStreamingBudget(): number {
    this.live("read the weight streaming budget");
    return translating(() => this.inner.weightStreamingBudget);
  }

  set weightStreamingBudget(bytes: number) {
    this.live("set the weight streaming budget");
    translating(() => {
      this.inner.weightStreamingBudget = bytes;
    });
  }

  get weightStreamingAutomaticBudget(): number {
    this.live("read the automatic weight streaming budget");
    return translating(() => this.inner.weightStreamingAutomaticBudget);
  }

  get weightStreamingScratchMemoryBytes(): number {
    this.live("read the weight streaming scratch size");
    return translating(() => this.inner.weightStreamingScratchMemoryBytes);
  }

  release(): void {
    this.inner.release();
  }

  private live(operation: string): void {
    if (this.inner.released) throw new ReleasedError("engine", operation);
  }
}

function unwrap(context: ExecutionContextHandle | undefined): NativeContextLike | undefined {
  if (context === undefined) return undefined;
  if (!(context instanceof NativeContextAdapter)) {
    throw new TypeError("engineInformation/layerInformation: the context must be one created by this engine");
  }
  return context.inner;
}

/** The addon's backend as a {@link TensorRTBackend}. */
export class NativeBackendAdapter implements TensorRTBackend {
  readonly implementation = "native" as const;
  readonly inner: NativeBackendLike;
  /** The addon file that was loaded. */
  readonly addonPath: string;
  /** The last value given to setEngineHostCodeAllowed (TensorRT's default: refused). */
  private hostCodeAllowed = false;
  private described: { from: TensorRTLibraryInfo; info: TensorRTLibraryInfo } | undefined;
  private pluginHost: PluginHost | undefined;

  constructor(binding: NativeBindingLike) {
    this.inner = binding.backend;
    this.addonPath = binding.addonPath;
  }

  /** The addon's description, with the variant (full, lean, dispatch) told by the file name, as the ffi engine reports it. */
  get library(): TensorRTLibraryInfo {
    const inner = this.inner.library;
    if (this.described?.from !== inner) this.described = { from: inner, info: { ...inner, variant: inner.variant ?? variantOf(inner.path) } };
    return this.described.info;
  }

  async deserialize(plan: Uint8Array): Promise<EngineHandle> {
    try {
      return new NativeEngineAdapter(await this.inner.deserialize(plan));
    } catch (error) {
      const mapped = fromNativeError(error);
      if (!(mapped instanceof TensorRTCallError)) throw mapped;
      const hints = deserializeHints(this.library, mapped.loggerMessages, this.hostCodeAllowed);
      if (!hints) throw mapped;
      const explained = new TensorRTCallError(mapped.method, mapped.loggerMessage, `${plan.byteLength}-byte plan; ${hints}`, mapped.loggerMessages);
      (explained as { cause?: unknown }).cause = error;
      throw explained;
    }
  }

  setLogSink(sink: LogSink | null, minSeverity?: LogSeverity): void {
    // Leave the severity out rather than pass undefined, so the addon applies its own default.
    translating(() => (minSeverity === undefined ? this.inner.setLogSink(sink) : this.inner.setLogSink(sink, minSeverity)));
  }

  setEngineHostCodeAllowed(allowed: boolean): void {
    translating(() => this.inner.setEngineHostCodeAllowed(allowed));
    this.hostCodeAllowed = allowed;
  }

  /** The addon's plugin registry, its errors as this package's; undefined for an addon without one. */
  get plugins(): PluginHost | undefined {
    if (this.pluginHost) return this.pluginHost;
    const inner = translating(() => this.inner.plugins);
    if (!inner) return undefined;
    this.pluginHost = {
      registry: inner.registry,
      // An addon built before the global registry was counted has no such field: it counts the runtime's alone.
      globalRegistry: inner.globalRegistry ?? null,
      creatorCount: () => translating(() => inner.creatorCount()),
      initStandardPlugins: (path) => translating(() => inner.initStandardPlugins(path)),
      loadLibrary: (path) => translating(() => inner.loadLibrary(path)),
    };
    return this.pluginHost;
  }
}
