/**
 * Waits for streams by being told: for each wait, an event is recorded on the
 * stream, and a host function that wakes the event loop (loop-wakeup.ts) is
 * queued behind that event on a stream of its own (the notifier). CUDA runs
 * the host function once the event has completed, the loop wakes, and every
 * pending wait whose event has completed is settled. No thread spins or
 * sleeps in the meantime, so a 100 ms wait costs no CPU.
 *
 * The host function goes on the notifier, not on the stream waited for: on
 * the work's own stream, the next run queued there would wait for CUDA to
 * get round to the host function too. With real TensorRT engines on an H100
 * that came about a millisecond after the work, and every run after the first
 * started that much later.
 *
 * Each waited stream has a notifier of its own. One notifier shared by all
 * streams would run its host functions in the order the waits were armed, so
 * a short run armed after a long one on another stream (a batch of 1 behind a
 * batch of 32 in a server) would be woken only when the long one ends.
 *
 * Wakes are merged when they come faster than the loop runs, so each wake
 * asks every pending event (cudaEventQuery, well under a microsecond each)
 * rather than trusting which stream sent it. The event is recorded before the
 * host function, so it is complete by the time the function runs.
 *
 * A slow timer looks at pending events as well, while any are pending: a
 * stream whose work failed may never run its host function, and the wait
 * must still end (with the stream's error).
 */
import type { StreamDevice } from "./stream-device.js";
import { EVENT_DISABLE_TIMING, giveEvent, takeEvent } from "./event-pool.js";
import type { PooledEvent } from "./event-pool.js";
import { loopWakeup } from "./loop-wakeup.js";
import type { LoopWakeup } from "./loop-wakeup.js";

const STREAM_NON_BLOCKING = 1;
const NOT_READY = 600; // cudaErrorNotReady
/** How often pending events are checked without a wake; only failed streams need it. */
const WATCHDOG_MS = 10;

interface PendingWait {
  readonly device: StreamDevice;
  readonly event: number;
  readonly taken: PooledEvent;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

let pending: PendingWait[] = [];
let watchdog: ReturnType<typeof setInterval> | undefined;
let wakeup: LoopWakeup | null | undefined;

/** The notifier per device object and waited stream, made on first use and kept until that stream is destroyed. */
const notifiers = new WeakMap<StreamDevice, Map<number, number>>();

function notifierStream(device: StreamDevice, waited: number): number {
  let byStream = notifiers.get(device);
  if (!byStream) notifiers.set(device, (byStream = new Map()));
  let notifier = byStream.get(waited);
  if (notifier === undefined) {
    const out = new BigUint64Array(1);
    device.check("cudaStreamCreateWithFlags", device.api.cudaStreamCreateWithFlags(out, STREAM_NON_BLOCKING));
    byStream.set(waited, (notifier = Number(out[0])));
  }
  return notifier;
}

/**
 * Destroys the notifier of `waited`, a stream about to be destroyed (CUDA
 * releases it once its queued host functions have run). The default stream's
 * notifier is kept: that stream is never destroyed.
 */
export function releaseNotifier(device: StreamDevice, waited: number): void {
  const byStream = notifiers.get(device);
  const notifier = byStream?.get(waited);
  if (notifier === undefined) return;
  byStream!.delete(waited);
  device.api.cudaStreamDestroy(notifier);
}

/** Whether completion callbacks can be used in this process (false on worker threads). */
export function completionCallbacksAvailable(): boolean {
  wakeup ??= loopWakeup(settleFinished);
  return wakeup !== null;
}

/**
 * Arms a completion callback behind the work queued on `stream` so far.
 * Returns the wait's promise, or null when no callback could be armed (no
 * wakeup in this thread, or CUDA refused the host function), so the caller
 * can wait another way.
 */
export function armCompletion(device: StreamDevice, stream: number): { done: Promise<void>; event: number } | null {
  if (!completionCallbacksAvailable()) return null;
  const taken = takeEvent(device, EVENT_DISABLE_TIMING);
  const { event } = taken;
  // The default stream is one per device; any other handle is one stream.
  const notifier = notifierStream(device, stream === 0 ? -1 - device.getDevice() : stream);
  let status = device.api.cudaEventRecord(event, stream);
  if (status === 0) status = device.api.cudaStreamWaitEvent(notifier, event, 0);
  if (status === 0) status = device.api.cudaLaunchHostFunc(notifier, wakeup!.signalFunction, wakeup!.handle);
  if (status !== 0) {
    // cudaEventRecord failing means the stream itself is broken; the caller's fallback query reports it.
    giveEvent(device, taken);
    return null;
  }
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  if (pending.length === 0) startWatching();
  pending.push({ device, event, taken, resolve, reject });
  return { done, event };
}

/**
 * Settles `event`'s wait now if its event has completed (a poller saw it
 * first). Returns whether it was settled.
 */
export function settleIfFinished(event: number): boolean {
  const index = pending.findIndex((wait) => wait.event === event);
  if (index < 0) return true;
  const wait = pending[index]!;
  if (!settle(wait)) return false;
  pending.splice(index, 1);
  if (pending.length === 0) stopWatching();
  return true;
}

/** Number of waits armed and not yet settled (tests and diagnostics). */
export function pendingCompletions(): number {
  return pending.length;
}

function settleFinished(): void {
  if (pending.length === 0) return;
  const still: PendingWait[] = [];
  for (const wait of pending) if (!settle(wait)) still.push(wait);
  pending = still;
  if (still.length === 0) stopWatching();
}

/** Settles one wait if its event is no longer pending; false while the GPU is still working on it. */
function settle(wait: PendingWait): boolean {
  const status = wait.device.api.cudaEventQuery(wait.event);
  if (status === NOT_READY) return false;
  giveEvent(wait.device, wait.taken);
  if (status === 0) wait.resolve();
  else wait.reject(wait.device.error("cudaEventQuery", status));
  return true;
}

function startWatching(): void {
  wakeup!.hold();
  watchdog = setInterval(settleFinished, WATCHDOG_MS);
  // The wakeup handle keeps the process alive while waits are pending; the timer must not on its own.
  watchdog.unref();
}

function stopWatching(): void {
  wakeup!.release();
  if (watchdog) clearInterval(watchdog);
  watchdog = undefined;
}
