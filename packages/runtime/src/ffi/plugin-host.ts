/**
 * The ffi engine's PluginHost: its runtime's plugin registry
 * (IRuntime::getPluginRegistry) and the library's global one
 * (getPluginRegistry(), see global-registry.ts), called through the
 * registry's own vtable, and TensorRT's plugin library opened with koffi.
 * Libraries opened here stay open for the process: their creators are
 * registered with TensorRT, which calls into them for as long as engines use them.
 */
import koffi from "koffi";
import type { LibraryHandle } from "koffi";
import type { PluginHost, PluginLibraryOutcome } from "../engine/contract.js";
import { allocCString, allocNative, freeNative, nativeView } from "../device/native-memory.js";
import { PlainBinding } from "./plain-object.js";
import type { FfiBackendState } from "./backend-state.js";
import { globalPluginRegistry } from "./global-registry.js";

/** Every library this module opened, kept from the garbage collector. */
const opened: LibraryHandle[] = [];

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** dlopen `path` the way TensorRT's loadLibrary does (lazy binding, local symbols); the error message when it fails. */
function open(path: string): { handle: LibraryHandle } | { error: string } {
  try {
    const handle = koffi.load(path, { lazy: true, global: false });
    opened.push(handle);
    return { handle };
  } catch (error) {
    return { error: describe(error) };
  }
}

export class FfiPluginHost implements PluginHost {
  readonly registry: number;
  readonly globalRegistry: number | null;
  private readonly binding: PlainBinding;

  constructor(
    private readonly shared: FfiBackendState,
    runtimeImpl: number,
  ) {
    this.registry = shared.runtime.method(runtimeImpl, "getPluginRegistry")(runtimeImpl) as number;
    this.globalRegistry = globalPluginRegistry(shared.lib);
    this.binding = new PlainBinding(shared.table, shared.version, "IPluginRegistry");
  }

  /** The runtime's registry plus the global one: TensorRT's plugin library registers in the global one only. */
  creatorCount(): number {
    const global = this.globalRegistry;
    // Should a library hand out one object for both, it is counted once.
    return this.countOf(this.registry) + (global !== null && global !== this.registry ? this.countOf(global) : 0);
  }

  private countOf(registry: number): number {
    const count = allocNative(4, 4);
    try {
      this.binding.method(registry, "getAllCreators")(registry, count);
      return new Int32Array(nativeView(count, 4))[0] as number;
    } finally {
      freeNative(count);
    }
  }

  initStandardPlugins(path: string): PluginLibraryOutcome {
    const lib = open(path);
    if ("error" in lib) return { openError: lib.error, ok: false, logged: [] };
    const symbol = "initLibNvInferPlugins";
    let init: (logger: number, libNamespace: string) => boolean;
    try {
      init = lib.handle.func(symbol, "bool", ["uintptr_t", "const char*"]) as typeof init;
    } catch {
      return { openError: null, ok: false, logged: [`${path} does not export ${symbol}, so it is not TensorRT's plugin library`] };
    }
    const logger = this.shared.logger;
    const mark = logger.errorCount;
    const ok = init(logger.address, "");
    return { openError: null, ok, logged: logger.errorsSince(mark) };
  }

  loadLibrary(path: string): PluginLibraryOutcome {
    const probe = open(path);
    if ("error" in probe) return { openError: probe.error, ok: false, logged: [] };
    const logger = this.shared.logger;
    const text = allocCString(path);
    const mark = logger.errorCount;
    try {
      const handle = this.binding.method(this.registry, "loadLibrary")(this.registry, text) as number;
      return { openError: null, ok: handle !== 0, logged: logger.errorsSince(mark) };
    } finally {
      freeNative(text);
    }
  }
}
