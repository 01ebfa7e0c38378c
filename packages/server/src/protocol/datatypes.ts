/**
 * The protocol's tensor datatypes ("FP32", "INT64", ...) and the runtime's
 * data types ("float", "int64", ...), both ways. Only the types both sides
 * name are served: TensorRT's fp8, int4, fp4 and e8m0 have no protocol
 * datatype, and the protocol's FP64, UINT16..UINT64, INT16 and BYTES have no
 * TensorRT binding type, so a model with such a binding is refused when it
 * is loaded (see models.ts) and a request naming one is a 400.
 */
import type { DataType } from "@trt/runtime";

/** A datatype of the protocol that this server can carry. */
export type ProtocolDatatype = "FP32" | "FP16" | "BF16" | "INT8" | "UINT8" | "INT32" | "INT64" | "BOOL";

const TO_PROTOCOL: Readonly<Partial<Record<DataType, ProtocolDatatype>>> = Object.freeze({
  float: "FP32",
  half: "FP16",
  bf16: "BF16",
  int8: "INT8",
  uint8: "UINT8",
  int32: "INT32",
  int64: "INT64",
  bool: "BOOL",
});

/** Bytes per element in the binary tensor data extension (little-endian, row-major, BOOL one byte). */
export const ELEMENT_BYTES: Readonly<Record<ProtocolDatatype, number>> = Object.freeze({
  FP32: 4,
  FP16: 2,
  BF16: 2,
  INT8: 1,
  UINT8: 1,
  INT32: 4,
  INT64: 8,
  BOOL: 1,
});

/** Every datatype the protocol defines, served or not: a request naming one of the others is told it is not served. */
export const PROTOCOL_DATATYPES: readonly string[] = Object.freeze([
  "BOOL",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "FP16",
  "FP32",
  "FP64",
  "BF16",
  "BYTES",
]);

/** The protocol datatype of a runtime data type, or null when the protocol has none. */
export function protocolDatatype(dtype: DataType): ProtocolDatatype | null {
  return TO_PROTOCOL[dtype] ?? null;
}
