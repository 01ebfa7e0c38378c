/**
 * The global plugin registry of a loaded libnvinfer: what its C function
 * getPluginRegistry() returns. TensorRT keeps it apart from each runtime's
 * own registry (IRuntime::getPluginRegistry): on TensorRT 10.6,
 * initLibNvInferPlugins grew the global one and left the runtime's empty,
 * and deserialization found creators in both. So the plugin host counts both.
 */
import type { AbiTable } from "../abi/tables.generated.js";
import type { LoadedTensorRT } from "./library.js";

const SYMBOL = "getPluginRegistry" satisfies keyof AbiTable["entryPoints"];

/** One answer per loaded library: the registry lives as long as the process. */
const known = new WeakMap<LoadedTensorRT, number | null>();

/** The global registry's address, or null when the library does not export getPluginRegistry (or it returns null). */
export function globalPluginRegistry(lib: LoadedTensorRT): number | null {
  const cached = known.get(lib);
  if (cached !== undefined) return cached;
  let address: number | null = null;
  try {
    const get = lib.handle.func(SYMBOL, "uintptr_t", []) as () => number;
    address = get() || null;
  } catch {
    // koffi throws for a missing symbol; the caller counts the runtime's registry alone.
    address = null;
  }
  known.set(lib, address);
  return address;
}
