/**
 * Normalises an ABI data file into what both generated views print: for each
 * class, its vtable size and methods with vocabulary types.
 */
import type { AbiData, CallerInterface, EntryPoint, MethodEntry } from "./schema.js";
import { classify, parameterType, splitParams, type AbiType } from "./types.js";

export interface ModelMethod {
  id: string;
  name: string;
  slot: number;
  returns: AbiType;
  params: AbiType[];
  /** The C++ parameter list as the facts spell it, kept for comments. */
  signature: string;
  since: string | null;
}

export interface ModelClass {
  name: string;
  vtableSize: number;
  methods: ModelMethod[];
}

export interface ModelInterface extends ModelClass {
  /** [kind, major, minor] for interfaces derived from IVersionedInterface. */
  interfaceInfo: [string, number, number] | null;
}

/** An exported C function of libnvinfer, looked up with dlsym. */
export interface ModelEntryPoint {
  name: string;
  returns: AbiType;
  params: AbiType[];
  signature: string;
}

export interface AbiModel {
  major: number;
  entryPoints: ModelEntryPoint[];
  libraryFile: string;
  /** TensorRT's standard plugin library (libnvinfer_plugin.so.N). */
  pluginLibraryFile: string;
  /** initLibNvInferPlugins, and what a user's plugin library exports. */
  pluginEntryPoints: ModelEntryPoint[];
  cudaRuntime: string[];
  implPointerOffset: number;
  deletingDestructorSlot: number;
  implClasses: ModelClass[];
  callerInterfaces: ModelInterface[];
  pluginInterfaces: ModelInterface[];
  enums: Record<string, Record<string, number>>;
  dataTypeBits: Record<string, number>;
  dims64: { size: number; maxDims: number };
}

function methodId(entry: MethodEntry): string {
  if (entry.id) return entry.id;
  // "destructor (complete)" / "destructor (deleting)" become valid identifiers.
  const destructor = /^destructor \((\w+)\)$/.exec(entry.name);
  return destructor ? `destructor_${destructor[1]}` : entry.name;
}

function toMethod(entry: MethodEntry, enums: ReadonlySet<string>): ModelMethod {
  const isDestructor = entry.name.startsWith("destructor");
  return {
    id: methodId(entry),
    name: entry.name,
    slot: entry.slot,
    returns: isDestructor ? "void" : classify(entry.returns, enums),
    params: isDestructor ? [] : splitParams(entry.params).map((p) => classify(parameterType(p), enums)),
    signature: isDestructor ? "" : entry.params,
    since: entry.since ?? null,
  };
}

function checkUnique(owner: string, methods: ModelMethod[]): void {
  const ids = new Set<string>();
  const slots = new Set<number>();
  for (const m of methods) {
    if (ids.has(m.id)) throw new Error(`tools/abi: ${owner}.${m.id} is listed twice; give overloads an "id"`);
    if (slots.has(m.slot)) throw new Error(`tools/abi: ${owner} slot ${m.slot} is listed twice`);
    ids.add(m.id);
    slots.add(m.slot);
  }
}

/**
 * An interface table lists every slot (others implement it from this layout,
 * so a hole would leave a slot unfilled): slots 0..n-1 in order, with the
 * complete and deleting destructors side by side.
 */
function checkComplete(owner: string, methods: ModelMethod[]): void {
  methods.forEach((m, i) => {
    if (m.slot !== i) throw new Error(`tools/abi: ${owner} lists slot ${m.slot} at position ${i}; list every slot, in order`);
  });
  const complete = methods.findIndex((m) => m.id === "destructor_complete");
  if (complete < 0 || methods[complete + 1]?.id !== "destructor_deleting") {
    throw new Error(`tools/abi: ${owner} needs "destructor (complete)" followed by "destructor (deleting)"`);
  }
}

// The facts annotate C signatures inline ("void* (an IRuntime*)", "void* logger /* ILogger* */").
const withoutNotes = (text: string) => text.replace(/\/\*.*?\*\//g, "").replace(/\(.*?\)/g, "").trim();

function toEntryPoint(entry: EntryPoint, enums: ReadonlySet<string>): ModelEntryPoint {
  const params = splitParams(withoutNotes(entry.params));
  return {
    name: entry.name,
    returns: classify(withoutNotes(entry.returns), enums),
    params: params.map((p) => classify(parameterType(p), enums)),
    signature: entry.params,
  };
}

export function buildModel(data: AbiData): AbiModel {
  const enums = new Set(Object.keys(data.enums));
  const implClasses = Object.entries(data.implClasses).map(([name, entries]) => {
    const vtableSize = data.vtableSize[name];
    if (vtableSize === undefined) throw new Error(`tools/abi: vtableSize has no entry for ${name}`);
    const methods = entries.map((e) => toMethod(e, enums));
    checkUnique(name, methods);
    for (const m of methods) {
      if (m.slot >= vtableSize) throw new Error(`tools/abi: ${name}.${m.id} slot ${m.slot} is past the vtable size ${vtableSize}`);
    }
    return { name, vtableSize, methods };
  });
  const interfaces = (group: Record<string, CallerInterface>): ModelInterface[] =>
    Object.entries(group).map(([name, iface]) => {
      const methods = iface.slots.map((e) => toMethod(e, enums));
      checkUnique(name, methods);
      checkComplete(name, methods);
      return { name, vtableSize: methods.length, methods, interfaceInfo: iface.interfaceInfo };
    });
  const dims = data.structs["Dims64"] as { size: number; maxDims: number } | undefined;
  if (!dims) throw new Error("tools/abi: structs.Dims64 is missing");
  return {
    major: data.major,
    entryPoints: data.entryPoints.map((e) => toEntryPoint(e, enums)),
    libraryFile: data.library.file,
    pluginLibraryFile: data.library.pluginFile,
    pluginEntryPoints: data.pluginEntryPoints.map((e) => toEntryPoint(e, enums)),
    cudaRuntime: data.library.cudaRuntime,
    implPointerOffset: data.wrapperObjects.implPointerOffset,
    deletingDestructorSlot: data.wrapperObjects.deletingDestructorSlot,
    implClasses,
    callerInterfaces: interfaces(data.callerInterfaces),
    pluginInterfaces: interfaces(data.pluginInterfaces),
    enums: data.enums,
    dataTypeBits: data.dataTypeBits,
    dims64: { size: dims.size, maxDims: dims.maxDims },
  };
}
