// @ts-check
// JSON <-> the runtime's inputs and outputs. JSON has one number type, so the
// engine's input dtype picks the typed array; int64 outputs beyond 2^53 are
// sent as strings rather than rounded.

/** @typedef {{ data: number[], shape: number[] }} JsonTensor */

/** @type {Record<string, (values: number[]) => import("@trt/sdk").HostArray>} */
const ARRAYS = {
  float: (v) => Float32Array.from(v),
  half: (v) => Float32Array.from(v),
  bf16: (v) => Float32Array.from(v),
  int8: (v) => Int8Array.from(v),
  uint8: (v) => Uint8Array.from(v),
  bool: (v) => Uint8Array.from(v, (x) => (x ? 1 : 0)),
  int32: (v) => Int32Array.from(v),
  // BigInt() throws a RangeError for non-integers: the request is answered 400.
  int64: (v) => BigInt64Array.from(v, (x) => BigInt(x)),
};

/**
 * The request's inputs as `module.run()` takes them. Names are checked by the runtime (InputError).
 * @param {import("@trt/sdk").TensorRTModule} module
 * @param {Record<string, JsonTensor>} json
 * @returns {Record<string, import("@trt/sdk").HostInput>}
 */
export function inputsFromJson(module, json) {
  /** @type {Record<string, import("@trt/sdk").HostInput>} */
  const inputs = {};
  for (const [name, { data, shape }] of Object.entries(json)) {
    const spec = module.inputs.find((i) => i.name === name);
    const make = ARRAYS[spec?.dtype ?? "float"];
    if (!make) throw new RangeError(`input "${name}" is ${spec?.dtype}, which JSON cannot carry`);
    inputs[name] = { data: make(data), shape };
  }
  return inputs;
}

/**
 * Every output as `{ dtype, shape, data }`.
 * @param {import("@trt/sdk").RunResult} result
 */
export async function outputsToJson(result) {
  /** @type {Record<string, { dtype: string, shape: readonly number[], data: Array<number | string> }>} */
  const outputs = {};
  for (const name of result.names) {
    const tensor = result.get(name);
    /** @type {Array<number | string>} */
    const data = [];
    for (const v of await tensor.toArray()) data.push(typeof v === "bigint" ? (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)) : v);
    outputs[name] = { dtype: tensor.dtype, shape: tensor.shape, data };
  }
  return outputs;
}
