/**
 * The three ways to make a module all come down to one SerializedEngine
 * record: read from a container or pickle file, decoded from a tuple, or
 * built around raw engine bytes like Torch-TensorRT's direct instantiation.
 */
import { createSerializedEngine, decodeTuple, readEngineBytes } from "@trt/format";
import type { EngineFileRead, RawTuple, SerializedEngine } from "@trt/format";
import { nodeCrc32, readEngineFileWithSource } from "@trt/format/node";
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

/** What can be given when opening a file (or its bytes). */
export interface FileRecordOptions {
  /** Which engine of a torch archive with several: index, path in the model ("_run_on_acc_0") or engine name. */
  readonly engine?: string | number;
  /** Input names in the order positional inputs use, replacing the file's (a raw plan has none: the engine's I/O order). */
  readonly inputBindingNames?: readonly string[];
  /** Output names in the order results list them, replacing the file's. */
  readonly outputBindingNames?: readonly string[];
}

/** A record read from a file, and whether its name should come from the engine (a raw plan has none). */
export interface FileRecord {
  readonly record: SerializedEngine;
  readonly nameFromEngine: boolean;
}

function withOverrides(read: EngineFileRead, options: FileRecordOptions): FileRecord {
  const record = { ...read.value };
  if (options.inputBindingNames !== undefined) record.inputBindingNames = [...options.inputBindingNames];
  if (options.outputBindingNames !== undefined) record.outputBindingNames = [...options.outputBindingNames];
  return { record, nameFromEngine: read.source.kind === "plan" };
}

/**
 * The record in a file or in its bytes: a container, a pickled tuple, a raw
 * TensorRT plan, or a TorchScript / ExportedProgram archive (see @trt/format).
 */
export async function recordFromFile(source: string | Uint8Array, options: FileRecordOptions = {}): Promise<FileRecord> {
  const readOptions = options.engine !== undefined ? { engine: options.engine } : {};
  if (source instanceof Uint8Array) return withOverrides(readEngineBytes(source, { ...readOptions, checksum: nodeCrc32 }), options);
  if (typeof source !== "string") {
    throw new InputError({
      problem: "dtype",
      tensor: null,
      expected: "a file path or the file's bytes (Uint8Array)",
      found: source === null ? "null" : typeof source,
      fix: "Pass the path of a .engine, .trtengine, .ep or .ts file, or its contents.",
    });
  }
  return withOverrides(await readEngineFileWithSource(source, readOptions), options);
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
