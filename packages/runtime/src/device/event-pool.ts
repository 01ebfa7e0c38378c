/**
 * Idle CUDA events for the waits (stream-wait.ts, completion-waiter.ts),
 * kept per device object and per current device and creation flags: an event
 * belongs to the device that was current when it was made, and can only be
 * recorded on that device's streams. Making one is a driver call each wait
 * would otherwise pay.
 */
import type { StreamDevice } from "./stream-device.js";

export const EVENT_BLOCKING_SYNC = 1;
export const EVENT_DISABLE_TIMING = 2;
/** Events kept idle per key; more are destroyed when given back. */
const POOL_LIMIT = 64;

const pools = new WeakMap<StreamDevice, Map<number, number[]>>();

/** A pooled event: give it back with the same key when the wait is over. */
export interface PooledEvent {
  readonly event: number;
  readonly key: number;
}

/** An idle event made with `flags` on the current device, or a new one. */
export function takeEvent(device: StreamDevice, flags: number): PooledEvent {
  const key = device.getDevice() * 16 + flags;
  let byKey = pools.get(device);
  if (!byKey) pools.set(device, (byKey = new Map()));
  const pooled = byKey.get(key)?.pop();
  if (pooled !== undefined) return { event: pooled, key };
  const out = new BigUint64Array(1);
  device.check("cudaEventCreateWithFlags", device.api.cudaEventCreateWithFlags(out, flags));
  return { event: Number(out[0]), key };
}

export function giveEvent(device: StreamDevice, taken: PooledEvent): void {
  const byKey = pools.get(device)!;
  let pool = byKey.get(taken.key);
  if (!pool) byKey.set(taken.key, (pool = []));
  if (pool.length < POOL_LIMIT) pool.push(taken.event);
  else device.api.cudaEventDestroy(taken.event);
}
