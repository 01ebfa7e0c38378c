/**
 * Building inference requests and reading responses the way the protocol
 * lays them out, for in-process tests (fastify's inject): a JSON header,
 * optionally followed by binary tensor data whose JSON part's length is in
 * the Inference-Header-Content-Length header.
 */
import type { TensorRTModule } from "@trt/runtime";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";

/** A request ready for inject: body and headers. */
export interface RawRequest {
  readonly payload: Buffer;
  readonly headers: Record<string, string>;
}

/** A JSON-only request. */
export function jsonRequest(header: object): RawRequest {
  return { payload: Buffer.from(JSON.stringify(header)), headers: { "content-type": "application/json" } };
}

/** A request with binary data after the JSON header; `headerLength` overrides the true length (to test bad ones). */
export function binaryRequest(header: object, chunks: readonly ArrayBufferView[], headerLength?: string): RawRequest {
  const json = Buffer.from(JSON.stringify(header));
  const bytes = chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  return {
    payload: Buffer.concat([json, ...bytes]),
    headers: { "content-type": "application/octet-stream", "inference-header-content-length": headerLength ?? String(json.length) },
  };
}

/** POSTs `request` to a model's infer route. */
export function infer(app: FastifyInstance, model: string, request: RawRequest, version?: string): Promise<LightMyRequestResponse> {
  const url = version === undefined ? `/v2/models/${model}/infer` : `/v2/models/${model}/versions/${version}/infer`;
  return app.inject({ method: "POST", url, payload: request.payload, headers: request.headers });
}

/** A response split as a client splits it: its JSON header, and each binary output's bytes by name. */
export interface ReadResponse {
  readonly json: { model_name: string; model_version: string; id?: string; outputs: OutputJson[] };
  readonly binary: Record<string, Buffer>;
}

export interface OutputJson {
  name: string;
  datatype: string;
  shape: number[];
  data?: unknown[];
  parameters?: { binary_data_size?: number };
}

/** Reads a 200 response; binary outputs are taken in the order the JSON lists them. */
export function readResponse(res: LightMyRequestResponse): ReadResponse {
  const body = res.rawPayload;
  const declared = res.headers["inference-header-content-length"];
  const length = declared === undefined ? body.length : Number(declared);
  const json = JSON.parse(body.subarray(0, length).toString("utf8")) as ReadResponse["json"];
  const binary: Record<string, Buffer> = {};
  let offset = length;
  for (const o of json.outputs) {
    const size = o.parameters?.binary_data_size;
    if (size === undefined) continue;
    binary[o.name] = body.subarray(offset, offset + size);
    offset += size;
  }
  if (offset !== body.length) throw new Error(`the response has ${body.length - offset} bytes no output accounts for`);
  return { json, binary };
}

/** A fresh copy of `bytes` as a typed array of `type` (the bytes in a response need not be aligned). */
export function typed<T>(bytes: Buffer, type: { new (buffer: ArrayBuffer): T }): T {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new type(copy.buffer);
}

/**
 * Holds every `module.run()` call until `open()`, then makes them all in the same tick. On the emulator
 * in host mode an inference finishes within the tick it starts in, so requests arriving one by one never
 * meet inside the module; held and let go together, they do (on a GPU they overlap on their own).
 */
export function holdRuns(module: TensorRTModule) {
  const run = module.run.bind(module);
  const held: Array<() => void> = [];
  const waiting: Array<() => void> = [];
  module.run = (...args) =>
    new Promise((resolve, reject) => {
      held.push(() => void run(...args).then(resolve, reject));
      for (const wake of waiting.splice(0)) wake();
    });
  return {
    /** Resolves once `n` calls are held. */
    async until(n: number): Promise<void> {
      while (held.length < n) await new Promise<void>((resolve) => waiting.push(resolve));
    },
    /** Stops holding, and makes the held calls. */
    open(): void {
      module.run = run;
      for (const call of held.splice(0)) call();
    },
  };
}
