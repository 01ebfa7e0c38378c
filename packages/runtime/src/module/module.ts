/**
 * TensorRTModule: the one object users hold. It keeps the serialized record
 * (so saving writes the same bytes whichever engine loaded it), the binding
 * specs, the runtime settings, and one engine instance per engine
 * implementation, each deserialized from the same bytes the first time a run
 * selects that implementation, and all released together.
 */
import type { RawTuple, SerializedEngine } from "@trt/format";
import { encodeTuple } from "@trt/format";
import { writeEngineFile, writeEngineFileSync } from "@trt/format/node";
import type { WriteEngineFileOptions } from "@trt/format/node";
import { RuntimeSettings } from "@trt/settings";
import { honourRuntimeSettings } from "@trt/settings/advanced";
import type { RuntimeCapabilities, SettingsTarget } from "@trt/settings";
import { ModuleRuntimeCache } from "../cache/module-cache.js";
import type { EngineImplementation, EngineInfo, ExecutionContextHandle } from "../engine/contract.js";
import { TensorRTEnvironment } from "../environment/environment.js";
import { ReleasedError, RuntimeUnavailableError } from "../errors/index.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import { checkPlanFitsLibrary } from "./plan-fits-library.js";
import type { RuntimeKind } from "../selection/kind.js";
import type { RunInputs } from "../validation/inputs.js";
import { parseLayerInformation } from "../profiling/layer-information.js";
import type { LayerInformation } from "../profiling/layer-information.js";
import { ModuleProfiler } from "../profiling/layer-stats.js";
import { RunRecorder } from "../profiling/run-recorder.js";
import { Bindings } from "../validation/bindings.js";
import type { BindingSpec } from "../validation/bindings.js";
import { EngineInstance } from "./engine-instance.js";
import { LanePool } from "./lanes.js";
import type { Lane } from "./lanes.js";
import { Executor } from "./executor.js";
import type { LaunchedRun, RunOptions } from "./executor.js";
import type { PreparedRun } from "../validation/prepare.js";
import { attachProfiling } from "./result.js";
import type { RunResult } from "./result.js";
import { ReusedOutputs } from "./reused-outputs.js";
import { savedRecord } from "./saved-record.js";
import type { OutputMemory } from "./reused-outputs.js";
import { recordFromEngine, recordFromFile, recordFromTuple } from "./sources.js";
import { deserializeWithPlugins } from "./deserialize.js";
import type { PluginLibraryRequest } from "../plugins/plugin-paths.js";
import type { EngineModuleOptions, LoadOptions, ModuleOptions, ModuleStats } from "./module-options.js";
import { checkModuleOptions, placeRecord } from "./module-setup.js";
import { checkWeightStreamingBudget, setWeightStreamingBudgets, weightStreamingBytes, weightStreamingState } from "./weight-streaming.js";
import type { WeightStreamingBudget, WeightStreamingState } from "./weight-streaming.js";

export type { EngineModuleOptions, LoadOptions, ModuleOptions, ModuleStats } from "./module-options.js";

interface ModuleInit {
  readonly record: SerializedEngine;
  readonly environment: TensorRTEnvironment;
  readonly device: ComputeDevice;
  readonly bindings: Bindings;
  readonly info: EngineInfo;
  readonly settings: RuntimeSettings;
  readonly maxConcurrency: number;
  readonly outputMemory: OutputMemory;
  readonly plugins: readonly PluginLibraryRequest[];
}

/** A serialized TensorRT engine, ready to run on either engine implementation. */
export class TensorRTModule implements SettingsTarget, Disposable, AsyncDisposable {
  /** Where TensorRT and the devices come from. */
  readonly environment: TensorRTEnvironment;
  /** The device the engine runs on; outputs live here, and device inputs must too. */
  readonly device: ComputeDevice;
  /** The engine's description (the same from either implementation). */
  readonly info: EngineInfo;
  /**
   * Statistics of this module's profiled runs (`run(inputs, { profiling: true })`):
   * per layer count, total, mean, median, p99, min and max; the latest run
   * profiles, as a Chrome trace too. `reset()` starts over.
   */
  readonly profiler = new ModuleProfiler();
  /** Who owns the outputs' memory (see ModuleOptions.outputMemory). */
  readonly outputMemory: OutputMemory;
  private readonly reused: ReusedOutputs | null;
  private readonly record: SerializedEngine;
  /** The module's own plugin libraries (its `plugins` option), loaded before each implementation's engine. */
  private readonly plugins: readonly PluginLibraryRequest[];
  private readonly bindings: Bindings;
  private readonly executor: Executor;
  private readonly stream: number;
  private readonly lanes: LanePool;
  private settings: RuntimeSettings;
  private readonly cache: ModuleRuntimeCache;
  private readonly instances = new Map<EngineImplementation, EngineInstance>();
  private readonly pending = new Map<EngineImplementation, Promise<EngineInstance>>();
  private releasedFlag = false;
  private inFlight = 0;
  private contextsCreated = 0;
  private enginesCreated = 0;
  private runs = 0;
  /** The last weight-streaming budget set (applied to engines deserialized later too); null: engines keep their default. */
  private weightBudget: WeightStreamingBudget | null = null;

