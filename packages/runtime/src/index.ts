// Public API of @trt/runtime.
export type * from "./engine/contract.js";
export * from "./errors/index.js";
export * from "./device/index.js";
export * from "./ffi/index.js";
