/**
 * Large request bodies live in reused memory (protocol/body-pool.ts). What
 * must hold: a body is only ever lent to one request at a time, a body given
 * back twice or never lent is ignored, a failed read gives its memory back,
 * and through the server every answer is its own request's, with requests
 * in flight together and memory reused between them.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import type { IncomingMessage } from "node:http";
import { TensorRTModule } from "@trt/runtime";
import type { ComputeDevice } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildServer } from "../src/index.js";
import { BodyPool, POOLED_BODY_MAX_BYTES, POOLED_BODY_MIN_BYTES } from "../src/protocol/body-pool.js";
import { readBody } from "../src/protocol/read-body.js";
import { pinnedMemory } from "../src/pinned-memory.js";
import { identityPlan, seeded, useEmulator } from "./support/fixtures.js";
import { binaryRequest, holdRuns, infer, readResponse } from "./support/requests.js";
import { until } from "./support/until.js";

const LARGE = 256 * 1024;

describe("the body pool", () => {
  it("lends given-back memory again, only to one body at a time, and ignores memory it did not lend", () => {
    const pool = new BodyPool(16 * 1024 * 1024);
    const a = pool.take(LARGE);
    const b = pool.take(LARGE);
    expect(a.length).toBe(LARGE);
    expect(a.buffer).not.toBe(b.buffer);
    pool.give(a);
    pool.give(a); // a second give of the same memory changes nothing
    expect(pool.idle.buffers).toBe(1);
    const c = pool.take(LARGE - 100);
    expect(c.buffer).toBe(a.buffer);
    expect(c.length).toBe(LARGE - 100);
    // Lent again, so it is not idle; and the next take gets other memory.
    expect(pool.take(LARGE).buffer).not.toBe(a.buffer);
    pool.give(Buffer.allocUnsafeSlow(LARGE));
    pool.give(undefined);
    expect(pool.idle.buffers).toBe(0);
  });

  it("leaves small and very large bodies to the allocator, and reuses a buffer only up to twice the size asked", () => {
    const pool = new BodyPool(64 * 1024 * 1024);
    const small = pool.take(POOLED_BODY_MIN_BYTES - 1);
    const huge = pool.take(POOLED_BODY_MAX_BYTES + 1);
    pool.give(small);
    pool.give(huge);
    expect(pool.idle.buffers).toBe(0);
    const big = pool.take(4 * LARGE);
    pool.give(big);
    expect(pool.take(LARGE).buffer).not.toBe(big.buffer);
    expect(pool.take(3 * LARGE).buffer).toBe(big.buffer);
  });

  it("takes new memory from the allocator it is given, pinned or, where pinning fails, ordinary", () => {
    const lent: Uint8Array[] = [];
    const device = { allocatePinned: (bytes: number) => lent[lent.push(new Uint8Array(bytes)) - 1]! } as unknown as ComputeDevice;
    const pool = new BodyPool(16 * 1024 * 1024, pinnedMemory(() => device));
    const body = pool.take(LARGE);
    expect(lent).toHaveLength(1);
    expect(body.buffer).toBe(lent[0]!.buffer);
    // Small bodies are not pooled, so not pinned either.
    pool.take(1024);
    expect(lent).toHaveLength(1);
    const refusing = { allocatePinned: () => { throw new Error("cudaMallocHost failed"); } } as unknown as ComputeDevice;
    expect(pinnedMemory(() => refusing)(LARGE).byteLength).toBe(LARGE);
    expect(pinnedMemory(() => undefined)(LARGE).byteLength).toBe(LARGE);
  });

  it("keeps no more idle memory than its bound", () => {
    const pool = new BodyPool(2 * LARGE);
    const bodies = [pool.take(LARGE), pool.take(LARGE), pool.take(LARGE)];
    for (const b of bodies) pool.give(b);
    expect(pool.idle).toEqual({ buffers: 2, bytes: 2 * LARGE });
  });

  it("gives a body's memory back when reading it fails, and lends the whole body when it succeeds", async () => {
    const pool = new BodyPool(16 * 1024 * 1024);
    const request = (length: number, sent: number) => {
      const stream = new PassThrough() as unknown as IncomingMessage & PassThrough;
      (stream as { headers: Record<string, string> }).headers = { "content-length": String(length) };
      stream.end(Buffer.alloc(sent, 7));
      return stream;
    };
    await expect(readBody(request(LARGE, LARGE + 10), 10 * LARGE, pool)).rejects.toThrow(/longer than its Content-Length/);
    expect(pool.idle.buffers).toBe(1);
    const body = await readBody(request(LARGE, LARGE), 10 * LARGE, pool);
    expect(pool.idle.buffers).toBe(0);
    expect(body.length).toBe(LARGE);
    expect(body.every((byte) => byte === 7)).toBe(true);
  });
});

describe("the server with pooled bodies", () => {
  let restore: () => void;
  const tmp = mkdtempSync(join(tmpdir(), "trt-body-pool-"));
  beforeAll(() => {
    restore = useEmulator();
    writeFileSync(join(tmp, "identity.engine"), identityPlan(64 * 1024));
  });
  afterAll(() => {
    restore();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("answers every large request with its own data, in flight together, batched and alone, over several rounds of reuse", async () => {
    await using alone = await TensorRTModule.load(join(tmp, "identity.engine"), { maxConcurrency: 4 });
    // One run at a time: the first request's run is held, every other request waits in the queue.
    await using batched = await TensorRTModule.load(join(tmp, "identity.engine"), { maxConcurrency: 1 });
    const { app, models } = buildServer({
      models: [
        { name: "alone", module: alone, maxQueue: 100 },
        { name: "batched", module: batched, dynamicBatching: {}, maxQueue: 100 },
      ],
    });
    const pinnedBefore = alone.device.pinnedBytes;
    // Which memory each body got: reuse must have happened for the test to mean anything.
    const seen = new Set<ArrayBufferLike>();
    let reused = 0;
    const take = BodyPool.prototype.take;
    const spy = vi.spyOn(BodyPool.prototype, "take").mockImplementation(function (this: BodyPool, bytes: number) {
      const body = take.call(this, bytes);
      if (seen.has(body.buffer)) reused++;
      seen.add(body.buffer);
      return body;
    });
    const random = seeded(77);
    for (let round = 0; round < 3; round++) {
      for (const model of ["alone", "batched"] as const) {
        // 8192 rows of 8 floats: 256 KB of tensor data a request, a pooled body.
        const inputs = Array.from({ length: 6 }, () => Float32Array.from({ length: 8192 * 8 }, () => random()));
        // Half the requests first; the other half arrives while the first are held in their runs, so a
        // body given back too early would be lent to a newcomer and overwritten before its run.
        const hold = holdRuns(model === "alone" ? alone : batched);
        const send = (x: Float32Array) =>
          infer(app, model, binaryRequest({ inputs: [{ name: "x", shape: [8192, 8], datatype: "FP32", parameters: { binary_data_size: x.byteLength } }], parameters: { binary_data_output: true } }, [x]));
        const answers = inputs.slice(0, 3).map(send);
        await hold.until(model === "alone" ? 3 : 1);
        answers.push(...inputs.slice(3).map(send));
        const scheduler = models.get(model)!.scheduler;
        await until(() => scheduler.queued === (model === "alone" ? 2 : 5));
        hold.open();
        for (const [i, res] of (await Promise.all(answers)).entries()) {
          expect(res.statusCode, `${model} round ${round} request ${i}`).toBe(200);
          const y = readResponse(res).binary.y!;
          expect(Buffer.compare(y, Buffer.from(inputs[i]!.buffer)), `${model} round ${round} request ${i}`).toBe(0);
        }
      }
    }
    spy.mockRestore();
    expect(reused).toBeGreaterThanOrEqual(20);
    // The bodies and stacked batches are the device's pinned memory (held by the pools, so not yet freed).
    expect(alone.device.pinnedBytes - pinnedBefore).toBeGreaterThanOrEqual(6 * 256 * 1024);
    await app.close();
  });
});
