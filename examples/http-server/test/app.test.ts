// The HTTP routes in-process (fastify.inject), over one module of the sample
// engine on the emulator: results, status codes for every kind of bad
// request, requests sharing the module's execution contexts, the bounded
// queue, and close() draining before the module is released.
import { setImmediate } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { emulatorLibraryPath } from "@trt/emulator";
import { setRuntime, TensorRTEnvironment, TensorRTModule } from "@trt/sdk";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reference, SAMPLE_INPUT } from "../../engines/sample.mjs";
import { buildApp } from "../app.mjs";

const sample = fileURLToPath(new URL("../../engines/sample.trtengine", import.meta.url));
let module: TensorRTModule;

beforeAll(async () => {
  setRuntime("ffi");
  TensorRTEnvironment.setDefault(new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10) }));
  module = await TensorRTModule.load(sample, { maxConcurrency: 2 });
});
afterAll(() => {
  module.release();
  TensorRTEnvironment.setDefault(undefined);
  setRuntime(undefined);
});

const x = { data: Array.from(SAMPLE_INPUT.data), shape: [2, 8] };

/** Request i's input: batch i + 1, values on a quarter grid (so the reference is exact), different per request. */
function inputFor(i: number): { data: number[]; shape: number[] } {
  const batch = i + 1;
  return { data: Array.from({ length: batch * 8 }, (_, k) => (((k * 5 + i * 3) % 17) - 8) / 4), shape: [batch, 8] };
}

/**
 * Holds every `m.run()` call until `open()`, then makes them all in the same tick. On the emulator in host
 * mode an inference finishes within the tick it starts in, so requests arriving one by one would never
 * meet inside the module; held and let go together, they do (on a GPU they overlap on their own).
 */
function holdRuns(m: TensorRTModule) {
  const run = m.run.bind(m);
  const held: Array<() => void> = [];
  const arrived: Array<() => void> = [];
  m.run = (...args) =>
    new Promise((resolve, reject) => {
      held.push(() => void run(...args).then(resolve, reject));
      for (const wake of arrived.splice(0)) wake();
    });
  return {
    /** Resolves once `n` calls are being held. */
    async until(n: number): Promise<void> {
      while (held.length < n) await new Promise<void>((resolve) => arrived.push(resolve));
    },
    /** Stops holding, and makes the held calls. */
    open(): void {
      m.run = run;
      for (const call of held.splice(0)) call();
    },
  };
}

const post = (app: ReturnType<typeof buildApp>["app"], input: object): Promise<LightMyRequestResponse> =>
  app.inject({ method: "POST", url: "/infer", payload: { inputs: { x: input } } });

describe("examples/http-server routes", () => {
  it("POST /infer runs the engine", async () => {
    const { app } = buildApp({ module, maxQueue: 4 });
    const res = await post(app, x);
    expect(res.statusCode).toBe(200);
    expect(res.json().outputs).toEqual({ y: { dtype: "float", shape: [2, 4], data: reference(SAMPLE_INPUT.data, 2) } });
  });

  it("GET /healthz reports the admission gate and the module's concurrency", async () => {
    const { app } = buildApp({ module, maxQueue: 4 });
    const res = await app.inject({ method: "GET", url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: "ok",
      requests: 0,
      admission: { admitted: 0, capacity: 6 },
      concurrency: { ...module.stats.concurrency, limit: 2, inFlight: 0, queued: 0 },
    });
  });

  it.each([
    ["no inputs field", {}, "BAD_REQUEST"],
    ["a tensor without a shape", { inputs: { x: { data: [1] } } }, "BAD_REQUEST"],
    ["an unknown input", { inputs: { z: x } }, "INVALID_INPUT"],
    ["a shape outside the profile", { inputs: { x: { data: new Array(17 * 8).fill(0), shape: [17, 8] } } }, "INVALID_INPUT"],
    ["data that does not fill the shape", { inputs: { x: { data: [1, 2], shape: [2, 8] } } }, "INVALID_INPUT"],
  ])("answers 400 to %s", async (_what, payload, error) => {
    const { app } = buildApp({ module, maxQueue: 4 });
    const res = await app.inject({ method: "POST", url: "/infer", payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe(error);
  });

  it.each([
    ["cut short", '{"inputs": '],
    ["not JSON at all", "inputs=x"],
  ])("answers 400 to a body that is not valid JSON (%s), saying so", async (_what, payload) => {
    const { app } = buildApp({ module, maxQueue: 4 });
    const res = await app.inject({ method: "POST", url: "/infer", headers: { "content-type": "application/json" }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: "BAD_REQUEST", message: "the request body is not valid JSON" });
    expect(module.stats.concurrency.inFlight).toBe(0);
  });

  it("keeps the 4xx of fastify's other refusals: an unsupported content type is 415, a body over the limit 413", async () => {
    const { app } = buildApp({ module, maxQueue: 4 });
    const runs = module.stats.runs;
    const xml = await app.inject({ method: "POST", url: "/infer", headers: { "content-type": "application/xml" }, payload: "<inputs/>" });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ error: "UNSUPPORTED_MEDIA_TYPE", message: expect.stringMatching(/unsupported media type/i) });
    // Past the app's 16 MiB limit: refused from its length, before the route (and the engine) runs.
    const big = `{"inputs": {}, "pad": "${"x".repeat(16 * 1024 * 1024)}"}`;
    const tooLarge = await app.inject({ method: "POST", url: "/infer", headers: { "content-type": "application/json" }, payload: big });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ error: "PAYLOAD_TOO_LARGE", message: expect.stringMatching(/too large/i) });
    expect(module.stats.runs).toBe(runs);
  });

  it("rejects a negative maxQueue", () => {
    expect(() => buildApp({ module, maxQueue: -1 })).toThrow(RangeError);
  });
});

