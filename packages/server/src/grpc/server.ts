/**
 * The gRPC listener: the Open Inference Protocol's GRPCInferenceService on
 * @grpc/grpc-js, over the same models, admission, batching, statistics and
 * repository as REST (one InferenceServer). Errors carry the status codes a
 * gRPC client expects: a bad request INVALID_ARGUMENT, an unknown model
 * NOT_FOUND, a full queue RESOURCE_EXHAUSTED, a shutdown UNAVAILABLE, a
 * timeout DEADLINE_EXCEEDED, refused model control PERMISSION_DENIED, the
 * rest INTERNAL (details in the log). Messages may be as large as the
 * server's body limit (--max-body-size), both ways.
 */
import { performance } from "node:perf_hooks";
import * as grpc from "@grpc/grpc-js";
import type { InferenceServer } from "../app.js";
import { SERVER_METADATA } from "../app.js";
import { answerFor } from "../error-answers.js";
import { Departure } from "../inference/errors.js";
import { bytesOf } from "../protocol/host-output.js";
import { runInference } from "../inference/run-inference.js";
import { protocolDatatype } from "../protocol/datatypes.js";
import { ProtocolError } from "../protocol/errors.js";
import { findModel } from "../routes/lookup.js";
import { prepareGrpcRequest } from "./infer-request.js";
import type { GrpcInferRequest } from "./infer-request.js";
import { inferenceService } from "./service.js";

/** Where and how the listener runs. */
export interface GrpcOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The largest message, received or sent, in bytes. */
  readonly maxMessageBytes: number;
  /** Whether RepositoryModelLoad and RepositoryModelUnload are served here (false when model control has a listener of its own). */
  readonly control?: boolean;
}

/** A started listener. */
export interface GrpcListener {
  /** "host:port" as bound. */
  readonly address: string;
  readonly port: number;
  /** Stops taking calls and resolves once the calls in progress are answered. */
  close(): Promise<void>;
}

const STATUS_FOR: Readonly<Record<number, grpc.status>> = {
  400: grpc.status.INVALID_ARGUMENT,
  403: grpc.status.PERMISSION_DENIED,
  404: grpc.status.NOT_FOUND,
  405: grpc.status.UNIMPLEMENTED,
  413: grpc.status.RESOURCE_EXHAUSTED,
  415: grpc.status.INVALID_ARGUMENT,
  499: grpc.status.CANCELLED,
  504: grpc.status.DEADLINE_EXCEEDED,
};

/** A thrown error as a gRPC error: the status for the HTTP answer the REST route would give, and its message. */
export function grpcError(error: unknown, bodyLimit: number, log: (error: unknown) => void): grpc.ServiceError {
  const answer = answerFor(error, bodyLimit);
  if (answer.log) log(error);
  let code = STATUS_FOR[answer.status] ?? grpc.status.INTERNAL;
  if (answer.status === 503) code = (error as { code?: unknown }).code === "QUEUE_FULL" ? grpc.status.RESOURCE_EXHAUSTED : grpc.status.UNAVAILABLE;
  return Object.assign(new Error(answer.message), { code, details: answer.message, metadata: new grpc.Metadata() }) as grpc.ServiceError;
}

type Handler<Req, Res> = (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res;

/** Starts the service for `server` on `options.host:options.port`. */
export async function startGrpc(server: InferenceServer, options: GrpcOptions): Promise<GrpcListener> {
  const { models, manager, app } = server;
  const bodyLimit = options.maxMessageBytes;
  const control = options.control ?? true;
  let closing = false;
  const log = (error: unknown) => app.log.error(error);

  const unary =
    <Req, Res>(handler: Handler<Req, Res>): grpc.handleUnaryCall<Req, Res> =>
    (call, callback) => {
      if (closing) {
        callback(grpcError(new ProtocolError(503, "the server is shutting down"), bodyLimit, log));
        return;
      }
      Promise.resolve()
        .then(() => handler(call.request, call))
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(grpcError(error, bodyLimit, log)),
        );
    };

  const modelControl = (action: string) => {
    if (!control) throw new ProtocolError(403, `model control is not served on the gRPC listener (it has a listener of its own); ${action} there`);
    if (server.modelControl === "none") throw new ProtocolError(403, `model control is off: this server was started with --model-control-mode none, so models are not ${action}ed on request`);
  };

  const infer = (request: GrpcInferRequest, call: grpc.ServerUnaryCall<GrpcInferRequest, unknown>) => {
    const model = findModel(models, { name: request.model_name, ...(request.model_version ? { version: request.model_version } : {}) });
    const departure = new Departure();
    call.once("cancelled", () => departure.leave());
    return runInference(
      model,
      () => prepareGrpcRequest(request),
      (outputs, selected, parsed) => {
        const chosen = selected.map((s) => outputs.find((o) => o.name === s.name)!);
        return {
          model_name: model.name,
          model_version: model.version,
          id: parsed.id ?? "",
          outputs: chosen.map((o) => ({ name: o.name, datatype: protocolDatatype(o.dtype)!, shape: [...o.shape] })),
          raw_output_contents: chosen.map((o) => bytesOf(o.raw)),
        };
      },
      departure,
    );
  };

  const implementation: grpc.UntypedServiceImplementation = {
    ServerLive: unary(() => ({ live: true })),
    ServerReady: unary(() => ({ ready: !closing })),
    ModelReady: unary((request: { name: string; version: string }) => {
      const model = models.get(request.name);
      return { ready: model !== undefined && (request.version === "" || request.version === model.version) };
    }),
    ServerMetadata: unary(() => ({ name: SERVER_METADATA.name, version: SERVER_METADATA.version, extensions: [...SERVER_METADATA.extensions] })),
    ModelMetadata: unary((request: { name: string; version: string }) => {
      const model = findModel(models, { name: request.name, ...(request.version ? { version: request.version } : {}) });
      return model.metadata;
    }),
    ModelInfer: unary(async (request: GrpcInferRequest, call) => {
      // Counted in /metrics as the REST route counts its requests, under the HTTP status the same answer would have.
      const started = performance.now();
      const known = models.has(request.model_name);
      try {
        const answer = await infer(request, call);
        server.metrics.countRequest(request.model_name, 200);
        server.metrics.observeLatency(request.model_name, (performance.now() - started) / 1000);
        return answer;
      } catch (error) {
        if (known) server.metrics.countRequest(request.model_name, answerFor(error, bodyLimit).status);
        else server.metrics.countUnknownModel();
        throw error;
      }
    }),
    ModelStatistics: unary((request: { name: string; version: string }) => {
      const chosen = request.name === "" ? [...models.values()] : [findModel(models, { name: request.name, ...(request.version ? { version: request.version } : {}) })];
      return { model_stats: chosen.map((m) => m.statistics.toJson(m.name, m.version)) };
    }),
    RepositoryIndex: unary(async (request: { ready: boolean }) => ({ models: await manager.index(request.ready) })),
    RepositoryModelLoad: unary(async (request: { model_name: string }) => {
      modelControl("load");
      await manager.load(request.model_name);
      return {};
    }),
    RepositoryModelUnload: unary(async (request: { model_name: string }) => {
      modelControl("unload");
      await manager.unload(request.model_name);
      return {};
    }),
  };

  const grpcServer = new grpc.Server({
    "grpc.max_receive_message_length": bodyLimit,
    "grpc.max_send_message_length": bodyLimit,
  });
  grpcServer.addService(inferenceService(), implementation);
  const port = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync(`${options.host.includes(":") ? `[${options.host}]` : options.host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `${options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        grpcServer.tryShutdown(() => resolve());
      }),
  };
}
