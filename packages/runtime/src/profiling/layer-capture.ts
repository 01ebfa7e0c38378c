/**
 * The IProfiler of one execution context, switched on only for profiled
 * runs. A profiler left installed makes TensorRT time every layer of every
 * enqueue, so it is installed when a profiled run comes and removed when an
 * unprofiled one does; a loop that never profiles never touches it.
 *
 * Times are collected with `emitPerEnqueue` off: TensorRT keeps the last
 * profiled enqueue's times until reportToProfiler(), which the runtime calls
 * once the run's stream is done, so the enqueue itself never waits for the
 * device. The hook writes into whichever run is being reported.
 */
import type { ExecutionContextHandle, LayerTimeHook } from "../engine/contract.js";
import type { LayerTime } from "./run-profile.js";

/** Profiler state of one context. */
export class LayerCapture {
  /** Whether the context has the profiler installed now. */
  private installed = false;
  /** Where the layers of the profiled run not yet reported go; null when none is pending. */
  private pending: LayerTime[] | null = null;
  /** Where reports go during reportToProfiler(). */
  private sink: LayerTime[] | null = null;
  private readonly hook: LayerTimeHook = (name, ms) => this.sink?.push({ name, ms });

  /**
   * Whether a profiled run on this context has not been reported yet (two
   * runs sharing a lane): the caller must wait for the lane's stream before
   * {@link prepare}, which reports it, since the next enqueue would replace
   * its times.
   */
  get reportPending(): boolean {
    return this.pending !== null;
  }

  /** Gets the context ready for a run that is (`into` set) or is not profiled. Costs nothing while nothing changes. */
  prepare(context: ExecutionContextHandle, into: LayerTime[] | null): void {
    if (this.pending !== null) this.report(context);
    const on = into !== null;
    if (on !== this.installed) {
      context.setProfiler(on ? this.hook : null, false);
      this.installed = on;
    }
    this.pending = into;
  }

  /** After the run's stream is done: its layer times, unless an earlier call reported them already. */
  collect(context: ExecutionContextHandle, into: LayerTime[]): void {
    if (this.pending === into) this.report(context);
  }

  /** The run was abandoned (its stream failed): nothing to report. */
  forget(into: LayerTime[]): void {
    if (this.pending === into) this.pending = null;
  }

  /** The context is gone: a new one starts with no profiler. */
  reset(): void {
    this.installed = false;
    this.pending = null;
  }

  private report(context: ExecutionContextHandle): void {
    this.sink = this.pending;
    this.pending = null;
    try {
      context.reportToProfiler();
    } finally {
      this.sink = null;
    }
  }
}
