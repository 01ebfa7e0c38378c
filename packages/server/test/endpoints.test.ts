// Every route of the protocol in-process (fastify.inject), over two models
// served at once on the emulator: health, server and model metadata (both
// URL forms), readiness, inference with JSON tensors, and what an unknown
// model, version or route gets.
import { TensorRTModule } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/index.js";
import type { InferenceServer } from "../src/index.js";
import { dtypesPlan, reference, sampleEngine, sampleInput, useEmulator } from "./support/fixtures.js";
import { infer, jsonRequest, readResponse } from "./support/requests.js";

let restore: () => void;
let sample: TensorRTModule;
let dtypes: TensorRTModule;
let server: InferenceServer;

beforeAll(async () => {
  restore = useEmulator();
  sample = await TensorRTModule.load(sampleEngine, { maxConcurrency: 2 });
  dtypes = await TensorRTModule.load(dtypesPlan(), { maxConcurrency: 1 });
  server = buildServer({ models: [{ name: "sample", module: sample, maxQueue: 4 }, { name: "dtypes", module: dtypes, version: "7" }] });
});
afterAll(async () => {
  await server.app.close();
  sample.release();
  dtypes.release();
  restore();
});

const get = (url: string) => server.app.inject({ method: "GET", url });

describe("health and metadata", () => {
  it("GET /v2/health/live and /v2/health/ready answer 200", async () => {
    const live = await get("/v2/health/live");
    expect([live.statusCode, live.json()]).toEqual([200, { live: true }]);
    const ready = await get("/v2/health/ready");
    expect([ready.statusCode, ready.json()]).toEqual([200, { ready: true }]);
  });

  it("GET /v2 names the server, its version and the binary tensor data extension", async () => {
    const res = await get("/v2");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: "trt-server", version: expect.stringMatching(/^\d+\.\d+\.\d+/), extensions: ["binary_tensor_data"] });
  });

  it("GET /v2/models/{name} gives datatypes and shapes from the engine, -1 for dynamic dims", async () => {
    const res = await get("/v2/models/sample");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: "sample",
      versions: ["1"],
      platform: "tensorrt_plan",
      inputs: [{ name: "x", datatype: "FP32", shape: [-1, 8] }],
      outputs: [{ name: "y", datatype: "FP32", shape: [-1, 4] }],
    });
  });

  it("maps every served datatype, and gives a data-dependent output's unknown dim as -1", async () => {
    const res = await get("/v2/models/dtypes/versions/7");
    expect(res.statusCode).toBe(200);
    const meta = res.json() as { versions: string[]; inputs: unknown[]; outputs: unknown[] };
    expect(meta.versions).toEqual(["7"]);
    expect(meta.inputs).toEqual([
      { name: "f32", datatype: "FP32", shape: [-1, 2] },
      { name: "f16", datatype: "FP16", shape: [-1] },
      { name: "bf16", datatype: "BF16", shape: [-1] },
      { name: "i8", datatype: "INT8", shape: [-1] },
      { name: "u8", datatype: "UINT8", shape: [-1] },
      { name: "i32", datatype: "INT32", shape: [-1] },
      { name: "i64", datatype: "INT64", shape: [-1] },
      { name: "b", datatype: "BOOL", shape: [2, 3] },
    ]);
    expect(meta.outputs).toContainEqual({ name: "nz", datatype: "INT64", shape: [2, -1] });
    expect(meta.outputs).toContainEqual({ name: "b_out", datatype: "BOOL", shape: [2, 3] });
  });

  it("GET /v2/models/{name}/ready and its /versions form answer 200 for a served model", async () => {
    for (const url of ["/v2/models/sample/ready", "/v2/models/sample/versions/1/ready"]) {
      const res = await get(url);
      expect([res.statusCode, res.json()]).toEqual([200, { name: "sample", version: "1", ready: true }]);
    }
  });

  it.each([
    ["/v2/models/nope", /model "nope" is not served here; the models are "sample", "dtypes"/],
    ["/v2/models/nope/ready", /model "nope" is not served here/],
    ["/v2/models/sample/versions/2", /model "sample" has no version "2"; it serves version "1"/],
    ["/v2/models/dtypes/versions/1/ready", /model "dtypes" has no version "1"; it serves version "7"/],
  ])("GET %s is 404 with the protocol's error body", async (url, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: expect.stringMatching(message) });
  });

  it("a known path with a method it does not take is 405 with Allow", async () => {
    const get = await server.app.inject({ method: "GET", url: "/v2/models/sample/infer" });
    expect([get.statusCode, get.headers.allow, get.json()]).toEqual([405, "POST", { error: "GET is not allowed on /v2/models/sample/infer; use POST" }]);
    const versioned = await server.app.inject({ method: "PUT", url: "/v2/models/sample/versions/1/infer" });
    expect([versioned.statusCode, versioned.headers.allow]).toEqual([405, "POST"]);
    const post = await server.app.inject({ method: "POST", url: "/v2/health/live?x=1" });
    expect([post.statusCode, post.headers.allow]).toEqual([405, "GET, HEAD"]);
  });

  it("an unknown route is 404 with the protocol's error body", async () => {
    const res = await get("/v1/models/sample");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: "no route for GET /v1/models/sample; this server speaks the Open Inference Protocol under /v2" });
  });
});

