import { formatAliasedIO, parseAliasedIO, type AliasedIO } from "./aliased-io.js";
import { base64Decode, base64Encode } from "./base64.js";
import { formatDeviceInfo, parseDeviceInfo } from "./device.js";
import { fail, FormatError } from "./errors.js";
import {
  formatAllocationStrategy,
  formatBindingNames,
  formatFlag,
  parseAllocationStrategy,
  parseBindingNames,
  parseFlag,
  type ResourceAllocationStrategy,
} from "./fields.js";
import { layoutFor, type SlotName, type TupleLayout } from "./layouts.js";
import { RELEASED_ABI_VERSION, resolveWriteAbi } from "./write-abi.js";
import { latin1Encode, latin1FromUtf8, Utf8Text, utf8Decode } from "./text.js";
import type { SerializedEngine } from "./serialized-engine.js";

export type { SerializedEngine } from "./serialized-engine.js";

/** The tuple as a list of slots, the way Torch-TensorRT hands it around: text, or bytes for the engine. */
export type RawTuple = Array<string | Uint8Array>;

/**
 * Values given to fields that a tuple's layout predates. `name` is what
 * Torch-TensorRT's runtime called an unnamed engine; "unknown" is its platform
 * default; the rest are the behaviour engines had before the field existed.
 */
export const LEGACY_DEFAULTS = Object.freeze({
  name: "deserialized_trt",
  inputBindingNames: [] as readonly string[],
  outputBindingNames: [] as readonly string[],
  hardwareCompatible: false,
  metadata: "",
  targetPlatform: "unknown",
  requiresOutputAllocator: false,
  resourceAllocationStrategy: "static" as ResourceAllocationStrategy,
  requiresNativeMultiDevice: false,
  aliasedIO: [] as readonly AliasedIO[],
});

/** How {@link decodeTuple} reads the engine slot. */
export interface DecodeTupleOptions {
  /**
   * What bytes in the engine slot hold: the raw plan (default; the container and
   * Torch-TensorRT's Python packer) or base64 text (a module's extra state).
   */
  engineBytes?: "raw" | "base64";
}

/** Internal slot input: RawTuple values plus large pickled text not yet turned into a JS string. */
export type SlotInput = string | Uint8Array | Utf8Text;

function slotText(value: SlotInput | undefined, what: string): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array || value instanceof Utf8Text) {
    const bytes = value instanceof Utf8Text ? value.bytes : value;
    try {
      return utf8Decode(bytes, what);
    } catch (e) {
      if (e instanceof FormatError) throw e;
      // V8 refuses strings above ~512 M characters with a RangeError.
      return fail("TOO_LARGE", `${what} small enough for a JS string`, `${bytes.length} bytes`, "This slot cannot be text; the tuple is damaged.");
    }
  }
  return fail("BAD_SLOT_TYPE", `${what} as text or bytes`, describeValue(value), "Build the tuple from strings, with the engine as bytes.");
}

function engineSlot(value: SlotInput | undefined, layout: TupleLayout, options: DecodeTupleOptions): Uint8Array {
  const what = "the engine slot";
  if (value instanceof Uint8Array) return options.engineBytes === "base64" ? base64Decode(value, what) : value;
  if (typeof value === "string") {
    return layout.engineText === "base64" ? base64Decode(value, what) : latin1Encode(value, what);
  }
  if (value instanceof Utf8Text) {
    return layout.engineText === "base64" ? base64Decode(value.bytes, what) : latin1FromUtf8(value.bytes, what);
  }
  return fail("BAD_SLOT_TYPE", `${what} as bytes or text`, describeValue(value), "Pass the engine as a Uint8Array.");
}

/** Short type description for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return `an object (${(value as object).constructor?.name ?? "plain"})`;
  return `a ${typeof value}`;
}

/** {@link decodeTuple} over internal slot inputs; used by the pickle reader too. */
export function decodeSlots(raw: readonly SlotInput[], options: DecodeTupleOptions = {}): SerializedEngine {
  if (!Array.isArray(raw) || raw.length === 0) {
    fail("WRONG_SLOT_COUNT", "a tuple with an ABI version in slot 0", Array.isArray(raw) ? "an empty tuple" : describeValue(raw), "Pass the list of slots Torch-TensorRT serialized.");
  }
  const abiVersion = slotText(raw[0], "the ABI version slot");
  const layout = layoutFor(abiVersion, raw.length);
  const at = (slot: SlotName): SlotInput | undefined => {
    const i = layout.slots.indexOf(slot);
    return i < 0 ? undefined : raw[i];
  };
  const text = (slot: SlotName, what: string): string | undefined => {
    const v = at(slot);
    return layout.slots.includes(slot) ? slotText(v, what) : undefined;
  };
  const flag = (slot: SlotName, what: string, fallback: boolean): boolean => {
    const t = text(slot, what);
    return t === undefined ? fallback : parseFlag(t, what);
  };
  const names = (slot: SlotName, what: string): string[] => {
    const t = text(slot, what);
    return t === undefined ? [] : parseBindingNames(t);
  };
  const strategy = text("resourceAllocationStrategy", "the resource allocation strategy slot");
  const aliased = text("aliasedIO", "the aliased I/O slot");
  return {
    abiVersion,
    name: text("name", "the name slot") ?? LEGACY_DEFAULTS.name,
    device: parseDeviceInfo(text("device", "the device slot") as string),
    engine: engineSlot(at("engine"), layout, options),
    inputBindingNames: names("inputBindingNames", "the input binding names slot"),
    outputBindingNames: names("outputBindingNames", "the output binding names slot"),
    hardwareCompatible: flag("hardwareCompatible", "the hardware-compatible flag", LEGACY_DEFAULTS.hardwareCompatible),
    metadata: text("metadata", "the metadata slot") ?? LEGACY_DEFAULTS.metadata,
    targetPlatform: text("targetPlatform", "the target platform slot") ?? LEGACY_DEFAULTS.targetPlatform,
    requiresOutputAllocator: flag("requiresOutputAllocator", "the requires-output-allocator flag", LEGACY_DEFAULTS.requiresOutputAllocator),
    resourceAllocationStrategy: strategy === undefined ? LEGACY_DEFAULTS.resourceAllocationStrategy : parseAllocationStrategy(strategy),
    requiresNativeMultiDevice: flag("requiresNativeMultiDevice", "the requires-native-multidevice flag", LEGACY_DEFAULTS.requiresNativeMultiDevice),
    aliasedIO: aliased === undefined ? [] : parseAliasedIO(aliased),
  };
}

