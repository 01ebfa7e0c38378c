/**
 * Where TensorRT and CUDA come from for a set of modules: the libnvinfer and
 * libcudart paths, the native addon (or the loader standing in for it), and,
 * created lazily from those, one backend per engine implementation and the
 * devices. Modules made without an environment share the process default,
 * which reads TRT_NVINFER_PATH / TRT_CUDART_PATH / TRT_NATIVE_ADDON_PATH.
 *
 * Both engine implementations load the same files: the libraries are found
 * here, by the one search order of ../libraries/candidates.ts, and the native
 * engine is handed the paths that search chose.
 */
import type { RuntimeCapabilities } from "@trt/settings";
import { STANDARD_TENSORRT_CAPABILITIES } from "@trt/settings";
import { attachmentsFor } from "../cache/attachments.js";
import type { CacheAttachments } from "../cache/attachments.js";
import { RUNTIME_CACHE_ONLY_CAPABILITIES } from "../cache/cache-bridge.js";
import { runtimeCacheBridgeFor } from "../cache/library-cache.js";
import { libraryTraits } from "../libraries/library-traits.js";
import { selectDevice } from "../device/index.js";
import type { DeviceLayer, HostDevicesOption } from "../device/index.js";
import type { EngineImplementation, LogSeverity, LogSink, TensorRTBackend, TensorRTLibraryInfo } from "../engine/contract.js";
import { loadCudaRuntime } from "../device/cuda-runtime.js";
import { InputError, RuntimeUnavailableError } from "../errors/index.js";
import { FfiBackend } from "../ffi/index.js";
import { loadTensorRT } from "../ffi/library.js";
import type { LibrarySearchOptions } from "../libraries/candidates.js";
import { NativeBackendAdapter } from "../native/adapter.js";
import type { NativeLoader } from "../native/binding.js";
import { unavailableFromNative } from "../native/errors.js";
import { defaultNativeLoader, NATIVE_PACKAGE } from "../native/loader.js";
import { ComputeDevice } from "../placement/compute-device.js";
import { debug } from "../selection/debug.js";
import type { RuntimeKind } from "../selection/kind.js";
import { getRuntime } from "../selection/scope.js";
import { engineHostCodeAllowed } from "./host-code.js";
import { listDevicesOf } from "./list-devices.js";
import { ensureStandardPlugins, loadPluginLibraries, pluginStatusOf } from "../plugins/plugin-loader.js";
import type { PluginStatus } from "../plugins/plugin-loader.js";
import { pluginPathsFromEnv, pluginRequests } from "../plugins/plugin-paths.js";
import type { PluginLibraryRequest, PluginLibrarySpec } from "../plugins/plugin-paths.js";
import type { DeviceListing, ListDevicesOptions } from "./list-devices.js";

/**
 * How an environment finds its libraries. Unset paths fall back to the
 * environment variables, then the system loader, then pip wheels in the
 * active Python environment (see the package README, "Where libraries are
 * looked for").
 */
