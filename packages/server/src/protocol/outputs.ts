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
import { bf16BitsToFloat32, halfBitsToFloat32 } from "@trt/runtime";
import type { BindingSpec } from "@trt/runtime";
import { bytesOf } from "./host-output.js";
import type { HostOutput } from "./host-output.js";
import { protocolDatatype } from "./datatypes.js";
import type { ProtocolDatatype } from "./datatypes.js";
import { badRequest } from "./errors.js";
import type { InferRequest } from "./request.js";

/** A response ready to send. */
export interface InferResponse {
  /** The body in parts, to be written one after another: the JSON header, then each binary output's bytes (views, not copies). */
  readonly body: readonly Uint8Array[];
  /** The body's length in bytes. */
  readonly length: number;
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

/** The response for the outputs of a run, in the order and form `selected` asks. */
export function encodeResponse(
  outputs: readonly HostOutput[],
  selected: readonly { name: string; binary: boolean }[],
  request: Pick<InferRequest, "id">,
  model: Pick<ResponseModel, "name" | "version">,
): InferResponse {
  const byName = (name: string) => (outputs.length === 1 ? outputs[0]! : outputs.find((o) => o.name === name)!);
  const parts: string[] = [];
  const binaries: Uint8Array[] = [];
  let binaryBytes = 0;
  for (const { name, binary } of selected) {
    const output = byName(name);
    const datatype = protocolDatatype(output.dtype)!; // models.ts serves only models whose bindings all have one
    const head = `{"name":${JSON.stringify(name)},"datatype":"${datatype}","shape":[${output.shape.join(",")}]`;
    if (binary) {
      const bytes = bytesOf(output.raw);
      binaries.push(bytes);
      binaryBytes += bytes.length;
      parts.push(`${head},"parameters":{"binary_data_size":${bytes.length}}}`);
    } else {
      parts.push(`${head},"data":${jsonData(output, datatype, name)}}`);
    }
  }
  const id = request.id === null ? "" : `,"id":${JSON.stringify(request.id)}`;
  const json = `{"model_name":${JSON.stringify(model.name)},"model_version":${JSON.stringify(model.version)}${id},"outputs":[${parts.join(",")}]}`;
  const header = Buffer.from(json, "utf8");
  if (binaries.length === 0) return { body: [header], length: header.length, headerLength: null };
  return { body: [header, ...binaries], length: header.length + binaryBytes, headerLength: header.length };
}

/** A tensor's values as a JSON array. */
function jsonData(output: HostOutput, datatype: ProtocolDatatype, name: string): string {
  const raw = output.raw;
  if (datatype === "BOOL") return `[${Array.from(raw as Uint8Array, (v) => (v ? "true" : "false")).join(",")}]`;
  if (datatype === "FP32" || datatype === "FP16" || datatype === "BF16") {
    const decode = datatype === "FP16" ? halfBitsToFloat32 : datatype === "BF16" ? bf16BitsToFloat32 : null;
    const text = new Array<string>(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const v = decode ? decode((raw as Uint16Array)[i]!) : (raw as Float32Array)[i]!;
      if (!Number.isFinite(v)) {
        throw badRequest(`output "${name}" holds ${v} at [${i}], which JSON cannot carry; ask for it as binary data ("parameters": {"binary_data": true})`);
      }
      // JS writes -0 as "0"; "-0.0" keeps the sign for clients that parse floats.
      text[i] = Object.is(v, -0) ? "-0.0" : String(v);
    }
    return `[${text.join(",")}]`;
  }
  // A typed array's join writes each element as JS writes numbers (and bigints: every digit), which is valid JSON.
  return `[${raw.join(",")}]`;
}
