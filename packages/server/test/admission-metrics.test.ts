// Each model's bounded admission (503 beyond maxConcurrency + maxQueue, the
// other models unaffected), GET /metrics in Prometheus' text format with the
// counts, latency histogram, queue depth and lanes in use that those requests
// leave, and close() draining before the modules are released.
import { setImmediate } from "node:timers/promises";
import { TensorRTModule } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeLabel } from "../src/metrics.js";
import { buildServer, LATENCY_BUCKETS, METRICS_CONTENT_TYPE } from "../src/index.js";
import { reference, sampleEngine, sampleInput, useEmulator } from "./support/fixtures.js";
import { holdRuns, infer, jsonRequest } from "./support/requests.js";
import { until } from "./support/until.js";

let restore: () => void;
beforeAll(() => {
  restore = useEmulator();
});
afterAll(() => restore());

const request = (i: number, name = "x") => {
  const { data, shape } = sampleInput(i);
  return jsonRequest({ inputs: [{ name, shape, datatype: "FP32", data }] });
};

/** One sample line of the exposition format: name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses exposition text strictly enough to catch a malformed line: every line is a HELP, a TYPE,
 * or a sample whose family was typed before it, and every value is a number.
 */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  expect(text.endsWith("\n")).toBe(true);
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.slice(0, -1).split("\n")) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") {
        expect(["counter", "gauge", "histogram"]).toContain(meta[3]);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)$/.exec(line);
    expect(match, line).not.toBeNull();
    const [, name, labelText, value] = match!;
    const family = name!.replace(/_(bucket|sum|count)$/, "");
    expect(types.has(name!) || types.get(family) === "histogram", `${name} has no TYPE before it`).toBe(true);
    const labels: Record<string, string> = {};
    for (const [, key, v] of (labelText ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = v!;
    const number = value === "+Inf" ? Infinity : Number(value);
    expect(Number.isNaN(number), line).toBe(false);
    samples.push({ name: name!, labels, value: number });
  }
  return { samples, types };
}

const valueOf = (samples: Sample[], name: string, labels: Record<string, string>): number | undefined =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(labels).length)?.value;

