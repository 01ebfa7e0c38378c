// The binary tensor data extension in-process: raw little-endian tensors
// after the JSON header (Inference-Header-Content-Length), binary outputs
// when asked for, and every way a binary body can be malformed: a header
// length that is not a number or runs past the body, sizes that do not add
// up (the body cut short or with bytes left over), a size that does not fit
// the shape, bodies past the limit, compressed bodies. None of the
// malformed ones reaches the engine.
import { gzipSync } from "node:zlib";
import { TensorRTModule } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/index.js";
import type { InferenceServer } from "../src/index.js";
import { dtypesPlan, reference, sampleEngine, sampleInput, useEmulator } from "./support/fixtures.js";
import { binaryRequest, infer, jsonRequest, readResponse, typed } from "./support/requests.js";

let restore: () => void;
let sample: TensorRTModule;
let dtypes: TensorRTModule;
let server: InferenceServer;
const BODY_LIMIT = 64 * 1024;

beforeAll(async () => {
  restore = useEmulator();
  sample = await TensorRTModule.load(sampleEngine);
  dtypes = await TensorRTModule.load(dtypesPlan());
  server = buildServer({ models: [{ name: "sample", module: sample }, { name: "dtypes", module: dtypes }], bodyLimit: BODY_LIMIT });
});
afterAll(async () => {
  await server.app.close();
  sample.release();
  dtypes.release();
  restore();
});

/** x as the sample engine's input, in binary. */
const x = (i: number) => {
  const { data, shape } = sampleInput(i);
  return { values: data, shape, bytes: Float32Array.from(data), tensor: { name: "x", shape, datatype: "FP32", parameters: { binary_data_size: data.length * 4 } } };
};

describe("binary tensor data", () => {
  it("takes binary inputs and, with binary_data_output, answers every output in binary after the JSON header", async () => {
    const input = x(3);
    const res = await infer(server.app, "sample", binaryRequest({ id: "b1", inputs: [input.tensor], parameters: { binary_data_output: true } }, [input.bytes]));
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/octet-stream");
    const { json, binary } = readResponse(res);
    expect(Number(res.headers["inference-header-content-length"])).toBe(Buffer.byteLength(JSON.stringify(json)));
    expect(json).toEqual({ model_name: "sample", model_version: "1", id: "b1", outputs: [{ name: "y", datatype: "FP32", shape: [4, 4], parameters: { binary_data_size: 64 } }] });
    expect(Array.from(typed(binary.y!, Float32Array))).toEqual(reference(input.values, 4));
  });

  it("lets an output's binary_data override the request's binary_data_output, either way", async () => {
    const inputs = [
      { name: "f32", shape: [1, 2], datatype: "FP32", data: [0.25, 4] },
      ...(["f16", "bf16", "i8", "u8", "i32", "i64"] as const).map((name) => ({
        name,
        shape: [1],
        datatype: { f16: "FP16", bf16: "BF16", i8: "INT8", u8: "UINT8", i32: "INT32", i64: "INT64" }[name],
        data: [1],
      })),
      { name: "b", shape: [2, 3], datatype: "BOOL", data: [true, true, false, false, false, false] },
    ];
    const outputs = [{ name: "f32_out", parameters: { binary_data: false } }, { name: "nz" }, { name: "i32_out", parameters: { binary_data: true } }];
    const res = await infer(server.app, "dtypes", jsonRequest({ inputs, outputs, parameters: { binary_data_output: true } }));
    expect(res.statusCode).toBe(200);
    const { json, binary } = readResponse(res);
    expect(json.outputs).toEqual([
      { name: "f32_out", datatype: "FP32", shape: [1, 2], data: [0.25, 4] },
      { name: "nz", datatype: "INT64", shape: [2, 2], parameters: { binary_data_size: 32 } },
      { name: "i32_out", datatype: "INT32", shape: [1], parameters: { binary_data_size: 4 } },
    ]);
    expect(Array.from(typed(binary.nz!, BigInt64Array))).toEqual([0n, 0n, 0n, 1n]);
    expect(Array.from(typed(binary.i32_out!, Int32Array))).toEqual([1]);
  });

  it("carries every datatype in binary, bit for bit: FP16 and BF16 patterns, INT64 beyond 2^53, BOOL bytes, NaN", async () => {
    const data = {
      // i8 first: its 3 bytes leave the next input at an odd offset, which the server must copy, not view.
      i8: Int8Array.from([-128, 5, 127]),
      f32: Float32Array.from([Number.NaN, -0, 1e-45, 3.4e38]),
      f16: Uint16Array.from([0x3c00, 0x7c00, 0x8001]),
      bf16: Uint16Array.from([0x3fc0, 0xff80]),
      u8: Uint8Array.from([0, 200, 255]),
      i32: Int32Array.from([-1, 123456789]),
      i64: BigInt64Array.from([9007199254740993n, -9223372036854775808n, 9223372036854775807n]),
      b: Uint8Array.from([0, 1, 0, 1, 1, 0]),
    };
    const shapes: Record<string, number[]> = { i8: [3], f32: [2, 2], f16: [3], bf16: [2], u8: [3], i32: [2], i64: [3], b: [2, 3] };
    const datatypes: Record<string, string> = { i8: "INT8", f32: "FP32", f16: "FP16", bf16: "BF16", u8: "UINT8", i32: "INT32", i64: "INT64", b: "BOOL" };
    const inputs = Object.entries(data).map(([name, array]) => ({ name, shape: shapes[name], datatype: datatypes[name], parameters: { binary_data_size: array.byteLength } }));
    const res = await infer(server.app, "dtypes", binaryRequest({ inputs, parameters: { binary_data_output: true } }, Object.values(data)));
    expect(res.statusCode).toBe(200);
    const { json, binary } = readResponse(res);
    for (const [name, array] of Object.entries(data)) {
      const out = json.outputs.find((o) => o.name === `${name}_out`)!;
      expect(out, name).toEqual({ name: `${name}_out`, datatype: datatypes[name], shape: shapes[name], parameters: { binary_data_size: array.byteLength } });
      expect(binary[`${name}_out`], name).toEqual(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
    }
    // NonZero of b [[0, 1, 0], [1, 1, 0]]: rows, then columns.
    expect(Array.from(typed(binary.nz!, BigInt64Array))).toEqual([0n, 1n, 1n, 1n, 0n, 1n]);
  });

  it("answers 400 when a JSON output would have to carry NaN, and says to ask for binary data", async () => {
    const f32 = Float32Array.from([1, Number.NaN]);
    const others = ["f16", "bf16", "i8", "u8", "i32", "i64"].map((name) => ({
      name,
      shape: [1],
      datatype: { f16: "FP16", bf16: "BF16", i8: "INT8", u8: "UINT8", i32: "INT32", i64: "INT64" }[name],
      data: [0],
    }));
    const header = {
      inputs: [{ name: "f32", shape: [1, 2], datatype: "FP32", parameters: { binary_data_size: 8 } }, ...others, { name: "b", shape: [2, 3], datatype: "BOOL", data: new Array(6).fill(false) }],
      outputs: [{ name: "f32_out" }],
    };
    const res = await infer(server.app, "dtypes", binaryRequest(header, [f32]));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'output "f32_out" holds NaN at [1], which JSON cannot carry; ask for it as binary data ("parameters": {"binary_data": true})' });
  });
});

