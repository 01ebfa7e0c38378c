/**
 * Torch-TensorRT's engine tuple, the `.trtengine` container and pickled tuples. Runs in Node and in browsers.
 * @module @trt/format
 */
export * from "@trt/format";
