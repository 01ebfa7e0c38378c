// Requests that do not fit the protocol or the model, in-process: each is a
// 400 with the protocol's error body naming what was wrong, and none of them
// runs the engine (except a shape outside the optimization profile, which
// only the runtime can judge, and which it refuses before launching).
import { TensorRTModule } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/index.js";
import type { InferenceServer } from "../src/index.js";
import { dtypesPlan, sampleEngine, useEmulator } from "./support/fixtures.js";
import { infer, jsonRequest } from "./support/requests.js";

let restore: () => void;
let sample: TensorRTModule;
let dtypes: TensorRTModule;
let server: InferenceServer;

beforeAll(async () => {
  restore = useEmulator();
  sample = await TensorRTModule.load(sampleEngine);
  dtypes = await TensorRTModule.load(dtypesPlan());
  server = buildServer({ models: [{ name: "sample", module: sample }, { name: "dtypes", module: dtypes }] });
});
afterAll(async () => {
  await server.app.close();
  sample.release();
  dtypes.release();
  restore();
});

const x = (patch: object = {}) => ({ name: "x", shape: [1, 8], datatype: "FP32", data: [1, 2, 3, 4, 5, 6, 7, 8], ...patch });

/** A request for the dtypes model where `name` is `tensor` and every other input is valid. */
function dtypesRequest(name: string, tensor: object): object {
  const inputs: Record<string, object> = {
    f32: { name: "f32", shape: [1, 2], datatype: "FP32", data: [0, 0] },
    f16: { name: "f16", shape: [1], datatype: "FP16", data: [0] },
    bf16: { name: "bf16", shape: [1], datatype: "BF16", data: [0] },
    i8: { name: "i8", shape: [1], datatype: "INT8", data: [0] },
    u8: { name: "u8", shape: [1], datatype: "UINT8", data: [0] },
    i32: { name: "i32", shape: [1], datatype: "INT32", data: [0] },
    i64: { name: "i64", shape: [1], datatype: "INT64", data: [0] },
    b: { name: "b", shape: [2, 3], datatype: "BOOL", data: [false, false, false, false, false, false] },
  };
  inputs[name] = { ...inputs[name], ...tensor };
  return { inputs: Object.values(inputs) };
}

