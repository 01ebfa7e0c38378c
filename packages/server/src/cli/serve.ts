/**
 * Running the server from parsed arguments: load every model (all or
 * none: a model that fails to load releases those loaded before it), build
 * the server, listen, and on SIGTERM or SIGINT drain: stop listening, answer
 * every request already received, wait for every admitted inference, then
 * release the modules and exit 0 (1 when the drain outlasts its timeout).
 */
import { clearTimeout, setTimeout } from "node:timers";
import { setRuntime, TensorRTEnvironment, TensorRTModule } from "@trt/runtime";
import type { TensorRTLibraryInfo } from "@trt/runtime";
import { buildServer } from "../app.js";
import type { InferenceServer } from "../app.js";
import type { ModelSpec, RuntimeArgs, ServerArgs } from "./args.js";
import { classifyLoadError } from "./load-errors.js";

/** "TensorRT 10.8.0", or the emulator named as such, so no figure is mistaken for TensorRT's. */
export function libraryLabel(library: TensorRTLibraryInfo): string {
  const { major, minor, patch } = library.version;
  if (library.emulator) return `TensorRT emulator ${library.emulator.version} (${library.emulator.mode} mode, not TensorRT)`;
  return `TensorRT ${major}.${minor}.${patch}`;
}

/** Applies --runtime, --nvinfer, --cudart and --plugin to this process, as the trt CLI does. */
export function applyRuntimeArgs(args: RuntimeArgs): void {
  if (args.runtime) setRuntime(args.runtime);
  if (args.nvinfer || args.cudart || args.plugins) {
    TensorRTEnvironment.setDefault(
      new TensorRTEnvironment({
        ...(args.nvinfer ? { nvinferPath: args.nvinfer } : {}),
        ...(args.cudart ? { cudartPath: args.cudart } : {}),
        ...(args.plugins ? { plugins: args.plugins.map((path) => ({ path, origin: "--plugin" })) } : {}),
      }),
    );
  }
}

/** Loads every model, in order; on a failure releases those already loaded and rethrows. */
export async function loadModels(specs: readonly ModelSpec[]): Promise<TensorRTModule[]> {
  const modules: TensorRTModule[] = [];
  try {
    for (const spec of specs) {
      const engine = spec.engine === undefined ? {} : { engine: /^\d+$/.test(spec.engine) ? Number(spec.engine) : spec.engine };
      const device = spec.device === undefined ? {} : { device: /^\d+$/.test(spec.device) ? Number(spec.device) : spec.device };
      try {
        modules.push(await TensorRTModule.load(spec.path, { maxConcurrency: spec.maxConcurrency, ...engine, ...device }));
      } catch (error) {
        throw classifyLoadError(error, spec);
      }
    }
    return modules;
  } catch (error) {
    for (const m of modules) m.release();
    throw error;
  }
}

/** Serves until SIGTERM or SIGINT; resolves once listening, with the server. */
export async function serve(args: ServerArgs): Promise<InferenceServer> {
  applyRuntimeArgs(args);
  const modules = await loadModels(args.models);
  let server: InferenceServer;
  try {
    server = buildServer({
      models: args.models.map((spec, i) => ({ name: spec.name, module: modules[i]!, maxQueue: spec.maxQueue, ...(spec.version ? { version: spec.version } : {}) })),
      bodyLimit: args.bodyLimit,
      logger: { level: process.env.LOG_LEVEL ?? "info" },
      logRequests: args.logRequests,
    });
    await server.app.listen({ host: args.host, port: args.port });
  } catch (error) {
    for (const m of modules) m.release();
    throw error;
  }
  const { app } = server;
  app.log.info(
    {
      tensorrt: libraryLabel(modules[0]!.environment.library),
      models: [...server.models.values()].map((m) => ({ name: m.name, version: m.version, maxConcurrency: m.module.stats.concurrency.limit, admission: m.admission.stats.capacity })),
    },
    "serving",
  );

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal, inFlight: server.inFlight() }, "draining");
    // A request that never finishes must not keep the process from stopping.
    const timer = setTimeout(() => {
      app.log.error("drain timed out; exiting with requests unanswered");
      process.exit(1);
    }, args.drainTimeoutMs);
    // close() stops listening, answers requests already received, closes idle keep-alive
    // connections, and resolves once no inference is running: the modules are free to go.
    await app.close();
    const runs = Object.fromEntries(modules.map((m, i) => [args.models[i]!.name, m.stats.runs]));
    for (const m of modules) m.release();
    clearTimeout(timer);
    app.log.info({ runs }, "released the models; exiting");
    // The engine libraries may keep worker threads alive; the work is done, so leave explicitly,
    // once the logger has written everything out (process.exit does not wait for pending writes).
    await new Promise<void>((resolve) => {
      setTimeout(resolve, 1000).unref();
      const log = app.log as unknown as { flush?: (done: () => void) => void };
      if (log.flush) log.flush(() => resolve());
      else resolve();
    });
    process.exit(0);
  };
  process.once("SIGTERM", (signal) => void shutdown(signal));
  process.once("SIGINT", (signal) => void shutdown(signal));
  return server;
}
