// Dynamic batching on the emulator: requests held back while the engine is
// busy run together as one engine run, and every batched answer equals the
// same request run alone, bit for bit (float32 matrix products on random
// values, float16 and int32 elementwise). Requests whose inputs differ beyond
// the first dimension go to other batches; no run exceeds maxBatchSize or an
// optimization profile; preferred sizes go at once, a queue delay holds a
// batch open, a timeout takes a waiting request out (504), a client that
// leaves takes its request out, and a bad batching config is refused.
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setImmediate } from "node:timers/promises";
import { TensorRTModule } from "@trt/runtime";
import type { HostInput, RunInputs } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer, ClientGoneError, Departure, DeadlineExceededError, ModelConfigError, runInference, ServedModel } from "../src/index.js";
import { dtypesPlan, pairsPlan, sampleEngine, seeded, useEmulator, WIDE_ROW, widePlan } from "./support/fixtures.js";
import { binaryRequest, holdRuns, infer, readResponse } from "./support/requests.js";
import { until } from "./support/until.js";

let restore: () => void;
const tmp = mkdtempSync(join(tmpdir(), "trt-batching-"));
const pairsEngine = join(tmp, "pairs.engine");
beforeAll(() => {
  restore = useEmulator();
  writeFileSync(pairsEngine, pairsPlan());
});
afterAll(() => {
  restore();
  rmSync(tmp, { recursive: true, force: true });
});

/** Records the first-input shape of every run the module makes. */
function recordRuns(module: TensorRTModule, input: string): number[][] {
  const shapes: number[][] = [];
  const run = module.run.bind(module);
  module.run = (inputs: RunInputs, options) => {
    shapes.push([...((inputs as Record<string, HostInput>)[input]!.shape)]);
    return run(inputs, options);
  };
  return shapes;
}

const random = seeded(26);
/** A random float32 (not on any grid: sums round, so equality shows the same arithmetic). */
const noise = () => (random() - 0.5) * 8;

