/**
 * The hot path of `run()`, written once above both engine implementations:
 *
 *   validate -> output plan (cached per input-shape signature) -> allocate
 *   outputs from the pool -> one execute() call -> (caller awaits the
 *   stream) -> outputs as tensors.
 *
 * `prepare` only looks at the inputs, so bad input fails before any engine
 * is touched. `launch` enqueues and returns at once. `finish` runs when the
 * stream is done and turns memory into tensors, including outputs whose
 * shape only the output allocator knew.
 *
 * With `cudaGraphs` on, `launch` hands the run to the context's graph runner
 * instead of calling execute() itself (src/graphs), when the run can use a
 * graph; `finish` is the same for both paths.
 */
import { RuntimeUnavailableError, TensorRTCallError } from "../errors/index.js";
import { launchThroughGraph } from "../graphs/graph-launch.js";
import { whyNoGraphs } from "../graphs/graph-policy.js";
import { GraphRunner, inputBytes } from "../graphs/graph-runner.js";
import type { GraphCounters } from "../graphs/graph-runner.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import type { LayerTime } from "../profiling/run-profile.js";
import type { RunRecorder } from "../profiling/run-recorder.js";
import { byteLengthOf, elementCount } from "../tensor/dtype.js";
import { DeviceStorage } from "../tensor/storage.js";
import { RunResources } from "../run/run-resources.js";
import type { ExecutionContextHandle } from "../engine/contract.js";
import { Tensor } from "../tensor/tensor.js";
import type { RunInputs } from "../validation/inputs.js";
import { collectInputs } from "../validation/inputs.js";
import { prepareInput } from "../validation/prepare.js";
import { copyHostInput, hostBytes } from "../run/copy-host-input.js";
import type { PreparedRun } from "../validation/prepare.js";
import type { Lane } from "./lanes.js";
import { selectProfile } from "../validation/profile.js";
import { AllocatorCall } from "./allocator-call.js";
import type { Bindings } from "../validation/bindings.js";
import type { EngineInstance } from "./engine-instance.js";
import { RunResult } from "./result.js";
import type { ReusedLane, ReusedOutputs } from "./reused-outputs.js";
import type { OutputPlan } from "../validation/output-plan.js";
import { OutputShapeCache } from "../validation/output-plan.js";

/** Options of one run. */
export interface RunOptions {
  /** Optimization profile to use; default: the first whose min..max holds the input shapes. */
  readonly profile?: number;
  /**
   * Profile this run (default false): the result's `profiling` then holds
   * TensorRT's per-layer times for it and the runtime's own phases, and the
   * module's `profiler` adds it to its statistics. A profiled run goes
   * through plain enqueue (a CUDA-graph replay reports no layer times), and
   * the profiler is switched off again for the next unprofiled run.
   */
  readonly profiling?: boolean;
}

/** A run that was enqueued and whose outputs are not tensors yet. */
export interface LaunchedRun {
  readonly instance: EngineInstance;
  /** The lane (context and stream) it runs on. */
  readonly lane: Lane;
  readonly plan: OutputPlan;
  /** Everything the run holds (outputs, leases on device inputs); `finish` hands the outputs to tensors and releases the rest. */
  readonly resources: RunResources;
  /** What the output allocator handed out (data-dependent outputs), else null. */
  readonly call: AllocatorCall | null;
  /** The lane's module-owned output buffers (outputMemory "reused"), else null. */
  readonly reused: ReusedLane | null;
  /** Where this run's layer times go (a profiled run), else null. */
  readonly layers: LayerTime[] | null;
}

/** What an executor is made with: fixed for the module's life, except the CUDA-graph setting it reads per run. */
export interface ExecutorOptions {
  readonly bindings: Bindings;
  readonly device: ComputeDevice;
  /** The tuple says every output goes through the output allocator. */
  readonly allOutputsAllocated: boolean;
  /** Names the engine in warnings. */
  readonly engineName: string;
  /** Module-owned output buffers (outputMemory "reused"); null: every run's outputs are owned by the caller. */
  readonly reused: ReusedOutputs | null;
  /** Whether runs go through CUDA graphs now (cudaGraphStrategy "whole_graph_capture"): the module's setting, asked per run. */
  readonly cudaGraphs: () => boolean;
}

