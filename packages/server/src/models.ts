/**
 * The models a server serves: each a name and version in the URL, a
 * TensorRTModule (its `maxConcurrency` bounds the engine runs at once, each
 * on an execution context of its own), a scheduler that queues requests for
 * those runs (and, with dynamic batching, stacks requests into one run), an
 * admission gate of its own (`maxConcurrency` runs' worth of requests plus
 * `maxQueue` waiting), its statistics and its run histograms. A model's
 * metadata is computed once, from the engine's bindings.
 */
import type { TensorRTModule } from "@trt/runtime";
import { Admission } from "./admission.js";
import { profileMaxBatch, whyNotBatchable } from "./inference/batch-plan.js";
import { Scheduler } from "./inference/scheduler.js";
import type { BatchingOptions } from "./inference/scheduler.js";
import { ModelTimings } from "./metrics.js";
import { ModelStatistics } from "./statistics.js";
import { protocolDatatype } from "./protocol/datatypes.js";
import { modelMetadata } from "./protocol/metadata.js";
import type { ModelMetadata } from "./protocol/metadata.js";

/** How many requests may wait for a model's execution contexts, unless said otherwise. */
export const DEFAULT_MAX_QUEUE = 64;

/** The version a model is served as, unless said otherwise. */
export const DEFAULT_VERSION = "1";

/** Names and versions: what may appear in a URL path segment and a metric label without escaping. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A model the server cannot serve as configured (a bad name, a duplicate, a binding the protocol has no datatype for). */
export class ModelConfigError extends Error {
  override readonly name = "ModelConfigError";
  readonly code = "INVALID_MODEL";
}

/** Dynamic batching of a model: requests that agree in every dimension but the first run together. */
export interface DynamicBatchingOptions {
  /** How long the oldest waiting request may wait for others to join its batch, in microseconds (default 0: a batch goes as soon as a run is free, holding whatever waited meanwhile). */
  readonly maxQueueDelayMicroseconds?: number;
  /** Batch sizes (rows) to send as soon as they are reached (default none). */
  readonly preferredBatchSizes?: readonly number[];
}

/** The most microseconds `maxQueueDelayMicroseconds` may be: a minute, far beyond any useful delay. */
export const MAX_QUEUE_DELAY_MICROSECONDS = 60_000_000;

/** One model to serve. */
export interface ModelOptions {
  /** The name clients use (`/v2/models/{name}`): letters, digits, `_`, `.`, `-`. */
  readonly name: string;
  /** The loaded engine. The server never releases it: its owner does, after the server has closed. */
  readonly module: TensorRTModule;
  /** Requests that may wait for one of the module's execution contexts beyond those running (default 64); more are answered 503. */
  readonly maxQueue?: number;
  /** The version it is served as (default "1"). */
  readonly version?: string;
  /** Dynamic batching; off when absent. */
  readonly dynamicBatching?: DynamicBatchingOptions;
  /** With dynamic batching: the most rows one run takes (default: the engine's optimization profiles' largest first dimension). */
  readonly maxBatchSize?: number;
}

/** A model as the server holds it. */
export class ServedModel {
  readonly name: string;
  readonly version: string;
  readonly module: TensorRTModule;
  readonly admission: Admission;
  readonly metadata: ModelMetadata;
  /** Dynamic batching as in effect, or null when off. */
  readonly batching: BatchingOptions | null;
  readonly scheduler: Scheduler;
  readonly statistics = new ModelStatistics();
  readonly timings = new ModelTimings();