  private constructor(init: ModuleInit) {
    this.environment = init.environment;
    this.device = init.device;
    this.info = init.info;
    this.bindings = init.bindings;
    this.record = Object.freeze({
      ...init.record,
      inputBindingNames: [...init.bindings.inputNames],
      outputBindingNames: [...init.bindings.outputNames],
    });
    this.settings = init.settings;
    this.plugins = init.plugins;
    this.stream = init.device.acquireStream();
    this.lanes = new LanePool(init.device, init.maxConcurrency, this.stream);
    this.outputMemory = init.outputMemory;
    this.reused = init.outputMemory === "reused" ? new ReusedOutputs(init.device) : null;
    this.executor = new Executor({
      bindings: init.bindings,
      device: init.device,
      allOutputsAllocated: init.record.requiresOutputAllocator,
      engineName: init.record.name,
      reused: this.reused,
      // Read per run: the setting can change (applySettings), and takes effect on the next run.
      cudaGraphs: () => this.settings.cudaGraphStrategy === "whole_graph_capture",
    });
    this.cache = new ModuleRuntimeCache(() => this.environment.runtimeCacheAttachments);
    this.cache.follow(init.settings);
  }

  /**
   * A module from a file, or the file's bytes: a raw TensorRT plan (`model.engine`,
   * as trtexec writes it), a Torch-TensorRT archive (`model.ep`, `model.ts`; pick one
   * engine with `engine` when it holds several), or a container or pickled tuple
   * (what `save()` writes). The kind is told from the content, not the name.
   */
  static async load(source: string | Uint8Array, options: LoadOptions = {}): Promise<TensorRTModule> {
    const { record, nameFromEngine } = await recordFromFile(source, options);
    return TensorRTModule.create(record, options, nameFromEngine);
  }

  /** A module from an engine tuple (raw slots, any supported ABI) or a decoded SerializedEngine. */
  static async fromTuple(tuple: RawTuple | SerializedEngine, options: ModuleOptions = {}): Promise<TensorRTModule> {
    return TensorRTModule.create(recordFromTuple(tuple), options, false);
  }

  /**
   * A module from raw TensorRT engine bytes, like Torch-TensorRT's
   * `TorchTensorRTModule(serialized_engine, input_binding_names, ...)`.
   * Binding names left out are taken from the engine, in I/O order.
   */
  static async fromEngine(engine: Uint8Array, options: EngineModuleOptions = {}): Promise<TensorRTModule> {
    return TensorRTModule.create(recordFromEngine(engine, options), options, options.name === undefined);
  }

  private static async create(record: SerializedEngine, options: ModuleOptions, nameFromEngine: boolean): Promise<TensorRTModule> {
    const environment = options.environment ?? TensorRTEnvironment.default();
    const { settings, maxConcurrency, outputMemory, plugins } = checkModuleOptions(options, environment);
    const implementation = environment.resolve().implementation;
    const backend = environment.backend(implementation);
    const device = placeRecord(environment, record, options.device);
    device.makeCurrent();
    checkPlanFitsLibrary(record.engine, backend.library);
    const engine = await deserializeWithPlugins(environment, backend, record.engine, device.deserializeOptions, plugins);
    let module: TensorRTModule;
    try {
      const bindings = Bindings.resolve(engine.info, record.inputBindingNames, record.outputBindingNames);
      const named = nameFromEngine ? { ...record, name: engine.info.name } : record;
      module = new TensorRTModule({ record: named, environment, device, bindings, info: engine.info, settings, maxConcurrency, outputMemory, plugins });
    } catch (error) {
      engine.release();
      throw error;
    }
    module.adopt(implementation, engine);
    return module;
  }

