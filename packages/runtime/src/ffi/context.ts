/**
 * IExecutionContext through the ffi. `execute` is the hot path: per input one
 * setInputShape through a reused native Dims64, setTensorAddress only for
 * tensors whose address changed since this context's last call, one
 * enqueueV3; all functions are resolved once, at construction.
 */
import type {
  EngineInfo,
  ExecuteRequest,
  ExecutionContextHandle,
  LayerTimeHook,
  OutputAllocatorHooks,
} from "../engine/contract.js";
import { InputError, ReleasedError } from "../errors/index.js";
import { callReturningDims, DimsBuffer, writePackedDims } from "./dims.js";
import { FfiOutputAllocator } from "./output-allocator.js";
import { FfiProfiler } from "./profiler.js";
import type { FfiBackendState } from "./backend-state.js";
import type { NativeFunction } from "./vtable.js";
import { destroyWrapper, implOf } from "./vtable.js";

/**
 * What a context uses of its engine (FfiEngine implements it; declared here so
 * that the context does not depend on the engine class that creates it).
 */
export interface ContextEngine {
  readonly shared: FfiBackendState;
  readonly info: EngineInfo;
  /** Each I/O tensor's name as a native C string, in I/O order. */
  readonly nameAddresses: readonly number[];
}

export class FfiContext implements ExecutionContextHandle {
  /** The public IExecutionContext* (what other TensorRT objects take as argument). */
  wrapper: number;
  private readonly impl: number;
  private readonly shared: FfiBackendState;
  private readonly dims = new DimsBuffer();
  private readonly dimsView: DataView;
  private readonly dimsAddress: number;
  /** Name pointers of the inputs (in io order of inputs) and of every I/O tensor. */
  private readonly inputNames: readonly number[];
  private readonly outputIndices: readonly number[];
  private readonly ioNames: readonly number[];
  /** Address last bound per I/O tensor; NaN until bound, so the first execute binds everything. */
  private readonly bound: Float64Array;
  private readonly served: Uint8Array;
  private readonly allocators = new Map<number, FfiOutputAllocator>();
  private profiler: FfiProfiler | null = null;
  private readonly onRelease: () => void;

  private readonly setInputShapeFn: NativeFunction;
  private readonly setTensorAddressFn: NativeFunction;
  private readonly enqueueFn: NativeFunction;
  private readonly getTensorShapeFn: NativeFunction;

  constructor(
    readonly engine: ContextEngine,
    wrapper: number,
    onRelease: () => void,
  ) {
    this.shared = engine.shared;
    this.wrapper = wrapper;
    this.impl = implOf(this.shared.table, wrapper);
    this.onRelease = onRelease;
    this.dimsView = this.dims.view;
    this.dimsAddress = this.dims.address;
    const io = engine.info.io;
    this.ioNames = engine.nameAddresses;
    this.inputNames = io.flatMap((t, i) => (t.mode === "input" ? [engine.nameAddresses[i]!] : []));
    this.outputIndices = io.flatMap((t, i) => (t.mode === "output" ? [i] : []));
    this.bound = new Float64Array(io.length).fill(Number.NaN);
    this.served = new Uint8Array(io.length);
    const b = this.shared.context;
    this.setInputShapeFn = b.method(this.impl, "setInputShape");
    this.setTensorAddressFn = b.method(this.impl, "setTensorAddress");
    this.enqueueFn = b.method(this.impl, "enqueueV3");
    this.getTensorShapeFn = b.method(this.impl, "getTensorShape");
  }

  get released(): boolean {
    return this.wrapper === 0;
  }

  get optimizationProfile(): number {
    this.live("read the optimization profile");
    return this.shared.context.method(this.impl, "getOptimizationProfile")(this.impl) as number;
  }

  setOptimizationProfile(index: number, stream: number): void {
    this.live("set the optimization profile");
    const s = this.shared;
    const mark = s.logger.errorCount;
    if (!s.context.method(this.impl, "setOptimizationProfileAsync")(this.impl, index, stream)) {
      throw s.failure("IExecutionContext::setOptimizationProfileAsync", mark, `profile ${index}`);
    }
    // Bindings are per profile in TensorRT's bookkeeping; rebinding once is cheaper than reasoning about it.
    this.bound.fill(Number.NaN);
  }

  inferOutputShapes(inputShapes: Float64Array): number[][] {
    this.live("infer output shapes");
    this.setShapes(inputShapes, this.shared.logger.errorCount);
    const names = this.ioNames;
    return this.outputIndices.map((i) => callReturningDims(this.getTensorShapeFn, this.dims, this.impl, names[i]!));
  }

  execute(request: ExecuteRequest): void {
    if (this.wrapper === 0) throw new ReleasedError("execution context", "execute");
    const addresses = request.addresses;
    const names = this.ioNames;
    const n = names.length;
    if (addresses.length !== n) this.badLength("addresses", n, addresses.length);
    const s = this.shared;
    const mark = s.logger.errorCount;
    this.setShapes(request.inputShapes, mark);
    const bound = this.bound;
    const impl = this.impl;
    for (let i = 0; i < n; i++) {
      const address = addresses[i]!;
      if (address === bound[i]) continue;
      // An output served by an output allocator gets its memory from reallocateOutput, not from a binding.
      if (address === 0 && this.served[i] === 1) continue;
      if (!this.setTensorAddressFn(impl, names[i], address)) {
        throw s.failure("IExecutionContext::setTensorAddress", mark, `tensor "${this.engine.info.io[i]!.name}"`);
      }
      bound[i] = address;
    }
    const ok = this.enqueueFn(impl, request.stream) as boolean;
    if (this.allocators.size > 0) this.rethrowHookErrors();
    if (this.profiler) this.rethrowProfilerError();
    if (!ok) throw s.failure("IExecutionContext::enqueueV3", mark);
  }

