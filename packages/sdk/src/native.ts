/**
 * @trt/sdk/native: the API of the optional `@trt/native` package (the C++
 * engine implementation): `loadNative`, `probeNative`, its error codes and
 * types. Importing this entry fails with ERR_MODULE_NOT_FOUND when
 * `@trt/native` is not installed (it is an optional dependency, skipped
 * where it cannot be built); `@trt/runtime` then runs on the ffi engine.
 * Users rarely need it: `TensorRTModule` picks the engine implementation.
 * @packageDocumentation
 */
export * from "@trt/native";
