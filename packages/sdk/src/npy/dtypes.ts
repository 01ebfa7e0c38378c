/**
 * The element types this module reads and writes, and their spelling in a
 * .npy header (numpy's array-protocol type strings: byte order, kind, size).
 * These are the types a TensorRT engine's I/O can hold that numpy also has;
 * bfloat16 and the 8- and 4-bit float formats have no numpy type.
 */

/** Element types of an {@link NpyArray}. float16 is held as its IEEE bit patterns. */
export type NpyDType = "float32" | "float16" | "int8" | "uint8" | "int32" | "int64" | "bool";

/** The JS array behind each {@link NpyDType}. */
export interface NpyDataOf {
  float32: Float32Array;
  float16: Uint16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  int32: Int32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
}

/** Any array an {@link NpyArray} can hold. */
export type NpyData = NpyDataOf[NpyDType];

/** A C-ordered array: element type, shape, and the elements. */
export interface NpyArray<D extends NpyDType = NpyDType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: NpyDataOf[D];
}

interface NpyTypeInfo {
  readonly dtype: NpyDType;
  /** Kind and size as in the header, without the byte-order character ("f4"). */
  readonly code: string;
  readonly itemSize: number;
  /** The array constructor, for allocating and for checking what a caller passes. */
  readonly array: { new (length: number): NpyData; readonly name: string };
}

const info = (dtype: NpyDType, code: string, itemSize: number, array: NpyTypeInfo["array"]): NpyTypeInfo =>
  Object.freeze({ dtype, code, itemSize, array });

/** Every supported type by its name. */
export const NPY_TYPES: Readonly<Record<NpyDType, NpyTypeInfo>> = Object.freeze({
  float32: info("float32", "f4", 4, Float32Array),
  float16: info("float16", "f2", 2, Uint16Array),
  int8: info("int8", "i1", 1, Int8Array),
  uint8: info("uint8", "u1", 1, Uint8Array),
  int32: info("int32", "i4", 4, Int32Array),
  int64: info("int64", "i8", 8, BigInt64Array),
  bool: info("bool", "b1", 1, Uint8Array),
});

const BY_CODE: ReadonlyMap<string, NpyTypeInfo> = new Map(Object.values(NPY_TYPES).map((t) => [t.code, t]));

/** The type for a kind+size code ("f4"), or undefined. */
export function npyTypeByCode(code: string): NpyTypeInfo | undefined {
  return BY_CODE.get(code);
}

/** The header's `descr` for a type: "|" for single bytes (no byte order), "<" (little-endian) otherwise, as numpy writes. */
export function descrOf(dtype: NpyDType): string {
  const t = NPY_TYPES[dtype];
  return `${t.itemSize === 1 ? "|" : "<"}${t.code}`;
}

/** The supported descrs, for error messages. */
export function supportedDescrs(): string {
  return Object.values(NPY_TYPES)
    .map((t) => descrOf(t.dtype))
    .join(", ");
}
