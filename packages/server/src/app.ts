/**
 * The server: a fastify instance with the protocol's routes over a set of
 * models, the metrics, and the shutdown behaviour.
 *
 * Bodies are taken as bytes whatever their content type (tritonclient sends
 * none), and the inference route splits them itself: a JSON header, then
 * binary tensor data when the Inference-Header-Content-Length header says so.
 *
 * Shutting down is fastify's close(): the server stops listening, answers
 * the requests it has received, answers new requests on open connections
 * 503, ends each connection after its last answer, and resolves only once no
 * inference is running on any model, so the caller may release the modules
 * as soon as it resolves. The server never releases a module itself.
 */
import { endianness } from "node:os";
import Fastify, { LogController } from "fastify";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from "fastify";
import { addDrainHooks } from "./drain-hooks.js";
import { answerFor } from "./error-answers.js";
import { ServerMetrics } from "./metrics.js";
import { modelTable, ServedModel } from "./models.js";
import type { ModelOptions } from "./models.js";
import { EXTENSIONS } from "./protocol/metadata.js";
import type { ServerMetadata } from "./protocol/metadata.js";
import { BodyPool } from "./protocol/body-pool.js";
import { forwardedBody } from "./intake/forwarded-requests.js";
import { pinnedMemory } from "./pinned-memory.js";
import { readBody } from "./protocol/read-body.js";
import { addServerTiming } from "./server-timing.js";
import { inferRoutes } from "./routes/infer.js";
import { metadataRoutes } from "./routes/metadata.js";
import { methodNotAllowed } from "./routes/method-not-allowed.js";
import { metricsRoutes } from "./routes/metrics.js";
import { repositoryRoutes } from "./routes/repository.js";
import type { ModelControlMode } from "./routes/repository.js";
import { statisticsRoutes } from "./routes/statistics.js";
import { ModelManager } from "./repository/manager.js";
import type { ModuleLoader, RepositoryDefaults } from "./repository/manager.js";
import type { ModelRepository } from "./repository/repository.js";

declare const __SERVER_VERSION__: string;

/** The most bytes a request body may have, unless said otherwise: 64 MiB (16 M float32 values in binary, fewer in JSON). */
export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;
/** The most memory idle request bodies keep for reuse (protocol/body-pool.ts): 32 MiB, some fifty 600 KB images. */
const IDLE_BODY_BYTES = 32 * 1024 * 1024;

/** What {@link buildServer} takes. */
export interface ServerOptions {
  /** Models to serve from the start, each with its own module (the caller's to release); at least one unless a repository is given. */
  readonly models?: readonly ModelOptions[];
  /**
   * A model repository: its models are loaded and unloaded through the server's manager
   * (`server.manager.load(name)`, and the repository extension's routes), which owns their engines.
   */
  readonly repository?: ModelRepository;
  /** Defaults for repository models' settings, and how their engines are loaded. */
  readonly repositoryDefaults?: RepositoryDefaults;
  /** Loads a repository model's engine (default: TensorRTModule.load); for embedding and tests. */
  readonly moduleLoader?: ModuleLoader;
  /** Whether clients may load and unload models: "none" (default) or "explicit", as Triton's --model-control-mode. */
  readonly modelControl?: ModelControlMode;
  /**
   * Serve the repository extension (index, load, unload) on this app (default true). False when
   * they are served on another listener ({@link buildControlApp}) or not at all.
   */
  readonly controlRoutes?: boolean;
  /** The most bytes a request body may have, also once inflated (default 64 MiB); a larger one is answered 413. */
  readonly bodyLimit?: number;
  /** fastify's logger option: false (default), true, or pino options. */
  readonly logger?: FastifyServerOptions["logger"];
  /** Log every request and answer (fastify's request logging, at level info). Default false: only errors are logged. */
  readonly logRequests?: boolean;
  /** Answer every request with a `Server-Timing` header: its receive and handle times (server-timing.ts). Default false. */
  readonly serverTiming?: boolean;
}

/** A built server. */
export interface InferenceServer {
  /** The fastify instance: `listen()`, `inject()`, `close()`. */
  readonly app: FastifyInstance;
  /** The models served now, by name (the repository's come and go). */
  readonly models: ReadonlyMap<string, ServedModel>;
  /** Loads and unloads repository models, and lists them. */
  readonly manager: ModelManager;
  /** Whether clients may load and unload models. */
  readonly modelControl: ModelControlMode;
  /** The counters behind `GET /metrics`. */
  readonly metrics: ServerMetrics;
  /** Requests received and not yet answered (every route). */
  inFlight(): number;
}

