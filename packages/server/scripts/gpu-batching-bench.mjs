#!/usr/bin/env node
// @ts-check
// Dynamic batching on a GPU, batching on vs off, and where one request's time
// goes between the socket and the engine. One command, on the GPU machine:
//
//   SERVER_MODEL=resnet50_fp16.plan TRT_NVINFER_PATH=/path/libnvinfer.so.10 \
//     node packages/server/scripts/gpu-batching-bench.mjs [--out DIR]
//
// SERVER_MODEL: an engine whose inputs and outputs have a dynamic first
// dimension (a ResNet-50-class fp16 engine with a dynamic batch, say). It
// writes DIR/gpu-batching-bench.json and .md (DIR defaults to the current
// folder) and prints the markdown. What it does, in order:
//
//  1. the module alone, in this process: run() at batch 1 with the input in
//     host memory (p50 of the call, and with the outputs read back), with the
//     input already on the device (the host-to-device copy is the
//     difference), with it in the device's pinned host memory (where the
//     server reads request bodies), and images/s at larger batches, one run
//     at a time;
//  2. two servers (the built bin, as a user starts it) on loopback: batching
//     off (`--model m=PATH,max-concurrency=N,max-queue=Q`) and on (a model
//     repository whose config.json turns dynamic batching on, same bounds);
//  3. every batched answer compared with the unbatched one for the same
//     input (bytes equal, else the largest difference): TensorRT may pick
//     other kernels at other batch sizes, so this is reported, not assumed;
//  4. the load generator's floor: the same requests at each client count
//     against a server that only reads the body and answers with a body of
//     the model's answer's size (loadgen.mjs, sink-server.mjs), on
//     --sink-processes processes so that the floor is the client's and not
//     one event loop's;
//  5. batch-1 binary requests from 1, 8, 32 and 128 keep-alive clients
//     (closed loop) for --seconds after --warmup, batching off then on:
//     req/s, latency percentiles, the server's own statistics (runs, rows
//     per run, queue time, run time), and the load generator's CPU time per
//     request;
//  6. one client, batching off: the request's time split by the server's
//     statistics (queue, stacking, the engine run with its copies, reading
//     outputs, and the rest of the pipeline: parsing, decoding, encoding)
//     and what is left to HTTP and loopback, beside the module's own run().
//
// The targets from the issue are checked and reported: at 32 clients
// batching on gives >= 4x the requests/s of batching off, and its p99 is at
// most the queue delay plus twice the run time of a batch; one client's p50
// is within 0.5 ms of the module's own run() (with outputs read back).
//
// Options: --seconds 10 --warmup 2 --clients 1,8,32,128 --max-concurrency 4
// --on-max-concurrency (batching on's own; default: --max-concurrency)
// --max-queue 1024 --delay-us 500 --max-batch (default: the profile's)
// --preferred (comma list) --latency-requests 500 --module-runs 300 --out DIR
// --threads (load generator threads; default cores/4) --sink-processes 4 (the
// floor's server processes) --profile-dir DIR (both
// servers run under `node --cpu-prof`, their profiles written to DIR/off and
// DIR/on when they stop; see tools/bench/src/profile-summary.ts), --cuda-graphs
// (both servers' model with CUDA graphs on: cuda-graphs=on, "cudaGraphs": true),
// --server-node-flags="FLAGS" (node's flags for both servers, space-separated:
// "--no-incremental-marking", say, to compare V8's collection settings),
// --http-threads N (both servers read requests on N intake threads).
// Takes about 3 minutes with the defaults (10 s per level).
import { Buffer } from "node:buffer";
import { setTimeout } from "node:timers";
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Agent } from "node:http";
import { post, runLoad } from "./loadgen.mjs";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "." },
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    clients: { type: "string", default: "1,8,32,128" },
    "max-concurrency": { type: "string", default: "4" },
    "on-max-concurrency": { type: "string" },
    "max-queue": { type: "string", default: "1024" },
    "delay-us": { type: "string", default: "500" },
    "max-batch": { type: "string" },
    preferred: { type: "string" },
    "latency-requests": { type: "string", default: "500" },
    "module-runs": { type: "string", default: "300" },
    threads: { type: "string" },
    "sink-processes": { type: "string", default: "4" },
    "profile-dir": { type: "string" },
    "server-node-flags": { type: "string", default: "" },
    "http-threads": { type: "string", default: "0" },
    "cuda-graphs": { type: "boolean" },
  },
});
const modelPath = process.env.SERVER_MODEL;
if (!modelPath || !process.env.TRT_NVINFER_PATH) {
  console.error("set SERVER_MODEL (an engine file with a dynamic batch) and TRT_NVINFER_PATH (libnvinfer.so.N)");
  process.exit(2);
}
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const levels = values.clients.split(",").map(Number);
const maxConcurrency = Number(values["max-concurrency"]);
// Batching may do best with fewer runs at once (larger batches, fewer enqueues on the main thread)
// while batching off does best with more: each side can have its own.
const onMaxConcurrency = Number(values["on-max-concurrency"] ?? maxConcurrency);
const maxQueue = Number(values["max-queue"]);
const delayUs = Number(values["delay-us"]);
const threads = values.threads === undefined ? undefined : Number(values.threads);
const sinkProcesses = Number(values["sink-processes"]);
const bin = fileURLToPath(new URL("../bin/trt-server.js", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "trt-gpu-bench-"));
const log = (...args) => console.error("[bench]", ...args);

