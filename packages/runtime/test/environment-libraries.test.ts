// Both engine implementations load the library the one search finds (the
// native engine is handed the path the runtime chose), record which TensorRT
// runtime it is, and refuse engines with host code unless allowed by the
// option or TRT_ALLOW_ENGINE_HOST_CODE. Each case runs in a fresh process
// (see fixtures/search-child.ts), over the emulator copied into a directory
// laid out like a Python environment with NVIDIA's wheels.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { engineHostCodeAllowed } from "../src/environment/host-code.js";
import { installEmulatorAs, noSystemTensorRT, searchInChild, sitePackagesOf } from "./support/fake-python-env.js";
import { IMPLEMENTATIONS } from "./support/runtime.js";
import { useTempDir } from "./support/temp-dir.js";

const tmp = useTempDir();

interface EngineOutcome {
  library: { path: string; variant: string; major: number };
  identity_f32: "deserialized" | { kind: string; message: string };
  host_code: "deserialized" | { kind: string; message: string };
}

describe("TRT_ALLOW_ENGINE_HOST_CODE", () => {
  it("allows with 1 or true, and only where the program did not decide", () => {
    expect(engineHostCodeAllowed(undefined, {})).toBe(false);
    expect(engineHostCodeAllowed(undefined, { TRT_ALLOW_ENGINE_HOST_CODE: "1" })).toBe(true);
    expect(engineHostCodeAllowed(undefined, { TRT_ALLOW_ENGINE_HOST_CODE: " TRUE " })).toBe(true);
    expect(engineHostCodeAllowed(undefined, { TRT_ALLOW_ENGINE_HOST_CODE: "0" })).toBe(false);
    expect(engineHostCodeAllowed(undefined, { TRT_ALLOW_ENGINE_HOST_CODE: "yes please" })).toBe(false);
    expect(engineHostCodeAllowed(false, { TRT_ALLOW_ENGINE_HOST_CODE: "1" })).toBe(false);
    expect(engineHostCodeAllowed(true, {})).toBe(true);
  });
});

// A child process starts tsx, koffi and the addon: seconds each on a busy 2-core machine.
describe.runIf(noSystemTensorRT)("one search for both engines (no TensorRT on the system loader's path)", { timeout: 90_000 }, () => {
  it("both load the full runtime from $VIRTUAL_ENV, and refuse host code by default", () => {
    const venv = join(tmp.path, "venv");
    const site = sitePackagesOf(venv);
    installEmulatorAs(site, "tensorrt_lean_libs/libnvinfer_lean.so.10");
    const full = installEmulatorAs(site, "tensorrt_libs/libnvinfer.so.10");
    const out = searchInChild({ mode: "environment", env: { VIRTUAL_ENV: venv, TRT_PYTHON: "" } });
    expect(out.nativeAvailability === "available").toBe(IMPLEMENTATIONS.includes("native"));
    for (const implementation of IMPLEMENTATIONS) {
      const engine = out[implementation] as EngineOutcome;
      expect(engine.library, implementation).toEqual({ path: full, variant: "full", major: 10 });
      expect(engine.identity_f32, implementation).toBe("deserialized");
      expect(engine.host_code, implementation).toMatchObject({ kind: "tensorrt" });
      const message = (engine.host_code as { message: string }).message;
      expect(message, implementation).toMatch(/carries host code.*TRT_ALLOW_ENGINE_HOST_CODE=1.*security decision/);
      expect(message, implementation).not.toMatch(/lean runtime, which/);
    }
  });

  it("the lean runtime alone: loaded and named as such; TRT_ALLOW_ENGINE_HOST_CODE=1 lets host code through", () => {
    const venv = join(tmp.path, "venv");
    const lean = installEmulatorAs(sitePackagesOf(venv), "tensorrt_lean_libs/libnvinfer_lean.so.10");
    const out = searchInChild({ mode: "environment", env: { VIRTUAL_ENV: venv, TRT_PYTHON: "", TRT_ALLOW_ENGINE_HOST_CODE: "1" } });
    for (const implementation of IMPLEMENTATIONS) {
      const engine = out[implementation] as EngineOutcome;
      expect(engine.library, implementation).toEqual({ path: lean, variant: "lean", major: 10 });
      expect(engine.host_code, implementation).toBe("deserialized");
    }
  });

  it("the option decides over the environment variable; a refusal by the lean runtime says what it is", () => {
    const lean = installEmulatorAs(tmp.path, "libnvinfer_lean.so.10");
    const out = searchInChild({
      mode: "environment",
      env: { TRT_NVINFER_PATH: lean, TRT_PYTHON: "", TRT_ALLOW_ENGINE_HOST_CODE: "1" },
      allowEngineHostCode: false,
    });
    for (const implementation of IMPLEMENTATIONS) {
      const engine = out[implementation] as EngineOutcome;
      expect(engine.library.variant, implementation).toBe("lean");
      const message = (engine.host_code as { message: string }).message;
      expect(message, implementation).toContain("libnvinfer_lean.so.10 is TensorRT's lean runtime, which runs only version-compatible engines");
      expect(message, implementation).toContain("TRT_ALLOW_ENGINE_HOST_CODE=1");
    }
  });

  it("nothing found: both engines are unavailable, with the search's list of what was tried", () => {
    const venv = join(tmp.path, "venv");
    sitePackagesOf(venv);
    const out = searchInChild({ mode: "environment", env: { VIRTUAL_ENV: venv, TRT_PYTHON: "" } });
    const tried = ["", "_lean", "_dispatch"].flatMap((stem) => [`libnvinfer${stem}.so.11`, `libnvinfer${stem}.so.10`]);
    expect(out.nativeAvailability).toMatchObject({ kind: "unavailable", component: "native", reason: expect.stringContaining("libnvinfer_dispatch.so.10 (system loader): "), pathsTried: tried });
    expect(out.ffi).toEqual({ error: expect.objectContaining({ kind: "unavailable", component: "tensorrt", pathsTried: tried }) });
  });
});