/** Per-module execution state and policy. */
export class Executor {
  /** Output plans by input-shape signature (shared by both implementations: same engine, same answers). */
  readonly shapeCache = new OutputShapeCache();
  /** Captures and replays over the module's life. */
  readonly graphCounters: GraphCounters = { captures: 0, replays: 0, failure: null };
  readonly bindings: Bindings;
  readonly device: ComputeDevice;
  private readonly allOutputsAllocated: boolean;
  private readonly engineName: string;
  private readonly reused: ReusedOutputs | null;
  private readonly cudaGraphs: () => boolean;

  constructor(options: ExecutorOptions) {
    this.bindings = options.bindings;
    this.device = options.device;
    this.allOutputsAllocated = options.allOutputsAllocated;
    this.engineName = options.engineName;
    this.reused = options.reused;
    this.cudaGraphs = options.cudaGraphs;
    this.hostLocated = this.device.kind === "cuda" && this.bindings.inputs.some((i) => i.location === "host");
  }

  /** Inputs TensorRT reads from host memory (shape tensors) on a GPU: not staged yet, so refused rather than mis-bound. */
  private readonly hostLocated: boolean;

  private refuseHostLocated(): never {
    const names = this.bindings.inputs.filter((i) => i.location === "host").map((i) => i.name);
    throw new RuntimeUnavailableError({
      component: "device",
      expected: "inputs that live in device memory",
      reason: `input${names.length > 1 ? "s" : ""} ${names.join(", ")} must be in host memory (shape tensors), which this runtime does not stage yet`,
      fix: "Rebuild the engine without shape-tensor inputs, or run it through Torch-TensorRT for now.",
    });
  }

  /**
   * The last run prepared from Tensors only, and those tensors: a replay with
   * the very same tensors (the loop of a served model, or a CUDA-graph replay)
   * reuses its checks. A Tensor's dtype, shape and memory never change, so
   * identity plus a liveness check says everything the full checks would.
   */
  private lastPrepared: { readonly values: readonly Tensor[]; readonly profile: number | undefined; readonly run: PreparedRun } | null = null;

  /** Checks the inputs and picks the profile. Throws InputError; touches no engine. */
  prepare(inputs: RunInputs, options: RunOptions = {}): PreparedRun {
    if (this.hostLocated) this.refuseHostLocated();
    const values = collectInputs(this.bindings, inputs);
    const last = this.lastPrepared;
    if (last !== null && last.profile === options.profile && sameLiveTensors(last.values, values)) return last.run;
    const prepared = this.bindings.inputs.map((spec, i) => prepareInput(spec, values[i]!, this.device));
    const profile = selectProfile(prepared, this.bindings.profileCount, options.profile);
    let length = 0;
    for (const p of prepared) length += 1 + p.shape.length;
    const packed = new Float64Array(length);
    let at = 0;
    for (const spec of this.bindings.inputsInIoOrder) {
      const shape = prepared[spec.position]!.shape;
      packed[at++] = shape.length;
      for (const d of shape) packed[at++] = d;
    }
    const run: PreparedRun = { inputs: prepared, packed, profile };
    this.lastPrepared = values.every((v) => v instanceof Tensor) ? { values: [...values] as Tensor[], profile: options.profile, run } : null;
    return run;
  }

  /**
   * Binds the inputs and outputs and enqueues one execution on the lane's context and stream
   * (or hands the run to the lane's CUDA graph). Does not wait. Everything the run holds is in
   * the result's `resources`; when this throws, they have been given back.
   * @param recorder set for a profiled run: its layer times are collected in {@link finish}.
   */
  launch(instance: EngineInstance, run: PreparedRun, lane: Lane, recorder: RunRecorder | null = null): LaunchedRun {
    const { bindings, device } = this;
    const plan = this.plan(instance, run, lane);
    // The context exists and is on the run's profile before either path (a graph runner belongs to it).
    const context = instance.contextFor(lane, run.profile);
    // A new run on the lane: tensors the lane's reused buffers gave out before turn stale now.
    const reused = this.reused === null ? null : this.reused.forLane(lane);
    reused?.begin();
    const layers = recorder === null ? null : recorder.layers;
    const resources = new RunResources(device, lane.stream);
    let call: AllocatorCall | null = null;
    try {
      // Before either path: a graph must never be captured with a profiler installed.
      const capture = instance.slot(lane).layers;
      if (capture.reportPending) device.synchronize(lane.stream);
      capture.prepare(context, layers);
      if (layers) resources.onFailure(() => instance.slot(lane).layers.forget(layers));
      const runner = this.cudaGraphs() && layers === null ? this.graphRunner(instance, plan, lane) : null;
      if (runner) {
        launchThroughGraph(runner, run, plan, bindings, resources, reused);
      } else {
        const addresses = new Float64Array(bindings.ioCount);
        const inputAddresses = this.bindInputs(run, resources, reused, addresses);
        this.bindOutputs(instance, lane, run, plan, resources, reused, inputAddresses, addresses);
        call = this.enqueue(instance, lane, context, run, plan, resources, reused, addresses);
      }
      // Stream-ordered frees: the temporaries return to the pool once this run's work is done.
      resources.enqueued();
    } catch (error) {
      resources.release();
      throw error;
    }
    return { instance, lane, plan, resources, call, reused, layers };
  }