  /** The module's name (the tuple's name slot). */
  get name(): string {
    return this.record.name;
  }

  /** Input names, in the order positional inputs take. */
  get inputNames(): readonly string[] {
    return this.bindings.inputNames;
  }

  /** Output names, in the order `result.list` has them. */
  get outputNames(): readonly string[] {
    return this.bindings.outputNames;
  }

  /** Inputs as the engine describes them (dtype, shape with -1 for dynamic dims, profiles), in binding order. */
  get inputs(): readonly BindingSpec[] {
    return this.bindings.inputs;
  }

  /** Outputs as the engine describes them, in binding order. */
  get outputs(): readonly BindingSpec[] {
    return this.bindings.outputs;
  }

  /** Whether release() was called. */
  get released(): boolean {
    return this.releasedFlag;
  }

  /** The settings in effect (see @trt/settings). */
  get runtimeSettings(): RuntimeSettings {
    return this.settings;
  }

  /**
   * Changes the settings. Values the loaded TensorRT cannot honour are kept
   * as they were (with one warning per process); a value equal to the
   * current one changes nothing. A new runtime cache or kernel strategy
   * re-creates the execution contexts once (lazily, on the next run); a new
   * CUDA-graph strategy re-creates none (turning it off frees the captured
   * graphs). Contexts are dropped only after runs in flight finish.
   */
  set runtimeSettings(value: RuntimeSettings) {
    const next = honourRuntimeSettings(RuntimeSettings.from(value), this.settings, this.runtimeCapabilities);
    if (next.equals(this.settings)) return;
    const previous = this.settings;
    this.settings = next;
    this.applySettings(previous, next);
  }

  /**
   * Streamable weight bytes the engine keeps in device memory; the rest
   * streams from host memory as the engine runs. Equal to
   * `info.streamableWeightsBytes` while nothing streams (the default), and 0
   * for engines built without weight streaming. See
   * {@link setWeightStreamingBudget} and {@link weightStreaming}.
   */
  get weightStreamingBudget(): number {
    return this.weightStreaming.budgetBytes;
  }

  /**
   * Weight-streaming numbers as the engine reports them now: streamable
   * bytes, budget, automatic budget, scratch. Asked of the engine of the
   * implementation selected here when it exists, else of the module's other one.
   */
  get weightStreaming(): WeightStreamingState {
    this.live("read the weight streaming state");
    return weightStreamingState(this.anyInstance()?.engine ?? null, this.info.streamableWeightsBytes, this.weightBudget);
  }

  /**
   * Sets how many bytes of the engine's streamable weights stay in device
   * memory (TensorRT's weight streaming; the engine must have been built
   * with it): a byte count from 0 (stream them all: least device memory,
   * slowest) to `info.streamableWeightsBytes` (stream none), `"auto"`
   * (TensorRT's choice from the free device memory) or `"off"` (stream none).
   * Results do not change; memory use and speed do.
   *
   * Applies to every engine implementation's engine of this module, and to
   * any deserialized later. TensorRT takes a new budget only while no
   * execution context exists, so this waits (blocking) for runs in flight,
   * then releases the contexts and their CUDA graphs; the next runs make new
   * ones. Setting the budget in effect changes nothing.
   *
   * @throws WeightStreamingError (code "WEIGHT_STREAMING") when the engine
   *   has no streamable weights or the value is out of range; nothing changes.
   * @throws RuntimeUnavailableError when the loaded TensorRT predates 10.1.
   */
  setWeightStreamingBudget(budget: WeightStreamingBudget): void {
    this.live("set the weight streaming budget");
    const checked = checkWeightStreamingBudget(budget, this.name, this.info.streamableWeightsBytes);
    const instances = [...this.instances.values()];
    const engines = instances.map((i) => i.engine);
    const bytes = engines.map((e) => weightStreamingBytes(checked, e));
    if (engines.some((e, k) => e.weightStreamingBudget !== bytes[k])) {
      this.synchronizeLanes();
      for (const instance of instances) instance.dropContext();
      setWeightStreamingBudgets(engines, bytes);
    }
    this.weightBudget = checked;
  }

  /** What the loaded TensorRT can honour of the RTX-only settings. */
  get runtimeCapabilities(): RuntimeCapabilities {
    return this.environment.capabilities;
  }