export interface EnvironmentOptions {
  /** libnvinfer to load, and the only one tried (else TRT_NVINFER_PATH, else the search). */
  readonly nvinferPath?: string;
  /** libcudart to load, and the only one tried (else TRT_CUDART_PATH, else the search). */
  readonly cudartPath?: string;
  /** The compiled native addon (else TRT_NATIVE_ADDON_PATH, else the one @trt/native built). */
  readonly addonPath?: string;
  /** Loads the native engine; `null` means it is not installed. Default: require @trt/native. */
  readonly nativeLoader?: NativeLoader | null;
  /**
   * Allow engines that carry host code (IRuntime::setEngineHostCodeAllowed)
   * in every backend: version-compatible engines with the lean runtime
   * embedded, or serialized plugins. A security decision: such an engine runs
   * code it brings with it in this process, so allow it only for engines you
   * trust. Unset: TRT_ALLOW_ENGINE_HOST_CODE=1 allows it; else refused.
   */
  readonly allowEngineHostCode?: boolean;
  /**
   * Environment variables read instead of process.env for the library search
   * (TRT_NVINFER_PATH, TRT_CUDART_PATH, VIRTUAL_ENV, CONDA_PREFIX, TRT_PYTHON),
   * TRT_ALLOW_ENGINE_HOST_CODE, the plugin variables (TRT_PLUGIN_PATHS,
   * TRT_NVINFER_PLUGIN_PATH) and the emulator's host devices. The addon
   * binary's TRT_NATIVE_ADDON_PATH is always read from process.env.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Plugin libraries (paths, or names for the system loader) loaded through
   * the plugin registry (IPluginRegistry::loadLibrary) before any engine of
   * this environment is deserialized (`{ path, origin }` entries say what
   * named them, for messages). Unset: TRT_PLUGIN_PATHS (colon-separated). A library that does not open fails with
   * PLUGIN_LIBRARY_NOT_FOUND, one TensorRT refuses or that registers nothing
   * with PLUGIN_LIBRARY_INVALID.
   */
  readonly plugins?: readonly PluginLibrarySpec[];
  /**
   * TensorRT's own plugin library (libnvinfer_plugin.so.N), whose creators
   * are registered (initLibNvInferPlugins) before the first engine is
   * deserialized. Unset: TRT_NVINFER_PLUGIN_PATH, else the one beside the
   * loaded libnvinfer (or by name through the system loader when libnvinfer
   * was found that way); not finding it is not an error until an engine needs
   * one of its plugins. `false`: never load it.
   */
  readonly nvinferPluginPath?: string | false;
  /** Where TensorRT's log messages go, for every backend this environment creates. */
  readonly logSink?: LogSink;
  /** Least severe message the sink receives. */
  readonly logSeverity?: LogSeverity;
  /**
   * What the loaded TensorRT honours of the RTX-only settings. Default: what
   * the library shows: the runtime cache where it has one (the emulator
   * advertises it in trtEmulatorInfo), else standard TensorRT (neither).
   */
  readonly capabilities?: RuntimeCapabilities;
  /**
   * With the emulator in host mode: how many GPUs its host stand-in pretends
   * to have, or each one described (name, compute capability, memory), to
   * exercise multi-GPU code on a machine without GPUs. Default: from
   * TRT_EMU_DEVICE_COUNT / TRT_EMU_DEVICE_SM, else one. Ignored on CUDA.
   */
  readonly hostDevices?: HostDevicesOption;
}

/** Whether the native engine loads here, and if not, why. */
export type NativeAvailability =
  | { readonly available: true; readonly addonPath: string; readonly library: TensorRTLibraryInfo }
  | { readonly available: false; readonly error: RuntimeUnavailableError };

/** The implementation a selection resolved to, and why. */
export interface RuntimeResolution {
  readonly requested: RuntimeKind;
  readonly implementation: EngineImplementation;
  readonly reason: string;
}

let defaultEnvironment: TensorRTEnvironment | undefined;

/** TensorRT, CUDA and the engine implementations for a set of modules. */
export class TensorRTEnvironment {
  private readonly backends = new Map<EngineImplementation, TensorRTBackend>();
  private readonly failures = new Map<EngineImplementation, RuntimeUnavailableError>();
  private nativeState: NativeAvailability | undefined;
  private autoLogged = false;
  private layer: DeviceLayer | undefined;
  private readonly devices = new Map<number, ComputeDevice>();
  private capabilitiesFound: RuntimeCapabilities | undefined;
  private cacheAttachments: CacheAttachments | null | undefined;

  constructor(readonly options: EnvironmentOptions = {}) {}

  /**
   * What the loaded TensorRT can honour of the RTX-only settings (see
   * @trt/settings): the `capabilities` option when given, else what the
   * library shows (loading it if no backend has yet).
   */
  get capabilities(): RuntimeCapabilities {
    this.capabilitiesFound ??=
      this.options.capabilities ?? (this.runtimeCacheAttachments ? RUNTIME_CACHE_ONLY_CAPABILITIES : STANDARD_TENSORRT_CAPABILITIES);
    return this.capabilitiesFound;
  }

  /**
   * The loaded library's runtime caches, shared by every module over it, or
   * null when it has none. Real TensorRT keeps a runtime cache only in its
   * RTX builds, which this runtime does not bind yet; the emulator offers one
   * through its own exports (src/cache/library-cache.ts).
   */
  get runtimeCacheAttachments(): CacheAttachments | null {
    if (this.cacheAttachments === undefined) {
      const bridge = runtimeCacheBridgeFor(this.library);
      this.cacheAttachments = bridge ? attachmentsFor(bridge) : null;
    }
    return this.cacheAttachments;
  }

  /** The environment modules use when given none: paths from the environment variables. */
  static default(): TensorRTEnvironment {
    defaultEnvironment ??= new TensorRTEnvironment();
    return defaultEnvironment;
  }

  /** Replaces the process default (tests, or a program that configures paths in code). Returns the previous one. */
  static setDefault(environment: TensorRTEnvironment | undefined): TensorRTEnvironment | undefined {
    const previous = defaultEnvironment;
    defaultEnvironment = environment;
    return previous;
  }

