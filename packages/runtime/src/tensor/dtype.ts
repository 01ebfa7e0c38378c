/**
 * Data types as the runtime's users see them: every TensorRT `DataType` the
 * engine contract names, with its size in bits and the JS array that holds
 * its elements. Sub-byte types (int4, fp4) are packed two to a byte, so sizes
 * are kept in bits and rounded up to whole bytes only for a whole tensor.
 */
import type { TrtDataType } from "../engine/contract.js";

/** A tensor element type: TensorRT's `DataType` enum name, lower-cased without the k. */
export type DataType = TrtDataType;

/** Facts about one {@link DataType}. */
export interface DataTypeInfo {
  readonly name: DataType;
  /** Bits per element (4 for the packed int4 and fp4). */
  readonly bits: number;
  /** What `toArray()` gives: a converted, JS-friendly array (half and bf16 as Float32Array). */
  readonly array: HostArrayName;
  /** How the bytes are stored (half and bf16 as Uint16Array bit patterns; packed types as bytes). */
  readonly raw: HostArrayName;
}

/** Names of the JS arrays tensors are read into and written from. */
export type HostArrayName = "Float32Array" | "Uint16Array" | "Int8Array" | "Uint8Array" | "Int32Array" | "BigInt64Array";

const info = (name: DataType, bits: number, array: HostArrayName, raw: HostArrayName = array): DataTypeInfo =>
  Object.freeze({ name, bits, array, raw });

/** Every data type, with sizes and array types. */
export const DATA_TYPES: Readonly<Record<DataType, DataTypeInfo>> = Object.freeze({
  float: info("float", 32, "Float32Array"),
  half: info("half", 16, "Float32Array", "Uint16Array"),
  bf16: info("bf16", 16, "Float32Array", "Uint16Array"),
  int8: info("int8", 8, "Int8Array"),
  uint8: info("uint8", 8, "Uint8Array"),
  bool: info("bool", 8, "Uint8Array"),
  int32: info("int32", 32, "Int32Array"),
  int64: info("int64", 64, "BigInt64Array"),
  // Formats JS has no arithmetic for: their bytes, as stored (two int4/fp4 values per byte, low nibble first).
  fp8: info("fp8", 8, "Uint8Array"),
  e8m0: info("e8m0", 8, "Uint8Array"),
  int4: info("int4", 4, "Uint8Array"),
  fp4: info("fp4", 4, "Uint8Array"),
});

/**
 * Other spellings users reach for (PyTorch's and the emulator's names), mapped
 * to the canonical one, so `dtype: "float32"` works as well as `"float"`.
 */
const ALIASES: Readonly<Record<string, DataType>> = Object.freeze({
  float32: "float",
  fp32: "float",
  float16: "half",
  fp16: "half",
  bfloat16: "bf16",
  boolean: "bool",
  fp8e4m3: "fp8",
});

/** A data type name, canonical or one of the accepted aliases ("float32", "float16", "bfloat16"...). */
export type DataTypeName = DataType | "float32" | "fp32" | "float16" | "fp16" | "bfloat16" | "boolean" | "fp8e4m3";

/** The canonical name for `name`, or null when it names no data type. */
export function parseDataType(name: unknown): DataType | null {
  if (typeof name !== "string") return null;
  if (Object.prototype.hasOwnProperty.call(DATA_TYPES, name)) return name as DataType;
  return ALIASES[name] ?? null;
}

/** Bytes taken by `count` elements of `dtype` (packed types round up to a whole byte). */
export function byteLengthOf(dtype: DataType, count: number): number {
  return Math.ceil((count * DATA_TYPES[dtype].bits) / 8);
}

/** Whether `dtype` packs two values in a byte (int4, fp4): its stored arrays count bytes, not values. */
export function isPacked(dtype: DataType): boolean {
  return DATA_TYPES[dtype].bits === 4;
}

/** The length of the stored array that holds `count` elements of `dtype`: bytes for the packed types, elements otherwise. */
export function storedLength(dtype: DataType, count: number): number {
  return isPacked(dtype) ? byteLengthOf(dtype, count) : count;
}

/** Number of elements of a shape (1 for a scalar, rank 0). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
