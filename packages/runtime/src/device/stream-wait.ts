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
 * Measured on an H100 (CUDA 13, Node 20, bench/cuda-wait.ts): the median
 * time from the end of the enqueue to the end of the wait, for device-to-
 * device copies of about the given length, while the event loop was kept
 * turning (it had immediates queued throughout):
 *
 * | GPU work | blocking sync | auto    | callback | worker-blocking | poll     |
 * | -------- | ------------- | ------- | -------- | --------------- | -------- |
 * | 15 us    | 7 us          | 23 us   | 35 us    | 26 us           | 10 us    |
 * | 110 us   | 102 us        | 129 us  | 145 us   | 149 us          | 104 us   |
 * | 307 us   | 293 us        | 349 us  | 371 us   | 368 us          | 962 us   |
 * | 1.0 ms   | 0.96 ms       | 1.03 ms | 1.08 ms  | 1.07 ms         | 1.92 ms  |
 * | 9.9 ms   | 9.59 ms       | 9.78 ms | 9.77 ms  | 9.81 ms         | 10.55 ms |
 * | 99 ms    | 95.5 ms       | 95.8 ms | 95.5 ms  | 95.6 ms         | 96.7 ms  |
 *
 * ("auto" there is the earlier fixed 50 us window.) With real TensorRT
 * engines the first version of the callback cost far more: ResNet-50 fp16 at
 * batch 1 on the same H100, run() took 1.68 ms with "callback" against
 * 0.59 ms for runSync(), for ffi and native alike, and "auto" was as slow
 * whenever its poller missed. Its host function was then queued on the
 * work's own stream, so when CUDA ran it late (about 1.1 ms after the work,
 * there), the next run on that stream started late too. It now goes on a
 * stream of its own (completion-waiter.ts); bench/wake-latency.ts measures
 * how late CUDA runs it and how soon the loop notices. Until that is known,
 * "auto" also polls through the expected length of the work (poll-window.ts),
 * which costs main-thread time while the GPU works, as TensorRT's Python API
 * spends a thread's time when it synchronizes a stream.
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
