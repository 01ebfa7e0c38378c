import { describe, expect, it } from "vitest";
import {
  CudaError,
  InputError,
  ReleasedError,
  RuntimeUnavailableError,
  TensorRTError,
  TrtError,
  StaleTensorError,
  LayerInformationUnavailableError,
  WeightStreamingError,
} from "../src/errors/index.js";

describe("errors", () => {
  it("carry stable codes and their class name, and are TrtErrors", () => {
    const cases: [TrtError, string, string][] = [
      [
        new RuntimeUnavailableError({ component: "ffi", expected: "koffi", reason: "not installed", fix: "pnpm add koffi", pathsTried: ["a", "b"] }),
        "RUNTIME_UNAVAILABLE",
        "RuntimeUnavailableError",
      ],
      [new TensorRTError("IExecutionContext::setInputShape", "dims out of range"), "TENSORRT_CALL_FAILED", "TensorRTError"],
      [new CudaError("cudaMallocAsync", 2, "cudaErrorMemoryAllocation", "out of memory"), "CUDA_ERROR", "CudaError"],
      [new InputError({ problem: "dtype", tensor: "x", expected: "float", found: "int32", fix: "cast" }), "INVALID_INPUT", "InputError"],
      [new ReleasedError("engine", "serialize"), "RELEASED", "ReleasedError"],
      [new StaleTensorError("y", "read the tensor", "overwritten"), "STALE_TENSOR", "StaleTensorError"],
      [new LayerInformationUnavailableError("m", "layer names only"), "LAYER_INFORMATION_UNAVAILABLE", "LayerInformationUnavailableError"],
      [new WeightStreamingError({ problem: "out_of_range", engine: "m", streamableBytes: 64, requested: 65 }), "WEIGHT_STREAMING", "WeightStreamingError"],
      [new WeightStreamingError({ problem: "not_streamable", engine: "m", streamableBytes: 0, requested: "auto" }), "WEIGHT_STREAMING", "WeightStreamingError"],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(TrtError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      // Every message says what was expected, what was found, and what to do.
      expect(error.message).toMatch(/expected .+; found .+\. .+/);
    }
  });

  it("RuntimeUnavailableError lists the paths tried", () => {
    const e = new RuntimeUnavailableError({ component: "tensorrt", expected: "x", reason: "y", fix: "z", pathsTried: ["/a.so", "b.so"] });
    expect(e.pathsTried).toEqual(["/a.so", "b.so"]);
    expect(e.message).toContain("tried: /a.so, b.so");
  });

  it("TensorRTError carries the method and the logger's message", () => {
    const e = new TensorRTError("IRuntime::deserializeCudaEngine", "bad magic", "12-byte plan");
    expect(e.method).toBe("IRuntime::deserializeCudaEngine");
    expect(e.loggerMessage).toBe("bad magic");
    expect(e.message).toContain("bad magic");
    expect(e.message).toContain("12-byte plan");
    const silent = new TensorRTError("IExecutionContext::enqueueV3", null);
    expect(silent.loggerMessage).toBeNull();
    expect(silent.message).toContain("no message");
  });

  it("CudaError carries the function and cudaGetErrorString", () => {
    const e = new CudaError("cudaMemcpyAsync", 1, "cudaErrorInvalidValue", "invalid argument");
    expect(e.function).toBe("cudaMemcpyAsync");
    expect(e.status).toBe(1);
    expect(e.message).toContain("cudaErrorInvalidValue (1): invalid argument");
  });
});
