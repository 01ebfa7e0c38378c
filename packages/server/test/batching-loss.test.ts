// 10^5 inference requests through the real admission gates, schedulers and
// dynamic batching (in process, no sockets: the transport is not what is
// tested here) on three models of the emulator's sample engine: batching with
// no delay and preferred sizes, batching with a queue delay, and no batching.
// Requests of 1 to 4 rows come in waves of 400, some with a timeout (some of
// them 1 µs, which a request that has to wait always outlasts), some
// whose client leaves (at once, or after the rest of the wave is queued);
// one model's queue is small enough to turn requests away. Every request must
// end exactly one way, every answer must be its own request's result, and
// each model's counters must add up: no request lost, answered twice, or run
// twice.
import { setImmediate } from "node:timers/promises";
import { TensorRTModule } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueueFullError, ClientGoneError, Departure, DeadlineExceededError, runInference, ServedModel } from "../src/index.js";
import { reference, sampleEngine, seeded, useEmulator } from "./support/fixtures.js";

let restore: () => void;
beforeAll(() => {
  restore = useEmulator();
});
afterAll(() => restore());

const TOTAL = 100_000;
const WAVE = 400;

type Outcome = "ok" | "deadline" | "gone" | "full";

describe(`${TOTAL} mixed requests with random disconnects and timeouts`, () => {
  it("are each answered once with their own result, or accounted for as timed out, abandoned or turned away", async () => {
    await using m0 = await TensorRTModule.load(sampleEngine, { maxConcurrency: 2 });
    await using m1 = await TensorRTModule.load(sampleEngine, { maxConcurrency: 1 });
    await using m2 = await TensorRTModule.load(sampleEngine, { maxConcurrency: 2 });
    const models = [
      new ServedModel({ name: "nodelay", module: m0, maxQueue: 300, dynamicBatching: { preferredBatchSizes: [4, 8] } }),
      new ServedModel({ name: "delay", module: m1, maxQueue: 300, maxBatchSize: 12, dynamicBatching: { maxQueueDelayMicroseconds: 300 } }),
      new ServedModel({ name: "alone", module: m2, maxQueue: 40 }),
    ];
    const random = seeded(100_026);
    const outcomes: Record<Outcome, number[]> = { ok: [0, 0, 0], deadline: [0, 0, 0], gone: [0, 0, 0], full: [0, 0, 0] };
    const okRows = [0, 0, 0];
    const settled = new Uint8Array(TOTAL);
    const wrong: string[] = [];

    for (let start = 0; start < TOTAL; start += WAVE) {
      const wave: Promise<void>[] = [];
      const later: Departure[] = [];
      for (let i = start; i < Math.min(TOTAL, start + WAVE); i++) {
        const which = Math.floor(random() * 3);
        const model = models[which]!;
        const rows = 1 + Math.floor(random() * 4);
        // Quarter-grid values: the reference is exact.
        const x = Float32Array.from({ length: rows * 8 }, () => Math.floor(random() * 17 - 8) / 4);
        const roll = random();
        // A timeout of 1 µs has passed by the time a request that had to wait could run: such a request never runs.
        const timeout = roll < 0.05 ? 1 : roll < 0.1 ? Math.floor(random() * 2000) : null;
        const controller = roll >= 0.1 && roll < 0.2 ? new Departure() : null;
        const answer = runInference(
          model,
          () => ({
            request: { id: String(i), inputs: [{ name: "x", shape: [rows, 8], datatype: "FP32", data: undefined, binaryDataSize: x.byteLength }], outputs: null, binaryDataOutput: true, timeoutMicroseconds: timeout },
            bytes: [Buffer.from(x.buffer)],
          }),
          (outputs) => outputs,
          controller ?? undefined,
        );
        const end = (outcome: Outcome) => {
          settled[i]!++;
          outcomes[outcome][which]!++;
        };
        wave.push(
          answer.then(
            (outputs) => {
              end("ok");
              okRows[which]! += rows;
              const y = outputs[0]!;
              const want = reference(x, rows);
              if (y.shape.join() !== `${rows},4` || Array.from(y.raw as Float32Array).join() !== want.join()) wrong.push(`request ${i} on ${model.name}`);
            },
            (error: unknown) => {
              if (error instanceof DeadlineExceededError) end("deadline");
              else if (error instanceof ClientGoneError) end("gone");
              else if (error instanceof QueueFullError) end("full");
              else wrong.push(`request ${i} on ${model.name} failed: ${String(error)}`);
            },
          ),
        );
        if (controller) {
          if (random() < 0.5) controller.leave();
          else later.push(controller);
        }
      }
      // The rest of the wave's leavers go once every request of the wave is queued or running.
      await setImmediate();
      for (const c of later) c.leave();
      await Promise.all(wave);
    }

    expect(wrong).toEqual([]);
    // Every request ended exactly once.
    expect(settled.every((n) => n === 1)).toBe(true);
    const total = (o: Outcome) => outcomes[o].reduce((a, b) => a + b, 0);
    expect(total("ok") + total("deadline") + total("gone") + total("full")).toBe(TOTAL);
    // Each kind of ending happened (a client leaving at once is always still queued: the wave was pushed in one go).
    expect(total("gone")).toBeGreaterThan(0);
    expect(total("deadline")).toBeGreaterThan(0);
    expect(outcomes.full[2]).toBeGreaterThan(0);

    models.forEach((model, k) => {
      const stats = model.statistics.toJson(model.name, "1");
      // Each answered request was charged to exactly one run, and each run is one of the module's.
      expect(stats.inference_stats.compute_infer.count, model.name).toBe(outcomes.ok[k]);
      expect(stats.inference_stats.success.count, model.name).toBe(outcomes.ok[k]);
      expect(stats.inference_stats.fail.count, model.name).toBe(outcomes.deadline[k]! + outcomes.gone[k]!);
      expect(stats.execution_count, model.name).toBe(model.module.stats.runs);
      expect(stats.inference_count, model.name).toBe(model.batching ? okRows[k] : outcomes.ok[k]);
      expect(stats.batch_stats.reduce((n, b) => n + b.compute_infer.count, 0)).toBe(stats.execution_count);
      // Nothing left behind.
      expect([model.scheduler.queued, model.scheduler.running, model.admission.stats.admitted], model.name).toEqual([0, 0, 0]);
    });
    // The batching models really batched.
    expect(models[0]!.statistics.toJson("", "").execution_count).toBeLessThan(outcomes.ok[0]!);
    expect(models[1]!.statistics.toJson("", "").execution_count).toBeLessThan(outcomes.ok[1]!);
    console.log(`[@trt/server] ${TOTAL} requests: ${JSON.stringify(outcomes)}; runs ${models.map((m) => `${m.name} ${m.module.stats.runs}`).join(", ")}`);
  });
});
