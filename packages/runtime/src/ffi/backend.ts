/**
 * The ffi implementation of TensorRTBackend: one IRuntime over one loaded
 * libnvinfer, with a JS logger.
 *
 * Deserialization runs on a koffi worker thread (`.async`), so a large plan
 * does not stall the event loop. TensorRT may log from that thread; koffi
 * hands callbacks made from a foreign thread to the JS thread and blocks the
 * caller until the callback ran, which is safe as long as the JS thread keeps
 * its event loop running (it does: it is awaiting the promise). The one way
 * this can deadlock is the JS thread making a blocking call that waits for a
 * lock the worker holds while the worker waits for its log callback to run.
 * Nothing in this package blocks that way while a deserialization is in
 * flight, and the tests run eight concurrent deserializations through the
 * emulator; should a TensorRT build show such a lock, `asyncDeserialize:
 * false` runs deserialization on the JS thread instead.
 */
import type { DeserializeOptions, EngineHandle, LogSeverity, LogSink, TensorRTBackend, TensorRTLibraryInfo } from "../engine/contract.js";
import { allocNative, copyIntoNative, freeNative } from "../device/native-memory.js";
import { deserializeHints } from "../errors/deserialize-hints.js";
import { ReleasedError, RuntimeUnavailableError } from "../errors/index.js";
import { FfiEngine } from "./engine.js";
import { loadTensorRT } from "./library.js";
import type { LoadedTensorRT, TensorRTLoadOptions } from "./library.js";
import { FfiLogger } from "./logger.js";
import { FfiPluginHost } from "./plugin-host.js";
import { FfiBackendState } from "./backend-state.js";
import { destroyWrapper, implOf } from "./vtable.js";

/**
 * One logger per loaded library, for the whole process: TensorRT treats its
 * logger as process-wide (it keeps the first one it is given and warns when a
 * later runtime passes another), so a logger per backend could leave later
 * backends without their error messages. It is never freed for the same reason.
 */
const loggers = new Map<LoadedTensorRT, FfiLogger>();

function sharedLogger(lib: LoadedTensorRT): FfiLogger {
  let logger = loggers.get(lib);
  if (!logger) loggers.set(lib, (logger = new FfiLogger(lib.table)));
  return logger;
}

export interface FfiBackendOptions extends TensorRTLoadOptions {
  /** Deserialize on a koffi worker thread (default true); false runs it on the JS thread. */
  readonly asyncDeserialize?: boolean;
}

export class FfiBackend implements TensorRTBackend {
  readonly implementation = "ffi" as const;
  readonly library: TensorRTLibraryInfo;
  /** The loaded library, its ABI table and entry points. */
  readonly loaded: LoadedTensorRT;
  private readonly shared: FfiBackendState;
  private readonly runtimeWrapper: number;
  private readonly runtimeImpl: number;
  private readonly asyncDeserialize: boolean;
  private disposed = false;
  private pluginHost: FfiPluginHost | undefined;

  constructor(options: FfiBackendOptions = {}) {
    this.loaded = loadTensorRT(options);
    this.library = this.loaded.info;
    this.asyncDeserialize = options.asyncDeserialize ?? true;
    const logger = sharedLogger(this.loaded);
    this.shared = new FfiBackendState(this.loaded, logger);
    const mark = logger.errorCount;
    const runtime = this.loaded.createInferRuntime(logger.address, this.loaded.version.raw);
    if (!runtime) {
      const logged = logger.errorSince(mark);
      throw new RuntimeUnavailableError({
        component: "tensorrt",
        expected: "createInferRuntime to return a runtime",
        reason: `${this.library.path} returned null${logged ? `: ${logged}` : ""}`,
        fix: "Check that the CUDA driver and the libraries TensorRT depends on are installed for this library version.",
      });
    }
    this.runtimeWrapper = runtime;
    this.runtimeImpl = implOf(this.loaded.table, runtime);
  }

  /** The runtime's plugin registry (made on first use). */
  get plugins(): FfiPluginHost {
    if (this.disposed) throw new ReleasedError("TensorRT runtime", "reach the plugin registry");
    this.pluginHost ??= new FfiPluginHost(this.shared, this.runtimeImpl);
    return this.pluginHost;
  }

  /** Deserializes a plan (TensorRT engine bytes). TensorRTCallError with the logger's message when TensorRT refuses it. */
  async deserialize(plan: Uint8Array, options: DeserializeOptions = {}): Promise<EngineHandle> {
    if (this.disposed) throw new ReleasedError("TensorRT runtime", "deserialize");
    const s = this.shared;
    const fn = s.runtime.method(this.runtimeImpl, "deserializeCudaEngine");
    // The worker thread needs memory that no GC can move or free under it: copy the plan to native memory.
    const size = plan.byteLength;
    const data = allocNative(size, 16);
    copyIntoNative(data, plan);
    // Errors logged by other calls made while this one runs on the worker would be attributed to it too;
    // JS runs those calls between log callbacks, so at worst a failure quotes a neighbour's error.
    const mark = s.logger.errorCount;
    let wrapper: number;
    try {
      // koffi's worker threads never set a device, so CUDA has device 0 current there: an engine for
      // another GPU is deserialized here on the JS thread, where the runtime made its device current.
      const onWorker = this.asyncDeserialize && (options.device ?? 0) === 0;
      wrapper = onWorker
        ? await new Promise<number>((resolve, reject) => {
            fn.async(this.runtimeImpl, data, size, (error: unknown, result: number) =>
              error ? reject(error as Error) : resolve(result),
            );
          })
        : (fn(this.runtimeImpl, data, size) as number);
    } finally {
      freeNative(data);
    }
    if (!wrapper) {
      const hints = deserializeHints(this.library, s.logger.errorsSince(mark), this.engineHostCodeAllowed);
      throw s.failure("IRuntime::deserializeCudaEngine", mark, hints ? `${size}-byte plan; ${hints}` : `${size}-byte plan`);
    }
    return new FfiEngine(s, wrapper);
  }

  /**
   * Where TensorRT's messages go. The logger is shared by every backend over
   * the same library (see sharedLogger), so the sink is too.
   */
  setLogSink(sink: LogSink | null, minSeverity?: LogSeverity): void {
    this.shared.logger.setSink(sink, minSeverity);
  }

  setEngineHostCodeAllowed(allowed: boolean): void {
    const s = this.shared;
    const mark = s.logger.errorCount;
    s.runtime.method(this.runtimeImpl, "setEngineHostCodeAllowed")(this.runtimeImpl, allowed);
    s.checkLog("IRuntime::setEngineHostCodeAllowed", mark);
  }

  /** Whether engines with host code may be deserialized (IRuntime::getEngineHostCodeAllowed). */
  get engineHostCodeAllowed(): boolean {
    return this.shared.runtime.method(this.runtimeImpl, "getEngineHostCodeAllowed")(this.runtimeImpl) as boolean;
  }

  /**
   * Destroys the runtime. Not part of TensorRTBackend (a backend lives as long
   * as the process); engines deserialized from it must be released first.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    destroyWrapper(this.loaded.table, this.runtimeWrapper);
  }
}
