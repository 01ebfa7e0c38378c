/**
 * The part of @trt/native this package uses: the engine contract, which that
 * package declares and its addon's objects extend. Named here so the adapter
 * and an injected loader say which side of the adapter an object is on; a
 * loader need not give more than the contract (the addon's native-only
 * members are not used here).
 */
import type { LoadNativeOptions } from "@trt/native";
import type { EngineHandle, ExecutionContextHandle, TensorRTBackend } from "../engine/contract.js";

/** The addon's execution context, as this package uses it. */
export type NativeContextLike = ExecutionContextHandle;

/** The addon's engine: its inspector calls take the addon's own contexts, not the adapter's. */
export type NativeEngineLike = EngineHandle<NativeContextLike>;

/** The addon's backend over one loaded libnvinfer. */
export interface NativeBackendLike extends TensorRTBackend {
  readonly implementation: "native";
}

/** What `loadNative()` returns. */
export interface NativeBindingLike {
  readonly backend: NativeBackendLike;
  readonly addonPath: string;
}

/** Where the native engine should find its addon and libraries (each falls back to the environment variables and the system loader). */
export type NativeLoadOptions = LoadNativeOptions;

/**
 * Loads the native engine, or throws saying why not. The default requires
 * @trt/native; tests (and embedders) inject their own, e.g. one that throws
 * as if the package were not installed.
 */
export type NativeLoader = (options: NativeLoadOptions) => NativeBindingLike;
