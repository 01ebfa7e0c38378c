/**
 * CudaDevice against a real GPU. Skipped, with the reason printed, where
 * libcudart or a GPU is missing (CI, the CPU machines); the same file runs on
 * a GPU machine unchanged.
 */
import { describe, expect, it } from "vitest";
import { CudaDevice, cudaUnavailableReason } from "../src/device/index.js";
import { CudaError } from "../src/errors/index.js";

const reason = cudaUnavailableReason();
if (reason) console.info(`[cuda-device.test] skipped: ${reason}`);

describe.skipIf(reason !== null)("CudaDevice (needs a GPU)", () => {
  const device = reason === null ? new CudaDevice() : (null as unknown as CudaDevice);

  it("reports devices and their properties", () => {
    expect(device.deviceCount()).toBeGreaterThan(0);
    const p = device.properties(0);
    expect(p.name.length).toBeGreaterThan(0);
    expect(p.major).toBeGreaterThanOrEqual(5);
    expect(p.multiProcessorCount).toBeGreaterThan(0);
    expect(p.totalMemoryBytes).toBeGreaterThan(2 ** 30);
    expect(p.uuid ?? "GPU-").toMatch(/^GPU-/);
    device.setDevice(0);
    expect(device.getDevice()).toBe(0);
    const mem = device.memoryInfo();
    expect(mem.totalBytes).toBeGreaterThanOrEqual(mem.freeBytes);
  });

  it("round-trips data through device memory on a stream, and through pinned memory", async () => {
    const stream = device.createStream();
    const n = 1 << 20;
    const src = new Float32Array(n).map((_, i) => i * 0.5);
    const a = device.alloc(src.byteLength, stream);
    const b = device.alloc(src.byteLength, stream);
    device.copyHostToDevice(a, src, stream);
    device.copyDeviceToDevice(b, a, src.byteLength, stream);
    const pinned = device.allocHost(src.byteLength);
    device.copyDeviceToDevice(pinned, b, src.byteLength, stream);
    await device.synchronizeAsync(stream);
    // Byte comparison: deep equality over a million elements is far slower than the copies being tested.
    const same = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(src.buffer));
    expect(same(new Float32Array(device.hostView(pinned, src.byteLength)))).toBe(true);
    const out = new Float32Array(n);
    device.copyDeviceToHost(out, b, stream);
    expect(same(out)).toBe(true);
    device.memset(b, 0, src.byteLength, stream);
    // The stream is non-blocking: a synchronous copy on the legacy default stream does not wait for it.
    device.synchronize(stream);
    device.copyDeviceToHostSync(out, b);
    expect(out.every((v) => v === 0)).toBe(true);
    device.free(a, stream);
    device.free(b, stream);
    device.freeHost(pinned);
    device.synchronize(stream);
    device.destroyStream(stream);
  });

  it("times work between events and waits for streams without blocking", async () => {
    const stream = device.createStream();
    const start = device.createEvent();
    const end = device.createEvent();
    const bytes = 256 << 20;
    const a = device.alloc(bytes, stream);
    const b = device.alloc(bytes, stream);
    device.recordEvent(start, stream);
    for (let i = 0; i < 8; i++) device.copyDeviceToDevice(b, a, bytes, stream);
    device.recordEvent(end, stream);
    for (const strategy of ["auto", "callback", "worker", "worker-blocking", "poll"] as const) {
      const d = new CudaDevice({ streamWait: strategy });
      for (let i = 0; i < 8; i++) d.copyDeviceToDevice(b, a, bytes, stream);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      await d.synchronizeAsync(stream);
      clearInterval(timer);
      expect(d.queryStream(stream)).toBe(true);
    }
    device.synchronizeEvent(end);
    expect(device.queryEvent(end)).toBe(true);
    expect(device.elapsedMs(start, end)).toBeGreaterThan(0);
    device.free(a, stream);
    device.free(b, stream);
    device.synchronize(stream);
    device.destroyEvent(start);
    device.destroyEvent(end);
    device.destroyStream(stream);
  });

  it("captures a stream into a graph and replays it", () => {
    const stream = device.createStream();
    const bytes = 4096;
    const a = device.alloc(bytes, stream);
    const b = device.alloc(bytes, stream);
    device.synchronize(stream);
    device.beginCapture(stream);
    device.copyDeviceToDevice(b, a, bytes, stream);
    const graph = device.endCapture(stream);
    const exec = device.instantiateGraph(graph);
    device.copyHostToDeviceSync(a, new Uint8Array(bytes).fill(7));
    device.launchGraph(exec, stream);
    device.synchronize(stream);
    const out = new Uint8Array(bytes);
    device.copyDeviceToHostSync(out, b);
    expect(out.every((v) => v === 7)).toBe(true);
    device.destroyGraphExec(exec);
    device.destroyGraph(graph);
    device.free(a, stream);
    device.free(b, stream);
    device.synchronize(stream);
    device.destroyStream(stream);
  });

  it("turns CUDA failures into CudaError with cudaGetErrorString", () => {
    let error: unknown;
    try {
      device.setDevice(9999);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CudaError);
    expect((error as CudaError).function).toBe("cudaSetDevice");
    expect((error as CudaError).errorName).toMatch(/^cudaError/);
  });
});
