import { base64EncodeToBytes } from "./base64.js";
import { fail } from "./errors.js";
import { unpickle, describe } from "./pickle/reader.js";
import { PyTuple, type PyValue } from "./pickle/values.js";
import { PickleWriter, type PickleProtocol } from "./pickle/writer.js";
import { Utf8Text } from "./text.js";
import { decodeSlots, encodeTuple, type SerializedEngine, type SlotInput } from "./tuple.js";
import { concatChunks } from "./concat.js";

/**
 * The two shapes of pickled engine this package reads:
 * - "list": the tuple itself, a list (or tuple) of str/bytes slots.
 * - "extra_state": Torch-TensorRT's module extra state
 *   `(name, engine_info, input_names, output_names)`, engine slot base64.
 */
export type PickledTupleShape = "list" | "extra_state";

/** {@link readPickledTupleWithInfo}'s result: the engine plus how it was stored. */
export interface PickledTupleInfo {
  /** The decoded tuple. */
  value: SerializedEngine;
  /** Pickle protocol (2..5), or null for protocol 0/1 pickles. */
  protocol: number | null;
  /** Which shape was found. */
  shape: PickledTupleShape;
  /** How the engine slot was stored: raw bytes, base64 (str or bytes), or latin-1 str (ABI 2/3). */
  engineEncoding: "bytes" | "base64" | "latin1";
}

/** Options for reading pickled tuples. */
export interface ReadPickledTupleOptions {
  /** Strings of at least this many bytes stay as bytes until needed (default 1 MiB). */
  lazyTextBytes?: number;
}

const itemsOf = (v: PyValue | undefined): PyValue[] | undefined =>
  Array.isArray(v) ? v : v instanceof PyTuple ? v.items : undefined;

function asSlots(items: PyValue[], where: string): SlotInput[] {
  return items.map((item, i) => {
    if (typeof item === "string" || item instanceof Uint8Array || item instanceof Utf8Text) return item;
    return fail("BAD_SLOT_TYPE", `${where} slot ${i} as str or bytes`, describe(item), "The pickle does not hold a Torch-TensorRT engine tuple.");
  });
}

function strList(v: PyValue | undefined): string[] | undefined {
  const items = itemsOf(v);
  return items?.every((s) => typeof s === "string") ? (items as string[]) : undefined;
}

function encodingOf(slot: SlotInput | undefined, isBase64Bytes: boolean, abi: string): PickledTupleInfo["engineEncoding"] {
  if (slot instanceof Uint8Array) return isBase64Bytes ? "base64" : "bytes";
  return abi === "2" || abi === "3" ? "latin1" : "base64";
}

/**
 * Reads a pickled engine tuple and says which shape and engine encoding it had.
 * The pickle is interpreted as data only; any class or function reference other
 * than Python's spellings of bytes is UNSUPPORTED_PICKLE_GLOBAL.
 */
export function readPickledTupleWithInfo(bytes: Uint8Array, options: ReadPickledTupleOptions = {}): PickledTupleInfo {
  const result = unpickle(bytes, { mode: "strict", lazyTextBytes: options.lazyTextBytes });
  const top = itemsOf(result.value);
  if (top === undefined || top.length === 0) {
    fail("BAD_PICKLE_SHAPE", "a list of engine slots or a (name, engine_info, input_names, output_names) tuple", describe(result.value), "This pickle does not hold a Torch-TensorRT engine.");
  }
  const isExtraState = top.length === 4 && typeof top[0] === "string" && (top[1] === null || itemsOf(top[1]) !== undefined);
  if (!isExtraState) {
    const slots = asSlots(top, "the engine list's");
    const value = decodeSlots(slots, { engineBytes: "raw" });
    return { value, protocol: result.protocol, shape: "list", engineEncoding: encodingOf(slots[value.abiVersion === "2" ? 2 : 3], false, value.abiVersion) };
  }
  if (top[1] === null) {
    fail("NO_ENGINE", "engine_info in the module's extra state", "None", "The module was saved before its engine was built; compile it before saving.");
  }
  let info = itemsOf(top[1]) as PyValue[];
  // Torch-TensorRT 2.2 stored engine.__getstate__(), which wraps the list once more.
  if (info.length === 1 && itemsOf(info[0]) !== undefined) info = itemsOf(info[0]) as PyValue[];
  const slots = asSlots(info, "engine_info's");
  const value = decodeSlots(slots, { engineBytes: "base64" });
  // Layouts before ABI 4 carry no binding names; the extra state has them.
  const inputs = strList(top[2]);
  const outputs = strList(top[3]);
  if (value.inputBindingNames.length === 0 && inputs) value.inputBindingNames = [...inputs];
  if (value.outputBindingNames.length === 0 && outputs) value.outputBindingNames = [...outputs];
  return { value, protocol: result.protocol, shape: "extra_state", engineEncoding: encodingOf(slots[value.abiVersion === "2" ? 2 : 3], true, value.abiVersion) };
}

/**
 * Reads a tuple written by Python's `pickle` (protocols 2 to 5; 0 and 1 work too):
 * the plain list with the engine as raw bytes (Torch-TensorRT's Python packer) or
 * base64 str (its C++ engine's pickled state), or a module's extra state.
 * A raw engine is returned as a view into `bytes`, not a copy.
 */
export function readPickledTuple(bytes: Uint8Array, options: ReadPickledTupleOptions = {}): SerializedEngine {
  return readPickledTupleWithInfo(bytes, options).value;
}

/** Options for {@link writePickledTuple}. */
export interface WritePickledTupleOptions {
  /** Pickle protocol, 2 to 5 (default 4, Python 3.8+'s default). */
  protocol?: PickleProtocol;
  /** Engine slot as raw `bytes` (default, like the Python packer) or base64 `str` (like the C++ engine). */
  engineAs?: "bytes" | "base64";
  /** "list" (default) or Torch-TensorRT's module "extra_state" tuple (engine as base64 bytes there). */
  shape?: PickledTupleShape;
  /** The Torch-TensorRT ABI to write (see encodeTuple's `abi`); default: the one the tuple was read from. */
  abi?: string;
}

/** The pickle {@link writePickledTuple} produces, as chunks; the raw engine is not copied. */
export function pickledTupleChunks(value: SerializedEngine, options: WritePickledTupleOptions = {}): Uint8Array[] {
  const raw = encodeTuple(value, options.abi !== undefined ? { abi: options.abi } : {});
  const w = new PickleWriter(options.protocol ?? 4);
  const shape = options.shape ?? "list";
  if (shape === "extra_state") w.beginTuple().str(value.name);
  w.beginList();
  raw.forEach((slot) => {
    if (typeof slot === "string") w.str(slot);
    else if (shape === "extra_state") w.bytes(base64EncodeToBytes(slot));
    else if (options.engineAs === "base64") w.strUtf8(base64EncodeToBytes(slot));
    else w.bytes(slot);
  });
  w.endList();
  if (shape === "extra_state") w.strList(value.inputBindingNames).strList(value.outputBindingNames).endTuple();
  return w.finish();
}

/**
 * Pickles the tuple (in the layout of `options.abi`, by default the ABI it was
 * read from) so that Python's `pickle.load` returns the same list (or
 * extra-state tuple).
 */
export function writePickledTuple(value: SerializedEngine, options: WritePickledTupleOptions = {}): Uint8Array {
  return concatChunks(pickledTupleChunks(value, options));
}
