/**
 * Shape of the project's ABI tables in tools/abi/data (one file per TensorRT
 * major). Method entries keep the schema of shared/tensorrt-abi so every slot
 * can be checked against the published facts.
 */
export interface MethodEntry {
  slot: number;
  name: string;
  /** Identifier used in generated code when `name` is overloaded. */
  id?: string;
  returns: string;
  params: string;
  const?: boolean;
  /** First TensorRT release that has the method ("10.11", "11.0", ...). */
  since?: string;
  note?: string;
}

export interface CallerInterface {
  base: string | null;
  /** [kind, major, minor] reported by getInterfaceInfo for versioned interfaces. */
  interfaceInfo: [string, number, number] | null;
  slots: MethodEntry[];
}

export interface EntryPoint {
  name: string;
  /** For plugin entry points: "plugin" (libnvinfer_plugin.so.N) or "pluginLibrary" (a user's plugin library). */
  library?: string;
  returns: string;
  params: string;
  note?: string;
}

export interface AbiData {
  major: number;
  /** `pluginFile`: TensorRT's standard plugin library of this major. */
  library: { file: string; cudaRuntime: string[]; pluginFile: string };
  entryPoints: EntryPoint[];
  wrapperObjects: { implPointerOffset: number; deletingDestructorSlot: number };
  vtableSize: Record<string, number>;
  implClasses: Record<string, MethodEntry[]>;
  callerInterfaces: Record<string, CallerInterface>;
  /** C functions of libnvinfer_plugin.so.N and the ones a user's plugin library exports. */
  pluginEntryPoints: EntryPoint[];
  /**
   * Plugin interfaces, complete slot layouts: the plugin registry and the
   * logger finder (objects the library implements and hands out directly, no
   * wrapper) and the plugin creators (implemented by plugin libraries).
   */
  pluginInterfaces: Record<string, CallerInterface>;
  enums: Record<string, Record<string, number>>;
  dataTypeBits: Record<string, number>;
  structs: Record<string, { size: number; align: number } & Record<string, unknown>>;
}
