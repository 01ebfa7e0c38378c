/**
 * @trt/sdk: the meta-package. For now it re-exports @trt/format (engine tuple,
 * container, pickles); the runtime and settings packages join as they land.
 * The `trt` command line lives in ./cli.ts.
 * @packageDocumentation
 */
export * from "@trt/format";
