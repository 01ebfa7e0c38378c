/**
 * The allowed values of the two strategy settings, as runtime lists (for
 * validation and error messages) and as the types derived from them.
 * @module
 */

/**
 * Every {@link CudaGraphStrategy}: `"disabled"` runs each inference as plain
 * enqueues; `"whole_graph_capture"` captures the whole enqueue into a CUDA graph
 * and replays it while input shapes stay the same.
 */
export const CUDA_GRAPH_STRATEGIES = Object.freeze(["disabled", "whole_graph_capture"] as const);

/** How inference is submitted to the GPU; see {@link CUDA_GRAPH_STRATEGIES}. */
export type CudaGraphStrategy = (typeof CUDA_GRAPH_STRATEGIES)[number];

/**
 * Every {@link KernelSpecializationStrategy}: when TensorRT-RTX compiles kernels
 * specialised to the actual dynamic shapes. `"lazy"` compiles them in the
 * background as shapes are seen, `"eager"` compiles before the first run with a
 * new shape, `"none"` always uses the generic kernels. Only TensorRT-RTX honours
 * this setting.
 */
export const KERNEL_SPECIALIZATION_STRATEGIES = Object.freeze(["lazy", "eager", "none"] as const);

/** The dynamic-shapes kernel specialization strategy; see {@link KERNEL_SPECIALIZATION_STRATEGIES}. */
export type KernelSpecializationStrategy = (typeof KERNEL_SPECIALIZATION_STRATEGIES)[number];
