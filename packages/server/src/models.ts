/**
 * The models a server serves: each a name and version in the URL, a
 * TensorRTModule (its `maxConcurrency` bounds the inferences running at once,
 * each on an execution context of its own), and an admission gate of its own
 * (`maxConcurrency + maxQueue` requests admitted at once). A model's
 * metadata is computed once, from the engine's bindings.
 */
import type { TensorRTModule } from "@trt/runtime";
import { Admission } from "./admission.js";
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
}

/** A model as the server holds it. */
export class ServedModel {
  readonly name: string;
  readonly version: string;
  readonly module: TensorRTModule;
  readonly admission: Admission;
  readonly metadata: ModelMetadata;

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
    // As many requests as the module runs at once, plus those allowed to wait for it.
    this.admission = new Admission(module.stats.concurrency.limit + maxQueue);
    this.metadata = modelMetadata(name, version, module.inputs, module.outputs);
  }
}

/** The models by name; a ModelConfigError for a name given twice. */
export function modelTable(models: readonly ServedModel[]): ReadonlyMap<string, ServedModel> {
  const table = new Map<string, ServedModel>();
  for (const model of models) {
    if (table.has(model.name)) throw new ModelConfigError(`model "${model.name}" is given more than once; give each model a name of its own`);
    table.set(model.name, model);
  }
  return table;
}
