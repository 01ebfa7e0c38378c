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
 * Later runs with the same key cost one cudaGraphLaunch plus the copies. A
 * runner keeps the graphs of its last few keys (MAX_GRAPHS), so a caller that
 * alternates between a handful of shapes (batch 1 and 8, say) replays a graph
 * for each instead of capturing on every shape change. Every graph is
 * dropped when a buffer is replaced by a larger one (buffers only grow, so
 * this settles after the largest shape has run once). If capture fails, the
 * runner remembers why and the executor stops using it for this context (the
 * warm-up already produced correct outputs).
 */
import type { ExecutionContextHandle } from "../engine/contract.js";
import type { Bindings } from "../validation/bindings.js";
import type { OutputPlan } from "../validation/output-plan.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import { debug } from "../selection/debug.js";
import { byteLengthOf, elementCount } from "../tensor/dtype.js";
import type { PreparedInput, PreparedRun } from "../validation/prepare.js";
import { CaptureKey } from "./capture-key.js";
import { CapturedGraph } from "./captured-graph.js";
import { GraphBuffers } from "./graph-buffers.js";
import { warnCaptureFailed } from "./graph-policy.js";
import type { DeviceStorage } from "../tensor/storage.js";

/**
 * Output buffers a graph writes in place of its own (outputMemory "reused":
 * module/reused-outputs.ts's ReusedLane): declared here, by what the graphs use,
 * so that this layer does not depend on the module above it.
 */
export interface OutputBuffers {
  /** The device address of output `name`'s buffer, holding at least `bytes`. */
  ensure(name: string, bytes: number): number;
  /** A tensor storage over that buffer for this run's `bytes`. */
  storage(name: string, address: number, bytes: number): DeviceStorage;
}

/** Counters shared by a module's runners (the module's stats). */
export interface GraphCounters {
  /** Graphs captured. */
  captures: number;
  /** Runs served by replaying a graph (capture runs not included). */
  replays: number;
  /** Why graphs were last not used (refused for the engine, or a capture that failed), or null. */
  failure: string | null;
}

/** The bytes an input occupies at its run's shape. */
export function inputBytes(input: PreparedInput): number {
  return byteLengthOf(input.spec.dtype, elementCount(input.shape));
}

/** Graphs one context keeps, most recently used first; beyond this the least recent is destroyed. */
export const MAX_GRAPHS = 8;

