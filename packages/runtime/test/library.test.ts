import { describe, expect, it } from "vitest";
import { RuntimeUnavailableError } from "../src/errors/index.js";
import { libraryCandidates, loadTensorRT } from "../src/ffi/library.js";
import { cudartCandidates } from "../src/device/cuda-runtime.js";
import { SYSTEM_NAMES } from "./support/library-names.js";

function loadError(options: Parameters<typeof loadTensorRT>[0]): RuntimeUnavailableError {
  try {
    loadTensorRT(options);
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    return error as RuntimeUnavailableError;
  }
  throw new Error("loadTensorRT did not fail");
}

const paths = (list: readonly { path: string }[]) => list.map((c) => c.path);
// No Python is asked (TRT_PYTHON empty) and no prefix is set: only the names for the system loader remain.
const bare = { TRT_PYTHON: "" };

describe("libnvinfer search order", () => {
  it("uses an explicit path alone", () => {
    expect(libraryCandidates({ path: "/opt/x/libnvinfer.so.10", env: { TRT_NVINFER_PATH: "/env.so" } })).toEqual([
      { path: "/opt/x/libnvinfer.so.10", source: "option", via: null },
    ]);
  });

  it("uses TRT_NVINFER_PATH alone when it is set", () => {
    expect(libraryCandidates({ env: { ...bare, TRT_NVINFER_PATH: "/env/libnvinfer_lean.so.10" } })).toEqual([
      { path: "/env/libnvinfer_lean.so.10", source: "environment", via: "TRT_NVINFER_PATH" },
    ]);
  });

  it("else asks the system loader for every supported major, newest first: full, then lean, then dispatch", () => {
    const list = libraryCandidates({ env: bare });
    expect(paths(list)).toEqual(SYSTEM_NAMES);
    expect(new Set(list.map((c) => c.source))).toEqual(new Set(["system-loader"]));
  });

  it("libcudart: explicit path alone, else TRT_CUDART_PATH alone, else .so.13 and .so.12", () => {
    expect(cudartCandidates({ path: "/p.so", env: { TRT_CUDART_PATH: "/c.so" } })).toEqual([{ path: "/p.so", source: "option", via: null }]);
    expect(cudartCandidates({ env: { ...bare, TRT_CUDART_PATH: "/c.so" } })).toEqual([{ path: "/c.so", source: "environment", via: "TRT_CUDART_PATH" }]);
    expect(paths(cudartCandidates({ env: bare }))).toEqual(["libcudart.so.13", "libcudart.so.12"]);
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

  it("names where each candidate came from", () => {
    const e = loadError({ env: { ...bare, TRT_NVINFER_PATH: "/nonexistent/libnvinfer_lean.so.10" } });
    expect(e.pathsTried).toEqual(["/nonexistent/libnvinfer_lean.so.10"]);
    expect(e.reason).toMatch(/^\/nonexistent\/libnvinfer_lean\.so\.10 \(\$TRT_NVINFER_PATH\): /);
  });
});
