#!/usr/bin/env node
// @ts-check
// Load test of trt-server on loopback: starts the server (the built bin) over
// one engine, then for each mode (JSON tensors, binary tensor data over REST,
// raw tensor contents over gRPC) and each
// client concurrency sends inference requests from that many keep-alive
// connections, bounded by a request count and a time limit per level, and
// reports requests/s and latency percentiles. Every answer is checked
// against the sample engine's reference, and the server's own request
// counter (GET /metrics) must have grown by exactly the number of answers:
// nothing lost, nothing counted twice. The server's resident memory is read
// from /metrics before and after.
//
//   pnpm --filter @trt/server bench [-- --requests 5000 --seconds 20 --concurrency 1,4,16,64
//                                      --modes json,binary,grpc --max-concurrency 4 --batch 4 --json]
//
// TensorRT is $TRT_NVINFER_PATH, else the project's emulator (host mode): then
// every figure is an emulator figure, not a TensorRT one, and the output says so.
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { Agent, get, request } from "node:http";
import { performance } from "node:perf_hooks";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "5000" },
    seconds: { type: "string", default: "20" },
    concurrency: { type: "string", default: "1,4,16,64" },
    modes: { type: "string", default: "json,binary,grpc" },
    "max-concurrency": { type: "string", default: "4" },
    batch: { type: "string", default: "4" },
    json: { type: "boolean", default: false },
  },
});
const perLevel = Number(values.requests);
const secondsPerLevel = Number(values.seconds);
const levels = values.concurrency.split(",").map(Number);
const modes = values.modes.split(",");
const batch = Number(values.batch);

const sample = await import(new URL("../../../examples/engines/sample.mjs", import.meta.url).href);
const engine = fileURLToPath(new URL("../../../examples/engines/sample.trtengine", import.meta.url));
const bin = fileURLToPath(new URL("../bin/trt-server.js", import.meta.url));
let nvinfer = process.env.TRT_NVINFER_PATH;
if (!nvinfer) {
  const { emulatorLibraryPath } = await import("@trt/emulator");
  nvinfer = emulatorLibraryPath(10);
}

// 16 different inputs of `batch` rows on a quarter grid (exact references), used in turn.
const inputs = Array.from({ length: 16 }, (_, i) => Float32Array.from({ length: batch * 8 }, (_, k) => (((k * 5 + i * 3) % 17) - 8) / 4));
const expected = inputs.map((x) => sample.reference(x, batch));

/** The request body and headers for input i in `mode` (for gRPC, the ModelInferRequest). */
function body(mode, i) {
  const x = inputs[i % inputs.length];
  if (mode === "grpc") return { model_name: "sample", inputs: [{ name: "x", datatype: "FP32", shape: [batch, 8] }], raw_input_contents: [Buffer.from(x.buffer)] };
  if (mode === "json") {
    const json = JSON.stringify({ inputs: [{ name: "x", shape: [batch, 8], datatype: "FP32", data: Array.from(x) }] });
    return { payload: Buffer.from(json), headers: { "content-type": "application/json" } };
  }
  const header = Buffer.from(JSON.stringify({ inputs: [{ name: "x", shape: [batch, 8], datatype: "FP32", parameters: { binary_data_size: x.byteLength } }], parameters: { binary_data_output: true } }));
  return { payload: Buffer.concat([header, Buffer.from(x.buffer)]), headers: { "content-type": "application/octet-stream", "inference-header-content-length": String(header.length) } };
}
const bodies = Object.fromEntries(modes.map((m) => [m, inputs.map((_, i) => body(m, i))]));

/** y from a response in either mode. */
function outputOf(status, headers, data) {
  if (status !== 200) return null;
  const length = headers["inference-header-content-length"];
  if (length === undefined) return JSON.parse(data.toString()).outputs[0].data;
  const bytes = data.subarray(Number(length));
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return Array.from(new Float32Array(copy.buffer));
}

function post(agent, url, { payload, headers }) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { ...headers, "content-length": payload.length } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, data: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

async function metric(base, name, labels) {
  const text = await new Promise((resolve, reject) => {
    get(`${base}/metrics`, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => resolve(data));
    }).on("error", reject);
  });
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

// The server, as a user starts it.
const grpcWanted = modes.includes("grpc");
const server = spawn(process.execPath, [bin, "--model", `sample=${engine},max-concurrency=${values["max-concurrency"]}`, "--port", "0", "--max-queue", "64", "--grpc-port", grpcWanted ? "0" : "off"], {
  env: { ...process.env, TRT_NVINFER_PATH: nvinfer, LOG_LEVEL: "info" },
  stdio: ["ignore", "pipe", "inherit"],
});
const serving = await new Promise((resolve, reject) => {
  let pending = "";
  let url = "";
  let grpcAddress = "";
  let tensorrt = "";
  server.stdout.on("data", (chunk) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const log = JSON.parse(line);
      if (log.msg.startsWith("Server listening at ")) url = log.msg.slice("Server listening at ".length);
      if (log.msg.startsWith("gRPC listening at ")) grpcAddress = log.msg.slice("gRPC listening at ".length);
      if (log.msg === "serving") tensorrt = log.tensorrt;
      if (url && tensorrt && (grpcAddress || !grpcWanted)) resolve({ url, tensorrt, grpcAddress });
    }
  });
  server.on("exit", (code) => reject(new Error(`trt-server exited (${code}) before serving`)));
});
const base = serving.url;
const url = `${base}/v2/models/sample/infer`;
const exited = new Promise((resolve) => server.on("exit", (code, signal) => resolve({ code, signal })));

