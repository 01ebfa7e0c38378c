/**
 * Collects one profiled run as it happens. Only made when a run asks for
 * profiling, so an unprofiled run pays one null check per phase and
 * allocates nothing.
 */
import type { EngineImplementation } from "../engine/contract.js";
import type { LayerTime, RunProfile, RunSpan, RunSpanName } from "./run-profile.js";

/** Microseconds from a monotonic clock (not wall time: it never jumps). */
export function nowMicros(): number {
  return performance.now() * 1000;
}

/** The spans and layer times of one run. */
export class RunRecorder {
  /** Layer times, filled by the context's profiler hook (layer-capture.ts). */
  readonly layers: LayerTime[] = [];
  private readonly spans: RunSpan[] = [];
  private cursor = nowMicros();

  /** Closes the phase that ran since the last mark (or since construction) as `name`. */
  mark(name: RunSpanName): void {
    const now = nowMicros();
    this.spans.push({ name, startUs: this.cursor, endUs: now });
    this.cursor = now;
  }

  /** The finished profile. */
  profile(module: string, implementation: EngineImplementation, lane: number): RunProfile {
    const layers = Object.freeze([...this.layers]);
    const spans = Object.freeze([...this.spans]);
    const totalLayerMs = layers.reduce((sum, l) => sum + l.ms, 0);
    const startUs = spans.length ? spans[0]!.startUs : this.cursor;
    const endUs = spans.length ? spans[spans.length - 1]!.endUs : this.cursor;
    return Object.freeze({ module, implementation, lane, layers, totalLayerMs, spans, startUs, endUs });
  }
}
