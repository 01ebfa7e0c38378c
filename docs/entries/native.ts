/**
 * The optional C++ engine implementation (also `@trt/sdk/native`).
 * @module @trt/native
 */
export * from "@trt/native";