/** The server's name and version, as `GET /v2` reports them. */
export const SERVER_METADATA: ServerMetadata = Object.freeze({ name: "trt-server", version: __SERVER_VERSION__, extensions: EXTENSIONS });

/** A server for `options.models`; nothing listens until `app.listen()`. */
export function buildServer(options: ServerOptions): InferenceServer {
  const { bodyLimit = DEFAULT_BODY_LIMIT, logger = false, logRequests = false } = options;
  if (!Number.isSafeInteger(bodyLimit) || bodyLimit < 1) throw new RangeError(`bodyLimit must be a positive integer (bytes); got ${bodyLimit}`);
  const given = options.models ?? [];
  if (given.length === 0 && !options.repository) throw new RangeError("a server needs at least one model, or a model repository");
  // Binary tensor data is little-endian by the protocol and is handed to the engine as it is.
  if (endianness() !== "LE") throw new RangeError("trt-server needs a little-endian host: binary tensor data is taken as it is");
  const models = modelTable(given.map((m) => new ServedModel(m)));
  const modelControl = options.modelControl ?? "none";
  const manager = new ModelManager(models, options.repository ?? null, options.repositoryDefaults, options.moduleLoader);
  const metrics = new ServerMetrics();
  // fastify logs each request and its answer at level info: two lines a request, unless asked for.
  const app = Fastify({ logger, bodyLimit, ...(logRequests ? {} : { logController: new LogController({ disableRequestLogging: true }) }) });

  // Every body as bytes: the inference route parses JSON and binary data itself, and gives large ones back to the pool.
  // In the pinned memory of a served model's device (any model's: with one GPU they share it).
  const bodies = new BodyPool(IDLE_BODY_BYTES, pinnedMemory(() => models.values().next().value?.module.device));
  app.removeAllContentTypeParsers();
  // A request from an intake thread (--http-threads) comes with its body already read.
  app.addContentTypeParser("*", (request: FastifyRequest, payload: IncomingMessage) => {
    const forwarded = forwardedBody(request.headers);
    return forwarded ? Promise.resolve(forwarded) : readBody(payload, bodyLimit, bodies);
  });

  const notFound = methodNotAllowed(app, async (request, reply) =>
    reply.code(404).send({ error: `no route for ${request.method} ${request.url.split("?")[0]}; this server speaks the Open Inference Protocol under /v2` }),
  );
  // Once every request is answered: close the gates (waiting for inferences whose clients left), then release what the manager loaded.
  const inFlight = addDrainHooks(app, async () => {
    await Promise.all([...models.values()].map((m) => m.admission.close()));
    await manager.close();
  });
  if (options.serverTiming) addServerTiming(app);
  app.addHook("onClose", async () => metrics.close());

  metadataRoutes(app, models, SERVER_METADATA);
  inferRoutes(app, models, bodyLimit, bodies);
  statisticsRoutes(app, models);
  metricsRoutes(app, models, metrics);
  if (options.controlRoutes !== false) repositoryRoutes(app, manager, modelControl);

  app.setNotFoundHandler(notFound);
  app.setErrorHandler(async (error, request, reply) => {
    const answer = answerFor(error, bodyLimit);
    if (answer.log) request.log.error(error);
    return reply.code(answer.status).headers(answer.headers).send({ error: answer.message });
  });

  return { app, models, manager, modelControl, metrics, inFlight };
}

/**
 * An app with only the repository extension's routes over `server`'s models, to listen on another
 * address than inference (`--model-control-host`), so that loading and unloading can be kept to an
 * operator's network. Close it before the server.
 */
export function buildControlApp(server: InferenceServer, options: Pick<ServerOptions, "logger"> = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 64 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request: FastifyRequest, payload: IncomingMessage) => readBody(payload, 64 * 1024));
  const notFound = methodNotAllowed(app, async (request, reply) =>
    reply.code(404).send({ error: `no route for ${request.method} ${request.url.split("?")[0]}; this listener serves the repository extension under /v2/repository` }),
  );
  repositoryRoutes(app, server.manager, server.modelControl);
  app.setNotFoundHandler(notFound);
  app.setErrorHandler(async (error, request, reply) => {
    const answer = answerFor(error, 64 * 1024);
    if (answer.log) request.log.error(error);
    return reply.code(answer.status).headers(answer.headers).send({ error: answer.message });
  });
  return app;
}
