/**
 * Run profiles as a Chrome trace (the JSON object format read by
 * chrome://tracing and Perfetto): one "X" (complete) event per runtime span
 * and per layer, timestamps and durations in microseconds.
 *
 * Each lane gets two tracks: the runtime's host spans ("lane N host") and the
 * engine's layers ("lane N layers"). TensorRT's profiler reports durations,
 * not start times, so layers are laid end to end in execution order from the
 * moment the run was enqueued (the start of its "launch" span): their
 * lengths are measured, their placement is reconstructed.
 */
import { writeFile } from "node:fs/promises";
import type { RunProfile } from "./run-profile.js";

/** One trace event. "X": a complete event (ts + dur); "M": metadata (track names). */
export interface ChromeTraceEvent {
  readonly name: string;
  readonly ph: "X" | "M";
  /** Category: "runtime" for host spans, "layer" for engine layers, "__metadata" for names. */
  readonly cat: string;
  readonly pid: number;
  readonly tid: number;
  /** Start, microseconds. */
  readonly ts: number;
  /** Duration, microseconds ("X" events). */
  readonly dur?: number;
  readonly args?: Readonly<Record<string, unknown>>;
}

/** The trace file's top-level object. */
export interface ChromeTrace {
  readonly traceEvents: readonly ChromeTraceEvent[];
  readonly displayTimeUnit: "ms";
}

/** Options of {@link toChromeTrace}. */
export interface ChromeTraceOptions {
  /** The trace's process id (default: this process's pid). */
  readonly pid?: number;
  /** The name shown for the process (default: the first profile's module name). */
  readonly processName?: string;
}

/** Host-span track of lane `lane`. */
export function hostTrack(lane: number): number {
  return lane * 2 + 1;
}

/** Layer track of lane `lane`. */
export function layerTrack(lane: number): number {
  return lane * 2 + 2;
}

/** The trace of `profiles` (as returned on `result.profiling`, or kept by `module.profiler`). */
export function toChromeTrace(profiles: readonly RunProfile[], options: ChromeTraceOptions = {}): ChromeTrace {
  const pid = options.pid ?? process.pid;
  const events: ChromeTraceEvent[] = [];
  const processName = options.processName ?? profiles[0]?.module ?? "tensorrt";
  events.push({ name: "process_name", ph: "M", cat: "__metadata", pid, tid: 0, ts: 0, args: { name: processName } });
  const lanes = [...new Set(profiles.map((p) => p.lane))].sort((a, b) => a - b);
  for (const lane of lanes) {
    events.push({ name: "thread_name", ph: "M", cat: "__metadata", pid, tid: hostTrack(lane), ts: 0, args: { name: `lane ${lane} host` } });
    events.push({ name: "thread_name", ph: "M", cat: "__metadata", pid, tid: layerTrack(lane), ts: 0, args: { name: `lane ${lane} layers` } });
  }
  const ordered = [...profiles].sort((a, b) => a.startUs - b.startUs);
  ordered.forEach((profile, run) => {
    const args = { module: profile.module, implementation: profile.implementation, run };
    for (const span of profile.spans) {
      events.push({ name: span.name, ph: "X", cat: "runtime", pid, tid: hostTrack(profile.lane), ts: span.startUs, dur: span.endUs - span.startUs, args });
    }
    let at = profile.spans.find((s) => s.name === "launch")?.startUs ?? profile.startUs;
    profile.layers.forEach((layer, index) => {
      const dur = layer.ms * 1000;
      events.push({ name: layer.name, ph: "X", cat: "layer", pid, tid: layerTrack(profile.lane), ts: at, dur, args: { ...args, index, ms: layer.ms } });
      at += dur;
    });
  });
  return { traceEvents: events, displayTimeUnit: "ms" };
}

/** Writes the trace of `profiles` as JSON to `path` (open it in chrome://tracing or ui.perfetto.dev). */
export async function writeChromeTrace(path: string, profiles: readonly RunProfile[], options?: ChromeTraceOptions): Promise<void> {
  await writeFile(path, JSON.stringify(toChromeTrace(profiles, options)));
}
