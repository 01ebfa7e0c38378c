/**
 * `POST /v2/models/{name}[/versions/{version}]/infer`: one inference.
 *
 * The model's admission gate is passed first, so a request turned away (503)
 * parses nothing and allocates no tensors. Admitted, the body is split into
 * its JSON header and binary part, checked against the protocol and the
 * model, run (waiting inside the module while all its execution contexts are
 * busy), and answered as JSON or with binary outputs after a JSON header.
 */
import type { FastifyInstance } from "fastify";
import type { ServedModel } from "../models.js";
import { splitBody } from "../protocol/body.js";
import { decodeInputs } from "../protocol/inputs.js";
import { encodeResponse, selectOutputs } from "../protocol/outputs.js";
import { parseInferRequest } from "../protocol/request.js";
import { findModel } from "./lookup.js";
import type { ModelParams } from "./lookup.js";

/** The route config that marks an inference route (the metrics hook counts these). */
export interface InferRouteConfig {
  readonly infer: true;
}

/** The response header that gives the JSON part's length when binary outputs follow it. */
export const RESPONSE_HEADER_LENGTH = "Inference-Header-Content-Length";

export function inferRoutes(app: FastifyInstance, models: ReadonlyMap<string, ServedModel>, bodyLimit: number): void {
  for (const path of ["/v2/models/:name/infer", "/v2/models/:name/versions/:version/infer"]) {
    app.post<{ Params: ModelParams; Body: Buffer | undefined }>(path, { config: { infer: true } satisfies InferRouteConfig }, async (request, reply) => {
      const model = findModel(models, request.params);
      const response = await model.admission.run(async () => {
        const { header, binary } = splitBody(request.body ?? Buffer.alloc(0), request.headers, bodyLimit);
        const parsed = parseInferRequest(header);
        const described = { name: model.name, version: model.version, inputs: model.module.inputs, outputs: model.module.outputs };
        // Output names are checked before the engine runs: a typo costs no inference.
        const selected = selectOutputs(parsed, described);
        const result = await model.module.run(decodeInputs(parsed.inputs, binary, described));
        try {
          return await encodeResponse(result, selected, parsed, described);
        } finally {
          result.dispose();
        }
      });
      if (response.headerLength === null) return reply.type("application/json").send(response.body);
      return reply.type("application/octet-stream").header(RESPONSE_HEADER_LENGTH, response.headerLength).send(response.body);
    });
  }
}