const PROTOCOL = { float: "FP32", half: "FP16", bf16: "BF16", int8: "INT8", uint8: "UINT8", int32: "INT32", int64: "INT64", bool: "BOOL" };
const BYTES = { FP32: 4, FP16: 2, BF16: 2, INT8: 1, UINT8: 1, INT32: 4, INT64: 8, BOOL: 1 };
const percentile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x, d = 3) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);

// ---- 1. The module alone --------------------------------------------------------------------
const runtime = await import("@trt/runtime");
const module = await runtime.TensorRTModule.load(modelPath, { maxConcurrency: 1 });
const inputs = module.inputs.map((spec) => {
  const datatype = PROTOCOL[spec.dtype];
  if (!datatype) throw new Error(`input "${spec.name}" is ${spec.dtype}, which the protocol has no datatype for`);
  const opt = spec.profiles[0]?.opt ?? spec.shape;
  return { name: spec.name, dtype: spec.dtype, datatype, rowShape: spec.shape.slice(1).map((d, i) => (d === -1 ? opt[i + 1] : d)) };
});
const profileMax = Math.min(...module.inputs.map((s) => Math.max(...s.profiles.map((p) => p.max[0]))));
const maxBatch = values["max-batch"] === undefined ? profileMax : Number(values["max-batch"]);

/** Random values for `rows` rows of input `i`, as its stored layout's bytes (FP16/BF16 as bit patterns). */
function randomBytes(input, rows, seed) {
  const count = rows * input.rowShape.reduce((n, d) => n * d, 1);
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  switch (input.datatype) {
    case "FP32":
      return new Uint8Array(Float32Array.from({ length: count }, next).buffer);
    case "FP16":
      return new Uint8Array(Uint16Array.from({ length: count }, () => runtime.float32ToHalfBits(next())).buffer);
    case "BF16":
      return new Uint8Array(Uint16Array.from({ length: count }, () => runtime.float32ToBf16Bits(next())).buffer);
    case "INT32":
      return new Uint8Array(Int32Array.from({ length: count }, () => Math.floor(next() * 100)).buffer);
    case "INT64":
      return new Uint8Array(BigInt64Array.from({ length: count }, () => BigInt(Math.floor(next() * 100))).buffer);
    default:
      return Uint8Array.from({ length: count * BYTES[input.datatype] }, () => (next() > 0 ? 1 : 0));
  }
}
/** The arrays run() takes for those bytes. */
function hostInputs(chunks, rows) {
  const out = {};
  inputs.forEach((input, k) => {
    const b = chunks[k];
    const view =
      input.datatype === "FP32" ? new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4)
      : input.datatype === "FP16" || input.datatype === "BF16" ? new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2)
      : input.datatype === "INT32" ? new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4)
      : input.datatype === "INT64" ? new BigInt64Array(b.buffer, b.byteOffset, b.byteLength / 8)
      : input.datatype === "INT8" ? new Int8Array(b.buffer, b.byteOffset, b.byteLength)
      : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    out[input.name] = { data: view, shape: [rows, ...input.rowShape] };
  });
  return out;
}

