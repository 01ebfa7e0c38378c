/**
 * Waiting for a CUDA stream without blocking the event loop.
 *
 * - "auto" (default): a completion callback (completion-waiter.ts: an event,
 *   then a host function that wakes the event loop), and meanwhile polls the
 *   event on setImmediate for a window (poll-window.ts: 50 us, or as long as
 *   recent waits on the stream took when that is under 2 ms), which sees the
 *   end of short work sooner than a wake-up can. Past the window the main
 *   thread does nothing until the wake. Where no callback can be armed
 *   (a worker thread), it polls for the window and then waits on a worker
 *   as "worker-blocking" does.
 * - "callback": the completion callback alone.
 * - "worker": record an event, then cudaEventSynchronize on one of koffi's
 *   worker threads (`.async`); with a plain event the worker spins.
 * - "worker-blocking": the same with a cudaEventBlockingSync event, so the
 *   worker sleeps until the GPU signals it. koffi runs async calls on a small
 *   pool of threads (about one per core), so at most half the cores (1..8)
 *   are kept blocked in waits; beyond that, and when koffi's queue is full,
 *   it polls.
 * - "poll": cudaStreamQuery from the event loop on setImmediate, then on
 *   1 ms timers once the window has passed.
 *
 * All first ask cudaStreamQuery once: a finished stream resolves at once.
 *
 * Measured on an H100 (CUDA 13, Node 20, bench/cuda-wait.ts, 2026-12-07,
 * tools/bench/results/2026-12-07-h100-cuda-wait.json): the median time from
 * the end of the enqueue to the end of the wait, for device-to-device copies
 * of about the given length, while the event loop was kept turning (it had
 * immediates queued throughout):
 *
 * | GPU work | blocking sync | auto    | callback | worker-blocking | poll     |
 * | -------- | ------------- | ------- | -------- | --------------- | -------- |
 * | 15 us    | 8 us          | 22 us   | 37 us    | 46 us           | 10 us    |
 * | 108 us   | 102 us        | 138 us  | 145 us   | 211 us          | 104 us   |
 * | 308 us   | 294 us        | 329 us  | 370 us   | 430 us          | 955 us   |
 * | 1.0 ms   | 0.97 ms       | 1.00 ms | 1.05 ms  | 1.03 ms         | 1.94 ms  |
 * | 10 ms    | 9.56 ms       | 9.79 ms | 9.65 ms  | 9.78 ms         | 10.60 ms |
 * | 99 ms    | 95.8 ms       | 96.3 ms | 96.6 ms  | 96.3 ms         | 96.9 ms  |
 *
 * Eight streams with about 1 ms each, waited on at once: all done after
 * 7.98 ms (auto), 7.96 (callback), 7.99 (worker-blocking), 8.52 (poll).
 * Where the callback's extra 30-60 us goes (bench/wake-latency.ts, same
 * H100): CUDA runs the host function 17-51 us after the GPU's work ends, and
 * the event loop notices its wake 4-16 us after that. So "auto" keeps
 * polling the event through the expected length of the work (poll-window.ts,
 * up to 4 ms), which is what brings it to within 35 us of a blocking sync
 * for work up to 1 ms, and lets the callback end longer waits without
 * spending the main thread.
 *
 * The first version of the callback queued its host function on the work's
 * own stream: with real TensorRT engines (ResNet-50 fp16 at batch 1 on the
 * same H100) run() then took 1.68 ms against 0.59 ms for runSync(), because
 * CUDA ran the host function about 1.1 ms late and the next run on that
 * stream started that much later. The host function now goes on a stream of
 * its own, behind the run's event (completion-waiter.ts); on the same engine
 * run() then took 654 us against 609 us for runSync() and 605 us for
 * TensorRT's Python loop (docs/benchmarks.md).
 */
import { availableParallelism } from "node:os";
import { armCompletion, settleIfFinished } from "./completion-waiter.js";
import type { StreamDevice } from "./stream-device.js";
import { EVENT_BLOCKING_SYNC, EVENT_DISABLE_TIMING, giveEvent, takeEvent } from "./event-pool.js";
import { pollWindowMs, recordWait } from "./poll-window.js";

export type StreamWaitStrategy = "auto" | "callback" | "worker" | "worker-blocking" | "poll";
const STRATEGIES: readonly StreamWaitStrategy[] = ["auto", "callback", "worker", "worker-blocking", "poll"];
export const STREAM_WAIT_ENV = "TRT_STREAM_WAIT";