  /** Tries to load the native engine once and remembers the outcome. Never throws. */
  nativeAvailability(): NativeAvailability {
    if (this.nativeState) return this.nativeState;
    try {
      const backend = this.loadNative();
      this.backends.set("native", backend);
      this.nativeState = { available: true, addonPath: backend.addonPath, library: backend.library };
    } catch (error) {
      this.nativeState = { available: false, error: unavailableFromNative(error) };
    }
    return this.nativeState;
  }

  /**
   * The implementation `kind` means here. "native" when it cannot load throws
   * RuntimeUnavailableError with the reason; "auto" picks native when it
   * loads, else ffi, and says which and why on the `trt` debug channel.
   */
  resolve(kind: RuntimeKind = getRuntime()): RuntimeResolution {
    if (kind === "ffi") return { requested: kind, implementation: "ffi", reason: "requested" };
    const native = this.nativeAvailability();
    if (kind === "native") {
      if (!native.available) throw native.error;
      return { requested: kind, implementation: "native", reason: "requested" };
    }
    const resolution: RuntimeResolution = native.available
      ? { requested: kind, implementation: "native", reason: `the native addon loaded (${native.addonPath})` }
      : { requested: kind, implementation: "ffi", reason: `native is unavailable: ${native.error.reason}` };
    if (!this.autoLogged) {
      this.autoLogged = true;
      debug("runtime auto: using %s, because %s", resolution.implementation, resolution.reason);
    }
    return resolution;
  }

  /** The backend of `implementation`, loaded on first use; RuntimeUnavailableError (remembered) when it cannot load. */
  backend(implementation: EngineImplementation): TensorRTBackend {
    const loaded = this.backends.get(implementation);
    if (loaded) return loaded;
    if (implementation === "native") {
      const native = this.nativeAvailability();
      if (!native.available) throw native.error;
      return this.backends.get("native")!;
    }
    const failed = this.failures.get(implementation);
    if (failed) throw failed;
    try {
      const backend = new FfiBackend(this.search(this.options.nvinferPath));
      this.configure(backend);
      this.backends.set(implementation, backend);
      return backend;
    } catch (error) {
      if (error instanceof RuntimeUnavailableError) this.failures.set(implementation, error);
      throw error;
    }
  }

  /** The implementations loaded so far. */
  get loadedImplementations(): EngineImplementation[] {
    return [...this.backends.keys()];
  }

  /**
   * The loaded TensorRT library (of whichever backend loaded first; all load
   * the same one). Loads the backend the current selection resolves to if
   * none is loaded yet.
   */
  get library(): TensorRTLibraryInfo {
    const first = this.backends.values().next();
    if (!first.done) return first.value.library;
    return this.backend(this.resolve().implementation).library;
  }

  /** The device layer: the host stand-in for the emulator in host mode, else CUDA. */
  get deviceLayer(): DeviceLayer {
    this.layer ??= selectDevice({
      library: this.library,
      ...this.search(this.options.cudartPath),
      ...(this.options.hostDevices !== undefined ? { hostDevices: this.options.hostDevices } : {}),
    });
    return this.layer;
  }

  /** Number of devices modules can be placed on. */
  get deviceCount(): number {
    return this.deviceLayer.deviceCount();
  }

  /**
   * Every device this environment's device layer sees, with its properties
   * and whether TensorRT engines can run there. Never throws: with no CUDA
   * driver, no GPU or no TensorRT, the list is what could be found and
   * `reason` says why the rest is missing. See list-devices.ts.
   */
  listDevices(options?: ListDevicesOptions): DeviceListing {
    return listDevicesOf(this, options);
  }

