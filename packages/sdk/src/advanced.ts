/**
 * @trt/sdk/advanced: the building blocks under the SDK's root entry, from
 * one import: `@trt/runtime/advanced` (the engine contract, the ffi engine,
 * the device layer, the library search, plugins, the native adapter),
 * `@trt/settings/advanced` (capability filtering, the runtime-cache file,
 * one-time warnings) and the layers of `@trt/format` (`/tuple`, `/container`,
 * `/pickle`, `/zip`), and the `.npy` header codec. The same objects as those
 * entries', not copies.
 * Applications rarely need it.
 * @packageDocumentation
 */
export * from "@trt/runtime/advanced";
export * from "@trt/settings/advanced";
export * from "@trt/format/tuple";
export * from "@trt/format/container";
export * from "@trt/format/pickle";
export * from "@trt/format/zip";
export { NPY_MAGIC, descrOf, formatNpyHeader, readNpyHeader } from "./npy/index.js";
