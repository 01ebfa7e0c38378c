/**
 * The request's tensors as `module.run()` takes them, checked against the
 * model: names, datatypes, rank and fixed dims, element counts, value ranges,
 * and, for binary data, that every byte is accounted for. The runtime then
 * checks the shapes against the engine's optimization profiles.
 *
 * JSON has one number type, so each value is checked to fit the input's
 * datatype (an INT8 of 300 or an INT32 of 1.5 is a 400, never a silent
 * wrap or truncation). INT64 values beyond 2^53 cannot be told apart once
 * JSON has been parsed into doubles (Node 20's JSON.parse gives no access to
 * the source digits), so they are refused in JSON and must be sent as binary
 * data. Outputs have no such limit: outputs.ts writes every digit. Binary data is taken as it is: little-endian,
 * row-major, BOOL one byte per element.
 */
import { float32ToBf16Bits, float32ToHalfBits } from "@trt/runtime";
import type { BindingSpec, HostArray, HostInput } from "@trt/runtime";
import { ELEMENT_BYTES, PROTOCOL_DATATYPES, protocolDatatype } from "./datatypes.js";
import type { ProtocolDatatype } from "./datatypes.js";
import { badRequest } from "./errors.js";
import type { RequestedInput } from "./request.js";

/** How deep nested `data` arrays may go: far beyond any real tensor's rank, short of exhausting the stack. */
const MAX_NESTING = 64;

/**
 * The binary part of a REST request cut into each input's bytes (null for an input sent as JSON),
 * after checking that the sizes the inputs claim add up to exactly the bytes there are.
 */
export function sliceBinary(requested: readonly RequestedInput[], binary: Buffer): (Buffer | null)[] {
  checkBinaryTotal(requested, binary.length);
  let offset = 0;
  return requested.map((input) => {
    if (input.binaryDataSize === null) return null;
    const bytes = binary.subarray(offset, offset + input.binaryDataSize);
    offset += input.binaryDataSize;
    return bytes;
  });
}

/**
 * The inputs for `module.run()`, by name.
 * @param requested the request's inputs, in request order
 * @param bytes each input's raw bytes (binary data, gRPC raw contents), or null when its `data` holds its values
 * @param model the model's inputs and its name (for messages)
 */
export function decodeInputs(
  requested: readonly RequestedInput[],
  bytes: readonly (Buffer | null)[],
  model: { readonly name: string; readonly inputs: readonly BindingSpec[] },
): Record<string, HostInput> {
  const inputs: Record<string, HostInput> = {};
  requested.forEach((input, i) => {
    const spec = model.inputs.find((s) => s.name === input.name);
    if (!spec) {
      throw badRequest(`model "${model.name}" has no input "${input.name}"; its inputs are ${model.inputs.map((s) => `"${s.name}"`).join(", ")}`);
    }
    const datatype = checkDatatype(input, spec);
    const count = checkShape(input, spec);
    const raw = bytes[i] ?? null;
    if (raw === null) {
      inputs[input.name] = { data: fromJson(input.data, datatype, count, input.name), shape: input.shape };
    } else {
      const want = count * ELEMENT_BYTES[datatype];
      if (raw.length !== want) {
        throw badRequest(
          `input "${input.name}": ${input.binaryDataSize === null ? "its raw contents have" : "binary_data_size is"} ${raw.length} bytes, but shape [${input.shape.join(", ")}] of ${datatype} takes ${want} (${count} elements of ${ELEMENT_BYTES[datatype]} bytes)`,
        );
      }
      inputs[input.name] = { data: fromBytes(raw, datatype), shape: input.shape };
    }
  });
  const missing = model.inputs.filter((s) => !(s.name in inputs));
  if (missing.length > 0) {
    throw badRequest(`model "${model.name}" needs every input; the request has none for ${missing.map((s) => `"${s.name}"`).join(", ")}`);
  }
  return inputs;
}

/** The binary part must hold exactly the bytes the inputs' binary_data_size add up to: nothing missing, nothing left over. */
function checkBinaryTotal(requested: readonly RequestedInput[], length: number): void {
  const claimed = requested.reduce((sum, t) => sum + (t.binaryDataSize ?? 0), 0);
  if (claimed === length) return;
  if (claimed === 0) {
    throw badRequest(`the body has ${length} bytes after the JSON header, but no input has "parameters.binary_data_size"; check the inference-header-content-length header`);
  }
  throw badRequest(
    `the inputs' binary_data_size add up to ${claimed} bytes, but the body has ${length} bytes after the JSON header${length < claimed ? ": the body is cut short" : ""}`,
  );
}

function checkDatatype(input: RequestedInput, spec: BindingSpec): ProtocolDatatype {
  const want = protocolDatatype(spec.dtype)!; // models.ts serves only models whose bindings all have one
  if (input.datatype === want) return want;
  const known = PROTOCOL_DATATYPES.includes(input.datatype);
  throw badRequest(
    `input "${input.name}": datatype ${known ? input.datatype : `"${input.datatype}" (not a datatype of the protocol)`} does not match the model's ${want}; send ${want}`,
  );
}

