import { deserializeHints } from "../src/errors/deserialize-hints.js";
import { describe, expect, it } from "vitest";
import {
  CudaError,
  InputError,
  ReleasedError,
  RuntimeUnavailableError,
  TensorRTCallError,
  TensorRTError,
  TrtError,
  StaleTensorError,
  LayerInformationUnavailableError,
  WeightStreamingError,
} from "../src/errors/index.js";
import { summarizeFailures } from "../src/libraries/failures.js";

describe("errors", () => {
  it("carry stable codes and their class name, and are TrtErrors", () => {
    const cases: [TrtError, string, string][] = [
      [
        new RuntimeUnavailableError({ component: "ffi", expected: "koffi", reason: "not installed", fix: "pnpm add koffi", pathsTried: ["a", "b"] }),
        "RUNTIME_UNAVAILABLE",
        "RuntimeUnavailableError",
      ],
      [new TensorRTCallError("IExecutionContext::setInputShape", "dims out of range"), "TENSORRT_CALL_FAILED", "TensorRTCallError"],
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

  it("RuntimeUnavailableError leaves the tried list out of its message when the reason names every path", () => {
    const reason = summarizeFailures(
      ["libnvinfer.so.11", "libnvinfer.so.10", "libnvinfer_lean.so.11", "libnvinfer_lean.so.10", "libnvinfer_dispatch.so.11", "libnvinfer_dispatch.so.10"].map((path) => ({
        path,
        origin: "system loader",
        reason: "Failed to load shared library: cannot open shared object file: No such file or directory",
      })),
    );
    expect(reason).toBe(
      "none of 6 candidates loaded: libnvinfer.so.11, libnvinfer.so.10, libnvinfer_lean.so.11, libnvinfer_lean.so.10, libnvinfer_dispatch.so.11, libnvinfer_dispatch.so.10 " +
        "(system loader): Failed to load shared library: cannot open shared object file: No such file or directory",
    );
    const e = new RuntimeUnavailableError({ component: "tensorrt", expected: "libnvinfer", reason, fix: "Install TensorRT.", pathsTried: ["libnvinfer.so.11", "libnvinfer.so.10"] });
    expect(e.message.match(/cannot open shared object file/g)).toHaveLength(1);
    expect(e.message).not.toContain("tried:");
    expect(e.pathsTried).toEqual(["libnvinfer.so.11", "libnvinfer.so.10"]);
  });

  it("summarizeFailures keeps each origin and reason apart, in search order", () => {
    expect(
      summarizeFailures([
        { path: "libcudart.so.13", origin: "system loader", reason: "not found" },
        { path: "/venv/nvidia/libcudart.so.13", origin: "pip site-packages, via VIRTUAL_ENV", reason: "invalid ELF header" },
        { path: "libcudart.so.12", origin: "system loader", reason: "not found" },
      ]),
    ).toBe("none of 3 candidates loaded: libcudart.so.13, libcudart.so.12 (system loader): not found; /venv/nvidia/libcudart.so.13 (pip site-packages, via VIRTUAL_ENV): invalid ELF header");
    expect(summarizeFailures([{ path: "/x/libnvinfer.so.10", origin: "$TRT_NVINFER_PATH", reason: "not found" }])).toBe("/x/libnvinfer.so.10 ($TRT_NVINFER_PATH): not found");
  });

  it("TensorRTError, the former name, is the same class as TensorRTCallError (a deprecated alias)", () => {
    const e = new TensorRTError("IRuntime::deserializeCudaEngine", null);
    expect(TensorRTError).toBe(TensorRTCallError);
    expect(e).toBeInstanceOf(TensorRTCallError);
    expect(e.name).toBe("TensorRTCallError");
  });

  it("TensorRTCallError carries the method and the logger's message", () => {
    const e = new TensorRTCallError("IRuntime::deserializeCudaEngine", "bad magic", "12-byte plan");
    expect(e.method).toBe("IRuntime::deserializeCudaEngine");
    expect(e.loggerMessage).toBe("bad magic");
    expect(e.message).toContain("bad magic");
    expect(e.message).toContain("12-byte plan");
    const silent = new TensorRTCallError("IExecutionContext::enqueueV3", null);
    expect(silent.loggerMessage).toBeNull();
    expect(silent.message).toContain("no message");
  });

  it("TensorRTCallError shows the first of several logged errors beside the last: the cause before the verdict", () => {
    // What TensorRT 10.6 logged for a plan whose lean runtime inside came from another release (H100, measured).
    const logged = [
      "IRuntime::deserializeCudaEngine: Error Code 1: Serialization (Serialization assertion stdVersionRead == kSERIALIZATION_VERSION failed.Version tag does not match. Note: Current Version: 240, Serialized Engine Version: 239)",
      "[dispatchClasses.cpp::deserializeCudaEngine::1701] Error Code 2: Internal Error (Assertion engine != nullptr failed. Engine deserialization failed.)",
      "[runtime.cpp::deserializeCudaEngineEx::276] Error Code 2: Internal Error (Assertion iEngine failed. )",
    ];
    const e = new TensorRTCallError("IRuntime::deserializeCudaEngine", logged[2]!, "105051708-byte plan", logged);
    expect(e.message).toContain("Assertion iEngine failed");
    expect(e.message).toContain("the first of its 3 errors in the call: IRuntime::deserializeCudaEngine: Error Code 1: Serialization");
    expect(e.loggerMessages).toEqual(logged);
    // One error: said once.
    const one = new TensorRTCallError("IRuntime::deserializeCudaEngine", "bad magic", undefined, ["bad magic"]);
    expect(one.message).not.toContain("the first of");
  });

  it("deserializeHints names a plan and a reader from different releases, and host code anywhere in the call's errors", () => {
    const library = { path: "/x/libnvinfer.so.10", variant: "full" } as unknown as Parameters<typeof deserializeHints>[0];
    const mismatch = deserializeHints(library, ["Error Code 1: Serialization (Version tag does not match. Note: Current Version: 240, Serialized Engine Version: 239)", "Assertion iEngine failed."], true);
    expect(mismatch).toContain("serialized in format 239 and its reader expects 240");
    expect(mismatch).toContain("builder's own release");
    const hostCode = deserializeHints(library, ["Cannot deserialize engine with lean runtime since IRuntime::getEngineHostCodeAllowed() is false.", "deserialization failed"], false);
    expect(hostCode).toContain("allowEngineHostCode: true");
    expect(deserializeHints(library, ["bad magic"], false)).toBeUndefined();
  });

  it("CudaError carries the function and cudaGetErrorString", () => {
    const e = new CudaError("cudaMemcpyAsync", 1, "cudaErrorInvalidValue", "invalid argument");
    expect(e.function).toBe("cudaMemcpyAsync");
    expect(e.status).toBe(1);
    expect(e.message).toContain("cudaErrorInvalidValue (1): invalid argument");
  });
});
