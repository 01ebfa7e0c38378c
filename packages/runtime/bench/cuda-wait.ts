/**
 * How synchronizeAsync's strategies compare on a GPU (the table in
 * src/device/stream-wait.ts): for GPU work of 10 us to 100 ms, the time from
 * the end of the enqueue to the wait's end, against cudaStreamSynchronize
 * (which blocks the thread and so is the floor), the process CPU time per
 * wait, and how long the event loop went without a turn; then 8 streams
 * waited on at once.
 * Run on a GPU machine: pnpm --filter @trt/runtime exec tsx bench/cuda-wait.ts [--json FILE]
 */
import { writeFileSync } from "node:fs";
import { CudaDevice, cudaUnavailableReason } from "../src/device/index.js";
import type { StreamWaitStrategy } from "../src/device/index.js";

const reason = cudaUnavailableReason();
if (reason) {
  console.log(`no GPU here (${reason}); nothing to measure`);
  process.exit(0);
}

const STRATEGIES: StreamWaitStrategy[] = ["auto", "callback", "worker-blocking", "poll"];
const TARGETS_US = [10, 100, 300, 1_000, 10_000, 100_000];
const reps = (us: number) => (us <= 10 ? 400 : us <= 300 ? 200 : us <= 1_000 ? 100 : us <= 10_000 ? 20 : 5);

const d = new CudaDevice();
const p = d.properties();
const header = `${p.name} (sm_${p.major}${p.minor}), CUDA runtime ${d.versions().runtime}, Node ${process.version}`;
console.log(header);

const CHUNK = 1 << 28;
const A = d.alloc(CHUNK, 0);
const B = d.alloc(CHUNK, 0);
d.synchronize(0);
const s = d.createStream();
const e1 = d.createEvent();
const e2 = d.createEvent();

/** Copies that keep the GPU busy for about `us` microseconds (bytes per microsecond measured first). */
function enqueueWork(bytes: number, stream = s): void {
  for (let left = bytes; left > 0; left -= CHUNK) d.copyDeviceToDevice(B, A, Math.min(left, CHUNK), stream);
}
function measureRate(): number {
  enqueueWork(CHUNK);
  d.synchronize(s);
  d.recordEvent(e1, s);
  for (let i = 0; i < 8; i++) enqueueWork(CHUNK);
  d.recordEvent(e2, s);
  d.synchronize(s);
  return (8 * CHUNK) / (d.elapsedMs(e1, e2) * 1000);
}
const bytesPerUs = measureRate();

/** Runs not counted: enough for "auto" to learn the new length of work (poll-window.ts). */
const WARM_UP = 8;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Point {
  strategy: string;
  targetUs: number;
  gpuUs: number;
  waitUs: number;
  cpuUs: number;
  longestStallUs: number;
}
const points: Point[] = [];

async function measure(label: string, wait: () => Promise<void> | void, targetUs: number): Promise<void> {
  const bytes = Math.max(4096, Math.round(targetUs * bytesPerUs));
  const gpu: number[] = [];
  const waited: number[] = [];
  const cpu: number[] = [];
  let longestStall = 0;
  // The event loop's longest gap between turns while waiting: a blocking wait shows up as one long gap.
  let last = performance.now();
  let ticking = true;
  const tick = () => {
    const now = performance.now();
    longestStall = Math.max(longestStall, now - last);
    last = now;
    if (ticking) setImmediate(tick);
  };
  const n = reps(targetUs);
  for (let r = 0; r < n + WARM_UP; r++) {
    d.recordEvent(e1, s);
    enqueueWork(bytes);
    d.recordEvent(e2, s);
    if (r === WARM_UP) {
      last = performance.now();
      longestStall = 0;
      setImmediate(tick);
    }
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await wait();
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (r < WARM_UP) continue;
    waited.push(t * 1000);
    cpu.push(c.user + c.system);
    gpu.push(d.elapsedMs(e1, e2) * 1000);
  }
  ticking = false;
  const point = { strategy: label, targetUs, gpuUs: median(gpu), waitUs: median(waited), cpuUs: median(cpu), longestStallUs: longestStall * 1000 };
  points.push(point);
  console.log(
    `${label.padEnd(16)} gpu ${point.gpuUs.toFixed(0).padStart(7)} us  wait ${point.waitUs.toFixed(0).padStart(7)} us  ` +
      `cpu ${point.cpuUs.toFixed(0).padStart(6)} us  loop stall ${point.longestStallUs.toFixed(0)} us`,
  );
}

for (const target of TARGETS_US) {
  console.log(`-- about ${target} us of GPU work`);
  await measure("blocking sync", () => d.synchronize(s), target);
  for (const w of STRATEGIES) {
    const dw = new CudaDevice({ streamWait: w });
    await measure(w, () => dw.synchronizeAsync(s), target);
  }
}

// Eight streams at once, each with ~1 ms of work: how long until all eight waits have ended.
const concurrent: { strategy: string; allDoneUs: number }[] = [];
for (const w of STRATEGIES) {
  const dw = new CudaDevice({ streamWait: w });
  const streams = Array.from({ length: 8 }, () => d.createStream());
  const times: number[] = [];
  for (let r = 0; r < 20; r++) {
    const t = performance.now();
    await Promise.all(
      streams.map((st) => {
        enqueueWork(Math.round(1000 * bytesPerUs), st);
        return dw.synchronizeAsync(st);
      }),
    );
    times.push((performance.now() - t) * 1000);
  }
  concurrent.push({ strategy: w, allDoneUs: median(times) });
  console.log(`8 streams x ~1 ms, ${w.padEnd(16)} all done after ${median(times).toFixed(0)} us`);
  streams.forEach((st) => d.destroyStream(st));
}

const json = process.argv.indexOf("--json");
if (json > 0) writeFileSync(process.argv[json + 1]!, JSON.stringify({ device: header, points, concurrent }, null, 2));
for (const e of [e1, e2]) d.destroyEvent(e);
d.destroyStream(s);
for (const a of [A, B]) d.free(a, 0);
d.synchronize(0);
