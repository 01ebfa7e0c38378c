/**
 * Types of the addon's JS objects: the engine contract plus what only the
 * addon has, marked "native only" (executeSync and executeAsync, the memory
 * API, deserializeSync). Each object type extends its contract type, so the
 * compiler checks every contract member here.
 */
import type { EngineHandle, ExecuteRequest, ExecutionContextHandle, PluginHost, TensorRTBackend } from "./engine-contract.js";

/** `execute` passes only the shapes and addresses that changed since the last call on to TensorRT. */
export interface NativeExecutionContext extends ExecutionContextHandle {
  /** Native only: execute, then block the calling thread until the stream is done. */
  executeSync(request: ExecuteRequest): void;
  /**
   * Native only: execute, then a promise that settles when the stream is
   * done, waiting on a worker thread (every error, a bad request included,
   * rejects it). The context stays alive until then even if released.
   */
  executeAsync(request: ExecuteRequest): Promise<void>;
}

/**
 * An engine of the addon. Its `info` is built once at deserialization and
 * frozen (deeply): reading it costs nothing. The inspector calls accept only
 * this addon's contexts.
 */
export type NativeEngine = EngineHandle<NativeExecutionContext>;

/**
 * Device memory and streams (native only). In host mode (the emulator without
 * a GPU) addresses are host addresses and streams are tokens; the same calls
 * work unchanged.
 */
export interface NativeMemory {
  readonly mode: "cuda" | "host";
  /** cudaMallocAsync from the device's default pool, ordered on `stream`. */
  alloc(bytes: number, stream?: number): number;
  free(address: number, stream?: number): void;
  /** Copies src.byteLength bytes. `src` has been read when this returns. */
  copyHostToDevice(dst: number, src: ArrayBufferView | ArrayBuffer, stream?: number): void;
  /** Copies dst.byteLength bytes; `dst` holds them when this returns. */
  copyDeviceToHost(dst: ArrayBufferView | ArrayBuffer, src: number, stream?: number): void;
  copyDeviceToDevice(dst: number, src: number, bytes: number, stream?: number): void;
  createStream(): number;
  destroyStream(stream: number): void;
  /** Settles when the stream is done, without blocking the event loop. */
  synchronize(stream?: number): Promise<void>;
  synchronizeSync(stream?: number): void;
}

export interface NativeBackend extends TensorRTBackend {
  readonly implementation: "native";
  /** Native only. */
  readonly memory: NativeMemory;
  /** On a worker thread. */
  deserialize(plan: Uint8Array): Promise<NativeEngine>;
  /** Native only: deserializes on the calling thread. */
  deserializeSync(plan: Uint8Array): NativeEngine;
  /** The runtime's plugin registry (one object per backend). */
  readonly plugins: PluginHost;
}

export interface OpenBackendOptions {
  /** libnvinfer file to load; overrides TRT_NVINFER_PATH and the system loader search. */
  readonly nvinferPath?: string;
  /** libcudart file to load; overrides TRT_CUDART_PATH and the system loader search. */
  readonly cudartPath?: string;
}

/** The binary's execute entry: `executeEntry.call(context, kind, inputShapes, addresses, stream)` (see src/execute-methods.ts). */
export type ExecuteEntry = (this: object, kind: number, inputShapes?: unknown, addresses?: unknown, stream?: unknown) => unknown;

/** The compiled module (build/Release/trt_native.node) as loaded. */
export interface NativeAddon {
  /** Protocol version between the binary and this package's TS; see loader.ts. */
  readonly bindingVersion: number;
  readonly napiVersion: number;
  readonly supportedMajors: readonly number[];
  openBackend(options?: OpenBackendOptions): NativeBackend;
  /** The ExecutionContext class; its execute methods are defined by src/execute-methods.ts. */
  readonly ExecutionContext: { readonly prototype: object };
  /** The native half of execute/executeSync/executeAsync (see src/execute-methods.ts). */
  readonly executeEntry: ExecuteEntry;
}
