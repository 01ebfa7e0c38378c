/**
 * {@link RuntimeSettings}: the runtime mode controls of a module, as one frozen,
 * validated value. They are runtime state, not engine properties: nothing here
 * is ever written into a serialized engine.
 * @module
 */
import { describeValue, listAllowed } from "./describe-value.js";
import { SettingsError } from "./errors.js";
import { RuntimeCache } from "./runtime-cache.js";
import {
  CUDA_GRAPH_STRATEGIES,
  KERNEL_SPECIALIZATION_STRATEGIES,
  type CudaGraphStrategy,
  type KernelSpecializationStrategy,
} from "./strategies.js";

/**
 * Where the runtime cache lives: `null` for none, a path string for a cache the
 * runtime creates and saves itself (an implicit cache), or a
 * {@link RuntimeCache} the caller owns.
 */
export type RuntimeCacheSetting = null | string | RuntimeCache;

/**
 * The fields of {@link RuntimeSettings}, each optional. Used to construct a value
 * (missing fields take their defaults) and as overrides (missing or `undefined`
 * fields keep their current values).
 */
export interface RuntimeSettingsInit {
  /** See {@link CUDA_GRAPH_STRATEGIES}. Default `"disabled"`. */
  readonly cudaGraphStrategy?: CudaGraphStrategy | undefined;
  /** See {@link KERNEL_SPECIALIZATION_STRATEGIES}. Default `"lazy"`. Honoured by TensorRT-RTX only. */
  readonly dynamicShapesKernelSpecializationStrategy?: KernelSpecializationStrategy | undefined;
  /** See {@link RuntimeCacheSetting}. Default `null`. Honoured by TensorRT-RTX only. */
  readonly runtimeCache?: RuntimeCacheSetting | undefined;
}

/** The names of the settings fields, in documentation order. */
export const RUNTIME_SETTING_NAMES = Object.freeze([
  "cudaGraphStrategy",
  "dynamicShapesKernelSpecializationStrategy",
  "runtimeCache",
] as const);

/** One settings field name. */
export type RuntimeSettingName = (typeof RUNTIME_SETTING_NAMES)[number];

const BRAND: unique symbol = Symbol.for("@trt/settings:RuntimeSettings");

function invalid(setting: string, value: unknown, allowed: readonly string[], what: string): SettingsError {
  return new SettingsError("TRT_INVALID_SETTING", `Invalid ${setting} ${describeValue(value)}: expected ${what}.`, {
    setting,
    allowed,
  });
}

function oneOf<T extends string>(setting: RuntimeSettingName, value: unknown, allowed: readonly T[]): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(setting, value, allowed, `one of ${listAllowed(allowed)}`);
}

function cacheSetting(value: unknown): RuntimeCacheSetting {
  if (value === null || value instanceof RuntimeCache) return value;
  if (typeof value === "string" && value !== "") return value;
  throw invalid("runtimeCache", value, ["null", "a file path", "a RuntimeCache"], "null, a non-empty file path, or a RuntimeCache");
}

// Catches typos ("cudaGraph: ...") that would otherwise be silently ignored.
function checkFieldNames(init: object): void {
  for (const key of Object.keys(init)) {
    if (!(RUNTIME_SETTING_NAMES as readonly string[]).includes(key)) {
      throw new SettingsError("TRT_INVALID_SETTING", `Unknown runtime setting ${JSON.stringify(key)}: expected ${listAllowed(RUNTIME_SETTING_NAMES)}.`, {
        setting: key,
        allowed: RUNTIME_SETTING_NAMES,
      });
    }
  }
}

function checkInit(init: unknown): RuntimeSettingsInit {
  if (typeof init !== "object" || init === null) {
    throw new SettingsError("TRT_INVALID_SETTING", `Runtime settings must be an object of fields; got ${describeValue(init)}.`, {
      allowed: RUNTIME_SETTING_NAMES,
    });
  }
  checkFieldNames(init);
  return init as RuntimeSettingsInit;
}

// `undefined` means "leave as is"; anything else (null included) is validated.
function keep<T>(override: T | undefined, current: T): T {
  return override === undefined ? current : override;
}

function sameCache(a: RuntimeCacheSetting, b: RuntimeCacheSetting): boolean {
  // Paths compare as written; caches by identity (two objects are two caches).
  return a === b;
}

