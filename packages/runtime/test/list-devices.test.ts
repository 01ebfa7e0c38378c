/**
 * listDevices: every device with its properties and whether engines can run
 * there, the host stand-in's devices in host mode, and an empty list with a
 * reason (never an exception) where there is no CUDA or no TensorRT.
 */
import { describe, expect, it } from "vitest";
import { cudaUnavailableReason } from "../src/device/index.js";
import { listDevices } from "../src/environment/devices.js";
import { TensorRTEnvironment } from "../src/environment/environment.js";
import { listDevicesOf, minimumComputeCapability } from "../src/environment/list-devices.js";
import { hostModeSkip, multiDeviceEnvironment, standIn } from "./support/multi-device.js";

describe.skipIf(hostModeSkip() !== null)("listDevices with the host stand-in", () => {
  it("reports each stand-in device with its properties, able to run engines", () => {
    const environment = multiDeviceEnvironment([{ name: "A", major: 8, minor: 0, multiProcessorCount: 4, totalMemoryBytes: 1 << 30 }, { major: 9, minor: 0 }]);
    const listing = listDevices({ environment });
    expect(listing.kind).toBe("host");
    expect(listing.reason).toBeNull();
    expect(listing.devices.map((d) => d.device)).toEqual(["host:0", "host:1"]);
    expect(listing.devices[0]).toMatchObject({
      ordinal: 0,
      name: "A",
      computeCapability: "8.0",
      multiProcessorCount: 4,
      totalMemoryBytes: 1 << 30,
      freeMemoryBytes: 1 << 30,
      pciBusId: null,
      tensorrt: true,
      reason: null,
    });
    expect(listing.devices[1]).toMatchObject({ computeCapability: "9.0", tensorrt: true });
  });

  it("reads free memory per device and leaves the current device as it found it", () => {
    const environment = multiDeviceEnvironment([{ totalMemoryBytes: 1 << 20 }, { totalMemoryBytes: 1 << 20 }]);
    const layer = standIn(environment);
    layer.setDevice(1);
    const stream = layer.createStream();
    const address = layer.alloc(1000, stream);
    layer.setDevice(0);
    const listing = environment.listDevices();
    expect(listing.devices.map((d) => d.freeMemoryBytes)).toEqual([1 << 20, (1 << 20) - 1000]);
    expect(layer.peekDevice()).toBe(0);
    expect(environment.listDevices({ memory: false }).devices.every((d) => d.freeMemoryBytes === null)).toBe(true);
    layer.free(address, stream);
  });
});

describe("listDevices where nothing can be found", () => {
  it("returns an empty list with the reasons when TensorRT does not load and there is no CUDA driver", () => {
    const environment = new TensorRTEnvironment({ nvinferPath: "/nonexistent/libnvinfer.so.10", cudartPath: "/nonexistent/libcudart.so.13", nativeLoader: null });
    const listing = listDevices({ environment });
    expect(listing.kind).toBeNull();
    expect(listing.devices).toEqual([]);
    expect(listing.reason).toMatch(/TensorRT did not load/);
    expect(listing.reason).toMatch(/nonexistent\/libcudart/);
  });

  it("returns an empty list with a reason when the device layer cannot be made", () => {
    const source = {
      library: { path: "libnvinfer.so.10", version: { major: 10, minor: 16, patch: 0, raw: 101600 }, emulator: null },
      get deviceLayer(): never {
        throw new Error("libcudart.so.13: cannot open shared object file");
      },
      options: {},
    };
    expect(listDevicesOf(source)).toEqual({ kind: null, devices: [], reason: "no device: libcudart.so.13: cannot open shared object file" });
  });

  it.skipIf(cudaUnavailableReason() === null)("lists nothing from the real CUDA runtime on a machine without a GPU", () => {
    const environment = new TensorRTEnvironment({ nvinferPath: "/nonexistent/libnvinfer.so.10", nativeLoader: null });
    const listing = environment.listDevices();
    expect(listing.devices).toEqual([]);
    expect(listing.reason).not.toBeNull();
  });
});

describe("which GPUs TensorRT runs on", () => {
  it("Volta for TensorRT 10 over CUDA 12, Turing and newer otherwise", () => {
    expect(minimumComputeCapability(10, 12080)).toEqual({ major: 7, minor: 0 });
    expect(minimumComputeCapability(10, 13000)).toEqual({ major: 7, minor: 5 });
    expect(minimumComputeCapability(11, 12080)).toEqual({ major: 7, minor: 5 });
  });

  it("marks a GPU older than that as unable to run engines, saying why", () => {
    const props = (ordinal: number, major: number, minor: number) => ({ ordinal, name: `gpu${ordinal}`, major, minor, multiProcessorCount: 1, totalMemoryBytes: 1, uuid: null });
    const gpus = [props(0, 6, 1), props(1, 9, 0)];
    const layer = { kind: "cuda", deviceCount: () => 2, properties: (i: number) => gpus[i], getDevice: () => 0, setDevice: () => {} };
    const source = { library: { path: "x", version: { major: 10, minor: 16, patch: 0, raw: 101600 }, emulator: null }, deviceLayer: layer as never, options: {} };
    const listing = listDevicesOf(source);
    expect(listing.devices.map((d) => d.tensorrt)).toEqual([false, true]);
    expect(listing.devices[0]!.reason).toMatch(/TensorRT 10 needs compute capability 7\.0 or newer; this device has 6\.1/);
    expect(listing.devices[0]!.freeMemoryBytes).toBeNull();
  });
});
