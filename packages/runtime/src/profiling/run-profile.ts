/**
 * What a profiled run reports (`module.run(inputs, { profiling: true })`):
 * the runtime's own host-side phases of that run, and TensorRT's per-layer
 * times for it. Plain data, so profiles can be kept, aggregated
 * (layer-stats.ts) and written as a trace (chrome-trace.ts).
 */
import type { EngineImplementation } from "../engine/contract.js";

/**
 * The runtime's phases of one run, in order:
 * - "prepare": input validation, profile selection;
 * - "queue": waiting for the engine (first use of an implementation) and a lane (run() only);
 * - "launch": output allocation, input copies, enqueue on the lane's stream;
 * - "wait": until the stream is done;
 * - "finish": reading the layer times, turning memory into output tensors.
 */
export type RunSpanName = "prepare" | "queue" | "launch" | "wait" | "finish";

/** One phase, in microseconds of a monotonic clock (performance.now() × 1000). */
export interface RunSpan {
  readonly name: RunSpanName;
  readonly startUs: number;
  readonly endUs: number;
}

/** One layer's time in one run, as TensorRT's IProfiler reports it. */
export interface LayerTime {
  readonly name: string;
  readonly ms: number;
}

/** The profile of one run. */
export interface RunProfile {
  /** The module's name. */
  readonly module: string;
  /** Which engine implementation ran it. */
  readonly implementation: EngineImplementation;
  /** The lane (execution context and stream) it ran on. */
  readonly lane: number;
  /** Layers in the order TensorRT reported them (execution order). */
  readonly layers: readonly LayerTime[];
  /** Sum of the layer times, in milliseconds. */
  readonly totalLayerMs: number;
  /** The runtime's phases, in order, back to back. */
  readonly spans: readonly RunSpan[];
  /** Start of the first span and end of the last, in microseconds. */
  readonly startUs: number;
  readonly endUs: number;
}
