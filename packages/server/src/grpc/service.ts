/**
 * The GRPCInferenceService definition for @grpc/grpc-js, parsed once from
 * the protocol text (inference-proto.ts). Messages are decoded with the
 * .proto's own field names, 64-bit integers as strings (shape dims and
 * counts can exceed what a JS number holds exactly; the server checks them),
 * bytes as Buffers (views into the received message, not copies), default
 * values filled in, and the name of the set field of each oneof.
 */
import { loadPackageDefinition } from "@grpc/grpc-js";
import type { ServiceDefinition } from "@grpc/grpc-js";
import { fromJSON } from "@grpc/proto-loader";
import protobuf from "protobufjs";
import { INFERENCE_PROTO } from "./inference-proto.js";

let service: ServiceDefinition | null = null;

/** The service definition (made on first use). */
export function inferenceService(): ServiceDefinition {
  if (service) return service;
  const root = protobuf.parse(INFERENCE_PROTO, { keepCase: true }).root;
  const definition = fromJSON(root.toJSON(), { keepCase: true, longs: String, enums: String, bytes: Buffer, defaults: true, arrays: true, oneofs: true });
  const loaded = loadPackageDefinition(definition) as unknown as { inference: { GRPCInferenceService: { service: ServiceDefinition } } };
  service = loaded.inference.GRPCInferenceService.service;
  return service;
}
