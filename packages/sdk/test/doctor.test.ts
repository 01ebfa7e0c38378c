// `trt doctor` on this (GPU-less) machine must tell the truth: the emulator
// is named as the emulator, missing libraries are reported with every path
// tried, and no GPU is claimed. On a machine with an NVIDIA driver the
// GPU-less assertions are skipped.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { DoctorReport } from "../src/doctor/diagnose.js";
import { CHILD_TIMEOUT_MS, emulator10, sample, sampleInput, tempDir, trt } from "./support/cli.js";
import { nativeLoads } from "./support/native.js";

const gpuLess = !existsSync("/proc/driver/nvidia/version");
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// The search without TRT_NVINFER_PATH, and without this machine's Python environments.
const noPython = { TRT_NVINFER_PATH: undefined, VIRTUAL_ENV: undefined, CONDA_PREFIX: undefined, TRT_PYTHON: "" };
// The default search (no TRT_NVINFER_PATH) is only predictable where the system loader opens no TensorRT
// (ldconfig or LD_LIBRARY_PATH). Asked in a fresh process: this one may have loaded the emulator, whose
// soname is libnvinfer.so.10. Starting node and koffi takes under a second, more on a busy machine.
const noSystemTensorRT = (() => {
  const names = ["", "_lean", "_dispatch"].flatMap((stem) => [11, 10].map((major) => `libnvinfer${stem}.so.${major}`));
  const script = `const koffi = require(${JSON.stringify(createRequire(import.meta.url).resolve("koffi"))});
    process.stdout.write(String(${JSON.stringify(names)}.some((n) => { try { koffi.load(n); return true; } catch { return false; } })));`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`could not ask a fresh process for the system's TensorRT: ${r.stderr}`);
  return r.stdout === "false";
})();

describe("trt doctor", () => {
  it("names the emulator as the emulator, not TensorRT, and runs on the host without a GPU", () => {
    const { code, stdout, stderr } = trt(["doctor"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`candidate ${escape(emulator10)} \\(\\$TRT_NVINFER_PATH\\): loaded, version 10\\.\\d+\\.\\d+, full runtime, the project's emulator  <- used\n`),
    );
    expect(stdout).toMatch(/host code refused \(allow it with --allow-engine-host-code or TRT_ALLOW_ENGINE_HOST_CODE=1/);
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
    expect(r.tensorrt.candidates).toEqual([
      {
        candidate: emulator10,
        source: "environment",
        origin: "$TRT_NVINFER_PATH",
        error: null,
        version: r.tensorrt.version,
        resolvedPath: emulator10,
        used: true,
        variant: "full",
        emulator: true,
      },
    ]);
    expect(r.settings.allowEngineHostCode).toBe(false);
    if (gpuLess) expect(r.cuda).toMatchObject({ driver: { found: false }, gpus: [] });
  });

  it("reports a library path that does not load, with what was tried, and exits 1", () => {
    const missing = "/nonexistent/libnvinfer.so.10";
    const { code, stdout } = trt(["doctor", "--nvinfer", missing, "--cudart", "/nonexistent/libcudart.so.13"]);
    expect(code).toBe(1);
    expect(stdout).toContain(`status    ${missing} not found`);
    expect(stdout).toMatch(new RegExp(`candidate ${missing} \\(--nvinfer\\): .*cannot open shared object file.*\n`));
    expect(stdout).toMatch(/runtime {3}\/nonexistent\/libcudart\.so\.13 not found/);
    expect(stdout).toContain("ffi       unavailable: libnvinfer not found");
    expect(stdout).toContain("auto      nothing can load");
    expect(stdout).toContain("status    NOT READY: engines cannot run here");
    expect(stdout).toMatch(/- TensorRT: install TensorRT 10 or 11's runtime library/);
    expect(stdout).not.toMatch(/EMULATOR/);
  });

  it.runIf(noSystemTensorRT)("searches the full, then the lean, then the dispatch runtime, newest major first, and says none was found", () => {
    const { code, stdout } = trt(["doctor"], noPython);
    expect(code).toBe(1);
    expect(stdout).toContain(
      "status    libnvinfer.so.11 / libnvinfer.so.10 / libnvinfer_lean.so.11 / libnvinfer_lean.so.10 / libnvinfer_dispatch.so.11 / libnvinfer_dispatch.so.10 not found",
    );
    expect(stdout).toMatch(/candidate libnvinfer\.so\.11 \(system loader\): .+\n {12}libnvinfer\.so\.10 \(system loader\): /);
    // One line per candidate, each named once: the native engine's own search is not listed again.
    for (const name of ["libnvinfer.so.11", "libnvinfer.so.10", "libnvinfer_lean.so.10", "libnvinfer_dispatch.so.10"]) {
      expect(stdout.split("\n").filter((l) => l.includes(`${name} (system loader)`)), name).toHaveLength(1);
    }
    expect(stdout).not.toMatch(/^ {2}tried/m);
    // The emulator the demo uses is named, as what it is, with its path ready for --nvinfer.
    expect(stdout).toContain(`Without TensorRT\n  the project's TensorRT emulator runs its own plans (such as examples/engines/sample.trtengine) on the CPU; it is not TensorRT`);
    expect(stdout).toContain(`  trt --nvinfer ${emulator10} run FILE\n`);
    if (gpuLess) {
      expect(stdout).toMatch(/- CUDA: no NVIDIA driver found; install the NVIDIA driver/);
      expect(stdout).toMatch(/GPUs {6}none: no CUDA driver\/GPU found/);
    }
  });

  it.runIf(noSystemTensorRT)("a command that needs TensorRT says in one short line that none loaded, and points at doctor", () => {
    const { code, stderr } = trt(["run", sample, "-i", sampleInput], noPython);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^error \[RUNTIME_UNAVAILABLE\]: tensorrt is unavailable: .*found none of 6 candidates loaded: libnvinfer\.so\.11, libnvinfer\.so\.10, libnvinfer_lean\.so\.11, /);
    expect(stderr.match(/cannot open shared object file/g)).toHaveLength(1);
    expect(stderr).toMatch(/`trt doctor` shows every library tried, one per line\.\)\n$/);
    // It was about 1,400 characters with the loader's message six times; now each failure reason is said once.
    expect(stderr.length).toBeLessThan(800);
  });

  it("says whether engines with host code would be allowed: --allow-engine-host-code, else TRT_ALLOW_ENGINE_HOST_CODE", () => {
    const fromFlag = JSON.parse(trt(["--allow-engine-host-code", "doctor", "--json"]).stdout) as DoctorReport;
    expect(fromFlag.settings.allowEngineHostCode).toBe(true);
    const fromEnv = trt(["doctor"], { TRT_ALLOW_ENGINE_HOST_CODE: "1" });
    expect(fromEnv.stdout).toMatch(/host code allowed: engines that carry host code/);
  });
});