  setDeviceMemory(address: number, bytes: number): void {
    this.live("set device memory");
    const s = this.shared;
    const mark = s.logger.errorCount;
    if (s.context.has("setDeviceMemoryV2")) {
      s.context.method(this.impl, "setDeviceMemoryV2")(this.impl, address, bytes);
      s.checkLog("IExecutionContext::setDeviceMemoryV2", mark, `${bytes} bytes at 0x${address.toString(16)}`);
    } else {
      s.context.method(this.impl, "setDeviceMemory")(this.impl, address);
      s.checkLog("IExecutionContext::setDeviceMemory", mark);
    }
  }

  deviceMemoryBytesForShapes(): number {
    this.live("size device memory");
    return Number(this.shared.context.method(this.impl, "updateDeviceMemorySizeForShapes")(this.impl));
  }

  setOutputAllocator(tensorName: string, hooks: OutputAllocatorHooks | null): void {
    this.live("set an output allocator");
    const index = this.engine.info.io.findIndex((t) => t.name === tensorName && t.mode === "output");
    if (index < 0) {
      throw new InputError({
        problem: "name",
        tensor: tensorName,
        expected: `an output of the engine (${this.engine.info.io.filter((t) => t.mode === "output").map((t) => t.name).join(", ")})`,
        found: JSON.stringify(tensorName),
        fix: "Pass the name of an output tensor.",
      });
    }
    const s = this.shared;
    const next = hooks ? new FfiOutputAllocator(s.table, tensorName, hooks) : null;
    const mark = s.logger.errorCount;
    if (!s.context.method(this.impl, "setOutputAllocator")(this.impl, this.ioNames[index], next ? next.address : 0)) {
      next?.release();
      throw s.failure("IExecutionContext::setOutputAllocator", mark, `tensor "${tensorName}"`);
    }
    // TensorRT now holds the new object (or none): the old one can go.
    this.allocators.get(index)?.release();
    if (next) this.allocators.set(index, next);
    else this.allocators.delete(index);
    this.served[index] = next ? 1 : 0;
    this.bound[index] = Number.NaN;
  }

  setProfiler(hook: LayerTimeHook | null, emitPerEnqueue = true): void {
    this.live("set a profiler");
    const s = this.shared;
    const next = hook ? new FfiProfiler(s.table, hook) : null;
    const mark = s.logger.errorCount;
    s.context.method(this.impl, "setProfiler")(this.impl, next ? next.address : 0);
    try {
      s.checkLog("IExecutionContext::setProfiler", mark);
    } catch (error) {
      next?.release();
      throw error;
    }
    this.profiler?.release();
    this.profiler = next;
    if (next) s.context.method(this.impl, "setEnqueueEmitsProfile")(this.impl, emitPerEnqueue);
  }

  reportToProfiler(): void {
    this.live("report to the profiler");
    const s = this.shared;
    const mark = s.logger.errorCount;
    const ok = s.context.method(this.impl, "reportToProfiler")(this.impl) as boolean;
    this.rethrowProfilerError();
    if (!ok) throw s.failure("IExecutionContext::reportToProfiler", mark);
  }

  /** Destroys the context, then frees the callbacks TensorRT held through it. Idempotent. */
  release(): void {
    if (this.wrapper === 0) return;
    destroyWrapper(this.shared.table, this.wrapper);
    this.wrapper = 0;
    for (const allocator of this.allocators.values()) allocator.release();
    this.allocators.clear();
    this.profiler?.release();
    this.profiler = null;
    this.dims.release();
    this.onRelease();
  }

  /** Throws ReleasedError once released (also used by the engine before using this context). */
  live(operation: string): void {
    if (this.wrapper === 0) throw new ReleasedError("execution context", operation);
  }

  /** setInputShape for every input from the packed [rank, dims...] layout. */
  private setShapes(shapes: Float64Array, mark: number): void {
    const names = this.inputNames;
    const view = this.dimsView;
    let at = 0;
    for (let i = 0; i < names.length; i++) {
      const rank = shapes[at];
      if (rank === undefined || at + 1 + rank > shapes.length || rank > 8 || rank < 0) {
        this.badLength("inputShapes", names.length, i);
      }
      writePackedDims(view, shapes, at + 1, rank);
      if (!this.setInputShapeFn(this.impl, names[i], this.dimsAddress)) {
        const dims = Array.from(shapes.subarray(at + 1, at + 1 + rank));
        throw this.shared.failure("IExecutionContext::setInputShape", mark, `input "${this.inputName(i)}" shape [${dims.join(", ")}]`);
      }
      at += 1 + rank;
    }
  }

  private inputName(inputIndex: number): string {
    return this.engine.info.io.filter((t) => t.mode === "input")[inputIndex]?.name ?? `#${inputIndex}`;
  }

  private badLength(field: "inputShapes" | "addresses", expected: number, found: number): never {
    throw new InputError({
      problem: "count",
      tensor: null,
      expected:
        field === "addresses"
          ? `${expected} addresses (one per I/O tensor, in io order)`
          : `packed shapes for ${expected} inputs ([rank, dims...] each, rank <= 8)`,
      found: field === "addresses" ? `${found}` : `a malformed or short entry for input ${found}`,
      fix: "Build the ExecuteRequest in EngineInfo.io order.",
    });
  }

  private rethrowHookErrors(): void {
    for (const allocator of this.allocators.values()) {
      const error = allocator.takeError();
      if (error !== undefined) throw error;
    }
  }

  private rethrowProfilerError(): void {
    const error = this.profiler?.takeError();
    if (error !== undefined) throw error;
  }
}
