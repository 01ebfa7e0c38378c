/**
 * The protocol's health and metadata routes. Every model is loaded before
 * the server listens, so while it answers, the server and each model are
 * ready; once a shutdown begins, fastify answers new requests 503, which
 * clients read as "not ready".
 */
import type { FastifyInstance } from "fastify";
import type { ServedModel } from "../models.js";
import type { ServerMetadata } from "../protocol/metadata.js";
import { findModel } from "./lookup.js";
import type { ModelParams } from "./lookup.js";

export function metadataRoutes(app: FastifyInstance, models: ReadonlyMap<string, ServedModel>, server: ServerMetadata): void {
  app.get("/v2/health/live", async () => ({ live: true }));
  app.get("/v2/health/ready", async () => ({ ready: true }));
  app.get("/v2", async () => server);

  for (const prefix of ["/v2/models/:name", "/v2/models/:name/versions/:version"]) {
    app.get<{ Params: ModelParams }>(prefix, async (request) => findModel(models, request.params).metadata);
    app.get<{ Params: ModelParams }>(`${prefix}/ready`, async (request) => {
      const model = findModel(models, request.params);
      return { name: model.name, version: model.version, ready: true };
    });
  }
}