  /** Each input's device address into `addresses` (and, in binding order, the return value): in place, or copied into a temporary. */
  private bindInputs(run: PreparedRun, resources: RunResources, reused: ReusedLane | null, addresses: Float64Array): number[] {
    const { pool } = this.device;
    const { stream } = resources;
    const inputAddresses: number[] = [];
    for (const input of run.inputs) {
      let address: number;
      if (input.storage && reused?.holds(input.storage.address)) {
        // An output of this lane's last run fed back in: copy it first, as this run rewrites that buffer.
        const bytes = inputBytes(input);
        address = resources.temporary(bytes);
        if (bytes > 0) pool.copyWithin(address, input.storage.address, bytes, stream);
      } else if (input.storage) {
        address = resources.hold(input.storage);
      } else {
        const host = input.host!;
        address = resources.temporary(hostBytes(host));
        copyHostInput(pool, address, host, stream);
      }
      inputAddresses.push(address);
      addresses[input.spec.ioIndex] = address;
    }
    return inputAddresses;
  }

  /** Each output's memory, into `addresses` and the run's resources (in binding order): new, the lane's reused buffer, an input's (aliased), or none (output allocator). */
  private bindOutputs(
    instance: EngineInstance,
    lane: Lane,
    run: PreparedRun,
    plan: OutputPlan,
    resources: RunResources,
    reused: ReusedLane | null,
    inputAddresses: readonly number[],
    addresses: Float64Array,
  ): void {
    const { bindings } = this;
    for (const out of bindings.outputs) {
      const j = out.position;
      if (plan.dataDependent[j]) {
        instance.serve(lane, out.name);
        addresses[out.ioIndex] = 0;
        resources.borrowedOutput(null);
        continue;
      }
      const source = out.aliasedInput === null ? undefined : bindings.get(out.aliasedInput);
      if (source) {
        // The engine writes this output into its input's memory: the output is a view of that memory.
        const input = run.inputs[source.position]!;
        const address = inputAddresses[source.position]!;
        addresses[out.ioIndex] = address;
        if (input.storage && input.storage.address === address) resources.borrowedOutput(input.storage);
        else resources.outputFromTemporary(address);
        continue;
      }
      const bytes = plan.bytes[j]!;
      if (reused) {
        const address = reused.ensure(out.name, bytes);
        resources.borrowedOutput(reused.storage(out.name, address, bytes));
        addresses[out.ioIndex] = address;
        continue;
      }
      addresses[out.ioIndex] = resources.newOutput(bytes).address;
    }
  }

  /** Scratch for a dynamic-allocation context, the allocator's record for data-dependent outputs, then one execute(). */
  private enqueue(
    instance: EngineInstance,
    lane: Lane,
    context: ExecutionContextHandle,
    run: PreparedRun,
    plan: OutputPlan,
    resources: RunResources,
    reused: ReusedLane | null,
    addresses: Float64Array,
  ): AllocatorCall | null {
    if (instance.strategy === "user_managed") {
      // Scratch sized for these shapes, only for this run (Torch-TensorRT's "dynamic" resource allocation).
      context.inferOutputShapes(run.packed);
      const bytes = context.deviceMemoryBytesForShapes();
      context.setDeviceMemory(resources.temporary(bytes), Math.max(1, bytes));
    }
    let call: AllocatorCall | null = null;
    if (plan.dataDependent.includes(true)) {
      const made = new AllocatorCall(reused);
      resources.onFailure(() => made.free(this.device.pool, resources.stream));
      call = made;
    }
    const slot = instance.slot(lane);
    slot.current = call;
    try {
      context.execute({ inputShapes: run.packed, addresses, stream: resources.stream });
    } finally {
      slot.current = null;
      if (call) slot.last = call;
    }
    return call;
  }