  constructor(options: ModelOptions) {
    const { name, module, maxQueue = DEFAULT_MAX_QUEUE, version = DEFAULT_VERSION } = options;
    if (typeof name !== "string" || !NAME.test(name)) {
      throw new ModelConfigError(`model name ${JSON.stringify(name)} is not allowed: use letters, digits, "_", "." and "-", starting with a letter or digit`);
    }
    if (typeof version !== "string" || !NAME.test(version)) {
      throw new ModelConfigError(`model "${name}": version ${JSON.stringify(version)} is not allowed: use letters, digits, "_", "." and "-"`);
    }
    if (!Number.isInteger(maxQueue) || maxQueue < 0) throw new ModelConfigError(`model "${name}": maxQueue must be an integer of at least 0; got ${maxQueue}`);
    const unserved = [...module.inputs, ...module.outputs].filter((b) => protocolDatatype(b.dtype) === null);
    if (unserved.length > 0) {
      throw new ModelConfigError(
        `model "${name}" has ${unserved.map((b) => `${b.mode} "${b.name}" of ${b.dtype}`).join(", ")}, which the inference protocol has no datatype for ` +
          "(it carries FP32, FP16, BF16, INT8, UINT8, INT32, INT64 and BOOL)",
      );
    }
    this.name = name;
    this.version = version;
    this.module = module;
    this.batching = batchingOptions(name, module, options);
    const slots = module.stats.concurrency.limit;
    // As many requests as the module's runs take at once, plus those allowed to wait for one.
    this.admission = new Admission(slots * (this.batching?.maxBatchSize ?? 1) + maxQueue);
    this.metadata = modelMetadata(name, version, module.inputs, module.outputs);
    const { statistics, timings } = this;
    this.scheduler = new Scheduler(module, slots, this.batching, {
      queued(ns) {
        statistics.recordQueue(ns);
        timings.queue.observe(ns / 1e9);
      },
      ran(rows, requests, times) {
        statistics.recordRun(rows, requests, times);
        timings.batchSize.observe(rows);
        timings.compute.observe((times.inputNs + times.inferNs + times.outputNs) / 1e9);
      },
    });
  }
}

/** The model's batching settings checked against its engine, with defaults filled in; null when batching is off. */
function batchingOptions(name: string, module: TensorRTModule, options: ModelOptions): BatchingOptions | null {
  const { dynamicBatching, maxBatchSize } = options;
  if (dynamicBatching === undefined) {
    if (maxBatchSize !== undefined) throw new ModelConfigError(`model "${name}": maxBatchSize is for dynamic batching; give dynamicBatching too, or leave maxBatchSize out`);
    return null;
  }
  const why = whyNotBatchable(module.inputs, module.outputs);
  if (why) throw new ModelConfigError(`model "${name}" cannot use dynamic batching: ${why}`);
  const profileMax = profileMaxBatch(module.inputs);
  const max = maxBatchSize ?? profileMax;
  if (!Number.isInteger(max) || max < 1 || max > profileMax) {
    throw new ModelConfigError(`model "${name}": maxBatchSize must be an integer from 1 to ${profileMax} (the largest first dimension the engine's optimization profiles take); got ${max}`);
  }
  const delay = dynamicBatching.maxQueueDelayMicroseconds ?? 0;
  if (!Number.isInteger(delay) || delay < 0 || delay > MAX_QUEUE_DELAY_MICROSECONDS) {
    throw new ModelConfigError(`model "${name}": dynamicBatching.maxQueueDelayMicroseconds must be an integer from 0 to ${MAX_QUEUE_DELAY_MICROSECONDS}; got ${delay}`);
  }
  const preferred = [...(dynamicBatching.preferredBatchSizes ?? [])];
  const bad = preferred.find((p, i) => !Number.isInteger(p) || p < 1 || p > max || preferred.indexOf(p) !== i);
  if (bad !== undefined) {
    throw new ModelConfigError(`model "${name}": dynamicBatching.preferredBatchSizes must be distinct integers from 1 to maxBatchSize (${max}); got ${JSON.stringify(bad)}`);
  }
  return { maxBatchSize: max, maxQueueDelayMicroseconds: delay, preferredBatchSizes: preferred.sort((a, b) => a - b) };
}

/** The models by name; a ModelConfigError for a name given twice. */
export function modelTable(models: readonly ServedModel[]): Map<string, ServedModel> {
  const table = new Map<string, ServedModel>();
  for (const model of models) {
    if (table.has(model.name)) throw new ModelConfigError(`model "${model.name}" is given more than once; give each model a name of its own`);
    table.set(model.name, model);
  }
  return table;
}
