// @ts-check
// A closed-loop HTTP load generator for the benchmarks: `clients` clients, each
// with a keep-alive connection of its own, each sending its next request as
// soon as its last was answered, for a fixed time after a warm-up. The clients
// are spread over worker threads (at most one per four clients, at most
// `threads`), so one JS thread's speed does not cap the load. It reports
// requests/s, latency percentiles, answers that were not 200, and its own
// cost: the CPU time this process spent per request (all its threads), so a
// reader can tell the server's cost from the client's. Node built-ins only:
// it runs wherever node runs.
import { Buffer } from "node:buffer";
import { Agent, request } from "node:http";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

/**
 * @typedef {{ payload: Buffer, headers: Record<string, string> }} Body
 * @typedef {{ url: string, bodies: Body[], clients: number, seconds: number, warmupSeconds?: number, threads?: number, check?: (status: number, headers: import("node:http").IncomingHttpHeaders, body: Buffer, index: number) => boolean }} LoadOptions
 * @typedef {{ clients: number, seconds: number, requests: number, failed: number, wrong: number, rps: number, p50: number, p90: number, p99: number, max: number, clientCpuMicrosecondsPerRequest: number, threads: number }} LoadResult
 */

/** One POST; resolves with status, headers and body. Exported for one-request timings with the same client. */
export function post(agent, url, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { ...body.headers, "content-length": String(body.payload.length) } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body.payload);
  });
}

/** The client loop of one thread: returns latencies (ms) of the measured window, and counts. */
async function clientLoop({ url, bodies, clients, seconds, warmupSeconds, offset }) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const start = performance.now();
  const measureFrom = start + warmupSeconds * 1000;
  const end = measureFrom + seconds * 1000;
  const latencies = [];
  let failed = 0;
  let sent = 0;
  let completed = 0;
  const statuses = {};
  const loop = async (c) => {
    let i = offset + c;
    while (performance.now() < end) {
      const body = bodies[i % bodies.length];
      i += clients;
      const t0 = performance.now();
      let status = 0;
      try {
        ({ status } = await post(agent, url, body));
      } catch {
        status = -1;
      }
      const t1 = performance.now();
      completed++;
      if (t0 >= measureFrom && t1 <= end) {
        sent++;
        if (status === 200) latencies.push(t1 - t0);
        else {
          failed++;
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => loop(c)));
  agent.destroy();
  return { latencies, failed, sent, completed, statuses };
}

if (!isMainThread && workerData?.role === "loadgen-client") {
  const { url, payloads, headers, clients, seconds, warmupSeconds, offset } = workerData;
  const bodies = payloads.map((p, i) => ({ payload: Buffer.from(p.buffer, p.byteOffset, p.byteLength), headers: headers[i] }));
  clientLoop({ url, bodies, clients, seconds, warmupSeconds, offset }).then((r) => parentPort?.postMessage(r));
}

const percentile = (sorted, q) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);

/**
 * Runs the load and returns what it measured.
 * @param {LoadOptions} options
 * @returns {Promise<LoadResult & { statuses: Record<string, number> }>}
 */
export async function runLoad(options) {
  const { url, bodies, clients, seconds, warmupSeconds = 2 } = options;
  const threads = Math.max(1, Math.min(options.threads ?? Math.max(1, cpus().length >> 2), Math.ceil(clients / 4)));
  const cpuBefore = process.cpuUsage();
  const shares = Array.from({ length: threads }, (_, t) => Math.floor(clients / threads) + (t < clients % threads ? 1 : 0));
  const results = await Promise.all(
    shares.map(
      (share, t) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(fileURLToPath(import.meta.url), {
            workerData: {
              role: "loadgen-client",
              url,
              payloads: bodies.map((b) => new Uint8Array(b.payload)),
              headers: bodies.map((b) => b.headers),
              clients: share,
              seconds,
              warmupSeconds,
              offset: t * 7919,
            },
          });
          worker.once("message", resolve);
          worker.once("error", reject);
        }),
    ),
  );
  const cpu = process.cpuUsage(cpuBefore);
  const completed = results.reduce((n, r) => n + r.completed, 0);
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const statuses = {};
  for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const answered = latencies.length;
  const all = answered + failed;
  return {
    clients,
    seconds,
    requests: all,
    failed,
    wrong: 0,
    statuses,
    rps: answered / seconds,
    p50: percentile(latencies, 0.5),
    p90: percentile(latencies, 0.9),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    // This process's CPU time (every thread, warm-up included) per request it completed, in µs.
    clientCpuMicrosecondsPerRequest: completed === 0 ? NaN : (cpu.user + cpu.system) / completed,
    threads,
  };
}