async function timeRuns(n, makeInputs, readBack) {
  const call = [];
  const withRead = [];
  for (let i = 0; i < n; i++) {
    const args = makeInputs(i);
    const t0 = performance.now();
    const result = await module.run(args);
    const t1 = performance.now();
    if (readBack) for (const t of result.list) await t.toArray({ raw: true });
    const t2 = performance.now();
    result.dispose();
    call.push(t1 - t0);
    withRead.push(t2 - t0);
  }
  return { call, withRead };
}

log(`module: ${basename(modelPath)}, inputs ${inputs.map((i) => `${i.name} ${i.datatype} [-1, ${i.rowShape.join(", ")}]`).join(", ")}, profile max batch ${profileMax}`);
const sampleChunks = Array.from({ length: 8 }, (_, i) => inputs.map((input, k) => randomBytes(input, 1, 1000 + i * 31 + k)));
const moduleRuns = Number(values["module-runs"]);
await timeRuns(30, (i) => hostInputs(sampleChunks[i % 8], 1), true);
const host = await timeRuns(moduleRuns, (i) => hostInputs(sampleChunks[i % 8], 1), true);
const onDevice = sampleChunks.map((chunks) => {
  const h = hostInputs(chunks, 1);
  return Object.fromEntries(inputs.map((input) => [input.name, runtime.Tensor.fromArray(h[input.name].data, h[input.name].shape, { dtype: input.dtype, device: module.device })]));
});
const device = await timeRuns(moduleRuns, (i) => onDevice[i % 8], false);
for (const set of onDevice) for (const t of Object.values(set)) t.dispose();
// The same inputs in the device's pinned host memory, where the server now reads request bodies.
const pinnedChunks = sampleChunks.map((chunks) =>
  chunks.map((b) => {
    const p = module.device.allocatePinned(b.byteLength);
    p.set(b);
    return Buffer.from(p.buffer, p.byteOffset, p.byteLength);
  }),
);
const pinned = await timeRuns(moduleRuns, (i) => hostInputs(pinnedChunks[i % 8], 1), true);
const throughput = [];
for (const rows of [...new Set([1, 8, 32, maxBatch].filter((b) => b <= profileMax))]) {
  const chunks = inputs.map((input, k) => randomBytes(input, rows, 77 + k));
  await timeRuns(5, () => hostInputs(chunks, rows), true);
  const runs = Math.max(10, Math.min(200, Math.floor(2000 / rows)));
  const t0 = performance.now();
  const { withRead } = await timeRuns(runs, () => hostInputs(chunks, rows), true);
  const elapsed = (performance.now() - t0) / 1000;
  throughput.push({ batch: rows, runs, imagesPerSecond: round((rows * runs) / elapsed, 1), p50Ms: round(percentile(withRead, 0.5)) });
}
const moduleResult = {
  runP50Ms: round(percentile(host.call, 0.5)),
  runAndReadP50Ms: round(percentile(host.withRead, 0.5)),
  runDeviceInputP50Ms: round(percentile(device.call, 0.5)),
  runPinnedInputP50Ms: round(percentile(pinned.call, 0.5)),
  runPinnedAndReadP50Ms: round(percentile(pinned.withRead, 0.5)),
  hostToDeviceMs: round(percentile(host.call, 0.5) - percentile(device.call, 0.5)),
  throughput,
};
module.release();
log("module alone:", JSON.stringify(moduleResult));

