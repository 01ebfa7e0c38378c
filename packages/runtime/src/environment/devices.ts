/**
 * The process-level entry point for listing devices, over the default
 * environment unless one is given (TensorRTEnvironment.listDevices is the
 * same per environment).
 */
import { TensorRTEnvironment } from "./environment.js";
import type { DeviceListing, ListDevicesOptions } from "./list-devices.js";

/** Options of {@link listDevices}. */
export interface ListDevicesCallOptions extends ListDevicesOptions {
  /** Whose devices (default: the process's environment, from the environment variables). */
  readonly environment?: TensorRTEnvironment;
}

/**
 * Every device the process can place a module on: ordinal, name, compute
 * capability, total and free memory, multiprocessors, PCI bus id, and
 * whether TensorRT engines can run there. With the emulator in host mode,
 * its host stand-in device(s). Never throws: returns an empty list with a
 * `reason` when there is no CUDA driver or GPU.
 */
export function listDevices(options: ListDevicesCallOptions = {}): DeviceListing {
  const { environment, ...rest } = options;
  return (environment ?? TensorRTEnvironment.default()).listDevices(rest);
}