describe.runIf(noSystemTensorRT)("trt doctor over pip wheels (a directory laid out like a virtualenv, the emulator under the wheels' file names)", () => {
  const venv = tempDir("trt-doctor-venv-");
  const site = join(venv, "lib", "python3.12", "site-packages");
  const install = (relative: string, from: string | null): string => {
    const path = join(site, relative);
    mkdirSync(dirname(path), { recursive: true });
    if (from) copyFileSync(from, path);
    else writeFileSync(path, "not a shared library\n");
    return path;
  };
  const lean = install("tensorrt_lean_libs/libnvinfer_lean.so.10", emulator10);
  const full = install("tensorrt_libs/libnvinfer.so.10", emulator10);
  const cudart = install("nvidia/cu13/lib/libcudart.so.13", null);
  const env = { ...noPython, VIRTUAL_ENV: venv };

  it("lists every candidate with its origin, variant and version, and marks the full runtime as the one used", () => {
    const { code, stdout } = trt(["doctor", "--json"], env);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as DoctorReport;
    expect(r.tensorrt).toMatchObject({ found: true, path: full, variant: "full" });
    const found = r.tensorrt.candidates.filter((c) => c.error === null);
    expect(found).toEqual([
      expect.objectContaining({ candidate: full, source: "site-packages", origin: "pip site-packages, via VIRTUAL_ENV", variant: "full", used: true, version: r.tensorrt.version }),
      expect.objectContaining({ candidate: lean, source: "site-packages", origin: "pip site-packages, via VIRTUAL_ENV", variant: "lean", used: false, version: r.tensorrt.version }),
    ]);
    expect(r.tensorrt.candidates.map((c) => c.candidate)).toEqual([
      "libnvinfer.so.11",
      "libnvinfer.so.10",
      full,
      "libnvinfer_lean.so.11",
      "libnvinfer_lean.so.10",
      lean,
      "libnvinfer_dispatch.so.11",
      "libnvinfer_dispatch.so.10",
    ]);
    expect(r.cuda.runtime.candidates.find((c) => c.candidate === cudart)).toMatchObject({ origin: "pip site-packages, via VIRTUAL_ENV", used: false, error: expect.any(String) });
    // The native engine is handed the file the search chose.
    if (nativeLoads) expect(r.native).toMatchObject({ available: true, tried: [expect.any(String), full] });
  });

  it("marks the used candidate in the text report", () => {
    const { stdout } = trt(["doctor"], env);
    expect(stdout).toContain(`${full} (pip site-packages, via VIRTUAL_ENV): loaded, version`);
    expect(stdout).toMatch(new RegExp(`${escape(full)} .*full runtime, the project's emulator  <- used\n`));
    expect(stdout).toMatch(new RegExp(`${escape(lean)} .*lean runtime \\(runs version-compatible engines only\\), the project's emulator\n`));
    expect(stdout).toContain(`found     ${full}`);
  });

  const leanOnly = tempDir("trt-doctor-lean-");

  it("the lean runtime alone is used, and the advice says what it cannot run", () => {
    const leanSite = join(leanOnly, "lib", "python3.11", "site-packages", "tensorrt_lean_libs");
    mkdirSync(leanSite, { recursive: true });
    const path = join(leanSite, "libnvinfer_lean.so.10");
    copyFileSync(emulator10, path);
    const { stdout } = trt(["doctor", "--json"], { ...noPython, CONDA_PREFIX: leanOnly });
    const r = JSON.parse(stdout) as DoctorReport;
    expect(r.tensorrt).toMatchObject({ found: true, path, variant: "lean" });
    expect(r.advice.join("\n")).toContain("the library that would be used is the lean runtime (runs version-compatible engines only)");
  });
});