/** Graph capture and replay for one context. */
export class GraphRunner {
  /** Most recently used first. */
  private graphs: { key: CaptureKey; graph: CapturedGraph }[] = [];
  /** GraphBuffers.generation when the graphs were captured. */
  private generation = 0;
  /** Device input addresses of recent runs whose inputs were all on the device, most recent first (see bind). */
  private recentInputs: Float64Array[] = [];
  /** Some output aliases an input: inputs always go through the graph's buffers. */
  private readonly aliased: boolean;
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
    this.aliased = bindings.outputs.some((out) => out.aliasedInput !== null);
    this.buffers = new GraphBuffers(device.pool, stream, bindings.ioCount + 1);
    this.addresses = new Float64Array(bindings.ioCount);
  }

  /** Why capture failed on this context, or null. A failed runner is not used again. */
  get failure(): string | null {
    return this.failed;
  }

  /** The graph replayed or captured last, if any (for benchmarks that launch it directly). */
  get captured(): CapturedGraph | null {
    return this.graphs[0]?.graph ?? null;
  }

  /** Graphs held now (at most {@link MAX_GRAPHS}). */
  get graphCount(): number {
    return this.graphs.length;
  }

  /**
   * Chooses this run's tensor addresses and sizes the graph's buffers.
   * Returns true when the run reads its device inputs in place ("direct"):
   * a graph was captured on exactly these input addresses, or the caller
   * passed these same input addresses in one of the last few runs (a caller
   * with fixed input buffers, perhaps one per batch size), so capturing on
   * them saves a copy per input on every replay.
   * Otherwise inputs get the graph's own buffers and the caller copies them
   * in (see graph-launch.ts). Either way the capture key holds every
   * address, so a graph only ever replays on the memory it was captured on.
   * Outputs that alias an input (TensorRT writes them in place) use that
   * input's buffer, and rule out direct inputs. After this, {@link address}
   * gives where each tensor is.
   */
  bind(run: PreparedRun, plan: OutputPlan, reused: OutputBuffers | null = null): boolean {
    const direct = this.directInputs(run);
    if (direct) {
      for (const input of run.inputs) this.addresses[input.spec.ioIndex] = input.storage!.address;
      this.bindOutputs(plan, reused);
      const seen = this.seenRecently(run);
      this.rememberInputs(run);
      if (seen || this.find(run) >= 0) return true;
    }
    for (const input of run.inputs) {
      this.addresses[input.spec.ioIndex] = this.buffers.ensure(input.spec.ioIndex, inputBytes(input));
    }
    this.bindOutputs(plan, reused);
    return false;
  }

  private bindOutputs(plan: OutputPlan, reused: OutputBuffers | null): void {
    for (const out of this.bindings.outputs) {
      const source = out.aliasedInput === null ? undefined : this.bindings.get(out.aliasedInput);
      const bytes = plan.bytes[out.position]!;
      // Module-owned outputs are as stable as graph buffers (grow-only, per lane), so the graph
      // writes them directly: no copy out. A grown one changes the address, hence the key.
      this.addresses[out.ioIndex] = source ? this.addresses[source.ioIndex]! : reused ? reused.ensure(out.name, bytes) : this.buffers.ensure(out.ioIndex, bytes);
    }
  }

  /** Whether every input is device memory on this device and no output writes into an input. */
  private directInputs(run: PreparedRun): boolean {
    if (this.aliased) return false;
    for (const input of run.inputs) if (input.storage === null) return false;
    return run.inputs.length > 0;
  }

  /** Whether one of the last MAX_GRAPHS runs with device inputs had exactly these input addresses. */
  private seenRecently(run: PreparedRun): boolean {
    return this.recentIndex(run) >= 0;
  }

  private recentIndex(run: PreparedRun): number {
    const inputs = run.inputs;
    outer: for (let r = 0; r < this.recentInputs.length; r++) {
      const seen = this.recentInputs[r]!;
      if (seen.length !== inputs.length) continue;
      for (let i = 0; i < seen.length; i++) if (seen[i] !== inputs[i]!.storage!.address) continue outer;
      return r;
    }
    return -1;
  }

  /** Moves this run's input addresses to the front of the recent list (most recent first, at most MAX_GRAPHS). */
  private rememberInputs(run: PreparedRun): void {
    const at = this.recentIndex(run);
    const entry = at >= 0 ? this.recentInputs.splice(at, 1)[0]! : Float64Array.from(run.inputs, (input) => input.storage!.address);
    this.recentInputs.unshift(entry);
    if (this.recentInputs.length > MAX_GRAPHS) this.recentInputs.pop();
  }

  /** Index of the cached graph whose key matches this run's profile, shapes and current addresses; -1 when none. */
  private find(run: PreparedRun): number {
    const graphs = this.graphs;
    for (let i = 0; i < graphs.length; i++) if (graphs[i]!.key.matches(run.profile, run.packed, this.addresses)) return i;
    return -1;
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
    if (this.generation !== this.buffers.generation) {
      // A buffer some graph may point at was freed: none of them is safe to replay.
      this.dropGraphs();
      this.generation = this.buffers.generation;
    }
    const graphs = this.graphs;
    const found = this.find(run);
    if (found >= 0) {
      const entry = graphs[found]!;
      if (found > 0) {
        graphs.splice(found, 1);
        graphs.unshift(entry);
      }
      entry.graph.launch(this.stream);
      this.counters.replays++;
      return;
    }
    const latest = graphs[0];
    const why = latest === undefined ? "first run" : `${latest.key.difference(run.profile, run.packed, this.addresses)} changed`;
    const request = { inputShapes: run.packed, addresses: this.addresses, stream: this.stream };
    if (this.userManaged) {
      // Scratch sized for these shapes, owned by the runner: the graph keeps using it.
      this.context.inferOutputShapes(run.packed);
      const bytes = this.context.deviceMemoryBytesForShapes();
      this.context.setDeviceMemory(this.buffers.ensure(this.scratchSlot, bytes), Math.max(1, bytes));
    }
    this.context.execute(request);
    // The warm-up may have grown the scratch buffer: graphs captured before it point at freed memory.
    if (this.generation !== this.buffers.generation) {
      this.dropGraphs();
      this.generation = this.buffers.generation;
    }
    let graph: CapturedGraph;
    try {
      graph = CapturedGraph.capture(this.device.layer, this.stream, () => this.context.execute(request));
    } catch (error) {
      this.failed = error instanceof Error ? error.message : String(error);
      this.counters.failure = `capture failed: ${this.failed}`;
      warnCaptureFailed(this.engineName, this.failed);
      return;
    }
    this.graphs.unshift({ key: CaptureKey.of(run.profile, run.packed, this.addresses), graph });
    if (this.graphs.length > MAX_GRAPHS) this.graphs.pop()!.graph.release();
    this.counters.captures++;
    debug("cuda graph: captured engine %s on %s (%s)", this.engineName, this.device.name, why);
  }

  /** Destroys the graph (the next run captures again) and frees the buffers. Idempotent. */
  release(): void {
    this.dropGraphs();
    this.buffers.release();
  }

  private dropGraphs(): void {
    for (const { graph } of this.graphs) graph.release();
    this.graphs = [];
  }
}