/** The strategy TRT_STREAM_WAIT names, if set; a value that names none is an error that lists them. */
export function streamWaitFromEnv(env: Readonly<Record<string, string | undefined>>): StreamWaitStrategy | undefined {
  const value = env[STREAM_WAIT_ENV];
  if (value === undefined || value === "") return undefined;
  if ((STRATEGIES as readonly string[]).includes(value)) return value as StreamWaitStrategy;
  throw new TypeError(`${STREAM_WAIT_ENV}=${JSON.stringify(value)} is not a stream wait strategy; expected one of ${STRATEGIES.join(", ")}, or unset for "auto"`);
}

/**
 * How long polling stays on setImmediate, where no callback can be armed,
 * before "auto" hands the wait to a worker and "poll" moves to timers. A
 * 1 ms timer inside the window would make work that ends just after it pay
 * up to a millisecond, which is what the window exists to avoid.
 */
const IMMEDIATE_POLL_MS = 0.25;
/** Most waits "auto" lets block koffi worker threads at once. */
const AUTO_MAX_BLOCKED = Math.min(8, Math.max(1, Math.floor(availableParallelism() / 2)));
let blockedWorkers = 0;

/**
 * Resolves when `stream`'s work queued so far is done; rejects with CudaError if it failed.
 * `activate` makes the stream's device current before an event is made and recorded (see onWorker).
 */
export function waitForStream(device: StreamDevice, stream: number, strategy: StreamWaitStrategy, activate?: () => void): Promise<void> {
  try {
    if (device.queryStream(stream)) return Promise.resolve();
  } catch (error) {
    return Promise.reject(error as Error);
  }
  switch (strategy) {
    case "poll":
      return poll(() => device.queryStream(stream), IMMEDIATE_POLL_MS, true).then(() => undefined);
    case "worker":
    case "worker-blocking":
      return onWorker(device, stream, strategy === "worker-blocking", activate);
    case "callback":
      activate?.();
      return armCompletion(device, stream)?.done ?? pollThenWorker(device, stream, activate);
    default: {
      // The event is made and recorded on the current device, which must be the stream's.
      activate?.();
      const armed = armCompletion(device, stream);
      if (!armed) return pollThenWorker(device, stream, activate);
      // Whichever sees the event first settles the wait; the poller simply stops at the window's end.
      const start = performance.now();
      void poll(() => settleIfFinished(armed.event), pollWindowMs(stream), false).catch(() => undefined);
      return armed.done.then(() => recordWait(stream, performance.now() - start));
    }
  }
}

/** Where no completion callback can be armed: poll for a while on setImmediate, then wait on a worker. */
function pollThenWorker(device: StreamDevice, stream: number, activate?: () => void): Promise<void> {
  return poll(() => device.queryStream(stream), IMMEDIATE_POLL_MS, false).then((done) => {
    if (done) return undefined;
    if (blockedWorkers >= AUTO_MAX_BLOCKED) return poll(() => device.queryStream(stream), 0, true).then(() => undefined);
    blockedWorkers++;
    return onWorker(device, stream, true, activate).finally(() => void blockedWorkers--);
  });
}

function onWorker(device: StreamDevice, stream: number, blocking: boolean, activate?: () => void): Promise<void> {
  // After polling, this runs on a later tick: another module may have made its device current meanwhile, and
  // cudaEventRecord fails for an event made on another device than the stream's. Put the stream's device back first.
  activate?.();
  const taken = takeEvent(device, EVENT_DISABLE_TIMING | (blocking ? EVENT_BLOCKING_SYNC : 0));
  const { event } = taken;
  const status = device.api.cudaEventRecord(event, stream);
  if (status !== 0) {
    giveEvent(device, taken);
    return Promise.reject(device.error("cudaEventRecord", status));
  }
  return new Promise<void>((resolve, reject) => {
    try {
      device.api.cudaEventSynchronize.async(event, (error: unknown, result: number) => {
        giveEvent(device, taken);
        if (error) reject(error as Error);
        else if (result !== 0) reject(device.error("cudaEventSynchronize", result));
        else resolve();
      });
    } catch {
      // koffi refuses new async calls once its queue (max_async_calls) is full: poll instead of failing the wait.
      giveEvent(device, taken);
      resolve(poll(() => device.queryStream(stream), 0, true).then(() => undefined));
    }
  });
}

/**
 * Calls `finished` on setImmediate until it returns true (resolves true) or
 * `immediateMs` has passed: then resolves false, or with `thenTimers` goes
 * on checking on 1 ms timers until it is true.
 */
function poll(finished: () => boolean, immediateMs: number, thenTimers: boolean): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const start = performance.now();
    const check = () => {
      let done: boolean;
      try {
        done = finished();
      } catch (error) {
        reject(error as Error);
        return;
      }
      if (done) return resolve(true);
      if (performance.now() - start < immediateMs) setImmediate(check);
      else if (thenTimers) setTimeout(check, 1);
      else resolve(false);
    };
    setImmediate(check);
  });
}