describe("malformed binary bodies are 400, and never reach the engine", () => {
  const ok = x(0);
  it.each([
    ["a header length that is not a number", () => binaryRequest({ inputs: [ok.tensor] }, [ok.bytes], "12abc"), /inference-header-content-length header must be a byte count .* got "12abc"/],
    ["a negative header length", () => binaryRequest({ inputs: [ok.tensor] }, [ok.bytes], "-5"), /must be a byte count/],
    ["a header length past the end of the body", () => binaryRequest({ inputs: [ok.tensor] }, [ok.bytes], "100000"), /says the JSON part is 100000 bytes, but the body has only \d+: the body is cut short/],
    ["a header length of 0", () => binaryRequest({ inputs: [ok.tensor] }, [ok.bytes], "0"), /^the inference-header-content-length header is 0: the request has no JSON header$/],
    ["a header length that cuts the JSON short", () => binaryRequest({ inputs: [ok.tensor] }, [ok.bytes], "20"), /the request's JSON header is not valid JSON/],
    ["binary data cut short (sizes add up to more than the body has)", () => binaryRequest({ inputs: [ok.tensor] }, [ok.bytes.subarray(0, 5)]), /binary_data_size add up to 32 bytes, but the body has 20 bytes after the JSON header: the body is cut short/],
    ["bytes left over after the binary data", () => binaryRequest({ inputs: [ok.tensor] }, [ok.bytes, new Uint8Array(3)]), /binary_data_size add up to 32 bytes, but the body has 35 bytes after the JSON header/],
    ["binary bytes but no input that claims them", () => binaryRequest({ inputs: [{ name: "x", shape: [1, 8], datatype: "FP32", data: ok.values }] }, [new Uint8Array(4)]), /has 4 bytes after the JSON header, but no input has "parameters.binary_data_size"/],
    ["a binary_data_size that does not fit the shape", () => binaryRequest({ inputs: [{ ...ok.tensor, shape: [2, 8] }] }, [ok.bytes]), /binary_data_size is 32 bytes, but shape \[2, 8\] of FP32 takes 64 \(16 elements of 4 bytes\)/],
    ["a binary_data_size that is not a byte count", () => binaryRequest({ inputs: [{ ...ok.tensor, parameters: { binary_data_size: 31.5 } }] }, [ok.bytes]), /"parameters.binary_data_size" must be a byte count .* got 31.5/],
    ["both data and binary_data_size", () => binaryRequest({ inputs: [{ ...ok.tensor, data: ok.values }] }, [ok.bytes]), /has both "data" and "parameters.binary_data_size"/],
  ])("%s", async (_what, make, message) => {
    const runs = sample.stats.runs;
    const res = await infer(server.app, "sample", make());
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: expect.stringMatching(message) });
    expect(sample.stats.runs).toBe(runs);
  });

  it("an empty body is 400, saying so", async () => {
    const res = await server.app.inject({ method: "POST", url: "/v2/models/sample/infer" });
    expect([res.statusCode, res.json()]).toEqual([400, { error: "the request has no JSON header: the body is empty" }]);
  });
});

