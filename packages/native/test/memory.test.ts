// backend.memory in host mode: the same calls the runtime makes on CUDA.
import { describe, expect, it } from "vitest";

import { ErrorCodes } from "../src/index.js";
import { backendFor, thrown } from "./helpers.js";

const { memory } = backendFor(10);

describe(`memory (${memory.mode} mode)`, () => {
  it("allocates aligned, distinct blocks, zero bytes included", () => {
    const a = memory.alloc(0);
    const b = memory.alloc(1000);
    expect(a).not.toBe(b);
    expect(a % 256).toBe(0);
    expect(b % 256).toBe(0);
    memory.free(a);
    memory.free(b);
  });

  it("copies host -> device -> device -> host, from any view", () => {
    const stream = memory.createStream();
    expect(stream).toBeGreaterThan(0);
    const a = memory.alloc(16, stream);
    const b = memory.alloc(16, stream);
    const src = Float32Array.from([1.5, 2.5, 3.5, 4.5]);
    memory.copyHostToDevice(a, src, stream);
    memory.copyDeviceToDevice(b, a, 16, stream);
    const viaView = new Uint8Array(16);
    memory.copyDeviceToHost(new DataView(viaView.buffer), b, stream);
    expect(Array.from(new Float32Array(viaView.buffer))).toEqual([1.5, 2.5, 3.5, 4.5]);
    const part = new Float32Array(8);
    memory.copyDeviceToHost(part.subarray(2, 4), b, stream);
    expect(Array.from(part)).toEqual([0, 0, 1.5, 2.5, 0, 0, 0, 0]);
    memory.synchronizeSync(stream);
    memory.free(a, stream);
    memory.free(b, stream);
    memory.destroyStream(stream);
  });

  it.runIf(memory.mode === "cuda")("CUDA failures are CudaErrors naming the function", () => {
    const e = thrown(() => memory.copyHostToDevice(8, new Uint8Array(1 << 20)));
    expect(e).toMatchObject({ name: "CudaError", code: ErrorCodes.Cuda, function: "cudaMemcpyAsync" });
    expect(e.cudaErrorName).toMatch(/^cuda/);
  });

  it("synchronize() returns a promise", async () => {
    await expect(memory.synchronize()).resolves.toBeUndefined();
    await expect(memory.synchronize(-1)).rejects.toMatchObject({ code: ErrorCodes.Input });
  });

  it.runIf(memory.mode === "host")("double free and foreign addresses are InputErrors, not heap corruption", () => {
    const a = memory.alloc(64);
    memory.free(a);
    expect(thrown(() => memory.free(a))).toMatchObject({ code: ErrorCodes.Input, problem: "device", expected: "an address this backend's memory allocated and has not released" });
    expect(thrown(() => memory.destroyStream(999))).toMatchObject({ code: ErrorCodes.Input });
    expect(thrown(() => memory.alloc(-1))).toMatchObject({ code: ErrorCodes.Input });
    expect(thrown(() => memory.copyHostToDevice(0, "x" as never))).toMatchObject({ code: ErrorCodes.Input });
  });
});