describe("admission and metrics", () => {
  const N = 2;
  const maxQueue = 3;

  it(`admits ${N} running + ${maxQueue} waiting per model, answers the next 503, and /metrics shows queue depth and lanes in use`, async () => {
    await using sample = await TensorRTModule.load(sampleEngine, { maxConcurrency: N });
    await using other = await TensorRTModule.load(sampleEngine, { maxConcurrency: 1 });
    const { app, metrics, models } = buildServer({ models: [{ name: "sample", module: sample, maxQueue }, { name: "other", module: other, maxQueue: 0 }] });
    const hold = holdRuns(sample);
    const admitted = Array.from({ length: N + maxQueue }, (_, i) => infer(app, "sample", request(i)));
    // N runs reach the module (its maxConcurrency); the rest wait in the model's scheduler.
    await hold.until(N);
    await until(() => models.get("sample")!.scheduler.queued === maxQueue);

    // Every slot of "sample" is taken: the next request is turned away at once, with a time to retry.
    const refused = await infer(app, "sample", request(9));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(refused.json()).toEqual({ error: `${N + maxQueue} requests are already running or waiting for this model (at most ${N + maxQueue}); retry later` });
    // "other" has a gate of its own.
    const otherAnswer = await infer(app, "other", request(4));
    expect(otherAnswer.statusCode).toBe(200);
    expect(otherAnswer.json().outputs[0].data).toEqual(reference(sampleInput(4).data, 5));

    const held = await app.inject({ method: "GET", url: "/metrics" });
    expect(held.statusCode).toBe(200);
    expect(held.headers["content-type"]).toBe(METRICS_CONTENT_TYPE);
    const before = parseExposition(held.body).samples;
    expect(valueOf(before, "trt_server_admitted_requests", { model: "sample" })).toBe(N + maxQueue);
    expect(valueOf(before, "trt_server_admission_capacity", { model: "sample" })).toBe(N + maxQueue);
    expect(valueOf(before, "trt_server_admission_capacity", { model: "other" })).toBe(1);

    expect(sample.stats.concurrency.queued).toBe(0);
    hold.open();
    // The held runs are inside the module now, N on lanes and the rest waiting in the scheduler: read in the same tick.
    const inside = parseExposition(metrics.render(models.values())).samples;
    expect(valueOf(inside, "trt_server_lanes_in_use", { model: "sample" })).toBe(N);
    expect(valueOf(inside, "trt_server_queue_depth", { model: "sample" })).toBe(maxQueue);
    expect(valueOf(inside, "trt_server_lanes", { model: "sample" })).toBe(N);
    expect(valueOf(inside, "trt_server_max_concurrency", { model: "sample" })).toBe(N);
    expect(valueOf(inside, "trt_server_lanes_in_use", { model: "other" })).toBe(0);

    const answers = await Promise.all(admitted);
    answers.forEach((res, i) => {
      expect(res.statusCode).toBe(200);
      expect(res.json().outputs[0].data).toEqual(reference(sampleInput(i).data, i + 1));
    });
    // A slot is free again.
    expect((await infer(app, "sample", request(1))).statusCode).toBe(200);
    expect((await infer(app, "sample", request(1, "z"))).statusCode).toBe(400);
    expect((await infer(app, "nope", request(1))).statusCode).toBe(404);

    const after = parseExposition((await app.inject({ method: "GET", url: "/metrics" })).body);
    const s = after.samples;
    expect(after.types.get("trt_server_inference_requests_total")).toBe("counter");
    expect(after.types.get("trt_server_inference_duration_seconds")).toBe("histogram");
    expect(valueOf(s, "trt_server_inference_requests_total", { model: "sample", status: "200" })).toBe(N + maxQueue + 1);
    expect(valueOf(s, "trt_server_inference_requests_total", { model: "sample", status: "503" })).toBe(1);
    expect(valueOf(s, "trt_server_inference_requests_total", { model: "sample", status: "400" })).toBe(1);
    expect(valueOf(s, "trt_server_inference_requests_total", { model: "other", status: "200" })).toBe(1);
    expect(valueOf(s, "trt_server_unknown_model_requests_total", {})).toBe(1);
    expect(valueOf(s, "trt_server_queue_depth", { model: "sample" })).toBe(0);
    expect(valueOf(s, "trt_server_lanes_in_use", { model: "sample" })).toBe(0);
    expect(valueOf(s, "trt_server_admitted_requests", { model: "sample" })).toBe(0);
    expect(valueOf(s, "process_resident_memory_bytes", {})).toBeGreaterThan(0);
    expect(after.types.get("process_cpu_seconds_total")).toBe("counter");
    const cpu = process.cpuUsage();
    expect(valueOf(s, "process_cpu_seconds_total", {})).toBeGreaterThan(0);
    expect(valueOf(s, "process_cpu_seconds_total", {})).toBeLessThanOrEqual((cpu.user + cpu.system) / 1e6);

    // The histogram: one bucket per bound plus +Inf, cumulative, ending at the count of successful requests.
    const buckets = s.filter((x) => x.name === "trt_server_inference_duration_seconds_bucket" && x.labels.model === "sample");
    expect(buckets.map((b) => b.labels.le)).toEqual([...LATENCY_BUCKETS.map(String), "+Inf"]);
    buckets.forEach((b, i) => i > 0 && expect(b.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value));
    expect(buckets.at(-1)!.value).toBe(N + maxQueue + 1);
    expect(valueOf(s, "trt_server_inference_duration_seconds_count", { model: "sample" })).toBe(N + maxQueue + 1);
    expect(valueOf(s, "trt_server_inference_duration_seconds_sum", { model: "sample" })).toBeGreaterThan(0);
    await app.close();
  });

  it("lists every served model from the start, with a zero 200 count and an empty histogram", async () => {
    await using m = await TensorRTModule.load(sampleEngine);
    const { app } = buildServer({ models: [{ name: "fresh", module: m }] });
    const { samples } = parseExposition((await app.inject({ method: "GET", url: "/metrics" })).body);
    expect(valueOf(samples, "trt_server_inference_requests_total", { model: "fresh", status: "200" })).toBe(0);
    expect(valueOf(samples, "trt_server_inference_duration_seconds_bucket", { model: "fresh", le: "+Inf" })).toBe(0);
    expect(valueOf(samples, "trt_server_admission_capacity", { model: "fresh" })).toBe(4 + 64);
    await app.close();
  });

  it("reports how late the event loop ran since the previous scrape", async () => {
    await using m = await TensorRTModule.load(sampleEngine);
    const { app } = buildServer({ models: [{ name: "m", module: m }] });
    const scrape = async () => parseExposition((await app.inject({ method: "GET", url: "/metrics" })).body).samples;
    await scrape();
    // A scrape restarts the sampling timer, whose first interval after it is not recorded.
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Hold the loop: the 1 ms timer that samples the delay fires at least this late.
    const blockMs = 200;
    const blockUntil = performance.now() + blockMs;
    while (performance.now() < blockUntil);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const held = await scrape();
    const heldMax = valueOf(held, "trt_server_event_loop_delay_max_seconds", {})!;
    expect(heldMax).toBeGreaterThanOrEqual((blockMs - 5) / 1000);
    expect(valueOf(held, "trt_server_event_loop_delay_p99_seconds", {})).toBeLessThanOrEqual(heldMax);
    // Each scrape starts the next one's window: the stall is not reported twice.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(valueOf(await scrape(), "trt_server_event_loop_delay_max_seconds", {})).toBeLessThan(heldMax);
    await app.close();
  });

  it("escapes label values as the format requires", () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it("close() resolves only after the inferences in progress on every model, so the modules can be released right after", async () => {
    const a = await TensorRTModule.load(sampleEngine, { maxConcurrency: N });
    const b = await TensorRTModule.load(sampleEngine, { maxConcurrency: 1 });
    const buildServerModels = buildServer({ models: [{ name: "a", module: a, maxQueue }, { name: "b", module: b }] });
    const { app } = buildServerModels;
    const holdA = holdRuns(a);
    const holdB = holdRuns(b);
    const { models } = buildServerModels;
    const inProgress = [...Array.from({ length: N + 1 }, (_, i) => infer(app, "a", request(i))), infer(app, "b", request(7))];
    await holdA.until(N);
    await until(() => models.get("a")!.scheduler.queued === 1);
    await holdB.until(1);

    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await setImmediate();
    expect(closed).toBe(false);
    holdA.open();
    await setImmediate();
    // "b" still holds one: close() waits for it too.
    expect(closed).toBe(false);
    holdB.open();
    await closing;
    expect(a.stats.concurrency).toMatchObject({ inFlight: 0, queued: 0 });
    expect([a.stats.runs, b.stats.runs]).toEqual([N + 1, 1]);
    a.release();
    b.release();
    const answers = await Promise.all(inProgress);
    expect(answers.map((r) => r.statusCode)).toEqual(new Array(N + 2).fill(200));
    expect(answers[N + 1]!.json().outputs[0].data).toEqual(reference(sampleInput(7).data, 8));
  });
});
