/**
 * Which device layer a process uses, decided once from what is loaded:
 *
 * 1. The TensorRT emulator in host mode takes host pointers for tensors and
 *    scratch memory, so it gets the HostDevice even on a machine with a GPU.
 *    It stands in for as many GPUs as `hostDevices` says, else as
 *    TRT_EMU_DEVICE_COUNT / TRT_EMU_DEVICE_SM say, else one.
 * 2. Otherwise CUDA, when libcudart loads and reports at least one device.
 * 3. Otherwise an error saying what was tried.
 */
import type { TensorRTLibraryInfo } from "../engine/contract.js";
import { RuntimeUnavailableError } from "../errors/index.js";
import { CudaDevice } from "./cuda-device.js";
import type { CudaDeviceOptions } from "./cuda-device.js";
import type { DeviceLayer } from "./device.js";
import { HostDevice } from "./host-device.js";
import { hostDevicesFromEnv } from "./host-devices.js";
import type { HostDevicesOption } from "./host-devices.js";
import { libraryTraits } from "../libraries/library-traits.js";

export interface SelectDeviceOptions extends CudaDeviceOptions {
  /** The loaded TensorRT (FfiBackend.library); decides whether the host device may be used. */
  readonly library?: TensorRTLibraryInfo | null;
  /** The host stand-in's devices (host mode only; see host-devices.ts). Default: from the environment variables, else one. */
  readonly hostDevices?: HostDevicesOption;
}

/** Why CUDA is not usable here, or null when it is (a GPU is present and libcudart loads). */
export function cudaUnavailableReason(options: CudaDeviceOptions = {}): string | null {
  try {
    const device = new CudaDevice(options);
    return device.deviceCount() > 0 ? null : `${device.api.path} loaded but reports no CUDA device`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Picks the device layer; see the module comment for the rule. */
export function selectDevice(options: SelectDeviceOptions = {}): DeviceLayer {
  if (options.library && libraryTraits(options.library).memory === "host") return new HostDevice(options.hostDevices ?? hostDevicesFromEnv(options.env ?? process.env));
  let reason: string;
  try {
    const device = new CudaDevice(options);
    if (device.deviceCount() > 0) return device;
    reason = `${device.api.path} loaded but reports no CUDA device`;
  } catch (error) {
    reason = error instanceof RuntimeUnavailableError ? error.reason : error instanceof Error ? error.message : String(error);
  }
  throw new RuntimeUnavailableError({
    component: "device",
    expected: "a CUDA device (libcudart and a GPU), or the TensorRT emulator in host mode",
    reason,
    fix: "Run on a machine with an NVIDIA GPU and driver, or load the TensorRT emulator built for host mode (TRT_NVINFER_PATH).",
  });
}