// ---- 2. The servers -------------------------------------------------------------------------
function startProcess(command, args, ready, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, command, ...args], { env: { ...process.env, LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "inherit"] });
  const lines = [];
  return new Promise((resolvePromise, reject) => {
    let pending = "";
    child.stdout.on("data", (c) => {
      const parts = (pending + c.toString()).split("\n");
      pending = parts.pop();
      for (const line of parts) {
        lines.push(line);
        const found = ready(line, lines);
        if (found) resolvePromise({ child, ...found, stop: () => new Promise((r) => (child.once("exit", r), child.kill("SIGTERM"))) });
      }
    });
    child.once("exit", (code) => reject(new Error(`${basename(command)} exited (${code}) before it was ready:\n${lines.join("\n")}`)));
  });
}
const parse = (line) => {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
};
const serverNodeFlags = values["server-node-flags"].split(/\s+/).filter(Boolean);
const httpThreads = Number(values["http-threads"]);
/** node's flags for a server: --server-node-flags, and a CPU profile written to --profile-dir/NAME when it stops, if asked. */
const profiled = (name) => [...serverNodeFlags, ...(values["profile-dir"] ? ["--cpu-prof", "--cpu-prof-dir", join(resolve(values["profile-dir"]), name)] : [])];
async function startServer(args, name) {
  let tensorrt = null;
  return startProcess(bin, [...args, "--port", "0", "--grpc-port", "off", ...(httpThreads > 0 ? ["--http-threads", String(httpThreads)] : [])], (line) => {
    const entry = parse(line);
    if (entry?.msg === "serving") tensorrt = entry.tensorrt;
    if (entry?.msg === "serving" && tensorrt) return null;
    const url = entry?.msg?.startsWith("Server listening at ") ? entry.msg.slice("Server listening at ".length) : null;
    return url ? { url, tensorrt: () => tensorrt } : null;
  }, profiled(name));
}

const graphs = values["cuda-graphs"] === true;
// The off server also answers with Server-Timing, which splits one request's time in step 6.
const off = await startServer(["--model", `m=${modelPath},max-concurrency=${maxConcurrency},max-queue=${maxQueue}${graphs ? ",cuda-graphs=on" : ""}`, "--server-timing"], "off");
const repository = join(tmp, "repository");
const fileName = /\.(ep|ts|trtengine)$/.test(modelPath) ? `model.${modelPath.split(".").pop()}` : "model.plan";
mkdirSync(join(repository, "m", "1"), { recursive: true });
copyFileSync(resolve(modelPath), join(repository, "m", "1", fileName));
const batchingConfig = {
  ...(graphs ? { cudaGraphs: true } : {}),
  maxConcurrency: onMaxConcurrency,
  maxQueue,
  maxBatchSize: maxBatch,
  dynamicBatching: { maxQueueDelayMicroseconds: delayUs, ...(values.preferred ? { preferredBatchSizes: values.preferred.split(",").map(Number) } : {}) },
};
writeFileSync(join(repository, "m", "config.json"), JSON.stringify(batchingConfig));
const on = await startServer(["--model-repository", repository], "on");
// The "serving" line comes right after "Server listening"; give it a moment to be read.
await new Promise((r) => setTimeout(r, 200));
log(`servers: off ${off.url}, on ${on.url}; ${off.tensorrt() ?? "TensorRT"}`);

