/**
 * Running the server from parsed arguments: load every model (all or
 * none: a model that fails to load releases those loaded before it), build
 * the server, listen, and on SIGTERM or SIGINT drain: stop listening, answer
 * every request already received, wait for every admitted inference, then
 * release the modules and exit 0 (1 when the drain outlasts its timeout).
 */
import { clearTimeout, setTimeout } from "node:timers";
import { libraryTraits, setRuntime, TensorRTEnvironment, TensorRTModule } from "@trt/runtime";
import type { RuntimeResolution } from "@trt/runtime";
import { CUDA_GRAPHS } from "../cuda-graphs.js";
import { buildControlApp, buildServer } from "../app.js";
import { ModelConfigError } from "../models.js";
import { ModelRepository } from "../repository/repository.js";
import type { InferenceServer } from "../app.js";
import type { ModelSpec, RuntimeArgs, ServerArgs } from "./args.js";
import { stopIncrementalMarking } from "./garbage-collection.js";
import { pinLargeAllocationThreshold } from "./large-allocations.js";
import { startHttpIntake } from "../intake/http-intake.js";
import { BadModelError, classifyLoadError } from "./load-errors.js";

/** The repository folder, or a BadModelError saying it is not one. */
async function openRepository(directory: string): Promise<ModelRepository> {
  try {
    return await ModelRepository.open(directory);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new BadModelError(typeof code === "string" ? code : "BAD_REPOSITORY", `--model-repository ${directory}: ${(error as Error).message}`, { cause: error });
  }
}

/** The repository's models to serve from the start: all of them in mode none, those named by --load-model in explicit mode; all or none. */
async function loadFromRepository(server: InferenceServer, repository: ModelRepository, args: ServerArgs): Promise<void> {
  const names = args.modelControl === "none" ? await repository.names() : args.loadModels;
  for (const name of names) {
    if (server.models.has(name)) throw new BadModelError("DUPLICATE_MODEL", `model "${name}" is both given with --model and in the repository ${args.repository}; give each model once`);
    try {
      await server.manager.load(name);
    } catch (error) {
      throw classifyLoadError(error, { name, path: `${args.repository}/${name}` });
    }
  }
}

/** The environment the models run in; the process's when none is loaded yet (explicit model control). */
function environmentOf(server: InferenceServer): TensorRTEnvironment {
  const first = server.models.values().next().value;
  return first?.module.environment ?? TensorRTEnvironment.default();
}

/** Which TensorRT the models run on ("TensorRT 10.8.0", or a stand-in named as such, so no figure is mistaken for TensorRT's). */
function tensorrtLabel(server: InferenceServer): string {
  try {
    return libraryTraits(environmentOf(server).library).label;
  } catch (error) {
    return `not loaded yet (${(error as Error).message})`;
  }
}

/** Which engine implementation serves (native addon or ffi) and why: the first thing to check when figures differ. */
function engineInUse(server: InferenceServer): Pick<RuntimeResolution, "implementation" | "reason"> | { implementation: null; reason: string } {
  try {
    return environmentOf(server).resolve();
  } catch (error) {
    return { implementation: null, reason: (error as Error).message };
  }
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
        const graphs = spec.cudaGraphs ? { runtimeSettings: CUDA_GRAPHS } : {};
        modules.push(await TensorRTModule.load(spec.path, { maxConcurrency: spec.maxConcurrency, ...engine, ...device, ...graphs }));
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
  // Before any body arrives: large bodies' memory then goes back to the system when freed (large-allocations.ts).
  const allocation = pinLargeAllocationThreshold();
  // Before the first request too: fastify's request path under large bodies kept V8 marking (garbage-collection.ts).
  const marking = stopIncrementalMarking();
  const repository = args.repository === null ? null : await openRepository(args.repository);
  const modules = await loadModels(args.models);
  let server: InferenceServer | undefined;
  const listeners: { close(): Promise<unknown> }[] = [];
  try {
    try {
      server = buildServer({
        models: args.models.map((spec, i) => ({ name: spec.name, module: modules[i]!, maxQueue: spec.maxQueue, ...(spec.version ? { version: spec.version } : {}) })),
        ...(repository ? { repository, repositoryDefaults: { maxConcurrency: args.defaultMaxConcurrency, maxQueue: args.defaultMaxQueue } } : {}),
        modelControl: args.modelControl,
        controlRoutes: args.control === null,
        bodyLimit: args.bodyLimit,
        logger: { level: process.env.LOG_LEVEL ?? "info" },
        logRequests: args.logRequests,
        serverTiming: args.serverTiming,
      });
    } catch (error) {
      throw error instanceof ModelConfigError ? new BadModelError(error.code, error.message, { cause: error }) : error;
    }
    if (repository) await loadFromRepository(server, repository, args);
    if (args.httpThreads > 0) {
      const intake = await startHttpIntake(server, { host: args.host, port: args.port, threads: args.httpThreads });
      listeners.push(intake);
      // The line fastify's own listen() logs, which scripts and tests read the port from.
      server.app.log.info({ httpThreads: args.httpThreads }, `Server listening at ${intake.origin}`);
    } else {
      await server.app.listen({ host: args.host, port: args.port });
    }
    server.app.log.debug(allocation.pinned ? `request bodies of ${allocation.bytes} bytes or more are given back to the system when freed` : `malloc's mmap threshold left as it is: ${allocation.reason}`);
    server.app.log.debug(marking.changed ? "V8's incremental marking is off" : `V8's incremental marking left as it is: ${marking.reason}`);
    if (args.control !== null && args.control !== "off") {
      const control = buildControlApp(server, { logger: { level: process.env.LOG_LEVEL ?? "info" } });
      listeners.push(control);
      await control.listen({ host: args.control.host, port: args.control.port });
      server.app.log.info(`model control listening at ${control.listeningOrigin}`);
    }
    if (args.grpcPort !== null) {
      // Model control over gRPC only where REST serves it too (not when it has a listener of its own, or none).
      // Loaded only when asked for: a server without gRPC does not load its libraries.
      const { startGrpc } = await import("../grpc/server.js");
      const grpc = await startGrpc(server, { host: args.host, port: args.grpcPort, maxMessageBytes: args.bodyLimit, control: args.control === null });
      listeners.push(grpc);
      server.app.log.info(`gRPC listening at ${grpc.address}`);
    }
  } catch (error) {
    for (const listener of listeners) await listener.close();
    // A server that was built owns the repository's models: closing it releases them.
    await server?.app.close();
    for (const m of modules) m.release();
    throw error;
  }
  const { app } = server;
  const engine = engineInUse(server);
  app.log.info(
    {
      engine: engine.implementation,
      engineReason: engine.reason,
      tensorrt: tensorrtLabel(server),
      models: [...server.models.values()].map((m) => ({
        name: m.name,
        version: m.version,
        maxConcurrency: m.module.stats.concurrency.limit,
        admission: m.admission.stats.capacity,
        ...(m.batching ? { dynamicBatching: m.batching } : {}),
      })),
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
    // The other listeners stop first: gRPC finishes its calls in progress, model control its loads.
    for (const listener of listeners) await listener.close();
    // close() stops listening, answers requests already received, closes idle keep-alive
    // connections, and resolves once no inference is running (and the repository's models are
    // released): the modules given on the command line are free to go.
    await app.close();
    const runs = Object.fromEntries([...server.models.values()].map((m) => [m.name, m.module.stats.runs]));
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
