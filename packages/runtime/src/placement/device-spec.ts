/**
 * How users name a device: a ComputeDevice object, an ordinal, or a string
 * ("cuda:1", "host:0", "cuda" for ordinal 0), and "cpu" for JS memory
 * (tensors only; engines never run there).
 */
import type { DeviceKind } from "../device/index.js";
import { InputError } from "../errors/index.js";
import type { ComputeDevice } from "./compute-device.js";

/** A device for a module or tensor: a ComputeDevice, an ordinal, or "cuda:N" / "host:N" / "cuda". */
export type DeviceSpec = ComputeDevice | number | string;

/** A parsed {@link DeviceSpec}: which kind (null: whatever the environment has) and ordinal, or JS memory. */
export type ParsedDeviceSpec = { readonly kind: DeviceKind | null; readonly ordinal: number } | "cpu";

const PATTERN = /^(cuda|host)(?::(\d+))?$/;

/** Parses a device string or ordinal; InputError (problem "device") for anything else. */
export function parseDeviceSpec(spec: number | string): ParsedDeviceSpec {
  if (typeof spec === "number") {
    if (Number.isInteger(spec) && spec >= 0) return { kind: null, ordinal: spec };
  } else if (spec === "cpu") {
    return "cpu";
  } else {
    const match = PATTERN.exec(spec);
    if (match) return { kind: match[1] as DeviceKind, ordinal: match[2] === undefined ? 0 : Number(match[2]) };
  }
  throw new InputError({
    problem: "device",
    tensor: null,
    expected: 'a device: an ordinal, "cuda:N", "host:0" (the emulator\'s stand-in GPU) or "cpu" (JS memory, tensors only)',
    found: JSON.stringify(spec),
    fix: "Name the device in one of those forms.",
  });
}
