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
import { readBody } from "./protocol/read-body.js";
import { inferRoutes } from "./routes/infer.js";
import { metadataRoutes } from "./routes/metadata.js";
import { methodNotAllowed } from "./routes/method-not-allowed.js";
import { metricsRoutes } from "./routes/metrics.js";

declare const __SERVER_VERSION__: string;

/** The most bytes a request body may have, unless said otherwise: 64 MiB (16 M float32 values in binary, fewer in JSON). */
export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;

/** What {@link buildServer} takes. */
export interface ServerOptions {
  /** The models to serve, each with its own module and admission bound; at least one. */
  readonly models: readonly ModelOptions[];
  /** The most bytes a request body may have, also once inflated (default 64 MiB); a larger one is answered 413. */
  readonly bodyLimit?: number;
  /** fastify's logger option: false (default), true, or pino options. */
  readonly logger?: FastifyServerOptions["logger"];
  /** Log every request and answer (fastify's request logging, at level info). Default false: only errors are logged. */
  readonly logRequests?: boolean;
}

/** A built server. */
export interface InferenceServer {
  /** The fastify instance: `listen()`, `inject()`, `close()`. */
  readonly app: FastifyInstance;
  /** The models, by name. */
  readonly models: ReadonlyMap<string, ServedModel>;
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
  if (options.models.length === 0) throw new RangeError("a server needs at least one model");
  // Binary tensor data is little-endian by the protocol and is handed to the engine as it is.
  if (endianness() !== "LE") throw new RangeError("trt-server needs a little-endian host: binary tensor data is taken as it is");
  const models = modelTable(options.models.map((m) => new ServedModel(m)));
  const metrics = new ServerMetrics();
  // fastify logs each request and its answer at level info: two lines a request, unless asked for.
  const app = Fastify({ logger, bodyLimit, ...(logRequests ? {} : { logController: new LogController({ disableRequestLogging: true }) }) });

  // Every body as bytes: the inference route parses JSON and binary data itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request: FastifyRequest, payload: IncomingMessage) => readBody(payload, bodyLimit));

  const notFound = methodNotAllowed(app, async (request, reply) =>
    reply.code(404).send({ error: `no route for ${request.method} ${request.url.split("?")[0]}; this server speaks the Open Inference Protocol under /v2` }),
  );
  const inFlight = addDrainHooks(app, () => Promise.all([...models.values()].map((m) => m.admission.close())));

  metadataRoutes(app, models, SERVER_METADATA);
  inferRoutes(app, models, bodyLimit);
  metricsRoutes(app, models, metrics);

  app.setNotFoundHandler(notFound);
  app.setErrorHandler(async (error, request, reply) => {
    const answer = answerFor(error, bodyLimit);
    if (answer.log) request.log.error(error);
    return reply.code(answer.status).headers(answer.headers).send({ error: answer.message });
  });

  return { app, models, metrics, inFlight };
}
