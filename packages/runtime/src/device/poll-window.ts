/**
 * How long "auto" polls a stream while its completion callback is armed.
 *
 * A wake through the callback arrives some microseconds after the GPU is
 * done; a poller on setImmediate sees it within one turn of the event loop.
 * For work that ends within a couple of milliseconds those microseconds are
 * a visible share of the run, so the window covers the work's expected
 * length: the time recent waits on the same stream took (a stream is one
 * lane of one module, so its runs are alike), with some slack. Longer work
 * is left to the callback alone: there the wake's cost is a small fraction,
 * and polling all the while would only burn the main thread's time.
 */

/** Polled at least this long: catches tiny work in microseconds whatever the history says. */
export const MIN_POLL_MS = 0.05;
/** Work expected to take longer than this is not polled beyond MIN_POLL_MS. */
export const MAX_POLL_MS = 2;
/** Weight of the newest wait in the running estimate. */
const WEIGHT = 0.25;
/** Streams remembered; more than this and the oldest are forgotten (streams are created and destroyed by modules). */
const REMEMBERED = 1024;

const expected = new Map<number, number>();

/** Milliseconds to poll a wait on `stream` for. */
export function pollWindowMs(stream: number): number {
  const ms = expected.get(stream);
  if (ms === undefined || ms > MAX_POLL_MS) return MIN_POLL_MS;
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, ms * 1.25 + MIN_POLL_MS));
}

/** Records how long a wait on `stream` took, from arming to its end. */
export function recordWait(stream: number, ms: number): void {
  const last = expected.get(stream);
  if (last === undefined && expected.size >= REMEMBERED) expected.delete(expected.keys().next().value!);
  expected.set(stream, last === undefined ? ms : last + WEIGHT * (ms - last));
}