describe("dynamic batching", () => {
  it("runs requests held back while the engine was busy as batches, each answer equal to the request run alone, bit for bit", async () => {
    await using batchedModule = await TensorRTModule.load(sampleEngine, { maxConcurrency: 2 });
    await using aloneModule = await TensorRTModule.load(sampleEngine, { maxConcurrency: 2 });
    const { app, models } = buildServer({
      models: [
        { name: "batched", module: batchedModule, dynamicBatching: {}, maxQueue: 100 },
        { name: "alone", module: aloneModule },
      ],
    });
    const runs = recordRuns(batchedModule, "x");
    // Stacked batches go in the device's pinned memory, in power-of-two sizes so that it is allocated only a few times.
    const pinned: number[] = [];
    const allocatePinned = batchedModule.device.allocatePinned.bind(batchedModule.device);
    batchedModule.device.allocatePinned = (bytes: number) => (pinned.push(bytes), allocatePinned(bytes));
    const requests = Array.from({ length: 40 }, () => {
      const rows = 1 + Math.floor(random() * 3);
      const x = Float32Array.from({ length: rows * 8 }, noise);
      const header = { inputs: [{ name: "x", shape: [rows, 8], datatype: "FP32", parameters: { binary_data_size: x.byteLength } }], parameters: { binary_data_output: true } };
      return { rows, request: binaryRequest(header, [x]) };
    });
    const hold = holdRuns(batchedModule);
    const batched = requests.map((r) => infer(app, "batched", r.request));
    await hold.until(2);
    await until(() => models.get("batched")!.scheduler.queued === requests.length - 2);
    hold.open();
    const answers = await Promise.all(batched);

    for (const [i, r] of requests.entries()) {
      const alone = readResponse(await infer(app, "alone", r.request));
      const mine = readResponse(answers[i]!);
      expect(answers[i]!.statusCode).toBe(200);
      expect(mine.json.outputs).toEqual([{ name: "y", datatype: "FP32", shape: [r.rows, 4], parameters: { binary_data_size: r.rows * 16 } }]);
      expect(Buffer.compare(mine.binary.y!, alone.binary.y!), `request ${i}`).toBe(0);
    }
    const stackedRuns = runs.filter((shape) => shape[0]! > 1).length;
    expect(pinned.length).toBeGreaterThan(0);
    expect(pinned.every((bytes) => Number.isInteger(Math.log2(bytes)))).toBe(true);
    expect(pinned.length).toBeLessThan(stackedRuns);
    // Batches did form: fewer runs than requests, each within the profile's 16 rows, all rows accounted for.
    expect(runs.length).toBeLessThan(requests.length);
    expect(Math.max(...runs.map((s) => s[0]!))).toBeGreaterThan(3);
    expect(runs.every((s) => s[0]! <= 16)).toBe(true);
    expect(runs.reduce((n, s) => n + s[0]!, 0)).toBe(requests.reduce((n, r) => n + r.rows, 0));
    const stats = models.get("batched")!.statistics.toJson("batched", "1");
    expect(stats.execution_count).toBe(runs.length);
    expect(stats.inference_count).toBe(requests.reduce((n, r) => n + r.rows, 0));
    expect(stats.inference_stats.success.count).toBe(requests.length);
    expect(stats.inference_stats.compute_infer.count).toBe(requests.length);
    await app.close();
  });

  it("gathers requests whose bodies lie in pinned memory part by part (no stacking copy), each answer bit for bit", async () => {
    // Rows of 64 KiB: every body is large enough for the body pool, which reads it into pinned memory.
    const k = WIDE_ROW;
    const plan = join(tmp, "wide.engine");
    writeFileSync(plan, widePlan(8));
    await using batchedModule = await TensorRTModule.load(plan, { maxConcurrency: 1 });
    await using aloneModule = await TensorRTModule.load(plan, { maxConcurrency: 1 });
    const { app, models } = buildServer({
      models: [
        { name: "batched", module: batchedModule, dynamicBatching: {}, maxQueue: 100 },
        { name: "alone", module: aloneModule },
      ],
    });
    // How each run's input came: parts (how many), or one array (a request's own, or a stacked batch).
    const given: Array<number | "one array"> = [];
    const run = batchedModule.run.bind(batchedModule);
    batchedModule.run = (inputs: RunInputs, options) => {
      const x = (inputs as Record<string, { parts?: readonly unknown[] }>).x!;
      given.push(x.parts ? x.parts.length : "one array");
      return run(inputs, options);
    };
    const requests = Array.from({ length: 7 }, () => {
      const x = Float32Array.from({ length: k }, noise);
      return binaryRequest({ inputs: [{ name: "x", shape: [1, k], datatype: "FP32", parameters: { binary_data_size: x.byteLength } }], parameters: { binary_data_output: true } }, [x]);
    });
    const hold = holdRuns(batchedModule);
    const batched = requests.map((r) => infer(app, "batched", r));
    await hold.until(1);
    await until(() => models.get("batched")!.scheduler.queued === requests.length - 1);
    hold.open();
    const answers = await Promise.all(batched);
    for (const [i, r] of requests.entries()) {
      expect(answers[i]!.statusCode).toBe(200);
      const alone = readResponse(await infer(app, "alone", r));
      expect(Buffer.compare(readResponse(answers[i]!).binary.y!, alone.binary.y!), `y of request ${i}`).toBe(0);
    }
    // The first request ran alone, on its own body; the six held behind it went as one run of six parts.
    expect(given).toEqual(["one array", 6]);
    await app.close();
  });

  it("batches only requests that agree beyond the first dimension, never past maxBatchSize, float16 and int32 bit for bit", async () => {
    await using batchedModule = await TensorRTModule.load(pairsEngine, { maxConcurrency: 1 });
    await using aloneModule = await TensorRTModule.load(pairsEngine, { maxConcurrency: 1 });
    const { app, models } = buildServer({
      models: [
        { name: "batched", module: batchedModule, dynamicBatching: {}, maxBatchSize: 5, maxQueue: 100 },
        { name: "alone", module: aloneModule },
      ],
    });
    const runs = recordRuns(batchedModule, "a");
    const requests = Array.from({ length: 30 }, (_, i) => {
      const rows = 1 + (i % 3);
      const width = 2 + (i % 2) * 3; // widths 2 and 5, interleaved
      const a = Uint16Array.from({ length: rows * width }, () => Math.floor(random() * 0x7bff)); // finite half patterns
      const b = Int32Array.from({ length: rows * 3 }, () => Math.floor((random() - 0.5) * 2 ** 32));
      const header = {
        inputs: [
          { name: "a", shape: [rows, width], datatype: "FP16", parameters: { binary_data_size: a.byteLength } },
          { name: "b", shape: [rows, 3], datatype: "INT32", parameters: { binary_data_size: b.byteLength } },
        ],
        parameters: { binary_data_output: true },
      };
      return { rows, width, request: binaryRequest(header, [a, b]) };
    });
    const hold = holdRuns(batchedModule);
    const batched = requests.map((r) => infer(app, "batched", r.request));
    await hold.until(1);
    await until(() => models.get("batched")!.scheduler.queued === requests.length - 1);
    hold.open();
    const answers = await Promise.all(batched);
    for (const [i, r] of requests.entries()) {
      const mine = readResponse(answers[i]!);
      const alone = readResponse(await infer(app, "alone", r.request));
      expect(mine.json.outputs.map((o) => o.shape)).toEqual([[r.rows, r.width], [r.rows, 3]]);
      expect(Buffer.compare(mine.binary.a2!, alone.binary.a2!), `a2 of request ${i}`).toBe(0);
      expect(Buffer.compare(mine.binary.b2!, alone.binary.b2!), `b2 of request ${i}`).toBe(0);
    }
    expect(runs.length).toBeLessThan(requests.length);
    expect(runs.every(([rows]) => rows! <= 5)).toBe(true);
    // Each width's rows add up on their own: no run mixed widths.
    for (const width of [2, 5]) {
      const sent = requests.filter((r) => r.width === width).reduce((n, r) => n + r.rows, 0);
      expect(runs.filter((s) => s[1] === width).reduce((n, s) => n + s[0]!, 0)).toBe(sent);
    }
    await app.close();
  });

  it("sends a preferred batch size at once, holds a smaller batch for the queue delay, and sends a full one at once", async () => {
    await using module = await TensorRTModule.load(sampleEngine, { maxConcurrency: 1 });
    await using plainModule = await TensorRTModule.load(sampleEngine, { maxConcurrency: 1 });
    // A minute's delay: a batch that waited for it would outlast the test.
    const preferring = new ServedModel({ name: "p", module, maxBatchSize: 6, dynamicBatching: { maxQueueDelayMicroseconds: 60_000_000, preferredBatchSizes: [3] } });
    const plain = new ServedModel({ name: "q", module: plainModule, maxBatchSize: 4, dynamicBatching: { maxQueueDelayMicroseconds: 60_000_000 } });
    const runs = recordRuns(module, "x");
    const plainRuns = recordRuns(plainModule, "x");
    const one = (model: ServedModel, i: number) => {
      const x = Buffer.from(Float32Array.from({ length: 8 }, (_, k) => k + i).buffer);
      return runInference(
        model,
        () => ({ request: { id: null, inputs: [{ name: "x", shape: [1, 8], datatype: "FP32", data: undefined, binaryDataSize: 32 }], outputs: null, binaryDataOutput: true, timeoutMicroseconds: null }, bytes: [x] }),
        (outputs) => outputs[0]!.shape,
      );
    };
    // Three rows reach the preferred size: they go without waiting, and so do the next three.
    expect(await Promise.all([0, 1, 2, 3, 4, 5].map((i) => one(preferring, i)))).toEqual(new Array(6).fill([1, 4]));
    expect(runs).toEqual([[3, 8], [3, 8]]);
    expect(preferring.statistics.toJson("p", "1").batch_stats.map((b) => [b.batch_size, b.compute_infer.count])).toEqual([[3, 2]]);

    // Without a preferred size, two rows wait for more; two more make four, the most a batch takes here: they go at once.
    const waiting = [one(plain, 0), one(plain, 1)];
    await until(() => plain.scheduler.queued === 2);
    await setImmediate();
    expect(plainRuns).toHaveLength(0);
    await Promise.all([...waiting, one(plain, 2), one(plain, 3)]);
    expect(plainRuns).toEqual([[4, 8]]);
  });

  it("answers 504 for a request whose timeout passes while it waits, and drops one whose client left, before either runs", async () => {
    await using module = await TensorRTModule.load(sampleEngine, { maxConcurrency: 1 });
    const { app, models } = buildServer({ models: [{ name: "m", module, dynamicBatching: { maxQueueDelayMicroseconds: 60_000_000 } }] });
    const x = Float32Array.from({ length: 8 }, (_, k) => k);
    const header = { inputs: [{ name: "x", shape: [1, 8], datatype: "FP32", parameters: { binary_data_size: 32 } }], parameters: { timeout: 2000 } };
    const res = await infer(app, "m", binaryRequest(header, [x]));
    expect([res.statusCode, res.json()]).toEqual([504, { error: "the request waited its timeout of 2000 µs for a run" }]);

    const model = models.get("m")!;
    const gone = new Departure();
    const left = runInference(
      model,
      () => ({ request: { id: null, inputs: [{ name: "x", shape: [1, 8], datatype: "FP32", data: undefined, binaryDataSize: 32 }], outputs: null, binaryDataOutput: true, timeoutMicroseconds: null }, bytes: [Buffer.from(x.buffer)] }),
      () => "answered",
      gone,
    );
    await until(() => model.scheduler.queued === 1);
    gone.leave();
    await expect(left).rejects.toBeInstanceOf(ClientGoneError);
    expect(model.scheduler.queued).toBe(0);
    expect(module.stats.runs).toBe(0);
    const stats = model.statistics.toJson("m", "1");
    expect([stats.inference_stats.fail.count, stats.inference_stats.success.count, stats.execution_count]).toEqual([2, 0, 0]);
    expect(new DeadlineExceededError("x").code).toBe("DEADLINE_EXCEEDED");
    await app.close();
  });

  it("refuses batching settings the engine cannot honour, saying what is allowed", async () => {
    await using sample = await TensorRTModule.load(sampleEngine);
    await using dtypes = await TensorRTModule.fromEngine(dtypesPlan());
    const make = (options: object, module = sample) => () => new ServedModel({ name: "m", module, ...options });
    expect(make({ dynamicBatching: {} }, dtypes)).toThrow(ModelConfigError);
    expect(make({ dynamicBatching: {} }, dtypes)).toThrow(/cannot use dynamic batching: .*input "b" has shape \[2, 3\].*output "nz" has shape \[2, -1\]/);
    expect(make({ dynamicBatching: {}, maxBatchSize: 17 })).toThrow('model "m": maxBatchSize must be an integer from 1 to 16 (the largest first dimension the engine\'s optimization profiles take); got 17');
    expect(make({ dynamicBatching: { preferredBatchSizes: [4, 20] }, maxBatchSize: 8 })).toThrow("preferredBatchSizes must be distinct integers from 1 to maxBatchSize (8); got 20");
    expect(make({ dynamicBatching: { maxQueueDelayMicroseconds: -1 } })).toThrow("maxQueueDelayMicroseconds must be an integer from 0 to 60000000; got -1");
    expect(make({ maxBatchSize: 4 })).toThrow("maxBatchSize is for dynamic batching");
    // With batching, the model admits a batch's worth of requests per run plus its queue.
    expect(new ServedModel({ name: "m", module: sample, dynamicBatching: {}, maxBatchSize: 8, maxQueue: 10 }).admission.stats.capacity).toBe(4 * 8 + 10);
  });
});
