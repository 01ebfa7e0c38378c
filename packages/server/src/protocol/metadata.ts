/**
 * The metadata responses: the server's (`GET /v2`) and a model's
 * (`GET /v2/models/{name}[/versions/{version}]`), shapes straight from the
 * engine with -1 for each dynamic dimension, as the protocol has it.
 */
import type { BindingSpec } from "@trt/runtime";
import { protocolDatatype } from "./datatypes.js";

/** `GET /v2`. */
export interface ServerMetadata {
  readonly name: string;
  readonly version: string;
  /** Protocol extensions served: the binary tensor data extension. */
  readonly extensions: readonly string[];
}

/** One tensor in a model's metadata. */
export interface TensorMetadata {
  readonly name: string;
  readonly datatype: string;
  /** The engine's shape; -1 marks a dynamic dimension (for an output: one known only once the engine has run). */
  readonly shape: readonly number[];
}

/** `GET /v2/models/{name}`. */
export interface ModelMetadata {
  readonly name: string;
  readonly versions: readonly string[];
  /** Triton's name for a TensorRT engine. */
  readonly platform: "tensorrt_plan";
  readonly inputs: readonly TensorMetadata[];
  readonly outputs: readonly TensorMetadata[];
}

/** The extensions this server implements, as `GET /v2` lists them. */
export const EXTENSIONS: readonly string[] = Object.freeze(["binary_tensor_data"]);

/** A model's metadata from its bindings. */
export function modelMetadata(name: string, version: string, inputs: readonly BindingSpec[], outputs: readonly BindingSpec[]): ModelMetadata {
  const tensor = (spec: BindingSpec): TensorMetadata => ({ name: spec.name, datatype: protocolDatatype(spec.dtype) ?? spec.dtype, shape: [...spec.shape] });
  return { name, versions: [version], platform: "tensorrt_plan", inputs: inputs.map(tensor), outputs: outputs.map(tensor) };
}
