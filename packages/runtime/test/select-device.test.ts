/** Device selection: host emulator -> HostDevice; otherwise CUDA or a clear error. */
import { describe, expect, it } from "vitest";
import { cudaUnavailableReason, HostDevice, selectDevice } from "../src/device/index.js";
import { RuntimeUnavailableError } from "../src/errors/index.js";

const noGpu = cudaUnavailableReason();

describe("selectDevice", () => {
  it("gives the host-mode emulator the HostDevice, GPU or not (its tensors are host pointers)", () => {
    const library = { path: "x", version: { major: 10, minor: 16, patch: 0, raw: 101600 }, emulator: { version: "0", mode: "host" as const } };
    expect(selectDevice({ library })).toBeInstanceOf(HostDevice);
  });

  it.skipIf(noGpu === null)("without a GPU, refuses real TensorRT with a message saying what was tried", () => {
    const library = { path: "libnvinfer.so.10", version: { major: 10, minor: 16, patch: 0, raw: 101600 }, emulator: null };
    let error: unknown;
    try {
      selectDevice({ library });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    expect((error as RuntimeUnavailableError).component).toBe("device");
    expect((error as RuntimeUnavailableError).message).toContain("emulator");
    expect(() => selectDevice({ library, path: "/nonexistent/libcudart.so.13" })).toThrow(/nonexistent/);
  });

  it.skipIf(noGpu !== null)("with a GPU, picks CUDA for real TensorRT", () => {
    expect(selectDevice({ library: null }).kind).toBe("cuda");
  });
});
