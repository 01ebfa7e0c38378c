/**
 * How long "auto" polls a stream while its completion callback is armed.
 *
 * A poller on setImmediate sees the end of the work within one turn of the
 * event loop (2-4 us over cudaStreamSynchronize on an H100). The wake through
 * the callback came 30-120 us after copies finished, and about 1.1 ms after
 * real TensorRT engines' work (see stream-wait.ts). So the window covers the
 * work's expected length: the
 * time recent waits on the same stream took (a stream is one lane of one
 * module, so its runs are alike), with slack, up to MAX_POLL_MS. A wait that
 * the poller missed took longer, which widens the next window, so the window
 * settles where it covers the work. Beyond the cap the callback ends the
 * wait; polling a 100 ms run all the while would only burn the main thread.
 */

/** Polled at least this long: catches tiny work in microseconds whatever the history says. */
export const MIN_POLL_MS = 0.05;
/** The longest window: work expected to take longer is polled this long, then left to the callback. */
export const MAX_POLL_MS = 4;
/** Weight of the newest wait in the running estimate. */
const WEIGHT = 0.25;
/** Streams remembered; more than this and the oldest are forgotten (streams are created and destroyed by modules). */
const REMEMBERED = 1024;

const expected = new Map<number, number>();

/** Milliseconds to poll a wait on `stream` for. */
export function pollWindowMs(stream: number): number {
  const ms = expected.get(stream);
  if (ms === undefined) return MIN_POLL_MS;
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, ms * 1.25 + MIN_POLL_MS));
}

/** Records how long a wait on `stream` took, from arming to its end. */
export function recordWait(stream: number, ms: number): void {
  const last = expected.get(stream);
  if (last === undefined && expected.size >= REMEMBERED) expected.delete(expected.keys().next().value!);
  expected.set(stream, last === undefined ? ms : last + WEIGHT * (ms - last));
}
