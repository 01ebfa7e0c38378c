import { setImmediate } from "node:timers/promises";

/** Resolves once `condition` holds, checking after each turn of the event loop (no clock involved). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await setImmediate();
}
