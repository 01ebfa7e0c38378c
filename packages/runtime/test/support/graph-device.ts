/**
 * CUDA graphs, imitated on the host, so the graph policy above the engines
 * (src/graphs) runs on machines without a GPU. `RecordingGraphDevice` is the
 * HostDevice whose stream capture records device work (copies, memsets) as
 * closures over the pointers and sizes of each call, and whose graph launch
 * replays them: what a CUDA graph does with kernels. Work that capture
 * forbids or that the runtime must never capture (allocation, copies from JS
 * memory) throws while capturing. `FakeEngine` is an engine whose execute()
 * does its work through that device: y = x (a copy of exactly the bytes of
 * the shapes it was given), or, aliased, x filled with 7s in place. The GPU
 * tests (cuda-graphs.test.ts) check the real thing.
 */
import type { DeviceCapabilities } from "../../src/device/index.js";
import { HostDevice } from "../../src/device/index.js";
import type {
  AllocationStrategy,
  EngineHandle,
  EngineInfo,
  ExecuteRequest,
  ExecutionContextHandle,
  IOTensorSpec,
} from "../../src/engine/contract.js";

type Op = () => void;

export class RecordingGraphDevice extends HostDevice {
  override readonly capabilities: DeviceCapabilities = { graphs: true, asynchronous: false };
  /** Graph launches so far. */
  launches = 0;
  /** Make the next endCapture fail, as CUDA does when a capture was invalidated. */
  failNextCapture = false;
  private recording: Op[] | null = null;
  private readonly graphs = new Map<number, Op[]>();
  private readonly execs = new Map<number, Op[]>();
  private nextGraph = 1;

  /** Whether a capture is under way. */
  get capturing(): boolean {
    return this.recording !== null;
  }

  /** Graphs and executable graphs not destroyed yet. */
  get liveGraphs(): number {
    return this.graphs.size + this.execs.size;
  }

  override alloc(bytes: number, stream = 0): number {
    this.forbidden("alloc");
    return super.alloc(bytes, stream);
  }

  override free(address: number, stream = 0): void {
    this.forbidden("free");
    super.free(address, stream);
  }

  override copyHostToDevice(dst: number, src: ArrayBufferView, stream: number): void {
    this.forbidden("copyHostToDevice");
    super.copyHostToDevice(dst, src, stream);
  }

  override memset(address: number, value: number, bytes: number, stream = 0): void {
    this.perform(() => super.memset(address, value, bytes, stream));
  }

  override copyDeviceToDevice(dst: number, src: number, bytes: number, stream: number): void {
    this.perform(() => super.copyDeviceToDevice(dst, src, bytes, stream));
  }

  override beginCapture(_stream: number): void {
    if (this.recording) throw new Error("beginCapture: the stream is capturing already");
    this.recording = [];
  }

  override endCapture(_stream: number): number {
    const ops = this.recording;
    this.recording = null;
    if (!ops) throw new Error("endCapture: the stream is not capturing");
    if (this.failNextCapture) {
      this.failNextCapture = false;
      throw new Error("cudaStreamEndCapture: operation failed due to a previous error during capture (imitated)");
    }
    const graph = this.nextGraph++;
    this.graphs.set(graph, ops);
    return graph;
  }

  override instantiateGraph(graph: number): number {
    const exec = this.nextGraph++;
    this.execs.set(exec, [...this.graphs.get(graph)!]);
    return exec;
  }

  override launchGraph(graphExec: number, _stream: number): void {
    const ops = this.execs.get(graphExec);
    if (!ops) throw new Error(`launchGraph: no executable graph ${graphExec}`);
    this.launches++;
    for (const op of ops) op();
  }

  override destroyGraph(graph: number): void {
    if (!this.graphs.delete(graph)) throw new Error(`destroyGraph: no graph ${graph}`);
  }

  override destroyGraphExec(graphExec: number): void {
    if (!this.execs.delete(graphExec)) throw new Error(`destroyGraphExec: no executable graph ${graphExec}`);
  }

  private perform(op: Op): void {
    if (this.recording) this.recording.push(op);
    else op();
  }

