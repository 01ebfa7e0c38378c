/**
 * The one place where the ABI vocabulary of tools/abi (AbiType) becomes koffi
 * types. Two directions, because what is convenient differs:
 *
 * - calls into TensorRT: every pointer, including `char const*` parameters,
 *   travels as a `uintptr_t` number (tensor names are encoded to native memory
 *   once per engine, so the hot path converts no strings); `char const*`
 *   results decode to JS strings; a by-value Dims64 result is written to a
 *   caller-provided buffer (see `dimsReturn`).
 * - callbacks from TensorRT (logger, profiler, output allocator): `char const*`
 *   parameters arrive as JS strings, Dims64 references as addresses.
 */
import koffi from "koffi";
import type { TypeObject } from "koffi";
import type { AbiMethod, AbiType } from "../abi/tables.generated.js";

/** `this` and every pointer: a machine word as a JS number. */
export const POINTER = "uintptr_t";

/** Dims64: int32 nbDims at 0, int64 d[8] at 8, 72 bytes. */
export const Dims64 = koffi.struct({ nbDims: "int32_t", d: koffi.array("int64_t", 8, "Array") });

/** InterfaceInfo: {char const* kind; int32 major; int32 minor}, 16 bytes, returned in RAX:RDX. */
export const InterfaceInfo = koffi.struct({ kind: POINTER, major: "int32_t", minor: "int32_t" });

/**
 * How a by-value Dims64 result crosses the ABI. On x86-64 SysV a 72-byte
 * struct result is written through a hidden pointer passed as the first
 * integer argument (before `this`), so the prototype can say exactly that and
 * the caller reads the struct from a buffer it reuses: about 0.1 us a call,
 * against 1.3 us for koffi building a JS object for a struct result. Other
 * ABIs (aarch64 passes the hidden pointer in x8, not as an argument) use
 * koffi's by-value struct return, which knows each ABI's rule.
 */
export const dimsReturn: "hiddenPointer" | "struct" = process.arch === "x64" ? "hiddenPointer" : "struct";

const callParam: Record<Exclude<AbiType, "void" | "dims" | "info">, string> = {
  bool: "bool",
  i32: "int32_t",
  i64: "int64_t",
  u64: "uint64_t",
  f32: "float",
  ptr: POINTER,
  cstr: POINTER,
  dimsPtr: POINTER,
};

const callResult: Record<Exclude<AbiType, "dims" | "info" | "dimsPtr">, string> = {
  void: "void",
  bool: "bool",
  i32: "int32_t",
  i64: "int64_t",
  u64: "uint64_t",
  f32: "float",
  ptr: POINTER,
  cstr: "const char*",
};

const callbackParam: Record<Exclude<AbiType, "void" | "dims" | "info">, string> = {
  ...callParam,
  cstr: "const char*",
};

const callbackResult: Record<Exclude<AbiType, "dims" | "dimsPtr">, string | TypeObject> = {
  void: "void",
  bool: "bool",
  i32: "int32_t",
  i64: "int64_t",
  u64: "uint64_t",
  f32: "float",
  ptr: POINTER,
  cstr: POINTER,
  info: InterfaceInfo,
};

function pick<K extends string, V>(table: Record<K, V>, key: string, where: string): V {
  const value = (table as Record<string, V | undefined>)[key];
  if (value === undefined) throw new TypeError(`koffi-types: ABI type "${key}" cannot appear as ${where}`);
  return value;
}

/**
 * The koffi prototype for calling an implementation-class method through its
 * vtable: `this` first, plus the hidden result pointer for Dims64 results on
 * x86-64. Build once per (table, class, method); see prototype-cache.ts.
 */
export function callPrototype(method: AbiMethod): TypeObject {
  const params = method.params.map((p) => pick(callParam, p, "a call parameter"));
  if (method.returns === "dims") {
    return dimsReturn === "hiddenPointer"
      ? koffi.proto(POINTER, [POINTER, POINTER, ...params])
      : koffi.proto(Dims64, [POINTER, ...params]);
  }
  return koffi.proto(pick(callResult, method.returns, "a call result"), [POINTER, ...params]);
}

/** The koffi prototype of a caller-interface slot that TensorRT calls back: `this` first. */
export function callbackPrototype(method: AbiMethod): TypeObject {
  const params = method.params.map((p) => pick(callbackParam, p, "a callback parameter"));
  return koffi.proto(pick(callbackResult, method.returns, "a callback result"), [POINTER, ...params]);
}
