// @ts-check
// The HTTP surface: POST /infer runs the engine on JSON inputs, GET /healthz
// reports the pool and the requests in progress. Errors map to status codes:
// bad inputs 400, a full queue 503 (with Retry-After), anything else 500.
// Shutting down is fastify's close(): requests already received are served,
// new ones on open connections get 503, new connections are refused.
import { performance } from "node:perf_hooks";
import Fastify from "fastify";
import { inputsFromJson, outputsToJson } from "./tensors-json.mjs";

const tensorSchema = {
  type: "object",
  required: ["data", "shape"],
  properties: {
    data: { type: "array", items: { type: "number" } },
    shape: { type: "array", items: { type: "integer", minimum: 0 } },
  },
};

const inferSchema = {
  body: {
    type: "object",
    required: ["inputs"],
    properties: { inputs: { type: "object", additionalProperties: tensorSchema } },
  },
};

/**
 * @param {{ pool: import("./pool.mjs").ModulePool, logger?: boolean | object }} options
 * @returns {{ app: import("fastify").FastifyInstance, inFlight: () => number }}
 */
export function buildApp({ pool, logger = false }) {
  // 16 MiB of JSON is about 1.5 M float values per request.
  const app = Fastify({ logger, bodyLimit: 16 * 1024 * 1024 });
  // Requests from arrival (headers read) to response sent: what a shutdown has to wait for.
  let inFlight = 0;
  app.addHook("onRequest", async () => {
    inFlight++;
  });
  app.addHook("onResponse", async () => {
    inFlight--;
  });
  // Once close() has begun, answers end their connection: a keep-alive connection left idle
  // would otherwise hold the shutdown until the client's or the server's keep-alive timeout.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });

  // `requests`: the others in progress (this one is counted too).
  app.get("/healthz", async () => ({ status: "ok", requests: inFlight - 1, ...pool.stats }));

  app.post("/infer", { schema: inferSchema }, async (request) => {
    const { inputs } = /** @type {{ inputs: Record<string, import("./tensors-json.mjs").JsonTensor> }} */ (request.body);
    const started = performance.now();
    const outputs = await pool.use(async (module) => {
      const result = await module.run(inputsFromJson(module, inputs));
      try {
        return await outputsToJson(result);
      } finally {
        result.dispose();
      }
    });
    return { outputs, ms: performance.now() - started };
  });

  app.setErrorHandler((/** @type {import("fastify").FastifyError} */ error, request, reply) => {
    const code = error.code;
    if (code === "POOL_FULL" || code === "POOL_CLOSED") {
      return reply.code(503).header("retry-after", "1").send({ error: code, message: error.message });
    }
    // The runtime's InputError (names, dtypes, shapes), fastify's schema validation, and values JSON cannot carry.
    if (code === "INVALID_INPUT" || error.validation || error instanceof RangeError) {
      return reply.code(400).send({ error: code === "INVALID_INPUT" ? code : "BAD_REQUEST", message: error.message });
    }
    request.log.error(error);
    return reply.code(500).send({ error: "INTERNAL", message: "inference failed; see the server log" });
  });

  return { app, inFlight: () => inFlight };
}
