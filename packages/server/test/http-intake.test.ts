// HTTP on intake threads (--http-threads): requests that threads receive on
// their own sockets are answered by the main thread exactly as its own
// listener would answer them (compared byte for byte with the in-process
// answer), bodies over the limit are refused by the threads, a client that
// leaves takes its waiting request out of the queue, and close() answers what
// is in flight before the threads stop.
import { request as httpRequest } from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import { TensorRTModule } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer, startHttpIntake } from "../src/index.js";
import type { HttpIntake, InferenceServer } from "../src/index.js";
import { parseServerArgs } from "../src/cli/args.js";
import { sampleEngine, sampleInput, useEmulator } from "./support/fixtures.js";
import { binaryRequest, infer, jsonRequest } from "./support/requests.js";
import type { RawRequest } from "./support/requests.js";
import { until } from "./support/until.js";

const BODY_LIMIT = 64 * 1024;

let restore: () => void;
let sample: TensorRTModule;
let server: InferenceServer;
let intake: HttpIntake;

beforeAll(async () => {
  restore = useEmulator();
  sample = await TensorRTModule.load(sampleEngine);
  server = buildServer({
    models: [
      { name: "sample", module: sample },
      // Waits up to a minute for a batch to fill: a request stays queued until its client leaves.
      { name: "slow", module: sample, dynamicBatching: { maxQueueDelayMicroseconds: 60_000_000 } },
    ],
    bodyLimit: BODY_LIMIT,
    serverTiming: true,
  });
  intake = await startHttpIntake(server, { host: "127.0.0.1", port: 0, threads: 2 });
});
afterAll(async () => {
  await intake.close();
  await server.app.close();
  sample.release();
  restore();
});

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request over a socket to `origin` (default: the shared intake); `chunked` sends the body without a Content-Length. */
function send(method: string, path: string, raw?: RawRequest, chunked = false, origin = intake.origin): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(raw?.headers ?? {}) };
    if (raw && !chunked) headers["content-length"] = String(raw.payload.length);
    const req = httpRequest(`${origin}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (raw && chunked) {
      // Two writes: the body arrives in more than one chunk.
      const half = raw.payload.length >> 1;
      req.write(raw.payload.subarray(0, half));
      req.end(raw.payload.subarray(half));
    } else {
      req.end(raw?.payload);
    }
  });
}

const inferPath = (model: string) => `/v2/models/${model}/infer`;

describe("requests through intake threads", () => {
  it("answer inference requests byte for byte as the main thread's own routes do, JSON and binary, chunked or not", async () => {
    for (let i = 0; i < 12; i++) {
      const { data, shape } = sampleInput(i);
      const raw =
        i % 2 === 0
          ? jsonRequest({ inputs: [{ name: "x", shape, datatype: "FP32", data }] })
          : binaryRequest({ inputs: [{ name: "x", shape, datatype: "FP32", parameters: { binary_data_size: data.length * 4 } }], outputs: [{ name: "y", parameters: { binary_data: true } }] }, [
              Float32Array.from(data),
            ]);
      const direct = await infer(server.app, "sample", raw);
      const through = await send("POST", inferPath("sample"), raw, i % 3 === 0);
      expect(through.status).toBe(200);
      expect(through.body.equals(direct.rawPayload)).toBe(true);
      expect(through.headers["content-type"]).toBe(direct.headers["content-type"]);
      expect(through.headers["inference-header-content-length"]).toBe(direct.headers["inference-header-content-length"]);
      expect(Number(through.headers["content-length"])).toBe(direct.rawPayload.length);
    }
  });

  it("answer the other routes and errors as the main thread does", async () => {
    const bad = jsonRequest({ inputs: [{ name: "x", shape: [1, 3], datatype: "FP32", data: [1, 2, 3] }] });
    const cases: Array<[string, string, RawRequest | undefined]> = [
      ["GET", "/v2/health/ready", undefined],
      ["GET", "/v2/models/sample", undefined],
      ["GET", "/v2/nowhere", undefined],
      ["GET", inferPath("sample"), undefined],
      ["POST", inferPath("sample"), bad],
      ["POST", inferPath("missing"), bad],
    ];
    for (const [method, url, raw] of cases) {
      const direct = await server.app.inject({ method: method as "GET", url, ...(raw ? { payload: raw.payload, headers: raw.headers } : {}) });
      const through = await send(method, url, raw);
      expect(`${method} ${url} ${through.status}`).toBe(`${method} ${url} ${direct.statusCode}`);
      expect(through.body.toString()).toBe(direct.body);
      if (direct.headers.allow !== undefined) expect(through.headers.allow).toBe(direct.headers.allow);
    }
  });

  it("refuse a body over the limit in the thread, with the main thread's answer", async () => {
    const big = jsonRequest({ inputs: [{ name: "x", shape: [1, 8], datatype: "FP32", data: new Array(20_000).fill(1.25) }] });
    expect(big.payload.length).toBeGreaterThan(BODY_LIMIT);
    const direct = await infer(server.app, "sample", big);
    const through = await send("POST", inferPath("sample"), big);
    expect(through.status).toBe(413);
    expect(through.body.toString()).toBe(direct.body);
    const chunked = await send("POST", inferPath("sample"), big, true);
    expect(chunked.status).toBe(413);
  });

  it("add the thread's own receive time to Server-Timing", async () => {
    const { data, shape } = sampleInput(3);
    const through = await send("POST", inferPath("sample"), jsonRequest({ inputs: [{ name: "x", shape, datatype: "FP32", data }] }));
    expect(through.headers["server-timing"]).toMatch(/^receive;dur=\d+\.\d{3}, handle;dur=\d+\.\d{3}, intake;dur=\d+\.\d{3}$/);
  });

  it("take a waiting request out of the queue when its client leaves", async () => {
    const slow = server.models.get("slow")!;
    const before = slow.statistics.toJson("slow", "1");
    const { data, shape } = sampleInput(0);
    const raw = jsonRequest({ inputs: [{ name: "x", shape, datatype: "FP32", data }] });
    const req = httpRequest(`${intake.origin}${inferPath("slow")}`, { method: "POST", headers: { ...raw.headers, "content-length": String(raw.payload.length) }, agent: false });
    req.on("error", () => {});
    req.end(raw.payload);
    await until(() => slow.admission.stats.admitted === 1);
    req.destroy();
    // Without the thread's word the request would wait out the minute, then run and count as a success.
    await until(() => slow.statistics.toJson("slow", "1").inference_stats.fail.count === before.inference_stats.fail.count + 1);
    const after = slow.statistics.toJson("slow", "1");
    expect(after.execution_count).toBe(before.execution_count);
    expect(after.inference_stats.success.count).toBe(before.inference_stats.success.count);
    expect(slow.admission.stats.admitted).toBe(0);
  });
});

describe("closing the intake", () => {
  it("answers a request in flight, then refuses new connections", async () => {
    const own = buildServer({ models: [{ name: "slow", module: sample, dynamicBatching: { maxQueueDelayMicroseconds: 200_000 } }] });
    const threads = await startHttpIntake(own, { host: "127.0.0.1", port: 0, threads: 1 });
    const { data, shape } = sampleInput(5);
    const raw = jsonRequest({ inputs: [{ name: "x", shape, datatype: "FP32", data }] });
    const answered = send("POST", inferPath("slow"), raw, false, threads.origin);
    await until(() => own.models.get("slow")!.admission.stats.admitted === 1);
    const closed = threads.close();
    const answer = await answered;
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe("close");
    await closed;
    const refused = await new Promise<string>((resolve) => {
      const req = httpRequest(`${threads.origin}/v2/health/live`, { agent: false }, () => resolve("answered"));
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      req.end();
    });
    expect(refused).toBe("ECONNREFUSED");
    await own.app.close();
  });

  it("refuses a thread count out of range", async () => {
    await expect(startHttpIntake(server, { host: "127.0.0.1", port: 0, threads: 0 })).rejects.toThrow(/threads must be an integer from 1 to 64/);
  });
});

describe("--http-threads", () => {
  const base = ["--model", "m=/x.plan"];
  it("is 0 (the main thread's own listener) unless given", () => {
    const parsed = parseServerArgs(base);
    expect(parsed.kind === "serve" && parsed.args.httpThreads).toBe(0);
    const four = parseServerArgs([...base, "--http-threads", "4"]);
    expect(four.kind === "serve" && four.args.httpThreads).toBe(4);
  });
  it("refuses what is not a thread count", () => {
    expect(() => parseServerArgs([...base, "--http-threads", "65"])).toThrow(/at most 64/);
    expect(() => parseServerArgs([...base, "--http-threads", "two"])).toThrow(/--http-threads must be an integer/);
  });
});
