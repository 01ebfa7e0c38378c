/**
 * The inference request's JSON header, checked field by field against the
 * protocol's schema:
 *
 *   { "id": "...", "parameters": { "binary_data_output": bool },
 *     "inputs":  [{ "name", "shape", "datatype", "data" | "parameters": { "binary_data_size" } }],
 *     "outputs": [{ "name", "parameters": { "binary_data": bool } }] }
 *
 * Nothing here knows the model; inputs.ts matches the result against it.
 * `parameters.timeout` bounds the microseconds the request may wait for a
 * run. Parameters the server does not use (priority, sequence ids,
 * custom ones) are ignored, as the protocol allows; the ones that ask for
 * something this server cannot do (shared memory, classification) are a 400.
 */
import { badRequest } from "./errors.js";

/** One input of the request, before it is matched to the model. */
export interface RequestedInput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly datatype: string;
  /** The JSON `data` (any nesting, row-major), or undefined when the input is sent as binary data. */
  readonly data: unknown;
  /** `parameters.binary_data_size`: the bytes of this input in the binary part, or null when `data` holds it. */
  readonly binaryDataSize: number | null;
}

/** One output the request asks for. */
export interface RequestedOutput {
  readonly name: string;
  /** `parameters.binary_data`, or null when the request-level `binary_data_output` decides. */
  readonly binary: boolean | null;
}

/** A request header that has the protocol's shape. */
export interface InferRequest {
  /** The request's `id`, echoed in the response; null when it had none. */
  readonly id: string | null;
  readonly inputs: readonly RequestedInput[];
  /** The outputs asked for, or null for every output of the model. */
  readonly outputs: readonly RequestedOutput[] | null;
  /** `parameters.binary_data_output`: send outputs as binary data unless an output says otherwise. */
  readonly binaryDataOutput: boolean;
  /** `parameters.timeout`: the most microseconds the request may wait for a run; null for no limit. */
  readonly timeoutMicroseconds: number | null;
}

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

const describe = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : JSON.stringify(value));

/** The checked request; a 400 ProtocolError naming the field when it does not have the protocol's shape. */
export function parseInferRequest(header: unknown): InferRequest {
  if (!isObject(header)) throw badRequest(`the request's JSON header must be an object; got ${describe(header)}`);
  const id = header.id;
  if (id !== undefined && typeof id !== "string") throw badRequest(`"id" must be a string; got ${describe(id)}`);
  const parameters = optionalObject(header.parameters, "parameters");
  const binaryDataOutput = optionalBoolean(parameters?.binary_data_output, "parameters.binary_data_output") ?? false;
  const timeoutMicroseconds = parseTimeout(parameters?.timeout, "parameters.timeout");

  if (!Array.isArray(header.inputs) || header.inputs.length === 0) {
    const got = header.inputs === undefined ? "none" : Array.isArray(header.inputs) ? "an empty array" : describe(header.inputs);
    throw badRequest(`"inputs" must be a non-empty array of tensors; got ${got}`);
  }
  const inputs = header.inputs.map((input: unknown, i: number) => parseInput(input, `inputs[${i}]`));
  unique(inputs.map((t) => t.name), "input");

  let outputs: RequestedOutput[] | null = null;
  if (header.outputs !== undefined) {
    if (!Array.isArray(header.outputs)) throw badRequest(`"outputs" must be an array; got ${describe(header.outputs)}`);
    outputs = header.outputs.map((output: unknown, i: number) => parseOutput(output, `outputs[${i}]`));
    unique(outputs.map((t) => t.name), "output");
  }
  return { id: id ?? null, inputs, outputs, binaryDataOutput, timeoutMicroseconds };
}

/** The protocol's `timeout` parameter: microseconds, a non-negative integer (0, as in Triton, for none). */
export function parseTimeout(value: unknown, at: string): number | null {
  if (value === undefined) return null;
  if (!(typeof value === "number" && Number.isSafeInteger(value) && value >= 0)) {
    throw badRequest(`${at} must be a number of microseconds (a non-negative integer); got ${describe(value)}`);
  }
  return value;
}

