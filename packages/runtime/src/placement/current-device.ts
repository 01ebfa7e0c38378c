/**
 * The runtime's record of which device it last made current, so that making
 * a module's device current costs an integer comparison instead of a
 * cudaGetDevice per call (see safe-mode.ts for when that is not enough).
 *
 * CUDA keeps one current device per host thread, and every CUDA call of this
 * package that depends on it runs on the JS thread, so one record serves all
 * CUDA device-layer objects of the process. Each host stand-in layer keeps a
 * current device of its own, so each gets its own record.
 */
import type { DeviceLayer } from "../device/index.js";

/** The device last made current through the runtime; -1 before the first switch (unknown). */
export interface CurrentDeviceRecord {
  ordinal: number;
}

const cuda: CurrentDeviceRecord = { ordinal: -1 };
const hosts = new WeakMap<DeviceLayer, CurrentDeviceRecord>();

/** The record that follows `layer`'s current device. */
export function currentDeviceRecord(layer: DeviceLayer): CurrentDeviceRecord {
  if (layer.kind === "cuda") return cuda;
  let record = hosts.get(layer);
  if (!record) hosts.set(layer, (record = { ordinal: -1 }));
  return record;
}
