/**
 * A model's `config.json` in a model repository (`DIR/<model>/config.json`),
 * checked field by field. Every field is optional:
 *
 *   { "maxBatchSize": 32,
 *     "dynamicBatching": { "maxQueueDelayMicroseconds": 500, "preferredBatchSizes": [8, 16] },
 *     "maxConcurrency": 2, "maxQueue": 64,
 *     "engine": "0", "inputOrder": ["x"], "outputOrder": ["y"],
 *     "plugins": ["libmy_plugin.so"], "cudaGraphs": true }
 *
 * A bad file fails with a ConfigError naming the file, the field and what is
 * allowed there. Unknown fields are refused too: a misspelt field that was
 * silently ignored would leave a model running with settings nobody chose.
 * What depends on the engine (a batch size beyond its profiles, order names
 * that are not its bindings) is checked when the engine is loaded.
 */
import { readFile } from "node:fs/promises";

/** A model's settings from its config.json. */
export interface ModelConfig {
  readonly maxBatchSize?: number;
  readonly dynamicBatching?: { readonly maxQueueDelayMicroseconds?: number; readonly preferredBatchSizes?: readonly number[] };
  readonly maxConcurrency?: number;
  readonly maxQueue?: number;
  /** Which engine of a Torch-TensorRT archive with several: index, path in the model, or name. */
  readonly engine?: string | number;
  readonly inputOrder?: readonly string[];
  readonly outputOrder?: readonly string[];
  /** Plugin libraries the engine needs, relative to the model's folder (they must stay inside the repository). */
  readonly plugins?: readonly string[];
  /** Runs replay a CUDA graph captured once per input shape and lane, instead of enqueuing each kernel (see ../cuda-graphs.ts). */
  readonly cudaGraphs?: boolean;
}

/** A config.json that cannot be used: the message names the file, the field and what is allowed. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "BAD_CONFIG";
  constructor(
    readonly file: string,
    readonly field: string | null,
    message: string,
  ) {
    super(`${file}${field === null ? "" : `: "${field}"`}: ${message}`);
  }
}

const FIELDS = ["maxBatchSize", "dynamicBatching", "maxConcurrency", "maxQueue", "engine", "inputOrder", "outputOrder", "plugins", "cudaGraphs"] as const;
const BATCHING_FIELDS = ["maxQueueDelayMicroseconds", "preferredBatchSizes"] as const;

const shown = (value: unknown) => (value === undefined ? "nothing" : JSON.stringify(value));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads and checks `file`; an empty config when it does not exist. */
export async function readModelConfig(file: string): Promise<ModelConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new ConfigError(file, null, `cannot be read (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, null, `is not valid JSON (${(error as Error).message})`);
  }
  return checkModelConfig(value, file);
}

/** `value` checked as a config.json's content; `file` names it in errors. */
export function checkModelConfig(value: unknown, file: string): ModelConfig {
  if (!isObject(value)) throw new ConfigError(file, null, `must hold a JSON object; got ${shown(value)}`);
  const unknown = Object.keys(value).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new ConfigError(file, unknown[0]!, `is not a setting; the settings are ${FIELDS.join(", ")}`);
  const integer = (field: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      throw new ConfigError(file, field, `must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`}; got ${shown(v)}`);
    }
    return v;
  };
  const names = (field: string, v: unknown): string[] | undefined => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length === 0 || !v.every((n) => typeof n === "string" && n !== "") || new Set(v).size !== v.length) {
      throw new ConfigError(file, field, `must be a non-empty list of distinct, non-empty strings; got ${shown(v)}`);
    }
    return v as string[];
  };
  const config: { -readonly [K in keyof ModelConfig]: ModelConfig[K] } = {};
  const maxBatchSize = integer("maxBatchSize", value.maxBatchSize, 1);
  if (maxBatchSize !== undefined) config.maxBatchSize = maxBatchSize;
  const maxConcurrency = integer("maxConcurrency", value.maxConcurrency, 1, 64);
  if (maxConcurrency !== undefined) config.maxConcurrency = maxConcurrency;
  const maxQueue = integer("maxQueue", value.maxQueue, 0);
  if (maxQueue !== undefined) config.maxQueue = maxQueue;

  if (value.dynamicBatching !== undefined) {
    const batching = value.dynamicBatching;
    if (!isObject(batching)) throw new ConfigError(file, "dynamicBatching", `must be an object (it may be empty: {}); got ${shown(batching)}`);
    const extra = Object.keys(batching).filter((k) => !(BATCHING_FIELDS as readonly string[]).includes(k));
    if (extra.length > 0) throw new ConfigError(file, `dynamicBatching.${extra[0]}`, `is not a setting; the settings are ${BATCHING_FIELDS.join(", ")}`);
    const delay = integer("dynamicBatching.maxQueueDelayMicroseconds", batching.maxQueueDelayMicroseconds, 0, 60_000_000);
    const preferred = batching.preferredBatchSizes;
    if (preferred !== undefined && (!Array.isArray(preferred) || !preferred.every((p) => Number.isInteger(p) && (p as number) >= 1) || new Set(preferred).size !== preferred.length)) {
      throw new ConfigError(file, "dynamicBatching.preferredBatchSizes", `must be a list of distinct integers of at least 1; got ${shown(preferred)}`);
    }
    config.dynamicBatching = { ...(delay !== undefined ? { maxQueueDelayMicroseconds: delay } : {}), ...(preferred !== undefined ? { preferredBatchSizes: preferred as number[] } : {}) };
  } else if (maxBatchSize !== undefined) {
    throw new ConfigError(file, "maxBatchSize", 'is the most rows dynamic batching stacks into one run; add "dynamicBatching": {} to turn batching on, or leave maxBatchSize out');
  }

  if (value.engine !== undefined) {
    const engine = value.engine;
    if (!((typeof engine === "string" && engine !== "") || (typeof engine === "number" && Number.isInteger(engine) && engine >= 0))) {
      throw new ConfigError(file, "engine", `must be an engine's index (a non-negative integer), path in the model or name; got ${shown(engine)}`);
    }
    config.engine = engine;
  }
  const inputOrder = names("inputOrder", value.inputOrder);
  if (inputOrder) config.inputOrder = inputOrder;
  const outputOrder = names("outputOrder", value.outputOrder);
  if (outputOrder) config.outputOrder = outputOrder;
  if (value.cudaGraphs !== undefined) {
    if (typeof value.cudaGraphs !== "boolean") throw new ConfigError(file, "cudaGraphs", `must be true or false; got ${shown(value.cudaGraphs)}`);
    config.cudaGraphs = value.cudaGraphs;
  }
  if (value.plugins !== undefined) {
    const plugins = value.plugins;
    if (!Array.isArray(plugins) || !plugins.every((p) => typeof p === "string" && p !== "")) {
      throw new ConfigError(file, "plugins", `must be a list of plugin library paths, relative to the model's folder; got ${shown(plugins)}`);
    }
    config.plugins = plugins as string[];
  }
  return config;
}
