/** Device placement rules, over fake multi-GPU device layers (this machine has no GPU). */
import { describe, expect, it } from "vitest";
import type { DeviceLayer, DeviceProperties } from "../src/device/index.js";
import { HostDevice } from "../src/device/index.js";
import type { TensorRTEnvironment } from "../src/environment/environment.js";
import { RuntimeUnavailableError } from "../src/errors/index.js";
import { ComputeDevice } from "../src/placement/compute-device.js";
import { parseDeviceSpec } from "../src/placement/device-spec.js";
import { placeEngine } from "../src/placement/place.js";

type Gpu = Pick<DeviceProperties, "name" | "major" | "minor">;

/** An environment whose device layer reports `gpus` (or the host stand-in). */
function machine(gpus: Gpu[] | "host"): TensorRTEnvironment {
  const layer: DeviceLayer =
    gpus === "host"
      ? new HostDevice()
      : Object.assign(Object.create(new HostDevice()) as DeviceLayer, {
          kind: "cuda" as const,
          deviceCount: () => gpus.length,
          getDevice: () => 0,
          setDevice: () => {},
          properties: (i = 0) => ({ ordinal: i, multiProcessorCount: 1, totalMemoryBytes: 1, uuid: null, ...gpus[i]! }),
        });
  const devices = new Map<number, ComputeDevice>();
  return {
    deviceLayer: layer,
    device: (i = 0) => {
      if (!devices.has(i)) devices.set(i, new ComputeDevice(layer, i));
      return devices.get(i)!;
    },
  } as unknown as TensorRTEnvironment;
}

const A100 = { name: "NVIDIA A100", major: 8, minor: 0 };
const H100 = { name: "NVIDIA H100", major: 9, minor: 0 };
const H200 = { name: "NVIDIA H200", major: 9, minor: 0 };
const T4 = { name: "Tesla T4", major: 7, minor: 5 };
const built = (gpuId: number, gpu: Gpu) => ({ gpuId, smMajor: gpu.major, smMinor: gpu.minor, deviceType: 0, deviceName: gpu.name });

describe("placement", () => {
  it("takes the recorded GPU when it has the same compute capability", () => {
    expect(placeEngine(machine([A100, H100, H100]), { recorded: built(2, H100), hardwareCompatible: false }).name).toBe("cuda:2");
  });

  it("else the first GPU with the same compute capability, preferring the same name", () => {
    expect(placeEngine(machine([A100, H200, H100]), { recorded: built(0, H100), hardwareCompatible: false }).name).toBe("cuda:2");
    expect(placeEngine(machine([A100, H200]), { recorded: built(0, H100), hardwareCompatible: false }).name).toBe("cuda:1");
  });

  it("hardware-compatible engines run on any Ampere-or-newer GPU", () => {
    expect(placeEngine(machine([T4, A100]), { recorded: built(0, H100), hardwareCompatible: true }).name).toBe("cuda:1");
  });

  it("says what the engine needs and what the machine has when nothing fits", () => {
    const attempt = () => placeEngine(machine([T4, A100]), { recorded: built(0, H100), hardwareCompatible: false });
    expect(attempt).toThrow(RuntimeUnavailableError);
    expect(attempt).toThrow(/SM 9\.0.*"NVIDIA H100".*cuda:0 "Tesla T4" \(SM 7\.5\), cuda:1 "NVIDIA A100" \(SM 8\.0\)/);
  });

  it("an engine with no compute capability recorded goes to its recorded ordinal, else 0", () => {
    const unknown = { gpuId: 1, smMajor: 0, smMinor: 0, deviceType: 0, deviceName: "" };
    expect(placeEngine(machine([T4, A100]), { recorded: unknown, hardwareCompatible: false }).name).toBe("cuda:1");
    expect(placeEngine(machine([T4]), { recorded: unknown, hardwareCompatible: false }).name).toBe("cuda:0");
    expect(placeEngine(machine([T4]), { recorded: null, hardwareCompatible: false }).name).toBe("cuda:0");
  });

  it("the device option overrides the search, not the compatibility check", () => {
    const gpus = machine([H100, H100, T4]);
    expect(placeEngine(gpus, { recorded: built(0, H100), hardwareCompatible: false, override: 1 }).name).toBe("cuda:1");
    expect(placeEngine(gpus, { recorded: built(0, H100), hardwareCompatible: false, override: "cuda:1" }).name).toBe("cuda:1");
    expect(() => placeEngine(gpus, { recorded: built(0, H100), hardwareCompatible: false, override: "cuda:2" })).toThrow(/device option picked cuda:2/);
    expect(() => placeEngine(gpus, { recorded: built(0, H100), hardwareCompatible: false, override: "cpu" })).toThrow(RuntimeUnavailableError);
    expect(() => placeEngine(gpus, { recorded: built(0, H100), hardwareCompatible: false, override: "host:0" })).toThrow(/Use "cuda:N"/);
  });

  it("the emulator's host stand-in runs any engine", () => {
    expect(placeEngine(machine("host"), { recorded: built(3, H100), hardwareCompatible: false }).name).toBe("host:0");
    expect(placeEngine(machine("host"), { recorded: built(0, T4), hardwareCompatible: false, override: 0 }).name).toBe("host:0");
  });

  it("parses device names", () => {
    expect(parseDeviceSpec("cuda")).toEqual({ kind: "cuda", ordinal: 0 });
    expect(parseDeviceSpec("cuda:3")).toEqual({ kind: "cuda", ordinal: 3 });
    expect(parseDeviceSpec(2)).toEqual({ kind: null, ordinal: 2 });
    expect(parseDeviceSpec("cpu")).toBe("cpu");
    expect(() => parseDeviceSpec("gpu0")).toThrow(/"cuda:N"/);
    expect(() => parseDeviceSpec(-1)).toThrow();
  });
});
