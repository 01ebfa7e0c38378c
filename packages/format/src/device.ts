import { fail, show } from "./errors.js";

/**
 * The device an engine was built for, as Torch-TensorRT records it in the tuple's
 * device slot: `gpu_id%sm_major%sm_minor%device_type%device_name`.
 */
export interface DeviceInfo {
  /** CUDA device ordinal the engine was built on. */
  gpuId: number;
  /** Compute capability, major part (9 for an H100). */
  smMajor: number;
  /** Compute capability, minor part. */
  smMinor: number;
  /** `nvinfer1::DeviceType` as an integer: 0 = GPU, 1 = DLA (see {@link DEVICE_TYPE}). */
  deviceType: number;
  /** The CUDA device name, e.g. "NVIDIA H100 80GB HBM3". Cannot contain `%`. */
  deviceName: string;
}

/** The values TensorRT's `DeviceType` enum defines. */
export const DEVICE_TYPE = Object.freeze({ GPU: 0, DLA: 1 } as const);

/** Field separator inside the device slot (Torch-TensorRT's `DEVICE_INFO_DELIM`). */
export const DEVICE_INFO_DELIMITER = "%";

/** "gpu", "dla", or "unknown(N)" for display. */
export function deviceTypeName(deviceType: number): string {
  if (deviceType === DEVICE_TYPE.GPU) return "gpu";
  if (deviceType === DEVICE_TYPE.DLA) return "dla";
  return `unknown(${deviceType})`;
}

// Canonical decimal only (what both upstream writers produce), so that parsing and
// formatting round-trip byte for byte; within int32 because upstream parses with stoi.
const INT = /^(0|-?[1-9][0-9]{0,9})$/;
const FIELDS = ["gpu_id", "sm_major", "sm_minor", "device_type"] as const;

function badDevice(found: string): never {
  return fail(
    "BAD_DEVICE_INFO",
    "device info `gpu_id%sm_major%sm_minor%device_type%device_name` (five fields, integers then a name)",
    found,
    "The device slot is damaged; re-export the engine, or rebuild the tuple with formatDeviceInfo().",
  );
}

/** Parses the device slot. Exactly five `%`-separated fields; BAD_DEVICE_INFO otherwise. */
export function parseDeviceInfo(text: string): DeviceInfo {
  const parts = text.split(DEVICE_INFO_DELIMITER);
  if (parts.length !== 5) badDevice(`${parts.length} field(s) in ${show(text)}`);
  const nums = FIELDS.map((field, i) => {
    const raw = parts[i] as string;
    const n = INT.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) {
      badDevice(`${field} = ${show(raw, 20)} in ${show(text)}, not a canonical 32-bit integer`);
    }
    return n;
  });
  return {
    gpuId: nums[0] as number,
    smMajor: nums[1] as number,
    smMinor: nums[2] as number,
    deviceType: nums[3] as number,
    deviceName: parts[4] as string,
  };
}

/** Formats a device for the tuple; INVALID_VALUE for non-integers or a `%` in the name. */
export function formatDeviceInfo(device: DeviceInfo): string {
  const nums = [device.gpuId, device.smMajor, device.smMinor, device.deviceType];
  nums.forEach((n, i) => {
    if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) {
      fail(
        "INVALID_VALUE",
        `${FIELDS[i]} as a 32-bit integer`,
        String(n),
        "Fix the DeviceInfo value before encoding.",
      );
    }
  });
  if (typeof device.deviceName !== "string" || device.deviceName.includes(DEVICE_INFO_DELIMITER)) {
    fail(
      "INVALID_VALUE",
      "a device name without '%' (the field separator)",
      show(String(device.deviceName)),
      "Remove '%' from deviceName; readers split the slot on it.",
    );
  }
  return [...nums.map(String), device.deviceName].join(DEVICE_INFO_DELIMITER);
}