  /** Counters: contexts and engines created, cached shape signatures, runs, CUDA graphs, the runtime cache. */
  get stats(): ModuleStats {
    return {
      contextsCreated: this.contextsCreated,
      enginesCreated: this.enginesCreated,
      implementations: [...this.instances.keys()],
      outputShapeSignatures: this.executor.shapeCache.size,
      runs: this.runs,
      graphCaptures: this.executor.graphCounters.captures,
      graphReplays: this.executor.graphCounters.replays,
      graphFailure: this.executor.graphCounters.failure,
      runtimeCache: this.cache.stats(),
      contextsLive: [...this.instances.values()].reduce((n, i) => n + i.contexts, 0),
      concurrency: this.lanes.stats(),
      ...reusedStats(this.reused),
    };
  }

  /**
   * Runs the engine once. Inputs by name or in binding order: Tensors
   * (device tensors on this module's device are used in place), `{ data,
   * shape }`, or bare typed arrays for static inputs. Validates every input
   * first (InputError saying what was expected and found). Resolves once the
   * device is done, without blocking the event loop. Uses the engine
   * implementation selected here (withRuntime / useRuntime / setRuntime /
   * TRT_RUNTIME), deserializing it from the module's bytes on first use.
   *
   * Concurrent calls run concurrently, up to the module's `maxConcurrency`,
   * each on an execution context and stream of its own; further calls wait
   * for one to finish. Results are the same as from the same calls made one
   * after another.
   *
   * With `{ profiling: true }` the result's `profiling` holds the run's
   * per-layer times and phases, and `module.profiler` aggregates them.
   */
  async run(inputs: RunInputs, options?: RunOptions): Promise<RunResult> {
    this.live("run");
    // Made only for a profiled run: an unprofiled one allocates nothing for profiling.
    const recorder = options?.profiling === true ? new RunRecorder() : null;
    const prepared = this.executor.prepare(inputs, options);
    recorder?.mark("prepare");
    const implementation = this.environment.resolve().implementation;
    const instance = this.instances.get(implementation) ?? (await this.materializeInstance(implementation));
    this.live("run");
    const lane = await this.lanes.acquire();
    try {
      this.live("run");
      const launched = this.launch(instance, prepared, lane, recorder);
      this.inFlight++;
      try {
        await this.device.synchronizeAsync(lane.stream);
      } catch (error) {
        this.executor.abandon(launched);
        throw error;
      } finally {
        this.inFlight--;
      }
      return this.complete(launched, recorder, implementation);
    } finally {
      this.lanes.release(lane);
    }
  }

  /**
   * {@link run}, blocking until the device is done. The selected
   * implementation's engine must exist already (the one the module was made
   * with does; `await module.materialize(kind)` makes another).
   */
  runSync(inputs: RunInputs, options?: RunOptions): RunResult {
    this.live("run");
    const recorder = options?.profiling === true ? new RunRecorder() : null;
    const prepared = this.executor.prepare(inputs, options);
    recorder?.mark("prepare");
    const implementation = this.environment.resolve().implementation;
    const instance = this.instances.get(implementation);
    if (!instance) {
      throw new RuntimeUnavailableError({
        component: implementation,
        expected: `this module's ${implementation} engine, deserialized`,
        reason: "runSync cannot wait for a deserialization, and this implementation has not run this module yet",
        fix: `Call \`await module.materialize("${implementation}")\` once first, or use run().`,
      });
    }
    // An idle lane, else a new one below the bound, else the least busy one (ordered after its run on its stream).
    const lane = this.lanes.acquireSync();
    try {
      const launched = this.launch(instance, prepared, lane, recorder);
      try {
        this.device.synchronize(lane.stream);
      } catch (error) {
        this.executor.abandon(launched);
        throw error;
      }
      return this.complete(launched, recorder, implementation);
    } finally {
      this.lanes.release(lane);
    }
  }

  /** Enqueues a prepared run on `lane` (the part run and runSync share before their different waits). */
  private launch(instance: EngineInstance, prepared: PreparedRun, lane: Lane, recorder: RunRecorder | null): LaunchedRun {
    recorder?.mark("queue");
    // After any await before this, another module may have made its device current: make this one's current again.
    this.device.beginRun(this.record.name);
    const launched = this.executor.launch(instance, prepared, lane, recorder);
    recorder?.mark("launch");
    return launched;
  }

