/**
 * @trt/sdk: the TensorRT runtime for Node.js in one package. It re-exports
 * the public API of
 *
 * - `@trt/format`: the engine tuple, the `.trtengine` container, pickles
 *   (and the file helpers of `@trt/format/node`);
 * - `@trt/settings`: `RuntimeSettings`, scoped overrides, the runtime cache;
 * - `@trt/runtime`: `TensorRTModule`, `Tensor`, runtime selection, errors;
 *
 * and adds the `.npy` reader and writer the `trt` CLI uses. The optional
 * native addon's own API (`loadNative`, `probeNative`) is a separate entry,
 * `@trt/sdk/native`, because that package may not be installed and its
 * `NativeUnavailableError` is not the runtime's `RuntimeUnavailableError`.
 * The building blocks under all of these are one import away too, in
 * `@trt/sdk/advanced`.
 * @packageDocumentation
 */
export * from "@trt/format";
export * from "@trt/format/node";
export * from "@trt/settings";
export * from "@trt/runtime";
export { NPY_TYPES, NpyError, isNpyError, decodeNpy, encodeNpy, readNpyFile, writeNpyFile } from "./npy/index.js";
export type { NpyArray, NpyData, NpyDataOf, NpyDType, NpyErrorCode, NpyErrorDetails, NpyHeader } from "./npy/index.js";