describe("body limits and compressed bodies", () => {
  it("refuses a body over the limit with 413 before the route runs", async () => {
    const runs = sample.stats.runs;
    const big = binaryRequest({ inputs: [{ name: "x", shape: [1, 8], datatype: "FP32", parameters: { binary_data_size: BODY_LIMIT } }] }, [new Uint8Array(BODY_LIMIT)]);
    const res = await infer(server.app, "sample", big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: `the request body is larger than the server's limit of ${BODY_LIMIT} bytes` });
    expect(sample.stats.runs).toBe(runs);
  });

  it("inflates a gzip body (tritonclient's request_compression_algorithm) and runs it", async () => {
    const input = x(5);
    const plain = binaryRequest({ inputs: [input.tensor], outputs: [{ name: "y", parameters: { binary_data: false } }] }, [input.bytes]);
    const res = await infer(server.app, "sample", { payload: gzipSync(plain.payload), headers: { ...plain.headers, "content-encoding": "gzip" } });
    expect(res.statusCode).toBe(200);
    expect(res.json().outputs[0].data).toEqual(reference(input.values, 6));
  });

  it("refuses a compressed body that inflates past the limit (413), one that is not gzip (400), and other encodings (415)", async () => {
    const bomb = gzipSync(Buffer.alloc(BODY_LIMIT * 4));
    expect(bomb.length).toBeLessThan(BODY_LIMIT);
    const headers = { "content-type": "application/octet-stream", "content-encoding": "gzip" };
    const tooBig = await infer(server.app, "sample", { payload: bomb, headers });
    expect([tooBig.statusCode, tooBig.json()]).toEqual([413, { error: `the gzip-compressed body inflates to more than the body limit of ${BODY_LIMIT} bytes` }]);
    const notGzip = await infer(server.app, "sample", { payload: Buffer.from("{}"), headers });
    expect(notGzip.statusCode).toBe(400);
    expect(notGzip.json().error).toMatch(/^the body is not valid gzip data/);
    const brotli = await infer(server.app, "sample", { payload: Buffer.from("{}"), headers: { ...headers, "content-encoding": "br" } });
    expect([brotli.statusCode, brotli.json()]).toEqual([415, { error: 'content encoding "br" is not supported; send the body as it is, or with gzip or deflate' }]);
  });
});

describe("binary inputs without copies", () => {
  it("reach the engine as views of the request body, aligned for their type, whatever the JSON header's length", async () => {
    const seen: { offset: number; view: boolean }[] = [];
    const run = sample.run.bind(sample);
    sample.run = (inputs, options) => {
      const data = (inputs as Record<string, { data: Float32Array }>).x!.data;
      // A view into the body: its buffer holds the JSON header too.
      seen.push({ offset: data.byteOffset % 4, view: data.buffer.byteLength > data.byteLength });
      return run(inputs, options);
    };
    try {
      for (const id of ["a", "ab", "abc", "abcd"]) {
        const { tensor, bytes, values, shape } = x(3);
        const res = await infer(server.app, "sample", binaryRequest({ id, inputs: [tensor] }, [bytes]));
        expect(res.json().outputs[0].data).toEqual(reference(values, shape[0]));
      }
    } finally {
      sample.run = run;
    }
    expect(seen).toEqual(new Array(4).fill({ offset: 0, view: true }));
  });
});
