/**
 * Resolves where a tensor should live: JS memory ("cpu") or a ComputeDevice.
 * Strings and ordinals name devices of the process's default environment;
 * pass a ComputeDevice (e.g. `module.device`) for any other.
 */
import { TensorRTEnvironment } from "../environment/environment.js";
import { InputError } from "../errors/index.js";
import { ComputeDevice } from "../placement/compute-device.js";
import type { DeviceSpec } from "../placement/device-spec.js";
import { parseDeviceSpec } from "../placement/device-spec.js";

/** The ComputeDevice `spec` names, or null for "cpu". */
export function resolveTensorDevice(spec: DeviceSpec): ComputeDevice | null {
  if (spec instanceof ComputeDevice) return spec;
  const parsed = parseDeviceSpec(spec);
  if (parsed === "cpu") return null;
  const environment = TensorRTEnvironment.default();
  const device = environment.device(parsed.ordinal);
  if (parsed.kind !== null && parsed.kind !== device.kind) {
    throw new InputError({
      problem: "device",
      tensor: null,
      expected: `a device of this process's default environment (${device.kind}:N)`,
      found: JSON.stringify(spec),
      fix: `Name it "${device.kind}:${parsed.ordinal}", or pass a ComputeDevice such as module.device.`,
    });
  }
  return device;
}
