/**
 * The statistics extension: `GET /v2/models/stats` for every model served,
 * `GET /v2/models/{name}[/versions/{version}]/stats` for one, answered as
 * `{"model_stats": [...]}` in Triton's terms (statistics.ts).
 */
import type { FastifyInstance } from "fastify";
import type { ServedModel } from "../models.js";
import { findModel } from "./lookup.js";
import type { ModelParams } from "./lookup.js";

export function statisticsRoutes(app: FastifyInstance, models: ReadonlyMap<string, ServedModel>): void {
  app.get("/v2/models/stats", async () => ({ model_stats: [...models.values()].map((m) => m.statistics.toJson(m.name, m.version)) }));
  for (const path of ["/v2/models/:name/stats", "/v2/models/:name/versions/:version/stats"]) {
    app.get<{ Params: ModelParams }>(path, async (request) => {
      const model = findModel(models, request.params);
      return { model_stats: [model.statistics.toJson(model.name, model.version)] };
    });
  }
}
