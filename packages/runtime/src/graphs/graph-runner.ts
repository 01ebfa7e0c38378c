/**
 * CUDA-graph execution for one execution context: the policy of
 * `cudaGraphStrategy: "whole_graph_capture"`, written once above both engine
 * implementations (the engines only ever see execute() calls).
 *
 * A run binds the graph's own buffers (graph-buffers.ts), has its inputs
 * copied into them (graph-launch.ts), then either replays the captured graph,
 * when the capture key (profile, input shapes, tensor addresses) still
 * matches, or captures a new one:
 *
 *   1. one plain execute() on the graph's buffers. TensorRT does its lazy,
 *      shape-dependent setup on the first enqueue after a change, and some
 *      of that (allocation, synchronization) is forbidden under capture;
 *      this enqueue also computes the run's outputs;
 *   2. execute() again under stream capture, which records the kernels
 *      without running them; instantiate.
 *
 * Later runs with the same key cost one cudaGraphLaunch plus the copies. If
 * capture fails, the runner remembers why and the executor stops using it
 * for this context (the warm-up already produced correct outputs).
 */
import type { ExecutionContextHandle } from "../engine/contract.js";
import type { Bindings } from "../module/bindings.js";
import type { PreparedRun } from "../module/executor.js";
import type { OutputPlan } from "../module/shape-cache.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import { debug } from "../selection/debug.js";
import { byteLengthOf, elementCount } from "../tensor/dtype.js";
import type { PreparedInput } from "../validation/prepare.js";
import { CaptureKey } from "./capture-key.js";
import { CapturedGraph } from "./captured-graph.js";
import { GraphBuffers } from "./graph-buffers.js";
import { warnCaptureFailed } from "./graph-policy.js";

/** Counters shared by a module's runners (the module's stats). */
export interface GraphCounters {
  /** Graphs captured. */
  captures: number;
  /** Runs served by replaying a graph (capture runs not included). */
  replays: number;
}

/** The bytes an input occupies at its run's shape. */
export function inputBytes(input: PreparedInput): number {
  return byteLengthOf(input.spec.dtype, elementCount(input.shape));
}

/** Graph capture and replay for one context. */
export class GraphRunner {
  private graph: CapturedGraph | null = null;
  private key: CaptureKey | null = null;
  private readonly buffers: GraphBuffers;
  /** The addresses every execute() of this runner binds, in engine I/O order. */
  private readonly addresses: Float64Array;
  /** Scratch memory of a user-managed context lives in the slot after the I/O tensors. */
  private readonly scratchSlot: number;
  private failed: string | null = null;

  /**
   * @param userManaged the context takes its scratch memory from the caller (setDeviceMemory).
   * @param engineName names the engine in warnings and debug lines.
   */
  constructor(
    private readonly bindings: Bindings,
    private readonly device: ComputeDevice,
    private readonly stream: number,
    private readonly context: ExecutionContextHandle,
    private readonly userManaged: boolean,
    private readonly counters: GraphCounters,
    private readonly engineName: string,
  ) {
    this.scratchSlot = bindings.ioCount;
    this.buffers = new GraphBuffers(device.pool, stream, bindings.ioCount + 1);
    this.addresses = new Float64Array(bindings.ioCount);
  }

  /** Why capture failed on this context, or null. A failed runner is not used again. */
  get failure(): string | null {
    return this.failed;
  }

  /** The graph that replays now, if any (for benchmarks that launch it directly). */
  get captured(): CapturedGraph | null {
    return this.graph;
  }

  /**
   * Sizes the graph's buffers for this run. Outputs that alias an input
   * (TensorRT writes them in place) use that input's buffer. After this,
   * {@link address} gives where to copy inputs in and results out.
   */
  bind(run: PreparedRun, plan: OutputPlan): void {
    for (const input of run.inputs) {
      this.addresses[input.spec.ioIndex] = this.buffers.ensure(input.spec.ioIndex, inputBytes(input));
    }
    for (const out of this.bindings.outputs) {
      const source = out.aliasedInput === null ? undefined : this.bindings.get(out.aliasedInput);
      this.addresses[out.ioIndex] = source ? this.addresses[source.ioIndex]! : this.buffers.ensure(out.ioIndex, plan.bytes[out.position]!);
    }
  }

  /** The graph buffer of the I/O tensor at `ioIndex` (valid after {@link bind}). */
  address(ioIndex: number): number {
    return this.addresses[ioIndex]!;
  }

  /**
   * Runs the engine on the graph's buffers, whose inputs hold this run's
   * data: a replay when the capture key matches, else warm-up and capture.
   * A TensorRT error in the warm-up propagates (plain enqueue would have
   * failed the same way); a failed capture does not (see {@link failure}).
   */
  execute(run: PreparedRun): void {
    const graph = this.graph;
    if (graph !== null && this.key!.matches(run.profile, run.packed, this.addresses)) {
      graph.launch(this.stream);
      this.counters.replays++;
      return;
    }
    const why = this.key === null ? "first run" : `${this.key.difference(run.profile, run.packed, this.addresses)} changed`;
    this.dropGraph();
    const request = { inputShapes: run.packed, addresses: this.addresses, stream: this.stream };
    if (this.userManaged) {
      // Scratch sized for these shapes, owned by the runner: the graph keeps using it.
      this.context.inferOutputShapes(run.packed);
      const bytes = this.context.deviceMemoryBytesForShapes();
      this.context.setDeviceMemory(this.buffers.ensure(this.scratchSlot, bytes), Math.max(1, bytes));
    }
    this.context.execute(request);
    try {
      this.graph = CapturedGraph.capture(this.device.layer, this.stream, () => this.context.execute(request));
    } catch (error) {
      this.failed = error instanceof Error ? error.message : String(error);
      warnCaptureFailed(this.engineName, this.failed);
      return;
    }
    this.key = CaptureKey.of(run.profile, run.packed, this.addresses);
    this.counters.captures++;
    debug("cuda graph: captured engine %s on %s (%s)", this.engineName, this.device.name, why);
  }

  /** Destroys the graph (the next run captures again) and frees the buffers. Idempotent. */
  release(): void {
    this.dropGraph();
    this.buffers.release();
  }

  private dropGraph(): void {
    this.graph?.release();
    this.graph = null;
    this.key = null;
  }
}
