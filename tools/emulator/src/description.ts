import type { DTypeName } from "./dtype.js";
import type { ProfilingVerbosityName } from "./format.js";

/** A network input. `shape` uses -1 for dynamic dimensions. */
export interface InputSpec {
  readonly name: string;
  readonly dtype: DTypeName;
  readonly shape: readonly number[];
}

/** min/opt/max of one input in one optimization profile. */
export interface ShapeRange {
  readonly min: readonly number[];
  readonly opt: readonly number[];
  readonly max: readonly number[];
}

/**
 * One optimization profile: a range per input name. Static inputs may be
 * left out (their range is their shape); dynamic ones must be present.
 */
export type ProfileSpec = Readonly<Record<string, ShapeRange>>;

interface LayerBase {
  /** Unique layer name; the profiler and the inspector report it. */
  readonly name: string;
  /** Name of the tensor the layer writes (a new tensor, or a network output). */
  readonly output: string;
}

/** y = x. */
export interface IdentityLayer extends LayerBase {
  readonly op: "identity";
  readonly input: string;
}

/** y = a + b or a * b, elementwise, same shape and dtype (no broadcasting); integers wrap. */
export interface BinaryLayer extends LayerBase {
  readonly op: "add" | "mul";
  readonly inputs: readonly [string, string];
}

/** y = x < 0 ? 0 : x. */
export interface ReluLayer extends LayerBase {
  readonly op: "relu";
  readonly input: string;
}

/**
 * y[..., j] = sum_k x[..., k] * weights[k * n + j] (+ bias[j]), float32.
 * `weights` is row-major [k, n]; both arrays are stored in the plan.
 */
export interface MatMulLayer extends LayerBase {
  readonly op: "matmul";
  readonly input: string;
  readonly k: number;
  readonly n: number;
  readonly weights: ArrayLike<number>;
  readonly bias?: ArrayLike<number>;
}

/** Converts to `dtype`: floats round to nearest even, integers saturate, bool is "non-zero". */
export interface CastLayer extends LayerBase {
  readonly op: "cast";
  readonly input: string;
  readonly dtype: DTypeName;
}

/** Joins inputs along `axis` (0 ≤ axis < rank). */
export interface ConcatLayer extends LayerBase {
  readonly op: "concat";
  readonly inputs: readonly string[];
  readonly axis: number;
}

/**
 * Indices of the non-zero elements, [rank, count] of `indicesType`: a data-dependent
 * shape, delivered through the output allocator. Must write a network output.
 */
export interface NonZeroLayer extends LayerBase {
  readonly op: "nonzero";
  readonly input: string;
  /**
   * The indices' type (INonZeroLayer::setIndicesType). Default int32, as
   * TensorRT's NonZero writes unless the network asks for int64.
   */
  readonly indicesType?: "int32" | "int64";
}

/** y = x after spinning `microseconds` (on the GPU in CUDA mode), for profiler tests. */
export interface BusyWaitLayer extends LayerBase {
  readonly op: "busywait";
  readonly input: string;
  readonly microseconds: number;
}

/**
 * A plugin layer: deserialization needs the creator `plugin` names (name,
 * version, namespace) registered, as a TensorRT plugin layer does; the
 * emulator then runs it as a copy, y = x (any dtype).
 */
export interface PluginLayer extends LayerBase {
  readonly op: "plugin";
  readonly input: string;
  readonly plugin: {
    readonly name: string;
    readonly version: string;
    /** Default "" (TensorRT's default plugin namespace). */
    readonly namespace?: string;
  };
}

export type LayerSpec =
  | IdentityLayer
  | BinaryLayer
  | ReluLayer
  | MatMulLayer
  | CastLayer
  | ConcatLayer
  | NonZeroLayer
  | BusyWaitLayer
  | PluginLayer;

/** Everything a plan holds, in the form {@link buildPlan} takes. */
export interface PlanDescription {
  /** Engine name (ICudaEngine::getName). Default "emulated_engine". */
  readonly name?: string;
  readonly inputs: readonly InputSpec[];
  /** Run in this order; each reads inputs or earlier layers' outputs. */
  readonly layers: readonly LayerSpec[];
  /** Names of the tensors that are network outputs, in I/O order after the inputs. */
  readonly outputs: readonly string[];
  /** Required when an input is dynamic; default one profile of the static shapes. */
  readonly profiles?: readonly ProfileSpec[];
  /** Deserialization fails unless the runtime called setEngineHostCodeAllowed(true). */
  readonly requiresHostCode?: boolean;
  /** getStreamableWeightsSize(); > 0 enables the weight-streaming budget API. */
  readonly streamableWeightsBytes?: number;
  /**
   * Built with weight streaming (TensorRT's kWEIGHT_STREAMING): every matmul's
   * weights and bias are streamable, so getStreamableWeightsSize() is their
   * size in bytes (4 per value). Stored as `streamableWeightsBytes`, so the
   * plan format is unchanged; give one of the two, not both.
   */
  readonly weightStreaming?: boolean;
  /** Extra device memory the engine asks for (and writes on every enqueue). */
  readonly scratchBytes?: number;
  /** Output name → input name it aliases (getAliasedInputTensor). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** getProfilingVerbosity(); "detailed" makes the inspector describe layers fully. */
  readonly profilingVerbosity?: ProfilingVerbosityName;
  /** Only this TensorRT major may load the plan (like a real engine); default any. */
  readonly requiredMajor?: 10 | 11;
}
