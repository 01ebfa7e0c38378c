/**
 * A wake-up at a moment given to the microsecond. Node's timers count whole
 * milliseconds: a batch told to wait 500 µs for company waited 1.2 ms on
 * average on an H100 machine (queue time at one client, batching on), which
 * alone broke the bound of "the delay plus twice the run". So the wait is a
 * timer while more than SPIN_MS is left, then a check on every turn of the
 * event loop (setImmediate, which lets I/O in between) until the moment has
 * come. The spinning lasts at most SPIN_MS per wait, and only while a batch
 * is waiting for company.
 */
import { clearImmediate, clearTimeout, setImmediate, setTimeout } from "node:timers";
import { performance } from "node:perf_hooks";

/** How long before the moment the timer hands over to per-turn checks: a timer may fire up to a millisecond late. */
export const SPIN_MS = 1.5;

/** Calls `fire` once `now()` reaches `dueMs`, never earlier; returns a function that cancels it. */
export function wakeAt(dueMs: number, fire: () => void, now: () => number = () => performance.now()): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let immediate: ReturnType<typeof setImmediate> | null = null;
  const check = (): void => {
    timer = null;
    immediate = null;
    const left = dueMs - now();
    if (left <= 0) fire();
    else if (left > SPIN_MS) timer = setTimeout(check, left - SPIN_MS);
    else immediate = setImmediate(check);
  };
  immediate = setImmediate(check);
  return () => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = null;
    immediate = null;
  };
}
