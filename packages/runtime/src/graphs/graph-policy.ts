/**
 * When the runtime cannot honour `cudaGraphStrategy: "whole_graph_capture"`,
 * and what it tells the user: each case warns once per process (through
 * @trt/settings, so `setWarningHandler` sees it) and the run goes through
 * plain enqueue with the same results.
 *
 * - The host device (the emulator without a GPU) has no CUDA graphs.
 * - Outputs whose size depends on the data go through the output allocator,
 *   which TensorRT calls during enqueue with sizes it learns from the GPU: a
 *   graph would replay the first run's sizes, so such engines are not captured.
 * - Capture itself can fail (TensorRT refusing to enqueue under capture, CUDA
 *   invalidating it); that context then stays on plain enqueue.
 */
import { warnOnce } from "@trt/settings/advanced";
import type { OutputPlan } from "../validation/output-plan.js";
import type { ComputeDevice } from "../placement/compute-device.js";

/** Warning codes of the CUDA-graph support (the `code` of the TensorRTWarning). */
export type GraphWarningCode = "TRT_CUDA_GRAPHS_UNAVAILABLE" | "TRT_CUDA_GRAPHS_DATA_DEPENDENT" | "TRT_CUDA_GRAPH_CAPTURE_FAILED";

/**
 * Why a run with `plan` on `device` cannot use a CUDA graph, or null when it can. When it cannot,
 * warns (once per process per reason) too; the reason is also what the module's stats report.
 */
export function whyNoGraphs(device: ComputeDevice, plan: OutputPlan, engineName: string): string | null {
  if (!device.layer.capabilities.graphs) {
    warnOnce(
      "TRT_CUDA_GRAPHS_UNAVAILABLE",
      `cudaGraphStrategy "whole_graph_capture" cannot be honoured on ${device.name}: a host device (the stand-in for a GPU) has no CUDA graphs. Runs use plain enqueue, with the same results. (Shown once per process.)`,
    );
    return `${device.name} is a host device, which has no CUDA graphs`;
  }
  if (plan.dataDependent.includes(true)) {
    warnOnce(
      "TRT_CUDA_GRAPHS_DATA_DEPENDENT",
      `cudaGraphStrategy "whole_graph_capture" is not used for engine "${engineName}": its outputs' sizes depend on the data (output allocator), which a captured graph cannot follow. Its runs use plain enqueue. (Shown once per process.)`,
    );
    return "its outputs' sizes depend on the data (output allocator), which a captured graph cannot follow";
  }
  return null;
}

/** Warns (once per process) that capture failed on a context, which then runs with plain enqueue. */
export function warnCaptureFailed(engineName: string, reason: string): void {
  warnOnce(
    "TRT_CUDA_GRAPH_CAPTURE_FAILED",
    `Capturing a CUDA graph of engine "${engineName}" failed (${reason}); that execution context uses plain enqueue from now on, with the same results. (Shown once per process.)`,
  );
}
