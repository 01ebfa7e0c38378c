/**
 * Maps the C++ types that appear in the ABI tables to a small vocabulary both
 * generated views understand. Every pointer, reference and handle is the same
 * machine word; what matters to a caller is only how a value travels (integer
 * register, float register, hidden result pointer), so the vocabulary keeps
 * exactly that distinction and nothing more.
 */
export type AbiType =
  | "void"
  | "bool"
  | "i32"
  | "i64"
  | "u64"
  | "f32"
  | "ptr" // any pointer, reference, CUDA handle or interface
  | "cstr" // char const*: a NUL-terminated string
  | "dims" // Dims64 by value: 72 bytes, returned through a hidden pointer
  | "dimsPtr" // Dims64 const&: passed as a pointer
  | "info"; // InterfaceInfo by value: 16 bytes, returned in RAX:RDX

const scalar: Record<string, AbiType> = {
  void: "void",
  bool: "bool",
  int32_t: "i32",
  int64_t: "i64",
  uint64_t: "u64",
  size_t: "u64",
  "std::size_t": "u64",
  float: "f32",
  Dims: "dims",
  InterfaceInfo: "info",
  cudaStream_t: "ptr",
  cudaEvent_t: "ptr",
  PluginLibraryHandle: "ptr", // IPluginRegistry's `using PluginLibraryHandle = void*`
};

/** Splits "char const* tensorName" into its type; unnamed parameters are all type. */
export function parameterType(param: string): string {
  const trimmed = param.trim().replace(/\s+/g, " ");
  const named = /^(.*[\s*&])([A-Za-z_]\w*)$/.exec(trimmed);
  if (named && named[2] !== "const") return named[1]!.trim();
  return trimmed;
}

/** Classifies one C++ type; `enums` are the enum names of the table (int32 on this ABI). */
export function classify(cppType: string, enums: ReadonlySet<string>): AbiType {
  const t = cppType.replace(/\bconst$/, "").replace(/^nvinfer1::/, "").trim();
  if (t === "char const*" || t === "AsciiChar const*") return "cstr";
  if (t === "Dims const&") return "dimsPtr";
  if (t.endsWith("*") || t.endsWith("&")) return "ptr";
  const known = scalar[t];
  if (known) return known;
  if (enums.has(t)) return "i32";
  throw new Error(`tools/abi: no ABI mapping for C++ type "${cppType}"; add it to src/types.ts`);
}

/** Splits a parameter list ("a, b") into parameter strings. */
export function splitParams(params: string): string[] {
  return params.trim() === "" ? [] : params.split(",").map((p) => p.trim());
}

/** C++ spelling of each vocabulary type in the generated header. */
export const cppSpelling: Record<AbiType, string> = {
  void: "void",
  bool: "bool",
  i32: "int32_t",
  i64: "int64_t",
  u64: "uint64_t",
  f32: "float",
  ptr: "void*",
  cstr: "const char*",
  dims: "Dims64",
  dimsPtr: "const Dims64*",
  info: "InterfaceInfo",
};
