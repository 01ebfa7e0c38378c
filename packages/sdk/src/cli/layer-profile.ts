/**
 * Per-layer times for `trt bench --profile`, from the runtime's own
 * profiling: a few runs made with `{ profiling: true }` after the measured
 * loop (which stays unprofiled: a profiler makes TensorRT time every layer),
 * summarised by the module's profiler, slowest layer first.
 */
import type { Tensor, TensorRTModule } from "@trt/runtime";

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

/** Profiles `runs` executions of `module` on `inputs` (device tensors on the module's device, by name). */
export async function profileLayers(module: TensorRTModule, inputs: Readonly<Record<string, Tensor>>, runs: number): Promise<LayerProfile> {
  module.profiler.reset();
  for (let r = 0; r < runs; r++) (await module.run(inputs, { profiling: true })).dispose();
  const summary = module.profiler.summary();
  const total = summary.totalMeanMs;
  const layers = summary.layers.map((l) => ({
    name: l.name,
    meanMs: l.meanMs,
    medianMs: l.medianMs,
    share: total > 0 ? l.meanMs / total : 0,
    reports: l.count,
  }));
  return { runs: summary.runs, totalMeanMs: total, layers: layers.sort((a, b) => b.meanMs - a.meanMs) };
}
