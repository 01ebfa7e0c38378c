/**
 * Where a module's engine runs, following Torch-TensorRT's rules: the device
 * the tuple names when it is compatible; else the most compatible one (same
 * compute capability, preferring the same name); else, for engines built
 * hardware-compatible, any Ampere-or-newer GPU; else an error saying what the
 * engine needs and what the machine has. A `device` option overrides the
 * search but not the compatibility check. A device that reports no compute
 * capability (SM 0.0: the emulator's host stand-in, unless told to pretend
 * to be a particular GPU) runs any engine; the stand-in's devices are
 * otherwise placed on by the same rules as GPUs.
 */
import type { DeviceInfo } from "@trt/format";
import type { DeviceLayer, DeviceProperties } from "../device/index.js";
import { RuntimeUnavailableError } from "../errors/index.js";
import { ComputeDevice } from "./compute-device.js";
import type { DeviceSpec } from "./device-spec.js";
import { parseDeviceSpec } from "./device-spec.js";

/**
 * Where placement finds devices: the device layer and its ComputeDevices
 * (a TensorRTEnvironment is one; declared here so placement does not depend on it).
 */
export interface DeviceSource {
  readonly deviceLayer: DeviceLayer;
  device(ordinal: number): ComputeDevice;
}

/** What placement looks at. */
export interface PlacementRequest {
  /** The device recorded in the tuple; null when unknown (raw engine bytes). */
  readonly recorded: DeviceInfo | null;
  /** Built with hardware compatibility (runs on any Ampere-or-newer GPU). */
  readonly hardwareCompatible: boolean;
  /** The user's choice, overriding the search. */
  readonly override?: DeviceSpec;
}

/** Compute capability of the oldest GPU generation hardware-compatible engines run on (Ampere). */
const HARDWARE_COMPATIBLE_MIN_MAJOR = 8;

const sm = (p: { major: number; minor: number }) => `SM ${p.major}.${p.minor}`;

/** The recorded device when it states a compute capability; null when unknown (0.0, createSerializedEngine's default). */
function knownSm(recorded: DeviceInfo | null): DeviceInfo | null {
  return recorded !== null && (recorded.smMajor !== 0 || recorded.smMinor !== 0) ? recorded : null;
}

/** A device with no compute capability: the emulator's host stand-in, which runs any engine (no GPU reports SM 0.0). */
const runsAnyEngine = (p: DeviceProperties) => p.major === 0 && p.minor === 0;

/** Whether a device with `props` can run an engine recorded as `request` says. */
export function isCompatible(props: DeviceProperties, request: PlacementRequest): boolean {
  const recorded = knownSm(request.recorded);
  if (!recorded || runsAnyEngine(props)) return true;
  if (props.major === recorded.smMajor && props.minor === recorded.smMinor) return true;
  return request.hardwareCompatible && props.major >= HARDWARE_COMPATIBLE_MIN_MAJOR;
}

/** Picks the device for an engine; see the module comment for the rules. */
export function placeEngine(environment: DeviceSource, request: PlacementRequest): ComputeDevice {
  const layer = environment.deviceLayer;
  if (request.override !== undefined) return placeOverride(environment, request);
  const count = layer.deviceCount();
  const all = Array.from({ length: count }, (_, i) => layer.properties(i));
  const given = request.recorded;
  const recorded = knownSm(given);
  if (!recorded) return environment.device(given && given.gpuId < count && given.gpuId >= 0 ? given.gpuId : 0);
  const named = all[recorded.gpuId];
  const sameSm = (p: DeviceProperties) => runsAnyEngine(p) || (p.major === recorded.smMajor && p.minor === recorded.smMinor);
  if (named && sameSm(named)) return environment.device(named.ordinal);
  const candidates = all.filter(sameSm);
  const best = candidates.find((p) => p.name === recorded.deviceName) ?? candidates[0];
  if (best) return environment.device(best.ordinal);
  if (request.hardwareCompatible) {
    const modern = all.filter((p) => p.major >= HARDWARE_COMPATIBLE_MIN_MAJOR);
    const pick = modern.find((p) => p.ordinal === recorded.gpuId) ?? modern[0];
    if (pick) return environment.device(pick.ordinal);
  }
  throw new RuntimeUnavailableError({
    component: "device",
    expected: `a GPU with ${sm({ major: recorded.smMajor, minor: recorded.smMinor })} (the engine was built on "${recorded.deviceName}")${
      request.hardwareCompatible ? ", or any Ampere-or-newer GPU (it is hardware-compatible)" : ""
    }`,
    reason: count === 0 ? "no GPU was found" : `this machine has ${all.map((p) => `${layer.kind}:${p.ordinal} "${p.name}" (${sm(p)})`).join(", ")}`,
    fix: "Rebuild the engine on this GPU model, or build it with hardware compatibility (Ampere+) to run it across GPU generations.",
  });
}

function placeOverride(environment: DeviceSource, request: PlacementRequest): ComputeDevice {
  const spec = request.override!;
  const layer = environment.deviceLayer;
  let device: ComputeDevice;
  if (spec instanceof ComputeDevice) {
    device = spec;
  } else {
    const parsed = parseDeviceSpec(spec);
    if (parsed === "cpu" || (parsed.kind !== null && parsed.kind !== layer.kind)) {
      throw new RuntimeUnavailableError({
        component: "device",
        expected: `a ${layer.kind} device (what this environment's TensorRT runs on)`,
        reason: `the device option asks for ${JSON.stringify(spec)}`,
        fix: parsed === "cpu" ? "Engines run on a GPU; omit the device option or name a GPU." : `Use "${layer.kind}:N" or an ordinal.`,
      });
    }
    const count = layer.deviceCount();
    if (parsed.ordinal >= count) {
      const have = Array.from({ length: count }, (_, i) => `${layer.kind}:${i} "${layer.properties(i).name}"`).join(", ");
      throw new RuntimeUnavailableError({
        component: "device",
        expected: `one of the ${count} ${layer.kind} device${count === 1 ? "" : "s"} here (${have})`,
        reason: `the device option asks for ${JSON.stringify(spec)}, which does not exist`,
        fix: "Pick an existing device (listDevices() shows them), or leave the option out to let the runtime choose.",
      });
    }
    device = environment.device(parsed.ordinal);
  }
  if (isCompatible(device.properties, request)) return device;
  const recorded = request.recorded!;
  throw new RuntimeUnavailableError({
    component: "device",
    expected: `a GPU with ${sm({ major: recorded.smMajor, minor: recorded.smMinor })}${request.hardwareCompatible ? " or Ampere-or-newer" : ""}`,
    reason: `the device option picked ${device.name} "${device.properties.name}" (${sm(device.properties)})`,
    fix: "Pick a compatible device, or leave the option out to let the runtime choose.",
  });
}
