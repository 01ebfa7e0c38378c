/**
 * TensorRT's engine inspector output (IEngineInspector::getEngineInformation
 * in JSON) as typed objects. With detailed profiling verbosity every layer is
 * an object (name, type, tensors, tactic, ...); with "layer names only" it is
 * a bare string, and there is nothing to describe, which is reported as
 * {@link LayerInformationUnavailableError} rather than as empty objects.
 */
import { LayerInformationUnavailableError } from "../errors/index.js";

/** One input or output tensor of a layer. */
export interface LayerTensorInformation {
  readonly name: string;
  /** "Device" or "Host". */
  readonly location: string | null;
  /** Dims; -1 for a dynamic dimension when no context fixed the shapes. */
  readonly dimensions: readonly number[];
  /** TensorRT's format and data type, e.g. "Row major linear FP32". */
  readonly format: string | null;
}

/** One layer of the engine, as its inspector describes it. */
export interface LayerInformation {
  /** The layer's name: the same as the profiler reports (`result.profiling.layers[i].name`). */
  readonly name: string;
  /** TensorRT's layer type, e.g. "MatrixMultiply" (the inspector's "LayerType"). */
  readonly type: string | null;
  readonly inputs: readonly LayerTensorInformation[];
  readonly outputs: readonly LayerTensorInformation[];
  /** The kernel TensorRT chose, when reported. */
  readonly tactic: string | null;
  /** The stream the layer runs on (multi-stream engines), when reported. */
  readonly streamId: number | null;
  /** Every field of the inspector's JSON object for this layer, as given. */
  readonly details: Readonly<Record<string, unknown>>;
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function tensor(value: unknown): LayerTensorInformation {
  const o = (value !== null && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const dims = Array.isArray(o.Dimensions) ? o.Dimensions.map(Number) : [];
  return Object.freeze({ name: text(o.Name) ?? "", location: text(o.Location), dimensions: Object.freeze(dims), format: text(o["Format/Datatype"]) });
}

function layer(value: Record<string, unknown>): LayerInformation {
  const list = (v: unknown) => Object.freeze(Array.isArray(v) ? v.map(tensor) : []);
  return Object.freeze({
    name: text(value.Name) ?? "",
    type: text(value.LayerType),
    inputs: list(value.Inputs),
    outputs: list(value.Outputs),
    tactic: text(value.TacticName),
    streamId: typeof value.StreamId === "number" ? value.StreamId : null,
    details: Object.freeze({ ...value }),
  });
}

/**
 * The layers of an engine information JSON document. Throws
 * LayerInformationUnavailableError when the engine was built without
 * detailed profiling verbosity (layers given as names only, or not at all).
 */
export function parseLayerInformation(json: string, engineName: string): LayerInformation[] {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    throw new LayerInformationUnavailableError(engineName, "engine information that is not JSON");
  }
  const layers = (document as { Layers?: unknown } | null)?.Layers;
  if (!Array.isArray(layers)) throw new LayerInformationUnavailableError(engineName, "engine information without a layer list");
  if (layers.some((l) => typeof l === "string")) {
    throw new LayerInformationUnavailableError(engineName, `layer names only (${layers.length} layers), as engines built with profiling verbosity LAYER_NAMES_ONLY or NONE report them`);
  }
  return layers.map((l) => layer((l ?? {}) as Record<string, unknown>));
}
