/**
 * A gRPC ModelInferRequest (as proto-loader decodes it: field names as in the
 * .proto, 64-bit integers as strings, bytes as Buffers) turned into the
 * request the REST route makes, so both share one path (inference/
 * run-inference.ts). Tensor values come either as raw_input_contents (one
 * entry per input, in input order: what Triton's clients send) or as the
 * typed `contents` of each input; typed contents are checked against the
 * datatype (an INT8 of 300 is refused, never wrapped) and laid out as the
 * raw bytes the engine takes.
 */
import { badRequest } from "../protocol/errors.js";
import { parseShape, parseTimeout } from "../protocol/request.js";
import type { InferRequest, RequestedInput, RequestedOutput } from "../protocol/request.js";
import type { PreparedRequest } from "../inference/run-inference.js";

/** An InferParameter: one of its fields is set, named by `parameter_choice`. */
export interface GrpcParameter {
  readonly parameter_choice?: string;
  readonly bool_param?: boolean;
  readonly int64_param?: string;
  readonly string_param?: string;
  readonly double_param?: number;
  readonly uint64_param?: string;
}

/** InferTensorContents. */
export interface GrpcContents {
  readonly bool_contents?: readonly boolean[];
  readonly int_contents?: readonly number[];
  readonly int64_contents?: readonly string[];
  readonly uint_contents?: readonly number[];
  readonly uint64_contents?: readonly string[];
  readonly fp32_contents?: readonly number[];
  readonly fp64_contents?: readonly number[];
  readonly bytes_contents?: readonly Buffer[];
}

/** ModelInferRequest as decoded. */
export interface GrpcInferRequest {
  readonly model_name: string;
  readonly model_version: string;
  readonly id: string;
  readonly parameters?: Readonly<Record<string, GrpcParameter>>;
  readonly inputs: readonly {
    readonly name: string;
    readonly datatype: string;
    readonly shape: readonly string[];
    readonly parameters?: Readonly<Record<string, GrpcParameter>>;
    readonly contents?: GrpcContents | null;
  }[];
  readonly outputs: readonly { readonly name: string; readonly parameters?: Readonly<Record<string, GrpcParameter>> }[];
  readonly raw_input_contents: readonly Buffer[];
}

/** A parameter's value, whichever field holds it (64-bit integers as numbers when exact). */
export function parameterValue(p: GrpcParameter | undefined): unknown {
  if (!p?.parameter_choice) return undefined;
  const value = (p as Record<string, unknown>)[p.parameter_choice];
  if (p.parameter_choice === "int64_param" || p.parameter_choice === "uint64_param") {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  return value;
}

/** The request as the shared inference path takes it; a 400 ProtocolError for what the protocol does not allow. */
export function prepareGrpcRequest(message: GrpcInferRequest): PreparedRequest {
  if (message.inputs.length === 0) throw badRequest("the request has no inputs; give at least one");
  const raw = message.raw_input_contents;
  if (raw.length > 0 && raw.length !== message.inputs.length) {
    throw badRequest(`raw_input_contents has ${raw.length} entries for ${message.inputs.length} inputs; give one per input, in input order, or none`);
  }
  const inputs: RequestedInput[] = [];
  const bytes: Buffer[] = [];
  message.inputs.forEach((input, i) => {
    const where = `input "${input.name}"`;
    if (input.name === "") throw badRequest(`inputs[${i}] has no name`);
    if (input.parameters?.shared_memory_region !== undefined) {
      throw badRequest(`${where} uses shared memory ("shared_memory_region"), which this server does not offer; send the values in the request`);
    }
    const shape = parseShape(input.shape.map((d) => (/^\d+$/.test(d) ? Number(d) : d)), where);
    inputs.push({ name: input.name, shape, datatype: input.datatype, data: undefined, binaryDataSize: null });
    bytes.push(raw.length > 0 ? raw[i]! : contentBytes(input.contents ?? {}, input.datatype, shape, where));
  });
  const names = inputs.map((t) => t.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) throw badRequest(`input "${repeated}" is given more than once; give each input once`);

  let outputs: RequestedOutput[] | null = null;
  if (message.outputs.length > 0) {
    outputs = message.outputs.map((o) => {
      if (o.parameters?.classification !== undefined) throw badRequest(`output "${o.name}" asks for classification, which this server does not offer; ask for the tensor`);
      if (o.parameters?.shared_memory_region !== undefined) throw badRequest(`output "${o.name}" uses shared memory, which this server does not offer`);
      return { name: o.name, binary: true };
    });
    const outNames = outputs.map((o) => o.name);
    const twice = outNames.find((n, i) => outNames.indexOf(n) !== i);
    if (twice !== undefined) throw badRequest(`output "${twice}" is given more than once; give each output once`);
  }
  const request: InferRequest = {
    id: message.id === "" ? null : message.id,
    inputs,
    outputs,
    binaryDataOutput: true,
    timeoutMicroseconds: parseTimeout(parameterValue(message.parameters?.timeout), "parameters.timeout"),
  };
  return { request, bytes };
}

/** The typed contents of an input as the raw little-endian bytes of its datatype. */
function contentBytes(contents: GrpcContents, datatype: string, shape: readonly number[], where: string): Buffer {
  const count = shape.reduce((n, d) => n * d, 1);
  const pick = <T>(field: keyof GrpcContents, values: readonly T[] | undefined): readonly T[] => {
    const got = values ?? [];
    if (got.length !== count) throw badRequest(`${where}: contents.${String(field)} has ${got.length} values, but shape [${shape.join(", ")}] holds ${count}`);
    return got;
  };
  const ranged = (values: readonly number[], min: number, max: number, field: string) => {
    const bad = values.findIndex((v) => v < min || v > max);
    if (bad >= 0) throw badRequest(`${where}: contents.${field}[${bad}] is ${values[bad]}, which is not in ${min}..${max} (${datatype})`);
    return values;
  };
  const view = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  switch (datatype) {
    case "FP32":
      return view(Float32Array.from(pick("fp32_contents", contents.fp32_contents)));
    case "INT32":
      return view(Int32Array.from(pick("int_contents", contents.int_contents)));
    case "INT8":
      return view(Int8Array.from(ranged(pick("int_contents", contents.int_contents), -128, 127, "int_contents")));
    case "UINT8":
      return view(Uint8Array.from(ranged(pick("uint_contents", contents.uint_contents), 0, 255, "uint_contents")));
    case "INT64":
      return view(BigInt64Array.from(pick("int64_contents", contents.int64_contents), (v) => BigInt(v)));
    case "BOOL":
      return view(Uint8Array.from(pick("bool_contents", contents.bool_contents), (v) => (v ? 1 : 0)));
    default:
      // FP16 and BF16 have no typed field in the protocol; the others are not served (decodeInputs says so by datatype).
      if (datatype === "FP16" || datatype === "BF16") throw badRequest(`${where}: ${datatype} values have no typed contents field in the protocol; send them as raw_input_contents`);
      return Buffer.alloc(0);
  }
}
