/**
 * The runtime settings a model gets with `cuda-graphs=on` (--model) or
 * `"cudaGraphs": true` (config.json): each run replays a CUDA graph captured
 * on the first run of its input shape on its lane. TensorRT's enqueue of a
 * ResNet-50 run took about 0.5 ms of the event loop's thread on an H100
 * machine, the largest single share of a server's main thread; a graph
 * launch is one call. A batching model captures one graph per batch size it
 * meets (per lane), so preferredBatchSizes keep that number small. Engines
 * whose outputs' sizes depend on the data cannot be captured and keep plain
 * runs (the module's stats say why).
 */
import type { LoadOptions } from "@trt/runtime";

export const CUDA_GRAPHS: NonNullable<LoadOptions["runtimeSettings"]> = { cudaGraphStrategy: "whole_graph_capture" };
