/**
 * The JS arrays that hold tensor data on the host, which array goes with
 * which data type, and the conversions between what a user hands over and
 * the bytes a tensor stores.
 */
import { DATA_TYPES, isPacked, storedLength } from "./dtype.js";
import type { DataType, HostArrayName } from "./dtype.js";
import { decode16, encode16 } from "./half.js";

/** Any array tensor data can be read into or written from. */
export type HostArray = Float32Array | Uint16Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

/** What `toArray()` returns for each data type: half and bf16 converted to Float32Array. */
export interface HostArrayMap {
  float: Float32Array;
  half: Float32Array;
  bf16: Float32Array;
  int8: Int8Array;
  uint8: Uint8Array;
  bool: Uint8Array;
  int32: Int32Array;
  int64: BigInt64Array;
  fp8: Uint8Array;
  e8m0: Uint8Array;
  int4: Uint8Array;
  fp4: Uint8Array;
}

/** What `toArray({ raw: true })` returns: the stored bits (half and bf16 as Uint16Array). */
export type RawArrayMap = Omit<HostArrayMap, "half" | "bf16"> & { half: Uint16Array; bf16: Uint16Array };

/** The converted array type of `D` (a union when `D` is). */
export type HostArrayOf<D extends DataType> = HostArrayMap[D];
/** The raw array type of `D`. */
export type RawArrayOf<D extends DataType> = RawArrayMap[D];

type ArrayConstructor = { new (length: number): HostArray; new (buffer: ArrayBuffer, offset: number, length: number): HostArray };

const CONSTRUCTORS: Readonly<Record<HostArrayName, ArrayConstructor>> = {
  Float32Array: Float32Array as unknown as ArrayConstructor,
  Uint16Array: Uint16Array as unknown as ArrayConstructor,
  Int8Array: Int8Array as unknown as ArrayConstructor,
  Uint8Array: Uint8Array as unknown as ArrayConstructor,
  Int32Array: Int32Array as unknown as ArrayConstructor,
  BigInt64Array: BigInt64Array as unknown as ArrayConstructor,
};

/**
 * The name of `value`'s array type, or null when it is not one of the
 * {@link HostArray} types. By instanceof, so subclasses count (a Node Buffer
 * is a Uint8Array).
 */
export function hostArrayName(value: unknown): HostArrayName | null {
  if (value instanceof Float32Array) return "Float32Array";
  if (value instanceof Uint8Array) return "Uint8Array";
  if (value instanceof Int32Array) return "Int32Array";
  if (value instanceof Uint16Array) return "Uint16Array";
  if (value instanceof Int8Array) return "Int8Array";
  if (value instanceof BigInt64Array) return "BigInt64Array";
  return null;
}

/** The array types accepted when writing `dtype` (converted form first). */
export function acceptedArrays(dtype: DataType): readonly HostArrayName[] {
  const { array, raw } = DATA_TYPES[dtype];
  return array === raw ? [array] : [array, raw];
}

/** The data type a plain array stands for when none is given; null where it is ambiguous (Uint16Array: half or bf16). */
export function defaultDataType(value: HostArray): DataType | null {
  switch (hostArrayName(value)) {
    case "Float32Array":
      return "float";
    case "Int8Array":
      return "int8";
    case "Uint8Array":
      return "uint8";
    case "Int32Array":
      return "int32";
    case "BigInt64Array":
      return "int64";
    default:
      return null;
  }
}

/** How many elements `data` holds for `dtype` (packed 4-bit types: two per byte). */
export function elementsIn(data: HostArray, dtype: DataType): number {
  return isPacked(dtype) ? data.length * 2 : data.length;
}

/**
 * The stored form of `data` for `dtype`: the same array when it already is
 * (no copy), else its 16-bit encoding (Float32Array for half and bf16).
 * The caller has checked that `data` is an accepted array for `dtype`.
 */
export function toStored(data: HostArray, dtype: DataType): HostArray {
  const { raw } = DATA_TYPES[dtype];
  if (hostArrayName(data) === raw) return data;
  return encode16(data as Float32Array, dtype as "half" | "bf16");
}

/** A new, zeroed array in the stored layout of `count` elements of `dtype`. */
export function allocateStored(dtype: DataType, count: number): HostArray {
  return new CONSTRUCTORS[DATA_TYPES[dtype].raw](storedLength(dtype, count));
}

/** Stored bytes to what the user asked for: converted (half and bf16 to Float32Array) or raw. */
export function fromStored(stored: HostArray, dtype: DataType, raw: boolean): HostArray {
  const info = DATA_TYPES[dtype];
  if (raw || info.array === info.raw) return stored;
  return decode16(stored as Uint16Array, dtype as "half" | "bf16");
}

/** A byte view of any array (no copy). */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
