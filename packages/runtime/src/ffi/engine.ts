/**
 * ICudaEngine through the ffi: I/O description cached at construction,
 * contexts, serialization, inspector JSON, weight streaming, release.
 */
import type { AllocationStrategy, EngineHandle, EngineInfo, ExecutionContextHandle } from "../engine/contract.js";
import { freeNative, copyFromNative } from "../device/native-memory.js";
import { InputError, ReleasedError } from "../errors/index.js";
import { FfiContext } from "./context.js";
import { DimsBuffer } from "./dims.js";
import { readEngineInfo } from "./engine-info.js";
import type { FfiBackendState } from "./backend-state.js";
import { destroyWrapper, implOf } from "./vtable.js";

const STRATEGIES: Readonly<Record<AllocationStrategy, "kSTATIC" | "kON_PROFILE_CHANGE" | "kUSER_MANAGED">> = {
  static: "kSTATIC",
  on_profile_change: "kON_PROFILE_CHANGE",
  user_managed: "kUSER_MANAGED",
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export class FfiEngine implements EngineHandle {
  readonly info: EngineInfo;
  /** Native copies of the I/O tensor names, in io order. */
  readonly nameAddresses: readonly number[];
  /** The implementation object (`this` for VCudaEngine methods). */
  readonly impl: number;
  private wrapper: number;
  private readonly contexts = new Set<FfiContext>();
  private inspector: { wrapper: number; impl: number } | null = null;
  private readonly dims = new DimsBuffer();

  constructor(
    readonly shared: FfiBackendState,
    wrapper: number,
  ) {
    this.wrapper = wrapper;
    this.impl = implOf(shared.table, wrapper);
    const read = readEngineInfo(shared, this.impl, this.dims);
    this.info = deepFreeze(read.info);
    this.nameAddresses = read.nameAddresses;
  }

  get released(): boolean {
    return this.wrapper === 0;
  }

  createContext(strategy: AllocationStrategy): ExecutionContextHandle {
    this.live("create an execution context");
    const key = STRATEGIES[strategy];
    if (key === undefined) {
      throw new InputError({
        problem: "name",
        tensor: null,
        expected: `an allocation strategy (${Object.keys(STRATEGIES).join(", ")})`,
        found: JSON.stringify(strategy),
        fix: "Pass one of the listed strategies.",
      });
    }
    const s = this.shared;
    const mark = s.logger.errorCount;
    const wrapper = s.engine.method(this.impl, "createExecutionContext")(
      this.impl,
      s.table.enums.ExecutionContextAllocationStrategy[key],
    ) as number;
    if (!wrapper) throw s.failure("ICudaEngine::createExecutionContext", mark, `strategy ${strategy}`);
    const context = new FfiContext(this, wrapper, () => this.contexts.delete(context));
    this.contexts.add(context);
    return context;
  }

  serialize(): Uint8Array {
    this.live("serialize");
    const s = this.shared;
    const mark = s.logger.errorCount;
    const memory = s.engine.method(this.impl, "serialize")(this.impl) as number;
    if (!memory) throw s.failure("ICudaEngine::serialize", mark);
    try {
      const impl = implOf(s.table, memory);
      const data = s.hostMemory.method(impl, "data")(impl) as number;
      const size = Number(s.hostMemory.method(impl, "size")(impl));
      return copyFromNative(data, size);
    } finally {
      destroyWrapper(s.table, memory);
    }
  }

  engineInformation(context?: ExecutionContextHandle): string {
    this.live("read engine information");
    const inspector = this.inspectorFor(context);
    const s = this.shared;
    const mark = s.logger.errorCount;
    const text = s.inspector.method(inspector, "getEngineInformation")(inspector, s.table.enums.LayerInformationFormat.kJSON) as
      | string
      | null;
    if (text === null) throw s.failure("IEngineInspector::getEngineInformation", mark);
    return text;
  }

  layerInformation(layerIndex: number, context?: ExecutionContextHandle): string {
    this.live("read layer information");
    const inspector = this.inspectorFor(context);
    const s = this.shared;
    const mark = s.logger.errorCount;
    const text = s.inspector.method(inspector, "getLayerInformation")(
      inspector,
      layerIndex,
      s.table.enums.LayerInformationFormat.kJSON,
    ) as string | null;
    if (text === null) throw s.failure("IEngineInspector::getLayerInformation", mark, `layer ${layerIndex}`);
    return text;
  }

  get weightStreamingBudget(): number {
    this.live("read the weight streaming budget");
    return Number(this.shared.engine.method(this.impl, "getWeightStreamingBudgetV2")(this.impl));
  }

  set weightStreamingBudget(bytes: number) {
    this.live("set the weight streaming budget");
    // V2 takes a byte count >= 0 (V1's -1 and -2 do not exist in V2); TensorRT refuses the rest through its log.
    if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes < 0) {
      throw new InputError({
        problem: "size",
        tensor: null,
        expected: "a weight streaming budget that is a whole number of bytes >= 0",
        found: String(bytes),
        fix: "Pass a byte count; at or above info.streamableWeightsBytes, nothing streams.",
      });
    }
    const s = this.shared;
    const set = s.engine.method(this.impl, "setWeightStreamingBudgetV2");
    const mark = s.logger.errorCount;
    if (!set(this.impl, bytes)) throw s.failure("ICudaEngine::setWeightStreamingBudgetV2", mark, `${bytes} bytes`);
  }

  get weightStreamingAutomaticBudget(): number {
    this.live("read the automatic weight streaming budget");
    return Number(this.shared.engine.method(this.impl, "getWeightStreamingAutomaticBudget")(this.impl));
  }

  get weightStreamingScratchMemoryBytes(): number {
    this.live("read the weight streaming scratch size");
    return Number(this.shared.engine.method(this.impl, "getWeightStreamingScratchMemorySize")(this.impl));
  }

  /** Releases the inspector, every context of this engine, then the engine. Idempotent. */
  release(): void {
    if (this.wrapper === 0) return;
    const s = this.shared;
    // The inspector may point at a context: it goes first, then the contexts, then the engine they belong to.
    if (this.inspector) destroyWrapper(s.table, this.inspector.wrapper);
    this.inspector = null;
    for (const context of [...this.contexts]) context.release();
    destroyWrapper(s.table, this.wrapper);
    this.wrapper = 0;
    for (const address of this.nameAddresses) freeNative(address);
    this.dims.release();
  }

  /** Throws ReleasedError once released. */
  live(operation: string): void {
    if (this.wrapper === 0) throw new ReleasedError("engine", operation);
  }

  /** The inspector (created once), pointed at `context` or at none. */
  private inspectorFor(context: ExecutionContextHandle | undefined): number {
    const s = this.shared;
    if (!this.inspector) {
      const mark = s.logger.errorCount;
      const wrapper = s.engine.method(this.impl, "createEngineInspector")(this.impl) as number;
      if (!wrapper) throw s.failure("ICudaEngine::createEngineInspector", mark);
      this.inspector = { wrapper, impl: implOf(s.table, wrapper) };
    }
    let target = 0;
    if (context !== undefined) {
      if (!(context instanceof FfiContext) || context.engine !== this) {
        throw new TypeError("engineInformation/layerInformation: the context must be one created by this engine");
      }
      context.live("inspect");
      target = context.wrapper;
    }
    const impl = this.inspector.impl;
    const mark = s.logger.errorCount;
    // TensorRT's wrapper forwards the public IExecutionContext* (the wrapper), not the implementation.
    if (!s.inspector.method(impl, "setExecutionContext")(impl, target)) {
      throw s.failure("IEngineInspector::setExecutionContext", mark);
    }
    return impl;
  }
}
