/**
 * Multi-device tests without GPUs: environments over the host-mode emulator
 * whose stand-in pretends to be several devices, and a record of every
 * execute() call with the device that was current and the device its stream
 * belongs to, from whichever engine implementation ran it. A GPU machine runs
 * the emulator in CUDA mode, where the stand-in is not used: `hostModeSkip`
 * says so and the tests using it skip.
 */
import { emulatorLibraryPath } from "@trt/emulator";
import { vi } from "vitest";
import type { HostDevicesOption } from "../../src/device/index.js";
import { HostDevice } from "../../src/device/index.js";
import { TensorRTEnvironment } from "../../src/environment/environment.js";
import { FfiContext } from "../../src/ffi/context.js";
import { NativeContextAdapter } from "../../src/native/adapter.js";

/** A fresh environment whose host stand-in has `devices` devices (fresh, so its current-device state is the test's own). */
export function multiDeviceEnvironment(devices: HostDevicesOption): TensorRTEnvironment {
  return new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10), allowEngineHostCode: true, hostDevices: devices });
}

/** Why the host stand-in tests cannot run here (the emulator runs in CUDA mode on a GPU), else null. */
export function hostModeSkip(options: { quiet?: boolean } = {}): string | null {
  const mode = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10) }).library.emulator?.mode;
  if (mode === "host") return null;
  const reason = `the emulator runs in ${String(mode)} mode here, so there is no host stand-in to pretend to be several devices`;
  if (!options.quiet) console.log(`[multi-device tests] skipped: ${reason}`);
  return reason;
}

/** The stand-in of an environment made by {@link multiDeviceEnvironment}. */
export function standIn(environment: TensorRTEnvironment): HostDevice {
  // A suite skipped by hostModeSkip still runs its body to collect its tests: there, hand it an
  // unused stand-in of its own rather than touching the environment's (CUDA) device layer.
  if (hostModeSkip({ quiet: true }) !== null) return new HostDevice(2);
  const layer = environment.deviceLayer;
  if (!(layer instanceof HostDevice)) throw new Error("expected the host stand-in device layer");
  return layer;
}

/** One execute() call: the device current at the call and the device of the stream it enqueued on. */
export interface Launch {
  readonly current: number;
  readonly streamDevice: number | null;
}

/** Records every execute() on `layer`'s streams until the returned stop() (both implementations' contexts). */
export function recordLaunches(layer: HostDevice): { launches: Launch[]; stop: () => void } {
  const launches: Launch[] = [];
  const spies = [FfiContext.prototype, NativeContextAdapter.prototype].map((proto) => {
    const original = proto.execute;
    return vi.spyOn(proto, "execute").mockImplementation(function (this: unknown, request) {
      const streamDevice = layer.streamDevice(request.stream);
      if (streamDevice !== null) launches.push({ current: layer.peekDevice(), streamDevice });
      original.call(this as never, request);
    });
  });
  return { launches, stop: () => spies.forEach((s) => s.mockRestore()) };
}