  /** The device with this ordinal (one object per ordinal, shared by every module of this environment). */
  device(ordinal = 0): ComputeDevice {
    const existing = this.devices.get(ordinal);
    if (existing) return existing;
    const layer = this.deviceLayer;
    const count = layer.deviceCount();
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= count) {
      throw new InputError({
        problem: "device",
        tensor: null,
        expected: `a device ordinal from 0 to ${count - 1} (${layer.kind}, ${count} device${count === 1 ? "" : "s"})`,
        found: String(ordinal),
        fix: `Pick one of the devices this machine has (${layer.kind}:0${count > 1 ? ` .. ${layer.kind}:${count - 1}` : ""}).`,
      });
    }
    const device = new ComputeDevice(layer, ordinal);
    this.devices.set(ordinal, device);
    return device;
  }

  private loadNative(): NativeBackendAdapter {
    const loader = this.options.nativeLoader === undefined ? defaultNativeLoader : this.options.nativeLoader;
    if (loader === null) {
      throw new RuntimeUnavailableError({
        component: "native",
        expected: `the optional package ${NATIVE_PACKAGE}`,
        reason: `${NATIVE_PACKAGE} is not installed`,
        fix: `Install ${NATIVE_PACKAGE}, or select the ffi engine: setRuntime("ffi") or TRT_RUNTIME=ffi.`,
      });
    }
    const backend = new NativeBackendAdapter(loader({ ...this.nativeLibraryPaths(), addonPath: this.options.addonPath }));
    this.configure(backend);
    return backend;
  }

  /**
   * The plugin libraries of this environment: the `plugins` option, else
   * TRT_PLUGIN_PATHS. TypeError for an option that is not a list of paths.
   */
  get pluginLibraries(): readonly PluginLibraryRequest[] {
    if (this.options.plugins !== undefined) return pluginRequests(this.options.plugins, "plugins option");
    return pluginPathsFromEnv(this.options.env ?? process.env);
  }

  /**
   * Makes `backend`'s plugin registries ready for an engine: TensorRT's plugin
   * library (once per global registry), this environment's plugin libraries,
   * then `extra` (a module's own), each loaded once per runtime registry for
   * the process. Returns what the runtime can find in both, or null where the
   * implementation cannot reach its registry (then only an empty list of
   * libraries is accepted). Throws PluginError for a library that cannot be
   * loaded.
   */
  preparePlugins(backend: TensorRTBackend, extra: readonly PluginLibraryRequest[] = []): PluginStatus | null {
    const requests = [...this.pluginLibraries, ...extra];
    const host = backend.plugins;
    if (!host) {
      if (requests.length === 0) return null;
      throw new RuntimeUnavailableError({
        component: backend.implementation,
        expected: "an engine implementation that can reach TensorRT's plugin registry",
        reason: `the ${backend.implementation} engine gives no access to the plugin registry, so ${requests.map((r) => r.path).join(", ")} cannot be loaded`,
        fix: "Use the native or ffi engine of this package.",
      });
    }
    const env = this.options.env ?? process.env;
    ensureStandardPlugins(host, backend.library, { ...(this.options.nvinferPluginPath !== undefined ? { path: this.options.nvinferPluginPath } : {}), env });
    loadPluginLibraries(host, requests);
    return pluginStatusOf(host);
  }

  /**
   * What the plugin registry holds for the implementation the current
   * selection resolves to, after loading as preparePlugins does (for `trt
   * doctor`). Null where the implementation cannot reach its registry.
   */
  pluginStatus(extra: readonly PluginLibraryRequest[] = []): PluginStatus | null {
    return this.preparePlugins(this.backend(this.resolve().implementation), extra);
  }

  /** Whether engines with host code may be deserialized here: the option, else TRT_ALLOW_ENGINE_HOST_CODE. */
  get engineHostCodeAllowed(): boolean {
    return engineHostCodeAllowed(this.options.allowEngineHostCode, this.options.env ?? process.env);
  }

  private search(path: string | undefined): LibrarySearchOptions {
    return { ...(path !== undefined ? { path } : {}), ...(this.options.env !== undefined ? { env: this.options.env } : {}) };
  }

  /**
   * The files the native engine is to load: the ones this environment's
   * search finds (the ffi engine loads the same), so the addon never searches
   * on its own. libcudart is looked for only where the addon needs it (not
   * for the emulator in host mode); when the search finds none, the addon is
   * left to report it.
   */
  private nativeLibraryPaths(): { nvinferPath: string; cudartPath: string | undefined } {
    let library;
    try {
      library = loadTensorRT(this.search(this.options.nvinferPath));
    } catch (error) {
      if (!(error instanceof RuntimeUnavailableError)) throw error;
      throw new RuntimeUnavailableError({
        component: "native",
        expected: "a TensorRT runtime library for the native engine to load",
        reason: error.reason,
        fix: error.fix,
        pathsTried: error.pathsTried,
        cause: error,
      });
    }
    let cudartPath = this.options.cudartPath;
    if (libraryTraits(library.info).memory !== "host") {
      try {
        cudartPath = loadCudaRuntime(this.search(this.options.cudartPath)).path;
      } catch {
        // The addon tries the same names and says what it tried.
      }
    }
    return { nvinferPath: library.info.path, cudartPath };
  }

  private configure(backend: TensorRTBackend): void {
    if (this.engineHostCodeAllowed) backend.setEngineHostCodeAllowed(true);
    if (this.options.logSink) backend.setLogSink(this.options.logSink, this.options.logSeverity);
  }
}
