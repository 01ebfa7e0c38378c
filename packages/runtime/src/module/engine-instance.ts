/**
 * One engine implementation's copy of a module's engine: the engine handle,
 * its execution context (created on first use, re-created only when
 * settings that shape a context change), the profile the context is on, the
 * output-allocator hooks installed on it, and the CUDA graph captured from
 * it (dropped with the context: a graph replays that context's kernels and
 * scratch memory, so it never outlives it).
 */
import type {
  AllocationStrategy,
  EngineHandle,
  EngineImplementation,
  ExecutionContextHandle,
} from "../engine/contract.js";
import type { GraphRunner } from "../graphs/graph-runner.js";
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
  private runner: GraphRunner | null = null;

  /**
   * @param strategy how the context gets scratch memory ("user_managed": per run, from the pool).
   * @param makeContext creates the context by calling `create`: the module wraps it to attach its
   *   runtime cache and to count creations (its stats).
   */
  constructor(
    readonly implementation: EngineImplementation,
    readonly engine: EngineHandle,
    readonly strategy: AllocationStrategy,
    private readonly device: ComputeDevice,
    private readonly makeContext: (create: () => ExecutionContextHandle) => ExecutionContextHandle,
  ) {}

  /** Whether a context exists now. */
  get hasContext(): boolean {
    return this.ctx !== null;
  }

  /** The context, created if needed, switched to `profile` if it is on another one. */
  contextFor(profile: number, stream: number): ExecutionContextHandle {
    let ctx = this.ctx;
    if (ctx === null) {
      ctx = this.makeContext(() => this.engine.createContext(this.strategy));
      this.ctx = ctx;
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

  /** The graph runner of the current context, made by `make` on first use (see src/graphs). */
  graphRunner(make: (context: ExecutionContextHandle) => GraphRunner): GraphRunner {
    this.runner ??= make(this.ctx!);
    return this.runner;
  }

  /** Destroys the captured graph and its buffers (the strategy was turned off, or the context goes). */
  dropGraph(): void {
    this.runner?.release();
    this.runner = null;
  }

  /** Releases the graph, then the context; the next run creates a new context. */
  dropContext(): void {
    this.dropGraph();
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