describe("POST /v2/models/{name}/infer with JSON tensors", () => {
  it("runs the engine, echoes the request id and names the model and version", async () => {
    const x = sampleInput(1);
    const res = await infer(server.app, "sample", jsonRequest({ id: "req-42", inputs: [{ name: "x", shape: x.shape, datatype: "FP32", data: x.data }] }));
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["inference-header-content-length"]).toBeUndefined();
    expect(res.json()).toEqual({
      model_name: "sample",
      model_version: "1",
      id: "req-42",
      outputs: [{ name: "y", datatype: "FP32", shape: [2, 4], data: reference(x.data, 2) }],
    });
  });

  it("takes the /versions/{v} form, data nested as the shape, and leaves out the id when there was none", async () => {
    const x = sampleInput(2);
    const nested = [0, 1, 2].map((row) => x.data.slice(row * 8, row * 8 + 8));
    const res = await infer(server.app, "sample", jsonRequest({ inputs: [{ name: "x", shape: [3, 8], datatype: "FP32", data: nested }] }), "1");
    expect(res.statusCode).toBe(200);
    const body = res.json() as Record<string, unknown>;
    expect(body).not.toHaveProperty("id");
    expect(body.outputs).toEqual([{ name: "y", datatype: "FP32", shape: [3, 4], data: reference(x.data, 3) }]);
  });

  it("carries every datatype in JSON both ways, INT64 with every digit, BOOL as true/false", async () => {
    const inputs = [
      { name: "f32", shape: [2, 2], datatype: "FP32", data: [1.5, -2.25, 3e-3, 1e20] },
      { name: "f16", shape: [3], datatype: "FP16", data: [0.5, -65504, 1 / 3] },
      { name: "bf16", shape: [2], datatype: "BF16", data: [1.5, 3.14159] },
      { name: "i8", shape: [3], datatype: "INT8", data: [-128, 0, 127] },
      { name: "u8", shape: [2], datatype: "UINT8", data: [0, 255] },
      { name: "i32", shape: [2], datatype: "INT32", data: [-2147483648, 2147483647] },
      { name: "i64", shape: [2], datatype: "INT64", data: [-9007199254740991, 9007199254740991] },
      { name: "b", shape: [2, 3], datatype: "BOOL", data: [true, false, false, false, true, true] },
    ];
    const res = await infer(server.app, "dtypes", jsonRequest({ inputs }));
    expect(res.statusCode).toBe(200);
    const { json } = readResponse(res);
    expect(json.model_version).toBe("7");
    // By input name: f32_out under f32, and so on.
    const out = Object.fromEntries(json.outputs.map((o) => [o.name.replace(/_out$/, ""), o]));
    expect(out.f32).toEqual({ name: "f32_out", datatype: "FP32", shape: [2, 2], data: Array.from(Float32Array.from([1.5, -2.25, 3e-3, 1e20])) });
    // Rounded to the 16-bit formats on the way in (nearest even), exact on the way out.
    expect(out.f16!.data).toEqual([0.5, -65504, 0.333251953125]);
    expect(out.bf16!.data).toEqual([1.5, 3.140625]);
    expect(out.i8!.data).toEqual([-128, 0, 127]);
    expect(out.u8!.data).toEqual([0, 255]);
    expect(out.i32!.data).toEqual([-2147483648, 2147483647]);
    expect(out.b).toEqual({ name: "b_out", datatype: "BOOL", shape: [2, 3], data: [true, false, false, false, true, true] });
    // NonZero of b: the shape is known only after the run.
    expect(out.nz).toEqual({ name: "nz", datatype: "INT64", shape: [2, 3], data: [0, 1, 1, 0, 1, 2] });
    // The raw text keeps INT64 digits that a JS number would round (checked on the text, not on parsed JSON).
    expect(res.body).toContain('"data":[-9007199254740991,9007199254740991]');
  });

  it("keeps the sign of -0 in JSON both ways", async () => {
    const text = '{"inputs":[{"name":"x","shape":[1,8],"datatype":"FP32","data":[-0.0,0,0,0,0,0,0,0]}]}';
    const res = await infer(server.app, "sample", { payload: Buffer.from(text), headers: {} });
    expect(res.statusCode).toBe(200);
    const y = reference([-0, 0, 0, 0, 0, 0, 0, 0], 1);
    expect(res.json().outputs[0].data).toEqual(y);
    const zeros = await infer(server.app, "dtypes", {
      payload: Buffer.from(
        '{"inputs":[{"name":"f32","shape":[1,2],"datatype":"FP32","data":[-0.0,0]},{"name":"f16","shape":[1],"datatype":"FP16","data":[-0.0]},' +
          '{"name":"bf16","shape":[1],"datatype":"BF16","data":[0]},{"name":"i8","shape":[1],"datatype":"INT8","data":[0]},{"name":"u8","shape":[1],"datatype":"UINT8","data":[0]},' +
          '{"name":"i32","shape":[1],"datatype":"INT32","data":[0]},{"name":"i64","shape":[1],"datatype":"INT64","data":[0]},{"name":"b","shape":[2,3],"datatype":"BOOL","data":[false,false,false,false,false,false]}],' +
          '"outputs":[{"name":"f32_out"},{"name":"f16_out"}]}',
      ),
      headers: {},
    });
    expect(zeros.statusCode).toBe(200);
    expect(zeros.body).toContain('"data":[-0.0,0]');
    expect(zeros.body).toContain('"name":"f16_out","datatype":"FP16","shape":[1],"data":[-0.0]');
  });

  it("sends only the outputs asked for, in the order asked", async () => {
    const inputs = [
      { name: "f32", shape: [1, 2], datatype: "FP32", data: [1, 2] },
      ...["f16", "bf16", "i8", "u8", "i32", "i64"].map((name) => ({ name, shape: [1], datatype: { f16: "FP16", bf16: "BF16", i8: "INT8", u8: "UINT8", i32: "INT32", i64: "INT64" }[name], data: [3] })),
      { name: "b", shape: [2, 3], datatype: "BOOL", data: [false, false, false, false, false, true] },
    ];
    const res = await infer(server.app, "dtypes", jsonRequest({ inputs, outputs: [{ name: "nz" }, { name: "i64_out" }] }));
    expect(res.statusCode).toBe(200);
    expect(readResponse(res).json.outputs).toEqual([
      { name: "nz", datatype: "INT64", shape: [2, 1], data: [1, 2] },
      { name: "i64_out", datatype: "INT64", shape: [1], data: [3] },
    ]);
  });

  it("is 404 for an unknown model or version, with the protocol's error body", async () => {
    const request = jsonRequest({ inputs: [{ name: "x", shape: [1, 8], datatype: "FP32", data: new Array(8).fill(0) }] });
    const unknown = await infer(server.app, "nope", request);
    expect([unknown.statusCode, unknown.json()]).toEqual([404, { error: 'model "nope" is not served here; the models are "sample", "dtypes"' }]);
    const version = await infer(server.app, "sample", request, "3");
    expect([version.statusCode, version.json()]).toEqual([404, { error: 'model "sample" has no version "3"; it serves version "1"' }]);
  });
});

describe("buildServer options", () => {
  it("refuses a model name that cannot go in a URL, a name given twice, and no models at all", () => {
    expect(() => buildServer({ models: [{ name: "a/b", module: sample }] })).toThrow(/model name "a\/b" is not allowed/);
    expect(() => buildServer({ models: [{ name: "m", module: sample }, { name: "m", module: dtypes }] })).toThrow(/model "m" is given more than once/);
    expect(() => buildServer({ models: [] })).toThrow(/at least one model/);
    expect(() => buildServer({ models: [{ name: "m", module: sample, maxQueue: -1 }] })).toThrow(/maxQueue must be an integer of at least 0/);
    expect(() => buildServer({ models: [{ name: "m", module: sample }], bodyLimit: 0 })).toThrow(/bodyLimit must be a positive integer/);
  });
});
