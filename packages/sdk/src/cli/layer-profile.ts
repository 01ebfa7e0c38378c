/**
 * Per-layer times for `trt bench --profile`. TensorRTModule does not expose
 * TensorRT's profiler (its run() has no profiling option), but the engine
 * contract that both implementations follow does (`setProfiler` on an
 * execution context). So this deserializes a second engine from the module's
 * bytes on the selected implementation, binds the bench's device inputs and
 * pool-allocated outputs to one context, and collects IProfiler reports over
 * a few runs. The module's own runs (the latency numbers) stay unprofiled:
 * a profiler makes TensorRT synchronise after every layer.
 */
import { byteLengthOf, elementCount } from "@trt/runtime";
import type { EngineHandle, ExecutionContextHandle, IOTensorSpec, OutputAllocatorHooks, Tensor, TensorRTModule } from "@trt/runtime";

/** One layer's times over the profiled runs, in milliseconds. */
export interface LayerTime {
  readonly name: string;
  readonly meanMs: number;
  readonly medianMs: number;
  /** Share of the summed mean layer times, 0..1. */
  readonly share: number;
  /** Reports received (runs, when the layer reports once per run). */
  readonly reports: number;
}

/** The profile of an engine: every layer, slowest first. */
export interface LayerProfile {
  readonly runs: number;
  /** Sum of the layers' mean times: the engine's time per run as TensorRT's profiler sees it. */
  readonly totalMeanMs: number;
  readonly layers: readonly LayerTime[];
}

function fits(shape: readonly number[], spec: IOTensorSpec, profile: number): boolean {
  const range = spec.profiles[profile];
  return !range || shape.every((d, i) => d >= range.min[i]! && d <= range.max[i]!);
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Profiles `runs` executions of `module` on `inputs` (device tensors on the module's device, by name). */
export async function profileLayers(module: TensorRTModule, inputs: Readonly<Record<string, Tensor>>, runs: number): Promise<LayerProfile> {
  const environment = module.environment;
  const backend = environment.backend(environment.resolve().implementation);
  const { device } = module;
  const pool = device.pool;
  const engine: EngineHandle = await backend.deserialize(module.toSerializedEngine().engine);
  const stream = device.acquireStream();
  const owned: number[] = [];
  const times = new Map<string, number[]>();
  let context: ExecutionContextHandle | undefined;
  try {
    context = engine.createContext("static");
    const io = engine.info.io;
    const ins = io.filter((t) => t.mode === "input");
    const shapeOf = (t: IOTensorSpec): readonly number[] => inputs[t.name]!.shape;
    const profile = Array.from({ length: engine.info.profileCount }, (_, p) => p).find((p) => ins.every((t) => fits(shapeOf(t), t, p))) ?? 0;
    if (profile !== 0) context.setOptimizationProfile(profile, stream);
    const packed = Float64Array.from(ins.flatMap((t) => [shapeOf(t).length, ...shapeOf(t)]));
    const outputShapes = context.inferOutputShapes(packed);
    // Outputs whose size depends on the data are served once and reused while large enough.
    const served = new Map<string, { address: number; bytes: number }>();
    const allocator: OutputAllocatorHooks = {
      reallocate(name, _current, bytes) {
        const have = served.get(name);
        if (have && have.bytes >= bytes) return have.address;
        const address = pool.alloc(bytes, stream);
        owned.push(address);
        served.set(name, { address, bytes });
        return address;
      },
      notifyShape() {},
    };
    const addresses = new Float64Array(io.length);
    let k = 0;
    io.forEach((t, i) => {
      if (t.mode === "input") {
        addresses[i] = inputs[t.name]!.address;
        return;
      }
      const shape = outputShapes[k++]!;
      if (shape.includes(-1)) {
        context!.setOutputAllocator(t.name, allocator);
        return;
      }
      const address = pool.alloc(byteLengthOf(t.dtype, elementCount(shape)), stream);
      owned.push(address);
      addresses[i] = address;
    });
    context.setProfiler((layer, ms) => {
      const list = times.get(layer);
      if (list) list.push(ms);
      else times.set(layer, [ms]);
    }, true);
    for (let r = 0; r < runs; r++) {
      context.execute({ inputShapes: packed, addresses, stream });
      await device.synchronizeAsync(stream);
    }
  } finally {
    context?.release();
    engine.release();
    for (const address of owned) pool.free(address, stream);
    device.releaseStream(stream);
  }
  const layers = [...times].map(([name, ms]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return { name, meanMs: ms.reduce((a, b) => a + b, 0) / ms.length, medianMs: median(sorted), reports: ms.length };
  });
  const totalMeanMs = layers.reduce((a, l) => a + l.meanMs, 0);
  return {
    runs,
    totalMeanMs,
    layers: layers.map((l) => ({ ...l, share: totalMeanMs > 0 ? l.meanMs / totalMeanMs : 0 })).sort((a, b) => b.meanMs - a.meanMs),
  };
}