function parseInput(value: unknown, at: string): RequestedInput {
  if (!isObject(value)) throw badRequest(`${at} must be an object; got ${describe(value)}`);
  const name = requiredString(value.name, `${at}.name`);
  const where = `input "${name}"`;
  const datatype = requiredString(value.datatype, `${where}: "datatype"`);
  const shape = parseShape(value.shape, where);
  const parameters = optionalObject(value.parameters, `${where}: "parameters"`);
  unsupportedSharedMemory(parameters, where);
  const size = parameters?.binary_data_size;
  if (size !== undefined && !(Number.isSafeInteger(size) && (size as number) >= 0)) {
    throw badRequest(`${where}: "parameters.binary_data_size" must be a byte count (a non-negative integer); got ${describe(size)}`);
  }
  const hasData = value.data !== undefined;
  if (hasData && size !== undefined) throw badRequest(`${where} has both "data" and "parameters.binary_data_size"; send its values one way`);
  if (!hasData && size === undefined) throw badRequest(`${where} has no values: give "data", or "parameters.binary_data_size" and the bytes after the JSON header`);
  return { name, shape, datatype, data: value.data, binaryDataSize: (size as number | undefined) ?? null };
}

/**
 * A shape: non-negative integers whose product is a count JS can hold exactly. A dim that is an
 * integer but too large says so, rather than that it is not an integer.
 */
export function parseShape(value: unknown, where: string): number[] {
  const shown = value === undefined ? "none" : JSON.stringify(value);
  if (!Array.isArray(value) || !value.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0)) {
    throw badRequest(`${where}: "shape" must be an array of non-negative integers; got ${shown}`);
  }
  const dims = value as number[];
  const huge = dims.findIndex((d) => !Number.isSafeInteger(d));
  const count = dims.reduce((n, d) => n * d, 1);
  if (huge >= 0 || !Number.isSafeInteger(count)) {
    const what = huge >= 0 ? `dim ${huge} is ${dims[huge]}` : `its element count is ${count}`;
    throw badRequest(`${where}: shape ${shown} is too large: ${what}, beyond 2^53 - 1; no request body can hold such a tensor`);
  }
  return dims;
}

function parseOutput(value: unknown, at: string): RequestedOutput {
  if (!isObject(value)) throw badRequest(`${at} must be an object; got ${describe(value)}`);
  const name = requiredString(value.name, `${at}.name`);
  const where = `output "${name}"`;
  const parameters = optionalObject(value.parameters, `${where}: "parameters"`);
  unsupportedSharedMemory(parameters, where);
  if (parameters?.classification !== undefined) throw badRequest(`${where} asks for classification, which this server does not offer; ask for the tensor`);
  return { name, binary: optionalBoolean(parameters?.binary_data, `${where}: "parameters.binary_data"`) };
}

function unsupportedSharedMemory(parameters: JsonObject | undefined, where: string): void {
  if (parameters?.shared_memory_region !== undefined) {
    throw badRequest(`${where} uses shared memory ("shared_memory_region"), which this server does not offer; send the values in the request`);
  }
}

function requiredString(value: unknown, at: string): string {
  if (typeof value !== "string" || value === "") throw badRequest(`${at} must be a non-empty string; got ${value === undefined ? "none" : describe(value)}`);
  return value;
}

function optionalObject(value: unknown, at: string): JsonObject | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw badRequest(`${at} must be an object; got ${describe(value)}`);
  return value;
}

function optionalBoolean(value: unknown, at: string): boolean | null {
  if (value === undefined) return null;
  if (typeof value !== "boolean") throw badRequest(`${at} must be true or false; got ${describe(value)}`);
  return value;
}

function unique(names: readonly string[], kind: "input" | "output"): void {
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) throw badRequest(`${kind} "${repeated}" is given more than once; give each ${kind} once`);
}
