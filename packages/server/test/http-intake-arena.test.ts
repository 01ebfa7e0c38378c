// Bodies on intake threads go through an arena both threads see
// (src/intake/intake-bodies.ts), pinned where the device allows: the main
// thread reads each as an offset, and a batch of them reaches the engine in
// parts (no stacking copy), as the main listener's pinned bodies do. Ranges
// are given back with each answer: after more traffic than the arena holds,
// a batch still comes from it. Every answer equals the in-process one.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TensorRTModule } from "@trt/runtime";
import type { RunInputs } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer, startHttpIntake } from "../src/index.js";
import type { HttpIntake, InferenceServer } from "../src/index.js";
import { seeded, useEmulator, WIDE_ROW, widePlan } from "./support/fixtures.js";
import { binaryRequest, holdRuns, infer } from "./support/requests.js";
import type { RawRequest } from "./support/requests.js";
import { until } from "./support/until.js";

/** A row of 64 KiB: bodies of a few rows are well inside the arena's range of sizes. */
const K = WIDE_ROW;
const random = seeded(41);

let restore: () => void;
const tmp = mkdtempSync(join(tmpdir(), "trt-intake-arena-"));
let module: TensorRTModule;
let server: InferenceServer;
let intake: HttpIntake;
/** How each run's input came: parts (how many), or one array (a request's own, or a stacked batch). */
const given: Array<number | "one array"> = [];

beforeAll(async () => {
  restore = useEmulator();
  const plan = join(tmp, "wide.engine");
  writeFileSync(plan, widePlan(64));
  module = await TensorRTModule.load(plan, { maxConcurrency: 1 });
  const run = module.run.bind(module);
  module.run = (inputs: RunInputs, options) => {
    const x = (inputs as Record<string, { parts?: readonly unknown[] }>).x!;
    given.push(x.parts ? x.parts.length : "one array");
    return run(inputs, options);
  };
  server = buildServer({ models: [{ name: "wide", module, dynamicBatching: {}, maxQueue: 100 }] });
  intake = await startHttpIntake(server, { host: "127.0.0.1", port: 0, threads: 1 });
});
afterAll(async () => {
  await intake.close();
  await server.app.close();
  module.release();
  restore();
  rmSync(tmp, { recursive: true, force: true });
});

function request(rows: number): RawRequest {
  const x = Float32Array.from({ length: rows * K }, () => (random() - 0.5) * 4);
  return binaryRequest({ inputs: [{ name: "x", shape: [rows, K], datatype: "FP32", parameters: { binary_data_size: x.byteLength } }], parameters: { binary_data_output: true } }, [x]);
}

function post(raw: RawRequest): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${intake.origin}/v2/models/wide/infer`, { method: "POST", headers: { ...raw.headers, "content-length": String(raw.payload.length) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(raw.payload);
  });
}

describe("bodies on intake threads", () => {
  it("reach the engine from the arena: a held batch goes in parts, after more traffic than the arena holds, each answer as in-process", { timeout: 120_000 }, async () => {
    // 80 requests of 8 rows (512 KiB each, 40 MiB in all) through a 32 MiB arena, one at a time: ranges must come back.
    for (let i = 0; i < 80; i++) {
      const raw = request(8);
      const answer = await post(raw);
      expect(answer.status).toBe(200);
      if (i % 20 === 0) expect(answer.body.equals((await infer(server.app, "wide", raw)).rawPayload)).toBe(true);
    }
    given.length = 0;
    const hold = holdRuns(module);
    // As large as the first ones: were ranges never given back, these would not fit in what is left.
    const requests = Array.from({ length: 6 }, () => request(8));
    const answers = requests.map((raw) => post(raw));
    await hold.until(1);
    await until(() => server.models.get("wide")!.scheduler.queued === requests.length - 1);
    hold.open();
    for (const [i, answer] of (await Promise.all(answers)).entries()) {
      expect(answer.status).toBe(200);
      expect(answer.body.equals((await infer(server.app, "wide", requests[i]!)).rawPayload), `answer ${i}`).toBe(true);
    }
    // The first ran alone on its own body; the five held behind it went as one run of five parts.
    expect(given.slice(0, 2)).toEqual(["one array", 5]);
  });
});
