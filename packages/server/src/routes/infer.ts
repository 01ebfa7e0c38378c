/**
 * `POST /v2/models/{name}[/versions/{version}]/infer`: one inference.
 *
 * The body is split into its JSON header and binary part, checked against
 * the protocol and the model, run through the model's scheduler (see
 * inference/run-inference.ts), and answered as JSON or with binary outputs
 * after a JSON header. A client that disconnects before its request's run
 * has started takes the request out of the queue.
 */
import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Departure } from "../inference/errors.js";
import { forwardedDeparture } from "../intake/forwarded-requests.js";
import { runInference } from "../inference/run-inference.js";
import type { ServedModel } from "../models.js";
import { splitBody } from "../protocol/body.js";
import type { BodyPool } from "../protocol/body-pool.js";
import { sliceBinary } from "../protocol/inputs.js";
import { encodeResponse } from "../protocol/outputs.js";
import { parseInferRequest } from "../protocol/request.js";
import { findModel } from "./lookup.js";
import type { ModelParams } from "./lookup.js";

/** The route config that marks an inference route (the metrics hook counts these). */
export interface InferRouteConfig {
  readonly infer: true;
}

/** The response header that gives the JSON part's length when binary outputs follow it. */
export const RESPONSE_HEADER_LENGTH = "Inference-Header-Content-Length";

/** Bodies up to this size are joined into one buffer; larger ones are written part by part, so a large output is not copied again. */
const JOIN_BELOW_BYTES = 1 << 20;

/**
 * The inference routes. `bodies` lent the request bodies: each is given back once its inference has
 * settled (runInference settles only when no run reads the request's inputs any more: a request is
 * dropped only while it waits, and a run's requests are answered after it ends).
 */
export function inferRoutes(app: FastifyInstance, models: ReadonlyMap<string, ServedModel>, bodyLimit: number, bodies?: BodyPool): void {
  for (const path of ["/v2/models/:name/infer", "/v2/models/:name/versions/:version/infer"]) {
    app.post<{ Params: ModelParams; Body: Buffer | undefined }>(path, { config: { infer: true } satisfies InferRouteConfig }, async (request, reply) => {
      try {
        return await answer(request, reply);
      } finally {
        bodies?.give(request.body);
      }
    });
  }

  /** One request's answer; its body is the caller's to give back. */
  async function answer(request: FastifyRequest<{ Params: ModelParams; Body: Buffer | undefined }>, reply: FastifyReply) {
    const model = findModel(models, request.params);
    const departure = new Departure();
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) departure.leave();
    });
    // A request from an intake thread has no socket here: that thread says when its client leaves.
    const forwarded = forwardedDeparture(request.headers);
    if (forwarded?.aborted) departure.leave();
    else forwarded?.addEventListener("abort", () => departure.leave(), { once: true });
    const response = await runInference(
      model,
      () => {
        const { header, binary } = splitBody(request.body ?? Buffer.alloc(0), request.headers, bodyLimit);
        const parsed = parseInferRequest(header);
        return { request: parsed, bytes: sliceBinary(parsed.inputs, binary) };
      },
      (outputs, selected, parsed) => encodeResponse(outputs, selected, parsed, model),
      departure,
    );
    const body =
      response.body.length === 1
        ? response.body[0]!
        : response.length < JOIN_BELOW_BYTES
          ? Buffer.concat(response.body, response.length)
          : Readable.from(response.body, { objectMode: false });
    reply.header("content-length", response.length);
    if (response.headerLength === null) return reply.type("application/json").send(body);
    return reply.type("application/octet-stream").header(RESPONSE_HEADER_LENGTH, response.headerLength).send(body);
  }
}
