/**
 * The repository extension over REST:
 *
 *   POST /v2/repository/index                     [{name, version, state, reason}]; body {"ready": true} lists only ready ones
 *   POST /v2/repository/models/{name}/load        loads (or reloads) a model of the repository
 *   POST /v2/repository/models/{name}/unload      drains it and releases its engine
 *
 * A request names a model, never a path (the manager and the repository
 * check the name and every path it leads to). With model control off
 * (`--model-control-mode none`) load and unload are refused with 403; these
 * routes can also be served on another listener than inference, or not at
 * all (see app.ts and the CLI's --model-control-host/--model-control-port).
 */
import type { FastifyInstance } from "fastify";
import { ProtocolError } from "../protocol/errors.js";
import type { ModelManager } from "../repository/manager.js";

/** Whether load and unload are allowed: Triton's --model-control-mode. */
export type ModelControlMode = "none" | "explicit";

export function repositoryRoutes(app: FastifyInstance, manager: ModelManager, mode: ModelControlMode): void {
  app.post<{ Body: Buffer | undefined }>("/v2/repository/index", async (request) => {
    let readyOnly = false;
    if (request.body && request.body.length > 0) {
      let body: unknown;
      try {
        body = JSON.parse(request.body.toString("utf8"));
      } catch (error) {
        throw new ProtocolError(400, `the index request's body is not valid JSON (${(error as Error).message})`);
      }
      const ready = (body as { ready?: unknown } | null)?.ready;
      if (typeof body !== "object" || body === null || (ready !== undefined && typeof ready !== "boolean")) {
        throw new ProtocolError(400, 'the index request\'s body must be an object, with "ready": true or false if anything');
      }
      readyOnly = ready === true;
    }
    return manager.index(readyOnly);
  });

  for (const action of ["load", "unload"] as const) {
    app.post<{ Params: { name: string } }>(`/v2/repository/models/:name/${action}`, async (request, reply) => {
      if (mode === "none") {
        throw new ProtocolError(403, `model control is off: this server was started with --model-control-mode none, so models are not ${action}ed on request`);
      }
      if (action === "load") await manager.load(request.params.name);
      else await manager.unload(request.params.name);
      return reply.code(200).send();
    });
  }
}
