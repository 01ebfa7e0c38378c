/**
 * One engine implementation's copy of a module's engine: the engine handle
 * and, per lane (see lanes.ts), an execution context (created on the lane's
 * first run, re-created only when settings that shape a context change), the
 * profile it is on, the output-allocator hooks installed on it, and the CUDA
 * graph captured from it (dropped with the context: a graph replays that
 * context's kernels and scratch memory, so it never outlives it).
 */
import type {
  AllocationStrategy,
  EngineHandle,
  EngineImplementation,
  ExecutionContextHandle,
} from "../engine/contract.js";
import type { GraphRunner } from "../graphs/graph-runner.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import { LayerCapture } from "../profiling/layer-capture.js";
import { allocatorHooks } from "./allocator-call.js";
import type { AllocatorCall, AllocatorTarget } from "./allocator-call.js";
import type { Lane } from "./lanes.js";

/** The context of one lane, with what is bound to it. Its output-allocator hooks write into `current`/`last`. */
export class ContextSlot implements AllocatorTarget {
  /** The allocator record of the run executing now on this context (see allocator-call.ts). */
  current: AllocatorCall | null = null;
  /** The allocator record of the last run on this context (for callbacks that come late). */
  last: AllocatorCall | null = null;
  ctx: ExecutionContextHandle | null = null;
  profile = 0;
  readonly served = new Set<string>();
  runner: GraphRunner | null = null;
  /** The context's IProfiler, on only for profiled runs (see profiling/layer-capture.ts). */
  readonly layers = new LayerCapture();

  /** Releases the graph, then the context. */
  drop(): void {
    this.runner?.release();
    this.runner = null;
    this.ctx?.release();
    this.ctx = null;
    this.served.clear();
    this.layers.reset();
  }
}

/** An engine of one implementation, with a context per lane. */
export class EngineInstance {
  private readonly slots: ContextSlot[] = [];

  /**
   * @param strategy how contexts get scratch memory ("user_managed": per run, from the pool).
   * @param makeContext creates a context by calling `create`: the module wraps it to attach its
   *   runtime cache and to count creations (its stats).
   */
  constructor(
    readonly implementation: EngineImplementation,
    readonly engine: EngineHandle,
    readonly strategy: AllocationStrategy,
    private readonly device: ComputeDevice,
    private readonly makeContext: (create: () => ExecutionContextHandle) => ExecutionContextHandle,
  ) {}

  /** Contexts that exist now (one per lane that ran this implementation). */
  get contexts(): number {
    return this.slots.reduce((n, s) => n + (s.ctx ? 1 : 0), 0);
  }

  /** The slot of `lane` (its context may not exist yet). */
  slot(lane: Lane): ContextSlot {
    let slot = this.slots[lane.index];
    if (!slot) this.slots[lane.index] = slot = new ContextSlot();
    return slot;
  }

  /** The lane's context, created if needed, switched to `profile` (on the lane's stream) if it is on another one. */
  contextFor(lane: Lane, profile: number): ExecutionContextHandle {
    const slot = this.slot(lane);
    let ctx = slot.ctx;
    if (ctx === null) {
      ctx = this.makeContext(() => this.engine.createContext(this.strategy));
      slot.ctx = ctx;
      slot.served.clear();
      slot.layers.reset();
      slot.profile = ctx.optimizationProfile;
    }
    if (profile !== slot.profile) {
      ctx.setOptimizationProfile(profile, lane.stream);
      slot.profile = profile;
    }
    return ctx;
  }

  /** Output shapes (I/O order of outputs) for packed input shapes under `profile`; also sets those shapes on the lane's context. */
  inferOutputShapes(lane: Lane, profile: number, packed: Float64Array): number[][] {
    return this.contextFor(lane, profile).inferOutputShapes(packed);
  }

  /** Routes output `name` of the lane's context through the output allocator (once per context). */
  serve(lane: Lane, name: string): void {
    const slot = this.slot(lane);
    if (slot.served.has(name)) return;
    slot.ctx!.setOutputAllocator(name, allocatorHooks(this.device.pool, slot));
    slot.served.add(name);
  }

  /** The graph runner of the lane's context, made by `make` on first use (see src/graphs). */
  graphRunner(lane: Lane, make: (context: ExecutionContextHandle) => GraphRunner): GraphRunner {
    const slot = this.slot(lane);
    slot.runner ??= make(slot.ctx!);
    return slot.runner;
  }

  /** Destroys every captured graph and its buffers (the strategy was turned off, or the contexts go). */
  dropGraph(): void {
    for (const slot of this.slots) {
      slot.runner?.release();
      slot.runner = null;
    }
  }

  /** Releases every graph, then every context; the next run on a lane creates a new one. */
  dropContext(): void {
    for (const slot of this.slots) slot.drop();
  }

  /** Releases the contexts, then the engine. Idempotent. */
  release(): void {
    this.dropContext();
    this.engine.release();
  }
}