/**
 * A module's runtime settings. Immutable (frozen), validated on construction,
 * compared structurally with {@link RuntimeSettings.equals}; derive a changed
 * copy with {@link RuntimeSettings.with}.
 *
 * ```ts
 * const s = new RuntimeSettings({ cudaGraphStrategy: "whole_graph_capture" });
 * s.with({ runtimeCache: "engine.cache" }).equals(s); // false
 * ```
 */
export class RuntimeSettings {
  /** The defaults: `"disabled"`, `"lazy"`, `null`. */
  static readonly DEFAULT: RuntimeSettings = new RuntimeSettings();

  /** Whether inference is captured into and replayed from a CUDA graph. */
  readonly cudaGraphStrategy: CudaGraphStrategy;
  /** When TensorRT-RTX compiles shape-specialised kernels (ignored by standard TensorRT). */
  readonly dynamicShapesKernelSpecializationStrategy: KernelSpecializationStrategy;
  /** The runtime cache (used by TensorRT-RTX only). */
  readonly runtimeCache: RuntimeCacheSetting;

  /**
   * `instanceof` that also recognises values from another copy of this package
   * (an ESM and a CJS build loaded side by side).
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /** Brand read by `instanceof`; always true. */
  get [BRAND](): true {
    return true;
  }

  /**
   * Validates `init` and builds a frozen value; missing fields take the
   * defaults. Throws a {@link SettingsError} with code `TRT_INVALID_SETTING`
   * naming the field and its allowed values, also for unknown field names.
   */
  constructor(init: RuntimeSettingsInit = {}) {
    const fields = checkInit(init);
    this.cudaGraphStrategy =
      fields.cudaGraphStrategy === undefined ? "disabled" : oneOf("cudaGraphStrategy", fields.cudaGraphStrategy, CUDA_GRAPH_STRATEGIES);
    this.dynamicShapesKernelSpecializationStrategy =
      fields.dynamicShapesKernelSpecializationStrategy === undefined
        ? "lazy"
        : oneOf("dynamicShapesKernelSpecializationStrategy", fields.dynamicShapesKernelSpecializationStrategy, KERNEL_SPECIALIZATION_STRATEGIES);
    this.runtimeCache = fields.runtimeCache === undefined ? null : cacheSetting(fields.runtimeCache);
    Object.freeze(this);
  }

  /** `value` itself if it is already a RuntimeSettings, else a new one built from it. */
  static from(value: RuntimeSettings | RuntimeSettingsInit = {}): RuntimeSettings {
    return value instanceof RuntimeSettings ? value : new RuntimeSettings(value);
  }

  /**
   * A copy with `overrides` applied (fields left out or `undefined` keep their
   * values). Returns `this` when nothing changes. Validates like the constructor.
   */
  with(overrides: RuntimeSettingsInit): RuntimeSettings {
    const fields = checkInit(overrides);
    const next = new RuntimeSettings({
      cudaGraphStrategy: keep(fields.cudaGraphStrategy, this.cudaGraphStrategy),
      dynamicShapesKernelSpecializationStrategy: keep(fields.dynamicShapesKernelSpecializationStrategy, this.dynamicShapesKernelSpecializationStrategy),
      runtimeCache: keep(fields.runtimeCache, this.runtimeCache),
    });
    return next.equals(this) ? this : next;
  }

  /**
   * Structural equality: same strategies and the same cache setting (paths
   * compared as strings, exactly as written; {@link RuntimeCache} objects by
   * identity).
   */
  equals(other: unknown): boolean {
    if (other === this) return true;
    if (!(other instanceof RuntimeSettings)) return false;
    return (
      this.cudaGraphStrategy === other.cudaGraphStrategy &&
      this.dynamicShapesKernelSpecializationStrategy === other.dynamicShapesKernelSpecializationStrategy &&
      sameCache(this.runtimeCache, other.runtimeCache)
    );
  }

  /** A one-line description, for logs. */
  toString(): string {
    const cache = this.runtimeCache === null ? "null" : typeof this.runtimeCache === "string" ? JSON.stringify(this.runtimeCache) : `RuntimeCache(${JSON.stringify(this.runtimeCache.path)})`;
    return `RuntimeSettings(cudaGraphStrategy=${this.cudaGraphStrategy}, dynamicShapesKernelSpecializationStrategy=${this.dynamicShapesKernelSpecializationStrategy}, runtimeCache=${cache})`;
  }
}
