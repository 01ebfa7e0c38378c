/**
 * One engine implementation's copy of a module's engine: the engine handle,
 * its execution context (created on first use, re-created only when
 * settings that shape a context change), the profile the context is on, and
 * the output-allocator hooks installed on it.
 */
import type {
  AllocationStrategy,
  EngineHandle,
  EngineImplementation,
  ExecutionContextHandle,
} from "../engine/contract.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import { allocatorHooks } from "./allocator-call.js";
import type { AllocatorCall, AllocatorTarget } from "./allocator-call.js";

/** An engine of one implementation, with its context. */
export class EngineInstance implements AllocatorTarget {
  /** The allocator record of the run executing now (see allocator-call.ts). */
  current: AllocatorCall | null = null;
  /** The allocator record of the last run (for callbacks that come late). */
  last: AllocatorCall | null = null;
  private ctx: ExecutionContextHandle | null = null;
  private profile = 0;
  private readonly served = new Set<string>();

  /**
   * @param strategy how the context gets scratch memory ("user_managed": per run, from the pool).
   * @param onContextCreated counts context creations (the module's stats).
   */
  constructor(
    readonly implementation: EngineImplementation,
    readonly engine: EngineHandle,
    readonly strategy: AllocationStrategy,
    private readonly device: ComputeDevice,
    private readonly onContextCreated: () => void,
  ) {}

  /** Whether a context exists now. */
  get hasContext(): boolean {
    return this.ctx !== null;
  }

  /** The context, created if needed, switched to `profile` if it is on another one. */
  contextFor(profile: number, stream: number): ExecutionContextHandle {
    let ctx = this.ctx;
    if (ctx === null) {
      ctx = this.engine.createContext(this.strategy);
      this.ctx = ctx;
      this.onContextCreated();
      this.served.clear();
      this.profile = ctx.optimizationProfile;
    }
    if (profile !== this.profile) {
      ctx.setOptimizationProfile(profile, stream);
      this.profile = profile;
    }
    return ctx;
  }

  /** Output shapes (I/O order of outputs) for packed input shapes under `profile`; also sets those shapes on the context. */
  inferOutputShapes(profile: number, packed: Float64Array, stream: number): number[][] {
    return this.contextFor(profile, stream).inferOutputShapes(packed);
  }

  /** Routes output `name` through the output allocator (once per context). */
  serve(name: string): void {
    if (this.served.has(name)) return;
    this.ctx!.setOutputAllocator(name, allocatorHooks(this.device.pool, this));
    this.served.add(name);
  }

  /** Releases the context; the next run creates a new one. */
  dropContext(): void {
    this.ctx?.release();
    this.ctx = null;
    this.served.clear();
  }

  /** Releases the context, then the engine. Idempotent. */
  release(): void {
    this.dropContext();
    this.engine.release();
  }
}
