/**
 * One CUDA graph: stream capture of an enqueue, instantiated once, launched
 * many times. Capture leaves the stream usable whatever happens: if the
 * enqueue throws or CUDA invalidates the capture, capture is ended and the
 * partial graph destroyed before the error propagates.
 */
import type { DeviceLayer } from "../device/index.js";

/** An instantiated graph (cudaGraphExec_t) and the device layer that launches it. */
export class CapturedGraph {
  private constructor(
    private readonly layer: DeviceLayer,
    private exec: number,
  ) {}

  /**
   * Captures the work `enqueue` queues on `stream` (thread-local capture
   * mode: other threads of the process, such as the native addon's workers,
   * stay free to make calls that capture forbids) and instantiates it. The
   * template graph is destroyed at once: the executable graph is
   * independent of it.
   */
  static capture(layer: DeviceLayer, stream: number, enqueue: () => void): CapturedGraph {
    layer.beginCapture(stream);
    let graph = 0;
    try {
      enqueue();
    } catch (error) {
      try {
        graph = layer.endCapture(stream);
      } catch {
        // The capture was invalidated as well; ending it is all that was needed.
      }
      if (graph !== 0) layer.destroyGraph(graph);
      throw error;
    }
    graph = layer.endCapture(stream);
    try {
      return new CapturedGraph(layer, layer.instantiateGraph(graph));
    } finally {
      layer.destroyGraph(graph);
    }
  }

  /** The executable graph (cudaGraphExec_t), e.g. for a benchmark that launches it directly; 0 once released. */
  get handle(): number {
    return this.exec;
  }

  /** Replays the graph on `stream` (cudaGraphLaunch). */
  launch(stream: number): void {
    this.layer.launchGraph(this.exec, stream);
  }

  /** Destroys the executable graph; CUDA frees it after launches still in flight. Idempotent. */
  release(): void {
    if (this.exec === 0) return;
    const exec = this.exec;
    this.exec = 0;
    this.layer.destroyGraphExec(exec);
  }
}