describe("the request's shape", () => {
  it.each([
    ["a header that is not an object", [x()], /^the request's JSON header must be an object; got an array$/],
    ["an id that is not a string", { id: 7, inputs: [x()] }, /^"id" must be a string; got 7$/],
    ["no inputs", {}, /^"inputs" must be a non-empty array of tensors; got none$/],
    ["an empty inputs array", { inputs: [] }, /^"inputs" must be a non-empty array of tensors; got an empty array$/],
    ["a dim too large for any tensor", { inputs: [x({ shape: [1e18, 8] })] }, /^input "x": shape \[1000000000000000000,8\] is too large: dim 0 is 1000000000000000000, beyond 2\^53 - 1/],
    ["dims whose product is too large", { inputs: [x({ shape: [2 ** 30, 2 ** 30, 2 ** 30] })] }, /^input "x": shape \[.*\] is too large: its element count is .*, beyond 2\^53 - 1/],
    ["an input without a name", { inputs: [{ shape: [1, 8], datatype: "FP32", data: [] }] }, /^inputs\[0\]\.name must be a non-empty string; got none$/],
    ["a negative dim", { inputs: [x({ shape: [-1, 8] })] }, /^input "x": "shape" must be an array of non-negative integers; got \[-1,8\]$/],
    ["a fractional dim", { inputs: [x({ shape: [1.5, 8] })] }, /"shape" must be an array of non-negative integers/],
    ["no datatype", { inputs: [x({ datatype: undefined })] }, /^input "x": "datatype" must be a non-empty string; got none$/],
    ["an input given twice", { inputs: [x(), x()] }, /^input "x" is given more than once/],
    ["an input with neither data nor binary_data_size", { inputs: [x({ data: undefined })] }, /^input "x" has no values: give "data", or "parameters.binary_data_size"/],
    ["a binary_data_output that is not a boolean", { inputs: [x()], parameters: { binary_data_output: "yes" } }, /^parameters.binary_data_output must be true or false; got "yes"$/],
    ["outputs that are not an array", { inputs: [x()], outputs: { name: "y" } }, /^"outputs" must be an array; got an object$/],
    ["an output given twice", { inputs: [x()], outputs: [{ name: "y" }, { name: "y" }] }, /^output "y" is given more than once/],
    ["shared memory for an input", { inputs: [x({ parameters: { shared_memory_region: "r" } })] }, /^input "x" uses shared memory .* which this server does not offer/],
    ["classification of an output", { inputs: [x()], outputs: [{ name: "y", parameters: { classification: 3 } }] }, /^output "y" asks for classification, which this server does not offer/],
  ])("%s", async (_what, body, message) => {
    const runs = sample.stats.runs;
    const res = await infer(server.app, "sample", jsonRequest(body));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: expect.stringMatching(message) });
    expect(sample.stats.runs).toBe(runs);
  });

  it("a body that is not JSON", async () => {
    const res = await server.app.inject({ method: "POST", url: "/v2/models/sample/infer", headers: { "content-type": "application/json" }, payload: '{"inputs": [' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/^the request's JSON header is not valid JSON \(/);
  });
});

describe("the request against the model", () => {
  it.each([
    ["an unknown input", { inputs: [x({ name: "z" })] }, 'model "sample" has no input "z"; its inputs are "x"'],
    ["a datatype other than the model's", { inputs: [x({ datatype: "INT32" })] }, 'input "x": datatype INT32 does not match the model\'s FP32; send FP32'],
    ["a protocol datatype no TensorRT binding has", { inputs: [x({ datatype: "FP64" })] }, 'input "x": datatype FP64 does not match the model\'s FP32; send FP32'],
    ["a datatype the protocol does not define", { inputs: [x({ datatype: "float32" })] }, 'input "x": datatype "float32" (not a datatype of the protocol) does not match the model\'s FP32; send FP32'],
    ["the wrong rank", { inputs: [x({ shape: [8] })] }, 'input "x": shape [8] has rank 1, but the model\'s is [-1, 8] (rank 2, -1 = any size)'],
    ["the wrong fixed dim", { inputs: [x({ shape: [1, 7], data: [1, 2, 3, 4, 5, 6, 7] })] }, 'input "x": shape [1, 7] does not match the model\'s [-1, 8]: dim 1 must be 8'],
    ["data that does not fill the shape", { inputs: [x({ shape: [2, 8] })] }, 'input "x": "data" has 8 values, but its shape holds 16'],
    ["data that is not an array", { inputs: [x({ data: "12345678" })] }, 'input "x": "data" must be an array of values; got string'],
    ["a value that is not a number", { inputs: [x({ data: [1, 2, 3, "4", 5, 6, 7, 8] })] }, 'input "x": data[3] is "4", which is not a number (FP32)'],
    ["an unknown output", { inputs: [x()], outputs: [{ name: "z" }] }, 'model "sample" has no output "z"; its outputs are "y"'],
  ])("%s", async (_what, body, message) => {
    const runs = sample.stats.runs;
    const res = await infer(server.app, "sample", jsonRequest(body));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: message });
    expect(sample.stats.runs).toBe(runs);
  });

  it("a shape outside the engine's optimization profile, judged by the runtime", async () => {
    const res = await infer(server.app, "sample", jsonRequest({ inputs: [x({ shape: [17, 8], data: new Array(17 * 8).fill(0) })] }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: expect.stringMatching(/^input "x": invalid shape: expected .*profile.*; found x \[17, 8\]$/) });
  });

  it.each([
    ["i8", { data: [128] }, 'input "i8": data[0] is 128, which is not an integer in -128..127 (INT8)'],
    ["u8", { data: [-1] }, 'input "u8": data[0] is -1, which is not an integer in 0..255 (UINT8)'],
    ["i32", { data: [1.5] }, 'input "i32": data[0] is 1.5, which is not an integer in -2147483648..2147483647 (INT32)'],
    ["i64", { data: [9007199254740992] }, 'input "i64": data[0] is beyond 2^53 - 1 in magnitude, which JSON numbers here cannot carry exactly; send such INT64 values as binary data'],
    ["i64", { data: [2.5] }, 'input "i64": data[0] is 2.5, which is not an integer (INT64)'],
    ["b", { data: [1, 0, 0, 0, 0, 0] }, 'input "b": data[0] is 1, which is not true or false (BOOL)'],
    ["f32", { data: [0, 1e300] }, 'input "f32": data[1] is 1e+300, which is not within the range of FP32 (it would become an infinity)'],
    ["f32", { data: [-3.5e38, 0] }, 'input "f32": data[0] is -3.5e+38, which is not within the range of FP32 (it would become an infinity)'],
    ["f16", { data: [65520] }, 'input "f16": data[0] is 65520, which is not within the range of FP16 (it would become an infinity)'],
    ["bf16", { data: [3.4e38] }, 'input "bf16": data[0] is 3.4e+38, which is not within the range of BF16 (it would become an infinity)'],
  ])("a JSON value that does not fit the datatype (%s) is refused, never wrapped or rounded", async (name, patch, message) => {
    const runs = dtypes.stats.runs;
    const res = await infer(server.app, "dtypes", jsonRequest(dtypesRequest(name, patch)));
    expect([res.statusCode, res.json()]).toEqual([400, { error: message }]);
    expect(dtypes.stats.runs).toBe(runs);
  });

  it("float values at the edge of each datatype's range are taken", async () => {
    for (const [name, data] of [["f32", [3.4028234e38, -1e-45]], ["f16", [65504]], ["bf16", [3.38e38]]] as const) {
      const res = await infer(server.app, "dtypes", jsonRequest(dtypesRequest(name, { data })));
      expect(res.statusCode, name).toBe(200);
    }
  });

  it("a missing input", async () => {
    const res = await infer(server.app, "dtypes", jsonRequest({ inputs: [{ name: "f32", shape: [1, 2], datatype: "FP32", data: [0, 0] }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'model "dtypes" needs every input; the request has none for "f16", "bf16", "i8", "u8", "i32", "i64", "b"' });
  });
});
