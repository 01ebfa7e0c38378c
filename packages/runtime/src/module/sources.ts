/**
 * The three ways to make a module all come down to one SerializedEngine
 * record: read from a container or pickle file, decoded from a tuple, or
 * built around raw engine bytes like Torch-TensorRT's direct instantiation.
 */
import { createSerializedEngine, decodeTuple } from "@trt/format";
import type { RawTuple, SerializedEngine } from "@trt/format";
import { readEngineFile } from "@trt/format/node";
import { InputError } from "../errors/index.js";

/** What can be given for raw engine bytes (direct instantiation). */
export interface EngineRecordOptions {
  /** Module name (default: the engine's own name). */
  readonly name?: string;
  /** Input names in the order positional inputs use (default: the engine's inputs, in I/O order). */
  readonly inputBindingNames?: readonly string[];
  /** Output names in the order results list them (default: the engine's outputs, in I/O order). */
  readonly outputBindingNames?: readonly string[];
  /** Serve every output through the output allocator (Torch-TensorRT's requires_output_allocator). */
  readonly requiresOutputAllocator?: boolean;
  /** The engine was built hardware-compatible (runs on any Ampere-or-newer GPU). */
  readonly hardwareCompatible?: boolean;
}

/** The record in a container or pickle file. */
export function recordFromFile(path: string): Promise<SerializedEngine> {
  return readEngineFile(path);
}

/** A decoded tuple (raw slots) or an already decoded record. */
export function recordFromTuple(tuple: RawTuple | SerializedEngine): SerializedEngine {
  if (Array.isArray(tuple)) return decodeTuple(tuple);
  if (typeof tuple === "object" && tuple !== null && (tuple as SerializedEngine).engine instanceof Uint8Array) return tuple as SerializedEngine;
  throw new InputError({
    problem: "dtype",
    tensor: null,
    expected: "an engine tuple (an array of slots) or a SerializedEngine (with its engine bytes as a Uint8Array)",
    found: tuple === null ? "null" : Array.isArray(tuple) ? "an array" : typeof tuple,
    fix: "Pass what decodeTuple/readEngineFile return, or the raw tuple.",
  });
}

/** A record around raw engine bytes; the device is filled in once the module is placed. */
export function recordFromEngine(engine: Uint8Array, options: EngineRecordOptions): SerializedEngine {
  if (!(engine instanceof Uint8Array)) {
    throw new InputError({
      problem: "dtype",
      tensor: null,
      expected: "the serialized TensorRT engine as a Uint8Array",
      found: engine === null ? "null" : typeof engine,
      fix: "Read the plan file into a Buffer or Uint8Array.",
    });
  }
  return createSerializedEngine({
    engine,
    ...(options.name !== undefined ? { name: options.name } : {}),
    inputBindingNames: [...(options.inputBindingNames ?? [])],
    outputBindingNames: [...(options.outputBindingNames ?? [])],
    requiresOutputAllocator: options.requiresOutputAllocator ?? false,
    hardwareCompatible: options.hardwareCompatible ?? false,
  });
}
