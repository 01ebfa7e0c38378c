/**
 * What a module writes when it is saved: its record, with the device it
 * actually ran on and this machine's platform, so the tuple says where the
 * engine was last used (as Torch-TensorRT's does). The record keeps the ABI it
 * was read from, which writers target unless told another (@trt/format's
 * write-abi.ts): a module from a Torch-TensorRT 2.11 archive saves as ABI "8".
 */
import type { DeviceInfo, SerializedEngine } from "@trt/format";
import type { ComputeDevice } from "../placement/compute-device.js";
import { currentTargetPlatform } from "../placement/platform.js";

/**
 * The device slot to write: the GPU actually used (ordinal, compute capability
 * and name from the device layer). The emulator's host stand-in is no GPU an
 * engine could target, so there the record keeps the device it was given, or
 * describes the host when it was given none.
 */
function recordedDevice(record: SerializedEngine, device: ComputeDevice): DeviceInfo {
  const props = device.properties;
  const given = record.device;
  if (device.kind === "host" && (given.smMajor !== 0 || given.smMinor !== 0 || given.deviceName !== "")) return { ...given };
  // The slot separates fields with %, so a device name cannot contain one.
  return { gpuId: device.ordinal, smMajor: props.major, smMinor: props.minor, deviceType: 0, deviceName: props.name.replaceAll("%", "_") };
}

/** `record` as saved from a module placed on `device`: a copy the caller may change. */
export function savedRecord(record: SerializedEngine, device: ComputeDevice): SerializedEngine {
  return {
    ...record,
    device: recordedDevice(record, device),
    targetPlatform: currentTargetPlatform(),
    inputBindingNames: [...record.inputBindingNames],
    outputBindingNames: [...record.outputBindingNames],
    aliasedIO: record.aliasedIO.map((a) => ({ ...a })),
  };
}
