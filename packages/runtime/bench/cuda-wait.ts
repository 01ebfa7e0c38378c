/**
 * How synchronizeAsync's strategies compare on a GPU (the numbers quoted in
 * src/device/stream-wait.ts): latency for tiny work, wall-clock overshoot and
 * process CPU for a ~7 ms wait, and 64 concurrent waits.
 * Run on a GPU machine: pnpm --filter @trt/runtime exec tsx bench/cuda-wait.ts
 */
import { CudaDevice, cudaUnavailableReason } from "../src/device/index.js";
import type { StreamWaitStrategy } from "../src/device/index.js";

const reason = cudaUnavailableReason();
if (reason) {
  console.log(`no GPU here (${reason}); nothing to measure`);
  process.exit(0);
}

const STRATEGIES: StreamWaitStrategy[] = ["auto", "worker", "worker-blocking", "poll"];
const d = new CudaDevice();
const p = d.properties();
console.log(`${p.name} (sm_${p.major}${p.minor}), CUDA runtime ${d.versions().runtime}, Node ${process.version}`);

const small = d.alloc(1024, 0);
d.synchronize(0);

async function shortWaits(label: string, wait: (s: number) => Promise<void> | void, reps = 2000): Promise<void> {
  const s = d.createStream();
  for (let i = 0; i < 200; i++) {
    d.memset(small, i & 255, 1024, s);
    await wait(s);
  }
  const t = performance.now();
  for (let i = 0; i < reps; i++) {
    d.memset(small, i & 255, 1024, s);
    await wait(s);
  }
  console.log(`tiny work, ${label.padEnd(16)} ${(((performance.now() - t) * 1000) / reps).toFixed(1)} us per enqueue + wait`);
  d.destroyStream(s);
}

const big = 1 << 30;
const A = d.alloc(big, 0);
const B = d.alloc(big, 0);
d.synchronize(0);

async function longWaits(label: string, wait: (s: number) => Promise<void> | void, reps = 10): Promise<void> {
  const s = d.createStream();
  const e1 = d.createEvent();
  const e2 = d.createEvent();
  let gpu = 0;
  let wall = 0;
  let cpu = 0;
  for (let r = 0; r < reps; r++) {
    d.recordEvent(e1, s);
    for (let i = 0; i < 10; i++) d.copyDeviceToDevice(B, A, big, s);
    d.recordEvent(e2, s);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await wait(s);
    wall += performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    gpu += d.elapsedMs(e1, e2);
  }
  const f = (x: number) => (x / reps).toFixed(2);
  console.log(`long wait, ${label.padEnd(16)} gpu ${f(gpu)} ms, wall ${f(wall)} ms, process cpu ${f(cpu)} ms`);
  for (const e of [e1, e2]) d.destroyEvent(e);
  d.destroyStream(s);
}

await shortWaits("blocking sync", (s) => d.synchronize(s));
for (const w of STRATEGIES) {
  const dw = new CudaDevice({ streamWait: w });
  await shortWaits(w, (s) => dw.synchronizeAsync(s));
}
await longWaits("blocking sync", (s) => d.synchronize(s));
for (const w of STRATEGIES) {
  const dw = new CudaDevice({ streamWait: w });
  await longWaits(w, (s) => dw.synchronizeAsync(s));
}
for (const w of STRATEGIES) {
  const dw = new CudaDevice({ streamWait: w });
  const streams = Array.from({ length: 64 }, () => d.createStream());
  const t = performance.now();
  await Promise.all(
    streams.map((s) => {
      d.copyDeviceToDevice(B, A, 1 << 26, s);
      return dw.synchronizeAsync(s);
    }),
  );
  console.log(`64 concurrent waits, ${w.padEnd(16)} ${(performance.now() - t).toFixed(2)} ms`);
  streams.forEach((s) => d.destroyStream(s));
}
for (const a of [A, B, small]) d.free(a, 0);
d.synchronize(0);
