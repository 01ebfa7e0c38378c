/**
 * Waiting for a CUDA stream without blocking the event loop. Measured on an
 * H100 (CUDA 13, Node 20; bench/cuda-wait.ts, ranges over 2-3 runs), enqueue + wait of
 * a tiny memset, and a 7 ms wait:
 *
 * | strategy         | tiny work  | 7 ms wait: wall overshoot, process CPU  |
 * | ---------------- | ---------- | --------------------------------------- |
 * | blocking sync    | 6.6-7.6 us | 0, 7.1-7.3 ms (the event loop stalls)   |
 * | worker           | 26-29 us   | 0, 7.1-7.4 ms (a worker spins)          |
 * | worker-blocking  | 29-35 us   | 0.05-0.25 ms, 0.24-0.6 ms               |
 * | poll             | 8-10 us    | 0.35-0.7 ms, 0.9-1.15 ms                |
 * | auto             | 10-11 us   | 0.23 ms, 0.5-0.7 ms                     |
 *
 * (64 concurrent waits on 64 streams: 2.9-3.3 ms with every strategy.)
 *
 * - "worker": record an event on the stream, then cudaEventSynchronize on one
 *   of koffi's worker threads (`.async`); the promise settles from the
 *   worker's completion callback. With a plain event the worker spins.
 * - "worker-blocking": the same with a cudaEventBlockingSync event, so the
 *   worker sleeps until the GPU signals it. An event rather than
 *   cudaStreamSynchronize keeps the wait independent of the worker thread's
 *   current device (the legacy default stream 0 is per device).
 * - "poll": cudaStreamQuery from the event loop, first on setImmediate, then
 *   on 1 ms timers.
 * - "auto" (default): poll on setImmediate for up to 250 us, which catches
 *   short work with poll's latency, then hand the rest to "worker-blocking",
 *   which waits long work out at the lowest CPU cost. koffi runs async calls
 *   on a small pool of threads (about one per core) and queues the rest, so
 *   a blocked worker is a worker that deserialization and other waits cannot
 *   use: "auto" keeps at most half the cores (1..8) blocked in waits and
 *   polls on timers beyond that, and also when koffi's queue is full.
 *
 * All first ask cudaStreamQuery once: a finished stream resolves at once.
 */
import { availableParallelism } from "node:os";
import type { CudaDevice } from "./cuda-device.js";

export type StreamWaitStrategy = "auto" | "worker" | "worker-blocking" | "poll";

/**
 * How long "auto" polls before handing the wait to a worker. The handoff
 * costs about 20-30 us, so work that ends within this window should be
 * caught by polling: at 50 us, a small MLP whose kernels ran ~60 us after a
 * fast enqueue (the native engine) paid the handoff on every run (89 us per
 * run() against 58 us for the slower-to-enqueue ffi engine, H100). Polling
 * yields to the event loop between checks, so the cost of a longer window is
 * CPU time, not latency for other work.
 */
const AUTO_POLL_MS = 0.25;
/** Most waits "auto" lets block koffi worker threads at once. */
const AUTO_MAX_BLOCKED = Math.min(8, Math.max(1, Math.floor(availableParallelism() / 2)));
let blockedWorkers = 0;

const EVENT_BLOCKING_SYNC = 1;
const EVENT_DISABLE_TIMING = 2;
const POOL_LIMIT = 64;
/**
 * Idle events per device object, keyed by current device and flags: an event
 * belongs to the device that was current when it was created, and can only
 * be recorded on that device's streams.
 */
const pools = new WeakMap<CudaDevice, Map<number, number[]>>();

function takeEvent(device: CudaDevice, key: number, flags: number): number {
  let byKey = pools.get(device);
  if (!byKey) pools.set(device, (byKey = new Map()));
  const pool = byKey.get(key);
  const pooled = pool?.pop();
  if (pooled !== undefined) return pooled;
  const out = new BigUint64Array(1);
  device.check("cudaEventCreateWithFlags", device.api.cudaEventCreateWithFlags(out, flags));
  return Number(out[0]);
}

function giveEvent(device: CudaDevice, key: number, event: number): void {
  const byKey = pools.get(device)!;
  let pool = byKey.get(key);
  if (!pool) byKey.set(key, (pool = []));
  if (pool.length < POOL_LIMIT) pool.push(event);
  else device.api.cudaEventDestroy(event);
}

/**
 * Resolves when `stream`'s work queued so far is done; rejects with CudaError if it failed.
 * `activate` makes the stream's device current before an event is made and recorded (see onWorker).
 */
export function waitForStream(device: CudaDevice, stream: number, strategy: StreamWaitStrategy, activate?: () => void): Promise<void> {
  try {
    if (device.queryStream(stream)) return Promise.resolve();
  } catch (error) {
    return Promise.reject(error as Error);
  }
  switch (strategy) {
    case "poll":
      return poll(device, stream, Number.POSITIVE_INFINITY).then(() => undefined);
    case "worker":
    case "worker-blocking":
      return onWorker(device, stream, strategy === "worker-blocking", activate);
    default:
      return poll(device, stream, AUTO_POLL_MS).then((done) => {
        if (done) return undefined;
        if (blockedWorkers >= AUTO_MAX_BLOCKED) return poll(device, stream, Number.POSITIVE_INFINITY).then(() => undefined);
        blockedWorkers++;
        return onWorker(device, stream, true, activate).finally(() => void blockedWorkers--);
      });
  }
}

function onWorker(device: CudaDevice, stream: number, blocking: boolean, activate?: () => void): Promise<void> {
  // After polling, this runs on a later tick: another module may have made its device current meanwhile, and
  // cudaEventRecord fails for an event made on another device than the stream's. Put the stream's device back first.
  activate?.();
  const flags = EVENT_DISABLE_TIMING | (blocking ? EVENT_BLOCKING_SYNC : 0);
  const key = device.getDevice() * 16 + flags;
  const event = takeEvent(device, key, flags);
  const status = device.api.cudaEventRecord(event, stream);
  if (status !== 0) {
    giveEvent(device, key, event);
    return Promise.reject(device.error("cudaEventRecord", status));
  }
  return new Promise<void>((resolve, reject) => {
    try {
      device.api.cudaEventSynchronize.async(event, (error: unknown, result: number) => {
        giveEvent(device, key, event);
        if (error) reject(error as Error);
        else if (result !== 0) reject(device.error("cudaEventSynchronize", result));
        else resolve();
      });
    } catch {
      // koffi refuses new async calls once its queue (max_async_calls) is full: poll instead of failing the wait.
      giveEvent(device, key, event);
      resolve(poll(device, stream, Number.POSITIVE_INFINITY).then(() => undefined));
    }
  });
}

/** Polls cudaStreamQuery; resolves true when the stream is done, false when `budgetMs` of immediate polling ran out first. */
function poll(device: CudaDevice, stream: number, budgetMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const start = performance.now();
    let tries = 0;
    const check = () => {
      let done: boolean;
      try {
        done = device.queryStream(stream);
      } catch (error) {
        reject(error as Error);
        return;
      }
      if (done) return resolve(true);
      tries++;
      const elapsed = performance.now() - start;
      if (elapsed >= budgetMs) return resolve(false);
      // Immediate checks catch work that is nearly done within microseconds; past ~64 of them, 1 ms timers.
      if (tries < 64) setImmediate(check);
      else setTimeout(check, 1);
    };
    setImmediate(check);
  });
}
