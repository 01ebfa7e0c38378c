/**
 * Constants of the emulator's plan format, version 1. The byte layout is
 * documented in tools/emulator/README.md; the C++ reader
 * (native/src/plan.h, plan_reader.cpp) holds the same values.
 */
export const PLAN_MAGIC = "TRTEMUPL";
export const PLAN_VERSION = 1;
export const PLAN_HEADER_SIZE = 32;
export const FLAG_REQUIRES_HOST_CODE = 1;

/** Tensor roles as stored in the plan (TensorRT's TensorIOMode values, 0 for intermediates). */
export const TENSOR_ROLE = { intermediate: 0, input: 1, output: 2 } as const;
export type TensorRole = keyof typeof TENSOR_ROLE;

/** Layer kind codes as stored in the plan. */
export const LAYER_KIND = {
  identity: 0,
  add: 1,
  mul: 2,
  relu: 3,
  matmul: 4,
  cast: 5,
  concat: 6,
  nonzero: 7,
  busywait: 8,
  plugin: 9,
} as const;
export type LayerOp = keyof typeof LAYER_KIND;

/** TensorRT ProfilingVerbosity values. */
export const PROFILING_VERBOSITY = { layer_names_only: 0, none: 1, detailed: 2 } as const;
export type ProfilingVerbosityName = keyof typeof PROFILING_VERBOSITY;

/** Reader limits the builder enforces too, so it never writes a plan the reader refuses. */
export const LIMITS = {
  nameLength: 1024,
  tensors: 4096,
  layers: 4096,
  profiles: 64,
  layerInputs: 64,
  busyWaitMicros: 10_000_000,
  matmulElements: 1 << 26,
  tensorBytes: 2 ** 40,
  rank: 8,
  pluginField: 256,
} as const;
