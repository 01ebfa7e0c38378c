/**
 * Element types the emulator runs, with TensorRT's `DataType` codes (the same
 * in TensorRT 10 and 11) and their sizes.
 */
export type DTypeName = "float32" | "float16" | "bfloat16" | "int8" | "uint8" | "int32" | "int64" | "bool";

interface DTypeInfo {
  /** TensorRT `DataType` value. */
  readonly code: number;
  /** Bytes per element. */
  readonly bytes: number;
  /** Whether add, mul and relu accept it. */
  readonly arithmetic: boolean;
}

const INFO: Readonly<Record<DTypeName, DTypeInfo>> = {
  float32: { code: 0, bytes: 4, arithmetic: true },
  float16: { code: 1, bytes: 2, arithmetic: true },
  int8: { code: 2, bytes: 1, arithmetic: true },
  int32: { code: 3, bytes: 4, arithmetic: true },
  bool: { code: 4, bytes: 1, arithmetic: false },
  uint8: { code: 5, bytes: 1, arithmetic: true },
  bfloat16: { code: 7, bytes: 2, arithmetic: true },
  int64: { code: 8, bytes: 8, arithmetic: true },
};

/** Every supported dtype, in TensorRT code order. */
export const DTYPES: readonly DTypeName[] = (Object.keys(INFO) as DTypeName[]).sort(
  (a, b) => INFO[a].code - INFO[b].code,
);

/** Whether `name` is a dtype the emulator supports. */
export function isDTypeName(name: unknown): name is DTypeName {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(INFO, name);
}

/** TensorRT `DataType` code of `dtype` (float32 → 0, int64 → 8, ...). */
export function dtypeCode(dtype: DTypeName): number {
  return INFO[dtype].code;
}

/** The dtype with TensorRT `DataType` code `code`, or undefined if the emulator does not run it. */
export function dtypeFromCode(code: number): DTypeName | undefined {
  return DTYPES.find((d) => INFO[d].code === code);
}

/** Bytes per element of `dtype`. */
export function dtypeByteSize(dtype: DTypeName): number {
  return INFO[dtype].bytes;
}

/** Whether add, mul and relu accept `dtype` (all but bool). */
export function isArithmeticDType(dtype: DTypeName): boolean {
  return INFO[dtype].arithmetic;
}
