/**
 * `GET /metrics`, and the hook that counts every inference request once its
 * answer has gone out: by model and status, with the latency of successful
 * ones (fastify's elapsedTime: from the request's arrival to the answer).
 */
import type { FastifyInstance } from "fastify";
import type { ServedModel } from "../models.js";
import { METRICS_CONTENT_TYPE } from "../metrics.js";
import type { ServerMetrics } from "../metrics.js";
import type { InferRouteConfig } from "./infer.js";
import type { ModelParams } from "./lookup.js";

export function metricsRoutes(app: FastifyInstance, models: ReadonlyMap<string, ServedModel>, metrics: ServerMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    if ((request.routeOptions.config as Partial<InferRouteConfig>).infer !== true) return;
    const { name } = request.params as ModelParams;
    if (!models.has(name)) {
      metrics.countUnknownModel();
      return;
    }
    metrics.countRequest(name, reply.statusCode);
    if (reply.statusCode === 200) metrics.observeLatency(name, reply.elapsedTime / 1000);
  });

  app.get("/metrics", async (_request, reply) => reply.type(METRICS_CONTENT_TYPE).send(metrics.render(models.values())));
}
