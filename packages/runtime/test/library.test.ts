import { describe, expect, it } from "vitest";
import { RuntimeUnavailableError } from "../src/errors/index.js";
import { libraryCandidates, loadTensorRT } from "../src/ffi/library.js";
import { cudartCandidates } from "../src/device/cuda-runtime.js";

function loadError(options: Parameters<typeof loadTensorRT>[0]): RuntimeUnavailableError {
  try {
    loadTensorRT(options);
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    return error as RuntimeUnavailableError;
  }
  throw new Error("loadTensorRT did not fail");
}

describe("libnvinfer search order", () => {
  it("uses an explicit path alone", () => {
    expect(libraryCandidates({ path: "/opt/x/libnvinfer.so.10", env: { TRT_NVINFER_PATH: "/env.so" } })).toEqual([
      "/opt/x/libnvinfer.so.10",
    ]);
  });

  it("tries TRT_NVINFER_PATH, then every supported soname, newest major first", () => {
    expect(libraryCandidates({ env: { TRT_NVINFER_PATH: "/env/libnvinfer.so.10" } })).toEqual([
      "/env/libnvinfer.so.10",
      "libnvinfer.so.11",
      "libnvinfer.so.10",
    ]);
    expect(libraryCandidates({ env: {} })).toEqual(["libnvinfer.so.11", "libnvinfer.so.10"]);
  });

  it("libcudart: explicit path, TRT_CUDART_PATH, then .so.13 and .so.12", () => {
    expect(cudartCandidates({ env: { TRT_CUDART_PATH: "/c.so" } })).toEqual(["/c.so", "libcudart.so.13", "libcudart.so.12"]);
    expect(cudartCandidates({ path: "/p.so" })).toEqual(["/p.so"]);
  });
});

describe("loadTensorRT failures", () => {
  it("says which paths were tried and why each failed", () => {
    const e = loadError({ path: "/nonexistent/libnvinfer.so.10" });
    expect(e.component).toBe("tensorrt");
    expect(e.pathsTried).toEqual(["/nonexistent/libnvinfer.so.10"]);
    expect(e.message).toContain("/nonexistent/libnvinfer.so.10");
    expect(e.message).toContain("TRT_NVINFER_PATH");
  });

  it("refuses a library that is not libnvinfer", () => {
    const e = loadError({ path: "libm.so.6" });
    expect(e.reason).toContain("getInferLibVersion");
  });
});