describe("examples/http-server: one module, N contexts, a bounded queue", () => {
  const N = 3;
  const maxQueue = 2;

  it(`runs ${N} requests at once on one module, lets ${maxQueue} wait in it, and answers the next 503`, async () => {
    await using m = await TensorRTModule.load(sample, { maxConcurrency: N });
    const { app } = buildApp({ module: m, maxQueue });
    const hold = holdRuns(m);
    const admitted = Array.from({ length: N + maxQueue }, (_, i) => post(app, inputFor(i)));
    await hold.until(N + maxQueue);

    // Every slot is taken: the next request is turned away at once, with a reason and a time to retry.
    const refused = await post(app, inputFor(0));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(refused.json()).toMatchObject({ error: "QUEUE_FULL", message: expect.stringContaining(`${N + maxQueue} requests`) });
    const health = await app.inject({ method: "GET", url: "/healthz" });
    expect(health.json()).toMatchObject({ requests: N + maxQueue, admission: { admitted: N + maxQueue, capacity: N + maxQueue } });

    hold.open();
    // Inside the module now: N running, each on a context and stream of its own, the rest waiting there.
    expect(m.stats.concurrency).toEqual({ limit: N, lanes: N, inFlight: N, peakInFlight: N, queued: maxQueue });
    const answers = await Promise.all(admitted);
    answers.forEach((res, i) => {
      expect(res.statusCode).toBe(200);
      expect(res.json().outputs.y).toEqual({ dtype: "float", shape: [i + 1, 4], data: reference(inputFor(i).data, i + 1) });
    });
    // One engine, N execution contexts: the waiting requests reused them.
    expect(m.stats).toMatchObject({ enginesCreated: 1, contextsCreated: N, runs: N + maxQueue });
    expect(m.stats.concurrency).toEqual({ limit: N, lanes: N, inFlight: 0, peakInFlight: N, queued: 0 });

    // The slots are free again.
    expect((await post(app, inputFor(1))).statusCode).toBe(200);
  });

  it("close() resolves only after the inferences in progress, so the module can be released right after", async () => {
    const m = await TensorRTModule.load(sample, { maxConcurrency: N });
    const { app } = buildApp({ module: m, maxQueue });
    const hold = holdRuns(m);
    const inProgress = Array.from({ length: N + 1 }, (_, i) => post(app, inputFor(i)));
    await hold.until(N + 1);

    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await setImmediate();
    expect(closed).toBe(false);

    hold.open();
    await closing;
    // Every inference was done when close() resolved, and every request got its answer.
    expect(m.stats.concurrency).toMatchObject({ inFlight: 0, queued: 0, peakInFlight: N });
    expect(m.stats.runs).toBe(N + 1);
    m.release();
    expect(m.released).toBe(true);
    const answers = await Promise.all(inProgress);
    answers.forEach((res, i) => {
      expect(res.statusCode).toBe(200);
      expect(res.json().outputs.y.data).toEqual(reference(inputFor(i).data, i + 1));
    });
  });
});
