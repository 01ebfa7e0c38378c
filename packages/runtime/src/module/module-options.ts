/**
 * What a TensorRTModule is made with (its options) and what it reports (its
 * stats): the public shapes around module.ts, kept apart from its logic.
 */
import type { RuntimeSettings, RuntimeSettingsInit } from "@trt/settings";
import type { RuntimeCacheStats } from "../cache/cache-bridge.js";
import type { EngineImplementation } from "../engine/contract.js";
import type { TensorRTEnvironment } from "../environment/environment.js";
import type { DeviceSpec } from "../placement/device-spec.js";
import type { ConcurrencyStats } from "./lanes.js";
import type { OutputMemory } from "./reused-outputs.js";
import type { EngineRecordOptions, FileRecordOptions } from "./sources.js";

/** Options for every way of making a module. */
export interface ModuleOptions {
  /** Where TensorRT, CUDA and the native addon come from (default: the process's, from environment variables). */
  readonly environment?: TensorRTEnvironment;
  /** The device to run on, overriding placement by the tuple's device record ("cuda:1", 1, a ComputeDevice). */
  readonly device?: DeviceSpec;
  /**
   * Initial runtime settings (default RuntimeSettings.DEFAULT), in effect
   * before the first execution context is made, so none is made twice.
   * What the loaded TensorRT cannot honour is dropped with one warning per
   * process, as the setter does.
   */
  readonly runtimeSettings?: RuntimeSettings | RuntimeSettingsInit;
  /**
   * The most runs of this module in flight at once (default 4). Each
   * concurrent run gets an execution context and a stream of its own (a
   * "lane"), made only when every existing one is busy, so serial use makes
   * one. Calls past the bound wait, in order, for a run to finish. 1 makes
   * runs strictly one at a time.
   */
  readonly maxConcurrency?: number;
  /**
   * Who owns the memory of the outputs `run()` returns (default "owned").
   *
   * - "owned": each run's output tensors have memory of their own, valid
   *   until the caller disposes them (or they are garbage-collected).
   * - "reused": outputs live in module-owned device buffers, one per output
   *   per lane (see maxConcurrency), reused by every run on that lane: a
   *   buffer grows when a run needs more bytes and is never shrunk, so a
   *   steady loop allocates nothing for its outputs and their addresses stay
   *   the same. A returned tensor is valid until the next run on the same
   *   lane starts (with one run at a time: the module's next run) or the
   *   module is released; reading it after that throws StaleTensorError.
   *   Copy what must outlive that (`await tensor.copyTo(module.device)`).
   *   Disposing such a tensor frees nothing; the buffers are freed by
   *   `release()`. Outputs that alias an input stay views of that input.
   */
  readonly outputMemory?: OutputMemory;
  /**
   * Plugin libraries the engine needs (paths, or names for the system
   * loader), loaded through TensorRT's plugin registry before it is
   * deserialized, after the environment's own (its `plugins` option or
   * TRT_PLUGIN_PATHS) and TensorRT's standard plugin library. Each library
   * is loaded once per process. Errors: PLUGIN_LIBRARY_NOT_FOUND,
   * PLUGIN_LIBRARY_INVALID; an engine whose plugin no loaded library
   * provides fails with PLUGIN_NOT_FOUND.
   */
  readonly plugins?: readonly string[];
}

/** Options for a module made from raw engine bytes (Torch-TensorRT's direct instantiation). */
export interface EngineModuleOptions extends ModuleOptions, EngineRecordOptions {}

/** Options for `TensorRTModule.load`: module options plus which engine and binding order to use. */
export interface LoadOptions extends ModuleOptions, FileRecordOptions {}

/** Counters for tests and diagnostics. */
export interface ModuleStats {
  /** Execution contexts created over the module's life, all implementations together. */
  readonly contextsCreated: number;
  /** Engines deserialized (at most one per implementation). */
  readonly enginesCreated: number;
  /** Implementations whose engine exists now. */
  readonly implementations: readonly EngineImplementation[];
  /** Input-shape signatures whose output shapes are cached. */
  readonly outputShapeSignatures: number;
  /** Runs completed. */
  readonly runs: number;
  /** CUDA graphs captured (cudaGraphStrategy "whole_graph_capture"): one per new input shape, profile or buffer. */
  readonly graphCaptures: number;
  /** Runs served by replaying a captured graph (the run that captured is not counted). */
  readonly graphReplays: number;
  /**
   * Why runs asked for graphs last went without one, or null: refused for the engine (a host device,
   * outputs sized by the data) or a capture that failed ("capture failed: ..."). The warnings say
   * the same once per process; this says it per module.
   */
  readonly graphFailure: string | null;
  /** The runtime cache in use as TensorRT reports it (entries, hits, misses), where it does; else null. */
  readonly runtimeCache: RuntimeCacheStats | null;
  /** Execution contexts that exist now, all implementations together (at most maxConcurrency per implementation). */
  readonly contextsLive: number;
  /** The concurrency bound, lanes made, runs in flight now and at most, calls waiting. */
  readonly concurrency: ConcurrencyStats;
  /** Module-owned output buffers that exist now (outputMemory "reused"; 0 otherwise), all lanes together. */
  readonly reusedOutputBuffers: number;
  /** Bytes of those buffers. */
  readonly reusedOutputBytes: number;
}