  /** Once the lane's stream is done: the outputs as a result, with the run's profile when it was profiled. */
  private complete(launched: LaunchedRun, recorder: RunRecorder | null, implementation: EngineImplementation): RunResult {
    recorder?.mark("wait");
    this.runs++;
    const result = this.executor.finish(launched);
    if (recorder) {
      recorder.mark("finish");
      const profile = recorder.profile(this.record.name, implementation, launched.lane.index);
      attachProfiling(result, profile);
      this.profiler.record(profile);
    }
    return result;
  }

  /**
   * The engine's layers as its inspector describes them (TensorRT's engine
   * information JSON, parsed): name, layer type, input and output tensors,
   * tactic. Names match the layer names of `result.profiling`. Throws
   * LayerInformationUnavailableError when the engine was built without
   * detailed profiling verbosity (it then knows layer names at most).
   */
  layerInformation(): LayerInformation[] {
    this.live("read layer information");
    const instance = this.anyInstance();
    if (!instance) throw new ReleasedError("module", "read layer information");
    return parseLayerInformation(instance.engine.engineInformation(), this.record.name);
  }

  /** Deserializes the engine for `kind` (default: the current selection) now, so later runs do not wait for it. */
  async materialize(kind?: RuntimeKind): Promise<void> {
    this.live("materialize an engine");
    const implementation = this.environment.resolve(kind).implementation;
    if (!this.instances.has(implementation)) await this.materializeInstance(implementation);
  }

  /** The record as the engine tuple format holds it, with this module's device and platform. */
  toSerializedEngine(): SerializedEngine {
    return savedRecord(this.record, this.device);
  }

  /**
   * The engine tuple (the engine as the original bytes) in the layout of
   * `options.abi` ("6" to "10"), by default the ABI the module was read from,
   * else the newest released one (see @trt/format, "Writing for a
   * Torch-TensorRT release"). FormatError FIELD_NOT_IN_ABI for an ABI that
   * cannot carry a field the module has.
   */
  toTuple(options: { abi?: string } = {}): RawTuple {
    return encodeTuple(this.toSerializedEngine(), options.abi !== undefined ? { abi: options.abi } : {});
  }

  /**
   * Writes the module to a container file (or a pickle: `{ format: "pickle" }`);
   * same bytes from either implementation. `abi` targets a Torch-TensorRT
   * release's layout ("8" for 2.11, "9" for 2.12 and 2.13, "10" after); by
   * default the ABI the module was read from, else the newest released one.
   */
  save(path: string, options?: WriteEngineFileOptions): Promise<void> {
    return writeEngineFile(path, this.toSerializedEngine(), options);
  }

  /** {@link save}, synchronously. */
  saveSync(path: string, options?: WriteEngineFileOptions): void {
    writeEngineFileSync(path, this.toSerializedEngine(), options);
  }

  /**
   * Releases every engine, context and CUDA graph of every implementation,
   * and gives the stream back. Waits (blocking) for runs in flight first.
   * Then lets go of the runtime cache: what TensorRT added to it is copied
   * in, and an implicit cache (from a path) is saved now if it changed.
   * Idempotent. Output tensors stay valid: they own their memory (with
   * outputMemory "reused" they do not: the buffers are freed, and reading
   * one of those tensors throws StaleTensorError).
   */
  release(): void {
    if (this.releaseEngines()) this.cache.release();
  }

  /** The same as release(): for `using`. */
  [Symbol.dispose](): void {
    this.release();
  }

  /** Waits for runs in flight and saves an implicit runtime cache without blocking the event loop: for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.releasedFlag) return;
    await Promise.all(this.lanes.lanes.map((lane: Lane) => this.device.synchronizeAsync(lane.stream)));
    if (this.releaseEngines()) await this.cache.releaseAsync();
  }

  /** Everything of release() but the runtime cache; false when the module was released already. */
  private releaseEngines(): boolean {
    if (this.releasedFlag) return false;
    this.releasedFlag = true;
    // Calls waiting for a lane fail with ReleasedError; runs in flight finish first.
    this.lanes.close();
    this.synchronizeLanes();
    for (const instance of this.instances.values()) instance.release();
    this.instances.clear();
    // Deserializations still running release their engine when they finish (materializeInstance checks).
    this.pending.clear();
    this.executor.shapeCache.clear();
    // After the lanes' work: stream-ordered frees on each lane's stream, before those streams go back.
    this.reused?.release();
    this.lanes.releaseStreams();
    this.device.releaseStream(this.stream);
    return true;
  }