function body(chunks) {
  const header = Buffer.from(
    JSON.stringify({
      inputs: inputs.map((input, k) => ({ name: input.name, shape: [1, ...input.rowShape], datatype: input.datatype, parameters: { binary_data_size: chunks[k].byteLength } })),
      parameters: { binary_data_output: true },
    }),
  );
  return { payload: Buffer.concat([header, ...chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))]), headers: { "content-type": "application/octet-stream", "inference-header-content-length": String(header.length) } };
}
const bodies = sampleChunks.map(body);
async function infer(url, b) {
  const res = await globalThis.fetch(`${url}/v2/models/m/infer`, { method: "POST", body: b.payload, headers: b.headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`infer answered ${res.status}: ${bytes.toString()}`);
  const length = Number(res.headers.get("inference-header-content-length"));
  return { json: JSON.parse(bytes.subarray(0, length).toString()), binary: bytes.subarray(length), size: bytes.length };
}
const stats = async (url) => (await (await globalThis.fetch(`${url}/v2/models/m/stats`)).json()).model_stats[0];
/**
 * A scrape of the server's /metrics: its process's CPU seconds so far (read around a level, they give
 * the server's cost per request), and its event loop's delay (ms) since the previous scrape.
 */
async function scrape(url) {
  const text = await (await globalThis.fetch(`${url}/metrics`)).text();
  const value = (name) => Number(text.match(new RegExp(`^${name} ([0-9.e+-]+|NaN)$`, "m"))?.[1] ?? NaN);
  const ms = (name) => round(value(name) * 1000);
  return {
    cpuSeconds: value("process_cpu_seconds_total"),
    loopDelayMs: { p50: ms("trt_server_event_loop_delay_p50_seconds"), p99: ms("trt_server_event_loop_delay_p99_seconds"), max: ms("trt_server_event_loop_delay_max_seconds") },
  };
}

/**
 * CPU seconds of a process's main thread and of all its threads, from /proc (Linux; null
 * elsewhere). The main thread runs the event loop: busy near 100% of a level's wall time, it is
 * what limits the server; the rest is V8's and CUDA's helper threads.
 */
const clockTicks = 100; // USER_HZ on Linux
function threadCpuSeconds(pid) {
  const ticks = (path) => {
    const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
    // utime and stime: fields 14 and 15 of stat, 12 and 13 after "pid (comm) ".
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  };
  try {
    return { main: ticks(`/proc/${pid}/task/${pid}/stat`), all: ticks(`/proc/${pid}/stat`) };
  } catch {
    return null;
  }
}

// ---- 3. Batched answers against unbatched ones ----------------------------------------------
const checks = Array.from({ length: 32 }, (_, i) => body(inputs.map((input, k) => randomBytes(input, 1, 5000 + i * 13 + k))));
const alone = [];
for (const b of checks) alone.push(await infer(off.url, b));
const before = await stats(on.url);
const together = await Promise.all(checks.map((b) => infer(on.url, b)));
const after = await stats(on.url);
let identical = 0;
let maxAbsDiff = 0;
const outputDatatypes = alone[0].json.outputs.map((o) => o.datatype);
together.forEach((t, i) => {
  if (Buffer.compare(t.binary, alone[i].binary) === 0) identical++;
  let offset = 0;
  alone[i].json.outputs.forEach((o, k) => {
    const size = o.parameters.binary_data_size;
    const a = alone[i].binary.subarray(offset, offset + size);
    const b = t.binary.subarray(offset, offset + size);
    offset += size;
    const dt = outputDatatypes[k];
    const read = (buf, j) =>
      dt === "FP32" ? buf.readFloatLE(j * 4) : dt === "FP16" ? runtime.halfBitsToFloat32(buf.readUInt16LE(j * 2)) : dt === "BF16" ? runtime.bf16BitsToFloat32(buf.readUInt16LE(j * 2)) : dt === "INT32" ? buf.readInt32LE(j * 4) : buf[j];
    for (let j = 0; j < size / BYTES[dt]; j++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(read(a, j) - read(b, j)));
  });
});
const equality = { requests: checks.length, identical, maxAbsDiff, runsForTheBatchedOnes: after.execution_count - before.execution_count };
log("equality:", JSON.stringify(equality));
const responseBytes = alone[0].size;

// ---- 4. The load generator's floor ----------------------------------------------------------
const sink = await startProcess(fileURLToPath(new URL("sink-server.mjs", import.meta.url)), [String(responseBytes), String(sinkProcesses)], (line) =>
  line.startsWith("listening ") ? { url: `http://127.0.0.1:${line.slice(10)}` } : null,
);
const floor = [];
for (const clients of levels) {
  const r = await runLoad({ url: `${sink.url}/`, bodies, clients, seconds: Math.min(seconds, 5), warmupSeconds: Math.min(warmup, 1), threads });
  floor.push({ clients, rps: round(r.rps, 1), p50Ms: round(r.p50), p99Ms: round(r.p99), clientCpuUsPerRequest: round(r.clientCpuMicrosecondsPerRequest, 1), threads: r.threads });
  log("floor", JSON.stringify(floor.at(-1)));
}
await sink.stop();

// ---- 5. Load: batching off, then on --------------------------------------------------------
const delta = (a, b, key) => b.inference_stats[key].ns - a.inference_stats[key].ns;
async function level(server, clients) {
  const s0 = await stats(server.url);
  // This scrape also starts the event loop delay's window, which the one after the load reads.
  const { cpuSeconds: cpu0 } = await scrape(server.url);
  const threads0 = threadCpuSeconds(server.child.pid);
  const wall0 = performance.now();
  const r = await runLoad({ url: `${server.url}/v2/models/m/infer`, bodies, clients, seconds, warmupSeconds: warmup, threads });
  const wall = (performance.now() - wall0) / 1000;
  const threads1 = threadCpuSeconds(server.child.pid);
  const { cpuSeconds: cpu1, loopDelayMs } = await scrape(server.url);
  const s1 = await stats(server.url);
  const runs = s1.execution_count - s0.execution_count;
  const rows = s1.inference_count - s0.inference_count;
  const requests = s1.inference_stats.success.count - s0.inference_stats.success.count;
  return {
    clients,
    rps: round(r.rps, 1),
    p50Ms: round(r.p50),
    p90Ms: round(r.p90),
    p99Ms: round(r.p99),
    failed: r.failed,
    statuses: r.statuses,
    rowsPerRun: round(rows / Math.max(1, runs), 2),
    queueMsMean: round(delta(s0, s1, "queue") / Math.max(1, requests) / 1e6),
    runMsMean: round(delta(s0, s1, "compute_infer") / Math.max(1, requests) / 1e6),
    clientCpuUsPerRequest: round(r.clientCpuMicrosecondsPerRequest, 1),
    // Over the warm-up and the measured window alike: every request the server answered in between.
    serverCpuUsPerRequest: round(((cpu1 - cpu0) * 1e6) / Math.max(1, requests), 1),
    // The event loop's thread: its share of the level's wall time, and its CPU per request.
    mainThreadBusy: threads0 && threads1 ? round((threads1.main - threads0.main) / wall, 2) : null,
    mainThreadUsPerRequest: threads0 && threads1 ? round(((threads1.main - threads0.main) * 1e6) / Math.max(1, requests), 1) : null,
    // How late the event loop ran its timers (warm-up included): near zero unless it is saturated.
    loopDelayMs,
  };
}
const results = { off: [], on: [] };
for (const [mode, server] of [["off", off], ["on", on]]) {
  for (const clients of levels) {
    results[mode].push(await level(server, clients));
    log(mode, JSON.stringify(results[mode].at(-1)));
  }
}

// ---- 6. One request's time ------------------------------------------------------------------
// Timed with the load generator's own client (node:http, one keep-alive connection), whose floor
// is measured above: fetch (undici) added about 1.1 ms a request here on the H100 machine (p50
// 2.68 ms against the load generator's 1.58 ms at one client), which is the client's, not the server's.
const n = Number(values["latency-requests"]);
const oneClient = new Agent({ keepAlive: true, maxSockets: 1 });
const inferUrl = `${off.url}/v2/models/m/infer`;
for (let i = 0; i < 20; i++) await post(oneClient, inferUrl, bodies[i % bodies.length]);
const s0 = await stats(off.url);
const client = [];
const receive = [];
const handle = [];
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  const { status, headers } = await post(oneClient, inferUrl, bodies[i % bodies.length]);
  client.push(performance.now() - t0);
  if (status !== 200) throw new Error(`infer answered ${status} in the one-client timing`);
  const timing = /receive;dur=([\d.]+), handle;dur=([\d.]+)/.exec(String(headers["server-timing"] ?? ""));
  if (timing) {
    receive.push(Number(timing[1]));
    handle.push(Number(timing[2]));
  }
}
oneClient.destroy();
const s1 = await stats(off.url);
const per = (key) => delta(s0, s1, key) / n / 1e6;
const serverTotal = per("success");
const parts = { queue: per("queue"), stackInputs: per("compute_input"), engineRun: per("compute_infer"), readOutputs: per("compute_output") };
const pipelineRest = serverTotal - Object.values(parts).reduce((a, b) => a + b, 0);
const latency = {
  requests: n,
  requestBytes: bodies[0].payload.length,
  responseBytes,
  clientP50Ms: round(percentile(client, 0.5)),
  clientMeanMs: round(mean(client)),
  serverMeanMs: round(serverTotal),
  serverParts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round(v)])),
  parseDecodeEncodeMs: round(pipelineRest),
  httpAndLoopbackMs: round(mean(client) - serverTotal),
  // Server-Timing (p50): headers parsed to body read, and body read to answer ready; the client's p50 less
  // both is the rest: sending the request's headers and the answer, loopback, and the client itself.
  serverTimingP50Ms: receive.length ? { receive: round(percentile(receive, 0.5)), handle: round(percentile(handle, 0.5)), outside: round(percentile(client, 0.5) - percentile(receive, 0.5) - percentile(handle, 0.5)) } : null,
  loadgenFloorP50Ms: floor.find((f) => f.clients === 1)?.p50Ms ?? null,
  moduleRunAndReadP50Ms: moduleResult.runAndReadP50Ms,
  overModuleP50Ms: round(percentile(client, 0.5) - moduleResult.runAndReadP50Ms),
};
log("latency:", JSON.stringify(latency));
const tensorrt = off.tensorrt();
await off.stop();
await on.stop();
rmSync(tmp, { recursive: true, force: true });