// gRPC: one client (one HTTP/2 connection, calls multiplexed on it), made from the server's own service definition.
let grpcClient = null;
if (grpcWanted) {
  const grpc = await import("@grpc/grpc-js");
  const { inferenceService } = await import("../dist/index.js");
  const Client = grpc.makeGenericClientConstructor(inferenceService(), "GRPCInferenceService");
  grpcClient = new Client(serving.grpcAddress, grpc.credentials.createInsecure());
}
/** One ModelInfer call; resolves as post() does: status 200 (or a gRPC code), and y's bytes. */
function grpcCall(request) {
  return new Promise((resolve) =>
    grpcClient.ModelInfer(request, (error, response) => resolve(error ? { status: error.code, y: null } : { status: 200, y: response.raw_output_contents[0] })),
  );
}
/** One request in `mode`. */
async function send(agent, mode, i) {
  if (mode !== "grpc") {
    const res = await post(agent, url, bodies[mode][i % 16]);
    return { status: res.status, y: outputOf(res.status, res.headers, res.data) };
  }
  const res = await grpcCall(bodies.grpc[i % 16]);
  if (res.y === null) return res;
  const copy = new Uint8Array(res.y.length);
  copy.set(res.y);
  return { status: res.status, y: Array.from(new Float32Array(copy.buffer)) };
}

// Warm-up: the engine's first lanes, the JIT, the sockets.
const warm = new Agent({ keepAlive: true, maxSockets: 4 });
await Promise.all(Array.from({ length: 50 }, (_, i) => send(warm, modes[0], i)));
warm.destroy();
const rssBefore = await metric(base, "process_resident_memory_bytes", "");

const rows = [];
for (const mode of modes) {
  for (const concurrency of levels) {
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const okBefore = await metric(base, "trt_server_inference_requests_total", '{model="sample",status="200"}');
    const latencies = [];
    let sent = 0;
    let answered = 0;
    let wrong = 0;
    let failed = 0;
    const statuses = {};
    const deadline = performance.now() + secondsPerLevel * 1000;
    const started = performance.now();
    const worker = async () => {
      while (sent < perLevel && performance.now() < deadline) {
        const i = sent++;
        const t0 = performance.now();
        try {
          const res = await send(agent, mode, i);
          latencies.push(performance.now() - t0);
          answered++;
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          const y = res.y;
          if (y === null || y.length !== expected[i % 16].length || y.some((v, k) => v !== expected[i % 16][k])) wrong++;
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();
    const okAfter = await metric(base, "trt_server_inference_requests_total", '{model="sample",status="200"}');
    const rss = await metric(base, "process_resident_memory_bytes", "");
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
    rows.push({
      mode,
      concurrency,
      sent,
      answered,
      ok: statuses[200] ?? 0,
      statuses,
      wrong,
      failed,
      serverCounted: okAfter - okBefore,
      seconds: Number(seconds.toFixed(2)),
      rps: Math.round(answered / seconds),
      p50: Number(pct(50).toFixed(2)),
      p99: Number(pct(99).toFixed(2)),
      max: Number(latencies.at(-1).toFixed(2)),
      rssMiB: Math.round(rss / 2 ** 20),
    });
  }
}
const rssAfter = await metric(base, "process_resident_memory_bytes", "");
grpcClient?.close();
server.kill("SIGTERM");
const exit = await exited;

const lost = rows.some((r) => r.answered !== r.sent || r.failed > 0 || r.wrong > 0 || r.serverCounted !== r.ok);
const result = {
  tensorrt: serving.tensorrt,
  machine: `${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}`,
  node: process.version,
  server: { maxConcurrency: Number(values["max-concurrency"]), maxQueue: 64 },
  batch,
  rows,
  rssMiB: { before: Math.round(rssBefore / 2 ** 20), after: Math.round(rssAfter / 2 ** 20) },
  serverExit: exit,
  nothingLost: !lost,
};
if (values.json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  console.log(`trt-server load test on ${result.machine}, Node ${result.node}; ${result.tensorrt}`);
  if (/emulator/i.test(result.tensorrt)) console.log("These are emulator figures (the engine runs on the CPU, on the server's JS thread): not TensorRT results.");
  console.log(`sample engine, x [${batch}, 8] -> y [${batch}, 4]; server maxConcurrency ${result.server.maxConcurrency}, max-queue 64; loopback, keep-alive`);
  console.log("mode    conc  requests  answered  ok (server count)  req/s   p50 ms  p99 ms  max ms  RSS MiB");
  for (const r of rows) {
    console.log(
      `${r.mode.padEnd(7)} ${String(r.concurrency).padStart(4)}  ${String(r.sent).padStart(8)}  ${String(r.answered).padStart(8)}  ${`${r.ok} (${r.serverCounted})`.padStart(17)}  ${String(r.rps).padStart(5)}  ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${r.max.toFixed(2).padStart(7)}  ${String(r.rssMiB).padStart(7)}`,
    );
  }
  console.log(`server RSS: ${result.rssMiB.before} MiB before, ${result.rssMiB.after} MiB after; server exit ${JSON.stringify(exit)}`);
  console.log(lost ? "LOST OR WRONG ANSWERS: see the rows above" : "every request answered, every answer right, the server's count matches");
}
process.exit(lost || exit.code !== 0 ? 1 : 0);
