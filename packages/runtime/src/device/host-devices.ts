/**
 * How many GPUs the host stand-in pretends to have, and what each reports.
 * Multi-GPU behaviour (placement, switching the current device, several
 * modules on several devices at once) has to be testable on machines with no
 * GPU, so the stand-in can be asked for N devices, each with a name, a
 * compute capability and memory of its own. The default is one device that
 * reports no compute capability (SM 0.0), which placement treats as able to
 * run any engine, as the single stand-in always has.
 *
 * Set in code (`new TensorRTEnvironment({ hostDevices })`) or, for a whole
 * process, with TRT_EMU_DEVICE_COUNT=N and TRT_EMU_DEVICE_SM="8.0,9.0" (one
 * compute capability per device, or one for all).
 */
import { totalmem } from "node:os";
import type { DeviceProperties } from "./device.js";

/** The number of host stand-in devices (read when the device layer is made). */
export const HOST_DEVICE_COUNT_ENV = "TRT_EMU_DEVICE_COUNT";
/** Their compute capabilities: "major.minor", comma-separated, one per device or one for all. */
export const HOST_DEVICE_SM_ENV = "TRT_EMU_DEVICE_SM";

/** What one stand-in device reports; anything left out gets a default. */
export interface HostDeviceSpec {
  /** Default "host stand-in N (no GPU)" ("host (no GPU)" when there is one device). */
  readonly name?: string;
  /** Compute capability; default 0.0, which runs any engine. */
  readonly major?: number;
  readonly minor?: number;
  /** Default 0. */
  readonly multiProcessorCount?: number;
  /** Default the host's memory. */
  readonly totalMemoryBytes?: number;
}

/** The stand-in's devices: how many (each with defaults), or each described. */
export type HostDevicesOption = number | readonly HostDeviceSpec[];

/** Full properties for each stand-in device; RangeError for a count below 1 or a bad spec. */
export function hostDeviceProperties(option: HostDevicesOption = 1): DeviceProperties[] {
  const specs: readonly HostDeviceSpec[] = typeof option === "number" ? Array.from({ length: checkCount(option, "hostDevices") }, () => ({})) : option;
  if (specs.length === 0) throw new RangeError("hostDevices: give at least one device.");
  return specs.map((spec, ordinal) => ({
    ordinal,
    name: spec.name ?? (specs.length === 1 ? "host (no GPU)" : `host stand-in ${ordinal} (no GPU)`),
    major: spec.major ?? 0,
    minor: spec.minor ?? 0,
    multiProcessorCount: spec.multiProcessorCount ?? 0,
    totalMemoryBytes: spec.totalMemoryBytes ?? totalmem(),
    uuid: null,
    pciBusId: null,
  }));
}

/** The stand-in's devices as TRT_EMU_DEVICE_COUNT / TRT_EMU_DEVICE_SM describe them; undefined when neither is set. */
export function hostDevicesFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): HostDevicesOption | undefined {
  const rawCount = env[HOST_DEVICE_COUNT_ENV]?.trim();
  const rawSm = env[HOST_DEVICE_SM_ENV]?.trim();
  if (!rawCount && !rawSm) return undefined;
  const sms = rawSm ? rawSm.split(",").map((s) => parseSm(s.trim())) : [];
  const count = rawCount ? checkCount(Number(rawCount), `the ${HOST_DEVICE_COUNT_ENV} environment variable ("${rawCount}")`) : Math.max(1, sms.length);
  if (sms.length > 1 && sms.length !== count) {
    throw new RangeError(`${HOST_DEVICE_SM_ENV} lists ${sms.length} compute capabilities for ${count} devices: give one per device, or one for all.`);
  }
  return Array.from({ length: count }, (_, i) => (sms.length === 0 ? {} : (sms[sms.length === 1 ? 0 : i] as HostDeviceSpec)));
}

function checkCount(value: number, source: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${source}: the number of host devices must be an integer of at least 1.`);
  return value;
}

function parseSm(text: string): HostDeviceSpec {
  const match = /^(\d+)\.(\d+)$/.exec(text);
  if (!match) throw new RangeError(`${HOST_DEVICE_SM_ENV}: "${text}" is not a compute capability; write "major.minor", e.g. "9.0".`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}
