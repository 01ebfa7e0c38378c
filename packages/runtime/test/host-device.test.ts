import { describe, expect, it } from "vitest";
import { HostDevice, TENSOR_ALIGNMENT } from "../src/device/index.js";
import { InputError, RuntimeUnavailableError } from "../src/errors/index.js";

describe("HostDevice", () => {
  const device = new HostDevice();

  it("allocates aligned, zeroed memory and frees it once", () => {
    const a = device.alloc(100);
    expect(a % TENSOR_ALIGNMENT).toBe(0);
    expect(Array.from(new Uint8Array(device.hostView(a, 100)))).toEqual(new Array(100).fill(0));
    device.free(a);
    expect(() => device.free(a)).toThrow(InputError);
    device.free(0); // null is a no-op, as with cudaFree
  });

  it("copies host->device->device->host, sync and on a stream", () => {
    const stream = device.createStream();
    const src = new Float32Array([1, 2, 3, 4]);
    const a = device.alloc(16);
    const b = device.alloc(16);
    device.copyHostToDevice(a, src, stream);
    device.copyDeviceToDevice(b, a, 16, stream);
    const out = new Float32Array(4);
    device.copyDeviceToHost(out, b, stream);
    expect(device.queryStream(stream)).toBe(true);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    device.copyHostToDeviceSync(a, new Float32Array([9, 8, 7, 6]).subarray(1, 3));
    const two = new Float32Array(2);
    device.copyDeviceToHostSync(two, a);
    expect(Array.from(two)).toEqual([8, 7]);
    device.memset(b, 0, 16, stream);
    device.copyDeviceToHostSync(out, b);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    device.free(a);
    device.free(b);
    device.destroyStream(stream);
  });

  it("copies overlapping ranges like memmove", () => {
    const a = device.alloc(8);
    device.copyHostToDeviceSync(a, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    device.copyDeviceToDeviceSync(a + 2, a, 4, );
    const out = new Uint8Array(8);
    device.copyDeviceToHostSync(out, a);
    expect(Array.from(out)).toEqual([1, 2, 1, 2, 3, 4, 7, 8]);
    device.free(a);
  });

  it("has token streams and events that time what ran between them", async () => {
    const s = device.createStream();
    const e1 = device.createEvent();
    const e2 = device.createEvent();
    device.recordEvent(e1, s);
    const until = performance.now() + 2;
    while (performance.now() < until) {
      // busy: the host device has nothing asynchronous to time
    }
    device.recordEvent(e2, s);
    expect(device.queryEvent(e2)).toBe(true);
    expect(device.elapsedMs(e1, e2)).toBeGreaterThanOrEqual(1.5);
    await device.synchronizeAsync(s);
    device.synchronize(s);
    const never = device.createEvent();
    expect(() => device.elapsedMs(e1, never)).toThrow(InputError);
    for (const e of [e1, e2, never]) device.destroyEvent(e);
    device.destroyStream(s);
  });

  it("describes itself as one host device without graphs", () => {
    expect(device.kind).toBe("host");
    expect(device.capabilities).toEqual({ graphs: false, asynchronous: false });
    expect(device.deviceCount()).toBe(1);
    expect(device.properties().name).toContain("host");
    expect(device.getDevice()).toBe(0);
    expect(() => device.setDevice(1)).toThrow(InputError);
    expect(() => device.beginCapture(0)).toThrow(RuntimeUnavailableError);
  });
});