// ---- Targets and the report -----------------------------------------------------------------
const at32off = results.off.find((r) => r.clients === 32);
const at32on = results.on.find((r) => r.clients === 32);
const batchRunMs = at32on?.runMsMean ?? NaN;
const targets = {
  throughputAt32: at32off && at32on ? { ratio: round(at32on.rps / at32off.rps, 2), target: 4, met: at32on.rps / at32off.rps >= 4 } : null,
  p99At32: at32on ? { p99Ms: at32on.p99Ms, boundMs: round(delayUs / 1000 + 2 * batchRunMs), met: at32on.p99Ms <= delayUs / 1000 + 2 * batchRunMs } : null,
  oneClientOverModule: { ms: latency.overModuleP50Ms, target: 0.5, met: latency.overModuleP50Ms <= 0.5 },
};
const environment = { model: basename(modelPath), tensorrt, node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, gpu: await gpuName() };
const report = { environment, settings: { seconds, warmup, levels, maxConcurrency, maxQueue, delayUs, maxBatch, batchingConfig, serverNodeFlags, httpThreads, sinkProcesses }, module: moduleResult, equality, floor, results, latency, targets };
mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, "gpu-batching-bench.json"), `${JSON.stringify(report, null, 2)}\n`);
const md = markdown(report);
writeFileSync(join(values.out, "gpu-batching-bench.md"), md);
process.stdout.write(md);