/**
 * Decodes a tuple of any supported layout (ABI "2" to "10"). Text slots may be
 * strings or UTF-8 bytes. The engine slot may be raw bytes (kept as the same view,
 * no copy) or text: base64 for ABI 4+, one byte per character for ABI 2/3, as
 * Torch-TensorRT's C++ engine pickled it. Missing slots get {@link LEGACY_DEFAULTS}.
 */
export function decodeTuple(raw: RawTuple, options: DecodeTupleOptions = {}): SerializedEngine {
  return decodeSlots(raw, options);
}

/** How {@link encodeTuple} writes a tuple. */
export interface EncodeTupleOptions {
  /** "bytes" (default): the raw plan as a Uint8Array. "base64": text, as the C++ engine's pickled state has it. */
  engineAs?: "bytes" | "base64";
  /**
   * The Torch-TensorRT ABI to write ("6" to "10", see write-abi.ts). Default:
   * the ABI `value` was read from, else the newest released one, moved on to a
   * newer one only where that cannot carry a field `value` sets. An ABI asked
   * for that cannot carry such a field is refused with FIELD_NOT_IN_ABI.
   */
  abi?: string;
}

/**
 * Encodes to the layout of the ABI `options.abi` names (by default the one
 * `value` was read from; see {@link EncodeTupleOptions.abi}). With the engine
 * as bytes, `encodeTuple(decodeTuple(t))` reproduces a canonical tuple `t` of
 * ABI "6" to "10" exactly.
 */
export function encodeTuple(value: SerializedEngine, options: EncodeTupleOptions = {}): RawTuple {
  if (!(value.engine instanceof Uint8Array)) {
    fail("INVALID_VALUE", "engine as a Uint8Array", describeValue(value.engine), "Pass the serialized plan bytes.");
  }
  const textFields: Array<[string, unknown]> = [["name", value.name], ["metadata", value.metadata], ["targetPlatform", value.targetPlatform]];
  for (const [key, v] of textFields) {
    if (typeof v !== "string") fail("INVALID_VALUE", `${key} as a string`, describeValue(v), "Fix the value before encoding.");
  }
  const layout = resolveWriteAbi(value, options.abi);
  let engine: string | Uint8Array = value.engine;
  if (options.engineAs === "base64") {
    // 3 bytes become 4 characters; V8 strings stop a little below 2^29 characters.
    if (value.engine.length > 384 * 1024 * 1024) {
      fail("TOO_LARGE", "an engine of at most 384 MiB for base64 text", `${value.engine.length} bytes`, "Use engineAs: \"bytes\", or a pickle/container writer, which handle large engines.");
    }
    engine = base64Encode(value.engine);
  }
  const slots: Record<SlotName, string | Uint8Array> = {
    abiVersion: layout.abiVersion,
    name: value.name,
    device: formatDeviceInfo(value.device),
    engine,
    inputBindingNames: formatBindingNames(value.inputBindingNames, "input binding names"),
    outputBindingNames: formatBindingNames(value.outputBindingNames, "output binding names"),
    hardwareCompatible: formatFlag(value.hardwareCompatible),
    metadata: value.metadata,
    targetPlatform: value.targetPlatform,
    requiresOutputAllocator: formatFlag(value.requiresOutputAllocator),
    resourceAllocationStrategy: formatAllocationStrategy(value.resourceAllocationStrategy),
    requiresNativeMultiDevice: formatFlag(value.requiresNativeMultiDevice),
    aliasedIO: formatAliasedIO(value.aliasedIO),
  };
  return layout.slots.map((slot) => slots[slot]);
}

/** Fields a caller must give {@link createSerializedEngine}; everything else has a default. */
export type SerializedEngineInit = Partial<SerializedEngine> & Pick<SerializedEngine, "engine">;

/**
 * A SerializedEngine with defaults for what `init` leaves out: ABI
 * {@link RELEASED_ABI_VERSION}, name "tensorrt_engine" (Torch-TensorRT's name for an unnamed module), device
 * `0%0%0%0%` (GPU 0, compute capability unknown), platform "unknown", flags off,
 * static allocation, no metadata, names or aliases.
 */
export function createSerializedEngine(init: SerializedEngineInit): SerializedEngine {
  return {
    abiVersion: RELEASED_ABI_VERSION,
    name: "tensorrt_engine",
    device: { gpuId: 0, smMajor: 0, smMinor: 0, deviceType: 0, deviceName: "" },
    inputBindingNames: [],
    outputBindingNames: [],
    hardwareCompatible: false,
    metadata: "",
    targetPlatform: "unknown",
    requiresOutputAllocator: false,
    resourceAllocationStrategy: "static",
    requiresNativeMultiDevice: false,
    aliasedIO: [],
    ...init,
  };
}
