/**
 * The inference response: the outputs asked for (all of them when the
 * request names none), each as JSON `data` or as binary data after the JSON
 * header, as the request says (an output's `binary_data` wins over the
 * request's `binary_data_output`).
 *
 * The JSON is written here rather than by JSON.stringify so that INT64
 * values keep every digit (JSON numbers have no size limit; JS numbers do)
 * and BOOL values are true/false. NaN and infinities have no JSON form: an
 * output holding one must be asked for as binary data.
 */
import type { BindingSpec, RunResult, Tensor } from "@trt/runtime";
import { protocolDatatype } from "./datatypes.js";
import type { ProtocolDatatype } from "./datatypes.js";
import { badRequest } from "./errors.js";
import type { InferRequest } from "./request.js";

/** A response ready to send. */
export interface InferResponse {
  /** The body: the JSON header, then the binary outputs. */
  readonly body: Buffer;
  /** The JSON header's length in bytes when binary outputs follow it, else null (the whole body is JSON). */
  readonly headerLength: number | null;
}

/** The model a response is for: its name, version and outputs. */
export interface ResponseModel {
  readonly name: string;
  readonly version: string;
  readonly outputs: readonly BindingSpec[];
}

/** Which outputs to send and how; a 400 for an output the model does not have. Checked before the engine runs. */
export function selectOutputs(request: InferRequest, model: ResponseModel): { name: string; binary: boolean }[] {
  if (request.outputs === null) return model.outputs.map((o) => ({ name: o.name, binary: request.binaryDataOutput }));
  return request.outputs.map((o) => {
    if (!model.outputs.some((s) => s.name === o.name)) {
      throw badRequest(`model "${model.name}" has no output "${o.name}"; its outputs are ${model.outputs.map((s) => `"${s.name}"`).join(", ")}`);
    }
    return { name: o.name, binary: o.binary ?? request.binaryDataOutput };
  });
}

/** The response for `result`. Reads the outputs to host memory; the caller disposes the result. */
export async function encodeResponse(
  result: RunResult,
  selected: readonly { name: string; binary: boolean }[],
  request: InferRequest,
  model: ResponseModel,
): Promise<InferResponse> {
  const parts: string[] = [];
  const binaries: Uint8Array[] = [];
  for (const { name, binary } of selected) {
    const tensor = result.get(name);
    const datatype = protocolDatatype(tensor.dtype)!; // models.ts serves only models whose bindings all have one
    const head = `{"name":${JSON.stringify(name)},"datatype":"${datatype}","shape":[${tensor.shape.join(",")}]`;
    if (binary) {
      const raw = await tensor.toArray({ raw: true });
      const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
      binaries.push(bytes);
      parts.push(`${head},"parameters":{"binary_data_size":${bytes.length}}}`);
    } else {
      parts.push(`${head},"data":${await jsonData(tensor, datatype, name)}}`);
    }
  }
  const id = request.id === null ? "" : `,"id":${JSON.stringify(request.id)}`;
  const json = `{"model_name":${JSON.stringify(model.name)},"model_version":${JSON.stringify(model.version)}${id},"outputs":[${parts.join(",")}]}`;
  const header = Buffer.from(json, "utf8");
  if (binaries.length === 0) return { body: header, headerLength: null };
  return { body: Buffer.concat([header, ...binaries]), headerLength: header.length };
}

/** A tensor's values as a JSON array. */
async function jsonData(tensor: Tensor, datatype: ProtocolDatatype, name: string): Promise<string> {
  // Converted values: FP16 and BF16 as float32, INT64 as bigint.
  const values = await tensor.toArray();
  if (datatype === "BOOL") return `[${Array.from(values as Uint8Array, (v) => (v ? "true" : "false")).join(",")}]`;
  if (datatype === "FP32" || datatype === "FP16" || datatype === "BF16") {
    const floats = values as Float32Array;
    const text = new Array<string>(floats.length);
    for (let i = 0; i < floats.length; i++) {
      const v = floats[i]!;
      if (!Number.isFinite(v)) {
        throw badRequest(`output "${name}" holds ${v} at [${i}], which JSON cannot carry; ask for it as binary data ("parameters": {"binary_data": true})`);
      }
      // JS writes -0 as "0"; "-0.0" keeps the sign for clients that parse floats.
      text[i] = Object.is(v, -0) ? "-0.0" : String(v);
    }
    return `[${text.join(",")}]`;
  }
  // A typed array's join writes each element as JS writes numbers (and bigints: every digit), which is valid JSON.
  return `[${values.join(",")}]`;
}