  private forbidden(what: string): void {
    if (this.recording) throw new Error(`${what} while capturing: the runtime must not do this under capture`);
  }
}

/** What the fake engine does per execute(). */
export type FakeKind = "copy" | "fill-in-place";

const float = (name: string, mode: "input" | "output", shape: number[], aliasedInput: string | null = null): IOTensorSpec => ({
  name,
  mode,
  dtype: "float",
  shape,
  location: "device",
  format: "Row-major linear FP32 format",
  profiles: mode === "input" ? [{ min: shape.map((d) => (d < 0 ? 1 : d)), opt: shape.map((d) => (d < 0 ? 4 : d)), max: shape.map((d) => (d < 0 ? 64 : d)) }] : [],
  aliasedInput,
});

/** A context whose execute() copies x to y (or fills x with 7s in place) through the device, with the sizes of its call. */
export class FakeContext implements ExecutionContextHandle {
  released = false;
  optimizationProfile = 0;
  /** execute() calls, captured or not. */
  executes = 0;
  /** setDeviceMemory calls, in order. */
  readonly deviceMemory: { address: number; bytes: number }[] = [];
  /** Throw from execute() while the device captures (TensorRT refusing to enqueue under capture). */
  throwUnderCapture = false;
  /** Throw from every execute() (TensorRT failing the enqueue, e.g. for shapes it refuses). */
  failEveryExecute = false;

  constructor(
    private readonly device: RecordingGraphDevice,
    private readonly kind: FakeKind,
  ) {}

  setOptimizationProfile(index: number): void {
    this.optimizationProfile = index;
  }

  inferOutputShapes(inputShapes: Float64Array): number[][] {
    return [Array.from(inputShapes.subarray(1, 1 + inputShapes[0]!))];
  }

  execute(request: ExecuteRequest): void {
    this.executes++;
    if (this.failEveryExecute) throw new Error("enqueueV3 failed (imitated)");
    if (this.throwUnderCapture && this.device.capturing) throw new Error("enqueueV3 is not allowed under capture (imitated)");
    const shape = request.inputShapes.subarray(1, 1 + request.inputShapes[0]!);
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    if (this.kind === "copy") this.device.copyDeviceToDevice(request.addresses[1]!, request.addresses[0]!, bytes, request.stream);
    else this.device.memset(request.addresses[0]!, 7, bytes, request.stream);
  }

  setDeviceMemory(address: number, bytes: number): void {
    this.deviceMemory.push({ address, bytes });
  }

  deviceMemoryBytesForShapes(): number {
    return 1024;
  }

  setOutputAllocator(): void {
    throw new Error("the fake engine has no data-dependent outputs");
  }

  setProfiler(): void {}

  reportToProfiler(): void {}

  release(): void {
    this.released = true;
  }
}

/** An engine over a FakeContext: x, y float [-1, 3] (copy), or x [4] with y aliasing it (fill-in-place). */
export class FakeEngine implements EngineHandle {
  readonly info: EngineInfo;
  released = false;
  weightStreamingBudget = 0;
  readonly weightStreamingAutomaticBudget = 0;
  readonly weightStreamingScratchMemoryBytes = 0;
  readonly contexts: FakeContext[] = [];

  constructor(
    private readonly device: RecordingGraphDevice,
    private readonly kind: FakeKind,
  ) {
    const io = kind === "copy" ? [float("x", "input", [-1, 3]), float("y", "output", [-1, 3])] : [float("x", "input", [4]), float("y", "output", [4], "x")];
    this.info = { name: `fake_${kind}`, layerCount: 1, profileCount: 1, io, deviceMemoryBytes: 0, streamableWeightsBytes: 0, hardwareCompatibilityLevel: "none" };
  }

  createContext(_strategy: AllocationStrategy): FakeContext {
    const context = new FakeContext(this.device, this.kind);
    this.contexts.push(context);
    return context;
  }

  serialize(): Uint8Array {
    return new Uint8Array(0);
  }

  engineInformation(): string {
    return "{}";
  }

  layerInformation(): string {
    return "{}";
  }

  release(): void {
    this.released = true;
  }
}