  /**
   * Where settings take effect. The CUDA-graph strategy is read per run by
   * the executor; turning it off frees the captured graphs now (in stream
   * order: replays in flight finish). The kernel-specialization strategy and
   * the runtime cache are fixed when a context is created, so a change to
   * either drops the contexts (the next run makes new ones, once); a new
   * cache is taken only after the old one got TensorRT's contents and, if
   * implicit, was saved.
   */
  private applySettings(previous: RuntimeSettings, next: RuntimeSettings): void {
    // The executor reads the strategy per run; turning it off also frees the captured graphs now.
    const graphs = next.cudaGraphStrategy === "whole_graph_capture";
    if (!graphs && previous.cudaGraphStrategy === "whole_graph_capture") for (const instance of this.instances.values()) instance.dropGraph();
    const cacheChanged = previous.runtimeCache !== next.runtimeCache;
    const shapesContext = cacheChanged || previous.dynamicShapesKernelSpecializationStrategy !== next.dynamicShapesKernelSpecializationStrategy;
    if (!shapesContext) return;
    this.synchronizeLanes();
    for (const instance of this.instances.values()) instance.dropContext();
    if (cacheChanged) this.cache.follow(next);
  }

  /** Waits (blocking) for the work of runs in flight on every lane. */
  private synchronizeLanes(): void {
    if (this.inFlight > 0) for (const lane of this.lanes.lanes) this.device.synchronize(lane.stream);
  }

  /** Creates a context for an engine instance: with the module's runtime cache attached, and counted. */
  private makeContext(create: () => ExecutionContextHandle): ExecutionContextHandle {
    const context = this.cache.createContext(create);
    this.contextsCreated++;
    return context;
  }

  private materializeInstance(implementation: EngineImplementation): Promise<EngineInstance> {
    let pending = this.pending.get(implementation);
    if (pending) return pending;
    pending = (async () => {
      const backend = this.environment.backend(implementation);
      this.device.makeCurrent();
      checkPlanFitsLibrary(this.record.engine, backend.library);
      const engine = await deserializeWithPlugins(this.environment, backend, this.record.engine, this.device.deserializeOptions, this.plugins);
      if (this.releasedFlag) {
        engine.release();
        throw new ReleasedError("module", `run with the ${implementation} engine`);
      }
      return this.adopt(implementation, engine);
    })();
    this.pending.set(implementation, pending);
    // A failed attempt is not remembered: the next run tries again (e.g. after the user fixed a path).
    pending.catch(() => this.pending.get(implementation) === pending && this.pending.delete(implementation));
    return pending;
  }

  private adopt(implementation: EngineImplementation, engine: EngineInstance["engine"]): EngineInstance {
    const strategy = this.record.resourceAllocationStrategy === "dynamic" ? "user_managed" : "static";
    if (this.weightBudget !== null) {
      // Before its first context, so TensorRT takes it.
      try {
        setWeightStreamingBudgets([engine], [weightStreamingBytes(this.weightBudget, engine)]);
      } catch (error) {
        engine.release();
        throw error;
      }
    }
    const instance = new EngineInstance(implementation, engine, strategy, this.device, (create) => this.makeContext(create));
    this.instances.set(implementation, instance);
    this.pending.delete(implementation);
    this.enginesCreated++;
    return instance;
  }

  /**
   * The engine of the implementation selected here when it exists, else any
   * engine of the module: for questions every engine answers the same.
   */
  private anyInstance(): EngineInstance | undefined {
    let selected: EngineInstance | undefined;
    try {
      selected = this.instances.get(this.environment.resolve().implementation);
    } catch {
      // The selected implementation cannot load here: another engine of the module answers.
    }
    return selected ?? this.instances.values().next().value;
  }

  private live(operation: string): void {
    if (this.releasedFlag) throw new ReleasedError("module", operation);
  }
}

/** The reused-output counters of module.stats (zeros when outputs are owned). */
function reusedStats(reused: ReusedOutputs | null): { reusedOutputBuffers: number; reusedOutputBytes: number } {
  const stats = reused?.stats();
  return { reusedOutputBuffers: stats?.buffers ?? 0, reusedOutputBytes: stats?.bytes ?? 0 };
}