async function gpuName() {
  return new Promise((r) => {
    const child = spawn("nvidia-smi", ["--query-gpu=name,driver_version", "--format=csv,noheader"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("error", () => r(null));
    child.on("close", () => r(out.trim().split("\n")[0] || null));
  });
}

/** The main thread's share of a level's wall time, with its CPU per request. */
function busy(level) {
  return level.mainThreadBusy === null || level.mainThreadBusy === undefined ? "-" : `${level.mainThreadBusy} (${level.mainThreadUsPerRequest} µs)`;
}

function markdown(r) {
  const lines = [];
  const e = r.environment;
  lines.push(`Model ${e.model} on ${e.gpu ?? "an unknown GPU"}, ${e.tensorrt ?? "TensorRT"}; Node ${e.node}, ${e.cpus} CPUs (${e.cpu}).`);
  lines.push(`Servers: max-concurrency ${r.settings.maxConcurrency}${r.settings.batchingConfig.maxConcurrency !== r.settings.maxConcurrency ? ` (batching on: ${r.settings.batchingConfig.maxConcurrency})` : ""}, max-queue ${r.settings.maxQueue}; batching on: maxBatchSize ${r.settings.maxBatch}, queue delay ${r.settings.delayUs} µs${r.settings.batchingConfig.cudaGraphs ? "; CUDA graphs on in both" : ""}${r.settings.serverNodeFlags?.length ? `; servers run with node ${r.settings.serverNodeFlags.join(" ")}` : ""}${r.settings.httpThreads ? `; both with --http-threads ${r.settings.httpThreads}` : ""}. Batch-1 binary requests of ${r.latency.requestBytes} bytes (answers ${r.latency.responseBytes} bytes), closed loop, ${r.settings.seconds} s per level after ${r.settings.warmup} s of warm-up. The load generator's floor: the same load against a server of ${r.settings.sinkProcesses ?? 1} process(es) that only reads each body and answers.`, "");
  lines.push("| clients | off req/s | off p50 ms | off p99 ms | on req/s | on p50 ms | on p99 ms | rows per run (on) | on / off | server CPU µs/req (off / on) | main thread busy, and its CPU µs/req (off / on) | event loop delay p99 ms (off / on) | load generator floor req/s | load generator CPU µs/req |");
  lines.push("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  r.settings.levels.forEach((clients, i) => {
    const a = r.results.off[i];
    const b = r.results.on[i];
    const f = r.floor[i];
    lines.push(`| ${clients} | ${a.rps} | ${a.p50Ms} | ${a.p99Ms} | ${b.rps} | ${b.p50Ms} | ${b.p99Ms} | ${b.rowsPerRun} | ${round(b.rps / a.rps, 2)} | ${a.serverCpuUsPerRequest} / ${b.serverCpuUsPerRequest} | ${busy(a)} / ${busy(b)} | ${a.loopDelayMs?.p99 ?? "-"} / ${b.loopDelayMs?.p99 ?? "-"} | ${f.rps} | ${b.clientCpuUsPerRequest} |`);
  });
  const failed = [...r.results.off, ...r.results.on].reduce((n, x) => n + x.failed, 0);
  lines.push("", `Requests not answered 200: ${failed}.`, "");
  lines.push("The module alone (this process, one run at a time):", "");
  lines.push("| batch | images/s | p50 ms (run and read back) |", "| ---: | ---: | ---: |");
  for (const t of r.module.throughput) lines.push(`| ${t.batch} | ${t.imagesPerSecond} | ${t.p50Ms} |`);
  lines.push("", `Batch 1: run() p50 ${r.module.runP50Ms} ms with the input in host memory, ${r.module.runDeviceInputP50Ms} ms with it on the device (host-to-device copy ≈ ${r.module.hostToDeviceMs} ms), ${r.module.runPinnedInputP50Ms ?? "-"} ms with it in pinned host memory; with the outputs read back ${r.module.runAndReadP50Ms} ms (pinned: ${r.module.runPinnedAndReadP50Ms ?? "-"} ms).`, "");
  const l = r.latency;
  lines.push(`One client, batching off, ${l.requests} requests (means unless p50):`, "");
  lines.push("| where | ms |", "| --- | ---: |");
  lines.push(`| client, p50 | ${l.clientP50Ms} |`, `| client, mean | ${l.clientMeanMs} |`, `| server, arrival of the parsed body to answer encoded | ${l.serverMeanMs} |`);
  lines.push(`| . queue | ${l.serverParts.queue} |`, `| . stacking inputs | ${l.serverParts.stackInputs} |`, `| . engine run (copies in and out included) | ${l.serverParts.engineRun} |`, `| . reading outputs to host | ${l.serverParts.readOutputs} |`, `| . parsing, decoding, encoding | ${l.parseDecodeEncodeMs} |`);
  lines.push(`| HTTP, body transfer and loopback (client mean − server) | ${l.httpAndLoopbackMs} |`, `| load generator floor, 1 client, p50 (same bytes, no model) | ${l.loadgenFloorP50Ms} |`, `| the module's own run() and read back, p50 | ${l.moduleRunAndReadP50Ms} |`);
  if (l.serverTimingP50Ms) {
    const st = l.serverTimingP50Ms;
    lines.push(`| Server-Timing p50: receive (headers parsed to body read) | ${st.receive} |`, `| Server-Timing p50: handle (body read to answer ready) | ${st.handle} |`, `| client p50 − both: headers, answer, loopback, the client | ${st.outside} |`);
  }
  lines.push("");
  lines.push(`Batched answers equal to unbatched ones: ${r.equality.identical} of ${r.equality.requests} byte for byte (largest difference ${r.equality.maxAbsDiff}; the batched ones took ${r.equality.runsForTheBatchedOnes} runs).`, "");
  const t = r.targets;
  lines.push("Targets:", "");
  if (t.throughputAt32) lines.push(`- 32 clients, batching on / off: ${t.throughputAt32.ratio}x (target ≥ ${t.throughputAt32.target}x): ${t.throughputAt32.met ? "met" : "not met"}`);
  if (t.p99At32) lines.push(`- 32 clients, p99 with batching: ${t.p99At32.p99Ms} ms (bound: queue delay + 2 × run time = ${t.p99At32.boundMs} ms): ${t.p99At32.met ? "met" : "not met"}`);
  lines.push(`- one client's p50 over the module's run(): ${t.oneClientOverModule.ms} ms (target ≤ ${t.oneClientOverModule.target} ms): ${t.oneClientOverModule.met ? "met" : "not met"}`, "");
  return `${lines.join("\n")}\n`;
}
