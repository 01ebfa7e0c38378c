/**
 * The host stand-in pretending to be several GPUs: what lets every
 * multi-device test run on a machine with none. It must keep CUDA's
 * bookkeeping, or those tests would pass against a layer that cannot tell
 * devices apart.
 */
import { describe, expect, it } from "vitest";
import { HOST_DEVICE_COUNT_ENV, HOST_DEVICE_SM_ENV, HostDevice, hostDevicesFromEnv, selectDevice } from "../src/device/index.js";
import { InputError } from "../src/errors/index.js";

const hostLibrary = { path: "x", version: { major: 10, minor: 16, patch: 0, raw: 101600 }, emulator: { version: "0", mode: "host" as const } };

describe("HostDevice with several devices", () => {
  it("stays one device reporting no compute capability by default (what single-device tests rely on)", () => {
    const layer = new HostDevice();
    expect(layer.deviceCount()).toBe(1);
    expect(layer.properties(0)).toMatchObject({ ordinal: 0, name: "host (no GPU)", major: 0, minor: 0, pciBusId: null });
    expect(() => layer.setDevice(1)).toThrow(InputError);
  });

  it("describes each device as asked, with defaults for what is left out", () => {
    const layer = new HostDevice([{ name: "A", major: 8, minor: 0, totalMemoryBytes: 1000 }, { major: 9, minor: 0 }]);
    expect(layer.deviceCount()).toBe(2);
    expect(layer.properties(0)).toMatchObject({ ordinal: 0, name: "A", major: 8, minor: 0, totalMemoryBytes: 1000 });
    expect(layer.properties(1)).toMatchObject({ ordinal: 1, name: "host stand-in 1 (no GPU)", major: 9, minor: 0 });
    expect(() => layer.properties(2)).toThrow(/from 0 to 1/);
  });

  it("has a current device that only setDevice changes, and counts the calls", () => {
    const layer = new HostDevice(3);
    expect(layer.getDevice()).toBe(0);
    layer.setDevice(2);
    expect(layer.getDevice()).toBe(2);
    expect(layer.peekDevice()).toBe(2);
    expect(layer.calls).toEqual({ getDevice: 2, setDevice: 1 });
    expect(() => layer.setDevice(3)).toThrow(InputError);
    expect(layer.getDevice()).toBe(2);
  });

  it("gives streams to the device current when they were made, and counts memory against the stream's device", () => {
    const layer = new HostDevice([{ totalMemoryBytes: 1 << 20 }, { totalMemoryBytes: 1 << 20 }]);
    layer.setDevice(1);
    const s1 = layer.createStream();
    layer.setDevice(0);
    const s0 = layer.createStream();
    expect(layer.streamDevice(s1)).toBe(1);
    expect(layer.streamDevice(s0)).toBe(0);
    // Current device is 0, but memory on s1's stream comes from device 1's pool (as cudaMallocAsync does).
    const a = layer.alloc(4096, s1);
    expect(layer.memoryInfo().freeBytes).toBe(1 << 20);
    layer.setDevice(1);
    expect(layer.memoryInfo()).toEqual({ freeBytes: (1 << 20) - 4096, totalBytes: 1 << 20 });
    layer.free(a, s1);
    expect(layer.memoryInfo().freeBytes).toBe(1 << 20);
  });

  it("reads TRT_EMU_DEVICE_COUNT and TRT_EMU_DEVICE_SM where the device layer is made", () => {
    expect(hostDevicesFromEnv({})).toBeUndefined();
    const env = { [HOST_DEVICE_COUNT_ENV]: "2", [HOST_DEVICE_SM_ENV]: "8.0,9.0" };
    expect(hostDevicesFromEnv(env)).toEqual([
      { major: 8, minor: 0 },
      { major: 9, minor: 0 },
    ]);
    const layer = selectDevice({ library: hostLibrary, env });
    expect(layer.deviceCount()).toBe(2);
    expect(layer.properties(1)).toMatchObject({ major: 9, minor: 0 });
    // One compute capability applies to every device; the count alone gives defaults.
    expect(selectDevice({ library: hostLibrary, env: { [HOST_DEVICE_COUNT_ENV]: "3", [HOST_DEVICE_SM_ENV]: "8.6" } }).properties(2).major).toBe(8);
    expect(selectDevice({ library: hostLibrary, env: { [HOST_DEVICE_COUNT_ENV]: "4" } }).deviceCount()).toBe(4);
    // An explicit option wins over the environment.
    expect(selectDevice({ library: hostLibrary, env, hostDevices: 5 }).deviceCount()).toBe(5);
  });

  it("refuses malformed settings with a message naming the variable", () => {
    expect(() => hostDevicesFromEnv({ [HOST_DEVICE_COUNT_ENV]: "0" })).toThrow(/TRT_EMU_DEVICE_COUNT/);
    expect(() => hostDevicesFromEnv({ [HOST_DEVICE_COUNT_ENV]: "two" })).toThrow(/TRT_EMU_DEVICE_COUNT/);
    expect(() => hostDevicesFromEnv({ [HOST_DEVICE_SM_ENV]: "sm90" })).toThrow(/"sm90".*major\.minor/);
    expect(() => hostDevicesFromEnv({ [HOST_DEVICE_COUNT_ENV]: "3", [HOST_DEVICE_SM_ENV]: "8.0,9.0" })).toThrow(/2 compute capabilities for 3/);
    expect(() => new HostDevice(0)).toThrow(RangeError);
  });
});
