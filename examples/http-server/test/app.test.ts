// The HTTP routes in-process (fastify.inject), over a real pool on the
// emulator: results, status codes for every kind of bad request, draining.
import { fileURLToPath } from "node:url";
import { emulatorLibraryPath } from "@trt/emulator";
import { setRuntime, TensorRTEnvironment } from "@trt/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reference, SAMPLE_INPUT } from "../../engines/sample.mjs";
import { buildApp } from "../app.mjs";
import { ModulePool } from "../pool.mjs";

const sample = fileURLToPath(new URL("../../engines/sample.trtengine", import.meta.url));
let pool: ModulePool;

beforeAll(async () => {
  setRuntime("ffi");
  TensorRTEnvironment.setDefault(new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10) }));
  pool = await ModulePool.load(sample, { size: 1, maxQueue: 0 });
});
afterAll(async () => {
  await pool.close();
  TensorRTEnvironment.setDefault(undefined);
  setRuntime(undefined);
});

const x = { data: Array.from(SAMPLE_INPUT.data), shape: [2, 8] };

describe("examples/http-server routes", () => {
  it("POST /infer runs the engine", async () => {
    const { app } = buildApp({ pool });
    const res = await app.inject({ method: "POST", url: "/infer", payload: { inputs: { x } } });
    expect(res.statusCode).toBe(200);
    expect(res.json().outputs).toEqual({ y: { dtype: "float", shape: [2, 4], data: reference(SAMPLE_INPUT.data, 2) } });
  });

  it("GET /healthz reports the pool", async () => {
    const { app } = buildApp({ pool });
    const res = await app.inject({ method: "GET", url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok", requests: 0, size: 1, busy: 0, queued: 0 });
  });

  it.each([
    ["no inputs field", {}, "BAD_REQUEST"],
    ["a tensor without a shape", { inputs: { x: { data: [1] } } }, "BAD_REQUEST"],
    ["an unknown input", { inputs: { z: x } }, "INVALID_INPUT"],
    ["a shape outside the profile", { inputs: { x: { data: new Array(17 * 8).fill(0), shape: [17, 8] } } }, "INVALID_INPUT"],
    ["data that does not fill the shape", { inputs: { x: { data: [1, 2], shape: [2, 8] } } }, "INVALID_INPUT"],
  ])("answers 400 to %s", async (_what, payload, error) => {
    const { app } = buildApp({ pool });
    const res = await app.inject({ method: "POST", url: "/infer", payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe(error);
  });

  it("answers 503 with Retry-After when every module is busy and the queue is full", async () => {
    const { app } = buildApp({ pool });
    let release!: () => void;
    const held = pool.use(() => new Promise<void>((resolve) => (release = resolve)));
    const res = await app.inject({ method: "POST", url: "/infer", payload: { inputs: { x } } });
    release();
    await held;
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("1");
    expect(res.json().error).toBe("POOL_FULL");
  });
});