  /** Once the stream is done: the outputs as tensors (data-dependent ones with their real shapes). The run's resources are released either way. */
  finish(launched: LaunchedRun): RunResult {
    const { bindings, device } = this;
    const { plan, resources, call, reused } = launched;
    const stream = launched.lane.stream;
    try {
      if (launched.layers) {
        // The stream is done: TensorRT can report this run's layer times now.
        const slot = launched.instance.slot(launched.lane);
        if (slot.ctx) slot.layers.collect(slot.ctx, launched.layers);
      }
      const storages = resources.storages;
      // Check before making any tensor, so a failure leaves nothing half-owned (release() then frees it all).
      const missing = bindings.outputs.find((out, j) => !storages[j] && !call!.shapes.has(out.name));
      if (missing) throw new TensorRTCallError("IOutputAllocator::notifyShape", null, `output "${missing.name}": the engine never reported its shape`);
      const tensors = bindings.outputs.map((out, j) => {
        const storage = storages[j];
        if (storage) return Tensor.fromStorage(storage, out.dtype, plan.shapes[j]!);
        const shape = call!.shapes.get(out.name)!;
        if (reused) {
          // The allocator handed out the lane's buffer (or never asked, for an empty output).
          const bytes = byteLengthOf(out.dtype, elementCount(shape));
          return Tensor.fromStorage(reused.storage(out.name, reused.ensure(out.name, bytes), bytes), out.dtype, shape);
        }
        const memory = call!.memory.get(out.name);
        call!.memory.delete(out.name);
        // Nothing allocated means nothing was written (an empty output): give it a (1-byte) allocation of its own.
        const owned = memory ?? { address: device.pool.alloc(0, stream), bytes: 1 };
        return Tensor.fromStorage(new DeviceStorage(device, owned.address, owned.bytes, true, stream), out.dtype, shape);
      });
      resources.handOver();
      return new RunResult(bindings.outputNames, tensors);
    } finally {
      resources.release();
    }
  }

  /** Gives back everything a launched run holds, when waiting for it failed and no tensor will be made. */
  abandon(launched: LaunchedRun): void {
    launched.resources.release();
  }

  /** The context's graph runner when this run can use a CUDA graph (else null, after a warning once per process). */
  private graphRunner(instance: EngineInstance, plan: OutputPlan, lane: Lane): GraphRunner | null {
    const refused = whyNoGraphs(this.device, plan, this.engineName);
    if (refused !== null) {
      this.graphCounters.failure = refused;
      return null;
    }
    const runner = instance.graphRunner(
      lane,
      (context) =>
        new GraphRunner(this.bindings, this.device, lane.stream, context, instance.strategy === "user_managed", this.graphCounters, this.engineName),
    );
    return runner.failure === null ? runner : null;
  }

  /** Output shapes and sizes for this run's input shapes: from the cache, else from the engine. */
  private plan(instance: EngineInstance, run: PreparedRun, lane: Lane): OutputPlan {
    const cached = this.shapeCache.lookup(run.profile, run.packed);
    if (cached) return cached;
    const inferred = instance.inferOutputShapes(lane, run.profile, run.packed);
    // inferOutputShapes answers in engine I/O order of outputs; the module's order may differ.
    const byIo = [...this.bindings.outputs].sort((a, b) => a.ioIndex - b.ioIndex);
    const shapes: number[][] = new Array(this.bindings.outputs.length);
    byIo.forEach((out, k) => (shapes[out.position] = inferred[k]!));
    const dataDependent = shapes.map((s) => this.allOutputsAllocated || s.includes(-1));
    const plan: OutputPlan = {
      shapes: shapes.map((s) => Object.freeze([...s])),
      bytes: this.bindings.outputs.map((out, j) => (dataDependent[j] ? -1 : byteLengthOf(out.dtype, elementCount(shapes[j]!)))),
      dataDependent,
    };
    this.shapeCache.store(run.profile, run.packed, plan);
    return plan;
  }
}

/**
 * Whether `values` are the same Tensor objects as `previous`, each still usable:
 * reading its memory runs the same disposed and stale checks the full preparation
 * does, and throws the same errors.
 */
function sameLiveTensors(previous: readonly Tensor[], values: readonly unknown[]): boolean {
  if (previous.length !== values.length) return false;
  for (let i = 0; i < values.length; i++) {
    const value = previous[i]!;
    if (values[i] !== value || value.disposed) return false;
    if (value.deviceStorage === null) void value.hostData;
  }
  return true;
}