/** Rank and fixed dims against the engine's shape (-1 = any); returns the element count. */
function checkShape(input: RequestedInput, spec: BindingSpec): number {
  const wanted = `[${spec.shape.join(", ")}]`;
  const got = `[${input.shape.join(", ")}]`;
  if (input.shape.length !== spec.shape.length) {
    throw badRequest(`input "${input.name}": shape ${got} has rank ${input.shape.length}, but the model's is ${wanted} (rank ${spec.shape.length}, -1 = any size)`);
  }
  spec.shape.forEach((d, i) => {
    if (d !== -1 && input.shape[i] !== d) throw badRequest(`input "${input.name}": shape ${got} does not match the model's ${wanted}: dim ${i} must be ${d}`);
  });
  return input.shape.reduce((n, d) => n * d, 1);
}

/** Bytes to the array the runtime takes for `datatype` (FP16 and BF16 as their 16-bit patterns). */
function fromBytes(bytes: Buffer, datatype: ProtocolDatatype): HostArray {
  const size = ELEMENT_BYTES[datatype];
  // A view where the bytes are aligned for the element type; else a copy (a typed array cannot start mid-element).
  const source = bytes.byteOffset % size === 0 ? bytes : Uint8Array.from(bytes);
  const { buffer, byteOffset } = source;
  const length = bytes.length / size;
  switch (datatype) {
    case "FP32":
      return new Float32Array(buffer, byteOffset, length);
    case "FP16":
    case "BF16":
      return new Uint16Array(buffer, byteOffset, length);
    case "INT8":
      return new Int8Array(buffer, byteOffset, length);
    case "UINT8":
    case "BOOL":
      return new Uint8Array(buffer, byteOffset, length);
    case "INT32":
      return new Int32Array(buffer, byteOffset, length);
    case "INT64":
      return new BigInt64Array(buffer, byteOffset, length);
  }
}

/** Integer ranges of the datatypes JSON carries as plain integers. */
const INTEGER_RANGES: Partial<Record<ProtocolDatatype, readonly [number, number]>> = {
  INT8: [-128, 127],
  UINT8: [0, 255],
  INT32: [-2147483648, 2147483647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/**
 * The float datatypes' range: a finite JSON number that rounds to an infinity in the
 * datatype (1e300 as FP32, 70000 as FP16) is refused rather than silently stored as one.
 * JSON has no infinities or NaN of its own, so every infinity here would be an overflow.
 */
const FLOAT_OVERFLOWS: Partial<Record<ProtocolDatatype, (v: number) => boolean>> = {
  FP32: (v) => !Number.isFinite(Math.fround(v)),
  FP16: (v) => (float32ToHalfBits(v) & 0x7fff) === 0x7c00,
  BF16: (v) => (float32ToBf16Bits(v) & 0x7fff) === 0x7f80,
};

/** JSON `data` (flat or nested, row-major) to the array the runtime takes, every value checked. */
function fromJson(data: unknown, datatype: ProtocolDatatype, count: number, name: string): HostArray {
  const values = flatten(data, name);
  if (values.length !== count) {
    throw badRequest(`input "${name}": "data" has ${values.length} values, but its shape holds ${count}`);
  }
  const bad = (i: number, what: string) => badRequest(`input "${name}": data[${i}] is ${JSON.stringify(values[i])}, which is not ${what}`);
  if (datatype === "BOOL") {
    return Uint8Array.from(values, (v, i) => {
      if (typeof v !== "boolean") throw bad(i, "true or false (BOOL)");
      return v ? 1 : 0;
    });
  }
  const range = INTEGER_RANGES[datatype];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") throw bad(i, `a number (${datatype})`);
    if (range && !(Number.isInteger(v) && v >= range[0] && v <= range[1])) {
      if (datatype === "INT64" && Number.isInteger(v)) {
        // JSON.parse has already rounded it to a double, so the value to quote is not the one sent.
        throw badRequest(`input "${name}": data[${i}] is beyond 2^53 - 1 in magnitude, which JSON numbers here cannot carry exactly; send such INT64 values as binary data`);
      }
      throw bad(i, datatype === "INT64" ? "an integer (INT64)" : `an integer in ${range[0]}..${range[1]} (${datatype})`);
    }
  }
  const numbers = values as number[];
  const overflow = FLOAT_OVERFLOWS[datatype];
  if (overflow) {
    for (let i = 0; i < numbers.length; i++) {
      if (overflow(numbers[i]!)) throw bad(i, `within the range of ${datatype} (it would become an infinity)`);
    }
  }
  switch (datatype) {
    case "FP32":
      return Float32Array.from(numbers);
    // As their 16-bit patterns (rounded to nearest even, as the runtime rounds), like binary data: every
    // request's array for an input then has one type, so requests can be stacked into one batch.
    case "FP16":
      return Uint16Array.from(numbers, float32ToHalfBits);
    case "BF16":
      return Uint16Array.from(numbers, float32ToBf16Bits);
    case "INT8":
      return Int8Array.from(numbers);
    case "UINT8":
      return Uint8Array.from(numbers);
    case "INT32":
      return Int32Array.from(numbers);
    case "INT64":
      return BigInt64Array.from(numbers, (v) => BigInt(v));
  }
}

/** The values of `data` in row-major order, whatever its nesting. */
function flatten(data: unknown, name: string): unknown[] {
  if (!Array.isArray(data)) throw badRequest(`input "${name}": "data" must be an array of values; got ${data === null ? "null" : typeof data}`);
  const out: unknown[] = [];
  const walk = (items: readonly unknown[], depth: number): void => {
    if (depth > MAX_NESTING) throw badRequest(`input "${name}": "data" is nested more than ${MAX_NESTING} deep`);
    for (const item of items) {
      if (Array.isArray(item)) walk(item, depth + 1);
      else out.push(item);
    }
  };
  walk(data, 1);
  return out;
}
