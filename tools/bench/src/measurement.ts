import type { Stats } from "./stats.js";

/** How one row of one case went: timings, or why it could not run here. */
export interface Measurement {
  /** Host time per call (monotonic clock), including the wait for the device. */
  readonly host: Stats | null;
  /** Device time per call (CUDA events around the work), where the row can record them. */
  readonly device: Stats | null;
  readonly iterations: number;
  /** Set when the row does not apply on this machine or engine, with the reason. */
  readonly unsupported?: string;
}

export const unsupported = (reason: string): Measurement => ({ host: null, device: null, iterations: 0, unsupported: reason });
