/**
 * TensorRTModule, Tensor, the device layer, the ffi engine and runtime selection.
 * @module @trt/runtime
 */
export * from "@trt/runtime";
