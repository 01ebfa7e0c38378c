// `trt doctor` on this (GPU-less) machine must tell the truth: the emulator
// is named as the emulator, missing libraries are reported with every path
// tried, and no GPU is claimed. On a machine with an NVIDIA driver the
// GPU-less assertions are skipped.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { DoctorReport } from "../src/doctor/diagnose.js";
import { CHILD_TIMEOUT_MS, emulator10, trt } from "./support/cli.js";
import { nativeLoads } from "./support/native.js";

const gpuLess = !existsSync("/proc/driver/nvidia/version");
// The default search (no TRT_NVINFER_PATH) is only predictable where no real TensorRT is installed.
const noSystemTensorRT = !/libnvinfer\.so\.1[01]/.test(spawnSync("ldconfig", ["-p"], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS }).stdout ?? "");

describe("trt doctor", () => {
  it("names the emulator as the emulator, not TensorRT, and runs on the host without a GPU", () => {
    const { code, stdout, stderr } = trt(["doctor"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`tried     ${emulator10} ($TRT_NVINFER_PATH): loaded`);
    expect(stdout).toMatch(new RegExp(`is {8}the TensorRT EMULATOR [\\d.]+ at ${emulator10.replace(/[.]/g, "\\.")} \\(not TensorRT\\), host mode`));
    expect(stdout).toMatch(/status {4}ready for emulator plans only, on (native|ffi) \(this is not TensorRT\)/);
    expect(stdout).toContain("device    host:0 (the emulator's host stand-in; no GPU used)");
    expect(stdout).toContain("the library loaded is the project's TensorRT emulator, not TensorRT");
    expect(stdout).toMatch(/ffi {7}available \(koffi [\d.]+ over libnvinfer\)/);
    if (nativeLoads) expect(stdout).toMatch(/native {4}available \(.+trt_native\.node\)/);
    if (gpuLess) {
      expect(stdout).toMatch(/driver {4}no NVIDIA driver found/);
      expect(stdout).toMatch(/GPUs {6}none: no CUDA driver\/GPU found/);
    }
  });

  it("--json reports the same findings", () => {
    const { code, stdout } = trt(["doctor", "--json"]);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as DoctorReport;
    expect(r.tensorrt).toMatchObject({ found: true, path: emulator10, emulator: { mode: "host" } });
    expect(r.tensorrt.version).toMatch(/^10\.\d+\.\d+$/);
    expect(r).toMatchObject({ device: "host", ready: true, auto: nativeLoads ? "native" : "ffi", ffi: { available: true } });
    if (gpuLess) expect(r.cuda).toMatchObject({ driver: { found: false }, gpus: [] });
  });

  it("reports a library path that does not load, with what was tried, and exits 1", () => {
    const missing = "/nonexistent/libnvinfer.so.10";
    const { code, stdout } = trt(["doctor", "--nvinfer", missing, "--cudart", "/nonexistent/libcudart.so.13"]);
    expect(code).toBe(1);
    expect(stdout).toContain(`status    ${missing} not found`);
    expect(stdout).toMatch(new RegExp(`tried {5}${missing} \\(--nvinfer\\): .*cannot open shared object file`));
    expect(stdout).toMatch(/runtime {3}\/nonexistent\/libcudart\.so\.13 not found/);
    expect(stdout).toContain("ffi       unavailable: libnvinfer not found");
    expect(stdout).toContain("auto      nothing can load");
    expect(stdout).toContain("status    NOT READY: engines cannot run here");
    expect(stdout).toMatch(/- TensorRT: install TensorRT 10 or 11's runtime library/);
    expect(stdout).not.toMatch(/EMULATOR/);
  });

  it.runIf(noSystemTensorRT)("searches libnvinfer.so.11 then .so.10 by default and says neither was found", () => {
    const { code, stdout } = trt(["doctor"], { TRT_NVINFER_PATH: undefined });
    expect(code).toBe(1);
    expect(stdout).toContain("status    libnvinfer.so.11 / libnvinfer.so.10 not found");
    expect(stdout).toMatch(/tried {5}libnvinfer\.so\.11 \(system loader\): .+\n {12}libnvinfer\.so\.10 \(system loader\): /);
    if (gpuLess) {
      expect(stdout).toMatch(/- CUDA: no NVIDIA driver found; install the NVIDIA driver/);
      expect(stdout).toMatch(/GPUs {6}none: no CUDA driver\/GPU found/);
    }
  });
});
