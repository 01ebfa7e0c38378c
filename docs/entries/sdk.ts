/**
 * The meta-package: the public API of @trt/format, @trt/settings and @trt/runtime in one import, plus the `.npy` reader and writer. The `trt` command line is documented in packages/sdk/README.md.
 * @module @trt/sdk
 */
export * from "@trt/sdk";
